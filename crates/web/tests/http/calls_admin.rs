//! Calls through the secretariat's and the reviewers' pages: setting a call up with its
//! questions and reviewer pool, the assignment (which never breaks a conflict of
//! interest), reviews with their visibility rules, the committee's table, decisions with
//! their e-mails, and the published selection.

use crate::support::{Client, PASSWORD, TestApp};
use axum::http::StatusCode;
use plenary_app::Caller;
use plenary_app::calls::{CallInput, SubmissionInput};
use plenary_app::review::ReviewerInput;
use plenary_domain::Role;
use plenary_domain::calls::{ProposalInput, SpeakerInput};

const ADMIN: &str = "secretariat@example.org";

/// The call form's fields, open over the test clock's day (2026-06-26) in UTC.
fn call_fields(title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("kind", "session_proposals".into()),
        ("title", title.into()),
        ("description", "Propose a session for the forum.".into()),
        ("time_zone", "Europe/Zurich".into()),
        ("opens_at", "2026-06-01T00:00".into()),
        ("closes_at", "2026-07-15T12:00".into()),
        ("max_per_person", "3".into()),
        ("editable_until_close", "yes".into()),
        ("themes", "Universal access\nCybersecurity".into()),
        ("prerequisite", String::new()),
        ("country_groups", "ldc".into()),
        ("country_groups", "sids".into()),
        ("reviewers_per_submission", "2".into()),
        ("criteria", "Relevance\nQuality".into()),
        ("scale_min", "1".into()),
        ("scale_max", "5".into()),
        ("balance_penalty", "0.5".into()),
    ]
}

fn refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn signed_in<'a>(t: &'a TestApp, email: &str) -> Client<'a> {
    let mut c = t.client();
    let r = c.sign_in(email, PASSWORD);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "sign-in of {email}");
    c
}

/// A caller for an account, for setting up data through the app.
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

/// The id at the end of a redirect such as `/admin/calls/7?done=created`.
fn id_in(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split(['?', '/', '#']).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

fn proposal(title: &str, speaker: &str, organization: &str) -> SubmissionInput {
    SubmissionInput {
        proposal: ProposalInput {
            title: title.into(),
            session_type: "workshop".into(),
            theme: "Universal access".into(),
            format: "hybrid".into(),
            description: format!("{title}: what we will discuss."),
            policy_questions: "What works?".into(),
            speakers: vec![SpeakerInput {
                name: speaker.into(),
                organization: organization.into(),
                stakeholder_group: "civil_society".into(),
                country: "KE".into(),
                gender: "woman".into(),
                organizer: true,
            }],
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Sends a proposal as the account `email` (created here).
fn send(t: &TestApp, call: i64, email: &str, input: &SubmissionInput) -> i64 {
    t.account(email, None);
    let caller = caller_of(t, email);
    let draft = t
        .app
        .save_submission(&caller, call, None, input)
        .expect("draft");
    let id = draft.submission.id;
    t.app.submit_submission(&caller, id).expect("sent");
    id
}

#[test]
fn the_secretariat_sets_up_a_call_through_the_pages() {
    let t = TestApp::new();
    t.account(ADMIN, Some(Role::Secretariat));
    let reviewer = "reviewer@example.org";
    t.account(reviewer, None);
    let mut admin = signed_in(&t, ADMIN);
    let home = admin.get("/");
    assert!(home.body.contains("href=\"/admin/calls\""), "navigation");
    let list = admin.get("/admin/calls");
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("No calls yet."));

    // A bad time zone, then a close before the opening: the form comes back as typed.
    let mut fields = call_fields("Call for sessions 2026");
    fields[3].1 = "Mars/Olympus".into();
    let bad = admin.submit("/admin/calls/new", "/admin/calls", &refs(&fields));
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("The time zone is"), "{}", bad.body);
    assert!(bad.body.contains("value=\"Mars/Olympus\""));
    assert!(bad.body.contains("value=\"Call for sessions 2026\""));
    let mut fields = call_fields("Call for sessions 2026");
    fields[5].1 = "2026-05-01T00:00".into();
    let bad = admin.submit("/admin/calls/new", "/admin/calls", &refs(&fields));
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("The closing is not valid: the call must close after it opens"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("id=\"closes_at-error\""));
    // The ticked country groups stay ticked.
    assert!(bad.body.contains("value=\"sids\" checked"));

    let fields = call_fields("Call for sessions 2026");
    let created = admin.submit("/admin/calls/new", "/admin/calls", &refs(&fields));
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location().expect("redirect").to_owned();
    let call = id_in(&location, "/admin/calls/");
    let page = admin.get(&location);
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The call has been created"));
    // The window is shown in the call's zone, labelled.
    assert!(page.body.contains("Europe/Zurich"), "{}", page.body);
    assert!(page.body.contains("value=\"2026-07-15T12:00\""));
    let view = t.app.call(call).expect("call");
    assert_eq!(view.criteria, ["Relevance", "Quality"]);
    assert_eq!(view.country_groups.len(), 2);

    // Questions: a choice needs two options; then one is added and one deleted.
    let path = format!("/admin/calls/{call}");
    let questions = format!("{path}/questions");
    let bad = admin.submit(
        &path,
        &questions,
        &[
            ("key", "track"),
            ("label", "Track"),
            ("kind", "choice"),
            ("options", "Only one"),
        ],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("at least two options"), "{}", bad.body);
    for (key, label) in [("budget", "Budget needed"), ("spare", "Spare question")] {
        let added = admin.submit(
            &path,
            &questions,
            &[
                ("key", key),
                ("label", label),
                ("kind", "text"),
                ("required", "yes"),
            ],
        );
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let spare = t
        .app
        .call(call)
        .expect("call")
        .questions
        .iter()
        .find(|q| q.key == "spare")
        .expect("spare")
        .id;
    let deleted = admin.submit(&path, &format!("{questions}/{spare}/delete"), &[]);
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let page = admin.get(&path);
    assert!(page.body.contains("Budget needed") && !page.body.contains("Spare question"));

    // The pool: an unknown address is refused; a known one is added with its expertise.
    let reviewers = format!("{path}/reviewers");
    let bad = admin.submit(
        &path,
        &reviewers,
        &[("email", "nobody@example.org"), ("expertise", "Space")],
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("is not a theme of this call"),
        "{}",
        bad.body
    );
    let added = admin.submit(
        &path,
        &reviewers,
        &[
            ("email", reviewer),
            ("max_load", "4"),
            ("organization", "Digital Rights Lab"),
            ("stakeholder_group", "civil_society"),
            ("expertise", "Cybersecurity"),
        ],
    );
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = admin.get(&path);
    assert!(page.body.contains("Digital Rights Lab") && page.body.contains(reviewer));

    // Settings change; a wrong one re-shows the settings form.
    let mut fields = call_fields("Call for sessions 2026 (extended)");
    fields[14].1 = "9".into();
    fields[15].1 = "3".into();
    let bad = admin.submit(&path, &path, &refs(&fields));
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("The highest score is not valid"),
        "{}",
        bad.body
    );
    let fields = call_fields("Call for sessions 2026 (extended)");
    let saved = admin.submit(&path, &path, &refs(&fields));
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(admin.get("/admin/calls").body.contains("(extended)"));

    // Others may not.
    t.account("member@example.org", Some(Role::Member));
    let mut member = signed_in(&t, "member@example.org");
    assert_eq!(member.get("/admin/calls").status, StatusCode::FORBIDDEN);
    assert_eq!(member.get(&path).status, StatusCode::FORBIDDEN);
}

/// A call set up through the app, with three reviewers of three organizations.
struct Review {
    call: i64,
    /// The reviewer working for the first proposal's speaker's organization.
    conflicted: i64,
    reviewers: [i64; 3],
}

fn review_setup(t: &TestApp) -> Review {
    t.account(ADMIN, Some(Role::Secretariat));
    let admin = t.admin_caller();
    let input = CallInput {
        kind: "session_proposals".into(),
        title: "Sessions 2026".into(),
        time_zone: "UTC".into(),
        opens_at: "2026-06-01T00:00".into(),
        closes_at: "2026-07-15T00:00".into(),
        themes: "Universal access\nCybersecurity".into(),
        reviewers_per_submission: "2".into(),
        criteria: "Relevance\nQuality".into(),
        scale_min: "1".into(),
        scale_max: "5".into(),
        ..Default::default()
    };
    let call = t.app.save_call(&admin, None, &input).expect("call").call.id;
    let mut reviewers = [0; 3];
    for (i, org) in ["Rural Connect", "Kenya ICT Action Network", "Open Data Hub"]
        .iter()
        .enumerate()
    {
        let email = format!("r{}@example.org", i + 1);
        reviewers[i] = t.account(&email, None);
        let input = ReviewerInput {
            email,
            max_load: "10".into(),
            organization: (*org).into(),
            ..Default::default()
        };
        t.app.save_reviewer(&admin, call, &input).expect("reviewer");
    }
    Review {
        call,
        conflicted: reviewers[0],
        reviewers,
    }
}

#[test]
fn reviewers_are_assigned_review_and_the_committee_decides() {
    let t = TestApp::new();
    let r = review_setup(&t);
    let call = r.call;
    let a = send(
        &t,
        call,
        "p1@example.org",
        &proposal("Community networks", "Amina Diallo", "Rural Connect"),
    );
    let b = send(
        &t,
        call,
        "p2@example.org",
        &proposal("Open standards", "Jo Smith", "Standards Forum"),
    );
    let c = send(
        &t,
        call,
        "p3@example.org",
        &proposal("Open standards, again", "Lee Wong", "Web Makers"),
    );
    let mut admin = signed_in(&t, ADMIN);
    let committee = format!("/admin/calls/{call}/committee");

    // The picker offers for A only the reviewers without a conflict, and says why not.
    let page = admin.get(&committee).body;
    let at = page
        .find(&format!("id=\"assign-{a}\""))
        .expect("A's picker");
    let picker = &page[at..at + page[at..].find("</select>").expect("select end")];
    assert!(
        !picker.contains(&format!("value=\"{}\"", r.conflicted)),
        "{picker}"
    );
    assert!(
        picker.contains(&format!("value=\"{}\"", r.reviewers[1])),
        "{picker}"
    );
    assert!(
        page.contains(
            "Not offered: Test r1@example.org (conflict: same organization as a speaker)"
        ),
        "{page}"
    );

    // A conflict is refused by hand too, with the app's message.
    let refused = admin.submit(
        &committee,
        &format!("/admin/submissions/{a}/assign"),
        &[("reviewer", &r.conflicted.to_string())],
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(
            "has a conflict of interest with this submission (same organization as a speaker)"
        ),
        "{}",
        refused.body
    );

    // The run: every submission gets its two reviewers, never a conflicted one.
    let ran = admin.submit(&committee, &format!("/admin/calls/{call}/assign"), &[]);
    assert_eq!(ran.status, StatusCode::SEE_OTHER, "{}", ran.body);
    let shown = admin.get(ran.location().expect("redirect"));
    assert!(
        shown
            .body
            .contains("Assignment done: 0 pair(s) kept, 6 added"),
        "{}",
        shown.body
    );
    let view = t.app.committee(&t.admin_caller(), call).expect("committee");
    for line in &view.lines {
        assert_eq!(line.assigned_users.len(), 2, "{}", line.submission.title);
    }
    let line_a = view.lines.iter().find(|l| l.submission.id == a).expect("a");
    assert!(!line_a.assigned_users.contains(&r.conflicted));
    // A manual change: one reviewer off and back on.
    let second = line_a.assigned_users[0];
    let off = admin.submit(
        &committee,
        &format!("/admin/submissions/{a}/unassign/{second}"),
        &[],
    );
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    let on = admin.submit(
        &committee,
        &format!("/admin/submissions/{a}/assign"),
        &[("reviewer", &second.to_string())],
    );
    assert_eq!(on.status, StatusCode::SEE_OTHER, "{}", on.body);

    // The conflicted reviewer cannot open the submission.
    let mut conflicted = signed_in(&t, "r1@example.org");
    assert_eq!(
        conflicted.get(&format!("/submissions/{a}/review")).status,
        StatusCode::NOT_FOUND
    );
    // The two reviewers of A: the first reviews, the second sees nothing of it before
    // their own review.
    let email_of = |id: i64| {
        let i = r.reviewers.iter().position(|x| *x == id).expect("pool");
        format!("r{}@example.org", i + 1)
    };
    let (first, second) = (line_a.assigned_users[0], line_a.assigned_users[1]);
    let review = format!("/submissions/{a}/review");
    let mut one = signed_in(&t, &email_of(first));
    let mine = one.get("/reviews");
    assert!(mine.body.contains("Community networks") && mine.body.contains("not yet"));
    let form = one.get(&review);
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains("Amina Diallo (Rural Connect, organizer)")
    );
    assert!(form.body.contains("name=\"scores[Relevance]\""));
    let sent = one.submit(
        &review,
        &review,
        &[
            ("scores[Relevance]", "5"),
            ("scores[Quality]", "4"),
            ("comment", "Excellent grassroots focus."),
        ],
    );
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let mut two = signed_in(&t, &email_of(second));
    let before = two.get(&review);
    assert!(before.body.contains("You will see them once yours is in"));
    assert!(!before.body.contains("Excellent grassroots focus."));
    let wrong = two.submit(
        &review,
        &review,
        &[
            ("scores[Relevance]", "9"),
            ("scores[Quality]", "3"),
            ("comment", "Solid."),
        ],
    );
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("Relevance: is not valid: a whole number from 1 to 5"),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("Solid.") && !wrong.body.contains("Excellent grassroots"));
    let sent = two.submit(
        &review,
        &review,
        &[
            ("scores[Relevance]", "3"),
            ("scores[Quality]", "3"),
            ("comment", "Solid."),
        ],
    );
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let after = two.get(sent.location().expect("redirect"));
    assert!(after.body.contains("Your review has been saved."));
    assert!(
        after.body.contains("Excellent grassroots focus."),
        "{}",
        after.body
    );
    assert!(after.body.contains("Reviewer 1") || after.body.contains("Reviewer 2"));
    // Labels only, never names.
    assert!(!after.body.contains(&format!("Test {}", email_of(first))));
    // A reviewer of A reviews B too (lower), so that normalised scores differ.
    let line_b = view.lines.iter().find(|l| l.submission.id == b).expect("b");
    let review_b = format!("/submissions/{b}/review");
    // (One of A's reviewers: B has two of the three, at most one of them conflicted.)
    let both = *line_b
        .assigned_users
        .iter()
        .find(|u| line_a.assigned_users.contains(u))
        .expect("a reviewer of A and B");
    let mut three = signed_in(&t, &email_of(both));
    let sent = three.submit(
        &review_b,
        &review_b,
        &[("scores[Relevance]", "2"), ("scores[Quality]", "2")],
    );
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    // The committee's table: means and normalised scores, sortable.
    let table = admin.get(&committee);
    assert_eq!(table.status, StatusCode::OK);
    let view = t.app.committee(&t.admin_caller(), call).expect("committee");
    let agg = view
        .lines
        .iter()
        .find(|l| l.submission.id == a)
        .and_then(|l| l.aggregate.clone())
        .expect("reviewed");
    assert!(agg.normalised > 0.0, "A is above its reviewer's mean");
    assert!(table.body.contains("Normalised"));
    assert!(
        table.body.contains(&format!("{:.2}", agg.mean)),
        "{}",
        table.body
    );
    assert!(table.body.contains(&format!("{:.2}", agg.normalised)));
    let by_title = admin.get(&format!("{committee}?sort=title&dir=desc"));
    let (pos_a, pos_b) = (
        by_title.body.find("Community networks").expect("a"),
        by_title.body.find("Open standards</a>").expect("b"),
    );
    assert!(pos_b < pos_a, "title descending");

    // Decisions: accept A, merge C into B, ask changes of B.
    let decide = |client: &mut Client<'_>, id: i64, fields: &[(&str, &str)]| {
        client.submit(
            &committee,
            &format!("/admin/submissions/{id}/decide"),
            fields,
        )
    };
    let accepted = decide(&mut admin, a, &[("decision", "accept"), ("reason", "")]);
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let merged = decide(
        &mut admin,
        c,
        &[("decision", "merge"), ("merge_into", &format!("#{b}"))],
    );
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
    let target = t.app.submission(&t.admin_caller(), b).expect("b");
    let emails: Vec<&str> = target.people.iter().map(|p| p.email.as_str()).collect();
    assert!(
        emails.contains(&"p2@example.org") && emails.contains(&"p3@example.org"),
        "{emails:?}"
    );
    let no_reason = decide(&mut admin, b, &[("decision", "request_changes")]);
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason.body.contains("say what should change"),
        "{}",
        no_reason.body
    );
    let changes = decide(
        &mut admin,
        b,
        &[
            ("decision", "request_changes"),
            ("reason", "Please add a speaker from government."),
        ],
    );
    assert_eq!(changes.status, StatusCode::SEE_OTHER);
    let outbox = t.app.outbox(100).expect("outbox");
    let has = |kind: &str, to: &str| outbox.iter().any(|m| m.kind == kind && m.recipient == to);
    assert!(has("submission_accepted", "p1@example.org"));
    assert!(has("submission_merged", "p3@example.org"));
    assert!(has("submission_changes_requested", "p2@example.org"));
    assert!(has("submission_changes_requested", "p3@example.org"));

    // The balance of the accepted set, and the selection once published.
    let balance = admin.get(&format!("/admin/calls/{call}/diversity"));
    assert_eq!(balance.status, StatusCode::OK);
    assert!(balance.body.contains("1 accepted session(s), 1 speaker(s)"));
    assert!(balance.body.contains("Civil society") && balance.body.contains("100 %"));
    let published = admin.submit(
        &committee,
        &format!("/admin/calls/{call}/publish"),
        &[("published", "yes")],
    );
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let page = admin.get(published.location().expect("redirect"));
    assert!(page.body.contains("The selection is published"));
    assert!(page.body.contains("Unpublish the selection"));
    assert!(page.body.contains(&format!("#{a} Community networks")));
    let (_, selected) = t
        .app
        .selection(&Caller::anonymous(None), call)
        .expect("public once published");
    assert_eq!(
        selected.iter().map(|s| s.id).collect::<Vec<_>>(),
        [a],
        "only the accepted one"
    );
}

#[test]
fn pool_members_bid_and_declare_conflicts() {
    let t = TestApp::new();
    let r = review_setup(&t);
    let s = send(
        &t,
        r.call,
        "p1@example.org",
        &proposal("Community networks", "Amina Diallo", "Rural Connect"),
    );
    let bids = format!("/calls/{}/bids", r.call);
    // The reviewer of the speaker's organization sees the conflict, not a bid form.
    let mut conflicted = signed_in(&t, "r1@example.org");
    let page = conflicted.get(&bids);
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("same organization as a speaker"));
    let mut member = signed_in(&t, "r2@example.org");
    let page = member.get(&bids);
    assert!(
        page.body
            .contains(&format!("action=\"/submissions/{s}/bid\""))
    );
    let bid = member.submit(&bids, &format!("/submissions/{s}/bid"), &[("bid", "eager")]);
    assert_eq!(bid.status, StatusCode::SEE_OTHER);
    let page = member.get(bid.location().expect("redirect"));
    assert!(page.body.contains("Your bid has been saved."));
    assert!(page.body.contains("value=\"eager\" selected"));
    let empty = member.submit(
        &bids,
        &format!("/submissions/{s}/conflict"),
        &[("reason", " ")],
    );
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("The reason is required"),
        "{}",
        empty.body
    );
    let declared = member.submit(
        &bids,
        &format!("/submissions/{s}/conflict"),
        &[("reason", "I advised the proposers.")],
    );
    assert_eq!(declared.status, StatusCode::SEE_OTHER);
    let page = member.get(declared.location().expect("redirect"));
    assert!(page.body.contains("declared: I advised the proposers."));
    // Two of the three reviewers are in conflict and two are needed: the run is refused
    // with the app's message and assigns nobody.
    let mut admin = signed_in(&t, ADMIN);
    let committee = format!("/admin/calls/{}/committee", r.call);
    let ran = admin.submit(&committee, &format!("/admin/calls/{}/assign", r.call), &[]);
    assert_eq!(ran.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        ran.body
            .contains(&format!("&#34;Community networks&#34; (#{s})")),
        "{}",
        ran.body
    );
    let view = t
        .app
        .committee(&t.admin_caller(), r.call)
        .expect("committee");
    assert!(view.lines.iter().all(|l| l.assigned_users.is_empty()));
    // Someone outside the pool has no bids page.
    t.account("outsider@example.org", None);
    let mut outsider = signed_in(&t, "outsider@example.org");
    assert_eq!(outsider.get(&bids).status, StatusCode::NOT_FOUND);
    assert!(
        outsider
            .get("/reviews")
            .body
            .contains("No submissions are assigned to you.")
    );
}

/// Records the access matrix touches: a call with a sent submission, a question to
/// delete and the matrix's spare account in the pool.
pub struct CommitteeFixtures {
    pub call: i64,
    pub submission: i64,
    pub question: i64,
}

pub fn committee_fixtures(t: &TestApp, pool_member: &str) -> CommitteeFixtures {
    let admin = t.admin_caller();
    let input = CallInput {
        kind: "volunteers".into(),
        title: "Matrix volunteers".into(),
        time_zone: "UTC".into(),
        opens_at: "2026-06-01T00:00".into(),
        closes_at: "2026-07-15T00:00".into(),
        ..Default::default()
    };
    let call = t.app.save_call(&admin, None, &input).expect("call");
    let call = call.call.id;
    let question = t
        .app
        .add_call_question(
            &admin,
            call,
            &plenary_app::calls::CallQuestionInput {
                key: "spare".into(),
                label: "Spare".into(),
                kind: "text".into(),
                ..Default::default()
            },
        )
        .expect("question")
        .questions[0]
        .id;
    let reviewer = ReviewerInput {
        email: pool_member.into(),
        ..Default::default()
    };
    t.app.save_reviewer(&admin, call, &reviewer).expect("pool");
    let submission = send(
        t,
        call,
        "volunteer@example.org",
        &SubmissionInput {
            title: "I volunteer".into(),
            ..Default::default()
        },
    );
    CommitteeFixtures {
        call,
        submission,
        question,
    }
}
