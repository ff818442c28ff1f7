//! Minutes and action items over the JSON API.

use crate::support::TestApp;
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
            .expect_json(StatusCode::OK)["notes"][0]["version"],
        2,
        "circulated minutes are read"
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
    let bad = t
        .api(
            Method::POST,
            &format!("/api/v1/meetings/{}/actions", f.meeting),
            Some(&chair),
            Some(json!({ "text": "", "owner": "team:1", "due_on": "2026-06-01" })),
        )
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["text", "owner"]);
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
