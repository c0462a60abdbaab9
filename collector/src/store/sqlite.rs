//! The SQLite store: one file in the data directory, WAL journal,
//! `synchronous=FULL` (a committed report survives power loss), migrations
//! from `migrations/sqlite` applied at open. Writes take the write lock up
//! front (`BEGIN IMMEDIATE`) so concurrent ingests queue instead of failing.

use super::*;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Connection, Row, SqlitePool};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

#[path = "sqlite_admin.rs"]
mod admin;
#[path = "sqlite_assets.rs"]
mod assets;
#[path = "sqlite_scans.rs"]
mod scans;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// A collector database in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// One writer at a time, queued here rather than in SQLite's busy
    /// handler (which polls with sleeps and inflates latency under load).
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Ingests go through the group-commit writer (`batch.rs`).
    batcher: Option<tokio::sync::mpsc::Sender<super::batch::Job>>,
}

fn token_row(r: &SqliteRow) -> Result<TokenInfo, StoreError> {
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

fn agent_row(r: &SqliteRow) -> Result<AgentInfo, StoreError> {
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

impl SqliteStore {
    /// Open (creating if needed) `path` and bring its schema up to date.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await?;
        MIGRATOR.run(&pool).await?;
        let mut store = SqliteStore {
            pool,
            writer: Arc::new(tokio::sync::Mutex::new(())),
            batcher: None,
        };
        store.batcher = Some(super::batch::spawn_writer(store.clone()));
        Ok(store)
    }

    async fn enroll_tx(
        conn: &mut sqlx::SqliteConnection,
        token_hash: &str,
        agent: &NewAgent,
    ) -> Result<Result<AgentInfo, TokenRefusal>, StoreError> {
        let now = Utc::now();
        let Some(row) = sqlx::query("SELECT id, uses_left, expires_at, revoked_at FROM enrollment_tokens WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&mut *conn)
            .await?
        else {
            return Ok(Err(TokenRefusal::Unknown));
        };
        let token_id: i64 = row.try_get("id")?;
        if let Some(refusal) = TokenRefusal::of(
            parse_ts(row.try_get("revoked_at")?)?,
            parse_ts(row.try_get("expires_at")?)?,
            row.try_get("uses_left")?,
            now,
        ) {
            return Ok(Err(refusal));
        }
        sqlx::query(
            "UPDATE enrollment_tokens SET uses = uses + 1, uses_left = uses_left - 1 WHERE id = ?",
        )
        .bind(token_id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO agents (id, secret_hash, kind, hostname, os, agent_version, token_id, enrolled_at) VALUES (?, ?, 'agent', ?, ?, ?, ?, ?)",
        )
        .bind(&agent.id)
        .bind(&agent.secret_hash)
        .bind(&agent.hostname)
        .bind(&agent.os)
        .bind(&agent.agent_version)
        .bind(token_id)
        .bind(ts(now))
        .execute(&mut *conn)
        .await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            agent_columns!(),
            " FROM agents WHERE id = ?"
        ))
        .bind(&agent.id)
        .fetch_one(&mut *conn)
        .await?;
        Ok(Ok(agent_row(&row)?))
    }

    pub(super) async fn ingest_tx(
        conn: &mut sqlx::SqliteConnection,
        agent_id: &str,
        r: &IngestReport,
    ) -> Result<IngestOutcome, StoreError> {
        let now = ts(Utc::now());
        let seen: Option<String> =
            sqlx::query_scalar("SELECT agent_id FROM reports WHERE report_id = ?")
                .bind(&r.report_id)
                .fetch_optional(&mut *conn)
                .await?;
        if seen.is_some() {
            return Ok(IngestOutcome {
                stored: false,
                changed: false,
            });
        }
        let latest = sqlx::query(
            "SELECT id, content_hash FROM snapshots WHERE agent_id = ? ORDER BY id DESC LIMIT 1",
        )
        .bind(agent_id)
        .fetch_optional(&mut *conn)
        .await?;
        let unchanged = match &latest {
            Some(row) => row.try_get::<String, _>("content_hash")? == r.content_hash,
            None => false,
        };
        let snapshot_id: i64 = if unchanged {
            let id: i64 = latest
                .as_ref()
                .map(|row| row.try_get("id"))
                .transpose()?
                .unwrap_or_default();
            sqlx::query("UPDATE snapshots SET last_seen = ? WHERE id = ?")
                .bind(&now)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            id
        } else {
            sqlx::query("INSERT INTO snapshots (agent_id, content_hash, first_seen, last_seen, report_json) VALUES (?, ?, ?, ?, ?)")
                .bind(agent_id)
                .bind(&r.content_hash)
                .bind(&now)
                .bind(&now)
                .bind(r.json())
                .execute(&mut *conn)
                .await?
                .last_insert_rowid()
        };
        sqlx::query("INSERT INTO reports (report_id, agent_id, snapshot_id, received_at, collected_at) VALUES (?, ?, ?, ?, ?)")
            .bind(&r.report_id)
            .bind(agent_id)
            .bind(snapshot_id)
            .bind(&now)
            .bind(ts(r.collected_at))
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE agents SET last_seen = ?, reports_received = reports_received + 1, \
             hostname = COALESCE(?, hostname), os = COALESCE(?, os), agent_version = ? WHERE id = ?",
        )
        .bind(&now)
        .bind(&r.hostname)
        .bind(&r.os)
        .bind(&r.agent_version)
        .bind(agent_id)
        .execute(&mut *conn)
        .await?;
        Ok(IngestOutcome {
            stored: true,
            changed: !unchanged,
        })
    }

    /// Run `f` inside `BEGIN IMMEDIATE … COMMIT`; an error or a dropped
    /// future rolls back.
    pub(super) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: for<'c> FnOnce(
            &'c mut sqlx::SqliteConnection,
        )
            -> Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'c>>,
    {
        let _turn = self.writer.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let v = f(&mut tx).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Close the pool (checkpoints the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The connection pool, for `db migrate-to` (which reads every table).
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Ping the database.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.pool.acquire().await?.ping().await?;
        Ok(())
    }
}

impl Store for SqliteStore {
    fn create_token(&self, t: NewToken) -> StoreFuture<'_, TokenInfo> {
        Box::pin(async move {
            let row = sqlx::query(
                "INSERT INTO enrollment_tokens (token_hash, label, uses_left, expires_at, created_at) VALUES (?, ?, ?, ?, ?) \
                 RETURNING id, label, uses_left, uses, expires_at, created_at, revoked_at",
            )
            .bind(&t.token_hash)
            .bind(&t.label)
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
            let rows = sqlx::query("SELECT id, label, uses_left, uses, expires_at, created_at, revoked_at FROM enrollment_tokens ORDER BY id DESC")
                .fetch_all(&self.pool)
                .await?;
            rows.iter().map(token_row).collect()
        })
    }

    fn revoke_token(&self, id: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let n = sqlx::query(
                "UPDATE enrollment_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
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
        Box::pin(async move {
            self.write(|c| Box::pin(async move { Self::enroll_tx(c, &token_hash, &agent).await }))
                .await
        })
    }

    fn agent_by_secret(&self, secret_hash: String) -> StoreFuture<'_, Option<AgentInfo>> {
        Box::pin(async move {
            let row = sqlx::query(concat!(
                "SELECT ",
                agent_columns!(),
                " FROM agents WHERE secret_hash = ?"
            ))
            .bind(secret_hash)
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
            let n =
                sqlx::query("UPDATE agents SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
                    .bind(ts(Utc::now()))
                    .bind(id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
            Ok(n > 0)
        })
    }

    fn ingest(&self, agent_id: String, report: IngestReport) -> StoreFuture<'_, IngestOutcome> {
        Box::pin(async move {
            let Some(batcher) = &self.batcher else {
                return self
                    .write(|c| {
                        Box::pin(async move { Self::ingest_tx(c, &agent_id, &report).await })
                    })
                    .await;
            };
            let (reply, answer) = tokio::sync::oneshot::channel();
            batcher
                .send(super::batch::Job {
                    agent_id,
                    report,
                    reply,
                })
                .await
                .map_err(|_| StoreError::Corrupt("the database writer has stopped".into()))?;
            answer
                .await
                .map_err(|_| StoreError::Corrupt("the database writer has stopped".into()))?
        })
    }

    fn latest_report(&self, agent_id: String) -> StoreFuture<'_, Option<String>> {
        Box::pin(async move {
            Ok(sqlx::query_scalar(
                "SELECT report_json FROM snapshots WHERE agent_id = ? ORDER BY id DESC LIMIT 1",
            )
            .bind(agent_id)
            .fetch_optional(&self.pool)
            .await?)
        })
    }

    fn has_report(&self, report_id: String) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE report_id = ?")
                .bind(report_id)
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
        Box::pin(async move {
            self.write(|c| {
                Box::pin(async move {
                    let existing: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'self_agent_id'")
                        .fetch_optional(&mut *c)
                        .await?;
                    if let Some(id) = existing {
                        return Ok(id);
                    }
                    let id = crate::secrets::new_agent_id();
                    // The collector's own agent never authenticates: its secret hash is unguessable.
                    let secret_hash = crate::secrets::hash(&crate::secrets::new_secret());
                    sqlx::query("INSERT INTO agents (id, secret_hash, kind, hostname, enrolled_at) VALUES (?, ?, 'collector', ?, ?)")
                        .bind(&id)
                        .bind(secret_hash)
                        .bind(&hostname)
                        .bind(ts(Utc::now()))
                        .execute(&mut *c)
                        .await?;
                    sqlx::query("INSERT INTO settings (key, value) VALUES ('self_agent_id', ?)").bind(&id).execute(&mut *c).await?;
                    Ok(id)
                })
            })
            .await
        })
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
        Box::pin(SqliteStore::close(self))
    }
}
