//! Assets: one physical or virtual thing, built by the collector's merge
//! engine from observations (agent reports, scan observations with their
//! SNMP identity, and facts a person entered). This is the wire and storage
//! form: the asset with every field's provenance, the identity keys that
//! join observations, the explanation of each merge, and change events.
//!
//! Nothing here decides anything: which observations form one asset, which
//! value wins and which events happen is `census_collector::merge`. Every
//! enum is spelled in snake_case in JSON, and those spellings are a contract
//! with the store and the CLI.

mod event;
mod explain;

pub use event::{Event, EventKind};
pub use explain::{IdOrigin, IgnoredKey, Join, JoinBasis, MergeExplanation, Refusal};

use crate::MacAddr;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// A stable asset id (`a-` and 12 hex digits). It survives re-scans,
/// restarts and recomputation; a person's merge keeps the surviving id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AssetId(pub String);

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which observation a value came from: `report:<report id>`,
/// `scan:<observation row id>` or `person:<decision id>`. Chosen by the store;
/// the engine only compares and sorts them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ObservationId(pub String);

impl fmt::Display for ObservationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The recovery plan's inventory categories. `office_pc` and `laptop` are
/// both the plan's "office PC/laptop" heading; [`Category::plan_heading`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    OfficePc,
    Laptop,
    Server,
    NasBackup,
    PhoneSystemVoip,
    NetworkRouter,
    NetworkFirewall,
    NetworkSwitch,
    NetworkAccessPoint,
    /// Network equipment whose kind (router, switch, …) is not known yet.
    NetworkEquipment,
    /// Printer, scanner, copier, fax.
    Printer,
    MobilePhone,
    Tablet,
    CameraIot,
    Other,
}

impl Category {
    /// Every category, in the order of the plan.
    pub const ALL: [Category; 15] = [
        Category::OfficePc,
        Category::Laptop,
        Category::Server,
        Category::NasBackup,
        Category::PhoneSystemVoip,
        Category::NetworkRouter,
        Category::NetworkFirewall,
        Category::NetworkSwitch,
        Category::NetworkAccessPoint,
        Category::NetworkEquipment,
        Category::Printer,
        Category::MobilePhone,
        Category::Tablet,
        Category::CameraIot,
        Category::Other,
    ];

    /// The JSON spelling (`nas_backup`).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::OfficePc => "office_pc",
            Category::Laptop => "laptop",
            Category::Server => "server",
            Category::NasBackup => "nas_backup",
            Category::PhoneSystemVoip => "phone_system_voip",
            Category::NetworkRouter => "network_router",
            Category::NetworkFirewall => "network_firewall",
            Category::NetworkSwitch => "network_switch",
            Category::NetworkAccessPoint => "network_access_point",
            Category::NetworkEquipment => "network_equipment",
            Category::Printer => "printer",
            Category::MobilePhone => "mobile_phone",
            Category::Tablet => "tablet",
            Category::CameraIot => "camera_iot",
            Category::Other => "other",
        }
    }

    /// Parse the JSON spelling (what `assets set ID category C` accepts).
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The heading of the plan's inventory this category is listed under.
    pub fn plan_heading(self) -> &'static str {
        match self {
            Category::OfficePc | Category::Laptop => "Office PCs and laptops",
            Category::Server => "Servers",
            Category::NasBackup => "Backup units and NAS",
            Category::PhoneSystemVoip => "Phone system and VoIP",
            Category::NetworkRouter
            | Category::NetworkFirewall
            | Category::NetworkSwitch
            | Category::NetworkAccessPoint
            | Category::NetworkEquipment => "Network equipment",
            Category::Printer => "Printers, scanners, copiers and fax",
            Category::MobilePhone => "Mobile phones",
            Category::Tablet => "Tablets",
            Category::CameraIot => "Cameras and IoT",
            Category::Other => "Other",
        }
    }
}

/// Where a value came from, in increasing precedence: a scan's guess, SNMP,
/// an agent, a person. `Ord` follows precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Scan,
    Snmp,
    Agent,
    Person,
}

/// Source, observation and time of one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: SourceKind,
    pub observation: ObservationId,
    pub at: DateTime<Utc>,
}

/// A value with its provenance. JSON: `{"value": …, "source": …,
/// "observation": …, "at": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field<T> {
    pub value: T,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// A key that says "these observations are the same thing". Strong keys
/// (agent, serial, uuid, mac) join on their own; weak keys (name, ip) only
/// within a time window and never against a conflicting strong key.
/// Text form (store key, CLI): `agent:ID`, `serial:VENDOR/SERIAL`,
/// `uuid:U`, `mac:aa:bb:…`, `name:N`, `ip:A`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdentityKey {
    Agent(String),
    /// Vendor folded to a comparison form (may be empty when unknown) and
    /// the serial as reported (trimmed).
    Serial {
        vendor: String,
        serial: String,
    },
    Uuid(String),
    Mac(MacAddr),
    /// A short host name, lower case.
    Name(String),
    Ip(IpAddr),
}

impl IdentityKey {
    /// Agent, serial, uuid and mac are strong.
    pub fn is_strong(&self) -> bool {
        self.rank() >= 2
    }

    /// Strength for id reuse and tie-breaks: agent 5, serial 4, uuid 3,
    /// mac 2, name 1, ip 0.
    pub fn rank(&self) -> u8 {
        match self {
            IdentityKey::Agent(_) => 5,
            IdentityKey::Serial { .. } => 4,
            IdentityKey::Uuid(_) => 3,
            IdentityKey::Mac(_) => 2,
            IdentityKey::Name(_) => 1,
            IdentityKey::Ip(_) => 0,
        }
    }
}

impl fmt::Display for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentityKey::Agent(a) => write!(f, "agent:{a}"),
            IdentityKey::Serial { vendor, serial } => write!(f, "serial:{vendor}/{serial}"),
            IdentityKey::Uuid(u) => write!(f, "uuid:{u}"),
            IdentityKey::Mac(m) => write!(f, "mac:{m}"),
            IdentityKey::Name(n) => write!(f, "name:{n}"),
            IdentityKey::Ip(ip) => write!(f, "ip:{ip}"),
        }
    }
}

/// Why a text is not an identity key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an identity key: {0:?} (expected agent:, serial:VENDOR/, uuid:, mac:, name: or ip:)")]
pub struct KeyParseError(pub String);

impl FromStr for IdentityKey {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || KeyParseError(s.chars().take(80).collect());
        let (kind, rest) = s.split_once(':').ok_or_else(err)?;
        if rest.is_empty() {
            return Err(err());
        }
        Ok(match kind {
            "agent" => IdentityKey::Agent(rest.into()),
            "serial" => {
                let (vendor, serial) = rest.split_once('/').ok_or_else(err)?;
                IdentityKey::Serial {
                    vendor: vendor.into(),
                    serial: serial.into(),
                }
            }
            "uuid" => IdentityKey::Uuid(rest.into()),
            "mac" => IdentityKey::Mac(rest.parse().map_err(|_| err())?),
            "name" => IdentityKey::Name(rest.into()),
            "ip" => IdentityKey::Ip(rest.parse().map_err(|_| err())?),
            _ => return Err(err()),
        })
    }
}

impl Serialize for IdentityKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IdentityKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// Whether an asset was seen recently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetStatus {
    #[default]
    Active,
    /// Not seen for longer than the configured time.
    Missing,
}

/// One thing, as the merge engine built it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    pub id: AssetId,
    /// `null` when nothing said what it is.
    pub category: Option<Field<Category>>,
    /// The name to show: a person's, else the host name, sysName, DNS name.
    pub name: Option<Field<String>>,
    pub vendor: Option<Field<String>>,
    pub model: Option<Field<String>>,
    /// Verbatim, even a placeholder (judged by `check_serial`), when nothing
    /// better is known.
    pub serial: Option<Field<String>>,
    pub uuid: Option<Field<String>>,
    pub os: Option<Field<String>>,
    /// Agents whose reports belong here (more than one only by a person's merge).
    pub agent_ids: Vec<String>,
    /// MAC addresses of physical interfaces and those a scan saw.
    pub macs: Vec<Field<MacAddr>>,
    /// Current addresses.
    pub ips: Vec<Field<IpAddr>>,
    /// Every name seen (lower case), best source first.
    pub names: Vec<Field<String>>,
    /// Facts only a person enters.
    pub department: Option<Field<String>>,
    pub owner: Option<Field<String>>,
    pub criticality: Option<Field<String>>,
    pub location: Option<Field<String>>,
    pub notes: Option<Field<String>>,
    /// The site whose agent scanned it (issue 11's site scanners); `None`:
    /// the collector's own site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Field<String>>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub status: AssetStatus,
    /// Seen by a scan and no agent reports for it.
    pub unknown: bool,
    /// The observations merged into this asset, sorted.
    pub observations: Vec<ObservationId>,
}

impl Asset {
    /// The category, `other` when unknown (for listing).
    pub fn category_or_other(&self) -> Category {
        self.category.as_ref().map_or(Category::Other, |c| c.value)
    }
}

/// Fields a person can set with `assets set ID FIELD VALUE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldName {
    Category,
    Name,
    Vendor,
    Model,
    Serial,
    Os,
    Department,
    Owner,
    Criticality,
    Location,
    Notes,
}

impl FieldName {
    pub const ALL: [FieldName; 11] = [
        FieldName::Category,
        FieldName::Name,
        FieldName::Vendor,
        FieldName::Model,
        FieldName::Serial,
        FieldName::Os,
        FieldName::Department,
        FieldName::Owner,
        FieldName::Criticality,
        FieldName::Location,
        FieldName::Notes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldName::Category => "category",
            FieldName::Name => "name",
            FieldName::Vendor => "vendor",
            FieldName::Model => "model",
            FieldName::Serial => "serial",
            FieldName::Os => "os",
            FieldName::Department => "department",
            FieldName::Owner => "owner",
            FieldName::Criticality => "criticality",
            FieldName::Location => "location",
            FieldName::Notes => "notes",
        }
    }

    pub fn parse(s: &str) -> Option<FieldName> {
        FieldName::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

#[cfg(test)]
mod tests;
