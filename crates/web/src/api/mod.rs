//! The JSON API under `/api/v1`: bearer-token authentication, problem+json errors.

pub mod audit;
pub mod calls;
pub mod directory;
pub(crate) mod guard;
pub mod imports;
pub mod mail;
pub mod me;
pub mod meetings;
pub mod minutes;
pub mod openapi;
pub mod programme;
pub mod registration;
pub mod registration_export;
pub mod tokens;
pub mod users;
pub mod visa;

use crate::AppState;
use crate::error::ApiError;
use crate::pages::admin_users::scope_text;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use chrono::{DateTime, SecondsFormat, Utc};
use plenary_app::{ApiToken, User};
use plenary_domain::Grant;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A JSON body whose errors are reported as problem documents naming the field.
pub(crate) struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        // A body sent as something else is refused unread (a form posted from another
        // site cannot pass as JSON); a body without any type is refused once read.
        let declared = req.headers().get(header::CONTENT_TYPE).cloned();
        if declared.as_ref().is_some_and(|v| !is_json(v)) {
            return Err(ApiError::NotJson);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadJson(e.to_string())
            }
        })?;
        if declared.is_none() && !bytes.is_empty() {
            return Err(ApiError::NotJson);
        }
        serde_json::from_slice(&bytes)
            .map(ApiJson)
            .map_err(|e| ApiError::BadJson(e.to_string()))
    }
}

/// Whether a `Content-Type` names JSON: `application/json` or a `+json` type such as
/// `application/merge-patch+json`, with any parameters (`; charset=utf-8`).
fn is_json(value: &HeaderValue) -> bool {
    let Ok(text) = value.to_str() else {
        return false;
    };
    let essence = text.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.len() > "+json".len() && sub.ends_with("+json"))
}

/// The `page` query parameter: a whole number from 1; empty or absent is the first.
pub(crate) fn page_number(raw: Option<&str>) -> Result<i64, ApiError> {
    match raw.map(str::trim).unwrap_or_default() {
        "" => Ok(1),
        raw => raw.parse().ok().filter(|p: &i64| *p >= 1).ok_or_else(|| {
            plenary_app::AppError::field(
                "page",
                plenary_domain::Problem::Invalid("a page number is a whole number from 1"),
            )
            .into()
        }),
    }
}

/// A numeric id from the path; anything else is "not found".
pub(crate) fn path_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

pub(crate) fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn grant_json(g: &Grant) -> Value {
    json!({ "role": g.role.as_str(), "scope": scope_text(g.scope) })
}

pub(crate) fn user_json(user: &User, grants: &[Grant]) -> Value {
    json!({
        "id": user.id.0,
        "email": user.email,
        "display_name": user.display_name,
        "created_at": instant(user.created_at),
        "disabled": user.disabled_at.is_some(),
        "grants": grants.iter().map(grant_json).collect::<Vec<_>>(),
    })
}

pub(crate) fn token_json(t: &ApiToken) -> Value {
    json!({
        "id": t.id.0,
        "name": t.name,
        "prefix": t.prefix,
        "created_at": instant(t.created_at),
        "last_used_at": t.last_used_at.map(instant),
        "revoked_at": t.revoked_at.map(instant),
    })
}
