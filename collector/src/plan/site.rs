//! Loading `site.toml`: read, parse into [`SiteFacts`], run its semantic
//! checks, and say what is wrong with file, line, column and field
//! (`site.toml:12:1: processes.departments[0].systems[0].priority: …`).
//! toml gives the span of a syntax or type error; for a semantic issue the
//! field's path is looked up in toml's spanned document to find the line of
//! the offending key. Every problem is reported, not only the first.
//!
//! [`load`] also reads the CSV file of mobile devices the site file may
//! name (`site_csv.rs`). It does not decide what is missing (that is the
//! plan's "To complete").

use super::site_csv;
use census_shared::site::{PathSeg, SiteFacts};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// One problem in the site file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteProblem {
    pub file: PathBuf,
    /// 1-based; 0 when the position is unknown.
    pub line: usize,
    pub column: usize,
    /// The field's path (`team.members[1].roles`), when known.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for SiteProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file.display(), self.line, self.column)?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Why the site file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("cannot read the site file {}: {source}", file.display())]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", list(.0))]
    Invalid(Vec<SiteProblem>),
}

fn list(problems: &[SiteProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    lines.join("\n")
}

/// Read and check a site file, and the CSV file of mobile devices it
/// names (`[mobile] csv`, relative to the site file), merged into
/// `mobile.devices` ([`site_csv::merge`]).
pub fn load(file: &Path) -> Result<SiteFacts, SiteError> {
    let text = std::fs::read_to_string(file).map_err(|source| SiteError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    let mut facts = parse(&text, file)?;
    if let Some(mobile) = facts.mobile.as_mut()
        && let Some(name) = mobile.csv.clone()
    {
        let csv = file.parent().unwrap_or(Path::new("")).join(name);
        let rows = site_csv::load(&csv).map_err(|e| match e {
            SiteError::Read { file: csv, source } => {
                let path = [PathSeg::Key("mobile"), PathSeg::Key("csv")];
                let doc = DeTable::parse(&text).ok();
                let span = doc.as_ref().and_then(|d| span_of(d.get_ref(), &path));
                let (line, column) = span.map_or((0, 0), |s| line_col(&text, s.start));
                SiteError::Invalid(vec![SiteProblem {
                    file: file.to_path_buf(),
                    line,
                    column,
                    field: Some("mobile.csv".into()),
                    message: format!("cannot read {}: {source}", csv.display()),
                }])
            }
            e => e,
        })?;
        site_csv::merge(&mut mobile.devices, rows);
    }
    Ok(facts)
}

/// Parse and check site facts; `file` only names them in errors.
pub fn parse(text: &str, file: &Path) -> Result<SiteFacts, SiteError> {
    let doc = DeTable::parse(text).ok();
    let problem = |span: Option<Range<usize>>, field: Option<String>, message: String| {
        let (line, column) = span.map_or((0, 0), |s| line_col(text, s.start));
        SiteProblem {
            file: file.to_path_buf(),
            line,
            column,
            field,
            message,
        }
    };
    let facts: SiteFacts = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let field = match (&doc, e.span()) {
                (Some(doc), Some(span)) => path_at(doc.get_ref(), span.start),
                _ => None,
            };
            let message = e.message().trim().to_string();
            return Err(SiteError::Invalid(vec![problem(e.span(), field, message)]));
        }
    };
    let issues = facts.check();
    if issues.is_empty() {
        return Ok(facts);
    }
    Err(SiteError::Invalid(
        issues
            .into_iter()
            .map(|i| {
                let span = doc.as_ref().and_then(|d| span_of(d.get_ref(), &i.path));
                problem(span, Some(i.field()), i.message)
            })
            .collect(),
    ))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn entry<'a, 'i>(
    table: &'a DeTable<'i>,
    key: &str,
) -> Option<(
    &'a toml::Spanned<toml::de::DeString<'i>>,
    &'a toml::Spanned<DeValue<'i>>,
)> {
    table.iter().find(|(k, _)| k.get_ref().as_ref() == key)
}

/// The span of the key (or array element) a path names.
fn span_of(table: &DeTable<'_>, path: &[PathSeg]) -> Option<Range<usize>> {
    let mut value: Option<&DeValue<'_>> = None;
    let mut span = None;
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                let t = match value {
                    None => table,
                    Some(DeValue::Table(t)) => t,
                    _ => return span,
                };
                let (key, v) = entry(t, k)?;
                span = Some(key.span());
                value = Some(v.get_ref());
            }
            PathSeg::Index(i) => {
                let Some(DeValue::Array(a)) = value else {
                    return span;
                };
                let v = a.get(*i)?;
                span = Some(v.span());
                value = Some(v.get_ref());
            }
        }
    }
    span
}

/// The path of the innermost field whose key or value holds `offset`.
fn path_at(table: &DeTable<'_>, offset: usize) -> Option<String> {
    fn walk(table: &DeTable<'_>, offset: usize, path: &mut String) -> bool {
        for (k, v) in table.iter() {
            let (ks, vs) = (k.span(), v.span());
            // Tables of arrays ([[x]]) have value spans of their headers only.
            let inside =
                ks.contains(&offset) || vs.contains(&offset) || contains(v.get_ref(), offset);
            if !inside {
                continue;
            }
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(k.get_ref());
            descend(v.get_ref(), offset, path);
            return true;
        }
        false
    }
    fn descend(v: &DeValue<'_>, offset: usize, path: &mut String) {
        match v {
            DeValue::Table(t) => {
                walk(t, offset, path);
            }
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    if item.span().contains(&offset) || contains(item.get_ref(), offset) {
                        path.push_str(&format!("[{i}]"));
                        descend(item.get_ref(), offset, path);
                        return;
                    }
                }
            }
            _ => {}
        }
    }
    fn contains(v: &DeValue<'_>, offset: usize) -> bool {
        match v {
            DeValue::Table(t) => t.iter().any(|(k, v)| {
                k.span().contains(&offset)
                    || v.span().contains(&offset)
                    || contains(v.get_ref(), offset)
            }),
            DeValue::Array(a) => a
                .iter()
                .any(|i| i.span().contains(&offset) || contains(i.get_ref(), offset)),
            _ => false,
        }
    }
    let mut path = String::new();
    walk(table, offset, &mut path).then_some(path)
}

#[cfg(test)]
#[path = "site_tests.rs"]
mod tests;
