//! Facets: one module per part of the inventory, each behind the [`Facet`]
//! trait, with a per-OS implementation beside portable parsers.
//!
//! `facets/<facet>/mod.rs` holds what is the same everywhere (parsers of
//! text and binary formats, pure functions); `facets/<facet>/linux.rs` the
//! Linux implementation over a [`Probe`]. Windows and macOS add their own
//! files next to it. [`all`] lists the facets for the OS the agent was built
//! for, in the order they run: later facets may read what earlier ones filled
//! in (security reads software and volumes).

pub mod cpu;
pub mod hardware;
pub mod memory;
pub mod network;
pub mod security;
pub mod software;
pub mod storage;
pub mod system;
pub mod users;
pub mod wmi;
pub mod wmi_thread;
#[cfg(windows)]
pub mod wmi_windows;

use crate::probe::Probe;
use census_shared::HostReport;

/// Why a facet could not be collected.
#[derive(Debug, thiserror::Error)]
pub enum FacetError {
    /// A file that the facet needs could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A command failed or timed out.
    #[error("{0}")]
    Command(std::io::Error),
    /// The facet has no implementation on this OS.
    #[error("not implemented on this operating system")]
    Unsupported,
}

impl FacetError {
    /// A read error naming the path.
    pub fn read(path: &str, source: std::io::Error) -> FacetError {
        FacetError::Read {
            path: path.to_string(),
            source,
        }
    }
}

/// One part of the inventory.
pub trait Facet {
    /// Short name used in `collection_errors` (`hardware`, `software`, …).
    fn name(&self) -> &'static str;
    /// Fill this facet's part of the report. Partial problems are recorded
    /// with [`HostReport::error`] and collection goes on; an `Err` means the
    /// facet produced nothing useful.
    fn collect(&self, probe: &Probe, report: &mut HostReport) -> Result<(), FacetError>;
}

/// The facets of this OS, in the order they run.
pub fn all() -> Vec<Box<dyn Facet>> {
    #[cfg(target_os = "linux")]
    {
        vec![
            Box::new(system::linux::System),
            Box::new(hardware::linux::Hardware),
            Box::new(cpu::linux::Cpu),
            Box::new(memory::linux::Memory),
            Box::new(storage::linux::Storage),
            Box::new(network::linux::Network),
            Box::new(software::linux::Software),
            Box::new(users::linux::Users),
            Box::new(security::linux::Security),
        ]
    }
    #[cfg(windows)]
    {
        vec![
            Box::new(system::windows::System),
            Box::new(hardware::windows::Hardware),
            Box::new(cpu::windows::Cpu),
            Box::new(memory::windows::Memory),
            Box::new(storage::windows::Storage),
            Box::new(network::windows::Network),
            Box::new(software::windows::Software),
            Box::new(users::windows::Users),
            Box::new(security::windows::Security),
        ]
    }
    #[cfg(target_os = "macos")]
    {
        vec![
            Box::new(system::macos::System),
            Box::new(hardware::macos::Hardware),
            Box::new(storage::macos::Storage),
            Box::new(network::macos::Network),
            Box::new(software::macos::Software),
            Box::new(users::macos::Users),
            Box::new(security::macos::Security),
        ]
    }
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    {
        Vec::new()
    }
}
