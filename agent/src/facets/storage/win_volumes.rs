//! Windows volumes and disk kinds as data. Volumes are what the volume
//! API says of each drive letter (`GetLogicalDriveStringsW`,
//! `GetDriveTypeW`, `GetVolumeInformationW`, `GetDiskFreeSpaceExW`, read
//! in `storage/windows.rs`) rather than `Win32_LogicalDisk`, which is
//! empty under wine and is WMI (slow, can hang); only fixed drives count.
//! Disk kinds come from `MSFT_PhysicalDisk` (`root\Microsoft\Windows\Storage`:
//! `MediaType`, `BusType`) joined to `Win32_DiskDrive`'s disks by number.
//! Portable, tested on recorded values; BitLocker is joined per volume by
//! the security facet.

use crate::facets::wmi::{WmiRow, text, uint};
use census_shared::report::{Disk, DiskKind, Volume};
use serde::Deserialize;

/// `GetDriveTypeW`: a fixed disk.
pub const DRIVE_FIXED: u32 = 3;

/// What the volume API says of one drive letter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RawVolume {
    /// Root path, `C:\`.
    pub root: String,
    /// `GetDriveTypeW`'s answer.
    pub drive_type: u32,
    /// File system name (`NTFS`, `ReFS`, `FAT32`), when readable.
    pub filesystem: Option<String>,
    /// Total bytes, when readable.
    pub total_bytes: Option<u64>,
    /// Bytes available to the caller, when readable.
    pub free_bytes: Option<u64>,
}

/// The fixed drives as report volumes (`C:\`, device `C:`).
pub fn volumes(raw: &[RawVolume]) -> Vec<Volume> {
    raw.iter()
        .filter(|v| v.drive_type == DRIVE_FIXED)
        .map(|v| Volume {
            mount_point: v.root.clone(),
            device: Some(v.root.trim_end_matches('\\').to_string()),
            filesystem: v
                .filesystem
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_ascii_lowercase),
            size_bytes: v.total_bytes,
            free_bytes: v.free_bytes,
            encrypted: None,
            encryption: None,
        })
        .collect()
}

/// `MSFT_PhysicalDisk.BusType` as the report's bus word.
pub fn bus_name(code: u64) -> Option<&'static str> {
    Some(match code {
        1 => "scsi",
        3 => "ata",
        7 => "usb",
        8 => "raid",
        10 => "sas",
        11 => "sata",
        12 => "sd",
        13 => "mmc",
        14 | 15 => "virtual",
        16 => "spaces",
        17 => "nvme",
        _ => return None,
    })
}

/// Set kind and bus of `disks` (named `PHYSICALDRIVE<n>`) from the
/// `MSFT_PhysicalDisk` rows whose `DeviceId` is `<n>`: NVMe by bus, else
/// SSD or HDD by media type (4, 3), virtual by bus; what a row does not
/// say stays as it was.
pub fn apply_physical_disks(disks: &mut [Disk], rows: &[WmiRow]) {
    for row in rows {
        let Some(id) = text(row, "DeviceId") else {
            continue;
        };
        let Some(disk) = disks
            .iter_mut()
            .find(|d| d.name == format!("PHYSICALDRIVE{id}"))
        else {
            continue;
        };
        let bus = uint(row, "BusType");
        let kind = match (bus, uint(row, "MediaType")) {
            (Some(17), _) => Some(DiskKind::Nvme),
            (_, Some(4)) => Some(DiskKind::Ssd),
            (_, Some(3)) => Some(DiskKind::Hdd),
            (Some(14 | 15), _) => Some(DiskKind::Virtual),
            _ => None,
        };
        if kind.is_some() {
            disk.kind = kind;
        }
        if let Some(b) = bus.and_then(bus_name) {
            disk.bus = Some(b.to_string());
            disk.removable |= b == "usb";
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::wmi;

    #[test]
    fn fixed_drives_become_volumes() {
        let raw: Vec<RawVolume> =
            serde_json::from_str(include_str!("../../../fixtures/windows/volumes.json")).unwrap();
        let v = volumes(&raw);
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!(v[0].mount_point, "C:\\");
        assert_eq!(v[0].device.as_deref(), Some("C:"));
        assert_eq!(v[0].filesystem.as_deref(), Some("ntfs"));
        assert_eq!(v[0].size_bytes, Some(511_101_857_792));
        assert_eq!(v[0].free_bytes, Some(201_326_592_000));
        assert_eq!(v[1].filesystem, None, "unreadable file system is unknown");
        assert!(
            v.iter()
                .all(|v| v.mount_point != "E:\\" && v.mount_point != "Z:\\")
        );
    }

    #[test]
    fn physical_disks_give_kind_and_bus() {
        let all: std::collections::HashMap<String, Vec<WmiRow>> =
            serde_json::from_str(include_str!("../../../fixtures/windows/wmi.json")).unwrap();
        let mut disks = wmi::disks(&all["Win32_DiskDrive"]);
        assert_eq!(disks[0].kind, None, "Win32_DiskDrive alone cannot tell");
        apply_physical_disks(&mut disks, &all["MSFT_PhysicalDisk"]);
        assert_eq!(disks[0].kind, Some(DiskKind::Nvme));
        assert_eq!(disks[0].bus.as_deref(), Some("nvme"));
        assert_eq!(
            disks[1].kind, None,
            "a USB stick's media type is unspecified"
        );
        assert_eq!(disks[1].bus.as_deref(), Some("usb"));
        assert!(disks[1].removable);
        // Rows for unknown disks and rows without data change nothing.
        let before = disks.clone();
        let rows: Vec<WmiRow> = serde_json::from_str(
            r#"[{"DeviceId": "7", "MediaType": 3}, {"DeviceId": "0"}, {"MediaType": 4}]"#,
        )
        .unwrap();
        apply_physical_disks(&mut disks, &rows);
        assert_eq!(disks, before);
        let mut hdd = vec![Disk {
            name: "PHYSICALDRIVE2".into(),
            ..Default::default()
        }];
        let rows: Vec<WmiRow> =
            serde_json::from_str(r#"[{"DeviceId": "2", "MediaType": 3, "BusType": 11}]"#).unwrap();
        apply_physical_disks(&mut hdd, &rows);
        assert_eq!(
            (hdd[0].kind, hdd[0].bus.as_deref()),
            (Some(DiskKind::Hdd), Some("sata"))
        );
    }
}
