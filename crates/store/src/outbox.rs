//! The durable outbox: mail is written in the transaction of the change that causes
//! it and sent later by a worker that leases rows with `UPDATE … RETURNING`.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};

pub struct NewMessage<'a> {
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "id, kind, recipient, subject, body_text, body_html, status, attempts, created_at";

fn message_from(r: &Row) -> Result<Message, StoreError> {
    Ok(Message {
        id: r.int(0)?,
        kind: r.text(1)?,
        recipient: r.text(2)?,
        subject: r.text(3)?,
        body_text: r.text(4)?,
        body_html: r.opt_text(5)?,
        status: r.text(6)?,
        attempts: r.int(7)?,
        created_at: r.time(8)?,
    })
}

pub fn enqueue(tx: &mut Tx<'_>, m: &NewMessage<'_>, now: DateTime<Utc>) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO outbox (created_at, kind, recipient, subject, body_text, body_html, status, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $1) RETURNING id",
        params![now, m.kind, m.recipient, m.subject, m.body_text, m.body_html],
    )?
    .int(0)
}

/// Leases one due message until `lease_until`, so that no other worker sends it meanwhile.
pub fn lease_next(
    tx: &mut Tx<'_>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<Message>, StoreError> {
    tx.query_opt(
        &format!(
            "UPDATE outbox SET lease_until = $2, attempts = attempts + 1
             WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1
                           AND (lease_until IS NULL OR lease_until <= $1)
                         ORDER BY next_attempt_at, id LIMIT 1)
             RETURNING {COLUMNS}"
        ),
        params![now, lease_until],
    )?
    .as_ref()
    .map(message_from)
    .transpose()
}

pub fn mark_sent(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE outbox SET status = 'sent', sent_at = $1, lease_until = NULL, last_error = NULL WHERE id = $2",
        params![now, id],
    )?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or failed for good when `None`.
pub fn mark_failed(
    tx: &mut Tx<'_>,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    match retry_at {
        Some(at) => tx.execute(
            "UPDATE outbox SET next_attempt_at = $1, lease_until = NULL, last_error = $2 WHERE id = $3",
            params![at, error, id],
        )?,
        None => tx.execute(
            "UPDATE outbox SET status = 'failed', lease_until = NULL, last_error = $1 WHERE id = $2",
            params![error, id],
        )?,
    };
    Ok(())
}

/// Newest first; for the secretariat's view and for tests.
pub fn list(tx: &mut Tx<'_>, limit: i64) -> Result<Vec<Message>, StoreError> {
    tx.query(
        &format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1"),
        params![limit],
    )?
    .iter()
    .map(message_from)
    .collect()
}

pub fn count_by_status(tx: &mut Tx<'_>, status: &str) -> Result<i64, StoreError> {
    tx.query_one(
        "SELECT COUNT(*) FROM outbox WHERE status = $1",
        params![status],
    )?
    .int(0)
}
