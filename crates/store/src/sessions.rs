//! Server-side sign-in sessions. Only the SHA-256 of the cookie value is stored.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};
use plenary_domain::UserId;

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: i64,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

const COLUMNS: &str = "id, user_id, created_at, last_seen_at, expires_at, client_ip, user_agent";

fn session_from(row: &Row) -> Result<Session, StoreError> {
    Ok(Session {
        id: row.int(0)?,
        user_id: UserId(row.int(1)?),
        created_at: row.time(2)?,
        last_seen_at: row.time(3)?,
        expires_at: row.time(4)?,
        client_ip: row.opt_text(5)?,
        user_agent: row.opt_text(6)?,
    })
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub expires_at: DateTime<Utc>,
    pub client_ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub fn insert(
    tx: &mut Tx<'_>,
    new: &NewSession<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_ip, user_agent)
         VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id",
        params![new.token_hash, new.user_id.0, now, new.expires_at, new.client_ip, new.user_agent],
    )?
    .int(0)
}

/// The live session with this token hash, if it has not expired.
pub fn live_by_hash(
    tx: &mut Tx<'_>,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM sessions WHERE token_hash = $1 AND expires_at > $2"),
        params![token_hash, now],
    )?
    .as_ref()
    .map(session_from)
    .transpose()
}

/// Slides the expiry forward on activity.
pub fn touch(
    tx: &mut Tx<'_>,
    id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3",
        params![now, expires_at, id],
    )?;
    Ok(())
}

pub fn delete_by_hash(tx: &mut Tx<'_>, token_hash: &str) -> Result<Option<UserId>, StoreError> {
    tx.query_opt(
        "DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id",
        params![token_hash],
    )?
    .map(|r| r.int(0).map(UserId))
    .transpose()
}

/// Ends every session of the account; returns how many there were.
pub fn delete_for_user(tx: &mut Tx<'_>, user: UserId) -> Result<u64, StoreError> {
    tx.execute("DELETE FROM sessions WHERE user_id = $1", params![user.0])
}

/// Ends every session of the account but `keep` (after a password change).
pub fn delete_for_user_except(
    tx: &mut Tx<'_>,
    user: UserId,
    keep: Option<i64>,
) -> Result<u64, StoreError> {
    tx.execute(
        "DELETE FROM sessions WHERE user_id = $1 AND id <> $2",
        params![user.0, keep.unwrap_or(0)],
    )
}

pub fn list_for_user(
    tx: &mut Tx<'_>,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<Session>, StoreError> {
    tx.query(
        &format!("SELECT {COLUMNS} FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC"),
        params![user.0, now],
    )?
    .iter()
    .map(session_from)
    .collect()
}

pub fn delete_expired(tx: &mut Tx<'_>, now: DateTime<Utc>) -> Result<u64, StoreError> {
    tx.execute("DELETE FROM sessions WHERE expires_at <= $1", params![now])
}
