//! Mobile phones and tablets from a CSV file (`[mobile] csv = "…"` in
//! `site.toml`), as a provider's or MDM portal's export or a spreadsheet
//! saves it: RFC 4180 quoting (fields in `"…"` may hold separators, line
//! breaks and doubled quotes), a UTF-8 byte-order mark or none, UTF-8 or
//! Windows-1252 text (what Excel's plain "CSV" writes), `,`, `;` (Dutch
//! Excel) or tab as the separator, chosen by counting them in the header.
//!
//! Columns are found by their header, in Dutch or English, ignoring case
//! and punctuation ([`COLUMNS`]); other columns are ignored, so an export
//! can be used as it is. Only the type column is required. Every problem is
//! reported with file, line, column number and header, as `site.toml`'s are.
//! [`merge`] joins the rows with the site file's own devices. No I/O but
//! [`load`]'s read; no file is written.

use super::site::{SiteError, SiteProblem};
use census_shared::site::{MobileDevice, MobileKind};
use std::path::Path;

/// The fields of a device a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Kind,
    User,
    Make,
    Model,
    Number,
    Imei,
    Serial,
    Mdm,
    PinLocation,
}

/// Accepted headers per field (`|` between them), as [`norm`] leaves them.
const COLUMNS: [(Col, &str); 9] = [
    (
        Col::Kind,
        "type|soort|kind|device type|soort apparaat|apparaatsoort",
    ),
    (
        Col::User,
        "user|gebruiker|user name|gebruikersnaam|medewerker|employee",
    ),
    (Col::Make, "make|merk|brand|manufacturer|fabrikant"),
    (Col::Model, "model|toestel|device model"),
    (
        Col::Number,
        "number|nummer|phone number|telefoonnummer|mobile number|mobiel nummer|msisdn",
    ),
    (Col::Imei, "imei|imei number|imei nummer"),
    (Col::Serial, "serial|serienummer|serial number"),
    (Col::Mdm, "mdm|managed by|beheerd door"),
    (
        Col::PinLocation,
        "pin location|pin locatie|pin puk|pin puk location|pin puk locatie",
    ),
];

/// A header or value compared: lower case, punctuation as spaces, spaces
/// collapsed (`PIN/PUK-locatie` → `pin puk locatie`).
fn norm(s: &str) -> String {
    let spaced: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn kind(value: &str) -> Option<MobileKind> {
    match norm(value).as_str() {
        "phone" | "mobile phone" | "mobile" | "smartphone" | "telephone" | "telefoon"
        | "mobiel" | "mobiele telefoon" | "gsm" => Some(MobileKind::Phone),
        "tablet" | "ipad" => Some(MobileKind::Tablet),
        _ => None,
    }
}

/// One field and where it starts.
struct Cell {
    text: String,
    line: usize,
}

/// A problem before the file's name is attached: line, column, message.
type Bad = (usize, usize, String);

/// Split into records of fields (RFC 4180, lenient about line endings);
/// `line` is the number of the text's first line.
fn records(text: &str, sep: char, mut line: usize) -> Result<Vec<Vec<Cell>>, Bad> {
    let (mut out, mut record) = (Vec::new(), Vec::new());
    let (mut field, mut start) = (String::new(), line);
    // `quoted`: the field began with a quote; `open`: inside the quotes.
    let (mut quoted, mut open) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if open {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => open = false,
                '\r' if chars.peek() == Some(&'\n') => {}
                _ => {
                    line += usize::from(c == '\n');
                    field.push(c);
                }
            }
            continue;
        }
        let column = record.len() + 1;
        if c == sep || c == '\n' || c == '\r' {
            record.push(Cell {
                text: std::mem::take(&mut field),
                line: start,
            });
            quoted = false;
            if c != sep {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(std::mem::take(&mut record));
                line += 1;
            }
            start = line;
        } else if c == '"' && !quoted && field.trim().is_empty() {
            (quoted, open) = (true, true);
            field.clear();
        } else if quoted && !c.is_whitespace() {
            return Err((line, column, "text after a closing quote".into()));
        } else if c == '"' {
            let msg = "a quote inside a field that does not start with one (quote the whole field and double the quotes inside it)";
            return Err((line, column, msg.into()));
        } else if !quoted {
            field.push(c);
        }
    }
    if open {
        let msg = "the quote that opens this field is never closed";
        return Err((start, record.len() + 1, msg.into()));
    }
    if !field.is_empty() || !record.is_empty() || quoted {
        record.push(Cell {
            text: field,
            line: start,
        });
        out.push(record);
    }
    Ok(out)
}

/// The separator and the text from the header on: Excel's `sep=;` line
/// when there is one, else the one the header line uses most of `;`, tab
/// and `,` (the default).
fn separator(text: &str) -> (char, &str, usize) {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let mut declared = first.trim_end().chars();
    if first
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("sep="))
        && let (Some(c), None) = (declared.nth(4), declared.next())
    {
        return (c, rest, 2);
    }
    let count = |c| first.matches(c).count();
    let sep = [';', '\t', ',']
        .into_iter()
        .max_by_key(|&c| (count(c), c == ','))
        .filter(|&c| count(c) > 0)
        .unwrap_or(',');
    (sep, text, 1)
}

/// Bytes as text: UTF-8 (without its byte-order mark), else Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    // 0x80–0x9F of Windows-1252; the rest is Latin-1.
    const HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8d}Ž\u{8f}\u{90}‘’“”•–—˜™š›œ\u{9d}žŸ";
    let high: Vec<char> = HIGH.chars().collect();
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => high[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Parse the devices of a CSV text; `file` only names it in problems.
pub fn parse(text: &str, file: &Path) -> Result<Vec<MobileDevice>, Vec<SiteProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let problem = |line, column, field: Option<&str>, message: String| SiteProblem {
        file: file.to_path_buf(),
        line,
        column,
        field: field.map(str::to_string),
        message,
    };
    let (sep, text, first_line) = separator(text);
    let rows = records(text, sep, first_line)
        .map_err(|(line, col, msg)| vec![problem(line, col, None, msg)])?;
    let Some((header, rows)) = rows.split_first() else {
        let msg = "empty: the first line must name the columns".to_string();
        return Err(vec![problem(first_line, 1, None, msg)]);
    };
    let mut problems = Vec::new();
    let mut cols: Vec<Option<Col>> = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        let name = norm(&cell.text);
        let col = COLUMNS
            .iter()
            .find(|(_, names)| names.split('|').any(|n| n == name))
            .map(|(c, _)| *c);
        if let Some(j) = col.and_then(|c| cols.iter().position(|x| *x == Some(c))) {
            let msg = format!("the same column as column {} ({:?})", j + 1, header[j].text);
            problems.push(problem(cell.line, i + 1, Some(&cell.text), msg));
        }
        cols.push(col);
    }
    if !cols.contains(&Some(Col::Kind)) {
        let msg = "no column named \"type\" or \"soort\" (phone or tablet on each row)".to_string();
        problems.push(problem(first_line, 0, None, msg));
    }
    let mut devices = Vec::new();
    for row in rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.text.trim().is_empty()))
    {
        let mut d = MobileDevice {
            kind: MobileKind::Phone,
            user: None,
            make: None,
            model: None,
            number: None,
            imei: None,
            serial: None,
            mdm: None,
            pin_location: None,
        };
        let mut has_kind = false;
        for (i, cell) in row.iter().enumerate() {
            let value = cell.text.trim();
            let Some(col) = cols.get(i) else {
                if !value.is_empty() {
                    let msg = format!("more fields than the header's {} columns", cols.len());
                    problems.push(problem(cell.line, i + 1, None, msg));
                }
                continue;
            };
            let header = Some(header[i].text.as_str());
            let value = (!value.is_empty()).then(|| value.to_string());
            if matches!(col, Some(Col::Number | Col::Imei | Col::Serial))
                && value.as_deref().is_some_and(excel_number)
            {
                let msg = format!(
                    "{:?} is a number the spreadsheet rounded: format the column as text and export again",
                    value.unwrap_or_default()
                );
                problems.push(problem(cell.line, i + 1, header, msg));
                continue;
            }
            match col {
                Some(Col::Kind) => match value.as_deref().map(kind) {
                    Some(Some(k)) => (d.kind, has_kind) = (k, true),
                    Some(None) => {
                        let msg = format!(
                            "{:?} is not a phone or tablet (phone, telefoon, smartphone, tablet)",
                            cell.text.trim()
                        );
                        problems.push(problem(cell.line, i + 1, header, msg));
                        has_kind = true;
                    }
                    None => {}
                },
                Some(Col::User) => d.user = value,
                Some(Col::Make) => d.make = value,
                Some(Col::Model) => d.model = value,
                Some(Col::Number) => d.number = value,
                Some(Col::Imei) => d.imei = value,
                Some(Col::Serial) => d.serial = value,
                Some(Col::Mdm) => d.mdm = value,
                Some(Col::PinLocation) => d.pin_location = value,
                None => {}
            }
        }
        if !has_kind && let Some(i) = cols.iter().position(|c| *c == Some(Col::Kind)) {
            let msg = "empty: phone or tablet".to_string();
            let line = row.first().map_or(0, |c| c.line);
            problems.push(problem(line, i + 1, Some(&header[i].text), msg));
        }
        devices.push(d);
    }
    if problems.is_empty() {
        Ok(devices)
    } else {
        Err(problems)
    }
}

/// `3.56938E+14`: what a spreadsheet makes of a long number in a column
/// it did not treat as text (the digits are lost).
fn excel_number(s: &str) -> bool {
    let upper = s.to_ascii_uppercase();
    let Some((mantissa, exp)) = upper.split_once("E+") else {
        return false;
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let m = mantissa.replace([',', '.'], "");
    digits(&m) && digits(exp)
}

/// Read and parse a CSV file of devices.
pub fn load(file: &Path) -> Result<Vec<MobileDevice>, SiteError> {
    let bytes = std::fs::read(file).map_err(|source| SiteError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    parse(&decode(&bytes), file).map_err(SiteError::Invalid)
}

/// Join CSV rows with the site file's devices. A row with the IMEI or the
/// serial number (ignoring case) of a listed device fills in the fields
/// that device leaves empty (what `site.toml` says wins); other rows are
/// added after the listed devices, in file order.
pub fn merge(devices: &mut Vec<MobileDevice>, rows: Vec<MobileDevice>) {
    let same = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
    for row in rows {
        let Some(d) = devices
            .iter_mut()
            .find(|d| same(&d.imei, &row.imei) || same(&d.serial, &row.serial))
        else {
            devices.push(row);
            continue;
        };
        for (to, from) in [
            (&mut d.user, row.user),
            (&mut d.make, row.make),
            (&mut d.model, row.model),
            (&mut d.number, row.number),
            (&mut d.imei, row.imei),
            (&mut d.serial, row.serial),
            (&mut d.mdm, row.mdm),
            (&mut d.pin_location, row.pin_location),
        ] {
            if to.is_none() {
                *to = from;
            }
        }
    }
}

#[cfg(test)]
#[path = "site_csv_tests.rs"]
mod tests;
