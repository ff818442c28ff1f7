//! Visa invitation letters: an onsite registrant asks for one with their passport
//! details (through the management link or their account); the secretariat issues the
//! letter (a PDF, e-mailed and downloadable) or refuses with a reason. Passport details
//! are shown to the secretariat only — the registrant sees the request's status, never
//! the details back — and are purged a retention period after the event ends. They are
//! stored encrypted with the installation's passport keys ([`crate::passport_keys`]);
//! this module seals them before they reach the store and opens them only to show them
//! to the secretariat, to set the letter and for the visa export.

use crate::accounts::{require_account, require_permission};
use crate::audit::Change;
use crate::passport_keys::{PassportKeys, SEALED_PREFIX};
use crate::registration::{category_of, display_name, event_dates, event_zone};
use crate::secrets::token_hash;
use crate::{App, AppError, Caller};
use chrono::{DateTime, Utc};
use plenary_domain::registration::{ParticipationMode, RegistrationStatus};
use plenary_domain::visa::{Passport, PassportInput, VisaContext, VisaStatus};
use plenary_domain::{Permission, Problem};
use plenary_store::Tx;
use plenary_store::registration::{self as registrations, Event, Registration};
use plenary_store::visa::{self as store, Listed, VisaRequest};
use serde_json::json;

pub mod export;
pub mod keys;

pub const VISA_PAGE_SIZE: i64 = 50;

/// Who asks: the holder of a management link, or a signed-in registrant.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    Token(&'a str),
    Account(&'a Caller, i64),
}

/// Where a request stands, without the passport details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisaSummary {
    pub status: VisaStatus,
    pub reason: String,
    pub letter_number: Option<i64>,
    pub requested_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The details were deleted after the retention period.
    pub purged: bool,
}

impl From<&VisaRequest> for VisaSummary {
    fn from(r: &VisaRequest) -> Self {
        VisaSummary {
            status: r.status,
            reason: r.reason.clone(),
            letter_number: r.letter_number,
            requested_at: r.requested_at,
            updated_at: r.updated_at,
            decided_at: r.decided_at,
            purged: r.passport.is_none(),
        }
    }
}

/// What the registrant sees of their request: never the passport details.
#[derive(Debug, Clone)]
pub struct VisaState {
    pub event: Event,
    pub registration: Registration,
    /// Whether the registrant may (still) ask or change their details.
    pub may_request: Result<(), &'static str>,
    pub request: Option<VisaSummary>,
}

impl VisaState {
    /// Whether the letter may be downloaded.
    pub fn letter_ready(&self) -> bool {
        self.request
            .as_ref()
            .is_some_and(|r| r.status == VisaStatus::Issued && !r.purged)
    }
}

/// A request as the secretariat sees it: with the passport details (until purged).
#[derive(Debug, Clone)]
pub struct VisaDetail {
    pub event: Event,
    pub registration: Registration,
    pub request: VisaRequest,
    pub passport: Option<Passport>,
}

/// A page of an event's requests.
#[derive(Debug, Clone)]
pub struct VisaPage {
    pub event: Event,
    pub requests: Vec<Listed>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub counts: Vec<(VisaStatus, i64)>,
}

/// What a purge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// (event id, requests purged) for each event past its retention period.
    pub events: Vec<(i64, u64)>,
    /// Letters attached to e-mails, deleted from the outbox.
    pub attachments: u64,
}

impl PurgeReport {
    pub fn requests(&self) -> u64 {
        self.events.iter().map(|(_, n)| n).sum()
    }
}

fn require_visa_manager(caller: &Caller) -> Result<(), AppError> {
    require_permission(caller, Permission::ManageVisas).map(|_| ())
}

fn event_of(tx: &mut Tx<'_>, id: i64) -> Result<Event, AppError> {
    registrations::event(tx, id)?.ok_or(AppError::NotFound)
}

fn held_registration(tx: &mut Tx<'_>, holder: Holder<'_>) -> Result<Registration, AppError> {
    match holder {
        Holder::Token(token) => {
            registrations::by_manage_token(tx, &token_hash(token))?.ok_or(AppError::LinkInvalid)
        }
        Holder::Account(caller, id) => {
            let user = require_account(caller)?;
            registrations::registration(tx, id)?
                .filter(|r| r.user_id == Some(user.0))
                .ok_or(AppError::NotFound)
        }
    }
}

/// Why this registration may not ask for a letter (now), if it may not.
fn may_request(
    tx: &mut Tx<'_>,
    event: &Event,
    r: &Registration,
    request: Option<&VisaRequest>,
    now: DateTime<Utc>,
) -> Result<Result<(), &'static str>, AppError> {
    let category = category_of(tx, r)?;
    Ok(if !event.visa_letters {
        Err("this event does not issue visa invitation letters")
    } else if category.mode != ParticipationMode::Onsite {
        Err("visa letters are for onsite participants only")
    } else if matches!(
        r.status,
        RegistrationStatus::Cancelled | RegistrationStatus::Rejected
    ) {
        Err("this registration is no longer active")
    } else if now >= event.ends_at {
        Err("the event is over")
    } else if request.is_some_and(|q| q.status == VisaStatus::Issued) {
        Err("the letter has been issued; write to the secretariat to change it")
    } else {
        Ok(())
    })
}

fn context(event: &Event, now: DateTime<Utc>) -> Result<VisaContext, AppError> {
    let tz = event_zone(event)?.tz();
    Ok(VisaContext {
        event_starts_on: event.starts_at.with_timezone(&tz).date_naive(),
        event_ends_on: event.ends_at.with_timezone(&tz).date_naive(),
        today: now.with_timezone(&tz).date_naive(),
    })
}

/// What to set when no passport key is configured.
pub const NO_PASSPORT_KEY: &str = "no passport key is configured: set PLENARY_PASSPORT_KEY_FILE (--passport-key-file) to a key file, or PLENARY_PASSPORT_KEY";

/// The passport details of a request, decrypted (`None` once purged). Rows written
/// before encryption hold plain JSON and are read as they are, also without a key.
/// Errors name the registration and the key, never the details.
fn passport_of(
    keys: Option<&PassportKeys>,
    request: &VisaRequest,
) -> Result<Option<Passport>, AppError> {
    let id = request.registration_id;
    let Some(stored) = request.passport.as_deref() else {
        return Ok(None);
    };
    let json = match keys {
        Some(keys) => keys.open(id, stored).map_err(|e| {
            AppError::Internal(format!("passport details of registration {id} {e}"))
        })?,
        None if !stored.starts_with(SEALED_PREFIX) => stored.to_owned(),
        None => {
            return Err(AppError::Internal(format!(
                "passport details of registration {id} are encrypted and {NO_PASSPORT_KEY}"
            )));
        }
    };
    serde_json::from_str(&json).map(Some).map_err(|_| {
        AppError::Internal(format!(
            "passport details of registration {id} are not the expected JSON"
        ))
    })
}

fn letter_reference(event: &Event, number: i64) -> String {
    format!("VISA/{}/{number:04}", event.id)
}

/// The letter's text; the PDF sets it.
fn letter(event: &Event, request: &VisaRequest, p: &Passport) -> Result<Vec<u8>, AppError> {
    let zone = event_zone(event)?;
    let day = |d: chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    let issued = request
        .decided_at
        .unwrap_or(request.updated_at)
        .with_timezone(&zone.tz())
        .date_naive();
    let heading = [
        format!("{} — Secretariat", event.title),
        String::new(),
        day(issued),
        format!(
            "Reference: {}",
            letter_reference(event, request.letter_number.unwrap_or(0))
        ),
        String::new(),
        format!("To: {}", p.consulate),
        String::new(),
        format!("Subject: Invitation — {}", event.title),
    ];
    let venue = if event.venue.is_empty() {
        String::new()
    } else {
        format!(", at {}", event.venue)
    };
    let paragraphs = [
        "Dear Sir or Madam,".to_owned(),
        format!(
            "The Secretariat of {} hereby confirms that {} {}, national of {}, born on {}, \
             holder of passport number {} issued on {} by {} and valid until {}, is registered \
             to take part in {}, to be held from {}{}.",
            event.title,
            p.given_names,
            p.family_name,
            p.nationality_name(),
            day(p.date_of_birth),
            p.passport_number,
            day(p.issued_on),
            p.issued_by,
            day(p.expires_on),
            event.title,
            event_dates(event)?,
            venue
        ),
        format!(
            "The participant intends to arrive on {} and to leave on {}. We kindly ask you to \
             grant the visa needed for this stay.",
            day(p.arrival_on),
            day(p.departure_on)
        ),
        "This letter is issued solely to support the visa application. It does not commit \
         the organisers to any cost of travel, accommodation or subsistence."
            .to_owned(),
        "Yours faithfully,\nThe Secretariat".to_owned(),
    ];
    Ok(crate::pdf::letter_pdf(&heading, &paragraphs))
}

fn decision_mail(
    tx: &mut Tx<'_>,
    app: &App,
    event: &Event,
    r: &Registration,
    request: &VisaRequest,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let base = app.config().base_url.trim_end_matches('/').to_owned();
    let mut values = vec![
        ("name", display_name(r)),
        ("event", event.title.clone()),
        ("dates", event_dates(event)?),
        ("link", format!("{base}/events/{}", event.id)),
    ];
    let mut attachments = Vec::new();
    let kind = match request.status {
        VisaStatus::Issued => {
            let passport =
                passport_of(app.passport_keys().as_deref(), request)?.ok_or(AppError::NotFound)?;
            attachments.push(crate::mail::Attachment {
                file_name: letter_file_name(event, request),
                content_type: "application/pdf".into(),
                data: letter(event, request, &passport)?,
            });
            "visa_letter_issued"
        }
        VisaStatus::Refused => {
            values.push(("reason", request.reason.clone()));
            "visa_letter_refused"
        }
        VisaStatus::Requested => return Ok(()),
    };
    crate::mail::enqueue_templated(tx, kind, &r.email, &values, &attachments, now)?;
    Ok(())
}

/// `visa-letter-VISA-3-0007.pdf`.
pub fn letter_file_name(event: &Event, request: &VisaRequest) -> String {
    format!(
        "visa-letter-{}.pdf",
        letter_reference(event, request.letter_number.unwrap_or(0)).replace('/', "-")
    )
}

impl App {
    /// The registrant's view of their visa letter request.
    pub fn visa_state(&self, holder: Holder<'_>) -> Result<VisaState, AppError> {
        let now = self.now();
        self.db().read(|tx| {
            let registration = held_registration(tx, holder)?;
            let event = event_of(tx, registration.event_id)?;
            let request = store::request(tx, registration.id)?;
            let may_request = may_request(tx, &event, &registration, request.as_ref(), now)?;
            Ok(VisaState {
                event,
                registration,
                may_request,
                request: request.as_ref().map(VisaSummary::from),
            })
        })
    }

    /// Asks for a letter, or replaces the details of a request not yet issued.
    pub fn request_visa_letter(
        &self,
        holder: Holder<'_>,
        input: &PassportInput,
    ) -> Result<VisaState, AppError> {
        let now = self.now();
        let keys = self.passport_keys().ok_or_else(|| {
            tracing::error!("a visa letter request was refused: {NO_PASSPORT_KEY}");
            AppError::Refused(
                "passport details cannot be accepted at the moment; please try again later or write to the secretariat",
            )
        })?;
        self.db().write(|tx| {
            let r = held_registration(tx, holder)?;
            let event = event_of(tx, r.event_id)?;
            let existing = store::request(tx, r.id)?;
            may_request(tx, &event, &r, existing.as_ref(), now)?.map_err(AppError::Refused)?;
            let passport = input
                .check(&context(&event, now)?)
                .map_err(AppError::Invalid)?;
            let json =
                serde_json::to_string(&passport).map_err(|e| AppError::Internal(e.to_string()))?;
            store::save_request(tx, r.id, event.id, &keys.seal(r.id, &json), now)?;
            // The audit log records that details were given, never the details.
            let action = if existing.is_some() {
                "visa.change"
            } else {
                "visa.request"
            };
            let who = match holder {
                Holder::Account(caller, _) => caller.clone(),
                Holder::Token(_) => Caller {
                    label: "registrant (management link)".into(),
                    ..Caller::anonymous(None)
                },
            };
            Change::new(action, "registration", r.id).record(tx, &who, now)?;
            let request = store::request(tx, r.id)?;
            Ok(VisaState {
                // Just saved as requested: the same checks passed above.
                may_request: Ok(()),
                event,
                registration: r,
                request: request.as_ref().map(VisaSummary::from),
            })
        })
    }

    /// The issued letter as PDF, for its registrant.
    pub fn my_visa_letter(&self, holder: Holder<'_>) -> Result<(String, Vec<u8>), AppError> {
        let keys = self.passport_keys();
        self.db().read(|tx| {
            let r = held_registration(tx, holder)?;
            letter_of(tx, keys.as_deref(), &r)
        })
    }

    // -------------------------------------------------------------- secretariat

    /// One page of an event's requests (secretariat).
    pub fn visa_requests(
        &self,
        caller: &Caller,
        event_id: i64,
        status: &str,
        page: i64,
    ) -> Result<VisaPage, AppError> {
        require_visa_manager(caller)?;
        let status = crate::input::optional(status, |s| VisaStatus::parse_field("status", s))
            .map_err(|e| AppError::Invalid(vec![e]))?;
        let page = page.max(1);
        self.db().read(|tx| {
            let event = event_of(tx, event_id)?;
            let (requests, total) = store::list(
                tx,
                event_id,
                status,
                VISA_PAGE_SIZE,
                (page - 1) * VISA_PAGE_SIZE,
            )?;
            Ok(VisaPage {
                event,
                requests,
                total,
                page,
                pages: ((total + VISA_PAGE_SIZE - 1) / VISA_PAGE_SIZE).max(1),
                counts: store::status_counts(tx, event_id)?,
            })
        })
    }

    /// One request with its passport details (secretariat).
    pub fn visa_request(
        &self,
        caller: &Caller,
        registration_id: i64,
    ) -> Result<VisaDetail, AppError> {
        require_visa_manager(caller)?;
        let keys = self.passport_keys();
        self.db()
            .read(|tx| detail(tx, keys.as_deref(), registration_id))
    }

    /// Issues the letter: numbered, e-mailed to the registrant as PDF. The registration
    /// must be confirmed.
    pub fn issue_visa_letter(
        &self,
        caller: &Caller,
        registration_id: i64,
    ) -> Result<VisaDetail, AppError> {
        require_visa_manager(caller)?;
        let now = self.now();
        let keys = self.passport_keys();
        self.db().write(|tx| {
            let d = detail(tx, keys.as_deref(), registration_id)?;
            if d.registration.status != RegistrationStatus::Confirmed {
                return Err(AppError::Refused(
                    "the registration is not confirmed: confirm it before issuing a letter",
                ));
            }
            let number = store::issue(tx, registration_id, &caller.label, now)?.ok_or(
                AppError::Refused("this request is not waiting for a decision"),
            )?;
            Change::new("visa.issue", "registration", registration_id)
                .detail(json!({ "letter": letter_reference(&d.event, number) }))
                .record(tx, caller, now)?;
            let d = detail(tx, keys.as_deref(), registration_id)?;
            decision_mail(tx, self, &d.event, &d.registration, &d.request, now)?;
            Ok(d)
        })
    }

    /// Refuses a waiting request with a reason, e-mailed to the registrant.
    pub fn refuse_visa_letter(
        &self,
        caller: &Caller,
        registration_id: i64,
        reason: &str,
    ) -> Result<VisaDetail, AppError> {
        require_visa_manager(caller)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::field("reason", Problem::Required));
        }
        if reason.chars().count() > 1000 {
            return Err(AppError::field("reason", Problem::TooLong { max: 1000 }));
        }
        let now = self.now();
        let keys = self.passport_keys();
        self.db().write(|tx| {
            detail(tx, keys.as_deref(), registration_id)?;
            if !store::refuse(tx, registration_id, reason, &caller.label, now)? {
                return Err(AppError::Refused(
                    "this request is not waiting for a decision",
                ));
            }
            Change::new("visa.refuse", "registration", registration_id)
                .detail(json!({ "reason": reason }))
                .record(tx, caller, now)?;
            let d = detail(tx, keys.as_deref(), registration_id)?;
            decision_mail(tx, self, &d.event, &d.registration, &d.request, now)?;
            Ok(d)
        })
    }

    /// An issued letter as PDF (secretariat).
    pub fn visa_letter(
        &self,
        caller: &Caller,
        registration_id: i64,
    ) -> Result<(String, Vec<u8>), AppError> {
        require_visa_manager(caller)?;
        let keys = self.passport_keys();
        self.db().read(|tx| {
            let r = registrations::registration(tx, registration_id)?.ok_or(AppError::NotFound)?;
            letter_of(tx, keys.as_deref(), &r)
        })
    }

    /// Deletes the passport details of every event whose retention period has passed,
    /// and letters left in the outbox (`plenary purge`; the housekeeping does the same
    /// in its own transaction). A dry run only reads.
    pub fn purge_visa_data(&self, dry_run: bool) -> Result<PurgeReport, AppError> {
        let now = self.now();
        if dry_run {
            self.db().read(|tx| due_for_purge(tx, now))
        } else {
            self.db().write(|tx| purge_due(tx, now))
        }
    }
}

/// The events past their retention period, with how many requests hold details.
fn due_for_purge(tx: &mut Tx<'_>, now: DateTime<Utc>) -> Result<PurgeReport, AppError> {
    let events = store::held(tx)?
        .into_iter()
        .filter(|h| h.ends_at + chrono::Duration::days(h.retention_days) <= now)
        .map(|h| (h.event_id, u64::try_from(h.requests).unwrap_or(0)))
        .collect();
    Ok(PurgeReport {
        events,
        attachments: 0,
    })
}

/// Purges what [`due_for_purge`] finds, in the caller's write transaction.
pub(crate) fn purge_due(tx: &mut Tx<'_>, now: DateTime<Utc>) -> Result<PurgeReport, AppError> {
    let mut report = due_for_purge(tx, now)?;
    for (event_id, count) in &mut report.events {
        *count = store::purge_event(tx, *event_id, now)?;
        Change::new("visa.purge", "event", *event_id)
            .detail(json!({ "requests": *count }))
            .record(tx, &Caller::operator(), now)?;
    }
    // Letters sit in the outbox only until sent; one still queued after a month will
    // not be.
    report.attachments = plenary_store::outbox::delete_attachments_of_kind(
        tx,
        "visa_letter_issued",
        now - chrono::Duration::days(30),
    )?;
    Ok(report)
}

fn detail(
    tx: &mut Tx<'_>,
    keys: Option<&PassportKeys>,
    registration_id: i64,
) -> Result<VisaDetail, AppError> {
    let request = store::request(tx, registration_id)?.ok_or(AppError::NotFound)?;
    let registration =
        registrations::registration(tx, registration_id)?.ok_or(AppError::NotFound)?;
    let event = event_of(tx, request.event_id)?;
    Ok(VisaDetail {
        passport: passport_of(keys, &request)?,
        event,
        registration,
        request,
    })
}

fn letter_of(
    tx: &mut Tx<'_>,
    keys: Option<&PassportKeys>,
    r: &Registration,
) -> Result<(String, Vec<u8>), AppError> {
    let request = store::request(tx, r.id)?.ok_or(AppError::NotFound)?;
    if request.status != VisaStatus::Issued {
        return Err(AppError::Refused(
            "no letter has been issued for this registration",
        ));
    }
    let passport = passport_of(keys, &request)?.ok_or(AppError::Refused(
        "the passport details have been deleted after the retention period",
    ))?;
    let event = event_of(tx, r.event_id)?;
    Ok((
        letter_file_name(&event, &request),
        letter(&event, &request, &passport)?,
    ))
}
