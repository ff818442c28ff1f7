//! Registration: capacity, waiting list and promotion, approval, changes and
//! cancellation through the management link, check-in, the public list, and a burst of
//! concurrent registrations that never overbooks — on SQLite and PostgreSQL.

mod common;

use common::{PASSWORD, admin, app_at, signed_in};
use plenary_app::registration::{
    CategoryInput, EventInput, QuestionInput, RegistrationInput, RegistrationQuery,
};
use plenary_app::{App, AppConfig, AppError, Caller, FixedClock, NewAccount};
use plenary_domain::registration::RegistrationStatus;
use plenary_domain::{Grant, Role, Scope};
use plenary_store::testing::TestDb;
use plenary_store::{DatabaseUrl, Db};
use std::collections::BTreeMap;
use std::sync::Arc;

struct Harness {
    app: App,
    clock: Arc<FixedClock>,
    admin: Caller,
    event: i64,
    onsite: i64,
    db: TestDb,
}

fn harness(db: TestDb) -> Harness {
    let (app, clock) = app_at(&db, (2026, 5, 1, 10));
    let admin = admin(&app);
    let event = app
        .save_event(
            &admin,
            None,
            &EventInput {
                title: "Annual Forum 2026".into(),
                venue: "Conference Centre, Nairobi".into(),
                time_zone: "Africa/Nairobi".into(),
                starts_at: "2026-06-22T09:00".into(),
                ends_at: "2026-06-26T18:00".into(),
                registration_opens_at: "2026-04-01T00:00".into(),
                registration_closes_at: "2026-06-01T00:00".into(),
                changes_until: "2026-06-10T00:00".into(),
                public_list: true,
                visa_letters: false,
                visa_retention_days: String::new(),
            },
        )
        .expect("event")
        .id;
    let onsite = app
        .save_category(
            &admin,
            event,
            None,
            &CategoryInput {
                name: "Onsite".into(),
                mode: "onsite".into(),
                capacity: "3".into(),
                needs_approval: false,
            },
        )
        .expect("category")
        .id;
    app.add_question(
        &admin,
        event,
        &QuestionInput {
            key: "diet".into(),
            label: "Dietary needs".into(),
            kind: "choice".into(),
            required: false,
            options: "none\nvegetarian\nhalal".into(),
        },
    )
    .expect("question");
    app.add_question(
        &admin,
        event,
        &QuestionInput {
            key: "code_of_conduct".into(),
            label: "I accept the code of conduct".into(),
            kind: "checkbox".into(),
            required: true,
            options: String::new(),
        },
    )
    .expect("consent question");
    Harness {
        app,
        clock,
        admin,
        event,
        onsite,
        db,
    }
}

fn person(n: usize, category: i64) -> RegistrationInput {
    let mut answers = BTreeMap::new();
    answers.insert("code_of_conduct".to_owned(), vec!["on".to_owned()]);
    RegistrationInput {
        category_id: category.to_string(),
        email: format!("person{n}@example.org"),
        family_name: format!("Family{n}"),
        given_name: "Ana".into(),
        organization: "ISOC".into(),
        country: "KE".into(),
        answers,
        listed: n.is_multiple_of(2),
    }
}

fn status_of(h: &Harness, id: i64) -> RegistrationStatus {
    h.app
        .registration(&h.admin, id)
        .expect("registration")
        .registration
        .status
}

fn outbox_kinds(h: &Harness) -> Vec<String> {
    h.app
        .outbox(1000)
        .expect("outbox")
        .into_iter()
        .map(|m| m.kind)
        .collect()
}

fn exactly_the_capacity_is_seated_and_the_rest_wait_in_order(h: Harness) {
    let mut ids = Vec::new();
    for n in 0..5 {
        let r = h
            .app
            .register(&Caller::anonymous(None), h.event, &person(n, h.onsite))
            .expect("register");
        assert!(r.created && r.manage_token.is_some());
        ids.push((
            r.registration.id,
            r.registration.status,
            r.waitlist_position,
        ));
    }
    let statuses: Vec<_> = ids.iter().map(|(_, s, p)| (*s, *p)).collect();
    use RegistrationStatus::{Confirmed, Waitlisted};
    assert_eq!(
        statuses,
        [
            (Confirmed, None),
            (Confirmed, None),
            (Confirmed, None),
            (Waitlisted, Some(1)),
            (Waitlisted, Some(2))
        ]
    );
    let kinds = outbox_kinds(&h);
    assert_eq!(
        kinds
            .iter()
            .filter(|k| *k == "registration_confirmed")
            .count(),
        3
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| *k == "registration_waitlisted")
            .count(),
        2
    );
    let category = &h.app.event(h.event).expect("event").categories[0];
    assert_eq!((category.capacity, category.taken), (Some(3), 3));
    // The confirmation carries the event as iCalendar and the private link; the waiting
    // list message says the place in the queue.
    let outbox = h.app.outbox(1000).expect("outbox");
    let confirmed = outbox
        .iter()
        .find(|m| m.kind == "registration_confirmed")
        .expect("confirmation");
    assert_eq!(confirmed.attachments.len(), 1);
    let ics = String::from_utf8(confirmed.attachments[0].data.clone()).expect("utf-8");
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("SUMMARY:Annual Forum 2026"));
    assert!(
        confirmed
            .body_text
            .contains("https://forum.example.org/registrations/")
    );
    assert!(
        confirmed
            .body_text
            .contains("22 June – 26 June 2026 (Africa/Nairobi)")
    );
    let waiting = outbox
        .iter()
        .filter(|m| m.kind == "registration_waitlisted")
        .map(|m| m.body_text.as_str())
        .collect::<Vec<_>>();
    assert!(
        waiting
            .iter()
            .any(|b| b.contains("number 2 on the waiting list")),
        "{waiting:?}"
    );
}

fn submitting_twice_gives_one_registration(h: Harness) {
    let first = h
        .app
        .register(&Caller::anonymous(None), h.event, &person(1, h.onsite))
        .expect("first");
    let mut again = person(1, h.onsite);
    again.email = "PERSON1@Example.org".into();
    let second = h
        .app
        .register(&Caller::anonymous(None), h.event, &again)
        .expect("second");
    assert!(!second.created && second.manage_token.is_none());
    assert_eq!(second.registration.id, first.registration.id);
    let page = h
        .app
        .registrations(&h.admin, h.event, &RegistrationQuery::default())
        .expect("list");
    assert_eq!(page.total, 1);
    assert_eq!(h.app.event(h.event).expect("event").categories[0].taken, 1);
}

fn a_cancellation_promotes_the_head_of_the_waiting_list(h: Harness) {
    let regs: Vec<_> = (0..5)
        .map(|n| {
            h.app
                .register(&Caller::anonymous(None), h.event, &person(n, h.onsite))
                .expect("register")
        })
        .collect();
    let token = regs[1].manage_token.clone().expect("token");
    let view = h.app.cancel_by_token(&token).expect("cancel");
    assert_eq!(view.registration.status, RegistrationStatus::Cancelled);
    assert_eq!(
        status_of(&h, regs[3].registration.id),
        RegistrationStatus::Confirmed
    );
    assert_eq!(
        status_of(&h, regs[4].registration.id),
        RegistrationStatus::Waitlisted
    );
    assert!(outbox_kinds(&h).contains(&"registration_promoted".to_owned()));
    let view = h
        .app
        .registration_by_token(regs[4].manage_token.as_deref().expect("token"))
        .expect("view");
    assert_eq!(view.waitlist_position, Some(1));
    let category = &h.app.event(h.event).expect("event").categories[0];
    assert_eq!((category.taken, category.waiting), (3, 1));
    // Cancelling twice is refused; registering again (later) queues at the end.
    assert!(matches!(
        h.app.cancel_by_token(&token),
        Err(AppError::Refused(_))
    ));
    h.clock.advance(chrono::Duration::minutes(1));
    let back = h
        .app
        .register(&Caller::anonymous(None), h.event, &person(1, h.onsite))
        .expect("again");
    assert!(back.created);
    assert_eq!(back.registration.status, RegistrationStatus::Waitlisted);
    assert_eq!(back.waitlist_position, Some(2));
}

fn raising_the_capacity_promotes_and_lowering_it_keeps_seats(h: Harness) {
    let regs: Vec<_> = (0..6)
        .map(|n| {
            h.app
                .register(&Caller::anonymous(None), h.event, &person(n, h.onsite))
                .expect("register")
        })
        .collect();
    let raise = |capacity: &str| {
        h.app
            .save_category(
                &h.admin,
                h.event,
                Some(h.onsite),
                &CategoryInput {
                    name: "Onsite".into(),
                    mode: "onsite".into(),
                    capacity: capacity.into(),
                    needs_approval: false,
                },
            )
            .expect("save category")
    };
    assert_eq!(raise("5").taken, 5);
    assert_eq!(
        status_of(&h, regs[4].registration.id),
        RegistrationStatus::Confirmed
    );
    assert_eq!(
        status_of(&h, regs[5].registration.id),
        RegistrationStatus::Waitlisted
    );
    // Lower than the seats taken: nobody loses a seat, nobody new gets one.
    assert_eq!(raise("2").taken, 5);
    assert_eq!(
        h.app
            .register(&Caller::anonymous(None), h.event, &person(9, h.onsite))
            .expect("register")
            .registration
            .status,
        RegistrationStatus::Waitlisted
    );
    assert_eq!(raise("").taken, 7, "unlimited: everyone waiting is seated");
}

fn approval_holds_a_seat_and_a_rejection_frees_it(h: Harness) {
    let vip = h
        .app
        .save_category(
            &h.admin,
            h.event,
            None,
            &CategoryInput {
                name: "Press".into(),
                mode: "onsite".into(),
                capacity: "1".into(),
                needs_approval: true,
            },
        )
        .expect("category")
        .id;
    let a = h
        .app
        .register(&Caller::anonymous(None), h.event, &person(1, vip))
        .expect("a");
    let b = h
        .app
        .register(&Caller::anonymous(None), h.event, &person(2, vip))
        .expect("b");
    assert_eq!(a.registration.status, RegistrationStatus::Pending);
    assert_eq!(b.registration.status, RegistrationStatus::Waitlisted);
    let rejected = h
        .app
        .moderate_registration(&h.admin, a.registration.id, false, "Not a journalist.")
        .expect("reject");
    assert_eq!(rejected.status, RegistrationStatus::Rejected);
    assert_eq!(rejected.reason, "Not a journalist.");
    assert_eq!(
        status_of(&h, b.registration.id),
        RegistrationStatus::Pending
    );
    let approved = h
        .app
        .moderate_registration(&h.admin, b.registration.id, true, "")
        .expect("approve");
    assert_eq!(approved.status, RegistrationStatus::Confirmed);
    assert!(matches!(
        h.app
            .moderate_registration(&h.admin, b.registration.id, true, ""),
        Err(AppError::Refused(_))
    ));
    let kinds = outbox_kinds(&h);
    for kind in [
        "registration_pending",
        "registration_rejected",
        "registration_confirmed",
    ] {
        assert!(kinds.contains(&kind.to_owned()), "{kind} in {kinds:?}");
    }
}

fn bad_input_names_the_field_and_closed_forms_say_so(h: Harness) {
    let mut bad = person(1, h.onsite);
    bad.email = "not an address".into();
    bad.country = "XX".into();
    bad.answers.clear();
    bad.answers.insert("diet".into(), vec!["vegan".into()]);
    let Err(AppError::Invalid(errors)) = h.app.register(&Caller::anonymous(None), h.event, &bad)
    else {
        panic!("invalid input is refused");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["email", "country", "answers", "answers"]);
    assert!(errors[2].to_string().contains("Dietary needs"));
    assert_eq!(
        h.app
            .registrations(&h.admin, h.event, &RegistrationQuery::default())
            .expect("list")
            .total,
        0,
        "nothing stored"
    );
    h.clock.advance(chrono::Duration::days(45));
    assert!(matches!(
        h.app
            .register(&Caller::anonymous(None), h.event, &person(1, h.onsite)),
        Err(AppError::Refused("registration for this event is closed"))
    ));
}

fn the_link_changes_details_until_the_cut_off(h: Harness) {
    let r = h
        .app
        .register(&Caller::anonymous(None), h.event, &person(1, h.onsite))
        .expect("register");
    let token = r.manage_token.expect("token");
    let mut changed = person(1, h.onsite);
    changed.organization = "APC".into();
    changed.email = "someone-else@example.org".into();
    changed
        .answers
        .insert("diet".into(), vec!["vegetarian".into()]);
    let view = h.app.update_registration(&token, &changed).expect("update");
    assert_eq!(view.registration.organization, "APC");
    assert_eq!(
        view.registration.email, "person1@example.org",
        "the address stays"
    );
    assert_eq!(view.answers["diet"], ["vegetarian"]);
    assert!(matches!(
        h.app.registration_by_token("0000"),
        Err(AppError::LinkInvalid)
    ));
    h.clock.advance(chrono::Duration::days(45));
    assert!(
        !h.app
            .registration_by_token(&token)
            .expect("view")
            .changeable
    );
    assert!(matches!(
        h.app.cancel_by_token(&token),
        Err(AppError::Refused(_))
    ));
}

fn checking_in_twice_is_harmless(h: Harness) {
    let regs: Vec<_> = (0..4)
        .map(|n| {
            h.app
                .register(&Caller::anonymous(None), h.event, &person(n, h.onsite))
                .expect("register")
        })
        .collect();
    let code = regs[0].registration.badge_code.to_lowercase();
    let first = h.app.check_in(&h.admin, &code).expect("check in");
    assert!(!first.again);
    h.clock.advance(chrono::Duration::minutes(5));
    let second = h.app.check_in(&h.admin, &code).expect("again");
    assert!(second.again);
    assert_eq!(second.first_at, first.first_at);
    assert!(
        matches!(
            h.app.check_in(&h.admin, &regs[3].registration.badge_code),
            Err(AppError::Refused(_))
        ),
        "a waiting registration does not check in"
    );
    assert!(matches!(
        h.app.check_in(&h.admin, "NOPE"),
        Err(AppError::Invalid(_))
    ));
}

fn only_the_secretariat_manages_and_the_public_list_needs_consent(h: Harness) {
    for n in 0..4 {
        h.app
            .register(&Caller::anonymous(None), h.event, &person(n, h.onsite))
            .expect("register");
    }
    let listed = h.app.public_participants(h.event).expect("public list");
    // Even-numbered people consented; person 3 waits (not confirmed) and did not consent.
    let names: Vec<&str> = listed.iter().map(|l| l.family_name.as_str()).collect();
    assert_eq!(names, ["Family0", "Family2"]);
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "member@example.org".into(),
                display_name: "Member".into(),
                password: PASSWORD.into(),
                grants: vec![Grant {
                    role: Role::Member,
                    scope: Scope::Global,
                }],
            },
        )
        .expect("account");
    let member = signed_in(&h.app, "member@example.org");
    assert!(matches!(
        h.app
            .registrations(&member, h.event, &RegistrationQuery::default()),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        h.app.check_in(&member, "ABC"),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        h.app
            .save_event(&Caller::anonymous(None), None, &EventInput::default()),
        Err(AppError::SignInRequired)
    ));
    // The list is searchable and paginated on the server.
    let found = h
        .app
        .registrations(
            &h.admin,
            h.event,
            &RegistrationQuery {
                search: "family2".into(),
                ..Default::default()
            },
        )
        .expect("search");
    assert_eq!(found.total, 1);
    assert_eq!(found.registrations[0].family_name, "Family2");
}

fn badges_go_to_their_owner_and_the_secretariat_and_a_scan_changes_nothing(h: Harness) {
    for email in ["owner@example.org", "other@example.org"] {
        h.app
            .create_user(
                &h.admin,
                &NewAccount {
                    email: email.into(),
                    display_name: "Member".into(),
                    password: PASSWORD.into(),
                    grants: vec![Grant {
                        role: Role::Member,
                        scope: Scope::Global,
                    }],
                },
            )
            .expect("account");
    }
    let owner = signed_in(&h.app, "owner@example.org");
    let other = signed_in(&h.app, "other@example.org");
    let mut own = person(0, h.onsite);
    own.given_name = "Ana María".into();
    own.family_name = "Núñez".into();
    let mine = h.app.register(&owner, h.event, &own).expect("register");
    let regs: Vec<_> = (1..4)
        .map(|n| {
            h.app
                .register(&Caller::anonymous(None), h.event, &person(n, h.onsite))
                .expect("register")
        })
        .collect();
    let (id, code) = (mine.registration.id, mine.registration.badge_code.clone());
    let token = mine.manage_token.expect("token");

    // Through the link, by the owner, by the secretariat: the same badge.
    let badge = h.app.badge_by_token(&token).expect("badge by link");
    assert_eq!(badge.file_name, "badge-ana-maria-nunez.pdf");
    assert_eq!(
        plenary_app::pdf::testing::read_qr(&badge.pdf, plenary_app::pdf::PageSize::A6),
        format!("https://forum.example.org/check-in?code={code}")
    );
    let text = plenary_app::pdf::testing::pdftotext(&badge.pdf);
    for expected in [
        "Annual Forum 2026",
        "22 June – 26 June 2026 (Africa/Nairobi)",
        "Ana María Núñez",
        "ISOC",
        "Onsite",
        code.as_str(),
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }
    assert!(
        !text.contains("Onsite · Onsite"),
        "a category named after its mode"
    );
    assert_eq!(h.app.badge(&owner, id).expect("own badge").pdf, badge.pdf);
    assert_eq!(h.app.badge(&h.admin, id).expect("any badge").pdf, badge.pdf);
    // Not another account's, not anonymously; not while waiting; not a dead link.
    assert!(matches!(h.app.badge(&other, id), Err(AppError::NotFound)));
    assert!(matches!(
        h.app.badge(&other, regs[0].registration.id),
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        h.app.badge(&Caller::anonymous(None), id),
        Err(AppError::SignInRequired)
    ));
    let waiting = &regs[2];
    assert_eq!(waiting.registration.status, RegistrationStatus::Waitlisted);
    for refused in [
        h.app
            .badge_by_token(waiting.manage_token.as_deref().expect("token"))
            .map(|_| ()),
        h.app.badge(&h.admin, waiting.registration.id).map(|_| ()),
    ] {
        assert!(
            matches!(refused, Err(AppError::Refused(why)) if why.contains("once the registration is confirmed"))
        );
    }
    assert!(matches!(
        h.app.badge_by_token("0123abcd"),
        Err(AppError::LinkInvalid)
    ));
    assert!(matches!(
        h.app.badge(&h.admin, 999_999),
        Err(AppError::NotFound)
    ));

    // What a scan shows before the check-in changes nothing; then it shows the check-in.
    let seen = h
        .app
        .badge_holder(&h.admin, &code.to_lowercase())
        .expect("holder");
    assert_eq!(
        (
            seen.registration.id,
            seen.registration.checked_in_at,
            seen.category.id
        ),
        (id, None, h.onsite)
    );
    assert!(
        h.app
            .badge_holder(&h.admin, &code)
            .expect("again")
            .registration
            .checked_in_at
            .is_none()
    );
    let done = h.app.check_in(&h.admin, &code).expect("check in");
    assert_eq!(
        h.app
            .badge_holder(&h.admin, &code)
            .expect("holder")
            .registration
            .checked_in_at,
        Some(done.first_at)
    );
    assert!(matches!(
        h.app.badge_holder(&owner, &code),
        Err(AppError::Forbidden)
    ));
    for (raw, problem) in [("", "is required"), ("ZZZZ", "not a known badge code")] {
        match h.app.badge_holder(&h.admin, raw) {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(errors[0].field, "code");
                assert!(errors[0].to_string().contains(problem), "{}", errors[0]);
            }
            other => panic!("{raw:?}: {other:?}"),
        }
    }
}

/// Many people register at once through separate application instances (separate
/// connection pools, as two `serve` processes would have): exactly the capacity is
/// seated.
fn a_burst_never_overbooks(h: Harness) {
    const PEOPLE: usize = 40;
    let url = DatabaseUrl::parse(&h.db.url()).expect("url");
    let second = App::new(
        Db::open(&url).expect("second pool"),
        AppConfig {
            base_url: "https://forum.example.org".into(),
            mail_from: "noreply@forum.example.org".into(),
        },
        h.clock.clone(),
    )
    .expect("second app");
    let apps = [h.app.clone(), second];
    std::thread::scope(|s| {
        for n in 0..PEOPLE {
            let app = apps[n % 2].clone();
            let (event, onsite) = (h.event, h.onsite);
            s.spawn(move || {
                app.register(&Caller::anonymous(None), event, &person(n, onsite))
                    .expect("register")
            });
        }
    });
    let page = h
        .app
        .registrations(&h.admin, h.event, &RegistrationQuery::default())
        .expect("list");
    let count = |status| {
        page.counts
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!(count(RegistrationStatus::Confirmed), 3);
    assert_eq!(count(RegistrationStatus::Waitlisted), PEOPLE as i64 - 3);
    let category = &h.app.event(h.event).expect("event").categories[0];
    assert_eq!((category.taken, category.waiting), (3, PEOPLE as i64 - 3));
}

fn the_secretariat_promotes_from_the_waiting_list_by_hand(h: Harness) {
    let regs: Vec<_> = (0..5)
        .map(|n| {
            h.app
                .register(&Caller::anonymous(None), h.event, &person(n, h.onsite))
                .expect("register")
                .registration
        })
        .collect();
    let last = regs[4].id;
    assert_eq!(status_of(&h, last), RegistrationStatus::Waitlisted);
    let promoted = h
        .app
        .moderate_registration(&h.admin, last, true, "")
        .expect("promoted ahead of the list");
    assert_eq!(promoted.status, RegistrationStatus::Confirmed);
    assert_eq!(
        status_of(&h, regs[3].id),
        RegistrationStatus::Waitlisted,
        "the one ahead still waits"
    );
    let category = h
        .app
        .event(h.event)
        .expect("event")
        .categories
        .into_iter()
        .find(|c| c.id == h.onsite)
        .expect("category");
    assert_eq!(
        (category.capacity, category.taken, category.waiting),
        (Some(4), 4, 1),
        "one more seat, never more taken than the capacity"
    );
    assert!(outbox_kinds(&h).contains(&"registration_promoted".to_owned()));
    assert!(matches!(
        h.app.moderate_registration(&h.admin, last, true, ""),
        Err(AppError::Refused(_))
    ));
}

on_both_backends!(
    the_secretariat_promotes_from_the_waiting_list_by_hand,
    exactly_the_capacity_is_seated_and_the_rest_wait_in_order,
    submitting_twice_gives_one_registration,
    a_cancellation_promotes_the_head_of_the_waiting_list,
    raising_the_capacity_promotes_and_lowering_it_keeps_seats,
    approval_holds_a_seat_and_a_rejection_frees_it,
    bad_input_names_the_field_and_closed_forms_say_so,
    the_link_changes_details_until_the_cut_off,
    checking_in_twice_is_harmless,
    badges_go_to_their_owner_and_the_secretariat_and_a_scan_changes_nothing,
    only_the_secretariat_manages_and_the_public_list_needs_consent,
    a_burst_never_overbooks,
);
