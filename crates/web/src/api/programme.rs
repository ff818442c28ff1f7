//! The programme of an event over JSON: the secretariat keeps rooms, timeslots and
//! sessions with their people, places sessions by hand (a move that breaks a hard rule
//! is refused with its reasons unless overridden), records who is unavailable, sets
//! the scheduler's weights, runs it and publishes; the public reads the published
//! programme (placed sessions only). The secretariat's view, with unavailability and
//! conflicts, is marked `Cache-Control: no-store`.

use super::{ApiJson, instant as iso, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use plenary_app::programme::{
    ConflictView, ProgrammeView, Room, ScheduleReport, ScheduleWeights, SessionView, TimeslotInput,
    Unavailability, UnavailabilityInput, WeightsInput,
};
use plenary_app::{App, AppError, Caller};
use plenary_domain::Problem;
use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
use plenary_domain::time::{Zone, label};
use serde::Deserialize;
use serde_json::{Value, json};

fn no_store(status: StatusCode, value: Value) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(value)).into_response()
}

fn labelled(at: DateTime<Utc>, zone: Zone) -> Value {
    let l = label(at, zone);
    json!({ "utc": iso(at), "local": l.local.format("%Y-%m-%dT%H:%M").to_string(), "offset": l.offset, "zone": zone.name(), "text": l.to_string() })
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

fn room_json(r: &Room) -> Value {
    json!({ "id": r.id, "name": r.name, "capacity": r.capacity, "hybrid": r.hybrid })
}

fn timeslot_json(t: &plenary_app::programme::Timeslot, zone: Zone) -> Value {
    let ends = t.starts_at + chrono::Duration::minutes(t.minutes);
    json!({
        "id": t.id,
        "starts_at": labelled(t.starts_at, zone),
        "ends_at": labelled(ends, zone),
        "minutes": t.minutes,
        "day": t.starts_at.with_timezone(&zone.tz()).date_naive().to_string(),
    })
}

fn placement_json(v: &SessionView, zone: Zone) -> Value {
    match (&v.room, &v.timeslot, v.ends_at()) {
        (Some(room), Some(slot), Some(ends)) => json!({
            "room_id": room.id,
            "room": room.name,
            "timeslot_id": slot.id,
            "starts_at": labelled(slot.starts_at, zone),
            "ends_at": labelled(ends, zone),
        }),
        _ => Value::Null,
    }
}

/// A session as the secretariat sees it.
fn session_json(v: &SessionView, zone: Zone) -> Value {
    let s = &v.session;
    json!({
        "id": s.id,
        "title": s.title,
        "session_type": s.session_type,
        "theme": s.theme,
        "description": s.description,
        "duration": s.duration,
        "expected_audience": s.expected_audience,
        "format": s.format,
        "language": s.language,
        "submission_id": s.submission_id,
        "people": v.people.iter().map(|p| json!({
            "name": p.name, "role": p.role, "online": p.online, "time_zone": p.time_zone,
        })).collect::<Vec<_>>(),
        "placement": placement_json(v, zone),
        "pinned": s.pinned,
        "overridden": s.overridden,
        "created_at": iso(s.created_at),
        "updated_at": iso(s.updated_at),
        "version": s.version,
    })
}

/// A placed session as the public sees it: no audience estimate, version or people's
/// time zones.
fn public_session_json(v: &SessionView, zone: Zone) -> Value {
    let s = &v.session;
    json!({
        "id": s.id,
        "title": s.title,
        "session_type": s.session_type,
        "theme": s.theme,
        "description": s.description,
        "duration": s.duration,
        "format": s.format,
        "language": s.language,
        "people": v.people.iter().map(|p| json!({
            "name": p.name, "role": p.role, "online": p.online,
        })).collect::<Vec<_>>(),
        "placement": placement_json(v, zone),
    })
}

fn unavailability_json(u: &Unavailability, zone: Zone) -> Value {
    json!({
        "id": u.id,
        "name": u.name,
        "from": labelled(u.starts_at, zone),
        "until": labelled(u.ends_at, zone),
    })
}

fn conflict_json(c: &ConflictView) -> Value {
    json!({ "sessions": c.sessions, "message": c.message })
}

fn weights_json(w: &ScheduleWeights) -> Value {
    json!(w)
}

fn event_json(v: &ProgrammeView) -> Value {
    json!({ "id": v.event.id, "title": v.event.title, "time_zone": v.zone.name() })
}

fn programme_json(v: &ProgrammeView) -> Value {
    let zone = v.zone;
    json!({
        "event": event_json(v),
        "published": v.published,
        "weights": weights_json(&v.weights),
        "rooms": v.rooms.iter().map(room_json).collect::<Vec<_>>(),
        "timeslots": v.timeslots.iter().map(|t| timeslot_json(t, zone)).collect::<Vec<_>>(),
        "sessions": v.sessions.iter().map(|s| session_json(s, zone)).collect::<Vec<_>>(),
        "unavailability": v.unavailability.iter().map(|u| unavailability_json(u, zone)).collect::<Vec<_>>(),
        "conflicts": v.conflicts.iter().map(conflict_json).collect::<Vec<_>>(),
    })
}

fn report_json(r: &ScheduleReport) -> Value {
    json!(r)
}

// ------------------------------------------------------------------ reading

/// The whole programme with its conflicts (secretariat).
pub async fn show(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let view = s.run(move |app| app.programme(&caller, id)).await?;
    Ok(no_store(StatusCode::OK, programme_json(&view)))
}

/// The published programme: placed sessions only, without unavailability or conflicts
/// (404 until published; the secretariat may preview it).
pub async fn public(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let view = s.run(move |app| app.public_programme(&caller, id)).await?;
    let zone = view.zone;
    let placed: Vec<&SessionView> = view
        .sessions
        .iter()
        .filter(|v| v.timeslot.is_some() && v.room.is_some())
        .collect();
    Ok(Json(json!({
        "event": event_json(&view),
        "published": view.published,
        "rooms": view.rooms.iter().map(room_json).collect::<Vec<_>>(),
        "timeslots": view.timeslots.iter().map(|t| timeslot_json(t, zone)).collect::<Vec<_>>(),
        "sessions": placed.iter().map(|v| public_session_json(v, zone)).collect::<Vec<_>>(),
    })))
}

// ------------------------------------------------------------------ rooms

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    capacity: Option<i64>,
    /// Equipped for hybrid sessions (remote speakers and audience).
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
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let room = s
        .run(move |app| app.save_programme_room(&caller, id, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(room_json(&room))))
}

pub async fn update_room(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, room)): Path<(String, String)>,
    ApiJson(body): ApiJson<RoomBody>,
) -> Result<Json<Value>, ApiError> {
    let (id, room) = (path_id(&id)?, path_id(&room)?);
    let input = body.into();
    let room = s
        .run(move |app| app.save_programme_room(&caller, id, Some(room), &input))
        .await?;
    Ok(Json(room_json(&room)))
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeslotBody {
    /// Local dates in the event's zone, `YYYY-MM-DD`: one timeslot per date and time.
    #[serde(default)]
    dates: Vec<String>,
    /// Local start times, `HH:MM`.
    #[serde(default)]
    times: Vec<String>,
    /// The length of each (absent: 90).
    #[serde(default)]
    minutes: Option<i64>,
}

/// Adds one timeslot per date and time (those that exist already are skipped); answers
/// the new ones.
pub async fn add_timeslots(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TimeslotBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
        Json(json!({ "items": added.iter().map(|t| timeslot_json(t, zone)).collect::<Vec<_>>() })),
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    #[serde(default)]
    name: String,
    /// moderator, co_moderator, speaker or rapporteur.
    #[serde(default)]
    role: String,
    /// Takes part online (their local hours then count).
    #[serde(default)]
    online: bool,
    /// IANA zone; absent: the event's.
    #[serde(default)]
    time_zone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionBody {
    #[serde(default)]
    title: String,
    #[serde(default)]
    session_type: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    description: String,
    /// Minutes.
    #[serde(default)]
    duration: Option<i64>,
    #[serde(default)]
    expected_audience: Option<i64>,
    /// onsite, online or hybrid.
    #[serde(default)]
    format: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    people: Vec<PersonBody>,
    /// The version read; required to change a session.
    #[serde(default, deserialize_with = "super::non_null")]
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
        };
        (input, self.version)
    }
}

async fn session_answer(
    s: &AppState,
    caller: Caller,
    event: i64,
    work: impl FnOnce(&App, &Caller) -> Result<i64, AppError> + Send + 'static,
) -> Result<Value, ApiError> {
    let value = s
        .run(move |app| {
            let session = work(&app, &caller)?;
            let view = app.programme(&caller, event)?;
            view.sessions
                .iter()
                .find(|v| v.session.id == session)
                .map(|v| session_json(v, view.zone))
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementBody {
    #[serde(default)]
    room_id: Option<i64>,
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
            let placed = view
                .sessions
                .iter()
                .find(|v| v.session.id == session)
                .map(|v| session_json(v, view.zone))
                .ok_or(AppError::NotFound)?;
            Ok(json!({
                "session": placed,
                "conflicts": conflicts.iter().map(conflict_json).collect::<Vec<_>>(),
            }))
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
) -> Result<Json<Value>, ApiError> {
    let (id, session) = (path_id(id)?, path_id(session)?);
    s.run(move |app| app.pin_session(&caller, id, session, pinned))
        .await?;
    Ok(Json(json!({ "session_id": session, "pinned": pinned })))
}

/// Pins a placed session: the scheduler never moves it (409 for an unplaced one).
pub async fn pin(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    set_pinned(s, caller, &id, &session, true).await
}

pub async fn unpin(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    set_pinned(s, caller, &id, &session, false).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FromCallBody {
    #[serde(default)]
    call_id: Option<i64>,
}

/// Makes sessions of the accepted proposals of a call not taken yet; answers how many.
pub async fn from_call(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FromCallBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
    Ok((status, Json(json!({ "call_id": call, "added": added }))))
}

// ------------------------------------------------------------------ unavailability

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnavailabilityBody {
    /// The person's name as listed in sessions (case and accents aside).
    #[serde(default)]
    name: String,
    /// Local date-times in the event's zone: "2026-06-23T08:00".
    #[serde(default)]
    from: String,
    #[serde(default)]
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
            Ok(unavailability_json(&added, zone))
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsBody {
    #[serde(default, deserialize_with = "super::non_null")]
    theme_parallel: Option<i64>,
    #[serde(default, deserialize_with = "super::non_null")]
    theme_same_day: Option<i64>,
    #[serde(default, deserialize_with = "super::non_null")]
    online_hours: Option<i64>,
    #[serde(default, deserialize_with = "super::non_null")]
    moved: Option<i64>,
    #[serde(default, deserialize_with = "super::non_null")]
    hours_from: Option<i64>,
    #[serde(default, deserialize_with = "super::non_null")]
    hours_until: Option<i64>,
}

/// Sets the scheduler's weights; an absent weight takes its default.
pub async fn set_weights(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<WeightsBody>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(weights_json(&weights)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// The search's seed (absent: 1): the same seed gives the same timetable.
    #[serde(default, deserialize_with = "super::non_null")]
    seed: Option<i64>,
}

/// Runs the scheduler; answers its report, or a 422 whose errors name `schedule` with
/// the conflicting constraints (nothing changes then).
pub async fn schedule(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ScheduleBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let seed = u64::try_from(b.seed.unwrap_or(1))
        .map_err(|_| ApiError::BadJson("seed: a whole number from 0 is expected".into()))?;
    let report = s
        .run(move |app| app.run_scheduler(&caller, id, seed))
        .await?;
    Ok(Json(report_json(&report)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    #[serde(default)]
    published: Option<bool>,
}

pub async fn publish(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PublishBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let published = s
        .run(move |app| {
            let published = required(&app, &caller, id, b.published, "published")?;
            app.publish_programme(&caller, id, published)?;
            Ok(published)
        })
        .await?;
    Ok(Json(json!({ "event_id": id, "published": published })))
}
