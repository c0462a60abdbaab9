//! `network` on Windows: `GetAdaptersAddresses` (IP Helper), which is what
//! `ipconfig /all` shows; sysinfo's list is not used (it is empty under
//! wine and lacks prefixes, gateways and DNS). The raw structures are read
//! into [`Adapter`]s here and turned into the report by the portable code.

use super::adapters::{Adapter, network};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use windows::Win32::NetworkManagement::IpHelper::{
    GAA_FLAG_INCLUDE_GATEWAYS, GAA_FLAG_SKIP_ANYCAST, GAA_FLAG_SKIP_MULTICAST,
    GetAdaptersAddresses, IP_ADAPTER_ADDRESSES_LH,
};
use windows::Win32::Networking::WinSock::{
    AF_INET, AF_INET6, AF_UNSPEC, SOCKADDR, SOCKADDR_IN, SOCKADDR_IN6, SOCKET_ADDRESS,
};

/// The Windows `network` facet.
pub struct Network;

const ERROR_BUFFER_OVERFLOW: u32 = 111;

/// # Safety
/// `sa` must be a socket address returned by `GetAdaptersAddresses`.
unsafe fn ip(sa: &SOCKET_ADDRESS) -> Option<IpAddr> {
    let p: *const SOCKADDR = sa.lpSockaddr;
    if p.is_null() {
        return None;
    }
    // SAFETY: the family tells which structure the pointer holds.
    unsafe {
        match (*p).sa_family {
            AF_INET => {
                let v4 = &*(p as *const SOCKADDR_IN);
                Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                    v4.sin_addr.S_un.S_addr,
                ))))
            }
            AF_INET6 => {
                let v6 = &*(p as *const SOCKADDR_IN6);
                Some(IpAddr::V6(Ipv6Addr::from(v6.sin6_addr.u.Byte)))
            }
            _ => None,
        }
    }
}

/// # Safety
/// `p` must be null or a NUL-terminated UTF-16 string.
unsafe fn wide(p: windows::core::PWSTR) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: per the contract above.
    let s = unsafe { p.to_string() }.ok()?;
    (!s.trim().is_empty()).then(|| s.trim().to_string())
}

/// Every adapter `GetAdaptersAddresses` reports.
pub fn adapters() -> std::io::Result<Vec<Adapter>> {
    let flags = GAA_FLAG_INCLUDE_GATEWAYS | GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST;
    let mut size: u32 = 16 * 1024;
    let mut buf: Vec<u64>; // u64 for the structure's alignment
    let mut tries = 0;
    loop {
        buf = vec![0u64; (size as usize).div_ceil(8)];
        // SAFETY: `buf` holds `size` bytes, aligned for the structure.
        let rc = unsafe {
            GetAdaptersAddresses(
                u32::from(AF_UNSPEC.0),
                flags,
                None,
                Some(buf.as_mut_ptr() as *mut IP_ADAPTER_ADDRESSES_LH),
                &mut size,
            )
        };
        match rc {
            0 => break,
            ERROR_BUFFER_OVERFLOW if tries < 3 => tries += 1,
            232 => return Ok(Vec::new()), // ERROR_NO_DATA: no adapters
            e => return Err(std::io::Error::from_raw_os_error(e as i32)),
        }
    }
    let mut out = Vec::new();
    let mut cur = buf.as_ptr() as *const IP_ADAPTER_ADDRESSES_LH;
    while !cur.is_null() {
        // SAFETY: `cur` walks the linked list inside `buf`.
        let a = unsafe { &*cur };
        cur = a.Next;
        let mut ad = Adapter {
            // SAFETY: the strings belong to the list.
            name: unsafe { wide(a.FriendlyName) }.unwrap_or_default(),
            description: unsafe { wide(a.Description) },
            physical_address: a.PhysicalAddress[..(a.PhysicalAddressLength as usize).min(8)]
                .to_vec(),
            if_type: a.IfType,
            up: a.OperStatus.0 == 1,
            mtu: Some(a.Mtu),
            speed_bps: Some(a.TransmitLinkSpeed),
            dns_suffix: unsafe { wide(a.DnsSuffix) },
            ..Default::default()
        };
        let mut u = a.FirstUnicastAddress;
        while !u.is_null() {
            // SAFETY: list element inside `buf`.
            let ua = unsafe { &*u };
            u = ua.Next;
            if let Some(addr) = unsafe { ip(&ua.Address) } {
                ad.addresses.push((addr, ua.OnLinkPrefixLength));
            }
        }
        let mut g = a.FirstGatewayAddress;
        while !g.is_null() {
            // SAFETY: list element inside `buf`.
            let ga = unsafe { &*g };
            g = ga.Next;
            ad.gateways.extend(unsafe { ip(&ga.Address) });
        }
        let mut d = a.FirstDnsServerAddress;
        while !d.is_null() {
            // SAFETY: list element inside `buf`.
            let da = unsafe { &*d };
            d = da.Next;
            ad.dns_servers.extend(unsafe { ip(&da.Address) });
        }
        out.push(ad);
    }
    Ok(out)
}

impl Facet for Network {
    fn name(&self) -> &'static str {
        "network"
    }

    fn collect(&self, _p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let list = adapters().map_err(FacetError::Command)?;
        r.network = network(&list);
        Ok(())
    }
}
