//! The [`Plan`]: everything the recovery plan's inventory says, as data.
//! It is what `--format json` prints (field names are a contract, see
//! [`PLAN_SCHEMA`]) and what every other renderer lays out. Built by
//! `build.rs`; nothing here reads assets or chooses words (texts come from
//! `messages.rs` when rendering).

use census_shared::site::{
    Backup, CloudService, Connection, Fallback, Member, MobileDevice, Organisation, Party,
    PhoneLine, PhoneSystem, Replacement, TestKind,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// Bumped when a field of the JSON form changes meaning or type.
pub const PLAN_SCHEMA: u32 = 1;

/// The inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub schema: u32,
    pub generated_at: DateTime<Utc>,
    /// Whether a site file was used.
    pub site_facts: bool,
    pub organisation: Option<Organisation>,
    /// Every device section, in the plan's order, each present even when empty.
    pub devices: Vec<DeviceSection>,
    pub backup_offsite: Option<Backup>,
    pub phone_system: Option<PhoneSystem>,
    pub phone_lines: Vec<PhoneLine>,
    pub internet: Vec<Connection>,
    pub website: Option<String>,
    pub wifi: Vec<String>,
    pub licences: Vec<LicenceRow>,
    pub software: Vec<SoftwareRow>,
    pub ip_plan: Vec<IpRow>,
    /// Phones and tablets from the site file (no agent runs on them).
    pub mobile_devices: Vec<MobileDevice>,
    pub cloud: Vec<CloudService>,
    pub processes: Vec<ProcessRow>,
    pub recovery_order: Vec<RecoveryStep>,
    pub team: Vec<Member>,
    pub external: Vec<Party>,
    pub fallback: Option<Fallback>,
    pub replacement: Option<Replacement>,
    pub tests: Vec<TestRow>,
    /// What is missing or stale.
    pub to_complete: Vec<Finding>,
    pub risks: Vec<Finding>,
}

/// The plan's device headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    OfficePcs,
    Servers,
    BackupUnits,
    PhoneSystem,
    MobilePhones,
    Tablets,
    Printers,
    Network,
    Other,
}

impl DeviceKind {
    pub const ALL: [DeviceKind; 9] = [
        DeviceKind::OfficePcs,
        DeviceKind::Servers,
        DeviceKind::BackupUnits,
        DeviceKind::PhoneSystem,
        DeviceKind::MobilePhones,
        DeviceKind::Tablets,
        DeviceKind::Printers,
        DeviceKind::Network,
        DeviceKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeviceKind::OfficePcs => "office_pcs",
            DeviceKind::Servers => "servers",
            DeviceKind::BackupUnits => "backup_units",
            DeviceKind::PhoneSystem => "phone_system",
            DeviceKind::MobilePhones => "mobile_phones",
            DeviceKind::Tablets => "tablets",
            DeviceKind::Printers => "printers",
            DeviceKind::Network => "network",
            DeviceKind::Other => "other",
        }
    }
}

/// The assets under one heading, sorted by name then id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceSection {
    pub kind: DeviceKind,
    pub devices: Vec<DeviceRow>,
}

/// One asset as the plan lists it. Texts are as observed (escaped only
/// when rendered).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct DeviceRow {
    pub id: String,
    pub name: Option<String>,
    /// The asset's category (`office_pc`, …); `null` when unclassified.
    pub category: Option<String>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub os: Option<String>,
    pub cpu: Option<String>,
    pub cores: Option<u32>,
    pub memory_bytes: Option<u64>,
    /// Fixed disks: model and size.
    pub disks: Vec<DiskRow>,
    pub ips: Vec<String>,
    pub macs: Vec<String>,
    pub department: Option<String>,
    pub location: Option<String>,
    /// The remote site whose agent scanned it; `null`: the collector's own.
    pub site: Option<String>,
    pub owner: Option<String>,
    pub last_seen: DateTime<Utc>,
    /// An agent reports for it.
    pub agent: bool,
}

/// A fixed disk.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct DiskRow {
    pub model: Option<String>,
    pub size_bytes: Option<u64>,
}

/// A software licence from the site file against what agents report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenceRow {
    pub product: String,
    pub quantity: u32,
    /// Machines with a matching package installed.
    pub installed: usize,
    pub expires: Option<String>,
    pub key_location: Option<String>,
    /// The key itself: `None` (`null` in JSON) from `build`, filled only
    /// when asked (`plan::show_licence_keys`, `plan --show-licence-keys`).
    pub key: Option<String>,
    pub over_use: bool,
    pub expired: bool,
}

/// Installed software across agents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SoftwareRow {
    pub name: String,
    /// Machines (assets) it is installed on.
    pub installs: usize,
    pub versions: Vec<String>,
}

/// One address in use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpRow {
    pub ip: String,
    pub asset: String,
    pub name: Option<String>,
    pub section: DeviceKind,
    pub macs: Vec<String>,
}

/// Department → system → data → priority.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcessRow {
    pub department: String,
    pub head: Option<String>,
    pub system: String,
    pub data: Option<String>,
    pub priority: Option<u8>,
}

/// One system in the order it is to be restored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecoveryStep {
    pub order: usize,
    pub system: String,
    /// The most urgent of its own priority and that of every system that
    /// needs it; `null` when neither says.
    pub priority: Option<u8>,
    pub departments: Vec<String>,
    pub depends_on: Vec<String>,
}

/// A yearly test and whether it is due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestRow {
    pub kind: TestKind,
    pub last_done: Option<String>,
    /// Never done, or last done more than a year ago.
    pub overdue: bool,
}

/// Something to complete, or a risk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// What it is about: an asset's name or id, a section, a supplier.
    pub subject: String,
    /// The evidence (a date, a port), when there is one.
    pub detail: Option<String>,
    /// Since when it holds, when that is known: for `end_of_life_os` the
    /// last day the system was supported (`detail` names the system).
    pub since: Option<NaiveDate>,
}

/// Kinds of findings; the first group is "To complete", the second risks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    NoSiteFile,
    SectionMissing,
    SectionNotReviewed,
    NoFirstContact,
    NoDecider,
    NoSerial,
    Unclassified,
    AgentSilent,
    NoOutOfHours,
    NoPriority,
    TestOverdue,
    EndOfLifeOs,
    NoDiskEncryption,
    NoFirewall,
    NoAutomaticUpdates,
    NoAntivirus,
    ExposedService,
    SnmpDefaultCommunity,
    NotEnrolled,
    LicenceOverUse,
    LicenceExpired,
}
