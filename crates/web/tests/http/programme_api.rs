//! The programme of an event through the JSON API: the secretariat sets up rooms,
//! timeslots and sessions, records who is unavailable, sets the weights, runs the
//! scheduler, moves a session by hand (refused, then accepted with an override that
//! stays a conflict) and publishes; the public reads placed sessions only. Problems name
//! the field; other accounts get 403.

use crate::support::{Response, TestApp};
use axum::http::{Method, StatusCode, header};
use plenary_app::registration::EventInput;
use plenary_domain::Role;
use plenary_domain::programme::RoomInput;
use serde_json::{Value, json};

/// Checks a problem document: its status, its type, and that it names `field`.
fn problem_naming(r: &Response, status: StatusCode, field: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/problem+json",
        "{}",
        r.body
    );
    let named = r.json()["errors"]
        .as_array()
        .is_some_and(|errors| errors.iter().any(|e| e["field"] == field));
    assert!(named, "no error names {field:?}: {}", r.body);
}

/// The messages of the errors naming `field`.
fn messages(r: &Response, field: &str) -> Vec<String> {
    r.json()["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter(|e| e["field"] == field)
                .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// An event in Oslo (CEST, UTC+2 in June), set up through the app.
fn event(t: &TestApp, title: &str) -> i64 {
    t.app
        .save_event(
            &t.admin_caller(),
            None,
            &EventInput {
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
            },
        )
        .expect("event")
        .id
}

fn session_body(title: &str, kind: &str, theme: &str, audience: i64, people: Value) -> Value {
    json!({
        "title": title,
        "session_type": kind,
        "theme": theme,
        "duration": 90,
        "expected_audience": audience,
        "format": "onsite",
        "people": people,
    })
}

#[test]
fn a_programme_is_built_scheduled_corrected_and_published_through_the_api() {
    let t = TestApp::new();
    t.account("secretariat@example.org", Some(Role::Secretariat));
    t.account("ana@example.org", None);
    let admin = t.api_token("secretariat@example.org");
    let ana = t.api_token("ana@example.org");
    let id = event(&t, "Annual Forum 2026");
    let base = format!("/api/v1/events/{id}/programme");
    let api = |m: Method, path: &str, body: Option<Value>| t.api(m, path, Some(&admin), body);

    // Other accounts may not see or change the programme; without a token, 401.
    assert_eq!(
        t.api(Method::GET, &base, Some(&ana), None).status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.api(
            Method::POST,
            &format!("{base}/rooms"),
            Some(&ana),
            Some(json!({ "name": "Mine", "capacity": 10 }))
        )
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.api(Method::GET, &base, None, None).status,
        StatusCode::UNAUTHORIZED
    );

    // Rooms: a room needs seats and a name of its own; unknown fields are refused.
    let rooms = format!("{base}/rooms");
    let hall = api(
        Method::POST,
        &rooms,
        Some(json!({ "name": "Plenary hall", "capacity": 800, "hybrid": true })),
    )
    .expect_json(StatusCode::CREATED);
    let hall_id = hall["id"].as_i64().expect("room id");
    assert_eq!(hall["capacity"], 800);
    let small = api(
        Method::POST,
        &rooms,
        Some(json!({ "name": "Room 2", "capacity": 100 })),
    )
    .expect_json(StatusCode::CREATED)["id"]
        .as_i64()
        .expect("room id");
    let third = api(
        Method::POST,
        &rooms,
        Some(json!({ "name": "Room 3", "capacity": 60, "hybrid": true })),
    )
    .expect_json(StatusCode::CREATED)["id"]
        .as_i64()
        .expect("room id");
    problem_naming(
        &api(
            Method::POST,
            &rooms,
            Some(json!({ "name": "Broom cupboard", "capacity": 0 })),
        ),
        StatusCode::UNPROCESSABLE_ENTITY,
        "capacity",
    );
    problem_naming(
        &api(
            Method::POST,
            &rooms,
            Some(json!({ "name": "Room 2", "capacity": 20 })),
        ),
        StatusCode::UNPROCESSABLE_ENTITY,
        "name",
    );
    assert_eq!(
        api(
            Method::POST,
            &rooms,
            Some(json!({ "name": "Room 4", "capacity": 20, "floor": 2 })),
        )
        .status,
        StatusCode::BAD_REQUEST
    );
    let changed = api(
        Method::PUT,
        &format!("{rooms}/{third}"),
        Some(json!({ "name": "Room 3", "capacity": 80, "hybrid": true })),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(changed["capacity"], 80);

    // Timeslots: two days × three times, local in Oslo.
    let timeslots = format!("{base}/timeslots");
    problem_naming(
        &api(
            Method::POST,
            &timeslots,
            Some(json!({ "dates": ["23/06/2026"], "times": ["09:00"] })),
        ),
        StatusCode::UNPROCESSABLE_ENTITY,
        "dates",
    );
    let added = api(
        Method::POST,
        &timeslots,
        Some(json!({
            "dates": ["2026-06-23", "2026-06-24"],
            "times": ["09:00", "10:45", "16:00"],
            "minutes": 90
        })),
    )
    .expect_json(StatusCode::CREATED);
    let slots = added["items"].as_array().expect("items");
    assert_eq!(slots.len(), 6);
    let first_slot = &slots[0];
    assert_eq!(first_slot["starts_at"]["local"], "2026-06-23T09:00");
    assert_eq!(first_slot["starts_at"]["utc"], "2026-06-23T07:00:00Z");
    assert_eq!(first_slot["ends_at"]["local"], "2026-06-23T10:30");
    assert_eq!(first_slot["day"], "2026-06-23");
    let first_slot = first_slot["id"].as_i64().expect("timeslot id");

    // Sessions: a person listed twice and an unknown zone are named.
    let sessions = format!("{base}/sessions");
    let twice = api(
        Method::POST,
        &sessions,
        Some(session_body(
            "Twice",
            "workshop",
            "Access",
            40,
            json!([
                { "name": "Ana Pérez", "role": "moderator" },
                { "name": "ana perez", "role": "speaker" }
            ]),
        )),
    );
    problem_naming(&twice, StatusCode::UNPROCESSABLE_ENTITY, "people");
    assert!(
        messages(&twice, "people")
            .iter()
            .any(|m| m.contains("listed twice")),
        "{}",
        twice.body
    );
    let zone = api(
        Method::POST,
        &sessions,
        Some(session_body(
            "Far",
            "workshop",
            "Access",
            40,
            json!([{ "name": "Cy", "role": "speaker", "online": true, "time_zone": "Mars/Base" }]),
        )),
    );
    problem_naming(&zone, StatusCode::UNPROCESSABLE_ENTITY, "people");
    problem_naming(
        &api(
            Method::POST,
            &sessions,
            Some(
                json!({ "title": "", "session_type": "keynote", "duration": 0, "format": "onsite" }),
            ),
        ),
        StatusCode::UNPROCESSABLE_ENTITY,
        "session_type",
    );
    let create = |body: Value| -> Value {
        let r = api(Method::POST, &sessions, Some(body));
        assert!(
            r.headers
                .get(header::CACHE_CONTROL)
                .is_some_and(|v| v == "no-store")
        );
        r.expect_json(StatusCode::CREATED)
    };
    let opening = create(session_body(
        "Opening",
        "main",
        "Cooperation",
        700,
        json!([{ "name": "Ana Pérez", "role": "moderator" }]),
    ));
    let opening_id = opening["id"].as_i64().expect("session id");
    assert_eq!(opening["placement"], Value::Null);
    assert_eq!(opening["people"][0]["role"], "moderator");
    let closing_id = create(session_body(
        "Closing",
        "main",
        "Cooperation",
        700,
        json!([{ "name": "Bo Li", "role": "speaker", "online": true, "time_zone": "Asia/Shanghai" }]),
    ))["id"]
        .as_i64()
        .expect("session id");
    let mut workshops = Vec::new();
    for i in 0..4 {
        let people = if i == 0 {
            json!([{ "name": "ana perez", "role": "speaker" }, { "name": "Speaker 0", "role": "speaker" }])
        } else {
            json!([{ "name": format!("Speaker {i}"), "role": "speaker" }])
        };
        workshops.push(
            create(session_body(
                &format!("Workshop {i}"),
                "workshop",
                ["Access", "AI"][i % 2],
                50,
                people,
            ))["id"]
                .as_i64()
                .expect("session id"),
        );
    }

    // A change needs the version read: without it 422, with a stale one 409.
    let w0 = format!("{sessions}/{}", workshops[0]);
    let mut body = session_body(
        "Workshop 0: community networks",
        "workshop",
        "Access",
        50,
        json!([{ "name": "ana perez", "role": "speaker" }, { "name": "Speaker 0", "role": "speaker" }]),
    );
    problem_naming(
        &api(Method::PUT, &w0, Some(body.clone())),
        StatusCode::UNPROCESSABLE_ENTITY,
        "version",
    );
    body["version"] = json!(1);
    let renamed = api(Method::PUT, &w0, Some(body.clone())).expect_json(StatusCode::OK);
    assert_eq!(renamed["title"], "Workshop 0: community networks");
    assert_eq!(renamed["version"], 2);
    assert_eq!(
        api(Method::PUT, &w0, Some(body)).status,
        StatusCode::CONFLICT
    );

    // Bo Li is not there on the first morning.
    let unavailability = format!("{base}/unavailability");
    problem_naming(
        &api(
            Method::POST,
            &unavailability,
            Some(
                json!({ "name": "Bo Li", "from": "2026-06-23T13:00", "until": "2026-06-23T08:00" }),
            ),
        ),
        StatusCode::UNPROCESSABLE_ENTITY,
        "until",
    );
    let away = api(
        Method::POST,
        &unavailability,
        Some(json!({ "name": "BO LI", "from": "2026-06-23T08:00", "until": "2026-06-23T13:00" })),
    )
    .expect_json(StatusCode::CREATED);
    assert_eq!(away["from"]["local"], "2026-06-23T08:00");
    let away_id = away["id"].as_i64().expect("unavailability id");

    // Weights: absent ones take their defaults; out of range is named.
    let weights = format!("{base}/weights");
    problem_naming(
        &api(Method::PUT, &weights, Some(json!({ "hours_from": 30 }))),
        StatusCode::UNPROCESSABLE_ENTITY,
        "hours_from",
    );
    let set = api(Method::PUT, &weights, Some(json!({ "theme_parallel": 20 })))
        .expect_json(StatusCode::OK);
    assert_eq!(set["theme_parallel"], 20);
    assert_eq!(set["hours_until"], 22);

    // The scheduler places every session, keeping every hard rule.
    let report = api(
        Method::POST,
        &format!("{base}/schedule"),
        Some(json!({ "seed": 7 })),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(report["sessions"], 6);
    assert_eq!(report["placed"], 6);
    assert!(report["cost"].as_i64() >= report["lower_bound"].as_i64());
    let programme = |r: Response| r.expect_json(StatusCode::OK);
    let view = programme(api(Method::GET, &base, None));
    assert_eq!(view["conflicts"], json!([]), "{view}");
    assert_eq!(view["published"], false);
    assert_eq!(view["weights"]["theme_parallel"], 20);
    assert_eq!(view["unavailability"][0]["name"], "BO LI");
    let find = |view: &Value, id: i64| -> Value {
        view["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
            .expect("the session")
    };
    for s in view["sessions"].as_array().expect("sessions") {
        assert!(s["placement"].is_object(), "unplaced: {s}");
    }
    // Main sessions go to the hall, never in parallel; Bo Li's not on the first morning.
    let opening = find(&view, opening_id);
    let closing = find(&view, closing_id);
    assert_eq!(opening["placement"]["room_id"], hall_id);
    assert_eq!(closing["placement"]["room_id"], hall_id);
    assert_ne!(
        opening["placement"]["timeslot_id"],
        closing["placement"]["timeslot_id"]
    );
    assert!(
        closing["placement"]["starts_at"]["local"]
            .as_str()
            .is_some_and(|at| at >= "2026-06-23T13:00"),
        "{closing}"
    );

    // A manual move that breaks a hard rule is refused with the reason, naming "slot".
    let occupied = |view: &Value, room: i64, slot: i64| {
        view["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .any(|s| s["placement"]["room_id"] == room && s["placement"]["timeslot_id"] == slot)
    };
    let free_slot = slots
        .iter()
        .map(|s| s["id"].as_i64().expect("id"))
        .find(|slot| !occupied(&view, small, *slot))
        .expect("Room 2 is free at some time");
    let placement = format!("{sessions}/{opening_id}/placement");
    let refused = api(
        Method::POST,
        &placement,
        Some(json!({ "room_id": small, "timeslot_id": free_slot })),
    );
    problem_naming(&refused, StatusCode::UNPROCESSABLE_ENTITY, "slot");
    assert!(
        messages(&refused, "slot")
            .iter()
            .any(|m| m.contains("“Opening”: the room is too small")),
        "{}",
        refused.body
    );
    assert_eq!(
        find(&programme(api(Method::GET, &base, None)), opening_id)["placement"]["room_id"],
        hall_id,
        "nothing moved"
    );
    // A room taken at that time is refused even with an override.
    let taken = view["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .find(|s| s["id"] != opening_id)
        .expect("another session")["placement"]
        .clone();
    problem_naming(
        &api(
            Method::POST,
            &placement,
            Some(
                json!({ "room_id": taken["room_id"], "timeslot_id": taken["timeslot_id"], "override": true }),
            ),
        ),
        StatusCode::UNPROCESSABLE_ENTITY,
        "slot",
    );
    // With the override, it is kept and stays visible as a conflict.
    let moved = api(
        Method::POST,
        &placement,
        Some(json!({ "room_id": small, "timeslot_id": free_slot, "override": true })),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(moved["session"]["placement"]["room_id"], small);
    assert_eq!(moved["session"]["overridden"], true);
    let conflicts = moved["conflicts"].as_array().expect("conflicts");
    assert!(
        conflicts
            .iter()
            .any(|c| c["sessions"] == json!([opening_id])
                && c["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("too small"))),
        "{moved}"
    );
    assert_eq!(
        programme(api(Method::GET, &base, None))["conflicts"],
        json!(conflicts)
    );
    // Naming only one of room and timeslot is named.
    problem_naming(
        &api(Method::POST, &placement, Some(json!({ "room_id": small }))),
        StatusCode::UNPROCESSABLE_ENTITY,
        "timeslot_id",
    );

    // Pinning: only a placed session; an unplaced one is refused.
    let pinned = api(Method::POST, &format!("{sessions}/{opening_id}/pin"), None)
        .expect_json(StatusCode::OK);
    assert_eq!(pinned["pinned"], true);
    assert_eq!(
        find(&programme(api(Method::GET, &base, None)), opening_id)["pinned"],
        true
    );
    api(
        Method::POST,
        &format!("{sessions}/{opening_id}/unpin"),
        None,
    )
    .expect_json(StatusCode::OK);
    // Back to the hall by the scheduler (minimal change keeps the others).
    api(
        Method::POST,
        &format!("{base}/schedule"),
        Some(json!({ "seed": 7 })),
    )
    .expect_json(StatusCode::OK);
    let view = programme(api(Method::GET, &base, None));
    assert_eq!(view["conflicts"], json!([]), "{view}");
    assert_eq!(find(&view, opening_id)["placement"]["room_id"], hall_id);
    assert_eq!(find(&view, opening_id)["overridden"], false);
    // One workshop taken out again (null).
    let out = api(
        Method::POST,
        &format!("{sessions}/{}/placement", workshops[3]),
        Some(Value::Null),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(out["session"]["placement"], Value::Null);
    assert_eq!(
        api(
            Method::POST,
            &format!("{sessions}/{}/pin", workshops[3]),
            None
        )
        .status,
        StatusCode::CONFLICT
    );

    // The public programme: 404 until published, then placed sessions only.
    let public = format!("{base}/public");
    assert_eq!(
        t.api(Method::GET, &public, None, None).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.api(Method::GET, &public, Some(&ana), None).status,
        StatusCode::NOT_FOUND
    );
    problem_naming(
        &api(Method::POST, &format!("{base}/publish"), Some(json!({}))),
        StatusCode::UNPROCESSABLE_ENTITY,
        "published",
    );
    assert_eq!(
        t.api(
            Method::POST,
            &format!("{base}/publish"),
            Some(&ana),
            Some(json!({ "published": true }))
        )
        .status,
        StatusCode::FORBIDDEN
    );
    let published = api(
        Method::POST,
        &format!("{base}/publish"),
        Some(json!({ "published": true })),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(published["published"], true);
    let shown = t
        .api(Method::GET, &public, None, None)
        .expect_json(StatusCode::OK);
    assert_eq!(shown["published"], true);
    assert_eq!(shown["event"]["time_zone"], "Europe/Oslo");
    let listed: Vec<i64> = shown["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| s["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(listed.len(), 5, "{shown}");
    assert!(!listed.contains(&workshops[3]));
    assert!(shown.get("unavailability").is_none());
    assert!(shown.get("conflicts").is_none());
    assert!(shown["sessions"][0].get("expected_audience").is_none());
    assert!(shown["sessions"][0]["placement"]["starts_at"]["utc"].is_string());
    assert!(!shown.to_string().contains("Asia/Shanghai"));

    // From a call: the call is named.
    problem_naming(
        &api(Method::POST, &format!("{base}/from-call"), Some(json!({}))),
        StatusCode::UNPROCESSABLE_ENTITY,
        "call_id",
    );
    assert_eq!(
        api(
            Method::POST,
            &format!("{base}/from-call"),
            Some(json!({ "call_id": 999_999 }))
        )
        .status,
        StatusCode::NOT_FOUND
    );

    // Deleting: unavailability, a session, a timeslot (its session becomes unplaced),
    // a room; twice is 404.
    assert_eq!(
        api(Method::DELETE, &format!("{unavailability}/{away_id}"), None).status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api(Method::DELETE, &format!("{unavailability}/{away_id}"), None).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api(
            Method::DELETE,
            &format!("{sessions}/{}", workshops[3]),
            None
        )
        .status,
        StatusCode::NO_CONTENT
    );
    let view = programme(api(Method::GET, &base, None));
    let in_first: Vec<i64> = view["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter(|s| s["placement"]["timeslot_id"] == first_slot)
        .map(|s| s["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(
        api(Method::DELETE, &format!("{timeslots}/{first_slot}"), None).status,
        StatusCode::NO_CONTENT
    );
    let view = programme(api(Method::GET, &base, None));
    assert_eq!(view["timeslots"].as_array().expect("timeslots").len(), 5);
    for s in in_first {
        assert_eq!(find(&view, s)["placement"], Value::Null);
    }
    assert_eq!(
        api(Method::DELETE, &format!("{rooms}/{third}"), None).status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api(Method::DELETE, &format!("{rooms}/{third}"), None).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.api(
            Method::DELETE,
            &format!("{rooms}/{small}"),
            Some(&ana),
            None
        )
        .status,
        StatusCode::FORBIDDEN
    );
}

#[test]
fn an_infeasible_programme_is_explained_naming_schedule() {
    let t = TestApp::new();
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let admin = t.api_token("secretariat@example.org");
    let id = event(&t, "Short slots");
    let base = format!("/api/v1/events/{id}/programme");
    let api = |m: Method, path: &str, body: Option<Value>| t.api(m, path, Some(&admin), body);
    api(
        Method::POST,
        &format!("{base}/rooms"),
        Some(json!({ "name": "Room 1", "capacity": 100 })),
    )
    .expect_json(StatusCode::CREATED);
    api(
        Method::POST,
        &format!("{base}/timeslots"),
        Some(json!({ "dates": ["2026-06-23"], "times": ["09:00", "11:00"], "minutes": 60 })),
    )
    .expect_json(StatusCode::CREATED);
    let mut long = session_body(
        "Marathon",
        "workshop",
        "Access",
        20,
        json!([{ "name": "Ana", "role": "moderator" }]),
    );
    long["duration"] = json!(120);
    api(Method::POST, &format!("{base}/sessions"), Some(long)).expect_json(StatusCode::CREATED);
    let r = api(Method::POST, &format!("{base}/schedule"), Some(json!({})));
    problem_naming(&r, StatusCode::UNPROCESSABLE_ENTITY, "schedule");
    assert!(
        messages(&r, "schedule")
            .iter()
            .any(|m| m.contains("“Marathon”: no room and timeslot fits it")),
        "{}",
        r.body
    );
    // Nothing changed.
    let view = api(Method::GET, &base, None).expect_json(StatusCode::OK);
    assert_eq!(view["sessions"][0]["placement"], Value::Null);
    // A malformed seed is a bad request.
    assert_eq!(
        api(
            Method::POST,
            &format!("{base}/schedule"),
            Some(json!({ "seed": -1 }))
        )
        .status,
        StatusCode::BAD_REQUEST
    );
}

/// Ids of a small programme for the access matrix: `{prog_event}` (unpublished until
/// the matrix publishes it), a room, a timeslot, a placed session and an unavailability.
pub struct ProgrammeApiFixtures {
    pub event: i64,
    pub room: i64,
    pub timeslot: i64,
    pub session: i64,
    pub unavailability: i64,
}

impl ProgrammeApiFixtures {
    pub fn path(&self, template: &str) -> String {
        template
            .replace("{prog_event}", &self.event.to_string())
            .replace("{prog_room}", &self.room.to_string())
            .replace("{prog_timeslot}", &self.timeslot.to_string())
            .replace("{prog_session}", &self.session.to_string())
            .replace("{prog_unavailability}", &self.unavailability.to_string())
    }
}

pub fn programme_api_fixtures(t: &TestApp) -> ProgrammeApiFixtures {
    use plenary_app::programme::{TimeslotInput, UnavailabilityInput};
    use plenary_domain::programme::{PersonInput, SessionInput};
    let admin = t.admin_caller();
    let event = event(t, "Matrix programme");
    let room = t
        .app
        .save_programme_room(
            &admin,
            event,
            None,
            &RoomInput {
                name: "Matrix room".into(),
                capacity: "50".into(),
                hybrid: true,
            },
        )
        .expect("room")
        .id;
    let timeslot = t
        .app
        .add_programme_timeslots(
            &admin,
            event,
            &TimeslotInput {
                dates: "2026-06-23".into(),
                times: "09:00".into(),
                minutes: "90".into(),
            },
        )
        .expect("timeslot")[0]
        .id;
    let session = t
        .app
        .save_programme_session(
            &admin,
            event,
            None,
            &SessionInput {
                title: "Matrix session".into(),
                session_type: "workshop".into(),
                duration: "60".into(),
                expected_audience: "20".into(),
                format: "onsite".into(),
                people: vec![PersonInput {
                    name: "Matrix Speaker".into(),
                    role: "speaker".into(),
                    ..PersonInput::default()
                }],
                ..SessionInput::default()
            },
        )
        .expect("session")
        .session
        .id;
    t.app
        .place_session(&admin, event, session, Some((room, timeslot)), false)
        .expect("placed");
    t.app
        .add_unavailability(
            &admin,
            event,
            &UnavailabilityInput {
                name: "Matrix Speaker".into(),
                from: "2026-06-24T08:00".into(),
                until: "2026-06-24T09:00".into(),
            },
        )
        .expect("unavailability");
    let unavailability = t
        .app
        .programme(&admin, event)
        .expect("programme")
        .unavailability[0]
        .id;
    ProgrammeApiFixtures {
        event,
        room,
        timeslot,
        session,
        unavailability,
    }
}
