//! A meeting's two views. Reading (`/meetings/{id}`, for everyone who may see the
//! meeting): the agenda day by day in a chosen time zone, sub-items with their times,
//! notes once visible, actions, documents and participants by role group. Editing
//! (`/meetings/{id}/edit`, for those who manage it): the same agenda with each item's
//! controls, its notes and a new action folded under it, and the forms that prepare the
//! meeting. The forms post to the routes of [`super::meetings`], which come back here.

use super::ShownError;
use super::meetings::{ActionForm, DayForm, ItemForm, MeetingForm, span_text, times};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, Visitor};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use plenary_app::{AppError, MeetingView};
use plenary_domain::meetings::AttendanceStatus;
use plenary_domain::minutes::{ActionStatus, MinutesState};
use plenary_domain::time::{Zone, label};
use serde::Deserialize;
use std::ops::Deref;

pub(crate) struct SubRow {
    id: i64,
    time: String,
    number: String,
    title: String,
    presenters: String,
    interventions: Vec<String>,
    outside_hours: bool,
}

pub(crate) struct ActionRow {
    id: i64,
    text: String,
    owner: String,
    due: String,
    status: &'static str,
    moves: Vec<(&'static str, &'static str)>,
}

impl ActionRow {
    fn of(a: &plenary_app::ActionView) -> ActionRow {
        ActionRow {
            id: a.action.id,
            text: a.action.text.clone(),
            owner: a.owner_name.clone(),
            due: a.action.due_on.map(|d| d.to_string()).unwrap_or_default(),
            status: a.action.status.label(),
            moves: action_moves(a.action.status),
        }
    }
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

pub(crate) struct ConflictView {
    item_title: String,
    current_text: String,
}

pub(crate) struct ItemRow {
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
    outside_hours: bool,
    /// Whether the notes box is shown open (a conflict on it, or notes being written).
    open_notes: bool,
    /// Why the notes typed were refused.
    note_errors: Vec<ShownError>,
}

pub(crate) struct DayRow {
    id: i64,
    id_text: String,
    heading: String,
    /// "10:00–18:00" in the shown zone.
    hours: String,
    room: String,
    label: String,
    items: Vec<ItemRow>,
    documents: Vec<String>,
    outputs: Vec<String>,
}

pub(crate) struct DocRow {
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

pub(crate) struct PersonRow {
    family: String,
    given: String,
    organization: String,
    status: &'static str,
}

/// The reading view; [`MeetingEditPage`] shows the same data for editing.
#[derive(Template)]
#[template(path = "meeting.html")]
pub(crate) struct MeetingPage {
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
    /// Only when the visitor is entitled to it (see `App::meeting`).
    join_url: Option<String>,
    stream_url: Option<String>,
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
    /// Every refusal of the form posted; each form below shows only its own.
    errors: Vec<ShownError>,
    minutes_errors: Vec<ShownError>,
    day_errors: Vec<ShownError>,
    item_errors: Vec<ShownError>,
    meeting_errors: Vec<ShownError>,
    room_errors: Vec<ShownError>,
    attendee_errors: Vec<ShownError>,
    groups_errors: Vec<ShownError>,
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
    carry_errors: Vec<ShownError>,
    document_errors: Vec<ShownError>,
    /// Which form was refused and the text typed into it (see [`MeetingPage::kept`]).
    typed_form: &'static str,
    typed: Vec<(&'static str, String)>,
}

impl MeetingPage {
    /// The text typed into `field` of `form` when that form was refused, else nothing.
    fn kept(&self, form: &str, field: &str) -> &str {
        if self.typed_form != form {
            return "";
        }
        self.typed
            .iter()
            .find(|(name, _)| *name == field)
            .map_or("", |(_, text)| text.as_str())
    }
}

/// The editing view: the reading view's data, laid out with the controls.
#[derive(Template)]
#[template(path = "meeting_edit.html")]
pub(crate) struct MeetingEditPage(MeetingPage);

impl Deref for MeetingEditPage {
    type Target = MeetingPage;
    fn deref(&self) -> &MeetingPage {
        &self.0
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    tz: String,
    #[serde(default)]
    done: String,
    /// The item a new sub-item is for ("Add a sub-item" links here).
    #[serde(default)]
    parent: String,
}

fn notice_for(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("The meeting has been created. Add its days and agenda items below."),
        "saved" => Some("Saved."),
        "imported" => Some("The document has been imported as this meeting."),
        "reimported" => Some("The corrected document has updated this meeting."),
        "unchanged" => Some("This document had been imported already: nothing changed."),
        "circulated" => Some("The minutes have been circulated."),
        _ => None,
    }
}

/// Which view to draw.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    Read,
    Edit,
}

/// Extra state of the editing view shown again after a refused form.
#[derive(Default)]
pub(crate) struct Extras {
    /// Which form was refused: "minutes", "day", "item", "meeting", "room", "attendee",
    /// "groups" or "action" (whose errors show under its own item).
    pub form: &'static str,
    /// (item, the text the visitor typed, the newer text, its version).
    pub conflict: Option<(i64, String, String, i64)>,
    pub errors: Vec<ShownError>,
    pub item_form: Option<ItemForm>,
    pub day_form: Option<DayForm>,
    pub meeting_form: Option<MeetingForm>,
    pub action_form: Option<ActionForm>,
    /// The text typed into the refused form's fields (room, participant, role groups,
    /// notes, document), by field name.
    pub typed: Vec<(&'static str, String)>,
    /// The item whose notes were refused (its text is `typed`'s "text").
    pub note_item: Option<i64>,
}

impl Extras {
    /// Nothing kept but which form was refused.
    pub(crate) fn of(form: &'static str) -> Extras {
        Extras {
            form,
            ..Extras::default()
        }
    }

    /// Which form was refused, keeping the text typed into its fields.
    pub(crate) fn typed(form: &'static str, typed: Vec<(&'static str, String)>) -> Extras {
        Extras {
            form,
            typed,
            ..Extras::default()
        }
    }
}

fn sub_row(s: &plenary_app::Item, zone: Zone, outside: &[i64]) -> SubRow {
    SubRow {
        id: s.id,
        time: times(s.starts_at, s.ends_at, zone),
        number: s.number.clone().unwrap_or_default(),
        title: s.title.clone(),
        presenters: s.presenters.clone(),
        interventions: s.interventions.clone(),
        outside_hours: outside.contains(&s.id),
    }
}

fn item_row(v: &plenary_app::ItemView, zone: Zone, outside: &[i64]) -> ItemRow {
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
        subitems: v
            .subitems
            .iter()
            .map(|s| sub_row(s, zone, outside))
            .collect(),
        outside_hours: outside.contains(&v.item.id),
        open_notes: false,
        note_errors: Vec::new(),
    }
}

fn day_row(d: &plenary_app::DayView, zone: Zone) -> DayRow {
    DayRow {
        id: d.day.id,
        id_text: d.day.id.to_string(),
        heading: d.day.day.format("%A, %-d %B %Y").to_string(),
        hours: times(Some(d.hours.0), Some(d.hours.1), zone),
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
        items: d
            .items
            .iter()
            .map(|i| item_row(i, zone, &d.outside_hours))
            .collect(),
        documents: d.day.input_documents.clone(),
        outputs: d.day.desired_outputs.clone(),
    }
}

/// Everything a meeting's view reads, loaded in one blocking call.
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
        shown: View,
    ) -> Result<MeetingData, AppError> {
        let view = app.meeting(caller, id)?;
        if shown == View::Edit && !view.can_manage {
            return Err(AppError::Forbidden);
        }
        let editing = shown == View::Edit;
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
            earlier: if editing {
                app.earlier_open_actions(caller, id)?
            } else {
                Vec::new()
            },
            owner_choices: if editing {
                app.owner_choices(&view)?
            } else {
                Vec::new()
            },
            person_choices: if editing {
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

/// The zone to show times in: `?tz=`, else the viewer's own, else the meeting's; with
/// the complaint about a `?tz=` that names no zone.
fn viewer_zone(raw: &str, own_zone: Option<String>) -> (Option<Zone>, Option<String>) {
    match raw.trim() {
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
    }
}

/// Puts each item's documents, notes and actions beside it; returns the conflict to show.
fn fill_items(days: &mut [DayRow], data: &MeetingData, extras: &Extras) -> Option<ConflictView> {
    let mut conflict = None;
    for item in days.iter_mut().flat_map(|d| d.items.iter_mut()) {
        item.files = data
            .documents
            .iter()
            .filter(|d| d.item_id == Some(item.id))
            .map(|d| (d.id, d.title.clone()))
            .collect();
        if let Some(note) = data.notes.iter().find(|n| n.item_id == item.id) {
            item.note_text = note.text.clone();
            item.note_version = note.version;
        }
        if extras.note_item == Some(item.id) {
            item.note_text = extras
                .typed
                .iter()
                .find(|(field, _)| *field == "text")
                .map(|(_, text)| text.clone())
                .unwrap_or_default();
            item.open_notes = true;
            item.note_errors = extras.errors.clone();
        }
        if let Some((_, yours, theirs, version)) =
            extras.conflict.as_ref().filter(|c| c.0 == item.id)
        {
            item.note_text = yours.clone();
            item.note_version = *version;
            item.open_notes = true;
            conflict = Some(ConflictView {
                item_title: item.title.clone(),
                current_text: theirs.clone(),
            });
        }
        item.actions = data
            .actions
            .iter()
            .filter(|a| a.action.item_id == Some(item.id))
            .map(ActionRow::of)
            .collect();
    }
    conflict
}

/// The minutes' next states as buttons.
fn minutes_moves(minutes: &plenary_app::Minutes) -> Vec<(&'static str, &'static str)> {
    MinutesState::ALL
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
            MinutesState::Circulated => ("circulated", "Circulate…"),
            MinutesState::Approved => ("approved", "Approve…"),
        })
        .collect()
}

fn zone_choices(zone: Zone, viewer: Option<Zone>) -> Vec<(String, String)> {
    let mut choices = vec![
        (
            zone.name().to_owned(),
            format!("the meeting's zone ({})", zone.name()),
        ),
        ("UTC".to_owned(), "UTC".to_owned()),
    ];
    if let Some(v) = viewer.filter(|v| *v != zone && *v != Zone::UTC) {
        choices.push((v.name().to_owned(), v.name().to_owned()));
    }
    choices
}

fn participant_rows(view: &MeetingView) -> Vec<(String, Vec<PersonRow>)> {
    view.participants
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
        .collect()
}

fn abbrev_text(at: chrono::DateTime<chrono::Utc>, zone: Zone) -> String {
    let l = label(at, zone);
    if l.abbreviation.is_empty() {
        format!("UTC{}", l.offset)
    } else {
        format!("{}, UTC{}", l.abbreviation, l.offset)
    }
}

/// The new-item form set for a sub-item of `parent`, when that is one of the meeting's
/// items.
fn sub_item_form(view: &MeetingView, parent: &str) -> ItemForm {
    let parent = parent.trim().parse::<i64>().ok();
    view.days
        .iter()
        .find_map(|d| {
            d.items
                .iter()
                .find(|i| Some(i.item.id) == parent)
                .map(|i| ItemForm {
                    day_id: d.day.id.to_string(),
                    parent_id: i.item.id.to_string(),
                    ..ItemForm::default()
                })
        })
        .unwrap_or_default()
}

/// The refusals to show beside `form`'s fields: none unless it was the form posted.
fn errors_of(extras: &Extras, form: &str) -> Vec<ShownError> {
    if extras.form == form {
        extras.errors.clone()
    } else {
        Vec::new()
    }
}

fn build_page(chrome: Chrome, data: MeetingData, query: &PageQuery, extras: Extras) -> MeetingPage {
    let view = &data.view;
    let zone = view.zone;
    let (viewer, tz_problem) = viewer_zone(&query.tz, data.own_zone.clone());
    let display = viewer.unwrap_or(zone);
    let m = &view.meeting;
    let mut days: Vec<DayRow> = view.days.iter().map(|d| day_row(d, display)).collect();
    let conflict = fill_items(&mut days, &data, &extras);
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
    // The order typed when it was refused, else the groups as they are.
    let group_order = match extras.typed.iter().find(|(f, _)| *f == "role_groups") {
        Some((_, typed)) if extras.form == "groups" => typed.clone(),
        _ => view
            .participants
            .iter()
            .map(|(g, _)| g.clone())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    MeetingPage {
        chrome,
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
        join_url: view.join_url.clone(),
        stream_url: m.stream_url.clone(),
        description: m.description.clone(),
        rooms: view
            .rooms
            .iter()
            .map(|r| (r.id.to_string(), r.name.clone()))
            .collect(),
        zone_choices: zone_choices(zone, viewer),
        display_zone: display.name().to_owned(),
        display_abbrev: abbrev_text(m.starts_at, display),
        zone_abbrev: format!("{} local time", zone.name()),
        tz_problem,
        days,
        parents,
        participants: participant_rows(view),
        can_manage: view.can_manage,
        notice: notice_for(&query.done),
        minutes_errors: errors_of(&extras, "minutes"),
        day_errors: errors_of(&extras, "day"),
        item_errors: errors_of(&extras, "item"),
        meeting_errors: errors_of(&extras, "meeting"),
        room_errors: errors_of(&extras, "room"),
        attendee_errors: errors_of(&extras, "attendee"),
        groups_errors: errors_of(&extras, "groups"),
        carry_errors: errors_of(&extras, "carry"),
        document_errors: errors_of(&extras, "document"),
        typed_form: extras.form,
        typed: extras.typed,
        errors: extras.errors,
        owner_choices: data.owner_choices.clone(),
        person_choices: data.person_choices.clone(),
        action_form: extras.action_form.unwrap_or_default(),
        item_form: extras
            .item_form
            .unwrap_or_else(|| sub_item_form(view, &query.parent)),
        day_form: extras.day_form.unwrap_or_default(),
        statuses: AttendanceStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        group_order,
        earlier: data.earlier.iter().map(ActionRow::of).collect(),
        minutes_state: data.minutes.state.label(),
        minutes_revision: data.minutes.revision,
        minutes_moves: minutes_moves(&data.minutes),
        conflict,
        documents: data
            .documents
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
            .unwrap_or_else(|| MeetingForm::of(m, view.join_url.as_deref(), zone)),
        meeting_kinds: plenary_domain::meetings::MeetingKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        meeting_modes: plenary_domain::meetings::MeetingMode::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
    }
}

/// Draws one of the meeting's views.
pub(crate) async fn meeting_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    query: &PageQuery,
    shown: View,
    extras: Extras,
) -> Result<Response, PageError> {
    if shown == View::Edit {
        visitor.require_user()?;
    }
    let app = state.app.clone();
    let caller = visitor.caller();
    let signed_in = visitor.user.is_some();
    let account_zone = visitor.user.as_ref().and_then(|u| u.user.time_zone.clone());
    let data =
        blocking(move || MeetingData::load(&app, &caller, id, signed_in, account_zone, shown))
            .await?;
    let page = build_page(visitor.chrome(&state.app), data, query, extras);
    Ok(match shown {
        View::Read => render(&page),
        View::Edit => render(&MeetingEditPage(page)),
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    meeting_page(&state, &visitor, id, &q, View::Read, Extras::default()).await
}

pub async fn edit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    meeting_page(&state, &visitor, id, &q, View::Edit, Extras::default()).await
}
