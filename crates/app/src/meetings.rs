//! Meetings, their rooms, multi-day agendas and attendance.

use crate::accounts::require_account;
use crate::audit::Change;
use crate::input::{Errors, missing, optional};
use crate::{App, AppError, Caller};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use plenary_domain::links::parse_web_link;
use plenary_domain::meetings::{
    AttendanceStatus, MeetingKind, MeetingMode, Span, day_hours, instant, meeting_dates,
    outside_hours, parse_lines, parse_time,
};
use plenary_domain::people::{parse_date, parse_long_text, parse_title};
use plenary_domain::time::Zone;
use plenary_domain::{FieldError, Permission, Problem, Scope};
use plenary_store::Tx;
use plenary_store::directory::{self as dir, Body};
use plenary_store::meetings::{
    self as store, Attendee, Day, DayFields, Item, ItemFields, Meeting, MeetingFields, Room,
};
use serde_json::json;

fn can_manage(caller: &Caller, body_id: i64) -> bool {
    caller
        .principal
        .can(Permission::ManageMeetings, Scope::Body(body_id))
}

fn require_manage(caller: &Caller, body_id: i64) -> Result<(), AppError> {
    require_account(caller)?;
    if can_manage(caller, body_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A meeting the caller may manage, loaded in the transaction.
fn managed_meeting(tx: &mut Tx<'_>, caller: &Caller, id: i64) -> Result<Meeting, AppError> {
    require_account(caller)?;
    let meeting = store::meeting(tx, id)?.ok_or(AppError::NotFound)?;
    require_manage(caller, meeting.body_id)?;
    Ok(meeting)
}

fn zone_of(meeting: &Meeting) -> Result<Zone, AppError> {
    Zone::parse("time_zone", &meeting.time_zone)
        .map_err(|_| AppError::Internal(format!("stored zone {:?} unknown", meeting.time_zone)))
}

// ------------------------------------------------------------------ meetings

#[derive(Debug, Clone, Default)]
pub struct MeetingInput {
    pub body_id: Option<i64>,
    pub title: String,
    pub kind: String,
    pub mode: String,
    pub venue: String,
    pub time_zone: String,
    /// Local date and time in the meeting's zone.
    pub starts_on: String,
    pub starts_time: String,
    pub ends_on: String,
    pub ends_time: String,
    pub description: String,
    pub published: bool,
    /// The link to join online, for the entitled only (empty for none).
    pub join_url: String,
    /// The link of the public stream (empty for none).
    pub stream_url: String,
}

struct ValidMeeting {
    body_id: i64,
    title: String,
    kind: MeetingKind,
    mode: MeetingMode,
    venue: String,
    zone: Zone,
    span: Span,
    description: String,
    join_url: Option<String>,
    stream_url: Option<String>,
}

impl MeetingInput {
    fn validate(&self) -> Result<ValidMeeting, AppError> {
        let mut e = Errors::default();
        let body_id = e.take(
            self.body_id
                .ok_or(FieldError::new("body_id", Problem::Required)),
        );
        let title = e.take(parse_title("title", &self.title, 300));
        let kind = e.take(MeetingKind::parse_field("kind", &self.kind));
        let mode = e.take(MeetingMode::parse_field("mode", &self.mode));
        let venue = e.take(parse_long_text("venue", &self.venue, 500));
        let zone = e.take(Zone::find("time_zone", &self.time_zone));
        let description = e.take(parse_long_text("description", &self.description, 20_000));
        let join_url = e.take(parse_web_link("join_url", &self.join_url));
        let stream_url = e.take(parse_web_link("stream_url", &self.stream_url));
        let starts_on = e.take(parse_date("starts_on", &self.starts_on));
        let starts_time = e.take(parse_time("starts_time", &self.starts_time));
        let ends_on = e.take(parse_date("ends_on", &self.ends_on));
        let ends_time = e.take(parse_time("ends_time", &self.ends_time));
        let span = match (zone, starts_on, starts_time, ends_on, ends_time) {
            (Some(z), Some(sd), Some(st), Some(ed), Some(et)) => {
                let start = e.take(instant("starts_time", sd, st, z));
                let end = e.take(instant("ends_time", ed, et, z));
                match (start, end) {
                    (Some(s), Some(en)) => e.take(Span::new(s, en, "ends_on")),
                    _ => None,
                }
            }
            _ => None,
        };
        e.finish()?;
        let (Some(join_url), Some(stream_url)) = (join_url, stream_url) else {
            return Err(missing());
        };
        match (body_id, title, kind, mode, venue, zone, span, description) {
            (
                Some(body_id),
                Some(title),
                Some(kind),
                Some(mode),
                Some(venue),
                Some(zone),
                Some(span),
                Some(description),
            ) => Ok(ValidMeeting {
                body_id,
                title,
                kind,
                mode,
                venue,
                zone,
                span,
                description,
                join_url,
                stream_url,
            }),
            _ => Err(missing()),
        }
    }
}

/// A day of the agenda with its items in order.
#[derive(Debug, Clone)]
pub struct DayView {
    pub day: Day,
    pub room: Option<Room>,
    pub items: Vec<ItemView>,
    /// When the day opens and closes (see [`day_hours`]).
    pub hours: (DateTime<Utc>, DateTime<Utc>),
    /// The items and sub-items whose times fall outside those hours.
    pub outside_hours: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct ItemView {
    pub item: Item,
    pub room: Option<Room>,
    pub subitems: Vec<Item>,
}

/// Everything a meeting's page shows.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub meeting: Meeting,
    pub body: Body,
    pub zone: Zone,
    pub rooms: Vec<Room>,
    pub days: Vec<DayView>,
    /// Attendees grouped by role group, in the order the secretariat set (groups
    /// without a set place follow, alphabetically).
    pub participants: Vec<(String, Vec<Attendee>)>,
    pub can_manage: bool,
    /// The link to join online, only when the caller is entitled to it (see
    /// [`may_join`]); None otherwise and when the meeting has none.
    pub join_url: Option<String>,
}

/// Whether the caller may have the meeting's link to join online: those who manage
/// the meeting, and the readers of its circulated minutes (the body's current members
/// and the meeting's participants, through the directory entry linked to the caller's
/// account). Never an anonymous visitor.
fn may_join(
    tx: &mut Tx<'_>,
    caller: &Caller,
    meeting: &Meeting,
    manages: bool,
    today: NaiveDate,
) -> Result<bool, AppError> {
    if caller.principal.user_id().is_none() {
        return Ok(false);
    }
    Ok(manages || crate::minutes::is_reader(tx, caller, meeting, today)?)
}

fn group_participants(attendees: Vec<Attendee>, order: &[String]) -> Vec<(String, Vec<Attendee>)> {
    let mut groups: Vec<(String, Vec<Attendee>)> = Vec::new();
    for a in attendees {
        match groups.iter_mut().find(|(g, _)| *g == a.role_group) {
            Some((_, list)) => list.push(a),
            None => groups.push((a.role_group.clone(), vec![a])),
        }
    }
    let rank = |g: &str| order.iter().position(|o| o == g).unwrap_or(usize::MAX);
    groups.sort_by(|(a, _), (b, _)| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    groups
}

fn assemble_days(
    meeting: &Meeting,
    zone: Zone,
    days: Vec<Day>,
    items: Vec<Item>,
    rooms: &[Room],
) -> Vec<DayView> {
    let room = |id: Option<i64>| id.and_then(|id| rooms.iter().find(|r| r.id == id).cloned());
    days.into_iter()
        .map(|day| {
            let top: Vec<ItemView> = items
                .iter()
                .filter(|i| i.day_id == day.id && i.parent_id.is_none())
                .map(|i| ItemView {
                    room: room(i.room_id),
                    subitems: items
                        .iter()
                        .filter(|s| s.parent_id == Some(i.id))
                        .cloned()
                        .collect(),
                    item: i.clone(),
                })
                .collect();
            let hours = day_hours(
                day.day,
                (day.starts_at, day.ends_at),
                (meeting.starts_at, meeting.ends_at),
                zone,
            );
            let outside_hours = items
                .iter()
                .filter(|i| i.day_id == day.id && outside_hours((i.starts_at, i.ends_at), hours))
                .map(|i| i.id)
                .collect();
            DayView {
                room: room(day.room_id),
                day,
                items: top,
                hours,
                outside_hours,
            }
        })
        .collect()
}

impl App {
    /// Refuses, before looking at the input, a caller who does not manage the meeting.
    /// (The write transaction checks again; this keeps "not allowed" ahead of "invalid".)
    fn require_meeting_manager(&self, caller: &Caller, meeting_id: i64) -> Result<(), AppError> {
        require_account(caller)?;
        self.db()
            .read(|tx| managed_meeting(tx, caller, meeting_id).map(|_| ()))
    }

    /// Published meetings of a body (or all bodies), plus unpublished ones the caller manages.
    pub fn meetings(
        &self,
        caller: &Caller,
        body_id: Option<i64>,
    ) -> Result<Vec<Meeting>, AppError> {
        let all = self.db().read(|tx| store::meetings(tx, body_id, true))?;
        Ok(all
            .into_iter()
            .filter(|m| m.published || can_manage(caller, m.body_id))
            .collect())
    }

    /// A meeting with its agenda and participants; unpublished ones only for managers.
    pub fn meeting(&self, caller: &Caller, id: i64) -> Result<MeetingView, AppError> {
        let today = self.now().date_naive();
        self.db().read(|tx| {
            let meeting = store::meeting(tx, id)?.ok_or(AppError::NotFound)?;
            let manage = can_manage(caller, meeting.body_id);
            if !meeting.published && !manage {
                return Err(AppError::NotFound);
            }
            let body = dir::body(tx, meeting.body_id)?.ok_or(AppError::NotFound)?;
            let rooms = store::rooms(tx, id)?;
            let zone = zone_of(&meeting)?;
            let days = assemble_days(
                &meeting,
                zone,
                store::days(tx, id)?,
                store::items(tx, id)?,
                &rooms,
            );
            let order = store::role_group_order(tx, id)?;
            let participants = group_participants(store::attendees(tx, id)?, &order);
            let join_url = if may_join(tx, caller, &meeting, manage, today)? {
                store::join_url(tx, id)?
            } else {
                None
            };
            Ok(MeetingView {
                zone,
                meeting,
                body,
                rooms,
                days,
                participants,
                can_manage: manage,
                join_url,
            })
        })
    }

    /// Creates (`id` None) or updates a meeting of a body the caller manages.
    pub fn save_meeting(
        &self,
        caller: &Caller,
        id: Option<i64>,
        input: &MeetingInput,
    ) -> Result<Meeting, AppError> {
        require_account(caller)?;
        if let Some(id) = id {
            self.db()
                .read(|tx| managed_meeting(tx, caller, id).map(|_| ()))?;
        }
        if let Some(body) = input.body_id {
            require_manage(caller, body)?;
        }
        let v = input.validate()?;
        let now = self.now();
        self.db().write(|tx| {
            dir::body(tx, v.body_id)?.ok_or(AppError::field("body_id", Problem::Unknown("body")))?;
            let fields = MeetingFields {
                body_id: v.body_id,
                title: &v.title,
                kind: v.kind,
                mode: v.mode,
                venue: &v.venue,
                time_zone: v.zone.name(),
                starts_at: v.span.start(),
                ends_at: v.span.end(),
                description: &v.description,
                published: input.published,
                join_url: v.join_url.as_deref(),
                stream_url: v.stream_url.as_deref(),
            };
            let id = match id {
                None => store::insert_meeting(tx, &fields, now)?,
                Some(id) => {
                    // Moving a meeting needs the right to manage both bodies.
                    managed_meeting(tx, caller, id)?;
                    days_within_new_dates(tx, id, &v)?;
                    store::update_meeting(tx, id, &fields, now)?;
                    id
                }
            };
            Change::new("meeting.save", "meeting", id)
                .detail(json!({ "title": v.title, "body_id": v.body_id, "time_zone": v.zone.name(), "published": input.published }))
                .record(tx, caller, now)?;
            store::meeting(tx, id)?.ok_or(AppError::NotFound)
        })
    }

    pub fn delete_meeting(&self, caller: &Caller, id: i64) -> Result<(), AppError> {
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, id)?;
            crate::minutes::clear_actions_before_delete(tx, id)?;
            store::delete_meeting(tx, id)?;
            Change::new("meeting.delete", "meeting", id).record(tx, caller, now)?;
            Ok(())
        })
    }
}

// ------------------------------------------------------------------ rooms and days

#[derive(Debug, Clone, Default)]
pub struct RoomInput {
    pub name: String,
    pub building: String,
}

impl RoomInput {
    /// The room's name (required) and building.
    fn validate(&self) -> Result<(String, String), AppError> {
        let mut e = Errors::default();
        let name = e.take(parse_title("name", &self.name, 200));
        let building = e.take(parse_long_text("building", &self.building, 200));
        e.finish()?;
        name.zip(building).ok_or_else(missing)
    }
}

/// Two rooms of one meeting cannot share a name.
fn room_name_taken(err: plenary_store::StoreError) -> AppError {
    match err {
        plenary_store::StoreError::Conflict(_) => AppError::field("name", Problem::Taken),
        other => other.into(),
    }
}

#[derive(Debug, Clone, Default)]
pub struct DayInput {
    pub day: String,
    pub room_id: Option<i64>,
    pub label: String,
    /// The day's hours, local HH:MM in the meeting's zone; both optional.
    pub starts: String,
    pub ends: String,
    pub input_documents: String,
    pub desired_outputs: String,
}

fn room_of_meeting(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    room: Option<i64>,
    field: &'static str,
) -> Result<(), AppError> {
    match room {
        Some(r) if !store::rooms(tx, meeting_id)?.iter().any(|x| x.id == r) => Err(
            AppError::field(field, Problem::Unknown("room of this meeting")),
        ),
        _ => Ok(()),
    }
}

/// Refuses a day outside the meeting's dates (in its zone).
fn day_within_meeting(meeting: &Meeting, zone: Zone, day: NaiveDate) -> Result<(), AppError> {
    let (first, last) = meeting_dates(meeting.starts_at, meeting.ends_at, zone);
    if (first..=last).contains(&day) {
        return Ok(());
    }
    let span = if first == last {
        format!("on {}", first.format("%-d %B %Y"))
    } else {
        format!(
            "from {} to {}",
            first.format("%-d %B %Y"),
            last.format("%-d %B %Y")
        )
    };
    Err(AppError::field(
        "day",
        Problem::Explained(format!(
            "the meeting runs {span}; change the meeting's dates first to add a day outside them"
        )),
    ))
}

/// The instants of a day's hours, checked: the closing after the opening.
fn day_instants(
    day: NaiveDate,
    starts: Option<NaiveTime>,
    ends: Option<NaiveTime>,
    zone: Zone,
) -> Result<ItemTimes, AppError> {
    let start = starts
        .map(|t| instant("starts", day, t, zone))
        .transpose()?;
    let end = ends.map(|t| instant("ends", day, t, zone)).transpose()?;
    if let (Some(s), Some(e)) = (start, end) {
        Span::new(s, e, "ends")?;
    }
    Ok((start, end))
}

/// Refuses new meeting dates that would leave a day of the agenda outside them.
fn days_within_new_dates(
    tx: &mut Tx<'_>,
    meeting_id: i64,
    v: &ValidMeeting,
) -> Result<(), AppError> {
    let (first, last) = meeting_dates(v.span.start(), v.span.end(), v.zone);
    let days = store::days(tx, meeting_id)?;
    let refuse = |field: &'static str, day: NaiveDate| {
        AppError::field(
            field,
            Problem::Explained(format!(
                "the agenda has a day on {}; move or delete that day first",
                day.format("%-d %B %Y")
            )),
        )
    };
    if let Some(early) = days.iter().map(|d| d.day).filter(|d| *d < first).min() {
        return Err(refuse("starts_on", early));
    }
    if let Some(late) = days.iter().map(|d| d.day).filter(|d| *d > last).max() {
        return Err(refuse("ends_on", late));
    }
    Ok(())
}

impl App {
    pub fn add_room(
        &self,
        caller: &Caller,
        meeting_id: i64,
        input: &RoomInput,
    ) -> Result<Room, AppError> {
        self.require_meeting_manager(caller, meeting_id)?;
        let (name, building) = input.validate()?;
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            let id =
                store::insert_room(tx, meeting_id, &name, &building).map_err(room_name_taken)?;
            store::touch_meeting(tx, meeting_id, now)?;
            Change::new("room.add", "meeting", meeting_id)
                .detail(json!({ "room_id": id, "name": name }))
                .record(tx, caller, now)?;
            store::rooms(tx, meeting_id)?
                .into_iter()
                .find(|r| r.id == id)
                .ok_or(AppError::NotFound)
        })
    }

    /// Renames a room or changes its building.
    pub fn update_room(
        &self,
        caller: &Caller,
        meeting_id: i64,
        room_id: i64,
        input: &RoomInput,
    ) -> Result<Room, AppError> {
        self.require_meeting_manager(caller, meeting_id)?;
        let (name, building) = input.validate()?;
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            room_of_meeting(tx, meeting_id, Some(room_id), "room_id")
                .map_err(|_| AppError::NotFound)?;
            store::update_room(tx, room_id, &name, &building).map_err(room_name_taken)?;
            store::touch_meeting(tx, meeting_id, now)?;
            Change::new("room.update", "meeting", meeting_id)
                .detail(json!({ "room_id": room_id, "name": name }))
                .record(tx, caller, now)?;
            store::rooms(tx, meeting_id)?
                .into_iter()
                .find(|r| r.id == room_id)
                .ok_or(AppError::NotFound)
        })
    }

    pub fn delete_room(
        &self,
        caller: &Caller,
        meeting_id: i64,
        room_id: i64,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            room_of_meeting(tx, meeting_id, Some(room_id), "room_id")
                .map_err(|_| AppError::NotFound)?;
            store::delete_room(tx, room_id)?;
            store::touch_meeting(tx, meeting_id, now)?;
            Change::new("room.delete", "meeting", meeting_id)
                .detail(json!({ "room_id": room_id }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    /// Adds (`day_id` None) or changes a day of the agenda.
    pub fn save_day(
        &self,
        caller: &Caller,
        meeting_id: i64,
        day_id: Option<i64>,
        input: &DayInput,
    ) -> Result<Day, AppError> {
        self.require_meeting_manager(caller, meeting_id)?;
        let mut e = Errors::default();
        let day = e.take(parse_date("day", &input.day));
        let label = e.take(parse_long_text("label", &input.label, 300));
        let docs = e.take(parse_lines("input_documents", &input.input_documents, 100));
        let outputs = e.take(parse_lines("desired_outputs", &input.desired_outputs, 100));
        let starts = e.take(optional(&input.starts, |r| parse_time("starts", r)));
        let ends = e.take(optional(&input.ends, |r| parse_time("ends", r)));
        e.finish()?;
        let (Some(day), Some(label), Some(docs), Some(outputs), Some(starts), Some(ends)) =
            (day, label, docs, outputs, starts, ends)
        else {
            return Err(missing());
        };
        let now = self.now();
        self.db().write(|tx| {
            let meeting = managed_meeting(tx, caller, meeting_id)?;
            let zone = zone_of(&meeting)?;
            day_within_meeting(&meeting, zone, day)?;
            let (starts_at, ends_at) = day_instants(day, starts, ends, zone)?;
            room_of_meeting(tx, meeting_id, input.room_id, "room_id")?;
            let fields = DayFields {
                day,
                room_id: input.room_id,
                label: &label,
                starts_at,
                ends_at,
                input_documents: &docs,
                desired_outputs: &outputs,
            };
            let taken = |err| match err {
                plenary_store::StoreError::Conflict(_) => {
                    AppError::field("day", Problem::Invalid("the agenda has this day already"))
                }
                other => other.into(),
            };
            let id = match day_id {
                None => store::insert_day(tx, meeting_id, &fields).map_err(taken)?,
                Some(id) => {
                    let existing = store::day(tx, id)?
                        .filter(|d| d.meeting_id == meeting_id)
                        .ok_or(AppError::NotFound)?;
                    store::update_day(tx, existing.id, &fields).map_err(taken)?;
                    id
                }
            };
            store::touch_meeting(tx, meeting_id, now)?;
            Change::new("agenda_day.save", "meeting", meeting_id)
                .detail(json!({ "day_id": id, "day": day }))
                .record(tx, caller, now)?;
            store::day(tx, id)?.ok_or(AppError::NotFound)
        })
    }

    pub fn delete_day(
        &self,
        caller: &Caller,
        meeting_id: i64,
        day_id: i64,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            store::day(tx, day_id)?
                .filter(|d| d.meeting_id == meeting_id)
                .ok_or(AppError::NotFound)?;
            store::delete_day(tx, day_id)?;
            store::touch_meeting(tx, meeting_id, now)?;
            Change::new("agenda_day.delete", "meeting", meeting_id)
                .detail(json!({ "day_id": day_id }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }
}

// ------------------------------------------------------------------ items

#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub day_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub number: String,
    pub title: String,
    /// Local HH:MM on the item's day, in the meeting's zone; both optional.
    pub starts: String,
    pub ends: String,
    pub room_id: Option<i64>,
    pub presenters: String,
    pub interventions: String,
    pub input_documents: String,
    pub desired_outputs: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

struct ValidItem {
    day_id: i64,
    number: Option<String>,
    title: String,
    starts: Option<chrono::NaiveTime>,
    ends: Option<chrono::NaiveTime>,
    presenters: String,
    interventions: Vec<String>,
    input_documents: Vec<String>,
    desired_outputs: Vec<String>,
}

impl ItemInput {
    fn validate(&self) -> Result<ValidItem, AppError> {
        let mut e = Errors::default();
        let day_id = e.take(
            self.day_id
                .ok_or(FieldError::new("day_id", Problem::Required)),
        );
        let number = e
            .take(parse_long_text("number", &self.number, 20))
            .map(|n| Some(n).filter(|n| !n.is_empty()));
        let title = e.take(parse_title("title", &self.title, 500));
        let starts = e.take(optional(&self.starts, |r| parse_time("starts", r)));
        let ends = e.take(optional(&self.ends, |r| parse_time("ends", r)));
        if matches!((&starts, &ends), (Some(None), Some(Some(_)))) {
            e.0.push(FieldError::new("starts", Problem::Required));
        }
        let presenters = e.take(parse_long_text("presenters", &self.presenters, 1000));
        let interventions = e.take(parse_lines("interventions", &self.interventions, 200));
        let input_documents = e.take(parse_lines("input_documents", &self.input_documents, 100));
        let desired_outputs = e.take(parse_lines("desired_outputs", &self.desired_outputs, 100));
        e.finish()?;
        match (
            day_id,
            number,
            title,
            starts,
            ends,
            presenters,
            interventions,
            input_documents,
            desired_outputs,
        ) {
            (
                Some(day_id),
                Some(number),
                Some(title),
                Some(starts),
                Some(ends),
                Some(presenters),
                Some(interventions),
                Some(input_documents),
                Some(desired_outputs),
            ) => Ok(ValidItem {
                day_id,
                number,
                title,
                starts,
                ends,
                presenters,
                interventions,
                input_documents,
                desired_outputs,
            }),
            _ => Err(missing()),
        }
    }
}

/// An item's start and end instants, when given.
type ItemTimes = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The instants of an item's local times on its day, checked: end after start, and no
/// other top-level item in the same room at the same time.
fn item_times(
    tx: &mut Tx<'_>,
    meeting: &Meeting,
    day: &Day,
    v: &ValidItem,
    room: Option<i64>,
    is_top_level: bool,
    except: Option<i64>,
) -> Result<ItemTimes, AppError> {
    let zone = zone_of(meeting)?;
    let start = v
        .starts
        .map(|t| instant("starts", day.day, t, zone))
        .transpose()?;
    let end = v
        .ends
        .map(|t| instant("ends", day.day, t, zone))
        .transpose()?;
    let (Some(start), Some(end)) = (start, end) else {
        return Ok((start, end));
    };
    let span = Span::new(start, end, "ends")?;
    let effective_room = room.or(day.room_id);
    if let (true, Some(room)) = (is_top_level, effective_room) {
        let days = store::days(tx, meeting.id)?;
        let room_of = |i: &Item| {
            i.room_id.or_else(|| {
                days.iter()
                    .find(|d| d.id == i.day_id)
                    .and_then(|d| d.room_id)
            })
        };
        let clash = store::items(tx, meeting.id)?.iter().any(|other| {
            Some(other.id) != except
                && other.parent_id.is_none()
                && room_of(other) == Some(room)
                && matches!((other.starts_at, other.ends_at), (Some(s), Some(e)) if Span::new(s, e, "ends").is_ok_and(|o| o.overlaps(&span)))
        });
        if clash {
            return Err(AppError::field(
                "starts",
                Problem::Invalid("another item is in the same room at that time"),
            ));
        }
    }
    Ok((Some(start), Some(end)))
}

impl App {
    /// Adds (`item_id` None) or changes an agenda item or sub-item.
    pub fn save_item(
        &self,
        caller: &Caller,
        meeting_id: i64,
        item_id: Option<i64>,
        input: &ItemInput,
    ) -> Result<Item, AppError> {
        self.require_meeting_manager(caller, meeting_id)?;
        let v = input.validate()?;
        let now = self.now();
        self.db().write(|tx| {
            let meeting = managed_meeting(tx, caller, meeting_id)?;
            let day = store::day(tx, v.day_id)?
                .filter(|d| d.meeting_id == meeting_id)
                .ok_or(AppError::field(
                    "day_id",
                    Problem::Unknown("day of this meeting"),
                ))?;
            room_of_meeting(tx, meeting_id, input.room_id, "room_id")?;
            if let Some(parent) = input.parent_id {
                let p = store::item(tx, parent)?.filter(|p| {
                    p.meeting_id == meeting_id && p.day_id == day.id && p.parent_id.is_none()
                });
                if p.is_none() || Some(parent) == item_id {
                    return Err(AppError::field(
                        "parent_id",
                        Problem::Invalid("a sub-item belongs to an item of the same day"),
                    ));
                }
            }
            let (starts_at, ends_at) = item_times(
                tx,
                &meeting,
                &day,
                &v,
                input.room_id,
                input.parent_id.is_none(),
                item_id,
            )?;
            let fields = ItemFields {
                day_id: day.id,
                parent_id: input.parent_id,
                number: v.number.as_deref(),
                title: &v.title,
                starts_at,
                ends_at,
                room_id: input.room_id,
                presenters: &v.presenters,
                interventions: &v.interventions,
                input_documents: &v.input_documents,
                desired_outputs: &v.desired_outputs,
            };
            let id = match item_id {
                None => store::insert_item(tx, meeting_id, &fields)?,
                Some(id) => {
                    store::item(tx, id)?
                        .filter(|i| i.meeting_id == meeting_id)
                        .ok_or(AppError::NotFound)?;
                    store::update_item(tx, id, &fields)?;
                    id
                }
            };
            store::touch_meeting(tx, meeting_id, now)?;
            Change::new("agenda_item.save", "meeting", meeting_id)
                .detail(json!({ "item_id": id, "title": v.title }))
                .record(tx, caller, now)?;
            store::item(tx, id)?.ok_or(AppError::NotFound)
        })
    }

    pub fn delete_item(
        &self,
        caller: &Caller,
        meeting_id: i64,
        item_id: i64,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            store::item(tx, item_id)?
                .filter(|i| i.meeting_id == meeting_id)
                .ok_or(AppError::NotFound)?;
            store::delete_item(tx, item_id)?;
            store::touch_meeting(tx, meeting_id, now)?;
            Change::new("agenda_item.delete", "meeting", meeting_id)
                .detail(json!({ "item_id": item_id }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    /// Moves an item one place up or down among its siblings (same day, same parent).
    pub fn move_item(
        &self,
        caller: &Caller,
        meeting_id: i64,
        item_id: i64,
        direction: Move,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            let item = store::item(tx, item_id)?.filter(|i| i.meeting_id == meeting_id).ok_or(AppError::NotFound)?;
            let mut siblings: Vec<Item> = store::items(tx, meeting_id)?
                .into_iter()
                .filter(|i| i.day_id == item.day_id && i.parent_id == item.parent_id)
                .collect();
            siblings.sort_by_key(|i| (i.position, i.id));
            let Some(at) = siblings.iter().position(|i| i.id == item_id) else { return Err(AppError::NotFound) };
            let other = match direction {
                Move::Up => at.checked_sub(1),
                Move::Down => Some(at + 1).filter(|n| *n < siblings.len()),
            };
            if let Some(other) = other {
                siblings.swap(at, other);
                // Renumber so that equal positions from older data cannot stall a move.
                for (position, sibling) in siblings.iter().enumerate() {
                    store::set_position(tx, sibling.id, position as i64 + 1)?;
                }
                store::touch_meeting(tx, meeting_id, now)?;
                Change::new("agenda_item.move", "meeting", meeting_id)
                    .detail(json!({ "item_id": item_id, "direction": if direction == Move::Up { "up" } else { "down" } }))
                    .record(tx, caller, now)?;
            }
            Ok(())
        })
    }
}

// ------------------------------------------------------------------ attendance

#[derive(Debug, Clone, Default)]
pub struct AttendeeInput {
    pub person_id: Option<i64>,
    pub role_group: String,
    pub status: String,
}

impl App {
    /// Invites a person, or changes their role group or status.
    pub fn set_attendee(
        &self,
        caller: &Caller,
        meeting_id: i64,
        input: &AttendeeInput,
    ) -> Result<(), AppError> {
        self.require_meeting_manager(caller, meeting_id)?;
        let mut e = Errors::default();
        let person = e.take(
            input
                .person_id
                .ok_or(FieldError::new("person_id", Problem::Required)),
        );
        let group = e.take(parse_title("role_group", &input.role_group, 100));
        let status = e.take(if input.status.trim().is_empty() {
            Ok(AttendanceStatus::Invited)
        } else {
            AttendanceStatus::parse_field("status", &input.status)
        });
        e.finish()?;
        let (Some(person), Some(group), Some(status)) = (person, group, status) else {
            return Err(missing());
        };
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            dir::person(tx, person)?
                .ok_or(AppError::field("person_id", Problem::Unknown("person")))?;
            store::upsert_attendee(tx, meeting_id, person, &group, status)?;
            store::touch_meeting(tx, meeting_id, now)?;
            Change::new("attendance.set", "meeting", meeting_id)
                .detail(json!({ "person_id": person, "role_group": group, "status": status }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    pub fn remove_attendee(
        &self,
        caller: &Caller,
        meeting_id: i64,
        person_id: i64,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            if !store::remove_attendee(tx, meeting_id, person_id)? {
                return Err(AppError::NotFound);
            }
            Change::new("attendance.remove", "meeting", meeting_id)
                .detail(json!({ "person_id": person_id }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    /// Sets the order of role groups in the participant list (one group per line).
    pub fn set_role_group_order(
        &self,
        caller: &Caller,
        meeting_id: i64,
        groups: &str,
    ) -> Result<(), AppError> {
        self.require_meeting_manager(caller, meeting_id)?;
        let groups = parse_lines("role_groups", groups, 50)?;
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            let mut unique: Vec<String> = Vec::new();
            for g in groups {
                if !unique.contains(&g) {
                    unique.push(g);
                }
            }
            store::set_role_group_order(tx, meeting_id, &unique)?;
            Change::new("role_groups.order", "meeting", meeting_id)
                .detail(json!({ "order": unique }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }
}

// ------------------------------------------------------------------ calendars

fn host_of(base_url: &str) -> &str {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    rest.split(['/', ':']).next().unwrap_or("plenary.invalid")
}

impl App {
    /// A meeting's calendar events: one per day it sits (see
    /// [`plenary_domain::ical::daily_sittings`]), the first with the meeting's own UID.
    fn calendar_events(
        &self,
        m: &Meeting,
        agenda: Option<&[DayView]>,
        join_url: Option<&str>,
    ) -> Result<Vec<plenary_domain::ical::Event>, AppError> {
        let whole = self.calendar_event(m, agenda, join_url)?;
        let sittings = plenary_domain::ical::daily_sittings(m.starts_at, m.ends_at, whole.zone);
        if sittings.len() < 2 {
            return Ok(vec![whole]);
        }
        let days = sittings.len();
        Ok(sittings
            .into_iter()
            .enumerate()
            .map(|(n, (starts_at, ends_at))| {
                let mut event = whole.clone();
                if n > 0 {
                    event.uid = whole.uid.replacen('@', &format!("-day{}@", n + 1), 1);
                }
                event.summary = format!("{} (day {} of {days})", whole.summary, n + 1);
                event.starts_at = starts_at;
                event.ends_at = ends_at;
                event
            })
            .collect())
    }

    /// A meeting's event; `join_url` only in a calendar made for someone entitled to it.
    fn calendar_event(
        &self,
        m: &Meeting,
        agenda: Option<&[DayView]>,
        join_url: Option<&str>,
    ) -> Result<plenary_domain::ical::Event, AppError> {
        let base = self.config().base_url.trim_end_matches('/');
        let mut description = m.description.clone();
        // Many calendar programs ignore CONFERENCE: the links go in the text too.
        if let Some(join) = join_url {
            description.push_str(&format!("\n\nJoin online: {join}"));
        }
        if let Some(stream) = &m.stream_url {
            description.push_str(&format!("\n\nWatch the stream: {stream}"));
        }
        for day in agenda.unwrap_or_default() {
            description.push_str(&format!("\n\n{}", day.day.day.format("%A %-d %B %Y")));
            for i in &day.items {
                let number = i
                    .item
                    .number
                    .as_deref()
                    .map(|n| format!("{n}. "))
                    .unwrap_or_default();
                description.push_str(&format!("\n- {number}{}", i.item.title));
            }
        }
        Ok(plenary_domain::ical::Event {
            uid: format!("meeting-{}@{}", m.id, host_of(base)),
            summary: m.title.clone(),
            description: Some(description.trim().to_owned()).filter(|d| !d.is_empty()),
            location: Some(m.venue.clone()).filter(|v| !v.is_empty()),
            url: Some(format!("{base}/meetings/{}", m.id)),
            conference: join_url.map(str::to_owned),
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            zone: zone_of(m)?,
            last_modified: m.updated_at,
            // Seconds since creation would do; minutes since 2020 fit in u32 for centuries.
            sequence: u32::try_from((m.updated_at.timestamp() - 1_577_836_800).max(0) / 60)
                .unwrap_or(u32::MAX),
            cancelled: false,
        })
    }

    /// One meeting as an iCalendar file, an event per day it sits, its agenda in the
    /// description; with the link to join online when the caller is entitled to it.
    pub fn meeting_calendar(&self, caller: &Caller, id: i64) -> Result<String, AppError> {
        let view = self.meeting(caller, id)?;
        let events =
            self.calendar_events(&view.meeting, Some(&view.days), view.join_url.as_deref())?;
        Ok(plenary_domain::ical::Calendar {
            name: &view.meeting.title,
            events: &events,
        }
        .render(self.now()))
    }

    /// The published meetings of a body as a subscribable calendar feed.
    pub fn body_calendar(&self, body_id: i64) -> Result<String, AppError> {
        let (body, meetings) = self.db().read(|tx| {
            let body = dir::body(tx, body_id)?.ok_or(AppError::NotFound)?;
            Ok::<_, AppError>((body, store::meetings(tx, Some(body_id), false)?))
        })?;
        let mut events = Vec::with_capacity(meetings.len());
        for m in &meetings {
            // A feed anyone may subscribe to: never a join link.
            events.extend(self.calendar_events(m, None, None)?);
        }
        Ok(plenary_domain::ical::Calendar {
            name: &format!("{} meetings", body.short_name),
            events: &events,
        }
        .render(self.now()))
    }
}

// ------------------------------------------------------------------ documents

/// The largest document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// Accepted file kinds, by extension: the content type served is ours, never the
/// uploader's.
const DOCUMENT_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("txt", "text/plain; charset=utf-8"),
    ("md", "text/markdown; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

/// A file as uploaded.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub item_id: Option<i64>,
    pub title: String,
    pub filename: String,
    pub data: Vec<u8>,
}

/// The file name without any path, with only characters that are safe in a header.
fn clean_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    base.chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\'))
        .collect::<String>()
        .trim()
        .chars()
        .take(200)
        .collect()
}

fn document_type(filename: &str) -> Option<&'static str> {
    let ext = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    DOCUMENT_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, t)| *t)
}

impl App {
    /// Stores an input document of a meeting (or of one of its items).
    pub fn upload_document(
        &self,
        caller: &Caller,
        meeting_id: i64,
        upload: &Upload,
    ) -> Result<store::Document, AppError> {
        self.require_meeting_manager(caller, meeting_id)?;
        let filename = clean_filename(&upload.filename);
        let mut e = Errors::default();
        if upload.data.is_empty() {
            e.0.push(FieldError::new("file", Problem::Required));
        } else if upload.data.len() > MAX_DOCUMENT_BYTES {
            e.0.push(FieldError::new(
                "file",
                Problem::Invalid("a document may be at most 10 MiB"),
            ));
        }
        let content_type = document_type(&filename);
        if content_type.is_none() && !upload.data.is_empty() {
            e.0.push(FieldError::new("file", Problem::Invalid("accepted: PDF, Word, Excel, PowerPoint, OpenDocument, text, Markdown, CSV, PNG, JPEG")));
        }
        let title = if upload.title.trim().is_empty() {
            filename.clone()
        } else {
            upload.title.clone()
        };
        let title = e.take(parse_title("title", &title, 300));
        e.finish()?;
        let (Some(title), Some(content_type)) = (title, content_type) else {
            return Err(missing());
        };
        let sha = crate::secrets::hex(&<sha2::Sha256 as sha2::Digest>::digest(&upload.data));
        let now = self.now();
        self.db().write(|tx| {
            managed_meeting(tx, caller, meeting_id)?;
            if let Some(item) = upload.item_id {
                store::item(tx, item)?.filter(|i| i.meeting_id == meeting_id).ok_or(AppError::field("item_id", Problem::Unknown("item of this meeting")))?;
            }
            let new = store::NewDocument { item_id: upload.item_id, title: &title, filename: &filename, content_type, sha256: &sha, data: &upload.data };
            let id = store::insert_document(tx, meeting_id, &new, now)?;
            store::touch_meeting(tx, meeting_id, now)?;
            Change::new("document.upload", "meeting", meeting_id)
                .detail(json!({ "document_id": id, "filename": filename, "size": upload.data.len(), "sha256": sha }))
                .record(tx, caller, now)?;
            store::document(tx, id)?.ok_or(AppError::NotFound)
        })
    }

    /// The documents of a meeting the caller may see.
    pub fn documents(
        &self,
        caller: &Caller,
        meeting_id: i64,
    ) -> Result<Vec<store::Document>, AppError> {
        self.meeting(caller, meeting_id)?;
        Ok(self.db().read(|tx| store::documents(tx, meeting_id))?)
    }

    /// A document with its contents, if the caller may see its meeting.
    pub fn document(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(store::Document, Vec<u8>), AppError> {
        let doc = self
            .db()
            .read(|tx| store::document(tx, id))?
            .ok_or(AppError::NotFound)?;
        self.meeting(caller, doc.meeting_id)?;
        let data = self
            .db()
            .read(|tx| store::document_data(tx, id))?
            .ok_or(AppError::NotFound)?;
        Ok((doc, data))
    }

    pub fn delete_document(&self, caller: &Caller, id: i64) -> Result<i64, AppError> {
        require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let doc = store::document(tx, id)?.ok_or(AppError::NotFound)?;
            managed_meeting(tx, caller, doc.meeting_id)?;
            store::delete_document(tx, id)?;
            store::touch_meeting(tx, doc.meeting_id, now)?;
            Change::new("document.delete", "meeting", doc.meeting_id)
                .detail(json!({ "document_id": id }))
                .record(tx, caller, now)?;
            Ok(doc.meeting_id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenary_domain::meetings::AttendanceStatus;

    fn attendee(name: &str, group: &str) -> Attendee {
        Attendee {
            id: 0,
            person_id: 0,
            family_name: Some(name.into()),
            given_name: None,
            organization: None,
            role_group: group.into(),
            status: AttendanceStatus::Invited,
        }
    }

    #[test]
    fn participants_follow_the_set_group_order_then_the_alphabet() {
        let list = vec![
            attendee("A", "Observers"),
            attendee("B", "MAG Chair"),
            attendee("C", "Host Country"),
            attendee("D", "MAG Chair"),
        ];
        let groups = group_participants(list, &["MAG Chair".into(), "Host Country".into()]);
        let names: Vec<(&str, usize)> = groups.iter().map(|(g, l)| (g.as_str(), l.len())).collect();
        assert_eq!(
            names,
            [("MAG Chair", 2), ("Host Country", 1), ("Observers", 1)]
        );
    }
}

#[cfg(test)]
mod document_tests {
    use super::*;

    #[test]
    fn file_names_lose_paths_and_header_breaking_characters() {
        assert_eq!(
            clean_filename("C:\\Users\\ana\\Draft \"v2\".pdf"),
            "Draft v2.pdf"
        );
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a;b\r\n.txt"), "ab.txt");
    }

    #[test]
    fn only_known_kinds_are_accepted_and_typed_by_us() {
        assert_eq!(document_type("Agenda.PDF"), Some("application/pdf"));
        assert_eq!(document_type("page.html"), None);
        assert_eq!(document_type("noextension"), None);
    }
}
