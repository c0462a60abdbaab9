//! rpm (RHEL, Rocky, Alma, Fedora, SUSE): the output of
//! `rpm -qa --qf` with [`QUERY_FORMAT`]. The database is a Berkeley DB,
//! NDB or SQLite file depending on the release, so the agent asks `rpm`
//! itself rather than reading it.

use census_shared::report::{SoftwarePackage, SoftwareSource, unix_time};

/// Tab-separated: name, version-release, vendor, arch, install time, epoch.
pub const QUERY_FORMAT: &str =
    "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{VENDOR}\\t%{ARCH}\\t%{INSTALLTIME}\\t%{EPOCH}\\n";

/// The `rpm -qa --qf QUERY_FORMAT` output as packages (the `gpg-pubkey`
/// pseudo-packages that hold signing keys are left out).
pub fn parse_query(text: &str) -> Vec<SoftwarePackage> {
    let val = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|v| !v.is_empty() && *v != "(none)")
            .map(String::from)
    };
    text.lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            let name = val(f.next())?;
            if name == "gpg-pubkey" {
                return None;
            }
            let version = val(f.next());
            let vendor = val(f.next());
            let arch = val(f.next());
            let installed = val(f.next())
                .and_then(|t| t.parse::<i64>().ok())
                .and_then(unix_time);
            let epoch = val(f.next()).filter(|e| e != "0");
            Some(SoftwarePackage {
                name,
                version: match (epoch, version) {
                    (Some(e), Some(v)) => Some(format!("{e}:{v}")),
                    (_, v) => v,
                },
                publisher: vendor,
                arch,
                install_date: installed,
                source: SoftwareSource::Rpm,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_output() {
        let p = super::parse_query(
            "bash\t5.1.8-9.el9\tRed Hat, Inc.\tx86_64\t1715000000\t(none)\ngpg-pubkey\tfd431d51-4ae0493b\t(none)\t(none)\t1715000000\t(none)\nopenssl\t3.0.7-27.el9\tRed Hat, Inc.\tx86_64\t1715000001\t1\n",
        );
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].publisher.as_deref(), Some("Red Hat, Inc."));
        assert_eq!(p[0].install_date.unwrap().timestamp(), 1715000000);
        assert_eq!(p[1].version.as_deref(), Some("1:3.0.7-27.el9"));
    }
}
