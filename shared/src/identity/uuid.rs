//! SMBIOS system UUIDs: canonical form and validity.
//!
//! Firmware that was never given a UUID reports all zeros, all `F`s, or the
//! well-known `03000200-0400-0500-0006-000700080009` of many boards built from
//! one reference BIOS. Those never identify a machine. Whether a valid UUID is
//! *shared* (cloned VMs) can only be seen across reports: that is the merge
//! engine's job, not this module's.

use serde::{Deserialize, Serialize};

/// UUIDs that firmware reports when it has none.
pub const PLACEHOLDER_UUIDS: &[&str] = &[
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "03000200-0400-0500-0006-000700080009",
    "00020003-0004-0005-0006-000700080009",
    "12345678-1234-5678-90ab-cddeefaabbcc",
];

/// How far a UUID can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", content = "reason", rename_all = "snake_case")]
pub enum UuidVerdict {
    /// Canonical lower-case hyphenated form.
    Valid(String),
    /// Empty.
    Missing,
    /// Not 32 hex digits.
    Malformed,
    /// A known placeholder or a single repeated digit.
    Placeholder(String),
}

impl UuidVerdict {
    /// The UUID when it is valid.
    pub fn valid(&self) -> Option<&str> {
        match self {
            UuidVerdict::Valid(s) => Some(s),
            _ => None,
        }
    }
}

/// Canonical form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (lower case), from
/// hyphenated, braced (`{...}` as Windows prints it) or bare hex input.
pub fn normalize_uuid(raw: &str) -> Option<String> {
    let hex: String = raw
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .chars()
        .filter(|c| *c != '-')
        .collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let h = hex.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// Judge a hardware UUID.
pub fn check_uuid(raw: &str) -> UuidVerdict {
    if raw.trim().is_empty() {
        return UuidVerdict::Missing;
    }
    let Some(u) = normalize_uuid(raw) else {
        return UuidVerdict::Malformed;
    };
    if PLACEHOLDER_UUIDS.contains(&u.as_str()) {
        return UuidVerdict::Placeholder(format!("known placeholder {u}"));
    }
    let digits: Vec<char> = u.chars().filter(|c| *c != '-').collect();
    if digits.iter().all(|c| *c == digits[0]) {
        return UuidVerdict::Placeholder("one repeated digit".into());
    }
    UuidVerdict::Valid(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_from_any_notation() {
        let want = "4c4c4544-0042-3510-8052-b4c04f4e4d32";
        for s in [
            "4C4C4544-0042-3510-8052-B4C04F4E4D32",
            "{4C4C4544-0042-3510-8052-B4C04F4E4D32}",
            "4c4c454400423510805 2b4c04f4e4d32"
                .replace(' ', "")
                .as_str(),
        ] {
            assert_eq!(check_uuid(s).valid(), Some(want), "{s}");
        }
    }

    #[test]
    fn placeholders_and_garbage_are_rejected() {
        assert_eq!(check_uuid(""), UuidVerdict::Missing);
        assert_eq!(check_uuid("not-a-uuid"), UuidVerdict::Malformed);
        for s in [
            "00000000-0000-0000-0000-000000000000",
            "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
            "03000200-0400-0500-0006-000700080009",
            "11111111-1111-1111-1111-111111111111",
        ] {
            assert!(matches!(check_uuid(s), UuidVerdict::Placeholder(_)), "{s}");
        }
    }
}
