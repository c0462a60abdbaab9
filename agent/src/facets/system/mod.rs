//! The `system` facet: host names, operating system, boot time and
//! virtualisation. Parsers here are portable; `linux.rs` gathers the input.

pub mod activation;
#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
pub mod macos;
pub mod virt;
#[cfg(windows)]
pub mod windows;

use std::collections::BTreeMap;

/// Parse an `os-release(5)` file into its keys, with quotes and escapes
/// removed. Lines that are not `KEY=VALUE` are skipped.
pub fn parse_os_release(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        out.insert(k.to_string(), unquote(v.trim()));
    }
    out
}

fn unquote(v: &str) -> String {
    let inner = if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        &v[1..v.len() - 1]
    } else {
        v
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Find the fully qualified name of `hostname` in an `/etc/hosts` file: the
/// first name on a line naming the host that has a dot and starts with the
/// short name.
pub fn fqdn_from_hosts(hosts: &str, hostname: &str) -> Option<String> {
    let short = hostname.split('.').next()?;
    for line in hosts.lines() {
        let line = line.split('#').next().unwrap_or("");
        let names: Vec<&str> = line.split_whitespace().skip(1).collect();
        if !names
            .iter()
            .any(|n| *n == hostname || n.split('.').next() == Some(short))
        {
            continue;
        }
        if let Some(f) = names
            .iter()
            .find(|n| n.contains('.') && n.split('.').next() == Some(short) && !n.ends_with('.'))
        {
            return Some(f.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_with_quotes_and_comments() {
        let m = parse_os_release(
            "# comment\nNAME=\"Red Hat Enterprise Linux\"\nVERSION_ID='9.4'\nID=rhel\nID_LIKE=\"fedora\"\nPRETTY_NAME=\"A \\\"quoted\\\" name\"\nbad line\n=x\n",
        );
        assert_eq!(m["NAME"], "Red Hat Enterprise Linux");
        assert_eq!(m["VERSION_ID"], "9.4");
        assert_eq!(m["ID"], "rhel");
        assert_eq!(m["PRETTY_NAME"], "A \"quoted\" name");
        assert_eq!(m.len(), 5);
    }

    #[test]
    fn fqdn_lookup() {
        let hosts =
            "127.0.0.1 localhost\n127.0.1.1 pc-042.kantoor.example.nl pc-042 # debian style\n";
        assert_eq!(
            fqdn_from_hosts(hosts, "pc-042").as_deref(),
            Some("pc-042.kantoor.example.nl")
        );
        assert_eq!(fqdn_from_hosts("127.0.0.1 localhost vm\n", "vm"), None);
    }
}
