//! The dashboard (counts per category, silent agents, the last scan, new
//! unknown devices, the plan's "To complete" and risks) and the asset
//! table (search, filters, sort). Data comes through the same functions
//! as the API (`api::assets`, `api::plan`). One asset's page is
//! `asset.rs`.

use super::session::{Ui, message_page};
use super::{Table, render};
use crate::api::AppState;
use crate::api::assets::{AssetQuery, filtered};
use crate::plan::layout::{self, Block};
use crate::plan::messages::Msg;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use census_shared::asset::{Asset, Category};
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
    /// (host, version) of agents older than the collector.
    outdated: Vec<(String, String)>,
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
    let agents = match st.store.list_agents().await {
        Ok(a) => a,
        Err(e) => return failed(&ui, e),
    };
    let outdated: Vec<(String, String)> = agents
        .iter()
        .filter(|a| a.revoked_at.is_none() && a.outdated())
        .map(|a| {
            (
                a.hostname.clone(),
                a.agent_version.clone().unwrap_or_default(),
            )
        })
        .collect();
    let silent = agents
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
        .collect();
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
        outdated,
        last_scan,
        unknown,
        to_complete: section_tables(&doc, "to-complete"),
        risks: section_tables(&doc, "risks"),
    })
}

/// A category's name in the page's language: the plan's section heading.
pub fn category_label(ui: &Ui, cat: &str) -> String {
    let kind = crate::plan::devices::kind_of(Category::parse(cat));
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

pub fn val(f: &Option<census_shared::asset::Field<String>>) -> String {
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
