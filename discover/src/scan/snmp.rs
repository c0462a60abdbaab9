//! The scanner's SNMP question: every live host is asked with the
//! configured credentials (the one it answered to last time first), and a
//! host that answers is identified by the `snmp` library — type, make,
//! model, serial, firmware, MACs and the details for its kind — with sweep
//! patience (one short try per credential, bounded walks).
//!
//! This file only adapts the library to the sweep; identification itself
//! lives in `crate::snmp`.

use crate::snmp::credentials::remembered_first;
use crate::snmp::{Credential, Depth, Patience, identify_host};
use census_shared::device::SnmpDevice;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// Identify `ip:port`; `None` when no credential gets an answer. Returns
/// the device and the id of the credential that worked.
pub async fn identify(
    ip: IpAddr,
    port: u16,
    credentials: &[Credential],
    remembered: Option<&str>,
    wait: Duration,
) -> Option<(SnmpDevice, String)> {
    let ordered = remembered_first(credentials, remembered);
    let patience = Patience {
        timeout: wait,
        ..Patience::sweep()
    };
    identify_host(SocketAddr::new(ip, port), &ordered, patience, Depth::Full)
        .await
        .ok()
}
