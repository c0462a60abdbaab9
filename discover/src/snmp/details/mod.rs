//! The details a recovery needs for each kind of device, asked after the
//! type is known: a printer's counters and supplies (`printer.rs`), a
//! switch's ports, MAC table, neighbours and VLANs (`switch.rs`), a UPS's
//! battery (`ups.rs`), a NAS's or server's storage (`host.rs`).
//!
//! Everything is best effort: a table the agent lacks leaves its part
//! empty. Walks are bounded in rows (and in time by the session).

pub mod host;
pub mod printer;
pub mod switch;
pub mod ups;

use super::mibs::Implemented;
use super::source::Source;
use census_shared::device::{DeviceType, SnmpDevice};

/// Fill `device`'s details for its type.
pub async fn fill<S: Source>(s: &S, device: &mut SnmpDevice, implemented: Implemented) {
    use DeviceType::*;
    match device.device_type {
        Printer => device.printer = printer::read(s).await,
        Switch | Router | Firewall | AccessPoint => device.switch = switch::read(s).await,
        Ups => device.ups = ups::read(s, implemented.ups).await,
        Nas | Server | Workstation => device.host = host::read(s).await,
        Voip | Camera | Other => {}
    }
}
