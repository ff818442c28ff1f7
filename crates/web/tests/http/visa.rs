//! Visa invitation letters through the pages and the JSON API: the registrant asks
//! through the management link, the secretariat reads the passport details, refuses or
//! issues, and the letter downloads; the details reach no one else, no log and no other
//! export.

use crate::registration::{registration_fixtures, visa_passport};
use crate::support::{PASSWORD, TestApp, captured_logs};
use axum::http::{Method, StatusCode, header};
use plenary_domain::Role;
use serde_json::json;

const NUMBER: &str = "FX123456";

fn passport_fields() -> Vec<(&'static str, String)> {
    let p = visa_passport();
    vec![
        ("family_name", p.family_name),
        ("given_names", p.given_names),
        ("nationality", p.nationality),
        ("date_of_birth", p.date_of_birth),
        ("passport_number", p.passport_number),
        ("issued_on", p.issued_on),
        ("expires_on", p.expires_on),
        ("issued_by", p.issued_by),
        ("consulate", p.consulate),
        ("arrival_on", p.arrival_on),
        ("departure_on", p.departure_on),
    ]
}

fn no_store(r: &crate::support::Response) -> bool {
    r.headers
        .get(header::CACHE_CONTROL)
        .is_some_and(|v| v == "no-store")
}

#[test]
fn a_registrant_asks_and_the_secretariat_issues_through_the_pages() {
    let t = TestApp::new();
    let f = registration_fixtures(&t);
    // The spare registration asks through its own link (the fixture's first one has
    // asked already).
    let mut registrant = t.client();
    let manage = registrant.get(&format!("/registrations/{}", f.spare_token));
    assert!(
        manage.body.contains("Visa invitation letter"),
        "{}",
        manage.body
    );
    let page = format!("/registrations/{}/visa", f.spare_token);
    let empty = registrant.get(&page);
    assert_eq!(empty.status, StatusCode::OK);
    assert!(no_store(&empty));
    assert!(empty.body.contains("You have not asked for a letter."));
    // Wrong details: the form comes back with every problem named, as typed.
    let mut fields = passport_fields();
    fields[4].1 = "12".into();
    fields[6].1 = "2026-12-08".into();
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let wrong = registrant.submit(&page, &page, &refs);
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("The passport number must be at least 5 characters")
    );
    assert!(
        wrong.body.contains(
            "The date of expiry is not valid: the passport expires before the event ends"
        )
    );
    assert!(
        wrong
            .body
            .contains("Consulate General of Switzerland, São Paulo")
    );
    let fields = passport_fields();
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sent = registrant.submit(&page, &page, &refs);
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let shown = registrant.get(sent.location().expect("redirect"));
    assert!(shown.body.contains("Your request has been sent"));
    assert!(shown.body.contains("Requested"));
    // The registrant never sees the details again.
    assert!(!shown.body.contains(NUMBER), "{}", shown.body);

    // The secretariat: the list, the details, a refusal without reason, the letter.
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let mut admin = t.client();
    admin.sign_in("secretariat@example.org", PASSWORD);
    let list = admin.get(&format!("/admin/events/{}/visa-requests", f.event));
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("spare@example.org") && list.body.contains("first@example.org"));
    let detail_path = format!("/admin/visa-requests/{}", f.spare_registration);
    let detail = admin.get(&detail_path);
    assert!(no_store(&detail));
    assert!(detail.body.contains(NUMBER) && detail.body.contains("Brazil"));
    let refused = admin.submit(
        &detail_path,
        &format!("{detail_path}/refuse"),
        &[("reason", " ")],
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("The reason is required"));
    let issued = admin.submit(&detail_path, &format!("{detail_path}/issue"), &[]);
    assert_eq!(issued.status, StatusCode::SEE_OTHER);
    let after = admin.get(issued.location().expect("redirect"));
    assert!(after.body.contains("Letter issued") && after.body.contains("letter no. 1"));
    let letter = admin.get(&format!("{detail_path}/letter.pdf"));
    assert_eq!(letter.status, StatusCode::OK);
    assert!(letter.bytes.starts_with(b"%PDF"));
    assert!(no_store(&letter));
    // The registrant now downloads it too.
    let ready = registrant.get(&page);
    assert!(ready.body.contains("Download the letter"));
    let mine = registrant.get(&format!("/registrations/{}/visa-letter.pdf", f.spare_token));
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.bytes.starts_with(b"%PDF"));
    let disposition = mine.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii");
    assert!(disposition.contains(&format!("visa-letter-VISA-{}-0001.pdf", f.event)));
    // Nobody else gets the letter: not another registrant through their own link, not
    // a member of staff, not a visitor.
    let theirs = t
        .client()
        .get(&format!("/registrations/{}/visa-letter.pdf", f.token));
    assert!(!theirs.bytes.starts_with(b"%PDF"));
    t.account("member@example.org", Some(Role::Member));
    let mut member = t.client();
    member.sign_in("member@example.org", PASSWORD);
    for client in [&mut member, &mut t.client()] {
        let other = client.get(&format!("{detail_path}/letter.pdf"));
        assert_ne!(other.status, StatusCode::OK);
        assert!(!other.bytes.starts_with(b"%PDF"));
        let other = client.get(&format!(
            "/account/registrations/{}/visa-letter.pdf",
            f.spare_registration
        ));
        assert!(!other.bytes.starts_with(b"%PDF"));
    }
    assert!(!captured_logs().contains(NUMBER));
}

#[test]
fn the_api_keeps_passport_details_to_the_secretariat() {
    let t = TestApp::new();
    let f = registration_fixtures(&t);
    let link = format!("/api/v1/registration-links/{}/visa", f.spare_token);
    // Unknown fields and bad details are problems naming the field.
    let unknown = t.api(Method::PUT, &link, None, Some(json!({ "passport": "x" })));
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    let mut body = json!(
        passport_fields()
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>()
    );
    body["nationality"] = json!("XX");
    let bad = t.api(Method::PUT, &link, None, Some(body.clone()));
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("nationality"), "{}", bad.body);
    body["nationality"] = json!("BR");
    let asked = t.api(Method::PUT, &link, None, Some(body));
    let state = asked.expect_json(StatusCode::OK);
    assert_eq!(state["request"]["status"], "requested");
    assert!(!asked.body.contains(NUMBER));
    assert!(no_store(&asked));
    let letter = t.api(Method::GET, &format!("{link}/letter"), None, None);
    assert_eq!(letter.status, StatusCode::CONFLICT);

    // Others than the secretariat get nothing of it.
    t.account("member@example.org", Some(Role::Member));
    let member = t.api_token("member@example.org");
    let one = format!("/api/v1/visa-requests/{}", f.spare_registration);
    assert_eq!(
        t.api(Method::GET, &one, Some(&member), None).status,
        StatusCode::FORBIDDEN
    );
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let admin = t.api_token("secretariat@example.org");
    let detail = t
        .api(Method::GET, &one, Some(&admin), None)
        .expect_json(StatusCode::OK);
    assert_eq!(detail["passport"]["passport_number"], NUMBER);
    assert_eq!(detail["status"], "requested");
    let listed = t
        .api(
            Method::GET,
            &format!("/api/v1/events/{}/visa-requests?status=requested", f.event),
            Some(&admin),
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(listed["total"], 2);
    // The list carries no passport details: they are read one request at a time.
    assert!(!listed.to_string().contains(NUMBER));
    let refused = t
        .api(
            Method::POST,
            &format!("{one}/refuse"),
            Some(&admin),
            Some(json!({ "reason": "Name differs from the registration." })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(refused["status"], "refused");
    let again = t.api(Method::POST, &format!("{one}/issue"), Some(&admin), None);
    assert_eq!(again.status, StatusCode::CONFLICT);
    let first = format!("/api/v1/visa-requests/{}", f.registration);
    let issued = t
        .api(Method::POST, &format!("{first}/issue"), Some(&admin), None)
        .expect_json(StatusCode::OK);
    assert_eq!(issued["letter_number"], 1);
    let pdf = t.api(Method::GET, &format!("{first}/letter"), Some(&admin), None);
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF"));

    // The registration export never carries passport details; neither does the log.
    let export = t.api(
        Method::GET,
        &format!("/api/v1/events/{}/registrations/export?format=csv", f.event),
        Some(&admin),
        None,
    );
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.body.contains("first@example.org"));
    assert!(!export.body.contains(NUMBER));
    assert!(!captured_logs().contains(NUMBER));
}

#[test]
fn the_visa_export_downloads_for_the_secretariat_alone() {
    let t = TestApp::new();
    let f = registration_fixtures(&t);
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let mut admin = t.client();
    admin.sign_in("secretariat@example.org", PASSWORD);
    let page = admin.get(&format!("/admin/events/{}/visa-requests", f.event));
    let link = format!("/admin/events/{}/visa-requests.csv", f.event);
    assert!(page.body.contains(&link));
    let csv = admin.get(&link);
    assert_eq!(csv.status, StatusCode::OK);
    assert!(no_store(&csv));
    assert!(
        csv.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .is_ok_and(|d| d.contains("visa-requests-matrix-forum-"))
    );
    assert!(csv.body.contains(NUMBER) && csv.body.contains("first@example.org"));
    let xlsx = admin.get(&format!("/admin/events/{}/visa-requests.xlsx", f.event));
    assert!(xlsx.bytes.starts_with(b"PK\x03\x04"));
    // A member may not; the API names a bad format.
    t.account("member@example.org", Some(Role::Member));
    let member = t.api_token("member@example.org");
    let api = format!("/api/v1/events/{}/visa-requests/export", f.event);
    assert_eq!(
        t.api(
            Method::GET,
            &format!("{api}?format=csv"),
            Some(&member),
            None
        )
        .status,
        StatusCode::FORBIDDEN
    );
    let token = t.api_token("secretariat@example.org");
    let bad = t.api(
        Method::GET,
        &format!("{api}?format=ods"),
        Some(&token),
        None,
    );
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("format"));
    let ok = t.api(
        Method::GET,
        &format!("{api}?format=csv"),
        Some(&token),
        None,
    );
    assert!(ok.body.contains(NUMBER));
}
