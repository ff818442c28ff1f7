//! Event registration through the pages and the JSON API: registering as anyone, the
//! waiting list, the management link, the secretariat's list and check-in.

use crate::support::{Client, PASSWORD, Response, TestApp, captured_logs};
use axum::http::{Method, StatusCode};
use chrono::Duration;
use plenary_app::registration::{CategoryInput, EventInput, QuestionInput, RegistrationInput};
use plenary_domain::Role;
use serde_json::json;
use std::collections::BTreeMap;

/// An event whose registration is open at the test clock (26 June 2026, 08:00 UTC,
/// 10:00 in Geneva).
pub struct RegistrationFixtures {
    pub event: i64,
    pub category: i64,
    pub question: i64,
    pub spare_question: i64,
    pub registration: i64,
    pub token: String,
    pub spare_registration: i64,
    pub spare_token: String,
}

fn event_input(title: &str) -> EventInput {
    EventInput {
        title: title.into(),
        venue: "Palais des Nations".into(),
        time_zone: "Europe/Zurich".into(),
        starts_at: "2026-12-07T09:00".into(),
        ends_at: "2026-12-09T18:00".into(),
        registration_opens_at: "2026-01-01T00:00".into(),
        registration_closes_at: "2026-12-01T00:00".into(),
        changes_until: "2026-11-15T00:00".into(),
        public_list: true,
        visa_letters: true,
        visa_retention_days: String::new(),
    }
}

fn category_input(name: &str, capacity: &str, needs_approval: bool) -> CategoryInput {
    CategoryInput {
        name: name.into(),
        mode: "onsite".into(),
        capacity: capacity.into(),
        needs_approval,
    }
}

fn person(email: &str, family: &str, category: i64) -> RegistrationInput {
    let mut answers = BTreeMap::new();
    answers.insert("diet".to_owned(), vec!["vegetarian".to_owned()]);
    RegistrationInput {
        category_id: category.to_string(),
        email: email.into(),
        family_name: family.into(),
        given_name: "Ana".into(),
        organization: "ISOC".into(),
        country: "KE".into(),
        answers,
        listed: true,
    }
}

/// An event with an unlimited category, two questions and two registrations (through
/// the app), for the access matrix.
pub fn registration_fixtures(t: &TestApp) -> RegistrationFixtures {
    let admin = t.admin_caller();
    let event = t
        .app
        .save_event(&admin, None, &event_input("Matrix Forum"))
        .expect("event")
        .id;
    let category = t
        .app
        .save_category(&admin, event, None, &category_input("Onsite", "", false))
        .expect("category")
        .id;
    let question = |key: &str| QuestionInput {
        key: key.into(),
        label: format!("Question {key}"),
        kind: "text".into(),
        required: false,
        options: String::new(),
    };
    let question_id = t
        .app
        .add_question(&admin, event, &question("org_role"))
        .expect("question")
        .id;
    let spare_question = t
        .app
        .add_question(&admin, event, &question("spare"))
        .expect("question")
        .id;
    let anonymous = plenary_app::Caller::anonymous(None);
    let first = t
        .app
        .register(
            &anonymous,
            event,
            &person("first@example.org", "First", category),
        )
        .expect("register");
    let spare = t
        .app
        .register(
            &anonymous,
            event,
            &person("spare@example.org", "Spare", category),
        )
        .expect("register");
    let token = first.manage_token.expect("token");
    t.app
        .request_visa_letter(plenary_app::visa::Holder::Token(&token), &visa_passport())
        .expect("visa request");
    RegistrationFixtures {
        event,
        category,
        question: question_id,
        spare_question,
        registration: first.registration.id,
        token,
        spare_registration: spare.registration.id,
        spare_token: spare.manage_token.expect("token"),
    }
}

/// Passport details that fit the events of these tests (7–9 December 2026).
pub fn visa_passport() -> plenary_domain::visa::PassportInput {
    plenary_domain::visa::PassportInput {
        family_name: "First".into(),
        given_names: "Ana Maria".into(),
        nationality: "BR".into(),
        date_of_birth: "1990-02-03".into(),
        passport_number: "FX123456".into(),
        issued_on: "2021-05-06".into(),
        expires_on: "2031-05-05".into(),
        issued_by: "Polícia Federal, Brasília".into(),
        consulate: "Consulate General of Switzerland, São Paulo".into(),
        arrival_on: "2026-12-06".into(),
        departure_on: "2026-12-10".into(),
    }
}

/// Ana takes the one seat of `small_event`, Ben waits.
fn seated_and_waiting(
    t: &TestApp,
    event: i64,
    category: i64,
) -> (plenary_app::Registration, plenary_app::Registration) {
    let anonymous = plenary_app::Caller::anonymous(None);
    let register = |email: &str, family: &str| {
        t.app
            .register(&anonymous, event, &person(email, family, category))
            .expect("register")
            .registration
    };
    let seated = register("ana@example.org", "Núñez");
    (seated, register("ben@example.org", "Okafor"))
}

/// An event with one seat and a required choice question.
fn small_event(t: &TestApp) -> (i64, i64) {
    let admin = t.admin_caller();
    let event = t
        .app
        .save_event(&admin, None, &event_input("Geneva Forum"))
        .expect("event")
        .id;
    let category = t
        .app
        .save_category(&admin, event, None, &category_input("Onsite", "1", false))
        .expect("category")
        .id;
    t.app
        .add_question(
            &admin,
            event,
            &QuestionInput {
                key: "diet".into(),
                label: "Dietary needs".into(),
                kind: "choice".into(),
                required: true,
                options: "none\nvegetarian\nhalal".into(),
            },
        )
        .expect("question");
    (event, category)
}

fn register_on_page(
    c: &mut Client<'_>,
    event: i64,
    category: i64,
    email: &str,
    family: &str,
    diet: &str,
) -> Response {
    let page = format!("/events/{event}");
    let category = category.to_string();
    c.submit(
        &page,
        &format!("{page}/register"),
        &[
            ("category_id", category.as_str()),
            ("email", email),
            ("family_name", family),
            ("given_name", "Ana"),
            ("organization", "Internet Society"),
            ("country", "KE"),
            ("q.diet", diet),
            ("listed", "yes"),
        ],
    )
}

/// The management token from a redirect to `/registrations/{token}?done=registered`.
fn token_of(r: &Response) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.location().expect("location");
    location
        .strip_prefix("/registrations/")
        .and_then(|rest| rest.strip_suffix("?done=registered"))
        .unwrap_or_else(|| panic!("unexpected redirect {location}"))
        .to_owned()
}

fn secretariat(t: &TestApp) -> Client<'_> {
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    let signed = c.sign_in("secretariat@example.org", PASSWORD);
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    c
}

#[test]
fn a_visitor_registers_through_the_page_and_manages_the_registration() {
    let t = TestApp::new();
    let mut admin = secretariat(&t);
    let (event, category) = small_event(&t);

    let mut ana = t.client();
    let page = ana.get(&format!("/events/{event}"));
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1 of 1 seats left"), "{}", page.body);
    assert!(
        page.body
            .contains("Monday 7 December 2026, 09:00 – Wednesday 9 December 2026, 18:00 CET (UTC+01:00, Europe/Zurich)"),
        "times in the event's zone with the offset: {}",
        page.body
    );
    assert!(
        page.body.contains("name=\"q.diet\"")
            && page.body.contains("List me on the public participant list")
    );

    // A missing answer: the form comes back with the question named and the input kept.
    let refused = register_on_page(&mut ana, event, category, "ana@example.org", "Núñez", "");
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Dietary needs: is required"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"Núñez\""));

    let done = register_on_page(
        &mut ana,
        event,
        category,
        "ana@example.org",
        "Núñez",
        "vegetarian",
    );
    let ana_token = token_of(&done);
    let manage = ana.get(done.location().expect("location"));
    assert_eq!(manage.status, StatusCode::OK);
    assert!(manage.body.contains("your registration has been received"));
    assert!(
        manage
            .body
            .contains("<strong id=\"status\">Confirmed</strong>"),
        "{}",
        manage.body
    );
    let badge = manage
        .body
        .split("<code id=\"badge-code\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("a badge code")
        .to_owned();
    assert_eq!(badge.len(), 10);
    assert!(manage.body.contains("vegetarian"));

    // The category is full now: the next person waits.
    let full = t.client().get(&format!("/events/{event}"));
    assert!(full.body.contains("full: waiting list"));
    let mut ben = t.client();
    let waiting = register_on_page(
        &mut ben,
        event,
        category,
        "ben@example.org",
        "Okafor",
        "none",
    );
    let ben_token = token_of(&waiting);
    let ben_page = ben.get(&format!("/registrations/{ben_token}"));
    assert!(ben_page.body.contains("On the waiting list"));
    assert!(
        ben_page
            .body
            .contains("you are number 1 on the waiting list"),
        "{}",
        ben_page.body
    );
    assert!(
        !ben_page.body.contains("badge-code"),
        "no badge while waiting"
    );

    // The same address again (another browser, another case): nothing changes, nothing is told.
    let mut stranger = t.client();
    let again = register_on_page(
        &mut stranger,
        event,
        category,
        "ANA@example.org",
        "Someone",
        "none",
    );
    assert_eq!(again.status, StatusCode::OK);
    assert!(
        again.body.contains("You had registered already"),
        "{}",
        again.body
    );
    assert!(
        !again.body.contains(&badge)
            && !again.body.contains("Núñez")
            && !again.body.contains("Confirmed")
    );

    // Changes through the management link.
    let path = format!("/registrations/{ana_token}");
    let saved = ana.submit(
        &path,
        &path,
        &[
            ("family_name", "Núñez"),
            ("given_name", "Ana María"),
            ("organization", "Civil Society Network"),
            ("country", "AR"),
            ("q.diet", "halal"),
        ],
    );
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location(),
        Some(format!("{path}?done=saved").as_str())
    );
    let changed = ana.get(saved.location().expect("location"));
    assert!(changed.body.contains("Your changes have been saved."));
    assert!(
        changed.body.contains("Ana María Núñez") && changed.body.contains("Civil Society Network")
    );
    assert!(changed.body.contains("Argentina") && changed.body.contains("halal"));
    let bad = ana.submit(&path, &path, &[("family_name", ""), ("given_name", "")]);
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("The family name is required"),
        "{}",
        bad.body
    );

    // Cancelling frees the seat for the waiting list's head.
    let cancelled = ana.submit(&path, &format!("{path}/cancel"), &[]);
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let after = ana.get(&path);
    assert!(
        after
            .body
            .contains("<strong id=\"status\">Cancelled</strong>")
    );
    assert!(
        !after.body.contains("Cancel my registration"),
        "nothing more to change"
    );
    let promoted = ben.get(&format!("/registrations/{ben_token}"));
    assert!(
        promoted
            .body
            .contains("<strong id=\"status\">Confirmed</strong>"),
        "{}",
        promoted.body
    );
    let list = admin.get(&format!(
        "/admin/events/{event}/registrations?status=confirmed"
    ));
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Okafor, Ana") && !list.body.contains("Núñez"),
        "{}",
        list.body
    );
    assert!(list.body.contains("Confirmed: 1") && list.body.contains("Cancelled: 1"));

    // The public list shows those who agreed.
    let public = t.client().get(&format!("/events/{event}/participants"));
    assert!(public.body.contains("Okafor") && !public.body.contains("ben@example.org"));

    // A wrong link, a closed registration.
    let invalid = t.client().get("/registrations/0123456789abcdef");
    assert_eq!(invalid.status, StatusCode::GONE);
    assert!(invalid.body.contains("Link invalid"));
    t.clock.advance(Duration::days(200));
    let mut late = t.client();
    // (The page has no form any more: the token comes from another page.)
    let category_id = category.to_string();
    let closed = late.submit(
        "/sign-in",
        &format!("/events/{event}/register"),
        &[
            ("category_id", &category_id),
            ("email", "late@example.org"),
            ("family_name", "Late"),
            ("q.diet", "none"),
        ],
    );
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert!(
        closed
            .body
            .contains("Registration for this event is closed."),
        "{}",
        closed.body
    );
    assert!(
        late.get(&format!("/events/{event}"))
            .body
            .contains("Registration is closed.")
    );

    // The management links never reach the log.
    let logs = captured_logs();
    assert!(
        logs.contains("/registrations/{token}"),
        "logged by route pattern"
    );
    assert!(!logs.contains(&ana_token) && !logs.contains(&ben_token));
}

#[test]
fn the_secretariat_searches_and_pages_through_registrations() {
    let t = TestApp::new();
    let mut admin = secretariat(&t);
    let (event, _) = small_event(&t);
    let big = t
        .app
        .save_category(
            &t.admin_caller(),
            event,
            None,
            &category_input("Online", "", false),
        )
        .expect("category")
        .id;
    let anonymous = plenary_app::Caller::anonymous(None);
    for n in 0..60 {
        let family = if n == 42 {
            "Øster-Ångström".to_owned()
        } else {
            format!("Family{n:02}")
        };
        t.app
            .register(
                &anonymous,
                event,
                &person(&format!("p{n}@example.org"), &family, big),
            )
            .expect("register");
    }
    let first = admin.get(&format!("/admin/events/{event}/registrations"));
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("60 registration(s) found") && first.body.contains("Page 1 of 2"));
    assert_eq!(
        first.body.matches("href=\"/admin/registrations/").count(),
        50
    );

    // The filters stay in the pages' links.
    let filtered = admin.get(&format!(
        "/admin/events/{event}/registrations?q=family&status=confirmed&category_id={big}"
    ));
    assert!(
        filtered.body.contains("59 registration(s) found"),
        "{}",
        filtered.body
    );
    let next = format!(
        "/admin/events/{event}/registrations?q=family&amp;status=confirmed&amp;category_id={big}&amp;page=2"
    );
    assert!(filtered.body.contains(&next), "{}", filtered.body);
    let second = admin.get(&next.replace("&amp;", "&"));
    assert!(second.body.contains("Page 2 of 2") && second.body.contains("Family59"));
    assert_eq!(
        second.body.matches("href=\"/admin/registrations/").count(),
        9
    );
    assert!(second.body.contains(&format!(
        "/admin/events/{event}/registrations?q=family&amp;status=confirmed&amp;category_id={big}&amp;page=1"
    )));

    // Accents and case do not matter.
    let found = admin.get(&format!("/admin/events/{event}/registrations?q=OSTER-ANG"));
    assert!(
        found.body.contains("1 registration(s) found"),
        "{}",
        found.body
    );
    assert!(found.body.contains("Øster-Ångström, Ana"));
    let none = admin.get(&format!(
        "/admin/events/{event}/registrations?status=waitlisted"
    ));
    assert!(none.body.contains("No registrations found."));

    // One registration, then the secretariat's counts by status.
    let id = t
        .app
        .registrations(&t.admin_caller(), event, &Default::default())
        .expect("list")
        .registrations[0]
        .id;
    let detail = admin.get(&format!("/admin/registrations/{id}"));
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("p0@example.org") && detail.body.contains("Dietary needs"));
    let event_page = admin.get(&format!("/admin/events/{event}"));
    assert!(
        event_page.body.contains("Confirmed: 60"),
        "{}",
        event_page.body
    );
}

#[test]
fn the_secretariat_sets_up_an_event_and_moderates_through_the_pages() {
    let t = TestApp::new();
    let mut admin = secretariat(&t);
    let fields = [
        ("title", "Youth Summit"),
        ("venue", "Kigali"),
        ("time_zone", "Africa/Kigali"),
        ("starts_at", "2026-10-05T09:00"),
        ("ends_at", "2026-10-06T17:00"),
        ("registration_opens_at", "2026-06-01T00:00"),
        ("registration_closes_at", "2026-09-30T00:00"),
        ("changes_until", "2026-09-30T00:00"),
    ];
    let mut wrong = fields.to_vec();
    wrong[2] = ("time_zone", "Mars/Olympus");
    let refused = admin.submit("/admin/events", "/admin/events", &wrong);
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("The time zone"), "{}", refused.body);
    assert!(refused.body.contains("value=\"Youth Summit\""));
    let created = admin.submit("/admin/events", "/admin/events", &fields);
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location().expect("location").to_owned();
    let event_path = location.split('?').next().expect("path").to_owned();
    let event: i64 = event_path
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let page = admin.get(&location);
    assert!(page.body.contains("The event has been created"));
    assert!(
        page.body.contains("value=\"2026-10-05T09:00\""),
        "local times kept"
    );

    let bad_capacity = admin.submit(
        &event_path,
        &format!("{event_path}/categories"),
        &[
            ("name", "Delegates"),
            ("mode", "onsite"),
            ("capacity", "-3"),
        ],
    );
    assert_eq!(bad_capacity.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_capacity.body.contains("The capacity"));
    let added = admin.submit(
        &event_path,
        &format!("{event_path}/categories"),
        &[
            ("name", "Delegates"),
            ("mode", "onsite"),
            ("capacity", "2"),
            ("needs_approval", "yes"),
        ],
    );
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let category = t.app.event(event).expect("event").categories[0].clone();
    assert_eq!(
        (category.capacity, category.needs_approval),
        (Some(2), true)
    );
    let edited = admin.submit(
        &event_path,
        &format!("{event_path}/categories/{}", category.id),
        &[
            ("name", "Delegates"),
            ("mode", "onsite"),
            ("capacity", "5"),
            ("needs_approval", "yes"),
        ],
    );
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    assert!(admin.get(&event_path).body.contains("5 of 5 seats left"));

    let question = admin.submit(
        &event_path,
        &format!("{event_path}/questions"),
        &[
            ("label", "Sessions"),
            ("key", "sessions"),
            ("kind", "multi_choice"),
            ("options", "Opening\nYouth IGF\nClosing"),
        ],
    );
    assert_eq!(question.status, StatusCode::SEE_OTHER, "{}", question.body);
    let one_option = admin.submit(
        &event_path,
        &format!("{event_path}/questions"),
        &[
            ("label", "Track"),
            ("key", "track"),
            ("kind", "choice"),
            ("options", "Only"),
        ],
    );
    assert_eq!(one_option.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(one_option.body.contains("The choices"));
    let public = t.client().get(&format!("/events/{event}"));
    assert!(
        public.body.contains(
            "type=\"checkbox\" id=\"q-sessions-2\" name=\"q.sessions\" value=\"Youth IGF\""
        ),
        "{}",
        public.body
    );

    // A registration awaiting approval, approved; another rejected with its reason.
    let mut visitor = t.client();
    let page = format!("/events/{event}");
    let category_id = category.id.to_string();
    let r = visitor.submit(
        &page,
        &format!("{page}/register"),
        &[
            ("category_id", &category_id),
            ("email", "kim@example.org"),
            ("family_name", "Kim"),
            ("q.sessions", "Closing"),
            ("q.sessions", "Opening"),
        ],
    );
    let kim_token = token_of(&r);
    let kim = visitor.get(&format!("/registrations/{kim_token}"));
    assert!(
        kim.body.contains("Awaiting approval") && kim.body.contains("Opening, Closing"),
        "{}",
        kim.body
    );
    let id = t
        .app
        .registration_by_token(&kim_token)
        .expect("view")
        .registration
        .id;
    let detail_path = format!("/admin/registrations/{id}");
    let approved = admin.submit(&detail_path, &format!("{detail_path}/approve"), &[]);
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert!(
        visitor
            .get(&format!("/registrations/{kim_token}"))
            .body
            .contains("badge-code")
    );
    let rejected = admin.submit(
        &detail_path,
        &format!("{detail_path}/reject"),
        &[("reason", "Not a delegate.")],
    );
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    let shown = admin.get(&format!("{detail_path}?done=rejected"));
    assert!(shown.body.contains("Rejected") && shown.body.contains("Not a delegate."));
    let own = visitor.get(&format!("/registrations/{kim_token}"));
    assert!(own.body.contains("Reason: Not a delegate.") && !own.body.contains("Save changes"));

    // Deleting a question.
    let q = t.app.event(event).expect("event").questions[0].id;
    let deleted = admin.submit(
        &event_path,
        &format!("{event_path}/questions/{q}/delete"),
        &[],
    );
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(t.app.event(event).expect("event").questions.is_empty());

    // Not published: no participant list.
    let none = t.client().get(&format!("/events/{event}/participants"));
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

#[test]
fn a_badge_is_checked_in_once_and_a_second_scan_says_when() {
    let t = TestApp::new();
    let mut admin = secretariat(&t);
    let (event, category) = small_event(&t);
    let (seated, waiting) = seated_and_waiting(&t, event, category);
    let form = admin.get("/check-in");
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("autofocus"));
    let typed = seated.badge_code.to_lowercase();
    let first = admin.submit("/check-in", "/check-in", &[("code", &typed)]);
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.contains("Ana Núñez") && first.body.contains("Onsite"),
        "{}",
        first.body
    );
    assert!(first.body.contains("Checked in at 10:00"), "{}", first.body);
    t.clock.advance(Duration::minutes(5));
    let second = admin.submit("/check-in", "/check-in", &[("code", &seated.badge_code)]);
    assert!(
        second
            .body
            .contains("Already checked in at 10:00 (first scan)"),
        "{}",
        second.body
    );

    let unknown = admin.submit("/check-in", "/check-in", &[("code", "ZZZZ-ZZZZ")]);
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown
            .body
            .contains("The badge code is not a known badge code"),
        "{}",
        unknown.body
    );
    let unconfirmed = admin.submit("/check-in", "/check-in", &[("code", &waiting.badge_code)]);
    assert_eq!(unconfirmed.status, StatusCode::CONFLICT);
    assert!(unconfirmed.body.contains("not confirmed"));

    // Only the secretariat.
    t.account("member@example.org", Some(Role::Member));
    let mut member = t.client();
    member.sign_in("member@example.org", PASSWORD);
    assert_eq!(member.get("/check-in").status, StatusCode::FORBIDDEN);
}

#[test]
fn registering_and_checking_in_over_the_api() {
    let t = TestApp::new();
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let token = t.api_token("secretariat@example.org");
    let created = t
        .api(
            Method::POST,
            "/api/v1/events",
            Some(&token),
            Some(json!({ "title": "API Forum", "time_zone": "Europe/Zurich", "starts_at": "2026-12-07T09:00",
                "ends_at": "2026-12-08T18:00", "registration_opens_at": "2026-01-01T00:00",
                "registration_closes_at": "2026-12-01T00:00", "changes_until": "2026-11-01T00:00", "public_list": true })),
        )
        .expect_json(StatusCode::CREATED);
    let event = created["id"].as_i64().expect("id");
    assert_eq!(created["starts_at"]["offset"], "+01:00");
    assert_eq!(created["registration_open"], true);
    let category = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{event}/categories"),
            Some(&token),
            Some(json!({ "name": "Onsite", "mode": "onsite", "capacity": 1 })),
        )
        .expect_json(StatusCode::CREATED);
    let category_id = category["id"].as_i64().expect("id");
    t.api(
        Method::POST,
        &format!("/api/v1/events/{event}/questions"),
        Some(&token),
        Some(json!({ "key": "consent", "label": "I accept the code of conduct", "kind": "checkbox", "required": true })),
    )
    .expect_json(StatusCode::CREATED);

    let register = |email: &str| {
        t.api(
            Method::POST,
            &format!("/api/v1/events/{event}/registrations"),
            None,
            Some(json!({ "category_id": category_id, "email": email, "family_name": "Núñez", "given_name": "Ana",
                "country": "AR", "answers": { "consent": true }, "listed": true })),
        )
    };
    let first = register("ana@example.org").expect_json(StatusCode::CREATED);
    assert_eq!(first["status"], "confirmed");
    assert_eq!(first["created"], true);
    assert_eq!(first["answers"]["consent"], json!(["yes"]));
    let manage = first["manage_token"].as_str().expect("token").to_owned();
    let second = register("ben@example.org").expect_json(StatusCode::CREATED);
    assert_eq!(
        (
            second["status"].as_str(),
            second["waitlist_position"].as_i64()
        ),
        (Some("waitlisted"), Some(1))
    );
    assert!(second["badge_code"].is_null(), "no badge while waiting");
    let repeat = register("ANA@example.org").expect_json(StatusCode::OK);
    assert_eq!(repeat["created"], false);
    assert!(repeat.get("status").is_none() && repeat.get("manage_token").is_none());

    let bad = register("not an address");
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/problem+json"[..])
    );
    let problem = bad.json();
    assert_eq!(problem["errors"][0]["field"], "email", "{problem}");
    let unanswered = t
        .api(
            Method::POST,
            &format!("/api/v1/events/{event}/registrations"),
            None,
            Some(json!({ "category_id": category_id, "email": "cy@example.org", "family_name": "Cy" })),
        )
        .expect_json(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unanswered["errors"][0]["field"], "answers");
    assert!(
        unanswered["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("I accept the code of conduct")
    );

    // The management link.
    let own = t
        .api(
            Method::GET,
            &format!("/api/v1/registration-links/{manage}"),
            None,
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(
        (own["status"].as_str(), own["changeable"].as_bool()),
        (Some("confirmed"), Some(true))
    );
    let code = own["badge_code"].as_str().expect("badge").to_owned();
    let changed = t
        .api(
            Method::PUT,
            &format!("/api/v1/registration-links/{manage}"),
            None,
            Some(json!({ "family_name": "Núñez", "given_name": "Ana María", "answers": { "consent": true } })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(changed["given_name"], "Ana María");
    let gone = t.api(
        Method::GET,
        "/api/v1/registration-links/nonsense",
        None,
        None,
    );
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.json()["type"], "urn:plenary:problem:link-invalid");

    // Check-in: 201, then 200 with `again`.
    let checked = t
        .api(
            Method::POST,
            "/api/v1/check-ins",
            Some(&token),
            Some(json!({ "code": code })),
        )
        .expect_json(StatusCode::CREATED);
    assert_eq!(checked["again"], false);
    assert_eq!(checked["first_at"]["local"], "2026-06-26T10:00");
    let again = t
        .api(
            Method::POST,
            "/api/v1/check-ins",
            Some(&token),
            Some(json!({ "code": code })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(again["again"], true);

    // The secretariat's list; the cancellation promotes the waiting list.
    let list = t
        .api(
            Method::GET,
            &format!("/api/v1/events/{event}/registrations?status=waitlisted"),
            Some(&token),
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["counts"]["confirmed"], 1);
    let ben = list["items"][0]["id"].as_i64().expect("id");
    t.api(
        Method::POST,
        &format!("/api/v1/registration-links/{manage}/cancel"),
        None,
        None,
    )
    .expect_json(StatusCode::OK);
    let promoted = t
        .api(
            Method::GET,
            &format!("/api/v1/registrations/{ben}"),
            Some(&token),
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(promoted["status"], "confirmed");
    let rejected = t
        .api(
            Method::POST,
            &format!("/api/v1/registrations/{ben}/reject"),
            Some(&token),
            Some(json!({ "reason": "Duplicate" })),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(
        (rejected["status"].as_str(), rejected["reason"].as_str()),
        (Some("rejected"), Some("Duplicate"))
    );
    let participants = t
        .api(
            Method::GET,
            &format!("/api/v1/events/{event}/participants"),
            None,
            None,
        )
        .expect_json(StatusCode::OK);
    assert_eq!(participants["items"], json!([]));
    let detail = t
        .api(Method::GET, &format!("/api/v1/events/{event}"), None, None)
        .expect_json(StatusCode::OK);
    assert_eq!(detail["categories"][0]["seats_left"], 1);
}

fn is_pdf(r: &Response, file_name: &str) -> bool {
    let header = |name| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    r.status == StatusCode::OK
        && header("content-type") == "application/pdf"
        && header("content-disposition") == format!("inline; filename=\"{file_name}\"")
        && r.bytes.starts_with(b"%PDF-")
}

#[test]
fn a_badge_is_issued_once_confirmed_to_its_registrant_and_the_secretariat() {
    let t = TestApp::new();
    let mut admin = secretariat(&t);
    let (event, category) = small_event(&t);
    let approval = t
        .app
        .save_category(
            &t.admin_caller(),
            event,
            None,
            &category_input("Delegates", "", true),
        )
        .expect("category")
        .id;
    let online = t
        .app
        .save_category(
            &t.admin_caller(),
            event,
            None,
            &CategoryInput {
                name: "Online".into(),
                mode: "online".into(),
                capacity: String::new(),
                needs_approval: false,
            },
        )
        .expect("category")
        .id;

    // Confirmed: the management page links the badge, which is a PDF named after her.
    let mut ana = t.client();
    let ana_token = token_of(&register_on_page(
        &mut ana,
        event,
        category,
        "ana@example.org",
        "Núñez",
        "none",
    ));
    let page = ana.get(&format!("/registrations/{ana_token}"));
    let link = format!("/registrations/{ana_token}/badge.pdf");
    assert!(
        page.body.contains(&format!("href=\"{link}\"")),
        "{}",
        page.body
    );
    assert!(is_pdf(&ana.get(&link), "badge-ana-nunez.pdf"));

    // Waiting or awaiting approval: no link, and the address says why.
    let mut ben = t.client();
    let ben_token = token_of(&register_on_page(
        &mut ben,
        event,
        category,
        "ben@example.org",
        "Okafor",
        "none",
    ));
    assert!(
        !ben.get(&format!("/registrations/{ben_token}"))
            .body
            .contains("badge.pdf")
    );
    let mut kim = t.client();
    let kim_token = token_of(&register_on_page(
        &mut kim,
        event,
        approval,
        "kim@example.org",
        "Kim",
        "none",
    ));
    for (client, token) in [(&mut ben, &ben_token), (&mut kim, &kim_token)] {
        let refused = client.get(&format!("/registrations/{token}/badge.pdf"));
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(
            refused
                .body
                .contains("the badge is issued once the registration is confirmed"),
            "{}",
            refused.body
        );
    }
    assert_eq!(
        t.client().get("/registrations/0123abcd/badge.pdf").status,
        StatusCode::GONE
    );

    // The secretariat: any confirmed registration's, linked from its page.
    let id_of = |token: &str| {
        t.app
            .registration_by_token(token)
            .expect("registration")
            .registration
            .id
    };
    let (ana_id, ben_id) = (id_of(&ana_token), id_of(&ben_token));
    let detail = admin.get(&format!("/admin/registrations/{ana_id}"));
    let admin_link = format!("/admin/registrations/{ana_id}/badge.pdf");
    assert!(detail.body.contains(&format!("href=\"{admin_link}\"")));
    assert!(is_pdf(&admin.get(&admin_link), "badge-ana-nunez.pdf"));
    assert!(
        !admin
            .get(&format!("/admin/registrations/{ben_id}"))
            .body
            .contains("badge.pdf")
    );
    assert_eq!(
        admin
            .get(&format!("/admin/registrations/{ben_id}/badge.pdf"))
            .status,
        StatusCode::CONFLICT
    );

    // A signed-in registrant: their own from their account page; not another's.
    t.account("lea@example.org", Some(Role::Registrant));
    let mut lea = t.client();
    lea.sign_in("lea@example.org", PASSWORD);
    let lea_token = token_of(&register_on_page(
        &mut lea,
        event,
        online,
        "lea@example.org",
        "Lefèvre",
        "none",
    ));
    // Online, she is not told to show a badge at an entrance; Ana, onsite, is.
    let online_page = lea.get(&format!("/registrations/{lea_token}")).body;
    assert!(
        online_page.contains("You take part online") && !online_page.contains("entrance"),
        "{online_page}"
    );
    assert!(page.body.contains("show it at the entrance"));
    let mine = lea.get("/account/registrations");
    let lea_id = t
        .app
        .registrations(&t.admin_caller(), event, &Default::default())
        .expect("list")
        .registrations
        .iter()
        .find(|r| r.email == "lea@example.org")
        .expect("lea")
        .id;
    let own = format!("/account/registrations/{lea_id}/badge.pdf");
    assert!(
        mine.body.contains(&format!("href=\"{own}\"")),
        "{}",
        mine.body
    );
    assert!(is_pdf(&lea.get(&own), "badge-ana-lefevre.pdf"));
    assert_eq!(
        lea.get(&format!("/account/registrations/{ana_id}/badge.pdf"))
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lea.get(&format!("/admin/registrations/{lea_id}/badge.pdf"))
            .status,
        StatusCode::FORBIDDEN
    );

    // She changes her registration from her account, without the mailed link.
    let manage = format!("/account/registrations/{lea_id}");
    assert!(mine.body.contains(&format!("href=\"{manage}\"")));
    let fields = |country: &'static str| {
        [
            ("family_name", "Lefèvre"),
            ("given_name", "Ana"),
            ("organization", "Open Data Hub"),
            ("country", country),
            ("q.diet", "none"),
            ("listed", "yes"),
        ]
    };
    let refused = lea.submit(&manage, &manage, &fields("Atlantis"));
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("class=\"field-error\""),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"Open Data Hub\""),
        "what was typed is kept"
    );
    let saved = lea.submit(&manage, &manage, &fields("KE"));
    assert_eq!(
        saved.location(),
        Some(format!("{manage}?done=saved").as_str())
    );
    assert!(lea.get(&manage).body.contains("Open Data Hub"));
    assert_eq!(
        lea.get(&format!("/account/registrations/{ana_id}")).status,
        StatusCode::NOT_FOUND,
        "not another's"
    );

    // Over the API: the same rules, errors as problem documents.
    let secretariat_token = t.api_token("secretariat@example.org");
    let lea_token = t.api_token("lea@example.org");
    let api = |id: i64, token: &str| {
        t.api(
            Method::GET,
            &format!("/api/v1/registrations/{id}/badge"),
            Some(token),
            None,
        )
    };
    assert!(is_pdf(
        &api(ana_id, &secretariat_token),
        "badge-ana-nunez.pdf"
    ));
    assert!(is_pdf(&api(lea_id, &lea_token), "badge-ana-lefevre.pdf"));
    assert_eq!(api(ana_id, &lea_token).status, StatusCode::NOT_FOUND);
    let waiting = api(ben_id, &secretariat_token);
    assert_eq!(waiting.status, StatusCode::CONFLICT);
    assert_eq!(waiting.json()["type"], "urn:plenary:problem:refused");
    assert_eq!(
        t.api(
            Method::GET,
            "/api/v1/registrations/x/badge",
            Some(&lea_token),
            None
        )
        .status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn a_scanned_badge_opens_the_check_in_page_without_checking_in() {
    let t = TestApp::new();
    let mut admin = secretariat(&t);
    let (event, category) = small_event(&t);
    let (seated, waiting) = seated_and_waiting(&t, event, category);
    let code = seated.badge_code.clone();
    let checked_in = || {
        t.app
            .registration(&t.admin_caller(), seated.id)
            .expect("registration")
            .registration
            .checked_in_at
    };

    // The badge's QR code holds the check-in link: whose badge it is, the code ready.
    let badge = admin.get(&format!("/admin/registrations/{}/badge.pdf", seated.id));
    let text = plenary_app::pdf::testing::pdftotext(&badge.bytes);
    assert!(text.contains("Ana Núñez") && text.contains(&code), "{text}");
    let link = plenary_app::pdf::testing::read_qr(&badge.bytes, plenary_app::pdf::PageSize::A6);
    let path = link
        .strip_prefix("https://forum.example.org")
        .expect("the public address");
    assert_eq!(path, format!("/check-in?code={code}"));
    let scanned = admin.get(path);
    assert_eq!(scanned.status, StatusCode::OK);
    assert!(
        scanned.body.contains("Ana Núñez") && scanned.body.contains("Not checked in yet"),
        "{}",
        scanned.body
    );
    assert!(scanned.body.contains(&format!("value=\"{code}\"")));
    // Typed by hand, in lower case: the same.
    let typed = admin.get(&format!("/check-in?code={}", code.to_lowercase()));
    assert!(typed.status == StatusCode::OK && typed.body.contains("Not checked in yet"));
    assert_eq!(checked_in(), None, "a GET changes nothing");

    // The staff member confirms; scanning again says when the first check-in was.
    let done = admin.submit(
        &format!("/check-in?code={code}"),
        "/check-in",
        &[("code", &code)],
    );
    assert!(done.body.contains("Checked in at 10:00"), "{}", done.body);
    t.clock.advance(Duration::minutes(5));
    let again = admin.get(&format!("/check-in?code={code}"));
    assert!(
        again
            .body
            .contains("Already checked in at 10:00 (first scan)"),
        "{}",
        again.body
    );
    assert!(!again.body.contains(&format!("value=\"{code}\"")));

    // Unknown and unconfirmed codes.
    let unknown = admin.get("/check-in?code=ZZZZ-ZZZZ");
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown
            .body
            .contains("The badge code is not a known badge code")
    );
    let unconfirmed = admin.get(&format!("/check-in?code={}", waiting.badge_code));
    assert_eq!(unconfirmed.status, StatusCode::CONFLICT);
    assert!(
        unconfirmed
            .body
            .contains("Ana Okafor: On the waiting list. No check-in."),
        "{}",
        unconfirmed.body
    );

    // Signed out, the camera's link leads to sign in and back with the code.
    let mut phone = t.client();
    let link = format!("/check-in?code={code}");
    let to_sign_in = phone.get(&link);
    let next = to_sign_in.location().expect("redirect").to_owned();
    assert_eq!(next, format!("/sign-in?next=%2Fcheck-in%3Fcode%3D{code}"));
    let signed = phone.submit(
        &next,
        "/sign-in",
        &[
            ("email", "secretariat@example.org"),
            ("password", PASSWORD),
            ("next", &link),
        ],
    );
    assert_eq!(signed.location(), Some(link.as_str()));
    assert!(
        phone
            .get(&link)
            .body
            .contains("Already checked in at 10:00")
    );

    // Only the secretariat.
    t.account("member@example.org", Some(Role::Member));
    let mut member = t.client();
    member.sign_in("member@example.org", PASSWORD);
    assert_eq!(member.get(&link).status, StatusCode::FORBIDDEN);
}

#[test]
fn one_address_may_register_only_so_many_times_a_minute() {
    let t = TestApp::new();
    let (event, category) = small_event(&t);
    t.app.set_registration_limit(2);
    let register = |n: usize| {
        t.api(
            Method::POST,
            &format!("/api/v1/events/{event}/registrations"),
            None,
            Some(
                json!({ "category_id": category, "email": format!("p{n}@example.org"),
                "family_name": "Núñez", "answers": { "diet": "none" } }),
            ),
        )
    };
    assert_eq!(register(1).status, StatusCode::CREATED);
    assert_eq!(register(2).status, StatusCode::CREATED);
    let third = register(3);
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(third.headers.contains_key("retry-after"));
    assert_eq!(third.headers["content-type"], "application/problem+json");
    // A minute later it may go on.
    t.clock.advance(Duration::minutes(2));
    assert_eq!(register(3).status, StatusCode::CREATED);
}

#[test]
fn a_registrant_who_lost_the_link_gets_a_new_one_by_mail() {
    let t = TestApp::new();
    let (event, category) = small_event(&t);
    let mut ana = t.client();
    let first = token_of(&register_on_page(
        &mut ana,
        event,
        category,
        "ana@example.org",
        "Núñez",
        "none",
    ));
    // Registering again with the same address offers to send the link again.
    let again = register_on_page(
        &mut ana,
        event,
        category,
        "Ana@Example.org",
        "Núñez",
        "none",
    );
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("id=\"resend-link\""), "{}", again.body);
    assert!(
        again
            .body
            .contains(&format!("action=\"/events/{event}/registrations/resend\""))
    );
    let resend = |c: &mut crate::support::Client<'_>, email: &str| {
        c.submit(
            &format!("/events/{event}"),
            &format!("/events/{event}/registrations/resend"),
            &[("email", email)],
        )
    };
    let sent = resend(&mut ana, "ana@example.org");
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("Check your mailbox"));
    let links: Vec<_> = t
        .app
        .outbox(50)
        .expect("outbox")
        .into_iter()
        .filter(|m| m.kind == "registration_link")
        .collect();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].recipient, "ana@example.org");
    let new_token = links[0]
        .body_text
        .split("/registrations/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a link")
        .to_owned();
    assert_ne!(new_token, first);
    assert_eq!(
        ana.get(&format!("/registrations/{new_token}")).status,
        StatusCode::OK
    );
    assert_eq!(
        ana.get(&format!("/registrations/{first}")).status,
        StatusCode::GONE
    );
    // An address without a registration gets the same answer and no mail.
    let mut bo = t.client();
    let unknown = resend(&mut bo, "bo@example.org");
    assert_eq!(
        (unknown.status, unknown.body.contains("Check your mailbox")),
        (StatusCode::OK, true)
    );
    let bad = resend(&mut bo, "not an address");
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("E-mail address"), "{}", bad.body);
    let mails = t.app.outbox(50).expect("outbox");
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.kind == "registration_link")
            .count(),
        1
    );
}

#[test]
fn the_secretariat_is_asked_before_cancelling_a_registration() {
    let t = TestApp::new();
    let (event, category) = small_event(&t);
    let (seated, waiting) = seated_and_waiting(&t, event, category);
    let mut c = secretariat(&t);
    let page = format!("/admin/registrations/{}", seated.id);
    let action = format!("{page}/cancel");
    let asked = c.submit(&page, &action, &[]);
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked.body.contains("Cancel the registration of")
            && asked.body.contains("Geneva Forum")
            && asked.body.contains("ana@example.org is told by e-mail")
            && asked.body.contains("the seat in “Onsite” is freed"),
        "{}",
        asked.body
    );
    let admin = t.admin_caller();
    let still = t.app.registration(&admin, seated.id).expect("still there");
    assert_eq!(
        still.registration.status, seated.status,
        "nothing changed yet"
    );
    let done = c.submit(&page, &action, &[("confirmed", "yes")]);
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let promoted = t.app.registration(&admin, waiting.id).expect("waiting");
    assert!(
        promoted.registration.status.holds_seat(),
        "the seat went on"
    );
}
