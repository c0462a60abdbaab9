//! `memory` on Linux: `/proc/meminfo` and the SMBIOS table (modules need
//! root; without it the module list stays empty and the reason is reported).

use super::{meminfo_total, modules};
use crate::facets::hardware::{linux::SMBIOS_TABLE, smbios};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The Linux `memory` facet.
pub struct Memory;

impl Facet for Memory {
    fn name(&self) -> &'static str {
        "memory"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let meminfo = p
            .read("/proc/meminfo")
            .map_err(|e| FacetError::read("/proc/meminfo", e))?;
        r.memory.total_bytes = meminfo_total(&meminfo);
        match p.read_bytes(SMBIOS_TABLE) {
            Ok(table) => r.memory.modules = modules(&smbios::parse(&table)),
            // A recording made without root has DMI files but no table at all.
            Err(e) if p.exists("/sys/firmware/dmi") || p.exists("/sys/class/dmi/id") => r.error(
                "memory",
                format!("memory modules unknown: cannot read {SMBIOS_TABLE} ({e}); run as root"),
            ),
            Err(_) => {} // No firmware tables at all (container, ARM): nothing to say per module.
        }
        Ok(())
    }
}
