//! iCalendar downloads: one meeting, and a subscribable feed per body.

use crate::AppState;
use crate::error::PageError;
use crate::visitor::Visitor;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

fn ics(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn meeting(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let signed_in = caller.principal.user_id().is_some();
    let text = state
        .run(move |app| app.meeting_calendar(&caller, id))
        .await?;
    let mut response = ics(text, &format!("meeting-{id}.ics"));
    if signed_in {
        // A signed-in person's copy may carry the link to join: no cache keeps it.
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(response)
}

pub async fn body(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let text = state.run(move |app| app.body_calendar(id)).await?;
    Ok(ics(text, &format!("body-{id}.ics")))
}
