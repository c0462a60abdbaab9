//! `system` on macOS: `sw_vers` (name, version, build), `uname -r` (the
//! Darwin kernel) and the host name from `scutil`.

use crate::facets::hardware::apple::sw_vers;
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The macOS `system` facet.
pub struct System;

impl Facet for System {
    fn name(&self) -> &'static str {
        "system"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let out = |prog: &str, args: &[&str]| {
            p.run(prog, args)
                .ok()
                .flatten()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let text = p
            .run("sw_vers", &[])
            .map_err(FacetError::Command)?
            .unwrap_or_default();
        r.os = sw_vers(&text);
        r.os.kernel = out("uname", &["-r"]);
        r.os.arch = out("uname", &["-m"]);
        r.host.hostname =
            out("scutil", &["--get", "LocalHostName"]).or_else(|| out("hostname", &[]));
        if let Some(fqdn) = out("hostname", &["-f"]).filter(|h| h.contains('.')) {
            r.host.domain = fqdn.split_once('.').map(|(_, d)| d.to_string());
            r.host.fqdn = Some(fqdn);
        }
        Ok(())
    }
}
