//! `cpu` on Windows: `Win32_Processor` (one row per socket).

use crate::facets::wmi;
use crate::facets::wmi_windows::rows_or_error;
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The Windows `cpu` facet.
pub struct Cpu;

impl Facet for Cpu {
    fn name(&self) -> &'static str {
        "cpu"
    }

    fn collect(&self, _p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let rows = rows_or_error(
            r,
            "cpu",
            "SELECT Name, Manufacturer, NumberOfCores, NumberOfLogicalProcessors, MaxClockSpeed FROM Win32_Processor",
        );
        r.cpu = wmi::cpu(&rows);
        if r.cpu.logical_cores.is_none() {
            r.cpu.logical_cores = std::thread::available_parallelism()
                .ok()
                .map(|n| n.get() as u32);
        }
        Ok(())
    }
}
