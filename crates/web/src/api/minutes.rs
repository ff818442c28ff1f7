//! Minutes and action items over JSON.

use super::schema::{self, Items};
use super::{ApiJson, instant, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use plenary_app::{ActionFilter, ActionInput, ActionView, AppError, Note};
use plenary_domain::Problem;
use plenary_domain::minutes::{ActionStatus, Owner};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The closed lists of the minutes' bodies and responses.
mod names {
    super::schema::closed_names! {
        /// Where the minutes of a meeting stand.
        MinutesState => plenary_domain::minutes::MinutesState::ALL;
        /// Where an action item stands.
        ActionStatus => plenary_domain::minutes::ActionStatus::ALL;
    }
}

/// An agenda item's note.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Note")]
pub(crate) struct NoteOut {
    item_id: i64,
    /// Counts the saves from 1; send it back as `base_version`.
    version: i64,
    text: String,
    #[schemars(with = "schema::Instant")]
    updated_at: String,
    updated_by: String,
}

impl From<&Note> for NoteOut {
    fn from(n: &Note) -> Self {
        NoteOut {
            item_id: n.item_id,
            version: n.version,
            text: n.text.clone(),
            updated_at: instant(n.updated_at),
            updated_by: n.updated_by.clone(),
        }
    }
}

/// One saved revision of a note.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "NoteRevision")]
pub(crate) struct RevisionOut {
    version: i64,
    text: String,
    #[schemars(with = "schema::Instant")]
    at: String,
    by: String,
}

/// The state of the minutes and their revision.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MinutesRevision")]
pub(crate) struct MinutesRevisionOut {
    #[schemars(with = "names::MinutesState")]
    state: &'static str,
    /// Counts the times the minutes were reopened, from 1.
    revision: i64,
}

/// The minutes' state and the notes the caller may read.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Minutes")]
pub(crate) struct MinutesOut {
    #[serde(flatten)]
    minutes: MinutesRevisionOut,
    notes: Vec<NoteOut>,
}

/// A later meeting in which an action was discussed.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "FollowUp")]
pub(crate) struct FollowUpOut {
    meeting_id: i64,
    meeting_title: String,
    note: String,
    #[schemars(with = "schema::Instant")]
    at: String,
    by: String,
}

/// An action item.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Action")]
pub(crate) struct ActionOut {
    id: i64,
    meeting_id: i64,
    item_id: Option<i64>,
    text: String,
    /// secretariat, unlisted, person:ID or body:ID.
    owner: String,
    /// The owner as a person reads it: the secretariat, a body's short name, a
    /// person's name, or an unlisted owner as written followed by "(not in the directory)".
    owner_name: String,
    /// The title of the meeting the action came from.
    meeting_title: String,
    #[schemars(with = "Option<schema::Date>")]
    due_on: Option<String>,
    #[schemars(with = "names::ActionStatus")]
    status: &'static str,
    #[schemars(with = "schema::Instant")]
    status_at: String,
    status_by: String,
    follow_ups: Vec<FollowUpOut>,
}

impl From<&ActionView> for ActionOut {
    fn from(v: &ActionView) -> Self {
        let a = &v.action;
        ActionOut {
            id: a.id,
            meeting_id: a.meeting_id,
            item_id: a.item_id,
            text: a.text.clone(),
            owner: a.owner.to_string(),
            owner_name: v.owner_name.clone(),
            meeting_title: v.meeting_title.clone(),
            due_on: a.due_on.map(|d| d.to_string()),
            status: a.status.as_str(),
            status_at: instant(a.status_at),
            status_by: a.status_by.clone(),
            follow_ups: v
                .followups
                .iter()
                .map(|(f, meeting_title)| FollowUpOut {
                    meeting_id: f.meeting_id,
                    meeting_title: meeting_title.clone(),
                    note: f.note.clone(),
                    at: instant(f.created_at),
                    by: f.author.clone(),
                })
                .collect(),
        }
    }
}

/// The minutes' state and the notes the caller may read.
pub async fn show(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<MinutesOut>, ApiError> {
    let id = path_id(&id)?;
    let (minutes, notes) = s
        .run(move |app| Ok((app.minutes(&caller, id)?, app.notes(&caller, id)?)))
        .await?;
    Ok(Json(MinutesOut {
        minutes: MinutesRevisionOut {
            state: minutes.state.as_str(),
            revision: minutes.revision,
        },
        notes: notes.iter().map(NoteOut::from).collect(),
    }))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NoteInput")]
pub struct NoteBody {
    /// The version the edit started from; 0 for a first note.
    base_version: i64,
    #[serde(default)]
    text: String,
}

/// Saves an item's note; 409 with `current_text` when the edit started from an older version.
pub async fn save_note(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, item)): Path<(String, String)>,
    ApiJson(b): ApiJson<NoteBody>,
) -> Result<Json<NoteOut>, ApiError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    let note = s
        .run(move |app| app.save_note(&caller, id, item, b.base_version, &b.text))
        .await?;
    Ok(Json(NoteOut::from(&note)))
}

pub async fn revisions(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, item)): Path<(String, String)>,
) -> Result<Json<Items<RevisionOut>>, ApiError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    let revisions = s
        .run(move |app| app.note_history(&caller, id, item))
        .await?;
    Ok(Json(Items::of(revisions.iter().map(|r| RevisionOut {
        version: r.version,
        text: r.text.clone(),
        at: instant(r.created_at),
        by: r.author.clone(),
    }))))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MinutesStateInput")]
pub struct StateBody {
    #[schemars(with = "names::MinutesState")]
    state: String,
    /// On circulating or approving: mail the body's current members and the meeting's
    /// participants (those with an address). Default false.
    #[serde(default)]
    notify: bool,
}

pub async fn set_state(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StateBody>,
) -> Result<Json<MinutesRevisionOut>, ApiError> {
    let id = path_id(&id)?;
    let m = s
        .run(move |app| app.move_minutes(&caller, id, &b.state, b.notify))
        .await?;
    Ok(Json(MinutesRevisionOut {
        state: m.state.as_str(),
        revision: m.revision,
    }))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ActionInput")]
pub struct ActionBody {
    /// The agenda item it was agreed under.
    #[serde(default)]
    item_id: Option<i64>,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    text: String,
    /// secretariat, person:ID or body:ID.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    owner: String,
    #[serde(default)]
    #[schemars(with = "Option<schema::Date>")]
    due_on: Option<String>,
}

pub async fn add(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActionBody>,
) -> Result<(StatusCode, Json<ActionOut>), ApiError> {
    let id = path_id(&id)?;
    let input = ActionInput {
        item_id: b.item_id,
        text: b.text,
        owner: b.owner,
        due_on: b.due_on.unwrap_or_default(),
    };
    let action = s
        .run(move |app| app.add_action(&caller, id, &input))
        .await?;
    Ok((StatusCode::CREATED, Json(ActionOut::from(&action))))
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
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
}

fn number(field: &'static str, raw: &str) -> Result<Option<i64>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| AppError::field(field, Problem::Invalid("a whole number is expected"))),
    }
}

/// Action items, filtered by owner, body, meeting, status, or only the overdue ones.
pub async fn dashboard(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Query(q): Query<DashboardQuery>,
) -> Result<Json<Items<ActionOut>>, ApiError> {
    let owner = match q.owner.trim() {
        "" => None,
        raw => Some(Owner::parse("owner", raw).map_err(AppError::from)?),
    };
    let status = match q.status.trim() {
        "" => None,
        raw => Some(ActionStatus::parse_field("status", raw).map_err(AppError::from)?),
    };
    let mut filter = ActionFilter {
        owner,
        body_id: number("body", &q.body)?,
        meeting_id: number("meeting", &q.meeting)?,
        status,
        due_before: None,
    };
    let overdue = match q.overdue.trim() {
        "" | "false" => false,
        "true" => true,
        _ => {
            return Err(AppError::field("overdue", Problem::Invalid("true or false")).into());
        }
    };
    let views = s
        .run(move |app| {
            if overdue {
                filter.due_before = Some(app.today());
                filter.status = Some(ActionStatus::Open);
            }
            app.actions(&caller, &filter)
        })
        .await?;
    Ok(Json(Items::of(views.iter().map(ActionOut::from))))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ActionStatusInput")]
pub struct StatusBody {
    #[schemars(with = "names::ActionStatus")]
    status: String,
    /// The later meeting in which it changed, if any.
    #[serde(default)]
    in_meeting: Option<i64>,
    #[serde(default)]
    note: String,
}

pub async fn set_status(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StatusBody>,
) -> Result<Json<ActionOut>, ApiError> {
    let id = path_id(&id)?;
    let action = s
        .run(move |app| app.set_action_status(&caller, id, &b.status, b.in_meeting, &b.note))
        .await?;
    Ok(Json(ActionOut::from(&action)))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "FollowUpInput")]
pub struct FollowUpBody {
    /// The later meeting in which it was discussed.
    meeting_id: i64,
    #[serde(default)]
    note: String,
}

pub async fn follow_up(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FollowUpBody>,
) -> Result<(StatusCode, Json<ActionOut>), ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| app.follow_up_action(&caller, id, b.meeting_id, &b.note))
        .await?;
    Ok((StatusCode::CREATED, Json(ActionOut::from(&view))))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ActionMoveInput")]
pub struct MoveBody {
    /// The meeting it moves to.
    meeting_id: i64,
}

pub async fn move_to(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MoveBody>,
) -> Result<Json<ActionOut>, ApiError> {
    let id = path_id(&id)?;
    let action = s
        .run(move |app| app.move_action(&caller, id, b.meeting_id))
        .await?;
    Ok(Json(ActionOut::from(&action)))
}

#[derive(Deserialize, Default)]
pub struct SummaryQuery {
    #[serde(default)]
    format: String,
}

/// The summary document as Markdown (`format=md`, the default) or plain text (`txt`).
pub async fn summary(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<SummaryQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let id = path_id(&id)?;
    let format = match q.format.as_str() {
        "" | "md" => "md",
        "txt" => "txt",
        "html" => "html",
        "pdf" => "pdf",
        _ => {
            return Err(AppError::field("format", Problem::Invalid("md, txt, html or pdf")).into());
        }
    };
    let summary = s.run(move |app| app.meeting_summary(&caller, id)).await?;
    let (content_type, body): (&str, Vec<u8>) = match format {
        "txt" => (
            "text/plain; charset=utf-8",
            plenary_domain::summary::text(&summary).into_bytes(),
        ),
        "html" => (
            "text/html; charset=utf-8",
            crate::pages::summary::standalone_html(&summary)
                .map_err(|e| AppError::Internal(format!("summary page: {e}")))?
                .into_bytes(),
        ),
        "pdf" => ("application/pdf", plenary_app::pdf::summary_pdf(&summary)),
        _ => (
            "text/markdown; charset=utf-8",
            plenary_domain::summary::markdown(&summary).into_bytes(),
        ),
    };
    Ok(([(axum::http::header::CONTENT_TYPE, content_type)], body).into_response())
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CarryOverInput")]
pub struct CarryOverBody {
    /// The day of this meeting that gets the review item.
    day_id: i64,
}

pub async fn carry_over(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CarryOverBody>,
) -> Result<Json<CarriedOver>, ApiError> {
    let id = path_id(&id)?;
    let carried = s
        .run(move |app| app.carry_over_open_actions(&caller, id, b.day_id))
        .await?;
    Ok(Json(CarriedOver {
        carried_over: carried,
    }))
}

/// How many open actions were carried over.
#[derive(Serialize, JsonSchema)]
pub(crate) struct CarriedOver {
    carried_over: usize,
}
