//! `users` on Windows: the last user who logged on, from
//! `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Authentication\LogonUI`
//! (`LastLoggedOnUser`, `DOMAIN\name` or `.\name`). Local accounts are not
//! listed yet: telling administrators apart needs group membership queries.

use super::last_logon_user;
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::LastLogin;
use winreg::RegKey;
use winreg::enums::HKEY_LOCAL_MACHINE;

/// The Windows `users` facet.
pub struct Users;

const LOGON_UI: &str = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Authentication\\LogonUI";

impl Facet for Users {
    fn name(&self) -> &'static str {
        "users"
    }

    fn collect(&self, _p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let raw = RegKey::predef(HKEY_LOCAL_MACHINE)
            .open_subkey(LOGON_UI)
            .and_then(|k| k.get_value::<String, _>("LastLoggedOnUser"))
            .ok();
        r.users.last_login = raw
            .as_deref()
            .and_then(last_logon_user)
            .map(|user| LastLogin {
                user,
                at: None,
                from: None,
            });
        Ok(())
    }
}
