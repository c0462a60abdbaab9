//! What the office buys as a service or carries around: internet
//! connections, the phone system and lines, cloud services, mobile phones
//! and tablets, and software licences (where the key is kept and, if the
//! office wants it here, the key itself, which the plan prints only when
//! asked). Pure data.

use super::SiteDate;
use serde::{Deserialize, Serialize};

/// `[internet]` with `[[internet.connections]]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Internet {
    #[serde(default)]
    pub connections: Vec<Connection>,
    pub website: Option<String>,
    /// Wifi network names (never their passwords).
    #[serde(default)]
    pub wifi: Vec<String>,
    pub reviewed: Option<SiteDate>,
}

/// One internet connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub provider: String,
    /// Fibre, DSL, cable, 4G/5G, … (free text).
    pub kind: Option<String>,
    pub contract: Option<String>,
    #[serde(default)]
    pub public_ips: Vec<String>,
    pub support_phone: Option<String>,
}

/// `[phone]`: the phone system and `[[phone.lines]]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    pub system: Option<PhoneSystem>,
    #[serde(default)]
    pub lines: Vec<PhoneLine>,
    pub reviewed: Option<SiteDate>,
}

/// The phone system (PBX, hosted VoIP).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneSystem {
    pub make: Option<String>,
    pub model: Option<String>,
    pub supplier: Option<String>,
    pub location: Option<String>,
}

/// What a phone line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Main,
    Direct,
    Fax,
    Alarm,
    Other,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Main => "main",
            LineKind::Direct => "direct",
            LineKind::Fax => "fax",
            LineKind::Alarm => "alarm",
            LineKind::Other => "other",
        }
    }
}

/// One phone number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneLine {
    pub number: String,
    pub kind: LineKind,
    /// Where calls go when the office is unreachable.
    pub forwards_to: Option<String>,
    pub notes: Option<String>,
}

/// `[cloud]` with `[[cloud.services]]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cloud {
    #[serde(default)]
    pub services: Vec<CloudService>,
    pub reviewed: Option<SiteDate>,
}

/// One cloud service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudService {
    pub name: String,
    pub purpose: Option<String>,
    /// Who holds the administrator account.
    pub admin: Option<String>,
    /// Where the data lives (country, provider region).
    pub data_location: Option<String>,
}

/// `[mobile]` with `[[mobile.devices]]`, and optionally a CSV file of more
/// devices (an export from the provider's or the MDM's portal).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mobile {
    #[serde(default)]
    pub devices: Vec<MobileDevice>,
    /// A CSV file of devices, relative to the site file; read by the
    /// collector's site loader, which merges its rows into `devices`.
    pub csv: Option<String>,
    pub reviewed: Option<SiteDate>,
}

/// Phone or tablet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MobileKind {
    Phone,
    Tablet,
}

/// One mobile phone or tablet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MobileDevice {
    pub kind: MobileKind,
    pub user: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub number: Option<String>,
    /// The IMEI, to have a lost or stolen device blocked.
    pub imei: Option<String>,
    pub serial: Option<String>,
    /// The device management (MDM) service that can lock or wipe it.
    pub mdm: Option<String>,
    /// Where the SIM's PIN and PUK codes are kept (never the codes).
    pub pin_location: Option<String>,
}

/// `[licences]` with `[[licences.items]]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licences {
    #[serde(default)]
    pub items: Vec<Licence>,
    pub reviewed: Option<SiteDate>,
}

/// One software licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub product: String,
    /// Seats or installations allowed.
    pub quantity: u32,
    pub expires: Option<SiteDate>,
    /// Where the key or licence certificate is kept.
    pub key_location: Option<String>,
    /// The key itself, optional: the plan shows it only when asked
    /// (`plan --show-licence-keys`); the site file then needs a key's
    /// protection (it is copied, encrypted, into exports).
    pub key: Option<String>,
    /// Installed package names that count as this product (case-insensitive
    /// substrings); the product name when empty.
    #[serde(default)]
    pub packages: Vec<String>,
}
