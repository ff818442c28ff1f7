//! Invitations by e-mail to a role. Only SHA-256 hashes of the links are stored.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};

pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    /// `reviewer` (target: a call) or `member` (target: a body).
    pub kind: &'a str,
    pub target_id: i64,
    /// What the role needs, as JSON.
    pub details: &'a str,
    pub invited_by: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub kind: String,
    pub target_id: i64,
    pub details: String,
    /// The inviter's display name.
    pub invited_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// The display name of the account that accepted.
    pub accepted_by: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "i.id, i.email, i.kind, i.target_id, i.details, inviter.display_name, i.created_at,
                       i.expires_at, i.accepted_at, acceptor.display_name, i.revoked_at";
const FROM: &str = "invitations i LEFT JOIN users inviter ON inviter.id = i.invited_by
                    LEFT JOIN users acceptor ON acceptor.id = i.accepted_by";

fn invitation_from(r: &Row) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        id: r.int(0)?,
        email: r.text(1)?,
        kind: r.text(2)?,
        target_id: r.int(3)?,
        details: r.text(4)?,
        invited_by: r.opt_text(5)?,
        created_at: r.time(6)?,
        expires_at: r.time(7)?,
        accepted_at: r.opt_time(8)?,
        accepted_by: r.opt_text(9)?,
        revoked_at: r.opt_time(10)?,
    })
}

pub fn insert(
    tx: &mut Tx<'_>,
    new: &NewInvitation<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO invitations (token_hash, email, kind, target_id, details, invited_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        params![
            new.token_hash,
            new.email,
            new.kind,
            new.target_id,
            new.details,
            new.invited_by,
            now,
            new.expires_at
        ],
    )?
    .int(0)
}

pub fn by_token_hash(tx: &mut Tx<'_>, token_hash: &str) -> Result<Option<Invitation>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE i.token_hash = $1"),
        params![token_hash],
    )?
    .as_ref()
    .map(invitation_from)
    .transpose()
}

pub fn by_id(tx: &mut Tx<'_>, id: i64) -> Result<Option<Invitation>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE i.id = $1"),
        params![id],
    )?
    .as_ref()
    .map(invitation_from)
    .transpose()
}

/// The invitations to one call's pool or one body, newest first.
pub fn for_target(
    tx: &mut Tx<'_>,
    kind: &str,
    target_id: i64,
) -> Result<Vec<Invitation>, StoreError> {
    tx.query(
        &format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE i.kind = $1 AND i.target_id = $2 ORDER BY i.id DESC"
        ),
        params![kind, target_id],
    )?
    .iter()
    .map(invitation_from)
    .collect()
}

/// Marks a pending invitation accepted by `user`; false if it was accepted or revoked
/// already (a concurrent use lost the race).
pub fn mark_accepted(
    tx: &mut Tx<'_>,
    id: i64,
    user: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE invitations SET accepted_at = $1, accepted_by = $2
         WHERE id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
        params![now, user, id],
    )?;
    Ok(n == 1)
}

/// Revokes a pending invitation; false if it was accepted or revoked already.
pub fn revoke(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        params![now, id],
    )?;
    Ok(n == 1)
}
