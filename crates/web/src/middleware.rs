//! Layers around every route: security headers, the anonymous CSRF nonce cookie, and
//! a request log line that names the route pattern (never the raw path, which may
//! carry a reset token).

use crate::AppState;
use crate::error::status_problem;
use crate::visitor::{ANON_COOKIE, AnonNonce, cookie, read_cookie};
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::Response;
use std::time::Instant;

pub(crate) fn wrap(router: Router<AppState>, state: AppState) -> Router<AppState> {
    router
        .layer(from_fn(api_problems))
        .layer(from_fn_with_state(state.clone(), anonymous_nonce))
        .layer(from_fn_with_state(state, security_headers))
        .layer(from_fn(log_request))
}

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// Browsers that once reached an HTTPS deployment never try plain HTTP again.
const HSTS: &str = "max-age=31536000; includeSubDomains";

async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Only when the public address is https: over plain HTTP (a local trial) the header
    // is ignored by browsers anyway, and it would pin a name that has no certificate.
    if state.app.config().base_url.starts_with("https://") {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
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

/// Every error under `/api/` is a problem document, also those no handler wrote: the
/// fallback's 404, the method router's 405 (its `Allow` header kept), the body limit's
/// 413 and axum's extractor rejections (plain text, whose short message becomes the
/// detail).
async fn api_problems(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let is_json = content_type.starts_with("application/json")
        || content_type.starts_with("application/problem+json");
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let is_text = content_type.starts_with("text/plain");
    let (parts, body) = response.into_parts();
    let detail = match axum::body::to_bytes(body, 4096).await {
        Ok(bytes) if is_text && !bytes.is_empty() => String::from_utf8_lossy(&bytes).into_owned(),
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let mut problem = status_problem(status, detail);
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().append(name, value.clone());
        }
    }
    problem
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
