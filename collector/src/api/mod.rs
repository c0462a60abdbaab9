//! The HTTP API (`/api/v1/...`): a thin shell over the store. This module
//! holds the router, the shared state and the JSON error type; each route
//! group has its own file. Every refusal is a JSON [`ApiError`] that names
//! the problem, and none of them changes anything.

mod enroll;
mod limits;
mod reports;

pub use limits::RateLimiter;

use crate::config::Config;
use crate::store::Store;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use census_shared::api::ApiError;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tower_http::timeout::TimeoutLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub max_body_bytes: usize,
    pub report_limiter: Arc<RateLimiter>,
    pub enroll_limiter: Arc<RateLimiter>,
    pub in_flight: Arc<Semaphore>,
}

impl AppState {
    /// State for a store and configuration.
    pub fn new(store: Arc<dyn Store>, cfg: &Config) -> AppState {
        AppState {
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
