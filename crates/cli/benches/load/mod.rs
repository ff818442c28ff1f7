//! A small load generator for the registration endpoint: keep-alive HTTP/1.1 over plain
//! TCP (no client library), one connection per thread, and the set-up it needs — an
//! event with one category of limited capacity, created through the application on the
//! database the server will use. Shared by the registration benchmark, the crash
//! test and the burst test over two servers (tests/burst.rs).

#![allow(dead_code)]

use plenary_app::registration::{CategoryInput, EventInput};
use plenary_app::{App, AppConfig, Clock, SystemClock};
use plenary_store::{DatabaseUrl, Db};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

pub const PASSWORD: &str = "a long bench password";

/// A whole-number setting of a benchmark from the environment, or its default.
pub fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A `kB` field of a process's `/proc/PID/status` (`VmRSS:`, `VmHWM:`), 0 if unreadable.
pub fn proc_status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Migrates the database, creates a secretariat account and an event open for
/// registration now with one category of `capacity` seats; returns the app, the
/// event's id and the category's id.
pub fn set_up(url: &str, capacity: usize) -> (App, i64, i64) {
    let db = Db::open(&DatabaseUrl::parse(url).expect("url")).expect("database");
    db.migrate().expect("migrate");
    let app = App::new(
        db,
        AppConfig {
            base_url: "http://127.0.0.1".into(),
            mail_from: "noreply@example.org".into(),
        },
        Arc::new(SystemClock),
    )
    .expect("app");
    app.bootstrap_admin("bench@example.org", "Bench", PASSWORD)
        .expect("admin");
    let signed = app
        .sign_in("bench@example.org", PASSWORD, "127.0.0.1", None)
        .expect("sign in");
    let admin = app
        .session_user(&signed.session_token)
        .expect("session")
        .expect("live")
        .caller(None);
    let now = SystemClock.now();
    let local = |days: i64| {
        (now + chrono::Duration::days(days))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let event = app
        .save_event(
            &admin,
            None,
            &EventInput {
                title: "Load test forum".into(),
                venue: "Loopback".into(),
                time_zone: "UTC".into(),
                starts_at: local(30),
                ends_at: local(34),
                registration_opens_at: local(-1),
                registration_closes_at: local(20),
                changes_until: local(25),
                public_list: true,
                visa_letters: false,
                visa_retention_days: String::new(),
            },
        )
        .expect("event")
        .id;
    let category = app
        .save_category(
            &admin,
            event,
            None,
            &CategoryInput {
                name: "Onsite".into(),
                mode: "onsite".into(),
                capacity: capacity.to_string(),
                needs_approval: false,
            },
        )
        .expect("category")
        .id;
    (app, event, category)
}

/// `plenary serve` on a free port over `url`; returns the process and its address.
pub fn serve(url: &str) -> (Child, String) {
    serve_with(url, &[])
}

/// The same with more arguments for `serve`.
pub fn serve_with(url: &str, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
        // The load comes from one address: no limit per address here.
        .args(["--registration-limit", "0"])
        .args(extra)
        .env("PLENARY_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start plenary serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines.next().expect("server output").expect("line");
        if let Some(rest) = line.strip_prefix("Plenary is listening on http://") {
            break rest.split_whitespace().next().expect("address").to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (child, address)
}

/// One keep-alive connection.
pub struct Connection {
    reader: BufReader<TcpStream>,
    address: String,
}

impl Connection {
    pub fn open(address: &str) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Connection {
            reader: BufReader::new(stream),
            address: address.to_owned(),
        })
    }

    /// Gets a page with extra header lines (each ending with CRLF); returns the status
    /// and the body's length.
    pub fn get(&mut self, path: &str, headers: &str) -> std::io::Result<(u16, usize)> {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{headers}\r\n",
            self.address
        );
        self.reader.get_mut().write_all(request.as_bytes())?;
        let (status, body) = self.read_response()?;
        Ok((status, body.len()))
    }

    /// Posts JSON; returns the status and the body.
    pub fn post_json(&mut self, path: &str, body: &str) -> std::io::Result<(u16, String)> {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.address,
            body.len()
        );
        self.reader.get_mut().write_all(request.as_bytes())?;
        let (status, body) = self.read_response()?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }

    /// Sends a whole request (head and body, as written) and reads the answer: status,
    /// header lines and body.
    pub fn exchange(&mut self, request: &str) -> std::io::Result<Answer> {
        self.reader.get_mut().write_all(request.as_bytes())?;
        self.read_answer()
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    /// Reads one response with a Content-Length.
    fn read_response(&mut self) -> std::io::Result<(u16, Vec<u8>)> {
        self.read_answer().map(|a| (a.status, a.body))
    }

    fn read_answer(&mut self) -> std::io::Result<Answer> {
        let mut status_line = String::new();
        if self.reader.read_line(&mut status_line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let mut length = 0;
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            if self.reader.read_line(&mut header)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
                headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

/// A response: status, header lines (names in lower case) and body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub fn registration_body(n: usize, category: i64) -> String {
    format!(
        r#"{{"category_id":{category},"email":"person{n}@example.org","family_name":"Family{n}","given_name":"Given","organization":"Org","country":"KE","listed":true}}"#
    )
}

/// An acknowledged registration: the person's number and the status the server gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledged {
    pub n: usize,
    pub status: String,
}

/// Registers people `numbers` over `connections` keep-alive connections; stops early
/// (without error) when `stop` is set or the server goes away. Returns what the server
/// acknowledged with 201.
pub fn burst(
    address: &str,
    event: i64,
    category: i64,
    numbers: std::ops::Range<usize>,
    connections: usize,
    stop: &AtomicBool,
) -> Vec<Acknowledged> {
    burst_across(&[address], event, category, numbers, connections, stop)
}

/// `burst` split over several servers on one database: connection i goes to
/// `addresses[i % addresses.len()]`.
pub fn burst_across(
    addresses: &[&str],
    event: i64,
    category: i64,
    numbers: std::ops::Range<usize>,
    connections: usize,
    stop: &AtomicBool,
) -> Vec<Acknowledged> {
    let total = numbers.end;
    let next = AtomicUsize::new(numbers.start);
    let path = format!("/api/v1/events/{event}/registrations");
    let acknowledged = std::sync::Mutex::new(Vec::with_capacity(total - numbers.start));
    std::thread::scope(|s| {
        for i in 0..connections {
            let address = addresses[i % addresses.len()];
            let (next, path, acknowledged) = (&next, &path, &acknowledged);
            s.spawn(move || {
                let Ok(mut conn) = Connection::open(address) else {
                    return;
                };
                let mut mine = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    match conn.post_json(path, &registration_body(n, category)) {
                        Ok((201, body)) => {
                            let status = serde_json::from_str::<serde_json::Value>(&body)
                                .ok()
                                .and_then(|v| v["status"].as_str().map(str::to_owned))
                                .unwrap_or_default();
                            mine.push(Acknowledged { n, status });
                        }
                        Ok((status, body)) => panic!("registration {n}: {status} {body}"),
                        Err(_) => break,
                    }
                }
                acknowledged.lock().expect("lock").extend(mine);
            });
        }
    });
    acknowledged.into_inner().expect("lock")
}

/// After a crash: every acknowledged registration is stored with the status it was
/// acknowledged with, the category's seat count matches its seated registrations and
/// stays within `capacity`, and nobody waits while a seat is free.
pub fn check_after_crash(
    url: &str,
    event: i64,
    category: i64,
    capacity: usize,
    acknowledged: &[Acknowledged],
) {
    use plenary_domain::registration::RegistrationStatus;
    use plenary_store::registration as store;
    let db = Db::open(&DatabaseUrl::parse(url).expect("url")).expect("reopen");
    db.read(|tx| {
        for a in acknowledged {
            let stored = store::by_email_key(tx, event, &format!("person{}@example.org", a.n))?
                .unwrap_or_else(|| panic!("acknowledged registration {} is lost", a.n));
            assert_eq!(stored.status.as_str(), a.status, "registration {}", a.n);
        }
        let seats = store::categories(tx, event)?
            .into_iter()
            .find(|c| c.id == category)
            .expect("category");
        let (all, _) = store::list(tx, event, &store::ListFilter::default(), 10_000_000, 0)?;
        let seated = all.iter().filter(|r| r.status.holds_seat()).count() as i64;
        assert_eq!(
            seats.taken, seated,
            "the seat count matches the registrations"
        );
        assert!(
            seated <= capacity as i64,
            "{seated} seats taken of {capacity}"
        );
        let waiting = all
            .iter()
            .filter(|r| r.status == RegistrationStatus::Waitlisted)
            .count();
        assert!(
            waiting == 0 || seated == capacity as i64,
            "nobody waits while seats are free"
        );
        assert_eq!(seats.waiting, waiting as i64, "the waiting count matches");
        Ok::<_, plenary_store::StoreError>(())
    })
    .expect("check");
}

/// A connection with the anonymous cookie and the CSRF token of the sign-in form.
pub struct SignInClient {
    connection: Connection,
    forwarded_for: String,
    cookie: String,
    csrf: String,
}

impl SignInClient {
    pub fn open(address: &str, forwarded_for: String) -> SignInClient {
        let mut connection = Connection::open(address).expect("connect");
        let page = connection
            .exchange(&format!(
                "GET /sign-in HTTP/1.1\r\nHost: {address}\r\nX-Forwarded-For: {forwarded_for}\r\n\r\n"
            ))
            .expect("sign-in page");
        let cookie = page
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .expect("the anonymous cookie")
            .to_owned();
        let body = String::from_utf8_lossy(&page.body);
        let marker = "name=\"csrf\" value=\"";
        let start = body.find(marker).expect("csrf field") + marker.len();
        let csrf = body[start..].split('"').next().expect("token").to_owned();
        SignInClient {
            connection,
            forwarded_for,
            cookie,
            csrf,
        }
    }

    /// One failed sign-in; returns the status.
    pub fn fail(&mut self, email: &str) -> u16 {
        let form = format!(
            "csrf={}&email={}&password=not+the+password&next=%2F",
            self.csrf,
            email.replace('@', "%40")
        );
        let request = format!(
            "POST /sign-in HTTP/1.1\r\nHost: {}\r\nX-Forwarded-For: {}\r\nCookie: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            self.connection.address(),
            self.forwarded_for,
            self.cookie,
            form.len()
        );
        let answer = self.connection.exchange(&request).expect("an answer");
        if matches!(answer.status, 429 | 503) {
            assert!(
                answer.header("retry-after").is_some(),
                "{} without Retry-After",
                answer.status
            );
        }
        answer.status
    }
}
