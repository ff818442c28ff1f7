//! Releases of a programme on SQLite and PostgreSQL: the public sees the newest release,
//! never the board's working version; publishing names what changed since (added,
//! moved, removed, retitled), can mail the people of moved and removed sessions in the
//! same transaction, and keeps a version name unique per event; withdrawing hides it;
//! a programme published before releases existed gets its first release at start-up.

mod common;

use common::{admin, app_at};
use plenary_app::PersonInput as DirectoryPerson;
use plenary_app::programme::TimeslotInput;
use plenary_app::programme_export::ProgrammeFormat;
use plenary_app::programme_release::ReleaseInput;
use plenary_app::registration::EventInput;
use plenary_app::{App, AppError, Caller};
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
use plenary_store::testing::TestDb;

struct Harness {
    app: App,
    admin: Caller,
    event: i64,
    /// Hall, Room B.
    rooms: [i64; 2],
    /// 09:00 and 10:45 Oslo on 23 June.
    timeslots: [i64; 2],
    db: TestDb,
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
    let room = |name: &str| {
        app.save_programme_room(
            &admin,
            event,
            None,
            &RoomInput {
                name: name.into(),
                capacity: "100".into(),
                hybrid: true,
            },
        )
        .expect("room")
        .id
    };
    let rooms = [room("Hall"), room("Room B")];
    let slots = app
        .add_programme_timeslots(
            &admin,
            event,
            &TimeslotInput {
                dates: "2026-06-23".into(),
                times: "09:00 10:45".into(),
                minutes: "90".into(),
            },
        )
        .expect("timeslots");
    Harness {
        app,
        admin,
        event,
        rooms,
        timeslots: [slots[0].id, slots[1].id],
        db,
    }
}

fn session(h: &Harness, title: &str, people: &[&str]) -> i64 {
    h.app
        .save_programme_session(&h.admin, h.event, None, &input(title, people))
        .expect("session")
        .session
        .id
}

fn input(title: &str, people: &[&str]) -> SessionInput {
    SessionInput {
        title: title.into(),
        session_type: "workshop".into(),
        duration: "60".into(),
        expected_audience: "20".into(),
        format: "onsite".into(),
        people: people
            .iter()
            .map(|name| PersonInput {
                name: (*name).into(),
                role: "speaker".into(),
                ..PersonInput::default()
            })
            .collect(),
        ..SessionInput::default()
    }
}

fn place(h: &Harness, id: i64, room: usize, slot: usize) {
    h.app
        .place_session(
            &h.admin,
            h.event,
            id,
            Some((h.rooms[room], h.timeslots[slot])),
            false,
        )
        .expect("placed");
}

fn retitle(h: &Harness, id: i64, title: &str, people: &[&str]) {
    let version = h
        .app
        .programme(&h.admin, h.event)
        .expect("programme")
        .sessions
        .iter()
        .find(|s| s.session.id == id)
        .expect("session")
        .session
        .version;
    h.app
        .save_programme_session(
            &h.admin,
            h.event,
            Some((id, version)),
            &input(title, people),
        )
        .expect("retitled");
}

fn publish(h: &Harness, version: &str, notify: bool) -> plenary_app::programme_release::Published {
    h.app
        .publish_programme_release(
            &h.admin,
            h.event,
            &ReleaseInput {
                version: version.into(),
                comment: format!("Release {version}"),
                notify,
            },
        )
        .expect("published")
}

/// The public titles with their room, in programme order.
fn public_titles(h: &Harness) -> Vec<(String, String)> {
    let view = h
        .app
        .public_programme(&Caller::anonymous(None), h.event)
        .expect("public");
    plenary_app::programme_export::placed(&view)
        .iter()
        .map(|p| (p.view.session.title.clone(), p.room.name.clone()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

fn field_errors(e: AppError) -> Vec<(String, String)> {
    match e {
        AppError::Invalid(errors) => errors
            .iter()
            .map(|e| (e.field.to_owned(), e.to_string()))
            .collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn directory_person(h: &Harness, given: &str, family: &str, email: &str) {
    h.app
        .save_person(
            &h.admin,
            None,
            &DirectoryPerson {
                given_name: given.into(),
                family_name: family.into(),
                email: email.into(),
                ..DirectoryPerson::default()
            },
        )
        .expect("person");
}

fn moved_mails(h: &Harness) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = h
        .app
        .outbox(1000)
        .expect("outbox")
        .into_iter()
        .filter(|m| m.kind == "programme_session_moved")
        .map(|m| (m.recipient, m.body_text))
        .collect();
    out.sort();
    out
}

// ------------------------------------------------------------------ cases

fn edits_after_publishing_stay_off_the_public_programme_until_the_next_release(h: Harness) {
    let anonymous = Caller::anonymous(None);
    let opening = session(&h, "Opening", &["Ana Núñez"]);
    place(&h, opening, 0, 0);
    // Nothing public before the first release.
    assert!(matches!(
        h.app.public_programme(&anonymous, h.event),
        Err(AppError::NotFound)
    ));
    let first = publish(&h, "1", false);
    assert_eq!(
        (
            first.release.number,
            first.release.added,
            first.release.sessions
        ),
        (1, 1, 1)
    );
    assert_eq!(public_titles(&h), pairs(&[("Opening", "Hall")]));
    let csv_before = h
        .app
        .export_programme(&anonymous, h.event, ProgrammeFormat::Csv, None)
        .expect("csv");
    // The board moves, retitles and adds: the public still sees release 1, in its pages
    // and its exports alike.
    place(&h, opening, 1, 1);
    retitle(&h, opening, "Opening ceremony", &["Ana Núñez"]);
    let new = session(&h, "Youth track", &[]);
    place(&h, new, 0, 0);
    assert_eq!(public_titles(&h), pairs(&[("Opening", "Hall")]));
    let csv_after = h
        .app
        .export_programme(&anonymous, h.event, ProgrammeFormat::Csv, None)
        .expect("csv");
    assert_eq!(csv_before.body, csv_after.body);
    assert!(csv_after.published);
    // The secretariat sees the release too at the public address, and the working
    // version on the board.
    let preview = h
        .app
        .public_programme(&h.admin, h.event)
        .expect("secretariat");
    assert_eq!(preview.sessions.len(), 1);
    assert_eq!(
        h.app
            .programme(&h.admin, h.event)
            .expect("board")
            .sessions
            .len(),
        2
    );
    // The next release shows the changes.
    let second = publish(&h, "0.9 draft for MAG", false);
    assert_eq!(second.release.number, 2);
    assert_eq!(
        public_titles(&h),
        pairs(&[("Youth track", "Hall"), ("Opening ceremony", "Room B")])
    );
    // Withdrawn: nothing public; published again: a new release of the same state.
    h.app
        .withdraw_programme(&h.admin, h.event)
        .expect("withdrawn");
    assert!(matches!(
        h.app.public_programme(&anonymous, h.event),
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        h.app
            .export_programme(&anonymous, h.event, ProgrammeFormat::Ics, None),
        Err(AppError::NotFound)
    ));
    let third = publish(&h, "3", false);
    assert!(third.changes.is_empty(), "{:?}", third.changes);
    assert_eq!(public_titles(&h).len(), 2);
    // Every release is listed, newest first, and each can be viewed as it was.
    let list = h.app.programme_releases(&h.admin, h.event).expect("list");
    let names: Vec<&str> = list.iter().map(|r| r.version.as_str()).collect();
    assert_eq!(names, ["3", "0.9 draft for MAG", "1"]);
    assert_eq!(list[2].author, "Admin");
    assert_eq!(list[2].comment, "Release 1");
    let old = h
        .app
        .programme_release(&h.admin, h.event, 1)
        .expect("release 1");
    assert!(!old.current);
    assert_eq!(old.programme.sessions[0].session.title, "Opening");
    assert_eq!(old.changes.added.len(), 1);
    assert!(
        h.app
            .programme_release(&h.admin, h.event, 3)
            .expect("3")
            .current
    );
    // Only the secretariat reads releases and publishes.
    assert!(matches!(
        h.app.programme_releases(&anonymous, h.event),
        Err(AppError::SignInRequired)
    ));
    assert!(matches!(
        h.app
            .publish_programme_release(&anonymous, h.event, &ReleaseInput::default()),
        Err(AppError::SignInRequired)
    ));
    assert!(matches!(
        h.app.withdraw_programme(&anonymous, h.event),
        Err(AppError::SignInRequired)
    ));
}

fn publishing_shows_what_was_added_moved_removed_and_retitled(h: Harness) {
    let stays = session(&h, "Stays", &[]);
    let moves = session(&h, "Moves", &[]);
    let goes = session(&h, "Goes", &[]);
    let renamed = session(&h, "Old name", &[]);
    place(&h, stays, 0, 0);
    place(&h, moves, 1, 0);
    place(&h, goes, 0, 1);
    place(&h, renamed, 1, 1);
    let status = h
        .app
        .programme_release_status(&h.admin, h.event)
        .expect("status");
    assert!(status.latest.is_none() && !status.published);
    assert_eq!(status.changes.added.len(), 4);
    assert_eq!(status.suggested_version, "1");
    publish(&h, &status.suggested_version, false);
    // Moved to the other room; one taken out (removed from the public programme) and
    // one deleted; one retitled; one added.
    h.app
        .place_session(&h.admin, h.event, goes, None, false)
        .expect("taken out");
    place(&h, moves, 0, 1);
    retitle(&h, renamed, "New name", &[]);
    let added = session(&h, "Added", &[]);
    place(&h, added, 1, 0);
    let status = h
        .app
        .programme_release_status(&h.admin, h.event)
        .expect("status");
    let titles = |l: &[plenary_app::programme_release::SessionChange]| {
        l.iter().map(|c| c.title.clone()).collect::<Vec<_>>()
    };
    assert_eq!(titles(&status.changes.added), ["Added"]);
    assert_eq!(titles(&status.changes.moved), ["Moves"]);
    assert_eq!(titles(&status.changes.removed), ["Goes"]);
    assert_eq!(titles(&status.changes.retitled), ["New name"]);
    assert_eq!(
        status.changes.retitled[0].old_title.as_deref(),
        Some("Old name")
    );
    let moved = &status.changes.moved[0];
    let oslo = status.zone;
    assert_eq!(
        moved.was.as_ref().map(|p| p.text(oslo)).as_deref(),
        Some("Tue 23 Jun 2026 09:00–10:00 CEST, Room B")
    );
    assert_eq!(
        moved.now.as_ref().map(|p| p.text(oslo)).as_deref(),
        Some("Tue 23 Jun 2026 10:45–11:45 CEST, Hall")
    );
    assert_eq!(status.changes.count(), 4);
    assert_eq!(status.suggested_version, "2");
    assert!(status.published);
    assert_eq!(status.latest.as_ref().map(|r| r.number), Some(1));
    // The release keeps the counts; a deleted session counts as removed too.
    h.app
        .delete_programme_session(&h.admin, h.event, stays)
        .expect("deleted");
    let second = publish(&h, "2", false);
    assert_eq!(
        (
            second.release.added,
            second.release.moved,
            second.release.removed,
            second.release.retitled
        ),
        (1, 1, 2, 1)
    );
}

fn the_people_of_moved_and_removed_sessions_are_mailed_when_asked(h: Harness) {
    directory_person(&h, "Ana", "Núñez", "ana@example.org");
    directory_person(&h, "Bo", "Berg", "bo@example.org");
    directory_person(&h, "Cy", "Chen", "cy@example.org");
    directory_person(&h, "Di", "Dahl", "di@example.org");
    // Two people named alike: nobody can tell which, so neither is mailed.
    directory_person(&h, "Ed", "Eng", "ed1@example.org");
    directory_person(&h, "Ed", "Eng", "ed2@example.org");
    let moves = session(&h, "Moves", &["Ana Núñez", "Not In Directory", "Ed Eng"]);
    let goes = session(&h, "Goes", &["bo berg"]);
    let stays = session(&h, "Stays", &["Cy Chen"]);
    place(&h, moves, 0, 0);
    place(&h, goes, 1, 0);
    place(&h, stays, 0, 1);
    publish(&h, "1", true);
    assert!(moved_mails(&h).is_empty(), "a first release moves nothing");
    place(&h, moves, 1, 1);
    h.app
        .delete_programme_session(&h.admin, h.event, goes)
        .expect("deleted");
    retitle(&h, stays, "Stays, renamed", &["Cy Chen"]);
    let added = session(&h, "Added", &["Di Dahl"]);
    place(&h, added, 0, 0);
    let status = h
        .app
        .programme_release_status(&h.admin, h.event)
        .expect("status");
    assert_eq!(status.recipients, 2);
    // Without the box ticked nobody is mailed.
    let quiet = publish(&h, "2", false);
    assert_eq!(quiet.notified, 0);
    assert!(moved_mails(&h).is_empty());
    // The same changes again, this time told.
    place(&h, moves, 1, 0);
    let told = publish(&h, "3", true);
    assert_eq!(told.notified, 1);
    let mails = moved_mails(&h);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "ana@example.org");
    assert!(
        mails[0]
            .1
            .contains("Was: Tue 23 Jun 2026 10:45–11:45 CEST, Room B"),
        "{}",
        mails[0].1
    );
    assert!(
        mails[0]
            .1
            .contains("Now: Tue 23 Jun 2026 09:00–10:00 CEST, Room B"),
        "{}",
        mails[0].1
    );
    // A removal is told too.
    h.app
        .place_session(&h.admin, h.event, added, None, false)
        .expect("taken out");
    publish(&h, "4", true);
    let mails = moved_mails(&h);
    let di: Vec<&(String, String)> = mails.iter().filter(|m| m.0 == "di@example.org").collect();
    assert_eq!(di.len(), 1);
    assert!(
        di[0].1.contains("no longer in the programme"),
        "{}",
        di[0].1
    );
    assert!(
        !mails
            .iter()
            .any(|m| m.0 == "cy@example.org" || m.0.starts_with("ed"))
    );
}

fn a_version_name_is_required_and_unique_per_event(h: Harness) {
    let s = session(&h, "Opening", &[]);
    place(&h, s, 0, 0);
    let refuse = |version: &str, comment: String| {
        field_errors(
            h.app
                .publish_programme_release(
                    &h.admin,
                    h.event,
                    &ReleaseInput {
                        version: version.into(),
                        comment,
                        notify: false,
                    },
                )
                .expect_err("refused"),
        )
    };
    let e = refuse("  ", String::new());
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, "version");
    assert!(e[0].1.contains("required"), "{e:?}");
    let long = refuse(&"v".repeat(61), "c".repeat(2001));
    let fields: Vec<&str> = long.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["version", "comment"]);
    publish(&h, "Draft A", false);
    // Taken, case and accents aside, on this event only.
    let taken = refuse("dráft a", String::new());
    assert_eq!(taken[0].0, "version");
    assert!(taken[0].1.contains("already named"), "{taken:?}");
    let other = h
        .app
        .save_event(
            &h.admin,
            None,
            &EventInput {
                title: "Another forum".into(),
                venue: "Oslo".into(),
                time_zone: "Europe/Oslo".into(),
                starts_at: "2026-09-01T09:00".into(),
                ends_at: "2026-09-02T18:00".into(),
                registration_opens_at: "2026-04-01T00:00".into(),
                registration_closes_at: "2026-08-01T00:00".into(),
                changes_until: "2026-08-10T00:00".into(),
                public_list: false,
                visa_letters: false,
                visa_retention_days: String::new(),
            },
        )
        .expect("event")
        .id;
    h.app
        .publish_programme_release(
            &h.admin,
            other,
            &ReleaseInput {
                version: "Draft A".into(),
                ..ReleaseInput::default()
            },
        )
        .expect("another event may use it");
    assert_eq!(
        h.app
            .programme_releases(&h.admin, h.event)
            .expect("list")
            .len(),
        1,
        "nothing written when refused"
    );
}

fn a_programme_published_before_releases_gets_its_first_release_at_start_up(h: Harness) {
    let s = session(&h, "Opening", &[]);
    place(&h, s, 0, 0);
    // As an older Plenary left it: published, without a release.
    h.db.db
        .write(|tx| plenary_store::programme::set_published(tx, h.event, true))
        .expect("published the old way");
    let (app, _clock) = app_at(&h.db, (2026, 5, 2, 10));
    let releases = app.programme_releases(&h.admin, h.event).expect("list");
    assert_eq!(releases.len(), 1);
    assert_eq!(
        (
            releases[0].version.as_str(),
            releases[0].sessions,
            releases[0].author.as_str()
        ),
        ("1", 1, "Plenary (upgrade)")
    );
    let public = app
        .public_programme(&Caller::anonymous(None), h.event)
        .expect("still public");
    assert_eq!(public.sessions[0].session.title, "Opening");
    // Once only.
    assert_eq!(app.make_first_releases().expect("again"), 0);
}

on_both_backends!(
    edits_after_publishing_stay_off_the_public_programme_until_the_next_release,
    publishing_shows_what_was_added_moved_removed_and_retitled,
    the_people_of_moved_and_removed_sessions_are_mailed_when_asked,
    a_version_name_is_required_and_unique_per_event,
    a_programme_published_before_releases_gets_its_first_release_at_start_up,
);
