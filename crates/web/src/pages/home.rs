use crate::AppState;
use crate::error::render;
use crate::visitor::{Chrome, Visitor};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
}

/// The dashboard when signed in, a welcome page otherwise.
pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Response {
    render(&Home {
        chrome: visitor.chrome(&state.app),
    })
}
