//! apk (Alpine): `/lib/apk/db/installed`, one paragraph per package with
//! one-letter keys (`P:` name, `V:` version, `A:` arch, `m:` maintainer).
//! apk records no install time.

use super::{paragraphs, strip_email};
use census_shared::report::{SoftwarePackage, SoftwareSource};

/// The packages in an apk installed database.
pub fn parse_installed(text: &str) -> Vec<SoftwarePackage> {
    paragraphs(text)
        .filter_map(|para| {
            let mut pkg = SoftwarePackage {
                name: String::new(),
                version: None,
                publisher: None,
                arch: None,
                install_date: None,
                source: SoftwareSource::Apk,
            };
            for line in para.lines() {
                let Some((k, v)) = line.split_once(':') else {
                    continue;
                };
                match k {
                    "P" => pkg.name = v.trim().to_string(),
                    "V" => pkg.version = Some(v.trim().to_string()),
                    "A" => pkg.arch = Some(v.trim().to_string()),
                    "m" => pkg.publisher = strip_email(v),
                    _ => {}
                }
            }
            (!pkg.name.is_empty()).then_some(pkg)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn installed_db() {
        let p = super::parse_installed(
            "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nS:407652\nm:Timo Teräs <timo.teras@iki.fi>\nt:1701260000\nF:lib\nR:libc.musl-x86_64.so.1\n\nC:Q1def=\nP:busybox\nV:1.36.1-r15\nA:x86_64\n",
        );
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].name, "musl");
        assert_eq!(p[0].publisher.as_deref(), Some("Timo Teräs"));
        assert_eq!(p[1].version.as_deref(), Some("1.36.1-r15"));
    }
}
