//! Scan targets as a person writes them — `192.168.1.0/24`,
//! `10.0.0.10-10.0.0.50`, `10.0.0.10-50`, a single address, a host name —
//! expanded to the addresses to probe. Nothing outside what was named is
//! ever produced; more than a /16 (65,536 addresses) is refused unless forced.

use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs};

/// Largest expansion without `--force`.
pub const MAX_ADDRESSES: usize = 65_536;

/// Why a target was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error(
        "{0:?} is not a target: use a CIDR (192.168.1.0/24), a range (10.0.0.10-10.0.0.50), an address or a host name"
    )]
    Syntax(String),
    #[error(
        "{target} covers {count} addresses, more than a /16: name a smaller range, or add --force"
    )]
    TooLarge { target: String, count: u128 },
    #[error("cannot resolve host name {0:?}")]
    Resolve(String),
    #[error("IPv6 prefixes cannot be swept ({0}); name single IPv6 addresses instead")]
    Ipv6Prefix(String),
}

/// Expand targets in order, without duplicates.
pub fn expand(targets: &[String], force: bool) -> Result<Vec<IpAddr>, TargetError> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for t in targets {
        for ip in expand_one(t.trim(), force)? {
            if seen.insert(ip) {
                out.push(ip);
            }
        }
    }
    let total = out.len();
    if total > MAX_ADDRESSES && !force {
        return Err(TargetError::TooLarge {
            target: targets.join(" "),
            count: total as u128,
        });
    }
    Ok(out)
}

fn expand_one(t: &str, force: bool) -> Result<Vec<IpAddr>, TargetError> {
    let syntax = || TargetError::Syntax(t.chars().take(80).collect());
    if t.is_empty() {
        return Err(syntax());
    }
    let check = |count: u128| {
        if count > MAX_ADDRESSES as u128 && !force {
            Err(TargetError::TooLarge {
                target: t.to_string(),
                count,
            })
        } else {
            Ok(())
        }
    };
    if let Some((net, len)) = t.split_once('/') {
        let len: u8 = len.parse().map_err(|_| syntax())?;
        return match net.parse::<IpAddr>().map_err(|_| syntax())? {
            IpAddr::V4(a) if len <= 32 => {
                let count = 1u128 << (32 - len);
                check(count)?;
                let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                let base = u32::from(a) & mask;
                let (first, last) = (base as u64, base as u64 + count as u64 - 1);
                // Leave out network and broadcast addresses of ordinary subnets.
                let (first, last) = if len <= 30 {
                    (first + 1, last - 1)
                } else {
                    (first, last)
                };
                Ok((first..=last)
                    .map(|v| IpAddr::V4(Ipv4Addr::from(v as u32)))
                    .collect())
            }
            IpAddr::V6(a) if len == 128 => Ok(vec![IpAddr::V6(a)]),
            IpAddr::V6(_) => Err(TargetError::Ipv6Prefix(t.to_string())),
            _ => Err(syntax()),
        };
    }
    if let Some((a, b)) = t.split_once('-') {
        let start: Ipv4Addr = a.trim().parse().map_err(|_| syntax())?;
        let end: Ipv4Addr = match b.trim().parse::<Ipv4Addr>() {
            Ok(e) => e,
            // `10.0.0.10-50`: the last octet only.
            Err(_) => {
                let last: u8 = b.trim().parse().map_err(|_| syntax())?;
                let o = start.octets();
                Ipv4Addr::new(o[0], o[1], o[2], last)
            }
        };
        let (s, e) = (u32::from(start), u32::from(end));
        if e < s {
            return Err(syntax());
        }
        check((e - s) as u128 + 1)?;
        return Ok((s..=e).map(|v| IpAddr::V4(Ipv4Addr::from(v))).collect());
    }
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return Err(syntax());
    }
    // A host name the user named: resolved once with the system resolver.
    let addrs: Vec<IpAddr> = (t, 0)
        .to_socket_addrs()
        .map_err(|_| TargetError::Resolve(t.to_string()))?
        .map(|s| s.ip())
        .filter(|ip| ip.is_ipv4())
        .collect();
    addrs
        .first()
        .map(|a| vec![*a])
        .ok_or_else(|| TargetError::Resolve(t.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(t: &[&str]) -> Result<Vec<String>, TargetError> {
        expand(&t.iter().map(|s| s.to_string()).collect::<Vec<_>>(), false)
            .map(|v| v.iter().map(|a| a.to_string()).collect())
    }

    #[test]
    fn forms() {
        let v = ex(&["192.0.2.0/30"]).unwrap();
        assert_eq!(v, ["192.0.2.1", "192.0.2.2"]);
        assert_eq!(ex(&["192.0.2.7/24"]).unwrap().len(), 254);
        assert_eq!(ex(&["192.0.2.9/32"]).unwrap(), ["192.0.2.9"]);
        assert_eq!(
            ex(&["192.0.2.10-192.0.2.12"]).unwrap(),
            ["192.0.2.10", "192.0.2.11", "192.0.2.12"]
        );
        assert_eq!(
            ex(&["192.0.2.10-11", "192.0.2.11"]).unwrap(),
            ["192.0.2.10", "192.0.2.11"]
        );
        assert_eq!(ex(&["::1"]).unwrap(), ["::1"]);
        assert_eq!(ex(&["localhost"]).unwrap(), ["127.0.0.1"]);
        assert_eq!(ex(&["10.0.0.0/16"]).unwrap().len(), 65_534);
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            ex(&["10.0.0.0/15"]),
            Err(TargetError::TooLarge { .. })
        ));
        assert!(expand(&["10.0.0.0/15".to_string()], true).is_ok());
        assert!(matches!(
            ex(&["10.0.0.0/8"]),
            Err(TargetError::TooLarge {
                count: 16_777_216,
                ..
            })
        ));
        for bad in [
            "",
            "10.0.0.300",
            "10.0.0.9-10.0.0.1",
            "10.0.0.0/33",
            "a b",
            "fd00::/64",
        ] {
            assert!(ex(&[bad]).is_err(), "{bad}");
        }
        let e = ex(&["10.0.0.0/12"]).unwrap_err().to_string();
        assert!(e.contains("--force"), "{e}");
    }
}
