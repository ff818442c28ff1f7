//! The reviewers' pages: the submissions assigned to them, bidding on a call's
//! submissions and declaring conflicts of interest, and the review form. The use cases
//! check pool membership and assignment; others get "not found".

use super::DoneQuery;
use super::calls_admin::shown_here;
use super::{ShownError, utc, with_status};
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use plenary_app::calls::{Standing, SubmissionView};
use plenary_domain::calls::{SessionFormat, SessionType, SubmissionStatus};
use plenary_domain::review::Bid;
use serde::Deserialize;
use std::collections::BTreeMap;

fn type_label(raw: Option<&str>) -> String {
    raw.and_then(SessionType::parse)
        .map(|t| t.label().to_owned())
        .unwrap_or_default()
}

// ------------------------------------------------------------------ my assignments

struct AssignedLine {
    id: i64,
    title: String,
    theme: String,
    session_type: String,
    reviewed: bool,
    open: bool,
}

struct CallGroup {
    id: i64,
    title: String,
    lines: Vec<AssignedLine>,
    to_do: usize,
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct ReviewsPage {
    chrome: Chrome,
    groups: Vec<CallGroup>,
}

pub async fn mine(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let assigned = state.run(move |app| app.my_assignments(&caller)).await?;
    let mut groups: Vec<CallGroup> = Vec::new();
    for a in assigned {
        let s = &a.submission;
        let line = AssignedLine {
            id: s.id,
            title: s.title.clone(),
            theme: s.theme.clone().unwrap_or_default(),
            session_type: type_label(s.session_type.as_deref()),
            reviewed: a.reviewed,
            open: s.status == SubmissionStatus::Submitted,
        };
        match groups.iter_mut().find(|g| g.id == s.call_id) {
            Some(g) => g.lines.push(line),
            None => groups.push(CallGroup {
                id: s.call_id,
                title: a.call_title.clone(),
                lines: vec![line],
                to_do: 0,
            }),
        }
    }
    for g in &mut groups {
        g.to_do = g.lines.iter().filter(|l| !l.reviewed && l.open).count();
    }
    Ok(render(&ReviewsPage {
        chrome: visitor.chrome(&state.app),
        groups,
    }))
}

// ------------------------------------------------------------------ bids and conflicts

struct BidLine {
    id: i64,
    title: String,
    theme: String,
    session_type: String,
    bid: &'static str,
    conflict: Option<String>,
    reason: String,
    /// Refusals of the bid, and of the declared conflict.
    bid_errors: Vec<ShownError>,
    conflict_errors: Vec<ShownError>,
}

#[derive(Template)]
#[template(path = "bids.html")]
struct BidsPage {
    chrome: Chrome,
    id: i64,
    title: String,
    notice: Option<&'static str>,
    bids: Vec<(&'static str, &'static str)>,
    lines: Vec<BidLine>,
}

fn bids_notice(done: &str) -> Option<&'static str> {
    match done {
        "bid" => Some("Your bid has been saved."),
        "conflict" => Some(
            "Your conflict of interest has been recorded: you will not review this submission.",
        ),
        _ => None,
    }
}

async fn bids_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    notice: Option<&'static str>,
    refused: Option<(i64, String, Vec<ShownError>)>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (list, call) = state
        .run(move |app| Ok((app.biddable(&caller, id)?, app.call(id)?)))
        .await?;
    let mut refused = refused;
    let lines = list
        .into_iter()
        .map(|b| {
            let s = &b.submission;
            let (reason, errors) = match refused.take_if(|(sid, _, _)| *sid == s.id) {
                Some((_, reason, errors)) => (reason, errors),
                None => (String::new(), vec![]),
            };
            BidLine {
                id: s.id,
                title: s.title.clone(),
                theme: s.theme.clone().unwrap_or_default(),
                session_type: type_label(s.session_type.as_deref()),
                bid: b.bid.map_or("", |b| b.as_str()),
                conflict: b.conflict.clone(),
                reason,
                bid_errors: errors
                    .iter()
                    .filter(|e| e.field == "bid")
                    .cloned()
                    .collect(),
                conflict_errors: errors.into_iter().filter(|e| e.field != "bid").collect(),
            }
        })
        .collect();
    Ok(render(&BidsPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: call.call.title.clone(),
        notice,
        bids: Bid::ALL.iter().map(|b| (b.as_str(), b.label())).collect(),
        lines,
    }))
}

pub async fn bids(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    bids_page(&state, &visitor, id, bids_notice(&q.done), None).await
}

#[derive(Deserialize, Default)]
pub struct BidForm {
    #[serde(default)]
    bid: String,
}

/// The call of a submission the caller may see (pool members and reviewers).
async fn call_of(state: &AppState, visitor: &Visitor, id: i64) -> Result<i64, PageError> {
    let caller = visitor.caller();
    Ok(state
        .run(move |app| app.submission(&caller, id))
        .await?
        .call
        .call
        .id)
}

pub async fn bid(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<BidForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let call = call_of(&state, &visitor, id).await?;
    let caller = visitor.caller();
    let raw = form.bid.trim().to_owned();
    let saved = state
        .run(move |app| {
            let bid = match raw.as_str() {
                "" | "none" => None,
                raw => Some(Bid::parse_field("bid", raw).map_err(|e| AppError::Invalid(vec![e]))?),
            };
            app.bid(&caller, id, bid)
        })
        .await;
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/calls/{call}/bids?done=bid#s{id}")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            bids_page(
                &state,
                &visitor,
                call,
                None,
                Some((id, String::new(), shown_here(&errors))),
            )
            .await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct ConflictForm {
    #[serde(default)]
    reason: String,
}

pub async fn conflict(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ConflictForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    // Before: once declared, the submission is out of the caller's sight.
    let call = call_of(&state, &visitor, id).await?;
    let caller = visitor.caller();
    let reason = form.reason.clone();
    match state
        .run(move |app| app.declare_conflict(&caller, id, None, &reason))
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/calls/{call}/bids?done=conflict")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            bids_page(
                &state,
                &visitor,
                call,
                None,
                Some((id, form.reason, shown_here(&errors))),
            )
            .await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

// ------------------------------------------------------------------ the review form

struct ScoreField {
    criterion: String,
    name: String,
    value: String,
}

struct OtherReview {
    label: String,
    scores: Vec<(String, i64)>,
    comment: String,
    at: String,
}

struct Summary {
    call_title: String,
    status: &'static str,
    session_type: String,
    theme: String,
    format: String,
    description: String,
    policy_questions: Vec<String>,
    speakers: Vec<String>,
    answers: Vec<(String, String)>,
    files: Vec<String>,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    chrome: Chrome,
    id: i64,
    call_id: i64,
    title: String,
    notice: Option<&'static str>,
    summary: Summary,
    open: bool,
    reviewed: bool,
    scale_min: i64,
    scale_max: i64,
    scores: Vec<ScoreField>,
    comment: String,
    /// The refusals of the scores, shown under them.
    score_errors: Vec<ShownError>,
    errors: Vec<ShownError>,
    others: Vec<OtherReview>,
    others_count: usize,
}

fn summary_of(v: &SubmissionView) -> Summary {
    let s = &v.submission;
    let p = v.proposal.clone().unwrap_or_default();
    let labels: BTreeMap<&str, &str> = v
        .call
        .questions
        .iter()
        .map(|q| (q.key.as_str(), q.label.as_str()))
        .collect();
    Summary {
        call_title: v.call.call.title.clone(),
        status: s.status.label(),
        session_type: type_label(s.session_type.as_deref()),
        theme: s.theme.clone().unwrap_or_default(),
        format: SessionFormat::parse(&p.format)
            .map(|f| f.label().to_owned())
            .unwrap_or_default(),
        description: p.description.clone(),
        policy_questions: p
            .policy_questions
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        speakers: p
            .speakers
            .iter()
            .filter(|sp| !sp.name.trim().is_empty())
            .map(|sp| {
                let role = if sp.organizer { ", organizer" } else { "" };
                format!("{} ({}{role})", sp.name.trim(), sp.organization.trim())
            })
            .collect(),
        answers: v
            .answers
            .iter()
            .map(|(k, values)| {
                (
                    labels.get(k.as_str()).copied().unwrap_or(k).to_owned(),
                    values.join(", "),
                )
            })
            .collect(),
        files: v.files.iter().map(|f| f.filename.clone()).collect(),
    }
}

/// The prefix and suffix of the score fields' names: `scores[Relevance]`.
const SCORE_PREFIX: &str = "scores[";

fn review_page(
    state: &AppState,
    visitor: &Visitor,
    v: &SubmissionView,
    notice: Option<&'static str>,
    typed: Option<(BTreeMap<String, String>, String)>,
    errors: Vec<ShownError>,
) -> Response {
    let mine = v.my_review.as_ref();
    let (given, comment) = typed.unwrap_or_else(|| {
        (
            mine.map(|r| {
                r.scores
                    .iter()
                    .map(|(c, n)| (c.clone(), n.to_string()))
                    .collect()
            })
            .unwrap_or_default(),
            mine.map(|r| r.comment.clone()).unwrap_or_default(),
        )
    });
    let others: Vec<OtherReview> = v
        .reviews
        .iter()
        .filter(|r| !r.mine)
        .map(|r| OtherReview {
            label: r.label.clone(),
            scores: r.scores.iter().map(|(c, n)| (c.clone(), *n)).collect(),
            comment: r.comment.clone(),
            at: utc(r.submitted_at),
        })
        .collect();
    render(&ReviewPage {
        chrome: visitor.chrome(&state.app),
        id: v.submission.id,
        call_id: v.call.call.id,
        title: v.submission.title.clone(),
        notice,
        summary: summary_of(v),
        open: v.submission.status == SubmissionStatus::Submitted,
        reviewed: mine.is_some(),
        scale_min: v.call.call.scale_min,
        scale_max: v.call.call.scale_max,
        scores: v
            .call
            .criteria
            .iter()
            .map(|c| ScoreField {
                criterion: c.clone(),
                name: format!("{SCORE_PREFIX}{c}]"),
                value: given.get(c).cloned().unwrap_or_default(),
            })
            .collect(),
        comment,
        score_errors: errors
            .iter()
            .filter(|e| e.field == "scores")
            .cloned()
            .collect(),
        errors,
        others_count: v.review_count.saturating_sub(usize::from(mine.is_some())),
        others,
    })
}

/// The submission for its assigned reviewer; anyone else gets "not found" (the
/// proposers and the secretariat have the submission's own page).
async fn assigned(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
) -> Result<SubmissionView, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let v = state.run(move |app| app.submission(&caller, id)).await?;
    if v.standing == Standing::Reviewer {
        Ok(v)
    } else {
        Err(PageError::App(AppError::NotFound))
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let v = assigned(&state, &visitor, id).await?;
    let notice = (q.done == "saved").then_some("Your review has been saved.");
    Ok(review_page(&state, &visitor, &v, notice, None, vec![]))
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let mut scores = BTreeMap::new();
    let mut comment = String::new();
    for (name, value) in form {
        if name == "comment" {
            comment = value;
        } else if let Some(criterion) = name
            .strip_prefix(SCORE_PREFIX)
            .and_then(|rest| rest.strip_suffix(']'))
        {
            scores.insert(criterion.to_owned(), value);
        }
    }
    let caller = visitor.caller();
    let (given, text) = (scores.clone(), comment.clone());
    match state
        .run(move |app| app.save_review(&caller, id, &given, &text))
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/submissions/{id}/review?done=saved")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let v = assigned(&state, &visitor, id).await?;
            Ok(with_status(
                review_page(
                    &state,
                    &visitor,
                    &v,
                    None,
                    Some((scores, comment)),
                    shown_here(&errors),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}
