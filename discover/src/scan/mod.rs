//! Network discovery: what is on the office network that has no agent.
//! `target` expands what the user named (and nothing else), `engine` probes
//! it politely (`arp` on attached subnets and `icmp` first, when it may;
//! `pace` caps rate and concurrency; `tcp` connects), `neighbours` reads
//! MACs the kernel learned, `services`/`https`/`banner` ask TCP services
//! what they are, `udp` asks NetBIOS (`netbios`), mDNS (`mdns` over
//! `dnsmsg`) and SIP (`sip`), `guess` makes a first device-type guess. The
//! collector's `scan_cli.rs` is the shell; it keeps scheduling (`scan::schedule`)
//! and running scans (`scan::runs`) on its side.

pub mod arp;
pub mod banner;
pub mod dns;
pub mod dnsmsg;
pub mod engine;
pub mod guess;
pub mod https;
pub mod icmp;
pub mod mdns;
pub mod neighbours;
pub mod netbios;
pub mod pace;
pub mod ports;
pub mod services;
pub mod sip;
pub mod snmp;
pub mod target;
pub mod tcp;
pub mod udp;
