//! The DNS message format (RFC 1035 §4) as the scanner's mDNS probe needs
//! it: building a query with several questions, and parsing a reply's
//! records (PTR, TXT, SRV, A; others kept as their type only). Names follow
//! compression pointers only backwards, at most [`MAX_JUMPS`] times, and are
//! capped at 255 bytes; the reply is read up to [`MAX_MSG`] bytes and at most
//! [`MAX_RECORDS`] records, so crafted input can neither loop nor make it
//! allocate without bound. It does not resolve anything or touch the network.

/// Largest message read (an mDNS packet is at most 9000 bytes, RFC 6762 §17).
pub const MAX_MSG: usize = 9000;
/// Most resource records kept from one message.
pub const MAX_RECORDS: usize = 256;
/// Most compression pointers followed in one name.
pub const MAX_JUMPS: usize = 32;
/// Longest name on the wire (RFC 1035 §3.1).
const MAX_NAME: usize = 255;

/// Record types used here.
pub const A: u16 = 1;
pub const PTR: u16 = 12;
pub const TXT: u16 = 16;
pub const SRV: u16 = 33;

/// Why a message could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DnsError {
    #[error("message ends inside a field")]
    Truncated,
    #[error("compression pointer does not point backwards")]
    BadPointer,
    #[error("too many compression pointers in one name")]
    TooManyJumps,
    #[error("name longer than 255 bytes")]
    NameTooLong,
    #[error("reserved label type")]
    BadLabel,
    #[error("not a response")]
    NotResponse,
}

/// What a record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    Ptr(String),
    /// Character strings, as read (each at most 255 bytes).
    Txt(Vec<Vec<u8>>),
    Srv {
        port: u16,
        target: String,
    },
    A(std::net::Ipv4Addr),
    Other,
}

/// One resource record (from any section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Owner name as sent (compare without case), labels joined by dots,
    /// without the final dot.
    pub name: String,
    pub rtype: u16,
    pub data: RData,
}

/// A parsed reply: its id and the records of all three sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: u16,
    pub records: Vec<Record>,
}

/// A query with `id` asking each `(name, type)` in class IN. Labels longer
/// than 63 bytes are cut there; names are cut at 255 bytes.
pub fn query(id: u16, questions: &[(&str, u16)]) -> Vec<u8> {
    let mut q = Vec::with_capacity(12 + questions.len() * 40);
    q.extend_from_slice(&id.to_be_bytes());
    q.extend_from_slice(&[0, 0]); // standard query
    q.extend_from_slice(&(questions.len().min(u16::MAX as usize) as u16).to_be_bytes());
    q.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    for (name, qtype) in questions.iter().take(u16::MAX as usize) {
        encode_name(&mut q, name);
        q.extend_from_slice(&qtype.to_be_bytes());
        q.extend_from_slice(&1u16.to_be_bytes());
    }
    q
}

fn encode_name(out: &mut Vec<u8>, name: &str) {
    let mut used = 0;
    for label in name
        .trim_end_matches('.')
        .split('.')
        .filter(|l| !l.is_empty())
    {
        let l = &label.as_bytes()[..label.len().min(63)];
        if used + l.len() + 2 > MAX_NAME {
            break;
        }
        out.push(l.len() as u8);
        out.extend_from_slice(l);
        used += l.len() + 1;
    }
    out.push(0);
}

fn u16_at(buf: &[u8], at: usize) -> Result<u16, DnsError> {
    let b = buf.get(at..at + 2).ok_or(DnsError::Truncated)?;
    Ok(u16::from_be_bytes([b[0], b[1]]))
}

/// The name at `at` and the offset just after it (after the first pointer
/// when compressed). Pointers must point before the label that holds them.
pub fn read_name(buf: &[u8], at: usize) -> Result<(String, usize), DnsError> {
    let mut name: Vec<u8> = Vec::new();
    let (mut pos, mut end, mut jumps) = (at, None, 0);
    loop {
        let len = *buf.get(pos).ok_or(DnsError::Truncated)? as usize;
        match len & 0xc0 {
            0x00 if len == 0 => {
                let next = end.unwrap_or(pos + 1);
                let text = String::from_utf8_lossy(&name).into_owned();
                return Ok((text, next));
            }
            0x00 => {
                let label = buf.get(pos + 1..pos + 1 + len).ok_or(DnsError::Truncated)?;
                if name.len() + len + 1 > MAX_NAME {
                    return Err(DnsError::NameTooLong);
                }
                if !name.is_empty() {
                    name.push(b'.');
                }
                // Control characters would garble tables and logs.
                name.extend(
                    label
                        .iter()
                        .map(|&c| if c < 0x20 || c == 0x7f { b'?' } else { c }),
                );
                pos += 1 + len;
            }
            0xc0 => {
                let target = (u16_at(buf, pos)? & 0x3fff) as usize;
                if target >= pos {
                    return Err(DnsError::BadPointer);
                }
                jumps += 1;
                if jumps > MAX_JUMPS {
                    return Err(DnsError::TooManyJumps);
                }
                end.get_or_insert(pos + 2);
                pos = target;
            }
            _ => return Err(DnsError::BadLabel),
        }
    }
}

/// Parse a reply. Records that cannot be read end the parse; those read
/// before them are kept only if the header and questions were sound.
pub fn parse(buf: &[u8]) -> Result<Message, DnsError> {
    let buf = &buf[..buf.len().min(MAX_MSG)];
    let id = u16_at(buf, 0)?;
    let flags = u16_at(buf, 2)?;
    if flags & 0x8000 == 0 {
        return Err(DnsError::NotResponse);
    }
    let qd = u16_at(buf, 4)? as usize;
    let rr = u16_at(buf, 6)? as usize + u16_at(buf, 8)? as usize + u16_at(buf, 10)? as usize;
    let mut pos = 12;
    for _ in 0..qd {
        let (_, next) = read_name(buf, pos)?;
        pos = next + 4;
        if pos > buf.len() {
            return Err(DnsError::Truncated);
        }
    }
    let mut records = Vec::new();
    for _ in 0..rr.min(MAX_RECORDS) {
        match read_record(buf, pos) {
            Ok((r, next)) => {
                records.push(r);
                pos = next;
            }
            Err(_) if !records.is_empty() => break,
            Err(e) => return Err(e),
        }
    }
    Ok(Message { id, records })
}

fn read_record(buf: &[u8], at: usize) -> Result<(Record, usize), DnsError> {
    let (name, pos) = read_name(buf, at)?;
    let rtype = u16_at(buf, pos)?;
    let rdlen = u16_at(buf, pos + 8)? as usize;
    let start = pos + 10;
    let rdata = buf.get(start..start + rdlen).ok_or(DnsError::Truncated)?;
    let data = match rtype {
        PTR => RData::Ptr(read_name(buf, start)?.0),
        TXT => {
            let mut strings = Vec::new();
            let mut i = 0;
            while i < rdata.len() {
                let n = rdata[i] as usize;
                let s = rdata.get(i + 1..i + 1 + n).ok_or(DnsError::Truncated)?;
                if !s.is_empty() {
                    strings.push(s.to_vec());
                }
                i += 1 + n;
            }
            RData::Txt(strings)
        }
        SRV if rdlen >= 7 => RData::Srv {
            port: u16::from_be_bytes([rdata[4], rdata[5]]),
            target: read_name(buf, start + 6)?.0,
        },
        A if rdlen == 4 => RData::A(std::net::Ipv4Addr::new(
            rdata[0], rdata[1], rdata[2], rdata[3],
        )),
        _ => RData::Other,
    };
    Ok((Record { name, rtype, data }, start + rdlen))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply_header(ancount: u16) -> Vec<u8> {
        let mut m = vec![0x12, 0x34, 0x84, 0x00, 0, 0];
        m.extend_from_slice(&ancount.to_be_bytes());
        m.extend_from_slice(&[0, 0, 0, 0]);
        m
    }

    #[test]
    fn query_encodes_questions() {
        let q = query(7, &[("_ipp._tcp.local", PTR)]);
        assert_eq!(&q[..6], &[0, 7, 0, 0, 0, 1]);
        assert_eq!(&q[12..], b"\x04_ipp\x04_tcp\x05local\x00\x00\x0c\x00\x01");
    }

    #[test]
    fn compressed_names_and_records() {
        let mut m = reply_header(2);
        // PTR _ipp._tcp.local -> Lab Printer._ipp._tcp.local (compressed)
        let owner = m.len();
        m.extend_from_slice(b"\x04_ipp\x04_tcp\x05local\x00");
        m.extend_from_slice(&[0, 12, 0, 1, 0, 0, 0, 120, 0, 14]);
        m.extend_from_slice(b"\x0bLab Printer");
        m.extend_from_slice(&[0xc0, owner as u8]);
        let inst = owner + 17 + 10;
        // TXT for the instance (pointer to the instance name)
        m.extend_from_slice(&[0xc0, inst as u8, 0, 16, 0x80, 1, 0, 0, 0, 120, 0, 11]);
        m.extend_from_slice(b"\x04ty=X\x00\x04rp=y");
        let msg = parse(&m).unwrap();
        assert_eq!(msg.id, 0x1234);
        assert_eq!(
            msg.records[0].data,
            RData::Ptr("Lab Printer._ipp._tcp.local".into())
        );
        assert_eq!(msg.records[1].name, "Lab Printer._ipp._tcp.local");
        assert_eq!(
            msg.records[1].data,
            RData::Txt(vec![b"ty=X".to_vec(), b"rp=y".to_vec()])
        );
    }

    #[test]
    fn pointer_loops_and_forward_pointers_are_refused() {
        // A pointer to itself, and two pointers to each other.
        let mut m = reply_header(1);
        m.extend_from_slice(&[0xc0, 12]);
        assert_eq!(read_name(&m, 12), Err(DnsError::BadPointer));
        let mut m = reply_header(1);
        m.extend_from_slice(&[0xc0, 14, 0xc0, 12]);
        assert_eq!(read_name(&m, 12), Err(DnsError::BadPointer));
        assert_eq!(read_name(&m, 14).unwrap_err(), DnsError::BadPointer);
        // A long chain of backward pointers stops at MAX_JUMPS.
        let mut m = vec![0u8, 0];
        for i in 0..100u16 {
            m.extend_from_slice(&(0xc000 | (2 * i)).to_be_bytes());
        }
        assert_eq!(read_name(&m, m.len() - 2), Err(DnsError::TooManyJumps));
        assert_eq!(read_name(&m, 2 + 2 * 10), Ok((String::new(), 24)));
    }

    #[test]
    fn truncated_and_oversized_input() {
        let mut m = reply_header(1);
        m.extend_from_slice(b"\x04_ipp\x04_tcp\x05local\x00");
        m.extend_from_slice(&[0, 12, 0, 1, 0, 0, 0, 120, 0, 14]);
        m.extend_from_slice(b"\x0bLab");
        for cut in 0..m.len() {
            assert!(parse(&m[..cut]).is_err(), "cut at {cut}");
        }
        // A name of many 63-byte labels is refused past 255 bytes.
        let mut long = reply_header(0);
        long[5] = 1; // one question
        for _ in 0..10 {
            long.push(63);
            long.extend_from_slice(&[b'a'; 63]);
        }
        long.push(0);
        assert_eq!(parse(&long), Err(DnsError::NameTooLong));
        // A query is not a reply.
        assert_eq!(parse(&query(1, &[("a", A)])), Err(DnsError::NotResponse));
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u32 = 99;
        for n in 0..3000usize {
            let mut buf = reply_header(3);
            buf.extend((0..n % 200).map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let b = (x >> 24) as u8;
                if b.is_multiple_of(5) { 0xc0 } else { b % 40 }
            }));
            let _ = parse(&buf);
        }
    }
}
