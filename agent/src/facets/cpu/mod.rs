//! The `cpu` facet: model, vendor, sockets, cores, threads and clock.
//! [`parse_cpuinfo`] reads Linux's `/proc/cpuinfo` on x86 and ARM.

#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(windows)]
pub mod windows;

use census_shared::report::Cpu;
use std::collections::BTreeSet;

/// Summarise `/proc/cpuinfo`.
pub fn parse_cpuinfo(text: &str) -> Cpu {
    let mut cpu = Cpu::default();
    let mut logical = 0u32;
    let mut packages = BTreeSet::new();
    let mut cores = BTreeSet::new();
    let mut cores_per_package: Option<u32> = None;
    let mut mhz: Option<f64> = None;
    let mut package = String::new();
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        match k {
            "processor" => {
                logical += 1;
                package.clear();
            }
            "model name" | "Model" | "cpu model" if cpu.model.is_none() && !v.is_empty() => {
                cpu.model = Some(v.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            "vendor_id" if cpu.vendor.is_none() => cpu.vendor = Some(v.to_string()),
            "CPU implementer" if cpu.vendor.is_none() => {
                cpu.vendor = Some(arm_implementer(v).unwrap_or(v).to_string());
            }
            "physical id" => {
                package = v.to_string();
                packages.insert(v.to_string());
            }
            "core id" => {
                cores.insert((package.clone(), v.to_string()));
            }
            "cpu cores" => cores_per_package = v.parse().ok(),
            "cpu MHz" => {
                if let Ok(f) = v.parse::<f64>() {
                    mhz = Some(mhz.map_or(f, |m: f64| m.max(f)));
                }
            }
            _ => {}
        }
    }
    if logical > 0 {
        cpu.logical_cores = Some(logical);
    }
    if !packages.is_empty() {
        cpu.sockets = Some(packages.len() as u32);
    }
    cpu.physical_cores = if !cores.is_empty() {
        Some(cores.len() as u32)
    } else {
        cores_per_package.map(|c| c * cpu.sockets.unwrap_or(1))
    };
    cpu.mhz = mhz.map(|m| m.round() as u32);
    cpu
}

/// ARM's "CPU implementer" codes.
fn arm_implementer(code: &str) -> Option<&'static str> {
    Some(match code.to_ascii_lowercase().as_str() {
        "0x41" => "ARM",
        "0x42" => "Broadcom",
        "0x43" => "Cavium",
        "0x48" => "HiSilicon",
        "0x4e" => "NVIDIA",
        "0x51" => "Qualcomm",
        "0x61" => "Apple",
        "0xc0" => "Ampere",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_SOCKETS: &str = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)   Silver 4210 CPU @ 2.20GHz\nphysical id\t: 0\ncore id\t\t: 0\ncpu cores\t: 2\ncpu MHz\t\t: 2200.000\n\nprocessor\t: 1\nphysical id\t: 0\ncore id\t\t: 1\ncpu MHz\t\t: 2190.5\n\nprocessor\t: 2\nphysical id\t: 1\ncore id\t\t: 0\n\nprocessor\t: 3\nphysical id\t: 1\ncore id\t\t: 0\n";

    #[test]
    fn sockets_cores_threads() {
        let c = parse_cpuinfo(TWO_SOCKETS);
        assert_eq!(
            c.model.as_deref(),
            Some("Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz")
        );
        assert_eq!(c.vendor.as_deref(), Some("GenuineIntel"));
        assert_eq!(
            (c.sockets, c.physical_cores, c.logical_cores),
            (Some(2), Some(3), Some(4))
        );
        assert_eq!(c.mhz, Some(2200));
    }

    #[test]
    fn arm_without_packages() {
        let c = parse_cpuinfo(
            "processor : 0\nBogoMIPS : 108.00\nCPU implementer : 0x41\n\nprocessor : 1\nCPU implementer : 0x41\n\nModel : Raspberry Pi 4 Model B Rev 1.4\n",
        );
        assert_eq!(c.vendor.as_deref(), Some("ARM"));
        assert_eq!(c.logical_cores, Some(2));
        assert_eq!(c.sockets, None);
        assert_eq!(c.model.as_deref(), Some("Raspberry Pi 4 Model B Rev 1.4"));
    }
}
