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
    let _ = (Method::GET, json!({}));
}
