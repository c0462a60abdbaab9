//! Flatpak applications installed system-wide (`/var/lib/flatpak/app`).
//! The id is the directory name; version and developer come from the
//! application's AppStream metainfo, read with a few string searches rather
//! than an XML parser (the agent only needs two values).

/// `(version, developer)` from an AppStream metainfo document: the first
/// `<release version="…">` (releases are listed newest first) and
/// `<developer_name>` or `<developer><name>`.
pub fn parse_metainfo(xml: &str) -> (Option<String>, Option<String>) {
    let version = xml.find("<release ").and_then(|i| {
        let tag = &xml[i..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        attr(tag, "version")
    });
    let developer = element(xml, "developer_name").or_else(|| {
        let i = xml.find("<developer")?;
        element(&xml[i..], "name")
    });
    (version, developer)
}

fn attr(tag: &str, name: &str) -> Option<String> {
    for q in ['"', '\''] {
        let pat = format!("{name}={q}");
        if let Some(i) = tag.find(&pat) {
            let rest = &tag[i + pat.len()..];
            return rest
                .find(q)
                .map(|j| census_shared::text::decode_entities(&rest[..j]));
        }
    }
    None
}

fn element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}");
    let i = xml.find(&open)?;
    let rest = &xml[i + open.len()..];
    // Skip attributes (e.g. xml:lang), and reject longer names (<name_x>).
    if !rest.starts_with(['>', ' ']) {
        return None;
    }
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')? + start;
    let v = census_shared::text::decode_entities(rest[start..end].trim());
    (!v.is_empty()).then_some(v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn metainfo() {
        let x = r#"<?xml version="1.0"?><component type="desktop-application"><id>org.libreoffice.LibreOffice</id><developer id="org.libreoffice"><name>The Document Foundation</name></developer><releases><release version="24.2.3.2" date="2024-05-01"/><release version="24.2.2.2"/></releases></component>"#;
        let (v, d) = super::parse_metainfo(x);
        assert_eq!(v.as_deref(), Some("24.2.3.2"));
        assert_eq!(d.as_deref(), Some("The Document Foundation"));
        let (v, d) = super::parse_metainfo(
            "<component><developer_name>GIMP &amp; co</developer_name><release date='x' version='2.10.36'></release></component>",
        );
        assert_eq!(v.as_deref(), Some("2.10.36"));
        assert_eq!(d.as_deref(), Some("GIMP & co"));
        assert_eq!(super::parse_metainfo("<release"), (None, None));
    }
}
