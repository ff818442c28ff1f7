//! The import API: the document is the request body (any bytes: text, Word or PDF; the
//! importer says when they are no document it can read), the file name and body are
//! query parameters.

use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use plenary_app::import::{ImportOutcome, ImportReport, ImportRequest};
use plenary_domain::import::Extraction;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
) -> Result<Json<Extraction>, ApiError> {
    let read = s
        .run(move |app| app.preview_import(&caller, &q.file_name, &body))
        .await?;
    Ok(Json(read.extraction))
}

/// `POST /api/v1/imports`: stores the document's meeting; 201 when created, 200 when
/// an earlier import was updated or nothing changed.
pub async fn import(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ReportOut>), ApiError> {
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
    Ok((status, Json(ReportOut::from(report))))
}

/// What an import stored.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ImportReport")]
pub(crate) struct ReportOut {
    file_name: String,
    outcome: Outcome,
    /// The meeting created, updated or left unchanged.
    meeting_id: i64,
    /// What storing decided that the document did not say.
    notes: Vec<String>,
    /// People created in the directory because no one had their exact name.
    persons_created: usize,
    /// The meeting's attendance rows.
    attendance: usize,
    extraction: Extraction,
}

/// Whether the import created a meeting, updated the one an earlier import of the same
/// document created, or found nothing to change.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ImportOutcome")]
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

impl From<ImportReport> for ReportOut {
    fn from(report: ImportReport) -> Self {
        let (outcome, meeting_id) = match report.outcome {
            ImportOutcome::Created { meeting_id } => (Outcome::Created, meeting_id),
            ImportOutcome::Updated { meeting_id } => (Outcome::Updated, meeting_id),
            ImportOutcome::Unchanged { meeting_id } => (Outcome::Unchanged, meeting_id),
        };
        ReportOut {
            file_name: report.file_name,
            outcome,
            meeting_id,
            notes: report.notes,
            persons_created: report.persons_created,
            attendance: report.attendance,
            extraction: report.extraction,
        }
    }
}
