//! `/invitations/{token}`: the page of an invitation's link, where the invited person
//! accepts (making their account first, or signed in).

use super::{ShownError, shown, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor, cookie, session_cookie_name, set_cookie};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{AppError, InvitationView, NewInvitee};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct AcceptForm {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    chrome: Chrome,
    action: String,
    invitation: Option<InvitationView>,
    /// The signed-in visitor's name: they accept into their account.
    signed_in_as: Option<String>,
    given_name: String,
    family_name: String,
    message: Option<String>,
    errors: Vec<ShownError>,
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
    invitation: Option<InvitationView>,
    form: &AcceptForm,
    message: Option<String>,
    errors: Vec<ShownError>,
) -> Response {
    render(&InvitationPage {
        chrome: visitor.chrome(&state.app),
        action: format!("/invitations/{}", crate::error::form_urlencode(token)),
        invitation,
        signed_in_as: visitor.user.as_ref().map(|u| u.user.display_name.clone()),
        given_name: form.given_name.clone(),
        family_name: form.family_name.clone(),
        message,
        errors,
    })
}

async fn view(state: &AppState, token: &str) -> Result<InvitationView, AppError> {
    let app = state.app.clone();
    let token = token.to_owned();
    blocking(move || app.check_invitation(&token)).await
}

/// `GET /invitations/{token}`: what is offered and how to accept it (changes nothing).
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let empty = AcceptForm::default();
    match view(&state, &token).await {
        Ok(v) => Ok(page(
            &state,
            &visitor,
            &token,
            Some(v),
            &empty,
            None,
            vec![],
        )),
        Err(e @ AppError::LinkInvalid) => Ok(with_status(
            page(
                &state,
                &visitor,
                &token,
                None,
                &empty,
                Some(e.to_string()),
                vec![],
            ),
            StatusCode::GONE,
        )),
        Err(other) => Err(other.into()),
    }
}

/// `POST /invitations/{token}`: accepts, into the signed-in account or a new one.
pub async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    submitted: CsrfForm<AcceptForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let caller = visitor.caller();
    let new = visitor.user.is_none().then(|| NewInvitee {
        given_name: form.given_name.clone(),
        family_name: form.family_name.clone(),
        password: form.password.clone(),
    });
    let user_agent = super::sign_up::user_agent(&headers);
    let used = token.clone();
    let outcome = state
        .run(move |app| app.accept_invitation(&caller, &used, new.as_ref(), user_agent.as_deref()))
        .await;
    match outcome {
        Ok(signed) => {
            let mut response = Redirect::to("/").into_response();
            if let Some(signed) = signed {
                let value = cookie(
                    &state.web,
                    session_cookie_name(&state.web),
                    &signed.session_token,
                    None,
                );
                set_cookie(&mut response, &value);
            }
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => {
            let v = view(&state, &token).await.ok();
            Ok(with_status(
                page(&state, &visitor, &token, v, &form, None, shown(&errors)),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e @ AppError::LinkInvalid) => Ok(with_status(
            page(
                &state,
                &visitor,
                &token,
                None,
                &form,
                Some(e.to_string()),
                vec![],
            ),
            StatusCode::GONE,
        )),
        Err(e @ AppError::Refused(_)) => {
            let v = view(&state, &token).await.ok();
            Ok(with_status(
                page(
                    &state,
                    &visitor,
                    &token,
                    v,
                    &form,
                    Some(e.to_string()),
                    vec![],
                ),
                StatusCode::CONFLICT,
            ))
        }
        Err(other) => Err(other.into()),
    }
}
