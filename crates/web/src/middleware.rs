//! Layers around every route: security headers, the anonymous CSRF nonce cookie, and
//! a request log line that names the route pattern (never the raw path, which may
//! carry a reset token).

use crate::AppState;
use crate::visitor::{ANON_COOKIE, AnonNonce, cookie, read_cookie};
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::Response;
use std::time::Instant;

pub(crate) fn wrap(router: Router<AppState>, state: AppState) -> Router<AppState> {
    router
        .layer(from_fn_with_state(state, anonymous_nonce))
        .layer(from_fn(security_headers))
        .layer(from_fn(log_request))
}

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

async fn security_headers(request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    // A handler that set its own (the public programme: `no-cache` with an ETag) keeps it.
    if !is_static && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Gives every browser a random nonce cookie so that anonymous forms (sign-in, reset)
/// carry a CSRF token bound to it.
async fn anonymous_nonce(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") || path.starts_with("/static/") || path == "/healthz" {
        return next.run(request).await;
    }
    let existing = read_cookie(request.headers(), ANON_COOKIE)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let (nonce, is_new) = match existing {
        Some(n) => (n, false),
        None => (plenary_app::random_token(), true),
    };
    request.extensions_mut().insert(AnonNonce(nonce.clone()));
    let mut response = next.run(request).await;
    if is_new {
        let value = cookie(&state.web, ANON_COOKIE, &nonce, None);
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    tracing::info!(
        %method,
        %route,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}
