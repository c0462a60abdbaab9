//! Stable asset ids. The previous run's key → id assignment is the memory:
//! a group reuses the id its strongest keys had (agent id first, then
//! serial, UUID, MAC; names and addresses only for groups with no strong
//! key, and only if seen within the weak window). When two groups claim one
//! id, the stronger claim wins (key strength, then how many keys agree) and
//! the other takes its next claim or a new id. New ids are derived from the
//! group's strongest key (SHA-256, `a-` and 12 hex digits), so they do not
//! depend on input order; a collision takes a numbered variant.
//!
//! A person's merge retires the absorbed id: claims on it count for the
//! surviving one. Grouping and events are not here.

use super::MergeConfig;
use census_shared::asset::{AssetId, IdOrigin, IdentityKey};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Which asset a key belonged to, and when the key was last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAssignment {
    pub asset: AssetId,
    pub last_seen: DateTime<Utc>,
}

/// The memory of ids between runs: key → asset. Stored as a table
/// `(key TEXT PRIMARY KEY, asset_id, last_seen)`.
pub type PreviousIds = BTreeMap<IdentityKey, KeyAssignment>;

/// What one group offers for id assignment.
pub struct Claimant<'a> {
    /// The group's keys with when each was last seen in it.
    pub keys: &'a BTreeMap<IdentityKey, DateTime<Utc>>,
}

/// Follow merge aliases (`from` → `into`) to the surviving id.
pub fn alias<'a>(aliases: &'a BTreeMap<AssetId, AssetId>, mut id: &'a AssetId) -> &'a AssetId {
    for _ in 0..aliases.len() {
        match aliases.get(id) {
            Some(next) if next != id => id = next,
            _ => break,
        }
    }
    id
}

/// Ids for every group, index-aligned, with their origin. `reserved` are
/// ids that must not be handed out as new ones (every id known before).
pub fn assign(
    groups: &[Claimant<'_>],
    previous: &PreviousIds,
    aliases: &BTreeMap<AssetId, AssetId>,
    reserved: &BTreeSet<AssetId>,
    now: DateTime<Utc>,
    config: &MergeConfig,
) -> Vec<(AssetId, IdOrigin)> {
    // (rank, count, best key) per (group, id)
    let mut claims: BTreeMap<(usize, AssetId), (u8, usize, IdentityKey)> = BTreeMap::new();
    for (g, c) in groups.iter().enumerate() {
        let has_strong = c.keys.keys().any(IdentityKey::is_strong);
        for key in c.keys.keys() {
            let Some(prev) = previous.get(key) else {
                continue;
            };
            if !key.is_strong() && (has_strong || now - prev.last_seen > config.weak_window) {
                continue;
            }
            let id = alias(aliases, &prev.asset).clone();
            let e = claims
                .entry((g, id))
                .or_insert((key.rank(), 0, key.clone()));
            e.1 += 1;
            if key.rank() > e.0 {
                e.0 = key.rank();
                e.2 = key.clone();
            }
        }
    }
    let mut order: Vec<_> = claims.iter().collect();
    order.sort_by(|(ga, a), (gb, b)| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(ga.cmp(gb)));

    let mut out: Vec<Option<(AssetId, IdOrigin)>> = vec![None; groups.len()];
    let mut used: BTreeSet<AssetId> = BTreeSet::new();
    let merged_into: BTreeSet<&AssetId> = aliases.values().collect();
    for ((g, id), (_, _, key)) in order {
        if out[*g].is_some() || used.contains(id) {
            continue;
        }
        used.insert(id.clone());
        let origin = if merged_into.contains(id) {
            IdOrigin::PersonMerge
        } else {
            IdOrigin::Reused { key: key.clone() }
        };
        out[*g] = Some((id.clone(), origin));
    }
    for (g, c) in groups.iter().enumerate() {
        if out[g].is_some() {
            continue;
        }
        let key = c
            .keys
            .keys()
            .max_by(|a, b| a.rank().cmp(&b.rank()).then(b.cmp(a)))
            .cloned()
            .unwrap_or(IdentityKey::Name(format!("group-{g}")));
        let id = new_id(&key, |id| used.contains(id) || reserved.contains(id));
        used.insert(id.clone());
        out[g] = Some((id, IdOrigin::New { key }));
    }
    out.into_iter()
        .map(|o| o.expect("every group has an id"))
        .collect()
}

/// `a-` and 12 hex digits of SHA-256 of the key (then of `key#2`, `key#3`, …
/// while `taken`).
pub fn new_id(key: &IdentityKey, taken: impl Fn(&AssetId) -> bool) -> AssetId {
    let base = key.to_string();
    for n in 1u32.. {
        let input = if n == 1 {
            base.clone()
        } else {
            format!("{base}#{n}")
        };
        let d = ring::digest::digest(&ring::digest::SHA256, input.as_bytes());
        let hex: String = d.as_ref()[..6].iter().map(|b| format!("{b:02x}")).collect();
        let id = AssetId(format!("a-{hex}"));
        if !taken(&id) {
            return id;
        }
    }
    unreachable!("u32 ran out of numbered variants")
}

/// The memory for the next run: the previous assignments (those seen within
/// `key_retention`), overwritten by this run's.
pub fn remember(
    previous: &PreviousIds,
    current: impl IntoIterator<Item = (IdentityKey, AssetId, DateTime<Utc>)>,
    now: DateTime<Utc>,
    config: &MergeConfig,
) -> PreviousIds {
    let mut next: PreviousIds = previous
        .iter()
        .filter(|(_, a)| now - a.last_seen <= config.key_retention)
        .map(|(k, a)| (k.clone(), a.clone()))
        .collect();
    for (key, asset, last_seen) in current {
        next.insert(key, KeyAssignment { asset, last_seen });
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_derived_from_the_key_and_avoid_taken_ones() {
        let k = IdentityKey::Agent("x".into());
        let a = new_id(&k, |_| false);
        assert_eq!(a, new_id(&k, |_| false));
        assert!(a.0.starts_with("a-") && a.0.len() == 14, "{a}");
        let b = new_id(&k, |id| *id == a);
        assert_ne!(a, b);
    }

    #[test]
    fn aliases_follow_chains_and_survive_cycles() {
        let id = |s: &str| AssetId(s.into());
        let mut m = BTreeMap::new();
        m.insert(id("a"), id("b"));
        m.insert(id("b"), id("c"));
        assert_eq!(alias(&m, &id("a")), &id("c"));
        m.insert(id("c"), id("a"));
        let _ = alias(&m, &id("a")); // terminates
    }
}
