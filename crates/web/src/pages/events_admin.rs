//! The secretariat's registration pages: events with their categories and form
//! questions, the registrations of an event (search, filters, pages), one registration
//! with its moderation, and the check-in desk.

use super::DoneQuery;
use super::registration::{
    answer_rows, at_text, country_name, full_name, seats_text, when_text, zone_of,
};
use super::{Empty, ShownError, shown, utc, with_status};
use crate::AppState;
use crate::error::{PageError, form_urlencode, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use plenary_app::registration::{
    CategoryInput, EventInput, QuestionInput, RegistrationQuery, RegistrationView,
};
use plenary_app::remote::EventLinksInput;
use plenary_app::{AppError, BadgeHolder, Event, Registration};
use plenary_domain::registration::{FieldKind, ParticipationMode, RegistrationStatus};
use plenary_domain::time::label;
use plenary_domain::{Permission, Scope};
use serde::Deserialize;

/// Pages with no use case of their own to check access (the list of events, the
/// check-in form) check the permission here; everything they do goes through use
/// cases that check it again.
pub(crate) fn require_manager(visitor: &Visitor) -> Result<(), PageError> {
    visitor.require_user()?;
    if visitor
        .caller()
        .principal
        .can(Permission::ManageRegistrations, Scope::Global)
    {
        Ok(())
    } else {
        Err(PageError::App(AppError::Forbidden))
    }
}

/// An HTML `datetime-local` value in the event's zone.
fn local_value(at: DateTime<Utc>, event: &Event) -> String {
    label(at, zone_of(event))
        .local
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn is_yes(raw: &str) -> bool {
    matches!(raw, "yes" | "on" | "true" | "1")
}

// ------------------------------------------------------------------ events

#[derive(Deserialize, Default, Clone)]
pub struct EventForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    registration_opens_at: String,
    #[serde(default)]
    registration_closes_at: String,
    #[serde(default)]
    changes_until: String,
    #[serde(default)]
    public_list: String,
    #[serde(default)]
    visa_letters: String,
    #[serde(default)]
    visa_retention_days: String,
}

impl EventForm {
    fn of(e: &Event) -> EventForm {
        EventForm {
            title: e.title.clone(),
            venue: e.venue.clone(),
            time_zone: e.time_zone.clone(),
            starts_at: local_value(e.starts_at, e),
            ends_at: local_value(e.ends_at, e),
            registration_opens_at: local_value(e.registration_opens_at, e),
            registration_closes_at: local_value(e.registration_closes_at, e),
            changes_until: local_value(e.changes_until, e),
            public_list: yes_if(e.public_list),
            visa_letters: yes_if(e.visa_letters),
            visa_retention_days: e.visa_retention_days.to_string(),
        }
    }

    fn input(&self) -> EventInput {
        EventInput {
            title: self.title.clone(),
            venue: self.venue.clone(),
            time_zone: self.time_zone.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            registration_opens_at: self.registration_opens_at.clone(),
            registration_closes_at: self.registration_closes_at.clone(),
            changes_until: self.changes_until.clone(),
            public_list: is_yes(&self.public_list),
            visa_letters: is_yes(&self.visa_letters),
            visa_retention_days: self.visa_retention_days.clone(),
        }
    }
}

fn yes_if(on: bool) -> String {
    if on { "yes".into() } else { String::new() }
}

struct EventRow {
    id: i64,
    title: String,
    when: String,
}

#[derive(Template)]
#[template(path = "admin_events.html")]
struct EventsPage {
    chrome: Chrome,
    events: Vec<EventRow>,
    event_form: EventForm,
    event_errors: Vec<ShownError>,
}

async fn events_page(
    state: &AppState,
    visitor: &Visitor,
    form: EventForm,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    require_manager(visitor)?;
    let events = state.run(|app| app.events()).await?;
    Ok(render(&EventsPage {
        chrome: visitor.chrome(&state.app),
        events: events
            .iter()
            .map(|e| EventRow {
                id: e.id,
                title: e.title.clone(),
                when: when_text(e),
            })
            .collect(),
        event_form: form,
        event_errors: errors,
    }))
}

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let form = EventForm {
        public_list: "yes".into(),
        visa_retention_days: plenary_domain::visa::DEFAULT_RETENTION_DAYS.to_string(),
        ..Default::default()
    };
    events_page(&state, &visitor, form, vec![]).await
}

pub async fn create(
    State(state): State<AppState>,
    submitted: CsrfForm<EventForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| app.save_event(&caller, None, &input))
        .await
    {
        Ok(event) => {
            Ok(Redirect::to(&format!("/admin/events/{}?done=created", event.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(with_status(
            events_page(&state, &visitor, form, shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

// ------------------------------------------------------------------ one event

#[derive(Deserialize, Default, Clone)]
pub struct CategoryForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    needs_approval: String,
}

impl CategoryForm {
    fn input(&self) -> CategoryInput {
        CategoryInput {
            name: self.name.clone(),
            mode: self.mode.clone(),
            capacity: self.capacity.clone(),
            needs_approval: is_yes(&self.needs_approval),
        }
    }
}

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
}

struct CategoryRow {
    id: i64,
    /// Starts the ids of the row's fields and messages (`c3-`).
    prefix: String,
    form: CategoryForm,
    taken: i64,
    seats: String,
    errors: Vec<ShownError>,
}

struct QuestionLine {
    id: i64,
    key: String,
    label: String,
    kind: &'static str,
    required: bool,
    options: String,
}

#[derive(Template)]
#[template(path = "admin_event.html")]
struct EventPage {
    chrome: Chrome,
    id: i64,
    title: String,
    when: String,
    notice: Option<&'static str>,
    total: i64,
    visa_letters: bool,
    counts: Vec<(&'static str, &'static str, i64)>,
    event_form: EventForm,
    event_errors: Vec<ShownError>,
    categories: Vec<CategoryRow>,
    category_form: CategoryForm,
    category_errors: Vec<ShownError>,
    questions: Vec<QuestionLine>,
    question_form: QuestionForm,
    question_errors: Vec<ShownError>,
    modes: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    links_form: LinksForm,
    links_errors: Vec<ShownError>,
}

/// The event's own links for remote participation, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct LinksForm {
    #[serde(default)]
    join_url: String,
    #[serde(default)]
    stream_url: String,
}

/// A form of the event page refused with its errors, shown again as typed.
enum Refused {
    None,
    Event(EventForm, Vec<ShownError>),
    NewCategory(CategoryForm, Vec<ShownError>),
    Category(i64, CategoryForm, Vec<ShownError>),
    Question(QuestionForm, Vec<ShownError>),
    Links(LinksForm, Vec<ShownError>),
}

fn event_notice(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("The event has been created. Add its categories and questions."),
        "saved" => Some("Saved."),
        "category" => Some("The category has been saved."),
        "question" => Some("The question has been added."),
        "deleted" => Some("The question has been deleted."),
        "links" => Some("The links for online participation have been saved."),
        _ => None,
    }
}

async fn event_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    notice: Option<&'static str>,
    refused: Refused,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    // The list of registrations is the secretariat's: it checks access.
    let (page, view, (join_url, stream_url)) = state
        .run(move |app| {
            let page = app.registrations(&caller, id, &RegistrationQuery::default())?;
            let links = app.event_links(&caller, id)?;
            Ok((page, app.event(id)?, links))
        })
        .await?;
    let event = &view.event;
    let mut page_view = EventPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: event.title.clone(),
        when: when_text(event),
        notice,
        total: page.total,
        visa_letters: event.visa_letters,
        counts: RegistrationStatus::ALL
            .iter()
            .map(|s| {
                let n = page
                    .counts
                    .iter()
                    .find(|(c, _)| c == s)
                    .map_or(0, |(_, n)| *n);
                (s.as_str(), s.label(), n)
            })
            .collect(),
        event_form: EventForm::of(event),
        event_errors: vec![],
        categories: view
            .categories
            .iter()
            .map(|c| CategoryRow {
                id: c.id,
                prefix: format!("c{}-", c.id),
                form: CategoryForm {
                    name: c.name.clone(),
                    mode: c.mode.as_str().to_owned(),
                    capacity: c.capacity.map(|n| n.to_string()).unwrap_or_default(),
                    needs_approval: if c.needs_approval {
                        "yes".into()
                    } else {
                        String::new()
                    },
                },
                taken: c.taken,
                seats: seats_text(c),
                errors: vec![],
            })
            .collect(),
        category_form: CategoryForm {
            mode: ParticipationMode::Onsite.as_str().into(),
            ..Default::default()
        },
        category_errors: vec![],
        questions: view
            .questions
            .iter()
            .map(|q| QuestionLine {
                id: q.id,
                key: q.key.clone(),
                label: q.label.clone(),
                kind: q.kind.label(),
                required: q.required,
                options: q.options.join(" · "),
            })
            .collect(),
        question_form: QuestionForm {
            kind: FieldKind::Text.as_str().into(),
            ..Default::default()
        },
        question_errors: vec![],
        modes: ParticipationMode::ALL
            .iter()
            .map(|m| (m.as_str(), m.label()))
            .collect(),
        kinds: FieldKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        links_form: LinksForm {
            join_url: join_url.unwrap_or_default(),
            stream_url: stream_url.unwrap_or_default(),
        },
        links_errors: vec![],
    };
    match refused {
        Refused::None => {}
        Refused::Event(form, errors) => {
            page_view.event_form = form;
            page_view.event_errors = errors;
        }
        Refused::NewCategory(form, errors) => {
            page_view.category_form = form;
            page_view.category_errors = errors;
        }
        Refused::Category(category, form, errors) => {
            if let Some(row) = page_view.categories.iter_mut().find(|r| r.id == category) {
                row.form = form;
                row.errors = errors;
            }
        }
        Refused::Question(form, errors) => {
            page_view.question_form = form;
            page_view.question_errors = errors;
        }
        Refused::Links(form, errors) => {
            page_view.links_form = form;
            page_view.links_errors = errors;
        }
    }
    Ok(render(&page_view))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    event_page(&state, &visitor, id, event_notice(&q.done), Refused::None).await
}

/// Shows the event page again with a refused form, or passes the error on.
async fn refused_or(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    error: AppError,
    refused: impl FnOnce(Vec<ShownError>) -> Refused,
) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(errors) => Ok(with_status(
            event_page(state, visitor, id, None, refused(shown(&errors))).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        other => Err(other.into()),
    }
}

fn back_to(id: i64, done: &str) -> Response {
    Redirect::to(&format!("/admin/events/{id}?done={done}")).into_response()
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<EventForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| app.save_event(&caller, Some(id), &input))
        .await
    {
        Ok(_) => Ok(back_to(id, "saved")),
        Err(e) => {
            refused_or(&state, &visitor, id, e, |errors| {
                Refused::Event(form, errors)
            })
            .await
        }
    }
}

/// POST /admin/events/{id}/links: the event's own links for online participation.
pub async fn save_links(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<LinksForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = EventLinksInput {
        join_url: form.join_url.clone(),
        stream_url: form.stream_url.clone(),
    };
    match state
        .run(move |app| app.set_event_links(&caller, id, &input))
        .await
    {
        Ok(_) => Ok(back_to(id, "links")),
        Err(e) => {
            refused_or(&state, &visitor, id, e, |errors| {
                Refused::Links(form, errors)
            })
            .await
        }
    }
}

pub async fn add_category(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<CategoryForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| app.save_category(&caller, id, None, &input))
        .await
    {
        Ok(_) => Ok(back_to(id, "category")),
        Err(e) => {
            refused_or(&state, &visitor, id, e, |errors| {
                Refused::NewCategory(form, errors)
            })
            .await
        }
    }
}

pub async fn update_category(
    State(state): State<AppState>,
    Path((id, category)): Path<(i64, i64)>,
    submitted: CsrfForm<CategoryForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| app.save_category(&caller, id, Some(category), &input))
        .await
    {
        Ok(_) => Ok(back_to(id, "category")),
        Err(e) => {
            refused_or(&state, &visitor, id, e, |errors| {
                Refused::Category(category, form, errors)
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
    let input = QuestionInput {
        key: form.key.clone(),
        label: form.label.clone(),
        kind: form.kind.clone(),
        required: is_yes(&form.required),
        options: form.options.clone(),
    };
    match state
        .run(move |app| app.add_question(&caller, id, &input))
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
        .run(move |app| app.delete_question(&caller, id, question))
        .await?;
    Ok(back_to(id, "deleted"))
}

// ------------------------------------------------------------------ registrations

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    category_id: String,
    #[serde(default)]
    page: String,
}

struct RegistrationRow {
    id: i64,
    name: String,
    email: String,
    organization: String,
    country: String,
    category: String,
    status: &'static str,
    created: String,
    checked_in: bool,
}

#[derive(Template)]
#[template(path = "admin_registrations.html")]
struct RegistrationsPage {
    chrome: Chrome,
    id: i64,
    title: String,
    search: String,
    status: String,
    category_id: String,
    statuses: Vec<(&'static str, &'static str)>,
    categories: Vec<(String, String)>,
    counts: Vec<(&'static str, &'static str, i64)>,
    all: i64,
    rows: Vec<RegistrationRow>,
    total: i64,
    page: i64,
    pages: i64,
    prev_page: Option<i64>,
    next_page: Option<i64>,
}

pub async fn registrations(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let query = RegistrationQuery {
        search: q.q.clone(),
        status: q.status.clone(),
        category_id: q.category_id.clone(),
        page: q.page.trim().parse().unwrap_or(1),
    };
    let (page, view) = state
        .run(move |app| Ok((app.registrations(&caller, id, &query)?, app.event(id)?)))
        .await?;
    let category_name = |cid: i64| {
        view.categories
            .iter()
            .find(|c| c.id == cid)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    Ok(render(&RegistrationsPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: view.event.title.clone(),
        search: q.q.clone(),
        status: q.status.clone(),
        category_id: q.category_id.clone(),
        statuses: RegistrationStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        categories: view
            .categories
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone()))
            .collect(),
        all: page.counts.iter().map(|(_, n)| n).sum(),
        counts: RegistrationStatus::ALL
            .iter()
            .map(|s| {
                let n = page
                    .counts
                    .iter()
                    .find(|(c, _)| c == s)
                    .map_or(0, |(_, n)| *n);
                (s.as_str(), s.label(), n)
            })
            .collect(),
        rows: page
            .registrations
            .iter()
            .map(|r| RegistrationRow {
                id: r.id,
                name: format!("{}, {}", r.family_name, r.given_name)
                    .trim_matches([',', ' '])
                    .to_owned(),
                email: r.email.clone(),
                organization: r.organization.clone(),
                country: r.country.as_deref().map(country_name).unwrap_or_default(),
                category: category_name(r.category_id),
                status: r.status.label(),
                created: utc(r.created_at),
                checked_in: r.checked_in_at.is_some(),
            })
            .collect(),
        total: page.total,
        page: page.page,
        pages: page.pages,
        prev_page: (page.page > 1).then(|| (page.page - 1).min(page.pages)),
        next_page: (page.page < page.pages).then(|| page.page + 1),
    }))
}

#[derive(Template)]
#[template(path = "admin_registration.html")]
struct RegistrationPage {
    chrome: Chrome,
    id: i64,
    event_id: i64,
    event_title: String,
    notice: Option<&'static str>,
    name: String,
    email: String,
    organization: String,
    country: String,
    category: String,
    status: &'static str,
    status_key: &'static str,
    reason: String,
    waitlist_position: Option<i64>,
    badge_code: String,
    checked_in: Option<String>,
    listed: bool,
    created: String,
    updated: String,
    answers: Vec<(String, String)>,
    can_approve: bool,
    can_promote: bool,
    can_reject: bool,
    can_cancel: bool,
    reason_form: String,
    errors: Vec<ShownError>,
}

fn registration_notice(done: &str) -> Option<&'static str> {
    match done {
        "approved" => {
            Some("The registration has been approved; the registrant was told by e-mail.")
        }
        "rejected" => {
            Some("The registration has been rejected; the registrant was told by e-mail.")
        }
        "cancelled" => {
            Some("The registration has been cancelled; the registrant was told by e-mail.")
        }
        _ => None,
    }
}

async fn registration_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    notice: Option<&'static str>,
    reason_form: String,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let view: RegistrationView = state.run(move |app| app.registration(&caller, id)).await?;
    let r = &view.registration;
    let event = &view.event.event;
    use RegistrationStatus::{Cancelled, Confirmed, Pending, Rejected, Waitlisted};
    Ok(render(&RegistrationPage {
        chrome: visitor.chrome(&state.app),
        id,
        event_id: event.id,
        event_title: event.title.clone(),
        notice,
        name: full_name(r),
        email: r.email.clone(),
        organization: r.organization.clone(),
        country: r.country.as_deref().map(country_name).unwrap_or_default(),
        category: view.category.name.clone(),
        status: r.status.label(),
        status_key: r.status.as_str(),
        reason: r.reason.clone(),
        waitlist_position: view.waitlist_position,
        badge_code: r.badge_code.clone(),
        checked_in: r.checked_in_at.map(|at| {
            format!(
                "{} by {}",
                at_text(at, event),
                r.checked_in_by.clone().unwrap_or_default()
            )
        }),
        listed: r.listed,
        created: utc(r.created_at),
        updated: utc(r.updated_at),
        answers: answer_rows(&view.event.questions, &view.answers),
        can_approve: r.status == Pending,
        can_promote: r.status == Waitlisted,
        can_reject: matches!(r.status, Pending | Confirmed | Waitlisted),
        can_cancel: !matches!(r.status, Cancelled | Rejected),
        reason_form,
        errors,
    }))
}

pub async fn registration(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    registration_page(
        &state,
        &visitor,
        id,
        registration_notice(&q.done),
        String::new(),
        vec![],
    )
    .await
}

pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    state
        .run(move |app| app.moderate_registration(&caller, id, true, ""))
        .await?;
    Ok(Redirect::to(&format!("/admin/registrations/{id}?done=approved")).into_response())
}

#[derive(Deserialize, Default)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

pub async fn reject(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ReasonForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let reason = form.reason.clone();
    match state
        .run(move |app| app.moderate_registration(&caller, id, false, &reason))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/registrations/{id}?done=rejected")).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(with_status(
            registration_page(&state, &visitor, id, None, form.reason, shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<super::confirm::DeleteForm>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    if !submitted.form.confirmed() {
        let view = state.run(move |app| app.registration(&caller, id)).await?;
        let question = cancel_question(&view);
        return Ok(super::confirm::ask(&state, &submitted.visitor, question));
    }
    let caller = submitted.visitor.caller();
    state
        .run(move |app| {
            // The secretariat's page: only those who may see the registration here
            // (its owner cancels from their account page or the management link).
            app.registration(&caller, id)?;
            app.cancel_registration(&caller, id)
        })
        .await?;
    Ok(Redirect::to(&format!("/admin/registrations/{id}?done=cancelled")).into_response())
}

/// What cancelling a registration by the secretariat does.
fn cancel_question(view: &plenary_app::registration::RegistrationView) -> super::confirm::Question {
    let r = &view.registration;
    let mut consequences = vec![format!(
        "{} is told by e-mail that the registration is cancelled",
        r.email
    )];
    if r.status.holds_seat() {
        consequences.push(format!(
            "the seat in “{}” is freed, for the first on its waiting list",
            view.category.name
        ));
    }
    super::confirm::Question {
        title: format!(
            "Cancel the registration of {} {} for {}?",
            r.given_name, r.family_name, view.event.event.title
        ),
        consequences,
        blocked: None,
        action: format!("/admin/registrations/{}/cancel", r.id),
        back: format!("/admin/registrations/{}", r.id),
        button: "Cancel the registration".to_owned(),
    }
}

// ------------------------------------------------------------------ check-in

#[derive(Deserialize, Default)]
pub struct CheckInForm {
    #[serde(default)]
    code: String,
}

/// Whose badge it is and where the check-in stands.
struct CheckInResult {
    name: String,
    organization: String,
    category: String,
    event: String,
    /// "ready" (scanned, not checked in yet), "checked" (just now) or "again" (checked
    /// in before: the time is the first scan's).
    state: &'static str,
    time: String,
    zone: String,
}

impl CheckInResult {
    fn of(
        r: &Registration,
        event: &Event,
        category: String,
        first_at: Option<DateTime<Utc>>,
        again: bool,
    ) -> CheckInResult {
        let (time, zone) = first_at
            .map(|at| {
                let l = label(at, zone_of(event));
                (
                    l.time_hm(),
                    format!("{}, UTC{}", l.abbreviation_or_offset(), l.offset),
                )
            })
            .unwrap_or_default();
        CheckInResult {
            name: full_name(r),
            organization: r.organization.clone(),
            category,
            event: event.title.clone(),
            state: match (first_at, again) {
                (None, _) => "ready",
                (Some(_), false) => "checked",
                (Some(_), true) => "again",
            },
            time,
            zone,
        }
    }
}

#[derive(Template)]
#[template(path = "check_in.html")]
struct CheckInPage {
    chrome: Chrome,
    result: Option<CheckInResult>,
    refused: Option<String>,
    code: String,
    errors: Vec<ShownError>,
}

fn check_in_page(
    state: &AppState,
    visitor: &Visitor,
    result: Option<CheckInResult>,
    refused: Option<String>,
    code: String,
    errors: Vec<ShownError>,
) -> Response {
    render(&CheckInPage {
        chrome: visitor.chrome(&state.app),
        result,
        refused,
        code,
        errors,
    })
}

/// The check-in desk. With `?code=` (the link in a badge's QR code, opened by a
/// phone's camera) it shows whose badge it is and whether it was checked in, and
/// changes nothing: the check-in is the form's POST.
pub async fn check_in_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<CheckInForm>,
) -> Result<Response, PageError> {
    let code = q.code.trim().to_owned();
    if visitor.user.is_none() && !code.is_empty() {
        // Back here with the code after signing in.
        return Err(PageError::SignIn {
            next: format!("/check-in?code={}", form_urlencode(&code)),
        });
    }
    require_manager(&visitor)?;
    if code.is_empty() {
        return Ok(check_in_page(&state, &visitor, None, None, code, vec![]));
    }
    let caller = visitor.caller();
    let lookup = code.clone();
    match state
        .run(move |app| app.badge_holder(&caller, &lookup))
        .await
    {
        Ok(BadgeHolder {
            registration: r,
            event,
            category,
        }) if r.status == RegistrationStatus::Confirmed => {
            let result = CheckInResult::of(&r, &event, category.name, r.checked_in_at, true);
            // Ready: the form holds the code; checked in before: the form is for the next.
            let code = if r.checked_in_at.is_none() {
                r.badge_code.clone()
            } else {
                String::new()
            };
            Ok(check_in_page(
                &state,
                &visitor,
                Some(result),
                None,
                code,
                vec![],
            ))
        }
        Ok(holder) => {
            let r = &holder.registration;
            let why = format!("{}: {}. No check-in.", full_name(r), r.status.label());
            Ok(with_status(
                check_in_page(&state, &visitor, None, Some(why), String::new(), vec![]),
                StatusCode::CONFLICT,
            ))
        }
        Err(AppError::Invalid(errors)) => Ok(with_status(
            check_in_page(&state, &visitor, None, None, code, shown(&errors)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn check_in(
    State(state): State<AppState>,
    submitted: CsrfForm<CheckInForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let code = form.code.clone();
    let outcome = state
        .run(move |app| {
            let done = app.check_in(&caller, &code)?;
            let view = app.registration(&caller, done.registration.id)?;
            Ok((done, view.category.name))
        })
        .await;
    match outcome {
        Ok((done, category)) => {
            let result = CheckInResult::of(
                &done.registration,
                &done.event,
                category,
                Some(done.first_at),
                done.again,
            );
            Ok(check_in_page(
                &state,
                &visitor,
                Some(result),
                None,
                String::new(),
                vec![],
            ))
        }
        Err(AppError::Invalid(errors)) => Ok(with_status(
            check_in_page(&state, &visitor, None, None, form.code, shown(&errors)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(AppError::Refused(why)) => Ok(with_status(
            check_in_page(
                &state,
                &visitor,
                None,
                Some(why.to_owned()),
                form.code,
                vec![],
            ),
            StatusCode::CONFLICT,
        )),
        Err(other) => Err(other.into()),
    }
}
