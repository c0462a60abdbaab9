use super::*;

fn ok(text: &str) -> Vec<MobileDevice> {
    parse(text, Path::new("mobiles.csv")).unwrap_or_else(|p| {
        let lines: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        panic!("{}", lines.join("\n"))
    })
}

fn bad(text: &str) -> Vec<String> {
    match parse(text, Path::new("mobiles.csv")) {
        Ok(d) => panic!("accepted: {d:?}"),
        Err(p) => p.iter().map(|p| p.to_string()).collect(),
    }
}

/// (kind, user, number, imei) of each device.
type Summary<'a> = (
    MobileKind,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn summary(d: &[MobileDevice]) -> Vec<Summary<'_>> {
    d.iter()
        .map(|d| {
            (
                d.kind,
                d.user.as_deref(),
                d.number.as_deref(),
                d.imei.as_deref(),
            )
        })
        .collect()
}

#[test]
fn english_headers_with_commas() {
    let d = ok("type,user,make,model,number,imei,serial,mdm,pin location\n\
         phone,Anna,Voorbeeld,Phone 12,+31 6 5550 0001,350000000000011,MOB-1,Intune,safe\n\
         tablet,Shop,,Tab 8,,,TAB-1,,\n");
    assert_eq!(
        summary(&d),
        [
            (
                MobileKind::Phone,
                Some("Anna"),
                Some("+31 6 5550 0001"),
                Some("350000000000011")
            ),
            (MobileKind::Tablet, Some("Shop"), None, None),
        ]
    );
    assert_eq!(d[0].make.as_deref(), Some("Voorbeeld"));
    assert_eq!(d[0].mdm.as_deref(), Some("Intune"));
    assert_eq!(d[0].pin_location.as_deref(), Some("safe"));
    assert_eq!(d[1].serial.as_deref(), Some("TAB-1"));
    assert_eq!(d[1].make, None, "an empty cell is unknown");
}

#[test]
fn dutch_excel_semicolons_headers_in_any_case_and_unknown_columns() {
    // Dutch Excel: `;`, CRLF, Dutch headers in its own capitals, a column
    // from the provider's export that Census does not use.
    let d = ok(
        "Soort;GEBRUIKER;Merk;Toestel;Nummer;IMEI;Serienummer;Abonnement;PIN/PUK-locatie\r\n\
         Telefoon;Bram;Voorbeeld;Phone 13;+31 6 5550 0002;350000000000029;MOB-2;Zakelijk 10 GB;kluis\r\n\
         ;;;;;;;;\r\n\
         iPad;Magazijn;;;;;;;\r\n",
    );
    assert_eq!(d.len(), 2, "the empty row is skipped: {d:?}");
    assert_eq!(d[0].kind, MobileKind::Phone);
    assert_eq!(d[0].model.as_deref(), Some("Phone 13"));
    assert_eq!(d[0].pin_location.as_deref(), Some("kluis"));
    assert_eq!(d[1].kind, MobileKind::Tablet);
    // Excel's `sep=` line names the separator.
    let d = ok("sep=,\ntype,user,note;a;b;c\nphone,Anna,x;y;z;w\n");
    assert_eq!(d[0].user.as_deref(), Some("Anna"));
}

#[test]
fn quoted_fields_hold_separators_quotes_and_line_breaks() {
    let d = ok("type,user,model,pin location\n\
         phone,\"Vries, Anna de\",\"Phone \"\"12\"\"\",\"safe,\nblue folder\"\n\
         \"tablet\" ,Shop,\"\",\n");
    assert_eq!(d[0].user.as_deref(), Some("Vries, Anna de"));
    assert_eq!(d[0].model.as_deref(), Some("Phone \"12\""));
    assert_eq!(d[0].pin_location.as_deref(), Some("safe,\nblue folder"));
    assert_eq!(d[1].kind, MobileKind::Tablet);
    assert_eq!(d[1].model, None);
    // A problem after a quoted line break names the right line.
    let p = bad("type,user\n\"phone\",\"a\nb\"\nlaptop,c\n");
    assert_eq!(
        p,
        [
            "mobiles.csv:4:1: type: \"laptop\" is not a phone or tablet (phone, telefoon, smartphone, tablet)"
        ]
    );
}

#[test]
fn a_byte_order_mark_and_windows_1252_are_read() {
    let d = ok("\u{feff}Soort;Gebruiker\nphone;Anna\n");
    assert_eq!(d[0].user.as_deref(), Some("Anna"));
    let bytes = b"\xef\xbb\xbftype,user\nphone,Ren\xc3\xa9e\n";
    assert_eq!(decode(bytes), "type,user\nphone,Renée\n");
    let cp1252 = b"type;user;model\nphone;Ren\xe9e;\x80 Phone \x93X\x94\n";
    let d = ok(&decode(cp1252));
    assert_eq!(d[0].user.as_deref(), Some("Renée"));
    assert_eq!(d[0].model.as_deref(), Some("€ Phone “X”"));
    let all: Vec<u8> = (0x80..=0xff).collect();
    assert_eq!(decode(&all).chars().count(), 128);
}

#[test]
fn bad_columns_are_named() {
    assert_eq!(
        bad("user,model\nAnna,Phone\n"),
        ["mobiles.csv:1:0: no column named \"type\" or \"soort\" (phone or tablet on each row)"]
    );
    assert_eq!(
        bad("type,Serial,serienummer\nphone,A,B\n"),
        ["mobiles.csv:1:3: serienummer: the same column as column 2 (\"Serial\")"]
    );
    assert_eq!(
        bad(""),
        ["mobiles.csv:1:1: empty: the first line must name the columns"]
    );
}

#[test]
fn bad_rows_are_named_by_line_and_column() {
    let p = bad("type;user;imei\n\
         phone;Anna;3,56938E+14\n\
         laptop;Bram;1\n\
         ;Cees;2\n\
         tablet;Dirk;3;extra\n");
    assert_eq!(
        p,
        [
            "mobiles.csv:2:3: imei: \"3,56938E+14\" is a number the spreadsheet rounded: format the column as text and export again",
            "mobiles.csv:3:1: type: \"laptop\" is not a phone or tablet (phone, telefoon, smartphone, tablet)",
            "mobiles.csv:4:1: type: empty: phone or tablet",
            "mobiles.csv:5:4: more fields than the header's 3 columns",
        ]
    );
    assert_eq!(
        bad("type,user\nphone,\"Anna\n"),
        ["mobiles.csv:2:2: the quote that opens this field is never closed"]
    );
    assert_eq!(
        bad("type,user\nphone,\"Anna\"x\n"),
        ["mobiles.csv:2:2: text after a closing quote"]
    );
    assert_eq!(
        bad("type,user\nphone,An\"na\n"),
        [
            "mobiles.csv:2:2: a quote inside a field that does not start with one (quote the whole field and double the quotes inside it)"
        ]
    );
}

fn device(kind: MobileKind, serial: Option<&str>, imei: Option<&str>) -> MobileDevice {
    MobileDevice {
        kind,
        user: None,
        make: None,
        model: Some("site".into()),
        number: None,
        imei: imei.map(str::to_string),
        serial: serial.map(str::to_string),
        mdm: None,
        pin_location: None,
    }
}

#[test]
fn rows_fill_in_listed_devices_by_imei_or_serial_and_the_rest_are_added() {
    let mut listed = vec![device(MobileKind::Phone, Some("MOB-1"), None)];
    let mut same = device(MobileKind::Phone, Some("mob-1"), Some("350000000000011"));
    same.model = Some("csv".into());
    same.user = Some("Anna".into());
    let mut by_imei = device(MobileKind::Tablet, None, Some("350000000000011"));
    by_imei.mdm = Some("Intune".into());
    let other = device(MobileKind::Tablet, Some("TAB-9"), None);
    merge(&mut listed, vec![same, by_imei, other.clone()]);
    assert_eq!(listed.len(), 2, "{listed:#?}");
    let d = &listed[0];
    assert_eq!(d.model.as_deref(), Some("site"), "site.toml wins");
    assert_eq!(d.user.as_deref(), Some("Anna"));
    assert_eq!(d.imei.as_deref(), Some("350000000000011"));
    assert_eq!(d.mdm.as_deref(), Some("Intune"));
    assert_eq!(listed[1], other);
}

#[test]
fn the_site_file_names_the_csv_relative_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.toml");
    let text = "[mobile]\ncsv = \"phones/list.csv\"\n\n[[mobile.devices]]\nkind = \"phone\"\nserial = \"MOB-1\"\n";
    std::fs::write(&site, text).unwrap();
    let e = super::super::site::load(&site).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{}:2:1: mobile.csv: cannot read ", site.display()))
            && e.contains("phones/list.csv"),
        "{e}"
    );
    std::fs::create_dir(dir.path().join("phones")).unwrap();
    let csv = dir.path().join("phones/list.csv");
    std::fs::write(
        &csv,
        "type;serial;imei\nphone;MOB-1;350000000000011\ntablet;TAB-1;\n",
    )
    .unwrap();
    let f = super::super::site::load(&site).unwrap();
    let d = &f.mobile.unwrap().devices;
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].imei.as_deref(), Some("350000000000011"));
    std::fs::write(&csv, "type\nfax\n").unwrap();
    let e = super::super::site::load(&site).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{}:2:1: type: \"fax\" is not a phone or tablet (phone, telefoon, smartphone, tablet)",
            csv.display()
        )
    );
}

#[test]
fn the_examples_load_with_the_csv_line_uncommented() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/examples");
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(examples.join("site.toml")).unwrap();
    let enabled = text.replace("# csv = \"mobiles.csv\"", "csv = \"mobiles.csv\"");
    assert_ne!(text, enabled, "the example shows the csv key");
    std::fs::write(dir.path().join("site.toml"), enabled).unwrap();
    std::fs::copy(examples.join("mobiles.csv"), dir.path().join("mobiles.csv")).unwrap();
    let f = super::super::site::load(&dir.path().join("site.toml")).unwrap();
    let d = f.mobile.unwrap().devices;
    // Two in site.toml, three rows in the CSV of which one is MOB-0001.
    assert_eq!(d.len(), 4, "{d:#?}");
    assert_eq!(d[0].imei.as_deref(), Some("350000000000011"));
    assert_eq!(d[0].pin_location.as_deref(), Some("kluis, map \"SIM\""));
    assert_eq!(d[3].model.as_deref(), Some("Tab 10; wifi"));
}
