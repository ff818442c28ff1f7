//! Accounts for everyone: signing up with a confirmed address, the profile page and
//! invitations, through the pages.

use crate::support::{PASSWORD, TestApp};
use axum::http::StatusCode;
use chrono::Duration;
use plenary_domain::Role;

/// The token of the newest mail's link under `prefix` (e.g. `/sign-up/`).
pub fn link_token(t: &TestApp, kind: &str, prefix: &str) -> String {
    let mail = t
        .app
        .outbox(20)
        .expect("outbox")
        .into_iter()
        .find(|m| m.kind == kind)
        .unwrap_or_else(|| panic!("a {kind} mail"));
    let start = format!("https://forum.example.org{prefix}");
    let link = mail
        .body_text
        .split_whitespace()
        .find(|w| w.starts_with(&start))
        .unwrap_or_else(|| panic!("a link {start}… in {}", mail.body_text));
    link.rsplit('/').next().expect("token").to_owned()
}

fn sign_up_fields<'a>(name: &'a str, email: &'a str, password: &'a str) -> [(&'a str, &'a str); 3] {
    [
        ("display_name", name),
        ("email", email),
        ("password", password),
    ]
}

#[test]
fn a_sign_up_is_confirmed_by_its_link_once_and_lands_on_the_dashboard() {
    let t = TestApp::new();
    t.account("admin@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    let form = c.get("/sign-up");
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Create an account"));
    assert!(
        c.get("/sign-in").body.contains("href=\"/sign-up\""),
        "linked from sign-in"
    );

    // Refusals are shown beside their fields, with the typed text kept.
    let refused = c.submit(
        "/sign-up",
        "/sign-up",
        &sign_up_fields("Leila Haddad", "not-an-address", "short"),
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"email-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("id=\"password-error\""));
    assert!(refused.body.contains("at least 10 characters"));
    assert!(refused.body.contains("value=\"Leila Haddad\""), "name kept");
    assert!(
        refused.body.contains("value=\"not-an-address\""),
        "address kept"
    );
    assert!(
        t.app
            .outbox(10)
            .expect("outbox")
            .iter()
            .all(|m| !m.kind.starts_with("sign_up"))
    );

    let sent = c.submit(
        "/sign-up",
        "/sign-up",
        &sign_up_fields("Leila Haddad", "Leila@Example.org", "a long new password"),
    );
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.body.contains("Check your mailbox"), "{}", sent.body);
    // No account until the link is followed.
    assert_eq!(
        c.sign_in("leila@example.org", "a long new password").status,
        StatusCode::UNAUTHORIZED
    );

    let token = link_token(&t, "sign_up_verify", "/sign-up/");
    let path = format!("/sign-up/{token}");
    let page = c.get(&path);
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Leila Haddad") && page.body.contains("leila@example.org"));
    // The page alone creates nothing (mail scanners open links).
    assert_eq!(c.get(&path).status, StatusCode::OK);
    let csrf = page.csrf();
    let done = c.post_raw(&path, &[("csrf", &csrf)]);
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), Some("/"));
    let dashboard = c.get("/");
    assert!(dashboard.body.contains("Leila Haddad"), "signed in");

    // Used once: the link is gone, on its page and on its button.
    let mut other = t.client();
    assert_eq!(other.get(&path).status, StatusCode::GONE);
    let csrf = other.get("/sign-in").csrf();
    assert_eq!(
        other.post_raw(&path, &[("csrf", &csrf)]).status,
        StatusCode::GONE
    );
    assert_eq!(
        other
            .sign_in("leila@example.org", "a long new password")
            .status,
        StatusCode::SEE_OTHER
    );
}

#[test]
fn an_address_with_an_account_gets_the_same_page_and_a_notice_by_mail() {
    let t = TestApp::new();
    t.account("admin@example.org", Some(Role::Secretariat));
    t.account("ana@example.org", Some(Role::Member));
    let page_of = |email: &str| {
        let mut c = t.client();
        let r = c.submit(
            "/sign-up",
            "/sign-up",
            &sign_up_fields("Ana", email, "a long new password"),
        );
        assert_eq!(r.status, StatusCode::OK);
        let notice = r
            .body
            .split("id=\"sign-up-sent\"")
            .nth(1)
            .expect("notice")
            .to_owned();
        notice
            .split("</div>")
            .next()
            .expect("notice text")
            .replace(email, "ADDRESS")
    };
    assert_eq!(
        page_of("ana@example.org"),
        page_of("nobody@example.org"),
        "no enumeration"
    );
    let mail = t
        .app
        .outbox(10)
        .expect("outbox")
        .into_iter()
        .find(|m| m.recipient == "ana@example.org")
        .expect("a notice to the account's address");
    assert_eq!(mail.kind, "sign_up_existing");
    assert!(mail.body_text.contains("https://forum.example.org/sign-in"));
    assert!(
        mail.body_text
            .contains("https://forum.example.org/password-reset")
    );
    // The account's password is untouched.
    assert_eq!(
        t.client().sign_in("ana@example.org", PASSWORD).status,
        StatusCode::SEE_OTHER
    );
}

#[test]
fn a_sign_up_link_expires_and_a_sign_up_needs_its_csrf_token() {
    let t = TestApp::new();
    t.account("admin@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.get("/sign-up");
    let forged = c.post_raw(
        "/sign-up",
        &sign_up_fields("Mallory", "victim@example.org", "a long new password"),
    );
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(t.app.outbox(10).expect("outbox").is_empty(), "nothing sent");

    c.submit(
        "/sign-up",
        "/sign-up",
        &sign_up_fields("Kofi Mensah", "kofi@example.org", "a long new password"),
    );
    let path = format!("/sign-up/{}", link_token(&t, "sign_up_verify", "/sign-up/"));
    let page = c.get(&path);
    t.clock.advance(Duration::hours(25));
    let late = c.post_raw(&path, &[("csrf", &page.csrf())]);
    assert_eq!(late.status, StatusCode::GONE);
    assert!(late.body.contains("expired"), "{}", late.body);
    assert_eq!(c.get(&path).status, StatusCode::GONE);
}
