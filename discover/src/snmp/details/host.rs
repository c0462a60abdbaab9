//! Storage of a NAS or server from HOST-RESOURCES-MIB `hrStorageTable`:
//! fixed, removable and network disks with size and use in bytes. RAM,
//! swap and other virtual areas are left out; so are empty areas.

use crate::snmp::oid::{Oid, Value};
use crate::snmp::source::{Source, walk_columns};
use census_shared::device::{HostDetails, Storage};
use std::collections::BTreeMap;

const STORAGE: &str = "1.3.6.1.2.1.25.2.3.1";
const KEEP: &[&str] = &[
    "1.3.6.1.2.1.25.2.1.4",  // hrStorageFixedDisk
    "1.3.6.1.2.1.25.2.1.5",  // hrStorageRemovableDisk
    "1.3.6.1.2.1.25.2.1.10", // hrStorageNetworkDisk
];

pub async fn read<S: Source>(s: &S) -> Option<HostDetails> {
    let t = Oid::lit(STORAGE);
    // 2 type, 3 descr, 4 allocation units, 5 size, 6 used.
    let cols: Vec<Oid> = [2u32, 3, 4, 5, 6].iter().map(|c| t.with(&[*c])).collect();
    let w = walk_columns(s, &cols, 1024).await;
    let maps: Vec<BTreeMap<u32, Value>> = w
        .iter()
        .zip(&cols)
        .map(|(rows, c)| {
            rows.iter()
                .filter_map(|(o, v)| Some((*o.suffix(c)?.first()?, v.clone())))
                .collect()
        })
        .collect();
    let keep: Vec<Oid> = KEEP.iter().map(|o| Oid::lit(o)).collect();
    let storage = maps[0]
        .iter()
        .filter(|(_, ty)| ty.as_oid().is_some_and(|o| keep.contains(o)))
        .filter_map(|(i, _)| {
            let unit = maps[2].get(i).and_then(Value::int).filter(|&u| u > 0)? as u64;
            let size = maps[3].get(i).and_then(Value::int).filter(|&n| n > 0)? as u64;
            let used = maps[4].get(i).and_then(Value::int).unwrap_or(0).max(0) as u64;
            Some(Storage {
                description: maps[1]
                    .get(i)
                    .and_then(Value::text)
                    .unwrap_or_else(|| format!("storage {i}")),
                size_bytes: size.saturating_mul(unit),
                used_bytes: used.saturating_mul(unit),
            })
        })
        .collect::<Vec<_>>();
    (!storage.is_empty()).then_some(HostDetails { storage })
}
