//! `software` on macOS: bundles in `/Applications` (and one level of
//! sub-folders, e.g. `/Applications/Utilities`), installer receipts in
//! `/var/db/receipts`, and Homebrew's Cellar (`/opt/homebrew/Cellar` on
//! Apple silicon, `/usr/local/Cellar` on Intel).

use super::apple::{app_bundle, cellar, pkg_receipt};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;

/// The macOS `software` facet.
pub struct Software;

fn apps(p: &Probe, dir: &str, depth: u8, out: &mut Vec<census_shared::report::SoftwarePackage>) {
    for e in p.list(dir) {
        let path = format!("{dir}/{e}");
        if e.ends_with(".app") {
            if let Ok(b) = p.read_bytes(&format!("{path}/Contents/Info.plist"))
                && let Some(pkg) = app_bundle(&b)
            {
                out.push(pkg);
            }
        } else if depth > 0 && !e.starts_with('.') {
            apps(p, &path, depth - 1, out);
        }
    }
}

impl Facet for Software {
    fn name(&self) -> &'static str {
        "software"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let mut all = Vec::new();
        apps(p, "/Applications", 1, &mut all);
        for f in p.list("/var/db/receipts") {
            if f.ends_with(".plist")
                && let Ok(b) = p.read_bytes(&format!("/var/db/receipts/{f}"))
                && let Some(pkg) = pkg_receipt(&b)
            {
                all.push(pkg);
            }
        }
        for root in ["/opt/homebrew/Cellar", "/usr/local/Cellar"] {
            let formulae: Vec<(String, Vec<String>)> = p
                .list(root)
                .into_iter()
                .map(|f| {
                    let versions = p.list(&format!("{root}/{f}"));
                    (f, versions)
                })
                .collect();
            all.extend(cellar(&formulae));
        }
        r.software = all;
        Ok(())
    }
}
