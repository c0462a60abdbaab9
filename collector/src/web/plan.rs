//! The plan page: a preview in the chosen language (the self-contained
//! HTML plan in a frame), downloads in every format the API renders, and
//! the encrypted offline copy (`census-collector export`) made on the
//! collector and downloaded, encrypted to an age public key the visitor
//! gives.

use super::render;
use super::session::{Ui, message_page};
use crate::api::AppState;
use crate::api::plan::{current_plan, plan_response};
use crate::plan::messages::{Lang, Msg};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    ui: &'a Ui,
    plan_lang: Lang,
    formats: Vec<&'static str>,
}

/// `?lang=&format=`.
#[derive(Debug, Deserialize)]
pub struct PlanQuery {
    lang: Option<String>,
    format: Option<String>,
}

fn plan_lang(ui: &Ui, q: &PlanQuery) -> Lang {
    q.lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(ui.lang)
}

/// Formats the web interface offers for download.
pub const FORMATS: [&str; 6] = ["html", "docx", "xlsx", "md", "csv", "json"];

/// `GET /plan`.
pub async fn page(ui: Ui, Query(q): Query<PlanQuery>) -> Response {
    let plan_lang = plan_lang(&ui, &q);
    render(&PlanPage {
        ui: &ui,
        plan_lang,
        formats: FORMATS.to_vec(),
    })
}

async fn rendered(ui: &Ui, st: &AppState, format: &str, lang: Lang) -> Response {
    let p = match current_plan(st).await {
        Ok(p) => p,
        Err(f) => return message_page(ui, StatusCode::CONFLICT, f.message()),
    };
    match plan_response(&p, format, lang) {
        Ok(r) => r,
        Err(f) => message_page(ui, StatusCode::BAD_REQUEST, f.message()),
    }
}

/// `GET /plan/preview?lang=`: the HTML plan itself.
pub async fn preview(ui: Ui, State(st): State<AppState>, Query(q): Query<PlanQuery>) -> Response {
    let lang = plan_lang(&ui, &q);
    rendered(&ui, &st, "html", lang).await
}

/// `GET /plan/download?format=&lang=`: as a file.
pub async fn download(ui: Ui, State(st): State<AppState>, Query(q): Query<PlanQuery>) -> Response {
    let lang = plan_lang(&ui, &q);
    let format = q.format.clone().unwrap_or_else(|| "html".into());
    let mut r = rendered(&ui, &st, &format, lang).await;
    if r.status().is_success()
        && !r.headers().contains_key(header::CONTENT_DISPOSITION)
        && let Ok(v) = format!("attachment; filename=\"census-plan-{lang}.{format}\"").parse()
    {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The export form.
#[derive(Debug, Deserialize)]
pub struct ExportForm {
    csrf: String,
    recipient: String,
    lang: Option<String>,
}

/// `POST /plan/export`: the age-encrypted offline copy, as a download.
pub async fn export(ui: Ui, State(st): State<AppState>, Form(f): Form<ExportForm>) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    let recipient = f.recipient.trim().to_string();
    if recipient.parse::<age::x25519::Recipient>().is_err() {
        return message_page(
            &ui,
            StatusCode::BAD_REQUEST,
            &format!("{recipient:?} is not an age public key (age1…, from age-keygen -y)"),
        );
    }
    let dir = match tempfile::Builder::new()
        .prefix("census-web-export-")
        .tempdir()
    {
        Ok(d) => d,
        Err(e) => return message_page(&ui, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let out = dir.path().join("census-export.age");
    let args = crate::export_cli::ExportArgs {
        out: out.clone(),
        recipients: vec![recipient],
        passphrase: false,
        armor: false,
        lang: f.lang.unwrap_or_else(|| ui.lang.to_string()),
        site: Some(st.site_file.clone()).filter(|s| s.is_file()),
    };
    if let Err(e) = crate::export_cli::export((*st.cfg).clone(), None, args).await {
        return message_page(&ui, StatusCode::INTERNAL_SERVER_ERROR, &format!("{e:#}"));
    }
    match std::fs::read(&out) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"census-export-{}.age\"",
                        chrono::Utc::now().format("%Y%m%d")
                    ),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => message_page(&ui, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}
