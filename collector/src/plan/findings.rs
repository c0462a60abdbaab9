//! "To complete" (what is missing or stale) and risks, from the assets, the
//! agents' reports, the scans and the site facts (end of support: the
//! agent's word, else the table of `eol.rs`). Each finding names its
//! subject (an asset's name, a supplier, a section or test by its
//! site-file key) and the evidence; the words are the renderer's. Only what
//! was observed counts: an unknown firewall state is not a risk.

use super::devices::Seen;
use super::eol;
use super::model::{DeviceKind, Finding, FindingKind, LicenceRow, TestRow};
use census_shared::report::OsInfo;
use census_shared::site::{ExternalKind, SiteFacts, TestKind};
use census_shared::{SerialVerdict, check_serial};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Agents not heard from for this long are listed.
pub const AGENT_SILENT_DAYS: i64 = 30;
/// Sections reviewed and tests done longer ago than this are stale.
pub const STALE_DAYS: i64 = 365;
/// Ports whose service should not be open inside an office: (port, name).
pub const RISKY_PORTS: [(u16, &str); 5] = [
    (21, "FTP"),
    (23, "telnet"),
    (139, "SMB"),
    (445, "SMB"),
    (3389, "RDP"),
];

fn f(kind: FindingKind, subject: impl Into<String>, detail: Option<String>) -> Finding {
    Finding {
        kind,
        subject: subject.into(),
        detail,
        since: None,
    }
}

/// The system a machine runs and its last day of support, when that day
/// lies before `today`: the agent's own word (`SUPPORT_END`) first, else
/// the table of `eol.rs` on what the agent or a scan reports.
pub fn end_of_life(
    report: Option<&OsInfo>,
    asset_os: Option<&str>,
    today: NaiveDate,
) -> Option<(String, NaiveDate)> {
    let stated = report
        .and_then(|r| r.support_end.as_deref())
        .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
    let end = stated.or_else(|| {
        let names = report
            .into_iter()
            .flat_map(|r| [r.pretty_name.as_deref(), r.name.as_deref()])
            .chain([asset_os])
            .flatten()
            .collect();
        eol::support_end(&eol::OsSeen {
            id: report.and_then(|r| r.id.as_deref()),
            version: report.and_then(|r| r.version.as_deref()),
            build: report.and_then(|r| r.build.as_deref()),
            names,
        })
    })?;
    let name = report
        .and_then(|r| r.pretty_name.clone())
        .or_else(|| asset_os.map(str::to_string))
        .or_else(|| {
            let r = report?;
            let parts = [r.name.as_deref(), r.version.as_deref()];
            Some(parts.into_iter().flatten().collect::<Vec<_>>().join(" "))
        })
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "?".into());
    (end < today).then_some((name, end))
}

fn stale(date: Option<NaiveDate>, today: NaiveDate) -> bool {
    date.is_none_or(|d| today - d > Duration::days(STALE_DAYS))
}

/// The yearly tests, every kind listed whether or not the site file has it.
pub fn tests(site: Option<&SiteFacts>, today: NaiveDate) -> Vec<TestRow> {
    let listed = site.and_then(|s| s.tests.as_ref()).map(|t| &t.yearly[..]);
    TestKind::ALL
        .iter()
        .map(|&kind| {
            let last = listed
                .and_then(|l| l.iter().find(|t| t.kind == kind))
                .and_then(|t| t.last_done.clone());
            TestRow {
                kind,
                overdue: stale(last.as_ref().and_then(|d| d.date()), today),
                last_done: last.map(|d| d.0),
            }
        })
        .collect()
}

/// What is missing or stale, sorted by kind and subject.
pub fn to_complete(
    seen: &[Seen],
    site: Option<&SiteFacts>,
    tests: &[TestRow],
    now: DateTime<Utc>,
) -> Vec<Finding> {
    let today = now.date_naive();
    let mut out = Vec::new();
    match site {
        None => out.push(f(FindingKind::NoSiteFile, "site.toml", None)),
        Some(site) => {
            for (section, reviewed) in site.reviewed() {
                match reviewed {
                    None => out.push(f(FindingKind::SectionMissing, section.as_str(), None)),
                    Some(r) if stale(r.and_then(|d| d.date()), today) => out.push(f(
                        FindingKind::SectionNotReviewed,
                        section.as_str(),
                        r.map(|d| d.0.clone()),
                    )),
                    Some(_) => {}
                }
            }
            if let Some(team) = &site.team {
                if !team.members.iter().any(|m| m.first_contact) {
                    out.push(f(FindingKind::NoFirstContact, "team", None));
                }
                if !team.members.iter().any(|m| m.decides) {
                    out.push(f(FindingKind::NoDecider, "team", None));
                }
            }
            for p in site.external.iter().flat_map(|e| &e.parties) {
                let supplier = !matches!(p.kind, ExternalKind::Insurer | ExternalKind::Lawyer);
                if supplier
                    && p.out_of_hours_phone
                        .as_deref()
                        .is_none_or(|n| n.trim().is_empty())
                {
                    out.push(f(FindingKind::NoOutOfHours, &p.name, None));
                }
            }
            for d in site.processes.iter().flat_map(|p| &p.departments) {
                for s in d.systems.iter().filter(|s| s.priority.is_none()) {
                    out.push(f(
                        FindingKind::NoPriority,
                        format!("{} / {}", d.name, s.name),
                        None,
                    ));
                }
            }
        }
    }
    for t in tests.iter().filter(|t| t.overdue) {
        out.push(f(
            FindingKind::TestOverdue,
            t.kind.as_str(),
            t.last_done.clone(),
        ));
    }
    for s in seen {
        let a = s.asset;
        let serial = a.serial.as_ref().map(|s| s.value.as_str());
        if !matches!(serial.map(check_serial), Some(SerialVerdict::Valid(_))) {
            out.push(f(
                FindingKind::NoSerial,
                s.label(),
                serial.map(str::to_string),
            ));
        }
        if a.category.is_none() {
            let ip = a.ips.first().map(|i| i.value.to_string());
            out.push(f(FindingKind::Unclassified, s.label(), ip));
        }
        if let Some((_, at)) = s.report
            && now - at > Duration::days(AGENT_SILENT_DAYS)
        {
            let when = at.format("%Y-%m-%d").to_string();
            out.push(f(FindingKind::AgentSilent, s.label(), Some(when)));
        }
    }
    out.sort();
    out
}

/// Risks, sorted by kind and subject. `default_communities` are the
/// credential label prefixes (`community #1 `) of communities such as
/// `public`.
pub fn risks(
    seen: &[Seen],
    licences: &[LicenceRow],
    default_communities: &[String],
    today: NaiveDate,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in seen {
        let name = s.label();
        let os = s.asset.os.as_ref().map(|o| o.value.as_str());
        if let Some((system, end)) = end_of_life(s.report.map(|(r, _)| &r.os), os, today) {
            out.push(Finding {
                since: Some(end),
                ..f(FindingKind::EndOfLifeOs, &name, Some(system))
            });
        }
        if let Some((r, _)) = s.report {
            let sec = &r.security;
            if sec.disk_encryption_complete == Some(false) {
                out.push(f(FindingKind::NoDiskEncryption, &name, None));
            }
            if sec.firewall.as_ref().is_some_and(|fw| !fw.active) {
                out.push(f(FindingKind::NoFirewall, &name, None));
            }
            if sec.automatic_updates.as_ref().is_some_and(|u| !u.enabled) {
                out.push(f(FindingKind::NoAutomaticUpdates, &name, None));
            }
            // Only Windows is expected to run a separate antivirus.
            let windows = r.os.family.as_deref() == Some("windows");
            if windows && sec.antivirus.is_empty() {
                out.push(f(FindingKind::NoAntivirus, &name, None));
            }
        }
        let mut open: Vec<String> = RISKY_PORTS
            .iter()
            .filter(|(port, _)| s.scans.iter().any(|o| o.open_tcp.contains(port)))
            .map(|(port, what)| format!("{port}/tcp ({what})"))
            .collect();
        open.dedup();
        if !open.is_empty() {
            out.push(f(FindingKind::ExposedService, &name, Some(open.join(", "))));
        }
        let default = s.scans.iter().filter_map(|o| o.snmp.as_ref()).find(|d| {
            default_communities
                .iter()
                .any(|p| d.credential.starts_with(p.as_str()))
        });
        if let Some(d) = default {
            out.push(f(
                FindingKind::SnmpDefaultCommunity,
                &name,
                Some(d.credential.clone()),
            ));
        }
        if s.asset.unknown && matches!(s.kind, DeviceKind::OfficePcs | DeviceKind::Servers) {
            let ip = s.asset.ips.first().map(|i| i.value.to_string());
            out.push(f(FindingKind::NotEnrolled, &name, ip));
        }
    }
    for l in licences {
        if l.over_use {
            let detail = format!("{} > {}", l.installed, l.quantity);
            out.push(f(FindingKind::LicenceOverUse, &l.product, Some(detail)));
        }
        if l.expired {
            out.push(f(
                FindingKind::LicenceExpired,
                &l.product,
                l.expires.clone(),
            ));
        }
    }
    out.sort();
    out
}
