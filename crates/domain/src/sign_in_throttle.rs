//! When a sign-in attempt may be made, given the failures before it.
//!
//! Three bounds, so that guessing is slow but nobody can lock another person out:
//! - per account *and* client address: a few failures in a short window (someone who
//!   mistypes their own password waits a quarter of an hour at most);
//! - per client address, whatever the account: more, for offices and conference
//!   venues behind one address;
//! - per account from anywhere: only after many failures, and then an exponential
//!   back-off (1 minute, 2, 4, … up to a day) rather than a fixed lock, so that an
//!   attacker spread over many addresses gains a handful of guesses a day while the
//!   owner's own sign-ins are held up for minutes, not for good.
//!
//! Every failure counted here was reserved before its password was checked (see the
//! store's `throttle`), so simultaneous attempts cannot slip past a bound together.

use chrono::{DateTime, Duration, Utc};

/// A bound on the failures in a sliding window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowLimit {
    pub failures: usize,
    pub window: Duration,
}

/// The sign-in policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// One account from one address.
    pub pair: WindowLimit,
    /// One address, any account.
    pub address: WindowLimit,
    /// Failures of one account (from anywhere, since its last success, within
    /// `account_window`) allowed before the back-off starts.
    pub account_free_failures: usize,
    pub account_window: Duration,
    /// The first back-off; each further failure doubles it, up to `backoff_cap`.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
}

pub const POLICY: Policy = Policy {
    pair: WindowLimit {
        failures: 5,
        window: Duration::minutes(15),
    },
    address: WindowLimit {
        failures: 30,
        window: Duration::minutes(15),
    },
    account_free_failures: 20,
    account_window: Duration::hours(24),
    backoff_base: Duration::minutes(1),
    backoff_cap: Duration::hours(24),
};

/// Failed attempts, each list newest first and holding at least the ones the policy
/// looks at (see [`Policy::lookback`]).
#[derive(Debug, Clone, Default)]
pub struct Failures {
    pub pair: Vec<DateTime<Utc>>,
    pub address: Vec<DateTime<Utc>>,
    pub account: Vec<DateTime<Utc>>,
}

impl Policy {
    /// How many failures of each kind to read: enough to decide every bound (the
    /// account's back-off reaches its cap after a few dozen).
    pub fn lookback(&self) -> (usize, usize, usize) {
        let doublings = self.backoff_doublings_to_cap();
        (
            self.pair.failures,
            self.address.failures,
            self.account_free_failures + doublings as usize + 1,
        )
    }

    fn backoff_doublings_to_cap(&self) -> u32 {
        let (base, cap) = (
            self.backoff_base.num_seconds().max(1),
            self.backoff_cap.num_seconds(),
        );
        let mut n = 0;
        while base.saturating_mul(1_i64 << n.min(62)) < cap && n < 62 {
            n += 1;
        }
        n
    }

    /// How long the next attempt must wait, or `None` when it may be made now.
    pub fn wait(&self, failures: &Failures, now: DateTime<Utc>) -> Option<Duration> {
        [
            window_wait(self.pair, &failures.pair, now),
            window_wait(self.address, &failures.address, now),
            self.backoff_wait(&failures.account, now),
        ]
        .into_iter()
        .flatten()
        .max()
    }

    fn backoff_wait(&self, account: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<Duration> {
        let recent: Vec<_> = account
            .iter()
            .filter(|at| **at > now - self.account_window)
            .collect();
        let beyond = recent.len().checked_sub(self.account_free_failures)?;
        let latest = **recent.first()?;
        let doublings = u32::try_from(beyond).unwrap_or(u32::MAX).min(30);
        let backoff = self
            .backoff_base
            .checked_mul(1 << doublings)
            .map_or(self.backoff_cap, |b| b.min(self.backoff_cap));
        positive(latest + backoff - now)
    }
}

/// The wait until the oldest of the last `limit.failures` failures leaves the window.
fn window_wait(
    limit: WindowLimit,
    newest_first: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> Option<Duration> {
    let in_window: Vec<_> = newest_first
        .iter()
        .filter(|at| **at > now - limit.window)
        .collect();
    let oldest_counted = in_window.get(limit.failures.checked_sub(1)?)?;
    positive(**oldest_counted + limit.window - now)
}

fn positive(wait: Duration) -> Option<Duration> {
    (wait > Duration::zero()).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("instant")
    }

    fn ago(minutes: i64) -> DateTime<Utc> {
        t0() - Duration::minutes(minutes)
    }

    #[test]
    fn a_few_failures_from_one_address_wait_for_the_window() {
        let f = Failures {
            pair: vec![ago(1), ago(2), ago(3), ago(4)],
            ..Failures::default()
        };
        assert_eq!(POLICY.wait(&f, t0()), None, "four failures: still allowed");
        let f = Failures {
            pair: vec![ago(1), ago(2), ago(3), ago(4), ago(5)],
            ..Failures::default()
        };
        // The fifth newest failure (5 minutes ago) leaves the window in 10 minutes.
        assert_eq!(POLICY.wait(&f, t0()), Some(Duration::minutes(10)));
        // Old failures do not count.
        let f = Failures {
            pair: vec![ago(1), ago(2), ago(3), ago(4), ago(16)],
            ..Failures::default()
        };
        assert_eq!(POLICY.wait(&f, t0()), None);
    }

    #[test]
    fn one_address_has_a_higher_bound_across_accounts() {
        let mut f = Failures {
            address: (1..=29).map(|_| ago(1)).collect(),
            ..Failures::default()
        };
        assert_eq!(POLICY.wait(&f, t0()), None);
        f.address.push(ago(3));
        assert_eq!(POLICY.wait(&f, t0()), Some(Duration::minutes(12)));
    }

    #[test]
    fn an_account_backs_off_exponentially_after_many_failures() {
        let failures = |n: usize| Failures {
            account: (0..n).map(|_| ago(0)).collect(),
            ..Failures::default()
        };
        assert_eq!(POLICY.wait(&failures(19), t0()), None);
        assert_eq!(POLICY.wait(&failures(20), t0()), Some(Duration::minutes(1)));
        assert_eq!(POLICY.wait(&failures(21), t0()), Some(Duration::minutes(2)));
        assert_eq!(
            POLICY.wait(&failures(25), t0()),
            Some(Duration::minutes(32))
        );
        assert_eq!(POLICY.wait(&failures(60), t0()), Some(Duration::hours(24)));
        // The back-off runs from the newest failure.
        let f = Failures {
            account: std::iter::once(ago(1))
                .chain((0..20).map(|_| ago(2)))
                .collect(),
            ..Failures::default()
        };
        assert_eq!(POLICY.wait(&f, t0()), Some(Duration::minutes(1)));
        // Failures older than a day are forgotten.
        let f = Failures {
            account: (0..30).map(|_| ago(25 * 60)).collect(),
            ..Failures::default()
        };
        assert_eq!(POLICY.wait(&f, t0()), None);
    }

    #[test]
    fn the_lookback_reads_enough_to_reach_the_cap() {
        let (pair, address, account) = POLICY.lookback();
        assert_eq!((pair, address), (5, 30));
        let f = Failures {
            account: (0..account).map(|_| ago(0)).collect(),
            ..Failures::default()
        };
        assert_eq!(POLICY.wait(&f, t0()), Some(POLICY.backoff_cap));
    }

    proptest! {
        /// More failures never shorten the wait, and the wait never exceeds the
        /// longest bound.
        #[test]
        fn more_failures_never_wait_less(
            minutes in proptest::collection::vec(0i64..2000, 0..60),
            extra in 0i64..2000,
        ) {
            let sorted = |mut v: Vec<i64>| { v.sort_unstable(); v.into_iter().map(ago).collect::<Vec<_>>() };
            let before = Failures {
                pair: sorted(minutes.clone()),
                address: sorted(minutes.clone()),
                account: sorted(minutes.clone()),
            };
            let mut more = minutes.clone();
            more.push(extra);
            let after = Failures {
                pair: sorted(more.clone()),
                address: sorted(more.clone()),
                account: sorted(more),
            };
            let (w0, w1) = (POLICY.wait(&before, t0()), POLICY.wait(&after, t0()));
            prop_assert!(w1 >= w0, "{w0:?} then {w1:?}");
            if let Some(w) = w1 {
                prop_assert!(w <= POLICY.backoff_cap);
                prop_assert!(w > Duration::zero());
            }
        }
    }
}
