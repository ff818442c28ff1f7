//! The generated summary document of a meeting, as Markdown or plain text.

use super::meeting_view::{Extras, PageQuery, View, meeting_page};
use super::{ShownError, shown, with_status};
use crate::AppState;
use crate::error::PageError;
use crate::visitor::{CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "summary.html")]
struct SummaryPage<'a> {
    chrome: crate::visitor::Chrome,
    s: &'a plenary_domain::summary::Summary,
}

/// The summary as a web page.
pub async fn html(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let summary = state
        .run(move |app| app.meeting_summary(&caller, id))
        .await?;
    Ok(crate::error::render(&SummaryPage {
        chrome: visitor.chrome(&state.app),
        s: &summary,
    }))
}

/// The summary as a standalone HTML document (for `plenary export summary --format html`).
pub fn standalone_html(
    summary: &plenary_domain::summary::Summary,
) -> Result<String, askama::Error> {
    let chrome = crate::visitor::Chrome {
        user: None,
        csrf: String::new(),
        version: env!("CARGO_PKG_VERSION"),
    };
    SummaryPage { chrome, s: summary }.render()
}

/// The summary rendered by `render`, served inline with its type and file name.
async fn summary_file(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    content_type: &'static str,
    extension: &str,
    render: fn(&plenary_domain::summary::Summary) -> Vec<u8>,
) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let summary = state
        .run(move |app| app.meeting_summary(&caller, id))
        .await?;
    let disposition = format!("inline; filename=\"meeting-{id}-summary.{extension}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        render(&summary),
    )
        .into_response())
}

pub async fn markdown(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    summary_file(
        &state,
        &visitor,
        id,
        "text/markdown; charset=utf-8",
        "md",
        |s| plenary_domain::summary::markdown(s).into_bytes(),
    )
    .await
}

pub async fn text(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    summary_file(
        &state,
        &visitor,
        id,
        "text/plain; charset=utf-8",
        "txt",
        |s| plenary_domain::summary::text(s).into_bytes(),
    )
    .await
}

pub async fn pdf(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    summary_file(
        &state,
        &visitor,
        id,
        "application/pdf",
        "pdf",
        plenary_app::pdf::summary_pdf,
    )
    .await
}

#[derive(Deserialize)]
pub struct CarryOverForm {
    #[serde(default)]
    day_id: String,
}

/// Adds "Review of open actions" from the body's previous meeting to a day.
pub async fn carry_over(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<CarryOverForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let carried = state
        .run(move |app| {
            let day = super::bodies::optional_id("day_id", &form.day_id)?
                .ok_or_else(|| AppError::field("day_id", plenary_domain::Problem::Required))?;
            app.carry_over_open_actions(&caller, id, day)
        })
        .await;
    // A refusal is shown beside the day chosen, on the editing view.
    let (errors, status) = match carried {
        Ok(_) => return Ok(Redirect::to(&format!("/meetings/{id}?done=saved")).into_response()),
        Err(AppError::Invalid(errors)) => (shown(&errors), StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Refused(why)) => (
            vec![ShownError {
                field: "day_id",
                message: why.to_string(),
            }],
            StatusCode::CONFLICT,
        ),
        Err(other) => return Err(other.into()),
    };
    let extras = Extras {
        errors,
        ..Extras::of("carry")
    };
    let page = meeting_page(
        &state,
        &visitor,
        id,
        &PageQuery::default(),
        View::Edit,
        extras,
    )
    .await?;
    Ok(with_status(page, status))
}
