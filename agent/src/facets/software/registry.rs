//! Installed Windows programs from the registry's Uninstall keys, as data:
//! the Windows shell reads every subkey of
//! `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall` in HKLM's 64-bit
//! view, HKLM's 32-bit view (`WOW6432Node`) and each loaded user hive into
//! [`RegistryEntry`] values; [`packages`] turns them into the report's
//! packages the way "Apps & features" lists them (no system components, no
//! updates or patches, no entries without a display name), de-duplicated by
//! name and version.

use census_shared::report::{SoftwarePackage, SoftwareSource};
use chrono::{NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where an Uninstall key was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistryView {
    /// HKLM, 64-bit view (native programs).
    Machine64,
    /// HKLM, 32-bit view (`WOW6432Node`).
    Machine32,
    /// A user's hive (`HKU\<SID>`): per-user installs.
    User,
}

/// The values of one Uninstall subkey that matter here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RegistryEntry {
    /// The subkey's name (a product code or a program name).
    pub key: String,
    /// `DisplayName`.
    pub display_name: Option<String>,
    /// `DisplayVersion`.
    pub display_version: Option<String>,
    /// `Publisher`.
    pub publisher: Option<String>,
    /// `InstallDate` (`YYYYMMDD`).
    pub install_date: Option<String>,
    /// `SystemComponent` = 1 hides the entry from users.
    pub system_component: bool,
    /// `ParentKeyName` is set for updates of another entry.
    pub parent_key: Option<String>,
    /// `ReleaseType` (`Update`, `Hotfix`, `Security Update`).
    pub release_type: Option<String>,
    /// Which view or hive the key was in.
    pub view: Option<RegistryView>,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(|v| v.trim().trim_matches('\0').trim())
        .filter(|v| !v.is_empty())
        .map(String::from)
}

/// `YYYYMMDD` (what installers write) as midnight UTC.
pub fn install_date(raw: &str) -> Option<chrono::DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(raw.trim(), "%Y%m%d").ok()?;
    Some(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?))
}

/// Entries → packages, sorted by name, one per (name, version). When both
/// views hold the same program, the first entry with a publisher wins.
pub fn packages(entries: &[RegistryEntry]) -> Vec<SoftwarePackage> {
    let mut out: BTreeMap<(String, Option<String>), SoftwarePackage> = BTreeMap::new();
    for e in entries {
        let Some(name) = clean(&e.display_name) else {
            continue;
        };
        let is_update = e.release_type.as_deref().is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("update") || t.contains("hotfix")
        });
        if e.system_component || clean(&e.parent_key).is_some() || is_update {
            continue;
        }
        let version = clean(&e.display_version);
        let pkg = SoftwarePackage {
            name: name.clone(),
            version: version.clone(),
            publisher: clean(&e.publisher),
            arch: match e.view {
                Some(RegistryView::Machine32) => Some("x86".into()),
                Some(RegistryView::Machine64) => Some("x64".into()),
                _ => None,
            },
            install_date: e.install_date.as_deref().and_then(install_date),
            source: SoftwareSource::Registry,
        };
        let key = (name.to_lowercase(), version.map(|v| v.to_lowercase()));
        match out.get_mut(&key) {
            Some(have) => {
                if have.publisher.is_none() {
                    have.publisher = pkg.publisher;
                }
                if have.install_date.is_none() {
                    have.install_date = pkg.install_date;
                }
            }
            None => {
                out.insert(key, pkg);
            }
        }
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded() -> Vec<RegistryEntry> {
        serde_json::from_str(include_str!("../../../fixtures/windows/registry.json")).unwrap()
    }

    #[test]
    fn apps_and_features_from_recorded_keys() {
        let p = packages(&recorded());
        let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "7-Zip 23.01 (x64)",
                "Google Chrome",
                "Microsoft Teams",
                "Mozilla Firefox (x64 nl)",
                "Notepad++ (32-bit x86)",
            ]
        );
        let chrome = &p[1];
        assert_eq!(chrome.version.as_deref(), Some("131.0.6778.86"));
        assert_eq!(chrome.publisher.as_deref(), Some("Google LLC"));
        assert_eq!(chrome.arch.as_deref(), Some("x64"));
        assert_eq!(
            chrome.install_date.unwrap().to_rfc3339(),
            "2024-11-20T00:00:00+00:00"
        );
        assert_eq!(chrome.source, SoftwareSource::Registry);
        let npp = &p[4];
        assert_eq!(npp.arch.as_deref(), Some("x86"));
        assert_eq!(npp.publisher.as_deref(), Some("Notepad++ Team"));
        let teams = &p[2];
        assert_eq!(teams.arch, None, "per-user install");
        assert_eq!(teams.version.as_deref(), Some("1.7.00.13456"));
    }

    #[test]
    fn duplicates_merge_and_versions_stay_apart() {
        let e = |name: &str, ver: &str, publisher: Option<&str>| RegistryEntry {
            key: name.into(),
            display_name: Some(name.into()),
            display_version: Some(ver.into()),
            publisher: publisher.map(String::from),
            ..Default::default()
        };
        let p = packages(&[
            e("Tool", "1.0", None),
            e("tool", "1.0", Some("Acme")),
            e("Tool", "2.0", None),
        ]);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].publisher.as_deref(), Some("Acme"));
        assert_eq!(install_date("2024-01-01"), None);
    }
}
