use super::instant;
use super::schema;
use crate::AppState;
use crate::error::ApiError;
use crate::pages::audit::FilterForm;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Query, State};
use plenary_app::AppError;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// One entry of the audit log.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "AuditEntry")]
pub(crate) struct EntryOut {
    id: i64,
    #[schemars(with = "schema::Instant")]
    at: String,
    actor_user_id: Option<i64>,
    /// Who acted, as the log names them.
    actor: String,
    /// What was done, e.g. `session.create`.
    action: String,
    target_kind: String,
    target_id: Option<String>,
    /// What changed, as recorded.
    #[schemars(with = "schema::AnyValue")]
    detail: Value,
    client_ip: Option<String>,
}

/// A page of the audit log.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "AuditPage")]
pub(crate) struct AuditPage {
    items: Vec<EntryOut>,
    /// `before` for the next, older page; null on the last.
    next_before: Option<i64>,
}

/// The audit log, newest first; `next_before` pages to older entries.
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(form): Query<FilterForm>,
) -> Result<Json<AuditPage>, ApiError> {
    let filter = form.to_filter().map_err(AppError::from)?;
    let entries = state
        .run(move |app| app.audit_log(&caller, &filter))
        .await?;
    let next_before = entries
        .last()
        .filter(|_| entries.len() as i64 >= plenary_app::AUDIT_PAGE_SIZE)
        .map(|e| e.id);
    let items = entries
        .iter()
        .map(|e| EntryOut {
            id: e.id,
            at: instant(e.at),
            actor_user_id: e.actor_user_id.map(|u| u.0),
            actor: e.actor.clone(),
            action: e.action.clone(),
            target_kind: e.target_kind.clone(),
            target_id: e.target_id.clone(),
            detail: serde_json::from_str::<Value>(&e.detail).unwrap_or(Value::Null),
            client_ip: e.client_ip.clone(),
        })
        .collect();
    Ok(Json(AuditPage { items, next_before }))
}
