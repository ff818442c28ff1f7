//! The secretariat's programme pages: the board of an event (the timetable grid by
//! local day and room, the unplaced sessions, the conflicts, rooms, timeslots, people's
//! unavailability, the scheduler with its weights, publishing) and one session's page
//! (its form with its people, its placement by hand, pinning).

use super::DoneQuery;
use super::{Empty, ShownError, shown, with_status};
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use plenary_app::programme::{
    PlacementOption, ProgrammeView, ScheduleWeights, SessionView, TimeslotInput,
    UnavailabilityInput, WeightsInput,
};
use plenary_app::{AppError, Caller};
use plenary_domain::calls::SessionFormat;
use plenary_domain::programme::{
    PersonInput, ProgrammeRole, ProgrammeSessionType, RoomInput, SessionInput,
};
use plenary_domain::time::{Labelled, Zone, label};
use plenary_domain::{FieldError, Permission, Problem, Scope};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Pages with no use case of their own to check access (the empty session form) and
/// forms whose input the page reads first check the permission here; what they do
/// goes through use cases that check it again.
fn require_programme_manager(visitor: &Visitor) -> Result<(), PageError> {
    visitor.require_user()?;
    if visitor
        .caller()
        .principal
        .can(Permission::ManageProgramme, Scope::Global)
    {
        Ok(())
    } else {
        Err(PageError::App(AppError::Forbidden))
    }
}

fn is_yes(raw: &str) -> bool {
    matches!(raw, "yes" | "on" | "true" | "1")
}

/// Field errors with the names of this area's fields. Explanations that name their
/// subject themselves (a person of the session, a placement, the scheduler) are shown
/// as they are.
fn shown_here(errors: &[FieldError]) -> Vec<ShownError> {
    let mut out = shown(errors);
    for (e, s) in errors.iter().zip(out.iter_mut()) {
        let label = match e.field {
            "session_type" => "The session type",
            "theme" => "The theme",
            "description" => "The description",
            "duration" => "The duration",
            "expected_audience" => "The expected audience",
            "format" => "The format",
            "language" => "The language",
            "dates" => "The dates",
            "times" => "The times",
            "minutes" => "The length",
            "from" => "The start",
            "until" => "The end",
            "seed" => "The seed",
            "call" => "The call",
            "theme_parallel" => "The weight of same-theme sessions in parallel",
            "theme_same_day" => "The weight of same-theme sessions on one day",
            "online_hours" => "The weight of online people's late or early hours",
            "moved" => "The weight of a moved session",
            "hours_from" => "The first reasonable hour",
            "hours_until" => "The last reasonable hour",
            "people" | "slot" | "schedule" => {
                let text = e.problem.to_string();
                s.message = full_stop(text.trim_start_matches("is not valid: "));
                continue;
            }
            _ => continue,
        };
        s.message = format!("{label} {}", e.problem);
    }
    out
}

/// An explanation that starts with a name or a title, kept as it is, with a full stop.
fn full_stop(text: &str) -> String {
    let mut out = text.to_owned();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// "only a placed session…" → "Only a placed session….".
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => full_stop(&c.to_uppercase().chain(chars).collect::<String>()),
        None => String::new(),
    }
}

fn refusal(why: &str) -> Vec<ShownError> {
    vec![ShownError {
        field: "",
        message: sentence(why),
    }]
}

/// Where a refused form goes back to, with its status.
fn errors_of(error: AppError) -> Result<(Vec<ShownError>, StatusCode), PageError> {
    match error {
        AppError::Invalid(errors) => Ok((shown_here(&errors), StatusCode::UNPROCESSABLE_ENTITY)),
        AppError::Refused(why) => Ok((refusal(why), StatusCode::CONFLICT)),
        other => Err(other.into()),
    }
}

// ------------------------------------------------------------------ times

/// "CET (UTC+01:00, Europe/Zurich)".
fn zone_note(l: &Labelled, zone: Zone) -> String {
    if zone == Zone::UTC {
        format!("UTC (UTC{})", l.offset)
    } else {
        format!(
            "{} (UTC{}, {})",
            l.abbreviation_or_offset(),
            l.offset,
            zone.name()
        )
    }
}

/// "09:00–10:30".
fn span_hm(start: DateTime<Utc>, minutes: i64, zone: Zone) -> String {
    let (s, e) = (
        label(start, zone),
        label(start + Duration::minutes(minutes), zone),
    );
    format!("{}–{}", s.time_hm(), e.time_hm())
}

/// "Mon 7 Dec 09:00" in the event's zone.
fn short_at(at: DateTime<Utc>, zone: Zone) -> String {
    label(at, zone).local.format("%a %-d %b %H:%M").to_string()
}

/// A room and a timeslot as one form value: `ROOM:TIMESLOT`.
fn slot_value(room: i64, timeslot: i64) -> String {
    format!("{room}:{timeslot}")
}

fn parse_slot(raw: &str) -> Option<(i64, i64)> {
    let (room, timeslot) = raw.trim().split_once(':')?;
    Some((room.parse().ok()?, timeslot.parse().ok()?))
}

// ------------------------------------------------------------------ the forms

#[derive(Deserialize, Default, Clone)]
pub struct RoomForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    hybrid: String,
}

impl RoomForm {
    fn input(&self) -> RoomInput {
        RoomInput {
            name: self.name.clone(),
            capacity: self.capacity.clone(),
            hybrid: is_yes(&self.hybrid),
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct TimeslotForm {
    #[serde(default)]
    dates: String,
    #[serde(default)]
    times: String,
    #[serde(default)]
    minutes: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct UnavailabilityForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct WeightsForm {
    #[serde(default)]
    theme_parallel: String,
    #[serde(default)]
    theme_same_day: String,
    #[serde(default)]
    online_hours: String,
    #[serde(default)]
    moved: String,
    #[serde(default)]
    hours_from: String,
    #[serde(default)]
    hours_until: String,
}

impl WeightsForm {
    fn of(w: &ScheduleWeights) -> WeightsForm {
        WeightsForm {
            theme_parallel: w.theme_parallel.to_string(),
            theme_same_day: w.theme_same_day.to_string(),
            online_hours: w.online_hours.to_string(),
            moved: w.moved.to_string(),
            hours_from: w.hours_from.to_string(),
            hours_until: w.hours_until.to_string(),
        }
    }

    fn input(&self) -> WeightsInput {
        WeightsInput {
            theme_parallel: self.theme_parallel.clone(),
            theme_same_day: self.theme_same_day.clone(),
            online_hours: self.online_hours.clone(),
            moved: self.moved.clone(),
            hours_from: self.hours_from.clone(),
            hours_until: self.hours_until.clone(),
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct CallForm {
    #[serde(default)]
    call: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ScheduleForm {
    #[serde(default)]
    seed: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct PlaceForm {
    #[serde(default)]
    slot: String,
    #[serde(default, rename = "override")]
    override_rules: String,
}

// ------------------------------------------------------------------ the board

struct CellSession {
    id: i64,
    title: String,
    kind: &'static str,
    theme: String,
    audience: i64,
    pinned: bool,
    overridden: bool,
    conflicted: bool,
}

struct Cell {
    sessions: Vec<CellSession>,
}

struct SlotRow {
    id: i64,
    time: String,
    minutes: i64,
    cells: Vec<Cell>,
}

struct DayBlock {
    heading: String,
    zone: String,
    rows: Vec<SlotRow>,
}

struct RoomRow {
    id: i64,
    /// Starts the ids of the row's fields and messages (`r3-`).
    prefix: String,
    form: RoomForm,
    errors: Vec<ShownError>,
}

struct SessionLine {
    id: i64,
    /// The free rooms and times for it, each saying what it would break.
    choices: Vec<SlotChoice>,
    title: String,
    kind: &'static str,
    theme: String,
    audience: i64,
    duration: i64,
    people: String,
}

struct ConflictLine {
    message: String,
    sessions: Vec<(i64, String)>,
}

struct UnavailabilityLine {
    id: i64,
    name: String,
    from: String,
    until: String,
}

struct SlotChoice {
    value: String,
    label: String,
    /// Whether placing there breaks a hard rule (said in the label).
    breaks: bool,
}

/// A placement refused: the session, what was chosen and the override tick, shown again.
struct PlaceAgain {
    session: i64,
    title: String,
    slot: String,
    override_rules: bool,
    errors: Vec<ShownError>,
}

#[derive(Template)]
#[template(path = "admin_programme.html")]
struct BoardPage {
    chrome: Chrome,
    id: i64,
    title: String,
    zone: String,
    published: bool,
    /// "Working version — 3 changes since release 2 (published …)".
    working: String,
    notice: Option<String>,
    problems: Vec<ShownError>,
    conflicts: Vec<ConflictLine>,
    rooms: Vec<(i64, String)>,
    days: Vec<DayBlock>,
    unplaced: Vec<SessionLine>,
    /// The place forms of unplaced sessions are shown when they are few.
    inline_place: bool,
    place_again: Option<PlaceAgain>,
    place_choices: Vec<SlotChoice>,
    room_rows: Vec<RoomRow>,
    room_form: RoomForm,
    room_errors: Vec<ShownError>,
    timeslot_form: TimeslotForm,
    timeslot_errors: Vec<ShownError>,
    calls: Vec<(i64, String)>,
    call_form: CallForm,
    call_errors: Vec<ShownError>,
    seed: String,
    schedule_errors: Vec<ShownError>,
    weights_form: WeightsForm,
    weights_errors: Vec<ShownError>,
    unavailability: Vec<UnavailabilityLine>,
    unavailability_form: UnavailabilityForm,
    unavailability_errors: Vec<ShownError>,
    session_count: usize,
}

/// A form of the board refused with its errors, shown again as typed.
enum Refused {
    None,
    /// An action with no form of its own (pin, publish, delete): the reasons at the top.
    Problems(Vec<ShownError>),
    NewRoom(RoomForm, Vec<ShownError>),
    Room(i64, RoomForm, Vec<ShownError>),
    Timeslots(TimeslotForm, Vec<ShownError>),
    Call(CallForm, Vec<ShownError>),
    Schedule(String, Vec<ShownError>),
    Weights(WeightsForm, Vec<ShownError>),
    Unavailability(UnavailabilityForm, Vec<ShownError>),
    Place {
        session: i64,
        form: PlaceForm,
        errors: Vec<ShownError>,
    },
}

/// Unplaced sessions up to this many get a place form on the board itself.
const INLINE_PLACE_MAX: usize = 40;

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    done: String,
    #[serde(default)]
    added: Option<u64>,
    #[serde(default)]
    sessions: Option<u64>,
    #[serde(default)]
    placed: Option<u64>,
    #[serde(default)]
    moved: Option<u64>,
    #[serde(default)]
    pinned: Option<u64>,
    #[serde(default)]
    pairs: Option<u64>,
    #[serde(default)]
    cost: Option<i64>,
    #[serde(default)]
    bound: Option<i64>,
    #[serde(default)]
    release: Option<u64>,
    #[serde(default)]
    notified: Option<u64>,
}

fn board_notice(q: &BoardQuery) -> Option<String> {
    let n = |v: Option<u64>| v.unwrap_or(0);
    Some(match q.done.as_str() {
        "room" => "The room has been saved.".into(),
        "room_deleted" => "The room has been deleted; its sessions are unplaced.".into(),
        "timeslots" => format!("{} timeslot(s) added.", n(q.added)),
        "timeslot_deleted" => "The timeslot has been deleted; its sessions are unplaced.".into(),
        "from_call" => format!(
            "{} session(s) made from the accepted proposals: adjust their length and audience.",
            n(q.added)
        ),
        "scheduled" => format!(
            "The scheduler placed {} of {} session(s) ({} pinned, kept where they are); {} moved from where they were. Same-theme pairs in parallel: {}. Cost {} (lower bound {}).",
            n(q.placed),
            n(q.sessions),
            n(q.pinned),
            n(q.moved),
            n(q.pairs),
            q.cost.unwrap_or(0),
            q.bound.unwrap_or(0)
        ),
        "weights" => "The scheduler's weights have been saved.".into(),
        "unavailability" => "The unavailability has been recorded.".into(),
        "unavailability_deleted" => "The unavailability has been deleted.".into(),
        "released" => format!(
            "Release {} is published: the public sees it now. {} told by mail.",
            n(q.release),
            match n(q.notified) {
                1 => "1 person".to_owned(),
                n => format!("{n} people"),
            }
        ),
        "unpublished" => "The programme is no longer public.".into(),
        "placed" => "The session has been placed.".into(),
        "overridden" => {
            "The session has been placed against the rules: the conflict stays listed until it is moved."
                .into()
        }
        "unplaced" => "The session has been taken out of the timetable.".into(),
        "pinned" => "The session is pinned: the scheduler will not move it.".into(),
        "unpinned" => "The session is no longer pinned.".into(),
        "session_deleted" => "The session has been deleted.".into(),
        _ => return None,
    })
}

fn type_label(raw: &str) -> &'static str {
    ProgrammeSessionType::parse(raw).map_or("", |t| t.label())
}

/// Every room and timeslot as a choice ("Mon 7 Dec 09:00 · Room A (50 seats, hybrid)"),
/// taken ones marked with their session, or left out when `free_only`.
fn slot_choices(
    view: &ProgrammeView,
    free_only: bool,
    keep: Option<(i64, i64)>,
    options: Option<&[PlacementOption]>,
) -> Vec<SlotChoice> {
    let mut out = Vec::new();
    for t in &view.timeslots {
        for r in &view.rooms {
            let taken = view
                .sessions
                .iter()
                .find(|s| s.session.room_id == Some(r.id) && s.session.timeslot_id == Some(t.id));
            if free_only && taken.is_some() && keep != Some((r.id, t.id)) {
                continue;
            }
            let mut text = format!(
                "{} ({} min) · {} ({} seats{})",
                short_at(t.starts_at, view.zone),
                t.minutes,
                r.name,
                r.capacity,
                if r.hybrid { ", hybrid" } else { "" }
            );
            if let Some(s) = taken {
                text.push_str(&format!(" — now “{}”", s.session.title));
            }
            let breaks = options
                .and_then(|o| o.iter().find(|o| o.room == r.id && o.timeslot == t.id))
                .map(|o| o.breaks.as_slice())
                .unwrap_or_default();
            if !breaks.is_empty() {
                text.push_str(&format!(" — ⚠ {}", breaks.join("; ")));
            }
            out.push(SlotChoice {
                value: slot_value(r.id, t.id),
                label: text,
                breaks: !breaks.is_empty(),
            });
        }
    }
    out
}

fn people_text(v: &SessionView) -> String {
    v.people
        .iter()
        .map(|p| {
            let role = ProgrammeRole::parse(&p.role).map_or("", |r| r.label());
            let online = if p.online { ", online" } else { "" };
            format!("{} ({role}{online})", p.name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn day_blocks(view: &ProgrammeView) -> Vec<DayBlock> {
    let zone = view.zone;
    let conflicted: Vec<i64> = view
        .conflicts
        .iter()
        .flat_map(|c| c.sessions.iter().copied())
        .collect();
    let mut days: BTreeMap<chrono::NaiveDate, DayBlock> = BTreeMap::new();
    for t in &view.timeslots {
        let l = label(t.starts_at, zone);
        let day = days.entry(l.local.date()).or_insert_with(|| DayBlock {
            heading: l.local.format("%A %-d %B %Y").to_string(),
            zone: zone_note(&l, zone),
            rows: vec![],
        });
        let cells = view
            .rooms
            .iter()
            .map(|r| Cell {
                sessions: view
                    .sessions
                    .iter()
                    .filter(|s| {
                        s.session.room_id == Some(r.id) && s.session.timeslot_id == Some(t.id)
                    })
                    .map(|s| CellSession {
                        id: s.session.id,
                        title: s.session.title.clone(),
                        kind: type_label(&s.session.session_type),
                        theme: s.session.theme.clone(),
                        audience: s.session.expected_audience,
                        pinned: s.session.pinned,
                        overridden: s.session.overridden,
                        conflicted: conflicted.contains(&s.session.id),
                    })
                    .collect(),
            })
            .collect();
        let mut time = span_hm(t.starts_at, t.minutes, zone);
        let this_note = zone_note(&l, zone);
        if this_note != day.zone {
            // A clock change during the day: this row says its own offset.
            time = format!("{time} {}", l.abbreviation_or_offset());
        }
        day.rows.push(SlotRow {
            id: t.id,
            time,
            minutes: t.minutes,
            cells,
        });
    }
    days.into_values().collect()
}

async fn board_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    notice: Option<String>,
    refused: Refused,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    // The programme is the secretariat's: it checks access.
    let (view, calls, status, options) = state
        .run(move |app| {
            let view = app.programme(&caller, id)?;
            // What each place would break, beside it, for the pickers of the sessions
            // not yet placed (when there are few enough to offer pickers at all).
            let unplaced: Vec<i64> = view
                .sessions
                .iter()
                .filter(|s| s.timeslot.is_none())
                .map(|s| s.session.id)
                .collect();
            let options = if unplaced.len() <= INLINE_PLACE_MAX {
                app.placement_options(&caller, id, &unplaced)?
            } else {
                BTreeMap::new()
            };
            Ok((
                view,
                app.calls()?,
                app.programme_release_status(&caller, id)?,
                options,
            ))
        })
        .await?;
    let zone = view.zone;
    let titles: BTreeMap<i64, String> = view
        .sessions
        .iter()
        .map(|s| (s.session.id, s.session.title.clone()))
        .collect();
    let unplaced: Vec<SessionLine> = view
        .sessions
        .iter()
        .filter(|s| s.timeslot.is_none())
        .map(|s| SessionLine {
            choices: match options.get(&s.session.id) {
                Some(o) => {
                    // The places that keep every rule first (the default choice).
                    let mut choices = slot_choices(&view, true, None, Some(o));
                    choices.sort_by_key(|c| c.breaks);
                    choices
                }
                None => Vec::new(),
            },
            id: s.session.id,
            title: s.session.title.clone(),
            kind: type_label(&s.session.session_type),
            theme: s.session.theme.clone(),
            audience: s.session.expected_audience,
            duration: s.session.duration,
            people: people_text(s),
        })
        .collect();
    // The zone's label at the first timeslot (or the event's start).
    let first = view
        .timeslots
        .first()
        .map_or(view.event.starts_at, |t| t.starts_at);
    let mut page = BoardPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: view.event.title.clone(),
        zone: zone_note(&label(first, zone), zone),
        published: status.published,
        working: super::programme_release::working_line(
            status.latest.as_ref(),
            &status.changes,
            zone,
        ),
        notice,
        problems: vec![],
        conflicts: view
            .conflicts
            .iter()
            .map(|c| ConflictLine {
                message: c.message.clone(),
                sessions: c
                    .sessions
                    .iter()
                    .map(|s| (*s, titles.get(s).cloned().unwrap_or_default()))
                    .collect(),
            })
            .collect(),
        rooms: view.rooms.iter().map(|r| (r.id, r.name.clone())).collect(),
        days: day_blocks(&view),
        inline_place: unplaced.len() <= INLINE_PLACE_MAX,
        unplaced,
        place_again: None,
        place_choices: vec![],
        room_rows: view
            .rooms
            .iter()
            .map(|r| RoomRow {
                id: r.id,
                prefix: format!("r{}-", r.id),
                form: RoomForm {
                    name: r.name.clone(),
                    capacity: r.capacity.to_string(),
                    hybrid: if r.hybrid {
                        "yes".into()
                    } else {
                        String::new()
                    },
                },
                errors: vec![],
            })
            .collect(),
        room_form: RoomForm::default(),
        room_errors: vec![],
        timeslot_form: TimeslotForm {
            minutes: "90".into(),
            ..Default::default()
        },
        timeslot_errors: vec![],
        calls: calls.iter().map(|c| (c.id, c.title.clone())).collect(),
        call_form: CallForm::default(),
        call_errors: vec![],
        seed: "1".into(),
        schedule_errors: vec![],
        weights_form: WeightsForm::of(&view.weights),
        weights_errors: vec![],
        unavailability: view
            .unavailability
            .iter()
            .map(|u| UnavailabilityLine {
                id: u.id,
                name: u.name.clone(),
                from: label(u.starts_at, zone)
                    .local
                    .format("%a %-d %b %Y %H:%M")
                    .to_string(),
                until: label(u.ends_at, zone)
                    .local
                    .format("%a %-d %b %Y %H:%M")
                    .to_string(),
            })
            .collect(),
        unavailability_form: UnavailabilityForm::default(),
        unavailability_errors: vec![],
        session_count: view.sessions.len(),
    };
    match refused {
        Refused::None => {}
        Refused::Problems(errors) => page.problems = errors,
        Refused::NewRoom(form, errors) => {
            page.room_form = form;
            page.room_errors = errors;
        }
        Refused::Room(room, form, errors) => {
            if let Some(row) = page.room_rows.iter_mut().find(|r| r.id == room) {
                row.form = form;
                row.errors = errors;
            }
        }
        Refused::Timeslots(form, errors) => {
            page.timeslot_form = form;
            page.timeslot_errors = errors;
        }
        Refused::Call(form, errors) => {
            page.call_form = form;
            page.call_errors = errors;
        }
        Refused::Schedule(seed, errors) => {
            page.seed = seed;
            page.schedule_errors = errors;
        }
        Refused::Weights(form, errors) => {
            page.weights_form = form;
            page.weights_errors = errors;
        }
        Refused::Unavailability(form, errors) => {
            page.unavailability_form = form;
            page.unavailability_errors = errors;
        }
        Refused::Place {
            session,
            form,
            errors,
        } => {
            let current = view
                .sessions
                .iter()
                .find(|s| s.session.id == session)
                .and_then(|s| s.session.room_id.zip(s.session.timeslot_id));
            page.place_choices = slot_choices(&view, false, current, None);
            page.place_again = Some(PlaceAgain {
                session,
                title: titles.get(&session).cloned().unwrap_or_default(),
                slot: form.slot,
                override_rules: is_yes(&form.override_rules),
                errors,
            });
        }
    }
    Ok(render(&page))
}

pub async fn board(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    board_page(&state, &visitor, id, board_notice(&q), Refused::None).await
}

fn to_board(id: i64, done: &str) -> Response {
    Redirect::to(&format!("/admin/events/{id}/programme?done={done}")).into_response()
}

/// Shows the board again with a refused form, or passes the error on.
async fn board_refused(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    error: AppError,
    refused: impl FnOnce(Vec<ShownError>) -> Refused,
) -> Result<Response, PageError> {
    let (errors, status) = errors_of(error)?;
    Ok(with_status(
        board_page(state, visitor, id, None, refused(errors)).await?,
        status,
    ))
}

pub async fn add_room(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<RoomForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_programme_manager(&visitor)?;
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| app.save_programme_room(&caller, id, None, &input))
        .await
    {
        Ok(_) => Ok(to_board(id, "room")),
        Err(e) => board_refused(&state, &visitor, id, e, |e| Refused::NewRoom(form, e)).await,
    }
}

pub async fn update_room(
    State(state): State<AppState>,
    Path((id, room)): Path<(i64, i64)>,
    submitted: CsrfForm<RoomForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_programme_manager(&visitor)?;
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| app.save_programme_room(&caller, id, Some(room), &input))
        .await
    {
        Ok(_) => Ok(to_board(id, "room")),
        Err(e) => board_refused(&state, &visitor, id, e, |e| Refused::Room(room, form, e)).await,
    }
}

/// A board action that has no form of its own to re-show: runs `action` as the visitor
/// and goes back to the board with the `done` notice, or shows the board again with
/// the problem.
async fn board_action(
    state: &AppState,
    visitor: Visitor,
    id: i64,
    done: &'static str,
    action: impl FnOnce(plenary_app::App, Caller) -> Result<(), AppError> + Send + 'static,
) -> Result<Response, PageError> {
    require_programme_manager(&visitor)?;
    let caller = visitor.caller();
    match state.run(move |app| action(app, caller)).await {
        Ok(()) => Ok(to_board(id, done)),
        Err(e) => board_refused(state, &visitor, id, e, Refused::Problems).await,
    }
}

pub async fn delete_room(
    State(state): State<AppState>,
    Path((id, room)): Path<(i64, i64)>,
    submitted: CsrfForm<super::confirm::DeleteForm>,
) -> Result<Response, PageError> {
    if !submitted.form.confirmed() {
        let view = super::confirm::programme(&state, &submitted.visitor, id).await?;
        let question = super::confirm::programme_room_question(&view, room)?;
        return Ok(super::confirm::ask(&state, &submitted.visitor, question));
    }
    board_action(
        &state,
        submitted.visitor,
        id,
        "room_deleted",
        move |app, caller| app.delete_programme_room(&caller, id, room),
    )
    .await
}

pub async fn add_timeslots(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<TimeslotForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_programme_manager(&visitor)?;
    let caller = visitor.caller();
    let input = TimeslotInput {
        dates: form.dates.clone(),
        times: form.times.clone(),
        minutes: form.minutes.clone(),
    };
    match state
        .run(move |app| app.add_programme_timeslots(&caller, id, &input))
        .await
    {
        Ok(added) => Ok(Redirect::to(&format!(
            "/admin/events/{id}/programme?done=timeslots&added={}",
            added.len()
        ))
        .into_response()),
        Err(e) => board_refused(&state, &visitor, id, e, |e| Refused::Timeslots(form, e)).await,
    }
}

pub async fn delete_timeslot(
    State(state): State<AppState>,
    Path((id, timeslot)): Path<(i64, i64)>,
    submitted: CsrfForm<super::confirm::DeleteForm>,
) -> Result<Response, PageError> {
    if !submitted.form.confirmed() {
        let view = super::confirm::programme(&state, &submitted.visitor, id).await?;
        let question = super::confirm::timeslot_question(&view, timeslot)?;
        return Ok(super::confirm::ask(&state, &submitted.visitor, question));
    }
    board_action(
        &state,
        submitted.visitor,
        id,
        "timeslot_deleted",
        move |app, caller| app.delete_programme_timeslot(&caller, id, timeslot),
    )
    .await
}

pub async fn from_call(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<CallForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_programme_manager(&visitor)?;
    let Ok(call) = form.call.trim().parse::<i64>() else {
        let e = AppError::field("call", Problem::Invalid("choose a call"));
        return board_refused(&state, &visitor, id, e, |e| Refused::Call(form, e)).await;
    };
    let caller = visitor.caller();
    match state
        .run(move |app| app.sessions_from_call(&caller, id, call))
        .await
    {
        Ok(added) => Ok(Redirect::to(&format!(
            "/admin/events/{id}/programme?done=from_call&added={added}"
        ))
        .into_response()),
        Err(AppError::NotFound) => {
            // The event exists (the board shows), so it is the call that does not.
            let e = AppError::field("call", Problem::Invalid("no such call"));
            board_refused(&state, &visitor, id, e, |e| Refused::Call(form, e)).await
        }
        Err(e) => board_refused(&state, &visitor, id, e, |e| Refused::Call(form, e)).await,
    }
}

pub async fn schedule(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ScheduleForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_programme_manager(&visitor)?;
    let raw = form.seed.trim();
    let seed = if raw.is_empty() {
        Ok(1)
    } else {
        raw.parse::<u64>()
    };
    let Ok(seed) = seed else {
        let e = AppError::field("seed", Problem::Invalid("a whole number, 0 or more"));
        return board_refused(&state, &visitor, id, e, |e| Refused::Schedule(form.seed, e)).await;
    };
    let caller = visitor.caller();
    match state
        .run(move |app| app.run_scheduler(&caller, id, seed))
        .await
    {
        Ok(r) => Ok(Redirect::to(&format!(
            "/admin/events/{id}/programme?done=scheduled&sessions={}&placed={}&pinned={}&moved={}&pairs={}&cost={}&bound={}",
            r.sessions, r.placed, r.pinned, r.moved, r.theme_pairs, r.cost, r.lower_bound
        ))
        .into_response()),
        Err(e) => board_refused(&state, &visitor, id, e, |e| Refused::Schedule(form.seed, e)).await,
    }
}

pub async fn save_weights(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<WeightsForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_programme_manager(&visitor)?;
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| app.set_schedule_weights(&caller, id, &input))
        .await
    {
        Ok(_) => Ok(to_board(id, "weights")),
        Err(e) => board_refused(&state, &visitor, id, e, |e| Refused::Weights(form, e)).await,
    }
}

pub async fn add_unavailability(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<UnavailabilityForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_programme_manager(&visitor)?;
    let caller = visitor.caller();
    let input = UnavailabilityInput {
        name: form.name.clone(),
        from: form.from.clone(),
        until: form.until.clone(),
    };
    match state
        .run(move |app| app.add_unavailability(&caller, id, &input))
        .await
    {
        Ok(_) => Ok(to_board(id, "unavailability")),
        Err(e) => {
            board_refused(&state, &visitor, id, e, |e| {
                Refused::Unavailability(form, e)
            })
            .await
        }
    }
}

pub async fn delete_unavailability(
    State(state): State<AppState>,
    Path((id, entry)): Path<(i64, i64)>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    board_action(
        &state,
        submitted.visitor,
        id,
        "unavailability_deleted",
        move |app, caller| app.delete_unavailability(&caller, id, entry),
    )
    .await
}

pub async fn place(
    State(state): State<AppState>,
    Path((id, session)): Path<(i64, i64)>,
    submitted: CsrfForm<PlaceForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_programme_manager(&visitor)?;
    let raw = form.slot.trim();
    let slot = if raw.is_empty() {
        None
    } else if let Some(slot) = parse_slot(raw) {
        Some(slot)
    } else {
        let e = AppError::field("slot", Problem::Invalid("choose a room and a time"));
        return board_refused(&state, &visitor, id, e, |errors| Refused::Place {
            session,
            form,
            errors,
        })
        .await;
    };
    let override_rules = is_yes(&form.override_rules);
    let caller = visitor.caller();
    let placed = state
        .run(move |app| app.place_session(&caller, id, session, slot, override_rules))
        .await;
    match placed {
        Ok(conflicts) => {
            let done = match slot {
                None => "unplaced",
                Some(_) if conflicts.iter().any(|c| c.sessions.contains(&session)) => "overridden",
                Some(_) => "placed",
            };
            Ok(Redirect::to(&format!(
                "/admin/events/{id}/programme?done={done}#s{session}"
            ))
            .into_response())
        }
        Err(e) => {
            board_refused(&state, &visitor, id, e, |errors| Refused::Place {
                session,
                form,
                errors,
            })
            .await
        }
    }
}

async fn pin_to(
    state: AppState,
    id: i64,
    session: i64,
    visitor: Visitor,
    pinned: bool,
) -> Result<Response, PageError> {
    require_programme_manager(&visitor)?;
    let caller = visitor.caller();
    match state
        .run(move |app| app.pin_session(&caller, id, session, pinned))
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/admin/events/{id}/programme?done={}#s{session}",
            if pinned { "pinned" } else { "unpinned" }
        ))
        .into_response()),
        Err(e) => board_refused(&state, &visitor, id, e, Refused::Problems).await,
    }
}

pub async fn pin(
    State(state): State<AppState>,
    Path((id, session)): Path<(i64, i64)>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    pin_to(state, id, session, submitted.visitor, true).await
}

pub async fn unpin(
    State(state): State<AppState>,
    Path((id, session)): Path<(i64, i64)>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    pin_to(state, id, session, submitted.visitor, false).await
}

// ------------------------------------------------------------------ one session

/// Person rows beyond this index are not read (a form shows far fewer).
const MAX_PERSON_ROWS: usize = 64;
/// Empty person rows shown under the people already given.
const EMPTY_PERSON_ROWS: usize = 3;

/// A session's form as sent: its fields, person rows named `people[N][field]` and the
/// `version` the edit is based on.
#[derive(Default, Clone)]
struct SessionForm {
    title: String,
    session_type: String,
    theme: String,
    description: String,
    duration: String,
    expected_audience: String,
    format: String,
    language: String,
    people: Vec<PersonInput>,
    join_url: String,
    stream_url: String,
    version: String,
}

/// `people[2][name]` → (2, "name").
fn person_field(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("people[")?;
    let (index, rest) = rest.split_once("][")?;
    let field = rest.strip_suffix(']')?;
    let index: usize = index.parse().ok()?;
    (index < MAX_PERSON_ROWS).then_some((index, field))
}

impl SessionForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> SessionForm {
        let mut form = SessionForm::default();
        let mut people: BTreeMap<usize, PersonInput> = BTreeMap::new();
        for (name, value) in pairs {
            match name.as_str() {
                "title" => form.title = value,
                "session_type" => form.session_type = value,
                "theme" => form.theme = value,
                "description" => form.description = value,
                "duration" => form.duration = value,
                "expected_audience" => form.expected_audience = value,
                "format" => form.format = value,
                "language" => form.language = value,
                "version" => form.version = value,
                "join_url" => form.join_url = value,
                "stream_url" => form.stream_url = value,
                other => {
                    if let Some((index, field)) = person_field(other) {
                        let p = people.entry(index).or_default();
                        match field {
                            "name" => p.name = value,
                            "role" => p.role = value,
                            "online" => p.online = is_yes(&value),
                            "time_zone" => p.time_zone = value,
                            _ => {}
                        }
                    }
                }
            }
        }
        // A row with no name and no zone is no person (its role select and online
        // tick alone say nothing).
        form.people = people
            .into_values()
            .filter(|p| !(p.name.trim().is_empty() && p.time_zone.trim().is_empty()))
            .collect();
        form
    }

    /// The session's form, with its own link to join online (read apart).
    fn of(v: &SessionView, join_url: Option<String>) -> SessionForm {
        let s = &v.session;
        SessionForm {
            join_url: join_url.unwrap_or_default(),
            stream_url: s.stream_url.clone().unwrap_or_default(),
            title: s.title.clone(),
            session_type: s.session_type.clone(),
            theme: s.theme.clone(),
            description: s.description.clone(),
            duration: s.duration.to_string(),
            expected_audience: s.expected_audience.to_string(),
            format: s.format.clone(),
            language: s.language.clone(),
            people: v
                .people
                .iter()
                .map(|p| PersonInput {
                    name: p.name.clone(),
                    role: p.role.clone(),
                    online: p.online,
                    time_zone: p.time_zone.clone().unwrap_or_default(),
                })
                .collect(),
            version: s.version.to_string(),
        }
    }

    fn input(&self) -> SessionInput {
        SessionInput {
            title: self.title.clone(),
            session_type: self.session_type.clone(),
            theme: self.theme.clone(),
            description: self.description.clone(),
            duration: self.duration.clone(),
            expected_audience: self.expected_audience.clone(),
            format: self.format.clone(),
            language: self.language.clone(),
            people: self
                .people
                .iter()
                .map(|p| PersonInput {
                    // An unnamed row with a role left at its default is still a row
                    // the secretariat typed into: the domain names what is missing.
                    role: if p.role.trim().is_empty() {
                        ProgrammeRole::Speaker.as_str().into()
                    } else {
                        p.role.clone()
                    },
                    ..p.clone()
                })
                .collect(),
            join_url: self.join_url.clone(),
            stream_url: self.stream_url.clone(),
        }
    }

    /// The people as form rows, with empty rows to add more.
    fn rows(&self) -> Vec<PersonInput> {
        let mut rows = self.people.clone();
        rows.extend((0..EMPTY_PERSON_ROWS).map(|_| PersonInput {
            role: ProgrammeRole::Speaker.as_str().into(),
            ..Default::default()
        }));
        rows
    }
}

/// Where a session is, and what may be done about it.
struct Placement {
    at: Option<String>,
    pinned: bool,
    overridden: bool,
    current: String,
    choices: Vec<SlotChoice>,
    conflicts: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin_programme_session.html")]
struct SessionPage {
    chrome: Chrome,
    event_id: i64,
    event_title: String,
    zone: String,
    /// None: a new session.
    id: Option<i64>,
    notice: Option<&'static str>,
    form: SessionForm,
    rows: Vec<PersonInput>,
    errors: Vec<ShownError>,
    types: Vec<(&'static str, &'static str)>,
    formats: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
    placement: Option<Placement>,
    /// The people's accounts and invitations (an existing session's).
    speakers: Option<super::session_speakers::SpeakersSection>,
}

fn session_notice(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("The session has been added. Place it, or let the scheduler do it."),
        "saved" => Some("Saved."),
        "invited" => Some("The invitation has been sent."),
        "invitation-revoked" => Some("The invitation has been revoked."),
        _ => None,
    }
}

async fn session_page(
    state: &AppState,
    visitor: &Visitor,
    event_id: i64,
    session: Option<i64>,
    notice: Option<&'static str>,
    refused: Option<(SessionForm, Vec<ShownError>)>,
) -> Result<Response, PageError> {
    require_programme_manager(visitor)?;
    let speakers = match session {
        Some(sid) => {
            Some(super::session_speakers::section(state, visitor, event_id, sid, None).await?)
        }
        None => None,
    };
    session_page_of(state, visitor, event_id, session, notice, refused, speakers).await
}

/// A session's page re-shown with its invitation form refused.
pub(crate) async fn session_page_with_speakers(
    state: &AppState,
    visitor: &Visitor,
    event_id: i64,
    session: i64,
    refused: (super::session_speakers::SpeakerForm, Vec<ShownError>),
) -> Result<Response, PageError> {
    let speakers =
        super::session_speakers::section(state, visitor, event_id, session, Some(refused)).await?;
    session_page_of(
        state,
        visitor,
        event_id,
        Some(session),
        None,
        None,
        Some(speakers),
    )
    .await
}

async fn session_page_of(
    state: &AppState,
    visitor: &Visitor,
    event_id: i64,
    session: Option<i64>,
    notice: Option<&'static str>,
    refused: Option<(SessionForm, Vec<ShownError>)>,
    speakers: Option<super::session_speakers::SpeakersSection>,
) -> Result<Response, PageError> {
    require_programme_manager(visitor)?;
    let caller = visitor.caller();
    let (view, options) = state
        .run(move |app| {
            let options = match session {
                Some(sid) => app.placement_options(&caller, event_id, &[sid])?,
                None => BTreeMap::new(),
            };
            Ok((app.programme(&caller, event_id)?, options))
        })
        .await?;
    let zone = view.zone;
    let this = match session {
        Some(sid) => Some(
            view.sessions
                .iter()
                .find(|s| s.session.id == sid)
                .ok_or(PageError::NotFound)?,
        ),
        None => None,
    };
    let placement = this.map(|v| {
        let current = v.session.room_id.zip(v.session.timeslot_id);
        Placement {
            at: v.timeslot.as_ref().zip(v.room.as_ref()).map(|(t, r)| {
                let l = label(t.starts_at, zone);
                format!(
                    "{}, {} {} in {}",
                    l.local.format("%A %-d %B %Y"),
                    span_hm(t.starts_at, v.session.duration, zone),
                    l.abbreviation_or_offset(),
                    r.name
                )
            }),
            pinned: v.session.pinned,
            overridden: v.session.overridden,
            current: current.map(|(r, t)| slot_value(r, t)).unwrap_or_default(),
            choices: slot_choices(
                &view,
                false,
                current,
                options.get(&v.session.id).map(Vec::as_slice),
            ),
            conflicts: view
                .conflicts
                .iter()
                .filter(|c| c.sessions.contains(&v.session.id))
                .map(|c| c.message.clone())
                .collect(),
        }
    });
    let join_url = match (session, &refused) {
        (Some(sid), None) => {
            let caller = visitor.caller();
            state
                .run(move |app| app.programme_session_join_url(&caller, event_id, sid))
                .await?
        }
        _ => None,
    };
    let (form, errors) = match refused {
        Some((form, errors)) => (form, errors),
        None => (
            this.map(|v| SessionForm::of(v, join_url))
                .unwrap_or_else(|| SessionForm {
                    session_type: ProgrammeSessionType::Workshop.as_str().into(),
                    duration: "60".into(),
                    expected_audience: "50".into(),
                    format: SessionFormat::Onsite.as_str().into(),
                    ..Default::default()
                }),
            vec![],
        ),
    };
    let first = view
        .timeslots
        .first()
        .map_or(view.event.starts_at, |t| t.starts_at);
    Ok(render(&SessionPage {
        chrome: visitor.chrome(&state.app),
        event_id,
        event_title: view.event.title.clone(),
        zone: zone_note(&label(first, zone), zone),
        id: session,
        notice,
        rows: form.rows(),
        form,
        errors,
        types: ProgrammeSessionType::ALL
            .iter()
            .map(|t| (t.as_str(), t.label()))
            .collect(),
        formats: SessionFormat::ALL
            .iter()
            .map(|f| (f.as_str(), f.label()))
            .collect(),
        roles: ProgrammeRole::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect(),
        placement,
        speakers,
    }))
}

pub async fn new_session(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    session_page(&state, &visitor, id, None, None, None).await
}

pub async fn show_session(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, session)): Path<(i64, i64)>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    session_page(
        &state,
        &visitor,
        id,
        Some(session),
        session_notice(&q.done),
        None,
    )
    .await
}

async fn save_session(
    state: AppState,
    id: i64,
    session: Option<i64>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_programme_manager(&visitor)?;
    let form = SessionForm::from_pairs(form);
    let at = match session {
        None => None,
        Some(sid) => {
            let Ok(version) = form.version.trim().parse::<i64>() else {
                let errors = refusal(
                    "the form lost its version: reload the session, then make your change again",
                );
                return Ok(with_status(
                    session_page(&state, &visitor, id, session, None, Some((form, errors))).await?,
                    StatusCode::CONFLICT,
                ));
            };
            Some((sid, version))
        }
    };
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| app.save_programme_session(&caller, id, at, &input))
        .await
    {
        Ok(saved) => Ok(Redirect::to(&format!(
            "/admin/events/{id}/programme/sessions/{}?done={}",
            saved.session.id,
            if session.is_some() {
                "saved"
            } else {
                "created"
            }
        ))
        .into_response()),
        Err(e) => {
            let (errors, status) = errors_of(e)?;
            Ok(with_status(
                session_page(&state, &visitor, id, session, None, Some((form, errors))).await?,
                status,
            ))
        }
    }
}

pub async fn create_session(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save_session(state, id, None, submitted).await
}

pub async fn update_session(
    State(state): State<AppState>,
    Path((id, session)): Path<(i64, i64)>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save_session(state, id, Some(session), submitted).await
}

pub async fn delete_session(
    State(state): State<AppState>,
    Path((id, session)): Path<(i64, i64)>,
    submitted: CsrfForm<super::confirm::DeleteForm>,
) -> Result<Response, PageError> {
    if !submitted.form.confirmed() {
        let view = super::confirm::programme(&state, &submitted.visitor, id).await?;
        let question = super::confirm::session_question(&view, session)?;
        return Ok(super::confirm::ask(&state, &submitted.visitor, question));
    }
    board_action(
        &state,
        submitted.visitor,
        id,
        "session_deleted",
        move |app, caller| app.delete_programme_session(&caller, id, session),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn person_rows_are_read_in_order_and_empty_rows_dropped() {
        let form = SessionForm::from_pairs(pairs(&[
            ("title", "Last mile"),
            ("people[1][name]", "Bo Li"),
            ("people[1][role]", "speaker"),
            ("people[0][name]", "Ana"),
            ("people[0][role]", "moderator"),
            ("people[0][online]", "yes"),
            ("people[0][time_zone]", "America/Bogota"),
            ("people[2][role]", "speaker"),
            ("people[3][online]", "yes"),
            ("people[999][name]", "Too far"),
            ("people[x][name]", "Not a row"),
            ("version", "4"),
        ]));
        let names: Vec<&str> = form.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ana", "Bo Li"]);
        assert!(form.people[0].online && !form.people[1].online);
        assert_eq!(form.people[0].time_zone, "America/Bogota");
        assert_eq!(form.version, "4");
        assert_eq!(form.rows().len(), 2 + EMPTY_PERSON_ROWS);
    }

    #[test]
    fn slots_round_trip_through_their_form_value() {
        assert_eq!(parse_slot(&slot_value(3, 17)), Some((3, 17)));
        assert_eq!(parse_slot("3"), None);
        assert_eq!(parse_slot("a:1"), None);
    }

    #[test]
    fn explanations_become_sentences() {
        let errors = [FieldError::new(
            "slot",
            Problem::Explained("Ana in two places at once".into()),
        )];
        assert_eq!(shown_here(&errors)[0].message, "Ana in two places at once.");
    }
}
