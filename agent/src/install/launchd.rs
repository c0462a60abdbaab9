//! The agent as a macOS launchd daemon: the property list `install`
//! writes to `/Library/LaunchDaemons` (see `macos.rs`), as text.

/// The daemon's label (and the plist's file name without `.plist`).
pub const LABEL: &str = "org.census.agent";
/// Where the plist goes.
pub const PLIST_PATH: &str = "/Library/LaunchDaemons/org.census.agent.plist";

/// Escape text for an XML element.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// A plist that runs `binary --config config run` at boot as root, restarts
/// it when it fails, at background priority, logging to `log`.
pub fn plist(binary: &str, config: &str, log: &str) -> String {
    let mut lines = vec![
        r#"<?xml version="1.0" encoding="UTF-8"?>"#.to_string(),
        r#"<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">"#.into(),
        r#"<plist version="1.0">"#.into(),
        "<dict>".into(),
        "    <key>Label</key>".into(),
        format!("    <string>{LABEL}</string>"),
        "    <key>ProgramArguments</key>".into(),
        "    <array>".into(),
    ];
    for a in [binary, "--config", config, "run"] {
        lines.push(format!("        <string>{}</string>", xml(a)));
    }
    for l in [
        "    </array>",
        "    <key>RunAtLoad</key>",
        "    <true/>",
        "    <key>KeepAlive</key>",
        "    <dict>",
        "        <key>SuccessfulExit</key>",
        "        <false/>",
        "    </dict>",
        "    <key>ThrottleInterval</key>",
        "    <integer>30</integer>",
        "    <key>ProcessType</key>",
        "    <string>Background</string>",
        "    <key>LowPriorityIO</key>",
        "    <true/>",
        "    <key>StandardOutPath</key>",
    ] {
        lines.push(l.into());
    }
    lines.push(format!("    <string>{}</string>", xml(log)));
    lines.push("    <key>StandardErrorPath</key>".into());
    lines.push(format!("    <string>{}</string>", xml(log)));
    lines.push("</dict>".into());
    lines.push("</plist>".into());
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plist_names_the_program_and_escapes_paths() {
        let p = plist(
            "/usr/local/bin/census-agent",
            "/Library/Application Support/Census & Co/agent.toml",
            "/Library/Logs/Census/agent.log",
        );
        assert!(p.contains("<string>org.census.agent</string>"));
        assert!(p.contains("<string>/usr/local/bin/census-agent</string>"));
        assert!(p.contains("Census &amp; Co/agent.toml</string>"));
        assert!(p.contains("<key>RunAtLoad</key>\n    <true/>"));
        assert_eq!(p.matches("<dict>").count(), p.matches("</dict>").count());
        assert_eq!(p.matches("<array>").count(), 1);
    }
}
