//! What the web interface and the admin API store: administrators
//! (password hashes), browser sessions and API tokens (SHA-256 hashes of
//! the secrets, never the secrets), and read access to saved scans. The
//! [`AdminStore`] half of the store interface; hashing and checking
//! passwords is `crate::auth`'s, not the store's.

use super::StoreFuture;
use census_shared::observation::ScanObservation;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A live browser session.
#[derive(Debug, Clone)]
pub struct Session {
    pub admin: String,
    /// The anti-forgery token every form of this session carries.
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

/// A new admin API token (hash only).
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub token_hash: String,
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// An admin API token as listed.
#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A saved scan, without its observations.
#[derive(Debug, Clone, Serialize)]
pub struct ScanInfo {
    pub id: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub targets: String,
    pub hosts_found: i64,
}

/// Administrators, sessions, API tokens and saved scans.
pub trait AdminStore: Send + Sync {
    /// The stored password hash of an administrator.
    fn admin_password_hash(&self, name: String) -> StoreFuture<'_, Option<String>>;
    /// Create the administrator or replace its password; ends its sessions.
    fn set_admin_password(&self, name: String, hash: String) -> StoreFuture<'_, ()>;
    /// Whether any administrator exists.
    fn has_admin(&self) -> StoreFuture<'_, bool>;
    /// Start a session (the cookie value's hash).
    fn create_session(&self, id_hash: String, session: Session) -> StoreFuture<'_, ()>;
    /// A session that has not expired.
    fn session(&self, id_hash: String) -> StoreFuture<'_, Option<Session>>;
    /// End a session (and forget expired ones).
    fn delete_session(&self, id_hash: String) -> StoreFuture<'_, ()>;
    /// Add an API token.
    fn create_api_token(&self, token: NewApiToken) -> StoreFuture<'_, ApiTokenInfo>;
    /// Every API token, newest first.
    fn list_api_tokens(&self) -> StoreFuture<'_, Vec<ApiTokenInfo>>;
    /// Revoke an API token; false when there is none with that id.
    fn revoke_api_token(&self, id: i64) -> StoreFuture<'_, bool>;
    /// The usable (not revoked, not expired) token with this hash; records its use.
    fn use_api_token(&self, token_hash: String) -> StoreFuture<'_, Option<ApiTokenInfo>>;
    /// Saved scans, newest first.
    fn list_scans(&self, limit: i64) -> StoreFuture<'_, Vec<ScanInfo>>;
    /// One saved scan and what it saw.
    fn scan(&self, id: i64) -> StoreFuture<'_, Option<(ScanInfo, Vec<ScanObservation>)>>;
}
