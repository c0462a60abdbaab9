//! The plan: golden files of every format in both languages on a fixed
//! inventory (`plan_inventory.rs`; `UPDATE_GOLDEN=1` rewrites them under
//! `fixtures/plan/`), hostile device and site strings escaped in every
//! format, what the sections, licences, findings and recovery order hold,
//! and the CLI end to end: agents from fixture machines report to a
//! collector, `plan` writes a plan whose device sections hold exactly
//! their assets, with the site file found next to the config or named
//! by `--site`, and bad input refused naming what is wrong.

mod plan_cli;
mod plan_inventory;

use census_collector::plan::layout::{self, Block};
use census_collector::plan::messages::Msg;
use census_collector::plan::{self, Format, Inputs, Lang, Plan, Rendered};
use census_tests::workspace;
use plan_inventory::{HOSTILE_MODEL, HOSTILE_NAME, HOSTILE_VENDOR};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

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

fn golden_dir() -> PathBuf {
    workspace().join("tests/fixtures/plan")
}

/// Compare with the golden file, or write it with UPDATE_GOLDEN=1.
fn golden(name: &str, text: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
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

fn doc(p: &Plan, f: Format, lang: Lang) -> String {
    match plan::render(p, f, lang) {
        Rendered::Document(t) => t,
        Rendered::Files(_) => unreachable!(),
    }
}

fn csv_files(p: &Plan, lang: Lang) -> Vec<(String, String)> {
    match plan::render(p, Format::Csv, lang) {
        Rendered::Files(f) => f,
        Rendered::Document(_) => unreachable!(),
    }
}

#[test]
fn every_format_matches_its_golden_file_in_both_languages() {
    let p = fixed_plan();
    golden("plan.json", &doc(&p, Format::Json, Lang::En));
    for lang in Lang::ALL {
        golden(&format!("plan.{lang}.md"), &doc(&p, Format::Md, lang));
        golden(&format!("plan.{lang}.html"), &doc(&p, Format::Html, lang));
        for (name, text) in csv_files(&p, lang) {
            golden(&format!("csv.{lang}/{name}"), &text);
        }
    }
    // No golden CSV file is left over from an earlier layout.
    for lang in Lang::ALL {
        let written: BTreeSet<String> = csv_files(&p, lang).into_iter().map(|(n, _)| n).collect();
        let on_disk: BTreeSet<String> = std::fs::read_dir(golden_dir().join(format!("csv.{lang}")))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(written, on_disk);
    }
}

#[test]
fn the_plan_holds_the_inventory_and_its_findings() {
    let p = fixed_plan();
    let v = serde_json::to_value(&p).unwrap();
    let ids = |kind: &str| -> Vec<String> {
        let s = v["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == kind)
            .unwrap();
        s["devices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids("office_pcs"),
        ["a-000000000002", "a-000000000001", "a-000000000006"]
    );
    assert_eq!(ids("servers"), ["a-000000000003"]);
    assert_eq!(ids("printers"), ["a-000000000004"]);
    assert_eq!(ids("network"), ["a-000000000005"]);
    assert_eq!(ids("other"), ["a-000000000007"]);
    assert!(ids("tablets").is_empty());
    // Specs from the agent report.
    let server = &v["devices"][1]["devices"][0];
    assert_eq!(server["cpu"], "Intel Xeon E-2314");
    assert_eq!(server["memory_bytes"], 68719476736u64);
    assert_eq!(server["disks"].as_array().unwrap().len(), 2);
    // Licences: three machines run the bookkeeping package, two are licensed.
    let lic = &p.licences;
    assert_eq!(
        (
            lic[0].product.as_str(),
            lic[0].installed,
            lic[0].over_use,
            lic[0].expired
        ),
        ("Boekhouding Pro", 3, true, false)
    );
    assert_eq!(
        (lic[1].product.as_str(), lic[1].installed, lic[1].expired),
        ("Oude CAD", 0, true)
    );
    let firefox = p
        .software
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case("firefox"))
        .unwrap();
    assert_eq!(
        (firefox.installs, &firefox.versions[..]),
        (2, &["125.0".to_string(), "126.0".to_string()][..])
    );
    // The file server that bookkeeping needs is restored first.
    let order: Vec<(&str, Option<u8>)> = p
        .recovery_order
        .iter()
        .map(|r| (r.system.as_str(), r.priority))
        .collect();
    assert_eq!(
        order,
        [
            ("Fileserver", Some(1)),
            ("Boekhouding", Some(1)),
            ("Kassa", Some(1)),
            ("Weegschaal", None)
        ]
    );
    let kinds = |list: &[plan::model::Finding]| -> BTreeSet<String> {
        list.iter()
            .map(|f| {
                format!(
                    "{} {}",
                    serde_json::to_value(f.kind).unwrap().as_str().unwrap(),
                    f.subject
                )
            })
            .collect()
    };
    let todo = kinds(&p.to_complete);
    for want in [
        "no_serial lt-bram",
        "no_serial sw-core",
        "no_serial pc-balie",
        "no_serial 192.168.1.99",
        "unclassified 192.168.1.99",
        "agent_silent lt-bram",
        "no_out_of_hours <b>Bel</b> | Voorbeeld\nB.V.",
        "no_priority Winkel / Weegschaal",
        "test_overdue usb_drop_exercise",
    ] {
        assert!(todo.contains(want), "{want:?} not in {todo:#?}");
    }
    assert!(
        !todo.iter().any(|t| t.starts_with("no_serial pc-anna")),
        "{todo:#?}"
    );
    let risks = kinds(&p.risks);
    for want in [
        "end_of_life_os srv-files",
        "end_of_life_os pc-balie",
        "no_disk_encryption pc-anna",
        "no_firewall srv-files",
        "no_automatic_updates lt-bram",
        "exposed_service srv-files",
        "exposed_service pc-balie",
        &format!("snmp_default_community {HOSTILE_NAME}"),
        "not_enrolled pc-balie",
        "licence_over_use Boekhouding Pro",
        "licence_expired Oude CAD",
    ] {
        assert!(risks.contains(want), "{want:?} not in {risks:#?}");
    }
    let exposed = p
        .risks
        .iter()
        .find(|f| {
            f.subject == "srv-files" && f.detail.as_deref().is_some_and(|d| d.contains("RDP"))
        })
        .unwrap();
    assert_eq!(
        exposed.detail.as_deref(),
        Some("445/tcp (SMB), 3389/tcp (RDP)")
    );
    // Linux without antivirus is not a risk; Windows with Defender neither.
    assert!(
        !risks.iter().any(|r| r.starts_with("no_antivirus")),
        "{risks:#?}"
    );
}

#[test]
fn hostile_strings_are_escaped_in_every_format() {
    let p = fixed_plan();
    for lang in Lang::ALL {
        let html = doc(&p, Format::Html, lang);
        assert!(
            !html.contains("<script") && !html.contains("<b>"),
            "raw markup in HTML"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)"));
        assert!(
            !html.contains("src=") && !html.contains("href=\"http"),
            "external resource"
        );

        let md = doc(&p, Format::Md, lang);
        let unescaped = md.replace("\\<", "");
        assert!(
            !unescaped.contains("<script") && !unescaped.contains("<b>"),
            "raw markup in Markdown"
        );
        assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
        assert!(md.contains("Laser\\|Jet Pro") && !md.contains("Laser|Jet"));
        // Every table row has as many unescaped pipes as its header.
        let mut cols = 0;
        for line in md.lines() {
            let pipes = line.replace("\\|", "").matches('|').count();
            if line.starts_with("| ") && cols == 0 {
                cols = pipes;
            } else if line.starts_with('|') {
                assert_eq!(pipes, cols, "broken table row: {line}");
            } else {
                cols = 0;
            }
        }

        for (name, text) in csv_files(&p, lang) {
            for cell in text.split([',', '\n']) {
                let c = cell.trim_start_matches('\u{feff}').trim_start_matches('"');
                assert!(
                    !c.starts_with(['=', '+', '-', '@']),
                    "{name}: formula-like cell {cell:?}"
                );
            }
        }
        let all: String = csv_files(&p, lang).into_iter().map(|(_, t)| t).collect();
        assert!(all.contains("'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")"));
        assert!(all.contains("'=cmd|' /C calc'!A0") && all.contains("'@+31 20 555 0500"));
    }
    // JSON keeps them verbatim (and valid).
    let v: Value = serde_json::from_str(&doc(&p, Format::Json, Lang::En)).unwrap();
    let printer = &v["devices"][6]["devices"][0];
    assert_eq!(printer["name"], HOSTILE_NAME);
    assert_eq!(printer["vendor"], HOSTILE_VENDOR);
    assert_eq!(printer["model"], HOSTILE_MODEL);
}

/// Every text inside a zip container (XLSX, DOCX), its parts joined.
fn unzipped(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        std::io::Read::read_to_string(&mut zip.by_index(i).unwrap(), &mut all).unwrap();
    }
    all
}

/// A plan in every format, as text (XLSX and DOCX: their parts).
fn every_format(p: &Plan, lang: Lang) -> Vec<(&'static str, String)> {
    let d = layout::layout(p, lang);
    vec![
        ("md", doc(p, Format::Md, lang)),
        ("html", doc(p, Format::Html, lang)),
        ("json", doc(p, Format::Json, lang)),
        (
            "csv",
            csv_files(p, lang).into_iter().map(|(_, t)| t).collect(),
        ),
        ("xlsx", unzipped(&plan::xlsx::render(&d).unwrap())),
        ("docx", unzipped(&plan::docx::render(&d).unwrap())),
    ]
}

#[test]
fn licence_keys_appear_only_when_asked() {
    const KEY: &str = "ZQX7-LICENCE-KEY-4711";
    let mut site = plan_inventory::site();
    let cad = site
        .licences
        .as_ref()
        .unwrap()
        .items
        .iter()
        .position(|l| l.product == "Oude CAD")
        .unwrap();
    site.licences.as_mut().unwrap().items[cad].key = Some(KEY.into());
    let (assets, observations) = plan_inventory::inventory();
    let hidden = plan::build(&Inputs {
        assets: &assets,
        observations: &observations,
        site: Some(&site),
        default_communities: plan::default_communities(&["public".into(), "s3cret".into()]),
        now: plan_inventory::now(),
    });
    assert!(
        hidden == fixed_plan(),
        "a key in the site file changed the plan"
    );
    let mut shown = hidden.clone();
    plan::show_licence_keys(&mut shown, &site);
    for lang in Lang::ALL {
        let column = Msg::ColKey.text(lang);
        for (format, text) in every_format(&hidden, lang) {
            assert!(!text.contains(KEY), "{lang} {format}: key printed unasked");
            assert!(
                !text.contains(column),
                "{lang} {format}: key column unasked"
            );
        }
        for (format, text) in every_format(&shown, lang) {
            assert!(text.contains(KEY), "{lang} {format}: key not printed");
        }
        // The key column between where the key is kept and the status.
        let d = layout::layout(&shown, lang);
        let table = d
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .find_map(|b| match b {
                Block::Table(t) if t.id == "licences" => Some(t),
                _ => None,
            })
            .unwrap();
        assert_eq!(table.headers[4], Msg::ColKeyLocation.text(lang));
        assert_eq!(table.headers[5], column);
        assert_eq!(table.headers[6], Msg::ColStatus.text(lang));
        let row = table.rows.iter().find(|r| r[0] == "Oude CAD").unwrap();
        assert_eq!(row[5], KEY);
    }
    let v = serde_json::to_value(&shown).unwrap();
    assert_eq!(v["licences"][cad]["key"], KEY);
    assert_eq!(
        v["licences"][0]["key"],
        Value::Null,
        "a licence without key"
    );
    let v = serde_json::to_value(&hidden).unwrap();
    assert_eq!(v["licences"][cad]["key"], Value::Null, "the key unasked");
}

#[test]
fn xlsx_and_docx_are_not_text_formats() {
    let e = "docx".parse::<Format>().unwrap_err();
    assert!(e.contains("Word document file"), "{e}");
    let e = "xlsx".parse::<Format>().unwrap_err();
    assert!(e.contains("workbook file"), "{e}");
    assert!(
        "pdf"
            .parse::<Format>()
            .unwrap_err()
            .contains("not a format")
    );
}

#[test]
fn the_example_site_file_loads() {
    let s =
        census_collector::plan::site::load(&workspace().join("deploy/examples/site.toml")).unwrap();
    assert!(s.check().is_empty());
    assert_eq!(s.external.unwrap().parties.len(), 2);
}
