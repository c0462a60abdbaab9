//! The scans page (configured jobs and their schedule, "scan now", live
//! progress by self-refresh while a scan runs, saved results) and the
//! agents page (agents with last seen and version; enrolment tokens made,
//! shown once with the install command, revoked; admin API tokens made,
//! shown once, revoked).

use super::render;
use super::session::{Ui, message_page};
use crate::api::AppState;
use crate::api::admin::{NewTokenBody, new_enrolment_token};
use crate::plan::messages::Msg;
use crate::scan::runs::Running;
use crate::store::admin::{ApiTokenInfo, NewApiToken, ScanInfo};
use crate::store::{AgentInfo, TokenInfo};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use census_shared::observation::ScanObservation;
use serde::Deserialize;

fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "-".into())
}

#[derive(Template)]
#[template(path = "scans.html")]
struct ScansPage<'a> {
    ui: &'a Ui,
    /// (name, targets, every)
    jobs: Vec<(String, String, String)>,
    running: Vec<Running>,
    saved: Vec<ScanInfo>,
    shown: Option<(ScanInfo, Vec<ScanObservation>)>,
    notice: Option<String>,
}

impl ScansPage<'_> {
    fn when(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        when(Some(*t))
    }
    fn progress(&self, r: &Running) -> String {
        self.ui.f(
            Msg::WebProgress,
            &[
                ("probed", &r.probed.to_string()),
                ("total", &r.total.to_string()),
                ("found", &r.found.to_string()),
            ],
        )
    }
    fn guess(&self, o: &ScanObservation) -> String {
        serde_json::to_value(o.guess.kind)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }
    fn ports(&self, o: &ScanObservation) -> String {
        o.open_tcp
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `?show=ID&notice=…`.
#[derive(Debug, Deserialize)]
pub struct ScansQuery {
    show: Option<i64>,
    started: Option<String>,
}

/// `GET /scans`.
pub async fn scans(ui: Ui, State(st): State<AppState>, Query(q): Query<ScansQuery>) -> Response {
    let saved = match st.store.list_scans(50).await {
        Ok(s) => s,
        Err(e) => return message_page(&ui, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let show = q.show.or(saved.first().map(|s| s.id));
    let shown = match show {
        Some(id) => st.store.scan(id).await.ok().flatten(),
        None => None,
    };
    let jobs = st
        .cfg
        .scans
        .iter()
        .map(|j| {
            (
                j.name.clone(),
                j.targets.join(" "),
                census_shared::duration::format_duration(j.every),
            )
        })
        .collect();
    render(&ScansPage {
        ui: &ui,
        jobs,
        running: st.scans.running(),
        saved,
        shown,
        notice: q.started,
    })
}

/// The "scan now" form.
#[derive(Debug, Deserialize)]
pub struct ScanNow {
    csrf: String,
    job: String,
}

/// `POST /scans`: start a configured job.
pub async fn scan_now(ui: Ui, State(st): State<AppState>, Form(f): Form<ScanNow>) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    match st
        .scans
        .start(st.store.clone(), &st.cfg.scans, &f.job, st.snmp.clone())
    {
        Ok(()) => Redirect::to(&format!("/scans?started={}", urlencode(&f.job))).into_response(),
        Err(e) => message_page(&ui, StatusCode::CONFLICT, &e.to_string()),
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "agents.html")]
struct AgentsPage<'a> {
    ui: &'a Ui,
    agents: Vec<AgentInfo>,
    tokens: Vec<TokenInfo>,
    /// A token just made: (token, install command).
    made: Option<(String, String)>,
    api_tokens: Vec<ApiTokenInfo>,
    /// An admin API token just made.
    made_api: Option<String>,
}

impl AgentsPage<'_> {
    fn when(&self, t: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        when(*t)
    }
    fn state(&self, t: &TokenInfo) -> &'static str {
        t.state(chrono::Utc::now())
    }
}

async fn agents_page(
    ui: &Ui,
    st: &AppState,
    made: Option<(String, String)>,
    made_api: Option<String>,
) -> Response {
    let listed = (
        st.store.list_agents().await,
        st.store.list_tokens().await,
        st.store.list_api_tokens().await,
    );
    let (agents, tokens, api_tokens) = match listed {
        (Ok(a), Ok(t), Ok(k)) => (a, t, k),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            return message_page(ui, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
        }
    };
    render(&AgentsPage {
        ui,
        agents,
        tokens,
        made,
        api_tokens,
        made_api,
    })
}

/// `GET /agents`.
pub async fn agents(ui: Ui, State(st): State<AppState>) -> Response {
    agents_page(&ui, &st, None, None).await
}

/// The new-token form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    csrf: String,
    label: Option<String>,
    uses: Option<String>,
    expires: Option<String>,
}

/// `POST /agents/tokens`: make a token and show it once with the command.
pub async fn new_token(
    ui: Ui,
    State(st): State<AppState>,
    headers: axum::http::HeaderMap,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    let uses = match f.uses.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => match u.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return message_page(
                    &ui,
                    StatusCode::BAD_REQUEST,
                    &format!("uses: {u:?} is not a number"),
                );
            }
        },
        None => None,
    };
    let body = NewTokenBody {
        label: f.label,
        uses,
        expires: f.expires,
    };
    match new_enrolment_token(&st, body).await {
        Ok((_, token)) => {
            let host = headers
                .get("host")
                .and_then(|h| h.to_str().ok())
                .unwrap_or("COLLECTOR:8443");
            let fingerprint = &st.fingerprint;
            // The one-line install (issue 10's /install.sh, pinned to this
            // collector's key), then the enrolment of an agent installed
            // another way.
            let pin = census_shared::pin::curl_pin(fingerprint).unwrap_or_default();
            let ps1 = crate::api::install::ps1::one_line(
                &format!("https://{host}"),
                &st.cert_sha256,
                &token,
            );
            let cmd = format!(
                "# Linux\n\
                 curl -fsSk --pinnedpubkey '{pin}' https://{host}/install.sh | sudo sh -s -- --token {token}\n\n\
                 # Windows (PowerShell, as administrator)\n\
                 {ps1}\n\n\
                 # an agent installed another way\n\
                 census-agent enroll --collector https://{host} --token {token} --fingerprint {fingerprint}"
            );
            agents_page(&ui, &st, Some((token, cmd)), None).await
        }
        Err(f) => message_page(&ui, StatusCode::BAD_REQUEST, f.message()),
    }
}

/// The revoke form.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    csrf: String,
}

/// `POST /agents/tokens/{id}/revoke`.
pub async fn revoke_token(
    ui: Ui,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<RevokeForm>,
) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    match st.store.revoke_token(id).await {
        Ok(true) => Redirect::to("/agents").into_response(),
        Ok(false) => message_page(&ui, StatusCode::NOT_FOUND, ui.t(Msg::WebNotFound)),
        Err(e) => message_page(&ui, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// The new-API-token form.
#[derive(Debug, Deserialize)]
pub struct ApiTokenForm {
    csrf: String,
    name: String,
    expires: Option<String>,
}

/// `POST /agents/api-tokens`: make an admin API token and show it once.
pub async fn new_api_token(
    ui: Ui,
    State(st): State<AppState>,
    Form(f): Form<ApiTokenForm>,
) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    if f.name.trim().is_empty() {
        return message_page(
            &ui,
            StatusCode::BAD_REQUEST,
            "name: say what the token is for",
        );
    }
    let expires_at = match crate::admin_cli::expiry(f.expires.filter(|e| !e.trim().is_empty())) {
        Ok(e) => e,
        Err(e) => return message_page(&ui, StatusCode::BAD_REQUEST, &format!("{e:#}")),
    };
    let token = crate::secrets::new_api_token();
    let made = st
        .store
        .create_api_token(NewApiToken {
            token_hash: crate::secrets::hash(&token),
            name: f.name.trim().to_string(),
            expires_at,
        })
        .await;
    match made {
        Ok(_) => agents_page(&ui, &st, None, Some(token)).await,
        Err(e) => message_page(&ui, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// `POST /agents/api-tokens/{id}/revoke`.
pub async fn revoke_api_token(
    ui: Ui,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<RevokeForm>,
) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    match st.store.revoke_api_token(id).await {
        Ok(true) => Redirect::to("/agents").into_response(),
        Ok(false) => message_page(&ui, StatusCode::NOT_FOUND, ui.t(Msg::WebNotFound)),
        Err(e) => message_page(&ui, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}
