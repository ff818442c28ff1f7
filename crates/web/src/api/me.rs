use super::UserOut;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use plenary_app::AppError;

/// The account of the bearer token.
pub async fn show(ApiCaller(_, user): ApiCaller) -> Result<Json<UserOut>, ApiError> {
    let user = user.ok_or(AppError::SignInRequired)?;
    Ok(Json(UserOut::new(&user.user, &user.grants)))
}
