//! Reading what TCP services say about themselves, with bounded reads and
//! parsers that never panic: the HTTP `Server` header and page `<title>`,
//! and the SSH identification line.

/// Most bytes read from any service.
pub const MAX_READ: usize = 16 * 1024;

/// `(server header, title)` from an HTTP response (head and start of body).
pub fn parse_http(resp: &[u8]) -> (Option<String>, Option<String>) {
    let text = String::from_utf8_lossy(&resp[..resp.len().min(MAX_READ)]);
    if !text.starts_with("HTTP/") {
        return (None, None);
    }
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let server = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case("server"))
        })
        .map(|(_, v)| clean(v))
        .filter(|v| !v.is_empty());
    let lower = body.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|i| {
        let open_end = lower[i..].find('>')? + i + 1;
        let close = lower[open_end..].find("</title")? + open_end;
        let t = clean(&census_shared::text::decode_entities(
            body.get(open_end..close)?,
        ));
        (!t.is_empty()).then_some(t)
    });
    (server, title)
}

/// The software part of an SSH identification line (`SSH-2.0-OpenSSH_9.2p1 Debian-2`).
pub fn parse_ssh(line: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&line[..line.len().min(255)]);
    let first = text.lines().find(|l| l.starts_with("SSH-"))?;
    let mut parts = first.splitn(3, '-');
    let (_, _, software) = (parts.next()?, parts.next()?, parts.next()?);
    let s = clean(software);
    (!s.is_empty()).then_some(s)
}

/// Collapse whitespace, drop control characters, cap at 200 characters
/// (banners and SIP headers alike).
pub(crate) fn clean(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http() {
        let r = b"HTTP/1.1 200 OK\r\nServer: HP HTTP Server; HP LaserJet M130nw\r\nContent-Type: text/html\r\n\r\n<html><head><TITLE>\n  HP LaserJet &amp; co </TITLE></head>";
        let (s, t) = parse_http(r);
        assert_eq!(s.as_deref(), Some("HP HTTP Server; HP LaserJet M130nw"));
        assert_eq!(t.as_deref(), Some("HP LaserJet & co"));
        assert_eq!(parse_http(b"SSH-2.0-x\r\n"), (None, None));
        assert_eq!(parse_http(b"HTTP/1.0 404\r\n\r\n<title></title>").1, None);
    }

    #[test]
    fn ssh() {
        assert_eq!(
            parse_ssh(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n").as_deref(),
            Some("OpenSSH_9.2p1 Debian-2+deb12u3")
        );
        assert_eq!(parse_ssh(b"HTTP/1.1 400\r\n"), None);
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u32 = 7;
        for n in 0..2000usize {
            let buf: Vec<u8> = (0..n % 300)
                .map(|i| {
                    x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    [
                        b'<',
                        b'>',
                        b'H',
                        b'T',
                        b'P',
                        b'/',
                        b'\r',
                        b'\n',
                        b't',
                        b'i',
                        b'l',
                        b'e',
                        (x >> 24) as u8,
                    ][(x as usize + i) % 13]
                })
                .collect();
            let mut with_head = b"HTTP/1.1 200\r\n\r\n".to_vec();
            with_head.extend(&buf);
            let _ = (parse_http(&buf), parse_http(&with_head), parse_ssh(&buf));
        }
    }
}
