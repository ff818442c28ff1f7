//! Plenary's use cases. Each public method of [`App`] is one use case: it checks access
//! (deny unless a grant allows), runs in one transaction, records the change in the
//! audit log and queues any e-mail in the outbox of that same transaction.
//!
//! Methods block (database and password hashing); async callers run them on a
//! blocking thread.

mod accounts;
mod admin;
mod audit;
mod badge;
pub mod calls;
pub mod clock;
pub mod dashboard;
mod demo;
mod directory;
mod error;
pub mod export;
pub mod import;
mod input;
pub mod invitations;
mod limit;
pub mod mail;
mod meetings;
mod minutes;
pub mod owners;
pub mod passport_keys;
mod passwords;
pub mod pdf;
mod profile;
pub mod programme;
pub mod programme_export;
pub mod programme_release;
pub mod registration;
pub mod remote;
pub mod review;
mod secrets;
pub mod sign_up;
pub mod speakers;
pub mod visa;

pub use accounts::{ApiTokenCreated, ApiTokens, CredentialsEnded, SessionUser, SignedIn};
pub use admin::{NewAccount, USERS_PAGE_SIZE, UserDetail, UsersPage};
pub use audit::AUDIT_PAGE_SIZE;
pub use badge::{BadgeFile, BadgeHolder};
pub use clock::{Clock, FixedClock, SystemClock};
pub use demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
pub use directory::{
    BodyInput, BodyPage, DIRECTORY_PAGE_SIZE, MemberView, MembershipInput, OrganizationInput,
    PersonInput,
};
pub use error::AppError;
pub use import::{
    DocumentRead, ImportOutcome, ImportReport, ImportRequest, document_text, read_document,
    unreadable_extraction,
};
pub use invitations::{
    INVITATION_LIFETIME, InvitationLine, InvitationState, InvitationView, NewInvitee,
};
pub use meetings::{
    AttendeeInput, DayInput, DayView, ItemInput, ItemView, MAX_DOCUMENT_BYTES, MeetingInput,
    MeetingView, Move, RoomInput, Upload,
};
pub use minutes::{ActionInput, ActionView, Circulation};
pub use passwords::HashingLimits;
pub use plenary_store::audit::{Entry as AuditEntry, Filter as AuditFilter};
pub use plenary_store::credentials::ApiToken;
pub use plenary_store::directory::{Body, Membership, Organization, Person};
pub use plenary_store::meetings::{Attendee, Day, Document, Item, Meeting, Room};
pub use plenary_store::minutes::{Action, ActionFilter, Followup, Minutes, Note, Revision};
pub use plenary_store::outbox::Message as OutboxMessage;
pub use plenary_store::registration::{Category, Event, QuestionRow, Registration};
pub use plenary_store::sessions::Session;
pub use plenary_store::users::User;
pub use plenary_store::{Backend, DatabaseUrl, Db, StoreError};
pub use plenary_store::{Pending, Submitted};
pub use profile::{ProfileInput, ProfileView};
pub use sign_up::{PendingSignUp, SIGN_UP_LINK_LIFETIME, SignUpInput};

use passport_keys::PassportKeys;
use plenary_domain::Principal;
use std::sync::{Arc, RwLock};

/// Settings the use cases need.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The public address of this installation, e.g. `https://forum.example.org`. Links
    /// in e-mails are built from it, never from a request's Host header.
    pub base_url: String,
    /// The sender of outgoing mail.
    pub mail_from: String,
}

/// Registrations a client address may make in a minute unless configured otherwise:
/// enough for an office registering its delegation, not for a script.
pub const DEFAULT_REGISTRATION_LIMIT: u32 = 30;

/// The application: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    config: AppConfig,
    clock: Arc<dyn Clock>,
    csrf_key: Vec<u8>,
    /// Registrations per client address and minute.
    registration_limit: limit::RateLimit,
    /// Every password hash runs through this gate (bounded CPU and memory).
    passwords: passwords::PasswordHashing,
    /// The keys that encrypt passport details; without them none are stored or read.
    passport_keys: RwLock<Option<Arc<PassportKeys>>>,
}

impl App {
    /// Builds the application over a migrated database.
    pub fn new(db: Db, config: AppConfig, clock: Arc<dyn Clock>) -> Result<App, AppError> {
        let csrf_key = secrets::installation_key(&db)?;
        let app = App {
            inner: Arc::new(Inner {
                db,
                config,
                clock,
                csrf_key,
                registration_limit: limit::RateLimit::new(DEFAULT_REGISTRATION_LIMIT),
                passwords: passwords::PasswordHashing::new(HashingLimits::default()),
                passport_keys: RwLock::new(None),
            }),
        };
        // Programmes published before releases existed get their first release.
        let made = app.make_first_releases()?;
        if made > 0 {
            tracing::info!(
                made,
                "first programme releases made from published programmes"
            );
        }
        Ok(app)
    }

    /// Opens the database, applies pending migrations and builds the application.
    pub fn open(
        url: &DatabaseUrl,
        config: AppConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<App, AppError> {
        let db = Db::open(url)?;
        let applied = db.migrate()?;
        if !applied.is_empty() {
            tracing::info!(?applied, "database migrated");
        }
        App::new(db, config, clock)
    }

    /// Applies pending migrations; returns their names.
    pub fn migrate_database(url: &DatabaseUrl) -> Result<Vec<&'static str>, AppError> {
        Ok(Db::open(url)?.migrate()?)
    }

    /// Writes a consistent copy of a SQLite database to `target` while it is in use.
    pub fn backup_database(url: &DatabaseUrl, target: &std::path::Path) -> Result<(), AppError> {
        Ok(Db::open(url)?.backup_to(target)?)
    }

    /// Forgets expired sessions and old sign-in attempts, and passport details past their
    /// retention period; run now and then.
    pub fn housekeeping(&self) -> Result<(), AppError> {
        let now = self.now();
        self.db().write(|tx| {
            plenary_store::sessions::delete_expired(tx, now)?;
            plenary_store::throttle::prune(tx, now - chrono::Duration::days(1))?;
            plenary_store::sign_ups::prune(tx, now - chrono::Duration::days(7))?;
            visa::purge_due(tx, now)?;
            Ok::<_, AppError>(())
        })?;
        self.queue_action_reminders()?;
        Ok(())
    }

    /// Registrations a client address may make per minute (0: no limit); the default is
    /// [`DEFAULT_REGISTRATION_LIMIT`].
    pub fn set_registration_limit(&self, per_minute: u32) {
        self.inner.registration_limit.set_per_minute(per_minute);
    }

    /// How many password hashes may run at once and wait for a turn; the default is
    /// one per core and 64 waiting ([`HashingLimits::default`]).
    pub fn set_password_hashing(&self, limits: HashingLimits) {
        self.inner.passwords.set_limits(limits);
    }

    pub fn password_hashing(&self) -> HashingLimits {
        self.inner.passwords.limits()
    }

    fn passwords(&self) -> &passwords::PasswordHashing {
        &self.inner.passwords
    }

    /// The keys that encrypt passport details (the command line reads them from the key
    /// file or the environment; tests generate one).
    pub fn set_passport_keys(&self, keys: PassportKeys) {
        let mut slot = self
            .inner
            .passport_keys
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *slot = Some(Arc::new(keys));
    }

    /// The passport keys, if configured.
    pub fn passport_keys(&self) -> Option<Arc<PassportKeys>> {
        self.inner
            .passport_keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    pub fn backend(&self) -> Backend {
        self.inner.db.backend()
    }

    fn registration_limit(&self) -> &limit::RateLimit {
        &self.inner.registration_limit
    }

    fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The application's clock: what use cases take as now (pages use it to say whether
    /// something is open, so that they agree with the use cases).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.clock.now()
    }

    /// Today's date in UTC, by the application's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.now().date_naive()
    }

    /// Whether the database answers (for `/healthz`).
    pub fn health(&self) -> Result<(), AppError> {
        Ok(self.db().ping()?)
    }

    /// The CSRF token for forms shown to a visitor identified by `binding` (the session
    /// token when signed in, an anonymous nonce otherwise).
    pub fn csrf_token(&self, binding: &str) -> String {
        secrets::csrf_token(&self.inner.csrf_key, binding)
    }

    pub fn csrf_valid(&self, binding: &str, token: &str) -> bool {
        secrets::csrf_valid(&self.inner.csrf_key, binding, token)
    }
}

/// Who is calling a use case, with what the audit log records about them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// How the caller is named in the audit log (their e-mail address, or "anonymous").
    pub label: String,
    pub client_ip: Option<String>,
}

impl Caller {
    pub fn anonymous(client_ip: Option<String>) -> Caller {
        Caller {
            principal: Principal::Anonymous,
            label: "anonymous".into(),
            client_ip,
        }
    }

    /// The operator at the command line, who holds the database already and so acts
    /// with the secretariat's rights; the audit log names "cli".
    pub fn operator() -> Caller {
        let grants = vec![plenary_domain::Grant {
            role: plenary_domain::Role::Secretariat,
            scope: plenary_domain::Scope::Global,
        }];
        Caller {
            principal: Principal::User {
                id: plenary_domain::UserId(0),
                grants,
            },
            label: "cli".into(),
            client_ip: None,
        }
    }
}

/// A new random token for links sent to people (sessions, resets, nonces).
pub fn random_token() -> String {
    secrets::random_hex(32)
}
