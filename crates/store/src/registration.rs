//! Events, registration categories with their seats, the form's questions, and
//! registrations.
//!
//! Seats are taken and freed only with conditional UPDATEs on the category's row
//! (`taken < capacity`), in the same transaction as the registration's status: the row
//! lock this takes on PostgreSQL, and SQLite's single writer, make a burst of
//! registrations — also from several processes — never exceed the capacity.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};
use plenary_domain::registration::{FieldKind, ParticipationMode, RegistrationStatus};

use crate::error::decode;

// ------------------------------------------------------------------ events

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: i64,
    pub title: String,
    pub venue: String,
    pub time_zone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    /// Registrants may change or cancel their registration until then.
    pub changes_until: DateTime<Utc>,
    /// Whether the consenting participants are listed publicly.
    pub public_list: bool,
    /// Whether onsite registrants may ask for a visa invitation letter.
    pub visa_letters: bool,
    /// Days after the event's end until passport details are purged.
    pub visa_retention_days: i64,
}

pub struct EventFields<'a> {
    pub title: &'a str,
    pub venue: &'a str,
    pub time_zone: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub changes_until: DateTime<Utc>,
    pub public_list: bool,
    pub visa_letters: bool,
    pub visa_retention_days: i64,
}

const EVENT_COLUMNS: &str = "id, title, venue, time_zone, starts_at, ends_at, registration_opens_at, registration_closes_at, changes_until, public_list, visa_letters, visa_retention_days";

fn event_from(r: &Row) -> Result<Event, StoreError> {
    Ok(Event {
        id: r.int(0)?,
        title: r.text(1)?,
        venue: r.text(2)?,
        time_zone: r.text(3)?,
        starts_at: r.time(4)?,
        ends_at: r.time(5)?,
        registration_opens_at: r.time(6)?,
        registration_closes_at: r.time(7)?,
        changes_until: r.time(8)?,
        public_list: r.bool(9)?,
        visa_letters: r.bool(10)?,
        visa_retention_days: r.int(11)?,
    })
}

pub fn insert_event(
    tx: &mut Tx<'_>,
    e: &EventFields<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO events (title, venue, time_zone, starts_at, ends_at, registration_opens_at,
           registration_closes_at, changes_until, public_list, visa_letters, visa_retention_days, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        params![
            e.title,
            e.venue,
            e.time_zone,
            e.starts_at,
            e.ends_at,
            e.registration_opens_at,
            e.registration_closes_at,
            e.changes_until,
            e.public_list,
            e.visa_letters,
            e.visa_retention_days,
            now
        ],
    )?
    .int(0)
}

pub fn update_event(tx: &mut Tx<'_>, id: i64, e: &EventFields<'_>) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE events SET title = $1, venue = $2, time_zone = $3, starts_at = $4, ends_at = $5,
           registration_opens_at = $6, registration_closes_at = $7, changes_until = $8, public_list = $9,
           visa_letters = $10, visa_retention_days = $11
         WHERE id = $12",
        params![
            e.title,
            e.venue,
            e.time_zone,
            e.starts_at,
            e.ends_at,
            e.registration_opens_at,
            e.registration_closes_at,
            e.changes_until,
            e.public_list,
            e.visa_letters,
            e.visa_retention_days,
            id
        ],
    )? == 1)
}

pub fn event(tx: &mut Tx<'_>, id: i64) -> Result<Option<Event>, StoreError> {
    tx.query_opt(
        &format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(event_from)
    .transpose()
}

pub fn events(tx: &mut Tx<'_>) -> Result<Vec<Event>, StoreError> {
    tx.query(
        &format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY starts_at DESC, id"),
        &[],
    )?
    .iter()
    .map(event_from)
    .collect()
}

// ------------------------------------------------------------------ categories

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub event_id: i64,
    pub position: i64,
    pub name: String,
    pub mode: ParticipationMode,
    /// `None`: unlimited.
    pub capacity: Option<i64>,
    /// Seats held by pending and confirmed registrations.
    pub taken: i64,
    /// Registrations on the waiting list.
    pub waiting: i64,
    pub needs_approval: bool,
}

pub struct CategoryFields<'a> {
    pub name: &'a str,
    pub mode: ParticipationMode,
    pub capacity: Option<i64>,
    pub needs_approval: bool,
}

const CATEGORY_COLUMNS: &str =
    "id, event_id, position, name, mode, capacity, taken, needs_approval, waiting";

fn category_from(r: &Row) -> Result<Category, StoreError> {
    let mode = r.text(4)?;
    Ok(Category {
        id: r.int(0)?,
        event_id: r.int(1)?,
        position: r.int(2)?,
        name: r.text(3)?,
        mode: decode("participation mode", &mode, ParticipationMode::parse(&mode))?,
        capacity: r.opt_int(5)?,
        taken: r.int(6)?,
        needs_approval: r.bool(7)?,
        waiting: r.int(8)?,
    })
}

pub fn insert_category(
    tx: &mut Tx<'_>,
    event_id: i64,
    c: &CategoryFields<'_>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO registration_categories (event_id, position, name, mode, capacity, taken, needs_approval)
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM registration_categories WHERE event_id = $1),
                 $2, $3, $4, 0, $5)
         RETURNING id",
        params![event_id, c.name, c.mode.as_str(), c.capacity, c.needs_approval],
    )?
    .int(0)
}

/// Changes a category; the seats already taken stay taken (a capacity below them only
/// stops new seats from being given).
pub fn update_category(
    tx: &mut Tx<'_>,
    id: i64,
    c: &CategoryFields<'_>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE registration_categories SET name = $1, mode = $2, capacity = $3, needs_approval = $4 WHERE id = $5",
        params![c.name, c.mode.as_str(), c.capacity, c.needs_approval, id],
    )? == 1)
}

pub fn categories(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<Category>, StoreError> {
    tx.query(
        &format!(
            "SELECT {CATEGORY_COLUMNS} FROM registration_categories WHERE event_id = $1 ORDER BY position, id"
        ),
        params![event_id],
    )?
    .iter()
    .map(category_from)
    .collect()
}

/// The category, its row locked until the transaction ends (PostgreSQL; SQLite's
/// writer is alone anyway), so that its seats are counted by one transaction at a time.
pub fn lock_category(tx: &mut Tx<'_>, id: i64) -> Result<Option<Category>, StoreError> {
    tx.query_opt(
        &format!(
            "UPDATE registration_categories SET taken = taken WHERE id = $1 RETURNING {CATEGORY_COLUMNS}"
        ),
        params![id],
    )?
    .as_ref()
    .map(category_from)
    .transpose()
}

/// Takes one seat if one is free; `false` when the category is full.
pub fn take_seat(tx: &mut Tx<'_>, category_id: i64) -> Result<bool, StoreError> {
    Ok(tx
        .query_opt(
            "UPDATE registration_categories SET taken = taken + 1
             WHERE id = $1 AND (capacity IS NULL OR taken < capacity) RETURNING taken",
            params![category_id],
        )?
        .is_some())
}

/// Raises a limited category's capacity by one (a seat given by hand).
pub fn add_seat(tx: &mut Tx<'_>, category_id: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE registration_categories SET capacity = capacity + 1 WHERE id = $1 AND capacity IS NOT NULL",
        params![category_id],
    )?;
    Ok(())
}

/// Puts one more registration on the category's waiting list; returns its place (the
/// last).
pub fn join_waitlist(tx: &mut Tx<'_>, category_id: i64) -> Result<i64, StoreError> {
    tx.query_one(
        "UPDATE registration_categories SET waiting = waiting + 1 WHERE id = $1 RETURNING waiting",
        params![category_id],
    )?
    .int(0)
}

/// One registration leaves the waiting list (promoted, cancelled or rejected).
pub fn leave_waitlist(tx: &mut Tx<'_>, category_id: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE registration_categories SET waiting = waiting - 1 WHERE id = $1 AND waiting > 0",
        params![category_id],
    )?;
    Ok(())
}

/// Gives a seat back.
pub fn free_seat(tx: &mut Tx<'_>, category_id: i64) -> Result<(), StoreError> {
    let n = tx.execute(
        "UPDATE registration_categories SET taken = taken - 1 WHERE id = $1 AND taken > 0",
        params![category_id],
    )?;
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Decode(format!(
            "category {category_id} has no seat taken to free"
        )))
    }
}

// ------------------------------------------------------------------ questions

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionRow {
    pub id: i64,
    pub event_id: i64,
    pub position: i64,
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub options: Vec<String>,
}

pub struct QuestionFields<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub kind: FieldKind,
    pub required: bool,
    pub options: &'a [String],
}

fn question_from(r: &Row) -> Result<QuestionRow, StoreError> {
    let kind = r.text(5)?;
    Ok(QuestionRow {
        id: r.int(0)?,
        event_id: r.int(1)?,
        position: r.int(2)?,
        key: r.text(3)?,
        label: r.text(4)?,
        kind: decode("question kind", &kind, FieldKind::parse(&kind))?,
        required: r.bool(6)?,
        options: r
            .text(7)?
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

pub fn insert_question(
    tx: &mut Tx<'_>,
    event_id: i64,
    q: &QuestionFields<'_>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO registration_questions (event_id, position, key, label, kind, required, options)
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM registration_questions WHERE event_id = $1),
                 $2, $3, $4, $5, $6)
         RETURNING id",
        params![
            event_id,
            q.key,
            q.label,
            q.kind.as_str(),
            q.required,
            q.options.join("\n")
        ],
    )?
    .int(0)
}

pub fn delete_question(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "DELETE FROM registration_questions WHERE id = $1",
        params![id],
    )? == 1)
}

pub fn questions(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<QuestionRow>, StoreError> {
    tx.query(
        "SELECT id, event_id, position, key, label, kind, required, options
         FROM registration_questions WHERE event_id = $1 ORDER BY position, id",
        params![event_id],
    )?
    .iter()
    .map(question_from)
    .collect()
}

// ------------------------------------------------------------------ registrations

#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub id: i64,
    pub event_id: i64,
    pub category_id: i64,
    pub user_id: Option<i64>,
    pub email: String,
    pub family_name: String,
    pub given_name: String,
    pub organization: String,
    pub country: Option<String>,
    pub status: RegistrationStatus,
    /// Why it was rejected (or another note of the moderator).
    pub reason: String,
    /// When it joined the waiting list: the list is served in this order.
    pub waitlisted_at: Option<DateTime<Utc>>,
    /// The answers to the form's questions, as JSON (`{"key": ["value", ...]}`).
    pub answers: String,
    /// Consented to appear on the public participant list.
    pub listed: bool,
    pub badge_code: String,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_in_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub struct NewRegistration<'a> {
    pub event_id: i64,
    pub category_id: i64,
    pub user_id: Option<i64>,
    pub email: &'a str,
    pub email_key: &'a str,
    pub family_name: &'a str,
    pub given_name: &'a str,
    pub name_key: &'a str,
    pub organization: &'a str,
    pub country: Option<&'a str>,
    pub status: RegistrationStatus,
    pub answers: &'a str,
    pub listed: bool,
    pub badge_code: &'a str,
    pub manage_token_hash: &'a str,
}

const REGISTRATION_COLUMNS: &str = "id, event_id, category_id, user_id, email, family_name, given_name, organization, country, status, reason, waitlisted_at, answers, listed, badge_code, checked_in_at, checked_in_by, created_at, updated_at";

fn registration_from(r: &Row) -> Result<Registration, StoreError> {
    let status = r.text(9)?;
    Ok(Registration {
        id: r.int(0)?,
        event_id: r.int(1)?,
        category_id: r.int(2)?,
        user_id: r.opt_int(3)?,
        email: r.text(4)?,
        family_name: r.text(5)?,
        given_name: r.text(6)?,
        organization: r.text(7)?,
        country: r.opt_text(8)?,
        status: decode(
            "registration status",
            &status,
            RegistrationStatus::parse(&status),
        )?,
        reason: r.text(10)?,
        waitlisted_at: r.opt_time(11)?,
        answers: r.text(12)?,
        listed: r.bool(13)?,
        badge_code: r.text(14)?,
        checked_in_at: r.opt_time(15)?,
        checked_in_by: r.opt_text(16)?,
        created_at: r.time(17)?,
        updated_at: r.time(18)?,
    })
}

fn one(rows: Option<Row>) -> Result<Option<Registration>, StoreError> {
    rows.as_ref().map(registration_from).transpose()
}

/// Inserts a registration; `None` when the same e-mail address registered for the
/// event meanwhile (a double submit racing itself).
pub fn insert_registration(
    tx: &mut Tx<'_>,
    n: &NewRegistration<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Registration>, StoreError> {
    let waitlisted_at = (n.status == RegistrationStatus::Waitlisted).then_some(now);
    tx.query_opt(
        &format!(
            "INSERT INTO registrations (event_id, category_id, user_id, email, email_key, family_name, given_name,
           name_key, organization, country, status, reason, waitlisted_at, answers, listed, badge_code,
           manage_token_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', $12, $13, $14, $15, $16, $17, $17)
         ON CONFLICT (event_id, email_key) DO NOTHING
         RETURNING {REGISTRATION_COLUMNS}"
        ),
        params![
            n.event_id,
            n.category_id,
            n.user_id,
            n.email,
            n.email_key,
            n.family_name,
            n.given_name,
            n.name_key,
            n.organization,
            n.country,
            n.status.as_str(),
            waitlisted_at,
            n.answers,
            n.listed,
            n.badge_code,
            n.manage_token_hash,
            now
        ],
    )?
    .as_ref()
    .map(registration_from)
    .transpose()
}

pub fn registration(tx: &mut Tx<'_>, id: i64) -> Result<Option<Registration>, StoreError> {
    one(tx.query_opt(
        &format!("SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE id = $1"),
        params![id],
    )?)
}

pub fn by_email_key(
    tx: &mut Tx<'_>,
    event_id: i64,
    email_key: &str,
) -> Result<Option<Registration>, StoreError> {
    one(tx.query_opt(
        &format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE event_id = $1 AND email_key = $2"
        ),
        params![event_id, email_key],
    )?)
}

pub fn by_manage_token(
    tx: &mut Tx<'_>,
    token_hash: &str,
) -> Result<Option<Registration>, StoreError> {
    one(tx.query_opt(
        &format!("SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE manage_token_hash = $1"),
        params![token_hash],
    )?)
}

pub fn by_badge(tx: &mut Tx<'_>, badge_code: &str) -> Result<Option<Registration>, StoreError> {
    one(tx.query_opt(
        &format!("SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE badge_code = $1"),
        params![badge_code],
    )?)
}

pub fn of_user(tx: &mut Tx<'_>, user_id: i64) -> Result<Vec<Registration>, StoreError> {
    tx.query(
        &format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE user_id = $1 ORDER BY created_at DESC"
        ),
        params![user_id],
    )?
    .iter()
    .map(registration_from)
    .collect()
}

/// Moves a registration to another status (the seat is the caller's business).
pub fn set_status(
    tx: &mut Tx<'_>,
    id: i64,
    status: RegistrationStatus,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let waitlisted_at = (status == RegistrationStatus::Waitlisted).then_some(now);
    Ok(tx.execute(
        "UPDATE registrations SET status = $1, reason = $2,
           waitlisted_at = CASE WHEN $1 = 'waitlisted' THEN COALESCE(waitlisted_at, $3) ELSE NULL END,
           updated_at = $4
         WHERE id = $5",
        params![status.as_str(), reason, waitlisted_at, now, id],
    )? == 1)
}

/// What a registrant may change themselves.
pub struct Details<'a> {
    pub family_name: &'a str,
    pub given_name: &'a str,
    pub name_key: &'a str,
    pub organization: &'a str,
    pub country: Option<&'a str>,
    pub answers: &'a str,
    pub listed: bool,
}

pub fn update_details(
    tx: &mut Tx<'_>,
    id: i64,
    d: &Details<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE registrations SET family_name = $1, given_name = $2, name_key = $3, organization = $4,
           country = $5, answers = $6, listed = $7, updated_at = $8
         WHERE id = $9",
        params![
            d.family_name,
            d.given_name,
            d.name_key,
            d.organization,
            d.country,
            d.answers,
            d.listed,
            now,
            id
        ],
    )? == 1)
}

/// A cancelled registration registering again: it gets a new place in the queue.
pub fn renew(
    tx: &mut Tx<'_>,
    id: i64,
    category_id: i64,
    status: RegistrationStatus,
    d: &Details<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    update_details(tx, id, d, now)?;
    tx.execute(
        "UPDATE registrations SET category_id = $1, waitlisted_at = NULL WHERE id = $2",
        params![category_id, id],
    )?;
    set_status(tx, id, status, "", now)
}

/// The head of a category's waiting list.
pub fn first_waitlisted(
    tx: &mut Tx<'_>,
    category_id: i64,
) -> Result<Option<Registration>, StoreError> {
    one(tx.query_opt(
        &format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations
             WHERE category_id = $1 AND status = 'waitlisted'
             ORDER BY waitlisted_at, id LIMIT 1"
        ),
        params![category_id],
    )?)
}

/// A waiting registration's place in its category's queue (1 = next).
pub fn waitlist_position(tx: &mut Tx<'_>, r: &Registration) -> Result<i64, StoreError> {
    let Some(at) = r.waitlisted_at else {
        return Ok(0);
    };
    tx.query_one(
        "SELECT COUNT(*) FROM registrations WHERE category_id = $1 AND status = 'waitlisted'
           AND (waitlisted_at < $2 OR (waitlisted_at = $2 AND id <= $3))",
        params![r.category_id, at, r.id],
    )?
    .int(0)
}

/// Marks the registration as checked in, the first time only; returns when it was.
pub fn check_in(
    tx: &mut Tx<'_>,
    id: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, StoreError> {
    tx.execute(
        "UPDATE registrations SET checked_in_at = $1, checked_in_by = $2 WHERE id = $3 AND checked_in_at IS NULL",
        params![now, by, id],
    )?;
    tx.query_one(
        "SELECT checked_in_at FROM registrations WHERE id = $1",
        params![id],
    )?
    .time(0)
}

/// Filters of the secretariat's list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter<'a> {
    /// A folded name or e-mail fragment (see `search_key`).
    pub search: &'a str,
    pub status: Option<RegistrationStatus>,
    pub category_id: Option<i64>,
}

/// The filter's condition, the event's id being `$1`; `event` is how the condition
/// names the event column (see `batch_after`).
fn filter_sql(f: &ListFilter<'_>, event: &str) -> (String, Vec<crate::Value>) {
    let mut sql = format!("{event} = $1");
    let mut values: Vec<crate::Value> = Vec::new();
    if !f.search.is_empty() {
        values.push(format!("%{}%", f.search.replace(['%', '_'], "")).into());
        let n = values.len() + 1;
        sql.push_str(&format!(" AND (name_key LIKE ${n} OR email_key LIKE ${n})"));
    }
    if let Some(status) = f.status {
        values.push(status.as_str().into());
        sql.push_str(&format!(" AND status = ${}", values.len() + 1));
    }
    if let Some(category) = f.category_id {
        values.push(category.into());
        sql.push_str(&format!(" AND category_id = ${}", values.len() + 1));
    }
    (sql, values)
}

/// One page of an event's registrations (oldest first) and how many match in all.
pub fn list(
    tx: &mut Tx<'_>,
    event_id: i64,
    filter: &ListFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Registration>, i64), StoreError> {
    let (condition, rest) = filter_sql(filter, "event_id");
    let mut values: Vec<crate::Value> = vec![event_id.into()];
    values.extend(rest);
    let (rows, total) = tx.page(
        &crate::PageQuery {
            columns: REGISTRATION_COLUMNS,
            from: "registrations",
            condition: &condition,
            order: "id",
        },
        values,
        limit,
        offset,
    )?;
    Ok((
        rows.iter()
            .map(registration_from)
            .collect::<Result<_, _>>()?,
        total,
    ))
}

/// The next `limit` registrations of the event that match `filter`, after `after_id`
/// in id order: the same rows as [`list`], read page by page for streaming exports.
/// Keyset pagination: each page is one range scan from the last id seen, as fast for
/// the thousandth page as for the first (OFFSET would rescan every earlier row), and
/// each page may be read in a transaction of its own.
///
/// Without a status, the event is matched as `+event_id`: the unary plus keeps the
/// planner off the indexes that start with `event_id` (SQLite otherwise took
/// `registrations_name` and sorted every registration of the event for each page,
/// quadratic: 2.4 s instead of 0.6 s for 100,000 rows) and on the primary key, a
/// range scan from the last id. With a status, `registrations_event_status`
/// (event_id, status, id) serves the range directly.
pub fn batch_after(
    tx: &mut Tx<'_>,
    event_id: i64,
    filter: &ListFilter<'_>,
    after_id: i64,
    limit: i64,
) -> Result<Vec<Registration>, StoreError> {
    let event = if filter.status.is_some() {
        "event_id"
    } else {
        "+event_id"
    };
    let (condition, rest) = filter_sql(filter, event);
    let mut values: Vec<crate::Value> = vec![event_id.into()];
    values.extend(rest);
    let n = values.len();
    values.push(after_id.into());
    values.push(limit.into());
    tx.query(
        &format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE {condition} AND id > ${}
             ORDER BY id LIMIT ${}",
            n + 1,
            n + 2
        ),
        &values,
    )?
    .iter()
    .map(registration_from)
    .collect()
}

/// How many registrations of the event are in each status.
pub fn status_counts(
    tx: &mut Tx<'_>,
    event_id: i64,
) -> Result<Vec<(RegistrationStatus, i64)>, StoreError> {
    let rows = tx.query(
        "SELECT status, COUNT(*) FROM registrations WHERE event_id = $1 GROUP BY status",
        params![event_id],
    )?;
    let mut counts = Vec::new();
    for r in &rows {
        let status = r.text(0)?;
        counts.push((
            decode(
                "registration status",
                &status,
                RegistrationStatus::parse(&status),
            )?,
            r.int(1)?,
        ));
    }
    counts.sort();
    Ok(counts)
}

/// The confirmed participants who consented to be listed, by family name.
pub fn public_list(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<Registration>, StoreError> {
    tx.query(
        &format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations
             WHERE event_id = $1 AND status = 'confirmed' AND listed = $2
             ORDER BY name_key, id"
        ),
        params![event_id, true],
    )?
    .iter()
    .map(registration_from)
    .collect()
}

/// A new management link (the old one stops working).
pub fn set_manage_token(tx: &mut Tx<'_>, id: i64, token_hash: &str) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE registrations SET manage_token_hash = $1 WHERE id = $2",
        params![token_hash, id],
    )? == 1)
}
