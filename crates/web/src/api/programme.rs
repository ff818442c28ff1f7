//! The programme of an event over JSON: the secretariat keeps rooms, timeslots and
//! sessions with their people, places sessions by hand (a move that breaks a hard rule
//! is refused with its reasons unless overridden), records who is unavailable, sets
//! the scheduler's weights, runs it and publishes; the public reads the published
//! programme (placed sessions only). The secretariat's view, with unavailability and
//! conflicts, is marked `Cache-Control: no-store`.

use super::meetings::{LabelledInstant, labelled};
use super::schema::{self, Items};
use super::{ApiJson, instant as iso, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use plenary_app::programme::{
    ConflictView, ProgrammeView, Room, ScheduleReport, ScheduleWeights, SessionView, TimeslotInput,
    Unavailability, UnavailabilityInput, WeightsInput,
};
use plenary_app::{App, AppError, Caller};
use plenary_domain::Problem;
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
use plenary_domain::time::Zone;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

schema::closed_names! {
    /// A kind of programme session.
    ProgrammeSessionType => plenary_domain::programme::ProgrammeSessionType::ALL;
    /// A person's role in a session.
    ProgrammeRole => plenary_domain::programme::ProgrammeRole::ALL;
    /// How a session is held.
    SessionFormat => plenary_domain::calls::SessionFormat::ALL;
}

/// A local wall-clock time, `HH:MM`.
struct LocalTime;

impl JsonSchema for LocalTime {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "LocalTime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$" })
    }
}

fn no_store<T: Serialize>(status: StatusCode, value: T) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(value)).into_response()
}

/// A field the body must carry, checked after the caller's access (through the app), so
/// that a caller who may not manage the programme learns 403, not what the body lacks.
fn required<T>(
    app: &App,
    caller: &Caller,
    event: i64,
    value: Option<T>,
    field: &'static str,
) -> Result<T, AppError> {
    match value {
        Some(v) => Ok(v),
        None => {
            app.programme(caller, event)?;
            Err(AppError::field(field, Problem::Required))
        }
    }
}

/// A room of the programme.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeRoom")]
pub(crate) struct RoomOut {
    id: i64,
    name: String,
    /// Seats.
    capacity: i64,
    /// Equipped for hybrid and online sessions.
    hybrid: bool,
}

impl From<&Room> for RoomOut {
    fn from(r: &Room) -> Self {
        RoomOut {
            id: r.id,
            name: r.name.clone(),
            capacity: r.capacity,
            hybrid: r.hybrid,
        }
    }
}

/// A timeslot of the programme.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Timeslot")]
pub(crate) struct TimeslotOut {
    id: i64,
    starts_at: LabelledInstant,
    ends_at: LabelledInstant,
    minutes: i64,
    /// The local date.
    #[schemars(with = "schema::Date")]
    day: String,
}

impl TimeslotOut {
    fn new(t: &plenary_app::programme::Timeslot, zone: Zone) -> Self {
        let ends = t.starts_at + chrono::Duration::minutes(t.minutes);
        TimeslotOut {
            id: t.id,
            starts_at: labelled(t.starts_at, zone),
            ends_at: labelled(ends, zone),
            minutes: t.minutes,
            day: t
                .starts_at
                .with_timezone(&zone.tz())
                .date_naive()
                .to_string(),
        }
    }
}

/// Where a session is placed.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammePlacement")]
pub(crate) struct PlacementOut {
    room_id: i64,
    room: String,
    timeslot_id: i64,
    starts_at: LabelledInstant,
    ends_at: LabelledInstant,
}

impl PlacementOut {
    fn of(v: &SessionView, zone: Zone) -> Option<Self> {
        match (&v.room, &v.timeslot, v.ends_at()) {
            (Some(room), Some(slot), Some(ends)) => Some(PlacementOut {
                room_id: room.id,
                room: room.name.clone(),
                timeslot_id: slot.id,
                starts_at: labelled(slot.starts_at, zone),
                ends_at: labelled(ends, zone),
            }),
            _ => None,
        }
    }
}

/// A person of a session.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammePerson")]
pub(crate) struct PersonOut {
    name: String,
    #[schemars(with = "ProgrammeRole")]
    role: String,
    /// Takes part online.
    online: bool,
    /// IANA zone; null: the event's.
    time_zone: Option<String>,
}

/// A session as the secretariat sees it.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeSession")]
pub(crate) struct SessionOut {
    id: i64,
    title: String,
    #[schemars(with = "ProgrammeSessionType")]
    session_type: String,
    theme: String,
    description: String,
    /// Minutes.
    duration: i64,
    expected_audience: i64,
    #[schemars(with = "SessionFormat")]
    format: String,
    language: String,
    /// The accepted proposal it was made from.
    submission_id: Option<i64>,
    people: Vec<PersonOut>,
    /// Where it is; null while unplaced.
    placement: Option<PlacementOut>,
    /// The scheduler never moves it.
    pinned: bool,
    /// Placed by hand against a hard rule.
    overridden: bool,
    #[schemars(with = "schema::Instant")]
    created_at: String,
    #[schemars(with = "schema::Instant")]
    updated_at: String,
    /// Send it back to replace the session.
    version: i64,
    /// The session's own link to join online (for the secretariat and entitled
    /// participants only; null: the event's own link serves).
    join_url: Option<String>,
    /// The link of the public stream.
    stream_url: Option<String>,
}

impl SessionOut {
    /// `join`: the sessions' own join links, by session.
    fn new(v: &SessionView, zone: Zone, join: &BTreeMap<i64, String>) -> Self {
        let s = &v.session;
        SessionOut {
            join_url: join.get(&s.id).cloned(),
            stream_url: s.stream_url.clone(),
            id: s.id,
            title: s.title.clone(),
            session_type: s.session_type.clone(),
            theme: s.theme.clone(),
            description: s.description.clone(),
            duration: s.duration,
            expected_audience: s.expected_audience,
            format: s.format.clone(),
            language: s.language.clone(),
            submission_id: s.submission_id,
            people: v
                .people
                .iter()
                .map(|p| PersonOut {
                    name: p.name.clone(),
                    role: p.role.clone(),
                    online: p.online,
                    time_zone: p.time_zone.clone(),
                })
                .collect(),
            placement: PlacementOut::of(v, zone),
            pinned: s.pinned,
            overridden: s.overridden,
            created_at: iso(s.created_at),
            updated_at: iso(s.updated_at),
            version: s.version,
        }
    }
}

/// A person of a placed session, as the public sees them.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "PublicProgrammePerson")]
pub(crate) struct PublicPersonOut {
    name: String,
    #[schemars(with = "ProgrammeRole")]
    role: String,
    /// Takes part online.
    online: bool,
}

/// A placed session as the public sees it: no audience estimate, version or people's
/// time zones.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "PublicProgrammeSession")]
pub(crate) struct PublicSessionOut {
    id: i64,
    title: String,
    #[schemars(with = "ProgrammeSessionType")]
    session_type: String,
    theme: String,
    description: String,
    /// Minutes.
    duration: i64,
    #[schemars(with = "SessionFormat")]
    format: String,
    language: String,
    people: Vec<PublicPersonOut>,
    /// Where it is.
    placement: Option<PlacementOut>,
    /// The link of the public stream. (The link to join is never public.)
    stream_url: Option<String>,
}

impl PublicSessionOut {
    fn new(v: &SessionView, zone: Zone) -> Self {
        let s = &v.session;
        PublicSessionOut {
            id: s.id,
            title: s.title.clone(),
            session_type: s.session_type.clone(),
            theme: s.theme.clone(),
            description: s.description.clone(),
            duration: s.duration,
            format: s.format.clone(),
            language: s.language.clone(),
            people: v
                .people
                .iter()
                .map(|p| PublicPersonOut {
                    name: p.name.clone(),
                    role: p.role.clone(),
                    online: p.online,
                })
                .collect(),
            placement: PlacementOut::of(v, zone),
            stream_url: s.stream_url.clone(),
        }
    }
}

/// A person's unavailability.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Unavailability")]
pub(crate) struct UnavailabilityOut {
    id: i64,
    /// The person's name as listed in sessions.
    name: String,
    from: LabelledInstant,
    until: LabelledInstant,
}

impl UnavailabilityOut {
    fn new(u: &Unavailability, zone: Zone) -> Self {
        UnavailabilityOut {
            id: u.id,
            name: u.name.clone(),
            from: labelled(u.starts_at, zone),
            until: labelled(u.ends_at, zone),
        }
    }
}

/// A broken hard rule, in words, with the sessions it concerns.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeConflict")]
pub(crate) struct ConflictOut {
    sessions: Vec<i64>,
    message: String,
}

impl From<&ConflictView> for ConflictOut {
    fn from(c: &ConflictView) -> Self {
        ConflictOut {
            sessions: c.sessions.clone(),
            message: c.message.clone(),
        }
    }
}

/// The scheduler's weights.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScheduleWeights")]
pub(crate) struct WeightsOut {
    /// Per pair of same-theme sessions in one timeslot (default 10).
    #[schemars(range(min = 0, max = 1000))]
    theme_parallel: i64,
    /// Per pair of same-theme sessions on one day (default 1).
    #[schemars(range(min = 0, max = 1000))]
    theme_same_day: i64,
    /// Per online person outside reasonable local hours (default 5).
    #[schemars(range(min = 0, max = 1000))]
    online_hours: i64,
    /// Per session a re-run moves (default 1000).
    #[schemars(range(min = 0, max = 100000))]
    moved: i64,
    /// Reasonable local hours start (default 7).
    #[schemars(range(max = 23))]
    hours_from: u32,
    /// and end (default 22).
    #[schemars(range(min = 1, max = 24))]
    hours_until: u32,
}

impl From<&ScheduleWeights> for WeightsOut {
    fn from(w: &ScheduleWeights) -> Self {
        WeightsOut {
            theme_parallel: w.theme_parallel,
            theme_same_day: w.theme_same_day,
            online_hours: w.online_hours,
            moved: w.moved,
            hours_from: w.hours_from,
            hours_until: w.hours_until,
        }
    }
}

/// What a scheduler run did.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ScheduleReport")]
pub(crate) struct ReportOut {
    sessions: usize,
    placed: usize,
    moved: usize,
    pinned: usize,
    /// Pairs of same-theme sessions in parallel.
    theme_pairs: u64,
    /// Pairs of same-theme sessions on one day.
    same_day_pairs: u64,
    cost: i64,
    /// No timetable costs less.
    lower_bound: i64,
    iterations: u64,
}

impl From<&ScheduleReport> for ReportOut {
    fn from(r: &ScheduleReport) -> Self {
        ReportOut {
            sessions: r.sessions,
            placed: r.placed,
            moved: r.moved,
            pinned: r.pinned,
            theme_pairs: r.theme_pairs,
            same_day_pairs: r.same_day_pairs,
            cost: r.cost,
            lower_bound: r.lower_bound,
            iterations: r.iterations,
        }
    }
}

/// The event a programme belongs to.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeEvent")]
pub(crate) struct EventOut {
    id: i64,
    title: String,
    /// IANA name.
    time_zone: &'static str,
}

impl From<&ProgrammeView> for EventOut {
    fn from(v: &ProgrammeView) -> Self {
        EventOut {
            id: v.event.id,
            title: v.event.title.clone(),
            time_zone: v.zone.name(),
        }
    }
}

/// An event's programme as the secretariat sees it.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Programme")]
pub(crate) struct ProgrammeOut {
    event: EventOut,
    published: bool,
    weights: WeightsOut,
    rooms: Vec<RoomOut>,
    timeslots: Vec<TimeslotOut>,
    sessions: Vec<SessionOut>,
    unavailability: Vec<UnavailabilityOut>,
    conflicts: Vec<ConflictOut>,
}

impl ProgrammeOut {
    fn new(v: &ProgrammeView, join: &BTreeMap<i64, String>) -> Self {
        let zone = v.zone;
        ProgrammeOut {
            event: EventOut::from(v),
            published: v.published,
            weights: WeightsOut::from(&v.weights),
            rooms: v.rooms.iter().map(RoomOut::from).collect(),
            timeslots: v
                .timeslots
                .iter()
                .map(|t| TimeslotOut::new(t, zone))
                .collect(),
            sessions: v
                .sessions
                .iter()
                .map(|s| SessionOut::new(s, zone, join))
                .collect(),
            unavailability: v
                .unavailability
                .iter()
                .map(|u| UnavailabilityOut::new(u, zone))
                .collect(),
            conflicts: v.conflicts.iter().map(ConflictOut::from).collect(),
        }
    }
}

/// The published programme: placed sessions only.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "PublicProgramme")]
pub(crate) struct PublicProgrammeOut {
    event: EventOut,
    published: bool,
    rooms: Vec<RoomOut>,
    timeslots: Vec<TimeslotOut>,
    sessions: Vec<PublicSessionOut>,
}

/// A session placed by hand with the programme's conflicts.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeSessionPlaced")]
pub(crate) struct PlacedOut {
    session: SessionOut,
    conflicts: Vec<ConflictOut>,
}

/// Whether a session is pinned.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeSessionPin")]
pub(crate) struct PinnedOut {
    session_id: i64,
    pinned: bool,
}

/// How many sessions were made from a call.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SessionsFromCall")]
pub(crate) struct FromCallOut {
    call_id: i64,
    added: usize,
}

/// Whether a programme is published.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammePublication")]
pub(crate) struct PublicationOut {
    event_id: i64,
    published: bool,
}

// ------------------------------------------------------------------ reading

/// The whole programme with its conflicts (secretariat).
pub async fn show(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let out = s
        .run(move |app| {
            let view = app.programme(&caller, id)?;
            let join = app.programme_own_join_urls(&caller, id)?;
            Ok::<_, AppError>(ProgrammeOut::new(&view, &join))
        })
        .await?;
    Ok(no_store(StatusCode::OK, out))
}

/// The published programme: placed sessions only, without unavailability or conflicts
/// (404 until published; the secretariat may preview it).
pub async fn public(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<PublicProgrammeOut>, ApiError> {
    let id = path_id(&id)?;
    let view = s.run(move |app| app.public_programme(&caller, id)).await?;
    Ok(Json(PublicProgrammeOut::from(&view)))
}

impl From<&ProgrammeView> for PublicProgrammeOut {
    fn from(view: &ProgrammeView) -> Self {
        let zone = view.zone;
        PublicProgrammeOut {
            event: EventOut::from(view),
            published: view.published,
            rooms: view.rooms.iter().map(RoomOut::from).collect(),
            timeslots: view
                .timeslots
                .iter()
                .map(|t| TimeslotOut::new(t, zone))
                .collect(),
            sessions: view
                .sessions
                .iter()
                .filter(|v| v.timeslot.is_some() && v.room.is_some())
                .map(|v| PublicSessionOut::new(v, zone))
                .collect(),
        }
    }
}

// ------------------------------------------------------------------ rooms

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ProgrammeRoomInput")]
pub struct RoomBody {
    /// Unique in the programme.
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 100))]
    name: String,
    /// Seats.
    #[serde(default)]
    #[schemars(with = "i64", extend("x-required" = true), range(min = 1))]
    capacity: Option<i64>,
    /// Equipped for hybrid and online sessions (remote speakers and audience).
    #[serde(default)]
    hybrid: bool,
}

impl From<RoomBody> for RoomInput {
    fn from(b: RoomBody) -> Self {
        RoomInput {
            name: b.name,
            capacity: b.capacity.map(|n| n.to_string()).unwrap_or_default(),
            hybrid: b.hybrid,
        }
    }
}

pub async fn add_room(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RoomBody>,
) -> Result<(StatusCode, Json<RoomOut>), ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let room = s
        .run(move |app| app.save_programme_room(&caller, id, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(RoomOut::from(&room))))
}

pub async fn update_room(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, room)): Path<(String, String)>,
    ApiJson(body): ApiJson<RoomBody>,
) -> Result<Json<RoomOut>, ApiError> {
    let (id, room) = (path_id(&id)?, path_id(&room)?);
    let input = body.into();
    let room = s
        .run(move |app| app.save_programme_room(&caller, id, Some(room), &input))
        .await?;
    Ok(Json(RoomOut::from(&room)))
}

/// Deletes a room; its sessions become unplaced.
pub async fn delete_room(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, room)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, room) = (path_id(&id)?, path_id(&room)?);
    s.run(move |app| app.delete_programme_room(&caller, id, room))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ timeslots

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TimeslotInput")]
pub struct TimeslotBody {
    /// Local dates in the event's zone, `YYYY-MM-DD`: one timeslot per date and time.
    #[serde(default)]
    #[schemars(with = "Vec<schema::Date>", extend("x-required" = true))]
    dates: Vec<String>,
    /// Local start times, `HH:MM`.
    #[serde(default)]
    #[schemars(with = "Vec<LocalTime>", extend("x-required" = true))]
    times: Vec<String>,
    /// The length of each in minutes (absent: 90).
    #[serde(default)]
    #[schemars(range(min = 5, max = 480))]
    minutes: Option<i64>,
}

/// Adds one timeslot per date and time (those that exist already are skipped); answers
/// the new ones.
pub async fn add_timeslots(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TimeslotBody>,
) -> Result<(StatusCode, Json<Items<TimeslotOut>>), ApiError> {
    let id = path_id(&id)?;
    let input = TimeslotInput {
        dates: b.dates.join(","),
        times: b.times.join(","),
        minutes: b.minutes.map(|n| n.to_string()).unwrap_or_default(),
    };
    let (added, zone) = s
        .run(move |app| {
            let added = app.add_programme_timeslots(&caller, id, &input)?;
            let zone = app.programme(&caller, id)?.zone;
            Ok((added, zone))
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Items::of(added.iter().map(|t| TimeslotOut::new(t, zone)))),
    ))
}

/// Deletes a timeslot; its sessions become unplaced.
pub async fn delete_timeslot(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, timeslot)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, timeslot) = (path_id(&id)?, path_id(&timeslot)?);
    s.run(move |app| app.delete_programme_timeslot(&caller, id, timeslot))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ sessions

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ProgrammePersonInput")]
pub struct PersonBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(min = 1), regex(pattern = r"\S"))]
    name: String,
    /// moderator, co_moderator, speaker or rapporteur.
    #[serde(default)]
    #[schemars(with = "ProgrammeRole", extend("x-required" = true))]
    role: String,
    /// Takes part online (their local hours then count).
    #[serde(default)]
    online: bool,
    /// IANA zone; null or absent: the event's.
    #[serde(default)]
    time_zone: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ProgrammeSessionInput")]
pub struct SessionBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 200))]
    title: String,
    #[serde(default)]
    #[schemars(with = "ProgrammeSessionType", extend("x-required" = true))]
    session_type: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    description: String,
    /// Minutes.
    #[serde(default)]
    #[schemars(with = "i64", extend("x-required" = true), range(min = 5, max = 480))]
    duration: Option<i64>,
    #[serde(default)]
    #[schemars(with = "i64", extend("x-required" = true), range(min = 0))]
    expected_audience: Option<i64>,
    /// onsite, online or hybrid.
    #[serde(default)]
    #[schemars(with = "SessionFormat", extend("x-required" = true))]
    format: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    #[schemars(length(max = 30))]
    people: Vec<PersonBody>,
    /// The link to join online (absolute http or https); only confirmed online
    /// participants and the secretariat see it. Null or empty: the event's own link.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    join_url: Option<String>,
    /// The link of the public stream (absolute http or https).
    #[serde(default)]
    #[schemars(length(max = 2000))]
    stream_url: Option<String>,
    /// The version read; required to replace a session.
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "i64")]
    version: Option<i64>,
}

impl SessionBody {
    /// Every person listed has a name and a role (the pages' form skips a row left
    /// empty; a body lists only people).
    fn check_people(&self) -> Result<(), ApiError> {
        if self
            .people
            .iter()
            .any(|p| p.name.trim().is_empty() || p.role.trim().is_empty())
        {
            return Err(AppError::field(
                "people",
                Problem::Invalid("each person needs a name and a role"),
            )
            .into());
        }
        Ok(())
    }

    fn input(self) -> (SessionInput, Option<i64>) {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let input = SessionInput {
            title: self.title,
            session_type: self.session_type,
            theme: self.theme,
            description: self.description,
            duration: number(self.duration),
            expected_audience: number(self.expected_audience),
            format: self.format,
            language: self.language,
            people: self
                .people
                .into_iter()
                .map(|p| PersonInput {
                    name: p.name,
                    role: p.role,
                    online: p.online,
                    time_zone: p.time_zone.unwrap_or_default(),
                })
                .collect(),
            join_url: self.join_url.unwrap_or_default(),
            stream_url: self.stream_url.unwrap_or_default(),
        };
        (input, self.version)
    }
}

async fn session_answer(
    s: &AppState,
    caller: Caller,
    event: i64,
    work: impl FnOnce(&App, &Caller) -> Result<i64, AppError> + Send + 'static,
) -> Result<SessionOut, ApiError> {
    let value = s
        .run(move |app| {
            let session = work(&app, &caller)?;
            let view = app.programme(&caller, event)?;
            let join = app.programme_own_join_urls(&caller, event)?;
            view.sessions
                .iter()
                .find(|v| v.session.id == session)
                .map(|v| SessionOut::new(v, view.zone, &join))
                .ok_or(AppError::NotFound)
        })
        .await?;
    Ok(value)
}

pub async fn create_session(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SessionBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    body.check_people()?;
    let (input, _) = body.input();
    let value = session_answer(&s, caller, id, move |app, caller| {
        Ok(app
            .save_programme_session(caller, id, None, &input)?
            .session
            .id)
    })
    .await?;
    Ok(no_store(StatusCode::CREATED, value))
}

/// Replaces a session at `version` (409 when someone changed it meanwhile).
pub async fn update_session(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session)): Path<(String, String)>,
    ApiJson(body): ApiJson<SessionBody>,
) -> Result<Response, ApiError> {
    let (id, session) = (path_id(&id)?, path_id(&session)?);
    body.check_people()?;
    let (input, version) = body.input();
    let value = session_answer(&s, caller, id, move |app, caller| {
        let version = required(app, caller, id, version, "version")?;
        Ok(app
            .save_programme_session(caller, id, Some((session, version)), &input)?
            .session
            .id)
    })
    .await?;
    Ok(no_store(StatusCode::OK, value))
}

pub async fn delete_session(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, session) = (path_id(&id)?, path_id(&session)?);
    s.run(move |app| app.delete_programme_session(&caller, id, session))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PlacementInput")]
pub struct PlacementBody {
    /// Required with `timeslot_id`; neither takes the session out.
    #[serde(default)]
    room_id: Option<i64>,
    /// Required with `room_id`.
    #[serde(default)]
    timeslot_id: Option<i64>,
    /// Keep a placement that breaks a hard rule; it stays listed as a conflict.
    #[serde(default)]
    r#override: bool,
}

/// Places a session by hand (`null`, or neither room nor timeslot, takes it out). A
/// move that breaks a hard rule is a 422 whose errors name `slot` with each reason,
/// unless `override`; answers the session and the programme's conflicts.
pub async fn place(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session)): Path<(String, String)>,
    ApiJson(body): ApiJson<Option<PlacementBody>>,
) -> Result<Response, ApiError> {
    let (id, session) = (path_id(&id)?, path_id(&session)?);
    let value = s
        .run(move |app| {
            let (slot, override_rules) = match body {
                None
                | Some(PlacementBody {
                    room_id: None,
                    timeslot_id: None,
                    ..
                }) => (None, false),
                Some(b) => {
                    let room = required(&app, &caller, id, b.room_id, "room_id")?;
                    let timeslot = required(&app, &caller, id, b.timeslot_id, "timeslot_id")?;
                    (Some((room, timeslot)), b.r#override)
                }
            };
            let conflicts = app.place_session(&caller, id, session, slot, override_rules)?;
            let view = app.programme(&caller, id)?;
            let join = app.programme_own_join_urls(&caller, id)?;
            let placed = view
                .sessions
                .iter()
                .find(|v| v.session.id == session)
                .map(|v| SessionOut::new(v, view.zone, &join))
                .ok_or(AppError::NotFound)?;
            Ok(PlacedOut {
                session: placed,
                conflicts: conflicts.iter().map(ConflictOut::from).collect(),
            })
        })
        .await?;
    Ok(no_store(StatusCode::OK, value))
}

async fn set_pinned(
    s: AppState,
    caller: Caller,
    id: &str,
    session: &str,
    pinned: bool,
) -> Result<Json<PinnedOut>, ApiError> {
    let (id, session) = (path_id(id)?, path_id(session)?);
    s.run(move |app| app.pin_session(&caller, id, session, pinned))
        .await?;
    Ok(Json(PinnedOut {
        session_id: session,
        pinned,
    }))
}

/// Pins a placed session: the scheduler never moves it (409 for an unplaced one).
pub async fn pin(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session)): Path<(String, String)>,
) -> Result<Json<PinnedOut>, ApiError> {
    set_pinned(s, caller, &id, &session, true).await
}

pub async fn unpin(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session)): Path<(String, String)>,
) -> Result<Json<PinnedOut>, ApiError> {
    set_pinned(s, caller, &id, &session, false).await
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "FromCallInput")]
pub struct FromCallBody {
    /// The call whose accepted proposals become sessions.
    #[serde(default)]
    #[schemars(with = "i64", extend("x-required" = true))]
    call_id: Option<i64>,
}

/// Makes sessions of the accepted proposals of a call not taken yet; answers how many.
pub async fn from_call(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FromCallBody>,
) -> Result<(StatusCode, Json<FromCallOut>), ApiError> {
    let id = path_id(&id)?;
    let (call, added) = s
        .run(move |app| {
            let call = required(&app, &caller, id, b.call_id, "call_id")?;
            Ok((call, app.sessions_from_call(&caller, id, call)?))
        })
        .await?;
    let status = if added > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(FromCallOut {
            call_id: call,
            added,
        }),
    ))
}

// ------------------------------------------------------------------ unavailability

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "UnavailabilityInput")]
pub struct UnavailabilityBody {
    /// The person's name as listed in sessions (case and accents aside).
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    name: String,
    /// Local date-time in the event's zone: 2026-06-23T08:00.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    from: String,
    /// Local date-time in the event's zone.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    until: String,
}

pub async fn add_unavailability(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<UnavailabilityBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = UnavailabilityInput {
        name: b.name,
        from: b.from,
        until: b.until,
    };
    let value = s
        .run(move |app| {
            let added = app.add_unavailability(&caller, id, &input)?;
            let zone = app.programme(&caller, id)?.zone;
            Ok(UnavailabilityOut::new(&added, zone))
        })
        .await?;
    Ok(no_store(StatusCode::CREATED, value))
}

pub async fn delete_unavailability(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, item)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    s.run(move |app| app.delete_unavailability(&caller, id, item))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ the scheduler

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ScheduleWeightsInput")]
pub struct WeightsBody {
    /// Per pair of same-theme sessions in one timeslot (default 10).
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "i64", range(min = 0, max = 1000))]
    theme_parallel: Option<i64>,
    /// Per pair of same-theme sessions on one day (default 1).
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "i64", range(min = 0, max = 1000))]
    theme_same_day: Option<i64>,
    /// Per online person outside reasonable local hours (default 5).
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "i64", range(min = 0, max = 1000))]
    online_hours: Option<i64>,
    /// Per session a re-run moves (default 1000).
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "i64", range(min = 0, max = 100000))]
    moved: Option<i64>,
    /// Reasonable local hours start (default 7).
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "i64", range(min = 0, max = 23))]
    hours_from: Option<i64>,
    /// and end (default 22).
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "i64", range(min = 1, max = 24))]
    hours_until: Option<i64>,
}

/// Sets the scheduler's weights; an absent weight takes its default.
pub async fn set_weights(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<WeightsBody>,
) -> Result<Json<WeightsOut>, ApiError> {
    let id = path_id(&id)?;
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let input = WeightsInput {
        theme_parallel: number(b.theme_parallel),
        theme_same_day: number(b.theme_same_day),
        online_hours: number(b.online_hours),
        moved: number(b.moved),
        hours_from: number(b.hours_from),
        hours_until: number(b.hours_until),
    };
    let weights = s
        .run(move |app| app.set_schedule_weights(&caller, id, &input))
        .await?;
    Ok(Json(WeightsOut::from(&weights)))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ScheduleInput")]
pub struct ScheduleBody {
    /// The search's seed (default 1): the same seed gives the same timetable.
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "i64", range(min = 0))]
    seed: Option<i64>,
}

/// Runs the scheduler; answers its report, or a 422 whose errors name `schedule` with
/// the conflicting constraints (nothing changes then).
pub async fn schedule(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ScheduleBody>,
) -> Result<Json<ReportOut>, ApiError> {
    let id = path_id(&id)?;
    let seed = u64::try_from(b.seed.unwrap_or(1))
        .map_err(|_| ApiError::BadJson("seed: a whole number from 0 is expected".into()))?;
    let report = s
        .run(move |app| app.run_scheduler(&caller, id, seed))
        .await?;
    Ok(Json(ReportOut::from(&report)))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PublishInput")]
pub struct PublishBody {
    /// True publishes the working version as a new release named with the next number
    /// (see `/releases` to name it and mail the people of moved sessions); false
    /// withdraws the public programme.
    #[serde(default)]
    #[schemars(with = "bool", extend("x-required" = true))]
    published: Option<bool>,
}

pub async fn publish(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PublishBody>,
) -> Result<Json<PublicationOut>, ApiError> {
    let id = path_id(&id)?;
    let published = s
        .run(move |app| {
            let published = required(&app, &caller, id, b.published, "published")?;
            app.publish_programme(&caller, id, published)?;
            Ok(published)
        })
        .await?;
    Ok(Json(PublicationOut {
        event_id: id,
        published,
    }))
}

// ------------------------------------------------------------------ releases

/// A release of the programme.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeRelease")]
pub(crate) struct ReleaseOut {
    /// 1, 2, … in the order of publication; `/releases/{number}` reads it.
    number: i64,
    /// As the secretariat named it.
    version: String,
    /// The change log.
    comment: String,
    /// Who published it.
    author: String,
    published_at: LabelledInstant,
    /// Sessions added, moved, removed and retitled against the release before.
    added: i64,
    moved: i64,
    removed: i64,
    retitled: i64,
    /// Placed sessions in it.
    sessions: i64,
}

impl ReleaseOut {
    fn new(r: &plenary_app::programme_release::Release, zone: Zone) -> Self {
        ReleaseOut {
            number: r.number,
            version: r.version.clone(),
            comment: r.comment.clone(),
            author: r.author.clone(),
            published_at: labelled(r.published_at, zone),
            added: r.added,
            moved: r.moved,
            removed: r.removed,
            retitled: r.retitled,
            sessions: r.sessions,
        }
    }
}

/// Where and when a session is (or was), at the venue.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ReleasePlacement")]
pub(crate) struct ReleasePlacementOut {
    room: String,
    starts_at: LabelledInstant,
    ends_at: LabelledInstant,
}

/// A session that differs from the release before.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeSessionChange")]
pub(crate) struct SessionChangeOut {
    session_id: i64,
    title: String,
    /// The title before, when retitled.
    old_title: Option<String>,
    /// Where it was (none when added).
    was: Option<ReleasePlacementOut>,
    /// Where it is (none when removed).
    now: Option<ReleasePlacementOut>,
}

/// What a version of the programme changes against the release before.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeChanges")]
pub(crate) struct ChangesOut {
    /// Sessions that differ (one moved and retitled counts once).
    count: usize,
    added: Vec<SessionChangeOut>,
    moved: Vec<SessionChangeOut>,
    removed: Vec<SessionChangeOut>,
    retitled: Vec<SessionChangeOut>,
    /// People, description, type, theme, format, language or length changed.
    details: Vec<SessionChangeOut>,
}

impl ChangesOut {
    fn new(c: &plenary_app::programme_release::Changes, zone: Zone) -> Self {
        let place = |p: &Option<plenary_app::programme_release::Placement>| {
            p.as_ref().map(|p| ReleasePlacementOut {
                room: p.room.clone(),
                starts_at: labelled(p.starts_at, zone),
                ends_at: labelled(p.ends_at, zone),
            })
        };
        let list = |l: &[plenary_app::programme_release::SessionChange]| {
            l.iter()
                .map(|c| SessionChangeOut {
                    session_id: c.session_id,
                    title: c.title.clone(),
                    old_title: c.old_title.clone(),
                    was: place(&c.was),
                    now: place(&c.now),
                })
                .collect()
        };
        ChangesOut {
            count: c.count(),
            added: list(&c.added),
            moved: list(&c.moved),
            removed: list(&c.removed),
            retitled: list(&c.retitled),
            details: list(&c.details),
        }
    }
}

/// The working version against the newest release: what publishing would change.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeReleasePreview")]
pub(crate) struct PreviewOut {
    /// The public sees the newest release.
    published: bool,
    latest: Option<ReleaseOut>,
    /// The version name offered for the next release.
    suggested_version: String,
    changes: ChangesOut,
    /// People with an address who would be mailed with `notify`.
    recipients: usize,
}

/// A release just published.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeReleasePublished")]
pub(crate) struct PublishedOut {
    release: ReleaseOut,
    changes: ChangesOut,
    /// Messages queued for the people of moved and removed sessions.
    notified: usize,
}

/// One release with its programme as it was.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProgrammeReleaseDetail")]
pub(crate) struct ReleaseDetailOut {
    release: ReleaseOut,
    /// The public sees this release now.
    current: bool,
    /// Against the release before.
    changes: ChangesOut,
    programme: PublicProgrammeOut,
}

/// The releases of the programme, newest first (secretariat).
pub async fn releases(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let (list, zone) = s
        .run(move |app| {
            let list = app.programme_releases(&caller, id)?;
            let zone = app.programme_release_status(&caller, id)?.zone;
            Ok((list, zone))
        })
        .await?;
    Ok(no_store(
        StatusCode::OK,
        Items::of(list.iter().map(|r| ReleaseOut::new(r, zone))),
    ))
}

/// What publishing now would change (secretariat).
pub async fn release_preview(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let status = s
        .run(move |app| app.programme_release_status(&caller, id))
        .await?;
    let zone = status.zone;
    Ok(no_store(
        StatusCode::OK,
        PreviewOut {
            published: status.published,
            latest: status.latest.as_ref().map(|r| ReleaseOut::new(r, zone)),
            suggested_version: status.suggested_version.clone(),
            changes: ChangesOut::new(&status.changes, zone),
            recipients: status.recipients,
        },
    ))
}

/// One release as it was (secretariat).
pub async fn release(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let number = path_id(&number)?;
    let view = s
        .run(move |app| app.programme_release(&caller, id, number))
        .await?;
    let zone = view.programme.zone;
    Ok(no_store(
        StatusCode::OK,
        ReleaseDetailOut {
            release: ReleaseOut::new(&view.release, zone),
            current: view.current,
            changes: ChangesOut::new(&view.changes, zone),
            programme: PublicProgrammeOut::from(&view.programme),
        },
    ))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ProgrammeReleaseInput")]
pub struct ReleaseBody {
    /// The release's name, unique in the programme (case and accents aside); the
    /// preview's `suggested_version` is the next number.
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(min = 1, max = 60))]
    version: String,
    /// The change log.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    comment: String,
    /// Mail the people of the moved and removed sessions (those the directory has an
    /// address for), in the same transaction.
    #[serde(default)]
    notify: bool,
}

/// Publishes the working version as a new release: 201 with what it changed; a 422
/// names `version` (missing, too long, already used) or `comment` (too long).
pub async fn publish_release(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReleaseBody>,
) -> Result<(StatusCode, Json<PublishedOut>), ApiError> {
    let id = path_id(&id)?;
    let input = plenary_app::programme_release::ReleaseInput {
        version: b.version,
        comment: b.comment,
        notify: b.notify,
    };
    let (published, zone) = s
        .run(move |app| {
            let published = app.publish_programme_release(&caller, id, &input)?;
            let zone = app.programme_release_status(&caller, id)?.zone;
            Ok((published, zone))
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PublishedOut {
            release: ReleaseOut::new(&published.release, zone),
            changes: ChangesOut::new(&published.changes, zone),
            notified: published.notified,
        }),
    ))
}
