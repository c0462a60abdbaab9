//! Site scanners (issue 11): the `[[site]]` tables of the collector
//! configuration, each naming a remote site, the enrolled agent that sits
//! there and what it scans; and [`save`], which takes a finished scan from
//! that agent, checks it against the assignment, marks every observation
//! with the site and the scanner, fills in the MAC vendors the agent's
//! engine leaves out (no OUI registry there), and stores it like the
//! collector's own scans (the assets are recomputed from it as from any scan).
//!
//! Credentials in a site's table reach only that site's agent. This module
//! does not talk HTTP (`api/site_scan.rs` is the shell) and scans nothing
//! itself.

use crate::scan::{ports, target};
use crate::snmp::V3User;
use crate::store::{Store, StoreError};
use census_discover::assignment::{AssignmentError, ScanAssignment, SiteScan};
use census_shared::duration::parse_duration;
use serde::Deserialize;
use std::collections::HashSet;
use std::time::Duration;

/// A `[[site]]` table as the config file spells it.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSpec {
    /// The site's name, as the plan shows it ("Utrecht").
    pub name: String,
    /// The enrolled agent that scans there (its id, from `agents list`).
    pub agent: String,
    /// What it scans, as `census-collector scan` takes it.
    pub targets: Vec<String>,
    /// How often (`6h`); the agent scans when it first asks, then this often.
    pub every: String,
    /// TCP ports, default the office list; `""` = discovery only.
    pub ports: Option<String>,
    /// Probes per second (default 500: a site link is often slow).
    pub rate: Option<u32>,
    /// Allow more than a /16.
    pub force: Option<bool>,
    /// SNMP communities for this site (default: the collector's).
    pub snmp_communities: Option<Vec<String>>,
    /// SNMPv3 users for this site (default: the collector's).
    pub snmp_v3: Option<Vec<V3User>>,
}

impl std::fmt::Debug for SiteSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteSpec")
            .field("name", &self.name)
            .field("agent", &self.agent)
            .field("targets", &self.targets)
            .field("every", &self.every)
            .field("snmp", &"redacted")
            .finish_non_exhaustive()
    }
}

/// A checked site: its agent and the assignment that agent gets.
#[derive(Debug, Clone)]
pub struct Site {
    pub agent: String,
    pub assignment: ScanAssignment,
}

/// Check the `[[site]]` tables; the error names the site and what is wrong.
/// Sites without their own SNMP credentials get the collector's.
pub fn check(
    specs: &[SiteSpec],
    communities: &[String],
    v3: &[V3User],
) -> Result<Vec<Site>, String> {
    let mut names = HashSet::new();
    let mut agents = HashSet::new();
    let mut out = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let name = spec.name.trim();
        let ctx = |e: String| format!("[[site]] #{} {name:?}: {e}", i + 1);
        if name.is_empty() {
            return Err(ctx(
                "name is empty: give the site the name the plan should show".into(),
            ));
        }
        if !names.insert(name.to_lowercase()) {
            return Err(ctx("another [[site]] has this name".into()));
        }
        if !agents.insert(spec.agent.clone()) {
            return Err(ctx(format!(
                "agent {} already scans another site: an agent scans one site",
                spec.agent
            )));
        }
        if spec.targets.is_empty() {
            return Err(ctx("targets is empty: name the site's subnets".into()));
        }
        target::expand(&spec.targets, spec.force.unwrap_or(false)).map_err(|e| {
            ctx(e
                .to_string()
                .replace("add --force", "set force = true in this site"))
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
        let assignment = ScanAssignment {
            site: name.to_string(),
            targets: spec.targets.clone(),
            force: spec.force.unwrap_or(false),
            ports,
            rate: spec.rate.unwrap_or(500).max(1),
            every_secs: every.as_secs(),
            snmp_communities: spec
                .snmp_communities
                .clone()
                .unwrap_or_else(|| communities.to_vec()),
            snmp_v3: spec.snmp_v3.clone().unwrap_or_else(|| v3.to_vec()),
        };
        crate::snmp::credentials::credential_list(
            &assignment.snmp_communities,
            &assignment.snmp_v3,
        )
        .map_err(|e| ctx(format!("SNMP credentials: {e}")))?;
        out.push(Site {
            agent: spec.agent.clone(),
            assignment,
        });
    }
    Ok(out)
}

/// The site `agent` scans, if any.
pub fn assigned<'a>(sites: &'a [Site], agent: &str) -> Option<&'a Site> {
    sites.iter().find(|s| s.agent == agent)
}

/// Why a site scan was not stored.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("agent {0} scans no site at this collector (no [[site]] names it)")]
    NotAssigned(String),
    #[error(transparent)]
    Mismatch(#[from] AssignmentError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Store `scan` from `agent`: checked against the agent's assignment, each
/// observation marked with the site and the agent. The scan's id.
pub async fn save(
    store: &dyn Store,
    sites: &[Site],
    agent: &str,
    mut scan: SiteScan,
) -> Result<i64, SaveError> {
    let site = assigned(sites, agent).ok_or_else(|| SaveError::NotAssigned(agent.into()))?;
    scan.check(&site.assignment)?;
    for o in &mut scan.observations {
        o.site = Some(site.assignment.site.clone());
        o.scanner = Some(agent.to_string());
        // The agent's engine has no OUI registry (it would be most of its
        // binary): the vendor comes from here, and the guess sees it.
        if o.mac_vendor.is_none()
            && let Some(mac) = o.mac
        {
            o.mac_vendor = census_discover::oui::organization(&mac.to_string());
            if o.mac_vendor.is_some() {
                o.guess = crate::scan::guess::guess(o);
            }
        }
    }
    for note in &scan.notes {
        tracing::info!(site = %site.assignment.site, agent, "site scan: {note}");
    }
    let targets = format!(
        "site {} via agent {agent}: {}",
        site.assignment.site,
        site.assignment.targets.join(" ")
    );
    Ok(
        crate::scan::schedule::save(store, scan.started_at, targets, scan.observations, &[])
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, agent: &str, targets: &[&str]) -> SiteSpec {
        SiteSpec {
            name: name.into(),
            agent: agent.into(),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            every: "6h".into(),
            ports: None,
            rate: None,
            force: None,
            snmp_communities: None,
            snmp_v3: None,
        }
    }

    #[test]
    fn sites_are_checked_and_inherit_the_collectors_credentials() {
        let sites = check(
            &[spec("Utrecht", "agt_1", &["10.2.0.0/24"])],
            &["office".into()],
            &[],
        )
        .unwrap();
        let a = &sites[0].assignment;
        assert_eq!(
            (a.site.as_str(), a.rate, a.every_secs),
            ("Utrecht", 500, 6 * 3600)
        );
        assert_eq!(a.snmp_communities, ["office"]);
        assert_eq!(
            assigned(&sites, "agt_1").unwrap().assignment.site,
            "Utrecht"
        );
        assert!(assigned(&sites, "agt_2").is_none());

        let err = |specs: &[SiteSpec]| check(specs, &[], &[]).unwrap_err();
        assert!(err(&[spec("", "a", &["10.0.0.1"])]).contains("name is empty"));
        assert!(
            err(&[spec("A", "x", &["10.0.0.1"]), spec("a", "y", &["10.0.0.2"])])
                .contains("another [[site]] has this name")
        );
        assert!(
            err(&[spec("A", "x", &["10.0.0.1"]), spec("B", "x", &["10.0.0.2"])])
                .contains("already scans another site")
        );
        let e = err(&[spec("Big", "x", &["10.0.0.0/8"])]);
        assert!(e.contains("set force = true in this site"), "{e}");
        let mut s = spec("Fast", "x", &["10.0.0.1"]);
        s.every = "10s".into();
        assert!(err(&[s]).contains("shorter than a minute"));
    }
}
