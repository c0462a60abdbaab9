//! A decoder for SMBIOS structure tables (DMTF DSP0134): just the types the
//! inventory needs — BIOS (0), system (1), board (2), chassis (3),
//! processor (4) and memory device (17).
//!
//! Input is the raw table (`/sys/firmware/dmi/tables/DMI` on Linux, the
//! `RSMB` firmware table on Windows). The decoder never panics and never
//! reads past its input: a truncated or crafted table yields fewer
//! structures, not an error.

/// One structure: its type, formatted area (header included) and strings.
#[derive(Debug, Clone)]
pub struct Structure<'a> {
    /// Structure type.
    pub kind: u8,
    /// The formatted area, starting with the 4-byte header.
    pub data: &'a [u8],
    /// The string set; index 1 is `strings[0]`.
    pub strings: Vec<&'a [u8]>,
}

impl Structure<'_> {
    /// Byte at `offset` of the formatted area.
    pub fn u8(&self, offset: usize) -> Option<u8> {
        self.data.get(offset).copied()
    }

    /// Little-endian word at `offset`.
    pub fn u16(&self, offset: usize) -> Option<u16> {
        let b = self.data.get(offset..offset + 2)?;
        Some(u16::from_le_bytes([b[0], b[1]]))
    }

    /// Little-endian double word at `offset`.
    pub fn u32(&self, offset: usize) -> Option<u32> {
        let b = self.data.get(offset..offset + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The string whose index is stored at `offset`, trimmed; `None` for
    /// index 0, a bad index or an empty string.
    pub fn string(&self, offset: usize) -> Option<String> {
        let idx = self.u8(offset)? as usize;
        let raw = self.strings.get(idx.checked_sub(1)?)?;
        let s = String::from_utf8_lossy(raw);
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    }
}

/// Split a table into structures, stopping at type 127 or at the first
/// structure that does not fit.
pub fn parse(table: &[u8]) -> Vec<Structure<'_>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos + 4 <= table.len() {
        let kind = table[pos];
        let len = table[pos + 1] as usize;
        if len < 4 || pos + len > table.len() {
            break;
        }
        let data = &table[pos..pos + len];
        // Strings: NUL-terminated, the set ends with an extra NUL.
        let mut strings = Vec::new();
        let mut p = pos + len;
        let end;
        loop {
            let Some(rest) = table.get(p..) else {
                return out;
            };
            let Some(nul) = rest.iter().position(|b| *b == 0) else {
                return out;
            };
            if nul == 0 {
                // Empty string: the end of the set. A structure with no
                // strings has two NULs, so skip the second one.
                end = if strings.is_empty() { p + 2 } else { p + 1 };
                break;
            }
            strings.push(&rest[..nul]);
            p += nul + 1;
        }
        out.push(Structure {
            kind,
            data,
            strings,
        });
        if kind == 127 {
            break;
        }
        pos = end;
    }
    out
}

/// The SMBIOS UUID of a type-1 structure (offset 8, 16 bytes), in the
/// standard textual form. Since SMBIOS 2.6 the first three fields are
/// little-endian; `legacy` selects the pre-2.6 big-endian reading.
pub fn uuid(s: &Structure<'_>, legacy: bool) -> Option<String> {
    let b = s.data.get(8..24)?;
    let mut u = [0u8; 16];
    u.copy_from_slice(b);
    if !legacy {
        u[0..4].reverse();
        u[4..6].reverse();
        u[6..8].reverse();
    }
    let h: String = u.iter().map(|x| format!("{x:02x}")).collect();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// SMBIOS version (major, minor) from an entry point structure
/// (`_SM_` for 2.x, `_SM3_` for 3.x).
pub fn entry_point_version(ep: &[u8]) -> Option<(u8, u8)> {
    if ep.starts_with(b"_SM3_") {
        Some((*ep.get(7)?, *ep.get(8)?))
    } else if ep.starts_with(b"_SM_") {
        Some((*ep.get(6)?, *ep.get(7)?))
    } else {
        None
    }
}

/// Memory type names (SMBIOS type 17, offset 0x12).
pub fn memory_type(code: u8) -> Option<&'static str> {
    Some(match code {
        0x07 => "RAM",
        0x0f => "SDRAM",
        0x12 => "DDR",
        0x13 => "DDR2",
        0x14 => "DDR2 FB-DIMM",
        0x18 => "DDR3",
        0x1a => "DDR4",
        0x1b => "LPDDR",
        0x1c => "LPDDR2",
        0x1d => "LPDDR3",
        0x1e => "LPDDR4",
        0x1f => "Logical non-volatile device",
        0x20 => "HBM",
        0x21 => "HBM2",
        0x22 => "DDR5",
        0x23 => "LPDDR5",
        0x24 => "HBM3",
        _ => return None,
    })
}

/// Memory form factor names (SMBIOS type 17, offset 0x0E).
pub fn form_factor(code: u8) -> Option<&'static str> {
    Some(match code {
        0x03 => "SIMM",
        0x04 => "SIP",
        0x05 => "Chip",
        0x06 => "DIP",
        0x07 => "ZIP",
        0x09 => "DIMM",
        0x0b => "Row of chips",
        0x0c => "RIMM",
        0x0d => "SODIMM",
        0x0e => "SRIMM",
        0x0f => "FB-DIMM",
        0x10 => "Die",
        0x11 => "CAMM",
        _ => return None,
    })
}

/// Size of a memory device in bytes; `None` for an empty slot or unknown.
pub fn memory_size(s: &Structure<'_>) -> Option<u64> {
    let size = s.u16(0x0c)?;
    match size {
        0 | 0xffff => None,
        0x7fff => s
            .u32(0x1c)
            .map(|mb| (mb & 0x7fff_ffff) as u64 * 1024 * 1024)
            .filter(|b| *b > 0),
        v if v & 0x8000 != 0 => Some((v & 0x7fff) as u64 * 1024),
        v => Some(v as u64 * 1024 * 1024),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structure(kind: u8, formatted: &[u8], strings: &[&str]) -> Vec<u8> {
        let mut v = vec![kind, (formatted.len() + 4) as u8, 0, 0];
        v.extend_from_slice(formatted);
        if strings.is_empty() {
            v.extend_from_slice(&[0, 0]);
        } else {
            for s in strings {
                v.extend_from_slice(s.as_bytes());
                v.push(0);
            }
            v.push(0);
        }
        v
    }

    #[test]
    fn strings_and_structures_without_strings() {
        let mut t = structure(1, &[1, 2, 0, 3], &["Dell Inc.", "OptiPlex 7090", "5CD1234"]);
        t.extend(structure(32, &[0; 7], &[]));
        t.extend(structure(127, &[], &[]));
        let s = parse(&t);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].string(4).as_deref(), Some("Dell Inc."));
        assert_eq!(s[0].string(5).as_deref(), Some("OptiPlex 7090"));
        assert_eq!(s[0].string(6), None);
        assert_eq!(s[0].string(7).as_deref(), Some("5CD1234"));
        assert_eq!(s[1].kind, 32);
        assert_eq!(s[2].kind, 127);
    }

    #[test]
    fn memory_sizes() {
        let mk = |size: u16, ext: u32| {
            let mut f = vec![0u8; 0x1c - 4 + 4];
            f[0x0c - 4..0x0e - 4].copy_from_slice(&size.to_le_bytes());
            f[0x1c - 4..0x20 - 4].copy_from_slice(&ext.to_le_bytes());
            structure(17, &f, &[])
        };
        let t = mk(8192, 0);
        assert_eq!(memory_size(&parse(&t)[0]), Some(8 << 30));
        let t = mk(0x8000 | 512, 0);
        assert_eq!(memory_size(&parse(&t)[0]), Some(512 << 10));
        let t = mk(0x7fff, 65536);
        assert_eq!(memory_size(&parse(&t)[0]), Some(64 << 30));
        let t = mk(0, 0);
        assert_eq!(memory_size(&parse(&t)[0]), None);
    }

    #[test]
    fn garbage_never_panics() {
        // A deterministic pseudo-random sweep over lengths and contents,
        // plus truncations of a valid table.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in 0..4000usize {
            let len = n % 300;
            let buf: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x & 0xff) as u8
                })
                .collect();
            for s in parse(&buf) {
                let _ = (s.string(4), s.u32(0x1c), memory_size(&s), uuid(&s, false));
            }
        }
        let t = structure(1, &[1, 2, 0, 3, 9, 9, 9, 9], &["a", "b"]);
        for cut in 0..t.len() {
            let _ = parse(&t[..cut]);
        }
    }
}
