//! The action-item dashboard, and changing an action's status from a page.

use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::owners::UNLISTED_CHOICE;
use plenary_app::{ActionFilter, ActionView, AppError};
use plenary_domain::minutes::{ActionStatus, Owner};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct FilterForm {
    #[serde(default)]
    owner: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    meeting: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    done: String,
}

impl FilterForm {
    /// The filter the form asks for; the owner is named (resolved by the use case).
    fn filter(&self, app: &plenary_app::App) -> Result<ActionFilter, AppError> {
        let number = |field: &'static str, raw: &str| {
            super::bodies::optional_id(field, raw).map_err(|_| {
                AppError::field(
                    field,
                    plenary_domain::Problem::Invalid("choose one from the list"),
                )
            })
        };
        Ok(ActionFilter {
            owner: match self.owner.trim() {
                "" => None,
                raw => Some(app.owner_named("owner", raw)?),
            },
            body_id: number("body", &self.body)?,
            meeting_id: number("meeting", &self.meeting)?,
            status: if self.status.trim().is_empty() {
                None
            } else {
                Some(ActionStatus::parse_field("status", &self.status)?)
            },
            due_before: None,
        })
    }
}

struct Row {
    text: String,
    owner: String,
    due: String,
    overdue: bool,
    status: &'static str,
    meeting_id: i64,
    meeting_title: String,
    followups: Vec<String>,
}

#[derive(Template)]
#[template(path = "actions.html")]
struct DashboardPage {
    chrome: Chrome,
    filter: FilterForm,
    problem: Option<String>,
    notice: Option<&'static str>,
    counts: Vec<(String, usize, usize)>,
    actions: Vec<Row>,
    mine: Vec<Row>,
    statuses: Vec<(&'static str, &'static str)>,
    owner_choices: Vec<String>,
    bodies: Vec<(String, String)>,
    meetings: Vec<(String, String)>,
}

fn rows(views: &[ActionView], today: chrono::NaiveDate) -> Vec<Row> {
    views
        .iter()
        .map(|v| Row {
            text: v.action.text.clone(),
            owner: v.owner_name.clone(),
            due: v.action.due_on.map(|d| d.to_string()).unwrap_or_default(),
            overdue: v.action.status == ActionStatus::Open
                && v.action.due_on.is_some_and(|d| d < today),
            status: v.action.status.label(),
            meeting_id: v.action.meeting_id,
            meeting_title: v.meeting_title.clone(),
            followups: v
                .followups
                .iter()
                .map(|(f, meeting)| format!("{} ({meeting}, {})", f.note, f.author))
                .collect(),
        })
        .collect()
}

/// What the page shows, read in one go.
struct Listing {
    actions: Vec<ActionView>,
    counts: Vec<(Owner, String, usize, usize)>,
    mine: Vec<ActionView>,
    bodies: Vec<plenary_app::Body>,
    meetings: Vec<plenary_app::Meeting>,
    problem: Option<String>,
}

fn listing(
    app: &plenary_app::App,
    caller: &plenary_app::Caller,
    form: &FilterForm,
    today: chrono::NaiveDate,
) -> Result<Listing, AppError> {
    let (mut filter, problem) = match form.filter(app) {
        Ok(f) => (f, None),
        Err(AppError::Invalid(errors)) => (
            // Nothing matches a filter that could not be read; the problem says why.
            ActionFilter {
                meeting_id: Some(0),
                ..Default::default()
            },
            Some(
                super::shown(&errors)
                    .into_iter()
                    .map(|e| e.message)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ),
        Err(other) => return Err(other),
    };
    if form.overdue == "true" {
        filter.status = Some(ActionStatus::Open);
        filter.due_before = Some(today);
    }
    Ok(Listing {
        actions: app.actions(caller, &filter)?,
        counts: app.action_counts(caller, &filter)?,
        mine: app.my_actions(caller)?,
        bodies: app.bodies()?,
        meetings: app.meetings(caller, None)?,
        problem,
    })
}

pub async fn dashboard(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(form): Query<FilterForm>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let today = state.app.today();
    let asked = form.clone();
    let listing = state
        .run(move |app| listing(&app, &caller, &asked, today))
        .await?;
    let mut owner_choices = vec!["Secretariat".to_owned(), UNLISTED_CHOICE.to_owned()];
    owner_choices.extend(listing.bodies.iter().map(|b| b.name.clone()));
    owner_choices.extend(
        listing
            .counts
            .iter()
            .filter(|(o, ..)| matches!(o, Owner::Person(_)))
            .map(|(_, name, ..)| name.clone()),
    );
    Ok(render(&DashboardPage {
        chrome: visitor.chrome(&state.app),
        notice: (form.done == "saved").then_some("Saved."),
        filter: form,
        problem: listing.problem,
        counts: listing
            .counts
            .into_iter()
            .map(|(_, name, open, late)| (name, open, late))
            .collect(),
        actions: rows(&listing.actions, today),
        mine: rows(&listing.mine, today),
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        owner_choices,
        bodies: listing
            .bodies
            .iter()
            .map(|b| (b.id.to_string(), b.name.clone()))
            .collect(),
        meetings: listing
            .meetings
            .iter()
            .map(|m| {
                (
                    m.id.to_string(),
                    format!("{} ({})", m.title, m.starts_at.format("%Y-%m-%d")),
                )
            })
            .collect(),
    }))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    in_meeting: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    back: String,
}

/// Changes an action's status, then goes back to the page it came from (local paths only).
pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<StatusForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let in_meeting = super::bodies::optional_id("in_meeting", &form.in_meeting)?;
    let (status, note) = (form.status.clone(), form.note.clone());
    state
        .run(move |app| app.set_action_status(&caller, id, &status, in_meeting, &note))
        .await?;
    Ok(Redirect::to(&with_done(local_path(&form.back).unwrap_or("/actions"))).into_response())
}

/// `raw` if it is a path of this site (not `//host` nor `/\host`, which browsers read as
/// another site).
fn local_path(raw: &str) -> Option<&str> {
    (raw.starts_with('/') && !raw.starts_with("//") && !raw.contains('\\')).then_some(raw)
}

/// `back` with `done=saved` in its query, before any `#fragment`.
fn with_done(back: &str) -> String {
    let (path, fragment) = back.split_once('#').map_or((back, ""), |(p, f)| (p, f));
    let joiner = if path.contains('?') { '&' } else { '?' };
    let hash = if fragment.is_empty() { "" } else { "#" };
    format!("{path}{joiner}done=saved{hash}{fragment}")
}

#[derive(Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    meeting_id: String,
    #[serde(default)]
    note: String,
}

/// Records what a later meeting said about an action.
pub async fn follow_up(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<FollowUpForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let meeting = super::bodies::optional_id("meeting_id", &form.meeting_id)?.ok_or_else(|| {
        plenary_app::AppError::field("meeting_id", plenary_domain::Problem::Required)
    })?;
    state
        .run(move |app| app.follow_up_action(&caller, id, meeting, &form.note))
        .await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}/edit?done=saved#earlier-h")).into_response())
}

#[cfg(test)]
mod tests {
    use super::{local_path, with_done};

    #[test]
    fn going_back_keeps_the_fragment_last_and_stays_on_this_site() {
        assert_eq!(
            with_done("/meetings/3/edit#item-9"),
            "/meetings/3/edit?done=saved#item-9"
        );
        assert_eq!(with_done("/actions?owner=x"), "/actions?owner=x&done=saved");
        assert_eq!(local_path("//evil.example"), None);
        assert_eq!(local_path("/\\evil.example"), None);
        assert_eq!(local_path("https://evil.example"), None);
        assert_eq!(local_path("/actions"), Some("/actions"));
    }
}
