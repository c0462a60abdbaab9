//! The agent as a service: enrol once, then collect and deliver on an
//! interval, through the spool, forever.
//!
//! One *cycle* collects a report, spools it, and then delivers the spool
//! oldest-first until it is empty or the collector stops answering. Between
//! cycles the agent waits the configured interval (±10%), or, while reports
//! are pending, an exponential backoff (1 min doubling to 1 h, ±20%).

use crate::config::AgentConfig;
use crate::probe::Probe;
use crate::spool::Spool;
use crate::transport::{SendError, Transport};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// What the agent remembers between runs (`state.json`), for `status`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    /// Last cycle.
    pub last_attempt: Option<DateTime<Utc>>,
    /// Last time the spool was emptied into the collector.
    pub last_success: Option<DateTime<Utc>>,
    /// Last delivery problem, if the last cycle had one.
    pub last_error: Option<String>,
    /// Cycles in a row that left reports pending.
    pub consecutive_failures: u32,
}

impl State {
    /// Read the state file; a missing or damaged one is a fresh state.
    pub fn load(path: &Path) -> State {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn save(&self, path: &Path) {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) =
            crate::config::write_private(path, &serde_json::to_vec_pretty(self).unwrap_or_default())
        {
            tracing::warn!("cannot write {}: {e}", path.display());
        }
    }
}

/// What one cycle achieved.
#[derive(Debug, Clone, Default)]
pub struct CycleOutcome {
    /// Reports the collector acknowledged.
    pub delivered: usize,
    /// Reports the collector refused for good (4xx other than 429); dropped.
    pub rejected: usize,
    /// Reports still waiting in the spool.
    pub pending: usize,
    /// Why reports are pending, when they are.
    pub error: Option<String>,
}

/// Why a cycle failed outright.
#[derive(Debug, thiserror::Error)]
pub enum CycleError {
    /// The new report is neither delivered nor in the spool.
    #[error("the report could not be delivered ({send}) nor spooled ({spool})")]
    Lost { send: String, spool: String },
    /// The collector's key does not match the pin.
    #[error(transparent)]
    Pin(SendError),
}

/// Serialise and gzip a report.
pub fn encode(report: &census_shared::HostReport) -> Vec<u8> {
    let json = serde_json::to_vec(report).expect("reports always serialise");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// Collect, spool, deliver.
pub async fn cycle(cfg: &AgentConfig, transport: &Transport) -> Result<CycleOutcome, CycleError> {
    let root = cfg.root.clone();
    let agent_id = cfg.agent_id.clone();
    let report =
        tokio::task::spawn_blocking(move || crate::collect(&Probe::at(&root), Some(agent_id)))
            .await
            .expect("collection never panics: facets are isolated");
    let gz = encode(&report);
    let spool = Spool::new(&cfg.spool_dir(), cfg.spool_max_reports, cfg.spool_max_bytes);
    let mut state = State::load(&cfg.state_file());
    state.last_attempt = Some(Utc::now());
    if let Err(spool_err) = spool.put(
        report.collected_at.timestamp_millis(),
        &report.report_id,
        &gz,
    ) {
        // No spool: one direct attempt, then the report is lost.
        tracing::error!(
            "cannot spool the report in {}: {spool_err}",
            spool_dir_display(cfg)
        );
        return match transport.send_report(&cfg.secret, gz).await {
            Ok(_) => Ok(CycleOutcome {
                delivered: 1,
                ..Default::default()
            }),
            Err(send) => Err(CycleError::Lost {
                send: send.to_string(),
                spool: spool_err.to_string(),
            }),
        };
    }
    let outcome = flush(cfg, transport, &spool).await;
    match &outcome {
        Ok(o) if o.pending == 0 => {
            state.last_success = Some(Utc::now());
            state.last_error = None;
            state.consecutive_failures = 0;
        }
        Ok(o) => {
            state.last_error = o.error.clone();
            state.consecutive_failures += 1;
        }
        Err(e) => {
            state.last_error = Some(e.to_string());
            state.consecutive_failures += 1;
        }
    }
    state.save(&cfg.state_file());
    outcome
}

fn spool_dir_display(cfg: &AgentConfig) -> String {
    cfg.spool_dir().display().to_string()
}

/// Deliver the spool oldest-first.
pub async fn flush(
    cfg: &AgentConfig,
    transport: &Transport,
    spool: &Spool,
) -> Result<CycleOutcome, CycleError> {
    let mut out = CycleOutcome::default();
    let entries = spool.entries();
    for (i, entry) in entries.iter().enumerate() {
        let body = match std::fs::read(&entry.path) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!("cannot read spooled report {}: {e}", entry.path.display());
                continue;
            }
        };
        match transport.send_report(&cfg.secret, body).await {
            Ok(ack) => {
                tracing::info!(report = %ack.report_id, stored = ack.stored, changed = ack.changed, "report delivered");
                let _ = spool.remove(entry);
                out.delivered += 1;
            }
            Err(SendError::Rejected { status, message }) => {
                tracing::error!(
                    "collector refused report {} ({status}): {message}; dropping it",
                    entry.path.display()
                );
                let _ = spool.remove(entry);
                out.rejected += 1;
            }
            Err(e @ SendError::PinMismatch { .. }) => return Err(CycleError::Pin(e)),
            Err(e) => {
                tracing::warn!("{e}; {} report(s) stay in the spool", entries.len() - i);
                out.pending = entries.len() - i;
                out.error = Some(e.to_string());
                break;
            }
        }
    }
    Ok(out)
}

/// A random factor in `1 ± spread`.
fn jitter(d: Duration, spread: f64) -> Duration {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    let unit = (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64; // [0, 1)
    d.mul_f64(1.0 + spread * (2.0 * unit - 1.0))
}

/// How long to wait after a cycle.
pub fn next_wait(
    cfg: &AgentConfig,
    outcome: &Result<CycleOutcome, CycleError>,
    failures: u32,
) -> Duration {
    let pending = match outcome {
        Ok(o) => o.pending > 0,
        Err(_) => true,
    };
    if pending {
        let backoff = Duration::from_secs(60u64.saturating_mul(1 << failures.min(6)))
            .min(Duration::from_secs(3600));
        jitter(backoff.min(cfg.interval()), 0.2)
    } else {
        jitter(cfg.interval(), 0.1)
    }
}

/// Run until SIGTERM or Ctrl-C: a cycle now, then one per interval.
pub async fn run_forever(cfg: &AgentConfig, transport: &Transport) {
    run_until(cfg, transport, shutdown_signal()).await
}

/// Run until `stop` resolves (a signal, or the Windows service manager's
/// stop control): a cycle now, then one per interval. A stop during a cycle
/// abandons it; what was spooled stays spooled, and a report delivered but
/// not yet removed from the spool is delivered again later (report ids make
/// that harmless).
pub async fn run_until(
    cfg: &AgentConfig,
    transport: &Transport,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    loop {
        let outcome = tokio::select! {
            o = cycle(cfg, transport) => o,
            _ = &mut stop => {
                tracing::info!("stopping during a cycle");
                return;
            }
        };
        match &outcome {
            Ok(o) => tracing::info!(
                delivered = o.delivered,
                pending = o.pending,
                rejected = o.rejected,
                "cycle done"
            ),
            Err(e) => tracing::error!("{e}"),
        }
        // A site scanner scans its site when due (never before the report).
        #[cfg(all(target_os = "linux", feature = "site-scanner"))]
        if outcome.is_ok() {
            tokio::select! {
                _ = crate::site_scan::when_due(cfg, transport) => {}
                _ = &mut stop => {
                    tracing::info!("stopping during a site scan");
                    return;
                }
            }
        }
        let failures = State::load(&cfg.state_file()).consecutive_failures;
        let wait = next_wait(cfg, &outcome, failures.saturating_sub(1));
        tracing::info!(
            "next report in {}",
            census_shared::duration::format_duration(wait)
        );
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = &mut stop => {
                tracing::info!("stopping");
                return;
            }
        }
    }
}

/// Resolves on Ctrl-C or (Unix) SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("installing a SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> AgentConfig {
        AgentConfig {
            collector: "https://127.0.0.1:1".into(),
            fingerprint: "00".repeat(32),
            agent_id: "agt_x".into(),
            secret: "s".into(),
            interval: "24h".into(),
            state_dir: "/nonexistent".into(),
            spool_max_reports: 10,
            spool_max_bytes: 1000,
            root: "/".into(),
        }
    }

    #[test]
    fn waits_interval_when_delivered_and_backs_off_when_pending() {
        let c = cfg();
        let ok: Result<CycleOutcome, CycleError> = Ok(CycleOutcome::default());
        let pending: Result<CycleOutcome, CycleError> = Ok(CycleOutcome {
            pending: 2,
            ..Default::default()
        });
        for _ in 0..50 {
            let w = next_wait(&c, &ok, 0).as_secs_f64();
            assert!((86_400.0 * 0.9..=86_400.0 * 1.1).contains(&w), "{w}");
            let w = next_wait(&c, &pending, 0).as_secs_f64();
            assert!(
                (48.0..=72.0).contains(&w),
                "first retry about a minute: {w}"
            );
            let w = next_wait(&c, &pending, 3).as_secs_f64();
            assert!((384.0..=576.0).contains(&w), "doubling: {w}");
            let w = next_wait(&c, &pending, 30).as_secs_f64();
            assert!(w <= 3600.0 * 1.2, "capped at an hour: {w}");
        }
        let mut short = cfg();
        short.interval = "30s".into();
        assert!(
            next_wait(&short, &pending, 5).as_secs_f64() <= 36.0,
            "never longer than the interval"
        );
    }
}
