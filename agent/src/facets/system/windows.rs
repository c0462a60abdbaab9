//! `system` on Windows: `Win32_OperatingSystem` and `Win32_ComputerSystem`
//! (WMI), the release name and update revision from
//! `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`, and virtualisation
//! from the firmware vendor strings; activation from
//! `SoftwareLicensingProduct` (`activation.rs` decides), which takes
//! seconds to answer and so has its own longer timeout.

use super::virt::{VirtEvidence, detect};
use crate::facets::wmi::{self, text};
use crate::facets::wmi_windows::{query_in, rows_or_error};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use winreg::RegKey;
use winreg::enums::HKEY_LOCAL_MACHINE;

/// The Windows `system` facet.
pub struct System;

/// How long the licensing query may take: it is slow everywhere, and
/// minutes on a busy machine are not unheard of.
pub const ACTIVATION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

impl Facet for System {
    fn name(&self) -> &'static str {
        "system"
    }

    fn collect(&self, _p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let os_rows = rows_or_error(
            r,
            "system",
            "SELECT Caption, Version, BuildNumber, OSArchitecture, InstallDate, LastBootUpTime FROM Win32_OperatingSystem",
        );
        let cs_rows = rows_or_error(
            r,
            "system",
            "SELECT Manufacturer, Model, Domain, PartOfDomain, DNSHostName FROM Win32_ComputerSystem",
        );
        let bios_rows = rows_or_error(r, "system", "SELECT Manufacturer FROM Win32_BIOS");
        r.os = os_rows
            .first()
            .map(wmi::os)
            .unwrap_or_else(|| census_shared::report::OsInfo {
                family: Some("windows".into()),
                id: Some("windows".into()),
                ..Default::default()
            });
        if let Ok(cv) = RegKey::predef(HKEY_LOCAL_MACHINE)
            .open_subkey("SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion")
        {
            let s = |k: &str| cv.get_value::<String, _>(k).ok().filter(|v| !v.is_empty());
            if r.os.name.is_none() {
                r.os.name = s("ProductName");
            }
            let release = s("DisplayVersion").or_else(|| s("ReleaseId"));
            if let (Some(p), Some(rel)) = (r.os.pretty_name.clone(), release) {
                r.os.pretty_name = Some(format!("{p} {rel}"));
            }
            let build = r.os.build.clone().or_else(|| s("CurrentBuild"));
            if let (Some(b), Ok(ubr)) = (build.as_deref(), cv.get_value::<u32, _>("UBR")) {
                r.os.build = Some(format!("{b}.{ubr}"));
            }
        }
        r.host.boot_time = os_rows
            .first()
            .and_then(|o| text(o, "LastBootUpTime"))
            .and_then(|t| wmi::cim_datetime(&t));
        let cs = cs_rows.first();
        r.host.hostname = cs
            .and_then(|c| text(c, "DNSHostName"))
            .or_else(|| std::env::var("COMPUTERNAME").ok());
        if let Some(c) = cs
            && wmi::boolean(c, "PartOfDomain") == Some(true)
            && let Some(domain) = text(c, "Domain")
        {
            r.host.fqdn = r.host.hostname.as_ref().map(|h| format!("{h}.{domain}"));
            r.host.domain = Some(domain.to_ascii_lowercase());
        }
        match query_in(
            "ROOT\\CIMV2",
            "SELECT * FROM SoftwareLicensingProduct WHERE PartialProductKey IS NOT NULL",
            ACTIVATION_TIMEOUT,
        ) {
            Ok(rows) => r.os.activation = super::activation::activation(&rows),
            Err(e) => r.error("system", format!("activation state unknown: {e}")),
        }
        let mut dmi: Vec<String> = Vec::new();
        if let Some(c) = cs {
            dmi.extend(text(c, "Manufacturer"));
            dmi.extend(text(c, "Model"));
        }
        dmi.extend(bios_rows.first().and_then(|b| text(b, "Manufacturer")));
        if !dmi.is_empty() {
            r.host.virtualization = detect(&VirtEvidence {
                has_dmi: true,
                dmi,
                ..Default::default()
            });
        }
        Ok(())
    }
}
