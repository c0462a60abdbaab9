//! WMI queries on Windows, each on its own COM thread with its own timeout.
//!
//! WMI is where Windows inventories hang: a stuck provider (a broken disk
//! driver, a wedged Security Center) blocks the caller forever. The `wmi`
//! crate's connection is `!Send`, so every [`query`] starts a thread that
//! initialises COM, connects to the namespace, runs one WQL query and sends
//! the rows back as portable [`WmiRow`]s. The caller waits at most the
//! timeout; a query that does not answer in time becomes a [`WmiError::Timeout`]
//! (which the facets record in `collection_errors`) and its thread is left to
//! finish or die with the process, never joined.

use super::wmi::{ThreadError, WmiRow, on_own_thread};
use ::wmi::{AuthLevel, Variant, WMIConnection};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

/// How long one WMI query may take before it is given up.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Why a WMI query gave no rows.
#[derive(Debug, thiserror::Error)]
pub enum WmiError {
    /// The query did not answer within the timeout.
    #[error("WMI query `{query}` in {namespace} did not answer within {secs} s; skipped")]
    Timeout {
        namespace: String,
        query: String,
        secs: u64,
    },
    /// Connecting or querying failed.
    #[error("WMI query `{query}` in {namespace} failed: {message}")]
    Failed {
        namespace: String,
        query: String,
        message: String,
    },
}

fn to_json(v: Variant) -> Value {
    match v {
        Variant::Empty | Variant::Null | Variant::Unknown(_) | Variant::Object(_) => Value::Null,
        Variant::String(s) => Value::String(s),
        Variant::I1(n) => n.into(),
        Variant::I2(n) => n.into(),
        Variant::I4(n) => n.into(),
        Variant::I8(n) => n.into(),
        Variant::UI1(n) => n.into(),
        Variant::UI2(n) => n.into(),
        Variant::UI4(n) => n.into(),
        Variant::UI8(n) => n.into(),
        Variant::R4(n) => f64::from(n).into(),
        Variant::R8(n) => n.into(),
        Variant::Bool(b) => b.into(),
        Variant::Array(a) => Value::Array(a.into_iter().map(to_json).collect()),
    }
}

/// Run `wql` in `namespace` (`ROOT\CIMV2`, …) on a fresh COM thread.
pub fn query_in(namespace: &str, wql: &str, timeout: Duration) -> Result<Vec<WmiRow>, WmiError> {
    let (ns, q) = (namespace.to_string(), wql.to_string());
    let failed = |message: String| WmiError::Failed {
        namespace: namespace.to_string(),
        query: wql.to_string(),
        message,
    };
    let answer = on_own_thread("census-wmi", timeout, move || {
        let run = || -> ::wmi::WMIResult<Vec<WmiRow>> {
            let con = WMIConnection::with_namespace_path(&ns)?;
            if ns.contains("MicrosoftVolumeEncryption") {
                con.set_proxy_blanket(AuthLevel::PktPrivacy)?;
            }
            let rows: Vec<HashMap<String, Variant>> = con.raw_query(&q)?;
            Ok(rows
                .into_iter()
                .map(|r| r.into_iter().map(|(k, v)| (k, to_json(v))).collect())
                .collect())
        };
        run().map_err(|e| e.to_string())
    });
    match answer {
        Ok(Ok(rows)) => Ok(rows),
        Ok(Err(message)) => Err(failed(message)),
        Err(ThreadError::Timeout) => Err(WmiError::Timeout {
            namespace: namespace.to_string(),
            query: wql.to_string(),
            secs: timeout.as_secs(),
        }),
        Err(ThreadError::NoAnswer) => {
            Err(failed("the query thread ended without an answer".into()))
        }
    }
}

/// Run `wql` in `ROOT\CIMV2` with the default timeout.
pub fn query(wql: &str) -> Result<Vec<WmiRow>, WmiError> {
    query_in("ROOT\\CIMV2", wql, TIMEOUT)
}

/// The rows of `wql`, or none with the failure recorded against `facet`.
pub fn rows_or_error(
    report: &mut census_shared::HostReport,
    facet: &str,
    wql: &str,
) -> Vec<WmiRow> {
    match query(wql) {
        Ok(rows) => rows,
        Err(e) => {
            report.error(facet, e.to_string());
            Vec::new()
        }
    }
}
