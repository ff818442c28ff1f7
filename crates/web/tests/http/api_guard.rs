//! The API checks who may use a route before it reads the body: a caller who may not
//! use it gets the same 401 or 403 whatever they send, and never a description of the
//! body (issue 15, finding 8).

use crate::support::TestApp;
use axum::http::{Method, StatusCode};
use plenary_domain::Role;
use serde_json::json;

/// Every route that changes something, as a concrete path (ids as 1, tokens as a hex
/// string), with its method.
fn write_routes() -> Vec<(Method, String)> {
    plenary_web::routes::table()
        .routes()
        .iter()
        .filter(|(m, p)| p.starts_with("/api/") && *m != Method::GET)
        .map(|(m, p)| {
            let concrete: String = p
                .split('/')
                .map(|segment| match segment {
                    "{token}" => "00ff",
                    s if s.starts_with('{') => "1",
                    s => s,
                })
                .collect::<Vec<_>>()
                .join("/");
            (m.clone(), concrete)
        })
        .collect()
}

fn describes_the_body(body: &str) -> bool {
    body.contains("expected") || body.contains("unknown field") || body.contains("missing field")
}

#[test]
fn callers_who_may_not_use_a_route_learn_nothing_of_its_body() {
    let t = TestApp::new();
    t.account("reg@example.org", Some(Role::Registrant));
    let registrant = t.api_token("reg@example.org");
    let bad_body = json!({ "no_such_field": 1 });
    let open = [
        "/api/v1/events/1/registrations",
        "/api/v1/registration-links/00ff",
        "/api/v1/registration-links/00ff/cancel",
        "/api/v1/registration-links/00ff/visa",
        "/api/v1/sign-up",
        "/api/v1/sign-up/00ff",
    ];
    // A registrant may use these: their own tokens, submissions, bids and reviews, and
    // accepting an invitation.
    let any_account = |path: &str| {
        path.starts_with("/api/v1/me/")
            || path == "/api/v1/invitations/accept"
            || path == "/api/v1/calls/1/submissions"
            || (path.starts_with("/api/v1/submissions/")
                && !path.ends_with("/decision")
                && !path.contains("/reviewers"))
    };
    let mut checked = 0;
    for (method, path) in write_routes() {
        if open.contains(&path.as_str()) {
            continue;
        }
        let anonymous = t.api(method.clone(), &path, None, Some(bad_body.clone()));
        assert_eq!(
            anonymous.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} anonymously: {}",
            anonymous.body
        );
        assert!(
            !describes_the_body(&anonymous.body),
            "{method} {path}: {}",
            anonymous.body
        );
        if !any_account(&path) {
            let refused = t.api(
                method.clone(),
                &path,
                Some(&registrant),
                Some(bad_body.clone()),
            );
            assert_eq!(
                refused.status,
                StatusCode::FORBIDDEN,
                "{method} {path} as a registrant: {}",
                refused.body
            );
            assert!(
                !describes_the_body(&refused.body),
                "{method} {path}: {}",
                refused.body
            );
        }
        checked += 1;
    }
    assert!(checked > 80, "only {checked} routes checked");
}

#[test]
fn the_secretariat_still_learns_what_is_wrong_with_a_body() {
    let t = TestApp::new();
    t.account("sec@example.org", Some(Role::Secretariat));
    let token = t.api_token("sec@example.org");
    let r = t.api(
        Method::POST,
        "/api/v1/meetings",
        Some(&token),
        Some(json!({ "no_such_field": 1 })),
    );
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("no_such_field"), "{}", r.body);
}
