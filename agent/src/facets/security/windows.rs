//! `security` on Windows: BitLocker per volume (`Win32_EncryptableVolume`,
//! needs administrator rights), antivirus from Security Center
//! (`root\SecurityCenter2`, workstations only), the firewall profiles'
//! `EnableFirewall` registry values and the automatic-update policy
//! (`win_update.rs` decides). Each WMI query has its own timeout.

use super::win_update::{AU_POLICY, UpdateSettings, automatic_updates};
use super::wsc;
use crate::facets::wmi_windows::{TIMEOUT, query_in};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use winreg::RegKey;
use winreg::enums::HKEY_LOCAL_MACHINE;

/// The Windows `security` facet.
pub struct Security;

const PROFILES: &str =
    "SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy";

impl Facet for Security {
    fn name(&self) -> &'static str {
        "security"
    }

    fn collect(&self, _p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let hklm = RegKey::predef(HKEY_LOCAL_MACHINE);
        let value = |profile: &str| {
            hklm.open_subkey(format!("{PROFILES}\\{profile}"))
                .and_then(|k| k.get_value::<u32, _>("EnableFirewall"))
                .ok()
        };
        r.security.firewall = wsc::firewall(&[
            ("Domain", value("DomainProfile")),
            ("Private", value("StandardProfile")),
            ("Public", value("PublicProfile")),
        ]);
        let au = hklm.open_subkey(AU_POLICY).ok();
        let au_value = |name: &str| au.as_ref().and_then(|k| k.get_value::<u32, _>(name).ok());
        r.security.automatic_updates = Some(automatic_updates(&UpdateSettings {
            no_auto_update: au_value("NoAutoUpdate"),
            au_options: au_value("AUOptions"),
            service_start: hklm
                .open_subkey("SYSTEM\\CurrentControlSet\\Services\\wuauserv")
                .and_then(|k| k.get_value::<u32, _>("Start"))
                .ok(),
        }));

        match query_in(
            "ROOT\\SecurityCenter2",
            "SELECT displayName, productState FROM AntiVirusProduct",
            TIMEOUT,
        ) {
            Ok(rows) => r.security.antivirus = rows.iter().filter_map(wsc::antivirus).collect(),
            Err(e) => r.error("security", format!("antivirus unknown: {e}")),
        }

        match query_in(
            "ROOT\\CIMV2\\Security\\MicrosoftVolumeEncryption",
            "SELECT DriveLetter, ProtectionStatus, ConversionStatus FROM Win32_EncryptableVolume",
            TIMEOUT,
        ) {
            Ok(rows) => {
                for (letter, on) in rows.iter().filter_map(wsc::bitlocker) {
                    if let Some(v) = r
                        .storage
                        .volumes
                        .iter_mut()
                        .find(|v| v.device.as_deref() == Some(letter.as_str()))
                    {
                        v.encrypted = Some(on);
                        v.encryption = on.then(|| "bitlocker".to_string());
                    }
                }
                let known: Vec<bool> = r
                    .storage
                    .volumes
                    .iter()
                    .filter_map(|v| v.encrypted)
                    .collect();
                r.security.disk_encryption_complete =
                    (!known.is_empty()).then(|| known.iter().all(|e| *e));
            }
            Err(e) => r.error(
                "security",
                format!("BitLocker state unknown (run as administrator): {e}"),
            ),
        }
        Ok(())
    }
}
