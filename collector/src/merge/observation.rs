//! The engine's input: one observation is one agent report or one scan
//! observation (with what SNMP said, when it answered), with the id and time
//! the store gave it. Facts a person entered are [`super::Decision`]s, not
//! observations.
//!
//! This module only wraps the shared types; it reads nothing and judges
//! nothing (keys are `keys.rs`, values `fields.rs`).

use census_shared::HostReport;
use census_shared::asset::{ObservationId, SourceKind};
use census_shared::observation::ScanObservation;
use chrono::{DateTime, Utc};

/// One observation of one thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Stable id chosen by the store (`report:<id>`, `scan:<row id>`).
    pub id: ObservationId,
    /// When it was observed (report `collected_at`, scan `seen_at`).
    pub at: DateTime<Utc>,
    pub source: Source,
}

/// What was observed.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// An agent's report. `agent_id` is the enrolled agent the store
    /// authenticated, not the report's self-declared one.
    Agent {
        agent_id: String,
        report: Box<HostReport>,
    },
    /// One address of one scan; `scan_id` groups the addresses of one run
    /// (the "MAC on many addresses at once" rule needs it).
    Scan {
        scan_id: i64,
        observation: Box<ScanObservation>,
    },
}

impl Observation {
    /// An agent report observed at its `collected_at`.
    pub fn agent(id: &str, agent_id: &str, report: HostReport) -> Self {
        Observation {
            id: ObservationId(id.to_string()),
            at: report.collected_at,
            source: Source::Agent {
                agent_id: agent_id.to_string(),
                report: Box::new(report),
            },
        }
    }

    /// A scan observation observed at its `seen_at`.
    pub fn scan(id: &str, scan_id: i64, observation: ScanObservation) -> Self {
        Observation {
            id: ObservationId(id.to_string()),
            at: observation.seen_at,
            source: Source::Scan {
                scan_id,
                observation: Box::new(observation),
            },
        }
    }

    /// The agent id, for agent reports.
    pub fn agent_id(&self) -> Option<&str> {
        match &self.source {
            Source::Agent { agent_id, .. } => Some(agent_id),
            Source::Scan { .. } => None,
        }
    }

    /// The source kind of the observation as a whole (SNMP values inside a
    /// scan observation are ranked `snmp` field by field in `fields.rs`).
    pub fn kind(&self) -> SourceKind {
        match &self.source {
            Source::Agent { .. } => SourceKind::Agent,
            Source::Scan { .. } => SourceKind::Scan,
        }
    }
}
