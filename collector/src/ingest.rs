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
    let content_hash = content_hash(&mut report);
    IngestReport {
        report_id: report.report_id.clone(),
        collected_at: report.collected_at,
        content_hash,
        hostname: report.host.hostname.clone(),
        os: report.os.pretty_name.clone().or(report.os.name.clone()),
        agent_version: report.agent.version.clone(),
        report,
    }
}

/// SHA-256 over the report's JSON with the [`VOLATILE`] fields blanked.
/// The fields are taken out and put back rather than copying the report;
/// struct fields serialise in declaration order, so the text is canonical.
fn content_hash(r: &mut HostReport) -> String {
    let report_id = std::mem::take(&mut r.report_id);
    let collected_at = std::mem::replace(&mut r.collected_at, chrono::DateTime::UNIX_EPOCH);
    let duration = std::mem::take(&mut r.collection_duration_ms);
    let agent_id = r.agent.id.take();
    let boot = r.host.boot_time.take();
    let login = r.users.last_login.take();
    let free: Vec<Option<u64>> = r
        .storage
        .volumes
        .iter_mut()
        .map(|v| v.free_bytes.take())
        .collect();

    let mut sink = DigestWriter(ring::digest::Context::new(&ring::digest::SHA256));
    serde_json::to_writer(&mut sink, &*r).expect("reports serialise");

    r.report_id = report_id;
    r.collected_at = collected_at;
    r.collection_duration_ms = duration;
    r.agent.id = agent_id;
    r.host.boot_time = boot;
    r.users.last_login = login;
    for (v, f) in r.storage.volumes.iter_mut().zip(free) {
        v.free_bytes = f;
    }
    census_shared::pin::to_hex(sink.0.finish().as_ref())
}

/// Feeds written bytes into a digest.
struct DigestWriter(ring::digest::Context);

impl std::io::Write for DigestWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
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
        // Taking the volatile fields out for hashing puts them back.
        assert_eq!(a.report.storage.volumes[0].free_bytes, Some(5));
        assert_eq!(a.report.report_id, "a");
        let mut r = report("b");
        r.storage.volumes[0].free_bytes = Some(99);
        r.collection_duration_ms = 77;
        let b = prepare("agt_1", r);
        assert_eq!(a.content_hash, b.content_hash);
        let mut r = report("c");
        r.storage.volumes[0].size_bytes = Some(1);
        assert_ne!(prepare("agt_1", r).content_hash, a.content_hash);
        assert!(a.json().contains("\"agt_1\""));
    }
}
