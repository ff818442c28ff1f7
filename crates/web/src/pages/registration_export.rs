//! The secretariat's downloads of an event's registrations, as CSV and XLSX, with the
//! filters of the list page (`/admin/events/{id}/registrations`), streamed.

use crate::AppState;
use crate::error::PageError;
use crate::visitor::Visitor;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use plenary_app::export::Format;
use plenary_app::registration::RegistrationQuery;
use serde::Deserialize;

/// The list page's filters (its page number, if any, is ignored: an export holds
/// every page).
#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    category_id: String,
}

async fn download(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    q: ExportQuery,
    format: Format,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let query = RegistrationQuery {
        search: q.q,
        status: q.status,
        category_id: q.category_id,
        page: 1,
    };
    let export = state
        .run(move |app| app.export_registrations(&caller, id, &query, format))
        .await?;
    Ok(crate::stream::file(export))
}

pub async fn csv(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    download(&state, &visitor, id, q, Format::Csv).await
}

pub async fn xlsx(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    download(&state, &visitor, id, q, Format::Xlsx).await
}
