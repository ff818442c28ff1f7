//! What the use-case test files share: an application at a fixed instant (with a
//! passport key), signing in, and running each case on both backends.

#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use plenary_app::{App, AppConfig, Caller, FixedClock};
use plenary_store::testing::TestDb;
use std::sync::Arc;

/// The password of every account the tests create.
pub const PASSWORD: &str = "a long password";

/// The application over `db`, its clock standing at the given UTC instant.
pub fn app_at(db: &TestDb, (y, mo, d, h): (i32, u32, u32, u32)) -> (App, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(y, mo, d, h, 0, 0)
            .single()
            .expect("instant"),
    ));
    let config = AppConfig {
        base_url: "https://forum.example.org".into(),
        mail_from: "noreply@forum.example.org".into(),
    };
    let app = App::new(db.db.clone(), config, clock.clone()).expect("app");
    // Passport details are stored encrypted: a key of its own for each test.
    app.set_passport_keys(plenary_app::passport_keys::PassportKeys::generate());
    (app, clock)
}

/// The caller of a fresh session of this account.
pub fn signed_in(app: &App, email: &str) -> Caller {
    let s = app
        .sign_in(email, PASSWORD, "192.0.2.1", None)
        .expect("sign in");
    app.session_user(&s.session_token)
        .expect("lookup")
        .expect("live")
        .caller(None)
}

/// A secretariat account, signed in.
pub fn admin(app: &App) -> Caller {
    app.bootstrap_admin("admin@example.org", "Admin", PASSWORD)
        .expect("admin");
    signed_in(app, "admin@example.org")
}

/// Runs each case (a `fn(Harness)`) on SQLite and on PostgreSQL, through the file's
/// `harness(TestDb)`. A case may carry attributes for both of its tests
/// (`#[ignore = "why"] case`).
#[macro_export]
macro_rules! on_both_backends {
    ($($(#[$attr:meta])* $case:ident),* $(,)?) => {
        mod sqlite { $(#[test] $(#[$attr])* fn $case() { super::$case(super::harness(super::TestDb::sqlite())); })* }
        mod postgres { $(#[test] $(#[$attr])* fn $case() { super::$case(super::harness(super::TestDb::postgres())); })* }
    };
}
