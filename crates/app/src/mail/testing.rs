//! A real SMTP server on loopback for tests (feature `testing`): plain, STARTTLS or
//! implicit TLS with the test certificate of `tests/fixtures`, optional AUTH PLAIN and
//! LOGIN with fixed credentials. It records every command line (and whether TLS was on
//! when it came) and every message that arrives.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The CA that signed the listener's certificate (for `--smtp-ca` / `extra_ca_pem`).
pub const TEST_CA_PEM: &str = include_str!("../../tests/fixtures/smtp-test-ca.pem");
const SERVER_CERT_PEM: &str = include_str!("../../tests/fixtures/smtp-test-server.pem");
const SERVER_KEY_PEM: &str = include_str!("../../tests/fixtures/smtp-test-server.key");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListenerTls {
    #[default]
    None,
    /// Offers STARTTLS in its EHLO answer.
    StartTls,
    /// TLS from the first byte.
    Implicit,
}

#[derive(Debug, Clone, Default)]
pub struct ListenerOptions {
    pub tls: ListenerTls,
    /// When set, AUTH is offered and required before MAIL FROM.
    pub credentials: Option<(String, String)>,
    /// The mechanisms offered (default "PLAIN LOGIN").
    pub auth_mechanisms: Option<String>,
    /// Answer RCPT with 550.
    pub refuse_recipients: bool,
    /// Answer the end of DATA with 451 (temporary failure).
    pub refuse_data: bool,
}

/// A command line as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub line: String,
    pub tls: bool,
}

/// A message as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message text, dot-unstuffed, CRLF line ends.
    pub data: String,
    pub tls: bool,
    pub authenticated_as: Option<String>,
}

#[derive(Default)]
struct Log {
    commands: Vec<Command>,
    messages: Vec<Received>,
    connections: usize,
}

struct Shared {
    log: Mutex<Log>,
    arrived: Condvar,
    stop: AtomicBool,
    options: ListenerOptions,
    tls: Arc<ServerConfig>,
}

pub struct SmtpListener {
    port: u16,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

fn server_config() -> Arc<ServerConfig> {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(SERVER_CERT_PEM.as_bytes())
            .collect::<Result<_, _>>()
            .expect("test certificate");
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY_PEM.as_bytes()).expect("test key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocols")
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .expect("server config"),
    )
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Log> {
    shared.log.lock().unwrap_or_else(|p| p.into_inner())
}

impl SmtpListener {
    /// Listens on 127.0.0.1 at a free port until dropped.
    pub fn start(options: ListenerOptions) -> SmtpListener {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let shared = Arc::new(Shared {
            log: Mutex::new(Log::default()),
            arrived: Condvar::new(),
            stop: AtomicBool::new(false),
            options,
            tls: server_config(),
        });
        let acceptor = {
            let shared = shared.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if shared.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let shared = shared.clone();
                    std::thread::spawn(move || {
                        lock(&shared).connections += 1;
                        let _ = Session::serve(&shared, stream);
                    });
                }
            })
        };
        SmtpListener {
            port,
            shared,
            acceptor: Some(acceptor),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every command line received so far, in order of arrival.
    pub fn commands(&self) -> Vec<Command> {
        lock(&self.shared).commands.clone()
    }

    /// Every message accepted so far.
    pub fn messages(&self) -> Vec<Received> {
        lock(&self.shared).messages.clone()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        lock(&self.shared).connections
    }

    /// Waits until at least `count` messages arrived or `timeout` passed; returns them.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        let mut log = lock(&self.shared);
        while log.messages.len() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            log = self
                .shared
                .arrived
                .wait_timeout(log, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        log.messages.clone()
    }
}

impl Drop for SmtpListener {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(handle) = self.acceptor.take() {
            let _ = handle.join();
        }
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ServerConnection, TcpStream>>),
    Closed,
}

impl Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
            Stream::Closed => Ok(0),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.write_all(buf).and_then(|()| s.flush()),
            Stream::Tls(s) => s.write_all(buf).and_then(|()| s.flush()),
            Stream::Closed => Err(std::io::ErrorKind::NotConnected.into()),
        }
    }
}

struct Session<'a> {
    shared: &'a Shared,
    stream: Stream,
    buffer: Vec<u8>,
    authenticated_as: Option<String>,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

impl Session<'_> {
    fn serve(shared: &Shared, tcp: TcpStream) -> std::io::Result<()> {
        tcp.set_read_timeout(Some(Duration::from_secs(20)))?;
        tcp.set_write_timeout(Some(Duration::from_secs(20)))?;
        let mut s = Session {
            shared,
            stream: Stream::Plain(tcp),
            buffer: Vec::new(),
            authenticated_as: None,
            mail_from: None,
            rcpt_to: Vec::new(),
        };
        if shared.options.tls == ListenerTls::Implicit {
            s.start_tls()?;
        }
        s.reply("220 plenary-test ESMTP")?;
        while let Some(line) = s.line()? {
            s.record(&line);
            let upper = line.to_ascii_uppercase();
            let verb = upper.split(' ').next().unwrap_or("");
            match verb {
                "EHLO" | "HELO" => {
                    let mut lines = vec!["250-plenary-test".to_owned()];
                    if shared.options.tls == ListenerTls::StartTls && !s.is_tls() {
                        lines.push("250-STARTTLS".into());
                    }
                    if shared.options.credentials.is_some() {
                        let mechanisms = shared
                            .options
                            .auth_mechanisms
                            .clone()
                            .unwrap_or_else(|| "PLAIN LOGIN".into());
                        lines.push(format!("250-AUTH {mechanisms}"));
                    }
                    lines.push("250 8BITMIME".into());
                    s.reply(&lines.join("\r\n"))?;
                }
                "STARTTLS" if shared.options.tls == ListenerTls::StartTls && !s.is_tls() => {
                    s.reply("220 go ahead")?;
                    s.start_tls()?;
                }
                "AUTH" => s.auth(&line)?,
                "MAIL" => {
                    if shared.options.credentials.is_some() && s.authenticated_as.is_none() {
                        s.reply("530 5.7.0 authentication required")?;
                    } else {
                        s.mail_from = Some(address(&line));
                        s.rcpt_to.clear();
                        s.reply("250 ok")?;
                    }
                }
                "RCPT" if shared.options.refuse_recipients => s.reply("550 no such user")?,
                "RCPT" if s.mail_from.is_some() => {
                    s.rcpt_to.push(address(&line));
                    s.reply("250 ok")?;
                }
                "DATA" if !s.rcpt_to.is_empty() => {
                    s.reply("354 end with a dot")?;
                    let mut data = String::new();
                    loop {
                        let Some(l) = s.line()? else { return Ok(()) };
                        if l == "." {
                            break;
                        }
                        data.push_str(l.strip_prefix('.').unwrap_or(&l));
                        data.push_str("\r\n");
                    }
                    if shared.options.refuse_data {
                        s.reply("451 try again later")?;
                        continue;
                    }
                    let received = Received {
                        mail_from: s.mail_from.take().unwrap_or_default(),
                        rcpt_to: std::mem::take(&mut s.rcpt_to),
                        data,
                        tls: s.is_tls(),
                        authenticated_as: s.authenticated_as.clone(),
                    };
                    {
                        let mut log = lock(shared);
                        log.messages.push(received);
                    }
                    shared.arrived.notify_all();
                    s.reply("250 queued")?;
                }
                "RSET" | "NOOP" => s.reply("250 ok")?,
                "QUIT" => {
                    s.reply("221 bye")?;
                    return Ok(());
                }
                _ => s.reply("503 bad sequence of commands")?,
            }
        }
        Ok(())
    }

    fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    fn record(&self, line: &str) {
        lock(self.shared).commands.push(Command {
            line: line.to_owned(),
            tls: self.is_tls(),
        });
    }

    fn reply(&mut self, text: &str) -> std::io::Result<()> {
        self.stream.write_all(format!("{text}\r\n").as_bytes())
    }

    fn line(&mut self) -> std::io::Result<Option<String>> {
        loop {
            if let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                return Ok(Some(
                    String::from_utf8_lossy(&line)
                        .trim_end_matches(['\r', '\n'])
                        .to_owned(),
                ));
            }
            let mut chunk = [0u8; 4096];
            let n = match self.stream.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => 0,
                Err(e) => return Err(e),
            };
            if n == 0 {
                return Ok(None);
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }

    fn start_tls(&mut self) -> std::io::Result<()> {
        let Stream::Plain(tcp) = std::mem::replace(&mut self.stream, Stream::Closed) else {
            return Err(std::io::ErrorKind::InvalidInput.into());
        };
        let conn = ServerConnection::new(self.shared.tls.clone()).map_err(std::io::Error::other)?;
        let mut tls = StreamOwned::new(conn, tcp);
        while tls.conn.is_handshaking() {
            tls.conn.complete_io(&mut tls.sock)?;
        }
        self.buffer.clear();
        self.stream = Stream::Tls(Box::new(tls));
        Ok(())
    }

    fn auth(&mut self, line: &str) -> std::io::Result<()> {
        let Some((user, password)) = self.shared.options.credentials.clone() else {
            return self.reply("503 no AUTH here");
        };
        let mut words = line.split_whitespace().skip(1);
        let mechanism = words.next().unwrap_or("").to_ascii_uppercase();
        let given = match mechanism.as_str() {
            "PLAIN" => {
                let token = match words.next() {
                    Some(t) => t.to_owned(),
                    None => {
                        self.reply("334 ")?;
                        let t = self.line()?.unwrap_or_default();
                        self.record(&t);
                        t
                    }
                };
                let decoded = BASE64.decode(token.trim()).unwrap_or_default();
                let parts: Vec<String> = decoded
                    .split(|b| *b == 0)
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .collect();
                match parts.as_slice() {
                    [_, u, p] => Some((u.clone(), p.clone())),
                    _ => None,
                }
            }
            "LOGIN" => {
                self.reply("334 VXNlcm5hbWU6")?;
                let u = self.line()?.unwrap_or_default();
                self.record(&u);
                self.reply("334 UGFzc3dvcmQ6")?;
                let p = self.line()?.unwrap_or_default();
                self.record(&p);
                let decode = |s: &str| {
                    BASE64
                        .decode(s.trim())
                        .ok()
                        .and_then(|b| String::from_utf8(b).ok())
                };
                decode(&u).zip(decode(&p))
            }
            _ => return self.reply("504 unrecognised authentication type"),
        };
        if given == Some((user.clone(), password)) {
            self.authenticated_as = Some(user);
            self.reply("235 2.7.0 authentication successful")
        } else {
            self.reply("535 5.7.8 authentication credentials invalid")
        }
    }
}

/// The address between angle brackets of `MAIL FROM:<a>` or `RCPT TO:<a>`.
fn address(line: &str) -> String {
    line.split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or_else(String::new, |(a, _)| a.to_owned())
}

/// The decoded text of the first body part with this content type (`text/plain`,
/// `text/html`) in a received message, for assertions.
pub fn part_text(data: &str, content_type: &str) -> Option<String> {
    let marker = format!("Content-Type: {content_type}");
    let start = data.find(&marker)?;
    let after_headers = data[start..].find("\r\n\r\n")? + start + 4;
    let body: String = data[after_headers..]
        .lines()
        .take_while(|l| !l.starts_with("--") && !l.is_empty())
        .collect();
    super::decode_base64_part(&body)
}

/// The decoded bytes of the attachment named `file_name` in a received message.
pub fn attachment_bytes(data: &str, file_name: &str) -> Option<Vec<u8>> {
    let marker = format!("filename=\"{file_name}\"");
    let start = data.find(&marker)?;
    let after_headers = data[start..].find("\r\n\r\n")? + start + 4;
    let body: String = data[after_headers..]
        .lines()
        .take_while(|l| !l.starts_with("--") && !l.is_empty())
        .collect();
    BASE64.decode(body).ok()
}
