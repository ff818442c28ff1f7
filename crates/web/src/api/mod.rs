//! The JSON API under `/api/v1`: bearer-token authentication, problem+json errors.

pub mod audit;
pub mod calls;
pub mod directory;
pub(crate) mod guard;
pub mod imports;
pub mod invitations;
pub mod mail;
pub mod me;
pub mod meetings;
pub mod minutes;
pub mod openapi;
pub mod programme;
pub mod registration;
pub mod registration_export;
pub(crate) mod schema;
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
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

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
        let mut value: Value =
            serde_json::from_slice(&bytes).map_err(|e| ApiError::BadJson(e.to_string()))?;
        // Every body of the API is an object, or `null` where a record is taken away (a
        // struct would also read an array).
        if !(value.is_object() || value.is_null()) {
            return Err(ApiError::BadJson("the body must be a JSON object".into()));
        }
        // JSON has one number type: `240.0` is the whole number 240 (JSON Schema's
        // `integer` accepts it).
        integral_numbers(&mut value);
        // The error names the field (`seed: invalid type: null, expected u64`).
        serde_path_to_error::deserialize(value)
            .map(ApiJson)
            .map_err(|e| ApiError::BadJson(e.to_string()))
    }
}

/// For `#[serde(default, deserialize_with = "…")]`: a field that may be left out but is
/// not `null` when present (`Option<T>` alone would read `null` as absent).
pub(crate) fn non_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// An optional date of a body (`null` or absent: none) for a use case that reads an
/// empty text as none: an empty text is refused, naming the field.
pub(crate) fn optional_date(field: &'static str, raw: Option<String>) -> Result<String, ApiError> {
    match raw {
        Some(text) if text.trim().is_empty() => Err(plenary_app::AppError::field(
            field,
            plenary_domain::Problem::Invalid("a date is written YYYY-MM-DD (or null for none)"),
        )
        .into()),
        raw => Ok(raw.unwrap_or_default()),
    }
}

/// Rewrites every whole-valued floating-point number within the range of `i64` as an
/// integer (`3.0` → `3`).
fn integral_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            // 2^63 as an f64. An integer beyond i64 is read as a float of at least 2^63 in
            // magnitude, so the bounds are strict: it stays out of range.
            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
            if let Some(f) = n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f > -LIMIT && *f < LIMIT)
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
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

/// The highest page number asked for (far beyond any list; the offset of a higher one
/// would not fit a 64-bit integer).
pub(crate) const MAX_PAGE: i64 = 1_000_000;

/// The `page` query parameter: a whole number from 1 to [`MAX_PAGE`]; empty or absent is
/// the first.
pub(crate) fn page_number(raw: Option<&str>) -> Result<i64, ApiError> {
    match raw.map(str::trim).unwrap_or_default() {
        "" => Ok(1),
        raw => raw
            .parse()
            .ok()
            .filter(|p: &i64| (1..=MAX_PAGE).contains(p))
            .ok_or_else(|| {
                plenary_app::AppError::field(
                    "page",
                    plenary_domain::Problem::Invalid(
                        "a page number is a whole number from 1 to 1000000",
                    ),
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

/// A role held, in a scope.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Grant")]
pub(crate) struct GrantOut {
    #[schemars(with = "schema::names::Role")]
    role: &'static str,
    #[schemars(with = "schema::Scope")]
    scope: String,
}

impl From<&Grant> for GrantOut {
    fn from(g: &Grant) -> Self {
        GrantOut {
            role: g.role.as_str(),
            scope: scope_text(g.scope),
        }
    }
}

/// An account with its roles.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "User")]
pub(crate) struct UserOut {
    id: i64,
    email: String,
    display_name: String,
    #[schemars(with = "schema::Instant")]
    created_at: String,
    disabled: bool,
    grants: Vec<GrantOut>,
}

impl UserOut {
    pub(crate) fn new(user: &User, grants: &[Grant]) -> Self {
        UserOut {
            id: user.id.0,
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            created_at: instant(user.created_at),
            disabled: user.disabled_at.is_some(),
            grants: grants.iter().map(GrantOut::from).collect(),
        }
    }
}

/// A personal API token (never its secret).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ApiToken")]
pub(crate) struct TokenOut {
    id: i64,
    name: String,
    /// The secret's first characters, to recognise it.
    prefix: String,
    #[schemars(with = "schema::Instant")]
    created_at: String,
    #[schemars(with = "Option<schema::Instant>")]
    last_used_at: Option<String>,
    #[schemars(with = "Option<schema::Instant>")]
    revoked_at: Option<String>,
}

impl From<&ApiToken> for TokenOut {
    fn from(t: &ApiToken) -> Self {
        TokenOut {
            id: t.id.0,
            name: t.name.clone(),
            prefix: t.prefix.clone(),
            created_at: instant(t.created_at),
            last_used_at: t.last_used_at.map(instant),
            revoked_at: t.revoked_at.map(instant),
        }
    }
}
