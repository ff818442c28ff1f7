//! Calls for submissions, submissions and committee review over JSON: the secretariat
//! sets up calls, forms and reviewer pools, runs the assignment, decides and publishes;
//! a signed-in person keeps drafts with co-proposers, attaches files and sends; pool
//! members bid and declare conflicts; reviewers score. Submissions are shown as the app
//! lets the caller see them: reviews carry a reviewer id for the secretariat only, and
//! never a reviewer's name or address for proposers and reviewers. Responses with
//! personal data are marked `Cache-Control: no-store`.

use super::{ApiJson, instant as iso, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use plenary_app::AppError;
use plenary_app::calls::{
    Call, CallInput, CallPage, CallQuestionInput, CallView, FileInfo, MySubmission, Prerequisite,
    QuestionRow, ReviewShown, Standing, Submission, SubmissionInput, SubmissionView,
};
use plenary_app::review::{
    AssignmentReport, Committee, CommitteeLine, DecisionInput, Reviewer, ReviewerInput, describe,
};
use plenary_domain::calls::ProposalInput;
use plenary_domain::diversity::{Balance, Line};
use plenary_domain::review::Bid;
use plenary_domain::time::{Zone, label};
use plenary_domain::{FieldError, Problem};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn no_store(status: StatusCode, value: Value) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(value)).into_response()
}

fn labelled(at: DateTime<Utc>, zone: Zone) -> Value {
    let l = label(at, zone);
    json!({ "utc": iso(at), "local": l.local.format("%Y-%m-%dT%H:%M").to_string(), "offset": l.offset, "zone": zone.name(), "text": l.to_string() })
}

fn stored_list(raw: &str) -> Vec<String> {
    serde_json::from_str(raw).unwrap_or_default()
}

/// A call as listed: its settings without the form.
fn call_json(c: &Call, now: DateTime<Utc>) -> Value {
    let zone = Zone::parse("time_zone", &c.time_zone).unwrap_or(Zone::UTC);
    json!({
        "id": c.id,
        "kind": c.kind.as_str(),
        "title": c.title,
        "description": c.description,
        "time_zone": c.time_zone,
        "opens_at": labelled(c.opens_at, zone),
        "closes_at": labelled(c.closes_at, zone),
        "open": c.opens_at <= now && now < c.closes_at,
        "published": c.published,
    })
}

fn question_json(q: &QuestionRow) -> Value {
    json!({
        "id": q.id,
        "key": q.key,
        "label": q.label,
        "kind": q.kind.as_str(),
        "required": q.required,
        "options": stored_list(&q.options),
        "max_kb": q.max_bytes.map(|b| b / 1024),
        "file_types": q.file_types.split(',').filter(|t| !t.is_empty()).collect::<Vec<_>>(),
    })
}

/// A call with all its settings and its form.
fn call_view_json(v: &CallView, now: DateTime<Utc>) -> Value {
    let mut value = call_json(&v.call, now);
    value["open"] = json!(v.is_open(now));
    value["max_per_person"] = json!(v.call.max_per_person);
    value["editable_until_close"] = json!(v.call.editable_until_close);
    value["themes"] = json!(v.themes);
    value["prerequisite"] = match v.prerequisite {
        Prerequisite::None => Value::Null,
        p => json!(p.as_input()),
    };
    value["country_groups"] = v.country_groups.iter().map(|g| json!(g.as_str())).collect();
    value["reviewers_per_submission"] = json!(v.call.reviewers_per_submission);
    value["criteria"] = json!(v.criteria);
    value["scale"] = json!({ "min": v.call.scale_min, "max": v.call.scale_max });
    value["balance_penalty"] = json!(v.call.balance_penalty_micros as f64 / 1e6);
    value["questions"] = v.questions.iter().map(question_json).collect();
    value
}

/// A submission as listed: no proposers, no answers.
fn submission_summary(s: &Submission) -> Value {
    json!({
        "id": s.id,
        "call_id": s.call_id,
        "status": s.status.as_str(),
        "title": s.title,
        "session_type": s.session_type,
        "theme": s.theme,
        "first_time": s.first_time,
        "submitted_at": s.submitted_at.map(iso),
        "updated_at": iso(s.updated_at),
    })
}

fn file_json(f: &FileInfo) -> Value {
    json!({
        "question_key": f.question_key,
        "filename": f.filename,
        "content_type": f.content_type,
        "size": f.size,
        "sha256": f.sha256,
    })
}

/// A review as the caller may see it: a reviewer id only when the app gives one (the
/// secretariat's view); the label is "Reviewer 2" or "Your review" for everyone else.
fn review_json(r: &ReviewShown) -> Value {
    let mut value = json!({
        "label": r.label,
        "scores": r.scores,
        "comment": r.comment,
        "submitted_at": iso(r.submitted_at),
    });
    if let Some(id) = r.reviewer_id {
        value["reviewer_id"] = json!(id);
    }
    value
}

fn standing_str(s: Standing) -> &'static str {
    match s {
        Standing::Manager => "manager",
        Standing::Proposer => "proposer",
        Standing::Reviewer => "reviewer",
        Standing::PoolMember => "pool_member",
    }
}

fn submission_json(v: &SubmissionView) -> Value {
    let s = &v.submission;
    let insider = matches!(v.standing, Standing::Manager | Standing::Proposer);
    let people: Vec<Value> = v
        .people
        .iter()
        .map(|p| {
            let mut person = json!({ "display_name": p.display_name, "role": p.role });
            // Reviewers see who proposes, not their accounts or addresses.
            if insider {
                person["user_id"] = json!(p.user_id);
                person["email"] = json!(p.email);
            }
            person
        })
        .collect();
    let mut value = submission_summary(s);
    value["call"] = json!({ "id": v.call.call.id, "title": v.call.call.title, "kind": v.call.call.kind.as_str() });
    value["proposal"] = json!(v.proposal);
    value["answers"] = json!(v.answers);
    value["created_at"] = json!(iso(s.created_at));
    value["version"] = json!(s.version);
    value["merged_into"] = json!(
        v.merged_into
            .as_ref()
            .map(|(id, title)| json!({ "id": id, "title": title }))
    );
    value["decided_at"] = json!(s.decided_at.map(iso));
    if insider {
        value["decision_reason"] = json!(s.decision_reason);
    }
    if v.standing == Standing::Manager {
        value["decided_by"] = json!(s.decided_by);
    }
    value["people"] = json!(people);
    value["files"] = v.files.iter().map(file_json).collect();
    value["standing"] = json!(standing_str(v.standing));
    value["may_edit"] = json!(v.may_edit.is_ok());
    value["why_not_edit"] = json!(v.may_edit.as_ref().err());
    value["may_submit"] = json!(v.may_submit.is_ok());
    value["why_not_submit"] = json!(v.may_submit.as_ref().err());
    value["reviews"] = v.reviews.iter().map(review_json).collect();
    value["review_count"] = json!(v.review_count);
    value["my_review"] = json!(v.my_review.as_ref().map(review_json));
    value
}

fn private_submission(status: StatusCode, v: &SubmissionView) -> Response {
    no_store(status, submission_json(v))
}

fn reviewer_json(r: &Reviewer) -> Value {
    json!({
        "user_id": r.user_id,
        "email": r.email,
        "display_name": r.display_name,
        "max_load": r.max_load,
        "organization": r.organization,
        "stakeholder_group": r.stakeholder_group,
        "expertise": stored_list(&r.expertise),
    })
}

fn lines_json(lines: &[Line]) -> Value {
    lines
        .iter()
        .map(|l| json!({ "label": l.label, "count": l.count, "percent": l.percent }))
        .collect()
}

fn balance_json(b: &Balance) -> Value {
    json!({
        "sessions": b.sessions,
        "speakers": b.speakers,
        "first_time_sessions": b.first_time_sessions,
        "stakeholder_groups": lines_json(&b.stakeholder_groups),
        "regions": lines_json(&b.regions),
        "genders": lines_json(&b.genders),
        "session_types": lines_json(&b.session_types),
        "themes": lines_json(&b.themes),
    })
}

fn report_json(r: &AssignmentReport) -> Value {
    json!({
        "submissions": r.submissions,
        "reviewers": r.reviewers,
        "kept": r.kept,
        "added": r.added,
        "total_affinity": r.total_affinity,
        "excess": r.excess,
        "objective": r.objective,
        "summary": describe(r),
    })
}

fn committee_line_json(l: &CommitteeLine) -> Value {
    let mut value = submission_summary(&l.submission);
    value["assigned"] = l
        .assigned_users
        .iter()
        .zip(&l.assigned)
        .map(|(id, name)| json!({ "user_id": id, "name": name }))
        .collect();
    value["reviews"] = json!(l.reviews);
    value["mean"] = json!(l.aggregate.as_ref().map(|a| a.mean));
    value["normalised"] = json!(l.aggregate.as_ref().map(|a| a.normalised));
    value["criteria"] = json!(l.criteria);
    value
}

fn committee_json(c: &Committee, now: DateTime<Utc>) -> Value {
    json!({
        "call": call_json(&c.call.call, now),
        "items": c.lines.iter().map(committee_line_json).collect::<Vec<_>>(),
        "reviewers": c.reviewers.iter().map(reviewer_json).collect::<Vec<_>>(),
        "conflicts": c.conflicts.iter().map(|(s, u, why)| json!({ "submission_id": s, "user_id": u, "reason": why })).collect::<Vec<_>>(),
        "balance": balance_json(&c.balance),
    })
}

// ------------------------------------------------------------------ calls

pub async fn list(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let (calls, now) = s.run(|app| Ok((app.calls()?, app.now()))).await?;
    Ok(Json(
        json!({ "items": calls.iter().map(|c| call_json(c, now)).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallBody {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    time_zone: String,
    /// Local wall-clock date-times in the call's zone: "2026-06-22T09:00".
    #[serde(default)]
    opens_at: String,
    #[serde(default)]
    closes_at: String,
    /// `null` or absent: no limit.
    #[serde(default)]
    max_per_person: Option<i64>,
    #[serde(default)]
    editable_until_close: bool,
    #[serde(default)]
    themes: Vec<String>,
    /// Absent, `none`, `registration:EVENT` or `accepted:CALL`.
    #[serde(default)]
    prerequisite: Option<String>,
    #[serde(default)]
    country_groups: Vec<String>,
    #[serde(default)]
    reviewers_per_submission: Option<i64>,
    #[serde(default)]
    criteria: Vec<String>,
    #[serde(default)]
    scale_min: Option<i64>,
    #[serde(default)]
    scale_max: Option<i64>,
    #[serde(default)]
    balance_penalty: Option<f64>,
}

impl From<CallBody> for CallInput {
    fn from(b: CallBody) -> Self {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        CallInput {
            kind: b.kind,
            title: b.title,
            description: b.description,
            time_zone: b.time_zone,
            opens_at: b.opens_at,
            closes_at: b.closes_at,
            max_per_person: number(b.max_per_person),
            editable_until_close: b.editable_until_close,
            themes: b.themes.join("\n"),
            prerequisite: b.prerequisite.unwrap_or_default(),
            country_groups: b.country_groups,
            reviewers_per_submission: number(b.reviewers_per_submission),
            criteria: b.criteria.join("\n"),
            scale_min: number(b.scale_min),
            scale_max: number(b.scale_max),
            balance_penalty: b.balance_penalty.map(|p| p.to_string()).unwrap_or_default(),
        }
    }
}

pub async fn create(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<CallBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let input = body.into();
    let (view, now) = s
        .run(move |app| Ok((app.save_call(&caller, None, &input)?, app.now())))
        .await?;
    Ok((StatusCode::CREATED, Json(call_view_json(&view, now))))
}

fn call_page_json(p: &CallPage, now: DateTime<Utc>) -> Value {
    let mut value = call_view_json(&p.call, now);
    value["may_start"] = json!(p.may_start.is_ok());
    value["why_not"] = json!(p.may_start.as_ref().err());
    value["mine"] = p.mine.iter().map(submission_summary).collect();
    value["reviewer"] = json!(p.reviewer);
    value
}

/// A call with its form (public); for a signed-in caller also whether they may start a
/// submission, theirs, and whether they are in its reviewer pool.
pub async fn show(
    State(s): State<AppState>,
    ApiCaller(caller, user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let (page, now) = s
        .run(move |app| Ok((app.call_page(&caller, id)?, app.now())))
        .await?;
    let value = call_page_json(&page, now);
    Ok(if user.is_some() {
        no_store(StatusCode::OK, value)
    } else {
        Json(value).into_response()
    })
}

pub async fn update(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CallBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let (view, now) = s
        .run(move |app| Ok((app.save_call(&caller, Some(id), &input)?, app.now())))
        .await?;
    Ok(Json(call_view_json(&view, now)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionBody {
    #[serde(default)]
    key: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    options: Vec<String>,
    /// File questions: the largest file in KB (absent: the default).
    #[serde(default)]
    max_kb: Option<i64>,
    /// File questions: accepted extensions (absent: any known type).
    #[serde(default)]
    file_types: Vec<String>,
}

pub async fn add_question(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<QuestionBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    let key = b.key.trim().to_owned();
    let input = CallQuestionInput {
        key: b.key,
        label: b.label,
        kind: b.kind,
        required: b.required,
        options: b.options.join("\n"),
        max_kb: b.max_kb.map(|n| n.to_string()).unwrap_or_default(),
        file_types: b.file_types.join(", "),
    };
    let view = s
        .run(move |app| app.add_call_question(&caller, id, &input))
        .await?;
    let question = view
        .questions
        .iter()
        .find(|q| q.key == key)
        .map(question_json)
        .ok_or_else(|| AppError::Internal("the new question is not in the form".into()))?;
    Ok((StatusCode::CREATED, Json(question)))
}

pub async fn delete_question(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, question)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, question) = (path_id(&id)?, path_id(&question)?);
    s.run(move |app| app.delete_call_question(&caller, id, question))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ submissions

/// An answer as JSON: a string, several strings, a number or a boolean (a ticked box).
fn answer_values(value: Value) -> Vec<String> {
    match value {
        Value::Null | Value::Bool(false) => Vec::new(),
        Value::Bool(true) => vec!["yes".into()],
        Value::String(s) => vec![s],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items.into_iter().flat_map(answer_values).collect(),
        Value::Object(_) => vec![value.to_string()],
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionBody {
    /// The title (calls other than session proposals).
    #[serde(default)]
    title: String,
    /// The session proposal (session-proposal calls).
    #[serde(default)]
    proposal: ProposalInput,
    /// Question key → answer (a string, a list of strings, a number or a boolean).
    #[serde(default)]
    answers: BTreeMap<String, Value>,
    /// The version the change is based on; a co-proposer's newer save is then a 409.
    #[serde(default)]
    version: Option<i64>,
}

impl From<SubmissionBody> for SubmissionInput {
    fn from(b: SubmissionBody) -> Self {
        SubmissionInput {
            title: b.title,
            proposal: b.proposal,
            answers: b
                .answers
                .into_iter()
                .map(|(k, v)| (k, answer_values(v)))
                .collect(),
            version: b.version,
        }
    }
}

/// Starts a draft (any signed-in account, while the call is open).
pub async fn create_submission(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SubmissionBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let view = s
        .run(move |app| app.save_submission(&caller, id, None, &input))
        .await?;
    Ok(private_submission(StatusCode::CREATED, &view))
}

pub async fn show_submission(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let view = s.run(move |app| app.submission(&caller, id)).await?;
    Ok(private_submission(StatusCode::OK, &view))
}

/// Replaces the content of a submission (its proposers; a sent one must stay complete).
pub async fn update_submission(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SubmissionBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let view = s
        .run(move |app| {
            let call = app.submission(&caller, id)?.call.call.id;
            app.save_submission(&caller, call, Some(id), &input)
        })
        .await?;
    Ok(private_submission(StatusCode::OK, &view))
}

pub async fn submit(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let view = s.run(move |app| app.submit_submission(&caller, id)).await?;
    Ok(private_submission(StatusCode::OK, &view))
}

pub async fn withdraw(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| app.withdraw_submission(&caller, id))
        .await?;
    Ok(private_submission(StatusCode::OK, &view))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailBody {
    #[serde(default)]
    email: String,
}

/// Adds a co-proposer by the address of their account; answers the submission.
pub async fn add_co_proposer(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EmailBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| app.add_co_proposer(&caller, id, &b.email))
        .await?;
    Ok(private_submission(StatusCode::CREATED, &view))
}

pub async fn remove_co_proposer(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, user)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, user) = (path_id(&id)?, path_id(&user)?);
    s.run(move |app| app.remove_co_proposer(&caller, id, user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default)]
pub struct FileQuery {
    #[serde(default)]
    filename: String,
}

/// Attaches (or replaces) the file answering a file question: the request body is the
/// file, its name the `filename` query parameter. Larger bodies than any question
/// accepts are refused before they are read whole.
pub async fn put_file(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, key)): Path<(String, String)>,
    Query(q): Query<FileQuery>,
    body: Body,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    // Only proposers attach: nothing is read for a request without an account.
    if caller.principal.user_id().is_none() {
        return Err(AppError::SignInRequired.into());
    }
    let limit = usize::try_from(plenary_domain::call_form::MAX_FILE_BYTES).unwrap_or(usize::MAX);
    let data = axum::body::to_bytes(body, limit).await.map_err(|_| {
        AppError::Invalid(vec![FieldError::new(
            "file",
            Problem::Explained(format!("at most {} KB are accepted", limit / 1024)),
        )])
    })?;
    let view = s
        .run(move |app| app.attach_submission_file(&caller, id, &key, &q.filename, &data))
        .await?;
    Ok(private_submission(StatusCode::OK, &view))
}

/// A file of a submission, for those who may see the submission.
pub async fn file(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, key)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let (info, data) = s
        .run(move |app| app.submission_file(&caller, id, &key))
        .await?;
    // An ASCII name to save it under: the slug of the stored name, with its extension.
    let (stem, ext) = info
        .filename
        .rsplit_once('.')
        .filter(|(_, e)| !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or((info.filename.as_str(), ""));
    let mut name = match plenary_domain::search::ascii_slug(stem, 100) {
        slug if slug.is_empty() => "file".to_owned(),
        slug => slug,
    };
    if !ext.is_empty() {
        name = format!("{name}.{}", ext.to_ascii_lowercase());
    }
    Ok(crate::download::file(
        &info.content_type,
        crate::download::Show::Attachment,
        &name,
        true,
        data,
    ))
}

fn my_submission_json(m: &MySubmission) -> Value {
    let mut value = submission_summary(&m.submission);
    value["call"] = json!({ "id": m.call.id, "title": m.call.title, "kind": m.call.kind.as_str() });
    value["role"] = json!(m.role);
    value
}

/// The caller's submissions, newest first.
pub async fn mine(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
) -> Result<Response, ApiError> {
    let list = s.run(move |app| app.my_submissions(&caller)).await?;
    Ok(no_store(
        StatusCode::OK,
        json!({ "items": list.iter().map(my_submission_json).collect::<Vec<_>>() }),
    ))
}

// ------------------------------------------------------------------ reviewer pool

pub async fn list_reviewers(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let pool = s.run(move |app| app.reviewers(&caller, id)).await?;
    Ok(no_store(
        StatusCode::OK,
        json!({ "items": pool.iter().map(reviewer_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewerBody {
    #[serde(default)]
    email: String,
    /// The most submissions they review (absent: 10).
    #[serde(default)]
    max_load: Option<i64>,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    stakeholder_group: String,
    /// Themes of the call they know well.
    #[serde(default)]
    expertise: Vec<String>,
}

/// Adds an account to the pool, or changes its load and expertise.
pub async fn add_reviewer(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReviewerBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = ReviewerInput {
        email: b.email,
        max_load: b.max_load.map(|n| n.to_string()).unwrap_or_default(),
        organization: b.organization,
        stakeholder_group: b.stakeholder_group,
        expertise: b.expertise.join("\n"),
    };
    let reviewer = s
        .run(move |app| app.save_reviewer(&caller, id, &input))
        .await?;
    Ok(no_store(StatusCode::CREATED, reviewer_json(&reviewer)))
}

pub async fn remove_reviewer(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, user)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, user) = (path_id(&id)?, path_id(&user)?);
    s.run(move |app| app.remove_reviewer(&caller, id, user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The sent submissions of a call for the caller (a pool member) to bid on.
pub async fn bids(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let list = s.run(move |app| app.biddable(&caller, id)).await?;
    Ok(no_store(
        StatusCode::OK,
        json!({ "items": list.iter().map(|b| {
            let mut value = submission_summary(&b.submission);
            value["bid"] = json!(b.bid.map(|b| b.as_str()));
            value["conflict"] = json!(b.conflict);
            value
        }).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BidBody {
    /// `eager`, `willing`, `unwilling`, or `null` to clear.
    #[serde(default)]
    bid: Option<String>,
}

pub async fn bid(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BidBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let bid = match b.bid.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(Bid::parse_field("bid", raw).map_err(AppError::from)?),
    };
    s.run(move |app| app.bid(&caller, id, bid)).await?;
    Ok(Json(
        json!({ "submission_id": id, "bid": bid.map(|b| b.as_str()) }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictBody {
    #[serde(default)]
    reason: String,
    /// The secretariat declares for a pool member; absent: the caller.
    #[serde(default)]
    user_id: Option<i64>,
}

pub async fn declare_conflict(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ConflictBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    let who = b
        .user_id
        .or_else(|| caller.principal.user_id().map(|u| u.0));
    let reason = b.reason.trim().to_owned();
    s.run(move |app| app.declare_conflict(&caller, id, b.user_id, &b.reason))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "submission_id": id, "user_id": who, "reason": reason })),
    ))
}

// ------------------------------------------------------------------ assignment, reviews

/// Runs the optimal assignment; answers the report (409/422 when none exists).
pub async fn run_assignment(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let report = s.run(move |app| app.run_assignment(&caller, id)).await?;
    Ok(Json(report_json(&report)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    #[serde(default)]
    user_id: Option<i64>,
}

pub async fn assign_reviewer(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AssignBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(&id)?;
    let user = b
        .user_id
        .ok_or_else(|| AppError::field("user_id", Problem::Required))?;
    s.run(move |app| app.assign_reviewer(&caller, id, user))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "submission_id": id, "user_id": user, "source": "manual" })),
    ))
}

pub async fn unassign_reviewer(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, user)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (id, user) = (path_id(&id)?, path_id(&user)?);
    s.run(move |app| app.unassign_reviewer(&caller, id, user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The submissions assigned to the caller.
pub async fn my_assignments(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
) -> Result<Response, ApiError> {
    let list = s.run(move |app| app.my_assignments(&caller)).await?;
    Ok(no_store(
        StatusCode::OK,
        json!({ "items": list.iter().map(|a| {
            let mut value = submission_summary(&a.submission);
            value["call_title"] = json!(a.call_title);
            value["reviewed"] = json!(a.reviewed);
            value
        }).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// Criterion → score on the call's scale.
    #[serde(default)]
    scores: BTreeMap<String, Value>,
    #[serde(default)]
    comment: String,
}

/// Writes or changes the caller's review; answers the submission as they now see it.
pub async fn save_review(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReviewBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let scores: BTreeMap<String, String> = b
        .scores
        .into_iter()
        .map(|(k, v)| {
            let raw = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, raw)
        })
        .collect();
    let view = s
        .run(move |app| {
            app.save_review(&caller, id, &scores, &b.comment)?;
            app.submission(&caller, id)
        })
        .await?;
    Ok(private_submission(StatusCode::OK, &view))
}

// ------------------------------------------------------------------ committee

pub async fn committee(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let (c, now) = s
        .run(move |app| Ok((app.committee(&caller, id)?, app.now())))
        .await?;
    Ok(no_store(StatusCode::OK, committee_json(&c, now)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    /// For a merge: the submission this one joins.
    #[serde(default)]
    merge_into: Option<i64>,
}

pub async fn decide(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = DecisionInput {
        decision: b.decision,
        reason: b.reason,
        merge_into: b.merge_into.map(|n| n.to_string()).unwrap_or_default(),
    };
    let view = s
        .run(move |app| {
            app.decide(&caller, id, &input)?;
            app.submission(&caller, id)
        })
        .await?;
    Ok(private_submission(StatusCode::OK, &view))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    published: bool,
}

pub async fn publish(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PublishBody>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let published = b.published;
    s.run(move |app| app.publish_selection(&caller, id, published))
        .await?;
    Ok(Json(json!({ "call_id": id, "published": published })))
}

/// The accepted submissions (public once published; the secretariat may preview).
pub async fn selected(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let ((call, list), now) = s
        .run(move |app| Ok((app.selection(&caller, id)?, app.now())))
        .await?;
    Ok(Json(json!({
        "call": call_json(&call.call, now),
        "items": serde_json::to_value(&list).unwrap_or(Value::Null),
    })))
}

pub async fn balance(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(&id)?;
    let b = s.run(move |app| app.call_balance(&caller, id)).await?;
    Ok(Json(balance_json(&b)))
}
