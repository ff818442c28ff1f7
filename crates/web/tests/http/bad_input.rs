//! Input that used to end in a server error (probe finding 4 of issue 15): duplicates
//! caught by a unique constraint, and dates outside the accepted years. Each is a 422
//! naming the field, in the API and on the page's form, on either backend.

use crate::support::{PASSWORD, Response, TestApp};
use axum::http::{Method, StatusCode};
use plenary_app::registration::{CategoryInput, EventInput};
use plenary_domain::Role;
use serde_json::{Value, json};

struct Setup {
    t: TestApp,
    token: String,
    event: i64,
}

fn setup() -> Setup {
    let t = TestApp::new();
    t.account("sec@example.org", Some(Role::Secretariat));
    let token = t.api_token("sec@example.org");
    let event = t
        .app
        .save_event(
            &t.admin_caller(),
            None,
            &EventInput {
                title: "Forum 2027".into(),
                venue: "Oslo".into(),
                time_zone: "Europe/Oslo".into(),
                starts_at: "2027-05-01T09:00".into(),
                ends_at: "2027-05-03T18:00".into(),
                registration_opens_at: "2026-04-01T00:00".into(),
                registration_closes_at: "2027-04-01T00:00".into(),
                changes_until: "2027-04-10T00:00".into(),
                public_list: false,
                visa_letters: false,
                visa_retention_days: String::new(),
            },
        )
        .expect("event")
        .id;
    Setup { t, token, event }
}

/// A 422 problem document whose first error names `field`.
fn names_field(r: &Response, field: &str) -> Value {
    let problem = r.expect_json(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/problem+json"[..])
    );
    assert_eq!(problem["errors"][0]["field"], field, "{}", r.body);
    problem
}

#[test]
fn renaming_a_category_to_a_name_the_event_has_is_refused_naming_name() {
    let s = setup();
    let admin = s.t.admin_caller();
    let category = |name: &str| CategoryInput {
        name: name.into(),
        mode: "onsite".into(),
        capacity: String::new(),
        needs_approval: false,
    };
    s.t.app
        .save_category(&admin, s.event, None, &category("Delegates"))
        .expect("delegates");
    let press =
        s.t.app
            .save_category(&admin, s.event, None, &category("Press"))
            .expect("press")
            .id;
    let r = s.t.api(
        Method::PUT,
        &format!("/api/v1/events/{}/categories/{press}", s.event),
        Some(&s.token),
        Some(json!({ "name": "Delegates", "mode": "onsite" })),
    );
    names_field(&r, "name");
    // The page's form: re-shown with the message, nothing renamed.
    let mut c = s.t.client();
    c.sign_in("sec@example.org", PASSWORD);
    let page = format!("/admin/events/{}", s.event);
    let r = c.submit(
        &page,
        &format!("{page}/categories/{press}"),
        &[("name", "Delegates"), ("mode", "onsite"), ("capacity", "")],
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("a category of this event already has this name"),
        "{}",
        r.body
    );
    let names: Vec<String> =
        s.t.app
            .event(s.event)
            .expect("event")
            .categories
            .iter()
            .map(|c| c.name.clone())
            .collect();
    assert!(names.contains(&"Press".to_owned()), "{names:?}");
}

#[test]
fn timeslots_given_twice_or_already_there_are_refused_naming_the_field() {
    let s = setup();
    let path = format!("/api/v1/events/{}/programme/timeslots", s.event);
    let add = |body: Value| s.t.api(Method::POST, &path, Some(&s.token), Some(body));
    names_field(
        &add(json!({ "dates": ["2027-05-01", "2027-05-01"], "times": ["09:00"] })),
        "dates",
    );
    names_field(
        &add(json!({ "dates": ["2027-05-01"], "times": ["09:00", "09:00"] })),
        "times",
    );
    let first = add(json!({ "dates": ["2027-05-01"], "times": ["09:00", "11:00"] }));
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = add(json!({ "dates": ["2027-05-01", "2027-05-02"], "times": ["11:00"] }));
    let problem = names_field(&again, "times");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("2027-05-01 11:00")),
        "{}",
        again.body
    );
    // Nothing of the refused request was added.
    let programme = s.t.api(
        Method::GET,
        &format!("/api/v1/events/{}/programme", s.event),
        Some(&s.token),
        None,
    );
    assert_eq!(
        programme.json()["timeslots"].as_array().map(Vec::len),
        Some(2),
        "{}",
        programme.body
    );
    // The programme board's form.
    let mut c = s.t.client();
    c.sign_in("sec@example.org", PASSWORD);
    let board = format!("/admin/events/{}/programme", s.event);
    let r = c.submit(
        &board,
        &format!("{board}/timeslots"),
        &[
            ("dates", "2027-05-02, 2027-05-02"),
            ("times", "09:00"),
            ("minutes", "90"),
        ],
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("given twice"), "{}", r.body);
}

#[test]
fn dates_outside_the_accepted_years_are_refused_naming_the_field() {
    let s = setup();
    let directory = s.t.directory_fixtures();
    let timeslots = format!("/api/v1/events/{}/programme/timeslots", s.event);
    for date in ["+10000-01-01", "-2000-01-01", "0000-01-01", "2201-01-01"] {
        let r = s.t.api(
            Method::POST,
            &timeslots,
            Some(&s.token),
            Some(json!({ "dates": [date], "times": ["09:00"] })),
        );
        names_field(&r, "dates");
    }
    let meeting = |starts: &str| {
        json!({ "body_id": directory.body, "title": "Year zero", "kind": "webinar", "mode": "online",
                "time_zone": "UTC", "starts_local": starts, "ends_local": "2027-01-01T10:00" })
    };
    for starts in [
        "0000-01-01T00:00",
        "-2000-01-01T00:00",
        "+10000-01-01T00:00",
    ] {
        let r = s.t.api(
            Method::POST,
            "/api/v1/meetings",
            Some(&s.token),
            Some(meeting(starts)),
        );
        names_field(&r, "starts_local");
    }
    let r = s.t.api(
        Method::POST,
        &format!("/api/v1/meetings/{}/days", directory.meeting),
        Some(&s.token),
        Some(json!({ "date": "0000-01-01" })),
    );
    names_field(&r, "day");
    let r = s.t.api(
        Method::PUT,
        &format!("/api/v1/events/{}", s.event),
        Some(&s.token),
        Some(json!({ "title": "Forum", "venue": "Oslo", "time_zone": "Europe/Oslo",
                     "starts_at": "0000-01-01T09:00", "ends_at": "2027-05-03T18:00",
                     "registration_opens_at": "2026-04-01T00:00", "registration_closes_at": "2027-04-01T00:00",
                     "changes_until": "2027-04-10T00:00" })),
    );
    names_field(&r, "starts_at");
    let r = s.t.api(
        Method::POST,
        &format!("/api/v1/meetings/{}/actions", directory.meeting),
        Some(&s.token),
        Some(json!({ "text": "Act", "owner": "secretariat", "due_on": "+10000-01-01" })),
    );
    names_field(&r, "due_on");
    let r = s.t.api(
        Method::POST,
        &format!("/api/v1/bodies/{}/memberships", directory.body),
        Some(&s.token),
        Some(
            json!({ "person_id": directory.person, "role": "observer", "starts_on": "0000-01-01" }),
        ),
    );
    names_field(&r, "starts_on");
}
