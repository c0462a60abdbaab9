//! The assets half of the store suite (on both backends, like the rest of
//! `store.rs`): a run is saved and a second one (also after reopening)
//! changes nothing; the latest sighting of an address and MAC is used once;
//! old scans are left out; a run that lost the race to save writes
//! nothing; a person's decisions are stored and applied; and the time of a
//! recomputation over 3,000 scan observations.

use census_collector::assets::{AssetsError, current, decide, recompute, scan_history};
use census_collector::merge::Previous;
use census_collector::store::{NewScan, Store};
use census_shared::observation::{DeviceGuess, ScanObservation};
use census_tests::Backend;
use chrono::{DateTime, Duration, Utc};
use std::path::Path;

crate::store_tests!(
    runs_are_saved_and_stable_across_reopening,
    scans_older_than_the_history_are_left_out,
    a_run_that_lost_the_race_writes_nothing,
    decisions_are_stored_and_applied,
    recompute_time_for_3000_observations,
);

/// Device `i` seen at `at`: address 10.x.y.z and a MAC of its own.
pub fn obs(i: u32, at: DateTime<Utc>) -> ScanObservation {
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

pub async fn save(store: &dyn Store, finished: DateTime<Utc>, o: Vec<ScanObservation>) {
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

async fn runs_are_saved_and_stable_across_reopening(backend: Backend, dir: &Path) {
    let store = backend.open(dir).await;
    let now = Utc::now();
    save(store.as_ref(), now, (1..=3).map(|i| obs(i, now)).collect()).await;
    // The same addresses seen again: only the latest sighting counts.
    save(store.as_ref(), now, (1..=3).map(|i| obs(i, now)).collect()).await;
    let s = recompute(store.as_ref()).await.unwrap();
    assert_eq!((s.observations, s.assets, s.events), (3, 3, 3));
    assert_eq!(s.new_unknown_devices, 3);
    let (first, generation) = store.previous_assets().await.unwrap();
    assert_eq!(generation, 1);
    assert!(first.assets.iter().all(|a| a.unknown));
    assert_eq!(first.ids.len(), 6, "a MAC and an IP key per device");
    store.close().await;

    let store = backend.open(dir).await;
    let s = recompute(store.as_ref()).await.unwrap();
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
    store.close().await;
}

async fn scans_older_than_the_history_are_left_out(backend: Backend, dir: &Path) {
    let store = backend.open(dir).await;
    let old = Utc::now() - scan_history() - Duration::days(1);
    save(store.as_ref(), old, vec![obs(1, old)]).await;
    assert_eq!(recompute(store.as_ref()).await.unwrap().observations, 0);
    store.close().await;
}

async fn a_run_that_lost_the_race_writes_nothing(backend: Backend, dir: &Path) {
    let store = backend.open(dir).await;
    let now = Utc::now();
    save(store.as_ref(), now, vec![obs(1, now)]).await;
    let res = current(store.as_ref()).await.unwrap();
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
    assert_eq!(store.assets_generation().await.unwrap(), generation + 1);
    store.close().await;
}

async fn decisions_are_stored_and_applied(backend: Backend, dir: &Path) {
    let store = backend.open(dir).await;
    let now = Utc::now();
    save(store.as_ref(), now, vec![obs(1, now)]).await;
    recompute(store.as_ref()).await.unwrap();
    let id = store.previous_assets().await.unwrap().0.assets[0]
        .id
        .clone();
    let (d, _) = decide(store.as_ref(), |res, did, at| {
        census_collector::merge::set_decision(
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
    let bad = decide(store.as_ref(), |res, did, at| {
        census_collector::merge::set_decision(
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
    store.close().await;
}

/// 3,000 devices in 12 scans of 250: load, resolve and save, timed.
async fn recompute_time_for_3000_observations(backend: Backend, dir: &Path) {
    let store = backend.open(dir).await;
    let now = Utc::now();
    for s in 0..12u32 {
        save(
            store.as_ref(),
            now,
            (0..250).map(|i| obs(s * 250 + i + 1, now)).collect(),
        )
        .await;
    }
    let t = std::time::Instant::now();
    let first = recompute(store.as_ref()).await.unwrap();
    let first_time = t.elapsed();
    let t = std::time::Instant::now();
    let second = recompute(store.as_ref()).await.unwrap();
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
    store.close().await;
}
