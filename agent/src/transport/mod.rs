//! The agent's only traffic to its collector: HTTPS with the collector's
//! key pinned ([`pin`]). Two calls — enrol and send a report — plus, for a
//! site scanner, an authenticated JSON get and post (its assignment, its
//! scans), and a classification of failures that the spool acts on: retry later
//! (unreachable, timeout, 5xx, 429), give up (other 4xx), or refuse the
//! collector (pin mismatch).

pub mod pin;

use census_shared::api::{ApiError, EnrollRequest, EnrollResponse, ReportAck};
use pin::PinVerifier;
use std::sync::Arc;
use std::time::Duration;

/// Why a call did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth retrying later: the collector is unreachable, slow, overloaded
    /// (429) or failing (5xx).
    #[error("collector unavailable: {0}")]
    Retryable(String),
    /// The collector refused the request; retrying will not help.
    #[error("collector refused the request ({status}): {message}")]
    Rejected { status: u16, message: String },
    /// The collector presented a key other than the pinned one.
    #[error(
        "the collector at {url} presented key SHA-256 {got}, but this agent pins {expected}; \
         if the collector's key was replaced on purpose, enrol again with --fingerprint {got}, \
         otherwise something is intercepting the connection"
    )]
    PinMismatch {
        url: String,
        expected: String,
        got: String,
    },
    /// The client could not be set up (bad URL, TLS configuration).
    #[error("{0}")]
    Setup(String),
}

/// An HTTPS client for one collector.
pub struct Transport {
    base: String,
    client: reqwest::Client,
    verifier: Arc<PinVerifier>,
}

impl Transport {
    /// A client for `base` (`https://host:port`) that trusts only `pin`.
    pub fn new(base: &str, pin: [u8; 32]) -> Result<Transport, SendError> {
        if !base.starts_with("https://") {
            return Err(SendError::Setup(format!(
                "collector URL {base:?} must start with https://"
            )));
        }
        let verifier = Arc::new(PinVerifier::new(pin));
        let tls =
            pin::client_config(verifier.clone()).map_err(|e| SendError::Setup(e.to_string()))?;
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("census-agent/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SendError::Setup(e.to_string()))?;
        Ok(Transport {
            base: base.trim_end_matches('/').to_string(),
            client,
            verifier,
        })
    }

    /// Enrol with a token.
    pub async fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, SendError> {
        let resp = self
            .client
            .post(format!("{}/api/v1/enroll", self.base))
            .json(req)
            .send()
            .await;
        let body = self.check(resp).await?;
        serde_json::from_slice(&body)
            .map_err(|e| SendError::Retryable(format!("unexpected enrolment answer: {e}")))
    }

    /// Send one report, already serialised and gzip-compressed.
    pub async fn send_report(
        &self,
        secret: &str,
        gzipped_json: Vec<u8>,
    ) -> Result<ReportAck, SendError> {
        let resp = self
            .client
            .post(format!("{}/api/v1/reports", self.base))
            .bearer_auth(secret)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(gzipped_json)
            .send()
            .await;
        let body = self.check(resp).await?;
        serde_json::from_slice(&body)
            .map_err(|e| SendError::Retryable(format!("unexpected answer to a report: {e}")))
    }

    /// `GET path` as the agent (its secret); `None` on 204 No Content.
    pub async fn get_as_agent(
        &self,
        secret: &str,
        path: &str,
    ) -> Result<Option<Vec<u8>>, SendError> {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(secret)
            .send()
            .await;
        if resp.as_ref().is_ok_and(|r| r.status().as_u16() == 204) {
            return Ok(None);
        }
        self.check(resp).await.map(Some)
    }

    /// `POST path` with a JSON body as the agent; the answer's body.
    pub async fn post_as_agent(
        &self,
        secret: &str,
        path: &str,
        json: Vec<u8>,
    ) -> Result<Vec<u8>, SendError> {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(secret)
            .header("content-type", "application/json")
            .body(json)
            .send()
            .await;
        self.check(resp).await
    }

    async fn check(
        &self,
        resp: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<Vec<u8>, SendError> {
        let resp = match resp {
            Ok(r) => r,
            Err(e) => {
                if let Some(got) = self
                    .verifier
                    .seen
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .take()
                {
                    return Err(SendError::PinMismatch {
                        url: self.base.clone(),
                        expected: self.verifier.expected(),
                        got,
                    });
                }
                return Err(SendError::Retryable(describe(&e)));
            }
        };
        let status = resp.status().as_u16();
        let body = resp
            .bytes()
            .await
            .map_err(|e| SendError::Retryable(describe(&e)))?
            .to_vec();
        if (200..300).contains(&status) {
            return Ok(body);
        }
        let message = serde_json::from_slice::<ApiError>(&body)
            .map(|e| e.message)
            .unwrap_or_else(|_| String::from_utf8_lossy(&body).chars().take(300).collect());
        if status == 429 || status >= 500 {
            Err(SendError::Retryable(format!("HTTP {status}: {message}")))
        } else {
            Err(SendError::Rejected { status, message })
        }
    }
}

/// A reqwest error with its causes, on one line.
fn describe(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(cause) = src {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        src = cause.source();
    }
    s
}
