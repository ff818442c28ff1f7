//! The JSON API: bearer tokens, problem documents, the OpenAPI document.

use crate::support::TestApp;
use axum::http::{Method, StatusCode};
use plenary_domain::Role;
use serde_json::json;
use std::collections::BTreeSet;

#[test]
fn the_openapi_document_lists_exactly_the_api_routes() {
    let t = TestApp::new();
    let r = t.api(Method::GET, "/api/v1/openapi.json", None, None);
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            documented.insert((method.to_uppercase(), format!("/api/v1{path}")));
        }
    }
    let routed: BTreeSet<(String, String)> = plenary_web::routes::table()
        .routes()
        .iter()
        .filter(|(_, path)| path.starts_with("/api/"))
        .map(|(m, p)| (m.to_string(), (*p).to_owned()))
        .collect();
    assert_eq!(documented, routed);
    // One convention for operationIds (lower camel case), each used once.
    let mut ids = BTreeSet::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            let id = operation["operationId"].as_str().expect("operationId");
            assert!(
                id.starts_with(|c: char| c.is_ascii_lowercase())
                    && id.chars().all(|c| c.is_ascii_alphanumeric()),
                "operationId {id} is not lower camel case"
            );
            assert!(ids.insert(id.to_owned()), "operationId {id} is used twice");
        }
    }
    // Every $ref points at a schema that exists.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().expect("name");
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "missing schema {name}"
        );
    }
}

/// The schema of every JSON body and response follows from a Rust type: a body is a
/// closed component; a response is a component, or a list of components (`Items`,
/// `Page`), whose object schemas list the fields always sent.
#[test]
fn every_body_and_response_of_the_document_is_a_derived_type() {
    let t = TestApp::new();
    let doc = t
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .json();
    let components = doc["components"]["schemas"]
        .as_object()
        .expect("components");
    let component = |schema: &serde_json::Value| {
        let name = schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))?;
        components.get(name)
    };
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let at = format!("{method} {path}");
            if let Some(body) = operation.pointer("/requestBody/content/application~1json/schema") {
                // A body may also be `null` where it takes a record away (`Option<T>`).
                let one_of = body["anyOf"]
                    .as_array()
                    .and_then(|a| a.iter().find_map(component));
                let body = component(body)
                    .or(one_of)
                    .unwrap_or_else(|| panic!("{at}: the body is no component: {body}"));
                assert_eq!(
                    body["additionalProperties"], false,
                    "{at}: the body is open"
                );
            }
            for (status, response) in operation["responses"].as_object().expect("responses") {
                if path == "/openapi.json" {
                    continue;
                }
                let content = response["content"].as_object();
                for (media, schema) in content.into_iter().flatten() {
                    if !media.ends_with("json") {
                        continue;
                    }
                    let schema = &schema["schema"];
                    let resolved = component(schema).unwrap_or(schema);
                    let items = &resolved["properties"]["items"]["items"];
                    assert!(
                        component(schema).is_some() || component(items).is_some(),
                        "{at} {status}: the response is written by hand: {schema}"
                    );
                    assert!(
                        resolved["required"].is_array() || resolved["oneOf"].is_array(),
                        "{at} {status}: the response lists no field as always sent"
                    );
                }
            }
        }
    }
    // Every component is an object, a closed list, or a text of a known form.
    for (name, schema) in components {
        assert!(
            schema.get("type").is_some()
                || schema.get("oneOf").is_some()
                || schema.get("anyOf").is_some(),
            "{name} has no type: {schema}"
        );
    }
}

#[test]
fn the_api_needs_a_valid_token() {
    let t = TestApp::new();
    let anonymous = t.api(Method::GET, "/api/v1/me", None, None);
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/problem+json"[..])
    );
    assert_eq!(anonymous.json()["status"], 401);
    let bogus = t.api(Method::GET, "/api/v1/me", Some("plenary_0000"), None);
    assert_eq!(bogus.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        bogus.headers.get("www-authenticate").map(|v| v.as_bytes()),
        Some(&b"Bearer"[..])
    );
    t.account("ana@example.org", Some(Role::Member));
    let token = t.api_token("ana@example.org");
    let me = t.api(Method::GET, "/api/v1/me", Some(&token), None);
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], "ana@example.org");
    assert_eq!(
        me.json()["grants"],
        json!([{ "role": "member", "scope": "global" }])
    );
}

#[test]
fn bad_input_is_a_problem_document_naming_the_field() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let token = t.api_token("ana@example.org");
    let r = t.api(
        Method::POST,
        "/api/v1/users",
        Some(&token),
        Some(json!({ "email": "bad", "display_name": "", "password": "short" })),
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/problem+json"[..])
    );
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(fields, ["email", "display_name", "password"]);
    let malformed = t.api(
        Method::POST,
        "/api/v1/users",
        Some(&token),
        Some(json!({ "email": 5 })),
    );
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(
        malformed.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("invalid type")
    );
    let unknown = t.api(
        Method::POST,
        "/api/v1/users",
        Some(&token),
        Some(json!({ "emial": "x@example.org" })),
    );
    assert!(
        unknown.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("emial"),
        "{}",
        unknown.body
    );
    let bad_role = t
        .api(Method::POST, "/api/v1/users", Some(&token), Some(json!({ "email": "x@example.org", "display_name": "X", "password": "long enough pw", "grants": [{ "role": "king" }] })))
        ;
    assert_eq!(bad_role.json()["errors"][0]["field"], "role");
    assert_eq!(
        t.api(Method::GET, "/api/v1/users/abc", Some(&token), None)
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.api(Method::GET, "/api/v1/users?page=0", Some(&token), None)
            .json()["errors"][0]["field"],
        "page"
    );
    assert_eq!(
        t.api(Method::GET, "/api/v1/audit?before=x", Some(&token), None)
            .json()["errors"][0]["field"],
        "before"
    );
}

#[test]
fn the_secretariat_administers_accounts_over_the_api() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let token = t.api_token("ana@example.org");
    let body = t.directory_fixtures().body;
    let created = t
        .api(Method::POST, "/api/v1/users", Some(&token), Some(json!({ "email": "Guðrún@example.org", "display_name": "Guðrún Jónsdóttir", "password": "long enough pw", "grants": [{ "role": "chair", "scope": format!("body:{body}") }] })))
        ;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let user = created.json();
    assert_eq!(user["display_name"], "Guðrún Jónsdóttir");
    let id = user["id"].as_i64().expect("id");
    let dup = t.api(Method::POST, "/api/v1/users", Some(&token), Some(json!({ "email": "guðrún@example.org", "display_name": "G", "password": "long enough pw" })));
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup.json()["errors"][0]["message"], "is already in use");
    let granted = t.api(
        Method::POST,
        &format!("/api/v1/users/{id}/grants"),
        Some(&token),
        Some(json!({ "role": "reviewer", "scope": "global" })),
    );
    assert_eq!(granted.json()["grants"].as_array().map(Vec::len), Some(2));
    let removed = t.api(
        Method::DELETE,
        &format!("/api/v1/users/{id}/grants/chair/body:{body}"),
        Some(&token),
        None,
    );
    assert_eq!(
        removed.json()["grants"],
        json!([{ "role": "reviewer", "scope": "global" }])
    );
    let disabled = t.api(
        Method::PATCH,
        &format!("/api/v1/users/{id}"),
        Some(&token),
        Some(json!({ "disabled": true })),
    );
    assert_eq!(disabled.json()["disabled"], true);
    let list = t
        .api(
            Method::GET,
            "/api/v1/users?search=J%C3%B3ns",
            Some(&token),
            None,
        )
        .json();
    assert_eq!(list["total"], 1);
    let audit = t
        .api(
            Method::GET,
            &format!("/api/v1/audit?target_kind=user&target_id={id}"),
            Some(&token),
            None,
        )
        .json();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        ["user.disable", "grant.remove", "grant.add", "user.create"]
    );
    assert_eq!(audit["items"][0]["actor"], "ana@example.org");
}

#[test]
fn tokens_are_managed_over_the_api_and_stop_working_when_revoked() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Member));
    let token = t.api_token("ana@example.org");
    let created = t.api(
        Method::POST,
        "/api/v1/me/tokens",
        Some(&token),
        Some(json!({ "name": "ci" })),
    );
    assert_eq!(created.status, StatusCode::CREATED);
    let second = created.json()["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let id = created.json()["id"].as_i64().expect("id");
    let listed = t
        .api(Method::GET, "/api/v1/me/tokens", Some(&token), None)
        .json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2));
    assert!(
        listed.to_string().find(&second).is_none(),
        "secrets are never listed"
    );
    assert_eq!(
        t.api(
            Method::DELETE,
            &format!("/api/v1/me/tokens/{id}"),
            Some(&token),
            None
        )
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.api(Method::GET, "/api/v1/me", Some(&second), None).status,
        StatusCode::UNAUTHORIZED
    );
}

/// Probe finding 6 (issue 15): an empty scope used to create a global grant.
#[test]
fn a_grant_needs_an_explicit_known_scope() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let target = t.account("bo@example.org", Some(Role::Member));
    let token = t.api_token("ana@example.org");
    let path = format!("/api/v1/users/{target}/grants");
    for scope in [
        json!(""),
        json!("  "),
        json!("room:1"),
        json!("body:999999"),
        json!("event:999999"),
    ] {
        let r = t.api(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({ "role": "chair", "scope": scope })),
        );
        let problem = r.expect_json(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            problem["errors"][0]["field"], "scope",
            "{scope}: {}",
            r.body
        );
    }
    let missing = t.api(
        Method::POST,
        &path,
        Some(&token),
        Some(json!({ "role": "chair" })),
    );
    assert_eq!(
        missing.expect_json(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "scope"
    );
    let created = t.api(Method::POST, "/api/v1/users", Some(&token), Some(json!({ "email": "cy@example.org", "display_name": "Cy", "password": "long enough pw", "grants": [{ "role": "chair", "scope": "" }] })));
    assert_eq!(
        created.expect_json(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "scope"
    );
    let detail = t
        .api(
            Method::GET,
            &format!("/api/v1/users/{target}"),
            Some(&token),
            None,
        )
        .json();
    assert_eq!(
        detail["grants"],
        json!([{ "role": "member", "scope": "global" }])
    );
    // The explicit forms keep working.
    let body = t.directory_fixtures().body;
    for scope in ["global".to_owned(), format!("body:{body}")] {
        let r = t.api(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({ "role": "chair", "scope": scope })),
        );
        assert_eq!(r.status, StatusCode::OK, "{scope}: {}", r.body);
    }
    // The page's form too: the message beside the field, nothing granted.
    let mut admin = t.client();
    admin.sign_in("ana@example.org", crate::support::PASSWORD);
    let page = format!("/admin/users/{target}");
    let r = admin.submit(
        &page,
        &format!("{page}/grants"),
        &[("role", "reviewer"), ("scope", "")],
    );
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("write global, body:ID or event:ID"),
        "{}",
        r.body
    );
    let detail = t
        .api(
            Method::GET,
            &format!("/api/v1/users/{target}"),
            Some(&token),
            None,
        )
        .json();
    assert!(!detail["grants"].to_string().contains("reviewer"));
}

#[test]
fn bodies_are_read_as_the_openapi_document_describes_them() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let token = t.api_token("ana@example.org");
    let body = t.directory_fixtures().body;
    let id = t
        .api(Method::POST, "/api/v1/users", Some(&token), Some(json!({ "email": "bo@example.org", "display_name": "Bo", "password": "long enough pw" })))
        .json()["id"]
        .as_i64()
        .expect("id");
    let patch = |body: serde_json::Value| {
        t.api(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&token),
            Some(body),
        )
    };
    // `null` is not a boolean: refused, naming the field (it was taken for "absent").
    let null = patch(json!({ "disabled": null }));
    assert_eq!(null.status, StatusCode::BAD_REQUEST, "{}", null.body);
    assert!(
        null.json()["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("disabled:")),
        "{}",
        null.body
    );
    // A body is an object: an array is refused (a struct would read it field by field).
    assert_eq!(patch(json!([true])).status, StatusCode::BAD_REQUEST);
    // A whole number written with a decimal point is the whole number.
    let bad_person = t.api(
        Method::POST,
        &format!("/api/v1/bodies/{body}/subscriptions"),
        Some(&token),
        Some(json!({ "person_id": 1.0e15 })),
    );
    // (read as the integer 10^15: an unknown person, not a malformed body)
    assert_eq!(
        bad_person.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad_person.body
    );
    assert_eq!(bad_person.json()["errors"][0]["field"], "person_id");
    // An unknown person in the path is not found, not an invalid field.
    let unknown = t.api(
        Method::DELETE,
        &format!("/api/v1/bodies/{body}/subscriptions/999999"),
        Some(&token),
        None,
    );
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    // A page number beyond the documented maximum is refused (it overflowed, a 500).
    let far = t.api(
        Method::GET,
        "/api/v1/users?page=9223372036854775806",
        Some(&token),
        None,
    );
    assert_eq!(far.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", far.body);
    // The document says so.
    let doc = t
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .json();
    let patch_op = &doc["paths"]["/users/{id}"]["patch"];
    for code in ["400", "401", "403", "404", "413", "415", "422"] {
        assert!(
            patch_op["responses"].get(code).is_some(),
            "PATCH /users/{{id}} lacks {code}"
        );
    }
    let schema = &patch_op["requestBody"]["content"]["application/json"]["schema"];
    let name = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .expect("a component");
    assert_eq!(
        doc["components"]["schemas"][name]["additionalProperties"],
        false
    );
    assert_eq!(
        doc["components"]["schemas"][name]["properties"]["disabled"],
        json!({ "type": "boolean" })
    );
}
