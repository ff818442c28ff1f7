//! Remote participation: who sees the links to join a meeting or an event's sessions
//! online, and where — on SQLite and PostgreSQL.

#[macro_use]
mod common;

use common::{admin, app_at, signed_in};
use plenary_app::registration::{CategoryInput, EventInput, RegistrationInput};
use plenary_app::remote::EventLinksInput;
use plenary_app::{
    App, AppError, AttendeeInput, BodyInput, Caller, MeetingInput, MembershipInput, NewAccount,
    PersonInput,
};
use plenary_domain::programme::{PersonInput as SpeakerInput, SessionInput};
use plenary_store::testing::TestDb;
use std::collections::BTreeMap;

const MEETING_JOIN: &str = "https://us02web.zoom.us/j/81234567890?pwd=mag";
const MEETING_STREAM: &str = "https://live.example.org/mag";
const EVENT_JOIN: &str = "https://meet.jit.si/annual-forum-2026";
const SESSION_JOIN: &str = "https://unog.webex.com/unog/j.php?MTID=m42";

struct Harness {
    app: App,
    admin: Caller,
    body: i64,
    _db: TestDb,
}

fn harness(db: TestDb) -> Harness {
    let (app, _clock) = app_at(&db, (2026, 5, 1, 10));
    let admin = admin(&app);
    let body = app
        .save_body(
            &admin,
            None,
            &BodyInput {
                kind: "advisory_group".into(),
                short_name: "MAG".into(),
                name: "Multistakeholder Advisory Group".into(),
                ..Default::default()
            },
        )
        .expect("body")
        .id;
    Harness {
        app,
        admin,
        body,
        _db: db,
    }
}

/// An account whose directory entry (linked by its address) is returned with it.
fn account(h: &Harness, email: &str) -> (Caller, i64) {
    let person = h
        .app
        .save_person(
            &h.admin,
            None,
            &PersonInput {
                family_name: email.into(),
                email: email.into(),
                ..Default::default()
            },
        )
        .expect("person")
        .id;
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: email.into(),
                display_name: email.into(),
                password: common::PASSWORD.into(),
                grants: vec![],
            },
        )
        .expect("account");
    (signed_in(&h.app, email), person)
}

fn meeting_input(h: &Harness, join: &str) -> MeetingInput {
    MeetingInput {
        body_id: Some(h.body),
        title: "MAG meeting".into(),
        kind: "advisory_group_meeting".into(),
        mode: "hybrid".into(),
        time_zone: "Europe/Zurich".into(),
        starts_on: "2026-06-24".into(),
        starts_time: "10:00".into(),
        ends_on: "2026-06-24".into(),
        ends_time: "12:00".into(),
        published: true,
        join_url: join.into(),
        stream_url: MEETING_STREAM.into(),
        ..Default::default()
    }
}

on_both_backends!(
    the_meeting_join_link_goes_to_members_participants_and_managers_only,
    a_link_that_is_no_web_address_is_refused_beside_its_field,
    the_join_links_of_an_event_go_to_confirmed_online_registrants_only,
);

fn the_meeting_join_link_goes_to_members_participants_and_managers_only(h: Harness) {
    let meeting = h
        .app
        .save_meeting(&h.admin, None, &meeting_input(&h, MEETING_JOIN))
        .expect("meeting")
        .id;
    let (member, member_person) = account(&h, "member@example.org");
    h.app
        .add_membership(
            &h.admin,
            h.body,
            &MembershipInput {
                person_id: Some(member_person),
                role: "member".into(),
                starts_on: "2026-01-01".into(),
                ..Default::default()
            },
        )
        .expect("membership");
    let (participant, participant_person) = account(&h, "guest@example.org");
    h.app
        .set_attendee(
            &h.admin,
            meeting,
            &AttendeeInput {
                person_id: Some(participant_person),
                role_group: "Observers".into(),
                status: "invited".into(),
            },
        )
        .expect("invite");
    let (outsider, _) = account(&h, "outsider@example.org");
    let anonymous = Caller::anonymous(None);

    let join_of = |caller: &Caller| h.app.meeting(caller, meeting).expect("meeting").join_url;
    let entitled = Some(MEETING_JOIN.to_owned());
    assert_eq!(join_of(&h.admin), entitled, "who manages the meeting");
    assert_eq!(join_of(&member), entitled, "a current member of the body");
    assert_eq!(join_of(&participant), entitled, "an invited participant");
    assert_eq!(join_of(&outsider), None, "a signed-in outsider");
    assert_eq!(join_of(&anonymous), None, "an anonymous visitor");

    // The stream is public.
    let public = h.app.meeting(&anonymous, meeting).expect("meeting");
    assert_eq!(public.meeting.stream_url.as_deref(), Some(MEETING_STREAM));

    // The calendar file follows the same rule.
    let member_ics = h.app.meeting_calendar(&member, meeting).expect("ics");
    assert!(member_ics.contains("CONFERENCE;VALUE=URI"), "{member_ics}");
    assert!(member_ics.contains("us02web.zoom.us/j/81234567890"));
    for caller in [&outsider, &anonymous] {
        let ics = h.app.meeting_calendar(caller, meeting).expect("ics");
        assert!(
            !ics.contains("zoom.us") && !ics.contains("CONFERENCE"),
            "{ics}"
        );
        assert!(
            ics.contains("live.example.org/mag"),
            "the stream is in anyone's copy"
        );
    }
    let feed = h.app.body_calendar(h.body).expect("feed");
    assert!(
        !feed.contains("zoom.us"),
        "a subscribable feed never has it"
    );

    // Emptied, the link is gone for everyone.
    h.app
        .save_meeting(&h.admin, Some(meeting), &meeting_input(&h, ""))
        .expect("no link");
    assert_eq!(join_of(&h.admin), None, "a link taken away is gone");
}

fn a_link_that_is_no_web_address_is_refused_beside_its_field(h: Harness) {
    for bad in ["javascript:alert(1)", "zoom.us/j/1", "ftp://example.org/x"] {
        match h.app.save_meeting(&h.admin, None, &meeting_input(&h, bad)) {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(errors.len(), 1, "{errors:?}");
                assert_eq!(errors[0].field, "join_url");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let event = event(&h);
    let refused = h.app.set_event_links(
        &h.admin,
        event,
        &EventLinksInput {
            join_url: EVENT_JOIN.into(),
            stream_url: "live.example.org".into(),
        },
    );
    assert!(
        matches!(&refused, Err(AppError::Invalid(e)) if e[0].field == "stream_url"),
        "{refused:?}"
    );
    let (outsider, _) = account(&h, "outsider@example.org");
    assert!(matches!(
        h.app
            .set_event_links(&outsider, event, &EventLinksInput::default()),
        Err(AppError::Forbidden)
    ));
    let bad_session = SessionInput {
        join_url: "teams.microsoft.com/l/meetup-join".into(),
        ..session("Opening")
    };
    let refused = h
        .app
        .save_programme_session(&h.admin, event, None, &bad_session);
    assert!(
        matches!(&refused, Err(AppError::Invalid(e)) if e.iter().any(|f| f.field == "join_url")),
        "{refused:?}"
    );
}

fn event(h: &Harness) -> i64 {
    h.app
        .save_event(
            &h.admin,
            None,
            &EventInput {
                title: "Annual Forum 2026".into(),
                venue: "Conference Centre, Nairobi".into(),
                time_zone: "Africa/Nairobi".into(),
                starts_at: "2026-06-22T09:00".into(),
                ends_at: "2026-06-26T18:00".into(),
                registration_opens_at: "2026-04-01T00:00".into(),
                registration_closes_at: "2026-06-01T00:00".into(),
                changes_until: "2026-06-10T00:00".into(),
                public_list: false,
                visa_letters: false,
                visa_retention_days: String::new(),
            },
        )
        .expect("event")
        .id
}

fn category(h: &Harness, event: i64, name: &str, mode: &str, approval: bool) -> i64 {
    h.app
        .save_category(
            &h.admin,
            event,
            None,
            &CategoryInput {
                name: name.into(),
                mode: mode.into(),
                capacity: String::new(),
                needs_approval: approval,
            },
        )
        .expect("category")
        .id
}

fn session(title: &str) -> SessionInput {
    SessionInput {
        title: title.into(),
        session_type: "workshop".into(),
        duration: "60".into(),
        expected_audience: "50".into(),
        format: "hybrid".into(),
        people: vec![SpeakerInput {
            name: "Ana Pérez".into(),
            role: "speaker".into(),
            ..SpeakerInput::default()
        }],
        ..SessionInput::default()
    }
}

fn register(h: &Harness, caller: &Caller, event: i64, category: i64, email: &str) -> i64 {
    h.app
        .register(
            caller,
            event,
            &RegistrationInput {
                category_id: category.to_string(),
                email: email.into(),
                family_name: "Registrant".into(),
                given_name: "Ana".into(),
                organization: "ISOC".into(),
                country: "KE".into(),
                answers: BTreeMap::new(),
                listed: false,
            },
        )
        .expect("register")
        .registration
        .id
}

fn the_join_links_of_an_event_go_to_confirmed_online_registrants_only(h: Harness) {
    let event = event(&h);
    let online = category(&h, event, "Online", "online", false);
    let online_approved = category(&h, event, "Online (approved)", "online", true);
    let onsite = category(&h, event, "Onsite", "onsite", false);
    h.app
        .set_event_links(
            &h.admin,
            event,
            &EventLinksInput {
                join_url: EVENT_JOIN.into(),
                stream_url: String::new(),
            },
        )
        .expect("links");
    let opening = h
        .app
        .save_programme_session(&h.admin, event, None, &session("Opening"))
        .expect("session")
        .session
        .id;
    let workshop = SessionInput {
        join_url: SESSION_JOIN.into(),
        ..session("Workshop on AI")
    };
    let workshop = h
        .app
        .save_programme_session(&h.admin, event, None, &workshop)
        .expect("session")
        .session
        .id;

    let (online_caller, _) = account(&h, "online@example.org");
    let (onsite_caller, _) = account(&h, "onsite@example.org");
    let (pending_caller, _) = account(&h, "pending@example.org");
    let (outsider, _) = account(&h, "outsider@example.org");
    let confirmed = register(&h, &online_caller, event, online, "online@example.org");
    let onsite_reg = register(&h, &onsite_caller, event, onsite, "onsite@example.org");
    let pending = register(
        &h,
        &pending_caller,
        event,
        online_approved,
        "pending@example.org",
    );

    let expected: BTreeMap<i64, String> = [
        (opening, EVENT_JOIN.to_owned()),
        (workshop, SESSION_JOIN.to_owned()),
    ]
    .into();
    let links = |caller: &Caller| h.app.session_join_links(caller, event).expect("links");
    assert_eq!(
        links(&online_caller),
        Some(expected.clone()),
        "confirmed online"
    );
    assert_eq!(links(&h.admin), Some(expected), "the secretariat");
    assert_eq!(links(&onsite_caller), None, "onsite only");
    assert_eq!(links(&pending_caller), None, "not confirmed yet");
    assert_eq!(links(&outsider), None, "no registration");
    assert_eq!(links(&Caller::anonymous(None)), None, "anonymous");

    // On the registration's own page.
    let view = |id| h.app.registration(&h.admin, id).expect("registration");
    let shown: Vec<String> = view(confirmed)
        .join_links
        .into_iter()
        .map(|l| l.url)
        .collect();
    assert_eq!(shown, [EVENT_JOIN], "the sessions are named once published");
    assert!(view(onsite_reg).join_links.is_empty());
    assert!(view(pending).join_links.is_empty());

    // In the confirmation mail, and only there.
    let outbox = h.app.outbox(100).expect("outbox");
    let mail_to = |to: &str| {
        outbox
            .iter()
            .find(|m| m.recipient == to)
            .map(|m| (m.kind.clone(), m.body_text.clone()))
            .expect("mail")
    };
    let (kind, text) = mail_to("online@example.org");
    assert_eq!(kind, "registration_confirmed");
    assert!(
        text.contains(&format!("Join online: {EVENT_JOIN}")),
        "{text}"
    );
    let (_, text) = mail_to("onsite@example.org");
    assert!(
        !text.contains("Join online") && !text.contains("meet.jit.si"),
        "{text}"
    );
    let (kind, text) = mail_to("pending@example.org");
    assert_eq!(kind, "registration_pending");
    assert!(!text.contains("meet.jit.si"), "{text}");

    // Approved later: entitled from then on, and told in the mail.
    h.app
        .moderate_registration(&h.admin, pending, true, "")
        .expect("approve");
    assert!(links(&pending_caller).is_some());
    let approved_mail = h
        .app
        .outbox(100)
        .expect("outbox")
        .into_iter()
        .filter(|m| m.recipient == "pending@example.org")
        .map(|m| m.body_text)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(approved_mail.contains(EVENT_JOIN), "{approved_mail}");
}
