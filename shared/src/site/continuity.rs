//! How the office carries on: departments with the systems and data they
//! depend on (each system's restore priority and what it needs first), the
//! off-site backup, the fall-back location, replacement-hardware
//! arrangements and the yearly tests with the date each was last done.
//! Pure data; the recovery order is derived in the collector's plan.

use super::SiteDate;
use serde::{Deserialize, Serialize};

/// `[processes]` with `[[processes.departments]]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Processes {
    #[serde(default)]
    pub departments: Vec<Department>,
    pub reviewed: Option<SiteDate>,
}

/// A department and what it cannot work without.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub name: String,
    pub head: Option<String>,
    #[serde(default)]
    pub systems: Vec<System>,
}

/// A system a department depends on. The same name in several departments
/// is one system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    pub name: String,
    /// The data it holds or needs.
    pub data: Option<String>,
    /// 1 (restore first) … 4 (can wait); see [`super::PRIORITIES`].
    pub priority: Option<u8>,
    /// Systems (by name) that must run before this one.
    #[serde(default)]
    pub depends_on: Vec<String>,
}

/// `[backup]`: the off-site / offline copy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    pub location: Option<String>,
    pub custodian: Option<String>,
    /// Disk, tape, cloud, … (free text).
    pub medium: Option<String>,
    pub frequency: Option<String>,
    pub last_restore_test: Option<SiteDate>,
    pub reviewed: Option<SiteDate>,
}

/// `[fallback]`: where people work when the office cannot be used.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fallback {
    pub location: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub arrangement: Option<String>,
    pub reviewed: Option<SiteDate>,
}

/// `[replacement]`: how broken or stolen hardware is replaced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    pub supplier: Option<String>,
    pub arrangement: Option<String>,
    /// How soon replacements arrive, as agreed (free text).
    pub delivery_time: Option<String>,
    pub reviewed: Option<SiteDate>,
}

/// `[tests]` with `[[tests.yearly]]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tests {
    #[serde(default)]
    pub yearly: Vec<YearlyTest>,
    pub reviewed: Option<SiteDate>,
}

/// The exercises the plan asks for every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    RestoreBackup,
    ReachSuppliersOutOfHours,
    WorkFromFallback,
    PhishingExercise,
    UsbDropExercise,
}

impl TestKind {
    pub const ALL: [TestKind; 5] = [
        TestKind::RestoreBackup,
        TestKind::ReachSuppliersOutOfHours,
        TestKind::WorkFromFallback,
        TestKind::PhishingExercise,
        TestKind::UsbDropExercise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TestKind::RestoreBackup => "restore_backup",
            TestKind::ReachSuppliersOutOfHours => "reach_suppliers_out_of_hours",
            TestKind::WorkFromFallback => "work_from_fallback",
            TestKind::PhishingExercise => "phishing_exercise",
            TestKind::UsbDropExercise => "usb_drop_exercise",
        }
    }
}

/// One yearly test and when it was last done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearlyTest {
    pub kind: TestKind,
    pub last_done: Option<SiteDate>,
    pub notes: Option<String>,
}
