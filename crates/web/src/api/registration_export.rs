//! `GET /api/v1/events/{id}/registrations/export?format=csv|xlsx`: the secretariat's
//! export of an event's registrations, with the list's filters, streamed.

use super::path_id;
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use plenary_app::export::Format;
use plenary_app::registration::RegistrationQuery;
use plenary_domain::{FieldError, Problem};
use serde::Deserialize;

/// Unknown parameters are refused: a misspelt filter must not silently export more
/// personal data than was asked for.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    #[serde(default)]
    format: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    category_id: String,
}

pub async fn export(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let Query(q) = query.map_err(|e| {
        ApiError::BadQuery(vec![FieldError::new(
            "query",
            Problem::Explained(e.body_text()),
        )])
    })?;
    let format = Format::parse("format", &q.format).map_err(|e| ApiError::BadQuery(vec![e]))?;
    let query = RegistrationQuery {
        search: q.q,
        status: q.status,
        category_id: q.category_id,
        page: 1,
    };
    let export = s
        .run(move |app| app.export_registrations(&caller, id, &query, format))
        .await?;
    Ok(crate::stream::file(export))
}
