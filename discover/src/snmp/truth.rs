//! Compare an identification with ground truth in the corpus format
//! (`tests/fixtures/snmp/dev/expected.json`: `device_type`, `vendor` with
//! `vendor_aliases`, `model_match` substrings, `serial`). Used by the unit
//! tests, the snmpsim end-to-end test and `tests/bench/snmp.sh`, so all
//! three judge the same way.

use census_shared::device::SnmpDevice;

/// Check one identification against one ground-truth entry; `Err` says what differs.
pub fn check(d: &SnmpDevice, e: &serde_json::Value) -> Result<(), String> {
    let mut wrong = Vec::new();
    if d.device_type.as_str() != e["device_type"].as_str().unwrap_or("") {
        wrong.push(format!(
            "type {} (want {})",
            d.device_type.as_str(),
            e["device_type"]
        ));
    }
    let aliases: Vec<&str> = e["vendor_aliases"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    match (&d.vendor, e["vendor"].as_str()) {
        (None, None) => {}
        (Some(v), Some(_)) if aliases.iter().any(|a| a.eq_ignore_ascii_case(v)) => {}
        (got, want) => wrong.push(format!("vendor {got:?} (want {want:?})")),
    }
    if let Some(m) = e["model_match"].as_array() {
        let model = d.model.clone().unwrap_or_default().to_lowercase();
        if !m
            .iter()
            .filter_map(|x| x.as_str())
            .any(|x| model.contains(&x.to_lowercase()))
        {
            wrong.push(format!("model {:?} (want one of {m:?})", d.model));
        }
    }
    if let Some(s) = e["serial"].as_str()
        && d.serial.as_deref() != Some(s)
    {
        wrong.push(format!("serial {:?} (want {s:?})", d.serial));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join(", "))
    }
}
