//! Network discovery as the collector runs it: the engine and its probes
//! are the `census-discover` crate (re-exported here, so `scan::engine`
//! and friends read as before); this side adds what needs the collector's
//! store and configuration: `schedule` (the configured `[[scan]]` jobs and
//! their timing) and `runs` (scans running now, for the web interface).

pub use census_discover::scan::*;

pub mod runs;
pub mod schedule;
