//! `/api/v1/agents`, `/api/v1/tokens` (enrolment), `/api/v1/api-tokens`
//! and `/api/v1/scans`: what `census-collector agents|token|admin
//! api-token` do on the command line, plus the saved scans. Admin only.
//! A new token's value is in the creation answer and nowhere else.

use super::auth::Admin;
use super::{AppState, Failure};
use crate::scan::runs::StartError;
use crate::secrets;
use crate::store::admin::{ApiTokenInfo, NewApiToken, ScanInfo};
use crate::store::{NewToken, TokenInfo};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use census_shared::duration::parse_duration;
use serde::Deserialize;
use serde_json::{Value, json};

fn not_found(what: &str) -> Failure {
    Failure::new(StatusCode::NOT_FOUND, "not_found", format!("no {what}"))
}

/// `GET /api/v1/agents`: each with `outdated` (its version is older than
/// this collector's).
pub async fn agents(_: Admin, State(st): State<AppState>) -> Result<Json<Vec<Value>>, Failure> {
    let agents = st.store.list_agents().await.map_err(Failure::internal)?;
    Ok(Json(
        agents
            .iter()
            .map(|a| {
                let mut v = serde_json::to_value(a).unwrap_or_default();
                v["outdated"] = Value::Bool(a.outdated());
                v
            })
            .collect(),
    ))
}

/// `GET /api/v1/agents/{id}/report`: the agent's latest inventory.
pub async fn agent_report(
    _: Admin,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Failure> {
    let text = st
        .store
        .latest_report(id.clone())
        .await
        .map_err(Failure::internal)?
        .ok_or_else(|| not_found(&format!("report of agent {id:?}")))?;
    Ok(Json(
        serde_json::from_str(&text).map_err(Failure::internal)?,
    ))
}

/// `DELETE /api/v1/agents/{id}`: revoke (its reports are refused from now on).
pub async fn revoke_agent(
    _: Admin,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, Failure> {
    match st
        .store
        .revoke_agent(id.clone())
        .await
        .map_err(Failure::internal)?
    {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(not_found(&format!("agent {id:?}"))),
    }
}

/// Body of `POST /api/v1/tokens`.
#[derive(Debug, Default, Deserialize)]
pub struct NewTokenBody {
    pub label: Option<String>,
    /// How many agents may enrol with it (absent: unlimited).
    pub uses: Option<i64>,
    /// How long it stays valid, e.g. `7d` (absent: never expires).
    pub expires: Option<String>,
}

fn expiry(expires: Option<&str>) -> Result<Option<chrono::DateTime<chrono::Utc>>, Failure> {
    expires
        .filter(|e| !e.is_empty())
        .map(|e| {
            parse_duration(e)
                .map(|d| {
                    chrono::Utc::now()
                        + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
                })
                .map_err(|e| Failure::bad_request(format!("expires: {e}")))
        })
        .transpose()
}

/// `GET /api/v1/tokens`: enrolment tokens (never their values).
pub async fn tokens(_: Admin, State(st): State<AppState>) -> Result<Json<Vec<TokenInfo>>, Failure> {
    Ok(Json(
        st.store.list_tokens().await.map_err(Failure::internal)?,
    ))
}

/// Create an enrolment token; returns it with its value (the only time).
pub async fn new_enrolment_token(
    st: &AppState,
    b: NewTokenBody,
) -> Result<(TokenInfo, String), Failure> {
    if b.uses.is_some_and(|u| u < 1) {
        return Err(Failure::bad_request("uses must be at least 1"));
    }
    let expires_at = expiry(b.expires.as_deref())?;
    let token = secrets::new_token();
    let info = st
        .store
        .create_token(NewToken {
            token_hash: secrets::hash(&token),
            label: b.label.filter(|l| !l.trim().is_empty()),
            uses: b.uses,
            expires_at,
        })
        .await
        .map_err(Failure::internal)?;
    Ok((info, token))
}

/// `POST /api/v1/tokens`.
pub async fn create_token(
    _: Admin,
    State(st): State<AppState>,
    Json(b): Json<NewTokenBody>,
) -> Result<(StatusCode, Json<Value>), Failure> {
    let (info, token) = new_enrolment_token(&st, b).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": token, "info": info})),
    ))
}

/// `DELETE /api/v1/tokens/{id}`.
pub async fn revoke_token(
    _: Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, Failure> {
    match st.store.revoke_token(id).await.map_err(Failure::internal)? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(not_found(&format!("token {id}"))),
    }
}

/// `GET /api/v1/api-tokens`.
pub async fn api_tokens(
    _: Admin,
    State(st): State<AppState>,
) -> Result<Json<Vec<ApiTokenInfo>>, Failure> {
    Ok(Json(
        st.store
            .list_api_tokens()
            .await
            .map_err(Failure::internal)?,
    ))
}

/// Body of `POST /api/v1/api-tokens`.
#[derive(Debug, Deserialize)]
pub struct NewApiTokenBody {
    /// What it is for.
    pub name: String,
    /// How long it stays valid, e.g. `90d` (absent: never expires).
    pub expires: Option<String>,
}

/// `POST /api/v1/api-tokens`.
pub async fn create_api_token(
    _: Admin,
    State(st): State<AppState>,
    Json(b): Json<NewApiTokenBody>,
) -> Result<(StatusCode, Json<Value>), Failure> {
    if b.name.trim().is_empty() {
        return Err(Failure::bad_request("name must say what the token is for"));
    }
    let token = secrets::new_api_token();
    let info = st
        .store
        .create_api_token(NewApiToken {
            token_hash: secrets::hash(&token),
            name: b.name,
            expires_at: expiry(b.expires.as_deref())?,
        })
        .await
        .map_err(Failure::internal)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": token, "info": info})),
    ))
}

/// `DELETE /api/v1/api-tokens/{id}`.
pub async fn revoke_api_token(
    _: Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, Failure> {
    match st
        .store
        .revoke_api_token(id)
        .await
        .map_err(Failure::internal)?
    {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(not_found(&format!("API token {id}"))),
    }
}

/// `GET /api/v1/scans`: the last 100 saved scans and the configured jobs.
pub async fn scans(_: Admin, State(st): State<AppState>) -> Result<Json<Value>, Failure> {
    let saved: Vec<ScanInfo> = st.store.list_scans(100).await.map_err(Failure::internal)?;
    let jobs: Vec<Value> = st
        .cfg
        .scans
        .iter()
        .map(|j| json!({"name": j.name, "targets": j.targets, "every_seconds": j.every.as_secs()}))
        .collect();
    Ok(Json(
        json!({"jobs": jobs, "saved": saved, "running": st.scans.running()}),
    ))
}

/// `GET /api/v1/scans/{id}`: one saved scan with its observations.
pub async fn scan(
    _: Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, Failure> {
    let (info, observations) = st
        .store
        .scan(id)
        .await
        .map_err(Failure::internal)?
        .ok_or_else(|| not_found(&format!("scan {id}")))?;
    Ok(Json(json!({"scan": info, "observations": observations})))
}

/// Body of `POST /api/v1/scans`.
#[derive(Debug, Deserialize)]
pub struct StartScan {
    /// The configured `[[scan]]` job to run now.
    pub job: String,
}

/// `POST /api/v1/scans`: run a configured job now (only configured
/// targets are ever scanned). 202; progress at `GET /api/v1/scans`.
pub async fn start_scan(
    _: Admin,
    State(st): State<AppState>,
    Json(b): Json<StartScan>,
) -> Result<(StatusCode, Json<Value>), Failure> {
    st.scans
        .start(st.store.clone(), &st.cfg.scans, &b.job, st.snmp.clone())
        .map_err(|e| match e {
            StartError::UnknownJob(_) => {
                Failure::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
            }
            StartError::AlreadyRunning(_) => {
                Failure::new(StatusCode::CONFLICT, "running", e.to_string())
            }
        })?;
    Ok((StatusCode::ACCEPTED, Json(json!({"started": b.job}))))
}
