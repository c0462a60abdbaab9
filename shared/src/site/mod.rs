//! Site facts: what no protocol can discover — the organisation, the
//! calamity team, suppliers and their out-of-hours numbers, the internet
//! connections, phone lines, cloud services, mobile devices, licences,
//! departments with the systems they depend on and each system's restore
//! priority, the off-site backup, the fall-back location, replacement
//! hardware and the yearly tests. People write them in `site.toml`
//! (documented in `deploy/examples/site.toml`); the plan joins them with the
//! discovered assets.
//!
//! This module is the serde model and the semantic checks
//! ([`SiteFacts::check`]) that name the offending field by its path. It
//! does not read files or know TOML: the collector's `plan::site` parses,
//! and turns a path into a line number. Unknown keys are refused
//! (`deny_unknown_fields`) so that a typo is an error, not a silent gap.

mod continuity;
mod date;
mod people;
mod services;
mod validate;

pub use continuity::{
    Backup, Department, Fallback, Processes, Replacement, System, TestKind, Tests, YearlyTest,
};
pub use date::SiteDate;
pub use people::{External, ExternalKind, Member, Organisation, Party, Role, Team};
pub use services::{
    Cloud, CloudService, Connection, Internet, Licence, Licences, LineKind, Mobile, MobileDevice,
    MobileKind, Phone, PhoneLine, PhoneSystem,
};
pub use validate::{PathSeg, SiteIssue};

use serde::{Deserialize, Serialize};

/// Restore priorities: 1 (first, within hours) to 4 (can wait weeks).
pub const PRIORITIES: std::ops::RangeInclusive<u8> = 1..=4;

/// Everything in `site.toml`. Every section is optional: a missing one is
/// listed under "To complete" in the plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFacts {
    pub organisation: Option<Organisation>,
    pub team: Option<Team>,
    pub external: Option<External>,
    pub internet: Option<Internet>,
    pub phone: Option<Phone>,
    pub cloud: Option<Cloud>,
    pub mobile: Option<Mobile>,
    pub licences: Option<Licences>,
    pub processes: Option<Processes>,
    pub backup: Option<Backup>,
    pub fallback: Option<Fallback>,
    pub replacement: Option<Replacement>,
    pub tests: Option<Tests>,
}

/// The sections that carry a `reviewed` date, with their TOML names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionName {
    Organisation,
    Team,
    External,
    Internet,
    Phone,
    Cloud,
    Mobile,
    Licences,
    Processes,
    Backup,
    Fallback,
    Replacement,
    Tests,
}

impl SectionName {
    pub fn as_str(self) -> &'static str {
        match self {
            SectionName::Organisation => "organisation",
            SectionName::Team => "team",
            SectionName::External => "external",
            SectionName::Internet => "internet",
            SectionName::Phone => "phone",
            SectionName::Cloud => "cloud",
            SectionName::Mobile => "mobile",
            SectionName::Licences => "licences",
            SectionName::Processes => "processes",
            SectionName::Backup => "backup",
            SectionName::Fallback => "fallback",
            SectionName::Replacement => "replacement",
            SectionName::Tests => "tests",
        }
    }
}

impl SiteFacts {
    /// Each section with its `reviewed` date; `None` for a missing section.
    pub fn reviewed(&self) -> Vec<(SectionName, Option<Option<&SiteDate>>)> {
        fn r<T>(s: &Option<T>, f: impl Fn(&T) -> &Option<SiteDate>) -> Option<Option<&SiteDate>> {
            s.as_ref().map(|s| f(s).as_ref())
        }
        vec![
            (
                SectionName::Organisation,
                r(&self.organisation, |s| &s.reviewed),
            ),
            (SectionName::Team, r(&self.team, |s| &s.reviewed)),
            (SectionName::External, r(&self.external, |s| &s.reviewed)),
            (SectionName::Internet, r(&self.internet, |s| &s.reviewed)),
            (SectionName::Phone, r(&self.phone, |s| &s.reviewed)),
            (SectionName::Cloud, r(&self.cloud, |s| &s.reviewed)),
            (SectionName::Mobile, r(&self.mobile, |s| &s.reviewed)),
            (SectionName::Licences, r(&self.licences, |s| &s.reviewed)),
            (SectionName::Processes, r(&self.processes, |s| &s.reviewed)),
            (SectionName::Backup, r(&self.backup, |s| &s.reviewed)),
            (SectionName::Fallback, r(&self.fallback, |s| &s.reviewed)),
            (
                SectionName::Replacement,
                r(&self.replacement, |s| &s.reviewed),
            ),
            (SectionName::Tests, r(&self.tests, |s| &s.reviewed)),
        ]
    }
}

#[cfg(test)]
mod tests;
