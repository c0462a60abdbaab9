//! The Census agent as a library: [`collect`] runs every facet against a
//! [`Probe`] and returns one [`HostReport`]. The `census-agent` binary and the
//! collector (which inventories its own host in-process) both call it.
//!
//! The agent never sends packets except to its collector ([`transport`]);
//! collection itself only reads local state. [`run`] is the service loop,
//! [`spool`] keeps what the collector has not acknowledged yet; [`enroll`]
//! and [`install`] set an agent up (and [`install`] takes it away again);
//! on Windows `service` runs the loop under the service control manager.

pub mod config;
pub mod enroll;
pub mod facets;
pub mod install;
pub mod probe;
pub mod run;
#[cfg(windows)]
pub mod service;
#[cfg(all(target_os = "linux", feature = "site-scanner"))]
pub mod site_scan;
pub mod spool;
pub mod transport;

use census_shared::HostReport;
use census_shared::report::AgentInfo;
use probe::Probe;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

/// The agent's version, as reported.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A fresh random report id: 32 lower-case hex digits.
pub fn new_report_id() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // No OS randomness (never seen on supported systems): fall back to
        // time and process id, which is still unique per agent and moment.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        b = (t ^ ((std::process::id() as u128) << 96)).to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Collect one report. A facet that fails or panics becomes an entry in
/// `collection_errors`; collection always completes.
pub fn collect(probe: &Probe, agent_id: Option<String>) -> HostReport {
    let start = Instant::now();
    let agent = AgentInfo {
        id: agent_id,
        version: VERSION.to_string(),
    };
    let mut report = HostReport::new(new_report_id(), agent, chrono::Utc::now());
    for facet in facets::all() {
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| facet.collect(probe, &mut report)));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(e)) => report.error(facet.name(), e.to_string()),
            Err(_) => report.error(
                facet.name(),
                "internal error (panic) while collecting; please report this with the agent log",
            ),
        }
        tracing::debug!(
            facet = facet.name(),
            ms = t.elapsed().as_millis() as u64,
            "facet done"
        );
    }
    report.collection_duration_ms = start.elapsed().as_millis() as u64;
    report
}
