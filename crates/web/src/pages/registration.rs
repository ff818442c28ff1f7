//! Event registration for the public: the list of events, an event's page with its
//! registration form, the registrant's own page behind the secret management link, the
//! public participant list, and the registrations of the signed-in account.
//!
//! The management link carries its token in the path: the request log names the route
//! pattern only, pages are sent with `Cache-Control: no-store` and
//! `Referrer-Policy: no-referrer` (see `middleware`).

use super::DoneQuery;
use super::meetings::span_text;
use super::{Empty, ShownError, shown, with_status};
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use plenary_app::registration::{EventView, RegistrationInput, RegistrationView};
use plenary_app::{AppError, Category, Event, QuestionRow, Registration};
use plenary_domain::geo::Country;
use plenary_domain::registration::{FieldKind, Question, RegistrationStatus, check_answers};
use plenary_domain::time::{Zone, label};
use plenary_domain::{FieldError, Problem};
use std::collections::BTreeMap;

// ------------------------------------------------------------------ shared with the secretariat's pages

/// The event's own zone (stored valid; UTC should it ever not be).
pub(crate) fn zone_of(event: &Event) -> Zone {
    Zone::parse("time_zone", &event.time_zone).unwrap_or(Zone::UTC)
}

/// An instant in the event's zone with its offset: `2026-06-01 00:00 EAT (UTC+03:00, Africa/Nairobi)`.
pub(crate) fn at_text(at: DateTime<Utc>, event: &Event) -> String {
    label(at, zone_of(event)).to_string()
}

/// The event's dates: `Monday 22 June 2026, 09:00 – Friday 26 June 2026, 18:00 EAT (UTC+03:00, Africa/Nairobi)`.
pub(crate) fn when_text(event: &Event) -> String {
    span_text(event.starts_at, event.ends_at, zone_of(event))
}

/// "12 of 300 seats left", "full: waiting list", or "no seat limit".
pub(crate) fn seats_text(c: &Category) -> String {
    match c.capacity {
        None => "no seat limit".into(),
        Some(capacity) => {
            let left = (capacity - c.taken).max(0);
            if left == 0 {
                "full: waiting list".into()
            } else {
                format!("{left} of {capacity} seats left")
            }
        }
    }
}

pub(crate) fn countries() -> Vec<(&'static str, &'static str)> {
    Country::all_by_name()
        .into_iter()
        .map(|c| (c.code(), c.name()))
        .collect()
}

pub(crate) fn country_name(code: &str) -> String {
    Country::parse("country", code)
        .map(|c| c.name().to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

/// The answers of a registration as (question, answer) lines, in the form's order;
/// answers to questions deleted since come last, under their key.
pub(crate) fn answer_rows(
    questions: &[QuestionRow],
    answers: &BTreeMap<String, Vec<String>>,
) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = questions
        .iter()
        .filter_map(|q| {
            answers.get(&q.key).map(|values| {
                let text = match q.kind {
                    FieldKind::Country => values
                        .iter()
                        .map(|v| country_name(v))
                        .collect::<Vec<_>>()
                        .join(", "),
                    FieldKind::Checkbox => "Yes".to_owned(),
                    _ => values.join(", "),
                };
                (q.label.clone(), text)
            })
        })
        .collect();
    for (key, values) in answers {
        if !questions.iter().any(|q| &q.key == key) {
            rows.push((key.clone(), values.join(", ")));
        }
    }
    rows
}

/// The field errors of a registration form; an answer's error already names its
/// question ("Dietary needs: is required").
pub(crate) fn shown_registration(errors: &[FieldError]) -> Vec<ShownError> {
    let mut list = shown(errors);
    for (e, s) in errors.iter().zip(list.iter_mut()) {
        if let ("answers", Problem::Explained(text)) = (e.field, &e.problem) {
            s.message = text.clone();
        }
    }
    list
}

/// A use case's reason as a sentence: capitalised, with a full stop.
fn sentence(why: &str) -> String {
    let mut chars = why.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// "Jane Doe" from the registration's names.
pub(crate) fn full_name(r: &Registration) -> String {
    [r.given_name.as_str(), r.family_name.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

// ------------------------------------------------------------------ the form

/// The registration form as submitted: the fixed fields and one `q.KEY` field per
/// question (repeated for several choices).
#[derive(Default, Clone)]
pub(crate) struct RegistrationForm {
    category_id: String,
    email: String,
    family_name: String,
    given_name: String,
    organization: String,
    country: String,
    listed: bool,
    answers: BTreeMap<String, Vec<String>>,
}

/// The prefix of the answer fields' names.
const ANSWER_PREFIX: &str = "q.";

impl RegistrationForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> RegistrationForm {
        let mut form = RegistrationForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "category_id" => form.category_id = value,
                "email" => form.email = value,
                "family_name" => form.family_name = value,
                "given_name" => form.given_name = value,
                "organization" => form.organization = value,
                "country" => form.country = value,
                "listed" => form.listed = true,
                other => {
                    if let Some(key) = other.strip_prefix(ANSWER_PREFIX) {
                        form.answers.entry(key.to_owned()).or_default().push(value);
                    }
                }
            }
        }
        form
    }

    fn of(view: &RegistrationView) -> RegistrationForm {
        let r = &view.registration;
        RegistrationForm {
            category_id: r.category_id.to_string(),
            email: r.email.clone(),
            family_name: r.family_name.clone(),
            given_name: r.given_name.clone(),
            organization: r.organization.clone(),
            country: r.country.clone().unwrap_or_default(),
            listed: r.listed,
            answers: view.answers.clone(),
        }
    }

    fn input(&self) -> RegistrationInput {
        RegistrationInput {
            category_id: self.category_id.clone(),
            email: self.email.clone(),
            family_name: self.family_name.clone(),
            given_name: self.given_name.clone(),
            organization: self.organization.clone(),
            country: self.country.clone(),
            answers: self.answers.clone(),
            listed: self.listed,
        }
    }
}

struct ChoiceField {
    value: String,
    checked: bool,
}

/// One question of the form, ready to show.
struct QuestionField {
    key: String,
    label: String,
    /// The kind's name: `text`, `long_text`, `choice`, …
    kind: &'static str,
    required: bool,
    /// The first value given (text, number, date, country, choice).
    value: String,
    /// Whether a checkbox question is ticked.
    ticked: bool,
    /// Few choices are radio buttons; many are a drop-down list.
    radio: bool,
    options: Vec<ChoiceField>,
    /// Why the answer given was refused (shown beside the question).
    error: String,
}

/// The questions with the answers given and, when the answers were refused, each
/// question's own message; the form's errors less those now shown beside a question.
fn questions_again(
    questions: &[QuestionRow],
    answers: &BTreeMap<String, Vec<String>>,
    mut errors: Vec<ShownError>,
) -> (Vec<QuestionField>, Vec<ShownError>) {
    let mut fields = question_fields(questions, answers);
    if errors.iter().any(|e| e.field == "answers") {
        let asked: Vec<Question> = questions
            .iter()
            .map(|q| Question {
                key: q.key.clone(),
                label: q.label.clone(),
                kind: q.kind,
                required: q.required,
                options: q.options.clone(),
            })
            .collect();
        if let Err(refused) = check_answers(&asked, answers) {
            for e in refused {
                if let Some(field) = fields.iter_mut().find(|f| f.key == e.key) {
                    field.error = format!("{}: {}", e.label, e.problem);
                }
            }
            errors.retain(|e| e.field != "answers");
        }
    }
    (fields, errors)
}

fn question_fields(
    questions: &[QuestionRow],
    answers: &BTreeMap<String, Vec<String>>,
) -> Vec<QuestionField> {
    questions
        .iter()
        .map(|q| {
            let given = answers.get(&q.key).cloned().unwrap_or_default();
            QuestionField {
                key: q.key.clone(),
                label: q.label.clone(),
                kind: q.kind.as_str(),
                required: q.required,
                value: given.first().cloned().unwrap_or_default(),
                ticked: !given.is_empty(),
                radio: q.options.len() <= 5,
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

struct CategoryChoice {
    id: String,
    name: String,
    mode: &'static str,
    seats: String,
    needs_approval: bool,
}

fn category_choices(categories: &[Category]) -> Vec<CategoryChoice> {
    categories
        .iter()
        .map(|c| CategoryChoice {
            id: c.id.to_string(),
            name: c.name.clone(),
            mode: c.mode.label(),
            seats: seats_text(c),
            needs_approval: c.needs_approval,
        })
        .collect()
}

// ------------------------------------------------------------------ the list of events

struct EventRow {
    id: i64,
    title: String,
    venue: String,
    when: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    chrome: Chrome,
    events: Vec<EventRow>,
}

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let (events, now) = state.run(|app| Ok((app.events()?, app.now()))).await?;
    Ok(render(&EventsPage {
        chrome: visitor.chrome(&state.app),
        events: events
            .iter()
            .map(|e| EventRow {
                id: e.id,
                title: e.title.clone(),
                venue: e.venue.clone(),
                when: when_text(e),
                open: e.registration_opens_at <= now && now < e.registration_closes_at,
            })
            .collect(),
    }))
}

// ------------------------------------------------------------------ an event and its form

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    chrome: Chrome,
    id: i64,
    title: String,
    venue: String,
    when: String,
    opens: String,
    closes: String,
    changes_until: String,
    /// "open", "not_yet" or "closed".
    phase: &'static str,
    public_list: bool,
    categories: Vec<CategoryChoice>,
    questions: Vec<QuestionField>,
    countries: Vec<(&'static str, &'static str)>,
    form: RegistrationForm,
    errors: Vec<ShownError>,
    /// The form edits an existing registration (no category or e-mail address).
    editing: bool,
}

async fn event_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    form: Option<RegistrationForm>,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    let (view, now) = state
        .run(move |app| Ok((app.event(id)?, app.now())))
        .await?;
    let EventView {
        event,
        categories,
        questions,
    } = &view;
    // Signed in: the account's address is the likely one.
    let mut form = form.unwrap_or_else(|| RegistrationForm {
        email: visitor
            .user
            .as_ref()
            .map(|u| u.user.email.clone())
            .unwrap_or_default(),
        ..Default::default()
    });
    if categories.len() == 1 && form.category_id.is_empty() {
        form.category_id = categories[0].id.to_string();
    }
    let phase = if now < event.registration_opens_at {
        "not_yet"
    } else if view.is_open(now) {
        "open"
    } else {
        "closed"
    };
    let (questions, errors) = questions_again(questions, &form.answers, errors);
    Ok(render(&EventPage {
        chrome: visitor.chrome(&state.app),
        id: event.id,
        title: event.title.clone(),
        venue: event.venue.clone(),
        when: when_text(event),
        opens: at_text(event.registration_opens_at, event),
        closes: at_text(event.registration_closes_at, event),
        changes_until: at_text(event.changes_until, event),
        phase,
        public_list: event.public_list,
        categories: category_choices(categories),
        questions,
        countries: countries(),
        form,
        errors,
        editing: false,
    }))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    event_page(&state, &visitor, id, None, vec![]).await
}

/// A page that only says something (a repeated registration, a closed one, a link
/// that does not work).
#[derive(Template)]
#[template(path = "registration_message.html")]
struct MessagePage {
    chrome: Chrome,
    heading: &'static str,
    paragraphs: Vec<String>,
    event: Option<(i64, String)>,
    /// The address a new registration link may be sent to (a repeated registration).
    resend_to: Option<String>,
}

fn message(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    heading: &'static str,
    paragraphs: Vec<String>,
    event: Option<(i64, String)>,
) -> Response {
    message_page(state, visitor, status, heading, paragraphs, event, None)
}

fn message_page(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    heading: &'static str,
    paragraphs: Vec<String>,
    event: Option<(i64, String)>,
    resend_to: Option<String>,
) -> Response {
    with_status(
        render(&MessagePage {
            chrome: visitor.chrome(&state.app),
            heading,
            paragraphs,
            event,
            resend_to,
        }),
        status,
    )
}

pub(crate) fn link_invalid(state: &AppState, visitor: &Visitor) -> Response {
    message(
        state,
        visitor,
        StatusCode::GONE,
        "Link invalid",
        vec![
            "This registration link does not work. Check that the whole link from the e-mail was copied; after registering again, only the newest link works.".into(),
        ],
        None,
    )
}

pub async fn register(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let form = RegistrationForm::from_pairs(form);
    let caller = visitor.caller();
    let input = form.input();
    match state
        .run(move |app| {
            let registered = app.register(&caller, id, &input)?;
            let title = app.event(id)?.event.title;
            Ok((registered, title))
        })
        .await
    {
        Ok((registered, _)) if registered.created => {
            let token = registered.manage_token.unwrap_or_default();
            Ok(Redirect::to(&format!(
                "/registrations/{}?done=registered",
                crate::error::form_urlencode(&token)
            ))
            .into_response())
        }
        Ok((registered, title)) => Ok(message_page(
            &state,
            &visitor,
            StatusCode::OK,
            "You had registered already",
            vec![
                format!("This e-mail address is already registered for {title}: nothing was changed."),
                "The link to see, change or cancel that registration was e-mailed to this address when it registered. Lost it? A new one can be sent to the same address.".into(),
            ],
            Some((id, title)),
            Some(registered.registration.email),
        )),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            event_page(
                &state,
                &visitor,
                id,
                Some(form),
                shown_registration(&errors),
            )
            .await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(AppError::Refused(why)) => {
            let title = state
                .run(move |app| Ok(app.event(id)?.event.title))
                .await?;
            Ok(message(
                &state,
                &visitor,
                StatusCode::CONFLICT,
                "Registration is not open",
                vec![sentence(why)],
                Some((id, title)),
            ))
        }
        Err(other) => Err(other.into()),
    }
}

// ------------------------------------------------------------------ the management link

#[derive(Template)]
#[template(path = "registration.html")]
struct ManagePage {
    chrome: Chrome,
    action: String,
    notice: Option<&'static str>,
    event_id: i64,
    event_title: String,
    when: String,
    changes_until: String,
    status: &'static str,
    status_key: &'static str,
    reason: String,
    waitlist_position: Option<i64>,
    badge_code: Option<String>,
    /// Whether the registrant comes to the venue (a badge to show at the entrance).
    onsite: bool,
    checked_in: Option<String>,
    name: String,
    email: String,
    organization: String,
    country: String,
    category: String,
    listed: bool,
    answers: Vec<(String, String)>,
    changeable: bool,
    public_list: bool,
    visa_offered: bool,
    /// The links to join online (label, address): only for a confirmed online
    /// registration (see `plenary_app::remote`).
    join_links: Vec<(String, String)>,
    // The edit form (see registration_fields.html).
    categories: Vec<CategoryChoice>,
    questions: Vec<QuestionField>,
    countries: Vec<(&'static str, &'static str)>,
    form: RegistrationForm,
    errors: Vec<ShownError>,
    editing: bool,
}

fn notice_for(done: &str) -> Option<&'static str> {
    match done {
        "registered" => Some(
            "Thank you: your registration has been received. Keep this page's address private; it was also e-mailed to you.",
        ),
        "saved" => Some("Your changes have been saved."),
        "cancelled" => Some("Your registration has been cancelled."),
        _ => None,
    }
}

/// The management page of a registration, whose forms post under `action`: the
/// management link's `/registrations/{token}` or the account's `/account/registrations/{id}`.
fn manage_page(
    state: &AppState,
    visitor: &Visitor,
    action: String,
    view: &RegistrationView,
    notice: Option<&'static str>,
    form: Option<RegistrationForm>,
    errors: Vec<ShownError>,
) -> Response {
    let r = &view.registration;
    let event = &view.event.event;
    let form = form.unwrap_or_else(|| RegistrationForm::of(view));
    let (questions, errors) = questions_again(&view.event.questions, &form.answers, errors);
    render(&ManagePage {
        chrome: visitor.chrome(&state.app),
        action,
        notice,
        event_id: event.id,
        event_title: event.title.clone(),
        when: when_text(event),
        changes_until: at_text(event.changes_until, event),
        status: r.status.label(),
        status_key: r.status.as_str(),
        reason: r.reason.clone(),
        waitlist_position: view.waitlist_position,
        badge_code: (r.status == RegistrationStatus::Confirmed).then(|| r.badge_code.clone()),
        onsite: view.category.mode == plenary_domain::registration::ParticipationMode::Onsite,
        checked_in: r.checked_in_at.map(|at| at_text(at, event)),
        name: full_name(r),
        email: r.email.clone(),
        organization: r.organization.clone(),
        country: r.country.as_deref().map(country_name).unwrap_or_default(),
        category: view.category.name.clone(),
        listed: r.listed,
        answers: answer_rows(&view.event.questions, &view.answers),
        changeable: view.changeable,
        public_list: event.public_list,
        visa_offered: visa_offered(view),
        join_links: view
            .join_links
            .iter()
            .map(|l| {
                let label = match (&l.session, l.starts_at) {
                    (None, _) => "Every session without a link of its own".to_owned(),
                    (Some(title), Some(at)) => format!("{title} ({})", at_text(at, event)),
                    (Some(title), None) => title.clone(),
                };
                (label, l.url.clone())
            })
            .collect(),
        categories: Vec::new(),
        questions,
        countries: countries(),
        form,
        errors,
        editing: true,
    })
}

pub async fn manage(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let lookup = token.clone();
    match state
        .run(move |app| app.registration_by_token(&lookup))
        .await
    {
        Ok(view) => Ok(manage_page(
            &state,
            &visitor,
            token_action(&token),
            &view,
            notice_for(&q.done),
            None,
            vec![],
        )),
        Err(AppError::LinkInvalid) => Ok(link_invalid(&state, &visitor)),
        Err(other) => Err(other.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    Path(token): Path<String>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let form = RegistrationForm::from_pairs(form);
    let input = form.input();
    let change = token.clone();
    match state
        .run(move |app| app.update_registration(&change, &input))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/registrations/{}?done=saved",
            crate::error::form_urlencode(&token)
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let lookup = token.clone();
            let view = state
                .run(move |app| app.registration_by_token(&lookup))
                .await?;
            Ok(with_status(
                manage_page(
                    &state,
                    &visitor,
                    token_action(&token),
                    &view,
                    None,
                    Some(form),
                    shown_registration(&errors),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(AppError::LinkInvalid) => Ok(link_invalid(&state, &visitor)),
        Err(other) => Err(other.into()),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let visitor = submitted.visitor;
    let change = token.clone();
    match state.run(move |app| app.cancel_by_token(&change)).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/registrations/{}?done=cancelled",
            crate::error::form_urlencode(&token)
        ))
        .into_response()),
        Err(AppError::LinkInvalid) => Ok(link_invalid(&state, &visitor)),
        Err(other) => Err(other.into()),
    }
}

// ------------------------------------------------------------------ the public participant list

#[derive(Template)]
#[template(path = "participants.html")]
struct ParticipantsPage {
    chrome: Chrome,
    id: i64,
    title: String,
    people: Vec<(String, String, String, String)>,
}

pub async fn participants(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (listed, view) = state
        .run(move |app| Ok((app.public_participants(id)?, app.event(id)?)))
        .await?;
    Ok(render(&ParticipantsPage {
        chrome: visitor.chrome(&state.app),
        id,
        title: view.event.title,
        people: listed
            .into_iter()
            .map(|p| {
                (
                    p.family_name,
                    p.given_name,
                    p.organization,
                    p.country.as_deref().map(country_name).unwrap_or_default(),
                )
            })
            .collect(),
    }))
}

// ------------------------------------------------------------------ one's own registrations

/// Whether the registrant may see or ask for a visa invitation letter.
fn visa_offered(v: &RegistrationView) -> bool {
    v.event.event.visa_letters
        && v.category.mode == plenary_domain::registration::ParticipationMode::Onsite
        && !matches!(
            v.registration.status,
            RegistrationStatus::Cancelled | RegistrationStatus::Rejected
        )
}

struct MyRow {
    id: i64,
    event_id: i64,
    event_title: String,
    when: String,
    category: String,
    status: &'static str,
    waitlist_position: Option<i64>,
    badge_code: Option<String>,
    changeable: bool,
    visa_offered: bool,
}

#[derive(Template)]
#[template(path = "my_registrations.html")]
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
    let views = state.run(move |app| app.my_registrations(&caller)).await?;
    Ok(render(&MyPage {
        chrome: visitor.chrome(&state.app),
        rows: views
            .iter()
            .map(|v| MyRow {
                id: v.registration.id,
                event_id: v.event.event.id,
                event_title: v.event.event.title.clone(),
                when: when_text(&v.event.event),
                category: v.category.name.clone(),
                status: v.registration.status.label(),
                waitlist_position: v.waitlist_position,
                badge_code: (v.registration.status == RegistrationStatus::Confirmed)
                    .then(|| v.registration.badge_code.clone()),
                changeable: v.changeable,
                visa_offered: visa_offered(v),
            })
            .collect(),
        notice: (q.done == "cancelled").then_some("The registration has been cancelled."),
    }))
}

/// Where a management link's forms post.
fn token_action(token: &str) -> String {
    format!("/registrations/{}", crate::error::form_urlencode(token))
}

/// `GET /account/registrations/{id}`: the management page of one's own registration,
/// reached from the account without the mailed link.
pub async fn manage_mine(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let view = state
        .run(move |app| app.my_registration(&caller, id))
        .await?;
    let action = format!("/account/registrations/{id}");
    Ok(manage_page(
        &state,
        &visitor,
        action,
        &view,
        notice_for(&q.done),
        None,
        vec![],
    ))
}

/// `POST /account/registrations/{id}`: changes one's own registration.
pub async fn update_mine(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let form = RegistrationForm::from_pairs(form);
    let input = form.input();
    let again = caller.clone();
    match state
        .run(move |app| app.update_my_registration(&caller, id, &input))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/account/registrations/{id}?done=saved")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let view = state
                .run(move |app| app.my_registration(&again, id))
                .await?;
            let action = format!("/account/registrations/{id}");
            Ok(with_status(
                manage_page(
                    &state,
                    &visitor,
                    action,
                    &view,
                    None,
                    Some(form),
                    shown_registration(&errors),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn cancel_mine(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    state
        .run(move |app| app.cancel_registration(&caller, id))
        .await?;
    Ok(Redirect::to("/account/registrations?done=cancelled").into_response())
}

#[derive(serde::Deserialize)]
pub struct ResendForm {
    #[serde(default)]
    email: String,
}

/// `POST /events/{id}/registrations/resend`: e-mails a new link to the address's
/// registration, if it has one; the answer is the same either way.
pub async fn resend_link(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ResendForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let caller = visitor.caller();
    let email = form.email.clone();
    let outcome = state
        .run(move |app| {
            app.resend_registration_link(&caller, id, &email)?;
            Ok(app.event(id)?.event.title)
        })
        .await;
    match outcome {
        Ok(title) => Ok(message(
            &state,
            &visitor,
            StatusCode::OK,
            "Check your mailbox",
            vec![
                format!(
                    "If {} is registered for {title}, a new link to the registration is on its way to it.",
                    form.email.trim()
                ),
                "The new link replaces the earlier one, which no longer works.".into(),
            ],
            Some((id, title)),
        )),
        Err(AppError::Invalid(errors)) => Ok(message(
            &state,
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            "No link was sent",
            errors
                .iter()
                .map(|e| format!("E-mail address: {}.", e.problem))
                .collect(),
            None,
        )),
        Err(other) => Err(other.into()),
    }
}
