//! Messages to a body's mailing list: the number of recipients is shown first, and the
//! confirmed send goes to exactly that many people or not at all.

use super::enqueue_templated;
use crate::accounts::require_permission;
use crate::audit::Change;
use crate::{App, AppError, Caller};
use plenary_domain::{FieldError, Permission, Problem};
use plenary_store::Tx;
use plenary_store::directory::{self as dir, Body, Person};
use serde_json::json;

/// What the secretariat writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkDraft {
    pub body_id: i64,
    pub subject: String,
    pub message: String,
}

/// Who would receive a draft, before it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkPreview {
    pub body: Body,
    /// Subscribers with an e-mail address, each counted once.
    pub recipients: usize,
    pub subject: String,
    pub message: String,
}

/// What confirming did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkOutcome {
    /// One message per recipient is in the outbox.
    Queued { recipients: usize },
    /// The list changed since the preview; nothing was queued. Show this count and ask
    /// again.
    CountChanged { recipients: usize },
}

const MAX_SUBJECT: usize = 200;
const MAX_MESSAGE: usize = 50_000;

fn validate(draft: &BulkDraft) -> Result<(String, String), AppError> {
    let subject = draft.subject.trim().to_owned();
    let message = draft.message.replace("\r\n", "\n").trim_end().to_owned();
    let mut errors = Vec::new();
    if subject.is_empty() {
        errors.push(FieldError::new("subject", Problem::Required));
    } else if subject.chars().count() > MAX_SUBJECT {
        errors.push(FieldError::new(
            "subject",
            Problem::TooLong { max: MAX_SUBJECT },
        ));
    } else if subject.contains(['\r', '\n']) {
        errors.push(FieldError::new(
            "subject",
            Problem::Invalid("a subject is one line"),
        ));
    }
    if message.trim().is_empty() {
        errors.push(FieldError::new("message", Problem::Required));
    } else if message.chars().count() > MAX_MESSAGE {
        errors.push(FieldError::new(
            "message",
            Problem::TooLong { max: MAX_MESSAGE },
        ));
    }
    if errors.is_empty() {
        Ok((subject, message))
    } else {
        Err(AppError::Invalid(errors))
    }
}

fn person_name(p: &Person) -> String {
    [p.given_name.as_deref(), p.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The subscribers with an address, once per address (case-insensitively).
fn recipients(tx: &mut Tx<'_>, body_id: i64) -> Result<Vec<(String, String)>, AppError> {
    let mut seen = std::collections::HashSet::new();
    Ok(dir::subscribers(tx, body_id)?
        .into_iter()
        .filter_map(|p| {
            let email = p.email.clone()?.trim().to_owned();
            (!email.is_empty() && seen.insert(email.to_lowercase()))
                .then(|| (email, person_name(&p)))
        })
        .collect())
}

impl App {
    /// The bodies whose lists the secretariat can write to.
    pub fn mail_bodies(&self, caller: &Caller) -> Result<Vec<Body>, AppError> {
        require_permission(caller, Permission::ManageMail)?;
        Ok(self.db().read(dir::bodies)?)
    }

    /// Checks a draft and counts who would receive it (secretariat).
    pub fn preview_bulk_mail(
        &self,
        caller: &Caller,
        draft: &BulkDraft,
    ) -> Result<BulkPreview, AppError> {
        require_permission(caller, Permission::ManageMail)?;
        let (subject, message) = validate(draft)?;
        self.db().read(|tx| {
            let body = dir::body(tx, draft.body_id)?.ok_or(AppError::NotFound)?;
            let recipients = recipients(tx, body.id)?.len();
            Ok(BulkPreview {
                body,
                recipients,
                subject,
                message,
            })
        })
    }

    /// Queues the draft for each subscriber, in one transaction, if they are still
    /// `expected_recipients` people; otherwise queues nothing and returns the new count.
    pub fn send_bulk_mail(
        &self,
        caller: &Caller,
        draft: &BulkDraft,
        expected_recipients: usize,
    ) -> Result<BulkOutcome, AppError> {
        require_permission(caller, Permission::ManageMail)?;
        let (subject, message) = validate(draft)?;
        let now = self.now();
        let base = self.config().base_url.trim_end_matches('/').to_owned();
        self.db().write(|tx| {
            let body = dir::body(tx, draft.body_id)?.ok_or(AppError::NotFound)?;
            // The list counted here is the list sent: the count shown is the count sent.
            let list = recipients(tx, body.id)?;
            if list.len() != expected_recipients {
                return Ok(BulkOutcome::CountChanged {
                    recipients: list.len(),
                });
            }
            let link = format!("{base}/bodies/{}", body.id);
            for (email, name) in &list {
                enqueue_templated(
                    tx,
                    "bulk",
                    email,
                    &[
                        ("name", name.clone()),
                        ("body", body.name.clone()),
                        ("subject", subject.clone()),
                        ("message", message.clone()),
                        ("link", link.clone()),
                    ],
                    &[],
                    now,
                )?;
            }
            Change::new("mail.bulk", "body", body.id)
                .detail(json!({ "subject": subject, "recipients": list.len() }))
                .record(tx, caller, now)?;
            Ok(BulkOutcome::Queued {
                recipients: list.len(),
            })
        })
    }
}
