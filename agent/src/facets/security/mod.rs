//! The `security` facet: firewall, automatic updates, antivirus and whether
//! every fixed volume is encrypted. Runs last: it reads the software list and
//! the volumes that earlier facets filled in. The product knowledge (which
//! packages are antivirus products) is the table below.

pub mod apple;
#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
pub mod macos;
pub mod win_update;
#[cfg(windows)]
pub mod windows;
pub mod wsc;

use census_shared::report::{Antivirus, SoftwarePackage, Volume};

/// Antivirus / endpoint protection products: (package name prefix, product).
pub const ANTIVIRUS_PACKAGES: &[(&str, &str)] = &[
    ("clamav-daemon", "ClamAV"),
    ("clamav", "ClamAV"),
    ("clamd", "ClamAV"),
    ("mdatp", "Microsoft Defender for Endpoint"),
    ("falcon-sensor", "CrowdStrike Falcon"),
    ("sophos-spl", "Sophos Protection for Linux"),
    ("savinstpkg", "Sophos Anti-Virus"),
    ("eset", "ESET"),
    ("esets", "ESET"),
    ("sentinelagent", "SentinelOne"),
    ("ds_agent", "Trend Micro Deep Security"),
    ("kesl", "Kaspersky Endpoint Security"),
    ("bitdefender", "Bitdefender"),
    ("cylance", "Cylance"),
    ("wazuh-agent", "Wazuh"),
];

/// Antivirus products among installed packages (one entry per product).
pub fn antivirus_from_software(software: &[SoftwarePackage]) -> Vec<Antivirus> {
    let mut out: Vec<Antivirus> = Vec::new();
    for pkg in software {
        let name = pkg.name.to_ascii_lowercase();
        let Some((_, product)) = ANTIVIRUS_PACKAGES
            .iter()
            .find(|(prefix, _)| name == *prefix || name.starts_with(&format!("{prefix}-")))
        else {
            continue;
        };
        if !out.iter().any(|a| a.name == *product) {
            out.push(Antivirus {
                name: product.to_string(),
                active: None,
                evidence: Some(format!("package {}", pkg.name)),
            });
        }
    }
    out
}

/// Mount points that are never encrypted by design (firmware and boot).
const BOOT: &[&str] = &["/boot", "/boot/efi", "/efi", "/boot/firmware"];

/// `Some(true)` when every fixed local volume is encrypted, `Some(false)`
/// when one is known not to be, `None` when nothing is known.
pub fn encryption_complete(volumes: &[Volume]) -> Option<bool> {
    let relevant: Vec<Option<bool>> = volumes
        .iter()
        .filter(|v| !BOOT.contains(&v.mount_point.as_str()))
        .filter(|v| {
            !v.mount_point.starts_with("/media/") && !v.mount_point.starts_with("/run/media/")
        })
        .map(|v| v.encrypted)
        .filter(Option::is_some)
        .collect();
    if relevant.is_empty() {
        None
    } else {
        Some(relevant.iter().all(|e| *e == Some(true)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use census_shared::report::SoftwareSource;

    fn vol(m: &str, enc: Option<bool>) -> Volume {
        Volume {
            mount_point: m.into(),
            encrypted: enc,
            ..Default::default()
        }
    }

    #[test]
    fn encryption_ignores_boot_and_removable() {
        assert_eq!(
            encryption_complete(&[
                vol("/", Some(true)),
                vol("/boot", Some(false)),
                vol("/media/usb", Some(false))
            ]),
            Some(true)
        );
        assert_eq!(
            encryption_complete(&[vol("/", Some(true)), vol("/home", Some(false))]),
            Some(false)
        );
        assert_eq!(encryption_complete(&[vol("/mnt/nas", None)]), None);
    }

    #[test]
    fn antivirus_packages() {
        let p = |n: &str| SoftwarePackage {
            name: n.into(),
            version: None,
            publisher: None,
            arch: None,
            install_date: None,
            source: SoftwareSource::Dpkg,
        };
        let av = antivirus_from_software(&[
            p("clamav"),
            p("clamav-daemon"),
            p("clamav-freshclam"),
            p("mdatp"),
            p("clamavish"),
        ]);
        let names: Vec<&str> = av.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["ClamAV", "Microsoft Defender for Endpoint"]);
    }
}
