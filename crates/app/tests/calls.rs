//! Calls, submissions and committee review, on SQLite and PostgreSQL: the call's
//! window on the (injected) clock, drafts and co-proposers, follow-up gating, files,
//! conflicts, the optimal assignment with kept pairs, review visibility, decisions with
//! their mails and merges, the published selection.

mod common;

use chrono::{TimeZone, Utc};
use common::{PASSWORD, admin, app_at, signed_in};
use plenary_app::calls::{CallInput, CallQuestionInput, Standing, SubmissionInput};
use plenary_app::registration::{CategoryInput, EventInput, RegistrationInput};
use plenary_app::review::{DecisionInput, ReviewerInput};
use plenary_app::{App, AppError, Caller, Clock, FixedClock, NewAccount};
use plenary_domain::calls::{ProposalInput, SpeakerInput, SubmissionStatus};
use plenary_domain::review::Bid;
use plenary_store::testing::TestDb;
use std::collections::BTreeMap;
use std::sync::Arc;

struct Harness {
    app: App,
    clock: Arc<FixedClock>,
    admin: Caller,
    call: i64,
    _db: TestDb,
}

const THEMES: &str = "Digital inclusion\nAI governance\nCybersecurity";

fn call_input(title: &str) -> CallInput {
    CallInput {
        kind: "session_proposals".into(),
        title: title.into(),
        description: "Workshops for the annual meeting.".into(),
        time_zone: "Europe/Oslo".into(),
        opens_at: "2026-03-01T09:00".into(),
        closes_at: "2026-04-15T23:59".into(),
        max_per_person: "2".into(),
        editable_until_close: true,
        themes: THEMES.into(),
        reviewers_per_submission: "2".into(),
        criteria: "Relevance\nDiversity".into(),
        scale_min: "1".into(),
        scale_max: "5".into(),
        ..CallInput::default()
    }
}

fn harness(db: TestDb) -> Harness {
    let (app, clock) = app_at(&db, (2026, 3, 10, 12));
    let admin = admin(&app);
    let call = app
        .save_call(&admin, None, &call_input("Workshop proposals 2026"))
        .expect("call")
        .call
        .id;
    Harness {
        app,
        clock,
        admin,
        call,
        _db: db,
    }
}

fn account(h: &Harness, email: &str, name: &str) -> Caller {
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: email.into(),
                display_name: name.into(),
                password: PASSWORD.into(),
                grants: vec![],
            },
        )
        .expect("account");
    signed_in(&h.app, email)
}

fn speaker(name: &str, organization: &str, group: &str, country: &str) -> SpeakerInput {
    SpeakerInput {
        name: name.into(),
        organization: organization.into(),
        stakeholder_group: group.into(),
        country: country.into(),
        gender: "female".into(),
        organizer: true,
    }
}

fn proposal(title: &str, theme: &str, speakers: Vec<SpeakerInput>) -> SubmissionInput {
    SubmissionInput {
        proposal: ProposalInput {
            title: title.into(),
            session_type: "workshop".into(),
            theme: theme.into(),
            sub_theme: String::new(),
            format: "hybrid".into(),
            description: "How communities connect the last mile.".into(),
            policy_questions: "Who pays?\nWho decides?".into(),
            speakers,
        },
        ..SubmissionInput::default()
    }
}

/// A sent proposal by `who`.
fn sent(h: &Harness, who: &Caller, title: &str, theme: &str, organization: &str) -> i64 {
    let draft = h
        .app
        .save_submission(
            who,
            h.call,
            None,
            &proposal(
                title,
                theme,
                vec![speaker("Amina Yusuf", organization, "civil_society", "KE")],
            ),
        )
        .expect("draft");
    h.app
        .submit_submission(who, draft.submission.id)
        .expect("sent")
        .submission
        .id
}

fn reviewer(
    h: &Harness,
    email: &str,
    name: &str,
    organization: &str,
    group: &str,
) -> (Caller, i64) {
    let caller = account(h, email, name);
    let r = h
        .app
        .save_reviewer(
            &h.admin,
            h.call,
            &ReviewerInput {
                email: email.into(),
                max_load: "3".into(),
                organization: organization.into(),
                stakeholder_group: group.into(),
                expertise: "Digital inclusion".into(),
            },
        )
        .expect("reviewer");
    (caller, r.user_id)
}

fn field_of(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(errors) => errors.iter().map(|f| f.to_string()).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn at(h: &Harness, y: i32, mo: u32, d: u32, hour: u32) {
    let t = Utc
        .with_ymd_and_hms(y, mo, d, hour, 0, 0)
        .single()
        .expect("instant");
    h.clock.advance(t - h.clock.now());
}

fn kinds(h: &Harness) -> Vec<(String, String)> {
    h.app
        .outbox(1000)
        .expect("outbox")
        .into_iter()
        .map(|m| (m.kind, m.recipient))
        .collect()
}

// ------------------------------------------------------------------ cases

fn drafts_are_kept_and_sending_is_refused_after_the_closing_instant(h: Harness) {
    let ana = account(&h, "ana@example.org", "Ana Pérez");
    // A half-typed draft is kept.
    let half = SubmissionInput {
        proposal: ProposalInput {
            title: "Community networks".into(),
            ..ProposalInput::default()
        },
        ..SubmissionInput::default()
    };
    let draft = h
        .app
        .save_submission(&ana, h.call, None, &half)
        .expect("draft");
    assert_eq!(draft.submission.status, SubmissionStatus::Draft);
    assert_eq!(draft.standing, Standing::Proposer);
    // Sending it incomplete names the fields.
    let errors = field_of(
        h.app
            .submit_submission(&ana, draft.submission.id)
            .expect_err("incomplete"),
    );
    assert!(
        errors.iter().any(|e| e.starts_with("session_type")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("speakers")),
        "{errors:?}"
    );
    // Completed, but the call closed (23:59 Oslo on 15 April is 21:59 UTC).
    let full = proposal(
        "Community networks",
        "Digital inclusion",
        vec![speaker("Amina Yusuf", "KICTANet", "civil_society", "KE")],
    );
    let full = SubmissionInput {
        version: Some(draft.submission.version),
        ..full
    };
    let saved = h
        .app
        .save_submission(&ana, h.call, Some(draft.submission.id), &full)
        .expect("saved");
    at(&h, 2026, 4, 15, 22);
    let closed = field_of(
        h.app
            .submit_submission(&ana, saved.submission.id)
            .expect_err("closed"),
    );
    assert!(closed[0].contains("this call closed"), "{closed:?}");
    // The draft is still there, still a draft; the view says why it cannot be sent.
    let view = h.app.submission(&ana, saved.submission.id).expect("view");
    assert_eq!(view.submission.status, SubmissionStatus::Draft);
    assert!(view.may_submit.expect_err("closed").contains("closed"));
    // One minute before the close it goes.
    at(&h, 2026, 4, 15, 21);
    let sent = h
        .app
        .submit_submission(&ana, saved.submission.id)
        .expect("sent");
    assert_eq!(sent.submission.status, SubmissionStatus::Submitted);
    assert!(sent.submission.first_time);
    assert!(kinds(&h).contains(&("submission_received".into(), "ana@example.org".into())));
    // A new one cannot even be started after the close.
    at(&h, 2026, 4, 16, 0);
    let late = field_of(
        h.app
            .save_submission(&ana, h.call, None, &half)
            .expect_err("late"),
    );
    assert!(late[0].starts_with("call"), "{late:?}");
}

fn co_proposers_edit_together_and_stale_edits_are_refused(h: Harness) {
    let ana = account(&h, "ana@example.org", "Ana Pérez");
    let bo = account(&h, "bo@example.org", "Bo Li");
    let stranger = account(&h, "eve@example.org", "Eve");
    let input = proposal(
        "Open data",
        "AI governance",
        vec![speaker("Bo Li", "Uni", "technical_community", "CN")],
    );
    let draft = h
        .app
        .save_submission(&ana, h.call, None, &input)
        .expect("draft");
    let id = draft.submission.id;
    assert!(matches!(
        h.app.submission(&stranger, id),
        Err(AppError::NotFound)
    ));
    let with_bo = h
        .app
        .add_co_proposer(&ana, id, "BO@example.org")
        .expect("co-proposer");
    assert_eq!(with_bo.people.len(), 2);
    assert_eq!(with_bo.people[1].role, "co_proposer");
    let no_account = field_of(
        h.app
            .add_co_proposer(&ana, id, "nobody@example.org")
            .expect_err("no account"),
    );
    assert!(no_account[0].starts_with("email"));
    // Both open version v; Bo saves first, Ana's save on v is refused.
    let v = with_bo.submission.version;
    let mut bo_edit = input.clone();
    bo_edit.proposal.title = "Open data for all".into();
    bo_edit.version = Some(v);
    h.app
        .save_submission(&bo, h.call, Some(id), &bo_edit)
        .expect("bo edits");
    let mut ana_edit = input.clone();
    ana_edit.version = Some(v);
    assert!(matches!(
        h.app.save_submission(&ana, h.call, Some(id), &ana_edit),
        Err(AppError::Refused(_))
    ));
    let view = h.app.submission(&bo, id).expect("view");
    assert_eq!(view.submission.title, "Open data for all");
    assert!(matches!(
        h.app
            .save_submission(&stranger, h.call, Some(id), &ana_edit),
        Err(AppError::NotFound)
    ));
}

fn a_person_may_send_only_so_many(h: Harness) {
    let ana = account(&h, "ana@example.org", "Ana Pérez");
    sent(&h, &ana, "One", "Digital inclusion", "A");
    sent(&h, &ana, "Two", "Digital inclusion", "A");
    let third = h
        .app
        .save_submission(
            &ana,
            h.call,
            None,
            &proposal(
                "Three",
                "Digital inclusion",
                vec![speaker("X Y", "A", "government", "NO")],
            ),
        )
        .expect("a draft is fine");
    let refused = field_of(
        h.app
            .submit_submission(&ana, third.submission.id)
            .expect_err("limit"),
    );
    assert!(refused[0].contains("2 submission"), "{refused:?}");
}

fn follow_up_calls_open_after_their_prerequisite(h: Harness) {
    // Travel support for LDC, LLDC and SIDS participants with a confirmed registration.
    let event = h
        .app
        .save_event(
            &h.admin,
            None,
            &EventInput {
                title: "Annual Forum 2026".into(),
                venue: "Oslo".into(),
                time_zone: "Europe/Oslo".into(),
                starts_at: "2026-06-22T09:00".into(),
                ends_at: "2026-06-26T18:00".into(),
                registration_opens_at: "2026-03-01T00:00".into(),
                registration_closes_at: "2026-06-01T00:00".into(),
                changes_until: "2026-06-10T00:00".into(),
                public_list: false,
                visa_letters: false,
                visa_retention_days: String::new(),
            },
        )
        .expect("event")
        .id;
    let category = h
        .app
        .save_category(
            &h.admin,
            event,
            None,
            &CategoryInput {
                name: "Onsite".into(),
                mode: "onsite".into(),
                capacity: String::new(),
                needs_approval: true,
            },
        )
        .expect("category")
        .id;
    let travel = h
        .app
        .save_call(
            &h.admin,
            None,
            &CallInput {
                kind: "travel_support".into(),
                title: "Travel support".into(),
                prerequisite: format!("registration:{event}"),
                country_groups: vec!["ldc".into(), "lldc".into(), "sids".into()],
                themes: String::new(),
                ..call_input("Travel support")
            },
        )
        .expect("travel call")
        .call
        .id;
    h.app
        .add_call_question(
            &h.admin,
            travel,
            &CallQuestionInput {
                key: "country".into(),
                label: "Country of residence".into(),
                kind: "country".into(),
                required: true,
                ..CallQuestionInput::default()
            },
        )
        .expect("question");
    let nia = account(&h, "nia@example.org", "Nia Tuilagi");
    let application = |country: &str| SubmissionInput {
        title: "Travel support for Nia".into(),
        answers: BTreeMap::from([("country".to_owned(), vec![country.to_owned()])]),
        ..SubmissionInput::default()
    };
    // Not registered: the call is closed to her.
    let page = h.app.call_page(&nia, travel).expect("page");
    assert!(page.may_start.expect_err("gated").contains("registration"));
    assert!(
        h.app
            .save_submission(&nia, travel, None, &application("WS"))
            .is_err()
    );
    // Registered, pending approval: still closed.
    let registered = h
        .app
        .register(
            &nia,
            event,
            &RegistrationInput {
                category_id: category.to_string(),
                email: "nia@example.org".into(),
                family_name: "Tuilagi".into(),
                given_name: "Nia".into(),
                organization: "Pacific Youth IGF".into(),
                country: "WS".into(),
                answers: BTreeMap::new(),
                listed: false,
            },
        )
        .expect("registered");
    assert!(
        h.app
            .save_submission(&nia, travel, None, &application("WS"))
            .is_err()
    );
    h.app
        .moderate_registration(&h.admin, registered.registration.id, true, "")
        .expect("approved");
    // Approved: it opens. A country outside the groups is refused on sending.
    let draft = h
        .app
        .save_submission(&nia, travel, None, &application("NO"))
        .expect("opens");
    let refused = field_of(
        h.app
            .submit_submission(&nia, draft.submission.id)
            .expect_err("Norway"),
    );
    assert!(refused[0].contains("not among them"), "{refused:?}");
    let fixed = SubmissionInput {
        version: Some(draft.submission.version),
        ..application("WS")
    };
    h.app
        .save_submission(&nia, travel, Some(draft.submission.id), &fixed)
        .expect("Samoa");
    h.app
        .submit_submission(&nia, draft.submission.id)
        .expect("sent");
}

fn files_are_checked_and_shown_to_those_who_see_the_submission(h: Harness) {
    h.app
        .add_call_question(
            &h.admin,
            h.call,
            &CallQuestionInput {
                key: "concept_note".into(),
                label: "Concept note".into(),
                kind: "file".into(),
                required: true,
                max_kb: "1".into(),
                file_types: "pdf".into(),
                ..CallQuestionInput::default()
            },
        )
        .expect("question");
    let ana = account(&h, "ana@example.org", "Ana Pérez");
    let eve = account(&h, "eve@example.org", "Eve");
    let draft = h
        .app
        .save_submission(
            &ana,
            h.call,
            None,
            &proposal(
                "Notes",
                "Cybersecurity",
                vec![speaker("A B", "C", "government", "FR")],
            ),
        )
        .expect("draft");
    let id = draft.submission.id;
    let missing = field_of(h.app.submit_submission(&ana, id).expect_err("no file"));
    assert!(missing[0].contains("Concept note"), "{missing:?}");
    let big = [b"%PDF-1.7".as_slice(), &[b' '; 2048]].concat();
    let too_big = field_of(
        h.app
            .attach_submission_file(&ana, id, "concept_note", "note.pdf", &big)
            .expect_err("big"),
    );
    assert!(
        too_big[0].starts_with("file") && too_big[0].contains("at most 1 KB"),
        "{too_big:?}"
    );
    let exe = field_of(
        h.app
            .attach_submission_file(&ana, id, "concept_note", "note.exe", b"MZ\x90")
            .expect_err("exe"),
    );
    assert!(exe[0].contains("not accepted"), "{exe:?}");
    let view = h
        .app
        .attach_submission_file(&ana, id, "concept_note", "note.pdf", b"%PDF-1.7 note")
        .expect("pdf");
    assert_eq!(view.files.len(), 1);
    assert!(h.app.submission_file(&eve, id, "concept_note").is_err());
    let (info, data) = h
        .app
        .submission_file(&ana, id, "concept_note")
        .expect("file");
    assert_eq!(
        (info.content_type.as_str(), data.as_slice()),
        ("application/pdf", b"%PDF-1.7 note".as_slice())
    );
    h.app
        .submit_submission(&ana, id)
        .expect("sent with its file");
}

fn the_assignment_serves_everyone_without_conflicts_and_keeps_finished_reviews(h: Harness) {
    let proposers: Vec<Caller> = (0..4)
        .map(|i| account(&h, &format!("p{i}@example.org"), &format!("Proposer {i}")))
        .collect();
    let subs: Vec<i64> = proposers
        .iter()
        .enumerate()
        .map(|(i, p)| {
            sent(
                &h,
                p,
                &format!("Session {i}"),
                "Digital inclusion",
                &format!("Org {i}"),
            )
        })
        .collect();
    let (r1, r1_id) = reviewer(&h, "r1@example.org", "Rita One", "Org 0", "government");
    let (_r2, r2_id) = reviewer(
        &h,
        "r2@example.org",
        "Raj Two",
        "Elsewhere",
        "civil_society",
    );
    let (_r3, r3_id) = reviewer(
        &h,
        "r3@example.org",
        "Rosa Three",
        "Other",
        "private_sector",
    );
    let (_r4, _) = reviewer(
        &h,
        "r4@example.org",
        "Ravi Four",
        "Another",
        "technical_community",
    );
    // Rosa declares a conflict with session 3.
    h.app
        .declare_conflict(&account(&h, "x@example.org", "X"), subs[3], None, "friend")
        .expect_err("not in pool");
    let rosa = signed_in(&h.app, "r3@example.org");
    h.app
        .declare_conflict(&rosa, subs[3], None, "my former employer")
        .expect("declared");
    h.app.bid(&rosa, subs[1], Some(Bid::Eager)).expect("bid");
    let report = h.app.run_assignment(&h.admin, h.call).expect("assigned");
    assert_eq!((report.submissions, report.added, report.kept), (4, 8, 0));
    assert_eq!(report.excess, 0);
    let committee = h.app.committee(&h.admin, h.call).expect("committee");
    for line in &committee.lines {
        assert_eq!(line.assigned.len(), 2, "{}", line.submission.title);
    }
    let on = |id: i64| -> Vec<String> {
        h.app
            .committee(&h.admin, h.call)
            .expect("committee")
            .lines
            .into_iter()
            .find(|l| l.submission.id == id)
            .expect("line")
            .assigned
    };
    // Rita works for Org 0 (the speaker's organization of session 0).
    assert!(!on(subs[0]).contains(&"Rita One".to_owned()));
    assert!(!on(subs[3]).contains(&"Rosa Three".to_owned()));
    assert!(
        on(subs[1]).contains(&"Rosa Three".to_owned()),
        "the eager bid wins"
    );
    // A manual assignment that breaks a conflict is refused, naming it.
    let refused = field_of(
        h.app
            .assign_reviewer(&h.admin, subs[0], r1_id)
            .expect_err("conflict"),
    );
    assert!(refused[0].contains("same organization"), "{refused:?}");
    // Rita reviews one of hers; re-running keeps that pair.
    let rita_first = *subs
        .iter()
        .find(|s| on(**s).contains(&"Rita One".to_owned()))
        .expect("Rita has work");
    let scores = BTreeMap::from([
        ("Relevance".to_owned(), "5".to_owned()),
        ("Diversity".to_owned(), "4".to_owned()),
    ]);
    h.app
        .save_review(&r1, rita_first, &scores, "Strong.")
        .expect("review");
    // Raj leaves the pool; the re-run fills his places and keeps Rita's review.
    h.app
        .remove_reviewer(&h.admin, h.call, r2_id)
        .expect("removed");
    let again = h.app.run_assignment(&h.admin, h.call).expect("re-run");
    assert_eq!(again.kept, 1);
    assert!(on(rita_first).contains(&"Rita One".to_owned()));
    for id in &subs {
        assert_eq!(on(*id).len(), 2);
        assert!(!on(*id).contains(&"Raj Two".to_owned()));
    }
    let _ = r3_id;
}

fn reviews_follow_the_visibility_rules(h: Harness) {
    let ana = account(&h, "ana@example.org", "Ana Pérez");
    let id = sent(&h, &ana, "Youth and AI", "AI governance", "Youth IGF");
    let (r1, r1_id) = reviewer(&h, "r1@example.org", "Rita One", "X", "government");
    let (r2, r2_id) = reviewer(&h, "r2@example.org", "Raj Two", "Y", "civil_society");
    let (r3, _) = reviewer(
        &h,
        "r3@example.org",
        "Rosa Three",
        "Youth IGF",
        "private_sector",
    );
    h.app.assign_reviewer(&h.admin, id, r1_id).expect("r1");
    h.app.assign_reviewer(&h.admin, id, r2_id).expect("r2");
    let scores = |a: &str, b: &str| {
        BTreeMap::from([
            ("Relevance".to_owned(), a.to_owned()),
            ("Diversity".to_owned(), b.to_owned()),
        ])
    };
    // A score outside the scale is refused, naming the criterion; nothing is stored.
    let bad = field_of(
        h.app
            .save_review(&r1, id, &scores("6", "3"), "")
            .expect_err("scale"),
    );
    assert!(
        bad[0].starts_with("scores") && bad[0].contains("Relevance"),
        "{bad:?}"
    );
    h.app
        .save_review(&r1, id, &scores("5", "3"), "Rita's comment")
        .expect("r1 review");
    // Raj, before his own review: sees the count, not the scores.
    let before = h.app.submission(&r2, id).expect("r2 view");
    assert_eq!(before.standing, Standing::Reviewer);
    assert_eq!((before.review_count, before.reviews.len()), (1, 0));
    assert!(
        before.people.iter().all(|p| p.email.is_empty()),
        "no addresses for reviewers"
    );
    h.app
        .save_review(&r2, id, &scores("2", "2"), "Raj's comment")
        .expect("r2 review");
    let after = h.app.submission(&r2, id).expect("r2 view");
    assert_eq!(after.reviews.len(), 2);
    assert!(after.reviews.iter().all(|r| r.reviewer_id.is_none()));
    let labels: Vec<&str> = after.reviews.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["Reviewer 1", "Your review"]);
    // Rosa (same organization as the speaker) cannot see it at all.
    assert!(matches!(h.app.submission(&r3, id), Err(AppError::NotFound)));
    assert!(h.app.save_review(&r3, id, &scores("1", "1"), "").is_err());
    // The proposer sees nothing before the decision, then the reviews without names.
    let mine = h.app.submission(&ana, id).expect("ana");
    assert!(mine.reviews.is_empty());
    h.app
        .decide(
            &h.admin,
            id,
            &DecisionInput {
                decision: "accept".into(),
                reason: "Welcome.".into(),
                ..DecisionInput::default()
            },
        )
        .expect("accepted");
    let mine = h.app.submission(&ana, id).expect("ana");
    assert_eq!(mine.reviews.len(), 2);
    for r in &mine.reviews {
        assert!(r.reviewer_id.is_none());
        assert!(r.label.starts_with("Reviewer "));
        assert!(!r.label.contains("Rita") && !r.label.contains("Raj"));
    }
    // The secretariat sees who wrote what; the committee table has the normalised scores.
    let full = h.app.submission(&h.admin, id).expect("admin");
    assert!(
        full.reviews
            .iter()
            .any(|r| r.label == "Rita One" && r.reviewer_id == Some(r1_id))
    );
    let committee = h.app.committee(&h.admin, h.call).expect("committee");
    let line = &committee.lines[0];
    assert_eq!(line.reviews, 2);
    // On the call's scale: Rita's 5 and 3 score 4, Raj's 2 and 2 score 2 (not sums).
    assert_eq!(line.aggregate.as_ref().expect("aggregate").mean, 3.0);
    assert_eq!(line.criteria["Relevance"], 3.5);
    // Reviews are closed once decided.
    assert!(matches!(
        h.app.save_review(&r1, id, &scores("1", "1"), ""),
        Err(AppError::Refused(_))
    ));
    // Nobody but the secretariat runs the committee.
    assert!(matches!(
        h.app.committee(&r1, h.call),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        h.app.committee(&ana, h.call),
        Err(AppError::Forbidden)
    ));
    // The proposer's mail never names a reviewer (reviewers' own notices name them).
    let to_proposer = h.app.outbox(100).expect("outbox");
    for m in to_proposer
        .iter()
        .filter(|m| m.recipient == "ana@example.org")
    {
        assert!(
            !m.body_text.contains("Rita") && !m.body_text.contains("Raj"),
            "{}",
            m.body_text
        );
    }
}

fn decisions_notify_merge_keeps_both_proposers_and_the_selection_is_published(h: Harness) {
    let ana = account(&h, "ana@example.org", "Ana Pérez");
    let bo = account(&h, "bo@example.org", "Bo Li");
    let cy = account(&h, "cy@example.org", "Cy Okoro");
    let a = sent(&h, &ana, "Connectivity A", "Digital inclusion", "Org A");
    let b = sent(&h, &bo, "Connectivity B", "Digital inclusion", "Org B");
    let c = sent(&h, &cy, "Security C", "Cybersecurity", "Org C");
    let decide = |id: i64, decision: &str, reason: &str, merge: &str| {
        h.app.decide(
            &h.admin,
            id,
            &DecisionInput {
                decision: decision.into(),
                reason: reason.into(),
                merge_into: merge.into(),
            },
        )
    };
    decide(a, "accept", "", "").expect("accept");
    decide(b, "merge", "Two similar proposals.", &format!("#{a}")).expect("merge");
    let merged = h.app.submission(&ana, a).expect("a");
    let names: Vec<&str> = merged
        .people
        .iter()
        .map(|p| p.display_name.as_str())
        .collect();
    assert_eq!(names, ["Ana Pérez", "Bo Li"]);
    // Bo now co-proposes A and can read it; B says where it went.
    let b_view = h.app.submission(&bo, b).expect("b");
    assert_eq!(b_view.submission.status, SubmissionStatus::Merged);
    assert_eq!(b_view.merged_into.as_ref().map(|m| m.0), Some(a));
    assert!(h.app.submission(&bo, a).is_ok());
    // A merge into itself, a draft target, or asking for changes without a reason fail.
    assert!(
        field_of(decide(c, "merge", "", &c.to_string()).expect_err("self"))[0]
            .starts_with("merge_into")
    );
    assert!(
        field_of(decide(c, "request_changes", "", "").expect_err("no reason"))[0]
            .starts_with("reason")
    );
    decide(c, "request_changes", "Add a government speaker.", "").expect("changes");
    // Cy changes it and sends it again (also after the close).
    at(&h, 2026, 5, 1, 12);
    let view = h.app.submission(&cy, c).expect("c");
    assert!(
        view.may_edit.is_ok() && view.may_submit.is_ok(),
        "{:?} {:?}",
        view.may_edit,
        view.may_submit
    );
    let mut again = proposal(
        "Security C",
        "Cybersecurity",
        vec![
            speaker("Cy Okoro", "Org C", "civil_society", "NG"),
            speaker("Dana Fox", "Ministry", "government", "US"),
        ],
    );
    again.version = Some(view.submission.version);
    h.app
        .save_submission(&cy, h.call, Some(c), &again)
        .expect("changed");
    h.app.submit_submission(&cy, c).expect("sent again");
    decide(c, "accept", "", "").expect("accept c");
    let mail = kinds(&h);
    for expected in [
        ("submission_accepted", "ana@example.org"),
        ("submission_merged", "bo@example.org"),
        ("submission_changes_requested", "cy@example.org"),
        ("submission_accepted", "cy@example.org"),
    ] {
        assert!(
            mail.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {mail:?}"
        );
    }
    // The balance of the accepted set and the published selection.
    let balance = h.app.call_balance(&h.admin, h.call).expect("balance");
    assert_eq!((balance.sessions, balance.speakers), (2, 3));
    let anonymous = Caller::anonymous(None);
    assert!(matches!(
        h.app.selection(&anonymous, h.call),
        Err(AppError::NotFound)
    ));
    h.app
        .publish_selection(&h.admin, h.call, true)
        .expect("published");
    let (_, list) = h.app.selection(&anonymous, h.call).expect("public");
    let titles: Vec<&str> = list.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Connectivity A", "Security C"]);
}

fn only_the_secretariat_sets_up_calls(h: Harness) {
    let ana = account(&h, "ana@example.org", "Ana Pérez");
    assert!(matches!(
        h.app.save_call(&ana, None, &call_input("Mine")),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        h.app
            .save_call(&Caller::anonymous(None), None, &call_input("Mine")),
        Err(AppError::SignInRequired)
    ));
    assert!(matches!(
        h.app.run_assignment(&ana, h.call),
        Err(AppError::Forbidden)
    ));
    let bad = CallInput {
        time_zone: "Mars/Olympus".into(),
        closes_at: "2026-02-01T00:00".into(),
        scale_min: "5".into(),
        scale_max: "5".into(),
        prerequisite: "accepted:999".into(),
        ..call_input("Bad")
    };
    let errors = field_of(h.app.save_call(&h.admin, None, &bad).expect_err("bad"));
    assert!(
        errors.iter().any(|e| e.starts_with("time_zone")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("scale_max")),
        "{errors:?}"
    );
    let closes = CallInput {
        closes_at: "2026-02-01T00:00".into(),
        ..call_input("Bad")
    };
    let errors = field_of(h.app.save_call(&h.admin, None, &closes).expect_err("bad"));
    assert!(errors[0].starts_with("closes_at"), "{errors:?}");
    let unknown = CallInput {
        prerequisite: "accepted:999".into(),
        ..call_input("Bad")
    };
    assert!(
        field_of(h.app.save_call(&h.admin, None, &unknown).expect_err("bad"))[0]
            .starts_with("prerequisite")
    );
    assert_eq!(
        h.app.calls().expect("calls").len(),
        1,
        "nothing half-stored"
    );
}

fn reviewers_hear_of_their_assignments_and_see_them_on_their_dashboard(h: Harness) {
    let proposers: Vec<Caller> = (0..3)
        .map(|i| account(&h, &format!("q{i}@example.org"), &format!("Proposer {i}")))
        .collect();
    let subs: Vec<i64> = proposers
        .iter()
        .enumerate()
        .map(|(i, p)| sent(&h, p, &format!("Talk {i}"), "Digital inclusion", "Org"))
        .collect();
    let pool = [
        reviewer(&h, "r1@example.org", "Rita One", "A", "government"),
        reviewer(&h, "r2@example.org", "Raj Two", "B", "civil_society"),
        reviewer(&h, "r3@example.org", "Rosa Three", "C", "private_sector"),
    ];
    let emails = ["r1@example.org", "r2@example.org", "r3@example.org"];
    let mails = || -> Vec<usize> {
        let outbox = kinds(&h);
        emails
            .iter()
            .map(|who| {
                outbox
                    .iter()
                    .filter(|(kind, to)| kind == "reviews_assigned" && to == who)
                    .count()
            })
            .collect()
    };
    h.app.run_assignment(&h.admin, h.call).expect("assigned");
    let loads: Vec<usize> = pool
        .iter()
        .map(|(who, _)| h.app.my_assignments(who).expect("mine").len())
        .collect();
    assert_eq!(
        loads.iter().sum::<usize>(),
        6,
        "two reviewers for each of three"
    );
    let expected: Vec<usize> = loads.iter().map(|n| usize::from(*n > 0)).collect();
    assert_eq!(
        mails(),
        expected,
        "one mail per reviewer with work, per run"
    );
    let busiest = (0..3).max_by_key(|i| loads[*i]).expect("a reviewer");
    let mail = h
        .app
        .outbox(1000)
        .expect("outbox")
        .into_iter()
        .find(|m| m.kind == "reviews_assigned" && m.recipient == emails[busiest])
        .expect("the busiest reviewer was told");
    assert!(
        mail.subject.contains("Workshop proposals 2026"),
        "{}",
        mail.subject
    );
    assert!(
        mail.body_text
            .contains(&format!("{} more submission", loads[busiest]))
            && mail.body_text.contains("https://forum.example.org/reviews"),
        "{}",
        mail.body_text
    );
    // A run that adds nothing tells nobody again.
    h.app.run_assignment(&h.admin, h.call).expect("re-run");
    assert_eq!(mails(), expected);
    // The dashboard counts what is done and what remains, per call.
    let (who, _) = &pool[busiest];
    let board = h.app.dashboard(who).expect("dashboard");
    assert_eq!(board.reviews.len(), 1);
    assert_eq!(board.reviews[0].call_title, "Workshop proposals 2026");
    assert_eq!(
        (board.reviews[0].done, board.reviews[0].remaining),
        (0, loads[busiest])
    );
    let first = h.app.my_assignments(who).expect("mine")[0].submission.id;
    let scores = BTreeMap::from([
        ("Relevance".to_owned(), "4".to_owned()),
        ("Diversity".to_owned(), "3".to_owned()),
    ]);
    h.app
        .save_review(who, first, &scores, "Fine.")
        .expect("review");
    let board = h.app.dashboard(who).expect("dashboard");
    assert_eq!(
        (board.reviews[0].done, board.reviews[0].remaining),
        (1, loads[busiest] - 1)
    );
    // Assigning by hand tells the reviewer too: the least busy one takes a submission
    // they do not have yet.
    let idlest = (0..3).min_by_key(|i| loads[*i]).expect("a reviewer");
    let (idle, idle_id) = &pool[idlest];
    let theirs: Vec<i64> = h
        .app
        .my_assignments(idle)
        .expect("theirs")
        .iter()
        .map(|a| a.submission.id)
        .collect();
    let free = *subs
        .iter()
        .find(|s| !theirs.contains(s))
        .expect("a free one");
    let before = mails()[idlest];
    h.app
        .assign_reviewer(&h.admin, free, *idle_id)
        .expect("by hand");
    assert_eq!(mails()[idlest], before + 1);
}

on_both_backends!(
    drafts_are_kept_and_sending_is_refused_after_the_closing_instant,
    co_proposers_edit_together_and_stale_edits_are_refused,
    a_person_may_send_only_so_many,
    follow_up_calls_open_after_their_prerequisite,
    files_are_checked_and_shown_to_those_who_see_the_submission,
    the_assignment_serves_everyone_without_conflicts_and_keeps_finished_reviews,
    reviews_follow_the_visibility_rules,
    decisions_notify_merge_keeps_both_proposers_and_the_selection_is_published,
    only_the_secretariat_sets_up_calls,
    reviewers_hear_of_their_assignments_and_see_them_on_their_dashboard,
);
