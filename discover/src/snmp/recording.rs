//! A recorded SNMP agent: an snmpsim `.snmprec` file (`OID|type|value` per
//! line) held in memory and answered like a live agent. Used by the unit
//! tests and by `census-collector snmp identify --recording FILE`, which
//! identifies a device from a recording someone sent in.
//!
//! Types follow snmpsim: 2 Integer, 4 OCTET STRING (`4x` hex), 5 Null,
//! 6 OID, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 68 Opaque,
//! 70 Counter64. Values are trimmed as snmpsim serves them. Unknown types
//! are kept as empty values rather than refused.

use super::oid::{Oid, Value};
use super::source::{Row, SnmpError, Source};
use std::collections::BTreeMap;
use std::ops::Bound;

/// A bad line in a recording.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {what}")]
pub struct RecordingError {
    pub file: String,
    pub line: usize,
    pub what: String,
}

/// An in-memory agent.
#[derive(Debug, Clone, Default)]
pub struct Recording {
    rows: BTreeMap<Oid, Value>,
}

impl Recording {
    /// Parse snmprec text; `file` only names the source in errors.
    pub fn parse(file: &str, text: &str) -> Result<Recording, RecordingError> {
        let mut rows = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |what: String| RecordingError {
                file: file.to_string(),
                line: n + 1,
                what,
            };
            let mut parts = line.splitn(3, '|');
            let (Some(oid), Some(ty), Some(raw)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(err("expected OID|type|value".into()));
            };
            let oid = Oid::parse(oid).ok_or_else(|| err(format!("bad OID {oid:?}")))?;
            let value = parse_value(ty, raw.trim()).map_err(err)?;
            rows.insert(oid, value);
        }
        Ok(Recording { rows })
    }

    /// Build from rows (tests).
    pub fn from_rows(rows: impl IntoIterator<Item = (Oid, Value)>) -> Recording {
        Recording {
            rows: rows.into_iter().collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn after(&self, oid: &Oid) -> Option<Row> {
        self.rows
            .range((Bound::Excluded(oid.clone()), Bound::Unbounded))
            .next()
            .map(|(o, v)| (o.clone(), v.clone()))
    }
}

fn parse_value(ty: &str, raw: &str) -> Result<Value, String> {
    let (base, hex) = match ty.strip_suffix('x') {
        Some(b) => (b, true),
        None => (ty, false),
    };
    let bytes = || -> Result<Vec<u8>, String> {
        if hex {
            decode_hex(raw).ok_or_else(|| format!("bad hex value {raw:?}"))
        } else {
            Ok(raw.as_bytes().to_vec())
        }
    };
    let num = |what: &str| -> Result<u64, String> {
        raw.parse::<u64>()
            .map_err(|_| format!("bad {what} {raw:?}"))
    };
    Ok(match base {
        "2" => Value::Int(raw.parse().map_err(|_| format!("bad integer {raw:?}"))?),
        "4" | "68" => Value::Bytes(bytes()?),
        "5" => Value::Empty,
        "6" => Value::Oid(Oid::parse(raw).ok_or_else(|| format!("bad OID value {raw:?}"))?),
        "64" => {
            let b = bytes()?;
            match (hex, raw.parse::<std::net::Ipv4Addr>()) {
                (false, Ok(a)) => Value::Ip(a.octets()),
                _ if b.len() == 4 => Value::Ip([b[0], b[1], b[2], b[3]]),
                _ => return Err(format!("bad IpAddress {raw:?}")),
            }
        }
        "65" | "66" | "67" | "70" => Value::Uint(num("number")?),
        _ => Value::Empty,
    })
}

use census_shared::pin::from_hex as decode_hex;

impl Source for Recording {
    async fn get(&self, oids: &[Oid]) -> Result<Vec<Option<Value>>, SnmpError> {
        Ok(oids.iter().map(|o| self.rows.get(o).cloned()).collect())
    }

    async fn next(&self, oids: &[Oid]) -> Result<Vec<Option<Row>>, SnmpError> {
        Ok(oids.iter().map(|o| self.after(o)).collect())
    }

    async fn walk(&self, prefix: &Oid, limit: usize) -> Result<Vec<Row>, SnmpError> {
        Ok(self
            .rows
            .range((Bound::Excluded(prefix.clone()), Bound::Unbounded))
            .take_while(|(o, _)| o.starts_with(prefix))
            .take(limit)
            .map(|(o, v)| (o.clone(), v.clone()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
1.3.6.1.2.1.1.1.0|4|  Brother NC-8300h  \n\
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2435.2.3.9.1\n\
1.3.6.1.2.1.1.3.0|67|217539735\n\
1.3.6.1.2.1.2.2.1.6.1|4x|3C2AF4BFF51B\n\
1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1\n\
1.3.6.1.2.1.2.2.1.6.2|4x|C0B5D7E7384B\n";

    #[tokio::test]
    async fn answers_like_an_agent() {
        let r = Recording::parse("t", TEXT).unwrap();
        let got = r
            .get(&[Oid::lit("1.3.6.1.2.1.1.1.0"), Oid::lit("1.3.6.1.2.1.1.9.0")])
            .await
            .unwrap();
        assert_eq!(
            got[0].as_ref().unwrap().text().as_deref(),
            Some("Brother NC-8300h")
        );
        assert_eq!(got[1], None);
        let col = Oid::lit("1.3.6.1.2.1.2.2.1.6");
        let walk = r.walk(&col, 100).await.unwrap();
        assert_eq!(walk.len(), 2);
        assert_eq!(walk[1].1.mac().as_deref(), Some("c0:b5:d7:e7:38:4b"));
        assert_eq!(r.walk(&col, 1).await.unwrap().len(), 1);
        let next = r.next(&[Oid::lit("1.3.6.1.2.1.1.3.0")]).await.unwrap();
        assert_eq!(
            next[0].as_ref().unwrap().0,
            Oid::lit("1.3.6.1.2.1.2.2.1.6.1")
        );
        assert_eq!(r.next(&[Oid::lit("2.999")]).await.unwrap(), vec![None]);
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let e = Recording::parse("dev/x.snmprec", "1.3.6.1|4|ok\nnot a line\n").unwrap_err();
        assert_eq!(e.to_string(), "dev/x.snmprec:2: expected OID|type|value");
        let e = Recording::parse("f", "1.3.6.1|4x|abc").unwrap_err();
        assert!(e.to_string().contains("bad hex"), "{e}");
        let e = Recording::parse("f", "1.3.6.1|2|many").unwrap_err();
        assert!(e.to_string().contains("bad integer"), "{e}");
    }
}
