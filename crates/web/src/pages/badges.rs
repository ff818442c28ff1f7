//! Badge downloads: the registrant's through the management link or their account, and
//! any confirmed registration's for the secretariat. The badge's QR code opens the
//! check-in page with the code filled in (see `events_admin::check_in_form`).

use super::events_admin::require_manager;
use super::registration::link_invalid;
use crate::AppState;
use crate::error::PageError;
use crate::visitor::Visitor;
use axum::extract::{Path, State};
use axum::response::Response;
use plenary_app::{AppError, BadgeFile};

/// A badge as a PDF shown in the browser, under its own file name when saved.
pub(crate) fn pdf(file: BadgeFile) -> Response {
    use crate::download::{Show, file as download};
    download(
        "application/pdf",
        Show::Inline,
        &file.file_name,
        false,
        file.pdf,
    )
}

/// `GET /registrations/{token}/badge.pdf`: through the management link, once confirmed.
pub async fn by_token(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    match state.run(move |app| app.badge_by_token(&token)).await {
        Ok(file) => Ok(pdf(file)),
        Err(AppError::LinkInvalid) => Ok(link_invalid(&state, &visitor)),
        Err(other) => Err(other.into()),
    }
}

/// A registration's badge: its owner's, or any for the secretariat.
async fn of_registration(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    Ok(pdf(state.run(move |app| app.badge(&caller, id)).await?))
}

/// `GET /account/registrations/{id}/badge.pdf`: one's own (signed in).
pub async fn mine(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    of_registration(&state, &visitor, id).await
}

/// `GET /admin/registrations/{id}/badge.pdf`: the secretariat's, for any confirmed
/// registration.
pub async fn admin(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    require_manager(&visitor)?;
    of_registration(&state, &visitor, id).await
}
