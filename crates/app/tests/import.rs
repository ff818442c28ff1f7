//! Importing meeting documents on both backends: the project's own documents
//! (`crates/domain/tests/import`, with their expected extractions) in every run, and the
//! real samples beside the repository (`../shared/samples`) only in `.ci/run`'s
//! shared-samples step (`cargo test -- --ignored`): those tests are ignored otherwise.

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

/// The real samples (`../shared/samples`).
const SUMMARY: &str = "mag-2024-meeting-viii-summary.txt";
const AGENDA: &str = "open-consultations-2024-agenda.txt";

/// The project's own documents: a working group's summary with an annex of participants
/// in role groups (no organiser line), a policy network's summary with actions of every
/// kind of owner, a multi-day agenda and a one-day agenda.
const OWN_SUMMARY: &str = "wg-strategy-2025-meeting-3-summary.txt";
const OWN_ACTIONS: &str = "pnai-2025-meeting-4-summary.txt";
const OWN_AGENDA: &str = "mag-retreat-2026-agenda.txt";
const OWN_DAY: &str = "dc-day-2025-agenda.txt";

fn read(dir: &str, name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(dir)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One of the project's own documents.
fn owned(name: &str) -> Vec<u8> {
    read("../domain/tests/import", name)
}

/// One of the real samples beside the repository.
fn sample(name: &str) -> Vec<u8> {
    read("../../../shared/samples", name)
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
    a_summary_becomes_a_meeting_with_items_notes_and_actions_of_every_owner,
    a_summary_s_participants_are_its_attendance_in_their_role_groups,
    the_same_own_file_again_changes_nothing,
    a_corrected_version_of_an_own_document_replaces_what_it_stored,
    an_agenda_stores_its_days_rooms_and_timed_items,
    a_one_day_agenda_stores_its_room_speakers_and_input_documents,
    what_is_no_document_is_refused_and_nothing_is_written,
    an_own_document_needs_a_body_and_a_start,
    only_the_secretariat_imports_an_own_document,
    an_own_summary_round_trips_through_the_meeting_summary,
    a_past_meeting_s_overdue_actions_get_no_reminder,
    word_and_pdf_files_store_the_meeting_their_text_does,
    #[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
    the_summary_becomes_a_meeting_with_items_notes_actions_and_attendance,
    #[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
    the_same_file_again_changes_nothing,
    #[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
    a_corrected_version_replaces_what_the_earlier_one_stored,
    #[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
    the_agenda_stores_its_days_rooms_and_timed_items,
    #[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
    a_meeting_needs_a_body_and_a_start,
    #[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
    only_the_secretariat_imports,
    #[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
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
        Owner::Unlisted,
        "no such body: kept as written, never the meeting's body"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("\"Working Groups\"") && n.contains("kept as written")),
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
        .expect("action by hand")
        .action;
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
    same_file_again_changes_nothing(&h, SUMMARY, sample(SUMMARY), 56);
}

/// `file`, imported into the MAG twice (by short name, then by id): the second time
/// changes nothing.
fn same_file_again_changes_nothing(h: &Harness, file: &str, bytes: Vec<u8>, attendance: usize) {
    let first = import(h, file, bytes.clone(), Some("MAG"));
    let before = counts(h);
    let again = import(h, file, bytes, Some(&h.mag.to_string()));
    assert_eq!(
        again.outcome,
        ImportOutcome::Unchanged {
            meeting_id: first.outcome.meeting_id()
        }
    );
    assert_eq!((again.persons_created, again.attendance), (0, attendance));
    assert_eq!(counts(h), before);
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
        .expect("action by hand")
        .action;
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
            assert_eq!(
                preview.expect("readable").extraction.kind,
                Kind::Unrecognised
            );
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
    only_the_secretariat_imports_a(&h, SUMMARY, sample(SUMMARY), 8);
}

/// Neither a registrant, a chair nor an anonymous caller imports or previews `file` (a
/// summary of `items` items, imported into the MAG); the secretariat and the operator do.
fn only_the_secretariat_imports_a(h: &Harness, file: &str, bytes: Vec<u8>, items: usize) {
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
        file_name: file.into(),
        bytes: bytes.clone(),
        body: Some("MAG".into()),
    };
    for email in ["reg@example.org", "chair@example.org"] {
        let caller = common::signed_in(&h.app, email);
        assert!(matches!(
            h.app.import_document(&caller, request()),
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            h.app.preview_import(&caller, file, &bytes),
            Err(AppError::Forbidden)
        ));
    }
    let anonymous = Caller::anonymous(None);
    assert!(matches!(
        h.app.import_document(&anonymous, request()),
        Err(AppError::SignInRequired)
    ));
    assert_eq!(counts(h).0, 0);
    let preview = h
        .app
        .preview_import(&h.admin, file, &bytes)
        .expect("preview");
    assert_eq!(preview.extraction.items.len(), items);
    assert_eq!(counts(h).0, 0, "a preview writes nothing");
    // The operator at the command line acts as the secretariat.
    assert!(
        h.app
            .import_document(&Caller::operator(), request())
            .is_ok()
    );
}

fn the_summary_round_trips_through_the_meeting_summary(h: Harness) {
    round_trips_through_the_meeting_summary(&h, SUMMARY, sample(SUMMARY), 56);
}

/// The meeting summary of an imported summary (imported into the MAG) shows what the
/// document said: title, items, actions and the `people_listed` participants in their groups
/// (someone listed twice in the first group that lists them).
fn round_trips_through_the_meeting_summary(
    h: &Harness,
    file: &str,
    bytes: Vec<u8>,
    people_listed: usize,
) {
    let report = import(h, file, bytes, Some("MAG"));
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
    let mut expected: Vec<(String, String, String)> = Vec::new();
    for p in &x.participants {
        let (family, given) = (
            p.family_name.clone().unwrap_or_default(),
            p.given_name.clone().unwrap_or_default(),
        );
        if !expected.iter().any(|(f, g, _)| (f, g) == (&family, &given)) {
            let group = p
                .role_group
                .clone()
                .unwrap_or_else(|| "Participants".into());
            expected.push((family, given, group));
        }
    }
    people.sort();
    expected.sort();
    assert_eq!(people.len(), people_listed);
    assert_eq!(people, expected);
    let notes: Vec<&str> = summary.items.iter().map(|i| i.notes.as_str()).collect();
    assert!(notes.iter().all(|n| n.starts_with("- ")), "{notes:#?}");
}

// ------------------------------------------------------------------ the project's documents

/// The bodies the project's summaries name beside the harness's: the WG-Strategy (its
/// summary has no organiser line: given at import), the Policy Network on AI (named by
/// its summary's organiser line) and the network's drafting group (named inside an
/// action's owner).
struct OwnBodies {
    strategy: i64,
    network: i64,
    drafting: i64,
}

fn own_bodies(h: &Harness) -> OwnBodies {
    let network = body(
        &h.app,
        &h.admin,
        "policy_network",
        "PNAI",
        "Policy Network on AI",
    );
    OwnBodies {
        strategy: body(
            &h.app,
            &h.admin,
            "working_group",
            "WG-Strategy",
            "MAG Working Group on Strategy",
        ),
        network,
        drafting: body(
            &h.app,
            &h.admin,
            "subgroup",
            "WG-Drafting",
            "PNAI Drafting Group",
        ),
    }
}

fn a_summary_becomes_a_meeting_with_items_notes_and_actions_of_every_owner(h: Harness) {
    let own = own_bodies(&h);
    // The owner of the first action is in the directory already.
    let ana = h
        .app
        .save_person(
            &h.admin,
            None,
            &PersonInput {
                family_name: "Pérez".into(),
                given_name: "Ana".into(),
                ..Default::default()
            },
        )
        .expect("person")
        .id;
    // The organiser line ("Organized by the Policy Network on AI") names the body.
    let report = import(&h, OWN_ACTIONS, owned(OWN_ACTIONS), None);
    let ImportOutcome::Created { meeting_id } = report.outcome else {
        panic!("{:?}", report.outcome)
    };
    assert_eq!(report.extraction.kind, Kind::Summary);
    assert_eq!((report.attendance, report.persons_created), (0, 0));
    // One meeting, 3 items, 7 actions (the cut-off eighth is not imported), no
    // attendance, Ana Pérez alone in the directory, a note on each item.
    assert_eq!(counts(&h), (1, 3, 7, 0, 1, 3));

    let view = h.app.meeting(&h.admin, meeting_id).expect("meeting");
    let m = &view.meeting;
    assert_eq!(m.title, "Policy Network on AI – Meeting 4");
    assert_eq!((m.body_id, m.published), (own.network, false));
    assert_eq!(
        (m.kind.as_str(), m.mode.as_str(), m.time_zone.as_str()),
        ("working_group_call", "online", "Etc/GMT-3"),
        "a policy network's call; UTC+3 is a fixed-offset zone"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("only an offset") && n.contains("Etc/GMT-3")),
        "{:#?}",
        report.notes
    );
    assert_eq!(m.starts_at.to_rfc3339(), "2025-03-05T11:00:00+00:00");
    assert_eq!(m.ends_at.to_rfc3339(), "2025-03-05T13:00:00+00:00");
    assert_eq!(view.days.len(), 1);
    assert_eq!(view.days[0].day.day.to_string(), "2025-03-05");
    let items = &view.days[0].items;
    let numbered: Vec<(Option<&str>, &str)> = items
        .iter()
        .map(|i| (i.item.number.as_deref(), i.item.title.as_str()))
        .collect();
    assert_eq!(
        numbered,
        [
            (Some("1"), "Welcome and adoption of the agenda"),
            (Some("2"), "Drafting of the policy brief"),
            (Some("3"), "Any other business"),
        ]
    );
    assert_eq!(
        items[1].item.interventions,
        ["WG-Drafting", "Youth Track"],
        "sub-headings are kept"
    );

    let notes = h.app.notes(&h.admin, meeting_id).expect("notes");
    let note_of = |index: usize| {
        &notes
            .iter()
            .find(|n| n.item_id == items[index].item.id)
            .unwrap_or_else(|| panic!("note of item {}", index + 1))
            .text
    };
    assert_eq!(notes.iter().map(|n| n.version).max(), Some(1));
    assert!(
        note_of(0).starts_with("- The co-facilitators welcomed participants"),
        "{}",
        note_of(0)
    );
    assert!(
        note_of(0).contains("\n- Nomé Tséng’s briefing note was noted."),
        "a link is kept as its text, names as written: {}",
        note_of(0)
    );
    assert!(
        note_of(0).contains("\n  - A question on timelines was raised."),
        "nested bullets stay nested: {}",
        note_of(0)
    );
    assert!(
        note_of(1).contains(
            "- Members discussed the chapter on data governance and agreed to shorten it."
        ),
        "a bullet continued on the next line is one note: {}",
        note_of(1)
    );
    assert_eq!(note_of(2), "- No other business was raised.");

    let actions = meeting_actions(&h, meeting_id);
    let action = |start: &str| {
        actions
            .iter()
            .find(|a| a.action.text.starts_with(start))
            .unwrap_or_else(|| panic!("action {start}"))
            .action
            .clone()
    };
    let owned_by = |start: &str| {
        let a = action(start);
        (a.owner, a.owner_as_written, a.due_on.map(|d| d.to_string()))
    };
    assert_eq!(
        owned_by("Ana Pérez will circulate"),
        (
            Owner::Person(ana),
            Some("Ana Pérez".into()),
            Some("2025-03-10".into())
        ),
        "a person of the directory"
    );
    assert_eq!(
        owned_by("The co-facilitators of the WG-Drafting"),
        (
            Owner::Body(own.drafting),
            Some("co-facilitators of the WG-Drafting".into()),
            Some("2025-04-02".into())
        ),
        "the body named in the owner"
    );
    assert_eq!(
        owned_by("Members are invited"),
        (
            Owner::Unlisted,
            Some("Members".into()),
            Some("2025-03-20".into())
        ),
        "no such body: kept as written, never the meeting's body"
    );
    assert_eq!(
        owned_by("The venue for the in-person meeting"),
        (Owner::Body(own.network), None, None),
        "no owner stated: the meeting's body"
    );
    assert_eq!(
        owned_by("The Secretariat will publish"),
        (Owner::Secretariat, Some("Secretariat".into()), None)
    );
    assert_eq!(
        owned_by("张伟 will translate"),
        (
            Owner::Unlisted,
            Some("张伟".into()),
            Some("2025-03-15".into())
        ),
        "an unknown person is not created for an action, but kept as written"
    );
    assert_eq!(
        owned_by("The IGF Secretariat will open"),
        (
            Owner::Secretariat,
            Some("IGF Secretariat".into()),
            Some("2025-04-30".into())
        )
    );
    for expected in [
        "owner \"co-facilitators of the WG-Drafting\" → body WG-Drafting (named in it)",
        "owner \"Members\" is no person or body of the directory; kept as written",
        "no owner stated; assigned to the meeting's body PNAI",
        "owner \"IGF Secretariat\" → the secretariat",
    ] {
        assert!(
            report.notes.iter().any(|n| n.contains(expected)),
            "{expected}: {:#?}",
            report.notes
        );
    }
    let on_item = |index: usize| {
        actions
            .iter()
            .filter(|a| a.action.item_id == Some(items[index].item.id))
            .count()
    };
    assert_eq!(
        (on_item(0), on_item(1), on_item(2)),
        (0, 6, 1),
        "actions stay on their item"
    );
    assert!(
        !actions
            .iter()
            .any(|a| a.action.text.contains("PNAI members will review")),
        "the cut-off action is not imported"
    );

    // An action entered by hand has no owner as written.
    let by_hand = h
        .app
        .add_action(
            &h.admin,
            meeting_id,
            &plenary_app::ActionInput {
                item_id: Some(items[2].item.id),
                text: "Book the room for the in-person meeting.".into(),
                owner: "secretariat".into(),
                due_on: String::new(),
            },
        )
        .expect("action by hand")
        .action;
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
        audit[0].detail.contains("\"outcome\":\"created\"")
            && audit[0].detail.contains("\"actions\":7"),
        "{}",
        audit[0].detail
    );
}

fn a_summary_s_participants_are_its_attendance_in_their_role_groups(h: Harness) {
    let own = own_bodies(&h);
    // One participant is in the directory already: found, not created again.
    let chidi = h
        .app
        .save_person(
            &h.admin,
            None,
            &PersonInput {
                family_name: "Okonkwo".into(),
                given_name: "Chidi".into(),
                ..Default::default()
            },
        )
        .expect("person")
        .id;
    let report = import(&h, OWN_SUMMARY, owned(OWN_SUMMARY), Some("WG-Strategy"));
    let meeting_id = report.outcome.meeting_id();
    // Six rows read (the duplicate in one group is dropped by the reader); Okonkwo is
    // listed in two groups and attends once: five attendees, four of them new.
    assert_eq!(report.extraction.participants.len(), 6);
    assert_eq!((report.attendance, report.persons_created), (5, 4));
    assert_eq!(counts(&h), (1, 2, 2, 5, 5, 2));

    let view = h.app.meeting(&h.admin, meeting_id).expect("meeting");
    let m = &view.meeting;
    assert_eq!(m.title, "WG-Strategy Meeting 3");
    assert_eq!(m.body_id, own.strategy);
    assert_eq!(
        (
            m.kind.as_str(),
            m.mode.as_str(),
            m.time_zone.as_str(),
            m.venue.as_str()
        ),
        (
            "working_group_call",
            "hybrid",
            "Europe/Zurich",
            "WMO Building, Geneva"
        )
    );
    assert_eq!(
        (m.starts_at.to_rfc3339(), m.ends_at.to_rfc3339()),
        (
            "2025-07-10T15:00:00+00:00".to_owned(),
            "2025-07-10T16:30:00+00:00".to_owned()
        ),
        "\"CET\" in July is Geneva's summer time"
    );
    let groups: Vec<(&str, Vec<String>)> = view
        .participants
        .iter()
        .map(|(group, people)| {
            (
                group.as_str(),
                people
                    .iter()
                    .map(|p| {
                        format!(
                            "{} {}",
                            p.given_name.as_deref().unwrap_or_default(),
                            p.family_name.as_deref().unwrap_or_default()
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("Participants", vec!["Jan Kowalski".to_owned()]),
            ("MAG Chair", vec!["Chidi Okonkwo".to_owned()]),
            (
                "MAG Members",
                vec![
                    "Hans Müller-Lüdenscheidt".to_owned(),
                    "Thị Minh Khai Nguyễn".to_owned()
                ]
            ),
            ("Observers", vec!["Aḥmad ʿAbd al-Raḥmān".to_owned()]),
        ],
        "role groups in the document's order (people in a group by family name), names \
         exactly as written"
    );
    let chair = &view.participants[1].1[0];
    assert_eq!(chair.person_id, chidi, "the person already known");
    for expected in [
        "1 participant(s) listed before any role group are stored under \"Participants\"",
        "is listed more than once; kept in the first role group only",
    ] {
        assert!(
            report.notes.iter().any(|n| n.contains(expected)),
            "{expected}: {:#?}",
            report.notes
        );
    }

    let items = &view.days[0].items;
    let notes = h.app.notes(&h.admin, meeting_id).expect("notes");
    let first = notes
        .iter()
        .find(|n| n.item_id == items[0].item.id)
        .expect("note of item 1");
    assert_eq!(
        first.text,
        "- The co-facilitators opened the meeting.\n- The agenda was adopted without changes."
    );
    let actions = meeting_actions(&h, meeting_id);
    let owners: Vec<(Owner, Option<String>, Option<i64>)> = actions
        .iter()
        .map(|a| {
            (
                a.action.owner,
                a.action.due_on.map(|d| d.to_string()),
                a.action.item_id,
            )
        })
        .collect();
    assert!(
        owners.contains(&(
            Owner::Body(h.mag),
            Some("2026-01-08".into()),
            Some(items[1].item.id)
        )),
        "\"MAG members\": the MAG, due the next 8 January: {owners:?}"
    );
    assert!(
        owners.contains(&(Owner::Unlisted, None, Some(items[1].item.id))),
        "\"co-facilitators\" names no body: kept as written: {owners:?}"
    );

    // Without an end in its header, a summary without timed items ends with its day.
    let text = String::from_utf8(owned(OWN_SUMMARY)).expect("utf-8");
    let open_ended = text
        .replacen(
            "WG-Strategy Meeting 3",
            "WG-Strategy Meeting 3 (open end)",
            1,
        )
        .replace("17:00 - 18:30 CET", "17:00 CET");
    assert_ne!(open_ended, text);
    let report = import(
        &h,
        "open-ended.txt",
        open_ended.into_bytes(),
        Some("WG-Strategy"),
    );
    let ImportOutcome::Created { meeting_id } = report.outcome else {
        panic!("{:?}", report.outcome)
    };
    let m = h
        .app
        .meeting(&h.admin, meeting_id)
        .expect("meeting")
        .meeting;
    assert_eq!(m.starts_at.to_rfc3339(), "2025-07-10T15:00:00+00:00");
    assert_eq!(
        m.ends_at.to_rfc3339(),
        "2025-07-10T21:59:00+00:00",
        "23:59 in Geneva"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.starts_with("the document states no end")),
        "{:#?}",
        report.notes
    );
    assert_eq!(report.persons_created, 0, "everyone is known by now");
}

fn the_same_own_file_again_changes_nothing(h: Harness) {
    same_file_again_changes_nothing(&h, OWN_SUMMARY, owned(OWN_SUMMARY), 5);
    // Re-saved by another tool (CRLF line ends and a byte-order mark): the same text.
    let text = String::from_utf8(owned(OWN_SUMMARY)).expect("utf-8");
    let resaved = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let before = counts(&h);
    let again = import(&h, OWN_SUMMARY, resaved.into_bytes(), Some("MAG"));
    assert!(
        matches!(again.outcome, ImportOutcome::Unchanged { .. }),
        "{:?}",
        again.outcome
    );
    assert_eq!(counts(&h), before);
}

fn word_and_pdf_files_store_the_meeting_their_text_does(h: Harness) {
    use plenary_app::import::testing::{PdfFont, docx_from_text, pdf_from_text};
    let text = String::from_utf8(owned(OWN_SUMMARY)).expect("utf-8");
    let docx = docx_from_text(&text);
    let first = import(&h, "minutes.docx", docx.clone(), Some("MAG"));
    assert!(matches!(first.outcome, ImportOutcome::Created { .. }));
    let meeting_id = first.outcome.meeting_id();
    let stored = counts(&h);
    assert_eq!(stored.2, 2, "the actions");
    // The same Word file again, and the text the page's preview read from it (what its
    // confirmation sends back): nothing changes.
    let again = import(&h, "minutes.docx", docx.clone(), Some("MAG"));
    assert!(matches!(again.outcome, ImportOutcome::Unchanged { .. }));
    let read = h
        .app
        .preview_import(&h.admin, "minutes.docx", &docx)
        .expect("preview");
    assert_eq!(read.extraction, first.extraction);
    let confirmed = import(&h, "minutes.docx", read.text.into_bytes(), Some("MAG"));
    assert!(matches!(confirmed.outcome, ImportOutcome::Unchanged { .. }));
    // Its PDF and its text version are the same meeting, with the same content.
    for (name, bytes) in [
        ("minutes.pdf", pdf_from_text(&text, PdfFont::Composite, 20)),
        (OWN_SUMMARY, text.clone().into_bytes()),
    ] {
        let report = import(&h, name, bytes, Some("MAG"));
        assert_eq!(report.outcome.meeting_id(), meeting_id, "{name}");
        assert_eq!(report.extraction, first.extraction, "{name}");
        assert_eq!(counts(&h), stored, "{name}");
    }
}

fn a_corrected_version_of_an_own_document_replaces_what_it_stored(h: Harness) {
    let own = own_bodies(&h);
    let first = import(&h, OWN_SUMMARY, owned(OWN_SUMMARY), Some("WG-Strategy"));
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
                text: "Book a room for the next meeting.".into(),
                owner: "secretariat".into(),
                due_on: String::new(),
            },
        )
        .expect("action by hand")
        .action;
    let before = counts(&h);
    assert_eq!(before.2, 3);
    let text = String::from_utf8(owned(OWN_SUMMARY)).expect("utf-8");
    let old = "The co-facilitators will prepare a work plan in the next few days.";
    assert!(text.contains(old));
    let corrected = text.replace(old, "Chidi Okonkwo will prepare a work plan by 24 July.");
    let report = import(
        &h,
        OWN_SUMMARY,
        corrected.clone().into_bytes(),
        Some("WG-Strategy"),
    );
    assert_eq!(report.outcome, ImportOutcome::Updated { meeting_id });
    assert_eq!(report.persons_created, 0, "everyone is known by now");
    assert_eq!(counts(&h), before, "replaced, not added");
    let actions = meeting_actions(&h, meeting_id);
    let chidi = h
        .app
        .people(&h.admin, "chidi okonkwo", 1)
        .expect("people")
        .0;
    assert_eq!(chidi.len(), 1);
    let changed = actions
        .iter()
        .find(|a| a.action.text.starts_with("Chidi Okonkwo will"))
        .expect("corrected action");
    assert_eq!(
        changed.action.owner,
        Owner::Person(chidi[0].id),
        "a participant of the meeting owns it"
    );
    assert_eq!(
        changed.action.due_on.map(|d| d.to_string()).as_deref(),
        Some("2025-07-24")
    );
    assert!(!actions.iter().any(|a| a.action.text == old));
    let kept = actions
        .iter()
        .find(|a| a.action.id == by_hand.id)
        .expect("the action entered by hand");
    assert_eq!(kept.action.item_id, None);
    let again = import(
        &h,
        OWN_SUMMARY,
        corrected.clone().into_bytes(),
        Some("WG-Strategy"),
    );
    assert_eq!(again.outcome, ImportOutcome::Unchanged { meeting_id });

    // A corrected title, same file: still that meeting.
    let corrected = corrected.replacen("WG-Strategy Meeting 3", "WG-Strategy Meeting III", 1);
    let report = import(
        &h,
        OWN_SUMMARY,
        corrected.clone().into_bytes(),
        Some("WG-Strategy"),
    );
    assert_eq!(report.outcome, ImportOutcome::Updated { meeting_id });
    assert_eq!(counts(&h), before, "replaced, not added");
    let view = h.app.meeting(&h.admin, meeting_id).expect("meeting");
    assert_eq!(
        (view.meeting.title.as_str(), view.meeting.body_id),
        ("WG-Strategy Meeting III", own.strategy)
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
            file_name: OWN_SUMMARY.into(),
            bytes: corrected.replace("by 24 July", "by 31 July").into_bytes(),
            body: Some("WG-Strategy".into()),
        },
    );
    assert!(matches!(refused, Err(AppError::Refused(_))), "{refused:?}");
    assert_eq!(counts(&h), before);
}

fn an_agenda_stores_its_days_rooms_and_timed_items(h: Harness) {
    // The organiser line "Hosted by the IGF Secretariat" names the body.
    let report = import(&h, OWN_AGENDA, owned(OWN_AGENDA), None);
    assert_eq!(report.extraction.kind, Kind::Agenda);
    let meeting_id = report.outcome.meeting_id();
    let view = h.app.meeting(&h.admin, meeting_id).expect("meeting");
    assert_eq!(view.body.short_name, "Secretariat");
    assert_eq!(view.meeting.title, "MAG Retreat 2026");
    assert_eq!(
        (
            view.meeting.kind.as_str(),
            view.meeting.time_zone.as_str(),
            view.meeting.mode.as_str(),
            view.meeting.venue.as_str()
        ),
        (
            "advisory_group_meeting",
            "Asia/Riyadh",
            "onsite",
            "Riyadh International Convention Centre, Riyadh"
        )
    );
    assert_eq!(
        view.meeting.starts_at.to_rfc3339(),
        "2026-03-27T06:00:00+00:00"
    );
    // No end stated: the end of the last timed item, 15:00 in Riyadh on the third day.
    assert_eq!(
        view.meeting.ends_at.to_rfc3339(),
        "2026-03-29T12:00:00+00:00"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("stored as the end of the last timed agenda item")),
        "{:#?}",
        report.notes
    );
    // The third day's date does not exist: the first day + 2, with a note.
    let dates: Vec<String> = view.days.iter().map(|d| d.day.day.to_string()).collect();
    assert_eq!(dates, ["2026-03-27", "2026-03-28", "2026-03-29"]);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("day 3 has no valid date; stored as 2026-03-29")),
        "{:#?}",
        report.notes
    );
    assert_eq!(
        view.days.iter().map(|d| d.items.len()).collect::<Vec<_>>(),
        [4, 2, 1]
    );
    let rooms: Vec<&str> = view.rooms.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(rooms, ["Plenary Hall", "Room XXI"]);
    let day_rooms: Vec<Option<&str>> = view
        .days
        .iter()
        .map(|d| d.room.as_ref().map(|r| r.name.as_str()))
        .collect();
    assert_eq!(day_rooms, [Some("Plenary Hall"), Some("Room XXI"), None]);
    assert_eq!(
        view.days[0].day.desired_outputs,
        ["Shared view of the 2025 cycle"]
    );
    assert_eq!(
        view.days[1].day.desired_outputs,
        ["Shared view of the 2025 cycle"]
    );
    let first_day: Vec<(Option<&str>, &str)> = view.days[0]
        .items
        .iter()
        .map(|i| (i.item.number.as_deref(), i.item.title.as_str()))
        .collect();
    assert_eq!(
        first_day,
        [
            (Some("1"), "Welcome and tour de table 09:00 – 09:30"),
            (Some("2"), "Review of the 2025 cycle"),
            (None, "Coffee break"),
            (None, "(untitled)"),
        ]
    );
    let review = &view.days[0].items[1].item;
    assert_eq!(review.interventions, ["Survey results", "Lessons learned"]);
    assert_eq!(
        (
            review.starts_at.map(|t| t.to_rfc3339()),
            review.ends_at.map(|t| t.to_rfc3339())
        ),
        (
            Some("2026-03-27T06:30:00+00:00".into()),
            Some("2026-03-27T07:30:00+00:00".into())
        ),
        "09:30-10:30 in Riyadh (UTC+3)"
    );
    let untitled = &view.days[0].items[3].item;
    assert_eq!(untitled.interventions, ["Announcements"]);
    assert_eq!(
        view.days[0].items[0].item.starts_at, None,
        "times inside a title are not the item's"
    );
    assert!(
        report.notes.iter().any(|n| n.contains("(untitled)")),
        "{:#?}",
        report.notes
    );
    let wrap_up = &view.days[2].items[0].item;
    assert_eq!(
        (
            wrap_up.title.as_str(),
            wrap_up.starts_at.map(|t| t.to_rfc3339())
        ),
        ("Wrap-up", Some("2026-03-29T11:00:00+00:00".into()))
    );
    assert_eq!(report.attendance, 0);
    assert_eq!(counts(&h), (1, 7, 0, 0, 0, 0));
}

fn a_one_day_agenda_stores_its_room_speakers_and_input_documents(h: Harness) {
    // The organiser line names no body of the directory: the body is given.
    let report = import(&h, OWN_DAY, owned(OWN_DAY), Some("Secretariat"));
    assert!(
        report.notes.iter().any(|n| n
            .contains("as asked (the document's organiser line says \"DC Coordination Group\")")),
        "{:#?}",
        report.notes
    );
    let view = h
        .app
        .meeting(&h.admin, report.outcome.meeting_id())
        .expect("meeting");
    let m = &view.meeting;
    assert_eq!(
        (
            m.mode.as_str(),
            m.time_zone.as_str(),
            m.venue.as_str(),
            m.starts_at.to_rfc3339(),
            m.ends_at.to_rfc3339()
        ),
        (
            "hybrid",
            "Europe/Zurich",
            "Palais des Nations",
            "2025-03-05T16:00:00+00:00".to_owned(),
            "2025-03-05T18:00:00+00:00".to_owned()
        ),
        "5:00 p.m. – 7:00 p.m. Geneva time, in winter"
    );
    assert_eq!(view.days.len(), 1);
    let day = &view.days[0];
    assert_eq!(day.day.day.to_string(), "2025-03-05");
    assert_eq!(
        day.room.as_ref().map(|r| r.name.as_str()),
        Some("Salle XVII")
    );
    assert_eq!(
        day.day.input_documents,
        ["DC annual report 2024", "Draft outcome paper"]
    );
    /// (number, title, start, end).
    type Row<'a> = (Option<&'a str>, &'a str, Option<String>, Option<String>);
    let items: Vec<Row> = day
        .items
        .iter()
        .map(|i| {
            (
                i.item.number.as_deref(),
                i.item.title.as_str(),
                i.item.starts_at.map(|t| t.to_rfc3339()),
                i.item.ends_at.map(|t| t.to_rfc3339()),
            )
        })
        .collect();
    let at = |hm: &str| Some(format!("2025-03-05T{hm}:00+00:00"));
    assert_eq!(
        items,
        [
            (Some("1"), "Opening remarks", at("16:00"), at("16:10")),
            (
                Some("2"),
                "Lightning round of coalition updates",
                at("16:10"),
                at("17:00")
            ),
            (Some("3"), "Open discussion", None, None),
            (None, "Networking reception", at("17:30"), None),
            (None, "Closing by the Chair", at("17:45"), None),
        ],
        "12-hour and 24-hour times; an impossible end (25:10) left empty"
    );
    assert_eq!(
        day.items[1].item.interventions,
        [
            "DC on Internet Rights and Principles",
            "DC on Accessibility and Disability",
            "Dynamic Coalition on Schools of Internet Governance (DC‑SIG)"
        ],
        "speakers in order, whatever their bullets"
    );
}

fn an_own_document_needs_a_body_and_a_start(h: Harness) {
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
    let (field, why) = refused(owned(OWN_SUMMARY), None);
    assert_eq!(field, "body");
    assert!(why.contains("no organiser line"), "{why}");
    let (field, _) = refused(owned(OWN_SUMMARY), Some("No Such Body"));
    assert_eq!(field, "body");
    // The network's summary names its organiser, which is no body here.
    let (field, why) = refused(owned(OWN_ACTIONS), None);
    assert_eq!(field, "body");
    assert!(why.contains("\"Policy Network on AI\""), "{why}");
    let agenda = String::from_utf8(owned(OWN_AGENDA)).expect("utf-8");
    let unknown = agenda.replace(
        "Hosted by the IGF Secretariat",
        "Hosted by the Ministry of Nowhere",
    );
    assert_ne!(unknown, agenda);
    let (field, why) = refused(unknown.into_bytes(), None);
    assert_eq!(field, "body");
    assert!(why.contains("\"Ministry of Nowhere\""), "{why}");
    let summary = String::from_utf8(owned(OWN_SUMMARY)).expect("utf-8");
    let undated = summary.replace("Thursday, 10 July 2025, 17:00 - 18:30 CET\n", "");
    assert_ne!(undated, summary);
    let (field, why) = refused(undated.into_bytes(), Some("MAG"));
    assert_eq!(field, "file");
    assert!(why.contains("no meeting date and time"), "{why}");
    assert_eq!(counts(&h), before);
}

fn only_the_secretariat_imports_an_own_document(h: Harness) {
    only_the_secretariat_imports_a(&h, OWN_SUMMARY, owned(OWN_SUMMARY), 2);
}

fn an_own_summary_round_trips_through_the_meeting_summary(h: Harness) {
    round_trips_through_the_meeting_summary(&h, OWN_SUMMARY, owned(OWN_SUMMARY), 5);
}

/// A summary imported nine days after its meeting: one action was due five days ago (no
/// "due soon" mail for history), the other is due in two days (reminded as usual).
fn a_past_meeting_s_overdue_actions_get_no_reminder(h: Harness) {
    let (app, _clock) = common::app_at(&h._db, (2026, 9, 10, 8));
    let admin = common::signed_in(&app, "admin@example.org");
    let summary = "Lakes SIG \u{2013} Meeting 2\nSummary and action points\n\n\
        Tuesday, 1st September 2026 | 14:00 - 16:00 (UTC) | Online\n\
        Organized by the MAG\n\n\
        1) Planning\n\n\
        \u{2022} The group discussed the plan for the autumn.\n\n\
        Action items:\n\n\
        - The Secretariat will circulate the spring notes by 5 September.\n\
        - The Secretariat will book the autumn room by 12 September.\n";
    let report = app
        .import_document(
            &admin,
            ImportRequest {
                file_name: "lakes-sig-meeting-2.txt".into(),
                bytes: summary.as_bytes().to_vec(),
                body: None,
            },
        )
        .expect("import");
    assert_eq!(
        report.extraction.actions.len(),
        2,
        "{:?}",
        report.extraction.actions
    );
    assert_eq!(app.queue_action_reminders().expect("queue"), 1);
    let reminders: Vec<String> = app
        .outbox(10)
        .expect("outbox")
        .into_iter()
        .filter(|m| m.kind == "action_reminder")
        .map(|m| m.body_text)
        .collect();
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert!(
        reminders[0].contains("book the autumn room"),
        "{reminders:?}"
    );
}
