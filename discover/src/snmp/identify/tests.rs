//! Identification over recorded agents: every example in the vendor table,
//! and the real device recordings in `tests/fixtures/snmp/dev` against
//! their ground truth (`expected.json`). The same recordings are served by
//! snmpsim in `tests/snmp_identify.rs`; these run without a network.

use super::*;
use crate::snmp::oid::Value;
use crate::snmp::recording::Recording;
use crate::snmp::vendors::{DATA, FileSpec};
use std::path::PathBuf;

fn example_agent(e: &crate::snmp::vendors::ExampleSpec) -> Recording {
    let mut rows = Vec::new();
    if let Some(d) = &e.sys_descr {
        rows.push((
            Oid::lit(mibs::oids::SYS_DESCR),
            Value::Bytes(d.clone().into_bytes()),
        ));
    }
    if let Some(o) = &e.sys_object_id {
        rows.push((Oid::lit(mibs::oids::SYS_OBJECT_ID), Value::Oid(Oid::lit(o))));
    }
    if let Some(n) = &e.sys_name {
        rows.push((
            Oid::lit(mibs::oids::SYS_NAME),
            Value::Bytes(n.clone().into_bytes()),
        ));
    }
    for (k, v) in &e.oids {
        let value = match v {
            toml::Value::Integer(i) => Value::Int(*i),
            toml::Value::String(s) => Value::Bytes(s.clone().into_bytes()),
            other => panic!("example OID {k}: unsupported value {other:?}"),
        };
        rows.push((Oid::lit(k), value));
    }
    Recording::from_rows(rows)
}

#[tokio::test]
async fn every_vendor_example_is_identified_as_its_entry_says() {
    let spec: FileSpec = toml::from_str(DATA).unwrap();
    let mut checked = 0;
    for v in &spec.vendor {
        for (n, e) in v.example.iter().enumerate() {
            let d = identify(&example_agent(e), Depth::Identity).await.unwrap();
            let ctx = format!("vendor {:?} example {}: {d:#?}", v.name, n + 1);
            for (field, want) in &e.expect {
                let got = match field.as_str() {
                    "type" => Some(d.device_type.as_str().to_string()),
                    "vendor" => d.vendor.clone(),
                    "model" => d.model.clone(),
                    "serial" => d.serial.clone(),
                    "firmware" => d.firmware.clone(),
                    other => panic!("{ctx}: unknown expect key {other}"),
                };
                let want = (!want.is_empty()).then_some(want.as_str());
                assert_eq!(got.as_deref(), want, "{field} in {ctx}");
                checked += 1;
            }
        }
        // Every enterprise number maps to this entry.
        for &ent in &v.enterprises {
            let agent = Recording::from_rows([(
                Oid::lit(mibs::oids::SYS_OBJECT_ID),
                Value::Oid(Oid::lit(&format!("1.3.6.1.4.1.{ent}.1"))),
            )]);
            let d = identify(&agent, Depth::Identity).await.unwrap();
            let want = v.maker.then(|| v.name.clone());
            assert_eq!(d.vendor, want, "enterprise {ent}");
        }
    }
    assert!(checked > 150, "only {checked} expectations checked");
}

/// The dev recordings with their ground truth.
pub(crate) fn dev_set() -> Vec<(String, Recording, serde_json::Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/snmp/dev");
    let expected: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    expected
        .into_iter()
        .map(|e| {
            let file = e["file"].as_str().unwrap().to_string();
            let text = std::fs::read(dir.join(&file)).unwrap();
            let rec = Recording::parse(&file, &String::from_utf8_lossy(&text)).unwrap();
            (file, rec, e)
        })
        .collect()
}

#[tokio::test]
async fn every_dev_recording_matches_its_ground_truth() {
    let set = dev_set();
    assert_eq!(set.len(), 16);
    let mut failures = Vec::new();
    for (file, rec, e) in &set {
        let d = identify(rec, Depth::Full).await.unwrap();
        if let Err(w) = crate::snmp::truth::check(&d, e) {
            failures.push(format!("{file}: {w}\n  evidence: {:?}", d.evidence));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn details_come_from_the_standard_mibs() {
    let set = dev_set();
    let get = |name: &str| {
        set.iter()
            .find(|(f, ..)| f.starts_with(name))
            .map(|(_, r, _)| r)
            .unwrap()
    };
    let konica = identify(get("konica"), Depth::Full).await.unwrap();
    let p = konica.printer.expect("printer details");
    assert!(p.page_count.unwrap_or(0) > 0, "{p:?}");
    assert!(p.supplies.iter().any(|s| s.kind == "toner"), "{p:?}");
    assert_eq!(p.colour, Some(true), "a bizhub C250i prints colour");

    let ciscosb = identify(get("ciscosb"), Depth::Full).await.unwrap();
    let sw = ciscosb.switch.expect("switch details");
    assert!(sw.ports.len() >= 24, "{} ports", sw.ports.len());
    assert!(!sw.fdb.is_empty(), "FDB from Q-BRIDGE-MIB");
    assert!(sw.fdb.iter().all(|f| f.mac.len() == 17));

    let procurve = identify(get("procurve"), Depth::Full).await.unwrap();
    let sw = procurve.switch.expect("switch details");
    assert!(!sw.neighbours.is_empty(), "LLDP neighbours");
    assert!(!sw.vlans.is_empty(), "VLANs");

    let apc = identify(get("apc"), Depth::Full).await.unwrap();
    let u = apc.ups.expect("ups details");
    assert_eq!(u.charge_percent, Some(100), "{u:?}");
    assert_eq!(u.runtime_minutes, Some(1829), "{u:?}");
    assert_eq!(u.output_source.as_deref(), Some("online"), "{u:?}");
    assert_eq!(u.battery_status.as_deref(), Some("normal"), "{u:?}");

    let dsm = identify(get("dsm"), Depth::Full).await.unwrap();
    let h = dsm.host.expect("storage");
    assert!(
        h.storage.iter().any(|s| s.size_bytes > 1_000_000_000),
        "{h:?}"
    );
    assert!(!dsm.mac_addresses.is_empty());
}
