//! `census-loadgen`: many agents posting realistic reports to a collector
//! over TLS at once, for `tests/bench/ingest.sh`. Enrols `--agents` agents
//! with a token, then keeps `--concurrency` requests in flight for
//! `--duration`, and prints reports/s and latency percentiles. With
//! `--url2`/`--fingerprint2` (a second collector on the same database,
//! `tests/bench/ingest-pg.sh`) the requests alternate between the two.
//!
//! Reports are the `debian12-container` fixture's (≈700 packages) with five
//! interfaces; one report in ten changes a package version so the history
//! path is exercised too. Use only against collectors on loopback.

use census_agent::probe::Probe;
use census_shared::api::{EnrollRequest, EnrollResponse};
use census_shared::report::{Interface, InterfaceKind, IpNet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Args {
    url: String,
    fingerprint: String,
    url2: Option<String>,
    fingerprint2: Option<String>,
    token: String,
    agents: usize,
    concurrency: usize,
    duration: Duration,
}

fn args() -> Args {
    let mut a = Args {
        url: String::new(),
        fingerprint: String::new(),
        url2: None,
        fingerprint2: None,
        token: String::new(),
        agents: 64,
        concurrency: 64,
        duration: Duration::from_secs(10),
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    for pair in v.chunks(2) {
        let val = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--url" => a.url = val,
            "--fingerprint" => a.fingerprint = val,
            "--url2" => a.url2 = Some(val),
            "--fingerprint2" => a.fingerprint2 = Some(val),
            "--token" => a.token = val,
            "--agents" => a.agents = val.parse().expect("--agents N"),
            "--concurrency" => a.concurrency = val.parse().expect("--concurrency N"),
            "--duration" => {
                a.duration = census_shared::duration::parse_duration(&val).expect("--duration")
            }
            other => panic!("unknown argument {other}"),
        }
    }
    for url in std::iter::once(&a.url).chain(&a.url2) {
        assert!(
            url.starts_with("https://127.") || url.starts_with("https://[::1]"),
            "loopback collectors only"
        );
    }
    assert_eq!(
        a.url2.is_some(),
        a.fingerprint2.is_some(),
        "--url2 needs --fingerprint2"
    );
    a
}

/// A client that pins `fingerprint`.
fn pinned_client(fingerprint: &str, idle: usize) -> reqwest::Client {
    let pin = census_shared::pin::parse_fingerprint(fingerprint).expect("fingerprint");
    let verifier = Arc::new(census_agent::transport::pin::PinVerifier::new(pin));
    let tls = census_agent::transport::pin::client_config(verifier).unwrap();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .pool_max_idle_per_host(idle)
        .build()
        .unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[tokio::main]
async fn main() {
    let a = args();
    let client = pinned_client(&a.fingerprint, a.concurrency);
    // Where each request goes: the collector, or alternately both.
    let mut targets = vec![(client.clone(), a.url.clone())];
    if let (Some(url), Some(fp)) = (&a.url2, &a.fingerprint2) {
        targets.push((pinned_client(fp, a.concurrency), url.clone()));
    }

    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hosts/debian12-container");
    let mut template = census_agent::collect(&Probe::at(&fixture), None);
    let base = template.network.interfaces[0].clone();
    for i in 0..5 - template.network.interfaces.len().min(5) {
        template.network.interfaces.push(Interface {
            name: format!("eth{}", i + 1),
            addresses: vec![IpNet {
                address: format!("192.0.2.{}", 10 + i).parse().unwrap(),
                prefix_len: 24,
            }],
            kind: InterfaceKind::Ethernet,
            ..base.clone()
        });
    }

    let mut secrets = Vec::new();
    for i in 0..a.agents {
        let req = EnrollRequest {
            token: a.token.clone(),
            hostname: format!("pc-{i:04}"),
            os: None,
            agent_version: None,
        };
        let r: EnrollResponse = client
            .post(format!("{}/api/v1/enroll", a.url))
            .json(&req)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        secrets.push((r.agent_id, r.secret));
    }
    // Bodies are built before the clock starts (real agents compress on
    // their own machines, not on the collector's cores): enough for the
    // run at up to 1500 reports/s, each with its own report id.
    let want = (a.duration.as_secs_f64() * 1500.0) as usize + a.concurrency;
    eprintln!("preparing {want} report bodies...");
    let template = Arc::new(template);
    let secrets = Arc::new(secrets);
    let mut builders = Vec::new();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    for w in 0..workers {
        let (template, secrets) = (template.clone(), secrets.clone());
        builders.push(std::thread::spawn(move || {
            (w..want)
                .step_by(workers)
                .map(|n| {
                    let (id, secret) = &secrets[n % secrets.len()];
                    let mut r = (*template).clone();
                    r.report_id = census_agent::new_report_id();
                    r.agent.id = Some(id.clone());
                    r.host.hostname = Some(format!("pc-{}", n % secrets.len()));
                    if n % 10 == 0 {
                        r.software[0].version = Some(format!("1.{n}"));
                    }
                    (secret.clone(), gzip(&serde_json::to_vec(&r).unwrap()))
                })
                .collect::<Vec<_>>()
        }));
    }
    let bodies: Vec<(String, Vec<u8>)> = builders
        .into_iter()
        .flat_map(|b| b.join().unwrap())
        .collect();
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..a.concurrency {
        let (client, url) = targets[k % targets.len()].clone();
        let (client, bodies, next, done, errors, url) = (
            client,
            bodies.clone(),
            next.clone(),
            done.clone(),
            errors.clone(),
            url,
        );
        let dur = a.duration;
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while start.elapsed() < dur {
                let Some((secret, body)) = bodies.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    break;
                };
                let t = Instant::now();
                let resp = client
                    .post(format!("{url}/api/v1/reports"))
                    .bearer_auth(secret)
                    .header("content-encoding", "gzip")
                    .body(body.clone())
                    .send()
                    .await;
                match resp {
                    Ok(x) if x.status().is_success() => {
                        lat.push(t.elapsed());
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let secs = start.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    let n = done.load(Ordering::Relaxed);
    println!(
        "{{\"reports\": {n}, \"errors\": {}, \"seconds\": {secs:.2}, \"reports_per_s\": {:.1}, \"p50_ms\": {:.1}, \"p99_ms\": {:.1}, \"max_ms\": {:.1}}}",
        errors.load(Ordering::Relaxed),
        n as f64 / secs,
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
}
