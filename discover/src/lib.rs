//! Census's discovery engine, shared by the collector and by agents that
//! scan a remote site for it (issue 11): [`scan`] probes only the
//! addresses it was given and says what answered; [`snmp`] identifies a
//! device from what its SNMP agent says. Nothing here stores, merges or
//! schedules: the collector does that with what this returns, and an agent
//! uploads it.

pub mod assignment;
pub mod oui;
pub mod scan;
pub mod snmp;
