//! Scheduled scans: the `[[scan]]` jobs of the collector config, run by
//! `serve` at start and then every `every`, each saved to the database like
//! `scan --save`. The daemon scans nothing else: only the targets listed
//! here, checked when the config is loaded (a bad target or port list stops
//! the collector from starting, naming the job).
//!
//! Also home of [`save`], the one way a finished scan reaches the store (its
//! observations, and which SNMP credential each device answered to).

use super::engine::{ScanOptions, ScanProgress, scan};
use super::{ports, target};
use crate::snmp::Credential;
use crate::store::{NewScan, Store, StoreError};
use census_shared::duration::parse_duration;
use census_shared::observation::ScanObservation;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// A job as the config file spells it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanJobSpec {
    /// A name for logs (default: `scan #N`).
    pub name: Option<String>,
    /// What to scan, as `census-collector scan` takes it.
    pub targets: Vec<String>,
    /// How often (`24h`, `30m`); the first run is at start.
    pub every: String,
    /// TCP ports (`22,80,8000-8100`), default the office list; `""` = discovery only.
    pub ports: Option<String>,
    /// Probes per second (default 2000).
    pub rate: Option<u32>,
    /// Allow more than a /16.
    pub force: Option<bool>,
}

/// A checked job.
#[derive(Debug, Clone)]
pub struct ScanJob {
    pub name: String,
    pub targets: Vec<String>,
    pub addresses: Vec<IpAddr>,
    pub every: Duration,
    pub ports: Vec<u16>,
    pub rate: u32,
}

impl ScanJob {
    /// Check a job; the error names the job and what is wrong with it.
    pub fn from_spec(spec: &ScanJobSpec, n: usize) -> Result<ScanJob, String> {
        let name = spec.name.clone().unwrap_or_else(|| format!("scan #{n}"));
        let ctx = |e: String| format!("[[scan]] {name:?}: {e}");
        if spec.targets.is_empty() {
            return Err(ctx("targets is empty: name the subnets to scan".into()));
        }
        let addresses =
            target::expand(&spec.targets, spec.force.unwrap_or(false)).map_err(|e| {
                ctx(e
                    .to_string()
                    .replace("add --force", "set force = true in this job"))
            })?;
        let every = parse_duration(&spec.every).map_err(|e| ctx(format!("every: {e}")))?;
        if every < Duration::from_secs(60) {
            return Err(ctx(format!(
                "every = {:?} is shorter than a minute",
                spec.every
            )));
        }
        let ports = match spec.ports.as_deref() {
            None => ports::DEFAULT_TCP.to_vec(),
            Some("") => Vec::new(),
            Some(list) => ports::parse(list).map_err(|e| ctx(format!("ports: {e}")))?,
        };
        Ok(ScanJob {
            name,
            targets: spec.targets.clone(),
            addresses,
            every,
            ports,
            rate: spec.rate.unwrap_or(2000).max(1),
        })
    }
}

/// Store a finished scan and remember which credential each device used.
pub async fn save(
    store: &dyn Store,
    started: chrono::DateTime<chrono::Utc>,
    targets: String,
    observations: Vec<ScanObservation>,
    snmp: &[Credential],
) -> Result<i64, StoreError> {
    for o in &observations {
        let Some(d) = &o.snmp else { continue };
        if let Some(c) = snmp.iter().find(|c| c.label() == d.credential) {
            store
                .remember_snmp_credential(o.ip.to_string(), c.id().to_string())
                .await?;
        }
    }
    store
        .save_scan(NewScan {
            started_at: started,
            finished_at: chrono::Utc::now(),
            targets,
            observations,
        })
        .await
}

/// Run a job once and save it; returns the scan id and the hosts found.
pub async fn run_once(
    store: &dyn Store,
    job: &ScanJob,
    snmp: &[Credential],
    progress: Arc<ScanProgress>,
) -> Result<(i64, usize), StoreError> {
    let remembered: HashMap<String, String> =
        store.all_snmp_credentials().await?.into_iter().collect();
    let opts = ScanOptions {
        ports: job.ports.clone(),
        rate: job.rate,
        snmp: if job.ports.is_empty() {
            Vec::new()
        } else {
            snmp.to_vec()
        },
        snmp_remembered: remembered,
        udp: !job.ports.is_empty(),
        ..ScanOptions::default()
    };
    let started = chrono::Utc::now();
    let observations = scan(job.addresses.clone(), &opts, progress.clone()).await;
    for note in progress
        .notes
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
    {
        tracing::warn!(job = %job.name, "{note}");
    }
    let found = observations.len();
    let id = save(store, started, job.targets.join(" "), observations, snmp).await?;
    Ok((id, found))
}

/// Run a job at start and then every `job.every`, until the task is dropped
/// (a run is skipped while the same job, started by hand, is running).
pub async fn run_forever(
    store: Arc<dyn Store>,
    job: ScanJob,
    snmp: Vec<Credential>,
    runs: super::runs::ScanRuns,
) {
    loop {
        let t = std::time::Instant::now();
        match runs.run(store.as_ref(), &job, &snmp).await {
            Ok(None) => tracing::info!(job = %job.name, "still running: this run is skipped"),
            Ok(Some((id, found))) => {
                tracing::info!(
                    job = %job.name,
                    scan = id,
                    hosts = found,
                    seconds = t.elapsed().as_secs_f64(),
                    "scheduled scan saved"
                );
            }
            Err(e) => tracing::warn!(job = %job.name, "scheduled scan could not be saved: {e}"),
        }
        tokio::time::sleep(job.every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(targets: &[&str], every: &str, ports: Option<&str>) -> ScanJobSpec {
        ScanJobSpec {
            name: Some("office".into()),
            targets: targets.iter().map(|s| s.to_string()).collect(),
            every: every.into(),
            ports: ports.map(String::from),
            rate: None,
            force: None,
        }
    }

    #[test]
    fn jobs_are_checked_at_load() {
        let j = ScanJob::from_spec(&spec(&["127.0.0.0/30"], "24h", None), 1).unwrap();
        assert_eq!(j.addresses.len(), 2);
        assert_eq!(j.every, Duration::from_secs(86400));
        assert!(!j.ports.is_empty());
        let j = ScanJob::from_spec(&spec(&["127.0.0.1"], "1h", Some("")), 1).unwrap();
        assert!(j.ports.is_empty(), "empty ports = discovery only");
        let e = ScanJob::from_spec(&spec(&["10.0.0.0/8"], "24h", None), 1).unwrap_err();
        assert!(e.starts_with("[[scan]] \"office\": "), "{e}");
        let e = ScanJob::from_spec(&spec(&["127.0.0.1"], "5s", None), 1).unwrap_err();
        assert!(e.contains("shorter than a minute"), "{e}");
        let e = ScanJob::from_spec(&spec(&["127.0.0.1"], "1h", Some("80,x")), 1).unwrap_err();
        assert!(e.contains("ports"), "{e}");
        let e = ScanJob::from_spec(&spec(&[], "1h", None), 1).unwrap_err();
        assert!(e.contains("targets is empty"), "{e}");
    }
}
