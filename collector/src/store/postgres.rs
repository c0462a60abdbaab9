//! The PostgreSQL store: one database that several collector processes may
//! serve at once, with the schema of `migrations/postgres` (the same as
//! SQLite's) applied at open under sqlx's migration lock. It is what
//! `--database postgres://…` opens (`open.rs` connects and explains
//! failures); it creates neither the database nor its user, and it has no
//! in-process writer or group commit (`batch.rs` is SQLite's): every write
//! is its own transaction, committed before `Ok`.
//!
//! Safety across processes: an ingest locks its agent's row first, so one
//! agent's reports are stored one at a time and both the report-id check and
//! the "same as the latest snapshot?" check see every committed report; an
//! enrolment locks its token's row, so uses are never over-spent; saving a
//! recomputation and creating the self-inventory agent take
//! transaction-scoped advisory locks ([`locks`]). Free text is bound with
//! NUL replaced by U+FFFD ([`text`]): PostgreSQL text cannot hold NUL, and
//! an agent's strings are untrusted.

use super::*;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{PgConnection, PgPool, Row};
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Keys of the transaction-scoped advisory locks (`pg_advisory_xact_lock`),
/// one per action that must not run in two processes at once.
pub mod locks {
    /// Saving a recomputation of the assets (the generation check and the
    /// replacement of assets, keys and explanations).
    pub const ASSETS: i64 = 0x6365_6e73_7573_0001;
    /// Creating the collector's own agent.
    pub const SELF_AGENT: i64 = 0x6365_6e73_7573_0002;
}

/// Connections one collector process keeps at most.
const MAX_CONNECTIONS: u32 = 10;

/// A collector database on a PostgreSQL server.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

/// Text as bound: NUL (which PostgreSQL text cannot hold) becomes U+FFFD.
pub(crate) fn text(s: &str) -> String {
    s.replace('\0', "\u{FFFD}")
}

/// [`text`] of an optional value.
pub(crate) fn opt_text(s: Option<&str>) -> Option<String> {
    s.map(text)
}

pub(super) fn token_row(r: &PgRow) -> Result<TokenInfo, StoreError> {
    Ok(TokenInfo {
        id: r.try_get("id")?,
        label: r.try_get("label")?,
        uses_left: r.try_get("uses_left")?,
        uses: r.try_get("uses")?,
        expires_at: parse_ts(r.try_get("expires_at")?)?,
        created_at: parse_ts(r.try_get("created_at")?)?.unwrap_or_default(),
        revoked_at: parse_ts(r.try_get("revoked_at")?)?,
    })
}

pub(super) fn agent_row(r: &PgRow) -> Result<AgentInfo, StoreError> {
    Ok(AgentInfo {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        hostname: r.try_get("hostname")?,
        os: r.try_get("os")?,
        agent_version: r.try_get("agent_version")?,
        enrolled_at: parse_ts(r.try_get("enrolled_at")?)?.unwrap_or_default(),
        last_seen: parse_ts(r.try_get("last_seen")?)?,
        reports_received: r.try_get("reports_received")?,
        revoked_at: parse_ts(r.try_get("revoked_at")?)?,
    })
}

/// The columns `agent_row` reads, as a literal for `concat!`.
macro_rules! agent_columns {
    () => {
        "id, kind, hostname, os, agent_version, enrolled_at, last_seen, reports_received, revoked_at"
    };
}

/// The columns `token_row` reads, as a literal for `concat!`.
macro_rules! token_columns {
    () => {
        "id, label, uses_left, uses, expires_at, created_at, revoked_at"
    };
}

// After the macros, which the agents' half uses.
#[path = "postgres_admin.rs"]
mod admin;
#[path = "postgres_assets.rs"]
mod assets;
#[path = "postgres_ingest.rs"]
mod ingest;
#[path = "postgres_scans.rs"]
mod scans;

impl PgStore {
    /// Connect and bring the schema up to date. `open.rs` has tried one
    /// connection first, to say what is wrong when there is none.
    pub async fn open(opts: PgConnectOptions) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(PgStore { pool })
    }

    /// The connection pool, for `db migrate-to`.
    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Run `f` inside `BEGIN … COMMIT`; an error or a dropped future rolls
    /// back.
    pub(super) async fn tx<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: for<'c> FnOnce(
            &'c mut PgConnection,
        )
            -> Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'c>>,
    {
        let mut tx = self.pool.begin().await?;
        let v = f(&mut tx).await?;
        tx.commit().await?;
        Ok(v)
    }
}

impl Store for PgStore {
    fn create_token(&self, t: NewToken) -> StoreFuture<'_, TokenInfo> {
        Box::pin(async move {
            let row = sqlx::query(concat!(
                "INSERT INTO enrollment_tokens (token_hash, label, uses_left, expires_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING ",
                token_columns!()
            ))
            .bind(text(&t.token_hash))
            .bind(opt_text(t.label.as_deref()))
            .bind(t.uses)
            .bind(t.expires_at.map(ts))
            .bind(ts(Utc::now()))
            .fetch_one(&self.pool)
            .await?;
            token_row(&row)
        })
    }

    fn list_tokens(&self) -> StoreFuture<'_, Vec<TokenInfo>> {
        Box::pin(async move {
            let rows = sqlx::query(concat!(
                "SELECT ",
                token_columns!(),
                " FROM enrollment_tokens ORDER BY id DESC"
            ))
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(token_row).collect()
        })
    }

    fn revoke_token(&self, id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let n = sqlx::query(
                "UPDATE enrollment_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2",
            )
            .bind(ts(Utc::now()))
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected();
            Ok(n > 0)
        })
    }

    fn enroll(
        &self,
        token_hash: String,
        agent: NewAgent,
    ) -> StoreFuture<'_, Result<AgentInfo, TokenRefusal>> {
        Box::pin(
            self.tx(|c| Box::pin(async move { Self::enroll_tx(c, &token_hash, &agent).await })),
        )
    }

    fn agent_by_secret(&self, secret_hash: String) -> StoreFuture<'_, Option<AgentInfo>> {
        Box::pin(async move {
            let row = sqlx::query(concat!(
                "SELECT ",
                agent_columns!(),
                " FROM agents WHERE secret_hash = $1"
            ))
            .bind(text(&secret_hash))
            .fetch_optional(&self.pool)
            .await?;
            row.as_ref().map(agent_row).transpose()
        })
    }

    fn list_agents(&self) -> StoreFuture<'_, Vec<AgentInfo>> {
        Box::pin(async move {
            let rows = sqlx::query(concat!(
                "SELECT ",
                agent_columns!(),
                " FROM agents ORDER BY hostname, id"
            ))
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(agent_row).collect()
        })
    }

    fn revoke_agent(&self, id: String) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let n = sqlx::query(
                "UPDATE agents SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2",
            )
            .bind(ts(Utc::now()))
            .bind(text(&id))
            .execute(&self.pool)
            .await?
            .rows_affected();
            Ok(n > 0)
        })
    }

    fn ingest(&self, agent_id: String, report: IngestReport) -> StoreFuture<'_, IngestOutcome> {
        Box::pin(self.tx(|c| Box::pin(async move { Self::ingest_tx(c, &agent_id, &report).await })))
    }

    fn latest_report(&self, agent_id: String) -> StoreFuture<'_, Option<String>> {
        Box::pin(async move {
            Ok(sqlx::query_scalar(
                "SELECT report_json FROM snapshots WHERE agent_id = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(text(&agent_id))
            .fetch_optional(&self.pool)
            .await?)
        })
    }

    fn has_report(&self, report_id: String) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE report_id = $1")
                .bind(text(&report_id))
                .fetch_one(&self.pool)
                .await?;
            Ok(n > 0)
        })
    }

    fn counts(&self) -> StoreFuture<'_, Counts> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT (SELECT COUNT(*) FROM agents) AS agents, (SELECT COUNT(*) FROM reports) AS reports, \
                 (SELECT COUNT(*) FROM snapshots) AS snapshots, (SELECT COUNT(*) FROM scans) AS scans, \
                 (SELECT COUNT(*) FROM scan_observations) AS scan_observations",
            )
            .fetch_one(&self.pool)
            .await?;
            Ok(Counts {
                agents: row.try_get("agents")?,
                reports: row.try_get("reports")?,
                snapshots: row.try_get("snapshots")?,
                scans: row.try_get("scans")?,
                scan_observations: row.try_get("scan_observations")?,
            })
        })
    }

    fn save_scan(&self, scan: NewScan) -> StoreFuture<'_, i64> {
        Box::pin(self.insert_scan(scan))
    }

    fn self_agent(&self, hostname: String) -> StoreFuture<'_, String> {
        Box::pin(self.tx(|c| Box::pin(async move { Self::self_agent_tx(c, &hostname).await })))
    }

    fn snmp_credential(&self, device: String) -> StoreFuture<'_, Option<String>> {
        Box::pin(self.find_snmp_credential(device))
    }

    fn all_snmp_credentials(&self) -> StoreFuture<'_, Vec<(String, String)>> {
        Box::pin(self.list_snmp_credentials())
    }

    fn remember_snmp_credential(
        &self,
        device: String,
        credential_id: String,
    ) -> StoreFuture<'_, ()> {
        Box::pin(self.upsert_snmp_credential(device, credential_id))
    }

    fn close(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(self.pool.close())
    }
}
