//! `software` on Linux: every package database that exists under the root
//! is read (dpkg, rpm, apk, pacman, flatpak, snap); a database that fails is
//! reported and the others are still read.

use super::{apk, dpkg, flatpak, pacman, rpm, snap};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::{SoftwarePackage, SoftwareSource};

/// Reads one package database; `Err` names what failed.
type Reader = fn(&Probe) -> Result<Vec<SoftwarePackage>, String>;

/// The Linux `software` facet.
pub struct Software;

impl Facet for Software {
    fn name(&self) -> &'static str {
        "software"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let sources: [(&str, Reader); 6] = [
            ("dpkg", read_dpkg),
            ("rpm", read_rpm),
            ("apk", read_apk),
            ("pacman", read_pacman),
            ("flatpak", read_flatpak),
            ("snap", read_snap),
        ];
        for (name, read) in sources {
            match read(p) {
                Ok(pkgs) => r.software.extend(pkgs),
                Err(e) => r.error("software", format!("{name}: {e}")),
            }
        }
        r.software
            .sort_by(|a, b| (a.source, &a.name, &a.arch).cmp(&(b.source, &b.name, &b.arch)));
        Ok(())
    }
}

fn read_dpkg(p: &Probe) -> Result<Vec<SoftwarePackage>, String> {
    const STATUS: &str = "/var/lib/dpkg/status";
    if !p.exists(STATUS) {
        return Ok(Vec::new());
    }
    let text = p
        .read(STATUS)
        .map_err(|e| format!("cannot read {STATUS}: {e}"))?;
    let mut pkgs = dpkg::parse_status(&text);
    for pkg in &mut pkgs {
        // The file list is written when the package is unpacked.
        let arch = pkg.arch.as_deref().unwrap_or("");
        pkg.install_date = p
            .modified(&format!("/var/lib/dpkg/info/{}:{arch}.list", pkg.name))
            .or_else(|| p.modified(&format!("/var/lib/dpkg/info/{}.list", pkg.name)))
            .map(Into::into);
    }
    Ok(pkgs)
}

fn read_rpm(p: &Probe) -> Result<Vec<SoftwarePackage>, String> {
    if !p.exists("/var/lib/rpm") && !p.exists("/usr/lib/sysimage/rpm") {
        return Ok(Vec::new());
    }
    match p.run("rpm", &["-qa", "--qf", rpm::QUERY_FORMAT]) {
        Ok(Some(out)) => Ok(rpm::parse_query(&out)),
        Ok(None) => Err("an rpm database exists but the `rpm` command is not installed".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn read_apk(p: &Probe) -> Result<Vec<SoftwarePackage>, String> {
    const DB: &str = "/lib/apk/db/installed";
    if !p.exists(DB) {
        return Ok(Vec::new());
    }
    let text = p.read(DB).map_err(|e| format!("cannot read {DB}: {e}"))?;
    Ok(apk::parse_installed(&text))
}

fn read_pacman(p: &Probe) -> Result<Vec<SoftwarePackage>, String> {
    const DB: &str = "/var/lib/pacman/local";
    let mut out = Vec::new();
    for dir in p.list(DB) {
        let path = format!("{DB}/{dir}/desc");
        if let Ok(text) = p.read(&path) {
            out.extend(pacman::parse_desc(&text));
        }
    }
    Ok(out)
}

fn read_flatpak(p: &Probe) -> Result<Vec<SoftwarePackage>, String> {
    const APPS: &str = "/var/lib/flatpak/app";
    let mut out = Vec::new();
    for id in p.list(APPS) {
        // `current` points at `<arch>/<branch>`.
        let Some(current) = p.read_link(&format!("{APPS}/{id}/current")) else {
            continue;
        };
        let current = current.to_string_lossy().into_owned();
        let arch = current.split('/').next().map(String::from);
        let files = format!("{APPS}/{id}/{current}/active/files/share");
        let meta = p
            .read(&format!("{files}/metainfo/{id}.metainfo.xml"))
            .or_else(|_| p.read(&format!("{files}/appdata/{id}.appdata.xml")))
            .unwrap_or_default();
        let (version, developer) = flatpak::parse_metainfo(&meta);
        out.push(SoftwarePackage {
            name: id,
            version,
            publisher: developer,
            arch,
            install_date: None,
            source: SoftwareSource::Flatpak,
        });
    }
    Ok(out)
}

fn read_snap(p: &Probe) -> Result<Vec<SoftwarePackage>, String> {
    let mut out = Vec::new();
    for dir in p.list("/snap") {
        let yaml = format!("/snap/{dir}/current/meta/snap.yaml");
        let Ok(text) = p.read(&yaml) else { continue };
        let (name, version) = snap::parse_snap_yaml(&text);
        out.push(SoftwarePackage {
            name: name.unwrap_or(dir),
            version,
            publisher: None,
            arch: None,
            install_date: None,
            source: SoftwareSource::Snap,
        });
    }
    Ok(out)
}
