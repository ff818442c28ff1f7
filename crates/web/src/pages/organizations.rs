//! The secretariat's list of organizations.

use super::{ShownError, shown, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{AppError, OrganizationInput};
use plenary_domain::geo::Country;
use plenary_domain::people::StakeholderGroup;
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct OrganizationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    stakeholder_group: String,
    #[serde(default)]
    country: String,
}

struct Row {
    id: i64,
    name: String,
    group: &'static str,
    country: String,
    region: &'static str,
}

#[derive(Template)]
#[template(path = "organizations.html")]
struct OrganizationsPage {
    chrome: Chrome,
    search: String,
    total: i64,
    organizations: Vec<Row>,
    editing: Option<i64>,
    form: OrganizationForm,
    errors: Vec<ShownError>,
    notice: Option<&'static str>,
    groups: Vec<(&'static str, &'static str)>,
    countries: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    done: String,
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    search: String,
    editing: Option<i64>,
    form: Option<OrganizationForm>,
    errors: Vec<ShownError>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let query = search.clone();

    let (list, total, current) = state
        .run(move |app| {
            let (list, total) = app.organizations(&caller, &query, 1)?;
            let current = editing
                .map(|id| app.organization(&caller, id))
                .transpose()?;
            Ok((list, total, current))
        })
        .await?;
    let form = form.unwrap_or_else(|| match &current {
        Some(o) => OrganizationForm {
            name: o.name.clone(),
            stakeholder_group: o
                .stakeholder_group
                .map(|g| g.as_str().to_owned())
                .unwrap_or_default(),
            country: o.country.clone().unwrap_or_default(),
        },
        None => OrganizationForm::default(),
    });
    Ok(render(&OrganizationsPage {
        chrome: visitor.chrome(&state.app),
        search,
        total,
        organizations: list
            .into_iter()
            .map(|o| {
                let country = o
                    .country
                    .as_deref()
                    .and_then(|c| Country::parse("country", c).ok());
                Row {
                    id: o.id,
                    name: o.name,
                    group: o.stakeholder_group.map_or("", |g| g.label()),
                    country: country.map(|c| c.name().to_owned()).unwrap_or_default(),
                    region: country.and_then(|c| c.region()).map_or("", |r| r.label()),
                }
            })
            .collect(),
        editing,
        form,
        errors,
        notice,
        groups: StakeholderGroup::ALL
            .iter()
            .map(|g| (g.as_str(), g.label()))
            .collect(),
        countries: super::registration::countries(),
    }))
}

fn notice_for(done: &str) -> Option<&'static str> {
    (done == "saved").then_some("Saved.")
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    page(
        &state,
        &visitor,
        q.q,
        None,
        None,
        vec![],
        notice_for(&q.done),
    )
    .await
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    page(
        &state,
        &visitor,
        String::new(),
        Some(id),
        None,
        vec![],
        None,
    )
    .await
}

async fn save(
    state: &AppState,
    visitor: &Visitor,
    id: Option<i64>,
    form: OrganizationForm,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    let input = OrganizationInput {
        name: form.name.clone(),
        stakeholder_group: form.stakeholder_group.clone(),
        country: form.country.clone(),
    };
    match blocking(move || app.save_organization(&caller, id, &input)).await {
        Ok(_) => Ok(Redirect::to("/admin/organizations?done=saved").into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            page(
                state,
                visitor,
                String::new(),
                id,
                Some(form),
                shown(&errors),
                None,
            )
            .await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    submitted: CsrfForm<OrganizationForm>,
) -> Result<Response, PageError> {
    save(&state, &submitted.visitor, None, submitted.form).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<OrganizationForm>,
) -> Result<Response, PageError> {
    save(&state, &submitted.visitor, Some(id), submitted.form).await
}
