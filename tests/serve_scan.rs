//! `serve` runs the scans listed in its config (`[[scan]]`), and only
//! those: the first run at start, saved to the database like `scan --save`
//! (on SQLite and on PostgreSQL). Targets are loopback only; a job naming
//! too large a range stops the collector from starting, naming the job.
//! (The SNMP credential memory is tested with the store, in `store.rs`.)

use census_tests::{Backend, Collector, bin, free_port, on_both_backends};
use std::process::Command;
use std::time::{Duration, Instant};

on_both_backends!(serve_runs_the_configured_scan_at_start_and_saves_it);

fn serve_runs_the_configured_scan_at_start_and_saves_it(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let collector = Collector::start(
        dir.path(),
        port,
        &format!(
            "{}[[scan]]\nname = \"loopback\"\ntargets = [\"127.0.0.1\"]\nevery = \"1h\"\nports = \"{port}\"\n",
            backend.config()
        ),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let start = Instant::now();
    let counts = loop {
        let counts = rt.block_on(async {
            let store = backend.open(dir.path()).await;
            let c = store.counts().await.unwrap();
            store.close().await;
            c
        });
        if counts.scans > 0 || start.elapsed() > Duration::from_secs(60) {
            break counts;
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    drop(collector);
    assert_eq!(counts.scans, 1, "one scheduled scan saved");
    assert_eq!(
        counts.scan_observations, 1,
        "127.0.0.1 answered on the collector's own port"
    );
}

#[test]
fn a_bad_scan_job_stops_the_collector_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{}\"\ndata_dir = {:?}\n[[scan]]\nname = \"whole-internet\"\ntargets = [\"10.0.0.0/8\"]\nevery = \"24h\"\n",
            free_port(),
            dir.path().to_str().unwrap()
        ),
    )
    .unwrap();
    let out = Command::new(bin("census-collector"))
        .args(["--config", config.to_str().unwrap(), "serve"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[[scan]] \"whole-internet\""), "{err}");
    assert!(err.contains("set force = true in this job"), "{err}");
}
