//! Start-up time and idle memory of `plenary serve` (the release binary).
//!
//! `cargo bench -p plenary --bench startup`: starts the server repeatedly on a fresh
//! SQLite database and on one already migrated, times spawn → first `200` from
//! `/healthz`, and reads the idle resident set size from /proc after two seconds.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 10;

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plenary-bench-startup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn spawn(db: &Path, demo: bool) -> (Child, String) {
    let url = format!("sqlite://{}", db.display());
    let mut args = vec!["serve", "--bind", "127.0.0.1:0", "--database-url", &url];
    if demo {
        args.push("--demo");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args(&args)
        .env("PLENARY_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start plenary");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines.next().expect("server output").expect("line");
        if let Some(rest) = line.strip_prefix("Plenary is listening on http://") {
            break rest.split_whitespace().next().expect("address").to_owned();
        }
    };
    // Keep reading so that the server never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, address)
}

fn healthy(address: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return false;
    };
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply.starts_with("HTTP/1.1 200")
}

/// Milliseconds from spawn until /healthz answers 200.
fn time_to_healthy(db: &Path, demo: bool) -> (f64, Child) {
    let started = Instant::now();
    let (child, address) = spawn(db, demo);
    while !healthy(&address) {
        std::thread::sleep(Duration::from_micros(200));
    }
    (started.elapsed().as_secs_f64() * 1000.0, child)
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn summary(name: &str, mut samples: Vec<f64>, unit: &str) {
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!(
        "{name}: median {median:.1} {unit} (min {:.1}, max {:.1}, {} runs)",
        samples[0],
        samples[samples.len() - 1],
        samples.len()
    );
}

fn main() {
    // `cargo test --benches` runs this with --bench absent; only measure under cargo bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = scratch_dir();
    let mut fresh = Vec::new();
    for i in 0..RUNS {
        let (ms, child) = time_to_healthy(&dir.join(format!("fresh-{i}.db")), false);
        fresh.push(ms);
        stop(child);
    }
    summary("start-up, new database (migrations applied)", fresh, "ms");

    let migrated = dir.join("migrated.db");
    stop(time_to_healthy(&migrated, true).1);
    let mut warm = Vec::new();
    for _ in 0..RUNS {
        let (ms, child) = time_to_healthy(&migrated, false);
        warm.push(ms);
        stop(child);
    }
    summary("start-up, migrated database", warm, "ms");

    let mut rss = Vec::new();
    for _ in 0..3 {
        let (_, child) = time_to_healthy(&migrated, false);
        std::thread::sleep(Duration::from_secs(2));
        rss.push(rss_kib(child.id()) as f64 / 1024.0);
        stop(child);
    }
    summary(
        "idle RSS after start-up (demo accounts, 2 s idle)",
        rss,
        "MiB",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
