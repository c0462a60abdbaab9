//! `users` on Linux: `/etc/passwd`, `/etc/group`, `/etc/login.defs` and
//! `/var/log/wtmp`.

use super::{admin_members, human_accounts, uid_range, wtmp};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The Linux `users` facet.
pub struct Users;

impl Facet for Users {
    fn name(&self) -> &'static str {
        "users"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let passwd = p
            .read("/etc/passwd")
            .map_err(|e| FacetError::read("/etc/passwd", e))?;
        let admins = admin_members(&p.read("/etc/group").unwrap_or_default());
        let range = uid_range(&p.read("/etc/login.defs").unwrap_or_default());
        r.users.accounts = human_accounts(&passwd, range, &admins);
        if let Ok(data) = p.read_bytes("/var/log/wtmp") {
            r.users.last_login = wtmp::last_login(&data);
        }
        Ok(())
    }
}
