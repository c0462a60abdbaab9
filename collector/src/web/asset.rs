//! One asset's page: every field with its provenance, what each scan saw
//! of it (names, services with their titles and banners, the SNMP
//! identity) as evidence, the history, the merge explanation, and the
//! forms a person uses to correct it: the fields they own, merge, split.
//! Corrections are the merge engine's decisions, as on the command line.

use super::pages::{category_label, val};
use super::render;
use super::session::{Ui, message_page};
use crate::api::AppState;
use crate::assets;
use crate::merge::{Source, merge_decision, set_decision, split_decision};
use crate::plan::messages::Msg;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use census_shared::asset::{
    Asset, AssetId, Category, Event, FieldName, MergeExplanation, ObservationId,
};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What one scan observation of this asset said: (observation, lines).
struct Seen {
    id: String,
    at: String,
    lines: Vec<String>,
}

fn seen_lines(o: &census_shared::observation::ScanObservation) -> Vec<String> {
    let mut lines = Vec::new();
    for n in &o.names {
        lines.push(format!("name ({}): {}", n.source, n.name));
    }
    for s in &o.services {
        let mut l = format!("{}/{} {}", s.port, s.protocol, s.name);
        for x in [&s.product, &s.detail].into_iter().flatten() {
            l.push_str(" · ");
            l.push_str(x);
        }
        lines.push(l);
    }
    if let Some(d) = &o.snmp {
        for (k, v) in [
            ("sysName", &d.sys_name),
            ("sysDescr", &d.sys_descr),
            ("sysLocation", &d.sys_location),
            ("sysContact", &d.sys_contact),
        ] {
            if let Some(v) = v {
                lines.push(format!("SNMP {k}: {v}"));
            }
        }
    }
    for e in &o.guess.evidence {
        lines.push(format!("why: {e}"));
    }
    lines
}

#[derive(Template)]
#[template(path = "asset.html")]
struct AssetPage<'a> {
    ui: &'a Ui,
    a: &'a Asset,
    /// (field, value, source, when)
    fields: Vec<(String, String, String, String)>,
    explanation: String,
    seen: Vec<Seen>,
    history: Vec<(String, String)>,
    /// (field, label, value)
    editable: Vec<(String, &'static str, String)>,
    categories: Vec<(String, String)>,
    category: String,
    observations: Vec<String>,
    saved: bool,
}

/// Every field with its provenance, as lines.
fn fields_of(a: &Asset) -> Vec<(String, String, String, String)> {
    let json = serde_json::to_value(a).unwrap_or_default();
    let mut out = Vec::new();
    let Some(obj) = json.as_object() else {
        return out;
    };
    for (k, v) in obj {
        let items: Vec<&serde_json::Value> = match v {
            serde_json::Value::Array(xs) => xs.iter().collect(),
            serde_json::Value::Object(_) => vec![v],
            _ => continue,
        };
        for f in items {
            let Some(value) = f.get("value") else {
                continue;
            };
            let value = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let source = f.get("source").map(|s| match s {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            let at = f
                .get("at")
                .and_then(|t| t.as_str())
                .unwrap_or("")
                .chars()
                .take(16)
                .collect::<String>()
                .replace('T', " ");
            out.push((k.clone(), value, source.unwrap_or_default(), at));
        }
    }
    out
}

/// `?saved=1` after a change.
#[derive(Debug, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

fn failed(ui: &Ui, e: impl std::fmt::Display) -> Response {
    tracing::error!("asset page: {e}");
    message_page(ui, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string())
}

/// `GET /assets/{id}`.
pub async fn asset(
    ui: Ui,
    State(st): State<AppState>,
    Path(id): Path<String>,
    Query(s): Query<Saved>,
) -> Response {
    let found = match st.store.asset(AssetId(id.clone())).await {
        Ok(f) => f,
        Err(e) => return failed(&ui, e),
    };
    let Some((a, explanation)) = found else {
        return message_page(&ui, StatusCode::NOT_FOUND, ui.t(Msg::WebNotFound));
    };
    let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let history: Vec<(String, String)> = match st.store.events_since(epoch).await {
        Ok(ev) => ev
            .into_iter()
            .filter(|e: &Event| e.asset == a.id)
            .map(|e| {
                (
                    e.at.format("%Y-%m-%d %H:%M").to_string(),
                    crate::assets_text::describe(&e),
                )
            })
            .collect(),
        Err(e) => return failed(&ui, e),
    };
    let since = chrono::Utc::now() - assets::scan_history();
    let seen = match st.store.asset_observations(since).await {
        Ok(obs) => obs
            .into_iter()
            .filter(|o| a.observations.contains(&o.id))
            .filter_map(|o| match o.source {
                Source::Scan { observation, .. } => Some(Seen {
                    id: o.id.0.clone(),
                    at: o.at.format("%Y-%m-%d %H:%M").to_string(),
                    lines: seen_lines(&observation),
                }),
                Source::Agent { .. } => None,
            })
            .collect(),
        Err(e) => return failed(&ui, e),
    };
    let explanation = explanation
        .as_ref()
        .map(|e: &MergeExplanation| serde_json::to_string_pretty(e).unwrap_or_default())
        .unwrap_or_default();
    let editable = [
        FieldName::Name,
        FieldName::Department,
        FieldName::Owner,
        FieldName::Criticality,
        FieldName::Location,
        FieldName::Notes,
    ]
    .iter()
    .map(|f| {
        let (v, label) = match f {
            FieldName::Name => (val(&a.name), Msg::ColName),
            FieldName::Department => (val(&a.department), Msg::ColDepartment),
            FieldName::Owner => (val(&a.owner), Msg::ColUser),
            FieldName::Criticality => (val(&a.criticality), Msg::ColPriority),
            FieldName::Location => (val(&a.location), Msg::ItemLocation),
            _ => (val(&a.notes), Msg::ColNotes),
        };
        (f.as_str().to_string(), ui.t(label), v)
    })
    .collect();
    let categories = Category::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), category_label(&ui, c.as_str())))
        .collect();
    render(&AssetPage {
        ui: &ui,
        fields: fields_of(&a),
        explanation,
        seen,
        history,
        editable,
        categories,
        category: a
            .category
            .as_ref()
            .map(|c| c.value.as_str().to_string())
            .unwrap_or_default(),
        observations: a.observations.iter().map(|o| o.0.clone()).collect(),
        saved: s.saved.is_some(),
        a: &a,
    })
}

/// The person-owned fields form.
#[derive(Debug, Deserialize)]
pub struct EditForm {
    csrf: String,
    #[serde(flatten)]
    values: BTreeMap<String, String>,
}

/// `POST /assets/{id}`: set the fields whose value changed.
pub async fn edit_asset(
    ui: Ui,
    State(st): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<EditForm>,
) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    let Ok(Some((a, _))) = st.store.asset(AssetId(id.clone())).await else {
        return message_page(&ui, StatusCode::NOT_FOUND, ui.t(Msg::WebNotFound));
    };
    let current = |name: FieldName| -> String {
        match name {
            FieldName::Category => a
                .category
                .as_ref()
                .map(|c| c.value.as_str().to_string())
                .unwrap_or_default(),
            FieldName::Name => val(&a.name),
            FieldName::Department => val(&a.department),
            FieldName::Owner => val(&a.owner),
            FieldName::Criticality => val(&a.criticality),
            FieldName::Location => val(&a.location),
            FieldName::Notes => val(&a.notes),
            _ => String::new(),
        }
    };
    for (k, v) in &f.values {
        let Some(name) = FieldName::parse(k) else {
            continue;
        };
        let v = v.trim().to_string();
        if v == current(name) {
            continue;
        }
        if name == FieldName::Category && !v.is_empty() && Category::parse(&v).is_none() {
            return message_page(
                &ui,
                StatusCode::BAD_REQUEST,
                &format!("{v:?}: not a category"),
            );
        }
        let value = (!v.is_empty()).then_some(v);
        let asset = AssetId(id.clone());
        if let Err(e) = assets::decide(st.store.as_ref(), |res, did, at| {
            set_decision(res, &asset, name, value.clone(), did, at)
        })
        .await
        {
            return message_page(&ui, StatusCode::BAD_REQUEST, &e.to_string());
        }
    }
    Redirect::to(&format!("/assets/{id}?saved=1")).into_response()
}

/// The merge form.
#[derive(Debug, Deserialize)]
pub struct MergeForm {
    csrf: String,
    from: String,
}

/// `POST /assets/{id}/merge`: `from` becomes part of this asset.
pub async fn merge_asset(
    ui: Ui,
    State(st): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<MergeForm>,
) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    let (into, from) = (AssetId(id.clone()), AssetId(f.from.trim().to_string()));
    match assets::decide(st.store.as_ref(), |res, did, at| {
        merge_decision(res, &into, &from, did, at)
    })
    .await
    {
        Ok(_) => Redirect::to(&format!("/assets/{id}?saved=1")).into_response(),
        Err(e) => message_page(&ui, StatusCode::BAD_REQUEST, &e.to_string()),
    }
}

/// The split form.
#[derive(Debug, Deserialize)]
pub struct SplitForm {
    csrf: String,
    observation: String,
}

/// `POST /assets/{id}/split`.
pub async fn split_asset(
    ui: Ui,
    State(st): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<SplitForm>,
) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    let (asset, obs) = (AssetId(id.clone()), ObservationId(f.observation));
    match assets::decide(st.store.as_ref(), |res, did, at| {
        split_decision(res, &asset, &obs, did, at)
    })
    .await
    {
        Ok(_) => Redirect::to(&format!("/assets/{id}?saved=1")).into_response(),
        Err(e) => message_page(&ui, StatusCode::BAD_REQUEST, &e.to_string()),
    }
}
