//! The merge engine: one asset per real thing, from agent reports, scan
//! observations (with SNMP identity) and a person's corrections — pure,
//! deterministic, explained and reversible.
//!
//! [`resolve`] takes every observation the store wants considered, the
//! person's [`Decision`]s, and what the previous run left ([`Previous`]:
//! the key → asset id memory and the previous assets), and returns the
//! [`Resolution`]: assets with provenance on every field, an explanation per
//! asset, change events, and the memory for the next run. No I/O, no clock
//! (`now` is an argument), no async; the output does not depend on input
//! order.
//!
//! One file per concept: `observation.rs` (input), `keys.rs` (strong and
//! weak keys and the values refused as keys), `resolve.rs` (union-find with
//! constraints), `decisions.rs` (a person's merge/split/set), `ids.rs`
//! (stable ids), `category.rs`, `fields.rs` (precedence), `lifecycle.rs`
//! (carry-over, status, events). Storage and the CLI are not here.

mod category;
mod decisions;
mod fields;
mod ids;
mod keys;
mod lifecycle;
mod normalize;
mod observation;
mod resolve;
#[cfg(test)]
mod tests;

pub use category::{
    from_agent as category_from_agent, from_guess as category_from_guess,
    from_snmp as category_from_snmp,
};
pub use decisions::{
    Action, Decision, DecisionError, merge_decision, set_decision, split_decision,
};
pub use ids::{KeyAssignment, PreviousIds};
pub use normalize::{name_key, vendor_key};
pub use observation::{Observation, Source};

use census_shared::asset::{
    Asset, AssetId, Event, IdOrigin, IdentityKey, Join, JoinBasis, MergeExplanation, ObservationId,
    Refusal,
};
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// The engine's knobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeConfig {
    /// Names and addresses join only observations this close in time.
    pub weak_window: Duration,
    /// An address is current when seen within this of the newest sighting
    /// from the same source.
    pub current_window: Duration,
    /// An asset not seen for this long is `missing` (a `not_seen` event).
    pub not_seen_after: Duration,
    /// A MAC one scan saw on this many addresses or more is not an identity.
    pub mac_many_ips: usize,
    /// Remembered key → id assignments are forgotten after this long.
    pub key_retention: Duration,
}

impl Default for MergeConfig {
    fn default() -> Self {
        MergeConfig {
            weak_window: Duration::hours(24),
            current_window: Duration::hours(1),
            not_seen_after: Duration::days(7),
            mac_many_ips: 3,
            key_retention: Duration::days(400),
        }
    }
}

/// What the previous run left.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Previous {
    pub ids: PreviousIds,
    pub assets: Vec<Asset>,
}

/// Everything one run decided.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolution {
    /// Sorted by id; assets not observed this run are kept from the
    /// previous one (status from their last sighting).
    pub assets: Vec<Asset>,
    /// One per asset, same order.
    pub explanations: Vec<MergeExplanation>,
    /// Ordered by asset id.
    pub events: Vec<Event>,
    /// The memory to store for the next run (replaces the previous one).
    pub ids: PreviousIds,
    /// The keys of every observation of this run, strongest first.
    pub observation_keys: BTreeMap<ObservationId, Vec<IdentityKey>>,
}

impl Resolution {
    pub fn asset(&self, id: &AssetId) -> Option<&Asset> {
        self.assets
            .binary_search_by(|a| a.id.cmp(id))
            .ok()
            .map(|i| &self.assets[i])
    }

    pub fn explanation(&self, id: &AssetId) -> Option<&MergeExplanation> {
        self.explanations.iter().find(|e| &e.asset == id)
    }

    /// Every key of an asset's observations (this run's), or `None` for an
    /// unknown asset.
    pub fn asset_keys(&self, id: &AssetId) -> Option<BTreeSet<IdentityKey>> {
        let a = self.asset(id)?;
        Some(
            a.observations
                .iter()
                .filter_map(|o| self.observation_keys.get(o))
                .flatten()
                .cloned()
                .collect(),
        )
    }
}

/// Resolve observations into assets. See the module documentation.
pub fn resolve(
    observations: &[Observation],
    decisions: &[Decision],
    previous: &Previous,
    now: DateTime<Utc>,
    config: &MergeConfig,
) -> Resolution {
    let mut obs: Vec<&Observation> = observations.iter().collect();
    obs.sort_by(|a, b| a.id.cmp(&b.id).then(a.at.cmp(&b.at)));
    obs.dedup_by(|a, b| a.id == b.id);
    let active = decisions::active(decisions);
    let keys = keys::extract_all(&obs, &decisions::merged_agents(&active), config);
    let grouping = resolve::group(&obs, &keys, &active, config);

    let aliases: BTreeMap<AssetId, AssetId> = active
        .iter()
        .filter_map(|d| match &d.action {
            Action::Merge { into, from, .. } if grouping.merges_applied.contains(&d.id) => {
                Some((from.clone(), into.clone()))
            }
            _ => None,
        })
        .collect();
    let group_keys: Vec<BTreeMap<IdentityKey, DateTime<Utc>>> = grouping
        .groups
        .iter()
        .map(|g| {
            let mut m: BTreeMap<IdentityKey, DateTime<Utc>> = BTreeMap::new();
            for &i in g {
                for k in keys[i].strong.iter().chain(&keys[i].weak) {
                    let e = m.entry(k.clone()).or_insert(obs[i].at);
                    *e = (*e).max(obs[i].at);
                }
            }
            m
        })
        .collect();
    let claimants: Vec<ids::Claimant> = group_keys
        .iter()
        .map(|keys| ids::Claimant { keys })
        .collect();
    let reserved: BTreeSet<AssetId> = previous
        .ids
        .values()
        .map(|a| a.asset.clone())
        .chain(previous.assets.iter().map(|a| a.id.clone()))
        .collect();
    let assigned = ids::assign(&claimants, &previous.ids, &aliases, &reserved, now, config);

    let before: BTreeMap<&AssetId, &Asset> = previous.assets.iter().map(|a| (&a.id, a)).collect();
    let mut built: BTreeMap<AssetId, usize> = BTreeMap::new();
    let mut assets = Vec::new();
    let mut explanations = Vec::new();
    let mut group_of = vec![0; obs.len()];
    for (g, members) in grouping.groups.iter().enumerate() {
        for &i in members {
            group_of[i] = g;
        }
    }
    for (g, members) in grouping.groups.iter().enumerate() {
        let (id, origin) = assigned[g].clone();
        let sets = sets_for(&active, &aliases, &id);
        let member_obs: Vec<&Observation> = members.iter().map(|&i| obs[i]).collect();
        let mut asset = fields::build(id.clone(), &member_obs, &sets, config);
        if let Some(p) = before.get(&id) {
            asset.first_seen = asset.first_seen.min(p.first_seen);
        }
        asset.status = lifecycle::status(asset.last_seen, now, config);
        built.insert(id.clone(), g);
        assets.push(asset);
        explanations.push(explain(&grouping, &obs, &keys, &group_of, g, id, origin));
    }

    let owner_now: BTreeMap<IdentityKey, AssetId> = group_keys
        .iter()
        .enumerate()
        .flat_map(|(g, m)| m.keys().map(move |k| (k.clone(), g)))
        .map(|(k, g)| (k, assigned[g].0.clone()))
        .collect();
    let (kept, retired) = lifecycle::carry_over(
        &previous.assets,
        &built,
        &previous.ids,
        &owner_now,
        &aliases,
    );
    for mut a in kept {
        a.status = lifecycle::status(a.last_seen, now, config);
        let sets = sets_for(&active, &aliases, &a.id);
        fields::apply_person(&mut a, &sets);
        explanations.push(MergeExplanation {
            asset: a.id.clone(),
            observations: a.observations.clone(),
            joins: Vec::new(),
            refused: Vec::new(),
            ignored: Vec::new(),
            id_origin: IdOrigin::Carried,
        });
        assets.push(a);
    }
    assets.sort_by(|a, b| a.id.cmp(&b.id));
    explanations.sort_by(|a, b| a.asset.cmp(&b.asset));
    let events = lifecycle::events(&previous.assets, &assets, &retired, now);
    let current = group_keys
        .iter()
        .enumerate()
        .flat_map(|(g, m)| m.iter().map(move |(k, t)| (k.clone(), g, *t)))
        .map(|(k, g, t)| (k, assigned[g].0.clone(), t));
    let ids = ids::remember(&previous.ids, current, now, config);
    let observation_keys = obs
        .iter()
        .zip(&keys)
        .map(|(o, k)| (o.id.clone(), k.all().cloned().collect()))
        .collect();
    Resolution {
        assets,
        explanations,
        events,
        ids,
        observation_keys,
    }
}

/// A person's `Set` decisions for `id` (or for ids merged into it).
fn sets_for<'a>(
    active: &[&'a Decision],
    aliases: &BTreeMap<AssetId, AssetId>,
    id: &AssetId,
) -> Vec<&'a Decision> {
    active
        .iter()
        .copied()
        .filter(
            |d| matches!(&d.action, Action::Set { asset, .. } if ids::alias(aliases, asset) == id),
        )
        .collect()
}

fn explain(
    grouping: &resolve::Grouping,
    obs: &[&Observation],
    keys: &[keys::ObsKeys],
    group_of: &[usize],
    g: usize,
    asset: AssetId,
    id_origin: IdOrigin,
) -> MergeExplanation {
    let members = &grouping.groups[g];
    let joins = grouping
        .joins
        .iter()
        .filter(|(a, _, _)| group_of[*a] == g)
        .map(|(a, b, link)| Join {
            a: obs[*a].id.clone(),
            b: obs[*b].id.clone(),
            basis: match link {
                resolve::Link::Key(key) => JoinBasis::Key { key: key.clone() },
                resolve::Link::Person(d) => JoinBasis::PersonMerge {
                    decision: d.clone(),
                },
            },
        })
        .collect();
    let mut refused: Vec<Refusal> = grouping
        .refused
        .iter()
        .filter(|(a, b, _, _)| group_of[*a] == g || group_of[*b] == g)
        .map(|(a, b, key, reason)| Refusal {
            a: obs[*a].id.clone(),
            b: obs[*b].id.clone(),
            key: key.clone(),
            reason: reason.clone(),
        })
        .collect();
    refused.sort_by(|x, y| (&x.a, &x.b, &x.key).cmp(&(&y.a, &y.b, &y.key)));
    refused.dedup_by(|x, y| (&x.a, &x.b, &x.key) == (&y.a, &y.b, &y.key));
    MergeExplanation {
        asset,
        observations: members.iter().map(|&i| obs[i].id.clone()).collect(),
        joins,
        refused,
        ignored: members
            .iter()
            .flat_map(|&i| keys[i].ignored.clone())
            .collect(),
        id_origin,
    }
}
