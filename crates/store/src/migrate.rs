//! Versioned migrations, one file per backend with the same name.

use crate::db::{Backend, Db, Tx};
use crate::error::StoreError;
use crate::params;

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

/// Every migration, in order. A test checks that both folders hold exactly these files.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_accounts"),
    migration!(2, "0002_directory"),
    migration!(3, "0003_meetings"),
    migration!(4, "0004_user_time_zone"),
    migration!(5, "0005_documents"),
    migration!(6, "0006_minutes"),
    migration!(7, "0007_action_reminders"),
    migration!(8, "0008_imported_documents"),
    migration!(9, "0009_mail"),
    migration!(10, "0010_registration"),
    migration!(11, "0011_visa"),
    migration!(12, "0012_calls"),
    migration!(13, "0013_programme"),
    migration!(14, "0014_sign_ups"),
    migration!(15, "0015_profiles"),
    migration!(16, "0016_invitations"),
    migration!(17, "0017_unlisted_action_owners"),
    migration!(18, "0018_programme_releases"),
    migration!(19, "0019_day_hours"),
    migration!(20, "0020_remote_links"),
    migration!(21, "0021_session_speakers"),
];

/// An arbitrary constant: PostgreSQL advisory-lock key for "migrations running".
const MIGRATION_LOCK: i64 = 0x706c_656e_6172;

impl Db {
    /// Applies every pending migration in one transaction; returns the names applied.
    /// Safe to run from several servers at once.
    pub fn migrate(&self) -> Result<Vec<&'static str>, StoreError> {
        self.migrate_until(i64::MAX)
    }

    /// Applies the pending migrations up to `version` (included): what an older
    /// Plenary left, for the tests that upgrade a database holding data.
    pub fn migrate_until(&self, version: i64) -> Result<Vec<&'static str>, StoreError> {
        self.write(|tx| {
            if tx.backend() == Backend::Postgres {
                tx.execute("SELECT pg_advisory_xact_lock($1)", params![MIGRATION_LOCK])?;
            }
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                     version BIGINT PRIMARY KEY,
                     name    TEXT NOT NULL
                 )",
            )?;
            let newest = newest_applied(tx)?;
            let known = MIGRATIONS.last().map_or(0, |m| m.version);
            if newest > known {
                return Err(StoreError::Unsupported(
                    "the database was migrated by a newer Plenary; upgrade this binary",
                ));
            }
            let mut applied = Vec::new();
            for m in MIGRATIONS
                .iter()
                .filter(|m| m.version > newest && m.version <= version)
            {
                let sql = match tx.backend() {
                    Backend::Sqlite => m.sqlite,
                    Backend::Postgres => m.postgres,
                };
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    params![m.version, m.name],
                )?;
                applied.push(m.name);
            }
            Ok(applied)
        })
    }

    /// The number of migrations not yet applied (0 when up to date).
    pub fn pending_migrations(&self) -> Result<usize, StoreError> {
        self.read(|tx| {
            let exists = match tx.backend() {
                Backend::Sqlite => tx.query_opt(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
                    &[],
                )?,
                Backend::Postgres => tx.query_opt(
                    "SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_schema = current_schema()",
                    &[],
                )?,
            };
            let newest = if exists.is_some() { newest_applied(tx)? } else { 0 };
            Ok(MIGRATIONS.iter().filter(|m| m.version > newest).count())
        })
    }
}

fn newest_applied(tx: &mut Tx<'_>) -> Result<i64, StoreError> {
    let row = tx.query_one(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        &[],
    )?;
    row.int(0)
}
