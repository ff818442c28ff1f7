//! Speakers of a programme session invited by e-mail, through the pages and the API:
//! the secretariat invites from the session's page (refusals beside their fields, the
//! typed text kept), the invited person makes their account from the link and finds
//! the session on their dashboard, the session's page shows the account linked, and a
//! pending invitation is revoked.

use crate::accounts::link_token;
use crate::support::{Client, PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use plenary_app::Caller;
use plenary_app::programme::TimeslotInput;
use plenary_app::registration::EventInput;
use plenary_domain::Role;
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
use serde_json::json;

const ADMIN: &str = "secretariat@example.org";

fn signed_in<'a>(t: &'a TestApp, email: &str) -> Client<'a> {
    let mut c = t.client();
    let r = c.sign_in(email, PASSWORD);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "sign-in of {email}");
    c
}

/// An event in Geneva with "Opening" (moderated by Ana Pérez) placed on 7 December
/// 09:00 in the Assembly hall; returns (event, session).
fn opening(t: &TestApp, admin: &Caller) -> (i64, i64) {
    let input = EventInput {
        title: "Geneva Forum".into(),
        venue: "Palais des Nations".into(),
        time_zone: "Europe/Zurich".into(),
        starts_at: "2026-12-07T09:00".into(),
        ends_at: "2026-12-09T18:00".into(),
        registration_opens_at: "2026-01-01T00:00".into(),
        registration_closes_at: "2026-12-01T00:00".into(),
        changes_until: "2026-11-15T00:00".into(),
        public_list: true,
        visa_letters: false,
        visa_retention_days: String::new(),
    };
    let event = t.app.save_event(admin, None, &input).expect("event").id;
    let room = t
        .app
        .save_programme_room(
            admin,
            event,
            None,
            &RoomInput {
                name: "Assembly hall".into(),
                capacity: "500".into(),
                hybrid: true,
            },
        )
        .expect("room")
        .id;
    t.app
        .add_programme_timeslots(
            admin,
            event,
            &TimeslotInput {
                dates: "2026-12-07".into(),
                times: "09:00".into(),
                minutes: "90".into(),
            },
        )
        .expect("timeslot");
    let slot = t.app.programme(admin, event).expect("programme").timeslots[0].id;
    let session = t
        .app
        .save_programme_session(
            admin,
            event,
            None,
            &SessionInput {
                title: "Opening".into(),
                session_type: "main".into(),
                duration: "90".into(),
                expected_audience: "300".into(),
                format: "onsite".into(),
                people: vec![PersonInput {
                    name: "Ana Pérez".into(),
                    role: "moderator".into(),
                    ..PersonInput::default()
                }],
                ..SessionInput::default()
            },
        )
        .expect("session")
        .session
        .id;
    t.app
        .place_session(admin, event, session, Some((room, slot)), false)
        .expect("placed");
    (event, session)
}

#[test]
fn a_speaker_is_invited_from_the_session_page_and_finds_it_on_their_dashboard() {
    let t = TestApp::new();
    t.account(ADMIN, Some(Role::Secretariat));
    let admin = t.admin_caller();
    let (event, session) = opening(&t, &admin);
    let page = format!("/admin/events/{event}/programme/sessions/{session}");
    let action = format!("{page}/invitations");
    let mut c = signed_in(&t, ADMIN);
    let shown = c.get(&page);
    assert!(
        shown.body.contains("Speakers&#39; accounts") || shown.body.contains("Speakers' accounts")
    );
    assert!(shown.body.contains(&format!("action=\"{action}\"")));
    assert!(shown.body.contains("no account linked"));

    let refused = c.submit(
        &page,
        &action,
        &[("email", "ana@"), ("name", " "), ("role", "speaker")],
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"email-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("id=\"name-error\""));
    assert!(refused.body.contains("value=\"ana@\""), "typed text kept");
    assert!(t.app.outbox(10).expect("outbox").is_empty());

    let sent = c.submit(
        &page,
        &action,
        &[
            ("email", "ana@example.org"),
            ("name", "Ana Pérez"),
            ("role", "speaker"),
        ],
    );
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let listed = c.get(&format!("{page}?done=invited"));
    assert!(listed.body.contains("The invitation has been sent."));
    assert!(listed.body.contains("ana@example.org") && listed.body.contains("pending"));
    assert!(
        listed.body.contains("Moderator: Ana Pérez"),
        "her role in the session"
    );

    let token = link_token(&t, "invitation", "/invitations/");
    let link = format!("/invitations/{token}");
    let mut ana = t.client();
    let offer = ana.get(&link);
    assert_eq!(offer.status, StatusCode::OK);
    assert!(
        offer
            .body
            .contains("moderator of the session “Opening” at Geneva Forum"),
        "{}",
        offer.body
    );
    let done = ana.submit(
        &link,
        &link,
        &[
            ("given_name", "Ana"),
            ("family_name", "Pérez"),
            ("password", "a long new password"),
        ],
    );
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let dashboard = ana.get("/");
    assert!(dashboard.body.contains("My sessions"), "{}", dashboard.body);
    assert!(dashboard.body.contains("Opening"));
    assert!(dashboard.body.contains("Moderator · Geneva Forum"));
    assert!(dashboard.body.contains("09:00") && dashboard.body.contains("Assembly hall"));

    let after = c.get(&page);
    assert!(
        after.body.contains("linked to the account of Ana Pérez"),
        "{}",
        after.body
    );
    assert!(after.body.contains("accepted by Ana Pérez"));
}

#[test]
fn a_pending_speaker_invitation_is_revoked_from_the_session_page() {
    let t = TestApp::new();
    t.account(ADMIN, Some(Role::Secretariat));
    t.account("member@example.org", Some(Role::Member));
    let admin = t.admin_caller();
    let (event, session) = opening(&t, &admin);
    let page = format!("/admin/events/{event}/programme/sessions/{session}");
    let mut c = signed_in(&t, ADMIN);
    let sent = c.submit(
        &page,
        &format!("{page}/invitations"),
        &[
            ("email", "kofi@example.org"),
            ("name", "Kofi Mensah"),
            ("role", "rapporteur"),
        ],
    );
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let id = t
        .app
        .speaker_invitations(&admin, event, session)
        .expect("list")[0]
        .id;
    let revoke = format!("{page}/invitations/{id}/revoke");
    let mut member = signed_in(&t, "member@example.org");
    let csrf = member.get("/").csrf();
    assert_eq!(
        member.post_raw(&revoke, &[("csrf", csrf.as_str())]).status,
        StatusCode::FORBIDDEN
    );
    let shown = c.get(&page);
    assert!(shown.body.contains(&format!("action=\"{revoke}\"")));
    let revoked = c.submit(&page, &revoke, &[]);
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let after = c.get(&format!("{page}?done=invitation-revoked"));
    assert!(after.body.contains("The invitation has been revoked."));
    assert!(after.body.contains("revoked"));
    let token = link_token(&t, "invitation", "/invitations/");
    assert_eq!(
        t.client().get(&format!("/invitations/{token}")).status,
        StatusCode::GONE
    );
}

#[test]
fn speakers_are_invited_listed_revoked_and_accepted_through_the_api() {
    let t = TestApp::new();
    t.account(ADMIN, Some(Role::Secretariat));
    t.account("bo@example.org", Some(Role::Member));
    let admin = t.admin_caller();
    let (event, session) = opening(&t, &admin);
    let token = t.api_token(ADMIN);
    let bo = t.api_token("bo@example.org");
    let path = format!("/api/v1/events/{event}/programme/sessions/{session}/invitations");

    let bad = t.api(
        Method::POST,
        &path,
        Some(&token),
        Some(json!({ "email": "bo@", "name": "Bo Li" })),
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "email", "{}", bad.json());
    let unknown = t.api(
        Method::POST,
        &path,
        Some(&token),
        Some(json!({ "email": "bo@example.org", "name": "Bo Li", "seat": 3 })),
    );
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let forbidden = t.api(
        Method::POST,
        &path,
        Some(&bo),
        Some(json!({ "email": "bo@example.org", "name": "Bo Li" })),
    );
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let made = t
        .api(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({ "email": "bo@example.org", "name": "Bo Li", "role": "rapporteur" })),
        )
        .expect_json(StatusCode::CREATED);
    assert_eq!(made["role"], "Rapporteur: Bo Li");
    assert_eq!(made["state"], "pending");
    let list = t
        .api(Method::GET, &path, Some(&token), None)
        .expect_json(StatusCode::OK);
    assert_eq!(list["items"][0]["id"], made["id"]);
    assert_eq!(
        t.api(Method::GET, &path, Some(&bo), None).status,
        StatusCode::FORBIDDEN
    );

    let link = link_token(&t, "invitation", "/invitations/");
    let accept = "/api/v1/invitations/accept";
    assert_eq!(
        t.api(Method::POST, accept, None, Some(json!({ "token": link })))
            .status,
        StatusCode::UNAUTHORIZED
    );
    let accepted = t
        .api(
            Method::POST,
            accept,
            Some(&bo),
            Some(json!({ "token": link })),
        )
        .expect_json(StatusCode::OK);
    assert!(
        accepted["role"]
            .as_str()
            .is_some_and(|r| r.starts_with("rapporteur of the session “Opening”")),
        "{accepted}"
    );
    assert_eq!(accepted["account"]["email"], "bo@example.org");
    let again = t.api(
        Method::POST,
        accept,
        Some(&bo),
        Some(json!({ "token": link })),
    );
    assert_eq!(again.status, StatusCode::GONE, "single use");
    let people = t
        .app
        .session_people(&admin, event, session)
        .expect("people");
    assert_eq!(people[1].name, "Bo Li");
    assert!(people[1].user_id.is_some());

    let second = t
        .api(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({ "email": "kofi@example.org", "name": "Kofi Mensah" })),
        )
        .expect_json(StatusCode::CREATED);
    let revoke = format!("{path}/{}/revoke", second["id"]);
    let revoked = t
        .api(Method::POST, &revoke, Some(&token), None)
        .expect_json(StatusCode::OK);
    assert_eq!(revoked["state"], "revoked");
    assert_eq!(
        t.api(Method::POST, &revoke, Some(&token), None).status,
        StatusCode::CONFLICT
    );
}

#[test]
fn sign_up_through_the_api_mails_a_link_that_creates_the_account() {
    let t = TestApp::new();
    t.account("taken@example.org", Some(Role::Member));
    let bad = t.api(
        Method::POST,
        "/api/v1/sign-up",
        None,
        Some(json!({ "display_name": "Amani", "email": "amani@example.org", "password": "short" })),
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "password");
    let taken = t.api(
        Method::POST,
        "/api/v1/sign-up",
        None,
        Some(json!({ "display_name": "Someone", "email": "taken@example.org", "password": "a long new password" })),
    );
    let fresh = t.api(
        Method::POST,
        "/api/v1/sign-up",
        None,
        Some(json!({ "display_name": "Amani Njoroge", "email": "amani@example.org", "password": "a long new password" })),
    );
    assert_eq!(taken.status, StatusCode::ACCEPTED);
    assert_eq!(taken.body, fresh.body, "the same answer either way");
    let link = link_token(&t, "sign_up_verify", "/sign-up/");
    let created = t
        .api(Method::POST, &format!("/api/v1/sign-up/{link}"), None, None)
        .expect_json(StatusCode::CREATED);
    assert_eq!(created["email"], "amani@example.org");
    assert_eq!(created["display_name"], "Amani Njoroge");
    assert_eq!(
        t.api(Method::POST, &format!("/api/v1/sign-up/{link}"), None, None)
            .status,
        StatusCode::GONE
    );
    let mut amani = t.client();
    assert_eq!(
        amani
            .sign_in("amani@example.org", "a long new password")
            .status,
        StatusCode::SEE_OTHER
    );
}
