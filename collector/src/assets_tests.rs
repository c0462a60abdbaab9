//! Tests of [`super`] against a real SQLite store in a temporary directory:
//! a run is saved and a second one (also after reopening) changes nothing;
//! the latest sighting of an address and MAC is used once; old scans are
//! left out; a run that lost the race to save writes nothing; and the time
//! of a recomputation over 3,000 scan observations.

use super::*;
use crate::store::sqlite::SqliteStore;
use crate::store::{AssetStore, NewScan};
use census_shared::observation::{DeviceGuess, ScanObservation};

fn obs(i: u32, at: DateTime<Utc>) -> ScanObservation {
    ScanObservation {
        ip: std::net::IpAddr::from([10, (i >> 16) as u8, (i >> 8) as u8, i as u8]),
        mac: Some(
            format!(
                "00:1b:a9:{:02x}:{:02x}:{:02x}",
                i >> 16,
                (i >> 8) & 255,
                i & 255
            )
            .parse()
            .unwrap(),
        ),
        mac_vendor: None,
        mac_local: false,
        names: vec![],
        found_by: vec![],
        rtt_ms: None,
        open_tcp: vec![],
        services: vec![],
        guess: DeviceGuess::default(),
        snmp: None,
        seen_at: at,
        site: None,
        scanner: None,
    }
}

async fn save(store: &SqliteStore, finished: DateTime<Utc>, o: Vec<ScanObservation>) {
    store
        .save_scan(NewScan {
            started_at: finished,
            finished_at: finished,
            targets: "10.0.0.0/8".into(),
            observations: o,
        })
        .await
        .unwrap();
}

fn ids(p: &Previous) -> Vec<String> {
    p.assets.iter().map(|a| a.id.0.clone()).collect()
}

#[tokio::test]
async fn runs_are_saved_and_stable_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("census.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let now = Utc::now();
    save(&store, now, (1..=3).map(|i| obs(i, now)).collect()).await;
    // The same addresses seen again: only the latest sighting counts.
    save(&store, now, (1..=3).map(|i| obs(i, now)).collect()).await;
    let s = recompute(&store).await.unwrap();
    assert_eq!((s.observations, s.assets, s.events), (3, 3, 3));
    assert_eq!(s.new_unknown_devices, 3);
    let (first, generation) = store.previous_assets().await.unwrap();
    assert_eq!(generation, 1);
    assert!(first.assets.iter().all(|a| a.unknown));
    assert_eq!(first.ids.len(), 6, "a MAC and an IP key per device");
    store.close().await;

    let store = SqliteStore::open(&path).await.unwrap();
    let s = recompute(&store).await.unwrap();
    assert_eq!((s.assets, s.events), (3, 0));
    let (again, _) = store.previous_assets().await.unwrap();
    assert_eq!(ids(&again), ids(&first));
    let a = &first.assets[0];
    let (stored, explanation) = store.asset(a.id.clone()).await.unwrap().unwrap();
    assert_eq!(stored.macs, a.macs);
    assert_eq!(explanation.unwrap().observations, a.observations);
    assert_eq!(
        store
            .events_since(now - Duration::hours(1))
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(
        store
            .events_since(Utc::now() + Duration::hours(1))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn scans_older_than_the_history_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("census.db"))
        .await
        .unwrap();
    let old = Utc::now() - scan_history() - Duration::days(1);
    save(&store, old, vec![obs(1, old)]).await;
    assert_eq!(recompute(&store).await.unwrap().observations, 0);
}

#[tokio::test]
async fn a_run_that_lost_the_race_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("census.db"))
        .await
        .unwrap();
    let now = Utc::now();
    save(&store, now, vec![obs(1, now)]).await;
    let res = current(&store).await.unwrap();
    let (_, generation) = store.previous_assets().await.unwrap();
    assert!(
        store
            .save_resolution(res.clone(), generation)
            .await
            .unwrap()
    );
    assert!(!store.save_resolution(res, generation).await.unwrap());
    assert_eq!(
        store
            .events_since(now - Duration::hours(1))
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.previous_assets().await.unwrap().1, generation + 1);
}

#[tokio::test]
async fn decisions_are_stored_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("census.db"))
        .await
        .unwrap();
    let now = Utc::now();
    save(&store, now, vec![obs(1, now)]).await;
    recompute(&store).await.unwrap();
    let id = store.previous_assets().await.unwrap().0.assets[0]
        .id
        .clone();
    let (d, _) = decide(&store, |res, did, at| {
        crate::merge::set_decision(
            res,
            &id,
            census_shared::asset::FieldName::Owner,
            Some("Jan".into()),
            did,
            at,
        )
    })
    .await
    .unwrap();
    assert_eq!(store.decisions().await.unwrap(), vec![d]);
    let (a, _) = store.asset(id.clone()).await.unwrap().unwrap();
    assert_eq!(a.owner.unwrap().value, "Jan");
    let bad = decide(&store, |res, did, at| {
        crate::merge::set_decision(
            res,
            &id,
            census_shared::asset::FieldName::Category,
            Some("toaster".into()),
            did,
            at,
        )
    })
    .await;
    assert!(matches!(bad, Err(AssetsError::Decision(_))), "{bad:?}");
    assert_eq!(
        store.decisions().await.unwrap().len(),
        1,
        "a refused decision is not stored"
    );
}

/// 3,000 devices in 12 scans of 250: load, resolve and save, timed.
#[tokio::test]
async fn recompute_time_for_3000_observations() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("census.db"))
        .await
        .unwrap();
    let now = Utc::now();
    for s in 0..12u32 {
        save(
            &store,
            now,
            (0..250).map(|i| obs(s * 250 + i + 1, now)).collect(),
        )
        .await;
    }
    let t = std::time::Instant::now();
    let first = recompute(&store).await.unwrap();
    let first_time = t.elapsed();
    let t = std::time::Instant::now();
    let second = recompute(&store).await.unwrap();
    eprintln!(
        "recompute of {} observations: first {:?} ({} events, resolve {} ms), second {:?} (resolve {} ms)",
        first.observations,
        first_time,
        first.events,
        first.resolve_millis,
        t.elapsed(),
        second.resolve_millis
    );
    assert_eq!(
        (first.assets, second.assets, second.events),
        (3000, 3000, 0)
    );
    assert!(first_time < std::time::Duration::from_secs(60));
}
