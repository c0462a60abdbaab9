//! `network` on macOS: `ifconfig -a` for the interfaces (flags, MTU, MAC,
//! link speed), `getifaddrs(3)` through the probe for their addresses (the
//! ones `ifconfig` printed when it fails), `networksetup
//! -listallhardwareports` for what each device is, `route -n get default`
//! (IPv4 and IPv6) for the gateways and `scutil --dns` for DNS. The Wi-Fi
//! SSID is left out: macOS 14 hides it from processes without location
//! permission. Nothing here sends a packet.

use super::apple::{hardware_ports, ifconfig, kind, route_default, scutil_dns};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The macOS `network` facet.
pub struct Network;

impl Facet for Network {
    fn name(&self) -> &'static str {
        "network"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let mut interfaces = match p.run("ifconfig", &["-a"]) {
            Ok(Some(out)) => ifconfig(&out),
            Ok(None) => return Err(FacetError::Unsupported),
            Err(e) => return Err(FacetError::Command(e)),
        };
        let ports = match p.run("networksetup", &["-listallhardwareports"]) {
            Ok(out) => out.map(|t| hardware_ports(&t)).unwrap_or_default(),
            Err(e) => {
                r.error("network", format!("hardware ports unknown: {e}"));
                Default::default()
            }
        };
        let addrs = match p.system().if_addresses() {
            Ok(a) => Some(a),
            Err(e) => {
                r.error(
                    "network",
                    format!("getifaddrs failed, using ifconfig's: {e}"),
                );
                None
            }
        };
        for iface in &mut interfaces {
            iface.kind = kind(&iface.name, ports.get(&iface.name).map(String::as_str));
            if let Some(addrs) = &addrs {
                iface.addresses = addrs
                    .iter()
                    .filter(|(n, _)| *n == iface.name)
                    .map(|(_, a)| a.clone())
                    .collect();
            }
            iface.addresses.sort();
            iface.addresses.dedup();
        }
        r.network.interfaces = interfaces;

        // No default route (offline, IPv4-only) is an error exit: no gateway.
        for args in [
            &["-n", "get", "default"][..],
            &["-n", "get", "-inet6", "default"][..],
        ] {
            if let Ok(Some(out)) = p.run("route", args) {
                r.network.gateways.extend(route_default(&out));
            }
        }

        match p.run("scutil", &["--dns"]) {
            Ok(Some(out)) => {
                (r.network.dns_servers, r.network.search_domains) = scutil_dns(&out);
            }
            Ok(None) => {}
            Err(e) => r.error("network", format!("DNS servers unknown: {e}")),
        }
        Ok(())
    }
}
