//! Creating an account: the sign-up form, and the page of the link that confirms it.

use super::{ShownError, shown, with_status};
use crate::error::{PageError, render, retry_after};
use crate::visitor::{Chrome, CsrfForm, Visitor, cookie, session_cookie_name, set_cookie};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{AppError, SignUpInput};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "sign_up.html")]
struct SignUpPage {
    chrome: Chrome,
    display_name: String,
    email: String,
    /// The request was taken: the page says to check the mailbox.
    sent: bool,
    message: Option<String>,
    errors: Vec<ShownError>,
}

/// `GET /sign-up`: the form (a signed-in visitor has an account already).
pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Response {
    if visitor.user.is_some() {
        return Redirect::to("/").into_response();
    }
    render(&SignUpPage {
        chrome: visitor.chrome(&state.app),
        display_name: String::new(),
        email: String::new(),
        sent: false,
        message: None,
        errors: vec![],
    })
}

#[derive(Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /sign-up`: the same answer whether or not the address has an account.
pub async fn submit(
    State(state): State<AppState>,
    submitted: CsrfForm<SignUpForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let input = SignUpInput {
        display_name: form.display_name.clone(),
        email: form.email.clone(),
        password: form.password,
    };
    let ip = Some(visitor.client_ip.to_string());
    let outcome = state.run(move |app| app.sign_up(&input, ip)).await;
    let (status, sent, message, errors, wait) = match outcome {
        Ok(()) => (StatusCode::OK, true, None, vec![], None),
        Err(AppError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
            None,
            shown(&errors),
            None,
        ),
        Err(e @ (AppError::RateLimited { .. } | AppError::Overloaded { .. })) => {
            let status = if matches!(e, AppError::RateLimited { .. }) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (status, false, Some(e.to_string()), vec![], retry_after(&e))
        }
        Err(other) => return Err(other.into()),
    };
    let mut response = with_status(
        render(&SignUpPage {
            chrome: visitor.chrome(&state.app),
            display_name: form.display_name,
            email: form.email,
            sent,
            message,
            errors,
        }),
        status,
    );
    if let Some(wait) = wait {
        response.headers_mut().insert(header::RETRY_AFTER, wait);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "sign_up_confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    action: String,
    /// (name, e-mail address) of the account the link creates.
    account: Option<(String, String)>,
    message: Option<String>,
}

fn confirm_page(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
    account: Option<(String, String)>,
    message: Option<String>,
) -> Response {
    render(&ConfirmPage {
        chrome: visitor.chrome(&state.app),
        action: format!("/sign-up/{}", crate::error::form_urlencode(token)),
        account,
        message,
    })
}

/// `GET /sign-up/{token}`: what the link creates, with the button that does it. Following
/// the link alone changes nothing, so that a mail scanner opening it uses nothing up.
pub async fn show_confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let app = state.app.clone();
    let check = token.clone();
    match blocking(move || app.check_sign_up_link(&check)).await {
        Ok(p) => Ok(confirm_page(
            &state,
            &visitor,
            &token,
            Some((p.display_name, p.email)),
            None,
        )),
        Err(e @ AppError::LinkInvalid) => Ok(with_status(
            confirm_page(&state, &visitor, &token, None, Some(e.to_string())),
            StatusCode::GONE,
        )),
        Err(other) => Err(other.into()),
    }
}

/// `POST /sign-up/{token}`: creates the account, signs in and opens the dashboard.
pub async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    submitted: CsrfForm<super::Empty>,
) -> Result<Response, PageError> {
    let visitor = submitted.visitor;
    let ip = Some(visitor.client_ip.to_string());
    let user_agent = user_agent(&headers);
    let used = token.clone();
    match state
        .run(move |app| app.confirm_sign_up(&used, ip, user_agent.as_deref()))
        .await
    {
        Ok(signed) => {
            let value = cookie(
                &state.web,
                session_cookie_name(&state.web),
                &signed.session_token,
                None,
            );
            let mut response = Redirect::to("/").into_response();
            set_cookie(&mut response, &value);
            Ok(response)
        }
        Err(e @ AppError::LinkInvalid) => Ok(with_status(
            confirm_page(&state, &visitor, &token, None, Some(e.to_string())),
            StatusCode::GONE,
        )),
        Err(e @ AppError::Refused(_)) => Ok(with_status(
            confirm_page(&state, &visitor, &token, None, Some(e.to_string())),
            StatusCode::CONFLICT,
        )),
        Err(other) => Err(other.into()),
    }
}

/// The browser's name for the session list, at most 200 characters.
pub(crate) fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>())
}
