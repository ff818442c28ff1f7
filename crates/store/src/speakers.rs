//! The people of programme sessions linked to accounts: a speaker or moderator who
//! accepted an invitation to a session has their row linked to their account and their
//! directory entry. Rows are matched by their person key (the name's search key), so a
//! link survives the secretariat's edits of the session's people.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};

/// A person row of a session with its link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerRow {
    pub session_id: i64,
    pub name: String,
    pub person_key: String,
    pub role: String,
    pub user_id: Option<i64>,
    pub person_id: Option<i64>,
    /// The linked account's display name.
    pub account_name: Option<String>,
}

/// A session a linked person takes part in, with where and when it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedSession {
    pub event_id: i64,
    pub event_title: String,
    pub event_time_zone: String,
    pub session_id: i64,
    pub title: String,
    pub role: String,
    pub duration: i64,
    pub starts_at: Option<DateTime<Utc>>,
    pub room: Option<String>,
}

fn speaker_from(r: &Row) -> Result<SpeakerRow, StoreError> {
    Ok(SpeakerRow {
        session_id: r.int(0)?,
        name: r.text(1)?,
        person_key: r.text(2)?,
        role: r.text(3)?,
        user_id: r.opt_int(4)?,
        person_id: r.opt_int(5)?,
        account_name: r.opt_text(6)?,
    })
}

/// The people of a session in order, with their links.
pub fn session_people(tx: &mut Tx<'_>, session_id: i64) -> Result<Vec<SpeakerRow>, StoreError> {
    tx.query(
        "SELECT p.session_id, p.name, p.person_key, p.role, p.user_id, p.person_id, u.display_name
         FROM programme_people p LEFT JOIN users u ON u.id = p.user_id
         WHERE p.session_id = $1 ORDER BY p.position",
        params![session_id],
    )?
    .iter()
    .map(speaker_from)
    .collect()
}

/// Puts back links read by [`session_people`] before a session's people were replaced:
/// each onto the row with the same person key, if it is still there.
pub fn restore_links(
    tx: &mut Tx<'_>,
    session_id: i64,
    kept: &[SpeakerRow],
) -> Result<(), StoreError> {
    for row in kept
        .iter()
        .filter(|r| r.user_id.is_some() || r.person_id.is_some())
    {
        link(tx, session_id, &row.person_key, row.user_id, row.person_id)?;
    }
    Ok(())
}

/// Links the row of `person_key` in the session; false if the session has no such row.
pub fn link(
    tx: &mut Tx<'_>,
    session_id: i64,
    person_key: &str,
    user_id: Option<i64>,
    person_id: Option<i64>,
) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE programme_people SET user_id = $1, person_id = $2
         WHERE session_id = $3 AND person_key = $4",
        params![user_id, person_id, session_id, person_key],
    )?;
    Ok(n == 1)
}

/// Adds a person after the session's last one, linked.
#[allow(clippy::too_many_arguments)]
pub fn append_linked(
    tx: &mut Tx<'_>,
    session_id: i64,
    name: &str,
    person_key: &str,
    role: &str,
    user_id: i64,
    person_id: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO programme_people (session_id, position, name, person_key, role, online, user_id, person_id)
         SELECT $1, COALESCE(MAX(position), -1) + 1, $2, $3, $4, FALSE, $5, $6
         FROM programme_people WHERE session_id = $1",
        params![session_id, name, person_key, role, user_id, person_id],
    )?;
    Ok(())
}

/// The sessions the account is linked to, soonest first (unplaced ones last).
pub fn sessions_of_user(tx: &mut Tx<'_>, user_id: i64) -> Result<Vec<LinkedSession>, StoreError> {
    let mut rows = tx
        .query(
            "SELECT e.id, e.title, e.time_zone, s.id, s.title, p.role, s.duration, t.starts_at, r.name
             FROM programme_people p
             JOIN programme_sessions s ON s.id = p.session_id
             JOIN events e ON e.id = s.event_id
             LEFT JOIN programme_timeslots t ON t.id = s.timeslot_id
             LEFT JOIN programme_rooms r ON r.id = s.room_id
             WHERE p.user_id = $1
             ORDER BY s.id",
            params![user_id],
        )?
        .iter()
        .map(|r| {
            Ok(LinkedSession {
                event_id: r.int(0)?,
                event_title: r.text(1)?,
                event_time_zone: r.text(2)?,
                session_id: r.int(3)?,
                title: r.text(4)?,
                role: r.text(5)?,
                duration: r.int(6)?,
                starts_at: r.opt_time(7)?,
                room: r.opt_text(8)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // Sorted here: the backends order NULLs differently.
    rows.sort_by_key(|s| (s.starts_at.is_none(), s.starts_at, s.session_id));
    Ok(rows)
}
