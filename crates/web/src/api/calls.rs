//! Calls for submissions, submissions and committee review over JSON: the secretariat
//! sets up calls, forms and reviewer pools, runs the assignment, decides and publishes;
//! a signed-in person keeps drafts with co-proposers, attaches files and sends; pool
//! members bid and declare conflicts; reviewers score. Submissions are shown as the app
//! lets the caller see them: reviews carry a reviewer id for the secretariat only, and
//! never a reviewer's name or address for proposers and reviewers. Responses with
//! personal data are marked `Cache-Control: no-store`.

use super::meetings::{LabelledInstant, labelled};
use super::schema::{Instant, Items};
use super::{ApiJson, instant as iso, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use plenary_app::AppError;
use plenary_app::calls::{
    Call, CallInput, CallPage, CallQuestionInput, CallView, FileInfo, MySubmission, Prerequisite,
    QuestionRow, ReviewShown, Standing, Submission, SubmissionInput, SubmissionView,
};
use plenary_app::review::{
    AssignmentReport, Committee, CommitteeLine, DecisionInput, Reviewer, ReviewerInput, Selected,
    SelectedSpeaker, describe,
};
use plenary_domain::calls::{ProposalInput, SpeakerInput};
use plenary_domain::diversity::{Balance, Line};
use plenary_domain::review::Bid;
use plenary_domain::time::Zone;
use plenary_domain::{FieldError, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

super::schema::closed_names! {
    /// A kind of call.
    CallKind => plenary_domain::calls::CallKind::ALL;
    /// A kind of question of a call's form.
    CallQuestionKind => plenary_domain::call_form::QuestionKind::ALL;
    /// Where a submission stands.
    SubmissionStatus => plenary_domain::calls::SubmissionStatus::ALL;
    /// A committee's decision on a submission.
    Decision => plenary_domain::calls::Decision::ALL;
    /// A pool member's bid on a submission.
    BidLevel => plenary_domain::review::Bid::ALL;
    /// A group of countries a call may be restricted to.
    CountryGroup => plenary_domain::geo::CountryGroup::ALL;
}

/// A response with personal data: `Cache-Control: no-store`.
type Private<T> = (StatusCode, [(HeaderName, &'static str); 1], Json<T>);

fn no_store<T>(status: StatusCode, body: T) -> Private<T> {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body))
}

fn stored_list(raw: &str) -> Vec<String> {
    serde_json::from_str(raw).unwrap_or_default()
}

/// A call as listed: its settings without the form.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Call")]
pub(crate) struct CallOut {
    id: i64,
    #[schemars(with = "CallKind")]
    kind: &'static str,
    title: String,
    description: String,
    time_zone: String,
    opens_at: LabelledInstant,
    closes_at: LabelledInstant,
    /// Whether submissions may be sent now.
    open: bool,
    /// Whether the selection is public.
    published: bool,
}

impl CallOut {
    fn new(c: &Call, now: DateTime<Utc>) -> Self {
        let zone = Zone::parse("time_zone", &c.time_zone).unwrap_or(Zone::UTC);
        CallOut {
            id: c.id,
            kind: c.kind.as_str(),
            title: c.title.clone(),
            description: c.description.clone(),
            time_zone: c.time_zone.clone(),
            opens_at: labelled(c.opens_at, zone),
            closes_at: labelled(c.closes_at, zone),
            open: c.opens_at <= now && now < c.closes_at,
            published: c.published,
        }
    }
}

/// A question of a call's form.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CallQuestion")]
pub(crate) struct QuestionOut {
    id: i64,
    key: String,
    label: String,
    #[schemars(with = "CallQuestionKind")]
    kind: &'static str,
    required: bool,
    options: Vec<String>,
    /// File questions: the largest file in KB.
    max_kb: Option<i64>,
    /// File questions: accepted extensions (empty: any known type).
    file_types: Vec<String>,
}

impl From<&QuestionRow> for QuestionOut {
    fn from(q: &QuestionRow) -> Self {
        QuestionOut {
            id: q.id,
            key: q.key.clone(),
            label: q.label.clone(),
            kind: q.kind.as_str(),
            required: q.required,
            options: stored_list(&q.options),
            max_kb: q.max_bytes.map(|b| b / 1024),
            file_types: q
                .file_types
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// The scale of the scores.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CallScale")]
pub(crate) struct Scale {
    min: i64,
    max: i64,
}

/// A call with all its settings and its form.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CallDetail")]
pub(crate) struct CallDetail {
    #[serde(flatten)]
    call: CallOut,
    /// `null`: no limit.
    max_per_person: Option<i64>,
    editable_until_close: bool,
    themes: Vec<String>,
    /// `registration:EVENT` or `accepted:CALL`; `null`: none.
    prerequisite: Option<String>,
    /// Empty: anyone.
    #[schemars(with = "Vec<CountryGroup>")]
    country_groups: Vec<&'static str>,
    reviewers_per_submission: i64,
    criteria: Vec<String>,
    scale: Scale,
    /// Affinity points a second reviewer of one stakeholder group on a submission costs.
    balance_penalty: f64,
    questions: Vec<QuestionOut>,
}

impl CallDetail {
    fn new(v: &CallView, now: DateTime<Utc>) -> Self {
        let mut call = CallOut::new(&v.call, now);
        call.open = v.is_open(now);
        CallDetail {
            call,
            max_per_person: v.call.max_per_person,
            editable_until_close: v.call.editable_until_close,
            themes: v.themes.clone(),
            prerequisite: match v.prerequisite {
                Prerequisite::None => None,
                p => Some(p.as_input()),
            },
            country_groups: v.country_groups.iter().map(|g| g.as_str()).collect(),
            reviewers_per_submission: v.call.reviewers_per_submission,
            criteria: v.criteria.clone(),
            scale: Scale {
                min: v.call.scale_min,
                max: v.call.scale_max,
            },
            balance_penalty: v.call.balance_penalty_micros as f64 / 1e6,
            questions: v.questions.iter().map(QuestionOut::from).collect(),
        }
    }
}

/// A submission as listed: no proposers, no answers.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SubmissionSummary")]
pub(crate) struct SubmissionSummary {
    id: i64,
    call_id: i64,
    #[schemars(with = "SubmissionStatus")]
    status: &'static str,
    title: String,
    session_type: Option<String>,
    theme: Option<String>,
    /// No proposer had a submission accepted in this call before.
    first_time: bool,
    #[schemars(with = "Option<Instant>")]
    submitted_at: Option<String>,
    #[schemars(with = "Instant")]
    updated_at: String,
}

impl From<&Submission> for SubmissionSummary {
    fn from(s: &Submission) -> Self {
        SubmissionSummary {
            id: s.id,
            call_id: s.call_id,
            status: s.status.as_str(),
            title: s.title.clone(),
            session_type: s.session_type.clone(),
            theme: s.theme.clone(),
            first_time: s.first_time,
            submitted_at: s.submitted_at.map(iso),
            updated_at: iso(s.updated_at),
        }
    }
}

/// A file answering a file question.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SubmissionFile")]
pub(crate) struct FileOut {
    question_key: String,
    filename: String,
    content_type: String,
    /// In bytes.
    size: i64,
    /// Hex SHA-256 of the content.
    sha256: String,
}

impl From<&FileInfo> for FileOut {
    fn from(f: &FileInfo) -> Self {
        FileOut {
            question_key: f.question_key.clone(),
            filename: f.filename.clone(),
            content_type: f.content_type.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
        }
    }
}

/// A review as the caller may see it: a reviewer id only when the app gives one (the
/// secretariat's view); the label is "Reviewer 2" or "Your review" for everyone else.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Review")]
pub(crate) struct ReviewOut {
    /// The reviewer's name for the secretariat; "Reviewer N" or "Your review" for others.
    label: String,
    /// The secretariat's view only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "i64")]
    reviewer_id: Option<i64>,
    /// Criterion → score on the call's scale.
    scores: BTreeMap<String, i64>,
    comment: String,
    #[schemars(with = "Instant")]
    submitted_at: String,
}

impl From<&ReviewShown> for ReviewOut {
    fn from(r: &ReviewShown) -> Self {
        ReviewOut {
            label: r.label.clone(),
            reviewer_id: r.reviewer_id,
            scores: r.scores.clone(),
            comment: r.comment.clone(),
            submitted_at: iso(r.submitted_at),
        }
    }
}

/// How the caller stands to a submission.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "SubmissionStanding")]
pub(crate) enum StandingOut {
    Manager,
    Proposer,
    Reviewer,
    PoolMember,
}

impl From<Standing> for StandingOut {
    fn from(s: Standing) -> Self {
        match s {
            Standing::Manager => StandingOut::Manager,
            Standing::Proposer => StandingOut::Proposer,
            Standing::Reviewer => StandingOut::Reviewer,
            Standing::PoolMember => StandingOut::PoolMember,
        }
    }
}

/// How a person stands to a submission they propose.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ProposerRole")]
#[allow(dead_code)] // The schema of a text.
pub(crate) enum ProposerRole {
    Proposer,
    CoProposer,
}

/// A call, named.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CallRef")]
pub(crate) struct CallRef {
    id: i64,
    title: String,
    #[schemars(with = "CallKind")]
    kind: &'static str,
}

impl From<&Call> for CallRef {
    fn from(c: &Call) -> Self {
        CallRef {
            id: c.id,
            title: c.title.clone(),
            kind: c.kind.as_str(),
        }
    }
}

/// A submission, named.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SubmissionRef")]
pub(crate) struct SubmissionRef {
    id: i64,
    title: String,
}

/// A speaker or organizer of a proposed session, as typed.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ProposedSpeaker")]
pub(crate) struct SpeakerOut {
    name: String,
    organization: String,
    stakeholder_group: String,
    /// ISO 3166-1 alpha-2 code.
    country: String,
    /// Self-described, optional.
    gender: String,
    /// Speaker, or organizer (who may also speak).
    organizer: bool,
}

/// A session proposal as typed (session-proposal calls).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SessionProposal")]
pub(crate) struct ProposalOut {
    title: String,
    session_type: String,
    theme: String,
    sub_theme: String,
    format: String,
    description: String,
    /// One per line.
    policy_questions: String,
    speakers: Vec<SpeakerOut>,
}

impl From<&ProposalInput> for ProposalOut {
    fn from(p: &ProposalInput) -> Self {
        // Every field, named: a field added to the proposal fails to build here.
        let ProposalInput {
            title,
            session_type,
            theme,
            sub_theme,
            format,
            description,
            policy_questions,
            speakers,
        } = p;
        ProposalOut {
            title: title.clone(),
            session_type: session_type.clone(),
            theme: theme.clone(),
            sub_theme: sub_theme.clone(),
            format: format.clone(),
            description: description.clone(),
            policy_questions: policy_questions.clone(),
            speakers: speakers
                .iter()
                .map(|s| {
                    let SpeakerInput {
                        name,
                        organization,
                        stakeholder_group,
                        country,
                        gender,
                        organizer,
                    } = s;
                    SpeakerOut {
                        name: name.clone(),
                        organization: organization.clone(),
                        stakeholder_group: stakeholder_group.clone(),
                        country: country.clone(),
                        gender: gender.clone(),
                        organizer: *organizer,
                    }
                })
                .collect(),
        }
    }
}

/// A proposer of a submission.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SubmissionPerson")]
pub(crate) struct PersonOut {
    display_name: String,
    #[schemars(with = "ProposerRole")]
    role: String,
    /// Proposers and the secretariat.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "i64")]
    user_id: Option<i64>,
    /// Proposers and the secretariat.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    email: Option<String>,
}

/// A submission as the caller may see it.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Submission")]
pub(crate) struct SubmissionOut {
    #[serde(flatten)]
    summary: SubmissionSummary,
    call: CallRef,
    proposal: Option<ProposalOut>,
    /// Question key → the values given.
    answers: BTreeMap<String, Vec<String>>,
    #[schemars(with = "Instant")]
    created_at: String,
    /// Send it back with a change to be told of a co-proposer's newer save.
    version: i64,
    merged_into: Option<SubmissionRef>,
    #[schemars(with = "Option<Instant>")]
    decided_at: Option<String>,
    /// Proposers and the secretariat.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    decision_reason: Option<String>,
    /// The secretariat's view only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    decided_by: Option<Option<String>>,
    people: Vec<PersonOut>,
    files: Vec<FileOut>,
    standing: StandingOut,
    may_edit: bool,
    why_not_edit: Option<String>,
    may_submit: bool,
    why_not_submit: Option<String>,
    reviews: Vec<ReviewOut>,
    review_count: usize,
    my_review: Option<ReviewOut>,
}

impl From<&SubmissionView> for SubmissionOut {
    fn from(v: &SubmissionView) -> Self {
        let s = &v.submission;
        let insider = matches!(v.standing, Standing::Manager | Standing::Proposer);
        let people = v
            .people
            .iter()
            .map(|p| PersonOut {
                display_name: p.display_name.clone(),
                role: p.role.clone(),
                // Reviewers see who proposes, not their accounts or addresses.
                user_id: insider.then_some(p.user_id),
                email: insider.then(|| p.email.clone()),
            })
            .collect();
        SubmissionOut {
            summary: s.into(),
            call: CallRef::from(&v.call.call),
            proposal: v.proposal.as_ref().map(ProposalOut::from),
            answers: v.answers.clone(),
            created_at: iso(s.created_at),
            version: s.version,
            merged_into: v.merged_into.as_ref().map(|(id, title)| SubmissionRef {
                id: *id,
                title: title.clone(),
            }),
            decided_at: s.decided_at.map(iso),
            decision_reason: insider.then(|| s.decision_reason.clone()),
            decided_by: (v.standing == Standing::Manager).then(|| s.decided_by.clone()),
            people,
            files: v.files.iter().map(FileOut::from).collect(),
            standing: v.standing.into(),
            may_edit: v.may_edit.is_ok(),
            why_not_edit: v.may_edit.as_ref().err().cloned(),
            may_submit: v.may_submit.is_ok(),
            why_not_submit: v.may_submit.as_ref().err().cloned(),
            reviews: v.reviews.iter().map(ReviewOut::from).collect(),
            review_count: v.review_count,
            my_review: v.my_review.as_ref().map(ReviewOut::from),
        }
    }
}

fn private_submission(status: StatusCode, v: &SubmissionView) -> Private<SubmissionOut> {
    no_store(status, v.into())
}

/// A member of a call's reviewer pool.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CallReviewer")]
pub(crate) struct ReviewerOut {
    user_id: i64,
    email: String,
    display_name: String,
    /// The most submissions they review.
    max_load: i64,
    organization: String,
    stakeholder_group: Option<String>,
    /// Themes of the call they know well.
    expertise: Vec<String>,
}

impl From<&Reviewer> for ReviewerOut {
    fn from(r: &Reviewer) -> Self {
        ReviewerOut {
            user_id: r.user_id,
            email: r.email.clone(),
            display_name: r.display_name.clone(),
            max_load: r.max_load,
            organization: r.organization.clone(),
            stakeholder_group: r.stakeholder_group.clone(),
            expertise: stored_list(&r.expertise),
        }
    }
}

/// A line of a breakdown: the value (or "not given"), how many, and the share in %.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "BalanceLine")]
pub(crate) struct LineOut {
    label: String,
    count: usize,
    percent: f64,
}

fn lines(lines: &[Line]) -> Vec<LineOut> {
    lines
        .iter()
        .map(|l| LineOut {
            label: l.label.clone(),
            count: l.count,
            percent: l.percent,
        })
        .collect()
}

/// The balance of a set of sessions.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Balance")]
pub(crate) struct BalanceOut {
    sessions: usize,
    speakers: usize,
    /// Sessions none of whose proposers had one accepted before.
    first_time_sessions: usize,
    stakeholder_groups: Vec<LineOut>,
    regions: Vec<LineOut>,
    genders: Vec<LineOut>,
    session_types: Vec<LineOut>,
    themes: Vec<LineOut>,
}

impl From<&Balance> for BalanceOut {
    fn from(b: &Balance) -> Self {
        // Every field, named: a breakdown added to the balance fails to build here.
        let Balance {
            sessions,
            speakers,
            stakeholder_groups,
            regions,
            genders,
            session_types,
            themes,
            first_time_sessions,
        } = b;
        BalanceOut {
            sessions: *sessions,
            speakers: *speakers,
            first_time_sessions: *first_time_sessions,
            stakeholder_groups: lines(stakeholder_groups),
            regions: lines(regions),
            genders: lines(genders),
            session_types: lines(session_types),
            themes: lines(themes),
        }
    }
}

/// What a run of the assignment did.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "AssignmentReport")]
pub(crate) struct ReportOut {
    submissions: usize,
    reviewers: usize,
    /// Pairs kept (reviewed, or placed by hand).
    kept: usize,
    /// Pairs the solver added.
    added: usize,
    total_affinity: f64,
    /// Second reviewers of one stakeholder group on a submission.
    excess: u64,
    objective: f64,
    /// The report in words.
    summary: String,
}

impl From<&AssignmentReport> for ReportOut {
    fn from(r: &AssignmentReport) -> Self {
        ReportOut {
            submissions: r.submissions,
            reviewers: r.reviewers,
            kept: r.kept,
            added: r.added,
            total_affinity: r.total_affinity,
            excess: r.excess,
            objective: r.objective,
            summary: describe(r),
        }
    }
}

/// A reviewer assigned to a submission.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "AssignedReviewer")]
pub(crate) struct AssignedReviewer {
    user_id: i64,
    name: String,
}

/// A line of the committee's table.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CommitteeLine")]
pub(crate) struct CommitteeLineOut {
    #[serde(flatten)]
    summary: SubmissionSummary,
    assigned: Vec<AssignedReviewer>,
    /// Reviews written.
    reviews: usize,
    /// The mean score; `null` without reviews.
    mean: Option<f64>,
    /// Mean z-score of its reviews (each reviewer's scores standardised).
    normalised: Option<f64>,
    /// Criterion → mean score.
    criteria: BTreeMap<String, f64>,
}

impl From<&CommitteeLine> for CommitteeLineOut {
    fn from(l: &CommitteeLine) -> Self {
        CommitteeLineOut {
            summary: (&l.submission).into(),
            assigned: l
                .assigned_users
                .iter()
                .zip(&l.assigned)
                .map(|(id, name)| AssignedReviewer {
                    user_id: *id,
                    name: name.clone(),
                })
                .collect(),
            reviews: l.reviews,
            mean: l.aggregate.as_ref().map(|a| a.mean),
            normalised: l.aggregate.as_ref().map(|a| a.normalised),
            criteria: l.criteria.clone(),
        }
    }
}

/// A declared conflict of interest.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Conflict")]
pub(crate) struct ConflictOut {
    submission_id: i64,
    user_id: i64,
    reason: String,
}

/// The committee's table.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Committee")]
pub(crate) struct CommitteeOut {
    call: CallOut,
    items: Vec<CommitteeLineOut>,
    reviewers: Vec<ReviewerOut>,
    conflicts: Vec<ConflictOut>,
    balance: BalanceOut,
}

impl CommitteeOut {
    fn new(c: &Committee, now: DateTime<Utc>) -> Self {
        CommitteeOut {
            call: CallOut::new(&c.call.call, now),
            items: c.lines.iter().map(CommitteeLineOut::from).collect(),
            reviewers: c.reviewers.iter().map(ReviewerOut::from).collect(),
            conflicts: c
                .conflicts
                .iter()
                .map(|(s, u, why)| ConflictOut {
                    submission_id: *s,
                    user_id: *u,
                    reason: why.clone(),
                })
                .collect(),
            balance: (&c.balance).into(),
        }
    }
}

// ------------------------------------------------------------------ calls

pub async fn list(State(s): State<AppState>) -> Result<Json<Items<CallOut>>, ApiError> {
    let (calls, now) = s.run(|app| Ok((app.calls()?, app.now()))).await?;
    Ok(Json(Items::of(calls.iter().map(|c| CallOut::new(c, now)))))
}

/// A call's settings.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CallInput")]
pub struct CallBody {
    #[serde(default)]
    #[schemars(with = "CallKind", extend("x-required" = true))]
    kind: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    title: String,
    #[serde(default)]
    description: String,
    /// An IANA time zone name: `Europe/Zurich`.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    time_zone: String,
    /// Local date-time in the call's zone: 2026-06-22T09:00.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    opens_at: String,
    /// Local date-time in the call's zone.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    closes_at: String,
    /// `null` or absent: no limit.
    #[serde(default)]
    max_per_person: Option<i64>,
    #[serde(default)]
    editable_until_close: bool,
    #[serde(default)]
    themes: Vec<String>,
    /// `none`, `registration:EVENT` or `accepted:CALL`; `null` or absent: none.
    #[serde(default)]
    prerequisite: Option<String>,
    /// Empty: anyone.
    #[serde(default)]
    #[schemars(with = "Vec<CountryGroup>")]
    country_groups: Vec<String>,
    /// Default 3.
    #[serde(default)]
    reviewers_per_submission: Option<i64>,
    /// Default Relevance and Quality.
    #[serde(default)]
    criteria: Vec<String>,
    #[serde(default)]
    scale_min: Option<i64>,
    #[serde(default)]
    scale_max: Option<i64>,
    /// What a second reviewer of one stakeholder group on a submission costs (default 0.5).
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
) -> Result<(StatusCode, Json<CallDetail>), ApiError> {
    let input = body.into();
    let (view, now) = s
        .run(move |app| Ok((app.save_call(&caller, None, &input)?, app.now())))
        .await?;
    Ok((StatusCode::CREATED, Json(CallDetail::new(&view, now))))
}

/// A call with its form, and where the caller stands.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CallPage")]
pub(crate) struct CallPageOut {
    #[serde(flatten)]
    call: CallDetail,
    /// Whether the caller may start a submission now.
    may_start: bool,
    /// Why not.
    why_not: Option<String>,
    /// The caller's submissions to the call.
    mine: Vec<SubmissionSummary>,
    /// Whether the caller is in the call's reviewer pool.
    reviewer: bool,
}

impl CallPageOut {
    fn new(p: &CallPage, now: DateTime<Utc>) -> Self {
        CallPageOut {
            call: CallDetail::new(&p.call, now),
            may_start: p.may_start.is_ok(),
            why_not: p.may_start.as_ref().err().cloned(),
            mine: p.mine.iter().map(SubmissionSummary::from).collect(),
            reviewer: p.reviewer,
        }
    }
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
    let page = CallPageOut::new(&page, now);
    Ok(if user.is_some() {
        no_store(StatusCode::OK, page).into_response()
    } else {
        Json(page).into_response()
    })
}

pub async fn update(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CallBody>,
) -> Result<Json<CallDetail>, ApiError> {
    let id = path_id(&id)?;
    let input = body.into();
    let (view, now) = s
        .run(move |app| Ok((app.save_call(&caller, Some(id), &input)?, app.now())))
        .await?;
    Ok(Json(CallDetail::new(&view, now)))
}

/// A question of a call's form.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CallQuestionInput")]
pub struct QuestionBody {
    /// Names the answer; unique within the form.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    key: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    label: String,
    #[serde(default)]
    #[schemars(with = "CallQuestionKind", extend("x-required" = true))]
    kind: String,
    #[serde(default)]
    required: bool,
    /// Choice questions: the choices.
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
) -> Result<(StatusCode, Json<QuestionOut>), ApiError> {
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
        .map(QuestionOut::from)
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

/// A speaker or organizer of a proposed session.
#[derive(Deserialize, JsonSchema, Default)]
#[serde(default)]
#[schemars(rename = "ProposedSpeakerInput")]
pub struct SpeakerBody {
    name: String,
    organization: String,
    stakeholder_group: String,
    /// ISO 3166-1 alpha-2 code.
    country: String,
    /// Self-described, optional.
    gender: String,
    /// Speaker, or organizer (who may also speak).
    organizer: bool,
}

/// A session proposal as typed (session-proposal calls).
#[derive(Deserialize, JsonSchema, Default)]
#[serde(default)]
#[schemars(rename = "SessionProposalInput")]
pub struct ProposalBody {
    title: String,
    session_type: String,
    theme: String,
    sub_theme: String,
    format: String,
    description: String,
    /// One per line.
    policy_questions: String,
    speakers: Vec<SpeakerBody>,
}

impl From<ProposalBody> for ProposalInput {
    fn from(p: ProposalBody) -> Self {
        ProposalInput {
            title: p.title,
            session_type: p.session_type,
            theme: p.theme,
            sub_theme: p.sub_theme,
            format: p.format,
            description: p.description,
            policy_questions: p.policy_questions,
            speakers: p
                .speakers
                .into_iter()
                .map(|s| SpeakerInput {
                    name: s.name,
                    organization: s.organization,
                    stakeholder_group: s.stakeholder_group,
                    country: s.country,
                    gender: s.gender,
                    organizer: s.organizer,
                })
                .collect(),
        }
    }
}

/// The content of a submission.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SubmissionInput")]
pub struct SubmissionBody {
    /// The title (calls other than session proposals).
    #[serde(default)]
    title: String,
    /// The session proposal (session-proposal calls).
    #[serde(default)]
    proposal: ProposalBody,
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
            proposal: b.proposal.into(),
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
) -> Result<Private<SubmissionOut>, ApiError> {
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
) -> Result<Private<SubmissionOut>, ApiError> {
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
) -> Result<Private<SubmissionOut>, ApiError> {
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
) -> Result<Private<SubmissionOut>, ApiError> {
    let id = path_id(&id)?;
    let view = s.run(move |app| app.submit_submission(&caller, id)).await?;
    Ok(private_submission(StatusCode::OK, &view))
}

pub async fn withdraw(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Private<SubmissionOut>, ApiError> {
    let id = path_id(&id)?;
    let view = s
        .run(move |app| app.withdraw_submission(&caller, id))
        .await?;
    Ok(private_submission(StatusCode::OK, &view))
}

/// A co-proposer, by the e-mail address of their account.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CoProposerInput")]
pub struct EmailBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    email: String,
}

/// Adds a co-proposer by the address of their account; answers the submission.
pub async fn add_co_proposer(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EmailBody>,
) -> Result<Private<SubmissionOut>, ApiError> {
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
) -> Result<Private<SubmissionOut>, ApiError> {
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

/// A submission of the caller's.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MySubmission")]
pub(crate) struct MySubmissionOut {
    #[serde(flatten)]
    summary: SubmissionSummary,
    call: CallRef,
    #[schemars(with = "ProposerRole")]
    role: String,
}

impl From<&MySubmission> for MySubmissionOut {
    fn from(m: &MySubmission) -> Self {
        MySubmissionOut {
            summary: (&m.submission).into(),
            call: CallRef::from(&m.call),
            role: m.role.clone(),
        }
    }
}

/// The caller's submissions, newest first.
pub async fn mine(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
) -> Result<Private<Items<MySubmissionOut>>, ApiError> {
    let list = s.run(move |app| app.my_submissions(&caller)).await?;
    Ok(no_store(
        StatusCode::OK,
        Items::of(list.iter().map(MySubmissionOut::from)),
    ))
}

// ------------------------------------------------------------------ reviewer pool

pub async fn list_reviewers(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Private<Items<ReviewerOut>>, ApiError> {
    let id = path_id(&id)?;
    let pool = s.run(move |app| app.reviewers(&caller, id)).await?;
    Ok(no_store(
        StatusCode::OK,
        Items::of(pool.iter().map(ReviewerOut::from)),
    ))
}

/// A member of a call's reviewer pool.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CallReviewerInput")]
pub struct ReviewerBody {
    /// The address of their account.
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    email: String,
    /// The most submissions they review (`null` or absent: 10).
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
) -> Result<Private<ReviewerOut>, ApiError> {
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
    Ok(no_store(StatusCode::CREATED, (&reviewer).into()))
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

/// A sent submission to bid on, with the caller's bid and any conflict.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Biddable")]
pub(crate) struct BiddableOut {
    #[serde(flatten)]
    summary: SubmissionSummary,
    /// The caller's bid; `null`: none.
    #[schemars(with = "Option<BidLevel>")]
    bid: Option<&'static str>,
    /// The automatic or declared conflict, if any.
    conflict: Option<String>,
}

/// The sent submissions of a call for the caller (a pool member) to bid on.
pub async fn bids(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Private<Items<BiddableOut>>, ApiError> {
    let id = path_id(&id)?;
    let list = s.run(move |app| app.biddable(&caller, id)).await?;
    Ok(no_store(
        StatusCode::OK,
        Items::of(list.iter().map(|b| BiddableOut {
            summary: (&b.submission).into(),
            bid: b.bid.map(|b| b.as_str()),
            conflict: b.conflict.clone(),
        })),
    ))
}

/// A bid, or `null` to clear it.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BidInput")]
pub struct BidBody {
    /// `eager`, `willing`, `unwilling`, or `null` to clear.
    #[serde(default)]
    #[schemars(with = "Option<BidLevel>")]
    bid: Option<String>,
}

/// A pool member's bid on a submission.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SubmissionBid")]
pub(crate) struct BidOut {
    submission_id: i64,
    /// `null`: none.
    #[schemars(with = "Option<BidLevel>")]
    bid: Option<&'static str>,
}

pub async fn bid(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BidBody>,
) -> Result<Json<BidOut>, ApiError> {
    let id = path_id(&id)?;
    let bid = match b.bid.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(Bid::parse_field("bid", raw).map_err(AppError::from)?),
    };
    s.run(move |app| app.bid(&caller, id, bid)).await?;
    Ok(Json(BidOut {
        submission_id: id,
        bid: bid.map(|b| b.as_str()),
    }))
}

/// A conflict of interest.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ConflictInput")]
pub struct ConflictBody {
    /// Why (at most 500 characters).
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 500))]
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
) -> Result<(StatusCode, Json<ConflictOut>), ApiError> {
    let id = path_id(&id)?;
    let who = b
        .user_id
        .or_else(|| caller.principal.user_id().map(|u| u.0));
    let reason = b.reason.trim().to_owned();
    s.run(move |app| app.declare_conflict(&caller, id, b.user_id, &b.reason))
        .await?;
    // The use case refuses a caller without an account: there is always someone.
    let user_id = who.ok_or(AppError::SignInRequired)?;
    Ok((
        StatusCode::CREATED,
        Json(ConflictOut {
            submission_id: id,
            user_id,
            reason,
        }),
    ))
}

// ------------------------------------------------------------------ assignment, reviews

/// Runs the optimal assignment; answers the report (409/422 when none exists).
pub async fn run_assignment(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<ReportOut>, ApiError> {
    let id = path_id(&id)?;
    let report = s.run(move |app| app.run_assignment(&caller, id)).await?;
    Ok(Json((&report).into()))
}

/// A pool member to assign.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AssignInput")]
pub struct AssignBody {
    #[serde(default)]
    #[schemars(with = "i64", extend("x-required" = true))]
    user_id: Option<i64>,
}

/// A reviewer assigned to a submission.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Assignment")]
pub(crate) struct AssignmentOut {
    submission_id: i64,
    user_id: i64,
    /// `manual`: placed by hand.
    source: &'static str,
}

pub async fn assign_reviewer(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AssignBody>,
) -> Result<(StatusCode, Json<AssignmentOut>), ApiError> {
    let id = path_id(&id)?;
    let user = b
        .user_id
        .ok_or_else(|| AppError::field("user_id", Problem::Required))?;
    s.run(move |app| app.assign_reviewer(&caller, id, user))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(AssignmentOut {
            submission_id: id,
            user_id: user,
            source: "manual",
        }),
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

/// A submission assigned to the caller for review.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Assigned")]
pub(crate) struct AssignedOut {
    #[serde(flatten)]
    summary: SubmissionSummary,
    call_title: String,
    /// Whether the caller's review is in.
    reviewed: bool,
}

/// The submissions assigned to the caller.
pub async fn my_assignments(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
) -> Result<Private<Items<AssignedOut>>, ApiError> {
    let list = s.run(move |app| app.my_assignments(&caller)).await?;
    Ok(no_store(
        StatusCode::OK,
        Items::of(list.iter().map(|a| AssignedOut {
            summary: (&a.submission).into(),
            call_title: a.call_title.clone(),
            reviewed: a.reviewed,
        })),
    ))
}

/// A review.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ReviewInput")]
pub struct ReviewBody {
    /// Criterion → whole number on the call's scale.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, i64>", extend("x-required" = true))]
    scores: BTreeMap<String, Value>,
    #[serde(default)]
    #[schemars(length(max = 6000))]
    comment: String,
}

/// Writes or changes the caller's review; answers the submission as they now see it.
pub async fn save_review(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReviewBody>,
) -> Result<Private<SubmissionOut>, ApiError> {
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
) -> Result<Private<CommitteeOut>, ApiError> {
    let id = path_id(&id)?;
    let (c, now) = s
        .run(move |app| Ok((app.committee(&caller, id)?, app.now())))
        .await?;
    Ok(no_store(StatusCode::OK, CommitteeOut::new(&c, now)))
}

/// A committee's decision.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DecisionInput")]
pub struct DecisionBody {
    #[serde(default)]
    #[schemars(with = "Decision", extend("x-required" = true))]
    decision: String,
    /// To the proposers; required to request changes.
    #[serde(default)]
    #[schemars(length(max = 4000))]
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
) -> Result<Private<SubmissionOut>, ApiError> {
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

/// Whether the list of accepted submissions is public.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PublishInput")]
pub struct PublishBody {
    published: bool,
}

/// Whether a call's list of accepted submissions is public.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SelectionPublished")]
pub(crate) struct PublishedOut {
    call_id: i64,
    published: bool,
}

pub async fn publish(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PublishBody>,
) -> Result<Json<PublishedOut>, ApiError> {
    let id = path_id(&id)?;
    let published = b.published;
    s.run(move |app| app.publish_selection(&caller, id, published))
        .await?;
    Ok(Json(PublishedOut {
        call_id: id,
        published,
    }))
}

/// A speaker of an accepted session, as published.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SelectedSpeaker")]
pub(crate) struct SelectedSpeakerOut {
    name: String,
    organization: String,
    /// ISO 3166-1 alpha-2 code.
    country: String,
}

/// An accepted submission as published: no proposer accounts, only what the proposal
/// says publicly.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Selected")]
pub(crate) struct SelectedOut {
    id: i64,
    title: String,
    session_type: Option<String>,
    theme: Option<String>,
    format: Option<String>,
    description: Option<String>,
    speakers: Vec<SelectedSpeakerOut>,
}

impl From<&Selected> for SelectedOut {
    fn from(s: &Selected) -> Self {
        // Every field, named: a field added to the published line fails to build here.
        let Selected {
            id,
            title,
            session_type,
            theme,
            format,
            description,
            speakers,
        } = s;
        SelectedOut {
            id: *id,
            title: title.clone(),
            session_type: session_type.clone(),
            theme: theme.clone(),
            format: format.clone(),
            description: description.clone(),
            speakers: speakers
                .iter()
                .map(|sp| {
                    let SelectedSpeaker {
                        name,
                        organization,
                        country,
                    } = sp;
                    SelectedSpeakerOut {
                        name: name.clone(),
                        organization: organization.clone(),
                        country: country.clone(),
                    }
                })
                .collect(),
        }
    }
}

/// The accepted submissions of a call, as published.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Selection")]
pub(crate) struct SelectionOut {
    call: CallOut,
    items: Vec<SelectedOut>,
}

/// The accepted submissions (public once published; the secretariat may preview).
pub async fn selected(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<SelectionOut>, ApiError> {
    let id = path_id(&id)?;
    let ((call, list), now) = s
        .run(move |app| Ok((app.selection(&caller, id)?, app.now())))
        .await?;
    Ok(Json(SelectionOut {
        call: CallOut::new(&call.call, now),
        items: list.iter().map(SelectedOut::from).collect(),
    }))
}

pub async fn balance(
    State(s): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<BalanceOut>, ApiError> {
    let id = path_id(&id)?;
    let b = s.run(move |app| app.call_balance(&caller, id)).await?;
    Ok(Json((&b).into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::schema::Schemas;
    use serde_json::json;

    fn required(components: &serde_json::Map<String, Value>, name: &str) -> Vec<String> {
        serde_json::from_value(components[name]["required"].clone()).expect("a required list")
    }

    #[test]
    fn what_only_some_callers_see_is_documented_as_optional() {
        let mut schemas = Schemas::default();
        schemas.response::<SubmissionOut>();
        let components = schemas.into_components().expect("no clash");
        let submission = required(&components, "Submission");
        for sometimes in ["decision_reason", "decided_by"] {
            assert!(!submission.iter().any(|r| r == sometimes), "{sometimes}");
        }
        for always in [
            "id",
            "status",
            "proposal",
            "my_review",
            "standing",
            "why_not_edit",
        ] {
            assert!(submission.iter().any(|r| r == always), "{always}");
        }
        assert_eq!(
            components["Submission"]["properties"]["decided_by"]["type"],
            json!(["string", "null"])
        );
        assert_eq!(
            required(&components, "SubmissionPerson"),
            ["display_name", "role"]
        );
        assert!(!required(&components, "Review").contains(&"reviewer_id".to_owned()));
        assert_eq!(
            components["Review"]["properties"]["reviewer_id"]["type"],
            json!("integer")
        );
    }
}
