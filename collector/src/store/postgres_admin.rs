//! [`AdminStore`] in PostgreSQL: administrators, sessions, API tokens, and
//! the saved scans read back, with the meaning `sqlite_admin.rs` gives them.
//! Setting a password and ending that administrator's sessions is one
//! transaction; everything else is one statement, safe in any number of
//! processes (an upsert, or an update keyed by id).

use super::{PgStore, text};
use crate::store::admin::{AdminStore, ApiTokenInfo, NewApiToken, ScanInfo, Session};
use crate::store::{StoreError, StoreFuture};
use crate::store::{parse_ts, ts};
use census_shared::observation::ScanObservation;
use chrono::Utc;
use sqlx::Row;
use sqlx::postgres::PgRow;

/// The columns `api_token_row` reads, as a literal for `concat!`.
macro_rules! api_token_columns {
    () => {
        "id, name, created_at, expires_at, last_used_at, revoked_at"
    };
}

/// The columns `scan_row` reads, as a literal for `concat!`.
macro_rules! scan_columns {
    () => {
        "id, started_at, finished_at, targets, hosts_found"
    };
}

fn api_token_row(r: &PgRow) -> Result<ApiTokenInfo, StoreError> {
    Ok(ApiTokenInfo {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        created_at: parse_ts(r.try_get("created_at")?)?.unwrap_or_default(),
        expires_at: parse_ts(r.try_get("expires_at")?)?,
        last_used_at: parse_ts(r.try_get("last_used_at")?)?,
        revoked_at: parse_ts(r.try_get("revoked_at")?)?,
    })
}

fn scan_row(r: &PgRow) -> Result<ScanInfo, StoreError> {
    Ok(ScanInfo {
        id: r.try_get("id")?,
        started_at: parse_ts(r.try_get("started_at")?)?.unwrap_or_default(),
        finished_at: parse_ts(r.try_get("finished_at")?)?.unwrap_or_default(),
        targets: r.try_get("targets")?,
        hosts_found: r.try_get("hosts_found")?,
    })
}

impl AdminStore for PgStore {
    fn admin_password_hash(&self, name: String) -> StoreFuture<'_, Option<String>> {
        Box::pin(async move {
            Ok(
                sqlx::query_scalar("SELECT password_hash FROM admins WHERE name = $1")
                    .bind(text(&name))
                    .fetch_optional(&self.pool)
                    .await?,
            )
        })
    }

    fn set_admin_password(&self, name: String, hash: String) -> StoreFuture<'_, ()> {
        Box::pin(self.tx(move |c| {
            Box::pin(async move {
                let now = ts(Utc::now());
                sqlx::query(
                    "INSERT INTO admins (name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at",
                )
                .bind(text(&name))
                .bind(text(&hash))
                .bind(&now)
                .bind(&now)
                .execute(&mut *c)
                .await?;
                sqlx::query("DELETE FROM sessions WHERE admin = $1")
                    .bind(text(&name))
                    .execute(&mut *c)
                    .await?;
                Ok(())
            })
        }))
    }

    fn has_admin(&self) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admins")
                .fetch_one(&self.pool)
                .await?;
            Ok(n > 0)
        })
    }

    fn create_session(&self, id_hash: String, s: Session) -> StoreFuture<'_, ()> {
        Box::pin(self.tx(move |c| {
            Box::pin(async move {
                sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                    .bind(ts(Utc::now()))
                    .execute(&mut *c)
                    .await?;
                sqlx::query(
                    "INSERT INTO sessions (id_hash, admin, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(text(&id_hash))
                .bind(text(&s.admin))
                .bind(text(&s.csrf))
                .bind(ts(Utc::now()))
                .bind(ts(s.expires_at))
                .execute(&mut *c)
                .await?;
                Ok(())
            })
        }))
    }

    fn session(&self, id_hash: String) -> StoreFuture<'_, Option<Session>> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT admin, csrf, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
            )
            .bind(text(&id_hash))
            .bind(ts(Utc::now()))
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| {
                Ok(Session {
                    admin: r.try_get("admin")?,
                    csrf: r.try_get("csrf")?,
                    expires_at: parse_ts(r.try_get("expires_at")?)?.unwrap_or_default(),
                })
            })
            .transpose()
        })
    }

    fn delete_session(&self, id_hash: String) -> StoreFuture<'_, ()> {
        Box::pin(self.tx(move |c| {
            Box::pin(async move {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1 OR expires_at < $2")
                    .bind(text(&id_hash))
                    .bind(ts(Utc::now()))
                    .execute(&mut *c)
                    .await?;
                Ok(())
            })
        }))
    }

    fn create_api_token(&self, t: NewApiToken) -> StoreFuture<'_, ApiTokenInfo> {
        Box::pin(self.tx(move |c| {
            Box::pin(async move {
                let row = sqlx::query(concat!("INSERT INTO api_tokens (token_hash, name, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING ", api_token_columns!()))
                .bind(text(&t.token_hash))
                .bind(text(&t.name))
                .bind(ts(Utc::now()))
                .bind(t.expires_at.map(ts))
                .fetch_one(&mut *c)
                .await?;
                api_token_row(&row)
            })
        }))
    }

    fn list_api_tokens(&self) -> StoreFuture<'_, Vec<ApiTokenInfo>> {
        Box::pin(async move {
            let rows = sqlx::query(concat!(
                "SELECT ",
                api_token_columns!(),
                " FROM api_tokens ORDER BY id DESC"
            ))
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(api_token_row).collect()
        })
    }

    fn revoke_api_token(&self, id: i64) -> StoreFuture<'_, bool> {
        Box::pin(self.tx(move |c| {
            Box::pin(async move {
                let n = sqlx::query(
                    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2",
                )
                .bind(ts(Utc::now()))
                .bind(id)
                .execute(&mut *c)
                .await?
                .rows_affected();
                Ok(n > 0)
            })
        }))
    }

    fn use_api_token(&self, token_hash: String) -> StoreFuture<'_, Option<ApiTokenInfo>> {
        Box::pin(async move {
            let now = ts(Utc::now());
            let row = sqlx::query(concat!(
                "SELECT ",
                api_token_columns!(),
                " FROM api_tokens WHERE token_hash = $1 \
                 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)"
            ))
            .bind(text(&token_hash))
            .bind(&now)
            .fetch_optional(&self.pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let info = api_token_row(&row)?;
            // Last use to the minute is enough, and spares a write per request.
            let stale = info
                .last_used_at
                .is_none_or(|t| Utc::now() - t > chrono::Duration::minutes(1));
            if stale {
                let id = info.id;
                self.tx(move |c| {
                    Box::pin(async move {
                        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                            .bind(&now)
                            .bind(id)
                            .execute(&mut *c)
                            .await?;
                        Ok(())
                    })
                })
                .await?;
            }
            Ok(Some(info))
        })
    }

    fn list_scans(&self, limit: i64) -> StoreFuture<'_, Vec<ScanInfo>> {
        Box::pin(async move {
            let rows = sqlx::query(concat!(
                "SELECT ",
                scan_columns!(),
                " FROM scans ORDER BY id DESC LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(scan_row).collect()
        })
    }

    fn scan(&self, id: i64) -> StoreFuture<'_, Option<(ScanInfo, Vec<ScanObservation>)>> {
        Box::pin(async move {
            let Some(row) = sqlx::query(concat!(
                "SELECT ",
                scan_columns!(),
                " FROM scans WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            else {
                return Ok(None);
            };
            let info = scan_row(&row)?;
            let texts: Vec<String> = sqlx::query_scalar(
                "SELECT observation FROM scan_observations WHERE scan_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            let observations = texts
                .iter()
                .map(|t| serde_json::from_str(t).map_err(|e| StoreError::Corrupt(e.to_string())))
                .collect::<Result<_, _>>()?;
            Ok(Some((info, observations)))
        })
    }
}
