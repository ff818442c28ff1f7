//! Directory use cases on both backends.

#[macro_use]
mod common;

use plenary_app::{
    App, AppError, BodyInput, Caller, MembershipInput, NewAccount, OrganizationInput, PersonInput,
};
use plenary_domain::{Grant, Role, Scope};
use plenary_store::testing::TestDb;

struct Harness {
    app: App,
    admin: Caller,
    _db: TestDb,
}

fn harness(db: TestDb) -> Harness {
    let (app, _clock) = common::app_at(&db, (2026, 6, 26, 8));
    let admin = common::admin(&app);
    Harness {
        app,
        admin,
        _db: db,
    }
}

on_both_backends!(
    people_keep_their_names_exactly_and_are_found_without_accents,
    bad_person_input_names_every_field,
    overlapping_terms_in_the_same_role_are_refused,
    a_liaison_links_to_another_body,
    a_chair_manages_only_their_own_body,
    a_body_cannot_be_placed_below_itself,
    ended_memberships_stay_as_history,
    people_subscribe_themselves,
);

fn body(h: &Harness, short: &str, parent: Option<i64>) -> i64 {
    let input = BodyInput {
        parent_id: parent,
        kind: "working_group".into(),
        short_name: short.into(),
        name: format!("{short} group"),
        mandate: String::new(),
    };
    h.app.save_body(&h.admin, None, &input).expect("body").id
}

fn person(h: &Harness, family: &str, given: &str) -> i64 {
    let input = PersonInput {
        family_name: family.into(),
        given_name: given.into(),
        ..Default::default()
    };
    h.app
        .save_person(&h.admin, None, &input)
        .expect("person")
        .id
}

fn membership(role: &str, person: i64, from: &str, to: &str) -> MembershipInput {
    MembershipInput {
        person_id: Some(person),
        role: role.into(),
        starts_on: from.into(),
        ends_on: to.into(),
        liaison_body_id: None,
    }
}

fn people_keep_their_names_exactly_and_are_found_without_accents(h: Harness) {
    let org = h
        .app
        .save_organization(
            &h.admin,
            None,
            &OrganizationInput {
                name: "Ministério das Comunicações".into(),
                stakeholder_group: "government".into(),
                country: "br".into(),
            },
        )
        .expect("org");
    assert_eq!(org.country.as_deref(), Some("BR"));
    let input = PersonInput {
        family_name: "Núñez".into(),
        given_name: "Ana".into(),
        organization_id: Some(org.id),
        stakeholder_group: "government".into(),
        country: "AR".into(),
        gender: "woman".into(),
        email: "Ana@Example.org".into(),
        time_zone: "America/Argentina/Buenos_Aires".into(),
    };
    let saved = h.app.save_person(&h.admin, None, &input).expect("person");
    assert_eq!(
        (saved.family_name.as_deref(), saved.email.as_deref()),
        (Some("Núñez"), Some("ana@example.org"))
    );
    person(&h, "Jónsdóttir", "Guðrún");
    person(&h, "Sukarno", "");
    for (query, family) in [
        ("nunez", "Núñez"),
        ("NÚÑEZ", "Núñez"),
        ("gudrun", "Jónsdóttir"),
        ("jonsdottir gud", "Jónsdóttir"),
        ("sukarno", "Sukarno"),
    ] {
        let (found, _) = h.app.people(&h.admin, query, 1).expect("search");
        assert_eq!(
            found
                .iter()
                .map(|p| p.family_name.as_deref())
                .collect::<Vec<_>>(),
            [Some(family)],
            "{query}"
        );
    }
    let dup = h.app.save_person(
        &h.admin,
        None,
        &PersonInput {
            family_name: "X".into(),
            email: "ana@example.org".into(),
            ..Default::default()
        },
    );
    assert!(matches!(dup, Err(AppError::Invalid(e)) if e[0].field == "email"));
}

fn bad_person_input_names_every_field(h: Harness) {
    let input = PersonInput {
        family_name: String::new(),
        given_name: String::new(),
        organization_id: None,
        stakeholder_group: "media".into(),
        country: "XX".into(),
        gender: String::new(),
        email: "nope".into(),
        time_zone: "Mars/Olympus".into(),
    };
    let fields: Vec<&str> = match h.app.save_person(&h.admin, None, &input) {
        Err(AppError::Invalid(errors)) => errors.iter().map(|e| e.field).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        fields,
        [
            "family_name",
            "stakeholder_group",
            "country",
            "email",
            "time_zone"
        ]
    );
    let missing_org = PersonInput {
        family_name: "X".into(),
        organization_id: Some(999),
        ..Default::default()
    };
    assert!(
        matches!(h.app.save_person(&h.admin, None, &missing_org), Err(AppError::Invalid(e)) if e[0].field == "organization_id")
    );
    assert_eq!(
        h.app.people(&h.admin, "", 1).expect("list").1,
        0,
        "nothing half-saved"
    );
}

fn overlapping_terms_in_the_same_role_are_refused(h: Harness) {
    let wg = body(&h, "WG-Strategy", None);
    let p = person(&h, "Okafor", "Amara");
    h.app
        .add_membership(
            &h.admin,
            wg,
            &membership("member", p, "2024-01-01", "2024-12-31"),
        )
        .expect("first term");
    let clash = h
        .app
        .add_membership(&h.admin, wg, &membership("member", p, "2024-12-31", ""));
    assert!(
        matches!(clash, Err(AppError::Invalid(e)) if e[0].field == "starts_on"),
        "sharing one day overlaps"
    );
    h.app
        .add_membership(&h.admin, wg, &membership("member", p, "2025-01-01", ""))
        .expect("next term");
    h.app
        .add_membership(&h.admin, wg, &membership("chair", p, "2024-06-01", ""))
        .expect("another role");
    let backwards = h.app.add_membership(
        &h.admin,
        wg,
        &membership("observer", p, "2024-06-01", "2024-05-01"),
    );
    assert!(matches!(backwards, Err(AppError::Invalid(e)) if e[0].field == "ends_on"));
    let bad_role = h
        .app
        .add_membership(&h.admin, wg, &membership("king", p, "2024-06-01", ""));
    assert!(matches!(bad_role, Err(AppError::Invalid(e)) if e[0].field == "role"));
    let nobody = h
        .app
        .add_membership(&h.admin, wg, &membership("member", 9999, "2024-06-01", ""));
    assert!(matches!(nobody, Err(AppError::Invalid(e)) if e[0].field == "person_id"));
}

fn a_liaison_links_to_another_body(h: Harness) {
    let mag = body(&h, "MAG", None);
    let youth = body(&h, "Youth", None);
    let p = person(&h, "Petrov", "Ivan");
    let missing =
        h.app
            .add_membership(&h.admin, youth, &membership("liaison", p, "2025-01-01", ""));
    assert!(matches!(missing, Err(AppError::Invalid(e)) if e[0].field == "liaison_body_id"));
    let to_self = MembershipInput {
        liaison_body_id: Some(youth),
        ..membership("liaison", p, "2025-01-01", "")
    };
    assert!(matches!(
        h.app.add_membership(&h.admin, youth, &to_self),
        Err(AppError::Invalid(_))
    ));
    let ok = MembershipInput {
        liaison_body_id: Some(mag),
        ..membership("liaison", p, "2025-01-01", "")
    };
    h.app.add_membership(&h.admin, youth, &ok).expect("liaison");
    let page = h.app.body_page(youth).expect("page");
    assert_eq!(page.current[0].liaison_to.as_deref(), Some("MAG"));
    let member_with_link = MembershipInput {
        liaison_body_id: Some(mag),
        ..membership("member", p, "2025-01-01", "")
    };
    assert!(matches!(
        h.app.add_membership(&h.admin, youth, &member_with_link),
        Err(AppError::Invalid(_))
    ));
}

fn a_chair_manages_only_their_own_body(h: Harness) {
    let mine = body(&h, "BPF-Cyber", None);
    let other = body(&h, "BPF-Gender", None);
    let account = NewAccount {
        email: "chair@example.org".into(),
        display_name: "Chair".into(),
        password: "a long password".into(),
        grants: vec![Grant {
            role: Role::Chair,
            scope: Scope::Body(mine),
        }],
    };
    h.app.create_user(&h.admin, &account).expect("chair");
    let chair = common::signed_in(&h.app, "chair@example.org");
    let p = person(&h, "Chen", "Mei Lin");
    h.app
        .add_membership(&chair, mine, &membership("member", p, "2025-01-01", ""))
        .expect("own body");
    assert!(matches!(
        h.app
            .add_membership(&chair, other, &membership("member", p, "2025-01-01", "")),
        Err(AppError::Forbidden)
    ));
    assert!(
        matches!(
            h.app.save_body(&chair, Some(mine), &BodyInput::default()),
            Err(AppError::Forbidden)
        ),
        "editing the body itself is the secretariat's"
    );
    assert!(matches!(
        h.app.people(&chair, "", 1),
        Err(AppError::Forbidden)
    ));
}

fn a_body_cannot_be_placed_below_itself(h: Harness) {
    let pn = body(&h, "PNAI", None);
    let sub = body(&h, "PNAI-1", Some(pn));
    let input = BodyInput {
        parent_id: Some(sub),
        kind: "policy_network".into(),
        short_name: "PNAI".into(),
        name: "PNAI".into(),
        mandate: String::new(),
    };
    assert!(
        matches!(h.app.save_body(&h.admin, Some(pn), &input), Err(AppError::Invalid(e)) if e[0].field == "parent_id")
    );
    let dup = BodyInput {
        short_name: "PNAI-1".into(),
        parent_id: None,
        ..input
    };
    assert!(
        matches!(h.app.save_body(&h.admin, Some(pn), &dup), Err(AppError::Invalid(e)) if e[0].field == "short_name")
    );
    assert!(
        matches!(h.app.delete_body(&h.admin, pn), Err(AppError::Refused(_))),
        "it has a sub-body"
    );
    h.app.delete_body(&h.admin, sub).expect("leaf body");
    assert_eq!(h.app.body_page(pn).expect("page").children.len(), 0);
}

fn ended_memberships_stay_as_history(h: Harness) {
    let wg = body(&h, "WG-Hybrid", None);
    let p = person(&h, "Haddad", "Nadia");
    let m = h
        .app
        .add_membership(
            &h.admin,
            wg,
            &membership("co_facilitator", p, "2025-01-01", ""),
        )
        .expect("membership");
    assert!(
        matches!(h.app.end_membership(&h.admin, m.id, "2024-01-01"), Err(AppError::Invalid(e)) if e[0].field == "ends_on")
    );
    h.app
        .end_membership(&h.admin, m.id, "2026-03-31")
        .expect("end");
    let page = h.app.body_page(wg).expect("page");
    assert!(page.current.is_empty());
    assert_eq!(page.past.len(), 1);
    assert!(
        matches!(h.app.delete_person(&h.admin, p), Err(AppError::Refused(_))),
        "history keeps the person"
    );
}

fn people_subscribe_themselves(h: Harness) {
    let wg = body(&h, "DC-Youth", None);
    let account = NewAccount {
        email: "ivan@example.org".into(),
        display_name: "Ivan".into(),
        password: "a long password".into(),
        grants: vec![],
    };
    h.app.create_user(&h.admin, &account).expect("account");
    let ivan_person = h
        .app
        .save_person(
            &h.admin,
            None,
            &PersonInput {
                family_name: "Petrov".into(),
                email: "ivan@example.org".into(),
                ..Default::default()
            },
        )
        .expect("person");
    assert!(
        ivan_person.user_id.is_some(),
        "linked to the account by e-mail"
    );
    let ivan = common::signed_in(&h.app, "ivan@example.org");
    assert_eq!(
        h.app.my_person(&ivan).expect("me").map(|p| p.id),
        Some(ivan_person.id)
    );
    h.app
        .set_subscription(&ivan, wg, ivan_person.id, true)
        .expect("subscribe");
    assert!(h.app.is_subscribed(wg, ivan_person.id).expect("check"));
    let someone = person(&h, "Other", "Person");
    assert!(
        matches!(
            h.app.set_subscription(&ivan, wg, someone, true),
            Err(AppError::Forbidden)
        ),
        "not for others"
    );
    assert_eq!(h.app.subscribers(&h.admin, wg).expect("list").len(), 1);
    h.app
        .set_subscription(&ivan, wg, ivan_person.id, false)
        .expect("unsubscribe");
    assert!(!h.app.is_subscribed(wg, ivan_person.id).expect("check"));
}
