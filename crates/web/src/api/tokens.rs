use super::schema::Items;
use super::{ApiJson, TokenOut, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plenary_domain::ApiTokenId;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
) -> Result<Json<Items<TokenOut>>, ApiError> {
    let tokens = state.run(move |app| app.my_api_tokens(&caller)).await?;
    Ok(Json(Items::of(tokens.iter().map(TokenOut::from))))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewApiToken")]
pub struct NewToken {
    /// What the token is for.
    #[schemars(length(max = 200))]
    name: String,
}

/// A new token with its secret, shown this once.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ApiTokenWithSecret")]
pub(crate) struct CreatedToken {
    #[serde(flatten)]
    token: TokenOut,
    /// The bearer token: `Authorization: Bearer …`.
    secret: String,
}

/// Creates a token; the secret is in this response only.
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let created = state
        .run(move |app| app.create_api_token(&caller, &body.name))
        .await?;
    let token = CreatedToken {
        token: TokenOut::from(&created.token),
        secret: created.secret,
    };
    Ok((StatusCode::CREATED, Json(token)))
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
