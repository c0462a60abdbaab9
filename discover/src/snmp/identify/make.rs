//! Who made the device: the sysObjectID's enterprise number, else the
//! vendor subtrees the agent answers under (firmware built on net-snmp
//! keeps the generic sysObjectID), else fingerprints (scalars such as
//! hrSystemInitialLoadParameters that give a make away), else names the
//! device gives itself (ENTITY-MIB and UPS-MIB maker fields, descriptions
//! that start with a brand), and last the registered owner of an
//! appliance's MAC address.
//!
//! Only the make; the model and serial a fingerprint captures are handed
//! back for `identify` to weigh with the other sources.

use super::Pick;
use crate::snmp::mibs::{self, Chassis, System};
use crate::snmp::oid::Oid;
use crate::snmp::source::Source;
use crate::snmp::vendors::{Vendor, table};

/// The make, why, and what a fingerprint captured (group name, value).
pub(super) struct Make {
    pub vendor: &'static Vendor,
    pub why: String,
    pub captured: Vec<(&'static str, Pick)>,
}

fn make(vendor: &'static Vendor, why: String) -> Option<Make> {
    Some(Make {
        vendor,
        why,
        captured: Vec::new(),
    })
}

pub(super) async fn find<S: Source>(
    s: &S,
    sys: &System,
    chassis: Option<&Chassis>,
    printer: Option<&str>,
) -> Option<Make> {
    let t = table();
    if let Some(id) = &sys.object_id
        && let Some(n) = id.enterprise()
        && let Some(v) = t.by_enterprise(n).filter(|v| v.maker)
    {
        return make(
            v,
            format!("vendor {} from sysObjectID enterprise {n}", v.name),
        );
    }
    let probes = t.probes();
    let want: Vec<Oid> = probes.iter().map(|(o, _)| (*o).clone()).collect();
    let found = mibs::answers_under(s, &want).await;
    if let Some(i) = found.iter().position(|&f| f) {
        let (o, v) = probes[i];
        return make(
            v,
            format!("vendor {} because the agent answers under {o}", v.name),
        );
    }
    if let Some(m) = fingerprint(s).await {
        return Some(m);
    }
    let named = [
        (
            "ENTITY-MIB entPhysicalMfgName",
            chassis.and_then(|c| c.mfg.as_deref()),
        ),
        ("UPS-MIB upsIdentManufacturer", sys.ups_mfg.as_deref()),
    ];
    for (src, name) in named {
        if let Some(v) = name.and_then(|n| t.by_name(n).or_else(|| t.prefixed(n).map(|(v, _)| v))) {
            return make(v, format!("vendor {} from {src}", v.name));
        }
    }
    let texts = [
        ("hrDeviceDescr", printer),
        (
            "ENTITY-MIB entPhysicalDescr",
            chassis.and_then(|c| c.descr.as_deref()),
        ),
        ("sysDescr", sys.descr.as_deref()),
    ];
    for (src, text) in texts {
        if let Some((v, _)) = text.and_then(|x| t.prefixed(x)) {
            return make(v, format!("vendor {} named at the start of {src}", v.name));
        }
    }
    None
}

/// One GET of every fingerprint OID; the first vendor pattern that matches.
async fn fingerprint<S: Source>(s: &S) -> Option<Make> {
    let t = table();
    let oids = t.fingerprint_oids();
    let values = mibs::texts(s, &oids).await;
    for v in &t.vendors {
        for (oid, re) in &v.fingerprints {
            let Some((_, text)) = values.iter().find(|(o, _)| o == oid) else {
                continue;
            };
            let Some(c) = re.captures(text) else { continue };
            let from = format!("{} fingerprint in {oid}", v.name);
            let captured = ["model", "serial", "firmware"]
                .into_iter()
                .filter_map(|g| {
                    let m = c.name(g)?.as_str().trim();
                    (!m.is_empty()).then(|| {
                        (
                            g,
                            Pick {
                                value: m.to_string(),
                                from: from.clone(),
                            },
                        )
                    })
                })
                .collect();
            return Some(Make {
                vendor: v,
                why: format!(
                    "vendor {} from its fingerprint {:?} in {oid}",
                    v.name,
                    re.as_str()
                ),
                captured,
            });
        }
    }
    None
}

/// The vendor-table make that registered a globally unique MAC's OUI.
pub(super) fn from_mac(mac: &str) -> Option<&'static Vendor> {
    let first = u8::from_str_radix(mac.get(..2)?, 16).ok()?;
    if first & 0x02 != 0 {
        return None; // locally administered
    }
    let org = crate::oui::organization(mac)?;
    let t = table();
    t.by_name(&org).or_else(|| t.prefixed(&org).map(|(v, _)| v))
}
