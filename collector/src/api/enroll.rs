//! `POST /api/v1/enroll`: an enrolment token and host facts in, an agent id
//! and a one-time-shown secret out. Rate-limited per client address so
//! tokens cannot be guessed at speed (they have 256 bits anyway).

use super::{AppState, Failure};
use crate::secrets;
use crate::store::NewAgent;
use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use census_shared::api::{EnrollRequest, EnrollResponse};
use std::net::SocketAddr;

/// Largest enrolment request.
const MAX_ENROLL_BODY: usize = 64 * 1024;

pub async fn enroll(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Body,
) -> Response {
    let ip = peer.ip().to_string();
    if let Err(wait) = st.enroll_limiter.check(&ip) {
        return Failure::too_many(
            "too many enrolment attempts from this address",
            wait.as_secs() + 1,
        );
    }
    let bytes = match axum::body::to_bytes(body, MAX_ENROLL_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return Failure::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "enrolment request over 64 KiB",
            )
            .into_response();
        }
    };
    let req: EnrollRequest = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => {
            return Failure::bad_request(format!("enrolment request is not valid: {e}"))
                .into_response();
        }
    };
    let hostname: String = req.hostname.trim().chars().take(255).collect();
    if hostname.is_empty() {
        return Failure::bad_request("hostname must not be empty").into_response();
    }
    let secret = secrets::new_secret();
    let agent = NewAgent {
        id: secrets::new_agent_id(),
        secret_hash: secrets::hash(&secret),
        hostname,
        os: req.os.map(|s| s.chars().take(255).collect()),
        agent_version: req.agent_version.map(|s| s.chars().take(64).collect()),
    };
    match st.store.enroll(secrets::hash(&req.token), agent).await {
        Ok(Ok(a)) => {
            tracing::info!(agent = %a.id, host = %a.hostname, "agent enrolled");
            Json(EnrollResponse {
                agent_id: a.id,
                secret,
            })
            .into_response()
        }
        Ok(Err(refusal)) => Failure::unauthorized(refusal.to_string()).into_response(),
        Err(e) => Failure::internal(e).into_response(),
    }
}
