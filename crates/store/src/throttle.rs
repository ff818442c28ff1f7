//! Sign-in attempts, counted per account and per client address for rate limiting.
//! Kept in the database so that several servers share one count.

use crate::{StoreError, Tx, params};
use chrono::{DateTime, Utc};

pub fn record(
    tx: &mut Tx<'_>,
    email: &str,
    client_ip: &str,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO sign_in_attempts (at, email, client_ip, succeeded) VALUES ($1, $2, $3, $4)",
        params![now, email, client_ip, succeeded],
    )?;
    Ok(())
}

/// Failed attempts for the account since `since`, not counting those before its last success.
pub fn failures_for_email(
    tx: &mut Tx<'_>,
    email: &str,
    since: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "SELECT COUNT(*) FROM sign_in_attempts WHERE email = $1 AND at > $2 AND succeeded = $3
           AND at > COALESCE((SELECT MAX(at) FROM sign_in_attempts WHERE email = $1 AND succeeded = $4), $2)",
        params![email, since, false, true],
    )?
    .int(0)
}

pub fn failures_for_ip(
    tx: &mut Tx<'_>,
    client_ip: &str,
    since: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "SELECT COUNT(*) FROM sign_in_attempts WHERE client_ip = $1 AND at > $2 AND succeeded = $3",
        params![client_ip, since, false],
    )?
    .int(0)
}

/// Forgets attempts older than `before`.
pub fn prune(tx: &mut Tx<'_>, before: DateTime<Utc>) -> Result<u64, StoreError> {
    tx.execute(
        "DELETE FROM sign_in_attempts WHERE at < $1",
        params![before],
    )
}
