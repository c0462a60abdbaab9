//! The web interface: server-rendered pages (askama templates in
//! `collector/templates/`, HTML-escaped by the engine) over the same
//! libraries and store the CLI and the API use. No JavaScript at all: forms
//! post, pages that show a running scan refresh themselves. Every page is
//! served with a Content-Security-Policy that forbids scripts, so a device
//! string that slipped past escaping still could not run.
//!
//! Sessions and forms: `session.rs` (login with rate limit, logout, the
//! [`Ui`] extractor that sends a visitor without a session to the login
//! page, anti-forgery tokens on every form). Pages: `pages.rs` (dashboard,
//! assets, one asset), `manage.rs` (scans, agents and tokens), `site/`
//! (site facts: a form per section of `site.toml`, and the whole file)
//! and `plan.rs` (preview, downloads, encrypted export). The
//! texts come from the plan's message catalogue (`plan::messages`), in
//! the language the browser asks for unless the visitor switched.

mod asset;
mod manage;
mod pages;
mod plan;
mod session;
mod site;

pub use session::Ui;

use crate::api::AppState;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

/// The pages' router (merged into the API router by `api::router`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/lang", get(session::switch_language))
        .route("/assets", get(pages::assets))
        .route("/assets/{id}", get(asset::asset).post(asset::edit_asset))
        .route("/assets/{id}/merge", post(asset::merge_asset))
        .route("/assets/{id}/split", post(asset::split_asset))
        .route("/scans", get(manage::scans).post(manage::scan_now))
        .route("/agents", get(manage::agents))
        .route("/agents/tokens", post(manage::new_token))
        .route("/agents/tokens/{id}/revoke", post(manage::revoke_token))
        .route("/agents/api-tokens", post(manage::new_api_token))
        .route(
            "/agents/api-tokens/{id}/revoke",
            post(manage::revoke_api_token),
        )
        .route("/site", get(site::index))
        .route("/site/file", get(site::file_page).post(site::file_save))
        .route(
            "/site/{section}",
            get(site::section_get).post(site::section_post),
        )
        .route("/plan", get(plan::page))
        .route("/plan/download", get(plan::download))
        .route("/plan/preview", get(plan::preview))
        .route("/plan/export", post(plan::export))
        .route("/static/census.css", get(stylesheet))
        .layer(axum::middleware::from_fn(security_headers))
}

/// The one stylesheet (compiled in).
async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../../templates/census.css"),
    )
        .into_response()
}

/// The headers every page carries: no scripts, no framing, no referrer,
/// no caching of pages that hold inventory. The plan preview may use its
/// own inline styles (it is the self-contained HTML plan).
async fn security_headers(req: Request, next: Next) -> Response {
    let preview = req.uri().path() == "/plan/preview";
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    let style = if preview { "'unsafe-inline'" } else { "'self'" };
    let csp = format!(
        "default-src 'none'; script-src 'none'; style-src {style}; img-src 'self' data:; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("SAMEORIGIN"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    r
}

/// A table for a template (from the plan's layout or built by a page).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub caption: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A rendered template as a response (500 when rendering fails).
pub fn render<T: askama::Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!("template: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be rendered",
            )
                .into_response()
        }
    }
}
