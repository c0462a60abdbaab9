//! `serve` runs the scans listed in its config (`[[scan]]`), and only
//! those: the first run at start, saved to the database like `scan --save`.
//! Targets are loopback only; a job naming too large a range stops the
//! collector from starting, naming the job.

use census_collector::store::Store;
use census_collector::store::sqlite::SqliteStore;
use census_tests::{Collector, bin, free_port};
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn serve_runs_the_configured_scan_at_start_and_saves_it() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let collector = Collector::start(
        dir.path(),
        port,
        &format!(
            "[[scan]]\nname = \"loopback\"\ntargets = [\"127.0.0.1\"]\nevery = \"1h\"\nports = \"{port}\"\n"
        ),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = dir.path().join("census.db");
    let start = Instant::now();
    let counts = loop {
        let counts = rt.block_on(async {
            let store = SqliteStore::open(&db).await.unwrap();
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

#[test]
fn the_credential_a_device_answered_to_is_remembered_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = SqliteStore::open(&dir.path().join("census.db"))
            .await
            .unwrap();
        assert_eq!(
            store.snmp_credential("10.0.0.5".into()).await.unwrap(),
            None
        );
        store
            .remember_snmp_credential("10.0.0.5".into(), "aaaa".into())
            .await
            .unwrap();
        store
            .remember_snmp_credential("10.0.0.6".into(), "bbbb".into())
            .await
            .unwrap();
        store
            .remember_snmp_credential("10.0.0.5".into(), "cccc".into())
            .await
            .unwrap();
        assert_eq!(
            store
                .snmp_credential("10.0.0.5".into())
                .await
                .unwrap()
                .as_deref(),
            Some("cccc")
        );
        let mut all = store.all_snmp_credentials().await.unwrap();
        all.sort();
        assert_eq!(
            all,
            [
                ("10.0.0.5".to_string(), "cccc".to_string()),
                ("10.0.0.6".into(), "bbbb".into())
            ]
        );
        store.close().await;
    });
}
