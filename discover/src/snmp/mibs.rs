//! The standard-MIB questions identification asks first, and their answers
//! as plain data: the system group, which MIBs the agent implements, the
//! ENTITY-MIB chassis row, the HOST-RESOURCES printer row, UPS-MIB identity
//! and the interfaces' MAC addresses.
//!
//! Each question is one GET, one GETNEXT or one bounded walk; nothing here
//! judges the answers (that is `identify.rs` and `classify.rs`).

use super::oid::{Oid, Value};
use super::source::{SnmpError, Source};

/// OIDs by name, for this module and its neighbours.
pub mod oids {
    pub const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";
    pub const SYS_OBJECT_ID: &str = "1.3.6.1.2.1.1.2.0";
    pub const SYS_CONTACT: &str = "1.3.6.1.2.1.1.4.0";
    pub const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
    pub const SYS_LOCATION: &str = "1.3.6.1.2.1.1.6.0";
    pub const IP_FORWARDING: &str = "1.3.6.1.2.1.4.1.0";
    pub const BRIDGE_NUM_PORTS: &str = "1.3.6.1.2.1.17.1.2.0";
    pub const PRT_GENERAL_SERIAL: &str = "1.3.6.1.2.1.43.5.1.1.17.1";
    pub const PRT_GENERAL_PRINTER_NAME: &str = "1.3.6.1.2.1.43.5.1.1.16.1";
    pub const DOT11_PRODUCT_NAME: &str = "1.2.840.10036.3.1.2.1.3";
    pub const UPS_IDENT_MFG: &str = "1.3.6.1.2.1.33.1.1.1.0";
    pub const UPS_IDENT_MODEL: &str = "1.3.6.1.2.1.33.1.1.2.0";
    pub const UPS_IDENT_SOFTWARE: &str = "1.3.6.1.2.1.33.1.1.3.0";
    pub const PRINTER_MIB: &str = "1.3.6.1.2.1.43";
    pub const DOT11_MIB: &str = "1.2.840.10036";
    pub const UPS_MIB: &str = "1.3.6.1.2.1.33";
    pub const HOST_RESOURCES: &str = "1.3.6.1.2.1.25";
    pub const HR_STORAGE: &str = "1.3.6.1.2.1.25.2";
    pub const ENT_PHYSICAL: &str = "1.3.6.1.2.1.47.1.1.1.1";
    pub const HR_DEVICE_TYPE: &str = "1.3.6.1.2.1.25.3.2.1.2";
    pub const HR_DEVICE_DESCR: &str = "1.3.6.1.2.1.25.3.2.1.3";
    pub const HR_DEVICE_PRINTER: &str = "1.3.6.1.2.1.25.3.1.5";
    pub const IF_PHYS_ADDRESS: &str = "1.3.6.1.2.1.2.2.1.6";
}

/// The system group and a few scalars that hint at the device's role.
#[derive(Debug, Default, Clone)]
pub struct System {
    pub descr: Option<String>,
    pub object_id: Option<Oid>,
    pub contact: Option<String>,
    pub name: Option<String>,
    pub location: Option<String>,
    /// ipForwarding: 1 = forwarding (a router), 2 = not.
    pub ip_forwarding: Option<i64>,
    /// dot1dBaseNumPorts: bridge ports (a switch has many).
    pub bridge_ports: Option<i64>,
    pub prt_serial: Option<String>,
    /// prtGeneralPrinterName (Printer-MIB v2): the model, on most printers.
    pub prt_name: Option<String>,
    pub ups_mfg: Option<String>,
    pub ups_model: Option<String>,
    pub ups_software: Option<String>,
}

/// Ask for the system group. This is the question that proves the agent
/// answers with this credential, so its error is the caller's.
pub async fn system<S: Source>(s: &S) -> Result<System, SnmpError> {
    use oids::*;
    let want: Vec<Oid> = [
        SYS_DESCR,
        SYS_OBJECT_ID,
        SYS_CONTACT,
        SYS_NAME,
        SYS_LOCATION,
        IP_FORWARDING,
        BRIDGE_NUM_PORTS,
        PRT_GENERAL_SERIAL,
        UPS_IDENT_MFG,
        UPS_IDENT_MODEL,
        UPS_IDENT_SOFTWARE,
        PRT_GENERAL_PRINTER_NAME,
    ]
    .iter()
    .map(|o| Oid::lit(o))
    .collect();
    let v = s.get(&want).await?;
    let text = |i: usize| v.get(i).and_then(|v| v.as_ref()).and_then(Value::text);
    let int = |i: usize| v.get(i).and_then(|v| v.as_ref()).and_then(Value::int);
    Ok(System {
        descr: text(0),
        object_id: v
            .get(1)
            .and_then(|v| v.as_ref())
            .and_then(Value::as_oid)
            .cloned(),
        contact: text(2),
        name: text(3),
        location: text(4),
        ip_forwarding: int(5),
        bridge_ports: int(6),
        prt_serial: text(7),
        ups_mfg: text(8),
        ups_model: text(9),
        ups_software: text(10),
        prt_name: text(11),
    })
}

/// Which standard MIBs the agent implements (one GETNEXT each, in one request).
#[derive(Debug, Default, Clone, Copy)]
pub struct Implemented {
    pub printer: bool,
    pub dot11: bool,
    pub ups: bool,
    pub host_resources: bool,
    pub hr_storage: bool,
}

/// Does the agent answer under each of `subtrees`? (one GETNEXT request)
pub async fn answers_under<S: Source>(s: &S, subtrees: &[Oid]) -> Vec<bool> {
    match s.next(subtrees).await {
        Ok(rows) => subtrees
            .iter()
            .enumerate()
            .map(|(i, t)| {
                rows.get(i)
                    .and_then(|r| r.as_ref())
                    .is_some_and(|(o, _)| o.starts_with(t))
            })
            .collect(),
        Err(_) => vec![false; subtrees.len()],
    }
}

pub async fn implemented<S: Source>(s: &S) -> Implemented {
    use oids::*;
    let want: Vec<Oid> = [PRINTER_MIB, DOT11_MIB, UPS_MIB, HOST_RESOURCES, HR_STORAGE]
        .iter()
        .map(|o| Oid::lit(o))
        .collect();
    let a = answers_under(s, &want).await;
    Implemented {
        printer: a[0],
        dot11: a[1],
        ups: a[2],
        host_resources: a[3],
        hr_storage: a[4],
    }
}

/// The ENTITY-MIB row that describes the box itself.
#[derive(Debug, Default, Clone)]
pub struct Chassis {
    pub index: u32,
    pub descr: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub mfg: Option<String>,
    pub software: Option<String>,
    pub firmware: Option<String>,
}

/// The chassis row (entPhysicalClass 3), else the first row; `None` when the
/// agent has no ENTITY-MIB.
pub async fn chassis<S: Source>(s: &S) -> Option<Chassis> {
    let table = Oid::lit(oids::ENT_PHYSICAL);
    let class_col = table.with(&[5]);
    // The chassis is among the first entities; big chassis list thousands.
    let classes = s.walk(&class_col, 64).await.unwrap_or_default();
    let first = |rows: &[(Oid, Value)], col: &Oid| {
        rows.first()
            .and_then(|(o, _)| o.suffix(col)?.first().copied())
    };
    let index = match classes.iter().find(|(_, v)| v.int() == Some(3)) {
        Some((o, _)) => o.suffix(&class_col)?.first().copied()?,
        // No class column (trimmed agents): the first described entity.
        None if classes.is_empty() => {
            let (o, _) = s.walk(&table, 1).await.ok()?.into_iter().next()?;
            let col = table.with(&[*o.suffix(&table)?.first()?]);
            first(&[(o, Value::Empty)], &col)?
        }
        None => first(&classes, &class_col)?,
    };
    // Columns: 2 descr, 13 model name, 11 serial, 12 mfg name, 10 software rev, 9 firmware rev.
    let cols = [2u32, 13, 11, 12, 10, 9];
    let want: Vec<Oid> = cols.iter().map(|c| table.with(&[*c, index])).collect();
    let v = s.get(&want).await.ok()?;
    let text = |i: usize| v.get(i).and_then(|v| v.as_ref()).and_then(Value::text);
    Some(Chassis {
        index,
        descr: text(0),
        model: text(1),
        serial: text(2),
        mfg: text(3),
        software: text(4),
        firmware: text(5),
    })
}

/// hrDeviceDescr of the first printer in the HOST-RESOURCES device table.
pub async fn printer_device<S: Source>(s: &S) -> Option<String> {
    let col = Oid::lit(oids::HR_DEVICE_TYPE);
    let printer = Oid::lit(oids::HR_DEVICE_PRINTER);
    let rows = s.walk(&col, 512).await.ok()?;
    let index = rows
        .iter()
        .find(|(_, v)| v.as_oid() == Some(&printer))
        .and_then(|(o, _)| o.suffix(&col).map(<[u32]>::to_vec))?;
    let descr = Oid::lit(oids::HR_DEVICE_DESCR).with(&index);
    s.get(&[descr])
        .await
        .ok()?
        .pop()
        .flatten()
        .and_then(|v| v.text())
}

/// dot11ManufacturerProductName of the first radio (access points).
pub async fn dot11_product<S: Source>(s: &S) -> Option<String> {
    let rows = s.walk(&Oid::lit(oids::DOT11_PRODUCT_NAME), 1).await.ok()?;
    rows.into_iter().next().and_then(|(_, v)| v.text())
}

/// Unique interface MAC addresses, in ifIndex order.
pub async fn mac_addresses<S: Source>(s: &S) -> Vec<String> {
    let rows = s
        .walk(&Oid::lit(oids::IF_PHYS_ADDRESS), 2048)
        .await
        .unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for (_, v) in rows {
        if let Some(m) = v.mac()
            && !out.contains(&m)
        {
            out.push(m);
        }
    }
    out
}

/// GET a list of scalars; every answered one as text, in the list's order.
pub async fn texts<S: Source>(s: &S, oids: &[Oid]) -> Vec<(Oid, String)> {
    if oids.is_empty() {
        return Vec::new();
    }
    let Ok(v) = s.get(oids).await else {
        return Vec::new();
    };
    oids.iter()
        .zip(v)
        .filter_map(|(o, v)| v.and_then(|v| v.text()).map(|t| (o.clone(), t)))
        .collect()
}
