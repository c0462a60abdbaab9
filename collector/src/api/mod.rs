//! The HTTP API (`/api/v1/...`): a thin shell over the store. This module
//! holds the router, the shared state and the JSON error type; each route
//! group has its own file. Every refusal is a JSON [`ApiError`] that names
//! the problem, and none of them changes anything.

#[macro_use]
mod endpoints;
pub mod admin;
pub mod assets;
pub mod auth;
mod enroll;
pub mod install;
mod limits;
pub mod openapi;
pub mod plan;
mod reports;
mod site_scan;

pub use limits::RateLimiter;

use crate::config::Config;
use crate::scan::runs::ScanRuns;
use crate::store::Store;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use census_shared::api::ApiError;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Login attempts allowed per client address and minute (a burst of that
/// many, then one every 60/N seconds).
pub const LOGINS_PER_MINUTE: u32 = 5;
use tower_http::timeout::TimeoutLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub max_body_bytes: usize,
    pub report_limiter: Arc<RateLimiter>,
    pub enroll_limiter: Arc<RateLimiter>,
    pub in_flight: Arc<Semaphore>,
    /// Login attempts per client address.
    pub login_limiter: Arc<RateLimiter>,
    pub cfg: Arc<Config>,
    /// Where the site facts live (read for the plan, written by the site form).
    pub site_file: PathBuf,
    /// SNMP credentials for scans started by hand.
    pub snmp: Vec<crate::snmp::Credential>,
    /// Scans running now.
    pub scans: ScanRuns,
    /// The collector's key fingerprint (for the install command pages show).
    pub fingerprint: String,
    /// SHA-256 of the collector's certificate, hex (PowerShell's pin).
    pub cert_sha256: String,
    /// The last plan built (dashboard, plan pages, `GET /api/v1/plan`).
    pub plan_cache: plan::PlanCache,
}

impl AppState {
    /// State for a store and configuration.
    pub fn new(store: Arc<dyn Store>, cfg: &Config, site_file: PathBuf) -> AppState {
        AppState {
            login_limiter: Arc::new(RateLimiter::per_minute(LOGINS_PER_MINUTE)),
            cfg: Arc::new(cfg.clone()),
            site_file,
            snmp: crate::snmp::credentials::credential_list(&cfg.snmp_communities, &cfg.snmp_v3)
                .unwrap_or_default(),
            scans: ScanRuns::default(),
            fingerprint: String::new(),
            cert_sha256: String::new(),
            plan_cache: plan::PlanCache::default(),
            store,
            max_body_bytes: cfg.max_body_bytes,
            report_limiter: Arc::new(RateLimiter::per_minute(cfg.reports_per_minute)),
            enroll_limiter: Arc::new(RateLimiter::per_minute(cfg.enrollments_per_minute)),
            in_flight: Arc::new(Semaphore::new(cfg.max_concurrent_requests.max(1))),
        }
    }
}

/// The API router.
pub fn router(state: AppState, request_timeout: std::time::Duration) -> Router {
    Router::new()
        .route(
            "/api/v1/health",
            get(|| async { Json(serde_json::json!({"status": "ok"})) }),
        )
        .route("/api/v1/enroll", post(enroll::enroll))
        .route("/api/v1/reports", post(reports::ingest))
        .route("/api/v1/agent/assignment", get(site_scan::assignment))
        .route("/api/v1/agent/scans", post(site_scan::upload))
        .route("/api/v1/openapi.json", get(openapi::document))
        .merge(install::routes())
        .merge(routes())
        .merge(crate::web::router())
        .fallback(|| async { Failure::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint") })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shed_load,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .with_state(state)
}

endpoints! {
    // method path => handler, summary; query parameters; request body; response.
    GET "/api/v1/assets" => assets::list,
        "List assets (one per real thing), sorted by category and name";
        ["category", "department", "q", "seen_within"]; None; "Asset[]";
    POST "/api/v1/assets/merge" => assets::merge,
        "Declare two assets one thing (a person's decision; the first keeps its id)";
        []; Some("{into, from}"); "Decision";
    GET "/api/v1/assets/{id}" => assets::show,
        "One asset with every field's provenance and its merge explanation";
        []; None; "{asset, explanation}";
    PATCH "/api/v1/assets/{id}" => assets::patch,
        "Set fields a person owns (category, department, owner, criticality, notes, …); null clears";
        []; Some("{field: value|null}"); "Decision";
    POST "/api/v1/assets/{id}/split" => assets::split,
        "Take an observation out of an asset";
        []; Some("{observation}"); "Decision";
    GET "/api/v1/observations" => assets::observations,
        "What the merge reads: latest agent reports and scan observations";
        ["since"]; None; "Observation[]";
    GET "/api/v1/changes" => assets::changes,
        "Change events: new assets, new unknown devices, changed fields, assets not seen";
        ["since"]; None; "Event[]";
    GET "/api/v1/agents" => admin::agents,
        "Enrolled agents with last seen, version and whether that version is older than the collector's (outdated)";
        []; None; "Agent[]";
    DELETE "/api/v1/agents/{id}" => admin::revoke_agent,
        "Revoke an agent: its reports are refused from now on";
        []; None; "";
    GET "/api/v1/agents/{id}/report" => admin::agent_report,
        "An agent's latest inventory (HostReport)";
        []; None; "HostReport";
    GET "/api/v1/tokens" => admin::tokens,
        "Enrolment tokens (never their values)";
        []; None; "EnrolmentToken[]";
    POST "/api/v1/tokens" => admin::create_token,
        "Create an enrolment token; the answer holds its value, the only time it is shown";
        []; Some("{label?, uses?, expires?}"); "{token, info}";
    DELETE "/api/v1/tokens/{id}" => admin::revoke_token,
        "Revoke an enrolment token";
        []; None; "";
    GET "/api/v1/api-tokens" => admin::api_tokens,
        "Admin API tokens (never their values)";
        []; None; "ApiToken[]";
    POST "/api/v1/api-tokens" => admin::create_api_token,
        "Create an admin API token; the answer holds its value, the only time it is shown";
        []; Some("{name, expires?}"); "{token, info}";
    DELETE "/api/v1/api-tokens/{id}" => admin::revoke_api_token,
        "Revoke an admin API token";
        []; None; "";
    GET "/api/v1/scans" => admin::scans,
        "Configured scan jobs, scans running now with progress, saved scans";
        []; None; "{jobs, running, saved}";
    POST "/api/v1/scans" => admin::start_scan,
        "Run a configured [[scan]] job now (nothing else can be scanned)";
        []; Some("{job}"); "{started}";
    GET "/api/v1/scans/{id}" => admin::scan,
        "One saved scan with what it saw";
        []; None; "{scan, observations}";
    GET "/api/v1/site" => plan::site,
        "The site facts (site.toml) as JSON";
        []; None; "{file, facts}";
    PUT "/api/v1/site" => plan::put_site,
        "Replace the site facts; 422 with every problem by field, nothing written";
        []; Some("SiteFacts"); "{file, facts}";
    GET "/api/v1/plan" => plan::plan,
        "The plan's inventory now, in md, html, json, xlsx, docx or csv (a zip), Dutch or English";
        ["format", "lang"]; None; "Plan";
}

/// Refuse with 429 when too many requests are in progress.
async fn shed_load(State(st): State<AppState>, req: Request, next: Next) -> Response {
    match st.in_flight.clone().try_acquire_owned() {
        Ok(_permit) => next.run(req).await,
        Err(_) => Failure::too_many("the collector is busy", 2),
    }
}

/// An API refusal: status, code and message.
#[derive(Debug)]
pub struct Failure {
    status: StatusCode,
    body: ApiError,
    retry_after: Option<u64>,
}

impl Failure {
    /// A refusal.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Failure {
        Failure {
            status,
            body: ApiError {
                error: code.into(),
                message: message.into(),
            },
            retry_after: None,
        }
    }

    /// The message, for pages that show a refusal.
    pub fn message(&self) -> &str {
        &self.body.message
    }

    /// 401.
    pub fn unauthorized(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 429 with `Retry-After`.
    pub fn too_many(what: &str, retry_after: u64) -> Response {
        Failure {
            retry_after: Some(retry_after),
            ..Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("{what}: retry in {retry_after} s"),
            )
        }
        .into_response()
    }

    /// 500, logged.
    pub fn internal(e: impl std::fmt::Display) -> Failure {
        tracing::error!("internal error: {e}");
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the collector could not store this; it was not accepted, try again later",
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut r = (self.status, Json(self.body)).into_response();
        if let Some(s) = self
            .retry_after
            .and_then(|s| HeaderValue::from_str(&s.to_string()).ok())
        {
            r.headers_mut().insert("retry-after", s);
        }
        r
    }
}
