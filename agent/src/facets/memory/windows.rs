//! `memory` on Windows: the total from `Win32_ComputerSystem`, modules from
//! the SMBIOS table (`GetSystemFirmwareTable`) or, without one,
//! `Win32_PhysicalMemory`.

use super::modules;
use crate::facets::hardware::{smbios, windows::smbios_table};
use crate::facets::wmi::{self, uint};
use crate::facets::wmi_windows::rows_or_error;
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The Windows `memory` facet.
pub struct Memory;

impl Facet for Memory {
    fn name(&self) -> &'static str {
        "memory"
    }

    fn collect(&self, _p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        r.memory.total_bytes = rows_or_error(
            r,
            "memory",
            "SELECT TotalPhysicalMemory FROM Win32_ComputerSystem",
        )
        .first()
        .and_then(|c| uint(c, "TotalPhysicalMemory"));
        let from_table = smbios_table()
            .map(|(t, _)| modules(&smbios::parse(&t)))
            .unwrap_or_default();
        r.memory.modules = if from_table.is_empty() {
            wmi::memory_modules(&rows_or_error(
                r,
                "memory",
                "SELECT DeviceLocator, BankLabel, Capacity, SMBIOSMemoryType, FormFactor, Speed, ConfiguredClockSpeed, Manufacturer, PartNumber, SerialNumber FROM Win32_PhysicalMemory",
            ))
        } else {
            from_table
        };
        Ok(())
    }
}
