//! The people of the plan: the organisation, the calamity team (roles, who
//! is the first point of contact, who decides to invoke the plan, who
//! communicates outward and whom they inform) and the external parties with
//! their normal and out-of-hours numbers. Pure data.

use super::SiteDate;
use serde::{Deserialize, Serialize};

/// `[organisation]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub reviewed: Option<SiteDate>,
}

/// `[team]` with `[[team.members]]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    #[serde(default)]
    pub members: Vec<Member>,
    pub reviewed: Option<SiteDate>,
}

/// A role in the calamity team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ItAdministrator,
    PrivacyOfficer,
    DepartmentHead,
    Management,
    Communications,
    Other,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::ItAdministrator,
        Role::PrivacyOfficer,
        Role::DepartmentHead,
        Role::Management,
        Role::Communications,
        Role::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::ItAdministrator => "it_administrator",
            Role::PrivacyOfficer => "privacy_officer",
            Role::DepartmentHead => "department_head",
            Role::Management => "management",
            Role::Communications => "communications",
            Role::Other => "other",
        }
    }
}

/// One member of the calamity team.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    #[serde(default)]
    pub roles: Vec<Role>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The first point of contact when something goes wrong.
    #[serde(default)]
    pub first_contact: bool,
    /// Decides to invoke the plan.
    #[serde(default)]
    pub decides: bool,
    /// Communicates outward (customers, suppliers, media).
    #[serde(default)]
    pub communicates: bool,
    /// Whom this person informs: `staff`, `customers`, `media`, … (free text).
    #[serde(default)]
    pub informs: Vec<String>,
}

/// `[external]` with `[[external.parties]]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct External {
    #[serde(default)]
    pub parties: Vec<Party>,
    pub reviewed: Option<SiteDate>,
}

/// What an external party does for the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExternalKind {
    ItSupplier,
    Insurer,
    FacilityServices,
    Lawyer,
    InternetProvider,
    PhoneProvider,
    Other,
}

impl ExternalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExternalKind::ItSupplier => "it_supplier",
            ExternalKind::Insurer => "insurer",
            ExternalKind::FacilityServices => "facility_services",
            ExternalKind::Lawyer => "lawyer",
            ExternalKind::InternetProvider => "internet_provider",
            ExternalKind::PhoneProvider => "phone_provider",
            ExternalKind::Other => "other",
        }
    }
}

/// A supplier or other outside party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub kind: ExternalKind,
    pub name: String,
    pub contact: Option<String>,
    pub phone: Option<String>,
    /// The number that answers outside office hours.
    pub out_of_hours_phone: Option<String>,
    pub email: Option<String>,
    /// Contract or customer number.
    pub contract: Option<String>,
}
