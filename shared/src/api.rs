//! The HTTP API's request and response bodies that agent and collector
//! exchange (`/api/v1/enroll`, `/api/v1/reports`), and the JSON error body
//! every refusal carries.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/enroll`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The enrolment token printed by the collector.
    pub token: String,
    /// The host's name.
    pub hostname: String,
    /// Human OS name (`Debian GNU/Linux 12 (bookworm)`).
    #[serde(default)]
    pub os: Option<String>,
    /// The agent's version.
    #[serde(default)]
    pub agent_version: Option<String>,
}

/// Answer to an enrolment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// The agent's id at this collector.
    pub agent_id: String,
    /// The agent's secret: send as `Authorization: Bearer <secret>`. The
    /// collector keeps only its hash; it is shown this once.
    pub secret: String,
}

/// Answer to `POST /api/v1/reports`: the report is committed to disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportAck {
    /// The report's id.
    pub report_id: String,
    /// `false` when this id had been received before (a repeated delivery).
    pub stored: bool,
    /// `true` when the inventory differs from the agent's previous report.
    pub changed: bool,
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiError {
    /// Machine-readable code: `unauthorized`, `bad_request`,
    /// `unsupported_schema`, `too_large`, `rate_limited`, `not_found`, `internal`.
    pub error: String,
    /// What was wrong and what to do, for people.
    pub message: String,
}
