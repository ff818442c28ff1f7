//! Throw-away databases for tests: a SQLite file in a fresh temporary folder, or a fresh
//! PostgreSQL database on the server named by `PLENARY_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), dropped when the `TestDb` is.

use crate::{DatabaseUrl, Db};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    Database { admin_url: String, name: String },
}

fn unique_suffix() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let mut random = [0u8; 4];
    getrandom::fill(&mut random).expect("the OS provides random bytes");
    format!(
        "{}_{}_{:08x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        u32::from_le_bytes(random)
    )
}

impl TestDb {
    /// A migrated SQLite database in its own folder (WAL needs a real file).
    pub fn sqlite() -> TestDb {
        TestDb::sqlite_until(i64::MAX)
    }

    /// A SQLite database migrated up to `version` only, as an older Plenary left it.
    pub fn sqlite_until(version: i64) -> TestDb {
        let dir = std::env::temp_dir().join(format!("plenary-test-{}", unique_suffix()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let db = Db::open(&DatabaseUrl::Sqlite(dir.join("plenary.db"))).expect("open sqlite");
        db.migrate_until(version).expect("migrate sqlite");
        TestDb {
            db,
            cleanup: Cleanup::Dir(dir),
        }
    }

    /// A migrated, brand-new PostgreSQL database. Panics (fails the test, never skips)
    /// when the server cannot be reached.
    pub fn postgres() -> TestDb {
        TestDb::postgres_until(i64::MAX)
    }

    /// A PostgreSQL database migrated up to `version` only, as an older Plenary left it.
    pub fn postgres_until(version: i64) -> TestDb {
        let admin_url =
            std::env::var("PLENARY_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.into());
        let name = format!("plenary_test_{}", unique_suffix());
        let mut admin =
            postgres::Client::connect(&admin_url, postgres::NoTls).unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL is needed for this test and is not reachable at {admin_url}: {e}"
                )
            });
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let mut config: postgres::Config = admin_url.parse().expect("admin url parses");
        config.dbname(&name);
        let url = pg_url(&config);
        let db = Db::open(&DatabaseUrl::Postgres(url)).expect("open postgres");
        db.migrate_until(version).expect("migrate postgres");
        TestDb {
            db,
            cleanup: Cleanup::Database { admin_url, name },
        }
    }

    /// The backend named by `PLENARY_TEST_BACKEND` (`sqlite` or `postgres`, default sqlite).
    pub fn from_env() -> TestDb {
        match std::env::var("PLENARY_TEST_BACKEND").as_deref() {
            Ok("postgres") => TestDb::postgres(),
            _ => TestDb::sqlite(),
        }
    }

    /// The URL a separate process (e.g. `plenary serve`) would use for this database.
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::Dir(dir) => format!("sqlite://{}", dir.join("plenary.db").display()),
            Cleanup::Database { admin_url, name } => {
                let mut config: postgres::Config = admin_url.parse().expect("admin url parses");
                config.dbname(name);
                pg_url(&config)
            }
        }
    }
}

fn pg_url(config: &postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "127.0.0.1".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("postgres");
    let db = config.get_dbname().unwrap_or("postgres");
    format!("postgres://{user}@{host}:{port}/{db}")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.db.close_idle();
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(mut admin) = postgres::Client::connect(admin_url, postgres::NoTls) {
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}
