//! Importing meeting documents (the samples in `shared/samples`) on both backends.

#[macro_use]
mod common;

use plenary_app::{
    ActionFilter, App, AppError, BodyInput, Caller, ImportOutcome, ImportReport, ImportRequest,
    NewAccount, PersonInput,
};
use plenary_domain::import::Kind;
use plenary_domain::minutes::Owner;
use plenary_domain::{Grant, Role, Scope};
use plenary_store::testing::TestDb;

const SUMMARY: &str = "mag-2024-meeting-viii-summary.txt";
const AGENDA: &str = "open-consultations-2024-agenda.txt";

fn sample(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Harness {
    app: App,
    admin: Caller,
    mag: i64,
    youth: i64,
    _db: TestDb,
}

fn body(app: &App, admin: &Caller, kind: &str, short: &str, name: &str) -> i64 {
    app.save_body(
        admin,
        None,
        &BodyInput {
            kind: kind.into(),
            short_name: short.into(),
            name: name.into(),
            ..Default::default()
        },
    )
    .expect("body")
    .id
}

fn harness(db: TestDb) -> Harness {
    let (app, _clock) = common::app_at(&db, (2024, 9, 2, 8));
    let admin = common::admin(&app);
    let mag = body(
        &app,
        &admin,
        "advisory_group",
        "MAG",
        "Multistakeholder Advisory Group",
    );
    let youth = body(
        &app,
        &admin,
        "working_group",
        "WG-Youth",
        "MAG Working Group on Youth Engagement",
    );
    body(
        &app,
        &admin,
        "secretariat",
        "Secretariat",
        "IGF Secretariat",
    );
    Harness {
        app,
        admin,
        mag,
        youth,
        _db: db,
    }
}

on_both_backends!(
    the_summary_becomes_a_meeting_with_items_notes_actions_and_attendance,
    the_same_file_again_changes_nothing,
    a_corrected_version_replaces_what_the_earlier_one_stored,
    the_agenda_stores_its_days_rooms_and_timed_items,
    what_is_no_document_is_refused_and_nothing_is_written,
    a_meeting_needs_a_body_and_a_start,
    only_the_secretariat_imports,
    the_summary_round_trips_through_the_meeting_summary,
);

fn import(h: &Harness, name: &str, bytes: Vec<u8>, body: Option<&str>) -> ImportReport {
    h.app
        .import_document(
            &h.admin,
            ImportRequest {
                file_name: name.into(),
                bytes,
                body: body.map(str::to_owned),
            },
        )
        .unwrap_or_else(|e| panic!("import {name}: {e:?}"))
}

/// (meetings, agenda items, actions, attendance rows, people in the directory, notes).
fn meeting_actions(h: &Harness, meeting_id: i64) -> Vec<plenary_app::ActionView> {
    h.app
        .actions(
            &h.admin,
            &ActionFilter {
                meeting_id: Some(meeting_id),
                ..Default::default()
            },
        )
        .expect("actions")
}

fn counts(h: &Harness) -> (usize, usize, usize, usize, i64, usize) {
    let meetings = h.app.meetings(&h.admin, None).expect("meetings");
    let (mut items, mut actions, mut attendance, mut notes) = (0, 0, 0, 0);
    for m in &meetings {
        let view = h.app.meeting(&h.admin, m.id).expect("meeting");
        items += view.days.iter().map(|d| d.items.len()).sum::<usize>();
        attendance += view
            .participants
            .iter()
            .map(|(_, people)| people.len())
            .sum::<usize>();
        actions += meeting_actions(h, m.id).len();
        notes += h.app.notes(&h.admin, m.id).expect("notes").len();
    }
    let people = h.app.people(&h.admin, "", 1).expect("people").1;
    (meetings.len(), items, actions, attendance, people, notes)
}

fn the_summary_becomes_a_meeting_with_items_notes_actions_and_attendance(h: Harness) {
    // One participant is in the directory already: found, not created again.
    h.app
        .save_person(
            &h.admin,
            None,
            &PersonInput {
                family_name: "Roach".into(),
                given_name: "Carol".into(),
                ..Default::default()
            },
        )
        .expect("person");
    let report = import(&h, SUMMARY, sample(SUMMARY), Some("MAG"));
    let ImportOutcome::Created { meeting_id } = report.outcome else {
        panic!("{:?}", report.outcome)
    };
    assert_eq!(report.extraction.kind, Kind::Summary);
    assert_eq!((report.attendance, report.persons_created), (56, 55));
    assert_eq!(counts(&h), (1, 8, 9, 56, 56, 8));

    let view = h.app.meeting(&h.admin, meeting_id).expect("meeting");
    let m = &view.meeting;
    assert_eq!(m.title, "IGF 2024 MAG Meeting VIII");
    assert_eq!((m.body_id, m.published), (h.mag, false));
    assert_eq!(
        (m.kind.as_str(), m.mode.as_str(), m.time_zone.as_str()),
        ("advisory_group_meeting", "online", "UTC")
    );
    assert_eq!(m.starts_at.to_rfc3339(), "2024-08-20T11:00:00+00:00");
    assert_eq!(
        m.ends_at.to_rfc3339(),
        "2024-08-20T23:59:00+00:00",
        "no end stated: the end of the day"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.starts_with("the document states no end")),
        "{:#?}",
        report.notes
    );
    assert_eq!(view.days.len(), 1);
    let items = &view.days[0].items;
    assert_eq!(items[0].item.number.as_deref(), Some("1"));
    let wg = items
        .iter()
        .find(|i| i.item.number.as_deref() == Some("7"))
        .expect("item 7");
    assert!(
        wg.item.interventions.contains(&"WG-Strategy".to_owned()),
        "sub-headings are kept: {:?}",
        wg.item.interventions
    );
    let groups: Vec<&str> = view.participants.iter().map(|(g, _)| g.as_str()).collect();
    assert_eq!(
        groups[..3],
        ["MAG Chair", "IGF 2024 Host Country Co-Chair", "MAG Members"],
        "role groups in the document's order"
    );

    let notes = h.app.notes(&h.admin, meeting_id).expect("notes");
    let item3 = &items[2].item;
    let note3 = notes
        .iter()
        .find(|n| n.item_id == item3.id)
        .expect("note of item 3");
    assert_eq!(note3.version, 1);
    assert!(
        note3
            .text
            .starts_with("- IGF MAG members and other stakeholders")
    );
    assert!(
        note3.text.contains("\n  - The [first main session]")
            || note3.text.contains("\n  - The first main session"),
        "nested bullets stay nested: {}",
        note3.text
    );

    let actions = meeting_actions(&h, meeting_id);
    let owner_of = |start: &str| {
        let a = &actions
            .iter()
            .find(|a| a.action.text.starts_with(start))
            .unwrap_or_else(|| panic!("action {start}"))
            .action;
        (a.owner, a.owner_as_written.clone(), a.due_on)
    };
    assert_eq!(
        owner_of("The IGF Secretariat will reach out"),
        (Owner::Secretariat, Some("IGF Secretariat".into()), None)
    );
    assert_eq!(
        owner_of("The MAG WG-Youth co-facilitators"),
        (
            Owner::Body(h.youth),
            Some("MAG WG-Youth co-facilitators".into()),
            None
        )
    );
    let (owner, written, due) = owner_of("The MAG members should review");
    assert_eq!(
        (owner, written.as_deref(), due.map(|d| d.to_string())),
        (
            Owner::Body(h.mag),
            Some("MAG members"),
            Some("2024-08-23".into())
        )
    );
    assert_eq!(
        owner_of("Working Groups welcome").0,
        Owner::Body(h.mag),
        "no such body: the meeting's"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("\"Working Groups\"") && n.contains("meeting's body MAG")),
        "{:#?}",
        report.notes
    );
    let item2 = items[1].item.id;
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.action.item_id == Some(item2))
            .count(),
        1,
        "actions stay on their item"
    );

    // An action entered by hand has no owner as written: nothing else changes.
    let by_hand = h
        .app
        .add_action(
            &h.admin,
            meeting_id,
            &plenary_app::ActionInput {
                item_id: Some(item2),
                text: "Check the registrations.".into(),
                owner: "secretariat".into(),
                due_on: String::new(),
            },
        )
        .expect("action by hand");
    assert_eq!(by_hand.owner_as_written, None);

    let audit = h
        .app
        .audit_log(
            &h.admin,
            &plenary_app::AuditFilter {
                action_prefix: Some("meeting.import".into()),
                ..Default::default()
            },
        )
        .expect("audit");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].target_id, Some(meeting_id.to_string()));
    assert!(
        audit[0].detail.contains("\"outcome\":\"created\""),
        "{}",
        audit[0].detail
    );
}

fn the_same_file_again_changes_nothing(h: Harness) {
    let first = import(&h, SUMMARY, sample(SUMMARY), Some("MAG"));
    let before = counts(&h);
    let again = import(&h, SUMMARY, sample(SUMMARY), Some(&h.mag.to_string()));
    assert_eq!(
        again.outcome,
        ImportOutcome::Unchanged {
            meeting_id: first.outcome.meeting_id()
        }
    );
    assert_eq!((again.persons_created, again.attendance), (0, 56));
    assert_eq!(counts(&h), before);
}

fn a_corrected_version_replaces_what_the_earlier_one_stored(h: Harness) {
    let first = import(&h, SUMMARY, sample(SUMMARY), Some("MAG"));
    let meeting_id = first.outcome.meeting_id();
    // An action entered by hand on an imported item stays (without its item).
    let item = h.app.meeting(&h.admin, meeting_id).expect("meeting").days[0].items[1]
        .item
        .id;
    let by_hand = h
        .app
        .add_action(
            &h.admin,
            meeting_id,
            &plenary_app::ActionInput {
                item_id: Some(item),
                text: "Check the registrations.".into(),
                owner: "secretariat".into(),
                due_on: String::new(),
            },
        )
        .expect("action by hand");
    let before = counts(&h);
    assert_eq!(before.2, 10);
    let text = String::from_utf8(sample(SUMMARY)).expect("utf-8");
    let old = "The IGF Secretariat will send out invitations for the next virtual MAG meeting.";
    assert!(text.contains(old));
    let corrected = text.replace(
        old,
        "Carol Roach will send out invitations for the next virtual MAG meeting by 6 September.",
    );
    let report = import(
        &h,
        "corrected.txt",
        corrected.clone().into_bytes(),
        Some("MAG"),
    );
    assert_eq!(report.outcome, ImportOutcome::Updated { meeting_id });
    assert_eq!(report.persons_created, 0, "everyone is known by now");
    assert_eq!(counts(&h), before, "replaced, not added");
    let actions = meeting_actions(&h, meeting_id);
    let carol = h.app.people(&h.admin, "carol roach", 1).expect("people").0;
    assert_eq!(carol.len(), 1);
    let changed = actions
        .iter()
        .find(|a| a.action.text.starts_with("Carol Roach will"))
        .expect("corrected action");
    assert_eq!(changed.action.owner, Owner::Person(carol[0].id));
    assert_eq!(
        changed.action.due_on.map(|d| d.to_string()).as_deref(),
        Some("2024-09-06")
    );
    assert!(!actions.iter().any(|a| a.action.text == old));
    let kept = actions
        .iter()
        .find(|a| a.action.id == by_hand.id)
        .expect("the action entered by hand");
    assert_eq!(kept.action.item_id, None);
    let again = import(
        &h,
        "corrected.txt",
        corrected.clone().into_bytes(),
        Some("MAG"),
    );
    assert_eq!(again.outcome, ImportOutcome::Unchanged { meeting_id });

    // A corrected title, same file: still that meeting.
    let corrected = corrected.replacen("IGF 2024 MAG Meeting VIII", "IGF 2024 MAG Meeting 8", 1);
    let report = import(
        &h,
        "corrected.txt",
        corrected.clone().into_bytes(),
        Some("MAG"),
    );
    assert_eq!(report.outcome, ImportOutcome::Updated { meeting_id });
    assert_eq!(counts(&h), before, "replaced, not added");
    assert_eq!(
        h.app
            .meeting(&h.admin, meeting_id)
            .expect("meeting")
            .meeting
            .title,
        "IGF 2024 MAG Meeting 8"
    );

    // Approved minutes change only through a new revision, not by an import.
    for state in ["circulated", "approved"] {
        h.app
            .set_minutes_state(&h.admin, meeting_id, state)
            .expect(state);
    }
    let before = counts(&h);
    let refused = h.app.import_document(
        &h.admin,
        ImportRequest {
            file_name: "third.txt".into(),
            bytes: corrected
                .replace("by 6 September", "by 9 September")
                .into_bytes(),
            body: Some("MAG".into()),
        },
    );
    assert!(matches!(refused, Err(AppError::Refused(_))), "{refused:?}");
    assert_eq!(counts(&h), before);
}

fn the_agenda_stores_its_days_rooms_and_timed_items(h: Harness) {
    // The organiser line "Hosted by IGF Secretariat" names the body.
    let report = import(&h, AGENDA, sample(AGENDA), None);
    let meeting_id = report.outcome.meeting_id();
    let view = h.app.meeting(&h.admin, meeting_id).expect("meeting");
    assert_eq!(view.body.short_name, "Secretariat");
    assert_eq!(
        (
            view.meeting.kind.as_str(),
            view.meeting.time_zone.as_str(),
            view.meeting.mode.as_str()
        ),
        ("open_consultation", "Europe/Zurich", "onsite")
    );
    assert_eq!(
        view.meeting.ends_at.to_rfc3339(),
        "2024-06-28T16:00:00+00:00"
    );
    let dates: Vec<String> = view.days.iter().map(|d| d.day.day.to_string()).collect();
    assert_eq!(dates, ["2024-06-26", "2024-06-27", "2024-06-28"]);
    assert_eq!(
        view.days.iter().map(|d| d.items.len()).collect::<Vec<_>>(),
        [7, 8, 8]
    );
    assert_eq!(view.rooms.len(), 1);
    assert!(
        view.days
            .iter()
            .all(|d| d.room.as_ref().is_some_and(|r| r.name == "Room XXVI"))
    );
    assert_eq!(view.days[0].day.label, "Open Consultations");
    assert_eq!(view.days[0].day.desired_outputs.len(), 3);
    let first = &view.days[0].items[0].item;
    assert_eq!(first.title, "(untitled)");
    assert_eq!(first.interventions.len(), 4);
    let timed = &view.days[0].items[1].item;
    assert_eq!(
        (
            timed.starts_at.map(|t| t.to_rfc3339()),
            timed.ends_at.map(|t| t.to_rfc3339())
        ),
        (
            Some("2024-06-26T08:30:00+00:00".into()),
            Some("2024-06-26T10:30:00+00:00".into())
        ),
        "10:30-12:30 in Geneva in June"
    );
    assert!(
        report.notes.iter().any(|n| n.contains("(untitled)")),
        "{:#?}",
        report.notes
    );
    assert_eq!(report.attendance, 0);
}

fn what_is_no_document_is_refused_and_nothing_is_written(h: Harness) {
    let before = counts(&h);
    let cases: [(&str, Vec<u8>); 4] = [
        ("empty.txt", Vec::new()),
        ("blank.txt", b" \n\r\n".to_vec()),
        ("binary.docx", b"PK\x03\x04\x00\x00\xff\xfe binary".to_vec()),
        (
            "letter.txt",
            b"Dear colleagues,\n\nthank you for your support this year.\n\nKind regards\n".to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        let err = h
            .app
            .import_document(
                &h.admin,
                ImportRequest {
                    file_name: name.into(),
                    bytes: bytes.clone(),
                    body: Some("MAG".into()),
                },
            )
            .expect_err(name);
        assert!(
            matches!(&err, AppError::Invalid(e) if e[0].field == "file"),
            "{name}: {err:?}"
        );
        let preview = h.app.preview_import(&h.admin, name, &bytes);
        if name == "letter.txt" {
            assert_eq!(preview.expect("readable").kind, Kind::Unrecognised);
        } else {
            assert!(matches!(preview, Err(AppError::Invalid(e)) if e[0].field == "file"));
        }
    }
    assert_eq!(counts(&h), before);
}

fn a_meeting_needs_a_body_and_a_start(h: Harness) {
    let before = counts(&h);
    let refused = |bytes: Vec<u8>, body: Option<&str>| match h.app.import_document(
        &h.admin,
        ImportRequest {
            file_name: "x.txt".into(),
            bytes,
            body: body.map(str::to_owned),
        },
    ) {
        Err(AppError::Invalid(e)) => (e[0].field, e[0].problem.to_string()),
        other => panic!("{other:?}"),
    };
    let (field, why) = refused(sample(SUMMARY), None);
    assert_eq!(field, "body");
    assert!(why.contains("no organiser line"), "{why}");
    let (field, _) = refused(sample(SUMMARY), Some("No Such Body"));
    assert_eq!(field, "body");
    let agenda = String::from_utf8(sample(AGENDA)).expect("utf-8");
    let unknown = agenda.replace(
        "Hosted by IGF Secretariat",
        "Hosted by the Ministry of Nowhere",
    );
    let (field, why) = refused(unknown.into_bytes(), None);
    assert_eq!(field, "body");
    assert!(why.contains("\"Ministry of Nowhere\""), "{why}");
    let summary = String::from_utf8(sample(SUMMARY)).expect("utf-8");
    let undated = summary.replace("20 August 2024 | 11:00 UTC | Online", "Online");
    let (field, why) = refused(undated.into_bytes(), Some("MAG"));
    assert_eq!(field, "file");
    assert!(why.contains("no meeting date and time"), "{why}");
    assert_eq!(counts(&h), before);
}

fn only_the_secretariat_imports(h: Harness) {
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "reg@example.org".into(),
                display_name: "Reg".into(),
                password: common::PASSWORD.into(),
                grants: vec![Grant {
                    role: Role::Registrant,
                    scope: Scope::Global,
                }],
            },
        )
        .expect("registrant");
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "chair@example.org".into(),
                display_name: "Chair".into(),
                password: common::PASSWORD.into(),
                grants: vec![Grant {
                    role: Role::Chair,
                    scope: Scope::Body(h.mag),
                }],
            },
        )
        .expect("chair");
    let request = || ImportRequest {
        file_name: SUMMARY.into(),
        bytes: sample(SUMMARY),
        body: Some("MAG".into()),
    };
    for email in ["reg@example.org", "chair@example.org"] {
        let caller = common::signed_in(&h.app, email);
        assert!(matches!(
            h.app.import_document(&caller, request()),
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            h.app.preview_import(&caller, SUMMARY, &sample(SUMMARY)),
            Err(AppError::Forbidden)
        ));
    }
    let anonymous = Caller::anonymous(None);
    assert!(matches!(
        h.app.import_document(&anonymous, request()),
        Err(AppError::SignInRequired)
    ));
    assert_eq!(counts(&h).0, 0);
    let preview = h
        .app
        .preview_import(&h.admin, SUMMARY, &sample(SUMMARY))
        .expect("preview");
    assert_eq!(preview.items.len(), 8);
    assert_eq!(counts(&h).0, 0, "a preview writes nothing");
    // The operator at the command line acts as the secretariat.
    assert!(
        h.app
            .import_document(&Caller::operator(), request())
            .is_ok()
    );
}

fn the_summary_round_trips_through_the_meeting_summary(h: Harness) {
    let report = import(&h, SUMMARY, sample(SUMMARY), Some("MAG"));
    let x = &report.extraction;
    let summary = h
        .app
        .meeting_summary(&h.admin, report.outcome.meeting_id())
        .expect("summary");
    assert_eq!(summary.title, x.title.clone().expect("title"));
    let titles: Vec<(String, String)> = summary
        .items
        .iter()
        .map(|i| (i.number.clone(), i.title.clone()))
        .collect();
    let expected: Vec<(String, String)> = x
        .items
        .iter()
        .map(|i| {
            (
                i.number.clone().unwrap_or_default(),
                i.title.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(titles, expected);
    let mut actions: Vec<&str> = summary
        .items
        .iter()
        .flat_map(|i| i.actions.iter().map(|a| a.text.as_str()))
        .collect();
    let mut expected: Vec<&str> = x.actions.iter().map(|a| a.text.as_str()).collect();
    actions.sort_unstable();
    expected.sort_unstable();
    assert_eq!(actions, expected);
    let mut people: Vec<(String, String, String)> = summary
        .participants
        .iter()
        .flat_map(|(group, names)| {
            names
                .iter()
                .map(move |(family, given)| (family.clone(), given.clone(), group.clone()))
        })
        .collect();
    let mut expected: Vec<(String, String, String)> = x
        .participants
        .iter()
        .map(|p| {
            (
                p.family_name.clone().unwrap_or_default(),
                p.given_name.clone().unwrap_or_default(),
                p.role_group
                    .clone()
                    .unwrap_or_else(|| "Participants".into()),
            )
        })
        .collect();
    people.sort();
    expected.sort();
    assert_eq!(people.len(), 56);
    assert_eq!(people, expected);
    let notes: Vec<&str> = summary.items.iter().map(|i| i.notes.as_str()).collect();
    assert!(notes.iter().all(|n| n.starts_with("- ")), "{notes:#?}");
}
