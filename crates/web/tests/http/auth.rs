//! Signing in and out, rate limits, CSRF, password reset, secrets kept out of logs.

use crate::support::{PASSWORD, TestApp, captured_logs};
use axum::http::{Method, StatusCode};
use chrono::Duration;
use plenary_domain::Role;

#[test]
fn signing_in_through_the_form_shows_the_dashboard() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    let r = c.sign_in("ana@example.org", PASSWORD);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/"));
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("plenary_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && !cookie.contains("Secure"),
        "{cookie}"
    );
    let home = c.get("/");
    assert!(home.body.contains("<h1>Dashboard</h1>"), "{}", home.body);
    assert!(home.body.contains("Test ana@example.org"));
    // Sign out ends the session on the server, not just the cookie.
    let session = c
        .cookies
        .get("plenary_session")
        .cloned()
        .expect("cookie kept");
    let out = c.submit("/", "/sign-out", &[]);
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(t.app.session_user(&session).expect("lookup").is_none());
    assert!(!c.get("/").body.contains("Dashboard"));
}

#[test]
fn a_wrong_password_re_shows_the_form_with_a_message() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let mut c = t.client();
    let r = c.sign_in("ana@example.org", "not the password");
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body
            .contains("the e-mail address or the password is wrong")
    );
    assert!(
        r.body.contains("value=\"ana@example.org\""),
        "the address is kept"
    );
    assert!(!c.cookies.contains_key("plenary_session"));
    let empty = c.sign_in("", "");
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("id=\"email-error\"") && empty.body.contains("id=\"password-error\"")
    );
}

fn retry_after_seconds(r: &crate::support::Response) -> u64 {
    r.headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a 429 or 503 says when to come back (Retry-After)")
}

#[test]
fn sign_in_is_rate_limited_per_account_and_per_address() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let mut c = t.client();
    for _ in 0..5 {
        assert_eq!(
            c.sign_in("ana@example.org", "wrong password").status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = c.sign_in("ana@example.org", PASSWORD);
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited
            .body
            .contains("too many attempts; try again in 15 minutes")
    );
    assert_eq!(retry_after_seconds(&limited), 15 * 60);

    // Five failures from one address lock nobody else out of the account.
    let mut owner = t.client();
    owner.peer = "198.51.100.20:5000".parse().expect("addr");
    assert_eq!(
        owner.sign_in("ana@example.org", PASSWORD).status,
        StatusCode::SEE_OTHER,
        "the owner signs in from their own address"
    );

    // Per address: many accounts from one address.
    let mut other = t.client();
    other.peer = "198.51.100.7:5000".parse().expect("addr");
    for i in 0..30 {
        other.sign_in(&format!("nobody{i}@example.org"), "wrong password");
    }
    t.account("bo@example.org", Some(Role::Member));
    let limited = other.sign_in("bo@example.org", PASSWORD);
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after_seconds(&limited) > 0);
    let mut elsewhere = t.client();
    elsewhere.peer = "198.51.100.8:5000".parse().expect("addr");
    assert_eq!(
        elsewhere.sign_in("bo@example.org", PASSWORD).status,
        StatusCode::SEE_OTHER
    );
    t.clock.advance(Duration::minutes(16));
    assert_eq!(
        other.sign_in("bo@example.org", PASSWORD).status,
        StatusCode::SEE_OTHER,
        "the limit lifts"
    );
}

#[test]
fn forms_without_the_right_csrf_token_are_refused() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.get("/sign-in");
    let missing = c.post_raw(
        "/sign-in",
        &[("email", "ana@example.org"), ("password", PASSWORD)],
    );
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let wrong = c.post_raw(
        "/sign-in",
        &[
            ("csrf", "00ff"),
            ("email", "ana@example.org"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // A token taken from another visitor's page does not work either.
    let mut attacker = t.client();
    let foreign = attacker.get("/sign-in").csrf();
    let crossed = c.post_raw(
        "/sign-in",
        &[
            ("csrf", &foreign),
            ("email", "ana@example.org"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(crossed.status, StatusCode::FORBIDDEN);
    assert_eq!(
        c.sign_in("ana@example.org", PASSWORD).status,
        StatusCode::SEE_OTHER
    );
    // Signed in, the anonymous token no longer counts: forms bind to the session.
    let signed_in_missing = c.post_raw("/account/sign-out-everywhere", &[]);
    assert_eq!(signed_in_missing.status, StatusCode::FORBIDDEN);
    assert!(c.get("/").body.contains("Dashboard"), "nothing happened");
}

fn reset_token_from_outbox(t: &TestApp) -> String {
    let mail = t.app.outbox(1).expect("outbox").pop().expect("reset mail");
    let link = mail
        .body_text
        .split_whitespace()
        .find(|w| w.starts_with("https://forum.example.org/password-reset/"))
        .expect("link built from the base URL");
    link.rsplit('/').next().expect("token").to_owned()
}

#[test]
fn a_reset_link_works_once_and_expires() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let mut c = t.client();
    let asked = c.submit(
        "/password-reset",
        "/password-reset",
        &[("email", "ana@example.org")],
    );
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.body.contains("If an account uses this address"));
    let token = reset_token_from_outbox(&t);
    let path = format!("/password-reset/{token}");
    assert_eq!(c.get(&path).status, StatusCode::OK);
    let short = c.submit(&path, &path, &[("password", "short")]);
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("at least 10 characters"));
    let done = c.submit(&path, &path, &[("password", "a fresh password")]);
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), Some("/sign-in?reset=done"));
    assert_eq!(c.get(&path).status, StatusCode::GONE, "single use");
    let csrf = c.get("/sign-in").csrf();
    let again = c.post_raw(&path, &[("csrf", &csrf), ("password", "another password")]);
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(
        c.sign_in("ana@example.org", "a fresh password").status,
        StatusCode::SEE_OTHER
    );

    // A link older than an hour no longer works.
    let mut d = t.client();
    d.submit(
        "/password-reset",
        "/password-reset",
        &[("email", "ana@example.org")],
    );
    let token = reset_token_from_outbox(&t);
    t.clock.advance(Duration::minutes(61));
    let expired = d.get(&format!("/password-reset/{token}"));
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(expired.body.contains("invalid, expired or used already"));
}

#[test]
fn unknown_addresses_get_the_same_answer_and_no_mail() {
    let t = TestApp::new();
    let mut c = t.client();
    let r = c.submit(
        "/password-reset",
        "/password-reset",
        &[("email", "nobody@example.org")],
    );
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("If an account uses this address"));
    assert!(t.app.outbox(10).expect("outbox").is_empty());
    let bad = c.submit(
        "/password-reset",
        "/password-reset",
        &[("email", "not an address")],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"email-error\""));
}

#[test]
fn sign_out_everywhere_ends_other_devices() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let mut laptop = t.client();
    let mut phone = t.client();
    laptop.sign_in("ana@example.org", PASSWORD);
    phone.sign_in("ana@example.org", PASSWORD);
    let token = t.api_token("ana@example.org");
    let r = laptop.submit("/account", "/account/sign-out-everywhere", &[]);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        phone.get("/account").status,
        StatusCode::SEE_OTHER,
        "the phone is signed out too"
    );
    assert_eq!(
        t.api(Method::GET, "/api/v1/me", Some(&token), None).status,
        StatusCode::UNAUTHORIZED,
        "and the API tokens are revoked"
    );
    // Unless the owner ticks "keep my API tokens".
    let kept = t.api_token("ana@example.org");
    laptop.sign_in("ana@example.org", PASSWORD);
    laptop.submit(
        "/account",
        "/account/sign-out-everywhere",
        &[("keep_api_tokens", "yes")],
    );
    assert_eq!(
        t.api(Method::GET, "/api/v1/me", Some(&kept), None).status,
        StatusCode::OK
    );
}

#[test]
fn a_password_change_revokes_api_tokens_unless_kept() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let token = t.api_token("ana@example.org");
    let changed = c.submit(
        "/account",
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "a brand new password"),
        ],
    );
    assert_eq!(changed.location(), Some("/account?done=password-tokens"));
    assert!(
        c.get("/account?done=password-tokens")
            .body
            .contains("your API tokens have been revoked")
    );
    assert_eq!(
        t.api(Method::GET, "/api/v1/me", Some(&token), None).status,
        StatusCode::UNAUTHORIZED
    );
    let caller = t.signed_in_caller("ana@example.org", "a brand new password", "192.0.2.202");
    let kept = t
        .app
        .create_api_token(&caller, "kept")
        .expect("token")
        .secret;
    let changed = c.submit(
        "/account",
        "/account/password",
        &[
            ("current_password", "a brand new password"),
            ("new_password", "another new password"),
            ("keep_api_tokens", "yes"),
        ],
    );
    assert_eq!(changed.location(), Some("/account?done=password"));
    assert_eq!(
        t.api(Method::GET, "/api/v1/me", Some(&kept), None).status,
        StatusCode::OK
    );
}

#[test]
fn secrets_never_reach_the_log() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let session = c.cookies.get("plenary_session").cloned().expect("session");
    let created = c.submit("/account", "/account/tokens", &[("name", "script")]);
    let marker = "<code class=\"secret\">";
    let start = created.body.find(marker).expect("token shown once") + marker.len();
    let api_secret = created.body[start..]
        .split('<')
        .next()
        .expect("secret")
        .to_owned();
    assert!(api_secret.starts_with("plenary_"));
    assert_eq!(
        t.api(
            axum::http::Method::GET,
            "/api/v1/me",
            Some(&api_secret),
            None
        )
        .status,
        StatusCode::OK
    );
    c.submit(
        "/password-reset",
        "/password-reset",
        &[("email", "ana@example.org")],
    );
    let reset = reset_token_from_outbox(&t);
    let path = format!("/password-reset/{reset}");
    c.get(&path);
    c.submit(&path, &path, &[("password", "the new secret password")]);
    let logs = captured_logs();
    assert!(
        logs.contains("/password-reset/{token}"),
        "requests are logged by route pattern"
    );
    for secret in [
        PASSWORD,
        "the new secret password",
        session.as_str(),
        api_secret.as_str(),
        reset.as_str(),
    ] {
        assert!(!logs.contains(secret), "a secret reached the log: {secret}");
    }
}
