//! Registration under load: acknowledged registrations per second through the real
//! HTTP endpoint on loopback, a crash test repeated many times, and the idle memory of
//! a server holding 10,000 registrants.
//!
//! `cargo bench -p plenary --bench registration` (release binary). Acknowledged means
//! answered 201 by the server, which answers only after the commit that holds the
//! registration is on disk (SQLite with `synchronous = FULL`; PostgreSQL's default
//! `synchronous_commit = on`). PostgreSQL is measured too when the test server
//! (`PLENARY_TEST_POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432/test) answers,
//! with one `plenary serve` process and with two on the same database (the connections
//! split between them, as behind a load balancer).
//!
//! Settings: `PLENARY_BENCH_REGISTRATIONS` (default 20000), `PLENARY_BENCH_CONNECTIONS`
//! (default 64), `PLENARY_BENCH_CRASH_ROUNDS` (default 20).

#[path = "load/mod.rs"]
mod load;

use plenary_store::testing::TestDb;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Registers `total` people (capacity: half of them, so that both the seated and the
/// waiting-list paths are exercised) through `servers` processes on the database;
/// returns acknowledged registrations per second.
fn throughput(db: &TestDb, total: usize, connections: usize, servers: usize) -> (f64, usize) {
    let url = db.url();
    let (_app, event, category) = load::set_up(&url, total / 2);
    let mut running: Vec<_> = (0..servers).map(|_| load::serve(&url)).collect();
    let addresses: Vec<&str> = running.iter().map(|(_, a)| a.as_str()).collect();
    // Warm-up: connections, prepared statements, page cache.
    let warm = load::burst_across(
        &addresses,
        event,
        category,
        0..200,
        8,
        &AtomicBool::new(false),
    );
    assert_eq!(warm.len(), 200);
    let started = Instant::now();
    let stop = AtomicBool::new(false);
    let acknowledged = load::burst_across(
        &addresses,
        event,
        category,
        200..total + 200,
        connections,
        &stop,
    );
    let elapsed = started.elapsed().as_secs_f64();
    for (server, _) in &mut running {
        let _ = server.kill();
        let _ = server.wait();
    }
    assert_eq!(acknowledged.len(), total);
    load::check_after_crash(&url, event, category, total / 2, &acknowledged);
    (total as f64 / elapsed, acknowledged.len())
}

fn main() {
    let total = load::setting("PLENARY_BENCH_REGISTRATIONS", 20_000);
    let connections = load::setting("PLENARY_BENCH_CONNECTIONS", 64);
    let rounds = load::setting("PLENARY_BENCH_CRASH_ROUNDS", 20);
    println!("{total} registrations over {connections} keep-alive connections");

    let mut runs = Vec::new();
    for _ in 0..3 {
        let db = TestDb::sqlite();
        let (rate, n) = throughput(&db, total, connections, 1);
        runs.push(rate);
        println!("  SQLite run: {n} acknowledged, {rate:.0}/s");
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "SQLite: median {:.0} acknowledged registrations/s (min {:.0}, max {:.0}, 3 runs)",
        runs[1], runs[0], runs[2]
    );

    if postgres_answers() {
        for servers in [1, 2] {
            let mut runs = Vec::new();
            for _ in 0..3 {
                let db = TestDb::postgres();
                let (rate, n) = throughput(&db, total, connections, servers);
                runs.push(rate);
                println!(
                    "  PostgreSQL run, {servers} serve process(es): {n} acknowledged, {rate:.0}/s"
                );
            }
            runs.sort_by(f64::total_cmp);
            println!(
                "PostgreSQL, {servers} serve process(es): median {:.0} acknowledged registrations/s (min {:.0}, max {:.0}, 3 runs)",
                runs[1], runs[0], runs[2]
            );
        }
    } else {
        println!("PostgreSQL: not reachable, not measured");
    }

    idle_memory_with_10k();
    crash_rounds(rounds);
}

fn postgres_answers() -> bool {
    std::panic::catch_unwind(TestDb::postgres).is_ok()
}

fn idle_memory_with_10k() {
    let db = TestDb::sqlite();
    let url = db.url();
    let (_app, event, category) = load::set_up(&url, 10_000);
    let (mut server, address) = load::serve(&url);
    let done = load::burst(
        &address,
        event,
        category,
        0..10_000,
        32,
        &AtomicBool::new(false),
    );
    assert_eq!(done.len(), 10_000);
    let _ = server.kill();
    let _ = server.wait();
    // A fresh start on the loaded database, then idle.
    let (mut server, _) = load::serve(&url);
    std::thread::sleep(Duration::from_secs(2));
    let rss = load::proc_status_kib(server.id(), "VmRSS:");
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "idle RSS with 10,000 registrants: {:.1} MiB",
        rss as f64 / 1024.0
    );
}

fn crash_rounds(rounds: usize) {
    let mut acknowledged_total = 0;
    for round in 0..rounds {
        let db = TestDb::sqlite();
        let url = db.url();
        let capacity = 500;
        let (_app, event, category) = load::set_up(&url, capacity);
        let (mut server, address) = load::serve(&url);
        let stop = AtomicBool::new(false);
        let acknowledged = std::thread::scope(|s| {
            let burst = s.spawn(|| load::burst(&address, event, category, 0..1_000_000, 32, &stop));
            std::thread::sleep(Duration::from_millis(200 + 37 * (round as u64 % 10)));
            server.kill().expect("kill -9");
            let _ = server.wait();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            burst.join().expect("burst")
        });
        acknowledged_total += acknowledged.len();
        load::check_after_crash(&url, event, category, capacity, &acknowledged);
    }
    println!(
        "crash test: {rounds} rounds of kill -9 during a burst, {acknowledged_total} acknowledged registrations, none lost, no category over capacity"
    );
}
