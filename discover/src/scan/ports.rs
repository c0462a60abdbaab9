//! Port lists: the office-relevant default TCP list and `--ports` parsing
//! (`22,80,8000-8100`).

/// TCP ports probed by default: file, print, remote access, mail, web,
/// databases, NAS and camera services found in small offices.
pub const DEFAULT_TCP: &[u16] = &[
    21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 389, 443, 445, 515, 548, 554, 631, 993, 1433, 3306,
    3389, 5000, 5001, 5060, 5432, 5900, 8000, 8080, 8443, 9100,
];

/// Parse `22,80,8000-8100` into a sorted, de-duplicated list.
pub fn parse(list: &str) -> Result<Vec<u16>, String> {
    let mut out = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || format!("{part:?} is not a port or port range (e.g. 22,80,8000-8100)");
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u16, u16) = (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                );
                if a == 0 || b < a {
                    return Err(bad());
                }
                out.extend(a..=b);
            }
            None => {
                let p: u16 = part.parse().map_err(|_| bad())?;
                if p == 0 {
                    return Err(bad());
                }
                out.push(p);
            }
        }
    }
    if out.is_empty() {
        return Err("empty port list".into());
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists() {
        assert_eq!(
            super::parse("80, 22,8000-8002,22").unwrap(),
            [22, 80, 8000, 8001, 8002]
        );
        for bad in ["", "0", "70000", "9-3", "a"] {
            assert!(super::parse(bad).is_err(), "{bad}");
        }
        let d = super::DEFAULT_TCP;
        for p in [21, 22, 23, 25, 53, 80, 443, 445, 515, 631, 3389, 9100] {
            assert!(d.contains(&p));
        }
    }
}
