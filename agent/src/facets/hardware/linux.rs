//! `hardware` on Linux: raw SMBIOS tables when readable (root), else the
//! kernel's `/sys/class/dmi/id` files (serials and UUID there are root-only),
//! else the device tree (ARM boards). Says why values are missing instead of
//! inventing them.

use super::{from_smbios, normalize_bios_date, smbios};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::{ChassisType, Hardware as Hw, VirtKind};
use std::io::ErrorKind;

/// The Linux `hardware` facet.
pub struct Hardware;

const DMI: &str = "/sys/class/dmi/id";
/// Raw SMBIOS table.
pub const SMBIOS_TABLE: &str = "/sys/firmware/dmi/tables/DMI";
/// SMBIOS entry point (carries the version).
pub const SMBIOS_ENTRY: &str = "/sys/firmware/dmi/tables/smbios_entry_point";

impl Facet for Hardware {
    fn name(&self) -> &'static str {
        "hardware"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let mut hw = match p.read_bytes(SMBIOS_TABLE) {
            Ok(table) => {
                let version = p
                    .read_bytes(SMBIOS_ENTRY)
                    .ok()
                    .and_then(|e| smbios::entry_point_version(&e));
                let hw = from_smbios(&smbios::parse(&table), version);
                // The kernel's files fill what the table lacks.
                merge_missing(hw, from_sysfs(p).0)
            }
            Err(e) => {
                let (mut hw, root_only_missing) = from_sysfs(p);
                hw.unavailable_reason = Some(if !p.exists(DMI) {
                    device_tree(p, &mut hw);
                    "no DMI data (/sys/class/dmi/id is absent): a container or firmware without SMBIOS; run the agent on the host itself".to_string()
                } else if e.kind() == ErrorKind::PermissionDenied || root_only_missing {
                    "serial numbers and UUID are readable by root only: run census-agent as root (the service does)".to_string()
                } else {
                    format!("SMBIOS tables unreadable ({SMBIOS_TABLE}: {e})")
                });
                hw
            }
        };
        // A VM or container says so, whatever the firmware's chassis code.
        match r.host.virtualization.kind {
            Some(VirtKind::Vm) => hw.chassis_type = Some(ChassisType::Vm),
            Some(VirtKind::Container) => hw.chassis_type = Some(ChassisType::Container),
            _ => {}
        }
        if hw.manufacturer.is_none() && hw.model.is_none() && hw.serial.is_none() {
            hw.source = None;
        }
        r.hardware = hw;
        Ok(())
    }
}

/// Read `/sys/class/dmi/id`. The flag says whether root-only files exist
/// but could not be read (a non-root agent).
fn from_sysfs(p: &Probe) -> (Hw, bool) {
    let mut denied = false;
    let mut get = |k: &str| {
        let path = format!("{DMI}/{k}");
        match p.read(&path) {
            Ok(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Err(e) => {
                denied |= e.kind() == ErrorKind::PermissionDenied;
                None
            }
        }
    };
    let mut hw = Hw {
        manufacturer: get("sys_vendor"),
        model: get("product_name"),
        family: get("product_family"),
        sku: get("product_sku"),
        serial: get("product_serial"),
        uuid: get("product_uuid").map(|u| census_shared::normalize_uuid(&u).unwrap_or(u)),
        chassis_type: get("chassis_type")
            .and_then(|c| c.parse::<u8>().ok())
            .and_then(ChassisType::from_smbios),
        chassis_serial: get("chassis_serial"),
        asset_tag: get("chassis_asset_tag"),
        ..Default::default()
    };
    hw.board.vendor = get("board_vendor");
    hw.board.model = get("board_name");
    hw.board.version = get("board_version");
    hw.board.serial = get("board_serial");
    hw.bios.vendor = get("bios_vendor");
    hw.bios.version = get("bios_version");
    hw.bios.date = get("bios_date").map(|d| normalize_bios_date(&d));
    if hw.manufacturer.is_some() || hw.model.is_some() {
        hw.source = Some("dmi-sysfs".into());
    }
    // A recording made without root simply lacks the root-only files.
    let root_only_absent = hw.source.is_some()
        && hw.serial.is_none()
        && hw.uuid.is_none()
        && !p.exists(&format!("{DMI}/product_serial"));
    (hw, denied || root_only_absent)
}

/// Fill fields the first source left empty from the second.
fn merge_missing(mut a: Hw, b: Hw) -> Hw {
    macro_rules! fill {
        ($($f:ident).+) => { if a.$($f).+.is_none() { a.$($f).+ = b.$($f).+; } };
    }
    fill!(manufacturer);
    fill!(model);
    fill!(family);
    fill!(sku);
    fill!(serial);
    fill!(uuid);
    fill!(chassis_type);
    fill!(chassis_serial);
    fill!(asset_tag);
    fill!(board.vendor);
    fill!(board.model);
    fill!(board.version);
    fill!(board.serial);
    fill!(bios.vendor);
    fill!(bios.version);
    fill!(bios.date);
    a
}

/// ARM boards without SMBIOS (Raspberry Pi and friends) name themselves in
/// the device tree.
fn device_tree(p: &Probe, hw: &mut Hw) {
    let clean = |s: String| s.trim_end_matches('\0').trim().to_string();
    if let Some(model) = p.read_opt("/proc/device-tree/model").map(clean) {
        hw.manufacturer = model.split_whitespace().next().map(String::from);
        hw.model = Some(model);
        hw.serial = p.read_opt("/proc/device-tree/serial-number").map(clean);
        hw.source = Some("device-tree".into());
    }
}
