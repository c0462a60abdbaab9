//! `users` on macOS: local accounts from Directory Services (`dscl . -list
//! /Users UniqueID`, then `dscl . -read` for each person's name, home and
//! shell), administrators from the `admin` group's `GroupMembership`, and
//! the last session from `last -10`.

use super::apple::{dscl_record, first, last_session, no_login_shell, people};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::UserAccount;

/// The macOS `users` facet.
pub struct Users;

impl Facet for Users {
    fn name(&self) -> &'static str {
        "users"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let list = match p.run("dscl", &[".", "-list", "/Users", "UniqueID"]) {
            Ok(Some(out)) => out,
            Ok(None) => return Err(FacetError::Unsupported),
            Err(e) => return Err(FacetError::Command(e)),
        };
        let admins = match p.run("dscl", &[".", "-read", "/Groups/admin", "GroupMembership"]) {
            Ok(out) => out
                .map(|t| {
                    dscl_record(&t)
                        .remove("GroupMembership")
                        .unwrap_or_default()
                })
                .unwrap_or_default(),
            Err(e) => {
                r.error("users", format!("administrators unknown: {e}"));
                Vec::new()
            }
        };
        for (name, uid) in people(&list) {
            let path = format!("/Users/{name}");
            let attrs = ["RealName", "NFSHomeDirectory", "UserShell"];
            let record = match p.run("dscl", &[".", "-read", &path, attrs[0], attrs[1], attrs[2]]) {
                Ok(out) => dscl_record(&out.unwrap_or_default()),
                Err(e) => {
                    r.error("users", format!("{name}: {e}"));
                    Default::default()
                }
            };
            if first(&record, "UserShell").is_some_and(no_login_shell) {
                continue;
            }
            r.users.accounts.push(UserAccount {
                admin: admins.contains(&name),
                full_name: first(&record, "RealName").map(String::from),
                home: first(&record, "NFSHomeDirectory").map(String::from),
                uid: Some(uid),
                name,
            });
        }
        if let Ok(Some(out)) = p.run("last", &["-10"]) {
            r.users.last_login = last_session(&out);
        }
        Ok(())
    }
}
