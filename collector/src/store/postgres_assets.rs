//! The PostgreSQL store's [`AssetStore`] half: the merge engine's inputs
//! (latest report per agent, recent scan observations, a person's
//! decisions, the previous run) and saving a run, with the same meaning as
//! `sqlite_assets.rs`.
//!
//! Several processes may recompute at once: each loads the generation, and
//! the save takes the [`locks::ASSETS`] advisory lock before comparing it,
//! so exactly one save of a generation wins and the others write nothing
//! (`crate::assets` then starts them again from fresh inputs). That is what
//! keeps two collectors from saving two assets for one machine, or one
//! event twice. No merging happens here: that is `crate::merge`.

use super::{PgStore, locks, text};
use crate::merge::{Decision, KeyAssignment, Observation, Previous, Resolution};
use crate::store::{AssetStore, StoreError, StoreFuture, parse_ts, ts};
use census_shared::asset::{Asset, AssetId, Event, IdentityKey, MergeExplanation};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v)
        .map(|s| text(&s))
        .map_err(|e| corrupt("serialising", e))
}

fn time(s: String) -> Result<DateTime<Utc>, StoreError> {
    Ok(parse_ts(Some(s))?.unwrap_or_default())
}

impl PgStore {
    async fn observations_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<Observation>, StoreError> {
        let mut out = Vec::new();
        let reports = sqlx::query(
            "SELECT r.report_id, r.agent_id, r.collected_at, s.report_json FROM reports r \
             JOIN snapshots s ON s.id = r.snapshot_id JOIN agents a ON a.id = r.agent_id \
             WHERE a.revoked_at IS NULL \
             AND r.seq IN (SELECT MAX(seq) FROM reports GROUP BY agent_id)",
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
              WHERE s.finished_at >= $1 GROUP BY o2.ip, o2.mac)",
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
        // One snapshot for keys, assets and generation: a save committing
        // in between cannot mix two runs.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        let mut previous = Previous::default();
        for row in sqlx::query("SELECT key, asset_id, last_seen FROM asset_keys")
            .fetch_all(&mut *tx)
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
            .fetch_all(&mut *tx)
            .await?
        {
            previous
                .assets
                .push(serde_json::from_str(&json).map_err(|e| corrupt("stored asset", e))?);
        }
        let generation = generation(&mut tx).await?;
        tx.commit().await?;
        Ok((previous, generation))
    }

    async fn save_tx(
        c: &mut PgConnection,
        res: &Resolution,
        generation: i64,
    ) -> Result<bool, StoreError> {
        // Saves take turns across processes; the one that finds the
        // generation moved on writes nothing.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(locks::ASSETS)
            .execute(&mut *c)
            .await?;
        if self::generation(&mut *c).await? != generation {
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
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(text(&a.id.0))
            .bind(a.category.as_ref().map(|c| text(c.value.as_str())))
            .bind(a.name.as_ref().map(|n| text(&n.value)))
            .bind(to_json(&a.status)?.trim_matches('"'))
            .bind(a.unknown)
            .bind(ts(a.last_seen))
            .bind(to_json(a)?)
            .execute(&mut *c)
            .await?;
        }
        for e in &res.explanations {
            sqlx::query("INSERT INTO asset_explanations (asset_id, json) VALUES ($1, $2)")
                .bind(text(&e.asset.0))
                .bind(to_json(e)?)
                .execute(&mut *c)
                .await?;
        }
        for (key, a) in &res.ids {
            sqlx::query("INSERT INTO asset_keys (key, asset_id, last_seen) VALUES ($1, $2, $3)")
                .bind(text(&key.to_string()))
                .bind(text(&a.asset.0))
                .bind(ts(a.last_seen))
                .execute(&mut *c)
                .await?;
        }
        for e in &res.events {
            let json = serde_json::to_value(e).map_err(|e| corrupt("serialising", e))?;
            sqlx::query("INSERT INTO events (at, asset_id, kind, json) VALUES ($1, $2, $3, $4)")
                .bind(ts(e.at))
                .bind(text(&e.asset.0))
                .bind(text(json["event"].as_str().unwrap_or_default()))
                .bind(text(&json.to_string()))
                .execute(&mut *c)
                .await?;
        }
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ('assets_generation', $1) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind((generation + 1).to_string())
        .execute(&mut *c)
        .await?;
        Ok(true)
    }
}

/// The saved assets' generation (0 before any save).
async fn generation(c: &mut PgConnection) -> Result<i64, StoreError> {
    let g: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'assets_generation'")
            .fetch_optional(&mut *c)
            .await?;
    Ok(g.and_then(|g| g.parse().ok()).unwrap_or(0))
}

impl AssetStore for PgStore {
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
            sqlx::query("INSERT INTO decisions (id, at, json) VALUES ($1, $2, $3)")
                .bind(text(&d.id))
                .bind(ts(d.at))
                .bind(to_json(&d)?)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
    }

    fn previous_assets(&self) -> StoreFuture<'_, (Previous, i64)> {
        Box::pin(self.load_previous())
    }

    fn save_resolution(&self, res: Resolution, generation: i64) -> StoreFuture<'_, bool> {
        Box::pin(
            self.tx(move |c| Box::pin(async move { Self::save_tx(c, &res, generation).await })),
        )
    }

    fn asset(&self, id: AssetId) -> StoreFuture<'_, Option<(Asset, Option<MergeExplanation>)>> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT a.json, e.json AS explanation FROM assets a \
                 LEFT JOIN asset_explanations e ON e.asset_id = a.id WHERE a.id = $1",
            )
            .bind(text(&id.0))
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
                sqlx::query_scalar("SELECT json FROM events WHERE at >= $1 ORDER BY id")
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
            let mut c = self.pool.acquire().await?;
            generation(&mut c).await
        })
    }

    fn inputs_marker(&self) -> StoreFuture<'_, (i64, i64)> {
        Box::pin(async move {
            // Counts, not highest ids: ids are handed out before commit, so
            // with several writers a smaller one can commit after a larger
            // one and a maximum would miss it. Nothing deletes reports or
            // scans, and every stored report counts on its agent's row.
            let row = sqlx::query(
                "SELECT COALESCE((SELECT SUM(reports_received) FROM agents), 0)::BIGINT AS r, \
                 (SELECT COUNT(*) FROM scans) AS s",
            )
            .fetch_one(&self.pool)
            .await?;
            Ok((row.try_get("r")?, row.try_get("s")?))
        })
    }
}
