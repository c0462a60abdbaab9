//! [`SiteDate`]: a calendar date as a person wrote it in `site.toml`, either
//! a TOML date (`2026-03-01`) or a string (`"2026-03-01"`). It keeps the
//! text; [`SiteDate::date`] parses it, and the semantic checks report a
//! text that is not a real date (`2026-02-30`) with its line.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A date from the site file, verbatim.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SiteDate(pub String);

impl SiteDate {
    /// The date, when the text is `YYYY-MM-DD` and a real day.
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(self.0.trim(), "%Y-%m-%d").ok()
    }
}

impl fmt::Display for SiteDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SiteDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SiteDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date (YYYY-MM-DD)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SiteDate, E> {
                Ok(SiteDate(v.to_string()))
            }
            // A TOML date arrives as a one-entry map holding its text.
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<SiteDate, A::Error> {
                let Some((_, text)) = m.next_entry::<String, String>()? else {
                    return Err(serde::de::Error::custom("expected a date (YYYY-MM-DD)"));
                };
                while m.next_entry::<String, serde::de::IgnoredAny>()?.is_some() {}
                Ok(SiteDate(text))
            }
        }
        d.deserialize_any(V)
    }
}
