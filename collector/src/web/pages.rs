//! The dashboard, the asset table and one asset's page (every field with
//! its provenance, the history, the merge explanation, and the forms a
//! person uses to correct it: the fields they own, merge, split). Data
//! comes through the same functions as the API (`api::assets`,
//! `api::plan`); corrections are the merge engine's decisions.

use super::session::{Ui, message_page};
use super::{Table, render};
use crate::api::AppState;
use crate::api::assets::{AssetQuery, filtered};
use crate::assets::{self};
use crate::merge::{merge_decision, set_decision, split_decision};
use crate::plan::layout::{self, Block};
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

fn failed(ui: &Ui, e: impl std::fmt::Display) -> Response {
    tracing::error!("page: {e}");
    message_page(ui, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string())
}

/// A layout section's tables, for pages that show parts of the plan.
pub fn section_tables(doc: &layout::Doc, id: &str) -> Vec<Table> {
    doc.sections
        .iter()
        .filter(|s| s.id == id)
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Table(t) => Some(Table {
                caption: t.caption.clone(),
                headers: t.headers.clone(),
                rows: t.rows.clone(),
            }),
            Block::Note(_) => None,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard<'a> {
    ui: &'a Ui,
    /// (heading, category filter, count)
    counts: Vec<(String, String, usize)>,
    silent: Vec<(String, String)>,
    last_scan: Option<(String, String, i64)>,
    unknown: Vec<(String, String)>,
    to_complete: Vec<Table>,
    risks: Vec<Table>,
}

/// `GET /`.
pub async fn dashboard(ui: Ui, State(st): State<AppState>) -> Response {
    let plan = match crate::api::plan::current_plan(&st).await {
        Ok(p) => p,
        Err(f) => return failed(&ui, format!("{f:?}")),
    };
    let doc = layout::layout(&plan, ui.lang);
    let (previous, _) = match st.store.previous_assets().await {
        Ok(p) => p,
        Err(e) => return failed(&ui, e),
    };
    let mut by: BTreeMap<usize, (String, usize)> = BTreeMap::new();
    for a in &previous.assets {
        let c = a.category_or_other();
        let i = Category::ALL.iter().position(|x| *x == c).unwrap_or(0);
        by.entry(i).or_insert_with(|| (c.as_str().to_string(), 0)).1 += 1;
    }
    let counts = by
        .into_values()
        .map(|(cat, n)| (category_label(&ui, &cat), cat, n))
        .collect();
    let now = chrono::Utc::now();
    let silent = match st.store.list_agents().await {
        Ok(agents) => agents
            .into_iter()
            .filter(|a| a.revoked_at.is_none() && a.kind == "agent")
            .filter(|a| {
                a.last_seen
                    .is_none_or(|t| now - t > chrono::Duration::days(30))
            })
            .map(|a| {
                (
                    a.hostname,
                    a.last_seen
                        .map(|t| t.format("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| "-".into()),
                )
            })
            .collect(),
        Err(e) => return failed(&ui, e),
    };
    let last_scan = match st.store.list_scans(1).await {
        Ok(s) => s.into_iter().next().map(|s| {
            (
                s.finished_at.format("%Y-%m-%d %H:%M").to_string(),
                s.targets,
                s.hosts_found,
            )
        }),
        Err(e) => return failed(&ui, e),
    };
    let unknown = match st.store.events_since(now - chrono::Duration::days(7)).await {
        Ok(ev) => ev
            .into_iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    census_shared::asset::EventKind::NewUnknownDevice { .. }
                )
            })
            .map(|e| (e.asset.0.clone(), crate::assets_text::describe(&e)))
            .collect(),
        Err(e) => return failed(&ui, e),
    };
    render(&Dashboard {
        ui: &ui,
        counts,
        silent,
        last_scan,
        unknown,
        to_complete: section_tables(&doc, "to-complete"),
        risks: section_tables(&doc, "risks"),
    })
}

/// A category's name in the page's language: the plan's section heading.
pub fn category_label(ui: &Ui, cat: &str) -> String {
    use crate::plan::model::DeviceKind;
    let kind = match Category::parse(cat) {
        Some(Category::OfficePc | Category::Laptop) => DeviceKind::OfficePcs,
        Some(Category::Server) => DeviceKind::Servers,
        Some(Category::NasBackup) => DeviceKind::BackupUnits,
        Some(Category::PhoneSystemVoip) => DeviceKind::PhoneSystem,
        Some(Category::MobilePhone) => DeviceKind::MobilePhones,
        Some(Category::Tablet) => DeviceKind::Tablets,
        Some(Category::Printer) => DeviceKind::Printers,
        Some(
            Category::NetworkRouter
            | Category::NetworkFirewall
            | Category::NetworkSwitch
            | Category::NetworkAccessPoint
            | Category::NetworkEquipment,
        ) => DeviceKind::Network,
        _ => DeviceKind::Other,
    };
    format!("{} ({cat})", ui.t(layout::heading(kind)))
}

/// One row of the asset table.
struct Row {
    id: String,
    name: String,
    category: String,
    make_model: String,
    serial: String,
    ip: String,
    department: String,
    last_seen: String,
    unknown: bool,
}

fn val(f: &Option<census_shared::asset::Field<String>>) -> String {
    f.as_ref().map(|f| f.value.clone()).unwrap_or_default()
}

fn row(a: &Asset) -> Row {
    Row {
        id: a.id.0.clone(),
        name: val(&a.name),
        category: a.category_or_other().as_str().to_string(),
        make_model: [val(&a.vendor), val(&a.model)]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
        serial: val(&a.serial),
        ip: a
            .ips
            .iter()
            .map(|i| i.value.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        department: val(&a.department),
        last_seen: a.last_seen.format("%Y-%m-%d %H:%M").to_string(),
        unknown: a.unknown,
    }
}

#[derive(Template)]
#[template(path = "assets.html")]
struct AssetsPage<'a> {
    ui: &'a Ui,
    rows: Vec<Row>,
    q: String,
    category: String,
    department: String,
    seen_within: String,
    categories: Vec<(String, String)>,
    sort: String,
    error: Option<String>,
}

/// Filters plus `sort=name|category|last_seen|ip`.
#[derive(Debug, Default, Deserialize)]
pub struct AssetsQuery {
    #[serde(flatten)]
    filters: AssetQuery,
    sort: Option<String>,
}

/// `GET /assets`.
pub async fn assets(ui: Ui, State(st): State<AppState>, Query(q): Query<AssetsQuery>) -> Response {
    let (list, error) = match filtered(&st, &q.filters).await {
        Ok(l) => (l, None),
        Err(f) => (Vec::new(), Some(f.message().to_string())),
    };
    let mut rows: Vec<Row> = list.iter().map(row).collect();
    let sort = q.sort.clone().unwrap_or_default();
    match sort.as_str() {
        "name" => rows.sort_by_key(|r| r.name.to_lowercase()),
        "last_seen" => rows.sort_by(|a, b| b.last_seen.cmp(&a.last_seen)),
        "ip" => rows.sort_by_key(|r| {
            r.ip.split(", ")
                .next()
                .and_then(|i| i.parse::<std::net::IpAddr>().ok())
        }),
        _ => {}
    }
    let categories = Category::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), category_label(&ui, c.as_str())))
        .collect();
    render(&AssetsPage {
        ui: &ui,
        rows,
        q: q.filters.q.unwrap_or_default(),
        category: q.filters.category.unwrap_or_default(),
        department: q.filters.department.unwrap_or_default(),
        seen_within: q.filters.seen_within.unwrap_or_default(),
        categories,
        sort,
        error,
    })
}

#[derive(Template)]
#[template(path = "asset.html")]
struct AssetPage<'a> {
    ui: &'a Ui,
    a: &'a Asset,
    /// (field, value, source, when)
    fields: Vec<(String, String, String, String)>,
    explanation: String,
    history: Vec<(String, String)>,
    editable: Vec<(String, String)>,
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
        let v = match f {
            FieldName::Name => val(&a.name),
            FieldName::Department => val(&a.department),
            FieldName::Owner => val(&a.owner),
            FieldName::Criticality => val(&a.criticality),
            FieldName::Location => val(&a.location),
            _ => val(&a.notes),
        };
        (f.as_str().to_string(), v)
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
