//! Uploading, downloading and deleting a meeting's input documents.

use super::meeting_view::{Extras, PageQuery, View, meeting_page};
use super::{shown, with_status};
use crate::error::PageError;
use crate::visitor::{CsrfForm, CsrfMultipart, Visitor};
use crate::{AppState, blocking};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{AppError, Upload};

pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfMultipart,
) -> Result<Response, PageError> {
    form.visitor.require_user()?;
    let typed = vec![
        ("item_id", form.text("item_id")),
        ("title", form.text("title")),
    ];
    let file = form.file("file");
    let filename = file.and_then(|f| f.filename.clone()).unwrap_or_default();
    let data = file.map(|f| f.data.clone()).unwrap_or_default();
    let caller = form.visitor.caller();
    let app = state.app.clone();
    let item = form.text("item_id");
    let title = form.text("title");
    let uploaded = blocking(move || {
        let upload = Upload {
            item_id: super::bodies::optional_id("item_id", &item)?,
            title,
            filename,
            data,
        };
        app.upload_document(&caller, id, &upload)
    })
    .await;
    match uploaded {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}?done=saved")).into_response()),
        // Shown again on the editing view, beside the upload form's fields.
        Err(AppError::Invalid(errors)) => {
            let extras = Extras {
                errors: shown(&errors),
                ..Extras::typed("document", typed)
            };
            let page = meeting_page(
                &state,
                &form.visitor,
                id,
                &PageQuery::default(),
                View::Edit,
                extras,
            )
            .await?;
            Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(other) => Err(other.into()),
    }
}

/// The file, always as a download and never rendered inline by the browser.
pub async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let (doc, data) = state.run(move |app| app.document(&caller, id)).await?;
    let mut response = data.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&doc.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let ascii: String = doc
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = crate::error::form_urlencode(&doc.filename).replace('+', "%20");
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<super::Empty>,
) -> Result<Response, PageError> {
    let visitor = submitted.visitor;
    visitor.require_user()?;
    let caller = visitor.caller();
    let meeting = state
        .run(move |app| app.delete_document(&caller, id))
        .await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}?done=saved")).into_response())
}
