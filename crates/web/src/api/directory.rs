//! The directory over JSON: organizations, people, bodies, memberships, subscriptions.

use super::{ApiJson, path_id};
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use plenary_app::{
    AppError, Body, BodyInput, MemberView, Membership, MembershipInput, Organization,
    OrganizationInput, Person, PersonInput,
};
use plenary_domain::geo::Country;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    search: String,
    #[serde(default)]
    page: Option<String>,
}

impl SearchQuery {
    fn page(&self) -> Result<i64, ApiError> {
        super::page_number(self.page.as_deref())
    }
}

fn region_of(country: Option<&str>) -> Option<&'static str> {
    country
        .and_then(|c| Country::parse("country", c).ok())
        .and_then(|c| c.region())
        .map(|r| r.as_str())
}

pub(crate) fn organization_json(o: &Organization) -> Value {
    json!({
        "id": o.id,
        "name": o.name,
        "stakeholder_group": o.stakeholder_group.map(|g| g.as_str()),
        "country": o.country,
        "region": region_of(o.country.as_deref()),
    })
}

/// A person with personal data: only for those allowed to see it.
pub(crate) fn person_json(p: &Person) -> Value {
    json!({
        "id": p.id,
        "family_name": p.family_name,
        "given_name": p.given_name,
        "organization_id": p.organization_id,
        "organization": p.organization,
        "stakeholder_group": p.stakeholder_group.map(|g| g.as_str()),
        "country": p.country,
        "region": region_of(p.country.as_deref()),
        "gender": p.gender,
        "email": p.email,
        "time_zone": p.time_zone,
        "user_id": p.user_id,
    })
}

/// What anyone may see of a member: name, organization, group, country.
fn public_person_json(p: &Person) -> Value {
    json!({
        "id": p.id,
        "family_name": p.family_name,
        "given_name": p.given_name,
        "organization": p.organization,
        "stakeholder_group": p.stakeholder_group.map(|g| g.as_str()),
        "country": p.country,
        "region": region_of(p.country.as_deref()),
    })
}

pub(crate) fn body_json(b: &Body) -> Value {
    json!({ "id": b.id, "parent_id": b.parent_id, "kind": b.kind.as_str(), "short_name": b.short_name, "name": b.name, "mandate": b.mandate })
}

fn membership_json(m: &Membership) -> Value {
    json!({
        "id": m.id,
        "body_id": m.body_id,
        "person_id": m.person_id,
        "role": m.role.as_str(),
        "starts_on": m.starts_on.to_string(),
        "ends_on": m.ends_on.map(|d| d.to_string()),
        "liaison_body_id": m.liaison_body_id,
    })
}

fn member_json(v: &MemberView) -> Value {
    let mut value = membership_json(&v.membership);
    value["person"] = public_person_json(&v.person);
    value["liaison_to"] = json!(v.liaison_to);
    value
}

// ------------------------------------------------------------ organizations

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    stakeholder_group: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

impl From<OrganizationBody> for OrganizationInput {
    fn from(b: OrganizationBody) -> Self {
        OrganizationInput {
            name: b.name,
            stakeholder_group: b.stakeholder_group.unwrap_or_default(),
            country: b.country.unwrap_or_default(),
        }
    }
}

pub async fn list_organizations(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Value>, ApiError> {
    let page = q.page()?;
    let (items, total) = s
        .run(move |app| app.organizations(&caller, &q.search, page))
        .await?;
    Ok(Json(
        json!({ "items": items.iter().map(organization_json).collect::<Vec<_>>(), "total": total, "page": page }),
    ))
}

pub async fn create_organization(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<OrganizationBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let input = body.into();

    let saved = s
        .run(move |app| app.save_organization(&caller, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(organization_json(&saved))))
}

pub async fn show_organization(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    Ok(Json(organization_json(
        &blocking(move || app.organization(&caller, id)).await?,
    )))
}

pub async fn update_organization(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OrganizationBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    let input = body.into();
    Ok(Json(organization_json(
        &blocking(move || app.save_organization(&caller, Some(id), &input)).await?,
    )))
}

pub async fn delete_organization(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    s.run(move |app| app.delete_organization(&caller, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------ people

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    #[serde(default)]
    family_name: Option<String>,
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    organization_id: Option<i64>,
    #[serde(default)]
    stakeholder_group: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    gender: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    time_zone: Option<String>,
}

impl From<PersonBody> for PersonInput {
    fn from(b: PersonBody) -> Self {
        PersonInput {
            family_name: b.family_name.unwrap_or_default(),
            given_name: b.given_name.unwrap_or_default(),
            organization_id: b.organization_id,
            stakeholder_group: b.stakeholder_group.unwrap_or_default(),
            country: b.country.unwrap_or_default(),
            gender: b.gender.unwrap_or_default(),
            email: b.email.unwrap_or_default(),
            time_zone: b.time_zone.unwrap_or_default(),
        }
    }
}

pub async fn list_people(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Value>, ApiError> {
    let page = q.page()?;
    let (items, total) = s
        .run(move |app| app.people(&caller, &q.search, page))
        .await?;
    Ok(Json(
        json!({ "items": items.iter().map(person_json).collect::<Vec<_>>(), "total": total, "page": page }),
    ))
}

pub async fn create_person(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<PersonBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let input = body.into();

    let saved = s
        .run(move |app| app.save_person(&caller, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(person_json(&saved))))
}

pub async fn show_person(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let (person, memberships) = s.run(move |app| app.person(&caller, id)).await?;
    let mut value = person_json(&person);
    value["memberships"] = memberships.iter().map(membership_json).collect();
    Ok(Json(value))
}

pub async fn update_person(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    let input = body.into();
    Ok(Json(person_json(
        &blocking(move || app.save_person(&caller, Some(id), &input)).await?,
    )))
}

pub async fn delete_person(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    s.run(move |app| app.delete_person(&caller, id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------ bodies

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyBody {
    #[serde(default)]
    parent_id: Option<i64>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    mandate: String,
}

impl From<BodyBody> for BodyInput {
    fn from(b: BodyBody) -> Self {
        BodyInput {
            parent_id: b.parent_id,
            kind: b.kind,
            short_name: b.short_name,
            name: b.name,
            mandate: b.mandate,
        }
    }
}

/// Every body (public).
pub async fn list_bodies(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let bodies = s.run(move |app| app.bodies()).await?;
    Ok(Json(
        json!({ "items": bodies.iter().map(body_json).collect::<Vec<_>>() }),
    ))
}

pub async fn create_body(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<BodyBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let input = body.into();

    let saved = s
        .run(move |app| app.save_body(&caller, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(body_json(&saved))))
}

/// A body with its sub-bodies and members (public).
pub async fn show_body(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let page = s.run(move |app| app.body_page(id)).await?;
    let mut value = body_json(&page.body);
    value["children"] = page.children.iter().map(body_json).collect();
    value["members"] = page.current.iter().map(member_json).collect();
    value["past_members"] = page.past.iter().map(member_json).collect();
    Ok(Json(value))
}

pub async fn update_body(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<BodyBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    let input = body.into();
    Ok(Json(body_json(
        &blocking(move || app.save_body(&caller, Some(id), &input)).await?,
    )))
}

pub async fn delete_body(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    s.run(move |app| app.delete_body(&caller, id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------ memberships

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipBody {
    #[serde(default)]
    person_id: Option<i64>,
    #[serde(default)]
    role: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: Option<String>,
    #[serde(default)]
    liaison_body_id: Option<i64>,
}

pub async fn add_membership(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MembershipBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body_id = path_id(&id)?;
    let input = MembershipInput {
        person_id: body.person_id,
        role: body.role,
        starts_on: body.starts_on,
        ends_on: super::optional_date("ends_on", body.ends_on)?,
        liaison_body_id: body.liaison_body_id,
    };
    let m = s
        .run(move |app| app.add_membership(&caller, body_id, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(membership_json(&m))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndBody {
    #[serde(default)]
    ends_on: String,
}

pub async fn end_membership(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    Ok(Json(membership_json(
        &blocking(move || app.end_membership(&caller, id, &body.ends_on)).await?,
    )))
}

// ------------------------------------------------------------ subscriptions

pub async fn list_subscribers(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let body_id = path_id(&id)?;
    let people = s.run(move |app| app.subscribers(&caller, body_id)).await?;
    Ok(Json(
        json!({ "items": people.iter().map(person_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscribeBody {
    person_id: i64,
}

pub async fn subscribe(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SubscribeBody>,
) -> Result<StatusCode, ApiError> {
    let body_id = path_id(&id)?;
    s.run(move |app| app.set_subscription(&caller, body_id, body.person_id, true))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn unsubscribe(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, person)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let body_id = path_id(&id)?;
    let person_id = path_id(&person)?;
    s.run(move |app| app.set_subscription(&caller, body_id, person_id, false))
        .await
        .map_err(|e| match e {
            // The person is named by the path: an unknown one is not found.
            AppError::Invalid(errors) if errors.iter().all(|f| f.field == "person_id") => {
                ApiError::NotFound
            }
            e => ApiError::App(e),
        })?;
    Ok(StatusCode::NO_CONTENT)
}
