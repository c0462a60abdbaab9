//! XLSX: one worksheet per section of the layout, named after the section
//! (`19. Fall-back, replacement`: cut to Excel's 31 characters at a word,
//! its forbidden characters `[]:*?/\` replaced; the number keeps names
//! unique).
//! A section's tables follow each other on its sheet, each with its caption
//! and a bold header row, notes in italics between them. The first table's
//! header is frozen and carries the sheet's autofilter (Excel allows one per
//! sheet). Every cell is written as a string, never as a formula, and a cell
//! starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with
//! `'` as in CSV ([`super::csv::neutralise`]), so it stays text when copied,
//! edited or saved as CSV.

use super::csv::neutralise;
use super::layout::{Block, Doc, Section};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook, Worksheet, XlsxError};

/// Excel's limit on a sheet name, in UTF-16 code units.
const SHEET_NAME_MAX: usize = 31;
/// Excel's limit on a cell's text, in UTF-16 code units.
const CELL_MAX: usize = 32_767;
/// Column widths, in characters.
const WIDTH_MIN: usize = 8;
const WIDTH_MAX: usize = 60;

/// The sheet name of a section: number and title, forbidden characters
/// replaced, cut to 31 UTF-16 units (at a word when there is one after
/// the number) without a trailing space, punctuation or apostrophe.
pub fn sheet_name(s: &Section) -> String {
    let prefix = format!("{}. ", s.number);
    let mut name = String::new();
    let mut units = 0;
    let mut cut = false;
    for c in prefix.chars().chain(s.title.chars()) {
        let c = match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        };
        units += c.len_utf16();
        if units > SHEET_NAME_MAX {
            cut = !c.is_whitespace();
            break;
        }
        name.push(c);
    }
    if cut && let Some(space) = name.rfind(' ').filter(|&i| i >= prefix.len()) {
        name.truncate(space);
    }
    name.trim_end_matches([' ', ',', ';', '\'', '-', '.'])
        .to_string()
}

/// A cell's text: neutralised, cut to Excel's limit.
fn text(s: &str) -> String {
    let s = neutralise(s);
    if s.encode_utf16().count() <= CELL_MAX {
        return s;
    }
    let mut out = String::new();
    let mut units = 0;
    for c in s.chars() {
        units += c.len_utf16();
        if units > CELL_MAX {
            break;
        }
        out.push(c);
    }
    out
}

/// Display width of a cell: its longest line, in characters.
fn width(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

struct Formats {
    header: Format,
    caption: Format,
    cell: Format,
    note: Format,
}

fn section(ws: &mut Worksheet, s: &Section, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(s))?;
    let mut widths: Vec<usize> = Vec::new();
    let mut row: u32 = 0;
    let mut filtered = false;
    for b in &s.blocks {
        match b {
            Block::Note(n) => {
                ws.write_string_with_format(row, 0, text(n), &f.note)?;
                row += 2;
            }
            Block::Table(t) => {
                if let Some(c) = &t.caption {
                    ws.write_string_with_format(row, 0, text(c), &f.caption)?;
                    row += 1;
                }
                let header = row;
                for (i, r) in std::iter::once(&t.headers).chain(&t.rows).enumerate() {
                    let format = if i == 0 { &f.header } else { &f.cell };
                    for (col, c) in r.iter().enumerate() {
                        let c = text(c);
                        if widths.len() <= col {
                            widths.resize(col + 1, 0);
                        }
                        widths[col] = widths[col].max(width(&c) + 2);
                        ws.write_string_with_format(row, col as u16, c, format)?;
                    }
                    row += 1;
                }
                if !filtered && !t.headers.is_empty() {
                    filtered = true;
                    ws.set_freeze_panes(header + 1, 0)?;
                    let last_row = header + t.rows.len() as u32;
                    ws.autofilter(header, 0, last_row, t.headers.len() as u16 - 1)?;
                }
                row += 1;
            }
        }
    }
    for (col, w) in widths.into_iter().enumerate() {
        ws.set_column_width(col as u16, w.clamp(WIDTH_MIN, WIDTH_MAX) as f64)?;
    }
    Ok(())
}

/// The workbook's bytes.
pub fn render(doc: &Doc) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats {
        header: Format::new().set_bold().set_align(FormatAlign::Top),
        caption: Format::new().set_bold().set_font_size(12),
        cell: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        note: Format::new().set_italic(),
    };
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(doc.title.as_str())
            .set_comment(doc.generated.as_str()),
    );
    for s in &doc.sections {
        section(wb.add_worksheet(), s, &formats)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::super::layout::Section;

    fn name(number: usize, title: &str) -> String {
        super::sheet_name(&Section {
            id: "x",
            number,
            title: title.into(),
            blocks: Vec::new(),
        })
    }

    #[test]
    fn sheet_names_fit_excel() {
        assert_eq!(name(3, "Servers"), "3. Servers");
        assert_eq!(
            name(12, "Printers, scanners, copiers and fax"),
            "12. Printers, scanners, copiers"
        );
        assert_eq!(
            name(19, "Fall-back, replacement, backup and yearly tests"),
            "19. Fall-back, replacement"
        );
        assert_eq!(name(7, &"x".repeat(40)), format!("7. {}", "x".repeat(28)));
        assert_eq!(
            name(6, "Internet / IP: [wifi]?*\\"),
            "6. Internet - IP- -wifi"
        );
        let long = name(1, &"é".repeat(40));
        assert_eq!(long.encode_utf16().count(), 31);
    }

    #[test]
    fn cells_are_neutralised_and_bounded() {
        assert_eq!(super::text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(super::text("+31 20"), "'+31 20");
        assert_eq!(super::text("plain"), "plain");
        assert_eq!(super::text(&"x".repeat(40_000)).len(), 32_767);
    }
}
