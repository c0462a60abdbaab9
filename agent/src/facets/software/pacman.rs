//! pacman (Arch, Manjaro, EndeavourOS): `/var/lib/pacman/local/*/desc`,
//! `%KEY%` headers each followed by value lines.

use census_shared::report::{SoftwarePackage, SoftwareSource, unix_time};

/// One package from a `desc` file; `None` without `%NAME%`.
pub fn parse_desc(text: &str) -> Option<SoftwarePackage> {
    let mut key = "";
    let mut pkg = SoftwarePackage {
        name: String::new(),
        version: None,
        publisher: None,
        arch: None,
        install_date: None,
        source: SoftwareSource::Pacman,
    };
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('%') && line.ends_with('%') && line.len() > 2 {
            key = line;
            continue;
        }
        if line.is_empty() {
            continue;
        }
        match key {
            "%NAME%" if pkg.name.is_empty() => pkg.name = line.to_string(),
            "%VERSION%" => pkg.version = Some(line.to_string()),
            "%ARCH%" => pkg.arch = Some(line.to_string()),
            "%PACKAGER%" => pkg.publisher = super::strip_email(line),
            "%INSTALLDATE%" => pkg.install_date = line.parse().ok().and_then(unix_time),
            _ => {}
        }
        // Every field read here is one line; later lines belong to fields
        // that are not read.
        key = "";
    }
    (!pkg.name.is_empty()).then_some(pkg)
}

#[cfg(test)]
mod tests {
    #[test]
    fn desc() {
        let p = super::parse_desc("%NAME%\nlinux\n\n%VERSION%\n6.6.8.arch1-1\n\n%BASE%\nlinux\n\n%ARCH%\nx86_64\n\n%INSTALLDATE%\n1703500000\n\n%PACKAGER%\nJan Alexander Steffens (heftig) <heftig@archlinux.org>\n").unwrap();
        assert_eq!(p.name, "linux");
        assert_eq!(p.version.as_deref(), Some("6.6.8.arch1-1"));
        assert_eq!(
            p.publisher.as_deref(),
            Some("Jan Alexander Steffens (heftig)")
        );
        assert_eq!(p.install_date.unwrap().timestamp(), 1703500000);
        assert!(super::parse_desc("%VERSION%\n1\n").is_none());
    }
}
