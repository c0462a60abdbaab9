//! `storage` on Windows: physical disks with serials from `Win32_DiskDrive`,
//! their kind and bus from `MSFT_PhysicalDisk` (`root\Microsoft\Windows\Storage`,
//! Windows 8 and later: where it is missing, as under wine, the disks keep
//! what `Win32_DiskDrive` said), and the fixed volumes from the volume API
//! per drive letter (not `Win32_LogicalDisk`, which is empty under wine).
//! The security facet adds BitLocker state to the volumes.

use super::win_volumes::{RawVolume, apply_physical_disks, volumes};
use crate::facets::wmi;
use crate::facets::wmi_windows::{TIMEOUT, WmiError, query_in, rows_or_error};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use windows::Win32::Storage::FileSystem::{
    GetDiskFreeSpaceExW, GetDriveTypeW, GetLogicalDriveStringsW, GetVolumeInformationW,
};
use windows::core::HSTRING;

/// The Windows `storage` facet.
pub struct Storage;

impl Facet for Storage {
    fn name(&self) -> &'static str {
        "storage"
    }

    fn collect(&self, _p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let disks = rows_or_error(
            r,
            "storage",
            "SELECT DeviceID, Index, Model, Manufacturer, SerialNumber, FirmwareRevision, Size, InterfaceType, MediaType FROM Win32_DiskDrive",
        );
        r.storage.disks = wmi::disks(&disks);
        match query_in(
            "ROOT\\Microsoft\\Windows\\Storage",
            "SELECT DeviceId, MediaType, BusType FROM MSFT_PhysicalDisk",
            TIMEOUT,
        ) {
            Ok(rows) => apply_physical_disks(&mut r.storage.disks, &rows),
            Err(e @ WmiError::Timeout { .. }) => r.error("storage", format!("disk kinds: {e}")),
            // No Storage namespace (before Windows 8, wine): kinds stay unknown.
            Err(e) => tracing::debug!("{e}"),
        }
        r.storage.volumes = volumes(&drives());
        Ok(())
    }
}

/// Every drive letter with what the volume API says of it. Only fixed
/// drives are asked for their file system and sizes: a network or
/// removable drive can keep the call waiting.
fn drives() -> Vec<RawVolume> {
    let mut buf = vec![0u16; 512];
    // SAFETY: the buffer's length is passed with it.
    let n = unsafe { GetLogicalDriveStringsW(Some(&mut buf)) } as usize;
    if n == 0 || n > buf.len() {
        return Vec::new();
    }
    buf[..n]
        .split(|&c| c == 0)
        .filter(|s| !s.is_empty())
        .map(|root| {
            let root = String::from_utf16_lossy(root);
            let path = HSTRING::from(root.as_str());
            // SAFETY: a NUL-terminated path.
            let drive_type = unsafe { GetDriveTypeW(&path) };
            let mut v = RawVolume {
                root,
                drive_type,
                filesystem: None,
                total_bytes: None,
                free_bytes: None,
            };
            if drive_type == super::win_volumes::DRIVE_FIXED {
                let mut fs = [0u16; 64];
                // SAFETY: buffers with their lengths; the rest not asked for.
                if unsafe { GetVolumeInformationW(&path, None, None, None, None, Some(&mut fs)) }
                    .is_ok()
                {
                    let end = fs.iter().position(|&c| c == 0).unwrap_or(fs.len());
                    v.filesystem = Some(String::from_utf16_lossy(&fs[..end]));
                }
                let (mut free, mut total) = (0u64, 0u64);
                // SAFETY: out-pointers to locals.
                if unsafe { GetDiskFreeSpaceExW(&path, Some(&mut free), Some(&mut total), None) }
                    .is_ok()
                {
                    v.total_bytes = Some(total);
                    v.free_bytes = Some(free);
                }
            }
            v
        })
        .collect()
}
