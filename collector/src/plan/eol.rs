//! When an operating system stops getting security updates, from the table
//! in `collector/data/eol_os.toml` (compiled in; its header documents the
//! format and its sources). [`support_end`] finds the first rule whose
//! names match what an agent or a scan says of a machine's system (an
//! os-release ID, or a name found as whole words), then its version, and
//! gives the last day of support.
//!
//! Pure: no clock here. Comparing with the plan's date, and preferring an
//! agent's own `SUPPORT_END`, is `findings.rs`'s.

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use toml::value::Datetime;

/// The table's text.
pub const DATA: &str = include_str!("../../data/eol_os.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    os: Vec<Spec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    name: String,
    #[serde(rename = "match")]
    matches: Vec<String>,
    end: Option<Datetime>,
    #[serde(default)]
    ends: BTreeMap<String, Datetime>,
    before: Option<Before>,
    /// Read by the unit tests, which run every example.
    #[serde(default)]
    #[cfg_attr(not(test), allow(dead_code))]
    examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Before {
    version: String,
    end: Datetime,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(not(test), allow(dead_code))]
struct Example {
    os: String,
    end: Option<Datetime>,
}

/// A version as parts: `20.04.6` → 20, 4, 6; `23H2` → "23h2".
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Num(u64),
    Text(String),
}

fn parts(v: &str) -> Vec<Part> {
    v.trim()
        .to_lowercase()
        .split('.')
        .map(|p| {
            p.parse()
                .map_or_else(|_| Part::Text(p.to_string()), Part::Num)
        })
        .collect()
}

/// `pattern` is a prefix of `v` (10 covers 10, 10.13; 23H2 only 23H2).
fn covers(pattern: &[Part], v: &[Part]) -> bool {
    v.len() >= pattern.len() && v.iter().zip(pattern).all(|(a, b)| a == b)
}

/// `v` is numerically older than `pattern`, compared on as many parts.
fn older(v: &[Part], pattern: &[Part]) -> bool {
    let num = |p: &[Part]| -> Option<Vec<u64>> {
        p.iter()
            .map(|x| match x {
                Part::Num(n) => Some(*n),
                Part::Text(_) => None,
            })
            .collect()
    };
    let n = pattern.len().min(v.len());
    matches!((num(&v[..n]), num(&pattern[..n])), (Some(a), Some(b)) if a < b)
}

/// One block of the table, compiled.
struct Rule {
    /// Lower case.
    matches: Vec<String>,
    end: Option<NaiveDate>,
    ends: Vec<(Vec<Part>, NaiveDate)>,
    before: Option<(Vec<Part>, NaiveDate)>,
}

fn date(d: &Datetime, rule: &str) -> NaiveDate {
    let day = d
        .date
        .filter(|_| d.time.is_none())
        .and_then(|x| NaiveDate::from_ymd_opt(x.year.into(), x.month.into(), x.day.into()));
    day.unwrap_or_else(|| panic!("eol_os.toml: {rule}: {d} is not a date"))
}

static TABLE: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let spec: FileSpec = toml::from_str(DATA).unwrap_or_else(|e| panic!("eol_os.toml: {e}"));
    spec.os
        .iter()
        .map(|s| Rule {
            matches: s.matches.iter().map(|m| m.to_lowercase()).collect(),
            end: s.end.as_ref().map(|d| date(d, &s.name)),
            ends: s
                .ends
                .iter()
                .map(|(v, d)| (parts(v), date(d, &s.name)))
                .collect(),
            before: s
                .before
                .as_ref()
                .map(|b| (parts(&b.version), date(&b.end, &s.name))),
        })
        .collect()
});

/// What is known of a machine's operating system.
#[derive(Debug, Default)]
pub struct OsSeen<'a> {
    /// os-release `ID` (`debian`, `rhel`).
    pub id: Option<&'a str>,
    /// The version the agent reports (`10`, `22.04`, `23H2`).
    pub version: Option<&'a str>,
    /// The build or codename the agent reports.
    pub build: Option<&'a str>,
    /// Names as reported: the agent's pretty name and name, the asset's OS.
    pub names: Vec<&'a str>,
}

/// Where `phrase` (lower case) occurs in `text` (lower case) as whole
/// words, the rest of the text after it; `8` is not found in `8.1`.
fn after<'t>(text: &'t str, phrase: &str) -> Option<&'t str> {
    text.match_indices(phrase).find_map(|(i, _)| {
        let before_ok = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let rest = &text[i + phrase.len()..];
        let mut next = rest.chars();
        let after_ok = match next.next() {
            None => true,
            Some('.') => !next.next().is_some_and(|c| c.is_ascii_digit()),
            Some(c) => !c.is_alphanumeric(),
        };
        (before_ok && after_ok).then_some(rest)
    })
}

/// The first word starting with a digit (`10`, `7.9`, `23H2`), trimmed of
/// punctuation after it.
fn version_in(rest: &str) -> Option<&str> {
    rest.split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()))
}

impl Rule {
    /// The versions to look up when this rule matches `os`: the agent's
    /// version and build, then those found after the matched names.
    fn versions<'a>(&self, os: &OsSeen<'a>, names: &'a [String]) -> Option<Vec<&'a str>> {
        let by_id = os
            .id
            .is_some_and(|id| self.matches.iter().any(|m| m.eq_ignore_ascii_case(id)));
        let found: Vec<&str> = names
            .iter()
            .flat_map(|n| self.matches.iter().filter_map(|m| after(n, m)))
            .collect();
        if !by_id && found.is_empty() {
            return None;
        }
        let mut v: Vec<&str> = os.version.into_iter().chain(os.build).collect();
        v.extend(found.into_iter().filter_map(version_in));
        Some(v)
    }

    fn end_for(&self, versions: &[&str]) -> Option<NaiveDate> {
        if self.end.is_some() {
            return self.end;
        }
        let versions: Vec<Vec<Part>> = versions.iter().map(|v| parts(v)).collect();
        let exact = versions
            .iter()
            .find_map(|v| self.ends.iter().find(|(p, _)| covers(p, v)).map(|e| e.1));
        exact.or_else(|| {
            let (p, end) = self.before.as_ref()?;
            versions.iter().any(|v| older(v, p)).then_some(*end)
        })
    }
}

/// The last day `os` is supported, when the table knows it; `None` for a
/// system or version it does not list (unknown is not a risk).
pub fn support_end(os: &OsSeen) -> Option<NaiveDate> {
    let names: Vec<String> = os.names.iter().map(|n| n.to_lowercase()).collect();
    TABLE
        .iter()
        .find_map(|rule| rule.versions(os, &names).map(|v| (rule, v)))
        .and_then(|(rule, versions)| rule.end_for(&versions))
}

#[cfg(test)]
#[path = "eol_tests.rs"]
mod tests;
