//! Random identifiers and secrets, and the one-way hash under which tokens
//! and agent secrets are stored. Secrets have 256 bits of entropy, so a
//! plain SHA-256 is enough (no password stretching needed) and lookups stay
//! a single indexed query.

use census_shared::pin::to_hex;

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).expect("the OS random number generator failed");
    to_hex(&b)
}

/// A new enrolment token: `cen_` and 64 hex digits.
pub fn new_token() -> String {
    format!("cen_{}", random_hex(32))
}

/// A new agent secret: `cas_` and 64 hex digits.
pub fn new_secret() -> String {
    format!("cas_{}", random_hex(32))
}

/// A new agent id: `agt_` and 16 hex digits.
pub fn new_agent_id() -> String {
    format!("agt_{}", random_hex(8))
}

/// A new admin API token: `cap_` and 64 hex digits.
pub fn new_api_token() -> String {
    format!("cap_{}", random_hex(32))
}

/// A new browser session id or anti-forgery token: 64 hex digits.
pub fn new_session_secret() -> String {
    random_hex(32)
}

/// Random bytes (password salts).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the OS random number generator failed");
    b
}

/// A new id for a person's decision (`assets merge/split/set`): `d-` and
/// 16 hex digits.
pub fn new_decision_id() -> String {
    format!("d-{}", random_hex(8))
}

/// The stored form of a token or secret: SHA-256, hex.
pub fn hash(secret: &str) -> String {
    hash_bytes(secret.trim().as_bytes())
}

/// SHA-256 of bytes, hex.
pub fn hash_bytes(data: &[u8]) -> String {
    to_hex(ring::digest::digest(&ring::digest::SHA256, data).as_ref())
}

#[cfg(test)]
mod tests {
    #[test]
    fn distinct_and_hashed() {
        let (a, b) = (super::new_token(), super::new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 68);
        assert_eq!(super::hash(&a), super::hash(&format!(" {a}\n")));
        assert_ne!(super::hash(&a), super::hash(&b));
        assert_eq!(
            super::hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
