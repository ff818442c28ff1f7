use super::{ApiJson, path_id, token_json};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plenary_domain::ApiTokenId;
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
) -> Result<Json<Value>, ApiError> {
    let tokens = state.run(move |app| app.my_api_tokens(&caller)).await?;
    Ok(Json(
        json!({ "items": tokens.iter().map(token_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    name: String,
}

/// Creates a token; the secret is in this response only.
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let created = state
        .run(move |app| app.create_api_token(&caller, &body.name))
        .await?;
    let mut value = token_json(&created.token);
    value["secret"] = json!(created.secret);
    Ok((StatusCode::CREATED, Json(value)))
}

pub async fn revoke(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = ApiTokenId(path_id(&id)?);
    state
        .run(move |app| app.revoke_api_token(&caller, id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
