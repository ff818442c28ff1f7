//! A rate limit per client address, kept in memory: at most `per_minute` actions in any
//! minute (a sliding window of one-minute buckets). Used for registration, where a
//! database-backed throttle would cost a write per request; each server process counts
//! its own requests, so with several processes the limit applies per process.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Addresses remembered at most; the oldest minute's are forgotten first when full.
const MAX_ADDRESSES: usize = 100_000;

#[derive(Debug, Default)]
pub struct RateLimit {
    per_minute: AtomicU32,
    /// Address → (minute, count in that minute, count in the minute before).
    seen: Mutex<HashMap<String, (i64, u32, u32)>>,
}

impl RateLimit {
    /// At most `per_minute` actions a minute per address; 0 turns the limit off.
    pub fn new(per_minute: u32) -> RateLimit {
        RateLimit {
            per_minute: AtomicU32::new(per_minute),
            seen: Mutex::new(HashMap::new()),
        }
    }

    pub fn per_minute(&self) -> u32 {
        self.per_minute.load(Ordering::Relaxed)
    }

    /// Changes the limit (0: off).
    pub fn set_per_minute(&self, per_minute: u32) {
        self.per_minute.store(per_minute, Ordering::Relaxed);
    }

    /// Counts one action of `address` at `now`; `Err(retry_after)` when it is over the
    /// limit (then it does not count). Requests without an address are not limited.
    pub fn check(&self, address: Option<&str>, now: DateTime<Utc>) -> Result<(), Duration> {
        let per_minute = self.per_minute();
        let Some(address) = address.filter(|_| per_minute > 0) else {
            return Ok(());
        };
        let minute = now.timestamp().div_euclid(60);
        let into_minute = now.timestamp().rem_euclid(60) as f64 / 60.0;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= MAX_ADDRESSES && !seen.contains_key(address) {
            seen.retain(|_, (m, _, _)| *m >= minute - 1);
            if seen.len() >= MAX_ADDRESSES {
                // Still full of live addresses: forget them all rather than grow.
                seen.clear();
            }
        }
        let entry = seen.entry(address.to_owned()).or_insert((minute, 0, 0));
        match minute - entry.0 {
            0 => {}
            1 => *entry = (minute, 0, entry.1),
            _ => *entry = (minute, 0, 0),
        }
        // The previous minute counts for the part of it still inside the window.
        let estimate = entry.1 as f64 + entry.2 as f64 * (1.0 - into_minute);
        if estimate + 1.0 > per_minute as f64 {
            let wait = (60 - now.timestamp().rem_euclid(60)).max(1) as u64;
            return Err(Duration::from_secs(wait));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(second: i64) -> DateTime<Utc> {
        // 1,800,000,000 s is a whole minute (divisible by 60).
        Utc.timestamp_opt(1_800_000_000 + second, 0)
            .single()
            .expect("instant")
    }

    #[test]
    fn the_limit_holds_per_address_and_frees_with_time() {
        let limit = RateLimit::new(3);
        for _ in 0..3 {
            assert!(limit.check(Some("192.0.2.1"), at(5)).is_ok());
        }
        let wait = limit.check(Some("192.0.2.1"), at(6)).expect_err("over");
        assert_eq!(wait, Duration::from_secs(54));
        // Another address is not affected; no address is never limited.
        assert!(limit.check(Some("192.0.2.2"), at(6)).is_ok());
        assert!(limit.check(None, at(6)).is_ok());
        // Half-way through the next minute half of the earlier ones still count.
        assert!(limit.check(Some("192.0.2.1"), at(61)).is_err());
        assert!(limit.check(Some("192.0.2.1"), at(100)).is_ok());
        // Two minutes later everything is forgotten.
        for _ in 0..3 {
            assert!(limit.check(Some("192.0.2.1"), at(240)).is_ok());
        }
    }

    #[test]
    fn zero_turns_it_off() {
        let limit = RateLimit::new(0);
        for _ in 0..1000 {
            assert!(limit.check(Some("192.0.2.1"), at(0)).is_ok());
        }
    }
}
