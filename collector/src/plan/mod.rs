//! The recovery plan's inventory: the site facts people write ([`site`],
//! `site.toml`) joined with the merged assets and their observations into a
//! [`Plan`] ([`build`]), laid out once in Dutch or English ([`layout`],
//! texts from [`messages`]) and rendered as Markdown, HTML, CSV or JSON
//! ([`render`]), or as the bytes of an XLSX workbook ([`xlsx`]) or a DOCX
//! document ([`docx`]).
//!
//! Pure apart from [`site::load`]: loading assets from the store and
//! writing files is the CLI's (`plan_cli.rs`).

pub mod build;
pub mod csv;
pub(crate) mod devices;
pub mod docx;
mod eol;
mod findings;
pub mod html;
pub mod layout;
pub mod markdown;
pub mod messages;
pub mod model;
mod recovery;
pub mod site;
pub mod site_csv;
mod software;
mod words;
pub mod xlsx;

pub use build::{Inputs, build, default_communities};
use census_shared::site::SiteFacts;
pub use messages::Lang;
pub use model::Plan;

use std::str::FromStr;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Html,
    Csv,
    Json,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "md" => Ok(Format::Md),
            "html" => Ok(Format::Html),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            // XLSX and DOCX are binary files, written by `plan::xlsx` and
            // `plan::docx`, not text renderings.
            "xlsx" => Err("xlsx is a workbook file, not text: use plan::xlsx (the plan command writes it with --out FILE)".into()),
            "docx" => Err("docx is a Word document file, not text: use plan::docx (the plan command writes it with --out FILE)".into()),
            _ => Err(format!("{s:?} is not a format (md, html, csv or json)")),
        }
    }
}

/// A rendered plan: one document, or files (CSV) to write into a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    Document(String),
    Files(Vec<(String, String)>),
}

/// Put the licence keys the site file holds into the plan (the licences
/// table gets a key column, the JSON a `key` per licence). Without this,
/// as [`build`] leaves it, no key is in the plan, so none is in any format.
pub fn show_licence_keys(plan: &mut Plan, site: &SiteFacts) {
    if let Some(l) = &site.licences {
        software::show_keys(&mut plan.licences, &l.items);
    }
}

/// Render a plan.
pub fn render(plan: &Plan, format: Format, lang: Lang) -> Rendered {
    match format {
        Format::Json => {
            Rendered::Document(serde_json::to_string_pretty(plan).expect("plans serialise") + "\n")
        }
        Format::Md => Rendered::Document(markdown::render(&layout::layout(plan, lang))),
        Format::Html => Rendered::Document(html::render(&layout::layout(plan, lang))),
        Format::Csv => Rendered::Files(csv::render(&layout::layout(plan, lang))),
    }
}

#[cfg(test)]
mod json_doc_tests;
#[cfg(test)]
mod tests;
