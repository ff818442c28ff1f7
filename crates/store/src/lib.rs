//! Plenary's persistence: one interface, two real backends.
//!
//! SQLite (embedded, the default) and PostgreSQL (several stateless servers sharing one
//! database). Use cases run inside [`Db::write`] or [`Db::read`]: one transaction each,
//! committed when the closure returns `Ok`, rolled back otherwise. Queries are written
//! once, with PostgreSQL-style `$1` placeholders, in SQL that both backends accept; the
//! repositories (`users`, `sessions`, ...) are the only place that holds SQL.

mod db;
mod error;
mod group;
mod migrate;
mod pool;
mod value;

pub mod audit;
pub mod calls;
pub mod credentials;
pub mod directory;
pub mod imports;
pub mod invitations;
pub mod mail_templates;
pub mod meetings;
pub mod minutes;
pub mod outbox;
pub mod programme;
pub mod registration;
pub mod sessions;
pub mod settings;
pub mod sign_ups;
pub mod speakers;
pub mod throttle;
pub mod users;
pub mod visa;

#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Backend, DatabaseUrl, Db, PageQuery, Submitted, Tx};
pub use error::StoreError;
pub use group::Pending;
pub use migrate::{MIGRATIONS, Migration};
pub use value::{Row, Value};
