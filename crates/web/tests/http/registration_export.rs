//! The secretariat's registration exports over HTTP: the page's links keep the
//! filters, CSV and XLSX downloads stream with the list's filters, a formula typed as
//! a name stays text, the API names a bad format, and no one else gets the file.

use crate::support::{PASSWORD, Response, TestApp};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use plenary_app::registration::{CategoryInput, EventInput, QuestionInput, RegistrationInput};
use plenary_domain::Role;
use std::collections::BTreeMap;
use tower::ServiceExt;

const BOM: &str = "\u{feff}";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const FORMULA: &str = "=cmd|' /C calc'!A0";

struct Fixture {
    event: i64,
    onsite: i64,
    online: i64,
}

/// An event (open at the test clock) with two categories and a question; Núñez and
/// the formula-named registrant onsite, Okafor online.
fn fixture(t: &TestApp) -> Fixture {
    let admin = t.admin_caller();
    let event = t
        .app
        .save_event(
            &admin,
            None,
            &EventInput {
                title: "Geneva Forum".into(),
                venue: "Palais des Nations".into(),
                time_zone: "Europe/Zurich".into(),
                starts_at: "2026-12-07T09:00".into(),
                ends_at: "2026-12-09T18:00".into(),
                registration_opens_at: "2026-01-01T00:00".into(),
                registration_closes_at: "2026-12-01T00:00".into(),
                changes_until: "2026-11-15T00:00".into(),
                public_list: true,
                ..Default::default()
            },
        )
        .expect("event")
        .id;
    let category = |name: &str, mode: &str| CategoryInput {
        name: name.into(),
        mode: mode.into(),
        capacity: String::new(),
        needs_approval: false,
    };
    let onsite = t
        .app
        .save_category(&admin, event, None, &category("Onsite", "onsite"))
        .expect("category")
        .id;
    let online = t
        .app
        .save_category(&admin, event, None, &category("Online", "online"))
        .expect("category")
        .id;
    t.app
        .add_question(
            &admin,
            event,
            &QuestionInput {
                key: "topics".into(),
                label: "Topics".into(),
                kind: "multi_choice".into(),
                required: false,
                options: "AI\nAccess\nRights".into(),
            },
        )
        .expect("question");
    let f = Fixture {
        event,
        onsite,
        online,
    };
    register(t, &f, "ana@example.org", "Núñez", onsite, &["AI", "Rights"]);
    register(t, &f, "eve@example.org", FORMULA, onsite, &[]);
    register(t, &f, "amara@example.org", "Okafor", online, &["Access"]);
    f
}

fn register(t: &TestApp, f: &Fixture, email: &str, family: &str, category: i64, topics: &[&str]) {
    let mut answers = BTreeMap::new();
    if !topics.is_empty() {
        answers.insert(
            "topics".to_owned(),
            topics.iter().map(|s| (*s).to_owned()).collect(),
        );
    }
    t.app
        .register(
            &plenary_app::Caller::anonymous(None),
            f.event,
            &RegistrationInput {
                category_id: category.to_string(),
                email: email.into(),
                family_name: family.into(),
                given_name: "Ana".into(),
                organization: "Internet Society".into(),
                country: "KE".into(),
                answers,
                listed: true,
            },
        )
        .expect("register");
}

fn header_of(r: &Response, name: header::HeaderName) -> &str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The CSV's lines after the byte-order mark (this test's cells have no line breaks).
fn csv_lines(r: &Response) -> Vec<&str> {
    let text = r.body.strip_prefix(BOM).expect("byte-order mark");
    text.strip_suffix("\r\n")
        .expect("ends with CRLF")
        .split("\r\n")
        .collect()
}

#[test]
fn the_secretariat_downloads_the_filtered_list_as_csv_and_xlsx() {
    let t = TestApp::new();
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let f = fixture(&t);
    let mut admin = t.client();
    admin.sign_in("secretariat@example.org", PASSWORD);

    // The list page links to both files with its filters.
    let page = admin.get(&format!(
        "/admin/events/{}/registrations?q=n%C3%BA&status=confirmed",
        f.event
    ));
    assert_eq!(page.status, StatusCode::OK);
    for ext in ["csv", "xlsx"] {
        let link = format!(
            "/admin/events/{}/registrations.{ext}?q=n%C3%BA&amp;status=confirmed&amp;category_id=",
            f.event
        );
        assert!(page.body.contains(&link), "{link} in {}", page.body);
    }

    // Filtered: the search finds Núñez only.
    let csv = admin.get(&format!(
        "/admin/events/{}/registrations.csv?q=n%C3%BA&status=confirmed&category_id=",
        f.event
    ));
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert_eq!(
        header_of(&csv, header::CONTENT_TYPE),
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        header_of(&csv, header::CONTENT_DISPOSITION),
        "attachment; filename=\"registrations-geneva-forum-2026-06-26.csv\""
    );
    assert_eq!(header_of(&csv, header::CACHE_CONTROL), "no-store");
    let lines = csv_lines(&csv);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("Id,Family name,Given name,E-mail address,"));
    assert!(lines[0].ends_with(",Registered at (Europe/Zurich),Checked in at (UTC),Checked in at (Europe/Zurich),Consent to the public list,Topics"));
    assert!(
        lines[1].contains(",Núñez,Ana,ana@example.org,Internet Society,KE,Kenya,Onsite,Onsite,Confirmed,,2026-06-26T08:00:00Z,2026-06-26T10:00:00+02:00,,,yes,AI; Rights"),
        "{}",
        lines[1]
    );

    // Everyone, by category: the formula typed as a name is text.
    let onsite = admin.get(&format!(
        "/admin/events/{}/registrations.csv?category_id={}",
        f.event, f.onsite
    ));
    let lines = csv_lines(&onsite);
    assert_eq!(lines.len(), 3);
    assert!(
        lines[2].contains(",'=cmd|' /C calc'!A0,Ana,eve@example.org,"),
        "{}",
        lines[2]
    );
    assert!(!onsite.body.contains(",=cmd") && !onsite.body.contains("\"=cmd"));
    assert!(!onsite.body.contains("Okafor"));

    let xlsx = admin.get(&format!(
        "/admin/events/{}/registrations.xlsx?category_id={}",
        f.event, f.online
    ));
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(header_of(&xlsx, header::CONTENT_TYPE), XLSX);
    assert_eq!(
        header_of(&xlsx, header::CONTENT_DISPOSITION),
        "attachment; filename=\"registrations-geneva-forum-2026-06-26.xlsx\""
    );
    let bytes = &xlsx.bytes;
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    assert_eq!(&bytes[bytes.len() - 22..bytes.len() - 18], b"PK\x05\x06");
    // Stored entries: the sheet's XML can be seen in the file.
    let text = String::from_utf8_lossy(bytes);
    assert!(text.contains("<t>Okafor</t>"));
    assert!(!text.contains("Núñez") && !text.contains("=cmd"));

    // A wrong filter is named on an error page.
    let bad = admin.get(&format!(
        "/admin/events/{}/registrations.csv?status=lost",
        f.event
    ));
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("status"), "{}", bad.body);
    let missing = admin.get("/admin/events/999999/registrations.xlsx");
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[test]
fn no_one_but_the_secretariat_downloads_registrations() {
    let t = TestApp::new();
    t.account("secretariat@example.org", Some(Role::Secretariat));
    t.account("member@example.org", Some(Role::Member));
    let f = fixture(&t);
    let mut anonymous = t.client();
    let r = anonymous.get(&format!("/admin/events/{}/registrations.csv", f.event));
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location()
            .is_some_and(|l| l.starts_with("/sign-in?next=")),
        "{:?}",
        r.location()
    );
    let mut member = t.client();
    member.sign_in("member@example.org", PASSWORD);
    for ext in ["csv", "xlsx"] {
        let r = member.get(&format!("/admin/events/{}/registrations.{ext}", f.event));
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(!r.body.contains("Núñez"));
    }
    let token = t.api_token("member@example.org");
    let path = format!("/api/v1/events/{}/registrations/export?format=csv", f.event);
    let r = t.api(Method::GET, &path, Some(&token), None);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        header_of(&r, header::CONTENT_TYPE),
        "application/problem+json"
    );
    let r = t.api(Method::GET, &path, None, None);
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[test]
fn the_api_exports_with_a_format_and_names_what_is_wrong() {
    let t = TestApp::new();
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let token = t.api_token("secretariat@example.org");
    let f = fixture(&t);
    let get = |query: &str| {
        t.api(
            Method::GET,
            &format!("/api/v1/events/{}/registrations/export{query}", f.event),
            Some(&token),
            None,
        )
    };
    for (query, field) in [
        ("?format=pdf", "format"),
        ("", "format"),
        ("?format=csv&stauts=confirmed", "query"),
    ] {
        let r = get(query);
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.body);
        assert_eq!(
            header_of(&r, header::CONTENT_TYPE),
            "application/problem+json"
        );
        let problem = r.json();
        assert_eq!(problem["status"], 400);
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    assert!(
        get("?format=pdf").json()["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("csv or xlsx"))
    );
    let r = get("?format=csv&status=lost");
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "status");
    let r = t.api(
        Method::GET,
        "/api/v1/events/999999/registrations/export?format=csv",
        Some(&token),
        None,
    );
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = get(&format!("?format=CSV&category_id={}", f.online));
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        header_of(&r, header::CONTENT_TYPE),
        "text/csv; charset=utf-8"
    );
    let lines = csv_lines(&r);
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains(",Okafor,"));
    let r = get("?format=xlsx&q=okafor");
    assert_eq!(header_of(&r, header::CONTENT_TYPE), XLSX);
    assert!(String::from_utf8_lossy(&r.bytes).contains(">Okafor<"));
}

/// The body arrives in several chunks, the first before the last row is read: the
/// file is never built whole in memory.
#[test]
fn a_long_export_arrives_in_chunks() {
    let t = TestApp::new();
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let token = t.api_token("secretariat@example.org");
    let f = fixture(&t);
    for n in 0..150 {
        register(
            &t,
            &f,
            &format!("p{n}@example.org"),
            &format!("Family{n:03}"),
            f.onsite,
            &["AI", "Access", "Rights"],
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut request = Request::builder()
        .uri(format!(
            "/api/v1/events/{}/registrations/export?format=xlsx",
            f.event
        ))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    request.extensions_mut().insert(ConnectInfo(
        "192.0.2.10:40000"
            .parse::<std::net::SocketAddr>()
            .expect("addr"),
    ));
    let router = t.router.clone();
    let chunks: Vec<usize> = runtime.block_on(async move {
        let response = router.oneshot(request).await.expect("response");
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get(header::CONTENT_LENGTH).is_none());
        let mut stream = response.into_body().into_data_stream();
        let mut chunks = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut stream), cx)
        })
        .await
        {
            chunks.push(chunk.expect("chunk").len());
        }
        chunks
    });
    assert!(chunks.len() >= 2, "{chunks:?}");
    assert!(
        chunks.iter().all(|&n| n <= 64 * 1024 + 8 * 1024),
        "{chunks:?}"
    );
}
