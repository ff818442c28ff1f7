//! Registration for an event: the secretariat sets up the form (questions) and the
//! categories with their capacity; people register (signed in or not), are confirmed,
//! held for approval, or put on the waiting list; a freed seat promotes the head of the
//! waiting list in the same transaction.
//!
//! Every registration has a secret management link (the token is e-mailed, only its
//! hash is stored): through it the registrant sees, changes or cancels the registration
//! until the event's cut-off, without needing an account.

use crate::accounts::{require_account, require_permission};
use crate::audit::Change;
use crate::input::{Errors, missing, optional};
use crate::secrets::{random_hex, token_hash};
use crate::{App, AppError, Caller};
use chrono::{DateTime, Utc};
use plenary_domain::geo::Country;
use plenary_domain::people::{PersonName, parse_title};
use plenary_domain::registration::{
    AnswerError, BADGE_ALPHABET, FieldKind, ParticipationMode, Question, RegistrationStatus,
    check_answers, parse_key,
};
use plenary_domain::search::search_key;
use plenary_domain::time::{Zone, local_to_utc_earliest};
use plenary_domain::{Email, FieldError, Permission, Problem};
use plenary_store::registration::{
    self as store, Category, CategoryFields, Details, Event, EventFields, NewRegistration,
    QuestionFields, QuestionRow, Registration,
};
use plenary_store::{Submitted, Tx};
use serde_json::json;
use std::collections::BTreeMap;

pub mod export;
mod filters;

pub const MAX_ORGANIZATION: usize = 200;
pub const PAGE_SIZE: i64 = 50;

pub(crate) fn require_manager(caller: &Caller) -> Result<(), AppError> {
    require_permission(caller, Permission::ManageRegistrations).map(|_| ())
}

pub(crate) fn can_manage(caller: &Caller) -> bool {
    caller.principal.can(
        Permission::ManageRegistrations,
        plenary_domain::Scope::Global,
    )
}

pub(crate) fn event_in(tx: &mut Tx<'_>, id: i64) -> Result<Event, AppError> {
    store::event(tx, id)?.ok_or(AppError::NotFound)
}

/// `2026-06-22T09:30` (an HTML `datetime-local` value) in `zone`.
pub(crate) fn local_instant(
    field: &'static str,
    raw: &str,
    zone: Zone,
) -> Result<DateTime<Utc>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    let local = plenary_domain::dates::parse_local_date_time(raw)
        .map_err(|e| FieldError::new(field, e.problem("a date and time (YYYY-MM-DDTHH:MM)")))?;
    local_to_utc_earliest(local.date(), local.time(), zone).ok_or(FieldError::new(
        field,
        Problem::Invalid("this local time does not exist (the clocks skip it)"),
    ))
}

// ------------------------------------------------------------------ events

/// An event as typed: instants are local date-times in the event's zone.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub title: String,
    pub venue: String,
    pub time_zone: String,
    pub starts_at: String,
    pub ends_at: String,
    pub registration_opens_at: String,
    pub registration_closes_at: String,
    pub changes_until: String,
    pub public_list: bool,
    /// Whether onsite registrants may ask for a visa invitation letter.
    pub visa_letters: bool,
    /// Days after the event until passport details are purged; empty for the default.
    pub visa_retention_days: String,
}

struct EventValues {
    title: String,
    venue: String,
    zone: Zone,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    changes_until: DateTime<Utc>,
    visa_retention_days: i64,
}

fn event_values(input: &EventInput) -> Result<EventValues, AppError> {
    let mut errors = Errors::default();
    let title = errors.take(parse_title("title", &input.title, 200));
    let venue = errors.take(optional(&input.venue, |v| parse_title("venue", v, 200)));
    let zone = errors.take(Zone::find("time_zone", &input.time_zone));
    let at = |errors: &mut Errors, field, raw: &str| {
        zone.and_then(|z| errors.take(local_instant(field, raw, z)))
    };
    let starts_at = at(&mut errors, "starts_at", &input.starts_at);
    let ends_at = at(&mut errors, "ends_at", &input.ends_at);
    let opens = at(
        &mut errors,
        "registration_opens_at",
        &input.registration_opens_at,
    );
    let closes = at(
        &mut errors,
        "registration_closes_at",
        &input.registration_closes_at,
    );
    let changes_until = at(&mut errors, "changes_until", &input.changes_until);
    let visa_retention_days = errors.take(plenary_domain::visa::parse_retention_days(
        "visa_retention_days",
        &input.visa_retention_days,
    ));
    if let (Some(s), Some(e)) = (starts_at, ends_at)
        && e <= s
    {
        errors.0.push(FieldError::new(
            "ends_at",
            Problem::Invalid("the event must end after it starts"),
        ));
    }
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        errors.0.push(FieldError::new(
            "registration_closes_at",
            Problem::Invalid("registration must close after it opens"),
        ));
    }
    errors.finish()?;
    Ok(EventValues {
        title: title.ok_or_else(missing)?,
        venue: venue.ok_or_else(missing)?.unwrap_or_default(),
        zone: zone.ok_or_else(missing)?,
        starts_at: starts_at.ok_or_else(missing)?,
        ends_at: ends_at.ok_or_else(missing)?,
        opens: opens.ok_or_else(missing)?,
        closes: closes.ok_or_else(missing)?,
        changes_until: changes_until.ok_or_else(missing)?,
        visa_retention_days: visa_retention_days.ok_or_else(missing)?,
    })
}

/// An event with its categories and questions, as the registration page needs it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub event: Event,
    pub categories: Vec<Category>,
    pub questions: Vec<QuestionRow>,
}

impl EventView {
    /// Whether registration is open at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.event.registration_opens_at <= now && now < self.event.registration_closes_at
    }
}

// ------------------------------------------------------------------ categories, questions

#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: String,
    pub mode: String,
    /// Empty: unlimited.
    pub capacity: String,
    pub needs_approval: bool,
}

fn parse_capacity(raw: &str) -> Result<Option<i64>, FieldError> {
    optional(raw, |v| {
        v.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=1_000_000).contains(n))
            .ok_or(FieldError::new(
                "capacity",
                Problem::Invalid(
                    "a whole number of seats from 0 to 1,000,000, or empty for unlimited",
                ),
            ))
    })
}

#[derive(Debug, Clone, Default)]
pub struct QuestionInput {
    pub key: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    /// Choices, one per line.
    pub options: String,
}

fn question_of(row: &QuestionRow) -> Question {
    Question {
        key: row.key.clone(),
        label: row.label.clone(),
        kind: row.kind,
        required: row.required,
        options: row.options.clone(),
    }
}

// ------------------------------------------------------------------ registering

/// What a person submits.
#[derive(Debug, Clone, Default)]
pub struct RegistrationInput {
    pub category_id: String,
    pub email: String,
    pub family_name: String,
    pub given_name: String,
    pub organization: String,
    pub country: String,
    /// The answers to the event's questions, by key (several values for multiple
    /// choices).
    pub answers: BTreeMap<String, Vec<String>>,
    /// Consent to appear on the public participant list.
    pub listed: bool,
}

/// The outcome of `register`.
#[derive(Debug, Clone)]
pub struct Registered {
    pub registration: Registration,
    /// The secret of the management link; `None` when this was a repeated submission
    /// of an existing registration (the link was e-mailed the first time).
    pub manage_token: Option<String>,
    /// Place on the waiting list (1 = next), when waiting.
    pub waitlist_position: Option<i64>,
    /// `false` when the same person had registered already: nothing changed.
    pub created: bool,
}

struct Checked {
    category: Category,
    email: Email,
    name: PersonName,
    organization: String,
    country: Option<Country>,
    answers: String,
}

fn answers_json(answers: &BTreeMap<String, Vec<String>>) -> String {
    serde_json::to_string(answers).unwrap_or_else(|_| "{}".into())
}

/// The answers stored with a registration.
pub fn stored_answers(r: &Registration) -> BTreeMap<String, Vec<String>> {
    serde_json::from_str(&r.answers).unwrap_or_default()
}

fn check_registration(
    tx: &mut Tx<'_>,
    event: &Event,
    input: &RegistrationInput,
    fixed_category: Option<i64>,
) -> Result<Checked, AppError> {
    let mut errors = Errors::default();
    let categories = store::categories(tx, event.id)?;
    let wanted = fixed_category.map(|c| c.to_string());
    let raw_category = wanted.as_deref().unwrap_or(&input.category_id);
    let category = if categories.len() == 1 && raw_category.trim().is_empty() {
        categories.first().cloned()
    } else {
        errors.take(
            raw_category
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|id| categories.iter().find(|c| c.id == id).cloned())
                .ok_or(FieldError::new(
                    "category_id",
                    if raw_category.trim().is_empty() {
                        Problem::Required
                    } else {
                        Problem::Unknown("category of this event")
                    },
                )),
        )
    };
    let email = errors.take(Email::parse("email", &input.email));
    let name = errors.take_all(PersonName::parse(&input.family_name, &input.given_name));
    let organization = errors.take(optional(&input.organization, |v| {
        parse_title("organization", v, MAX_ORGANIZATION)
    }));
    let country = errors.take(optional(&input.country, |v| Country::parse("country", v)));
    let questions: Vec<Question> = store::questions(tx, event.id)?
        .iter()
        .map(question_of)
        .collect();
    let answers = errors.take_all(
        check_answers(&questions, &input.answers)
            .map_err(|e| e.iter().map(AnswerError::field_error).collect()),
    );
    errors.finish()?;
    Ok(Checked {
        category: category.ok_or_else(missing)?,
        email: email.ok_or_else(missing)?,
        name: name.ok_or_else(missing)?,
        organization: organization.ok_or_else(missing)?.unwrap_or_default(),
        country: country.ok_or_else(missing)?,
        answers: answers_json(&answers.ok_or_else(missing)?),
    })
}

fn name_key(name: &PersonName) -> String {
    search_key(&format!(
        "{} {}",
        name.given().unwrap_or_default(),
        name.family().unwrap_or_default()
    ))
}

fn badge_code() -> String {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    bytes
        .iter()
        .map(|b| BADGE_ALPHABET[usize::from(*b) % BADGE_ALPHABET.len()] as char)
        .collect()
}

/// The answer to a repeated submission: the registration as it is, no new link.
fn repeated(tx: &mut Tx<'_>, existing: Registration) -> Result<Registered, AppError> {
    let waitlist_position = waiting_place(tx, &existing)?;
    Ok(Registered {
        registration: existing,
        manage_token: None,
        waitlist_position,
        created: false,
    })
}

/// Gives back the seat or waiting-list place `status` took.
fn undo_place(
    tx: &mut Tx<'_>,
    category_id: i64,
    status: RegistrationStatus,
) -> Result<(), AppError> {
    if status.holds_seat() {
        store::free_seat(tx, category_id)?;
    } else if status == RegistrationStatus::Waitlisted {
        store::leave_waitlist(tx, category_id)?;
    }
    Ok(())
}

/// A seat in the category if one is free, else a place on the waiting list.
fn seat_or_wait(tx: &mut Tx<'_>, category: &Category) -> Result<RegistrationStatus, AppError> {
    Ok(if store::take_seat(tx, category.id)? {
        RegistrationStatus::seated(category.needs_approval)
    } else {
        RegistrationStatus::Waitlisted
    })
}

/// Gives the waiting list's head the free seats of a category, in order, in this
/// transaction; returns who was promoted.
fn promote(
    tx: &mut Tx<'_>,
    app: &App,
    event: &Event,
    category_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Registration>, AppError> {
    let Some(category) = store::lock_category(tx, category_id)? else {
        return Ok(Vec::new());
    };
    let mut promoted = Vec::new();
    while let Some(next) = store::first_waitlisted(tx, category.id)? {
        if !store::take_seat(tx, category.id)? {
            break;
        }
        store::leave_waitlist(tx, category.id)?;
        let status = RegistrationStatus::seated(category.needs_approval);
        store::set_status(tx, next.id, status, "", now)?;
        let next = store::registration(tx, next.id)?.ok_or(AppError::NotFound)?;
        let mail = Mail {
            event,
            category: &category,
            manage_token: None,
            position: None,
        };
        notify(tx, app, &mail, &next, Notice::Promoted, now)?;
        promoted.push(next);
    }
    Ok(promoted)
}

/// Frees a registration's seat (and promotes from the waiting list) or its place on the
/// waiting list.
fn release(
    tx: &mut Tx<'_>,
    app: &App,
    event: &Event,
    r: &Registration,
    now: DateTime<Utc>,
) -> Result<Vec<Registration>, AppError> {
    if r.status.holds_seat() {
        store::free_seat(tx, r.category_id)?;
        promote(tx, app, event, r.category_id, now)
    } else {
        if r.status == RegistrationStatus::Waitlisted {
            store::leave_waitlist(tx, r.category_id)?;
        }
        Ok(Vec::new())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    Received,
    /// A new link, asked for by someone who lost theirs.
    NewLink,
    Promoted,
    Approved,
    Rejected,
    Cancelled,
}

/// The e-mail that tells a registrant where they stand, written to the outbox in the
/// same transaction (templates editable by the secretariat: see `mail`). A confirmed
/// place comes with the event as an iCalendar attachment.
/// What a notice is about, besides the registration.
struct Mail<'a> {
    event: &'a Event,
    category: &'a Category,
    /// The secret link, when it was just issued.
    manage_token: Option<&'a str>,
    /// The place on the waiting list, when just joined.
    position: Option<i64>,
}

fn notify(
    tx: &mut Tx<'_>,
    app: &App,
    mail: &Mail<'_>,
    r: &Registration,
    notice: Notice,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (event, category) = (mail.event, mail.category);
    let kind = match (notice, r.status) {
        (Notice::NewLink, _) => "registration_link",
        (Notice::Rejected, _) => "registration_rejected",
        (Notice::Cancelled, _) => "registration_cancelled",
        (_, RegistrationStatus::Waitlisted) => "registration_waitlisted",
        (_, RegistrationStatus::Pending) => "registration_pending",
        (Notice::Promoted, _) => "registration_promoted",
        (Notice::Received | Notice::Approved, _) => "registration_confirmed",
    };
    let base = app.config().base_url.trim_end_matches('/').to_owned();
    // The secret link is only known when it is issued; later mails point to the event.
    let link = match mail.manage_token {
        Some(t) => format!("{base}/registrations/{t}"),
        None => format!("{base}/events/{}", event.id),
    };
    let mut values = vec![
        ("name", display_name(r)),
        ("event", event.title.clone()),
        ("dates", event_dates(event)?),
        ("venue", event.venue.clone()),
        ("category", category.name.clone()),
        ("mode", category.mode.label().to_owned()),
        ("link", link),
    ];
    match kind {
        "registration_waitlisted" => {
            let position = match mail.position {
                Some(p) => p,
                None => store::waitlist_position(tx, r)?,
            };
            values.push(("position", position.to_string()));
        }
        "registration_rejected" | "registration_cancelled" => {
            values.push(("reason", r.reason.clone()));
        }
        "registration_confirmed" | "registration_promoted" => {
            values.push(("join", crate::remote::join_line(tx, r, category)?));
        }
        _ => {}
    }
    let attachments = if r.status == RegistrationStatus::Confirmed {
        // The event's own join link, for those entitled to it.
        let join = if crate::remote::registration_may_join(r, category) {
            plenary_store::programme::event_links(tx, event.id)?.0
        } else {
            None
        };
        vec![calendar_attachment(app, event, join, now)?]
    } else {
        Vec::new()
    };
    crate::mail::enqueue_templated(tx, kind, &r.email, &values, &attachments, now)?;
    Ok(())
}

/// Saves new details of a registration, checked as at registration; the address and the
/// category stay.
fn change_details(
    tx: &mut Tx<'_>,
    r: Registration,
    input: &RegistrationInput,
    now: DateTime<Utc>,
) -> Result<RegistrationView, AppError> {
    let event = event_in(tx, r.event_id)?;
    require_changeable(&event, &r, now)?;
    let mut same = input.clone();
    same.email = r.email.clone();
    let c = check_registration(tx, &event, &same, Some(r.category_id))?;
    let key = name_key(&c.name);
    store::update_details(
        tx,
        r.id,
        &Details {
            family_name: c.name.family().unwrap_or_default(),
            given_name: c.name.given().unwrap_or_default(),
            name_key: &key,
            organization: &c.organization,
            country: c.country.map(|c| c.code()),
            answers: &c.answers,
            listed: input.listed,
        },
        now,
    )?;
    let r = store::registration(tx, r.id)?.ok_or(AppError::NotFound)?;
    view_of(tx, r, now)
}

pub(crate) fn display_name(r: &Registration) -> String {
    [r.given_name.as_str(), r.family_name.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The event's stored IANA zone.
pub(crate) fn event_zone(event: &Event) -> Result<Zone, AppError> {
    Zone::parse("time_zone", &event.time_zone)
        .map_err(|_| AppError::Internal(format!("stored zone {:?} unknown", event.time_zone)))
}

/// `22–26 June 2026 (Africa/Nairobi)`: the event's days in its own zone.
pub(crate) fn event_dates(event: &Event) -> Result<String, AppError> {
    let zone = event_zone(event)?;
    let first = event.starts_at.with_timezone(&zone.tz()).date_naive();
    let last = event.ends_at.with_timezone(&zone.tz()).date_naive();
    let dates = if first == last {
        first.format("%-d %B %Y").to_string()
    } else {
        format!("{} – {}", first.format("%-d %B"), last.format("%-d %B %Y"))
    };
    Ok(format!("{dates} ({})", zone.name()))
}

fn calendar_attachment(
    app: &App,
    event: &Event,
    join_url: Option<String>,
    now: DateTime<Utc>,
) -> Result<crate::mail::Attachment, AppError> {
    let base = app.config().base_url.trim_end_matches('/');
    let host = base.rsplit("//").next().unwrap_or(base);
    let zone = event_zone(event)?;
    let events = [plenary_domain::ical::Event {
        uid: format!("event-{}@{host}", event.id),
        summary: event.title.clone(),
        description: None,
        location: Some(event.venue.clone()).filter(|v| !v.is_empty()),
        url: Some(format!("{base}/events/{}", event.id)),
        conference: join_url,
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        zone,
        last_modified: now,
        sequence: 0,
        cancelled: false,
    }];
    let ics = plenary_domain::ical::Calendar {
        name: &event.title,
        events: &events,
    }
    .render(now);
    Ok(crate::mail::Attachment {
        file_name: "event.ics".into(),
        content_type: "text/calendar; charset=utf-8".into(),
        data: ics.into_bytes(),
    })
}

/// A registration seen through its management link or by its owner.
#[derive(Debug, Clone)]
pub struct RegistrationView {
    pub event: EventView,
    pub registration: Registration,
    pub category: Category,
    pub waitlist_position: Option<i64>,
    pub answers: BTreeMap<String, Vec<String>>,
    /// Whether the registrant may still change or cancel it.
    pub changeable: bool,
    /// The links to join online, when the registration entitles to them (confirmed,
    /// online): see [`crate::remote`].
    pub join_links: Vec<crate::remote::JoinLink>,
}

/// Filters of the secretariat's list, as typed.
#[derive(Debug, Clone, Default)]
pub struct RegistrationQuery {
    pub search: String,
    pub status: String,
    pub category_id: String,
    /// 1-based.
    pub page: i64,
}

/// A page of the secretariat's list.
#[derive(Debug, Clone)]
pub struct RegistrationPage {
    pub registrations: Vec<Registration>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub counts: Vec<(RegistrationStatus, i64)>,
}

/// The outcome of scanning a badge.
#[derive(Debug, Clone)]
pub struct CheckIn {
    pub registration: Registration,
    pub event: Event,
    /// When the badge was first scanned.
    pub first_at: DateTime<Utc>,
    /// Scanned before: this scan changed nothing.
    pub again: bool,
}

/// A line of the public participant list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub family_name: String,
    pub given_name: String,
    pub organization: String,
    pub country: Option<String>,
}

impl App {
    // -------------------------------------------------------------- set-up

    /// Creates or changes an event (secretariat).
    pub fn save_event(
        &self,
        caller: &Caller,
        id: Option<i64>,
        input: &EventInput,
    ) -> Result<Event, AppError> {
        require_manager(caller)?;
        let v = event_values(input)?;
        let now = self.now();
        self.db().write(|tx| {
            let fields = EventFields {
                title: &v.title,
                venue: &v.venue,
                time_zone: v.zone.name(),
                starts_at: v.starts_at,
                ends_at: v.ends_at,
                registration_opens_at: v.opens,
                registration_closes_at: v.closes,
                changes_until: v.changes_until,
                public_list: input.public_list,
                visa_letters: input.visa_letters,
                visa_retention_days: v.visa_retention_days,
            };
            let id = match id {
                Some(id) => {
                    if !store::update_event(tx, id, &fields)? {
                        return Err(AppError::NotFound);
                    }
                    id
                }
                None => store::insert_event(tx, &fields, now)?,
            };
            Change::new("event.save", "event", id)
                .detail(json!({ "title": v.title }))
                .record(tx, caller, now)?;
            event_in(tx, id)
        })
    }

    /// Every event (public).
    pub fn events(&self) -> Result<Vec<Event>, AppError> {
        Ok(self.db().read(store::events)?)
    }

    /// An event with its categories and questions (public).
    pub fn event(&self, id: i64) -> Result<EventView, AppError> {
        self.db().read(|tx| event_view(tx, id))
    }

    /// Adds or changes a category; raising its capacity promotes from the waiting list.
    pub fn save_category(
        &self,
        caller: &Caller,
        event_id: i64,
        id: Option<i64>,
        input: &CategoryInput,
    ) -> Result<Category, AppError> {
        require_manager(caller)?;
        let mut errors = Errors::default();
        let name = errors.take(parse_title("name", &input.name, 100));
        let mode = errors.take(ParticipationMode::parse_field("mode", &input.mode));
        let capacity = errors.take(parse_capacity(&input.capacity));
        errors.finish()?;
        let (name, mode, capacity) = (
            name.ok_or_else(missing)?,
            mode.ok_or_else(missing)?,
            capacity.ok_or_else(missing)?,
        );
        let now = self.now();
        self.db().write(|tx| {
            let event = event_in(tx, event_id)?;
            let fields = CategoryFields {
                name: &name,
                mode,
                capacity,
                needs_approval: input.needs_approval,
            };
            let id = match id {
                Some(id) => {
                    let current = store::lock_category(tx, id)?
                        .filter(|c| c.event_id == event_id)
                        .ok_or(AppError::NotFound)?;
                    store::update_category(tx, current.id, &fields).map_err(|e| {
                        conflict_as(e, "name", "a category of this event already has this name")
                    })?;
                    promote(tx, self, &event, current.id, now)?;
                    id
                }
                None => store::insert_category(tx, event_id, &fields).map_err(|e| {
                    conflict_as(e, "name", "a category of this event already has this name")
                })?,
            };
            Change::new("registration_category.save", "event", event_id)
                .detail(json!({ "category": id, "name": name, "capacity": capacity }))
                .record(tx, caller, now)?;
            store::categories(tx, event_id)?
                .into_iter()
                .find(|c| c.id == id)
                .ok_or(AppError::NotFound)
        })
    }

    /// Adds a question to the event's registration form.
    pub fn add_question(
        &self,
        caller: &Caller,
        event_id: i64,
        input: &QuestionInput,
    ) -> Result<QuestionRow, AppError> {
        require_manager(caller)?;
        let mut errors = Errors::default();
        let key = errors.take(parse_key(&input.key));
        let label = errors.take(parse_title("label", &input.label, 200));
        let kind = errors.take(FieldKind::parse_field("kind", &input.kind));
        let options: Vec<String> = input
            .options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if matches!(kind, Some(FieldKind::Choice | FieldKind::MultiChoice)) && options.len() < 2 {
            errors.0.push(FieldError::new(
                "options",
                Problem::Invalid("a choice needs at least two options, one per line"),
            ));
        }
        errors.finish()?;
        let (key, label, kind) = (
            key.ok_or_else(missing)?,
            label.ok_or_else(missing)?,
            kind.ok_or_else(missing)?,
        );
        let now = self.now();
        self.db().write(|tx| {
            event_in(tx, event_id)?;
            let fields = QuestionFields {
                key: &key,
                label: &label,
                kind,
                required: input.required,
                options: &options,
            };
            let id = store::insert_question(tx, event_id, &fields).map_err(|e| {
                conflict_as(e, "key", "the form already has a question with this key")
            })?;
            Change::new("registration_question.add", "event", event_id)
                .detail(json!({ "key": key, "kind": kind.as_str() }))
                .record(tx, caller, now)?;
            store::questions(tx, event_id)?
                .into_iter()
                .find(|q| q.id == id)
                .ok_or(AppError::NotFound)
        })
    }

    /// Removes a question (the answers already given stay with the registrations).
    pub fn delete_question(
        &self,
        caller: &Caller,
        event_id: i64,
        question_id: i64,
    ) -> Result<(), AppError> {
        require_manager(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let belongs = store::questions(tx, event_id)?
                .iter()
                .any(|q| q.id == question_id);
            if !belongs || !store::delete_question(tx, question_id)? {
                return Err(AppError::NotFound);
            }
            Change::new("registration_question.delete", "event", event_id)
                .detail(json!({ "question": question_id }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    // -------------------------------------------------------------- registering

    /// Registers a person for an event: a seat if one is free (confirmed, or pending
    /// when the category needs approval), else the waiting list. The same e-mail
    /// address submitted again gives back the existing registration unchanged.
    pub fn register(
        &self,
        caller: &Caller,
        event_id: i64,
        input: &RegistrationInput,
    ) -> Result<Registered, AppError> {
        self.submit_registration(caller.clone(), event_id, input.clone())
            .wait()
    }

    /// Someone who registered for an event and lost the link asks for it again by their
    /// e-mail address: if the address has a registration (not cancelled), a new link is
    /// issued (the earlier one stops working) and e-mailed to the address. The answer is
    /// the same whether or not the address is registered, so that it tells nobody who
    /// registered; the asking counts against the address's registration limit.
    pub fn resend_registration_link(
        &self,
        caller: &Caller,
        event_id: i64,
        email: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.registration_limit()
            .check(caller.client_ip.as_deref(), now)
            .map_err(|retry_after| AppError::RateLimited { retry_after })?;
        let email = Email::parse("email", email).map_err(AppError::from)?;
        let email_key = email.as_str().to_lowercase();
        self.db().write(|tx| {
            let event = event_in(tx, event_id)?;
            let Some(r) = store::by_email_key(tx, event.id, &email_key)?
                .filter(|r| r.status != RegistrationStatus::Cancelled)
            else {
                return Ok(());
            };
            let token = random_hex(32);
            store::set_manage_token(tx, r.id, &token_hash(&token))?;
            let category = category_of(tx, &r)?;
            let mail = Mail {
                event: &event,
                category: &category,
                manage_token: Some(&token),
                position: None,
            };
            notify(tx, self, &mail, &r, Notice::NewLink, now)
        })
    }

    /// [`App::register`] for an async caller: the registration is handed to the
    /// database's writer (see [`plenary_store::Db::submit_write`]) and answered once it
    /// is durable, without a thread waiting for it on SQLite.
    pub fn submit_registration(
        &self,
        caller: Caller,
        event_id: i64,
        input: RegistrationInput,
    ) -> Submitted<Result<Registered, AppError>> {
        let now = self.now();
        if let Err(retry_after) = self
            .registration_limit()
            .check(caller.client_ip.as_deref(), now)
        {
            return Submitted::Done(Err(AppError::RateLimited { retry_after }));
        }
        let app = self.clone();
        self.db().submit_write(move |tx| {
            let (caller, input) = (&caller, &input);
            let event = event_in(tx, event_id)?;
            if now < event.registration_opens_at {
                return Err(AppError::Refused(
                    "registration for this event has not opened yet",
                ));
            }
            if now >= event.registration_closes_at {
                return Err(AppError::Refused("registration for this event is closed"));
            }
            let c = check_registration(tx, &event, input, None)?;
            let email_key = c.email.as_str().to_lowercase();
            let earlier = store::by_email_key(tx, event.id, &email_key)?;
            if let Some(existing) = earlier
                .as_ref()
                .filter(|e| e.status != RegistrationStatus::Cancelled)
            {
                return repeated(tx, existing.clone());
            }
            let status = seat_or_wait(tx, &c.category)?;
            // A new place on the waiting list is the last one: its number is the count.
            let position = match status {
                RegistrationStatus::Waitlisted => Some(store::join_waitlist(tx, c.category.id)?),
                _ => None,
            };
            let token = random_hex(32);
            let key = name_key(&c.name);
            let details = Details {
                family_name: c.name.family().unwrap_or_default(),
                given_name: c.name.given().unwrap_or_default(),
                name_key: &key,
                organization: &c.organization,
                country: c.country.map(|c| c.code()),
                answers: &c.answers,
                listed: input.listed,
            };
            let registration = match earlier {
                // Cancelled before: registers again, at the end of the queue.
                Some(cancelled) => {
                    store::renew(tx, cancelled.id, c.category.id, status, &details, now)?;
                    store::set_manage_token(tx, cancelled.id, &token_hash(&token))?;
                    store::registration(tx, cancelled.id)?.ok_or(AppError::NotFound)?
                }
                None => {
                    let new = NewRegistration {
                        event_id: event.id,
                        category_id: c.category.id,
                        user_id: caller.principal.user_id().map(|u| u.0),
                        email: c.email.as_str(),
                        email_key: &email_key,
                        family_name: details.family_name,
                        given_name: details.given_name,
                        name_key: &key,
                        organization: &c.organization,
                        country: details.country,
                        status,
                        answers: &c.answers,
                        listed: input.listed,
                        badge_code: &badge_code(),
                        manage_token_hash: &token_hash(&token),
                    };
                    match store::insert_registration(tx, &new, now)? {
                        Some(r) => r,
                        None => {
                            // The same address registered in a racing transaction: give
                            // the place back and answer as for a repeated submission.
                            undo_place(tx, c.category.id, status)?;
                            let existing = store::by_email_key(tx, event.id, &email_key)?
                                .ok_or(AppError::NotFound)?;
                            return repeated(tx, existing);
                        }
                    }
                }
            };
            let notice = Notice::Received;
            let mail = Mail {
                event: &event,
                category: &c.category,
                manage_token: Some(&token),
                position,
            };
            notify(tx, &app, &mail, &registration, notice, now)?;
            Ok(Registered {
                registration,
                manage_token: Some(token),
                waitlist_position: position,
                created: true,
            })
        })
    }

    /// A registration through its management link.
    pub fn registration_by_token(&self, token: &str) -> Result<RegistrationView, AppError> {
        let now = self.now();
        self.db().read(|tx| {
            let r = store::by_manage_token(tx, &token_hash(token))?.ok_or(AppError::LinkInvalid)?;
            view_of(tx, r, now)
        })
    }

    /// The registrations of the signed-in account.
    pub fn my_registrations(&self, caller: &Caller) -> Result<Vec<RegistrationView>, AppError> {
        let user = require_account(caller)?;
        let now = self.now();
        self.db().read(|tx| {
            store::of_user(tx, user.0)?
                .into_iter()
                .map(|r| view_of(tx, r, now))
                .collect()
        })
    }

    /// Changes the registrant's details and answers (through the management link), until
    /// the event's cut-off. The category and e-mail address stay.
    pub fn update_registration(
        &self,
        token: &str,
        input: &RegistrationInput,
    ) -> Result<RegistrationView, AppError> {
        let now = self.now();
        self.db().write(|tx| {
            let r = store::by_manage_token(tx, &token_hash(token))?.ok_or(AppError::LinkInvalid)?;
            change_details(tx, r, input, now)
        })
    }

    /// A registration of the signed-in account, as its management page shows it.
    pub fn my_registration(&self, caller: &Caller, id: i64) -> Result<RegistrationView, AppError> {
        let user = require_account(caller)?;
        let now = self.now();
        self.db().read(|tx| {
            let r = store::registration(tx, id)?
                .filter(|r| r.user_id == Some(user.0))
                .ok_or(AppError::NotFound)?;
            view_of(tx, r, now)
        })
    }

    /// Changes the details of a registration of the signed-in account, as its
    /// management link does (until the event's cut-off; the address stays).
    pub fn update_my_registration(
        &self,
        caller: &Caller,
        id: i64,
        input: &RegistrationInput,
    ) -> Result<RegistrationView, AppError> {
        let user = require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let r = store::registration(tx, id)?
                .filter(|r| r.user_id == Some(user.0))
                .ok_or(AppError::NotFound)?;
            change_details(tx, r, input, now)
        })
    }

    /// Cancels through the management link, until the cut-off; the seat goes to the
    /// waiting list's head.
    pub fn cancel_by_token(&self, token: &str) -> Result<RegistrationView, AppError> {
        let now = self.now();
        self.db().write(|tx| {
            let r = store::by_manage_token(tx, &token_hash(token))?.ok_or(AppError::LinkInvalid)?;
            let event = event_in(tx, r.event_id)?;
            require_changeable(&event, &r, now)?;
            cancel(tx, self, &event, &r, now)?;
            let r = store::registration(tx, r.id)?.ok_or(AppError::NotFound)?;
            view_of(tx, r, now)
        })
    }

    /// Cancels a registration: its owner (until the cut-off) or the secretariat.
    pub fn cancel_registration(&self, caller: &Caller, id: i64) -> Result<(), AppError> {
        let user = require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let r = store::registration(tx, id)?.ok_or(AppError::NotFound)?;
            let event = event_in(tx, r.event_id)?;
            let manager = can_manage(caller);
            if !manager {
                if r.user_id != Some(user.0) {
                    return Err(AppError::NotFound);
                }
                require_changeable(&event, &r, now)?;
            } else if matches!(
                r.status,
                RegistrationStatus::Cancelled | RegistrationStatus::Rejected
            ) {
                return Err(AppError::Refused("this registration is no longer active"));
            }
            cancel(tx, self, &event, &r, now)?;
            if manager {
                Change::new("registration.cancel", "registration", id).record(tx, caller, now)?;
            }
            Ok(())
        })
    }

    // -------------------------------------------------------------- secretariat

    /// Approves a pending registration, or rejects a pending, confirmed or waiting one
    /// (with a reason, e-mailed); a rejected seat goes to the waiting list.
    pub fn moderate_registration(
        &self,
        caller: &Caller,
        id: i64,
        approve: bool,
        reason: &str,
    ) -> Result<Registration, AppError> {
        require_manager(caller)?;
        let reason = plenary_domain::people::parse_long_text("reason", reason, 1000)
            .map_err(|e| AppError::Invalid(vec![e]))?;
        let now = self.now();
        self.db().write(|tx| {
            let r = store::registration(tx, id)?.ok_or(AppError::NotFound)?;
            let event = event_in(tx, r.event_id)?;
            let (status, notice) = match (approve, r.status) {
                (true, RegistrationStatus::Pending) => {
                    (RegistrationStatus::Confirmed, Notice::Approved)
                }
                // Promoted by hand, ahead of the list's order (a speaker, a delegation's
                // head): a full category gets one more seat, so that the seats taken never
                // exceed the capacity shown.
                (true, RegistrationStatus::Waitlisted) => {
                    if !store::take_seat(tx, r.category_id)? {
                        store::add_seat(tx, r.category_id)?;
                        if !store::take_seat(tx, r.category_id)? {
                            return Err(AppError::Internal("no seat after adding one".into()));
                        }
                    }
                    store::leave_waitlist(tx, r.category_id)?;
                    (RegistrationStatus::Confirmed, Notice::Promoted)
                }
                (true, _) => {
                    return Err(AppError::Refused(
                        "only a registration awaiting approval or on the waiting list can be approved",
                    ));
                }
                (
                    false,
                    RegistrationStatus::Pending
                    | RegistrationStatus::Confirmed
                    | RegistrationStatus::Waitlisted,
                ) => (RegistrationStatus::Rejected, Notice::Rejected),
                (false, _) => {
                    return Err(AppError::Refused("this registration is no longer active"));
                }
            };
            store::set_status(tx, r.id, status, &reason, now)?;
            if status == RegistrationStatus::Rejected {
                release(tx, self, &event, &r, now)?;
            }
            let updated = store::registration(tx, r.id)?.ok_or(AppError::NotFound)?;
            let category = category_of(tx, &updated)?;
            let mail = Mail {
                event: &event,
                category: &category,
                manage_token: None,
                position: None,
            };
            notify(tx, self, &mail, &updated, notice, now)?;
            Change::new(
                match (approve, r.status) {
                    (true, RegistrationStatus::Waitlisted) => "registration.promote",
                    (true, _) => "registration.approve",
                    (false, _) => "registration.reject",
                },
                "registration",
                id,
            )
            .detail(json!({ "reason": reason }))
            .record(tx, caller, now)?;
            Ok(updated)
        })
    }

    /// One page of an event's registrations, searchable by name or e-mail.
    pub fn registrations(
        &self,
        caller: &Caller,
        event_id: i64,
        query: &RegistrationQuery,
    ) -> Result<RegistrationPage, AppError> {
        require_manager(caller)?;
        let filters = filters::Filters::parse(query)?;
        let page = query.page.max(1);
        self.db().read(|tx| {
            event_in(tx, event_id)?;
            let filter = filters.as_store();
            let (registrations, total) =
                store::list(tx, event_id, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE)?;
            Ok(RegistrationPage {
                registrations,
                total,
                page,
                pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
                counts: store::status_counts(tx, event_id)?,
            })
        })
    }

    /// One registration (secretariat).
    pub fn registration(&self, caller: &Caller, id: i64) -> Result<RegistrationView, AppError> {
        require_manager(caller)?;
        let now = self.now();
        self.db().read(|tx| {
            let r = store::registration(tx, id)?.ok_or(AppError::NotFound)?;
            view_of(tx, r, now)
        })
    }

    /// Checks a participant in by their badge code. Scanning twice is harmless: the
    /// second scan changes nothing and says when the first was.
    pub fn check_in(&self, caller: &Caller, code: &str) -> Result<CheckIn, AppError> {
        require_manager(caller)?;
        let code = crate::badge::parse_code(code)?;
        let now = self.now();
        self.db().write(|tx| {
            let r = crate::badge::by_code(tx, &code)?;
            if r.status != RegistrationStatus::Confirmed {
                return Err(AppError::Refused(
                    "this registration is not confirmed: no check-in",
                ));
            }
            let event = event_in(tx, r.event_id)?;
            let again = r.checked_in_at.is_some();
            let first_at = store::check_in(tx, r.id, &caller.label, now)?;
            if !again {
                Change::new("registration.check_in", "registration", r.id)
                    .record(tx, caller, now)?;
            }
            let registration = store::registration(tx, r.id)?.ok_or(AppError::NotFound)?;
            Ok(CheckIn {
                registration,
                event,
                first_at,
                again,
            })
        })
    }

    /// The confirmed participants who agreed to be listed (public, when the event
    /// publishes its list).
    pub fn public_participants(&self, event_id: i64) -> Result<Vec<Listed>, AppError> {
        self.db().read(|tx| {
            let event = event_in(tx, event_id)?;
            if !event.public_list {
                return Err(AppError::NotFound);
            }
            Ok(store::public_list(tx, event_id)?
                .into_iter()
                .map(|r| Listed {
                    family_name: r.family_name,
                    given_name: r.given_name,
                    organization: r.organization,
                    country: r.country,
                })
                .collect())
        })
    }
}

fn event_view(tx: &mut Tx<'_>, id: i64) -> Result<EventView, AppError> {
    let event = event_in(tx, id)?;
    Ok(EventView {
        categories: store::categories(tx, id)?,
        questions: store::questions(tx, id)?,
        event,
    })
}

fn waiting_place(tx: &mut Tx<'_>, r: &Registration) -> Result<Option<i64>, AppError> {
    Ok(if r.status == RegistrationStatus::Waitlisted {
        Some(store::waitlist_position(tx, r)?)
    } else {
        None
    })
}

fn view_of(
    tx: &mut Tx<'_>,
    r: Registration,
    now: DateTime<Utc>,
) -> Result<RegistrationView, AppError> {
    let event = event_view(tx, r.event_id)?;
    let category = event
        .categories
        .iter()
        .find(|c| c.id == r.category_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let changeable = now < event.event.changes_until
        && !matches!(
            r.status,
            RegistrationStatus::Cancelled | RegistrationStatus::Rejected
        );
    let join_links = if crate::remote::registration_may_join(&r, &category) {
        crate::remote::join_links(tx, r.event_id)?
    } else {
        Vec::new()
    };
    Ok(RegistrationView {
        join_links,
        waitlist_position: waiting_place(tx, &r)?,
        answers: stored_answers(&r),
        event,
        category,
        changeable,
        registration: r,
    })
}

fn require_changeable(event: &Event, r: &Registration, now: DateTime<Utc>) -> Result<(), AppError> {
    if now >= event.changes_until {
        return Err(AppError::Refused(
            "the deadline for changing or cancelling has passed; write to the secretariat",
        ));
    }
    if matches!(
        r.status,
        RegistrationStatus::Cancelled | RegistrationStatus::Rejected
    ) {
        return Err(AppError::Refused("this registration is no longer active"));
    }
    Ok(())
}

fn cancel(
    tx: &mut Tx<'_>,
    app: &App,
    event: &Event,
    r: &Registration,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::set_status(tx, r.id, RegistrationStatus::Cancelled, "", now)?;
    let cancelled = store::registration(tx, r.id)?.ok_or(AppError::NotFound)?;
    let category = category_of(tx, &cancelled)?;
    let mail = Mail {
        event,
        category: &category,
        manage_token: None,
        position: None,
    };
    notify(tx, app, &mail, &cancelled, Notice::Cancelled, now)?;
    release(tx, app, event, r, now)?;
    Ok(())
}

pub(crate) fn category_of(tx: &mut Tx<'_>, r: &Registration) -> Result<Category, AppError> {
    store::categories(tx, r.event_id)?
        .into_iter()
        .find(|c| c.id == r.category_id)
        .ok_or(AppError::NotFound)
}

fn conflict_as(e: plenary_store::StoreError, field: &'static str, why: &'static str) -> AppError {
    match e {
        plenary_store::StoreError::Conflict(_) => AppError::field(field, Problem::Invalid(why)),
        other => other.into(),
    }
}
