//! Calls for submissions, for the public and for proposers: the list of calls, a call's
//! page, new and changed drafts (a session proposal with its speakers, or a title, and
//! the answers to the call's form), the submission's page with sending, withdrawing,
//! co-proposers and files, one's own submissions and the published selection.
//!
//! Reviews are shown under the label the use case gives them ("Reviewer 2"): nothing
//! else on these pages says who wrote a review.

use super::DoneQuery;
use super::registration::{countries, country_name};
use super::{Empty, ShownError, shown, with_status};
use crate::AppState;
use crate::download::{self, Show};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, CsrfMultipart, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use plenary_app::AppError;
use plenary_app::calls::{CallView, Standing, SubmissionInput, SubmissionView};
use plenary_domain::call_form::{DEFAULT_FILE_BYTES, FILE_TYPES, QuestionKind};
use plenary_domain::calls::{
    ProposalInput, SessionFormat, SessionType, SpeakerInput, SubmissionStatus,
};
use plenary_domain::people::StakeholderGroup;
use plenary_domain::time::{Zone, label};
use plenary_domain::{FieldError, Permission, Problem, Scope};
use serde::Deserialize;
use std::collections::BTreeMap;

// ------------------------------------------------------------------ helpers

/// An instant in the call's zone with its offset:
/// `2026-06-01 00:00 CEST (UTC+02:00, Europe/Oslo)`.
fn at_text(at: DateTime<Utc>, zone: Zone) -> String {
    label(at, zone).to_string()
}

/// The viewer's zone: `?tz=` if it names one, else their account's setting.
fn viewer_zone(visitor: &Visitor, tz: &str) -> Option<Zone> {
    match tz.trim() {
        "" => visitor.account_zone(),
        raw => Zone::parse("tz", raw).ok(),
    }
}

/// An instant of the call's window in the call's zone, and also in the viewer's
/// when that differs: the deadline is the call's, the viewer reads it in their own.
fn window_text(at: DateTime<Utc>, zone: Zone, viewer: Option<Zone>) -> String {
    match viewer {
        Some(mine) if mine != zone => {
            format!("{} — {} in your zone", at_text(at, zone), at_text(at, mine))
        }
        _ => at_text(at, zone),
    }
}

#[derive(Deserialize, Default)]
pub struct TzQuery {
    #[serde(default)]
    tz: String,
}

/// A call's zone as stored (valid; UTC should it ever not be).
fn zone_named(name: &str) -> Zone {
    Zone::parse("time_zone", name).unwrap_or(Zone::UTC)
}

/// Where a call's window stands at `now`: a key for styling and a label.
fn phase(
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (&'static str, &'static str) {
    if now < opens {
        ("upcoming", "Not open yet")
    } else if now < closes {
        ("open", "Open")
    } else {
        ("closed", "Closed")
    }
}

/// A use case's reason as a sentence: capitalised, with a full stop.
fn sentence(why: &str) -> String {
    let why = why.trim().trim_start_matches("is not valid: ");
    let mut chars = why.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.as_str();
            let stop = if rest.ends_with(['.', '!', '?']) {
                ""
            } else {
                "."
            };
            format!("{}{rest}{stop}", first.to_uppercase())
        }
        None => String::new(),
    }
}

fn is_manager(visitor: &Visitor) -> bool {
    visitor
        .caller()
        .principal
        .can(Permission::ManageCalls, Scope::Global)
}

fn label_of(field: &str) -> Option<&'static str> {
    Some(match field {
        "session_type" => "The session type",
        "theme" => "The theme",
        "sub_theme" => "The sub-theme",
        "format" => "The format",
        "description" => "The description",
        "policy_questions" => "The list of policy questions",
        "question" => "The question",
        _ => return None,
    })
}

/// The errors of the pages below: answers, speakers, the call's window and files name
/// their subject themselves ("Budget: is required", "this call closed: …").
fn shown_errors(errors: &[FieldError]) -> Vec<ShownError> {
    let mut list = shown(errors);
    for (e, s) in errors.iter().zip(list.iter_mut()) {
        match (e.field, &e.problem) {
            ("call" | "answers" | "speakers" | "file", Problem::Explained(text)) => {
                s.message = sentence(text);
            }
            (field, problem) => {
                if let Some(label) = label_of(field) {
                    s.message = format!("{label} {problem}");
                }
            }
        }
    }
    list
}

/// Splits errors into those shown beside a field of the page and the others, shown at
/// the top (the call's window, anything the page has no field for).
fn split_errors(errors: &[FieldError], beside: &[&str]) -> (Vec<String>, Vec<ShownError>) {
    let (here, top): (Vec<ShownError>, Vec<ShownError>) = shown_errors(errors)
        .into_iter()
        .partition(|e| beside.contains(&e.field));
    (top.into_iter().map(|e| e.message).collect(), here)
}

fn kb(bytes: u64) -> u64 {
    bytes.div_ceil(1024)
}

// ------------------------------------------------------------------ the list of calls

struct CallRow {
    id: i64,
    title: String,
    kind: &'static str,
    opens: String,
    closes: String,
    state_key: &'static str,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "calls.html")]
struct CallsPage {
    chrome: Chrome,
    calls: Vec<CallRow>,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<TzQuery>,
) -> Result<Response, PageError> {
    let viewer = viewer_zone(&visitor, &q.tz);
    let (calls, now) = state.run(|app| Ok((app.calls()?, app.now()))).await?;
    Ok(render(&CallsPage {
        chrome: visitor.chrome(&state.app),
        calls: calls
            .iter()
            .map(|c| {
                let zone = zone_named(&c.time_zone);
                let (state_key, state) = phase(c.opens_at, c.closes_at, now);
                CallRow {
                    id: c.id,
                    title: c.title.clone(),
                    kind: c.kind.label(),
                    opens: window_text(c.opens_at, zone, viewer),
                    closes: window_text(c.closes_at, zone, viewer),
                    state_key,
                    state,
                }
            })
            .collect(),
    }))
}

// ------------------------------------------------------------------ a call

struct QuestionLine {
    label: String,
    kind: &'static str,
    required: bool,
    note: String,
}

fn file_note(types: &[String], max_bytes: Option<u64>) -> String {
    let accepted = if types.is_empty() {
        FILE_TYPES
            .iter()
            .map(|(e, _)| *e)
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        types.join(", ")
    };
    format!(
        "{accepted}; at most {} KB",
        kb(max_bytes.unwrap_or(DEFAULT_FILE_BYTES))
    )
}

fn question_lines(call: &CallView) -> Vec<QuestionLine> {
    call.form()
        .iter()
        .map(|q| QuestionLine {
            label: q.label.clone(),
            kind: q.kind.label(),
            required: q.required,
            note: match q.kind {
                QuestionKind::File => file_note(&q.file_types, q.max_bytes),
                QuestionKind::Choice | QuestionKind::MultiChoice => q.options.join(", "),
                _ => String::new(),
            },
        })
        .collect()
}

struct MineRow {
    id: i64,
    title: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "calls_call.html")]
struct CallPage {
    chrome: Chrome,
    id: i64,
    title: String,
    kind: &'static str,
    description: String,
    opens: String,
    closes: String,
    state_key: &'static str,
    state: &'static str,
    max_per_person: Option<i64>,
    editable_until_close: bool,
    themes: Vec<String>,
    groups: Vec<&'static str>,
    questions: Vec<QuestionLine>,
    is_session: bool,
    signed_in: bool,
    /// Why the visitor may not start a submission now (none: they may).
    blocked: Option<String>,
    mine: Vec<MineRow>,
    published: bool,
    manager: bool,
    reviewer: bool,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<TzQuery>,
) -> Result<Response, PageError> {
    let viewer = viewer_zone(&visitor, &q.tz);
    let caller = visitor.caller();
    let (page, now) = state
        .run(move |app| Ok((app.call_page(&caller, id)?, app.now())))
        .await?;
    let call = &page.call;
    let c = &call.call;
    let (state_key, phase_label) = phase(c.opens_at, c.closes_at, now);
    Ok(render(&CallPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: c.title.clone(),
        kind: c.kind.label(),
        description: c.description.clone(),
        opens: window_text(c.opens_at, call.zone, viewer),
        closes: window_text(c.closes_at, call.zone, viewer),
        state_key,
        state: phase_label,
        max_per_person: c.max_per_person,
        editable_until_close: c.editable_until_close,
        themes: call.themes.clone(),
        groups: call.country_groups.iter().map(|g| g.label()).collect(),
        questions: question_lines(call),
        is_session: call.is_session_call(),
        signed_in: visitor.user.is_some(),
        blocked: page.may_start.as_ref().err().map(|why| sentence(why)),
        mine: page
            .mine
            .iter()
            .map(|s| MineRow {
                id: s.id,
                title: s.title.clone(),
                status: s.status.label(),
            })
            .collect(),
        published: c.published,
        manager: is_manager(&visitor),
        reviewer: page.reviewer,
    }))
}

// ------------------------------------------------------------------ the form

/// A submission's form as sent: `title`, the proposal's fields, speaker rows named
/// `speakers[N][field]`, one `q.KEY` field per question (repeated for several choices)
/// and the `version` the edit is based on.
#[derive(Default, Clone)]
pub(crate) struct SubmissionForm {
    title: String,
    session_type: String,
    theme: String,
    sub_theme: String,
    format: String,
    description: String,
    policy_questions: String,
    speakers: Vec<SpeakerInput>,
    answers: BTreeMap<String, Vec<String>>,
    version: String,
}

/// The prefix of the answer fields' names.
const ANSWER_PREFIX: &str = "q.";
/// Speaker rows beyond this index are not read (a form shows far fewer).
const MAX_SPEAKER_ROWS: usize = 64;
/// Empty speaker rows shown under the speakers already given.
const EMPTY_SPEAKER_ROWS: usize = 3;

/// `speakers[2][name]` → (2, "name").
fn speaker_field(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("speakers[")?;
    let (index, rest) = rest.split_once("][")?;
    let field = rest.strip_suffix(']')?;
    let index: usize = index.parse().ok()?;
    (index < MAX_SPEAKER_ROWS).then_some((index, field))
}

fn blank(s: &SpeakerInput) -> bool {
    [
        &s.name,
        &s.organization,
        &s.stakeholder_group,
        &s.country,
        &s.gender,
    ]
    .iter()
    .all(|v| v.trim().is_empty())
}

impl SubmissionForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> SubmissionForm {
        let mut form = SubmissionForm::default();
        let mut speakers: BTreeMap<usize, SpeakerInput> = BTreeMap::new();
        for (name, value) in pairs {
            match name.as_str() {
                "title" => form.title = value,
                "session_type" => form.session_type = value,
                "theme" => form.theme = value,
                "sub_theme" => form.sub_theme = value,
                "format" => form.format = value,
                "description" => form.description = value,
                "policy_questions" => form.policy_questions = value,
                "version" => form.version = value,
                other => {
                    if let Some(key) = other.strip_prefix(ANSWER_PREFIX) {
                        form.answers.entry(key.to_owned()).or_default().push(value);
                    } else if let Some((index, field)) = speaker_field(other) {
                        let s = speakers.entry(index).or_default();
                        match field {
                            "name" => s.name = value,
                            "organization" => s.organization = value,
                            "stakeholder_group" => s.stakeholder_group = value,
                            "country" => s.country = value,
                            "gender" => s.gender = value,
                            "organizer" => s.organizer = true,
                            _ => {}
                        }
                    }
                }
            }
        }
        // Rows left empty (an organizer tick alone included) are no speakers.
        form.speakers = speakers.into_values().filter(|s| !blank(s)).collect();
        form
    }

    fn of(view: &SubmissionView) -> SubmissionForm {
        let p = view.proposal.clone().unwrap_or_default();
        SubmissionForm {
            title: if view.proposal.is_some() {
                p.title.clone()
            } else {
                view.submission.title.clone()
            },
            session_type: p.session_type,
            theme: p.theme,
            sub_theme: p.sub_theme,
            format: p.format,
            description: p.description,
            policy_questions: p.policy_questions,
            speakers: p.speakers,
            answers: view.answers.clone(),
            version: view.submission.version.to_string(),
        }
    }

    fn input(&self, session_call: bool) -> SubmissionInput {
        let proposal = if session_call {
            ProposalInput {
                title: self.title.clone(),
                session_type: self.session_type.clone(),
                theme: self.theme.clone(),
                sub_theme: self.sub_theme.clone(),
                format: self.format.clone(),
                description: self.description.clone(),
                policy_questions: self.policy_questions.clone(),
                speakers: self.speakers.clone(),
            }
        } else {
            ProposalInput::default()
        };
        SubmissionInput {
            title: if session_call {
                String::new()
            } else {
                self.title.clone()
            },
            proposal,
            answers: self.answers.clone(),
            version: self.version.trim().parse().ok(),
        }
    }
}

struct SpeakerRow {
    index: usize,
    name: String,
    organization: String,
    stakeholder_group: String,
    country: String,
    gender: String,
    organizer: bool,
}

fn speaker_rows(speakers: &[SpeakerInput]) -> Vec<SpeakerRow> {
    let empty = SpeakerInput::default();
    speakers
        .iter()
        .chain(std::iter::repeat_n(&empty, EMPTY_SPEAKER_ROWS))
        .enumerate()
        .map(|(index, s)| SpeakerRow {
            index,
            name: s.name.clone(),
            organization: s.organization.clone(),
            stakeholder_group: s.stakeholder_group.clone(),
            country: s.country.clone(),
            gender: s.gender.clone(),
            organizer: s.organizer,
        })
        .collect()
}

struct ChoiceField {
    value: String,
    checked: bool,
}

/// One question of the form, ready to show (file questions are answered by an upload
/// on the submission's page).
struct QuestionField {
    key: String,
    label: String,
    /// The kind's name: `text`, `long_text`, `choice`, …
    kind: &'static str,
    required: bool,
    /// The first value given; for person lists every line.
    value: String,
    ticked: bool,
    options: Vec<ChoiceField>,
    /// Why the answer given was refused (shown beside the question).
    error: String,
}

/// The questions with the answers given and, when the answers were refused, each
/// question's own message; the form's errors less those now shown beside a question.
fn questions_again(
    call: &CallView,
    answers: &BTreeMap<String, Vec<String>>,
    mut errors: Vec<ShownError>,
) -> (Vec<QuestionField>, Vec<ShownError>) {
    let mut fields = question_fields(call, answers);
    if !errors.iter().any(|e| e.field == "answers") {
        return (fields, errors);
    }
    // The form saves drafts: a missing answer is no error there, a wrong one is.
    if let Err(refused) =
        plenary_domain::call_form::check_answers(&call.form(), answers, &[], false)
    {
        for e in &refused {
            if let Some(field) = fields.iter_mut().find(|f| f.key == e.key) {
                field.error = format!("{}: {}", e.label, e.problem);
            }
        }
        // Each message now beside its question; any other (the call's country rule)
        // stays under the questions.
        if errors.iter().filter(|e| e.field == "answers").count() == refused.len() {
            errors.retain(|e| e.field != "answers");
        }
    }
    (fields, errors)
}

fn question_fields(call: &CallView, answers: &BTreeMap<String, Vec<String>>) -> Vec<QuestionField> {
    call.form()
        .iter()
        .filter(|q| q.kind != QuestionKind::File)
        .map(|q| {
            let given = answers.get(&q.key).cloned().unwrap_or_default();
            QuestionField {
                key: q.key.clone(),
                label: q.label.clone(),
                kind: q.kind.as_str(),
                required: q.required,
                value: if q.kind == QuestionKind::PersonList {
                    given.join("\n")
                } else {
                    given.first().cloned().unwrap_or_default()
                },
                ticked: !given.is_empty(),
                options: q
                    .options
                    .iter()
                    .map(|o| ChoiceField {
                        value: o.clone(),
                        checked: given.contains(o),
                    })
                    .collect(),
                error: String::new(),
            }
        })
        .collect()
}

/// The fields of the form an error may be shown beside.
const FORM_FIELDS: &[&str] = &[
    "title",
    "session_type",
    "theme",
    "sub_theme",
    "format",
    "description",
    "policy_questions",
    "speakers",
    "answers",
];

#[derive(Template)]
#[template(path = "submission_form.html")]
struct FormPage {
    chrome: Chrome,
    heading: &'static str,
    action: String,
    back: String,
    call_title: String,
    closes: String,
    is_session: bool,
    editing: bool,
    /// Why no submission can be started now: the form is not shown.
    blocked: Option<String>,
    has_files: bool,
    form: SubmissionForm,
    themes: Vec<String>,
    session_types: Vec<(&'static str, &'static str)>,
    formats: Vec<(&'static str, &'static str)>,
    groups: Vec<(&'static str, &'static str)>,
    countries: Vec<(&'static str, &'static str)>,
    speakers: Vec<SpeakerRow>,
    questions: Vec<QuestionField>,
    /// Messages for the whole form (the call's window, a concurrent change).
    top: Vec<String>,
    errors: Vec<ShownError>,
}

/// What the form is for: a new draft of a call, or a change to a submission.
#[derive(Clone, Copy)]
enum Target {
    New(i64),
    Edit(i64),
}

/// What the form says besides its fields.
#[derive(Default)]
struct Said {
    /// Why no submission can be started or changed now: the form is not shown.
    blocked: Option<String>,
    /// Messages for the whole form.
    top: Vec<String>,
    errors: Vec<ShownError>,
}

fn form_page(
    state: &AppState,
    visitor: &Visitor,
    call: &CallView,
    target: Target,
    form: SubmissionForm,
    said: Said,
) -> Response {
    let Said {
        blocked,
        top,
        errors,
    } = said;
    let c = &call.call;
    let (questions, errors) = questions_again(call, &form.answers, errors);
    let (heading, action, back, editing) = match target {
        Target::New(call_id) => (
            "New submission",
            format!("/calls/{call_id}/submissions"),
            format!("/calls/{call_id}"),
            false,
        ),
        Target::Edit(id) => (
            "Change the submission",
            format!("/submissions/{id}"),
            format!("/submissions/{id}"),
            true,
        ),
    };
    render(&FormPage {
        chrome: visitor.chrome(&state.app),
        heading,
        action,
        back,
        call_title: c.title.clone(),
        closes: at_text(c.closes_at, call.zone),
        is_session: call.is_session_call(),
        editing,
        blocked,
        has_files: call.questions.iter().any(|q| q.kind == QuestionKind::File),
        themes: call.themes.clone(),
        session_types: SessionType::ALL
            .iter()
            .map(|t| (t.as_str(), t.label()))
            .collect(),
        formats: SessionFormat::ALL
            .iter()
            .map(|f| (f.as_str(), f.label()))
            .collect(),
        groups: StakeholderGroup::ALL
            .iter()
            .map(|g| (g.as_str(), g.label()))
            .collect(),
        countries: countries(),
        speakers: speaker_rows(&form.speakers),
        questions,
        form,
        top,
        errors,
    })
}

/// The form again with what the use case said, as typed: 422 for wrong fields, 409 when
/// refused (a co-proposer's change came first).
fn form_again(
    state: &AppState,
    visitor: &Visitor,
    call: &CallView,
    target: Target,
    form: SubmissionForm,
    error: &AppError,
) -> Response {
    let (status, top, errors) = match error {
        AppError::Refused(why) => (StatusCode::CONFLICT, vec![sentence(why)], vec![]),
        AppError::Invalid(list) => {
            let (top, here) = split_errors(list, FORM_FIELDS);
            (StatusCode::UNPROCESSABLE_ENTITY, top, here)
        }
        _ => (StatusCode::UNPROCESSABLE_ENTITY, vec![], vec![]),
    };
    let said = Said {
        blocked: None,
        top,
        errors,
    };
    with_status(form_page(state, visitor, call, target, form, said), status)
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(call_id): Path<i64>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let page = state
        .run(move |app| app.call_page(&caller, call_id))
        .await?;
    let blocked = page.may_start.as_ref().err().map(|why| sentence(why));
    Ok(form_page(
        &state,
        &visitor,
        &page.call,
        Target::New(call_id),
        SubmissionForm::default(),
        Said {
            blocked,
            ..Said::default()
        },
    ))
}

pub async fn create(
    State(state): State<AppState>,
    Path(call_id): Path<i64>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let form = SubmissionForm::from_pairs(form);
    let caller = visitor.caller();
    let typed = form.clone();
    match state
        .run(move |app| {
            let call = app.call(call_id)?;
            let input = typed.input(call.is_session_call());
            app.save_submission(&caller, call_id, None, &input)
        })
        .await
    {
        Ok(view) => Ok(
            Redirect::to(&format!("/submissions/{}?done=saved", view.submission.id))
                .into_response(),
        ),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            let call = state.run(move |app| app.call(call_id)).await?;
            Ok(form_again(
                &state,
                &visitor,
                &call,
                Target::New(call_id),
                form,
                &e,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let view = state.run(move |app| app.submission(&caller, id)).await?;
    if !view.is_proposer() {
        return Err(PageError::App(AppError::NotFound));
    }
    let blocked = view.may_edit.as_ref().err().map(|why| sentence(why));
    Ok(form_page(
        &state,
        &visitor,
        &view.call,
        Target::Edit(id),
        SubmissionForm::of(&view),
        Said {
            blocked,
            ..Said::default()
        },
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let form = SubmissionForm::from_pairs(form);
    let caller = visitor.caller();
    let typed = form.clone();
    match state
        .run(move |app| {
            let view = app.submission(&caller, id)?;
            let input = typed.input(view.call.is_session_call());
            app.save_submission(&caller, view.call.call.id, Some(id), &input)
        })
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/submissions/{id}?done=saved")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            let caller = visitor.caller();
            let view = state.run(move |app| app.submission(&caller, id)).await?;
            // The typed text stays, on the version it was based on: saving it again is
            // refused again until the page is reloaded, as the message says, so that
            // no co-proposer's change is overwritten unseen.
            Ok(form_again(
                &state,
                &visitor,
                &view.call,
                Target::Edit(id),
                form,
                &e,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

// ------------------------------------------------------------------ a submission

struct SpeakerLine {
    name: String,
    organization: String,
    group: String,
    country: String,
    gender: String,
    role: &'static str,
}

struct PersonLine {
    user_id: i64,
    name: String,
    email: String,
    role: &'static str,
    removable: bool,
}

struct FileLine {
    label: String,
    filename: String,
    size_kb: u64,
    href: String,
}

struct UploadField {
    key: String,
    label: String,
    required: bool,
    note: String,
    current: Option<String>,
}

struct ReviewLine {
    label: String,
    scores: Vec<(String, i64)>,
    comment: String,
    submitted: String,
}

#[derive(Template)]
#[template(path = "submission.html")]
struct SubmissionPage {
    chrome: Chrome,
    id: i64,
    notice: Option<&'static str>,
    top: Vec<String>,
    errors: Vec<ShownError>,
    /// The file question an upload error belongs to.
    upload_key: String,
    email: String,
    title: String,
    status: &'static str,
    status_key: &'static str,
    call_id: i64,
    call_title: String,
    closes: String,
    created: String,
    sent: Option<String>,
    updated: String,
    proposer: bool,
    manager: bool,
    reviewer: bool,
    pool_member: bool,
    facts: Vec<(&'static str, String)>,
    speakers: Vec<SpeakerLine>,
    answers: Vec<(String, String)>,
    people: Vec<PersonLine>,
    files: Vec<FileLine>,
    uploads: Vec<UploadField>,
    merged_into: Option<(i64, String)>,
    decision_reason: Option<String>,
    reviews: Vec<ReviewLine>,
    review_count: usize,
    can_edit: bool,
    edit_why: String,
    can_send: bool,
    send_why: String,
    send_again: bool,
    can_withdraw: bool,
}

fn proposal_facts(p: &ProposalInput) -> Vec<(&'static str, String)> {
    let or_raw = |parsed: Option<&'static str>, raw: &str| {
        parsed.map_or_else(|| raw.trim().to_owned(), str::to_owned)
    };
    let facts = [
        (
            "Session type",
            or_raw(
                SessionType::parse(&p.session_type).map(|t| t.label()),
                &p.session_type,
            ),
        ),
        ("Theme", p.theme.trim().to_owned()),
        ("Sub-theme", p.sub_theme.trim().to_owned()),
        (
            "Format",
            or_raw(
                SessionFormat::parse(&p.format).map(|f| f.label()),
                &p.format,
            ),
        ),
        ("Description", p.description.trim().to_owned()),
        ("Policy questions", p.policy_questions.trim().to_owned()),
    ];
    facts.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

fn speaker_lines(p: &ProposalInput) -> Vec<SpeakerLine> {
    p.speakers
        .iter()
        .map(|s| SpeakerLine {
            name: s.name.clone(),
            organization: s.organization.clone(),
            group: StakeholderGroup::parse(&s.stakeholder_group)
                .map_or_else(|| s.stakeholder_group.clone(), |g| g.label().to_owned()),
            country: if s.country.trim().is_empty() {
                String::new()
            } else {
                country_name(s.country.trim())
            },
            gender: s.gender.clone(),
            role: if s.organizer { "Organizer" } else { "Speaker" },
        })
        .collect()
}

/// The answers as (question, answer) lines in the form's order; answers to questions
/// deleted since come last, under their key.
fn answer_rows(call: &CallView, answers: &BTreeMap<String, Vec<String>>) -> Vec<(String, String)> {
    let form = call.form();
    let mut rows: Vec<(String, String)> = form
        .iter()
        .filter_map(|q| {
            answers.get(&q.key).map(|values| {
                let text = match q.kind {
                    QuestionKind::Country => values
                        .iter()
                        .map(|v| country_name(v))
                        .collect::<Vec<_>>()
                        .join(", "),
                    QuestionKind::Checkbox => "Yes".to_owned(),
                    QuestionKind::PersonList => values.join("\n"),
                    _ => values.join(", "),
                };
                (q.label.clone(), text)
            })
        })
        .collect();
    for (key, values) in answers {
        if !form.iter().any(|q| &q.key == key) {
            rows.push((key.clone(), values.join(", ")));
        }
    }
    rows
}

fn notice_for(done: &str) -> Option<&'static str> {
    Some(match done {
        "saved" => "Your draft has been saved.",
        "sent" => "Your submission has been sent. A confirmation was e-mailed to its proposers.",
        "withdrawn" => "The submission has been withdrawn.",
        "added" => "The co-proposer has been added: they may now change the submission too.",
        "removed" => "The co-proposer has been removed.",
        "file" => "The file has been attached.",
        _ => return None,
    })
}

/// What a submission page shows besides the submission: a notice, errors, the typed
/// co-proposer address.
#[derive(Default)]
struct Extra {
    notice: Option<&'static str>,
    top: Vec<String>,
    errors: Vec<ShownError>,
    upload_key: String,
    email: String,
}

fn submission_page(
    state: &AppState,
    visitor: &Visitor,
    v: &SubmissionView,
    extra: Extra,
) -> Response {
    let s = &v.submission;
    let call = &v.call;
    let zone = call.zone;
    let proposer = v.is_proposer();
    let manager = v.standing == Standing::Manager;
    let form = call.form();
    let question_label = |key: &str| {
        form.iter()
            .find(|q| q.key == key)
            .map_or_else(|| key.to_owned(), |q| q.label.clone())
    };
    let decided = matches!(
        s.status,
        SubmissionStatus::Accepted
            | SubmissionStatus::Rejected
            | SubmissionStatus::ChangesRequested
            | SubmissionStatus::Merged
    );
    let can_edit = proposer && v.may_edit.is_ok();
    render(&SubmissionPage {
        chrome: visitor.chrome(&state.app),
        id: s.id,
        notice: extra.notice,
        top: extra.top,
        errors: extra.errors,
        upload_key: extra.upload_key,
        email: extra.email,
        title: s.title.clone(),
        status: s.status.label(),
        status_key: s.status.as_str(),
        call_id: call.call.id,
        call_title: call.call.title.clone(),
        closes: at_text(call.call.closes_at, zone),
        created: at_text(s.created_at, zone),
        sent: s.submitted_at.map(|at| at_text(at, zone)),
        updated: at_text(s.updated_at, zone),
        proposer,
        manager,
        reviewer: v.standing == Standing::Reviewer,
        pool_member: v.standing == Standing::PoolMember,
        facts: v.proposal.as_ref().map(proposal_facts).unwrap_or_default(),
        speakers: v.proposal.as_ref().map(speaker_lines).unwrap_or_default(),
        answers: answer_rows(call, &v.answers),
        people: v
            .people
            .iter()
            .map(|p| PersonLine {
                user_id: p.user_id,
                name: p.display_name.clone(),
                email: p.email.clone(),
                role: if p.role == "proposer" {
                    "Proposer"
                } else {
                    "Co-proposer"
                },
                removable: proposer && p.role != "proposer",
            })
            .collect(),
        files: v
            .files
            .iter()
            .map(|f| FileLine {
                label: question_label(&f.question_key),
                filename: f.filename.clone(),
                size_kb: kb(u64::try_from(f.size).unwrap_or(0)),
                href: format!(
                    "/submissions/{}/files/{}",
                    s.id,
                    crate::error::form_urlencode(&f.question_key)
                ),
            })
            .collect(),
        uploads: if can_edit {
            form.iter()
                .filter(|q| q.kind == QuestionKind::File)
                .map(|q| UploadField {
                    key: q.key.clone(),
                    label: q.label.clone(),
                    required: q.required,
                    note: file_note(&q.file_types, q.max_bytes),
                    current: v
                        .files
                        .iter()
                        .find(|f| f.question_key == q.key)
                        .map(|f| f.filename.clone()),
                })
                .collect()
        } else {
            Vec::new()
        },
        merged_into: v.merged_into.clone(),
        decision_reason: (decided && (proposer || manager) && !s.decision_reason.is_empty())
            .then(|| s.decision_reason.clone()),
        reviews: v
            .reviews
            .iter()
            .map(|r| ReviewLine {
                label: r.label.clone(),
                scores: r.scores.iter().map(|(c, n)| (c.clone(), *n)).collect(),
                comment: r.comment.clone(),
                submitted: at_text(r.submitted_at, zone),
            })
            .collect(),
        review_count: v.review_count,
        can_edit,
        edit_why: v
            .may_edit
            .as_ref()
            .err()
            .map(|w| sentence(w))
            .unwrap_or_default(),
        can_send: proposer && v.may_submit.is_ok(),
        send_why: v
            .may_submit
            .as_ref()
            .err()
            .map(|w| sentence(w))
            .unwrap_or_default(),
        send_again: s.status == SubmissionStatus::ChangesRequested,
        can_withdraw: proposer
            && matches!(
                s.status,
                SubmissionStatus::Draft
                    | SubmissionStatus::Submitted
                    | SubmissionStatus::ChangesRequested
            ),
    })
}

pub async fn submission(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let view = state.run(move |app| app.submission(&caller, id)).await?;
    let extra = Extra {
        notice: notice_for(&q.done),
        ..Extra::default()
    };
    Ok(submission_page(&state, &visitor, &view, extra))
}

/// The submission's page again after a refused action: 422 for wrong fields, 409 when
/// the use case refused.
async fn page_again(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    error: &AppError,
    mut extra: Extra,
) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let view = state.run(move |app| app.submission(&caller, id)).await?;
    let status = match error {
        AppError::Refused(why) => {
            extra.top.push(sentence(why));
            StatusCode::CONFLICT
        }
        AppError::Invalid(list) => {
            let (top, here) = split_errors(list, &["email", "file", "question"]);
            extra.top.extend(top);
            extra.errors = here;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(with_status(
        submission_page(state, visitor, &view, extra),
        status,
    ))
}

/// Runs a proposer's action and goes back to the page with `done`, or shows why not.
async fn act(
    state: AppState,
    visitor: Visitor,
    id: i64,
    done: &'static str,
    work: impl FnOnce(plenary_app::App, plenary_app::Caller) -> Result<(), AppError> + Send + 'static,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    match state.run(move |app| work(app, caller)).await {
        Ok(()) => Ok(Redirect::to(&format!("/submissions/{id}?done={done}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            page_again(&state, &visitor, id, &e, Extra::default()).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    act(state, submitted.visitor, id, "sent", move |app, caller| {
        app.submit_submission(&caller, id).map(|_| ())
    })
    .await
}

pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    act(
        state,
        submitted.visitor,
        id,
        "withdrawn",
        move |app, caller| app.withdraw_submission(&caller, id).map(|_| ()),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn add_co_proposer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<EmailForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let email = form.email.clone();
    match state
        .run(move |app| app.add_co_proposer(&caller, id, &email))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/submissions/{id}?done=added")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            let extra = Extra {
                email: form.email,
                ..Extra::default()
            };
            page_again(&state, &visitor, id, &e, extra).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn remove_co_proposer(
    State(state): State<AppState>,
    Path((id, user)): Path<(i64, i64)>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let visitor = submitted.visitor;
    let me = visitor.require_user()?.user.id.0;
    let caller = visitor.caller();
    state
        .run(move |app| app.remove_co_proposer(&caller, id, user))
        .await?;
    if user == me {
        // Having left, they no longer see the submission.
        return Ok(Redirect::to("/account/submissions?done=left").into_response());
    }
    Ok(Redirect::to(&format!("/submissions/{id}?done=removed")).into_response())
}

pub async fn upload(
    State(state): State<AppState>,
    Path((id, key)): Path<(i64, String)>,
    form: CsrfMultipart,
) -> Result<Response, PageError> {
    form.visitor.require_user()?;
    let file = form.file("file");
    let filename = file.and_then(|f| f.filename.clone()).unwrap_or_default();
    let data = file.map(|f| f.data.clone()).unwrap_or_default();
    let caller = form.visitor.caller();
    let question = key.clone();
    match state
        .run(move |app| app.attach_submission_file(&caller, id, &question, &filename, &data))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/submissions/{id}?done=file")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            let extra = Extra {
                upload_key: key,
                ..Extra::default()
            };
            page_again(&state, &form.visitor, id, &e, extra).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A file of a submission, always saved and never shown by the browser, never cached.
pub async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, key)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (file, data) = state
        .run(move |app| app.submission_file(&caller, id, &key))
        .await?;
    let ascii: String = file
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut response = download::file(&file.content_type, Show::Attachment, &ascii, true, data);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

// ------------------------------------------------------------------ one's own submissions

struct MyRow {
    id: i64,
    title: String,
    call_id: i64,
    call_title: String,
    status: &'static str,
    role: &'static str,
    updated: String,
}

#[derive(Template)]
#[template(path = "submissions_mine.html")]
struct MyPage {
    chrome: Chrome,
    rows: Vec<MyRow>,
    notice: Option<&'static str>,
}

pub async fn mine(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let list = state.run(move |app| app.my_submissions(&caller)).await?;
    Ok(render(&MyPage {
        chrome: visitor.chrome(&state.app),
        rows: list
            .iter()
            .map(|m| MyRow {
                id: m.submission.id,
                title: m.submission.title.clone(),
                call_id: m.call.id,
                call_title: m.call.title.clone(),
                status: m.submission.status.label(),
                role: if m.role == "proposer" {
                    "Proposer"
                } else {
                    "Co-proposer"
                },
                updated: at_text(m.submission.updated_at, zone_named(&m.call.time_zone)),
            })
            .collect(),
        notice: (q.done == "left").then_some("You are no longer a co-proposer of that submission."),
    }))
}

// ------------------------------------------------------------------ the published selection

struct SelectedLine {
    id: i64,
    title: String,
    session_type: String,
    theme: String,
    format: String,
    description: String,
    speakers: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "calls_selected.html")]
struct SelectedPage {
    chrome: Chrome,
    call_id: i64,
    call_title: String,
    published: bool,
    lines: Vec<SelectedLine>,
}

pub async fn selected(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(call_id): Path<i64>,
) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let (call, list) = state
        .run(move |app| app.selection(&caller, call_id))
        .await?;
    let labelled = |raw: &Option<String>, parse: fn(&str) -> Option<&'static str>| {
        raw.as_deref()
            .map(|r| parse(r).map_or_else(|| r.to_owned(), str::to_owned))
            .unwrap_or_default()
    };
    Ok(render(&SelectedPage {
        chrome: visitor.chrome(&state.app),
        call_id,
        call_title: call.call.title.clone(),
        published: call.call.published,
        lines: list
            .iter()
            .map(|s| SelectedLine {
                id: s.id,
                title: s.title.clone(),
                session_type: labelled(&s.session_type, |r| {
                    SessionType::parse(r).map(|t| t.label())
                }),
                theme: s.theme.clone().unwrap_or_default(),
                format: labelled(&s.format, |r| SessionFormat::parse(r).map(|f| f.label())),
                description: s.description.clone().unwrap_or_default(),
                speakers: s
                    .speakers
                    .iter()
                    .map(|p| {
                        (
                            p.name.clone(),
                            p.organization.clone(),
                            if p.country.is_empty() {
                                String::new()
                            } else {
                                country_name(&p.country)
                            },
                        )
                    })
                    .collect(),
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A question may not allow a larger file than the upload route takes, or the
    /// proposer would get the route's generic refusal instead of the field's message.
    #[test]
    fn the_largest_file_a_question_allows_passes_the_upload_route() {
        let largest = usize::try_from(plenary_domain::call_form::MAX_FILE_BYTES).expect("fits");
        assert!(largest <= plenary_app::MAX_DOCUMENT_BYTES);
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn speaker_rows_are_read_in_order_and_empty_rows_dropped() {
        let form = SubmissionForm::from_pairs(pairs(&[
            ("title", "Last mile"),
            ("speakers[1][name]", "Bo Li"),
            ("speakers[0][name]", "Ana"),
            ("speakers[0][organizer]", "yes"),
            ("speakers[2][organizer]", "yes"),
            ("speakers[3][name]", " "),
            ("speakers[999][name]", "Too far"),
            ("speakers[x][name]", "Not a row"),
            ("q.budget", "12"),
            ("q.topics", "a"),
            ("q.topics", "b"),
            ("version", "4"),
        ]));
        let names: Vec<&str> = form.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ana", "Bo Li"]);
        assert!(form.speakers[0].organizer && !form.speakers[1].organizer);
        assert_eq!(form.answers["topics"], ["a", "b"]);
        let input = form.input(true);
        assert_eq!(input.proposal.title, "Last mile");
        assert_eq!(input.version, Some(4));
        assert!(form.input(false).proposal.speakers.is_empty());
    }

    #[test]
    fn reasons_become_sentences() {
        assert_eq!(
            sentence("this call closed: drafts are kept"),
            "This call closed: drafts are kept."
        );
        assert_eq!(sentence("is not valid: done."), "Done.");
    }
}
