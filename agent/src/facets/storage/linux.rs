//! `storage` on Linux: disks from `/sys/block` and the udev database
//! (`/run/udev/data`), volumes from the mount table with `statvfs(3)`,
//! encryption from device-mapper (`dm/uuid` `CRYPT-…`, followed through LVM).
//!
//! The mount table is init's (`/proc/1/mounts`) when readable, else the
//! agent's own: the agent's service runs in its own mount namespace
//! (systemd's `ProtectSystem=`, `PrivateTmp=`, `ReadWritePaths=`), where
//! bind mounts of the root file system (`/tmp`, `/home`, the state
//! directory) would otherwise show up as volumes the machine does not have.

use super::{interesting, parse_mounts, udev_decode, udev_properties};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::{Disk, DiskKind, Volume};

/// The Linux `storage` facet.
pub struct Storage;

/// Block devices that are not disks.
const SKIP: &[&str] = &["loop", "ram", "zram", "dm-", "md", "sr", "nbd", "fd", "zd"];

impl Facet for Storage {
    fn name(&self) -> &'static str {
        "storage"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        for name in p.list("/sys/block") {
            if SKIP.iter().any(|s| name.starts_with(s)) {
                continue;
            }
            r.storage.disks.push(disk(p, &name));
        }
        let mounts = p
            .read("/proc/1/mounts")
            .or_else(|_| p.read("/proc/self/mounts"))
            .or_else(|_| p.read("/proc/mounts"))
            .map_err(|e| FacetError::read("/proc/self/mounts", e))?;
        for m in interesting(parse_mounts(&mounts)) {
            if p.is_file(&m.mount_point) {
                continue; // a bind-mounted file (Docker's /etc/hosts), not a volume
            }
            let space = p.system().statvfs(&m.mount_point);
            let (encrypted, encryption) = encryption(p, &m.device, &m.fstype);
            r.storage.volumes.push(Volume {
                mount_point: m.mount_point,
                device: Some(m.device),
                filesystem: Some(m.fstype),
                size_bytes: space.map(|s| s.size_bytes),
                free_bytes: space.map(|s| s.free_bytes),
                encrypted,
                encryption,
            });
        }
        Ok(())
    }
}

fn disk(p: &Probe, name: &str) -> Disk {
    let base = format!("/sys/block/{name}");
    let get = |f: &str| p.read_opt(&format!("{base}/{f}"));
    let udev = get("dev")
        .and_then(|dev| p.read(&format!("/run/udev/data/b{dev}")).ok())
        .map(|t| udev_properties(&t))
        .unwrap_or_default();
    let link = p
        .read_link(&base)
        .map(|l| l.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bus = if name.starts_with("nvme") {
        Some("nvme".to_string())
    } else if name.starts_with("vd") {
        Some("virtio".to_string())
    } else if name.starts_with("xvd") {
        Some("xen".to_string())
    } else if name.starts_with("mmcblk") {
        Some("mmc".to_string())
    } else if let Some(b) = udev.get("ID_BUS") {
        Some(if b == "ata" {
            "sata".to_string()
        } else {
            b.clone()
        })
    } else if link.contains("/usb") {
        Some("usb".to_string())
    } else if link.contains("/ata") {
        Some("sata".to_string())
    } else {
        None
    };
    // SCSI vendors pad to 8 characters; virtio puts a PCI id ("0x1af4") here.
    let raw_vendor = get("device/vendor");
    let vendor = raw_vendor
        .clone()
        .filter(|v| v != "ATA" && !v.is_empty() && !v.starts_with("0x"));
    let udev_model = udev
        .get("ID_MODEL_ENC")
        .map(|m| udev_decode(m))
        .or_else(|| udev.get("ID_MODEL").map(|m| m.replace('_', " ")));
    // libata cuts the ATA model to SCSI's 16 characters in sysfs; udev has it whole.
    let ata = raw_vendor.as_deref() == Some("ATA");
    let model = ata
        .then(|| udev_model.clone())
        .flatten()
        .or_else(|| get("device/model"))
        .or(udev_model)
        .or_else(|| get("device/name"));
    let serial = get("device/serial")
        .or_else(|| udev.get("ID_SERIAL_SHORT").cloned())
        .or_else(|| {
            p.read_bytes(&format!("{base}/device/vpd_pg80"))
                .ok()
                .and_then(|b| vpd_serial(&b))
        });
    let rotational = get("queue/rotational").map(|v| v == "1");
    let virtual_model = model.as_deref().is_some_and(|m| {
        let m = m.to_ascii_lowercase();
        ["qemu", "vbox", "virtual", "vmware"]
            .iter()
            .any(|v| m.contains(v))
    }) || vendor
        .as_deref()
        .is_some_and(|v| v.eq_ignore_ascii_case("QEMU") || v.eq_ignore_ascii_case("VMware"));
    let kind = if name.starts_with("nvme") {
        Some(DiskKind::Nvme)
    } else if matches!(bus.as_deref(), Some("virtio" | "xen")) || virtual_model {
        Some(DiskKind::Virtual)
    } else if bus.as_deref() == Some("usb") {
        // USB bridges mark flash sticks rotational too: only "not rotational" is known.
        rotational.filter(|r| !r).map(|_| DiskKind::Ssd)
    } else {
        rotational.map(|r| if r { DiskKind::Hdd } else { DiskKind::Ssd })
    };
    Disk {
        name: name.to_string(),
        model,
        vendor,
        serial: serial
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().to_string()),
        firmware: get("device/firmware_rev").or_else(|| get("device/rev")),
        size_bytes: get("size")
            .and_then(|s| s.parse::<u64>().ok())
            .map(|s| s * 512),
        kind,
        removable: get("removable").as_deref() == Some("1") || bus.as_deref() == Some("usb"),
        bus,
    }
}

/// The serial in a SCSI unit serial number VPD page (0x80).
fn vpd_serial(b: &[u8]) -> Option<String> {
    let len = *b.get(3)? as usize;
    let s = String::from_utf8_lossy(b.get(4..4 + len)?)
        .trim()
        .to_string();
    (!s.is_empty()).then_some(s)
}

/// Whether the block device behind a mount is encrypted.
fn encryption(p: &Probe, device: &str, fstype: &str) -> (Option<bool>, Option<String>) {
    if !device.starts_with("/dev/") {
        return (None, None); // network share: the server's business
    }
    let Some(dm) = dm_node(p, device) else {
        // A plain partition or disk. ZFS/ecryptfs/fscrypt are not seen here.
        return if fstype == "zfs" {
            (None, None)
        } else {
            (Some(false), None)
        };
    };
    if dm_is_crypt(p, &dm, 0) {
        (Some(true), Some("luks".into()))
    } else {
        (Some(false), None)
    }
}

/// `dm-N` for `/dev/mapper/NAME`, `/dev/dm-N` or `/dev/VG/LV`.
fn dm_node(p: &Probe, device: &str) -> Option<String> {
    let leaf = device.rsplit('/').next()?;
    if leaf.starts_with("dm-") {
        return Some(leaf.to_string());
    }
    let wanted = if device.starts_with("/dev/mapper/") {
        leaf.to_string()
    } else {
        // /dev/VG/LV → VG-LV (dashes inside names doubled).
        let rest = device.strip_prefix("/dev/")?;
        let (vg, lv) = rest.split_once('/')?;
        format!("{}-{}", vg.replace('-', "--"), lv.replace('-', "--"))
    };
    p.list("/sys/block")
        .into_iter()
        .filter(|n| n.starts_with("dm-"))
        .find(|n| p.read_opt(&format!("/sys/block/{n}/dm/name")).as_deref() == Some(&wanted))
}

fn dm_is_crypt(p: &Probe, dm: &str, depth: u8) -> bool {
    if depth > 8 {
        return false;
    }
    if p.read_opt(&format!("/sys/block/{dm}/dm/uuid"))
        .is_some_and(|u| u.starts_with("CRYPT-"))
    {
        return true;
    }
    // LVM on LUKS: a logical volume whose physical volume is a crypt device.
    p.list(&format!("/sys/block/{dm}/slaves"))
        .iter()
        .filter(|s| s.starts_with("dm-"))
        .any(|s| dm_is_crypt(p, s, depth + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_s_mount_table_wins_over_a_service_namespace() {
        let dir = tempfile::tempdir().unwrap();
        let write = |p: &str, text: &str| {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let root = "/dev/vda1 / ext4 rw 0 0\n";
        // What a hardened service sees: the root file system bound again.
        write(
            "proc/self/mounts",
            &format!(
                "{root}/dev/vda1 /tmp ext4 rw 0 0\n/dev/vda1 /var/lib/census-agent ext4 rw 0 0\n"
            ),
        );
        write("proc/1/mounts", root);
        let mut r = HostReport::new("r".into(), Default::default(), chrono::Utc::now());
        Storage.collect(&Probe::at(dir.path()), &mut r).unwrap();
        let points: Vec<_> = r
            .storage
            .volumes
            .iter()
            .map(|v| v.mount_point.as_str())
            .collect();
        assert_eq!(points, ["/"]);
        // Without init's table (a recording), the agent's own is used.
        std::fs::remove_file(dir.path().join("proc/1/mounts")).unwrap();
        let mut r = HostReport::new("r".into(), Default::default(), chrono::Utc::now());
        Storage.collect(&Probe::at(dir.path()), &mut r).unwrap();
        assert_eq!(r.storage.volumes.len(), 3);
    }
}
