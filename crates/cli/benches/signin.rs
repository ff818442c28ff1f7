//! Failed sign-ins under load: what an unauthenticated attacker can do to the server's
//! memory and to everyone else's sign-in.
//!
//! `cargo bench -p plenary --bench signin` (release binary, SQLite). The release
//! `plenary serve` runs behind a "proxy" on loopback (`--trusted-proxy 127.0.0.1`) so
//! that each connection can stand for another client address (X-Forwarded-For from
//! 198.18.0.0/15, the benchmarking range: only a header, no traffic goes there).
//!
//! Two rounds of `PLENARY_BENCH_SIGN_INS` (default 1,000) failed sign-ins over
//! `PLENARY_BENCH_CONNECTIONS` (default 64) keep-alive connections, each a real form
//! POST with its CSRF token and cookie:
//! - *spread*: every connection its own address, every attempt another unknown account,
//!   so that no throttle bound is reached and every attempt costs an Argon2id hash
//!   (19 MiB of working memory) — the memory attack of the probe;
//! - *one address*: every attempt from one address on one account — the throttle's
//!   answer (429 before any hashing).
//!
//! Prints the answers by status, sign-ins per second with p50/p99 latency, and the
//! server's resident memory: idle, peak (VmHWM) and two seconds after. The limit in the
//! same run is the hash rate of the machine: cores ÷ the time of one Argon2id hash at
//! the same parameters, measured here in this process.

#[path = "load/mod.rs"]
mod load;

use plenary_store::testing::TestDb;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Seconds for one Argon2id hash at the parameters the server uses (the best of five).
fn one_hash_seconds() -> f64 {
    use argon2::PasswordHasher;
    (0..5)
        .map(|_| {
            let started = Instant::now();
            argon2::Argon2::default()
                .hash_password(b"a wrong password")
                .expect("hash");
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

struct Round {
    statuses: BTreeMap<u16, usize>,
    seconds: f64,
    latencies: Vec<Duration>,
    peak_rss_kib: u64,
}

/// `total` failed sign-ins over `connections`; `address_of(connection)` and
/// `email_of(attempt)` choose who and whence.
fn round(
    address: &str,
    pid: u32,
    total: usize,
    connections: usize,
    address_of: impl Fn(usize) -> String,
    email_of: impl Fn(usize) -> String + Sync,
) -> Round {
    let clients: Vec<_> = (0..connections)
        .map(|c| load::SignInClient::open(address, address_of(c)))
        .collect();
    let next = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let peak = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let results: Vec<(u16, Duration)> = std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let rss = load::proc_status_kib(pid, "VmRSS:") as usize;
                peak.fetch_max(rss, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let workers: Vec<_> = clients
            .into_iter()
            .map(|mut client| {
                let (next, email_of) = (&next, &email_of);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= total {
                            break mine;
                        }
                        let sent = Instant::now();
                        let status = client.fail(&email_of(n));
                        mine.push((status, sent.elapsed()));
                    }
                })
            })
            .collect();
        let results = workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect();
        done.store(true, Ordering::Relaxed);
        sampler.join().expect("sampler");
        results
    });
    let seconds = started.elapsed().as_secs_f64();
    let mut statuses = BTreeMap::new();
    for (status, _) in &results {
        *statuses.entry(*status).or_insert(0) += 1;
    }
    let mut latencies: Vec<_> = results.iter().map(|(_, l)| *l).collect();
    latencies.sort_unstable();
    Round {
        statuses,
        seconds,
        latencies,
        peak_rss_kib: peak.load(Ordering::Relaxed) as u64,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1);
    sorted.get(i).copied().unwrap_or_default()
}

fn report(name: &str, total: usize, r: &Round) {
    let answered: usize = r.statuses.values().sum();
    println!(
        "{name}: {answered} of {total} answered in {:.2} s ({:.0}/s), statuses {:?}, p50 {:.1} ms, p99 {:.1} ms, peak RSS while running {:.1} MiB",
        r.seconds,
        answered as f64 / r.seconds,
        r.statuses,
        percentile(&r.latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&r.latencies, 0.99).as_secs_f64() * 1e3,
        r.peak_rss_kib as f64 / 1024.0,
    );
    assert_eq!(answered, total, "every request is answered");
}

fn main() {
    let total = load::setting("PLENARY_BENCH_SIGN_INS", 1000);
    let connections = load::setting("PLENARY_BENCH_CONNECTIONS", 64);
    let db = TestDb::sqlite();
    let url = db.url();
    drop(load::set_up(&url, 10));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let hash = one_hash_seconds();
    println!(
        "limit: one Argon2id hash (m=19456, t=2, p=1) takes {:.1} ms here; {cores} cores hash at most {:.0}/s",
        hash * 1e3,
        cores as f64 / hash
    );
    let (mut server, address) = load::serve_with(&url, &["--trusted-proxy", "127.0.0.1"]);
    let pid = server.id();
    std::thread::sleep(Duration::from_millis(300));
    let idle = load::proc_status_kib(pid, "VmRSS:");
    println!("server idle: {:.1} MiB", idle as f64 / 1024.0);

    let spread = round(
        &address,
        pid,
        total,
        connections,
        |c| format!("198.18.{}.{}", c / 250, c % 250 + 1),
        |n| format!("nobody{n}@bench.example"),
    );
    report("spread (every attempt hashed)", total, &spread);
    let hashed = spread.statuses.get(&401).copied().unwrap_or(0);
    println!(
        "  hashed sign-ins: {:.0}/s = {:.0}% of the machine's hash rate",
        hashed as f64 / spread.seconds,
        100.0 * (hashed as f64 / spread.seconds) / (cores as f64 / hash)
    );
    std::thread::sleep(Duration::from_secs(2));
    println!(
        "  RSS two seconds later: {:.1} MiB",
        load::proc_status_kib(pid, "VmRSS:") as f64 / 1024.0
    );

    let one = round(
        &address,
        pid,
        total,
        connections,
        |_| "198.19.0.1".to_owned(),
        |_| "bench@example.org".to_owned(),
    );
    report("one address, one account (throttled)", total, &one);
    std::thread::sleep(Duration::from_secs(2));
    let peak = load::proc_status_kib(pid, "VmHWM:");
    let after = load::proc_status_kib(pid, "VmRSS:");
    println!(
        "server memory: idle {:.1} MiB, peak (VmHWM) {:.1} MiB, after {:.1} MiB (target: under 128 MiB)",
        idle as f64 / 1024.0,
        peak as f64 / 1024.0,
        after as f64 / 1024.0
    );
    let _ = server.kill();
    let _ = server.wait();
}
