//! macOS software as data: application bundles (`/Applications/*.app`,
//! their `Contents/Info.plist`, XML or binary), installer receipts
//! (`/var/db/receipts/*.plist`) and Homebrew's `Cellar` (one directory per
//! formula, one per installed version). Portable, tested on recorded
//! files in `agent/fixtures/macos/`.

use census_shared::report::{SoftwarePackage, SoftwareSource};
use chrono::{DateTime, Utc};
use plist::Value;

fn dict_str(v: &Value, key: &str) -> Option<String> {
    v.as_dictionary()?
        .get(key)?
        .as_string()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// The publisher named in a copyright line: "Copyright © 2024 Google LLC.
/// All rights reserved." → "Google LLC".
pub fn publisher_from_copyright(s: &str) -> Option<String> {
    let mut t = s.split(['\n', ';']).next()?.to_string();
    for cut in [
        "All rights reserved",
        "all rights reserved",
        "All Rights Reserved",
    ] {
        if let Some(i) = t.find(cut) {
            t.truncate(i);
        }
    }
    let words: Vec<&str> = t
        .split_whitespace()
        .filter(|w| {
            let w = w.trim_matches([',', '.']);
            !matches!(
                w,
                "Copyright" | "copyright" | "©" | "(c)" | "(C)" | "-" | "–"
            ) && !w
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '–')
        })
        .collect();
    let p = words.join(" ");
    let p = p.trim_matches([' ', ',', '.']).to_string();
    (!p.is_empty()).then_some(p)
}

/// One application from its `Info.plist` bytes (XML or binary).
pub fn app_bundle(info_plist: &[u8]) -> Option<SoftwarePackage> {
    let v = Value::from_reader(std::io::Cursor::new(info_plist)).ok()?;
    let name = dict_str(&v, "CFBundleDisplayName")
        .or_else(|| dict_str(&v, "CFBundleName"))
        .or_else(|| dict_str(&v, "CFBundleExecutable"))?;
    Some(SoftwarePackage {
        name,
        version: dict_str(&v, "CFBundleShortVersionString")
            .or_else(|| dict_str(&v, "CFBundleVersion")),
        publisher: dict_str(&v, "NSHumanReadableCopyright")
            .and_then(|c| publisher_from_copyright(&c)),
        arch: None,
        install_date: None,
        source: SoftwareSource::App,
    })
}

/// One installer package from its receipt plist (`PackageIdentifier`,
/// `PackageVersion`, `InstallDate`).
pub fn pkg_receipt(plist_bytes: &[u8]) -> Option<SoftwarePackage> {
    let v = Value::from_reader(std::io::Cursor::new(plist_bytes)).ok()?;
    let install_date = v
        .as_dictionary()
        .and_then(|d| d.get("InstallDate"))
        .and_then(Value::as_date)
        .map(|d| DateTime::<Utc>::from(std::time::SystemTime::from(d)));
    Some(SoftwarePackage {
        name: dict_str(&v, "PackageIdentifier")?,
        version: dict_str(&v, "PackageVersion"),
        publisher: None,
        arch: None,
        install_date,
        source: SoftwareSource::Pkg,
    })
}

/// Homebrew formulae from the Cellar's listing: (formula, its version
/// directories). Every installed version is a package.
pub fn cellar(formulae: &[(String, Vec<String>)]) -> Vec<SoftwarePackage> {
    let mut out: Vec<SoftwarePackage> = formulae
        .iter()
        .filter(|(name, _)| !name.starts_with('.'))
        .flat_map(|(name, versions)| {
            versions
                .iter()
                .filter(|v| !v.starts_with('.'))
                .map(move |v| SoftwarePackage {
                    name: name.clone(),
                    version: Some(v.clone()),
                    publisher: None,
                    arch: None,
                    install_date: None,
                    source: SoftwareSource::Homebrew,
                })
        })
        .collect();
    out.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_info_plist() {
        let p = app_bundle(include_bytes!("../../../fixtures/macos/Chrome-Info.plist")).unwrap();
        assert_eq!(p.name, "Google Chrome");
        assert_eq!(p.version.as_deref(), Some("131.0.6778.86"));
        assert_eq!(p.publisher.as_deref(), Some("Google LLC"));
        assert_eq!(p.source, SoftwareSource::App);
    }

    #[test]
    fn binary_info_plist() {
        // The same kind of dictionary, written in Apple's binary format.
        let mut d = plist::Dictionary::new();
        d.insert("CFBundleName".into(), "Numbers".into());
        d.insert("CFBundleShortVersionString".into(), "14.2".into());
        d.insert(
            "NSHumanReadableCopyright".into(),
            "© 2008–2024 Apple Inc. All rights reserved.".into(),
        );
        let mut bin = Vec::new();
        Value::Dictionary(d).to_writer_binary(&mut bin).unwrap();
        assert!(bin.starts_with(b"bplist00"));
        let p = app_bundle(&bin).unwrap();
        assert_eq!(
            (p.name.as_str(), p.version.as_deref()),
            ("Numbers", Some("14.2"))
        );
        assert_eq!(p.publisher.as_deref(), Some("Apple Inc"));
        assert_eq!(app_bundle(b"not a plist"), None);
    }

    #[test]
    fn receipts() {
        let p = pkg_receipt(include_bytes!(
            "../../../fixtures/macos/com.microsoft.Word.plist"
        ))
        .unwrap();
        assert_eq!(p.name, "com.microsoft.package.Microsoft_Word.app");
        assert_eq!(p.version.as_deref(), Some("16.79.23111718"));
        assert_eq!(
            p.install_date.unwrap().to_rfc3339(),
            "2023-11-20T09:41:07+00:00"
        );
        assert_eq!(p.source, SoftwareSource::Pkg);
    }

    #[test]
    fn homebrew_cellar() {
        let c = cellar(&[
            ("wget".into(), vec!["1.24.5".into()]),
            (
                "python@3.12".into(),
                vec!["3.12.7_1".into(), "3.12.8".into(), ".DS_Store".into()],
            ),
            (".DS_Store".into(), vec![]),
        ]);
        let got: Vec<(&str, &str)> = c
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("python@3.12", "3.12.7_1"),
                ("python@3.12", "3.12.8"),
                ("wget", "1.24.5")
            ]
        );
        assert!(c.iter().all(|p| p.source == SoftwareSource::Homebrew));
    }

    #[test]
    fn copyright_lines() {
        assert_eq!(
            publisher_from_copyright("Copyright 2019-2024 Mozilla Corporation").as_deref(),
            Some("Mozilla Corporation")
        );
        assert_eq!(publisher_from_copyright("© 2024").as_deref(), None);
    }
}
