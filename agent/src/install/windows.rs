//! The agent as a Windows service: the `sc.exe` commands that will create
//! it once the agent speaks the service control protocol (issue 9). Only
//! the command lines are generated and tested today; nothing runs them.

/// The service name.
pub const SERVICE: &str = "census-agent";

/// Quote one argument for a Windows command line (the rules
/// `CommandLineToArgvW` undoes): backslashes before a quote are doubled.
pub fn quote(arg: &str) -> String {
    if !arg.is_empty() && !arg.contains([' ', '\t', '"']) {
        return arg.to_string();
    }
    let mut out = String::from("\"");
    let mut backslashes = 0;
    for c in arg.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                out.push_str(&"\\".repeat(backslashes * 2 + 1));
                out.push('"');
                backslashes = 0;
            }
            _ => {
                out.push_str(&"\\".repeat(backslashes));
                out.push(c);
                backslashes = 0;
            }
        }
    }
    out.push_str(&"\\".repeat(backslashes * 2));
    out.push('"');
    out
}

/// `sc.exe` argument lists, in order: create the service (automatic,
/// delayed start, LocalSystem), describe it, restart it after failures.
pub fn sc_commands(binary: &str, config: &str) -> Vec<Vec<String>> {
    let bin_path = format!("{} --config {} run", quote(binary), quote(config));
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        s(&[
            "create",
            SERVICE,
            "binPath=",
            &bin_path,
            "start=",
            "delayed-auto",
            "obj=",
            "LocalSystem",
            "DisplayName=",
            "Census agent",
        ]),
        s(&[
            "description",
            SERVICE,
            "Inventories this PC for the Census IT recovery plan",
        ]),
        s(&[
            "failure",
            SERVICE,
            "reset=",
            "86400",
            "actions=",
            "restart/60000/restart/60000/restart/300000",
        ]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_spaces_are_quoted_in_bin_path() {
        let cmds = sc_commands(
            r"C:\Program Files\Census\census-agent.exe",
            r"C:\ProgramData\Census\agent.toml",
        );
        assert_eq!(cmds.len(), 3);
        assert_eq!(
            cmds[0][3],
            r#""C:\Program Files\Census\census-agent.exe" --config C:\ProgramData\Census\agent.toml run"#
        );
        assert_eq!(quote(r#"a "b""#), r#""a \"b\"""#);
        assert_eq!(quote(r"C:\dir with space\"), r#""C:\dir with space\\""#);
        assert_eq!(quote(""), "\"\"");
    }
}
