//! The SMTP client: plain, STARTTLS (RFC 3207) or implicit TLS (RFC 8314), with AUTH
//! PLAIN or LOGIN (RFC 4954) over TLS only. TLS is rustls with the Web PKI roots, plus
//! any CA the operator names.

use super::Mailer;
use super::mime::render_message;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use plenary_store::outbox::Message;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmtpSecurity {
    /// No TLS (a relay on the same machine or network); no credentials are sent.
    #[default]
    Plain,
    /// Plain connection upgraded with STARTTLS, which must be offered; nothing is sent
    /// before TLS but the greeting and EHLO.
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// Where and how to send mail.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// Both or neither; sent only over TLS.
    pub user: Option<String>,
    pub password: Option<String>,
    /// PEM certificates to trust besides the Web PKI roots (a private CA).
    pub extra_ca_pem: Option<Vec<u8>>,
    pub timeout: Duration,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "(hidden)"))
            .field(
                "extra_ca_pem",
                &self
                    .extra_ca_pem
                    .as_ref()
                    .map(|p| format!("{} bytes", p.len())),
            )
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl SmtpSettings {
    /// A plain relay without credentials, e.g. the local MTA.
    pub fn plain(host: impl Into<String>, port: u16) -> SmtpSettings {
        SmtpSettings {
            host: host.into(),
            port,
            security: SmtpSecurity::Plain,
            user: None,
            password: None,
            extra_ca_pem: None,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Why settings cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmtpSettingsError {
    /// A user without a password.
    PasswordMissing,
    /// A password without a user.
    UserMissing,
    /// Credentials would travel in plain text.
    CredentialsNeedTls,
    /// The extra CA certificates cannot be read.
    BadCa(String),
}

impl fmt::Display for SmtpSettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SmtpSettingsError::PasswordMissing => f.write_str("a user needs a password"),
            SmtpSettingsError::UserMissing => f.write_str("a password needs a user"),
            SmtpSettingsError::CredentialsNeedTls => {
                f.write_str("credentials are sent over TLS only: add --smtp-starttls or --smtp-tls")
            }
            SmtpSettingsError::BadCa(why) => f.write_str(why),
        }
    }
}

/// Sends each message over its own SMTP connection.
pub struct SmtpMailer {
    settings: SmtpSettings,
    tls: Arc<ClientConfig>,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("settings", &self.settings)
            .finish()
    }
}

fn tls_config(extra_ca_pem: Option<&[u8]>) -> Result<Arc<ClientConfig>, SmtpSettingsError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(pem) = extra_ca_pem {
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| SmtpSettingsError::BadCa(format!("not PEM: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| SmtpSettingsError::BadCa(format!("unusable certificate: {e}")))?;
            added += 1;
        }
        if added == 0 {
            return Err(SmtpSettingsError::BadCa(
                "no PEM certificate (-----BEGIN CERTIFICATE-----) in the file".into(),
            ));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SmtpSettingsError::BadCa(format!("TLS set-up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

impl SmtpMailer {
    /// Checks the settings and prepares TLS.
    pub fn new(settings: SmtpSettings) -> Result<SmtpMailer, SmtpSettingsError> {
        match (&settings.user, &settings.password) {
            (Some(_), None) => return Err(SmtpSettingsError::PasswordMissing),
            (None, Some(_)) => return Err(SmtpSettingsError::UserMissing),
            (Some(_), Some(_)) if settings.security == SmtpSecurity::Plain => {
                return Err(SmtpSettingsError::CredentialsNeedTls);
            }
            _ => {}
        }
        let tls = tls_config(settings.extra_ca_pem.as_deref())?;
        Ok(SmtpMailer { settings, tls })
    }

    pub fn settings(&self) -> &SmtpSettings {
        &self.settings
    }
}

impl Mailer for SmtpMailer {
    fn send(&self, from: &str, message: &Message) -> Result<(), String> {
        self.send_with_hand_over(from, message, &mut || Ok(()))
    }

    fn send_with_hand_over(
        &self,
        from: &str,
        message: &Message,
        hand_over: &mut dyn FnMut() -> Result<(), String>,
    ) -> Result<(), String> {
        let from = bare_address(from)?;
        let to = bare_address(&message.recipient)?;
        let mut c = self.connect()?;
        c.expect(220)?;
        let helo = format!("EHLO {}", helo_name(from));
        let mut caps = c.ehlo(&helo)?;
        if self.settings.security == SmtpSecurity::StartTls {
            if !caps.starttls {
                return Err(
                    "the SMTP server does not offer STARTTLS, which the settings require".into(),
                );
            }
            c.command("STARTTLS", 220)?;
            c.start_tls(&self.tls, &self.settings.host)?;
            caps = c.ehlo(&helo)?;
        }
        if let (Some(user), Some(password)) = (&self.settings.user, &self.settings.password) {
            c.authenticate(&caps, user, password)?;
        }
        c.command(&format!("MAIL FROM:<{from}>"), 250)?;
        c.command(&format!("RCPT TO:<{to}>"), 250)?;
        c.command("DATA", 354)?;
        let body = render_message(from, message, sending_time());
        c.write_all(dot_stuff(&body).as_bytes())?;
        c.flush()?;
        // The server has the whole message; from here on it must never go out twice.
        hand_over()?;
        c.write_all(b".\r\n")?;
        c.flush()?;
        match c.reply() {
            Ok(reply) if reply.code == 250 => {
                let _ = c.command("QUIT", 221);
                Ok(())
            }
            Ok(reply) => Err(format!("SMTP server refused the message: {}", reply.text())),
            Err(e) => {
                tracing::warn!(message_id = message.id, error = %e, "no answer after the end of DATA; the server has the message, so it counts as sent");
                Ok(())
            }
        }
    }
}

impl SmtpMailer {
    fn connect(&self) -> Result<Connection, String> {
        let s = &self.settings;
        let addrs = (s.host.as_str(), s.port)
            .to_socket_addrs()
            .map_err(|e| format!("resolve {}: {e}", s.host))?;
        let mut last = format!("{} has no address", s.host);
        let mut tcp = None;
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, s.timeout) {
                Ok(t) => {
                    tcp = Some(t);
                    break;
                }
                Err(e) => last = format!("connect {addr}: {e}"),
            }
        }
        let tcp = tcp.ok_or(last)?;
        tcp.set_read_timeout(Some(s.timeout))
            .and_then(|()| tcp.set_write_timeout(Some(s.timeout)))
            .map_err(|e| e.to_string())?;
        let mut c = Connection {
            stream: Stream::Plain(tcp),
            buffer: Vec::new(),
        };
        if s.security == SmtpSecurity::Tls {
            c.start_tls(&self.tls, &s.host)?;
        }
        Ok(c)
    }
}

/// The Date header wants the wall clock at sending time, outside any use case.
#[allow(clippy::disallowed_methods)]
fn sending_time() -> DateTime<Utc> {
    Utc::now()
}

/// The name we greet with: the sender's domain.
fn helo_name(from: &str) -> &str {
    from.rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
        .unwrap_or("localhost")
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
    Closed,
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
            Stream::Closed => Ok(0),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
            Stream::Closed => Err(std::io::ErrorKind::NotConnected.into()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
            Stream::Closed => Ok(()),
        }
    }
}

struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl Reply {
    fn text(&self) -> String {
        format!("{} {}", self.code, self.lines.join(" / "))
    }
}

/// What the server offers in its EHLO answer.
#[derive(Default)]
struct Capabilities {
    starttls: bool,
    auth: Vec<String>,
}

const MAX_LINE: usize = 4096;

struct Connection {
    stream: Stream,
    /// Bytes read but not yet consumed.
    buffer: Vec<u8>,
}

impl Connection {
    fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    fn write_all(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.stream
            .write_all(bytes)
            .map_err(|e| format!("write: {e}"))
    }

    fn flush(&mut self) -> Result<(), String> {
        self.stream.flush().map_err(|e| format!("write: {e}"))
    }

    fn read_line(&mut self) -> Result<String, String> {
        loop {
            if let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                return Ok(String::from_utf8_lossy(&line)
                    .trim_end_matches(['\r', '\n'])
                    .to_owned());
            }
            if self.buffer.len() > MAX_LINE {
                return Err("the SMTP server sent an overlong line".into());
            }
            let mut chunk = [0u8; 1024];
            let n = self
                .stream
                .read(&mut chunk)
                .map_err(|e| format!("read: {e}"))?;
            if n == 0 {
                return Err("connection closed by the SMTP server".into());
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }

    /// Reads a (possibly multi-line) reply.
    fn reply(&mut self) -> Result<Reply, String> {
        let mut lines = Vec::new();
        loop {
            let line = self.read_line()?;
            let code: u16 = line
                .get(..3)
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| format!("bad reply: {line}"))?;
            let more = line.as_bytes().get(3) == Some(&b'-');
            lines.push(line.get(4..).unwrap_or("").to_owned());
            if !more {
                return Ok(Reply { code, lines });
            }
        }
    }

    fn expect(&mut self, want: u16) -> Result<Reply, String> {
        let reply = self.reply()?;
        if reply.code == want {
            Ok(reply)
        } else {
            Err(format!("SMTP server answered: {}", reply.text()))
        }
    }

    fn command(&mut self, line: &str, want: u16) -> Result<Reply, String> {
        self.write_all(format!("{line}\r\n").as_bytes())?;
        self.flush()?;
        self.expect(want)
    }

    fn ehlo(&mut self, line: &str) -> Result<Capabilities, String> {
        let reply = self.command(line, 250)?;
        let mut caps = Capabilities::default();
        for l in reply.lines.iter().skip(1) {
            let upper = l.to_ascii_uppercase();
            let mut words = upper.split([' ', '=']);
            match words.next() {
                Some("STARTTLS") => caps.starttls = true,
                Some("AUTH") => caps.auth.extend(words.map(str::to_owned)),
                _ => {}
            }
        }
        Ok(caps)
    }

    /// Upgrades the connection. Anything the server sent after its STARTTLS answer would
    /// be read as if protected (CVE-2011-0411 style injection), so it is refused.
    fn start_tls(&mut self, config: &Arc<ClientConfig>, host: &str) -> Result<(), String> {
        if !self.buffer.is_empty() {
            return Err("the SMTP server sent data before the TLS handshake; refusing".into());
        }
        let name = ServerName::try_from(host.to_owned())
            .map_err(|e| format!("TLS: {host:?} is not a server name: {e}"))?;
        let Stream::Plain(tcp) = std::mem::replace(&mut self.stream, Stream::Closed) else {
            return Err("TLS is active already".into());
        };
        let conn = ClientConnection::new(config.clone(), name).map_err(|e| format!("TLS: {e}"))?;
        let mut tls = StreamOwned::new(conn, tcp);
        while tls.conn.is_handshaking() {
            tls.conn
                .complete_io(&mut tls.sock)
                .map_err(|e| format!("TLS handshake with {host}: {e}"))?;
        }
        self.stream = Stream::Tls(Box::new(tls));
        Ok(())
    }

    /// AUTH PLAIN, or LOGIN when the server offers only that; never without TLS.
    fn authenticate(
        &mut self,
        caps: &Capabilities,
        user: &str,
        password: &str,
    ) -> Result<(), String> {
        if !self.is_tls() {
            return Err("refusing to send SMTP credentials without TLS".into());
        }
        let refused = |e: String| format!("SMTP authentication failed: {e}");
        if caps.auth.iter().any(|m| m == "PLAIN") {
            let token = BASE64.encode(format!("\0{user}\0{password}"));
            self.command(&format!("AUTH PLAIN {token}"), 235)
                .map_err(refused)?;
        } else if caps.auth.iter().any(|m| m == "LOGIN") {
            self.command("AUTH LOGIN", 334).map_err(refused)?;
            self.command(&BASE64.encode(user), 334).map_err(refused)?;
            self.command(&BASE64.encode(password), 235)
                .map_err(refused)?;
        } else {
            return Err("the SMTP server offers neither AUTH PLAIN nor AUTH LOGIN".into());
        }
        Ok(())
    }
}

/// An address fit for an SMTP envelope and headers: no line breaks or angle brackets.
fn bare_address(address: &str) -> Result<&str, String> {
    if address.is_empty()
        || address
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '<' || c == '>')
    {
        return Err(format!("unusable address {address:?}"));
    }
    Ok(address)
}

/// SMTP ends DATA with a line holding one dot; lines starting with a dot get another.
fn dot_stuff(message: &str) -> String {
    message
        .split("\r\n")
        .map(|line| {
            if line.starts_with('.') {
                format!(".{line}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_addresses_cannot_inject_commands() {
        assert!(bare_address("a@b.example\r\nRCPT TO:<x@y>").is_err());
        assert!(bare_address("a@b.example").is_ok());
    }

    #[test]
    fn dots_at_line_starts_are_doubled() {
        assert_eq!(dot_stuff("a\r\n.b\r\n."), "a\r\n..b\r\n..");
    }

    #[test]
    fn credentials_need_tls_and_each_other() {
        let with = |security, user: Option<&str>, password: Option<&str>| {
            SmtpMailer::new(SmtpSettings {
                security,
                user: user.map(Into::into),
                password: password.map(Into::into),
                ..SmtpSettings::plain("relay.example.org", 587)
            })
            .map(|_| ())
        };
        assert_eq!(
            with(SmtpSecurity::Plain, Some("u"), Some("p")),
            Err(SmtpSettingsError::CredentialsNeedTls)
        );
        assert_eq!(
            with(SmtpSecurity::StartTls, Some("u"), None),
            Err(SmtpSettingsError::PasswordMissing)
        );
        assert_eq!(
            with(SmtpSecurity::Tls, None, Some("p")),
            Err(SmtpSettingsError::UserMissing)
        );
        assert_eq!(with(SmtpSecurity::StartTls, Some("u"), Some("p")), Ok(()));
        assert_eq!(with(SmtpSecurity::Plain, None, None), Ok(()));
    }

    #[test]
    fn a_ca_file_must_hold_certificates() {
        let bad = SmtpMailer::new(SmtpSettings {
            extra_ca_pem: Some(b"not a certificate".to_vec()),
            ..SmtpSettings::plain("relay.example.org", 25)
        });
        assert!(matches!(bad, Err(SmtpSettingsError::BadCa(_))));
    }

    #[test]
    fn passwords_stay_out_of_debug_output() {
        let s = SmtpSettings {
            password: Some("hunter2".into()),
            ..SmtpSettings::plain("h", 25)
        };
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
