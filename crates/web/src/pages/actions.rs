//! The action-item dashboard, and changing an action's status from a page.

use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{ActionFilter, ActionView};
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
    fn filter(&self) -> Result<ActionFilter, plenary_domain::FieldError> {
        let number = |field: &'static str, raw: &str| {
            super::bodies::optional_id(field, raw).map_err(|_| {
                plenary_domain::FieldError::new(
                    field,
                    plenary_domain::Problem::Invalid("a whole number is expected"),
                )
            })
        };
        Ok(ActionFilter {
            owner: if self.owner.trim().is_empty() {
                None
            } else {
                Some(Owner::parse("owner", &self.owner)?)
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
}

fn rows(views: &[ActionView], today: chrono::NaiveDate) -> Vec<Row> {
    views
        .iter()
        .map(|v| Row {
            text: v.action.text.clone(),
            owner: v.action.owner.to_string(),
            due: v.action.due_on.map(|d| d.to_string()).unwrap_or_default(),
            overdue: v.action.status == ActionStatus::Open
                && v.action.due_on.is_some_and(|d| d < today),
            status: v.action.status.label(),
            meeting_id: v.action.meeting_id,
            followups: v
                .followups
                .iter()
                .map(|f| format!("{} (meeting #{}, {})", f.note, f.meeting_id, f.author))
                .collect(),
        })
        .collect()
}

pub async fn dashboard(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(form): Query<FilterForm>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (mut filter, problem) = match form.filter() {
        Ok(f) => (f, None),
        Err(e) => (
            ActionFilter {
                meeting_id: Some(0),
                ..Default::default()
            },
            Some(e.to_string()),
        ),
    };
    let overdue = form.overdue == "true";
    let today = state.app.today();
    if overdue {
        filter.status = Some(ActionStatus::Open);
        filter.due_before = Some(today);
    }
    let (actions, counts, mine) = state
        .run(move |app| {
            Ok((
                app.actions(&caller, &filter)?,
                app.action_counts(&caller, &filter)?,
                app.my_actions(&caller)?,
            ))
        })
        .await?;
    Ok(render(&DashboardPage {
        chrome: visitor.chrome(&state.app),
        notice: (form.done == "saved").then_some("Saved."),
        filter: form,
        problem,
        counts: counts
            .into_iter()
            .map(|(o, open, late)| (o.to_string(), open, late))
            .collect(),
        actions: rows(&actions, today),
        mine: rows(&mine, today),
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
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
    let back = if form.back.starts_with('/') && !form.back.starts_with("//") {
        form.back
    } else {
        "/actions".to_owned()
    };
    Ok(Redirect::to(&format!("{back}?done=saved")).into_response())
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
    Ok(Redirect::to(&format!("/meetings/{meeting}?done=saved")).into_response())
}
