//! `docs/plan-json.md` against the JSON it documents: every key path of the
//! fixed test plan (`tests/fixtures/plan/plan.json`, which `tests/plan.rs`
//! keeps equal to what `--format json` prints) must have a row there, every
//! row must name a path that still exists, and each row's type, null and
//! enum claims must hold for the values in that file. So the document
//! cannot drift from the model without a test failing.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One documented path: its Type and Null cells and the whole row.
struct Row {
    kind: String,
    nullable: bool,
    text: String,
}

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The table rows of the document whose first cell is a path in backticks.
fn documented(doc: &str) -> BTreeMap<String, Row> {
    let mut rows = BTreeMap::new();
    for (n, line) in doc.lines().enumerate() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(path) = cells
            .get(1)
            .and_then(|c| c.strip_prefix('`')?.strip_suffix('`'))
        else {
            continue;
        };
        assert!(cells.len() >= 5, "docs/plan-json.md:{}: short row", n + 1);
        let row = Row {
            kind: cells[2].split_whitespace().next().unwrap_or("").to_string(),
            nullable: cells[3] == "yes",
            text: line.to_string(),
        };
        let twice = rows.insert(path.to_string(), row).is_some();
        assert!(!twice, "docs/plan-json.md:{}: {path} twice", n + 1);
    }
    rows
}

/// Every key path with the values found there (`a[].b` for key `b` of
/// the objects in array `a`).
fn walk<'a>(v: &'a Value, path: &str, out: &mut BTreeMap<String, Vec<&'a Value>>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                out.entry(p.clone()).or_default().push(x);
                walk(x, &p, out);
            }
        }
        Value::Array(items) => {
            for x in items {
                walk(x, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What is wrong between the document and the JSON text, one line each.
fn problems(doc: &str, json: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(json).expect("plan.json is JSON");
    let mut found = BTreeMap::new();
    walk(&value, "", &mut found);
    let rows = documented(doc);
    let mut out = Vec::new();
    for path in found.keys().filter(|p| !rows.contains_key(*p)) {
        out.push(format!("{path}: in the JSON but not documented"));
    }
    for path in rows.keys().filter(|p| !found.contains_key(*p)) {
        out.push(format!("{path}: documented but not in the JSON"));
    }
    for (path, values) in &found {
        let Some(row) = rows.get(path) else { continue };
        let want = if row.kind == "enum" {
            "string"
        } else {
            &row.kind
        };
        for v in values.iter().copied() {
            match v {
                Value::Null if !row.nullable => {
                    out.push(format!("{path}: null, but documented as never null"))
                }
                Value::Null => {}
                _ if kind_of(v) != want => out.push(format!(
                    "{path}: {} value, but documented as {}",
                    kind_of(v),
                    row.kind
                )),
                Value::String(s) if row.kind == "enum" && !row.text.contains(&format!("`{s}`")) => {
                    out.push(format!("{path}: value {s:?} is not listed"))
                }
                _ => {}
            }
        }
    }
    if !json.trim_start().starts_with("{\n  \"schema\":") {
        out.push("schema: not the first key".into());
    }
    out
}

#[test]
fn every_key_of_the_plans_json_is_documented_and_every_documented_key_exists() {
    let doc = read("docs/plan-json.md");
    let json = read("tests/fixtures/plan/plan.json");
    let p = problems(&doc, &json);
    assert!(
        p.is_empty(),
        "docs/plan-json.md and tests/fixtures/plan/plan.json disagree:\n{}",
        p.join("\n")
    );
}

#[test]
fn the_check_names_missing_stale_and_wrong_rows() {
    let doc = "\
| `schema` | integer | no | v |
| `a` | string | no | x |
| `gone` | string | yes | x |
| `e` | enum | no | `x` or `y` |
";
    let json = "{\n  \"schema\": 1,\n  \"a\": null,\n  \"e\": \"z\",\n  \"l\": [{\"k\": 1}]\n}";
    assert_eq!(
        problems(doc, json),
        [
            "l: in the JSON but not documented",
            "l[].k: in the JSON but not documented",
            "gone: documented but not in the JSON",
            "a: null, but documented as never null",
            "e: value \"z\" is not listed",
        ]
    );
    let json = "{\"a\": 2, \"schema\": 1}";
    let doc = "| `a` | string | no | x |\n| `schema` | integer | no | v |\n";
    assert_eq!(
        problems(doc, json),
        [
            "a: integer value, but documented as string",
            "schema: not the first key"
        ]
    );
}
