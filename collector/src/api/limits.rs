//! A token-bucket rate limiter keyed by agent id or client address. Each
//! key may burst up to its per-minute allowance and refills continuously.
//! The table is bounded: when it grows past [`MAX_KEYS`], keys whose bucket
//! is full again (idle clients) are forgotten.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys remembered at once.
pub const MAX_KEYS: usize = 100_000;

/// Per-key request allowance.
pub struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// `n` requests per minute per key (at least 1).
    pub fn per_minute(n: u32) -> RateLimiter {
        RateLimiter {
            per_minute: n.max(1) as f64,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Take one request for `key`; `Err(wait)` when over the allowance.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let rate = self.per_minute / 60.0;
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if b.len() >= MAX_KEYS {
            let cap = self.per_minute;
            b.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < cap
            });
        }
        let (tokens, at) = b.entry(key.to_string()).or_insert((self.per_minute, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(self.per_minute);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / rate))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn burst_then_refuse_per_key() {
        let l = super::RateLimiter::per_minute(3);
        for _ in 0..3 {
            assert!(l.check("a").is_ok());
        }
        let wait = l.check("a").unwrap_err();
        assert!(
            wait.as_secs_f64() > 15.0 && wait.as_secs_f64() <= 20.0,
            "{wait:?}"
        );
        assert!(l.check("b").is_ok());
    }
}
