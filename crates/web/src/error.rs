//! One error type for pages and one for the JSON API. Internal detail goes to the log
//! with an operation id; the response shows the id, never the detail.

use crate::visitor::Chrome;
use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use schemars::JsonSchema;
use serde::Serialize;

fn operation_id() -> String {
    plenary_app::random_token()[..16].to_owned()
}

/// The status code of an application error, the same for pages and API.
fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::SignInRequired | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::LinkInvalid => StatusCode::GONE,
        AppError::Refused(_) | AppError::EditConflict { .. } => StatusCode::CONFLICT,
        AppError::Unavailable | AppError::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Logs an internal error and returns its operation id.
fn log_internal(e: &AppError) -> Option<String> {
    match e {
        AppError::Internal(detail) => {
            let id = operation_id();
            tracing::error!(operation_id = %id, %detail, "internal error");
            Some(id)
        }
        _ => None,
    }
}

pub(crate) fn retry_after(e: &AppError) -> Option<HeaderValue> {
    match e {
        AppError::RateLimited { retry_after } | AppError::Overloaded { retry_after } => {
            HeaderValue::from_str(&retry_after.as_secs().max(1).to_string()).ok()
        }
        _ => None,
    }
}

#[derive(Debug)]
pub enum PageError {
    App(AppError),
    /// Not signed in: go to the sign-in page and come back to `next`.
    SignIn {
        next: String,
    },
    /// The form's CSRF token is missing or wrong.
    Csrf,
    /// The form body could not be read.
    BadForm,
    /// The upload is larger than the route accepts.
    TooLarge,
    NotFound,
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::SignInRequired => PageError::SignIn { next: "/".into() },
            other => PageError::App(other),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    heading: &'a str,
    message: String,
    operation_id: Option<String>,
}

pub(crate) fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(e) => {
            let id = operation_id();
            tracing::error!(operation_id = %id, error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("Internal error (operation id {id})"),
            )
                .into_response()
        }
    }
}

/// The 404 page with the visitor's own navigation.
pub(crate) fn not_found_page(chrome: Chrome) -> Response {
    page_with(
        chrome,
        StatusCode::NOT_FOUND,
        "Not found",
        NOT_FOUND_MESSAGE.into(),
        None,
    )
}

const NOT_FOUND_MESSAGE: &str = "There is no page at this address.";

fn error_page(
    status: StatusCode,
    heading: &str,
    message: String,
    operation_id: Option<String>,
) -> Response {
    let chrome = Chrome {
        user: None,
        csrf: String::new(),
        version: env!("CARGO_PKG_VERSION"),
    };
    page_with(chrome, status, heading, message, operation_id)
}

fn page_with(
    chrome: Chrome,
    status: StatusCode,
    heading: &str,
    message: String,
    operation_id: Option<String>,
) -> Response {
    let mut response = render(&ErrorPage {
        chrome,
        heading,
        message,
        operation_id,
    });
    *response.status_mut() = status;
    response
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn { next } => {
                let target = format!("/sign-in?next={}", form_urlencode(&next));
                Redirect::to(&target).into_response()
            }
            PageError::Csrf => error_page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "The form was not sent from this site's current page. Go back, reload the page and try again.".into(),
                None,
            ),
            PageError::BadForm => error_page(StatusCode::BAD_REQUEST, "Bad request", "The form could not be read.".into(), None),
            PageError::NotFound => error_page(StatusCode::NOT_FOUND, "Not found", NOT_FOUND_MESSAGE.into(), None),
            PageError::TooLarge => error_page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "File too large",
                format!("A document may be at most {} MiB.", plenary_app::MAX_DOCUMENT_BYTES / (1024 * 1024)),
                None,
            ),
            PageError::App(e) => {
                let id = log_internal(&e);
                let heading = match status_of(&e) {
                    StatusCode::FORBIDDEN => "Not allowed",
                    StatusCode::NOT_FOUND => "Not found",
                    StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
                    StatusCode::SERVICE_UNAVAILABLE => "Temporarily unavailable",
                    StatusCode::INTERNAL_SERVER_ERROR => "Something went wrong",
                    _ => "This did not work",
                };
                let mut response = error_page(status_of(&e), heading, e.to_string(), id);
                if let Some(v) = retry_after(&e) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
                response
            }
        }
    }
}

pub(crate) fn form_urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q[1..].to_owned())
        .unwrap_or_default()
}

/// A JSON API error, sent as `application/problem+json` (RFC 9457).
#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    /// The bearer token is malformed, unknown or revoked.
    BadToken,
    /// The request body is not the expected JSON; the text says where.
    BadJson(String),
    /// A query parameter is missing or wrong; each error names the parameter.
    BadQuery(Vec<plenary_domain::FieldError>),
    /// The request body is larger than the route accepts.
    TooLarge,
    /// The request body is not JSON (by its `Content-Type`) on a route that takes JSON.
    NotJson,
    NotFound,
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

/// An RFC 9457 problem document: every error of the API.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Problem {
    /// `urn:plenary:problem:{slug}`, e.g. `urn:plenary:problem:validation`.
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    detail: String,
    /// Each invalid field with what is wrong with it (422, and 400 for a query).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldProblem>,
    /// `urn:plenary:operation:{id}` of an internal error, to find it in the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    instance: Option<String>,
    /// The note as someone else saved it meanwhile (409 on a note).
    #[serde(skip_serializing_if = "Option::is_none")]
    current_text: Option<String>,
    /// That note's version, the base of a new attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i64>,
    /// How many people a mailing would reach now (409 when the list changed since the
    /// preview).
    #[serde(skip_serializing_if = "Option::is_none")]
    recipients: Option<usize>,
}

/// 409: a body's list has changed since its mailing was previewed; nothing was sent.
pub(crate) fn recipients_changed(recipients: usize, expected: usize) -> Response {
    let mut body = problem(
        StatusCode::CONFLICT,
        "recipients-changed",
        "Conflict",
        format!(
            "the list has {recipients} recipient(s) now, not {expected}; nothing was sent. Confirm the new number to send."
        ),
    );
    body.recipients = Some(recipients);
    problem_response(StatusCode::CONFLICT, body)
}

/// A field that was refused, and why.
#[derive(Serialize, JsonSchema)]
pub(crate) struct FieldProblem {
    field: &'static str,
    message: String,
}

fn problem(status: StatusCode, slug: &str, title: &str, detail: String) -> Problem {
    Problem {
        kind: format!("urn:plenary:problem:{slug}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        errors: Vec::new(),
        instance: None,
        current_text: None,
        current_version: None,
        recipients: None,
    }
}

fn problem_response(status: StatusCode, body: Problem) -> Response {
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::BadToken => {
                let body = problem(
                    StatusCode::UNAUTHORIZED,
                    "bad-token",
                    "Invalid token",
                    "the bearer token is malformed, unknown or revoked".into(),
                );
                let mut response = problem_response(StatusCode::UNAUTHORIZED, body);
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            ApiError::BadJson(why) => problem_response(
                StatusCode::BAD_REQUEST,
                problem(
                    StatusCode::BAD_REQUEST,
                    "bad-json",
                    "Malformed request body",
                    why,
                ),
            ),
            ApiError::BadQuery(errors) => {
                let detail: Vec<String> = errors.iter().map(ToString::to_string).collect();
                let mut body = problem(
                    StatusCode::BAD_REQUEST,
                    "bad-query",
                    "Malformed query",
                    format!("invalid query parameter: {}", detail.join("; ")),
                );
                body.errors = field_errors(&errors);
                problem_response(StatusCode::BAD_REQUEST, body)
            }
            ApiError::TooLarge => status_problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request body is larger than this route accepts".into(),
            ),
            ApiError::NotJson => status_problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the request body must be sent as Content-Type: application/json".into(),
            ),
            ApiError::NotFound => status_problem(StatusCode::NOT_FOUND, "no such resource".into()),
            ApiError::App(e) => app_problem(e),
        }
    }
}

/// A problem document for a bare status, for answers given before or without a
/// handler (unknown path, wrong method, axum's own rejections): its slug is made from
/// the status's reason phrase ("method-not-allowed").
pub(crate) fn status_problem(status: StatusCode, detail: String) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    let slug = title.to_ascii_lowercase().replace(' ', "-");
    problem_response(status, problem(status, &slug, title, detail))
}

fn field_errors(errors: &[plenary_domain::FieldError]) -> Vec<FieldProblem> {
    errors
        .iter()
        .map(|f| FieldProblem {
            field: f.field,
            message: f.problem.to_string(),
        })
        .collect()
}

fn app_problem(e: AppError) -> Response {
    let status = status_of(&e);
    let id = log_internal(&e);
    let slug = match &e {
        AppError::Invalid(_) => "validation",
        AppError::SignInRequired => "unauthenticated",
        AppError::Forbidden => "forbidden",
        AppError::NotFound => "not-found",
        AppError::BadCredentials => "bad-credentials",
        AppError::RateLimited { .. } => "rate-limited",
        AppError::LinkInvalid => "link-invalid",
        AppError::Refused(_) => "refused",
        AppError::EditConflict { .. } => "edit-conflict",
        AppError::Unavailable => "unavailable",
        AppError::Overloaded { .. } => "overloaded",
        AppError::Internal(_) => "internal",
    };
    let title = status.canonical_reason().unwrap_or("Error");
    let mut body = problem(status, slug, title, e.to_string());
    if let AppError::Invalid(errors) = &e {
        body.errors = field_errors(errors);
    }
    if let AppError::EditConflict {
        current_text,
        current_version,
    } = &e
    {
        body.current_text = Some(current_text.clone());
        body.current_version = Some(*current_version);
    }
    body.instance = id.map(|id| format!("urn:plenary:operation:{id}"));
    let mut response = problem_response(status, body);
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    if let Some(v) = retry_after(&e) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}
