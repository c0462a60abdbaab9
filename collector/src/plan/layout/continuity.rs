//! The continuity sections of the layout: business processes, recovery
//! order, team, external contacts, fall-back, replacement and tests, then
//! "To complete" and risks.

use super::{Block, L};
use crate::plan::messages::Msg;
use crate::plan::model::Plan;
use crate::plan::words::{self, opt};

/// (section id, title, blocks) after the inventory, in order.
pub(super) fn continuity(plan: &Plan, l: &L) -> Vec<(&'static str, Msg, Vec<Block>)> {
    let lang = l.0;
    let t = |m| l.t(m);
    let mut s: Vec<(&'static str, Msg, Vec<Block>)> = Vec::new();
    let prio = |p: Option<u8>| p.map(|p| p.to_string()).unwrap_or_default();
    let procs = plan
        .processes
        .iter()
        .map(|p| {
            vec![
                p.department.clone(),
                opt(&p.head),
                p.system.clone(),
                opt(&p.data),
                prio(p.priority),
            ]
        })
        .collect();
    s.push((
        "processes",
        Msg::SecProcesses,
        vec![l.table(
            "processes",
            None,
            &[
                Msg::ColDepartment,
                Msg::ColHead,
                Msg::ColSystem,
                Msg::ColData,
                Msg::ColPriority,
            ],
            procs,
        )],
    ));
    let rec = plan
        .recovery_order
        .iter()
        .map(|r| {
            vec![
                r.order.to_string(),
                r.system.clone(),
                prio(r.priority),
                r.departments.join(", "),
                r.depends_on.join(", "),
            ]
        })
        .collect();
    s.push((
        "recovery-order",
        Msg::SecRecovery,
        vec![l.table(
            "recovery-order",
            None,
            &[
                Msg::ColOrder,
                Msg::ColSystem,
                Msg::ColPriority,
                Msg::ColDepartment,
                Msg::ColDependsOn,
            ],
            rec,
        )],
    ));
    let team = plan
        .team
        .iter()
        .map(|m| {
            let roles: Vec<&str> = m.roles.iter().map(|r| words::role(*r).text(lang)).collect();
            vec![
                m.name.clone(),
                roles.join(", "),
                opt(&m.phone),
                opt(&m.email),
                words::tasks(m, lang),
            ]
        })
        .collect();
    s.push((
        "team",
        Msg::SecTeam,
        vec![l.table(
            "team",
            None,
            &[
                Msg::ColName,
                Msg::ColRoles,
                Msg::ColPhone,
                Msg::ColEmail,
                Msg::ColTasks,
            ],
            team,
        )],
    ));
    let ext = plan
        .external
        .iter()
        .map(|p| {
            vec![
                t(words::external(p.kind)),
                p.name.clone(),
                opt(&p.contact),
                opt(&p.phone),
                opt(&p.out_of_hours_phone),
                opt(&p.email),
                opt(&p.contract),
            ]
        })
        .collect();
    s.push((
        "external",
        Msg::SecExternal,
        vec![l.table(
            "external",
            None,
            &[
                Msg::ColKind,
                Msg::ColName,
                Msg::ColContact,
                Msg::ColPhone,
                Msg::ColOutOfHours,
                Msg::ColEmail,
                Msg::ColContract,
            ],
            ext,
        )],
    ));
    let (f, r) = (plan.fallback.as_ref(), plan.replacement.as_ref());
    let tests = plan
        .tests
        .iter()
        .map(|x| {
            vec![
                t(words::test(x.kind)),
                x.last_done.clone().unwrap_or_else(|| t(Msg::Never)),
                if x.overdue {
                    t(Msg::Overdue)
                } else {
                    t(Msg::StatusOk)
                },
            ]
        })
        .collect();
    s.push((
        "continuity",
        Msg::SecContinuity,
        vec![
            l.kv(
                "fallback",
                Some(Msg::SubFallback),
                &[
                    (Msg::ItemLocation, f.and_then(|f| f.location.clone())),
                    (Msg::ColContact, f.and_then(|f| f.contact.clone())),
                    (Msg::ColPhone, f.and_then(|f| f.phone.clone())),
                    (Msg::ItemArrangement, f.and_then(|f| f.arrangement.clone())),
                ],
            ),
            l.kv(
                "replacement",
                Some(Msg::SubReplacement),
                &[
                    (Msg::ItemSupplier, r.and_then(|r| r.supplier.clone())),
                    (Msg::ItemArrangement, r.and_then(|r| r.arrangement.clone())),
                    (
                        Msg::ItemDeliveryTime,
                        r.and_then(|r| r.delivery_time.clone()),
                    ),
                ],
            ),
            l.table(
                "tests",
                Some(Msg::SubTests),
                &[Msg::ColTest, Msg::ColLastDone, Msg::ColStatus],
                tests,
            ),
        ],
    ));
    s.push((
        "to-complete",
        Msg::SecToComplete,
        vec![l.findings("to-complete", &plan.to_complete)],
    ));
    s.push((
        "risks",
        Msg::SecRisks,
        vec![l.findings("risks", &plan.risks)],
    ));
    s
}
