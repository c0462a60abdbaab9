//! The `memory` facet: total memory the OS sees and the installed modules
//! (SMBIOS type 17; empty slots left out).

#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(windows)]
pub mod windows;

use crate::facets::hardware::smbios::{self, Structure};
use census_shared::report::MemoryModule;

/// Installed memory modules from SMBIOS structures.
pub fn modules(structs: &[Structure<'_>]) -> Vec<MemoryModule> {
    structs
        .iter()
        .filter(|s| s.kind == 17)
        .filter_map(|s| {
            let size = smbios::memory_size(s)?;
            let configured = s.u16(0x20).filter(|v| *v != 0 && *v != 0xffff);
            let rated = s.u16(0x15).filter(|v| *v != 0 && *v != 0xffff);
            let not_placeholder = |v: String| {
                let l = v.to_ascii_lowercase();
                (!matches!(
                    l.as_str(),
                    "unknown" | "not specified" | "undefined" | "none"
                ) && !l.starts_with("manufacturer")
                    && !l.starts_with("serial")
                    && !l.starts_with("partnum")
                    && !l.starts_with("part number")
                    && !l.chars().all(|c| c == '0'))
                .then_some(v)
            };
            Some(MemoryModule {
                slot: s.string(0x10),
                size_bytes: Some(size),
                kind: s.u8(0x12).and_then(smbios::memory_type).map(String::from),
                form_factor: s.u8(0x0e).and_then(smbios::form_factor).map(String::from),
                speed_mts: configured.or(rated).map(u32::from),
                manufacturer: s.string(0x17).and_then(not_placeholder),
                serial: s.string(0x18).and_then(not_placeholder),
                part_number: s.string(0x1a).and_then(not_placeholder),
            })
        })
        .collect()
}

/// `MemTotal` from `/proc/meminfo`, in bytes.
pub fn meminfo_total(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
}

#[cfg(test)]
mod tests {
    #[test]
    fn meminfo() {
        assert_eq!(
            super::meminfo_total("MemTotal:       16303412 kB\nMemFree: 1 kB\n"),
            Some(16303412 * 1024)
        );
        assert_eq!(super::meminfo_total("nothing"), None);
    }
}
