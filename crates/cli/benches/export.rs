//! Streaming exports of registrations: wall time and peak memory of
//! `plenary export registrations` (the release binary) for 10,000 and 100,000
//! registrants, as CSV and as XLSX, and the memory of `plenary serve` while it streams
//! the XLSX of 100,000 registrants over HTTP.
//!
//! `cargo bench -p plenary --bench export`. Each registrant has accented names, an
//! organization, a country and answers to two questions (one multiple choice); they
//! are inserted straight into a fresh SQLite database (the export reads, so how they
//! got there does not matter). Peak memory is the process's `VmHWM` (high-water mark of
//! the resident set) read from /proc every millisecond until it exits. If the export
//! streams, the peak is the same for 10,000 and 100,000 rows, and far below the size
//! of the file.
//!
//! Settings: `PLENARY_BENCH_EXPORT_SIZES` (default "10000,100000"),
//! `PLENARY_BENCH_EXPORT_RUNS` (default 3).

#[path = "load/mod.rs"]
mod load;

use plenary_app::registration::QuestionInput;
use plenary_domain::registration::RegistrationStatus;
use plenary_store::registration::{self as store, NewRegistration};
use plenary_store::testing::TestDb;
use plenary_store::{DatabaseUrl, Db};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// Waits for the child, polling its memory high-water mark; returns (wall time,
/// peak RSS in KiB).
fn run_measured(mut child: Child, started: Instant) -> (Duration, u64) {
    let pid = child.id();
    let mut peak = 0;
    loop {
        if let Some(kib) = status_kib(pid, "VmHWM:") {
            peak = peak.max(kib);
        }
        match child.try_wait().expect("wait") {
            Some(status) => {
                assert!(status.success(), "export failed");
                return (started.elapsed(), peak);
            }
            None => std::thread::sleep(Duration::from_millis(1)),
        }
    }
}

/// An event with two questions and `n` confirmed registrants; returns the event.
fn seed(url: &str, n: usize) -> (plenary_app::App, i64) {
    let (app, event, category) = load::set_up(url, n);
    let signed = app
        .sign_in("bench@example.org", load::PASSWORD, "127.0.0.1", None)
        .expect("sign in");
    let admin = app
        .session_user(&signed.session_token)
        .expect("session")
        .expect("live")
        .caller(None);
    for (key, label, kind, options) in [
        ("diet", "Dietary needs", "choice", "none\nvegetarian\nhalal"),
        (
            "topics",
            "Topics of interest",
            "multi_choice",
            "AI\nAccess\nRights\nSecurity",
        ),
    ] {
        app.add_question(
            &admin,
            event,
            &QuestionInput {
                key: key.into(),
                label: label.into(),
                kind: kind.into(),
                required: false,
                options: options.into(),
            },
        )
        .expect("question");
    }
    let db = Db::open(&DatabaseUrl::parse(url).expect("url")).expect("database");
    let now = app.now();
    for chunk in 0..n.div_ceil(10_000) {
        db.write(|tx| {
            for i in chunk * 10_000..((chunk + 1) * 10_000).min(n) {
                let email = format!("person{i}@example.org");
                let family = format!("Núñez-Okafor {i}");
                store::insert_registration(
                    tx,
                    &NewRegistration {
                        event_id: event,
                        category_id: category,
                        user_id: None,
                        email: &email,
                        email_key: &email,
                        family_name: &family,
                        given_name: "Guðrún",
                        name_key: &format!("gudrun nunez-okafor {i}"),
                        organization: "Lakeside Internet Society",
                        country: Some("KE"),
                        status: RegistrationStatus::Confirmed,
                        answers: r#"{"diet":["vegetarian"],"topics":["AI","Rights"]}"#,
                        listed: i % 2 == 0,
                        badge_code: &format!("B{i:012}"),
                        manage_token_hash: &format!("bench{i}"),
                    },
                    now,
                )?;
            }
            Ok::<_, plenary_store::StoreError>(())
        })
        .expect("insert");
    }
    (app, event)
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn cli_export(url: &str, event: i64, format: &str, runs: usize) {
    let out = std::env::temp_dir().join(format!(
        "plenary-bench-export-{}.{format}",
        std::process::id()
    ));
    let mut times = Vec::new();
    let mut peaks = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_plenary"))
            .args([
                "export",
                "registrations",
                "--event",
                &event.to_string(),
                "--format",
                format,
                "--output",
                out.to_str().expect("path"),
                "--database-url",
                url,
            ])
            .env("PLENARY_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start plenary export");
        let (elapsed, peak) = run_measured(child, started);
        times.push(elapsed.as_secs_f64() * 1000.0);
        peaks.push(peak as f64 / 1024.0);
        size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    }
    let _ = std::fs::remove_file(&out);
    let (t, t_min, t_max) = median(times);
    let (p, p_min, p_max) = median(peaks);
    println!(
        "  {format:<4}: median {t:.0} ms ({t_min:.0}–{t_max:.0}), peak RSS median {p:.1} MiB ({p_min:.1}–{p_max:.1}), file {:.1} MiB, {runs} runs",
        size as f64 / (1024.0 * 1024.0)
    );
}

/// Downloads the XLSX over HTTP from `plenary serve` while sampling its RSS; prints
/// the idle RSS before and the highest RSS while streaming.
fn server_export(url: &str, app: &plenary_app::App, event: i64) {
    let admin = {
        let signed = app
            .sign_in("bench@example.org", load::PASSWORD, "127.0.0.1", None)
            .expect("sign in");
        app.session_user(&signed.session_token)
            .expect("session")
            .expect("live")
            .caller(None)
    };
    let token = app.create_api_token(&admin, "bench").expect("token").secret;
    let (mut server, address) = load::serve(url);
    std::thread::sleep(Duration::from_millis(500));
    let pid = server.id();
    let idle = status_kib(pid, "VmRSS:").unwrap_or(0);
    let highest = Arc::new(AtomicU64::new(idle));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (highest, done) = (highest.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(kib) = status_kib(pid, "VmRSS:") {
                    highest.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    let started = Instant::now();
    let mut stream = TcpStream::connect(&address).expect("connect");
    write!(
        stream,
        "GET /api/v1/events/{event}/registrations/export?format=xlsx HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut buf = vec![0u8; 256 * 1024];
    let mut received = 0usize;
    let mut head = Vec::new();
    let mut tail = Vec::new();
    loop {
        let n = stream.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        if head.len() < 64 {
            head.extend_from_slice(&buf[..n.min(64)]);
        }
        tail.extend_from_slice(&buf[..n]);
        let keep = tail.len().saturating_sub(16);
        tail.drain(..keep);
        received += n;
    }
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        head.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    assert!(
        tail.ends_with(b"0\r\n\r\n"),
        "the chunked body ended properly"
    );
    println!(
        "  served over HTTP: {:.1} MiB in {:.0} ms; server RSS idle {:.1} MiB, highest while streaming {:.1} MiB",
        received as f64 / (1024.0 * 1024.0),
        elapsed.as_secs_f64() * 1000.0,
        idle as f64 / 1024.0,
        highest.load(Ordering::Relaxed) as f64 / 1024.0
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::var("PLENARY_BENCH_EXPORT_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs = std::env::var("PLENARY_BENCH_EXPORT_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    for (i, &n) in sizes.iter().enumerate() {
        let db = TestDb::sqlite();
        let url = db.url();
        let seeding = Instant::now();
        let (app, event) = seed(&url, n);
        println!(
            "{n} registrants (seeded in {:.1} s): plenary export registrations --output FILE",
            seeding.elapsed().as_secs_f64()
        );
        cli_export(&url, event, "csv", runs);
        cli_export(&url, event, "xlsx", runs);
        if i + 1 == sizes.len() {
            server_export(&url, &app, event);
        }
    }
}
