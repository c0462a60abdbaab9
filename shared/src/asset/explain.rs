//! Why an asset is what it is: which observations were joined by which key
//! (or by a person), which joins were refused and why, which candidate keys
//! were not used as keys at all, and where the asset's id came from.
//!
//! This is what `assets explain ID` prints. It records decisions made by the
//! merge engine; it does not make any.

use super::{AssetId, IdentityKey, ObservationId};
use serde::{Deserialize, Serialize};

/// The reasoning behind one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeExplanation {
    pub asset: AssetId,
    /// Every observation in the asset, sorted.
    pub observations: Vec<ObservationId>,
    /// The joins that built the asset (a spanning set, not every pair).
    pub joins: Vec<Join>,
    /// Joins that a shared key suggested and a rule refused, including those
    /// that would have joined this asset with another one.
    pub refused: Vec<Refusal>,
    /// Values of this asset's observations that were not used as keys.
    pub ignored: Vec<IgnoredKey>,
    /// Where the id came from.
    pub id_origin: IdOrigin,
}

/// Two observations put into one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Join {
    pub a: ObservationId,
    pub b: ObservationId,
    pub basis: JoinBasis,
}

/// What a join rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum JoinBasis {
    /// Both observations carry this key.
    Key { key: IdentityKey },
    /// A person said the assets are one (`assets merge`).
    PersonMerge { decision: String },
}

/// A join that was not made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub a: ObservationId,
    pub b: ObservationId,
    pub key: IdentityKey,
    /// Which rule refused it, in words.
    pub reason: String,
}

/// A value that looked like a key and is not one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredKey {
    pub observation: ObservationId,
    /// The value as found (`serial "To be filled by O.E.M."`, `mac 02:42:…`).
    pub value: String,
    pub reason: String,
}

/// How the asset got its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "origin", rename_all = "snake_case")]
pub enum IdOrigin {
    /// The id this key had before.
    Reused { key: IdentityKey },
    /// A person's merge kept this id.
    PersonMerge,
    /// A new thing: id derived from this key.
    New { key: IdentityKey },
    /// Not observed in this run: kept as the previous run left it.
    Carried,
}
