//! SIP OPTIONS (RFC 3261 §11): the request the scanner sends to UDP 5060,
//! and the parser of the reply's status line and `User-Agent` / `Server`
//! headers (phones and PBXs name their make, model and firmware there). The
//! parser reads at most [`MAX_READ`] bytes, never panics, and caps what it
//! returns at 200 characters. It does not send anything itself.

use super::banner::clean;

/// The SIP port.
pub const PORT: u16 = 5060;
/// Most bytes of a reply looked at.
pub const MAX_READ: usize = 4096;

/// What a SIP reply says about its sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipReply {
    /// Status code (200, 404, 405, …): any answer proves a SIP stack.
    pub status: u16,
    /// `User-Agent`, else `Server`.
    pub agent: Option<String>,
    /// `Allow`, when given.
    pub allow: Option<String>,
}

/// An OPTIONS request from `local` (ip:port) to `target` (ip), with a
/// fresh `tag`/branch/call id derived from `nonce`.
pub fn options(local: &str, target: &str, nonce: u32) -> Vec<u8> {
    format!(
        "OPTIONS sip:{target} SIP/2.0\r\n\
         Via: SIP/2.0/UDP {local};branch=z9hG4bK-census{nonce:08x};rport\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:census@{local}>;tag=census{nonce:08x}\r\n\
         To: <sip:{target}>\r\n\
         Call-ID: census-{nonce:08x}@{local}\r\n\
         CSeq: 1 OPTIONS\r\n\
         Contact: <sip:census@{local}>\r\n\
         Accept: application/sdp\r\n\
         User-Agent: census-scan\r\n\
         Content-Length: 0\r\n\r\n"
    )
    .into_bytes()
}

/// Parse a SIP response (`SIP/2.0 200 OK` and headers, compact forms too).
pub fn parse(buf: &[u8]) -> Option<SipReply> {
    let text = String::from_utf8_lossy(&buf[..buf.len().min(MAX_READ)]);
    let mut lines = text.split("\r\n").flat_map(|l| l.split('\n'));
    let status_line = lines.next()?;
    let rest = status_line.strip_prefix("SIP/2.0 ")?;
    let status: u16 = rest.get(..3)?.parse().ok()?;
    if !(100..700).contains(&status) {
        return None;
    }
    let (mut ua, mut server, mut allow) = (None, None, None);
    for line in lines.take_while(|l| !l.is_empty()) {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = clean(v);
        if v.is_empty() {
            continue;
        }
        match k.trim().to_ascii_lowercase().as_str() {
            "user-agent" => ua = ua.or(Some(v)),
            "server" => server = server.or(Some(v)),
            "allow" => allow = allow.or(Some(v)),
            _ => {}
        }
    }
    Some(SipReply {
        status,
        agent: ua.or(server),
        allow,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_is_well_formed() {
        let r = String::from_utf8(options("192.0.2.1:40000", "192.0.2.9", 7)).unwrap();
        assert!(r.starts_with("OPTIONS sip:192.0.2.9 SIP/2.0\r\n"));
        assert!(r.contains("branch=z9hG4bK"));
        assert!(r.ends_with("Content-Length: 0\r\n\r\n"));
    }

    #[test]
    fn replies() {
        let r = b"SIP/2.0 200 OK\r\nVia: x\r\nUser-Agent: Yealink SIP-T46U 108.86.0.20\r\nAllow: INVITE, ACK, OPTIONS\r\nContent-Length: 0\r\n\r\n";
        let p = parse(r).unwrap();
        assert_eq!(p.status, 200);
        assert_eq!(p.agent.as_deref(), Some("Yealink SIP-T46U 108.86.0.20"));
        assert_eq!(p.allow.as_deref(), Some("INVITE, ACK, OPTIONS"));
        let p = parse(b"SIP/2.0 404 Not Found\nServer: Asterisk PBX 18.10\n\n").unwrap();
        assert_eq!(
            (p.status, p.agent.as_deref()),
            (404, Some("Asterisk PBX 18.10"))
        );
        assert_eq!(parse(b"HTTP/1.1 200 OK\r\n\r\n"), None);
        assert_eq!(parse(b"SIP/2.0 2"), None);
        assert_eq!(parse(b"SIP/2.0 999 x\r\n"), None);
        // Headers after the blank line (the body) are not headers.
        let p = parse(b"SIP/2.0 200 OK\r\n\r\nUser-Agent: body\r\n").unwrap();
        assert_eq!(p.agent, None);
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u32 = 3;
        for n in 0..2000usize {
            let mut buf = b"SIP/2.0 200 OK\r\n".to_vec();
            buf.extend((0..n % 300).map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                [b':', b'\r', b'\n', b'U', b' ', (x >> 24) as u8][(x >> 8) as usize % 6]
            }));
            let _ = (parse(&buf), parse(&buf[16..]));
        }
        let _ = parse(&vec![b'a'; 100_000]);
    }
}
