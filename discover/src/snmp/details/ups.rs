//! UPS details: battery status, charge, runtime and output source from the
//! standard UPS-MIB (RFC 1628), else from APC's PowerNet-MIB, which most
//! APC management cards speak instead.
//!
//! The PowerNet OIDs are the one vendor table kept in code here; move them
//! into the vendor data when a second vendor needs the same.

use crate::snmp::oid::{Oid, Value};
use crate::snmp::source::Source;
use census_shared::device::UpsDetails;

const UPS_BATTERY_STATUS: &str = "1.3.6.1.2.1.33.1.2.1.0";
const UPS_MINUTES_LEFT: &str = "1.3.6.1.2.1.33.1.2.3.0";
const UPS_CHARGE: &str = "1.3.6.1.2.1.33.1.2.4.0";
const UPS_OUTPUT_SOURCE: &str = "1.3.6.1.2.1.33.1.4.1.0";
const APC_BATTERY_STATUS: &str = "1.3.6.1.4.1.318.1.1.1.2.1.1.0";
const APC_CHARGE: &str = "1.3.6.1.4.1.318.1.1.1.2.2.1.0";
const APC_RUNTIME_TICKS: &str = "1.3.6.1.4.1.318.1.1.1.2.2.3.0";
const APC_OUTPUT_STATUS: &str = "1.3.6.1.4.1.318.1.1.1.4.1.1.0";
const APC_REPLACE_INDICATOR: &str = "1.3.6.1.4.1.318.1.1.1.2.2.4.0";
const APC_HIGH_PREC_CAPACITY: &str = "1.3.6.1.4.1.318.1.1.1.2.3.1.0";

fn battery(code: i64) -> &'static str {
    match code {
        2 => "normal",
        3 => "low",
        4 => "depleted",
        _ => "unknown",
    }
}

fn ups_source(code: i64) -> &'static str {
    match code {
        2 => "none",
        3 => "online",
        4 => "bypass",
        5 => "on_battery",
        6 => "booster",
        7 => "reducer",
        _ => "other",
    }
}

fn apc_output(code: i64) -> &'static str {
    match code {
        2 => "online",
        3 => "on_battery",
        4 => "smart_boost",
        5 => "timed_sleeping",
        6 => "software_bypass",
        7 => "off",
        8 => "rebooting",
        9 => "switched_bypass",
        10 => "hardware_failure_bypass",
        12 => "smart_trim",
        _ => "other",
    }
}

pub async fn read<S: Source>(s: &S, standard: bool) -> Option<UpsDetails> {
    let want: Vec<Oid> = if standard {
        [
            UPS_BATTERY_STATUS,
            UPS_CHARGE,
            UPS_MINUTES_LEFT,
            UPS_OUTPUT_SOURCE,
        ]
        .as_slice()
    } else {
        [
            APC_BATTERY_STATUS,
            APC_CHARGE,
            APC_RUNTIME_TICKS,
            APC_OUTPUT_STATUS,
            APC_REPLACE_INDICATOR,
            APC_HIGH_PREC_CAPACITY,
        ]
        .as_slice()
    }
    .iter()
    .map(|o| Oid::lit(o))
    .collect();
    let v = s.get(&want).await.ok()?;
    let int = |i: usize| v.get(i).and_then(|x| x.as_ref()).and_then(Value::int);
    let runtime_minutes = int(2).and_then(|n| {
        let minutes = if standard { n } else { n / 6000 }; // TimeTicks are 1/100 s
        u32::try_from(minutes).ok()
    });
    let d = UpsDetails {
        battery_status: int(0)
            .map(|c| battery(c).to_string())
            .or_else(|| match int(4) {
                Some(1) => Some("normal".into()),
                Some(2) => Some("replace_battery".into()),
                _ => None,
            }),
        // upsHighPrecBatteryCapacity is in tenths of a percent.
        charge_percent: int(1)
            .or_else(|| int(5).map(|c| c / 10))
            .and_then(|c| u8::try_from(c.clamp(0, 100)).ok()),
        runtime_minutes,
        output_source: int(3).map(|c| {
            if standard {
                ups_source(c)
            } else {
                apc_output(c)
            }
            .to_string()
        }),
    };
    (d != UpsDetails::default()).then_some(d)
}
