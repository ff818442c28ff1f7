//! Use-case tests over a real database, on both backends.

use chrono::{Duration, TimeZone, Utc};
use plenary_app::{ApiTokens, App, AppConfig, AppError, Caller, FixedClock, NewAccount, mail};
use plenary_domain::{Grant, Problem, Role, Scope};
use plenary_store::testing::TestDb;
use std::sync::{Arc, Mutex};

struct Harness {
    app: App,
    clock: Arc<FixedClock>,
    _db: TestDb,
}

fn harness(db: TestDb) -> Harness {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 6, 26, 8, 0, 0)
            .single()
            .expect("instant"),
    ));
    let config = AppConfig {
        base_url: "https://forum.example.org/".into(),
        mail_from: "noreply@forum.example.org".into(),
    };
    let app = App::new(db.db.clone(), config, clock.clone()).expect("app");
    app.set_passport_keys(plenary_app::passport_keys::PassportKeys::generate());
    Harness {
        app,
        clock,
        _db: db,
    }
}

macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite { $(#[test] fn $case() { super::$case(super::harness(super::TestDb::sqlite())); })* }
        mod postgres { $(#[test] fn $case() { super::$case(super::harness(super::TestDb::postgres())); })* }
    };
}

on_both_backends!(
    sign_in_works_only_with_the_right_password,
    sign_in_is_rate_limited_per_account,
    one_address_is_bounded_across_accounts,
    an_account_backs_off_exponentially_across_addresses,
    simultaneous_sign_ins_are_counted_one_by_one,
    credential_changes_revoke_api_tokens,
    a_full_hashing_queue_answers_at_once_and_counts_nothing,
    reset_links_are_single_use_and_expire,
    only_the_secretariat_administers_accounts,
    the_last_secretariat_keeps_its_role,
    api_tokens_act_as_their_owner_until_revoked,
    sign_out_everywhere_ends_every_session,
    the_outbox_is_delivered_once_with_retries,
    the_demo_fills_only_an_empty_database,
    a_sign_up_creates_the_account_only_through_its_link,
    sign_ups_are_limited_per_address_and_per_client,
    a_profile_is_kept_on_the_account_and_its_directory_entry,
);

const PASSWORD: &str = "correct horse battery";

fn admin(h: &Harness) -> Caller {
    h.app
        .bootstrap_admin("admin@example.org", "Ana Admin", PASSWORD)
        .expect("admin");
    h.app
        .sign_in("admin@example.org", PASSWORD, "192.0.2.1", None)
        .and_then(|s| h.app.session_user(&s.session_token))
        .expect("signed in")
        .expect("session")
        .caller(Some("192.0.2.1".into()))
}

fn account(email: &str, role: Role) -> NewAccount {
    NewAccount {
        email: email.into(),
        display_name: "Guðrún Jónsdóttir".into(),
        password: PASSWORD.into(),
        grants: vec![Grant {
            role,
            scope: Scope::Global,
        }],
    }
}

fn sign_in_works_only_with_the_right_password(h: Harness) {
    h.app
        .bootstrap_admin("Admin@Example.org", "Ana", PASSWORD)
        .expect("admin");
    let signed = h
        .app
        .sign_in(" ADMIN@example.org ", PASSWORD, "192.0.2.1", Some("test"))
        .expect("sign in");
    let user = h
        .app
        .session_user(&signed.session_token)
        .expect("lookup")
        .expect("live");
    assert_eq!(user.user.email, "admin@example.org");
    assert!(matches!(
        h.app
            .sign_in("admin@example.org", "wrong password", "192.0.2.1", None),
        Err(AppError::BadCredentials)
    ));
    assert!(matches!(
        h.app
            .sign_in("nobody@example.org", PASSWORD, "192.0.2.1", None),
        Err(AppError::BadCredentials)
    ));
    assert!(
        matches!(h.app.sign_in("", "", "192.0.2.1", None), Err(AppError::Invalid(e)) if e.len() == 2)
    );
    assert!(
        h.app
            .session_user("not-a-session")
            .expect("lookup")
            .is_none()
    );
    h.clock.advance(Duration::days(8));
    assert!(
        h.app
            .session_user(&signed.session_token)
            .expect("lookup")
            .is_none(),
        "idle sessions expire"
    );
}

fn wrong(h: &Harness, email: &str, ip: &str) -> Result<plenary_app::SignedIn, AppError> {
    h.app.sign_in(email, "wrong password", ip, None)
}

fn retry_after(result: Result<plenary_app::SignedIn, AppError>) -> std::time::Duration {
    match result {
        Err(AppError::RateLimited { retry_after }) => retry_after,
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

fn sign_in_is_rate_limited_per_account(h: Harness) {
    h.app
        .bootstrap_admin("admin@example.org", "Ana", PASSWORD)
        .expect("admin");
    for _ in 0..5 {
        assert!(matches!(
            wrong(&h, "admin@example.org", "192.0.2.1"),
            Err(AppError::BadCredentials)
        ));
    }
    // That address waits for the window, even with the right password ...
    let wait = retry_after(
        h.app
            .sign_in("admin@example.org", PASSWORD, "192.0.2.1", None),
    );
    assert_eq!(wait.as_secs(), 15 * 60);
    // ... but five failures from one address lock nobody else out.
    h.app
        .sign_in("admin@example.org", PASSWORD, "192.0.2.2", None)
        .expect("the owner signs in from elsewhere");
    h.clock.advance(Duration::minutes(16));
    h.app
        .sign_in("admin@example.org", PASSWORD, "192.0.2.1", None)
        .expect("after the window");
}

fn one_address_is_bounded_across_accounts(h: Harness) {
    for i in 0..30 {
        assert!(matches!(
            wrong(&h, &format!("guess{i}@example.org"), "198.51.100.7"),
            Err(AppError::BadCredentials)
        ));
    }
    let wait = retry_after(wrong(&h, "another@example.org", "198.51.100.7"));
    assert_eq!(wait.as_secs(), 15 * 60);
    assert!(matches!(
        wrong(&h, "another@example.org", "198.51.100.8"),
        Err(AppError::BadCredentials)
    ));
}

fn an_account_backs_off_exponentially_across_addresses(h: Harness) {
    h.app
        .bootstrap_admin("admin@example.org", "Ana", PASSWORD)
        .expect("admin");
    for i in 0..20 {
        assert!(matches!(
            wrong(&h, "admin@example.org", &format!("203.0.113.{i}")),
            Err(AppError::BadCredentials)
        ));
    }
    assert_eq!(
        retry_after(wrong(&h, "admin@example.org", "203.0.113.100")).as_secs(),
        60
    );
    h.clock.advance(Duration::seconds(61));
    assert!(matches!(
        wrong(&h, "admin@example.org", "203.0.113.101"),
        Err(AppError::BadCredentials)
    ));
    assert_eq!(
        retry_after(wrong(&h, "admin@example.org", "203.0.113.102")).as_secs(),
        120,
        "each further failure doubles the wait"
    );
    h.clock.advance(Duration::seconds(121));
    h.app
        .sign_in("admin@example.org", PASSWORD, "203.0.113.103", None)
        .expect("the owner gets in after minutes, not a lock");
    // A success starts the count again.
    assert!(matches!(
        wrong(&h, "admin@example.org", "203.0.113.104"),
        Err(AppError::BadCredentials)
    ));
}

/// Runs `attempts` simultaneous wrong sign-ins (from `ip_of(i)`) on `apps` in turn and
/// counts (refused as wrong, throttled).
fn simultaneous_failures(
    apps: &[App],
    email: &str,
    attempts: usize,
    ip_of: impl Fn(usize) -> String,
) -> (usize, usize) {
    let start = Arc::new(std::sync::Barrier::new(attempts));
    let threads: Vec<_> = (0..attempts)
        .map(|i| {
            let (app, start) = (apps[i % apps.len()].clone(), Arc::clone(&start));
            let (email, ip) = (email.to_owned(), ip_of(i));
            std::thread::spawn(move || {
                start.wait();
                app.sign_in(&email, "wrong password", &ip, None)
            })
        })
        .collect();
    let mut counts = (0, 0);
    for t in threads {
        match t.join().expect("thread") {
            Err(AppError::BadCredentials) => counts.0 += 1,
            Err(AppError::RateLimited { .. }) => counts.1 += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    counts
}

fn simultaneous_sign_ins_are_counted_one_by_one(h: Harness) {
    h.app
        .bootstrap_admin("admin@example.org", "Ana", PASSWORD)
        .expect("admin");
    let apps = [h.app.clone()];
    let same_address =
        simultaneous_failures(&apps, "admin@example.org", 24, |_| "192.0.2.50".to_owned());
    assert_eq!(same_address, (5, 19), "one account from one address");
    let spread = simultaneous_failures(&apps, "admin@example.org", 30, |i| {
        format!("198.51.100.{i}")
    });
    // Five failures were counted already: 15 more reach the account's bound of 20.
    assert_eq!(spread, (15, 15), "one account from thirty addresses");

    // Two servers on one database (each its own connection pool) share the count.
    let url = plenary_app::DatabaseUrl::parse(&h._db.url()).expect("url");
    let second = App::new(
        plenary_app::Db::open(&url).expect("second pool"),
        h.app.config().clone(),
        h.clock.clone(),
    )
    .expect("second server");
    let apps = [h.app.clone(), second];
    let two_servers = simultaneous_failures(&apps, "someone@example.org", 24, |_| {
        "192.0.2.60".to_owned()
    });
    assert_eq!(two_servers, (5, 19), "one address on two servers");
}

fn reset_link(h: &Harness) -> String {
    let mail = h.app.outbox(1).expect("outbox").pop().expect("a message");
    let start = mail
        .body_text
        .find("https://forum.example.org/password-reset/")
        .expect("link in mail");
    mail.body_text[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .rsplit('/')
        .next()
        .expect("token")
        .to_owned()
}

fn reset_links_are_single_use_and_expire(h: Harness) {
    h.app
        .bootstrap_admin("admin@example.org", "Ana", PASSWORD)
        .expect("admin");
    let old_session = h
        .app
        .sign_in("admin@example.org", PASSWORD, "192.0.2.1", None)
        .expect("sign in");
    h.app
        .request_password_reset("nobody@example.org", None)
        .expect("same answer for unknown addresses");
    assert!(h.app.outbox(10).expect("outbox").is_empty());
    h.app
        .request_password_reset("ADMIN@example.org", None)
        .expect("request");
    let token = reset_link(&h);
    assert!(
        matches!(h.app.reset_password(&token, "short", None), Err(AppError::Invalid(e)) if e[0].field == "password")
    );
    h.app
        .reset_password(&token, "a brand new password", None)
        .expect("reset");
    assert!(matches!(
        h.app.reset_password(&token, "another new password", None),
        Err(AppError::LinkInvalid)
    ));
    assert!(
        h.app
            .session_user(&old_session.session_token)
            .expect("lookup")
            .is_none(),
        "sessions end on reset"
    );
    assert!(
        h.app
            .sign_in(
                "admin@example.org",
                "a brand new password",
                "192.0.2.1",
                None
            )
            .is_ok()
    );

    h.app
        .request_password_reset("admin@example.org", None)
        .expect("request");
    let token = reset_link(&h);
    h.clock.advance(Duration::minutes(61));
    assert!(matches!(
        h.app.check_reset_link(&token),
        Err(AppError::LinkInvalid)
    ));
    assert!(matches!(
        h.app.reset_password(&token, "yet another password", None),
        Err(AppError::LinkInvalid)
    ));
}

fn only_the_secretariat_administers_accounts(h: Harness) {
    let admin = admin(&h);
    let member = h
        .app
        .create_user(&admin, &account("m@example.org", Role::Member))
        .expect("create");
    let dup = h
        .app
        .create_user(&admin, &account("M@example.org", Role::Member));
    assert!(
        matches!(dup, Err(AppError::Invalid(e)) if e[0] == plenary_domain::FieldError::new("email", Problem::Taken))
    );
    let bad = h.app.create_user(
        &admin,
        &NewAccount {
            email: "x".into(),
            display_name: " ".into(),
            password: "p".into(),
            grants: vec![],
        },
    );
    let fields: Vec<&str> = match bad {
        Err(AppError::Invalid(e)) => e.iter().map(|f| f.field).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(fields, ["email", "display_name", "password"]);
    let member_caller = h
        .app
        .sign_in("m@example.org", PASSWORD, "192.0.2.3", None)
        .and_then(|s| h.app.session_user(&s.session_token))
        .expect("sign in")
        .expect("live")
        .caller(None);
    assert!(matches!(
        h.app.list_users(&member_caller, None, 1),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        h.app.audit_log(&member_caller, &Default::default()),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        h.app
            .user_detail(&member_caller, admin.principal.user_id().expect("id")),
        Err(AppError::Forbidden)
    ));
    assert!(
        matches!(
            h.app.user_detail(&member_caller, member.user.id),
            Err(AppError::Forbidden)
        ),
        "the admin view is for the secretariat"
    );
    assert!(matches!(
        h.app.list_users(&Caller::anonymous(None), None, 1),
        Err(AppError::SignInRequired)
    ));
    assert_eq!(
        h.app.list_users(&admin, Some("m@"), 1).expect("list").total,
        1
    );
    let actions: Vec<String> = h
        .app
        .audit_log(&admin, &Default::default())
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"user.create".to_owned())
            && actions.contains(&"session.create".to_owned()),
        "{actions:?}"
    );
}

fn the_last_secretariat_keeps_its_role(h: Harness) {
    let admin = admin(&h);
    let id = admin.principal.user_id().expect("id");
    let secretariat = Grant {
        role: Role::Secretariat,
        scope: Scope::Global,
    };
    assert!(matches!(
        h.app.revoke_role(&admin, id, secretariat),
        Err(AppError::Refused(_))
    ));
    assert!(matches!(
        h.app.set_user_disabled(&admin, id, true),
        Err(AppError::Refused(_))
    ));
    let other = h
        .app
        .create_user(&admin, &account("s2@example.org", Role::Secretariat))
        .expect("second");
    h.app
        .set_user_disabled(&admin, other.user.id, true)
        .expect("disable the other");
    assert!(
        matches!(
            h.app.revoke_role(&admin, id, secretariat),
            Err(AppError::Refused(_))
        ),
        "a disabled one does not count"
    );
    h.app
        .set_user_disabled(&admin, other.user.id, false)
        .expect("enable");
    h.app
        .revoke_role(&admin, id, secretariat)
        .expect("now allowed");
}

fn api_tokens_act_as_their_owner_until_revoked(h: Harness) {
    let admin = admin(&h);
    let created = h.app.create_api_token(&admin, "laptop").expect("token");
    assert!(created.secret.starts_with("plenary_"));
    let user = h
        .app
        .api_token_user(&created.secret)
        .expect("lookup")
        .expect("valid");
    assert_eq!(Some(user.user.id), admin.principal.user_id());
    assert!(
        h.app
            .api_token_user("plenary_wrong")
            .expect("lookup")
            .is_none()
    );
    let listed = h.app.my_api_tokens(&admin).expect("list");
    assert_eq!(listed.len(), 1);
    assert!(!listed[0].prefix.is_empty() && created.secret.starts_with(&listed[0].prefix));
    h.app
        .revoke_api_token(&admin, created.token.id)
        .expect("revoke");
    assert!(
        h.app
            .api_token_user(&created.secret)
            .expect("lookup")
            .is_none()
    );
    assert!(matches!(
        h.app.revoke_api_token(&admin, created.token.id),
        Err(AppError::NotFound)
    ));
}

fn sign_out_everywhere_ends_every_session(h: Harness) {
    let admin = admin(&h);
    let second = h
        .app
        .sign_in("admin@example.org", PASSWORD, "192.0.2.9", None)
        .expect("second device");
    assert_eq!(h.app.my_sessions(&admin).expect("sessions").len(), 2);
    let ended = h
        .app
        .sign_out_everywhere(&admin, ApiTokens::Revoke)
        .expect("sign out");
    assert_eq!(ended.sessions, 2);
    assert!(
        h.app
            .session_user(&second.session_token)
            .expect("lookup")
            .is_none()
    );
}

struct FlakyMailer {
    failures_left: Mutex<u32>,
    delivered: Mutex<Vec<String>>,
}

impl mail::Mailer for FlakyMailer {
    fn send(&self, _from: &str, message: &plenary_app::OutboxMessage) -> Result<(), String> {
        let mut left = self.failures_left.lock().expect("lock");
        if *left > 0 {
            *left -= 1;
            return Err("421 try later".into());
        }
        self.delivered
            .lock()
            .expect("lock")
            .push(message.recipient.clone());
        Ok(())
    }
}

fn the_outbox_is_delivered_once_with_retries(h: Harness) {
    h.app
        .bootstrap_admin("admin@example.org", "Ana", PASSWORD)
        .expect("admin");
    h.app
        .request_password_reset("admin@example.org", None)
        .expect("request");
    let mailer = FlakyMailer {
        failures_left: Mutex::new(1),
        delivered: Mutex::new(vec![]),
    };
    assert_eq!(
        h.app.deliver_due_mail(&mailer).expect("deliver"),
        0,
        "first attempt fails"
    );
    assert_eq!(
        h.app.deliver_due_mail(&mailer).expect("deliver"),
        0,
        "not due yet"
    );
    h.clock.advance(Duration::minutes(2));
    assert_eq!(h.app.deliver_due_mail(&mailer).expect("deliver"), 1);
    h.clock.advance(Duration::hours(1));
    assert_eq!(
        h.app.deliver_due_mail(&mailer).expect("deliver"),
        0,
        "never sent twice"
    );
    assert_eq!(
        *mailer.delivered.lock().expect("lock"),
        ["admin@example.org"]
    );
}

fn the_demo_fills_only_an_empty_database(h: Harness) {
    assert!(h.app.load_demo().expect("demo"));
    assert!(!h.app.load_demo().expect("demo again"));
    let (email, _, _) = plenary_app::DEMO_ACCOUNTS[0];
    let signed = h
        .app
        .sign_in(email, plenary_app::DEMO_PASSWORD, "192.0.2.1", None)
        .expect("demo sign in");
    let caller = h
        .app
        .session_user(&signed.session_token)
        .expect("lookup")
        .expect("live")
        .caller(None);
    assert_eq!(
        h.app.list_users(&caller, None, 1).expect("list").total,
        plenary_app::DEMO_ACCOUNTS.len() as i64
    );
    // The calls: proposals sent and assigned, a review written, the follow-up call gated.
    let calls = h.app.calls().expect("calls");
    assert_eq!(calls.len(), 3);
    let workshops = calls
        .iter()
        .find(|c| c.kind == plenary_domain::calls::CallKind::SessionProposals)
        .expect("workshops");
    let committee = h.app.committee(&caller, workshops.id).expect("committee");
    assert_eq!(committee.lines.len(), 3);
    assert!(committee.lines.iter().all(|l| l.assigned.len() == 2));
    assert_eq!(committee.lines.iter().map(|l| l.reviews).sum::<usize>(), 1);
    // The programme: every session placed without a conflict, published.
    let event = h.app.events().expect("events")[0].id;
    let programme = h
        .app
        .public_programme(&Caller::anonymous(None), event)
        .expect("public");
    assert_eq!(programme.sessions.len(), 9);
    assert!(
        h.app
            .programme(&caller, event)
            .expect("board")
            .conflicts
            .is_empty()
    );
}

/// A session of the admin (a fresh sign-in from another address each time, so that the
/// caller survives the previous change's end of sessions).
fn fresh_admin(h: &Harness, password: &str, ip: &str) -> (Caller, Option<i64>) {
    let user = h
        .app
        .sign_in("admin@example.org", password, ip, None)
        .and_then(|s| h.app.session_user(&s.session_token))
        .expect("signed in")
        .expect("session");
    (user.caller(Some(ip.into())), user.session_id)
}

fn token_works(h: &Harness, secret: &str) -> bool {
    h.app.api_token_user(secret).expect("lookup").is_some()
}

fn last_mail_to_admin(h: &Harness) -> plenary_app::OutboxMessage {
    h.app
        .outbox(100)
        .expect("outbox")
        .into_iter()
        .filter(|m| m.recipient == "admin@example.org")
        .max_by_key(|m| m.id)
        .expect("a message to the admin")
}

fn credential_changes_revoke_api_tokens(h: Harness) {
    let admin = admin(&h);
    // Changing the password revokes the tokens by default, and the notice says so.
    let token = h.app.create_api_token(&admin, "script").expect("token");
    assert!(token_works(&h, &token.secret));
    let (caller, session) = fresh_admin(&h, PASSWORD, "192.0.2.10");
    let ended = h
        .app
        .change_password(
            &caller,
            PASSWORD,
            "a second password",
            session,
            ApiTokens::Revoke,
        )
        .expect("change");
    assert_eq!(ended.api_tokens, 1);
    assert!(
        !token_works(&h, &token.secret),
        "revoked by the password change"
    );
    let notice = last_mail_to_admin(&h);
    assert_eq!(notice.subject, "Your Plenary password was changed");
    assert!(
        notice.body_text.contains("Your 1 API token was revoked"),
        "{}",
        notice.body_text
    );

    // Kept when asked to.
    let kept = h.app.create_api_token(&caller, "kept").expect("token");
    let ended = h
        .app
        .change_password(
            &caller,
            "a second password",
            "a third password",
            session,
            ApiTokens::Keep,
        )
        .expect("change");
    assert_eq!(ended.api_tokens, 0);
    assert!(token_works(&h, &kept.secret), "kept as asked");
    assert!(
        last_mail_to_admin(&h)
            .body_text
            .contains("kept working, as you asked")
    );

    // Signing out everywhere revokes them.
    let ended = h
        .app
        .sign_out_everywhere(&caller, ApiTokens::Revoke)
        .expect("sign out");
    assert_eq!(ended.api_tokens, 1);
    assert!(
        !token_works(&h, &kept.secret),
        "revoked by signing out everywhere"
    );

    // A password reset always revokes them.
    let (caller, _) = fresh_admin(&h, "a third password", "192.0.2.11");
    let third = h.app.create_api_token(&caller, "third").expect("token");
    h.app
        .request_password_reset("admin@example.org", None)
        .expect("request");
    let link = reset_link(&h);
    h.app
        .reset_password(&link, "a fourth password", None)
        .expect("reset");
    assert!(!token_works(&h, &third.secret), "revoked by the reset");
    let notice = last_mail_to_admin(&h);
    assert!(notice.body_text.contains("reset with an e-mailed link"));
    assert!(notice.body_text.contains("Your 1 API token was revoked"));
}

fn a_full_hashing_queue_answers_at_once_and_counts_nothing(h: Harness) {
    h.app.set_password_hashing(plenary_app::HashingLimits {
        max_running: 1,
        max_waiting: 0,
    });
    let start = Arc::new(std::sync::Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let (app, start) = (h.app.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                app.sign_in(
                    &format!("nobody{i}@example.org"),
                    "wrong",
                    "192.0.2.70",
                    None,
                )
            })
        })
        .collect();
    let (mut checked, mut busy) = (0, 0);
    for t in threads {
        match t.join().expect("thread") {
            Err(AppError::BadCredentials) => checked += 1,
            Err(AppError::Overloaded { retry_after }) => {
                assert!(retry_after.as_secs() >= 1);
                busy += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(checked >= 1 && busy >= 1, "{checked} checked, {busy} busy");
    // Only the checked attempts count against the address (bound: 30).
    h.app
        .set_password_hashing(plenary_app::HashingLimits::default());
    for i in 0..(30 - checked) {
        assert!(matches!(
            wrong(&h, &format!("later{i}@example.org"), "192.0.2.70"),
            Err(AppError::BadCredentials)
        ));
    }
    assert!(matches!(
        wrong(&h, "last@example.org", "192.0.2.70"),
        Err(AppError::RateLimited { .. })
    ));
}

fn sign_up_input(name: &str, email: &str) -> plenary_app::SignUpInput {
    plenary_app::SignUpInput {
        display_name: name.into(),
        email: email.into(),
        password: "a long new password".into(),
    }
}

fn sign_up_token(h: &Harness) -> String {
    let mail = h.app.outbox(1).expect("outbox").pop().expect("a message");
    assert_eq!(mail.kind, "sign_up_verify");
    let start = mail
        .body_text
        .find("https://forum.example.org/sign-up/")
        .expect("link in mail");
    mail.body_text[start..]
        .split_whitespace()
        .next()
        .and_then(|l| l.rsplit('/').next())
        .expect("token")
        .to_owned()
}

fn a_sign_up_creates_the_account_only_through_its_link(h: Harness) {
    let admin = admin(&h);
    let person = h
        .app
        .save_person(
            &admin,
            None,
            &plenary_app::PersonInput {
                family_name: "Haddad".into(),
                given_name: "Leila".into(),
                email: "leila@example.org".into(),
                ..Default::default()
            },
        )
        .expect("directory entry");
    assert_eq!(person.user_id, None);
    let refused = h
        .app
        .sign_up(&sign_up_input("", "leila@"), Some("192.0.2.7".into()));
    assert!(
        matches!(&refused, Err(AppError::Invalid(e)) if e.len() == 2 && e[0].field == "display_name" && e[1].field == "email"),
        "{refused:?}"
    );
    h.app
        .sign_up(
            &sign_up_input("Leila Haddad", " Leila@Example.org "),
            Some("192.0.2.7".into()),
        )
        .expect("asked");
    let token = sign_up_token(&h);
    assert!(
        h.app
            .sign_in(
                "leila@example.org",
                "a long new password",
                "192.0.2.7",
                None
            )
            .is_err(),
        "no account before the link is followed"
    );
    let pending = h.app.check_sign_up_link(&token).expect("usable");
    assert_eq!(pending.email, "leila@example.org");
    let signed = h
        .app
        .confirm_sign_up(&token, Some("192.0.2.7".into()), Some("test"))
        .expect("confirmed");
    assert_eq!(signed.user.display_name, "Leila Haddad");
    let session = h
        .app
        .session_user(&signed.session_token)
        .expect("lookup")
        .expect("signed in");
    assert!(session.grants.is_empty(), "a new account holds no role");
    let linked = h
        .app
        .my_person(&session.caller(None))
        .expect("lookup")
        .expect("linked to the directory entry");
    assert_eq!(linked.id, person.id);
    assert!(matches!(
        h.app.confirm_sign_up(&token, None, None),
        Err(AppError::LinkInvalid)
    ));
    let audit = h
        .app
        .audit_log(&admin, &plenary_app::AuditFilter::default())
        .expect("audit");
    let actions: Vec<_> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"sign_up.request") && actions.contains(&"user.create"),
        "{actions:?}"
    );

    // An address with an account gets a notice, and nothing to confirm.
    h.app
        .sign_up(
            &sign_up_input("Someone", "leila@example.org"),
            Some("192.0.2.8".into()),
        )
        .expect("same answer");
    let notice = h.app.outbox(1).expect("outbox").pop().expect("notice");
    assert_eq!(notice.kind, "sign_up_existing");
    assert!(
        notice.body_text.contains("Hello Leila Haddad"),
        "{}",
        notice.body_text
    );

    // A link not followed within a day expires.
    h.app
        .sign_up(&sign_up_input("Kofi Mensah", "kofi@example.org"), None)
        .expect("asked");
    let late = sign_up_token(&h);
    h.clock.advance(Duration::hours(24));
    assert!(matches!(
        h.app.check_sign_up_link(&late),
        Err(AppError::LinkInvalid)
    ));
    assert!(matches!(
        h.app.confirm_sign_up(&late, None, None),
        Err(AppError::LinkInvalid)
    ));
}

fn sign_ups_are_limited_per_address_and_per_client(h: Harness) {
    // One address gets at most three mails a day, whoever asks; the answer stays the same.
    for n in 0..5 {
        h.app
            .sign_up(
                &sign_up_input("Kofi", "kofi@example.org"),
                Some(format!("192.0.2.{n}")),
            )
            .expect("same answer");
    }
    let to_kofi = h
        .app
        .outbox(20)
        .expect("outbox")
        .into_iter()
        .filter(|m| m.recipient == "kofi@example.org")
        .count();
    assert_eq!(to_kofi, 3);
    // One client address asks at most ten times an hour.
    for n in 0..10 {
        h.app
            .sign_up(
                &sign_up_input("Bot", &format!("bot{n}@example.org")),
                Some("198.51.100.1".into()),
            )
            .expect("within the limit");
    }
    assert!(matches!(
        h.app.sign_up(
            &sign_up_input("Bot", "bot10@example.org"),
            Some("198.51.100.1".into())
        ),
        Err(AppError::RateLimited { .. })
    ));
    h.clock.advance(Duration::minutes(61));
    h.app
        .sign_up(
            &sign_up_input("Bot", "bot10@example.org"),
            Some("198.51.100.1".into()),
        )
        .expect("the limit lifts");
}

fn a_profile_is_kept_on_the_account_and_its_directory_entry(h: Harness) {
    let admin = admin(&h);
    let org = h
        .app
        .save_organization(
            &admin,
            None,
            &plenary_app::OrganizationInput {
                name: "Fundación Vía Libre".into(),
                ..Default::default()
            },
        )
        .expect("organization");
    let person = h
        .app
        .save_person(
            &admin,
            None,
            &plenary_app::PersonInput {
                family_name: "Núñez".into(),
                given_name: "Ana".into(),
                email: "ana@example.org".into(),
                gender: "woman".into(),
                ..Default::default()
            },
        )
        .expect("person");
    h.app
        .create_user(&admin, &account("ana@example.org", Role::Member))
        .expect("account");
    let ana = h
        .app
        .sign_in("ana@example.org", PASSWORD, "192.0.2.1", None)
        .and_then(|s| h.app.session_user(&s.session_token))
        .expect("signed in")
        .expect("session")
        .caller(None);
    // The entry was made before the account: saving it again links it.
    h.app
        .save_person(
            &admin,
            Some(person.id),
            &plenary_app::PersonInput {
                family_name: "Núñez".into(),
                given_name: "Ana".into(),
                email: "ana@example.org".into(),
                gender: "woman".into(),
                ..Default::default()
            },
        )
        .expect("linked");
    let shown = h.app.my_profile(&ana).expect("profile");
    assert_eq!(
        (shown.given_name.as_str(), shown.family_name.as_str()),
        ("Ana", "Núñez"),
        "from the directory"
    );
    assert_eq!(shown.person_id, Some(person.id));

    let refused = h.app.save_my_profile(
        &ana,
        &plenary_app::ProfileInput {
            country: "Atlantis".into(),
            time_zone: "Nowhere City".into(),
            language: "de".into(),
            ..Default::default()
        },
    );
    let fields: Vec<_> = match &refused {
        Err(AppError::Invalid(e)) => e.iter().map(|e| e.field).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(fields, ["family_name", "country", "time_zone", "language"]);

    let saved = h
        .app
        .save_my_profile(
            &ana,
            &plenary_app::ProfileInput {
                given_name: "Ana María".into(),
                family_name: "Núñez".into(),
                organization: "fundacion via libre".into(),
                stakeholder_group: "civil_society".into(),
                country: "AR".into(),
                time_zone: "bogota".into(),
                language: "es".into(),
            },
        )
        .expect("saved");
    assert_eq!(saved.display_name, "Ana María Núñez");
    assert_eq!(
        saved.organization, "Fundación Vía Libre",
        "the directory's name"
    );
    assert!(saved.organization_in_directory);
    assert_eq!(saved.time_zone.as_deref(), Some("America/Bogota"));
    assert_eq!(saved.language.as_str(), "es");
    let (entry, _) = h.app.person(&admin, person.id).expect("person");
    assert_eq!(entry.given_name.as_deref(), Some("Ana María"));
    assert_eq!(entry.organization_id, Some(org.id));
    assert_eq!(entry.country.as_deref(), Some("AR"));
    assert_eq!(entry.time_zone.as_deref(), Some("America/Bogota"));
    assert_eq!(entry.gender.as_deref(), Some("woman"), "kept");
    assert_eq!(entry.email.as_deref(), Some("ana@example.org"), "kept");

    // An organization the directory does not know is kept as typed, on the account.
    let unlisted = h
        .app
        .save_my_profile(
            &ana,
            &plenary_app::ProfileInput {
                given_name: "Ana María".into(),
                family_name: "Núñez".into(),
                organization: "Cooperativa Sur".into(),
                ..Default::default()
            },
        )
        .expect("saved");
    assert_eq!(unlisted.organization, "Cooperativa Sur");
    assert!(!unlisted.organization_in_directory);
    assert_eq!(unlisted.language.as_str(), "en", "empty: English");
    let (entry, _) = h.app.person(&admin, person.id).expect("person");
    assert_eq!(entry.organization_id, None);
    assert_eq!(entry.time_zone, None);
}
