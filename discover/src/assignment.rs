//! Site scanning (issue 11): what a collector asks an agent at a remote
//! site to scan ([`ScanAssignment`], `GET /api/v1/agent/assignment`), what
//! the agent sends back ([`SiteScan`], `POST /api/v1/agent/scans`), and
//! [`run`], which carries an assignment out with the same engine the
//! collector uses. The assignment is the whole of what such an agent may
//! probe: [`SiteScan::check`] lets the collector refuse anything outside
//! it. Scheduling, transport and storage are the agent's and collector's.

use crate::scan::engine::{ScanOptions, ScanProgress, scan};
use crate::scan::target;
use crate::snmp::V3User;
use crate::snmp::credentials::credential_list;
use census_shared::observation::ScanObservation;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Arc;

/// One site's scan, as the collector hands it to the agent that sits there.
/// It carries SNMP credentials: the collector sends it only to that agent.
#[derive(Clone, Serialize, Deserialize)]
pub struct ScanAssignment {
    /// The site's name, as the plan shows it.
    pub site: String,
    /// What to scan, as `census-collector scan` takes it.
    pub targets: Vec<String>,
    /// Allow more than a /16.
    #[serde(default)]
    pub force: bool,
    /// TCP ports for live hosts; empty = discovery only.
    pub ports: Vec<u16>,
    /// Probes per second.
    pub rate: u32,
    /// Seconds between scans.
    pub every_secs: u64,
    /// SNMPv2c communities, tried in order.
    #[serde(default)]
    pub snmp_communities: Vec<String>,
    /// SNMPv3 users, tried after the communities.
    #[serde(default)]
    pub snmp_v3: Vec<V3User>,
}

impl std::fmt::Debug for ScanAssignment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanAssignment")
            .field("site", &self.site)
            .field("targets", &self.targets)
            .field("ports", &self.ports.len())
            .field("rate", &self.rate)
            .field("every_secs", &self.every_secs)
            .field("snmp", &"redacted")
            .finish()
    }
}

/// A finished site scan, as the agent uploads it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SiteScan {
    /// The assignment's site.
    pub site: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// What answered (addresses inside the assignment only).
    pub observations: Vec<ScanObservation>,
    /// What the scan had to do without (no raw socket, …), for the log.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Why an assignment cannot run, or an upload does not fit it.
#[derive(Debug, thiserror::Error)]
pub enum AssignmentError {
    #[error("the site's targets are not valid: {0}")]
    Targets(String),
    #[error("the site's SNMP credentials are not valid: {0}")]
    Credentials(String),
    #[error("the scan is for site {got:?}, but this agent scans {expected:?}")]
    WrongSite { got: String, expected: String },
    #[error("the scan holds {0}, which is not among the site's targets")]
    OutsideTargets(IpAddr),
}

impl ScanAssignment {
    /// The addresses the assignment names.
    pub fn addresses(&self) -> Result<Vec<IpAddr>, AssignmentError> {
        target::expand(&self.targets, self.force)
            .map_err(|e| AssignmentError::Targets(e.to_string()))
    }
}

impl SiteScan {
    /// Check an upload against the assignment it claims to carry out: the
    /// same site, and every address one the assignment names.
    pub fn check(&self, assignment: &ScanAssignment) -> Result<(), AssignmentError> {
        if self.site != assignment.site {
            return Err(AssignmentError::WrongSite {
                got: self.site.clone(),
                expected: assignment.site.clone(),
            });
        }
        let allowed: HashSet<IpAddr> = assignment.addresses()?.into_iter().collect();
        match self.observations.iter().find(|o| !allowed.contains(&o.ip)) {
            Some(o) => Err(AssignmentError::OutsideTargets(o.ip)),
            None => Ok(()),
        }
    }
}

/// Carry the assignment out: scan its addresses (and nothing else) with
/// its ports, rate and credentials.
pub async fn run(
    assignment: &ScanAssignment,
    progress: Arc<ScanProgress>,
) -> Result<SiteScan, AssignmentError> {
    let addresses = assignment.addresses()?;
    let snmp = if assignment.ports.is_empty() {
        Vec::new()
    } else {
        credential_list(&assignment.snmp_communities, &assignment.snmp_v3)
            .map_err(|e| AssignmentError::Credentials(e.to_string()))?
    };
    let opts = ScanOptions {
        ports: assignment.ports.clone(),
        rate: assignment.rate.max(1),
        udp: !assignment.ports.is_empty(),
        snmp,
        dns: false,
        ..ScanOptions::default()
    };
    let started_at = Utc::now();
    let observations = scan(addresses, &opts, progress.clone()).await;
    let notes = progress
        .notes
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    Ok(SiteScan {
        site: assignment.site.clone(),
        started_at,
        finished_at: Utc::now(),
        observations,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assignment() -> ScanAssignment {
        ScanAssignment {
            site: "Utrecht".into(),
            targets: vec!["192.0.2.0/30".into()],
            force: false,
            ports: vec![80],
            rate: 100,
            every_secs: 3600,
            snmp_communities: vec!["s3cret".into()],
            snmp_v3: Vec::new(),
        }
    }

    fn seen(ip: &str) -> ScanObservation {
        serde_json::from_value(serde_json::json!({
            "ip": ip, "mac": null, "mac_vendor": null, "mac_local": false, "names": [],
            "found_by": [], "rtt_ms": null, "open_tcp": [], "services": [],
            "guess": {"kind": "unknown", "evidence": []},
            "seen_at": "2026-11-29T10:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn an_upload_must_stay_inside_the_assignment() {
        let a = assignment();
        let mut s = SiteScan {
            site: "Utrecht".into(),
            started_at: Utc::now(),
            finished_at: Utc::now(),
            observations: vec![seen("192.0.2.1")],
            notes: Vec::new(),
        };
        s.check(&a).unwrap();
        s.observations.push(seen("198.51.100.7"));
        assert_eq!(
            s.check(&a).unwrap_err().to_string(),
            "the scan holds 198.51.100.7, which is not among the site's targets"
        );
        s.observations.pop();
        s.site = "Zwolle".into();
        assert!(matches!(
            s.check(&a),
            Err(AssignmentError::WrongSite { .. })
        ));
    }

    #[test]
    fn credentials_travel_but_are_not_logged() {
        let a = assignment();
        let json = serde_json::to_string(&a).unwrap();
        let back: ScanAssignment = serde_json::from_str(&json).unwrap();
        assert_eq!(back.snmp_communities, ["s3cret"]);
        assert!(!format!("{a:?}").contains("s3cret"));
    }
}
