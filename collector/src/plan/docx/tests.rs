use super::*;
use crate::plan::layout::Section;
use std::io::Read;

fn table(caption: Option<&str>, headers: &[&str], rows: &[&[&str]]) -> Block {
    Block::Table(Table {
        id: "t",
        caption: caption.map(str::to_string),
        headers: headers.iter().map(|s| s.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect(),
    })
}

fn doc() -> Doc {
    Doc {
        lang: Lang::En,
        title: "Plan & <inventory>".into(),
        generated: "Generated 2026-06-01".into(),
        sections: vec![
            Section {
                id: "office-pcs",
                number: 1,
                title: "PCs".into(),
                blocks: vec![
                    Block::Note("a note\u{7} with a bell".into()),
                    table(
                        None,
                        &["Name", "Serial"],
                        &[&["<script>x</script>", "S1\nS2"]],
                    ),
                    table(None, &["Field", "Value"], &[&["a", "b"]]),
                ],
            },
            Section {
                id: "tablets",
                number: 2,
                title: "Tablets".into(),
                blocks: vec![table(Some("Caption"), &["Name"], &[])],
            },
        ],
    }
}

/// Tags open and close in order (no XML parser in this crate; the
/// integration tests read the document with python-docx).
fn balanced(xml: &str) {
    let body = &xml[xml.find("?>").unwrap() + 2..];
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find('<') {
        let end = at + rest[at..].find('>').unwrap();
        let tag = &rest[at + 1..end];
        assert!(!tag.contains('<'), "{tag}");
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap();
        if tag.starts_with('/') {
            assert_eq!(stack.pop(), Some(name), "closing {name}");
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

#[test]
fn text_is_escaped_and_stripped_of_what_xml_forbids() {
    assert_eq!(
        escape("<script>a & \"b\"</script>"),
        "&lt;script&gt;a &amp; &quot;b&quot;&lt;/script&gt;"
    );
    assert_eq!(escape("a\u{0}b\u{1b}c\rd\u{7f}e\u{ffff}f"), "abcdef");
    assert_eq!(escape("tab\tline\n"), "tab\tline\n");
    let mut out = String::new();
    run(&mut out, "a\nb\tc  ", "");
    assert_eq!(
        out,
        "<w:r><w:t xml:space=\"preserve\">a</w:t><w:br/><w:t xml:space=\"preserve\">b</w:t><w:tab/><w:t xml:space=\"preserve\">c  </w:t></w:r>"
    );
    let mut empty = String::new();
    run(&mut empty, "", "<w:rPr><w:b/></w:rPr>");
    assert_eq!(empty, "");
}

#[test]
fn widths_fill_the_text_width_and_fit_every_word() {
    let w = |headers: &[&str], row: &[&str]| {
        let Block::Table(t) = table(None, headers, &[row]) else {
            unreachable!()
        };
        let w = widths(&t);
        assert_eq!(w.iter().sum::<u32>(), TEXT_W);
        w
    };
    // Room for every line: shared out by length.
    let short = w(&["Name", "Id"], &["pc", "a-000000000001"]);
    assert!(short[1] > 2 * short[0], "{short:?}");
    // Not enough room: every column still fits its longest word.
    let long = "word ".repeat(60);
    let wide = w(
        &["Name", "Notes", "Serial number"],
        &["pc", &long, "CZJ0123ABC"],
    );
    let fits = |w: u32, chars: u64| u64::from(w) >= chars * CHAR_W + CELL_PAD;
    assert!(fits(wide[0], 4) && fits(wide[2], 10), "{wide:?}");
    assert!(wide[1] > wide[0] + wide[2], "{wide:?}");
    // Words longer than WORD_MAX may break.
    let huge = w(&["A", "B"], &[&"x".repeat(500), &"y".repeat(500)]);
    assert_eq!(huge[0], TEXT_W / 2);
}

#[test]
fn the_document_has_styled_headings_tables_and_an_a4_section() {
    let xml = document_xml(&doc());
    balanced(&xml);
    assert!(xml.contains(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Plan &amp; &lt;inventory&gt;</w:t></w:r></w:p>"
    ));
    assert!(xml.contains("<w:hyperlink w:anchor=\"_census_office_pcs\""));
    assert!(xml.contains("<w:bookmarkStart w:id=\"1\" w:name=\"_census_office_pcs\"/>"));
    assert!(xml.contains("<w:pStyle w:val=\"Heading1\"/>"));
    assert!(xml.contains("<w:t xml:space=\"preserve\">a note with a bell</w:t>"));
    assert!(xml.contains("&lt;script&gt;x&lt;/script&gt;") && !xml.contains("<script"));
    assert!(xml.contains(">S1</w:t><w:br/><w:t xml:space=\"preserve\">S2<"));
    // Header rows repeat and are bold; two tables never touch.
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 2);
    assert!(xml.contains("<w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Name</w:t>"));
    assert!(!xml.contains("</w:tbl>\n<w:tbl>"));
    assert_eq!(xml.matches("<w:tblStyle w:val=\"TableGrid\"/>").count(), 2);
    // An empty table: its caption, then "None.".
    assert!(xml.contains(
        "<w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Caption</w:t></w:r></w:p>\n<w:p><w:r><w:t xml:space=\"preserve\">None.</w:t>"
    ));
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
}

#[test]
fn the_package_holds_every_part_with_the_language() {
    let d = doc();
    let bytes = render(&d).unwrap();
    assert_eq!(render(&d).unwrap(), bytes, "not deterministic");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    let want: Vec<&str> = parts::all(&d, String::new())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, want);
    for name in want {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        balanced(&text);
    }
    let part = |zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let styles = part(&mut zip, "word/styles.xml");
    assert!(styles.contains("<w:lang w:val=\"en-GB\""));
    for id in ["Normal", "Title", "Heading1", "Heading2", "TableGrid"] {
        assert!(styles.contains(&format!("w:styleId=\"{id}\"")), "{id}");
    }
    let core = part(&mut zip, "docProps/core.xml");
    assert!(core.contains("<dc:title>Plan &amp; &lt;inventory&gt;</dc:title>"));
    assert!(core.contains("<dc:language>en-GB</dc:language>"));
}
