//! The programme of an event on SQLite and PostgreSQL: rooms, timeslots and sessions,
//! the scheduler keeping every hard rule with the event's weights, manual placement
//! refused or overridden with its conflict shown, minimal change with pinned sessions,
//! infeasible input explained, sessions from accepted proposals, publishing.

mod common;

use common::{admin, app_at};
use plenary_app::calls::{CallInput, SubmissionInput};
use plenary_app::programme::{TimeslotInput, UnavailabilityInput, WeightsInput};
use plenary_app::registration::EventInput;
use plenary_app::review::DecisionInput;
use plenary_app::{App, AppError, Caller, NewAccount};
use plenary_domain::calls::{ProposalInput, SpeakerInput};
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
use plenary_store::testing::TestDb;

struct Harness {
    app: App,
    admin: Caller,
    event: i64,
    _db: TestDb,
}

fn harness(db: TestDb) -> Harness {
    let (app, _clock) = app_at(&db, (2026, 5, 1, 10));
    let admin = admin(&app);
    let event = app
        .save_event(
            &admin,
            None,
            &EventInput {
                title: "Annual Forum 2026".into(),
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
            },
        )
        .expect("event")
        .id;
    Harness {
        app,
        admin,
        event,
        _db: db,
    }
}

fn room(h: &Harness, name: &str, capacity: &str, hybrid: bool) -> i64 {
    h.app
        .save_programme_room(
            &h.admin,
            h.event,
            None,
            &RoomInput {
                name: name.into(),
                capacity: capacity.into(),
                hybrid,
            },
        )
        .expect("room")
        .id
}

/// Two days × three times (09:00, 10:45, 16:00 Oslo), 90 minutes.
fn grid(h: &Harness) {
    h.app
        .add_programme_timeslots(
            &h.admin,
            h.event,
            &TimeslotInput {
                dates: "2026-06-23, 2026-06-24".into(),
                times: "09:00 10:45 16:00".into(),
                minutes: "90".into(),
            },
        )
        .expect("timeslots");
}

fn person(name: &str, role: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        role: role.into(),
        ..PersonInput::default()
    }
}

fn session(
    h: &Harness,
    title: &str,
    kind: &str,
    theme: &str,
    audience: &str,
    people: Vec<PersonInput>,
) -> i64 {
    h.app
        .save_programme_session(
            &h.admin,
            h.event,
            None,
            &SessionInput {
                title: title.into(),
                session_type: kind.into(),
                theme: theme.into(),
                duration: "90".into(),
                expected_audience: audience.into(),
                format: "onsite".into(),
                people,
                ..SessionInput::default()
            },
        )
        .expect("session")
        .session
        .id
}

fn field_errors(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(errors) => errors.iter().map(ToString::to_string).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn where_is(h: &Harness, id: i64) -> (Option<i64>, Option<i64>) {
    let view = h.app.programme(&h.admin, h.event).expect("programme");
    let s = view
        .sessions
        .iter()
        .find(|s| s.session.id == id)
        .expect("session");
    (s.session.room_id, s.session.timeslot_id)
}

// ------------------------------------------------------------------ cases

fn the_scheduler_keeps_every_hard_rule(h: Harness) {
    let hall = room(&h, "Plenary hall", "800", true);
    room(&h, "Room 2", "100", false);
    room(&h, "Room 3", "60", true);
    grid(&h);
    let ana = || person("Ana Pérez", "moderator");
    let opening = session(&h, "Opening", "main", "Cooperation", "700", vec![ana()]);
    let closing = session(
        &h,
        "Closing",
        "main",
        "Cooperation",
        "700",
        vec![person("Bo Li", "speaker")],
    );
    let mut others = Vec::new();
    for i in 0..8 {
        let theme = ["Access", "AI", "Security"][i % 3];
        let people = if i < 3 {
            vec![
                person("ana perez", "speaker"),
                person(&format!("Speaker {i}"), "speaker"),
            ]
        } else {
            vec![person(&format!("Speaker {i}"), "speaker")]
        };
        others.push(session(
            &h,
            &format!("Workshop {i}"),
            "workshop",
            theme,
            "50",
            people,
        ));
    }
    // Bo is not there on the first morning.
    h.app
        .add_unavailability(
            &h.admin,
            h.event,
            &UnavailabilityInput {
                name: "BO LI".into(),
                from: "2026-06-23T08:00".into(),
                until: "2026-06-23T13:00".into(),
            },
        )
        .expect("unavailable");
    let report = h
        .app
        .run_scheduler(&h.admin, h.event, 1)
        .expect("scheduled");
    assert_eq!((report.sessions, report.placed), (10, 10));
    let view = h.app.programme(&h.admin, h.event).expect("programme");
    assert!(view.conflicts.is_empty(), "{:?}", view.conflicts);
    let slot = |id| where_is(&h, id);
    // The main sessions need the hall and are never in parallel.
    assert_eq!(slot(opening).0, Some(hall));
    assert_eq!(slot(closing).0, Some(hall));
    assert_ne!(slot(opening).1, slot(closing).1);
    // Ana is in four sessions, never two at once.
    let mut ana_times: Vec<Option<i64>> = [opening, others[0], others[1], others[2]]
        .iter()
        .map(|id| slot(*id).1)
        .collect();
    ana_times.sort();
    ana_times.dedup();
    assert_eq!(ana_times.len(), 4);
    // Bo's session is not on the first morning.
    let closing_at = view
        .sessions
        .iter()
        .find(|s| s.session.id == closing)
        .and_then(|s| s.timeslot.clone())
        .expect("placed");
    let noon = chrono::DateTime::parse_from_rfc3339("2026-06-23T11:00:00Z").expect("instant");
    assert!(closing_at.starts_at >= noon, "after 13:00 in Oslo");
    // The same seed gives the same timetable on a second run; a new session moves nobody.
    let before: Vec<(Option<i64>, Option<i64>)> = others.iter().map(|id| slot(*id)).collect();
    session(
        &h,
        "Late addition",
        "workshop",
        "AI",
        "20",
        vec![person("Newcomer", "speaker")],
    );
    let again = h.app.run_scheduler(&h.admin, h.event, 1).expect("again");
    assert_eq!(again.moved, 0);
    let after: Vec<(Option<i64>, Option<i64>)> = others.iter().map(|id| slot(*id)).collect();
    assert_eq!(before, after);
}

fn a_manual_move_is_refused_with_its_reason_or_kept_as_a_visible_conflict(h: Harness) {
    let hall = room(&h, "Hall", "500", true);
    let small = room(&h, "Small room", "30", false);
    grid(&h);
    let a = session(
        &h,
        "Data flows",
        "workshop",
        "AI",
        "40",
        vec![person("Ana Pérez", "speaker")],
    );
    let b = session(
        &h,
        "Open data",
        "workshop",
        "AI",
        "20",
        vec![person("Ana Perez", "moderator")],
    );
    h.app
        .run_scheduler(&h.admin, h.event, 3)
        .expect("scheduled");
    let (_, a_time) = where_is(&h, a);
    let view = h.app.programme(&h.admin, h.event).expect("programme");
    let other_room = if where_is(&h, a).0 == Some(hall) {
        small
    } else {
        hall
    };
    // B into A's timeslot: Ana would be in two places (and the room may be too small).
    let refused = field_errors(
        h.app
            .place_session(
                &h.admin,
                h.event,
                b,
                Some((other_room, a_time.expect("placed"))),
                false,
            )
            .expect_err("clash"),
    );
    assert!(
        refused
            .iter()
            .any(|e| e.contains("Ana Pérez in two places at once")),
        "{refused:?}"
    );
    assert_eq!(
        where_is(&h, b),
        view.sessions
            .iter()
            .find(|s| s.session.id == b)
            .map(|s| (s.session.room_id, s.session.timeslot_id))
            .expect("b")
    );
    // A's own room and time are taken.
    let taken = field_errors(
        h.app
            .place_session(
                &h.admin,
                h.event,
                b,
                Some((where_is(&h, a).0.expect("room"), a_time.expect("time"))),
                true,
            )
            .expect_err("taken"),
    );
    assert!(
        taken[0].contains("“Data flows” is in this room"),
        "{taken:?}"
    );
    // With the override it is kept, and the conflict stays visible.
    let conflicts = h
        .app
        .place_session(
            &h.admin,
            h.event,
            b,
            Some((other_room, a_time.expect("time"))),
            true,
        )
        .expect("overridden");
    assert!(
        conflicts
            .iter()
            .any(|c| c.sessions.contains(&a) && c.sessions.contains(&b)),
        "{conflicts:?}"
    );
    // A pinned session never moves; the scheduler resolves the override.
    h.app
        .pin_session(&h.admin, h.event, a, true)
        .expect("pinned");
    let pinned_at = where_is(&h, a);
    h.app.run_scheduler(&h.admin, h.event, 3).expect("re-run");
    assert_eq!(where_is(&h, a), pinned_at);
    assert!(
        h.app
            .programme(&h.admin, h.event)
            .expect("view")
            .conflicts
            .is_empty()
    );
}

fn online_speakers_get_reasonable_local_hours(h: Harness) {
    room(&h, "Hall", "100", true);
    grid(&h);
    h.app
        .set_schedule_weights(
            &h.admin,
            h.event,
            &WeightsInput {
                online_hours: "50".into(),
                ..WeightsInput::default()
            },
        )
        .expect("weights");
    // 09:00 in Oslo is 19:00 in Auckland; 10:45 ends at 22:15 there, 16:00 is 02:00.
    let id = h
        .app
        .save_programme_session(
            &h.admin,
            h.event,
            None,
            &SessionInput {
                title: "Pacific perspectives".into(),
                session_type: "open_forum".into(),
                duration: "90".into(),
                expected_audience: "30".into(),
                format: "hybrid".into(),
                people: vec![PersonInput {
                    name: "Mere Tane".into(),
                    role: "speaker".into(),
                    online: true,
                    time_zone: "Pacific/Auckland".into(),
                }],
                ..SessionInput::default()
            },
        )
        .expect("session")
        .session
        .id;
    h.app
        .run_scheduler(&h.admin, h.event, 1)
        .expect("scheduled");
    let view = h.app.programme(&h.admin, h.event).expect("view");
    let at = view
        .sessions
        .iter()
        .find(|s| s.session.id == id)
        .and_then(|s| s.timeslot.clone())
        .expect("placed");
    assert_eq!(
        at.starts_at.format("%H:%M").to_string(),
        "07:00",
        "09:00 CEST"
    );
}

fn bad_input_and_impossible_programmes_are_explained(h: Harness) {
    let zero = field_errors(
        h.app
            .save_programme_room(
                &h.admin,
                h.event,
                None,
                &RoomInput {
                    name: "Broom cupboard".into(),
                    capacity: "0".into(),
                    hybrid: false,
                },
            )
            .expect_err("zero"),
    );
    assert!(zero[0].starts_with("capacity"), "{zero:?}");
    room(&h, "Hall", "100", true);
    let twice = field_errors(
        h.app
            .save_programme_session(
                &h.admin,
                h.event,
                None,
                &SessionInput {
                    title: "Twice".into(),
                    session_type: "workshop".into(),
                    duration: "60".into(),
                    expected_audience: "10".into(),
                    format: "onsite".into(),
                    people: vec![
                        person("Ana Pérez", "speaker"),
                        person("ANA PEREZ", "moderator"),
                        PersonInput {
                            name: "Cy".into(),
                            role: "speaker".into(),
                            time_zone: "Moon/Base".into(),
                            ..PersonInput::default()
                        },
                    ],
                    ..SessionInput::default()
                },
            )
            .expect_err("twice"),
    );
    assert!(
        twice.iter().any(|e| e.contains("listed twice")),
        "{twice:?}"
    );
    assert!(
        twice.iter().any(|e| e.contains("Cy: the time zone")),
        "{twice:?}"
    );
    h.app
        .add_programme_timeslots(
            &h.admin,
            h.event,
            &TimeslotInput {
                dates: "2026-06-23".into(),
                times: "09:00".into(),
                minutes: "60".into(),
            },
        )
        .expect("one slot");
    session(&h, "Marathon", "workshop", "", "10", vec![]);
    let refused = field_errors(
        h.app
            .run_scheduler(&h.admin, h.event, 1)
            .expect_err("too long"),
    );
    assert!(
        refused[0].contains("“Marathon”: no room and timeslot fits it"),
        "{refused:?}"
    );
    assert!(
        h.app.programme(&h.admin, h.event).expect("view").sessions[0]
            .timeslot
            .is_none()
    );
    let bad_times = field_errors(
        h.app
            .add_programme_timeslots(
                &h.admin,
                h.event,
                &TimeslotInput {
                    dates: "23 June".into(),
                    times: "9am".into(),
                    minutes: "0".into(),
                },
            )
            .expect_err("bad"),
    );
    for field in ["dates", "times", "minutes"] {
        assert!(
            bad_times.iter().any(|e| e.starts_with(field)),
            "{field} in {bad_times:?}"
        );
    }
    assert!(
        !bad_times.iter().any(|e| e.contains("required")),
        "{bad_times:?}"
    );
}

fn accepted_proposals_become_sessions_and_the_programme_is_published(h: Harness) {
    let call = h
        .app
        .save_call(
            &h.admin,
            None,
            &CallInput {
                kind: "session_proposals".into(),
                title: "Workshops".into(),
                time_zone: "Europe/Oslo".into(),
                opens_at: "2026-04-01T00:00".into(),
                closes_at: "2026-05-15T00:00".into(),
                ..CallInput::default()
            },
        )
        .expect("call")
        .call
        .id;
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "ana@example.org".into(),
                display_name: "Ana".into(),
                password: common::PASSWORD.into(),
                grants: vec![],
            },
        )
        .expect("account");
    let ana = common::signed_in(&h.app, "ana@example.org");
    let draft = h
        .app
        .save_submission(
            &ana,
            call,
            None,
            &SubmissionInput {
                proposal: ProposalInput {
                    title: "Community networks".into(),
                    session_type: "workshop".into(),
                    theme: "Access".into(),
                    format: "hybrid".into(),
                    description: "The last mile.".into(),
                    policy_questions: "Who pays?".into(),
                    speakers: vec![SpeakerInput {
                        name: "Amina Yusuf".into(),
                        organization: "KICTANet".into(),
                        stakeholder_group: "civil_society".into(),
                        country: "KE".into(),
                        gender: String::new(),
                        organizer: true,
                    }],
                    ..ProposalInput::default()
                },
                ..SubmissionInput::default()
            },
        )
        .expect("draft");
    h.app
        .submit_submission(&ana, draft.submission.id)
        .expect("sent");
    h.app
        .decide(
            &h.admin,
            draft.submission.id,
            &DecisionInput {
                decision: "accept".into(),
                ..DecisionInput::default()
            },
        )
        .expect("accepted");
    assert_eq!(
        h.app
            .sessions_from_call(&h.admin, h.event, call)
            .expect("from call"),
        1
    );
    assert_eq!(
        h.app
            .sessions_from_call(&h.admin, h.event, call)
            .expect("again"),
        0,
        "taken once"
    );
    let view = h.app.programme(&h.admin, h.event).expect("view");
    let s = &view.sessions[0];
    assert_eq!(
        (s.session.title.as_str(), s.session.format.as_str()),
        ("Community networks", "hybrid")
    );
    assert_eq!(
        (s.people[0].name.as_str(), s.people[0].role.as_str()),
        ("Amina Yusuf", "moderator")
    );
    // Not public until published; then only placed sessions show.
    let anonymous = Caller::anonymous(None);
    assert!(matches!(
        h.app.public_programme(&anonymous, h.event),
        Err(AppError::NotFound)
    ));
    h.app
        .publish_programme(&h.admin, h.event, true)
        .expect("published");
    let public = h.app.public_programme(&anonymous, h.event).expect("public");
    assert!(public.sessions.is_empty() && public.conflicts.is_empty());
    room(&h, "Hall", "100", true);
    grid(&h);
    h.app
        .run_scheduler(&h.admin, h.event, 1)
        .expect("scheduled");
    // The public sees the board's work once it is published as a new release.
    let public = |h: &Harness| {
        h.app
            .public_programme(&anonymous, h.event)
            .expect("public")
            .sessions
            .len()
    };
    assert_eq!(public(&h), 0);
    h.app
        .publish_programme(&h.admin, h.event, true)
        .expect("released");
    assert_eq!(public(&h), 1);
    // Only the secretariat builds it.
    assert!(matches!(
        h.app.programme(&ana, h.event),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        h.app.run_scheduler(&ana, h.event, 1),
        Err(AppError::Forbidden)
    ));
}

on_both_backends!(
    the_scheduler_keeps_every_hard_rule,
    a_manual_move_is_refused_with_its_reason_or_kept_as_a_visible_conflict,
    online_speakers_get_reasonable_local_hours,
    bad_input_and_impossible_programmes_are_explained,
    accepted_proposals_become_sessions_and_the_programme_is_published,
);
