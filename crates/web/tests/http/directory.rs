//! The directory through the pages and the JSON API.

use crate::support::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use plenary_domain::{Role, Scope};
use serde_json::json;

#[test]
fn the_public_body_page_lists_members_by_role_without_personal_data() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    let admin = t.admin_caller();
    let input = plenary_app::PersonInput {
        family_name: "Okafor".into(),
        given_name: "Amara".into(),
        email: "amara@example.org".into(),
        gender: "woman".into(),
        ..Default::default()
    };
    let chair = t.app.save_person(&admin, None, &input).expect("person").id;
    let m = plenary_app::MembershipInput {
        person_id: Some(chair),
        role: "chair".into(),
        starts_on: "2025-01-01".into(),
        ..Default::default()
    };
    t.app.add_membership(&admin, f.body, &m).expect("chair");
    let mut visitor = t.client();
    let page = visitor.get(&format!("/bodies/{}", f.body));
    assert_eq!(page.status, StatusCode::OK);
    let chair_at = page.body.find("Okafor, Amara").expect("chair listed");
    let member_at = page.body.find("Núñez, Ana").expect("member listed");
    assert!(chair_at < member_at, "the chair comes first");
    assert!(
        page.body.contains("Internet Society") && page.body.contains("Working Group on Strategy")
    );
    assert!(
        !page.body.contains("amara@example.org") && !page.body.contains("woman"),
        "no personal data in public"
    );
    assert!(
        page.body.contains("part of <a href=\"/bodies/"),
        "the parent is linked"
    );
    assert!(
        !page.body.contains("Add a member"),
        "no forms for the public"
    );
    let tree = visitor.get("/bodies");
    assert!(
        tree.body.contains("class=\"depth-1\"><a href=\"/bodies/"),
        "{}",
        tree.body
    );
    let json = t
        .api(
            Method::GET,
            &format!("/api/v1/bodies/{}", f.body),
            None,
            None,
        )
        .json();
    assert_eq!(json["members"][0]["person"]["family_name"], "Okafor");
    assert!(json["members"][0]["person"].get("email").is_none());
}

#[test]
fn the_secretariat_builds_the_directory_through_forms() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let created = c.submit(
        "/bodies",
        "/bodies",
        &[
            ("short_name", "MAG"),
            ("name", "Multistakeholder Advisory Group"),
            ("kind", "advisory_group"),
            ("parent_id", ""),
            ("mandate", "Advises on the programme."),
        ],
    );
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let body_page = created
        .location()
        .expect("to the body")
        .split('?')
        .next()
        .expect("path")
        .to_owned();
    let bad = c.submit(
        "/bodies",
        "/bodies",
        &[("short_name", "MAG"), ("name", ""), ("kind", "club")],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "kind"] {
        assert!(
            bad.body.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
    let person = c.submit(
        "/admin/people",
        "/admin/people",
        &[
            ("family_name", "Guðrúnardóttir"),
            ("given_name", "Sigríður"),
            ("country", "IS"),
            ("stakeholder_group", "government"),
            ("time_zone", "Atlantic/Reykjavik"),
        ],
    );
    assert_eq!(person.status, StatusCode::SEE_OTHER, "{}", person.body);
    let person_id = person
        .location()
        .expect("to the person")
        .split('?')
        .next()
        .and_then(|p| p.rsplit('/').next())
        .expect("id")
        .to_owned();
    let bad_person = c.submit(
        "/admin/people",
        "/admin/people",
        &[
            ("family_name", ""),
            ("given_name", ""),
            ("time_zone", "Europe/Atlantis"),
        ],
    );
    assert_eq!(bad_person.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_person.body.contains("id=\"family_name-error\"")
            && bad_person.body.contains("id=\"time_zone-error\"")
    );
    assert!(
        bad_person.body.contains("value=\"Europe/Atlantis\""),
        "typed values are kept"
    );
    let found = c.get("/admin/people?q=sigridur");
    assert!(
        found.body.contains("Guðrúnardóttir"),
        "accent-insensitive search"
    );
    let form = c.get(&body_page).body;
    assert!(
        form.contains("<datalist id=\"person-choices\">")
            && form.contains("Sigríður Guðrúnardóttir"),
        "the picker offers people by name"
    );
    let nobody = c.submit(
        &body_page,
        &format!("{body_page}/memberships"),
        &[
            ("person_id", "Nobody Atall"),
            ("role", "chair"),
            ("starts_on", "2026-01-01"),
        ],
    );
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nobody.body.contains("names no person of the directory")
            && nobody.body.contains("value=\"Nobody Atall\""),
        "{}",
        nobody.body
    );
    let added = c.submit(
        &body_page,
        &format!("{body_page}/memberships"),
        &[
            ("person_id", "sigridur gudrunardottir"),
            ("role", "chair"),
            ("starts_on", "2026-01-01"),
            ("ends_on", ""),
            ("liaison_body_id", ""),
        ],
    );
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let twice = c.submit(
        &body_page,
        &format!("{body_page}/memberships"),
        &[
            ("person_id", &person_id),
            ("role", "chair"),
            ("starts_on", "2026-03-01"),
            ("ends_on", ""),
            ("liaison_body_id", ""),
        ],
    );
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice.body.contains("already holds this role"),
        "{}",
        twice.body
    );
    let page = c.get(&body_page);
    assert!(page.body.contains("Guðrúnardóttir, Sigríður") && page.body.contains("Chair"));
}

#[test]
fn the_directory_api_validates_and_refuses_with_problem_documents() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let token = t.api_token("ana@example.org");
    let org = t.api(Method::POST, "/api/v1/organizations", Some(&token), Some(json!({ "name": "ICANN", "stakeholder_group": "technical_community", "country": "US" }))).expect_json(StatusCode::CREATED);
    assert_eq!(org["region"], "western_european_others");
    let person = t
        .api(Method::POST, "/api/v1/people", Some(&token), Some(json!({ "family_name": "Ramírez García", "given_name": "Rafael", "organization_id": org["id"], "country": "MX" })))
        .expect_json(StatusCode::CREATED);
    assert_eq!(
        (person["family_name"].as_str(), person["region"].as_str()),
        (Some("Ramírez García"), Some("latin_american_caribbean"))
    );
    let bad = t
        .api(
            Method::POST,
            "/api/v1/people",
            Some(&token),
            Some(json!({ "given_name": "X", "country": "Narnia", "time_zone": "CET+1" })),
        )
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["country", "time_zone"]);
    let body = t.api(Method::POST, "/api/v1/bodies", Some(&token), Some(json!({ "kind": "dynamic_coalition", "short_name": "DC-IoT", "name": "Dynamic Coalition on IoT" }))).expect_json(StatusCode::CREATED);
    let body_id = body["id"].as_i64().expect("id");
    let member = t
        .api(
            Method::POST,
            &format!("/api/v1/bodies/{body_id}/memberships"),
            Some(&token),
            Some(json!({ "person_id": person["id"], "role": "member", "starts_on": "2026-01-01" })),
        )
        .expect_json(StatusCode::CREATED);
    let overlap = t
        .api(Method::POST, &format!("/api/v1/bodies/{body_id}/memberships"), Some(&token), Some(json!({ "person_id": person["id"], "role": "member", "starts_on": "2025-06-01", "ends_on": "2026-02-01" })))
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(overlap["errors"][0]["field"], "starts_on");
    let ended = t
        .api(
            Method::POST,
            &format!("/api/v1/memberships/{}/end", member["id"]),
            Some(&token),
            Some(json!({ "ends_on": "2026-05-31" })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(ended["ends_on"], "2026-05-31");
    let in_use = t
        .api(
            Method::DELETE,
            &format!("/api/v1/people/{}", person["id"]),
            Some(&token),
            None,
        )
        .expect_json(StatusCode::CONFLICT);
    assert!(
        in_use["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("memberships")
    );
    let found = t
        .api(
            Method::GET,
            "/api/v1/people?search=ramirez",
            Some(&token),
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(found["total"], 1);
    let subscribed = t.api(
        Method::POST,
        &format!("/api/v1/bodies/{body_id}/subscriptions"),
        Some(&token),
        Some(json!({ "person_id": person["id"] })),
    );
    assert_eq!(subscribed.status, StatusCode::NO_CONTENT);
    let list = t
        .api(
            Method::GET,
            &format!("/api/v1/bodies/{body_id}/subscriptions"),
            Some(&token),
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    let audit = t
        .api(
            Method::GET,
            &format!("/api/v1/audit?target_kind=body&target_id={body_id}"),
            Some(&token),
            None,
        )
        .expect_json(StatusCode::OK);
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "subscription.add",
            "membership.end",
            "membership.add",
            "body.save"
        ]
    );
}

#[test]
fn a_chair_adds_members_to_their_own_body_only() {
    let t = TestApp::new();
    let f = t.directory_fixtures();
    t.account_with_grant("chair@example.org", Role::Chair, Scope::Body(f.body));
    let token = t.api_token("chair@example.org");
    let mine = t.api(
        Method::POST,
        &format!("/api/v1/bodies/{}/memberships", f.body),
        Some(&token),
        Some(json!({ "person_id": f.person, "role": "observer", "starts_on": "2026-01-01" })),
    );
    assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.body);
    let parent = t.api(
        Method::POST,
        &format!("/api/v1/bodies/{}/memberships", f.parent),
        Some(&token),
        Some(json!({ "person_id": f.person, "role": "observer", "starts_on": "2026-01-01" })),
    );
    assert_eq!(
        parent.status,
        StatusCode::FORBIDDEN,
        "a chair of a sub-body does not manage its parent"
    );
}

#[test]
fn the_secretariat_keeps_organizations_with_their_regional_group() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    let created = c.submit(
        "/admin/organizations",
        "/admin/organizations",
        &[
            ("name", "Kenya ICT Action Network"),
            ("stakeholder_group", "civil_society"),
            ("country", "KE"),
        ],
    );
    assert_eq!(created.location(), Some("/admin/organizations?done=saved"));
    let list = c.get("/admin/organizations?q=kenya");
    assert!(
        list.body.contains("Kenya ICT Action Network") && list.body.contains("African Group"),
        "{}",
        list.body
    );
    let bad = c.submit(
        "/admin/organizations",
        "/admin/organizations",
        &[("name", "Kenya ICT Action Network"), ("country", "QQ")],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"country-error\""));
    let dup = c.submit(
        "/admin/organizations",
        "/admin/organizations",
        &[("name", "Kenya ICT Action Network")],
    );
    assert!(dup.body.contains("id=\"name-error\""), "names are unique");
}

#[test]
fn country_lists_are_sorted_by_name_on_every_directory_form() {
    let t = TestApp::new();
    t.account("ana@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("ana@example.org", PASSWORD);
    for page in ["/admin/people", "/admin/organizations"] {
        let body = c.get(page).body;
        // By code Switzerland (CH) comes before Chile (CL); by name it does not.
        let at = |name: &str| {
            body.find(&format!(">{name}</option>"))
                .unwrap_or_else(|| panic!("{page} offers {name}"))
        };
        assert!(at("Chile") < at("Switzerland"), "{page} sorts by code");
    }
}
