use axum::http::header;
use axum::response::IntoResponse;

const STYLESHEET: &str = include_str!("../../static/style.css");

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

const FAVICON: &str = include_str!("../../static/favicon.svg");

/// The site's icon, as SVG (browsers also ask for `/favicon.ico`: the same bytes).
pub async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}
