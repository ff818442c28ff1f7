//! The generated meeting summary, compared with snapshot files
//! (`UPDATE_SNAPSHOTS=1 cargo test -p plenary-app --test summary` rewrites them).

use chrono::{TimeZone, Utc};
use plenary_app::{
    ActionInput, App, AppConfig, AttendeeInput, BodyInput, Caller, DayInput, FixedClock, ItemInput,
    MeetingInput, PersonInput,
};
use plenary_store::testing::TestDb;
use std::path::Path;
use std::sync::Arc;

fn check_snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_SNAPSHOTS=1", path.display()));
    assert_eq!(actual, expected, "snapshot {name} differs");
}

/// A small meeting with notes, actions and participants, the same on every run.
fn fixture(db: &TestDb) -> (App, i64) {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2024, 8, 20, 8, 0, 0)
            .single()
            .expect("instant"),
    ));
    let config = AppConfig {
        base_url: "https://forum.example.org".into(),
        mail_from: "noreply@forum.example.org".into(),
    };
    let app = App::new(db.db.clone(), config, clock).expect("app");
    let op = Caller::operator();
    let body = app
        .save_body(
            &op,
            None,
            &BodyInput {
                kind: "advisory_group".into(),
                short_name: "MAG".into(),
                name: "Advisory group".into(),
                ..Default::default()
            },
        )
        .expect("body")
        .id;
    let meeting = MeetingInput {
        body_id: Some(body),
        title: "Open Internet Forum 2024 MAG Meeting VIII".into(),
        kind: "advisory_group_meeting".into(),
        mode: "online".into(),
        time_zone: "UTC".into(),
        starts_on: "2024-08-20".into(),
        starts_time: "11:00".into(),
        ends_on: "2024-08-20".into(),
        ends_time: "13:00".into(),
        published: true,
        ..Default::default()
    };
    let m = app.save_meeting(&op, None, &meeting).expect("meeting").id;
    let day = app
        .save_day(
            &op,
            m,
            None,
            &DayInput {
                day: "2024-08-20".into(),
                ..Default::default()
            },
        )
        .expect("day")
        .id;
    let item = |n: &str, t: &str| ItemInput {
        day_id: Some(day),
        number: n.into(),
        title: t.into(),
        ..Default::default()
    };
    let first = app
        .save_item(&op, m, None, &item("1", "Welcome from the Chair"))
        .expect("item")
        .id;
    let second = app
        .save_item(&op, m, None, &item("2", "Updates from the Secretariat"))
        .expect("item")
        .id;
    app.save_item(&op, m, None, &item("3", "Any other business"))
        .expect("item");
    app.save_note(
        &op,
        m,
        first,
        0,
        "The Chair welcomed the members.\nThe agenda was adopted.",
    )
    .expect("note");
    app.save_note(&op, m, second, 0, "- Registration opened mid-July; over 1,100 registered.\n- The call for travel support is open until 10 September.").expect("note");
    app.add_action(
        &op,
        m,
        &ActionInput {
            item_id: Some(second),
            text: "Reach out to members about travel support".into(),
            owner: "secretariat".into(),
            due_on: "2024-09-10".into(),
        },
    )
    .expect("action");
    app.add_action(
        &op,
        m,
        &ActionInput {
            item_id: Some(second),
            text: "Finalize the main session proposals".into(),
            owner: format!("body:{body}"),
            due_on: "2024-08-30".into(),
        },
    )
    .expect("action");
    for (family, given, group) in [
        ("Jónsdóttir", "Guðrún", "MAG Chair"),
        ("Petrov", "Иван", "MAG members"),
        ("Haddad", "نادية", "MAG members"),
        ("Okafor", "Amara", "Secretariat"),
    ] {
        let p = app
            .save_person(
                &op,
                None,
                &PersonInput {
                    family_name: family.into(),
                    given_name: given.into(),
                    ..Default::default()
                },
            )
            .expect("person")
            .id;
        app.set_attendee(
            &op,
            m,
            &AttendeeInput {
                person_id: Some(p),
                role_group: group.into(),
                status: "attended".into(),
            },
        )
        .expect("attendee");
    }
    app.set_role_group_order(&op, m, "MAG Chair\nMAG members\nSecretariat")
        .expect("order");
    app.set_minutes_state(&op, m, "circulated")
        .expect("circulate");
    // The public reads minutes once approved.
    app.set_minutes_state(&op, m, "approved").expect("approve");
    (app, m)
}

#[test]
fn the_summary_matches_its_snapshots() {
    let db = TestDb::sqlite();
    let (app, meeting) = fixture(&db);
    let summary = app
        .meeting_summary(&Caller::anonymous(None), meeting)
        .expect("summary");
    check_snapshot(
        "meeting-summary.md",
        &plenary_domain::summary::markdown(&summary),
    );
    check_snapshot(
        "meeting-summary.txt",
        &plenary_domain::summary::text(&summary),
    );
}

#[test]
fn draft_minutes_stay_out_of_the_public_summary() {
    let db = TestDb::sqlite();
    let (app, meeting) = fixture(&db);
    app.set_minutes_state(&Caller::operator(), meeting, "draft")
        .expect("back to draft");
    let public = app
        .meeting_summary(&Caller::anonymous(None), meeting)
        .expect("summary");
    assert!(
        public
            .items
            .iter()
            .all(|i| i.notes.is_empty() && i.actions.is_empty()),
        "{public:?}"
    );
    assert!(
        !public.agenda.is_empty() && !public.participants.is_empty(),
        "the agenda and participants are public"
    );
}

/// The PDF's text is extractable (checked with `pdftotext` from poppler-utils, which
/// the tests need: they fail, not skip, without it).
#[test]
fn the_pdf_summary_has_extractable_text_in_latin_cyrillic_and_arabic() {
    let db = TestDb::sqlite();
    let (app, meeting) = fixture(&db);
    let summary = app
        .meeting_summary(&Caller::anonymous(None), meeting)
        .expect("summary");
    let pdf = plenary_app::pdf::summary_pdf(&summary);
    let path = std::env::temp_dir().join(format!("plenary-summary-{}.pdf", std::process::id()));
    std::fs::write(&path, &pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed for this test");
    if std::env::var("KEEP_PDF").is_ok() {
        let _ = std::fs::copy(&path, std::env::temp_dir().join("plenary-summary.pdf"));
    }
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "Open Internet Forum 2024 MAG Meeting VIII",
        "Updates from the Secretariat",
        "Reach out to members about travel support",
        "Jónsdóttir",
        "Guðrún",
        "Иван",
        "Annex 2: List of Participants",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }
    let arabic: String = "نادية".chars().collect();
    let reversed: String = arabic.chars().rev().collect();
    assert!(
        text.contains(&arabic) || text.contains(&reversed),
        "the Arabic name is extractable: {text}"
    );
}
