//! Turning a received report into what the store keeps: the content hash
//! that decides "changed or not", computed over the report without the
//! fields that change on every run (report id, timestamps, free space, boot
//! time, last login), so an idle machine's daily report only moves last-seen.

use crate::store::IngestReport;
use census_shared::HostReport;

/// Fields left out of the content hash, as JSON paths.
pub const VOLATILE: &[&str] = &[
    "report_id",
    "collected_at",
    "collection_duration_ms",
    "agent.id",
    "host.boot_time",
    "users.last_login",
    "storage.volumes[].free_bytes",
];

/// Prepare a validated report for storage under `agent_id`.
pub fn prepare(agent_id: &str, mut report: HostReport) -> IngestReport {
    report.agent.id = Some(agent_id.to_string());
    let json = serde_json::to_string(&report).expect("reports serialise");
    let mut stable = serde_json::to_value(&report).expect("reports serialise");
    if let Some(o) = stable.as_object_mut() {
        for k in ["report_id", "collected_at", "collection_duration_ms"] {
            o.remove(k);
        }
    }
    stable["agent"]["id"] = serde_json::Value::Null;
    stable["host"]["boot_time"] = serde_json::Value::Null;
    stable["users"]["last_login"] = serde_json::Value::Null;
    if let Some(vols) = stable["storage"]["volumes"].as_array_mut() {
        for v in vols {
            v["free_bytes"] = serde_json::Value::Null;
        }
    }
    // serde_json's map keeps keys sorted, so the text is canonical.
    let canonical = serde_json::to_vec(&stable).expect("values serialise");
    let content_hash = crate::secrets::hash_bytes(&canonical);
    IngestReport {
        report_id: report.report_id.clone(),
        collected_at: report.collected_at,
        content_hash,
        json,
        hostname: report.host.hostname.clone(),
        os: report.os.pretty_name.clone().or(report.os.name.clone()),
        agent_version: report.agent.version.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use census_shared::report::{AgentInfo, Volume};

    fn report(id: &str) -> HostReport {
        let mut r = HostReport::new(
            id.into(),
            AgentInfo {
                id: None,
                version: "1".into(),
            },
            chrono::Utc::now(),
        );
        r.storage.volumes.push(Volume {
            mount_point: "/".into(),
            free_bytes: Some(5),
            ..Default::default()
        });
        r
    }

    #[test]
    fn volatile_fields_do_not_change_the_hash() {
        let a = prepare("agt_1", report("a"));
        let mut r = report("b");
        r.storage.volumes[0].free_bytes = Some(99);
        r.collection_duration_ms = 77;
        let b = prepare("agt_1", r);
        assert_eq!(a.content_hash, b.content_hash);
        let mut r = report("c");
        r.storage.volumes[0].size_bytes = Some(1);
        assert_ne!(prepare("agt_1", r).content_hash, a.content_hash);
        assert!(a.json.contains("\"agt_1\""));
    }
}
