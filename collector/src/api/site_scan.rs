//! The site scanner's side of the API, for enrolled agents
//! (`Authorization: Bearer <secret>`, as reports): `GET
//! /api/v1/agent/assignment` answers the agent's `[[site]]` assignment
//! (with its SNMP credentials, to that agent only) or 204 when it has
//! none; `POST /api/v1/agent/scans` stores a finished site scan after
//! `site_scan::save` checked it against the assignment.

use super::reports::authenticated_agent;
use super::{AppState, Failure};
use crate::site_scan::{SaveError, assigned, save};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use census_discover::assignment::SiteScan;
use serde::Serialize;

/// Answer to a stored site scan.
#[derive(Debug, Serialize)]
pub struct SiteScanAck {
    pub scan_id: i64,
    pub hosts: usize,
}

/// `GET /api/v1/agent/assignment`.
pub async fn assignment(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let agent = match authenticated_agent(&st, &headers).await {
        Ok(a) => a,
        Err(f) => return f.into_response(),
    };
    match assigned(&st.cfg.sites, &agent.id) {
        Some(site) => Json(&site.assignment).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// `POST /api/v1/agent/scans`.
pub async fn upload(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match upload_inner(&st, &headers, body).await {
        Ok(ack) => Json(ack).into_response(),
        Err(f) => f.into_response(),
    }
}

async fn upload_inner(
    st: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<SiteScanAck, Failure> {
    let agent = authenticated_agent(st, headers).await?;
    let limit = st.max_body_bytes;
    let raw = axum::body::to_bytes(body, limit).await.map_err(|_| {
        Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("site scan over the collector's limit of {limit} bytes (max_body_bytes)"),
        )
    })?;
    let scan: SiteScan = serde_json::from_slice(&raw)
        .map_err(|e| Failure::bad_request(format!("the body is not a site scan: {e}")))?;
    let hosts = scan.observations.len();
    let store = st.store.clone();
    let sites = st.cfg.sites.clone();
    let agent_id = agent.id.clone();
    // Run the write to completion even if the client goes away mid-way.
    let saved = tokio::spawn(async move { save(store.as_ref(), &sites, &agent_id, scan).await })
        .await
        .map_err(Failure::internal)?;
    match saved {
        Ok(scan_id) => {
            tracing::info!(agent = %agent.id, scan = scan_id, hosts, "site scan stored");
            Ok(SiteScanAck { scan_id, hosts })
        }
        Err(e @ SaveError::NotAssigned(_)) => Err(Failure::new(
            StatusCode::FORBIDDEN,
            "not_assigned",
            format!("{e}: add a [[site]] table naming it to the collector's configuration"),
        )),
        Err(e @ SaveError::Mismatch(_)) => Err(Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "outside_assignment",
            format!("{e}; nothing of this scan was stored"),
        )),
        Err(SaveError::Store(e)) => Err(Failure::internal(e)),
    }
}
