//! Sign-in attempts, counted per account, per client address and per pair of both for
//! rate limiting. Kept in the database so that several servers share one count.
//!
//! An attempt is *reserved* before its password is checked: the reservation is a
//! failure until [`mark_succeeded`] says otherwise. The check of the counts and the
//! reservation happen in one transaction under [`lock_keys`], so simultaneous attempts
//! are counted one after the other, never all against the same old count.

use crate::{Backend, StoreError, Tx, params};
use chrono::{DateTime, Utc};

/// Serialises the attempts of one account and of one client address until the end of
/// the transaction. SQLite runs one write transaction at a time already; PostgreSQL
/// takes transaction-scoped advisory locks, in ascending order so that two attempts
/// can never wait for each other.
pub fn lock_keys(tx: &mut Tx<'_>, email: &str, client_ip: &str) -> Result<(), StoreError> {
    if tx.backend() != Backend::Postgres {
        return Ok(());
    }
    let mut keys = [
        advisory_key("sign-in account", email),
        advisory_key("sign-in address", client_ip),
    ];
    keys.sort_unstable();
    for key in keys {
        tx.execute("SELECT pg_advisory_xact_lock($1)", params![key])?;
    }
    Ok(())
}

/// A 64-bit advisory-lock key for a name in a namespace, stable across processes
/// (FNV-1a; a collision only makes two unrelated attempts wait for each other).
fn advisory_key(namespace: &str, name: &str) -> i64 {
    let bytes = namespace.bytes().chain([0]).chain(name.bytes());
    let hash = bytes.fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    i64::from_ne_bytes(hash.to_ne_bytes())
}

/// Records an attempt as failed (until marked otherwise); returns its id.
pub fn reserve(
    tx: &mut Tx<'_>,
    email: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO sign_in_attempts (at, email, client_ip, succeeded) VALUES ($1, $2, $3, $4)
         RETURNING id",
        params![now, email, client_ip, false],
    )?
    .int(0)
}

pub fn mark_succeeded(tx: &mut Tx<'_>, attempt: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE sign_in_attempts SET succeeded = $1 WHERE id = $2",
        params![true, attempt],
    )?;
    Ok(())
}

/// Takes back a reservation whose password was never checked (the server was too busy).
pub fn release(tx: &mut Tx<'_>, attempt: i64) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM sign_in_attempts WHERE id = $1 AND succeeded = $2",
        params![attempt, false],
    )?;
    Ok(())
}

/// Records a finished attempt in one go (for tests and tools).
pub fn record(
    tx: &mut Tx<'_>,
    email: &str,
    client_ip: &str,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let id = reserve(tx, email, client_ip, now)?;
    if succeeded {
        mark_succeeded(tx, id)?;
    }
    Ok(())
}

/// The times of the account's failed attempts since `since` that came after its last
/// success, newest first, at most `limit` of them.
pub fn failures_for_email(
    tx: &mut Tx<'_>,
    email: &str,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    times(
        tx,
        "SELECT at FROM sign_in_attempts WHERE email = $1 AND at > $2 AND succeeded = $3
           AND id > COALESCE((SELECT MAX(id) FROM sign_in_attempts
                              WHERE email = $1 AND succeeded = $4), 0)
         ORDER BY at DESC, id DESC LIMIT $5",
        params![email, since, false, true, limit],
    )
}

/// The same for one account from one client address: a success from that address
/// forgets its earlier failures.
pub fn failures_for_pair(
    tx: &mut Tx<'_>,
    email: &str,
    client_ip: &str,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    times(
        tx,
        "SELECT at FROM sign_in_attempts
         WHERE email = $1 AND client_ip = $2 AND at > $3 AND succeeded = $4
           AND id > COALESCE((SELECT MAX(id) FROM sign_in_attempts
                              WHERE email = $1 AND client_ip = $2 AND succeeded = $5), 0)
         ORDER BY at DESC, id DESC LIMIT $6",
        params![email, client_ip, since, false, true, limit],
    )
}

/// The failed attempts from one client address since `since`, whatever the account.
pub fn failures_for_ip(
    tx: &mut Tx<'_>,
    client_ip: &str,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    times(
        tx,
        "SELECT at FROM sign_in_attempts WHERE client_ip = $1 AND at > $2 AND succeeded = $3
         ORDER BY at DESC, id DESC LIMIT $4",
        params![client_ip, since, false, limit],
    )
}

fn times(
    tx: &mut Tx<'_>,
    sql: &str,
    params: &[crate::Value],
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    tx.query(sql, params)?
        .iter()
        .map(|row| row.time(0))
        .collect()
}

/// Forgets attempts older than `before`.
pub fn prune(tx: &mut Tx<'_>, before: DateTime<Utc>) -> Result<u64, StoreError> {
    tx.execute(
        "DELETE FROM sign_in_attempts WHERE at < $1",
        params![before],
    )
}
