//! Importing an existing meeting document: upload, preview the extraction with its
//! warnings, confirm. The preview writes nothing; the confirmation carries the
//! document's text back (the text a Word file or PDF was read as) so that what is
//! stored is exactly what was previewed.

use super::{ShownError, shown, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfMultipart, Visitor};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use plenary_app::import::{ImportOutcome, ImportRequest};
use plenary_domain::import::Extraction;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    bodies: Vec<(i64, String)>,
    body: String,
    errors: Vec<ShownError>,
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    file_name: String,
    content: String,
    body: String,
    bodies: Vec<(i64, String)>,
    x: Shown,
    errors: Vec<ShownError>,
}

/// The extraction as the preview shows it.
struct Shown {
    kind: &'static str,
    title: String,
    organiser: String,
    starts: String,
    ends: String,
    time_zone: String,
    mode: String,
    venue: String,
    rooms: String,
    days: Vec<ShownDay>,
    items: Vec<ShownItem>,
    actions: Vec<ShownAction>,
    participants: Vec<(String, String, String)>,
    input_documents: Vec<String>,
    desired_outputs: Vec<String>,
    warnings: Vec<(String, String)>,
}

struct ShownDay {
    date: String,
    room: String,
    items: Vec<ShownItem>,
}

struct ShownItem {
    number: String,
    title: String,
    times: String,
    subitems: Vec<String>,
    notes: usize,
}

struct ShownAction {
    item: String,
    text: String,
    owner: String,
    due: String,
}

const NOT_STATED: &str = "—";

fn or_dash(value: Option<&str>) -> String {
    value.unwrap_or(NOT_STATED).to_owned()
}

fn item(i: &plenary_domain::import::Item) -> ShownItem {
    let hm = |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
    let times = match (hm(i.starts_local), hm(i.ends_local)) {
        (Some(s), Some(e)) => format!("{s}–{e}"),
        (Some(s), None) => s,
        (None, Some(e)) => format!("–{e}"),
        (None, None) => String::new(),
    };
    ShownItem {
        number: i.number.clone().unwrap_or_default(),
        title: or_dash(i.title.as_deref()),
        times,
        subitems: i.subitems.clone(),
        notes: i.notes_count,
    }
}

fn shown_extraction(x: &Extraction) -> Shown {
    let instant = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map_or(NOT_STATED.to_owned(), |at| {
            format!("{} UTC", super::utc(at))
        })
    };
    Shown {
        kind: match x.kind {
            plenary_domain::import::Kind::Summary => "Meeting summary",
            plenary_domain::import::Kind::Agenda => "Agenda",
            plenary_domain::import::Kind::Unrecognised => "Not recognised",
        },
        title: or_dash(x.title.as_deref()),
        organiser: or_dash(x.body.as_deref()),
        starts: instant(x.meeting.starts_at_utc),
        ends: instant(x.meeting.ends_at_utc),
        time_zone: or_dash(x.meeting.time_zone.as_deref()),
        mode: x.meeting.mode.map_or(NOT_STATED.to_owned(), |m| {
            serde_json::to_value(m)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }),
        venue: or_dash(x.meeting.venue.as_deref()),
        rooms: if x.meeting.rooms.is_empty() {
            NOT_STATED.to_owned()
        } else {
            x.meeting.rooms.join(", ")
        },
        days: x
            .days
            .iter()
            .map(|d| ShownDay {
                date: d.date.map_or("undated".to_owned(), |d| d.to_string()),
                room: d.room.clone().unwrap_or_default(),
                items: d.items.iter().map(item).collect(),
            })
            .collect(),
        items: x.items.iter().map(item).collect(),
        actions: x
            .actions
            .iter()
            .map(|a| ShownAction {
                item: a.item_number.clone().unwrap_or_default(),
                text: a.text.clone(),
                owner: or_dash(a.owner.as_deref()),
                due: a.due_date.map_or(NOT_STATED.to_owned(), |d| d.to_string()),
            })
            .collect(),
        participants: x
            .participants
            .iter()
            .map(|p| {
                (
                    p.family_name.clone().unwrap_or_default(),
                    p.given_name.clone().unwrap_or_default(),
                    p.role_group.clone().unwrap_or_default(),
                )
            })
            .collect(),
        input_documents: x.input_documents.clone(),
        desired_outputs: x.desired_outputs.clone(),
        warnings: x
            .warnings
            .iter()
            .map(|w| {
                (
                    w.line.map_or(String::new(), |l| format!("line {l}")),
                    w.message.clone(),
                )
            })
            .collect(),
    }
}

async fn body_choices(state: &AppState) -> Result<Vec<(i64, String)>, PageError> {
    let bodies = state.run(|app| app.bodies()).await?;
    Ok(bodies
        .into_iter()
        .map(|b| (b.id, format!("{} — {}", b.short_name, b.name)))
        .collect())
}

async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    body: String,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    Ok(render(&ImportPage {
        chrome: visitor.chrome(&state.app),
        bodies: body_choices(state).await?,
        body,
        errors,
    }))
}

/// The upload form (secretariat).
pub async fn form(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    state.run(move |app| app.may_import(&caller)).await?;
    form_page(&state, &visitor, String::new(), vec![]).await
}

/// Reads the uploaded document and shows what would be imported.
pub async fn preview(
    State(state): State<AppState>,
    form: CsrfMultipart,
) -> Result<Response, PageError> {
    form.visitor.require_user()?;
    let file = form.file("file");
    let file_name = file.and_then(|f| f.filename.clone()).unwrap_or_default();
    let data = file.map(|f| f.data.clone()).unwrap_or_default();
    let body = form.text("body");
    let caller = form.visitor.caller();
    let app = state.app.clone();
    let name = file_name.clone();
    match blocking(move || app.preview_import(&caller, &name, &data)).await {
        Ok(read) => {
            preview_page(
                &state,
                &form.visitor,
                file_name,
                read.text,
                body,
                &read.extraction,
                vec![],
            )
            .await
        }
        Err(AppError::Invalid(errors)) => Ok(with_status(
            form_page(&state, &form.visitor, body, shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

async fn preview_page(
    state: &AppState,
    visitor: &Visitor,
    file_name: String,
    content: String,
    body: String,
    extraction: &Extraction,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    Ok(render(&PreviewPage {
        chrome: visitor.chrome(&state.app),
        file_name,
        content,
        body,
        bodies: body_choices(state).await?,
        x: shown_extraction(extraction),
        errors,
    }))
}

/// Stores the previewed document.
pub async fn confirm(
    State(state): State<AppState>,
    form: CsrfMultipart,
) -> Result<Response, PageError> {
    form.visitor.require_user()?;
    let file_name = form.text("file_name");
    let content = form.text("content");
    let body = form.text("body");
    let request = ImportRequest {
        file_name: file_name.clone(),
        bytes: content.clone().into_bytes(),
        body: Some(body.clone()).filter(|b| !b.trim().is_empty()),
    };
    let caller = form.visitor.caller();
    let app = state.app.clone();
    match blocking(move || app.import_document(&caller, request)).await {
        Ok(report) => {
            let (id, done) = match report.outcome {
                ImportOutcome::Created { meeting_id } => (meeting_id, "imported"),
                ImportOutcome::Updated { meeting_id } => (meeting_id, "reimported"),
                ImportOutcome::Unchanged { meeting_id } => (meeting_id, "unchanged"),
            };
            Ok(Redirect::to(&format!("/meetings/{id}?done={done}")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let extraction = plenary_domain::import::extract(&content);
            Ok(with_status(
                preview_page(
                    &state,
                    &form.visitor,
                    file_name,
                    content,
                    body,
                    &extraction,
                    shown(&errors),
                )
                .await?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}
