//! Network discovery: what is on the office network that has no agent.
//! `target` expands what the user named (and nothing else), `engine` probes
//! it politely (`arp` on attached subnets and `icmp` first, when it may), `neighbours` reads MACs the kernel learned, `banner` parses
//! what services say, `guess` makes a first device-type guess. The CLI in
//! `main.rs` is the shell.

pub mod arp;
pub mod banner;
pub mod dns;
pub mod engine;
pub mod guess;
pub mod icmp;
pub mod neighbours;
pub mod ports;
pub mod services;
pub mod snmp;
pub mod target;
