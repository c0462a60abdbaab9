//! Stored rows into the merge engine's observations, the same for every
//! backend: a backend reads its rows (its own SQL) and hands the values
//! here. A row that no longer parses (a report from an older schema) is
//! skipped with a warning rather than stopping every recomputation.

use crate::merge::Observation;
use census_shared::HostReport;
use census_shared::observation::ScanObservation;
use chrono::{DateTime, Utc};

/// An agent's latest report: the snapshot keeps the first report with this
/// content, so the time is the latest report's (`collected_at`).
pub(crate) fn report_observation(
    id: &str,
    agent: &str,
    json: &str,
    collected_at: DateTime<Utc>,
) -> Option<Observation> {
    match serde_json::from_str::<HostReport>(json) {
        Ok(mut report) => {
            report.collected_at = collected_at;
            Some(Observation::agent(&format!("report:{id}"), agent, report))
        }
        Err(e) => {
            tracing::warn!(report = %id, "stored report not used for assets: {e}");
            None
        }
    }
}

/// One stored scan observation (row `id` of scan `scan_id`).
pub(crate) fn scan_observation(id: i64, scan_id: i64, json: &str) -> Option<Observation> {
    match serde_json::from_str::<ScanObservation>(json) {
        Ok(o) => Some(Observation::scan(&format!("scan:{id}"), scan_id, o)),
        Err(e) => {
            tracing::warn!(observation = id, "stored scan row not used: {e}");
            None
        }
    }
}
