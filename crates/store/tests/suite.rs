//! The store test-suite: every case runs unchanged on SQLite and on PostgreSQL.

use chrono::{DateTime, Duration, TimeZone, Utc};
use plenary_domain::meetings::{AttendanceStatus, MeetingKind, MeetingMode};
use plenary_domain::people::{BodyKind, MembershipRole, StakeholderGroup};
use plenary_domain::{Grant, Role, Scope, UserId};
use plenary_store::directory::{
    self as dir, BodyFields, MembershipFields, OrganizationFields, PersonFields,
};
use plenary_store::meetings as mt;
use plenary_store::testing::TestDb;
use plenary_store::{
    Db, StoreError, audit, credentials, invitations, outbox, params, sessions, settings, sign_ups,
    throttle, users,
};

macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $case() { super::$case(&plenary_store::testing::TestDb::sqlite().db); })*
        }
        mod postgres {
            $(#[test] fn $case() {
                let test_db = plenary_store::testing::TestDb::postgres();
                super::$case(&test_db.db);
            })*
        }
    };
}

on_both_backends!(
    migrating_twice_changes_nothing,
    a_failed_use_case_leaves_nothing_behind,
    users_are_unique_by_email_and_searchable,
    grants_are_added_once_and_removed,
    sessions_expire_and_end,
    reset_links_are_single_use,
    api_tokens_are_revocable,
    the_audit_log_is_append_only_and_filterable,
    outbox_messages_are_leased_once,
    outbox_attachments_and_hand_over,
    mail_templates_are_saved_and_reset,
    sign_in_failures_are_counted_per_account_and_address,
    settings_keep_the_first_value,
    instants_round_trip_exactly,
    people_are_found_by_their_folded_name,
    bodies_form_a_tree_and_keep_membership_history,
    referenced_records_cannot_be_deleted,
    subscriptions_are_idempotent,
    agendas_keep_days_items_and_attendance,
    registration_batches_follow_the_list_filters,
    sign_up_links_are_single_use_and_counted,
    profiles_are_saved_and_directory_entries_linked_by_address,
    invitations_are_accepted_once_or_revoked,
);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 26, 8, 30, 0)
        .single()
        .expect("valid instant")
}

fn new_user(db: &Db, email: &str) -> UserId {
    db.write(|tx| {
        users::insert(
            tx,
            &users::NewUser {
                email,
                display_name: "Ana Núñez",
                password_hash: "$argon2id$x",
            },
            t0(),
        )
    })
    .expect("insert user")
}

fn migrating_twice_changes_nothing(db: &Db) {
    assert_eq!(db.migrate().expect("migrate again"), Vec::<&str>::new());
    assert_eq!(db.pending_migrations().expect("pending"), 0);
}

fn a_failed_use_case_leaves_nothing_behind(db: &Db) {
    let result: Result<(), StoreError> = db.write(|tx| {
        users::insert(
            tx,
            &users::NewUser {
                email: "a@example.org",
                display_name: "A",
                password_hash: "h",
            },
            t0(),
        )?;
        users::insert(
            tx,
            &users::NewUser {
                email: "a@example.org",
                display_name: "A",
                password_hash: "h",
            },
            t0(),
        )?;
        Ok(())
    });
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    assert_eq!(db.read(users::count).expect("count"), 0);
}

fn users_are_unique_by_email_and_searchable(db: &Db) {
    let ana = new_user(db, "ana@example.org");
    new_user(db, "bo_b@example.org");
    let dup = db.write(|tx| {
        users::insert(
            tx,
            &users::NewUser {
                email: "ana@example.org",
                display_name: "X",
                password_hash: "h",
            },
            t0(),
        )
    });
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    let found = db
        .read(|tx| users::by_email(tx, "ana@example.org"))
        .expect("by email");
    assert_eq!(
        found.map(|u| (u.id, u.display_name)),
        Some((ana, "Ana Núñez".to_owned()))
    );
    let (page, total) = db
        .read(|tx| users::list(tx, Some("ANA@"), 10, 0))
        .expect("list");
    assert_eq!((page.len(), total), (1, 1));
    // LIKE wildcards in the search are literal.
    let (page, _) = db
        .read(|tx| users::list(tx, Some("o_b"), 10, 0))
        .expect("list");
    assert_eq!(page.len(), 1);
    let (page, _) = db
        .read(|tx| users::list(tx, Some("%"), 10, 0))
        .expect("list");
    assert_eq!(page.len(), 0);
    let (page, total) = db.read(|tx| users::list(tx, None, 1, 1)).expect("list");
    assert_eq!((page.len(), total), (1, 2));
}

fn grants_are_added_once_and_removed(db: &Db) {
    let id = new_user(db, "chair@example.org");
    let chair_of_7 = Grant {
        role: Role::Chair,
        scope: Scope::Body(7),
    };
    let secretariat = Grant {
        role: Role::Secretariat,
        scope: Scope::Global,
    };
    db.write(|tx| {
        assert!(users::add_grant(tx, id, chair_of_7, t0())?);
        assert!(!users::add_grant(tx, id, chair_of_7, t0())?);
        assert!(users::add_grant(tx, id, secretariat, t0())?);
        Ok::<_, StoreError>(())
    })
    .expect("grants");
    let mut grants = db.read(|tx| users::grants(tx, id)).expect("grants");
    grants.sort();
    let mut expected = vec![secretariat, chair_of_7];
    expected.sort();
    assert_eq!(grants, expected);
    assert_eq!(
        db.read(|tx| users::count_with_global_role(tx, Role::Secretariat))
            .expect("count"),
        1
    );
    assert!(
        db.write(|tx| users::remove_grant(tx, id, chair_of_7))
            .expect("remove")
    );
    assert_eq!(
        db.read(|tx| users::grants(tx, id)).expect("grants"),
        vec![secretariat]
    );
}

fn sessions_expire_and_end(db: &Db) {
    let id = new_user(db, "s@example.org");
    let new = |hash| sessions::NewSession {
        token_hash: hash,
        user_id: id,
        expires_at: t0() + Duration::hours(1),
        client_ip: Some("203.0.113.9"),
        user_agent: None,
    };
    db.write(|tx| {
        sessions::insert(tx, &new("h1"), t0())?;
        sessions::insert(tx, &new("h2"), t0())
    })
    .expect("insert");
    let live = db
        .read(|tx| sessions::live_by_hash(tx, "h1", t0() + Duration::minutes(59)))
        .expect("read");
    assert_eq!(live.map(|s| s.user_id), Some(id));
    let expired = db
        .read(|tx| sessions::live_by_hash(tx, "h1", t0() + Duration::hours(1)))
        .expect("read");
    assert_eq!(expired, None);
    assert_eq!(
        db.write(|tx| sessions::delete_by_hash(tx, "h1"))
            .expect("delete"),
        Some(id)
    );
    assert_eq!(
        db.write(|tx| sessions::delete_for_user(tx, id))
            .expect("delete all"),
        1
    );
}

fn reset_links_are_single_use(db: &Db) {
    let id = new_user(db, "r@example.org");
    db.write(|tx| credentials::insert_reset(tx, "rh", id, t0(), t0() + Duration::hours(1)))
        .expect("insert");
    let reset = db
        .read(|tx| credentials::reset_by_hash(tx, "rh"))
        .expect("read")
        .expect("present");
    assert_eq!(reset.user_id, id);
    assert!(
        db.write(|tx| credentials::mark_reset_used(tx, reset.id, t0()))
            .expect("use")
    );
    assert!(
        !db.write(|tx| credentials::mark_reset_used(tx, reset.id, t0()))
            .expect("reuse")
    );
}

fn api_tokens_are_revocable(db: &Db) {
    let id = new_user(db, "t@example.org");
    let other = new_user(db, "o@example.org");
    let tid = db
        .write(|tx| credentials::insert_api_token(tx, id, "laptop", "plt_abcd", "th", t0()))
        .expect("insert");
    assert!(
        db.read(|tx| credentials::live_api_token_by_hash(tx, "th"))
            .expect("read")
            .is_some()
    );
    assert!(
        !db.write(|tx| credentials::revoke_api_token(tx, other, tid, t0()))
            .expect("not theirs")
    );
    assert!(
        db.write(|tx| credentials::revoke_api_token(tx, id, tid, t0()))
            .expect("revoke")
    );
    assert!(
        db.read(|tx| credentials::live_api_token_by_hash(tx, "th"))
            .expect("read")
            .is_none()
    );
    assert_eq!(
        db.read(|tx| credentials::api_tokens_for_user(tx, id))
            .expect("list")
            .len(),
        1
    );
}

fn the_audit_log_is_append_only_and_filterable(db: &Db) {
    let id = new_user(db, "a@example.org");
    db.write(|tx| {
        for (action, target) in [
            ("session.create", "1"),
            ("user.create", "2"),
            ("session.delete", "1"),
        ] {
            let entry = audit::NewEntry {
                actor_user_id: Some(id),
                actor: "a@example.org",
                action,
                target_kind: "user",
                target_id: Some(target),
                detail: "{}",
                client_ip: None,
            };
            audit::append(tx, &entry, t0())?;
        }
        Ok::<_, StoreError>(())
    })
    .expect("append");
    let filter = audit::Filter {
        action_prefix: Some("session.".into()),
        ..Default::default()
    };
    let sessions = db.read(|tx| audit::list(tx, &filter, 10)).expect("list");
    assert_eq!(
        sessions
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["session.delete", "session.create"]
    );
    let page = audit::Filter {
        before_id: Some(sessions[0].id),
        ..Default::default()
    };
    assert_eq!(
        db.read(|tx| audit::list(tx, &page, 10))
            .expect("list")
            .len(),
        2
    );
    let without_sessions = audit::Filter {
        without_sessions: true,
        ..Default::default()
    };
    let changes: Vec<String> = db
        .read(|tx| audit::list(tx, &without_sessions, 10))
        .expect("list")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        !changes.is_empty() && changes.iter().all(|a| !a.starts_with("session.")),
        "sign-ins and sign-outs left out: {changes:?}"
    );
    let update = db.write(|tx| tx.execute("UPDATE audit_log SET action = 'forged'", &[]));
    assert!(update.is_err(), "audit rows must not change");
    let delete = db.write(|tx| tx.execute("DELETE FROM audit_log", &[]));
    assert!(delete.is_err(), "audit rows must not be deleted");
    assert_eq!(
        db.read(|tx| audit::list(tx, &audit::Filter::default(), 10))
            .expect("list")
            .len(),
        3
    );
}

fn outbox_messages_are_leased_once(db: &Db) {
    let msg = outbox::NewMessage {
        kind: "test",
        recipient: "x@example.org",
        subject: "Hi",
        body_text: "Hello",
        body_html: None,
    };
    let id = db
        .write(|tx| outbox::enqueue(tx, &msg, t0()))
        .expect("enqueue");
    let lease = t0() + Duration::minutes(5);
    let first = db
        .write(|tx| outbox::lease_next(tx, t0(), lease))
        .expect("lease");
    assert_eq!(first.as_ref().map(|m| (m.id, m.attempts)), Some((id, 1)));
    assert_eq!(
        db.write(|tx| outbox::lease_next(tx, t0(), lease))
            .expect("lease"),
        None,
        "leased rows are not handed out twice"
    );
    db.write(|tx| outbox::mark_failed(tx, id, 1, "timeout", Some(t0() + Duration::minutes(1))))
        .expect("fail");
    assert_eq!(
        db.write(|tx| outbox::lease_next(tx, t0(), lease))
            .expect("lease"),
        None,
        "not due yet"
    );
    let again = db
        .write(|tx| outbox::lease_next(tx, t0() + Duration::minutes(2), lease))
        .expect("lease");
    assert_eq!(again.map(|m| m.attempts), Some(2));
    db.write(|tx| outbox::mark_sent(tx, id, t0()))
        .expect("sent");
    assert_eq!(
        db.read(|tx| outbox::count_by_status(tx, "sent"))
            .expect("count"),
        1
    );
    assert_eq!(
        db.write(|tx| outbox::lease_next(tx, t0() + Duration::hours(1), lease))
            .expect("lease"),
        None
    );
}

fn outbox_attachments_and_hand_over(db: &Db) {
    let msg = outbox::NewMessage {
        kind: "test",
        recipient: "x@example.org",
        subject: "Hi",
        body_text: "Hello",
        body_html: Some("<p>Hello</p>"),
    };
    let bytes: Vec<u8> = (0..=255).collect();
    let id = db
        .write(|tx| {
            let id = outbox::enqueue(tx, &msg, t0())?;
            outbox::attach(tx, id, 0, "a.ics", "text/calendar", b"BEGIN:VCALENDAR")?;
            outbox::attach(tx, id, 1, "b.bin", "application/octet-stream", &bytes)?;
            Ok::<_, StoreError>(id)
        })
        .expect("enqueue");
    let lease = t0() + Duration::minutes(5);
    let leased = db
        .write(|tx| outbox::lease_next(tx, t0(), lease))
        .expect("lease")
        .expect("due");
    assert_eq!(leased.attachments.len(), 2);
    assert_eq!(leased.attachments[0].file_name, "a.ics");
    assert_eq!(
        leased.attachments[1].data, bytes,
        "bytes round-trip exactly"
    );
    assert!(
        !db.write(|tx| outbox::mark_handed_over(tx, id, 7, t0()))
            .expect("hand over"),
        "only the holder of the current lease hands over"
    );
    assert!(
        db.write(|tx| outbox::mark_handed_over(tx, id, 1, t0()))
            .expect("hand over")
    );
    // The worker dies; after the lease, the message is not leased again but settled.
    let later = t0() + Duration::minutes(10);
    assert_eq!(
        db.write(|tx| outbox::lease_next(tx, later, later + Duration::minutes(5)))
            .expect("lease"),
        None
    );
    assert_eq!(
        db.write(|tx| outbox::settle_handed_over(tx, t0()))
            .expect("settle"),
        Vec::<i64>::new(),
        "not while the lease holds"
    );
    assert_eq!(
        db.write(|tx| outbox::settle_handed_over(tx, later))
            .expect("settle"),
        vec![id]
    );
    let settled = db
        .read(|tx| outbox::get(tx, id))
        .expect("get")
        .expect("message");
    assert_eq!(settled.status, "sent");
    assert!(
        settled
            .last_error
            .is_some_and(|e| e.starts_with("unconfirmed"))
    );
}

fn mail_templates_are_saved_and_reset(db: &Db) {
    use plenary_store::mail_templates as mt;
    let mut t = mt::Template {
        kind: "password_reset".into(),
        subject: "S".into(),
        body_text: "T {{name}}".into(),
        body_html: String::new(),
        updated_at: t0(),
        updated_by: "a@example.org".into(),
    };
    db.write(|tx| mt::save(tx, &t)).expect("save");
    t.subject = "S2".into();
    db.write(|tx| mt::save(tx, &t)).expect("save again");
    assert_eq!(db.read(mt::list).expect("list"), vec![t.clone()]);
    assert_eq!(
        db.read(|tx| mt::get(tx, "password_reset")).expect("get"),
        Some(t)
    );
    assert!(
        db.write(|tx| mt::delete(tx, "password_reset"))
            .expect("delete")
    );
    assert!(
        !db.write(|tx| mt::delete(tx, "password_reset"))
            .expect("delete")
    );
    assert_eq!(
        db.read(|tx| mt::get(tx, "password_reset")).expect("get"),
        None
    );
}

fn sign_in_failures_are_counted_per_account_and_address(db: &Db) {
    db.write(|tx| {
        throttle::record(tx, "a@example.org", "192.0.2.1", false, t0())?;
        throttle::record(
            tx,
            "a@example.org",
            "192.0.2.1",
            false,
            t0() + Duration::seconds(1),
        )?;
        throttle::record(
            tx,
            "b@example.org",
            "192.0.2.1",
            false,
            t0() + Duration::seconds(2),
        )?;
        Ok::<_, StoreError>(())
    })
    .expect("record");
    let since = t0() - Duration::minutes(15);
    let count = |f: &dyn Fn(&mut plenary_store::Tx<'_>) -> Result<Vec<_>, StoreError>| {
        db.read(|tx| f(tx)).expect("count").len()
    };
    assert_eq!(
        count(&|tx| throttle::failures_for_email(tx, "a@example.org", since, 10)),
        2
    );
    assert_eq!(
        count(&|tx| throttle::failures_for_ip(tx, "192.0.2.1", since, 10)),
        3
    );
    assert_eq!(
        count(&|tx| throttle::failures_for_ip(tx, "192.0.2.1", since, 2)),
        2,
        "at most the limit asked for"
    );
    // Newest first.
    assert_eq!(
        db.read(|tx| throttle::failures_for_ip(tx, "192.0.2.1", since, 10))
            .expect("times")[0],
        t0() + Duration::seconds(2)
    );
    // A reservation counts as a failure until it is marked a success; a released one
    // does not count at all.
    let reserved = db
        .write(|tx| throttle::reserve(tx, "a@example.org", "192.0.2.9", t0()))
        .expect("reserve");
    assert_eq!(
        count(&|tx| throttle::failures_for_pair(tx, "a@example.org", "192.0.2.9", since, 10)),
        1
    );
    db.write(|tx| throttle::release(tx, reserved))
        .expect("release");
    assert_eq!(
        count(&|tx| throttle::failures_for_pair(tx, "a@example.org", "192.0.2.9", since, 10)),
        0
    );
    let reserved = db
        .write(|tx| {
            throttle::lock_keys(tx, "a@example.org", "192.0.2.1")?;
            throttle::reserve(
                tx,
                "a@example.org",
                "192.0.2.1",
                t0() + Duration::seconds(3),
            )
        })
        .expect("reserve");
    db.write(|tx| throttle::mark_succeeded(tx, reserved))
        .expect("ok");
    assert_eq!(
        count(&|tx| throttle::failures_for_email(tx, "a@example.org", since, 10)),
        0,
        "a success resets the account's count"
    );
    assert_eq!(
        count(&|tx| throttle::failures_for_pair(tx, "a@example.org", "192.0.2.1", since, 10)),
        0,
        "and the pair's"
    );
    assert_eq!(
        count(&|tx| throttle::failures_for_ip(tx, "192.0.2.1", since, 10)),
        3,
        "not the address's failures on other accounts"
    );
    assert_eq!(
        db.write(|tx| throttle::prune(tx, t0() + Duration::hours(1)))
            .expect("prune"),
        4
    );
}

fn settings_keep_the_first_value(db: &Db) {
    assert_eq!(
        db.write(|tx| settings::get_or_insert(tx, "k", "one"))
            .expect("set"),
        "one"
    );
    assert_eq!(
        db.write(|tx| settings::get_or_insert(tx, "k", "two"))
            .expect("set"),
        "one"
    );
}

fn instants_round_trip_exactly(db: &Db) {
    let at = t0() + Duration::microseconds(123_456);
    db.write(|tx| {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ($1, $2)",
            params!["x", "y"],
        )
    })
    .expect("insert");
    let user_id = new_user(db, "rt@example.org");
    let new = sessions::NewSession {
        token_hash: "rt",
        user_id,
        expires_at: at,
        client_ip: None,
        user_agent: Some("ü"),
    };
    db.write(|tx| sessions::insert(tx, &new, at))
        .expect("insert");
    let s = db
        .read(|tx| sessions::live_by_hash(tx, "rt", t0()))
        .expect("read")
        .expect("live");
    assert_eq!(
        (s.created_at, s.expires_at, s.user_agent.as_deref()),
        (at, at, Some("ü"))
    );
}

#[test]
fn both_backends_have_the_same_migration_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(root.join(dir))
            .expect("migrations folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let sqlite = names("sqlite");
    assert_eq!(sqlite, names("postgres"));
    let listed: Vec<String> = plenary_store::MIGRATIONS
        .iter()
        .map(|m| format!("{}.sql", m.name))
        .collect();
    assert_eq!(
        sqlite, listed,
        "every file is listed in MIGRATIONS, in order"
    );
}

#[test]
fn a_test_database_is_dropped_afterwards() {
    let test_db = TestDb::postgres();
    let url = test_db.url();
    drop(test_db);
    let reopened = plenary_store::DatabaseUrl::parse(&url).map(|u| Db::open(&u));
    assert!(
        matches!(reopened, Ok(Err(_))),
        "database still exists at {url}"
    );
}

fn person_fields<'a>(family: &'a str, given: &'a str, key: &'a str) -> PersonFields<'a> {
    PersonFields {
        family_name: Some(family),
        given_name: Some(given),
        name_key: key,
        organization_id: None,
        stakeholder_group: Some(StakeholderGroup::CivilSociety),
        country: Some("AR"),
        gender: None,
        email: None,
        time_zone: Some("America/Argentina/Buenos_Aires"),
        user_id: None,
    }
}

fn body_fields<'a>(short: &'a str, parent: Option<i64>) -> BodyFields<'a> {
    BodyFields {
        parent_id: parent,
        kind: BodyKind::WorkingGroup,
        short_name: short,
        name: "A body",
        mandate: "Line one\nLine two",
    }
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn people_are_found_by_their_folded_name(db: &Db) {
    db.write(|tx| {
        dir::insert_person(
            tx,
            &person_fields("Núñez", "Ana", "ana nunez | nunez ana"),
            t0(),
        )?;
        dir::insert_person(
            tx,
            &person_fields(
                "Jónsdóttir",
                "Guðrún",
                "gudrun jonsdottir | jonsdottir gudrun",
            ),
            t0(),
        )?;
        dir::insert_person(
            tx,
            &person_fields("100%_Real", "Test", "test 100%_real | 100%_real test"),
            t0(),
        )
    })
    .expect("insert");
    let (found, total) = db
        .read(|tx| dir::persons(tx, "nunez", 10, 0))
        .expect("search");
    assert_eq!(
        (total, found[0].family_name.as_deref()),
        (1, Some("Núñez")),
        "stored exactly, found folded"
    );
    assert_eq!(
        found[0].time_zone.as_deref(),
        Some("America/Argentina/Buenos_Aires")
    );
    assert_eq!(
        db.read(|tx| dir::persons(tx, "gudrun", 10, 0))
            .expect("search")
            .1,
        1
    );
    assert_eq!(
        db.read(|tx| dir::persons(tx, "%_", 10, 0))
            .expect("search")
            .1,
        1,
        "wildcards are literal"
    );
    let (all, total) = db.read(|tx| dir::persons(tx, "", 2, 0)).expect("all");
    assert_eq!((all.len(), total), (2, 3));
}

fn bodies_form_a_tree_and_keep_membership_history(db: &Db) {
    let (mag, wg, person) = db
        .write(|tx| {
            let mag = dir::insert_body(tx, &body_fields("MAG", None), t0())?;
            let wg = dir::insert_body(tx, &body_fields("WG-Youth", Some(mag)), t0())?;
            let person =
                dir::insert_person(tx, &person_fields("Okafor", "Amara", "amara okafor"), t0())?;
            Ok::<_, StoreError>((mag, wg, person))
        })
        .expect("insert");
    let dup = db.write(|tx| dir::insert_body(tx, &body_fields("MAG", None), t0()));
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    let bodies = db.read(dir::bodies).expect("bodies");
    assert_eq!(
        bodies.iter().find(|b| b.id == wg).and_then(|b| b.parent_id),
        Some(mag)
    );
    assert_eq!(
        bodies
            .iter()
            .find(|b| b.id == wg)
            .map(|b| b.mandate.as_str()),
        Some("Line one\nLine two")
    );
    let m = MembershipFields {
        body_id: wg,
        person_id: person,
        role: MembershipRole::Chair,
        starts_on: day("2025-01-01"),
        ends_on: None,
        liaison_body_id: Some(mag),
    };
    let id = db
        .write(|tx| dir::insert_membership(tx, &m, t0()))
        .expect("membership");
    db.write(|tx| dir::set_membership_end(tx, id, Some(day("2025-12-31"))))
        .expect("end");
    let history = db
        .read(|tx| dir::memberships_of_body(tx, wg))
        .expect("history");
    assert_eq!(history.len(), 1, "ending keeps the record");
    assert_eq!(
        (
            history[0].role,
            history[0].ends_on,
            history[0].liaison_body_id
        ),
        (MembershipRole::Chair, Some(day("2025-12-31")), Some(mag))
    );
    let bad = MembershipFields {
        ends_on: Some(day("2024-01-01")),
        ..m
    };
    assert!(
        db.write(|tx| dir::insert_membership(tx, &bad, t0()))
            .is_err(),
        "the database refuses an end before the start"
    );
}

fn referenced_records_cannot_be_deleted(db: &Db) {
    let (org, person, body) = db
        .write(|tx| {
            let org = dir::insert_organization(
                tx,
                &OrganizationFields {
                    name: "ISOC",
                    name_key: "isoc",
                    stakeholder_group: None,
                    country: None,
                },
                t0(),
            )?;
            let mut fields = person_fields("Chen", "Mei Lin", "mei lin chen");
            fields.organization_id = Some(org);
            let person = dir::insert_person(tx, &fields, t0())?;
            let body = dir::insert_body(tx, &body_fields("BPF", None), t0())?;
            Ok::<_, StoreError>((org, person, body))
        })
        .expect("insert");
    let m = MembershipFields {
        body_id: body,
        person_id: person,
        role: MembershipRole::Member,
        starts_on: day("2025-01-01"),
        ends_on: None,
        liaison_body_id: None,
    };
    db.write(|tx| dir::insert_membership(tx, &m, t0()))
        .expect("membership");
    assert!(matches!(
        db.write(|tx| dir::delete_organization(tx, org)),
        Err(StoreError::Reference(_))
    ));
    assert!(matches!(
        db.write(|tx| dir::delete_person(tx, person)),
        Err(StoreError::Reference(_))
    ));
    assert!(matches!(
        db.write(|tx| dir::delete_body(tx, body)),
        Err(StoreError::Reference(_))
    ));
    assert_eq!(
        db.read(|tx| dir::person(tx, person))
            .expect("read")
            .and_then(|p| p.organization),
        Some("ISOC".to_owned())
    );
}

fn subscriptions_are_idempotent(db: &Db) {
    let (body, person) = db
        .write(|tx| {
            let body = dir::insert_body(tx, &body_fields("PNAI", None), t0())?;
            let person =
                dir::insert_person(tx, &person_fields("Haddad", "Nadia", "nadia haddad"), t0())?;
            Ok::<_, StoreError>((body, person))
        })
        .expect("insert");
    assert!(
        db.write(|tx| dir::subscribe(tx, body, person, t0()))
            .expect("subscribe")
    );
    assert!(
        !db.write(|tx| dir::subscribe(tx, body, person, t0()))
            .expect("again")
    );
    assert_eq!(
        db.read(|tx| dir::subscribers(tx, body))
            .expect("list")
            .len(),
        1
    );
    assert!(
        db.read(|tx| dir::is_subscribed(tx, body, person))
            .expect("check")
    );
    assert!(
        db.write(|tx| dir::unsubscribe(tx, body, person))
            .expect("unsubscribe")
    );
    assert!(
        !db.write(|tx| dir::unsubscribe(tx, body, person))
            .expect("again")
    );
}

fn agendas_keep_days_items_and_attendance(db: &Db) {
    let (body, person) = db
        .write(|tx| {
            let body = dir::insert_body(tx, &body_fields("MAG", None), t0())?;
            let person =
                dir::insert_person(tx, &person_fields("Okafor", "Amara", "amara okafor"), t0())?;
            Ok::<_, StoreError>((body, person))
        })
        .expect("insert");
    let fields = mt::MeetingFields {
        body_id: body,
        title: "Consultations",
        kind: MeetingKind::OpenConsultation,
        mode: MeetingMode::Hybrid,
        venue: "Lakeside",
        time_zone: "Europe/Zurich",
        starts_at: t0(),
        ends_at: t0() + Duration::hours(8),
        description: "",
        published: false,
        join_url: Some("https://meet.jit.si/mag-consultations"),
        stream_url: None,
    };
    let meeting = db
        .write(|tx| mt::insert_meeting(tx, &fields, t0()))
        .expect("meeting");
    assert_eq!(
        db.read(|tx| mt::join_url(tx, meeting)).expect("join"),
        Some("https://meet.jit.si/mag-consultations".to_owned()),
        "the join link is kept, and read apart"
    );
    let stored = db.read(|tx| mt::meeting(tx, meeting)).expect("read");
    assert_eq!(stored.expect("meeting").stream_url, None);
    let streamed = mt::MeetingFields {
        join_url: None,
        stream_url: Some("https://live.example.org/mag"),
        ..fields
    };
    db.write(|tx| mt::update_meeting(tx, meeting, &streamed, t0()))
        .expect("update");
    let stored = db.read(|tx| mt::meeting(tx, meeting)).expect("read");
    assert_eq!(
        stored.expect("meeting").stream_url.as_deref(),
        Some("https://live.example.org/mag")
    );
    assert_eq!(db.read(|tx| mt::join_url(tx, meeting)).expect("join"), None);
    assert!(
        db.read(|tx| mt::meetings(tx, Some(body), false))
            .expect("public")
            .is_empty(),
        "drafts are not listed publicly"
    );
    assert_eq!(
        db.read(|tx| mt::meetings(tx, Some(body), true))
            .expect("all")
            .len(),
        1
    );
    let docs = vec!["Draft programme".to_owned()];
    let day_id = db
        .write(|tx| {
            mt::insert_day(
                tx,
                meeting,
                &mt::DayFields {
                    day: day("2026-06-26"),
                    room_id: None,
                    label: "Day one",
                    input_documents: &docs,
                    desired_outputs: &[],
                    starts_at: None,
                    ends_at: None,
                },
            )
        })
        .expect("day");
    let dup = db.write(|tx| {
        mt::insert_day(
            tx,
            meeting,
            &mt::DayFields {
                day: day("2026-06-26"),
                room_id: None,
                label: "",
                input_documents: &[],
                desired_outputs: &[],
                starts_at: None,
                ends_at: None,
            },
        )
    });
    assert!(
        matches!(dup, Err(StoreError::Conflict(_))),
        "one entry per date"
    );
    let interventions = vec!["- ISOC".to_owned(), "- Government of Lakeland".to_owned()];
    let item = |title: &'static str, parent: Option<i64>| mt::ItemFields {
        day_id,
        parent_id: parent,
        number: Some("1"),
        title,
        starts_at: Some(t0()),
        ends_at: Some(t0() + Duration::minutes(30)),
        room_id: None,
        presenters: "",
        interventions: &interventions,
        input_documents: &[],
        desired_outputs: &[],
    };
    let first = db
        .write(|tx| mt::insert_item(tx, meeting, &item("Welcome", None)))
        .expect("item");
    let second = db
        .write(|tx| mt::insert_item(tx, meeting, &item("Stocktaking", None)))
        .expect("item");
    db.write(|tx| mt::insert_item(tx, meeting, &item("Interventions from:", Some(second))))
        .expect("sub-item");
    let items = db.read(|tx| mt::items(tx, meeting)).expect("items");
    assert_eq!(
        items
            .iter()
            .map(|i| (i.title.as_str(), i.position))
            .collect::<Vec<_>>(),
        [
            ("Welcome", 1),
            ("Stocktaking", 2),
            ("Interventions from:", 3)
        ]
    );
    assert_eq!(items[0].interventions, interventions);
    assert_eq!(
        db.read(|tx| mt::days(tx, meeting)).expect("days")[0].input_documents,
        docs
    );
    db.write(|tx| mt::upsert_attendee(tx, meeting, person, "MAG Chair", AttendanceStatus::Invited))
        .expect("invite");
    db.write(|tx| {
        mt::upsert_attendee(tx, meeting, person, "MAG Chair", AttendanceStatus::Attended)
    })
    .expect("update");
    let attendees = db.read(|tx| mt::attendees(tx, meeting)).expect("attendees");
    assert_eq!(
        (attendees.len(), attendees[0].status),
        (1, AttendanceStatus::Attended)
    );
    db.write(|tx| {
        mt::set_role_group_order(
            tx,
            meeting,
            &["MAG Chair".to_owned(), "Secretariat".to_owned()],
        )
    })
    .expect("order");
    assert_eq!(
        db.read(|tx| mt::role_group_order(tx, meeting))
            .expect("order"),
        ["MAG Chair", "Secretariat"]
    );
    assert!(
        db.write(|tx| mt::delete_item(tx, second)).expect("delete"),
        "with its sub-items"
    );
    assert_eq!(
        db.read(|tx| mt::items(tx, meeting)).expect("items").len(),
        1
    );
    assert!(
        db.write(|tx| mt::delete_meeting(tx, meeting))
            .expect("delete meeting")
    );
    assert!(
        db.read(|tx| mt::item(tx, first)).expect("read").is_none(),
        "the agenda goes with the meeting"
    );
}

fn registration_batches_follow_the_list_filters(db: &Db) {
    use plenary_domain::registration::{ParticipationMode, RegistrationStatus};
    use plenary_store::registration::{self as reg, ListFilter};
    let (event, onsite, online) = db
        .write(|tx| {
            let event = reg::insert_event(
                tx,
                &reg::EventFields {
                    title: "Forum",
                    venue: "Geneva",
                    time_zone: "Europe/Zurich",
                    starts_at: t0() + Duration::days(30),
                    ends_at: t0() + Duration::days(32),
                    registration_opens_at: t0(),
                    registration_closes_at: t0() + Duration::days(20),
                    changes_until: t0() + Duration::days(20),
                    public_list: false,
                    visa_letters: false,
                    visa_retention_days: 90,
                },
                t0(),
            )?;
            let category = |name: &'static str, mode| reg::CategoryFields {
                name,
                mode,
                capacity: None,
                needs_approval: false,
            };
            let onsite =
                reg::insert_category(tx, event, &category("Onsite", ParticipationMode::Onsite))?;
            let online =
                reg::insert_category(tx, event, &category("Online", ParticipationMode::Online))?;
            Ok::<_, StoreError>((event, onsite, online))
        })
        .expect("event");
    // 23 registrations: every third online, every fourth waiting, one "Núñez".
    db.write(|tx| {
        for n in 0..23 {
            let email = format!("p{n}@example.org");
            let family = if n == 7 {
                "Núñez".to_owned()
            } else {
                format!("Family{n}")
            };
            let key = if n == 7 {
                "ana nunez".to_owned()
            } else {
                format!("ana family{n}")
            };
            let status = if n % 4 == 0 {
                RegistrationStatus::Waitlisted
            } else {
                RegistrationStatus::Confirmed
            };
            let inserted = reg::insert_registration(
                tx,
                &reg::NewRegistration {
                    event_id: event,
                    category_id: if n % 3 == 0 { online } else { onsite },
                    user_id: None,
                    email: &email,
                    email_key: &email,
                    family_name: &family,
                    given_name: "Ana",
                    name_key: &key,
                    organization: "",
                    country: None,
                    status,
                    answers: "{}",
                    listed: false,
                    badge_code: &format!("BADGE{n:03}"),
                    manage_token_hash: &format!("hash{n}"),
                },
                t0(),
            )?;
            assert!(inserted.is_some());
        }
        Ok::<_, StoreError>(())
    })
    .expect("registrations");

    let filters = [
        ListFilter::default(),
        ListFilter {
            status: Some(RegistrationStatus::Waitlisted),
            ..Default::default()
        },
        ListFilter {
            category_id: Some(online),
            status: Some(RegistrationStatus::Confirmed),
            ..Default::default()
        },
        ListFilter {
            search: "nunez",
            ..Default::default()
        },
        ListFilter {
            search: "family1",
            category_id: Some(onsite),
            ..Default::default()
        },
        ListFilter {
            search: "nobody",
            ..Default::default()
        },
    ];
    for filter in &filters {
        let (listed, total) = db
            .read(|tx| reg::list(tx, event, filter, 1000, 0))
            .expect("list");
        assert_eq!(listed.len() as i64, total);
        // Batches of 4, each read in its own transaction, give the list's rows.
        let mut batched = Vec::new();
        let mut after = 0;
        loop {
            let batch = db
                .read(|tx| reg::batch_after(tx, event, filter, after, 4))
                .expect("batch");
            assert!(batch.len() <= 4);
            match batch.last() {
                Some(last) => after = last.id,
                None => break,
            }
            batched.extend(batch);
        }
        assert_eq!(batched, listed, "{filter:?}");
    }
    let ids = |f: &ListFilter<'_>| {
        db.read(|tx| reg::batch_after(tx, event, f, 0, 100))
            .expect("batch")
            .iter()
            .map(|r| r.family_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&filters[3]), ["Núñez"]);
    assert_eq!(ids(&filters[1]).len(), 6);
    assert_eq!(ids(&filters[2]).len(), 6);
    assert_eq!(
        ids(&filters[4]),
        [
            "Family1", "Family10", "Family11", "Family13", "Family14", "Family16", "Family17",
            "Family19"
        ]
    );
    assert!(ids(&filters[5]).is_empty());
    // Another event's registrations never appear.
    assert!(
        db.read(|tx| reg::batch_after(tx, event + 1000, &ListFilter::default(), 0, 100))
            .expect("other event")
            .is_empty()
    );
}

fn sign_up_links_are_single_use_and_counted(db: &Db) {
    let new =
        |email: &'static str, token: Option<&'static str>, ip: &'static str| sign_ups::NewSignUp {
            email,
            display_name: "Leila Haddad",
            password_hash: "$argon2id$x",
            token_hash: token,
            client_ip: Some(ip),
            expires_at: t0() + Duration::hours(24),
        };
    db.write(|tx| {
        sign_ups::insert(tx, &new("leila@example.org", Some("h1"), "192.0.2.1"), t0())?;
        sign_ups::insert(tx, &new("leila@example.org", Some("h2"), "192.0.2.2"), t0())?;
        // Requests without a link (the address had an account) do not clash.
        sign_ups::insert(tx, &new("ana@example.org", None, "192.0.2.1"), t0())?;
        sign_ups::insert(
            tx,
            &new("ana@example.org", None, "192.0.2.1"),
            t0() + Duration::hours(2),
        )
    })
    .expect("insert");
    let taken =
        db.write(|tx| sign_ups::insert(tx, &new("x@example.org", Some("h1"), "192.0.2.9"), t0()));
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    db.read(|tx| {
        let since = t0() - Duration::minutes(1);
        assert_eq!(
            sign_ups::count_for_email(tx, "leila@example.org", since)?,
            2
        );
        assert_eq!(sign_ups::count_for_client(tx, "192.0.2.1", since)?, 3);
        assert_eq!(
            sign_ups::count_for_client(tx, "192.0.2.1", t0() + Duration::hours(1))?,
            1
        );
        let found = sign_ups::by_token_hash(tx, "h1")?.expect("found");
        assert_eq!(
            (found.email.as_str(), found.used_at),
            ("leila@example.org", None)
        );
        assert_eq!(found.expires_at, t0() + Duration::hours(24));
        Ok::<_, StoreError>(())
    })
    .expect("read");
    let id = db
        .read(|tx| sign_ups::by_token_hash(tx, "h1"))
        .expect("read")
        .expect("found")
        .id;
    assert!(
        db.write(|tx| sign_ups::mark_used(tx, id, t0()))
            .expect("use")
    );
    assert!(
        !db.write(|tx| sign_ups::mark_used(tx, id, t0()))
            .expect("again"),
        "once"
    );
    let used = db
        .read(|tx| sign_ups::by_token_hash(tx, "h1"))
        .expect("read")
        .expect("found");
    assert_eq!(used.used_at, Some(t0()));
    assert_eq!(used.password_hash, "", "the hash is forgotten once used");
    assert_eq!(
        db.write(|tx| sign_ups::void_for_email(tx, "leila@example.org", t0()))
            .expect("void"),
        1
    );
    assert!(
        db.read(|tx| sign_ups::by_token_hash(tx, "h2"))
            .expect("read")
            .expect("found")
            .used_at
            .is_some()
    );
    assert_eq!(
        db.write(|tx| sign_ups::prune(tx, t0() + Duration::hours(1)))
            .expect("prune"),
        3
    );
}

fn profiles_are_saved_and_directory_entries_linked_by_address(db: &Db) {
    let ana = new_user(db, "ana@example.org");
    let blank = db
        .read(|tx| users::profile(tx, ana))
        .expect("read")
        .expect("profile");
    assert_eq!(blank.language, "en", "English by default");
    assert_eq!(blank.given_name, None);
    let org = db
        .write(|tx| {
            dir::insert_organization(
                tx,
                &OrganizationFields {
                    name: "Fundación Vía Libre",
                    name_key: "fundacion via libre",
                    stakeholder_group: None,
                    country: None,
                },
                t0(),
            )
        })
        .expect("organization");
    let found = db
        .read(|tx| dir::organization_by_key(tx, "fundacion via libre"))
        .expect("read")
        .expect("found by its exact key");
    assert_eq!(found.id, org);
    assert!(
        db.read(|tx| dir::organization_by_key(tx, "fundacion"))
            .expect("read")
            .is_none()
    );
    assert_eq!(
        db.read(|tx| dir::organization_names(tx, 10))
            .expect("names"),
        ["Fundación Vía Libre"]
    );
    let profile = users::Profile {
        given_name: Some("Ana María".into()),
        family_name: Some("Núñez".into()),
        organization: Some("Fundación Vía Libre".into()),
        organization_id: Some(org),
        stakeholder_group: Some("civil_society".into()),
        country: Some("AR".into()),
        language: "es".into(),
    };
    assert!(
        db.write(|tx| users::set_profile(tx, ana, "Ana María Núñez", &profile))
            .expect("save")
    );
    assert_eq!(
        db.read(|tx| users::profile(tx, ana)).expect("read"),
        Some(profile)
    );
    assert_eq!(
        db.read(|tx| users::by_id(tx, ana))
            .expect("read")
            .expect("user")
            .display_name,
        "Ana María Núñez"
    );
    // Deleting the organization leaves the name as typed on the account.
    assert!(
        db.write(|tx| dir::delete_organization(tx, org))
            .expect("delete")
    );
    let after = db
        .read(|tx| users::profile(tx, ana))
        .expect("read")
        .expect("profile");
    assert_eq!(
        (after.organization_id, after.organization.as_deref()),
        (None, Some("Fundación Vía Libre"))
    );

    // A directory entry with the account's address and no account yet is linked once.
    let mut fields = person_fields("Núñez", "Ana", "ana nunez");
    fields.email = Some("ana@example.org");
    let person = db
        .write(|tx| dir::insert_person(tx, &fields, t0()))
        .expect("person");
    let linked = db
        .write(|tx| dir::link_person_by_email(tx, "ana@example.org", ana.0, t0()))
        .expect("link");
    assert_eq!(linked, Some(person));
    assert_eq!(
        db.read(|tx| dir::person_by_user(tx, ana.0))
            .expect("read")
            .map(|p| p.id),
        Some(person)
    );
    let other = new_user(db, "other@example.org");
    assert_eq!(
        db.write(|tx| dir::link_person_by_email(tx, "ana@example.org", other.0, t0()))
            .expect("no second link"),
        None
    );
}

fn invitations_are_accepted_once_or_revoked(db: &Db) {
    let admin = new_user(db, "admin@example.org");
    let ana = new_user(db, "ana@example.org");
    let new = |token: &'static str| invitations::NewInvitation {
        token_hash: token,
        email: "ana@example.org",
        kind: "member",
        target_id: 7,
        details: "{\"role\":\"member\"}",
        invited_by: Some(admin.0),
        expires_at: t0() + Duration::days(14),
    };
    let first = db
        .write(|tx| invitations::insert(tx, &new("h1"), t0()))
        .expect("insert");
    let second = db
        .write(|tx| invitations::insert(tx, &new("h2"), t0() + Duration::minutes(1)))
        .expect("insert");
    assert!(matches!(
        db.write(|tx| invitations::insert(tx, &new("h1"), t0())),
        Err(StoreError::Conflict(_))
    ));
    let found = db
        .read(|tx| invitations::by_token_hash(tx, "h1"))
        .expect("read")
        .expect("found");
    assert_eq!(
        (found.id, found.invited_by.as_deref()),
        (first, Some("Ana Núñez"))
    );
    assert!(
        db.write(|tx| invitations::mark_accepted(tx, first, ana.0, t0()))
            .expect("accept")
    );
    assert!(
        !db.write(|tx| invitations::mark_accepted(tx, first, ana.0, t0()))
            .expect("again")
    );
    assert!(
        !db.write(|tx| invitations::revoke(tx, first, t0()))
            .expect("accepted already")
    );
    assert!(
        db.write(|tx| invitations::revoke(tx, second, t0()))
            .expect("revoke")
    );
    assert!(
        !db.write(|tx| invitations::mark_accepted(tx, second, ana.0, t0()))
            .expect("revoked")
    );
    let listed = db
        .read(|tx| invitations::for_target(tx, "member", 7))
        .expect("list");
    assert_eq!(
        listed.iter().map(|i| i.id).collect::<Vec<_>>(),
        [second, first],
        "newest first"
    );
    assert_eq!(listed[1].accepted_by.as_deref(), Some("Ana Núñez"));
    assert_eq!(listed[0].revoked_at, Some(t0()));
    assert!(
        db.read(|tx| invitations::for_target(tx, "reviewer", 7))
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        db.read(|tx| invitations::by_id(tx, second))
            .expect("read")
            .map(|i| i.kind),
        Some("member".into())
    );
}

/// A database an older Plenary left (before unlisted owners) keeps its actions, their
/// follow-ups and reminders through the rebuild of the actions table, and then takes an
/// owner the directory does not list.
fn actions_survive_the_upgrade_to_unlisted_owners(test_db: TestDb) {
    use plenary_domain::minutes::Owner;
    use plenary_store::minutes as mn;
    let db = &test_db.db;
    let (meeting, action) = db
        .write(|tx| {
            let body = dir::insert_body(tx, &body_fields("MAG", None), t0())?;
            // The meeting as that older Plenary stored it (its columns then).
            let meeting = tx
                .query_one(
                    "INSERT INTO meetings (body_id, title, kind, mode, venue, time_zone, starts_at,
                       ends_at, description, published, created_at, updated_at)
                     VALUES ($1, 'Consultations', $2, $3, '', 'Europe/Zurich', $4, $5, '', $6, $4, $4)
                     RETURNING id",
                    params![
                        body,
                        MeetingKind::OpenConsultation.as_str(),
                        MeetingMode::Online.as_str(),
                        t0(),
                        t0() + Duration::hours(2),
                        true
                    ],
                )?
                .int(0)?;
            let action = mn::insert_action(
                tx,
                &mn::NewAction {
                    meeting_id: meeting,
                    item_id: None,
                    text: "Circulate the draft",
                    owner: Owner::Body(body),
                    due_on: None,
                    by: "Amara",
                    owner_as_written: Some("MAG co-facilitators"),
                    import_id: None,
                },
                t0(),
            )?;
            mn::insert_followup(tx, action, meeting, "Discussed", "Amara", t0())?;
            mn::mark_reminded(tx, action, t0())?;
            Ok::<_, StoreError>((meeting, action))
        })
        .expect("an older database's data");
    let applied = db.migrate().expect("upgrade");
    assert!(
        applied.contains(&"0017_unlisted_action_owners"),
        "{applied:?}"
    );
    let (kept, followups) = db
        .read(|tx| Ok::<_, StoreError>((mn::action(tx, action)?, mn::followups(tx, action)?)))
        .expect("read");
    let kept = kept.expect("the action is kept");
    assert_eq!(
        (kept.text.as_str(), kept.owner_as_written.as_deref()),
        ("Circulate the draft", Some("MAG co-facilitators"))
    );
    assert_eq!(followups.len(), 1, "the follow-up is kept");
    assert_eq!(followups[0].note, "Discussed");
    let unlisted = db
        .write(|tx| {
            mn::insert_action(
                tx,
                &mn::NewAction {
                    meeting_id: meeting,
                    item_id: None,
                    text: "Send the report",
                    owner: Owner::Unlisted,
                    due_on: None,
                    by: "Amara",
                    owner_as_written: Some("Friends of the Chair"),
                    import_id: None,
                },
                t0(),
            )
        })
        .expect("an unlisted owner is stored");
    let back = db
        .read(|tx| mn::action(tx, unlisted))
        .expect("read")
        .expect("stored");
    assert_eq!(back.owner, Owner::Unlisted);
    // The rebuilt table still cascades, refers and refuses as before.
    let wrong_meeting = db.write(|tx| {
        mn::insert_action(
            tx,
            &mn::NewAction {
                meeting_id: meeting + 1000,
                item_id: None,
                text: "Nowhere",
                owner: Owner::Secretariat,
                due_on: None,
                by: "Amara",
                owner_as_written: None,
                import_id: None,
            },
            t0(),
        )
    });
    assert!(wrong_meeting.is_err(), "the meeting reference holds");
}

#[test]
fn actions_survive_the_upgrade_to_unlisted_owners_on_sqlite() {
    actions_survive_the_upgrade_to_unlisted_owners(TestDb::sqlite_until(13));
}

#[test]
fn actions_survive_the_upgrade_to_unlisted_owners_on_postgres() {
    actions_survive_the_upgrade_to_unlisted_owners(TestDb::postgres_until(13));
}
