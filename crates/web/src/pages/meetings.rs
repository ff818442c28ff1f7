//! A meeting's page: the agenda day by day in a chosen time zone, participants by role
//! group, and the forms to prepare it for those who manage it.

use super::bodies::optional_id;
use super::{ShownError, confirm, shown, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use plenary_app::{
    AppError, AttendeeInput, DayInput, Item, ItemInput, MeetingInput, MeetingView, Move, RoomInput,
};
use plenary_domain::meetings::AttendanceStatus;
use plenary_domain::minutes::{ActionStatus, MinutesState};
use plenary_domain::time::{Zone, label};
use serde::Deserialize;

/// "10:00–11:30" in `zone`, or just the start.
fn times(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>, zone: Zone) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{}–{}", label(s, zone).time_hm(), label(e, zone).time_hm()),
        (Some(s), None) => label(s, zone).time_hm(),
        _ => String::new(),
    }
}

/// "Wednesday 26 June 2024, 10:00 – Friday 28 June 2024, 18:00 CEST (UTC+02:00, Europe/Zurich)".
pub(crate) fn span_text(start: DateTime<Utc>, end: DateTime<Utc>, zone: Zone) -> String {
    let (s, e) = (label(start, zone), label(end, zone));
    let day = "%A %-d %B %Y, %H:%M";
    let suffix = |l: &plenary_domain::time::Labelled| {
        let abbrev = l.abbreviation_or_offset();
        if zone == Zone::UTC {
            format!("{abbrev} (UTC{})", l.offset)
        } else {
            format!("{abbrev} (UTC{}, {})", l.offset, zone.name())
        }
    };
    if s.offset == e.offset {
        format!(
            "{} – {} {}",
            s.local.format(day),
            e.local.format(day),
            suffix(&e)
        )
    } else {
        // A clock change falls inside the meeting: label both ends.
        format!(
            "{} {} – {} {}",
            s.local.format(day),
            suffix(&s),
            e.local.format(day),
            suffix(&e)
        )
    }
}

struct SubRow {
    time: String,
    title: String,
    interventions: Vec<String>,
}

struct ActionRow {
    id: i64,
    text: String,
    owner: String,
    due: String,
    status: &'static str,
    moves: Vec<(&'static str, &'static str)>,
}

/// The buttons that move an action on from its status.
fn action_moves(status: ActionStatus) -> Vec<(&'static str, &'static str)> {
    ActionStatus::ALL
        .iter()
        .filter(|next| status.can_become(**next))
        .map(|next| match next {
            ActionStatus::Open => ("open", "Reopen"),
            ActionStatus::Done => ("done", "Mark done"),
            ActionStatus::Dropped => ("dropped", "Drop"),
        })
        .collect()
}

struct ConflictView {
    item_title: String,
    current_text: String,
}

struct ItemRow {
    note_text: String,
    note_version: i64,
    actions: Vec<ActionRow>,
    files: Vec<(i64, String)>,
    id: i64,
    time: String,
    number: String,
    title: String,
    presenters: String,
    interventions: Vec<String>,
    documents: Vec<String>,
    room: String,
    subitems: Vec<SubRow>,
}

struct DayRow {
    id: i64,
    id_text: String,
    heading: String,
    room: String,
    label: String,
    items: Vec<ItemRow>,
    documents: Vec<String>,
    outputs: Vec<String>,
}

struct DocRow {
    id: i64,
    title: String,
    filename: String,
    size: String,
    item_id: Option<i64>,
}

fn size_text(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} KiB", b / 1024),
        b => format!("{b} bytes"),
    }
}

struct PersonRow {
    family: String,
    given: String,
    organization: String,
    status: &'static str,
}

#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    #[serde(default)]
    day_id: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    presenters: String,
    #[serde(default)]
    interventions: String,
    #[serde(default)]
    input_documents: String,
    #[serde(default)]
    desired_outputs: String,
}

impl ItemForm {
    fn input(self) -> Result<ItemInput, AppError> {
        Ok(ItemInput {
            day_id: optional_id("day_id", &self.day_id)?,
            parent_id: optional_id("parent_id", &self.parent_id)?,
            number: self.number,
            title: self.title,
            starts: self.starts,
            ends: self.ends,
            room_id: optional_id("room_id", &self.room_id)?,
            presenters: self.presenters,
            interventions: self.interventions,
            input_documents: self.input_documents,
            desired_outputs: self.desired_outputs,
        })
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct DayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    input_documents: String,
    #[serde(default)]
    desired_outputs: String,
}

impl DayForm {
    fn input(self) -> Result<DayInput, AppError> {
        Ok(DayInput {
            day: self.day,
            room_id: optional_id("room_id", &self.room_id)?,
            label: self.label,
            input_documents: self.input_documents,
            desired_outputs: self.desired_outputs,
        })
    }
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    chrome: Chrome,
    id: i64,
    title: String,
    body_id: i64,
    body_name: String,
    published: bool,
    when: String,
    when_viewer: Option<String>,
    when_utc: String,
    kind: &'static str,
    mode: &'static str,
    venue: String,
    description: String,
    rooms: Vec<(String, String)>,
    zone_choices: Vec<(String, String)>,
    display_zone: String,
    display_abbrev: String,
    zone_abbrev: String,
    tz_problem: Option<String>,
    days: Vec<DayRow>,
    parents: Vec<(String, String)>,
    participants: Vec<(String, Vec<PersonRow>)>,
    can_manage: bool,
    notice: Option<&'static str>,
    errors: Vec<ShownError>,
    item_form: ItemForm,
    day_form: DayForm,
    statuses: Vec<(&'static str, &'static str)>,
    group_order: String,
    documents: Vec<DocRow>,
    earlier: Vec<ActionRow>,
    minutes_state: &'static str,
    minutes_revision: i64,
    minutes_moves: Vec<(&'static str, &'static str)>,
    conflict: Option<ConflictView>,
    meeting_form: MeetingForm,
    meeting_kinds: Vec<(&'static str, &'static str)>,
    meeting_modes: Vec<(&'static str, &'static str)>,
    owner_choices: Vec<String>,
    person_choices: Vec<String>,
    /// The action form refused, shown again under its item with what was typed.
    action_form: ActionForm,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    tz: String,
    #[serde(default)]
    done: String,
}

fn notice_for(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("The meeting has been created."),
        "saved" => Some("Saved."),
        "imported" => Some("The document has been imported as this meeting."),
        "reimported" => Some("The corrected document has updated this meeting."),
        "unchanged" => Some("This document had been imported already: nothing changed."),
        _ => None,
    }
}

/// Extra state of a page shown again after a refused form.
#[derive(Default)]
struct Extras {
    /// (item, the text the visitor typed, the newer text, its version).
    conflict: Option<(i64, String, String, i64)>,
    errors: Vec<ShownError>,
    item_form: Option<ItemForm>,
    day_form: Option<DayForm>,
    meeting_form: Option<MeetingForm>,
    action_form: Option<ActionForm>,
}

fn item_row(v: &plenary_app::ItemView, zone: Zone) -> ItemRow {
    let sub = |s: &Item| SubRow {
        time: times(s.starts_at, s.ends_at, zone),
        title: s.title.clone(),
        interventions: s.interventions.clone(),
    };
    ItemRow {
        note_text: String::new(),
        note_version: 0,
        actions: Vec::new(),
        files: Vec::new(),
        id: v.item.id,
        time: times(v.item.starts_at, v.item.ends_at, zone),
        number: v.item.number.clone().unwrap_or_default(),
        title: v.item.title.clone(),
        presenters: v.item.presenters.clone(),
        interventions: v.item.interventions.clone(),
        documents: v.item.input_documents.clone(),
        room: v.room.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
        subitems: v.subitems.iter().map(sub).collect(),
    }
}

/// Everything the meeting page reads, loaded in one blocking call.
struct MeetingData {
    view: MeetingView,
    own_zone: Option<String>,
    documents: Vec<plenary_app::Document>,
    minutes: plenary_app::Minutes,
    notes: Vec<plenary_app::Note>,
    actions: Vec<plenary_app::ActionView>,
    earlier: Vec<plenary_app::ActionView>,
    owner_choices: Vec<String>,
    person_choices: Vec<String>,
}

impl MeetingData {
    fn load(
        app: &plenary_app::App,
        caller: &plenary_app::Caller,
        id: i64,
        signed_in: bool,
        account_zone: Option<String>,
    ) -> Result<MeetingData, AppError> {
        let view = app.meeting(caller, id)?;
        let actions = if signed_in {
            app.actions(
                caller,
                &plenary_app::ActionFilter {
                    meeting_id: Some(id),
                    ..Default::default()
                },
            )?
        } else {
            Vec::new()
        };
        // The account's own setting first, then the directory's record of the person.
        let own_zone = match account_zone {
            Some(zone) => Some(zone),
            None if signed_in => app.my_person(caller)?.and_then(|p| p.time_zone),
            None => None,
        };
        Ok(MeetingData {
            documents: app.documents(caller, id)?,
            minutes: app.minutes(caller, id)?,
            notes: app.notes(caller, id)?,
            earlier: if view.can_manage {
                app.earlier_open_actions(caller, id)?
            } else {
                Vec::new()
            },
            owner_choices: if view.can_manage {
                app.owner_choices(&view)?
            } else {
                Vec::new()
            },
            person_choices: if view.can_manage {
                app.person_choices(caller)?
            } else {
                Vec::new()
            },
            view,
            own_zone,
            actions,
        })
    }
}

async fn meeting_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    query: &PageQuery,
    extras: Extras,
) -> Result<Response, PageError> {
    let app = state.app.clone();
    let caller = visitor.caller();
    let signed_in = visitor.user.is_some();
    let account_zone = visitor.user.as_ref().and_then(|u| u.user.time_zone.clone());
    let MeetingData {
        view,
        own_zone,
        documents,
        minutes,
        notes,
        actions,
        earlier,
        owner_choices,
        person_choices,
    } = blocking(move || MeetingData::load(&app, &caller, id, signed_in, account_zone)).await?;
    let zone = view.zone;
    // The viewer's zone: ?tz=, else their profile's, else the meeting's own.
    let (viewer, tz_problem) = match query.tz.trim() {
        "" => (own_zone.and_then(|z| Zone::parse("tz", &z).ok()), None),
        raw => match Zone::parse("tz", raw) {
            Ok(z) => (Some(z), None),
            Err(_) => (
                None,
                Some(format!(
                    "“{raw}” is not an IANA time zone such as Europe/Zurich; times are shown in the meeting's zone."
                )),
            ),
        },
    };
    let display = viewer.unwrap_or(zone);
    let m = &view.meeting;
    let mut zone_choices = vec![
        (
            zone.name().to_owned(),
            format!("the meeting's zone ({})", zone.name()),
        ),
        ("UTC".to_owned(), "UTC".to_owned()),
    ];
    if let Some(v) = viewer.filter(|v| *v != zone && *v != Zone::UTC) {
        zone_choices.push((v.name().to_owned(), v.name().to_owned()));
    }
    let days: Vec<DayRow> = view
        .days
        .iter()
        .map(|d| DayRow {
            id: d.day.id,
            id_text: d.day.id.to_string(),
            heading: d.day.day.format("%A, %-d %B %Y").to_string(),
            room: d
                .room
                .as_ref()
                .map(|r| {
                    if r.building.is_empty() {
                        r.name.clone()
                    } else {
                        format!("{} | {}", r.name, r.building)
                    }
                })
                .unwrap_or_default(),
            label: d.day.label.clone(),
            items: d.items.iter().map(|i| item_row(i, display)).collect(),
            documents: d.day.input_documents.clone(),
            outputs: d.day.desired_outputs.clone(),
        })
        .collect();
    let mut days = days;
    let mut conflict = None;
    for day in &mut days {
        for item in &mut day.items {
            item.files = documents
                .iter()
                .filter(|d| d.item_id == Some(item.id))
                .map(|d| (d.id, d.title.clone()))
                .collect();
            if let Some(note) = notes.iter().find(|n| n.item_id == item.id) {
                item.note_text = note.text.clone();
                item.note_version = note.version;
            }
            if let Some((_, yours, theirs, version)) =
                extras.conflict.as_ref().filter(|c| c.0 == item.id)
            {
                item.note_text = yours.clone();
                item.note_version = *version;
                conflict = Some(ConflictView {
                    item_title: item.title.clone(),
                    current_text: theirs.clone(),
                });
            }
            item.actions = actions
                .iter()
                .filter(|a| a.action.item_id == Some(item.id))
                .map(|a| ActionRow {
                    id: a.action.id,
                    text: a.action.text.clone(),
                    owner: a.owner_name.clone(),
                    due: a.action.due_on.map(|d| d.to_string()).unwrap_or_default(),
                    status: a.action.status.label(),
                    moves: action_moves(a.action.status),
                })
                .collect();
        }
    }

    let parents = view
        .days
        .iter()
        .flat_map(|d| {
            d.items.iter().map(move |i| {
                (
                    i.item.id.to_string(),
                    format!("{} · {}", d.day.day, i.item.title),
                )
            })
        })
        .collect();
    let page = MeetingPage {
        chrome: visitor.chrome(&state.app),
        id: m.id,
        title: m.title.clone(),
        body_id: view.body.id,
        body_name: view.body.short_name.clone(),
        published: m.published,
        when: span_text(m.starts_at, m.ends_at, zone),
        when_viewer: viewer
            .filter(|v| *v != zone)
            .map(|v| span_text(m.starts_at, m.ends_at, v)),
        when_utc: span_text(m.starts_at, m.ends_at, Zone::UTC),
        kind: m.kind.label(),
        mode: m.mode.label(),
        venue: m.venue.clone(),
        description: m.description.clone(),
        rooms: view
            .rooms
            .iter()
            .map(|r| (r.id.to_string(), r.name.clone()))
            .collect(),
        zone_choices,
        display_zone: display.name().to_owned(),
        display_abbrev: {
            let l = label(m.starts_at, display);
            if l.abbreviation.is_empty() {
                format!("UTC{}", l.offset)
            } else {
                format!("{}, UTC{}", l.abbreviation, l.offset)
            }
        },
        zone_abbrev: format!("{} local time", zone.name()),
        tz_problem,
        days,
        parents,
        participants: view
            .participants
            .iter()
            .map(|(g, people)| {
                let rows = people
                    .iter()
                    .map(|a| PersonRow {
                        family: a.family_name.clone().unwrap_or_default(),
                        given: a.given_name.clone().unwrap_or_default(),
                        organization: a.organization.clone().unwrap_or_default(),
                        status: a.status.label(),
                    })
                    .collect();
                (g.clone(), rows)
            })
            .collect(),
        can_manage: view.can_manage,
        notice: notice_for(&query.done),
        errors: extras.errors,
        owner_choices,
        person_choices,
        action_form: extras.action_form.unwrap_or_default(),
        item_form: extras.item_form.unwrap_or_default(),
        day_form: extras.day_form.unwrap_or_default(),
        statuses: AttendanceStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        group_order: view
            .participants
            .iter()
            .map(|(g, _)| g.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        earlier: earlier
            .iter()
            .map(|a| ActionRow {
                id: a.action.id,
                text: a.action.text.clone(),
                owner: a.owner_name.clone(),
                due: a.action.due_on.map(|d| d.to_string()).unwrap_or_default(),
                status: a.action.status.label(),
                moves: action_moves(a.action.status),
            })
            .collect(),
        minutes_state: minutes.state.label(),
        minutes_revision: minutes.revision,
        minutes_moves: MinutesState::ALL
            .iter()
            .filter(|next| minutes.state.can_become(**next))
            .map(|next| match next {
                MinutesState::Draft => (
                    "draft",
                    if minutes.state == MinutesState::Approved {
                        "Open a new revision"
                    } else {
                        "Back to draft"
                    },
                ),
                MinutesState::Circulated => ("circulated", "Circulate"),
                MinutesState::Approved => ("approved", "Approve"),
            })
            .collect(),
        conflict,
        documents: documents
            .iter()
            .map(|d| DocRow {
                id: d.id,
                title: d.title.clone(),
                filename: d.filename.clone(),
                size: size_text(d.size),
                item_id: d.item_id,
            })
            .collect(),
        meeting_form: extras
            .meeting_form
            .unwrap_or_else(|| MeetingForm::of(m, zone)),
        meeting_kinds: plenary_domain::meetings::MeetingKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        meeting_modes: plenary_domain::meetings::MeetingMode::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
    };
    Ok(render(&page))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    meeting_page(&state, &visitor, id, &q, Extras::default()).await
}

/// Runs a change and goes back to the meeting, or shows the page again with the errors.
async fn change(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    extras: Extras,
    work: impl FnOnce(plenary_app::App, plenary_app::Caller) -> Result<(), AppError> + Send + 'static,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    match blocking(move || work(app, caller)).await {
        Ok(()) => Ok(Redirect::to(&format!("/meetings/{id}?done=saved")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = meeting_page(
                state,
                visitor,
                id,
                &PageQuery::default(),
                Extras {
                    errors: shown(&errors),
                    ..extras
                },
            )
            .await?;
            Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct MeetingForm {
    #[serde(default)]
    pub(crate) body_id: String,
    #[serde(default)]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) mode: String,
    #[serde(default)]
    pub(crate) venue: String,
    #[serde(default)]
    pub(crate) time_zone: String,
    #[serde(default)]
    pub(crate) starts_on: String,
    #[serde(default)]
    pub(crate) starts_time: String,
    #[serde(default)]
    pub(crate) ends_on: String,
    #[serde(default)]
    pub(crate) ends_time: String,
    #[serde(default)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) published: String,
}

impl MeetingForm {
    fn of(m: &plenary_app::Meeting, zone: Zone) -> MeetingForm {
        let (s, e) = (label(m.starts_at, zone), label(m.ends_at, zone));
        MeetingForm {
            body_id: m.body_id.to_string(),
            title: m.title.clone(),
            kind: m.kind.as_str().to_owned(),
            mode: m.mode.as_str().to_owned(),
            venue: m.venue.clone(),
            time_zone: m.time_zone.clone(),
            starts_on: s.date_iso(),
            starts_time: s.time_hm(),
            ends_on: e.date_iso(),
            ends_time: e.time_hm(),
            description: m.description.clone(),
            published: if m.published {
                "yes".into()
            } else {
                String::new()
            },
        }
    }

    pub(crate) fn input(&self) -> Result<MeetingInput, AppError> {
        Ok(MeetingInput {
            body_id: optional_id("body_id", &self.body_id)?,
            title: self.title.clone(),
            kind: self.kind.clone(),
            mode: self.mode.clone(),
            venue: self.venue.clone(),
            time_zone: self.time_zone.clone(),
            starts_on: self.starts_on.clone(),
            starts_time: self.starts_time.clone(),
            ends_on: self.ends_on.clone(),
            ends_time: self.ends_time.clone(),
            description: self.description.clone(),
            published: self.published == "yes",
        })
    }
}

/// Creates a meeting from the form on a body's page.
pub async fn create(
    State(state): State<AppState>,
    submitted: CsrfForm<MeetingForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    let input = form.input();
    let body_id = optional_id("body_id", &form.body_id)
        .ok()
        .flatten()
        .unwrap_or(0);
    match blocking(move || app.save_meeting(&caller, None, &input?)).await {
        Ok(m) => Ok(Redirect::to(&format!("/meetings/{}?done=created", m.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            super::bodies::show_with_meeting_errors(&state, &visitor, body_id, form, shown(&errors))
                .await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn add_room(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<RoomForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    change(
        &state,
        &visitor,
        id,
        Extras::default(),
        move |app, caller| {
            app.add_room(
                &caller,
                id,
                &RoomInput {
                    name: form.name,
                    building: form.building,
                },
            )
            .map(|_| ())
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct RoomForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    building: String,
}

pub async fn add_day(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<DayForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let kept = form.clone();
    change(
        &state,
        &visitor,
        id,
        Extras {
            day_form: Some(kept),
            ..Default::default()
        },
        move |app, caller| {
            let input = form.input()?;
            app.save_day(&caller, id, None, &input).map(|_| ())
        },
    )
    .await
}

pub async fn add_item(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ItemForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let kept = form.clone();
    change(
        &state,
        &visitor,
        id,
        Extras {
            item_form: Some(kept),
            ..Default::default()
        },
        move |app, caller| {
            let input = form.input()?;
            app.save_item(&caller, id, None, &input).map(|_| ())
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    direction: String,
}

pub async fn move_item(
    State(state): State<AppState>,
    Path((id, item)): Path<(i64, i64)>,
    submitted: CsrfForm<MoveForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let direction = if form.direction == "down" {
        Move::Down
    } else {
        Move::Up
    };
    change(
        &state,
        &visitor,
        id,
        Extras::default(),
        move |app, caller| app.move_item(&caller, id, item, direction),
    )
    .await
}

pub async fn delete_item(
    State(state): State<AppState>,
    Path((id, item)): Path<(i64, i64)>,
    submitted: CsrfForm<confirm::DeleteForm>,
) -> Result<Response, PageError> {
    if !submitted.form.confirmed() {
        let (view, extras) = confirm::managed_meeting(&state, &submitted.visitor, id).await?;
        let question = confirm::item_question(&view, &extras, item)?;
        return Ok(confirm::ask(&state, &submitted.visitor, question));
    }
    change(
        &state,
        &submitted.visitor,
        id,
        Extras::default(),
        move |app, caller| app.delete_item(&caller, id, item),
    )
    .await
}

#[derive(Deserialize)]
pub struct AttendeeForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    role_group: String,
    #[serde(default)]
    status: String,
}

pub async fn set_attendee(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<AttendeeForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    change(
        &state,
        &visitor,
        id,
        Extras::default(),
        move |app, caller| {
            let input = AttendeeInput {
                person_id: Some(app.person_named(&caller, "person_id", &form.person_id)?),
                role_group: form.role_group,
                status: form.status,
            };
            app.set_attendee(&caller, id, &input)
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct GroupsForm {
    #[serde(default)]
    role_groups: String,
}

pub async fn set_role_groups(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<GroupsForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    change(
        &state,
        &visitor,
        id,
        Extras::default(),
        move |app, caller| app.set_role_group_order(&caller, id, &form.role_groups),
    )
    .await
}

#[derive(Template)]
#[template(path = "item_edit.html")]
struct ItemEditPage {
    chrome: Chrome,
    meeting_id: i64,
    meeting_title: String,
    item_id: i64,
    zone: String,
    rooms: Vec<(String, String)>,
    form: ItemForm,
    errors: Vec<ShownError>,
}

fn item_form_of(item: &Item, zone: Zone) -> ItemForm {
    let hm = |t: Option<DateTime<Utc>>| t.map(|t| label(t, zone).time_hm()).unwrap_or_default();
    ItemForm {
        day_id: item.day_id.to_string(),
        parent_id: item.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        number: item.number.clone().unwrap_or_default(),
        title: item.title.clone(),
        starts: hm(item.starts_at),
        ends: hm(item.ends_at),
        room_id: item.room_id.map(|r| r.to_string()).unwrap_or_default(),
        presenters: item.presenters.clone(),
        interventions: item.interventions.join("\n"),
        input_documents: item.input_documents.join("\n"),
        desired_outputs: item.desired_outputs.join("\n"),
    }
}

async fn item_edit_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    item_id: i64,
    form: Option<ItemForm>,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();

    let view = state.run(move |app| app.meeting(&caller, id)).await?;
    if !view.can_manage {
        return Err(AppError::Forbidden.into());
    }
    let item = view
        .days
        .iter()
        .flat_map(|d| {
            d.items
                .iter()
                .flat_map(|i| std::iter::once(&i.item).chain(i.subitems.iter()))
        })
        .find(|i| i.id == item_id)
        .ok_or(AppError::NotFound)?;
    Ok(render(&ItemEditPage {
        chrome: visitor.chrome(&state.app),
        meeting_id: id,
        meeting_title: view.meeting.title.clone(),
        item_id,
        zone: view.zone.name().to_owned(),
        rooms: view
            .rooms
            .iter()
            .map(|r| (r.id.to_string(), r.name.clone()))
            .collect(),
        form: form.unwrap_or_else(|| item_form_of(item, view.zone)),
        errors,
    }))
}

pub async fn edit_item(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, item)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    item_edit_page(&state, &visitor, id, item, None, vec![]).await
}

pub async fn update_item(
    State(state): State<AppState>,
    Path((id, item)): Path<(i64, i64)>,
    submitted: CsrfForm<ItemForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let kept = form.clone();

    let outcome = state
        .run(move |app| {
            let input = form.input()?;
            app.save_item(&caller, id, Some(item), &input)
        })
        .await;
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}?done=saved")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            item_edit_page(&state, &visitor, id, item, Some(kept), shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

/// Saves the meeting's details from the form on its page.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<MeetingForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let kept = form.clone();
    change(
        &state,
        &visitor,
        id,
        Extras {
            meeting_form: Some(kept),
            ..Default::default()
        },
        move |app, caller| {
            let input = form.input()?;
            app.save_meeting(&caller, Some(id), &input).map(|_| ())
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "day_edit.html")]
struct DayEditPage {
    chrome: Chrome,
    meeting_id: i64,
    meeting_title: String,
    day_id: i64,
    rooms: Vec<(String, String)>,
    form: DayForm,
    errors: Vec<ShownError>,
}

async fn day_edit_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    day_id: i64,
    form: Option<DayForm>,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();

    let view = state.run(move |app| app.meeting(&caller, id)).await?;
    if !view.can_manage {
        return Err(AppError::Forbidden.into());
    }
    let day = view
        .days
        .iter()
        .find(|d| d.day.id == day_id)
        .ok_or(AppError::NotFound)?;
    Ok(render(&DayEditPage {
        chrome: visitor.chrome(&state.app),
        meeting_id: id,
        meeting_title: view.meeting.title.clone(),
        day_id,
        rooms: view
            .rooms
            .iter()
            .map(|r| (r.id.to_string(), r.name.clone()))
            .collect(),
        form: form.unwrap_or_else(|| DayForm {
            day: day.day.day.to_string(),
            room_id: day.day.room_id.map(|r| r.to_string()).unwrap_or_default(),
            label: day.day.label.clone(),
            input_documents: day.day.input_documents.join("\n"),
            desired_outputs: day.day.desired_outputs.join("\n"),
        }),
        errors,
    }))
}

pub async fn edit_day(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, day)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    day_edit_page(&state, &visitor, id, day, None, vec![]).await
}

pub async fn update_day(
    State(state): State<AppState>,
    Path((id, day)): Path<(i64, i64)>,
    submitted: CsrfForm<DayForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let kept = form.clone();

    let outcome = state
        .run(move |app| {
            let input = form.input()?;
            app.save_day(&caller, id, Some(day), &input)
        })
        .await;
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}?done=saved")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            day_edit_page(&state, &visitor, id, day, Some(kept), shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn delete_day(
    State(state): State<AppState>,
    Path((id, day)): Path<(i64, i64)>,
    submitted: CsrfForm<confirm::DeleteForm>,
) -> Result<Response, PageError> {
    if !submitted.form.confirmed() {
        let (view, extras) = confirm::managed_meeting(&state, &submitted.visitor, id).await?;
        let question = confirm::day_question(&view, &extras, day)?;
        return Ok(confirm::ask(&state, &submitted.visitor, question));
    }
    change(
        &state,
        &submitted.visitor,
        id,
        Extras::default(),
        move |app, caller| app.delete_day(&caller, id, day),
    )
    .await
}

/// Deletes the meeting and goes back to its body.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<confirm::DeleteForm>,
) -> Result<Response, PageError> {
    if !submitted.form.confirmed() {
        let (view, extras) = confirm::managed_meeting(&state, &submitted.visitor, id).await?;
        let question = confirm::meeting_question(&view, &extras);
        return Ok(confirm::ask(&state, &submitted.visitor, question));
    }
    let visitor = submitted.visitor;
    visitor.require_user()?;
    let caller = visitor.caller();
    let body_id = state
        .run(move |app| {
            let body = app.meeting(&caller, id)?.body.id;
            app.delete_meeting(&caller, id)?;
            Ok(body)
        })
        .await?;
    Ok(Redirect::to(&format!("/bodies/{body_id}")).into_response())
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    base_version: String,
    #[serde(default)]
    text: String,
}

/// Saves an item's notes; a stale edit shows the page again with both texts.
pub async fn save_note(
    State(state): State<AppState>,
    Path((id, item)): Path<(i64, i64)>,
    submitted: CsrfForm<NoteForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let base: i64 = form.base_version.trim().parse().unwrap_or(0);
    let text = form.text.clone();
    match state
        .run(move |app| app.save_note(&caller, id, item, base, &text))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}?done=saved")).into_response()),
        Err(AppError::EditConflict {
            current_text,
            current_version,
        }) => {
            let extras = Extras {
                conflict: Some((item, form.text, current_text, current_version)),
                ..Default::default()
            };
            Ok(with_status(
                meeting_page(&state, &visitor, id, &PageQuery::default(), extras).await?,
                StatusCode::CONFLICT,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct MinutesForm {
    #[serde(default)]
    state: String,
}

pub async fn set_minutes_state(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<MinutesForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    change(
        &state,
        &visitor,
        id,
        Extras::default(),
        move |app, caller| app.set_minutes_state(&caller, id, &form.state).map(|_| ()),
    )
    .await
}

#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_on: String,
}

pub async fn add_action(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ActionForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let extras = Extras {
        action_form: Some(form.clone()),
        ..Extras::default()
    };
    change(&state, &visitor, id, extras, move |app, caller| {
        let input = plenary_app::ActionInput {
            item_id: optional_id("item_id", &form.item_id)?,
            text: form.text,
            owner: form.owner,
            due_on: form.due_on,
        };
        app.add_action(&caller, id, &input).map(|_| ())
    })
    .await
}
