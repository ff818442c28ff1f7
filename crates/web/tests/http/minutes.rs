//! Minutes and action items over the JSON API.

use crate::support::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use plenary_domain::{Role, Scope};
use serde_json::json;

#[test]
fn a_stale_note_is_refused_with_the_newer_text_and_actions_reach_the_dashboard() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account_with_grant("chair@example.org", Role::Chair, Scope::Body(f.body));
    let chair = t.api_token("chair@example.org");
    t.account("member@example.org", Some(Role::Member));
    let member = t.api_token("member@example.org");
    let note = format!("/api/v1/meetings/{}/items/{}/note", f.meeting, f.item);
    let v1 = t
        .api(
            Method::PUT,
            &note,
            Some(&chair),
            Some(json!({ "base_version": 0, "text": "Opened by the Chair." })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(v1["version"], 1);
    t.api(
        Method::PUT,
        &note,
        Some(&chair),
        Some(json!({ "base_version": 1, "text": "Opened by the Chair; agenda adopted." })),
    )
    .expect_json(StatusCode::OK);
    let stale = t
        .api(
            Method::PUT,
            &note,
            Some(&chair),
            Some(json!({ "base_version": 1, "text": "My older edit" })),
        )
        .expect_json(StatusCode::CONFLICT);
    assert_eq!(
        (
            stale["current_version"].as_i64(),
            stale["current_text"].as_str()
        ),
        (Some(2), Some("Opened by the Chair; agenda adopted."))
    );
    let minutes = format!("/api/v1/meetings/{}/minutes", f.meeting);
    assert_eq!(
        t.api(Method::GET, &minutes, Some(&member), None)
            .expect_json(StatusCode::OK)["notes"]
            .as_array()
            .map(Vec::len),
        Some(0),
        "drafts stay with the chair"
    );
    t.api(
        Method::PUT,
        &format!("{minutes}/state"),
        Some(&chair),
        Some(json!({ "state": "circulated" })),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(
        t.api(Method::GET, &minutes, None, None)
            .expect_json(StatusCode::OK)["notes"]
            .as_array()
            .map(Vec::len),
        Some(0),
        "circulated minutes go to the body's members, not yet the public"
    );
    let approved = t
        .api(
            Method::PUT,
            &format!("{minutes}/state"),
            Some(&chair),
            Some(json!({ "state": "approved" })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(approved["state"], "approved", "the chair approves");
    assert_eq!(
        t.api(Method::GET, &minutes, None, None)
            .expect_json(StatusCode::OK)["notes"][0]["version"],
        2,
        "approved minutes are public"
    );
    let bad = t
        .api(
            Method::POST,
            &format!("/api/v1/meetings/{}/actions", f.meeting),
            Some(&chair),
            Some(json!({ "text": "", "owner": "person:999999", "due_on": "2026-06-01" })),
        )
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["text", "owner", "due_on"], "every problem at once");
    let action = t
        .api(Method::POST, &format!("/api/v1/meetings/{}/actions", f.meeting), Some(&chair), Some(json!({ "item_id": f.item, "text": "Finalize the work plan by 30 June.", "owner": format!("person:{}", f.person), "due_on": "2026-06-30" })))
        .expect_json(StatusCode::CREATED);
    let open = t
        .api(
            Method::GET,
            &format!("/api/v1/actions?owner=person:{}&status=open", f.person),
            Some(&member),
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(
        open["items"][0]["text"],
        "Finalize the work plan by 30 June."
    );
    assert_eq!(
        t.api(
            Method::GET,
            "/api/v1/actions?owner=nobody",
            Some(&member),
            None
        )
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "owner"
    );
    let done = t
        .api(
            Method::POST,
            &format!("/api/v1/actions/{}/status", action["id"]),
            Some(&chair),
            Some(json!({ "status": "done", "in_meeting": f.meeting, "note": "Plan circulated." })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(done["status"], "done");
    let all = t
        .api(
            Method::GET,
            &format!("/api/v1/actions?meeting={}", f.meeting),
            Some(&member),
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(all["items"][0]["follow_ups"][0]["note"], "Plan circulated.");
    assert_eq!(
        t.api(Method::GET, "/api/v1/actions", None, None).status,
        StatusCode::UNAUTHORIZED
    );
}

#[test]
fn two_editors_of_one_note_lose_nothing_and_actions_reach_the_dashboard_page() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut ana = t.client();
    let mut bo = t.client();
    ana.sign_in("ana@example.org", crate::support::PASSWORD);
    bo.sign_in("ana@example.org", crate::support::PASSWORD);
    let page = format!("/meetings/{}", f.meeting);
    let action = format!("{page}/items/{}/note", f.item);
    // Both open the page at version 0.
    let ana_csrf = ana.get(&page).csrf();
    let bo_csrf = bo.get(&page).csrf();
    let first = ana.post_raw(
        &action,
        &[
            ("csrf", &ana_csrf),
            ("base_version", "0"),
            ("text", "Ana's notes on the updates."),
        ],
    );
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = bo.post_raw(
        &action,
        &[
            ("csrf", &bo_csrf),
            ("base_version", "0"),
            ("text", "Bo's notes, typed at the same time."),
        ],
    );
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(
        second.body.contains("Ana&#39;s notes on the updates.")
            || second.body.contains("Ana&#x27;s notes on the updates."),
        "the newer text is shown: {}",
        second.body
    );
    assert!(
        second
            .body
            .contains("Bo&#39;s notes, typed at the same time.")
            || second
                .body
                .contains("Bo&#x27;s notes, typed at the same time."),
        "and the visitor's own text is kept"
    );
    assert!(
        second.body.contains("name=\"base_version\" value=\"1\""),
        "saving again builds on the newer version"
    );
    let csrf = bo.get(&page).csrf();
    let added = bo.post_raw(
        &format!("{page}/actions"),
        &[
            ("csrf", &csrf),
            ("item_id", &f.item.to_string()),
            ("text", "Send the draft to the MAG."),
            ("owner", "secretariat"),
            ("due_on", "2026-07-15"),
        ],
    );
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let bad = bo.post_raw(
        &format!("{page}/actions"),
        &[
            ("csrf", &csrf),
            ("item_id", ""),
            ("text", ""),
            ("owner", "secretariat"),
            ("due_on", "2026-01-01"),
        ],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let dashboard = bo.get("/actions?owner=secretariat&status=open");
    assert!(
        dashboard.body.contains("Send the draft to the MAG.")
            && dashboard
                .body
                .contains("<td>Secretariat</td><td>1</td><td>0</td>"),
        "{}",
        dashboard.body
    );
    let id = t
        .api(
            Method::GET,
            "/api/v1/actions?owner=secretariat",
            Some(&t.api_token("ana@example.org")),
            None,
        )
        .expect_json(StatusCode::OK)["items"][0]["id"]
        .as_i64()
        .expect("id");
    let csrf = bo.get("/actions").csrf();
    let done = bo.post_raw(
        &format!("/actions/{id}/status"),
        &[
            ("csrf", &csrf),
            ("status", "done"),
            ("in_meeting", ""),
            ("back", "/actions"),
        ],
    );
    assert_eq!(done.location(), Some("/actions?done=saved"));
    assert!(
        bo.get("/actions?owner=secretariat&status=open")
            .body
            .contains("No open actions.")
    );
}

#[test]
fn the_summary_is_served_and_open_actions_carry_over_to_the_next_meeting() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account("ana@example.org", Some(Role::Secretariat));
    let token = t.api_token("ana@example.org");
    let m = f.meeting;
    t.api(
        Method::PUT,
        &format!("/api/v1/meetings/{m}/items/{}/note", f.item),
        Some(&token),
        Some(json!({ "base_version": 0, "text": "The Chair opened the call." })),
    )
    .expect_json(StatusCode::OK);
    t.api(Method::POST, &format!("/api/v1/meetings/{m}/actions"), Some(&token), Some(json!({ "item_id": f.item, "text": "Circulate the strategy draft", "owner": "secretariat" }))).expect_json(StatusCode::CREATED);
    let draft = t.client().get(&format!("/meetings/{m}/summary.md"));
    assert_eq!(draft.status, StatusCode::OK);
    assert!(
        !draft.body.contains("The Chair opened the call."),
        "draft notes are not public"
    );
    t.api(
        Method::PUT,
        &format!("/api/v1/meetings/{m}/minutes/state"),
        Some(&token),
        Some(json!({ "state": "circulated" })),
    )
    .expect_json(StatusCode::OK);
    t.api(
        Method::PUT,
        &format!("/api/v1/meetings/{m}/minutes/state"),
        Some(&token),
        Some(json!({ "state": "approved" })),
    )
    .expect_json(StatusCode::OK);
    let md = t.client().get(&format!("/meetings/{m}/summary.md"));
    assert_eq!(
        md.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("text/markdown; charset=utf-8")
    );
    assert!(
        md.body.contains("- The Chair opened the call.")
            && md
                .body
                .contains("**Circulate the strategy draft — Secretariat**"),
        "{}",
        md.body
    );
    let txt = t.api(
        Method::GET,
        &format!("/api/v1/meetings/{m}/summary?format=txt"),
        None,
        None,
    );
    assert!(
        txt.body.contains("Núñez\tAna"),
        "participants as family<TAB>given: {}",
        txt.body
    );
    // The PDF and the standalone HTML document are what their type says.
    let pdf = t.api(
        Method::GET,
        &format!("/api/v1/meetings/{m}/summary?format=pdf"),
        None,
        None,
    );
    assert_eq!(
        pdf.headers[axum::http::header::CONTENT_TYPE],
        "application/pdf"
    );
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let html = t.api(
        Method::GET,
        &format!("/api/v1/meetings/{m}/summary?format=html"),
        None,
        None,
    );
    assert!(
        html.headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .is_ok_and(|v| v.starts_with("text/html"))
    );
    assert!(html.body.starts_with("<!doctype html>") && html.body.contains("Núñez"));
    assert_eq!(
        t.api(
            Method::GET,
            &format!("/api/v1/meetings/{m}/summary?format=docx"),
            None,
            None
        )
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "format"
    );
    // The next meeting of the body takes the open actions into its agenda.
    let next = json!({ "body_id": f.body, "title": "Next call", "kind": "working_group_call", "mode": "online", "time_zone": "UTC", "starts_local": "2026-09-01T10:00", "ends_local": "2026-09-01T11:00", "published": true });
    let next = t
        .api(Method::POST, "/api/v1/meetings", Some(&token), Some(next))
        .expect_json(StatusCode::CREATED)["id"]
        .as_i64()
        .expect("id");
    let day = t
        .api(
            Method::POST,
            &format!("/api/v1/meetings/{next}/days"),
            Some(&token),
            Some(json!({ "date": "2026-09-01" })),
        )
        .expect_json(StatusCode::CREATED)["id"]
        .as_i64()
        .expect("day");
    let carried = t
        .api(
            Method::POST,
            &format!("/api/v1/meetings/{next}/carry-over"),
            Some(&token),
            Some(json!({ "day_id": day })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(carried["carried_over"], 1);
    let view = t
        .api(Method::GET, &format!("/api/v1/meetings/{next}"), None, None)
        .expect_json(StatusCode::OK);
    let item = &view["days"][0]["items"][0];
    assert_eq!(item["title"], "Review of open actions");
    assert_eq!(
        item["interventions"],
        json!(["Circulate the strategy draft — Secretariat"])
    );
    assert_eq!(
        t.api(
            Method::POST,
            &format!("/api/v1/meetings/{m}/carry-over"),
            Some(&token),
            Some(json!({ "day_id": f.day }))
        )
        .status,
        StatusCode::CONFLICT,
        "no earlier meeting"
    );
}

#[test]
fn an_action_form_refused_is_shown_again_with_its_messages_and_what_was_typed() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account("sec@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("sec@example.org", PASSWORD);
    let page = format!("/meetings/{}/edit", f.meeting);
    let action = format!("/meetings/{}/actions", f.meeting);
    let item = f.item.to_string();
    let refused = c.submit(
        &page,
        &action,
        &[
            ("item_id", item.as_str()),
            ("text", "Draft the terms of reference"),
            ("owner", "Friends of the Chair"),
            ("due_on", "2020-01-01"),
        ],
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("The due date is before the meeting")
            || refused.body.contains("the due date is before the meeting"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("value=\"Draft the terms of reference\"")
            && refused.body.contains("value=\"Friends of the Chair\"")
            && refused.body.contains("value=\"2020-01-01\""),
        "what was typed is kept"
    );
    let saved = c.submit(
        &page,
        &action,
        &[
            ("item_id", item.as_str()),
            ("text", "Draft the terms of reference"),
            ("owner", "Friends of the Chair"),
            ("due_on", ""),
        ],
    );
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let shown = c.get(&page).body;
    assert!(
        shown.contains("Friends of the Chair (not in the directory)"),
        "kept as written and marked: {shown}"
    );
    assert!(
        shown.contains("<datalist id=\"owner-choices\">")
            && shown.contains("Ana Núñez (Internet Society)")
    );
    let by_name = c.submit(
        &page,
        &action,
        &[
            ("item_id", item.as_str()),
            ("text", "Circulate the draft"),
            ("owner", "ana nunez"),
        ],
    );
    assert_eq!(by_name.status, StatusCode::SEE_OTHER);
    let list = c.get("/actions?owner=Ana+N%C3%BA%C3%B1ez").body;
    assert!(
        list.contains("Circulate the draft") && !list.contains("Draft the terms of reference"),
        "filtered by name: {list}"
    );
    assert!(
        list.contains("Strategy call") && !list.contains(">#"),
        "meetings by title"
    );
    let unknown = c.get("/actions?owner=Nobody+Here").body;
    assert!(unknown.contains("names no person or body"), "{unknown}");
}
