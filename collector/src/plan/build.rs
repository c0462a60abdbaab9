//! [`build`]: the merged assets, their observations and the site facts
//! into one [`Plan`]. Pure: the caller loads the store and the site file
//! and says what "now" is, so the same inputs always give the same plan.

use super::model::{PLAN_SCHEMA, Plan};
use super::{devices, findings, recovery, software};
use crate::merge::Observation;
use census_shared::asset::Asset;
use census_shared::site::{MobileKind, SiteFacts};
use chrono::{DateTime, Utc};

/// What a plan is made of.
pub struct Inputs<'a> {
    /// The current assets (`assets::current`).
    pub assets: &'a [Asset],
    /// The observations they were merged from (specs, ports, SNMP).
    pub observations: &'a [Observation],
    pub site: Option<&'a SiteFacts>,
    /// Credential label prefixes (`community #1 `) whose community is a
    /// well-known default (`public`, `private`).
    pub default_communities: Vec<String>,
    pub now: DateTime<Utc>,
}

/// The SNMP credential label prefixes of default communities in a config's
/// list (labels are numbered from 1 in list order).
pub fn default_communities(communities: &[String]) -> Vec<String> {
    communities
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.as_str(), "public" | "private"))
        .map(|(i, _)| format!("community #{} ", i + 1))
        .collect()
}

/// Build the plan.
pub fn build(input: &Inputs) -> Plan {
    let today = input.now.date_naive();
    let seen = devices::seen(input.assets, input.observations);
    let site = input.site;
    let licences = site
        .and_then(|s| s.licences.as_ref())
        .map(|l| software::licences(&l.items, &seen, today))
        .unwrap_or_default();
    let tests = findings::tests(site, today);
    let mut mobile_devices: Vec<_> = site
        .and_then(|s| s.mobile.as_ref())
        .map(|m| m.devices.clone())
        .unwrap_or_default();
    mobile_devices.sort_by_key(|d| d.kind != MobileKind::Phone);
    Plan {
        schema: PLAN_SCHEMA,
        generated_at: input.now,
        site_facts: site.is_some(),
        organisation: site.and_then(|s| s.organisation.clone()),
        devices: devices::sections(&seen),
        backup_offsite: site.and_then(|s| s.backup.clone()),
        phone_system: site.and_then(|s| s.phone.as_ref()?.system.clone()),
        phone_lines: site
            .and_then(|s| s.phone.as_ref())
            .map(|p| p.lines.clone())
            .unwrap_or_default(),
        internet: site
            .and_then(|s| s.internet.as_ref())
            .map(|i| i.connections.clone())
            .unwrap_or_default(),
        website: site.and_then(|s| s.internet.as_ref()?.website.clone()),
        wifi: site
            .and_then(|s| s.internet.as_ref())
            .map(|i| i.wifi.clone())
            .unwrap_or_default(),
        software: software::installed(&seen),
        ip_plan: devices::ip_plan(&seen),
        mobile_devices,
        cloud: site
            .and_then(|s| s.cloud.as_ref())
            .map(|c| c.services.clone())
            .unwrap_or_default(),
        processes: site
            .and_then(|s| s.processes.as_ref())
            .map(recovery::processes)
            .unwrap_or_default(),
        recovery_order: site
            .and_then(|s| s.processes.as_ref())
            .map(recovery::order)
            .unwrap_or_default(),
        team: site
            .and_then(|s| s.team.as_ref())
            .map(|t| t.members.clone())
            .unwrap_or_default(),
        external: site
            .and_then(|s| s.external.as_ref())
            .map(|e| e.parties.clone())
            .unwrap_or_default(),
        fallback: site.and_then(|s| s.fallback.clone()),
        replacement: site.and_then(|s| s.replacement.clone()),
        to_complete: findings::to_complete(&seen, site, &tests, input.now),
        risks: findings::risks(&seen, &licences, &input.default_communities, today),
        tests,
        licences,
    }
}
