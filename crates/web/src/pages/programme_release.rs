//! The secretariat's releases of a programme: what the working version changes since
//! the last release (sessions added, moved with their old and new room and time at the
//! venue, removed, retitled), the form that publishes it as a release (version name,
//! change log, whether to mail the people of moved and removed sessions), the list of
//! releases and each release as it was, and withdrawing the public programme (asked
//! first).

use super::confirm::{DeleteForm, Question, ask_worded, count};
use super::{ShownError, shown, with_status};
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use plenary_app::AppError;
use plenary_app::programme_export::{ROLE_ORDER, placed};
use plenary_app::programme_release::{Changes, Release, ReleaseInput, SessionChange};
use plenary_domain::time::{Zone, label};
use serde::Deserialize;

/// "Tue 23 Jun 2026 14:05 CEST", at the venue.
pub(crate) fn when(at: DateTime<Utc>, zone: Zone) -> String {
    let l = label(at, zone);
    format!(
        "{} {}",
        l.local.format("%a %-d %b %Y %H:%M"),
        l.abbreviation_or_offset()
    )
}

/// "release 2 “0.9 draft” (published Tue 23 Jun 2026 14:05 CEST)".
pub(crate) fn release_name(r: &Release, zone: Zone) -> String {
    let named = if r.version == r.number.to_string() {
        format!("release {}", r.number)
    } else {
        format!("release {} “{}”", r.number, r.version)
    };
    format!("{named} (published {})", when(r.published_at, zone))
}

/// The board's line about the working version: "Working version — 3 changes since
/// release 2 (published …)".
pub(crate) fn working_line(latest: Option<&Release>, changes: &Changes, zone: Zone) -> String {
    let n = count(changes.count(), "change", "changes");
    match latest {
        Some(r) => format!("Working version — {n} since {}", release_name(r, zone)),
        None => format!("Working version — never released ({n} to publish)"),
    }
}

// ------------------------------------------------------------------ changes

struct ChangeLine {
    session_id: i64,
    title: String,
    /// "was → now", the old title, where it is or was.
    detail: String,
    /// The session is still on the board (a link to it).
    on_board: bool,
}

struct ChangeGroup {
    heading: String,
    lines: Vec<ChangeLine>,
}

fn at(p: &Option<plenary_app::programme_release::Placement>, zone: Zone) -> String {
    p.as_ref().map(|p| p.text(zone)).unwrap_or_default()
}

/// The lines of one group; a session still on the board (`board`: their ids) links to
/// its page (a removed one may be only taken out of the timetable, or deleted).
fn lines(
    list: &[SessionChange],
    board: &[i64],
    detail: impl Fn(&SessionChange) -> String,
) -> Vec<ChangeLine> {
    list.iter()
        .map(|c| ChangeLine {
            session_id: c.session_id,
            title: c.title.clone(),
            detail: detail(c),
            on_board: board.contains(&c.session_id),
        })
        .collect()
}

/// The changes in groups, the empty ones left out.
fn groups(changes: &Changes, zone: Zone, board: &[i64]) -> Vec<ChangeGroup> {
    let mut out = vec![
        ChangeGroup {
            heading: format!("Added ({})", changes.added.len()),
            lines: lines(&changes.added, board, |c| at(&c.now, zone)),
        },
        ChangeGroup {
            heading: format!("Moved ({})", changes.moved.len()),
            lines: lines(&changes.moved, board, |c| {
                format!("{} → {}", at(&c.was, zone), at(&c.now, zone))
            }),
        },
        ChangeGroup {
            heading: format!("Removed ({})", changes.removed.len()),
            lines: lines(&changes.removed, board, |c| {
                format!("was {}", at(&c.was, zone))
            }),
        },
        ChangeGroup {
            heading: format!("Retitled ({})", changes.retitled.len()),
            lines: lines(&changes.retitled, board, |c| {
                format!("was “{}”", c.old_title.clone().unwrap_or_default())
            }),
        },
        ChangeGroup {
            heading: format!(
                "Other details changed: people, description, type, length ({})",
                changes.details.len()
            ),
            lines: lines(&changes.details, board, |c| at(&c.now, zone)),
        },
    ];
    out.retain(|g| !g.lines.is_empty());
    out
}

// ------------------------------------------------------------------ publishing

#[derive(Deserialize, Default, Clone)]
pub struct ReleaseForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    notify: String,
}

impl ReleaseForm {
    fn input(&self) -> ReleaseInput {
        ReleaseInput {
            version: self.version.clone(),
            comment: self.comment.clone(),
            notify: matches!(self.notify.as_str(), "yes" | "on" | "true" | "1"),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_programme_release.html")]
struct ReleaseFormPage {
    chrome: Chrome,
    id: i64,
    title: String,
    working: String,
    published: bool,
    change_count: usize,
    groups: Vec<ChangeGroup>,
    recipients: usize,
    form: ReleaseForm,
    notify: bool,
    errors: Vec<ShownError>,
}

async fn release_form_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    typed: Option<(ReleaseForm, Vec<ShownError>)>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (status, board) = state
        .run(move |app| {
            let status = app.programme_release_status(&caller, id)?;
            let board: Vec<i64> = app
                .programme(&caller, id)?
                .sessions
                .iter()
                .map(|s| s.session.id)
                .collect();
            Ok((status, board))
        })
        .await?;
    let zone = status.zone;
    let (form, errors) = typed.unwrap_or_else(|| {
        (
            ReleaseForm {
                version: status.suggested_version.clone(),
                ..ReleaseForm::default()
            },
            vec![],
        )
    });
    Ok(render(&ReleaseFormPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: status.event.title.clone(),
        working: working_line(status.latest.as_ref(), &status.changes, zone),
        published: status.published,
        change_count: status.changes.count(),
        groups: groups(&status.changes, zone, &board),
        recipients: status.recipients,
        notify: form.input().notify,
        form,
        errors,
    }))
}

/// GET /admin/events/{id}/programme/release: what changed since the last release, and
/// the form that publishes.
pub async fn release_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    release_form_page(&state, &visitor, id, None).await
}

/// POST /admin/events/{id}/programme/release
pub async fn publish_release(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ReleaseForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| app.publish_programme_release(&caller, id, &input))
        .await
    {
        Ok(p) => Ok(Redirect::to(&format!(
            "/admin/events/{id}/programme?done=released&release={}&notified={}",
            p.release.number, p.notified
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let errors = shown(&errors);
            Ok(with_status(
                release_form_page(&state, &visitor, id, Some((form, errors))).await?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /admin/events/{id}/programme/withdraw: asks first, then withdraws the public
/// programme.
pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<DeleteForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    if !form.confirmed() {
        let status = state
            .run(move |app| app.programme_release_status(&caller, id))
            .await?;
        let board = format!("/admin/events/{id}/programme");
        let mut consequences = vec![
            "the public programme, its session and speaker pages, its calendar files and exports answer “not found”".to_owned(),
        ];
        if let Some(r) = &status.latest {
            consequences.push(format!(
                "{} is kept, and publishing a new release makes the programme public again",
                release_name(r, status.zone)
            ));
        }
        let question = Question {
            title: format!("Withdraw the public programme of “{}”?", status.event.title),
            consequences,
            blocked: (!status.published).then(|| "The programme is not public.".to_owned()),
            action: format!("{board}/withdraw"),
            back: board,
            button: "Withdraw the programme".to_owned(),
        };
        return Ok(ask_worded(
            &state,
            &visitor,
            question,
            "This means:",
            "The board and its releases stay as they are.",
        ));
    }
    state
        .run(move |app| app.withdraw_programme(&caller, id))
        .await?;
    Ok(Redirect::to(&format!("/admin/events/{id}/programme?done=unpublished")).into_response())
}

// ------------------------------------------------------------------ the releases

struct ReleaseRow {
    number: i64,
    version: String,
    date: String,
    author: String,
    added: i64,
    moved: i64,
    removed: i64,
    retitled: i64,
    sessions: i64,
    comment: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "admin_programme_releases.html")]
struct ReleasesPage {
    chrome: Chrome,
    id: i64,
    title: String,
    zone: String,
    working: String,
    rows: Vec<ReleaseRow>,
}

/// GET /admin/events/{id}/programme/releases
pub async fn releases(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (status, list) = state
        .run(move |app| {
            Ok((
                app.programme_release_status(&caller, id)?,
                app.programme_releases(&caller, id)?,
            ))
        })
        .await?;
    let zone = status.zone;
    let newest = list.first().map(|r| r.number);
    Ok(render(&ReleasesPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: status.event.title.clone(),
        zone: zone.name().to_owned(),
        working: working_line(status.latest.as_ref(), &status.changes, zone),
        rows: list
            .iter()
            .map(|r| ReleaseRow {
                number: r.number,
                version: r.version.clone(),
                date: when(r.published_at, zone),
                author: r.author.clone(),
                added: r.added,
                moved: r.moved,
                removed: r.removed,
                retitled: r.retitled,
                sessions: r.sessions,
                comment: r.comment.clone(),
                current: status.published && Some(r.number) == newest,
            })
            .collect(),
    }))
}

struct SessionRow {
    day: String,
    time: String,
    room: String,
    title: String,
    people: String,
}

#[derive(Template)]
#[template(path = "admin_programme_release_view.html")]
struct ReleaseViewPage {
    chrome: Chrome,
    id: i64,
    title: String,
    name: String,
    version: String,
    author: String,
    comment: String,
    current: bool,
    zone: String,
    groups: Vec<ChangeGroup>,
    sessions: Vec<SessionRow>,
}

/// GET /admin/events/{id}/programme/releases/{number}: one release as it was.
pub async fn release(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, number)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let number: i64 = number.parse().map_err(|_| PageError::NotFound)?;
    let caller = visitor.caller();
    let (view, board) = state
        .run(move |app| {
            let view = app.programme_release(&caller, id, number)?;
            let board: Vec<i64> = app
                .programme(&caller, id)?
                .sessions
                .iter()
                .map(|s| s.session.id)
                .collect();
            Ok((view, board))
        })
        .await?;
    let zone = view.programme.zone;
    let sessions = placed(&view.programme)
        .iter()
        .map(|p| {
            let s = label(p.starts_at, zone);
            let e = label(p.ends_at, zone);
            SessionRow {
                day: s.local.format("%a %-d %b %Y").to_string(),
                time: format!(
                    "{}–{} {}",
                    s.time_hm(),
                    e.time_hm(),
                    s.abbreviation_or_offset()
                ),
                room: p.room.name.clone(),
                title: p.view.session.title.clone(),
                people: ROLE_ORDER
                    .iter()
                    .flat_map(|r| {
                        p.view
                            .people
                            .iter()
                            .filter(move |x| x.role == r.as_str())
                            .map(|x| x.name.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })
        .collect();
    Ok(render(&ReleaseViewPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: view.programme.event.title.clone(),
        name: release_name(&view.release, zone),
        version: view.release.version.clone(),
        author: view.release.author.clone(),
        comment: view.release.comment.clone(),
        current: view.current,
        zone: zone.name().to_owned(),
        groups: groups(&view.changes, zone, &board),
        sessions,
    }))
}
