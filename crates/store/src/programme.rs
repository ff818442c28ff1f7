//! The programme of an event: rooms, timeslots, sessions with their people and
//! placement, people's unavailability, whether it is published and the scheduler's
//! weights (JSON).

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};

// ------------------------------------------------------------------ the event's settings

/// Whether the programme is public, and the scheduler's weights (JSON object).
pub fn settings(tx: &mut Tx<'_>, event_id: i64) -> Result<Option<(bool, String)>, StoreError> {
    tx.query_opt(
        "SELECT programme_published, schedule_weights FROM events WHERE id = $1",
        params![event_id],
    )?
    .map(|r| Ok((r.bool(0)?, r.text(1)?)))
    .transpose()
}

pub fn set_published(tx: &mut Tx<'_>, event_id: i64, published: bool) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE events SET programme_published = $2 WHERE id = $1",
        params![event_id, published],
    )? == 1)
}

pub fn set_weights(tx: &mut Tx<'_>, event_id: i64, weights: &str) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE events SET schedule_weights = $2 WHERE id = $1",
        params![event_id, weights],
    )? == 1)
}

// ------------------------------------------------------------------ rooms

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub id: i64,
    pub event_id: i64,
    pub name: String,
    pub capacity: i64,
    pub hybrid: bool,
}

pub fn insert_room(
    tx: &mut Tx<'_>,
    event_id: i64,
    name: &str,
    capacity: i64,
    hybrid: bool,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO programme_rooms (event_id, position, name, capacity, hybrid)
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM programme_rooms WHERE event_id = $1), $2, $3, $4)
         RETURNING id",
        params![event_id, name, capacity, hybrid],
    )?
    .int(0)
}

pub fn update_room(
    tx: &mut Tx<'_>,
    id: i64,
    name: &str,
    capacity: i64,
    hybrid: bool,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE programme_rooms SET name = $2, capacity = $3, hybrid = $4 WHERE id = $1",
        params![id, name, capacity, hybrid],
    )? == 1)
}

/// Deletes a room; its sessions become unplaced.
pub fn delete_room(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    tx.execute(
        "UPDATE programme_sessions SET room_id = NULL, timeslot_id = NULL, pinned = FALSE WHERE room_id = $1",
        params![id],
    )?;
    Ok(tx.execute("DELETE FROM programme_rooms WHERE id = $1", params![id])? == 1)
}

pub fn rooms(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<Room>, StoreError> {
    tx.query(
        "SELECT id, event_id, name, capacity, hybrid FROM programme_rooms WHERE event_id = $1
         ORDER BY position, id",
        params![event_id],
    )?
    .iter()
    .map(|r| {
        Ok(Room {
            id: r.int(0)?,
            event_id: r.int(1)?,
            name: r.text(2)?,
            capacity: r.int(3)?,
            hybrid: r.bool(4)?,
        })
    })
    .collect()
}

// ------------------------------------------------------------------ timeslots

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeslot {
    pub id: i64,
    pub event_id: i64,
    pub starts_at: DateTime<Utc>,
    pub minutes: i64,
}

pub fn insert_timeslot(
    tx: &mut Tx<'_>,
    event_id: i64,
    starts_at: DateTime<Utc>,
    minutes: i64,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO programme_timeslots (event_id, starts_at, minutes) VALUES ($1, $2, $3) RETURNING id",
        params![event_id, starts_at, minutes],
    )?
    .int(0)
}

/// Deletes a timeslot; its sessions become unplaced.
pub fn delete_timeslot(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    tx.execute(
        "UPDATE programme_sessions SET room_id = NULL, timeslot_id = NULL, pinned = FALSE WHERE timeslot_id = $1",
        params![id],
    )?;
    Ok(tx.execute("DELETE FROM programme_timeslots WHERE id = $1", params![id])? == 1)
}

pub fn timeslots(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<Timeslot>, StoreError> {
    tx.query(
        "SELECT id, event_id, starts_at, minutes FROM programme_timeslots WHERE event_id = $1
         ORDER BY starts_at, id",
        params![event_id],
    )?
    .iter()
    .map(|r| {
        Ok(Timeslot {
            id: r.int(0)?,
            event_id: r.int(1)?,
            starts_at: r.time(2)?,
            minutes: r.int(3)?,
        })
    })
    .collect()
}

// ------------------------------------------------------------------ sessions

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub event_id: i64,
    pub title: String,
    pub session_type: String,
    pub theme: String,
    pub description: String,
    pub duration: i64,
    pub expected_audience: i64,
    pub format: String,
    pub language: String,
    pub submission_id: Option<i64>,
    pub room_id: Option<i64>,
    pub timeslot_id: Option<i64>,
    pub pinned: bool,
    /// Placed by hand against a hard rule: shown as a conflict until moved.
    pub overridden: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// The public stream, if any. (The join link is read apart, by [`join_urls`], so
    /// that it only goes where it is allowed.)
    pub stream_url: Option<String>,
}

pub struct SessionFields<'a> {
    pub title: &'a str,
    pub session_type: &'a str,
    pub theme: &'a str,
    pub description: &'a str,
    pub duration: i64,
    pub expected_audience: i64,
    pub format: &'a str,
    pub language: &'a str,
    pub join_url: Option<&'a str>,
    pub stream_url: Option<&'a str>,
}

const SESSION_COLUMNS: &str = "id, event_id, title, session_type, theme, description, duration, expected_audience, format, language, submission_id, room_id, timeslot_id, pinned, overridden, created_at, updated_at, version, stream_url";

fn session_from(r: &Row) -> Result<Session, StoreError> {
    Ok(Session {
        id: r.int(0)?,
        event_id: r.int(1)?,
        title: r.text(2)?,
        session_type: r.text(3)?,
        theme: r.text(4)?,
        description: r.text(5)?,
        duration: r.int(6)?,
        expected_audience: r.int(7)?,
        format: r.text(8)?,
        language: r.text(9)?,
        submission_id: r.opt_int(10)?,
        room_id: r.opt_int(11)?,
        timeslot_id: r.opt_int(12)?,
        pinned: r.bool(13)?,
        overridden: r.bool(14)?,
        created_at: r.time(15)?,
        updated_at: r.time(16)?,
        version: r.int(17)?,
        stream_url: r.opt_text(18)?,
    })
}

pub fn insert_session(
    tx: &mut Tx<'_>,
    event_id: i64,
    f: &SessionFields<'_>,
    submission_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO programme_sessions (event_id, title, session_type, theme, description, duration,
           expected_audience, format, language, submission_id, pinned, overridden, created_at, updated_at, version,
           join_url, stream_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, FALSE, FALSE, $11, $11, 1, $12, $13) RETURNING id",
        params![
            event_id,
            f.title,
            f.session_type,
            f.theme,
            f.description,
            f.duration,
            f.expected_audience,
            f.format,
            f.language,
            submission_id,
            now,
            f.join_url,
            f.stream_url
        ],
    )?
    .int(0)
}

/// Changes a session if it is still at `version`.
pub fn update_session(
    tx: &mut Tx<'_>,
    id: i64,
    version: i64,
    f: &SessionFields<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE programme_sessions SET title = $3, session_type = $4, theme = $5, description = $6,
           duration = $7, expected_audience = $8, format = $9, language = $10, updated_at = $11,
           join_url = $12, stream_url = $13, version = version + 1
         WHERE id = $1 AND version = $2",
        params![
            id,
            version,
            f.title,
            f.session_type,
            f.theme,
            f.description,
            f.duration,
            f.expected_audience,
            f.format,
            f.language,
            now,
            f.join_url,
            f.stream_url
        ],
    )? == 1)
}

/// The links to join the event's sessions online, by session, for those that have one.
/// Only for those entitled to them: the caller decides.
pub fn join_urls(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
    tx.query(
        "SELECT id, join_url FROM programme_sessions
         WHERE event_id = $1 AND join_url IS NOT NULL ORDER BY id",
        params![event_id],
    )?
    .iter()
    .map(|r| Ok((r.int(0)?, r.text(1)?)))
    .collect()
}

/// An event's own links for remote participation, which serve the sessions that have
/// none: (join, stream).
pub fn event_links(
    tx: &mut Tx<'_>,
    event_id: i64,
) -> Result<(Option<String>, Option<String>), StoreError> {
    match tx.query_opt(
        "SELECT join_url, stream_url FROM events WHERE id = $1",
        params![event_id],
    )? {
        Some(r) => Ok((r.opt_text(0)?, r.opt_text(1)?)),
        None => Ok((None, None)),
    }
}

pub fn set_event_links(
    tx: &mut Tx<'_>,
    event_id: i64,
    join_url: Option<&str>,
    stream_url: Option<&str>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE events SET join_url = $2, stream_url = $3 WHERE id = $1",
        params![event_id, join_url, stream_url],
    )? == 1)
}

pub fn delete_session(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute("DELETE FROM programme_sessions WHERE id = $1", params![id])? == 1)
}

pub fn session(tx: &mut Tx<'_>, id: i64) -> Result<Option<Session>, StoreError> {
    tx.query_opt(
        &format!("SELECT {SESSION_COLUMNS} FROM programme_sessions WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(session_from)
    .transpose()
}

pub fn sessions(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<Session>, StoreError> {
    tx.query(
        &format!(
            "SELECT {SESSION_COLUMNS} FROM programme_sessions WHERE event_id = $1 ORDER BY id"
        ),
        params![event_id],
    )?
    .iter()
    .map(session_from)
    .collect()
}

/// Places a session (or takes it out with `None`); false when the slot is taken.
pub fn place(
    tx: &mut Tx<'_>,
    id: i64,
    slot: Option<(i64, i64)>,
    overridden: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (room, timeslot) = slot.unzip();
    // A session taken out of the timetable is no longer pinned.
    let keep_pin = slot.is_some();
    tx.execute(
        "UPDATE programme_sessions SET room_id = $2, timeslot_id = $3, overridden = $4,
           pinned = (pinned AND $6), updated_at = $5, version = version + 1
         WHERE id = $1",
        params![id, room, timeslot, overridden, now, keep_pin],
    )?;
    Ok(())
}

pub fn set_pinned(tx: &mut Tx<'_>, id: i64, pinned: bool) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE programme_sessions SET pinned = $2 WHERE id = $1 AND room_id IS NOT NULL",
        params![id, pinned],
    )? == 1)
}

/// Takes every session that is not pinned out of its slot (before a scheduler's
/// placements are written back).
pub fn unplace_unpinned(tx: &mut Tx<'_>, event_id: i64) -> Result<u64, StoreError> {
    tx.execute(
        "UPDATE programme_sessions SET room_id = NULL, timeslot_id = NULL, overridden = FALSE
         WHERE event_id = $1 AND NOT pinned",
        params![event_id],
    )
}

// ------------------------------------------------------------------ people

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub session_id: i64,
    pub name: String,
    pub person_key: String,
    pub role: String,
    pub online: bool,
    pub time_zone: Option<String>,
}

/// Replaces a session's people (in order); the links of rows to accounts stay on the
/// rows with the same person key.
pub fn set_people(
    tx: &mut Tx<'_>,
    session_id: i64,
    people: &[PersonRow],
) -> Result<(), StoreError> {
    let linked = crate::speakers::session_people(tx, session_id)?;
    tx.execute(
        "DELETE FROM programme_people WHERE session_id = $1",
        params![session_id],
    )?;
    for (position, p) in (0i64..).zip(people) {
        tx.execute(
            "INSERT INTO programme_people (session_id, position, name, person_key, role, online, time_zone)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            params![
                session_id,
                position,
                p.name.as_str(),
                p.person_key.as_str(),
                p.role.as_str(),
                p.online,
                p.time_zone.as_deref()
            ],
        )?;
    }
    crate::speakers::restore_links(tx, session_id, &linked)
}

/// The people of every session of an event, by session then position.
pub fn people(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<PersonRow>, StoreError> {
    tx.query(
        "SELECT p.session_id, p.name, p.person_key, p.role, p.online, p.time_zone
         FROM programme_people p JOIN programme_sessions s ON s.id = p.session_id
         WHERE s.event_id = $1 ORDER BY p.session_id, p.position",
        params![event_id],
    )?
    .iter()
    .map(|r| {
        Ok(PersonRow {
            session_id: r.int(0)?,
            name: r.text(1)?,
            person_key: r.text(2)?,
            role: r.text(3)?,
            online: r.bool(4)?,
            time_zone: r.opt_text(5)?,
        })
    })
    .collect()
}

// ------------------------------------------------------------------ unavailability

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailability {
    pub id: i64,
    pub event_id: i64,
    pub person_key: String,
    pub name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

pub fn insert_unavailability(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_key: &str,
    name: &str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO programme_unavailability (event_id, person_key, name, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        params![event_id, person_key, name, starts_at, ends_at],
    )?
    .int(0)
}

pub fn delete_unavailability(tx: &mut Tx<'_>, event_id: i64, id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "DELETE FROM programme_unavailability WHERE id = $1 AND event_id = $2",
        params![id, event_id],
    )? == 1)
}

pub fn unavailability(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<Unavailability>, StoreError> {
    tx.query(
        "SELECT id, event_id, person_key, name, starts_at, ends_at FROM programme_unavailability
         WHERE event_id = $1 ORDER BY name, starts_at, id",
        params![event_id],
    )?
    .iter()
    .map(|r| {
        Ok(Unavailability {
            id: r.int(0)?,
            event_id: r.int(1)?,
            person_key: r.text(2)?,
            name: r.text(3)?,
            starts_at: r.time(4)?,
            ends_at: r.time(5)?,
        })
    })
    .collect()
}

// ------------------------------------------------------------------ version (public caches)

/// What changes whenever the event or its programme changes: every such change writes
/// an audit entry aimed at the event in its own transaction, so the newest entry's id
/// and the number of entries for the event move with each commit (the number also
/// when PostgreSQL commits ids out of order). Read through the
/// `audit_log_target` index.
pub fn version(tx: &mut Tx<'_>, event_id: i64) -> Result<(i64, i64), StoreError> {
    let row = tx.query_one(
        "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM audit_log
         WHERE target_kind = 'event' AND target_id = $1",
        params![event_id.to_string()],
    )?;
    Ok((row.int(0)?, row.int(1)?))
}

// ------------------------------------------------------------------ releases

/// A release of the programme without its snapshot (for lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub id: i64,
    pub event_id: i64,
    /// 1, 2, … in the order of publication (per event).
    pub number: i64,
    /// As the secretariat named it: "1", "0.9 draft for MAG".
    pub version: String,
    pub comment: String,
    pub author: String,
    pub published_at: DateTime<Utc>,
    pub added: i64,
    pub moved: i64,
    pub removed: i64,
    pub retitled: i64,
    /// Placed sessions in it.
    pub sessions: i64,
}

pub struct NewRelease<'a> {
    pub event_id: i64,
    pub version: &'a str,
    /// The version's key for uniqueness (case and accents aside).
    pub version_key: &'a str,
    pub comment: &'a str,
    pub author: &'a str,
    pub published_at: DateTime<Utc>,
    pub added: i64,
    pub moved: i64,
    pub removed: i64,
    pub retitled: i64,
    pub sessions: i64,
    pub snapshot: &'a str,
}

const RELEASE_COLUMNS: &str = "id, event_id, number, version, comment, author, published_at, added, moved, removed, retitled, sessions";

fn release_from(r: &Row) -> Result<Release, StoreError> {
    Ok(Release {
        id: r.int(0)?,
        event_id: r.int(1)?,
        number: r.int(2)?,
        version: r.text(3)?,
        comment: r.text(4)?,
        author: r.text(5)?,
        published_at: r.time(6)?,
        added: r.int(7)?,
        moved: r.int(8)?,
        removed: r.int(9)?,
        retitled: r.int(10)?,
        sessions: r.int(11)?,
    })
}

/// Writes a release with the next number of its event; a version key the event has
/// already is `StoreError::Conflict`.
pub fn insert_release(tx: &mut Tx<'_>, r: &NewRelease<'_>) -> Result<Release, StoreError> {
    let row = tx.query_one(
        &format!(
            "INSERT INTO programme_releases (event_id, number, version, version_key, comment, author,
               published_at, added, moved, removed, retitled, sessions, snapshot)
             VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM programme_releases WHERE event_id = $1),
               $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             RETURNING {RELEASE_COLUMNS}"
        ),
        params![
            r.event_id,
            r.version,
            r.version_key,
            r.comment,
            r.author,
            r.published_at,
            r.added,
            r.moved,
            r.removed,
            r.retitled,
            r.sessions,
            r.snapshot
        ],
    )?;
    release_from(&row)
}

/// The releases of an event, newest first.
pub fn releases(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<Release>, StoreError> {
    tx.query(
        &format!(
            "SELECT {RELEASE_COLUMNS} FROM programme_releases WHERE event_id = $1 ORDER BY number DESC"
        ),
        params![event_id],
    )?
    .iter()
    .map(release_from)
    .collect()
}

/// A release with its snapshot: the one numbered `number`, or the newest with `None`.
pub fn release_with_snapshot(
    tx: &mut Tx<'_>,
    event_id: i64,
    number: Option<i64>,
) -> Result<Option<(Release, String)>, StoreError> {
    let row = match number {
        Some(n) => tx.query_opt(
            &format!(
                "SELECT {RELEASE_COLUMNS}, snapshot FROM programme_releases WHERE event_id = $1 AND number = $2"
            ),
            params![event_id, n],
        )?,
        None => tx.query_opt(
            &format!(
                "SELECT {RELEASE_COLUMNS}, snapshot FROM programme_releases WHERE event_id = $1
                 ORDER BY number DESC LIMIT 1"
            ),
            params![event_id],
        )?,
    };
    row.map(|r| Ok((release_from(&r)?, r.text(12)?)))
        .transpose()
}

/// Whether the event has a release with this version key.
pub fn release_version_taken(
    tx: &mut Tx<'_>,
    event_id: i64,
    version_key: &str,
) -> Result<bool, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM programme_releases WHERE event_id = $1 AND version_key = $2",
            params![event_id, version_key],
        )?
        .is_some())
}

/// Events whose programme is public but that have no release yet (published before
/// releases existed).
pub fn published_without_release(tx: &mut Tx<'_>) -> Result<Vec<i64>, StoreError> {
    tx.query(
        "SELECT e.id FROM events e WHERE e.programme_published
           AND NOT EXISTS (SELECT 1 FROM programme_releases r WHERE r.event_id = e.id)
         ORDER BY e.id",
        params![],
    )?
    .iter()
    .map(|r| r.int(0))
    .collect()
}
