//! Minutes and action items on both backends.

#[macro_use]
mod common;

use chrono::Duration;
use plenary_app::{
    ActionFilter, ActionInput, App, AppError, BodyInput, Caller, DayInput, FixedClock, ItemInput,
    MeetingInput, NewAccount, PersonInput,
};
use plenary_domain::minutes::{ActionStatus, MinutesState, Owner};
use plenary_store::testing::TestDb;
use std::sync::Arc;

struct Harness {
    app: App,
    admin: Caller,
    clock: Arc<FixedClock>,
    body: i64,
    meeting: i64,
    item: i64,
    _db: TestDb,
}

fn meeting(app: &App, admin: &Caller, body: i64, date: &str) -> (i64, i64) {
    let input = MeetingInput {
        body_id: Some(body),
        title: format!("MAG meeting {date}"),
        kind: "advisory_group_meeting".into(),
        mode: "online".into(),
        time_zone: "Europe/Zurich".into(),
        starts_on: date.into(),
        starts_time: "15:00".into(),
        ends_on: date.into(),
        ends_time: "17:00".into(),
        published: true,
        ..Default::default()
    };
    let m = app.save_meeting(admin, None, &input).expect("meeting").id;
    let d = app
        .save_day(
            admin,
            m,
            None,
            &DayInput {
                day: date.into(),
                ..Default::default()
            },
        )
        .expect("day")
        .id;
    let i = app
        .save_item(
            admin,
            m,
            None,
            &ItemInput {
                day_id: Some(d),
                number: "1".into(),
                title: "Updates".into(),
                ..Default::default()
            },
        )
        .expect("item")
        .id;
    (m, i)
}

fn harness(db: TestDb) -> Harness {
    let (app, clock) = common::app_at(&db, (2024, 8, 20, 8));
    let admin = common::admin(&app);
    let body = app
        .save_body(
            &admin,
            None,
            &BodyInput {
                kind: "advisory_group".into(),
                short_name: "MAG".into(),
                name: "MAG".into(),
                ..Default::default()
            },
        )
        .expect("body")
        .id;
    let (meeting, item) = meeting(&app, &admin, body, "2024-08-20");
    Harness {
        app,
        admin,
        clock,
        body,
        meeting,
        item,
        _db: db,
    }
}

/// The admin's own directory entry (linked to the account by its address).
fn admin_person(h: &Harness) -> i64 {
    h.app
        .save_person(
            &h.admin,
            None,
            &PersonInput {
                family_name: "Admin".into(),
                email: "admin@example.org".into(),
                ..Default::default()
            },
        )
        .expect("person")
        .id
}

on_both_backends!(
    a_stale_edit_is_refused_with_the_newer_text,
    approved_minutes_are_read_only_until_reopened,
    actions_are_checked_and_move_through_their_statuses,
    an_action_is_followed_up_and_closed_in_a_later_meeting,
    the_dashboard_counts_open_and_overdue_actions,
    the_dashboard_leads_a_member_and_a_chair_to_their_work,
    owners_are_named_and_an_unlisted_one_is_kept_as_written,
    a_meeting_with_actions_is_deleted_only_when_they_are_moved_or_dropped,
);

fn the_dashboard_leads_a_member_and_a_chair_to_their_work(h: Harness) {
    let person = admin_person(&h);
    h.app
        .add_membership(
            &h.admin,
            h.body,
            &plenary_app::MembershipInput {
                person_id: Some(person),
                role: "member".into(),
                starts_on: "2024-01-01".into(),
                ..Default::default()
            },
        )
        .expect("member");
    let (next, _) = meeting(&h.app, &h.admin, h.body, "2024-09-10");
    let hidden = h
        .app
        .save_meeting(
            &h.admin,
            None,
            &MeetingInput {
                body_id: Some(h.body),
                title: "Retreat (not yet announced)".into(),
                kind: "advisory_group_meeting".into(),
                mode: "online".into(),
                time_zone: "Europe/Zurich".into(),
                starts_on: "2024-09-12".into(),
                starts_time: "09:00".into(),
                ends_on: "2024-09-12".into(),
                ends_time: "10:00".into(),
                published: false,
                ..Default::default()
            },
        )
        .expect("unpublished")
        .id;
    for (text, due) in [("Overdue", "2024-08-22"), ("Later", "2024-12-01")] {
        h.app
            .add_action(
                &h.admin,
                h.meeting,
                &ActionInput {
                    text: text.into(),
                    owner: format!("person:{person}"),
                    due_on: due.into(),
                    ..Default::default()
                },
            )
            .expect("action");
    }
    h.app
        .save_note(&h.admin, h.meeting, h.item, 0, "Updates were given.")
        .expect("note");
    h.clock.advance(Duration::days(5));

    let board = h.app.dashboard(&h.admin).expect("dashboard");
    let titles = |lines: &[plenary_app::dashboard::MeetingLine]| -> Vec<i64> {
        lines.iter().map(|l| l.meeting.id).collect()
    };
    assert_eq!(titles(&board.next_meetings), [next], "published and coming");
    assert_eq!(board.next_meetings[0].body_name, "MAG");
    assert_eq!((board.actions.open, board.actions.overdue), (2, 1));
    assert_eq!(
        board.actions.next[0].action.text, "Overdue",
        "most urgent first"
    );
    assert_eq!(board.minutes.len(), 1);
    assert_eq!(
        (board.minutes[0].meeting.meeting.id, board.minutes[0].state),
        (h.meeting, MinutesState::Draft)
    );
    assert!(board.attention.is_some(), "the secretariat's list");
    assert!(
        board.roles.iter().any(|r| r.scope == "everywhere"),
        "{:?}",
        board.roles
    );
    h.app
        .set_minutes_state(&h.admin, h.meeting, "circulated")
        .expect("circulated");
    let board = h.app.dashboard(&h.admin).expect("dashboard");
    assert_eq!(board.minutes[0].state, MinutesState::Circulated);
    h.app
        .set_minutes_state(&h.admin, h.meeting, "approved")
        .expect("approved");
    assert!(
        h.app
            .dashboard(&h.admin)
            .expect("dashboard")
            .minutes
            .is_empty()
    );

    // The public front page: the coming published meeting, never the unpublished one.
    let front = h.app.front_page().expect("front page");
    let shown = titles(&front.upcoming_meetings);
    assert!(
        shown.contains(&next) && !shown.contains(&hidden),
        "{shown:?}"
    );
    assert!(!shown.contains(&h.meeting), "a meeting that is over");

    // A member without a role sees their meetings but no secretariat list and no minutes.
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "bo@example.org".into(),
                display_name: "Bo".into(),
                password: common::PASSWORD.into(),
                grants: vec![],
            },
        )
        .expect("account");
    let bo = common::signed_in(&h.app, "bo@example.org");
    let board = h.app.dashboard(&bo).expect("dashboard");
    assert!(board.attention.is_none() && board.minutes.is_empty() && board.roles.is_empty());
    assert!(board.next_meetings.is_empty(), "Bo is in no body");
    assert!(matches!(
        h.app.dashboard(&Caller::anonymous(None)),
        Err(AppError::SignInRequired)
    ));
}

fn owners_are_named_and_an_unlisted_one_is_kept_as_written(h: Harness) {
    let person = |family: &str, given: &str| {
        h.app
            .save_person(
                &h.admin,
                None,
                &PersonInput {
                    family_name: family.into(),
                    given_name: given.into(),
                    ..Default::default()
                },
            )
            .expect("person")
            .id
    };
    let ana = person("Núñez", "Ana");
    person("Okafor", "Amara");
    person("Okafor", "Amara");
    let add = |owner: &str| {
        h.app.add_action(
            &h.admin,
            h.meeting,
            &ActionInput {
                text: "Follow up".into(),
                owner: owner.into(),
                ..Default::default()
            },
        )
    };
    let owner_of = |owner: &str| {
        let view = add(owner).expect(owner);
        (view.action.owner, view.owner_name)
    };
    assert_eq!(
        owner_of("ana nunez"),
        (Owner::Person(ana), "Ana Núñez".into())
    );
    assert_eq!(
        owner_of("Núñez Ana"),
        (Owner::Person(ana), "Ana Núñez".into())
    );
    assert_eq!(owner_of("mag"), (Owner::Body(h.body), "MAG".into()));
    assert_eq!(
        owner_of("The IGF Secretariat"),
        (Owner::Secretariat, "Secretariat".into())
    );
    assert_eq!(
        owner_of("  Friends of the Chair "),
        (
            Owner::Unlisted,
            "Friends of the Chair (not in the directory)".into()
        )
    );
    let kept = add("Friends of the Chair").expect("again").action;
    assert_eq!(
        kept.owner_as_written.as_deref(),
        Some("Friends of the Chair")
    );
    // Two people of the same name: refused, saying who they are.
    match add("Amara Okafor") {
        Err(AppError::Invalid(e)) => {
            assert_eq!(e[0].field, "owner");
            assert!(e[0].to_string().contains("2 people"), "{}", e[0]);
        }
        other => panic!("{other:?}"),
    }
    // Every field's problem at once.
    match h.app.add_action(
        &h.admin,
        h.meeting,
        &ActionInput {
            text: " ".into(),
            owner: "Amara Okafor".into(),
            due_on: "2024-08-01".into(),
            ..Default::default()
        },
    ) {
        Err(AppError::Invalid(e)) => {
            let fields: Vec<&str> = e.iter().map(|f| f.field).collect();
            assert_eq!(fields, ["text", "owner", "due_on"]);
        }
        other => panic!("{other:?}"),
    }
    // The filter finds by name and refuses a name that matches nobody.
    assert_eq!(
        h.app.owner_named("owner", "Ana Núñez").expect("found"),
        Owner::Person(ana)
    );
    assert_eq!(
        h.app
            .owner_named("owner", plenary_app::owners::UNLISTED_CHOICE)
            .expect("unlisted"),
        Owner::Unlisted
    );
    assert!(matches!(
        h.app.owner_named("owner", "Nobody Here"),
        Err(AppError::Invalid(_))
    ));
}

fn a_stale_edit_is_refused_with_the_newer_text(h: Harness) {
    let first = h
        .app
        .save_note(
            &h.admin,
            h.meeting,
            h.item,
            0,
            "The Chair opened the meeting.",
        )
        .expect("first version");
    assert_eq!(first.version, 1);
    // Two people start from version 1; the first to save wins.
    h.app
        .save_note(
            &h.admin,
            h.meeting,
            h.item,
            1,
            "The Chair opened the meeting and welcomed new members.",
        )
        .expect("alice saves");
    let bob = h.app.save_note(
        &h.admin,
        h.meeting,
        h.item,
        1,
        "The Chair opened the meeting. Bob's addition.",
    );
    match bob {
        Err(AppError::EditConflict {
            current_text,
            current_version,
        }) => {
            assert_eq!(current_version, 2);
            assert_eq!(
                current_text,
                "The Chair opened the meeting and welcomed new members."
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let fresh = h
        .app
        .save_note(&h.admin, h.meeting, h.item, 0, "A second first version");
    assert!(
        matches!(
            fresh,
            Err(AppError::EditConflict {
                current_version: 2,
                ..
            })
        ),
        "creating twice is a conflict too"
    );
    let history = h
        .app
        .note_history(&h.admin, h.meeting, h.item)
        .expect("history");
    assert_eq!(
        history.iter().map(|r| r.version).collect::<Vec<_>>(),
        [2, 1],
        "every saved version is kept"
    );
    assert_eq!(history[1].text, "The Chair opened the meeting.");
}

fn approved_minutes_are_read_only_until_reopened(h: Harness) {
    h.app
        .save_note(&h.admin, h.meeting, h.item, 0, "Draft text")
        .expect("note");
    // A member of the body, whose directory entry is linked to her account by address.
    let person = PersonInput {
        family_name: "Member".into(),
        given_name: "Mia".into(),
        email: "m@example.org".into(),
        ..Default::default()
    };
    let person = h
        .app
        .save_person(&h.admin, None, &person)
        .expect("person")
        .id;
    let membership = plenary_app::MembershipInput {
        person_id: Some(person),
        role: "member".into(),
        starts_on: "2024-01-01".into(),
        ..Default::default()
    };
    h.app
        .add_membership(&h.admin, h.body, &membership)
        .expect("membership");
    let member = NewAccount {
        email: "m@example.org".into(),
        display_name: "M".into(),
        password: "a long password".into(),
        grants: vec![],
    };
    h.app.create_user(&h.admin, &member).expect("member");
    let member = common::signed_in(&h.app, "m@example.org");
    let outsider = NewAccount {
        email: "o@example.org".into(),
        display_name: "O".into(),
        password: "a long password".into(),
        grants: vec![],
    };
    h.app.create_user(&h.admin, &outsider).expect("outsider");
    let outsider = common::signed_in(&h.app, "o@example.org");
    assert!(
        h.app.notes(&member, h.meeting).expect("notes").is_empty(),
        "drafts are not shown to members"
    );
    assert!(
        matches!(h.app.set_minutes_state(&h.admin, h.meeting, "approved"), Err(AppError::Invalid(e)) if e[0].field == "state")
    );
    h.app
        .set_minutes_state(&h.admin, h.meeting, "circulated")
        .expect("circulate");
    assert_eq!(
        h.app.notes(&member, h.meeting).expect("notes").len(),
        1,
        "circulated minutes are read by the body's members"
    );
    assert!(
        h.app.notes(&outsider, h.meeting).expect("notes").is_empty(),
        "and by nobody else before approval"
    );
    assert!(matches!(
        h.app.set_minutes_state(&member, h.meeting, "approved"),
        Err(AppError::Forbidden)
    ));
    let approved = h
        .app
        .set_minutes_state(&h.admin, h.meeting, "approved")
        .expect("approve");
    assert_eq!(
        (approved.state, approved.revision),
        (MinutesState::Approved, 1)
    );
    assert_eq!(
        h.app.notes(&outsider, h.meeting).expect("notes").len(),
        1,
        "approved minutes are read by anyone who sees the meeting"
    );
    assert!(matches!(
        h.app.save_note(&h.admin, h.meeting, h.item, 1, "Changed"),
        Err(AppError::Refused(_))
    ));
    let reopened = h
        .app
        .set_minutes_state(&h.admin, h.meeting, "draft")
        .expect("new revision");
    assert_eq!(
        (reopened.state, reopened.revision),
        (MinutesState::Draft, 2)
    );
    h.app
        .save_note(&h.admin, h.meeting, h.item, 1, "Corrected")
        .expect("editable again");
}

fn actions_are_checked_and_move_through_their_statuses(h: Harness) {
    let person = h
        .app
        .save_person(
            &h.admin,
            None,
            &PersonInput {
                family_name: "Okafor".into(),
                given_name: "Amara".into(),
                ..Default::default()
            },
        )
        .expect("person")
        .id;
    let bad = ActionInput {
        item_id: Some(h.item),
        text: " ".into(),
        owner: "person:999".into(),
        due_on: "2024-08-19".into(),
    };
    let fields: Vec<&str> = match h.app.add_action(&h.admin, h.meeting, &bad) {
        Err(AppError::Invalid(e)) => e.iter().map(|f| f.field).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(fields, ["text", "owner", "due_on"], "every problem at once");
    let early = ActionInput {
        text: "Share the draft".into(),
        owner: format!("person:{person}"),
        due_on: "2024-08-19".into(),
        ..Default::default()
    };
    assert!(
        matches!(h.app.add_action(&h.admin, h.meeting, &early), Err(AppError::Invalid(e)) if e[0].field == "due_on"),
        "due before the meeting"
    );
    let nobody = ActionInput {
        text: "Share the draft".into(),
        owner: "person:999".into(),
        ..Default::default()
    };
    assert!(
        matches!(h.app.add_action(&h.admin, h.meeting, &nobody), Err(AppError::Invalid(e)) if e[0].field == "owner")
    );
    let ok = ActionInput {
        item_id: Some(h.item),
        text: "Working Groups should finalize their work plans by 30 August.".into(),
        owner: format!("body:{}", h.body),
        due_on: "2024-08-30".into(),
    };
    let action = h
        .app
        .add_action(&h.admin, h.meeting, &ok)
        .expect("action")
        .action;
    assert_eq!(
        (action.status, action.owner, action.item_id),
        (ActionStatus::Open, Owner::Body(h.body), Some(h.item))
    );
    let done = h
        .app
        .set_action_status(&h.admin, action.id, "done", None, "")
        .expect("done")
        .action;
    assert_eq!(
        (done.status, done.status_by.as_str()),
        (ActionStatus::Done, "admin@example.org")
    );
    assert!(
        matches!(h.app.set_action_status(&h.admin, action.id, "dropped", None, ""), Err(AppError::Invalid(e)) if e[0].field == "status")
    );
    assert_eq!(
        h.app
            .set_action_status(&h.admin, action.id, "open", None, "")
            .expect("reopen")
            .action
            .status,
        ActionStatus::Open
    );
}

fn an_action_is_followed_up_and_closed_in_a_later_meeting(h: Harness) {
    let input = ActionInput {
        text: "The Secretariat will circulate the call for proposals.".into(),
        owner: "secretariat".into(),
        ..Default::default()
    };
    let action = h
        .app
        .add_action(&h.admin, h.meeting, &input)
        .expect("action")
        .action;
    let (later, _) = meeting(&h.app, &h.admin, h.body, "2024-09-10");
    h.app
        .follow_up_action(
            &h.admin,
            action.id,
            later,
            "Call drafted; to be sent next week.",
        )
        .expect("follow-up");
    h.app
        .set_action_status(
            &h.admin,
            action.id,
            "done",
            Some(later),
            "Sent on 12 September.",
        )
        .expect("done in the later meeting");
    let views = h
        .app
        .actions(
            &h.admin,
            &ActionFilter {
                meeting_id: Some(h.meeting),
                ..Default::default()
            },
        )
        .expect("actions");
    let notes: Vec<(&str, i64)> = views[0]
        .followups
        .iter()
        .map(|(f, _)| (f.note.as_str(), f.meeting_id))
        .collect();
    assert_eq!(
        notes,
        [
            ("Call drafted; to be sent next week.", later),
            ("Sent on 12 September.", later)
        ]
    );
}

fn the_dashboard_counts_open_and_overdue_actions(h: Harness) {
    let person = admin_person(&h);
    for (text, owner, due) in [
        ("A", format!("person:{person}"), "2024-08-25"),
        ("B", format!("person:{person}"), ""),
        ("C", "secretariat".to_owned(), "2024-09-30"),
    ] {
        h.app
            .add_action(
                &h.admin,
                h.meeting,
                &ActionInput {
                    text: text.into(),
                    owner,
                    due_on: due.into(),
                    ..Default::default()
                },
            )
            .expect("action");
    }
    h.clock.advance(Duration::days(10));
    let counts = h
        .app
        .action_counts(&h.admin, &ActionFilter::default())
        .expect("counts");
    assert!(
        counts.contains(&(Owner::Person(person), "Admin".to_owned(), 2, 1)),
        "{counts:?}"
    );
    assert!(
        counts.contains(&(Owner::Secretariat, "Secretariat".to_owned(), 1, 0)),
        "{counts:?}"
    );
    let mine = h.app.my_actions(&h.admin).expect("mine");
    assert_eq!(
        mine.iter()
            .map(|v| v.action.text.as_str())
            .collect::<Vec<_>>(),
        ["A", "B"],
        "dated first"
    );
    let overdue = h
        .app
        .actions(
            &h.admin,
            &ActionFilter {
                status: Some(ActionStatus::Open),
                due_before: Some(h.app.today()),
                ..Default::default()
            },
        )
        .expect("overdue");
    assert_eq!(overdue.len(), 1);
    let by_body = h
        .app
        .actions(
            &h.admin,
            &ActionFilter {
                body_id: Some(h.body),
                ..Default::default()
            },
        )
        .expect("by body");
    assert_eq!(by_body.len(), 3);
}

fn a_meeting_with_actions_is_deleted_only_when_they_are_moved_or_dropped(h: Harness) {
    let a = h
        .app
        .add_action(
            &h.admin,
            h.meeting,
            &ActionInput {
                text: "One".into(),
                owner: "secretariat".into(),
                ..Default::default()
            },
        )
        .expect("a")
        .action;
    let b = h
        .app
        .add_action(
            &h.admin,
            h.meeting,
            &ActionInput {
                text: "Two".into(),
                owner: "secretariat".into(),
                ..Default::default()
            },
        )
        .expect("b")
        .action;
    assert!(matches!(
        h.app.delete_meeting(&h.admin, h.meeting),
        Err(AppError::Refused(_))
    ));
    let (later, _) = meeting(&h.app, &h.admin, h.body, "2024-09-10");
    h.app.move_action(&h.admin, a.id, later).expect("move");
    h.app
        .set_action_status(&h.admin, b.id, "dropped", None, "")
        .expect("drop");
    h.app
        .delete_meeting(&h.admin, h.meeting)
        .expect("now it can go");
    let left = h
        .app
        .actions(&h.admin, &ActionFilter::default())
        .expect("actions");
    assert_eq!(
        left.iter()
            .map(|v| (v.action.text.as_str(), v.action.meeting_id))
            .collect::<Vec<_>>(),
        [("One", later)]
    );
}

mod reminders {
    use super::*;

    fn owners_are_reminded_once_before_the_due_date(h: Harness) {
        let person = h
            .app
            .save_person(
                &h.admin,
                None,
                &PersonInput {
                    family_name: "Okafor".into(),
                    given_name: "Amara".into(),
                    email: "amara@example.org".into(),
                    ..Default::default()
                },
            )
            .expect("person")
            .id;
        let input = ActionInput {
            text: "Send the draft".into(),
            owner: format!("person:{person}"),
            due_on: "2024-08-28".into(),
            ..Default::default()
        };
        h.app
            .add_action(&h.admin, h.meeting, &input)
            .expect("action");
        h.app
            .add_action(
                &h.admin,
                h.meeting,
                &ActionInput {
                    text: "No date".into(),
                    owner: format!("person:{person}"),
                    ..Default::default()
                },
            )
            .expect("undated");
        assert_eq!(
            h.app.queue_action_reminders().expect("queue"),
            0,
            "eight days ahead: not yet"
        );
        h.clock.advance(Duration::days(5));
        h.app
            .housekeeping()
            .expect("housekeeping queues the reminder");
        assert_eq!(
            h.app.queue_action_reminders().expect("queue"),
            0,
            "only once"
        );
        let mail = h.app.outbox(1).expect("outbox").pop().expect("reminder");
        assert_eq!(
            (mail.kind.as_str(), mail.recipient.as_str()),
            ("action_reminder", "amara@example.org")
        );
        assert!(
            mail.subject.contains("28 August 2024") && mail.body_text.contains("Send the draft"),
            "{}",
            mail.body_text
        );
    }

    fn bodies_and_the_secretariat_are_reminded_too(h: Harness) {
        let chair = h
            .app
            .save_person(
                &h.admin,
                None,
                &PersonInput {
                    family_name: "Jónsdóttir".into(),
                    given_name: "Guðrún".into(),
                    email: "gudrun@example.org".into(),
                    ..Default::default()
                },
            )
            .expect("person")
            .id;
        let membership = plenary_app::MembershipInput {
            person_id: Some(chair),
            role: "chair".into(),
            starts_on: "2024-01-01".into(),
            ..Default::default()
        };
        h.app
            .add_membership(&h.admin, h.body, &membership)
            .expect("chair");
        h.app
            .add_action(
                &h.admin,
                h.meeting,
                &ActionInput {
                    text: "Body task".into(),
                    owner: format!("body:{}", h.body),
                    due_on: "2024-08-21".into(),
                    ..Default::default()
                },
            )
            .expect("body action");
        h.app
            .add_action(
                &h.admin,
                h.meeting,
                &ActionInput {
                    text: "Secretariat task".into(),
                    owner: "secretariat".into(),
                    due_on: "2024-08-22".into(),
                    ..Default::default()
                },
            )
            .expect("secretariat action");
        assert_eq!(h.app.queue_action_reminders().expect("queue"), 2);
        let mut recipients: Vec<String> = h
            .app
            .outbox(10)
            .expect("outbox")
            .into_iter()
            .map(|m| m.recipient)
            .collect();
        recipients.sort();
        assert_eq!(recipients, ["admin@example.org", "gudrun@example.org"]);
    }

    #[test]
    fn sqlite_other_owners() {
        bodies_and_the_secretariat_are_reminded_too(harness(TestDb::sqlite()));
    }

    #[test]
    fn postgres_other_owners() {
        bodies_and_the_secretariat_are_reminded_too(harness(TestDb::postgres()));
    }

    #[test]
    fn sqlite() {
        owners_are_reminded_once_before_the_due_date(harness(TestDb::sqlite()));
    }

    #[test]
    fn postgres() {
        owners_are_reminded_once_before_the_due_date(harness(TestDb::postgres()));
    }
}
