//! The plan as DOCX on the fixed inventory of `plan_inventory.rs` in both
//! languages: `word/document.xml` against its golden file
//! (`fixtures/plan/plan.{nl,en}.docx.xml`, `UPDATE_GOLDEN=1` rewrites
//! them), and the document read back by an independent reader, python-docx
//! (`docx_dump.py`, run as `/usr/bin/python3`: Debian's python3-docx),
//! which also proves every part well-formed: the title, the contents, every
//! section heading, caption, note and table in the layout's order with
//! Word's style names, header rows repeating and bold, a known device's
//! serial in its row, hostile device and site strings as literal text; the
//! page A4 and the language set. The CLI writes `--format docx` to
//! `--out` and refuses stdout.

mod plan_inventory;

use census_collector::plan::layout::{self, Block, Doc};
use census_collector::plan::messages::Msg;
use census_collector::plan::{self, Inputs, Lang, Plan};
use census_tests::{Collector, free_port, workspace};
use plan_inventory::{HOSTILE_MODEL, HOSTILE_NAME, HOSTILE_VENDOR};
use serde_json::{Value, json};
use std::io::{Cursor, Read};
use std::process::Command;

fn fixed_plan() -> Plan {
    let (assets, observations) = plan_inventory::inventory();
    let site = plan_inventory::site();
    plan::build(&Inputs {
        assets: &assets,
        observations: &observations,
        site: Some(&site),
        default_communities: plan::default_communities(&["public".into(), "s3cret".into()]),
        now: plan_inventory::now(),
    })
}

/// Compare with the golden file, or write it with UPDATE_GOLDEN=1.
fn golden(name: &str, text: &str) {
    let path = workspace().join("tests/fixtures/plan").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (write it with UPDATE_GOLDEN=1)", path.display()));
    assert!(
        want == text,
        "{} differs from the golden file (UPDATE_GOLDEN=1 rewrites it after review)",
        path.display()
    );
}

/// A part of the zip container, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The document as python-docx reads it (see `docx_dump.py`).
fn dump(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.docx");
    std::fs::write(&file, bytes).unwrap();
    dump_file(&file)
}

fn dump_file(file: &std::path::Path) -> Value {
    let out = Command::new("/usr/bin/python3")
        .arg(workspace().join("tests/docx_dump.py"))
        .arg(file)
        .output()
        .expect("/usr/bin/python3 runs (python3-docx: see tests/run.sh)");
    assert!(
        out.status.success(),
        "python-docx cannot read the document: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What XML keeps of a text: control characters other than tab and line
/// feed are dropped.
fn kept(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n'))
        .collect()
}

fn p(style: &str, text: &str) -> Value {
    json!({"paragraph": style, "text": kept(text)})
}

/// The body python-docx should read: every block of the layout in order.
fn expected(doc: &Doc) -> Vec<Value> {
    let mut body = vec![
        p("Title", &doc.title),
        p("Normal", &doc.generated),
        p("TOC Heading", Msg::Contents.text(doc.lang)),
    ];
    let numbered: Vec<String> = doc
        .sections
        .iter()
        .map(|s| format!("{}. {}", s.number, s.title))
        .collect();
    body.extend(numbered.iter().map(|t| p("toc 1", t)));
    for (s, title) in doc.sections.iter().zip(&numbered) {
        body.push(p("Heading 1", title));
        for b in &s.blocks {
            match b {
                Block::Note(n) => body.push(p("Normal", n)),
                Block::Table(t) => {
                    if let Some(c) = &t.caption {
                        body.push(p("Heading 2", c));
                    }
                    if t.rows.is_empty() {
                        body.push(p("Normal", Msg::NoneFound.text(doc.lang)));
                        continue;
                    }
                    let row = |cells: &[String], header: bool| {
                        let cells: Vec<String> = cells.iter().map(|c| kept(c)).collect();
                        json!({"cells": cells, "header": header, "bold": header})
                    };
                    let mut rows = vec![row(&t.headers, true)];
                    rows.extend(t.rows.iter().map(|r| row(r, false)));
                    body.push(json!({"table": "Table Grid", "rows": rows}));
                    body.push(p("Normal", ""));
                }
            }
        }
    }
    body
}

#[test]
fn document_xml_matches_its_golden_file_in_both_languages() {
    let p = fixed_plan();
    for lang in Lang::ALL {
        let bytes = plan::docx::render(&layout::layout(&p, lang)).unwrap();
        golden(
            &format!("plan.{lang}.docx.xml"),
            &part(&bytes, "word/document.xml"),
        );
    }
}

#[test]
fn python_docx_reads_every_heading_note_and_table_with_word_styles() {
    let p = fixed_plan();
    for lang in Lang::ALL {
        let doc = layout::layout(&p, lang);
        let bytes = plan::docx::render(&doc).unwrap();
        let v = dump(&bytes);
        assert_eq!(v["title"], doc.title.as_str());
        let tag = match lang {
            Lang::Nl => "nl-NL",
            Lang::En => "en-GB",
        };
        assert_eq!(v["language"], tag);
        let styles = part(&bytes, "word/styles.xml");
        assert!(
            styles.contains(&format!("<w:lang w:val=\"{tag}\"")),
            "{lang}"
        );
        // A4, 2 cm by 1.5 cm margins.
        assert_eq!(v["page"], json!([11906, 16838]));
        assert_eq!(v["margins"], json!([1134, 851, 1134, 851]));

        let body = v["body"].as_array().unwrap();
        let want = expected(&doc);
        for (i, (got, want)) in body.iter().zip(&want).enumerate() {
            assert_eq!(got, want, "{lang}: body element {i}");
        }
        assert_eq!(body.len(), want.len(), "{lang}");

        // The section headings, in order, in Word's "Heading 1".
        let headings: Vec<&str> = body
            .iter()
            .filter(|b| b["paragraph"] == "Heading 1")
            .map(|b| b["text"].as_str().unwrap())
            .collect();
        assert_eq!(headings.len(), 21);
        let (first, servers, last) = match lang {
            Lang::En => ("1. Organisation", "3. Servers", "21. Risks"),
            Lang::Nl => ("1. Organisatie", "3. Servers", "21. Risico's"),
        };
        assert_eq!(
            (headings[0], headings[2], headings[20]),
            (first, servers, last)
        );

        // The servers table: its header, then srv-files with its serial.
        let at = body
            .iter()
            .position(|b| b["paragraph"] == "Heading 1" && b["text"] == servers)
            .unwrap();
        let table = &body[at + 1];
        assert_eq!(table["table"], "Table Grid");
        let header = &table["rows"][0];
        assert_eq!(
            (&header["header"], &header["bold"]),
            (&json!(true), &json!(true))
        );
        let (name, serial) = match lang {
            Lang::En => ("Name", "Serial number"),
            Lang::Nl => ("Naam", "Serienummer"),
        };
        assert_eq!(header["cells"][0], name);
        assert_eq!(header["cells"][2], serial);
        let row = &table["rows"][1];
        assert_eq!(row["cells"][0], "srv-files");
        assert_eq!(row["cells"][2], "CZJ0123ABC");
        assert_eq!(row["cells"][8], "a-000000000003");
        assert_eq!(
            (&row["header"], &row["bold"]),
            (&json!(false), &json!(false))
        );
    }
}

#[test]
fn hostile_strings_are_literal_text() {
    let p = fixed_plan();
    for lang in Lang::ALL {
        let bytes = plan::docx::render(&layout::layout(&p, lang)).unwrap();
        let xml = part(&bytes, "word/document.xml");
        assert!(
            !xml.contains("<script") && !xml.contains("<b>"),
            "raw markup in document.xml"
        );
        assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // No field, so no text can become a formula or a link to follow.
        assert!(!xml.contains("<w:fldSimple") && !xml.contains("<w:instrText"));
        assert!(!xml.contains("r:id="), "external relationship");

        let v = dump(&bytes);
        let cells: Vec<&str> = v["body"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|b| b["rows"].as_array())
            .flatten()
            .flat_map(|r| r["cells"].as_array().unwrap())
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!(cells.contains(&HOSTILE_NAME), "name not literal");
        // Make and model in one cell, verbatim: the formula is text, the
        // pipe kept, the line break a line break.
        let make_model = format!("{HOSTILE_VENDOR} {HOSTILE_MODEL}");
        assert!(cells.contains(&make_model.as_str()), "{make_model:?}");
        assert!(cells.contains(&"=cmd|' /C calc'!A0"));
        assert!(cells.contains(&"@+31 20 555 0500"));
        assert!(
            cells
                .iter()
                .any(|c| c.contains("<b>Bel</b> | Voorbeeld\nB.V."))
        );
    }
}

#[test]
fn cli_writes_a_document_and_refuses_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let out = dir.path().join("plan.docx");
    let site = workspace().join("deploy/examples/site.toml");
    let run = c.admin(&[
        "plan",
        "--format",
        "docx",
        "--lang",
        "en",
        "--site",
        site.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v = dump_file(&out);
    assert_eq!(v["language"], "en-GB");
    let body = v["body"].as_array().unwrap();
    let headings: Vec<&Value> = body
        .iter()
        .filter(|b| b["paragraph"] == "Heading 1")
        .map(|b| &b["text"])
        .collect();
    assert_eq!(headings.len(), 21);
    assert_eq!(headings[0], "1. Organisation");
    assert!(
        body.iter()
            .filter_map(|b| b["rows"].as_array())
            .flatten()
            .any(|r| r["cells"][1] == "Bakkerij Voorbeeld B.V."),
        "{body:?}"
    );

    let refused = c.admin(&["plan", "--format", "docx"]);
    assert!(!refused.status.success());
    let e = String::from_utf8(refused.stderr).unwrap();
    assert!(e.contains("give --out FILE"), "{e}");
    c.stop();
}
