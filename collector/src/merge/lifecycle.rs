//! What happened since the previous run: assets not observed this time are
//! kept (or retired when their keys now belong to another asset), each
//! asset's status follows its last sighting, and the differences become
//! events — new asset, new unknown device, field changed, not seen,
//! reappeared, absorbed.
//!
//! Comparison is field by field on current values (not on provenance, last
//! sighting or the observation list), so re-scanning an unchanged office
//! produces no events. Grouping and ids are decided before this runs.

use super::MergeConfig;
use super::ids::{PreviousIds, alias};
use census_shared::asset::{
    Asset, AssetId, AssetStatus, Event, EventKind, Field, IdentityKey, SourceKind,
};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fmt::Display;

/// Missing when not seen for longer than `not_seen_after`.
pub fn status(last_seen: DateTime<Utc>, now: DateTime<Utc>, config: &MergeConfig) -> AssetStatus {
    if now - last_seen > config.not_seen_after {
        AssetStatus::Missing
    } else {
        AssetStatus::Active
    }
}

/// Previous assets this run did not build: `(kept, retired → surviving id)`.
/// An asset is retired when a person merged it away or when one of its
/// remembered keys now belongs to a current asset; otherwise it is kept.
pub fn carry_over(
    previous: &[Asset],
    built: &BTreeMap<AssetId, usize>,
    previous_ids: &PreviousIds,
    owner_now: &BTreeMap<IdentityKey, AssetId>,
    aliases: &BTreeMap<AssetId, AssetId>,
) -> (Vec<Asset>, Vec<(AssetId, AssetId)>) {
    let mut kept = Vec::new();
    let mut retired = Vec::new();
    for p in previous.iter().filter(|p| !built.contains_key(&p.id)) {
        let merged = alias(aliases, &p.id);
        if merged != &p.id && built.contains_key(merged) {
            retired.push((p.id.clone(), merged.clone()));
            continue;
        }
        let successor = previous_ids
            .iter()
            .filter(|(_, a)| a.asset == p.id)
            .filter_map(|(k, _)| owner_now.get(k).map(|o| (k.rank(), o)))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)));
        match successor {
            Some((_, into)) => retired.push((p.id.clone(), into.clone())),
            None => kept.push(p.clone()),
        }
    }
    (kept, retired)
}

/// A field's current value as text, and its source.
type Shown = (Option<String>, Option<SourceKind>);

fn one<T: Display>(f: &Option<Field<T>>) -> Shown {
    (
        f.as_ref().map(|f| f.value.to_string()),
        f.as_ref().map(|f| f.provenance.source),
    )
}

fn list<T: Display>(f: &[Field<T>]) -> Shown {
    let mut v: Vec<String> = f.iter().map(|f| f.value.to_string()).collect();
    v.sort();
    let text = (!v.is_empty()).then(|| v.join(", "));
    (text, f.iter().map(|f| f.provenance.source).max())
}

/// The field-by-field view used for comparison.
fn view(a: &Asset) -> Vec<(&'static str, Shown)> {
    let cat = (
        a.category.as_ref().map(|c| c.value.as_str().to_string()),
        a.category.as_ref().map(|c| c.provenance.source),
    );
    let agents = (
        (!a.agent_ids.is_empty()).then(|| a.agent_ids.join(", ")),
        Some(SourceKind::Agent),
    );
    vec![
        ("category", cat),
        ("name", one(&a.name)),
        ("vendor", one(&a.vendor)),
        ("model", one(&a.model)),
        ("serial", one(&a.serial)),
        ("uuid", one(&a.uuid)),
        ("os", one(&a.os)),
        ("agent_ids", agents),
        ("macs", list(&a.macs)),
        ("ips", list(&a.ips)),
        ("department", one(&a.department)),
        ("owner", one(&a.owner)),
        ("criticality", one(&a.criticality)),
        ("location", one(&a.location)),
        ("notes", one(&a.notes)),
        ("site", one(&a.site)),
    ]
}

/// Events for `current` against `previous`, plus the retired ids; ordered by
/// asset id, then kind.
pub fn events(
    previous: &[Asset],
    current: &[Asset],
    retired: &[(AssetId, AssetId)],
    now: DateTime<Utc>,
) -> Vec<Event> {
    let before: BTreeMap<&AssetId, &Asset> = previous.iter().map(|a| (&a.id, a)).collect();
    let mut out = Vec::new();
    let mut push = |asset: &AssetId, kind| {
        out.push(Event {
            at: now,
            asset: asset.clone(),
            kind,
        })
    };
    for a in current {
        let Some(p) = before.get(&a.id) else {
            let category = a.category.as_ref().map(|c| c.value);
            let name = a.name.as_ref().map(|n| n.value.clone());
            push(
                &a.id,
                if a.unknown {
                    EventKind::NewUnknownDevice { category, name }
                } else {
                    EventKind::NewAsset { category, name }
                },
            );
            continue;
        };
        for ((field, (old, old_src)), (_, (new, new_src))) in view(p).into_iter().zip(view(a)) {
            if old != new {
                let source = new_src.or(old_src).unwrap_or(SourceKind::Scan);
                push(
                    &a.id,
                    EventKind::FieldChanged {
                        field: field.into(),
                        old,
                        new,
                        source,
                    },
                );
            }
        }
        match (p.status, a.status) {
            (AssetStatus::Active, AssetStatus::Missing) => push(
                &a.id,
                EventKind::NotSeen {
                    last_seen: a.last_seen,
                },
            ),
            (AssetStatus::Missing, AssetStatus::Active) => push(&a.id, EventKind::Reappeared),
            _ => {}
        }
    }
    for (old, into) in retired {
        push(old, EventKind::Absorbed { into: into.clone() });
    }
    out.sort_by(|a, b| a.asset.cmp(&b.asset));
    out
}
