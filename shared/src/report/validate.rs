//! Reading a report from untrusted bytes: version check first (so an old or
//! new agent gets "schema version 0 is not supported" rather than a confusing
//! field error), then the full parse, then bounds that keep one report from
//! exhausting a collector.

use super::{HostReport, SCHEMA_VERSION};

/// Limits on collections inside one report.
pub const MAX_SOFTWARE: usize = 100_000;
/// Limit on interfaces, disks, volumes, modules, accounts.
pub const MAX_ITEMS: usize = 4_096;
/// Limit on any single string, in bytes.
pub const MAX_STRING: usize = 4_096;

/// Why a report was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Not JSON, or not an object.
    #[error("report is not valid JSON: {0}")]
    Json(String),
    /// `schema_version` missing or not supported.
    #[error(
        "schema_version {found} is not supported (this collector reads version {SCHEMA_VERSION}); upgrade the agent or the collector so they match"
    )]
    Version { found: String },
    /// Fields of the wrong type or missing.
    #[error("report does not match schema version {SCHEMA_VERSION}: {0}")]
    Shape(String),
    /// A collection or string over its limit.
    #[error("report field {field} is too large ({size} > {limit})")]
    TooLarge {
        field: &'static str,
        size: usize,
        limit: usize,
    },
    /// A required value is empty.
    #[error("report field {0} must not be empty")]
    Empty(&'static str),
}

/// The top-level field that makes a report unreadable: each field of the
/// input is tried alone in an otherwise valid report (only on the error path).
fn culprit(value: &serde_json::Value) -> Option<String> {
    let template = HostReport::new(
        "x".into(),
        super::AgentInfo::default(),
        chrono::DateTime::from_timestamp(0, 0)?,
    );
    let template = serde_json::to_value(template).ok()?;
    for (key, v) in value.as_object()? {
        let mut probe = template.clone();
        probe[key.as_str()] = v.clone();
        if serde_json::from_value::<HostReport>(probe).is_err() {
            return Some(key.clone());
        }
    }
    None
}

impl HostReport {
    /// Parse and check a report received from the network.
    pub fn from_json(bytes: &[u8]) -> Result<HostReport, ReportError> {
        // (Checked first: serde would also read a struct from an array.)
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ReportError::Json("top level is not an object".into()));
        }
        // The common case costs one typed parse; the version is checked on
        // the result, or, when parsing fails, before explaining the failure.
        let report = match serde_json::from_slice::<HostReport>(bytes) {
            Ok(r) if r.schema_version == SCHEMA_VERSION => r,
            Ok(r) => {
                return Err(ReportError::Version {
                    found: r.schema_version.to_string(),
                });
            }
            Err(e) => {
                let value: serde_json::Value =
                    serde_json::from_slice(bytes).map_err(|e| ReportError::Json(e.to_string()))?;
                match value.get("schema_version") {
                    Some(v) if v.as_u64() == Some(SCHEMA_VERSION as u64) => {}
                    Some(v) => {
                        return Err(ReportError::Version {
                            found: v.to_string(),
                        });
                    }
                    None => {
                        return Err(ReportError::Version {
                            found: "(missing)".into(),
                        });
                    }
                }
                let field = culprit(&value)
                    .map(|f| format!("field `{f}`: "))
                    .unwrap_or_default();
                return Err(ReportError::Shape(format!("{field}{e}")));
            }
        };
        report.check_bounds()?;
        Ok(report)
    }

    /// Check sizes and required values.
    pub fn check_bounds(&self) -> Result<(), ReportError> {
        if self.report_id.trim().is_empty() {
            return Err(ReportError::Empty("report_id"));
        }
        let counts: [(&'static str, usize, usize); 7] = [
            ("software", self.software.len(), MAX_SOFTWARE),
            (
                "network.interfaces",
                self.network.interfaces.len(),
                MAX_ITEMS,
            ),
            ("storage.disks", self.storage.disks.len(), MAX_ITEMS),
            ("storage.volumes", self.storage.volumes.len(), MAX_ITEMS),
            ("memory.modules", self.memory.modules.len(), MAX_ITEMS),
            ("users.accounts", self.users.accounts.len(), MAX_ITEMS),
            ("collection_errors", self.collection_errors.len(), MAX_ITEMS),
        ];
        for (field, size, limit) in counts {
            if size > limit {
                return Err(ReportError::TooLarge { field, size, limit });
            }
        }
        let long = |s: &str| s.len() > MAX_STRING;
        if long(&self.report_id)
            || self.software.iter().any(|p| {
                long(&p.name)
                    || p.version.as_deref().is_some_and(long)
                    || p.publisher.as_deref().is_some_and(long)
            })
        {
            return Err(ReportError::TooLarge {
                field: "string",
                size: MAX_STRING + 1,
                limit: MAX_STRING,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::AgentInfo;

    fn sample() -> HostReport {
        HostReport::new(
            "0123456789abcdef0123456789abcdef".into(),
            AgentInfo {
                id: None,
                version: "0.1.0".into(),
            },
            chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        )
    }

    #[test]
    fn round_trip() {
        let r = sample();
        let j = serde_json::to_vec(&r).unwrap();
        assert_eq!(HostReport::from_json(&j).unwrap(), r);
    }

    #[test]
    fn wrong_version_is_named() {
        let mut v = serde_json::to_value(sample()).unwrap();
        v["schema_version"] = 0.into();
        let e = HostReport::from_json(&serde_json::to_vec(&v).unwrap()).unwrap_err();
        assert!(matches!(e, ReportError::Version { .. }));
        assert!(
            e.to_string().contains("schema_version 0 is not supported"),
            "{e}"
        );
        v.as_object_mut().unwrap().remove("schema_version");
        let e = HostReport::from_json(&serde_json::to_vec(&v).unwrap()).unwrap_err();
        assert!(e.to_string().contains("(missing)"), "{e}");
    }

    #[test]
    fn bad_shapes_are_explained() {
        assert!(matches!(
            HostReport::from_json(b"{nope"),
            Err(ReportError::Json(_))
        ));
        assert!(matches!(
            HostReport::from_json(b"[1]"),
            Err(ReportError::Json(_))
        ));
        let mut v = serde_json::to_value(sample()).unwrap();
        v["software"] = "lots".into();
        let e = HostReport::from_json(&serde_json::to_vec(&v).unwrap()).unwrap_err();
        assert!(matches!(e, ReportError::Shape(_)), "{e}");
        assert!(e.to_string().contains("field `software`"), "{e}");
        let mut r = sample();
        r.report_id = " ".into();
        let e = HostReport::from_json(&serde_json::to_vec(&r).unwrap()).unwrap_err();
        assert!(matches!(e, ReportError::Empty("report_id")));
    }

    #[test]
    fn reports_without_the_later_optional_fields_still_validate() {
        let mut v = serde_json::to_value(sample()).unwrap();
        v["os"].as_object_mut().unwrap().remove("activation");
        let r = HostReport::from_json(&serde_json::to_vec(&v).unwrap()).unwrap();
        assert_eq!(r.os.activation, None);
    }

    #[test]
    fn unknown_fields_from_newer_minor_versions_are_accepted() {
        let mut v = serde_json::to_value(sample()).unwrap();
        v["future_field"] = 1.into();
        assert!(HostReport::from_json(&serde_json::to_vec(&v).unwrap()).is_ok());
    }
}
