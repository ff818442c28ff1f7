//! Notes per agenda item with their revisions, the minutes' state, action items.

use crate::{Row, StoreError, Tx, Value, params};
use chrono::{DateTime, NaiveDate, Utc};
use plenary_domain::minutes::{ActionStatus, MinutesState, Owner};

use crate::error::decode;

// ------------------------------------------------------------------ notes

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: i64,
    pub meeting_id: i64,
    pub item_id: i64,
    pub version: i64,
    pub text: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

const NOTE_COLUMNS: &str = "id, meeting_id, item_id, version, text, updated_at, updated_by";

fn note_from(r: &Row) -> Result<Note, StoreError> {
    Ok(Note {
        id: r.int(0)?,
        meeting_id: r.int(1)?,
        item_id: r.int(2)?,
        version: r.int(3)?,
        text: r.text(4)?,
        updated_at: r.time(5)?,
        updated_by: r.text(6)?,
    })
}

pub fn note_for_item(tx: &mut Tx<'_>, item_id: i64) -> Result<Option<Note>, StoreError> {
    tx.query_opt(
        &format!("SELECT {NOTE_COLUMNS} FROM notes WHERE item_id = $1"),
        params![item_id],
    )?
    .as_ref()
    .map(note_from)
    .transpose()
}

pub fn notes_of_meeting(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Vec<Note>, StoreError> {
    tx.query(
        &format!("SELECT {NOTE_COLUMNS} FROM notes WHERE meeting_id = $1 ORDER BY item_id"),
        params![meeting_id],
    )?
    .iter()
    .map(note_from)
    .collect()
}

/// Writes version `base + 1` of an item's note if the stored version is still `base`
/// (0: no note yet). Returns false when someone saved in between.
pub fn save_note(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    item_id: i64,
    base: i64,
    text: &str,
    author: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let saved = if base == 0 {
        tx.execute(
            "INSERT INTO notes (meeting_id, item_id, version, text, updated_at, updated_by) VALUES ($1, $2, 1, $3, $4, $5)
             ON CONFLICT (item_id) DO NOTHING",
            params![meeting_id, item_id, text, now, author],
        )?
    } else {
        tx.execute(
            "UPDATE notes SET version = version + 1, text = $1, updated_at = $2, updated_by = $3 WHERE item_id = $4 AND version = $5",
            params![text, now, author, item_id, base],
        )?
    };
    if saved != 1 {
        return Ok(false);
    }
    let note =
        note_for_item(tx, item_id)?.ok_or_else(|| StoreError::Decode("note vanished".into()))?;
    tx.execute(
        "INSERT INTO note_revisions (note_id, version, text, created_at, author) VALUES ($1, $2, $3, $4, $5)",
        params![note.id, note.version, text, now, author],
    )?;
    Ok(true)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub version: i64,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub author: String,
}

/// Every revision of an item's note, newest first.
pub fn revisions(tx: &mut Tx<'_>, item_id: i64) -> Result<Vec<Revision>, StoreError> {
    tx.query(
        "SELECT r.version, r.text, r.created_at, r.author FROM note_revisions r JOIN notes n ON n.id = r.note_id
         WHERE n.item_id = $1 ORDER BY r.version DESC",
        params![item_id],
    )?
    .iter()
    .map(|r| Ok(Revision { version: r.int(0)?, text: r.text(1)?, created_at: r.time(2)?, author: r.text(3)? }))
    .collect()
}

// ------------------------------------------------------------------ minutes state

#[derive(Debug, Clone, PartialEq)]
pub struct Minutes {
    pub state: MinutesState,
    pub revision: i64,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
}

pub fn minutes(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Option<Minutes>, StoreError> {
    tx.query_opt(
        "SELECT state, revision, changed_at, changed_by FROM minutes WHERE meeting_id = $1",
        params![meeting_id],
    )?
    .map(|r| {
        let state = r.text(0)?;
        Ok(Minutes {
            state: decode("minutes state", &state, MinutesState::parse(&state))?,
            revision: r.int(1)?,
            changed_at: r.time(2)?,
            changed_by: r.text(3)?,
        })
    })
    .transpose()
}

pub fn set_minutes(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    state: MinutesState,
    revision: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO minutes (meeting_id, state, revision, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (meeting_id) DO UPDATE SET state = excluded.state, revision = excluded.revision,
           changed_at = excluded.changed_at, changed_by = excluded.changed_by",
        params![meeting_id, state.as_str(), revision, now, by],
    )?;
    Ok(())
}

// ------------------------------------------------------------------ actions

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub id: i64,
    pub meeting_id: i64,
    pub item_id: Option<i64>,
    pub text: String,
    pub owner: Owner,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
    pub status_at: DateTime<Utc>,
    pub status_by: String,
    /// The owner as an imported document wrote it; `None` for actions entered by hand.
    pub owner_as_written: Option<String>,
}

pub struct NewAction<'a> {
    pub meeting_id: i64,
    pub item_id: Option<i64>,
    pub text: &'a str,
    pub owner: Owner,
    pub due_on: Option<NaiveDate>,
    pub by: &'a str,
    /// For an imported action: the owner as written in the document.
    pub owner_as_written: Option<&'a str>,
    /// For an imported action: the import (`imported_documents.id`) that created it.
    pub import_id: Option<i64>,
}

const ACTION_COLUMNS: &str = "id, meeting_id, item_id, text, owner_kind, owner_id, due_on, status, status_at, status_by, \
                              owner_as_written";

fn action_from(r: &Row) -> Result<Action, StoreError> {
    let kind = r.text(4)?;
    let status = r.text(7)?;
    Ok(Action {
        id: r.int(0)?,
        meeting_id: r.int(1)?,
        item_id: r.opt_int(2)?,
        text: r.text(3)?,
        owner: decode("owner", &kind, Owner::from_parts(&kind, r.opt_int(5)?))?,
        due_on: r
            .opt_text(6)?
            .map(|d| {
                NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|e| StoreError::Decode(e.to_string()))
            })
            .transpose()?,
        status: decode("action status", &status, ActionStatus::parse(&status))?,
        status_at: r.time(8)?,
        status_by: r.text(9)?,
        owner_as_written: r.opt_text(10)?,
    })
}

pub fn insert_action(
    tx: &mut Tx<'_>,
    a: &NewAction<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO actions (meeting_id, item_id, text, owner_kind, owner_id, due_on, status, status_at, status_by, created_at,
           owner_as_written, import_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $7, $9, $10) RETURNING id",
        params![a.meeting_id, a.item_id, a.text, a.owner.kind(), a.owner.id(), a.due_on.map(|d| d.to_string()), now, a.by,
            a.owner_as_written, a.import_id],
    )?
    .int(0)
}

pub fn action(tx: &mut Tx<'_>, id: i64) -> Result<Option<Action>, StoreError> {
    tx.query_opt(
        &format!("SELECT {ACTION_COLUMNS} FROM actions WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(action_from)
    .transpose()
}

pub fn set_action_status(
    tx: &mut Tx<'_>,
    id: i64,
    status: ActionStatus,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE actions SET status = $1, status_at = $2, status_by = $3 WHERE id = $4",
        params![status.as_str(), now, by, id],
    )?;
    Ok(())
}

/// Moves an action to another meeting (its item is cleared).
pub fn move_action(tx: &mut Tx<'_>, id: i64, meeting_id: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE actions SET meeting_id = $1, item_id = NULL WHERE id = $2",
        params![meeting_id, id],
    )?;
    Ok(())
}

/// What the dashboard filters by; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub owner: Option<Owner>,
    /// Actions of meetings of this body.
    pub body_id: Option<i64>,
    pub meeting_id: Option<i64>,
    pub status: Option<ActionStatus>,
    /// Only actions due before this day (overdue as of a day).
    pub due_before: Option<NaiveDate>,
}

/// Actions by due date (undated last), then id.
pub fn actions(tx: &mut Tx<'_>, f: &ActionFilter) -> Result<Vec<Action>, StoreError> {
    let values: Vec<Value> = vec![
        f.owner.map(|o| o.kind()).into(),
        f.owner.and_then(|o| o.id()).into(),
        f.body_id.into(),
        f.meeting_id.into(),
        f.status.map(|s| s.as_str()).into(),
        f.due_before.map(|d| d.to_string()).into(),
    ];
    tx.query(
        &format!(
            "SELECT {ACTION_COLUMNS} FROM actions a
             WHERE (CAST($1 AS TEXT) IS NULL OR (a.owner_kind = $1 AND (CAST($2 AS BIGINT) IS NULL OR a.owner_id = $2)))
               AND (CAST($3 AS BIGINT) IS NULL OR a.meeting_id IN (SELECT id FROM meetings WHERE body_id = $3))
               AND (CAST($4 AS BIGINT) IS NULL OR a.meeting_id = $4)
               AND (CAST($5 AS TEXT) IS NULL OR a.status = $5)
               AND (CAST($6 AS TEXT) IS NULL OR (a.due_on IS NOT NULL AND a.due_on < $6))
             ORDER BY CASE WHEN a.due_on IS NULL THEN 1 ELSE 0 END, a.due_on, a.id"
        ),
        &values,
    )?
    .iter()
    .map(action_from)
    .collect()
}

/// Removes the actions an import created in a meeting (their follow-ups go with them),
/// before a corrected version of the document stores its own.
pub fn delete_imported_actions(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    import_id: i64,
) -> Result<u64, StoreError> {
    tx.execute(
        "DELETE FROM actions WHERE meeting_id = $1 AND import_id = $2",
        params![meeting_id, import_id],
    )
}

/// Removes a meeting's dropped actions (before the meeting itself is deleted).
pub fn delete_dropped_actions(tx: &mut Tx<'_>, meeting_id: i64) -> Result<u64, StoreError> {
    tx.execute(
        "DELETE FROM actions WHERE meeting_id = $1 AND status = 'dropped'",
        params![meeting_id],
    )
}

#[derive(Debug, Clone, PartialEq)]
pub struct Followup {
    pub id: i64,
    pub action_id: i64,
    pub meeting_id: i64,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub author: String,
}

pub fn insert_followup(
    tx: &mut Tx<'_>,
    action_id: i64,
    meeting_id: i64,
    note: &str,
    author: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO action_followups (action_id, meeting_id, note, created_at, author) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        params![action_id, meeting_id, note, now, author],
    )?
    .int(0)
}

pub fn followups(tx: &mut Tx<'_>, action_id: i64) -> Result<Vec<Followup>, StoreError> {
    tx.query(
        "SELECT id, action_id, meeting_id, note, created_at, author FROM action_followups WHERE action_id = $1 ORDER BY id",
        params![action_id],
    )?
    .iter()
    .map(|r| {
        Ok(Followup { id: r.int(0)?, action_id: r.int(1)?, meeting_id: r.int(2)?, note: r.text(3)?, created_at: r.time(4)?, author: r.text(5)? })
    })
    .collect()
}

/// Open actions due by `until` whose owner has not been reminded yet.
pub fn actions_to_remind(tx: &mut Tx<'_>, until: NaiveDate) -> Result<Vec<Action>, StoreError> {
    tx.query(
        &format!(
            "SELECT {ACTION_COLUMNS} FROM actions
             WHERE status = 'open' AND reminded_at IS NULL AND due_on IS NOT NULL AND due_on <= $1
             ORDER BY due_on, id"
        ),
        params![until.to_string()],
    )?
    .iter()
    .map(action_from)
    .collect()
}

/// Who hears about an owner's action: the person; a body's current chairs, co-chairs
/// and co-facilitators; the enabled secretariat accounts, also for an owner the
/// directory does not list (someone has to chase it). As (e-mail, name).
pub fn owner_recipients(
    tx: &mut Tx<'_>,
    owner: Owner,
    today: NaiveDate,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows = match owner {
        Owner::Person(id) => tx.query(
            "SELECT email, TRIM(COALESCE(given_name, '') || ' ' || COALESCE(family_name, '')) FROM persons WHERE id = $1 AND email IS NOT NULL",
            params![id],
        )?,
        Owner::Body(id) => tx.query(
            "SELECT DISTINCT p.email, TRIM(COALESCE(p.given_name, '') || ' ' || COALESCE(p.family_name, '')) FROM memberships m
             JOIN persons p ON p.id = m.person_id
             WHERE m.body_id = $1 AND m.role IN ('chair', 'co_chair', 'co_facilitator') AND p.email IS NOT NULL
               AND m.starts_on <= $2 AND (m.ends_on IS NULL OR m.ends_on >= $2)",
            params![id, today.to_string()],
        )?,
        Owner::Secretariat | Owner::Unlisted => tx.query(
            "SELECT DISTINCT u.email, u.display_name FROM users u JOIN grants g ON g.user_id = u.id
             WHERE g.role = 'secretariat' AND g.scope_kind = 'global' AND u.disabled_at IS NULL",
            &[],
        )?,
    };
    rows.iter().map(|r| Ok((r.text(0)?, r.text(1)?))).collect()
}

pub fn mark_reminded(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE actions SET reminded_at = $1 WHERE id = $2",
        params![now, id],
    )?;
    Ok(())
}
