//! An asset's fields from its observations and a person's values: every
//! candidate value keeps its provenance, and the winner is chosen by
//! precedence — person, then agent, then SNMP, then scan guesses — then by
//! quality within a source (a real serial beats a placeholder, a DNS name
//! beats an mDNS one), then by recency, then by observation id, so the
//! result is deterministic.
//!
//! Lists (MACs, addresses, names) keep each value once with its best
//! provenance; addresses are only the current ones (seen within the
//! configured window of the newest sighting from the same source). Which
//! observations form the asset and its status are decided elsewhere.

use super::MergeConfig;
use super::category;
use super::decisions::{Action, Decision};
use super::normalize::{name_key, physical, usable_ip};
use super::observation::{Observation, Source};
use census_shared::asset::{
    Asset, AssetId, AssetStatus, Category, Field, FieldName, ObservationId, Provenance, SourceKind,
};
use census_shared::{MacAddr, check_serial};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A candidate value: (value, provenance, quality within its source).
type Cand<T> = (T, Provenance, u8);

fn prov(o: &Observation, source: SourceKind) -> Provenance {
    Provenance {
        source,
        observation: o.id.clone(),
        at: o.at,
    }
}

fn rank<T>(c: &Cand<T>) -> (SourceKind, u8, DateTime<Utc>, &ObservationId) {
    (c.1.source, c.2, c.1.at, &c.1.observation)
}

/// The winning candidate.
fn best<T>(cands: Vec<Cand<T>>) -> Option<Field<T>> {
    cands
        .into_iter()
        .max_by(|a, b| rank(a).cmp(&rank(b)))
        .map(|(value, provenance, _)| Field { value, provenance })
}

/// Serials: a person's entry wins; otherwise a real serial from any source
/// beats a placeholder from a higher one ("To be filled by O.E.M." from
/// the agent must not hide the serial SNMP read off the same box).
fn best_serial(cands: Vec<Cand<String>>) -> Option<Field<String>> {
    cands
        .into_iter()
        .max_by(|a, b| {
            let person = |c: &Cand<String>| c.1.source == SourceKind::Person;
            (person(a), a.2)
                .cmp(&(person(b), b.2))
                .then_with(|| rank(a).cmp(&rank(b)))
        })
        .map(|(value, provenance, _)| Field { value, provenance })
}

/// Each value once, with its best provenance, sorted by value.
fn each<T: Ord>(cands: Vec<Cand<T>>) -> Vec<Field<T>> {
    let mut by: BTreeMap<T, (Provenance, u8)> = BTreeMap::new();
    for (v, p, q) in cands {
        match by.get(&v) {
            Some((bp, bq))
                if (bp.source, *bq, bp.at, &bp.observation)
                    >= (p.source, q, p.at, &p.observation) => {}
            _ => {
                by.insert(v, (p, q));
            }
        }
    }
    by.into_iter()
        .map(|(value, (provenance, _))| Field { value, provenance })
        .collect()
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[derive(Default)]
struct Cands {
    name: Vec<Cand<String>>,
    vendor: Vec<Cand<String>>,
    model: Vec<Cand<String>>,
    serial: Vec<Cand<String>>,
    uuid: Vec<Cand<String>>,
    os: Vec<Cand<String>>,
    site: Vec<Cand<String>>,
    category: Vec<Cand<Category>>,
    macs: Vec<Cand<MacAddr>>,
    ips: Vec<Cand<IpAddr>>,
    names: Vec<Cand<String>>,
    person: BTreeMap<FieldName, Field<String>>,
}

impl Cands {
    fn add(list: &mut Vec<Cand<String>>, v: &Option<String>, p: &Provenance, q: u8) {
        if let Some(v) = text(v) {
            list.push((v, p.clone(), q));
        }
    }

    fn serial(&mut self, v: &Option<String>, p: &Provenance) {
        if let Some(s) = text(v) {
            let q = u8::from(check_serial(&s).valid().is_some());
            self.serial.push((s, p.clone(), q));
        }
    }

    fn name(&mut self, raw: &str, p: &Provenance, q: u8) {
        let raw = raw.trim();
        if let Ok(Some(k)) = name_key(raw) {
            self.name.push((raw.to_string(), p.clone(), q));
            self.names.push((k, p.clone(), q));
        }
    }

    fn observation(&mut self, o: &Observation) {
        if let Some((c, source)) = category::of(o) {
            self.category.push((c, prov(o, source), 0));
        }
        match &o.source {
            Source::Agent { report: r, .. } => {
                let p = prov(o, SourceKind::Agent);
                if let Some(h) = &r.host.hostname {
                    self.name(h, &p, 2);
                }
                if let Some(f) = &r.host.fqdn {
                    self.name(f, &p, 1);
                }
                Cands::add(&mut self.vendor, &r.hardware.manufacturer, &p, 0);
                Cands::add(&mut self.model, &r.hardware.model, &p, 0);
                self.serial(&r.hardware.serial, &p);
                Cands::add(&mut self.uuid, &r.hardware.uuid, &p, 0);
                let os = r.os.pretty_name.clone().or_else(|| {
                    r.os.name.as_ref().map(|n| match &r.os.version {
                        Some(v) => format!("{n} {v}"),
                        None => n.clone(),
                    })
                });
                Cands::add(&mut self.os, &os, &p, 0);
                for i in r.network.interfaces.iter().filter(|i| physical(i.kind)) {
                    if let Some(m) = i.mac.filter(|m| m.0 != [0; 6]) {
                        self.macs.push((m, p.clone(), 0));
                    }
                    for a in i.addresses.iter().filter(|a| usable_ip(a.address)) {
                        self.ips.push((a.address, p.clone(), 0));
                    }
                }
            }
            Source::Scan { observation: s, .. } => {
                let p = prov(o, SourceKind::Scan);
                self.ips.push((s.ip, p.clone(), 0));
                Cands::add(&mut self.site, &s.site, &p, 0);
                if let Some(m) = s.mac {
                    self.macs.push((m, p.clone(), 0));
                }
                for n in &s.names {
                    let q = match n.source.as_str() {
                        "dns" => 3,
                        "netbios" => 2,
                        "mdns" => 1,
                        _ => 0,
                    };
                    self.name(&n.name, &p, q);
                }
                if s.mac.is_some_and(|m| m.virtual_vendor().is_none()) {
                    Cands::add(&mut self.vendor, &s.mac_vendor, &p, 0);
                }
                if let Some(d) = &s.snmp {
                    let p = prov(o, SourceKind::Snmp);
                    if let Some(n) = &d.sys_name {
                        self.name(n, &p, 0);
                    }
                    Cands::add(&mut self.vendor, &d.vendor, &p, 0);
                    Cands::add(&mut self.model, &d.model, &p, 0);
                    self.serial(&d.serial, &p);
                    Cands::add(&mut self.os, &d.os, &p, 0);
                    for m in d
                        .mac_addresses
                        .iter()
                        .filter_map(|m| m.parse::<MacAddr>().ok())
                    {
                        self.macs.push((m, p.clone(), 0));
                    }
                }
            }
        }
    }

    fn person(&mut self, d: &Decision) {
        let Action::Set { field, value, .. } = &d.action else {
            return;
        };
        let p = Provenance {
            source: SourceKind::Person,
            observation: ObservationId(format!("person:{}", d.id)),
            at: d.at,
        };
        match value {
            Some(v) => {
                _ = self.person.insert(
                    *field,
                    Field {
                        value: v.clone(),
                        provenance: p,
                    },
                )
            }
            None => _ = self.person.remove(field),
        }
    }
}

/// Only the addresses seen within `window` of the newest sighting of the
/// same source.
fn current(ips: Vec<Cand<IpAddr>>, window: chrono::Duration) -> Vec<Cand<IpAddr>> {
    let mut newest: BTreeMap<SourceKind, DateTime<Utc>> = BTreeMap::new();
    for (_, p, _) in &ips {
        let e = newest.entry(p.source).or_insert(p.at);
        *e = (*e).max(p.at);
    }
    ips.into_iter()
        .filter(|(_, p, _)| p.at >= newest[&p.source] - window)
        .collect()
}

/// Build the asset `id` from its observations and the person's `Set`
/// decisions for it (in any order; the latest per field wins).
pub fn build(
    id: AssetId,
    members: &[&Observation],
    sets: &[&Decision],
    config: &MergeConfig,
) -> Asset {
    let mut c = Cands::default();
    for o in members {
        c.observation(o);
    }
    let mut sets = sets.to_vec();
    sets.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    for d in sets {
        c.person(d);
    }
    let person = |f: FieldName| c.person.get(&f).cloned();
    for (f, list) in [
        (FieldName::Name, &mut c.name),
        (FieldName::Vendor, &mut c.vendor),
        (FieldName::Model, &mut c.model),
        (FieldName::Serial, &mut c.serial),
        (FieldName::Os, &mut c.os),
    ] {
        if let Some(v) = c.person.get(&f) {
            list.push((v.value.clone(), v.provenance.clone(), 0));
        }
    }
    if let Some(v) = c.person.get(&FieldName::Category)
        && let Some(cat) = Category::parse(&v.value)
    {
        c.category.push((cat, v.provenance.clone(), 0));
    }
    let mut agent_ids: Vec<String> = members
        .iter()
        .filter_map(|o| o.agent_id().map(str::to_string))
        .collect();
    agent_ids.sort();
    agent_ids.dedup();
    let mut observations: Vec<ObservationId> = members.iter().map(|o| o.id.clone()).collect();
    observations.sort();
    let mut names = each(std::mem::take(&mut c.names));
    names.sort_by(|a, b| {
        (b.provenance.source, b.provenance.at)
            .cmp(&(a.provenance.source, a.provenance.at))
            .then(a.value.cmp(&b.value))
    });
    Asset {
        id,
        category: best(std::mem::take(&mut c.category)),
        name: best(std::mem::take(&mut c.name)),
        vendor: best(std::mem::take(&mut c.vendor)),
        model: best(std::mem::take(&mut c.model)),
        serial: best_serial(std::mem::take(&mut c.serial)),
        uuid: best(std::mem::take(&mut c.uuid)),
        os: best(std::mem::take(&mut c.os)),
        unknown: agent_ids.is_empty(),
        agent_ids,
        macs: each(std::mem::take(&mut c.macs)),
        ips: each(current(std::mem::take(&mut c.ips), config.current_window)),
        names,
        department: person(FieldName::Department),
        owner: person(FieldName::Owner),
        criticality: person(FieldName::Criticality),
        location: person(FieldName::Location),
        notes: person(FieldName::Notes),
        site: best(std::mem::take(&mut c.site)),
        first_seen: members.iter().map(|o| o.at).min().unwrap_or_default(),
        last_seen: members.iter().map(|o| o.at).max().unwrap_or_default(),
        status: AssetStatus::Active,
        observations,
    }
}

/// Apply a person's values to an asset that was not rebuilt this run (one
/// kept from the previous run): each field's latest value wins; a value
/// taken away leaves the field as it was.
pub fn apply_person(asset: &mut Asset, sets: &[&Decision]) {
    let mut c = Cands::default();
    let mut sets = sets.to_vec();
    sets.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    for d in sets {
        c.person(d);
    }
    for (f, v) in c.person {
        let slot = match f {
            FieldName::Category => {
                if let Some(cat) = Category::parse(&v.value) {
                    asset.category = Some(Field {
                        value: cat,
                        provenance: v.provenance,
                    });
                }
                continue;
            }
            FieldName::Name => &mut asset.name,
            FieldName::Vendor => &mut asset.vendor,
            FieldName::Model => &mut asset.model,
            FieldName::Serial => &mut asset.serial,
            FieldName::Os => &mut asset.os,
            FieldName::Department => &mut asset.department,
            FieldName::Owner => &mut asset.owner,
            FieldName::Criticality => &mut asset.criticality,
            FieldName::Location => &mut asset.location,
            FieldName::Notes => &mut asset.notes,
        };
        *slot = Some(v);
    }
}
