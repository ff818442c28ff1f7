//! The "Speakers' accounts" section of a programme session's admin page: the session's
//! people with the accounts they are linked to, the form that invites a person by
//! e-mail to be one of them, and the session's invitations (revocable while pending).

use super::{InvitationRow, ShownError, shown, with_status};
use crate::AppState;
use crate::error::PageError;
use crate::visitor::{CsrfForm, Visitor};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use plenary_app::speakers::SpeakerInvite;
use plenary_domain::programme::ProgrammeRole;
use serde::Deserialize;

/// The invitation form as sent.
#[derive(Deserialize, Default, Clone)]
pub struct SpeakerForm {
    #[serde(default)]
    pub(crate) email: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) role: String,
}

/// A person of the session and the account linked to them.
pub(crate) struct LinkedPerson {
    pub name: String,
    pub role: &'static str,
    /// Empty: no account linked.
    pub account: String,
}

/// What the section shows.
pub(crate) struct SpeakersSection {
    pub people: Vec<LinkedPerson>,
    pub form: SpeakerForm,
    pub errors: Vec<ShownError>,
    pub roles: Vec<(&'static str, &'static str)>,
    pub invitations: Vec<InvitationRow>,
    pub invite_path: String,
}

fn role_label(raw: &str) -> &'static str {
    ProgrammeRole::parse(raw).map_or("Speaker", |r| r.label())
}

/// The section of a session's page, with the form as typed (and its errors) if refused.
pub(crate) async fn section(
    state: &AppState,
    visitor: &Visitor,
    event_id: i64,
    session_id: i64,
    refused: Option<(SpeakerForm, Vec<ShownError>)>,
) -> Result<SpeakersSection, PageError> {
    let caller = visitor.caller();
    let (people, invitations) = state
        .run(move |app| {
            Ok((
                app.session_people(&caller, event_id, session_id)?,
                app.speaker_invitations(&caller, event_id, session_id)?,
            ))
        })
        .await?;
    let (form, errors) = refused.unwrap_or_else(|| {
        (
            SpeakerForm {
                role: ProgrammeRole::Speaker.as_str().into(),
                ..Default::default()
            },
            vec![],
        )
    });
    Ok(SpeakersSection {
        people: people
            .iter()
            .map(|p| LinkedPerson {
                name: p.name.clone(),
                role: role_label(&p.role),
                account: p.account_name.clone().unwrap_or_default(),
            })
            .collect(),
        form,
        errors,
        roles: ProgrammeRole::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect(),
        invitations: invitations.iter().map(InvitationRow::from).collect(),
        invite_path: format!(
            "/admin/events/{event_id}/programme/sessions/{session_id}/invitations"
        ),
    })
}

fn back_to(event_id: i64, session_id: i64, done: &str) -> Response {
    Redirect::to(&format!(
        "/admin/events/{event_id}/programme/sessions/{session_id}?done={done}#speakers-h"
    ))
    .into_response()
}

/// `POST /admin/events/{id}/programme/sessions/{session}/invitations`.
pub async fn invite(
    State(state): State<AppState>,
    Path((event_id, session_id)): Path<(i64, i64)>,
    submitted: CsrfForm<SpeakerForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = SpeakerInvite {
        email: form.email.clone(),
        name: form.name.clone(),
        role: form.role.clone(),
    };
    match state
        .run(move |app| app.invite_speaker(&caller, event_id, session_id, &input))
        .await
    {
        Ok(_) => Ok(back_to(event_id, session_id, "invited")),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            super::programme_admin::session_page_with_speakers(
                &state,
                &visitor,
                event_id,
                session_id,
                (form, shown(&errors)),
            )
            .await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/events/{id}/programme/sessions/{session}/invitations/{invitation}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    Path((event_id, session_id, invitation)): Path<(i64, i64, i64)>,
    submitted: CsrfForm<super::Empty>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    state
        .run(move |app| app.revoke_speaker_invitation(&caller, event_id, session_id, invitation))
        .await?;
    Ok(back_to(event_id, session_id, "invitation-revoked"))
}
