//! The durable outbox: mail is written in the transaction of the change that causes
//! it and sent later by a worker that leases rows with `UPDATE … RETURNING`.
//!
//! A message goes `queued` → `sent` (or `failed` after the last attempt). A worker
//! leases it (`lease_until`, `attempts` + 1), records the hand-over to the SMTP server
//! just before ending DATA (`handed_over_at`, only while it still holds the lease) and
//! marks it sent. A lease that expires before the hand-over makes the message due again
//! (the worker died mid-send); one that expires after it is settled as sent, never sent
//! a second time.

use crate::{Backend, Row, StoreError, Tx, Value, params};
use chrono::{DateTime, Utc};

pub struct NewMessage<'a> {
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
}

/// A file sent with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
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
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// In the order they were added.
    pub attachments: Vec<Attachment>,
}

const COLUMNS: &str = "id, kind, recipient, subject, body_text, body_html, status, attempts, created_at, sent_at, last_error";

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
        sent_at: r.opt_time(9)?,
        last_error: r.opt_text(10)?,
        attachments: Vec::new(),
    })
}

fn with_attachments(tx: &mut Tx<'_>, mut m: Message) -> Result<Message, StoreError> {
    m.attachments = attachments(tx, m.id)?;
    Ok(m)
}

pub fn enqueue(tx: &mut Tx<'_>, m: &NewMessage<'_>, now: DateTime<Utc>) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO outbox (created_at, kind, recipient, subject, body_text, body_html, status, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $1) RETURNING id",
        params![now, m.kind, m.recipient, m.subject, m.body_text, m.body_html],
    )?
    .int(0)
}

/// Adds a file to a queued message (in the transaction that queued it).
pub fn attach(
    tx: &mut Tx<'_>,
    message_id: i64,
    position: i64,
    file_name: &str,
    content_type: &str,
    data: &[u8],
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO outbox_attachments (message_id, position, file_name, content_type, data)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            Value::Int(message_id),
            Value::Int(position),
            Value::from(file_name),
            Value::from(content_type),
            Value::Bytes(data.to_vec()),
        ],
    )?;
    Ok(())
}

pub fn attachments(tx: &mut Tx<'_>, message_id: i64) -> Result<Vec<Attachment>, StoreError> {
    tx.query(
        "SELECT file_name, content_type, data FROM outbox_attachments WHERE message_id = $1 ORDER BY position",
        params![message_id],
    )?
    .into_iter()
    .map(|row| {
        let file_name = row.text(0)?;
        let content_type = row.text(1)?;
        match row.0.into_iter().nth(2) {
            Some(Value::Bytes(data)) => Ok(Attachment {
                file_name,
                content_type,
                data,
            }),
            other => Err(StoreError::Decode(format!("attachment data: {other:?}"))),
        }
    })
    .collect()
}

/// Deletes the attachments of the messages of `kind` that are sent or given up, or
/// were queued before `queued_before`; returns how many.
pub fn delete_attachments_of_kind(
    tx: &mut Tx<'_>,
    kind: &str,
    queued_before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    tx.execute(
        "DELETE FROM outbox_attachments WHERE message_id IN
           (SELECT id FROM outbox WHERE kind = $1 AND (status <> 'queued' OR created_at < $2))",
        params![kind, queued_before],
    )
}

/// Leases one due message until `lease_until`, so that no other worker sends it
/// meanwhile. On PostgreSQL, concurrent workers skip the rows another one is leasing.
pub fn lease_next(
    tx: &mut Tx<'_>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<Message>, StoreError> {
    let lock = match tx.backend() {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        // SQLite writers are serialised (BEGIN IMMEDIATE).
        Backend::Sqlite => "",
    };
    let leased = tx
        .query_opt(
            &format!(
                "UPDATE outbox SET lease_until = $2, attempts = attempts + 1
                 WHERE id = (SELECT id FROM outbox
                             WHERE status = 'queued' AND handed_over_at IS NULL AND next_attempt_at <= $1
                               AND (lease_until IS NULL OR lease_until <= $1)
                             ORDER BY next_attempt_at, id LIMIT 1 {lock})
                 RETURNING {COLUMNS}"
            ),
            params![now, lease_until],
        )?
        .as_ref()
        .map(message_from)
        .transpose()?;
    leased.map(|m| with_attachments(tx, m)).transpose()
}

/// Records that the worker holding lease `attempt` is about to end DATA. False (and
/// nothing changes) when that lease is no longer held: another worker took the message
/// over, and this one must not send it.
pub fn mark_handed_over(
    tx: &mut Tx<'_>,
    id: i64,
    attempt: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE outbox SET handed_over_at = $1
         WHERE id = $2 AND attempts = $3 AND status = 'queued' AND handed_over_at IS NULL",
        params![now, id, attempt],
    )? == 1)
}

pub fn mark_sent(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE outbox SET status = 'sent', sent_at = $1, lease_until = NULL, last_error = NULL WHERE id = $2",
        params![now, id],
    )?;
    Ok(())
}

/// Records a failed attempt `attempt`: retried at `retry_at`, or failed for good when
/// `None`. Does nothing when another worker has leased the message since.
pub fn mark_failed(
    tx: &mut Tx<'_>,
    id: i64,
    attempt: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    match retry_at {
        Some(at) => tx.execute(
            "UPDATE outbox SET next_attempt_at = $1, lease_until = NULL, handed_over_at = NULL, last_error = $2
             WHERE id = $3 AND attempts = $4 AND status = 'queued'",
            params![at, error, id, attempt],
        )?,
        None => tx.execute(
            "UPDATE outbox SET status = 'failed', lease_until = NULL, handed_over_at = NULL, last_error = $1
             WHERE id = $2 AND attempts = $3 AND status = 'queued'",
            params![error, id, attempt],
        )?,
    };
    Ok(())
}

/// Messages whose worker stopped after handing them to the SMTP server but before
/// recording the server's answer: the server has the whole message, so they count as
/// sent (with a note) rather than going out a second time. Returns their ids.
pub fn settle_handed_over(tx: &mut Tx<'_>, now: DateTime<Utc>) -> Result<Vec<i64>, StoreError> {
    tx.query(
        "UPDATE outbox SET status = 'sent', sent_at = handed_over_at, lease_until = NULL,
                last_error = 'unconfirmed: the worker stopped after handing the message to the SMTP server'
         WHERE status = 'queued' AND handed_over_at IS NOT NULL AND lease_until <= $1
         RETURNING id",
        params![now],
    )?
    .iter()
    .map(|r| r.int(0))
    .collect()
}

/// One message with its attachments.
pub fn get(tx: &mut Tx<'_>, id: i64) -> Result<Option<Message>, StoreError> {
    let found = tx
        .query_opt(
            &format!("SELECT {COLUMNS} FROM outbox WHERE id = $1"),
            params![id],
        )?
        .as_ref()
        .map(message_from)
        .transpose()?;
    found.map(|m| with_attachments(tx, m)).transpose()
}

/// Newest first, with their attachments; for the secretariat's view and for tests.
pub fn list(tx: &mut Tx<'_>, limit: i64) -> Result<Vec<Message>, StoreError> {
    let messages = tx
        .query(
            &format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1"),
            params![limit],
        )?
        .iter()
        .map(message_from)
        .collect::<Result<Vec<_>, _>>()?;
    messages
        .into_iter()
        .map(|m| with_attachments(tx, m))
        .collect()
}

pub fn count_by_status(tx: &mut Tx<'_>, status: &str) -> Result<i64, StoreError> {
    tx.query_one(
        "SELECT COUNT(*) FROM outbox WHERE status = $1",
        params![status],
    )?
    .int(0)
}

/// A message as the secretariat's status page lists it: no body, no attachments.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// One page of the outbox, newest first, optionally of one status; with the total.
pub fn page(
    tx: &mut Tx<'_>,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Summary>, i64), StoreError> {
    let mut values: Vec<Value> = Vec::new();
    let mut condition = String::from("TRUE");
    if let Some(status) = status {
        values.push(status.into());
        condition = String::from("status = $1");
    }
    let (rows, total) = tx.page(
        &crate::PageQuery {
            columns: "id, kind, recipient, subject, status, attempts, created_at, next_attempt_at, sent_at, last_error",
            from: "outbox",
            condition: &condition,
            order: "id DESC",
        },
        values,
        limit,
        offset,
    )?;
    let summaries = rows
        .iter()
        .map(|r| {
            Ok(Summary {
                id: r.int(0)?,
                kind: r.text(1)?,
                recipient: r.text(2)?,
                subject: r.text(3)?,
                status: r.text(4)?,
                attempts: r.int(5)?,
                created_at: r.time(6)?,
                next_attempt_at: r.time(7)?,
                sent_at: r.opt_time(8)?,
                last_error: r.opt_text(9)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((summaries, total))
}

/// How many messages are in each status (status, count).
pub type Counts = Vec<(String, i64)>;

/// How many messages are in each status, and when the oldest queued one was written.
pub fn status_counts(tx: &mut Tx<'_>) -> Result<(Counts, Option<DateTime<Utc>>), StoreError> {
    let counts = tx
        .query(
            "SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.text(0)?, r.int(1)?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    let oldest = tx
        .query_opt(
            "SELECT created_at FROM outbox WHERE status = 'queued' ORDER BY id LIMIT 1",
            &[],
        )?
        .map(|r| r.time(0))
        .transpose()?;
    Ok((counts, oldest))
}

/// Queues a message that failed for good once more, with a fresh count of attempts;
/// false when it is not failed.
pub fn retry(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $1, lease_until = NULL,
           handed_over_at = NULL
         WHERE id = $2 AND status = 'failed'",
        params![now, id],
    )? == 1)
}
