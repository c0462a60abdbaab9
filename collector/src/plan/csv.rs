//! CSV: one file per table of the layout (`07-licences.csv`), RFC 4180
//! quoting, UTF-8 with a byte-order mark so spreadsheet programs read the
//! accents. A cell starting with `=`, `+`, `-`, `@`, tab or carriage return
//! is prefixed with `'` so a spreadsheet shows it as text instead of
//! running it as a formula. Notes (paragraphs) are not tables and are not
//! written. Writing a directory, not a zip: a zip needs a dependency this
//! slice does not take.

use super::layout::{Block, Doc};

/// Neutralise a cell against formula injection.
pub fn neutralise(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Quote a cell when it needs it.
fn cell(s: &str) -> String {
    let s = neutralise(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// (file name, contents) for every table.
pub fn render(doc: &Doc) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for s in &doc.sections {
        for b in &s.blocks {
            let Block::Table(t) = b else { continue };
            let mut out = String::from("\u{feff}");
            for r in std::iter::once(&t.headers).chain(&t.rows) {
                let v: Vec<String> = r.iter().map(|c| cell(c)).collect();
                out.push_str(&v.join(","));
                out.push_str("\r\n");
            }
            files.push((format!("{:02}-{}.csv", s.number, t.id), out));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_neutralised_and_cells_quoted() {
        assert_eq!(
            super::cell("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(super::cell("-1+2"), "'-1+2");
        assert_eq!(super::cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::cell("a,b"), "\"a,b\"");
        assert_eq!(super::cell("plain"), "plain");
    }
}
