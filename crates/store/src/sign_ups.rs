//! Self-service sign-up requests and their verification links. Only SHA-256 hashes of
//! the links are stored; a request for an address that has an account holds no link.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};

pub struct NewSignUp<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    /// `None`: the address has an account, nothing is to be verified.
    pub token_hash: Option<&'a str>,
    pub client_ip: Option<&'a str>,
    pub expires_at: DateTime<Utc>,
}

/// A pending sign-up as found by its link.
#[derive(Debug, Clone, PartialEq)]
pub struct SignUp {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

fn sign_up_from(r: &Row) -> Result<SignUp, StoreError> {
    Ok(SignUp {
        id: r.int(0)?,
        email: r.text(1)?,
        display_name: r.text(2)?,
        password_hash: r.text(3)?,
        created_at: r.time(4)?,
        expires_at: r.time(5)?,
        used_at: r.opt_time(6)?,
    })
}

pub fn insert(tx: &mut Tx<'_>, new: &NewSignUp<'_>, now: DateTime<Utc>) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO sign_ups (email, display_name, password_hash, token_hash, client_ip, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        params![
            new.email,
            new.display_name,
            new.password_hash,
            new.token_hash,
            new.client_ip,
            now,
            new.expires_at
        ],
    )?
    .int(0)
}

pub fn by_token_hash(tx: &mut Tx<'_>, token_hash: &str) -> Result<Option<SignUp>, StoreError> {
    tx.query_opt(
        "SELECT id, email, display_name, password_hash, created_at, expires_at, used_at
         FROM sign_ups WHERE token_hash = $1",
        params![token_hash],
    )?
    .as_ref()
    .map(sign_up_from)
    .transpose()
}

/// Marks the link used (and forgets the password hash it held); false if it was used
/// already (a concurrent use lost the race).
pub fn mark_used(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE sign_ups SET used_at = $1, password_hash = '' WHERE id = $2 AND used_at IS NULL",
        params![now, id],
    )?;
    Ok(n == 1)
}

/// Voids every unused link of an address (its account exists now) and forgets the
/// password hashes they held.
pub fn void_for_email(tx: &mut Tx<'_>, email: &str, now: DateTime<Utc>) -> Result<u64, StoreError> {
    tx.execute(
        "UPDATE sign_ups SET used_at = $1, password_hash = '' WHERE email = $2 AND used_at IS NULL",
        params![now, email],
    )
}

/// Requests for this address since `since`, with or without a link.
pub fn count_for_email(
    tx: &mut Tx<'_>,
    email: &str,
    since: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "SELECT COUNT(*) FROM sign_ups WHERE email = $1 AND created_at > $2",
        params![email, since],
    )?
    .int(0)
}

/// Requests from this client address since `since`, whatever the e-mail address.
pub fn count_for_client(
    tx: &mut Tx<'_>,
    client_ip: &str,
    since: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "SELECT COUNT(*) FROM sign_ups WHERE client_ip = $1 AND created_at > $2",
        params![client_ip, since],
    )?
    .int(0)
}

/// Forgets requests older than `before` (their links have long expired).
pub fn prune(tx: &mut Tx<'_>, before: DateTime<Utc>) -> Result<u64, StoreError> {
    tx.execute(
        "DELETE FROM sign_ups WHERE created_at < $1",
        params![before],
    )
}
