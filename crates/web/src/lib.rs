//! Plenary's HTTP layer: server-rendered pages and the JSON API under `/api/v1`.
//!
//! Handlers translate HTTP to use cases of `plenary_app` and back; no business rule and
//! no SQL lives here. Every route is declared once in [`routes::table`], which both
//! builds the router and lists the routes for the access-matrix test.

mod api;
mod download;
mod error;
mod middleware;
mod multipart;
mod pages;
pub mod routes;
mod stream;
mod visitor;

pub use error::{ApiError, PageError};

/// The summary of a meeting as an HTML document, escaped by the template engine.
pub fn summary_html(summary: &plenary_domain::summary::Summary) -> Result<String, String> {
    pages::summary::standalone_html(summary).map_err(|e| e.to_string())
}

use axum::Router;
use plenary_app::App;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tokio::net::TcpListener;

/// HTTP settings.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed. Otherwise the
    /// client address is the socket's peer address.
    pub trusted_proxies: Vec<IpAddr>,
    /// Send cookies with `Secure` (when the base URL is https).
    pub secure_cookies: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub web: Arc<WebConfig>,
    /// Rendered public programme pages and exports (see `pages::programme_public`).
    pub(crate) programme_cache: Arc<pages::programme_public::ProgrammeCache>,
}

/// The whole application as an axum router.
pub fn router(app: App, web: WebConfig) -> Router {
    let state = AppState {
        app,
        web: Arc::new(web),
        programme_cache: Arc::default(),
    };
    routes::table().into_router(state)
}

/// Serves until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

impl AppState {
    /// Runs a use case of the application on the blocking thread pool.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(App) -> Result<T, plenary_app::AppError> + Send + 'static,
    ) -> Result<T, plenary_app::AppError> {
        let app = self.app.clone();
        blocking(move || work(app)).await
    }
}

/// The answer to a write handed to the database (see `plenary_store::Db::submit_write`):
/// awaited when queued, run on the blocking thread pool otherwise.
pub(crate) async fn submitted<T: Send + 'static>(
    write: plenary_app::Submitted<Result<T, plenary_app::AppError>>,
) -> Result<T, plenary_app::AppError> {
    match write {
        plenary_app::Submitted::Queued(pending) => pending.await.unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(plenary_app::AppError::Internal(format!(
                "use case panicked: {why}"
            )))
        }),
        plenary_app::Submitted::Blocking(run) => blocking(run).await,
        plenary_app::Submitted::Done(answer) => answer,
    }
}

/// Runs a blocking use case on the blocking thread pool.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, plenary_app::AppError> + Send + 'static,
) -> Result<T, plenary_app::AppError> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| {
        Err(plenary_app::AppError::Internal(format!(
            "use case panicked: {e}"
        )))
    })
}
