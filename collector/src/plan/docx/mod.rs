//! DOCX: the layout as a Word document, WordprocessingML written by hand
//! into a zip container ([`parts`] holds the package parts other than the
//! body). The title, a contents list linking to each section, then per
//! section a `Heading1`, its notes as `Normal` paragraphs and its tables,
//! each under its caption as a `Heading2`, in the `TableGrid` style with a
//! bold header row that repeats on every page (`w:tblHeader`). Only Word's
//! built-in style ids are used, so the text keeps its styles when pasted
//! into another document; the page is A4 and the language (`w:lang`,
//! `dc:language`) nl-NL or en-GB.
//!
//! Every text — headings, labels and above all device and site strings —
//! goes through [`escape`]: `&`, `<`, `>` and `"` become entities and the
//! characters XML 1.0 forbids (control characters other than tab and line
//! feed) are dropped; a line feed becomes `<w:br/>`, a tab `<w:tab/>`, and
//! every `w:t` keeps its spaces (`xml:space="preserve"`). Text is never a
//! field, so nothing a device says can become a formula or a link.
//!
//! Not written: page numbers, headers and footers, a TOC field (the
//! contents list is plain hyperlinked text, no page numbers), settings,
//! themes, fonts beyond the default. Column widths are fixed, shared out
//! across the page's text width by the length of each column's content.

mod parts;

use super::layout::{Block, Doc, Table};
use super::messages::{Lang, Msg};
use std::fmt::Write as _;
use std::io::{Cursor, Write as _};
use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A4 in twentieths of a point (twips), and its margins: 2 cm top and
/// bottom, 1.5 cm left and right.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_Y: u32 = 1134;
const MARGIN_X: u32 = 851;
/// The width tables span.
const TEXT_W: u32 = PAGE_W - 2 * MARGIN_X;
/// A character's width in the tables' 8.5 pt, roughly, and a cell's left
/// and right margins (the table style's), in twips.
const CHAR_W: u64 = 90;
const CELL_PAD: u64 = 114;
/// Bounds, in characters, on the word a column must fit whole and on the
/// line it would like to fit.
const WORD_MIN: usize = 3;
const WORD_MAX: usize = 18;
const LINE_MAX: usize = 60;

/// The language tag Word uses for `lang`.
pub fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl-NL",
        Lang::En => "en-GB",
    }
}

/// Escape text for XML element content and quoted attribute values,
/// dropping the characters XML 1.0 does not allow (and other control
/// characters) except tab and line feed.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One run of `text` with run properties `rpr` (may be empty): line feeds
/// as breaks, tabs as tabs, nothing for empty text.
fn run(out: &mut String, text: &str, rpr: &str) {
    if text.is_empty() {
        return;
    }
    let _ = write!(out, "<w:r>{rpr}");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, part) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            let part = escape(part);
            if !part.is_empty() {
                let _ = write!(out, "<w:t xml:space=\"preserve\">{part}</w:t>");
            }
        }
    }
    out.push_str("</w:r>");
}

/// A paragraph in `style` (`Normal` when `None`).
fn para(out: &mut String, style: Option<&str>, text: &str) {
    out.push_str("<w:p>");
    if let Some(s) = style {
        let _ = write!(out, "<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>");
    }
    run(out, text, "");
    out.push_str("</w:p>\n");
}

/// The bookmark a section's heading carries: hidden (leading `_`),
/// letters, digits and `_` only.
fn anchor(id: &str) -> String {
    let id: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("_census_{id}")
}

/// Column widths in twips, summing to `TEXT_W`. A column wants its
/// longest line (`want`) and needs at least its longest word (`need`), in
/// the tables' 8.5 pt: every column gets what it needs, what is left goes
/// to the columns that want more, in proportion.
fn widths(t: &Table) -> Vec<u32> {
    let chars = |s: &str, split: fn(char) -> bool| {
        s.split(split).map(|w| w.chars().count()).max().unwrap_or(0)
    };
    let twips = |n: usize| n as u64 * CHAR_W + CELL_PAD;
    let (need, want): (Vec<u64>, Vec<u64>) = (0..t.headers.len())
        .map(|col| {
            let cells =
                std::iter::once(&t.headers[col]).chain(t.rows.iter().filter_map(|r| r.get(col)));
            let (mut word, mut line) = (0, 0);
            for c in cells {
                word = word.max(chars(c, char::is_whitespace));
                line = line.max(chars(c, |c| c == '\n'));
            }
            let word = word.clamp(WORD_MIN, WORD_MAX);
            (twips(word), twips(line.clamp(word, LINE_MAX)))
        })
        .unzip();
    let text = u64::from(TEXT_W);
    let (need_sum, want_sum) = (need.iter().sum::<u64>(), want.iter().sum::<u64>());
    let mut out: Vec<u32> = if want_sum <= text {
        want.iter()
            .map(|w| (w * text / want_sum.max(1)) as u32)
            .collect()
    } else if need_sum <= text {
        let extra = want_sum - need_sum;
        need.iter()
            .zip(&want)
            .map(|(n, w)| (n + (w - n) * (text - need_sum) / extra.max(1)) as u32)
            .collect()
    } else {
        need.iter().map(|n| (n * text / need_sum) as u32).collect()
    };
    let rest = TEXT_W - out.iter().sum::<u32>();
    if let Some(last) = out.last_mut() {
        *last += rest;
    }
    out
}

fn row(out: &mut String, cells: &[String], widths: &[u32], header: bool) {
    out.push_str(if header {
        "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
    } else {
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
    });
    for (i, w) in widths.iter().enumerate() {
        let text = cells.get(i).map_or("", String::as_str);
        let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>");
        if header {
            out.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EEEEEE\"/>");
        }
        out.push_str("</w:tcPr><w:p>");
        run(out, text, if header { "<w:rPr><w:b/></w:rPr>" } else { "" });
        out.push_str("</w:p></w:tc>");
    }
    out.push_str("</w:tr>\n");
}

/// A table, then an empty paragraph (two tables in a row would otherwise
/// join into one).
fn table(out: &mut String, t: &Table) {
    let widths = widths(t);
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"{TEXT_W}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr>\n<w:tblGrid>"
    );
    for w in &widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>\n");
    row(out, &t.headers, &widths, true);
    for r in &t.rows {
        row(out, r, &widths, false);
    }
    out.push_str("</w:tbl>\n<w:p/>\n");
}

/// `word/document.xml`: the body.
pub fn document_xml(doc: &Doc) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" ",
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\n<w:body>\n"
    ));
    para(&mut out, Some("Title"), &doc.title);
    para(&mut out, None, &doc.generated);
    para(&mut out, Some("TOCHeading"), Msg::Contents.text(doc.lang));
    for s in &doc.sections {
        let _ = write!(
            out,
            "<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr><w:hyperlink w:anchor=\"{}\" w:history=\"1\">",
            anchor(s.id)
        );
        run(&mut out, &format!("{}. {}", s.number, s.title), "");
        out.push_str("</w:hyperlink></w:p>\n");
    }
    for s in &doc.sections {
        let _ = write!(
            out,
            "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:bookmarkStart w:id=\"{n}\" w:name=\"{a}\"/>",
            n = s.number,
            a = anchor(s.id)
        );
        run(&mut out, &format!("{}. {}", s.number, s.title), "");
        let _ = writeln!(out, "<w:bookmarkEnd w:id=\"{}\"/></w:p>", s.number);
        for b in &s.blocks {
            match b {
                Block::Note(n) => para(&mut out, None, n),
                Block::Table(t) => {
                    if let Some(c) = &t.caption {
                        para(&mut out, Some("Heading2"), c);
                    }
                    if t.rows.is_empty() {
                        para(&mut out, None, Msg::NoneFound.text(doc.lang));
                    } else {
                        table(&mut out, t);
                    }
                }
            }
        }
    }
    let _ = write!(
        out,
        "<w:sectPr><w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/><w:pgMar w:top=\"{MARGIN_Y}\" w:right=\"{MARGIN_X}\" w:bottom=\"{MARGIN_Y}\" w:left=\"{MARGIN_X}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>\n</w:body>\n</w:document>\n"
    );
    out
}

/// The document's bytes: every part in one zip, `[Content_Types].xml`
/// first, with fixed timestamps (the same plan gives the same bytes).
pub fn render(doc: &Doc) -> Result<Vec<u8>, ZipError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (name, text) in parts::all(doc, document_xml(doc)) {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests;
