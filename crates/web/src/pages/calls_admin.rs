//! The secretariat's pages for calls: setting a call up (window, rules, form questions,
//! review settings), its reviewer pool, the reviewer assignment (run and by hand), the
//! committee's table with decisions, the balance of the accepted set and the published
//! selection.

use super::DoneQuery;
use super::meetings::span_text;
use super::{Empty, ShownError, shown, with_status};
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use plenary_app::calls::{CallInput, CallQuestionInput, CallView};
use plenary_app::review::{Committee, DecisionInput, ReviewerInput};
use plenary_domain::call_form::QuestionKind;
use plenary_domain::calls::{CallKind, Decision, SessionType};
use plenary_domain::diversity::{Balance, Line};
use plenary_domain::geo::CountryGroup;
use plenary_domain::people::StakeholderGroup;
use plenary_domain::{FieldError, Permission, Scope};
use serde::Deserialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Pages with no use case of their own to check access (the list of calls, the empty
/// form) check the permission here; what they do goes through use cases that check it
/// again.
fn require_call_manager(visitor: &Visitor) -> Result<(), PageError> {
    visitor.require_user()?;
    if visitor
        .caller()
        .principal
        .can(Permission::ManageCalls, Scope::Global)
    {
        Ok(())
    } else {
        Err(PageError::App(AppError::Forbidden))
    }
}

fn is_yes(raw: &str) -> bool {
    matches!(raw, "yes" | "on" | "true" | "1")
}

/// Field errors with the names of this area's fields.
pub(crate) fn shown_here(errors: &[FieldError]) -> Vec<ShownError> {
    let mut out = shown(errors);
    for (e, s) in errors.iter().zip(out.iter_mut()) {
        let label = match e.field {
            "kind" => "The kind of call",
            "description" => "The description",
            "opens_at" => "The opening",
            "closes_at" => "The closing",
            "max_per_person" => "The most submissions per person",
            "themes" => "The themes",
            "prerequisite" => "The prerequisite",
            "country_groups" => "The country groups",
            "reviewers_per_submission" => "The reviewers per submission",
            "criteria" => "The criteria",
            "scale_min" => "The lowest score",
            "scale_max" => "The highest score",
            "balance_penalty" => "The balance penalty",
            "max_kb" => "The largest file",
            "file_types" => "The file types",
            "max_load" => "The most submissions to review",
            "expertise" => "The expertise",
            "reviewer" => "The reviewer",
            "assignment" => "The assignment",
            "decision" => "The decision",
            "merge_into" => "The submission to merge into",
            "comment" => "The comment",
            "bid" => "The bid",
            "call" => "The call",
            _ => continue,
        };
        s.message = format!("{label} {}", e.problem);
    }
    // A score's error names its criterion itself: "Relevance: is not valid: …".
    for (e, s) in errors.iter().zip(out.iter_mut()) {
        if e.field == "scores" {
            let text = e.problem.to_string();
            s.message = text.trim_start_matches("is not valid: ").to_owned();
        }
    }
    out
}

/// The window of a call in its zone.
pub(crate) fn window_text(call: &CallView) -> String {
    span_text(call.call.opens_at, call.call.closes_at, call.zone)
}

// ------------------------------------------------------------------ the call form

fn call_form_from_pairs(pairs: Vec<(String, String)>) -> CallInput {
    let mut f = CallInput::default();
    for (name, value) in pairs {
        match name.as_str() {
            "kind" => f.kind = value,
            "title" => f.title = value,
            "description" => f.description = value,
            "time_zone" => f.time_zone = value,
            "opens_at" => f.opens_at = value,
            "closes_at" => f.closes_at = value,
            "max_per_person" => f.max_per_person = value,
            "editable_until_close" => f.editable_until_close = is_yes(&value),
            "themes" => f.themes = value,
            "prerequisite" => f.prerequisite = value,
            "country_groups" => f.country_groups.push(value),
            "reviewers_per_submission" => f.reviewers_per_submission = value,
            "criteria" => f.criteria = value,
            "scale_min" => f.scale_min = value,
            "scale_max" => f.scale_max = value,
            "balance_penalty" => f.balance_penalty = value,
            _ => {}
        }
    }
    f
}

/// The choices of the call form: kinds, prerequisites (events and other calls) and
/// country groups (ticked as in the form).
struct CallChoices {
    kinds: Vec<(&'static str, &'static str)>,
    prerequisites: Vec<(String, String)>,
    groups: Vec<(&'static str, &'static str, bool)>,
}

async fn call_choices(
    state: &AppState,
    form: &CallInput,
    this: Option<i64>,
) -> Result<CallChoices, PageError> {
    let (events, calls) = state.run(|app| Ok((app.events()?, app.calls()?))).await?;
    let mut prerequisites = vec![(String::new(), "None: anyone signed in".to_owned())];
    prerequisites.extend(events.iter().map(|e| {
        (
            format!("registration:{}", e.id),
            format!("A confirmed registration for {}", e.title),
        )
    }));
    prerequisites.extend(calls.iter().filter(|c| Some(c.id) != this).map(|c| {
        (
            format!("accepted:{}", c.id),
            format!("An accepted submission to {}", c.title),
        )
    }));
    let current = form.prerequisite.trim();
    if current != "none" && !prerequisites.iter().any(|(v, _)| v == current) {
        prerequisites.push((current.to_owned(), current.to_owned()));
    }
    Ok(CallChoices {
        kinds: CallKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        prerequisites,
        groups: CountryGroup::ALL
            .iter()
            .map(|g| {
                (
                    g.as_str(),
                    g.label(),
                    form.country_groups.iter().any(|x| x == g.as_str()),
                )
            })
            .collect(),
    })
}

// ------------------------------------------------------------------ the list

struct CallRow {
    id: i64,
    title: String,
    kind: &'static str,
    window: String,
    published: bool,
}

#[derive(Template)]
#[template(path = "admin_calls.html")]
struct CallsPage {
    chrome: Chrome,
    calls: Vec<CallRow>,
}

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    require_call_manager(&visitor)?;
    let calls = state
        .run(|app| {
            app.calls()?
                .into_iter()
                .map(|c| app.call(c.id))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(render(&CallsPage {
        chrome: visitor.chrome(&state.app),
        calls: calls
            .iter()
            .map(|c| CallRow {
                id: c.call.id,
                title: c.call.title.clone(),
                kind: c.call.kind.label(),
                window: window_text(c),
                published: c.call.published,
            })
            .collect(),
    }))
}

#[derive(Template)]
#[template(path = "admin_call_new.html")]
struct NewCallPage {
    chrome: Chrome,
    form: CallInput,
    errors: Vec<ShownError>,
    choices: CallChoices,
}

async fn new_page(
    state: &AppState,
    visitor: &Visitor,
    form: CallInput,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    require_call_manager(visitor)?;
    let choices = call_choices(state, &form, None).await?;
    Ok(render(&NewCallPage {
        chrome: visitor.chrome(&state.app),
        form,
        errors,
        choices,
    }))
}

pub async fn new(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let form = CallInput {
        kind: CallKind::SessionProposals.as_str().into(),
        time_zone: "UTC".into(),
        reviewers_per_submission: "3".into(),
        criteria: "Relevance\nQuality".into(),
        scale_min: "1".into(),
        scale_max: "5".into(),
        balance_penalty: "0.5".into(),
        editable_until_close: true,
        ..Default::default()
    };
    new_page(&state, &visitor, form, vec![]).await
}

pub async fn create(
    State(state): State<AppState>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let form = call_form_from_pairs(form);
    let caller = visitor.caller();
    let input = form.clone();
    match state
        .run(move |app| app.save_call(&caller, None, &input))
        .await
    {
        Ok(call) => Ok(
            Redirect::to(&format!("/admin/calls/{}?done=created", call.call.id)).into_response(),
        ),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            new_page(&state, &visitor, form, shown_here(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

// ------------------------------------------------------------------ one call

#[derive(Deserialize, Default, Clone)]
pub struct QuestionForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    required: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    max_kb: String,
    #[serde(default)]
    file_types: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ReviewerForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    max_load: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    stakeholder_group: String,
    #[serde(default)]
    expertise: String,
}

struct QuestionLine {
    id: i64,
    key: String,
    label: String,
    kind: &'static str,
    required: bool,
    details: String,
}

struct ReviewerLine {
    user_id: i64,
    name: String,
    email: String,
    max_load: i64,
    organization: String,
    group: String,
    expertise: String,
}

#[derive(Template)]
#[template(path = "admin_call.html")]
struct CallPage {
    chrome: Chrome,
    id: i64,
    title: String,
    kind: &'static str,
    window: String,
    notice: Option<&'static str>,
    form: CallInput,
    errors: Vec<ShownError>,
    choices: CallChoices,
    questions: Vec<QuestionLine>,
    question_form: QuestionForm,
    question_errors: Vec<ShownError>,
    question_kinds: Vec<(&'static str, &'static str)>,
    reviewers: Vec<ReviewerLine>,
    reviewer_form: ReviewerForm,
    reviewer_errors: Vec<ShownError>,
    groups: Vec<(&'static str, &'static str)>,
    themes: Vec<String>,
    invitations: Vec<super::InvitationRow>,
    /// Where the invitations' revoke buttons post.
    invite_path: String,
}

/// A form of the call page refused with its errors, shown again as typed.
enum Refused {
    None,
    Call(CallInput, Vec<ShownError>),
    Question(QuestionForm, Vec<ShownError>),
    Reviewer(ReviewerForm, Vec<ShownError>),
}

fn call_notice(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("The call has been created. Add its questions and reviewers."),
        "saved" => Some("Saved."),
        "question" => Some("The question has been added."),
        "deleted" => Some("The question has been deleted."),
        "reviewer" => Some("The reviewer has been saved."),
        "removed" => Some("The reviewer has been removed from the pool."),
        "invited" => Some("The invitation has been sent."),
        "invitation-revoked" => Some("The invitation has been revoked."),
        _ => None,
    }
}

async fn call_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    notice: Option<&'static str>,
    refused: Refused,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    // The pool is the secretariat's: it checks access.
    let (pool, view, invitations) = state
        .run(move |app| {
            Ok((
                app.reviewers(&caller, id)?,
                app.call(id)?,
                app.reviewer_invitations(&caller, id)?,
            ))
        })
        .await?;
    let (form, errors, question_form, question_errors, reviewer_form, reviewer_errors) =
        match refused {
            Refused::None => (
                view.input(),
                vec![],
                QuestionForm {
                    kind: QuestionKind::Text.as_str().into(),
                    ..Default::default()
                },
                vec![],
                ReviewerForm::default(),
                vec![],
            ),
            Refused::Call(f, e) => (
                f,
                e,
                QuestionForm::default(),
                vec![],
                ReviewerForm::default(),
                vec![],
            ),
            Refused::Question(f, e) => {
                (view.input(), vec![], f, e, ReviewerForm::default(), vec![])
            }
            Refused::Reviewer(f, e) => {
                (view.input(), vec![], QuestionForm::default(), vec![], f, e)
            }
        };
    let choices = call_choices(state, &form, Some(id)).await?;
    let form_questions = view.form();
    Ok(render(&CallPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: view.call.title.clone(),
        kind: view.call.kind.label(),
        window: window_text(&view),
        notice,
        form,
        errors,
        choices,
        questions: view
            .questions
            .iter()
            .zip(form_questions.iter())
            .map(|(row, q)| {
                let mut details = q.options.join(" · ");
                if q.kind == QuestionKind::File {
                    let kb = q
                        .max_bytes
                        .map(|b| format!("at most {} KB", b / 1024))
                        .unwrap_or_default();
                    let types = if q.file_types.is_empty() {
                        "any known type".to_owned()
                    } else {
                        q.file_types.join(", ")
                    };
                    details = format!("{types}; {kb}");
                }
                QuestionLine {
                    id: row.id,
                    key: q.key.clone(),
                    label: q.label.clone(),
                    kind: q.kind.label(),
                    required: q.required,
                    details,
                }
            })
            .collect(),
        question_form,
        question_errors,
        question_kinds: QuestionKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        reviewers: pool
            .iter()
            .map(|r| ReviewerLine {
                user_id: r.user_id,
                name: r.display_name.clone(),
                email: r.email.clone(),
                max_load: r.max_load,
                organization: r.organization.clone(),
                group: r
                    .stakeholder_group
                    .as_deref()
                    .and_then(StakeholderGroup::parse)
                    .map(|g| g.label().to_owned())
                    .unwrap_or_default(),
                expertise: serde_json::from_str::<Vec<String>>(&r.expertise)
                    .unwrap_or_default()
                    .join(" · "),
            })
            .collect(),
        reviewer_form,
        reviewer_errors,
        groups: StakeholderGroup::ALL
            .iter()
            .map(|g| (g.as_str(), g.label()))
            .collect(),
        themes: view.themes.clone(),
        invitations: invitations.iter().map(super::InvitationRow::from).collect(),
        invite_path: format!("/admin/calls/{id}/invitations"),
    }))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    call_page(&state, &visitor, id, call_notice(&q.done), Refused::None).await
}

/// Shows the call page again with a refused form, or passes the error on.
async fn refused_or(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    error: AppError,
    refused: impl FnOnce(Vec<ShownError>) -> Refused,
) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(errors) => Ok(with_status(
            call_page(state, visitor, id, None, refused(shown_here(&errors))).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        other => Err(other.into()),
    }
}

fn back_to(id: i64, done: &str) -> Response {
    Redirect::to(&format!("/admin/calls/{id}?done={done}")).into_response()
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let form = call_form_from_pairs(form);
    let caller = visitor.caller();
    let input = form.clone();
    match state
        .run(move |app| app.save_call(&caller, Some(id), &input))
        .await
    {
        Ok(_) => Ok(back_to(id, "saved")),
        Err(e) => {
            refused_or(&state, &visitor, id, e, |errors| {
                Refused::Call(form, errors)
            })
            .await
        }
    }
}

pub async fn add_question(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<QuestionForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = CallQuestionInput {
        key: form.key.clone(),
        label: form.label.clone(),
        kind: form.kind.clone(),
        required: is_yes(&form.required),
        options: form.options.clone(),
        max_kb: form.max_kb.clone(),
        file_types: form.file_types.clone(),
    };
    match state
        .run(move |app| app.add_call_question(&caller, id, &input))
        .await
    {
        Ok(_) => Ok(back_to(id, "question")),
        Err(e) => {
            refused_or(&state, &visitor, id, e, |errors| {
                Refused::Question(form, errors)
            })
            .await
        }
    }
}

pub async fn delete_question(
    State(state): State<AppState>,
    Path((id, question)): Path<(i64, i64)>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    state
        .run(move |app| app.delete_call_question(&caller, id, question))
        .await?;
    Ok(back_to(id, "deleted"))
}

impl ReviewerForm {
    fn input(&self) -> ReviewerInput {
        ReviewerInput {
            email: self.email.clone(),
            max_load: self.max_load.clone(),
            organization: self.organization.clone(),
            stakeholder_group: self.stakeholder_group.clone(),
            expertise: self.expertise.clone(),
        }
    }
}

/// The reviewer form's two buttons: run `use_case` with what was typed, go back to the
/// call saying `done`, or show the form again with its problems.
async fn reviewer_form<T: Send + 'static>(
    state: AppState,
    id: i64,
    submitted: CsrfForm<ReviewerForm>,
    done: &'static str,
    use_case: fn(
        &plenary_app::App,
        &plenary_app::Caller,
        i64,
        &ReviewerInput,
    ) -> Result<T, AppError>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| use_case(&app, &caller, id, &input))
        .await
    {
        Ok(_) => Ok(back_to(id, done)),
        Err(e) => {
            refused_or(&state, &visitor, id, e, |errors| {
                Refused::Reviewer(form, errors)
            })
            .await
        }
    }
}

pub async fn add_reviewer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ReviewerForm>,
) -> Result<Response, PageError> {
    reviewer_form(
        state,
        id,
        submitted,
        "reviewer",
        |app, caller, id, input| app.save_reviewer(caller, id, input),
    )
    .await
}

/// `POST /admin/calls/{id}/invitations`: the reviewer form's other button, for a
/// person who may have no account yet.
pub async fn invite_reviewer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ReviewerForm>,
) -> Result<Response, PageError> {
    reviewer_form(state, id, submitted, "invited", |app, caller, id, input| {
        app.invite_reviewer(caller, id, input)
    })
    .await
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    Path((id, invitation)): Path<(i64, i64)>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    state
        .run(move |app| app.revoke_reviewer_invitation(&caller, id, invitation))
        .await?;
    Ok(back_to(id, "invitation-revoked"))
}

pub async fn remove_reviewer(
    State(state): State<AppState>,
    Path((id, user)): Path<(i64, i64)>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    state
        .run(move |app| app.remove_reviewer(&caller, id, user))
        .await?;
    Ok(back_to(id, "removed"))
}

// ------------------------------------------------------------------ the committee

struct BalanceSection {
    title: &'static str,
    lines: Vec<BalanceLine>,
}

struct BalanceLine {
    label: String,
    count: usize,
    percent: String,
}

/// The balance of the accepted set, ready to show.
struct BalanceView {
    sessions: usize,
    speakers: usize,
    first_time: usize,
    first_time_percent: String,
    sections: Vec<BalanceSection>,
}

fn percent(p: f64) -> String {
    format!("{p:.0} %")
}

fn balance_view(b: &Balance) -> BalanceView {
    let section = |title, lines: &[Line]| BalanceSection {
        title,
        lines: lines
            .iter()
            .map(|l| BalanceLine {
                label: l.label.clone(),
                count: l.count,
                percent: percent(l.percent),
            })
            .collect(),
    };
    BalanceView {
        sessions: b.sessions,
        speakers: b.speakers,
        first_time: b.first_time_sessions,
        first_time_percent: if b.sessions == 0 {
            percent(0.0)
        } else {
            percent(b.first_time_sessions as f64 * 100.0 / b.sessions as f64)
        },
        sections: vec![
            section("Speakers by stakeholder group", &b.stakeholder_groups),
            section("Speakers by region", &b.regions),
            section("Speakers by gender", &b.genders),
            section("Sessions by type", &b.session_types),
            section("Sessions by theme", &b.themes),
        ],
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    merge_into: String,
}

struct AssignedLine {
    user_id: i64,
    name: String,
}

struct CommitteeRow {
    id: i64,
    title: String,
    status: &'static str,
    theme: String,
    session_type: String,
    assigned: Vec<AssignedLine>,
    reviews: usize,
    mean: String,
    normalised: String,
    criteria: Vec<String>,
    /// The pool's reviewers who may still take this submission: (account, name).
    choices: Vec<(i64, String)>,
    /// Those who may not, each with why ("Ana Núñez (reviews 5, their most)").
    not_offered: Vec<String>,
    decidable: bool,
    decision: DecisionForm,
    reason: String,
    /// Sort keys.
    mean_value: Option<f64>,
    normalised_value: Option<f64>,
    rank: usize,
    status_key: &'static str,
}

/// Whom the manual picker offers for a line: the pool's reviewers not yet on it, without
/// a conflict with it and below their most; and the others with why, so that nobody
/// picks a reviewer the assignment would refuse.
fn reviewer_choices(
    committee: &Committee,
    loads: &BTreeMap<i64, i64>,
    line: &plenary_app::review::CommitteeLine,
) -> (Vec<(i64, String)>, Vec<String>) {
    let mut choices = Vec::new();
    let mut not_offered = Vec::new();
    for r in &committee.reviewers {
        if line.assigned_users.contains(&r.user_id) {
            continue;
        }
        let load = loads.get(&r.user_id).copied().unwrap_or(0);
        let conflict = committee
            .conflicts
            .iter()
            .find(|(sid, u, _)| *sid == line.submission.id && *u == r.user_id);
        match conflict {
            Some((_, _, why)) => not_offered.push(format!("{} (conflict: {why})", r.display_name)),
            None if load >= r.max_load => {
                not_offered.push(format!("{} (reviews {load}, their most)", r.display_name))
            }
            None => choices.push((
                r.user_id,
                format!("{} — {load} of {}", r.display_name, r.max_load),
            )),
        }
    }
    (choices, not_offered)
}

struct SelectedLine {
    id: i64,
    title: String,
    session_type: String,
    speakers: String,
}

#[derive(Template)]
#[template(path = "admin_committee.html")]
struct CommitteePage {
    chrome: Chrome,
    id: i64,
    title: String,
    window: String,
    notice: Option<String>,
    problems: Vec<ShownError>,
    problem_for: Option<i64>,
    sort: &'static str,
    dir: &'static str,
    sorts: Vec<(&'static str, &'static str, &'static str)>,
    criteria: Vec<String>,
    scale: String,
    k: i64,
    rows: Vec<CommitteeRow>,
    decisions: Vec<(&'static str, &'static str)>,
    balance: BalanceView,
    published: bool,
    selection: Vec<SelectedLine>,
}

#[derive(Deserialize, Default)]
pub struct CommitteeQuery {
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    #[serde(default)]
    done: String,
    #[serde(default)]
    kept: Option<u64>,
    #[serde(default)]
    added: Option<u64>,
    #[serde(default)]
    affinity: Option<f64>,
    #[serde(default)]
    excess: Option<u64>,
}

fn committee_notice(q: &CommitteeQuery) -> Option<String> {
    match q.done.as_str() {
        "assigned" => Some(format!(
            "Assignment done: {} pair(s) kept, {} added; total affinity {:.2}, excess {}.",
            q.kept.unwrap_or(0),
            q.added.unwrap_or(0),
            q.affinity.unwrap_or(0.0),
            q.excess.unwrap_or(0)
        )),
        "decided" => Some("The decision has been saved; the proposers were told by e-mail.".into()),
        "reviewer" => Some("The reviewer has been assigned.".into()),
        "unassigned" => Some("The assignment has been removed.".into()),
        "published" => Some("The selection is published.".into()),
        "unpublished" => Some("The selection is no longer public.".into()),
        _ => None,
    }
}

fn score(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "–".into())
}

fn sort_of(raw: &str) -> &'static str {
    match raw {
        "mean" => "mean",
        "title" => "title",
        "status" => "status",
        "reviews" => "reviews",
        _ => "normalised",
    }
}

/// Compares two optional scores, missing ones last whatever the direction.
fn by_score(a: Option<f64>, b: Option<f64>, desc: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) if desc => b.total_cmp(&a),
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn sort_rows(rows: &mut [CommitteeRow], sort: &str, desc: bool) {
    rows.sort_by(|a, b| {
        let o = match sort {
            "mean" => by_score(a.mean_value, b.mean_value, desc),
            "normalised" => by_score(a.normalised_value, b.normalised_value, desc),
            "title" => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            "status" => a.status_key.cmp(b.status_key),
            _ => a.reviews.cmp(&b.reviews),
        };
        let o = if desc && matches!(sort, "title" | "status" | "reviews") {
            o.reverse()
        } else {
            o
        };
        o.then(a.rank.cmp(&b.rank))
    });
}

/// A form of the committee page refused: which submission, and why.
struct CommitteeRefusal {
    submission: Option<i64>,
    errors: Vec<ShownError>,
    decision: Option<DecisionForm>,
}

async fn committee_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    q: &CommitteeQuery,
    refusal: Option<CommitteeRefusal>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (committee, selection): (Committee, _) = state
        .run(move |app| {
            let committee = app.committee(&caller, id)?;
            let (_, selection) = app.selection(&caller, id)?;
            Ok((committee, selection))
        })
        .await?;
    let call = &committee.call;
    let sort = sort_of(&q.sort);
    let desc = match q.dir.as_str() {
        "asc" => false,
        "desc" => true,
        _ => matches!(sort, "normalised" | "mean" | "reviews"),
    };
    let (problem_for, problems, kept_form) = match refusal {
        Some(r) => (r.submission, r.errors, r.decision),
        None => (None, vec![], None),
    };
    // Each reviewer's assignments in the call, counted once for every line's picker.
    let mut loads: BTreeMap<i64, i64> = BTreeMap::new();
    for user in committee.lines.iter().flat_map(|l| &l.assigned_users) {
        *loads.entry(*user).or_default() += 1;
    }
    let mut rows: Vec<CommitteeRow> = committee
        .lines
        .iter()
        .enumerate()
        .map(|(rank, l)| {
            let s = &l.submission;
            let offered = reviewer_choices(&committee, &loads, l);
            let decision = match &kept_form {
                Some(f) if problem_for == Some(s.id) => f.clone(),
                _ => DecisionForm::default(),
            };
            CommitteeRow {
                id: s.id,
                title: s.title.clone(),
                status: s.status.label(),
                status_key: s.status.as_str(),
                theme: s.theme.clone().unwrap_or_default(),
                session_type: s
                    .session_type
                    .as_deref()
                    .and_then(SessionType::parse)
                    .map(|t| t.label().to_owned())
                    .unwrap_or_default(),
                assigned: l
                    .assigned_users
                    .iter()
                    .zip(&l.assigned)
                    .map(|(u, n)| AssignedLine {
                        user_id: *u,
                        name: n.clone(),
                    })
                    .collect(),
                reviews: l.reviews,
                mean: score(l.aggregate.as_ref().map(|a| a.mean), 2),
                normalised: score(l.aggregate.as_ref().map(|a| a.normalised), 2),
                mean_value: l.aggregate.as_ref().map(|a| a.mean),
                normalised_value: l.aggregate.as_ref().map(|a| a.normalised),
                criteria: call
                    .criteria
                    .iter()
                    .map(|c| score(l.criteria.get(c).copied(), 1))
                    .collect(),
                choices: offered.0,
                not_offered: offered.1,
                decidable: s.status.decidable(),
                reason: s.decision_reason.clone(),
                decision,
                rank,
            }
        })
        .collect();
    sort_rows(&mut rows, sort, desc);
    let flip = |key: &'static str| {
        let next = if key == sort {
            if desc { "asc" } else { "desc" }
        } else {
            ""
        };
        (key, next)
    };
    let sorts = [
        ("normalised", "Normalised score"),
        ("mean", "Mean"),
        ("reviews", "Reviews"),
        ("title", "Title"),
        ("status", "Status"),
    ]
    .into_iter()
    .map(|(key, label)| {
        let (key, next) = flip(key);
        (key, label, next)
    })
    .collect();
    Ok(render(&CommitteePage {
        chrome: visitor.chrome(&state.app),
        id,
        title: call.call.title.clone(),
        window: window_text(call),
        notice: committee_notice(q),
        problems,
        problem_for,
        sort,
        dir: if desc { "desc" } else { "asc" },
        sorts,
        criteria: call.criteria.clone(),
        scale: format!("{} to {}", call.call.scale_min, call.call.scale_max),
        k: call.call.reviewers_per_submission,
        rows,
        decisions: Decision::ALL
            .iter()
            .map(|d| (d.as_str(), d.label()))
            .collect(),
        balance: balance_view(&committee.balance),
        published: call.call.published,
        selection: selection
            .iter()
            .map(|s| SelectedLine {
                id: s.id,
                title: s.title.clone(),
                session_type: s
                    .session_type
                    .as_deref()
                    .and_then(SessionType::parse)
                    .map(|t| t.label().to_owned())
                    .unwrap_or_default(),
                speakers: s
                    .speakers
                    .iter()
                    .map(|sp| format!("{} ({})", sp.name, sp.organization))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
    }))
}

pub async fn committee(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<CommitteeQuery>,
) -> Result<Response, PageError> {
    committee_page(&state, &visitor, id, &q, None).await
}

/// Shows the committee page again with the refusal, or passes the error on.
async fn committee_refused(
    state: &AppState,
    visitor: &Visitor,
    call: i64,
    submission: Option<i64>,
    decision: Option<DecisionForm>,
    error: AppError,
) -> Result<Response, PageError> {
    let (errors, status) = match error {
        AppError::Invalid(errors) => (shown_here(&errors), StatusCode::UNPROCESSABLE_ENTITY),
        AppError::Refused(why) => (
            vec![ShownError {
                field: "",
                message: why.to_owned(),
            }],
            StatusCode::CONFLICT,
        ),
        other => return Err(other.into()),
    };
    let refusal = CommitteeRefusal {
        submission,
        errors,
        decision,
    };
    Ok(with_status(
        committee_page(
            state,
            visitor,
            call,
            &CommitteeQuery::default(),
            Some(refusal),
        )
        .await?,
        status,
    ))
}

fn to_committee(call: i64, done: &str, anchor: Option<i64>) -> Response {
    let anchor = anchor.map(|s| format!("#s{s}")).unwrap_or_default();
    Redirect::to(&format!(
        "/admin/calls/{call}/committee?done={done}{anchor}"
    ))
    .into_response()
}

pub async fn run_assignment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let visitor = submitted.visitor;
    visitor.require_user()?;
    let caller = visitor.caller();
    match state.run(move |app| app.run_assignment(&caller, id)).await {
        Ok(r) => Ok(Redirect::to(&format!(
            "/admin/calls/{id}/committee?done=assigned&kept={}&added={}&affinity={:.2}&excess={}",
            r.kept, r.added, r.total_affinity, r.excess
        ))
        .into_response()),
        Err(e) => committee_refused(&state, &visitor, id, None, None, e).await,
    }
}

#[derive(Deserialize, Default)]
pub struct PublishForm {
    #[serde(default)]
    published: String,
}

pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<PublishForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let on = is_yes(&form.published);
    state
        .run(move |app| app.publish_selection(&caller, id, on))
        .await?;
    Ok(to_committee(
        id,
        if on { "published" } else { "unpublished" },
        None,
    ))
}

/// The call a submission belongs to, as the secretariat sees it.
async fn call_of(state: &AppState, visitor: &Visitor, submission: i64) -> Result<i64, PageError> {
    let caller = visitor.caller();
    let view = state
        .run(move |app| app.submission(&caller, submission))
        .await?;
    Ok(view.call.call.id)
}

pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_call_manager(&visitor)?;
    let call = call_of(&state, &visitor, id).await?;
    let caller = visitor.caller();
    let input = DecisionInput {
        decision: form.decision.clone(),
        reason: form.reason.clone(),
        merge_into: form.merge_into.clone(),
    };
    match state.run(move |app| app.decide(&caller, id, &input)).await {
        Ok(()) => Ok(to_committee(call, "decided", Some(id))),
        Err(e) => committee_refused(&state, &visitor, call, Some(id), Some(form), e).await,
    }
}

#[derive(Deserialize, Default)]
pub struct AssignForm {
    #[serde(default)]
    reviewer: String,
}

pub async fn assign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<AssignForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    require_call_manager(&visitor)?;
    let call = call_of(&state, &visitor, id).await?;
    let Ok(user) = form.reviewer.trim().parse::<i64>() else {
        let error = AppError::field(
            "reviewer",
            plenary_domain::Problem::Invalid("choose a reviewer of the pool"),
        );
        return committee_refused(&state, &visitor, call, Some(id), None, error).await;
    };
    let caller = visitor.caller();
    match state
        .run(move |app| app.assign_reviewer(&caller, id, user))
        .await
    {
        Ok(()) => Ok(to_committee(call, "reviewer", Some(id))),
        Err(e) => committee_refused(&state, &visitor, call, Some(id), None, e).await,
    }
}

pub async fn unassign(
    State(state): State<AppState>,
    Path((id, user)): Path<(i64, i64)>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let visitor = submitted.visitor;
    require_call_manager(&visitor)?;
    let call = call_of(&state, &visitor, id).await?;
    let caller = visitor.caller();
    state
        .run(move |app| app.unassign_reviewer(&caller, id, user))
        .await?;
    Ok(to_committee(call, "unassigned", Some(id)))
}

// ------------------------------------------------------------------ diversity

#[derive(Template)]
#[template(path = "admin_call_diversity.html")]
struct DiversityPage {
    chrome: Chrome,
    id: i64,
    title: String,
    balance: BalanceView,
}

pub async fn diversity(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (balance, call) = state
        .run(move |app| Ok((app.call_balance(&caller, id)?, app.call(id)?)))
        .await?;
    Ok(render(&DiversityPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: call.call.title.clone(),
        balance: balance_view(&balance),
    }))
}
