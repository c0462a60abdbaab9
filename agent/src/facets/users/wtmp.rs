//! A decoder for glibc's `utmp`/`wtmp` records (384 bytes each on 64-bit
//! Linux) to find the last interactive login. Never panics: a truncated
//! file loses its partial last record, garbage yields no login.

use census_shared::report::{LastLogin, unix_time};

/// Size of one record.
pub const RECORD: usize = 384;
const USER_PROCESS: i16 = 7;

fn cstr(b: &[u8]) -> Option<String> {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    let s = String::from_utf8_lossy(&b[..end]).trim().to_string();
    (!s.is_empty() && s.chars().all(|c| !c.is_control())).then_some(s)
}

/// The most recent `USER_PROCESS` record.
pub fn last_login(data: &[u8]) -> Option<LastLogin> {
    data.chunks_exact(RECORD).rev().find_map(|r| {
        let kind = i16::from_le_bytes([r[0], r[1]]);
        if kind != USER_PROCESS {
            return None;
        }
        let user = cstr(&r[44..76])?;
        let line = cstr(&r[8..40]);
        let host = cstr(&r[76..332]);
        let secs = i32::from_le_bytes([r[340], r[341], r[342], r[343]]);
        Some(LastLogin {
            user,
            at: unix_time(secs as i64),
            from: host.or(line),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as glibc writes it.
    pub fn record(kind: i16, user: &str, line: &str, host: &str, secs: i32) -> Vec<u8> {
        let mut r = vec![0u8; RECORD];
        r[0..2].copy_from_slice(&kind.to_le_bytes());
        r[8..8 + line.len()].copy_from_slice(line.as_bytes());
        r[44..44 + user.len()].copy_from_slice(user.as_bytes());
        r[76..76 + host.len()].copy_from_slice(host.as_bytes());
        r[340..344].copy_from_slice(&secs.to_le_bytes());
        r
    }

    #[test]
    fn last_user_process_wins() {
        let mut d = record(7, "jan", "tty2", "", 1_700_000_000);
        d.extend(record(7, "piet", "pts/0", "192.0.2.10", 1_700_000_100));
        d.extend(record(8, "", "pts/0", "", 1_700_000_200)); // DEAD_PROCESS
        d.extend([1, 2, 3]); // truncated tail
        let l = last_login(&d).unwrap();
        assert_eq!(l.user, "piet");
        assert_eq!(l.from.as_deref(), Some("192.0.2.10"));
        assert_eq!(l.at.unwrap().timestamp(), 1_700_000_100);
        assert!(last_login(&[0xff; 1000]).is_none());
    }
}
