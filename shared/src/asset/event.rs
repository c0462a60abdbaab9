//! Change events: a new asset, a new device nobody enrolled, a field that
//! changed, an asset not seen for the configured time (and back again), an
//! asset absorbed into another. `census-collector changes` lists them.
//!
//! Events are computed by comparing a resolution with the previous one; this
//! module only says what they mean and how they are spelled.

use super::{AssetId, Category, FieldName, SourceKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Something that happened to an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub asset: AssetId,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened. JSON: `{"event": "field_changed", "field": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A new asset with an agent, or one a person created.
    NewAsset {
        category: Option<Category>,
        name: Option<String>,
    },
    /// A scan found a device no agent reports for: highlight it.
    NewUnknownDevice {
        category: Option<Category>,
        name: Option<String>,
    },
    /// A field's current value changed. `field` is a [`FieldName`] spelling
    /// or `uuid`, `macs`, `ips`, `agent_ids`; lists are joined by `, `.
    FieldChanged {
        field: String,
        old: Option<String>,
        new: Option<String>,
        /// The source of the new value (of the old one when it went away).
        source: SourceKind,
    },
    /// Not seen since `last_seen`, longer than the configured time.
    NotSeen { last_seen: DateTime<Utc> },
    /// Seen again after a `not_seen`.
    Reappeared,
    /// Its observations now belong to another asset (new evidence or a
    /// person's merge); this id is retired.
    Absorbed { into: AssetId },
}

impl EventKind {
    /// A field change of a settable field.
    pub fn field(
        field: FieldName,
        old: Option<String>,
        new: Option<String>,
        source: SourceKind,
    ) -> Self {
        EventKind::FieldChanged {
            field: field.as_str().to_string(),
            old,
            new,
            source,
        }
    }
}
