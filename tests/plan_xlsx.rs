//! The plan as XLSX, read back by an independent reader (calamine) on the
//! fixed inventory of `plan_inventory.rs` in both languages: one sheet per
//! section with a valid, unique name, every table's caption, header row and
//! cells where the layout puts them, all as text; hostile strings kept
//! verbatim or neutralised as in CSV, never formulas; the header frozen,
//! bold and filtered (checked in the sheet XML itself); and the CLI writing
//! a workbook to `--out` and refusing stdout.

mod plan_inventory;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use census_collector::plan::csv::neutralise;
use census_collector::plan::layout::{self, Block, Doc, Section};
use census_collector::plan::{self, Inputs, Lang, Plan};
use census_tests::{Collector, free_port, workspace};
use plan_inventory::{HOSTILE_MODEL, HOSTILE_NAME, HOSTILE_VENDOR};
use std::collections::BTreeSet;
use std::io::{Cursor, Read};

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

fn workbook(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

/// Every cell of a sheet as text, trailing empty cells and rows dropped;
/// panics on a cell that is not a string.
fn cells(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    let range = wb.worksheet_range(sheet).unwrap();
    assert_eq!(range.start(), Some((0, 0)), "{sheet}: A1 is empty");
    let mut rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            let mut row: Vec<String> = r
                .iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("{sheet}: not a string cell: {other:?}"),
                })
                .collect();
            while row.last().is_some_and(String::is_empty) {
                row.pop();
            }
            row
        })
        .collect();
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    rows
}

/// Where the layout's blocks should be: notes and captions in column A,
/// then a table's header and rows, a blank row after each block.
fn expected(s: &Section) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for b in &s.blocks {
        match b {
            Block::Note(n) => rows.push(vec![neutralise(n)]),
            Block::Table(t) => {
                rows.extend(t.caption.iter().map(|c| vec![neutralise(c)]));
                for r in std::iter::once(&t.headers).chain(&t.rows) {
                    let mut r: Vec<String> = r.iter().map(|c| neutralise(c)).collect();
                    while r.last().is_some_and(String::is_empty) {
                        r.pop();
                    }
                    rows.push(r);
                }
            }
        }
        rows.push(Vec::new());
    }
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    rows
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

/// The value of attribute `name` in the element starting at `at`.
fn attr<'a>(xml: &'a str, at: usize, name: &str) -> Option<&'a str> {
    let end = at + xml[at..].find('>')?;
    let tag = &xml[at..end];
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The `index`-th `<tag …>` element inside the first `<list>`.
fn nth<'a>(xml: &'a str, list: &str, tag: &str, index: usize) -> &'a str {
    let from = xml.find(&format!("<{list}")).unwrap();
    let to = from + xml[from..].find(&format!("</{list}>")).unwrap();
    let inner = &xml[from..to];
    let open = format!("<{tag}");
    let mut starts = inner
        .match_indices(&open)
        .filter(|(i, _)| inner[i + tag.len() + 1..].starts_with([' ', '>', '/']));
    let (at, _) = starts.nth(index).unwrap();
    let end = inner[at..].find(&format!("</{tag}>")).map_or_else(
        || inner[at..].find("/>").unwrap() + 2,
        |e| e + tag.len() + 3,
    );
    &inner[at..at + end]
}

/// Whether cell `cell` (e.g. `A1`) of a sheet part is in a bold font.
fn bold(sheet_xml: &str, styles: &str, cell: &str) -> bool {
    let at = sheet_xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell}"));
    let Some(style) = attr(sheet_xml, at, "s") else {
        return false;
    };
    let xf = nth(styles, "cellXfs", "xf", style.parse().unwrap());
    let font = attr(xf, 0, "fontId").unwrap().parse().unwrap();
    nth(styles, "fonts", "font", font).contains("<b/>")
}

fn column(n: usize) -> String {
    let mut s = String::new();
    let mut n = n + 1;
    while n > 0 {
        s.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    s
}

#[test]
fn every_section_is_a_sheet_with_its_tables_as_text_in_both_languages() {
    let p = fixed_plan();
    for lang in Lang::ALL {
        let doc: Doc = layout::layout(&p, lang);
        let bytes = plan::xlsx::render(&doc).unwrap();
        let mut wb = workbook(&bytes);
        let names = wb.sheet_names();
        assert_eq!(names.len(), 21, "{names:?}");
        assert_eq!(names.len(), doc.sections.len());
        let unique: BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for (name, s) in names.iter().zip(&doc.sections) {
            assert!(name.encode_utf16().count() <= 31, "{name:?}");
            assert!(
                !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
                    && !name.starts_with('\'')
                    && !name.ends_with('\''),
                "{name:?}"
            );
            let full = format!("{}. {}", s.number, s.title);
            assert!(full.starts_with(name.as_str()), "{name:?} vs {full:?}");
            assert_eq!(
                cells(&mut wb, name),
                expected(s),
                "{lang}: sheet {name:?} differs from the layout"
            );
        }
        let sheet = |i: usize| names[i - 1].as_str();
        match lang {
            Lang::En => {
                assert_eq!(sheet(1), "1. Organisation");
                assert_eq!(sheet(12), "12. Printers, scanners, copiers");
                assert_eq!(sheet(19), "19. Fall-back, replacement");
                assert_eq!(sheet(21), "21. Risks");
            }
            Lang::Nl => {
                assert_eq!(sheet(2), "2. Kantoor-pc's en laptops");
                assert_eq!(sheet(12), "12. Printers, scanners");
                assert_eq!(sheet(19), "19. Uitwijk, vervanging");
                assert_eq!(sheet(21), "21. Risico's");
            }
        }
        // The servers sheet: the header row, then the server with its specs.
        let servers = cells(&mut wb, sheet(3));
        let name_col = match lang {
            Lang::En => "Name",
            Lang::Nl => "Naam",
        };
        assert_eq!(servers[0][0], name_col, "{servers:?}");
        assert_eq!(servers.len(), 2, "{servers:?}");
        assert_eq!(servers[1][0], "srv-files");
        assert_eq!(servers[1].last().unwrap(), "a-000000000003");
        assert!(servers[1].iter().any(|c| c.contains("Intel Xeon E-2314")));
    }
}

#[test]
fn hostile_strings_stay_text_and_nothing_is_a_formula() {
    let p = fixed_plan();
    for lang in Lang::ALL {
        let doc = layout::layout(&p, lang);
        let bytes = plan::xlsx::render(&doc).unwrap();
        let mut wb = workbook(&bytes);
        let mut all = Vec::new();
        for name in wb.sheet_names() {
            let formulas = wb.worksheet_formula(&name).unwrap();
            assert_eq!(formulas.used_cells().count(), 0, "{name}: formula cells");
            for row in cells(&mut wb, &name) {
                for c in row {
                    assert!(
                        !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{name}: formula-like cell {c:?}"
                    );
                    all.push(c);
                }
            }
        }
        assert!(all.iter().any(|c| c == HOSTILE_NAME), "name not verbatim");
        // Make and model in one cell, the line break kept.
        let make_model = format!("'{HOSTILE_VENDOR} {HOSTILE_MODEL}");
        assert!(all.contains(&make_model), "{make_model:?} not found");
        assert!(all.iter().any(|c| c.starts_with("'=cmd|' /C calc'!A0")));
        assert!(all.iter().any(|c| c.starts_with("'@+31 20 555 0500")));
        // In the file itself: shared or inline strings only, no <f> element.
        let sheets = wb.sheet_names().len();
        for i in 1..=sheets {
            let xml = part(&bytes, &format!("xl/worksheets/sheet{i}.xml"));
            assert!(
                !xml.contains("<f>") && !xml.contains("<f "),
                "sheet{i}: formula"
            );
            for (at, _) in xml.match_indices("<c ") {
                let t = attr(&xml, at, "t");
                assert!(
                    matches!(t, Some("s" | "inlineStr" | "str")) || attr(&xml, at, "s").is_some(),
                    "sheet{i}: cell of type {t:?}"
                );
            }
        }
    }
}

#[test]
fn headers_are_bold_frozen_and_filtered() {
    let p = fixed_plan();
    let doc = layout::layout(&p, Lang::En);
    let bytes = plan::xlsx::render(&doc).unwrap();
    let styles = part(&bytes, "xl/styles.xml");
    for (i, s) in doc.sections.iter().enumerate() {
        let xml = part(&bytes, &format!("xl/worksheets/sheet{}.xml", i + 1));
        // The first table's header row (1-based), after its caption and any
        // notes before it.
        let mut row = 1;
        let mut first = None;
        for b in &s.blocks {
            match b {
                Block::Note(_) => row += 2,
                Block::Table(t) => {
                    if t.caption.is_some() {
                        row += 1;
                        if first.is_none() {
                            let cap = format!("A{}", row - 1);
                            assert!(bold(&xml, &styles, &cap), "{}: caption", s.id);
                        }
                    }
                    if first.is_none() {
                        first = Some((row, t.headers.len(), t.rows.len()));
                    }
                    for c in 0..t.headers.len() {
                        let cell = format!("{}{row}", column(c));
                        assert!(bold(&xml, &styles, &cell), "{}: header {cell}", s.id);
                    }
                    if let Some(r) = t.rows.first() {
                        let cell = format!("A{}", row + 1);
                        if !r[0].is_empty() {
                            assert!(!bold(&xml, &styles, &cell), "{}: data {cell}", s.id);
                        }
                    }
                    row += t.rows.len() + 2;
                }
            }
        }
        let Some((header, cols, rows)) = first else {
            assert!(!xml.contains("<pane") && !xml.contains("<autoFilter"));
            continue;
        };
        let pane = xml
            .find("<pane")
            .unwrap_or_else(|| panic!("{}: no pane", s.id));
        assert_eq!(attr(&xml, pane, "state"), Some("frozen"), "{}", s.id);
        assert_eq!(
            attr(&xml, pane, "ySplit"),
            Some(header.to_string().as_str()),
            "{}",
            s.id
        );
        let filter = xml.find("<autoFilter").unwrap();
        let want = format!("A{header}:{}{}", column(cols - 1), header + rows);
        assert_eq!(attr(&xml, filter, "ref"), Some(want.as_str()), "{}", s.id);
        // Columns have widths.
        assert!(xml.contains("<col ") && xml.contains("customWidth=\"1\""));
    }
}

#[test]
fn cli_writes_a_workbook_and_refuses_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let out = dir.path().join("plan.xlsx");
    let site = workspace().join("deploy/examples/site.toml");
    let run = c.admin(&[
        "plan",
        "--format",
        "xlsx",
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
    let bytes = std::fs::read(&out).unwrap();
    let mut wb = workbook(&bytes);
    let names = wb.sheet_names();
    assert_eq!(names.len(), 21, "{names:?}");
    assert_eq!(names[0], "1. Organisation");
    let org = cells(&mut wb, &names[0]);
    assert!(
        org.iter().flatten().any(|c| c == "Bakkerij Voorbeeld B.V."),
        "{org:?}"
    );

    let refused = c.admin(&["plan", "--format", "xlsx"]);
    assert!(!refused.status.success());
    let e = String::from_utf8(refused.stderr).unwrap();
    assert!(e.contains("give --out FILE"), "{e}");
    c.stop();
}
