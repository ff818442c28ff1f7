//! The public programme and its exports: 404 until published (the secretariat may
//! preview), the page by day, time and room with its filters and the zone switch, the
//! session and speaker pages, the cache (ETag, 304, a change shows at once), and each
//! export read back by an independent parser (`ical`, `roxmltree`, `csv`, serde_json)
//! with every field its format's documentation requires checked against the programme.

use crate::support::{PASSWORD, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use plenary_app::Caller;
use plenary_app::programme::{ProgrammeView, TimeslotInput};
use plenary_app::registration::EventInput;
use plenary_domain::Role;
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
use plenary_domain::time::Zone;

/// A published (or not) programme of three sessions in two rooms over two days.
pub struct ProgrammeFixture {
    pub event: i64,
    /// The main session (hybrid, an online speaker in Tokyo).
    pub opening: i64,
    /// A workshop whose title would be a spreadsheet formula.
    pub workshop: i64,
    pub lightning: i64,
    /// Ana Pérez's search key, in two sessions.
    pub ana: String,
}

const OPENING: &str = "Opening; the \"future\", <together> & more";
const WORKSHOP: &str = "=cmd|' /C calc'!A0";
const LIGHTNING: &str = "Lightning: AI in five minutes";
const DESCRIPTION: &str = "Ministers, parliamentarians and the technical community discuss universal and meaningful access — ĉiuj lingvoj, 日本語 too — over a long line that must be folded.\n\nSecond paragraph; with, punctuation\\.";

fn person(name: &str, role: &str, online: bool, zone: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        role: role.into(),
        online,
        time_zone: zone.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn session_input(
    title: &str,
    kind: &str,
    theme: &str,
    format: &str,
    language: &str,
    description: &str,
    people: Vec<PersonInput>,
) -> SessionInput {
    SessionInput {
        title: title.into(),
        session_type: kind.into(),
        theme: theme.into(),
        description: description.into(),
        duration: "90".into(),
        expected_audience: "40".into(),
        format: format.into(),
        language: language.into(),
        people,
        ..SessionInput::default()
    }
}

pub fn programme_fixture(t: &TestApp, title: &str, publish: bool) -> ProgrammeFixture {
    let admin = t.admin_caller();
    let app = &t.app;
    let event = app
        .save_event(
            &admin,
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
        .id;
    for (name, capacity, hybrid) in [("Plenary Hall", "300", true), ("Room B", "60", false)] {
        app.save_programme_room(
            &admin,
            event,
            None,
            &RoomInput {
                name: name.into(),
                capacity: capacity.into(),
                hybrid,
            },
        )
        .expect("room");
    }
    app.add_programme_timeslots(
        &admin,
        event,
        &TimeslotInput {
            dates: "2026-06-23, 2026-06-24".into(),
            times: "09:00 11:00".into(),
            minutes: "90".into(),
        },
    )
    .expect("timeslots");
    let save = |input: SessionInput| {
        app.save_programme_session(&admin, event, None, &input)
            .expect("session")
            .session
            .id
    };
    let opening = save(session_input(
        OPENING,
        "main",
        "Universal access",
        "hybrid",
        "English",
        DESCRIPTION,
        vec![
            person("Ana Pérez", "moderator", false, ""),
            person("Kenji Sato", "speaker", true, "Asia/Tokyo"),
            person("Lea Fischer", "rapporteur", false, ""),
        ],
    ));
    let workshop = save(session_input(
        WORKSHOP,
        "workshop",
        "Cybersecurity",
        "onsite",
        "French",
        "",
        vec![person("Ana Pérez", "speaker", false, "")],
    ));
    let lightning = save(session_input(
        LIGHTNING,
        "lightning_talk",
        "Universal access",
        "onsite",
        "English",
        "Short.",
        vec![person("Bo Lind", "speaker", false, "")],
    ));
    app.run_scheduler(&admin, event, 7).expect("scheduler");
    if publish {
        app.publish_programme(&admin, event, true).expect("publish");
    }
    ProgrammeFixture {
        event,
        opening,
        workshop,
        lightning,
        ana: plenary_domain::search::search_key("Ana Pérez"),
    }
}

fn view(t: &TestApp, event: i64) -> ProgrammeView {
    t.app
        .public_programme(&Caller::anonymous(None), event)
        .expect("published programme")
}

fn get(t: &TestApp, path: &str) -> crate::support::Response {
    t.client().get(path)
}

fn caller_of(t: &TestApp, email: &str) -> Caller {
    let signed = t
        .app
        .sign_in(email, PASSWORD, "192.0.2.210", None)
        .expect("sign in");
    t.app
        .session_user(&signed.session_token)
        .expect("lookup")
        .expect("live")
        .caller(None)
}

struct Placed {
    id: i64,
    title: String,
    room: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

fn placed(v: &ProgrammeView) -> Vec<Placed> {
    let mut out: Vec<Placed> = v
        .sessions
        .iter()
        .filter_map(|s| {
            Some(Placed {
                id: s.session.id,
                title: s.session.title.clone(),
                room: s.room.as_ref()?.name.clone(),
                starts_at: s.timeslot.as_ref()?.starts_at,
                ends_at: s.ends_at()?,
            })
        })
        .collect();
    out.sort_by_key(|p| (p.starts_at, p.id));
    out
}

fn oslo() -> Zone {
    Zone::parse("tz", "Europe/Oslo").expect("zone")
}

// ------------------------------------------------------------------ visibility

#[test]
fn nothing_is_public_until_published_but_the_secretariat_may_preview() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Forum", false);
    let e = f.event;
    for path in [
        format!("/events/{e}/programme"),
        format!("/events/{e}/programme/sessions/{}", f.opening),
        format!("/events/{e}/programme/sessions/{}.ics", f.opening),
        format!(
            "/events/{e}/programme/speakers/{}",
            f.ana.replace(' ', "%20")
        ),
        format!("/events/{e}/programme.ics"),
        format!("/events/{e}/programme/my.ics?sessions={}", f.opening),
        format!("/events/{e}/programme/schedule.xml"),
        format!("/events/{e}/programme/schedule.json"),
        format!("/events/{e}/programme.csv"),
    ] {
        assert_eq!(get(&t, &path).status, StatusCode::NOT_FOUND, "{path}");
    }
    t.account("registrant@example.org", Some(Role::Registrant));
    let mut c = t.client();
    c.sign_in("registrant@example.org", PASSWORD);
    assert_eq!(
        c.get(&format!("/events/{e}/programme")).status,
        StatusCode::NOT_FOUND
    );
    // The secretariat sees a preview, marked as such.
    t.admin_caller();
    let mut admin = t.client();
    admin.sign_in("root@example.org", PASSWORD);
    let r = admin.get(&format!("/events/{e}/programme"));
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"preview\""), "{}", r.body);
    // Which the public does not get from the cache afterwards.
    assert_eq!(
        get(&t, &format!("/events/{e}/programme")).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&t, &format!("/events/{e}/programme.ics")).status,
        StatusCode::NOT_FOUND
    );
    // The event's page links the programme.
    let event_page = get(&t, &format!("/events/{e}"));
    assert!(
        event_page
            .body
            .contains(&format!("href=\"/events/{e}/programme\""))
    );
    // An unknown event is not found either.
    assert_eq!(
        get(&t, "/events/999999/programme").status,
        StatusCode::NOT_FOUND
    );
}

// ------------------------------------------------------------------ the page

#[test]
fn the_page_lists_sessions_by_day_time_and_room_with_filters() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Forum", true);
    let e = f.event;
    let v = view(&t, e);
    let list = placed(&v);
    assert_eq!(list.len(), 3);
    let r = get(&t, &format!("/events/{e}/programme"));
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(
            "Times in <strong id=\"shown-zone\">Europe/Oslo</strong> (CEST (UTC+02:00)), the venue"
        ),
        "{}",
        r.body
    );
    // In order of time (then room), each under its day at the venue.
    let mut last = 0;
    for p in &list {
        let at = r
            .body
            .find(&format!("id=\"session-{}\"", p.id))
            .unwrap_or_else(|| panic!("session {} missing", p.id));
        assert!(at > last, "order");
        last = at;
        let local = p.starts_at.with_timezone(&oslo().tz());
        let day = local.format("%A %-d %B %Y").to_string();
        let heading = r.body.find(&format!(">{day}</h2>")).expect("day heading");
        assert!(heading < at);
        let row = &r.body[at..];
        let row = &row[..row.find("</tr>").expect("row end")];
        let ends = p.ends_at.with_timezone(&oslo().tz());
        assert!(
            row.contains(&format!(
                "{}–{}",
                local.format("%H:%M"),
                ends.format("%H:%M")
            )),
            "{row}"
        );
        assert!(row.contains("CEST"));
        assert!(row.contains(&p.room));
    }
    assert!(!r.body.contains("<together>"), "titles are escaped");
    assert!(r.body.contains("together"));
    assert!(r.body.contains("3 of 3 sessions"));
    // Filters.
    let only = |query: &str| -> Vec<i64> {
        let r = get(&t, &format!("/events/{e}/programme?{query}"));
        assert_eq!(r.status, StatusCode::OK, "{query}");
        list.iter()
            .map(|p| p.id)
            .filter(|id| r.body.contains(&format!("id=\"session-{id}\"")))
            .collect()
    };
    assert_eq!(only("theme=Cybersecurity"), vec![f.workshop]);
    assert_eq!(only("type=main"), vec![f.opening]);
    assert_eq!(only("format=hybrid"), vec![f.opening]);
    assert_eq!(only("language=French"), vec![f.workshop]);
    let mut access = only("theme=Universal+access");
    access.sort_unstable();
    let mut want = vec![f.opening, f.lightning];
    want.sort_unstable();
    assert_eq!(access, want);
    let hall = v.rooms.iter().find(|r| r.name == "Room B").expect("room");
    let in_b: Vec<i64> = list
        .iter()
        .filter(|p| p.room == "Room B")
        .map(|p| p.id)
        .collect();
    assert_eq!(only(&format!("room={}", hall.id)), in_b);
    let first_day = list[0].starts_at.with_timezone(&oslo().tz()).date_naive();
    let on_day: Vec<i64> = list
        .iter()
        .filter(|p| p.starts_at.with_timezone(&oslo().tz()).date_naive() == first_day)
        .map(|p| p.id)
        .collect();
    assert_eq!(only(&format!("day={first_day}")), on_day);
    assert!(only("theme=Nothing").is_empty());
}

#[test]
fn times_switch_to_the_viewers_zone_always_labelled() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Forum", true);
    let e = f.event;
    let list = placed(&view(&t, e));
    let tokyo = Zone::parse("tz", "Asia/Tokyo").expect("zone");
    let r = get(&t, &format!("/events/{e}/programme?tz=Asia/Tokyo"));
    assert!(
        r.body.contains("id=\"shown-zone\">Asia/Tokyo<"),
        "{}",
        r.body
    );
    assert!(r.body.contains("the venue is in Europe/Oslo"));
    let first = &list[0];
    let local = first.starts_at.with_timezone(&tokyo.tz());
    let at = r
        .body
        .find(&format!("id=\"session-{}\"", first.id))
        .expect("row");
    let row = &r.body[at..at + r.body[at..].find("</tr>").expect("end")];
    assert!(row.contains(&local.format("%H:%M").to_string()), "{row}");
    assert!(row.contains("JST"), "{row}");
    assert!(r.body.contains("Venue time (Europe/Oslo)"));
    // An unknown zone: told, and times at the venue.
    let r = get(&t, &format!("/events/{e}/programme?tz=Mars/Olympus"));
    assert!(r.body.contains("is not a time zone we know"));
    assert!(r.body.contains("id=\"shown-zone\">Europe/Oslo<"));
    // A signed-in account's own zone.
    t.account("viewer@example.org", Some(Role::Registrant));
    let caller = caller_of(&t, "viewer@example.org");
    t.app
        .set_my_time_zone(&caller, "America/Sao_Paulo")
        .expect("zone");
    let mut c = t.client();
    c.sign_in("viewer@example.org", PASSWORD);
    let page = c.get(&format!("/events/{e}/programme"));
    assert!(
        page.body.contains("id=\"shown-zone\">Europe/Oslo<"),
        "venue by default"
    );
    assert!(page.body.contains("My time zone (America/Sao_Paulo)"));
    let mine = c.get(&format!("/events/{e}/programme?tz=mine"));
    assert!(mine.body.contains("id=\"shown-zone\">America/Sao_Paulo<"));
    assert!(mine.body.contains("UTC-03:00"), "{}", mine.body);
    // The signed-in page is not kept for others.
    assert_eq!(
        page.headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let anonymous = get(&t, &format!("/events/{e}/programme"));
    assert!(!anonymous.body.contains("Signed in as"));
}

#[test]
fn session_and_speaker_pages() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Forum", true);
    let e = f.event;
    let list = placed(&view(&t, e));
    let opening = list.iter().find(|p| p.id == f.opening).expect("placed");
    let r = get(&t, &format!("/events/{e}/programme/sessions/{}", f.opening));
    assert_eq!(r.status, StatusCode::OK);
    let local = opening.starts_at.with_timezone(&oslo().tz());
    assert!(r.body.contains(&format!(
        "{} {}–",
        local.format("%Y-%m-%d"),
        local.format("%H:%M")
    )));
    assert!(r.body.contains("CEST (UTC+02:00, Europe/Oslo)"));
    for text in [
        "Plenary Hall",
        "Main session",
        "Universal access",
        "Hybrid",
        "English",
        "Second paragraph; with, punctuation",
        ">Moderator</h2>",
        ">Speaker</h2>",
        ">Rapporteur</h2>",
        "Ana Pérez",
        "Lea Fischer",
    ] {
        assert!(r.body.contains(text), "{text} in {}", r.body);
    }
    // The online speaker, with their own local time.
    let tokyo = opening
        .starts_at
        .with_timezone(&Zone::parse("tz", "Asia/Tokyo").expect("zone").tz());
    let kenji = &r.body[r.body.find("Kenji Sato").expect("Kenji")..];
    let kenji = &kenji[..kenji.find("</li>").expect("li")];
    assert!(kenji.contains("online"), "{kenji}");
    assert!(
        kenji.contains(&format!("{} JST (Asia/Tokyo)", tokyo.format("%H:%M"))),
        "{kenji}"
    );
    // In the viewer's zone too.
    let r2 = get(
        &t,
        &format!("/events/{e}/programme/sessions/{}?tz=UTC", f.opening),
    );
    assert!(r2.body.contains("id=\"your-time\""));
    // The speaker's page, by the link.
    let link = format!("/events/{e}/programme/speakers/");
    let at = r.body.find(&link).expect("speaker link") + link.len();
    let key = &r.body[at..at + r.body[at..].find('"').expect("end")];
    assert_eq!(key, "ana%20perez");
    let s = get(&t, &format!("{link}{key}"));
    assert_eq!(s.status, StatusCode::OK);
    assert!(s.body.contains("<h1>Ana Pérez</h1>"));
    assert!(
        s.body
            .contains(&format!("/programme/sessions/{}\"", f.opening))
    );
    assert!(
        s.body
            .contains(&format!("/programme/sessions/{}\"", f.workshop))
    );
    assert!(
        !s.body
            .contains(&format!("/programme/sessions/{}\"", f.lightning))
    );
    assert!(s.body.contains("Moderator") && s.body.contains("Speaker"));
    // Each session with its date, not only its time (the event has two days).
    assert!(
        s.body.contains("Tue 23 Jun 2026, ") || s.body.contains("Wed 24 Jun 2026, "),
        "{}",
        s.body
    );
    assert_eq!(
        get(&t, &format!("{link}nobody")).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&t, &format!("/events/{e}/programme/sessions/999999")).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&t, &format!("/events/{e}/programme/sessions/abc")).status,
        StatusCode::NOT_FOUND
    );
}

// ------------------------------------------------------------------ cache

fn with_etag(t: &TestApp, path: &str, etag: &str) -> crate::support::Response {
    let request = Request::builder()
        .uri(path)
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .expect("request");
    t.send(request, "192.0.2.9:4000".parse().expect("addr"))
}

#[test]
fn responses_are_cached_by_version_with_etags_and_changes_show_at_once() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Forum", true);
    let e = f.event;
    for path in [
        format!("/events/{e}/programme"),
        format!("/events/{e}/programme.ics"),
        format!("/events/{e}/programme/schedule.xml"),
        format!("/events/{e}/programme/schedule.json"),
        format!("/events/{e}/programme.csv"),
    ] {
        let first = get(&t, &path);
        assert_eq!(first.status, StatusCode::OK);
        let etag = first
            .headers
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .expect("etag")
            .to_owned();
        assert_eq!(
            first
                .headers
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok()),
            Some("no-cache")
        );
        let again = get(&t, &path);
        assert_eq!(again.bytes, first.bytes, "the same bytes while unchanged");
        let revalidated = with_etag(&t, &path, &etag);
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(revalidated.bytes.is_empty());
        let other = with_etag(&t, &path, "\"other\"");
        assert_eq!(other.status, StatusCode::OK);
    }
    let page = get(&t, &format!("/events/{e}/programme"));
    let etag = page.headers[header::ETAG]
        .to_str()
        .expect("etag")
        .to_owned();
    // A change on the board after publishing stays off the public programme (the same
    // bytes: 304) until the next release; then it shows, in the page and the exports.
    let admin = t.admin_caller();
    let current = t
        .app
        .programme(&admin, e)
        .expect("programme")
        .sessions
        .into_iter()
        .find(|s| s.session.id == f.lightning)
        .expect("session");
    t.app
        .save_programme_session(
            &admin,
            e,
            Some((f.lightning, current.session.version)),
            &session_input(
                "Lightning: renamed",
                "lightning_talk",
                "Universal access",
                "onsite",
                "English",
                "Short.",
                vec![person("Bo Lind", "speaker", false, "")],
            ),
        )
        .expect("rename");
    let unchanged = with_etag(&t, &format!("/events/{e}/programme"), &etag);
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    for path in [
        format!("/events/{e}/programme.ics"),
        format!("/events/{e}/programme/schedule.xml"),
        format!("/events/{e}/programme/schedule.json"),
        format!("/events/{e}/programme.csv"),
        format!("/api/v1/events/{e}/programme/public"),
    ] {
        assert!(!get(&t, &path).body.contains("renamed"), "{path}");
    }
    t.app.publish_programme(&admin, e, true).expect("release 2");
    let changed = with_etag(&t, &format!("/events/{e}/programme"), &etag);
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.contains("Lightning: renamed"));
    assert!(!changed.body.contains(LIGHTNING));
    for path in [
        format!("/events/{e}/programme.ics"),
        format!("/events/{e}/programme/schedule.xml"),
        format!("/events/{e}/programme/schedule.json"),
        format!("/events/{e}/programme.csv"),
        format!("/api/v1/events/{e}/programme/public"),
    ] {
        assert!(get(&t, &path).body.contains("renamed"), "{path}");
    }
    // Withdrawn: gone at once.
    t.app.publish_programme(&admin, e, false).expect("withdraw");
    assert_eq!(
        get(&t, &format!("/events/{e}/programme")).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&t, &format!("/events/{e}/programme.csv")).status,
        StatusCode::NOT_FOUND
    );
}

// ------------------------------------------------------------------ iCalendar

/// A TEXT value read back (RFC 5545 §3.3.11).
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn calendar(body: &str) -> ical::parser::ical::component::IcalCalendar {
    // Every line ends with CRLF and none is longer than 75 octets.
    assert!(body.ends_with("\r\n"));
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "line of {} octets: {line}", line.len());
        assert!(!line.contains('\n'));
    }
    let mut parser = ical::IcalParser::new(body.as_bytes());
    let cal = parser.next().expect("one calendar").expect("parses");
    assert!(parser.next().is_none());
    cal
}

fn prop<'a>(
    props: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    props.iter().find(|p| p.name == name)
}

fn value(props: &[ical::property::Property], name: &str) -> String {
    prop(props, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// A DTSTART or DTEND as an instant: UTC (`Z`) or local with its TZID.
fn instant(p: &ical::property::Property) -> DateTime<Utc> {
    let raw = p.value.as_deref().expect("value");
    let tzid = p.params.as_ref().and_then(|ps| {
        ps.iter()
            .find(|(k, _)| k == "TZID")
            .and_then(|(_, v)| v.first().cloned())
    });
    if let Some(utc) = raw.strip_suffix('Z') {
        let naive = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").expect("date-time");
        return Utc.from_utc_datetime(&naive);
    }
    let zone = Zone::parse("tz", &tzid.expect("a local time has a TZID")).expect("zone");
    let naive = NaiveDateTime::parse_from_str(raw, "%Y%m%dT%H%M%S").expect("date-time");
    zone.tz()
        .from_local_datetime(&naive)
        .single()
        .expect("unambiguous")
        .with_timezone(&Utc)
}

#[test]
fn icalendar_exports_parse_and_carry_every_required_field() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Forum", true);
    let e = f.event;
    let v = view(&t, e);
    let list = placed(&v);
    let r = get(&t, &format!("/events/{e}/programme.ics"));
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/calendar")
    );
    let cal = calendar(&r.body);
    assert_eq!(value(&cal.properties, "VERSION"), "2.0");
    assert!(!value(&cal.properties, "PRODID").is_empty());
    // One VTIMEZONE for the venue's zone, which each local time names.
    assert_eq!(cal.timezones.len(), 1);
    assert_eq!(value(&cal.timezones[0].properties, "TZID"), "Europe/Oslo");
    assert_eq!(cal.events.len(), list.len());
    let mut uids = Vec::new();
    for (event, p) in cal.events.iter().zip(&list) {
        let props = &event.properties;
        let uid = value(props, "UID");
        assert_eq!(uid, format!("programme-session-{}@forum.example.org", p.id));
        uids.push(uid);
        assert_eq!(value(props, "DTSTAMP"), "20260626T080000Z");
        assert_eq!(
            instant(prop(props, "DTSTART").expect("DTSTART")),
            p.starts_at
        );
        assert_eq!(instant(prop(props, "DTEND").expect("DTEND")), p.ends_at);
        assert_eq!(unescape(&value(props, "SUMMARY")), p.title);
        assert_eq!(unescape(&value(props, "LOCATION")), p.room);
        assert!(value(props, "URL").ends_with(&format!("/events/{e}/programme/sessions/{}", p.id)));
        let description = unescape(&value(props, "DESCRIPTION"));
        if p.id == f.opening {
            assert!(
                description.contains("Moderator: Ana Pérez"),
                "{description}"
            );
            assert!(description.contains("Kenji Sato (online)"));
            assert!(description.contains(DESCRIPTION), "{description:?}");
            assert!(
                value(props, "SUMMARY").contains("\\;"),
                "semicolons escaped"
            );
        }
    }
    // One session's file, with the same UID.
    let one = get(
        &t,
        &format!("/events/{e}/programme/sessions/{}.ics", f.workshop),
    );
    assert_eq!(one.status, StatusCode::OK);
    let cal = calendar(&one.body);
    assert_eq!(cal.events.len(), 1);
    let uid = value(&cal.events[0].properties, "UID");
    assert!(uids.contains(&uid));
    assert_eq!(
        unescape(&value(&cal.events[0].properties, "SUMMARY")),
        WORKSHOP
    );
    assert_eq!(
        get(&t, &format!("/events/{e}/programme/sessions/999999.ics")).status,
        StatusCode::NOT_FOUND
    );
    // My sessions: as a list, or as the page's checkboxes send them.
    for query in [
        format!("sessions={},{}", f.opening, f.lightning),
        format!("sessions={}&sessions={}", f.lightning, f.opening),
    ] {
        let mine = get(&t, &format!("/events/{e}/programme/my.ics?{query}"));
        assert_eq!(mine.status, StatusCode::OK);
        let cal = calendar(&mine.body);
        let mut got: Vec<String> = cal
            .events
            .iter()
            .map(|ev| value(&ev.properties, "UID"))
            .collect();
        got.sort();
        let mut want = vec![
            format!("programme-session-{}@forum.example.org", f.opening),
            format!("programme-session-{}@forum.example.org", f.lightning),
        ];
        want.sort();
        assert_eq!(got, want);
    }
    let page = get(&t, &format!("/events/{e}/programme"));
    assert!(
        page.body
            .contains(&format!("action=\"/events/{e}/programme/my.ics\""))
    );
    assert!(
        page.body
            .contains(&format!("name=\"sessions\" value=\"{}\"", f.opening))
    );
}

// ------------------------------------------------------------------ frab XML

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    n.children()
        .find(|c| c.has_tag_name(name))
        .unwrap_or_else(|| panic!("<{}> has no <{name}>", n.tag_name().name()))
}

fn text_of(n: roxmltree::Node<'_, '_>, name: &str) -> String {
    child(n, name).text().unwrap_or_default().to_owned()
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[test]
fn frab_xml_parses_with_every_field_apps_read() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Annual Forum 2026", true);
    let e = f.event;
    let v = view(&t, e);
    let list = placed(&v);
    let r = get(&t, &format!("/events/{e}/programme/schedule.xml"));
    assert_eq!(r.status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&r.body).expect("well-formed XML");
    let schedule = doc.root_element();
    assert!(schedule.has_tag_name("schedule"));
    assert!(!text_of(schedule, "version").is_empty());
    let conference = child(schedule, "conference");
    assert_eq!(text_of(conference, "acronym"), "annual-forum-2026");
    assert_eq!(text_of(conference, "title"), "Annual Forum 2026");
    assert_eq!(text_of(conference, "start"), "2026-06-23");
    assert_eq!(text_of(conference, "end"), "2026-06-24");
    assert_eq!(text_of(conference, "days"), "2");
    assert_eq!(text_of(conference, "timeslot_duration"), "00:15");
    assert_eq!(text_of(conference, "time_zone_name"), "Europe/Oslo");
    assert!(text_of(conference, "base_url").starts_with("https://forum.example.org/"));
    let days: Vec<_> = schedule
        .children()
        .filter(|c| c.has_tag_name("day"))
        .collect();
    assert_eq!(days.len(), 2);
    let mut seen = 0;
    for (i, day) in days.iter().enumerate() {
        assert_eq!(day.attribute("index"), Some((i + 1).to_string().as_str()));
        let date = day.attribute("date").expect("date");
        DateTime::parse_from_rfc3339(day.attribute("start").expect("start")).expect("start");
        DateTime::parse_from_rfc3339(day.attribute("end").expect("end")).expect("end");
        for room in day.children().filter(|c| c.has_tag_name("room")) {
            let room_name = room.attribute("name").expect("room name");
            for ev in room.children().filter(|c| c.has_tag_name("event")) {
                seen += 1;
                assert!(is_uuid(ev.attribute("guid").expect("guid")));
                let id: i64 = ev.attribute("id").expect("id").parse().expect("number");
                let p = list.iter().find(|p| p.id == id).expect("a placed session");
                let names: Vec<&str> = ev
                    .children()
                    .filter(|c| c.is_element())
                    .map(|c| c.tag_name().name())
                    .collect();
                for required in [
                    "date",
                    "start",
                    "duration",
                    "room",
                    "slug",
                    "title",
                    "subtitle",
                    "track",
                    "type",
                    "language",
                    "abstract",
                    "description",
                    "persons",
                    "links",
                    "attachments",
                ] {
                    assert!(names.contains(&required), "<event> lacks <{required}>");
                }
                let at = DateTime::parse_from_rfc3339(&text_of(ev, "date")).expect("date");
                assert_eq!(at.with_timezone(&Utc), p.starts_at);
                assert_eq!(at.offset().local_minus_utc(), 7200);
                assert_eq!(date, at.format("%Y-%m-%d").to_string());
                assert_eq!(text_of(ev, "start"), at.format("%H:%M").to_string());
                assert_eq!(text_of(ev, "duration"), "01:30");
                assert_eq!(text_of(ev, "room"), room_name);
                assert_eq!(room_name, p.room);
                assert_eq!(text_of(ev, "title"), p.title);
                assert!(text_of(ev, "slug").starts_with(&format!("annual-forum-2026-{id}-")));
                let persons: Vec<_> = child(ev, "persons")
                    .children()
                    .filter(|c| c.has_tag_name("person"))
                    .collect();
                for person in &persons {
                    let n: u32 = person.attribute("id").expect("id").parse().expect("number");
                    assert!(n > 0);
                }
                if id == f.opening {
                    assert_eq!(text_of(ev, "type"), "Main session");
                    assert_eq!(text_of(ev, "track"), "Universal access");
                    assert_eq!(text_of(ev, "language"), "English");
                    assert_eq!(text_of(ev, "description"), DESCRIPTION);
                    let who: Vec<&str> = persons.iter().filter_map(|p| p.text()).collect();
                    assert_eq!(who, ["Ana Pérez", "Kenji Sato", "Lea Fischer"]);
                }
            }
        }
    }
    assert_eq!(seen, list.len());
}

// ------------------------------------------------------------------ c3voc JSON

#[test]
fn schedule_json_has_every_field_of_the_schema() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Annual Forum 2026", true);
    let e = f.event;
    let list = placed(&view(&t, e));
    let r = get(&t, &format!("/events/{e}/programme/schedule.json"));
    assert_eq!(r.status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    let s = &doc["schedule"];
    assert!(s["version"].is_string());
    assert!(
        s["base_url"]
            .as_str()
            .expect("base_url")
            .starts_with("https://")
    );
    let c = &s["conference"];
    assert_eq!(c["acronym"], "annual-forum-2026");
    assert_eq!(c["title"], "Annual Forum 2026");
    assert_eq!(c["start"], "2026-06-23");
    assert_eq!(c["end"], "2026-06-24");
    assert_eq!(c["daysCount"], 2);
    assert_eq!(c["timeslot_duration"], "00:15");
    assert_eq!(c["time_zone_name"], "Europe/Oslo");
    let rooms = c["rooms"].as_array().expect("rooms");
    assert_eq!(rooms.len(), 2);
    for room in rooms {
        assert!(room["name"].is_string());
        assert!(is_uuid(room["guid"].as_str().expect("guid")));
    }
    let days = c["days"].as_array().expect("days");
    assert_eq!(days.len(), 2);
    let mut seen = 0;
    for (i, day) in days.iter().enumerate() {
        assert_eq!(day["index"], i + 1);
        let date = day["date"].as_str().expect("date");
        DateTime::parse_from_rfc3339(day["day_start"].as_str().expect("start")).expect("start");
        DateTime::parse_from_rfc3339(day["day_end"].as_str().expect("end")).expect("end");
        for (room, events) in day["rooms"].as_object().expect("rooms") {
            for ev in events.as_array().expect("events") {
                seen += 1;
                for key in [
                    "guid",
                    "id",
                    "date",
                    "start",
                    "duration",
                    "room",
                    "slug",
                    "title",
                    "subtitle",
                    "track",
                    "type",
                    "language",
                    "abstract",
                    "description",
                    "persons",
                    "links",
                    "attachments",
                ] {
                    assert!(ev.get(key).is_some(), "event lacks {key}");
                }
                assert!(is_uuid(ev["guid"].as_str().expect("guid")));
                let id = ev["id"].as_i64().expect("id");
                let p = list.iter().find(|p| p.id == id).expect("placed");
                let at = DateTime::parse_from_rfc3339(ev["date"].as_str().expect("date"))
                    .expect("date with offset");
                assert_eq!(at.with_timezone(&Utc), p.starts_at);
                assert_eq!(date, at.format("%Y-%m-%d").to_string());
                assert_eq!(ev["start"], at.format("%H:%M").to_string());
                assert_eq!(ev["duration"], "01:30");
                assert_eq!(ev["room"], room.as_str());
                assert_eq!(room, &p.room);
                assert_eq!(ev["title"], p.title.as_str());
                for person in ev["persons"].as_array().expect("persons") {
                    assert!(person["id"].as_u64().is_some());
                    assert!(person["public_name"].is_string());
                }
                if id == f.opening {
                    let names: Vec<&str> = ev["persons"]
                        .as_array()
                        .expect("persons")
                        .iter()
                        .filter_map(|p| p["public_name"].as_str())
                        .collect();
                    assert_eq!(names, ["Ana Pérez", "Kenji Sato", "Lea Fischer"]);
                    assert_eq!(ev["description"], DESCRIPTION);
                }
            }
        }
    }
    assert_eq!(seen, list.len());
}

// ------------------------------------------------------------------ CSV

#[test]
fn csv_is_rfc4180_with_a_bom_and_formula_safe() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Forum", true);
    let e = f.event;
    let list = placed(&view(&t, e));
    let r = get(&t, &format!("/events/{e}/programme.csv"));
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let mut reader = csv::ReaderBuilder::new().from_reader(&r.bytes[3..]);
    let headers = reader.headers().expect("header").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        plenary_app::programme_export::CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), list.len());
    for (row, p) in rows.iter().zip(&list) {
        let get = |name: &str| {
            let i = headers.iter().position(|h| h == name).expect("column");
            row.get(i).expect("cell").to_owned()
        };
        assert_eq!(get("id"), p.id.to_string());
        let local = p.starts_at.with_timezone(&oslo().tz());
        assert_eq!(get("date"), local.format("%Y-%m-%d").to_string());
        assert_eq!(get("start"), local.format("%H:%M").to_string());
        assert_eq!(get("time_zone"), "Europe/Oslo");
        assert_eq!(get("room"), p.room);
        if p.id == f.workshop {
            assert_eq!(get("title"), format!("'{WORKSHOP}"), "formula neutralised");
            assert_eq!(get("language"), "French");
        } else {
            assert_eq!(get("title"), p.title);
        }
        if p.id == f.opening {
            assert_eq!(get("description"), DESCRIPTION);
            assert_eq!(get("speakers"), "Kenji Sato (online)");
            assert_eq!(get("moderators"), "Ana Pérez");
        }
    }
    // Records end with CRLF.
    assert!(r.body.ends_with("\r\n"));
}

// ------------------------------------------------------------------ access matrix

/// The published programme the access matrix asks for: `{pub_prog_event}`,
/// `{pub_prog_session}`, `{pub_prog_speaker}`.
pub struct ProgrammePublicFixtures {
    fixture: ProgrammeFixture,
}

impl ProgrammePublicFixtures {
    pub fn path(&self, template: &str) -> String {
        template
            .replace("{pub_prog_event}", &self.fixture.event.to_string())
            .replace("{pub_prog_session}", &self.fixture.opening.to_string())
            .replace("{pub_prog_speaker}", &self.fixture.ana.replace(' ', "%20"))
    }
}

pub fn programme_public_fixtures(t: &TestApp) -> ProgrammePublicFixtures {
    ProgrammePublicFixtures {
        fixture: programme_fixture(t, "Matrix Forum", true),
    }
}
