use super::{Empty, ShownError, shown, utc, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor, clear_session_cookie};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{ApiTokens, AppError};
use plenary_domain::ApiTokenId;
use serde::Deserialize;

struct SessionRow {
    created: String,
    last_seen: String,
    client_ip: String,
    user_agent: String,
    current: bool,
}

struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    display_name: String,
    email: String,
    roles: Vec<String>,
    time_zone: String,
    sessions: Vec<SessionRow>,
    tokens: Vec<TokenRow>,
    notice: Option<&'static str>,
    new_token: Option<String>,
    errors: Vec<ShownError>,
    /// The name typed for a new token, kept when it was refused.
    token_name: String,
}

/// What a refused form puts back on the account page: its messages and the text typed.
#[derive(Default)]
struct Refused {
    errors: Vec<ShownError>,
    time_zone: Option<String>,
    token_name: String,
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

fn notice_for(done: &str) -> Option<&'static str> {
    match done {
        "password" => Some("Your password has been changed. Your other sessions have ended."),
        "password-tokens" => Some(
            "Your password has been changed. Your other sessions have ended and your API tokens have been revoked.",
        ),
        "revoked" => Some("The token has been revoked."),
        "zone" => Some("Your time zone has been saved."),
        _ => None,
    }
}

async fn account_page(
    state: &AppState,
    visitor: &Visitor,
    notice: Option<&'static str>,
    new_token: Option<String>,
    refused: Refused,
) -> Result<Response, PageError> {
    let user = visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    let (sessions, tokens) =
        blocking(move || Ok((app.my_sessions(&caller)?, app.my_api_tokens(&caller)?))).await?;
    let current = user.session_id;
    let page = AccountPage {
        chrome: visitor.chrome(&state.app),
        display_name: user.user.display_name.clone(),
        email: user.user.email.clone(),
        roles: user
            .grants
            .iter()
            .map(|g| format!("{} ({})", g.role.label(), g.scope))
            .collect(),
        time_zone: refused
            .time_zone
            .unwrap_or_else(|| user.user.time_zone.clone().unwrap_or_default()),
        sessions: sessions
            .into_iter()
            .map(|s| SessionRow {
                created: utc(s.created_at),
                last_seen: utc(s.last_seen_at),
                client_ip: s.client_ip.unwrap_or_default(),
                user_agent: s.user_agent.unwrap_or_default(),
                current: Some(s.id) == current,
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id.0,
                name: t.name,
                prefix: t.prefix,
                created: utc(t.created_at),
                last_used: t.last_used_at.map(utc).unwrap_or_else(|| "never".into()),
                revoked: t.revoked_at.is_some(),
            })
            .collect(),
        notice,
        new_token,
        errors: refused.errors,
        token_name: refused.token_name,
    };
    Ok(render(&page))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    account_page(
        &state,
        &visitor,
        notice_for(&q.done),
        None,
        Refused::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    /// Ticked: the API tokens keep working (the default revokes them).
    #[serde(default)]
    keep_api_tokens: Option<String>,
}

#[derive(Deserialize)]
pub struct SignOutEverywhereForm {
    #[serde(default)]
    keep_api_tokens: Option<String>,
}

fn token_choice(keep: Option<&str>) -> ApiTokens {
    if keep.is_some_and(|v| !v.is_empty()) {
        ApiTokens::Keep
    } else {
        ApiTokens::Revoke
    }
}

pub async fn change_password(
    State(state): State<AppState>,
    submitted: CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let keep = visitor.require_user()?.session_id;
    let caller = visitor.caller();
    let app = state.app.clone();
    let tokens = token_choice(form.keep_api_tokens.as_deref());
    match blocking(move || {
        app.change_password(
            &caller,
            &form.current_password,
            &form.new_password,
            keep,
            tokens,
        )
    })
    .await
    {
        Ok(ended) if ended.api_tokens > 0 => {
            Ok(Redirect::to("/account?done=password-tokens").into_response())
        }
        Ok(_) => Ok(Redirect::to("/account?done=password").into_response()),
        Err(AppError::Invalid(errors)) => {
            refused_page(
                &state,
                &visitor,
                Refused {
                    errors: shown(&errors),
                    ..Refused::default()
                },
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// The account page again with a refused form's messages and typed text (422).
async fn refused_page(
    state: &AppState,
    visitor: &Visitor,
    refused: Refused,
) -> Result<Response, PageError> {
    Ok(with_status(
        account_page(state, visitor, None, None, refused).await?,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    submitted: CsrfForm<SignOutEverywhereForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let tokens = token_choice(form.keep_api_tokens.as_deref());
    state
        .run(move |app| app.sign_out_everywhere(&caller, tokens))
        .await?;
    let mut response = Redirect::to("/sign-in").into_response();
    clear_session_cookie(&mut response, &state.web);
    Ok(response)
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    submitted: CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    let name = form.name.clone();
    match blocking(move || app.create_api_token(&caller, &form.name)).await {
        Ok(created) => {
            account_page(
                &state,
                &visitor,
                None,
                Some(created.secret),
                Refused::default(),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            let refused = Refused {
                errors: shown(&errors),
                token_name: name,
                ..Refused::default()
            };
            refused_page(&state, &visitor, refused).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let visitor = submitted.visitor;
    visitor.require_user()?;
    let caller = visitor.caller();
    state
        .run(move |app| app.revoke_api_token(&caller, ApiTokenId(id)))
        .await?;
    Ok(Redirect::to("/account?done=revoked").into_response())
}

#[derive(Deserialize)]
pub struct ZoneForm {
    #[serde(default)]
    time_zone: String,
}

pub async fn set_time_zone(
    State(state): State<AppState>,
    submitted: CsrfForm<ZoneForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    let typed = form.time_zone.clone();
    match blocking(move || app.set_my_time_zone(&caller, &form.time_zone)).await {
        Ok(()) => Ok(Redirect::to("/account?done=zone").into_response()),
        Err(AppError::Invalid(errors)) => {
            let refused = Refused {
                errors: shown(&errors),
                time_zone: Some(typed),
                ..Refused::default()
            };
            refused_page(&state, &visitor, refused).await
        }
        Err(other) => Err(other.into()),
    }
}
