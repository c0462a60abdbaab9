//! `cpu` on Linux: `/proc/cpuinfo`, the cpufreq maximum, and SMBIOS
//! processor structures (populated sockets) when the table is readable.

use super::parse_cpuinfo;
use crate::facets::hardware::{linux::SMBIOS_TABLE, smbios};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The Linux `cpu` facet.
pub struct Cpu;

impl Facet for Cpu {
    fn name(&self) -> &'static str {
        "cpu"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let text = p
            .read("/proc/cpuinfo")
            .map_err(|e| FacetError::read("/proc/cpuinfo", e))?;
        let mut cpu = parse_cpuinfo(&text);
        if let Some(khz) = p
            .read_opt("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
            .and_then(|v| v.parse::<u64>().ok())
        {
            cpu.mhz = Some((khz / 1000) as u32);
        }
        if let Ok(table) = p.read_bytes(SMBIOS_TABLE) {
            let procs: Vec<_> = smbios::parse(&table)
                .into_iter()
                .filter(|s| s.kind == 4)
                .collect();
            // Status byte bit 6: socket populated.
            let populated = procs
                .iter()
                .filter(|s| s.u8(0x18).is_some_and(|b| b & 0x40 != 0))
                .count();
            if populated > 0 && cpu.sockets.is_none() {
                cpu.sockets = Some(populated as u32);
            }
            if cpu.mhz.is_none() {
                cpu.mhz = procs
                    .iter()
                    .filter_map(|s| s.u16(0x14))
                    .filter(|m| *m > 0)
                    .max()
                    .map(u32::from);
            }
        }
        if cpu.sockets.is_none() && cpu.logical_cores.is_some() {
            // Kernels without "physical id" (ARM) have one package.
            cpu.sockets = Some(1);
        }
        r.cpu = cpu;
        Ok(())
    }
}
