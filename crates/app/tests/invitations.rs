//! Invitations to a role, on SQLite and PostgreSQL: a call's reviewer pool and a body's
//! members, accepted by a new person (the account is made) or by an existing account,
//! linked to the directory; single use, expiry and revocation.

mod common;

use chrono::Duration;
use common::{PASSWORD, admin, app_at, signed_in};
use plenary_app::calls::CallInput;
use plenary_app::review::ReviewerInput;
use plenary_app::{
    App, AppError, BodyInput, Caller, FixedClock, InvitationState, MembershipInput, NewAccount,
    NewInvitee, PersonInput,
};
use plenary_domain::{Grant, Role, Scope};
use plenary_store::testing::TestDb;
use std::sync::Arc;

struct Harness {
    app: App,
    clock: Arc<FixedClock>,
    admin: Caller,
    call: i64,
    body: i64,
    _db: TestDb,
}

fn harness(db: TestDb) -> Harness {
    let (app, clock) = app_at(&db, (2026, 3, 10, 12));
    let admin = admin(&app);
    let call = CallInput {
        kind: "session_proposals".into(),
        title: "Workshop proposals 2026".into(),
        time_zone: "Europe/Oslo".into(),
        opens_at: "2026-03-01T09:00".into(),
        closes_at: "2026-04-15T23:59".into(),
        themes: "Digital inclusion\nAI governance".into(),
        ..CallInput::default()
    };
    let call = app.save_call(&admin, None, &call).expect("call").call.id;
    let body = BodyInput {
        kind: "working_group".into(),
        short_name: "WG-Youth".into(),
        name: "Working Group on Youth".into(),
        ..Default::default()
    };
    let body = app.save_body(&admin, None, &body).expect("body").id;
    Harness {
        app,
        clock,
        admin,
        call,
        body,
        _db: db,
    }
}

on_both_backends!(
    a_new_person_accepts_a_reviewer_invitation_and_joins_the_pool,
    an_existing_account_accepts_a_membership_into_its_directory_entry,
    invitations_are_revoked_and_expire,
);

/// The token of the newest invitation mail to `to`.
fn token_to(app: &App, to: &str) -> String {
    let mail = app
        .outbox(50)
        .expect("outbox")
        .into_iter()
        .find(|m| m.kind == "invitation" && m.recipient == to)
        .expect("an invitation mail");
    let start = mail
        .body_text
        .find("https://forum.example.org/invitations/")
        .expect("link");
    mail.body_text[start..]
        .split_whitespace()
        .next()
        .and_then(|l| l.rsplit('/').next())
        .expect("token")
        .to_owned()
}

fn fields(e: AppError) -> Vec<&'static str> {
    match e {
        AppError::Invalid(errors) => errors.iter().map(|e| e.field).collect(),
        other => panic!("not a field error: {other:?}"),
    }
}

fn a_new_person_accepts_a_reviewer_invitation_and_joins_the_pool(h: Harness) {
    let refused = h
        .app
        .invite_reviewer(
            &h.admin,
            h.call,
            &ReviewerInput {
                email: "amani@example.org".into(),
                expertise: "Astrology".into(),
                ..Default::default()
            },
        )
        .expect_err("not a theme of the call");
    assert_eq!(fields(refused), ["expertise"]);
    h.app
        .invite_reviewer(
            &h.admin,
            h.call,
            &ReviewerInput {
                email: "Amani@Example.org".into(),
                max_load: "4".into(),
                expertise: "AI governance".into(),
                ..Default::default()
            },
        )
        .expect("invited");
    let mail = h.app.outbox(1).expect("outbox").pop().expect("mail");
    assert_eq!(mail.recipient, "amani@example.org");
    assert!(
        mail.subject
            .contains("a reviewer of the call “Workshop proposals 2026”"),
        "{}",
        mail.subject
    );
    let token = token_to(&h.app, "amani@example.org");
    let view = h.app.check_invitation(&token).expect("usable");
    assert!(!view.account_exists);
    assert_eq!(view.invited_by.as_deref(), Some("Admin"));

    let anonymous = Caller::anonymous(Some("192.0.2.5".into()));
    assert!(matches!(
        h.app.accept_invitation(&anonymous, &token, None, None),
        Err(AppError::SignInRequired)
    ));
    let short = NewInvitee {
        given_name: "Amani".into(),
        family_name: "Njoroge".into(),
        password: "short".into(),
    };
    assert_eq!(
        fields(
            h.app
                .accept_invitation(&anonymous, &token, Some(&short), None)
                .expect_err("short")
        ),
        ["password"]
    );
    let new = NewInvitee {
        password: "a long new password".into(),
        ..short
    };
    let signed = h
        .app
        .accept_invitation(&anonymous, &token, Some(&new), Some("test"))
        .expect("accepted")
        .expect("a new account is signed in");
    assert_eq!(signed.user.display_name, "Amani Njoroge");
    let pool = h.app.reviewers(&h.admin, h.call).expect("pool");
    let reviewer = pool
        .iter()
        .find(|r| r.email == "amani@example.org")
        .expect("in the pool");
    assert_eq!(reviewer.max_load, 4);
    assert!(reviewer.expertise.contains("AI governance"));
    let amani = h
        .app
        .session_user(&signed.session_token)
        .expect("lookup")
        .expect("live")
        .caller(None);
    let person = h
        .app
        .my_person(&amani)
        .expect("lookup")
        .expect("a directory entry, made");
    assert_eq!(
        (person.given_name.as_deref(), person.family_name.as_deref()),
        (Some("Amani"), Some("Njoroge"))
    );
    assert_eq!(person.email.as_deref(), Some("amani@example.org"));
    let profile = h.app.my_profile(&amani).expect("profile");
    assert_eq!(profile.family_name, "Njoroge");

    assert!(matches!(
        h.app.accept_invitation(&amani, &token, None, None),
        Err(AppError::LinkInvalid)
    ));
    let listed = h.app.reviewer_invitations(&h.admin, h.call).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, InvitationState::Accepted);
    assert_eq!(listed[0].accepted_by.as_deref(), Some("Amani Njoroge"));
    assert_eq!(listed[0].role, "Reviewer (at most 4)");
    assert!(matches!(
        h.app.reviewer_invitations(&amani, h.call),
        Err(AppError::Forbidden)
    ));
}

fn an_existing_account_accepts_a_membership_into_its_directory_entry(h: Harness) {
    let person = h
        .app
        .save_person(
            &h.admin,
            None,
            &PersonInput {
                family_name: "Haddad".into(),
                given_name: "Leila".into(),
                email: "leila.work@example.org".into(),
                ..Default::default()
            },
        )
        .expect("person");
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "leila@example.org".into(),
                display_name: "Leila Haddad".into(),
                password: PASSWORD.into(),
                grants: vec![],
            },
        )
        .expect("account");
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "chair@example.org".into(),
                display_name: "Chair".into(),
                password: PASSWORD.into(),
                grants: vec![Grant {
                    role: Role::Chair,
                    scope: Scope::Body(h.body),
                }],
            },
        )
        .expect("chair");
    let chair = signed_in(&h.app, "chair@example.org");
    let refused = h
        .app
        .invite_member(
            &chair,
            h.body,
            "nobody",
            &MembershipInput {
                role: "king".into(),
                starts_on: "2026-04-01".into(),
                ..Default::default()
            },
        )
        .expect_err("refused");
    assert_eq!(fields(refused), ["email", "role"]);
    let member = MembershipInput {
        role: "member".into(),
        starts_on: "2026-04-01".into(),
        ..Default::default()
    };
    h.app
        .invite_member(&chair, h.body, "leila.work@example.org", &member)
        .expect("invited by the chair");
    let token = token_to(&h.app, "leila.work@example.org");
    // The invited address has no account, but the person signs in with theirs.
    let leila = signed_in(&h.app, "leila@example.org");
    assert!(
        h.app
            .accept_invitation(&leila, &token, None, None)
            .expect("accepted")
            .is_none(),
        "already signed in"
    );
    let linked = h.app.my_person(&leila).expect("lookup").expect("linked");
    assert_eq!(linked.id, person.id, "the entry with the invited address");
    let page = h.app.body_page(h.body).expect("body");
    assert!(page.current.iter().any(|m| m.person.id == person.id));

    // A second invitation to the same role cannot be applied: the link stays usable.
    h.app
        .invite_member(&chair, h.body, "leila@example.org", &member)
        .expect("invited again");
    let again = token_to(&h.app, "leila@example.org");
    assert!(matches!(
        h.app.accept_invitation(&leila, &again, None, None),
        Err(AppError::Refused(_))
    ));
    assert!(h.app.check_invitation(&again).is_ok());
    // A new account for an address that has one is refused: its owner signs in.
    let anonymous = Caller::anonymous(None);
    let new = NewInvitee {
        given_name: "Someone".into(),
        password: "a long new password".into(),
        ..Default::default()
    };
    assert!(h.app.check_invitation(&again).expect("view").account_exists);
    assert!(matches!(
        h.app
            .accept_invitation(&anonymous, &again, Some(&new), None),
        Err(AppError::Refused(_))
    ));
}

fn invitations_are_revoked_and_expire(h: Harness) {
    let member = MembershipInput {
        role: "member".into(),
        starts_on: "2026-04-01".into(),
        ..Default::default()
    };
    let first = h
        .app
        .invite_member(&h.admin, h.body, "kofi@example.org", &member)
        .expect("invited");
    let token = token_to(&h.app, "kofi@example.org");
    let other_body = h
        .app
        .save_body(
            &h.admin,
            None,
            &BodyInput {
                kind: "working_group".into(),
                short_name: "WG-Other".into(),
                name: "Other".into(),
                ..Default::default()
            },
        )
        .expect("body")
        .id;
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "other.chair@example.org".into(),
                display_name: "Other chair".into(),
                password: PASSWORD.into(),
                grants: vec![Grant {
                    role: Role::Chair,
                    scope: Scope::Body(other_body),
                }],
            },
        )
        .expect("chair");
    let other_chair = signed_in(&h.app, "other.chair@example.org");
    assert!(matches!(
        h.app.revoke_member_invitation(&other_chair, h.body, first),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        h.app.revoke_member_invitation(&h.admin, other_body, first),
        Err(AppError::NotFound)
    ));
    h.app
        .revoke_member_invitation(&h.admin, h.body, first)
        .expect("revoked");
    assert!(matches!(
        h.app.check_invitation(&token),
        Err(AppError::LinkInvalid)
    ));
    assert!(matches!(
        h.app.revoke_member_invitation(&h.admin, h.body, first),
        Err(AppError::Refused(_))
    ));

    h.app
        .invite_member(&h.admin, h.body, "ines@example.org", &member)
        .expect("invited");
    let late = token_to(&h.app, "ines@example.org");
    h.clock.advance(Duration::days(14));
    assert!(matches!(
        h.app.check_invitation(&late),
        Err(AppError::LinkInvalid)
    ));
    let states: Vec<_> = h
        .app
        .member_invitations(&h.admin, h.body)
        .expect("list")
        .iter()
        .map(|i| i.state)
        .collect();
    assert_eq!(states, [InvitationState::Expired, InvitationState::Revoked]);
}
