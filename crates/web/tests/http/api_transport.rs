//! What every API response looks like whatever the request (probe findings 7 and 10 of
//! issue 15): errors are problem documents even when no handler ran, bodies must be
//! JSON, and HTTPS deployments send HSTS.

use crate::support::{Response, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use plenary_domain::Role;
use serde_json::json;

const HSTS: &str = "max-age=31536000; includeSubDomains";

fn content_type(r: &Response) -> &str {
    r.headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Checks that the answer is a problem document with this status.
fn assert_problem(r: &Response, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(content_type(r), "application/problem+json", "{}", r.body);
    assert_eq!(r.json()["status"], status.as_u16(), "{}", r.body);
}

fn raw(
    t: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    ct: Option<&str>,
    body: &str,
) -> Response {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(ct) = ct {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    let request = builder.body(Body::from(body.to_owned())).expect("request");
    t.send(request, "192.0.2.10:40000".parse().expect("addr"))
}

#[test]
fn an_unknown_api_path_is_a_json_404_for_every_method() {
    let t = TestApp::new();
    for method in [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
    ] {
        for path in [
            "/api/v1/no-such-thing",
            "/api/nothing",
            "/api/v1/meetings/1/nope/2",
        ] {
            let r = t.api(method.clone(), path, None, None);
            assert_problem(&r, StatusCode::NOT_FOUND);
        }
    }
    // Pages keep their HTML page.
    let page = t.api(Method::GET, "/no-such-page", None, None);
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(content_type(&page).starts_with("text/html"));
}

#[test]
fn a_wrong_method_on_an_api_path_is_a_json_405_with_allow() {
    let t = TestApp::new();
    let r = t.api(Method::DELETE, "/api/v1/me", None, None);
    assert_problem(&r, StatusCode::METHOD_NOT_ALLOWED);
    let allow = r
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(allow.contains("GET"), "Allow: {allow}");
}

#[test]
fn axum_rejections_under_the_api_are_problem_documents() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let token = t.api_token("ana@example.org");
    // A query that does not deserialize (a parameter given twice): axum's rejection.
    let r = t.api(
        Method::GET,
        "/api/v1/meetings?body=1&body=2",
        Some(&token),
        None,
    );
    assert_problem(&r, StatusCode::BAD_REQUEST);
    // A JSON body over the size limit (2 MiB) is 413, not a "malformed body".
    let big = format!("{{\"name\":\"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let r = raw(
        &t,
        Method::POST,
        "/api/v1/me/tokens",
        &token,
        Some("application/json"),
        &big,
    );
    assert_problem(&r, StatusCode::PAYLOAD_TOO_LARGE);
}

#[test]
fn a_json_route_refuses_a_body_that_is_not_json_with_415() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let token = t.api_token("ana@example.org");
    let body = json!({ "name": "laptop" }).to_string();
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let r = raw(&t, Method::POST, "/api/v1/me/tokens", &token, ct, &body);
        assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    for ct in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON;charset=UTF-8",
        "application/merge-patch+json",
    ] {
        let r = raw(
            &t,
            Method::POST,
            "/api/v1/me/tokens",
            &token,
            Some(ct),
            &body,
        );
        assert_eq!(r.status, StatusCode::CREATED, "{ct}: {}", r.body);
    }
}

#[test]
fn uploads_taking_raw_bytes_keep_working() {
    let t = TestApp::new();
    let fixtures = {
        t.account("root@example.org", Some(Role::Secretariat));
        t.directory_fixtures()
    };
    let token = t.api_token("root@example.org");
    let r = t.api_bytes(
        Method::POST,
        &format!(
            "/api/v1/meetings/{}/documents?filename=notes.txt",
            fixtures.meeting
        ),
        &token,
        b"notes".to_vec(),
    );
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[test]
fn https_deployments_send_hsts_on_every_response() {
    let t = TestApp::new();
    for path in [
        "/",
        "/api/v1/me",
        "/api/v1/no-such-thing",
        "/static/style.css",
    ] {
        let r = t.api(Method::GET, path, None, None);
        assert_eq!(
            r.headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .map(|v| v.as_bytes()),
            Some(HSTS.as_bytes()),
            "{path}"
        );
    }
    let plain = TestApp::with_base_url("http://localhost:8080");
    let r = plain.api(Method::GET, "/", None, None);
    assert!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
}
