//! Crash test: `plenary serve` is killed (SIGKILL) in the middle of a burst of
//! registrations; after it every acknowledged registration is in the database with the
//! status it was acknowledged with, and no category holds more seats than it has.
//! A few rounds here; the benchmark (`cargo bench -p plenary --bench registration`)
//! runs many more.

#[path = "../benches/load/mod.rs"]
mod load;

use plenary_store::testing::TestDb;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const CAPACITY: usize = 150;
const ROUNDS: usize = 3;

#[test]
fn acknowledged_registrations_survive_a_kill_during_a_burst() {
    for round in 0..ROUNDS {
        let db = TestDb::sqlite();
        let url = db.url();
        let (_app, event, category) = load::set_up(&url, CAPACITY);
        let (mut server, address) = load::serve(&url);
        let stop = AtomicBool::new(false);
        let acknowledged = std::thread::scope(|s| {
            let burst = s.spawn(|| load::burst(&address, event, category, 0..100_000, 16, &stop));
            // Let a few hundred registrations through, then kill the server mid-burst.
            std::thread::sleep(Duration::from_millis(300 + 150 * round as u64));
            server.kill().expect("kill -9");
            let _ = server.wait();
            stop.store(true, Ordering::Relaxed);
            burst.join().expect("burst")
        });
        assert!(
            !acknowledged.is_empty(),
            "round {round}: the burst got registrations through before the kill"
        );
        load::check_after_crash(&url, event, category, CAPACITY, &acknowledged);
        // The restarted server still serves the event.
        let (mut again, address) = load::serve(&url);
        let mut conn = load::Connection::open(&address).expect("connect");
        let (status, _) = conn
            .post_json(
                &format!("/api/v1/events/{event}/registrations"),
                &load::registration_body(1_000_000 + round, category),
            )
            .expect("register after restart");
        assert_eq!(status, 201);
        let _ = again.kill();
        let _ = again.wait();
    }
}
