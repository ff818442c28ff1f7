//! Committee review: reviewer pools with their loads and expertise, conflicts of
//! interest (automatic and declared), bids, the optimal assignment of reviewers (see
//! [`plenary_domain::assignment`]) with manual changes, reviews with their visibility
//! rules, the committee's table, decisions with their notifications, the balance of the
//! accepted set and the published selection.

use crate::accounts::require_account;
use crate::audit::Change;
use crate::calls::{
    CallView, Standing, call_view, proposal_of, require_call_manager, scores_of, standing,
    submission_in,
};
use crate::input::{Errors, missing};
use crate::{App, AppError, Caller};
use chrono::{DateTime, Utc};
use plenary_domain::assignment::{self, Problem as AssignmentProblem};
use plenary_domain::calls::{
    Authorship, Decision, ProposalInput, ReviewerIdentity, Speaker, SubmissionStatus,
    automatic_conflict,
};
use plenary_domain::diversity::{self, Balance};
use plenary_domain::geo::Country;
use plenary_domain::people::StakeholderGroup;
use plenary_domain::review::{self, Aggregate, Bid, Scored};
use plenary_domain::{Email, FieldError, Problem};
use plenary_store::Tx;
/// A member of a call's reviewer pool (re-exported for the web layer).
pub use plenary_store::calls::Reviewer;
use plenary_store::calls::{self as store, ReviewerFields, Submission};
use serde_json::json;
use std::collections::BTreeMap;

/// A member of a call's reviewer pool, as typed.
#[derive(Debug, Clone, Default)]
pub struct ReviewerInput {
    /// The e-mail address of their account.
    pub email: String,
    /// The most submissions they review; empty: 10.
    pub max_load: String,
    pub organization: String,
    /// Empty: not given.
    pub stakeholder_group: String,
    /// Themes they know well, one per line (from the call's themes).
    pub expertise: String,
}

/// What an assignment run did.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentReport {
    pub submissions: usize,
    pub reviewers: usize,
    /// Pairs kept from before (a review written, or placed by hand).
    pub kept: usize,
    /// Pairs the solver added.
    pub added: usize,
    pub total_affinity: f64,
    pub excess: u64,
    pub objective: f64,
}

/// A line of the committee's table.
#[derive(Debug, Clone)]
pub struct CommitteeLine {
    pub submission: Submission,
    pub assigned: Vec<String>,
    /// The accounts of `assigned`, in the same order.
    pub assigned_users: Vec<i64>,
    pub reviews: usize,
    /// `None` until reviewed.
    pub aggregate: Option<Aggregate>,
    /// Mean per criterion.
    pub criteria: BTreeMap<String, f64>,
}

/// What the committee sees of a call.
#[derive(Debug, Clone)]
pub struct Committee {
    pub call: CallView,
    pub lines: Vec<CommitteeLine>,
    pub reviewers: Vec<Reviewer>,
    /// (submission, reviewer) pairs in conflict, with why.
    pub conflicts: Vec<(i64, i64, String)>,
    pub balance: Balance,
}

/// A submission waiting for (or done by) the caller as a reviewer.
#[derive(Debug, Clone)]
pub struct Assigned {
    pub submission: Submission,
    pub call_title: String,
    pub reviewed: bool,
}

/// A submission a pool member may bid on.
#[derive(Debug, Clone)]
pub struct Biddable {
    pub submission: Submission,
    pub bid: Option<Bid>,
    /// The automatic or declared conflict, if any.
    pub conflict: Option<String>,
}

/// A line of the published selection: no proposer accounts, only what the
/// proposal says publicly.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Selected {
    pub id: i64,
    pub title: String,
    pub session_type: Option<String>,
    pub theme: Option<String>,
    pub format: Option<String>,
    pub description: Option<String>,
    pub speakers: Vec<SelectedSpeaker>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SelectedSpeaker {
    pub name: String,
    pub organization: String,
    pub country: String,
}

fn speakers_of(s: &Submission) -> Result<Vec<Speaker>, AppError> {
    Ok(proposal_of(s)?
        .map(|p| checked_speakers(&p))
        .unwrap_or_default())
}

/// The speakers of a proposal that pass the checks (drafts may hold half-typed ones).
fn checked_speakers(p: &ProposalInput) -> Vec<Speaker> {
    p.speakers
        .iter()
        .filter_map(|s| s.check().ok().or_else(|| half_typed(s)))
        .collect()
}

/// A speaker of a draft that does not pass the checks yet: their name and
/// organization still count for conflicts.
fn half_typed(s: &plenary_domain::calls::SpeakerInput) -> Option<Speaker> {
    (!s.name.trim().is_empty()).then(|| Speaker {
        name: s.name.trim().to_owned(),
        organization: s.organization.trim().to_owned(),
        stakeholder_group: StakeholderGroup::parse(&s.stakeholder_group)
            .unwrap_or(StakeholderGroup::CivilSociety),
        country: s.country.trim().to_uppercase(),
        gender: Some(s.gender.trim().to_owned()).filter(|g| !g.is_empty()),
        organizer: s.organizer,
    })
}

/// Why reviewer `r` may not review a submission by `proposers` with `speakers`, if
/// they may not: an automatic conflict first, else the one they declared.
fn why_conflicted(
    r: &Reviewer,
    proposers: &[i64],
    speakers: &[Speaker],
    declared: Option<&str>,
) -> Option<String> {
    let identity = ReviewerIdentity {
        user_id: r.user_id,
        name: &r.display_name,
        organization: &r.organization,
    };
    automatic_conflict(
        identity,
        Authorship {
            proposers,
            speakers,
        },
    )
    .map(str::to_owned)
    .or_else(|| declared.map(|d| format!("declared: {d}")))
}

/// Why reviewer `r` may not review `s` (by `proposers`), if they may not.
/// The accounts proposing a submission (its proposer and co-proposers).
fn proposer_ids(tx: &mut Tx<'_>, submission_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(store::people(tx, submission_id)?
        .iter()
        .map(|p| p.user_id)
        .collect())
}

pub(crate) fn conflict_of(
    tx: &mut Tx<'_>,
    s: &Submission,
    r: &Reviewer,
    proposers: &[i64],
) -> Result<Option<String>, AppError> {
    let declared = store::conflicts(tx, s.call_id)?
        .into_iter()
        .find(|c| c.submission_id == s.id && c.user_id == r.user_id)
        .map(|c| c.reason);
    Ok(why_conflicted(
        r,
        proposers,
        &speakers_of(s)?,
        declared.as_deref(),
    ))
}

/// Every conflicted (submission, reviewer) pair of a call, with why.
fn all_conflicts(
    tx: &mut Tx<'_>,
    subs: &[Submission],
    pool: &[Reviewer],
) -> Result<Vec<(i64, i64, String)>, AppError> {
    let call_id = subs.first().map(|s| s.call_id).unwrap_or_default();
    let declared: BTreeMap<(i64, i64), String> = store::conflicts(tx, call_id)?
        .into_iter()
        .map(|c| ((c.submission_id, c.user_id), c.reason))
        .collect();
    let mut out = Vec::new();
    for s in subs {
        let proposers: Vec<i64> = proposer_ids(tx, s.id)?;
        let speakers = speakers_of(s)?;
        for r in pool {
            let declared = declared.get(&(s.id, r.user_id)).map(String::as_str);
            if let Some(why) = why_conflicted(r, &proposers, &speakers, declared) {
                out.push((s.id, r.user_id, why));
            }
        }
    }
    Ok(out)
}

/// The submissions that are reviewed: sent, or decided (not drafts, withdrawn, merged).
const UNDER_REVIEW: [SubmissionStatus; 4] = [
    SubmissionStatus::Submitted,
    SubmissionStatus::ChangesRequested,
    SubmissionStatus::Accepted,
    SubmissionStatus::Rejected,
];

/// The caller's pool entry when `s` is one they may bid on or declare a conflict for: a
/// sent submission of a call whose pool they are in. Anything else (a draft, a
/// withdrawn one, another call's) is "not found", exactly as a missing id.
fn biddable_for(tx: &mut Tx<'_>, s: &Submission, user: i64) -> Result<Reviewer, AppError> {
    if !UNDER_REVIEW.contains(&s.status) {
        return Err(AppError::NotFound);
    }
    pool_member(tx, s.call_id, user)
}

fn pool_member(tx: &mut Tx<'_>, call_id: i64, user: i64) -> Result<Reviewer, AppError> {
    store::reviewer(tx, call_id, user)?.ok_or(AppError::NotFound)
}

struct ReviewerValues {
    email: Email,
    load: i64,
    organization: String,
    group: Option<StakeholderGroup>,
    expertise: Vec<String>,
}

fn reviewer_values(input: &ReviewerInput, call: &CallView) -> Result<ReviewerValues, AppError> {
    let mut errors = Errors::default();
    let email = errors.take(Email::parse("email", &input.email));
    let load = errors.take(match input.max_load.trim() {
        "" => Ok(10),
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=1000).contains(n))
            .ok_or(FieldError::new(
                "max_load",
                Problem::Invalid("a whole number from 0 to 1000"),
            )),
    });
    let organization = input.organization.trim().to_owned();
    if organization.chars().count() > 200 {
        errors.0.push(FieldError::new(
            "organization",
            Problem::TooLong { max: 200 },
        ));
    }
    let group = match input.stakeholder_group.trim() {
        "" => Some(None),
        raw => errors
            .take(StakeholderGroup::parse_field("stakeholder_group", raw))
            .map(Some),
    };
    let expertise: Vec<String> = input
        .expertise
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(unknown) = expertise.iter().find(|t| !call.themes.contains(t)) {
        errors.0.push(FieldError::new(
            "expertise",
            Problem::Explained(format!("{unknown:?} is not a theme of this call")),
        ));
    }
    errors.finish()?;
    Ok(ReviewerValues {
        email: email.ok_or_else(missing)?,
        load: load.ok_or_else(missing)?,
        organization,
        group: group.ok_or_else(missing)?,
        expertise,
    })
}

/// Checks what the pool needs of a reviewer of this call (their account aside), e.g.
/// before an invitation is sent.
pub(crate) fn check_reviewer(
    tx: &mut Tx<'_>,
    call_id: i64,
    input: &ReviewerInput,
) -> Result<(), AppError> {
    let call = call_view(tx, call_id)?;
    reviewer_values(input, &call).map(|_| ())
}

/// Puts the account of `input.email` in the call's pool (the caller's access is checked
/// already): the pool's use case, inside a transaction that may do more.
pub(crate) fn put_reviewer(
    tx: &mut Tx<'_>,
    caller: &Caller,
    call_id: i64,
    input: &ReviewerInput,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reviewer, AppError> {
    let call = call_view(tx, call_id)?;
    let ReviewerValues {
        email,
        load,
        organization,
        group,
        expertise,
    } = reviewer_values(input, &call)?;
    let user = plenary_store::users::by_email(tx, email.as_str())?
        .filter(|u| u.disabled_at.is_none())
        .ok_or_else(|| {
            AppError::field(
                "email",
                Problem::Invalid("no account has this address: create it first, or invite them"),
            )
        })?;
    let expertise = serde_json::to_string(&expertise).unwrap_or_default();
    let fields = ReviewerFields {
        max_load: load,
        organization: &organization,
        stakeholder_group: group.map(|g| g.as_str()),
        expertise: &expertise,
    };
    store::put_reviewer(tx, call_id, user.id.0, &fields, now)?;
    Change::new("call_reviewer.save", "call", call_id)
        .detail(json!({ "user": user.id.0, "max_load": load }))
        .record(tx, caller, now)?;
    store::reviewer(tx, call_id, user.id.0)?.ok_or(AppError::NotFound)
}

/// The stakeholder groups in a fixed order; a reviewer without one gets a group of
/// their own (so that they never count as "a second of the same group").
fn group_index(r: &Reviewer, own: &mut usize) -> usize {
    match r
        .stakeholder_group
        .as_deref()
        .and_then(StakeholderGroup::parse)
        .and_then(|g| StakeholderGroup::ALL.iter().position(|x| *x == g))
    {
        Some(i) => i,
        None => {
            *own += 1;
            StakeholderGroup::ALL.len() + *own - 1
        }
    }
}

/// Builds the assignment problem of a call: every sent submission needs k reviewers;
/// pairs with a review written or placed by hand are fixed; conflicts are forbidden.
fn problem_of(
    tx: &mut Tx<'_>,
    call: &CallView,
) -> Result<(AssignmentProblem, Vec<Submission>, Vec<Reviewer>, usize), AppError> {
    let subs = store::submissions_of_call(tx, call.call.id, &UNDER_REVIEW)?;
    let pool = store::reviewers(tx, call.call.id)?;
    let k = u32::try_from(call.call.reviewers_per_submission).unwrap_or(1);
    let bids: BTreeMap<(i64, i64), i64> = store::bids(tx, call.call.id)?
        .into_iter()
        .map(|(s, u, l)| ((s, u), l))
        .collect();
    let mut own = 0;
    let reviewers: Vec<assignment::Reviewer> = pool
        .iter()
        .map(|r| assignment::Reviewer {
            group: group_index(r, &mut own),
            load: u32::try_from(r.max_load).unwrap_or(0),
        })
        .collect();
    let groups = StakeholderGroup::ALL.len() + own;
    let expertise: Vec<Vec<String>> = pool
        .iter()
        .map(|r| serde_json::from_str(&r.expertise).unwrap_or_default())
        .collect();
    let mut affinity = Vec::with_capacity(subs.len() * pool.len());
    for s in &subs {
        for (r, known) in pool.iter().zip(&expertise) {
            let expert = s.theme.as_ref().is_some_and(|t| known.contains(t));
            let bid = bids
                .get(&(s.id, r.user_id))
                .and_then(|l| Bid::from_level(*l));
            affinity.push(review::affinity(expert, bid));
        }
    }
    let submissions = subs
        .iter()
        .map(|_| assignment::Submission { reviewers: k })
        .collect();
    let penalty = call.call.balance_penalty_micros as f64 / 1e6;
    let mut problem = AssignmentProblem::new(submissions, reviewers, groups, affinity, penalty)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let sub_index: BTreeMap<i64, usize> = subs.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let rev_index: BTreeMap<i64, usize> = pool
        .iter()
        .enumerate()
        .map(|(i, r)| (r.user_id, i))
        .collect();
    for (s, u, _) in all_conflicts(tx, &subs, &pool)? {
        problem
            .forbid(sub_index[&s], rev_index[&u])
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let mut kept = 0;
    let name = |subs: &[Submission], pool: &[Reviewer], e: &assignment::AssignmentError| {
        e.message(
            &|i| format!("\"{}\" (#{})", subs[i].title, subs[i].id),
            &|i| pool[i].display_name.clone(),
        )
    };
    for a in store::assignments(tx, call.call.id)? {
        let keep = a.reviewed || a.source == "manual";
        if let (true, Some(&si), Some(&ri)) = (
            keep,
            sub_index.get(&a.submission_id),
            rev_index.get(&a.user_id),
        ) {
            problem.fix(si, ri).map_err(|e| {
                AppError::Invalid(vec![FieldError::new(
                    "assignment",
                    Problem::Explained(name(&subs, &pool, &e)),
                )])
            })?;
            kept += 1;
        }
    }
    Ok((problem, subs, pool, kept))
}

/// What the proposal says publicly, for the selection page.
fn selected_of(s: &Submission) -> Result<Selected, AppError> {
    let p = proposal_of(s)?;
    Ok(Selected {
        id: s.id,
        title: s.title.clone(),
        session_type: s.session_type.clone(),
        theme: s.theme.clone(),
        format: p.as_ref().map(|p| p.format.clone()),
        description: p.as_ref().map(|p| p.description.clone()),
        speakers: p
            .as_ref()
            .map(checked_speakers)
            .unwrap_or_default()
            .into_iter()
            .map(|sp| SelectedSpeaker {
                name: sp.name,
                organization: sp.organization,
                country: sp.country,
            })
            .collect(),
    })
}

fn session_of(s: &Submission) -> Result<diversity::Session, AppError> {
    let speakers = speakers_of(s)?
        .into_iter()
        .map(|sp| diversity::Speaker {
            stakeholder_group: Some(sp.stakeholder_group.label().to_owned()),
            region: Country::parse("country", &sp.country)
                .ok()
                .and_then(|c| c.region())
                .map(|r| r.label().to_owned()),
            gender: sp.gender,
        })
        .collect();
    Ok(diversity::Session {
        session_type: s
            .session_type
            .as_deref()
            .and_then(plenary_domain::calls::SessionType::parse)
            .map(|t| t.label().to_owned())
            .unwrap_or_default(),
        theme: s.theme.clone().unwrap_or_default(),
        first_time: s.first_time,
        speakers,
    })
}

fn balance_of(subs: &[Submission]) -> Result<Balance, AppError> {
    let accepted: Vec<diversity::Session> = subs
        .iter()
        .filter(|s| s.status == SubmissionStatus::Accepted)
        .map(session_of)
        .collect::<Result<_, _>>()?;
    Ok(diversity::balance(&accepted))
}

/// A decision as typed.
#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    pub decision: String,
    /// The note to the proposers (required when asking for changes or rejecting).
    pub reason: String,
    /// For a merge: the submission this one joins.
    pub merge_into: String,
}

impl App {
    // -------------------------------------------------------------- pool

    /// Adds a reviewer to a call's pool or changes their load and expertise.
    pub fn save_reviewer(
        &self,
        caller: &Caller,
        call_id: i64,
        input: &ReviewerInput,
    ) -> Result<Reviewer, AppError> {
        require_call_manager(caller)?;
        let now = self.now();
        self.db()
            .write(|tx| put_reviewer(tx, caller, call_id, input, now))
    }

    /// Removes a reviewer from the pool with their open assignments.
    pub fn remove_reviewer(
        &self,
        caller: &Caller,
        call_id: i64,
        user_id: i64,
    ) -> Result<(), AppError> {
        require_call_manager(caller)?;
        let record =
            Change::new("call_reviewer.remove", "call", call_id).detail(json!({ "user": user_id }));
        self.write_audited(caller, record, |tx| {
            if !store::remove_reviewer(tx, call_id, user_id)? {
                return Err(AppError::NotFound);
            }
            Ok(())
        })
    }

    /// The call's pool (secretariat).
    pub fn reviewers(&self, caller: &Caller, call_id: i64) -> Result<Vec<Reviewer>, AppError> {
        require_call_manager(caller)?;
        self.db().read(|tx| {
            call_view(tx, call_id)?;
            Ok(store::reviewers(tx, call_id)?)
        })
    }

    // -------------------------------------------------------------- conflicts and bids

    /// The sent submissions of a call for a pool member to bid on.
    pub fn biddable(&self, caller: &Caller, call_id: i64) -> Result<Vec<Biddable>, AppError> {
        let user = require_account(caller)?.0;
        self.db().read(|tx| {
            let me = pool_member(tx, call_id, user)?;
            let subs = store::submissions_of_call(tx, call_id, &UNDER_REVIEW)?;
            let bids: BTreeMap<i64, i64> = store::bids(tx, call_id)?
                .into_iter()
                .filter(|(_, u, _)| *u == user)
                .map(|(s, _, l)| (s, l))
                .collect();
            let mut out = Vec::with_capacity(subs.len());
            for s in subs {
                let proposers: Vec<i64> = proposer_ids(tx, s.id)?;
                let conflict = conflict_of(tx, &s, &me, &proposers)?;
                out.push(Biddable {
                    bid: bids.get(&s.id).and_then(|l| Bid::from_level(*l)),
                    conflict,
                    submission: s,
                });
            }
            Ok(out)
        })
    }

    /// A pool member's bid on a submission (`None` clears it).
    pub fn bid(
        &self,
        caller: &Caller,
        submission_id: i64,
        bid: Option<Bid>,
    ) -> Result<(), AppError> {
        let user = require_account(caller)?.0;
        let now = self.now();
        self.db().write(|tx| {
            let s = submission_in(tx, submission_id)?;
            let me = biddable_for(tx, &s, user)?;
            if bid.is_some() {
                let proposers: Vec<i64> =
                    proposer_ids(tx, s.id)?;
                if let Some(why) = conflict_of(tx, &s, &me, &proposers)? {
                    return Err(AppError::field(
                        "bid",
                        Problem::Explained(format!(
                            "you have a conflict of interest with this submission ({why}), so you cannot bid on it"
                        )),
                    ));
                }
            }
            store::put_bid(tx, submission_id, user, bid.map(Bid::level))?;
            Change::new("review.bid", "submission", submission_id)
                .detail(json!({ "bid": bid.map(|b| b.as_str()) }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    /// Declares a conflict of interest: a pool member for themselves, or the
    /// secretariat for `user_id`. An open assignment of the pair is removed.
    pub fn declare_conflict(
        &self,
        caller: &Caller,
        submission_id: i64,
        user_id: Option<i64>,
        reason: &str,
    ) -> Result<(), AppError> {
        let me = require_account(caller)?.0;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::field("reason", Problem::Required));
        }
        if reason.chars().count() > 500 {
            return Err(AppError::field("reason", Problem::TooLong { max: 500 }));
        }
        let now = self.now();
        self.db().write(|tx| {
            let s = submission_in(tx, submission_id)?;
            let manager = require_call_manager(caller).is_ok();
            // A pool member sees the sent submissions of their call and nothing else; what
            // they may not see answers as if it did not exist, before any other refusal.
            if !manager {
                biddable_for(tx, &s, me)?;
            }
            let who = match user_id {
                Some(other) if other != me => {
                    require_call_manager(caller)?;
                    other
                }
                _ => me,
            };
            pool_member(tx, s.call_id, who)?;
            if store::reviews_of(tx, submission_id)?
                .iter()
                .any(|r| r.user_id == who)
            {
                return Err(AppError::Refused(
                    "the review is written: ask the secretariat to set it aside",
                ));
            }
            store::declare_conflict(tx, submission_id, who, reason, now)?;
            store::unassign(tx, submission_id, who)?;
            Change::new("review.conflict", "submission", submission_id)
                .detail(json!({ "user": who }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    // -------------------------------------------------------------- assignment

    /// Runs the optimal assignment for a call: every sent submission gets its k
    /// reviewers; reviews written and pairs placed by hand are kept; conflicts and
    /// loads are never broken. Nothing changes when no assignment exists (the error
    /// names the submissions that cannot be served).
    pub fn run_assignment(
        &self,
        caller: &Caller,
        call_id: i64,
    ) -> Result<AssignmentReport, AppError> {
        require_call_manager(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let call = call_view(tx, call_id)?;
            // Pairs the re-run puts back are not news to their reviewers.
            let before: std::collections::BTreeSet<(i64, i64)> = store::assignments(tx, call_id)?
                .iter()
                .map(|a| (a.submission_id, a.user_id))
                .collect();
            store::clear_open_solver_assignments(tx, call_id)?;
            let (problem, subs, pool, kept) = problem_of(tx, &call)?;
            let solution = assignment::solve(&problem).map_err(|e| {
                AppError::Invalid(vec![FieldError::new(
                    "assignment",
                    Problem::Explained(e.message(
                        &|i| format!("\"{}\" (#{})", subs[i].title, subs[i].id),
                        &|i| pool[i].display_name.clone(),
                    )),
                )])
            })?;
            let mut added = 0;
            let mut added_per_reviewer = vec![0usize; pool.len()];
            for (si, reviewers) in solution.reviewers.iter().enumerate() {
                for &ri in reviewers {
                    if !problem.is_fixed(si, ri)
                        && store::assign(tx, subs[si].id, pool[ri].user_id, "solver", now)?
                    {
                        added += 1;
                        if !before.contains(&(subs[si].id, pool[ri].user_id)) {
                            added_per_reviewer[ri] += 1;
                        }
                    }
                }
            }
            for (reviewer, count) in pool.iter().zip(added_per_reviewer) {
                if count > 0 {
                    self.tell_reviewer(tx, reviewer, &call.call.title, count, now)?;
                }
            }
            let report = AssignmentReport {
                submissions: subs.len(),
                reviewers: pool.len(),
                kept,
                added,
                total_affinity: solution.total_affinity,
                excess: solution.excess,
                objective: solution.objective,
            };
            Change::new("review.assign", "call", call_id)
                .detail(json!({ "kept": kept, "added": added, "excess": report.excess }))
                .record(tx, caller, now)?;
            Ok(report)
        })
    }

    /// Assigns a reviewer by hand; a conflict or a full load is refused.
    pub fn assign_reviewer(
        &self,
        caller: &Caller,
        submission_id: i64,
        user_id: i64,
    ) -> Result<(), AppError> {
        require_call_manager(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let s = submission_in(tx, submission_id)?;
            if !UNDER_REVIEW.contains(&s.status) {
                return Err(AppError::Refused("only sent submissions are reviewed"));
            }
            let r = store::reviewer(tx, s.call_id, user_id)?.ok_or_else(|| {
                AppError::field(
                    "reviewer",
                    Problem::Invalid("not in this call's reviewer pool"),
                )
            })?;
            let proposers: Vec<i64> = proposer_ids(tx, s.id)?;
            if let Some(why) = conflict_of(tx, &s, &r, &proposers)? {
                return Err(AppError::field(
                    "reviewer",
                    Problem::Explained(format!(
                        "{} has a conflict of interest with this submission ({why})",
                        r.display_name
                    )),
                ));
            }
            let load = store::assignments(tx, s.call_id)?
                .iter()
                .filter(|a| a.user_id == user_id)
                .count() as i64;
            if load >= r.max_load {
                return Err(AppError::field(
                    "reviewer",
                    Problem::Explained(format!(
                        "{} already reviews {load}, their most",
                        r.display_name
                    )),
                ));
            }
            if !store::assign(tx, submission_id, user_id, "manual", now)? {
                return Err(AppError::field(
                    "reviewer",
                    Problem::Invalid("already assigned to this submission"),
                ));
            }
            let title = store::call(tx, s.call_id)?
                .map(|c| c.title)
                .unwrap_or_default();
            self.tell_reviewer(tx, &r, &title, 1, now)?;
            Change::new("review.assign_manual", "submission", submission_id)
                .detail(json!({ "user": user_id }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    /// Tells a reviewer by mail that `count` more submissions of a call wait for them.
    fn tell_reviewer(
        &self,
        tx: &mut Tx<'_>,
        reviewer: &store::Reviewer,
        call_title: &str,
        count: usize,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let link = format!("{}/reviews", self.config().base_url);
        crate::mail::enqueue_templated(
            tx,
            "reviews_assigned",
            &reviewer.email,
            &[
                ("name", reviewer.display_name.clone()),
                ("call", call_title.to_owned()),
                ("count", count.to_string()),
                ("link", link),
            ],
            &[],
            now,
        )?;
        Ok(())
    }

    /// Removes an assignment by hand (a written review stays).
    pub fn unassign_reviewer(
        &self,
        caller: &Caller,
        submission_id: i64,
        user_id: i64,
    ) -> Result<(), AppError> {
        require_call_manager(caller)?;
        let record = Change::new("review.unassign", "submission", submission_id)
            .detail(json!({ "user": user_id }));
        self.write_audited(caller, record, |tx| {
            submission_in(tx, submission_id)?;
            if !store::unassign(tx, submission_id, user_id)? {
                return Err(AppError::NotFound);
            }
            Ok(())
        })
    }

    // -------------------------------------------------------------- reviews

    /// The submissions assigned to the caller.
    pub fn my_assignments(&self, caller: &Caller) -> Result<Vec<Assigned>, AppError> {
        let user = require_account(caller)?.0;
        self.db().read(|tx| {
            let mut titles: BTreeMap<i64, String> = BTreeMap::new();
            let mut out = Vec::new();
            for (s, reviewed) in store::assigned_to(tx, user)? {
                if let std::collections::btree_map::Entry::Vacant(e) = titles.entry(s.call_id) {
                    e.insert(
                        store::call(tx, s.call_id)?
                            .map(|c| c.title)
                            .unwrap_or_default(),
                    );
                }
                out.push(Assigned {
                    call_title: titles[&s.call_id].clone(),
                    submission: s,
                    reviewed,
                });
            }
            Ok(out)
        })
    }

    /// Writes (or changes, until the decision) the caller's review of a submission
    /// assigned to them: a score per criterion on the call's scale, and a comment.
    pub fn save_review(
        &self,
        caller: &Caller,
        submission_id: i64,
        scores: &BTreeMap<String, String>,
        comment: &str,
    ) -> Result<(), AppError> {
        let user = require_account(caller)?.0;
        let now = self.now();
        self.db().write(|tx| {
            let s = submission_in(tx, submission_id)?;
            if standing(tx, caller, &s)? != Standing::Reviewer {
                return Err(AppError::NotFound);
            }
            if !matches!(s.status, SubmissionStatus::Submitted) {
                return Err(AppError::Refused(
                    "the committee has decided: reviews can no longer be changed",
                ));
            }
            let call = call_view(tx, s.call_id)?;
            let comment = comment.trim();
            let mut errors = Errors::default();
            let checked =
                errors.take_all(review::check_scores(&call.criteria, call.scale(), scores));
            if comment.chars().count() > review::MAX_COMMENT {
                errors.0.push(FieldError::new(
                    "comment",
                    Problem::TooLong {
                        max: review::MAX_COMMENT,
                    },
                ));
            }
            errors.finish()?;
            let scores = serde_json::to_string(&checked.ok_or_else(missing)?)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            store::put_review(tx, submission_id, user, &scores, comment, now)?;
            Change::new("review.save", "submission", submission_id).record(tx, caller, now)?;
            Ok(())
        })
    }

    // -------------------------------------------------------------- committee

    /// The committee's table of a call, best normalised score first, with the
    /// balance of the accepted set.
    pub fn committee(&self, caller: &Caller, call_id: i64) -> Result<Committee, AppError> {
        require_call_manager(caller)?;
        self.db().read(|tx| {
            let call = call_view(tx, call_id)?;
            let subs = store::submissions_of_call(tx, call_id, &UNDER_REVIEW)?;
            let pool = store::reviewers(tx, call_id)?;
            let names: BTreeMap<i64, String> = pool
                .iter()
                .map(|r| (r.user_id, r.display_name.clone()))
                .collect();
            let reviews = store::reviews_of_call(tx, call_id)?;
            let mut scored = Vec::with_capacity(reviews.len());
            let mut per_criterion: BTreeMap<i64, BTreeMap<String, Vec<i64>>> = BTreeMap::new();
            for r in &reviews {
                let scores = scores_of(r)?;
                let criteria: Vec<i64> = scores.values().copied().collect();
                scored.extend(Scored::of(r.user_id, r.submission_id, &criteria));
                for (c, v) in scores {
                    per_criterion
                        .entry(r.submission_id)
                        .or_default()
                        .entry(c)
                        .or_default()
                        .push(v);
                }
            }
            let table = review::aggregate(&scored);
            let rank: BTreeMap<i64, usize> = table
                .iter()
                .enumerate()
                .map(|(i, a)| (a.submission, i))
                .collect();
            let mut assigned: BTreeMap<i64, Vec<String>> = BTreeMap::new();
            let mut assigned_users: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
            for a in store::assignments(tx, call_id)? {
                assigned
                    .entry(a.submission_id)
                    .or_default()
                    .push(names.get(&a.user_id).cloned().unwrap_or_default());
                assigned_users
                    .entry(a.submission_id)
                    .or_default()
                    .push(a.user_id);
            }
            let mut lines: Vec<CommitteeLine> = subs
                .iter()
                .map(|s| CommitteeLine {
                    assigned: assigned.remove(&s.id).unwrap_or_default(),
                    assigned_users: assigned_users.remove(&s.id).unwrap_or_default(),
                    reviews: scored.iter().filter(|r| r.submission == s.id).count(),
                    aggregate: rank.get(&s.id).map(|i| table[*i].clone()),
                    criteria: per_criterion
                        .get(&s.id)
                        .map(|m| {
                            m.iter()
                                .map(|(c, v)| {
                                    (c.clone(), v.iter().sum::<i64>() as f64 / v.len() as f64)
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    submission: s.clone(),
                })
                .collect();
            lines.sort_by_key(|l| {
                (
                    rank.get(&l.submission.id).copied().unwrap_or(usize::MAX),
                    l.submission.id,
                )
            });
            let conflicts = all_conflicts(tx, &subs, &pool)?;
            Ok(Committee {
                balance: balance_of(&subs)?,
                call,
                lines,
                reviewers: pool,
                conflicts,
            })
        })
    }

    /// Decides about a submission and tells its proposers (through the outbox). A merge
    /// moves the proposers of this submission to the other one as co-proposers.
    pub fn decide(
        &self,
        caller: &Caller,
        submission_id: i64,
        input: &DecisionInput,
    ) -> Result<(), AppError> {
        require_call_manager(caller)?;
        let mut errors = Errors::default();
        let decision = errors.take(Decision::parse_field("decision", &input.decision));
        let reason = input.reason.trim().to_owned();
        if reason.chars().count() > 4000 {
            errors
                .0
                .push(FieldError::new("reason", Problem::TooLong { max: 4000 }));
        }
        if matches!(decision, Some(Decision::RequestChanges)) && reason.is_empty() {
            errors.0.push(FieldError::new(
                "reason",
                Problem::Invalid("say what should change"),
            ));
        }
        let merge_into = match decision {
            Some(Decision::Merge) => errors.take(
                input
                    .merge_into
                    .trim()
                    .trim_start_matches('#')
                    .parse::<i64>()
                    .map_err(|_| {
                        FieldError::new(
                            "merge_into",
                            Problem::Invalid("the number of the other submission"),
                        )
                    }),
            ),
            _ => None,
        };
        errors.finish()?;
        let decision = decision.ok_or_else(missing)?;
        let now = self.now();
        let base_url = self.config().base_url.clone();
        self.db().write(|tx| {
            let s = store::lock_submission(tx, submission_id)?.ok_or(AppError::NotFound)?;
            if !s.status.decidable() {
                return Err(AppError::Refused(
                    "only sent or decided submissions can be decided (not drafts, withdrawn or merged ones)",
                ));
            }
            let call = call_view(tx, s.call_id)?;
            if let Some(target) = merge_into {
                let other = store::lock_submission(tx, target)?
                    .filter(|o| o.call_id == s.call_id && o.id != s.id)
                    .ok_or_else(|| {
                        AppError::field("merge_into", Problem::Invalid("no other submission of this call has this number"))
                    })?;
                if !other.status.may_absorb() {
                    return Err(AppError::field(
                        "merge_into",
                        Problem::Invalid("the other submission must be sent or accepted"),
                    ));
                }
                for p in store::people(tx, s.id)? {
                    store::add_person(tx, target, p.user_id, "co_proposer", now)?;
                }
            }
            store::decide(tx, s.id, decision.status(), merge_into, &reason, &caller.label, now)?;
            let link_id = merge_into.unwrap_or(s.id);
            for p in store::people(tx, s.id)? {
                let values = [
                    ("name", p.display_name.clone()),
                    ("call", call.call.title.clone()),
                    ("title", s.title.clone()),
                    ("link", format!("{base_url}/submissions/{link_id}")),
                    ("reason", reason.clone()),
                ];
                crate::mail::enqueue_templated(tx, decision.mail_kind(), &p.email, &values, &[], now)?;
            }
            Change::new("submission.decide", "submission", s.id)
                .detail(json!({ "decision": decision.as_str(), "merge_into": merge_into }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    /// Publishes (or withdraws) the list of accepted submissions.
    pub fn publish_selection(
        &self,
        caller: &Caller,
        call_id: i64,
        published: bool,
    ) -> Result<(), AppError> {
        require_call_manager(caller)?;
        let record =
            Change::new("call.publish", "call", call_id).detail(json!({ "published": published }));
        self.write_audited(caller, record, |tx| {
            if !store::set_published(tx, call_id, published)? {
                return Err(AppError::NotFound);
            }
            Ok(())
        })
    }

    /// The published selection of a call (public once published; the secretariat
    /// may preview it).
    pub fn selection(
        &self,
        caller: &Caller,
        call_id: i64,
    ) -> Result<(CallView, Vec<Selected>), AppError> {
        let manager = require_call_manager(caller).is_ok();
        self.db().read(|tx| {
            let call = call_view(tx, call_id)?;
            if !call.call.published && !manager {
                return Err(AppError::NotFound);
            }
            let list = store::submissions_of_call(tx, call_id, &[SubmissionStatus::Accepted])?
                .iter()
                .map(selected_of)
                .collect::<Result<Vec<_>, _>>()?;
            Ok((call, list))
        })
    }

    /// The balance of the accepted set (secretariat).
    pub fn call_balance(&self, caller: &Caller, call_id: i64) -> Result<Balance, AppError> {
        require_call_manager(caller)?;
        self.db().read(|tx| {
            call_view(tx, call_id)?;
            let subs = store::submissions_of_call(tx, call_id, &[SubmissionStatus::Accepted])?;
            balance_of(&subs)
        })
    }
}

/// The submissions of a call for `plenary assign`: the report after a run.
pub fn describe(report: &AssignmentReport) -> String {
    format!(
        "{} submissions, {} reviewers: {} pairs kept, {} added; total affinity {:.2}, excess {}, objective {:.2}",
        report.submissions,
        report.reviewers,
        report.kept,
        report.added,
        report.total_affinity,
        report.excess,
        report.objective
    )
}
