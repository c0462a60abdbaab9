//! macOS storage as data: `diskutil list -plist` (whole disks and the
//! mounted partitions, APFS volumes and their mounted snapshots, such as the
//! sealed system snapshot at `/`), `diskutil info -plist <disk>` (model,
//! size, bus, internal or external, SSD or rotational, file system,
//! FileVault) and the serials and firmware that `system_profiler
//! SPNVMeDataType SPSerialATADataType -json` shows. Portable and total:
//! anything that is not the expected plist or JSON gives `None` or nothing.

use census_shared::report::{Disk, DiskKind, Volume};
use plist::{Dictionary, Value};
use std::collections::BTreeMap;

/// What `diskutil list -plist` names: whole disks, and the identifiers of
/// everything mounted (partitions, APFS volumes and snapshots).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiskList {
    /// `disk0`, `disk3`, … (APFS containers included; `diskutil info`
    /// tells them apart as virtual).
    pub whole_disks: Vec<String>,
    /// `(identifier, mount point)` of every mounted volume.
    pub mounted: Vec<(String, String)>,
}

fn parse(text: &str) -> Option<Dictionary> {
    Value::from_reader(std::io::Cursor::new(text.as_bytes()))
        .ok()?
        .into_dictionary()
}

fn s(d: &Dictionary, key: &str) -> Option<String> {
    d.get(key)?
        .as_string()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(String::from)
}

fn b(d: &Dictionary, key: &str) -> Option<bool> {
    d.get(key)?.as_boolean()
}

fn u(d: &Dictionary, key: &str) -> Option<u64> {
    d.get(key)?.as_unsigned_integer()
}

fn dicts<'a>(d: &'a Dictionary, key: &str) -> impl Iterator<Item = &'a Dictionary> {
    d.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_dictionary)
}

/// Parse `diskutil list -plist`; `None` when it is not a plist dictionary.
pub fn disk_list(text: &str) -> Option<DiskList> {
    let d = parse(text)?;
    let mut out = DiskList {
        whole_disks: d
            .get("WholeDisks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_string)
            .map(String::from)
            .collect(),
        ..DiskList::default()
    };
    for disk in dicts(&d, "AllDisksAndPartitions") {
        if out.whole_disks.is_empty() {
            // Old releases leave `WholeDisks` out.
            out.whole_disks.extend(s(disk, "DeviceIdentifier"));
        }
        for part in dicts(disk, "Partitions").chain(dicts(disk, "APFSVolumes")) {
            if let (Some(id), Some(mp)) = (s(part, "DeviceIdentifier"), s(part, "MountPoint")) {
                out.mounted.push((id, mp));
            }
            for snap in dicts(part, "MountedSnapshots") {
                if let (Some(id), Some(mp)) =
                    (s(snap, "SnapshotBSD"), s(snap, "SnapshotMountPoint"))
                {
                    out.mounted.push((id, mp));
                }
            }
        }
    }
    Some(out)
}

/// Whether a mount point is worth a volume in the report: `/`, the data
/// volume and anything else, but not the system's helper volumes under
/// `/System/Volumes/` (Preboot, VM, Update, xarts, …).
pub fn reportable_mount(mount_point: &str) -> bool {
    mount_point == "/System/Volumes/Data" || !mount_point.starts_with("/System/Volumes/")
}

/// A physical disk from `diskutil info -plist diskN`; `None` for anything
/// else (APFS containers and disk images are `Virtual`, partitions are not
/// whole disks).
pub fn disk_info(text: &str) -> Option<Disk> {
    let d = parse(text)?;
    if b(&d, "WholeDisk") == Some(false) || s(&d, "VirtualOrPhysical").as_deref() == Some("Virtual")
    {
        return None;
    }
    let name = s(&d, "DeviceIdentifier")?;
    let protocol = s(&d, "BusProtocol");
    let nvme_like = matches!(
        protocol.as_deref(),
        Some("Apple Fabric" | "PCI-Express" | "PCI")
    );
    let kind = match b(&d, "SolidState") {
        Some(true) if nvme_like => Some(DiskKind::Nvme),
        Some(true) => Some(DiskKind::Ssd),
        Some(false) => Some(DiskKind::Hdd),
        None => None,
    };
    let bus = protocol.map(|p| match p.as_str() {
        "Apple Fabric" | "PCI-Express" | "PCI" => "nvme".to_string(),
        "SATA" => "sata".to_string(),
        "USB" => "usb".to_string(),
        other => other.to_ascii_lowercase(),
    });
    let removable = b(&d, "Internal") == Some(false)
        || b(&d, "RemovableMedia") == Some(true)
        || b(&d, "Removable") == Some(true);
    Some(Disk {
        name,
        model: s(&d, "MediaName"),
        vendor: None,
        serial: None,
        firmware: None,
        size_bytes: u(&d, "TotalSize").or_else(|| u(&d, "Size")),
        kind,
        removable,
        bus,
    })
}

/// A mounted volume from `diskutil info -plist diskNsM`; `None` when it is
/// not mounted. Free space is the volume's (`FreeSpace`) or, on APFS, its
/// container's (`APFSContainerFree`); the facet prefers `statvfs`.
/// Encryption is FileVault's word when present: on Apple silicon every APFS
/// volume is encrypted with a key the hardware holds, but only FileVault
/// ties it to a password.
pub fn volume_info(text: &str) -> Option<Volume> {
    let d = parse(text)?;
    let mount_point = s(&d, "MountPoint")?;
    let filevault = b(&d, "FileVault");
    let encrypted = filevault.or_else(|| b(&d, "Encryption").or_else(|| b(&d, "Encrypted")));
    Some(Volume {
        mount_point,
        device: s(&d, "DeviceNode")
            .or_else(|| s(&d, "DeviceIdentifier").map(|i| format!("/dev/{i}"))),
        filesystem: s(&d, "FilesystemType").map(|f| f.to_ascii_lowercase()),
        size_bytes: u(&d, "TotalSize").or_else(|| u(&d, "Size")),
        free_bytes: u(&d, "FreeSpace")
            .filter(|f| *f > 0)
            .or_else(|| u(&d, "APFSContainerFree")),
        encrypted,
        encryption: match (filevault, encrypted) {
            (Some(true), _) => Some("filevault".into()),
            (_, Some(true)) => Some("apfs".into()),
            _ => None,
        },
    })
}

/// `(serial, firmware)` by BSD name (`disk0`) from `system_profiler
/// SPNVMeDataType SPSerialATADataType -json`: every object, at any depth,
/// that has a `bsd_name` and a `device_serial`.
pub fn disk_serials(json: &str) -> BTreeMap<String, (String, Option<String>)> {
    fn walk(v: &serde_json::Value, out: &mut BTreeMap<String, (String, Option<String>)>) {
        match v {
            serde_json::Value::Object(o) => {
                let text = |k: &str| {
                    o.get(k)
                        .and_then(|v| v.as_str())
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                };
                if let (Some(bsd), Some(serial)) = (text("bsd_name"), text("device_serial")) {
                    out.insert(bsd, (serial, text("device_revision")));
                }
                o.values().for_each(|c| walk(c, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(json) {
        walk(&v, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = format!("{}/fixtures/macos/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn list() {
        let l = disk_list(&fixture("diskutil_list.plist")).unwrap();
        assert_eq!(l.whole_disks, ["disk0", "disk3", "disk4"]);
        let ids: Vec<(&str, &str)> = l
            .mounted
            .iter()
            .map(|(i, m)| (i.as_str(), m.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("disk3s1s1", "/"),
                ("disk3s2", "/System/Volumes/Preboot"),
                ("disk3s5", "/System/Volumes/Data"),
                ("disk3s6", "/System/Volumes/VM"),
                ("disk4s2", "/Volumes/Backup 2TB"),
            ]
        );
        let kept: Vec<&str> = l
            .mounted
            .iter()
            .map(|(_, m)| m.as_str())
            .filter(|m| reportable_mount(m))
            .collect();
        assert_eq!(kept, ["/", "/System/Volumes/Data", "/Volumes/Backup 2TB"]);
    }

    #[test]
    fn disks() {
        let d = disk_info(&fixture("diskutil_info_disk0.plist")).unwrap();
        assert_eq!(
            d,
            Disk {
                name: "disk0".into(),
                model: Some("APPLE SSD AP0512Z".into()),
                vendor: None,
                serial: None,
                firmware: None,
                size_bytes: Some(500_277_790_720),
                kind: Some(DiskKind::Nvme),
                removable: false,
                bus: Some("nvme".into()),
            }
        );
        let usb = disk_info(&fixture("diskutil_info_disk4.plist")).unwrap();
        assert_eq!(usb.model.as_deref(), Some("WD Elements 25A2"));
        assert_eq!(usb.kind, Some(DiskKind::Hdd));
        assert_eq!(usb.bus.as_deref(), Some("usb"));
        assert_eq!(usb.size_bytes, Some(2_000_365_289_472));
        assert!(usb.removable);
        assert_eq!(disk_info(&fixture("diskutil_info_disk3.plist")), None);
        assert_eq!(disk_info(&fixture("diskutil_info_disk3s5.plist")), None);
    }

    #[test]
    fn volumes() {
        let v = volume_info(&fixture("diskutil_info_disk3s5.plist")).unwrap();
        assert_eq!(
            v,
            Volume {
                mount_point: "/System/Volumes/Data".into(),
                device: Some("/dev/disk3s5".into()),
                filesystem: Some("apfs".into()),
                size_bytes: Some(494_384_795_648),
                free_bytes: Some(262_144_000_000),
                encrypted: Some(true),
                encryption: Some("filevault".into()),
            }
        );
        let hfs = volume_info(&fixture("diskutil_info_disk4s2.plist")).unwrap();
        assert_eq!(hfs.mount_point, "/Volumes/Backup 2TB");
        assert_eq!(hfs.filesystem.as_deref(), Some("hfs"));
        assert_eq!(hfs.free_bytes, Some(812_345_678_848));
        assert_eq!((hfs.encrypted, hfs.encryption), (Some(false), None));
        assert_eq!(volume_info(&fixture("diskutil_info_disk0.plist")), None);
    }

    #[test]
    fn serials() {
        let s = disk_serials(&fixture("system_profiler_storage.json"));
        assert_eq!(s.len(), 1);
        assert_eq!(
            s["disk0"],
            ("0ba02a71c1d34e21".to_string(), Some("1161.100".to_string()))
        );
    }

    #[test]
    fn garbage_and_truncated_input() {
        let list = fixture("diskutil_list.plist");
        for cut in [0, 10, list.len() / 3, list.len() / 2, list.len() - 20] {
            let t = &list[..cut];
            assert_eq!(disk_list(t), None, "cut at {cut}");
            assert_eq!(disk_info(t), None);
            assert_eq!(volume_info(t), None);
        }
        for junk in ["", "\u{0}\u{1}bplist00", "<plist><array/></plist>", "{}"] {
            assert_eq!(disk_list(junk), None);
            assert_eq!(disk_info(junk), None);
            assert!(disk_serials(junk).is_empty());
        }
        let json = fixture("system_profiler_storage.json");
        assert!(disk_serials(&json[..json.len() / 2]).is_empty());
        // A dictionary of the wrong shape: nothing, not a panic.
        let odd = "<plist><dict><key>WholeDisks</key><string>disk0</string><key>AllDisksAndPartitions</key><array><integer>1</integer></array></dict></plist>";
        assert_eq!(disk_list(odd), Some(DiskList::default()));
    }
}
