//! Windows activation as data: the `SoftwareLicensingProduct` rows that
//! carry a product key (`PartialProductKey IS NOT NULL`) → the report's
//! `os.activation`. Windows' own product is told from Office's and other
//! add-ons by its application id. Portable, tested on recorded rows; the
//! query itself (slow: seconds, so with its own longer timeout) is in
//! `system/windows.rs`. The partial key is never put in the report.

use crate::facets::wmi::{WmiRow, text, uint};
use census_shared::report::Activation;

/// `SoftwareLicensingProduct.ApplicationID` of Windows itself.
pub const WINDOWS_APPLICATION_ID: &str = "55c92734-d682-4d71-983e-d6ec3f16059f";

/// `LicenseStatus` as a word.
pub fn status_name(code: u64) -> String {
    match code {
        0 => "unlicensed",
        1 => "licensed",
        2 => "oob_grace",
        3 => "oot_grace",
        4 => "non_genuine_grace",
        5 => "notification",
        6 => "extended_grace",
        n => return format!("status_{n}"),
    }
    .to_string()
}

/// Windows' activation from the rows with a product key; a licensed row
/// wins over others (an upgrade leaves the old edition's row behind).
/// `None` without a Windows row.
pub fn activation(rows: &[WmiRow]) -> Option<Activation> {
    let windows: Vec<&WmiRow> = rows
        .iter()
        .filter(|r| {
            text(r, "ApplicationID").is_none_or(|a| a.eq_ignore_ascii_case(WINDOWS_APPLICATION_ID))
        })
        .filter(|r| uint(r, "LicenseStatus").is_some())
        .collect();
    let row = windows
        .iter()
        .find(|r| uint(r, "LicenseStatus") == Some(1))
        .or(windows.first())?;
    let code = uint(row, "LicenseStatus")?;
    Some(Activation {
        activated: code == 1,
        status: status_name(code),
        product: text(row, "Name"),
        channel: text(row, "ProductKeyChannel"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded() -> Vec<WmiRow> {
        let all: std::collections::HashMap<String, Vec<WmiRow>> =
            serde_json::from_str(include_str!("../../../fixtures/windows/wmi.json")).unwrap();
        all["SoftwareLicensingProduct"].clone()
    }

    #[test]
    fn windows_row_is_chosen_over_office_and_its_status_named() {
        let a = activation(&recorded()).unwrap();
        assert!(a.activated);
        assert_eq!(a.status, "licensed");
        assert_eq!(
            a.product.as_deref(),
            Some("Windows(R), Professional edition")
        );
        assert_eq!(a.channel.as_deref(), Some("OEM:DM"));
        let json = serde_json::to_string(&a).unwrap();
        assert!(!json.contains("3V66T"), "no part of the key: {json}");
    }

    #[test]
    fn grace_unknown_codes_and_no_windows_row() {
        let mut rows = recorded();
        rows.retain(|r| text(r, "ApplicationID").as_deref() != Some(WINDOWS_APPLICATION_ID));
        assert_eq!(
            activation(&rows),
            None,
            "Office alone says nothing of Windows"
        );
        let row = |status: u64| -> WmiRow {
            serde_json::from_value(serde_json::json!({
                "ApplicationID": WINDOWS_APPLICATION_ID, "Name": "Windows(R), Core edition",
                "LicenseStatus": status
            }))
            .unwrap()
        };
        let a = activation(&[row(2)]).unwrap();
        assert_eq!((a.activated, a.status.as_str()), (false, "oob_grace"));
        assert_eq!(activation(&[row(9)]).unwrap().status, "status_9");
        assert_eq!(activation(&[row(0), row(1)]).unwrap().status, "licensed");
    }
}
