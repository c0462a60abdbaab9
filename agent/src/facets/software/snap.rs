//! Snaps (Ubuntu): `/snap/<name>/current/meta/snap.yaml`. Only the
//! top-level `name:` and `version:` keys are read, by line, so no YAML
//! parser is needed.

/// `(name, version)` from a `snap.yaml`.
pub fn parse_snap_yaml(text: &str) -> (Option<String>, Option<String>) {
    let mut name = None;
    let mut version = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim().trim_matches(['\'', '"']).to_string();
        match k {
            "name" if name.is_none() => name = Some(v),
            "version" if version.is_none() => version = Some(v),
            _ => {}
        }
    }
    (name, version)
}

#[cfg(test)]
mod tests {
    #[test]
    fn snap_yaml() {
        let (n, v) = super::parse_snap_yaml(
            "name: firefox\nversion: '126.0-2'\nsummary: x\napps:\n  firefox:\n    name: nope\n",
        );
        assert_eq!(n.as_deref(), Some("firefox"));
        assert_eq!(v.as_deref(), Some("126.0-2"));
    }
}
