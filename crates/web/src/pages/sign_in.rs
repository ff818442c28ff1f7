use super::{Empty, ShownError, shown};
use crate::error::{PageError, render, retry_after};
use crate::visitor::{
    Chrome, CsrfForm, Visitor, clear_session_cookie, cookie, session_cookie_name, set_cookie,
};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    email: String,
    next: String,
    message: Option<String>,
    notice: Option<String>,
    errors: Vec<ShownError>,
}

#[derive(Deserialize, Default)]
pub struct SignInQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    reset: Option<String>,
}

/// Only local paths are followed after signing in (no open redirect).
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<SignInQuery>,
) -> Response {
    if visitor.user.is_some() {
        return Redirect::to(&safe_next(&q.next)).into_response();
    }
    render(&SignInPage {
        chrome: visitor.chrome(&state.app),
        email: String::new(),
        next: safe_next(&q.next),
        message: None,
        notice: q
            .reset
            .map(|_| "Your password has been changed. Sign in with the new one.".to_owned()),
        errors: vec![],
    })
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    submitted: CsrfForm<SignInForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>());
    let app = state.app.clone();
    let ip = visitor.client_ip.to_string();
    let (email, password) = (form.email.clone(), form.password);
    let outcome =
        blocking(move || app.sign_in(&email, &password, &ip, user_agent.as_deref())).await;
    let next = safe_next(&form.next);
    let (status, message, errors, wait) = match outcome {
        Ok(signed) => {
            let value = cookie(
                &state.web,
                session_cookie_name(&state.web),
                &signed.session_token,
                None,
            );
            let mut response = Redirect::to(&next).into_response();
            set_cookie(&mut response, &value);
            return Ok(response);
        }
        Err(AppError::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, None, shown(&errors), None)
        }
        Err(e @ AppError::BadCredentials) => {
            (StatusCode::UNAUTHORIZED, Some(e.to_string()), vec![], None)
        }
        // Throttled or too busy to check: the page says how long to wait, and so does
        // the Retry-After header.
        Err(e @ (AppError::RateLimited { .. } | AppError::Overloaded { .. })) => {
            let status = if matches!(e, AppError::RateLimited { .. }) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (status, Some(e.to_string()), vec![], retry_after(&e))
        }
        Err(other) => return Err(other.into()),
    };
    let mut response = render(&SignInPage {
        chrome: visitor.chrome(&state.app),
        email: form.email,
        next,
        message,
        notice: None,
        errors,
    });
    *response.status_mut() = status;
    if let Some(wait) = wait {
        response.headers_mut().insert(header::RETRY_AFTER, wait);
    }
    Ok(response)
}

pub async fn sign_out(
    State(state): State<AppState>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let visitor = submitted.visitor;
    if let Some(token) = visitor.session_token.clone() {
        let ip = Some(visitor.client_ip.to_string());

        state.run(move |app| app.sign_out(&token, ip)).await?;
    }
    let mut response = Redirect::to("/").into_response();
    clear_session_cookie(&mut response, &state.web);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/account"), "/account");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
    }
}
