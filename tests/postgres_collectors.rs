//! Collector processes on PostgreSQL (a real server, `census_tests::postgres`):
//! two `serve` processes started at once on one empty database, with
//! reports of the same machines (and one report redelivered to both) sent
//! to both at once: every acknowledged report stored exactly once, exactly
//! one asset per machine and one "new asset" event each. A SQLite
//! collector populated through real enrolment, ingest, a scan and admin
//! commands is copied by `db migrate-to`, verified table by table, and the
//! collector on PostgreSQL then serves the same agents, assets and plan.
//! Wrong passwords, missing databases, closed ports and a demand for TLS
//! are refused with what to do.

use census_agent::config::AgentConfig;
use census_agent::probe::Probe;
use census_tests::postgres::Postgres;
use census_tests::{Agent, Collector, bin, err, fixture, free_port, gzip, ok};
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

const MACHINES: [&str; 4] = [
    "debian12-container",
    "ubuntu2204-laptop",
    "rhel9-server",
    "alpine319-container",
];

fn report_of(machine: &str, agent: &str) -> (String, Vec<u8>) {
    let r = census_agent::collect(&Probe::at(&fixture(machine)), Some(agent.into()));
    (r.report_id.clone(), gzip(&serde_json::to_vec(&r).unwrap()))
}

/// POST a gzip report; (status, stored).
async fn post(client: &reqwest::Client, url: &str, secret: &str, body: Vec<u8>) -> (u16, bool) {
    let resp = client
        .post(format!("{url}/api/v1/reports"))
        .bearer_auth(secret)
        .header("content-encoding", "gzip")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    (status, v["stored"] == true)
}

fn assets(c: &Collector) -> Vec<Value> {
    serde_json::from_str(&ok(c.admin(&["assets", "list", "--json"]))).unwrap()
}

#[test]
fn two_collectors_on_one_database_ingest_the_same_machines_at_once() {
    let pg = Postgres::new();
    let dir = tempfile::tempdir().unwrap();
    let extra = format!(
        "database = {:?}\nassets_interval = \"1s\"\nreports_per_minute = 1000\n",
        pg.url
    );
    // Both start at once on the empty database: migrations run once.
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| Collector::start(&dir.path().join("a"), free_port(), &extra));
        let b = s.spawn(|| Collector::start(&dir.path().join("b"), free_port(), &extra));
        (a.join().unwrap(), b.join().unwrap())
    });
    let agents: Vec<Agent> = MACHINES
        .iter()
        .enumerate()
        .map(|(i, m)| Agent::enroll(&a, &dir.path().join(format!("agent{i}")), &fixture(m)))
        .collect();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (acked, redelivered) = rt.block_on(async {
        let mut tasks = Vec::new();
        for (agent, machine) in agents.iter().zip(MACHINES) {
            let secret = AgentConfig::load(&agent.config).unwrap().secret;
            // The same report to both collectors (an agent retrying elsewhere).
            let shared = report_of(machine, &agent.id);
            for c in [&a, &b] {
                let (client, url, secret) = (c.client(), c.url.clone(), secret.clone());
                let reports: Vec<_> = (0..8).map(|_| report_of(machine, &agent.id)).collect();
                let shared = shared.clone();
                tasks.push(tokio::spawn(async move {
                    let mut acked = Vec::new();
                    let mut shared_stored = 0;
                    for (i, (id, body)) in reports.into_iter().enumerate() {
                        let (status, stored) = post(&client, &url, &secret, body).await;
                        assert_eq!((status, stored), (200, true), "report {id}");
                        acked.push(id);
                        if i == 3 {
                            let (status, stored) =
                                post(&client, &url, &secret, shared.1.clone()).await;
                            assert_eq!(status, 200);
                            shared_stored += stored as usize;
                        }
                    }
                    (acked, shared.0, shared_stored)
                }));
            }
        }
        let mut acked = BTreeSet::new();
        let mut redelivered: std::collections::BTreeMap<String, usize> = Default::default();
        for t in tasks {
            let (ids, shared, stored) = t.await.unwrap();
            acked.extend(ids);
            *redelivered.entry(shared).or_default() += stored;
        }
        (acked, redelivered)
    });
    assert!(
        redelivered.values().all(|n| *n == 1),
        "a report sent to both collectors is stored once: {redelivered:?}"
    );
    let stored: BTreeSet<String> = pg
        .psql("SELECT report_id FROM reports")
        .lines()
        .map(str::to_string)
        .collect();
    let mut expected = acked.clone();
    expected.extend(redelivered.keys().cloned());
    assert_eq!(stored, expected, "no acknowledged report lost, none extra");
    assert_eq!(stored.len(), MACHINES.len() * 17);
    for row in a.agents() {
        assert_eq!(row["reports_received"], 17, "{row}");
    }

    // Both collectors recompute; the result is one asset per machine.
    let start = Instant::now();
    loop {
        let (x, y) = (assets(&a), assets(&b));
        let settled = x.len() == MACHINES.len() && x == y;
        if settled || start.elapsed() > Duration::from_secs(30) {
            assert_eq!(x.len(), MACHINES.len(), "{x:#?}");
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    for agent in &agents {
        let owning = assets(&b)
            .iter()
            .filter(|asset| {
                asset["agent_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i == agent.id.as_str())
            })
            .count();
        assert_eq!(owning, 1, "agent {} in one asset", agent.id);
    }
    assert_eq!(pg.psql("SELECT COUNT(*) FROM assets").trim(), "4");
    assert_eq!(
        pg.psql("SELECT COUNT(*) FROM events WHERE kind = 'new_asset'")
            .trim(),
        "4",
        "each machine's arrival recorded once"
    );
    a.stop();
    b.stop();
}

#[test]
fn wrong_passwords_and_missing_databases_are_explained() {
    let pg = Postgres::new();
    let dir = tempfile::tempdir().unwrap();
    let run = |url: &str| {
        Command::new(bin("census-collector"))
            .args(["--data-dir", dir.path().to_str().unwrap()])
            .args(["--database", url, "agents", "list"])
            .output()
            .unwrap()
    };
    let e = err(run(&pg.url_with_password("not-the-password")));
    assert!(
        e.contains("refused user \"census\"") && e.contains("password"),
        "{e}"
    );
    assert!(
        !e.contains("not-the-password"),
        "the password is not shown: {e}"
    );
    let missing = pg.url.replace(&pg.name, "no_such_db");
    let e = err(run(&missing));
    assert!(
        e.contains("\"no_such_db\" does not exist") && e.contains("createdb"),
        "{e}"
    );
    let closed = format!("postgres://census:pw@127.0.0.1:{}/x", free_port());
    let e = err(run(&closed));
    assert!(e.contains("cannot reach the PostgreSQL server"), "{e}");
    let e = err(run(&format!("{}?sslmode=require", pg.url)));
    assert!(e.contains("TLS") && e.contains("sslmode"), "{e}");
    // The right one works, through the environment too.
    let out = Command::new(bin("census-collector"))
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "agents",
            "list",
            "--json",
        ])
        .env("CENSUS_DATABASE", &pg.url)
        .output()
        .unwrap();
    assert_eq!(ok(out).trim(), "[]");
    assert!(
        !dir.path().join("census.db").exists(),
        "no SQLite file made"
    );
}

#[path = "postgres_migrate.rs"]
mod migrate;
