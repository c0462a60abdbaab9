//! Who may use the web interface and the admin API: administrator
//! passwords (PBKDF2-HMAC-SHA256, 600,000 iterations, 16-byte salt, as
//! OWASP advises for PBKDF2; ring does the work and the constant-time
//! comparison), browser sessions (a random cookie value, stored hashed,
//! with its own anti-forgery token) and admin API tokens (`cap_…`, stored
//! hashed). There is no default password: an administrator exists only
//! after `census-collector admin set-password`.
//!
//! HTTP concerns (cookies, headers, rate limits) are the shells'
//! (`api/auth.rs`, `web/`); this module only decides.

use crate::secrets;
use crate::store::Store;
use crate::store::admin::Session;
use census_shared::pin::{from_hex, to_hex};
use chrono::{DateTime, Utc};
use std::num::NonZeroU32;

/// PBKDF2 iterations for new password hashes.
pub const ITERATIONS: u32 = 600_000;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// How long a browser session lasts.
pub const SESSION_HOURS: i64 = 12;

/// Why a password or login was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("the password is too short: use at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("wrong user name or password")]
    BadLogin,
    #[error(
        "no administrator exists yet: run `census-collector admin set-password` on the collector"
    )]
    NoAdmin,
    #[error("store: {0}")]
    Store(String),
}

fn store_err(e: crate::store::StoreError) -> AuthError {
    AuthError::Store(e.to_string())
}

/// The stored form of a password: `pbkdf2-sha256$ITER$SALT$HASH` (hex).
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AuthError::TooShort);
    }
    let salt: [u8; 16] = secrets::random_bytes();
    Ok(hash_with(password, &salt, ITERATIONS))
}

fn hash_with(password: &str, salt: &[u8], iterations: u32) -> String {
    let mut out = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        NonZeroU32::new(iterations).expect("iterations > 0"),
        salt,
        password.as_bytes(),
        &mut out,
    );
    format!(
        "pbkdf2-sha256${iterations}${}${}",
        to_hex(salt),
        to_hex(&out)
    )
}

/// Whether `password` matches a stored hash (constant time; a malformed
/// stored value matches nothing).
pub fn verify_password(password: &str, stored: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some("pbkdf2-sha256"), Some(iter), Some(salt), Some(hash), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let (Some(iter), Some(salt), Some(hash)) = (
        iter.parse::<u32>().ok().and_then(NonZeroU32::new),
        from_hex(salt),
        from_hex(hash),
    ) else {
        return false;
    };
    ring::pbkdf2::verify(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        iter,
        &salt,
        password.as_bytes(),
        &hash,
    )
    .is_ok()
}

/// A started session: the cookie value (given to the browser once) and
/// what the store keeps.
pub struct NewSession {
    pub cookie: String,
    pub session: Session,
}

/// Check a login and start a session. The same error for an unknown name
/// and a wrong password; the hash is computed either way, so timing does
/// not tell names apart.
pub async fn login(store: &dyn Store, name: &str, password: &str) -> Result<NewSession, AuthError> {
    let stored = store
        .admin_password_hash(name.to_string())
        .await
        .map_err(store_err)?;
    let ok = match &stored {
        Some(h) => verify_password(password, h),
        None => {
            // Spend the same time as a real check.
            let _ = verify_password(password, &hash_with("", &[0; 16], ITERATIONS));
            if !store.has_admin().await.map_err(store_err)? {
                return Err(AuthError::NoAdmin);
            }
            false
        }
    };
    if !ok {
        return Err(AuthError::BadLogin);
    }
    let cookie = secrets::new_session_secret();
    let session = Session {
        admin: name.to_string(),
        csrf: secrets::new_session_secret(),
        expires_at: Utc::now() + chrono::Duration::hours(SESSION_HOURS),
    };
    store
        .create_session(secrets::hash(&cookie), session.clone())
        .await
        .map_err(store_err)?;
    Ok(NewSession { cookie, session })
}

/// The live session a cookie value names.
pub async fn session(store: &dyn Store, cookie: &str) -> Result<Option<Session>, AuthError> {
    store
        .session(secrets::hash(cookie))
        .await
        .map_err(store_err)
}

/// Whether an API token's expiry has passed.
pub fn expired(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    expires_at.is_some_and(|e| e <= now)
}

/// Compare two secrets without an early exit.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash_with("correct horse battery", b"0123456789abcdef", 1000);
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterY", &a));
        let b = hash_with("correct horse battery", b"fedcba9876543210", 1000);
        assert_ne!(a, b);
        assert!(a.starts_with("pbkdf2-sha256$1000$30313233"));
    }

    #[test]
    fn malformed_stored_hashes_match_nothing() {
        for bad in [
            "",
            "pbkdf2-sha256",
            "pbkdf2-sha256$0$00$00",
            "pbkdf2-sha256$10$zz$00",
            "pbkdf2-sha256$10$00$0",
            "md5$10$00$00",
            "pbkdf2-sha256$10$00$00$extra",
        ] {
            assert!(!verify_password("", bad), "{bad}");
        }
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(hash_password("short"), Err(AuthError::TooShort));
        assert!(verify_password(
            "twelve chars",
            &hash_password("twelve chars").unwrap()
        ));
    }

    #[test]
    fn constant_time_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
