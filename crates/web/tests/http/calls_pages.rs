//! Calls through the pages of the public and of proposers: the list and a call's page
//! with times labelled in the call's zone, drafts saved and changed (a stale version is
//! refused), sending, the call's close, files checked and downloaded, co-proposers,
//! submissions hidden from others, reviews shown anonymously once decided, and the
//! published selection.

use crate::support::{Client, PASSWORD, Response, TestApp};
use axum::http::{StatusCode, header};
use chrono::Duration;
use plenary_app::Caller;
use plenary_app::calls::{CallInput, CallQuestionInput, SubmissionInput};
use plenary_app::review::{DecisionInput, ReviewerInput};
use plenary_domain::Role;
use plenary_domain::calls::{ProposalInput, SpeakerInput};
use std::collections::BTreeMap;

const THEMES: &str = "Digital inclusion\nAI governance";

/// An open session-proposal call (the test clock is 2026-06-26 08:00 UTC) in Oslo's
/// zone, closing on 15 July at 23:59 CEST.
fn call_input(title: &str) -> CallInput {
    CallInput {
        kind: "session_proposals".into(),
        title: title.into(),
        description: "Workshops for the annual meeting.".into(),
        time_zone: "Europe/Oslo".into(),
        opens_at: "2026-06-01T09:00".into(),
        closes_at: "2026-07-15T23:59".into(),
        editable_until_close: true,
        themes: THEMES.into(),
        ..CallInput::default()
    }
}

fn question(key: &str, label: &str, kind: &str, required: bool) -> CallQuestionInput {
    CallQuestionInput {
        key: key.into(),
        label: label.into(),
        kind: kind.into(),
        required,
        file_types: if kind == "file" {
            "pdf".into()
        } else {
            String::new()
        },
        max_kb: if kind == "file" {
            "64".into()
        } else {
            String::new()
        },
        ..CallQuestionInput::default()
    }
}

/// A call with a required number, a person list and an optional PDF.
fn make_call(t: &TestApp, title: &str) -> i64 {
    make_call_closing(t, title, "2026-07-15T23:59")
}

fn make_call_closing(t: &TestApp, title: &str, closes_at: &str) -> i64 {
    let admin = t.admin_caller();
    let input = CallInput {
        closes_at: closes_at.into(),
        ..call_input(title)
    };
    let id = t.app.save_call(&admin, None, &input).expect("call").call.id;
    for q in [
        question("budget", "Budget in USD", "number", true),
        question("team", "Co-organizers", "person_list", false),
        question("plan", "Session plan", "file", false),
    ] {
        t.app.add_call_question(&admin, id, &q).expect("question");
    }
    id
}

/// The use cases' caller for an account (set-up through the app).
fn caller_of(t: &TestApp, email: &str) -> Caller {
    let signed = t
        .app
        .sign_in(email, PASSWORD, "192.0.2.202", None)
        .expect("sign in");
    t.app
        .session_user(&signed.session_token)
        .expect("lookup")
        .expect("live")
        .caller(None)
}

fn signed_in<'a>(t: &'a TestApp, email: &str) -> Client<'a> {
    let mut c = t.client();
    let r = c.sign_in(email, PASSWORD);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "sign-in of {email}");
    c
}

fn proposal_input(title: &str) -> SubmissionInput {
    SubmissionInput {
        proposal: ProposalInput {
            title: title.into(),
            session_type: "workshop".into(),
            theme: "Digital inclusion".into(),
            format: "hybrid".into(),
            description: "How communities connect the last mile.".into(),
            policy_questions: "Who pays?".into(),
            speakers: vec![SpeakerInput {
                name: "Amina Yusuf".into(),
                organization: "KICTANet".into(),
                stakeholder_group: "civil_society".into(),
                country: "KE".into(),
                gender: String::new(),
                organizer: true,
            }],
            ..ProposalInput::default()
        },
        answers: [("budget".to_owned(), vec!["1200".to_owned()])].into(),
        ..SubmissionInput::default()
    }
}

/// A call, its proposer and a draft with a file, for the access matrix.
pub struct CallFixtures {
    pub call: i64,
    pub submission: i64,
}

pub fn call_fixtures(t: &TestApp) -> CallFixtures {
    let call = make_call(t, "Matrix call");
    t.account("calls-pages-proposer@example.org", None);
    let proposer = caller_of(t, "calls-pages-proposer@example.org");
    let submission = t
        .app
        .save_submission(&proposer, call, None, &proposal_input("Matrix session"))
        .expect("draft")
        .submission
        .id;
    t.app
        .attach_submission_file(&proposer, submission, "plan", "plan.pdf", b"%PDF-1.7 x")
        .expect("file");
    CallFixtures { call, submission }
}

/// The form fields of a complete session proposal.
fn proposal_fields(title: &str) -> Vec<(&'static str, String)> {
    [
        ("title", title),
        ("session_type", "workshop"),
        ("theme", "AI governance"),
        ("sub_theme", ""),
        ("format", "hybrid"),
        (
            "description",
            "What open models change for small countries.",
        ),
        ("policy_questions", "Who audits?\nWho pays?"),
        ("speakers[0][name]", "Amina Yusuf"),
        ("speakers[0][organization]", "KICTANet"),
        ("speakers[0][stakeholder_group]", "civil_society"),
        ("speakers[0][country]", "KE"),
        ("speakers[0][gender]", ""),
        ("speakers[0][organizer]", "yes"),
        ("speakers[1][name]", ""),
        ("speakers[1][organization]", ""),
        ("q.budget", "1500"),
        ("q.team", "Bo Li <bo@example.org>, ISOC\nCarla Díaz"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The submission's id from a redirect to its page.
fn submission_id(r: &Response) -> i64 {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.location().expect("redirect");
    location
        .trim_start_matches("/submissions/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not a submission: {location}"))
}

/// The hidden `version` field of an edit form.
fn version_of(page: &Response) -> String {
    let marker = "name=\"version\" value=\"";
    let start = page.body.find(marker).expect("version field") + marker.len();
    page.body[start..]
        .split('"')
        .next()
        .expect("value")
        .to_owned()
}

fn upload(c: &mut Client<'_>, id: i64, key: &str, filename: &str, data: &[u8]) -> Response {
    let csrf = c.get(&format!("/submissions/{id}")).csrf();
    let boundary = "CallsBoundary7";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    c.post_bytes(
        &format!("/submissions/{id}/files/{key}"),
        &format!("multipart/form-data; boundary={boundary}"),
        body,
    )
}

#[test]
fn a_proposer_drafts_changes_and_sends_a_session_proposal() {
    let t = TestApp::new();
    let call = make_call(&t, "Workshop proposals 2026");
    t.account("ana@example.org", None);
    let mut ana = signed_in(&t, "ana@example.org");

    // The list and the call's page: the window in the call's own zone, labelled.
    let list = ana.get("/calls");
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Workshop proposals 2026"),
        "{}",
        list.body
    );
    assert!(list.body.contains("Session proposals") && list.body.contains("Open"));
    assert!(
        list.body
            .contains("2026-07-15 23:59 CEST (UTC+02:00, Europe/Oslo)"),
        "{}",
        list.body
    );
    assert!(ana.get("/").body.contains("href=\"/calls\""));
    // Also in the viewer's zone, when it differs (?tz= or the account's setting).
    let elsewhere = ana.get(&format!("/calls/{call}?tz=Pacific/Auckland"));
    assert!(
        elsewhere.body.contains(
            "2026-07-15 23:59 CEST (UTC+02:00, Europe/Oslo) — 2026-07-16 09:59 NZST (UTC+12:00, Pacific/Auckland) in your zone"
        ),
        "{}",
        elsewhere.body
    );
    let page = ana.get(&format!("/calls/{call}"));
    assert!(!page.body.contains("in your zone"));
    assert!(page.body.contains("Start a submission"), "{}", page.body);
    assert!(page.body.contains("AI governance") && page.body.contains("Budget in USD"));
    assert!(page.body.contains("pdf; at most 64 KB"));

    // A new draft: the form has the proposal, speaker rows and the form's questions.
    let new_path = format!("/calls/{call}/submissions/new");
    let form = ana.get(&new_path);
    assert_eq!(form.status, StatusCode::OK);
    for field in [
        "name=\"speakers[0][name]\"",
        "name=\"speakers[2][organizer]\"",
        "name=\"q.budget\"",
        "name=\"q.team\"",
        "<option value=\"AI governance\">",
    ] {
        assert!(form.body.contains(field), "{field} in {}", form.body);
    }
    assert!(!form.body.contains("name=\"q.plan\""));
    // A wrong answer comes back with the typed values and the message.
    let mut fields = proposal_fields("Open models <and> small states");
    fields.retain(|(k, _)| *k != "policy_questions");
    let wrong: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| {
            (
                *k,
                if *k == "q.budget" {
                    "lots".into()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    let refused = ana.submit(
        &new_path,
        &format!("/calls/{call}/submissions"),
        &refs(&wrong),
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Budget in USD:"), "{}", refused.body);
    assert!(
        refused
            .body
            .contains("Open models &#60;and&#62; small states")
    );
    let created = ana.submit(
        &new_path,
        &format!("/calls/{call}/submissions"),
        &refs(&fields),
    );
    let id = submission_id(&created);
    let shown = ana.get(created.location().expect("redirect"));
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("Your draft has been saved."));
    assert!(shown.body.contains("<strong id=\"status\">Draft</strong>"));
    assert!(shown.body.contains("Amina Yusuf") && shown.body.contains("Kenya"));
    assert!(shown.body.contains("Bo Li &#60;bo@example.org&#62;, ISOC"));
    // Incomplete (no policy questions): sending names what is missing.
    let send_path = format!("/submissions/{id}/submit");
    let incomplete = ana.submit(&format!("/submissions/{id}"), &send_path, &[]);
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        incomplete
            .body
            .contains("The list of policy questions is required"),
        "{}",
        incomplete.body
    );

    // Changing it: the form holds what was saved and the version it is based on.
    let edit_path = format!("/submissions/{id}/edit");
    let edit = ana.get(&edit_path);
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("value=\"Amina Yusuf\""));
    assert!(edit.body.contains("name=\"speakers[3][name]\""));
    let stale = version_of(&edit);
    let mut changed = proposal_fields("Open models for small states");
    changed.push(("version", stale.clone()));
    let saved = ana.submit(&edit_path, &format!("/submissions/{id}"), &refs(&changed));
    assert_eq!(submission_id(&saved), id);
    assert!(
        ana.get(&format!("/submissions/{id}"))
            .body
            .contains("Open models for small states")
    );
    // A change based on the old version (a co-proposer saved meanwhile) is refused
    // with a message, the typed text kept.
    let mut late = proposal_fields("A late title");
    late.push(("version", stale));
    let conflict = ana.submit(&edit_path, &format!("/submissions/{id}"), &refs(&late));
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.body);
    assert!(
        conflict
            .body
            .contains("A co-proposer changed this submission meanwhile"),
        "{}",
        conflict.body
    );
    assert!(conflict.body.contains("value=\"A late title\""));

    // Sending.
    let sent = ana.submit(&format!("/submissions/{id}"), &send_path, &[]);
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let after = ana.get(sent.location().expect("redirect"));
    assert!(after.body.contains("Your submission has been sent."));
    assert!(
        after
            .body
            .contains("<strong id=\"status\">Submitted</strong>")
    );
    // Sent twice: refused, not an error page.
    let twice = ana.submit(&format!("/submissions/{id}"), &send_path, &[]);
    assert!(twice.status.is_client_error(), "{}", twice.status);
    let mine = ana.get("/account/submissions");
    assert!(mine.body.contains("Open models for small states") && mine.body.contains("Submitted"));
    assert!(ana.get("/account").body.contains("/account/submissions"));
    let call_page = ana.get(&format!("/calls/{call}"));
    assert!(call_page.body.contains(&format!("/submissions/{id}")));

    // Withdrawing.
    let withdrawn = ana.submit(
        &format!("/submissions/{id}"),
        &format!("/submissions/{id}/withdraw"),
        &[],
    );
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert!(
        ana.get(&format!("/submissions/{id}"))
            .body
            .contains("<strong id=\"status\">Withdrawn</strong>")
    );
}

#[test]
fn a_closed_call_says_so_on_the_form() {
    let t = TestApp::new();
    // Closes at 11:00 in Oslo, 09:00 UTC: an hour after the test clock.
    let call = make_call_closing(&t, "Closing call", "2026-06-26T11:00");
    t.account("ana@example.org", None);
    let mut ana = signed_in(&t, "ana@example.org");
    let new_path = format!("/calls/{call}/submissions/new");
    let form = ana.get(&new_path);
    let csrf = form.csrf();
    let draft = ana.submit(
        &new_path,
        &format!("/calls/{call}/submissions"),
        &refs(&proposal_fields("Kept draft")),
    );
    let id = submission_id(&draft);

    t.clock.advance(Duration::hours(2));
    let page = ana.get(&format!("/calls/{call}"));
    assert!(page.body.contains("Closed"));
    assert!(
        page.body
            .contains("This call closed: submissions are no longer accepted"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Start a submission"));
    let blocked = ana.get(&new_path);
    assert!(blocked.body.contains("This call closed"));
    // A form still open in a browser is refused with the reason, above the form.
    let mut fields = vec![("csrf", csrf)];
    fields.extend(proposal_fields("Too late"));
    let late = ana.post_raw(&format!("/calls/{call}/submissions"), &refs(&fields));
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        late.body
            .contains("This call closed: submissions are no longer accepted (drafts are kept)."),
        "{}",
        late.body
    );
    assert!(late.body.contains("value=\"Too late\""));
    // The draft is kept but cannot be sent.
    let kept = ana.get(&format!("/submissions/{id}"));
    assert!(kept.body.contains("This call closed"), "{}", kept.body);
    let send = ana.submit(
        &format!("/submissions/{id}"),
        &format!("/submissions/{id}/submit"),
        &[],
    );
    assert_eq!(send.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(send.body.contains("This call closed"));
}

#[test]
fn files_are_checked_and_only_those_who_may_see_the_submission_download_them() {
    let t = TestApp::new();
    let call = make_call(&t, "Call with files");
    t.account("ana@example.org", None);
    t.account("eve@example.org", None);
    let mut ana = signed_in(&t, "ana@example.org");
    let draft = ana.submit(
        &format!("/calls/{call}/submissions/new"),
        &format!("/calls/{call}/submissions"),
        &refs(&proposal_fields("With a plan")),
    );
    let id = submission_id(&draft);
    let page = ana.get(&format!("/submissions/{id}"));
    assert!(
        page.body
            .contains(&format!("action=\"/submissions/{id}/files/plan\""))
    );
    assert!(page.body.contains("enctype=\"multipart/form-data\""));

    let exe = upload(&mut ana, id, "plan", "setup.exe", b"MZ\x90\x00");
    assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(exe.body.contains("are not accepted here"), "{}", exe.body);
    assert!(exe.body.contains("accepted: pdf"));
    let renamed = upload(&mut ana, id, "plan", "plan.pdf", b"MZ\x90\x00");
    assert_eq!(renamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(renamed.body.contains("not PDF"));
    let big = [b"%PDF-".as_slice(), &vec![b' '; 70 * 1024]].concat();
    let too_big = upload(&mut ana, id, "plan", "plan.pdf", &big);
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_big.body.contains("at most 64 KB"));
    let unknown = upload(&mut ana, id, "nope", "plan.pdf", b"%PDF-1.7");
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

    let pdf = b"%PDF-1.7\nsession plan".to_vec();
    let ok = upload(&mut ana, id, "plan", "Plan de sesión.pdf", &pdf);
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = ana.get(ok.location().expect("redirect"));
    assert!(page.body.contains("The file has been attached."));
    assert!(page.body.contains("Plan de sesión.pdf"));
    let file_path = format!("/submissions/{id}/files/plan");
    let file = ana.get(&file_path);
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, pdf);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = file.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(file.headers[header::CACHE_CONTROL], "no-store");

    // Someone else: the same answer as for nothing at all.
    let mut eve = signed_in(&t, "eve@example.org");
    assert_eq!(
        eve.get(&format!("/submissions/{id}")).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(eve.get(&file_path).status, StatusCode::NOT_FOUND);
    assert_eq!(
        eve.get(&format!("/submissions/{id}/edit")).status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(eve.get("/submissions/999999").status, StatusCode::NOT_FOUND);
    let mut fields = vec![("csrf", eve.get("/").csrf())];
    fields.extend(proposal_fields("Hijacked"));
    assert_eq!(
        eve.post_raw(&format!("/submissions/{id}"), &refs(&fields))
            .status,
        StatusCode::NOT_FOUND
    );
    // Anonymous visitors are sent to sign in.
    let mut anonymous = t.client();
    let r = anonymous.get(&format!("/submissions/{id}"));
    assert!(
        r.location()
            .is_some_and(|l| l.starts_with("/sign-in?next=")),
        "{:?}",
        r.location()
    );
}

#[test]
fn a_co_proposer_added_by_e_mail_edits_with_the_proposer() {
    let t = TestApp::new();
    let call = make_call(&t, "Shared call");
    t.account("ana@example.org", None);
    let bo = t.account("bo@example.org", None);
    t.account("eve@example.org", None);
    let mut ana = signed_in(&t, "ana@example.org");
    let draft = ana.submit(
        &format!("/calls/{call}/submissions/new"),
        &format!("/calls/{call}/submissions"),
        &refs(&proposal_fields("Together")),
    );
    let id = submission_id(&draft);
    let page = format!("/submissions/{id}");
    let add = format!("/submissions/{id}/co-proposers");
    let nobody = ana.submit(&page, &add, &[("email", "nobody@example.org")]);
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nobody.body.contains("no account has this address"),
        "{}",
        nobody.body
    );
    assert!(nobody.body.contains("value=\"nobody@example.org\""));
    let added = ana.submit(&page, &add, &[("email", "bo@example.org")]);
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let shown = ana.get(added.location().expect("redirect"));
    assert!(shown.body.contains("Test bo@example.org") && shown.body.contains("Co-proposer"));
    let again = ana.submit(&page, &add, &[("email", "bo@example.org")]);
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The co-proposer sees and changes it; it is listed among theirs.
    let mut bo_client = signed_in(&t, "bo@example.org");
    let theirs = bo_client.get(&page);
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.body.contains("Edit"));
    let edit_path = format!("/submissions/{id}/edit");
    let edit = bo_client.get(&edit_path);
    let mut fields = proposal_fields("Together, revised by Bo");
    fields.push(("version", version_of(&edit)));
    let saved = bo_client.submit(&edit_path, &page, &refs(&fields));
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(ana.get(&page).body.contains("Together, revised by Bo"));
    let list = bo_client.get("/account/submissions");
    assert!(list.body.contains("Together, revised by Bo") && list.body.contains("Co-proposer"));

    // Another user sees nothing.
    let mut eve = signed_in(&t, "eve@example.org");
    assert_eq!(eve.get(&page).status, StatusCode::NOT_FOUND);
    let eve_add = eve.submit("/", &add, &[("email", "eve@example.org")]);
    assert_eq!(eve_add.status, StatusCode::NOT_FOUND);

    // Removed, the co-proposer no longer sees it.
    let removed = ana.submit(
        &page,
        &format!("/submissions/{id}/co-proposers/{bo}/remove"),
        &[],
    );
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(bo_client.get(&page).status, StatusCode::NOT_FOUND);
}

#[test]
fn proposers_read_reviews_without_reviewer_names_and_the_selection_is_published() {
    let t = TestApp::new();
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let call = make_call(&t, "Reviewed call");
    t.account("ana@example.org", None);
    let reviewer = t.account("zora.reviewer@example.org", None);
    let admin = t.admin_caller();
    let mut ana = signed_in(&t, "ana@example.org");
    let draft = ana.submit(
        &format!("/calls/{call}/submissions/new"),
        &format!("/calls/{call}/submissions"),
        &refs(&proposal_fields("Reviewed session")),
    );
    let id = submission_id(&draft);
    let sent = ana.submit(
        &format!("/submissions/{id}"),
        &format!("/submissions/{id}/submit"),
        &[],
    );
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    t.app
        .save_reviewer(
            &admin,
            call,
            &ReviewerInput {
                email: "zora.reviewer@example.org".into(),
                organization: "Zora Institute".into(),
                ..ReviewerInput::default()
            },
        )
        .expect("reviewer");
    t.app
        .assign_reviewer(&admin, id, reviewer)
        .expect("assigned");
    let scores: BTreeMap<String, String> = [
        ("Relevance".to_owned(), "4".to_owned()),
        ("Quality".to_owned(), "5".to_owned()),
    ]
    .into();
    t.app
        .save_review(
            &caller_of(&t, "zora.reviewer@example.org"),
            id,
            &scores,
            "Clear and well argued.",
        )
        .expect("review");
    // The reviewer is sent to their review page and the call's bids.
    let mut zora = signed_in(&t, "zora.reviewer@example.org");
    let theirs = zora.get(&format!("/submissions/{id}"));
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.body.contains(&format!("/submissions/{id}/review")));
    // Reviewers see who proposes (the fixture's names hold the address), not the
    // address itself.
    assert!(!theirs.body.contains("&lt;ana@example.org&gt;"));
    assert!(
        zora.get(&format!("/calls/{call}"))
            .body
            .contains(&format!("/calls/{call}/bids"))
    );

    // Before the decision the proposer sees how many reviews, not what they say.
    let before = ana.get(&format!("/submissions/{id}"));
    assert!(before.body.contains("1 review(s)"), "{}", before.body);
    assert!(!before.body.contains("Clear and well argued."));

    t.app
        .decide(
            &admin,
            id,
            &DecisionInput {
                decision: "accept".into(),
                reason: "Welcome to the programme.".into(),
                ..DecisionInput::default()
            },
        )
        .expect("decided");
    let after = ana.get(&format!("/submissions/{id}"));
    assert!(
        after
            .body
            .contains("<strong id=\"status\">Accepted</strong>")
    );
    assert!(after.body.contains("Welcome to the programme."));
    assert!(after.body.contains("Reviewer 1"), "{}", after.body);
    assert!(after.body.contains("Clear and well argued."));
    for identifying in ["zora", "Zora", &format!("/users/{reviewer}")] {
        assert!(
            !after.body.contains(identifying),
            "{identifying} shown to the proposer: {}",
            after.body
        );
    }
    assert!(!after.body.contains("Withdraw this submission"));

    // The selection: not found until published; the secretariat previews it.
    let selected = format!("/calls/{call}/selected");
    let mut anonymous = t.client();
    assert_eq!(anonymous.get(&selected).status, StatusCode::NOT_FOUND);
    let mut secretariat = signed_in(&t, "secretariat@example.org");
    let preview = secretariat.get(&selected);
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("Preview") && preview.body.contains("Reviewed session"));
    t.app
        .publish_selection(&admin, call, true)
        .expect("published");
    let public = anonymous.get(&selected);
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Reviewed session"), "{}", public.body);
    assert!(public.body.contains("Amina Yusuf") && public.body.contains("KICTANet"));
    assert!(public.body.contains("Workshop") && public.body.contains("Hybrid"));
    assert!(!public.body.contains("ana@example.org") && !public.body.contains("Preview"));
    assert!(
        anonymous
            .get(&format!("/calls/{call}"))
            .body
            .contains(&selected)
    );
}

#[test]
fn other_calls_ask_a_title_and_every_kind_of_question() {
    let t = TestApp::new();
    let admin = t.admin_caller();
    let call = t
        .app
        .save_call(
            &admin,
            None,
            &CallInput {
                kind: "travel_support".into(),
                themes: String::new(),
                ..call_input("Travel support 2026")
            },
        )
        .expect("call")
        .call
        .id;
    let choices = |key: &str, kind: &str| CallQuestionInput {
        options: "Economy\nTrain\nBus".into(),
        ..question(key, &format!("{key} ({kind})"), kind, true)
    };
    for q in [
        question("motivation", "Motivation", "long_text", true),
        question("city", "City of departure", "text", true),
        choices("travel", "choice"),
        choices("modes", "multi_choice"),
        question("arrival", "Arrival", "date", true),
        question("home", "Country of residence", "country", true),
        question("consent", "I agree to the travel policy", "checkbox", true),
    ] {
        t.app.add_call_question(&admin, call, &q).expect("question");
    }
    t.account("ana@example.org", None);
    let mut ana = signed_in(&t, "ana@example.org");
    let new_path = format!("/calls/{call}/submissions/new");
    let form = ana.get(&new_path);
    assert!(form.body.contains("name=\"title\""));
    assert!(!form.body.contains("speakers[0][name]"));
    for field in [
        "<textarea id=\"q-motivation\"",
        "<select id=\"q-travel\"",
        "type=\"checkbox\" id=\"q-modes-2\" name=\"q.modes\" value=\"Train\"",
        "type=\"date\" value=\"\"",
        "<option value=\"KE\">Kenya</option>",
        "type=\"checkbox\" id=\"q-consent\"",
    ] {
        assert!(form.body.contains(field), "{field} in {}", form.body);
    }
    let fields = [
        ("title", "Travel to the forum"),
        ("q.motivation", "First forum.\nSpeaking in a workshop."),
        ("q.city", "Nairobi"),
        ("q.travel", "Economy"),
        ("q.modes", "Train"),
        ("q.modes", "Bus"),
        ("q.arrival", "2026-12-01"),
        ("q.home", "KE"),
        ("q.consent", "yes"),
    ];
    let created = ana.submit(&new_path, &format!("/calls/{call}/submissions"), &fields);
    let id = submission_id(&created);
    let page = ana.get(&format!("/submissions/{id}"));
    assert!(page.body.contains("Travel to the forum"));
    assert!(page.body.contains("Train, Bus") && page.body.contains("Kenya"));
    let edit = ana.get(&format!("/submissions/{id}/edit"));
    assert!(edit.body.contains("value=\"Bus\" checked"), "{}", edit.body);
    assert!(edit.body.contains("<option value=\"Economy\" selected>"));
    assert!(edit.body.contains("value=\"2026-12-01\""));
    let sent = ana.submit(
        &format!("/submissions/{id}"),
        &format!("/submissions/{id}/submit"),
        &[],
    );
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    // A title is needed even for a draft.
    let untitled = ana.submit(
        &new_path,
        &format!("/calls/{call}/submissions"),
        &[("title", " ")],
    );
    assert_eq!(untitled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        untitled.body.contains("The title is required"),
        "{}",
        untitled.body
    );
}
