//! Identity keys: canonical forms and validity rules for the values that
//! identify a physical thing (MAC addresses, serial numbers, SMBIOS UUIDs).
//!
//! The rules live here so that the agent (which reports them), the scanner
//! (which sees MACs on the wire) and the merge engine (which joins on them)
//! apply exactly the same judgement. Nothing here decides *how* to merge.

pub mod mac;
pub mod serial;
pub mod uuid;
