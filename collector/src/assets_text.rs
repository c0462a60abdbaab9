//! The human-readable forms of assets for the `assets` and `changes`
//! commands: the list table, one asset with every field's provenance, an
//! explanation, and one line per event. Text only: the JSON forms are the
//! shared types' own serialisation, and nothing here reads the store.

use census_shared::asset::{
    Asset, Category, Event, EventKind, Field, IdOrigin, JoinBasis, MergeExplanation, SourceKind,
};
use std::fmt::Display;

fn opt<T: Display>(f: &Option<Field<T>>) -> String {
    f.as_ref()
        .map(|f| f.value.to_string())
        .unwrap_or_else(|| "-".into())
}

pub fn print_list(list: &[Asset]) {
    println!(
        "{:<16}  {:<20}  {:<24}  {:<18}  {:<17}  {:<7}  SOURCE",
        "ID", "CATEGORY", "NAME", "IP", "MAC", "STATUS"
    );
    for a in list {
        let category = a
            .category
            .as_ref()
            .map_or("-", |c| c.value.as_str())
            .to_string();
        let source = if !a.agent_ids.is_empty() {
            "agent"
        } else if a.unknown {
            "UNKNOWN (no agent)"
        } else {
            "-"
        };
        println!(
            "{:<16}  {:<20}  {:<24}  {:<18}  {:<17}  {:<7}  {source}",
            a.id.0,
            category,
            opt(&a.name),
            a.ips.first().map_or("-".into(), |f| f.value.to_string()),
            a.macs.first().map_or("-".into(), |f| f.value.to_string()),
            format!("{:?}", a.status).to_lowercase(),
        );
    }
}

/// `agent`, `snmp`, … as in JSON.
fn source_name(s: SourceKind) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn prov<T>(f: &Field<T>) -> String {
    let p = &f.provenance;
    format!(
        "[{} {} {}]",
        source_name(p.source),
        p.observation,
        p.at.format("%Y-%m-%d %H:%M")
    )
}

pub fn print_asset(a: &Asset) {
    println!("asset {}", a.id);
    let one = |label: &str, v: Option<(String, String)>| match v {
        Some((v, p)) => println!("  {label:<12} {v}  {p}"),
        None => println!("  {label:<12} -"),
    };
    let f = |f: &Option<Field<String>>| f.as_ref().map(|x| (x.value.clone(), prov(x)));
    one(
        "category",
        a.category
            .as_ref()
            .map(|c| (c.value.as_str().to_string(), prov(c))),
    );
    for (label, field) in [
        ("name", &a.name),
        ("vendor", &a.vendor),
        ("model", &a.model),
        ("serial", &a.serial),
        ("uuid", &a.uuid),
        ("os", &a.os),
        ("department", &a.department),
        ("owner", &a.owner),
        ("criticality", &a.criticality),
        ("location", &a.location),
        ("notes", &a.notes),
    ] {
        one(label, f(field));
    }
    let agents = if a.agent_ids.is_empty() {
        "- (no agent: unknown device)".to_string()
    } else {
        a.agent_ids.join(", ")
    };
    println!("  {:<12} {agents}", "agents");
    for m in &a.macs {
        println!("  {:<12} {}  {}", "mac", m.value, prov(m));
    }
    for i in &a.ips {
        println!("  {:<12} {}  {}", "ip", i.value, prov(i));
    }
    for n in &a.names {
        println!("  {:<12} {}  {}", "also named", n.value, prov(n));
    }
    println!(
        "  {:<12} {}",
        "status",
        format!("{:?}", a.status).to_lowercase()
    );
    println!("  {:<12} {}", "first seen", a.first_seen.to_rfc3339());
    println!("  {:<12} {}", "last seen", a.last_seen.to_rfc3339());
}

pub fn print_explanation(a: &Asset, e: &MergeExplanation) {
    println!("asset {} ({})", a.id, opt(&a.name));
    let origin = match &e.id_origin {
        IdOrigin::Reused { key } => format!("reused: {key} belonged to it before"),
        IdOrigin::PersonMerge => "kept by a person's merge".into(),
        IdOrigin::New { key } => format!("new, derived from {key}"),
        IdOrigin::Carried => "not observed in this run: kept as it was".into(),
    };
    println!("id: {origin}");
    println!("observations ({}):", e.observations.len());
    for o in &e.observations {
        println!("  {o}");
    }
    if !e.joins.is_empty() {
        println!("merged:");
    }
    for j in &e.joins {
        match &j.basis {
            JoinBasis::Key { key } => println!("  {} + {}  by {key}", j.a, j.b),
            JoinBasis::PersonMerge { decision } => {
                println!("  {} + {}  by a person (decision {decision})", j.a, j.b)
            }
        }
    }
    if !e.refused.is_empty() {
        println!("not merged:");
    }
    for r in &e.refused {
        println!("  {} + {}  share {}: {}", r.a, r.b, r.key, r.reason);
    }
    if !e.ignored.is_empty() {
        println!("not used as identity:");
    }
    for i in &e.ignored {
        println!("  {}: {} ({})", i.observation, i.value, i.reason);
    }
}

/// One event in words.
pub fn describe(e: &Event) -> String {
    let what = |c: &Option<Category>, n: &Option<String>| {
        format!(
            "{} {}",
            c.map_or("uncategorised", |c| c.as_str()),
            n.as_deref().unwrap_or("(no name)")
        )
    };
    let v = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    match &e.kind {
        EventKind::NewAsset { category, name } => format!("new asset: {}", what(category, name)),
        EventKind::NewUnknownDevice { category, name } => format!(
            "NEW UNKNOWN DEVICE (nobody enrolled it): {}",
            what(category, name)
        ),
        EventKind::FieldChanged {
            field,
            old,
            new,
            source,
        } => format!(
            "{field}: {} -> {} ({})",
            v(old),
            v(new),
            source_name(*source)
        ),
        EventKind::NotSeen { last_seen } => {
            format!("not seen since {}", last_seen.format("%Y-%m-%d %H:%M"))
        }
        EventKind::Reappeared => "seen again".into(),
        EventKind::Absorbed { into } => format!("merged into {into} (this id is retired)"),
    }
}
