//! `software` on Windows: the Uninstall keys of HKLM in the 64-bit and the
//! 32-bit (`WOW6432Node`) registry views and of every loaded user hive under
//! `HKEY_USERS`, read into [`RegistryEntry`]s and turned into packages by the
//! portable [`super::registry::packages`].

use super::registry::{RegistryEntry, RegistryView, packages};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use winreg::RegKey;
use winreg::enums::{HKEY_LOCAL_MACHINE, HKEY_USERS, KEY_READ, KEY_WOW64_32KEY, KEY_WOW64_64KEY};

/// The Windows `software` facet.
pub struct Software;

const UNINSTALL: &str = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall";

/// The entries under one Uninstall key.
fn entries(root: &RegKey, path: &str, flags: u32, view: RegistryView) -> Vec<RegistryEntry> {
    let Ok(key) = root.open_subkey_with_flags(path, KEY_READ | flags) else {
        return Vec::new();
    };
    key.enum_keys()
        .filter_map(Result::ok)
        .filter_map(|name| {
            let k = key.open_subkey_with_flags(&name, KEY_READ | flags).ok()?;
            let s = |v: &str| k.get_value::<String, _>(v).ok();
            Some(RegistryEntry {
                display_name: s("DisplayName"),
                display_version: s("DisplayVersion"),
                publisher: s("Publisher"),
                install_date: s("InstallDate"),
                system_component: k.get_value::<u32, _>("SystemComponent").ok() == Some(1),
                parent_key: s("ParentKeyName"),
                release_type: s("ReleaseType"),
                view: Some(view),
                key: name,
            })
        })
        .collect()
}

/// Every Uninstall entry of the machine and the loaded user hives.
pub fn registry_entries() -> Vec<RegistryEntry> {
    let hklm = RegKey::predef(HKEY_LOCAL_MACHINE);
    let mut all = entries(&hklm, UNINSTALL, KEY_WOW64_64KEY, RegistryView::Machine64);
    all.extend(entries(
        &hklm,
        UNINSTALL,
        KEY_WOW64_32KEY,
        RegistryView::Machine32,
    ));
    let hku = RegKey::predef(HKEY_USERS);
    for sid in hku.enum_keys().filter_map(Result::ok) {
        if sid.ends_with("_Classes") {
            continue;
        }
        all.extend(entries(
            &hku,
            &format!("{sid}\\{UNINSTALL}"),
            0,
            RegistryView::User,
        ));
    }
    all
}

impl Facet for Software {
    fn name(&self) -> &'static str {
        "software"
    }

    fn collect(&self, _p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        r.software = packages(&registry_entries());
        Ok(())
    }
}
