//! Carrying out the Windows install steps ([`WinStep`]): the service control
//! manager through the `windows-service` crate (create or update, start,
//! stop, delete; failure actions), and ACLs through the Win32 security API
//! (an SDDL string turned into a protected DACL). Windows only; building
//! and printing the steps is `windows.rs`'s, choosing them
//! `windows_install.rs`'s.

use super::windows::{
    DESCRIPTION, DIR_SDDL, DISPLAY_NAME, FAILURE_RESET_SECS, FILE_SDDL, RESTART_DELAYS_SECS,
    SERVICE, WinStep, service_args,
};
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};
use windows::Win32::Foundation::{HLOCAL, LocalFree};
use windows::Win32::Security::Authorization::{
    ConvertSecurityDescriptorToStringSecurityDescriptorW,
    ConvertStringSecurityDescriptorToSecurityDescriptorW, GetNamedSecurityInfoW, SE_FILE_OBJECT,
    SetNamedSecurityInfoW,
};
use windows::Win32::Security::{
    ACL, DACL_SECURITY_INFORMATION, GetSecurityDescriptorDacl, PROTECTED_DACL_SECURITY_INFORMATION,
    PSECURITY_DESCRIPTOR,
};
use windows::core::{BOOL, HSTRING, PWSTR};
use windows_service::service::{
    ServiceAccess, ServiceAction, ServiceActionType, ServiceErrorControl, ServiceFailureActions,
    ServiceFailureResetPeriod, ServiceInfo, ServiceStartType, ServiceState, ServiceType,
};
use windows_service::service_manager::{ServiceManager, ServiceManagerAccess};

/// A `windows-service` error as an I/O error, with a hint when it is a
/// missing right.
fn ws(e: windows_service::Error) -> io::Error {
    match e {
        windows_service::Error::Winapi(e) if e.raw_os_error() == Some(5) => io::Error::new(
            e.kind(),
            format!("{e}: run it from an elevated prompt (Run as administrator)"),
        ),
        windows_service::Error::Winapi(e) => e,
        other => io::Error::other(other.to_string()),
    }
}

fn manager(access: ServiceManagerAccess) -> io::Result<ServiceManager> {
    ServiceManager::local_computer(None::<&str>, access).map_err(ws)
}

/// The service control manager lets this process create services.
pub fn check_admin() -> io::Result<()> {
    manager(ServiceManagerAccess::CONNECT | ServiceManagerAccess::CREATE_SERVICE).map(|_| ())
}

/// The service is registered.
pub fn service_exists() -> bool {
    manager(ServiceManagerAccess::CONNECT)
        .and_then(|m| {
            m.open_service(SERVICE, ServiceAccess::QUERY_STATUS)
                .map_err(ws)
        })
        .is_ok()
}

/// Carry out one step.
pub fn carry_out(step: &WinStep) -> io::Result<()> {
    match step {
        WinStep::Protect { path, dir } => protect(path, if *dir { DIR_SDDL } else { FILE_SDDL }),
        WinStep::Register { binary, config } => register(binary, config),
        WinStep::Start => start(),
        WinStep::Stop => stop(),
        WinStep::Delete => {
            let m = manager(ServiceManagerAccess::CONNECT)?;
            match m.open_service(SERVICE, ServiceAccess::DELETE) {
                Ok(s) => s.delete().map_err(ws),
                Err(_) => Ok(()), // already gone
            }
        }
    }
}

fn register(binary: &str, config: &str) -> io::Result<()> {
    let info = ServiceInfo {
        name: SERVICE.into(),
        display_name: DISPLAY_NAME.into(),
        service_type: ServiceType::OWN_PROCESS,
        start_type: ServiceStartType::AutoStart,
        error_control: ServiceErrorControl::Normal,
        executable_path: binary.into(),
        launch_arguments: service_args(config)
            .into_iter()
            .map(OsString::from)
            .collect(),
        dependencies: vec![],
        account_name: None, // LocalSystem
        account_password: None,
    };
    let m = manager(ServiceManagerAccess::CONNECT | ServiceManagerAccess::CREATE_SERVICE)?;
    let access = ServiceAccess::CHANGE_CONFIG | ServiceAccess::QUERY_CONFIG;
    let service = match m.open_service(SERVICE, access) {
        Ok(s) => {
            s.change_config(&info).map_err(ws)?;
            s
        }
        Err(_) => m.create_service(&info, access).map_err(ws)?,
    };
    service.set_description(DESCRIPTION).map_err(ws)?;
    let actions = RESTART_DELAYS_SECS
        .iter()
        .map(|&s| ServiceAction {
            action_type: ServiceActionType::Restart,
            delay: Duration::from_secs(s),
        })
        .collect();
    optional(
        "restart on failure",
        service.update_failure_actions(ServiceFailureActions {
            reset_period: ServiceFailureResetPeriod::After(Duration::from_secs(FAILURE_RESET_SECS)),
            reboot_msg: None,
            command: None,
            actions: Some(actions),
        }),
    )?;
    // A service that stops with an error exit code (an unusable
    // configuration) is restarted too, not only one that crashes.
    optional(
        "restart after an error exit",
        service.set_failure_actions_on_non_crash_failures(true),
    )?;
    // Delayed: the agent need not compete with logon for the disk.
    optional("delayed start", service.set_delayed_auto_start(true))
}

/// A setting the service manager may not know (`ERROR_INVALID_LEVEL`):
/// every Windows since Vista does, wine's does not. Said, not fatal.
fn optional(what: &str, r: windows_service::Result<()>) -> io::Result<()> {
    match r {
        Err(windows_service::Error::Winapi(e)) if e.raw_os_error() == Some(124) => {
            tracing::warn!("{what}: this service manager does not support the setting ({e})");
            Ok(())
        }
        other => other.map_err(ws),
    }
}

fn wait_for(
    service: &windows_service::service::Service,
    want: ServiceState,
    limit: Duration,
) -> io::Result<ServiceState> {
    let start = Instant::now();
    loop {
        let state = service.query_status().map_err(ws)?.current_state;
        if state == want || start.elapsed() > limit {
            return Ok(state);
        }
        if want == ServiceState::Running && state == ServiceState::Stopped {
            return Ok(state);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn start() -> io::Result<()> {
    let m = manager(ServiceManagerAccess::CONNECT)?;
    // wine's service manager sometimes answers "does not exist" (1060) to
    // the first opening of a service it has just created; a moment later
    // the same call works. Windows never does; there it costs nothing.
    let mut tries = 0;
    let s = loop {
        match m.open_service(SERVICE, ServiceAccess::START | ServiceAccess::QUERY_STATUS) {
            Err(windows_service::Error::Winapi(e))
                if e.raw_os_error() == Some(1060) && tries < 10 =>
            {
                tries += 1;
                std::thread::sleep(Duration::from_secs(1));
            }
            other => break other.map_err(ws)?,
        }
    };
    if s.query_status().map_err(ws)?.current_state != ServiceState::Running {
        s.start(&[] as &[&OsStr]).map_err(ws)?;
    }
    match wait_for(&s, ServiceState::Running, Duration::from_secs(20))? {
        ServiceState::Running => Ok(()),
        other => Err(io::Error::other(format!(
            "the service is {other:?} instead of running: see agent.log in %ProgramData%\\Census \
             and the System event log"
        ))),
    }
}

fn stop() -> io::Result<()> {
    let m = manager(ServiceManagerAccess::CONNECT)?;
    let Ok(s) = m.open_service(SERVICE, ServiceAccess::STOP | ServiceAccess::QUERY_STATUS) else {
        return Ok(());
    };
    let status = s.query_status().map_err(ws)?;
    if status.current_state == ServiceState::Stopped {
        return Ok(());
    }
    let _ = s.stop();
    if wait_for(&s, ServiceState::Stopped, Duration::from_secs(30))? != ServiceState::Stopped {
        return Err(io::Error::other("the service did not stop within 30 s"));
    }
    // The process reports "stopped" just before it exits; give it a moment
    // to let go of its binary, which install replaces and uninstall removes.
    std::thread::sleep(Duration::from_secs(2));
    Ok(())
}

/// Replace `path`'s DACL with the one in `sddl`, protected from inheritance.
pub fn protect(path: &Path, sddl: &str) -> io::Result<()> {
    let mut sd = PSECURITY_DESCRIPTOR::default();
    // SAFETY: the SDDL string outlives the call; `sd` is freed below.
    unsafe {
        ConvertStringSecurityDescriptorToSecurityDescriptorW(&HSTRING::from(sddl), 1, &mut sd, None)
    }
    .map_err(|e| io::Error::other(format!("SDDL {sddl}: {e}")))?;
    let result = (|| {
        let (mut present, mut defaulted) = (BOOL(0), BOOL(0));
        let mut dacl: *mut ACL = std::ptr::null_mut();
        // SAFETY: `sd` is a valid descriptor; `dacl` points into it.
        unsafe { GetSecurityDescriptorDacl(sd, &mut present, &mut dacl, &mut defaulted) }
            .map_err(io::Error::other)?;
        // SAFETY: `dacl` is valid while `sd` is.
        let err = unsafe {
            SetNamedSecurityInfoW(
                &HSTRING::from(path.as_os_str()),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                None,
                None,
                Some(dacl),
                None,
            )
        };
        if err.0 != 0 {
            return Err(io::Error::from_raw_os_error(err.0 as i32));
        }
        Ok(())
    })();
    // SAFETY: allocated by ConvertStringSecurityDescriptorToSecurityDescriptorW.
    unsafe { LocalFree(Some(HLOCAL(sd.0))) };
    result
}

/// Limit a configuration file's directory (created if missing) and the
/// file, if it exists, to SYSTEM and Administrators, as `install` does;
/// `enroll` calls it before writing (the file inherits) and after.
pub fn protect_private(config: &Path) -> io::Result<()> {
    if let Some(dir) = config.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
        protect(dir, DIR_SDDL)?;
    }
    if config.exists() {
        protect(config, FILE_SDDL)?;
    }
    Ok(())
}

/// `path`'s DACL as SDDL (what tests compare with [`DIR_SDDL`]).
pub fn dacl_sddl(path: &Path) -> io::Result<String> {
    let mut sd = PSECURITY_DESCRIPTOR::default();
    // SAFETY: out-pointers to locals; `sd` is freed below.
    let err = unsafe {
        GetNamedSecurityInfoW(
            &HSTRING::from(path.as_os_str()),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            None,
            None,
            None,
            None,
            &mut sd,
        )
    };
    if err.0 != 0 {
        return Err(io::Error::from_raw_os_error(err.0 as i32));
    }
    let mut text = PWSTR::null();
    // SAFETY: `sd` is valid; `text` is freed below.
    let r = unsafe {
        ConvertSecurityDescriptorToStringSecurityDescriptorW(
            sd,
            1,
            DACL_SECURITY_INFORMATION,
            &mut text,
            None,
        )
    };
    let out = r
        .map_err(io::Error::other)
        // SAFETY: a NUL-terminated string from the call above.
        .and_then(|()| unsafe { text.to_string() }.map_err(io::Error::other));
    // SAFETY: both were allocated by the calls above.
    unsafe {
        LocalFree(Some(HLOCAL(text.0 as _)));
        LocalFree(Some(HLOCAL(sd.0)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_protected_directory_allows_system_and_administrators_only() {
        let dir = tempfile::tempdir().unwrap();
        protect(dir.path(), DIR_SDDL).unwrap();
        // wine accepts the new DACL but reads back one made from the Unix
        // mode; only Windows itself can show what was set.
        let wine = winreg::RegKey::predef(winreg::enums::HKEY_CURRENT_USER)
            .open_subkey("Software\\Wine")
            .is_ok();
        if wine {
            protect(&dir.path().join("."), FILE_SDDL).unwrap();
            return;
        }
        let sddl = dacl_sddl(dir.path()).unwrap();
        assert!(sddl.starts_with("D:P"), "{sddl}");
        assert!(sddl.contains(";;;SY)") && sddl.contains(";;;BA)"), "{sddl}");
        assert!(
            !sddl.contains(";;;BU)") && !sddl.contains(";;;WD)"),
            "{sddl}"
        );
        // A file created inside inherits the same two entries.
        let f = dir.path().join("agent.toml");
        std::fs::write(&f, "x").unwrap();
        protect(&f, FILE_SDDL).unwrap();
        let sddl = dacl_sddl(&f).unwrap();
        assert!(sddl.starts_with("D:P") && sddl.contains(";;;SY)"), "{sddl}");
    }
}
