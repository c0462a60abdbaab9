//! Windows automatic updates as data: the Windows Update policy values
//! (`HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU`:
//! `NoAutoUpdate`, `AUOptions`) and the `wuauserv` service's start type →
//! the report's `security.automatic_updates`. Without a policy Windows
//! installs updates by itself, which is what the default says. Portable,
//! tested on values; the registry reads are in `security/windows.rs`.

use census_shared::report::AutomaticUpdates;

/// The policy key (under HKLM).
pub const AU_POLICY: &str = "SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU";

/// What the registry says; `None` where a value is absent.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct UpdateSettings {
    pub no_auto_update: Option<u32>,
    pub au_options: Option<u32>,
    /// `HKLM\SYSTEM\CurrentControlSet\Services\wuauserv\Start` (4 = disabled).
    pub service_start: Option<u32>,
}

/// Whether updates install without a person, and why.
pub fn automatic_updates(s: &UpdateSettings) -> AutomaticUpdates {
    let verdict = |enabled: bool, evidence: String| AutomaticUpdates {
        enabled,
        mechanism: Some("Windows Update".into()),
        evidence: Some(evidence),
    };
    if s.service_start == Some(4) {
        return verdict(
            false,
            "the Windows Update service (wuauserv) is disabled".into(),
        );
    }
    if s.no_auto_update == Some(1) {
        return verdict(false, format!("policy {AU_POLICY}\\NoAutoUpdate = 1"));
    }
    match s.au_options {
        None => verdict(
            true,
            "no Windows Update policy: Windows downloads and installs updates by itself".into(),
        ),
        Some(n) => {
            let (on, what) = match n {
                2 => (false, "notify before downloading"),
                3 => (false, "download, notify before installing"),
                4 => (true, "download and install on a schedule"),
                5 => (
                    true,
                    "local administrators choose; Windows' default applies",
                ),
                7 => (false, "notify before installing and restarting"),
                _ => (true, "an unknown option; Windows' default applies"),
            };
            verdict(on, format!("policy {AU_POLICY}\\AUOptions = {n}: {what}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_values_and_the_default() {
        let v = |no: Option<u32>, opt: Option<u32>, start: Option<u32>| {
            automatic_updates(&UpdateSettings {
                no_auto_update: no,
                au_options: opt,
                service_start: start,
            })
        };
        let default = v(None, None, Some(3));
        assert!(default.enabled);
        assert!(
            default
                .evidence
                .unwrap()
                .contains("no Windows Update policy")
        );
        assert!(v(None, Some(4), None).enabled);
        assert!(!v(None, Some(2), None).enabled);
        assert!(!v(None, Some(3), None).enabled);
        let off = v(Some(1), Some(4), None);
        assert!(!off.enabled);
        assert!(off.evidence.unwrap().ends_with("NoAutoUpdate = 1"));
        let disabled = v(None, Some(4), Some(4));
        assert!(!disabled.enabled);
        assert!(disabled.evidence.unwrap().contains("wuauserv"));
        assert_eq!(
            v(None, None, None).mechanism.as_deref(),
            Some("Windows Update")
        );
    }
}
