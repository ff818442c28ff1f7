//! Calls, submissions and committee review through the JSON API: the secretariat sets up
//! a call with its form and pool, proposers draft, attach and send, the assignment runs,
//! reviewers score, the committee decides and publishes. Problems name the field; a
//! proposer never learns who reviewed, the secretariat does.

use crate::support::{Response, TestApp};
use axum::http::{Method, StatusCode, header};
use chrono::Duration;
use plenary_app::calls::{CallInput, CallQuestionInput, SubmissionInput};
use plenary_app::review::ReviewerInput;
use plenary_app::{Caller, NewAccount};
use plenary_domain::Role;
use plenary_domain::calls::ProposalInput;
use serde_json::{Value, json};

/// Checks a problem document: its status, its type, and that it names `field`.
fn problem_naming(r: &Response, status: StatusCode, field: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/problem+json",
        "{}",
        r.body
    );
    let body = r.json();
    let named = body["errors"]
        .as_array()
        .is_some_and(|errors| errors.iter().any(|e| e["field"] == field));
    assert!(named, "no error names {field:?}: {}", r.body);
}

fn no_store(r: &Response) -> bool {
    r.headers
        .get(header::CACHE_CONTROL)
        .is_some_and(|v| v == "no-store")
}

fn proposal(title: &str, organization: &str) -> Value {
    json!({
        "title": title,
        "session_type": "workshop",
        "theme": "Digital inclusion",
        "format": "hybrid",
        "description": "How communities connect the last mile.",
        "policy_questions": "Who pays?\nWho decides?",
        "speakers": [{
            "name": format!("Speaker of {title}"),
            "organization": organization,
            "stakeholder_group": "civil_society",
            "country": "KE",
            "gender": "female",
            "organizer": true
        }]
    })
}

struct People {
    admin: String,
    ana: String,
    ben: String,
    rev1: String,
    rev2: String,
}

fn people(t: &TestApp) -> People {
    t.account("secretariat@example.org", Some(Role::Secretariat));
    for email in [
        "ana@example.org",
        "ben@example.org",
        "rev1@example.org",
        "rev2@example.org",
    ] {
        t.account(email, None);
    }
    People {
        admin: t.api_token("secretariat@example.org"),
        ana: t.api_token("ana@example.org"),
        ben: t.api_token("ben@example.org"),
        rev1: t.api_token("rev1@example.org"),
        rev2: t.api_token("rev2@example.org"),
    }
}

#[test]
fn a_call_runs_from_set_up_to_the_published_selection_through_the_api() {
    let t = TestApp::new();
    let p = people(&t);
    let api =
        |m: Method, path: &str, token: &str, body: Option<Value>| t.api(m, path, Some(token), body);

    // The secretariat sets up the call (the clock is at 2026-06-26 08:00 UTC).
    let call_body = json!({
        "kind": "session_proposals",
        "title": "Workshop proposals 2026",
        "description": "Workshops for the annual meeting.",
        "time_zone": "UTC",
        "opens_at": "2026-06-01T00:00",
        "closes_at": "2026-06-30T23:59",
        "themes": ["Digital inclusion", "AI governance"],
        "reviewers_per_submission": 2,
        "criteria": ["Relevance", "Quality"],
        "scale_min": 1,
        "scale_max": 5
    });
    let denied = api(
        Method::POST,
        "/api/v1/calls",
        &p.ana,
        Some(call_body.clone()),
    );
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let bad = api(
        Method::POST,
        "/api/v1/calls",
        &p.admin,
        Some(json!({ "kind": "poetry", "title": "x" })),
    );
    problem_naming(&bad, StatusCode::UNPROCESSABLE_ENTITY, "kind");
    let call = api(
        Method::POST,
        "/api/v1/calls",
        &p.admin,
        Some(call_body.clone()),
    )
    .expect_json(StatusCode::CREATED);
    let id = call["id"].as_i64().expect("call id");
    assert_eq!(call["open"], true);
    assert_eq!(call["criteria"], json!(["Relevance", "Quality"]));
    let mut changed = call_body.clone();
    changed["description"] = json!("Workshops and open fora.");
    let updated = api(
        Method::PUT,
        &format!("/api/v1/calls/{id}"),
        &p.admin,
        Some(changed),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(updated["description"], "Workshops and open fora.");

    // Its form: a number, a small PDF upload, and a question removed again.
    let questions = format!("/api/v1/calls/{id}/questions");
    let q = api(
        Method::POST,
        &questions,
        &p.admin,
        Some(json!({ "key": "participants", "label": "Expected participants", "kind": "number", "required": true })),
    )
    .expect_json(StatusCode::CREATED);
    assert_eq!(q["kind"], "number");
    let file_q = api(
        Method::POST,
        &questions,
        &p.admin,
        Some(json!({ "key": "concept_note", "label": "Concept note", "kind": "file", "required": true, "max_kb": 1, "file_types": ["pdf"] })),
    )
    .expect_json(StatusCode::CREATED);
    assert_eq!(file_q["max_kb"], 1);
    assert_eq!(file_q["file_types"], json!(["pdf"]));
    let spare = api(
        Method::POST,
        &questions,
        &p.admin,
        Some(json!({ "key": "spare", "label": "Spare", "kind": "text" })),
    )
    .expect_json(StatusCode::CREATED);
    let gone = api(
        Method::DELETE,
        &format!("{questions}/{}", spare["id"]),
        &p.admin,
        None,
    );
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let public = t
        .api(Method::GET, &format!("/api/v1/calls/{id}"), None, None)
        .expect_json(StatusCode::OK);
    assert_eq!(public["questions"].as_array().map(Vec::len), Some(2));
    assert_eq!(public["may_start"], false);
    let listed = t
        .api(Method::GET, "/api/v1/calls", None, None)
        .expect_json(StatusCode::OK);
    assert_eq!(listed["items"][0]["id"], id);

    // A draft: a wrong answer type is named, then it is kept.
    let submissions = format!("/api/v1/calls/{id}/submissions");
    let wrong = api(
        Method::POST,
        &submissions,
        &p.ana,
        Some(
            json!({ "proposal": proposal("Last-mile networks", "Rural Net"), "answers": { "participants": "lots" } }),
        ),
    );
    problem_naming(&wrong, StatusCode::UNPROCESSABLE_ENTITY, "answers");
    let draft = api(
        Method::POST,
        &submissions,
        &p.ana,
        Some(
            json!({ "proposal": proposal("Last-mile networks", "Rural Net"), "answers": { "participants": 40 } }),
        ),
    );
    assert!(no_store(&draft));
    let draft = draft.expect_json(StatusCode::CREATED);
    let s1 = draft["id"].as_i64().expect("submission id");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["standing"], "proposer");
    assert_eq!(draft["answers"]["participants"], json!(["40"]));
    let sub = format!("/api/v1/submissions/{s1}");

    // Files: a forbidden type and a too large one are named `file`, a small PDF is kept.
    let exe = t.api_bytes(
        Method::PUT,
        &format!("{sub}/files/concept_note?filename=setup.exe"),
        &p.ana,
        b"MZ\x90\x00".to_vec(),
    );
    problem_naming(&exe, StatusCode::UNPROCESSABLE_ENTITY, "file");
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(2048, b'x');
    let large = t.api_bytes(
        Method::PUT,
        &format!("{sub}/files/concept_note?filename=note.pdf"),
        &p.ana,
        big,
    );
    problem_naming(&large, StatusCode::UNPROCESSABLE_ENTITY, "file");
    let pdf = b"%PDF-1.4\nconcept\n".to_vec();
    let attached = t
        .api_bytes(
            Method::PUT,
            &format!("{sub}/files/concept_note?filename=Concept%20note.pdf"),
            &p.ana,
            pdf.clone(),
        )
        .expect_json(StatusCode::OK);
    assert_eq!(attached["files"][0]["filename"], "Concept note.pdf");
    assert_eq!(attached["may_submit"], true, "{attached}");
    let download = api(
        Method::GET,
        &format!("{sub}/files/concept_note"),
        &p.ana,
        None,
    );
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, pdf);
    assert_eq!(download.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(no_store(&download));

    // Edits carry the version; a stale one is refused.
    let version = attached["version"].as_i64().expect("version");
    let mut edit = json!({ "proposal": proposal("Last-mile community networks", "Rural Net"), "answers": { "participants": 40 }, "version": version });
    let edited = api(Method::PUT, &sub, &p.ana, Some(edit.clone())).expect_json(StatusCode::OK);
    assert_eq!(edited["title"], "Last-mile community networks");
    edit["version"] = json!(version);
    let stale = api(Method::PUT, &sub, &p.ana, Some(edit));
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);

    // A co-proposer joins and leaves; others do not see the draft.
    let co = api(
        Method::POST,
        &format!("{sub}/co-proposers"),
        &p.ana,
        Some(json!({ "email": "ben@example.org" })),
    )
    .expect_json(StatusCode::CREATED);
    let ben_id = co["people"]
        .as_array()
        .and_then(|people| people.iter().find(|p| p["email"] == "ben@example.org"))
        .and_then(|p| p["user_id"].as_i64())
        .expect("ben");
    let left = api(
        Method::DELETE,
        &format!("{sub}/co-proposers/{ben_id}"),
        &p.ana,
        None,
    );
    assert_eq!(left.status, StatusCode::NO_CONTENT);
    assert_eq!(
        api(Method::GET, &sub, &p.ben, None).status,
        StatusCode::NOT_FOUND
    );

    // Sending, and a second proposal by Ben.
    let sent =
        api(Method::POST, &format!("{sub}/submit"), &p.ana, None).expect_json(StatusCode::OK);
    assert_eq!(sent["status"], "submitted");
    let second = api(
        Method::POST,
        &submissions,
        &p.ben,
        Some(json!({ "proposal": proposal("AI in public services", "Civic Lab"), "answers": { "participants": 25 } })),
    )
    .expect_json(StatusCode::CREATED);
    let s2 = second["id"].as_i64().expect("second");
    let mut note = b"%PDF-1.4\n".to_vec();
    note.extend_from_slice(b"second");
    t.api_bytes(
        Method::PUT,
        &format!("/api/v1/submissions/{s2}/files/concept_note?filename=n.pdf"),
        &p.ben,
        note,
    )
    .expect_json(StatusCode::OK);
    api(
        Method::POST,
        &format!("/api/v1/submissions/{s2}/submit"),
        &p.ben,
        None,
    )
    .expect_json(StatusCode::OK);
    let mine = api(Method::GET, "/api/v1/me/submissions", &p.ben, None);
    assert!(no_store(&mine));
    let mine = mine.expect_json(StatusCode::OK);
    assert_eq!(mine["items"][0]["id"], s2);
    assert_eq!(mine["items"][0]["role"], "proposer");

    // A late draft: after the call closes, sending is a problem naming `call`.
    let late = api(
        Method::POST,
        &submissions,
        &p.ben,
        Some(json!({ "proposal": proposal("Late idea", "Civic Lab"), "answers": { "participants": 5 } })),
    )
    .expect_json(StatusCode::CREATED);
    t.clock.advance(Duration::days(5));
    let too_late = api(
        Method::POST,
        &format!("/api/v1/submissions/{}/submit", late["id"]),
        &p.ben,
        None,
    );
    problem_naming(&too_late, StatusCode::UNPROCESSABLE_ENTITY, "call");

    // The pool: two reviewers of different groups; bids.
    let reviewers = format!("/api/v1/calls/{id}/reviewers");
    let r1 = api(
        Method::POST,
        &reviewers,
        &p.admin,
        Some(json!({ "email": "rev1@example.org", "max_load": 5, "organization": "Uni A", "stakeholder_group": "technical_community", "expertise": ["Digital inclusion"] })),
    )
    .expect_json(StatusCode::CREATED);
    let rev1_id = r1["user_id"].as_i64().expect("rev1");
    let r2 = api(
        Method::POST,
        &reviewers,
        &p.admin,
        Some(json!({ "email": "rev2@example.org", "max_load": 5, "organization": "Ministry B", "stakeholder_group": "government" })),
    )
    .expect_json(StatusCode::CREATED);
    let rev2_id = r2["user_id"].as_i64().expect("rev2");
    let unknown_theme = api(
        Method::POST,
        &reviewers,
        &p.admin,
        Some(json!({ "email": "rev2@example.org", "expertise": ["Gardening"] })),
    );
    problem_naming(
        &unknown_theme,
        StatusCode::UNPROCESSABLE_ENTITY,
        "expertise",
    );
    let pool = api(Method::GET, &reviewers, &p.admin, None).expect_json(StatusCode::OK);
    assert_eq!(pool["items"].as_array().map(Vec::len), Some(2));
    let biddable = api(
        Method::GET,
        &format!("/api/v1/calls/{id}/bids"),
        &p.rev1,
        None,
    )
    .expect_json(StatusCode::OK);
    assert_eq!(biddable["items"].as_array().map(Vec::len), Some(2));
    let bad_bid = api(
        Method::PUT,
        &format!("/api/v1/submissions/{s1}/bid"),
        &p.rev1,
        Some(json!({ "bid": "desperate" })),
    );
    problem_naming(&bad_bid, StatusCode::UNPROCESSABLE_ENTITY, "bid");
    let bid = api(
        Method::PUT,
        &format!("/api/v1/submissions/{s1}/bid"),
        &p.rev1,
        Some(json!({ "bid": "eager" })),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(bid["bid"], "eager");

    // The assignment: both reviewers on both submissions.
    let report = api(
        Method::POST,
        &format!("/api/v1/calls/{id}/assignment"),
        &p.admin,
        None,
    )
    .expect_json(StatusCode::OK);
    assert_eq!(report["submissions"], 2);
    assert_eq!(report["added"], 4);
    assert!(
        report["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("2 submissions, 2 reviewers"))
    );
    let assigned =
        api(Method::GET, "/api/v1/me/assignments", &p.rev1, None).expect_json(StatusCode::OK);
    assert_eq!(assigned["items"].as_array().map(Vec::len), Some(2));

    // Reviews: a score off the scale is named `scores`.
    let review = |token: &str, s: i64, scores: Value| {
        api(
            Method::PUT,
            &format!("/api/v1/submissions/{s}/review"),
            token,
            Some(json!({ "scores": scores, "comment": "Clear and relevant." })),
        )
    };
    let off = review(&p.rev1, s1, json!({ "Relevance": 9, "Quality": 3 }));
    problem_naming(&off, StatusCode::UNPROCESSABLE_ENTITY, "scores");
    let mine =
        review(&p.rev1, s1, json!({ "Relevance": 5, "Quality": 4 })).expect_json(StatusCode::OK);
    assert_eq!(mine["my_review"]["label"], "Your review");
    assert_eq!(mine["standing"], "reviewer");
    review(&p.rev2, s1, json!({ "Relevance": 4, "Quality": "4" })).expect_json(StatusCode::OK);
    review(&p.rev1, s2, json!({ "Relevance": 2, "Quality": 2 })).expect_json(StatusCode::OK);
    review(&p.rev2, s2, json!({ "Relevance": 3, "Quality": 2 })).expect_json(StatusCode::OK);

    // The committee decides and publishes.
    let committee = api(
        Method::GET,
        &format!("/api/v1/calls/{id}/committee"),
        &p.admin,
        None,
    );
    assert!(no_store(&committee));
    let committee = committee.expect_json(StatusCode::OK);
    assert_eq!(committee["items"][0]["id"], s1);
    assert_eq!(committee["items"][0]["reviews"], 2);
    assert_eq!(committee["items"][0]["criteria"]["Relevance"], 4.5);
    assert_eq!(
        committee["items"][0]["assigned"].as_array().map(Vec::len),
        Some(2)
    );
    let no_decision = api(
        Method::POST,
        &format!("/api/v1/submissions/{s1}/decision"),
        &p.admin,
        Some(json!({ "decision": "maybe" })),
    );
    problem_naming(&no_decision, StatusCode::UNPROCESSABLE_ENTITY, "decision");
    let accepted = api(
        Method::POST,
        &format!("/api/v1/submissions/{s1}/decision"),
        &p.admin,
        Some(json!({ "decision": "accept", "reason": "A strong proposal." })),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(accepted["status"], "accepted");
    api(
        Method::POST,
        &format!("/api/v1/submissions/{s2}/decision"),
        &p.admin,
        Some(json!({ "decision": "reject", "reason": "Out of scope." })),
    )
    .expect_json(StatusCode::OK);

    let selected = format!("/api/v1/calls/{id}/selected");
    assert_eq!(
        t.api(Method::GET, &selected, None, None).status,
        StatusCode::NOT_FOUND
    );
    let published = api(
        Method::POST,
        &format!("/api/v1/calls/{id}/publish"),
        &p.admin,
        Some(json!({ "published": true })),
    )
    .expect_json(StatusCode::OK);
    assert_eq!(published["published"], true);
    let list = t.api(Method::GET, &selected, None, None);
    let list_json = list.expect_json(StatusCode::OK);
    assert_eq!(list_json["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        list_json["items"][0]["title"],
        "Last-mile community networks"
    );
    assert_eq!(
        list_json["items"][0]["speakers"][0]["organization"],
        "Rural Net"
    );
    assert!(!list.body.contains("@example.org"), "{}", list.body);
    let balance = api(
        Method::GET,
        &format!("/api/v1/calls/{id}/balance"),
        &p.admin,
        None,
    )
    .expect_json(StatusCode::OK);
    assert_eq!(balance["sessions"], 1);
    assert_eq!(balance["speakers"], 1);

    // Who reviewed: the proposer reads the reviews, never their authors.
    let own = api(Method::GET, &sub, &p.ana, None);
    assert!(no_store(&own));
    let own_json = own.expect_json(StatusCode::OK);
    let reviews = own_json["reviews"].as_array().expect("reviews");
    assert_eq!(reviews.len(), 2);
    for r in reviews {
        assert!(r.get("reviewer_id").is_none(), "{r}");
        assert!(
            r["label"]
                .as_str()
                .is_some_and(|l| l.starts_with("Reviewer "))
        );
    }
    for secret in [
        "rev1@example.org",
        "rev2@example.org",
        "reviewer_id",
        "decided_by",
    ] {
        assert!(!own.body.contains(secret), "{secret} in {}", own.body);
    }
    assert_eq!(own_json["decision_reason"], "A strong proposal.");
    // A reviewer sees the others' scores once theirs is in, anonymously too.
    let as_reviewer = api(Method::GET, &sub, &p.rev2, None);
    let as_reviewer_json = as_reviewer.expect_json(StatusCode::OK);
    assert_eq!(as_reviewer_json["standing"], "reviewer");
    assert!(!as_reviewer.body.contains("rev1@example.org"));
    assert!(!as_reviewer.body.contains("reviewer_id"));
    // The secretariat sees who wrote each review.
    let admin_view = api(Method::GET, &sub, &p.admin, None).expect_json(StatusCode::OK);
    let ids: Vec<i64> = admin_view["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .filter_map(|r| r["reviewer_id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&rev1_id) && ids.contains(&rev2_id));
}

#[test]
fn the_calls_api_keeps_its_routes_to_those_allowed() {
    let t = TestApp::new();
    let p = people(&t);
    let f = call_api_fixtures(&t);
    // The secretariat's routes answer 401 without a token and 403 to others.
    for (method, path, body) in [
        (
            Method::GET,
            format!("/api/v1/calls/{}/committee", f.call),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/calls/{}/assignment", f.call),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/calls/{}/publish", f.call),
            Some(json!({ "published": true })),
        ),
    ] {
        let anonymous = t.api(method.clone(), &path, None, body.clone());
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{path}");
        let other = t.api(method, &path, Some(&p.ana), body);
        assert_eq!(other.status, StatusCode::FORBIDDEN, "{path}");
    }
    // A submission is not found for those who may not see it.
    let sub = format!("/api/v1/submissions/{}", f.submission);
    assert_eq!(
        t.api(Method::GET, &sub, Some(&p.ana), None).status,
        StatusCode::NOT_FOUND
    );
    // Unknown fields are a bad request.
    let unknown = t.api(
        Method::PUT,
        &format!("{sub}/review"),
        Some(&p.rev1),
        Some(json!({ "score": 3 })),
    );
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
}

// ------------------------------------------------------------------ access matrix fixtures

/// Ids for the access matrix: an open call with a file question and a spare question,
/// a sent submission by an account that is none of the matrix's visitors, a reviewer.
pub struct CallApiFixtures {
    pub call: i64,
    pub spare_question: i64,
    pub submission: i64,
    pub reviewer: i64,
}

impl CallApiFixtures {
    /// Replaces `{api_call}`, `{api_call_question}`, `{api_submission}` and
    /// `{api_call_reviewer}`.
    pub fn path(&self, template: &str) -> String {
        template
            .replace("{api_call}", &self.call.to_string())
            .replace("{api_call_question}", &self.spare_question.to_string())
            .replace("{api_submission}", &self.submission.to_string())
            .replace("{api_call_reviewer}", &self.reviewer.to_string())
    }

    /// A body for the matrix's requests that need one to reach the access check.
    pub fn matrix_body(&self, method: &str, pattern: &str) -> Option<Value> {
        match (method, pattern) {
            ("POST", "/api/v1/calls/{id}/publish") => Some(json!({ "published": false })),
            ("POST", "/api/v1/submissions/{id}/reviewers") => {
                Some(json!({ "user_id": self.reviewer }))
            }
            ("POST" | "PUT", _)
                if pattern.starts_with("/api/v1/calls")
                    || pattern.starts_with("/api/v1/submissions") =>
            {
                Some(json!({}))
            }
            _ => None,
        }
    }
}

fn plain_account(t: &TestApp, email: &str) -> Caller {
    t.app
        .create_user(
            &t.admin_caller(),
            &NewAccount {
                email: email.into(),
                display_name: format!("Test {email}"),
                password: crate::support::PASSWORD.into(),
                grants: vec![],
            },
        )
        .expect("account");
    let signed = t
        .app
        .sign_in(email, crate::support::PASSWORD, "192.0.2.202", None)
        .expect("sign in");
    t.app
        .session_user(&signed.session_token)
        .expect("lookup")
        .expect("live")
        .caller(None)
}

pub fn call_api_fixtures(t: &TestApp) -> CallApiFixtures {
    let admin = t.admin_caller();
    let call = t
        .app
        .save_call(
            &admin,
            None,
            &CallInput {
                kind: "session_proposals".into(),
                title: "Matrix call".into(),
                time_zone: "UTC".into(),
                opens_at: "2026-06-01T00:00".into(),
                closes_at: "2026-12-31T00:00".into(),
                themes: "Digital inclusion".into(),
                ..CallInput::default()
            },
        )
        .expect("call")
        .call
        .id;
    let question = |key: &str, kind: &str| CallQuestionInput {
        key: key.into(),
        label: key.into(),
        kind: kind.into(),
        ..CallQuestionInput::default()
    };
    t.app
        .add_call_question(&admin, call, &question("concept_note", "file"))
        .expect("file question");
    let spare_question = t
        .app
        .add_call_question(&admin, call, &question("spare", "text"))
        .expect("spare question")
        .questions
        .iter()
        .find(|q| q.key == "spare")
        .expect("spare")
        .id;
    let proposer = plain_account(t, "call-proposer@example.org");
    let input = SubmissionInput {
        proposal: serde_json::from_value::<ProposalInput>(proposal("Matrix session", "Rural Net"))
            .expect("proposal"),
        ..SubmissionInput::default()
    };
    let submission = t
        .app
        .save_submission(&proposer, call, None, &input)
        .expect("draft")
        .submission
        .id;
    t.app
        .submit_submission(&proposer, submission)
        .expect("sent");
    plain_account(t, "call-reviewer@example.org");
    let reviewer = t
        .app
        .save_reviewer(
            &admin,
            call,
            &ReviewerInput {
                email: "call-reviewer@example.org".into(),
                organization: "Uni A".into(),
                ..ReviewerInput::default()
            },
        )
        .expect("reviewer")
        .user_id;
    CallApiFixtures {
        call,
        spare_question,
        submission,
        reviewer,
    }
}
