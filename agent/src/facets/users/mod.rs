//! The `users` facet: local human accounts and the last interactive login.
//! Parsers of `/etc/passwd`, `/etc/group`, `login.defs` and the binary
//! `wtmp` log are here; macOS's `dscl` and `last` in `apple.rs`.

pub mod apple;
#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
pub mod macos;
pub mod win_accounts;
#[cfg(windows)]
pub mod windows;
pub mod wtmp;

use census_shared::report::UserAccount;

/// Shells that mean "no interactive login".
const NO_LOGIN: &[&str] = &["nologin", "false", "sync", "halt", "shutdown"];

/// Human accounts from `/etc/passwd`: uid in `uid_range`, a login shell,
/// and not `nobody`. `admins` are the members of administrator groups.
pub fn human_accounts(passwd: &str, uid_range: (u32, u32), admins: &[String]) -> Vec<UserAccount> {
    passwd
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 || l.starts_with('#') || l.starts_with('+') {
                return None;
            }
            let uid: u32 = f[2].parse().ok()?;
            let shell = f[6].rsplit('/').next().unwrap_or("");
            if uid < uid_range.0
                || uid > uid_range.1
                || f[0] == "nobody"
                || NO_LOGIN.contains(&shell)
            {
                return None;
            }
            let gecos = f[4].split(',').next().unwrap_or("").trim();
            Some(UserAccount {
                name: f[0].to_string(),
                uid: Some(uid),
                full_name: (!gecos.is_empty()).then(|| gecos.to_string()),
                home: (!f[5].is_empty()).then(|| f[5].to_string()),
                admin: admins.iter().any(|a| a == f[0]),
            })
        })
        .collect()
}

/// `UID_MIN`/`UID_MAX` from `login.defs`, defaulting to 1000..=60000.
pub fn uid_range(login_defs: &str) -> (u32, u32) {
    let get = |key: &str| {
        login_defs.lines().find_map(|l| {
            let mut it = l.split_whitespace();
            (it.next() == Some(key))
                .then(|| it.next()?.parse().ok())
                .flatten()
        })
    };
    (
        get("UID_MIN").unwrap_or(1000),
        get("UID_MAX").unwrap_or(60000),
    )
}

/// The user name of a Windows `LastLoggedOnUser` value: `DOMAIN\name`
/// keeps its domain, `.\name` (a local account) is just `name`.
pub fn last_logon_user(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let user = raw.strip_prefix(".\\").unwrap_or(raw);
    (!user.is_empty() && !user.ends_with('\\')).then(|| user.to_string())
}

/// Members of the administrator groups (`sudo`, `wheel`, `admin`) in `/etc/group`.
pub fn admin_members(group: &str) -> Vec<String> {
    group
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() >= 4 && ["sudo", "wheel", "admin"].contains(&f[0])).then(|| f[3])
        })
        .flat_map(|m| m.split(',').filter(|s| !s.is_empty()).map(String::from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_last_logon_user() {
        assert_eq!(
            last_logon_user("KANTOOR\\jdevries").as_deref(),
            Some("KANTOOR\\jdevries")
        );
        assert_eq!(last_logon_user(".\\admin").as_deref(), Some("admin"));
        assert_eq!(last_logon_user(" "), None);
    }

    #[test]
    fn humans_only() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\njan:x:1000:1000:Jan de Vries,,,:/home/jan:/bin/bash\nsvc:x:1001:1001::/srv:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\npiet:x:1002:1002::/home/piet:/bin/zsh\n";
        let admins = admin_members("sudo:x:27:jan\nwheel:x:10:\n");
        let a = human_accounts(passwd, uid_range("UID_MIN 1000\nUID_MAX 60000\n"), &admins);
        let names: Vec<&str> = a.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["jan", "piet"]);
        assert_eq!(a[0].full_name.as_deref(), Some("Jan de Vries"));
        assert!(a[0].admin && !a[1].admin);
        assert_eq!(uid_range("# none\n"), (1000, 60000));
    }
}
