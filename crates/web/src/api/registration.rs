//! Events and registration over JSON: the secretariat sets up events, categories and
//! questions, lists and moderates registrations and checks participants in; anyone
//! registers; a registrant sees, changes or cancels their registration through the
//! secret token of their management link.

use super::{ApiJson, instant as iso, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use plenary_app::registration::{
    CategoryInput, EventInput, EventView, QuestionInput, RegistrationInput, RegistrationQuery,
    RegistrationView,
};
use plenary_app::{Category, Event, QuestionRow, Registration};
use plenary_domain::registration::RegistrationStatus;
use plenary_domain::time::{Zone, label};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn labelled(at: DateTime<Utc>, zone: Zone) -> Value {
    let l = label(at, zone);
    json!({ "utc": iso(at), "local": l.local.format("%Y-%m-%dT%H:%M").to_string(), "offset": l.offset, "zone": zone.name(), "text": l.to_string() })
}

fn event_json(e: &Event, now: DateTime<Utc>) -> Value {
    let zone = Zone::parse("time_zone", &e.time_zone).unwrap_or(Zone::UTC);
    json!({
        "id": e.id,
        "title": e.title,
        "venue": e.venue,
        "time_zone": e.time_zone,
        "starts_at": labelled(e.starts_at, zone),
        "ends_at": labelled(e.ends_at, zone),
        "registration_opens_at": labelled(e.registration_opens_at, zone),
        "registration_closes_at": labelled(e.registration_closes_at, zone),
        "changes_until": labelled(e.changes_until, zone),
        "public_list": e.public_list,
        "visa_letters": e.visa_letters,
        "visa_retention_days": e.visa_retention_days,
        "registration_open": e.registration_opens_at <= now && now < e.registration_closes_at,
    })
}

fn category_json(c: &Category) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "mode": c.mode.as_str(),
        "capacity": c.capacity,
        "taken": c.taken,
        "seats_left": c.capacity.map(|n| (n - c.taken).max(0)),
        "needs_approval": c.needs_approval,
    })
}

fn question_json(q: &QuestionRow) -> Value {
    json!({
        "id": q.id,
        "key": q.key,
        "label": q.label,
        "kind": q.kind.as_str(),
        "required": q.required,
        "options": q.options,
    })
}

fn event_view_json(v: &EventView, now: DateTime<Utc>) -> Value {
    let mut value = event_json(&v.event, now);
    value["categories"] = v.categories.iter().map(category_json).collect();
    value["questions"] = v.questions.iter().map(question_json).collect();
    value
}

fn registration_json(r: &Registration) -> Value {
    json!({
        "id": r.id,
        "event_id": r.event_id,
        "category_id": r.category_id,
        "status": r.status.as_str(),
        "email": r.email,
        "family_name": r.family_name,
        "given_name": r.given_name,
        "organization": r.organization,
        "country": r.country,
        "answers": plenary_app::registration::stored_answers(r),
        "listed": r.listed,
        "reason": r.reason,
        // The code opens the door: only once the registration is confirmed.
        "badge_code": (r.status == RegistrationStatus::Confirmed).then_some(&r.badge_code),
        "checked_in_at": r.checked_in_at.map(iso),
        "created_at": iso(r.created_at),
        "updated_at": iso(r.updated_at),
    })
}

fn view_json(v: &RegistrationView) -> Value {
    let mut value = registration_json(&v.registration);
    value["waitlist_position"] = json!(v.waitlist_position);
    value["changeable"] = json!(v.changeable);
    value["category"] = category_json(&v.category);
    value["event"] = json!({ "id": v.event.event.id, "title": v.event.event.title });
    value
}

// ------------------------------------------------------------------ events

pub async fn list_events(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let (events, now) = s.run(|app| Ok((app.events()?, app.now()))).await?;
    Ok(Json(
        json!({ "items": events.iter().map(|e| event_json(e, now)).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    #[serde(default)]
    title: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    time_zone: String,
    /// Local wall-clock date-times in the event's zone: "2026-06-22T09:00".
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    registration_opens_at: String,
    #[serde(default)]
    registration_closes_at: String,
    #[serde(default)]
    changes_until: String,
    #[serde(default)]
    public_list: bool,
    #[serde(default)]
    visa_letters: bool,
    /// Days after the event until passport details are purged (default 30).
    #[serde(default)]
    visa_retention_days: Option<i64>,
}

impl From<EventBody> for EventInput {
    fn from(b: EventBody) -> Self {
        EventInput {
            title: b.title,
            venue: b.venue,
            time_zone: b.time_zone,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            registration_opens_at: b.registration_opens_at,
            registration_closes_at: b.registration_closes_at,
            changes_until: b.changes_until,
            public_list: b.public_list,
            visa_letters: b.visa_letters,
            visa_retention_days: b
                .visa_retention_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }
}

pub async fn create_event(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<EventBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let input = body.into();
    let (event, now) = s
        .run(move |app| Ok((app.save_event(&caller, None, &input)?, app.now())))
        .await?;
    Ok((StatusCode::CREATED, Json(event_json(&event, now))))
}

pub async fn show_event(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let (view, now) = s.run(move |app| Ok((app.event(id)?, app.now()))).await?;
    Ok(Json(event_view_json(&view, now)))
}

pub async fn update_event(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EventBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let (view, now) = s
        .run(move |app| {
            app.save_event(&caller, Some(id), &input)?;
            Ok((app.event(id)?, app.now()))
        })
        .await?;
    Ok(Json(event_view_json(&view, now)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mode: String,
    /// Seats; `null` or absent: no limit.
    #[serde(default)]
    capacity: Option<i64>,
    #[serde(default)]
    needs_approval: bool,
}

impl From<CategoryBody> for CategoryInput {
    fn from(b: CategoryBody) -> Self {
        CategoryInput {
            name: b.name,
            mode: b.mode,
            capacity: b.capacity.map(|n| n.to_string()).unwrap_or_default(),
            needs_approval: b.needs_approval,
        }
    }
}

pub async fn add_category(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let category = s
        .run(move |app| app.save_category(&caller, id, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(category_json(&category))))
}

pub async fn update_category(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, category)): Path<(String, String)>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> Result<Json<Value>, ApiError> {
    let (id, category) = (path_id(&id)?, path_id(&category)?);
    let input = body.into();
    let category = s
        .run(move |app| app.save_category(&caller, id, Some(category), &input))
        .await?;
    Ok(Json(category_json(&category)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionBody {
    #[serde(default)]
    key: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    options: Vec<String>,
}

pub async fn add_question(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<QuestionBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    let input = QuestionInput {
        key: b.key,
        label: b.label,
        kind: b.kind,
        required: b.required,
        options: b.options.join("\n"),
    };
    let question = s
        .run(move |app| app.add_question(&caller, id, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(question_json(&question))))
}

pub async fn delete_question(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, question)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, question) = (path_id(&id)?, path_id(&question)?);
    s.run(move |app| app.delete_question(&caller, id, question))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ registering

/// An answer as JSON: a string, several strings, a number or a boolean (a ticked box).
fn answer_values(value: Value) -> Vec<String> {
    match value {
        Value::Null | Value::Bool(false) => Vec::new(),
        Value::Bool(true) => vec!["yes".into()],
        Value::String(s) => vec![s],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items.into_iter().flat_map(answer_values).collect(),
        Value::Object(_) => vec![value.to_string()],
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrationBody {
    #[serde(default)]
    category_id: Option<i64>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    answers: BTreeMap<String, Value>,
    #[serde(default)]
    listed: bool,
}

impl From<RegistrationBody> for RegistrationInput {
    fn from(b: RegistrationBody) -> Self {
        RegistrationInput {
            category_id: b.category_id.map(|c| c.to_string()).unwrap_or_default(),
            email: b.email,
            family_name: b.family_name,
            given_name: b.given_name,
            organization: b.organization,
            country: b.country,
            answers: b
                .answers
                .into_iter()
                .map(|(k, v)| (k, answer_values(v)))
                .collect(),
            listed: b.listed,
        }
    }
}

/// Registers (anyone; a bearer token links the registration to its account).
pub async fn register(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RegistrationBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    // Awaited without a thread of its own: the writer answers once the commit is durable.
    let r = crate::submitted(s.app.submit_registration(caller, id, body.into())).await?;
    if !r.created {
        // Someone may type another person's address: nothing about it is told.
        return Ok((
            StatusCode::OK,
            Json(json!({
                "created": false,
                "event_id": id,
                "detail": "this e-mail address is registered for the event already; its management link was e-mailed to that address when it registered",
            })),
        ));
    }
    let mut value = registration_json(&r.registration);
    value["created"] = json!(true);
    value["waitlist_position"] = json!(r.waitlist_position);
    value["manage_token"] = json!(r.manage_token);
    Ok((StatusCode::CREATED, Json(value)))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    category_id: String,
    #[serde(default)]
    page: String,
}

/// One page of an event's registrations (secretariat).
pub async fn list_registrations(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let page = super::page_number(Some(&q.page))?;
    let query = RegistrationQuery {
        search: q.q,
        status: q.status,
        category_id: q.category_id,
        page,
    };
    let page = s
        .run(move |app| app.registrations(&caller, id, &query))
        .await?;
    let counts: serde_json::Map<String, Value> = page
        .counts
        .iter()
        .map(|(status, n)| (status.as_str().to_owned(), json!(n)))
        .collect();
    Ok(Json(json!({
        "items": page.registrations.iter().map(registration_json).collect::<Vec<_>>(),
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "page_size": plenary_app::registration::PAGE_SIZE,
        "counts": counts,
    })))
}

pub async fn show_registration(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let view = s.run(move |app| app.registration(&caller, id)).await?;
    Ok(Json(view_json(&view)))
}

/// A confirmed registration's badge as a PDF: its owner's, or any for the secretariat.
pub async fn badge(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let id = path_id(&id)?;
    let file = s.run(move |app| app.badge(&caller, id)).await?;
    Ok(crate::pages::badges::pdf(file))
}

pub async fn approve(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| {
            app.moderate_registration(&caller, id, true, "")?;
            app.registration(&caller, id)
        })
        .await?;
    Ok(Json(view_json(&view)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    #[serde(default)]
    reason: String,
}

pub async fn reject(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| {
            app.moderate_registration(&caller, id, false, &b.reason)?;
            app.registration(&caller, id)
        })
        .await?;
    Ok(Json(view_json(&view)))
}

/// Cancels a registration (secretariat; a registrant cancels through their link).
pub async fn cancel(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| {
            app.registration(&caller, id)?;
            app.cancel_registration(&caller, id)?;
            app.registration(&caller, id)
        })
        .await?;
    Ok(Json(view_json(&view)))
}

// ------------------------------------------------------------------ the management link

pub async fn show_link(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let view = s.run(move |app| app.registration_by_token(&token)).await?;
    Ok(Json(view_json(&view)))
}

/// The details a registrant may change (not the category, not the e-mail address).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailsBody {
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    answers: BTreeMap<String, Value>,
    #[serde(default)]
    listed: bool,
}

pub async fn update_link(
    State(s): State<AppState>,
    Path(token): Path<String>,
    ApiJson(b): ApiJson<DetailsBody>,
) -> Result<Json<Value>, ApiError> {
    let input = RegistrationInput {
        family_name: b.family_name,
        given_name: b.given_name,
        organization: b.organization,
        country: b.country,
        answers: b
            .answers
            .into_iter()
            .map(|(k, v)| (k, answer_values(v)))
            .collect(),
        listed: b.listed,
        ..Default::default()
    };
    let view = s
        .run(move |app| app.update_registration(&token, &input))
        .await?;
    Ok(Json(view_json(&view)))
}

pub async fn cancel_link(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let view = s.run(move |app| app.cancel_by_token(&token)).await?;
    Ok(Json(view_json(&view)))
}

// ------------------------------------------------------------------ check-in, public list

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInBody {
    #[serde(default)]
    code: String,
}

/// Checks a badge in: 201 the first time, 200 (with `again`) for a repeated scan.
pub async fn check_in(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(b): ApiJson<CheckInBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let done = s.run(move |app| app.check_in(&caller, &b.code)).await?;
    let zone = Zone::parse("time_zone", &done.event.time_zone).unwrap_or(Zone::UTC);
    let status = if done.again {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(json!({
            "again": done.again,
            "first_at": labelled(done.first_at, zone),
            "event": { "id": done.event.id, "title": done.event.title },
            "registration": registration_json(&done.registration),
        })),
    ))
}

pub async fn participants(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let listed = s.run(move |app| app.public_participants(id)).await?;
    Ok(Json(json!({
        "items": listed.iter().map(|p| json!({
            "family_name": p.family_name,
            "given_name": p.given_name,
            "organization": p.organization,
            "country": p.country,
        })).collect::<Vec<_>>()
    })))
}
