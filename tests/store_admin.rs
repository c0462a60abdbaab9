//! The administrators' half of the store suite (on both backends, like the
//! rest of `store.rs`): a password set and replaced (which ends that
//! administrator's sessions), sessions that expire or end, and API tokens
//! that are listed newest first, used (the use recorded), expired or
//! revoked.

use census_collector::store::admin::{NewApiToken, Session};
use census_tests::Backend;
use chrono::{Duration, Utc};

crate::store_tests!(administrators_sessions_and_api_tokens);

async fn administrators_sessions_and_api_tokens(backend: Backend, dir: &std::path::Path) {
    let store = backend.open(dir).await;
    assert!(!store.has_admin().await.unwrap());
    store
        .set_admin_password("admin".into(), "h1".into())
        .await
        .unwrap();
    assert!(store.has_admin().await.unwrap());
    assert_eq!(
        store
            .admin_password_hash("admin".into())
            .await
            .unwrap()
            .as_deref(),
        Some("h1")
    );
    assert_eq!(store.admin_password_hash("eve".into()).await.unwrap(), None);
    let session = |admin: &str, expires_at| Session {
        admin: admin.into(),
        csrf: "csrf".into(),
        expires_at,
    };
    let later = Utc::now() + Duration::hours(1);
    store
        .create_session("s1".into(), session("admin", later))
        .await
        .unwrap();
    store
        .create_session(
            "old".into(),
            session("admin", Utc::now() - Duration::seconds(1)),
        )
        .await
        .unwrap();
    assert_eq!(
        store.session("s1".into()).await.unwrap().unwrap().csrf,
        "csrf"
    );
    assert!(
        store.session("old".into()).await.unwrap().is_none(),
        "expired"
    );
    store.delete_session("s1".into()).await.unwrap();
    assert!(store.session("s1".into()).await.unwrap().is_none());
    store
        .create_session("s2".into(), session("admin", later))
        .await
        .unwrap();
    store
        .set_admin_password("admin".into(), "h2".into())
        .await
        .unwrap();
    assert!(
        store.session("s2".into()).await.unwrap().is_none(),
        "a new password ends sessions"
    );
    assert_eq!(
        store
            .admin_password_hash("admin".into())
            .await
            .unwrap()
            .as_deref(),
        Some("h2")
    );

    let token = |hash: &str, expires_at| NewApiToken {
        token_hash: hash.into(),
        name: format!("name {hash}"),
        expires_at,
    };
    let t1 = store.create_api_token(token("t1", None)).await.unwrap();
    assert!(t1.last_used_at.is_none());
    store
        .create_api_token(token("t2", Some(Utc::now() - Duration::minutes(1))))
        .await
        .unwrap();
    let used = store.use_api_token("t1".into()).await.unwrap().unwrap();
    assert_eq!(used.id, t1.id);
    assert!(
        store.use_api_token("t2".into()).await.unwrap().is_none(),
        "expired"
    );
    assert!(store.use_api_token("t9".into()).await.unwrap().is_none());
    let listed = store.list_api_tokens().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].name, "name t1", "newest first");
    assert!(listed[1].last_used_at.is_some(), "use is recorded");
    assert!(store.revoke_api_token(t1.id).await.unwrap());
    assert!(!store.revoke_api_token(t1.id + 100).await.unwrap());
    assert!(
        store.use_api_token("t1".into()).await.unwrap().is_none(),
        "revoked"
    );
    store.close().await;
}
