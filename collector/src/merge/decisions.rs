//! A person's corrections: merge two assets, split an observation out of an
//! asset, set a field. They are stored as [`Decision`]s and given to every
//! recomputation, so the next scan does not undo them.
//!
//! Merges and splits are remembered by identity keys, not by observation
//! ids, because the next scan brings new observations of the same thing:
//! a merge joins whatever carries the two assets' anchor keys; a split keeps
//! observations whose strongest known key is on the "out" side apart from
//! those whose strongest known key is on the "stay" side. The helpers here
//! build decisions from a [`Resolution`] (what the CLI shows); applying them
//! is `resolve.rs` (merge, split) and `fields.rs` (set).

use super::Resolution;
use super::keys::ObsKeys;
use census_shared::asset::{AssetId, Category, FieldName, IdentityKey, ObservationId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One correction by a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Stable id chosen by the store (values a person set carry
    /// `person:<id>` as their observation).
    pub id: String,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub action: Action,
}

/// What the person decided. JSON: `{"action": "merge", …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// `from` and `into` are one thing; `into` keeps its id.
    Merge {
        into: AssetId,
        from: AssetId,
        into_keys: Vec<IdentityKey>,
        from_keys: Vec<IdentityKey>,
    },
    /// `observation` (and whatever is identified like it) is not `asset`.
    Split {
        asset: AssetId,
        observation: ObservationId,
        out: Vec<IdentityKey>,
        stay: Vec<IdentityKey>,
    },
    /// A person's value for a field; `None` takes the person's value away.
    Set {
        asset: AssetId,
        field: FieldName,
        value: Option<String>,
    },
}

/// Why a correction cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("no asset {0}")]
    UnknownAsset(AssetId),
    #[error("{0} cannot be merged with itself")]
    SameAsset(AssetId),
    #[error("observation {observation} is not part of asset {asset}")]
    NotInAsset {
        observation: ObservationId,
        asset: AssetId,
    },
    #[error("observation {0} is the only one of its asset: nothing to split")]
    OnlyObservation(ObservationId),
    #[error("observation {0} has no identity key to remember the split by")]
    NoKeys(ObservationId),
    #[error("asset {0} has no identity key to remember the merge by")]
    NoAnchor(AssetId),
    #[error("{value:?} is not a category (one of: {known})")]
    BadCategory { value: String, known: String },
}

/// Which side of a split an observation is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Stay,
    Out,
}

/// The side of the strongest key of `keys` that the split names; `None`
/// when the split names none of them, or names keys of equal strength on
/// both sides.
pub fn side<'a>(
    keys: impl Iterator<Item = &'a IdentityKey>,
    out: &[IdentityKey],
    stay: &[IdentityKey],
) -> Option<Side> {
    let mut best: Option<(u8, Option<Side>)> = None;
    for k in keys {
        let s = if out.contains(k) {
            Side::Out
        } else if stay.contains(k) {
            Side::Stay
        } else {
            continue;
        };
        best = match best {
            None => Some((k.rank(), Some(s))),
            Some((r, _)) if k.rank() > r => Some((k.rank(), Some(s))),
            Some((r, prev)) if k.rank() == r && prev != Some(s) => Some((r, None)),
            other => other,
        };
    }
    best.and_then(|(_, s)| s)
}

/// The keys that anchor an asset in a merge: its strong keys, or its weak
/// ones when it has none.
fn anchor(res: &Resolution, asset: &AssetId) -> Result<Vec<IdentityKey>, DecisionError> {
    let keys = res
        .asset_keys(asset)
        .ok_or_else(|| DecisionError::UnknownAsset(asset.clone()))?;
    let strong: Vec<IdentityKey> = keys.iter().filter(|k| k.is_strong()).cloned().collect();
    let chosen = if strong.is_empty() {
        keys.into_iter().collect()
    } else {
        strong
    };
    if chosen.is_empty() {
        return Err(DecisionError::NoAnchor(asset.clone()));
    }
    Ok(chosen)
}

/// `assets merge INTO FROM`: the decision to store.
pub fn merge_decision(
    res: &Resolution,
    into: &AssetId,
    from: &AssetId,
    id: &str,
    at: DateTime<Utc>,
) -> Result<Decision, DecisionError> {
    if into == from {
        return Err(DecisionError::SameAsset(into.clone()));
    }
    Ok(Decision {
        id: id.into(),
        at,
        action: Action::Merge {
            into: into.clone(),
            from: from.clone(),
            into_keys: anchor(res, into)?,
            from_keys: anchor(res, from)?,
        },
    })
}

/// `assets split ASSET --observation OBS`: the decision to store.
pub fn split_decision(
    res: &Resolution,
    asset: &AssetId,
    observation: &ObservationId,
    id: &str,
    at: DateTime<Utc>,
) -> Result<Decision, DecisionError> {
    let a = res
        .asset(asset)
        .ok_or_else(|| DecisionError::UnknownAsset(asset.clone()))?;
    if !a.observations.contains(observation) {
        return Err(DecisionError::NotInAsset {
            observation: observation.clone(),
            asset: asset.clone(),
        });
    }
    if a.observations.len() == 1 {
        return Err(DecisionError::OnlyObservation(observation.clone()));
    }
    let out: BTreeSet<IdentityKey> = res
        .observation_keys
        .get(observation)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .collect();
    if out.is_empty() {
        return Err(DecisionError::NoKeys(observation.clone()));
    }
    let stay: BTreeSet<IdentityKey> = a
        .observations
        .iter()
        .filter(|o| *o != observation)
        .flat_map(|o| res.observation_keys.get(o).cloned().unwrap_or_default())
        .filter(|k| !out.contains(k))
        .collect();
    Ok(Decision {
        id: id.into(),
        at,
        action: Action::Split {
            asset: asset.clone(),
            observation: observation.clone(),
            out: out.into_iter().collect(),
            stay: stay.into_iter().collect(),
        },
    })
}

/// `assets set ASSET FIELD VALUE`: the decision to store (the category is
/// checked here so a typo is refused before it is stored).
pub fn set_decision(
    res: &Resolution,
    asset: &AssetId,
    field: FieldName,
    value: Option<String>,
    id: &str,
    at: DateTime<Utc>,
) -> Result<Decision, DecisionError> {
    res.asset(asset)
        .ok_or_else(|| DecisionError::UnknownAsset(asset.clone()))?;
    if let (FieldName::Category, Some(v)) = (field, &value)
        && Category::parse(v).is_none()
    {
        let known: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        return Err(DecisionError::BadCategory {
            value: v.clone(),
            known: known.join(", "),
        });
    }
    Ok(Decision {
        id: id.into(),
        at,
        action: Action::Set {
            asset: asset.clone(),
            field,
            value,
        },
    })
}

/// The decisions still in force: a later split undoes an earlier merge it
/// cuts across, and a later merge undoes an earlier split it bridges.
pub fn active(decisions: &[Decision]) -> Vec<&Decision> {
    let mut sorted: Vec<&Decision> = decisions.iter().collect();
    sorted.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    let crosses = |m: &Decision, s: &Decision| match (&m.action, &s.action) {
        (
            Action::Merge {
                into_keys,
                from_keys,
                ..
            },
            Action::Split { out, stay, .. },
        ) => {
            let a = side(into_keys.iter(), out, stay);
            let b = side(from_keys.iter(), out, stay);
            a.is_some() && b.is_some() && a != b
        }
        _ => false,
    };
    sorted
        .iter()
        .enumerate()
        .filter(|(i, d)| {
            let later = &sorted[i + 1..];
            match d.action {
                Action::Merge { .. } => !later.iter().any(|s| crosses(d, s)),
                Action::Split { .. } => !later.iter().any(|m| crosses(m, d)),
                Action::Set { .. } => true,
            }
        })
        .map(|(_, d)| *d)
        .collect()
}

/// Agent ids that active merges declared one thing, each mapped to the
/// smallest id of its set.
pub fn merged_agents(active: &[&Decision]) -> BTreeMap<String, String> {
    let mut rep: BTreeMap<String, String> = BTreeMap::new();
    for d in active {
        let Action::Merge {
            into_keys,
            from_keys,
            ..
        } = &d.action
        else {
            continue;
        };
        let agents: BTreeSet<&str> = into_keys
            .iter()
            .chain(from_keys)
            .filter_map(|k| match k {
                IdentityKey::Agent(a) => Some(a.as_str()),
                _ => None,
            })
            .collect();
        // Everything already in one of these sets joins the new set.
        let mut set: BTreeSet<String> = agents.iter().map(|a| a.to_string()).collect();
        let reps: BTreeSet<String> = agents.iter().filter_map(|a| rep.get(*a).cloned()).collect();
        set.extend(
            rep.iter()
                .filter(|(_, r)| reps.contains(*r))
                .map(|(a, _)| a.clone()),
        );
        if let Some(min) = set.iter().next().cloned() {
            for a in set {
                rep.insert(a, min.clone());
            }
        }
    }
    rep
}

/// The side of one observation for one split.
pub fn obs_side(keys: &ObsKeys, out: &[IdentityKey], stay: &[IdentityKey]) -> Option<Side> {
    side(keys.all(), out, stay)
}
