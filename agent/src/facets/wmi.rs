//! WMI rows as portable data: a WMI instance is a map from property name to
//! a JSON value (`HashMap<String, Value>`), exactly as the Windows shell
//! deserialises it. The helpers here read those maps the way WMI fills them
//! (64-bit integers arrive as strings, dates as CIM datetimes, blanks and
//! OEM placeholders as empty strings), so the conversions to report types can
//! be unit-tested on Linux with recorded rows. The Windows-only query runner
//! is [`crate::facets::wmi_windows`].

use crate::facets::hardware::smbios;
use census_shared::report::{
    Bios, Board, ChassisType, Cpu, Disk, DiskKind, Hardware, MemoryModule, OsInfo,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;

pub use super::wmi_thread::{ThreadError, on_own_thread};

/// One WMI instance: property name → value.
pub type WmiRow = HashMap<String, Value>;

/// A property as trimmed, non-empty text (numbers are printed).
pub fn text(row: &WmiRow, key: &str) -> Option<String> {
    match row.get(key)? {
        Value::String(s) => {
            let s = s.trim().trim_matches('\0').trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A property as an unsigned integer; WMI sends `uint64` as a decimal string.
pub fn uint(row: &WmiRow, key: &str) -> Option<u64> {
    match row.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A property as a boolean (`true`/`false`, or a number where 0 is false).
pub fn boolean(row: &WmiRow, key: &str) -> Option<bool> {
    match row.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_u64().map(|v| v != 0),
        _ => None,
    }
}

/// An array property as unsigned integers (`ChassisTypes`).
pub fn uints(row: &WmiRow, key: &str) -> Vec<u64> {
    match row.get(key) {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_u64).collect(),
        Some(Value::Number(n)) => n.as_u64().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A CIM datetime (`20230615093000.000000+060`) as UTC. The offset is in
/// minutes; `*` fields (unknown) make the value unknown.
pub fn cim_datetime(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let local = NaiveDateTime::parse_from_str(raw.get(..14)?, "%Y%m%d%H%M%S").ok()?;
    let offset_min: i64 = raw
        .get(21..)
        .and_then(|o| o.parse().ok())
        .unwrap_or_default();
    Some((local - chrono::Duration::minutes(offset_min)).and_utc())
}

/// A CIM datetime's date as `YYYY-MM-DD` (BIOS release dates).
pub fn cim_date(raw: &str) -> Option<String> {
    let d = NaiveDate::parse_from_str(raw.trim().get(..8)?, "%Y%m%d").ok()?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// Hardware identity from `Win32_ComputerSystem`, `Win32_ComputerSystemProduct`,
/// `Win32_BIOS`, `Win32_BaseBoard` and `Win32_SystemEnclosure` (first
/// instance of each; any may be missing).
pub fn hardware(
    cs: Option<&WmiRow>,
    product: Option<&WmiRow>,
    bios: Option<&WmiRow>,
    board: Option<&WmiRow>,
    enclosure: Option<&WmiRow>,
) -> Hardware {
    let empty = WmiRow::new();
    let cs = cs.unwrap_or(&empty);
    let product = product.unwrap_or(&empty);
    let bios = bios.unwrap_or(&empty);
    let board = board.unwrap_or(&empty);
    let enclosure = enclosure.unwrap_or(&empty);
    Hardware {
        manufacturer: text(cs, "Manufacturer").or_else(|| text(product, "Vendor")),
        model: text(cs, "Model").or_else(|| text(product, "Name")),
        family: text(cs, "SystemFamily"),
        sku: text(cs, "SystemSKUNumber"),
        serial: text(product, "IdentifyingNumber").or_else(|| text(bios, "SerialNumber")),
        uuid: text(product, "UUID")
            .filter(|u| {
                !u.chars()
                    .all(|c| c == '0' || c == '-' || c == 'F' || c == 'f')
            })
            .map(|u| u.to_ascii_lowercase()),
        board: Board {
            vendor: text(board, "Manufacturer"),
            model: text(board, "Product"),
            version: text(board, "Version"),
            serial: text(board, "SerialNumber"),
        },
        chassis_type: uints(enclosure, "ChassisTypes")
            .into_iter()
            .find_map(|c| ChassisType::from_smbios(c as u8)),
        chassis_serial: text(enclosure, "SerialNumber"),
        asset_tag: text(enclosure, "SMBIOSAssetTag"),
        bios: Bios {
            vendor: text(bios, "Manufacturer"),
            version: text(bios, "SMBIOSBIOSVersion").or_else(|| text(bios, "Version")),
            date: text(bios, "ReleaseDate").and_then(|d| cim_date(&d)),
        },
        source: Some("wmi".into()),
        unavailable_reason: None,
    }
}

/// Processors from `Win32_Processor` (one row per socket).
pub fn cpu(rows: &[WmiRow]) -> Cpu {
    let Some(first) = rows.first() else {
        return Cpu::default();
    };
    let sum = |k: &str| -> Option<u32> {
        let v: Vec<u64> = rows.iter().filter_map(|r| uint(r, k)).collect();
        (!v.is_empty()).then(|| v.iter().sum::<u64>() as u32)
    };
    Cpu {
        model: text(first, "Name"),
        vendor: text(first, "Manufacturer"),
        sockets: Some(rows.len() as u32),
        physical_cores: sum("NumberOfCores"),
        logical_cores: sum("NumberOfLogicalProcessors"),
        mhz: uint(first, "MaxClockSpeed").map(|v| v as u32),
    }
}

/// Memory modules from `Win32_PhysicalMemory`.
pub fn memory_modules(rows: &[WmiRow]) -> Vec<MemoryModule> {
    rows.iter()
        .map(|r| MemoryModule {
            slot: text(r, "DeviceLocator").or_else(|| text(r, "BankLabel")),
            size_bytes: uint(r, "Capacity"),
            kind: uint(r, "SMBIOSMemoryType")
                .and_then(|c| smbios::memory_type(c as u8))
                .map(String::from),
            form_factor: uint(r, "FormFactor")
                .and_then(cim_form_factor)
                .map(String::from),
            speed_mts: uint(r, "ConfiguredClockSpeed")
                .filter(|&v| v > 0)
                .or_else(|| uint(r, "Speed"))
                .filter(|&v| v > 0)
                .map(|v| v as u32),
            manufacturer: text(r, "Manufacturer"),
            part_number: text(r, "PartNumber"),
            serial: text(r, "SerialNumber"),
        })
        .collect()
}

/// `Win32_PhysicalMemory.FormFactor` is the CIM enumeration, not the
/// SMBIOS one (CIM 8 is DIMM, 12 SODIMM).
pub fn cim_form_factor(code: u64) -> Option<&'static str> {
    Some(match code {
        7 => "SIMM",
        8 => "DIMM",
        11 => "RIMM",
        12 => "SODIMM",
        13 => "SRIMM",
        21 | 22 => "BGA",
        23 => "LGA",
        1..=23 => "Other",
        _ => return None,
    })
}

/// Physical disks from `Win32_DiskDrive`. The kind is only set when the
/// model names it (`NVMe`, `SSD`, `Virtual`): the class reports NVMe drives
/// as "SCSI" and has no rotation rate.
pub fn disks(rows: &[WmiRow]) -> Vec<Disk> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let model = text(r, "Model");
            let bus = text(r, "InterfaceType");
            let media = text(r, "MediaType").unwrap_or_default();
            let kind = match (bus.as_deref(), model.as_deref()) {
                (_, Some(m)) if m.to_ascii_lowercase().contains("nvme") => Some(DiskKind::Nvme),
                (_, Some(m)) if m.to_ascii_lowercase().contains("virtual") => {
                    Some(DiskKind::Virtual)
                }
                (_, Some(m)) if m.contains("SSD") => Some(DiskKind::Ssd),
                _ => None,
            };
            Disk {
                // `\\.\PHYSICALDRIVE0`; wine leaves DeviceID empty, so
                // fall back to the index.
                name: text(r, "DeviceID")
                    .map(|d| d.trim_start_matches("\\\\.\\").to_string())
                    .or_else(|| uint(r, "Index").map(|n| format!("PHYSICALDRIVE{n}")))
                    .unwrap_or_else(|| format!("PHYSICALDRIVE{i}")),
                model,
                vendor: text(r, "Manufacturer").filter(|m| m != "(Standard disk drives)"),
                serial: text(r, "SerialNumber"),
                firmware: text(r, "FirmwareRevision"),
                size_bytes: uint(r, "Size"),
                kind,
                removable: media.starts_with("Removable") || bus.as_deref() == Some("USB"),
                bus: bus.map(|b| b.to_ascii_lowercase()),
            }
        })
        .collect()
}

/// Operating system from `Win32_OperatingSystem`.
pub fn os(row: &WmiRow) -> OsInfo {
    let caption = text(row, "Caption");
    OsInfo {
        family: Some("windows".into()),
        name: caption
            .as_deref()
            .map(|c| c.trim_start_matches("Microsoft ").to_string()),
        version: text(row, "Version"),
        pretty_name: caption,
        id: Some("windows".into()),
        id_like: Vec::new(),
        build: text(row, "BuildNumber"),
        kernel: text(row, "Version"),
        arch: text(row, "OSArchitecture"),
        install_date: text(row, "InstallDate").and_then(|d| cim_datetime(&d)),
        support_end: None,
        activation: None,
    }
}

/// Parse rows recorded as a JSON array of objects (tests and `--root` runs).
pub fn rows_from_json(text: &str) -> Result<Vec<WmiRow>, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> WmiRow {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn values_as_wmi_sends_them() {
        let r = row(
            json!({"Capacity": "17179869184", "Speed": 3200, "Blank": "  ", "Part": "M471A2K43DB1-CWE   ", "On": true, "Types": [10, 9]}),
        );
        assert_eq!(uint(&r, "Capacity"), Some(17_179_869_184));
        assert_eq!(uint(&r, "Speed"), Some(3200));
        assert_eq!(text(&r, "Blank"), None);
        assert_eq!(text(&r, "Part").as_deref(), Some("M471A2K43DB1-CWE"));
        assert_eq!(text(&r, "Missing"), None);
        assert_eq!(boolean(&r, "On"), Some(true));
        assert_eq!(uints(&r, "Types"), vec![10, 9]);
    }

    #[test]
    fn cim_datetimes() {
        assert_eq!(
            cim_datetime("20240312081500.500000+060")
                .unwrap()
                .to_rfc3339(),
            "2024-03-12T07:15:00+00:00"
        );
        assert_eq!(
            cim_date("20230615000000.000000+000").as_deref(),
            Some("2023-06-15")
        );
        assert_eq!(cim_datetime("garbage"), None);
    }

    fn recorded(name: &str) -> Vec<WmiRow> {
        let all: HashMap<String, Vec<WmiRow>> =
            serde_json::from_str(include_str!("../../fixtures/windows/wmi.json")).unwrap();
        all.get(name).cloned().unwrap_or_default()
    }

    #[test]
    fn hardware_from_recorded_rows() {
        let one = |n| recorded(n).into_iter().next();
        let hw = hardware(
            one("Win32_ComputerSystem").as_ref(),
            one("Win32_ComputerSystemProduct").as_ref(),
            one("Win32_BIOS").as_ref(),
            one("Win32_BaseBoard").as_ref(),
            one("Win32_SystemEnclosure").as_ref(),
        );
        assert_eq!(hw.manufacturer.as_deref(), Some("LENOVO"));
        assert_eq!(hw.model.as_deref(), Some("20XWCTO1WW"));
        assert_eq!(hw.family.as_deref(), Some("ThinkPad T14 Gen 2i"));
        assert_eq!(hw.serial.as_deref(), Some("PF2ABCDE"));
        assert_eq!(
            hw.uuid.as_deref(),
            Some("4c4c4544-0042-3510-8052-b4c04f4e3732")
        );
        assert_eq!(hw.board.serial.as_deref(), Some("L1HF12345AB"));
        assert_eq!(hw.chassis_type, Some(ChassisType::Laptop));
        assert_eq!(hw.asset_tag.as_deref(), Some("OFFICE-0042"));
        assert_eq!(hw.bios.version.as_deref(), Some("N34ET53W (1.53 )"));
        assert_eq!(hw.bios.date.as_deref(), Some("2023-01-12"));
        assert_eq!(hw.source.as_deref(), Some("wmi"));
    }

    #[test]
    fn cpu_memory_disks_os_from_recorded_rows() {
        let c = cpu(&recorded("Win32_Processor"));
        assert_eq!(
            c.model.as_deref(),
            Some("11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz")
        );
        assert_eq!(
            (c.sockets, c.physical_cores, c.logical_cores, c.mhz),
            (Some(1), Some(4), Some(8), Some(1498))
        );

        let m = memory_modules(&recorded("Win32_PhysicalMemory"));
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].slot.as_deref(), Some("ChannelA-DIMM0"));
        assert_eq!(m[0].size_bytes, Some(8 << 30));
        assert_eq!(m[0].kind.as_deref(), Some("DDR4"));
        assert_eq!(m[0].form_factor.as_deref(), Some("SODIMM"));
        assert_eq!(m[0].speed_mts, Some(3200));
        assert_eq!(m[1].serial.as_deref(), Some("2A3B4C5D"));

        let d = disks(&recorded("Win32_DiskDrive"));
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].name, "PHYSICALDRIVE0");
        assert_eq!(d[0].serial.as_deref(), Some("0025_388B_91B2_3C41."));
        // Win32_DiskDrive calls NVMe "SCSI"; the model does not say it either.
        assert_eq!(d[0].kind, None);
        assert_eq!(d[0].size_bytes, Some(512_105_932_800));
        assert_eq!(d[0].vendor, None);
        assert!(d[1].removable);
        assert_eq!(d[1].bus.as_deref(), Some("usb"));

        let o = os(&recorded("Win32_OperatingSystem")[0]);
        assert_eq!(o.name.as_deref(), Some("Windows 11 Pro"));
        assert_eq!(o.version.as_deref(), Some("10.0.22631"));
        assert_eq!(o.build.as_deref(), Some("22631"));
        assert_eq!(o.arch.as_deref(), Some("64-bit"));
        assert_eq!(
            o.install_date.unwrap().to_rfc3339(),
            "2023-02-01T09:12:44+00:00"
        );
    }
}
