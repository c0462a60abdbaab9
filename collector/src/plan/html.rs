//! HTML: one self-contained page (inline style, no scripts, no external
//! resources) that prints on A4, with a table of contents linking to
//! numbered sections. Every text — headings, labels and above all device
//! strings — goes through [`escape`].

use super::layout::{Block, Doc};
use super::messages::Msg;
use std::fmt::Write;

/// Escape text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
@page { size: A4; margin: 15mm 12mm; }
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #111; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 18pt; margin-bottom: 2mm; }
h2 { font-size: 13pt; border-bottom: 1px solid #888; margin-top: 8mm; page-break-after: avoid; }
h3 { font-size: 11pt; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 8.5pt; }
th, td { border: 1px solid #aaa; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; white-space: pre-line; }
th { background: #eee; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
nav ol { columns: 2; }
.generated { color: #555; }
@media print { a { color: inherit; text-decoration: none; } }
";

/// Render the whole document.
pub fn render(doc: &Doc) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"generated\">{}</p>\n",
        doc.lang,
        escape(&doc.title),
        escape(&doc.title),
        escape(&doc.generated)
    );
    let _ = writeln!(
        out,
        "<nav>\n<h2>{}</h2>\n<ol>",
        escape(Msg::Contents.text(doc.lang))
    );
    for s in &doc.sections {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            s.id,
            escape(&s.title)
        );
    }
    out.push_str("</ol>\n</nav>\n");
    for s in &doc.sections {
        let _ = writeln!(
            out,
            "<section id=\"{}\">\n<h2>{}. {}</h2>",
            s.id,
            s.number,
            escape(&s.title)
        );
        for b in &s.blocks {
            match b {
                Block::Note(n) => {
                    let _ = writeln!(out, "<p>{}</p>", escape(n));
                }
                Block::Table(t) => {
                    if let Some(c) = &t.caption {
                        let _ = writeln!(out, "<h3>{}</h3>", escape(c));
                    }
                    if t.rows.is_empty() {
                        let _ = writeln!(out, "<p>{}</p>", escape(Msg::NoneFound.text(doc.lang)));
                        continue;
                    }
                    out.push_str("<table>\n<thead><tr>");
                    for h in &t.headers {
                        let _ = write!(out, "<th>{}</th>", escape(h));
                    }
                    out.push_str("</tr></thead>\n<tbody>\n");
                    for r in &t.rows {
                        out.push_str("<tr>");
                        for c in r {
                            let _ = write!(out, "<td>{}</td>", escape(c));
                        }
                        out.push_str("</tr>\n");
                    }
                    out.push_str("</tbody>\n</table>\n");
                }
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            super::escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
