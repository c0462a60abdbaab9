//! Printer details from the Printer-MIB (RFC 3805): lifetime page count,
//! colour (more than one colorant), duplex (a duplexing media path), and
//! every supply with its level as a percentage of its capacity.
//!
//! Levels follow the MIB's conventions: -2 unknown, -3 "some remaining";
//! a level without a positive capacity has no percentage.

use crate::snmp::oid::Oid;
use crate::snmp::source::{Source, walk_columns};
use census_shared::device::{PrinterDetails, Supply};
use std::collections::BTreeMap;

const MARKER_LIFE_COUNT: &str = "1.3.6.1.2.1.43.10.2.1.4";
const MARKER_PROCESS_COLORANTS: &str = "1.3.6.1.2.1.43.10.2.1.6";
const COLORANT_VALUE: &str = "1.3.6.1.2.1.43.12.1.1.4";
const MEDIA_PATH_TYPE: &str = "1.3.6.1.2.1.43.13.4.1.9";
const SUPPLIES: &str = "1.3.6.1.2.1.43.11.1.1";

/// prtMarkerSuppliesType → our kind.
fn kind(t: i64) -> &'static str {
    match t {
        3 => "toner",
        4 => "waste_toner",
        5 | 6 => "ink",
        7 => "ink_ribbon",
        8 => "waste_ink",
        9 => "drum",
        10 => "developer",
        11 | 15 => "fuser",
        12 | 13 => "coronawire",
        16 | 20 => "transfer_unit",
        17..=19 => "cleaner",
        21 => "staples",
        _ => "other",
    }
}

/// A row index as a map key.
fn index(o: &Oid, col: &Oid) -> Vec<u32> {
    o.suffix(col).map(<[u32]>::to_vec).unwrap_or_default()
}

pub async fn read<S: Source>(s: &S) -> Option<PrinterDetails> {
    let sup = Oid::lit(SUPPLIES);
    let cols = [
        Oid::lit(MARKER_LIFE_COUNT),
        Oid::lit(MARKER_PROCESS_COLORANTS),
        Oid::lit(COLORANT_VALUE),
        Oid::lit(MEDIA_PATH_TYPE),
        sup.with(&[5]),
        sup.with(&[6]),
        sup.with(&[8]),
        sup.with(&[9]),
    ];
    let w = walk_columns(s, &cols, 256).await;
    let page_count = w[0]
        .iter()
        .find_map(|(_, v)| v.int())
        .and_then(|n| u64::try_from(n).ok());
    let colorants = w[1].iter().filter_map(|(_, v)| v.int()).max();
    let colorant_names = w[2]
        .iter()
        .filter_map(|(_, v)| v.text())
        .filter(|t| t != "unknown")
        .count();
    let colour = match (colorants, colorant_names) {
        (Some(n), _) if n > 0 => Some(n > 1),
        (_, n) if n > 0 => Some(n > 1),
        _ => None,
    };
    let duplex =
        (!w[3].is_empty()).then(|| w[3].iter().any(|(_, v)| matches!(v.int(), Some(3 | 4))));

    // Supplies: join the columns on the row index.
    // Per row: type, description, max capacity, level.
    type SupplyRow = (Option<i64>, Option<String>, Option<i64>, Option<i64>);
    let mut rows: BTreeMap<Vec<u32>, SupplyRow> = BTreeMap::new();
    for (i, col) in [5u32, 6, 8, 9].iter().enumerate() {
        let c = sup.with(&[*col]);
        for (o, v) in &w[4 + i] {
            let r = rows.entry(index(o, &c)).or_default();
            match col {
                5 => r.0 = v.int(),
                6 => r.1 = v.text(),
                8 => r.2 = v.int(),
                _ => r.3 = v.int(),
            }
        }
    }
    let supplies = rows
        .into_values()
        .filter_map(|(ty, descr, max, level)| {
            let description = descr?;
            let (level_percent, level_note) = match (level, max) {
                (Some(l), Some(m)) if l >= 0 && m > 0 => (Some(((l.min(m) * 100) / m) as u8), None),
                (Some(-3), _) => (None, Some("some remaining".to_string())),
                (Some(-2), _) | (None, _) => (None, Some("unknown".to_string())),
                _ => (None, None),
            };
            Some(Supply {
                description,
                kind: kind(ty.unwrap_or(1)).to_string(),
                level_percent,
                level_note,
            })
        })
        .collect::<Vec<_>>();
    // Without colorant tables, colour supplies (cyan, magenta, yellow) tell.
    let colour = colour.or_else(|| {
        let any_colour = supplies.iter().any(|s| {
            let d = s.description.to_lowercase();
            ["cyan", "magenta", "yellow"].iter().any(|c| d.contains(c))
        });
        let any_marker = supplies
            .iter()
            .any(|s| matches!(s.kind.as_str(), "toner" | "ink"));
        any_colour.then_some(true).or(any_marker.then_some(false))
    });
    let d = PrinterDetails {
        page_count,
        colour,
        duplex,
        supplies,
    };
    (d != PrinterDetails::default()).then_some(d)
}
