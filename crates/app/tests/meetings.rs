//! Meeting and agenda use cases on both backends.

#[macro_use]
mod common;

use chrono::{TimeZone, Utc};
use plenary_app::{
    App, AppError, AttendeeInput, BodyInput, Caller, DayInput, ItemInput, MeetingInput, Move,
    NewAccount, PersonInput, RoomInput,
};
use plenary_domain::{Grant, Role, Scope};
use plenary_store::testing::TestDb;

struct Harness {
    app: App,
    admin: Caller,
    body: i64,
    _db: TestDb,
}

fn harness(db: TestDb) -> Harness {
    let (app, _clock) = common::app_at(&db, (2024, 6, 1, 8));
    let admin = common::admin(&app);
    let body = app
        .save_body(
            &admin,
            None,
            &BodyInput {
                kind: "advisory_group".into(),
                short_name: "MAG".into(),
                name: "Advisory group".into(),
                ..Default::default()
            },
        )
        .expect("body")
        .id;
    Harness {
        app,
        admin,
        body,
        _db: db,
    }
}

on_both_backends!(
    a_meeting_stores_utc_from_local_times_in_its_zone,
    bad_meeting_input_names_the_fields_and_saves_nothing,
    items_in_one_room_cannot_overlap,
    items_nest_and_reorder,
    a_chair_manages_only_meetings_of_their_body,
    unpublished_meetings_are_hidden_from_the_public,
    participants_are_grouped_in_the_set_order,
    a_time_zone_is_found_by_its_city_and_stored_by_its_name,
);

fn a_time_zone_is_found_by_its_city_and_stored_by_its_name(h: Harness) {
    let input = MeetingInput {
        time_zone: "tokyo".into(),
        ..geneva(&h)
    };
    let m = h.app.save_meeting(&h.admin, None, &input).expect("meeting");
    assert_eq!(m.time_zone, "Asia/Tokyo");
    assert_eq!(
        m.starts_at,
        Utc.with_ymd_and_hms(2024, 6, 26, 1, 0, 0)
            .single()
            .expect("instant"),
        "10:00 JST is 01:00Z"
    );
}

fn geneva(h: &Harness) -> MeetingInput {
    MeetingInput {
        body_id: Some(h.body),
        title: "Open Consultations and MAG Meeting".into(),
        kind: "open_consultation".into(),
        mode: "hybrid".into(),
        venue: "Palais des Nations, Geneva".into(),
        time_zone: "Europe/Zurich".into(),
        starts_on: "2024-06-26".into(),
        starts_time: "10:00".into(),
        ends_on: "2024-06-28".into(),
        ends_time: "18:00".into(),
        description: String::new(),
        published: true,
        ..MeetingInput::default()
    }
}

fn day(h: &Harness, meeting: i64, date: &str, room: Option<i64>) -> i64 {
    let input = DayInput {
        day: date.into(),
        room_id: room,
        ..DayInput::default()
    };
    h.app
        .save_day(&h.admin, meeting, None, &input)
        .expect("day")
        .id
}

fn item(day_id: i64, title: &str, starts: &str, ends: &str) -> ItemInput {
    ItemInput {
        day_id: Some(day_id),
        title: title.into(),
        starts: starts.into(),
        ends: ends.into(),
        ..Default::default()
    }
}

fn a_meeting_stores_utc_from_local_times_in_its_zone(h: Harness) {
    let m = h
        .app
        .save_meeting(&h.admin, None, &geneva(&h))
        .expect("meeting");
    assert_eq!(
        m.starts_at,
        Utc.with_ymd_and_hms(2024, 6, 26, 8, 0, 0)
            .single()
            .expect("instant"),
        "10:00 CEST is 08:00Z"
    );
    assert_eq!(
        m.ends_at,
        Utc.with_ymd_and_hms(2024, 6, 28, 16, 0, 0)
            .single()
            .expect("instant")
    );
    let winter = MeetingInput {
        starts_on: "2024-01-15".into(),
        starts_time: "17:00".into(),
        ends_on: "2024-01-15".into(),
        ends_time: "18:00".into(),
        ..geneva(&h)
    };
    let w = h
        .app
        .save_meeting(&h.admin, None, &winter)
        .expect("winter meeting");
    assert_eq!(
        w.starts_at,
        Utc.with_ymd_and_hms(2024, 1, 15, 16, 0, 0)
            .single()
            .expect("instant")
    );
    let d = day(&h, m.id, "2024-06-26", None);
    let i = h
        .app
        .save_item(&h.admin, m.id, None, &item(d, "Opening", "10:00", "10:30"))
        .expect("item");
    assert_eq!(i.starts_at, Some(m.starts_at));
}

fn bad_meeting_input_names_the_fields_and_saves_nothing(h: Harness) {
    let bad = MeetingInput {
        time_zone: "Geneva time".into(),
        kind: "party".into(),
        ..geneva(&h)
    };
    let fields: Vec<&str> = match h.app.save_meeting(&h.admin, None, &bad) {
        Err(AppError::Invalid(e)) => e.iter().map(|f| f.field).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(fields, ["kind", "time_zone"]);
    let backwards = MeetingInput {
        ends_on: "2024-06-25".into(),
        ..geneva(&h)
    };
    assert!(
        matches!(h.app.save_meeting(&h.admin, None, &backwards), Err(AppError::Invalid(e)) if e[0].field == "ends_on")
    );
    let gap = MeetingInput {
        starts_on: "2024-03-31".into(),
        starts_time: "02:30".into(),
        ..geneva(&h)
    };
    assert!(
        matches!(h.app.save_meeting(&h.admin, None, &gap), Err(AppError::Invalid(e)) if e[0].field == "starts_time")
    );
    assert!(
        h.app.meetings(&h.admin, None).expect("list").is_empty(),
        "nothing saved"
    );
}

fn items_in_one_room_cannot_overlap(h: Harness) {
    let m = h
        .app
        .save_meeting(&h.admin, None, &geneva(&h))
        .expect("meeting");
    let xxvi = h
        .app
        .add_room(
            &h.admin,
            m.id,
            &RoomInput {
                name: "Room XXVI".into(),
                building: "Building E".into(),
            },
        )
        .expect("room");
    let other = h
        .app
        .add_room(
            &h.admin,
            m.id,
            &RoomInput {
                name: "Room XVII".into(),
                building: String::new(),
            },
        )
        .expect("room");
    assert!(
        matches!(h.app.add_room(&h.admin, m.id, &RoomInput { name: "Room XXVI".into(), building: String::new() }), Err(AppError::Invalid(e)) if e[0].field == "name")
    );
    let d = day(&h, m.id, "2024-06-26", Some(xxvi.id));
    h.app
        .save_item(
            &h.admin,
            m.id,
            None,
            &item(d, "Plenary 1", "10:00", "12:00"),
        )
        .expect("first");
    let clash = h.app.save_item(
        &h.admin,
        m.id,
        None,
        &item(d, "Plenary 2", "11:30", "13:00"),
    );
    assert!(matches!(clash, Err(AppError::Invalid(e)) if e[0].field == "starts"));
    h.app
        .save_item(&h.admin, m.id, None, &item(d, "Touching", "12:00", "13:00"))
        .expect("touching is fine");
    let elsewhere = ItemInput {
        room_id: Some(other.id),
        ..item(d, "Side room", "11:00", "12:00")
    };
    h.app
        .save_item(&h.admin, m.id, None, &elsewhere)
        .expect("another room");
    let backwards = h.app.save_item(
        &h.admin,
        m.id,
        None,
        &item(d, "Backwards", "15:00", "14:00"),
    );
    assert!(matches!(backwards, Err(AppError::Invalid(e)) if e[0].field == "ends"));
    let invalid = h
        .app
        .save_item(&h.admin, m.id, None, &item(d, "Invalid", "10:00", "25:10"));
    assert!(matches!(invalid, Err(AppError::Invalid(e)) if e[0].field == "ends"));
    let untimed = h
        .app
        .save_item(&h.admin, m.id, None, &item(d, "Recap and closing", "", ""))
        .expect("untimed");
    assert_eq!(untimed.starts_at, None);
    assert_eq!(
        h.app.meeting(&h.admin, m.id).expect("view").days[0]
            .items
            .len(),
        4
    );
}

fn items_nest_and_reorder(h: Harness) {
    let m = h
        .app
        .save_meeting(&h.admin, None, &geneva(&h))
        .expect("meeting");
    let d1 = day(&h, m.id, "2024-06-26", None);
    let d2 = day(&h, m.id, "2024-06-27", None);
    let a = h
        .app
        .save_item(
            &h.admin,
            m.id,
            None,
            &ItemInput {
                number: "1".into(),
                ..item(d1, "Welcome", "10:00", "10:15")
            },
        )
        .expect("a");
    let b = h
        .app
        .save_item(
            &h.admin,
            m.id,
            None,
            &item(d1, "Stocktaking", "10:15", "11:00"),
        )
        .expect("b");
    let sub = ItemInput {
        parent_id: Some(b.id),
        interventions: "- Government of Lakeland\n- Free Net Alliance".into(),
        ..item(d1, "Interventions from:", "", "")
    };
    h.app
        .save_item(&h.admin, m.id, None, &sub)
        .expect("sub-item");
    let wrong_day = ItemInput {
        parent_id: Some(b.id),
        ..item(d2, "Elsewhere", "", "")
    };
    assert!(
        matches!(h.app.save_item(&h.admin, m.id, None, &wrong_day), Err(AppError::Invalid(e)) if e[0].field == "parent_id")
    );
    h.app
        .move_item(&h.admin, m.id, b.id, Move::Up)
        .expect("move up");
    let view = h.app.meeting(&h.admin, m.id).expect("view");
    let titles: Vec<&str> = view.days[0]
        .items
        .iter()
        .map(|i| i.item.title.as_str())
        .collect();
    assert_eq!(titles, ["Stocktaking", "Welcome"]);
    assert_eq!(
        view.days[0].items[0].subitems[0].interventions,
        ["- Government of Lakeland", "- Free Net Alliance"]
    );
    assert_eq!(view.days[0].items[1].item.number.as_deref(), Some("1"));
    h.app
        .move_item(&h.admin, m.id, b.id, Move::Up)
        .expect("already first: nothing to do");
    h.app
        .delete_item(&h.admin, m.id, b.id)
        .expect("delete with its sub-items");
    let view = h.app.meeting(&h.admin, m.id).expect("view");
    assert_eq!(view.days[0].items.len(), 1);
    assert_eq!(view.days.len(), 2, "days render in order");
    assert!(h.app.delete_item(&h.admin, m.id, a.id + 1000).is_err());
}

fn a_chair_manages_only_meetings_of_their_body(h: Harness) {
    let other = h
        .app
        .save_body(
            &h.admin,
            None,
            &BodyInput {
                kind: "working_group".into(),
                short_name: "WG".into(),
                name: "WG".into(),
                ..Default::default()
            },
        )
        .expect("body")
        .id;
    let account = NewAccount {
        email: "chair@example.org".into(),
        display_name: "Chair".into(),
        password: "a long password".into(),
        grants: vec![Grant {
            role: Role::Chair,
            scope: Scope::Body(other),
        }],
    };
    h.app.create_user(&h.admin, &account).expect("chair");
    let chair = common::signed_in(&h.app, "chair@example.org");
    let mine = h
        .app
        .save_meeting(
            &chair,
            None,
            &MeetingInput {
                body_id: Some(other),
                ..geneva(&h)
            },
        )
        .expect("own body");
    assert!(matches!(
        h.app.save_meeting(&chair, None, &geneva(&h)),
        Err(AppError::Forbidden)
    ));
    let theirs = h
        .app
        .save_meeting(&h.admin, None, &geneva(&h))
        .expect("secretariat");
    assert!(matches!(
        h.app.save_day(
            &chair,
            theirs.id,
            None,
            &DayInput {
                day: "2024-06-26".into(),
                ..Default::default()
            }
        ),
        Err(AppError::Forbidden)
    ));
    assert!(
        matches!(
            h.app.save_meeting(
                &chair,
                Some(mine.id),
                &MeetingInput {
                    body_id: Some(h.body),
                    ..geneva(&h)
                }
            ),
            Err(AppError::Forbidden)
        ),
        "cannot move it away either"
    );
    h.app
        .save_day(
            &chair,
            mine.id,
            None,
            &DayInput {
                day: "2024-06-26".into(),
                ..Default::default()
            },
        )
        .expect("own agenda");
}

fn unpublished_meetings_are_hidden_from_the_public(h: Harness) {
    let draft = h
        .app
        .save_meeting(
            &h.admin,
            None,
            &MeetingInput {
                published: false,
                ..geneva(&h)
            },
        )
        .expect("draft");
    let public = Caller::anonymous(None);
    assert!(matches!(
        h.app.meeting(&public, draft.id),
        Err(AppError::NotFound)
    ));
    assert!(
        h.app
            .meetings(&public, Some(h.body))
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        h.app.meetings(&h.admin, Some(h.body)).expect("list").len(),
        1
    );
    h.app
        .save_meeting(&h.admin, Some(draft.id), &geneva(&h))
        .expect("publish");
    assert_eq!(
        h.app
            .meeting(&public, draft.id)
            .expect("public")
            .meeting
            .title,
        "Open Consultations and MAG Meeting"
    );
}

fn participants_are_grouped_in_the_set_order(h: Harness) {
    let m = h
        .app
        .save_meeting(&h.admin, None, &geneva(&h))
        .expect("meeting");
    let mut ids = Vec::new();
    for (family, given) in [
        ("Jónsdóttir", "Guðrún"),
        ("Okafor", "Amara"),
        ("Chen", "Mei Lin"),
    ] {
        ids.push(
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
                .id,
        );
    }
    for (id, group) in ids.iter().zip(["MAG Chair", "Secretariat", "MAG members"]) {
        h.app
            .set_attendee(
                &h.admin,
                m.id,
                &AttendeeInput {
                    person_id: Some(*id),
                    role_group: group.into(),
                    status: String::new(),
                },
            )
            .expect("invite");
    }
    h.app
        .set_attendee(
            &h.admin,
            m.id,
            &AttendeeInput {
                person_id: Some(ids[2]),
                role_group: "MAG members".into(),
                status: "attended".into(),
            },
        )
        .expect("status");
    assert!(
        matches!(h.app.set_attendee(&h.admin, m.id, &AttendeeInput { person_id: Some(ids[2]), role_group: "x".into(), status: "maybe".into() }), Err(AppError::Invalid(e)) if e[0].field == "status")
    );
    h.app
        .set_role_group_order(&h.admin, m.id, "MAG Chair\nMAG members\nSecretariat")
        .expect("order");
    let view = h.app.meeting(&h.admin, m.id).expect("view");
    let groups: Vec<&str> = view.participants.iter().map(|(g, _)| g.as_str()).collect();
    assert_eq!(groups, ["MAG Chair", "MAG members", "Secretariat"]);
    assert_eq!(view.participants[1].1[0].status.as_str(), "attended");
    h.app
        .remove_attendee(&h.admin, m.id, ids[1])
        .expect("remove");
    assert_eq!(
        h.app
            .meeting(&h.admin, m.id)
            .expect("view")
            .participants
            .len(),
        2
    );
}
