//! The thread-with-timeout runner every WMI query goes through
//! (`wmi_windows.rs`): a hung provider costs one detached thread, never the
//! collection. Portable, so its behaviour (timeout without waiting, a
//! panic as an error) is unit-tested on every OS; it knows nothing of WMI.

/// Why [`on_own_thread`] gave no answer.
#[derive(Debug, PartialEq, Eq)]
pub enum ThreadError {
    /// No answer within the timeout; the thread is left running, detached.
    Timeout,
    /// The thread could not start or ended (panicked) without an answer.
    NoAnswer,
}

/// Run `work` on a new thread and wait at most `timeout` for its answer.
/// This is how every WMI query runs (`wmi_windows.rs`): a hung provider
/// costs one detached thread, never the collection.
pub fn on_own_thread<T: Send + 'static>(
    name: &str,
    timeout: std::time::Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ThreadError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let _ = tx.send(work());
        })
        .map_err(|_| ThreadError::NoAnswer)?;
    rx.recv_timeout(timeout).map_err(|e| match e {
        std::sync::mpsc::RecvTimeoutError::Timeout => ThreadError::Timeout,
        std::sync::mpsc::RecvTimeoutError::Disconnected => ThreadError::NoAnswer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hung_query_times_out_and_a_quick_one_answers() {
        use std::time::{Duration, Instant};
        let t = Instant::now();
        let hung = on_own_thread("test-hung", Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(30));
            1
        });
        assert_eq!(hung, Err(ThreadError::Timeout));
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "the caller did not wait for the hang"
        );
        assert_eq!(
            on_own_thread("test-quick", Duration::from_secs(5), || 7),
            Ok(7)
        );
        let panicked = on_own_thread("test-panic", Duration::from_secs(5), || -> u8 {
            panic!("provider crashed")
        });
        assert_eq!(panicked, Err(ThreadError::NoAnswer));
    }
}
