use super::{ShownError, shown, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "reset_request.html")]
struct RequestPage {
    chrome: Chrome,
    email: String,
    sent: bool,
    errors: Vec<ShownError>,
}

pub async fn show_request(State(state): State<AppState>, visitor: Visitor) -> Response {
    render(&RequestPage {
        chrome: visitor.chrome(&state.app),
        email: String::new(),
        sent: false,
        errors: vec![],
    })
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    email: String,
}

pub async fn submit_request(
    State(state): State<AppState>,
    submitted: CsrfForm<RequestForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let app = state.app.clone();
    let ip = Some(visitor.client_ip.to_string());
    let email = form.email.clone();
    let (sent, errors, status) = match blocking(move || app.request_password_reset(&email, ip))
        .await
    {
        Ok(()) => (true, vec![], StatusCode::OK),
        Err(AppError::Invalid(errors)) => (false, shown(&errors), StatusCode::UNPROCESSABLE_ENTITY),
        Err(other) => return Err(other.into()),
    };
    let mut response = render(&RequestPage {
        chrome: visitor.chrome(&state.app),
        email: form.email,
        sent,
        errors,
    });
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Template)]
#[template(path = "reset_form.html")]
struct FormPage {
    chrome: Chrome,
    action: String,
    invalid: Option<String>,
    errors: Vec<ShownError>,
}

fn form_page(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
    invalid: Option<String>,
    errors: Vec<ShownError>,
) -> Response {
    render(&FormPage {
        chrome: visitor.chrome(&state.app),
        action: format!("/password-reset/{}", crate::error::form_urlencode(token)),
        invalid,
        errors,
    })
}

pub async fn show_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let app = state.app.clone();
    let check_token = token.clone();
    // Pages are never cached (see middleware), which matters here: the token is in the URL.
    match blocking(move || app.check_reset_link(&check_token)).await {
        Ok(()) => Ok(form_page(&state, &visitor, &token, None, vec![])),
        Err(e @ AppError::LinkInvalid) => Ok(with_status(
            form_page(&state, &visitor, &token, Some(e.to_string()), vec![]),
            StatusCode::GONE,
        )),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn submit_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
    submitted: CsrfForm<NewPasswordForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let ip = Some(visitor.client_ip.to_string());
    let reset_token = token.clone();

    match state
        .run(move |app| app.reset_password(&reset_token, &form.password, ip))
        .await
    {
        Ok(_) => Ok(Redirect::to("/sign-in?reset=done").into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            form_page(&state, &visitor, &token, None, shown(&errors)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(e @ AppError::LinkInvalid) => Ok(with_status(
            form_page(&state, &visitor, &token, Some(e.to_string()), vec![]),
            StatusCode::GONE,
        )),
        Err(other) => Err(other.into()),
    }
}
