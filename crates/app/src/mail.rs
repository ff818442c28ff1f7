//! Outgoing mail: templates per message kind, the outbox, the SMTP client and the
//! outbox worker's step.
//!
//! A use case renders the kind's template with [`enqueue_templated`] inside its own
//! transaction, so that the message exists exactly when the change that caused it does.
//! [`App::deliver_due_mail`] leases due messages one at a time and hands them to a
//! [`Mailer`] (in production the [`SmtpMailer`]).

mod bulk;
mod mime;
mod smtp;
mod templates;
#[cfg(feature = "testing")]
pub mod testing;

pub use bulk::{BulkDraft, BulkOutcome, BulkPreview};
pub use mime::{decode_base64_part, render_message};
pub use smtp::{SmtpMailer, SmtpSecurity, SmtpSettings, SmtpSettingsError};
pub use templates::{
    KINDS, MailKind, MailTemplate, Placeholder, TemplateInput, TemplatePreview, mail_kind,
};

use crate::{App, AppError};
use chrono::{DateTime, Duration, Utc};
use plenary_domain::{FieldError, Problem};
use plenary_store::outbox::{self, Message, NewMessage};
use plenary_store::{Tx, mail_templates};

/// A file sent with a message (an iCalendar invitation, a PDF...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// At most this many bytes of attachments per message.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// Renders the kind's template (the edited one if any, else the default) with `values`
/// and writes the message to the outbox in `tx`.
///
/// `values` name placeholders of the kind (see [`KINDS`]); a name the kind does not have
/// is a programming error (`AppError::Internal`), a placeholder without a value renders
/// empty. Values are HTML-escaped in the HTML part. Returns the outbox id.
pub fn enqueue_templated(
    tx: &mut Tx<'_>,
    kind: &str,
    recipient: &str,
    values: &[(&str, String)],
    attachments: &[Attachment],
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let info =
        mail_kind(kind).ok_or_else(|| AppError::Internal(format!("unknown mail kind {kind:?}")))?;
    if let Some((name, _)) = values.iter().find(|(name, _)| !info.has(name)) {
        return Err(AppError::Internal(format!(
            "mail kind {kind:?} has no placeholder {name:?}"
        )));
    }
    let recipient = plenary_domain::Email::parse("recipient", recipient)?;
    check_attachments(attachments)?;
    let (subject, body_text, body_html) = match mail_templates::get(tx, kind)? {
        Some(t) => (t.subject, t.body_text, t.body_html),
        None => (
            info.subject.to_owned(),
            info.body_text.to_owned(),
            info.body_html.to_owned(),
        ),
    };
    let rendered = templates::render_all(&subject, &body_text, &body_html, values);
    let id = outbox::enqueue(
        tx,
        &NewMessage {
            kind: info.kind,
            recipient: recipient.as_str(),
            subject: &rendered.subject,
            body_text: &rendered.body_text,
            body_html: rendered.body_html.as_deref(),
        },
        now,
    )?;
    for (position, a) in (0i64..).zip(attachments) {
        outbox::attach(
            tx,
            id,
            position,
            &clean_file_name(&a.file_name),
            a.content_type.trim(),
            &a.data,
        )?;
    }
    Ok(id)
}

/// Content types are written into a header: printable ASCII with a `/`, no line breaks.
fn check_attachments(attachments: &[Attachment]) -> Result<(), AppError> {
    let mut total = 0usize;
    for a in attachments {
        let ct = a.content_type.trim();
        let (kind, rest) = ct.split_once('/').unwrap_or(("", ""));
        if kind.is_empty()
            || rest.is_empty()
            || !ct.bytes().all(|b| (0x20..0x7f).contains(&b))
            || clean_file_name(&a.file_name).is_empty()
        {
            return Err(AppError::Internal(format!(
                "unusable attachment {:?} ({:?})",
                a.file_name, a.content_type
            )));
        }
        total += a.data.len();
    }
    if total > MAX_ATTACHMENT_BYTES {
        return Err(AppError::Invalid(vec![FieldError::new(
            "attachments",
            Problem::Invalid("together larger than 10 MiB"),
        )]));
    }
    Ok(())
}

/// A file name without control characters or path, safe to quote in a header.
fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    base.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Something that delivers one message, e.g. over SMTP.
pub trait Mailer: Send + Sync {
    fn send(&self, from: &str, message: &Message) -> Result<(), String>;

    /// Sends like [`Mailer::send`], calling `hand_over` once the server has the whole
    /// message but before it is told that the message is complete (the end of SMTP
    /// DATA). When `hand_over` fails, the message must not be completed. The worker
    /// records the hand-over there, so that a worker dying afterwards never leads to a
    /// second copy. The default sends without that step.
    fn send_with_hand_over(
        &self,
        from: &str,
        message: &Message,
        hand_over: &mut dyn FnMut() -> Result<(), String>,
    ) -> Result<(), String> {
        let _ = hand_over;
        self.send(from, message)
    }
}

/// Messages per page of the secretariat's outbox view.
pub const OUTBOX_PAGE_SIZE: i64 = 50;

/// The outbox as the secretariat sees it.
#[derive(Debug, Clone)]
pub struct OutboxStatus {
    pub messages: Vec<outbox::Summary>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// (status, count), for the statuses present.
    pub counts: Vec<(String, i64)>,
    /// When the oldest message still waiting was written.
    pub oldest_queued: Option<DateTime<Utc>>,
}

/// Attempts before a message is marked failed for good.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a worker may hold a message before another may take it over.
pub const LEASE: Duration = Duration::minutes(5);

/// Exponential backoff: 1, 2, 4, ... minutes after the attempt that failed.
fn retry_delay(attempts: i64) -> Duration {
    Duration::minutes(1i64 << attempts.clamp(1, 9).saturating_sub(1))
}

impl App {
    /// Sends every due message; returns how many went out. Safe to run on several
    /// servers and threads at once: each message is leased by one worker, and a message
    /// handed to the SMTP server is never sent again, even if its worker dies before
    /// recording the server's answer.
    pub fn deliver_due_mail(&self, mailer: &dyn Mailer) -> Result<usize, AppError> {
        let now = self.now();
        let settled = self.db().write(|tx| outbox::settle_handed_over(tx, now))?;
        if !settled.is_empty() {
            tracing::warn!(
                ?settled,
                "messages handed to the SMTP server by a worker that stopped before the server's answer count as sent"
            );
        }
        let mut sent = 0;
        loop {
            let now = self.now();
            let Some(message) = self
                .db()
                .write(|tx| outbox::lease_next(tx, now, now + LEASE))?
            else {
                return Ok(sent);
            };
            let mut hand_over = || {
                let at = self.now();
                match self
                    .db()
                    .write(|tx| outbox::mark_handed_over(tx, message.id, message.attempts, at))
                {
                    Ok(true) => Ok(()),
                    Ok(false) => Err("another worker took this message over".to_owned()),
                    Err(e) => Err(format!("cannot record the hand-over: {e}")),
                }
            };
            let outcome =
                mailer.send_with_hand_over(&self.config().mail_from, &message, &mut hand_over);
            let now = self.now();
            self.db().write(|tx| match &outcome {
                Ok(()) => outbox::mark_sent(tx, message.id, now),
                Err(error) => {
                    let retry = (message.attempts < MAX_ATTEMPTS)
                        .then(|| now + retry_delay(message.attempts));
                    outbox::mark_failed(tx, message.id, message.attempts, error, retry)
                }
            })?;
            match outcome {
                Ok(()) => sent += 1,
                Err(error) => {
                    tracing::warn!(message_id = message.id, attempts = message.attempts, %error, "mail delivery failed")
                }
            }
        }
    }

    /// The secretariat's view of the outbox: counts by status, the oldest message still
    /// waiting, and one page of messages (newest first, without their bodies: a
    /// password-reset message's link is for its recipient alone).
    pub fn outbox_status(
        &self,
        caller: &crate::Caller,
        status: &str,
        page: i64,
    ) -> Result<OutboxStatus, AppError> {
        crate::accounts::require_permission(caller, plenary_domain::Permission::ManageMail)?;
        let status = match status.trim() {
            "" => None,
            s @ ("queued" | "sent" | "failed") => Some(s.to_owned()),
            _ => {
                return Err(AppError::field(
                    "status",
                    Problem::Invalid("queued, sent or failed"),
                ));
            }
        };
        let page = page.max(1);
        self.db().read(|tx| {
            let (messages, total) = outbox::page(
                tx,
                status.as_deref(),
                OUTBOX_PAGE_SIZE,
                (page - 1) * OUTBOX_PAGE_SIZE,
            )?;
            let (counts, oldest_queued) = outbox::status_counts(tx)?;
            Ok(OutboxStatus {
                messages,
                total,
                page,
                pages: ((total + OUTBOX_PAGE_SIZE - 1) / OUTBOX_PAGE_SIZE).max(1),
                counts,
                oldest_queued,
            })
        })
    }

    /// Queues a message that failed for good once more (after the relay was fixed).
    pub fn retry_message(&self, caller: &crate::Caller, id: i64) -> Result<(), AppError> {
        crate::accounts::require_permission(caller, plenary_domain::Permission::ManageMail)?;
        let now = self.now();
        self.db().write(|tx| {
            if !outbox::retry(tx, id, now)? {
                return Err(match outbox::get(tx, id)? {
                    None => AppError::NotFound,
                    Some(_) => AppError::Refused("only a message that failed can be sent again"),
                });
            }
            crate::audit::Change::new("outbox.retry", "outbox", id).record(tx, caller, now)?;
            Ok(())
        })
    }

    /// The newest messages of the outbox with their attachments (operators and tests).
    pub fn outbox(&self, limit: i64) -> Result<Vec<Message>, AppError> {
        Ok(self.db().read(|tx| outbox::list(tx, limit))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially() {
        assert_eq!(retry_delay(1), Duration::minutes(1));
        assert_eq!(retry_delay(2), Duration::minutes(2));
        assert_eq!(retry_delay(4), Duration::minutes(8));
        assert_eq!(retry_delay(50), Duration::minutes(256));
    }

    #[test]
    fn attachment_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("../../etc/pass\r\nwd"), "passwd");
        assert_eq!(clean_file_name("C:\\x\\Einladung é.ics"), "Einladung é.ics");
        assert_eq!(clean_file_name("\n"), "");
    }

    #[test]
    fn attachments_need_a_usable_content_type() {
        let a = |ct: &str| Attachment {
            file_name: "a.ics".into(),
            content_type: ct.into(),
            data: vec![],
        };
        assert!(check_attachments(&[a("text/calendar; method=REQUEST")]).is_ok());
        assert!(check_attachments(&[a("text")]).is_err());
        assert!(check_attachments(&[a("text/plain\r\nBcc: x@y")]).is_err());
    }
}
