//! `storage` on Windows: physical disks with serials from `Win32_DiskDrive`,
//! local fixed volumes from `Win32_LogicalDisk` (`DriveType = 3`). The
//! security facet adds BitLocker state to the volumes.

use crate::facets::wmi::{self, text, uint};
use crate::facets::wmi_windows::rows_or_error;
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::Volume;

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
            "SELECT DeviceID, Model, Manufacturer, SerialNumber, FirmwareRevision, Size, InterfaceType, MediaType FROM Win32_DiskDrive",
        );
        r.storage.disks = wmi::disks(&disks);
        let volumes = rows_or_error(
            r,
            "storage",
            "SELECT DeviceID, FileSystem, Size, FreeSpace, VolumeName FROM Win32_LogicalDisk WHERE DriveType = 3",
        );
        r.storage.volumes = volumes
            .iter()
            .filter_map(|v| {
                let id = text(v, "DeviceID")?;
                Some(Volume {
                    mount_point: format!("{id}\\"),
                    device: Some(id),
                    filesystem: text(v, "FileSystem").map(|f| f.to_ascii_lowercase()),
                    size_bytes: uint(v, "Size"),
                    free_bytes: uint(v, "FreeSpace"),
                    encrypted: None,
                    encryption: None,
                })
            })
            .collect();
        Ok(())
    }
}
