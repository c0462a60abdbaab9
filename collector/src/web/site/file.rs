//! The whole `site.toml` on one page (`/site/file`): the file in an
//! editor (saved only when it passes the same checks as
//! `census-collector plan`, each problem shown with its line and field;
//! the text is written as typed, comments kept), and a form for the
//! restore priority of every department's systems (written in normal
//! form, the old file kept as `site.toml.bak`). The forms per section are
//! in `mod.rs`; this page is for what they do not cover (comments, a
//! whole file pasted at once).

use crate::api::AppState;
use crate::api::plan::write_site;
use crate::plan;
use crate::plan::messages::Msg;
use crate::web::render;
use crate::web::session::{Ui, message_page};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use census_shared::site::SiteFacts;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One system's priority in the form.
struct SystemRow {
    key: String,
    department: String,
    system: String,
    priority: Option<u8>,
}

#[derive(Template)]
#[template(path = "site_file.html")]
struct SitePage<'a> {
    ui: &'a Ui,
    file: String,
    text: String,
    problems: Vec<String>,
    systems: Vec<SystemRow>,
    saved: bool,
}

impl SitePage<'_> {
    fn levels(&self) -> Vec<u8> {
        census_shared::site::PRIORITIES.collect()
    }
}

fn systems(facts: Option<&SiteFacts>) -> Vec<SystemRow> {
    let mut rows = Vec::new();
    let Some(p) = facts.and_then(|f| f.processes.as_ref()) else {
        return rows;
    };
    for (d, dep) in p.departments.iter().enumerate() {
        for (s, sys) in dep.systems.iter().enumerate() {
            rows.push(SystemRow {
                key: format!("p.{d}.{s}"),
                department: dep.name.clone(),
                system: sys.name.clone(),
                priority: sys.priority,
            });
        }
    }
    rows
}

fn page(
    ui: &Ui,
    st: &AppState,
    text: Option<String>,
    problems: Vec<String>,
    saved: bool,
) -> Response {
    let file = st.site_file.display().to_string();
    let current = std::fs::read_to_string(&st.site_file).unwrap_or_default();
    let facts = plan::site::parse(&current, &st.site_file).ok();
    let mut r = render(&SitePage {
        ui,
        file,
        text: text.unwrap_or(current),
        systems: systems(facts.as_ref()),
        saved,
        problems: problems.clone(),
    });
    if !problems.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// `?saved=1`.
#[derive(Debug, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

/// `GET /site/file`.
pub async fn page_get(ui: Ui, State(st): State<AppState>, Query(q): Query<Saved>) -> Response {
    page(&ui, &st, None, Vec::new(), q.saved.is_some())
}

/// Either form of the page.
#[derive(Debug, Deserialize)]
pub struct SiteForm {
    csrf: String,
    /// `text` (the editor) or `priorities`.
    kind: String,
    text: Option<String>,
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

/// `POST /site/file`.
pub async fn save(ui: Ui, State(st): State<AppState>, Form(f): Form<SiteForm>) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    match f.kind.as_str() {
        "text" => {
            let text = f.text.unwrap_or_default().replace("\r\n", "\n");
            if let Err(e) = plan::site::parse(&text, &st.site_file) {
                let problems = match e {
                    plan::site::SiteError::Invalid(list) => {
                        list.iter().map(|p| p.to_string()).collect()
                    }
                    other => vec![other.to_string()],
                };
                return page(&ui, &st, Some(text), problems, false);
            }
            let tmp = st.site_file.with_extension("toml.tmp");
            let written = std::fs::write(&tmp, &text)
                .and_then(|_| {
                    if st.site_file.exists() {
                        std::fs::copy(&st.site_file, st.site_file.with_extension("toml.bak"))
                            .map(|_| ())
                    } else {
                        Ok(())
                    }
                })
                .and_then(|_| std::fs::rename(&tmp, &st.site_file));
            match written {
                Ok(()) => Redirect::to("/site/file?saved=1").into_response(),
                Err(e) => message_page(
                    &ui,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("{}: {e}", st.site_file.display()),
                ),
            }
        }
        "priorities" => {
            let current = std::fs::read_to_string(&st.site_file).unwrap_or_default();
            let mut facts = match plan::site::parse(&current, &st.site_file) {
                Ok(f) => f,
                Err(e) => return page(&ui, &st, None, vec![e.to_string()], false),
            };
            let mut problems = Vec::new();
            if let Some(p) = facts.processes.as_mut() {
                for (d, dep) in p.departments.iter_mut().enumerate() {
                    for (s, sys) in dep.systems.iter_mut().enumerate() {
                        let Some(v) = f.rest.get(&format!("p.{d}.{s}")) else {
                            continue;
                        };
                        sys.priority = match v.trim() {
                            "" => None,
                            v => match v.parse::<u8>() {
                                Ok(n) if census_shared::site::PRIORITIES.contains(&n) => Some(n),
                                _ => {
                                    problems.push(format!(
                                        "{} / {}: {v:?} is not a priority (1-4)",
                                        dep.name, sys.name
                                    ));
                                    sys.priority
                                }
                            },
                        };
                    }
                }
            }
            if !problems.is_empty() {
                return page(&ui, &st, None, problems, false);
            }
            match write_site(&st.site_file, &facts) {
                Ok(()) => Redirect::to("/site/file?saved=1").into_response(),
                Err(e) => message_page(&ui, StatusCode::INTERNAL_SERVER_ERROR, e.message()),
            }
        }
        other => message_page(
            &ui,
            StatusCode::BAD_REQUEST,
            &format!("unknown form {other:?}"),
        ),
    }
}
