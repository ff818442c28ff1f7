//! Requests for visa invitation letters. The passport details are one value in their
//! own column, read only by the functions that need them (the secretariat's views, the
//! letter and the visa export); the purge sets it to NULL. The store keeps the value as
//! the application gives it: encrypted (see `plenary_app::passport_keys`), or plain
//! JSON in rows written before encryption.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};
use plenary_domain::registration::RegistrationStatus;
use plenary_domain::visa::VisaStatus;

fn status_of(raw: &str) -> Result<VisaStatus, StoreError> {
    VisaStatus::parse(raw).ok_or_else(|| StoreError::Decode(format!("unknown visa status {raw:?}")))
}

#[derive(Clone, PartialEq)]
pub struct VisaRequest {
    pub registration_id: i64,
    pub event_id: i64,
    pub status: VisaStatus,
    /// The passport details, encrypted (plain JSON in rows from before encryption);
    /// `None` once purged.
    pub passport: Option<String>,
    /// Why it was refused.
    pub reason: String,
    /// The letter's number within the event, once issued.
    pub letter_number: Option<i64>,
    pub requested_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub purged_at: Option<DateTime<Utc>>,
}

/// Never prints the passport details (they must not reach a log).
impl std::fmt::Debug for VisaRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VisaRequest")
            .field("registration_id", &self.registration_id)
            .field("status", &self.status)
            .field("purged", &self.purged_at.is_some())
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "v.registration_id, v.event_id, v.status, v.passport, v.reason, v.letter_number, v.requested_at, v.updated_at, v.decided_at, v.decided_by, v.purged_at";
const COLUMN_COUNT: usize = 11;

fn request_from(r: &Row) -> Result<VisaRequest, StoreError> {
    Ok(VisaRequest {
        registration_id: r.int(0)?,
        event_id: r.int(1)?,
        status: status_of(&r.text(2)?)?,
        passport: r.opt_text(3)?,
        reason: r.text(4)?,
        letter_number: r.opt_int(5)?,
        requested_at: r.time(6)?,
        updated_at: r.time(7)?,
        decided_at: r.opt_time(8)?,
        decided_by: r.opt_text(9)?,
        purged_at: r.opt_time(10)?,
    })
}

pub fn request(tx: &mut Tx<'_>, registration_id: i64) -> Result<Option<VisaRequest>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM visa_requests v WHERE v.registration_id = $1"),
        params![registration_id],
    )?
    .as_ref()
    .map(request_from)
    .transpose()
}

/// Records new passport details: a first request, or a change to one not yet decided
/// (or refused, which asks again). The request is `requested` afterwards.
pub fn save_request(
    tx: &mut Tx<'_>,
    registration_id: i64,
    event_id: i64,
    passport: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO visa_requests (registration_id, event_id, status, passport, reason, requested_at, updated_at)
         VALUES ($1, $2, 'requested', $3, '', $4, $4)
         ON CONFLICT (registration_id) DO UPDATE SET status = 'requested', passport = $3, reason = '',
           updated_at = $4, decided_at = NULL, decided_by = NULL",
        params![registration_id, event_id, passport, now],
    )?;
    Ok(())
}

/// The first key of PostgreSQL advisory locks on an event's letter numbers.
const VISA_LETTER_LOCK: i64 = 0x7669_7361;

/// Issues the letter with the event's next number; `None` when the request is not
/// (or no longer) waiting.
pub fn issue(
    tx: &mut Tx<'_>,
    registration_id: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    if tx.backend() == crate::Backend::Postgres {
        // Two letters of one event issued at the same moment would both read the same
        // MAX under READ COMMITTED; one number at a time per event (SQLite has one
        // writer already).
        tx.execute(
            "SELECT pg_advisory_xact_lock(CAST($1 AS INTEGER), CAST(event_id AS INTEGER))
             FROM visa_requests WHERE registration_id = $2",
            params![VISA_LETTER_LOCK, registration_id],
        )?;
    }
    let row = tx.query_opt(
        "UPDATE visa_requests SET status = 'issued', reason = '', decided_at = $2, decided_by = $3, updated_at = $2,
           letter_number = (SELECT COALESCE(MAX(letter_number), 0) + 1 FROM visa_requests o
                            WHERE o.event_id = visa_requests.event_id)
         WHERE registration_id = $1 AND status = 'requested' AND passport IS NOT NULL
         RETURNING letter_number",
        params![registration_id, now, by],
    )?;
    row.map(|r| r.int(0)).transpose()
}

/// Refuses a waiting request with a reason; false when it is not waiting.
pub fn refuse(
    tx: &mut Tx<'_>,
    registration_id: i64,
    reason: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE visa_requests SET status = 'refused', reason = $2, decided_at = $3, decided_by = $4, updated_at = $3
         WHERE registration_id = $1 AND status = 'requested'",
        params![registration_id, reason, now, by],
    )? == 1)
}

/// A request with the registrant it belongs to, for the secretariat's list and export.
#[derive(Debug, Clone)]
pub struct Listed {
    pub request: VisaRequest,
    pub family_name: String,
    pub given_name: String,
    pub email: String,
    pub registration_status: RegistrationStatus,
}

fn listed_from(r: &Row) -> Result<Listed, StoreError> {
    let status = r.text(COLUMN_COUNT + 3)?;
    Ok(Listed {
        request: request_from(r)?,
        family_name: r.text(COLUMN_COUNT)?,
        given_name: r.text(COLUMN_COUNT + 1)?,
        email: r.text(COLUMN_COUNT + 2)?,
        registration_status: RegistrationStatus::parse(&status)
            .ok_or_else(|| StoreError::Decode(format!("unknown registration status {status:?}")))?,
    })
}

const LISTED_COLUMNS: &str = "v.registration_id, v.event_id, v.status, v.passport, v.reason, v.letter_number, v.requested_at, v.updated_at, v.decided_at, v.decided_by, v.purged_at, r.family_name, r.given_name, r.email, r.status";
const LISTED_FROM: &str = "visa_requests v JOIN registrations r ON r.id = v.registration_id";

fn listed_query(condition: &str) -> String {
    format!("SELECT {LISTED_COLUMNS} FROM {LISTED_FROM} WHERE v.event_id = $1 AND {condition}")
}

/// An event's requests, oldest first, optionally of one status; with the total.
pub fn list(
    tx: &mut Tx<'_>,
    event_id: i64,
    status: Option<VisaStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Listed>, i64), StoreError> {
    let mut values: Vec<crate::Value> = vec![event_id.into()];
    let mut condition = String::from("v.event_id = $1");
    if let Some(status) = status {
        values.push(status.as_str().into());
        condition.push_str(" AND v.status = $2");
    }
    let (rows, total) = tx.page(
        &crate::PageQuery {
            columns: LISTED_COLUMNS,
            from: LISTED_FROM,
            condition: &condition,
            order: "v.requested_at, v.registration_id",
        },
        values,
        limit,
        offset,
    )?;
    Ok((
        rows.iter().map(listed_from).collect::<Result<_, _>>()?,
        total,
    ))
}

/// Requests after `after_id` (a registration id), in id order: the visa export reads
/// them page by page.
pub fn batch_after(
    tx: &mut Tx<'_>,
    event_id: i64,
    after_id: i64,
    limit: i64,
) -> Result<Vec<Listed>, StoreError> {
    tx.query(
        &format!(
            "{} ORDER BY v.registration_id LIMIT $3",
            listed_query("v.registration_id > $2")
        ),
        params![event_id, after_id, limit],
    )?
    .iter()
    .map(listed_from)
    .collect()
}

/// How many requests of the event are in each status.
pub fn status_counts(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<(VisaStatus, i64)>, StoreError> {
    let rows = tx.query(
        "SELECT status, COUNT(*) FROM visa_requests WHERE event_id = $1 GROUP BY status",
        params![event_id],
    )?;
    let mut counts = rows
        .iter()
        .map(|r| Ok((status_of(&r.text(0)?)?, r.int(1)?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    counts.sort();
    Ok(counts)
}

/// An event that still holds passport details: its end and retention period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub event_id: i64,
    pub ends_at: DateTime<Utc>,
    pub retention_days: i64,
    pub requests: i64,
}

/// The events with passport details not yet purged.
pub fn held(tx: &mut Tx<'_>) -> Result<Vec<Held>, StoreError> {
    tx.query(
        "SELECT e.id, e.ends_at, e.visa_retention_days, COUNT(*)
         FROM visa_requests v JOIN events e ON e.id = v.event_id
         WHERE v.purged_at IS NULL
         GROUP BY e.id, e.ends_at, e.visa_retention_days ORDER BY e.id",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(Held {
            event_id: r.int(0)?,
            ends_at: r.time(1)?,
            retention_days: r.int(2)?,
            requests: r.int(3)?,
        })
    })
    .collect()
}

/// Deletes the passport details of every request of the event; returns how many.
pub fn purge_event(tx: &mut Tx<'_>, event_id: i64, now: DateTime<Utc>) -> Result<u64, StoreError> {
    tx.execute(
        "UPDATE visa_requests SET passport = NULL, purged_at = $2, updated_at = $2
         WHERE event_id = $1 AND purged_at IS NULL",
        params![event_id, now],
    )
}

/// The stored passport details of every request that still holds them, in id order:
/// (registration id, stored value). `unless_prefix` leaves out values that start with
/// it (those sealed with the current key already).
pub fn stored_passports(
    tx: &mut Tx<'_>,
    unless_prefix: &str,
) -> Result<Vec<(i64, String)>, StoreError> {
    tx.query(
        "SELECT registration_id, passport FROM visa_requests
         WHERE passport IS NOT NULL
           AND substr(passport, 1, length(CAST($1 AS TEXT))) <> CAST($1 AS TEXT)
         ORDER BY registration_id",
        params![unless_prefix],
    )?
    .iter()
    .map(|r| Ok((r.int(0)?, r.text(1)?)))
    .collect()
}

/// Replaces a request's stored passport details by the same details written anew
/// (encrypted with another key); only while they are still `previous`, so that a
/// change made meanwhile is never overwritten. Returns whether it replaced them.
pub fn replace_passport(
    tx: &mut Tx<'_>,
    registration_id: i64,
    previous: &str,
    passport: &str,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE visa_requests SET passport = $3 WHERE registration_id = $1 AND passport = $2",
        params![registration_id, previous, passport],
    )? == 1)
}

/// Whether the installation deals in passport details: an event offers visa letters,
/// or details are stored.
pub fn passports_in_use(tx: &mut Tx<'_>) -> Result<bool, StoreError> {
    let row = tx.query_opt(
        "SELECT (SELECT COUNT(*) FROM events WHERE visa_letters)
              + (SELECT COUNT(*) FROM visa_requests WHERE passport IS NOT NULL)",
        &[],
    )?;
    Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0) > 0)
}
