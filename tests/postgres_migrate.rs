//! `db migrate-to` end to end: a SQLite collector filled through real
//! commands (enrolment, agents' reports, a revoked agent, tokens, a
//! loopback scan, the administrator, an API token, a person's correction)
//! is copied into PostgreSQL; every table's counts and checksums match;
//! a second run is refused (not empty) unless `--force`; and a collector
//! on PostgreSQL then lists the same agents and tokens, serves the same
//! assets and builds the same plan, and carries on numbering ids; its
//! encrypted `export` imports as a SQLite collector with the same assets.

use super::{assets, fixture};
use census_tests::postgres::Postgres;
use census_tests::{Agent, Collector, bin, err, free_port, ok};
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn a_sqlite_collector_moves_to_postgres_completely() {
    let pg = Postgres::new();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("collector");
    let port = free_port();
    let c = Collector::start(&data, port, "assets_interval = \"1s\"\n");
    let agents: Vec<Agent> = ["rhel9-server", "ubuntu2204-laptop", "debian12-container"]
        .iter()
        .enumerate()
        .map(|(i, m)| Agent::enroll(&c, &dir.path().join(format!("agent{i}")), &fixture(m)))
        .collect();
    for a in &agents {
        ok(a.run_once());
        ok(a.run_once());
    }
    ok(c.admin(&["agents", "revoke", &agents[2].id]));
    ok(c.admin(&["token", "create", "--uses", "2", "--label", "spare"]));
    ok(c.admin(&["scan", "127.0.0.1", "--ports", &port.to_string(), "--save"]));
    let out = Command::new(bin("census-collector"))
        .args([
            "--config",
            c.config.to_str().unwrap(),
            "admin",
            "set-password",
        ])
        .env("CENSUS_ADMIN_PASSWORD", "correct horse battery staple")
        .output()
        .unwrap();
    ok(out);
    ok(c.admin(&["admin", "api-token", "create", "--name", "backup"]));
    let start = Instant::now();
    let server = loop {
        let list = assets(&c);
        if let Some(a) = list.iter().find(|a| {
            a["agent_ids"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i == agents[0].id.as_str())
        }) {
            break a["id"].as_str().unwrap().to_string();
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{list:#?}");
        std::thread::sleep(Duration::from_millis(200));
    };
    ok(c.admin(&["assets", "set", &server, "owner", "Jan de Vries"]));
    let config = c.config.clone();
    c.stop();
    // What the stopped collector holds (nothing recomputes it now).
    let on_sqlite = |args: &[&str]| {
        let out = Command::new(bin("census-collector"))
            .args(["--config", config.to_str().unwrap(), "--log", "warn"])
            .args(args)
            .output()
            .unwrap();
        json(&ok(out))
    };
    let mut plan_before = on_sqlite(&["plan", "--format", "json"]);
    plan_before.as_object_mut().unwrap().remove("generated_at");
    let before = (
        on_sqlite(&["agents", "list", "--json"])
            .as_array()
            .unwrap()
            .clone(),
        on_sqlite(&["token", "list", "--json"]),
        on_sqlite(&["assets", "list", "--json"])
            .as_array()
            .unwrap()
            .clone(),
        plan_before,
    );

    // The copy, verified table by table.
    let migrate = |extra: &[&str]| {
        Command::new(bin("census-collector"))
            .args([
                "--data-dir",
                data.to_str().unwrap(),
                "db",
                "migrate-to",
                &pg.url,
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let table = ok(migrate(&[]));
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 16, "{table}");
    for r in &rows {
        assert_eq!(r[1], r[2], "{table}");
        assert_eq!((r[3], r[5]), (r[4], "ok"), "{table}");
        let n = pg.psql(&format!("SELECT COUNT(*) FROM {}", r[0]));
        assert_eq!(n.trim(), r[2], "{}", r[0]);
    }
    let count = |t: &str| {
        rows.iter().find(|r| r[0] == t).unwrap()[1]
            .parse::<i64>()
            .unwrap()
    };
    assert_eq!(count("reports"), 6);
    assert_eq!(count("admins"), 1);
    assert_eq!(count("api_tokens"), 1);
    assert_eq!(count("scans"), 1);
    assert!(count("decisions") == 1 && count("assets") >= 2 && count("events") >= 2);
    // Again: refused, the target holds data; --force replaces it.
    let e = err(migrate(&[]));
    assert!(e.contains("not empty") && e.contains("--force"), "{e}");
    let forced = ok(migrate(&["--force", "--json"]));
    let checks: Vec<Value> = serde_json::from_str(&forced).unwrap();
    assert!(
        checks
            .iter()
            .all(|c| c["sqlite_sha256"] == c["postgres_sha256"])
    );

    // The same commands on PostgreSQL (no collector running) see the same.
    let on_pg = |args: &[&str]| {
        Command::new(bin("census-collector"))
            .args(["--data-dir", data.to_str().unwrap(), "--database", &pg.url])
            .args(["--log", "warn"])
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(
        json(&ok(on_pg(&["agents", "list", "--json"]))),
        Value::Array(before.0.clone())
    );
    assert_eq!(
        json(&ok(on_pg(&["assets", "list", "--json"]))),
        Value::Array(before.2.clone())
    );
    let mut plan_pg = json(&ok(on_pg(&["plan", "--format", "json"])));
    plan_pg.as_object_mut().unwrap().remove("generated_at");
    assert_eq!(plan_pg, before.3);

    // The collector on PostgreSQL serves the same data.
    let c = Collector::start(
        &data,
        free_port(),
        &format!("database = {:?}\nassets_interval = \"1s\"\n", pg.url),
    );
    assert_eq!(c.agents(), before.0);
    // The same tokens, after the one this start printed.
    let tokens = json(&ok(c.admin(&["token", "list", "--json"])));
    assert_eq!(
        &tokens.as_array().unwrap()[1..],
        &before.1.as_array().unwrap()[..]
    );
    // Recomputed there: the same assets. (Every recomputation adds one for
    // the loopback scan's observation, which has no identity key to keep
    // its id by, and carries the earlier ones over; that is the merge
    // engine's, on SQLite alike. Those are only required to stay.)
    ok(c.admin(&["assets", "recompute"]));
    let now = assets(&c);
    let keyed = |list: &[Value]| -> Vec<Value> {
        list.iter()
            .filter(|a| a["agent_ids"] != serde_json::json!([]))
            .cloned()
            .collect()
    };
    assert_eq!(keyed(&now), keyed(&before.2));
    assert!(keyed(&now).len() >= 2);
    for a in &before.2 {
        assert!(now.contains(a), "{a:#} is gone");
    }
    // New rows carry on after the copied ids.
    ok(c.admin(&["token", "create", "--label", "after"]));
    let tokens = json(&ok(c.admin(&["token", "list", "--json"])));
    let ids: Vec<i64> = tokens
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids[0], ids[1] + 1, "{tokens:#}");

    // The offline copy of the collector on PostgreSQL holds a SQLite
    // database that `import` restores with the same assets.
    let key = dir.path().join("key.txt");
    ok(Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .output()
        .unwrap());
    let public = ok(Command::new("age-keygen")
        .arg("-y")
        .arg(&key)
        .output()
        .unwrap());
    let archive = dir.path().join("copy.age");
    ok(c.admin(&[
        "export",
        "--recipient",
        public.trim(),
        "--out",
        archive.to_str().unwrap(),
    ]));
    let fresh = dir.path().join("restored");
    let restored = |args: &[&str]| {
        Command::new(bin("census-collector"))
            .args(["--data-dir", fresh.to_str().unwrap(), "--log", "warn"])
            .args(args)
            .output()
            .unwrap()
    };
    ok(restored(&[
        "import",
        archive.to_str().unwrap(),
        "--identity",
        key.to_str().unwrap(),
    ]));
    let back = json(&ok(restored(&["assets", "list", "--json"])));
    assert_eq!(back, json(&ok(c.admin(&["assets", "list", "--json"]))));
    assert_eq!(
        json(&ok(restored(&["agents", "list", "--json"]))),
        Value::Array(before.0.clone())
    );
    c.stop();
}
