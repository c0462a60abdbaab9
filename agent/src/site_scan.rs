//! The agent as a site scanner (issue 11; Linux, cargo feature
//! `site-scanner`, on by default): when the collector's configuration
//! gives this agent a `[[site]]`, the agent scans that site's subnets with
//! the collector's own engine (`census-discover`) — at layer 2, which the
//! collector cannot reach from another subnet — and uploads what answered.
//!
//! The assignment is asked for after every report; a scan runs when the
//! last one (`site-scan.json` in the state directory) is `every` old. The
//! agent probes nothing the assignment does not name, and sends the results
//! only to its collector. Without an assignment it does nothing at all.

use crate::config::AgentConfig;
use crate::transport::{SendError, Transport};
use census_discover::assignment::{AssignmentError, ScanAssignment, SiteScan, run};
use census_discover::scan::engine::ScanProgress;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// Where the collector hands out assignments.
pub const ASSIGNMENT_PATH: &str = "/api/v1/agent/assignment";
/// Where site scans go.
pub const SCANS_PATH: &str = "/api/v1/agent/scans";

/// Why a site scan did not happen or did not arrive.
#[derive(Debug, thiserror::Error)]
pub enum SiteScanError {
    #[error(transparent)]
    Send(#[from] SendError),
    #[error("the collector's assignment cannot be carried out: {0}")]
    Assignment(#[from] AssignmentError),
    #[error("the collector's answer is not {what}: {source}")]
    Answer {
        what: &'static str,
        source: serde_json::Error,
    },
}

/// What the collector said about a stored scan.
#[derive(Debug, Clone, Deserialize)]
pub struct Stored {
    pub scan_id: i64,
    pub hosts: usize,
}

/// This agent's assignment, or `None` when it scans no site.
pub async fn assignment(
    cfg: &AgentConfig,
    transport: &Transport,
) -> Result<Option<ScanAssignment>, SiteScanError> {
    match transport.get_as_agent(&cfg.secret, ASSIGNMENT_PATH).await? {
        None => Ok(None),
        Some(body) => {
            serde_json::from_slice(&body)
                .map(Some)
                .map_err(|source| SiteScanError::Answer {
                    what: "a scan assignment",
                    source,
                })
        }
    }
}

/// Carry `a` out now and upload the result.
pub async fn scan_and_upload(
    cfg: &AgentConfig,
    transport: &Transport,
    a: &ScanAssignment,
) -> Result<(SiteScan, Stored), SiteScanError> {
    let scan = run(a, Arc::new(ScanProgress::default())).await?;
    let json = serde_json::to_vec(&scan).map_err(|source| SiteScanError::Answer {
        what: "serialisable",
        source,
    })?;
    let body = transport
        .post_as_agent(&cfg.secret, SCANS_PATH, json)
        .await?;
    let stored = serde_json::from_slice(&body).map_err(|source| SiteScanError::Answer {
        what: "a stored-scan acknowledgement",
        source,
    })?;
    Ok((scan, stored))
}

/// When this agent last scanned which site.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Last {
    site: String,
    started_at: Option<DateTime<Utc>>,
}

fn last_file(cfg: &AgentConfig) -> PathBuf {
    cfg.state_dir.join("site-scan.json")
}

/// After a report: ask for the assignment and scan when one is due. Every
/// failure is logged, never fatal: reports come first.
pub async fn when_due(cfg: &AgentConfig, transport: &Transport) {
    let a = match assignment(cfg, transport).await {
        Ok(Some(a)) => a,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!("cannot ask the collector for a site scan: {e}");
            return;
        }
    };
    let path = last_file(cfg);
    let last: Last = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let due = last.site != a.site
        || last.started_at.is_none_or(|t| {
            (Utc::now() - t).num_seconds() >= i64::try_from(a.every_secs).unwrap_or(i64::MAX)
        });
    if !due {
        return;
    }
    let started = Utc::now();
    match scan_and_upload(cfg, transport, &a).await {
        Ok((scan, stored)) => {
            tracing::info!(
                site = %a.site,
                hosts = stored.hosts,
                scan = stored.scan_id,
                "site scan delivered"
            );
            for note in &scan.notes {
                tracing::info!(site = %a.site, "{note}");
            }
            let last = Last {
                site: a.site.clone(),
                started_at: Some(started),
            };
            if let Ok(json) = serde_json::to_vec(&last)
                && let Err(e) = std::fs::write(&path, json)
            {
                tracing::warn!("cannot write {}: {e}", path.display());
            }
        }
        Err(e) => tracing::warn!(site = %a.site, "site scan failed: {e}"),
    }
}
