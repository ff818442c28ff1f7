//! The mail pages and API: templates per message kind, and messages to a mailing list
//! with the number of recipients shown before anything is sent.

use crate::support::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use plenary_app::PersonInput;
use plenary_domain::Role;
use serde_json::json;

fn secretariat(t: &TestApp) -> crate::support::Client<'_> {
    t.account("admin@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    assert_eq!(
        c.sign_in("admin@example.org", PASSWORD).status,
        StatusCode::SEE_OTHER
    );
    c
}

#[test]
fn templates_are_listed_edited_previewed_and_reset_on_pages() {
    let t = TestApp::new();
    let mut c = secretariat(&t);
    let list = c.get("/admin/mail-templates");
    assert_eq!(list.status, StatusCode::OK);
    for kind in [
        "password_reset",
        "action_reminder",
        "bulk",
        "registration_confirmed",
    ] {
        assert!(
            list.body.contains(&format!("/admin/mail-templates/{kind}")),
            "{kind}"
        );
    }
    let page = "/admin/mail-templates/password_reset";
    let edit = c.get(page);
    assert!(
        edit.body.contains("{{minutes}}") && edit.body.contains("How many minutes the link works")
    );

    let bad = c.submit(
        page,
        page,
        &[
            ("subject", "Reset for {{username}}"),
            ("body_text", "{{link}}"),
            ("body_html", ""),
            ("action", "save"),
        ],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("uses {{username}}")
            && bad
                .body
                .contains("allowed: {{name}}, {{link}}, {{minutes}}"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("value=\"Reset for {{username}}\""),
        "what was typed stays"
    );

    let preview = c.submit(
        page,
        page,
        &[
            ("subject", "Reset for {{name}}"),
            ("body_text", "Link: {{link}}"),
            ("body_html", "<p>{{name}}</p>"),
            ("action", "preview"),
        ],
    );
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("Reset for Guðrún Jónsdóttir"));
    assert!(
        preview
            .body
            .contains("&#60;p&#62;Guðrún Jónsdóttir&#60;/p&#62;"),
        "the HTML is shown as source, escaped"
    );
    assert!(
        t.app
            .mail_template(&t.admin_caller(), "password_reset")
            .expect("template")
            .edited
            .is_none(),
        "a preview saves nothing"
    );

    let saved = c.submit(
        page,
        page,
        &[
            ("subject", "Reset for {{name}}"),
            ("body_text", "Link: {{link}}"),
            ("body_html", ""),
            ("action", "save"),
        ],
    );
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(c.get(page).body.contains("Edited "));
    let reset = c.submit(page, &format!("{page}/reset"), &[]);
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    assert!(c.get(page).body.contains("The built-in text is in use."));

    let forged = c.post_raw(
        page,
        &[("csrf", "forged"), ("subject", "x"), ("body_text", "y")],
    );
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "CSRF is checked");
    assert_eq!(
        c.get("/admin/mail-templates/nope").status,
        StatusCode::NOT_FOUND
    );
}

fn list_with_subscribers(t: &TestApp, emails: &[&str]) -> i64 {
    let fixtures = t.directory_fixtures();
    for (i, email) in emails.iter().enumerate() {
        let person = t
            .app
            .save_person(
                &t.admin_caller(),
                None,
                &PersonInput {
                    family_name: format!("Subscriber{i}"),
                    email: (*email).into(),
                    ..Default::default()
                },
            )
            .expect("person")
            .id;
        t.app
            .set_subscription(&t.admin_caller(), fixtures.body, person, true)
            .expect("subscribe");
    }
    fixtures.body
}

#[test]
fn a_bulk_message_shows_its_recipients_before_it_goes() {
    let t = TestApp::new();
    let mut c = secretariat(&t);
    let body = list_with_subscribers(&t, &["a@example.org", "b@example.org"]);
    let body_id = body.to_string();
    let draft = [
        ("body_id", body_id.as_str()),
        ("subject", "Call for inputs"),
        ("message", "Dear all,\nplease write."),
    ];
    let empty = c.submit(
        "/admin/mail",
        "/admin/mail/preview",
        &[("body_id", &body_id)],
    );
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("The subject is required"),
        "{}",
        empty.body
    );

    let preview = c.submit("/admin/mail", "/admin/mail/preview", &draft);
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("2 recipient(s)"), "{}", preview.body);
    assert!(preview.body.contains("Send to 2 recipient(s)"));
    assert!(
        t.app.outbox(10).expect("outbox").is_empty(),
        "nothing sent yet"
    );

    // A third person subscribes before the confirmation.
    list_more(&t, body, "c@example.org");
    let mut send: Vec<(&str, &str)> = draft.to_vec();
    send.push(("recipients", "2"));
    let changed = c.submit("/admin/mail", "/admin/mail/send", &send);
    assert_eq!(changed.status, StatusCode::CONFLICT);
    assert!(changed.body.contains("The list changed since the preview"));
    assert!(changed.body.contains("Send to 3 recipient(s)"));
    assert!(t.app.outbox(10).expect("outbox").is_empty());

    send.pop();
    send.push(("recipients", "3"));
    let sent = c.submit("/admin/mail", "/admin/mail/send", &send);
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let done = c.get(sent.location().expect("back to the form"));
    assert!(done.body.contains("3 message(s) are in the outbox"));
    let outbox = t.app.outbox(10).expect("outbox");
    assert_eq!(outbox.len(), 3);
    assert!(
        outbox
            .iter()
            .all(|m| m.kind == "bulk" && m.subject == "Call for inputs")
    );
}

fn list_more(t: &TestApp, body: i64, email: &str) {
    let person = t
        .app
        .save_person(
            &t.admin_caller(),
            None,
            &PersonInput {
                family_name: "Late".into(),
                email: email.into(),
                ..Default::default()
            },
        )
        .expect("person")
        .id;
    t.app
        .set_subscription(&t.admin_caller(), body, person, true)
        .expect("subscribe");
}

#[test]
fn the_api_edits_templates_and_sends_to_a_list_with_its_count() {
    let t = TestApp::new();
    t.account("admin@example.org", Some(Role::Secretariat));
    let token = t.api_token("admin@example.org");
    let token = Some(token.as_str());
    let all = t
        .api(Method::GET, "/api/v1/mail-templates", token, None)
        .expect_json(StatusCode::OK);
    assert!(all["items"].as_array().expect("items").len() >= 9);

    let bad = t.api(
        Method::PUT,
        "/api/v1/mail-templates/registration_rejected",
        token,
        Some(json!({ "subject": "No {{seat}}", "body_text": "{{reason}}" })),
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem = bad.json();
    assert_eq!(problem["errors"][0]["field"], "subject");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("{{position}}") || m.contains("{{reason}}")),
        "{problem}"
    );

    let saved = t
        .api(
            Method::PUT,
            "/api/v1/mail-templates/registration_rejected",
            token,
            Some(json!({ "subject": "About {{event}}", "body_text": "{{reason}}" })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(saved["edited"], true);
    assert_eq!(saved["updated_by"], "admin@example.org");
    let reset = t
        .api(
            Method::DELETE,
            "/api/v1/mail-templates/registration_rejected",
            token,
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(reset["edited"], false);
    assert_eq!(reset["subject"], "Your registration for {{event}}");
    assert_eq!(
        t.api(Method::GET, "/api/v1/mail-templates/nope", token, None)
            .status,
        StatusCode::NOT_FOUND
    );

    let body = list_with_subscribers(&t, &["a@example.org"]);
    let draft = json!({ "subject": "News", "message": "Hello" });
    let count = t
        .api(
            Method::POST,
            &format!("/api/v1/bodies/{body}/mailings/preview"),
            token,
            Some(draft),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(count["recipients"], 1);
    let wrong = t.api(
        Method::POST,
        &format!("/api/v1/bodies/{body}/mailings"),
        token,
        Some(json!({ "subject": "News", "message": "Hello", "recipients": 5 })),
    );
    assert_eq!(wrong.status, StatusCode::CONFLICT);
    assert_eq!(wrong.json()["recipients"], 1);
    assert!(t.app.outbox(10).expect("outbox").is_empty());
    let sent = t
        .api(
            Method::POST,
            &format!("/api/v1/bodies/{body}/mailings"),
            token,
            Some(json!({ "subject": "News", "message": "Hello", "recipients": 1 })),
        )
        .expect_json(StatusCode::CREATED);
    assert_eq!(sent["queued"], 1);
    assert_eq!(t.app.outbox(10).expect("outbox").len(), 1);
}

/// A relay that refuses everything.
struct Refusing;

impl plenary_app::mail::Mailer for Refusing {
    fn send(&self, _: &str, _: &plenary_app::OutboxMessage) -> Result<(), String> {
        Err("550 mailbox unavailable".into())
    }
}

#[test]
fn the_outbox_page_shows_failures_and_sends_them_again() {
    let t = TestApp::new();
    let mut admin = secretariat(&t);
    // A password reset for the admin: its body holds a secret link.
    let mut visitor = t.client();
    visitor.submit(
        "/password-reset",
        "/password-reset",
        &[("email", "admin@example.org")],
    );
    let page = admin.get("/admin/outbox");
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("queued: 1") && page.body.contains("oldest-queued"),
        "{}",
        page.body
    );
    assert!(page.body.contains("password_reset"));
    let message = t.app.outbox(10).expect("outbox")[0].clone();
    // The body (with the reset link) is the recipient's alone.
    let link_line = message
        .body_text
        .lines()
        .find(|l| l.contains("/password-reset/"))
        .expect("reset link");
    assert!(!page.body.contains(link_line.trim()));
    // Every attempt fails, a day apart, until the message fails for good.
    for _ in 0..plenary_app::mail::MAX_ATTEMPTS {
        t.app.deliver_due_mail(&Refusing).expect("deliver");
        t.clock.advance(chrono::Duration::days(1));
    }
    // (The session has expired meanwhile.)
    admin.sign_in("admin@example.org", PASSWORD);
    let failed = admin.get("/admin/outbox?status=failed");
    assert!(
        failed.body.contains("550 mailbox unavailable"),
        "{}",
        failed.body
    );
    assert!(failed.body.contains("Send again"));
    let retried = admin.submit(
        "/admin/outbox?status=failed",
        &format!("/admin/outbox/{}/retry", message.id),
        &[],
    );
    assert_eq!(retried.status, StatusCode::SEE_OTHER);
    assert!(admin.get("/admin/outbox").body.contains("queued: 1"));
    // Again through the API: only a failed message can be sent again.
    let token = t.api_token("admin@example.org");
    let again = t.api(
        Method::POST,
        &format!("/api/v1/outbox/{}/retry", message.id),
        Some(&token),
        None,
    );
    assert_eq!(again.status, StatusCode::CONFLICT);
    let state = t
        .api(
            Method::GET,
            "/api/v1/outbox?status=queued",
            Some(&token),
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(state["total"], 1);
    assert_eq!(state["items"][0]["attempts"], 0);
    assert!(state["items"][0].get("body_text").is_none());
    let bad = t.api(
        Method::GET,
        "/api/v1/outbox?status=lost",
        Some(&token),
        None,
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("status"));
}
