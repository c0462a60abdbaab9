//! Switch details: ports (IF-MIB), the forwarding database that says which
//! MAC hangs on which port (Q-BRIDGE-MIB `dot1qTpFdbPort`, else BRIDGE-MIB
//! `dot1dTpFdbPort`, mapped to interfaces through `dot1dBasePortIfIndex`),
//! LLDP and CDP neighbours, and VLAN names.
//!
//! Only Ethernet-like interfaces count as ports. The FDB walk is bounded
//! (a core switch can know tens of thousands of MACs); entries the switch
//! marks as its own (status `self`) are left out.

use crate::snmp::oid::{Oid, Value};
use crate::snmp::source::{Row, Source, walk_columns};
use census_shared::device::{FdbEntry, Neighbour, Port, SwitchDetails, Vlan};
use std::collections::BTreeMap;

const IF_DESCR: &str = "1.3.6.1.2.1.2.2.1.2";
const IF_TYPE: &str = "1.3.6.1.2.1.2.2.1.3";
const IF_SPEED: &str = "1.3.6.1.2.1.2.2.1.5";
const IF_PHYS: &str = "1.3.6.1.2.1.2.2.1.6";
const IF_OPER: &str = "1.3.6.1.2.1.2.2.1.8";
const IF_NAME: &str = "1.3.6.1.2.1.31.1.1.1.1";
const IF_HIGH_SPEED: &str = "1.3.6.1.2.1.31.1.1.1.15";
const IF_ALIAS: &str = "1.3.6.1.2.1.31.1.1.1.18";
const BASE_PORT_IFINDEX: &str = "1.3.6.1.2.1.17.1.4.1.2";
const Q_FDB_PORT: &str = "1.3.6.1.2.1.17.7.1.2.2.1.2";
const Q_FDB_STATUS: &str = "1.3.6.1.2.1.17.7.1.2.2.1.3";
const D_FDB_PORT: &str = "1.3.6.1.2.1.17.4.3.1.2";
const D_FDB_STATUS: &str = "1.3.6.1.2.1.17.4.3.1.3";
const Q_VLAN_NAME: &str = "1.3.6.1.2.1.17.7.1.4.3.1.1";
const LLDP_REM: &str = "1.0.8802.1.1.2.1.4.1.1";
const LLDP_LOC_PORT_DESC: &str = "1.0.8802.1.1.2.1.3.7.1.4";
const CDP_CACHE: &str = "1.3.6.1.4.1.9.9.23.1.2.1.1";

/// Most FDB entries read from one switch.
pub const FDB_LIMIT: usize = 32_768;

/// ifType values that are switch ports: ethernetCsmacd, iso88023, fastEther,
/// fastEtherFX, gigabitEthernet.
const ETHERNET: &[i64] = &[6, 7, 62, 69, 117];

fn by_index(rows: &[Row], col: &Oid) -> BTreeMap<Vec<u32>, Value> {
    rows.iter()
        .filter_map(|(o, v)| Some((o.suffix(col)?.to_vec(), v.clone())))
        .collect()
}

fn one(rows: &[Row], col: &str) -> BTreeMap<u32, Value> {
    let col = Oid::lit(col);
    by_index(rows, &col)
        .into_iter()
        .filter_map(|(k, v)| Some((*k.first()?, v)))
        .collect()
}

fn oper(v: Option<&Value>) -> String {
    match v.and_then(Value::int) {
        Some(1) => "up",
        Some(2) => "down",
        Some(3) => "testing",
        Some(5) => "dormant",
        Some(6) => "not_present",
        Some(7) => "lower_layer_down",
        _ => "unknown",
    }
    .to_string()
}

fn mac_from_arcs(a: &[u32]) -> Option<String> {
    let b: Option<Vec<u8>> = a.iter().map(|x| u8::try_from(*x).ok()).collect();
    Value::Bytes(b?).mac()
}

pub async fn read<S: Source>(s: &S) -> Option<SwitchDetails> {
    let names = [
        IF_DESCR,
        IF_TYPE,
        IF_SPEED,
        IF_PHYS,
        IF_OPER,
        IF_NAME,
        IF_HIGH_SPEED,
        IF_ALIAS,
    ];
    let cols: Vec<Oid> = names.iter().map(|c| Oid::lit(c)).collect();
    let w = walk_columns(s, &cols, 4096).await;
    let m: Vec<BTreeMap<u32, Value>> = w.iter().zip(names).map(|(rows, c)| one(rows, c)).collect();
    let (descr, ty, speed, phys, op, name, high, alias) =
        (&m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &m[6], &m[7]);
    let port_name = |i: u32| -> Option<String> {
        name.get(&i)
            .and_then(Value::text)
            .or_else(|| descr.get(&i).and_then(Value::text))
    };
    let ports: Vec<Port> = ty
        .iter()
        .filter(|(_, t)| t.int().is_some_and(|t| ETHERNET.contains(&t)))
        .map(|(&i, _)| Port {
            if_index: i,
            name: port_name(i).unwrap_or_else(|| format!("ifIndex {i}")),
            alias: alias.get(&i).and_then(Value::text),
            mac: phys.get(&i).and_then(Value::mac),
            speed: high
                .get(&i)
                .and_then(Value::int)
                .filter(|&h| h > 0)
                .map(|h| h as u64 * 1_000_000)
                .or_else(|| speed.get(&i).and_then(Value::int).map(|x| x as u64)),
            oper_status: oper(op.get(&i)),
        })
        .collect();

    // Bridge port → ifIndex.
    let bp = s
        .walk(&Oid::lit(BASE_PORT_IFINDEX), 4096)
        .await
        .unwrap_or_default();
    let bridge: BTreeMap<u32, u32> = one(&bp, BASE_PORT_IFINDEX)
        .into_iter()
        .filter_map(|(k, v)| Some((k, u32::try_from(v.int()?).ok()?)))
        .collect();
    let mut fdb = Vec::new();
    for (port_col, status_col, q) in [
        (Q_FDB_PORT, Q_FDB_STATUS, true),
        (D_FDB_PORT, D_FDB_STATUS, false),
    ] {
        let pc = Oid::lit(port_col);
        let rows = s.walk(&pc, FDB_LIMIT).await.unwrap_or_default();
        if rows.is_empty() {
            continue;
        }
        let sc = Oid::lit(status_col);
        let status = by_index(&s.walk(&sc, FDB_LIMIT).await.unwrap_or_default(), &sc);
        for (idx, v) in by_index(&rows, &pc) {
            // Q-BRIDGE index: fdbId (usually the VLAN) then the MAC's 6 arcs.
            let (vlan, mac_arcs) = if q && idx.len() == 7 {
                (Some(idx[0]), &idx[1..])
            } else {
                (None, &idx[..])
            };
            let Some(mac) = mac_from_arcs(mac_arcs) else {
                continue;
            };
            if status.get(&idx).and_then(Value::int) == Some(4) {
                continue; // the switch's own address
            }
            let port = v
                .int()
                .and_then(|p| u32::try_from(p).ok())
                .filter(|&p| p > 0);
            let if_index = port.map(|p| bridge.get(&p).copied().unwrap_or(p));
            fdb.push(FdbEntry {
                mac,
                vlan,
                if_index,
                port: if_index.and_then(port_name),
            });
        }
        break;
    }
    fdb.sort();
    fdb.dedup();

    let mut neighbours = lldp(s, &port_name).await;
    neighbours.extend(cdp(s, &port_name).await);

    let vl = Oid::lit(Q_VLAN_NAME);
    let vlans = s
        .walk(&vl, 4096)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(o, v)| {
            Some(Vlan {
                id: *o.suffix(&vl)?.first()?,
                name: v.text().unwrap_or_default(),
            })
        })
        .collect();
    let d = SwitchDetails {
        ports,
        fdb,
        neighbours,
        vlans,
    };
    (d != SwitchDetails::default()).then_some(d)
}

fn chassis_text(v: &Value) -> Option<String> {
    v.mac()
        .filter(|_| matches!(v, Value::Bytes(b) if b.len() == 6))
        .or_else(|| v.text())
}

async fn lldp<S: Source>(s: &S, port_name: &impl Fn(u32) -> Option<String>) -> Vec<Neighbour> {
    let t = Oid::lit(LLDP_REM);
    // 5 chassis id, 7 port id, 8 port description, 9 system name, 10 system description.
    let cols: Vec<Oid> = [5u32, 7, 8, 9, 10].iter().map(|c| t.with(&[*c])).collect();
    let w = walk_columns(s, &cols, 1024).await;
    let loc = Oid::lit(LLDP_LOC_PORT_DESC);
    let local = one(
        &s.walk(&loc, 1024).await.unwrap_or_default(),
        LLDP_LOC_PORT_DESC,
    );
    let maps: Vec<BTreeMap<Vec<u32>, Value>> =
        w.iter().zip(&cols).map(|(r, c)| by_index(r, c)).collect();
    let mut keys: Vec<&Vec<u32>> = maps.iter().flat_map(|m| m.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| {
            // Index: timeMark, localPortNum, index.
            // lldpLocPortNum is usually the ifIndex when the description is missing.
            let local_port = k
                .get(1)
                .and_then(|p| local.get(p).and_then(Value::text).or_else(|| port_name(*p)));
            Neighbour {
                protocol: "lldp".into(),
                local_port,
                remote_chassis: maps[0].get(k).and_then(chassis_text),
                remote_port: maps[1].get(k).and_then(chassis_text),
                remote_description: maps[4]
                    .get(k)
                    .and_then(Value::text)
                    .or_else(|| maps[2].get(k).and_then(Value::text)),
                remote_name: maps[3].get(k).and_then(Value::text),
            }
        })
        .collect()
}

async fn cdp<S: Source>(s: &S, port_name: &impl Fn(u32) -> Option<String>) -> Vec<Neighbour> {
    let t = Oid::lit(CDP_CACHE);
    // 6 device id, 7 device port, 8 platform.
    let cols: Vec<Oid> = [6u32, 7, 8].iter().map(|c| t.with(&[*c])).collect();
    let w = walk_columns(s, &cols, 1024).await;
    let maps: Vec<BTreeMap<Vec<u32>, Value>> =
        w.iter().zip(&cols).map(|(r, c)| by_index(r, c)).collect();
    maps[0]
        .iter()
        .map(|(k, v)| Neighbour {
            protocol: "cdp".into(),
            local_port: k.first().and_then(|i| port_name(*i)),
            remote_name: v.text(),
            remote_port: maps[1].get(k).and_then(Value::text),
            remote_chassis: None,
            remote_description: maps[2].get(k).and_then(Value::text),
        })
        .collect()
}
