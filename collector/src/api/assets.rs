//! `/api/v1/assets`, `/api/v1/observations`, `/api/v1/changes`: the merged
//! assets with their provenance and explanations, a person's corrections
//! (set a field, merge, split: each a decision applied by a recomputation,
//! as `census-collector assets` does), the merge's inputs, and the change
//! history. Admin only.

use super::auth::Admin;
use super::{AppState, Failure};
use crate::assets::{self, AssetsError, Summary};
use crate::merge::{Source, merge_decision, set_decision, split_decision};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use census_shared::asset::{Asset, AssetId, Category, FieldName, ObservationId};
use census_shared::duration::parse_duration;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

/// Filters of the asset list.
#[derive(Debug, Default, Deserialize)]
pub struct AssetQuery {
    /// Only this category (`office_pc`, `printer`, …).
    pub category: Option<String>,
    /// Only this department (a person's field), case-insensitive.
    pub department: Option<String>,
    /// Words that must all appear in name, vendor, model, serial, OS, IP or MAC.
    pub q: Option<String>,
    /// Only assets seen within this long, e.g. `7d`.
    pub seen_within: Option<String>,
}

/// The list as stored by the last recomputation, filtered and sorted by
/// category then name.
pub async fn filtered(st: &AppState, q: &AssetQuery) -> Result<Vec<Asset>, Failure> {
    let only = match q.category.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => Some(Category::parse(c).ok_or_else(|| {
            let all: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
            Failure::bad_request(format!(
                "{c:?} is not a category (one of: {})",
                all.join(", ")
            ))
        })?),
        None => None,
    };
    let since = match q.seen_within.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            Utc::now()
                - chrono::Duration::from_std(
                    parse_duration(s)
                        .map_err(|e| Failure::bad_request(format!("seen_within: {e}")))?,
                )
                .unwrap_or(chrono::Duration::MAX),
        ),
        None => None,
    };
    let words: Vec<String> =
        q.q.as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
    let department = q
        .department
        .as_deref()
        .filter(|d| !d.is_empty())
        .map(str::to_lowercase);
    let (previous, _) = st
        .store
        .previous_assets()
        .await
        .map_err(Failure::internal)?;
    let mut list: Vec<Asset> = previous
        .assets
        .into_iter()
        .filter(|a| only.is_none_or(|c| a.category_or_other() == c))
        .filter(|a| since.is_none_or(|s| a.last_seen >= s))
        .filter(|a| {
            department.as_ref().is_none_or(|d| {
                a.department
                    .as_ref()
                    .is_some_and(|f| f.value.to_lowercase() == *d)
            })
        })
        .filter(|a| {
            let hay = haystack(a);
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    list.sort_by(|a, b| {
        let key = |x: &Asset| {
            (
                x.category_or_other(),
                x.name.as_ref().map(|n| n.value.to_lowercase()),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    Ok(list)
}

/// The text a search looks in, lower case.
fn haystack(a: &Asset) -> String {
    let mut s = String::new();
    for f in [
        &a.name,
        &a.vendor,
        &a.model,
        &a.serial,
        &a.os,
        &a.department,
        &a.owner,
        &a.location,
    ]
    .into_iter()
    .flatten()
    {
        s.push_str(&f.value);
        s.push(' ');
    }
    for n in &a.names {
        s.push_str(&n.value);
        s.push(' ');
    }
    for ip in &a.ips {
        s.push_str(&ip.value.to_string());
        s.push(' ');
    }
    for m in &a.macs {
        s.push_str(&m.value.to_string());
        s.push(' ');
    }
    s.push_str(a.id.0.as_str());
    s.to_lowercase()
}

/// `GET /api/v1/assets`.
pub async fn list(
    _: Admin,
    State(st): State<AppState>,
    Query(q): Query<AssetQuery>,
) -> Result<Json<Vec<Asset>>, Failure> {
    Ok(Json(filtered(&st, &q).await?))
}

fn not_found(id: &str) -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no asset {id:?}"),
    )
}

/// `GET /api/v1/assets/{id}`: the asset and its merge explanation.
pub async fn show(
    _: Admin,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Failure> {
    let (asset, explanation) = st
        .store
        .asset(AssetId(id.clone()))
        .await
        .map_err(Failure::internal)?
        .ok_or_else(|| not_found(&id))?;
    Ok(Json(json!({"asset": asset, "explanation": explanation})))
}

/// The engine's refusals as 400/404/409.
pub fn refused(e: AssetsError) -> Failure {
    use crate::merge::DecisionError;
    match e {
        AssetsError::Decision(DecisionError::UnknownAsset(id)) => not_found(&id.0),
        AssetsError::Decision(d) => Failure::bad_request(d.to_string()),
        AssetsError::Busy => Failure::new(StatusCode::CONFLICT, "busy", e.to_string()),
        other => Failure::internal(other),
    }
}

fn done(decision: &crate::merge::Decision, s: &Summary) -> Json<Value> {
    Json(json!({"decision": decision.id, "assets": s.assets, "events": s.events}))
}

/// `PATCH /api/v1/assets/{id}`: `{"field": value-or-null, …}`, each a
/// person's value (`null` takes it away). All fields are checked before
/// any is stored.
pub async fn patch(
    _: Admin,
    State(st): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<serde_json::Map<String, Value>>,
) -> Result<Json<Value>, Failure> {
    let mut changes = Vec::new();
    for (k, v) in body {
        let name = FieldName::parse(&k).ok_or_else(|| {
            let all: Vec<&str> = FieldName::ALL.iter().map(|f| f.as_str()).collect();
            Failure::bad_request(format!(
                "{k:?} is not a field a person can set (one of: {})",
                all.join(", ")
            ))
        })?;
        let value = match v {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            other => {
                return Err(Failure::bad_request(format!(
                    "{k}: expected a string or null, got {other}"
                )));
            }
        };
        if name == FieldName::Category
            && let Some(c) = &value
            && Category::parse(c).is_none()
        {
            return Err(Failure::bad_request(format!(
                "category: {c:?} is not a category"
            )));
        }
        changes.push((name, value));
    }
    if changes.is_empty() {
        return Err(Failure::bad_request(
            "nothing to change: send {\"field\": \"value\"}",
        ));
    }
    let asset = AssetId(id);
    let mut last = None;
    for (name, value) in changes {
        let (d, s) = assets::decide(st.store.as_ref(), |res, did, at| {
            set_decision(res, &asset, name, value.clone(), did, at)
        })
        .await
        .map_err(refused)?;
        last = Some(done(&d, &s));
    }
    Ok(last.expect("at least one change"))
}

/// Body of `POST /api/v1/assets/merge`.
#[derive(Debug, Deserialize)]
pub struct MergeBody {
    /// The asset that stays.
    pub into: String,
    /// The asset merged into it.
    pub from: String,
}

/// `POST /api/v1/assets/merge`.
pub async fn merge(
    _: Admin,
    State(st): State<AppState>,
    Json(b): Json<MergeBody>,
) -> Result<Json<Value>, Failure> {
    let (into, from) = (AssetId(b.into), AssetId(b.from));
    let (d, s) = assets::decide(st.store.as_ref(), |res, did, at| {
        merge_decision(res, &into, &from, did, at)
    })
    .await
    .map_err(refused)?;
    Ok(done(&d, &s))
}

/// Body of `POST /api/v1/assets/{id}/split`.
#[derive(Debug, Deserialize)]
pub struct SplitBody {
    /// The observation to take out (`report:…`, `scan:…`).
    pub observation: String,
}

/// `POST /api/v1/assets/{id}/split`.
pub async fn split(
    _: Admin,
    State(st): State<AppState>,
    Path(id): Path<String>,
    Json(b): Json<SplitBody>,
) -> Result<Json<Value>, Failure> {
    let (asset, obs) = (AssetId(id), ObservationId(b.observation));
    let (d, s) = assets::decide(st.store.as_ref(), |res, did, at| {
        split_decision(res, &asset, &obs, did, at)
    })
    .await
    .map_err(refused)?;
    Ok(done(&d, &s))
}

/// `?since=7d` (default 7 days).
#[derive(Debug, Deserialize)]
pub struct Since {
    pub since: Option<String>,
}

fn since(q: &Since, default: &str) -> Result<DateTime<Utc>, Failure> {
    let text = q.since.as_deref().unwrap_or(default);
    let d = parse_duration(text).map_err(|e| Failure::bad_request(format!("since: {e}")))?;
    Ok(Utc::now() - chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX))
}

/// `GET /api/v1/changes?since=7d`.
pub async fn changes(
    _: Admin,
    State(st): State<AppState>,
    Query(q): Query<Since>,
) -> Result<Json<Vec<census_shared::asset::Event>>, Failure> {
    let from = since(&q, "7d")?;
    Ok(Json(
        st.store
            .events_since(from)
            .await
            .map_err(Failure::internal)?,
    ))
}

/// `GET /api/v1/observations?since=30d`: what the merge reads — the latest
/// report of each agent (by agent id; the report itself is at
/// `/api/v1/agents/{id}/report`) and the scan observations.
pub async fn observations(
    _: Admin,
    State(st): State<AppState>,
    Query(q): Query<Since>,
) -> Result<Json<Vec<Value>>, Failure> {
    let from = since(&q, "30d")?;
    let obs = st
        .store
        .asset_observations(from)
        .await
        .map_err(Failure::internal)?;
    Ok(Json(
        obs.into_iter()
            .map(|o| match o.source {
                Source::Agent { agent_id, report } => json!({
                    "id": o.id, "at": o.at, "kind": "report", "agent_id": agent_id,
                    "hostname": report.host.hostname,
                }),
                Source::Scan {
                    scan_id,
                    observation,
                } => json!({
                    "id": o.id, "at": o.at, "kind": "scan", "scan_id": scan_id,
                    "observation": observation,
                }),
            })
            .collect(),
    ))
}
