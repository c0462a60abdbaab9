//! CSV: one file per table of the layout (`07-licences.csv`), RFC 4180
//! quoting, UTF-8 with a byte-order mark so spreadsheet programs read the
//! accents. A cell starting with `=`, `+`, `-`, `@`, tab or carriage return
//! is prefixed with `'` so a spreadsheet shows it as text instead of
//! running it as a formula. Notes (paragraphs) are not tables and are not
//! written. The files go into a directory or, [`zipped`], into one zip
//! holding the same names and bytes.

use super::layout::{Block, Doc};
use chrono::{Datelike, NaiveDateTime, Timelike};
use std::io::{Cursor, Write};
use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

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

/// The files as one zip, flat (no directory), each entry dated
/// `modified` (zip dates have no zone; outside 1980–2107, 1980-01-01).
pub fn zipped(files: &[(String, String)], modified: NaiveDateTime) -> Result<Vec<u8>, ZipError> {
    let date = DateTime::from_date_and_time(
        u16::try_from(modified.year()).unwrap_or(0),
        modified.month() as u8,
        modified.day() as u8,
        modified.hour() as u8,
        modified.minute() as u8,
        modified.second() as u8,
    )
    .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(date);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in files {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn the_zip_holds_the_same_files_and_bytes() {
        let files = vec![
            ("01-a.csv".to_string(), "\u{feff}x,y\r\n".to_string()),
            ("02-b.csv".to_string(), "é,\"q\"\"\"\r\n".to_string()),
        ];
        let when = chrono::NaiveDate::from_ymd_opt(2026, 6, 1)
            .unwrap()
            .and_hms_opt(12, 30, 10)
            .unwrap();
        let bytes = super::zipped(&files, when).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(zip.len(), 2);
        for (i, (name, text)) in files.iter().enumerate() {
            let mut f = zip.by_index(i).unwrap();
            assert_eq!(f.name().unwrap(), name.as_str());
            let t = f.last_modified().unwrap();
            assert_eq!(
                (
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                ),
                (2026, 6, 1, 12, 30, 10)
            );
            let mut got = String::new();
            f.read_to_string(&mut got).unwrap();
            assert_eq!(&got, text);
        }
        let early = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert!(super::zipped(&files, early).is_ok());
    }

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
