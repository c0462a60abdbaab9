//! Values into words for the renderers: sizes, specifications, roles,
//! kinds, tasks, finding labels — in the plan's language. Data strings are
//! passed through verbatim (escaping is the renderer's job).

use super::messages::{Lang, Msg};
use super::model::{DeviceRow, FindingKind};
use census_shared::site::{ExternalKind, LineKind, Member, Role, TestKind};

/// `None` as an empty cell.
pub fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// Non-empty parts joined.
pub fn join(parts: &[Option<&str>], sep: &str) -> String {
    let v: Vec<&str> = parts
        .iter()
        .flatten()
        .copied()
        .filter(|s| !s.is_empty())
        .collect();
    v.join(sep)
}

/// Bytes in binary units: `16 GiB`, `1.5 TiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if v >= 10.0 || unit == 0 {
        format!("{v:.0} {}", UNITS[unit])
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// `Vendor Model`.
pub fn make_model(vendor: &Option<String>, model: &Option<String>) -> String {
    join(&[vendor.as_deref(), model.as_deref()], " ")
}

/// CPU (cores); RAM; disks.
pub fn specs(d: &DeviceRow, lang: Lang) -> String {
    let cores = d
        .cores
        .map(|n| Msg::Cores.fill(lang, &[("n", &n.to_string())]));
    let cpu = match (&d.cpu, cores) {
        (Some(c), Some(n)) => Some(format!("{c} ({n})")),
        (c, n) => c.clone().or(n),
    };
    let ram = d
        .memory_bytes
        .map(|b| Msg::Ram.fill(lang, &[("size", &bytes(b))]));
    let disks: Vec<String> = d
        .disks
        .iter()
        .map(|k| {
            join(
                &[k.model.as_deref(), k.size_bytes.map(bytes).as_deref()],
                " ",
            )
        })
        .filter(|s| !s.is_empty())
        .collect();
    let disks = (!disks.is_empty()).then(|| disks.join(", "));
    join(&[cpu.as_deref(), ram.as_deref(), disks.as_deref()], "; ")
}

pub fn role(r: Role) -> Msg {
    match r {
        Role::ItAdministrator => Msg::RoleItAdministrator,
        Role::PrivacyOfficer => Msg::RolePrivacyOfficer,
        Role::DepartmentHead => Msg::RoleDepartmentHead,
        Role::Management => Msg::RoleManagement,
        Role::Communications => Msg::RoleCommunications,
        Role::Other => Msg::RoleOther,
    }
}

pub fn external(k: ExternalKind) -> Msg {
    match k {
        ExternalKind::ItSupplier => Msg::ExtItSupplier,
        ExternalKind::Insurer => Msg::ExtInsurer,
        ExternalKind::FacilityServices => Msg::ExtFacility,
        ExternalKind::Lawyer => Msg::ExtLawyer,
        ExternalKind::InternetProvider => Msg::ExtInternet,
        ExternalKind::PhoneProvider => Msg::ExtPhone,
        ExternalKind::Other => Msg::ExtOther,
    }
}

pub fn line(k: LineKind) -> Msg {
    match k {
        LineKind::Main => Msg::LineMain,
        LineKind::Direct => Msg::LineDirect,
        LineKind::Fax => Msg::LineFax,
        LineKind::Alarm => Msg::LineAlarm,
        LineKind::Other => Msg::LineOther,
    }
}

pub fn test(k: TestKind) -> Msg {
    match k {
        TestKind::RestoreBackup => Msg::TestRestoreBackup,
        TestKind::ReachSuppliersOutOfHours => Msg::TestReachSuppliers,
        TestKind::WorkFromFallback => Msg::TestWorkFromFallback,
        TestKind::PhishingExercise => Msg::TestPhishing,
        TestKind::UsbDropExercise => Msg::TestUsbDrop,
    }
}

/// A test by its site-file key (findings name tests that way).
pub fn test_key(key: &str, lang: Lang) -> String {
    TestKind::ALL
        .into_iter()
        .find(|k| k.as_str() == key)
        .map_or_else(|| key.to_string(), |k| test(k).text(lang).to_string())
}

/// A team member's tasks: first contact, decides, communicates, informs.
pub fn tasks(m: &Member, lang: Lang) -> String {
    let mut t: Vec<String> = Vec::new();
    for (on, msg) in [
        (m.first_contact, Msg::FirstContact),
        (m.decides, Msg::Decides),
        (m.communicates, Msg::Communicates),
    ] {
        if on {
            t.push(msg.text(lang).to_string());
        }
    }
    if !m.informs.is_empty() {
        t.push(Msg::Informs.fill(lang, &[("who", &m.informs.join(", "))]));
    }
    t.join("; ")
}

pub fn finding(k: FindingKind) -> Msg {
    use FindingKind as F;
    match k {
        F::NoSiteFile => Msg::FindNoSiteFile,
        F::SectionMissing => Msg::FindSectionMissing,
        F::SectionNotReviewed => Msg::FindSectionNotReviewed,
        F::NoFirstContact => Msg::FindNoFirstContact,
        F::NoDecider => Msg::FindNoDecider,
        F::NoSerial => Msg::FindNoSerial,
        F::Unclassified => Msg::FindUnclassified,
        F::AgentSilent => Msg::FindAgentSilent,
        F::NoOutOfHours => Msg::FindNoOutOfHours,
        F::NoPriority => Msg::FindNoPriority,
        F::TestOverdue => Msg::FindTestOverdue,
        F::EndOfLifeOs => Msg::FindEndOfLifeOs,
        F::NoDiskEncryption => Msg::FindNoDiskEncryption,
        F::NoFirewall => Msg::FindNoFirewall,
        F::NoAutomaticUpdates => Msg::FindNoAutomaticUpdates,
        F::NoAntivirus => Msg::FindNoAntivirus,
        F::ExposedService => Msg::FindExposedService,
        F::SnmpDefaultCommunity => Msg::FindSnmpDefaultCommunity,
        F::NotEnrolled => Msg::FindNotEnrolled,
        F::LicenceOverUse => Msg::FindLicenceOverUse,
        F::LicenceExpired => Msg::FindLicenceExpired,
    }
}
