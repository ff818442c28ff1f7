//! Releases of a programme through the pages and the API: the board says how far the
//! working version is from the last release; the release page lists what changed
//! (moves with their old and new local times) and publishes with a version name, a
//! change log and, if asked, a mail to the people of moved and removed sessions; a
//! refused form comes back with its message beside the field and the text kept; the
//! public keeps the release while the board changes; releases are listed and each can
//! be read as it was.

use crate::support::{Client, PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use plenary_app::Caller;
use plenary_app::programme::TimeslotInput;
use plenary_app::registration::EventInput;
use plenary_domain::Role;
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
use serde_json::json;

const ADMIN: &str = "secretariat@example.org";

struct Setup {
    t: TestApp,
    admin: Caller,
    event: i64,
    rooms: Vec<i64>,
    slots: Vec<i64>,
    /// "Opening" (Ana Núñez) in Hall at 09:00, "Access" in Room B at 09:00.
    sessions: [i64; 2],
}

/// An event in Oslo in September, after the tests' clock (26 June 2026), so that the
/// secretariat's dashboard lists it; Ana Núñez has an address in the directory.
fn setup() -> Setup {
    let t = TestApp::new();
    t.account(ADMIN, Some(Role::Secretariat));
    let admin = t.admin_caller();
    let event = t
        .app
        .save_event(
            &admin,
            None,
            &EventInput {
                title: "Oslo Forum".into(),
                venue: "Lillestrøm".into(),
                time_zone: "Europe/Oslo".into(),
                starts_at: "2026-09-22T09:00".into(),
                ends_at: "2026-09-23T18:00".into(),
                registration_opens_at: "2026-04-01T00:00".into(),
                registration_closes_at: "2026-09-01T00:00".into(),
                changes_until: "2026-09-10T00:00".into(),
                public_list: false,
                visa_letters: false,
                visa_retention_days: String::new(),
            },
        )
        .expect("event")
        .id;
    let rooms: Vec<i64> = ["Hall", "Room B"]
        .iter()
        .map(|name| {
            t.app
                .save_programme_room(
                    &admin,
                    event,
                    None,
                    &RoomInput {
                        name: (*name).into(),
                        capacity: "100".into(),
                        hybrid: true,
                    },
                )
                .expect("room")
                .id
        })
        .collect();
    let slots: Vec<i64> = t
        .app
        .add_programme_timeslots(
            &admin,
            event,
            &TimeslotInput {
                dates: "2026-09-22".into(),
                times: "09:00 10:45".into(),
                minutes: "90".into(),
            },
        )
        .expect("timeslots")
        .iter()
        .map(|s| s.id)
        .collect();
    t.app
        .save_person(
            &admin,
            None,
            &plenary_app::PersonInput {
                given_name: "Ana".into(),
                family_name: "Núñez".into(),
                email: "ana@example.org".into(),
                ..plenary_app::PersonInput::default()
            },
        )
        .expect("person");
    let mut ids = [0; 2];
    for (i, (title, people)) in [("Opening", vec!["Ana Núñez"]), ("Access", vec![])]
        .into_iter()
        .enumerate()
    {
        let id = t
            .app
            .save_programme_session(
                &admin,
                event,
                None,
                &SessionInput {
                    title: title.into(),
                    session_type: "workshop".into(),
                    duration: "60".into(),
                    expected_audience: "20".into(),
                    format: "onsite".into(),
                    people: people
                        .iter()
                        .map(|n| PersonInput {
                            name: (*n).into(),
                            role: "moderator".into(),
                            ..PersonInput::default()
                        })
                        .collect(),
                    ..SessionInput::default()
                },
            )
            .expect("session")
            .session
            .id;
        t.app
            .place_session(&admin, event, id, Some((rooms[i], slots[0])), false)
            .expect("placed");
        ids[i] = id;
    }
    Setup {
        t,
        admin,
        event,
        rooms,
        slots,
        sessions: ids,
    }
}

fn signed_in<'a>(t: &'a TestApp) -> Client<'a> {
    let mut c = t.client();
    assert_eq!(c.sign_in(ADMIN, PASSWORD).status, StatusCode::SEE_OTHER);
    c
}

fn moved_mails(t: &TestApp) -> Vec<String> {
    t.app
        .outbox(100)
        .expect("outbox")
        .into_iter()
        .filter(|m| m.kind == "programme_session_moved")
        .map(|m| m.recipient)
        .collect()
}

#[test]
fn the_secretariat_reviews_the_changes_publishes_releases_and_reads_them_back() {
    let s = setup();
    let t = &s.t;
    let mut c = signed_in(t);
    let board = format!("/admin/events/{}/programme", s.event);
    let release = format!("{board}/release");
    // The board says nothing is released yet and leads to the release page.
    let page = c.get(&board);
    assert!(
        page.body
            .contains("Working version — never released (2 changes to publish)"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("href=\"{release}\"")));
    let form = c.get(&release);
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Added (2)"), "{}", form.body);
    assert!(form.body.contains("Tue 22 Sep 2026 09:00–10:00 CEST, Hall"));
    assert!(
        form.body
            .contains("id=\"version\" name=\"version\" required maxlength=\"60\" value=\"1\"")
    );
    // No version: refused beside the field, the change log kept as typed.
    let refused = c.submit(
        &release,
        &release,
        &[("version", " "), ("comment", "First <draft> for the MAG")],
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("<p class=\"field-error\" id=\"version-error\">The version is required</p>"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("for the MAG</textarea>") && !refused.body.contains("<draft>"),
        "{}",
        refused.body
    );
    assert!(
        t.app
            .public_programme(&Caller::anonymous(None), s.event)
            .is_err()
    );
    let done = c.submit(
        &release,
        &release,
        &[("version", "0.9 draft"), ("comment", "First draft")],
    );
    assert_eq!(
        done.location(),
        Some(format!("{board}?done=released&release=1&notified=0").as_str())
    );
    let shown = c.get(done.location().expect("board"));
    assert!(
        shown.body.contains("Release 1 is published"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Working version — 0 changes since release 1 “0.9 draft” (published Fri 26 Jun 2026 10:00 CEST)"), "{}", shown.body);
    // The board moves "Opening" to Room B at 10:45; the public still sees release 1.
    t.app
        .place_session(
            &s.admin,
            s.event,
            s.sessions[0],
            Some((s.rooms[1], s.slots[1])),
            false,
        )
        .expect("moved");
    let public = t.client().get(&format!("/events/{}/programme", s.event));
    assert!(public.body.contains("Hall"), "{}", public.body);
    let session_page = t.client().get(&format!(
        "/events/{}/programme/sessions/{}",
        s.event, s.sessions[0]
    ));
    assert!(session_page.body.contains("Hall"));
    assert!(!session_page.body.contains("Room B"));
    // The secretariat's dashboard says so.
    let home = c.get("/");
    assert!(
        home.body
            .contains("session changed in the programme of Oslo Forum not yet published"),
        "{}",
        home.body
    );
    assert!(home.body.contains(&format!("href=\"{release}\"")));
    let form = c.get(&release);
    assert!(form.body.contains("Moved (1)"), "{}", form.body);
    assert!(
        form.body.contains(
            "Tue 22 Sep 2026 09:00–10:00 CEST, Hall → Tue 22 Sep 2026 10:45–11:45 CEST, Room B"
        ),
        "{}",
        form.body
    );
    assert!(form.body.contains("(1 with an address in the directory)"));
    assert!(form.body.contains("value=\"2\""));
    // A version used already is refused, case aside.
    let taken = c.submit(
        &release,
        &release,
        &[("version", "0.9 DRAFT"), ("notify", "yes")],
    );
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("already named"), "{}", taken.body);
    assert!(
        taken
            .body
            .contains("id=\"notify\" name=\"notify\" type=\"checkbox\" value=\"yes\" checked")
    );
    assert!(moved_mails(t).is_empty(), "nothing queued when refused");
    let done = c.submit(&release, &release, &[("version", "2"), ("notify", "yes")]);
    assert_eq!(
        done.location(),
        Some(format!("{board}?done=released&release=2&notified=1").as_str())
    );
    assert_eq!(moved_mails(t), ["ana@example.org"]);
    let public = t.client().get(&format!("/events/{}/programme", s.event));
    assert!(public.body.contains("Room B"));
    // The list of releases, and each as it was.
    let list = c.get(&format!("{board}/releases"));
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("0.9 draft") && list.body.contains("First draft"));
    assert!(list.body.contains("public now"));
    let first = c.get(&format!("{board}/releases/1"));
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.contains("Programme release “0.9 draft”"),
        "{}",
        first.body
    );
    assert!(first.body.contains("Added (2)"));
    assert!(
        first
            .body
            .contains("<td data-label=\"Room\">Hall</td><td data-label=\"Session\">Opening</td>"),
        "{}",
        first.body
    );
    assert_eq!(
        c.get(&format!("{board}/releases/9")).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("{board}/releases/x")).status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn releases_are_listed_previewed_and_published_through_the_api() {
    let s = setup();
    let t = &s.t;
    let token = t.api_token(ADMIN);
    let base = format!("/api/v1/events/{}/programme", s.event);
    let api = |method: Method, path: &str, body: Option<serde_json::Value>| {
        t.api(method, &format!("{base}{path}"), Some(&token), body)
    };
    let preview = api(Method::GET, "/release-preview", None).expect_json(StatusCode::OK);
    assert_eq!(preview["suggested_version"], "1");
    assert_eq!(preview["published"], false);
    assert_eq!(
        preview["changes"]["added"].as_array().map(Vec::len),
        Some(2)
    );
    // Bad input names the field.
    for (body, field) in [
        (json!({}), "version"),
        (json!({ "version": "" }), "version"),
        (json!({ "version": "x".repeat(61) }), "version"),
        (
            json!({ "version": "1", "comment": "c".repeat(2001) }),
            "comment",
        ),
    ] {
        let r = api(Method::POST, "/releases", Some(body.clone()));
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert_eq!(r.headers["content-type"], "application/problem+json");
        assert!(
            r.json()["errors"]
                .as_array()
                .is_some_and(|e| e.iter().any(|e| e["field"] == field)),
            "{body}: {}",
            r.body
        );
    }
    let unknown = api(
        Method::POST,
        "/releases",
        Some(json!({ "version": "1", "nope": 1 })),
    );
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let made = api(
        Method::POST,
        "/releases",
        Some(json!({ "version": "1", "comment": "First", "notify": true })),
    )
    .expect_json(StatusCode::CREATED);
    assert_eq!(made["release"]["number"], 1);
    assert_eq!(made["release"]["added"], 2);
    assert_eq!(made["notified"], 0);
    assert_eq!(made["release"]["published_at"]["local"], "2026-06-26T10:00");
    let again = api(Method::POST, "/releases", Some(json!({ "version": "1" })));
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The board retitles a session: previewed, not public.
    let view = t.app.programme(&s.admin, s.event).expect("programme");
    let access = view
        .sessions
        .iter()
        .find(|v| v.session.id == s.sessions[1])
        .expect("access");
    t.app
        .save_programme_session(
            &s.admin,
            s.event,
            Some((access.session.id, access.session.version)),
            &SessionInput {
                title: "Access for all".into(),
                session_type: "workshop".into(),
                duration: "60".into(),
                expected_audience: "20".into(),
                format: "onsite".into(),
                ..SessionInput::default()
            },
        )
        .expect("retitled");
    let preview = api(Method::GET, "/release-preview", None).expect_json(StatusCode::OK);
    assert_eq!(preview["changes"]["retitled"][0]["old_title"], "Access");
    assert_eq!(preview["latest"]["version"], "1");
    let public = t
        .api(Method::GET, &format!("{base}/public"), None, None)
        .expect_json(StatusCode::OK);
    let titles: Vec<&str> = public["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter_map(|s| s["title"].as_str())
        .collect();
    assert!(titles.contains(&"Access") && !titles.contains(&"Access for all"));
    api(Method::POST, "/releases", Some(json!({ "version": "2" })))
        .expect_json(StatusCode::CREATED);
    let list = api(Method::GET, "/releases", None).expect_json(StatusCode::OK);
    let names: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["version"].as_str())
        .collect();
    assert_eq!(names, ["2", "1"]);
    let first = api(Method::GET, "/releases/1", None).expect_json(StatusCode::OK);
    assert_eq!(first["current"], false);
    assert_eq!(
        first["programme"]["sessions"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        api(Method::GET, "/releases/7", None).status,
        StatusCode::NOT_FOUND
    );
    // Withdrawn through the one-switch form: the public gets 404.
    api(
        Method::POST,
        "/publish",
        Some(json!({ "published": false })),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(
        t.api(Method::GET, &format!("{base}/public"), None, None)
            .status,
        StatusCode::NOT_FOUND
    );
}
