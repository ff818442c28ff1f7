//! Who sees what of a submission under review: the access matrix of the review rules.
//! One submission with two assigned reviewers, one of whom has sent a review, a pool
//! member who is not assigned, a pool member in conflict (same organization as the
//! speaker), an unrelated account, the public, the proposer and the secretariat; each
//! reads the submission's page, its review page, its file and its JSON, before and
//! after the decision.

use crate::support::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use plenary_app::Caller;
use plenary_app::calls::{CallInput, CallQuestionInput, SubmissionInput};
use plenary_app::review::{DecisionInput, ReviewerInput};
use plenary_domain::Role;
use plenary_domain::calls::{ProposalInput, SpeakerInput};
use serde_json::json;
use std::collections::BTreeMap;

/// What a visitor gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sees {
    /// Sent to sign in (pages) or 401 (API).
    SignIn,
    /// 404: as if it did not exist.
    Nothing,
    /// The submission, without any review's scores or comments.
    NoScores,
    /// The reviews' scores and comments under "Reviewer N" labels, no names.
    Anonymous,
    /// The reviews with who wrote them.
    Named,
}
use Sees::{Anonymous, Named, NoScores, Nothing, SignIn};

/// (e-mail, organization); the test accounts' names are "Test {e-mail}".
const REVIEWERS: [(&str, &str); 4] = [
    ("rita@example.org", "Org R"),
    ("raj@example.org", "Org S"),
    ("pia@example.org", "Org T"),
    ("cole@example.org", "KICTANet"),
];
const RITA_COMMENT: &str = "Rita thinks the plan is clear";

struct Fixture {
    t: TestApp,
    submission: i64,
}

fn caller(t: &TestApp, email: &str) -> Caller {
    let signed = t
        .app
        .sign_in(email, PASSWORD, "192.0.2.203", None)
        .expect("sign in");
    t.app
        .session_user(&signed.session_token)
        .expect("lookup")
        .expect("live")
        .caller(None)
}

fn fixture() -> Fixture {
    let t = TestApp::new();
    t.account("secretariat@example.org", Some(Role::Secretariat));
    let admin = t.admin_caller();
    let call = t
        .app
        .save_call(
            &admin,
            None,
            &CallInput {
                kind: "session_proposals".into(),
                title: "Workshops".into(),
                time_zone: "Europe/Oslo".into(),
                opens_at: "2026-06-01T09:00".into(),
                closes_at: "2026-07-15T23:59".into(),
                themes: "Digital inclusion".into(),
                reviewers_per_submission: "2".into(),
                criteria: "Relevance".into(),
                ..CallInput::default()
            },
        )
        .expect("call")
        .call
        .id;
    t.app
        .add_call_question(
            &admin,
            call,
            &CallQuestionInput {
                key: "plan".into(),
                label: "Plan".into(),
                kind: "file".into(),
                file_types: "pdf".into(),
                ..CallQuestionInput::default()
            },
        )
        .expect("question");
    t.account("ana@example.org", None);
    let ana = caller(&t, "ana@example.org");
    let input = SubmissionInput {
        proposal: ProposalInput {
            title: "Community networks".into(),
            session_type: "workshop".into(),
            theme: "Digital inclusion".into(),
            format: "hybrid".into(),
            description: "The last mile.".into(),
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
        ..SubmissionInput::default()
    };
    let id = t
        .app
        .save_submission(&ana, call, None, &input)
        .expect("draft")
        .submission
        .id;
    t.app
        .attach_submission_file(&ana, id, "plan", "plan.pdf", b"%PDF-1.7 plan")
        .expect("file");
    t.app.submit_submission(&ana, id).expect("sent");
    for (email, organization) in REVIEWERS {
        t.account(email, None);
        t.app
            .save_reviewer(
                &admin,
                call,
                &ReviewerInput {
                    email: email.into(),
                    organization: organization.into(),
                    ..ReviewerInput::default()
                },
            )
            .expect("pool");
    }
    // Rita and Raj are assigned by hand; Rita reviews.
    for (email, _) in &REVIEWERS[..2] {
        let user = t
            .app
            .reviewers(&admin, call)
            .expect("pool")
            .into_iter()
            .find(|r| r.email == *email)
            .expect("in pool")
            .user_id;
        t.app.assign_reviewer(&admin, id, user).expect("assigned");
    }
    let scores = BTreeMap::from([("Relevance".to_owned(), "4".to_owned())]);
    t.app
        .save_review(&caller(&t, "rita@example.org"), id, &scores, RITA_COMMENT)
        .expect("review");
    t.account("eve@example.org", None);
    Fixture { t, submission: id }
}

/// What the body shows of the reviews to `who` (whose own name is in the page's header).
fn seen(body: &str, who: Option<&str>) -> Sees {
    let names = REVIEWERS
        .iter()
        .any(|(email, _)| Some(*email) != who && body.contains(email));
    match (body.contains(RITA_COMMENT), names) {
        (true, true) => Named,
        (true, false) => Anonymous,
        (false, _) => NoScores,
    }
}

fn page(f: &Fixture, who: Option<&str>, path: &str) -> Sees {
    let mut client = f.t.client();
    if let Some(email) = who {
        client.sign_in(email, PASSWORD);
    }
    let r = client.get(path);
    match r.status {
        StatusCode::SEE_OTHER if r.location().is_some_and(|l| l.starts_with("/sign-in")) => SignIn,
        StatusCode::NOT_FOUND => Nothing,
        StatusCode::OK => seen(&r.body, who),
        other => panic!("{who:?} on {path}: {other}"),
    }
}

fn api(f: &Fixture, who: Option<&str>) -> Sees {
    let token = who.map(|email| f.t.api_token(email));
    let r = f.t.api(
        Method::GET,
        &format!("/api/v1/submissions/{}", f.submission),
        token.as_deref(),
        None,
    );
    match r.status {
        StatusCode::UNAUTHORIZED => SignIn,
        StatusCode::NOT_FOUND => Nothing,
        StatusCode::OK => {
            let reviews = r.json()["reviews"].clone();
            let text = reviews.to_string();
            let by_id = reviews.as_array().is_some_and(|list| {
                list.iter()
                    .any(|x| x.get("reviewer_id").is_some_and(|v| !v.is_null()))
            });
            match seen(&text, who) {
                Anonymous if by_id => Named,
                other => other,
            }
        }
        other => panic!("{who:?} on the API: {other}"),
    }
}

fn file(f: &Fixture, who: Option<&str>) -> Sees {
    let mut client = f.t.client();
    if let Some(email) = who {
        client.sign_in(email, PASSWORD);
    }
    let r = client.get(&format!("/submissions/{}/files/plan", f.submission));
    match r.status {
        StatusCode::SEE_OTHER => SignIn,
        StatusCode::NOT_FOUND => Nothing,
        // Who may download the file sees it all; it holds no review.
        StatusCode::OK => {
            assert_eq!(r.bytes, b"%PDF-1.7 plan");
            NoScores
        }
        other => panic!("{who:?} on the file: {other}"),
    }
}

/// (visitor, [submission page, review page, file, JSON]) before the decision, and the
/// submission page and JSON after it.
#[rustfmt::skip]
const MATRIX: &[(Option<&str>, [Sees; 4], [Sees; 2])] = &[
    // The public.
    (None, [SignIn, SignIn, SignIn, SignIn], [SignIn, SignIn]),
    // The proposer: the reviews only once decided, never who wrote them.
    (Some("ana@example.org"), [NoScores, Nothing, NoScores, NoScores], [Anonymous, Anonymous]),
    // The reviewer who sent a review: the others' too, by label.
    (Some("rita@example.org"), [Anonymous, Anonymous, NoScores, Anonymous], [Anonymous, Anonymous]),
    // The assigned reviewer before their own review: nobody's scores.
    (Some("raj@example.org"), [NoScores, NoScores, NoScores, NoScores], [NoScores, NoScores]),
    // A pool member who is not assigned: the submission (to bid), no reviews.
    (Some("pia@example.org"), [NoScores, Nothing, NoScores, NoScores], [NoScores, NoScores]),
    // A pool member in conflict: nothing at all.
    (Some("cole@example.org"), [Nothing, Nothing, Nothing, Nothing], [Nothing, Nothing]),
    // Someone else.
    (Some("eve@example.org"), [Nothing, Nothing, Nothing, Nothing], [Nothing, Nothing]),
    // The secretariat: everything, with names.
    (Some("secretariat@example.org"), [Named, Nothing, NoScores, Named], [Named, Named]),
];

#[test]
fn each_visitor_sees_what_the_review_rules_allow() {
    let f = fixture();
    let id = f.submission;
    let submission = format!("/submissions/{id}");
    let review = format!("/submissions/{id}/review");
    let mut wrong = Vec::new();
    for (who, before, _) in MATRIX {
        let got = [
            page(&f, *who, &submission),
            page(&f, *who, &review),
            file(&f, *who),
            api(&f, *who),
        ];
        if got != *before {
            wrong.push(format!(
                "before the decision, {who:?}: expected {before:?}, got {got:?}"
            ));
        }
    }
    f.t.app
        .decide(
            &f.t.admin_caller(),
            id,
            &DecisionInput {
                decision: "accept".into(),
                ..DecisionInput::default()
            },
        )
        .expect("accepted");
    for (who, _, after) in MATRIX {
        let got = [page(&f, *who, &submission), api(&f, *who)];
        if got != *after {
            wrong.push(format!(
                "after the decision, {who:?}: expected {after:?}, got {got:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The mails to the proposer never name a reviewer either.
    for m in f.t.app.outbox(100).expect("outbox") {
        assert_eq!(seen(&m.body_text, None), NoScores, "{}", m.body_text);
    }
}

/// Probe finding 9 (issue 15): what a caller may not see answers exactly like what does
/// not exist, on every review route that takes a submission id.
#[test]
fn a_submission_one_may_not_see_answers_like_one_that_does_not_exist() {
    let f = fixture();
    let t = &f.t;
    let ana = caller(t, "ana@example.org");
    let call = t
        .app
        .submission(&ana, f.submission)
        .expect("own")
        .submission
        .call_id;
    let draft = t
        .app
        .save_submission(
            &ana,
            call,
            None,
            &SubmissionInput {
                proposal: ProposalInput {
                    title: "Still a draft".into(),
                    ..ProposalInput::default()
                },
                ..SubmissionInput::default()
            },
        )
        .expect("draft")
        .submission
        .id;
    let missing = draft + 100_000;
    let pool_ids: Vec<i64> = t
        .app
        .reviewers(&t.admin_caller(), call)
        .expect("pool")
        .iter()
        .map(|r| r.user_id)
        .collect();
    // (who, method, path suffix, body): pia is in the pool, eve is not.
    let cases = [
        (
            "pia@example.org",
            Method::POST,
            "conflicts",
            json!({ "reason": "Probe" }),
        ),
        (
            "pia@example.org",
            Method::PUT,
            "bid",
            json!({ "bid": "eager" }),
        ),
        (
            "pia@example.org",
            Method::PUT,
            "review",
            json!({ "scores": { "Relevance": "4" }, "comment": "x" }),
        ),
        ("pia@example.org", Method::GET, "", json!(null)),
        (
            "eve@example.org",
            Method::POST,
            "conflicts",
            json!({ "reason": "Probe" }),
        ),
        (
            "eve@example.org",
            Method::POST,
            "conflicts",
            json!({ "reason": "Probe", "user_id": pool_ids[0] }),
        ),
        (
            "pia@example.org",
            Method::POST,
            "conflicts",
            json!({ "reason": "Probe", "user_id": pool_ids[0] }),
        ),
        (
            "eve@example.org",
            Method::PUT,
            "bid",
            json!({ "bid": "eager" }),
        ),
    ];
    for (who, method, suffix, body) in cases {
        let token = t.api_token(who);
        let body = (!body.is_null()).then_some(body);
        let ask = |id: i64| {
            let path = format!("/api/v1/submissions/{id}/{suffix}");
            let path = path.trim_end_matches('/').to_owned();
            t.api(method.clone(), &path, Some(&token), body.clone())
        };
        let nothing = ask(missing);
        assert_eq!(
            nothing.status,
            StatusCode::NOT_FOUND,
            "{who} {method} {suffix}: {}",
            nothing.body
        );
        let hidden = ask(draft);
        assert_eq!(
            (hidden.status, &hidden.body),
            (nothing.status, &nothing.body),
            "{who} {method} {suffix} on a draft"
        );
        if who == "eve@example.org" {
            let sent = ask(f.submission);
            assert_eq!(
                (sent.status, &sent.body),
                (nothing.status, &nothing.body),
                "{who} {method} {suffix} on a sent submission outside their pool"
            );
        }
    }
    // Nothing was recorded on the draft.
    assert!(
        t.app
            .biddable(&caller(t, "pia@example.org"), call)
            .expect("biddable")
            .iter()
            .all(|b| b.submission.id != draft)
    );
}

/// Probe finding 9 (issue 15): a proposer who is also a reviewer may not bid on their
/// own submission (the automatic conflict of interest).
#[test]
fn a_proposer_in_the_pool_cannot_bid_on_their_own_submission() {
    let f = fixture();
    let t = &f.t;
    let ana = caller(t, "ana@example.org");
    let call = t
        .app
        .submission(&ana, f.submission)
        .expect("own")
        .submission
        .call_id;
    t.app
        .save_reviewer(
            &t.admin_caller(),
            call,
            &ReviewerInput {
                email: "ana@example.org".into(),
                organization: "Org A".into(),
                ..ReviewerInput::default()
            },
        )
        .expect("ana in the pool");
    let token = t.api_token("ana@example.org");
    let path = format!("/api/v1/submissions/{}/bid", f.submission);
    let r = t.api(
        Method::PUT,
        &path,
        Some(&token),
        Some(json!({ "bid": "eager" })),
    );
    let problem = r.expect_json(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "bid", "{}", r.body);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("conflict of interest")),
        "{}",
        r.body
    );
    let bids = t.app.biddable(&ana, call).expect("biddable");
    assert!(bids.iter().all(|b| b.bid.is_none()), "no bid was stored");
    // Clearing a bid (there is none) stays harmless.
    let cleared = t.api(
        Method::PUT,
        &path,
        Some(&token),
        Some(json!({ "bid": null })),
    );
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
}
