//! dpkg (Debian, Ubuntu, Mint, Raspberry Pi OS): `/var/lib/dpkg/status`.
//! Only packages whose status is "… ok installed" count, exactly as
//! `dpkg-query -W` lists them; removed packages with leftover configuration
//! files ("deinstall ok config-files") do not.

use super::{paragraphs, strip_email};
use census_shared::report::{SoftwarePackage, SoftwareSource};

/// The packages in a dpkg status file (install dates are filled in by the
/// caller from the `.list` files).
pub fn parse_status(text: &str) -> Vec<SoftwarePackage> {
    let text = text.replace("\r\n", "\n");
    paragraphs(&text)
        .filter_map(|para| {
            let mut name = None;
            let mut version = None;
            let mut arch = None;
            let mut maintainer = None;
            let mut installed = false;
            for line in para.lines() {
                if line.starts_with(' ') || line.starts_with('\t') {
                    continue; // continuation of a multi-line field
                }
                let Some((k, v)) = line.split_once(':') else {
                    continue;
                };
                let v = v.trim();
                match k {
                    "Package" => name = Some(v.to_string()),
                    "Version" => version = Some(v.to_string()),
                    "Architecture" => arch = Some(v.to_string()),
                    "Maintainer" => maintainer = strip_email(v),
                    "Status" => installed = v.ends_with(" ok installed"),
                    _ => {}
                }
            }
            installed.then_some(())?;
            Some(SoftwarePackage {
                name: name?,
                version,
                publisher: maintainer,
                arch,
                install_date: None,
                source: SoftwareSource::Dpkg,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn installed_only() {
        let s = "Package: bash\nStatus: install ok installed\nPriority: required\nArchitecture: amd64\nMaintainer: Matthias Klose <doko@debian.org>\nVersion: 5.2.15-2+b2\nDescription: GNU Bourne Again SHell\n Bash is an sh-compatible command language interpreter.\n .\n Multi: line\n\nPackage: oldthing\nStatus: deinstall ok config-files\nVersion: 1\n\nPackage: held\nStatus: hold ok installed\nVersion: 2\nArchitecture: all\n";
        let p = super::parse_status(s);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].name, "bash");
        assert_eq!(p[0].version.as_deref(), Some("5.2.15-2+b2"));
        assert_eq!(p[0].publisher.as_deref(), Some("Matthias Klose"));
        assert_eq!(p[0].arch.as_deref(), Some("amd64"));
        assert_eq!(p[1].name, "held");
    }
}
