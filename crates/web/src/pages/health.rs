use crate::{AppState, blocking};
use axum::extract::State;
use axum::http::StatusCode;

/// `200 ok` when the database answers, `503` otherwise.
pub async fn show(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let app = state.app.clone();
    match blocking(move || app.health()).await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n"),
    }
}
