//! `hardware` on Windows: the raw SMBIOS table from
//! `GetSystemFirmwareTable('RSMB')`, decoded by the same code as on Linux,
//! with anything it leaves empty filled from WMI (`Win32_ComputerSystem`,
//! `Win32_ComputerSystemProduct`, `Win32_BIOS`, `Win32_BaseBoard`,
//! `Win32_SystemEnclosure`).

use super::{from_smbios, smbios};
use crate::facets::wmi::{self, WmiRow};
use crate::facets::wmi_windows::rows_or_error;
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::Hardware as Hw;

/// The Windows `hardware` facet.
pub struct Hardware;

/// The SMBIOS table without its 8-byte `RawSMBIOSData` header, and the
/// table's version; `None` when the firmware offers none (wine, some VMs).
pub fn smbios_table() -> Option<(Vec<u8>, (u8, u8))> {
    use windows::Win32::System::SystemInformation::{
        FIRMWARE_TABLE_PROVIDER, GetSystemFirmwareTable,
    };
    let rsmb = FIRMWARE_TABLE_PROVIDER(u32::from_be_bytes(*b"RSMB"));
    // SAFETY: a null buffer asks for the size only.
    let size = unsafe { GetSystemFirmwareTable(rsmb, 0, None) };
    if size < 8 {
        return None;
    }
    let mut buf = vec![0u8; size as usize];
    // SAFETY: `buf` has the size the first call asked for.
    let got = unsafe { GetSystemFirmwareTable(rsmb, 0, Some(&mut buf)) };
    if got < 8 || got as usize > buf.len() {
        return None;
    }
    let version = (buf[1], buf[2]);
    let len = u32::from_le_bytes([buf[4], buf[5], buf[6], buf[7]]) as usize;
    let end = (8 + len).min(got as usize);
    Some((buf[8..end].to_vec(), version))
}

fn fill(mut a: Hw, b: Hw) -> Hw {
    macro_rules! keep {
        ($($f:ident).+) => {
            if a.$($f).+.is_none() {
                a.$($f).+ = b.$($f).+;
            }
        };
    }
    keep!(manufacturer);
    keep!(model);
    keep!(family);
    keep!(sku);
    keep!(serial);
    keep!(uuid);
    keep!(board.vendor);
    keep!(board.model);
    keep!(board.version);
    keep!(board.serial);
    keep!(chassis_type);
    keep!(chassis_serial);
    keep!(asset_tag);
    keep!(bios.vendor);
    keep!(bios.version);
    keep!(bios.date);
    a
}

impl Facet for Hardware {
    fn name(&self) -> &'static str {
        "hardware"
    }

    fn collect(&self, _p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let mut first =
            |wql: &str| -> Option<WmiRow> { rows_or_error(r, "hardware", wql).into_iter().next() };
        let cs = first(
            "SELECT Manufacturer, Model, SystemFamily, SystemSKUNumber FROM Win32_ComputerSystem",
        );
        let product =
            first("SELECT IdentifyingNumber, UUID, Vendor, Name FROM Win32_ComputerSystemProduct");
        let bios = first(
            "SELECT Manufacturer, SMBIOSBIOSVersion, Version, ReleaseDate, SerialNumber FROM Win32_BIOS",
        );
        let board =
            first("SELECT Manufacturer, Product, Version, SerialNumber FROM Win32_BaseBoard");
        let enclosure =
            first("SELECT ChassisTypes, SerialNumber, SMBIOSAssetTag FROM Win32_SystemEnclosure");
        let from_wmi = wmi::hardware(
            cs.as_ref(),
            product.as_ref(),
            bios.as_ref(),
            board.as_ref(),
            enclosure.as_ref(),
        );
        r.hardware = match smbios_table() {
            Some((table, version)) => {
                let hw = from_smbios(&smbios::parse(&table), Some(version));
                if hw.manufacturer.is_some() {
                    fill(hw, from_wmi)
                } else {
                    from_wmi
                }
            }
            None => from_wmi,
        };
        Ok(())
    }
}
