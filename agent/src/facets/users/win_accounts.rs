//! Windows local accounts as data: `NetUserEnum` entries (name, full name,
//! flags, relative id) and the members of the local Administrators group,
//! found by its well-known SID S-1-5-32-544 rather than its name (which
//! Windows translates: "Administratoren", "Administrateurs"), → the
//! report's accounts with their admin flag. Portable, tested on recorded
//! values; the Net API calls are in `users/windows.rs`.

use census_shared::report::UserAccount;
use serde::Deserialize;

/// `UF_ACCOUNTDISABLE`.
pub const ACCOUNT_DISABLED: u32 = 0x2;
/// Built-in accounts no person logs on with: Guest, DefaultAccount,
/// WDAGUtilityAccount (relative ids).
pub const SERVICE_RIDS: [u32; 3] = [501, 503, 504];

/// One `NetUserEnum` entry (level 20).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RawUser {
    pub name: String,
    pub full_name: Option<String>,
    /// `usri20_flags`.
    pub flags: u32,
    /// Relative id (500 is the built-in Administrator).
    pub rid: Option<u32>,
}

/// The enabled accounts a person can use, each marked admin when it is a
/// member of Administrators. `admins` are the group's members as
/// `DOMAIN\name` (local ones with this computer's name as domain) or bare
/// names; domain accounts in the group do not make a local namesake admin.
pub fn accounts(users: &[RawUser], admins: &[String], computer: &str) -> Vec<UserAccount> {
    let is_admin = |name: &str| {
        admins.iter().any(|m| match m.rsplit_once('\\') {
            Some((domain, n)) => {
                n.eq_ignore_ascii_case(name)
                    && (domain.eq_ignore_ascii_case(computer) || domain == ".")
            }
            None => m.eq_ignore_ascii_case(name),
        })
    };
    users
        .iter()
        .filter(|u| u.flags & ACCOUNT_DISABLED == 0)
        .filter(|u| !u.rid.is_some_and(|r| SERVICE_RIDS.contains(&r)))
        .map(|u| UserAccount {
            name: u.name.clone(),
            uid: None,
            full_name: u
                .full_name
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(String::from),
            home: None,
            admin: is_admin(&u.name),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Recorded {
        computer: String,
        users: Vec<RawUser>,
        administrators: Vec<String>,
    }

    #[test]
    fn enabled_people_with_admin_flag_from_group_membership() {
        let r: Recorded =
            serde_json::from_str(include_str!("../../../fixtures/windows/accounts.json")).unwrap();
        let a = accounts(&r.users, &r.administrators, &r.computer);
        let names: Vec<&str> = a.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["beheer", "jdevries", "receptie"]);
        assert!(a[0].admin, "local admin by membership");
        assert_eq!(a[1].full_name.as_deref(), Some("Jan de Vries"));
        assert!(
            !a[1].admin,
            "a domain namesake in the group is someone else"
        );
        assert!(!a[2].admin);
        assert_eq!(a[2].full_name, None);
    }
}
