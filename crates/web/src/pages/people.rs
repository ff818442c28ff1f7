//! The secretariat's people directory.

use super::bodies::optional_id;
use super::{ShownError, shown, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{AppError, Person, PersonInput};
use plenary_domain::people::StakeholderGroup;
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    stakeholder_group: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    time_zone: String,
}

impl PersonForm {
    fn of(p: &Person) -> PersonForm {
        PersonForm {
            family_name: p.family_name.clone().unwrap_or_default(),
            given_name: p.given_name.clone().unwrap_or_default(),
            organization_id: p.organization_id.map(|o| o.to_string()).unwrap_or_default(),
            stakeholder_group: p
                .stakeholder_group
                .map(|g| g.as_str().to_owned())
                .unwrap_or_default(),
            country: p.country.clone().unwrap_or_default(),
            gender: p.gender.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            time_zone: p.time_zone.clone().unwrap_or_default(),
        }
    }

    fn input(&self) -> Result<PersonInput, AppError> {
        Ok(PersonInput {
            family_name: self.family_name.clone(),
            given_name: self.given_name.clone(),
            organization_id: optional_id("organization_id", &self.organization_id)?,
            stakeholder_group: self.stakeholder_group.clone(),
            country: self.country.clone(),
            gender: self.gender.clone(),
            email: self.email.clone(),
            time_zone: self.time_zone.clone(),
        })
    }
}

struct PersonRow {
    id: i64,
    family: String,
    given: String,
    organization: String,
    group: &'static str,
    country: String,
}

/// Choices for the person form's selects.
struct Choices {
    organizations: Vec<(String, String)>,
    groups: Vec<(&'static str, &'static str)>,
    countries: Vec<(&'static str, &'static str)>,
}

async fn choices(state: &AppState, visitor: &Visitor) -> Result<Choices, PageError> {
    let app = state.app.clone();
    let caller = visitor.caller();
    // The form offers the first page of organizations; more are reachable by id via the API.
    let (orgs, _) = blocking(move || app.organizations(&caller, "", 1)).await?;
    Ok(Choices {
        organizations: orgs
            .into_iter()
            .map(|o| (o.id.to_string(), o.name))
            .collect(),
        groups: StakeholderGroup::ALL
            .iter()
            .map(|g| (g.as_str(), g.label()))
            .collect(),
        countries: super::registration::countries(),
    })
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    search: String,
    total: i64,
    people: Vec<PersonRow>,
    form: PersonForm,
    errors: Vec<ShownError>,
    organizations: Vec<(String, String)>,
    groups: Vec<(&'static str, &'static str)>,
    countries: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn people_page(
    state: &AppState,
    visitor: &Visitor,
    search: String,
    form: PersonForm,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let query = search.clone();

    let (people, total) = state.run(move |app| app.people(&caller, &query, 1)).await?;
    let choices = choices(state, visitor).await?;
    Ok(render(&PeoplePage {
        chrome: visitor.chrome(&state.app),
        search,
        total,
        people: people
            .into_iter()
            .map(|p| PersonRow {
                id: p.id,
                family: p.family_name.unwrap_or_default(),
                given: p.given_name.unwrap_or_default(),
                organization: p.organization.unwrap_or_default(),
                group: p.stakeholder_group.map_or("", |g| g.label()),
                country: p.country.unwrap_or_default(),
            })
            .collect(),
        form,
        errors,
        organizations: choices.organizations,
        groups: choices.groups,
        countries: choices.countries,
    }))
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    people_page(&state, &visitor, q.q, PersonForm::default(), vec![]).await
}

pub async fn create(
    State(state): State<AppState>,
    submitted: CsrfForm<PersonForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();

    match state
        .run(move |app| app.save_person(&caller, None, &input?))
        .await
    {
        Ok(p) => Ok(Redirect::to(&format!("/admin/people/{}?done=created", p.id)).into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            people_page(&state, &visitor, String::new(), form, shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

struct MembershipRow {
    body_id: i64,
    body: String,
    role: &'static str,
    starts_on: String,
    ends_on: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    id: i64,
    name: String,
    memberships: Vec<MembershipRow>,
    notice: Option<&'static str>,
    form: PersonForm,
    errors: Vec<ShownError>,
    organizations: Vec<(String, String)>,
    groups: Vec<(&'static str, &'static str)>,
    countries: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

async fn person_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    form: Option<PersonForm>,
    notice: Option<&'static str>,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();

    let (person, memberships, bodies) = state
        .run(move |app| {
            let (person, memberships) = app.person(&caller, id)?;
            Ok((person, memberships, app.bodies()?))
        })
        .await?;
    let choices = choices(state, visitor).await?;
    let name = [person.given_name.as_deref(), person.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(render(&PersonPage {
        chrome: visitor.chrome(&state.app),
        id,
        name,
        memberships: memberships
            .iter()
            .map(|m| MembershipRow {
                body_id: m.body_id,
                body: bodies
                    .iter()
                    .find(|b| b.id == m.body_id)
                    .map(|b| b.short_name.clone())
                    .unwrap_or_default(),
                role: m.role.label(),
                starts_on: m.starts_on.to_string(),
                ends_on: m.ends_on.map(|d| d.to_string()).unwrap_or_default(),
            })
            .collect(),
        notice,
        form: form.unwrap_or_else(|| PersonForm::of(&person)),
        errors,
        organizations: choices.organizations,
        groups: choices.groups,
        countries: choices.countries,
    }))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let notice = match q.done.as_str() {
        "created" => Some("The person has been created."),
        "saved" => Some("Saved."),
        _ => None,
    };
    person_page(&state, &visitor, id, None, notice, vec![]).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<PersonForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();

    match state
        .run(move |app| app.save_person(&caller, Some(id), &input?))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/people/{id}?done=saved")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            person_page(&state, &visitor, id, Some(form), None, shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}
