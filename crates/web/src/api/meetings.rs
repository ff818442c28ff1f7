//! Meetings and agendas over JSON.

use super::schema::{self, Items, names};
use super::{ApiJson, instant as iso, path_id};
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use plenary_app::{
    AppError, AttendeeInput, Day, DayInput, Item, ItemInput, Meeting, MeetingInput, MeetingView,
    Move, Room, RoomInput,
};
use plenary_domain::Problem;
use plenary_domain::time::{Zone, label};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

schema::closed_names! {
    /// Where a participant stands.
    AttendanceStatus => plenary_domain::meetings::AttendanceStatus::ALL;
}

/// Which way an agenda item moves among its siblings.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "MoveDirection")]
#[allow(dead_code)] // The body reads a text, so that the use case names the field.
enum Direction {
    Up,
    Down,
}

/// An instant in UTC with its wall-clock time in the zone of the meeting or event.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "LabelledInstant")]
pub(crate) struct LabelledInstant {
    #[schemars(with = "schema::Instant")]
    utc: String,
    /// The wall-clock date and time in the zone: `2024-06-26T10:00`.
    local: String,
    /// The offset from UTC at that instant: `+02:00`.
    offset: String,
    /// The IANA name of the zone.
    zone: &'static str,
    /// The time as the pages show it.
    text: String,
}

pub(crate) fn labelled(at: DateTime<Utc>, zone: Zone) -> LabelledInstant {
    let l = label(at, zone);
    LabelledInstant {
        utc: iso(at),
        local: l.local.format("%Y-%m-%dT%H:%M").to_string(),
        offset: l.offset.clone(),
        zone: zone.name(),
        text: l.to_string(),
    }
}

/// A meeting.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Meeting")]
pub(crate) struct MeetingOut {
    id: i64,
    body_id: i64,
    title: String,
    #[schemars(with = "names::MeetingKind")]
    kind: &'static str,
    #[schemars(with = "names::MeetingMode")]
    mode: &'static str,
    venue: String,
    /// IANA name, e.g. Europe/Zurich.
    time_zone: String,
    starts_at: LabelledInstant,
    ends_at: LabelledInstant,
    description: String,
    published: bool,
    /// The link of the public stream, if any.
    stream_url: Option<String>,
}

impl From<&Meeting> for MeetingOut {
    fn from(m: &Meeting) -> Self {
        let zone = Zone::parse("time_zone", &m.time_zone).unwrap_or(Zone::UTC);
        MeetingOut {
            id: m.id,
            body_id: m.body_id,
            title: m.title.clone(),
            kind: m.kind.as_str(),
            mode: m.mode.as_str(),
            venue: m.venue.clone(),
            time_zone: m.time_zone.clone(),
            starts_at: labelled(m.starts_at, zone),
            ends_at: labelled(m.ends_at, zone),
            description: m.description.clone(),
            published: m.published,
            stream_url: m.stream_url.clone(),
        }
    }
}

/// An agenda item as the meeting shows it, or one of its sub-items.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "AgendaSubItem")]
pub(crate) struct SubItemOut {
    id: i64,
    parent_id: Option<i64>,
    number: Option<String>,
    title: String,
    starts_at: Option<LabelledInstant>,
    ends_at: Option<LabelledInstant>,
    room_id: Option<i64>,
    presenters: String,
    interventions: Vec<String>,
    input_documents: Vec<String>,
    desired_outputs: Vec<String>,
    /// Whether its times fall outside its day's hours.
    outside_hours: bool,
}

impl SubItemOut {
    fn new(i: &Item, zone: Zone, outside_hours: &[i64]) -> Self {
        SubItemOut {
            id: i.id,
            parent_id: i.parent_id,
            number: i.number.clone(),
            title: i.title.clone(),
            starts_at: i.starts_at.map(|t| labelled(t, zone)),
            ends_at: i.ends_at.map(|t| labelled(t, zone)),
            room_id: i.room_id,
            presenters: i.presenters.clone(),
            interventions: i.interventions.clone(),
            input_documents: i.input_documents.clone(),
            desired_outputs: i.desired_outputs.clone(),
            outside_hours: outside_hours.contains(&i.id),
        }
    }
}

/// An agenda item with its sub-items.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "AgendaItem")]
pub(crate) struct AgendaItemOut {
    #[serde(flatten)]
    item: SubItemOut,
    subitems: Vec<SubItemOut>,
}

/// A day of the agenda.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Day")]
pub(crate) struct DayOut {
    id: i64,
    #[schemars(with = "schema::Date")]
    date: String,
    room_id: Option<i64>,
    label: String,
    input_documents: Vec<String>,
    desired_outputs: Vec<String>,
    /// The day's own hours, when it has them.
    #[schemars(with = "Option<schema::Instant>")]
    starts_at: Option<String>,
    #[schemars(with = "Option<schema::Instant>")]
    ends_at: Option<String>,
}

impl From<&Day> for DayOut {
    fn from(d: &Day) -> Self {
        DayOut {
            id: d.id,
            date: d.day.to_string(),
            room_id: d.room_id,
            label: d.label.clone(),
            input_documents: d.input_documents.clone(),
            desired_outputs: d.desired_outputs.clone(),
            starts_at: d.starts_at.map(iso),
            ends_at: d.ends_at.map(iso),
        }
    }
}

/// A day of the agenda with its items in order.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "AgendaDay")]
pub(crate) struct AgendaDayOut {
    #[serde(flatten)]
    day: DayOut,
    /// When the day opens and closes: its own hours, else the meeting's.
    opens: LabelledInstant,
    closes: LabelledInstant,
    items: Vec<AgendaItemOut>,
}

/// A meeting's room.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MeetingRoom")]
pub(crate) struct RoomOut {
    id: i64,
    name: String,
    building: String,
}

impl From<&Room> for RoomOut {
    fn from(r: &Room) -> Self {
        RoomOut {
            id: r.id,
            name: r.name.clone(),
            building: r.building.clone(),
        }
    }
}

/// The body a meeting belongs to.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "BodyRef")]
pub(crate) struct BodyOut {
    id: i64,
    short_name: String,
}

/// A participant of a meeting.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MeetingParticipant")]
pub(crate) struct ParticipantOut {
    person_id: i64,
    family_name: Option<String>,
    given_name: Option<String>,
    organization: Option<String>,
    /// Only for those who manage the meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "AttendanceStatus")]
    status: Option<&'static str>,
}

/// The participants of one role group.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MeetingParticipantGroup")]
pub(crate) struct ParticipantGroupOut {
    role_group: String,
    people: Vec<ParticipantOut>,
}

/// A meeting with its rooms, its agenda day by day and its participants by role group.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MeetingDetail")]
pub(crate) struct MeetingDetailOut {
    #[serde(flatten)]
    meeting: MeetingOut,
    /// The link to join online: present only for the body's current members, the
    /// meeting's participants and those who manage it.
    #[serde(skip_serializing_if = "Option::is_none")]
    join_url: Option<String>,
    body: BodyOut,
    rooms: Vec<RoomOut>,
    days: Vec<AgendaDayOut>,
    participants: Vec<ParticipantGroupOut>,
}

impl From<&MeetingView> for MeetingDetailOut {
    fn from(v: &MeetingView) -> Self {
        let zone = v.zone;
        MeetingDetailOut {
            meeting: MeetingOut::from(&v.meeting),
            join_url: v.join_url.clone(),
            body: BodyOut {
                id: v.body.id,
                short_name: v.body.short_name.clone(),
            },
            rooms: v.rooms.iter().map(RoomOut::from).collect(),
            days: v
                .days
                .iter()
                .map(|d| AgendaDayOut {
                    day: DayOut::from(&d.day),
                    opens: labelled(d.hours.0, zone),
                    closes: labelled(d.hours.1, zone),
                    items: d
                        .items
                        .iter()
                        .map(|i| AgendaItemOut {
                            item: SubItemOut::new(&i.item, zone, &d.outside_hours),
                            subitems: i
                                .subitems
                                .iter()
                                .map(|s| SubItemOut::new(s, zone, &d.outside_hours))
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            participants: v
                .participants
                .iter()
                .map(|(group, people)| ParticipantGroupOut {
                    role_group: group.clone(),
                    people: people
                        .iter()
                        .map(|a| ParticipantOut {
                            person_id: a.person_id,
                            family_name: a.family_name.clone(),
                            given_name: a.given_name.clone(),
                            organization: a.organization.clone(),
                            status: v.can_manage.then(|| a.status.as_str()),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    body: Option<String>,
}

/// Published meetings (and, for managers, their drafts), newest first.
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<MeetingOut>>, ApiError> {
    let body = match q.body.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(raw.parse().map_err(|_| {
            AppError::field("body", Problem::Invalid("a body id is a whole number"))
        })?),
    };
    let meetings = s.run(move |app| app.meetings(&caller, body)).await?;
    Ok(Json(Items::of(meetings.iter().map(MeetingOut::from))))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MeetingInput")]
pub struct MeetingBody {
    #[serde(default)]
    #[schemars(with = "i64", extend("x-required" = true))]
    body_id: Option<i64>,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    title: String,
    #[serde(default)]
    #[schemars(with = "names::MeetingKind", extend("x-required" = true))]
    kind: String,
    #[serde(default)]
    #[schemars(with = "names::MeetingMode", extend("x-required" = true))]
    mode: String,
    #[serde(default)]
    venue: String,
    /// IANA name, e.g. Europe/Zurich.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    time_zone: String,
    /// Wall-clock time in the meeting's zone, e.g. 2024-06-26T10:00.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    starts_local: String,
    /// Wall-clock time in the meeting's zone, e.g. 2024-06-26T12:00.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    ends_local: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    published: bool,
    /// The link to join online (absolute http or https), shown only to the body's
    /// members, the meeting's participants and those who manage it. Null or empty: none.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    join_url: Option<String>,
    /// The link of the public stream (absolute http or https). Null or empty: none.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    stream_url: Option<String>,
}

fn split_local(raw: &str) -> (String, String) {
    match raw.trim().split_once(['T', ' ']) {
        Some((d, t)) => (d.to_owned(), t.to_owned()),
        None => (raw.trim().to_owned(), String::new()),
    }
}

/// The use case names the date and the time apart (`starts_on`, `starts_time`), as the
/// page's form has them; the API's body has one `starts_local`, so errors name that.
fn local_fields(e: AppError) -> AppError {
    match e {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|mut f| {
                    f.field = match f.field {
                        "starts_on" | "starts_time" => "starts_local",
                        "ends_on" | "ends_time" => "ends_local",
                        other => other,
                    };
                    f
                })
                .collect(),
        ),
        other => other,
    }
}

impl From<MeetingBody> for MeetingInput {
    fn from(b: MeetingBody) -> Self {
        let (starts_on, starts_time) = split_local(&b.starts_local);
        let (ends_on, ends_time) = split_local(&b.ends_local);
        MeetingInput {
            body_id: b.body_id,
            title: b.title,
            kind: b.kind,
            mode: b.mode,
            venue: b.venue,
            time_zone: b.time_zone,
            starts_on,
            starts_time,
            ends_on,
            ends_time,
            description: b.description,
            published: b.published,
            join_url: b.join_url.unwrap_or_default(),
            stream_url: b.stream_url.unwrap_or_default(),
        }
    }
}

pub async fn create(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<(StatusCode, Json<MeetingOut>), ApiError> {
    let input = body.into();

    let m = s
        .run(move |app| app.save_meeting(&caller, None, &input))
        .await
        .map_err(local_fields)?;
    Ok((StatusCode::CREATED, Json(MeetingOut::from(&m))))
}

pub async fn show(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<MeetingDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    Ok(Json(MeetingDetailOut::from(
        &blocking(move || app.meeting(&caller, id)).await?,
    )))
}

pub async fn update(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<Json<MeetingOut>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    let input = body.into();
    Ok(Json(MeetingOut::from(
        &blocking(move || app.save_meeting(&caller, Some(id), &input))
            .await
            .map_err(local_fields)?,
    )))
}

pub async fn delete(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    s.run(move |app| app.delete_meeting(&caller, id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MeetingRoomInput")]
pub struct RoomBody {
    /// Unique in the meeting.
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 200))]
    name: String,
    #[serde(default)]
    #[schemars(length(max = 200))]
    building: String,
}

pub async fn add_room(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RoomBody>,
) -> Result<(StatusCode, Json<RoomOut>), ApiError> {
    let id = path_id(&id)?;
    let room = s
        .run(move |app| {
            app.add_room(
                &caller,
                id,
                &RoomInput {
                    name: b.name,
                    building: b.building,
                },
            )
        })
        .await?;
    Ok((StatusCode::CREATED, Json(RoomOut::from(&room))))
}

pub async fn update_room(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, room)): Path<(String, String)>,
    ApiJson(b): ApiJson<RoomBody>,
) -> Result<Json<RoomOut>, ApiError> {
    let (id, room) = (path_id(&id)?, path_id(&room)?);
    let room = s
        .run(move |app| {
            app.update_room(
                &caller,
                id,
                room,
                &RoomInput {
                    name: b.name,
                    building: b.building,
                },
            )
        })
        .await?;
    Ok(Json(RoomOut::from(&room)))
}

pub async fn delete_room(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, room)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, room) = (path_id(&id)?, path_id(&room)?);
    s.run(move |app| app.delete_room(&caller, id, room)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DayInput")]
pub struct DayBody {
    #[serde(default)]
    #[schemars(with = "schema::Date", extend("x-required" = true))]
    date: String,
    #[serde(default)]
    room_id: Option<i64>,
    #[serde(default)]
    label: String,
    #[serde(default)]
    input_documents: Vec<String>,
    #[serde(default)]
    desired_outputs: Vec<String>,
    /// When the day opens, HH:MM local (else the meeting's daily hours apply).
    #[serde(default)]
    starts: Option<String>,
    /// When the day closes, HH:MM local.
    #[serde(default)]
    ends: Option<String>,
}

impl From<DayBody> for DayInput {
    fn from(b: DayBody) -> Self {
        DayInput {
            day: b.date,
            room_id: b.room_id,
            label: b.label,
            starts: b.starts.unwrap_or_default(),
            ends: b.ends.unwrap_or_default(),
            input_documents: b.input_documents.join("\n"),
            desired_outputs: b.desired_outputs.join("\n"),
        }
    }
}

pub async fn add_day(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DayBody>,
) -> Result<(StatusCode, Json<DayOut>), ApiError> {
    let id = path_id(&id)?;
    let input = b.into();

    let day = s
        .run(move |app| app.save_day(&caller, id, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(DayOut::from(&day))))
}

pub async fn update_day(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, day)): Path<(String, String)>,
    ApiJson(b): ApiJson<DayBody>,
) -> Result<Json<DayOut>, ApiError> {
    let (id, day) = (path_id(&id)?, path_id(&day)?);
    let app = s.app.clone();
    let input = b.into();
    Ok(Json(DayOut::from(
        &blocking(move || app.save_day(&caller, id, Some(day), &input)).await?,
    )))
}

pub async fn delete_day(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, day)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, day) = (path_id(&id)?, path_id(&day)?);
    s.run(move |app| app.delete_day(&caller, id, day)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ItemInput")]
pub struct ItemBody {
    #[serde(default)]
    #[schemars(with = "i64", extend("x-required" = true))]
    day_id: Option<i64>,
    /// The item it is a sub-item of.
    #[serde(default)]
    parent_id: Option<i64>,
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    title: String,
    /// HH:MM local, on the item's day.
    #[serde(default)]
    starts: Option<String>,
    /// HH:MM local, on the item's day.
    #[serde(default)]
    ends: Option<String>,
    #[serde(default)]
    room_id: Option<i64>,
    #[serde(default)]
    presenters: String,
    #[serde(default)]
    interventions: Vec<String>,
    #[serde(default)]
    input_documents: Vec<String>,
    #[serde(default)]
    desired_outputs: Vec<String>,
}

impl From<ItemBody> for ItemInput {
    fn from(b: ItemBody) -> Self {
        ItemInput {
            day_id: b.day_id,
            parent_id: b.parent_id,
            number: b.number.unwrap_or_default(),
            title: b.title,
            starts: b.starts.unwrap_or_default(),
            ends: b.ends.unwrap_or_default(),
            room_id: b.room_id,
            presenters: b.presenters,
            interventions: b.interventions.join("\n"),
            input_documents: b.input_documents.join("\n"),
            desired_outputs: b.desired_outputs.join("\n"),
        }
    }
}

/// An agenda item as saved.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SavedAgendaItem")]
pub(crate) struct ItemOut {
    id: i64,
    day_id: i64,
    parent_id: Option<i64>,
    /// Its place among its siblings.
    position: i64,
    title: String,
    #[schemars(with = "Option<schema::Instant>")]
    starts_at: Option<String>,
    #[schemars(with = "Option<schema::Instant>")]
    ends_at: Option<String>,
}

impl From<&Item> for ItemOut {
    fn from(i: &Item) -> Self {
        ItemOut {
            id: i.id,
            day_id: i.day_id,
            parent_id: i.parent_id,
            position: i.position,
            title: i.title.clone(),
            starts_at: i.starts_at.map(iso),
            ends_at: i.ends_at.map(iso),
        }
    }
}

pub async fn add_item(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ItemBody>,
) -> Result<(StatusCode, Json<ItemOut>), ApiError> {
    let id = path_id(&id)?;
    let input = b.into();

    let item = s
        .run(move |app| app.save_item(&caller, id, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(ItemOut::from(&item))))
}

pub async fn update_item(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, item)): Path<(String, String)>,
    ApiJson(b): ApiJson<ItemBody>,
) -> Result<Json<ItemOut>, ApiError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    let app = s.app.clone();
    let input = b.into();
    Ok(Json(ItemOut::from(
        &blocking(move || app.save_item(&caller, id, Some(item), &input)).await?,
    )))
}

pub async fn delete_item(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, item)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    s.run(move |app| app.delete_item(&caller, id, item)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ItemMoveInput")]
pub struct MoveBody {
    #[schemars(with = "Direction")]
    direction: String,
}

pub async fn move_item(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, item)): Path<(String, String)>,
    ApiJson(b): ApiJson<MoveBody>,
) -> Result<StatusCode, ApiError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    let direction = match b.direction.as_str() {
        "up" => Move::Up,
        "down" => Move::Down,
        _ => return Err(AppError::field("direction", Problem::Invalid("up or down")).into()),
    };
    s.run(move |app| app.move_item(&caller, id, item, direction))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AttendeeInput")]
pub struct AttendeeBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 100))]
    role_group: String,
    /// Invited when left out.
    #[serde(default)]
    #[schemars(with = "AttendanceStatus")]
    status: String,
}

pub async fn set_attendee(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, person)): Path<(String, String)>,
    ApiJson(b): ApiJson<AttendeeBody>,
) -> Result<StatusCode, ApiError> {
    let (id, person) = (path_id(&id)?, path_id(&person)?);
    let app = s.app.clone();
    let input = AttendeeInput {
        person_id: Some(person),
        role_group: b.role_group,
        status: b.status,
    };
    blocking(move || app.set_attendee(&caller, id, &input)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn remove_attendee(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, person)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, person) = (path_id(&id)?, path_id(&person)?);
    s.run(move |app| app.remove_attendee(&caller, id, person))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RoleGroupOrderInput")]
pub struct OrderBody {
    /// The role groups, first to last.
    order: Vec<String>,
}

pub async fn set_role_groups(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OrderBody>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    s.run(move |app| app.set_role_group_order(&caller, id, &b.order.join("\n")))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An input document of a meeting.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Document")]
pub(crate) struct DocumentOut {
    id: i64,
    meeting_id: i64,
    item_id: Option<i64>,
    title: String,
    filename: String,
    content_type: String,
    /// Bytes.
    size: i64,
    sha256: String,
    /// Where to download it.
    url: String,
}

impl From<&plenary_app::Document> for DocumentOut {
    fn from(d: &plenary_app::Document) -> Self {
        DocumentOut {
            id: d.id,
            meeting_id: d.meeting_id,
            item_id: d.item_id,
            title: d.title.clone(),
            filename: d.filename.clone(),
            content_type: d.content_type.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            url: format!("/documents/{}", d.id),
        }
    }
}

pub async fn documents(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Items<DocumentOut>>, ApiError> {
    let id = path_id(&id)?;
    let docs = s.run(move |app| app.documents(&caller, id)).await?;
    Ok(Json(Items::of(docs.iter().map(DocumentOut::from))))
}

#[derive(Deserialize, Default)]
pub struct UploadQuery {
    #[serde(default)]
    filename: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    item_id: Option<String>,
}

/// Uploads the request body as a document; the file name comes from the query.
pub async fn upload(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<DocumentOut>), ApiError> {
    let id = path_id(&id)?;
    let item_id = match q.item_id.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(raw.parse().map_err(|_| {
            AppError::field("item_id", Problem::Invalid("an item id is a whole number"))
        })?),
    };
    let upload = plenary_app::Upload {
        item_id,
        title: q.title,
        filename: q.filename,
        data: body.to_vec(),
    };
    let doc = s
        .run(move |app| app.upload_document(&caller, id, &upload))
        .await?;
    Ok((StatusCode::CREATED, Json(DocumentOut::from(&doc))))
}

pub async fn delete_document(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    s.run(move |app| app.delete_document(&caller, id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
