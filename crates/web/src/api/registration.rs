//! Events and registration over JSON: the secretariat sets up events, categories and
//! questions, lists and moderates registrations and checks participants in; anyone
//! registers; a registrant sees, changes or cancels their registration through the
//! secret token of their management link.

use super::meetings::{LabelledInstant, labelled};
use super::schema::{self, Items};
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
use plenary_domain::time::Zone;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The closed lists of events and registration.
pub(crate) mod names {
    crate::api::schema::closed_names! {
        /// Where a registration stands.
        RegistrationStatus => plenary_domain::registration::RegistrationStatus::ALL;
        /// How a category's participants take part.
        ParticipationMode => plenary_domain::registration::ParticipationMode::ALL;
        /// The kind of a registration form's question.
        FieldKind => plenary_domain::registration::FieldKind::ALL;
    }
}

/// A record named by its id and title.
#[derive(Serialize, JsonSchema)]
#[schemars(inline)]
pub(crate) struct EventRef {
    id: i64,
    title: String,
}

impl From<&Event> for EventRef {
    fn from(e: &Event) -> Self {
        EventRef {
            id: e.id,
            title: e.title.clone(),
        }
    }
}

/// An event that people register for.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Event")]
pub(crate) struct EventOut {
    id: i64,
    title: String,
    venue: String,
    /// IANA name, e.g. Africa/Nairobi.
    time_zone: String,
    starts_at: LabelledInstant,
    ends_at: LabelledInstant,
    registration_opens_at: LabelledInstant,
    registration_closes_at: LabelledInstant,
    /// Registrants may change or cancel their registration until then.
    changes_until: LabelledInstant,
    /// Whether the consenting participants are listed publicly.
    public_list: bool,
    /// Whether onsite registrants may ask for a visa invitation letter.
    visa_letters: bool,
    /// Days after the event's end until passport details are purged.
    visa_retention_days: i64,
    /// Whether registration is open now.
    registration_open: bool,
}

impl EventOut {
    fn new(e: &Event, now: DateTime<Utc>) -> Self {
        let zone = Zone::parse("time_zone", &e.time_zone).unwrap_or(Zone::UTC);
        EventOut {
            id: e.id,
            title: e.title.clone(),
            venue: e.venue.clone(),
            time_zone: e.time_zone.clone(),
            starts_at: labelled(e.starts_at, zone),
            ends_at: labelled(e.ends_at, zone),
            registration_opens_at: labelled(e.registration_opens_at, zone),
            registration_closes_at: labelled(e.registration_closes_at, zone),
            changes_until: labelled(e.changes_until, zone),
            public_list: e.public_list,
            visa_letters: e.visa_letters,
            visa_retention_days: e.visa_retention_days,
            registration_open: e.registration_opens_at <= now && now < e.registration_closes_at,
        }
    }
}

/// An event with its categories (seats left) and the questions of its registration form.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "EventDetail")]
pub(crate) struct EventDetailOut {
    #[serde(flatten)]
    event: EventOut,
    categories: Vec<CategoryOut>,
    questions: Vec<QuestionOut>,
}

impl EventDetailOut {
    fn new(v: &EventView, now: DateTime<Utc>) -> Self {
        EventDetailOut {
            event: EventOut::new(&v.event, now),
            categories: v.categories.iter().map(CategoryOut::from).collect(),
            questions: v.questions.iter().map(QuestionOut::from).collect(),
        }
    }
}

/// A registration category of an event, with its seats.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Category")]
pub(crate) struct CategoryOut {
    id: i64,
    name: String,
    #[schemars(with = "names::ParticipationMode")]
    mode: &'static str,
    /// Seats; null: no limit.
    capacity: Option<i64>,
    /// Seats held by pending and confirmed registrations.
    taken: i64,
    /// Seats still free; null: no limit.
    seats_left: Option<i64>,
    needs_approval: bool,
}

impl From<&Category> for CategoryOut {
    fn from(c: &Category) -> Self {
        CategoryOut {
            id: c.id,
            name: c.name.clone(),
            mode: c.mode.as_str(),
            capacity: c.capacity,
            taken: c.taken,
            seats_left: c.capacity.map(|n| (n - c.taken).max(0)),
            needs_approval: c.needs_approval,
        }
    }
}

/// A question of an event's registration form.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Question")]
pub(crate) struct QuestionOut {
    id: i64,
    key: String,
    label: String,
    #[schemars(with = "names::FieldKind")]
    kind: &'static str,
    required: bool,
    /// The choices of a choice question.
    options: Vec<String>,
}

impl From<&QuestionRow> for QuestionOut {
    fn from(q: &QuestionRow) -> Self {
        QuestionOut {
            id: q.id,
            key: q.key.clone(),
            label: q.label.clone(),
            kind: q.kind.as_str(),
            required: q.required,
            options: q.options.clone(),
        }
    }
}

/// A registration for an event.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Registration")]
pub(crate) struct RegistrationOut {
    id: i64,
    event_id: i64,
    category_id: i64,
    #[schemars(with = "names::RegistrationStatus")]
    status: &'static str,
    email: String,
    family_name: String,
    given_name: String,
    organization: String,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    /// The answers by question key.
    answers: BTreeMap<String, Vec<String>>,
    /// Consented to appear on the public participant list.
    listed: bool,
    /// Why it was rejected (or another note of the moderator).
    reason: String,
    /// The code of the badge; only while confirmed.
    badge_code: Option<String>,
    #[schemars(with = "Option<schema::Instant>")]
    checked_in_at: Option<String>,
    #[schemars(with = "schema::Instant")]
    created_at: String,
    #[schemars(with = "schema::Instant")]
    updated_at: String,
}

impl From<&Registration> for RegistrationOut {
    fn from(r: &Registration) -> Self {
        RegistrationOut {
            id: r.id,
            event_id: r.event_id,
            category_id: r.category_id,
            status: r.status.as_str(),
            email: r.email.clone(),
            family_name: r.family_name.clone(),
            given_name: r.given_name.clone(),
            organization: r.organization.clone(),
            country: r.country.clone(),
            answers: plenary_app::registration::stored_answers(r),
            listed: r.listed,
            reason: r.reason.clone(),
            // The code opens the door: only once the registration is confirmed.
            badge_code: (r.status == RegistrationStatus::Confirmed).then(|| r.badge_code.clone()),
            checked_in_at: r.checked_in_at.map(iso),
            created_at: iso(r.created_at),
            updated_at: iso(r.updated_at),
        }
    }
}

/// A registration with its category, its event and where it stands.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "RegistrationDetail")]
pub(crate) struct RegistrationDetailOut {
    #[serde(flatten)]
    registration: RegistrationOut,
    /// The place on the waiting list (1: next to get a seat); null when not waiting.
    waitlist_position: Option<i64>,
    /// Whether the registrant may still change or cancel it.
    changeable: bool,
    category: CategoryOut,
    event: EventRef,
}

impl From<&RegistrationView> for RegistrationDetailOut {
    fn from(v: &RegistrationView) -> Self {
        RegistrationDetailOut {
            registration: RegistrationOut::from(&v.registration),
            waitlist_position: v.waitlist_position,
            changeable: v.changeable,
            category: CategoryOut::from(&v.category),
            event: EventRef::from(&v.event.event),
        }
    }
}

fn detail(v: &RegistrationView) -> Json<RegistrationDetailOut> {
    Json(RegistrationDetailOut::from(v))
}

// ------------------------------------------------------------------ events

pub async fn list_events(State(s): State<AppState>) -> Result<Json<Items<EventOut>>, ApiError> {
    let (events, now) = s.run(|app| Ok((app.events()?, app.now()))).await?;
    Ok(Json(Items::of(
        events.iter().map(|e| EventOut::new(e, now)),
    )))
}

/// An event's settings. The dates are local wall-clock date-times in the event's zone.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "EventInput")]
pub struct EventBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    title: String,
    #[serde(default)]
    venue: String,
    /// IANA name, e.g. Africa/Nairobi.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    time_zone: String,
    /// Start: wall-clock date and time in the event's zone, e.g. 2026-06-22T09:00.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    starts_at: String,
    /// End: wall-clock date and time in the event's zone, e.g. 2026-06-22T09:00.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    ends_at: String,
    /// Registration opens: wall-clock date and time in the event's zone, e.g. 2026-06-22T09:00.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    registration_opens_at: String,
    /// Registration closes: wall-clock date and time in the event's zone, e.g. 2026-06-22T09:00.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    registration_closes_at: String,
    /// Registrants may change or cancel until: wall-clock date and time in the event's zone, e.g. 2026-06-22T09:00.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    changes_until: String,
    /// Whether the consenting participants are listed publicly.
    #[serde(default)]
    public_list: bool,
    /// Onsite registrants may request a visa invitation letter.
    #[serde(default)]
    visa_letters: bool,
    /// Days after the event's end until passport details are purged (default 30).
    #[serde(default)]
    #[schemars(range(min = 1, max = 366))]
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
) -> Result<(StatusCode, Json<EventOut>), ApiError> {
    let input = body.into();
    let (event, now) = s
        .run(move |app| Ok((app.save_event(&caller, None, &input)?, app.now())))
        .await?;
    Ok((StatusCode::CREATED, Json(EventOut::new(&event, now))))
}

pub async fn show_event(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EventDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let (view, now) = s.run(move |app| Ok((app.event(id)?, app.now()))).await?;
    Ok(Json(EventDetailOut::new(&view, now)))
}

pub async fn update_event(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EventBody>,
) -> Result<Json<EventDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let (view, now) = s
        .run(move |app| {
            app.save_event(&caller, Some(id), &input)?;
            Ok((app.event(id)?, app.now()))
        })
        .await?;
    Ok(Json(EventDetailOut::new(&view, now)))
}

/// A registration category with its capacity.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CategoryInput")]
pub struct CategoryBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    name: String,
    #[serde(default)]
    #[schemars(with = "names::ParticipationMode", extend("x-required" = true))]
    mode: String,
    /// Seats; `null` or absent: no limit.
    #[serde(default)]
    #[schemars(range(min = 0))]
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
) -> Result<(StatusCode, Json<CategoryOut>), ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let category = s
        .run(move |app| app.save_category(&caller, id, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(CategoryOut::from(&category))))
}

pub async fn update_category(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, category)): Path<(String, String)>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> Result<Json<CategoryOut>, ApiError> {
    let (id, category) = (path_id(&id)?, path_id(&category)?);
    let input = body.into();
    let category = s
        .run(move |app| app.save_category(&caller, id, Some(category), &input))
        .await?;
    Ok(Json(CategoryOut::from(&category)))
}

/// A question of the registration form.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "QuestionInput")]
pub struct QuestionBody {
    /// The answer's name in `answers`.
    #[serde(default)]
    #[schemars(extend("x-required" = true), regex(pattern = r"^[a-z][a-z0-9_]{0,39}$"))]
    key: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    label: String,
    #[serde(default)]
    #[schemars(with = "names::FieldKind", extend("x-required" = true))]
    kind: String,
    #[serde(default)]
    required: bool,
    /// The choices (at least two) of a choice question.
    #[serde(default)]
    options: Vec<String>,
}

pub async fn add_question(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<QuestionBody>,
) -> Result<(StatusCode, Json<QuestionOut>), ApiError> {
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
    Ok((StatusCode::CREATED, Json(QuestionOut::from(&question))))
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

fn answers_input(answers: BTreeMap<String, Value>) -> BTreeMap<String, Vec<String>> {
    answers
        .into_iter()
        .map(|(k, v)| (k, answer_values(v)))
        .collect()
}

/// The answers of a registration form as sent (see [`answer_values`]).
struct AnswersInput;

impl JsonSchema for AnswersInput {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "AnswersInput".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "Answers by question key: a string, several strings (several choices), a number, or true for a ticked box",
            "additionalProperties": { "type": ["string", "number", "boolean", "array"], "items": { "type": "string" } }
        })
    }
}

/// A registration as sent by the registrant.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RegistrationInput")]
pub struct RegistrationBody {
    /// Required unless the event has a single category.
    #[serde(default)]
    category_id: Option<i64>,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    email: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    organization: String,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    country: String,
    #[serde(default)]
    #[schemars(with = "AnswersInput")]
    answers: BTreeMap<String, Value>,
    /// Consent to appear on the public participant list.
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
            answers: answers_input(b.answers),
            listed: b.listed,
        }
    }
}

/// A new registration, with the secret of its management link (returned only here).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Registered")]
pub(crate) struct Registered {
    #[serde(flatten)]
    registration: RegistrationOut,
    #[schemars(extend("const" = true))]
    created: bool,
    /// The place on the waiting list (1: next to get a seat); null when not waiting.
    waitlist_position: Option<i64>,
    /// The secret of the management link: /registration-links/{token}.
    manage_token: String,
}

/// Registered already with this e-mail address: nothing changed, and nothing is told
/// about the existing registration.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "AlreadyRegistered")]
pub(crate) struct AlreadyRegistered {
    #[schemars(extend("const" = false))]
    created: bool,
    event_id: i64,
    detail: &'static str,
}

/// What registering answers: 201 with the registration, or 200 when the address is
/// registered already.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum RegisterOut {
    Created(Box<Registered>),
    Existing(AlreadyRegistered),
}

/// Registers (anyone; a bearer token links the registration to its account).
pub async fn register(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RegistrationBody>,
) -> Result<(StatusCode, Json<RegisterOut>), ApiError> {
    let id = path_id(&id)?;
    // Awaited without a thread of its own: the writer answers once the commit is durable.
    let r = crate::submitted(s.app.submit_registration(caller, id, body.into())).await?;
    if !r.created {
        // Someone may type another person's address: nothing about it is told.
        return Ok((
            StatusCode::OK,
            Json(RegisterOut::Existing(AlreadyRegistered {
                created: false,
                event_id: id,
                detail: "this e-mail address is registered for the event already; its management link was e-mailed to that address when it registered",
            })),
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(RegisterOut::Created(Box::new(Registered {
            registration: RegistrationOut::from(&r.registration),
            created: true,
            waitlist_position: r.waitlist_position,
            // Always there for a new registration.
            manage_token: r.manage_token.unwrap_or_default(),
        }))),
    ))
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

/// One page of an event's registrations, with the counts by status.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "RegistrationPage")]
pub(crate) struct RegistrationPageOut {
    items: Vec<RegistrationOut>,
    total: i64,
    /// From 1.
    page: i64,
    pages: i64,
    page_size: i64,
    /// Registrations of the event by status (the statuses present).
    counts: BTreeMap<&'static str, i64>,
}

/// One page of an event's registrations (secretariat).
pub async fn list_registrations(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<RegistrationPageOut>, ApiError> {
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
    Ok(Json(RegistrationPageOut {
        items: page
            .registrations
            .iter()
            .map(RegistrationOut::from)
            .collect(),
        total: page.total,
        page: page.page,
        pages: page.pages,
        page_size: plenary_app::registration::PAGE_SIZE,
        counts: page
            .counts
            .iter()
            .map(|(status, n)| (status.as_str(), *n))
            .collect(),
    }))
}

pub async fn show_registration(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<RegistrationDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let view = s.run(move |app| app.registration(&caller, id)).await?;
    Ok(detail(&view))
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
) -> Result<Json<RegistrationDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| {
            app.moderate_registration(&caller, id, true, "")?;
            app.registration(&caller, id)
        })
        .await?;
    Ok(detail(&view))
}

/// Why a registration is rejected, e-mailed to the registrant.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RejectionInput")]
pub struct ReasonBody {
    #[serde(default)]
    #[schemars(length(max = 1000))]
    reason: String,
}

pub async fn reject(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> Result<Json<RegistrationDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| {
            app.moderate_registration(&caller, id, false, &b.reason)?;
            app.registration(&caller, id)
        })
        .await?;
    Ok(detail(&view))
}

/// Cancels a registration (secretariat; a registrant cancels through their link).
pub async fn cancel(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<RegistrationDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| {
            app.registration(&caller, id)?;
            app.cancel_registration(&caller, id)?;
            app.registration(&caller, id)
        })
        .await?;
    Ok(detail(&view))
}

// ------------------------------------------------------------------ the management link

pub async fn show_link(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<RegistrationDetailOut>, ApiError> {
    let view = s.run(move |app| app.registration_by_token(&token)).await?;
    Ok(detail(&view))
}

/// The details a registrant may change (not the category, not the e-mail address).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RegistrationDetails")]
pub struct DetailsBody {
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    organization: String,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    country: String,
    #[serde(default)]
    #[schemars(with = "AnswersInput")]
    answers: BTreeMap<String, Value>,
    /// Consent to appear on the public participant list.
    #[serde(default)]
    listed: bool,
}

pub async fn update_link(
    State(s): State<AppState>,
    Path(token): Path<String>,
    ApiJson(b): ApiJson<DetailsBody>,
) -> Result<Json<RegistrationDetailOut>, ApiError> {
    let input = RegistrationInput {
        family_name: b.family_name,
        given_name: b.given_name,
        organization: b.organization,
        country: b.country,
        answers: answers_input(b.answers),
        listed: b.listed,
        ..Default::default()
    };
    let view = s
        .run(move |app| app.update_registration(&token, &input))
        .await?;
    Ok(detail(&view))
}

pub async fn cancel_link(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<RegistrationDetailOut>, ApiError> {
    let view = s.run(move |app| app.cancel_by_token(&token)).await?;
    Ok(detail(&view))
}

// ------------------------------------------------------------------ check-in, public list

/// A scanned badge.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CheckInInput")]
pub struct CheckInBody {
    /// The badge code; case, spaces and dashes do not matter.
    #[serde(default)]
    code: String,
}

/// A participant checked in.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CheckIn")]
pub(crate) struct CheckInOut {
    /// Whether the badge was scanned before (nothing changed).
    again: bool,
    /// When the badge was first scanned.
    first_at: LabelledInstant,
    event: EventRef,
    registration: RegistrationOut,
}

/// Checks a badge in: 201 the first time, 200 (with `again`) for a repeated scan.
pub async fn check_in(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(b): ApiJson<CheckInBody>,
) -> Result<(StatusCode, Json<CheckInOut>), ApiError> {
    let done = s.run(move |app| app.check_in(&caller, &b.code)).await?;
    let zone = Zone::parse("time_zone", &done.event.time_zone).unwrap_or(Zone::UTC);
    let status = if done.again {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(CheckInOut {
            again: done.again,
            first_at: labelled(done.first_at, zone),
            event: EventRef::from(&done.event),
            registration: RegistrationOut::from(&done.registration),
        }),
    ))
}

/// A participant on the public list.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Participant")]
pub(crate) struct ParticipantOut {
    family_name: String,
    given_name: String,
    organization: String,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
}

pub async fn participants(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Items<ParticipantOut>>, ApiError> {
    let id = path_id(&id)?;
    let listed = s.run(move |app| app.public_participants(id)).await?;
    Ok(Json(Items::of(listed.into_iter().map(|p| {
        ParticipantOut {
            family_name: p.family_name,
            given_name: p.given_name,
            organization: p.organization,
            country: p.country,
        }
    }))))
}
