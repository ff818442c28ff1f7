use super::instant;
use crate::AppState;
use crate::error::ApiError;
use crate::pages::audit::FilterForm;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Query, State};
use plenary_app::AppError;
use serde_json::{Value, json};

/// The audit log, newest first; `next_before` pages to older entries.
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(form): Query<FilterForm>,
) -> Result<Json<Value>, ApiError> {
    let filter = form.to_filter().map_err(AppError::from)?;
    let entries = state
        .run(move |app| app.audit_log(&caller, &filter))
        .await?;
    let next_before = entries
        .last()
        .filter(|_| entries.len() as i64 >= plenary_app::AUDIT_PAGE_SIZE)
        .map(|e| e.id);
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "at": instant(e.at),
                "actor_user_id": e.actor_user_id.map(|u| u.0),
                "actor": e.actor,
                "action": e.action,
                "target_kind": e.target_kind,
                "target_id": e.target_id,
                "detail": serde_json::from_str::<Value>(&e.detail).unwrap_or(Value::Null),
                "client_ip": e.client_ip,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items, "next_before": next_before })))
}
