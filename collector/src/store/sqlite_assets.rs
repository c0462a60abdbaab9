//! The SQLite store's [`AssetStore`] half: reading the merge engine's
//! inputs (latest report per agent, recent scan observations, a person's
//! decisions, the previous run) and saving a run in one transaction through
//! the store's single writer.
//!
//! No merging happens here: that is `crate::merge`; `crate::assets` runs it.
//! Rows that no longer parse (a report from an older schema) are skipped
//! with a warning rather than stopping every recomputation.

use super::{SqliteStore, parse_ts, ts};
use crate::merge::{Decision, KeyAssignment, Observation, Previous, Resolution};
use crate::store::{AssetStore, StoreError, StoreFuture};
use census_shared::asset::{Asset, AssetId, Event, IdentityKey, MergeExplanation};
use chrono::{DateTime, Utc};
use sqlx::Row;

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| corrupt("serialising", e))
}

fn time(s: String) -> Result<DateTime<Utc>, StoreError> {
    Ok(parse_ts(Some(s))?.unwrap_or_default())
}

impl SqliteStore {
    async fn observations_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<Observation>, StoreError> {
        let mut out = Vec::new();
        let reports = sqlx::query(
            "SELECT r.report_id, r.agent_id, r.collected_at, s.report_json FROM reports r \
             JOIN snapshots s ON s.id = r.snapshot_id JOIN agents a ON a.id = r.agent_id \
             WHERE a.revoked_at IS NULL \
             AND r.rowid IN (SELECT MAX(rowid) FROM reports GROUP BY agent_id)",
        )
        .fetch_all(&self.pool)
        .await?;
        for row in reports {
            let id: String = row.try_get("report_id")?;
            let agent: String = row.try_get("agent_id")?;
            let json: String = row.try_get("report_json")?;
            let at = time(row.try_get("collected_at")?)?;
            out.extend(super::rows::report_observation(&id, &agent, &json, at));
        }
        let scans = sqlx::query(
            "SELECT o.id, o.scan_id, o.observation FROM scan_observations o WHERE o.id IN \
             (SELECT MAX(o2.id) FROM scan_observations o2 JOIN scans s ON s.id = o2.scan_id \
              WHERE s.finished_at >= ? GROUP BY o2.ip, o2.mac)",
        )
        .bind(ts(since))
        .fetch_all(&self.pool)
        .await?;
        for row in scans {
            let id: i64 = row.try_get("id")?;
            let json: String = row.try_get("observation")?;
            out.extend(super::rows::scan_observation(
                id,
                row.try_get("scan_id")?,
                &json,
            ));
        }
        Ok(out)
    }

    async fn load_previous(&self) -> Result<(Previous, i64), StoreError> {
        let mut previous = Previous::default();
        for row in sqlx::query("SELECT key, asset_id, last_seen FROM asset_keys")
            .fetch_all(&self.pool)
            .await?
        {
            let key: String = row.try_get("key")?;
            let Ok(key) = key.parse::<IdentityKey>() else {
                tracing::warn!("stored identity key {key:?} not understood: forgotten");
                continue;
            };
            previous.ids.insert(
                key,
                KeyAssignment {
                    asset: AssetId(row.try_get("asset_id")?),
                    last_seen: time(row.try_get("last_seen")?)?,
                },
            );
        }
        for json in sqlx::query_scalar::<_, String>("SELECT json FROM assets ORDER BY id")
            .fetch_all(&self.pool)
            .await?
        {
            previous
                .assets
                .push(serde_json::from_str(&json).map_err(|e| corrupt("stored asset", e))?);
        }
        let generation: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'assets_generation'")
                .fetch_optional(&self.pool)
                .await?;
        let generation = generation.and_then(|g| g.parse().ok()).unwrap_or(0);
        Ok((previous, generation))
    }

    async fn save_tx(
        c: &mut sqlx::SqliteConnection,
        res: &Resolution,
        generation: i64,
    ) -> Result<bool, StoreError> {
        let now: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'assets_generation'")
                .fetch_optional(&mut *c)
                .await?;
        if now.and_then(|g| g.parse().ok()).unwrap_or(0i64) != generation {
            return Ok(false);
        }
        for delete in [
            "DELETE FROM assets",
            "DELETE FROM asset_explanations",
            "DELETE FROM asset_keys",
        ] {
            sqlx::query(delete).execute(&mut *c).await?;
        }
        for a in &res.assets {
            sqlx::query(
                "INSERT INTO assets (id, category, name, status, unknown, last_seen, json) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&a.id.0)
            .bind(a.category.as_ref().map(|c| c.value.as_str()))
            .bind(a.name.as_ref().map(|n| n.value.as_str()))
            .bind(to_json(&a.status)?.trim_matches('"'))
            .bind(a.unknown)
            .bind(ts(a.last_seen))
            .bind(to_json(a)?)
            .execute(&mut *c)
            .await?;
        }
        for e in &res.explanations {
            sqlx::query("INSERT INTO asset_explanations (asset_id, json) VALUES (?, ?)")
                .bind(&e.asset.0)
                .bind(to_json(e)?)
                .execute(&mut *c)
                .await?;
        }
        for (key, a) in &res.ids {
            sqlx::query("INSERT INTO asset_keys (key, asset_id, last_seen) VALUES (?, ?, ?)")
                .bind(key.to_string())
                .bind(&a.asset.0)
                .bind(ts(a.last_seen))
                .execute(&mut *c)
                .await?;
        }
        for e in &res.events {
            let json = serde_json::to_value(e).map_err(|e| corrupt("serialising", e))?;
            sqlx::query("INSERT INTO events (at, asset_id, kind, json) VALUES (?, ?, ?, ?)")
                .bind(ts(e.at))
                .bind(&e.asset.0)
                .bind(json["event"].as_str().unwrap_or_default())
                .bind(json.to_string())
                .execute(&mut *c)
                .await?;
        }
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ('assets_generation', ?) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )
        .bind((generation + 1).to_string())
        .execute(&mut *c)
        .await?;
        Ok(true)
    }
}

impl AssetStore for SqliteStore {
    fn asset_observations(&self, since: DateTime<Utc>) -> StoreFuture<'_, Vec<Observation>> {
        Box::pin(self.observations_since(since))
    }

    fn decisions(&self) -> StoreFuture<'_, Vec<Decision>> {
        Box::pin(async move {
            let rows: Vec<String> =
                sqlx::query_scalar("SELECT json FROM decisions ORDER BY at, id")
                    .fetch_all(&self.pool)
                    .await?;
            rows.iter()
                .map(|j| serde_json::from_str(j).map_err(|e| corrupt("stored decision", e)))
                .collect()
        })
    }

    fn add_decision(&self, d: Decision) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let json = to_json(&d)?;
            self.write(move |c| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO decisions (id, at, json) VALUES (?, ?, ?)")
                        .bind(&d.id)
                        .bind(ts(d.at))
                        .bind(json)
                        .execute(&mut *c)
                        .await?;
                    Ok(())
                })
            })
            .await
        })
    }

    fn previous_assets(&self) -> StoreFuture<'_, (Previous, i64)> {
        Box::pin(self.load_previous())
    }

    fn save_resolution(&self, res: Resolution, generation: i64) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            self.write(move |c| Box::pin(async move { Self::save_tx(c, &res, generation).await }))
                .await
        })
    }

    fn asset(&self, id: AssetId) -> StoreFuture<'_, Option<(Asset, Option<MergeExplanation>)>> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT a.json, e.json AS explanation FROM assets a \
                 LEFT JOIN asset_explanations e ON e.asset_id = a.id WHERE a.id = ?",
            )
            .bind(&id.0)
            .fetch_optional(&self.pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let asset: String = row.try_get("json")?;
            let explanation: Option<String> = row.try_get("explanation")?;
            Ok(Some((
                serde_json::from_str(&asset).map_err(|e| corrupt("stored asset", e))?,
                explanation
                    .map(|j| serde_json::from_str(&j))
                    .transpose()
                    .map_err(|e| corrupt("stored explanation", e))?,
            )))
        })
    }

    fn events_since(&self, since: DateTime<Utc>) -> StoreFuture<'_, Vec<Event>> {
        Box::pin(async move {
            let rows: Vec<String> =
                sqlx::query_scalar("SELECT json FROM events WHERE at >= ? ORDER BY id")
                    .bind(ts(since))
                    .fetch_all(&self.pool)
                    .await?;
            rows.iter()
                .map(|j| serde_json::from_str(j).map_err(|e| corrupt("stored event", e)))
                .collect()
        })
    }

    fn assets_generation(&self) -> StoreFuture<'_, i64> {
        Box::pin(async move {
            let g: Option<String> =
                sqlx::query_scalar("SELECT value FROM settings WHERE key = 'assets_generation'")
                    .fetch_optional(&self.pool)
                    .await?;
            Ok(g.and_then(|g| g.parse().ok()).unwrap_or(0))
        })
    }

    fn inputs_marker(&self) -> StoreFuture<'_, (i64, i64)> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT COALESCE((SELECT MAX(rowid) FROM reports), 0) AS r, \
                 COALESCE((SELECT MAX(id) FROM scans), 0) AS s",
            )
            .fetch_one(&self.pool)
            .await?;
            Ok((row.try_get("r")?, row.try_get("s")?))
        })
    }
}
