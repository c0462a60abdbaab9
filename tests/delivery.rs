//! Delivery whatever the network does: the agent refuses a collector with
//! another key, spools while the collector is down and delivers every report
//! exactly once after it returns, and a collector killed with SIGKILL while
//! agents are sending keeps every report it acknowledged (on SQLite and on
//! PostgreSQL).

use census_agent::config::AgentConfig;
use census_agent::probe::Probe;
use census_tests::{Agent, Backend, Collector, fixture, free_port, gzip, on_both_backends};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn agent_refuses_a_collector_with_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let real = Collector::start(&dir.path().join("real"), port, "");
    let a = Agent::enroll(&real, &dir.path().join("a"), &fixture("debian12-container"));
    let pinned = real.fingerprint.clone();
    real.stop();
    // Another collector (another key) appears at the same address.
    let impostor = Collector::start(&dir.path().join("impostor"), port, "");
    assert_ne!(impostor.fingerprint, pinned);
    let out = a.run_once();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "must refuse: {err}");
    assert!(
        err.contains(&pinned) && err.contains(&impostor.fingerprint),
        "error names both keys: {err}"
    );
    // Nothing reached the impostor; the report waits in the spool.
    assert!(impostor.agents().is_empty());
    assert_eq!(a.spooled(), 1);
    // Enrolment against the impostor with the old pin fails the same way.
    let out = std::process::Command::new(census_tests::bin("census-agent"))
        .args([
            "--config",
            dir.path().join("b.toml").to_str().unwrap(),
            "enroll",
            "--collector",
            &impostor.url,
        ])
        .args(["--token", &impostor.token, "--fingerprint", &pinned])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("presented key SHA-256"));
    impostor.stop();
}

#[test]
fn reports_spool_while_the_collector_is_down_and_arrive_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let data = dir.path().join("collector");
    let c = Collector::start(&data, port, "");
    let machines = ["debian12-container", "ubuntu2204-laptop", "rhel9-server"];
    let agents: Vec<Agent> = machines
        .iter()
        .enumerate()
        .map(|(i, m)| Agent::enroll(&c, &dir.path().join(format!("a{i}")), &fixture(m)))
        .collect();
    for a in &agents {
        assert!(a.run_once().status.success());
    }
    c.stop();
    // Collector down: every cycle still succeeds by spooling.
    for _ in 0..2 {
        for a in &agents {
            let out = a.run_once();
            assert!(
                out.status.success(),
                "spooling counts as success: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    for a in &agents {
        assert_eq!(a.spooled(), 2);
        let status = std::process::Command::new(census_tests::bin("census-agent"))
            .args(["--config", a.config.to_str().unwrap(), "status"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&status.stdout);
        assert!(
            text.contains("spool:         2 report(s)") && text.contains("last error:"),
            "{text}"
        );
    }
    // Back up: the next cycle delivers the spool oldest-first, then its own report.
    let c = Collector::start(&data, port, "");
    for a in &agents {
        assert!(a.run_once().status.success());
        assert_eq!(a.spooled(), 0);
    }
    // A repeated delivery of an already delivered spool file is harmless too:
    // every report produced (1 + 2 + 1 per agent) is stored exactly once.
    let list = c.agents();
    for a in &agents {
        let row = list.iter().find(|r| r["id"] == a.id.as_str()).unwrap();
        assert_eq!(row["reports_received"], 4, "{row}");
    }
    c.stop();
}

on_both_backends!(acknowledged_reports_survive_sigkill);

fn acknowledged_reports_survive_sigkill(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let data = dir.path().join("collector");
    let config = format!("{}reports_per_minute = 100000\n", backend.config());
    let c = Collector::start(&data, port, &config);
    let senders: Vec<(String, String)> = (0..4)
        .map(|i| {
            let a = Agent::enroll(
                &c,
                &dir.path().join(format!("a{i}")),
                &fixture("debian12-container"),
            );
            (a.id.clone(), AgentConfig::load(&a.config).unwrap().secret)
        })
        .collect();
    let template = census_agent::collect(&Probe::at(&fixture("debian12-container")), None);
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = c.client();
    let url = format!("{}/api/v1/reports", c.url);
    let mut tasks = Vec::new();
    for (id, secret) in senders {
        let (client, url, acked, mut report) =
            (client.clone(), url.clone(), acked.clone(), template.clone());
        tasks.push(rt.spawn(async move {
            let start = Instant::now();
            for n in 0.. {
                report.report_id = census_agent::new_report_id();
                report.agent.id = Some(id.clone());
                report.collection_duration_ms = n; // not a change: only last-seen moves
                let body = gzip(&serde_json::to_vec(&report).unwrap());
                let resp = client
                    .post(&url)
                    .bearer_auth(&secret)
                    .header("content-encoding", "gzip")
                    .body(body)
                    .send()
                    .await;
                match resp {
                    Ok(r) if r.status().is_success() => {
                        acked.lock().unwrap().push(report.report_id.clone())
                    }
                    _ => break, // the collector died under us
                }
                if start.elapsed() > Duration::from_secs(20) {
                    break;
                }
            }
        }));
    }
    // Let them send (until a few dozen are acknowledged: a loaded machine
    // takes longer), then pull the plug while they still are.
    let sending = Instant::now();
    while acked.lock().unwrap().len() < 40 && sending.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(50));
    }
    c.kill9();
    for t in tasks {
        rt.block_on(t).unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 20,
        "too few reports acknowledged before the kill: {}",
        acked.len()
    );
    // Restart on the same data: every acknowledged report is there.
    let c = Collector::start(&data, port, &backend.config());
    let store = rt.block_on(backend.open(&data));
    let mut missing = Vec::new();
    for id in &acked {
        if !rt.block_on(store.has_report(id.clone())).unwrap() {
            missing.push(id.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged reports lost: {missing:?}",
        missing.len(),
        acked.len()
    );
    let total: i64 = c
        .agents()
        .iter()
        .map(|a| a["reports_received"].as_i64().unwrap())
        .sum();
    assert!(total >= acked.len() as i64);
    c.stop();
}

#[test]
fn slow_clients_are_cut_off() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(
        &dir.path().join("c"),
        free_port(),
        "header_timeout = \"1s\"\n",
    );
    let pin = census_shared::pin::parse_fingerprint(&c.fingerprint).unwrap();
    let verifier = Arc::new(census_agent::transport::pin::PinVerifier::new(pin));
    let mut cfg = census_agent::transport::pin::client_config(verifier).unwrap();
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    let conn =
        rustls::ClientConnection::new(Arc::new(cfg), "127.0.0.1".try_into().unwrap()).unwrap();
    let tcp = std::net::TcpStream::connect(("127.0.0.1", c.port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    // Half a request, then silence.
    tls.write_all(b"POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 512];
    let n = tls.read(&mut buf).unwrap_or(0);
    let waited = start.elapsed();
    assert!(
        waited < Duration::from_secs(5),
        "connection held for {waited:?}"
    );
    // Either closed outright or answered with 408 before closing.
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(n == 0 || answer.starts_with("HTTP/1.1 408"), "{answer}");
    c.stop();
}
