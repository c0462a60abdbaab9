//! `users` on Windows: the local accounts (`NetUserEnum`, level 20) with
//! their admin flag (members of the group whose SID is the well-known
//! S-1-5-32-544, Administrators, whatever the group is called in this
//! language), and the last user who logged on, from
//! `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Authentication\LogonUI`
//! (`LastLoggedOnUser`, `DOMAIN\name` or `.\name`). Which accounts count is
//! decided in `win_accounts.rs`; this file only asks Windows.

use super::last_logon_user;
use super::win_accounts::{RawUser, accounts};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::LastLogin;
use windows::Win32::NetworkManagement::NetManagement::{
    FILTER_NORMAL_ACCOUNT, LOCALGROUP_MEMBERS_INFO_3, MAX_PREFERRED_LENGTH, NetApiBufferFree,
    NetLocalGroupGetMembers, NetUserEnum, USER_INFO_20,
};
use windows::Win32::Security::{
    CreateWellKnownSid, LookupAccountSidW, PSID, SID_NAME_USE, WinBuiltinAdministratorsSid,
};
use windows::core::{HSTRING, PCWSTR, PWSTR};
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
        let users = match local_users() {
            Ok(u) => u,
            Err(code) => {
                r.error("users", format!("NetUserEnum failed (error {code})"));
                return Ok(());
            }
        };
        let admins = match administrators() {
            Ok(a) => a,
            Err(e) => {
                r.error("users", format!("admin flags unknown: {e}"));
                Vec::new()
            }
        };
        let computer = std::env::var("COMPUTERNAME").unwrap_or_default();
        r.users.accounts = accounts(&users, &admins, &computer);
        Ok(())
    }
}

/// A wide string from the Net API as text.
fn wide(p: PWSTR) -> Option<String> {
    // SAFETY: the Net API's strings are NUL-terminated or null.
    (!p.is_null())
        .then(|| unsafe { p.to_string() }.ok())
        .flatten()
}

fn local_users() -> Result<Vec<RawUser>, u32> {
    let mut buf: *mut u8 = std::ptr::null_mut();
    let (mut read, mut total) = (0u32, 0u32);
    // SAFETY: out-pointers to locals; the buffer is freed below.
    let status = unsafe {
        NetUserEnum(
            PCWSTR::null(),
            20,
            FILTER_NORMAL_ACCOUNT,
            &mut buf,
            MAX_PREFERRED_LENGTH,
            &mut read,
            &mut total,
            None,
        )
    };
    if status != 0 || buf.is_null() {
        return Err(status);
    }
    // SAFETY: level 20 fills `read` USER_INFO_20 entries.
    let entries = unsafe { std::slice::from_raw_parts(buf as *const USER_INFO_20, read as usize) };
    let users = entries
        .iter()
        .filter_map(|u| {
            Some(RawUser {
                name: wide(u.usri20_name)?,
                full_name: wide(u.usri20_full_name),
                flags: u.usri20_flags.0,
                rid: Some(u.usri20_user_id),
            })
        })
        .collect();
    // SAFETY: allocated by NetUserEnum.
    unsafe { NetApiBufferFree(Some(buf as _)) };
    Ok(users)
}

/// The Administrators group's members as `DOMAIN\name`.
fn administrators() -> Result<Vec<String>, String> {
    let mut sid = [0u8; 68]; // SECURITY_MAX_SID_SIZE
    let mut size = sid.len() as u32;
    let psid = PSID(sid.as_mut_ptr().cast());
    // SAFETY: the buffer and its size.
    unsafe { CreateWellKnownSid(WinBuiltinAdministratorsSid, None, Some(psid), &mut size) }
        .map_err(|e| format!("the Administrators SID: {e}"))?;
    let (mut name, mut domain) = ([0u16; 256], [0u16; 256]);
    let (mut n, mut d) = (name.len() as u32, domain.len() as u32);
    let mut kind = SID_NAME_USE::default();
    // SAFETY: buffers with their lengths.
    unsafe {
        LookupAccountSidW(
            PCWSTR::null(),
            psid,
            Some(PWSTR(name.as_mut_ptr())),
            &mut n,
            Some(PWSTR(domain.as_mut_ptr())),
            &mut d,
            &mut kind,
        )
    }
    .map_err(|e| format!("the name of S-1-5-32-544: {e}"))?;
    let group = String::from_utf16_lossy(&name[..n as usize]);
    let mut buf: *mut u8 = std::ptr::null_mut();
    let (mut read, mut total) = (0u32, 0u32);
    // SAFETY: out-pointers to locals; the buffer is freed below.
    let status = unsafe {
        NetLocalGroupGetMembers(
            PCWSTR::null(),
            &HSTRING::from(group.as_str()),
            3,
            &mut buf,
            MAX_PREFERRED_LENGTH,
            &mut read,
            &mut total,
            None,
        )
    };
    if status != 0 || buf.is_null() {
        return Err(format!(
            "NetLocalGroupGetMembers({group}) failed (error {status})"
        ));
    }
    // SAFETY: level 3 fills `read` LOCALGROUP_MEMBERS_INFO_3 entries.
    let entries = unsafe {
        std::slice::from_raw_parts(buf as *const LOCALGROUP_MEMBERS_INFO_3, read as usize)
    };
    let members = entries
        .iter()
        .filter_map(|m| wide(m.lgrmi3_domainandname))
        .collect();
    // SAFETY: allocated by NetLocalGroupGetMembers.
    unsafe { NetApiBufferFree(Some(buf as _)) };
    Ok(members)
}
