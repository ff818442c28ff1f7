use super::schema::{Page, names};
use super::{ApiJson, UserOut, path_id};
use crate::error::ApiError;
use crate::pages::admin_users::{parse_role, parse_scope};
use crate::visitor::ApiCaller;
use crate::{AppState, blocking};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use plenary_app::{AppError, NewAccount, UserDetail};
use plenary_domain::{FieldError, Grant, UserId};
use schemars::JsonSchema;
use serde::Deserialize;

fn detail_json(d: &UserDetail) -> Json<UserOut> {
    Json(UserOut::new(&d.user, &d.grants))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    search: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<UserOut>>, ApiError> {
    let page = super::page_number(q.page.as_deref())?;
    let list = state
        .run(move |app| app.list_users(&caller, q.search.as_deref(), page))
        .await?;
    Ok(Json(Page {
        items: list.users.iter().map(|u| UserOut::new(u, &[])).collect(),
        total: list.total,
        page: list.page,
        page_size: list.page_size,
    }))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GrantInput")]
pub struct GrantBody {
    #[schemars(with = "names::Role")]
    role: String,
    /// Global when left out.
    #[serde(default)]
    #[schemars(with = "super::schema::Scope")]
    scope: String,
}

fn grant_from(body: &GrantBody) -> Result<Grant, FieldError> {
    Ok(Grant {
        role: parse_role(&body.role)?,
        scope: parse_scope(&body.scope)?,
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewUser")]
pub struct NewUserBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    email: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    display_name: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(min = 10))]
    password: String,
    #[serde(default)]
    grants: Vec<GrantBody>,
}

pub async fn create(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<UserOut>), ApiError> {
    let grants = body
        .grants
        .iter()
        .map(grant_from)
        .collect::<Result<Vec<_>, _>>()
        .map_err(AppError::from)?;
    let account = NewAccount {
        email: body.email,
        display_name: body.display_name,
        password: body.password,
        grants,
    };
    let detail = state
        .run(move |app| app.create_user(&caller, &account))
        .await?;
    Ok((StatusCode::CREATED, detail_json(&detail)))
}

pub async fn show(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<UserOut>, ApiError> {
    let id = UserId(path_id(&id)?);
    let app = state.app.clone();
    Ok(detail_json(
        &blocking(move || app.user_detail(&caller, id)).await?,
    ))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "UserUpdate")]
pub struct UpdateBody {
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "bool")]
    disabled: Option<bool>,
}

pub async fn update(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> Result<Json<UserOut>, ApiError> {
    let id = UserId(path_id(&id)?);
    let detail = state
        .run(move |app| match body.disabled {
            Some(disabled) => app.set_user_disabled(&caller, id, disabled),
            None => app.user_detail(&caller, id),
        })
        .await?;
    Ok(detail_json(&detail))
}

pub async fn add_grant(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GrantBody>,
) -> Result<Json<UserOut>, ApiError> {
    let id = UserId(path_id(&id)?);
    let grant = grant_from(&body).map_err(AppError::from)?;
    let app = state.app.clone();
    Ok(detail_json(
        &blocking(move || app.grant_role(&caller, id, grant)).await?,
    ))
}

pub async fn remove_grant(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, role, scope)): Path<(String, String, String)>,
) -> Result<Json<UserOut>, ApiError> {
    let id = UserId(path_id(&id)?);
    let grant = grant_from(&GrantBody { role, scope }).map_err(AppError::from)?;
    let app = state.app.clone();
    Ok(detail_json(
        &blocking(move || app.revoke_role(&caller, id, grant)).await?,
    ))
}
