//! The model that every part of Census agrees on: the agent's [`HostReport`]
//! (what one machine says about itself), and the identity helpers that decide
//! whether a MAC address, serial number or hardware UUID can be trusted as a
//! key for "this is the same physical thing".
//!
//! This crate is pure data and pure functions: no I/O, no async, no clocks
//! except in types. Both the agent and the collector depend on it, so a change
//! here is a change of the wire format: bump [`report::SCHEMA_VERSION`] when a
//! change is not backwards compatible.

pub mod api;
pub mod asset;
pub mod device;
pub mod duration;
pub mod identity;
pub mod observation;
pub mod pin;
pub mod report;
pub mod site;
pub mod text;

pub use identity::mac::{MacAddr, MacFlags};
pub use identity::serial::{SerialVerdict, check_serial, normalize_serial};
pub use identity::uuid::{UuidVerdict, check_uuid, normalize_uuid};
pub use report::{HostReport, SCHEMA_VERSION};
