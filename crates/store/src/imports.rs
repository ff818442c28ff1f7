//! Documents imported into meetings: which document made which meeting.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub id: i64,
    pub meeting_id: i64,
    /// The meeting's key: folded title, body and first local day.
    pub source_key: String,
    /// SHA-256 of the file, hex.
    pub content_hash: String,
    pub file_name: Option<String>,
    pub imported_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, meeting_id, source_key, content_hash, file_name, imported_at";

fn imported_from(r: &Row) -> Result<Imported, StoreError> {
    Ok(Imported {
        id: r.int(0)?,
        meeting_id: r.int(1)?,
        source_key: r.text(2)?,
        content_hash: r.text(3)?,
        file_name: r.opt_text(4)?,
        imported_at: r.time(5)?,
    })
}

/// The import that made the meeting with this key, if any.
pub fn by_source_key(tx: &mut Tx<'_>, source_key: &str) -> Result<Option<Imported>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM imported_documents WHERE source_key = $1"),
        params![source_key],
    )?
    .as_ref()
    .map(imported_from)
    .transpose()
}

/// The import of a file with this name into a meeting of this body on this first day
/// (a corrected version whose title changed), if any.
pub fn by_file_name(
    tx: &mut Tx<'_>,
    file_name: &str,
    body_id: i64,
    key_day_suffix: &str,
) -> Result<Option<Imported>, StoreError> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    tx.query_opt(
        &format!(
            "SELECT {columns} FROM imported_documents d JOIN meetings m ON m.id = d.meeting_id
             WHERE d.file_name = $1 AND m.body_id = $2 AND d.source_key LIKE $3
             ORDER BY d.id DESC LIMIT 1"
        ),
        params![file_name, body_id, format!("%{key_day_suffix}")],
    )?
    .as_ref()
    .map(imported_from)
    .transpose()
}

/// The import that made a meeting, if it was imported.
pub fn of_meeting(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Option<Imported>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM imported_documents WHERE meeting_id = $1"),
        params![meeting_id],
    )?
    .as_ref()
    .map(imported_from)
    .transpose()
}

pub fn insert(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    source_key: &str,
    content_hash: &str,
    file_name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO imported_documents (meeting_id, source_key, content_hash, file_name, imported_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        params![meeting_id, source_key, content_hash, file_name, now],
    )?
    .int(0)
}

/// Records that a corrected version of the document replaced the earlier one.
pub fn update(
    tx: &mut Tx<'_>,
    id: i64,
    source_key: &str,
    content_hash: &str,
    file_name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE imported_documents SET source_key = $1, content_hash = $2, file_name = $3, imported_at = $4
         WHERE id = $5",
        params![source_key, content_hash, file_name, now, id],
    )? == 1)
}
