//! Mail over JSON: the templates per message kind, and messages to a body's mailing
//! list (count first, then send that many). With its part of the OpenAPI document.

use super::schema::{self, Items};
use super::{ApiJson, instant, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plenary_app::mail::{BulkDraft, BulkOutcome, MailTemplate, TemplateInput};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A placeholder of a kind of message.
#[derive(Serialize, JsonSchema)]
#[schemars(inline)]
pub(crate) struct PlaceholderOut {
    /// Written `{{name}}` in a template.
    name: &'static str,
    description: &'static str,
}

/// The template in force for a kind of message, with its placeholders.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MailTemplate")]
pub(crate) struct TemplateOut {
    kind: &'static str,
    label: &'static str,
    /// Whether it differs from the built-in template.
    edited: bool,
    #[schemars(with = "Option<schema::Instant>")]
    updated_at: Option<String>,
    updated_by: Option<String>,
    subject: String,
    body_text: String,
    /// empty: plain text only
    body_html: String,
    placeholders: Vec<PlaceholderOut>,
}

impl From<&MailTemplate> for TemplateOut {
    fn from(t: &MailTemplate) -> Self {
        TemplateOut {
            kind: t.kind.kind,
            label: t.kind.label,
            edited: t.edited.is_some(),
            updated_at: t.edited.as_ref().map(|(at, _)| instant(*at)),
            updated_by: t.edited.as_ref().map(|(_, by)| by.clone()),
            subject: t.subject.clone(),
            body_text: t.body_text.clone(),
            body_html: t.body_html.clone(),
            placeholders: t
                .kind
                .placeholders
                .iter()
                .map(|p| PlaceholderOut {
                    name: p.name,
                    description: p.description,
                })
                .collect(),
        }
    }
}

pub async fn list_templates(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
) -> Result<Json<Items<TemplateOut>>, ApiError> {
    let list = state.run(move |app| app.mail_templates(&caller)).await?;
    Ok(Json(Items::of(list.iter().map(TemplateOut::from))))
}

pub async fn show_template(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(kind): Path<String>,
) -> Result<Json<TemplateOut>, ApiError> {
    let t = state
        .run(move |app| app.mail_template(&caller, &kind))
        .await?;
    Ok(Json(TemplateOut::from(&t)))
}

/// A kind's template.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MailTemplateInput")]
pub struct TemplateBody {
    /// one line; `{{placeholder}}` allowed
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 300))]
    subject: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    body_text: String,
    /// values are HTML-escaped; empty: no HTML part
    #[serde(default)]
    body_html: String,
}

pub async fn save_template(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(kind): Path<String>,
    ApiJson(body): ApiJson<TemplateBody>,
) -> Result<Json<TemplateOut>, ApiError> {
    let input = TemplateInput {
        subject: body.subject,
        body_text: body.body_text,
        body_html: body.body_html,
    };
    let t = state
        .run(move |app| app.save_mail_template(&caller, &kind, &input))
        .await?;
    Ok(Json(TemplateOut::from(&t)))
}

/// Back to the built-in text; answers with it.
pub async fn reset_template(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(kind): Path<String>,
) -> Result<Json<TemplateOut>, ApiError> {
    let t = state
        .run(move |app| app.reset_mail_template(&caller, &kind))
        .await?;
    Ok(Json(TemplateOut::from(&t)))
}

/// A message to a body's mailing list, to count its recipients.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MailingInput")]
pub struct MailingBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 200))]
    subject: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 50000))]
    message: String,
    /// On sending (required then): the count the preview answered.
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "u32", range(max = u32::MAX))]
    #[allow(dead_code)] // Accepted, so that the body sent can be previewed as it is.
    recipients: Option<u32>,
}

/// A message to a body's mailing list, to send to as many recipients as the preview
/// counted.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MailingSendInput")]
pub struct SendMailingBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 200))]
    subject: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 50000))]
    message: String,
    /// The count the preview answered.
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "u32", range(max = u32::MAX), extend("x-required" = true))]
    recipients: Option<u32>,
}

fn draft(body_id: i64, subject: &str, message: &str) -> BulkDraft {
    BulkDraft {
        body_id,
        subject: subject.to_owned(),
        message: message.to_owned(),
    }
}

/// How many people a message to a body's mailing list would reach.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MailingPreview")]
pub(crate) struct PreviewOut {
    body_id: i64,
    /// Subscribers with an e-mail address, each counted once.
    recipients: usize,
}

/// A message queued for a body's mailing list.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MailingQueued")]
pub(crate) struct QueuedOut {
    body_id: i64,
    /// The messages queued, one per recipient.
    queued: usize,
}

pub async fn preview_mailing(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MailingBody>,
) -> Result<Json<PreviewOut>, ApiError> {
    let draft = draft(path_id(&id)?, &body.subject, &body.message);
    let preview = state
        .run(move |app| app.preview_bulk_mail(&caller, &draft))
        .await?;
    Ok(Json(PreviewOut {
        body_id: preview.body.id,
        recipients: preview.recipients,
    }))
}

pub async fn send_mailing(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SendMailingBody>,
) -> Result<Response, ApiError> {
    let body_id = path_id(&id)?;
    let draft = draft(body_id, &body.subject, &body.message);
    let recipients = body.recipients.map(|n| n as usize);
    let outcome = state
        .run(move |app| {
            let Some(expected) = recipients else {
                // Access first: only then is the missing count worth reporting.
                app.mail_bodies(&caller)?;
                return Err(plenary_app::AppError::field(
                    "recipients",
                    plenary_domain::Problem::Required,
                ));
            };
            app.send_bulk_mail(&caller, &draft, expected)
        })
        .await?;
    let expected = recipients.unwrap_or_default();
    Ok(match outcome {
        BulkOutcome::Queued { recipients } => (
            StatusCode::CREATED,
            Json(QueuedOut {
                body_id,
                queued: recipients,
            }),
        )
            .into_response(),
        BulkOutcome::CountChanged { recipients } => {
            crate::error::recipients_changed(recipients, expected)
        }
    })
}

// ------------------------------------------------------------- the outbox

#[derive(Deserialize)]
pub struct OutboxQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: String,
}

/// The state of the outbox.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Outbox")]
pub(crate) struct OutboxOut {
    /// Messages by status (the statuses present).
    counts: BTreeMap<String, i64>,
    /// When the oldest message still waiting was written; null when none waits.
    #[schemars(with = "Option<schema::Instant>")]
    oldest_queued_at: Option<String>,
    items: Vec<OutboxMessageOut>,
    total: i64,
    /// From 1.
    page: i64,
    pages: i64,
}

/// A message of the outbox, without its body.
#[derive(Serialize, JsonSchema)]
#[schemars(inline)]
pub(crate) struct OutboxMessageOut {
    id: i64,
    /// The kind of message.
    kind: String,
    recipient: String,
    subject: String,
    #[schemars(with = "OutboxStatus")]
    status: String,
    attempts: i64,
    #[schemars(with = "schema::Instant")]
    created_at: String,
    /// While queued: when it is tried next.
    #[schemars(with = "Option<schema::Instant>")]
    next_attempt_at: Option<String>,
    #[schemars(with = "Option<schema::Instant>")]
    sent_at: Option<String>,
    last_error: Option<String>,
}

/// Where a message of the outbox stands.
struct OutboxStatus;

impl JsonSchema for OutboxStatus {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "OutboxStatus".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "enum": OUTBOX_STATUSES })
    }
}

/// The statuses of the outbox's messages.
const OUTBOX_STATUSES: [&str; 3] = ["queued", "sent", "failed"];

/// The outbox's state: counts, the oldest waiting message, a page of messages (no
/// bodies).
pub async fn outbox(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    axum::extract::Query(q): axum::extract::Query<OutboxQuery>,
) -> Result<Json<OutboxOut>, ApiError> {
    let page = super::page_number(Some(&q.page))?;
    let o = s
        .run(move |app| app.outbox_status(&caller, &q.status, page))
        .await?;
    Ok(Json(OutboxOut {
        counts: o.counts.iter().cloned().collect(),
        oldest_queued_at: o.oldest_queued.map(instant),
        items: o
            .messages
            .iter()
            .map(|m| OutboxMessageOut {
                id: m.id,
                kind: m.kind.clone(),
                recipient: m.recipient.clone(),
                subject: m.subject.clone(),
                status: m.status.clone(),
                attempts: m.attempts,
                created_at: instant(m.created_at),
                next_attempt_at: (m.status == "queued").then(|| instant(m.next_attempt_at)),
                sent_at: m.sent_at.map(instant),
                last_error: m.last_error.clone(),
            })
            .collect(),
        total: o.total,
        page: o.page,
        pages: o.pages,
    }))
}

/// Queues a failed message again.
pub async fn retry(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    s.run(move |app| app.retry_message(&caller, id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------- OpenAPI fragment

fn problems(codes: &[&str]) -> Map<String, Value> {
    codes
        .iter()
        .map(|c| {
            (
                (*c).to_owned(),
                json!({ "description": "Problem", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }),
            )
        })
        .collect()
}

fn responses(ok: (&str, &str, Value), errors: &[&str]) -> Value {
    let mut map = problems(errors);
    map.insert(
        ok.0.to_owned(),
        json!({ "description": ok.1, "content": { "application/json": { "schema": ok.2 } } }),
    );
    Value::Object(map)
}

fn body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

/// The mail paths of the OpenAPI document.
pub(crate) fn openapi_paths(paths: &mut Map<String, Value>, s: &mut super::schema::Schemas) {
    let kind = json!({ "name": "kind", "in": "path", "required": true,
        "schema": { "type": "string", "enum": plenary_app::mail::KINDS.iter().map(|k| k.kind).collect::<Vec<_>>() } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    paths.insert("/mail-templates".into(), json!({ "get": {
        "operationId": "listMailTemplates", "summary": "The template in force for every kind of message, with its placeholders (secretariat)",
        "responses": responses(("200", "Templates", s.response::<Items<TemplateOut>>()), &["401", "403"]) } }));
    paths.insert("/mail-templates/{kind}".into(), json!({
        "get": { "operationId": "getMailTemplate", "summary": "One kind's template in force (secretariat)", "parameters": [kind.clone()],
                 "responses": responses(("200", "The template", s.response::<TemplateOut>()), &["401", "403", "404"]) },
        "put": { "operationId": "saveMailTemplate", "summary": "Replace a kind's template; a placeholder the kind does not have is refused with 422, naming the allowed ones (secretariat)",
                 "parameters": [kind.clone()], "requestBody": body(s.body::<TemplateBody>()),
                 "responses": responses(("200", "The template", s.response::<TemplateOut>()), &["400", "401", "403", "404", "422"]) },
        "delete": { "operationId": "resetMailTemplate", "summary": "Go back to the built-in template; answers with it (secretariat)", "parameters": [kind],
                 "responses": responses(("200", "The built-in template", s.response::<TemplateOut>()), &["401", "403", "404"]) }
    }));
    paths.insert("/bodies/{id}/mailings/preview".into(), json!({ "post": {
        "operationId": "previewMailing", "summary": "Check a message to the body's mailing list and count its recipients (subscribers with an e-mail address, each once); nothing is sent (secretariat)",
        "parameters": [id.clone()], "requestBody": body(s.body::<MailingBody>()),
        "responses": responses(("200", "The count", s.response::<PreviewOut>()), &["400", "401", "403", "404", "422"]) } }));
    paths.insert("/bodies/{id}/mailings".into(), json!({ "post": {
        "operationId": "sendMailing", "summary": "Queue the message for each recipient in one transaction, if they are still `recipients` people; otherwise 409 with the new count in `recipients` and nothing queued (secretariat)",
        "parameters": [id], "requestBody": body(s.body::<SendMailingBody>()),
        "responses": responses(("201", "Queued", s.response::<QueuedOut>()), &["400", "401", "403", "404", "409", "422"]) } }));
    paths.insert("/outbox".into(), json!({ "get": {
        "operationId": "getOutbox", "summary": "The outbox: messages per status, when the oldest waiting one was written, and one page (50) of messages, newest first, without their bodies (secretariat)",
        "parameters": [super::openapi::enum_query("status", &OUTBOX_STATUSES, "queued, sent or failed"), super::openapi::page_param()],
        "responses": responses(("200", "The outbox", s.response::<OutboxOut>()), &["401", "403", "422"]) } }));
    let mut retry = json!({
        "operationId": "retryMessage", "summary": "Queue a message that failed for good once more, with a fresh count of attempts; 409 for any other message (secretariat)",
        "parameters": [json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } })],
        "responses": Value::Object(problems(&["401", "403", "404", "409"])) });
    retry["responses"]["204"] = json!({ "description": "Queued again" });
    paths.insert("/outbox/{id}/retry".into(), json!({ "post": retry }));
}
