//! Two store instances on one database at once, as two collector
//! processes would have them (their own connections, their own in-process
//! locks), on both backends: concurrent ingests of the same agents (with
//! redeliveries of one report through both) lose nothing and store each
//! report once; concurrent enrolments never over-spend a token; and of two
//! recomputations saved at once from the same generation exactly one wins,
//! so every machine is one asset with one "new" event.

use super::{enrol, report};
use census_collector::store::{NewAgent, NewToken, Store, TokenRefusal};
use census_tests::Backend;
use std::path::Path;
use std::sync::Arc;

crate::store_tests!(
    concurrent_ingests_lose_nothing_and_store_each_report_once,
    concurrent_enrolments_never_overspend_a_token,
    of_two_saves_from_one_generation_exactly_one_wins,
);

const MACHINES: [&str; 4] = [
    "debian12-container",
    "ubuntu2204-laptop",
    "rhel9-server",
    "alpine319-container",
];

async fn two(backend: &Backend, dir: &Path) -> [Arc<dyn Store>; 2] {
    [backend.open(dir).await, backend.open(dir).await]
}

async fn concurrent_ingests_lose_nothing_and_store_each_report_once(backend: Backend, dir: &Path) {
    let stores = two(&backend, dir).await;
    let mut agents = Vec::new();
    for (i, _) in MACHINES.iter().enumerate() {
        agents.push(enrol(stores[0].as_ref(), &format!("agent-{i}"), "h").await);
    }
    // Each agent sends 10 reports through each store, and one report
    // through both (a redelivery to the other collector).
    let mut tasks = Vec::new();
    for (agent, machine) in agents.iter().zip(MACHINES) {
        let shared = report(machine, agent);
        for store in &stores {
            let (store, agent, shared) = (store.clone(), agent.clone(), shared.clone());
            tasks.push(tokio::spawn(async move {
                let mut stored = 0;
                for n in 0..10 {
                    let r = report(if n % 2 == 0 { machine } else { "rhel9-server" }, &agent);
                    assert!(store.ingest(agent.clone(), r).await.unwrap().stored);
                    stored += 1;
                    if n == 5 {
                        stored += store
                            .ingest(agent.clone(), shared.clone())
                            .await
                            .unwrap()
                            .stored as usize;
                    }
                }
                stored
            }));
        }
    }
    let mut stored = 0;
    for t in tasks {
        stored += t.await.unwrap();
    }
    assert_eq!(
        stored,
        MACHINES.len() * 21,
        "the shared report is stored once"
    );
    let counts = stores[1].counts().await.unwrap();
    assert_eq!(counts.reports as usize, MACHINES.len() * 21);
    for a in stores[0].list_agents().await.unwrap() {
        assert_eq!(a.reports_received, 21, "{}", a.id);
    }
    for s in stores {
        s.close().await;
    }
}

async fn concurrent_enrolments_never_overspend_a_token(backend: Backend, dir: &Path) {
    let stores = two(&backend, dir).await;
    stores[0]
        .create_token(NewToken {
            token_hash: "five".into(),
            label: None,
            uses: Some(5),
            expires_at: None,
        })
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let store = stores[i % 2].clone();
        tasks.push(tokio::spawn(async move {
            store
                .enroll(
                    "five".into(),
                    NewAgent {
                        id: format!("a{i}"),
                        secret_hash: format!("s{i}"),
                        hostname: format!("h{i}"),
                        os: None,
                        agent_version: None,
                    },
                )
                .await
                .unwrap()
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e, TokenRefusal::UsedUp),
        }
    }
    assert_eq!(ok, 5);
    let token = &stores[1].list_tokens().await.unwrap()[0];
    assert_eq!((token.uses, token.uses_left), (5, Some(0)));
    assert_eq!(stores[1].list_agents().await.unwrap().len(), 5);
    for s in stores {
        s.close().await;
    }
}

async fn of_two_saves_from_one_generation_exactly_one_wins(backend: Backend, dir: &Path) {
    let stores = two(&backend, dir).await;
    for (i, m) in MACHINES.iter().enumerate() {
        let id = enrol(stores[0].as_ref(), &format!("agent-{i}"), "h").await;
        stores[i % 2]
            .ingest(id.clone(), report(m, &id))
            .await
            .unwrap();
    }
    for round in 0..5 {
        // Both load the same generation, then save at the same moment.
        let mut runs = Vec::new();
        for s in &stores {
            let res = census_collector::assets::current(s.as_ref()).await.unwrap();
            let (_, generation) = s.previous_assets().await.unwrap();
            runs.push((s.clone(), res, generation));
        }
        assert_eq!(runs[0].2, runs[1].2);
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let tasks: Vec<_> = runs
            .into_iter()
            .map(|(s, res, generation)| {
                let barrier = barrier.clone();
                tokio::spawn(async move {
                    barrier.wait().await;
                    s.save_resolution(res, generation).await.unwrap()
                })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            won += t.await.unwrap() as usize;
        }
        assert_eq!(won, 1, "round {round}: exactly one save wins");
        assert_eq!(stores[0].assets_generation().await.unwrap(), round + 1);
    }
    let (previous, _) = stores[1].previous_assets().await.unwrap();
    assert_eq!(
        previous.assets.len(),
        MACHINES.len(),
        "one asset per machine"
    );
    let events = stores[0]
        .events_since(chrono::Utc::now() - chrono::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        events.len(),
        MACHINES.len(),
        "each machine's arrival recorded once"
    );
    for s in stores {
        s.close().await;
    }
}
