//! `plenary serve` sends the outbox through a real SMTP server on loopback, with the
//! settings of the command line: STARTTLS, credentials from the environment, a private
//! CA. A restarted server does not send the message again.

use plenary_app::mail::testing::{ListenerOptions, ListenerTls, SmtpListener, TEST_CA_PEM};
use plenary_app::{App, AppConfig, SystemClock};
use plenary_store::testing::TestDb;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const USER: &str = "plenary";
const PASSWORD: &str = "relay secret";

/// `plenary serve` until dropped.
struct Server(Child);

impl Server {
    fn start(db: &TestDb, smtp_port: u16, ca: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plenary"))
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                &db.url(),
            ])
            .args([
                "--smtp-host",
                "127.0.0.1",
                "--smtp-port",
                &smtp_port.to_string(),
            ])
            .arg("--smtp-starttls")
            .arg("--smtp-ca")
            .arg(ca)
            .args(["--base-url", "https://forum.example.org"])
            .env("PLENARY_SMTP_USER", USER)
            .env("PLENARY_SMTP_PASSWORD", PASSWORD)
            .env("PLENARY_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start plenary serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let listening = lines
            .by_ref()
            .map_while(Result::ok)
            .any(|l| l.starts_with("Plenary is listening on "));
        assert!(listening, "the server started");
        std::thread::spawn(move || lines.for_each(drop));
        Server(child)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_delivers_the_outbox_over_starttls_once() {
    let db = TestDb::from_env();
    let app = App::new(
        db.db.clone(),
        AppConfig {
            base_url: "https://forum.example.org".into(),
            mail_from: "noreply@forum.example.org".into(),
        },
        Arc::new(SystemClock),
    )
    .expect("app");
    app.bootstrap_admin("ana@example.org", "Ana", "a long password")
        .expect("admin");
    app.request_password_reset("ana@example.org", None)
        .expect("reset mail queued");

    let listener = SmtpListener::start(ListenerOptions {
        tls: ListenerTls::StartTls,
        credentials: Some((USER.into(), PASSWORD.into())),
        ..Default::default()
    });
    let ca = std::env::temp_dir().join(format!("plenary-test-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, TEST_CA_PEM).expect("write CA");

    let server = Server::start(&db, listener.port(), &ca);
    let received = listener.wait_for(1, Duration::from_secs(60));
    assert_eq!(received.len(), 1, "the reset mail arrived");
    let mail = &received[0];
    assert!(mail.tls);
    assert_eq!(mail.authenticated_as.as_deref(), Some(USER));
    assert_eq!(mail.rcpt_to, ["ana@example.org"]);
    assert!(mail.data.contains("Message-ID: <outbox-"));
    assert!(
        listener
            .commands()
            .iter()
            .filter(|c| !c.tls)
            .all(|c| c.line.starts_with("EHLO ") || c.line == "STARTTLS"),
        "nothing but EHLO and STARTTLS before TLS"
    );
    // The server records the answer just after the listener has the message.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while app.outbox(1).expect("outbox")[0].status != "sent" {
        assert!(std::time::Instant::now() < deadline, "marked sent");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(server);

    // After a restart the message is not sent again.
    let restarted = Server::start(&db, listener.port(), &ca);
    std::thread::sleep(Duration::from_secs(3));
    drop(restarted);
    assert_eq!(listener.messages().len(), 1);
    let _ = std::fs::remove_file(ca);
}

#[test]
fn credentials_without_tls_stop_start_up_naming_the_setting() {
    let db = TestDb::sqlite();
    let out = Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args([
            "serve",
            "--database-url",
            &db.url(),
            "--smtp-host",
            "127.0.0.1",
        ])
        .env("PLENARY_SMTP_USER", USER)
        .env("PLENARY_SMTP_PASSWORD", PASSWORD)
        .env("PLENARY_LOG", "error")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("PLENARY_SMTP_USER (--smtp-user)"),
        "{stderr}"
    );
    assert!(!stderr.contains(PASSWORD));
    let out = Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args([
            "serve",
            "--database-url",
            &db.url(),
            "--smtp-host",
            "127.0.0.1",
            "--smtp-starttls",
        ])
        .env("PLENARY_SMTP_USER", USER)
        .env_remove("PLENARY_SMTP_PASSWORD")
        .env("PLENARY_LOG", "error")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PLENARY_SMTP_PASSWORD"));
}
