//! TCP connect probes: one connection attempt per port, paced by
//! [`Pace`], classified as open, reset (closed, but the host is there) or
//! silent. Nothing is sent over an opened connection here; asking services
//! what they are is `services`.

use super::pace::Pace;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// Result of one TCP probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    Open(Duration),
    Reset(Duration),
    Silent,
}

/// One connection attempt to `addr`.
pub async fn probe(pace: &Pace, addr: SocketAddr, timeout: Duration) -> Probe {
    let _slot = pace.turn().await;
    let start = Instant::now();
    match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Ok(Ok(_)) => Probe::Open(start.elapsed()),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Probe::Reset(start.elapsed())
        }
        _ => Probe::Silent,
    }
}

/// Probe `ports` of `ip` concurrently; answers in port order.
pub async fn probe_ports(
    pace: &Arc<Pace>,
    ip: IpAddr,
    ports: &[u16],
    timeout: Duration,
) -> Vec<(u16, Probe)> {
    let mut set = tokio::task::JoinSet::new();
    for &port in ports {
        let pace = pace.clone();
        set.spawn(async move { (port, probe(&pace, SocketAddr::new(ip, port), timeout).await) });
    }
    let mut out: Vec<(u16, Probe)> = set.join_all().await;
    out.sort_by_key(|(p, _)| *p);
    out
}
