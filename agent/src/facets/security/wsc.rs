//! Windows security state as data: antivirus products from Security Center
//! (`root\SecurityCenter2` `AntiVirusProduct`, whose `productState` packs
//! "enabled" and "signatures up to date" into bit fields), BitLocker volumes
//! (`Win32_EncryptableVolume`) and the firewall's per-profile
//! `EnableFirewall` registry values. Portable, so the decoding is tested on
//! recorded values on any OS.

use crate::facets::wmi::{WmiRow, text, uint};
use census_shared::report::{Antivirus, Firewall};

/// One antivirus product from its `AntiVirusProduct` row.
pub fn antivirus(row: &WmiRow) -> Option<Antivirus> {
    let name = text(row, "displayName")?;
    let state = uint(row, "productState");
    // Bits 12–15: 1 = on (0x1000), 0 = off, 2 = snoozed, 3 = expired.
    let active = state.map(|s| (s >> 12) & 0xf == 1);
    let evidence = state.map(|s| {
        let current = (s >> 4) & 0xf == 0;
        format!(
            "SecurityCenter2 productState 0x{s:06x} ({}, signatures {})",
            if active == Some(true) { "on" } else { "off" },
            if current { "up to date" } else { "out of date" }
        )
    });
    Some(Antivirus {
        name,
        active,
        evidence,
    })
}

/// A BitLocker volume: drive letter and whether it is protected, from a
/// `Win32_EncryptableVolume` row. Protection on, or a fully encrypted
/// volume (protection suspended), counts as encrypted.
pub fn bitlocker(row: &WmiRow) -> Option<(String, bool)> {
    let letter = text(row, "DriveLetter")?;
    let protection = uint(row, "ProtectionStatus");
    let conversion = uint(row, "ConversionStatus");
    Some((letter, protection == Some(1) || conversion == Some(1)))
}

/// The firewall from the profiles' `EnableFirewall` values (`None` where
/// the value is missing). Active only when every profile that is known is on.
pub fn firewall(profiles: &[(&str, Option<u32>)]) -> Option<Firewall> {
    let known: Vec<(&str, bool)> = profiles
        .iter()
        .filter_map(|(n, v)| v.map(|v| (*n, v != 0)))
        .collect();
    if known.is_empty() {
        return None;
    }
    Some(Firewall {
        active: known.iter().all(|(_, on)| *on),
        product: Some("Windows Defender Firewall".into()),
        evidence: Some(
            known
                .iter()
                .map(|(n, on)| format!("{n} {}", if *on { "on" } else { "off" }))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: serde_json::Value) -> WmiRow {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn security_center_states() {
        let on = antivirus(&row(
            json!({"displayName": "Windows Defender", "productState": 397568}),
        ))
        .unwrap();
        assert_eq!(on.active, Some(true));
        assert!(
            on.evidence
                .unwrap()
                .contains("0x061100 (on, signatures up to date)")
        );
        let off = antivirus(&row(
            json!({"displayName": "Norton 360", "productState": 393472}),
        ))
        .unwrap();
        assert_eq!(off.active, Some(false));
        let stale =
            antivirus(&row(json!({"displayName": "ESET", "productState": 266256}))).unwrap();
        assert_eq!(stale.active, Some(true));
        assert!(stale.evidence.unwrap().contains("out of date"));
        assert!(antivirus(&row(json!({"productState": 1}))).is_none());
    }

    #[test]
    fn bitlocker_volumes() {
        let c = row(json!({"DriveLetter": "C:", "ProtectionStatus": 1, "ConversionStatus": 1}));
        let d = row(json!({"DriveLetter": "D:", "ProtectionStatus": 0, "ConversionStatus": 0}));
        let s = row(json!({"DriveLetter": "E:", "ProtectionStatus": 0, "ConversionStatus": 1}));
        assert_eq!(bitlocker(&c), Some(("C:".into(), true)));
        assert_eq!(bitlocker(&d), Some(("D:".into(), false)));
        assert_eq!(bitlocker(&s), Some(("E:".into(), true)));
        assert_eq!(bitlocker(&row(json!({"ProtectionStatus": 1}))), None);
    }

    #[test]
    fn firewall_profiles() {
        let f = firewall(&[
            ("Domain", Some(1)),
            ("Private", Some(1)),
            ("Public", Some(0)),
        ])
        .unwrap();
        assert!(!f.active);
        assert_eq!(
            f.evidence.as_deref(),
            Some("Domain on, Private on, Public off")
        );
        assert!(
            firewall(&[("Domain", Some(1)), ("Public", None)])
                .unwrap()
                .active
        );
        assert_eq!(firewall(&[("Domain", None)]), None);
    }
}
