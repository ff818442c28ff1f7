//! Outgoing mail: message texts, the SMTP client and the outbox worker's step.
//!
//! Mail is queued in the outbox inside the use case's transaction; `deliver_due_mail`
//! leases due messages one at a time and hands them to a [`Mailer`].

use crate::{App, AppError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Duration, Utc};
use plenary_store::outbox::{self, Message, NewMessage};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

/// A message before it has a recipient.
pub(crate) struct Outgoing {
    pub kind: &'static str,
    pub subject: String,
    pub body_text: String,
}

impl Outgoing {
    pub(crate) fn to<'a>(&'a self, recipient: &'a str) -> NewMessage<'a> {
        NewMessage {
            kind: self.kind,
            recipient,
            subject: &self.subject,
            body_text: &self.body_text,
            body_html: None,
        }
    }
}

pub(crate) fn password_reset(display_name: &str, link: &str, lifetime: Duration) -> Outgoing {
    Outgoing {
        kind: "password_reset",
        subject: "Reset your Plenary password".into(),
        body_text: format!(
            "Hello {display_name},\n\n\
             someone (hopefully you) asked to reset the password of your Plenary account.\n\
             Open this link to choose a new password. It works once, for {} minutes:\n\n\
             {link}\n\n\
             If you did not ask for this, ignore this message; your password stays as it is.\n",
            lifetime.num_minutes()
        ),
    }
}

/// Something that delivers one message, e.g. over SMTP.
pub trait Mailer: Send + Sync {
    fn send(&self, from: &str, message: &Message) -> Result<(), String>;
}

/// Attempts before a message is marked failed for good.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a worker may hold a message before another may take it over.
const LEASE: Duration = Duration::minutes(5);

/// Exponential backoff: 1, 2, 4, ... minutes after the attempt that failed.
fn retry_delay(attempts: i64) -> Duration {
    Duration::minutes(1i64 << attempts.clamp(1, 9).saturating_sub(1))
}

impl App {
    /// Sends every due message; returns how many went out. Safe to run on several servers.
    pub fn deliver_due_mail(&self, mailer: &dyn Mailer) -> Result<usize, AppError> {
        let mut sent = 0;
        loop {
            let now = self.now();
            let Some(message) = self
                .db()
                .write(|tx| outbox::lease_next(tx, now, now + LEASE))?
            else {
                return Ok(sent);
            };
            let outcome = mailer.send(&self.config().mail_from, &message);
            let now = self.now();
            self.db().write(|tx| match &outcome {
                Ok(()) => outbox::mark_sent(tx, message.id, now),
                Err(error) => {
                    let retry = (message.attempts < MAX_ATTEMPTS)
                        .then(|| now + retry_delay(message.attempts));
                    outbox::mark_failed(tx, message.id, error, retry)
                }
            })?;
            match outcome {
                Ok(()) => sent += 1,
                Err(error) => {
                    tracing::warn!(message_id = message.id, attempts = message.attempts, %error, "mail delivery failed")
                }
            }
        }
    }

    /// The newest messages of the outbox (operators and tests).
    pub fn outbox(&self, limit: i64) -> Result<Vec<Message>, AppError> {
        Ok(self.db().read(|tx| outbox::list(tx, limit))?)
    }
}

/// Plain SMTP to a relay (e.g. the local MTA). TLS and authentication come with the
/// full outbox work.
pub struct SmtpMailer {
    pub host: String,
    pub port: u16,
    pub timeout: std::time::Duration,
}

impl Mailer for SmtpMailer {
    fn send(&self, from: &str, message: &Message) -> Result<(), String> {
        let stream = TcpStream::connect((self.host.as_str(), self.port))
            .map_err(|e| format!("connect: {e}"))?;
        stream
            .set_read_timeout(Some(self.timeout))
            .map_err(|e| e.to_string())?;
        stream
            .set_write_timeout(Some(self.timeout))
            .map_err(|e| e.to_string())?;
        let mut session = SmtpSession {
            reader: BufReader::new(stream.try_clone().map_err(|e| e.to_string())?),
            writer: stream,
        };
        session.expect(220)?;
        session.command("EHLO plenary", 250)?;
        session.command(&format!("MAIL FROM:<{}>", bare_address(from)?), 250)?;
        session.command(
            &format!("RCPT TO:<{}>", bare_address(&message.recipient)?),
            250,
        )?;
        session.command("DATA", 354)?;
        let body = render_message(from, message, sending_time());
        session.write_raw(&dot_stuff(&body))?;
        session.command(".", 250)?;
        let _ = session.command("QUIT", 221);
        Ok(())
    }
}

/// The Date header wants the wall clock at sending time, outside any use case.
#[allow(clippy::disallowed_methods)]
fn sending_time() -> DateTime<Utc> {
    Utc::now()
}

struct SmtpSession {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl SmtpSession {
    fn write_raw(&mut self, text: &str) -> Result<(), String> {
        self.writer
            .write_all(text.as_bytes())
            .map_err(|e| format!("write: {e}"))
    }

    fn command(&mut self, line: &str, want: u16) -> Result<(), String> {
        self.write_raw(&format!("{line}\r\n"))?;
        self.expect(want)
    }

    /// Reads a (possibly multi-line) reply and checks its code.
    fn expect(&mut self, want: u16) -> Result<(), String> {
        loop {
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .map_err(|e| format!("read: {e}"))?;
            if n == 0 {
                return Err("connection closed by the SMTP server".into());
            }
            let code: u16 = line
                .get(..3)
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| format!("bad reply: {}", line.trim_end()))?;
            if line.as_bytes().get(3) == Some(&b'-') {
                continue;
            }
            return if code == want {
                Ok(())
            } else {
                Err(format!("SMTP server answered: {}", line.trim_end()))
            };
        }
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

fn encode_header(text: &str) -> String {
    format!("=?UTF-8?B?{}?=", BASE64.encode(text.as_bytes()))
}

fn base64_lines(text: &str) -> String {
    let encoded = BASE64.encode(text.as_bytes());
    encoded
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// The RFC 5322 message with a text part and, if present, an HTML alternative.
pub fn render_message(from: &str, m: &Message, date: DateTime<Utc>) -> String {
    let domain = from.rsplit_once('@').map_or("plenary.invalid", |(_, d)| d);
    let mut out = format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <outbox-{id}@{domain}>\r\nMIME-Version: 1.0\r\n",
        to = m.recipient,
        subject = encode_header(&m.subject),
        date = date.to_rfc2822(),
        id = m.id,
    );
    let text_part = format!(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        base64_lines(&m.body_text)
    );
    match &m.body_html {
        None => out.push_str(&text_part),
        Some(html) => {
            let boundary = format!("plenary-{}", m.id);
            out.push_str(&format!(
                "Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n{text_part}--{boundary}\r\n\
                 Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--{boundary}--\r\n",
                base64_lines(html)
            ));
        }
    }
    out
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

/// Decodes a base64 body part back to text (for tests and the SMTP test listener).
pub fn decode_base64_part(lines: &str) -> Option<String> {
    let joined: String = lines.split_whitespace().collect();
    BASE64
        .decode(joined)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body_html: Option<&str>) -> Message {
        Message {
            id: 7,
            kind: "k".into(),
            recipient: "ana@example.org".into(),
            subject: "Réunion".into(),
            body_text: ".leading dot\nGuðrún".into(),
            body_html: body_html.map(Into::into),
            status: "queued".into(),
            attempts: 1,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn messages_encode_non_ascii_and_carry_a_stable_id() {
        let text = render_message(
            "noreply@forum.example",
            &message(None),
            DateTime::UNIX_EPOCH,
        );
        assert!(
            text.contains("Subject: =?UTF-8?B?UsOpdW5pb24=?=\r\n"),
            "{text}"
        );
        assert!(text.contains("Message-ID: <outbox-7@forum.example>"));
        let body = text.split("\r\n\r\n").nth(1).expect("body");
        assert_eq!(
            decode_base64_part(body).as_deref(),
            Some(".leading dot\nGuðrún")
        );
    }

    #[test]
    fn html_goes_in_an_alternative_part() {
        let text = render_message(
            "a@b.example",
            &message(Some("<p>x</p>")),
            DateTime::UNIX_EPOCH,
        );
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("Content-Type: text/html"));
    }

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
    fn retries_back_off_exponentially() {
        assert_eq!(retry_delay(1), Duration::minutes(1));
        assert_eq!(retry_delay(2), Duration::minutes(2));
        assert_eq!(retry_delay(4), Duration::minutes(8));
        assert_eq!(retry_delay(50), Duration::minutes(256));
    }
}
