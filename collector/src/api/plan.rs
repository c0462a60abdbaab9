//! `/api/v1/site` and `/api/v1/plan`: the site facts (what no protocol
//! discovers) read and replaced as JSON — checked exactly like
//! `site.toml`, written back to that file atomically — and the plan built
//! from the current assets and the site facts, in any format. Admin only.
//!
//! Writing the site file from the API rewrites it in a normal form: the
//! comments of a hand-written file are not kept (the previous file is kept
//! as `site.toml.bak`).

use super::auth::Admin;
use super::{AppState, Failure};
use crate::assets;
use crate::plan::{self, Lang, Plan};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use census_shared::site::SiteFacts;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

/// The site facts as the plan sees them (a `[mobile] csv` list merged
/// in), `None` when there is no file yet.
pub fn read_site(file: &Path) -> Result<Option<SiteFacts>, Failure> {
    if !file.exists() {
        return Ok(None);
    }
    plan::site::load(file)
        .map(Some)
        .map_err(|e| Failure::new(StatusCode::CONFLICT, "site_invalid", e.to_string()))
}

/// The site facts as written in the file (a `[mobile] csv` list not
/// merged in, so writing them back does not copy the list into the file).
pub fn read_site_file(file: &Path) -> Result<Option<SiteFacts>, Failure> {
    if !file.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(file).map_err(Failure::internal)?;
    plan::site::parse(&text, file)
        .map(Some)
        .map_err(|e| Failure::new(StatusCode::CONFLICT, "site_invalid", e.to_string()))
}

/// Check site facts; the problems by field path.
pub fn check_site(facts: &SiteFacts) -> Vec<(String, String)> {
    facts
        .check()
        .into_iter()
        .map(|i| (i.field(), i.message))
        .collect()
}

/// Write checked site facts to `file` (the old one kept as `.bak`),
/// through a temporary file and a rename so a reader never sees half.
pub fn write_site(file: &Path, facts: &SiteFacts) -> Result<(), Failure> {
    let text = toml::to_string_pretty(facts).map_err(Failure::internal)?;
    // What was written must load back the same.
    let back = plan::site::parse(&text, file).map_err(Failure::internal)?;
    if &back != facts {
        return Err(Failure::internal(
            "the site facts did not survive a round trip through TOML",
        ));
    }
    let text = format!(
        "# Census site facts (written by the web interface or the API; see\n# deploy/examples/site.toml for a commented example).\n\n{text}"
    );
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(Failure::internal)?;
    }
    let tmp = file.with_extension("toml.tmp");
    std::fs::write(&tmp, text).map_err(Failure::internal)?;
    if file.exists() {
        std::fs::copy(file, file.with_extension("toml.bak")).map_err(Failure::internal)?;
    }
    std::fs::rename(&tmp, file).map_err(Failure::internal)?;
    Ok(())
}

/// `GET /api/v1/site`: `{"file": path, "facts": {...} | null}`, as
/// written in the file (a `[mobile] csv` list is named, not merged).
pub async fn site(_: Admin, State(st): State<AppState>) -> Result<Json<Value>, Failure> {
    let facts = read_site_file(&st.site_file)?;
    Ok(Json(json!({"file": st.site_file, "facts": facts})))
}

/// `PUT /api/v1/site`: replace the site facts. 422 with every problem
/// (`{"problems": [{"field", "message"}]}`) and nothing written when
/// they do not pass the checks.
pub async fn put_site(_: Admin, State(st): State<AppState>, body: axum::body::Bytes) -> Response {
    let facts: SiteFacts = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => {
            return Failure::bad_request(format!("the body is not site facts as JSON: {e}"))
                .into_response();
        }
    };
    let problems = check_site(&facts);
    if !problems.is_empty() {
        let list: Vec<Value> = problems
            .into_iter()
            .map(|(field, message)| json!({"field": field, "message": message}))
            .collect();
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "site_invalid", "message": "the site facts were not saved", "problems": list})),
        )
            .into_response();
    }
    match write_site(&st.site_file, &facts) {
        Ok(()) => Json(json!({"file": st.site_file, "facts": facts})).into_response(),
        Err(f) => f.into_response(),
    }
}

/// What a built plan depends on that can change without the clock:
/// reports and scans stored, the assets' generation (every recomputation
/// and correction), the site file's size and modification time.
type PlanKey = ((i64, i64), i64, Option<(u64, std::time::SystemTime)>);

/// The last plan built, reused while nothing it depends on changed, for at
/// most [`PLAN_REUSE`] (findings such as "agent silent for 30 days" move
/// with the clock, and a revoked agent leaves the markers alone).
#[derive(Clone, Default)]
pub struct PlanCache(Arc<tokio::sync::Mutex<Option<CachedPlan>>>);

/// A built plan, its key and when it was built.
type CachedPlan = (PlanKey, std::time::Instant, Arc<Plan>);

/// How long a built plan is reused while its inputs stay the same.
pub const PLAN_REUSE: std::time::Duration = std::time::Duration::from_secs(60);

/// The plan now from the stored assets and the site file: built, or the
/// last one when nothing it depends on changed (the dashboard and the plan
/// pages ask for it on every request; building reads every agent's latest
/// report).
pub async fn current_plan(st: &AppState) -> Result<Arc<Plan>, Failure> {
    let site_stamp = std::fs::metadata(&st.site_file)
        .ok()
        .and_then(|m| Some((m.len(), m.modified().ok()?)));
    let key: PlanKey = (
        st.store.inputs_marker().await.map_err(Failure::internal)?,
        st.store
            .assets_generation()
            .await
            .map_err(Failure::internal)?,
        site_stamp,
    );
    let mut cached = st.plan_cache.0.lock().await;
    if let Some((k, at, plan)) = cached.as_ref()
        && *k == key
        && at.elapsed() < PLAN_REUSE
    {
        return Ok(plan.clone());
    }
    let plan = Arc::new(build_plan(st).await?);
    *cached = Some((key, std::time::Instant::now(), plan.clone()));
    Ok(plan)
}

/// Build the plan from the stored assets and the site file.
async fn build_plan(st: &AppState) -> Result<Plan, Failure> {
    let site = read_site(&st.site_file)?;
    let since = chrono::Utc::now() - assets::scan_history();
    let observations = st
        .store
        .asset_observations(since)
        .await
        .map_err(Failure::internal)?;
    let (previous, _) = st
        .store
        .previous_assets()
        .await
        .map_err(Failure::internal)?;
    Ok(plan::build(&plan::Inputs {
        assets: &previous.assets,
        observations: &observations,
        site: site.as_ref(),
        default_communities: plan::default_communities(&st.cfg.snmp_communities),
        now: chrono::Utc::now(),
    }))
}

/// `?format=md|html|json|xlsx|docx|csv&lang=nl|en` (csv: one zip).
#[derive(Debug, Deserialize)]
pub struct PlanQuery {
    pub format: Option<String>,
    pub lang: Option<String>,
}

/// A rendered plan as a download (or, for HTML and JSON, a page).
pub fn plan_response(p: &Plan, format: &str, lang: Lang) -> Result<Response, Failure> {
    let name = |ext: &str| format!("attachment; filename=\"census-plan-{lang}.{ext}\"");
    let (ctype, disposition, body): (&str, Option<String>, Vec<u8>) = match format {
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Some(name("xlsx")),
            plan::xlsx::render(&plan::layout::layout(p, lang)).map_err(Failure::internal)?,
        ),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Some(name("docx")),
            plan::docx::render(&plan::layout::layout(p, lang)).map_err(Failure::internal)?,
        ),
        "csv" => {
            let files = plan::csv::render(&plan::layout::layout(p, lang));
            (
                "application/zip",
                Some(name("csv.zip")),
                plan::csv::zipped(&files, p.generated_at.naive_utc()).map_err(Failure::internal)?,
            )
        }
        other => {
            let f: plan::Format = other.parse().map_err(Failure::bad_request)?;
            let plan::Rendered::Document(text) = plan::render(p, f, lang) else {
                return Err(Failure::internal(format!(
                    "format {other:?} did not render as one document"
                )));
            };
            match f {
                plan::Format::Html => ("text/html; charset=utf-8", None, text.into_bytes()),
                plan::Format::Json => ("application/json", None, text.into_bytes()),
                _ => (
                    "text/markdown; charset=utf-8",
                    Some(name("md")),
                    text.into_bytes(),
                ),
            }
        }
    };
    let mut r = (StatusCode::OK, [(header::CONTENT_TYPE, ctype)], body).into_response();
    if let Some(d) = disposition.and_then(|d| d.parse().ok()) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, d);
    }
    Ok(r)
}

/// `GET /api/v1/plan`.
pub async fn plan(
    _: Admin,
    State(st): State<AppState>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, Failure> {
    let lang: Lang = q
        .lang
        .as_deref()
        .unwrap_or("nl")
        .parse()
        .map_err(Failure::bad_request)?;
    let p = current_plan(&st).await?;
    plan_response(&p, q.format.as_deref().unwrap_or("json"), lang)
}
