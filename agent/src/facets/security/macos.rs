//! `security` on macOS: FileVault (`fdesetup status`) and the application
//! firewall (`socketfilterfw --getglobalstate`).

use super::apple::{application_firewall, filevault};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The macOS `security` facet.
pub struct Security;

impl Facet for Security {
    fn name(&self) -> &'static str {
        "security"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        match p.run("fdesetup", &["status"]) {
            Ok(Some(out)) => r.security.disk_encryption_complete = filevault(&out),
            Ok(None) => {}
            Err(e) => r.error("security", format!("FileVault state unknown: {e}")),
        }
        match p.run(
            "/usr/libexec/ApplicationFirewall/socketfilterfw",
            &["--getglobalstate"],
        ) {
            Ok(Some(out)) => r.security.firewall = application_firewall(&out),
            Ok(None) => {}
            Err(e) => r.error("security", format!("firewall state unknown: {e}")),
        }
        Ok(())
    }
}
