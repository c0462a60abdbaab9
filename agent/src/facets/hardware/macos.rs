//! `hardware` on macOS: `system_profiler SPHardwareDataType -json` (which
//! also fills `cpu` and the memory total: one slow command, run once), with
//! IOKit's `ioreg -rd1 -c IOPlatformExpertDevice` for what it leaves empty.

use super::apple::{ioreg_hardware, system_profiler};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The macOS `hardware` facet (also `cpu` and `memory.total_bytes`).
pub struct Hardware;

impl Facet for Hardware {
    fn name(&self) -> &'static str {
        "hardware"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let profile = p
            .run("system_profiler", &["SPHardwareDataType", "-json"])
            .ok()
            .flatten()
            .and_then(|j| system_profiler(&j));
        let ioreg = p
            .run("ioreg", &["-rd1", "-c", "IOPlatformExpertDevice"])
            .ok()
            .flatten()
            .map(|t| ioreg_hardware(&t))
            .unwrap_or_default();
        match profile {
            Some(pr) => {
                let mut hw = pr.hardware;
                hw.serial = hw.serial.or(ioreg.serial);
                hw.uuid = hw.uuid.or(ioreg.uuid);
                r.hardware = hw;
                r.cpu = pr.cpu;
                r.memory.total_bytes = pr.memory_bytes;
            }
            None if ioreg.serial.is_some() => {
                r.error(
                    "hardware",
                    "system_profiler gave no hardware overview; IOKit only",
                );
                r.hardware = ioreg;
            }
            None => return Err(FacetError::Unsupported),
        }
        Ok(())
    }
}
