//! The `software` facet: installed packages from every package manager that
//! exists on the machine. One module per package database; each parser takes
//! the database's text and returns packages, so it can be tested on recorded
//! databases and used by any OS-specific shell.

pub mod apk;
pub mod apple;
pub mod dpkg;
pub mod flatpak;
#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
pub mod macos;
pub mod pacman;
pub mod registry;
pub mod rpm;
pub mod snap;
#[cfg(windows)]
pub mod windows;

/// "Name <mail@example.org>" → "Name"; an address alone stays as it is.
pub fn strip_email(s: &str) -> Option<String> {
    let name = match s.find('<') {
        Some(i) if i > 0 => s[..i].trim(),
        _ => s.trim(),
    };
    (!name.is_empty()).then(|| name.to_string())
}

/// Split a text into blank-line separated paragraphs.
pub fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n")
        .map(|p| p.trim_matches(['\n', '\r']))
        .filter(|p| !p.trim().is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails() {
        assert_eq!(
            super::strip_email("Debian Perl Group <perl@lists.debian.org>").as_deref(),
            Some("Debian Perl Group")
        );
        assert_eq!(
            super::strip_email("<root@localhost>").as_deref(),
            Some("<root@localhost>")
        );
        assert_eq!(super::strip_email("  "), None);
    }
}
