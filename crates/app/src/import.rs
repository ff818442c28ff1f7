//! Importing meeting documents: the summaries and agendas secretariats wrote before
//! Plenary. `plenary_domain::import` reads a document (nothing guessed; a warning for
//! what it could not read); this module stores what it read as a meeting with its
//! agenda, minutes notes, action items and participants, one transaction per file.
//!
//! Importing is idempotent. A meeting is known by a key (its folded title, its body and
//! its first local day) and a file by its SHA-256: the same file again writes nothing,
//! and a corrected version replaces what the earlier version stored. Every decision
//! the document did not make itself (an end time, an owner, a role group) is reported
//! in [`ImportReport::notes`].

use crate::accounts::require_permission;
use crate::audit::Change;
use crate::directory::person_key;
use crate::{App, AppError, Caller};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use plenary_domain::Permission;
use plenary_domain::Problem;
use plenary_domain::import::{self as parse, Extraction, Kind, Mode, Unreadable, Warning};
use plenary_domain::meetings::{AttendanceStatus, MeetingKind, MeetingMode};
use plenary_domain::minutes::{MinutesState, Owner};
use plenary_domain::people::{BodyKind, PersonName};
use plenary_domain::search::search_key;
use plenary_domain::time::{Zone, label, local_to_utc_earliest};
use plenary_store::directory::{self as dir, Body, PersonFields};
use plenary_store::imports;
use plenary_store::meetings::{self as store, DayFields, ItemFields, MeetingFields};
use plenary_store::minutes::{self as mstore, NewAction};
use plenary_store::{StoreError, Tx};
use serde_json::json;

mod docx;
mod file;
mod pdf_text;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use file::document_text;

/// A file to import.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// The file's name, as reported and recorded (not used to read the document).
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The body to import into: its id, or its exact name or short name. Overrides the
    /// document's organiser line ("Hosted by ...").
    pub body: Option<String>,
}

/// What storing a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new meeting.
    Created { meeting_id: i64 },
    /// A corrected version of a document imported before replaced what it stored.
    Updated { meeting_id: i64 },
    /// This very file was imported before; nothing was written.
    Unchanged { meeting_id: i64 },
}

impl ImportOutcome {
    pub fn meeting_id(self) -> i64 {
        match self {
            ImportOutcome::Created { meeting_id }
            | ImportOutcome::Updated { meeting_id }
            | ImportOutcome::Unchanged { meeting_id } => meeting_id,
        }
    }

    /// `"created"`, `"updated"` or `"unchanged"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportOutcome::Created { .. } => "created",
            ImportOutcome::Updated { .. } => "updated",
            ImportOutcome::Unchanged { .. } => "unchanged",
        }
    }
}

/// What was read from a file and what storing it did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub file_name: String,
    pub extraction: Extraction,
    pub outcome: ImportOutcome,
    /// What storing decided that the document did not say: the body, the kind, a
    /// missing end or zone, owners mapped, participants without a role group, ...
    pub notes: Vec<String>,
    /// People created in the directory because no one had their exact name.
    pub persons_created: usize,
    /// The meeting's attendance rows.
    pub attendance: usize,
}

/// Reads a document (text, Word or PDF) without any database: what it says, or why it
/// is no document at all.
pub fn read_document(bytes: &[u8]) -> Result<Extraction, Unreadable> {
    document_text(bytes).map(|text| parse::extract(&text))
}

/// A document read for the preview: the text it was read as (what the confirmation
/// sends back to be stored) and what that text says.
#[derive(Debug, Clone)]
pub struct DocumentRead {
    pub text: String,
    pub extraction: Extraction,
}

/// The extraction of a file that could not be read at all: kind "unrecognised", every
/// field empty, and one warning naming the problem.
pub fn unreadable_extraction(problem: impl Into<String>) -> Extraction {
    Extraction::unrecognised(Warning {
        line: None,
        message: problem.into(),
    })
}

/// Importing writes meetings and creates people: the secretariat's rights.
fn require_importer(caller: &Caller) -> Result<(), AppError> {
    require_permission(caller, Permission::ManageMeetings)?;
    require_permission(caller, Permission::ManageDirectory)?;
    Ok(())
}

fn unreadable_error(why: Unreadable) -> AppError {
    AppError::field("file", Problem::Explained(why.to_string()))
}

// ------------------------------------------------------------------ limits

/// The lengths the meeting forms accept, so that an imported meeting can be edited.
const MAX_TITLE: usize = 300;
const MAX_ITEM_TITLE: usize = 500;
const MAX_VENUE: usize = 500;
const MAX_LABEL: usize = 300;
const MAX_LINE: usize = 1000;
const MAX_ROOM: usize = 200;
const MAX_GROUP: usize = 100;
const MAX_NUMBER: usize = 20;

/// `text` cut to `max` characters (with an ellipsis), and whether it was cut.
fn fit(text: &str, max: usize) -> (String, bool) {
    if text.chars().count() <= max {
        (text.to_owned(), false)
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        (cut, true)
    }
}

// ------------------------------------------------------------------ the plan

/// What will be stored, decided from the extraction alone (no database).
struct Plan {
    title: String,
    zone: Zone,
    mode: MeetingMode,
    venue: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    first_day: NaiveDate,
    rooms: Vec<String>,
    days: Vec<PlannedDay>,
    notes: Vec<String>,
}

struct PlannedDay {
    date: NaiveDate,
    room: Option<String>,
    labels: Vec<String>,
    input_documents: Vec<String>,
    desired_outputs: Vec<String>,
    items: Vec<PlannedItem>,
}

struct PlannedItem {
    number: Option<String>,
    title: String,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    interventions: Vec<String>,
    /// The discussion notes of a summary item, as a Markdown list.
    note: Option<String>,
}

fn lines_fitted(lines: &[String]) -> Vec<String> {
    lines.iter().map(|l| fit(l, MAX_LINE).0).collect()
}

fn planned_item(
    item: &parse::Item,
    date: NaiveDate,
    zone: Zone,
    notes: &mut Vec<String>,
) -> PlannedItem {
    let line = item.line;
    let title = match &item.title {
        Some(t) => {
            let (title, cut) = fit(t, MAX_ITEM_TITLE);
            if cut {
                notes.push(format!(
                    "line {line}: the item's title is longer than {MAX_ITEM_TITLE} characters; shortened"
                ));
            }
            title
        }
        None => {
            notes.push(format!(
                "line {line}: an agenda item without a title is stored as \"(untitled)\""
            ));
            "(untitled)".to_owned()
        }
    };
    let mut at = |time: Option<NaiveTime>, what: &str| {
        let time = time?;
        let found = local_to_utc_earliest(date, time, zone);
        if found.is_none() {
            notes.push(format!(
                "line {line}: {what} {} does not exist on {date} in {zone} (the clocks change); left empty",
                time.format("%H:%M")
            ));
        }
        found
    };
    let starts_at = at(item.starts_local, "the start");
    let mut ends_at = at(item.ends_local, "the end");
    match (starts_at, ends_at) {
        (Some(s), Some(e)) if e <= s => {
            notes.push(format!(
                "line {line}: the item ends ({}) before it starts ({}); its end is left empty",
                label(e, zone).time_hm(),
                label(s, zone).time_hm()
            ));
            ends_at = None;
        }
        (None, Some(_)) => {
            notes.push(format!(
                "line {line}: the item has an end but no start; its end is left empty"
            ));
            ends_at = None;
        }
        _ => {}
    }
    let number = item.number.as_deref().map(|n| fit(n, MAX_NUMBER).0);
    let note = if item.notes.is_empty() {
        None
    } else {
        Some(
            item.notes
                .iter()
                .map(|n| format!("- {n}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    };
    PlannedItem {
        number,
        title,
        starts_at,
        ends_at,
        interventions: lines_fitted(&item.subitems),
        note,
    }
}

fn plan(x: &Extraction, file_name: &str) -> Result<Plan, AppError> {
    let mut notes = Vec::new();
    let starts_at = x.meeting.starts_at_utc.ok_or(AppError::field(
        "file",
        Problem::Invalid(
            "the document states no meeting date and time; add them to its header \
             (e.g. \"20 August 2024 | 11:00 UTC\") and import it again",
        ),
    ))?;
    let zone = match x.meeting.time_zone.as_deref() {
        Some(name) => Zone::parse("time_zone", name).unwrap_or_else(|_| {
            notes.push(format!(
                "the time zone {name:?} is unknown; the meeting is stored in UTC"
            ));
            Zone::UTC
        }),
        None => match x.meeting.utc_offset.and_then(fixed_offset_zone) {
            Some(zone) => {
                notes.push(format!(
                    "the document gives only an offset or abbreviation for its times; the meeting \
                     is stored in the fixed-offset zone {}",
                    zone.name()
                ));
                zone
            }
            None => {
                notes.push(
                    "the document names no time zone (nor a whole-hour offset); the meeting is \
                     stored in UTC: its start and end are exact, agenda times are read as UTC"
                        .into(),
                );
                Zone::UTC
            }
        },
    };
    let title = match x.title.as_deref() {
        Some(t) => t.to_owned(),
        None => {
            notes.push(format!(
                "the document has no title; stored as {file_name:?}"
            ));
            file_name.to_owned()
        }
    };
    let (title, cut) = fit(&title, MAX_TITLE);
    if cut {
        notes.push(format!(
            "the title is longer than {MAX_TITLE} characters; shortened"
        ));
    }
    let (venue, cut) = fit(x.meeting.venue.as_deref().unwrap_or_default(), MAX_VENUE);
    if cut {
        notes.push(format!(
            "the venue is longer than {MAX_VENUE} characters; shortened"
        ));
    }
    let first_day = x
        .meeting
        .first_day
        .unwrap_or_else(|| label(starts_at, zone).local.date());

    let mut rooms: Vec<String> = Vec::new();
    let mut add_room = |name: &str| {
        let name = fit(name, MAX_ROOM).0;
        if !rooms.contains(&name) {
            rooms.push(name);
        }
    };
    for r in &x.meeting.rooms {
        add_room(r);
    }
    for r in x.days.iter().filter_map(|d| d.room.as_deref()) {
        add_room(r);
    }

    let mode = match x.meeting.mode {
        Some(Mode::Online) => MeetingMode::Online,
        Some(Mode::Onsite) => MeetingMode::Onsite,
        Some(Mode::Hybrid) => MeetingMode::Hybrid,
        None if !venue.is_empty() || !rooms.is_empty() => {
            notes.push(
                "the document states no mode (online, onsite, hybrid); stored as onsite, as it names a venue or room"
                    .into(),
            );
            MeetingMode::Onsite
        }
        None => {
            notes.push(
                "the document states no mode (online, onsite, hybrid) and no venue; stored as online"
                    .into(),
            );
            MeetingMode::Online
        }
    };

    let mut days: Vec<PlannedDay> = Vec::new();
    match x.kind {
        Kind::Agenda => {
            for (index, day) in x.days.iter().enumerate() {
                let date = match day.date {
                    Some(d) => d,
                    None => {
                        let d = first_day + Duration::days(index as i64);
                        notes.push(format!(
                            "line {}: day {} has no valid date; stored as {d} (the meeting's first day + {index})",
                            day.line,
                            index + 1
                        ));
                        d
                    }
                };
                let items: Vec<PlannedItem> = day
                    .items
                    .iter()
                    .map(|i| planned_item(i, date, zone, &mut notes))
                    .collect();
                let room = day.room.as_deref().map(|r| fit(r, MAX_ROOM).0);
                if let Some(same) = days.iter_mut().find(|d| d.date == date) {
                    notes.push(format!(
                        "line {}: day {} is dated {date} like an earlier day; its items are added to that day",
                        day.line,
                        index + 1
                    ));
                    same.items.extend(items);
                    same.labels.extend(day.labels.iter().cloned());
                    same.input_documents
                        .extend(lines_fitted(&day.input_documents));
                    same.desired_outputs
                        .extend(lines_fitted(&day.desired_outputs));
                    if same.room.is_none() {
                        same.room = room;
                    }
                } else {
                    days.push(PlannedDay {
                        date,
                        room,
                        labels: day.labels.clone(),
                        input_documents: lines_fitted(&day.input_documents),
                        desired_outputs: lines_fitted(&day.desired_outputs),
                        items,
                    });
                }
            }
        }
        Kind::Summary => {
            let items = x
                .items
                .iter()
                .map(|i| planned_item(i, first_day, zone, &mut notes))
                .collect();
            days.push(PlannedDay {
                date: first_day,
                room: None,
                labels: Vec::new(),
                input_documents: Vec::new(),
                desired_outputs: Vec::new(),
                items,
            });
        }
        Kind::Unrecognised => return Err(unrecognised()),
    }

    let ends_at = match x.meeting.ends_at_utc {
        Some(end) if end > starts_at => end,
        stated => {
            let why = if stated.is_some() {
                "the document's end is not after its start"
            } else {
                "the document states no end"
            };
            let last_item_end = days
                .iter()
                .flat_map(|d| d.items.iter())
                .filter_map(|i| i.ends_at)
                .max()
                .filter(|end| *end > starts_at);
            match last_item_end {
                Some(end) => {
                    notes.push(format!(
                        "{why}; stored as the end of the last timed agenda item, {}",
                        label(end, zone)
                    ));
                    end
                }
                None => {
                    let last_day = [x.meeting.last_day, days.iter().map(|d| d.date).max()]
                        .into_iter()
                        .flatten()
                        .max()
                        .unwrap_or(first_day)
                        .max(first_day);
                    let late = NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default();
                    match local_to_utc_earliest(last_day, late, zone).filter(|e| *e > starts_at) {
                        Some(end) => {
                            notes.push(format!(
                                "{why}; stored as the end of the meeting's last day, {}",
                                label(end, zone)
                            ));
                            end
                        }
                        None => {
                            let end = starts_at + Duration::hours(1);
                            notes.push(format!(
                                "{why}; stored as one hour after the start, {}",
                                label(end, zone)
                            ));
                            end
                        }
                    }
                }
            }
        }
    };

    Ok(Plan {
        title,
        zone,
        mode,
        venue,
        starts_at,
        ends_at,
        first_day,
        rooms,
        days,
        notes,
    })
}

fn unrecognised() -> AppError {
    AppError::field(
        "file",
        Problem::Invalid("neither a meeting summary nor an agenda"),
    )
}

/// The key that names a meeting across versions of its document.
fn source_key(title: &str, body_id: i64, first_day: NaiveDate) -> String {
    format!("{}|{body_id}|{first_day}", search_key(title))
}

/// The plainest kind that fits, and why.
fn meeting_kind(title: &str, body: BodyKind) -> (MeetingKind, &'static str) {
    let title = title.to_lowercase();
    if title.contains("open consultation") {
        return (
            MeetingKind::OpenConsultation,
            "the title names open consultations",
        );
    }
    if title.contains("webinar") {
        return (MeetingKind::Webinar, "the title names a webinar");
    }
    match body {
        BodyKind::WorkingGroup
        | BodyKind::BestPracticeForum
        | BodyKind::PolicyNetwork
        | BodyKind::Subgroup
        | BodyKind::DynamicCoalition
        | BodyKind::NationalRegionalInitiative
        | BodyKind::YouthTrack => (
            MeetingKind::WorkingGroupCall,
            "the body is a working group, network, coalition or track",
        ),
        BodyKind::AdvisoryGroup
        | BodyKind::Secretariat
        | BodyKind::LeadershipPanel
        | BodyKind::Other => (
            MeetingKind::AdvisoryGroupMeeting,
            "the plainest kind for this body's meetings",
        ),
    }
}

// ------------------------------------------------------------------ bodies and owners

fn resolve_body<'a>(
    bodies: &'a [Body],
    requested: Option<&str>,
    organiser: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<&'a Body, AppError> {
    if let Some(raw) = requested.map(str::trim).filter(|r| !r.is_empty()) {
        let found = raw
            .parse::<i64>()
            .ok()
            .and_then(|id| bodies.iter().find(|b| b.id == id))
            .or_else(|| bodies.iter().find(|b| b.short_name == raw || b.name == raw));
        let body = found.ok_or(AppError::field(
            "body",
            Problem::Unknown("body (give its id, name or short name)"),
        ))?;
        let organiser = organiser
            .map(|o| format!(" (the document's organiser line says {o:?})"))
            .unwrap_or_default();
        notes.push(format!(
            "body: {} ({}), as asked{organiser}",
            body.short_name, body.name
        ));
        return Ok(body);
    }
    match organiser {
        Some(text) => bodies
            .iter()
            .find(|b| b.name == text || b.short_name == text)
            .ok_or_else(|| {
                AppError::field(
                    "body",
                    Problem::Explained(format!(
                        "the organiser line names {:?}, which is not the name or short name of a body; choose the body to import into",
                        fit(text, 120).0
                    )),
                )
            }),
        None => Err(AppError::field(
            "body",
            Problem::Invalid(
                "the document has no organiser line (\"Hosted by ...\"); choose the body to import into",
            ),
        )),
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// Whether `word` occurs in `text` as a whole word ("WG-Youth" in "co-facilitators of
/// the WG-Youth", but "WG" not in "WG-Youth").
fn contains_word(text: &str, word: &str) -> bool {
    !word.is_empty()
        && text.match_indices(word).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
        })
}

/// The owner of an imported action, and a note when the mapping is not plain.
fn map_owner(
    tx: &mut Tx<'_>,
    written: Option<&str>,
    bodies: &[Body],
    meeting_body: &Body,
) -> Result<(Owner, Option<String>), AppError> {
    let Some(text) = written else {
        return Ok((
            Owner::Body(meeting_body.id),
            Some(format!(
                "no owner stated; assigned to the meeting's body {}",
                meeting_body.short_name
            )),
        ));
    };
    if text.to_lowercase().contains("secretariat") {
        let note = (text != "Secretariat").then(|| format!("owner {text:?} → the secretariat"));
        return Ok((Owner::Secretariat, note));
    }
    let key = plenary_domain::search::search_key(text);
    if let Some(person) = dir::persons_with_name_key(tx, &key)?.first() {
        return Ok((Owner::Person(person.id), None));
    }
    if let Some(body) = crate::owners::body_named(bodies, &key) {
        return Ok((Owner::Body(body.id), None));
    }
    // A body named inside the owner ("co-facilitators of the WG-Youth"): the longest
    // name found wins ("MAG WG-Youth co-facilitators" is the WG-Youth's).
    // Compared by search key, so case, accents and the usual abbreviations aside.
    let named_in = |name: &str| contains_word(&key, name).then(|| name.chars().count());
    if let Some((body, _)) = bodies
        .iter()
        .filter_map(|b| {
            let found = crate::owners::body_keys(b)
                .iter()
                .filter_map(|k| named_in(k))
                .max()?;
            Some((b, found))
        })
        .max_by_key(|(_, length)| *length)
    {
        return Ok((
            Owner::Body(body.id),
            Some(format!(
                "owner {text:?} → body {} (named in it)",
                body.short_name
            )),
        ));
    }
    Ok((
        Owner::Unlisted,
        Some(format!(
            "owner {text:?} is no person or body of the directory; kept as written"
        )),
    ))
}

// ------------------------------------------------------------------ storing

struct Stored {
    outcome: ImportOutcome,
    notes: Vec<String>,
    persons_created: usize,
    attendance: usize,
}

impl App {
    /// Whether the caller may import documents (the secretariat): `Ok`, or
    /// `SignInRequired` / `Forbidden`. For pages that show the upload form.
    pub fn may_import(&self, caller: &Caller) -> Result<(), AppError> {
        require_importer(caller)
    }

    /// Reads a document without writing anything (secretariat only).
    pub fn preview_import(
        &self,
        caller: &Caller,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<DocumentRead, AppError> {
        require_importer(caller)?;
        tracing::debug!(file_name, size = bytes.len(), "import preview");
        let text = document_text(bytes).map_err(unreadable_error)?;
        Ok(DocumentRead {
            extraction: parse::extract(&text),
            text: text.into_owned(),
        })
    }

    /// Stores a document's meeting, one transaction per file (secretariat only).
    /// The same text again (also re-saved with CRLF line ends or a byte-order mark, or
    /// sent back by the page's confirmation form) changes nothing.
    pub fn import_document(
        &self,
        caller: &Caller,
        request: ImportRequest,
    ) -> Result<ImportReport, AppError> {
        require_importer(caller)?;
        let text = document_text(&request.bytes).map_err(unreadable_error)?;
        let extraction = parse::extract(&text);
        if extraction.kind == Kind::Unrecognised {
            return Err(unrecognised());
        }
        let plan = plan(&extraction, &request.file_name)?;
        let hash = content_hash(&text);
        let now = self.now();
        let stored = self
            .db()
            .write(|tx| store_import(tx, caller, &request, &extraction, &plan, &hash, now))?;
        Ok(ImportReport {
            file_name: request.file_name,
            extraction,
            outcome: stored.outcome,
            notes: stored.notes,
            persons_created: stored.persons_created,
            attendance: stored.attendance,
        })
    }
}

fn import_conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(_) => AppError::Refused(
            "this meeting's document is being imported by someone else at this moment; try again",
        ),
        other => other.into(),
    }
}

fn store_import(
    tx: &mut Tx<'_>,
    caller: &Caller,
    request: &ImportRequest,
    x: &Extraction,
    plan: &Plan,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Stored, AppError> {
    let mut notes = Vec::new();
    let bodies = dir::bodies(tx)?;
    let body = resolve_body(
        &bodies,
        request.body.as_deref(),
        x.body.as_deref(),
        &mut notes,
    )?;
    let key = source_key(&plan.title, body.id, plan.first_day);
    let file_name = Some(request.file_name.as_str()).filter(|f| !f.trim().is_empty());
    let existing = match imports::by_source_key(tx, &key)? {
        Some(found) => Some(found),
        // A corrected version whose title changed: the same file, body and first day.
        None => match file_name {
            Some(name) => imports::by_file_name(
                tx,
                name,
                body.id,
                &format!("|{}|{}", body.id, plan.first_day),
            )?,
            None => None,
        },
    };
    if let Some(done) = existing.as_ref().filter(|e| e.content_hash == hash) {
        return Ok(Stored {
            outcome: ImportOutcome::Unchanged {
                meeting_id: done.meeting_id,
            },
            notes: vec![format!(
                "this file was imported on {} into meeting {}; nothing was written",
                done.imported_at.format("%Y-%m-%d %H:%M UTC"),
                done.meeting_id
            )],
            persons_created: 0,
            attendance: store::attendees(tx, done.meeting_id)?.len(),
        });
    }
    let (kind, why) = meeting_kind(&plan.title, body.kind);
    notes.push(format!("kind: {} ({why})", kind.label()));
    notes.extend(plan.notes.iter().cloned());
    let fields = |published: bool, description: &'static str| MeetingFields {
        body_id: body.id,
        title: &plan.title,
        kind,
        mode: plan.mode,
        venue: &plan.venue,
        time_zone: plan.zone.name(),
        starts_at: plan.starts_at,
        ends_at: plan.ends_at,
        description,
        published,
        join_url: None,
        stream_url: None,
    };
    let (meeting_id, import_id, outcome) = match existing {
        Some(earlier) => {
            let meeting = store::meeting(tx, earlier.meeting_id)?.ok_or(AppError::NotFound)?;
            if mstore::minutes(tx, meeting.id)?.is_some_and(|m| m.state == MinutesState::Approved) {
                return Err(AppError::Refused(
                    "the minutes of the meeting this document was imported into are approved; \
                     open a new revision of them before importing a corrected version",
                ));
            }
            mstore::delete_imported_actions(tx, meeting.id, earlier.id)?;
            store::clear_agenda(tx, meeting.id)?;
            store::clear_attendance(tx, meeting.id)?;
            let description = meeting.description.clone();
            // A corrected document keeps the links the secretariat gave the meeting.
            let join_url = store::join_url(tx, meeting.id)?;
            let updated = MeetingFields {
                description: &description,
                join_url: join_url.as_deref(),
                stream_url: meeting.stream_url.as_deref(),
                ..fields(meeting.published, "")
            };
            store::update_meeting(tx, meeting.id, &updated, now)?;
            imports::update(tx, earlier.id, &key, hash, file_name, now)?;
            notes.push(format!(
                "a different version of this document was imported on {}; its agenda, notes, \
                 actions and participants were replaced",
                earlier.imported_at.format("%Y-%m-%d %H:%M UTC")
            ));
            (
                meeting.id,
                earlier.id,
                ImportOutcome::Updated {
                    meeting_id: meeting.id,
                },
            )
        }
        None => {
            let id = store::insert_meeting(tx, &fields(false, ""), now)?;
            let import_id =
                imports::insert(tx, id, &key, hash, file_name, now).map_err(import_conflict)?;
            (id, import_id, ImportOutcome::Created { meeting_id: id })
        }
    };

    let mut room_ids: Vec<(&str, i64)> = Vec::new();
    for name in &plan.rooms {
        room_ids.push((name, store::insert_room(tx, meeting_id, name, "")?));
    }
    let mut item_ids: Vec<i64> = Vec::new();
    for day in &plan.days {
        let room_id = day
            .room
            .as_deref()
            .and_then(|r| room_ids.iter().find(|(n, _)| *n == r).map(|(_, id)| *id));
        let (label, cut) = fit(&day.labels.join("; "), MAX_LABEL);
        if cut {
            notes.push(format!(
                "the label of {} is longer than {MAX_LABEL} characters; shortened",
                day.date
            ));
        }
        let day_id = store::insert_day(
            tx,
            meeting_id,
            &DayFields {
                day: day.date,
                room_id,
                label: &label,
                input_documents: &day.input_documents,
                desired_outputs: &day.desired_outputs,
                starts_at: None,
                ends_at: None,
            },
        )?;
        for item in &day.items {
            let item_id = store::insert_item(
                tx,
                meeting_id,
                &ItemFields {
                    day_id,
                    parent_id: None,
                    number: item.number.as_deref(),
                    title: &item.title,
                    starts_at: item.starts_at,
                    ends_at: item.ends_at,
                    room_id: None,
                    presenters: "",
                    interventions: &item.interventions,
                    input_documents: &[],
                    desired_outputs: &[],
                },
            )?;
            if let Some(text) = &item.note {
                mstore::save_note(tx, meeting_id, item_id, 0, text, &caller.label, now)?;
            }
            item_ids.push(item_id);
        }
    }

    let mut groups: Vec<String> = Vec::new();
    let mut attending: Vec<i64> = Vec::new();
    let mut created: Vec<i64> = Vec::new();
    let mut ungrouped = 0;
    for p in &x.participants {
        let Ok(name) = PersonName::parse(
            p.family_name.as_deref().unwrap_or_default(),
            p.given_name.as_deref().unwrap_or_default(),
        ) else {
            notes.push(format!(
                "a participant ({} {}) has no usable name; skipped",
                p.given_name.as_deref().unwrap_or_default(),
                p.family_name.as_deref().unwrap_or_default()
            ));
            continue;
        };
        let group = match p.role_group.as_deref() {
            Some(g) => fit(g, MAX_GROUP).0,
            None => {
                ungrouped += 1;
                "Participants".to_owned()
            }
        };
        let known = dir::persons_named(tx, name.family(), name.given())?;
        let person_id = match known.first() {
            Some(person) => person.id,
            None => {
                let key = person_key(&name);
                let fields = PersonFields {
                    family_name: name.family(),
                    given_name: name.given(),
                    name_key: &key,
                    organization_id: None,
                    stakeholder_group: None,
                    country: None,
                    gender: None,
                    email: None,
                    time_zone: None,
                    user_id: None,
                };
                let id = dir::insert_person(tx, &fields, now)?;
                created.push(id);
                id
            }
        };
        if attending.contains(&person_id) {
            notes.push(format!(
                "{name} is listed more than once; kept in the first role group only"
            ));
            continue;
        }
        attending.push(person_id);
        store::upsert_attendee(
            tx,
            meeting_id,
            person_id,
            &group,
            AttendanceStatus::Attended,
        )?;
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    if ungrouped > 0 {
        notes.push(format!(
            "{ungrouped} participant(s) listed before any role group are stored under \"Participants\""
        ));
    }
    store::set_role_group_order(tx, meeting_id, &groups)?;

    // Actions belong to summary items, which are stored in order on the one day; the
    // participants are stored first, so that an owner can be one of them.
    for (n, action) in x.actions.iter().enumerate() {
        let (owner, note) = map_owner(tx, action.owner.as_deref(), &bodies, body)?;
        if let Some(note) = note {
            let item = action
                .item_number
                .as_deref()
                .map(|i| format!(" (item {i})"))
                .unwrap_or_default();
            notes.push(format!("action {}{item}: {note}", n + 1));
        }
        let new = NewAction {
            meeting_id,
            item_id: item_ids.get(action.item_index).copied(),
            text: &action.text,
            owner,
            due_on: action.due_date,
            by: &caller.label,
            owner_as_written: action.owner.as_deref(),
            import_id: Some(import_id),
        };
        let id = mstore::insert_action(tx, &new, now)?;
        // A past meeting's action whose date has gone by is history: no "due soon" mail
        // (the reminder is marked as sent, so the housekeeping skips it).
        if action.due_date.is_some_and(|due| due < now.date_naive()) {
            mstore::mark_reminded(tx, id, now)?;
        }
    }

    Change::new("meeting.import", "meeting", meeting_id)
        .detail(json!({
            "file_name": request.file_name,
            "outcome": outcome.as_str(),
            "kind": x.kind,
            "body_id": body.id,
            "sha256": hash,
            "items": item_ids.len(),
            "actions": x.actions.len(),
            "attendance": attending.len(),
            "persons_created": created,
        }))
        .record(tx, caller, now)?;
    Ok(Stored {
        outcome,
        notes,
        persons_created: created.len(),
        attendance: attending.len(),
    })
}

/// The tz database's fixed-offset zone for a whole-hour offset: UTC+3 is `Etc/GMT-3`
/// (the database's signs are inverted, POSIX style).
fn fixed_offset_zone(seconds: i32) -> Option<Zone> {
    if seconds == 0 {
        return Some(Zone::UTC);
    }
    if seconds % 3600 != 0 {
        return None;
    }
    Zone::parse("time_zone", &format!("Etc/GMT{:+}", -seconds / 3600)).ok()
}

/// The hash that says whether a document changed: of the lines of its text, so that
/// line endings, a byte-order mark and trailing blank lines do not count as changes, and
/// a Word file or PDF hashes as the text it was read as (which the page's confirmation
/// sends back).
fn content_hash(text: &str) -> String {
    let normalised = plenary_domain::import::lines(text).join("\n");
    crate::secrets::hex(&<sha2::Sha256 as sha2::Digest>::digest(
        normalised.trim_end().as_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_hour_offsets_have_a_fixed_zone_and_equal_texts_one_hash() {
        assert_eq!(fixed_offset_zone(10800).map(Zone::name), Some("Etc/GMT-3"));
        assert_eq!(fixed_offset_zone(-18000).map(Zone::name), Some("Etc/GMT+5"));
        assert_eq!(fixed_offset_zone(19800), None, "UTC+5:30 has no Etc zone");
        assert_eq!(
            content_hash("Title\nline\n"),
            content_hash("\u{feff}Title\r\nline\r\n\r\n")
        );
        assert_ne!(content_hash("Title\nline"), content_hash("Title\nline 2"));
    }

    #[test]
    fn short_names_count_as_whole_words_only() {
        assert!(contains_word("co-facilitators of the WG-Youth", "WG-Youth"));
        assert!(contains_word("MAG WG-Youth co-facilitators", "WG-Youth"));
        assert!(!contains_word("co-facilitators of the WG-Youth", "WG"));
        assert!(contains_word("MAG members", "MAG"));
        assert!(!contains_word("IMAGE team", "MAG"));
        assert!(!contains_word("anything", ""));
    }

    #[test]
    fn long_values_are_cut_with_an_ellipsis() {
        assert_eq!(fit("abc", 3), ("abc".to_owned(), false));
        assert_eq!(fit("abcdef", 4), ("abc…".to_owned(), true));
    }

    #[test]
    fn the_source_key_folds_the_title() {
        let day = NaiveDate::from_ymd_opt(2024, 8, 20).expect("date");
        assert_eq!(
            source_key("IGF 2024  MAG Meeting VIII", 3, day),
            source_key("igf 2024 mag meeting viii", 3, day)
        );
        assert_ne!(
            source_key("IGF 2024 MAG Meeting VIII", 3, day),
            source_key("IGF 2024 MAG Meeting VIII", 4, day)
        );
    }
}
