//! A burst of concurrent registrations over HTTP, split across two `plenary serve`
//! processes on one PostgreSQL database (several stateless nodes behind a load
//! balancer): the category never holds more seats than it has, everybody else waits
//! in order, nobody is registered twice — also when the same person is submitted to
//! both processes at once — the category's counters equal the stored rows, one
//! notice per registrant is in the outbox, and every request gets a clean answer.
//!
//! Needs the PostgreSQL test server (`PLENARY_TEST_POSTGRES_URL`, default
//! postgres://postgres@127.0.0.1:5432/test); fails when it is not reachable.

#[path = "../benches/load/mod.rs"]
mod load;

use plenary_domain::registration::RegistrationStatus;
use plenary_store::registration as store;
use plenary_store::testing::TestDb;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Child;
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};

const CAPACITY: usize = 20;
/// Distinct people; person n is sent to server n % 2.
const PEOPLE: usize = 200;
const SERVERS: usize = 2;
const CONNECTIONS_PER_SERVER: usize = 8;

/// A `plenary serve` process, killed when dropped (also when the test fails).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether person `n` is also submitted to the other server: a quarter of the people
/// of each server, submitted to both at about the same moment.
fn duplicated(n: usize) -> bool {
    n % 4 < 2
}

/// The people server `s` is sent, in order: its own half, and the duplicates of the
/// other half, interleaved.
fn sequence(s: usize) -> Vec<usize> {
    (0..PEOPLE)
        .filter(|n| n % SERVERS == s || duplicated(*n))
        .collect()
}

/// One answer of a server.
#[derive(Debug)]
struct Answer {
    server: usize,
    n: usize,
    outcome: Result<(u16, Value), String>,
}

/// Sends every server its sequence over its keep-alive connections, all connections
/// starting together; records every answer (or transport error).
fn fire(addresses: &[String], event: i64, category: i64) -> Vec<Answer> {
    let path = format!("/api/v1/events/{event}/registrations");
    let sequences: Vec<Vec<usize>> = (0..addresses.len()).map(sequence).collect();
    let next: Vec<AtomicUsize> = addresses.iter().map(|_| AtomicUsize::new(0)).collect();
    let start = Barrier::new(addresses.len() * CONNECTIONS_PER_SERVER);
    let answers = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for (server, address) in addresses.iter().enumerate() {
            for _ in 0..CONNECTIONS_PER_SERVER {
                let (path, start, answers) = (&path, &start, &answers);
                let (sequence, next) = (&sequences[server], &next[server]);
                s.spawn(move || {
                    let mut conn = load::Connection::open(address)
                        .unwrap_or_else(|e| panic!("connect to server {server}: {e}"));
                    start.wait();
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&n) = sequence.get(i) else { break };
                        let outcome = conn
                            .post_json(path, &load::registration_body(n, category))
                            .map(|(status, body)| {
                                (status, serde_json::from_str(&body).unwrap_or(Value::Null))
                            })
                            .map_err(|e| e.to_string());
                        let broken = outcome.is_err();
                        mine.push(Answer { server, n, outcome });
                        if broken {
                            // The connection is unusable; a fresh one for the rest.
                            conn = load::Connection::open(address)
                                .unwrap_or_else(|e| panic!("reconnect to server {server}: {e}"));
                        }
                    }
                    answers.lock().expect("lock").extend(mine);
                });
            }
        }
    });
    answers.into_inner().expect("lock")
}

#[test]
fn a_burst_across_two_servers_on_one_postgresql_never_exceeds_capacity() {
    let db = TestDb::postgres();
    let url = db.url();
    let (app, event, category) = load::set_up(&url, CAPACITY);
    let servers: Vec<(Running, String)> = (0..SERVERS)
        .map(|_| {
            let (child, address) = load::serve(&url);
            (Running(child), address)
        })
        .collect();
    let addresses: Vec<String> = servers.iter().map(|(_, a)| a.clone()).collect();
    assert_ne!(addresses[0], addresses[1], "two processes, two ports");

    let answers = fire(&addresses, event, category);
    drop(servers);

    // Every request got a clean answer: 201 for a new registration, 200 for a
    // repeated one; no transport error, no 5xx, nothing else.
    let sent: usize = (0..SERVERS).map(|s| sequence(s).len()).sum();
    assert_eq!(answers.len(), sent, "every request answered");
    let unclean: Vec<&Answer> = answers
        .iter()
        .filter(|a| !matches!(a.outcome, Ok((200 | 201, _))))
        .collect();
    assert!(
        unclean.is_empty(),
        "{} of {sent} requests got no clean answer, e.g. {:?}",
        unclean.len(),
        &unclean[..unclean.len().min(5)]
    );

    // One new registration per person, whichever server got there first; the other
    // submission of a duplicated person is told it is a repeat.
    let mut created: BTreeMap<usize, (usize, &Value)> = BTreeMap::new();
    let mut repeats = 0;
    for a in &answers {
        let Ok((status, body)) = &a.outcome else {
            unreachable!()
        };
        match status {
            201 => {
                assert_eq!(body["created"], true, "{body}");
                let earlier = created.insert(a.n, (a.server, body));
                assert!(earlier.is_none(), "person {} created twice: {body}", a.n);
            }
            _ => {
                assert_eq!(body["created"], false, "person {}: {body}", a.n);
                assert!(duplicated(a.n), "person {} sent once, told repeat", a.n);
                repeats += 1;
            }
        }
    }
    assert_eq!(created.len(), PEOPLE, "everybody registered once");
    assert_eq!(repeats, sent - PEOPLE);
    for s in 0..SERVERS {
        let by_s = created.values().filter(|(server, _)| *server == s).count();
        eprintln!("server {s}: {by_s} new registrations");
        assert!(
            by_s >= PEOPLE / 4,
            "server {s} registered its own people ({by_s})"
        );
    }

    // Exactly CAPACITY seats were given, the rest wait at distinct places 1..=rest.
    let status_of = |v: &Value| v["status"].as_str().unwrap_or_default().to_owned();
    let seated = created
        .values()
        .filter(|(_, v)| status_of(v) == "confirmed")
        .count();
    assert_eq!(seated, CAPACITY, "seats given in the answers");
    let places: BTreeSet<i64> = created
        .values()
        .filter(|(_, v)| status_of(v) == "waitlisted")
        .map(|(_, v)| v["waitlist_position"].as_i64().expect("a place"))
        .collect();
    let expected: BTreeSet<i64> = (1..=(PEOPLE - CAPACITY) as i64).collect();
    assert_eq!(places, expected, "waiting-list places, each once");

    // The database agrees: every answer is what is stored, the counters equal the
    // rows, no duplicate rows, one notice per registrant in the outbox.
    let acknowledged: Vec<load::Acknowledged> = created
        .iter()
        .map(|(n, (_, v))| load::Acknowledged {
            n: *n,
            status: status_of(v),
        })
        .collect();
    load::check_after_crash(&url, event, category, CAPACITY, &acknowledged);
    let (rows, categories) = db
        .db
        .read(|tx| {
            let (rows, _) = store::list(tx, event, &store::ListFilter::default(), 10_000, 0)?;
            Ok::<_, plenary_store::StoreError>((rows, store::categories(tx, event)?))
        })
        .expect("read back");
    assert_eq!(rows.len(), PEOPLE, "one row per person");
    let emails: BTreeSet<String> = rows.iter().map(|r| r.email.to_lowercase()).collect();
    assert_eq!(emails.len(), PEOPLE, "no address twice");
    let badges: BTreeSet<&str> = rows.iter().map(|r| r.badge_code.as_str()).collect();
    assert_eq!(badges.len(), PEOPLE, "no badge code twice");
    let count = |s: RegistrationStatus| rows.iter().filter(|r| r.status == s).count();
    assert_eq!(count(RegistrationStatus::Confirmed), CAPACITY);
    assert_eq!(count(RegistrationStatus::Waitlisted), PEOPLE - CAPACITY);
    let c = categories
        .iter()
        .find(|c| c.id == category)
        .expect("category");
    assert_eq!(
        (c.taken, c.waiting),
        (CAPACITY as i64, (PEOPLE - CAPACITY) as i64),
        "the category's counters"
    );

    let notices: Vec<_> = app
        .outbox(100_000)
        .expect("outbox")
        .into_iter()
        .filter(|m| m.kind.starts_with("registration_"))
        .collect();
    assert_eq!(notices.len(), PEOPLE, "one notice per registrant");
    let by_recipient: BTreeMap<&str, &str> = notices
        .iter()
        .map(|m| (m.recipient.as_str(), m.kind.as_str()))
        .collect();
    assert_eq!(by_recipient.len(), PEOPLE, "nobody told twice");
    for r in &rows {
        let kind = match r.status {
            RegistrationStatus::Confirmed => "registration_confirmed",
            _ => "registration_waitlisted",
        };
        assert_eq!(
            by_recipient.get(r.email.as_str()).copied(),
            Some(kind),
            "{}",
            r.email
        );
    }
}
