//! The SMTP client against a real listener on loopback.

use chrono::{TimeZone, Utc};
use plenary_app::mail::testing::part_text;
use plenary_app::mail::{SmtpMailer, SmtpSettings};
use plenary_app::{App, AppConfig, FixedClock};
use plenary_store::testing::TestDb;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A one-connection SMTP server; returns what it received (commands and data), and
/// refuses RCPT with 550 when `refuse_recipient` is set.
fn smtp_listener(refuse_recipient: bool) -> (u16, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let mut writer = stream.try_clone().expect("clone");
        let mut reader = BufReader::new(stream);
        let mut seen = Vec::new();
        writer.write_all(b"220 test ESMTP\r\n").expect("greet");
        let mut in_data = false;
        let mut data = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if in_data {
                if line == ".\r\n" {
                    in_data = false;
                    seen.push(std::mem::take(&mut data));
                    writer.write_all(b"250 queued\r\n").expect("reply");
                } else {
                    data.push_str(&line);
                }
                continue;
            }
            seen.push(line.trim_end().to_owned());
            let reply: &[u8] = match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
                "EHLO" => b"250-test\r\n250 8BITMIME\r\n",
                "RCPT" if refuse_recipient => b"550 no such user\r\n",
                "DATA" => {
                    in_data = true;
                    b"354 go ahead\r\n"
                }
                "QUIT" => {
                    writer.write_all(b"221 bye\r\n").expect("reply");
                    break;
                }
                _ => b"250 ok\r\n",
            };
            writer.write_all(reply).expect("reply");
        }
        seen
    });
    (port, handle)
}

fn app(db: &TestDb) -> App {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 6, 26, 8, 0, 0)
            .single()
            .expect("instant"),
    ));
    let config = AppConfig {
        base_url: "https://forum.example.org".into(),
        mail_from: "noreply@forum.example.org".into(),
    };
    App::new(db.db.clone(), config, clock).expect("app")
}

#[test]
fn a_reset_mail_arrives_over_smtp() {
    let db = TestDb::sqlite();
    let app = app(&db);
    app.bootstrap_admin("guðrún@example.org", "Guðrún Jónsdóttir", "a long password")
        .expect("admin");
    app.request_password_reset("guðrún@example.org", None)
        .expect("request");
    let (port, server) = smtp_listener(false);
    let mailer = SmtpMailer::new(SmtpSettings::plain("127.0.0.1", port)).expect("settings");
    assert_eq!(app.deliver_due_mail(&mailer).expect("deliver"), 1);
    let seen = server.join().expect("server");
    assert!(
        seen.contains(&"MAIL FROM:<noreply@forum.example.org>".to_owned()),
        "{seen:?}"
    );
    assert!(
        seen.contains(&"RCPT TO:<guðrún@example.org>".to_owned()),
        "{seen:?}"
    );
    let data = seen
        .iter()
        .find(|l| l.contains("Subject:"))
        .expect("message data");
    assert!(data.contains("To: guðrún@example.org\r\n"));
    assert!(data.contains("Message-ID: <outbox-"));
    let text = part_text(data, "text/plain").expect("base64 text");
    assert!(
        text.contains("Hello Guðrún Jónsdóttir")
            && text.contains("https://forum.example.org/password-reset/"),
        "{text}"
    );
    assert_eq!(app.outbox(1).expect("outbox")[0].status, "sent");
}

#[test]
fn a_refused_recipient_is_retried_later() {
    let db = TestDb::sqlite();
    let app = app(&db);
    app.bootstrap_admin("ana@example.org", "Ana", "a long password")
        .expect("admin");
    app.request_password_reset("ana@example.org", None)
        .expect("request");
    let (port, server) = smtp_listener(true);
    let mailer = SmtpMailer::new(SmtpSettings::plain("127.0.0.1", port)).expect("settings");
    assert_eq!(app.deliver_due_mail(&mailer).expect("deliver"), 0);
    drop(server);
    let message = &app.outbox(1).expect("outbox")[0];
    assert_eq!((message.status.as_str(), message.attempts), ("queued", 1));
}
