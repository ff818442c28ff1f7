//! The import API: the document is the request body (any bytes; the importer says
//! when they are not a text document), the file name and body are query parameters.

use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use plenary_app::import::{ImportOutcome, ImportReport, ImportRequest};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    #[serde(default)]
    file_name: String,
    #[serde(default)]
    body: Option<String>,
}

/// `POST /api/v1/imports/preview`: the extraction (IMPORT-JSON shape); nothing stored.
pub async fn preview(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let extraction = s
        .run(move |app| app.preview_import(&caller, &q.file_name, &body))
        .await?;
    Ok(Json(
        serde_json::to_value(&extraction).unwrap_or(Value::Null),
    ))
}

/// `POST /api/v1/imports`: stores the document's meeting; 201 when created, 200 when
/// an earlier import was updated or nothing changed.
pub async fn import(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let request = ImportRequest {
        file_name: q.file_name,
        bytes: body.to_vec(),
        body: q.body.filter(|b| !b.trim().is_empty()),
    };
    let report = s
        .run(move |app| app.import_document(&caller, request))
        .await?;
    let status = match report.outcome {
        ImportOutcome::Created { .. } => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    Ok((status, Json(report_json(&report))))
}

pub(crate) fn report_json(report: &ImportReport) -> Value {
    let (outcome, meeting_id) = match report.outcome {
        ImportOutcome::Created { meeting_id } => ("created", meeting_id),
        ImportOutcome::Updated { meeting_id } => ("updated", meeting_id),
        ImportOutcome::Unchanged { meeting_id } => ("unchanged", meeting_id),
    };
    json!({
        "file_name": report.file_name,
        "outcome": outcome,
        "meeting_id": meeting_id,
        "notes": report.notes,
        "persons_created": report.persons_created,
        "attendance": report.attendance,
        "extraction": serde_json::to_value(&report.extraction).unwrap_or(Value::Null),
    })
}
