//! NetBIOS node status (RFC 1002 §4.2.17–18): the `*` NBSTAT query sent to
//! UDP 137, and the parser of its reply — the host's registered names,
//! from which its computer name and workgroup or domain follow, and the
//! "unit id" that Windows fills with the adapter's MAC (Samba leaves it
//! zero, which counts as no MAC). The parser never panics and reads at most
//! [`MAX_NAMES`] names; this module does not send anything itself.

use census_shared::MacAddr;

/// The NetBIOS name service port.
pub const PORT: u16 = 137;
/// Most names read from one reply (the count is one byte anyway).
pub const MAX_NAMES: usize = 255;

/// One registered name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NbName {
    /// The 15 name characters, trailing spaces removed.
    pub name: String,
    /// The 16th byte: 0x00 workstation/workgroup, 0x20 file server, 0x1c
    /// domain controllers, …
    pub suffix: u8,
    pub group: bool,
}

/// What a node status reply says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeStatus {
    pub names: Vec<NbName>,
    /// The unit id, when it is not all zeros.
    pub mac: Option<MacAddr>,
}

impl NodeStatus {
    /// The computer name: the unique name with suffix 0x00, else 0x20.
    pub fn host_name(&self) -> Option<&str> {
        [0x00, 0x20].iter().find_map(|&sfx| {
            self.names
                .iter()
                .find(|n| !n.group && n.suffix == sfx && !n.name.is_empty())
                .map(|n| n.name.as_str())
        })
    }

    /// `("domain" | "workgroup", name)`: the group name with suffix 0x00; a
    /// domain when the host also lists the domain controllers' group 0x1c.
    pub fn workgroup(&self) -> Option<(&'static str, &str)> {
        let g = self
            .names
            .iter()
            .find(|n| n.group && n.suffix == 0x00 && !n.name.is_empty())?;
        let domain = self
            .names
            .iter()
            .any(|n| n.group && n.suffix == 0x1c && n.name == g.name);
        Some((if domain { "domain" } else { "workgroup" }, &g.name))
    }
}

/// The node status request for `*` with transaction id `id`.
pub fn query(id: u16) -> Vec<u8> {
    let mut q = Vec::with_capacity(50);
    q.extend_from_slice(&id.to_be_bytes());
    q.extend_from_slice(&[0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
    q.push(32);
    let mut raw = [0u8; 16];
    raw[0] = b'*';
    for b in raw {
        q.push(b'A' + (b >> 4));
        q.push(b'A' + (b & 0x0f));
    }
    q.push(0);
    q.extend_from_slice(&[0x00, 0x21, 0x00, 0x01]);
    q
}

/// Parse a node status response whose transaction id is `id` (one that
/// lists no name at all is no answer).
pub fn parse(buf: &[u8], id: u16) -> Option<NodeStatus> {
    let get = |at: usize| buf.get(at).copied();
    if buf.get(0..2)? != id.to_be_bytes() || get(2)? & 0x80 == 0 {
        return None;
    }
    // The answer's owner name: labels or a pointer (Windows repeats the
    // question's name in full; some stacks compress it).
    let mut pos = 12;
    loop {
        let len = get(pos)? as usize;
        if len == 0 {
            pos += 1;
            break;
        }
        if len & 0xc0 == 0xc0 {
            pos += 2;
            break;
        }
        if len > 63 {
            return None;
        }
        pos += 1 + len;
    }
    let rtype = u16::from_be_bytes([get(pos)?, get(pos + 1)?]);
    if rtype != 0x21 {
        return None;
    }
    let rdlen = u16::from_be_bytes([get(pos + 8)?, get(pos + 9)?]) as usize;
    let start = pos + 10;
    let rdata = buf.get(start..(start + rdlen).min(buf.len()))?;
    let count = *rdata.first()? as usize;
    let mut names = Vec::new();
    for i in 0..count.min(MAX_NAMES) {
        let Some(e) = rdata.get(1 + i * 18..1 + (i + 1) * 18) else {
            break;
        };
        let name: String = e[..15]
            .iter()
            .map(|&c| {
                if c.is_ascii_graphic() || c == b' ' {
                    c as char
                } else {
                    '?'
                }
            })
            .collect::<String>()
            .trim_end()
            .to_string();
        names.push(NbName {
            name,
            suffix: e[15],
            group: e[16] & 0x80 != 0,
        });
    }
    if names.is_empty() {
        return None;
    }
    let stats = 1 + count * 18;
    let mac = rdata
        .get(stats..stats + 6)
        .filter(|m| m.iter().any(|&b| b != 0))
        .and_then(MacAddr::from_bytes);
    Some(NodeStatus { names, mac })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reply like Windows sends: computer name, workgroup, file server.
    pub fn windows_reply(id: u16, names: &[(&str, u8, bool)], mac: [u8; 6]) -> Vec<u8> {
        let mut r = id.to_be_bytes().to_vec();
        r.extend_from_slice(&[0x84, 0x00, 0, 0, 0, 1, 0, 0, 0, 0]);
        r.extend_from_slice(&query(id)[12..46]);
        r.extend_from_slice(&[0x00, 0x21, 0x00, 0x01, 0, 0, 0, 0]);
        let rdlen = 1 + names.len() * 18 + 46;
        r.extend_from_slice(&(rdlen as u16).to_be_bytes());
        r.push(names.len() as u8);
        for (n, sfx, group) in names {
            let mut field = [b' '; 15];
            field[..n.len()].copy_from_slice(n.as_bytes());
            r.extend_from_slice(&field);
            r.push(*sfx);
            r.extend_from_slice(&[if *group { 0x84 } else { 0x04 }, 0x00]);
        }
        r.extend_from_slice(&mac);
        r.extend_from_slice(&[0u8; 40]);
        r
    }

    #[test]
    fn query_is_the_rfc_layout() {
        let q = query(0x0102);
        assert_eq!(q.len(), 50);
        assert_eq!(&q[13..15], b"CK"); // '*' = 0x2a
        assert_eq!(&q[15..45], &[b'A'; 30][..]);
        assert_eq!(&q[46..], &[0, 0x21, 0, 1]);
    }

    #[test]
    fn windows_and_samba_replies() {
        let names = [
            ("ACCT-PC07", 0x00, false),
            ("CORP", 0x00, true),
            ("ACCT-PC07", 0x20, false),
            ("CORP", 0x1c, true),
        ];
        let r = windows_reply(9, &names, [0x3c, 0x7c, 0x3f, 1, 2, 3]);
        let s = parse(&r, 9).unwrap();
        assert_eq!(s.host_name(), Some("ACCT-PC07"));
        assert_eq!(s.workgroup(), Some(("domain", "CORP")));
        assert_eq!(s.mac.unwrap().to_string(), "3c:7c:3f:01:02:03");
        assert_eq!(parse(&r, 10), None, "another transaction");
        // Samba: zero unit id, workgroup without domain controllers.
        let r = windows_reply(9, &names[..3], [0; 6]);
        let s = parse(&r, 9).unwrap();
        assert_eq!((s.mac, s.workgroup()), (None, Some(("workgroup", "CORP"))));
    }

    #[test]
    fn truncated_and_lying_replies() {
        let r = windows_reply(9, &[("PC", 0, false), ("WG", 0, true)], [1; 6]);
        for cut in 0..r.len() {
            let _ = parse(&r[..cut], 9);
        }
        assert_eq!(parse(&r[..60], 9), None);
        // The count says 255 names but the reply holds two and the
        // statistics: nothing past the reply's end is read.
        let mut lying = r.clone();
        lying[56] = 255;
        let s = parse(&lying, 9).unwrap();
        assert_eq!(s.names.len(), (r.len() - 57) / 18);
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u32 = 5;
        for n in 0..3000usize {
            let mut buf = vec![0, 9, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0];
            buf.extend((0..n % 300).map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 24) as u8
            }));
            let _ = parse(&buf, 9);
        }
    }
}
