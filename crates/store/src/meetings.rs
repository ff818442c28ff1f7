//! Meetings, rooms, agenda days and items, attendance.

use crate::{Row, StoreError, Tx, Value, params};
use chrono::{DateTime, NaiveDate, Utc};
use plenary_domain::meetings::{AttendanceStatus, MeetingKind, MeetingMode};

use crate::error::decode;

fn lines(text: String) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn joined(lines: &[String]) -> String {
    lines.join("\n")
}

fn date(raw: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|e| StoreError::Decode(format!("date {raw:?}: {e}")))
}

// ------------------------------------------------------------------ meetings

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub body_id: i64,
    pub title: String,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    pub venue: String,
    pub time_zone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub description: String,
    pub published: bool,
    pub updated_at: DateTime<Utc>,
    /// The public stream, if any. (The join link is read apart, by [`join_url`], so that
    /// it only goes where it is allowed.)
    pub stream_url: Option<String>,
}

#[derive(Clone, Copy)]
pub struct MeetingFields<'a> {
    pub body_id: i64,
    pub title: &'a str,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    pub venue: &'a str,
    pub time_zone: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub description: &'a str,
    pub published: bool,
    pub join_url: Option<&'a str>,
    pub stream_url: Option<&'a str>,
}

const MEETING_COLUMNS: &str = "id, body_id, title, kind, mode, venue, time_zone, starts_at, ends_at, description, published, updated_at, stream_url";

fn meeting_from(r: &Row) -> Result<Meeting, StoreError> {
    let kind = r.text(3)?;
    let mode = r.text(4)?;
    Ok(Meeting {
        id: r.int(0)?,
        body_id: r.int(1)?,
        title: r.text(2)?,
        kind: decode("meeting kind", &kind, MeetingKind::parse(&kind))?,
        mode: decode("meeting mode", &mode, MeetingMode::parse(&mode))?,
        venue: r.text(5)?,
        time_zone: r.text(6)?,
        starts_at: r.time(7)?,
        ends_at: r.time(8)?,
        description: r.text(9)?,
        published: r.bool(10)?,
        updated_at: r.time(11)?,
        stream_url: r.opt_text(12)?,
    })
}

fn meeting_values(m: &MeetingFields<'_>) -> Vec<Value> {
    vec![
        m.body_id.into(),
        m.title.into(),
        m.kind.as_str().into(),
        m.mode.as_str().into(),
        m.venue.into(),
        m.time_zone.into(),
        m.starts_at.into(),
        m.ends_at.into(),
        m.description.into(),
        m.published.into(),
        m.join_url.into(),
        m.stream_url.into(),
    ]
}

pub fn insert_meeting(
    tx: &mut Tx<'_>,
    m: &MeetingFields<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut values = meeting_values(m);
    values.push(now.into());
    tx.query_one(
        "INSERT INTO meetings (body_id, title, kind, mode, venue, time_zone, starts_at, ends_at, description, published, join_url, stream_url, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        &values,
    )?
    .int(0)
}

pub fn update_meeting(
    tx: &mut Tx<'_>,
    id: i64,
    m: &MeetingFields<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut values = meeting_values(m);
    values.push(now.into());
    values.push(id.into());
    let n = tx.execute(
        "UPDATE meetings SET body_id = $1, title = $2, kind = $3, mode = $4, venue = $5, time_zone = $6, starts_at = $7,
           ends_at = $8, description = $9, published = $10, join_url = $11, stream_url = $12,
           updated_at = $13 WHERE id = $14",
        &values,
    )?;
    Ok(n == 1)
}

/// Marks the meeting changed (its agenda or attendance), for calendar SEQUENCE/caches.
pub fn touch_meeting(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE meetings SET updated_at = $1 WHERE id = $2",
        params![now, id],
    )?;
    Ok(())
}

pub fn meeting(tx: &mut Tx<'_>, id: i64) -> Result<Option<Meeting>, StoreError> {
    tx.query_opt(
        &format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(meeting_from)
    .transpose()
}

/// The meeting's link to join online, if it has one. Only for those entitled to it:
/// the caller decides.
pub fn join_url(tx: &mut Tx<'_>, id: i64) -> Result<Option<String>, StoreError> {
    match tx.query_opt("SELECT join_url FROM meetings WHERE id = $1", params![id])? {
        Some(r) => r.opt_text(0),
        None => Ok(None),
    }
}

/// Meetings of one body (or all), newest first; only published ones unless `all`.
pub fn meetings(
    tx: &mut Tx<'_>,
    body_id: Option<i64>,
    include_unpublished: bool,
) -> Result<Vec<Meeting>, StoreError> {
    tx.query(
        &format!(
            "SELECT {MEETING_COLUMNS} FROM meetings
             WHERE (CAST($1 AS BIGINT) IS NULL OR body_id = $1) AND (published = $2 OR $3)
             ORDER BY starts_at DESC, id DESC"
        ),
        params![body_id, true, include_unpublished],
    )?
    .iter()
    .map(meeting_from)
    .collect()
}

/// Deletes a meeting with its rooms, agenda and attendance.
pub fn delete_meeting(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    // Items refer to rooms; remove them first so that the cascade order does not matter.
    tx.execute(
        "DELETE FROM agenda_items WHERE meeting_id = $1",
        params![id],
    )?;
    tx.execute("DELETE FROM agenda_days WHERE meeting_id = $1", params![id])?;
    Ok(tx.execute("DELETE FROM meetings WHERE id = $1", params![id])? == 1)
}

/// Removes a meeting's agenda (items with their notes, days) and rooms, so that an
/// import can store a corrected version. Actions and documents of its items lose
/// their item.
pub fn clear_agenda(tx: &mut Tx<'_>, meeting_id: i64) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM agenda_items WHERE meeting_id = $1",
        params![meeting_id],
    )?;
    tx.execute(
        "DELETE FROM agenda_days WHERE meeting_id = $1",
        params![meeting_id],
    )?;
    tx.execute(
        "DELETE FROM rooms WHERE meeting_id = $1",
        params![meeting_id],
    )?;
    Ok(())
}

// ------------------------------------------------------------------ rooms

#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    pub id: i64,
    pub meeting_id: i64,
    pub name: String,
    pub building: String,
}

pub fn insert_room(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    name: &str,
    building: &str,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO rooms (meeting_id, name, building) VALUES ($1, $2, $3) RETURNING id",
        params![meeting_id, name, building],
    )?
    .int(0)
}

pub fn update_room(
    tx: &mut Tx<'_>,
    id: i64,
    name: &str,
    building: &str,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE rooms SET name = $1, building = $2 WHERE id = $3",
        params![name, building, id],
    )? == 1)
}

/// Deletes a room; items and days that used it lose their room.
pub fn delete_room(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    tx.execute(
        "UPDATE agenda_items SET room_id = NULL WHERE room_id = $1",
        params![id],
    )?;
    tx.execute(
        "UPDATE agenda_days SET room_id = NULL WHERE room_id = $1",
        params![id],
    )?;
    Ok(tx.execute("DELETE FROM rooms WHERE id = $1", params![id])? == 1)
}

pub fn rooms(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Vec<Room>, StoreError> {
    tx.query(
        "SELECT id, meeting_id, name, building FROM rooms WHERE meeting_id = $1 ORDER BY id",
        params![meeting_id],
    )?
    .iter()
    .map(|r| {
        Ok(Room {
            id: r.int(0)?,
            meeting_id: r.int(1)?,
            name: r.text(2)?,
            building: r.text(3)?,
        })
    })
    .collect()
}

// ------------------------------------------------------------------ days

#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub id: i64,
    pub meeting_id: i64,
    pub day: NaiveDate,
    pub room_id: Option<i64>,
    pub label: String,
    pub input_documents: Vec<String>,
    pub desired_outputs: Vec<String>,
    /// The day's hours, when the agenda says them (else the meeting's apply).
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

pub struct DayFields<'a> {
    pub day: NaiveDate,
    pub room_id: Option<i64>,
    pub label: &'a str,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub input_documents: &'a [String],
    pub desired_outputs: &'a [String],
}

const DAY_COLUMNS: &str =
    "id, meeting_id, day, room_id, label, input_documents, desired_outputs, starts_at, ends_at";

fn day_from(r: &Row) -> Result<Day, StoreError> {
    Ok(Day {
        id: r.int(0)?,
        meeting_id: r.int(1)?,
        day: date(&r.text(2)?)?,
        room_id: r.opt_int(3)?,
        label: r.text(4)?,
        input_documents: lines(r.text(5)?),
        desired_outputs: lines(r.text(6)?),
        starts_at: r.opt_time(7)?,
        ends_at: r.opt_time(8)?,
    })
}

pub fn insert_day(tx: &mut Tx<'_>, meeting_id: i64, d: &DayFields<'_>) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO agenda_days (meeting_id, day, room_id, label, input_documents, desired_outputs, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        params![meeting_id, d.day.to_string(), d.room_id, d.label, joined(d.input_documents), joined(d.desired_outputs), d.starts_at, d.ends_at],
    )?
    .int(0)
}

pub fn update_day(tx: &mut Tx<'_>, id: i64, d: &DayFields<'_>) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE agenda_days SET day = $1, room_id = $2, label = $3, input_documents = $4, desired_outputs = $5,
         starts_at = $6, ends_at = $7 WHERE id = $8",
        params![d.day.to_string(), d.room_id, d.label, joined(d.input_documents), joined(d.desired_outputs), d.starts_at, d.ends_at, id],
    )?;
    Ok(n == 1)
}

pub fn days(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Vec<Day>, StoreError> {
    tx.query(
        &format!("SELECT {DAY_COLUMNS} FROM agenda_days WHERE meeting_id = $1 ORDER BY day"),
        params![meeting_id],
    )?
    .iter()
    .map(day_from)
    .collect()
}

pub fn day(tx: &mut Tx<'_>, id: i64) -> Result<Option<Day>, StoreError> {
    tx.query_opt(
        &format!("SELECT {DAY_COLUMNS} FROM agenda_days WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(day_from)
    .transpose()
}

pub fn delete_day(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    tx.execute("DELETE FROM agenda_items WHERE day_id = $1", params![id])?;
    Ok(tx.execute("DELETE FROM agenda_days WHERE id = $1", params![id])? == 1)
}

// ------------------------------------------------------------------ items

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: i64,
    pub meeting_id: i64,
    pub day_id: i64,
    pub parent_id: Option<i64>,
    pub position: i64,
    pub number: Option<String>,
    pub title: String,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub room_id: Option<i64>,
    pub presenters: String,
    pub interventions: Vec<String>,
    pub input_documents: Vec<String>,
    pub desired_outputs: Vec<String>,
}

pub struct ItemFields<'a> {
    pub day_id: i64,
    pub parent_id: Option<i64>,
    pub number: Option<&'a str>,
    pub title: &'a str,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub room_id: Option<i64>,
    pub presenters: &'a str,
    pub interventions: &'a [String],
    pub input_documents: &'a [String],
    pub desired_outputs: &'a [String],
}

const ITEM_COLUMNS: &str = "id, meeting_id, day_id, parent_id, position, number, title, starts_at, ends_at, room_id, \
                            presenters, interventions, input_documents, desired_outputs";

fn item_from(r: &Row) -> Result<Item, StoreError> {
    Ok(Item {
        id: r.int(0)?,
        meeting_id: r.int(1)?,
        day_id: r.int(2)?,
        parent_id: r.opt_int(3)?,
        position: r.int(4)?,
        number: r.opt_text(5)?,
        title: r.text(6)?,
        starts_at: r.opt_time(7)?,
        ends_at: r.opt_time(8)?,
        room_id: r.opt_int(9)?,
        presenters: r.text(10)?,
        interventions: lines(r.text(11)?),
        input_documents: lines(r.text(12)?),
        desired_outputs: lines(r.text(13)?),
    })
}

fn item_values(i: &ItemFields<'_>) -> Vec<Value> {
    vec![
        i.day_id.into(),
        i.parent_id.into(),
        i.number.into(),
        i.title.into(),
        i.starts_at.into(),
        i.ends_at.into(),
        i.room_id.into(),
        i.presenters.into(),
        joined(i.interventions).into(),
        joined(i.input_documents).into(),
        joined(i.desired_outputs).into(),
    ]
}

/// Appends an item at the end of its day (or of its parent's sub-items).
pub fn insert_item(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    i: &ItemFields<'_>,
) -> Result<i64, StoreError> {
    let next = tx
        .query_one(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE day_id = $1",
            params![i.day_id],
        )?
        .int(0)?;
    let mut values = item_values(i);
    values.push(meeting_id.into());
    values.push(next.into());
    tx.query_one(
        "INSERT INTO agenda_items (day_id, parent_id, number, title, starts_at, ends_at, room_id, presenters, interventions,
           input_documents, desired_outputs, meeting_id, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        &values,
    )?
    .int(0)
}

pub fn update_item(tx: &mut Tx<'_>, id: i64, i: &ItemFields<'_>) -> Result<bool, StoreError> {
    let mut values = item_values(i);
    values.push(id.into());
    let n = tx.execute(
        "UPDATE agenda_items SET day_id = $1, parent_id = $2, number = $3, title = $4, starts_at = $5, ends_at = $6, room_id = $7,
           presenters = $8, interventions = $9, input_documents = $10, desired_outputs = $11 WHERE id = $12",
        &values,
    )?;
    Ok(n == 1)
}

pub fn item(tx: &mut Tx<'_>, id: i64) -> Result<Option<Item>, StoreError> {
    tx.query_opt(
        &format!("SELECT {ITEM_COLUMNS} FROM agenda_items WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(item_from)
    .transpose()
}

/// Every item of a meeting, by day and position.
pub fn items(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Vec<Item>, StoreError> {
    tx.query(
        &format!("SELECT {ITEM_COLUMNS} FROM agenda_items WHERE meeting_id = $1 ORDER BY day_id, position, id"),
        params![meeting_id],
    )?
    .iter()
    .map(item_from)
    .collect()
}

pub fn set_position(tx: &mut Tx<'_>, id: i64, position: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE agenda_items SET position = $1 WHERE id = $2",
        params![position, id],
    )?;
    Ok(())
}

pub fn delete_item(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    tx.execute("DELETE FROM agenda_items WHERE parent_id = $1", params![id])?;
    Ok(tx.execute("DELETE FROM agenda_items WHERE id = $1", params![id])? == 1)
}

// ------------------------------------------------------------------ attendance

#[derive(Debug, Clone, PartialEq)]
pub struct Attendee {
    pub id: i64,
    pub person_id: i64,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub organization: Option<String>,
    pub role_group: String,
    pub status: AttendanceStatus,
}

/// Invites a person or changes their role group and status.
pub fn upsert_attendee(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    person_id: i64,
    role_group: &str,
    status: AttendanceStatus,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO attendance (meeting_id, person_id, role_group, status) VALUES ($1, $2, $3, $4)
         ON CONFLICT (meeting_id, person_id) DO UPDATE SET role_group = excluded.role_group, status = excluded.status",
        params![meeting_id, person_id, role_group, status.as_str()],
    )?;
    Ok(())
}

pub fn remove_attendee(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    person_id: i64,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "DELETE FROM attendance WHERE meeting_id = $1 AND person_id = $2",
        params![meeting_id, person_id],
    )? == 1)
}

/// Attendees by name.
pub fn attendees(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Vec<Attendee>, StoreError> {
    tx.query(
        "SELECT a.id, a.person_id, p.family_name, p.given_name, o.name, a.role_group, a.status
         FROM attendance a JOIN persons p ON p.id = a.person_id LEFT JOIN organizations o ON o.id = p.organization_id
         WHERE a.meeting_id = $1 ORDER BY p.name_key, p.id",
        params![meeting_id],
    )?
    .iter()
    .map(|r| {
        let status = r.text(6)?;
        Ok(Attendee {
            id: r.int(0)?,
            person_id: r.int(1)?,
            family_name: r.opt_text(2)?,
            given_name: r.opt_text(3)?,
            organization: r.opt_text(4)?,
            role_group: r.text(5)?,
            status: decode("attendance status", &status, AttendanceStatus::parse(&status))?,
        })
    })
    .collect()
}

/// Removes every attendee of a meeting and the order of its role groups.
pub fn clear_attendance(tx: &mut Tx<'_>, meeting_id: i64) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM attendance WHERE meeting_id = $1",
        params![meeting_id],
    )?;
    tx.execute(
        "DELETE FROM role_group_order WHERE meeting_id = $1",
        params![meeting_id],
    )?;
    Ok(())
}

/// Replaces the order in which role groups are listed.
pub fn set_role_group_order(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    groups: &[String],
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM role_group_order WHERE meeting_id = $1",
        params![meeting_id],
    )?;
    for (position, group) in groups.iter().enumerate() {
        tx.execute(
            "INSERT INTO role_group_order (meeting_id, role_group, position) VALUES ($1, $2, $3)",
            params![meeting_id, group, position as i64],
        )?;
    }
    Ok(())
}

pub fn role_group_order(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Vec<String>, StoreError> {
    tx.query(
        "SELECT role_group FROM role_group_order WHERE meeting_id = $1 ORDER BY position",
        params![meeting_id],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

// ------------------------------------------------------------------ documents

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: i64,
    pub meeting_id: i64,
    pub item_id: Option<i64>,
    pub title: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

pub struct NewDocument<'a> {
    pub item_id: Option<i64>,
    pub title: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
}

const DOCUMENT_COLUMNS: &str =
    "id, meeting_id, item_id, title, filename, content_type, size, sha256";

fn document_from(r: &Row) -> Result<Document, StoreError> {
    Ok(Document {
        id: r.int(0)?,
        meeting_id: r.int(1)?,
        item_id: r.opt_int(2)?,
        title: r.text(3)?,
        filename: r.text(4)?,
        content_type: r.text(5)?,
        size: r.int(6)?,
        sha256: r.text(7)?,
    })
}

pub fn insert_document(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    d: &NewDocument<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO documents (meeting_id, item_id, title, filename, content_type, size, sha256, data, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            meeting_id.into(),
            d.item_id.into(),
            d.title.into(),
            d.filename.into(),
            d.content_type.into(),
            (d.data.len() as i64).into(),
            d.sha256.into(),
            Value::Bytes(d.data.to_vec()),
            now.into(),
        ],
    )?
    .int(0)
}

/// The documents of a meeting, without their contents.
pub fn documents(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Vec<Document>, StoreError> {
    tx.query(
        &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE meeting_id = $1 ORDER BY id"),
        params![meeting_id],
    )?
    .iter()
    .map(document_from)
    .collect()
}

pub fn document(tx: &mut Tx<'_>, id: i64) -> Result<Option<Document>, StoreError> {
    tx.query_opt(
        &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(document_from)
    .transpose()
}

pub fn document_data(tx: &mut Tx<'_>, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
    match tx.query_opt("SELECT data FROM documents WHERE id = $1", params![id])? {
        None => Ok(None),
        Some(row) => match row.0.into_iter().next() {
            Some(Value::Bytes(b)) => Ok(Some(b)),
            other => Err(StoreError::Decode(format!("document data: {other:?}"))),
        },
    }
}

pub fn delete_document(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute("DELETE FROM documents WHERE id = $1", params![id])? == 1)
}
