//! `/account/profile`: a signed-in person edits what others know of them.

use super::{DoneQuery, ShownError, shown, with_status};
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{AppError, ProfileInput, ProfileView};
use plenary_domain::people::{Language, StakeholderGroup};
use serde::Deserialize;

/// The form's fields, as typed (kept when the form is shown again).
#[derive(Deserialize, Default, Clone)]
pub struct ProfileForm {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    stakeholder_group: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    language: String,
}

impl From<&ProfileView> for ProfileForm {
    fn from(p: &ProfileView) -> Self {
        ProfileForm {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            organization: p.organization.clone(),
            stakeholder_group: p
                .stakeholder_group
                .map(|g| g.as_str().to_owned())
                .unwrap_or_default(),
            country: p.country.clone().unwrap_or_default(),
            time_zone: p.time_zone.clone().unwrap_or_default(),
            language: p.language.as_str().to_owned(),
        }
    }
}

impl From<ProfileForm> for ProfileInput {
    fn from(f: ProfileForm) -> Self {
        ProfileInput {
            given_name: f.given_name,
            family_name: f.family_name,
            organization: f.organization,
            stakeholder_group: f.stakeholder_group,
            country: f.country,
            time_zone: f.time_zone,
            language: f.language,
        }
    }
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    chrome: Chrome,
    email: String,
    form: ProfileForm,
    /// The organization typed is not in the directory (kept as typed).
    organization_unlisted: bool,
    linked_to_directory: bool,
    organizations: Vec<String>,
    groups: Vec<(&'static str, &'static str)>,
    countries: Vec<(&'static str, &'static str)>,
    languages: Vec<(&'static str, &'static str)>,
    notice: Option<&'static str>,
    errors: Vec<ShownError>,
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    form: Option<ProfileForm>,
    notice: Option<&'static str>,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (profile, organizations) = state
        .run(move |app| Ok((app.my_profile(&caller)?, app.organization_names(&caller)?)))
        .await?;
    let form = form.unwrap_or_else(|| ProfileForm::from(&profile));
    Ok(render(&ProfilePage {
        chrome: visitor.chrome(&state.app),
        email: profile.email.clone(),
        organization_unlisted: !profile.organization.is_empty()
            && !profile.organization_in_directory,
        linked_to_directory: profile.person_id.is_some(),
        form,
        organizations,
        groups: StakeholderGroup::ALL
            .iter()
            .map(|g| (g.as_str(), g.label()))
            .collect(),
        countries: super::registration::countries(),
        languages: Language::ALL
            .iter()
            .map(|l| (l.as_str(), l.label()))
            .collect(),
        notice,
        errors,
    }))
}

/// `GET /account/profile`.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let notice = (q.done == "saved").then_some("Your profile has been saved.");
    page(&state, &visitor, None, notice, vec![]).await
}

/// `POST /account/profile`.
pub async fn save(
    State(state): State<AppState>,
    submitted: CsrfForm<ProfileForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = ProfileInput::from(form.clone());
    match state
        .run(move |app| app.save_my_profile(&caller, &input))
        .await
    {
        Ok(_) => Ok(Redirect::to("/account/profile?done=saved").into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            page(&state, &visitor, Some(form), None, shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}
