//! What each site-facts page holds: one [`Section`] per section of
//! `site.toml`, in the file's order, listing its fields and lists with
//! their keys (as in `census_shared::site`), labels (the catalogue's) and
//! kinds. The forms are drawn and read from these tables alone; a unit
//! test checks that every key and choice is one the model accepts.

use super::forms::{Field, Kind, List, Section, Shape};
use crate::plan::messages::Msg;

const fn f(key: &'static str, label: Msg, kind: Kind) -> Field {
    Field { key, label, kind }
}

const REVIEWED: Field = f("reviewed", Msg::WebReviewed, Kind::Date);

pub const ROLES: &[(&str, Msg)] = &[
    ("it_administrator", Msg::RoleItAdministrator),
    ("privacy_officer", Msg::RolePrivacyOfficer),
    ("department_head", Msg::RoleDepartmentHead),
    ("management", Msg::RoleManagement),
    ("communications", Msg::RoleCommunications),
    ("other", Msg::RoleOther),
];

pub const PARTY_KINDS: &[(&str, Msg)] = &[
    ("it_supplier", Msg::ExtItSupplier),
    ("insurer", Msg::ExtInsurer),
    ("facility_services", Msg::ExtFacility),
    ("lawyer", Msg::ExtLawyer),
    ("internet_provider", Msg::ExtInternet),
    ("phone_provider", Msg::ExtPhone),
    ("other", Msg::ExtOther),
];

pub const LINE_KINDS: &[(&str, Msg)] = &[
    ("main", Msg::LineMain),
    ("direct", Msg::LineDirect),
    ("fax", Msg::LineFax),
    ("alarm", Msg::LineAlarm),
    ("other", Msg::LineOther),
];

pub const MOBILE_KINDS: &[(&str, Msg)] =
    &[("phone", Msg::WebKindPhone), ("tablet", Msg::WebKindTablet)];

pub const TEST_KINDS: &[(&str, Msg)] = &[
    ("restore_backup", Msg::TestRestoreBackup),
    ("reach_suppliers_out_of_hours", Msg::TestReachSuppliers),
    ("work_from_fallback", Msg::TestWorkFromFallback),
    ("phishing_exercise", Msg::TestPhishing),
    ("usb_drop_exercise", Msg::TestUsbDrop),
];

const fn fields(fields: &'static [Field]) -> Shape {
    Shape { fields, lists: &[] }
}

const fn section(key: &'static str, title: Msg, shape: Shape) -> Section {
    Section {
        key,
        title,
        shape,
        note: None,
    }
}

const MEMBERS: List = List {
    key: "members",
    label: Msg::WebMembers,
    shape: fields(&[
        f("name", Msg::ColName, Kind::Name),
        f("roles", Msg::ColRoles, Kind::Choices(ROLES)),
        f("phone", Msg::ColPhone, Kind::Text),
        f("email", Msg::ColEmail, Kind::Text),
        f("first_contact", Msg::FirstContact, Kind::Flag),
        f("decides", Msg::Decides, Kind::Flag),
        f("communicates", Msg::Communicates, Kind::Flag),
        f("informs", Msg::WebInformsList, Kind::Words),
    ]),
};

const PARTIES: List = List {
    key: "parties",
    label: Msg::SecExternal,
    shape: fields(&[
        f("name", Msg::ColName, Kind::Name),
        f("kind", Msg::ColKind, Kind::Choice(PARTY_KINDS)),
        f("contact", Msg::ColContact, Kind::Text),
        f("phone", Msg::ColPhone, Kind::Text),
        f("out_of_hours_phone", Msg::ColOutOfHours, Kind::Text),
        f("email", Msg::ColEmail, Kind::Text),
        f("contract", Msg::ColContract, Kind::Text),
    ]),
};

const CONNECTIONS: List = List {
    key: "connections",
    label: Msg::WebConnections,
    shape: fields(&[
        f("provider", Msg::ColProvider, Kind::Name),
        f("kind", Msg::ColKind, Kind::Text),
        f("contract", Msg::ColContract, Kind::Text),
        f("public_ips", Msg::ColPublicIps, Kind::Words),
        f("support_phone", Msg::ColSupportPhone, Kind::Text),
    ]),
};

const LINES: List = List {
    key: "lines",
    label: Msg::SubLines,
    shape: fields(&[
        f("number", Msg::ColNumber, Kind::Name),
        f("kind", Msg::ColKind, Kind::Choice(LINE_KINDS)),
        f("forwards_to", Msg::ColForwardsTo, Kind::Text),
        f("notes", Msg::ColNotes, Kind::Text),
    ]),
};

const SERVICES: List = List {
    key: "services",
    label: Msg::SecCloud,
    shape: fields(&[
        f("name", Msg::ColName, Kind::Name),
        f("purpose", Msg::ColPurpose, Kind::Text),
        f("admin", Msg::ColAdmin, Kind::Text),
        f("data_location", Msg::ColDataLocation, Kind::Text),
    ]),
};

const DEVICES: List = List {
    key: "devices",
    label: Msg::WebDevices,
    shape: fields(&[
        f("user", Msg::ColUser, Kind::Text),
        f("kind", Msg::ColKind, Kind::Choice(MOBILE_KINDS)),
        f("make", Msg::WebMake, Kind::Text),
        f("model", Msg::WebModel, Kind::Text),
        f("number", Msg::ColNumber, Kind::Text),
        f("imei", Msg::ColImei, Kind::Text),
        f("serial", Msg::ColSerial, Kind::Text),
        f("mdm", Msg::ColMdm, Kind::Text),
        f("pin_location", Msg::ColPinLocation, Kind::Text),
    ]),
};

const LICENCES: List = List {
    key: "items",
    label: Msg::SecSoftware,
    shape: fields(&[
        f("product", Msg::ColProduct, Kind::Name),
        f("quantity", Msg::ColLicensed, Kind::Count),
        f("expires", Msg::ColExpires, Kind::Date),
        f("key_location", Msg::ColKeyLocation, Kind::Text),
        f("key", Msg::ColKey, Kind::Secret),
        f("packages", Msg::WebPackages, Kind::Words),
    ]),
};

const SYSTEMS: List = List {
    key: "systems",
    label: Msg::WebSystems,
    shape: fields(&[
        f("name", Msg::ColSystem, Kind::Name),
        f("data", Msg::ColData, Kind::Text),
        f("priority", Msg::ColPriority, Kind::Priority),
        f("depends_on", Msg::ColDependsOn, Kind::Words),
    ]),
};

const DEPARTMENTS: List = List {
    key: "departments",
    label: Msg::WebDepartments,
    shape: Shape {
        fields: &[
            f("name", Msg::ColDepartment, Kind::Name),
            f("head", Msg::ColHead, Kind::Text),
        ],
        lists: &[SYSTEMS],
    },
};

const TESTS: List = List {
    key: "yearly",
    label: Msg::SubTests,
    shape: fields(&[
        f("kind", Msg::ColTest, Kind::Choice(TEST_KINDS)),
        f("last_done", Msg::ColLastDone, Kind::Date),
        f("notes", Msg::ColNotes, Kind::Text),
    ]),
};

/// Every section, in the site file's order.
pub const ALL: &[Section] = &[
    section(
        "organisation",
        Msg::SecOrganisation,
        fields(&[
            f("name", Msg::ColName, Kind::Name),
            f("address", Msg::ItemAddress, Kind::Text),
            f("phone", Msg::ColPhone, Kind::Text),
            f("email", Msg::ColEmail, Kind::Text),
            REVIEWED,
        ]),
    ),
    section(
        "team",
        Msg::SecTeam,
        Shape {
            fields: &[REVIEWED],
            lists: &[MEMBERS],
        },
    ),
    section(
        "external",
        Msg::SecExternal,
        Shape {
            fields: &[REVIEWED],
            lists: &[PARTIES],
        },
    ),
    section(
        "internet",
        Msg::SecInternet,
        Shape {
            fields: &[
                f("website", Msg::ItemWebsite, Kind::Text),
                f("wifi", Msg::ItemWifi, Kind::Words),
                REVIEWED,
            ],
            lists: &[CONNECTIONS],
        },
    ),
    section(
        "phone",
        Msg::SecPhone,
        Shape {
            fields: &[
                f("system.make", Msg::WebPbxMake, Kind::Text),
                f("system.model", Msg::WebPbxModel, Kind::Text),
                f("system.supplier", Msg::WebPbxSupplier, Kind::Text),
                f("system.location", Msg::WebPbxLocation, Kind::Text),
                REVIEWED,
            ],
            lists: &[LINES],
        },
    ),
    section(
        "cloud",
        Msg::SecCloud,
        Shape {
            fields: &[REVIEWED],
            lists: &[SERVICES],
        },
    ),
    Section {
        key: "mobile",
        title: Msg::WebMobileDevices,
        shape: Shape {
            fields: &[f("csv", Msg::WebCsvFile, Kind::Text), REVIEWED],
            lists: &[DEVICES],
        },
        note: Some(Msg::WebCsvNote),
    },
    section(
        "licences",
        Msg::SecSoftware,
        Shape {
            fields: &[REVIEWED],
            lists: &[LICENCES],
        },
    ),
    section(
        "processes",
        Msg::SecProcesses,
        Shape {
            fields: &[REVIEWED],
            lists: &[DEPARTMENTS],
        },
    ),
    section(
        "backup",
        Msg::SubBackupOffsite,
        fields(&[
            f("location", Msg::ItemLocation, Kind::Text),
            f("custodian", Msg::ItemCustodian, Kind::Text),
            f("medium", Msg::ItemMedium, Kind::Text),
            f("frequency", Msg::ItemFrequency, Kind::Text),
            f("last_restore_test", Msg::ItemLastRestoreTest, Kind::Date),
            REVIEWED,
        ]),
    ),
    section(
        "fallback",
        Msg::SubFallback,
        fields(&[
            f("location", Msg::ItemLocation, Kind::Text),
            f("contact", Msg::ColContact, Kind::Text),
            f("phone", Msg::ColPhone, Kind::Text),
            f("arrangement", Msg::ItemArrangement, Kind::Text),
            REVIEWED,
        ]),
    ),
    section(
        "replacement",
        Msg::SubReplacement,
        fields(&[
            f("supplier", Msg::ItemSupplier, Kind::Text),
            f("arrangement", Msg::ItemArrangement, Kind::Text),
            f("delivery_time", Msg::ItemDeliveryTime, Kind::Text),
            REVIEWED,
        ]),
    ),
    section(
        "tests",
        Msg::SubTests,
        Shape {
            fields: &[REVIEWED],
            lists: &[TESTS],
        },
    ),
];

/// The section a page's path names.
pub fn find(key: &str) -> Option<&'static Section> {
    ALL.iter().find(|s| s.key == key)
}
