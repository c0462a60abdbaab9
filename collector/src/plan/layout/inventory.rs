//! The inventory sections of the layout: organisation, devices by heading,
//! backup, phone, internet, software licences, the IP address plan, mobile
//! devices, cloud services.

use super::{Block, L, devices_of, heading};
use crate::plan::messages::Msg;
use crate::plan::model::{DeviceKind, Plan};
use crate::plan::words::{self, make_model, opt};

/// (section id, title, blocks) of the inventory, in order.
pub(super) fn inventory(plan: &Plan, l: &L) -> Vec<(&'static str, Msg, Vec<Block>)> {
    let lang = l.0;
    let t = |m| l.t(m);
    let dev = |id, k| l.devices(id, devices_of(plan, k));
    let mut s: Vec<(&'static str, Msg, Vec<Block>)> = Vec::new();
    let o = plan.organisation.as_ref();
    s.push((
        "organisation",
        Msg::SecOrganisation,
        vec![l.kv(
            "organisation",
            None,
            &[
                (Msg::ColName, o.map(|o| o.name.clone())),
                (Msg::ItemAddress, o.and_then(|o| o.address.clone())),
                (Msg::ColPhone, o.and_then(|o| o.phone.clone())),
                (Msg::ColEmail, o.and_then(|o| o.email.clone())),
            ],
        )],
    ));
    s.push((
        "office-pcs",
        Msg::SecOfficePcs,
        vec![dev("office-pcs", DeviceKind::OfficePcs)],
    ));
    s.push((
        "servers",
        Msg::SecServers,
        vec![dev("servers", DeviceKind::Servers)],
    ));
    let b = plan.backup_offsite.as_ref();
    s.push((
        "backup",
        Msg::SecBackupUnits,
        vec![
            dev("backup-units", DeviceKind::BackupUnits),
            l.kv(
                "backup-offsite",
                Some(Msg::SubBackupOffsite),
                &[
                    (Msg::ItemLocation, b.and_then(|b| b.location.clone())),
                    (Msg::ItemCustodian, b.and_then(|b| b.custodian.clone())),
                    (Msg::ItemMedium, b.and_then(|b| b.medium.clone())),
                    (Msg::ItemFrequency, b.and_then(|b| b.frequency.clone())),
                    (
                        Msg::ItemLastRestoreTest,
                        b.and_then(|b| b.last_restore_test.as_ref().map(|d| d.0.clone())),
                    ),
                ],
            ),
        ],
    ));
    let ps = plan.phone_system.as_ref();
    let lines = plan
        .phone_lines
        .iter()
        .map(|p| {
            vec![
                p.number.clone(),
                t(words::line(p.kind)),
                opt(&p.forwards_to),
                opt(&p.notes),
            ]
        })
        .collect();
    s.push((
        "phone",
        Msg::SecPhone,
        vec![
            dev("phone-devices", DeviceKind::PhoneSystem),
            l.kv(
                "phone-system",
                Some(Msg::ItemPhoneSystem),
                &[
                    (Msg::ColMakeModel, ps.map(|p| make_model(&p.make, &p.model))),
                    (Msg::ItemSupplier, ps.and_then(|p| p.supplier.clone())),
                    (Msg::ItemLocation, ps.and_then(|p| p.location.clone())),
                ],
            ),
            l.table(
                "phone-lines",
                Some(Msg::SubLines),
                &[
                    Msg::ColNumber,
                    Msg::ColKind,
                    Msg::ColForwardsTo,
                    Msg::ColNotes,
                ],
                lines,
            ),
        ],
    ));
    let conns = plan
        .internet
        .iter()
        .map(|c| {
            vec![
                c.provider.clone(),
                opt(&c.kind),
                opt(&c.contract),
                c.public_ips.join(", "),
                opt(&c.support_phone),
            ]
        })
        .collect();
    s.push((
        "internet",
        Msg::SecInternet,
        vec![
            l.table(
                "internet",
                None,
                &[
                    Msg::ColProvider,
                    Msg::ColKind,
                    Msg::ColContract,
                    Msg::ColPublicIps,
                    Msg::ColSupportPhone,
                ],
                conns,
            ),
            l.kv(
                "internet-other",
                None,
                &[
                    (Msg::ItemWebsite, plan.website.clone()),
                    (Msg::ItemWifi, Some(plan.wifi.join(", "))),
                ],
            ),
        ],
    ));
    // The key column only when the plan was asked to show keys (and the
    // site file holds one): `build` never fills `key`.
    let keys = plan.licences.iter().any(|r| r.key.is_some());
    let mut lic_cols = vec![
        Msg::ColProduct,
        Msg::ColLicensed,
        Msg::ColInstalled,
        Msg::ColExpires,
        Msg::ColKeyLocation,
    ];
    if keys {
        lic_cols.push(Msg::ColKey);
    }
    lic_cols.push(Msg::ColStatus);
    let lic = plan
        .licences
        .iter()
        .map(|r| {
            let mut status = Vec::new();
            if r.over_use {
                status.push(Msg::StatusOverUse.fill(
                    lang,
                    &[
                        ("installed", &r.installed.to_string()),
                        ("quantity", &r.quantity.to_string()),
                    ],
                ));
            }
            if r.expired {
                status.push(t(Msg::StatusExpired));
            }
            if status.is_empty() {
                status.push(t(Msg::StatusOk));
            }
            let mut row = vec![
                r.product.clone(),
                r.quantity.to_string(),
                r.installed.to_string(),
                opt(&r.expires),
                opt(&r.key_location),
            ];
            if keys {
                row.push(opt(&r.key));
            }
            row.push(status.join("; "));
            row
        })
        .collect();
    let sw = plan
        .software
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.installs.to_string(),
                r.versions.join(", "),
            ]
        })
        .collect();
    s.push((
        "software",
        Msg::SecSoftware,
        vec![
            l.table("licences", None, &lic_cols, lic),
            l.table(
                "software",
                Some(Msg::SubInstalled),
                &[Msg::ColName, Msg::ColInstalled, Msg::ColVersions],
                sw,
            ),
        ],
    ));
    let ips = plan
        .ip_plan
        .iter()
        .map(|r| {
            vec![
                r.ip.clone(),
                opt(&r.name),
                t(heading(r.section)),
                r.macs.join(", "),
                r.asset.clone(),
            ]
        })
        .collect();
    s.push((
        "ip-plan",
        Msg::SecIpPlan,
        vec![l.table(
            "ip-plan",
            None,
            &[
                Msg::ColIp,
                Msg::ColName,
                Msg::ColSection,
                Msg::ColMac,
                Msg::ColId,
            ],
            ips,
        )],
    ));
    let mobiles = |kind| {
        plan.mobile_devices
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| {
                vec![
                    opt(&d.user),
                    make_model(&d.make, &d.model),
                    opt(&d.number),
                    opt(&d.imei),
                    opt(&d.serial),
                    opt(&d.mdm),
                    opt(&d.pin_location),
                ]
            })
            .collect::<Vec<_>>()
    };
    let mcols = [
        Msg::ColUser,
        Msg::ColMakeModel,
        Msg::ColNumber,
        Msg::ColImei,
        Msg::ColSerial,
        Msg::ColMdm,
        Msg::ColPinLocation,
    ];
    s.push((
        "mobile-phones",
        Msg::SecMobilePhones,
        vec![
            dev("mobile-phones", DeviceKind::MobilePhones),
            l.table(
                "mobile-phones-site",
                Some(Msg::SubSiteDevices),
                &mcols,
                mobiles(census_shared::site::MobileKind::Phone),
            ),
        ],
    ));
    let cloud = plan
        .cloud
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                opt(&c.purpose),
                opt(&c.admin),
                opt(&c.data_location),
            ]
        })
        .collect();
    s.push((
        "cloud",
        Msg::SecCloud,
        vec![l.table(
            "cloud",
            None,
            &[
                Msg::ColName,
                Msg::ColPurpose,
                Msg::ColAdmin,
                Msg::ColDataLocation,
            ],
            cloud,
        )],
    ));
    s.push((
        "tablets",
        Msg::SecTablets,
        vec![
            dev("tablets", DeviceKind::Tablets),
            l.table(
                "tablets-site",
                Some(Msg::SubSiteDevices),
                &mcols,
                mobiles(census_shared::site::MobileKind::Tablet),
            ),
        ],
    ));
    s.push((
        "printers",
        Msg::SecPrinters,
        vec![dev("printers", DeviceKind::Printers)],
    ));
    s.push((
        "network",
        Msg::SecNetwork,
        vec![dev("network", DeviceKind::Network)],
    ));
    s.push((
        "other-devices",
        Msg::SecOther,
        vec![dev("other-devices", DeviceKind::Other)],
    ));
    s
}
