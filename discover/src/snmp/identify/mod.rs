//! Identification: from an agent's answers to one [`SnmpDevice`] — type,
//! vendor, model, serial, firmware, MACs — each with its reason in
//! `evidence`, plus the details for its kind.
//!
//! Order of sources, for every field: standard MIBs first (ENTITY-MIB,
//! Printer-MIB, HOST-RESOURCES-MIB, UPS-MIB), then the vendor's own OIDs
//! from the vendor table, then sysDescr patterns, then sysName. Serials go
//! through the shared placeholder rules; a rejected one is noted, and the
//! next source is tried. Credentials are not this module's business: it
//! gets a [`Source`] that already answers.

use super::classify::{Facts, classify};
use super::details;
use super::mibs;
use super::oid::Oid;
use super::source::{SnmpError, Source};
use super::vendors::{DescrRule, parse_device_id, table};
use census_shared::check_serial;
use census_shared::device::{DeviceType, SnmpDevice};

/// How much to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Type, make, model, serial, firmware and MACs.
    Identity,
    /// Also the details for the device's kind (supplies, ports, FDB, …).
    Full,
}

/// A candidate value and where it came from.
struct Pick {
    value: String,
    from: String,
}

fn descr_groups<'a>(
    rules: impl IntoIterator<Item = &'a DescrRule>,
    descr: &str,
    group: &str,
) -> Option<Pick> {
    rules.into_iter().find_map(|r| {
        let c = r.re.captures(descr)?;
        let m = c.name(group)?.as_str().trim();
        (!m.is_empty()).then(|| Pick {
            value: m.to_string(),
            from: format!("sysDescr pattern {:?}", r.re.as_str()),
        })
    })
}

fn os_from(rules: &[DescrRule], descr: &str) -> Option<String> {
    rules.iter().find_map(|r| {
        let os = r.os.as_ref()?;
        let c = r.re.captures(descr)?;
        let v = c.name("os_version").map(|m| m.as_str()).unwrap_or("");
        Some(if v.is_empty() {
            os.replace(" {v}", "").replace("{v}", "")
        } else {
            os.replace("{v}", v)
        })
    })
}

/// Identify the device behind `s`. Fails only when the system group
/// cannot be read; everything after that is best effort.
pub async fn identify<S: Source>(s: &S, depth: Depth) -> Result<SnmpDevice, SnmpError> {
    let t = table();
    let sys = mibs::system(s).await?;
    let implemented = mibs::implemented(s).await;
    let chassis = mibs::chassis(s).await;
    let printer = mibs::printer_device(s).await;
    let mut evidence = Vec::new();

    let found = make::find(s, &sys, chassis.as_ref(), printer.as_deref()).await;
    let mut captured = Vec::new();
    let vendor = found.map(|m| {
        evidence.push(m.why);
        captured = m.captured;
        m.vendor
    });
    let take = |captured: &mut Vec<(&str, Pick)>, group: &str| -> Vec<Pick> {
        let (hit, rest): (Vec<_>, Vec<_>) = std::mem::take(captured)
            .into_iter()
            .partition(|(g, _)| *g == group);
        *captured = rest;
        hit.into_iter().map(|(_, p)| p).collect()
    };

    // The vendor's own scalars, in one GET.
    let (mut v_model, mut v_serial, mut v_firmware, mut v_devid) = (vec![], vec![], vec![], vec![]);
    let mut vendor_subtree = None;
    if let Some(v) = vendor {
        let all: Vec<Oid> = [
            &v.model_oids,
            &v.serial_oids,
            &v.firmware_oids,
            &v.device_id_oids,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        for (o, text) in mibs::texts(s, &all).await {
            let bucket = if v.model_oids.contains(&o) {
                &mut v_model
            } else if v.serial_oids.contains(&o) {
                &mut v_serial
            } else if v.firmware_oids.contains(&o) {
                &mut v_firmware
            } else {
                &mut v_devid
            };
            bucket.push(Pick {
                value: text,
                from: format!("{} OID {o}", v.name),
            });
        }
        if !v.subtrees.is_empty() {
            let want: Vec<Oid> = v.subtrees.iter().map(|(o, _)| o.clone()).collect();
            let found = mibs::answers_under(s, &want).await;
            vendor_subtree = v
                .subtrees
                .iter()
                .zip(found)
                .find(|(_, f)| *f)
                .map(|((o, ty), _)| (*ty, format!("answers under {} subtree {o}", v.name)));
        }
    }
    let descr = sys.descr.as_deref().unwrap_or("");
    let vendor_rules: &[DescrRule] = vendor.map(|v| v.descr.as_slice()).unwrap_or(&[]);

    // Model.
    let mut models: Vec<Pick> = Vec::new();
    let push = |list: &mut Vec<Pick>, v: Option<&str>, from: &str| {
        if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
            list.push(Pick {
                value: v.to_string(),
                from: from.to_string(),
            });
        }
    };
    push(
        &mut models,
        chassis.as_ref().and_then(|c| c.model.as_deref()),
        "ENTITY-MIB entPhysicalModelName",
    );
    push(
        &mut models,
        printer.as_deref(),
        "HOST-RESOURCES hrDeviceDescr of the printer",
    );
    push(
        &mut models,
        sys.prt_name.as_deref(),
        "Printer-MIB prtGeneralPrinterName",
    );
    push(
        &mut models,
        sys.ups_model.as_deref(),
        "UPS-MIB upsIdentModel",
    );
    models.append(&mut v_model);
    for p in v_devid.drain(..) {
        let (_, mdl) = parse_device_id(&p.value);
        push(
            &mut models,
            mdl.as_deref(),
            &format!("IEEE 1284 device id ({})", p.from),
        );
    }
    models.extend(take(&mut captured, "model"));
    models.extend(descr_groups(vendor_rules, descr, "model"));
    if implemented.dot11 {
        push(
            &mut models,
            mibs::dot11_product(s).await.as_deref(),
            "IEEE 802.11 MIB dot11ManufacturerProductName",
        );
    }
    // The chassis's own description, when nothing above named a model.
    push(
        &mut models,
        chassis.as_ref().and_then(|c| c.descr.as_deref()),
        "ENTITY-MIB entPhysicalDescr of the chassis",
    );
    if let (Some(re), Some(name)) = (
        vendor.and_then(|v| v.sysname_model.as_ref()),
        sys.name.as_deref(),
    ) && re.is_match(name)
    {
        push(
            &mut models,
            Some(name),
            "sysName, which this make sets to the model",
        );
    }
    // A bare part number ("J9146A") gives way to a later source that says
    // more and contains it ("J9146A E2910al-24G-PoE").
    if let Some(first) = models.first() {
        let short = first.value.to_lowercase();
        if let Some(i) = models
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, p)| {
                p.value.len() > short.len()
                    && p.value.len() <= 64
                    && p.value.to_lowercase().contains(&short)
            })
            .map(|(i, _)| i)
        {
            models.swap(0, i);
        }
    }
    let model = models.into_iter().next().map(|p| {
        let m = vendor.map(|v| v.tidy_model(&p.value)).unwrap_or(p.value);
        evidence.push(format!("model from {}", p.from));
        m
    });

    // Serial: every candidate through the placeholder rules.
    let mut serials: Vec<Pick> = Vec::new();
    push(
        &mut serials,
        chassis.as_ref().and_then(|c| c.serial.as_deref()),
        "ENTITY-MIB entPhysicalSerialNum",
    );
    push(
        &mut serials,
        sys.prt_serial.as_deref(),
        "Printer-MIB prtGeneralSerialNumber",
    );
    serials.append(&mut v_serial);
    serials.extend(take(&mut captured, "serial"));
    serials.extend(descr_groups(vendor_rules, descr, "serial"));
    let mut serial = None;
    for p in serials {
        match check_serial(&p.value).valid() {
            Some(ok) => {
                evidence.push(format!("serial from {}", p.from));
                serial = Some(ok.to_string());
                break;
            }
            None => evidence.push(format!(
                "serial {:?} from {} rejected as a placeholder",
                p.value, p.from
            )),
        }
    }

    // Firmware.
    let mut fws: Vec<Pick> = Vec::new();
    push(
        &mut fws,
        chassis.as_ref().and_then(|c| c.software.as_deref()),
        "ENTITY-MIB entPhysicalSoftwareRev",
    );
    push(
        &mut fws,
        chassis.as_ref().and_then(|c| c.firmware.as_deref()),
        "ENTITY-MIB entPhysicalFirmwareRev",
    );
    push(
        &mut fws,
        sys.ups_software.as_deref(),
        "UPS-MIB upsIdentUPSSoftwareVersion",
    );
    fws.append(&mut v_firmware);
    fws.extend(take(&mut captured, "firmware"));
    fws.extend(descr_groups(
        vendor_rules.iter().chain(&t.generic),
        descr,
        "firmware",
    ));
    let firmware = fws.into_iter().next().map(|p| {
        evidence.push(format!("firmware from {}", p.from));
        p.value
    });

    let facts = Facts {
        object_id: sys.object_id.as_ref(),
        descr: sys.descr.as_deref(),
        vendor,
        object_entry: sys
            .object_id
            .as_ref()
            .and_then(Oid::enterprise)
            .and_then(|n| t.by_enterprise(n)),
        implemented,
        vendor_subtree,
        ip_forwarding: sys.ip_forwarding,
        bridge_ports: sys.bridge_ports,
        printer_row: printer.is_some(),
    };
    let (device_type, why) = classify(&facts, &t.generic);
    evidence.insert(0, format!("{}: {why}", device_type.as_str()));

    let os = os_from(vendor_rules, descr).or_else(|| os_from(&t.generic, descr));
    let mac_addresses = mibs::mac_addresses(s).await;
    // Last resort for the make of an appliance: the registered owner of its
    // MAC address. Not for hosts, whose MACs name the network chip's maker.
    let mut vendor_name = vendor.map(|v| v.name.clone());
    if vendor_name.is_none()
        && !matches!(
            device_type,
            DeviceType::Server | DeviceType::Workstation | DeviceType::Other
        )
        && let Some((mac, v)) = mac_addresses
            .iter()
            .find_map(|m| make::from_mac(m).map(|v| (m, v)))
    {
        evidence.push(format!(
            "vendor {} from the IEEE registration of MAC {mac}",
            v.name
        ));
        vendor_name = Some(v.name.clone());
    }
    let mut device = SnmpDevice {
        device_type,
        vendor: vendor_name,
        model,
        serial,
        firmware,
        sys_name: sys.name.clone(),
        sys_descr: sys.descr.clone(),
        sys_object_id: sys.object_id.as_ref().map(Oid::to_string),
        sys_location: sys.location.clone(),
        sys_contact: sys.contact.clone(),
        mac_addresses,
        os,
        snmp_version: String::new(),
        credential: String::new(),
        evidence,
        printer: None,
        switch: None,
        ups: None,
        host: None,
    };
    if depth == Depth::Full {
        details::fill(s, &mut device, implemented).await;
    }
    Ok(device)
}

mod make;
#[cfg(test)]
mod tests;
