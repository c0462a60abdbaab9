//! Report parts about software and people: installed packages, local user
//! accounts, and the security posture (firewall, encryption, updates,
//! antivirus).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One installed package or application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwarePackage {
    /// Package or display name.
    pub name: String,
    /// Version as the package manager prints it.
    pub version: Option<String>,
    /// Publisher, vendor, packager or maintainer.
    pub publisher: Option<String>,
    /// Architecture (`amd64`, `x86_64`, `noarch`, `all`).
    pub arch: Option<String>,
    /// When it was installed or last upgraded, when recorded.
    pub install_date: Option<DateTime<Utc>>,
    /// Where the entry came from.
    pub source: SoftwareSource,
}

/// Package managers and registries that software is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SoftwareSource {
    Dpkg,
    Rpm,
    Apk,
    Pacman,
    Flatpak,
    Snap,
    /// Windows Uninstall registry keys.
    Registry,
    /// Windows Store / AppX.
    Appx,
    /// macOS application bundles.
    App,
    /// macOS installer receipts.
    Pkg,
    Homebrew,
}

/// Local accounts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Users {
    /// Human accounts (system accounts are left out).
    pub accounts: Vec<UserAccount>,
    /// The most recent interactive login, where the OS records it.
    pub last_login: Option<LastLogin>,
}

/// A local human account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAccount {
    /// Login name.
    pub name: String,
    /// Numeric id (Unix uid), when there is one.
    pub uid: Option<u32>,
    /// Full name (GECOS), when set.
    pub full_name: Option<String>,
    /// Home directory.
    pub home: Option<String>,
    /// Whether the account is an administrator (sudo/wheel/admin group).
    pub admin: bool,
}

/// The last login recorded by the OS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastLogin {
    /// Login name.
    pub user: String,
    /// When.
    pub at: Option<DateTime<Utc>>,
    /// Terminal or remote host, as recorded.
    pub from: Option<String>,
}

/// Security posture, as far as the host can tell without the network.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Security {
    /// Host firewall.
    pub firewall: Option<Firewall>,
    /// Whether every fixed, local volume is encrypted; `null` when unknown.
    /// Per-volume detail is in `storage.volumes[].encrypted`.
    pub disk_encryption_complete: Option<bool>,
    /// Automatic (security) updates.
    pub automatic_updates: Option<AutomaticUpdates>,
    /// Antivirus / endpoint protection products found.
    pub antivirus: Vec<Antivirus>,
}

/// Host firewall state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Firewall {
    /// Whether a firewall is configured to be active.
    pub active: bool,
    /// Which (`ufw`, `firewalld`, `nftables`, `iptables`, `Windows Firewall`).
    pub product: Option<String>,
    /// What the verdict rests on.
    pub evidence: Option<String>,
}

/// Automatic update configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutomaticUpdates {
    /// Whether updates install without a person.
    pub enabled: bool,
    /// Mechanism (`unattended-upgrades`, `dnf-automatic`, `Windows Update`).
    pub mechanism: Option<String>,
    /// What the verdict rests on.
    pub evidence: Option<String>,
}

/// An antivirus or endpoint protection product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Antivirus {
    /// Product name.
    pub name: String,
    /// Whether it is running or enabled, when known.
    pub active: Option<bool>,
    /// What it was found by.
    pub evidence: Option<String>,
}
