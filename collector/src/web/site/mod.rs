//! The site facts pages: `/site` lists the sections of `site.toml` (is
//! it filled in, when was it last reviewed, how many rows), and
//! `/site/{section}` is one form per section — the organisation, team,
//! external parties, internet, phone, cloud, mobile devices, licences,
//! processes (departments → systems with priority and dependencies),
//! backup, fall-back, replacement and yearly tests — with the same data
//! as the file. `/site/file` (`file.rs`) keeps the whole-file editor and
//! the restore-priorities form.
//!
//! Saving a section builds the new site facts from the file with that
//! section replaced and runs the same checks as `census-collector plan`;
//! a problem is shown next to its field (status 422, nothing written, the
//! input kept), otherwise the file is written in normal form through
//! `api::plan::write_site` (the old one kept as `site.toml.bak`, comments
//! not kept). The forms are generic: `sections.rs` describes each
//! section, `forms.rs` parses and builds, `view.rs` lays out the inputs.
//! A licence key is never sent back to the browser.
//!
//! Not here: the devices of a `[mobile] csv` file (the form edits the
//! site file's own list), translated texts of the checks' messages (they
//! are the CLI's English texts).

mod file;
mod forms;
mod sections;
mod view;

#[cfg(test)]
mod tests;

pub use file::{page_get as file_page, save as file_save};

use super::render;
use super::session::{Ui, message_page};
use crate::api::AppState;
use crate::api::plan::write_site;
use crate::plan;
use crate::plan::messages::Msg;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use census_shared::site::SiteFacts;
use forms::Section;
use serde_json::Value;
use std::collections::BTreeMap;
use view::{Input, Item};

/// The site file as written (no CSV merged), without the semantic checks
/// so that a form can repair what they find; `Err` with the loader's
/// problems when it cannot be read as site facts at all.
fn current(st: &AppState) -> Result<SiteFacts, String> {
    let text = match std::fs::read_to_string(&st.site_file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SiteFacts::default()),
        Err(e) => return Err(format!("{}: {e}", st.site_file.display())),
    };
    toml::from_str(&text).map_err(|_| match plan::site::parse(&text, &st.site_file) {
        Err(e) => e.to_string(),
        Ok(_) => "the site file could not be read".into(),
    })
}

/// The sections as JSON objects by key (a missing section is absent).
fn as_json(facts: &SiteFacts) -> serde_json::Map<String, Value> {
    match serde_json::to_value(facts) {
        Ok(Value::Object(m)) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => serde_json::Map::new(),
    }
}

fn unreadable(ui: &Ui, why: &str) -> Response {
    message_page(
        ui,
        StatusCode::CONFLICT,
        &format!("{} /site/file\n{why}", ui.t(Msg::WebSiteUnreadable)),
    )
}

/// One line of the index.
struct IndexRow {
    key: &'static str,
    title: &'static str,
    present: bool,
    reviewed: String,
    rows: usize,
}

#[derive(Template)]
#[template(path = "site_index.html")]
struct IndexPage<'a> {
    ui: &'a Ui,
    file: String,
    rows: Vec<IndexRow>,
    error: Option<String>,
}

/// `GET /site`.
pub async fn index(ui: Ui, State(st): State<AppState>) -> Response {
    let (facts, error) = match current(&st) {
        Ok(f) => (as_json(&f), None),
        Err(e) => (serde_json::Map::new(), Some(e)),
    };
    let rows = sections::ALL
        .iter()
        .map(|s| {
            let v = facts.get(s.key);
            let rows = s
                .shape
                .lists
                .iter()
                .filter_map(|l| v?.get(l.key)?.as_array().map(Vec::len))
                .sum();
            IndexRow {
                key: s.key,
                title: ui.t(s.title),
                present: v.is_some(),
                reviewed: v
                    .and_then(|v| v.get("reviewed"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                rows,
            }
        })
        .collect();
    render(&IndexPage {
        ui: &ui,
        file: st.site_file.display().to_string(),
        rows,
        error,
    })
}

#[derive(Template)]
#[template(path = "site_section.html")]
struct SectionPage<'a> {
    ui: &'a Ui,
    key: &'static str,
    title: &'static str,
    note: Option<&'static str>,
    /// (key, title) of every section, for the links between them.
    sections: Vec<(&'static str, &'static str)>,
    items: Vec<Item>,
    /// Problems that belong to no input (another section, the whole one).
    problems: Vec<String>,
    /// How many problems in all.
    count: usize,
    saved: bool,
}

fn section_page(
    ui: &Ui,
    section: &'static Section,
    node: &forms::Node,
    stored: Option<&Value>,
    mut errors: BTreeMap<String, Vec<String>>,
    mut problems: Vec<String>,
    saved: bool,
) -> Response {
    let count = errors.values().map(Vec::len).sum::<usize>() + problems.len();
    let items = view::items(section, node, stored, &mut errors, ui.lang);
    for (field, list) in errors {
        problems.extend(list.into_iter().map(|m| format!("{field}: {m}")));
    }
    render(&SectionPage {
        ui,
        key: section.key,
        title: ui.t(section.title),
        note: section.note.map(|m| ui.t(m)),
        sections: sections::ALL
            .iter()
            .map(|s| (s.key, ui.t(s.title)))
            .collect(),
        items,
        problems,
        count,
        saved,
    })
}

/// `?saved=1`.
#[derive(Debug, serde::Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

/// `GET /site/{section}`: the form, with the problems the checks find in
/// the file as it is.
pub async fn section_get(
    ui: Ui,
    State(st): State<AppState>,
    Path(key): Path<String>,
    Query(q): Query<Saved>,
) -> Response {
    let Some(section) = sections::find(&key) else {
        return message_page(&ui, StatusCode::NOT_FOUND, ui.t(Msg::WebNotFound));
    };
    let Ok(facts) = current(&st) else {
        // The index shows why, with the way to the editor.
        return Redirect::to("/site").into_response();
    };
    let json = as_json(&facts);
    let stored = json.get(section.key);
    let node = stored.map_or_else(forms::Node::default, |v| forms::node_of(&section.shape, v));
    let (errors, problems) = place(&facts, section, &BTreeMap::new());
    section_page(
        &ui,
        section,
        &node,
        stored,
        errors,
        problems,
        q.saved.is_some(),
    )
}

/// The checks' issues of this section by input name; the rest as text.
fn place(
    facts: &SiteFacts,
    section: &Section,
    rows: &BTreeMap<String, String>,
) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for issue in facts.check() {
        match forms::field_of(&issue, section.key, rows) {
            Some(field) => errors.entry(field).or_default().push(issue.message),
            None => problems.push(issue.to_string()),
        }
    }
    (errors, problems)
}

/// `POST /site/{section}`: every input of the form as `name=value` pairs
/// (indexed names for rows, repeated names for checkboxes).
pub async fn section_post(
    ui: Ui,
    State(st): State<AppState>,
    Path(key): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v);
    if let Err(r) = ui.check(csrf.map_or("", String::as_str)) {
        return r;
    }
    let Some(section) = sections::find(&key) else {
        return message_page(&ui, StatusCode::NOT_FOUND, ui.t(Msg::WebNotFound));
    };
    let facts = match current(&st) {
        Ok(f) => f,
        Err(e) => return unreadable(&ui, &e),
    };
    let mut json = as_json(&facts);
    let stored = json.get(section.key).cloned();
    let node = forms::parse(&pairs);
    let built = forms::build(section, &node, stored.as_ref(), ui.lang);
    match built.value {
        Some(v) => json.insert(section.key.to_string(), v),
        None => json.remove(section.key),
    };
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (field, message) in built.errors {
        errors.entry(field).or_default().push(message);
    }
    let new: Result<SiteFacts, _> = serde_json::from_value(Value::Object(json));
    let (placed, mut problems) = match &new {
        Ok(new) => place(new, section, &built.rows),
        Err(e) => (BTreeMap::new(), vec![e.to_string()]),
    };
    for (field, list) in placed {
        errors.entry(field).or_default().extend(list);
    }
    if let (Ok(new), true) = (&new, errors.is_empty() && problems.is_empty()) {
        return match write_site(&st.site_file, new) {
            Ok(()) => Redirect::to(&format!("/site/{}?saved=1", section.key)).into_response(),
            Err(f) => message_page(&ui, StatusCode::INTERNAL_SERVER_ERROR, f.message()),
        };
    }
    if errors.is_empty() && problems.is_empty() {
        problems.push("the site facts could not be built".into());
    }
    let mut r = section_page(
        &ui,
        section,
        &node,
        stored.as_ref(),
        errors,
        problems,
        false,
    );
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}
