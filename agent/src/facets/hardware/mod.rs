//! The `hardware` facet: make, model, serial numbers, SMBIOS UUID, board,
//! chassis and BIOS. [`smbios`] decodes firmware tables (portable); the
//! functions here turn decoded structures into the report's types.

pub mod apple;
#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
pub mod macos;
pub mod smbios;
#[cfg(windows)]
pub mod windows;

use census_shared::report::{Bios, Board, ChassisType, Hardware};
use smbios::Structure;

/// Normalise a BIOS date: `MM/DD/YYYY` (SMBIOS) and `MM/DD/YY` become
/// `YYYY-MM-DD`; anything else is kept as given.
pub fn normalize_bios_date(raw: &str) -> String {
    let parts: Vec<&str> = raw.trim().split('/').collect();
    if let [m, d, y] = parts[..]
        && let (Ok(m), Ok(d), Ok(y)) = (m.parse::<u32>(), d.parse::<u32>(), y.parse::<u32>())
        && (1..=12).contains(&m)
        && (1..=31).contains(&d)
    {
        let y = match y {
            0..70 => 2000 + y,
            70..100 => 1900 + y,
            _ => y,
        };
        return format!("{y:04}-{m:02}-{d:02}");
    }
    raw.trim().to_string()
}

/// Fill hardware identity from SMBIOS structures of a table whose version
/// is `version` (major, minor).
pub fn from_smbios(structs: &[Structure<'_>], version: Option<(u8, u8)>) -> Hardware {
    let mut hw = Hardware {
        source: Some("smbios".into()),
        ..Default::default()
    };
    let legacy_uuid = version.is_some_and(|v| v < (2, 6));
    for s in structs {
        match s.kind {
            0 if hw.bios.vendor.is_none() => {
                hw.bios = Bios {
                    vendor: s.string(0x04),
                    version: s.string(0x05),
                    date: s.string(0x08).map(|d| normalize_bios_date(&d)),
                };
            }
            1 if hw.manufacturer.is_none() => {
                hw.manufacturer = s.string(0x04);
                hw.model = s.string(0x05);
                hw.serial = s.string(0x07);
                hw.uuid = smbios::uuid(s, legacy_uuid).and_then(|u| {
                    // Keep placeholders verbatim (the merge engine judges
                    // them) but never report "no UUID" as a value.
                    (!u.chars().all(|c| c == '0' || c == '-')).then_some(u)
                });
                hw.sku = s.string(0x19);
                hw.family = s.string(0x1a);
            }
            2 if hw.board.vendor.is_none() => {
                hw.board = Board {
                    vendor: s.string(0x04),
                    model: s.string(0x05),
                    version: s.string(0x06),
                    serial: s.string(0x07),
                };
            }
            3 if hw.chassis_type.is_none() => {
                hw.chassis_type = s.u8(0x05).and_then(ChassisType::from_smbios);
                hw.chassis_serial = s.string(0x07);
                hw.asset_tag = s.string(0x08);
            }
            _ => {}
        }
    }
    hw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bios_dates() {
        assert_eq!(normalize_bios_date("04/01/2014"), "2014-04-01");
        assert_eq!(normalize_bios_date("12/31/99"), "1999-12-31");
        assert_eq!(normalize_bios_date("2023-08-14"), "2023-08-14");
        assert_eq!(normalize_bios_date("13/45/2020"), "13/45/2020");
    }
}
