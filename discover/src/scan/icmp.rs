//! ICMP echo sweeps. An unprivileged datagram socket (`SOCK_DGRAM`,
//! `IPPROTO_ICMP`, allowed by `net.ipv4.ping_group_range`) is tried first,
//! a raw socket (root or `CAP_NET_RAW`) second; when neither can be opened
//! the sweep says so once and discovery relies on TCP probes.
//!
//! The packet code ([`echo_request`], [`parse_reply`]) is pure and never
//! panics on crafted input; replies are matched to requests by source
//! address and, on raw sockets, by our identifier.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::unix::AsyncFd;

/// Which kind of socket the sweep uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Unprivileged ICMP datagram socket.
    Datagram,
    /// Raw socket (root or CAP_NET_RAW).
    Raw,
}

/// The one's-complement Internet checksum (RFC 1071).
pub fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for chunk in data.chunks(2) {
        let word = u16::from_be_bytes([chunk[0], *chunk.get(1).unwrap_or(&0)]);
        sum = sum.wrapping_add(word as u32);
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// An echo request: type 8, our identifier and sequence, 16 bytes of payload.
pub fn echo_request(ident: u16, seq: u16) -> Vec<u8> {
    let mut p = vec![8, 0, 0, 0];
    p.extend_from_slice(&ident.to_be_bytes());
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(b"census-discovery");
    let c = checksum(&p);
    p[2..4].copy_from_slice(&c.to_be_bytes());
    p
}

/// `(identifier, sequence)` of an echo reply. Raw sockets deliver the IPv4
/// header first (`with_ip_header`); datagram sockets do not.
pub fn parse_reply(buf: &[u8], with_ip_header: bool) -> Option<(u16, u16)> {
    let icmp = if with_ip_header {
        let ihl = (*buf.first()? & 0x0f) as usize * 4;
        if ihl < 20 {
            return None;
        }
        buf.get(ihl..)?
    } else {
        buf
    };
    if icmp.len() < 8 || icmp[0] != 0 || icmp[1] != 0 {
        return None;
    }
    Some((
        u16::from_be_bytes([icmp[4], icmp[5]]),
        u16::from_be_bytes([icmp[6], icmp[7]]),
    ))
}

/// An open ICMP socket.
pub struct Pinger {
    fd: AsyncFd<OwnedFd>,
    mode: Mode,
    ident: u16,
}

fn open_socket(kind: libc::c_int) -> io::Result<OwnedFd> {
    // SAFETY: plain socket(2) call; the descriptor is owned right away.
    let fd = unsafe {
        libc::socket(
            libc::AF_INET,
            kind | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            libc::IPPROTO_ICMP,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a fresh descriptor nobody else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

impl Pinger {
    /// Open a datagram socket, else a raw one; the error says what to do.
    pub fn open() -> Result<Pinger, String> {
        let ident = std::process::id() as u16;
        let (fd, mode) = match open_socket(libc::SOCK_DGRAM) {
            Ok(fd) => (fd, Mode::Datagram),
            Err(dgram) => match open_socket(libc::SOCK_RAW) {
                Ok(fd) => (fd, Mode::Raw),
                Err(raw) => {
                    return Err(format!(
                        "cannot open an ICMP socket (datagram: {dgram}; raw: {raw}): run as root, grant \
                         CAP_NET_RAW (setcap cap_net_raw+ep census-collector) or widen \
                         net.ipv4.ping_group_range; falling back to TCP probes"
                    ));
                }
            },
        };
        // SAFETY: an OwnedFd always holds an open descriptor and keeps it
        // for as long as the AsyncFd owns it.
        let fd = unsafe { AsyncFd::register(fd) }
            .map_err(|e| format!("cannot register the ICMP socket: {e}"))?;
        Ok(Pinger { fd, mode, ident })
    }

    /// The socket kind in use.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    async fn send(&self, ip: Ipv4Addr, seq: u16) -> io::Result<()> {
        let packet = echo_request(self.ident, seq);
        // SAFETY: an all-zero sockaddr_in is valid; fields are set below.
        let mut sa: libc::sockaddr_in = unsafe { std::mem::zeroed() };
        sa.sin_family = libc::AF_INET as libc::sa_family_t;
        sa.sin_addr.s_addr = u32::from(ip).to_be();
        loop {
            let mut guard = self.fd.writable().await?;
            let r = guard.try_io(|fd| {
                // SAFETY: valid buffer and address of the given lengths.
                let n = unsafe {
                    libc::sendto(
                        fd.as_raw_fd(),
                        packet.as_ptr().cast(),
                        packet.len(),
                        0,
                        (&sa as *const libc::sockaddr_in).cast(),
                        std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
                    )
                };
                if n < 0 {
                    Err(io::Error::last_os_error())
                } else {
                    Ok(())
                }
            });
            match r {
                Ok(result) => return result,
                Err(_would_block) => continue,
            }
        }
    }

    async fn recv(&self, buf: &mut [u8]) -> io::Result<(Ipv4Addr, usize)> {
        loop {
            let mut guard = self.fd.readable().await?;
            let r = guard.try_io(|fd| {
                // SAFETY: an all-zero sockaddr_in is a valid out-parameter.
                let mut sa: libc::sockaddr_in = unsafe { std::mem::zeroed() };
                let mut len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
                // SAFETY: `buf` and `sa` are valid for writes of the given lengths.
                let n = unsafe {
                    libc::recvfrom(
                        fd.as_raw_fd(),
                        buf.as_mut_ptr().cast(),
                        buf.len(),
                        0,
                        (&mut sa as *mut libc::sockaddr_in).cast(),
                        &mut len,
                    )
                };
                if n < 0 {
                    Err(io::Error::last_os_error())
                } else {
                    Ok((Ipv4Addr::from(u32::from_be(sa.sin_addr.s_addr)), n as usize))
                }
            });
            match r {
                Ok(result) => return result,
                Err(_would_block) => continue,
            }
        }
    }

    /// Ping every IPv4 target once, `gap` apart, and collect replies until
    /// `timeout` after the last request. Returns round-trip times.
    pub async fn sweep(
        self: Arc<Self>,
        targets: &[IpAddr],
        gap: Duration,
        timeout: Duration,
    ) -> HashMap<IpAddr, Duration> {
        let sent: Arc<Mutex<HashMap<Ipv4Addr, Instant>>> = Arc::default();
        let replies: Arc<Mutex<HashMap<IpAddr, Duration>>> = Arc::default();
        let receiver = {
            let (me, sent, replies) = (self.clone(), sent.clone(), replies.clone());
            tokio::spawn(async move {
                let mut buf = [0u8; 1500];
                while let Ok((from, n)) = me.recv(&mut buf).await {
                    let Some((ident, _seq)) = parse_reply(&buf[..n], me.mode == Mode::Raw) else {
                        continue;
                    };
                    if me.mode == Mode::Raw && ident != me.ident {
                        continue; // somebody else's ping
                    }
                    let at = sent
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get(&from)
                        .copied();
                    if let Some(t) = at {
                        replies
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .entry(IpAddr::V4(from))
                            .or_insert(t.elapsed());
                    }
                }
            })
        };
        let mut next = tokio::time::Instant::now();
        for (i, ip) in targets.iter().enumerate() {
            let IpAddr::V4(v4) = ip else { continue };
            tokio::time::sleep_until(next).await;
            next += gap;
            sent.lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(*v4, Instant::now());
            if let Err(e) = self.send(*v4, i as u16).await {
                tracing::debug!("ping {v4}: {e}");
            }
        }
        // Wait for stragglers, but not once every address has answered.
        let want = targets.iter().filter(|t| t.is_ipv4()).count();
        let deadline = tokio::time::Instant::now() + timeout;
        while tokio::time::Instant::now() < deadline
            && replies.lock().unwrap_or_else(|p| p.into_inner()).len() < want
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        receiver.abort();
        std::mem::take(&mut *replies.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_reply() {
        let p = echo_request(0x1234, 7);
        assert_eq!(checksum(&p), 0, "a packet with its checksum sums to zero");
        let mut reply = p.clone();
        reply[0] = 0;
        assert_eq!(parse_reply(&reply, false), Some((0x1234, 7)));
        let mut with_ip = vec![0x45u8; 20];
        with_ip.extend(&reply);
        assert_eq!(parse_reply(&with_ip, true), Some((0x1234, 7)));
        assert_eq!(parse_reply(&p, false), None, "a request is not a reply");
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u32 = 99;
        for n in 0..3000usize {
            let buf: Vec<u8> = (0..n % 80)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 16) as u8
                })
                .collect();
            let _ = (
                parse_reply(&buf, true),
                parse_reply(&buf, false),
                checksum(&buf),
            );
        }
    }
}
