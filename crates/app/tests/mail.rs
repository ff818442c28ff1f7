//! The outbox end to end: templates, attachments, bulk sends and the worker, against a
//! real SMTP server on loopback (plain, STARTTLS, implicit TLS, AUTH), on both backends.

#[macro_use]
mod common;

use chrono::Duration;
use plenary_app::mail::testing::{
    ListenerOptions, ListenerTls, SmtpListener, TEST_CA_PEM, attachment_bytes, part_text,
};
use plenary_app::mail::{
    Attachment, BulkDraft, BulkOutcome, Mailer, SmtpMailer, SmtpSecurity, SmtpSettings,
    TemplateInput, enqueue_templated,
};
use plenary_app::{
    App, AppConfig, AppError, AuditFilter, BodyInput, Caller, DatabaseUrl, Db, FixedClock,
    NewAccount, OutboxMessage, PersonInput,
};
use plenary_domain::{Grant, Role, Scope};
use plenary_store::testing::TestDb;
use std::sync::{Arc, Mutex, mpsc};

struct Harness {
    app: App,
    clock: Arc<FixedClock>,
    admin: Caller,
    db: TestDb,
}

fn harness(db: TestDb) -> Harness {
    let (app, clock) = common::app_at(&db, (2026, 6, 26, 8));
    let admin = common::admin(&app);
    Harness {
        app,
        clock,
        admin,
        db,
    }
}

on_both_backends!(
    starttls_with_auth_plain_delivers_over_tls,
    auth_login_is_the_fallback,
    implicit_tls_delivers,
    credentials_never_go_out_before_tls,
    an_untrusted_certificate_is_refused,
    wrong_credentials_are_retried_later,
    templates_are_edited_checked_and_reset,
    values_are_escaped_in_html_and_unknown_names_refused,
    attachments_arrive_intact,
    bulk_sends_show_the_count_first,
    a_sent_message_is_never_sent_again_by_another_instance,
    a_worker_that_died_before_the_end_of_data_is_replaced,
    a_worker_that_died_after_handing_over_is_not_repeated,
    a_worker_whose_lease_expired_does_not_send,
    concurrent_workers_send_each_message_once,
);

const USER: &str = "plenary@relay.example.org";
const PASSWORD: &str = "relay password ü";

fn settings(listener: &SmtpListener, security: SmtpSecurity, credentials: bool) -> SmtpSettings {
    SmtpSettings {
        security,
        user: credentials.then(|| USER.to_owned()),
        password: credentials.then(|| PASSWORD.to_owned()),
        extra_ca_pem: Some(TEST_CA_PEM.as_bytes().to_vec()),
        timeout: std::time::Duration::from_secs(10),
        ..SmtpSettings::plain("127.0.0.1", listener.port())
    }
}

fn mailer(listener: &SmtpListener, security: SmtpSecurity, credentials: bool) -> SmtpMailer {
    SmtpMailer::new(settings(listener, security, credentials)).expect("settings")
}

fn listener(tls: ListenerTls, credentials: bool) -> SmtpListener {
    SmtpListener::start(ListenerOptions {
        tls,
        credentials: credentials.then(|| (USER.to_owned(), PASSWORD.to_owned())),
        ..Default::default()
    })
}

/// Queues a password-reset mail for the admin account.
fn queue_reset(h: &Harness) {
    h.app
        .request_password_reset("admin@example.org", None)
        .expect("request");
}

fn newest(h: &Harness) -> OutboxMessage {
    h.app.outbox(1).expect("outbox").pop().expect("a message")
}

/// A second application instance (another server, or this one after a restart) on the
/// same database and clock.
fn second_instance(h: &Harness) -> App {
    let url = DatabaseUrl::parse(&h.db.url()).expect("url");
    let config = AppConfig {
        base_url: "https://forum.example.org".into(),
        mail_from: "noreply@forum.example.org".into(),
    };
    App::new(Db::open(&url).expect("open"), config, h.clock.clone()).expect("app")
}

fn starttls_with_auth_plain_delivers_over_tls(h: Harness) {
    queue_reset(&h);
    let server = listener(ListenerTls::StartTls, true);
    let sent = h
        .app
        .deliver_due_mail(&mailer(&server, SmtpSecurity::StartTls, true))
        .expect("deliver");
    assert_eq!(sent, 1);
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert!(m.tls, "the message went over TLS");
    assert_eq!(m.authenticated_as.as_deref(), Some(USER));
    assert_eq!(m.mail_from, "noreply@forum.example.org");
    assert_eq!(m.rcpt_to, ["admin@example.org"]);
    let text = part_text(&m.data, "text/plain").expect("text part");
    assert!(
        text.contains("Hello Admin") && text.contains("https://forum.example.org/password-reset/"),
        "{text}"
    );
    let html = part_text(&m.data, "text/html").expect("html part");
    assert!(html.contains("<a href=\"https://forum.example.org/password-reset/"));
    let plain: Vec<String> = server
        .commands()
        .into_iter()
        .filter(|c| !c.tls)
        .map(|c| c.line)
        .collect();
    assert_eq!(plain, ["EHLO forum.example.org", "STARTTLS"]);
    assert_eq!(newest(&h).status, "sent");
}

fn auth_login_is_the_fallback(h: Harness) {
    queue_reset(&h);
    let server = SmtpListener::start(ListenerOptions {
        tls: ListenerTls::StartTls,
        credentials: Some((USER.into(), PASSWORD.into())),
        auth_mechanisms: Some("LOGIN CRAM-MD5".into()),
        ..Default::default()
    });
    assert_eq!(
        h.app
            .deliver_due_mail(&mailer(&server, SmtpSecurity::StartTls, true))
            .expect("deliver"),
        1
    );
    assert_eq!(server.messages()[0].authenticated_as.as_deref(), Some(USER));
    assert!(
        server
            .commands()
            .iter()
            .any(|c| c.tls && c.line == "AUTH LOGIN")
    );
}

fn implicit_tls_delivers(h: Harness) {
    queue_reset(&h);
    let server = listener(ListenerTls::Implicit, true);
    assert_eq!(
        h.app
            .deliver_due_mail(&mailer(&server, SmtpSecurity::Tls, true))
            .expect("deliver"),
        1
    );
    assert!(server.commands().iter().all(|c| c.tls));
    assert!(server.messages()[0].tls);
}

fn credentials_never_go_out_before_tls(h: Harness) {
    queue_reset(&h);
    // A server (or a man in the middle) that does not offer STARTTLS.
    let server = listener(ListenerTls::None, true);
    assert_eq!(
        h.app
            .deliver_due_mail(&mailer(&server, SmtpSecurity::StartTls, true))
            .expect("deliver"),
        0
    );
    let lines: Vec<String> = server.commands().into_iter().map(|c| c.line).collect();
    assert_eq!(
        lines,
        ["EHLO forum.example.org"],
        "nothing but EHLO in plain text"
    );
    let message = newest(&h);
    assert_eq!(message.status, "queued", "retried later");
    assert!(
        message
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("STARTTLS")),
        "{:?}",
        message.last_error
    );
    // And the settings refuse credentials without TLS outright.
    assert!(SmtpMailer::new(settings(&server, SmtpSecurity::Plain, true)).is_err());
}

fn an_untrusted_certificate_is_refused(h: Harness) {
    queue_reset(&h);
    let server = listener(ListenerTls::StartTls, true);
    let untrusting = SmtpMailer::new(SmtpSettings {
        extra_ca_pem: None,
        ..settings(&server, SmtpSecurity::StartTls, true)
    })
    .expect("settings");
    assert_eq!(h.app.deliver_due_mail(&untrusting).expect("deliver"), 0);
    assert!(server.messages().is_empty());
    assert!(
        server.commands().iter().all(|c| !c.tls),
        "no command after the failed handshake"
    );
    let error = newest(&h).last_error.unwrap_or_default();
    assert!(error.contains("TLS handshake"), "{error}");
}

fn wrong_credentials_are_retried_later(h: Harness) {
    queue_reset(&h);
    let server = SmtpListener::start(ListenerOptions {
        tls: ListenerTls::StartTls,
        credentials: Some((USER.into(), "another password".into())),
        ..Default::default()
    });
    assert_eq!(
        h.app
            .deliver_due_mail(&mailer(&server, SmtpSecurity::StartTls, true))
            .expect("deliver"),
        0
    );
    let message = newest(&h);
    assert_eq!((message.status.as_str(), message.attempts), ("queued", 1));
    assert!(
        message
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("authentication failed") && !e.contains(PASSWORD))
    );
    assert!(server.messages().is_empty());
}

fn member(h: &Harness) -> Caller {
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "member@example.org".into(),
                display_name: "Member".into(),
                password: common::PASSWORD.into(),
                grants: vec![Grant {
                    role: Role::Member,
                    scope: Scope::Global,
                }],
            },
        )
        .expect("member");
    common::signed_in(&h.app, "member@example.org")
}

fn templates_are_edited_checked_and_reset(h: Harness) {
    let all = h.app.mail_templates(&h.admin).expect("list");
    for kind in [
        "password_reset",
        "action_reminder",
        "bulk",
        "registration_confirmed",
        "registration_pending",
        "registration_waitlisted",
        "registration_promoted",
        "registration_rejected",
        "registration_cancelled",
    ] {
        assert!(
            all.iter()
                .any(|t| t.kind.kind == kind && t.edited.is_none()),
            "{kind}"
        );
    }
    let someone = member(&h);
    assert!(matches!(
        h.app.mail_templates(&someone),
        Err(AppError::Forbidden)
    ));
    let edit = TemplateInput {
        subject: "Nouveau mot de passe pour {{name}}".into(),
        body_text: "Bonjour {{name}},\r\nle lien : {{link}} ({{minutes}} min)\r\n".into(),
        body_html: String::new(),
    };
    assert!(matches!(
        h.app.save_mail_template(&someone, "password_reset", &edit),
        Err(AppError::Forbidden)
    ));
    let saved = h
        .app
        .save_mail_template(&h.admin, "password_reset", &edit)
        .expect("save");
    assert_eq!(
        saved.edited.as_ref().map(|(_, by)| by.as_str()),
        Some("admin@example.org")
    );
    assert_eq!(
        saved.body_text,
        "Bonjour {{name}},\nle lien : {{link}} ({{minutes}} min)\n"
    );
    queue_reset(&h);
    let mail = newest(&h);
    assert_eq!(mail.subject, "Nouveau mot de passe pour Admin");
    assert!(
        mail.body_text
            .starts_with("Bonjour Admin,\nle lien : https://forum.example.org/password-reset/")
    );
    assert!(mail.body_text.ends_with(" (60 min)\n"));
    assert_eq!(
        mail.body_html, None,
        "no HTML part when the HTML text is empty"
    );

    let preview = h
        .app
        .preview_mail_template(&h.admin, "password_reset", &edit)
        .expect("preview");
    assert_eq!(
        preview.subject,
        "Nouveau mot de passe pour Guðrún Jónsdóttir"
    );

    let bad = TemplateInput {
        subject: "Hello {{first_name}}".into(),
        ..edit.clone()
    };
    let Err(AppError::Invalid(errors)) = h.app.save_mail_template(&h.admin, "password_reset", &bad)
    else {
        panic!("an unknown placeholder is refused");
    };
    assert_eq!(errors[0].field, "subject");
    assert!(
        errors[0]
            .problem
            .to_string()
            .contains("allowed: {{name}}, {{link}}, {{minutes}}")
    );
    assert!(matches!(
        h.app.save_mail_template(&h.admin, "no_such_kind", &edit),
        Err(AppError::NotFound)
    ));

    let reset = h
        .app
        .reset_mail_template(&h.admin, "password_reset")
        .expect("reset");
    assert!(reset.edited.is_none());
    assert_eq!(reset.subject, "Reset your Plenary password");
    queue_reset(&h);
    assert_eq!(newest(&h).subject, "Reset your Plenary password");

    let actions: Vec<String> = h
        .app
        .audit_log(
            &h.admin,
            &AuditFilter {
                action_prefix: Some("mail_template.".into()),
                ..Default::default()
            },
        )
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["mail_template.reset", "mail_template.save"]);
}

fn values_are_escaped_in_html_and_unknown_names_refused(h: Harness) {
    let id =
        h.db.db
            .write(|tx| {
                enqueue_templated(
                    tx,
                    "registration_waitlisted",
                    "ana@example.org",
                    &[
                        ("name", "Ana <script>alert(1)</script>".into()),
                        ("event", "IGF & friends".into()),
                        ("position", "4".into()),
                        ("link", "https://forum.example.org/r?a=1&b=2".into()),
                    ],
                    &[],
                    chrono::DateTime::UNIX_EPOCH,
                )
            })
            .expect("enqueue");
    let mail = newest(&h);
    assert_eq!(mail.id, id);
    assert_eq!(mail.kind, "registration_waitlisted");
    assert_eq!(
        mail.subject,
        "You are on the waiting list for IGF & friends"
    );
    assert!(
        mail.body_text
            .contains("Hello Ana <script>alert(1)</script>,")
    );
    assert!(
        mail.body_text
            .contains("you are number 4 on the waiting list")
    );
    let html = mail.body_html.expect("html");
    assert!(
        html.contains("Hello Ana &lt;script&gt;alert(1)&lt;/script&gt;,"),
        "{html}"
    );
    assert!(html.contains("<strong>IGF &amp; friends</strong>"));
    assert!(html.contains("href=\"https://forum.example.org/r?a=1&amp;b=2\""));

    let unknown_value = h.db.db.write(|tx| {
        enqueue_templated(
            tx,
            "registration_confirmed",
            "ana@example.org",
            &[("position", "1".into())],
            &[],
            chrono::DateTime::UNIX_EPOCH,
        )
    });
    assert!(matches!(unknown_value, Err(AppError::Internal(_))));
    let unknown_kind = h.db.db.write(|tx| {
        enqueue_templated(
            tx,
            "nope",
            "ana@example.org",
            &[],
            &[],
            chrono::DateTime::UNIX_EPOCH,
        )
    });
    assert!(matches!(unknown_kind, Err(AppError::Internal(_))));
    let bad_recipient = h.db.db.write(|tx| {
        enqueue_templated(
            tx,
            "bulk",
            "not an address",
            &[],
            &[],
            chrono::DateTime::UNIX_EPOCH,
        )
    });
    assert!(matches!(bad_recipient, Err(AppError::Invalid(_))));
    assert_eq!(
        h.app.outbox(10).expect("outbox").len(),
        1,
        "nothing else queued"
    );
}

fn attachments_arrive_intact(h: Harness) {
    let pdf: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n.dot line\r\nEND:VCALENDAR\r\n".to_vec();
    h.db.db
        .write(|tx| {
            enqueue_templated(
                tx,
                "registration_confirmed",
                "ana@example.org",
                &[("name", "Ana".into()), ("event", "IGF 2026".into())],
                &[
                    Attachment {
                        file_name: "igf-2026.ics".into(),
                        content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
                        data: ics.clone(),
                    },
                    Attachment {
                        file_name: "badge.pdf".into(),
                        content_type: "application/pdf".into(),
                        data: pdf.clone(),
                    },
                ],
                chrono::DateTime::UNIX_EPOCH,
            )
        })
        .expect("enqueue");
    let stored = newest(&h);
    assert_eq!(stored.attachments.len(), 2);
    let server = listener(ListenerTls::None, false);
    let plain = SmtpMailer::new(SmtpSettings::plain("127.0.0.1", server.port())).expect("plain");
    assert_eq!(h.app.deliver_due_mail(&plain).expect("deliver"), 1);
    let data = &server.messages()[0].data;
    assert!(data.contains("Content-Type: multipart/mixed;"), "{data}");
    assert!(data.contains("Content-Type: multipart/alternative;"));
    assert_eq!(attachment_bytes(data, "igf-2026.ics"), Some(ics));
    assert_eq!(attachment_bytes(data, "badge.pdf"), Some(pdf));
    assert!(
        part_text(data, "text/plain")
            .expect("text")
            .contains("your registration for IGF 2026")
    );
}

fn subscriber(h: &Harness, body: i64, given: &str, email: &str) {
    let person = h
        .app
        .save_person(
            &h.admin,
            None,
            &PersonInput {
                family_name: "Tester".into(),
                given_name: given.into(),
                email: email.into(),
                ..Default::default()
            },
        )
        .expect("person")
        .id;
    h.app
        .set_subscription(&h.admin, body, person, true)
        .expect("subscribe");
}

fn bulk_sends_show_the_count_first(h: Harness) {
    let body = h
        .app
        .save_body(
            &h.admin,
            None,
            &BodyInput {
                kind: "working_group".into(),
                short_name: "WG".into(),
                name: "Working Group on Access".into(),
                ..Default::default()
            },
        )
        .expect("body")
        .id;
    subscriber(&h, body, "Ana", "ana@example.org");
    subscriber(&h, body, "Bo", "bo@example.org");
    subscriber(&h, body, "Nobody", "");
    let draft = BulkDraft {
        body_id: body,
        subject: "Call for inputs".into(),
        message: "Dear colleagues,\r\n\r\nplease send <your> inputs.".into(),
    };
    let someone = member(&h);
    assert!(matches!(
        h.app.preview_bulk_mail(&someone, &draft),
        Err(AppError::Forbidden)
    ));
    let preview = h.app.preview_bulk_mail(&h.admin, &draft).expect("preview");
    assert_eq!(
        preview.recipients, 2,
        "people without an address are not counted"
    );
    // Someone subscribes between the preview and the confirmation.
    subscriber(&h, body, "Cy", "cy@example.org");
    assert_eq!(
        h.app.send_bulk_mail(&h.admin, &draft, 2).expect("send"),
        BulkOutcome::CountChanged { recipients: 3 }
    );
    assert!(
        h.app
            .outbox(10)
            .expect("outbox")
            .iter()
            .all(|m| m.kind != "bulk"),
        "nothing sent"
    );
    assert_eq!(
        h.app.send_bulk_mail(&h.admin, &draft, 3).expect("send"),
        BulkOutcome::Queued { recipients: 3 }
    );
    let bulk: Vec<OutboxMessage> = h
        .app
        .outbox(10)
        .expect("outbox")
        .into_iter()
        .filter(|m| m.kind == "bulk")
        .collect();
    let mut recipients: Vec<&str> = bulk.iter().map(|m| m.recipient.as_str()).collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        ["ana@example.org", "bo@example.org", "cy@example.org"]
    );
    let one = &bulk[0];
    assert_eq!(one.subject, "Call for inputs");
    assert!(
        one.body_text
            .starts_with("Dear colleagues,\n\nplease send <your> inputs.\n")
    );
    assert!(
        one.body_text
            .contains("subscriber of the list of Working Group on Access")
    );
    assert!(
        one.body_html
            .as_deref()
            .is_some_and(|h| h.contains("please send &lt;your&gt; inputs."))
    );
    let Err(AppError::Invalid(errors)) = h.app.preview_bulk_mail(
        &h.admin,
        &BulkDraft {
            body_id: body,
            subject: " ".into(),
            message: String::new(),
        },
    ) else {
        panic!("an empty draft is refused");
    };
    assert_eq!(
        errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        ["subject", "message"]
    );
    assert!(matches!(
        h.app.preview_bulk_mail(
            &h.admin,
            &BulkDraft {
                body_id: 999_999,
                ..draft.clone()
            }
        ),
        Err(AppError::NotFound)
    ));
    let audit = h
        .app
        .audit_log(
            &h.admin,
            &AuditFilter {
                action_prefix: Some("mail.bulk".into()),
                ..Default::default()
            },
        )
        .expect("audit");
    assert_eq!(audit.len(), 1, "the refused confirmation left no trace");
}

fn a_sent_message_is_never_sent_again_by_another_instance(h: Harness) {
    queue_reset(&h);
    let server = listener(ListenerTls::None, false);
    let plain = || SmtpMailer::new(SmtpSettings::plain("127.0.0.1", server.port())).expect("plain");
    assert_eq!(h.app.deliver_due_mail(&plain()).expect("deliver"), 1);
    // The server restarts (a new instance on the same database), much later.
    h.clock.advance(Duration::days(2));
    let restarted = second_instance(&h);
    assert_eq!(restarted.deliver_due_mail(&plain()).expect("deliver"), 0);
    assert_eq!(h.app.deliver_due_mail(&plain()).expect("deliver"), 0);
    assert_eq!(server.messages().len(), 1);
}

/// A worker that dies while sending: before the end of DATA, or just after handing the
/// message over.
struct DyingMailer {
    after_hand_over: bool,
}

impl Mailer for DyingMailer {
    fn send(&self, _from: &str, _message: &OutboxMessage) -> Result<(), String> {
        panic!("killed mid-send");
    }

    fn send_with_hand_over(
        &self,
        from: &str,
        message: &OutboxMessage,
        hand_over: &mut dyn FnMut() -> Result<(), String>,
    ) -> Result<(), String> {
        if self.after_hand_over {
            hand_over()?;
        }
        self.send(from, message)
    }
}

fn die_while_sending(app: &App, after_hand_over: bool) {
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        app.deliver_due_mail(&DyingMailer { after_hand_over })
    }));
    assert!(died.is_err(), "the worker died");
}

fn a_worker_that_died_before_the_end_of_data_is_replaced(h: Harness) {
    queue_reset(&h);
    die_while_sending(&h.app, false);
    let server = listener(ListenerTls::None, false);
    let plain = || SmtpMailer::new(SmtpSettings::plain("127.0.0.1", server.port())).expect("plain");
    let restarted = second_instance(&h);
    assert_eq!(
        restarted.deliver_due_mail(&plain()).expect("deliver"),
        0,
        "leased by the dead worker until its lease ends"
    );
    h.clock.advance(Duration::minutes(6));
    assert_eq!(restarted.deliver_due_mail(&plain()).expect("deliver"), 1);
    h.clock.advance(Duration::hours(1));
    assert_eq!(restarted.deliver_due_mail(&plain()).expect("deliver"), 0);
    assert_eq!(server.messages().len(), 1);
    let message = newest(&h);
    assert_eq!((message.status.as_str(), message.attempts), ("sent", 2));
}

fn a_worker_that_died_after_handing_over_is_not_repeated(h: Harness) {
    queue_reset(&h);
    die_while_sending(&h.app, true);
    let server = listener(ListenerTls::None, false);
    let plain = || SmtpMailer::new(SmtpSettings::plain("127.0.0.1", server.port())).expect("plain");
    h.clock.advance(Duration::minutes(6));
    let restarted = second_instance(&h);
    assert_eq!(restarted.deliver_due_mail(&plain()).expect("deliver"), 0);
    h.clock.advance(Duration::hours(1));
    assert_eq!(restarted.deliver_due_mail(&plain()).expect("deliver"), 0);
    assert_eq!(server.connections(), 0, "never sent a second time");
    let message = newest(&h);
    assert_eq!(message.status, "sent");
    assert!(
        message
            .last_error
            .as_deref()
            .is_some_and(|e| e.starts_with("unconfirmed"))
    );
}

/// A worker so slow that its lease ends while it sends; it waits for `go` before it
/// would end DATA.
struct SlowMailer {
    started: Mutex<mpsc::Sender<()>>,
    go: Mutex<mpsc::Receiver<()>>,
    hand_over: Mutex<Option<Result<(), String>>>,
}

impl Mailer for SlowMailer {
    fn send(&self, _from: &str, _message: &OutboxMessage) -> Result<(), String> {
        Err("use send_with_hand_over".into())
    }

    fn send_with_hand_over(
        &self,
        _from: &str,
        _message: &OutboxMessage,
        hand_over: &mut dyn FnMut() -> Result<(), String>,
    ) -> Result<(), String> {
        self.started
            .lock()
            .expect("lock")
            .send(())
            .expect("started");
        self.go.lock().expect("lock").recv().expect("go");
        let outcome = hand_over();
        *self.hand_over.lock().expect("lock") = Some(outcome.clone());
        outcome
    }
}

fn a_worker_whose_lease_expired_does_not_send(h: Harness) {
    queue_reset(&h);
    let (started_tx, started) = mpsc::channel();
    let (go, go_rx) = mpsc::channel();
    let slow = Arc::new(SlowMailer {
        started: Mutex::new(started_tx),
        go: Mutex::new(go_rx),
        hand_over: Mutex::new(None),
    });
    let worker = {
        let app = h.app.clone();
        let slow = slow.clone();
        std::thread::spawn(move || app.deliver_due_mail(slow.as_ref()))
    };
    started.recv().expect("the slow worker leased the message");
    h.clock.advance(Duration::minutes(6));
    let server = listener(ListenerTls::None, false);
    let plain = SmtpMailer::new(SmtpSettings::plain("127.0.0.1", server.port())).expect("plain");
    assert_eq!(
        second_instance(&h)
            .deliver_due_mail(&plain)
            .expect("deliver"),
        1,
        "another worker takes over after the lease"
    );
    go.send(()).expect("go");
    assert_eq!(worker.join().expect("worker").expect("deliver"), 0);
    let refused = slow.hand_over.lock().expect("lock").clone();
    assert!(
        matches!(refused, Some(Err(ref e)) if e.contains("another worker")),
        "{refused:?}"
    );
    assert_eq!(server.messages().len(), 1);
    assert_eq!(newest(&h).status, "sent");
}

fn concurrent_workers_send_each_message_once(h: Harness) {
    const MESSAGES: usize = 30;
    h.db.db
        .write(|tx| {
            for i in 0..MESSAGES {
                enqueue_templated(
                    tx,
                    "bulk",
                    &format!("person{i}@example.org"),
                    &[
                        ("subject", format!("Message {i}")),
                        ("message", "Hello".into()),
                    ],
                    &[],
                    chrono::DateTime::UNIX_EPOCH,
                )?;
            }
            Ok::<_, AppError>(())
        })
        .expect("enqueue");
    let server = listener(ListenerTls::StartTls, true);
    let settings = settings(&server, SmtpSecurity::StartTls, true);
    let second = second_instance(&h);
    let workers: Vec<_> = [h.app.clone(), h.app.clone(), second.clone(), second]
        .into_iter()
        .map(|app| {
            let mailer = SmtpMailer::new(settings.clone()).expect("mailer");
            std::thread::spawn(move || app.deliver_due_mail(&mailer).expect("deliver"))
        })
        .collect();
    let sent: usize = workers.into_iter().map(|w| w.join().expect("worker")).sum();
    assert_eq!(sent, MESSAGES);
    let received = server.messages();
    assert_eq!(received.len(), MESSAGES, "each message arrived once");
    let mut ids: Vec<String> = received
        .iter()
        .filter_map(|m| {
            m.data
                .lines()
                .find(|l| l.starts_with("Message-ID:"))
                .map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), MESSAGES, "no message twice");
    assert_eq!(
        h.app
            .outbox(100)
            .expect("outbox")
            .iter()
            .filter(|m| m.status == "sent")
            .count(),
        MESSAGES
    );
}
