//! The PostgreSQL store's writes about agents, each run inside one
//! transaction by `postgres.rs`: enrolment (the token's row locked, so a
//! limited token is never over-spent by two collectors at once), ingest
//! (the agent's row locked first, so one agent's reports are stored one at
//! a time in every process and the duplicate and "unchanged" checks see
//! every committed report), and the collector's own agent (created once,
//! under an advisory lock). Same meaning as `sqlite.rs`' versions.

use super::{PgStore, agent_row, locks, opt_text, text};
use crate::store::{AgentInfo, IngestOutcome, IngestReport, NewAgent, StoreError, TokenRefusal};
use crate::store::{parse_ts, ts};
use chrono::Utc;
use sqlx::{PgConnection, Row};

impl PgStore {
    pub(super) async fn enroll_tx(
        c: &mut PgConnection,
        token_hash: &str,
        agent: &NewAgent,
    ) -> Result<Result<AgentInfo, TokenRefusal>, StoreError> {
        let now = Utc::now();
        // The row lock makes concurrent enrolments with one token take turns.
        let Some(row) = sqlx::query(
            "SELECT id, uses_left, expires_at, revoked_at FROM enrollment_tokens \
             WHERE token_hash = $1 FOR UPDATE",
        )
        .bind(text(token_hash))
        .fetch_optional(&mut *c)
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
            "UPDATE enrollment_tokens SET uses = uses + 1, uses_left = uses_left - 1 WHERE id = $1",
        )
        .bind(token_id)
        .execute(&mut *c)
        .await?;
        let row = sqlx::query(concat!(
            "INSERT INTO agents (id, secret_hash, kind, hostname, os, agent_version, token_id, enrolled_at) \
             VALUES ($1, $2, 'agent', $3, $4, $5, $6, $7) RETURNING ",
            agent_columns!()
        ))
        .bind(text(&agent.id))
        .bind(text(&agent.secret_hash))
        .bind(text(&agent.hostname))
        .bind(opt_text(agent.os.as_deref()))
        .bind(opt_text(agent.agent_version.as_deref()))
        .bind(token_id)
        .bind(ts(now))
        .fetch_one(&mut *c)
        .await?;
        Ok(Ok(agent_row(&row)?))
    }

    pub(super) async fn ingest_tx(
        c: &mut PgConnection,
        agent_id: &str,
        r: &IngestReport,
    ) -> Result<IngestOutcome, StoreError> {
        let now = ts(Utc::now());
        // One agent's reports one at a time, in every process: what follows
        // then sees every report of this agent that committed before.
        sqlx::query("SELECT id FROM agents WHERE id = $1 FOR UPDATE")
            .bind(text(agent_id))
            .fetch_optional(&mut *c)
            .await?;
        let seen: Option<String> =
            sqlx::query_scalar("SELECT agent_id FROM reports WHERE report_id = $1")
                .bind(text(&r.report_id))
                .fetch_optional(&mut *c)
                .await?;
        if seen.is_some() {
            return Ok(IngestOutcome {
                stored: false,
                changed: false,
            });
        }
        let latest = sqlx::query(
            "SELECT id, content_hash FROM snapshots WHERE agent_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(text(agent_id))
        .fetch_optional(&mut *c)
        .await?;
        let unchanged = match &latest {
            Some(row) => row.try_get::<String, _>("content_hash")? == r.content_hash,
            None => false,
        };
        let snapshot_id: i64 = match (&latest, unchanged) {
            (Some(row), true) => {
                let id: i64 = row.try_get("id")?;
                sqlx::query("UPDATE snapshots SET last_seen = $1 WHERE id = $2")
                    .bind(&now)
                    .bind(id)
                    .execute(&mut *c)
                    .await?;
                id
            }
            _ => {
                sqlx::query_scalar(
                    "INSERT INTO snapshots (agent_id, content_hash, first_seen, last_seen, report_json) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(text(agent_id))
                .bind(text(&r.content_hash))
                .bind(&now)
                .bind(&now)
                .bind(text(&r.json()))
                .fetch_one(&mut *c)
                .await?
            }
        };
        sqlx::query(
            "INSERT INTO reports (report_id, agent_id, snapshot_id, received_at, collected_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(text(&r.report_id))
        .bind(text(agent_id))
        .bind(snapshot_id)
        .bind(&now)
        .bind(ts(r.collected_at))
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "UPDATE agents SET last_seen = $1, reports_received = reports_received + 1, \
             hostname = COALESCE($2, hostname), os = COALESCE($3, os), agent_version = $4 WHERE id = $5",
        )
        .bind(&now)
        .bind(opt_text(r.hostname.as_deref()))
        .bind(opt_text(r.os.as_deref()))
        .bind(text(&r.agent_version))
        .bind(text(agent_id))
        .execute(&mut *c)
        .await?;
        Ok(IngestOutcome {
            stored: true,
            changed: !unchanged,
        })
    }

    pub(super) async fn self_agent_tx(
        c: &mut PgConnection,
        hostname: &str,
    ) -> Result<String, StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(locks::SELF_AGENT)
            .execute(&mut *c)
            .await?;
        let existing: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'self_agent_id'")
                .fetch_optional(&mut *c)
                .await?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let id = crate::secrets::new_agent_id();
        // The collector's own agent never authenticates: its secret hash is unguessable.
        let secret_hash = crate::secrets::hash(&crate::secrets::new_secret());
        sqlx::query(
            "INSERT INTO agents (id, secret_hash, kind, hostname, enrolled_at) \
             VALUES ($1, $2, 'collector', $3, $4)",
        )
        .bind(&id)
        .bind(secret_hash)
        .bind(text(hostname))
        .bind(ts(Utc::now()))
        .execute(&mut *c)
        .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('self_agent_id', $1)")
            .bind(&id)
            .execute(&mut *c)
            .await?;
        Ok(id)
    }
}
