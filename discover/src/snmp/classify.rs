//! The device type: one decision from everything identification learned,
//! with the reason written down. Standard evidence that cannot be wrong
//! comes first (an agent that implements the Printer-MIB is a printer),
//! then what the vendor table says about this make and sysObjectID, then
//! words in sysDescr, then the shape of the agent (bridge ports, IP
//! forwarding, host resources).
//!
//! It asks no questions itself; `identify.rs` gathers the [`Facts`].

use super::mibs::Implemented;
use super::oid::Oid;
use super::vendors::{DescrRule, Vendor};
use census_shared::device::DeviceType;

/// What the type decision looks at.
#[derive(Debug, Default)]
pub struct Facts<'a> {
    pub object_id: Option<&'a Oid>,
    pub descr: Option<&'a str>,
    pub vendor: Option<&'a Vendor>,
    /// The vendor-table entry of the sysObjectID's enterprise, maker or not
    /// (Microsoft's agent says workstation or server in its sysObjectID).
    pub object_entry: Option<&'a Vendor>,
    pub implemented: Implemented,
    /// The agent answered under one of the vendor's typed subtrees.
    pub vendor_subtree: Option<(DeviceType, String)>,
    pub ip_forwarding: Option<i64>,
    pub bridge_ports: Option<i64>,
    /// HOST-RESOURCES lists a printer device.
    pub printer_row: bool,
}

fn rule_type<'r>(
    rules: impl IntoIterator<Item = &'r DescrRule>,
    descr: &str,
) -> Option<(DeviceType, &'r DescrRule)> {
    rules
        .into_iter()
        .find(|r| r.ty.is_some() && r.re.is_match(descr))
        .map(|r| (r.ty.unwrap_or(DeviceType::Other), r))
}

/// Decide the type; the string says why.
pub fn classify(f: &Facts<'_>, generic: &[DescrRule]) -> (DeviceType, String) {
    use DeviceType::*;
    if f.implemented.printer {
        return (Printer, "implements the Printer-MIB".into());
    }
    for v in [f.vendor, f.object_entry].into_iter().flatten() {
        if let Some(id) = f.object_id
            && let Some(t) = v.type_for_object_id(id)
        {
            return (
                t,
                format!(
                    "sysObjectID {id} is a {} {} product line",
                    v.name,
                    t.as_str()
                ),
            );
        }
    }
    if let Some((t, why)) = &f.vendor_subtree {
        return (*t, why.clone());
    }
    if f.implemented.ups {
        return (Ups, "implements the UPS-MIB".into());
    }
    if let (Some(v), Some(d)) = (f.vendor, f.descr)
        && let Some((t, r)) = rule_type(&v.descr, d)
    {
        return (
            t,
            format!("sysDescr matches {} pattern {:?}", v.name, r.re.as_str()),
        );
    }
    if let Some(v) = f.vendor
        && let Some(t) = v.default_type
    {
        return (
            t,
            format!(
                "{} devices are {} unless something says otherwise",
                v.name,
                t.as_str()
            ),
        );
    }
    if let Some(d) = f.descr
        && let Some((t, r)) = rule_type(generic, d)
    {
        return (t, format!("sysDescr matches {:?}", r.re.as_str()));
    }
    if f.implemented.dot11 {
        return (AccessPoint, "implements the IEEE 802.11 MIB".into());
    }
    if f.bridge_ports.unwrap_or(0) > 1 && f.ip_forwarding != Some(1) {
        return (
            Switch,
            format!(
                "{} bridge ports and no IP forwarding",
                f.bridge_ports.unwrap_or(0)
            ),
        );
    }
    if f.ip_forwarding == Some(1) && !f.implemented.host_resources {
        return (
            Router,
            "forwards IP and is not a general-purpose host".into(),
        );
    }
    if f.implemented.host_resources {
        return (Server, "a general-purpose host (HOST-RESOURCES-MIB)".into());
    }
    if f.printer_row {
        return (Printer, "HOST-RESOURCES lists a printer device".into());
    }
    (Other, "nothing identifies the kind of device".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snmp::vendors::table;

    #[test]
    fn standard_evidence_beats_vendor_defaults() {
        let t = table();
        let hp = t.by_enterprise(11).unwrap();
        let id = Oid::lit("1.3.6.1.4.1.11.2.3.7.11.84");
        let mut f = Facts {
            object_id: Some(&id),
            vendor: Some(hp),
            ..Facts::default()
        };
        assert_eq!(classify(&f, &t.generic).0, DeviceType::Switch);
        f.implemented.printer = true;
        assert_eq!(classify(&f, &t.generic).0, DeviceType::Printer);
    }

    #[test]
    fn agent_shape_decides_when_nothing_else_does() {
        let g = &table().generic;
        let f = |fwd, ports, hr| Facts {
            ip_forwarding: fwd,
            bridge_ports: ports,
            implemented: Implemented {
                host_resources: hr,
                ..Implemented::default()
            },
            ..Facts::default()
        };
        assert_eq!(
            classify(&f(Some(2), Some(24), false), g).0,
            DeviceType::Switch
        );
        assert_eq!(classify(&f(Some(1), None, false), g).0, DeviceType::Router);
        assert_eq!(classify(&f(Some(1), None, true), g).0, DeviceType::Server);
        assert_eq!(classify(&f(None, None, false), g).0, DeviceType::Other);
    }

    #[test]
    fn every_generic_rule_matches_its_example() {
        let spec: crate::snmp::vendors::FileSpec =
            toml::from_str(crate::snmp::vendors::DATA).unwrap();
        let rules = &table().generic;
        for (g, r) in spec.generic.iter().zip(rules) {
            assert!(
                r.re.is_match(&g.example),
                "{:?} does not match {:?}",
                g.pattern,
                g.example
            );
            if let Some(t) = &g.ty {
                let f = Facts {
                    descr: Some(&g.example),
                    ..Facts::default()
                };
                assert_eq!(classify(&f, rules).0.as_str(), t, "{:?}", g.example);
            }
        }
    }
}
