//! Minutes and action items over JSON.

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
use serde::Deserialize;
use serde_json::{Value, json};

fn note_json(n: &Note) -> Value {
    json!({ "item_id": n.item_id, "version": n.version, "text": n.text, "updated_at": instant(n.updated_at), "updated_by": n.updated_by })
}

pub(crate) fn action_json(v: &ActionView) -> Value {
    let a = &v.action;
    json!({
        "id": a.id,
        "meeting_id": a.meeting_id,
        "item_id": a.item_id,
        "text": a.text,
        "owner": a.owner.to_string(),
        "due_on": a.due_on.map(|d| d.to_string()),
        "status": a.status.as_str(),
        "status_at": instant(a.status_at),
        "status_by": a.status_by,
        "follow_ups": v.followups.iter().map(|f| json!({ "meeting_id": f.meeting_id, "note": f.note, "at": instant(f.created_at), "by": f.author })).collect::<Vec<_>>(),
    })
}

fn bare(a: plenary_app::Action) -> ActionView {
    ActionView {
        action: a,
        followups: Vec::new(),
    }
}

/// The minutes' state and the notes the caller may read.
pub async fn show(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let (minutes, notes) = s
        .run(move |app| Ok((app.minutes(&caller, id)?, app.notes(&caller, id)?)))
        .await?;
    Ok(Json(
        json!({ "state": minutes.state.as_str(), "revision": minutes.revision, "notes": notes.iter().map(note_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
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
) -> Result<Json<Value>, ApiError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    let note = s
        .run(move |app| app.save_note(&caller, id, item, b.base_version, &b.text))
        .await?;
    Ok(Json(note_json(&note)))
}

pub async fn revisions(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, item)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    let revisions = s
        .run(move |app| app.note_history(&caller, id, item))
        .await?;
    let items: Vec<Value> = revisions.iter().map(|r| json!({ "version": r.version, "text": r.text, "at": instant(r.created_at), "by": r.author })).collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateBody {
    state: String,
}

pub async fn set_state(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StateBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let m = s
        .run(move |app| app.set_minutes_state(&caller, id, &b.state))
        .await?;
    Ok(Json(
        json!({ "state": m.state.as_str(), "revision": m.revision }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    #[serde(default)]
    item_id: Option<i64>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_on: Option<String>,
}

pub async fn add(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActionBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
    Ok((StatusCode::CREATED, Json(action_json(&bare(action)))))
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
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(
        json!({ "items": views.iter().map(action_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    status: String,
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
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let action = s
        .run(move |app| app.set_action_status(&caller, id, &b.status, b.in_meeting, &b.note))
        .await?;
    Ok(Json(action_json(&bare(action))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    meeting_id: i64,
    #[serde(default)]
    note: String,
}

pub async fn follow_up(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FollowUpBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| app.follow_up_action(&caller, id, b.meeting_id, &b.note))
        .await?;
    Ok((StatusCode::CREATED, Json(action_json(&view))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    meeting_id: i64,
}

pub async fn move_to(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MoveBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let action = s
        .run(move |app| app.move_action(&caller, id, b.meeting_id))
        .await?;
    Ok(Json(action_json(&bare(action))))
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarryOverBody {
    day_id: i64,
}

pub async fn carry_over(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CarryOverBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let carried = s
        .run(move |app| app.carry_over_open_actions(&caller, id, b.day_id))
        .await?;
    Ok(Json(json!({ "carried_over": carried })))
}
