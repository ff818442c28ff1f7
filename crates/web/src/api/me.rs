use super::user_json;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use plenary_app::AppError;
use serde_json::Value;

/// The account of the bearer token.
pub async fn show(ApiCaller(_, user): ApiCaller) -> Result<Json<Value>, ApiError> {
    let user = user.ok_or(AppError::SignInRequired)?;
    Ok(Json(user_json(&user.user, &user.grants)))
}
