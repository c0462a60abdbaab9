//! The spool: reports waiting for the collector, one gzip file each, named
//! so that name order is collection order (`<ms since epoch>-<report id>.json.gz`).
//!
//! Every new report is written here *before* it is sent and removed only
//! after the collector acknowledged it, so a crash, a dead network or a
//! stopped collector loses nothing; the report id makes a repeated delivery
//! harmless. The spool is bounded by count and bytes: when full, the oldest
//! reports are dropped (and logged) — a newer inventory supersedes them.

use std::io;
use std::path::{Path, PathBuf};

/// A report waiting in the spool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
}

/// A bounded directory of pending reports.
pub struct Spool {
    dir: PathBuf,
    max_reports: usize,
    max_bytes: u64,
}

impl Spool {
    /// A spool in `dir` (created on first write).
    pub fn new(dir: &Path, max_reports: usize, max_bytes: u64) -> Spool {
        Spool {
            dir: dir.to_path_buf(),
            max_reports: max_reports.max(1),
            max_bytes,
        }
    }

    /// Store a report durably (written, synced, renamed into place), then
    /// enforce the bounds. Returns the entries dropped to make room.
    pub fn put(&self, collected_ms: i64, report_id: &str, gz: &[u8]) -> io::Result<Vec<Entry>> {
        std::fs::create_dir_all(&self.dir)?;
        let safe_id: String = report_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(64)
            .collect();
        let name = format!("{:020}-{safe_id}.json.gz", collected_ms.max(0));
        crate::config::write_private(&self.dir.join(&name), gz)?;
        sync_dir(&self.dir);
        self.enforce_bounds()
    }

    /// Pending reports, oldest first.
    pub fn entries(&self) -> Vec<Entry> {
        let mut v: Vec<Entry> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".json.gz"))
            .filter_map(|e| {
                Some(Entry {
                    path: e.path(),
                    size: e.metadata().ok()?.len(),
                })
            })
            .collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    /// Number of pending reports and their total size.
    pub fn stats(&self) -> (usize, u64) {
        let e = self.entries();
        (e.len(), e.iter().map(|x| x.size).sum())
    }

    /// Forget a delivered (or refused) report.
    pub fn remove(&self, entry: &Entry) -> io::Result<()> {
        match std::fs::remove_file(&entry.path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn enforce_bounds(&self) -> io::Result<Vec<Entry>> {
        let mut entries = self.entries();
        let mut total: u64 = entries.iter().map(|e| e.size).sum();
        let mut dropped = Vec::new();
        // Keep at least the newest report, whatever its size.
        while entries.len() > 1 && (entries.len() > self.max_reports || total > self.max_bytes) {
            let oldest = entries.remove(0);
            total -= oldest.size;
            self.remove(&oldest)?;
            tracing::warn!(file = %oldest.path.display(), "spool full: dropped the oldest undelivered report");
            dropped.push(oldest);
        }
        Ok(dropped)
    }
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oldest_first_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let s = Spool::new(dir.path(), 3, 1_000);
        for (t, id) in [(30, "c"), (10, "a"), (20, "b")] {
            assert!(s.put(t, id, b"xx").unwrap().is_empty());
        }
        let names: Vec<String> = s
            .entries()
            .iter()
            .map(|e| e.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(
            names[0].ends_with("-a.json.gz") && names[2].ends_with("-c.json.gz"),
            "{names:?}"
        );
        // A fourth report drops the oldest.
        let dropped = s.put(40, "d", b"xx").unwrap();
        assert_eq!(dropped.len(), 1);
        assert!(dropped[0].path.to_string_lossy().ends_with("-a.json.gz"));
        assert_eq!(s.stats(), (3, 6));
        // Byte bound: a big report pushes out older ones but is itself kept.
        let dropped = s.put(50, "e", &[0u8; 1_500]).unwrap();
        assert_eq!(dropped.len(), 3);
        assert_eq!(s.stats().0, 1);
        s.remove(&s.entries()[0]).unwrap();
        assert_eq!(s.stats(), (0, 0));
    }
}
