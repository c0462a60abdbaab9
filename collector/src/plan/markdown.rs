//! Markdown: headings, a contents list and pipe tables that paste cleanly
//! into a document. Every cell is escaped: `|` and `\` are backslashed,
//! line breaks and runs of white space become one space, and characters that start
//! Markdown or HTML syntax inside a cell (`<`, `>`, `*`, `_`, `` ` ``, `[`,
//! `]`) are backslashed so that a device string cannot become a link, an
//! emphasis or raw HTML.

use super::layout::{Block, Doc};
use super::messages::Msg;
use std::fmt::Write;

/// Escape text for a Markdown table cell or paragraph.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        match c {
            '\r' | '\n' | '\t' | ' ' => {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
                continue;
            }
            '|' | '\\' | '<' | '>' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => continue,
            c => out.push(c),
        }
        last_space = false;
    }
    out.trim().to_string()
}

/// Render the whole document.
pub fn render(doc: &Doc) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n\n{}\n",
        escape(&doc.title),
        escape(&doc.generated)
    );
    let _ = writeln!(out, "## {}\n", Msg::Contents.text(doc.lang));
    for s in &doc.sections {
        let _ = writeln!(out, "{}. [{}](#{})", s.number, escape(&s.title), s.id);
    }
    for s in &doc.sections {
        let _ = writeln!(
            out,
            "\n<a id=\"{}\"></a>\n\n## {}. {}",
            s.id,
            s.number,
            escape(&s.title)
        );
        for b in &s.blocks {
            out.push('\n');
            match b {
                Block::Note(n) => {
                    let _ = writeln!(out, "{}", escape(n));
                }
                Block::Table(t) => {
                    if let Some(c) = &t.caption {
                        let _ = writeln!(out, "### {}\n", escape(c));
                    }
                    if t.rows.is_empty() {
                        let _ = writeln!(out, "{}", Msg::NoneFound.text(doc.lang));
                        continue;
                    }
                    let row = |cells: &[String]| {
                        let v: Vec<String> = cells.iter().map(|c| escape(c)).collect();
                        format!("| {} |", v.join(" | "))
                    };
                    let _ = writeln!(out, "{}", row(&t.headers));
                    let _ = writeln!(out, "|{}", "---|".repeat(t.headers.len()));
                    for r in &t.rows {
                        let _ = writeln!(out, "{}", row(r));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(super::escape("a|b\nc\r\n d"), "a\\|b c d");
        assert_eq!(
            super::escape("<script>x</script> [l](u) *e*"),
            "\\<script\\>x\\</script\\> \\[l\\](u) \\*e\\*"
        );
        assert_eq!(super::escape("back\\slash"), "back\\\\slash");
    }
}
