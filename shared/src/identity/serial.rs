//! Serial numbers: normalisation and the list of placeholders that firmware,
//! boards and devices report instead of a real serial.
//!
//! Two PCs whose BIOS both say "To be filled by O.E.M." are two PCs. Every
//! part of Census that treats a serial as an identity goes through
//! [`check_serial`], so the list below is the single place to extend when a
//! new placeholder is met in the field. Comparison ignores case, spaces and
//! punctuation, so "To Be Filled By OEM" and "to be filled by o.e.m." match.

use serde::{Deserialize, Serialize};

/// Placeholder serials seen in SMBIOS tables, SNMP agents and WMI, compared
/// by their folded form (lower case, letters and digits only).
pub const PLACEHOLDER_SERIALS: &[&str] = &[
    "To be filled by O.E.M.",
    "To Be Filled By O.E.M. To Be Filled By O.E.M.",
    "Default string",
    "Default",
    "$(DEFAULT_STRING)",
    "System Serial Number",
    "System Serial",
    "Chassis Serial Number",
    "Base Board Serial Number",
    "Board Serial Number",
    "SerialNumber",
    "Serial Number",
    "Serial",
    "SN",
    "None",
    "Null",
    "N/A",
    "NA",
    "Not Specified",
    "Not Applicable",
    "Not Available",
    "Not Present",
    "Not Defined",
    "Unknown",
    "Invalid",
    "Empty",
    "OEM",
    "O.E.M.",
    "TBD",
    "Type1ProductConfigId",
    "Product Serial",
    "ChangeMe",
    "Please change",
    "No Asset Tag",
    "123456789",
    "0123456789",
    "1234567890",
    "01234567890",
    "12345678",
    "1234567",
];

/// How far a serial can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", content = "reason", rename_all = "snake_case")]
pub enum SerialVerdict {
    /// A plausible real serial (normalised).
    Valid(String),
    /// Nothing there (empty or whitespace).
    Missing,
    /// A placeholder; the reason names the rule that matched.
    Placeholder(String),
}

impl SerialVerdict {
    /// The serial when it is valid.
    pub fn valid(&self) -> Option<&str> {
        match self {
            SerialVerdict::Valid(s) => Some(s),
            _ => None,
        }
    }
}

/// Trim whitespace, NULs and control characters; `None` when nothing is left.
/// Does not judge validity (see [`check_serial`]).
pub fn normalize_serial(raw: &str) -> Option<String> {
    let s: String = raw.chars().filter(|c| !c.is_control()).collect();
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Judge a serial number reported by firmware, a device or a person.
pub fn check_serial(raw: &str) -> SerialVerdict {
    let Some(s) = normalize_serial(raw) else {
        return SerialVerdict::Missing;
    };
    let folded = fold(&s);
    if folded.is_empty() {
        return SerialVerdict::Placeholder("no letters or digits".into());
    }
    if let Some(p) = PLACEHOLDER_SERIALS.iter().find(|p| fold(p) == folded) {
        return SerialVerdict::Placeholder(format!("known placeholder {p:?}"));
    }
    if folded.contains("filledbyoem") || folded.contains("defaultstring") {
        return SerialVerdict::Placeholder("contains an OEM placeholder phrase".into());
    }
    let first = folded.chars().next().unwrap_or('0');
    if folded.chars().all(|c| c == first) {
        return SerialVerdict::Placeholder(format!("all the same character {first:?}"));
    }
    if folded.len() < 3 {
        return SerialVerdict::Placeholder("shorter than 3 characters".into());
    }
    if is_counting_run(&folded) {
        return SerialVerdict::Placeholder("a counting run of digits or letters".into());
    }
    SerialVerdict::Valid(s)
}

/// "0123456789", "123456", "abcdef": each character one more than the last.
fn is_counting_run(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 5 && b.windows(2).all(|w| w[1] == w[0] + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rejected() {
        for s in [
            "To be filled by O.E.M.",
            "To Be Filled By OEM",
            "Default string",
            "System Serial Number",
            "0",
            "None",
            "N/A",
            "Not Specified",
            "0123456789",
            "00000000",
            "XXXXXXXXXX",
            "0000-0000-0000",
            "....",
            "ab",
            "abcdef",
            "  not specified  ",
            "Chassis Serial Number",
        ] {
            assert!(
                matches!(check_serial(s), SerialVerdict::Placeholder(_)),
                "{s:?} should be a placeholder, got {:?}",
                check_serial(s)
            );
        }
    }

    #[test]
    fn missing_is_not_a_placeholder() {
        assert_eq!(check_serial(""), SerialVerdict::Missing);
        assert_eq!(check_serial(" \t\0\n"), SerialVerdict::Missing);
    }

    #[test]
    fn real_serials_are_kept_and_trimmed() {
        for (raw, want) in [
            ("5CD1234XYZ", "5CD1234XYZ"),
            ("  PF2ABC12 \n", "PF2ABC12"),
            ("VMware-42 1a 2b 3c", "VMware-42 1a 2b 3c"),
            ("CN0R2K3K7426159K0123A01", "CN0R2K3K7426159K0123A01"),
            ("C02XL0GJJGH5", "C02XL0GJJGH5"),
            ("E74215M4N123456", "E74215M4N123456"),
        ] {
            assert_eq!(check_serial(raw).valid(), Some(want), "{raw:?}");
        }
    }
}
