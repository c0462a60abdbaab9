//! macOS hardware facts as data: `system_profiler SPHardwareDataType -json`
//! (model, serial, hardware UUID, chip or CPU, cores, memory, boot ROM),
//! `ioreg -rd1 -c IOPlatformExpertDevice` (IOKit's serial, UUID, maker and
//! model, which need no system_profiler) and `sw_vers`. Portable, tested on
//! recorded outputs in `agent/fixtures/macos/`.

use census_shared::report::{Bios, ChassisType, Cpu, Hardware, OsInfo};
use serde_json::Value;
use std::collections::BTreeMap;

/// What one `system_profiler SPHardwareDataType -json` run says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub hardware: Hardware,
    pub cpu: Cpu,
    pub memory_bytes: Option<u64>,
}

/// "16 GB" / "512 MB" → bytes.
pub fn size_bytes(s: &str) -> Option<u64> {
    let mut it = s.split_whitespace();
    let n: f64 = it.next()?.parse().ok()?;
    let unit: u64 = match it.next()?.to_ascii_uppercase().as_str() {
        "KB" => 1 << 10,
        "MB" => 1 << 20,
        "GB" => 1 << 30,
        "TB" => 1 << 40,
        _ => return None,
    };
    Some((n * unit as f64) as u64)
}

/// The chassis of a Mac from its marketing name ("MacBook Pro", "iMac").
pub fn chassis(machine_name: &str) -> Option<ChassisType> {
    let n = machine_name.to_ascii_lowercase();
    Some(if n.contains("macbook") {
        ChassisType::Laptop
    } else if n.contains("imac") {
        ChassisType::AllInOne
    } else if n.contains("mini") || n.contains("studio") {
        ChassisType::Mini
    } else if n.contains("mac pro") {
        ChassisType::Tower
    } else if n.contains("virtual") {
        ChassisType::Vm
    } else {
        return None;
    })
}

/// Parse `system_profiler SPHardwareDataType -json`.
pub fn system_profiler(json: &str) -> Option<Profile> {
    let v: Value = serde_json::from_str(json).ok()?;
    let h = v.get("SPHardwareDataType")?.as_array()?.first()?;
    let s = |k: &str| {
        h.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let n = |k: &str| -> Option<u32> {
        match h.get(k)? {
            Value::Number(n) => n.as_u64().map(|v| v as u32),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let machine_name = s("machine_name");
    let hardware = Hardware {
        manufacturer: Some("Apple Inc.".into()),
        model: s("machine_model"),
        family: machine_name.clone(),
        sku: s("model_number"),
        serial: s("serial_number"),
        uuid: s("platform_UUID").map(|u| u.to_ascii_lowercase()),
        chassis_type: machine_name.as_deref().and_then(chassis),
        bios: Bios {
            vendor: Some("Apple Inc.".into()),
            version: s("boot_rom_version"),
            date: None,
        },
        source: Some("system_profiler".into()),
        ..Default::default()
    };
    // Apple silicon: "chip_type" and "number_processors": "proc 10:8:2"
    // (total:performance:efficiency). Intel: "cpu_type", "packages",
    // "number_processors" (cores) and "current_processor_speed".
    let cpu = if let Some(chip) = s("chip_type") {
        let cores = s("number_processors").and_then(|p| {
            p.trim_start_matches("proc ")
                .split(':')
                .next()
                .and_then(|c| c.parse().ok())
        });
        Cpu {
            model: Some(chip),
            vendor: Some("Apple".into()),
            sockets: Some(1),
            physical_cores: cores,
            logical_cores: cores,
            mhz: None,
        }
    } else {
        Cpu {
            model: s("cpu_type"),
            vendor: s("cpu_type")
                .filter(|t| t.contains("Intel"))
                .map(|_| "GenuineIntel".into()),
            sockets: n("packages"),
            physical_cores: n("number_processors"),
            logical_cores: None,
            mhz: s("current_processor_speed").and_then(|sp| {
                let mut it = sp.split_whitespace();
                // Localised: "3,1 GHz" on a Dutch Mac.
                let v: f64 = it.next()?.replace(',', ".").parse().ok()?;
                match it.next()? {
                    "GHz" => Some((v * 1000.0).round() as u32),
                    "MHz" => Some(v.round() as u32),
                    _ => None,
                }
            }),
        }
    };
    Some(Profile {
        hardware,
        cpu,
        memory_bytes: s("physical_memory").and_then(|m| size_bytes(&m)),
    })
}

/// `"key" = "value"` and `"key" = <"value">` lines of `ioreg -rd1`.
pub fn ioreg_properties(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.trim().split_once(" = ")?;
            let k = k.trim().strip_prefix('"')?.strip_suffix('"')?;
            let v = v.trim();
            let v = v
                .strip_prefix('<')
                .and_then(|v| v.strip_suffix('>'))
                .unwrap_or(v);
            let v = v.strip_prefix('"')?.strip_suffix('"')?;
            Some((k.to_string(), v.to_string()))
        })
        .collect()
}

/// Hardware identity from `ioreg -rd1 -c IOPlatformExpertDevice`.
pub fn ioreg_hardware(text: &str) -> Hardware {
    let p = ioreg_properties(text);
    let g = |k: &str| p.get(k).cloned().filter(|v| !v.is_empty());
    Hardware {
        manufacturer: g("manufacturer"),
        model: g("model"),
        serial: g("IOPlatformSerialNumber"),
        uuid: g("IOPlatformUUID").map(|u| u.to_ascii_lowercase()),
        source: Some("ioreg".into()),
        ..Default::default()
    }
}

/// `sw_vers` (`ProductName:\tmacOS` …) → the OS part.
pub fn sw_vers(text: &str) -> OsInfo {
    let m: BTreeMap<&str, &str> = text
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let name = m.get("ProductName").map(|s| s.to_string());
    let version = m.get("ProductVersion").map(|s| s.to_string());
    OsInfo {
        family: Some("macos".into()),
        pretty_name: match (&name, &version) {
            (Some(n), Some(v)) => Some(format!("{n} {v}")),
            _ => name.clone(),
        },
        name,
        version,
        id: Some("macos".into()),
        build: m.get("BuildVersion").map(|s| s.to_string()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_silicon_profile() {
        let p = system_profiler(include_str!(
            "../../../fixtures/macos/system_profiler_m1.json"
        ))
        .unwrap();
        let h = &p.hardware;
        assert_eq!(h.model.as_deref(), Some("MacBookPro18,3"));
        assert_eq!(h.family.as_deref(), Some("MacBook Pro"));
        assert_eq!(h.serial.as_deref(), Some("FVFGK0ABQ6L4"));
        assert_eq!(
            h.uuid.as_deref(),
            Some("6b9e5d2a-1c3f-5e7a-9b8d-0a1b2c3d4e5f")
        );
        assert_eq!(h.chassis_type, Some(ChassisType::Laptop));
        assert_eq!(h.bios.version.as_deref(), Some("10151.121.1"));
        assert_eq!(h.sku.as_deref(), Some("MKGR3LL/A"));
        assert_eq!(p.cpu.model.as_deref(), Some("Apple M1 Pro"));
        assert_eq!(p.cpu.physical_cores, Some(8));
        assert_eq!(p.memory_bytes, Some(16 << 30));
    }

    #[test]
    fn intel_profile() {
        let p = system_profiler(include_str!(
            "../../../fixtures/macos/system_profiler_intel.json"
        ))
        .unwrap();
        assert_eq!(p.hardware.model.as_deref(), Some("iMac20,1"));
        assert_eq!(p.hardware.chassis_type, Some(ChassisType::AllInOne));
        assert_eq!(p.cpu.model.as_deref(), Some("6-Core Intel Core i5"));
        assert_eq!(p.cpu.vendor.as_deref(), Some("GenuineIntel"));
        assert_eq!(
            (p.cpu.sockets, p.cpu.physical_cores, p.cpu.mhz),
            (Some(1), Some(6), Some(3100))
        );
        assert_eq!(p.memory_bytes, Some(8 << 30));
        assert_eq!(system_profiler("{}"), None);
    }

    #[test]
    fn ioreg_platform_expert() {
        let h = ioreg_hardware(include_str!("../../../fixtures/macos/ioreg_platform.txt"));
        assert_eq!(h.manufacturer.as_deref(), Some("Apple Inc."));
        assert_eq!(h.model.as_deref(), Some("MacBookPro18,3"));
        assert_eq!(h.serial.as_deref(), Some("FVFGK0ABQ6L4"));
        assert_eq!(
            h.uuid.as_deref(),
            Some("6b9e5d2a-1c3f-5e7a-9b8d-0a1b2c3d4e5f")
        );
    }

    #[test]
    fn sw_vers_output() {
        let o =
            sw_vers("ProductName:\t\tmacOS\nProductVersion:\t\t14.4.1\nBuildVersion:\t\t23E224\n");
        assert_eq!(o.name.as_deref(), Some("macOS"));
        assert_eq!(o.version.as_deref(), Some("14.4.1"));
        assert_eq!(o.build.as_deref(), Some("23E224"));
        assert_eq!(o.pretty_name.as_deref(), Some("macOS 14.4.1"));
    }
}
