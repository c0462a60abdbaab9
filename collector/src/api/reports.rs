//! `POST /api/v1/reports`: one `HostReport` from an enrolled agent
//! (`Authorization: Bearer <secret>`, optionally `Content-Encoding: gzip`).
//! The answer is sent only after the store committed the report; a report
//! id seen before is acknowledged with `stored: false` and not stored again.

use super::{AppState, Failure};
use crate::secrets;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use census_shared::HostReport;
use census_shared::api::ReportAck;
use census_shared::report::ReportError;
use std::io::Read;

pub async fn ingest(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match ingest_inner(&st, &headers, body).await {
        Ok(ack) => Json(ack).into_response(),
        Err(f) => f.into_response(),
    }
}

/// The enrolled, unrevoked agent whose secret the request carries
/// (`Authorization: Bearer <secret>`), or the refusal.
pub(super) async fn authenticated_agent(
    st: &AppState,
    headers: &HeaderMap,
) -> Result<crate::store::AgentInfo, Failure> {
    let secret = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| {
            Failure::unauthorized(
                "missing `Authorization: Bearer <agent secret>`: enrol the agent first",
            )
        })?;
    let agent = st
        .store
        .agent_by_secret(secrets::hash(secret))
        .await
        .map_err(Failure::internal)?
        .ok_or_else(|| {
            Failure::unauthorized(
                "unknown agent secret: enrol this agent again (census-agent enroll)",
            )
        })?;
    if agent.revoked_at.is_some() {
        return Err(Failure::unauthorized(format!(
            "agent {} was revoked at this collector: enrol again with a new token",
            agent.id
        )));
    }
    Ok(agent)
}

fn too_large(limit: usize) -> Failure {
    Failure::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!(
            "report over the collector's limit of {limit} bytes (max_body_bytes in the collector config)"
        ),
    )
}

async fn ingest_inner(
    st: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<ReportAck, Failure> {
    let agent = authenticated_agent(st, headers).await?;
    if let Err(wait) = st.report_limiter.check(&agent.id) {
        return Err(Failure {
            retry_after: Some(wait.as_secs() + 1),
            ..Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many reports from agent {}", agent.id),
            )
        });
    }
    let limit = st.max_body_bytes;
    let raw = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large(limit))?;
    let gzip = headers
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    let json = if gzip {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .take(limit as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| Failure::bad_request(format!("body is not valid gzip: {e}")))?;
        if out.len() > limit {
            return Err(too_large(limit));
        }
        out
    } else {
        raw.to_vec()
    };
    let report = HostReport::from_json(&json).map_err(|e| match e {
        ReportError::Version { .. } => {
            Failure::new(StatusCode::BAD_REQUEST, "unsupported_schema", e.to_string())
        }
        _ => Failure::bad_request(e.to_string()),
    })?;
    let prepared = crate::ingest::prepare(&agent.id, report);
    let report_id = prepared.report_id.clone();
    // Run the write to completion even if the client goes away mid-way.
    let store = st.store.clone();
    let agent_id = agent.id.clone();
    let outcome = tokio::spawn(async move { store.ingest(agent_id, prepared).await })
        .await
        .map_err(Failure::internal)?
        .map_err(Failure::internal)?;
    Ok(ReportAck {
        report_id,
        stored: outcome.stored,
        changed: outcome.changed,
    })
}
