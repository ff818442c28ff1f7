//! Who is asking: the session cookie, the anonymous CSRF nonce, the client address,
//! the bearer token of API calls, and CSRF-checked forms.

use crate::error::{ApiError, PageError};
use crate::{AppState, WebConfig, blocking};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use plenary_app::{App, Caller, SessionUser};
use plenary_domain::Role;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The session cookie's name; with `__Host-` when cookies are Secure, so that no
/// sibling domain can set it.
pub(crate) fn session_cookie_name(web: &WebConfig) -> &'static str {
    if web.secure_cookies {
        "__Host-plenary_session"
    } else {
        "plenary_session"
    }
}

pub(crate) const ANON_COOKIE: &str = "plenary_anon";

/// A cookie header value with the attributes we always want.
pub(crate) fn cookie(
    web: &WebConfig,
    name: &str,
    value: &str,
    max_age_secs: Option<i64>,
) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if web.secure_cookies {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

/// Adds a `Set-Cookie` header to the response.
pub(crate) fn set_cookie(response: &mut axum::response::Response, value: &str) {
    if let Ok(v) = axum::http::HeaderValue::from_str(value) {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, v);
    }
}

/// Tells the browser to forget its session cookie.
pub(crate) fn clear_session_cookie(response: &mut axum::response::Response, web: &WebConfig) {
    set_cookie(
        response,
        &cookie(web, session_cookie_name(web), "", Some(0)),
    );
}

/// The value of one cookie from the request's `Cookie` headers.
pub(crate) fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// The anonymous nonce put on the request by the middleware (see `middleware`).
#[derive(Clone)]
pub(crate) struct AnonNonce(pub String);

/// The client's address: the socket's peer, or for a trusted proxy the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy.
pub(crate) fn client_ip(parts: &Parts, web: &WebConfig) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    if !web.trusted_proxies.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !web.trusted_proxies.contains(ip))
        .unwrap_or(peer)
}

/// A visitor of the HTML pages: maybe signed in.
pub(crate) struct Visitor {
    pub user: Option<SessionUser>,
    pub session_token: Option<String>,
    anon_nonce: String,
    pub client_ip: IpAddr,
    /// The path requested, to come back to after signing in.
    pub path: String,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let client_ip = client_ip(parts, &state.web);
        let token = read_cookie(&parts.headers, session_cookie_name(&state.web));
        let user = match token.clone() {
            Some(token) => {
                let app = state.app.clone();
                blocking(move || app.session_user(&token)).await?
            }
            None => None,
        };
        let anon_nonce = parts
            .extensions
            .get::<AnonNonce>()
            .map(|n| n.0.clone())
            .unwrap_or_default();
        Ok(Visitor {
            session_token: token.filter(|_| user.is_some()),
            user,
            anon_nonce,
            client_ip,
            path: parts.uri.path().to_owned(),
        })
    }
}

/// What every page shows around its content.
pub(crate) struct Chrome {
    pub user: Option<ChromeUser>,
    pub csrf: String,
    pub version: &'static str,
}

pub(crate) struct ChromeUser {
    pub display_name: String,
    pub is_secretariat: bool,
}

impl Visitor {
    /// Forms are bound to the session when signed in, to the anonymous nonce otherwise.
    fn csrf_binding(&self) -> String {
        match &self.session_token {
            Some(token) => format!("session:{token}"),
            None => format!("anon:{}", self.anon_nonce),
        }
    }

    pub fn csrf_valid(&self, app: &App, token: &str) -> bool {
        let binding = self.csrf_binding();
        // An anonymous visitor without a nonce cookie has nothing to bind to.
        !binding.ends_with(':') && app.csrf_valid(&binding, token)
    }

    pub fn chrome(&self, app: &App) -> Chrome {
        Chrome {
            user: self.user.as_ref().map(|u| ChromeUser {
                display_name: u.user.display_name.clone(),
                is_secretariat: u.grants.iter().any(|g| g.role == Role::Secretariat),
            }),
            csrf: app.csrf_token(&self.csrf_binding()),
            version: env!("CARGO_PKG_VERSION"),
        }
    }

    /// The signed-in account's time zone setting, if any.
    pub fn account_zone(&self) -> Option<plenary_domain::time::Zone> {
        self.user
            .as_ref()
            .and_then(|u| u.user.time_zone.as_deref())
            .and_then(|z| plenary_domain::time::Zone::parse("tz", z).ok())
    }

    pub fn caller(&self) -> Caller {
        let ip = Some(self.client_ip.to_string());
        match &self.user {
            Some(user) => user.caller(ip),
            None => Caller::anonymous(ip),
        }
    }

    /// The signed-in account, or a redirect to the sign-in page that comes back here.
    pub fn require_user(&self) -> Result<&SessionUser, PageError> {
        self.user.as_ref().ok_or_else(|| PageError::SignIn {
            next: self.path.clone(),
        })
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A submitted form whose CSRF token has been checked against the visitor.
pub(crate) struct CsrfForm<T> {
    pub visitor: Visitor,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = req.into_parts();
        let visitor = Visitor::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| PageError::BadForm)?;
        let csrf: CsrfField =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::BadForm)?;
        if !visitor.csrf_valid(&state.app, &csrf.csrf) {
            return Err(PageError::Csrf);
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::BadForm)?;
        Ok(CsrfForm { visitor, form })
    }
}

/// An uploaded multipart form whose CSRF field has been checked against the visitor.
pub(crate) struct CsrfMultipart {
    pub visitor: Visitor,
    pub parts: Vec<crate::multipart::Part>,
}

impl CsrfMultipart {
    /// The text of a field ("" when absent).
    pub fn text(&self, name: &str) -> String {
        self.parts
            .iter()
            .find(|p| p.name == name && p.filename.is_none())
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
            .unwrap_or_default()
    }

    /// The first file field with this name.
    pub fn file(&self, name: &str) -> Option<&crate::multipart::Part> {
        self.parts
            .iter()
            .find(|p| p.name == name && p.filename.is_some())
    }
}

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = req.into_parts();
        let visitor = Visitor::from_request_parts(&mut parts, state).await?;
        let boundary = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::multipart::boundary)
            .ok_or(PageError::BadForm)?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| PageError::TooLarge)?;
        let parts = crate::multipart::parse(&bytes, &boundary).ok_or(PageError::BadForm)?;
        let form = CsrfMultipart { visitor, parts };
        if !form.visitor.csrf_valid(&state.app, &form.text("csrf")) {
            return Err(PageError::Csrf);
        }
        Ok(form)
    }
}

/// The caller of a JSON API request: anonymous, or the account of a bearer token.
pub(crate) struct ApiCaller(pub Caller, pub Option<SessionUser>);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Self::authenticate(parts, state).await?;
        // Authorised for the route at all before its body is read (see api::guard).
        if let Some(pattern) = parts.extensions.get::<axum::extract::MatchedPath>() {
            let needs = crate::api::guard::needs(&parts.method, pattern.as_str());
            crate::api::guard::check(needs, &caller.0.principal)?;
        }
        Ok(caller)
    }
}

impl ApiCaller {
    async fn authenticate(parts: &Parts, state: &AppState) -> Result<Self, ApiError> {
        let ip = Some(client_ip(parts, &state.web).to_string());
        let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
            return Ok(ApiCaller(Caller::anonymous(ip), None));
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::BadToken)?
            .to_owned();
        let app = state.app.clone();
        let user = blocking(move || app.api_token_user(&token))
            .await
            .map_err(ApiError::from)?;
        user.map(|u| ApiCaller(u.caller(ip), Some(u)))
            .ok_or(ApiError::BadToken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(peer: &str, forwarded: Option<&str>) -> Parts {
        let mut builder = Request::builder().uri("/");
        if let Some(value) = forwarded {
            builder = builder.header("x-forwarded-for", value);
        }
        let (mut parts, ()) = builder.body(()).expect("request").into_parts();
        parts
            .extensions
            .insert(ConnectInfo(peer.parse::<SocketAddr>().expect("addr")));
        parts
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let direct = WebConfig::default();
        assert_eq!(
            client_ip(&parts("203.0.113.5:1000", Some("198.51.100.1")), &direct),
            ip("203.0.113.5")
        );
        let proxied = WebConfig {
            trusted_proxies: vec![ip("10.0.0.2"), ip("10.0.0.3")],
            ..Default::default()
        };
        // The right-most address that is not one of our proxies; what the client itself
        // wrote further left is ignored.
        let chain = parts("10.0.0.2:1000", Some("1.2.3.4, 198.51.100.1, 10.0.0.3"));
        assert_eq!(client_ip(&chain, &proxied), ip("198.51.100.1"));
        assert_eq!(
            client_ip(&parts("10.0.0.2:1000", None), &proxied),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_ip(&parts("203.0.113.5:1000", Some("198.51.100.1")), &proxied),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn cookies_are_read_from_every_cookie_header() {
        let request = Request::builder()
            .header("cookie", "a=1; plenary_session=abc")
            .header("cookie", "b=2")
            .body(())
            .expect("request");
        assert_eq!(
            read_cookie(request.headers(), "plenary_session").as_deref(),
            Some("abc")
        );
        assert_eq!(read_cookie(request.headers(), "b").as_deref(), Some("2"));
        assert_eq!(read_cookie(request.headers(), "c"), None);
    }

    #[test]
    fn secure_installations_use_host_prefixed_secure_cookies() {
        let web = WebConfig {
            secure_cookies: true,
            ..Default::default()
        };
        assert_eq!(session_cookie_name(&web), "__Host-plenary_session");
        let value = cookie(&web, session_cookie_name(&web), "x", None);
        assert!(
            value.contains("; Secure")
                && value.contains("Path=/")
                && value.contains("HttpOnly")
                && value.contains("SameSite=Lax")
        );
    }
}
