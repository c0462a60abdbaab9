//! The scans the daemon is running now, by job name, with their live
//! progress: what the web interface and `GET /api/v1/scans` show, and how
//! "scan now" starts a configured job without running it twice at once.
//! Only `[[scan]]` jobs of the config can be started: nothing else is
//! ever scanned by the daemon.

use super::engine::ScanProgress;
use super::schedule::{self, ScanJob};
use crate::snmp::Credential;
use crate::store::Store;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

/// A running scan as shown.
#[derive(Debug, Clone, Serialize)]
pub struct Running {
    pub job: String,
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// Probes planned, done, and hosts found so far.
    pub total: usize,
    pub probed: usize,
    pub found: usize,
}

/// Why a job could not be started.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StartError {
    #[error("no [[scan]] job named {0:?} in the collector config")]
    UnknownJob(String),
    #[error("the scan {0:?} is already running")]
    AlreadyRunning(String),
}

/// A running scan: when it started, and its live counters.
type Entry = (chrono::DateTime<chrono::Utc>, Arc<ScanProgress>);

/// The running scans, shared by the scheduler and the shells.
#[derive(Clone, Default)]
pub struct ScanRuns {
    running: Arc<Mutex<HashMap<String, Entry>>>,
}

impl ScanRuns {
    /// What is running now, by job name.
    pub fn running(&self) -> Vec<Running> {
        let map = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let mut v: Vec<Running> = map
            .iter()
            .map(|(job, (at, p))| Running {
                job: job.clone(),
                started_at: *at,
                total: p.total.load(Ordering::Relaxed),
                probed: p.probed.load(Ordering::Relaxed),
                found: p.found.load(Ordering::Relaxed),
            })
            .collect();
        v.sort_by(|a, b| a.job.cmp(&b.job));
        v
    }

    /// Run `job` once and save it (then recompute the assets), unless it is
    /// running already. Returns the scan id and hosts found.
    pub async fn run(
        &self,
        store: &dyn Store,
        job: &ScanJob,
        snmp: &[Credential],
    ) -> Result<Option<(i64, usize)>, crate::store::StoreError> {
        let progress = Arc::new(ScanProgress::default());
        {
            let mut map = self.running.lock().unwrap_or_else(|p| p.into_inner());
            if map.contains_key(&job.name) {
                return Ok(None);
            }
            map.insert(job.name.clone(), (chrono::Utc::now(), progress.clone()));
        }
        let result = schedule::run_once(store, job, snmp, progress).await;
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&job.name);
        let done = result?;
        crate::assets::recompute_logged(store).await;
        Ok(Some(done))
    }

    /// Start the configured job `name` in the background now.
    pub fn start(
        &self,
        store: Arc<dyn Store>,
        jobs: &[ScanJob],
        name: &str,
        snmp: Vec<Credential>,
    ) -> Result<(), StartError> {
        let job = jobs
            .iter()
            .find(|j| j.name == name)
            .cloned()
            .ok_or_else(|| StartError::UnknownJob(name.to_string()))?;
        if self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(name)
        {
            return Err(StartError::AlreadyRunning(name.to_string()));
        }
        let runs = self.clone();
        tokio::spawn(async move {
            match runs.run(store.as_ref(), &job, &snmp).await {
                Ok(Some((id, found))) => {
                    tracing::info!(job = %job.name, scan = id, hosts = found, "scan started by hand saved")
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(job = %job.name, "scan could not be saved: {e}"),
            }
        });
        Ok(())
    }
}
