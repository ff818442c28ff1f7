//! Accounts for everyone: signing up with a confirmed address, the profile page and
//! invitations, through the pages.

use crate::support::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use chrono::Duration;
use plenary_domain::Role;
use serde_json::json;

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

#[test]
fn a_person_edits_their_profile_and_a_refusal_is_shown_beside_its_field() {
    let t = TestApp::new();
    t.account("admin@example.org", Some(Role::Secretariat));
    let fixtures = t.directory_fixtures();
    // The directory's Ana Núñez gets an account with her address: the entry is linked.
    t.account("ana@example.org", Some(Role::Member));
    let admin = t.admin_caller();
    let (person, _) = t.app.person(&admin, fixtures.person).expect("person");
    t.app
        .save_person(
            &admin,
            Some(person.id),
            &plenary_app::PersonInput {
                family_name: "Núñez".into(),
                given_name: "Ana".into(),
                organization_id: person.organization_id,
                email: "ana@example.org".into(),
                ..Default::default()
            },
        )
        .expect("linked");
    let mut c = t.client();
    assert_eq!(
        c.get("/account/profile").status,
        StatusCode::SEE_OTHER,
        "signed out"
    );
    c.sign_in("ana@example.org", PASSWORD);
    assert!(c.get("/account").body.contains("href=\"/account/profile\""));
    let page = c.get("/account/profile");
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"Ana\"") && page.body.contains("value=\"Núñez\""));
    assert!(
        page.body.contains("<option value=\"Internet Society\">"),
        "organization picker"
    );
    assert!(page.body.contains("Argentina"), "countries by name");

    let refused = c.submit(
        "/account/profile",
        "/account/profile",
        &[
            ("given_name", "Ana María"),
            ("family_name", "Núñez"),
            ("time_zone", "Atlantis"),
            ("language", "fr"),
        ],
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"time_zone-error\""),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"Atlantis\""),
        "typed text kept"
    );
    assert!(refused.body.contains("value=\"Ana María\""));
    assert!(refused.body.contains("<option value=\"fr\" selected>"));

    let saved = c.submit(
        "/account/profile",
        "/account/profile",
        &[
            ("given_name", "Ana María"),
            ("family_name", "Núñez"),
            ("organization", "internet society"),
            ("stakeholder_group", "technical_community"),
            ("country", "UY"),
            ("time_zone", "montevideo"),
            ("language", "es"),
        ],
    );
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.location(), Some("/account/profile?done=saved"));
    let shown = c.get("/account/profile?done=saved");
    assert!(shown.body.contains("Your profile has been saved."));
    assert!(
        shown.body.contains("value=\"Internet Society\""),
        "the directory's name"
    );
    assert!(shown.body.contains("<option value=\"UY\" selected>"));
    assert!(shown.body.contains("value=\"America/Montevideo\""));
    assert!(
        shown
            .body
            .contains("Signed in as</span> <strong>Ana María Núñez</strong>"),
        "the header shows the new name"
    );
    let (entry, _) = t.app.person(&admin, person.id).expect("person");
    assert_eq!(entry.given_name.as_deref(), Some("Ana María"));
    assert_eq!(entry.country.as_deref(), Some("UY"));

    // Without the form's token nothing changes.
    let forged = c.post_raw("/account/profile", &[("given_name", "Mallory")]);
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        c.get("/account/profile")
            .body
            .contains("value=\"Ana María\"")
    );
}

#[test]
fn the_profile_is_read_and_saved_through_the_api() {
    let t = TestApp::new();
    t.account("admin@example.org", Some(Role::Secretariat));
    t.account("kofi@example.org", Some(Role::Member));
    let token = t.api_token("kofi@example.org");
    let read = t
        .api(Method::GET, "/api/v1/me/profile", Some(&token), None)
        .expect_json(StatusCode::OK);
    assert_eq!(read["email"], "kofi@example.org");
    assert_eq!(read["language"], "en");
    let refused = t.api(
        Method::PUT,
        "/api/v1/me/profile",
        Some(&token),
        Some(json!({ "given_name": "Kofi", "country": "XX" })),
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .headers
            .get("content-type")
            .is_some_and(|v| v == "application/problem+json")
    );
    assert!(refused.body.contains("country"), "{}", refused.body);
    let saved = t
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&token),
            Some(json!({
                "given_name": "Kofi", "family_name": "Mensah", "organization": "Ghana IGF",
                "stakeholder_group": "civil_society", "country": "GH", "time_zone": "Africa/Accra",
                "language": "fr"
            })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(saved["display_name"], "Kofi Mensah");
    assert_eq!(saved["organization"], "Ghana IGF");
    assert_eq!(saved["organization_in_directory"], false);
    assert_eq!(saved["language"], "fr");
    assert_eq!(saved["in_directory"], false);
    let unknown = t.api(
        Method::PUT,
        "/api/v1/me/profile",
        Some(&token),
        Some(json!({ "nickname": "K" })),
    );
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

#[test]
fn a_reviewer_is_invited_from_the_call_page_and_accepts_with_a_new_account() {
    let t = TestApp::new();
    t.account("admin@example.org", Some(Role::Secretariat));
    t.account("pool@example.org", Some(Role::Member));
    let call = crate::calls_admin::committee_fixtures(&t, "pool@example.org").call;
    let page = format!("/admin/calls/{call}");
    let action = format!("/admin/calls/{call}/invitations");
    let mut admin = t.client();
    admin.sign_in("admin@example.org", PASSWORD);
    assert!(
        admin
            .get(&page)
            .body
            .contains(&format!("formaction=\"{action}\""))
    );
    let forged = admin.post_raw(&action, &[("email", "amani@example.org")]);
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let refused = admin.submit(&page, &action, &[("email", "amani@"), ("max_load", "3")]);
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"email-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"amani@\""), "typed text kept");
    let sent = admin.submit(
        &page,
        &action,
        &[("email", "amani@example.org"), ("max_load", "3")],
    );
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let listed = admin.get(&format!("{page}?done=invited"));
    assert!(listed.body.contains("The invitation has been sent."));
    assert!(listed.body.contains("amani@example.org") && listed.body.contains("pending"));

    let token = link_token(&t, "invitation", "/invitations/");
    let link = format!("/invitations/{token}");
    let mut amani = t.client();
    let offer = amani.get(&link);
    assert_eq!(offer.status, StatusCode::OK);
    assert!(
        offer.body.contains("a reviewer of the call"),
        "{}",
        offer.body
    );
    let short = amani.submit(
        &link,
        &link,
        &[
            ("given_name", "Amani"),
            ("family_name", "Njoroge"),
            ("password", "short"),
        ],
    );
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("id=\"password-error\""));
    assert!(short.body.contains("value=\"Njoroge\""), "typed text kept");
    let done = amani.submit(
        &link,
        &link,
        &[
            ("given_name", "Amani"),
            ("family_name", "Njoroge"),
            ("password", "a long new password"),
        ],
    );
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), Some("/"));
    assert!(amani.get("/").body.contains("Amani Njoroge"), "signed in");
    assert_eq!(amani.get(&link).status, StatusCode::GONE, "used once");
    let after = admin.get(&page);
    assert!(
        after.body.contains("accepted by Amani Njoroge"),
        "{}",
        after.body
    );
    assert!(after.body.contains("<td>Amani Njoroge</td>"), "in the pool");
}

#[test]
fn a_chair_invites_a_member_and_revokes_another_invitation() {
    let t = TestApp::new();
    t.account("admin@example.org", Some(Role::Secretariat));
    let fixtures = t.directory_fixtures();
    t.account_with_grant(
        "chair@example.org",
        Role::Chair,
        plenary_domain::Scope::Body(fixtures.body),
    );
    t.account("leila@example.org", Some(Role::Member));
    let page = format!("/bodies/{}", fixtures.body);
    let action = format!("/bodies/{}/invitations", fixtures.body);
    let mut chair = t.client();
    chair.sign_in("chair@example.org", PASSWORD);
    let refused = chair.submit(
        &page,
        &action,
        &[
            ("email", "leila@example.org"),
            ("role", "member"),
            ("starts_on", "2026-13-01"),
        ],
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"starts_on-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"leila@example.org\""));
    for email in ["leila@example.org", "kofi@example.org"] {
        let sent = chair.submit(
            &page,
            &action,
            &[
                ("email", email),
                ("role", "member"),
                ("starts_on", "2026-07-01"),
            ],
        );
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
    }
    // Leila has an account: the link asks her to sign in, then she accepts.
    let leila_token = {
        let mail = t
            .app
            .outbox(20)
            .expect("outbox")
            .into_iter()
            .find(|m| m.recipient == "leila@example.org")
            .expect("mail");
        let start = mail.body_text.find("/invitations/").expect("link");
        mail.body_text[start + "/invitations/".len()..]
            .split_whitespace()
            .next()
            .expect("token")
            .to_owned()
    };
    let link = format!("/invitations/{leila_token}");
    let mut leila = t.client();
    assert!(leila.get(&link).body.contains("id=\"sign-in-to-accept\""));
    leila.sign_in("leila@example.org", PASSWORD);
    let accepted = leila.submit(&link, &link, &[]);
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let body = t.client().get(&page);
    assert!(
        body.body.contains("Test leila@example.org"),
        "a member now: {}",
        body.body
    );

    // Kofi's invitation is revoked from the list; its link no longer works.
    let listed = chair.get(&page);
    let revoke = listed
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/revoke"))
        .expect("a revoke button for the pending invitation")
        .to_owned();
    let csrf = listed.csrf();
    let revoked = chair.post_raw(&revoke, &[("csrf", &csrf)]);
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let kofi = link_token(&t, "invitation", "/invitations/");
    assert_eq!(
        t.client().get(&format!("/invitations/{kofi}")).status,
        StatusCode::GONE
    );
    assert!(chair.get(&page).body.contains("revoked"));
}
