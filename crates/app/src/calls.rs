//! Calls for submissions and the submissions themselves: the secretariat sets up a call
//! (window, form, rules, review settings); a signed-in person keeps drafts, adds
//! co-proposers who edit with them, attaches files and sends before the call closes; a
//! follow-up call (travel support) opens for a person only once its prerequisite is
//! approved. Reviewing and deciding are in [`crate::review`].

use crate::accounts::{require_account, require_permission};
use crate::audit::Change;
use crate::input::{Errors, missing, number_or, optional};
use crate::registration::local_instant;
use crate::{App, AppError, Caller};
use chrono::{DateTime, Utc};
use plenary_domain::call_form::{self, Question, QuestionKind};
use plenary_domain::calls::{CallKind, CallRules, ProposalInput, Refusal, SubmissionStatus};
use plenary_domain::geo::CountryGroup;
use plenary_domain::people::parse_title;
use plenary_domain::registration::{RegistrationStatus, parse_key};
use plenary_domain::review::Scale;
use plenary_domain::time::Zone;
use plenary_domain::{Email, FieldError, Permission, Problem};
use plenary_store::Tx;
use plenary_store::calls::{self as store, CallFields, Content, NewFile, QuestionFields};
/// The stored records the views below carry (re-exported for the web layer).
pub use plenary_store::calls::{Call, FileInfo, Person, QuestionRow, Review, Submission};
use serde_json::json;
use std::collections::BTreeMap;

// ------------------------------------------------------------------ set-up

/// A call's settings as typed. Instants are local to `time_zone`
/// (`YYYY-MM-DDTHH:MM`).
#[derive(Debug, Clone, Default)]
pub struct CallInput {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub time_zone: String,
    pub opens_at: String,
    pub closes_at: String,
    /// Empty: no limit.
    pub max_per_person: String,
    pub editable_until_close: bool,
    /// One per line.
    pub themes: String,
    /// Empty or `none`, `registration:EVENT` or `accepted:CALL`.
    pub prerequisite: String,
    /// Country group ids (`ldc`, `lldc`, `sids`); empty: anyone.
    pub country_groups: Vec<String>,
    /// Empty: 3.
    pub reviewers_per_submission: String,
    /// One per line; empty: "Relevance" and "Quality".
    pub criteria: String,
    /// Empty: 1 to 5.
    pub scale_min: String,
    pub scale_max: String,
    /// The cost of a second reviewer of one stakeholder group on a submission, in
    /// affinity points; empty: 0.5.
    pub balance_penalty: String,
}

/// What must be approved before a person may submit to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prerequisite {
    None,
    /// A confirmed registration for this event.
    Registration(i64),
    /// An accepted submission to this call.
    AcceptedSubmission(i64),
}

impl Prerequisite {
    fn parse(raw: &str) -> Result<Prerequisite, FieldError> {
        let raw = raw.trim();
        let bad = || {
            FieldError::new(
                "prerequisite",
                Problem::Invalid("none, registration:EVENT or accepted:CALL"),
            )
        };
        if raw.is_empty() || raw == "none" {
            return Ok(Prerequisite::None);
        }
        let (kind, id) = raw.split_once(':').ok_or_else(bad)?;
        let id: i64 = id.trim().parse().map_err(|_| bad())?;
        match kind.trim() {
            "registration" => Ok(Prerequisite::Registration(id)),
            "accepted" => Ok(Prerequisite::AcceptedSubmission(id)),
            _ => Err(bad()),
        }
    }

    fn of(call: &Call) -> Prerequisite {
        match (call.prerequisite_kind.as_str(), call.prerequisite_id) {
            ("registration", Some(id)) => Prerequisite::Registration(id),
            ("accepted_submission", Some(id)) => Prerequisite::AcceptedSubmission(id),
            _ => Prerequisite::None,
        }
    }

    fn parts(self) -> (&'static str, Option<i64>) {
        match self {
            Prerequisite::None => ("none", None),
            Prerequisite::Registration(id) => ("registration", Some(id)),
            Prerequisite::AcceptedSubmission(id) => ("accepted_submission", Some(id)),
        }
    }

    /// As typed in [`CallInput::prerequisite`].
    pub fn as_input(self) -> String {
        match self {
            Prerequisite::None => String::new(),
            Prerequisite::Registration(id) => format!("registration:{id}"),
            Prerequisite::AcceptedSubmission(id) => format!("accepted:{id}"),
        }
    }
}

/// A call with its decoded settings and its form.
#[derive(Debug, Clone)]
pub struct CallView {
    pub call: Call,
    pub zone: Zone,
    pub themes: Vec<String>,
    pub criteria: Vec<String>,
    pub country_groups: Vec<CountryGroup>,
    pub prerequisite: Prerequisite,
    pub questions: Vec<QuestionRow>,
}

impl CallView {
    pub fn rules(&self) -> CallRules {
        CallRules {
            opens_at: self.call.opens_at,
            closes_at: self.call.closes_at,
            max_per_person: self.call.max_per_person.and_then(|n| u32::try_from(n).ok()),
            editable_until_close: self.call.editable_until_close,
        }
    }

    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.rules().window(now).is_ok()
    }

    pub fn is_session_call(&self) -> bool {
        self.call.kind == CallKind::SessionProposals
    }

    pub fn scale(&self) -> Scale {
        Scale {
            min: self.call.scale_min,
            max: self.call.scale_max,
        }
    }

    /// The form's questions as the domain checks them.
    pub fn form(&self) -> Vec<Question> {
        self.questions.iter().map(question_of).collect()
    }

    /// The call's settings as typed, to fill the edit form.
    pub fn input(&self) -> CallInput {
        let local = |t: DateTime<Utc>| {
            t.with_timezone(&self.zone.tz())
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        CallInput {
            kind: self.call.kind.as_str().into(),
            title: self.call.title.clone(),
            description: self.call.description.clone(),
            time_zone: self.zone.name().into(),
            opens_at: local(self.call.opens_at),
            closes_at: local(self.call.closes_at),
            max_per_person: self
                .call
                .max_per_person
                .map(|n| n.to_string())
                .unwrap_or_default(),
            editable_until_close: self.call.editable_until_close,
            themes: self.themes.join("\n"),
            prerequisite: self.prerequisite.as_input(),
            country_groups: self
                .country_groups
                .iter()
                .map(|g| g.as_str().into())
                .collect(),
            reviewers_per_submission: self.call.reviewers_per_submission.to_string(),
            criteria: self.criteria.join("\n"),
            scale_min: self.call.scale_min.to_string(),
            scale_max: self.call.scale_max.to_string(),
            balance_penalty: format!("{}", self.call.balance_penalty_micros as f64 / 1e6),
        }
    }
}

fn json_list(raw: &str) -> Result<Vec<String>, AppError> {
    serde_json::from_str(raw).map_err(|e| AppError::Internal(format!("stored list: {e}")))
}

fn question_of(row: &QuestionRow) -> Question {
    Question {
        key: row.key.clone(),
        label: row.label.clone(),
        kind: row.kind,
        required: row.required,
        options: serde_json::from_str(&row.options).unwrap_or_default(),
        max_bytes: row.max_bytes.and_then(|n| u64::try_from(n).ok()),
        file_types: row
            .file_types
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

pub(crate) fn call_view(tx: &mut Tx<'_>, id: i64) -> Result<CallView, AppError> {
    let call = store::call(tx, id)?.ok_or(AppError::NotFound)?;
    let questions = store::questions(tx, id)?;
    view_of(call, questions)
}

fn view_of(call: Call, questions: Vec<QuestionRow>) -> Result<CallView, AppError> {
    let zone = Zone::parse("time_zone", &call.time_zone)
        .map_err(|_| AppError::Internal(format!("call {}: bad zone", call.id)))?;
    let country_groups = json_list(&call.country_groups)?
        .iter()
        .filter_map(|g| CountryGroup::parse(g))
        .collect();
    Ok(CallView {
        zone,
        themes: json_list(&call.themes)?,
        criteria: json_list(&call.criteria)?,
        country_groups,
        prerequisite: Prerequisite::of(&call),
        questions,
        call,
    })
}

fn lines(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.iter().any(|o| o == line) {
            out.push(line.to_owned());
        }
    }
    out
}

fn penalty_micros(raw: &str) -> Result<i64, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(500_000);
    }
    match raw.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Ok((v * 1e6).round() as i64),
        _ => Err(FieldError::new(
            "balance_penalty",
            Problem::Invalid("a number from 0 to 100"),
        )),
    }
}

struct CallValues {
    kind: CallKind,
    title: String,
    description: String,
    zone: Zone,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    max_per_person: Option<i64>,
    themes: Vec<String>,
    prerequisite: Prerequisite,
    country_groups: Vec<CountryGroup>,
    reviewers: i64,
    criteria: Vec<String>,
    scale: Scale,
    penalty: i64,
}

fn call_values(input: &CallInput) -> Result<CallValues, AppError> {
    let mut errors = Errors::default();
    let kind = errors.take(CallKind::parse_field("kind", &input.kind));
    let title = errors.take(parse_title("title", &input.title, 200));
    let description = input.description.trim().to_owned();
    if description.chars().count() > 20_000 {
        errors.0.push(FieldError::new(
            "description",
            Problem::TooLong { max: 20_000 },
        ));
    }
    let zone = errors.take(Zone::find("time_zone", &input.time_zone));
    let at = |errors: &mut Errors, field, raw: &str| {
        zone.and_then(|z| errors.take(local_instant(field, raw, z)))
    };
    let opens_at = at(&mut errors, "opens_at", &input.opens_at);
    let closes_at = at(&mut errors, "closes_at", &input.closes_at);
    if let (Some(o), Some(c)) = (opens_at, closes_at)
        && c <= o
    {
        errors.0.push(FieldError::new(
            "closes_at",
            Problem::Invalid("the call must close after it opens"),
        ));
    }
    let max_per_person = errors.take(optional(&input.max_per_person, |v| {
        plenary_domain::error::whole_number("max_per_person", v, 1..=100)
    }));
    let themes = lines(&input.themes);
    if themes.iter().any(|t| t.chars().count() > 200) {
        errors
            .0
            .push(FieldError::new("themes", Problem::TooLong { max: 200 }));
    }
    let prerequisite = errors.take(Prerequisite::parse(&input.prerequisite));
    let mut country_groups = Vec::new();
    for raw in input.country_groups.iter().filter(|g| !g.trim().is_empty()) {
        match CountryGroup::parse_field("country_groups", raw) {
            Ok(g) if !country_groups.contains(&g) => country_groups.push(g),
            Ok(_) => {}
            Err(e) => errors.0.push(e),
        }
    }
    let reviewers = errors.take(number_or(
        "reviewers_per_submission",
        &input.reviewers_per_submission,
        3,
        1..=20,
    ));
    let mut criteria = lines(&input.criteria);
    if criteria.is_empty() {
        criteria = vec!["Relevance".into(), "Quality".into()];
    }
    if criteria.len() > 10 || criteria.iter().any(|c| c.chars().count() > 100) {
        errors.0.push(FieldError::new(
            "criteria",
            Problem::Invalid("at most 10 criteria of at most 100 characters"),
        ));
    }
    let min = errors.take(number_or("scale_min", &input.scale_min, 1, -100..=100));
    let max = errors.take(number_or("scale_max", &input.scale_max, 5, -100..=100));
    let scale = match (min, max) {
        (Some(min), Some(max)) => errors.take(Scale::new(min, max).map_err(|e| FieldError {
            field: "scale_max",
            ..e
        })),
        _ => None,
    };
    let penalty = errors.take(penalty_micros(&input.balance_penalty));
    errors.finish()?;
    Ok(CallValues {
        kind: kind.ok_or_else(missing)?,
        title: title.ok_or_else(missing)?,
        description,
        zone: zone.ok_or_else(missing)?,
        opens_at: opens_at.ok_or_else(missing)?,
        closes_at: closes_at.ok_or_else(missing)?,
        max_per_person: max_per_person.ok_or_else(missing)?,
        themes,
        prerequisite: prerequisite.ok_or_else(missing)?,
        country_groups,
        reviewers: reviewers.ok_or_else(missing)?,
        criteria,
        scale: scale.ok_or_else(missing)?,
        penalty: penalty.ok_or_else(missing)?,
    })
}

/// Checks that a prerequisite names an existing event or another call.
fn check_prerequisite(tx: &mut Tx<'_>, id: Option<i64>, p: Prerequisite) -> Result<(), AppError> {
    let exists = match p {
        Prerequisite::None => true,
        Prerequisite::Registration(event) => {
            plenary_store::registration::event(tx, event)?.is_some()
        }
        Prerequisite::AcceptedSubmission(call) => {
            Some(call) != id && store::call(tx, call)?.is_some()
        }
    };
    if exists {
        Ok(())
    } else {
        Err(AppError::field(
            "prerequisite",
            Problem::Invalid("no such event, or no such other call"),
        ))
    }
}

/// A question of a call's form, as typed.
#[derive(Debug, Clone, Default)]
pub struct CallQuestionInput {
    pub key: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    /// Choices, one per line.
    pub options: String,
    /// File questions: the largest file in KB (empty: the default).
    pub max_kb: String,
    /// File questions: accepted types (`pdf, docx`; empty: any known type).
    pub file_types: String,
}

pub(crate) fn require_call_manager(caller: &Caller) -> Result<(), AppError> {
    require_permission(caller, Permission::ManageCalls).map(|_| ())
}

// ------------------------------------------------------------------ submissions

/// What proposers type: a session proposal for session-proposal calls, else a title;
/// and the answers to the call's form.
#[derive(Debug, Clone, Default)]
pub struct SubmissionInput {
    pub title: String,
    pub proposal: ProposalInput,
    pub answers: BTreeMap<String, Vec<String>>,
    /// The version the edit is based on (co-proposers edit together); `None` for a new
    /// submission or when not known (the API's full replacement).
    pub version: Option<i64>,
}

/// How the caller stands to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The secretariat.
    Manager,
    /// A proposer or co-proposer.
    Proposer,
    /// An assigned reviewer without a conflict.
    Reviewer,
    /// A member of the call's reviewer pool (may bid and declare a conflict).
    PoolMember,
}

/// A review as the caller may see it. Proposers and reviewers see "Reviewer 2", never a
/// name or an account id; the secretariat sees who wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewShown {
    pub label: String,
    pub reviewer_id: Option<i64>,
    pub scores: BTreeMap<String, i64>,
    pub comment: String,
    pub submitted_at: DateTime<Utc>,
    pub mine: bool,
}

/// A submission as the caller may see it.
#[derive(Debug, Clone)]
pub struct SubmissionView {
    pub call: CallView,
    pub submission: Submission,
    /// The proposal as typed (session-proposal calls).
    pub proposal: Option<ProposalInput>,
    pub answers: BTreeMap<String, Vec<String>>,
    pub people: Vec<Person>,
    pub files: Vec<FileInfo>,
    pub standing: Standing,
    /// Whether the caller may change it now, or why not.
    pub may_edit: Result<(), String>,
    /// Whether the caller may send it now, or why not.
    pub may_submit: Result<(), String>,
    /// The reviews the caller may see (see [`ReviewShown`]).
    pub reviews: Vec<ReviewShown>,
    /// How many reviews there are (also when the caller may not read them).
    pub review_count: usize,
    /// The caller's own review, if they are a reviewer and wrote one.
    pub my_review: Option<ReviewShown>,
    /// The submission this one was merged into, by id and title.
    pub merged_into: Option<(i64, String)>,
}

impl SubmissionView {
    pub fn is_proposer(&self) -> bool {
        self.standing == Standing::Proposer
    }
}

pub(crate) fn submission_in(tx: &mut Tx<'_>, id: i64) -> Result<Submission, AppError> {
    store::submission(tx, id)?.ok_or(AppError::NotFound)
}

pub(crate) fn proposal_of(s: &Submission) -> Result<Option<ProposalInput>, AppError> {
    s.proposal
        .as_deref()
        .map(|p| {
            serde_json::from_str(p)
                .map_err(|e| AppError::Internal(format!("submission {}: {e}", s.id)))
        })
        .transpose()
}

pub(crate) fn answers_of(s: &Submission) -> Result<BTreeMap<String, Vec<String>>, AppError> {
    serde_json::from_str(&s.answers)
        .map_err(|e| AppError::Internal(format!("submission {}: {e}", s.id)))
}

pub(crate) fn scores_of(r: &Review) -> Result<BTreeMap<String, i64>, AppError> {
    serde_json::from_str(&r.scores)
        .map_err(|e| AppError::Internal(format!("review of {}: {e}", r.submission_id)))
}

/// How `caller` stands to the submission; `NotFound` when they may not see it (the
/// same answer as for a submission that does not exist).
pub(crate) fn standing(
    tx: &mut Tx<'_>,
    caller: &Caller,
    s: &Submission,
) -> Result<Standing, AppError> {
    let people = store::people(tx, s.id)?;
    standing_among(tx, caller, s, &people)
}

/// [`standing`], with the submission's proposers already read.
fn standing_among(
    tx: &mut Tx<'_>,
    caller: &Caller,
    s: &Submission,
    people: &[Person],
) -> Result<Standing, AppError> {
    let user = require_account(caller)?.0;
    if caller
        .principal
        .can(Permission::ManageCalls, plenary_domain::Scope::Global)
    {
        return Ok(Standing::Manager);
    }
    if people.iter().any(|p| p.user_id == user) {
        return Ok(Standing::Proposer);
    }
    if matches!(
        s.status,
        SubmissionStatus::Draft | SubmissionStatus::Withdrawn
    ) {
        return Err(AppError::NotFound);
    }
    let member = store::reviewer(tx, s.call_id, user)?;
    if let Some(r) = &member {
        let proposers: Vec<i64> = people.iter().map(|p| p.user_id).collect();
        if crate::review::conflict_of(tx, s, r, &proposers)?.is_some() {
            return Err(AppError::NotFound);
        }
    }
    if store::is_assigned(tx, s.id, user)? {
        return Ok(Standing::Reviewer);
    }
    if member.is_some() {
        return Ok(Standing::PoolMember);
    }
    Err(AppError::NotFound)
}

/// The reviews `standing` may read, labelled for them.
fn reviews_shown(
    tx: &mut Tx<'_>,
    s: &Submission,
    standing: Standing,
    user: i64,
) -> Result<(Vec<ReviewShown>, usize, Option<ReviewShown>), AppError> {
    let all = store::reviews_of(tx, s.id)?;
    let mut shown = Vec::with_capacity(all.len());
    for (n, r) in all.iter().enumerate() {
        let mine = r.user_id == user;
        shown.push(ReviewShown {
            label: if standing == Standing::Manager {
                r.reviewer_name.clone()
            } else if mine {
                "Your review".into()
            } else {
                format!("Reviewer {}", n + 1)
            },
            reviewer_id: (standing == Standing::Manager).then_some(r.user_id),
            scores: scores_of(r)?,
            comment: r.comment.clone(),
            submitted_at: r.submitted_at,
            mine,
        });
    }
    let count = shown.len();
    let my_review = shown.iter().find(|r| r.mine).cloned();
    let decided = matches!(
        s.status,
        SubmissionStatus::Accepted
            | SubmissionStatus::Rejected
            | SubmissionStatus::ChangesRequested
            | SubmissionStatus::Merged
    );
    let visible = match standing {
        Standing::Manager => true,
        // Others' scores only once their own review is in.
        Standing::Reviewer => my_review.is_some(),
        // The committee's reasons, anonymously, once decided.
        Standing::Proposer => decided,
        Standing::PoolMember => false,
    };
    if !visible {
        shown.clear();
    }
    Ok((shown, count, my_review))
}

/// Whether `user` meets the call's prerequisite, or why not.
fn eligibility(
    tx: &mut Tx<'_>,
    call: &CallView,
    user: i64,
) -> Result<Result<(), String>, AppError> {
    Ok(match call.prerequisite {
        Prerequisite::None => Ok(()),
        Prerequisite::Registration(event) => {
            let confirmed = plenary_store::registration::of_user(tx, user)?
                .iter()
                .any(|r| r.event_id == event && r.status == RegistrationStatus::Confirmed);
            if confirmed {
                Ok(())
            } else {
                let title = plenary_store::registration::event(tx, event)?
                    .map(|e| e.title)
                    .unwrap_or_default();
                Err(format!(
                    "this call opens once your registration for {title} is confirmed"
                ))
            }
        }
        Prerequisite::AcceptedSubmission(other) => {
            if store::has_accepted(tx, other, user)? {
                Ok(())
            } else {
                let title = store::call(tx, other)?.map(|c| c.title).unwrap_or_default();
                Err(format!(
                    "this call opens once a submission of yours to {title} is accepted"
                ))
            }
        }
    })
}

/// The applicant's country must be in one of the call's country groups (when it has
/// any): the first country question of the form gives it.
fn country_eligible(
    call: &CallView,
    answers: &BTreeMap<String, Vec<String>>,
) -> Result<(), FieldError> {
    if call.country_groups.is_empty() {
        return Ok(());
    }
    let groups: Vec<&str> = call.country_groups.iter().map(|g| g.label()).collect();
    let country = call
        .questions
        .iter()
        .find(|q| q.kind == QuestionKind::Country)
        .and_then(|q| answers.get(&q.key))
        .and_then(|v| v.first());
    match country {
        Some(c) if call.country_groups.iter().any(|g| g.contains(c)) => Ok(()),
        Some(c) => Err(FieldError::new(
            "answers",
            Problem::Explained(format!(
                "this call is for people from {}; {c} is not among them",
                groups.join(", ")
            )),
        )),
        None => Err(FieldError::new(
            "answers",
            Problem::Explained(format!(
                "this call is for people from {}: give your country",
                groups.join(", ")
            )),
        )),
    }
}

/// The content to store: checked completely unless it is a draft.
struct Checked {
    title: String,
    session_type: Option<String>,
    theme: Option<String>,
    proposal: Option<String>,
    answers: String,
}

fn check_content(
    call: &CallView,
    input: &SubmissionInput,
    files: &[String],
    complete: bool,
) -> Result<Checked, AppError> {
    let mut errors = Errors::default();
    let answers = errors.take_all(
        call_form::check_answers(&call.form(), &input.answers, files, complete)
            .map_err(|e| e.iter().map(|a| a.field_error()).collect()),
    );
    let (title, session_type, theme, proposal) = if call.is_session_call() {
        let p = &input.proposal;
        if complete {
            errors.take_all(p.check(&call.themes));
        } else {
            errors.take_all(draft_limits(p));
        }
        let title = p.title.trim();
        let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        (
            if title.is_empty() {
                "Untitled draft".to_owned()
            } else {
                title.to_owned()
            },
            nonempty(&p.session_type),
            nonempty(&p.theme),
            Some(serde_json::to_string(p).map_err(|e| AppError::Internal(e.to_string()))?),
        )
    } else {
        let title = errors.take(parse_title("title", &input.title, 200));
        (title.unwrap_or_default(), None, None, None)
    };
    if complete && let Some(a) = &answers {
        errors.take(country_eligible(call, a));
    }
    errors.finish()?;
    Ok(Checked {
        title,
        session_type,
        theme,
        proposal,
        answers: serde_json::to_string(&answers.ok_or_else(missing)?)
            .map_err(|e| AppError::Internal(e.to_string()))?,
    })
}

/// A draft is kept as typed, within the sizes a sent proposal may have.
fn draft_limits(p: &ProposalInput) -> Result<(), Vec<FieldError>> {
    use plenary_domain::calls::{MAX_DESCRIPTION, MAX_SPEAKERS, MAX_TITLE};
    let mut errors = Vec::new();
    let too_long = |field, value: &str, max| {
        (value.chars().count() > max).then(|| FieldError::new(field, Problem::TooLong { max }))
    };
    errors.extend(too_long("title", &p.title, MAX_TITLE));
    errors.extend(too_long("description", &p.description, MAX_DESCRIPTION));
    errors.extend(too_long(
        "policy_questions",
        &p.policy_questions,
        MAX_DESCRIPTION,
    ));
    if p.speakers.len() > MAX_SPEAKERS * 2 {
        errors.push(FieldError::new(
            "speakers",
            Problem::Explained(format!("at most {MAX_SPEAKERS} speakers and organizers")),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A line of "my submissions".
#[derive(Debug, Clone)]
pub struct MySubmission {
    pub submission: Submission,
    pub call: Call,
    pub role: String,
}

/// A call as a visitor sees it: with whether they may submit and what they have sent.
#[derive(Debug, Clone)]
pub struct CallPage {
    pub call: CallView,
    pub open: bool,
    /// Whether the caller may start a submission now, or why not.
    pub may_start: Result<(), String>,
    pub mine: Vec<Submission>,
    /// Whether the caller is in the call's reviewer pool.
    pub reviewer: bool,
}

impl App {
    // -------------------------------------------------------------- set-up

    /// Creates or changes a call (secretariat).
    pub fn save_call(
        &self,
        caller: &Caller,
        id: Option<i64>,
        input: &CallInput,
    ) -> Result<CallView, AppError> {
        require_call_manager(caller)?;
        let v = call_values(input)?;
        let now = self.now();
        let to_json = |list: Vec<&str>| serde_json::to_string(&list).unwrap_or_default();
        let themes = to_json(v.themes.iter().map(String::as_str).collect());
        let criteria = to_json(v.criteria.iter().map(String::as_str).collect());
        let groups = to_json(v.country_groups.iter().map(|g| g.as_str()).collect());
        self.db().write(|tx| {
            check_prerequisite(tx, id, v.prerequisite)?;
            let (prerequisite_kind, prerequisite_id) = v.prerequisite.parts();
            let fields = CallFields {
                kind: v.kind,
                title: &v.title,
                description: &v.description,
                time_zone: v.zone.name(),
                opens_at: v.opens_at,
                closes_at: v.closes_at,
                max_per_person: v.max_per_person,
                editable_until_close: input.editable_until_close,
                themes: &themes,
                prerequisite_kind,
                prerequisite_id,
                country_groups: &groups,
                reviewers_per_submission: v.reviewers,
                criteria: &criteria,
                scale_min: v.scale.min,
                scale_max: v.scale.max,
                balance_penalty_micros: v.penalty,
            };
            let id = match id {
                Some(id) => {
                    if !store::update_call(tx, id, &fields)? {
                        return Err(AppError::NotFound);
                    }
                    id
                }
                None => store::insert_call(tx, &fields, now)?,
            };
            Change::new("call.save", "call", id)
                .detail(json!({ "title": v.title, "kind": v.kind.as_str() }))
                .record(tx, caller, now)?;
            call_view(tx, id)
        })
    }

    /// Every call (public: calls are announcements).
    pub fn calls(&self) -> Result<Vec<Call>, AppError> {
        Ok(self.db().read(store::calls)?)
    }

    /// A call with its form (public).
    pub fn call(&self, id: i64) -> Result<CallView, AppError> {
        self.db().read(|tx| call_view(tx, id))
    }

    /// A call as the caller sees it: whether they may start a submission, theirs.
    pub fn call_page(&self, caller: &Caller, id: i64) -> Result<CallPage, AppError> {
        let now = self.now();
        self.db().read(|tx| {
            let call = call_view(tx, id)?;
            let open = call.is_open(now);
            let (may_start, mine, reviewer) = match caller.principal.user_id() {
                None => (Err("sign in to submit".to_owned()), Vec::new(), false),
                Some(user) => {
                    let may = match call.rules().window(now) {
                        Err(r) => Err(r.to_string()),
                        Ok(()) => eligibility(tx, &call, user.0)?,
                    };
                    let mine = store::submissions_of_user(tx, user.0)?
                        .into_iter()
                        .filter(|s| s.call_id == id)
                        .collect();
                    let reviewer = store::reviewer(tx, id, user.0)?.is_some();
                    (may, mine, reviewer)
                }
            };
            Ok(CallPage {
                call,
                open,
                may_start,
                mine,
                reviewer,
            })
        })
    }

    /// Adds a question to a call's form (secretariat).
    pub fn add_call_question(
        &self,
        caller: &Caller,
        call_id: i64,
        input: &CallQuestionInput,
    ) -> Result<CallView, AppError> {
        require_call_manager(caller)?;
        let mut errors = Errors::default();
        let key = errors.take(parse_key(&input.key));
        let label = errors.take(parse_title("label", &input.label, 200));
        let kind = errors.take(QuestionKind::parse_field("kind", &input.kind));
        let options = lines(&input.options);
        if matches!(kind, Some(QuestionKind::Choice | QuestionKind::MultiChoice))
            && options.len() < 2
        {
            errors.0.push(FieldError::new(
                "options",
                Problem::Invalid("a choice needs at least two options, one per line"),
            ));
        }
        let is_file = kind == Some(QuestionKind::File);
        let max_bytes = if is_file {
            errors.take(call_form::parse_max_kb(&input.max_kb))
        } else {
            Some(0)
        };
        let file_types = if is_file {
            errors.take(call_form::parse_file_types(&input.file_types))
        } else {
            Some(Vec::new())
        };
        errors.finish()?;
        let (key, label, kind) = (
            key.ok_or_else(missing)?,
            label.ok_or_else(missing)?,
            kind.ok_or_else(missing)?,
        );
        let options = serde_json::to_string(&options).unwrap_or_default();
        let file_types = file_types.ok_or_else(missing)?.join(",");
        let max_bytes = max_bytes
            .filter(|_| is_file)
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX));
        let now = self.now();
        self.db().write(|tx| {
            store::call(tx, call_id)?.ok_or(AppError::NotFound)?;
            let fields = QuestionFields {
                key: &key,
                label: &label,
                kind,
                required: input.required,
                options: &options,
                max_bytes,
                file_types: &file_types,
            };
            store::insert_question(tx, call_id, &fields).map_err(|e| match e {
                plenary_store::StoreError::Conflict(_) => AppError::field(
                    "key",
                    Problem::Invalid("the form already has a question with this key"),
                ),
                other => other.into(),
            })?;
            Change::new("call_question.add", "call", call_id)
                .detail(json!({ "key": key, "kind": kind.as_str() }))
                .record(tx, caller, now)?;
            call_view(tx, call_id)
        })
    }

    /// Removes a question (answers already given stay with the submissions).
    pub fn delete_call_question(
        &self,
        caller: &Caller,
        call_id: i64,
        question_id: i64,
    ) -> Result<(), AppError> {
        require_call_manager(caller)?;
        let record = Change::new("call_question.delete", "call", call_id)
            .detail(json!({ "question": question_id }));
        self.write_audited(caller, record, |tx| {
            if !store::delete_question(tx, call_id, question_id)? {
                return Err(AppError::NotFound);
            }
            Ok(())
        })
    }

    // -------------------------------------------------------------- proposers

    /// Keeps a draft: a new one (`id` None) or changes to one the caller proposes.
    /// A submission already sent stays sent and must stay complete.
    pub fn save_submission(
        &self,
        caller: &Caller,
        call_id: i64,
        id: Option<i64>,
        input: &SubmissionInput,
    ) -> Result<SubmissionView, AppError> {
        let user = require_account(caller)?.0;
        let now = self.now();
        self.db().write(|tx| {
            let call = call_view(tx, call_id)?;
            let id = match id {
                None => {
                    call.rules().window(now).map_err(|r| refused(&r))?;
                    if let Err(why) = eligibility(tx, &call, user)? {
                        return Err(AppError::Invalid(vec![FieldError::new(
                            "call",
                            Problem::Explained(why),
                        )]));
                    }
                    let c = check_content(&call, input, &[], false)?;
                    let id = store::insert_submission(tx, call_id, user, &content(&c), now)?;
                    Change::new("submission.create", "submission", id)
                        .detail(json!({ "call": call_id }))
                        .record(tx, caller, now)?;
                    id
                }
                Some(id) => {
                    let s = store::lock_submission(tx, id)?
                        .filter(|s| s.call_id == call_id)
                        .ok_or(AppError::NotFound)?;
                    require_proposer(tx, &s, user)?;
                    call.rules()
                        .may_edit(s.status, now)
                        .map_err(|r| refused(&r))?;
                    let files = file_keys(tx, id)?;
                    let c = check_content(&call, input, &files, s.status != SubmissionStatus::Draft)?;
                    let version = input.version.unwrap_or(s.version);
                    if !store::update_content(tx, id, version, &content(&c), now)? {
                        return Err(AppError::Refused(
                            "a co-proposer changed this submission meanwhile: reload it, then make your change again",
                        ));
                    }
                    Change::new("submission.edit", "submission", id).record(tx, caller, now)?;
                    id
                }
            };
            view(tx, caller, id, now)
        })
    }

    /// Sends a draft (or, after the committee asked for changes, sends it again).
    pub fn submit_submission(&self, caller: &Caller, id: i64) -> Result<SubmissionView, AppError> {
        let user = require_account(caller)?.0;
        let now = self.now();
        let base_url = self.config().base_url.clone();
        self.db().write(|tx| {
            let s = store::lock_submission(tx, id)?.ok_or(AppError::NotFound)?;
            require_proposer(tx, &s, user)?;
            let call = call_view(tx, s.call_id)?;
            check_may_send(tx, &call, &s, now)?;
            let input = SubmissionInput {
                title: s.title.clone(),
                proposal: proposal_of(&s)?.unwrap_or_default(),
                answers: answers_of(&s)?,
                version: None,
            };
            check_content(&call, &input, &file_keys(tx, id)?, true)?;
            let people = store::people(tx, id)?;
            let ids: Vec<i64> = people.iter().map(|p| p.user_id).collect();
            let first_time = !store::accepted_before(tx, s.call_id, &ids)?;
            store::mark_submitted(tx, id, first_time, now)?;
            for p in &people {
                let values = [
                    ("name", p.display_name.clone()),
                    ("call", call.call.title.clone()),
                    ("title", s.title.clone()),
                    ("link", format!("{base_url}/submissions/{id}")),
                ];
                crate::mail::enqueue_templated(tx, "submission_received", &p.email, &values, &[], now)?;
            }
            Change::new("submission.submit", "submission", id)
                .detail(json!({ "call": s.call_id, "again": s.status == SubmissionStatus::ChangesRequested }))
                .record(tx, caller, now)?;
            view(tx, caller, id, now)
        })
    }

    /// Withdraws a submission (the proposer; not once decided).
    pub fn withdraw_submission(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<SubmissionView, AppError> {
        let user = require_account(caller)?.0;
        let now = self.now();
        self.db().write(|tx| {
            let s = store::lock_submission(tx, id)?.ok_or(AppError::NotFound)?;
            require_proposer(tx, &s, user)?;
            let from = [
                SubmissionStatus::Draft,
                SubmissionStatus::Submitted,
                SubmissionStatus::ChangesRequested,
            ];
            if !store::set_status(tx, id, &from, SubmissionStatus::Withdrawn, now)? {
                return Err(AppError::Refused(
                    "a decided submission cannot be withdrawn",
                ));
            }
            Change::new("submission.withdraw", "submission", id).record(tx, caller, now)?;
            view(tx, caller, id, now)
        })
    }

    /// Adds a co-proposer by the e-mail address of their account; they may then edit.
    pub fn add_co_proposer(
        &self,
        caller: &Caller,
        id: i64,
        email: &str,
    ) -> Result<SubmissionView, AppError> {
        let user = require_account(caller)?.0;
        let email = Email::parse("email", email)?;
        let now = self.now();
        self.db().write(|tx| {
            let s = store::lock_submission(tx, id)?.ok_or(AppError::NotFound)?;
            require_proposer(tx, &s, user)?;
            let call = call_view(tx, s.call_id)?;
            call.rules()
                .may_edit(s.status, now)
                .map_err(|r| refused(&r))?;
            let other = plenary_store::users::by_email(tx, email.as_str())?
                .filter(|u| u.disabled_at.is_none())
                .ok_or_else(|| {
                    AppError::field(
                        "email",
                        Problem::Invalid(
                            "no account has this address: ask them to create one first",
                        ),
                    )
                })?;
            if s.status.counts()
                && let Some(max) = call.call.max_per_person
                && store::sent_by(tx, s.call_id, other.id.0)? >= max
            {
                return Err(AppError::field(
                    "email",
                    Problem::Explained(format!(
                        "they have sent {max} submission(s) to this call already, the most allowed"
                    )),
                ));
            }
            if !store::add_person(tx, id, other.id.0, "co_proposer", now)? {
                return Err(AppError::field(
                    "email",
                    Problem::Invalid("already a proposer of this submission"),
                ));
            }
            Change::new("submission.co_proposer_add", "submission", id)
                .detail(json!({ "user": other.id.0 }))
                .record(tx, caller, now)?;
            view(tx, caller, id, now)
        })
    }

    /// Removes a co-proposer (any proposer, or the co-proposer themselves).
    pub fn remove_co_proposer(
        &self,
        caller: &Caller,
        id: i64,
        user_id: i64,
    ) -> Result<(), AppError> {
        let user = require_account(caller)?.0;
        let now = self.now();
        self.db().write(|tx| {
            let s = store::lock_submission(tx, id)?.ok_or(AppError::NotFound)?;
            require_proposer(tx, &s, user)?;
            if !store::remove_co_proposer(tx, id, user_id)? {
                return Err(AppError::NotFound);
            }
            Change::new("submission.co_proposer_remove", "submission", id)
                .detail(json!({ "user": user_id }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    /// Attaches (or replaces) the file answering a file question.
    pub fn attach_submission_file(
        &self,
        caller: &Caller,
        id: i64,
        question_key: &str,
        filename: &str,
        data: &[u8],
    ) -> Result<SubmissionView, AppError> {
        let user = require_account(caller)?.0;
        let now = self.now();
        let sha = crate::secrets::hex(&<sha2::Sha256 as sha2::Digest>::digest(data));
        self.db().write(|tx| {
            let s = store::lock_submission(tx, id)?.ok_or(AppError::NotFound)?;
            require_proposer(tx, &s, user)?;
            let call = call_view(tx, s.call_id)?;
            call.rules()
                .may_edit(s.status, now)
                .map_err(|r| refused(&r))?;
            let question = call
                .form()
                .into_iter()
                .find(|q| q.key == question_key && q.kind == QuestionKind::File)
                .ok_or_else(|| {
                    AppError::field("question", Problem::Unknown("file question of this call"))
                })?;
            let checked = question.check_file(filename, data).map_err(|e| {
                AppError::Invalid(vec![FieldError::new("file", e.field_error().problem)])
            })?;
            let file = NewFile {
                question_key,
                filename: &checked.filename,
                content_type: checked.content_type,
                sha256: &sha,
                data,
            };
            store::put_file(tx, id, &file, now)?;
            Change::new("submission.file", "submission", id)
                .detail(json!({ "question": question_key, "size": data.len(), "sha256": sha }))
                .record(tx, caller, now)?;
            view(tx, caller, id, now)
        })
    }

    /// A file of a submission, for those who may see the submission.
    pub fn submission_file(
        &self,
        caller: &Caller,
        id: i64,
        question_key: &str,
    ) -> Result<(FileInfo, Vec<u8>), AppError> {
        self.db().read(|tx| {
            let s = submission_in(tx, id)?;
            standing(tx, caller, &s)?;
            store::file_data(tx, id, question_key)?.ok_or(AppError::NotFound)
        })
    }

    /// A submission as the caller may see it.
    pub fn submission(&self, caller: &Caller, id: i64) -> Result<SubmissionView, AppError> {
        let now = self.now();
        self.db().read(|tx| view(tx, caller, id, now))
    }

    /// The caller's submissions, newest first.
    pub fn my_submissions(&self, caller: &Caller) -> Result<Vec<MySubmission>, AppError> {
        let user = require_account(caller)?.0;
        self.db().read(|tx| {
            let mut out = Vec::new();
            for s in store::submissions_of_user(tx, user)? {
                let call = store::call(tx, s.call_id)?.ok_or(AppError::NotFound)?;
                let role = store::people(tx, s.id)?
                    .into_iter()
                    .find(|p| p.user_id == user)
                    .map(|p| p.role)
                    .unwrap_or_default();
                out.push(MySubmission {
                    submission: s,
                    call,
                    role,
                });
            }
            Ok(out)
        })
    }
}

fn refused(r: &Refusal) -> AppError {
    AppError::Invalid(vec![FieldError::new(
        "call",
        Problem::Explained(r.to_string()),
    )])
}

fn content(c: &Checked) -> Content<'_> {
    Content {
        title: &c.title,
        session_type: c.session_type.as_deref(),
        theme: c.theme.as_deref(),
        proposal: c.proposal.as_deref(),
        answers: &c.answers,
    }
}

fn file_keys(tx: &mut Tx<'_>, id: i64) -> Result<Vec<String>, AppError> {
    Ok(store::files(tx, id)?
        .into_iter()
        .map(|f| f.question_key)
        .collect())
}

fn require_proposer(tx: &mut Tx<'_>, s: &Submission, user: i64) -> Result<(), AppError> {
    if store::people(tx, s.id)?.iter().any(|p| p.user_id == user) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Whether the submission may be sent now: a draft within the call's window, the limit
/// per person and the prerequisite; one sent back for changes at any time.
fn check_may_send(
    tx: &mut Tx<'_>,
    call: &CallView,
    s: &Submission,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    match s.status {
        SubmissionStatus::ChangesRequested => Ok(()),
        SubmissionStatus::Draft => {
            for p in store::people(tx, s.id)? {
                let sent =
                    u32::try_from(store::sent_by(tx, s.call_id, p.user_id)?).unwrap_or(u32::MAX);
                call.rules()
                    .may_submit(now, sent)
                    .map_err(|r| refused(&r))?;
                if let Err(why) = eligibility(tx, call, p.user_id)? {
                    return Err(AppError::Invalid(vec![FieldError::new(
                        "call",
                        Problem::Explained(why),
                    )]));
                }
            }
            Ok(())
        }
        _ => Err(AppError::Refused("this submission has been sent already")),
    }
}

fn may_send_now(
    tx: &mut Tx<'_>,
    call: &CallView,
    s: &Submission,
    now: DateTime<Utc>,
) -> Result<Result<(), String>, AppError> {
    match check_may_send(tx, call, s, now) {
        Ok(()) => Ok(Ok(())),
        Err(AppError::Invalid(e)) => Ok(Err(e
            .iter()
            .map(|f| {
                f.problem
                    .to_string()
                    .trim_start_matches("is not valid: ")
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("; "))),
        Err(AppError::Refused(why)) => Ok(Err(why.to_owned())),
        Err(other) => Err(other),
    }
}

fn view(
    tx: &mut Tx<'_>,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> Result<SubmissionView, AppError> {
    let s = submission_in(tx, id)?;
    let mut people = store::people(tx, id)?;
    let standing = standing_among(tx, caller, &s, &people)?;
    let user = require_account(caller)?.0;
    let call = call_view(tx, s.call_id)?;
    let (may_edit, may_submit) = if standing == Standing::Proposer {
        (
            call.rules()
                .may_edit(s.status, now)
                .map_err(|r| r.to_string()),
            may_send_now(tx, &call, &s, now)?,
        )
    } else {
        let no = Err("only its proposers may change it".to_owned());
        (no.clone(), no)
    };
    let (reviews, review_count, my_review) = reviews_shown(tx, &s, standing, user)?;
    let merged_into = match s.merged_into {
        Some(other) => store::submission(tx, other)?.map(|o| (o.id, o.title)),
        None => None,
    };
    if !matches!(standing, Standing::Manager | Standing::Proposer) {
        // Reviewers see who proposes, not their addresses (personal data).
        for p in &mut people {
            p.email.clear();
        }
    }
    Ok(SubmissionView {
        proposal: proposal_of(&s)?,
        answers: answers_of(&s)?,
        people,
        files: store::files(tx, id)?,
        standing,
        may_edit,
        may_submit,
        reviews,
        review_count,
        my_review,
        merged_into,
        call,
        submission: s,
    })
}
