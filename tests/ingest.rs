//! Enrolment and ingest against a real collector process on 127.0.0.1:
//! three agents with different fixture machines enrol, report and are
//! listed; every kind of bad request is refused with its error and stores
//! nothing; unchanged reports only move last-seen. Each test runs on SQLite
//! and on PostgreSQL (`name::sqlite`, `name::postgres`).

use census_agent::config::AgentConfig;
use census_agent::probe::Probe;
use census_tests::{Agent, Backend, Collector, fixture, free_port, gzip, on_both_backends};
use serde_json::Value;

fn secret(a: &Agent) -> String {
    AgentConfig::load(&a.config).unwrap().secret
}

fn report_json(root: &str, agent_id: &str) -> Vec<u8> {
    let r = census_agent::collect(&Probe::at(&fixture(root)), Some(agent_id.into()));
    serde_json::to_vec(&r).unwrap()
}

async fn post(c: &Collector, secret: Option<&str>, body: Vec<u8>, gz: bool) -> (u16, Value) {
    let mut req = c
        .client()
        .post(format!("{}/api/v1/reports", c.url))
        .body(body);
    if let Some(s) = secret {
        req = req.bearer_auth(s);
    }
    if gz {
        req = req.header("content-encoding", "gzip");
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

on_both_backends!(
    three_agents_enrol_report_and_are_listed,
    bad_requests_are_refused_and_change_nothing,
    duplicates_history_and_rate_limits,
);

fn reports_of(c: &Collector, id: &str) -> i64 {
    c.agents()
        .iter()
        .find(|a| a["id"] == id)
        .map(|a| a["reports_received"].as_i64().unwrap())
        .unwrap_or(-1)
}

fn three_agents_enrol_report_and_are_listed(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        &format!("{}self_inventory_interval = \"24h\"\n", backend.config()),
    );
    let machines = [
        ("debian12-container", "vm"),
        ("ubuntu2204-laptop", ""),
        ("rhel9-server", ""),
    ];
    let mut agents = Vec::new();
    for (i, (m, _)) in machines.iter().enumerate() {
        let a = Agent::enroll(&c, &dir.path().join(format!("agent{i}")), &fixture(m));
        let out = a.run_once();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(a.spooled(), 0);
        agents.push(a);
    }
    let list = c.agents();
    // Three agents plus the collector's own inventory.
    assert_eq!(list.len(), 4, "{list:#?}");
    assert_eq!(list.iter().filter(|a| a["kind"] == "collector").count(), 1);
    for (a, (m, _)) in agents.iter().zip(machines) {
        let row = list
            .iter()
            .find(|r| r["id"] == a.id.as_str())
            .expect("agent listed");
        let want = census_agent::collect(&Probe::at(&fixture(m)), None);
        assert_eq!(
            row["hostname"].as_str(),
            want.host.hostname.as_deref(),
            "{m}"
        );
        assert_eq!(row["os"].as_str(), want.os.pretty_name.as_deref(), "{m}");
        assert_eq!(row["reports_received"], 1);
        assert!(row["last_seen"].is_string());
    }
    // The human listing says the same.
    let out = c.admin(&["agents", "list"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for a in &agents {
        assert!(text.contains(&a.id), "{text}");
    }
    // Tokens are listed, never shown.
    let out = c.admin(&["token", "list"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("printed at collector start") && !text.contains(&c.token),
        "{text}"
    );
    c.stop();
}

fn bad_requests_are_refused_and_change_nothing(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        &format!("{}max_body_bytes = 1000000\n", backend.config()),
    );
    let a = Agent::enroll(&c, &dir.path().join("a"), &fixture("debian12-container"));
    let b = Agent::enroll(&c, &dir.path().join("b"), &fixture("debian12-container"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let good = report_json("debian12-container", &a.id);
    rt.block_on(async {
        // A good report first: it is the baseline that nothing below may change.
        let (st, ack) = post(&c, Some(&secret(&a)), gzip(&good), true).await;
        assert_eq!(st, 200, "{ack}");
        assert_eq!(ack["stored"], true);

        // Both HTTP/2 (ALPN h2, what the agent's client prefers) and HTTP/1.1 are served.
        let h2 = c
            .client()
            .get(format!("{}/api/v1/health", c.url))
            .send()
            .await
            .unwrap();
        assert_eq!(h2.version(), reqwest::Version::HTTP_2);
        let pin = census_shared::pin::parse_fingerprint(&c.fingerprint).unwrap();
        let verifier = std::sync::Arc::new(census_agent::transport::pin::PinVerifier::new(pin));
        let mut tls = census_agent::transport::pin::client_config(verifier).unwrap();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let h1 = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .build()
            .unwrap();
        let r = h1
            .get(format!("{}/api/v1/health", c.url))
            .send()
            .await
            .unwrap();
        assert_eq!(
            (r.version(), r.status().as_u16()),
            (reqwest::Version::HTTP_11, 200)
        );

        // No or a wrong secret: 401.
        let (st, e) = post(&c, None, gzip(&good), true).await;
        assert_eq!((st, e["error"].as_str()), (401, Some("unauthorized")));
        let (st, e) = post(&c, Some("cas_nope"), gzip(&good), true).await;
        assert_eq!(st, 401);
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("unknown agent secret"),
            "{e}"
        );

        // Tampered bodies: broken gzip, broken JSON, wrong shape → 400.
        let mut bad = gzip(&good);
        let n = bad.len();
        bad[n / 2] ^= 0xff;
        bad.truncate(n - 9);
        let (st, e) = post(&c, Some(&secret(&a)), bad, true).await;
        assert_eq!(st, 400, "{e}");
        let (st, e) = post(
            &c,
            Some(&secret(&a)),
            b"{\"schema_version\": 1, \"report_id\"".to_vec(),
            false,
        )
        .await;
        assert_eq!(st, 400);
        assert!(
            e["message"].as_str().unwrap().contains("not valid JSON"),
            "{e}"
        );
        let mut v: Value = serde_json::from_slice(&good).unwrap();
        v["report_id"] = "fresh-id-1".into();
        v["software"] = "everything".into();
        let (st, e) = post(
            &c,
            Some(&secret(&a)),
            serde_json::to_vec(&v).unwrap(),
            false,
        )
        .await;
        assert_eq!(st, 400);
        assert!(e["message"].as_str().unwrap().contains("software"), "{e}");

        // An old schema version: 400 naming it.
        let mut v: Value = serde_json::from_slice(&good).unwrap();
        v["report_id"] = "fresh-id-2".into();
        v["schema_version"] = 0.into();
        let (st, e) = post(
            &c,
            Some(&secret(&a)),
            serde_json::to_vec(&v).unwrap(),
            false,
        )
        .await;
        assert_eq!((st, e["error"].as_str()), (400, Some("unsupported_schema")));
        assert!(
            e["message"].as_str().unwrap().contains("schema_version 0"),
            "{e}"
        );

        // Over the limit, plain and as a gzip bomb: 413.
        let big = vec![b' '; 1_200_000];
        let (st, e) = post(&c, Some(&secret(&a)), big.clone(), false).await;
        assert_eq!((st, e["error"].as_str()), (413, Some("too_large")));
        let (st, _) = post(&c, Some(&secret(&a)), gzip(&big), true).await;
        assert_eq!(st, 413);

        // A revoked agent: 401, nothing stored.
        let out = c.admin(&["agents", "revoke", &b.id]);
        assert!(out.status.success());
        let (st, e) = post(
            &c,
            Some(&secret(&b)),
            gzip(&report_json("debian12-container", &b.id)),
            true,
        )
        .await;
        assert_eq!(st, 401);
        assert!(e["message"].as_str().unwrap().contains("revoked"), "{e}");
    });
    assert_eq!(
        reports_of(&c, &a.id),
        1,
        "refused requests must not store anything"
    );
    assert_eq!(reports_of(&c, &b.id), 0);

    // A wrong or revoked enrolment token: enrolment fails with the reason.
    let out = std::process::Command::new(census_tests::bin("census-agent"))
        .args([
            "--config",
            dir.path().join("x.toml").to_str().unwrap(),
            "enroll",
            "--collector",
            &c.url,
        ])
        .args(["--token", "cen_wrong", "--fingerprint", &c.fingerprint])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown enrolment token"));
    assert!(!dir.path().join("x.toml").exists());
    let out = c.admin(&["token", "create", "--uses", "1", "--label", "one-off"]);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("cen_") && String::from_utf8_lossy(&out.stderr).contains("uses 1"));
    let id = c.admin(&["token", "list", "--json"]);
    let tokens: Value = serde_json::from_slice(&id.stdout).unwrap();
    let one_off = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"] == "one-off")
        .unwrap()["id"]
        .to_string();
    assert!(c.admin(&["token", "revoke", &one_off]).status.success());
    let out = std::process::Command::new(census_tests::bin("census-agent"))
        .args([
            "--config",
            dir.path().join("y.toml").to_str().unwrap(),
            "enroll",
            "--collector",
            &c.url,
        ])
        .args(["--token", &token, "--fingerprint", &c.fingerprint])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("revoked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    c.stop();
}

fn duplicates_history_and_rate_limits(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        &format!("{}reports_per_minute = 4\n", backend.config()),
    );
    let a = Agent::enroll(&c, &dir.path().join("a"), &fixture("debian12-container"));
    let s = secret(&a);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let first = report_json("debian12-container", &a.id);
        let (st, ack) = post(&c, Some(&s), gzip(&first), true).await;
        assert_eq!(
            (st, ack["stored"].clone(), ack["changed"].clone()),
            (200, true.into(), true.into())
        );
        // The same report again (a retried delivery): acknowledged, not stored.
        let (st, ack) = post(&c, Some(&s), gzip(&first), true).await;
        assert_eq!((st, ack["stored"].clone()), (200, false.into()));
        // A new report with the same inventory: stored, unchanged.
        let (st, ack) = post(
            &c,
            Some(&s),
            gzip(&report_json("debian12-container", &a.id)),
            true,
        )
        .await;
        assert_eq!(
            (st, ack["stored"].clone(), ack["changed"].clone()),
            (200, true.into(), false.into())
        );
        // A different inventory: a change, kept as history.
        let (st, ack) = post(
            &c,
            Some(&s),
            gzip(&report_json("rhel9-server", &a.id)),
            true,
        )
        .await;
        assert_eq!((st, ack["changed"].clone()), (200, true.into()));
        // The fifth request within the minute: 429 with Retry-After.
        let resp = c
            .client()
            .post(format!("{}/api/v1/reports", c.url))
            .bearer_auth(&s)
            .body(report_json("debian12-container", &a.id))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 429);
        assert!(resp.headers().get("retry-after").is_some());
    });
    assert_eq!(reports_of(&c, &a.id), 3);
    c.stop();
    // History: two distinct inventories, three reports.
    let counts = rt.block_on(async {
        let store = backend.open(&dir.path().join("collector")).await;
        let counts = store.counts().await.unwrap();
        store.close().await;
        counts
    });
    assert_eq!((counts.reports, counts.snapshots), (3, 2));
}
