//! Mail over JSON: the templates per message kind, and messages to a body's mailing
//! list (count first, then send that many). With its part of the OpenAPI document.

use super::{ApiJson, instant, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use plenary_app::mail::{BulkDraft, BulkOutcome, MailTemplate, TemplateInput};
use serde::Deserialize;
use serde_json::{Map, Value, json};

fn template_json(t: &MailTemplate) -> Value {
    json!({
        "kind": t.kind.kind,
        "label": t.kind.label,
        "edited": t.edited.is_some(),
        "updated_at": t.edited.as_ref().map(|(at, _)| instant(*at)),
        "updated_by": t.edited.as_ref().map(|(_, by)| by),
        "subject": t.subject,
        "body_text": t.body_text,
        "body_html": t.body_html,
        "placeholders": t.kind.placeholders.iter()
            .map(|p| json!({ "name": p.name, "description": p.description }))
            .collect::<Vec<_>>(),
    })
}

pub async fn list_templates(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
) -> Result<Json<Value>, ApiError> {
    let list = state.run(move |app| app.mail_templates(&caller)).await?;
    Ok(Json(
        json!({ "items": list.iter().map(template_json).collect::<Vec<_>>() }),
    ))
}

pub async fn show_template(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(kind): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let t = state
        .run(move |app| app.mail_template(&caller, &kind))
        .await?;
    Ok(Json(template_json(&t)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body_text: String,
    #[serde(default)]
    body_html: String,
}

pub async fn save_template(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(kind): Path<String>,
    ApiJson(body): ApiJson<TemplateBody>,
) -> Result<Json<Value>, ApiError> {
    let input = TemplateInput {
        subject: body.subject,
        body_text: body.body_text,
        body_html: body.body_html,
    };
    let t = state
        .run(move |app| app.save_mail_template(&caller, &kind, &input))
        .await?;
    Ok(Json(template_json(&t)))
}

/// Back to the built-in text; answers with it.
pub async fn reset_template(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(kind): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let t = state
        .run(move |app| app.reset_mail_template(&caller, &kind))
        .await?;
    Ok(Json(template_json(&t)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailingBody {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    message: String,
    /// On sending: the count the preview answered.
    #[serde(default, deserialize_with = "super::non_null")]
    recipients: Option<u32>,
}

fn draft(body_id: i64, body: &MailingBody) -> BulkDraft {
    BulkDraft {
        body_id,
        subject: body.subject.clone(),
        message: body.message.clone(),
    }
}

pub async fn preview_mailing(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MailingBody>,
) -> Result<Json<Value>, ApiError> {
    let draft = draft(path_id(&id)?, &body);
    let preview = state
        .run(move |app| app.preview_bulk_mail(&caller, &draft))
        .await?;
    Ok(Json(
        json!({ "body_id": preview.body.id, "recipients": preview.recipients }),
    ))
}

pub async fn send_mailing(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MailingBody>,
) -> Result<Response, ApiError> {
    let body_id = path_id(&id)?;
    let draft = draft(body_id, &body);
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
            Json(json!({ "body_id": body_id, "queued": recipients })),
        )
            .into_response(),
        BulkOutcome::CountChanged { recipients } => {
            let problem = json!({
                "type": "urn:plenary:problem:recipients-changed",
                "title": "Conflict",
                "status": 409,
                "detail": format!("the list has {recipients} recipient(s) now, not {expected}; nothing was sent. Confirm the new number to send."),
                "recipients": recipients,
            });
            let mut response = (StatusCode::CONFLICT, Json(problem)).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            );
            response
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

/// The outbox's state: counts, the oldest waiting message, a page of messages (no
/// bodies).
pub async fn outbox(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    axum::extract::Query(q): axum::extract::Query<OutboxQuery>,
) -> Result<Json<Value>, ApiError> {
    let page = super::page_number(Some(&q.page))?;
    let o = s
        .run(move |app| app.outbox_status(&caller, &q.status, page))
        .await?;
    let counts: Map<String, Value> = o
        .counts
        .iter()
        .map(|(k, n)| (k.clone(), json!(n)))
        .collect();
    Ok(Json(json!({
        "counts": counts,
        "oldest_queued_at": o.oldest_queued.map(instant),
        "items": o.messages.iter().map(|m| json!({
            "id": m.id, "kind": m.kind, "recipient": m.recipient, "subject": m.subject,
            "status": m.status, "attempts": m.attempts, "created_at": instant(m.created_at),
            "next_attempt_at": (m.status == "queued").then(|| instant(m.next_attempt_at)),
            "sent_at": m.sent_at.map(instant), "last_error": m.last_error,
        })).collect::<Vec<_>>(),
        "total": o.total, "page": o.page, "pages": o.pages,
    })))
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

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The mail paths of the OpenAPI document.
pub(crate) fn openapi_paths(paths: &mut Map<String, Value>, _s: &mut super::schema::Schemas) {
    let kind = json!({ "name": "kind", "in": "path", "required": true,
        "schema": { "type": "string", "enum": plenary_app::mail::KINDS.iter().map(|k| k.kind).collect::<Vec<_>>() } });
    let id =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    paths.insert("/mail-templates".into(), json!({ "get": {
        "operationId": "listMailTemplates", "summary": "The template in force for every kind of message, with its placeholders (secretariat)",
        "responses": responses(("200", "Templates", json!({ "type": "object", "properties": { "items": { "type": "array", "items": reference("MailTemplate") } } })), &["401", "403"]) } }));
    paths.insert("/mail-templates/{kind}".into(), json!({
        "get": { "operationId": "getMailTemplate", "summary": "One kind's template in force (secretariat)", "parameters": [kind.clone()],
                 "responses": responses(("200", "The template", reference("MailTemplate")), &["401", "403", "404"]) },
        "put": { "operationId": "saveMailTemplate", "summary": "Replace a kind's template; a placeholder the kind does not have is refused with 422, naming the allowed ones (secretariat)",
                 "parameters": [kind.clone()], "requestBody": body(reference("MailTemplateInput")),
                 "responses": responses(("200", "The template", reference("MailTemplate")), &["400", "401", "403", "404", "422"]) },
        "delete": { "operationId": "resetMailTemplate", "summary": "Go back to the built-in template; answers with it (secretariat)", "parameters": [kind],
                 "responses": responses(("200", "The built-in template", reference("MailTemplate")), &["401", "403", "404"]) }
    }));
    paths.insert("/bodies/{id}/mailings/preview".into(), json!({ "post": {
        "operationId": "previewMailing", "summary": "Check a message to the body's mailing list and count its recipients (subscribers with an e-mail address, each once); nothing is sent (secretariat)",
        "parameters": [id.clone()], "requestBody": body(reference("MailingInput")),
        "responses": responses(("200", "The count", json!({ "type": "object", "properties": { "body_id": { "type": "integer" }, "recipients": { "type": "integer" } } })), &["400", "401", "403", "404", "422"]) } }));
    paths.insert("/bodies/{id}/mailings".into(), json!({ "post": {
        "operationId": "sendMailing", "summary": "Queue the message for each recipient in one transaction, if they are still `recipients` people; otherwise 409 with the new count in `recipients` and nothing queued (secretariat)",
        "parameters": [id], "requestBody": body(json!({ "allOf": [reference("MailingInput"), { "type": "object", "required": ["recipients"] }] })),
        "responses": responses(("201", "Queued", json!({ "type": "object", "properties": { "body_id": { "type": "integer" }, "queued": { "type": "integer" } } })), &["400", "401", "403", "404", "409", "422"]) } }));
    paths.insert("/outbox".into(), json!({ "get": {
        "operationId": "getOutbox", "summary": "The outbox: messages per status, when the oldest waiting one was written, and one page (50) of messages, newest first, without their bodies (secretariat)",
        "parameters": [super::openapi::enum_query("status", &["queued", "sent", "failed"], "queued, sent or failed"), super::openapi::page_param()],
        "responses": responses(("200", "The outbox", reference("Outbox")), &["401", "403", "422"]) } }));
    let mut retry = json!({
        "operationId": "retryMessage", "summary": "Queue a message that failed for good once more, with a fresh count of attempts; 409 for any other message (secretariat)",
        "parameters": [json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } })],
        "responses": Value::Object(problems(&["401", "403", "404", "409"])) });
    retry["responses"]["204"] = json!({ "description": "Queued again" });
    paths.insert("/outbox/{id}/retry".into(), json!({ "post": retry }));
}

/// The mail schemas of the OpenAPI document.
pub(crate) fn openapi_schemas() -> Value {
    json!({
        "MailTemplate": { "type": "object", "properties": {
            "kind": { "type": "string" }, "label": { "type": "string" }, "edited": { "type": "boolean" },
            "updated_at": { "type": ["string", "null"], "format": "date-time" }, "updated_by": { "type": ["string", "null"] },
            "subject": { "type": "string" }, "body_text": { "type": "string" }, "body_html": { "type": "string", "description": "empty: plain text only" },
            "placeholders": { "type": "array", "items": { "type": "object", "properties": { "name": { "type": "string" }, "description": { "type": "string" } } } } } },
        "MailTemplateInput": { "type": "object", "required": ["subject", "body_text"], "additionalProperties": false, "properties": {
            "subject": { "type": "string", "maxLength": 300, "description": "one line; `{{placeholder}}` allowed" },
            "body_text": { "type": "string" }, "body_html": { "type": "string", "description": "values are HTML-escaped; empty: no HTML part" } } },
        "Outbox": { "type": "object", "properties": {
            "counts": { "type": "object", "additionalProperties": { "type": "integer" } },
            "oldest_queued_at": { "type": ["string", "null"], "format": "date-time" },
            "items": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "kind": { "type": "string" }, "recipient": { "type": "string" }, "subject": { "type": "string" },
                "status": { "type": "string", "enum": ["queued", "sent", "failed"] }, "attempts": { "type": "integer" },
                "created_at": { "type": "string", "format": "date-time" }, "next_attempt_at": { "type": ["string", "null"], "format": "date-time" },
                "sent_at": { "type": ["string", "null"], "format": "date-time" }, "last_error": { "type": ["string", "null"] } } } },
            "total": { "type": "integer" }, "page": { "type": "integer" }, "pages": { "type": "integer" } } },
        "MailingInput": { "type": "object", "required": ["subject", "message"], "properties": {
            "subject": { "type": "string", "maxLength": 200 }, "message": { "type": "string", "maxLength": 50000 },
            "recipients": { "type": "integer", "minimum": 0, "maximum": u32::MAX, "description": "On sending (required then): the count the preview answered" } } }
    })
}
