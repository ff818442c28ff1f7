//! Visa invitation letters over JSON: a registrant asks through the token of their
//! management link and downloads the issued letter; the secretariat lists, reads (with
//! the passport details), issues and refuses. Responses with passport details are
//! marked `Cache-Control: no-store`.

use super::{ApiJson, instant as iso, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use plenary_app::visa::{Holder, VisaDetail, VisaState, VisaSummary};
use plenary_domain::visa::PassportInput;
use serde::Deserialize;
use serde_json::{Value, json};

fn no_store(value: Value) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Json(value)).into_response()
}

fn pdf((file_name, data): (String, Vec<u8>)) -> Response {
    crate::download::private_pdf(&file_name, data)
}

fn summary_json(r: &VisaSummary) -> Value {
    json!({
        "status": r.status.as_str(),
        "reason": r.reason,
        "letter_number": r.letter_number,
        "requested_at": iso(r.requested_at),
        "updated_at": iso(r.updated_at),
        "decided_at": r.decided_at.map(iso),
        "purged": r.purged,
    })
}

fn state_json(v: &VisaState) -> Value {
    json!({
        "registration_id": v.registration.id,
        "event": { "id": v.event.id, "title": v.event.title },
        "may_request": v.may_request.is_ok(),
        "why_not": v.may_request.err(),
        "request": v.request.as_ref().map(summary_json),
        "letter_ready": v.letter_ready(),
    })
}

fn detail_json(d: &VisaDetail) -> Value {
    let mut value = summary_json(&VisaSummary::from(&d.request));
    value["registration_id"] = json!(d.registration.id);
    value["registration_status"] = json!(d.registration.status.as_str());
    value["event_id"] = json!(d.event.id);
    value["name"] = json!(format!(
        "{} {}",
        d.registration.given_name, d.registration.family_name
    ));
    value["email"] = json!(d.registration.email);
    value["decided_by"] = json!(d.request.decided_by);
    value["purged_at"] = json!(d.request.purged_at.map(iso));
    // The stored shape: dates ISO 8601, nationality as its alpha-2 code.
    value["passport"] = json!(d.passport);
    value
}

// ------------------------------------------------------------------ registrant

pub async fn show_by_token(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let v = s
        .run(move |app| app.visa_state(Holder::Token(&token)))
        .await?;
    Ok(no_store(state_json(&v)))
}

pub async fn request_by_token(
    State(s): State<AppState>,
    Path(token): Path<String>,
    ApiJson(input): ApiJson<PassportInput>,
) -> Result<Response, ApiError> {
    let v = s
        .run(move |app| app.request_visa_letter(Holder::Token(&token), &input))
        .await?;
    Ok(no_store(state_json(&v)))
}

pub async fn letter_by_token(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    Ok(pdf(s
        .run(move |app| app.my_visa_letter(Holder::Token(&token)))
        .await?))
}

// ------------------------------------------------------------------ secretariat

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: String,
}

pub async fn list(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let page = super::page_number(Some(&q.page))?;
    let page = s
        .run(move |app| app.visa_requests(&caller, id, &q.status, page))
        .await?;
    let counts: serde_json::Map<String, Value> = page
        .counts
        .iter()
        .map(|(status, n)| (status.as_str().to_owned(), json!(n)))
        .collect();
    Ok(no_store(json!({
        "items": page.requests.iter().map(|l| {
            let mut item = summary_json(&VisaSummary::from(&l.request));
            item["registration_id"] = json!(l.request.registration_id);
            item["name"] = json!(format!("{} {}", l.given_name, l.family_name));
            item["email"] = json!(l.email);
            item["registration_status"] = json!(l.registration_status.as_str());
            item
        }).collect::<Vec<_>>(),
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "counts": counts,
    })))
}

pub async fn show(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let d = s.run(move |app| app.visa_request(&caller, id)).await?;
    Ok(no_store(detail_json(&d)))
}

pub async fn issue(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let d = s.run(move |app| app.issue_visa_letter(&caller, id)).await?;
    Ok(no_store(detail_json(&d)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    #[serde(default)]
    reason: String,
}

pub async fn refuse(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let d = s
        .run(move |app| app.refuse_visa_letter(&caller, id, &b.reason))
        .await?;
    Ok(no_store(detail_json(&d)))
}

pub async fn letter(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    Ok(pdf(s.run(move |app| app.visa_letter(&caller, id)).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    #[serde(default)]
    format: String,
}

/// The visa export (secretariat): every request with its passport details, streamed.
pub async fn export(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let Query(q) = query.map_err(|e| {
        ApiError::BadQuery(vec![plenary_domain::FieldError::new(
            "query",
            plenary_domain::Problem::Explained(e.body_text()),
        )])
    })?;
    let format = plenary_app::export::Format::parse("format", &q.format)
        .map_err(|e| ApiError::BadQuery(vec![e]))?;
    let export = s
        .run(move |app| app.export_visa_requests(&caller, id, format))
        .await?;
    Ok(crate::stream::file(export))
}
