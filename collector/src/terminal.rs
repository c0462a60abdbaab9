//! Secrets asked on the controlling terminal (`/dev/tty`) with echo off:
//! export passphrases and administrator passwords. Never from a flag, so
//! they stay out of shell history and `ps`; automation uses the
//! environment variable each caller names instead.

use anyhow::{Context, Result, bail};

/// Read one line from the controlling terminal without echo. `env` names
/// the variable that can give the secret instead, for the error messages.
#[cfg(unix)]
pub fn ask_secret(prompt: &str, env: &str) -> Result<String> {
    use std::io::{BufRead, Write};
    use std::os::fd::AsRawFd;
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .with_context(|| format!("no terminal to ask on: set {env}"))?;
    let fd = tty.as_raw_fd();
    // SAFETY: termios calls on a file descriptor we own, with a zeroed
    // struct that tcgetattr fills before it is read.
    let saved = unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            bail!("cannot read the terminal settings: set {env}");
        }
        let saved = t;
        t.c_lflag &= !libc::ECHO;
        t.c_lflag |= libc::ECHONL;
        libc::tcsetattr(fd, libc::TCSANOW, &t);
        saved
    };
    let mut w = &tty;
    let _ = w.write_all(prompt.as_bytes());
    let _ = w.flush();
    let mut line = String::new();
    let read = std::io::BufReader::new(&tty).read_line(&mut line);
    // SAFETY: restores the settings read above on the same descriptor.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
    read.context("reading from the terminal")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Without a Unix terminal, secrets come from the environment only.
#[cfg(not(unix))]
pub fn ask_secret(_prompt: &str, env: &str) -> Result<String> {
    bail!("set {env} to give it")
}
