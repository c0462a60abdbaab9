//! Virtual machine and container detection from files, the way
//! `systemd-detect-virt` does it: container markers first (a container on a
//! VM is a container), then DMI vendor strings, then the CPU's hypervisor flag.

use census_shared::report::{VirtKind, Virtualization};

/// What the detector looks at, gathered by the OS-specific code.
#[derive(Debug, Default)]
pub struct VirtEvidence {
    /// `/.dockerenv` exists.
    pub dockerenv: bool,
    /// `/run/.containerenv` exists (podman).
    pub containerenv: bool,
    /// Contents of `/run/systemd/container`, or `container=` from PID 1's environment.
    pub container_var: Option<String>,
    /// Kernel release contains "microsoft" (WSL).
    pub wsl_kernel: bool,
    /// `/sys/class/dmi/id/{sys_vendor,product_name,board_vendor,bios_vendor}`.
    pub dmi: Vec<String>,
    /// `/sys/hypervisor/type`.
    pub hypervisor_type: Option<String>,
    /// `hypervisor` among the CPU flags.
    pub cpu_hypervisor_flag: bool,
    /// DMI is present at all (`/sys/class/dmi/id` exists).
    pub has_dmi: bool,
}

/// DMI substrings (lower case) and the technology they betray.
const DMI_VMS: &[(&str, &str)] = &[
    ("qemu", "qemu"),
    ("kvm", "kvm"),
    ("vmware", "vmware"),
    ("innotek", "virtualbox"),
    ("virtualbox", "virtualbox"),
    ("xen", "xen"),
    ("parallels", "parallels"),
    ("bochs", "bochs"),
    ("amazon ec2", "amazon"),
    ("google compute engine", "google"),
    ("openstack", "kvm"),
    ("bhyve", "bhyve"),
    ("firecracker", "firecracker"),
];

/// Decide physical / VM / container.
pub fn detect(e: &VirtEvidence) -> Virtualization {
    let v = |kind, tech: &str, ev: &str| Virtualization {
        kind: Some(kind),
        technology: Some(tech.to_string()),
        evidence: Some(ev.to_string()),
    };
    if let Some(c) = e.container_var.as_deref().filter(|c| !c.is_empty()) {
        let tech = if c == "oci" { "podman" } else { c };
        return v(
            VirtKind::Container,
            tech,
            "container marker (/run/systemd/container or PID 1 environment)",
        );
    }
    if e.containerenv {
        return v(VirtKind::Container, "podman", "/run/.containerenv");
    }
    if e.dockerenv {
        return v(VirtKind::Container, "docker", "/.dockerenv");
    }
    if e.wsl_kernel {
        return v(
            VirtKind::Container,
            "wsl",
            "kernel release names Microsoft (WSL)",
        );
    }
    let joined = e.dmi.join(" ").to_lowercase();
    // Hyper-V: "Microsoft Corporation" + "Virtual Machine".
    if joined.contains("microsoft corporation") && joined.contains("virtual machine") {
        return v(
            VirtKind::Vm,
            "hyper-v",
            "DMI: Microsoft Corporation Virtual Machine",
        );
    }
    for (needle, tech) in DMI_VMS {
        if joined.contains(needle) {
            return v(
                VirtKind::Vm,
                tech,
                &format!("DMI vendor/product mentions {needle:?}"),
            );
        }
    }
    if let Some(t) = e.hypervisor_type.as_deref().filter(|t| !t.is_empty()) {
        return v(VirtKind::Vm, t, "/sys/hypervisor/type");
    }
    if e.cpu_hypervisor_flag {
        return Virtualization {
            kind: Some(VirtKind::Vm),
            technology: None,
            evidence: Some("CPU reports the hypervisor flag".into()),
        };
    }
    if e.has_dmi {
        return Virtualization {
            kind: Some(VirtKind::Physical),
            technology: None,
            evidence: Some("DMI present, no hypervisor or container markers".into()),
        };
    }
    Virtualization::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_win_over_vms() {
        let e = VirtEvidence {
            dockerenv: true,
            cpu_hypervisor_flag: true,
            ..Default::default()
        };
        let v = detect(&e);
        assert_eq!(v.kind, Some(VirtKind::Container));
        assert_eq!(v.technology.as_deref(), Some("docker"));
    }

    #[test]
    fn dmi_vendors() {
        for (dmi, tech) in [
            (vec!["QEMU", "Standard PC (Q35 + ICH9, 2009)"], "qemu"),
            (vec!["VMware, Inc.", "VMware Virtual Platform"], "vmware"),
            (vec!["innotek GmbH", "VirtualBox"], "virtualbox"),
            (vec!["Microsoft Corporation", "Virtual Machine"], "hyper-v"),
        ] {
            let e = VirtEvidence {
                dmi: dmi.iter().map(|s| s.to_string()).collect(),
                has_dmi: true,
                ..Default::default()
            };
            assert_eq!(detect(&e).technology.as_deref(), Some(tech));
        }
    }

    #[test]
    fn physical_needs_dmi_and_no_markers() {
        let e = VirtEvidence {
            dmi: vec!["Dell Inc.".into(), "OptiPlex 7090".into()],
            has_dmi: true,
            ..Default::default()
        };
        assert_eq!(detect(&e).kind, Some(VirtKind::Physical));
        assert_eq!(detect(&VirtEvidence::default()).kind, None);
    }
}
