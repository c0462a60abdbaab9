//! `storage` on macOS: `diskutil list -plist` names the whole disks and
//! the mounted volumes, `diskutil info -plist` describes each (physical
//! disks only; APFS containers and disk images are virtual), `system_profiler
//! SPNVMeDataType SPSerialATADataType -json` adds serials and firmware, and
//! `statvfs(3)` the free space as on Linux.

use super::apple::{disk_info, disk_list, disk_serials, reportable_mount, volume_info};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The macOS `storage` facet.
pub struct Storage;

impl Facet for Storage {
    fn name(&self) -> &'static str {
        "storage"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let list = match p.run("diskutil", &["list", "-plist"]) {
            Ok(Some(out)) => disk_list(&out).ok_or_else(|| {
                FacetError::Command(std::io::Error::other(
                    "`diskutil list -plist` gave no plist",
                ))
            })?,
            Ok(None) => return Err(FacetError::Unsupported),
            Err(e) => return Err(FacetError::Command(e)),
        };
        let info = |id: &str, r: &mut HostReport| match p.run("diskutil", &["info", "-plist", id]) {
            Ok(out) => out,
            Err(e) => {
                r.error("storage", format!("{id}: {e}"));
                None
            }
        };
        let serials = p
            .run(
                "system_profiler",
                &["SPNVMeDataType", "SPSerialATADataType", "-json"],
            )
            .ok()
            .flatten()
            .map(|j| disk_serials(&j))
            .unwrap_or_default();
        for id in &list.whole_disks {
            if let Some(mut d) = info(id, r).and_then(|t| disk_info(&t)) {
                if let Some((serial, firmware)) = serials.get(&d.name) {
                    d.serial = Some(serial.clone());
                    d.firmware = firmware.clone();
                }
                r.storage.disks.push(d);
            }
        }
        for (id, mount_point) in &list.mounted {
            if !reportable_mount(mount_point) {
                continue;
            }
            if let Some(mut v) = info(id, r).and_then(|t| volume_info(&t)) {
                if let Some(space) = p.system().statvfs(&v.mount_point) {
                    v.size_bytes = Some(space.size_bytes);
                    v.free_bytes = Some(space.free_bytes);
                }
                r.storage.volumes.push(v);
            }
        }
        Ok(())
    }
}
