//! Storage: the [`Store`] interface every caller uses, its records, and its
//! two implementations: SQLite ([`sqlite`], one file in the data directory,
//! the default) and PostgreSQL ([`postgres`], which several collector
//! processes may share). [`open`] picks one from the configured database.
//! Both keep the same schema (`migrations/sqlite`, `migrations/postgres`)
//! with times as RFC 3339 UTC text, so [`migrate`] copies one into the
//! other row for row.
//!
//! Durability promise: when an ingest call returns `Ok`, the report is
//! committed to disk. Secrets never reach the store: only SHA-256 hashes.
//!
//! Assets (what the merge engine reads and writes) are the [`AssetStore`]
//! half of the interface, a supertrait of [`Store`].

pub mod admin;
mod batch;
pub mod migrate;
pub mod open;
pub mod postgres;
mod rows;
pub mod sqlite;

pub use admin::AdminStore;
pub use open::{Database, OpenError, open};

use crate::merge::{Decision, Observation, Previous, Resolution};
use census_shared::asset::{Asset, AssetId, Event, MergeExplanation};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;

/// The future every store method returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database said no.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// Schema migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

/// A time as stored: RFC 3339 UTC text with microseconds, the same width
/// always, so text order is time order in both databases.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A stored time read back.
pub(crate) fn parse_ts(s: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    s.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| StoreError::Corrupt(format!("timestamp {s:?}: {e}")))
    })
    .transpose()
}

/// A new enrolment token (hash only).
#[derive(Debug, Clone)]
pub struct NewToken {
    pub token_hash: String,
    pub label: Option<String>,
    pub uses: Option<i64>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// An enrolment token as listed.
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub label: Option<String>,
    pub uses_left: Option<i64>,
    pub uses: i64,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TokenInfo {
    /// `active`, `revoked`, `expired` or `used up`, at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> &'static str {
        match TokenRefusal::of(self.revoked_at, self.expires_at, self.uses_left, now) {
            Some(TokenRefusal::Revoked) => "revoked",
            Some(TokenRefusal::Expired(_)) => "expired",
            Some(TokenRefusal::UsedUp) => "used up",
            _ => "active",
        }
    }
}

/// A new agent to create at enrolment.
#[derive(Debug, Clone)]
pub struct NewAgent {
    pub id: String,
    pub secret_hash: String,
    pub hostname: String,
    pub os: Option<String>,
    pub agent_version: Option<String>,
}

/// Why an enrolment token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefusal {
    #[error(
        "unknown enrolment token: check it, or create one with `census-collector token create`"
    )]
    Unknown,
    #[error(
        "this enrolment token was revoked: create a new one with `census-collector token create`"
    )]
    Revoked,
    #[error(
        "this enrolment token expired at {0}: create a new one with `census-collector token create`"
    )]
    Expired(DateTime<Utc>),
    #[error(
        "this enrolment token has been used up: create one with more uses (`token create --uses N`)"
    )]
    UsedUp,
}

impl TokenRefusal {
    /// Why a stored token cannot enrol an agent at `now`, if it cannot
    /// (every backend's enrolment asks this, in this order).
    pub fn of(
        revoked_at: Option<DateTime<Utc>>,
        expires_at: Option<DateTime<Utc>>,
        uses_left: Option<i64>,
        now: DateTime<Utc>,
    ) -> Option<TokenRefusal> {
        if revoked_at.is_some() {
            Some(TokenRefusal::Revoked)
        } else if let Some(exp) = expires_at.filter(|e| *e <= now) {
            Some(TokenRefusal::Expired(exp))
        } else if uses_left.is_some_and(|u| u <= 0) {
            Some(TokenRefusal::UsedUp)
        } else {
            None
        }
    }
}

/// An enrolled agent.
#[derive(Debug, Clone, Serialize)]
pub struct AgentInfo {
    pub id: String,
    pub kind: String,
    pub hostname: String,
    pub os: Option<String>,
    pub agent_version: Option<String>,
    pub enrolled_at: DateTime<Utc>,
    pub last_seen: Option<DateTime<Utc>>,
    pub reports_received: i64,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl AgentInfo {
    /// Whether the agent reported a version older than this collector's
    /// (`major.minor.patch`, numerically; an unreadable version is not
    /// called outdated).
    pub fn outdated(&self) -> bool {
        self.agent_version
            .as_deref()
            .is_some_and(|v| older(v, env!("CARGO_PKG_VERSION")))
    }
}

/// `a < b` for dotted numeric versions (`0.9.2` < `0.10.0`); pre-release
/// and build suffixes are ignored; `None`-like input is never older.
pub fn older(a: &str, b: &str) -> bool {
    let parse = |v: &str| -> Option<Vec<u64>> {
        v.trim()
            .trim_start_matches('v')
            .split(['-', '+'])
            .next()?
            .split('.')
            .map(|p| p.parse().ok())
            .collect()
    };
    match (parse(a), parse(b)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    }
}

/// A report ready to store.
#[derive(Debug, Clone)]
pub struct IngestReport {
    pub report_id: String,
    pub collected_at: DateTime<Utc>,
    /// Hash of the report without its volatile fields (see `ingest`).
    pub content_hash: String,
    /// The report itself (serialised only when it is a new snapshot).
    pub report: census_shared::HostReport,
    pub hostname: Option<String>,
    pub os: Option<String>,
    pub agent_version: String,
}

impl IngestReport {
    /// The report as stored: JSON text.
    pub fn json(&self) -> String {
        serde_json::to_string(&self.report).expect("reports serialise")
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IngestOutcome {
    /// False when the report id was already stored.
    pub stored: bool,
    /// True when the inventory differs from the agent's previous one.
    pub changed: bool,
}

/// A finished scan to store.
#[derive(Debug, Clone)]
pub struct NewScan {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub targets: String,
    pub observations: Vec<census_shared::observation::ScanObservation>,
}

/// Row counts, for tests, benchmarks and `status`.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub agents: i64,
    pub reports: i64,
    pub snapshots: i64,
    pub scans: i64,
    pub scan_observations: i64,
}

/// What the merge engine reads and writes. Observation ids are stable:
/// `report:<report id>` (the latest report of each agent not revoked) and
/// `scan:<observation row id>` (the latest row of each address and MAC seen
/// since the time asked for).
pub trait AssetStore: Send + Sync {
    /// The observations to resolve: latest report per agent, and scan
    /// observations of scans finished at or after `since`.
    fn asset_observations(&self, since: DateTime<Utc>) -> StoreFuture<'_, Vec<Observation>>;
    /// Every decision a person made, oldest first.
    fn decisions(&self) -> StoreFuture<'_, Vec<Decision>>;
    /// Append a person's decision.
    fn add_decision(&self, decision: Decision) -> StoreFuture<'_, ()>;
    /// What the last saved run left, and its generation (0 before any).
    fn previous_assets(&self) -> StoreFuture<'_, (Previous, i64)>;
    /// Replace assets, explanations and keys and append the events, in one
    /// transaction, if the generation is still `generation`; false (nothing
    /// written) when another run saved first.
    fn save_resolution(&self, resolution: Resolution, generation: i64) -> StoreFuture<'_, bool>;
    /// One stored asset and its explanation.
    fn asset(&self, id: AssetId) -> StoreFuture<'_, Option<(Asset, Option<MergeExplanation>)>>;
    /// Events at or after `since`, oldest first.
    fn events_since(&self, since: DateTime<Utc>) -> StoreFuture<'_, Vec<Event>>;
    /// Changes when a report or scan arrives (cheap; for debouncing).
    fn inputs_marker(&self) -> StoreFuture<'_, (i64, i64)>;
    /// The generation of the saved assets: changes with every saved
    /// recomputation, a person's correction included (cheap).
    fn assets_generation(&self) -> StoreFuture<'_, i64>;
}

/// Everything the collector stores.
pub trait Store: AssetStore + AdminStore + Send + Sync {
    /// Add an enrolment token.
    fn create_token(&self, token: NewToken) -> StoreFuture<'_, TokenInfo>;
    /// All tokens, newest first.
    fn list_tokens(&self) -> StoreFuture<'_, Vec<TokenInfo>>;
    /// Revoke a token; false when there is no such token.
    fn revoke_token(&self, id: i64) -> StoreFuture<'_, bool>;
    /// Consume one use of a token and create the agent, atomically.
    fn enroll(
        &self,
        token_hash: String,
        agent: NewAgent,
    ) -> StoreFuture<'_, Result<AgentInfo, TokenRefusal>>;
    /// The agent a secret belongs to (revoked ones included).
    fn agent_by_secret(&self, secret_hash: String) -> StoreFuture<'_, Option<AgentInfo>>;
    /// All agents, by host name.
    fn list_agents(&self) -> StoreFuture<'_, Vec<AgentInfo>>;
    /// Revoke an agent; false when there is no such agent.
    fn revoke_agent(&self, id: String) -> StoreFuture<'_, bool>;
    /// Store a report of an agent; `Ok` means committed to disk.
    fn ingest(&self, agent_id: String, report: IngestReport) -> StoreFuture<'_, IngestOutcome>;
    /// The latest inventory of an agent, as JSON.
    fn latest_report(&self, agent_id: String) -> StoreFuture<'_, Option<String>>;
    /// Whether a report id is stored.
    fn has_report(&self, report_id: String) -> StoreFuture<'_, bool>;
    /// Row counts.
    fn counts(&self) -> StoreFuture<'_, Counts>;
    /// Store a finished scan and its observations; returns the scan id.
    fn save_scan(&self, scan: NewScan) -> StoreFuture<'_, i64>;
    /// The collector's own agent id (self-inventory), created on first use.
    fn self_agent(&self, hostname: String) -> StoreFuture<'_, String>;
    /// The id of the SNMP credential `device` answered to last.
    fn snmp_credential(&self, device: String) -> StoreFuture<'_, Option<String>>;
    /// Every remembered (device, credential id).
    fn all_snmp_credentials(&self) -> StoreFuture<'_, Vec<(String, String)>>;
    /// Remember the SNMP credential `device` answered to.
    fn remember_snmp_credential(
        &self,
        device: String,
        credential_id: String,
    ) -> StoreFuture<'_, ()>;
    /// Close the connections (SQLite also checkpoints its WAL).
    fn close(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_compare_numerically() {
        assert!(super::older("0.9.2", "0.10.0"));
        assert!(super::older("0.1.0", "0.1.1"));
        assert!(!super::older("0.1.0", "0.1.0"));
        assert!(!super::older("1.0.0-rc1", "0.9.9"));
        assert!(!super::older("unknown", "0.1.0"));
        assert!(!super::older("0.2", "0.1.9"));
    }
}
