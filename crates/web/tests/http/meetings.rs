//! Meetings and agendas through the pages and the JSON API.

use crate::support::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use plenary_domain::{Role, Scope};
use serde_json::json;

#[test]
fn a_chair_builds_a_two_day_agenda_through_the_pages() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account_with_grant("chair@example.org", Role::Chair, Scope::Body(f.body));
    let mut c = t.client();
    c.sign_in("chair@example.org", PASSWORD);
    let body_page = format!("/bodies/{}", f.body);
    let bad = c.submit(
        &body_page,
        "/meetings",
        &[
            ("body_id", &f.body.to_string()),
            ("title", "Consultations"),
            ("kind", "open_consultation"),
            ("mode", "hybrid"),
            ("time_zone", "Geneva"),
            ("starts_on", "2024-06-26"),
            ("starts_time", "10:00"),
            ("ends_on", "2024-06-25"),
            ("ends_time", "18:00"),
        ],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"time_zone-error\""), "{}", bad.body);
    assert!(
        bad.body.contains("value=\"Consultations\""),
        "typed values are kept"
    );
    let created = c.submit(
        &body_page,
        "/meetings",
        &[
            ("body_id", &f.body.to_string()),
            ("title", "Open Consultations"),
            ("kind", "open_consultation"),
            ("mode", "hybrid"),
            ("venue", "Palais des Nations"),
            ("time_zone", "Europe/Zurich"),
            ("starts_on", "2024-06-26"),
            ("starts_time", "10:00"),
            ("ends_on", "2024-06-27"),
            ("ends_time", "18:00"),
            ("published", "yes"),
        ],
    );
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let edit = created
        .location()
        .expect("to the meeting's editing view")
        .split('?')
        .next()
        .expect("path")
        .to_owned();
    let page = edit
        .strip_suffix("/edit")
        .expect("the editing view")
        .to_owned();
    assert_eq!(
        c.submit(
            &page,
            &format!("{page}/rooms"),
            &[("name", "Room XXVI"), ("building", "Building E")]
        )
        .status,
        StatusCode::SEE_OTHER
    );
    for date in ["2024-06-26", "2024-06-27"] {
        let r = c.submit(
            &page,
            &format!("{page}/days"),
            &[
                ("day", date),
                ("room_id", ""),
                ("label", ""),
                ("input_documents", "Draft programme"),
                ("desired_outputs", ""),
            ],
        );
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let view = t
        .api(Method::GET, &format!("/api/v1{page}"), None, None)
        .expect_json(StatusCode::OK);
    let day1 = view["days"][0]["id"].as_i64().expect("day").to_string();
    let day2 = view["days"][1]["id"].as_i64().expect("day").to_string();
    let room = view["rooms"][0]["id"].as_i64().expect("room").to_string();
    let item = |title: &'static str, day: &str, starts: &'static str, ends: &'static str| {
        vec![
            ("day_id", day.to_owned()),
            ("parent_id", String::new()),
            ("number", String::new()),
            ("title", title.to_owned()),
            ("starts", starts.to_owned()),
            ("ends", ends.to_owned()),
            ("room_id", room.clone()),
            ("presenters", String::new()),
            (
                "interventions",
                "- Government of Lakeland\n- Free Net Alliance".to_owned(),
            ),
        ]
    };
    for (title, day, s, e) in [
        ("Opening session", &day1, "10:00", "10:30"),
        ("Stocktaking", &day1, "10:30", "12:30"),
        ("Intersessional work", &day2, "15:00", "16:00"),
    ] {
        let fields = item(title, day, s, e);
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = c.submit(&page, &format!("{page}/items"), &refs);
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let clash = item("Clash", &day1, "12:00", "13:00");
    let refs: Vec<(&str, &str)> = clash.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = c.submit(&page, &format!("{page}/items"), &refs);
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("another item is in the same room at that time")
    );
    assert!(
        refused.body.contains("value=\"Clash\""),
        "the form is shown again with what was typed"
    );
    let public = t.client().get(&page);
    assert_eq!(public.status, StatusCode::OK);
    let body = &public.body;
    let day1_at = body.find("Day 1 | Wednesday, 26 June 2024").expect("day 1");
    let day2_at = body.find("Day 2 | Thursday, 27 June 2024").expect("day 2");
    assert!(
        day1_at < body.find("Stocktaking").expect("item")
            && body.find("Stocktaking").expect("item") < day2_at
    );
    assert!(
        body.contains("10:30–12:30") && body.contains("Time (CEST, UTC+02:00)"),
        "times in the meeting's zone, labelled"
    );
    assert!(body.contains("UTC+02:00"), "the true offset is printed");
    assert!(body.contains("Government of Lakeland") && body.contains("Draft programme"));
    let elsewhere = t.client().get(&format!("{page}?tz=America/New_York"));
    assert!(
        elsewhere.body.contains("04:30–06:30") && elsewhere.body.contains("Time (EDT, UTC-04:00)"),
        "the viewer's zone"
    );
    let utc = t.client().get(&format!("{page}?tz=UTC"));
    assert!(utc.body.contains("08:30–10:30"));
    let nonsense = t.client().get(&format!("{page}?tz=Mars"));
    assert!(
        nonsense.body.contains("is not an IANA time zone") && nonsense.body.contains("10:30–12:30")
    );
}

#[test]
fn drafts_are_hidden_and_other_bodies_chairs_are_refused() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account_with_grant("chair@example.org", Role::Chair, Scope::Body(f.parent));
    let token = t.api_token("chair@example.org");
    let draft = json!({ "body_id": f.parent, "title": "Draft", "kind": "webinar", "mode": "online", "time_zone": "Africa/Nairobi", "starts_local": "2025-03-05T14:00", "ends_local": "2025-03-05T15:30" });
    let created = t
        .api(Method::POST, "/api/v1/meetings", Some(&token), Some(draft))
        .expect_json(StatusCode::CREATED);
    assert_eq!(
        created["starts_at"]["utc"], "2025-03-05T11:00:00Z",
        "Nairobi is UTC+03:00"
    );
    assert_eq!(created["starts_at"]["offset"], "+03:00");
    let id = created["id"].as_i64().expect("id");
    assert_eq!(
        t.api(Method::GET, &format!("/api/v1/meetings/{id}"), None, None)
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.client().get(&format!("/meetings/{id}")).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.api(
            Method::GET,
            &format!("/api/v1/meetings/{id}"),
            Some(&token),
            None
        )
        .status,
        StatusCode::OK
    );
    let theirs = json!({ "body_id": f.body, "title": "Not mine", "kind": "webinar", "mode": "online", "time_zone": "UTC", "starts_local": "2025-03-05T14:00", "ends_local": "2025-03-05T15:00" });
    assert_eq!(
        t.api(Method::POST, "/api/v1/meetings", Some(&token), Some(theirs))
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.api(
            Method::POST,
            &format!("/api/v1/meetings/{}/days", f.meeting),
            Some(&token),
            Some(json!({ "date": "2026-06-27" }))
        )
        .status,
        StatusCode::FORBIDDEN
    );
}

#[test]
fn the_meeting_api_builds_an_agenda_and_names_bad_fields() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account("ana@example.org", Some(Role::Secretariat));
    let token = t.api_token("ana@example.org");
    let bad = json!({ "body_id": f.body, "title": "", "kind": "webinar", "mode": "sometimes", "time_zone": "Europe/Geneva", "starts_local": "2025-03-05T14:00", "ends_local": "2025-03-05T13:00" });
    let problem = t
        .api(Method::POST, "/api/v1/meetings", Some(&token), Some(bad))
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["title", "mode", "time_zone"]);
    let backwards = json!({ "body_id": f.body, "title": "T", "kind": "webinar", "mode": "online", "time_zone": "UTC", "starts_local": "2025-03-05T14:00", "ends_local": "2025-03-05T13:00" });
    assert_eq!(
        t.api(
            Method::POST,
            "/api/v1/meetings",
            Some(&token),
            Some(backwards)
        )
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        // The API's body has one local date-time per end, and the error names it.
        "ends_local"
    );
    let m = f.meeting;
    let sub = json!({ "day_id": f.day, "parent_id": f.item, "title": "Interventions from:", "interventions": ["ISOC", "Government of Lakeland"] });
    t.api(
        Method::POST,
        &format!("/api/v1/meetings/{m}/items"),
        Some(&token),
        Some(sub),
    )
    .expect_json(StatusCode::CREATED);
    let second = json!({ "day_id": f.day, "number": "2", "title": "Stocktaking", "starts": "10:15", "ends": "11:00" });
    let second = t
        .api(
            Method::POST,
            &format!("/api/v1/meetings/{m}/items"),
            Some(&token),
            Some(second),
        )
        .expect_json(StatusCode::CREATED);
    let bad_time = json!({ "day_id": f.day, "title": "Late", "starts": "10:00", "ends": "25:10" });
    assert_eq!(
        t.api(
            Method::POST,
            &format!("/api/v1/meetings/{m}/items"),
            Some(&token),
            Some(bad_time)
        )
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "ends"
    );
    let moved = t.api(
        Method::POST,
        &format!("/api/v1/meetings/{m}/items/{}/move", second["id"]),
        Some(&token),
        Some(json!({ "direction": "up" })),
    );
    assert_eq!(moved.status, StatusCode::NO_CONTENT);
    t.api(
        Method::PUT,
        &format!("/api/v1/meetings/{m}/role-groups"),
        Some(&token),
        Some(json!({ "order": ["Secretariat", "MAG members"] })),
    );
    let view = t
        .api(Method::GET, &format!("/api/v1/meetings/{m}"), None, None)
        .expect_json(StatusCode::OK);
    let items = view["days"][0]["items"].as_array().expect("items");
    assert_eq!(items[0]["title"], "Stocktaking");
    assert_eq!(items[0]["starts_at"]["local"], "2026-06-26T10:15");
    assert_eq!(
        items[1]["subitems"][0]["interventions"],
        json!(["ISOC", "Government of Lakeland"])
    );
    assert_eq!(view["participants"][0]["role_group"], "MAG members");
    assert!(
        view["participants"][0]["people"][0].get("status").is_none(),
        "statuses are for managers"
    );
}

#[test]
fn meetings_export_to_icalendar_with_their_time_zone() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    let ics = t
        .client()
        .get(&format!("/meetings/{}/calendar.ics", f.meeting));
    assert_eq!(ics.status, StatusCode::OK);
    assert_eq!(
        ics.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/calendar; charset=utf-8")
    );
    let text = ics.body.replace("\r\n ", "");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    assert!(
        text.contains("DTSTART;TZID=Europe/Zurich:20260626T100000\r\n"),
        "{text}"
    );
    assert!(text.contains("TZID:Europe/Zurich\r\n") && text.contains("TZOFFSETTO:+0200"));
    assert!(text.contains(&format!("UID:meeting-{}@forum.example.org", f.meeting)));
    assert!(text.contains("Welcome"), "the agenda is in the description");
    let admin = t.admin_caller();
    let draft = plenary_app::MeetingInput {
        body_id: Some(f.body),
        title: "Secret draft".into(),
        kind: "webinar".into(),
        mode: "online".into(),
        time_zone: "UTC".into(),
        starts_on: "2026-07-01".into(),
        starts_time: "12:00".into(),
        ends_on: "2026-07-01".into(),
        ends_time: "13:00".into(),
        ..Default::default()
    };
    t.app.save_meeting(&admin, None, &draft).expect("draft");
    let feed = t
        .client()
        .get(&format!("/bodies/{}/calendar.ics", f.body))
        .body;
    assert_eq!(
        feed.matches("BEGIN:VEVENT").count(),
        1,
        "drafts stay out of the feed"
    );
    assert!(feed.contains("Strategy call") && !feed.contains("Secret draft"));
    assert_eq!(
        t.client().get("/bodies/99999/calendar.ics").status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn items_and_meeting_details_are_edited_through_the_pages() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let edit = format!("/meetings/{}/items/{}/edit", f.meeting, f.item);
    let form = c.get(&edit);
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("value=\"Welcome\"") && form.body.contains("value=\"10:00\""),
        "prefilled in local time"
    );
    let action = format!("/meetings/{}/items/{}", f.meeting, f.item);
    let day = f.day.to_string();
    let bad = c.submit(
        &edit,
        &action,
        &[
            ("day_id", &day),
            ("parent_id", ""),
            ("number", "1"),
            ("title", "Welcome and adoption of the agenda"),
            ("starts", "10:00"),
            ("ends", "09:00"),
            ("room_id", ""),
        ],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("id=\"ends-error\"")
            && bad
                .body
                .contains("value=\"Welcome and adoption of the agenda\"")
    );
    let ok = c.submit(
        &edit,
        &action,
        &[
            ("day_id", &day),
            ("parent_id", ""),
            ("number", "1"),
            ("title", "Welcome and adoption of the agenda"),
            ("starts", "10:00"),
            ("ends", "10:20"),
            ("room_id", ""),
        ],
    );
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = format!("/meetings/{}", f.meeting);
    assert!(
        c.get(&page)
            .body
            .contains("1. Welcome and adoption of the agenda")
    );
    let meeting = [
        ("body_id", f.body.to_string()),
        ("title", "Strategy call (moved)".into()),
        ("kind", "working_group_call".into()),
        ("mode", "online".into()),
        ("venue", String::new()),
        ("time_zone", "Asia/Kolkata".into()),
        ("starts_on", "2026-06-26".into()),
        ("starts_time", "13:30".into()),
        ("ends_on", "2026-06-26".into()),
        ("ends_time", "15:30".into()),
        ("description", String::new()),
        ("published", "yes".into()),
    ];
    let refs: Vec<(&str, &str)> = meeting.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(c.submit(&page, &page, &refs).status, StatusCode::SEE_OTHER);
    let json = t
        .api(
            Method::GET,
            &format!("/api/v1/meetings/{}", f.meeting),
            None,
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(
        (
            json["starts_at"]["utc"].as_str(),
            json["starts_at"]["offset"].as_str()
        ),
        (Some("2026-06-26T08:00:00Z"), Some("+05:30"))
    );
}

#[test]
fn the_viewers_own_time_zone_is_used_when_set() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account("ana@example.org", Some(Role::Member));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let bad = c.submit(
        "/account",
        "/account/time-zone",
        &[("time_zone", "Atlantis")],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"time_zone-error\""));
    // A city will do: "bogota" is America/Bogota.
    assert_eq!(
        c.submit("/account", "/account/time-zone", &[("time_zone", "bogota")])
            .location(),
        Some("/account?done=zone")
    );
    assert!(c.get("/account").body.contains("America/Bogota"));
    let page = c.get(&format!("/meetings/{}", f.meeting));
    assert!(
        page.body.contains("03:00–03:15") && page.body.contains("UTC-05:00, America/Bogota"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("UTC+02:00, Europe/Zurich"),
        "the meeting's own zone is still shown"
    );
}

#[test]
fn days_are_edited_and_meetings_deleted_through_the_pages() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let edit = format!("/meetings/{}/days/{}/edit", f.meeting, f.day);
    let action = format!("/meetings/{}/days/{}", f.meeting, f.day);
    let bad = c.submit(
        &edit,
        &action,
        &[
            ("day", "2026-02-30"),
            ("room_id", ""),
            ("label", "Call"),
            ("input_documents", ""),
            ("desired_outputs", ""),
        ],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"day-error\""));
    let ok = c.submit(
        &edit,
        &action,
        &[
            ("day", "2026-06-26"),
            ("room_id", ""),
            ("label", "Strategy call, part one"),
            ("input_documents", "Draft strategy"),
            ("desired_outputs", ""),
        ],
    );
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = format!("/meetings/{}", f.meeting);
    let shown = c.get(&page).body;
    assert!(shown.contains("Strategy call, part one") && shown.contains("Draft strategy"));
    // The first answer asks, saying what goes with the meeting; nothing is deleted yet.
    let asked = c.submit(&page, &format!("{page}/delete"), &[]);
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked.body.contains("Delete the meeting “Strategy call”?")
            && asked.body.contains("1 day with 1 agenda item")
            && asked.body.contains("1 participant")
            && asked.body.contains("name=\"confirmed\" value=\"yes\""),
        "{}",
        asked.body
    );
    assert_eq!(c.get(&page).status, StatusCode::OK, "still there");
    let deleted = c.submit(&page, &format!("{page}/delete"), &[("confirmed", "yes")]);
    assert_eq!(
        deleted.location(),
        Some(format!("/bodies/{}", f.body).as_str())
    );
    assert_eq!(c.get(&page).status, StatusCode::NOT_FOUND);
}

fn multipart(csrf: &str, filename: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "PlenaryTestBoundary7";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nDraft programme\r\n").as_bytes());
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"item_id\"\r\n\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn input_documents_are_uploaded_served_as_downloads_and_checked() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let page = format!("/meetings/{}", f.meeting);
    let csrf = c.get(&page).csrf();
    let pdf = b"%PDF-1.7\n% fake but fine\n";
    let (ct, body) = multipart(&csrf, "Programme – draft.pdf", pdf);
    let r = c.post_bytes(&format!("{page}/documents"), &ct, body);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = c.get(&page).body;
    assert!(shown.contains("Draft programme") && shown.contains("Programme – draft.pdf"));
    let list = t
        .api(
            Method::GET,
            &format!("/api/v1/meetings/{}/documents", f.meeting),
            None,
            None,
        )
        .expect_json(StatusCode::OK);
    let url = list["items"][0]["url"].as_str().expect("url").to_owned();
    let download = t.client().get(&url);
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_bytes(), pdf);
    assert_eq!(
        download
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let disposition = download
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename*=UTF-8''Programme%20%E2%80%93%20draft.pdf"),
        "{disposition}"
    );
    let (ct, body) = multipart(&csrf, "evil.html", b"<script>alert(1)</script>");
    let refused = c.post_bytes(&format!("{page}/documents"), &ct, body);
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("accepted: PDF"));
    let (ct, body) = multipart("wrong", "a.pdf", pdf);
    assert_eq!(
        c.post_bytes(&format!("{page}/documents"), &ct, body).status,
        StatusCode::FORBIDDEN,
        "CSRF is checked on uploads too"
    );
    let (ct, body) = multipart(
        &csrf,
        "big.pdf",
        &vec![b'x'; plenary_app::MAX_DOCUMENT_BYTES + 1],
    );
    let too_big = c.post_bytes(&format!("{page}/documents"), &ct, body);
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_big.body.contains("at most 10 MiB"));
    let huge = vec![b'x'; plenary_app::MAX_DOCUMENT_BYTES + 512 * 1024];
    let (ct, body) = multipart(&csrf, "huge.pdf", &huge);
    let refused = c.post_bytes(&format!("{page}/documents"), &ct, body);
    assert_eq!(
        refused.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "beyond the route's body limit"
    );
    let token = t.api_token("ana@example.org");
    let via_api = t.api_bytes(
        Method::POST,
        &format!(
            "/api/v1/meetings/{}/documents?filename=notes.md&item_id={}",
            f.meeting, f.item
        ),
        &token,
        b"# Notes".to_vec(),
    );
    assert_eq!(via_api.status, StatusCode::CREATED, "{}", via_api.body);
    assert_eq!(via_api.json()["item_id"], f.item);
    let id = via_api.json()["id"].as_i64().expect("id");
    assert_eq!(
        t.api(
            Method::DELETE,
            &format!("/api/v1/documents/{id}"),
            Some(&token),
            None
        )
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.client().get(&format!("/documents/{id}")).status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn rooms_are_renamed_and_removed_over_the_api() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account("ana@example.org", Some(Role::Secretariat));
    let token = t.api_token("ana@example.org");
    let m = f.meeting;
    let room = t
        .api(
            Method::POST,
            &format!("/api/v1/meetings/{m}/rooms"),
            Some(&token),
            Some(json!({ "name": "Room XXVI", "building": "E" })),
        )
        .expect_json(StatusCode::CREATED);
    let id = room["id"].as_i64().expect("id");
    let other = t
        .api(
            Method::POST,
            &format!("/api/v1/meetings/{m}/rooms"),
            Some(&token),
            Some(json!({ "name": "Room XVII" })),
        )
        .expect_json(StatusCode::CREATED);
    let dup = t
        .api(
            Method::PUT,
            &format!("/api/v1/meetings/{m}/rooms/{}", other["id"]),
            Some(&token),
            Some(json!({ "name": "Room XXVI" })),
        )
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup["errors"][0]["field"], "name");
    let renamed = t
        .api(
            Method::PUT,
            &format!("/api/v1/meetings/{m}/rooms/{id}"),
            Some(&token),
            Some(json!({ "name": "Room XX", "building": "E" })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(renamed["name"], "Room XX");
    let item = json!({ "day_id": f.day, "title": "In a room", "starts": "11:00", "ends": "12:00", "room_id": id });
    t.api(
        Method::POST,
        &format!("/api/v1/meetings/{m}/items"),
        Some(&token),
        Some(item),
    )
    .expect_json(StatusCode::CREATED);
    assert_eq!(
        t.api(
            Method::DELETE,
            &format!("/api/v1/meetings/{m}/rooms/{id}"),
            Some(&token),
            None
        )
        .status,
        StatusCode::NO_CONTENT
    );
    let view = t
        .api(Method::GET, &format!("/api/v1/meetings/{m}"), None, None)
        .expect_json(StatusCode::OK);
    assert_eq!(view["rooms"].as_array().map(Vec::len), Some(1));
    assert!(
        view["days"][0]["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["room_id"].is_null()),
        "items lose the deleted room"
    );
}

#[test]
fn a_meeting_over_three_days_exports_one_event_per_day() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    let admin = t.admin_caller();
    let retreat = plenary_app::MeetingInput {
        body_id: Some(f.body),
        title: "Autumn retreat".into(),
        kind: "advisory_group_meeting".into(),
        mode: "onsite".into(),
        time_zone: "Europe/Zurich".into(),
        starts_on: "2026-06-22".into(),
        starts_time: "09:00".into(),
        ends_on: "2026-06-24".into(),
        ends_time: "17:00".into(),
        published: true,
        ..Default::default()
    };
    let id = t
        .app
        .save_meeting(&admin, None, &retreat)
        .expect("retreat")
        .id;
    let text = t
        .client()
        .get(&format!("/meetings/{id}/calendar.ics"))
        .body
        .replace("\r\n ", "");
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 3, "{text}");
    for day in ["22", "23", "24"] {
        assert!(
            text.contains(&format!(
                "DTSTART;TZID=Europe/Zurich:202606{day}T090000\r\n"
            )) && text.contains(&format!("DTEND;TZID=Europe/Zurich:202606{day}T170000\r\n")),
            "{day}: {text}"
        );
    }
    assert!(text.contains(&format!("UID:meeting-{id}@forum.example.org\r\n")));
    assert!(text.contains(&format!("UID:meeting-{id}-day3@forum.example.org\r\n")));
    assert!(
        text.contains("SUMMARY:Autumn retreat (day 2 of 3)\r\n"),
        "{text}"
    );
    // The body's feed has the three sittings too.
    let feed = t
        .client()
        .get(&format!("/bodies/{}/calendar.ics", f.body))
        .body;
    assert!(feed.matches("Autumn retreat (day").count() == 3, "{feed}");
}
