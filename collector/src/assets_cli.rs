//! `census-collector assets …` and `census-collector changes`: the shell
//! over [`crate::assets`] — list, show (every field with its provenance),
//! explain (which observations were merged by which key, which joins were
//! refused and why), a person's corrections (`merge`, `split`, `set`, each
//! stored as a decision and applied at once by a recomputation) and the
//! change history, as text or JSON.
//!
//! Text forms are `assets_text.rs`. It decides nothing itself: bad input
//! is refused here only when it can be named without the engine (field
//! names, categories); everything else is the engine's `DecisionError`,
//! said in words.

use crate::assets::{self, AssetsError, Summary};
use crate::assets_text;
use crate::config::Config;
use crate::merge::{merge_decision, set_decision, split_decision};
use crate::store::Store;
use anyhow::{Context, Result, bail};
use census_shared::asset::{Asset, AssetId, Category, EventKind, FieldName, ObservationId};
use census_shared::duration::parse_duration;
use std::io::IsTerminal;

/// `assets` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum AssetsCmd {
    /// List assets (one per real thing), by category.
    List {
        /// Only this category (office_pc, laptop, server, printer, …).
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every field of an asset with where it came from.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Which observations form an asset, joined by which key; refused joins.
    Explain {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Take an observation (and whatever is identified like it) out of an asset.
    Split {
        id: String,
        /// The observation, as `assets explain` lists it (report:…, scan:…).
        #[arg(long)]
        observation: String,
    },
    /// Declare two assets one thing; the first keeps its id.
    Merge {
        /// The asset that stays.
        into: String,
        /// The asset merged into it (its id is retired).
        from: String,
    },
    /// Set a field (category, name, vendor, model, serial, os, department,
    /// owner, criticality, location, notes); a person's value wins.
    Set {
        /// The asset id (a-…).
        id: String,
        /// The field's name.
        field: String,
        /// The value; leave out with --clear to take a person's value away.
        #[arg(required_unless_present = "clear")]
        value: Option<String>,
        /// Take the person's value away (the observed one shows again).
        #[arg(long, conflicts_with = "value")]
        clear: bool,
    },
    /// Recompute every asset now (serve does this after scans and reports).
    Recompute,
}

fn valid_categories() -> String {
    Category::ALL.map(|c| c.as_str()).join(", ")
}

fn no_asset(id: &str) -> anyhow::Error {
    anyhow::anyhow!("no asset {id:?} (see `census-collector assets list`)")
}

/// A stored asset, or an error naming the id (and where a retired id went).
async fn stored(
    store: &dyn Store,
    id: &str,
) -> Result<(Asset, Option<census_shared::asset::MergeExplanation>)> {
    if let Some(found) = store.asset(AssetId(id.into())).await? {
        return Ok(found);
    }
    let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let into = store
        .events_since(epoch)
        .await?
        .into_iter()
        .rev()
        .find_map(|e| match e.kind {
            EventKind::Absorbed { into } if e.asset.0 == id => Some(into),
            _ => None,
        });
    match into {
        Some(into) => bail!("asset {id:?} was merged into {into} (see `assets show {into}`)"),
        None => Err(no_asset(id)),
    }
}

/// The engine's refusals, with a hint where one helps.
fn said(e: AssetsError) -> anyhow::Error {
    match e {
        AssetsError::Decision(crate::merge::DecisionError::UnknownAsset(id)) => no_asset(&id.0),
        AssetsError::Decision(d @ crate::merge::DecisionError::NotInAsset { .. }) => {
            anyhow::anyhow!("{d} (see `census-collector assets explain`)")
        }
        other => anyhow::Error::new(other),
    }
}

fn applied(what: &str, s: &Summary) {
    eprintln!(
        "{what}; assets recomputed: {} assets from {} observations, {} events",
        s.assets, s.observations, s.events
    );
}

/// Run an `assets` subcommand.
pub async fn run(cfg: Config, cmd: AssetsCmd) -> Result<()> {
    let store = crate::serve::open_store(&cfg).await?;
    let result = run_with(store.as_ref(), cmd).await;
    store.close().await;
    result
}

async fn run_with(store: &dyn Store, cmd: AssetsCmd) -> Result<()> {
    match cmd {
        AssetsCmd::List { category, json } => {
            let only = match category {
                Some(c) => match Category::parse(&c) {
                    Some(c) => Some(c),
                    None => bail!("{c:?} is not a category (one of: {})", valid_categories()),
                },
                None => None,
            };
            let (previous, _) = store.previous_assets().await?;
            let mut list: Vec<Asset> = previous
                .assets
                .into_iter()
                .filter(|a| only.is_none_or(|c| a.category_or_other() == c))
                .collect();
            list.sort_by(|a, b| {
                (
                    a.category_or_other(),
                    &a.name.as_ref().map(|n| &n.value),
                    &a.id,
                )
                    .cmp(&(
                        b.category_or_other(),
                        &b.name.as_ref().map(|n| &n.value),
                        &b.id,
                    ))
            });
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                assets_text::print_list(&list);
            }
        }
        AssetsCmd::Show { id, json } => {
            let (asset, _) = stored(store, &id).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&asset)?);
            } else {
                assets_text::print_asset(&asset);
            }
        }
        AssetsCmd::Explain { id, json } => {
            let (asset, explanation) = stored(store, &id).await?;
            let e = explanation.with_context(|| format!("no explanation stored for {id}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                assets_text::print_explanation(&asset, &e);
            }
        }
        AssetsCmd::Split { id, observation } => {
            let (asset, obs) = (AssetId(id), ObservationId(observation));
            let (d, s) = assets::decide(store, |res, did, at| {
                split_decision(res, &asset, &obs, did, at)
            })
            .await
            .map_err(said)?;
            applied(
                &format!("{obs} split out of {asset} (decision {})", d.id),
                &s,
            );
        }
        AssetsCmd::Merge { into, from } => {
            let (into, from) = (AssetId(into), AssetId(from));
            let (d, s) = assets::decide(store, |res, did, at| {
                merge_decision(res, &into, &from, did, at)
            })
            .await
            .map_err(said)?;
            applied(
                &format!("{from} merged into {into} (decision {})", d.id),
                &s,
            );
        }
        AssetsCmd::Set {
            id,
            field,
            value,
            clear,
        } => {
            let name = FieldName::parse(&field).with_context(|| {
                let known: Vec<&str> = FieldName::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "{field:?} is not a field a person can set (one of: {})",
                    known.join(", ")
                )
            })?;
            let value = if clear { None } else { value };
            let asset = AssetId(id);
            let (d, s) = assets::decide(store, |res, did, at| {
                set_decision(res, &asset, name, value.clone(), did, at)
            })
            .await
            .map_err(said)?;
            let what = match &value {
                Some(v) => format!("{asset} {field} set to {v:?} (decision {})", d.id),
                None => format!(
                    "{asset} {field}: a person's value cleared (decision {})",
                    d.id
                ),
            };
            applied(&what, &s);
        }
        AssetsCmd::Recompute => {
            let s = assets::recompute(store).await.map_err(said)?;
            println!("{}", serde_json::to_string(&s)?);
        }
    }
    Ok(())
}

/// `census-collector changes [--since 7d] [--json]`.
pub async fn changes(cfg: Config, since: &str, json: bool) -> Result<()> {
    let d = parse_duration(since).with_context(|| format!("--since {since:?}"))?;
    let from = chrono::Utc::now() - chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
    let store = crate::serve::open_store(&cfg).await?;
    let events = store.events_since(from).await;
    store.close().await;
    let events = events?;
    if json {
        println!("{}", serde_json::to_string_pretty(&events)?);
        return Ok(());
    }
    if events.is_empty() {
        println!("no changes in the last {since}");
    }
    let bold = std::io::stdout().is_terminal();
    for e in &events {
        let line = assets_text::describe(e);
        let at = e.at.format("%Y-%m-%d %H:%M");
        if matches!(e.kind, EventKind::NewUnknownDevice { .. }) {
            let (on, off) = if bold {
                ("\x1b[1;31m", "\x1b[0m")
            } else {
                ("", "")
            };
            println!("{on}{at}  {}  !! {line}{off}", e.asset);
        } else {
            println!("{at}  {}  {line}", e.asset);
        }
    }
    Ok(())
}
