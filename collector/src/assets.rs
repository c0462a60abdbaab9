//! Keeping the assets current: load the merge engine's inputs from the
//! store, resolve them, save the result ([`recompute`]); record a person's
//! correction and recompute at once ([`decide`]); and, in `serve`, recompute
//! whenever reports or scans arrived, at most once per period
//! ([`keep_current`]).
//!
//! The rules (what merges, which value wins) are `crate::merge`; storage is
//! `crate::store`. Runs are optimistic: each loads the store's generation and
//! saves only if no other run (another process, say `assets set` while
//! `serve` runs) saved in between; otherwise it starts again from fresh
//! inputs, so no event is recorded twice.

use crate::merge::{Decision, DecisionError, MergeConfig, Previous, Resolution, resolve};
use crate::store::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::sync::Arc;

/// Scan observations older than this are not considered (agents' latest
/// reports are, however old).
pub fn scan_history() -> Duration {
    Duration::days(30)
}

/// What one recomputation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub observations: usize,
    pub decisions: usize,
    pub assets: usize,
    pub events: usize,
    pub new_unknown_devices: usize,
    /// Time spent loading, resolving and saving.
    pub millis: u64,
    /// Of which resolving (the merge engine alone).
    pub resolve_millis: u64,
}

/// Why assets could not be recomputed or a correction not recorded.
#[derive(Debug, thiserror::Error)]
pub enum AssetsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Decision(#[from] DecisionError),
    #[error("other recomputations kept saving first; try again")]
    Busy,
    #[error("the merge engine stopped: {0}")]
    Engine(String),
}

/// The engine's settings for this process: set from the config when the
/// store is opened (`serve::open_store`), so every command of one
/// installation resolves alike; the engine's defaults otherwise.
static CONFIG: std::sync::OnceLock<MergeConfig> = std::sync::OnceLock::new();

/// Use `not_seen_after` (the config's `assets_not_seen_after`) from now on
/// in this process; the first call wins.
pub fn configure(not_seen_after: std::time::Duration) {
    let _ = CONFIG.set(MergeConfig {
        not_seen_after: Duration::from_std(not_seen_after).unwrap_or(Duration::MAX),
        ..MergeConfig::default()
    });
}

fn merge_config() -> MergeConfig {
    CONFIG.get().cloned().unwrap_or_default()
}

/// One process runs one recomputation at a time (others across processes
/// are caught by the generation check).
static RUNNING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Run {
    resolution: Resolution,
    generation: i64,
    observations: usize,
    decisions: usize,
    resolve_millis: u64,
}

/// Load and resolve, without saving.
async fn resolve_now(store: &dyn Store, now: DateTime<Utc>) -> Result<Run, AssetsError> {
    let observations = store.asset_observations(now - scan_history()).await?;
    let decisions = store.decisions().await?;
    let (previous, generation): (Previous, i64) = store.previous_assets().await?;
    let (n_obs, n_dec) = (observations.len(), decisions.len());
    let config = merge_config();
    let (resolution, took) = tokio::task::spawn_blocking(move || {
        let start = std::time::Instant::now();
        let r = resolve(&observations, &decisions, &previous, now, &config);
        (r, start.elapsed())
    })
    .await
    .map_err(|e| AssetsError::Engine(e.to_string()))?;
    Ok(Run {
        resolution,
        generation,
        observations: n_obs,
        decisions: n_dec,
        resolve_millis: took.as_millis() as u64,
    })
}

/// What the assets would be now (nothing is saved): what the CLI checks a
/// correction against.
pub async fn current(store: &dyn Store) -> Result<Resolution, AssetsError> {
    Ok(resolve_now(store, Utc::now()).await?.resolution)
}

/// Recompute every asset from the stored observations and decisions, and
/// save the result with its events.
pub async fn recompute(store: &dyn Store) -> Result<Summary, AssetsError> {
    let _turn = RUNNING.lock().await;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let run = resolve_now(store, Utc::now()).await?;
        let r = &run.resolution;
        let mut summary = Summary {
            observations: run.observations,
            decisions: run.decisions,
            assets: r.assets.len(),
            events: r.events.len(),
            new_unknown_devices: r
                .events
                .iter()
                .filter(|e| {
                    matches!(
                        e.kind,
                        census_shared::asset::EventKind::NewUnknownDevice { .. }
                    )
                })
                .count(),
            millis: 0,
            resolve_millis: run.resolve_millis,
        };
        if store
            .save_resolution(run.resolution, run.generation)
            .await?
        {
            summary.millis = start.elapsed().as_millis() as u64;
            return Ok(summary);
        }
    }
    Err(AssetsError::Busy)
}

/// Record a person's correction, built by `make` from the current
/// resolution (which refuses an unknown asset or observation), then
/// recompute. Returns the stored decision.
pub async fn decide<F>(store: &dyn Store, make: F) -> Result<(Decision, Summary), AssetsError>
where
    F: FnOnce(&Resolution, &str, DateTime<Utc>) -> Result<Decision, DecisionError>,
{
    let now = Utc::now();
    let run = resolve_now(store, now).await?;
    let decision = make(&run.resolution, &crate::secrets::new_decision_id(), now)?;
    store.add_decision(decision.clone()).await?;
    let summary = recompute(store).await?;
    Ok((decision, summary))
}

/// [`recompute`], its outcome logged (for the daemon's tasks).
pub async fn recompute_logged(store: &dyn Store) {
    match recompute(store).await {
        Ok(s) => tracing::info!(
            assets = s.assets,
            observations = s.observations,
            events = s.events,
            new_unknown_devices = s.new_unknown_devices,
            millis = s.millis,
            resolve_millis = s.resolve_millis,
            "assets recomputed"
        ),
        Err(e) => tracing::warn!("assets could not be recomputed: {e}"),
    }
}

/// Recompute once now, then whenever a report or scan arrived since the
/// last run, checking every `every` (so at most once per period), and at
/// least hourly (so assets nobody sees any more turn `missing`). Runs until
/// the task is dropped.
pub async fn keep_current(store: Arc<dyn Store>, every: std::time::Duration) {
    let hourly = std::time::Duration::from_secs(3600);
    let mut last: Option<((i64, i64), std::time::Instant)> = None;
    loop {
        match store.inputs_marker().await {
            Ok(marker) if last.is_none_or(|(m, at)| m != marker || at.elapsed() >= hourly) => {
                recompute_logged(store.as_ref()).await;
                last = Some((marker, std::time::Instant::now()));
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("assets: cannot read the store: {e}"),
        }
        tokio::time::sleep(every).await;
    }
}

// Tested against both stores in tests/store_assets.rs (the store suite).
