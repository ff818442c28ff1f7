//! Invitations to a programme session's people, on SQLite and PostgreSQL: accepting
//! links the session's row (or adds it) to the account and its directory entry, and the
//! person finds the session on their dashboard; only the secretariat invites; revoked
//! and expired links are refused.

mod common;

use chrono::Duration;
use common::{PASSWORD, admin, app_at, signed_in};
use plenary_app::programme::TimeslotInput;
use plenary_app::registration::EventInput;
use plenary_app::speakers::SpeakerInvite;
use plenary_app::{
    App, AppError, BodyInput, Caller, FixedClock, InvitationState, NewAccount, NewInvitee,
};
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
use plenary_domain::{Grant, Role, Scope};
use plenary_store::testing::TestDb;
use std::sync::Arc;

struct Harness {
    app: App,
    clock: Arc<FixedClock>,
    admin: Caller,
    event: i64,
    /// "Opening", placed on 23 June 09:00 Oslo in the Plenary hall, moderated by Ana Pérez.
    opening: i64,
    _db: TestDb,
}

fn event_input(title: &str) -> EventInput {
    EventInput {
        title: title.into(),
        venue: "Lillestrøm".into(),
        time_zone: "Europe/Oslo".into(),
        starts_at: "2026-06-23T09:00".into(),
        ends_at: "2026-06-24T18:00".into(),
        registration_opens_at: "2026-04-01T00:00".into(),
        registration_closes_at: "2026-06-01T00:00".into(),
        changes_until: "2026-06-10T00:00".into(),
        public_list: false,
        visa_letters: false,
        visa_retention_days: String::new(),
    }
}

fn opening_input(people: Vec<PersonInput>) -> SessionInput {
    SessionInput {
        title: "Opening".into(),
        session_type: "main".into(),
        duration: "90".into(),
        expected_audience: "500".into(),
        format: "onsite".into(),
        people,
        ..SessionInput::default()
    }
}

fn person(name: &str, role: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        role: role.into(),
        ..PersonInput::default()
    }
}

fn harness(db: TestDb) -> Harness {
    let (app, clock) = app_at(&db, (2026, 5, 1, 10));
    let admin = admin(&app);
    let event = app
        .save_event(&admin, None, &event_input("Annual Forum 2026"))
        .expect("event")
        .id;
    let room = app
        .save_programme_room(
            &admin,
            event,
            None,
            &RoomInput {
                name: "Plenary hall".into(),
                capacity: "800".into(),
                hybrid: true,
            },
        )
        .expect("room")
        .id;
    app.add_programme_timeslots(
        &admin,
        event,
        &TimeslotInput {
            dates: "2026-06-23".into(),
            times: "09:00".into(),
            minutes: "90".into(),
        },
    )
    .expect("timeslots");
    let slot = app.programme(&admin, event).expect("programme").timeslots[0].id;
    let opening = app
        .save_programme_session(
            &admin,
            event,
            None,
            &opening_input(vec![person("Ana Pérez", "moderator")]),
        )
        .expect("session")
        .session
        .id;
    app.place_session(&admin, event, opening, Some((room, slot)), false)
        .expect("placed");
    Harness {
        app,
        clock,
        admin,
        event,
        opening,
        _db: db,
    }
}

on_both_backends!(
    a_new_person_accepts_and_finds_their_session,
    an_existing_account_is_added_to_the_session,
    only_the_secretariat_invites_speakers,
    revoked_and_expired_speaker_invitations_are_refused,
);

fn invite(email: &str, name: &str, role: &str) -> SpeakerInvite {
    SpeakerInvite {
        email: email.into(),
        name: name.into(),
        role: role.into(),
    }
}

/// The token of the newest invitation mail to `to`.
fn token_to(app: &App, to: &str) -> String {
    let mail = app
        .outbox(50)
        .expect("outbox")
        .into_iter()
        .find(|m| m.kind == "invitation" && m.recipient == to)
        .expect("an invitation mail");
    let start = mail
        .body_text
        .find("https://forum.example.org/invitations/")
        .expect("link");
    mail.body_text[start..]
        .split_whitespace()
        .next()
        .and_then(|l| l.rsplit('/').next())
        .expect("token")
        .to_owned()
}

fn fields(e: AppError) -> Vec<&'static str> {
    match e {
        AppError::Invalid(errors) => errors.iter().map(|e| e.field).collect(),
        other => panic!("not a field error: {other:?}"),
    }
}

fn account(h: &Harness, email: &str, name: &str, grants: Vec<Grant>) -> Caller {
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: email.into(),
                display_name: name.into(),
                password: PASSWORD.into(),
                grants,
            },
        )
        .expect("account");
    signed_in(&h.app, email)
}

fn a_new_person_accepts_and_finds_their_session(h: Harness) {
    // Typed in another case and spelling, and as a speaker: the session lists Ana as its
    // moderator, and the invitation says so.
    h.app
        .invite_speaker(
            &h.admin,
            h.event,
            h.opening,
            &invite("ana@example.org", "ana perez", "speaker"),
        )
        .expect("invited");
    let mail = h.app.outbox(1).expect("outbox").pop().expect("mail");
    assert!(
        mail.subject
            .contains("moderator of the session “Opening” at Annual Forum 2026"),
        "{}",
        mail.subject
    );
    let lines = h
        .app
        .speaker_invitations(&h.admin, h.event, h.opening)
        .expect("list");
    assert_eq!(lines[0].role, "Moderator: ana perez");
    assert_eq!(lines[0].state, InvitationState::Pending);

    let token = token_to(&h.app, "ana@example.org");
    let view = h.app.check_invitation(&token).expect("usable");
    assert!(!view.account_exists);
    let anonymous = Caller::anonymous(Some("192.0.2.5".into()));
    let signed = h
        .app
        .accept_invitation(
            &anonymous,
            &token,
            Some(&NewInvitee {
                given_name: "Ana".into(),
                family_name: "Pérez".into(),
                password: PASSWORD.into(),
            }),
            None,
        )
        .expect("accepted")
        .expect("a new account is signed in");
    let ana = h
        .app
        .session_user(&signed.session_token)
        .expect("lookup")
        .expect("live")
        .caller(None);

    let people = h
        .app
        .session_people(&h.admin, h.event, h.opening)
        .expect("people");
    assert_eq!(people.len(), 1, "the row is linked, not added");
    assert_eq!(people[0].name, "Ana Pérez");
    assert_eq!(people[0].account_name.as_deref(), Some("Ana Pérez"));
    assert!(people[0].person_id.is_some(), "linked to the directory");

    let dashboard = h.app.dashboard(&ana).expect("dashboard");
    assert_eq!(dashboard.sessions.len(), 1);
    let mine = &dashboard.sessions[0].session;
    assert_eq!(mine.title, "Opening");
    assert_eq!(mine.role, "moderator");
    assert_eq!(mine.room.as_deref(), Some("Plenary hall"));
    assert_eq!(
        mine.starts_at.map(|t| t.to_rfc3339()),
        Some("2026-06-23T07:00:00+00:00".to_owned()),
        "09:00 in Oslo"
    );
    assert!(!dashboard.sessions[0].published);

    // The secretariat edits the session's people: Ana's link stays with her row.
    let version = h
        .app
        .programme(&h.admin, h.event)
        .expect("programme")
        .sessions[0]
        .session
        .version;
    h.app
        .save_programme_session(
            &h.admin,
            h.event,
            Some((h.opening, version)),
            &opening_input(vec![
                person("Bo Li", "speaker"),
                person("ANA PEREZ", "moderator"),
            ]),
        )
        .expect("saved");
    let people = h
        .app
        .session_people(&h.admin, h.event, h.opening)
        .expect("people");
    assert_eq!(people[0].account_name, None);
    assert_eq!(people[1].account_name.as_deref(), Some("Ana Pérez"));
    assert_eq!(h.app.dashboard(&ana).expect("dashboard").sessions.len(), 1);
    let lines = h
        .app
        .speaker_invitations(&h.admin, h.event, h.opening)
        .expect("list");
    assert_eq!(lines[0].state, InvitationState::Accepted);
}

fn an_existing_account_is_added_to_the_session(h: Harness) {
    let bo = account(&h, "bo@example.org", "Bo Li", vec![]);
    h.app
        .invite_speaker(
            &h.admin,
            h.event,
            h.opening,
            &invite("bo.li@example.org", "Bo Li", "rapporteur"),
        )
        .expect("invited");
    let token = token_to(&h.app, "bo.li@example.org");
    assert!(h.app.dashboard(&bo).expect("dashboard").sessions.is_empty());
    h.app
        .accept_invitation(&bo, &token, None, None)
        .expect("accepted");
    let people = h
        .app
        .session_people(&h.admin, h.event, h.opening)
        .expect("people");
    let names: Vec<_> = people
        .iter()
        .map(|p| (p.name.as_str(), p.role.as_str()))
        .collect();
    assert_eq!(names, [("Ana Pérez", "moderator"), ("Bo Li", "rapporteur")]);
    assert_eq!(people[1].account_name.as_deref(), Some("Bo Li"));
    let mine = h.app.dashboard(&bo).expect("dashboard").sessions;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].session.role, "rapporteur");

    // Bo's row cannot be taken by another account through a second invitation.
    h.app
        .invite_speaker(
            &h.admin,
            h.event,
            h.opening,
            &invite("impostor@example.org", "Bo Li", ""),
        )
        .expect("invited");
    let second = token_to(&h.app, "impostor@example.org");
    let impostor = account(&h, "impostor@example.org", "Not Bo", vec![]);
    assert!(matches!(
        h.app.accept_invitation(&impostor, &second, None, None),
        Err(AppError::Refused(_))
    ));
    assert!(h.app.check_invitation(&second).is_ok(), "still usable");
    assert!(
        h.app
            .dashboard(&impostor)
            .expect("dashboard")
            .sessions
            .is_empty()
    );
}

fn only_the_secretariat_invites_speakers(h: Harness) {
    let ok = invite("ana@example.org", "Ana Pérez", "");
    let member = account(&h, "member@example.org", "Member", vec![]);
    let body = h
        .app
        .save_body(
            &h.admin,
            None,
            &BodyInput {
                kind: "working_group".into(),
                short_name: "WG-Youth".into(),
                name: "Working Group on Youth".into(),
                ..Default::default()
            },
        )
        .expect("body")
        .id;
    let chair = account(
        &h,
        "chair@example.org",
        "Chair",
        vec![Grant {
            role: Role::Chair,
            scope: Scope::Body(body),
        }],
    );
    for caller in [&member, &chair] {
        assert!(matches!(
            h.app.invite_speaker(caller, h.event, h.opening, &ok),
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            h.app.speaker_invitations(caller, h.event, h.opening),
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            h.app.session_people(caller, h.event, h.opening),
            Err(AppError::Forbidden)
        ));
    }
    let anonymous = Caller::anonymous(None);
    assert!(matches!(
        h.app.invite_speaker(&anonymous, h.event, h.opening, &ok),
        Err(AppError::SignInRequired)
    ));
    let refused = h
        .app
        .invite_speaker(
            &h.admin,
            h.event,
            h.opening,
            &invite("not an address", " ", "keynote"),
        )
        .expect_err("invalid");
    assert_eq!(fields(refused), ["email", "name", "role"]);
    let other = h
        .app
        .save_event(&h.admin, None, &event_input("Another event"))
        .expect("event")
        .id;
    assert!(matches!(
        h.app.invite_speaker(&h.admin, other, h.opening, &ok),
        Err(AppError::NotFound)
    ));
    assert!(
        h.app.outbox(10).expect("outbox").is_empty(),
        "nothing mailed"
    );
}

fn revoked_and_expired_speaker_invitations_are_refused(h: Harness) {
    let first = h
        .app
        .invite_speaker(
            &h.admin,
            h.event,
            h.opening,
            &invite("kofi@example.org", "Kofi Mensah", "speaker"),
        )
        .expect("invited");
    let token = token_to(&h.app, "kofi@example.org");
    let other = h
        .app
        .save_event(&h.admin, None, &event_input("Another event"))
        .expect("event")
        .id;
    assert!(matches!(
        h.app
            .revoke_speaker_invitation(&h.admin, other, h.opening, first),
        Err(AppError::NotFound)
    ));
    h.app
        .revoke_speaker_invitation(&h.admin, h.event, h.opening, first)
        .expect("revoked");
    let kofi = account(&h, "kofi@example.org", "Kofi Mensah", vec![]);
    assert!(matches!(
        h.app.accept_invitation(&kofi, &token, None, None),
        Err(AppError::LinkInvalid)
    ));
    assert!(matches!(
        h.app
            .revoke_speaker_invitation(&h.admin, h.event, h.opening, first),
        Err(AppError::Refused(_))
    ));

    h.app
        .invite_speaker(
            &h.admin,
            h.event,
            h.opening,
            &invite("kofi@example.org", "Kofi Mensah", "speaker"),
        )
        .expect("invited again");
    let late = token_to(&h.app, "kofi@example.org");
    assert_ne!(late, token);
    h.clock.advance(Duration::days(14));
    assert!(matches!(
        h.app.accept_invitation(&kofi, &late, None, None),
        Err(AppError::LinkInvalid)
    ));
    let states: Vec<_> = h
        .app
        .speaker_invitations(&h.admin, h.event, h.opening)
        .expect("list")
        .iter()
        .map(|i| i.state)
        .collect();
    assert_eq!(states, [InvitationState::Expired, InvitationState::Revoked]);
    let people = h
        .app
        .session_people(&h.admin, h.event, h.opening)
        .expect("people");
    assert_eq!(people.len(), 1, "nobody was added");
    assert!(
        h.app
            .dashboard(&kofi)
            .expect("dashboard")
            .sessions
            .is_empty()
    );
}
