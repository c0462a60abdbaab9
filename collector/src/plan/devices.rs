//! Assets under the plan's device headings: each asset with its latest
//! agent report (specifications) and its scan observations (open ports,
//! SNMP), one [`DeviceRow`] per asset, and the IP address plan. Which
//! heading an asset belongs to follows its category alone; an asset without
//! one is listed under "other" (and under "To complete").

use super::model::{DeviceKind, DeviceRow, DeviceSection, DiskRow, IpRow};
use crate::merge::{Observation, Source};
use census_shared::HostReport;
use census_shared::asset::{Asset, Category};
use census_shared::observation::ScanObservation;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// One asset with what was observed of it.
pub struct Seen<'a> {
    pub asset: &'a Asset,
    pub kind: DeviceKind,
    /// The latest agent report and when it was collected.
    pub report: Option<(&'a HostReport, DateTime<Utc>)>,
    pub scans: Vec<&'a ScanObservation>,
}

impl Seen<'_> {
    /// The name to print: the asset's name, else its id.
    pub fn label(&self) -> String {
        self.asset
            .name
            .as_ref()
            .map_or_else(|| self.asset.id.0.clone(), |n| n.value.clone())
    }
}

/// The heading of a category.
pub fn kind_of(category: Option<Category>) -> DeviceKind {
    match category {
        Some(Category::OfficePc | Category::Laptop) => DeviceKind::OfficePcs,
        Some(Category::Server) => DeviceKind::Servers,
        Some(Category::NasBackup) => DeviceKind::BackupUnits,
        Some(Category::PhoneSystemVoip) => DeviceKind::PhoneSystem,
        Some(
            Category::NetworkRouter
            | Category::NetworkFirewall
            | Category::NetworkSwitch
            | Category::NetworkAccessPoint
            | Category::NetworkEquipment,
        ) => DeviceKind::Network,
        Some(Category::Printer) => DeviceKind::Printers,
        Some(Category::MobilePhone) => DeviceKind::MobilePhones,
        Some(Category::Tablet) => DeviceKind::Tablets,
        Some(Category::CameraIot | Category::Other) | None => DeviceKind::Other,
    }
}

/// Pair every asset with its observations, sorted by heading, name and id.
pub fn seen<'a>(assets: &'a [Asset], observations: &'a [Observation]) -> Vec<Seen<'a>> {
    let by_id: BTreeMap<&str, &Observation> =
        observations.iter().map(|o| (o.id.0.as_str(), o)).collect();
    let mut out: Vec<Seen> = assets
        .iter()
        .map(|asset| {
            let mut report: Option<(&HostReport, DateTime<Utc>)> = None;
            let mut scans = Vec::new();
            for id in &asset.observations {
                match by_id.get(id.0.as_str()).map(|o| (&o.source, o.at)) {
                    Some((Source::Agent { report: r, .. }, at))
                        if report.is_none_or(|(_, t)| at > t) =>
                    {
                        report = Some((r, at));
                    }
                    Some((Source::Scan { observation, .. }, _)) => scans.push(&**observation),
                    _ => {}
                }
            }
            Seen {
                asset,
                kind: kind_of(asset.category.as_ref().map(|c| c.value)),
                report,
                scans,
            }
        })
        .collect();
    // Per heading, the collector's own site first, then each remote site
    // (site scanners), so a plan of several sites reads site by site.
    out.sort_by_cached_key(|s| {
        (
            s.kind,
            s.asset.site.as_ref().map(|f| f.value.to_lowercase()),
            s.label().to_lowercase(),
            s.asset.id.clone(),
        )
    });
    out
}

fn row(s: &Seen) -> DeviceRow {
    let a = s.asset;
    let v = |f: &Option<census_shared::asset::Field<String>>| f.as_ref().map(|f| f.value.clone());
    let report = s.report.map(|(r, _)| r);
    DeviceRow {
        id: a.id.0.clone(),
        name: v(&a.name),
        category: a.category.as_ref().map(|c| c.value.as_str().to_string()),
        vendor: v(&a.vendor),
        model: v(&a.model),
        serial: v(&a.serial),
        os: v(&a.os),
        cpu: report.and_then(|r| r.cpu.model.clone()),
        cores: report.and_then(|r| r.cpu.physical_cores.or(r.cpu.logical_cores)),
        memory_bytes: report.and_then(|r| r.memory.total_bytes),
        disks: report
            .map(|r| {
                r.storage
                    .disks
                    .iter()
                    .filter(|d| !d.removable)
                    .map(|d| DiskRow {
                        model: d.model.clone(),
                        size_bytes: d.size_bytes,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ips: a.ips.iter().map(|i| i.value.to_string()).collect(),
        macs: a.macs.iter().map(|m| m.value.to_string()).collect(),
        department: v(&a.department),
        location: v(&a.location),
        site: v(&a.site),
        owner: v(&a.owner),
        last_seen: a.last_seen,
        agent: !a.agent_ids.is_empty(),
    }
}

/// Every heading (in the plan's order) with its devices.
pub fn sections(seen: &[Seen]) -> Vec<DeviceSection> {
    DeviceKind::ALL
        .iter()
        .map(|&kind| DeviceSection {
            kind,
            devices: seen.iter().filter(|s| s.kind == kind).map(row).collect(),
        })
        .collect()
}

/// Every current address with the asset that has it, by address.
pub fn ip_plan(seen: &[Seen]) -> Vec<IpRow> {
    let mut rows: Vec<(IpAddr, IpRow)> = seen
        .iter()
        .flat_map(|s| {
            s.asset.ips.iter().map(|ip| {
                (
                    ip.value,
                    IpRow {
                        ip: ip.value.to_string(),
                        asset: s.asset.id.0.clone(),
                        name: s.asset.name.as_ref().map(|n| n.value.clone()),
                        section: s.kind,
                        macs: s.asset.macs.iter().map(|m| m.value.to_string()).collect(),
                    },
                )
            })
        })
        .collect();
    rows.sort_by(|a, b| (a.0, &a.1.asset).cmp(&(b.0, &b.1.asset)));
    rows.into_iter().map(|(_, r)| r).collect()
}
