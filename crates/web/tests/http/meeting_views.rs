//! A meeting's reading and editing views: what each shows, the agenda's dates and hours,
//! sub-items handled from the page, and circulating the minutes.

use crate::support::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use plenary_app::PersonInput;
use plenary_domain::{Role, Scope};

/// A chair of the fixture body, signed in; the fixture meeting runs 26 June 2026,
/// 10:00–12:00 Zurich time, with one day and the item "Welcome" (10:00–10:15).
fn chair(
    t: &TestApp,
) -> (
    crate::support::Client<'_>,
    crate::support::DirectoryFixtures,
) {
    let f = t.directory_fixtures();
    t.account_with_grant("chair@example.org", Role::Chair, Scope::Body(f.body));
    let mut c = t.client();
    c.sign_in("chair@example.org", PASSWORD);
    (c, f)
}

fn item_fields<'a>(
    day: &'a str,
    parent: &'a str,
    title: &'a str,
    times: (&'a str, &'a str),
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("day_id", day),
        ("parent_id", parent),
        ("title", title),
        ("starts", times.0),
        ("ends", times.1),
    ]
}

#[test]
fn reading_and_editing_are_separate_views() {
    let t = TestApp::new();
    let (mut c, f) = chair(&t);
    let read = c.get(&format!("/meetings/{}", f.meeting));
    assert_eq!(read.status, StatusCode::OK);
    assert!(
        read.body
            .contains(&format!("href=\"/meetings/{}/edit\"", f.meeting))
    );
    for form in ["Save notes", "Add action", "Add day", "Save details"] {
        assert!(
            !read.body.contains(form),
            "the reading view has no “{form}”"
        );
    }
    let edit = c.get(&format!("/meetings/{}/edit", f.meeting));
    assert_eq!(edit.status, StatusCode::OK);
    for form in [
        "Save notes",
        "Add action",
        "Add day",
        "Save details",
        "Delete this meeting",
    ] {
        assert!(edit.body.contains(form), "the editing view has “{form}”");
    }
    assert!(
        edit.body.contains("<details class=\"fold\">"),
        "notes and new actions are folded until opened"
    );
    let mut public = t.client();
    let anonymous = public.get(&format!("/meetings/{}/edit", f.meeting));
    assert!(
        anonymous
            .location()
            .is_some_and(|l| l.starts_with("/sign-in")),
        "{:?}",
        anonymous.status
    );
    assert_eq!(
        public.get(&format!("/meetings/{}", f.meeting)).status,
        StatusCode::OK
    );
}

#[test]
fn a_day_outside_the_meetings_dates_is_refused_beside_its_field() {
    let t = TestApp::new();
    let (mut c, f) = chair(&t);
    let edit = format!("/meetings/{}/edit", f.meeting);
    let refused = c.submit(
        &edit,
        &format!("/meetings/{}/days", f.meeting),
        &[("day", "2026-06-28"), ("label", "Extra day")],
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"day-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("the meeting runs on 26 June 2026"));
    assert!(
        refused.body.contains("value=\"2026-06-28\"")
            && refused.body.contains("value=\"Extra day\"")
    );
    assert_eq!(
        refused.body.matches("class=\"field-error\"").count(),
        1,
        "only the day form shows the refusal"
    );
    // Moving the meeting away from its agenda's day is refused too.
    let moved = c.submit(
        &edit,
        &format!("/meetings/{}", f.meeting),
        &[
            ("body_id", &f.body.to_string()),
            ("title", "Strategy call"),
            ("kind", "working_group_call"),
            ("mode", "online"),
            ("time_zone", "Europe/Zurich"),
            ("starts_on", "2026-06-27"),
            ("starts_time", "10:00"),
            ("ends_on", "2026-06-27"),
            ("ends_time", "12:00"),
            ("published", "yes"),
        ],
    );
    assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        moved.body.contains("id=\"starts_on-error\""),
        "{}",
        moved.body
    );
    assert!(moved.body.contains("the agenda has a day on 26 June 2026"));
}

#[test]
fn an_item_outside_its_days_hours_is_flagged_until_the_day_says_otherwise() {
    let t = TestApp::new();
    let (mut c, f) = chair(&t);
    let edit = format!("/meetings/{}/edit", f.meeting);
    let day = f.day.to_string();
    let late = c.submit(
        &edit,
        &format!("/meetings/{}/items", f.meeting),
        &item_fields(&day, "", "Late debrief", ("13:00", "14:00")),
    );
    assert_eq!(late.status, StatusCode::SEE_OTHER, "{}", late.body);
    let page = c.get(&edit);
    assert_eq!(page.body.matches("outside the day's hours").count(), 1);
    let json = t
        .api(
            Method::GET,
            &format!("/api/v1/meetings/{}", f.meeting),
            None,
            None,
        )
        .expect_json(StatusCode::OK);
    let items = &json["days"][0]["items"];
    assert_eq!(
        items[0]["outside_hours"], false,
        "Welcome is inside 10:00–12:00"
    );
    assert_eq!(items[1]["outside_hours"], true);
    assert_eq!(json["days"][0]["closes"]["local"], "2026-06-26T12:00");
    let hours = c.submit(
        &format!("/meetings/{}/days/{}/edit", f.meeting, f.day),
        &format!("/meetings/{}/days/{}", f.meeting, f.day),
        &[
            ("day", "2026-06-26"),
            ("starts", "09:00"),
            ("ends", "15:00"),
        ],
    );
    assert_eq!(hours.status, StatusCode::SEE_OTHER, "{}", hours.body);
    assert!(!c.get(&edit).body.contains("outside the day's hours"));
    let reversed = c.submit(
        &format!("/meetings/{}/days/{}/edit", f.meeting, f.day),
        &format!("/meetings/{}/days/{}", f.meeting, f.day),
        &[
            ("day", "2026-06-26"),
            ("starts", "15:00"),
            ("ends", "09:00"),
        ],
    );
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reversed.body.contains("id=\"ends-error\""));
}

#[test]
fn sub_items_are_moved_and_deleted_from_the_editing_view() {
    let t = TestApp::new();
    let (mut c, f) = chair(&t);
    let edit = format!("/meetings/{}/edit", f.meeting);
    let (day, parent) = (f.day.to_string(), f.item.to_string());
    let offered = c.get(&format!("{edit}?parent={}", f.item));
    assert!(
        offered
            .body
            .contains(&format!("<option value=\"{}\" selected>", f.item)),
        "“Add a sub-item” comes with its item chosen"
    );
    for title in ["Roll call", "Adoption of the agenda"] {
        let r = c.submit(
            &edit,
            &format!("/meetings/{}/items", f.meeting),
            &item_fields(&day, &parent, title, ("", "")),
        );
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let subs = |t: &TestApp| {
        let json = t
            .api(
                Method::GET,
                &format!("/api/v1/meetings/{}", f.meeting),
                None,
                None,
            )
            .expect_json(StatusCode::OK);
        json["days"][0]["items"][0]["subitems"]
            .as_array()
            .expect("sub-items")
            .iter()
            .map(|s| {
                (
                    s["id"].as_i64().expect("id"),
                    s["title"].as_str().expect("title").to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = subs(&t);
    assert_eq!(before.len(), 2);
    let page = c.get(&edit);
    assert!(
        page.body
            .contains("aria-label=\"Move Adoption of the agenda up\"")
    );
    let second = before[1].0;
    let moved = c.submit(
        &edit,
        &format!("/meetings/{}/items/{second}/move", f.meeting),
        &[("direction", "up")],
    );
    assert_eq!(
        moved.location(),
        Some(format!("/meetings/{}/edit?done=saved#item-{second}", f.meeting).as_str())
    );
    let after = subs(&t);
    assert_eq!(after[0].1, "Adoption of the agenda");
    let asked = c.submit(
        &edit,
        &format!("/meetings/{}/items/{second}/delete", f.meeting),
        &[],
    );
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked
            .body
            .contains("Delete the sub-item “Adoption of the agenda”?"),
        "{}",
        asked.body
    );
    assert_eq!(
        subs(&t).len(),
        2,
        "nothing is deleted before the confirmation"
    );
    let gone = c.submit(
        &edit,
        &format!("/meetings/{}/items/{second}/delete", f.meeting),
        &[("confirmed", "yes")],
    );
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(subs(&t), vec![after[1].clone()]);
}

#[test]
fn circulating_minutes_says_who_reads_them_mails_them_and_shows_them_to_members_only() {
    let t = TestApp::new();
    let (mut c, f) = chair(&t);
    // The member's directory entry gets an address; her account, made later, is linked.
    let admin = t.admin_caller();
    let ana = PersonInput {
        family_name: "Núñez".into(),
        given_name: "Ana".into(),
        organization_id: Some(f.organization),
        stakeholder_group: "civil_society".into(),
        country: "AR".into(),
        email: "ana@example.org".into(),
        ..Default::default()
    };
    t.app
        .save_person(&admin, Some(f.person), &ana)
        .expect("address");
    t.account("ana@example.org", None);
    let edit = format!("/meetings/{}/edit", f.meeting);
    let note = c.submit(
        &edit,
        &format!("/meetings/{}/items/{}/note", f.meeting, f.item),
        &[
            ("base_version", "0"),
            ("text", "The chair opened the call."),
        ],
    );
    assert_eq!(note.status, StatusCode::SEE_OTHER);
    let asked = c.submit(
        &edit,
        &format!("/meetings/{}/minutes/state", f.meeting),
        &[("state", "circulated")],
    );
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked
            .body
            .contains("the 1 current member of Working Group on Strategy"),
        "{}",
        asked.body
    );
    assert!(asked.body.contains("Tell them by mail (1 address)"));
    let mut member = t.client();
    member.sign_in("ana@example.org", PASSWORD);
    let mut public = t.client();
    let reading = format!("/meetings/{}", f.meeting);
    assert!(
        !member
            .get(&reading)
            .body
            .contains("The chair opened the call."),
        "a draft is the managers' only"
    );
    let done = c.submit(
        &edit,
        &format!("/meetings/{}/minutes/state", f.meeting),
        &[
            ("state", "circulated"),
            ("confirmed", "yes"),
            ("notify", "yes"),
        ],
    );
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let mails = t.app.outbox(20).expect("outbox");
    let mail = mails
        .iter()
        .find(|m| m.kind == "minutes_circulated")
        .expect("a notice");
    assert_eq!(mail.recipient, "ana@example.org");
    assert!(
        mail.body_text
            .contains(&format!("https://forum.example.org/meetings/{}", f.meeting))
    );
    assert!(
        member
            .get(&reading)
            .body
            .contains("The chair opened the call."),
        "members read circulated minutes"
    );
    assert!(
        !public
            .get(&reading)
            .body
            .contains("The chair opened the call."),
        "the public waits for approval"
    );
    let approved = c.submit(
        &edit,
        &format!("/meetings/{}/minutes/state", f.meeting),
        &[("state", "approved"), ("confirmed", "yes")],
    );
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert!(
        public
            .get(&reading)
            .body
            .contains("The chair opened the call.")
    );
    assert!(
        !t.app
            .outbox(20)
            .expect("outbox")
            .iter()
            .any(|m| m.kind == "minutes_approved"),
        "no mail unless asked"
    );
}
