//! Visa invitation letters: the registrant's request page (through the management link
//! or their account) and the secretariat's list, review and decision. Pages that show
//! passport details are never cached.

use super::DoneQuery;
use super::registration::{at_text, countries, full_name, when_text};
use super::{Empty, ShownError, shown, utc, with_status};
use crate::AppState;
use crate::error::{PageError, form_urlencode, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use plenary_app::visa::{Holder, VisaDetail, VisaState};
use plenary_domain::visa::PassportInput;
use serde::Deserialize;

/// Whose request a registrant's page is about: the management link's token, or the
/// signed-in account's registration.
#[derive(Clone)]
enum Key {
    Token(String),
    Account(i64),
}

impl Key {
    fn base(&self) -> String {
        match self {
            Key::Token(t) => format!("/registrations/{}", form_urlencode(t)),
            Key::Account(id) => format!("/account/registrations/{id}"),
        }
    }
}

/// Runs a registrant's use case with the holder the key stands for.
async fn as_holder<T: Send + 'static>(
    state: &AppState,
    visitor: &Visitor,
    key: &Key,
    f: impl FnOnce(&plenary_app::App, Holder<'_>) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let caller = visitor.caller();
    let key = key.clone();
    state
        .run(move |app| match &key {
            Key::Token(t) => f(&app, Holder::Token(t)),
            Key::Account(id) => f(&app, Holder::Account(&caller, *id)),
        })
        .await
}

/// Passport details must not stay in a browser's or proxy's cache.
fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

// ------------------------------------------------------------------ registrant

#[derive(Deserialize, Default, Clone)]
pub struct PassportForm {
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_names: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    passport_number: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    issued_by: String,
    #[serde(default)]
    consulate: String,
    #[serde(default)]
    arrival_on: String,
    #[serde(default)]
    departure_on: String,
}

impl PassportForm {
    fn input(&self) -> PassportInput {
        PassportInput {
            family_name: self.family_name.clone(),
            given_names: self.given_names.clone(),
            nationality: self.nationality.clone(),
            date_of_birth: self.date_of_birth.clone(),
            passport_number: self.passport_number.clone(),
            issued_on: self.issued_on.clone(),
            expires_on: self.expires_on.clone(),
            issued_by: self.issued_by.clone(),
            consulate: self.consulate.clone(),
            arrival_on: self.arrival_on.clone(),
            departure_on: self.departure_on.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "visa.html")]
struct VisaPage {
    chrome: Chrome,
    back: String,
    action: String,
    notice: Option<&'static str>,
    event_title: String,
    when: String,
    name: String,
    status: Option<&'static str>,
    status_key: &'static str,
    requested: String,
    reason: String,
    letter: Option<String>,
    purged: bool,
    refusal: Option<&'static str>,
    form: PassportForm,
    countries: Vec<(&'static str, &'static str)>,
    errors: Vec<ShownError>,
}

fn visa_page(
    state: &AppState,
    visitor: &Visitor,
    key: &Key,
    v: &VisaState,
    notice: Option<&'static str>,
    form: PassportForm,
    errors: Vec<ShownError>,
) -> Response {
    let base = key.base();
    let request = v.request.as_ref();
    no_store(render(&VisaPage {
        chrome: visitor.chrome(&state.app),
        action: format!("{base}/visa"),
        letter: v.letter_ready().then(|| format!("{base}/visa-letter.pdf")),
        back: base,
        notice,
        event_title: v.event.title.clone(),
        when: when_text(&v.event),
        name: full_name(&v.registration),
        status: request.map(|r| r.status.label()),
        status_key: request.map_or("", |r| r.status.as_str()),
        requested: request
            .map(|r| at_text(r.updated_at, &v.event))
            .unwrap_or_default(),
        reason: request.map(|r| r.reason.clone()).unwrap_or_default(),
        purged: request.is_some_and(|r| r.purged),
        refusal: v.may_request.err(),
        form,
        countries: countries(),
        errors,
    }))
}

async fn show(
    state: AppState,
    visitor: Visitor,
    key: Key,
    done: &str,
) -> Result<Response, PageError> {
    let v = as_holder(&state, &visitor, &key, |app, h| app.visa_state(h)).await?;
    let notice = (done == "requested").then_some(
        "Your request has been sent to the secretariat. You will receive the letter by e-mail.",
    );
    Ok(visa_page(
        &state,
        &visitor,
        &key,
        &v,
        notice,
        PassportForm::default(),
        vec![],
    ))
}

async fn submit(
    state: AppState,
    key: Key,
    submitted: CsrfForm<PassportForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let input = form.input();
    match as_holder(&state, &visitor, &key, move |app, h| {
        app.request_visa_letter(h, &input)
    })
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}/visa?done=requested", key.base())).into_response()),
        Err(AppError::Invalid(errors)) => {
            let v = as_holder(&state, &visitor, &key, |app, h| app.visa_state(h)).await?;
            Ok(with_status(
                visa_page(&state, &visitor, &key, &v, None, form, shown(&errors)),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

async fn letter(state: AppState, visitor: Visitor, key: Key) -> Result<Response, PageError> {
    let (file, data) = as_holder(&state, &visitor, &key, |app, h| app.my_visa_letter(h)).await?;
    Ok(crate::download::private_pdf(&file, data))
}

pub async fn show_by_token(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    show(state, visitor, Key::Token(token), &q.done).await
}

pub async fn submit_by_token(
    State(state): State<AppState>,
    Path(token): Path<String>,
    submitted: CsrfForm<PassportForm>,
) -> Result<Response, PageError> {
    submit(state, Key::Token(token), submitted).await
}

pub async fn letter_by_token(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    letter(state, visitor, Key::Token(token)).await
}

pub async fn show_mine(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    show(state, visitor, Key::Account(id), &q.done).await
}

pub async fn submit_mine(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<PassportForm>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    submit(state, Key::Account(id), submitted).await
}

pub async fn letter_mine(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    letter(state, visitor, Key::Account(id)).await
}

// ------------------------------------------------------------------ secretariat

struct RequestRow {
    id: i64,
    name: String,
    email: String,
    registration: &'static str,
    status: &'static str,
    requested: String,
}

#[derive(Template)]
#[template(path = "admin_visa_requests.html")]
struct RequestsPage {
    chrome: Chrome,
    event_id: i64,
    event_title: String,
    rows: Vec<RequestRow>,
    counts: Vec<(&'static str, &'static str, i64)>,
    status: String,
    total: i64,
    page: i64,
    pages: i64,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(event_id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let status = q.status.clone();
    let page = state
        .run(move |app| app.visa_requests(&caller, event_id, &status, q.page.unwrap_or(1)))
        .await?;
    Ok(no_store(render(&RequestsPage {
        chrome: visitor.chrome(&state.app),
        event_id,
        event_title: page.event.title.clone(),
        rows: page
            .requests
            .iter()
            .map(|l| RequestRow {
                id: l.request.registration_id,
                name: format!("{} {}", l.given_name, l.family_name)
                    .trim()
                    .to_owned(),
                email: l.email.clone(),
                registration: l.registration_status.label(),
                status: l.request.status.label(),
                requested: utc(l.request.requested_at),
            })
            .collect(),
        counts: page
            .counts
            .iter()
            .map(|(s, n)| (s.as_str(), s.label(), *n))
            .collect(),
        status: q.status,
        total: page.total,
        page: page.page,
        pages: page.pages,
    })))
}

#[derive(Template)]
#[template(path = "admin_visa_request.html")]
struct RequestPage {
    chrome: Chrome,
    id: i64,
    notice: Option<&'static str>,
    event_id: i64,
    event_title: String,
    name: String,
    email: String,
    registration: &'static str,
    status: &'static str,
    status_key: &'static str,
    reason: String,
    letter_number: Option<i64>,
    decided: Option<String>,
    purged: Option<String>,
    details: Vec<(&'static str, String)>,
    reason_form: String,
    errors: Vec<ShownError>,
}

fn details(d: &VisaDetail) -> Vec<(&'static str, String)> {
    let Some(p) = &d.passport else {
        return Vec::new();
    };
    vec![
        ("Family name (passport)", p.family_name.clone()),
        ("Given names (passport)", p.given_names.clone()),
        ("Nationality", p.nationality_name()),
        ("Date of birth", p.date_of_birth.to_string()),
        ("Passport number", p.passport_number.clone()),
        ("Issued on", p.issued_on.to_string()),
        ("Expires on", p.expires_on.to_string()),
        ("Issued by", p.issued_by.clone()),
        ("Applies at", p.consulate.clone()),
        ("Arrival", p.arrival_on.to_string()),
        ("Departure", p.departure_on.to_string()),
    ]
}

async fn request_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    notice: Option<&'static str>,
    reason_form: String,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let d = state.run(move |app| app.visa_request(&caller, id)).await?;
    let r = &d.request;
    Ok(no_store(render(&RequestPage {
        chrome: visitor.chrome(&state.app),
        id,
        notice,
        event_id: d.event.id,
        event_title: d.event.title.clone(),
        name: full_name(&d.registration),
        email: d.registration.email.clone(),
        registration: d.registration.status.label(),
        status: r.status.label(),
        status_key: r.status.as_str(),
        reason: r.reason.clone(),
        letter_number: r.letter_number,
        decided: r.decided_at.map(|at| {
            format!(
                "{} UTC by {}",
                utc(at),
                r.decided_by.clone().unwrap_or_default()
            )
        }),
        purged: r.purged_at.map(utc),
        details: details(&d),
        reason_form,
        errors,
    })))
}

pub async fn show_request(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let notice = match q.done.as_str() {
        "issued" => Some("The letter is issued and e-mailed to the registrant."),
        "refused" => Some("The request is refused; the registrant is told why."),
        _ => None,
    };
    request_page(&state, &visitor, id, notice, String::new(), vec![]).await
}

pub async fn issue(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    state
        .run(move |app| app.issue_visa_letter(&caller, id))
        .await?;
    Ok(Redirect::to(&format!("/admin/visa-requests/{id}?done=issued")).into_response())
}

#[derive(Deserialize, Default)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

pub async fn refuse(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ReasonForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let reason = form.reason.clone();
    match state
        .run(move |app| app.refuse_visa_letter(&caller, id, &reason))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/visa-requests/{id}?done=refused")).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(with_status(
            request_page(&state, &visitor, id, None, form.reason, shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn admin_letter(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (file, data) = state.run(move |app| app.visa_letter(&caller, id)).await?;
    Ok(crate::download::private_pdf(&file, data))
}

async fn export(
    state: &AppState,
    visitor: &Visitor,
    event_id: i64,
    format: plenary_app::export::Format,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let export = state
        .run(move |app| app.export_visa_requests(&caller, event_id, format))
        .await?;
    Ok(crate::stream::file(export))
}

/// Every request of the event with its passport details, as CSV.
pub async fn export_csv(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(event_id): Path<i64>,
) -> Result<Response, PageError> {
    export(&state, &visitor, event_id, plenary_app::export::Format::Csv).await
}

/// The same as XLSX.
pub async fn export_xlsx(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(event_id): Path<i64>,
) -> Result<Response, PageError> {
    export(
        &state,
        &visitor,
        event_id,
        plenary_app::export::Format::Xlsx,
    )
    .await
}
