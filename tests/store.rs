//! The store test suite, run on both backends: every test here is a
//! function of a [`Backend`] and becomes `name::sqlite` and
//! `name::postgres` (a real server, `census_tests::postgres`). Enrolment
//! tokens and their refusals, agents, ingest (duplicates, history, last
//! seen), scans and SNMP credential memory, and NUL in an agent's strings
//! here; administrators, sessions and API tokens in `store_admin.rs`; the
//! assets half
//! (recomputation, decisions, the generation race) in `store_assets.rs`;
//! two store instances on one database at once in `store_concurrency.rs`;
//! the two schemas compared in `store_schema.rs`.

use census_collector::store::{IngestReport, NewAgent, NewScan, NewToken, Store, TokenRefusal};
use census_tests::{Backend, fixture};
use chrono::{Duration, Utc};
use std::sync::Arc;

#[path = "store_admin.rs"]
mod admin;
#[path = "store_assets.rs"]
mod assets;
#[path = "store_concurrency.rs"]
mod concurrency;
#[path = "store_schema.rs"]
mod schema;

/// For each async `name(backend, data_dir)`, `name::sqlite` and
/// `name::postgres` on a multi-threaded runtime.
#[macro_export]
macro_rules! store_tests {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            fn run(backend: census_tests::Backend) {
                let dir = tempfile::tempdir().unwrap();
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(4)
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(super::$name(backend, dir.path()));
            }
            #[test]
            fn sqlite() {
                run(census_tests::Backend::sqlite())
            }
            #[test]
            fn postgres() {
                run(census_tests::Backend::postgres())
            }
        }
    )*};
}

store_tests!(
    tokens_enrol_agents_until_revoked_expired_or_used_up,
    reports_are_stored_once_and_unchanged_ones_only_move_last_seen,
    scans_and_snmp_credentials_are_kept,
    nul_in_an_agents_strings_is_stored,
);

/// A report of fixture `machine` as agent `agent` sends it.
pub fn report(machine: &str, agent: &str) -> IngestReport {
    let r = census_agent::collect(
        &census_agent::probe::Probe::at(&fixture(machine)),
        Some(agent.into()),
    );
    census_collector::ingest::prepare(agent, r)
}

/// Enrol an agent with a fresh unlimited token; its id.
pub async fn enrol(store: &dyn Store, id: &str, hostname: &str) -> String {
    let token = format!("tok-{id}");
    store
        .create_token(NewToken {
            token_hash: token.clone(),
            label: None,
            uses: None,
            expires_at: None,
        })
        .await
        .unwrap();
    store
        .enroll(token, agent(id, hostname))
        .await
        .unwrap()
        .unwrap()
        .id
}

fn agent(id: &str, hostname: &str) -> NewAgent {
    NewAgent {
        id: id.into(),
        secret_hash: format!("secret-{id}"),
        hostname: hostname.into(),
        os: Some("Debian".into()),
        agent_version: Some("0.1.0".into()),
    }
}

async fn tokens_enrol_agents_until_revoked_expired_or_used_up(
    backend: Backend,
    dir: &std::path::Path,
) {
    let store = backend.open(dir).await;
    let new = |hash: &str, uses, expires_at| NewToken {
        token_hash: hash.into(),
        label: Some(format!("label {hash}")),
        uses,
        expires_at,
    };
    let two = store.create_token(new("two", Some(2), None)).await.unwrap();
    assert_eq!(
        (two.uses_left, two.uses, two.label.as_deref()),
        (Some(2), 0, Some("label two"))
    );
    let past = Utc::now() - Duration::hours(1);
    store
        .create_token(new("old", None, Some(past)))
        .await
        .unwrap();
    let gone = store.create_token(new("gone", None, None)).await.unwrap();
    assert!(store.revoke_token(gone.id).await.unwrap());
    assert!(!store.revoke_token(9999).await.unwrap());

    assert_eq!(
        store
            .enroll("nope".into(), agent("a0", "h"))
            .await
            .unwrap()
            .unwrap_err(),
        TokenRefusal::Unknown
    );
    assert_eq!(
        store
            .enroll("gone".into(), agent("a0", "h"))
            .await
            .unwrap()
            .unwrap_err(),
        TokenRefusal::Revoked
    );
    assert!(matches!(
        store.enroll("old".into(), agent("a0", "h")).await.unwrap(),
        Err(TokenRefusal::Expired(_))
    ));
    let a = store
        .enroll("two".into(), agent("a1", "zeta"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (a.kind.as_str(), a.hostname.as_str(), a.reports_received),
        ("agent", "zeta", 0)
    );
    store
        .enroll("two".into(), agent("a2", "Alpha"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store
            .enroll("two".into(), agent("a3", "h"))
            .await
            .unwrap()
            .unwrap_err(),
        TokenRefusal::UsedUp
    );

    let tokens = store.list_tokens().await.unwrap();
    let names: Vec<_> = tokens.iter().map(|t| t.label.clone().unwrap()).collect();
    assert_eq!(
        names,
        ["label gone", "label old", "label two"],
        "newest first"
    );
    let now = Utc::now();
    let states: Vec<_> = tokens.iter().map(|t| t.state(now)).collect();
    assert_eq!(states, ["revoked", "expired", "used up"]);
    assert_eq!((tokens[2].uses, tokens[2].uses_left), (2, Some(0)));

    // Agents by host name, bytewise (upper case first), as SQLite sorts.
    let agents = store.list_agents().await.unwrap();
    let hosts: Vec<_> = agents.iter().map(|a| a.hostname.as_str()).collect();
    assert_eq!(hosts, ["Alpha", "zeta"]);
    let found = store
        .agent_by_secret("secret-a1".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, "a1");
    assert!(
        store
            .agent_by_secret("secret-x".into())
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.revoke_agent("a1".into()).await.unwrap());
    assert!(!store.revoke_agent("nobody".into()).await.unwrap());
    let revoked = store
        .agent_by_secret("secret-a1".into())
        .await
        .unwrap()
        .unwrap();
    assert!(
        revoked.revoked_at.is_some(),
        "revoked agents are still found"
    );
    assert_eq!(store.counts().await.unwrap().agents, 2);
    store.close().await;
}

async fn reports_are_stored_once_and_unchanged_ones_only_move_last_seen(
    backend: Backend,
    dir: &std::path::Path,
) {
    let store = backend.open(dir).await;
    let id = enrol(store.as_ref(), "agent-1", "before").await;
    let (m0, g0) = (
        store.inputs_marker().await.unwrap(),
        store.assets_generation().await.unwrap(),
    );
    let first = report("debian12-container", &id);
    let out = store.ingest(id.clone(), first.clone()).await.unwrap();
    assert!(out.stored && out.changed);
    assert_ne!(
        store.inputs_marker().await.unwrap(),
        m0,
        "a report moves the marker"
    );
    assert_eq!(
        store.assets_generation().await.unwrap(),
        g0,
        "but not the assets"
    );
    let again = store.ingest(id.clone(), first.clone()).await.unwrap();
    assert!(
        !again.stored && !again.changed,
        "a redelivery is not stored"
    );
    let same = store
        .ingest(id.clone(), report("debian12-container", &id))
        .await
        .unwrap();
    assert!(same.stored && !same.changed);
    let other = report("rhel9-server", &id);
    assert!(
        store
            .ingest(id.clone(), other.clone())
            .await
            .unwrap()
            .changed
    );
    let c = store.counts().await.unwrap();
    assert_eq!((c.reports, c.snapshots), (3, 2));
    assert!(store.has_report(first.report_id.clone()).await.unwrap());
    assert!(!store.has_report("never".into()).await.unwrap());
    let latest = store.latest_report(id.clone()).await.unwrap().unwrap();
    assert_eq!(latest, other.json());
    let a = store
        .agent_by_secret("secret-agent-1".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.reports_received, 3);
    assert!(a.last_seen.is_some());
    assert_eq!(
        Some(a.hostname),
        other.hostname,
        "the report's host name is kept"
    );
    // The collector's own agent: created once.
    let me = store.self_agent("collector-host".into()).await.unwrap();
    assert_eq!(store.self_agent("other".into()).await.unwrap(), me);
    let kinds: Vec<_> = store
        .list_agents()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.kind)
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "collector").count(), 1);
    store.close().await;
    // Reopened: all there.
    let store = backend.open(dir).await;
    assert_eq!(store.counts().await.unwrap().reports, 3);
    assert_eq!(store.self_agent("x".into()).await.unwrap(), me);
    store.close().await;
}

async fn scans_and_snmp_credentials_are_kept(backend: Backend, dir: &std::path::Path) {
    let store = backend.open(dir).await;
    let now = Utc::now();
    let marker = store.inputs_marker().await.unwrap();
    let o = assets::obs(1, now);
    let id = store
        .save_scan(NewScan {
            started_at: now - Duration::seconds(5),
            finished_at: now,
            targets: "10.0.0.0/24".into(),
            observations: vec![o.clone(), assets::obs(2, now)],
        })
        .await
        .unwrap();
    assert_ne!(store.inputs_marker().await.unwrap(), marker);
    let scans = store.list_scans(10).await.unwrap();
    assert_eq!((scans.len(), scans[0].id, scans[0].hosts_found), (1, id, 2));
    let (info, seen) = store.scan(id).await.unwrap().unwrap();
    assert_eq!((info.targets.as_str(), seen.len()), ("10.0.0.0/24", 2));
    assert_eq!(seen[0], o);
    assert!(store.scan(id + 100).await.unwrap().is_none());
    let c = store.counts().await.unwrap();
    assert_eq!((c.scans, c.scan_observations), (1, 2));

    // The credential a device answered to is remembered and replaced.
    assert_eq!(
        store.snmp_credential("10.0.0.5".into()).await.unwrap(),
        None
    );
    for (device, cred) in [
        ("10.0.0.5", "aaaa"),
        ("10.0.0.6", "bbbb"),
        ("10.0.0.5", "cccc"),
    ] {
        store
            .remember_snmp_credential(device.into(), cred.into())
            .await
            .unwrap();
    }
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
}

async fn nul_in_an_agents_strings_is_stored(backend: Backend, dir: &std::path::Path) {
    // Enrolment and reports carry the agent's own strings: a NUL in them
    // must not make the store fail (PostgreSQL text cannot hold NUL).
    let store: Arc<dyn Store> = backend.open(dir).await;
    let id = enrol(store.as_ref(), "nul-agent", "pc\0one").await;
    let mut r = report("debian12-container", &id);
    r.hostname = Some("pc\0two".into());
    r.report.host.hostname = Some("pc\0two".into());
    r.content_hash.push('x');
    assert!(store.ingest(id.clone(), r).await.unwrap().stored);
    let a = store
        .agent_by_secret("secret-nul-agent".into())
        .await
        .unwrap()
        .unwrap();
    assert!(
        a.hostname.starts_with("pc") && a.hostname.ends_with("two"),
        "{:?}",
        a.hostname
    );
    let latest = store.latest_report(id).await.unwrap().unwrap();
    assert!(
        latest.contains("pc\\u0000two"),
        "JSON escapes NUL: {latest}"
    );
    store.close().await;
}
