//! Calls, their form questions, submissions with their proposers and files, reviewer
//! pools, conflicts, bids, assignments and reviews.
//!
//! Lists stored in one column (themes, criteria, answers, a proposal) are JSON; the
//! app layer reads and writes them with serde, the store only moves the text.

use crate::{Row, StoreError, Tx, Value, params};
use chrono::{DateTime, Utc};
use plenary_domain::call_form::QuestionKind;
use plenary_domain::calls::{CallKind, SubmissionStatus};

use crate::error::decode;

// ------------------------------------------------------------------ calls

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub id: i64,
    pub kind: CallKind,
    pub title: String,
    pub description: String,
    pub time_zone: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub max_per_person: Option<i64>,
    pub editable_until_close: bool,
    /// JSON array of theme names.
    pub themes: String,
    /// `none`, `registration` (of event `prerequisite_id`) or `accepted_submission`
    /// (to call `prerequisite_id`).
    pub prerequisite_kind: String,
    pub prerequisite_id: Option<i64>,
    /// JSON array of country group ids; empty: anyone.
    pub country_groups: String,
    pub reviewers_per_submission: i64,
    /// JSON array of criterion names.
    pub criteria: String,
    pub scale_min: i64,
    pub scale_max: i64,
    pub balance_penalty_micros: i64,
    /// Whether the list of accepted submissions is public.
    pub published: bool,
}

/// A call's settings as written.
pub struct CallFields<'a> {
    pub kind: CallKind,
    pub title: &'a str,
    pub description: &'a str,
    pub time_zone: &'a str,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub max_per_person: Option<i64>,
    pub editable_until_close: bool,
    pub themes: &'a str,
    pub prerequisite_kind: &'a str,
    pub prerequisite_id: Option<i64>,
    pub country_groups: &'a str,
    pub reviewers_per_submission: i64,
    pub criteria: &'a str,
    pub scale_min: i64,
    pub scale_max: i64,
    pub balance_penalty_micros: i64,
}

impl CallFields<'_> {
    fn values(&self) -> Vec<Value> {
        vec![
            self.kind.as_str().into(),
            self.title.into(),
            self.description.into(),
            self.time_zone.into(),
            self.opens_at.into(),
            self.closes_at.into(),
            self.max_per_person.into(),
            self.editable_until_close.into(),
            self.themes.into(),
            self.prerequisite_kind.into(),
            self.prerequisite_id.into(),
            self.country_groups.into(),
            self.reviewers_per_submission.into(),
            self.criteria.into(),
            self.scale_min.into(),
            self.scale_max.into(),
            self.balance_penalty_micros.into(),
        ]
    }
}

const CALL_COLUMNS: &str = "id, kind, title, description, time_zone, opens_at, closes_at, max_per_person, editable_until_close, themes, prerequisite_kind, prerequisite_id, country_groups, reviewers_per_submission, criteria, scale_min, scale_max, balance_penalty_micros, published";

fn call_from(r: &Row) -> Result<Call, StoreError> {
    let kind = r.text(1)?;
    Ok(Call {
        id: r.int(0)?,
        kind: decode("call kind", &kind, CallKind::parse(&kind))?,
        title: r.text(2)?,
        description: r.text(3)?,
        time_zone: r.text(4)?,
        opens_at: r.time(5)?,
        closes_at: r.time(6)?,
        max_per_person: r.opt_int(7)?,
        editable_until_close: r.bool(8)?,
        themes: r.text(9)?,
        prerequisite_kind: r.text(10)?,
        prerequisite_id: r.opt_int(11)?,
        country_groups: r.text(12)?,
        reviewers_per_submission: r.int(13)?,
        criteria: r.text(14)?,
        scale_min: r.int(15)?,
        scale_max: r.int(16)?,
        balance_penalty_micros: r.int(17)?,
        published: r.bool(18)?,
    })
}

pub fn insert_call(
    tx: &mut Tx<'_>,
    c: &CallFields<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut values = c.values();
    values.push(now.into());
    tx.query_one(
        "INSERT INTO calls (kind, title, description, time_zone, opens_at, closes_at, max_per_person,
           editable_until_close, themes, prerequisite_kind, prerequisite_id, country_groups,
           reviewers_per_submission, criteria, scale_min, scale_max, balance_penalty_micros,
           published, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, FALSE, $18)
         RETURNING id",
        &values,
    )?
    .int(0)
}

pub fn update_call(tx: &mut Tx<'_>, id: i64, c: &CallFields<'_>) -> Result<bool, StoreError> {
    let mut values = c.values();
    values.push(id.into());
    Ok(tx.execute(
        "UPDATE calls SET kind = $1, title = $2, description = $3, time_zone = $4, opens_at = $5,
           closes_at = $6, max_per_person = $7, editable_until_close = $8, themes = $9,
           prerequisite_kind = $10, prerequisite_id = $11, country_groups = $12,
           reviewers_per_submission = $13, criteria = $14, scale_min = $15, scale_max = $16,
           balance_penalty_micros = $17
         WHERE id = $18",
        &values,
    )? == 1)
}

pub fn set_published(tx: &mut Tx<'_>, id: i64, published: bool) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE calls SET published = $2 WHERE id = $1",
        params![id, published],
    )? == 1)
}

pub fn call(tx: &mut Tx<'_>, id: i64) -> Result<Option<Call>, StoreError> {
    tx.query_opt(
        &format!("SELECT {CALL_COLUMNS} FROM calls WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(call_from)
    .transpose()
}

/// Every call, latest closing first.
pub fn calls(tx: &mut Tx<'_>) -> Result<Vec<Call>, StoreError> {
    tx.query(
        &format!("SELECT {CALL_COLUMNS} FROM calls ORDER BY closes_at DESC, id DESC"),
        &[],
    )?
    .iter()
    .map(call_from)
    .collect()
}

// ------------------------------------------------------------------ questions

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionRow {
    pub id: i64,
    pub call_id: i64,
    pub key: String,
    pub label: String,
    pub kind: QuestionKind,
    pub required: bool,
    /// JSON array.
    pub options: String,
    pub max_bytes: Option<i64>,
    /// Comma-separated extensions.
    pub file_types: String,
}

pub struct QuestionFields<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub kind: QuestionKind,
    pub required: bool,
    pub options: &'a str,
    pub max_bytes: Option<i64>,
    pub file_types: &'a str,
}

pub fn insert_question(
    tx: &mut Tx<'_>,
    call_id: i64,
    q: &QuestionFields<'_>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO call_questions (call_id, position, key, label, kind, required, options, max_bytes, file_types)
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM call_questions WHERE call_id = $1),
                 $2, $3, $4, $5, $6, $7, $8)
         RETURNING id",
        params![
            call_id,
            q.key,
            q.label,
            q.kind.as_str(),
            q.required,
            q.options,
            q.max_bytes,
            q.file_types
        ],
    )?
    .int(0)
}

pub fn delete_question(tx: &mut Tx<'_>, call_id: i64, id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "DELETE FROM call_questions WHERE id = $1 AND call_id = $2",
        params![id, call_id],
    )? == 1)
}

pub fn questions(tx: &mut Tx<'_>, call_id: i64) -> Result<Vec<QuestionRow>, StoreError> {
    tx.query(
        "SELECT id, call_id, key, label, kind, required, options, max_bytes, file_types
         FROM call_questions WHERE call_id = $1 ORDER BY position, id",
        params![call_id],
    )?
    .iter()
    .map(|r| {
        let kind = r.text(4)?;
        Ok(QuestionRow {
            id: r.int(0)?,
            call_id: r.int(1)?,
            key: r.text(2)?,
            label: r.text(3)?,
            kind: decode("question kind", &kind, QuestionKind::parse(&kind))?,
            required: r.bool(5)?,
            options: r.text(6)?,
            max_bytes: r.opt_int(7)?,
            file_types: r.text(8)?,
        })
    })
    .collect()
}

// ------------------------------------------------------------------ submissions

#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub id: i64,
    pub call_id: i64,
    pub status: SubmissionStatus,
    pub title: String,
    pub session_type: Option<String>,
    pub theme: Option<String>,
    /// The session proposal as typed (JSON), for session-proposal calls.
    pub proposal: Option<String>,
    /// JSON object: question key → values.
    pub answers: String,
    pub first_time: bool,
    pub merged_into: Option<i64>,
    pub decision_reason: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

const SUBMISSION_COLUMNS: &str = "s.id, s.call_id, s.status, s.title, s.session_type, s.theme, s.proposal, s.answers, s.first_time, s.merged_into, s.decision_reason, s.decided_at, s.decided_by, s.created_at, s.submitted_at, s.updated_at, s.version";

fn submission_from(r: &Row) -> Result<Submission, StoreError> {
    let status = r.text(2)?;
    Ok(Submission {
        id: r.int(0)?,
        call_id: r.int(1)?,
        status: decode(
            "submission status",
            &status,
            SubmissionStatus::parse(&status),
        )?,
        title: r.text(3)?,
        session_type: r.opt_text(4)?,
        theme: r.opt_text(5)?,
        proposal: r.opt_text(6)?,
        answers: r.text(7)?,
        first_time: r.bool(8)?,
        merged_into: r.opt_int(9)?,
        decision_reason: r.text(10)?,
        decided_at: r.opt_time(11)?,
        decided_by: r.opt_text(12)?,
        created_at: r.time(13)?,
        submitted_at: r.opt_time(14)?,
        updated_at: r.time(15)?,
        version: r.int(16)?,
    })
}

/// What the proposers write.
pub struct Content<'a> {
    pub title: &'a str,
    pub session_type: Option<&'a str>,
    pub theme: Option<&'a str>,
    pub proposal: Option<&'a str>,
    pub answers: &'a str,
}

/// A new draft owned by `user_id`.
pub fn insert_submission(
    tx: &mut Tx<'_>,
    call_id: i64,
    user_id: i64,
    c: &Content<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = tx
        .query_one(
            "INSERT INTO submissions (call_id, status, title, session_type, theme, proposal, answers,
               first_time, decision_reason, created_at, updated_at, version)
             VALUES ($1, 'draft', $2, $3, $4, $5, $6, FALSE, '', $7, $7, 1) RETURNING id",
            params![
                call_id,
                c.title,
                c.session_type,
                c.theme,
                c.proposal,
                c.answers,
                now
            ],
        )?
        .int(0)?;
    add_person(tx, id, user_id, "proposer", now)?;
    Ok(id)
}

/// Changes the content if the version is still `version`; false when it is not (an
/// edit based on an older version).
pub fn update_content(
    tx: &mut Tx<'_>,
    id: i64,
    version: i64,
    c: &Content<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE submissions SET title = $3, session_type = $4, theme = $5, proposal = $6,
           answers = $7, updated_at = $8, version = version + 1
         WHERE id = $1 AND version = $2",
        params![
            id,
            version,
            c.title,
            c.session_type,
            c.theme,
            c.proposal,
            c.answers,
            now
        ],
    )? == 1)
}

/// Moves a submission to `status` if it is in `from` (one of them); false otherwise.
pub fn set_status(
    tx: &mut Tx<'_>,
    id: i64,
    from: &[SubmissionStatus],
    status: SubmissionStatus,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let from: Vec<String> = from.iter().map(|s| format!("'{}'", s.as_str())).collect();
    Ok(tx.execute(
        &format!(
            "UPDATE submissions SET status = $2, updated_at = $3, version = version + 1
             WHERE id = $1 AND status IN ({})",
            from.join(", ")
        ),
        params![id, status.as_str(), now],
    )? == 1)
}

/// Marks a submission sent: its status, when, and whether its proposers are new.
pub fn mark_submitted(
    tx: &mut Tx<'_>,
    id: i64,
    first_time: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE submissions SET status = 'submitted', first_time = $2,
           submitted_at = COALESCE(submitted_at, $3), updated_at = $3, version = version + 1
         WHERE id = $1",
        params![id, first_time, now],
    )?;
    Ok(())
}

/// Records the committee's decision.
pub fn decide(
    tx: &mut Tx<'_>,
    id: i64,
    status: SubmissionStatus,
    merged_into: Option<i64>,
    reason: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE submissions SET status = $2, merged_into = $3, decision_reason = $4,
           decided_at = $5, decided_by = $6, updated_at = $5, version = version + 1
         WHERE id = $1",
        params![id, status.as_str(), merged_into, reason, now, by],
    )?;
    Ok(())
}

pub fn submission(tx: &mut Tx<'_>, id: i64) -> Result<Option<Submission>, StoreError> {
    tx.query_opt(
        &format!("SELECT {SUBMISSION_COLUMNS} FROM submissions s WHERE s.id = $1"),
        params![id],
    )?
    .as_ref()
    .map(submission_from)
    .transpose()
}

/// Locks a submission's row for a change (PostgreSQL; SQLite has one writer).
pub fn lock_submission(tx: &mut Tx<'_>, id: i64) -> Result<Option<Submission>, StoreError> {
    let lock = match tx.backend() {
        crate::Backend::Postgres => " FOR UPDATE",
        crate::Backend::Sqlite => "",
    };
    tx.query_opt(
        &format!("SELECT {SUBMISSION_COLUMNS} FROM submissions s WHERE s.id = $1{lock}"),
        params![id],
    )?
    .as_ref()
    .map(submission_from)
    .transpose()
}

/// The submissions of a call, optionally only those in `statuses`, by id.
pub fn submissions_of_call(
    tx: &mut Tx<'_>,
    call_id: i64,
    statuses: &[SubmissionStatus],
) -> Result<Vec<Submission>, StoreError> {
    let filter = if statuses.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        format!(" AND s.status IN ({})", list.join(", "))
    };
    tx.query(
        &format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions s WHERE s.call_id = $1{filter} ORDER BY s.id"
        ),
        params![call_id],
    )?
    .iter()
    .map(submission_from)
    .collect()
}

/// The submissions `user_id` proposes or co-proposes, newest first.
pub fn submissions_of_user(tx: &mut Tx<'_>, user_id: i64) -> Result<Vec<Submission>, StoreError> {
    tx.query(
        &format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions s
             JOIN submission_people p ON p.submission_id = s.id
             WHERE p.user_id = $1 ORDER BY s.id DESC"
        ),
        params![user_id],
    )?
    .iter()
    .map(submission_from)
    .collect()
}

/// How many submissions of the call `user_id` has sent (those that count).
pub fn sent_by(tx: &mut Tx<'_>, call_id: i64, user_id: i64) -> Result<i64, StoreError> {
    tx.query_one(
        "SELECT COUNT(*) FROM submissions s JOIN submission_people p ON p.submission_id = s.id
         WHERE s.call_id = $1 AND p.user_id = $2 AND s.status NOT IN ('draft', 'withdrawn')",
        params![call_id, user_id],
    )?
    .int(0)
}

/// Whether any of the users has had a submission accepted in another call.
pub fn accepted_before(
    tx: &mut Tx<'_>,
    call_id: i64,
    user_ids: &[i64],
) -> Result<bool, StoreError> {
    for user in user_ids {
        let n = tx
            .query_one(
                "SELECT COUNT(*) FROM submissions s JOIN submission_people p ON p.submission_id = s.id
                 WHERE p.user_id = $1 AND s.call_id <> $2 AND s.status = 'accepted'",
                params![*user, call_id],
            )?
            .int(0)?;
        if n > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `user_id` has a submission accepted to call `call_id`.
pub fn has_accepted(tx: &mut Tx<'_>, call_id: i64, user_id: i64) -> Result<bool, StoreError> {
    Ok(tx
        .query_one(
            "SELECT COUNT(*) FROM submissions s JOIN submission_people p ON p.submission_id = s.id
             WHERE p.user_id = $1 AND s.call_id = $2 AND s.status = 'accepted'",
            params![user_id, call_id],
        )?
        .int(0)?
        > 0)
}

// ------------------------------------------------------------------ proposers

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    /// `proposer` or `co_proposer`.
    pub role: String,
}

pub fn add_person(
    tx: &mut Tx<'_>,
    submission_id: i64,
    user_id: i64,
    role: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "INSERT INTO submission_people (submission_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (submission_id, user_id) DO NOTHING",
        params![submission_id, user_id, role, now],
    )? == 1)
}

pub fn remove_co_proposer(
    tx: &mut Tx<'_>,
    submission_id: i64,
    user_id: i64,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "DELETE FROM submission_people WHERE submission_id = $1 AND user_id = $2 AND role = 'co_proposer'",
        params![submission_id, user_id],
    )? == 1)
}

/// The proposer first, then the co-proposers in the order they were added.
pub fn people(tx: &mut Tx<'_>, submission_id: i64) -> Result<Vec<Person>, StoreError> {
    tx.query(
        "SELECT p.user_id, u.email, u.display_name, p.role FROM submission_people p
         JOIN users u ON u.id = p.user_id WHERE p.submission_id = $1
         ORDER BY CASE p.role WHEN 'proposer' THEN 0 ELSE 1 END, p.added_at, p.user_id",
        params![submission_id],
    )?
    .iter()
    .map(|r| {
        Ok(Person {
            user_id: r.int(0)?,
            email: r.text(1)?,
            display_name: r.text(2)?,
            role: r.text(3)?,
        })
    })
    .collect()
}

// ------------------------------------------------------------------ files

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    pub question_key: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

pub struct NewFile<'a> {
    pub question_key: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
}

/// Stores (or replaces) the file answering a question.
pub fn put_file(
    tx: &mut Tx<'_>,
    submission_id: i64,
    f: &NewFile<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO submission_files (submission_id, question_key, filename, content_type, size, sha256, data, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (submission_id, question_key) DO UPDATE SET filename = $3, content_type = $4,
           size = $5, sha256 = $6, data = $7, created_at = $8",
        params![
            submission_id,
            f.question_key,
            f.filename,
            f.content_type,
            f.data.len() as i64,
            f.sha256,
            Value::Bytes(f.data.to_vec()),
            now
        ],
    )?;
    Ok(())
}

pub fn files(tx: &mut Tx<'_>, submission_id: i64) -> Result<Vec<FileInfo>, StoreError> {
    tx.query(
        "SELECT question_key, filename, content_type, size, sha256 FROM submission_files
         WHERE submission_id = $1 ORDER BY question_key",
        params![submission_id],
    )?
    .iter()
    .map(|r| {
        Ok(FileInfo {
            question_key: r.text(0)?,
            filename: r.text(1)?,
            content_type: r.text(2)?,
            size: r.int(3)?,
            sha256: r.text(4)?,
        })
    })
    .collect()
}

pub fn file_data(
    tx: &mut Tx<'_>,
    submission_id: i64,
    question_key: &str,
) -> Result<Option<(FileInfo, Vec<u8>)>, StoreError> {
    let Some(r) = tx.query_opt(
        "SELECT question_key, filename, content_type, size, sha256, data FROM submission_files
         WHERE submission_id = $1 AND question_key = $2",
        params![submission_id, question_key],
    )?
    else {
        return Ok(None);
    };
    Ok(Some((
        FileInfo {
            question_key: r.text(0)?,
            filename: r.text(1)?,
            content_type: r.text(2)?,
            size: r.int(3)?,
            sha256: r.text(4)?,
        },
        r.bytes(5)?,
    )))
}

// ------------------------------------------------------------------ reviewers

#[derive(Debug, Clone, PartialEq)]
pub struct Reviewer {
    pub call_id: i64,
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub max_load: i64,
    pub organization: String,
    pub stakeholder_group: Option<String>,
    /// JSON array of themes.
    pub expertise: String,
}

pub struct ReviewerFields<'a> {
    pub max_load: i64,
    pub organization: &'a str,
    pub stakeholder_group: Option<&'a str>,
    pub expertise: &'a str,
}

pub fn put_reviewer(
    tx: &mut Tx<'_>,
    call_id: i64,
    user_id: i64,
    f: &ReviewerFields<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO call_reviewers (call_id, user_id, max_load, organization, stakeholder_group, expertise, added_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (call_id, user_id) DO UPDATE SET max_load = $3, organization = $4,
           stakeholder_group = $5, expertise = $6",
        params![
            call_id,
            user_id,
            f.max_load,
            f.organization,
            f.stakeholder_group,
            f.expertise,
            now
        ],
    )?;
    Ok(())
}

/// Removes a reviewer from the pool with their open assignments (their finished
/// reviews stay).
pub fn remove_reviewer(tx: &mut Tx<'_>, call_id: i64, user_id: i64) -> Result<bool, StoreError> {
    tx.execute(
        "DELETE FROM review_assignments WHERE user_id = $2 AND submission_id IN
           (SELECT id FROM submissions WHERE call_id = $1)
           AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = review_assignments.submission_id
                           AND r.user_id = review_assignments.user_id)",
        params![call_id, user_id],
    )?;
    Ok(tx.execute(
        "DELETE FROM call_reviewers WHERE call_id = $1 AND user_id = $2",
        params![call_id, user_id],
    )? == 1)
}

const REVIEWER_COLUMNS: &str = "r.call_id, r.user_id, u.email, u.display_name, r.max_load, r.organization, r.stakeholder_group, r.expertise";

fn reviewer_from(r: &Row) -> Result<Reviewer, StoreError> {
    Ok(Reviewer {
        call_id: r.int(0)?,
        user_id: r.int(1)?,
        email: r.text(2)?,
        display_name: r.text(3)?,
        max_load: r.int(4)?,
        organization: r.text(5)?,
        stakeholder_group: r.opt_text(6)?,
        expertise: r.text(7)?,
    })
}

pub fn reviewers(tx: &mut Tx<'_>, call_id: i64) -> Result<Vec<Reviewer>, StoreError> {
    tx.query(
        &format!(
            "SELECT {REVIEWER_COLUMNS} FROM call_reviewers r JOIN users u ON u.id = r.user_id
             WHERE r.call_id = $1 ORDER BY u.display_name, r.user_id"
        ),
        params![call_id],
    )?
    .iter()
    .map(reviewer_from)
    .collect()
}

pub fn reviewer(
    tx: &mut Tx<'_>,
    call_id: i64,
    user_id: i64,
) -> Result<Option<Reviewer>, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {REVIEWER_COLUMNS} FROM call_reviewers r JOIN users u ON u.id = r.user_id
             WHERE r.call_id = $1 AND r.user_id = $2"
        ),
        params![call_id, user_id],
    )?
    .as_ref()
    .map(reviewer_from)
    .transpose()
}

/// The calls whose pool `user_id` is in.
pub fn pools_of(tx: &mut Tx<'_>, user_id: i64) -> Result<Vec<i64>, StoreError> {
    tx.query(
        "SELECT call_id FROM call_reviewers WHERE user_id = $1 ORDER BY call_id",
        params![user_id],
    )?
    .iter()
    .map(|r| r.int(0))
    .collect()
}

// ------------------------------------------------------------------ conflicts and bids

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub submission_id: i64,
    pub user_id: i64,
    pub reason: String,
}

pub fn declare_conflict(
    tx: &mut Tx<'_>,
    submission_id: i64,
    user_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO review_conflicts (submission_id, user_id, reason, declared_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (submission_id, user_id) DO UPDATE SET reason = $3",
        params![submission_id, user_id, reason, now],
    )?;
    Ok(())
}

/// The declared conflicts within a call.
pub fn conflicts(tx: &mut Tx<'_>, call_id: i64) -> Result<Vec<Conflict>, StoreError> {
    tx.query(
        "SELECT c.submission_id, c.user_id, c.reason FROM review_conflicts c
         JOIN submissions s ON s.id = c.submission_id WHERE s.call_id = $1
         ORDER BY c.submission_id, c.user_id",
        params![call_id],
    )?
    .iter()
    .map(|r| {
        Ok(Conflict {
            submission_id: r.int(0)?,
            user_id: r.int(1)?,
            reason: r.text(2)?,
        })
    })
    .collect()
}

pub fn put_bid(
    tx: &mut Tx<'_>,
    submission_id: i64,
    user_id: i64,
    level: Option<i64>,
) -> Result<(), StoreError> {
    match level {
        Some(level) => tx.execute(
            "INSERT INTO review_bids (submission_id, user_id, level) VALUES ($1, $2, $3)
             ON CONFLICT (submission_id, user_id) DO UPDATE SET level = $3",
            params![submission_id, user_id, level],
        )?,
        None => tx.execute(
            "DELETE FROM review_bids WHERE submission_id = $1 AND user_id = $2",
            params![submission_id, user_id],
        )?,
    };
    Ok(())
}

/// (submission, reviewer, level) of a call's bids.
pub fn bids(tx: &mut Tx<'_>, call_id: i64) -> Result<Vec<(i64, i64, i64)>, StoreError> {
    tx.query(
        "SELECT b.submission_id, b.user_id, b.level FROM review_bids b
         JOIN submissions s ON s.id = b.submission_id WHERE s.call_id = $1",
        params![call_id],
    )?
    .iter()
    .map(|r| Ok((r.int(0)?, r.int(1)?, r.int(2)?)))
    .collect()
}

// ------------------------------------------------------------------ assignments

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub submission_id: i64,
    pub user_id: i64,
    /// `solver` or `manual`.
    pub source: String,
    pub assigned_at: DateTime<Utc>,
    /// Whether the reviewer has sent their review.
    pub reviewed: bool,
}

pub fn assignments(tx: &mut Tx<'_>, call_id: i64) -> Result<Vec<Assignment>, StoreError> {
    tx.query(
        "SELECT a.submission_id, a.user_id, a.source, a.assigned_at,
           EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = a.submission_id AND r.user_id = a.user_id)
         FROM review_assignments a JOIN submissions s ON s.id = a.submission_id
         WHERE s.call_id = $1 ORDER BY a.submission_id, a.user_id",
        params![call_id],
    )?
    .iter()
    .map(|r| {
        Ok(Assignment {
            submission_id: r.int(0)?,
            user_id: r.int(1)?,
            source: r.text(2)?,
            assigned_at: r.time(3)?,
            reviewed: r.bool(4)?,
        })
    })
    .collect()
}

pub fn assign(
    tx: &mut Tx<'_>,
    submission_id: i64,
    user_id: i64,
    source: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "INSERT INTO review_assignments (submission_id, user_id, source, assigned_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (submission_id, user_id) DO NOTHING",
        params![submission_id, user_id, source, now],
    )? == 1)
}

pub fn unassign(tx: &mut Tx<'_>, submission_id: i64, user_id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "DELETE FROM review_assignments WHERE submission_id = $1 AND user_id = $2",
        params![submission_id, user_id],
    )? == 1)
}

/// Whether `user_id` is assigned to review `submission_id`.
pub fn is_assigned(tx: &mut Tx<'_>, submission_id: i64, user_id: i64) -> Result<bool, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM review_assignments WHERE submission_id = $1 AND user_id = $2",
            params![submission_id, user_id],
        )?
        .is_some())
}

/// Removes the call's solver assignments that have no review yet (before a re-run).
pub fn clear_open_solver_assignments(tx: &mut Tx<'_>, call_id: i64) -> Result<u64, StoreError> {
    tx.execute(
        "DELETE FROM review_assignments WHERE source = 'solver'
           AND submission_id IN (SELECT id FROM submissions WHERE call_id = $1)
           AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = review_assignments.submission_id
                           AND r.user_id = review_assignments.user_id)",
        params![call_id],
    )
}

/// The submissions assigned to `user_id`, with whether they reviewed each.
pub fn assigned_to(tx: &mut Tx<'_>, user_id: i64) -> Result<Vec<(Submission, bool)>, StoreError> {
    tx.query(
        &format!(
            "SELECT {SUBMISSION_COLUMNS},
               EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = s.id AND r.user_id = $1)
             FROM submissions s JOIN review_assignments a ON a.submission_id = s.id
             WHERE a.user_id = $1 ORDER BY s.call_id DESC, s.id"
        ),
        params![user_id],
    )?
    .iter()
    .map(|r| Ok((submission_from(r)?, r.bool(17)?)))
    .collect()
}

// ------------------------------------------------------------------ reviews

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub submission_id: i64,
    pub user_id: i64,
    pub reviewer_name: String,
    /// JSON object: criterion → score.
    pub scores: String,
    pub comment: String,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn put_review(
    tx: &mut Tx<'_>,
    submission_id: i64,
    user_id: i64,
    scores: &str,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO reviews (submission_id, user_id, scores, comment, submitted_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (submission_id, user_id) DO UPDATE SET scores = $3, comment = $4, updated_at = $5",
        params![submission_id, user_id, scores, comment, now],
    )?;
    Ok(())
}

const REVIEW_SELECT: &str = "SELECT r.submission_id, r.user_id, u.display_name, r.scores, r.comment, r.submitted_at, r.updated_at
     FROM reviews r JOIN users u ON u.id = r.user_id";

fn review_from(r: &Row) -> Result<Review, StoreError> {
    Ok(Review {
        submission_id: r.int(0)?,
        user_id: r.int(1)?,
        reviewer_name: r.text(2)?,
        scores: r.text(3)?,
        comment: r.text(4)?,
        submitted_at: r.time(5)?,
        updated_at: r.time(6)?,
    })
}

/// A submission's reviews, in the order they were sent.
pub fn reviews_of(tx: &mut Tx<'_>, submission_id: i64) -> Result<Vec<Review>, StoreError> {
    tx.query(
        &format!("{REVIEW_SELECT} WHERE r.submission_id = $1 ORDER BY r.submitted_at, r.user_id"),
        params![submission_id],
    )?
    .iter()
    .map(review_from)
    .collect()
}

/// Every review of a call.
pub fn reviews_of_call(tx: &mut Tx<'_>, call_id: i64) -> Result<Vec<Review>, StoreError> {
    tx.query(
        &format!(
            "{REVIEW_SELECT} JOIN submissions s ON s.id = r.submission_id
             WHERE s.call_id = $1 ORDER BY r.submission_id, r.submitted_at, r.user_id"
        ),
        params![call_id],
    )?
    .iter()
    .map(review_from)
    .collect()
}
