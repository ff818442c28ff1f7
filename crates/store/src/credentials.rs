//! Password-reset links and personal API tokens. Only SHA-256 hashes are stored.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};
use plenary_domain::{ApiTokenId, UserId};

pub fn insert_reset(
    tx: &mut Tx<'_>,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        params![token_hash, user.0, now, expires_at],
    )?;
    Ok(())
}

/// The state of a reset link as found in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Reset {
    pub id: i64,
    pub user_id: UserId,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

pub fn reset_by_hash(tx: &mut Tx<'_>, token_hash: &str) -> Result<Option<Reset>, StoreError> {
    tx.query_opt(
        "SELECT id, user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1",
        params![token_hash],
    )?
    .map(|r| {
        Ok(Reset {
            id: r.int(0)?,
            user_id: UserId(r.int(1)?),
            expires_at: r.time(2)?,
            used_at: r.opt_time(3)?,
        })
    })
    .transpose()
}

/// Marks the link used; false if it was used already (a concurrent use lost the race).
pub fn mark_reset_used(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
        params![now, id],
    )?;
    Ok(n == 1)
}

/// How many of the account's links can still be used.
pub fn open_resets_for_user(
    tx: &mut Tx<'_>,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2",
        params![user.0, now],
    )?
    .int(0)
}

/// Voids every unused link of the account (after a successful reset or password change).
pub fn void_resets_for_user(
    tx: &mut Tx<'_>,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
        params![now, user.0],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    /// The first characters of the token, to recognise it in a list.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const TOKEN_COLUMNS: &str = "id, user_id, name, prefix, created_at, last_used_at, revoked_at";

fn token_from(r: &Row) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: ApiTokenId(r.int(0)?),
        user_id: UserId(r.int(1)?),
        name: r.text(2)?,
        prefix: r.text(3)?,
        created_at: r.time(4)?,
        last_used_at: r.opt_time(5)?,
        revoked_at: r.opt_time(6)?,
    })
}

pub fn insert_api_token(
    tx: &mut Tx<'_>,
    user: UserId,
    name: &str,
    prefix: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<ApiTokenId, StoreError> {
    tx.query_one(
        "INSERT INTO api_tokens (token_hash, user_id, name, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        params![token_hash, user.0, name, prefix, now],
    )?
    .int(0)
    .map(ApiTokenId)
}

pub fn live_api_token_by_hash(
    tx: &mut Tx<'_>,
    token_hash: &str,
) -> Result<Option<ApiToken>, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        ),
        params![token_hash],
    )?
    .as_ref()
    .map(token_from)
    .transpose()
}

pub fn api_tokens_for_user(tx: &mut Tx<'_>, user: UserId) -> Result<Vec<ApiToken>, StoreError> {
    tx.query(
        &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"),
        params![user.0],
    )?
    .iter()
    .map(token_from)
    .collect()
}

pub fn touch_api_token(
    tx: &mut Tx<'_>,
    id: ApiTokenId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
        params![now, id.0],
    )?;
    Ok(())
}

/// Revokes one of the account's own tokens; false if there is no such live token.
pub fn revoke_api_token(
    tx: &mut Tx<'_>,
    user: UserId,
    id: ApiTokenId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        params![now, id.0, user.0],
    )?;
    Ok(n == 1)
}

pub fn revoke_all_api_tokens(
    tx: &mut Tx<'_>,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    tx.execute(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        params![now, user.0],
    )
}
