//! A file as a response: its type, whether the browser shows it or saves it, the name
//! to save it under (ASCII, so that it needs no encoding), and whether caches may keep it
//! (files with personal data are `no-store`).

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, Copy)]
pub(crate) enum Show {
    Inline,
    Attachment,
}

pub(crate) fn file(
    content_type: &str,
    show: Show,
    file_name: &str,
    private: bool,
    body: impl Into<Body>,
) -> Response {
    let show = match show {
        Show::Inline => "inline",
        Show::Attachment => "attachment",
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{show}; filename=\"{file_name}\""),
            ),
        ],
        body.into(),
    )
        .into_response();
    if private {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    response
}

/// A PDF with personal data, to be saved (visa letters).
pub(crate) fn private_pdf(file_name: &str, data: Vec<u8>) -> Response {
    file("application/pdf", Show::Attachment, file_name, true, data)
}
