//! Page behaviour: escaping, security headers, redirects, administration through forms.

use crate::support::{PASSWORD, TestApp};
use axum::http::StatusCode;
use plenary_domain::Role;

#[test]
fn every_page_carries_the_security_headers() {
    let t = TestApp::new();
    let mut c = t.client();
    for path in ["/", "/sign-in", "/password-reset", "/no-such-page"] {
        let r = c.get(path);
        let csp = r
            .headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            r.headers
                .get("x-content-type-options")
                .map(|v| v.as_bytes()),
            Some(&b"nosniff"[..]),
            "{path}"
        );
        assert!(r.headers.contains_key("referrer-policy"), "{path}");
        assert!(!r.body.contains("<script"), "{path}: no script at all");
    }
    assert_eq!(c.get("/no-such-page").status, StatusCode::NOT_FOUND);
    let css = c.get("/static/style.css");
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .starts_with("text/css")
    );
    assert_eq!(c.get("/healthz").body, "ok\n");
}

#[test]
fn user_text_is_escaped_everywhere() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let r = c.submit(
        "/admin/users",
        "/admin/users",
        &[
            ("email", "x@example.org"),
            ("display_name", "<script>alert(1)</script>"),
            ("password", PASSWORD),
            ("role", "member"),
        ],
    );
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(r.location().expect("to the new account"));
    assert!(
        page.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || page.body.contains("&lt;script&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert(1)"));
}

#[test]
fn signing_in_returns_to_the_page_asked_for_but_never_off_site() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let mut c = t.client();
    let asked = c.get("/account");
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert_eq!(asked.location(), Some("/sign-in?next=%2Faccount"));
    let form = c.get("/sign-in?next=%2Faccount");
    let r = c.post_raw(
        "/sign-in",
        &[
            ("csrf", &form.csrf()),
            ("email", "ana@example.org"),
            ("password", PASSWORD),
            ("next", "/account"),
        ],
    );
    assert_eq!(r.location(), Some("/account"));
    let mut d = t.client();
    let form = d.get("/sign-in");
    let r = d.post_raw(
        "/sign-in",
        &[
            ("csrf", &form.csrf()),
            ("email", "ana@example.org"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ],
    );
    assert_eq!(r.location(), Some("/"));
}

#[test]
fn the_secretariat_manages_accounts_through_forms() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let bad = c.submit(
        "/admin/users",
        "/admin/users",
        &[
            ("email", "nope"),
            ("display_name", ""),
            ("password", "x"),
            ("role", "king"),
        ],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"role-error\""), "{}", bad.body);
    let bad = c.submit(
        "/admin/users",
        "/admin/users",
        &[("email", "nope"), ("display_name", ""), ("password", "x")],
    );
    for field in ["email", "display_name", "password"] {
        assert!(
            bad.body.contains(&format!("id=\"{field}-error\"")),
            "{field} marked"
        );
    }
    assert!(bad.body.contains("value=\"nope\""), "typed values are kept");
    let created = c.submit(
        "/admin/users",
        "/admin/users",
        &[
            ("email", "bo@example.org"),
            ("display_name", "Bo Ramírez García"),
            ("password", PASSWORD),
        ],
    );
    let account = created
        .location()
        .expect("redirect")
        .split('?')
        .next()
        .expect("path")
        .to_owned();
    let body = t.directory_fixtures().body;
    let granted = c.submit(
        &account,
        &format!("{account}/grants"),
        &[("role", "chair"), ("scope", &format!("body:{body}"))],
    );
    assert_eq!(granted.status, StatusCode::SEE_OTHER);
    let page = c.get(&account);
    assert!(
        page.body.contains("Chair") && page.body.contains(&format!("body #{body}")),
        "{}",
        page.body
    );
    let bad_scope = c.submit(
        &account,
        &format!("{account}/grants"),
        &[("role", "chair"), ("scope", "room:1")],
    );
    assert_eq!(bad_scope.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_scope.body.contains("id=\"scope-error\""));
    let disabled = c.submit(&account, &format!("{account}/disable"), &[]);
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    let mut bo = t.client();
    assert_eq!(
        bo.sign_in("bo@example.org", PASSWORD).status,
        StatusCode::UNAUTHORIZED,
        "disabled accounts cannot sign in"
    );
    let list = c.get("/admin/users?q=ram%C3%ADrez");
    assert!(list.body.contains("Bo Ramírez García") && list.body.contains("disabled"));
    let audit = c.get("/admin/audit?action=user.");
    assert!(audit.body.contains("user.create") && audit.body.contains("user.disable"));
    // Sign-ins are left out of the log unless asked for.
    let everything = c.get("/admin/audit").body;
    assert!(everything.contains("user.create") && !everything.contains("session.create"));
    let with_sessions = c.get("/admin/audit?sessions=true").body;
    assert!(with_sessions.contains("session.create"), "{with_sessions}");
    let bad_filter = c.get("/admin/audit?actor=abc");
    assert!(
        bad_filter.body.contains("actor is not valid"),
        "{}",
        bad_filter.body
    );
}

#[test]
fn the_last_secretariat_is_refused_with_an_explanation() {
    let t = TestApp::new();
    let id = t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let page = format!("/admin/users/{id}");
    let r = c.submit(&page, &format!("{page}/disable"), &[]);
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("the last secretariat account"));
}

#[test]
fn api_tokens_are_created_shown_once_and_revoked_on_the_account_page() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let created = c.submit("/account", "/account/tokens", &[("name", "reporting")]);
    assert!(created.body.contains("shown only once"));
    let again = c.get("/account");
    assert!(
        !again.body.contains("class=\"secret\""),
        "the secret is not shown again"
    );
    assert!(again.body.contains("reporting"));
    let token_id = t
        .app
        .my_api_tokens(
            &t.app
                .session_user(c.cookies.get("plenary_session").expect("cookie"))
                .expect("lookup")
                .expect("live")
                .caller(None),
        )
        .expect("tokens")[0]
        .id;
    let revoked = c.submit(
        "/account",
        &format!("/account/tokens/{token_id}/revoke"),
        &[],
    );
    assert_eq!(revoked.location(), Some("/account?done=revoked"));
    assert!(c.get("/account?done=revoked").body.contains("revoked"));
    let empty = c.submit("/account", "/account/tokens", &[("name", "")]);
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[test]
fn changing_the_password_keeps_this_session_and_ends_others() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let mut here = t.client();
    let mut there = t.client();
    here.sign_in("ana@example.org", PASSWORD);
    there.sign_in("ana@example.org", PASSWORD);
    let wrong = here.submit(
        "/account",
        "/account/password",
        &[
            ("current_password", "nope"),
            ("new_password", "another good one"),
        ],
    );
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("id=\"current_password-error\""));
    let ok = here.submit(
        "/account",
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "another good one"),
        ],
    );
    assert_eq!(ok.location(), Some("/account?done=password"));
    assert_eq!(here.get("/account").status, StatusCode::OK);
    assert_eq!(there.get("/account").status, StatusCode::SEE_OTHER);
}

#[test]
fn the_not_found_page_keeps_the_visitor_signed_in() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let mut c = t.client();
    let anonymous = c.get("/no-such-page");
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(!anonymous.body.contains("Sign out"));
    c.sign_in("ana@example.org", PASSWORD);
    let signed_in = c.get("/no-such-page");
    assert_eq!(signed_in.status, StatusCode::NOT_FOUND);
    assert!(
        signed_in.body.contains("Test ana@example.org") && signed_in.body.contains("Sign out"),
        "{}",
        signed_in.body
    );
}

#[test]
fn every_page_links_the_icon_that_is_served() {
    let t = TestApp::new();
    let mut c = t.client();
    assert!(
        c.get("/")
            .body
            .contains(r#"<link rel="icon" href="/static/favicon.svg""#)
    );
    for path in ["/static/favicon.svg", "/favicon.ico"] {
        let icon = c.get(path);
        assert_eq!(icon.status, StatusCode::OK, "{path}");
        assert_eq!(
            icon.headers.get("content-type").map(|v| v.as_bytes()),
            Some(&b"image/svg+xml"[..])
        );
        assert!(icon.body.starts_with("<svg"), "{path}");
    }
}

#[test]
fn the_front_page_shows_what_happens_and_the_dashboard_names_roles_by_name() {
    let t = TestApp::new();
    let fixtures = t.directory_fixtures();
    let mut visitor = t.client();
    let front = visitor.get("/");
    assert_eq!(front.status, StatusCode::OK);
    for heading in [
        "Upcoming meetings",
        "Open calls",
        "Open for registration",
        "Programmes",
    ] {
        assert!(front.body.contains(heading), "{heading}: {}", front.body);
    }
    assert!(
        front
            .body
            .contains(&format!("href=\"/meetings/{}\"", fixtures.meeting))
            && front.body.contains("Strategy call")
            && front.body.contains("Working Group on Strategy"),
        "the coming meeting with its body: {}",
        front.body
    );
    assert!(!front.body.contains("<h1>Dashboard</h1>"));

    t.account_with_grant(
        "chair@example.org",
        Role::Chair,
        plenary_domain::Scope::Body(fixtures.body),
    );
    let mut chair = t.client();
    chair.sign_in("chair@example.org", PASSWORD);
    let board = chair.get("/").body;
    assert!(board.contains("<h1>Dashboard</h1>"), "{board}");
    assert!(
        board.contains("Chair of Working Group on Strategy") && !board.contains("body #"),
        "roles by name: {board}"
    );
    for section in ["My action items", "Next meetings of my bodies", "Take part"] {
        assert!(board.contains(section), "{section}");
    }
    assert!(!board.contains("Needs attention"), "not the secretariat");
    assert!(
        !board.contains("Reviews assigned to me") && !board.contains("My submissions"),
        "no empty lists of work the person does not do"
    );
    t.account("sec@example.org", Some(Role::Secretariat));
    let mut sec = t.client();
    sec.sign_in("sec@example.org", PASSWORD);
    assert!(sec.get("/").body.contains("Needs attention"));
}
