//! The secretariat's programme pages: rooms and timeslots, sessions with their people,
//! the scheduler run from the board, a manual move refused with its reason then
//! accepted with an override (and listed as a conflict), pinning and publishing a
//! release (see `programme_release` for releases themselves).

use crate::support::{Client, PASSWORD, TestApp};
use axum::http::StatusCode;
use plenary_app::Caller;
use plenary_app::programme::{TimeslotInput, UnavailabilityInput};
use plenary_app::registration::EventInput;
use plenary_domain::Role;
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};

const ADMIN: &str = "secretariat@example.org";

fn signed_in<'a>(t: &'a TestApp, email: &str) -> Client<'a> {
    let mut c = t.client();
    let r = c.sign_in(email, PASSWORD);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "sign-in of {email}");
    c
}

/// An event in Geneva (CET in December).
fn event(t: &TestApp, admin: &Caller, title: &str) -> i64 {
    let input = EventInput {
        title: title.into(),
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
    t.app.save_event(admin, None, &input).expect("event").id
}

fn person(name: &str, role: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        role: role.into(),
        online: false,
        time_zone: String::new(),
    }
}

fn session(title: &str, theme: &str, minutes: &str, people: Vec<PersonInput>) -> SessionInput {
    SessionInput {
        title: title.into(),
        session_type: "workshop".into(),
        theme: theme.into(),
        description: String::new(),
        duration: minutes.into(),
        expected_audience: "30".into(),
        format: "onsite".into(),
        language: "English".into(),
        people,
        ..SessionInput::default()
    }
}

fn add_session(t: &TestApp, admin: &Caller, event: i64, input: &SessionInput) -> i64 {
    t.app
        .save_programme_session(admin, event, None, input)
        .expect("session")
        .session
        .id
}

fn board(event: i64) -> String {
    format!("/admin/events/{event}/programme")
}

#[test]
fn rooms_and_timeslots_are_set_up_through_the_board() {
    let t = TestApp::new();
    t.account(ADMIN, Some(Role::Secretariat));
    let admin = t.admin_caller();
    let e = event(&t, &admin, "Geneva Forum");
    let mut c = signed_in(&t, ADMIN);
    let page = board(e);

    let event_page = c.get(&format!("/admin/events/{e}"));
    assert!(
        event_page.body.contains(&format!("href=\"{page}\"")),
        "a link to the programme"
    );
    let empty = c.get(&page);
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("No rooms yet."));
    assert!(
        empty
            .body
            .contains(&format!("href=\"/events/{e}/programme\"")),
        "the public page"
    );

    // A room of no seats is refused, the form kept as typed.
    let zero = c.submit(
        &page,
        &format!("{page}/rooms"),
        &[("name", "Room Zero"), ("capacity", "0")],
    );
    assert_eq!(
        zero.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        zero.body
    );
    assert!(
        zero.body.contains("The capacity is not valid"),
        "{}",
        zero.body
    );
    assert!(zero.body.contains("value=\"Room Zero\""));
    let room = c.submit(
        &page,
        &format!("{page}/rooms"),
        &[("name", "Room A"), ("capacity", "80"), ("hybrid", "yes")],
    );
    assert_eq!(room.status, StatusCode::SEE_OTHER);
    assert_eq!(room.location(), Some(format!("{page}?done=room").as_str()));
    let taken = c.submit(
        &page,
        &format!("{page}/rooms"),
        &[("name", "Room A"), ("capacity", "20")],
    );
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken
            .body
            .contains("another room of this event has this name")
    );

    // Timeslots: every date × every time, in the event's zone.
    let bad = c.submit(
        &page,
        &format!("{page}/timeslots"),
        &[
            ("dates", "2026-12-07"),
            ("times", "25:00"),
            ("minutes", "90"),
        ],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("The times is not valid") || bad.body.contains("\"25:00\""),
        "{}",
        bad.body
    );
    let short = c.submit(
        &page,
        &format!("{page}/timeslots"),
        &[
            ("dates", "2026-12-07"),
            ("times", "09:00"),
            ("minutes", "0"),
        ],
    );
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("The length"), "{}", short.body);
    let added = c.submit(
        &page,
        &format!("{page}/timeslots"),
        &[
            ("dates", "2026-12-07, 2026-12-08"),
            ("times", "09:00 11:00"),
            ("minutes", "90"),
        ],
    );
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let shown = c.get(added.location().expect("back to the board"));
    assert!(
        shown.body.contains("4 timeslot(s) added."),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Monday 7 December 2026"));
    assert!(shown.body.contains("Tuesday 8 December 2026"));
    assert!(shown.body.contains("09:00–10:30"));
    assert!(shown.body.contains("CET (UTC+01:00, Europe/Zurich)"));
    assert!(shown.body.contains("Room A"));

    // Unavailability in local time; an end before the start is refused.
    let backwards = c.submit(
        &page,
        &format!("{page}/unavailability"),
        &[
            ("name", "Ana Pérez"),
            ("from", "2026-12-07T12:00"),
            ("until", "2026-12-07T08:00"),
        ],
    );
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        backwards.body.contains("The end is not valid"),
        "{}",
        backwards.body
    );
    let away = c.submit(
        &page,
        &format!("{page}/unavailability"),
        &[
            ("name", "Ana Pérez"),
            ("from", "2026-12-07T08:00"),
            ("until", "2026-12-07T12:00"),
        ],
    );
    assert_eq!(away.status, StatusCode::SEE_OTHER);
    let view = t.app.programme(&admin, e).expect("programme");
    assert_eq!(view.unavailability.len(), 1);
    let shown = c.get(&page);
    assert!(
        shown
            .body
            .contains("Ana Pérez: Mon 7 Dec 2026 08:00 – Mon 7 Dec 2026 12:00")
    );

    // Deleting a timeslot, a room and the unavailability.
    let slot = view.timeslots[0].id;
    let asked = c.submit(&page, &format!("{page}/timeslots/{slot}/delete"), &[]);
    assert!(
        asked.status == StatusCode::OK && asked.body.contains("Delete the timeslot of"),
        "{}",
        asked.body
    );
    let gone = c.submit(
        &page,
        &format!("{page}/timeslots/{slot}/delete"),
        &[("confirmed", "yes")],
    );
    assert_eq!(
        gone.location(),
        Some(format!("{page}?done=timeslot_deleted").as_str())
    );
    let u = view.unavailability[0].id;
    let gone = c.submit(&page, &format!("{page}/unavailability/{u}/delete"), &[]);
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    let r = view.rooms[0].id;
    let renamed = c.submit(
        &page,
        &format!("{page}/rooms/{r}"),
        &[("name", "Room B"), ("capacity", "0")],
    );
    assert_eq!(
        renamed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a room's edit too"
    );
    let confirmed = [("confirmed", "yes")];
    let asked = c.submit(&page, &format!("{page}/rooms/{r}/delete"), &[]);
    assert!(asked.status == StatusCode::OK && asked.body.contains("Delete the room"));
    let gone = c.submit(&page, &format!("{page}/rooms/{r}/delete"), &confirmed);
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    let again = c.submit(&page, &format!("{page}/rooms/{r}/delete"), &confirmed);
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let unasked = c.submit(&page, &format!("{page}/rooms/{r}/delete"), &[]);
    assert_eq!(
        unasked.status,
        StatusCode::NOT_FOUND,
        "nothing to ask about"
    );
    let view = t.app.programme(&admin, e).expect("programme");
    assert_eq!((view.rooms.len(), view.timeslots.len()), (0, 3));
    assert!(view.unavailability.is_empty());

    // Weights: out of range is refused, then saved.
    let bad = c.submit(
        &page,
        &format!("{page}/weights"),
        &[
            ("theme_parallel", "-1"),
            ("hours_from", "22"),
            ("hours_until", "7"),
        ],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("The weight of same-theme sessions in parallel")
    );
    assert!(bad.body.contains("The last reasonable hour"));
    let ok = c.submit(
        &page,
        &format!("{page}/weights"),
        &[
            ("theme_parallel", "20"),
            ("hours_from", "8"),
            ("hours_until", "20"),
        ],
    );
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let view = t.app.programme(&admin, e).expect("programme");
    assert_eq!(
        (view.weights.theme_parallel, view.weights.hours_from),
        (20, 8)
    );

    // Sessions from a call that does not exist: the call is named.
    let none = c.submit(&page, &format!("{page}/from-call"), &[("call", "999999")]);
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("The call is not valid"), "{}", none.body);
}

#[test]
fn a_session_with_its_people_is_written_through_the_page() {
    let t = TestApp::new();
    t.account(ADMIN, Some(Role::Secretariat));
    let admin = t.admin_caller();
    let e = event(&t, &admin, "Geneva Forum");
    let mut c = signed_in(&t, ADMIN);
    let new = format!("{}/sessions/new", board(e));
    let form = c.get(&new);
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("name=\"people[2][name]\""),
        "three empty rows"
    );
    let action = format!("{}/sessions", board(e));
    let fields = |second: &'static str, zone: &'static str| {
        vec![
            ("title", "Last mile"),
            ("session_type", "workshop"),
            ("theme", "Universal access"),
            ("duration", "60"),
            ("expected_audience", "40"),
            ("format", "hybrid"),
            ("language", "English"),
            ("people[0][name]", "Ana Pérez"),
            ("people[0][role]", "moderator"),
            ("people[1][name]", second),
            ("people[1][role]", "speaker"),
            ("people[1][online]", "yes"),
            ("people[1][time_zone]", zone),
            ("people[2][role]", "speaker"),
        ]
    };
    let twice = c.submit(&new, &action, &fields("ana perez", ""));
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice.body.contains("ana perez is listed twice."),
        "{}",
        twice.body
    );
    assert!(twice.body.contains("value=\"Last mile\""), "kept as typed");
    let zone = c.submit(&new, &action, &fields("Bo Li", "Mars/Olympus"));
    assert_eq!(zone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(zone.body.contains("Bo Li: the time zone"), "{}", zone.body);
    let long = c.submit(
        &new,
        &action,
        &[
            ("title", "Too long"),
            ("session_type", "workshop"),
            ("duration", "100000"),
            ("expected_audience", "x"),
            ("format", "onsite"),
        ],
    );
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.body.contains("The duration"));
    assert!(long.body.contains("The expected audience"));

    let made = c.submit(&new, &action, &fields("Bo Li", "Asia/Shanghai"));
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let location = made.location().expect("to the session").to_owned();
    assert!(location.ends_with("?done=created"), "{location}");
    let page = c.get(&location);
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"Bo Li\""));
    assert!(page.body.contains("value=\"Asia/Shanghai\""));
    let view = t.app.programme(&admin, e).expect("programme");
    let s = &view.sessions[0];
    assert_eq!(s.people.len(), 2);
    assert!(s.people[1].online);

    // An edit at an old version is refused (409); at the current one it is saved.
    let edit = format!("{}/sessions/{}", board(e), s.session.id);
    let mut stale: Vec<(&str, &str)> = fields("Bo Li", "");
    stale[0] = ("title", "Last mile, again");
    let old = (s.session.version - 1).to_string();
    let mut with_old: Vec<(&str, &str)> = stale.clone();
    with_old.push(("version", &old));
    let refused = c.submit(&edit, &edit, &with_old);
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("Someone changed this session meanwhile")
    );
    let current = s.session.version.to_string();
    stale.push(("version", &current));
    let saved = c.submit(&edit, &edit, &stale);
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location(),
        Some(format!("{edit}?done=saved").as_str())
    );
    let view = t.app.programme(&admin, e).expect("programme");
    assert_eq!(view.sessions[0].session.title, "Last mile, again");
    assert_eq!(
        view.sessions[0].people[1].time_zone, None,
        "the event's zone"
    );

    let asked = c.submit(&edit, &format!("{edit}/delete"), &[]);
    assert!(
        asked.status == StatusCode::OK
            && asked
                .body
                .contains("Delete the session “Last mile, again”?")
            && asked.body.contains("speakers and moderators listed"),
        "{}",
        asked.body
    );
    let deleted = c.submit(&edit, &format!("{edit}/delete"), &[("confirmed", "yes")]);
    assert_eq!(
        deleted.location(),
        Some(format!("{}?done=session_deleted", board(e)).as_str())
    );
    assert_eq!(c.get(&edit).status, StatusCode::NOT_FOUND);
}

#[test]
fn the_scheduler_a_manual_move_an_override_pinning_and_publishing() {
    let t = TestApp::new();
    t.account(ADMIN, Some(Role::Secretariat));
    let admin = t.admin_caller();
    let e = event(&t, &admin, "Geneva Forum");
    for (name, seats) in [("Room A", "100"), ("Room B", "100"), ("Room C", "100")] {
        t.app
            .save_programme_room(
                &admin,
                e,
                None,
                &RoomInput {
                    name: name.into(),
                    capacity: seats.into(),
                    hybrid: true,
                },
            )
            .expect("room");
    }
    t.app
        .add_programme_timeslots(
            &admin,
            e,
            &TimeslotInput {
                dates: "2026-12-07".into(),
                times: "09:00 11:00".into(),
                minutes: "90".into(),
            },
        )
        .expect("timeslots");
    let ana = || person("Ana Pérez", "moderator");
    let first = add_session(
        &t,
        &admin,
        e,
        &session("Access for all", "Access", "60", vec![ana()]),
    );
    let second = add_session(
        &t,
        &admin,
        e,
        &session("Security now", "Security", "60", vec![ana()]),
    );
    let third = add_session(
        &t,
        &admin,
        e,
        &session("Data flows", "Data", "60", vec![person("Bo Li", "speaker")]),
    );
    let mut c = signed_in(&t, ADMIN);
    let page = board(e);

    // The scheduler from the board: every session placed, the report shown.
    let run = c.submit(&page, &format!("{page}/schedule"), &[("seed", "1")]);
    assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.body);
    let report = c.get(run.location().expect("report"));
    assert!(
        report
            .body
            .contains("The scheduler placed 3 of 3 session(s)"),
        "{}",
        report.body
    );
    assert!(report.body.contains("Conflicts (0)"));
    assert!(report.body.contains("Access for all"));
    let view = t.app.programme(&admin, e).expect("programme");
    assert!(
        view.sessions.iter().all(|s| s.timeslot.is_some()),
        "all placed"
    );
    let at = |id: i64| {
        let s = view
            .sessions
            .iter()
            .find(|s| s.session.id == id)
            .expect("session");
        (
            s.session.room_id.expect("room"),
            s.session.timeslot_id.expect("time"),
        )
    };
    let (_, first_time) = at(first);

    // The session's picker says beside each place what it would break, before sending.
    let picker = c.get(&format!("{page}/sessions/{second}")).body;
    assert!(
        picker.contains("— ⚠ Ana Pérez in two places at once"),
        "{picker}"
    );

    // A bad seed is refused, not a server error.
    let bad = c.submit(&page, &format!("{page}/schedule"), &[("seed", "-3")]);
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("The seed"));

    // Moving the second session next to the first puts Ana in two places: refused.
    let free_room =
        view.rooms
            .iter()
            .map(|r| r.id)
            .find(|r| {
                !view.sessions.iter().any(|s| {
                    s.session.room_id == Some(*r) && s.session.timeslot_id == Some(first_time)
                })
            })
            .expect("a free room beside the first session");
    let target = format!("{free_room}:{first_time}");
    let place = format!("{page}/sessions/{second}/place");
    let refused = c.submit(&page, &place, &[("slot", target.as_str())]);
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Ana Pérez in two places at once"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Move “Security now”"));
    assert!(
        refused
            .body
            .contains(&format!("value=\"{target}\" selected")),
        "the choice kept"
    );
    assert_eq!(
        t.app
            .programme(&admin, e)
            .expect("programme")
            .conflicts
            .len(),
        0
    );

    // Into an occupied room and time: always refused, override or not.
    let (first_room, _) = at(first);
    let occupied = format!("{first_room}:{first_time}");
    let clash = c.submit(
        &page,
        &place,
        &[("slot", occupied.as_str()), ("override", "yes")],
    );
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(clash.body.contains("is in this room at this time"));
    let nonsense = c.submit(&page, &place, &[("slot", "x:y")]);
    assert_eq!(nonsense.status, StatusCode::UNPROCESSABLE_ENTITY);

    // With the override it is kept, marked, and listed as a conflict.
    let forced = c.submit(
        &page,
        &place,
        &[("slot", target.as_str()), ("override", "yes")],
    );
    assert_eq!(forced.status, StatusCode::SEE_OTHER, "{}", forced.body);
    let shown = c.get(forced.location().expect("board"));
    assert!(
        shown.body.contains("placed against the rules"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Conflicts (1)"));
    assert!(shown.body.contains("Ana Pérez in two places at once"));
    assert!(shown.body.contains("override</span>"));
    assert!(
        shown
            .body
            .contains(&format!("href=\"{page}/sessions/{second}\""))
    );
    let session_page = c.get(&format!("{page}/sessions/{second}"));
    assert!(
        session_page
            .body
            .contains("Ana Pérez in two places at once"),
        "its page too"
    );
    assert!(session_page.body.contains("Monday 7 December 2026"));

    // Pinning: a placed session only.
    let pinned = c.submit(&page, &format!("{page}/sessions/{third}/pin"), &[]);
    assert_eq!(pinned.status, StatusCode::SEE_OTHER);
    let shown = c.get(pinned.location().expect("board"));
    assert!(shown.body.contains("pinned"));
    assert!(
        shown
            .body
            .contains(&format!("{page}/sessions/{third}/unpin"))
    );
    let out = c.submit(
        &page,
        &format!("{page}/sessions/{first}/place"),
        &[("slot", "")],
    );
    assert_eq!(
        out.location(),
        Some(format!("{page}?done=unplaced#s{first}").as_str())
    );
    let unplaced = c.submit(&page, &format!("{page}/sessions/{first}/pin"), &[]);
    assert_eq!(unplaced.status, StatusCode::CONFLICT);
    assert!(
        unplaced
            .body
            .contains("Only a placed session can be pinned.")
    );
    let view = t.app.programme(&admin, e).expect("programme");
    assert!(
        view.conflicts.is_empty(),
        "the clash left with the first session"
    );

    // A re-run keeps the pinned session where it is and places the rest.
    let before = at(third);
    let run = c.submit(&page, &format!("{page}/schedule"), &[("seed", "7")]);
    assert_eq!(run.status, StatusCode::SEE_OTHER);
    let view = t.app.programme(&admin, e).expect("programme");
    let s = view
        .sessions
        .iter()
        .find(|s| s.session.id == third)
        .expect("third");
    assert_eq!(
        (
            s.session.room_id.expect("r"),
            s.session.timeslot_id.expect("t")
        ),
        before
    );
    assert!(view.sessions.iter().all(|s| s.timeslot.is_some()));
    assert!(view.conflicts.is_empty());

    // Publishing a release (offered the next number) and withdrawing, asked first.
    let release = format!("{page}/release");
    let form = c.get(&release);
    assert!(form.body.contains("value=\"1\""), "{}", form.body);
    let published = c.submit(&release, &release, &[("version", "1")]);
    assert_eq!(
        published.location(),
        Some(format!("{page}?done=released&release=1&notified=0").as_str())
    );
    assert!(t.app.programme(&admin, e).expect("programme").published);
    let shown = c.get(&page);
    assert!(
        shown
            .body
            .contains("Working version — 0 changes since release 1"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Withdraw the public programme"));
    let asked = c.submit(&page, &format!("{page}/withdraw"), &[]);
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked
            .body
            .contains("Withdraw the public programme of “Geneva Forum”?"),
        "{}",
        asked.body
    );
    assert!(
        t.app.programme(&admin, e).expect("programme").published,
        "only asked"
    );
    let withdrawn = c.submit(&page, &format!("{page}/withdraw"), &[("confirmed", "yes")]);
    assert_eq!(
        withdrawn.location(),
        Some(format!("{page}?done=unpublished").as_str())
    );
    assert!(!t.app.programme(&admin, e).expect("programme").published);

    // A session longer than any slot: the scheduler's explanation, nothing changed.
    add_session(&t, &admin, e, &session("Marathon", "Access", "240", vec![]));
    let run = c.submit(&page, &format!("{page}/schedule"), &[]);
    assert_eq!(run.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", run.body);
    assert!(
        run.body
            .contains("“Marathon”: no room and timeslot fits it"),
        "{}",
        run.body
    );
}

#[test]
fn only_the_secretariat_reaches_the_programme_pages() {
    let t = TestApp::new();
    t.account(ADMIN, Some(Role::Secretariat));
    t.account("member@example.org", Some(Role::Member));
    let admin = t.admin_caller();
    let e = event(&t, &admin, "Geneva Forum");
    let mut member = signed_in(&t, "member@example.org");
    assert_eq!(member.get(&board(e)).status, StatusCode::FORBIDDEN);
    assert_eq!(
        member.get(&format!("{}/sessions/new", board(e))).status,
        StatusCode::FORBIDDEN
    );
    let csrf = member.get("/").csrf();
    let post = member.post_raw(
        &format!("{}/rooms", board(e)),
        &[
            ("csrf", csrf.as_str()),
            ("name", "Mine"),
            ("capacity", "10"),
        ],
    );
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    let mut anonymous = t.client();
    let r = anonymous.get(&board(e));
    assert!(
        r.location()
            .is_some_and(|l| l.starts_with("/sign-in?next="))
    );
    assert!(
        t.app
            .programme(&admin, e)
            .expect("programme")
            .rooms
            .is_empty()
    );
    // An event that does not exist.
    let mut c = signed_in(&t, ADMIN);
    assert_eq!(c.get(&board(999_999)).status, StatusCode::NOT_FOUND);
}

/// Records the access matrix touches: an event with rooms, timeslots, sessions and an
/// unavailability, with spares for the routes that delete.
pub struct ProgrammeAdminFixtures {
    pub event: i64,
    pub session: i64,
    pub spare_session: i64,
    pub spare_room: i64,
    pub spare_timeslot: i64,
    pub unavailability: i64,
}

impl ProgrammeAdminFixtures {
    pub fn path(&self, template: &str) -> String {
        template
            .replace("{board_event}", &self.event.to_string())
            .replace("{board_session}", &self.session.to_string())
            .replace("{board_spare_session}", &self.spare_session.to_string())
            .replace("{board_spare_room}", &self.spare_room.to_string())
            .replace("{board_spare_timeslot}", &self.spare_timeslot.to_string())
            .replace("{board_unavailability}", &self.unavailability.to_string())
    }
}

pub fn programme_admin_fixtures(t: &TestApp) -> ProgrammeAdminFixtures {
    let admin = t.admin_caller();
    let e = event(t, &admin, "Matrix programme");
    let room = |name: &str| {
        t.app
            .save_programme_room(
                &admin,
                e,
                None,
                &RoomInput {
                    name: name.into(),
                    capacity: "50".into(),
                    hybrid: false,
                },
            )
            .expect("room")
            .id
    };
    room("Matrix room");
    let spare_room = room("Spare room");
    let slots = t
        .app
        .add_programme_timeslots(
            &admin,
            e,
            &TimeslotInput {
                dates: "2026-12-07".into(),
                times: "09:00 11:00".into(),
                minutes: "90".into(),
            },
        )
        .expect("timeslots");
    let sessions = ["Matrix session", "Spare session"].map(|title| {
        add_session(
            t,
            &admin,
            e,
            &session(title, "Access", "60", vec![person("Ana", "speaker")]),
        )
    });
    t.app
        .add_unavailability(
            &admin,
            e,
            &UnavailabilityInput {
                name: "Ana".into(),
                from: "2026-12-08T09:00".into(),
                until: "2026-12-08T10:00".into(),
            },
        )
        .expect("unavailability");
    let unavailability = t
        .app
        .programme(&admin, e)
        .expect("programme")
        .unavailability[0]
        .id;
    ProgrammeAdminFixtures {
        event: e,
        session: sessions[0],
        spare_session: sessions[1],
        spare_room,
        spare_timeslot: slots[1].id,
        unavailability,
    }
}
