//! The admin REST API end to end: a collector on 127.0.0.1, an agent from a
//! fixture machine, admin API tokens made with the CLI. Every endpoint the
//! OpenAPI document lists refuses a request without credentials (401), with
//! an agent's secret (403), with a revoked or expired token (401); a
//! session cookie without the anti-forgery header may read but not change
//! (see tests/web.rs for sessions). Then each endpoint does its work:
//! assets listed, filtered, corrected; tokens made and revoked; site facts
//! refused with every problem by field and then saved; the plan in JSON,
//! Markdown and XLSX. Both tests run on SQLite and on PostgreSQL.

use census_tests::{Agent, Backend, Collector, fixture, free_port, ok, on_both_backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

struct Api {
    c: Collector,
    http: reqwest::Client,
    token: String,
    rt: tokio::runtime::Runtime,
    /// The database (a PostgreSQL one lives as long as the test).
    _backend: Backend,
}

impl Api {
    fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Vec<u8>) {
        self.rt.block_on(async {
            let mut r = self.http.request(method, format!("{}{path}", self.c.url));
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            if let Some(b) = body {
                r = r.json(&b);
            }
            let resp = r.send().await.unwrap();
            let status = resp.status();
            (status, resp.bytes().await.unwrap().to_vec())
        })
    }

    fn json(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let (s, b) = self.call(method, path, Some(&self.token.clone()), body);
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }

    fn get(&self, path: &str) -> Value {
        let (s, v) = self.json(Method::GET, path, None);
        assert_eq!(s, StatusCode::OK, "GET {path}: {v}");
        v
    }
}

fn start(dir: &std::path::Path, backend: Backend, extra: &str) -> Api {
    let c = Collector::start(
        &dir.join("collector"),
        free_port(),
        &format!("{}{extra}", backend.config()),
    );
    let token = ok(c.admin(&["admin", "api-token", "create", "--name", "tests"]))
        .trim()
        .to_string();
    assert!(token.starts_with("cap_"), "{token}");
    Api {
        http: c.client(),
        c,
        token,
        rt: tokio::runtime::Runtime::new().unwrap(),
        _backend: backend,
    }
}

on_both_backends!(
    every_admin_endpoint_refuses_missing_wrong_revoked_and_expired_credentials,
    each_endpoint_does_its_work,
);

/// A concrete path for a documented one (`{id}` → `x`).
fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
}

fn every_admin_endpoint_refuses_missing_wrong_revoked_and_expired_credentials(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let api = start(dir.path(), backend, "");
    let agent = Agent::enroll(&api.c, &dir.path().join("agent"), &fixture("rhel9-server"));
    let agent_toml = std::fs::read_to_string(&agent.config).unwrap();
    let secret = agent_toml
        .lines()
        .find_map(|l| l.strip_prefix("secret = "))
        .unwrap()
        .trim_matches('"')
        .to_string();
    let revoked = ok(api
        .c
        .admin(&["admin", "api-token", "create", "--name", "old"]))
    .trim()
    .to_string();
    let listed: Value =
        serde_json::from_str(&ok(api.c.admin(&["admin", "api-token", "list", "--json"]))).unwrap();
    let old_id = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "old")
        .unwrap()["id"]
        .to_string();
    ok(api.c.admin(&["admin", "api-token", "revoke", &old_id]));
    let expiring = ok(api.c.admin(&[
        "admin",
        "api-token",
        "create",
        "--name",
        "short",
        "--expires",
        "1s",
    ]))
    .trim()
    .to_string();
    std::thread::sleep(Duration::from_millis(1500));

    let (s, doc) = api.call(Method::GET, "/api/v1/openapi.json", None, None);
    assert_eq!(s, StatusCode::OK);
    let doc: Value = serde_json::from_slice(&doc).unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op["security"] == json!([]) || path == "/api/v1/reports" {
                continue;
            }
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let p = concrete(path);
            let body = Some(json!({}));
            let cases = [
                (None, StatusCode::UNAUTHORIZED, "no credentials"),
                (Some(secret.as_str()), StatusCode::FORBIDDEN, "agent secret"),
                (
                    Some(revoked.as_str()),
                    StatusCode::UNAUTHORIZED,
                    "revoked token",
                ),
                (
                    Some(expiring.as_str()),
                    StatusCode::UNAUTHORIZED,
                    "expired token",
                ),
                (Some("cap_0000"), StatusCode::UNAUTHORIZED, "unknown token"),
            ];
            for (token, want, what) in cases {
                let (got, b) = api.call(m.clone(), &p, token, body.clone());
                assert_eq!(
                    got,
                    want,
                    "{method} {path} with {what}: {}",
                    String::from_utf8_lossy(&b)
                );
                let v: Value = serde_json::from_slice(&b).unwrap();
                assert!(!v["message"].as_str().unwrap().is_empty());
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} endpoints documented");
    // The agent's secret still sends reports: refusing admin calls took nothing away.
    ok(agent.run_once());
}

fn each_endpoint_does_its_work(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let api = start(
        dir.path(),
        backend,
        "assets_interval = \"1s\"\n[[scan]]\nname = \"loopback\"\ntargets = [\"127.0.0.1\"]\nevery = \"24h\"\nports = \"\"\n",
    );
    let agent = Agent::enroll(&api.c, &dir.path().join("agent"), &fixture("rhel9-server"));
    ok(agent.run_once());

    // Assets appear after the report (serve recomputes on its own).
    let start = Instant::now();
    let assets = loop {
        let a = api.get("/api/v1/assets");
        if a.as_array()
            .unwrap()
            .iter()
            .any(|x| x["agent_ids"][0] == agent.id.as_str())
        {
            break a;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no asset for the agent: {a}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let pc = assets
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["agent_ids"][0] == agent.id.as_str())
        .unwrap();
    let id = pc["id"].as_str().unwrap().to_string();
    let serial = pc["serial"]["value"].as_str().unwrap().to_string();
    // Search and filters.
    assert_eq!(
        api.get(&format!("/api/v1/assets?q={serial}"))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        api.get("/api/v1/assets?q=no-such-thing-anywhere")
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let cat = pc["category"]["value"].as_str().unwrap();
    assert!(
        api.get(&format!("/api/v1/assets?category={cat}"))
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == id.as_str())
    );
    let (s, v) = api.json(Method::GET, "/api/v1/assets?category=spaceship", None);
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["message"].as_str().unwrap().contains("not a category"),
        "{v}"
    );

    // A person's values, with provenance.
    let (s, v) = api.json(
        Method::PATCH,
        &format!("/api/v1/assets/{id}"),
        Some(json!({"department": "Finance", "criticality": "1"})),
    );
    assert_eq!(s, StatusCode::OK, "{v}");
    let shown = api.get(&format!("/api/v1/assets/{id}"));
    assert_eq!(shown["asset"]["department"]["value"], "Finance");
    assert!(shown["explanation"].is_object());
    assert_eq!(
        api.get("/api/v1/assets?department=finance")
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (s, v) = api.json(
        Method::PATCH,
        &format!("/api/v1/assets/{id}"),
        Some(json!({"colour": "red"})),
    );
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("\"colour\" is not a field"),
        "{v}"
    );
    let (s, _) = api.json(
        Method::PATCH,
        "/api/v1/assets/a-nope",
        Some(json!({"owner": "x"})),
    );
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = api.json(
        Method::POST,
        &format!("/api/v1/assets/{id}/split"),
        Some(json!({"observation": "scan:999999"})),
    );
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        api.get("/api/v1/changes?since=1h")
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["asset"] == id.as_str())
    );
    assert!(
        api.get("/api/v1/observations")
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["kind"] == "report")
    );

    // Agents and their reports; an agent older than the collector is
    // called outdated.
    let (s, old) = api.call(
        Method::POST,
        "/api/v1/enroll",
        None,
        Some(json!({"token": api.c.token, "hostname": "old-pc", "agent_version": "0.0.1"})),
    );
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&old));
    let agents = api.get("/api/v1/agents");
    let outdated: Vec<&str> = agents
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["outdated"] == true)
        .map(|a| a["hostname"].as_str().unwrap())
        .collect();
    assert_eq!(outdated, ["old-pc"], "{agents}");
    assert!(
        agents
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == agent.id.as_str())
    );
    let report = api.get(&format!("/api/v1/agents/{}/report", agent.id));
    assert_eq!(
        report["hardware"]["serial"],
        serial.as_str(),
        "{}",
        report["hardware"]
    );

    // Enrolment tokens: made, listed, revoked, refused afterwards.
    let (s, made) = api.json(
        Method::POST,
        "/api/v1/tokens",
        Some(json!({"label": "laptops", "uses": 2, "expires": "1d"})),
    );
    assert_eq!(s, StatusCode::CREATED, "{made}");
    assert!(made["token"].as_str().unwrap().starts_with("cen_"));
    let tid = made["info"]["id"].as_i64().unwrap();
    assert!(
        api.get("/api/v1/tokens")
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["label"] == "laptops")
    );
    let (s, _) = api.json(Method::DELETE, &format!("/api/v1/tokens/{tid}"), None);
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = api.json(Method::DELETE, "/api/v1/tokens/99999", None);
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = api.json(Method::POST, "/api/v1/tokens", Some(json!({"uses": 0})));
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");

    // API tokens: a new one works, revoked it does not.
    let (s, made) = api.json(
        Method::POST,
        "/api/v1/api-tokens",
        Some(json!({"name": "backup script"})),
    );
    assert_eq!(s, StatusCode::CREATED, "{made}");
    let second = made["token"].as_str().unwrap().to_string();
    assert_eq!(
        api.call(Method::GET, "/api/v1/agents", Some(&second), None)
            .0,
        StatusCode::OK
    );
    let (s, _) = api.json(
        Method::DELETE,
        &format!("/api/v1/api-tokens/{}", made["info"]["id"]),
        None,
    );
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        api.call(Method::GET, "/api/v1/agents", Some(&second), None)
            .0,
        StatusCode::UNAUTHORIZED
    );
    let listed = api.get("/api/v1/api-tokens");
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t.get("token").is_none() && t.get("token_hash").is_none())
    );

    // Site facts: every problem by field and nothing written; then saved.
    let site = api.get("/api/v1/site");
    assert!(site["facts"].is_null(), "{site}");
    let bad = json!({"processes": {"departments": [{"name": "Finance", "systems": [{"name": "Books", "priority": 9}]}]}});
    let (s, v) = api.json(Method::PUT, "/api/v1/site", Some(bad));
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        v["problems"][0]["field"], "processes.departments[0].systems[0].priority",
        "{v}"
    );
    let site_file = api.c.data_dir.join("site.toml");
    assert!(!site_file.exists());
    let good = json!({
        "organisation": {"name": "Bakkerij <b>De Korenschoof</b>"},
        "processes": {"departments": [{"name": "Finance", "systems": [{"name": "Books", "priority": 1}]}]}
    });
    let (s, v) = api.json(Method::PUT, "/api/v1/site", Some(good));
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = std::fs::read_to_string(&site_file).unwrap();
    assert!(text.contains("priority = 1"), "{text}");
    assert_eq!(
        api.get("/api/v1/site")["facts"]["organisation"]["name"],
        "Bakkerij <b>De Korenschoof</b>"
    );
    let (s, v) = api.json(Method::PUT, "/api/v1/site", Some(json!({"spaceship": {}})));
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["message"].as_str().unwrap().contains("spaceship"), "{v}");

    // The plan in three formats, with the site facts and the asset.
    let plan = api.get("/api/v1/plan?format=json&lang=en");
    let text = plan.to_string();
    assert!(text.contains(&serial), "the PC's serial is in the plan");
    assert!(text.contains("Books"));
    // A correction shows in the next plan at once (the plan is reused only
    // while nothing it depends on changed).
    assert!(!text.contains("Logistics"));
    let (s, v) = api.json(
        Method::PATCH,
        &format!("/api/v1/assets/{id}"),
        Some(json!({"department": "Logistics"})),
    );
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(
        api.get("/api/v1/plan?format=json&lang=en")
            .to_string()
            .contains("Logistics")
    );
    let (s, md) = api.call(
        Method::GET,
        "/api/v1/plan?format=md&lang=en",
        Some(&api.token),
        None,
    );
    assert_eq!(s, StatusCode::OK);
    assert!(String::from_utf8(md).unwrap().contains("De Korenschoof"));
    let (s, xlsx) = api.call(
        Method::GET,
        "/api/v1/plan?format=xlsx&lang=nl",
        Some(&api.token),
        None,
    );
    assert_eq!(s, StatusCode::OK);
    assert_eq!(&xlsx[..2], b"PK");
    for format in ["docx", "csv"] {
        let (s, bytes) = api.call(
            Method::GET,
            &format!("/api/v1/plan?format={format}&lang=en"),
            Some(&api.token),
            None,
        );
        assert_eq!(s, StatusCode::OK, "{format}");
        assert_eq!(&bytes[..2], b"PK", "{format} is a zip container");
    }
    let (s, _) = api.json(Method::GET, "/api/v1/plan?format=pdf", None);
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = api.json(Method::GET, "/api/v1/plan?lang=de", None);
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Scans: the configured job, run by hand, is saved; unknown jobs are refused.
    let (s, v) = api.json(
        Method::POST,
        "/api/v1/scans",
        Some(json!({"job": "everything"})),
    );
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let start = Instant::now();
    let saved = loop {
        let scans = api.get("/api/v1/scans");
        assert_eq!(scans["jobs"][0]["name"], "loopback");
        if let Some(first) = scans["saved"].as_array().unwrap().first() {
            break first.clone();
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the scheduled scan was not saved: {scans}"
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    let (s, v) = api.json(
        Method::POST,
        "/api/v1/scans",
        Some(json!({"job": "loopback"})),
    );
    assert!(
        s == StatusCode::ACCEPTED || s == StatusCode::CONFLICT,
        "{s} {v}"
    );
    let one = api.get(&format!("/api/v1/scans/{}", saved["id"]));
    assert_eq!(one["scan"]["targets"], "127.0.0.1");
    assert_eq!(one["observations"][0]["ip"], "127.0.0.1");

    // Revoking the agent through the API refuses its next report.
    let (s, _) = api.json(
        Method::DELETE,
        &format!("/api/v1/agents/{}", agent.id),
        None,
    );
    assert_eq!(s, StatusCode::NO_CONTENT);
    let agents = api.get("/api/v1/agents");
    let me = agents
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == agent.id.as_str())
        .unwrap();
    assert!(me["revoked_at"].is_string(), "{me}");
    let reports_before = me["reports_received"].clone();
    let _ = agent.run_once();
    let agents = api.get("/api/v1/agents");
    let me = agents
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == agent.id.as_str())
        .unwrap();
    assert_eq!(
        me["reports_received"], reports_before,
        "a revoked agent's report was taken"
    );
}
