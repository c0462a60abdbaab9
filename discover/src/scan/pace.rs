//! Pacing shared by every probe of a scan, TCP and UDP alike: a rate gate
//! that spaces sends `1/rate` apart over the whole scan, and a semaphore
//! bounding how many probes are in flight. It does not send anything itself.

use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Spaces sends `1/rate` apart.
pub struct RateGate {
    next: tokio::sync::Mutex<tokio::time::Instant>,
    gap: Duration,
}

impl RateGate {
    /// A gate letting `rate` sends per second through (at least one).
    pub fn new(rate: u32) -> RateGate {
        RateGate {
            next: tokio::sync::Mutex::new(tokio::time::Instant::now()),
            gap: Duration::from_secs_f64(1.0 / rate.max(1) as f64),
        }
    }

    /// Wait for this send's turn.
    pub async fn wait(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(tokio::time::Instant::now());
            *next = at + self.gap;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// The rate gate and the in-flight bound of one scan.
pub struct Pace {
    pub gate: RateGate,
    slots: Semaphore,
}

impl Pace {
    pub fn new(rate: u32, concurrency: usize) -> Pace {
        Pace {
            gate: RateGate::new(rate),
            slots: Semaphore::new(concurrency.max(1)),
        }
    }

    /// A slot for one probe, then its turn at the gate: hold the permit
    /// until the probe's answer (or timeout) is in.
    pub async fn turn(&self) -> SemaphorePermit<'_> {
        let slot = self.slots.acquire().await.expect("never closed");
        self.gate.wait().await;
        slot
    }
}
