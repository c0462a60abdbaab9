//! Enrolment: trade a collector's one-time token for this agent's id and
//! secret, and turn the answer into an [`AgentConfig`]. `census-agent
//! enroll` and `census-agent install` both go through [`enroll`]; neither
//! writes anything before the collector has answered.

use crate::config::AgentConfig;
use crate::probe::Probe;
use crate::transport::{SendError, Transport};
use census_shared::api::EnrollRequest;
use census_shared::duration::parse_duration;
use census_shared::pin::{parse_fingerprint, to_hex};
use std::path::PathBuf;

/// What to enrol with.
#[derive(Debug, Clone)]
pub struct EnrollParams {
    /// The collector's URL (`https://host:port`; a trailing `/` is dropped).
    pub collector: String,
    /// The enrolment token.
    pub token: String,
    /// The collector's key fingerprint, as the collector prints it.
    pub fingerprint: String,
    /// Time between reports (`24h`).
    pub interval: String,
    /// State and spool directory the configuration will name.
    pub state_dir: PathBuf,
    /// The tree the agent inventories (`/` for this machine).
    pub root: PathBuf,
}

/// Why enrolment failed.
#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    #[error(
        "--fingerprint {0:?}: expected the 64 hex digits of a SHA-256, as the collector prints it"
    )]
    Fingerprint(String),
    #[error("--interval {value:?}: {message}")]
    Interval { value: String, message: String },
    #[error("--collector {0:?}: must be an https:// URL, e.g. https://192.0.2.10:8443")]
    Url(String),
    #[error("enrolment at {collector} failed: {error}")]
    Collector { collector: String, error: SendError },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

impl EnrollParams {
    /// Check the parameters without contacting anyone: the pin, the
    /// interval and the URL.
    pub fn check(&self) -> Result<[u8; 32], EnrollError> {
        let pin = parse_fingerprint(&self.fingerprint)
            .ok_or_else(|| EnrollError::Fingerprint(self.fingerprint.clone()))?;
        parse_duration(&self.interval).map_err(|e| EnrollError::Interval {
            value: self.interval.clone(),
            message: e.to_string(),
        })?;
        if !self.collector.starts_with("https://") {
            return Err(EnrollError::Url(self.collector.clone()));
        }
        Ok(pin)
    }

    /// The collector URL without a trailing slash.
    pub fn collector_url(&self) -> String {
        self.collector.trim_end_matches('/').to_string()
    }
}

/// Enrol with the collector (blocking: runs its own small runtime) and
/// return the configuration to write. Host name and OS for the collector's
/// agent list come from `params.root`.
pub fn enroll(params: &EnrollParams) -> Result<AgentConfig, EnrollError> {
    let pin = params.check()?;
    let collector = params.collector_url();
    let fail = |error| EnrollError::Collector {
        collector: collector.clone(),
        error,
    };
    let transport = Transport::new(&collector, pin).map_err(fail)?;
    let facts = crate::collect(&Probe::at(&params.root), None);
    let req = EnrollRequest {
        token: params.token.clone(),
        hostname: facts
            .host
            .hostname
            .clone()
            .unwrap_or_else(|| "unknown".into()),
        os: facts.os.pretty_name.clone(),
        agent_version: Some(crate::VERSION.into()),
    };
    let resp = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(EnrollError::Runtime)?
        .block_on(transport.enroll(&req))
        .map_err(fail)?;
    Ok(AgentConfig {
        collector,
        fingerprint: to_hex(&pin),
        agent_id: resp.agent_id,
        secret: resp.secret,
        interval: params.interval.clone(),
        state_dir: params.state_dir.clone(),
        spool_max_reports: 100,
        spool_max_bytes: 64 * 1024 * 1024,
        root: params.root.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> EnrollParams {
        EnrollParams {
            collector: "https://192.0.2.1:8443/".into(),
            token: "cen_x".into(),
            fingerprint: "ab".repeat(32),
            interval: "1h".into(),
            state_dir: "/var/lib/census-agent".into(),
            root: "/".into(),
        }
    }

    #[test]
    fn parameters_are_checked_before_any_contact() {
        assert!(params().check().is_ok());
        assert_eq!(params().collector_url(), "https://192.0.2.1:8443");
        let mut p = params();
        p.fingerprint = "abc".into();
        assert!(p.check().unwrap_err().to_string().contains("64 hex digits"));
        let mut p = params();
        p.interval = "soon".into();
        assert!(p.check().unwrap_err().to_string().contains("--interval"));
        let mut p = params();
        p.collector = "http://192.0.2.1".into();
        assert!(p.check().unwrap_err().to_string().contains("https://"));
    }
}
