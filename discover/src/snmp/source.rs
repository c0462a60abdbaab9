//! The small interface identification asks questions through: GET, GETNEXT
//! and bounded walks. A live agent ([`super::session::Session`]) and a
//! recorded one ([`super::recording::Recording`]) both implement it, so the
//! same identification code runs over the network and in unit tests.
//!
//! It says nothing about credentials or transport; errors are typed and
//! written for people (what failed, why, what to do).

use super::oid::{Oid, Value};
use std::future::Future;

/// Why an SNMP question got no answer.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SnmpError {
    #[error("no SNMP answer from {target} within {timeout_ms} ms: {hint}")]
    Timeout {
        target: String,
        timeout_ms: u64,
        hint: &'static str,
    },
    #[error(
        "SNMPv3 authentication failed at {target}: {detail}; check the user name, the auth/priv protocols and passwords"
    )]
    Auth { target: String, detail: String },
    #[error("cannot reach {target}: {detail}")]
    Network { target: String, detail: String },
    #[error("{target} sent an answer we cannot use: {detail}")]
    Protocol { target: String, detail: String },
    #[error("bad SNMP settings: {0}")]
    Config(String),
}

/// Why a timeout happens, by SNMP version.
pub const TIMEOUT_HINT_COMMUNITY: &str = "the host is down, SNMP is off, or the community is wrong (SNMPv1/v2c agents stay silent on a wrong community)";
/// Agents drop SNMPv3 requests whose password or privacy key is wrong.
pub const TIMEOUT_HINT_V3: &str = "the host is down, SNMP is off, or the SNMPv3 user, protocols or passwords are wrong (agents drop requests they cannot authenticate or decrypt)";

impl SnmpError {
    /// Worth trying the next credential (the agent may just not know this one).
    pub fn try_next_credential(&self) -> bool {
        matches!(self, SnmpError::Timeout { .. } | SnmpError::Auth { .. })
    }
}

/// One row of a walk.
pub type Row = (Oid, Value);

/// Questions an SNMP agent answers.
pub trait Source: Sync {
    /// GET: one entry per requested OID, `None` where the agent has no such
    /// object.
    fn get(
        &self,
        oids: &[Oid],
    ) -> impl Future<Output = Result<Vec<Option<Value>>, SnmpError>> + Send;

    /// GETNEXT per OID: the next object after it, `None` at the end of the MIB.
    fn next(
        &self,
        oids: &[Oid],
    ) -> impl Future<Output = Result<Vec<Option<Row>>, SnmpError>> + Send;

    /// Every object under `prefix`, in order, at most `limit` rows. A walk
    /// that loops or goes backwards ends with an error.
    fn walk(
        &self,
        prefix: &Oid,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Row>, SnmpError>> + Send;
}

/// Walk several table columns and keep what answered; a column that fails
/// is empty (identification works with what it gets).
pub async fn walk_columns<S: Source>(s: &S, columns: &[Oid], limit: usize) -> Vec<Vec<Row>> {
    let mut out = Vec::with_capacity(columns.len());
    for c in columns {
        out.push(s.walk(c, limit).await.unwrap_or_default());
    }
    out
}
