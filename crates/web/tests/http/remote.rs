//! Remote participation through the pages and the API: the link to join a meeting or
//! an event's sessions never reaches a public page, a public export or an anonymous
//! visitor (nor a shared cache); the stream link is public; a link that is no web
//! address is refused beside its field.

use crate::programme_public::programme_fixture;
use crate::support::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode, header};
use plenary_app::remote::EventLinksInput;
use serde_json::json;

/// The secretariat's account, made by `TestApp::admin_caller` (the fixtures call it).
const ROOT: &str = "root@example.org";
const EVENT_JOIN: &str = "https://meet.jit.si/forum-2026-secret";
const EVENT_STREAM: &str = "https://live.example.org/forum-2026";
const MEETING_JOIN: &str = "https://us02web.zoom.us/j/81234567890?pwd=strategy";
const MEETING_STREAM: &str = "https://live.example.org/strategy";

/// The meeting form's fields as the secretariat sends them, with the two links.
fn meeting_fields<'a>(body: &'a str, join: &'a str, stream: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("body_id", body),
        ("title", "Strategy call"),
        ("kind", "working_group_call"),
        ("mode", "online"),
        ("venue", ""),
        ("time_zone", "Europe/Zurich"),
        ("starts_on", "2026-06-26"),
        ("starts_time", "10:00"),
        ("ends_on", "2026-06-26"),
        ("ends_time", "12:00"),
        ("description", ""),
        ("published", "yes"),
        ("join_url", join),
        ("stream_url", stream),
    ]
}

#[test]
fn a_meeting_join_link_is_for_its_managers_and_never_public() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    let m = f.meeting;
    let body = f.body.to_string();
    let mut admin = t.client();
    admin.sign_in(ROOT, PASSWORD);
    let edit = format!("/meetings/{m}/edit");
    let saved = admin.submit(
        &edit,
        &format!("/meetings/{m}"),
        &meeting_fields(&body, MEETING_JOIN, MEETING_STREAM),
    );
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // Those who manage it see it on the reading view, the form and their calendar file.
    let page = admin.get(&format!("/meetings/{m}"));
    assert!(page.body.contains("Join online"), "{}", page.body);
    assert!(
        page.body
            .contains("us02web.zoom.us/j/81234567890?pwd=strategy")
    );
    assert!(admin.get(&edit).body.contains("us02web.zoom.us"));
    let ics = admin.get(&format!("/meetings/{m}/calendar.ics"));
    assert!(ics.body.contains("CONFERENCE;VALUE=URI"), "{}", ics.body);
    assert_eq!(
        ics.headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().ok()),
        Some(Some("private, no-store")),
        "a signed-in person's calendar file stays out of shared caches"
    );

    // Nobody else, anywhere public.
    let mut anonymous = t.client();
    for path in [
        format!("/meetings/{m}"),
        format!("/meetings/{m}/calendar.ics"),
        format!("/bodies/{}/calendar.ics", f.body),
        format!("/bodies/{}", f.body),
        format!("/meetings/{m}/summary"),
        format!("/meetings/{m}/summary.md"),
        format!("/meetings/{m}/summary.txt"),
        format!("/api/v1/meetings/{m}"),
        format!("/api/v1/meetings?body_id={}", f.body),
    ] {
        let r = anonymous.get(&path);
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(!r.body.contains("zoom.us"), "{path}: {}", r.body);
    }
    // The stream is public.
    assert!(
        anonymous
            .get(&format!("/meetings/{m}"))
            .body
            .contains(MEETING_STREAM)
    );
    let api = t
        .api(Method::GET, &format!("/api/v1/meetings/{m}"), None, None)
        .expect_json(StatusCode::OK);
    assert_eq!(api["stream_url"], MEETING_STREAM);
    assert!(api.get("join_url").is_none(), "{api}");

    // A signed-in outsider does not see it either.
    t.account("outsider@example.org", None);
    let mut outsider = t.client();
    outsider.sign_in("outsider@example.org", PASSWORD);
    assert!(
        !outsider
            .get(&format!("/meetings/{m}"))
            .body
            .contains("zoom.us")
    );
    assert!(
        !outsider
            .get(&format!("/meetings/{m}/calendar.ics"))
            .body
            .contains("zoom.us")
    );
}

#[test]
fn a_link_that_is_no_web_address_is_refused_beside_its_field() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    let m = f.meeting;
    let body = f.body.to_string();
    let mut admin = t.client();
    admin.sign_in(ROOT, PASSWORD);
    let refused = admin.submit(
        &format!("/meetings/{m}/edit"),
        &format!("/meetings/{m}"),
        &meeting_fields(&body, "zoom.us/j/81234567890", ""),
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"id="join_url-error""#),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(r#"value="zoom.us/j/81234567890""#),
        "the typed text is kept"
    );

    // The API answers problem+json naming the field.
    let token = t.api_token(ROOT);
    let bad = t.api(
        Method::PUT,
        &format!("/api/v1/meetings/{m}"),
        Some(&token),
        Some(json!({
            "body_id": f.body,
            "title": "Strategy call",
            "kind": "working_group_call",
            "mode": "online",
            "time_zone": "Europe/Zurich",
            "starts_local": "2026-06-26T10:00",
            "ends_local": "2026-06-26T12:00",
            "published": true,
            "join_url": "javascript:alert(1)",
        })),
    );
    assert_eq!(
        bad.headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().ok()),
        Some(Some("application/problem+json"))
    );
    assert_eq!(
        bad.expect_json(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "join_url"
    );

    // The event's own links, on the event's page.
    let fixture = programme_fixture(&t, "Forum 2026", true);
    let refused = admin.submit(
        &format!("/admin/events/{}", fixture.event),
        &format!("/admin/events/{}/links", fixture.event),
        &[("join_url", "meet.jit.si/forum"), ("stream_url", "")],
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(r#"id="join_url-error""#));
    assert!(refused.body.contains(r#"value="meet.jit.si/forum""#));
    let saved = admin.submit(
        &format!("/admin/events/{}", fixture.event),
        &format!("/admin/events/{}/links", fixture.event),
        &[("join_url", EVENT_JOIN), ("stream_url", EVENT_STREAM)],
    );
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = admin.get(&format!("/admin/events/{}", fixture.event));
    assert!(page.body.contains(EVENT_JOIN));
}

#[test]
fn programme_join_links_stay_out_of_public_pages_exports_and_caches() {
    let t = TestApp::new();
    let f = programme_fixture(&t, "Forum 2026", true);
    let e = f.event;
    t.app
        .set_event_links(
            &t.admin_caller(),
            e,
            &EventLinksInput {
                join_url: EVENT_JOIN.into(),
                stream_url: EVENT_STREAM.into(),
            },
        )
        .expect("links");
    let mine = format!(
        "/events/{e}/programme/my.ics?sessions={},{}",
        f.opening, f.workshop
    );
    let public_paths = [
        format!("/events/{e}"),
        format!("/events/{e}/programme"),
        format!("/events/{e}/programme/sessions/{}", f.opening),
        format!("/events/{e}/programme/sessions/{}.ics", f.opening),
        format!(
            "/events/{e}/programme/speakers/{}",
            f.ana.replace(' ', "%20")
        ),
        format!("/events/{e}/programme.ics"),
        format!("/events/{e}/programme.csv"),
        format!("/events/{e}/programme/schedule.xml"),
        format!("/events/{e}/programme/schedule.json"),
        format!("/api/v1/events/{e}/programme/public"),
        mine.clone(),
    ];
    let mut anonymous = t.client();
    let check_public = |anonymous: &mut crate::support::Client<'_>| {
        for path in &public_paths {
            let r = anonymous.get(path);
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert!(!r.body.contains("meet.jit.si"), "{path}: {}", r.body);
        }
    };
    check_public(&mut anonymous);

    // The secretariat, signed in, gets its own copy of "my sessions" with the links,
    // never kept for others.
    let mut admin = t.client();
    admin.sign_in(ROOT, PASSWORD);
    let own = admin.get(&mine);
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains(EVENT_JOIN), "{}", own.body);
    assert!(own.body.contains("CONFERENCE;VALUE=URI"));
    assert_eq!(
        own.headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().ok()),
        Some(Some("no-store"))
    );
    check_public(&mut anonymous);

    // A signed-in visitor without an entitling registration gets the public file.
    t.account("visitor@example.org", None);
    let mut visitor = t.client();
    visitor.sign_in("visitor@example.org", PASSWORD);
    assert!(!visitor.get(&mine).body.contains("meet.jit.si"));
}
