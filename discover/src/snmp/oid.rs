//! Object identifiers and the values SNMP returns, in our own small types so
//! that identification works the same on a live agent and on a recording,
//! and so that no async-snmp type leaks past `snmp/session.rs`.
//!
//! Text is decoded leniently (UTF-8, else Latin-1), control characters are
//! dropped and every string is capped: a device cannot make us keep a
//! megabyte sysDescr.

use std::fmt;

/// Longest text kept from one value.
pub const MAX_TEXT: usize = 1024;

/// A numeric OID; ordering is SNMP's lexicographic order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Oid(pub Vec<u32>);

impl Oid {
    /// Parse `1.3.6.1.2.1.1.1.0` (a leading dot is allowed).
    pub fn parse(s: &str) -> Option<Oid> {
        let s = s.trim().trim_start_matches('.');
        if s.is_empty() {
            return None;
        }
        let arcs: Option<Vec<u32>> = s.split('.').map(|a| a.parse().ok()).collect();
        arcs.filter(|a| a.len() >= 2 && a.len() <= 128).map(Oid)
    }

    /// Parse a constant; panics on a typo, so use only for literals.
    pub fn lit(s: &str) -> Oid {
        Oid::parse(s).unwrap_or_else(|| panic!("bad OID literal {s:?}"))
    }

    pub fn starts_with(&self, prefix: &Oid) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// The arcs after `prefix` (the row index of a table column).
    pub fn suffix(&self, prefix: &Oid) -> Option<&[u32]> {
        self.starts_with(prefix).then(|| &self.0[prefix.0.len()..])
    }

    /// This OID with more arcs.
    pub fn with(&self, arcs: &[u32]) -> Oid {
        let mut v = self.0.clone();
        v.extend_from_slice(arcs);
        Oid(v)
    }

    /// The private enterprise number of `1.3.6.1.4.1.N…`.
    pub fn enterprise(&self) -> Option<u32> {
        (self.0.len() >= 7 && self.0[..6] == [1, 3, 6, 1, 4, 1]).then(|| self.0[6])
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

/// A value, reduced to what identification needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    /// Counter32, Gauge32, Counter64, TimeTicks, Unsigned32.
    Uint(u64),
    Bytes(Vec<u8>),
    Oid(Oid),
    Ip([u8; 4]),
    /// Null, noSuchObject, noSuchInstance, endOfMibView or unknown types.
    Empty,
}

impl Value {
    /// Text: UTF-8 when it is, else Latin-1; control characters dropped,
    /// trimmed, capped at [`MAX_TEXT`]; `None` when empty.
    pub fn text(&self) -> Option<String> {
        let s = match self {
            Value::Bytes(b) => decode_text(b),
            Value::Int(i) => i.to_string(),
            Value::Uint(u) => u.to_string(),
            Value::Oid(o) => o.to_string(),
            Value::Ip(a) => format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]),
            Value::Empty => return None,
        };
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    }

    /// A whole number (also from a decimal string, as some agents send).
    pub fn int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Uint(u) => i64::try_from(*u).ok(),
            Value::Bytes(b) => std::str::from_utf8(b).ok()?.trim().parse().ok(),
            _ => None,
        }
    }

    /// A MAC address from 6 raw bytes (or a printable `aa:bb:…` string);
    /// all-zero and broadcast addresses are not MACs.
    pub fn mac(&self) -> Option<String> {
        let Value::Bytes(b) = self else { return None };
        let bytes: Vec<u8> = if b.len() == 6 {
            b.clone()
        } else {
            let t = std::str::from_utf8(b).ok()?;
            t.trim().parse::<census_shared::MacAddr>().ok()?.0.to_vec()
        };
        if bytes.iter().all(|&x| x == 0) || bytes.iter().all(|&x| x == 0xff) {
            return None;
        }
        Some(
            bytes
                .iter()
                .map(|x| format!("{x:02x}"))
                .collect::<Vec<_>>()
                .join(":"),
        )
    }

    pub fn as_oid(&self) -> Option<&Oid> {
        match self {
            Value::Oid(o) => Some(o),
            _ => None,
        }
    }
}

fn decode_text(b: &[u8]) -> String {
    let b = &b[..b.len().min(MAX_TEXT * 4)];
    let s = match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| c as char).collect(),
    };
    // Line breaks and tabs become one space; other control characters go.
    let mut out = String::new();
    let mut gap = false;
    for c in s.chars() {
        if c == '\n' || c == '\r' || c == '\t' {
            gap = true;
            continue;
        }
        if c.is_control() {
            continue;
        }
        if gap && !out.ends_with(' ') {
            out.push(' ');
        }
        gap = false;
        out.push(c);
        if out.len() >= MAX_TEXT {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_parse_order_and_split() {
        let a = Oid::lit(".1.3.6.1.2.1.1.1.0");
        assert_eq!(a.to_string(), "1.3.6.1.2.1.1.1.0");
        assert!(Oid::lit("1.3.6.1.2.1.1.2") < Oid::lit("1.3.6.1.2.1.1.10"));
        assert!(Oid::lit("1.3.6.1.2.1.1") < Oid::lit("1.3.6.1.2.1.1.0"));
        assert_eq!(Oid::lit("1.3.6.1.4.1.318.1.3").enterprise(), Some(318));
        assert_eq!(Oid::lit("1.3.6.1.2.1").enterprise(), None);
        let col = Oid::lit("1.3.6.1.2.1.2.2.1.6");
        assert_eq!(col.with(&[7]).suffix(&col), Some(&[7u32][..]));
        for bad in ["", "1", "1.x.3", "1..2", "1.3.99999999999"] {
            assert_eq!(Oid::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn values_decode_leniently() {
        assert_eq!(
            Value::Bytes(b" HP\r\nLaserJet\0 ".to_vec())
                .text()
                .as_deref(),
            Some("HP LaserJet")
        );
        assert_eq!(Value::Bytes(vec![0xe9, b'a']).text().as_deref(), Some("éa"));
        assert_eq!(Value::Bytes(vec![]).text(), None);
        assert_eq!(
            Value::Bytes(vec![b'x'; 100_000]).text().unwrap().len(),
            MAX_TEXT
        );
        assert_eq!(
            Value::Bytes(b"a  b".to_vec()).text().as_deref(),
            Some("a  b")
        );
        assert_eq!(Value::Bytes(b"42".to_vec()).int(), Some(42));
        let mac = Value::Bytes(vec![0x3c, 0x2a, 0xf4, 0xbf, 0xf5, 0x1b]);
        assert_eq!(mac.mac().as_deref(), Some("3c:2a:f4:bf:f5:1b"));
        assert_eq!(Value::Bytes(vec![0; 6]).mac(), None);
        assert_eq!(Value::Bytes(vec![1, 2, 3]).mac(), None);
    }
}
