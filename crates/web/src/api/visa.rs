//! Visa invitation letters over JSON: a registrant asks through the token of their
//! management link and downloads the issued letter; the secretariat lists, reads (with
//! the passport details), issues and refuses. Responses with passport details are
//! marked `Cache-Control: no-store`.

use super::registration::{EventRef, names as registration_names};
use super::schema::{self, names};
use super::{ApiJson, instant as iso, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderName};
use axum::response::Response;
use chrono::NaiveDate;
use plenary_app::visa::{Holder, VisaDetail, VisaState, VisaSummary};
use plenary_domain::visa::{Passport, PassportInput};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A JSON response marked `Cache-Control: no-store`.
type NoStore<T> = ([(HeaderName, &'static str); 1], Json<T>);

fn no_store<T>(value: T) -> NoStore<T> {
    ([(header::CACHE_CONTROL, "no-store")], Json(value))
}

fn pdf((file_name, data): (String, Vec<u8>)) -> Response {
    crate::download::private_pdf(&file_name, data)
}

/// Where a visa letter request stands, without the passport details.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "VisaSummary")]
pub(crate) struct SummaryOut {
    #[schemars(with = "names::VisaStatus")]
    status: &'static str,
    /// Why it was refused.
    reason: String,
    /// The letter's number within the event, once issued.
    letter_number: Option<i64>,
    #[schemars(with = "schema::Instant")]
    requested_at: String,
    #[schemars(with = "schema::Instant")]
    updated_at: String,
    #[schemars(with = "Option<schema::Instant>")]
    decided_at: Option<String>,
    /// The passport details were deleted after the retention period.
    purged: bool,
}

impl From<&VisaSummary> for SummaryOut {
    fn from(r: &VisaSummary) -> Self {
        SummaryOut {
            status: r.status.as_str(),
            reason: r.reason.clone(),
            letter_number: r.letter_number,
            requested_at: iso(r.requested_at),
            updated_at: iso(r.updated_at),
            decided_at: r.decided_at.map(iso),
            purged: r.purged,
        }
    }
}

/// A registrant's visa letter request as they see it: never the passport details.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "VisaState")]
pub(crate) struct StateOut {
    registration_id: i64,
    event: EventRef,
    /// Whether the registrant may (still) ask or change their details.
    may_request: bool,
    /// Why not, when they may not.
    why_not: Option<&'static str>,
    /// The request; null before one is made.
    request: Option<SummaryOut>,
    /// Whether the letter may be downloaded.
    letter_ready: bool,
}

impl From<&VisaState> for StateOut {
    fn from(v: &VisaState) -> Self {
        StateOut {
            registration_id: v.registration.id,
            event: EventRef::from(&v.event),
            may_request: v.may_request.is_ok(),
            why_not: v.may_request.err(),
            request: v.request.as_ref().map(SummaryOut::from),
            letter_ready: v.letter_ready(),
        }
    }
}

/// Passport details as stored: dates ISO 8601, nationality as its alpha-2 code.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Passport")]
pub(crate) struct PassportOut {
    family_name: String,
    given_names: String,
    /// ISO 3166-1 alpha-2 code.
    nationality: String,
    #[schemars(with = "schema::Date")]
    date_of_birth: NaiveDate,
    /// Upper case, without spaces.
    passport_number: String,
    #[schemars(with = "schema::Date")]
    issued_on: NaiveDate,
    #[schemars(with = "schema::Date")]
    expires_on: NaiveDate,
    /// The issuing authority or place, as printed.
    issued_by: String,
    /// The embassy or consulate where the visa is applied for.
    consulate: String,
    #[schemars(with = "schema::Date")]
    arrival_on: NaiveDate,
    #[schemars(with = "schema::Date")]
    departure_on: NaiveDate,
}

impl From<&Passport> for PassportOut {
    fn from(p: &Passport) -> Self {
        // Every field named: one added to the domain's passport is not dropped unseen.
        let Passport {
            family_name,
            given_names,
            nationality,
            date_of_birth,
            passport_number,
            issued_on,
            expires_on,
            issued_by,
            consulate,
            arrival_on,
            departure_on,
        } = p.clone();
        PassportOut {
            family_name,
            given_names,
            nationality,
            date_of_birth,
            passport_number,
            issued_on,
            expires_on,
            issued_by,
            consulate,
            arrival_on,
            departure_on,
        }
    }
}

/// A visa letter request as the secretariat sees it, with the passport details.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "VisaRequestDetail")]
pub(crate) struct DetailOut {
    #[serde(flatten)]
    summary: SummaryOut,
    registration_id: i64,
    #[schemars(with = "registration_names::RegistrationStatus")]
    registration_status: &'static str,
    event_id: i64,
    /// Given name and family name.
    name: String,
    email: String,
    decided_by: Option<String>,
    #[schemars(with = "Option<schema::Instant>")]
    purged_at: Option<String>,
    /// Null once purged.
    passport: Option<PassportOut>,
}

impl From<&VisaDetail> for DetailOut {
    fn from(d: &VisaDetail) -> Self {
        DetailOut {
            summary: SummaryOut::from(&VisaSummary::from(&d.request)),
            registration_id: d.registration.id,
            registration_status: d.registration.status.as_str(),
            event_id: d.event.id,
            name: format!(
                "{} {}",
                d.registration.given_name, d.registration.family_name
            ),
            email: d.registration.email.clone(),
            decided_by: d.request.decided_by.clone(),
            purged_at: d.request.purged_at.map(iso),
            passport: d.passport.as_ref().map(PassportOut::from),
        }
    }
}

/// A visa letter request in the secretariat's list: no passport details.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "VisaRequestListed")]
pub(crate) struct ListedOut {
    #[serde(flatten)]
    summary: SummaryOut,
    registration_id: i64,
    /// Given name and family name.
    name: String,
    email: String,
    #[schemars(with = "registration_names::RegistrationStatus")]
    registration_status: &'static str,
}

/// One page of an event's visa letter requests, with the counts by status.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "VisaRequestPage")]
pub(crate) struct PageOut {
    items: Vec<ListedOut>,
    total: i64,
    /// From 1.
    page: i64,
    pages: i64,
    /// Requests of the event by status (the statuses present).
    counts: BTreeMap<&'static str, i64>,
}

/// As printed in the passport. The passport must be valid until the event ends and the
/// departure; the stay must cover a day of the event, within 30 days of it.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PassportInput")]
pub struct PassportBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    family_name: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    given_names: String,
    /// ISO 3166-1 alpha-2 code.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    nationality: String,
    #[serde(default)]
    #[schemars(with = "schema::Date", extend("x-required" = true))]
    date_of_birth: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    passport_number: String,
    #[serde(default)]
    #[schemars(with = "schema::Date", extend("x-required" = true))]
    issued_on: String,
    #[serde(default)]
    #[schemars(with = "schema::Date", extend("x-required" = true))]
    expires_on: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    issued_by: String,
    /// The embassy or consulate where the visa is applied for.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    consulate: String,
    #[serde(default)]
    #[schemars(with = "schema::Date", extend("x-required" = true))]
    arrival_on: String,
    #[serde(default)]
    #[schemars(with = "schema::Date", extend("x-required" = true))]
    departure_on: String,
}

impl From<PassportBody> for PassportInput {
    fn from(b: PassportBody) -> Self {
        PassportInput {
            family_name: b.family_name,
            given_names: b.given_names,
            nationality: b.nationality,
            date_of_birth: b.date_of_birth,
            passport_number: b.passport_number,
            issued_on: b.issued_on,
            expires_on: b.expires_on,
            issued_by: b.issued_by,
            consulate: b.consulate,
            arrival_on: b.arrival_on,
            departure_on: b.departure_on,
        }
    }
}

// ------------------------------------------------------------------ registrant

pub async fn show_by_token(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Result<NoStore<StateOut>, ApiError> {
    let v = s
        .run(move |app| app.visa_state(Holder::Token(&token)))
        .await?;
    Ok(no_store(StateOut::from(&v)))
}

pub async fn request_by_token(
    State(s): State<AppState>,
    Path(token): Path<String>,
    ApiJson(input): ApiJson<PassportBody>,
) -> Result<NoStore<StateOut>, ApiError> {
    let input = PassportInput::from(input);
    let v = s
        .run(move |app| app.request_visa_letter(Holder::Token(&token), &input))
        .await?;
    Ok(no_store(StateOut::from(&v)))
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
) -> Result<NoStore<PageOut>, ApiError> {
    let id = path_id(&id)?;
    let page = super::page_number(Some(&q.page))?;
    let page = s
        .run(move |app| app.visa_requests(&caller, id, &q.status, page))
        .await?;
    Ok(no_store(PageOut {
        items: page
            .requests
            .iter()
            .map(|l| ListedOut {
                summary: SummaryOut::from(&VisaSummary::from(&l.request)),
                registration_id: l.request.registration_id,
                name: format!("{} {}", l.given_name, l.family_name),
                email: l.email.clone(),
                registration_status: l.registration_status.as_str(),
            })
            .collect(),
        total: page.total,
        page: page.page,
        pages: page.pages,
        counts: page
            .counts
            .iter()
            .map(|(status, n)| (status.as_str(), *n))
            .collect(),
    }))
}

pub async fn show(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<NoStore<DetailOut>, ApiError> {
    let id = path_id(&id)?;
    let d = s.run(move |app| app.visa_request(&caller, id)).await?;
    Ok(no_store(DetailOut::from(&d)))
}

pub async fn issue(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<NoStore<DetailOut>, ApiError> {
    let id = path_id(&id)?;
    let d = s.run(move |app| app.issue_visa_letter(&caller, id)).await?;
    Ok(no_store(DetailOut::from(&d)))
}

/// Why a visa letter is refused, e-mailed to the registrant.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "VisaRefusalInput")]
pub struct ReasonBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 1000))]
    reason: String,
}

pub async fn refuse(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> Result<NoStore<DetailOut>, ApiError> {
    let id = path_id(&id)?;
    let d = s
        .run(move |app| app.refuse_visa_letter(&caller, id, &b.reason))
        .await?;
    Ok(no_store(DetailOut::from(&d)))
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
