//! The database handle, its two backends and the transaction type.

use crate::error::StoreError;
use crate::group::{GroupWriter, Pending};
use crate::pool::{Pool, Pooled};
use crate::value::{Row, Value, from_postgres, from_sqlite};
use std::borrow::Cow;
use std::panic::resume_unwind;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the data lives: `sqlite://plenary.db` (relative), `sqlite:///var/lib/plenary.db`
/// (absolute) or `postgres://user@host:5432/db`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if path.is_empty() || path == ":memory:" {
                return Err("a SQLite URL needs a file path, e.g. sqlite://plenary.db".into());
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return raw
                .parse::<postgres::Config>()
                .map(|_| DatabaseUrl::Postgres(raw.to_owned()))
                .map_err(|e| format!("not a valid PostgreSQL URL: {e}"));
        }
        Err("must start with sqlite:// or postgres://".into())
    }
}

const SQLITE_READERS: usize = 8;
const POSTGRES_CONNECTIONS: usize = 16;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Prepared statements kept per connection: more than one use case's worth (rusqlite's
/// default of 16 is about what a registration alone uses).
const STATEMENT_CACHE: usize = 64;

/// A handle to the database; cheap to clone, shared by all requests.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

enum Inner {
    Sqlite {
        path: PathBuf,
        // One writer connection: writes are serialised in the process instead of
        // spinning on SQLITE_BUSY, and committed in groups (see `group`); BEGIN
        // IMMEDIATE still guards against other processes.
        writer: Box<GroupWriter>,
        readers: Pool<rusqlite::Connection>,
    },
    Postgres {
        config: Box<postgres::Config>,
        clients: Pool<postgres::Client>,
    },
}

impl Db {
    /// Opens (SQLite: creates) the database and checks that a connection works.
    pub fn open(url: &DatabaseUrl) -> Result<Self, StoreError> {
        let inner = match url {
            DatabaseUrl::Sqlite(path) => Inner::Sqlite {
                path: path.clone(),
                writer: Box::new(GroupWriter::new(path.clone(), open_sqlite_writer)),
                readers: Pool::new(SQLITE_READERS),
            },
            DatabaseUrl::Postgres(url) => Inner::Postgres {
                config: Box::new(
                    url.parse()
                        .map_err(|e: postgres::Error| StoreError::Unavailable(e.to_string()))?,
                ),
                clients: Pool::new(POSTGRES_CONNECTIONS),
            },
        };
        let db = Db {
            inner: Arc::new(inner),
        };
        db.ping()?;
        Ok(db)
    }

    /// Checks that the database answers.
    pub fn ping(&self) -> Result<(), StoreError> {
        self.read(|tx| tx.query_one("SELECT 1", &[]).map(|_| ()))
    }

    pub fn backend(&self) -> Backend {
        match &*self.inner {
            Inner::Sqlite { .. } => Backend::Sqlite,
            Inner::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Runs `work` in a write transaction: committed on `Ok`, rolled back on `Err`.
    pub fn write<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(Mode::Write, work)
    }

    /// Hands `work` to the writer for a write transaction, committed on `Ok` and rolled
    /// back on `Err`, like [`Db::write`] but without holding a thread while it waits: on
    /// SQLite the write is queued for the writer thread (which runs a burst of them back
    /// to back, group-committed) and answered once its commit is durable; on PostgreSQL
    /// it is to be run on a thread that may block.
    pub fn submit_write<T, E>(
        &self,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E> + Send + 'static,
    ) -> Submitted<Result<T, E>>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        match &*self.inner {
            Inner::Sqlite { writer, .. } => Submitted::Queued(writer.submit(work)),
            Inner::Postgres { .. } => {
                let db = self.clone();
                Submitted::Blocking(Box::new(move || db.write(work)))
            }
        }
    }

    /// Runs `work` in a read-only transaction (one consistent snapshot).
    pub fn read<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(Mode::Read, work)
    }

    fn transaction<T, E: From<StoreError>>(
        &self,
        mode: Mode,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        match &*self.inner {
            Inner::Sqlite {
                path,
                writer,
                readers,
            } => match mode {
                Mode::Write => writer.write(work),
                Mode::Read => {
                    let conn = readers.get(|| open_sqlite(path))?;
                    read_sqlite(&conn, work)
                }
            },
            Inner::Postgres { config, clients } => {
                let mut client = healthy_client(clients, config)?;
                let result = run_postgres(&mut client, mode, work);
                if client.is_closed() {
                    client.discard();
                }
                result
            }
        }
    }

    /// Writes a consistent copy of a SQLite database to `target` while it is in use.
    pub fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        match &*self.inner {
            Inner::Sqlite { path, readers, .. } => {
                if target.exists() {
                    return Err(StoreError::Unsupported(
                        "the backup file exists already; choose a new name",
                    ));
                }
                let conn = readers.get(|| open_sqlite(path))?;
                let target = target.to_string_lossy().into_owned();
                conn.execute("VACUUM INTO ?1", [target])?;
                Ok(())
            }
            Inner::Postgres { .. } => Err(StoreError::Unsupported(
                "plenary backup copies SQLite databases; back up PostgreSQL with pg_dump (see README)",
            )),
        }
    }

    /// Closes idle connections, e.g. before a test drops its database.
    pub fn close_idle(&self) {
        match &*self.inner {
            Inner::Sqlite {
                writer, readers, ..
            } => {
                writer.close_idle();
                readers.close_idle();
            }
            Inner::Postgres { clients, .. } => clients.close_idle(),
        }
    }
}

/// A write handed over by [`Db::submit_write`].
#[must_use = "the write is answered through it"]
pub enum Submitted<R> {
    /// Queued for SQLite's writer thread; await the answer (or wait for it).
    Queued(Pending<R>),
    /// To be run on a thread that may block (PostgreSQL).
    Blocking(Box<dyn FnOnce() -> R + Send>),
    /// Answered without writing (refused before the write).
    Done(R),
}

impl<R> Submitted<R> {
    /// The answer, blocking this thread until it is there; a panic of the write is
    /// resumed here.
    pub fn wait(self) -> R {
        match self {
            Submitted::Queued(pending) => {
                pending.wait().unwrap_or_else(|panic| resume_unwind(panic))
            }
            Submitted::Blocking(run) => run(),
            Submitted::Done(answer) => answer,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Read,
    Write,
}

fn open_sqlite(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    let conn = rusqlite::Connection::open(path)
        .map_err(|e| StoreError::Unavailable(format!("{}: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Durable acknowledgements: a committed write survives a power cut.
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")?;
    // Statements are prepared once per connection (`prepare_cached`). SQLite, built
    // with STAT4, marks a statement for re-preparing whenever a parameter is bound anew
    // if a plan heuristic looked at that parameter, and rusqlite clears the bindings of
    // every cached statement after use: such statements (an event's categories and
    // questions, read by every registration) were compiled again on each use. With the
    // query planner stability guarantee the plan never depends on bound values (there
    // are no statistics to use them with anyway).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Unavailable(format!(
            "{}: WAL mode refused ({mode})",
            path.display()
        )));
    }
    Ok(conn)
}

/// The writer's connection (see `group`).
fn open_sqlite_writer(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    let conn = open_sqlite(path)?;
    // Each grouped write runs in a savepoint, which journals the pages it changes that
    // the batch had changed before: in memory rather than a temporary file.
    conn.execute_batch("PRAGMA temp_store = MEMORY")?;
    Ok(conn)
}

/// A read-only snapshot on a pooled reader connection.
fn read_sqlite<T, E: From<StoreError>>(
    conn: &rusqlite::Connection,
    work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
) -> Result<T, E> {
    if !conn.is_autocommit() {
        // A reader that panicked mid-transaction came back to the pool.
        let _ = conn.execute_batch("ROLLBACK");
    }
    conn.execute_batch("BEGIN DEFERRED")
        .map_err(StoreError::from)?;
    let mut tx = Tx {
        inner: TxInner::Sqlite(conn),
    };
    let out = work(&mut tx);
    let end = if out.is_ok() { "COMMIT" } else { "ROLLBACK" };
    conn.execute_batch(end).map_err(StoreError::from)?;
    out
}

fn healthy_client<'p>(
    pool: &'p Pool<postgres::Client>,
    config: &postgres::Config,
) -> Result<Pooled<'p, postgres::Client>, StoreError> {
    loop {
        let client = pool.get(|| {
            config
                .connect(postgres::NoTls)
                .map_err(|e| StoreError::Unavailable(e.to_string()))
        })?;
        if !client.is_closed() {
            return Ok(client);
        }
        client.discard();
    }
}

fn run_postgres<T, E: From<StoreError>>(
    client: &mut postgres::Client,
    mode: Mode,
    work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let tx = client
        .build_transaction()
        .read_only(mode == Mode::Read)
        .start()
        .map_err(StoreError::from)?;
    let mut tx = Tx {
        inner: TxInner::Postgres(tx),
    };
    let out = work(&mut tx)?;
    tx.commit()?;
    Ok(out)
}

/// An open transaction. Repositories take `&mut Tx` and never commit themselves.
pub struct Tx<'c> {
    pub(crate) inner: TxInner<'c>,
}

pub(crate) enum TxInner<'c> {
    /// A connection inside BEGIN … COMMIT (and, for writes, inside a savepoint of a
    /// group commit); whoever opened the transaction ends it.
    Sqlite(&'c rusqlite::Connection),
    Postgres(postgres::Transaction<'c>),
}

/// SQL is written with `$1` placeholders; SQLite spells numbered ones `?1`.
fn sqlite_placeholders(sql: &str) -> Cow<'_, str> {
    if !sql.contains('$') {
        return Cow::Borrowed(sql);
    }
    Cow::Owned(sql.replace('$', "?"))
}

/// The parts of a paged listing (see [`Tx::page`]).
pub struct PageQuery<'a> {
    pub columns: &'a str,
    pub from: &'a str,
    pub condition: &'a str,
    pub order: &'a str,
}

impl Tx<'_> {
    pub fn backend(&self) -> Backend {
        match self.inner {
            TxInner::Sqlite(_) => Backend::Sqlite,
            TxInner::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows it changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        match &mut self.inner {
            TxInner::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached(&sqlite_placeholders(sql))?;
                let n = stmt.execute(rusqlite::params_from_iter(params.iter()))?;
                Ok(n as u64)
            }
            TxInner::Postgres(tx) => Ok(tx.execute(sql, &pg_params(params))?),
        }
    }

    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        match &mut self.inner {
            TxInner::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached(&sqlite_placeholders(sql))?;
                let columns = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let values = (0..columns)
                        .map(|i| from_sqlite(row.get_ref(i)?))
                        .collect::<Result<_, StoreError>>()?;
                    out.push(Row(values));
                }
                Ok(out)
            }
            TxInner::Postgres(tx) => tx
                .query(sql, &pg_params(params))?
                .iter()
                .map(|row| {
                    (0..row.len())
                        .map(|i| from_postgres(row, i))
                        .collect::<Result<_, _>>()
                        .map(Row)
                })
                .collect(),
        }
    }

    /// The first row, if any.
    pub fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Exactly the first row; a missing row is a decode error (use for aggregates).
    pub fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row, StoreError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| StoreError::Decode("query returned no row".into()))
    }

    /// One page of `SELECT columns FROM from WHERE condition ORDER BY order`, and how
    /// many rows match in all. `values` are the condition's parameters ($1, $2, …); the
    /// page's limit and offset are appended after them.
    pub fn page(
        &mut self,
        q: &PageQuery<'_>,
        mut values: Vec<Value>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Row>, i64), StoreError> {
        let total = self
            .query_one(
                &format!("SELECT COUNT(*) FROM {} WHERE {}", q.from, q.condition),
                &values,
            )?
            .int(0)?;
        let n = values.len();
        values.push(limit.into());
        values.push(offset.into());
        let rows = self.query(
            &format!(
                "SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT ${} OFFSET ${}",
                q.columns,
                q.from,
                q.condition,
                q.order,
                n + 1,
                n + 2
            ),
            &values,
        )?;
        Ok((rows, total))
    }

    /// Runs several statements without parameters (migrations).
    pub fn execute_batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match &mut self.inner {
            TxInner::Sqlite(tx) => Ok(tx.execute_batch(sql)?),
            TxInner::Postgres(tx) => Ok(tx.batch_execute(sql)?),
        }
    }

    fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            TxInner::Sqlite(_) => Err(StoreError::Unsupported(
                "a SQLite transaction is ended by whoever began it",
            )),
            TxInner::Postgres(tx) => Ok(tx.commit()?),
        }
    }
}

fn pg_params(params: &[Value]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|p| p as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://plenary.db"),
            Ok(DatabaseUrl::Sqlite("plenary.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/p.db"),
            Ok(DatabaseUrl::Sqlite("/var/lib/p.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1:5432/test"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn placeholders_are_numbered_for_sqlite() {
        assert_eq!(
            sqlite_placeholders("a = $1 AND b = $12"),
            "a = ?1 AND b = ?12"
        );
    }
}
