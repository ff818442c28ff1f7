//! Meetings and agendas over JSON.

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
    Move, RoomInput,
};
use plenary_domain::Problem;
use plenary_domain::time::{Zone, label};
use serde::Deserialize;
use serde_json::{Value, json};

fn labelled(at: DateTime<Utc>, zone: Zone) -> Value {
    let l = label(at, zone);
    json!({ "utc": iso(at), "local": l.local.format("%Y-%m-%dT%H:%M").to_string(), "offset": l.offset, "zone": zone.name(), "text": l.to_string() })
}

pub(crate) fn meeting_json(m: &Meeting) -> Value {
    let zone = Zone::parse("time_zone", &m.time_zone).unwrap_or(Zone::UTC);
    json!({
        "id": m.id,
        "body_id": m.body_id,
        "title": m.title,
        "kind": m.kind.as_str(),
        "mode": m.mode.as_str(),
        "venue": m.venue,
        "time_zone": m.time_zone,
        "starts_at": labelled(m.starts_at, zone),
        "ends_at": labelled(m.ends_at, zone),
        "description": m.description,
        "published": m.published,
    })
}

fn item_json(i: &Item, zone: Zone) -> Value {
    json!({
        "id": i.id,
        "parent_id": i.parent_id,
        "number": i.number,
        "title": i.title,
        "starts_at": i.starts_at.map(|t| labelled(t, zone)),
        "ends_at": i.ends_at.map(|t| labelled(t, zone)),
        "room_id": i.room_id,
        "presenters": i.presenters,
        "interventions": i.interventions,
        "input_documents": i.input_documents,
        "desired_outputs": i.desired_outputs,
    })
}

fn day_json(d: &Day) -> Value {
    json!({ "id": d.id, "date": d.day.to_string(), "room_id": d.room_id, "label": d.label, "input_documents": d.input_documents, "desired_outputs": d.desired_outputs })
}

fn view_json(v: &MeetingView) -> Value {
    let mut value = meeting_json(&v.meeting);
    value["body"] = json!({ "id": v.body.id, "short_name": v.body.short_name });
    value["rooms"] = v
        .rooms
        .iter()
        .map(|r| json!({ "id": r.id, "name": r.name, "building": r.building }))
        .collect();
    value["days"] = v
        .days
        .iter()
        .map(|d| {
            let mut day = day_json(&d.day);
            day["items"] = d
                .items
                .iter()
                .map(|i| {
                    let mut item = item_json(&i.item, v.zone);
                    item["subitems"] = i.subitems.iter().map(|s| item_json(s, v.zone)).collect();
                    item
                })
                .collect();
            day
        })
        .collect();
    value["participants"] = v
        .participants
        .iter()
        .map(|(group, people)| {
            json!({ "role_group": group, "people": people.iter().map(|a| {
                let mut p = json!({ "person_id": a.person_id, "family_name": a.family_name, "given_name": a.given_name, "organization": a.organization });
                if v.can_manage { p["status"] = json!(a.status.as_str()); }
                p
            }).collect::<Vec<_>>() })
        })
        .collect();
    value
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
) -> Result<Json<Value>, ApiError> {
    let body = match q.body.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(raw.parse().map_err(|_| {
            AppError::field("body", Problem::Invalid("a body id is a whole number"))
        })?),
    };
    let meetings = s.run(move |app| app.meetings(&caller, body)).await?;
    Ok(Json(
        json!({ "items": meetings.iter().map(meeting_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    #[serde(default)]
    body_id: Option<i64>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    time_zone: String,
    /// Local wall-clock start and end in the meeting's zone: "2024-06-26T10:00".
    #[serde(default)]
    starts_local: String,
    #[serde(default)]
    ends_local: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    published: bool,
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
        }
    }
}

pub async fn create(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let input = body.into();

    let m = s
        .run(move |app| app.save_meeting(&caller, None, &input))
        .await
        .map_err(local_fields)?;
    Ok((StatusCode::CREATED, Json(meeting_json(&m))))
}

pub async fn show(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    Ok(Json(view_json(
        &blocking(move || app.meeting(&caller, id)).await?,
    )))
}

pub async fn update(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    let input = body.into();
    Ok(Json(meeting_json(
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    building: String,
}

pub async fn add_room(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RoomBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": room.id, "name": room.name, "building": room.building })),
    ))
}

pub async fn update_room(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, room)): Path<(String, String)>,
    ApiJson(b): ApiJson<RoomBody>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(
        json!({ "id": room.id, "name": room.name, "building": room.building }),
    ))
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayBody {
    #[serde(default)]
    date: String,
    #[serde(default)]
    room_id: Option<i64>,
    #[serde(default)]
    label: String,
    #[serde(default)]
    input_documents: Vec<String>,
    #[serde(default)]
    desired_outputs: Vec<String>,
}

impl From<DayBody> for DayInput {
    fn from(b: DayBody) -> Self {
        DayInput {
            day: b.date,
            room_id: b.room_id,
            label: b.label,
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
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    let input = b.into();

    let day = s
        .run(move |app| app.save_day(&caller, id, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(day_json(&day))))
}

pub async fn update_day(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, day)): Path<(String, String)>,
    ApiJson(b): ApiJson<DayBody>,
) -> Result<Json<Value>, ApiError> {
    let (id, day) = (path_id(&id)?, path_id(&day)?);
    let app = s.app.clone();
    let input = b.into();
    Ok(Json(day_json(
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    #[serde(default)]
    day_id: Option<i64>,
    #[serde(default)]
    parent_id: Option<i64>,
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    title: String,
    /// Local HH:MM on the item's day.
    #[serde(default)]
    starts: Option<String>,
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

fn saved_item(i: &Item) -> Value {
    json!({ "id": i.id, "day_id": i.day_id, "parent_id": i.parent_id, "position": i.position, "title": i.title,
            "starts_at": i.starts_at.map(iso), "ends_at": i.ends_at.map(iso) })
}

pub async fn add_item(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ItemBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    let input = b.into();

    let item = s
        .run(move |app| app.save_item(&caller, id, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(saved_item(&item))))
}

pub async fn update_item(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, item)): Path<(String, String)>,
    ApiJson(b): ApiJson<ItemBody>,
) -> Result<Json<Value>, ApiError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    let app = s.app.clone();
    let input = b.into();
    Ok(Json(saved_item(
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendeeBody {
    #[serde(default)]
    role_group: String,
    #[serde(default)]
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
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

pub(crate) fn document_json(d: &plenary_app::Document) -> Value {
    json!({ "id": d.id, "meeting_id": d.meeting_id, "item_id": d.item_id, "title": d.title, "filename": d.filename,
            "content_type": d.content_type, "size": d.size, "sha256": d.sha256, "url": format!("/documents/{}", d.id) })
}

pub async fn documents(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let docs = s.run(move |app| app.documents(&caller, id)).await?;
    Ok(Json(
        json!({ "items": docs.iter().map(document_json).collect::<Vec<_>>() }),
    ))
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
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
    Ok((StatusCode::CREATED, Json(document_json(&doc))))
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
