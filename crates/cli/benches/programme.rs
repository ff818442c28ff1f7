//! The public programme under load: an event with 300 sessions in 12 rooms over 30
//! timeslots (five days × six), scheduled and published through the application on a
//! SQLite file, then the release `plenary serve` on loopback driven with keep-alive
//! HTTP/1.1 GETs over 64 connections (the load module's client, one thread per
//! connection): the programme page, the page with a filter and in another zone, and
//! the exports (iCalendar, frab XML, c3voc JSON, CSV). Prints requests/s and p50/p99
//! latency for each.
//!
//! `cargo bench -p plenary --bench programme`. Settings: `PLENARY_BENCH_CONNECTIONS`
//! (default 64), `PLENARY_BENCH_SECONDS` per target (default 5).
//!
//! Each request carries the anonymous nonce cookie a returning browser would send (so
//! that the server does not make a new one per request) and no session: what the
//! public gets. The client runs on the same machine and takes its share of the CPU.

#[path = "load/mod.rs"]
mod load;

use plenary_app::Caller;
use plenary_app::programme::TimeslotInput;
use plenary_app::registration::EventInput;
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
use plenary_store::testing::TestDb;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const THEMES: [&str; 8] = [
    "Universal access",
    "Cybersecurity",
    "Artificial intelligence",
    "Human rights",
    "Sustainability",
    "Digital economy",
    "Data governance",
    "Infrastructure",
];

const TYPES: [&str; 5] = [
    "workshop",
    "open_forum",
    "lightning_talk",
    "town_hall",
    "networking",
];

/// The event with its programme, published; returns its id.
fn programme(url: &str) -> i64 {
    let (app, _, _) = load::set_up(url, 10);
    let signed = app
        .sign_in("bench@example.org", load::PASSWORD, "127.0.0.1", None)
        .expect("sign in");
    let admin: Caller = app
        .session_user(&signed.session_token)
        .expect("session")
        .expect("live")
        .caller(None);
    let event = app
        .save_event(
            &admin,
            None,
            &EventInput {
                title: "Annual Forum 2026".into(),
                venue: "Lillestrøm".into(),
                time_zone: "Europe/Oslo".into(),
                starts_at: "2026-06-22T09:00".into(),
                ends_at: "2026-06-26T18:00".into(),
                registration_opens_at: "2026-04-01T00:00".into(),
                registration_closes_at: "2026-06-01T00:00".into(),
                changes_until: "2026-06-10T00:00".into(),
                public_list: false,
                visa_letters: false,
                visa_retention_days: String::new(),
            },
        )
        .expect("event")
        .id;
    for r in 0..12 {
        app.save_programme_room(
            &admin,
            event,
            None,
            &RoomInput {
                name: format!("Room {}", r + 1),
                capacity: if r < 2 { "1000" } else { "150" }.into(),
                hybrid: r % 2 == 0,
            },
        )
        .expect("room");
    }
    app.add_programme_timeslots(
        &admin,
        event,
        &TimeslotInput {
            dates: "2026-06-22 2026-06-23 2026-06-24 2026-06-25 2026-06-26".into(),
            times: "09:00 10:30 12:00 13:30 15:00 16:30".into(),
            minutes: "90".into(),
        },
    )
    .expect("timeslots");
    for i in 0..300 {
        let main = i < 10;
        let input = SessionInput {
            title: format!("Session {i}: {} in practice", THEMES[i % THEMES.len()]),
            session_type: if main { "main" } else { TYPES[i % TYPES.len()] }.into(),
            theme: THEMES[i % THEMES.len()].into(),
            description: format!(
                "Session {i} brings together governments, business, civil society and the \
                 technical community to discuss {}. Participants share practice and agree \
                 on next steps.",
                THEMES[i % THEMES.len()].to_lowercase()
            ),
            duration: if i % 3 == 0 { "60" } else { "90" }.into(),
            expected_audience: if main { "800" } else { "80" }.into(),
            format: "onsite".into(),
            language: if i % 7 == 0 { "French" } else { "English" }.into(),
            people: vec![
                PersonInput {
                    name: format!("Moderator {}", i % 150),
                    role: "moderator".into(),
                    ..PersonInput::default()
                },
                PersonInput {
                    name: format!("Speaker {i}"),
                    role: "speaker".into(),
                    ..PersonInput::default()
                },
                PersonInput {
                    name: format!("Online speaker {i}"),
                    role: "speaker".into(),
                    online: i % 2 == 0,
                    time_zone: if i % 2 == 0 { "Asia/Tokyo" } else { "" }.into(),
                },
            ],
            ..SessionInput::default()
        };
        app.save_programme_session(&admin, event, None, &input)
            .expect("session");
    }
    let started = Instant::now();
    let report = app.run_scheduler(&admin, event, 1).expect("scheduler");
    println!(
        "set-up: {} of {} sessions placed by the scheduler in {:.0} ms",
        report.placed,
        report.sessions,
        started.elapsed().as_secs_f64() * 1000.0
    );
    app.publish_programme(&admin, event, true).expect("publish");
    event
}

struct Figures {
    requests: usize,
    rate: f64,
    p50: Duration,
    p99: Duration,
    bytes: usize,
}

/// GETs `path` over `connections` connections for `seconds`; every answer must be 200.
fn drive(address: &str, path: &str, connections: usize, seconds: u64) -> Figures {
    let cookie = format!("Cookie: plenary_anon={}\r\n", "ab".repeat(32));
    let stop = AtomicBool::new(false);
    let all = std::sync::Mutex::new(Vec::new());
    let bytes = std::sync::atomic::AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..connections {
            let (stop, all, cookie, bytes) = (&stop, &all, &cookie, &bytes);
            s.spawn(move || {
                let mut conn = load::Connection::open(address).expect("connect");
                let mut mine = Vec::with_capacity(100_000);
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let (status, length) = conn.get(path, cookie).expect("response");
                    mine.push(t.elapsed());
                    assert_eq!(status, 200, "{path}");
                    bytes.store(length, Ordering::Relaxed);
                }
                all.lock().expect("lock").extend(mine);
            });
        }
        std::thread::sleep(Duration::from_secs(seconds));
        stop.store(true, Ordering::Relaxed);
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies = all.into_inner().expect("lock");
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Figures {
        requests: latencies.len(),
        rate: latencies.len() as f64 / elapsed,
        p50: at(0.50),
        p99: at(0.99),
        bytes: bytes.load(Ordering::Relaxed),
    }
}

fn main() {
    let connections = load::setting("PLENARY_BENCH_CONNECTIONS", 64);
    let seconds = load::setting("PLENARY_BENCH_SECONDS", 5) as u64;
    let db = TestDb::sqlite();
    let url = db.url();
    let event = programme(&url);
    let (mut server, address) = load::serve(&url);
    println!(
        "GET over {connections} keep-alive connections, {seconds} s each, plenary serve on {address} (SQLite)"
    );
    let targets = [
        format!("/events/{event}/programme"),
        format!("/events/{event}/programme?theme=Cybersecurity&tz=Asia/Tokyo"),
        format!("/events/{event}/programme/sessions/150"),
        format!("/events/{event}/programme.ics"),
        format!("/events/{event}/programme/schedule.xml"),
        format!("/events/{event}/programme/schedule.json"),
        format!("/events/{event}/programme.csv"),
    ];
    for path in &targets {
        // Warm-up: connections, the first rendering.
        drive(&address, path, 4, 1);
        let f = drive(&address, path, connections, seconds);
        println!(
            "{path}: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms ({} requests, {} KiB each)",
            f.rate,
            f.p50.as_secs_f64() * 1000.0,
            f.p99.as_secs_f64() * 1000.0,
            f.requests,
            f.bytes / 1024
        );
    }
    let _ = server.kill();
    let _ = server.wait();
}
