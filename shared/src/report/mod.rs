//! The agent's report: everything one machine says about itself, as JSON.
//!
//! One [`HostReport`] is produced per collection. Every field that the agent
//! could not determine is `null` (never a guessed value); a facet that failed
//! leaves its part empty and adds an entry to
//! [`HostReport::collection_errors`]. Byte sizes are bytes, times are RFC 3339
//! UTC, speeds are named with their unit (`_mbps`, `_mhz`, `_mts`).
//!
//! Compatibility: readers accept unknown fields (added in minor versions);
//! [`SCHEMA_VERSION`] changes only when a field changes meaning or type.

mod hardware;
mod network;
mod software;
mod system;
mod validate;

pub use hardware::*;
pub use network::*;
pub use software::*;
pub use system::*;
pub use validate::ReportError;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The version of the report format that this crate writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// One machine's inventory, as collected by `census-agent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostReport {
    /// Format version; see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Unique id of this report (random, 32 hex digits). A collector that
    /// receives the same id twice stores it once.
    pub report_id: String,
    /// Which agent produced the report.
    pub agent: AgentInfo,
    /// When collection started (UTC).
    pub collected_at: DateTime<Utc>,
    /// How long collection took, in milliseconds.
    pub collection_duration_ms: u64,
    /// Facets that failed or were incomplete. A failure is never fatal.
    #[serde(default)]
    pub collection_errors: Vec<CollectionError>,
    /// Names, boot time, virtualisation.
    #[serde(default)]
    pub host: HostInfo,
    /// Operating system.
    #[serde(default)]
    pub os: OsInfo,
    /// Hardware identity: make, model, serials, UUID, chassis, BIOS.
    #[serde(default)]
    pub hardware: Hardware,
    /// Processors.
    #[serde(default)]
    pub cpu: Cpu,
    /// Memory and DIMM modules.
    #[serde(default)]
    pub memory: Memory,
    /// Physical disks and mounted volumes.
    #[serde(default)]
    pub storage: Storage,
    /// Interfaces, addresses, gateways, DNS, wifi.
    #[serde(default)]
    pub network: Network,
    /// Installed software packages from every package manager found.
    #[serde(default)]
    pub software: Vec<SoftwarePackage>,
    /// Local human accounts and the last login.
    #[serde(default)]
    pub users: Users,
    /// Firewall, disk encryption, automatic updates, antivirus.
    #[serde(default)]
    pub security: Security,
}

/// The agent that produced a report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AgentInfo {
    /// Id given by the collector at enrolment; `null` before enrolment.
    pub id: Option<String>,
    /// The agent's version (`census-agent --version`).
    pub version: String,
}

/// A facet that could not be collected completely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionError {
    /// The facet's name: `system`, `hardware`, `cpu`, `memory`, `storage`,
    /// `network`, `software`, `users`, `security`.
    pub facet: String,
    /// What failed, why, and where relevant what to do about it.
    pub message: String,
}

impl HostReport {
    /// An empty report of the current schema version.
    pub fn new(report_id: String, agent: AgentInfo, collected_at: DateTime<Utc>) -> Self {
        HostReport {
            schema_version: SCHEMA_VERSION,
            report_id,
            agent,
            collected_at,
            collection_duration_ms: 0,
            collection_errors: Vec::new(),
            host: HostInfo::default(),
            os: OsInfo::default(),
            hardware: Hardware::default(),
            cpu: Cpu::default(),
            memory: Memory::default(),
            storage: Storage::default(),
            network: Network::default(),
            software: Vec::new(),
            users: Users::default(),
            security: Security::default(),
        }
    }

    /// Record that a facet failed or was incomplete.
    pub fn error(&mut self, facet: &str, message: impl Into<String>) {
        self.collection_errors.push(CollectionError {
            facet: facet.to_string(),
            message: message.into(),
        });
    }
}
