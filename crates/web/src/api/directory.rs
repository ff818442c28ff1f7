//! The directory over JSON: organizations, people, bodies, memberships, subscriptions.

use super::schema::{self, Items, names};
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
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

/// An organization.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Organization")]
pub(crate) struct OrganizationOut {
    id: i64,
    name: String,
    #[schemars(with = "Option<names::StakeholderGroup>")]
    stakeholder_group: Option<&'static str>,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    /// The UN region of the country.
    region: Option<&'static str>,
}

impl From<&Organization> for OrganizationOut {
    fn from(o: &Organization) -> Self {
        OrganizationOut {
            id: o.id,
            name: o.name.clone(),
            stakeholder_group: o.stakeholder_group.map(|g| g.as_str()),
            country: o.country.clone(),
            region: region_of(o.country.as_deref()),
        }
    }
}

/// A person with personal data: only for those allowed to see it.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Person")]
pub(crate) struct PersonOut {
    id: i64,
    family_name: Option<String>,
    given_name: Option<String>,
    organization_id: Option<i64>,
    /// The organization's name.
    organization: Option<String>,
    #[schemars(with = "Option<names::StakeholderGroup>")]
    stakeholder_group: Option<&'static str>,
    country: Option<String>,
    region: Option<&'static str>,
    gender: Option<String>,
    email: Option<String>,
    /// IANA name.
    time_zone: Option<String>,
    /// The person's account, if they have one.
    user_id: Option<i64>,
}

impl From<&Person> for PersonOut {
    fn from(p: &Person) -> Self {
        PersonOut {
            id: p.id,
            family_name: p.family_name.clone(),
            given_name: p.given_name.clone(),
            organization_id: p.organization_id,
            organization: p.organization.clone(),
            stakeholder_group: p.stakeholder_group.map(|g| g.as_str()),
            country: p.country.clone(),
            region: region_of(p.country.as_deref()),
            gender: p.gender.clone(),
            email: p.email.clone(),
            time_zone: p.time_zone.clone(),
            user_id: p.user_id,
        }
    }
}

/// A person with their memberships, past and present.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "PersonDetail")]
pub(crate) struct PersonDetailOut {
    #[serde(flatten)]
    person: PersonOut,
    memberships: Vec<MembershipOut>,
}

/// What anyone may see of a member: name, organization, group, country.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "PublicPerson")]
pub(crate) struct PublicPersonOut {
    id: i64,
    family_name: Option<String>,
    given_name: Option<String>,
    organization: Option<String>,
    #[schemars(with = "Option<names::StakeholderGroup>")]
    stakeholder_group: Option<&'static str>,
    country: Option<String>,
    region: Option<&'static str>,
}

impl From<&Person> for PublicPersonOut {
    fn from(p: &Person) -> Self {
        PublicPersonOut {
            id: p.id,
            family_name: p.family_name.clone(),
            given_name: p.given_name.clone(),
            organization: p.organization.clone(),
            stakeholder_group: p.stakeholder_group.map(|g| g.as_str()),
            country: p.country.clone(),
            region: region_of(p.country.as_deref()),
        }
    }
}

/// A body: the advisory group, a working group, an intersessional body…
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Body")]
pub(crate) struct BodyOut {
    id: i64,
    parent_id: Option<i64>,
    #[schemars(with = "names::BodyKind")]
    kind: &'static str,
    short_name: String,
    name: String,
    mandate: String,
}

impl From<&Body> for BodyOut {
    fn from(b: &Body) -> Self {
        BodyOut {
            id: b.id,
            parent_id: b.parent_id,
            kind: b.kind.as_str(),
            short_name: b.short_name.clone(),
            name: b.name.clone(),
            mandate: b.mandate.clone(),
        }
    }
}

/// A body with its sub-bodies and its members, current and past.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "BodyDetail")]
pub(crate) struct BodyDetailOut {
    #[serde(flatten)]
    body: BodyOut,
    children: Vec<BodyOut>,
    members: Vec<MemberOut>,
    past_members: Vec<MemberOut>,
}

/// A person's membership of a body.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Membership")]
pub(crate) struct MembershipOut {
    id: i64,
    body_id: i64,
    person_id: i64,
    #[schemars(with = "names::MembershipRole")]
    role: &'static str,
    #[schemars(with = "schema::Date")]
    starts_on: String,
    #[schemars(with = "Option<schema::Date>")]
    ends_on: Option<String>,
    /// The body a liaison links to.
    liaison_body_id: Option<i64>,
}

impl From<&Membership> for MembershipOut {
    fn from(m: &Membership) -> Self {
        MembershipOut {
            id: m.id,
            body_id: m.body_id,
            person_id: m.person_id,
            role: m.role.as_str(),
            starts_on: m.starts_on.to_string(),
            ends_on: m.ends_on.map(|d| d.to_string()),
            liaison_body_id: m.liaison_body_id,
        }
    }
}

/// A membership with what anyone may see of the person.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Member")]
pub(crate) struct MemberOut {
    #[serde(flatten)]
    membership: MembershipOut,
    person: PublicPersonOut,
    /// The short name of the body a liaison links to.
    liaison_to: Option<String>,
}

impl From<&MemberView> for MemberOut {
    fn from(v: &MemberView) -> Self {
        MemberOut {
            membership: MembershipOut::from(&v.membership),
            person: PublicPersonOut::from(&v.person),
            liaison_to: v.liaison_to.clone(),
        }
    }
}

/// One page (of 50) of a directory list, from 1.
#[derive(Serialize, JsonSchema)]
#[schemars(inline)]
pub(crate) struct DirectoryPage<T> {
    items: Vec<T>,
    total: i64,
    page: i64,
}

// ------------------------------------------------------------ organizations

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "OrganizationInput")]
pub struct OrganizationBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    name: String,
    /// A stakeholder group's id; empty or null for none.
    #[serde(default)]
    stakeholder_group: Option<String>,
    /// ISO 3166-1 alpha-2; empty or null for none.
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
) -> Result<Json<DirectoryPage<OrganizationOut>>, ApiError> {
    let page = q.page()?;
    let (items, total) = s
        .run(move |app| app.organizations(&caller, &q.search, page))
        .await?;
    let items = items.iter().map(OrganizationOut::from).collect();
    Ok(Json(DirectoryPage { items, total, page }))
}

pub async fn create_organization(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<OrganizationBody>,
) -> Result<(StatusCode, Json<OrganizationOut>), ApiError> {
    let input = body.into();

    let saved = s
        .run(move |app| app.save_organization(&caller, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(OrganizationOut::from(&saved))))
}

pub async fn show_organization(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<OrganizationOut>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    Ok(Json(OrganizationOut::from(
        &blocking(move || app.organization(&caller, id)).await?,
    )))
}

pub async fn update_organization(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OrganizationBody>,
) -> Result<Json<OrganizationOut>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    let input = body.into();
    Ok(Json(OrganizationOut::from(
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

/// A person: `family_name` or `given_name` is required; empty or null fields are none.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PersonInput")]
pub struct PersonBody {
    #[serde(default)]
    family_name: Option<String>,
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    organization_id: Option<i64>,
    /// A stakeholder group's id.
    #[serde(default)]
    stakeholder_group: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    gender: Option<String>,
    #[serde(default)]
    email: Option<String>,
    /// IANA name, e.g. Europe/Zurich.
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
) -> Result<Json<DirectoryPage<PersonOut>>, ApiError> {
    let page = q.page()?;
    let (items, total) = s
        .run(move |app| app.people(&caller, &q.search, page))
        .await?;
    let items = items.iter().map(PersonOut::from).collect();
    Ok(Json(DirectoryPage { items, total, page }))
}

pub async fn create_person(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<PersonBody>,
) -> Result<(StatusCode, Json<PersonOut>), ApiError> {
    let input = body.into();

    let saved = s
        .run(move |app| app.save_person(&caller, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(PersonOut::from(&saved))))
}

pub async fn show_person(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<PersonDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let (person, memberships) = s.run(move |app| app.person(&caller, id)).await?;
    Ok(Json(PersonDetailOut {
        person: PersonOut::from(&person),
        memberships: memberships.iter().map(MembershipOut::from).collect(),
    }))
}

pub async fn update_person(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonBody>,
) -> Result<Json<PersonOut>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    let input = body.into();
    Ok(Json(PersonOut::from(
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

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BodyInput")]
pub struct BodyBody {
    /// The body this one belongs to.
    #[serde(default)]
    parent_id: Option<i64>,
    #[serde(default)]
    #[schemars(with = "names::BodyKind", extend("x-required" = true))]
    kind: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    short_name: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
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
pub async fn list_bodies(State(s): State<AppState>) -> Result<Json<Items<BodyOut>>, ApiError> {
    let bodies = s.run(move |app| app.bodies()).await?;
    Ok(Json(Items::of(bodies.iter().map(BodyOut::from))))
}

pub async fn create_body(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<BodyBody>,
) -> Result<(StatusCode, Json<BodyOut>), ApiError> {
    let input = body.into();

    let saved = s
        .run(move |app| app.save_body(&caller, None, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(BodyOut::from(&saved))))
}

/// A body with its sub-bodies and members (public).
pub async fn show_body(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<BodyDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let page = s.run(move |app| app.body_page(id)).await?;
    Ok(Json(BodyDetailOut {
        body: BodyOut::from(&page.body),
        children: page.children.iter().map(BodyOut::from).collect(),
        members: page.current.iter().map(MemberOut::from).collect(),
        past_members: page.past.iter().map(MemberOut::from).collect(),
    }))
}

pub async fn update_body(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<BodyBody>,
) -> Result<Json<BodyOut>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    let input = body.into();
    Ok(Json(BodyOut::from(
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

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MembershipInput")]
pub struct MembershipBody {
    #[serde(default)]
    #[schemars(with = "i64", extend("x-required" = true))]
    person_id: Option<i64>,
    #[serde(default)]
    #[schemars(with = "names::MembershipRole", extend("x-required" = true))]
    role: String,
    #[serde(default)]
    #[schemars(with = "schema::Date", extend("x-required" = true))]
    starts_on: String,
    /// Null or left out while the term runs.
    #[serde(default)]
    #[schemars(with = "Option<schema::Date>")]
    ends_on: Option<String>,
    /// Required for a liaison: the body it links to.
    #[serde(default)]
    liaison_body_id: Option<i64>,
}

pub async fn add_membership(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MembershipBody>,
) -> Result<(StatusCode, Json<MembershipOut>), ApiError> {
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
    Ok((StatusCode::CREATED, Json(MembershipOut::from(&m))))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MembershipEnd")]
pub struct EndBody {
    #[serde(default)]
    #[schemars(with = "schema::Date", extend("x-required" = true))]
    ends_on: String,
}

pub async fn end_membership(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndBody>,
) -> Result<Json<MembershipOut>, ApiError> {
    let id = path_id(&id)?;
    let app = s.app.clone();
    Ok(Json(MembershipOut::from(
        &blocking(move || app.end_membership(&caller, id, &body.ends_on)).await?,
    )))
}

// ------------------------------------------------------------ subscriptions

pub async fn list_subscribers(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Items<PersonOut>>, ApiError> {
    let body_id = path_id(&id)?;
    let people = s.run(move |app| app.subscribers(&caller, body_id)).await?;
    Ok(Json(Items::of(people.iter().map(PersonOut::from))))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Subscription")]
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
