//! Key pinning: find the SubjectPublicKeyInfo inside an X.509 certificate,
//! and the textual forms of its SHA-256 fingerprint.
//!
//! The agent pins the collector's public key (not its certificate), the way
//! `curl --pinnedpubkey` does, so a renewed certificate with the same key
//! keeps working. Hashing is done by the callers (they already link a
//! crypto provider); this module only walks DER and formats text.

/// One DER element: (tag, header length, content length).
fn element(b: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *b.first()?;
    let first = *b.get(1)? as usize;
    let (hdr, len) = if first < 0x80 {
        (2, first)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        (2 + n, len)
    };
    (hdr.checked_add(len)? <= b.len()).then_some((tag, hdr, len))
}

/// The DER of the SubjectPublicKeyInfo (tag and length included) of a DER
/// certificate; `None` when the input is not a well-formed certificate.
pub fn spki_of_certificate(cert: &[u8]) -> Option<&[u8]> {
    let (tag, hdr, len) = element(cert)?;
    if tag != 0x30 {
        return None;
    }
    let tbs_outer = &cert[hdr..hdr + len];
    let (tag, hdr, len) = element(tbs_outer)?;
    if tag != 0x30 {
        return None;
    }
    let mut rest = &tbs_outer[hdr..hdr + len];
    // [0] version (optional), serial, signature alg, issuer, validity, subject, spki
    if rest.first() == Some(&0xa0) {
        let (_, h, l) = element(rest)?;
        rest = &rest[h + l..];
    }
    for _ in 0..5 {
        let (_, h, l) = element(rest)?;
        rest = &rest[h + l..];
    }
    let (tag, h, l) = element(rest)?;
    (tag == 0x30).then(|| &rest[..h + l])
}

/// Lower-case hex, the form Census prints and stores.
pub fn to_hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// curl's `--pinnedpubkey` form (`sha256//BASE64`) of a fingerprint;
/// `None` when it is not one.
pub fn curl_pin(fingerprint: &str) -> Option<String> {
    parse_fingerprint(fingerprint).map(|raw| format!("sha256//{}", base64_encode(&raw)))
}

/// Bytes from hex digits (any case; whitespace between them ignored);
/// `None` for an odd count or a non-hex character.
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Parse a fingerprint given by a person: 64 hex digits, with or without
/// colons, any case, optionally prefixed `sha256:` or `sha256//` (curl's
/// base64 form is accepted too).
pub fn parse_fingerprint(s: &str) -> Option<[u8; 32]> {
    let t = s.trim();
    let t = t
        .strip_prefix("sha256//")
        .map(|b64| ("b64", b64))
        .or_else(|| t.strip_prefix("sha256:").map(|h| ("hex", h)))
        .unwrap_or(("hex", t));
    match t {
        ("b64", b) => {
            let v = base64_decode(b)?;
            v.try_into().ok()
        }
        (_, h) => {
            let hex: String = h.chars().filter(|c| *c != ':').collect();
            if hex.len() != 64 {
                return None;
            }
            let mut out = [0u8; 32];
            for (i, o) in out.iter_mut().enumerate() {
                *o = u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?;
            }
            Some(out)
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (curl's `--pinnedpubkey sha256//…` form).
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = B64.iter().position(|x| *x == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_forms() {
        let d: Vec<u8> = (0u8..32).collect();
        let hex = to_hex(&d);
        assert_eq!(parse_fingerprint(&hex).unwrap().to_vec(), d);
        let colons: Vec<String> = d.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(parse_fingerprint(&colons.join(":")).unwrap().to_vec(), d);
        assert_eq!(
            parse_fingerprint(&format!("sha256:{hex}"))
                .unwrap()
                .to_vec(),
            d
        );
        let b64 = base64_encode(&d);
        assert_eq!(
            parse_fingerprint(&format!("sha256//{b64}"))
                .unwrap()
                .to_vec(),
            d
        );
        assert!(parse_fingerprint("abc").is_none());
        assert!(parse_fingerprint(&"zz".repeat(32)).is_none());
    }

    #[test]
    fn base64_known_values() {
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foo"), "Zm9v");
        assert_eq!(base64_decode("Zm9vYg==").unwrap(), b"foob");
    }

    #[test]
    fn garbage_certificates_never_panic() {
        let mut x: u32 = 12345;
        for n in 0..3000usize {
            let buf: Vec<u8> = (0..n % 200)
                .map(|i| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    if i % 7 == 0 { 0x30 } else { (x >> 16) as u8 }
                })
                .collect();
            let _ = spki_of_certificate(&buf);
        }
        assert!(spki_of_certificate(&[0x30, 0x82, 0xff, 0xff]).is_none());
    }
}
