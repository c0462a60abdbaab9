//! `census-agent service`: the agent as a Windows service. The service
//! control manager starts the installed binary with `--config PATH service`
//! (`install/windows.rs` registers that command line); [`run`] hands the
//! process to the SCM's dispatcher, whose service thread runs the same loop
//! as `census-agent run` ([`crate::run::run_until`]) until the SCM sends
//! stop or shutdown, then reports the service stopped.
//!
//! A service has no console: logs go to `agent.log` beside the
//! configuration (`%ProgramData%\Census`), started afresh once it passes
//! 1 MiB (the previous one is kept as `agent.old.log`). This file does not
//! install or remove the service; `install/` does.

use crate::config::AgentConfig;
use crate::transport::Transport;
use anyhow::{Context, Result};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use windows_service::service::{
    ServiceControl, ServiceControlAccept, ServiceExitCode, ServiceState, ServiceStatus, ServiceType,
};
use windows_service::service_control_handler::{self, ServiceControlHandlerResult};
use windows_service::{define_windows_service, service_dispatcher};

/// The service's name in the SCM.
pub const NAME: &str = crate::install::windows::SERVICE;

/// The configuration the service thread loads (set before dispatching).
static CONFIG: OnceLock<PathBuf> = OnceLock::new();

define_windows_service!(ffi_service_main, service_main);

/// Open the service's log file beside the configuration, starting a new
/// one when the old one passed 1 MiB.
pub fn log_file(config: &Path) -> std::io::Result<std::fs::File> {
    let dir = config.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let log = dir.join("agent.log");
    if std::fs::metadata(&log).is_ok_and(|m| m.len() > 1 << 20) {
        let _ = std::fs::rename(&log, dir.join("agent.old.log"));
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
}

/// Hand this process to the service control manager. Returns when the
/// service has stopped; fails at once when the process was not started by
/// the SCM (run from a console, it is `census-agent run` that is wanted).
pub fn run(config: PathBuf) -> Result<()> {
    let _ = CONFIG.set(config);
    service_dispatcher::start(NAME, ffi_service_main).context(
        "connecting to the service control manager (`census-agent service` is started by \
         Windows as the census-agent service; from a console use `census-agent run`)",
    )
}

fn service_main(_arguments: Vec<OsString>) {
    if let Err(e) = serve() {
        tracing::error!("the service stopped: {e:#}");
    }
}

fn status(state: ServiceState, exit: u32, wait: Duration) -> ServiceStatus {
    ServiceStatus {
        service_type: ServiceType::OWN_PROCESS,
        current_state: state,
        controls_accepted: if state == ServiceState::Running {
            ServiceControlAccept::STOP | ServiceControlAccept::SHUTDOWN
        } else {
            ServiceControlAccept::empty()
        },
        exit_code: ServiceExitCode::Win32(exit),
        checkpoint: 0,
        wait_hint: wait,
        process_id: None,
    }
}

/// Register the control handler, say "running", run the loop until stop or
/// shutdown, say "stopped". A configuration that cannot be used stops the
/// service with an error exit code, so the SCM's failure actions apply.
fn serve() -> Result<()> {
    let stop = Arc::new(tokio::sync::Notify::new());
    let on_control = stop.clone();
    let handle = service_control_handler::register(NAME, move |control| match control {
        ServiceControl::Stop | ServiceControl::Shutdown | ServiceControl::Preshutdown => {
            // A stored permit: a stop before the loop waits is not lost.
            on_control.notify_one();
            ServiceControlHandlerResult::NoError
        }
        ServiceControl::Interrogate => ServiceControlHandlerResult::NoError,
        _ => ServiceControlHandlerResult::NotImplemented,
    })
    .context("registering the service control handler")?;
    handle.set_service_status(status(ServiceState::Running, 0, Duration::ZERO))?;
    tracing::info!("census-agent {} started as a service", crate::VERSION);

    let outcome = (|| -> Result<()> {
        let path = CONFIG
            .get()
            .cloned()
            .unwrap_or_else(crate::config::default_config_path);
        let cfg = AgentConfig::load(&path)?;
        let pin = census_shared::pin::parse_fingerprint(&cfg.fingerprint).expect("checked by load");
        let transport = Transport::new(&cfg.collector, pin)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the async runtime")?;
        rt.block_on(crate::run::run_until(&cfg, &transport, stop.notified()));
        // A collection still running on a blocking thread is not waited for.
        rt.shutdown_timeout(Duration::from_secs(5));
        Ok(())
    })();
    let exit = match &outcome {
        Ok(()) => 0,
        Err(e) => {
            tracing::error!("{e:#}");
            // ERROR_SERVICE_SPECIFIC_ERROR-like: any non-zero Win32 code.
            1
        }
    };
    tracing::info!("service stopped");
    handle.set_service_status(status(ServiceState::Stopped, exit, Duration::ZERO))?;
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_starts_afresh_past_a_mebibyte_keeping_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("Census").join("agent.toml");
        use std::io::Write;
        log_file(&config).unwrap().write_all(b"first\n").unwrap();
        log_file(&config).unwrap().write_all(b"second\n").unwrap();
        let log = dir.path().join("Census").join("agent.log");
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "first\nsecond\n");
        std::fs::write(&log, vec![b'x'; (1 << 20) + 1]).unwrap();
        log_file(&config).unwrap().write_all(b"fresh\n").unwrap();
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "fresh\n");
        let old = dir.path().join("Census").join("agent.old.log");
        assert_eq!(std::fs::metadata(old).unwrap().len(), (1 << 20) + 1);
    }
}
