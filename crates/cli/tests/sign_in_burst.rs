//! Simultaneous failed sign-ins split across two `plenary serve` processes on one
//! PostgreSQL database (issue 15, finding 1): the throttle's check and count are one
//! step shared by both servers, so exactly as many attempts are checked as the bounds
//! allow, whatever arrives at the same moment where. Every 429 says when to come back.
//!
//! Needs the PostgreSQL test server (`PLENARY_TEST_POSTGRES_URL`, default
//! postgres://postgres@127.0.0.1:5432/test); fails when it is not reachable.

#[path = "../benches/load/mod.rs"]
mod load;

use plenary_store::testing::TestDb;
use std::process::Child;
use std::sync::Barrier;

/// A `plenary serve` process, killed when dropped (also when the test fails).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `attempts` simultaneous wrong sign-ins to `email`, attempt i on server i % 2 from
/// `address_of(i)`; returns (checked and wrong: 401, throttled: 429).
fn simultaneous(
    addresses: &[String],
    email: &str,
    attempts: usize,
    address_of: impl Fn(usize) -> String + Sync,
) -> (usize, usize) {
    let start = Barrier::new(attempts);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..attempts)
            .map(|i| {
                let (start, address_of) = (&start, &address_of);
                let server = &addresses[i % addresses.len()];
                scope.spawn(move || {
                    let mut client = load::SignInClient::open(server, address_of(i));
                    start.wait();
                    client.fail(email)
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("client"))
            .collect()
    });
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    assert_eq!(
        count(401) + count(429),
        attempts,
        "only 401 and 429: {statuses:?}"
    );
    (count(401), count(429))
}

#[test]
fn simultaneous_sign_ins_on_two_servers_are_counted_one_by_one() {
    let db = TestDb::postgres();
    let url = db.url();
    drop(load::set_up(&url, 10));
    let servers: Vec<_> = (0..2)
        .map(|_| load::serve_with(&url, &["--trusted-proxy", "127.0.0.1"]))
        .collect();
    let addresses: Vec<String> = servers.iter().map(|(_, a)| a.clone()).collect();
    let _running: Vec<Running> = servers.into_iter().map(|(c, _)| Running(c)).collect();

    // One account from one address: five are checked, the rest wait.
    let one_address = simultaneous(&addresses, "bench@example.org", 24, |_| {
        "198.51.100.9".to_owned()
    });
    assert_eq!(one_address, (5, 19));

    // The same account from thirty addresses: the account's bound (20 failures) holds
    // across both servers, counting the five above.
    let spread = simultaneous(&addresses, "bench@example.org", 30, |i| {
        format!("203.0.113.{}", i + 1)
    });
    assert_eq!(spread, (15, 15));
}
