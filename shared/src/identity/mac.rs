//! MAC addresses: parsing from every notation devices and tools print,
//! one canonical form (`aa:bb:cc:dd:ee:ff`, lower case), and the flags that
//! say whether an address can identify a physical thing.
//!
//! A MAC is a usable identity key only if it is globally unique: not
//! multicast, not locally administered (randomised wifi MACs, docker and VPN
//! interfaces set that bit), not all-zero or broadcast, and not from a prefix
//! that hypervisors hand out to virtual NICs. Vendor lookup (OUI) is not here.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A 48-bit IEEE 802 MAC address.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MacAddr(pub [u8; 6]);

/// Why a string is not a MAC address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a MAC address: {input:?} (expected 12 hex digits, e.g. aa:bb:cc:dd:ee:ff)")]
pub struct MacParseError {
    /// The input, cut to 64 characters.
    pub input: String,
}

/// Prefixes (OUIs) that hypervisors and container runtimes assign to virtual
/// NICs. An address from these is never a physical identity.
pub const VIRTUAL_PREFIXES: &[([u8; 3], &str)] = &[
    ([0x00, 0x05, 0x69], "VMware"),
    ([0x00, 0x0c, 0x29], "VMware"),
    ([0x00, 0x1c, 0x14], "VMware"),
    ([0x00, 0x50, 0x56], "VMware"),
    ([0x08, 0x00, 0x27], "VirtualBox"),
    ([0x0a, 0x00, 0x27], "VirtualBox host-only"),
    ([0x52, 0x54, 0x00], "QEMU/KVM"),
    ([0x00, 0x15, 0x5d], "Hyper-V"),
    ([0x00, 0x16, 0x3e], "Xen"),
    ([0x00, 0x1c, 0x42], "Parallels"),
    ([0x02, 0x42, 0x00], "Docker"),
];

/// What an address is, as far as identity is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MacFlags {
    /// Group address (bit 0 of the first octet).
    pub multicast: bool,
    /// Locally administered (bit 1 of the first octet): randomised wifi MACs,
    /// docker, VPNs, bridges. Never an identity key.
    pub locally_administered: bool,
    /// From a hypervisor's prefix ([`VIRTUAL_PREFIXES`]).
    pub virtual_prefix: bool,
    /// 00:00:00:00:00:00 or ff:ff:ff:ff:ff:ff.
    pub null_or_broadcast: bool,
}

impl MacFlags {
    /// True when the address can serve as a strong identity key.
    pub fn globally_unique(&self) -> bool {
        !(self.multicast
            || self.locally_administered
            || self.virtual_prefix
            || self.null_or_broadcast)
    }
}

impl MacAddr {
    /// The flags of this address.
    pub fn flags(&self) -> MacFlags {
        let b = self.0;
        MacFlags {
            multicast: b[0] & 0x01 != 0,
            locally_administered: b[0] & 0x02 != 0,
            virtual_prefix: self.virtual_vendor().is_some(),
            null_or_broadcast: b == [0; 6] || b == [0xff; 6],
        }
    }

    /// The hypervisor that owns this address's prefix, if any.
    pub fn virtual_vendor(&self) -> Option<&'static str> {
        VIRTUAL_PREFIXES
            .iter()
            .find(|(p, _)| self.0[..3] == p[..])
            .map(|(_, v)| *v)
    }

    /// The first three octets (the OUI), for vendor lookup.
    pub fn oui(&self) -> [u8; 3] {
        [self.0[0], self.0[1], self.0[2]]
    }

    /// Build from raw bytes; `None` unless exactly 6 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        <[u8; 6]>::try_from(bytes).ok().map(MacAddr)
    }
}

impl FromStr for MacAddr {
    type Err = MacParseError;

    /// Accepts `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff`
    /// (Cisco), `aabbccddeeff`, any case, and single-digit octets in the
    /// colon form (`0:1b:2:..`, as some SNMP agents print them).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || MacParseError {
            input: s.chars().take(64).collect(),
        };
        let t = s.trim();
        if t.len() > 32 {
            return Err(err());
        }
        let mut out = [0u8; 6];
        let parts: Vec<&str> = t.split([':', '-']).collect();
        if parts.len() == 6 {
            for (o, p) in out.iter_mut().zip(&parts) {
                if p.is_empty() || p.len() > 2 {
                    return Err(err());
                }
                *o = u8::from_str_radix(p, 16).map_err(|_| err())?;
            }
            return Ok(MacAddr(out));
        }
        let hex: String = t.chars().filter(|c| *c != '.').collect();
        let dotted_ok = !t.contains('.') || t.split('.').all(|g| g.len() == 4);
        if hex.len() != 12 || !dotted_ok || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(err());
        }
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).map_err(|_| err())?;
        }
        Ok(MacAddr(out))
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl fmt::Debug for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MacAddr({self})")
    }
}

impl Serialize for MacAddr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MacAddr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(s: &str) -> MacAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_every_common_notation_to_one_form() {
        for s in [
            "AA:BB:CC:0D:0E:0F",
            "aa-bb-cc-0d-0e-0f",
            "aabb.cc0d.0e0f",
            "aabbcc0d0e0f",
            "aa:bb:cc:d:e:f",
            "  aa:bb:cc:0d:0e:0f\n",
        ] {
            assert_eq!(mac(s).to_string(), "aa:bb:cc:0d:0e:0f", "{s}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "aa:bb:cc:dd:ee",
            "aa:bb:cc:dd:ee:ff:00",
            "gg:bb:cc:dd:ee:ff",
            "aabb.ccdd.eeff.0011",
            "aab.bccd.deeff",
            "aa:bb:cc:dd:ee:fff",
            "aabbccddeef",
        ] {
            assert!(s.parse::<MacAddr>().is_err(), "{s:?} should be rejected");
        }
    }

    #[test]
    fn flags_physical_virtual_and_random_addresses() {
        // Intel NIC: a real identity.
        assert!(mac("3c:7c:3f:12:34:56").flags().globally_unique());
        // Randomised wifi MAC (locally administered bit set).
        let f = mac("da:a1:19:00:11:22").flags();
        assert!(f.locally_administered && !f.globally_unique());
        // Docker bridge.
        assert!(!mac("02:42:ac:11:00:02").flags().globally_unique());
        // VMware and KVM guests.
        assert_eq!(mac("00:50:56:aa:bb:cc").virtual_vendor(), Some("VMware"));
        assert!(mac("52:54:00:12:34:56").flags().virtual_prefix);
        // Multicast, null, broadcast.
        assert!(mac("01:00:5e:00:00:01").flags().multicast);
        assert!(mac("00:00:00:00:00:00").flags().null_or_broadcast);
        assert!(!mac("ff:ff:ff:ff:ff:ff").flags().globally_unique());
    }

    #[test]
    fn serde_round_trip_uses_canonical_form() {
        let m = mac("AABB.CCDD.EEFF");
        let j = serde_json::to_string(&m).unwrap();
        assert_eq!(j, "\"aa:bb:cc:dd:ee:ff\"");
        assert_eq!(serde_json::from_str::<MacAddr>(&j).unwrap(), m);
        assert!(serde_json::from_str::<MacAddr>("\"nope\"").is_err());
    }
}
