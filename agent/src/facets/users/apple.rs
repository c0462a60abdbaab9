//! macOS accounts as data: `dscl . -list /Users UniqueID` (people have a
//! uid of 500 or more and no leading `_`), `dscl . -read` records (a user's
//! `RealName`, `NFSHomeDirectory`, `UserShell`; the admin group's
//! `GroupMembership`) and the most recent session in `last -10`. Portable
//! and total: lines that do not fit are skipped, never a panic.

use census_shared::report::LastLogin;
use std::collections::BTreeMap;

/// First uid of a person's account on macOS.
pub const FIRST_PERSON_UID: u32 = 500;

/// `(name, uid)` of the people in `dscl . -list /Users UniqueID`: uid 500
/// or more, not a service account (`_…`) and not `nobody` (-2).
pub fn people(list: &str) -> Vec<(String, u32)> {
    list.lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let name = it.next()?;
            let uid: u32 = it.next()?.parse().ok()?;
            (uid >= FIRST_PERSON_UID && !name.starts_with('_') && name != "nobody")
                .then(|| (name.to_string(), uid))
        })
        .collect()
}

/// Attributes of a `dscl . -read` record: `Key: v1 v2` (values split on
/// spaces) or `Key:` followed by indented lines, one value each (values
/// with spaces, `RealName`).
pub fn dscl_record(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with(' ') {
            if let Some(k) = &current
                && !line.trim().is_empty()
            {
                out.entry(k.clone())
                    .or_default()
                    .push(line.trim().to_string());
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            current = None;
            continue;
        };
        let k = k.trim();
        if k.is_empty() || k.contains(' ') {
            current = None;
            continue;
        }
        let values = out.entry(k.to_string()).or_default();
        values.extend(v.split_whitespace().map(String::from));
        current = Some(k.to_string());
    }
    out
}

/// The first value of an attribute.
pub fn first<'a>(record: &'a BTreeMap<String, Vec<String>>, key: &str) -> Option<&'a str> {
    record.get(key)?.first().map(String::as_str)
}

/// Whether a `UserShell` means no interactive login.
pub fn no_login_shell(shell: &str) -> bool {
    matches!(
        shell.rsplit('/').next().unwrap_or(""),
        "false" | "nologin" | "true"
    )
}

/// The most recent session in `last` output: the first line that is a
/// user's (not `reboot`, `shutdown` or the `wtmp begins` trailer). `last`
/// prints local time without the year, so `at` stays `null`; `from` is the
/// remote host, else the terminal.
pub fn last_session(text: &str) -> Option<LastLogin> {
    const DAYS: &[&str] = &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    text.lines().find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        let user = *f.first()?;
        if matches!(user, "reboot" | "shutdown" | "wtmp") || f.len() < 3 {
            return None;
        }
        // user, tty, [host], weekday, month, day, time
        let day = f.iter().position(|w| DAYS.contains(w))?;
        let from = match day {
            2 => f.get(1),
            3 => f.get(2),
            _ => return None,
        };
        Some(LastLogin {
            user: user.to_string(),
            at: None,
            from: from.map(|s| s.to_string()),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = format!("{}/fixtures/macos/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn accounts() {
        let p = people(&fixture("dscl_users_uniqueid.txt"));
        assert_eq!(
            p,
            [
                ("jan".to_string(), 501),
                ("sanne".to_string(), 502),
                ("beheer".to_string(), 503)
            ]
        );
        let jan = dscl_record(&fixture("dscl_read_user.txt"));
        assert_eq!(first(&jan, "RealName"), Some("Jan de Vries"));
        assert_eq!(first(&jan, "NFSHomeDirectory"), Some("/Users/jan"));
        assert_eq!(first(&jan, "UserShell"), Some("/bin/zsh"));
        let admin = dscl_record(&fixture("dscl_read_admin.txt"));
        assert_eq!(admin["GroupMembership"], ["root", "jan", "beheer"]);
        assert!(no_login_shell("/usr/bin/false") && !no_login_shell("/bin/zsh"));
    }

    #[test]
    fn last_login() {
        let l = last_session(&fixture("last.txt")).unwrap();
        assert_eq!(
            l,
            LastLogin {
                user: "jan".into(),
                at: None,
                from: Some("ttys001".into())
            }
        );
        let remote =
            last_session("sanne     ttys000  192.168.1.40     Sat Nov 28 17:02 - 17:30  (00:27)\n")
                .unwrap();
        assert_eq!(remote.from.as_deref(), Some("192.168.1.40"));
        assert_eq!(
            last_session("reboot time    Sat Nov 28 08:59\n\nwtmp begins Fri Nov 27\n"),
            None
        );
    }

    #[test]
    fn garbage_and_truncated_input() {
        for name in ["dscl_users_uniqueid.txt", "dscl_read_user.txt", "last.txt"] {
            let t = fixture(name);
            for cut in 0..t.len() {
                if t.is_char_boundary(cut) {
                    let part = &t[..cut];
                    assert!(people(part).len() <= 3);
                    let _ = dscl_record(part);
                    let _ = last_session(part);
                }
            }
        }
        assert!(people("jan 4294967296\nx\n  \npiet -1\n").is_empty());
        let r = dscl_record(" orphan\n:\nA B: c\nRealName:\n\n");
        assert_eq!(r.len(), 1);
        assert!(r["RealName"].is_empty());
        assert_eq!(last_session("x\njan\n\u{0}\u{1}\n"), None);
    }
}
