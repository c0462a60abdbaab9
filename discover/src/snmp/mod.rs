//! SNMP identification: make, model, serial, firmware and type of every
//! printer, switch, router, access point, NAS, UPS and phone, from data
//! rather than code per vendor.
//!
//! - `oid`: our OID and value types; `source`: the GET/GETNEXT/walk
//!   interface; `session`: a live agent over async-snmp; `recording`: an
//!   snmprec file answered from memory.
//! - `credentials`: communities and v3 users, tried in order, never shown.
//! - `mibs`: the standard-MIB questions; `vendors` + `data/snmp_vendors.toml`:
//!   what only vendor MIBs and sysDescr patterns say; `classify`: the type;
//!   `identify`: all of it into one `SnmpDevice`; `details`: per-type extras.
//!
//! The scanner's sweep (`scan/snmp.rs`) and `census-collector snmp identify`
//! both end in [`identify_host`].

pub mod classify;
pub mod credentials;
pub mod details;
pub mod identify;
pub mod mibs;
pub mod oid;
pub mod recording;
pub mod session;
pub mod source;
pub mod truth;
pub mod vendors;

pub use credentials::{Credential, V3User};
pub use identify::{Depth, identify};
pub use session::Patience;
pub use source::SnmpError;

use census_shared::device::SnmpDevice;
use std::net::SocketAddr;

/// Try each credential in order until the agent answers, then identify.
/// When none answers, the error of the last credential tried says why
/// (a timeout for communities, an authentication failure for v3 users).
/// Returns the device and the id of the credential that worked, to be
/// remembered for this device ([`credentials::remembered_first`]).
pub async fn identify_host(
    target: SocketAddr,
    credentials: &[Credential],
    patience: Patience,
    depth: Depth,
) -> Result<(SnmpDevice, String), SnmpError> {
    let mut last = SnmpError::Config(
        "no SNMP credentials are configured (add a community or a v3 user)".into(),
    );
    for cred in credentials {
        let session = session::Session::open(target, cred, patience).await?;
        match identify(&session, depth).await {
            Ok(mut d) => {
                d.snmp_version = cred.version().to_string();
                d.credential = cred.label().to_string();
                return Ok((d, cred.id().to_string()));
            }
            Err(e) if e.try_next_credential() => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}
