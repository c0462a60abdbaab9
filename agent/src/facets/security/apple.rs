//! macOS security state as data: FileVault from `fdesetup status` and the
//! application firewall from
//! `/usr/libexec/ApplicationFirewall/socketfilterfw --getglobalstate`.
//! Portable, tested on their outputs.

use census_shared::report::Firewall;

/// FileVault from `fdesetup status`: `Some(true)` when on (also while
/// encryption is still in progress: the volume is being protected),
/// `Some(false)` when off or decrypting, `None` for anything else.
pub fn filevault(status: &str) -> Option<bool> {
    let s = status.trim();
    if s.contains("Decryption in progress") {
        return Some(false);
    }
    if s.starts_with("FileVault is On") || s.contains("Encryption in progress") {
        Some(true)
    } else if s.starts_with("FileVault is Off") {
        Some(false)
    } else {
        None
    }
}

/// The application firewall from `socketfilterfw --getglobalstate`
/// ("Firewall is enabled. (State = 1)"; 2 is "block all").
pub fn application_firewall(output: &str) -> Option<Firewall> {
    let s = output.trim();
    let active = if s.contains("enabled") || s.contains("blocking all") {
        true
    } else if s.contains("disabled") {
        false
    } else {
        return None;
    };
    Some(Firewall {
        active,
        product: Some("macOS Application Firewall".into()),
        evidence: Some(format!("socketfilterfw: {}", s.lines().next().unwrap_or(s))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fdesetup_outputs() {
        assert_eq!(filevault("FileVault is On.\n"), Some(true));
        assert_eq!(filevault("FileVault is Off.\n"), Some(false));
        assert_eq!(
            filevault("FileVault is On.\nEncryption in progress: Percent completed = 42.1\n"),
            Some(true)
        );
        assert_eq!(
            filevault("FileVault is On.\nDecryption in progress: Percent completed = 10.0\n"),
            Some(false)
        );
        assert_eq!(filevault("fdesetup: command not found"), None);
    }

    #[test]
    fn socketfilterfw_outputs() {
        let on = application_firewall("Firewall is enabled. (State = 1)\n").unwrap();
        assert!(on.active);
        assert_eq!(
            on.evidence.as_deref(),
            Some("socketfilterfw: Firewall is enabled. (State = 1)")
        );
        assert!(
            application_firewall(
                "Firewall is blocking all non-essential incoming connections. (State = 2)"
            )
            .unwrap()
            .active
        );
        assert!(
            !application_firewall("Firewall is disabled. (State = 0)")
                .unwrap()
                .active
        );
        assert_eq!(application_firewall(""), None);
    }
}
