//! A live SNMP agent behind the [`Source`] interface, over async-snmp (the
//! pick in DEPENDENCIES.md; this file is the only one that touches it).
//!
//! Timeouts and retries are the caller's: sweeps use one short try,
//! `snmp identify` a longer one with a retry. Walks are GETBULK with
//! max-repetitions growing from 8 to 48 (GETNEXT on v1); they stop at the
//! end of the subtree, at `limit` rows, or when the agent loops or goes
//! backwards, keeping the rows so far. GETs larger than 16 OIDs are split,
//! and `tooBig` answers to them are split and retried by async-snmp. Every
//! walk has a wall-clock budget, so an agent that trickles answers cannot
//! hold a scan.

use super::credentials::Credential;
use super::oid::{Oid, Value};
use super::source::{Row, SnmpError, Source};
use async_snmp::client::{OidOrdering, WalkMethod, WalkOptions};
use async_snmp::{Client, ErrorKind, Retry, UdpHandle};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// How patient to be.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    /// Wait for one answer.
    pub timeout: Duration,
    /// Extra tries after a timeout.
    pub retries: u32,
    /// Longest one walk may take in total.
    pub walk_budget: Duration,
}

impl Patience {
    /// For a sweep over many hosts.
    pub fn sweep() -> Patience {
        Patience {
            timeout: Duration::from_millis(800),
            retries: 0,
            walk_budget: Duration::from_secs(10),
        }
    }

    /// For one device someone asked about.
    pub fn interactive() -> Patience {
        Patience {
            timeout: Duration::from_millis(1500),
            retries: 1,
            walk_budget: Duration::from_secs(30),
        }
    }
}

/// One agent, one credential.
pub struct Session {
    client: Client<UdpHandle>,
    target: SocketAddr,
    patience: Patience,
    v3: bool,
    v1: bool,
}

/// DES privacy needs salts that do not repeat for one key. One state per
/// process keeps them unique within a run; across runs the salt restarts,
/// which weakens DES further — DES is broken anyway, prefer AES.
fn des_salt_state() -> Option<async_snmp::DesSaltState> {
    static STATE: std::sync::LazyLock<Option<async_snmp::DesSaltState>> =
        std::sync::LazyLock::new(|| {
            async_snmp::DesSaltState::install(|_| Ok::<(), std::convert::Infallible>(())).ok()
        });
    STATE.clone()
}

impl Session {
    /// Prepare a session (no packet is sent yet).
    pub async fn open(
        target: SocketAddr,
        cred: &Credential,
        patience: Patience,
    ) -> Result<Session, SnmpError> {
        let retry = if patience.retries == 0 {
            Retry::none()
        } else {
            Retry::fixed(patience.retries, Duration::ZERO)
                .map_err(|e| SnmpError::Config(e.to_string()))?
        };
        let mut builder = Client::builder(target, cred.auth())
            .request_timeout(patience.timeout)
            .retry(retry)
            .max_oids_per_request(16);
        if cred.uses_des()
            && let Some(state) = des_salt_state()
        {
            builder = builder.des_salt_state(state);
        }
        let client = builder.connect().await.map_err(|e| SnmpError::Network {
            target: target.to_string(),
            detail: e.to_string(),
        })?;
        Ok(Session {
            client,
            target,
            patience,
            v3: cred.version() == "v3",
            v1: cred.version() == "v1",
        })
    }

    fn error(&self, e: &async_snmp::Error) -> SnmpError {
        let target = self.target.to_string();
        match e.kind() {
            ErrorKind::Timeout => SnmpError::Timeout {
                target,
                timeout_ms: self.patience.timeout.as_millis() as u64
                    * (1 + self.patience.retries as u64),
                hint: if self.v3 {
                    super::source::TIMEOUT_HINT_V3
                } else {
                    super::source::TIMEOUT_HINT_COMMUNITY
                },
            },
            ErrorKind::Auth | ErrorKind::Report | ErrorKind::Privacy => SnmpError::Auth {
                target,
                detail: e.to_string(),
            },
            ErrorKind::Network | ErrorKind::Closed => SnmpError::Network {
                target,
                detail: e.to_string(),
            },
            _ => SnmpError::Protocol {
                target,
                detail: e.to_string(),
            },
        }
    }
}

fn to_oid(o: &Oid) -> async_snmp::Oid {
    async_snmp::Oid::from_slice(&o.0)
}

fn from_oid(o: &async_snmp::Oid) -> Oid {
    Oid(o.arcs().to_vec())
}

/// Our value, or `None` for the exception values (no such object/instance,
/// end of MIB view).
fn value(v: &async_snmp::Value) -> Option<Value> {
    use async_snmp::Value as V;
    Some(match v {
        V::Integer(i) => Value::Int(i64::from(*i)),
        V::OctetString(b) | V::Opaque(b) => Value::Bytes(b.to_vec()),
        V::ObjectIdentifier(o) => Value::Oid(from_oid(o)),
        V::IpAddress(a) => Value::Ip(*a),
        V::Counter32(n) | V::Gauge32(n) | V::UInteger32(n) | V::TimeTicks(n) => {
            Value::Uint(u64::from(*n))
        }
        V::Counter64(n) => Value::Uint(*n),
        V::Null => Value::Empty,
        _ => return None,
    })
}

impl Source for Session {
    async fn get(&self, oids: &[Oid]) -> Result<Vec<Option<Value>>, SnmpError> {
        let want: Vec<async_snmp::Oid> = oids.iter().map(to_oid).collect();
        let resp = match self.client.get_many(&want).await {
            Ok(r) => r,
            // SNMPv1 fails a whole GET with noSuchName when one OID is
            // missing: ask one at a time, a missing one is None.
            Err(e) if self.v1 && e.kind() == ErrorKind::Snmp && oids.len() > 1 => {
                let mut out = Vec::with_capacity(oids.len());
                for o in oids {
                    out.push(match self.client.get(&to_oid(o)).await {
                        Ok(r) => r.varbinds.first().and_then(|vb| value(&vb.value)),
                        Err(e) if e.kind() == ErrorKind::Snmp => None,
                        Err(e) => return Err(self.error(&e)),
                    });
                }
                return Ok(out);
            }
            Err(e) => return Err(self.error(&e)),
        };
        Ok(want
            .iter()
            .map(|o| {
                resp.varbinds
                    .iter()
                    .find(|vb| &vb.oid == o)
                    .and_then(|vb| value(&vb.value))
            })
            .collect())
    }

    async fn next(&self, oids: &[Oid]) -> Result<Vec<Option<Row>>, SnmpError> {
        let want: Vec<async_snmp::Oid> = oids.iter().map(to_oid).collect();
        let resp = self
            .client
            .get_next_many(&want)
            .await
            .map_err(|e| self.error(&e))?;
        // One answer per request, in request order (RFC 3416 4.2.2).
        Ok((0..oids.len())
            .map(|i| {
                let vb = resp.varbinds.get(i)?;
                Some((from_oid(&vb.oid), value(&vb.value)?))
            })
            .collect())
    }

    async fn walk(&self, prefix: &Oid, limit: usize) -> Result<Vec<Row>, SnmpError> {
        if self.v1 {
            return self.walk_getnext(prefix, limit).await;
        }
        // GETBULK with growing max-repetitions: most columns identification
        // reads are short, and every repetition past a column's end is work
        // for the agent (and bytes on the wire) for nothing.
        let deadline = Instant::now() + self.patience.walk_budget;
        let mut rows: Vec<Row> = Vec::new();
        let mut cursor = prefix.clone();
        let mut reps = 8u32;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let want = reps
                .min(u32::try_from(limit - rows.len()).unwrap_or(u32::MAX))
                .max(1);
            let from = [to_oid(&cursor)];
            let asked = self.client.get_bulk(&from, 0, want);
            let vbs = match tokio::time::timeout(left, asked).await {
                Err(_) => break, // budget spent: keep what we have
                Ok(Err(e)) if rows.is_empty() => return Err(self.error(&e)),
                Ok(Err(_)) => break,
                Ok(Ok(v)) => v,
            };
            let before = rows.len();
            let mut done = vbs.is_empty();
            for vb in &vbs {
                let o = from_oid(&vb.oid);
                // Out of the subtree, end of the MIB, or not after the last
                // one (an agent that loops or goes backwards): stop.
                let Some(v) = value(&vb.value) else {
                    done = true;
                    break;
                };
                if !o.starts_with(prefix) || o <= cursor {
                    done = true;
                    break;
                }
                cursor = o.clone();
                rows.push((o, v));
                if rows.len() >= limit {
                    done = true;
                    break;
                }
            }
            if done || rows.len() == before {
                break;
            }
            reps = (reps * 2).min(48);
        }
        Ok(rows)
    }
}

impl Session {
    /// SNMPv1 has no GETBULK: async-snmp's GETNEXT walk.
    async fn walk_getnext(&self, prefix: &Oid, limit: usize) -> Result<Vec<Row>, SnmpError> {
        let opts = WalkOptions {
            method: WalkMethod::GetNext,
            max_repetitions: 1,
            ordering: OidOrdering::Strict,
            result_limit: Some(limit.max(1)),
        };
        let mut stream = self
            .client
            .walk_with(to_oid(prefix), opts)
            .map_err(|e| self.error(&e))?;
        let deadline = Instant::now() + self.patience.walk_budget;
        let mut rows = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let item = match tokio::time::timeout(left, stream.next()).await {
                Err(_) | Ok(None) => break,
                Ok(Some(item)) => item,
            };
            match item {
                Ok(vb) => {
                    if let Some(v) = value(&vb.value) {
                        rows.push((from_oid(&vb.oid), v));
                    }
                    if rows.len() >= limit {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WalkAborted && !rows.is_empty() => break,
                Err(e) => return Err(self.error(&e)),
            }
        }
        Ok(rows)
    }
}
