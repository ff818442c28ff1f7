//! The forms that prepare a meeting: its details, rooms, days, agenda items, notes,
//! actions and participants. Each comes back to the editing view of
//! [`super::meeting_view`], or shows it again with the refusal beside the field.

use super::bodies::optional_id;
use super::meeting_view::{Extras, PageQuery, View, meeting_page};
use super::{ShownError, confirm, shown, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use plenary_app::{
    AppError, AttendeeInput, DayInput, Item, ItemInput, MeetingInput, Move, RoomInput,
};
use plenary_domain::time::{Zone, label};
use serde::Deserialize;

/// "10:00–11:30" in `zone`, or just the start.
pub(crate) fn times(
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    zone: Zone,
) -> String {
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

#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    #[serde(default)]
    pub(crate) day_id: String,
    #[serde(default)]
    pub(crate) parent_id: String,
    #[serde(default)]
    pub(crate) number: String,
    #[serde(default)]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) starts: String,
    #[serde(default)]
    pub(crate) ends: String,
    #[serde(default)]
    pub(crate) room_id: String,
    #[serde(default)]
    pub(crate) presenters: String,
    #[serde(default)]
    pub(crate) interventions: String,
    #[serde(default)]
    pub(crate) input_documents: String,
    #[serde(default)]
    pub(crate) desired_outputs: String,
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
    pub(crate) day: String,
    #[serde(default)]
    pub(crate) room_id: String,
    #[serde(default)]
    pub(crate) label: String,
    #[serde(default)]
    pub(crate) input_documents: String,
    #[serde(default)]
    pub(crate) desired_outputs: String,
    #[serde(default)]
    pub(crate) starts: String,
    #[serde(default)]
    pub(crate) ends: String,
}

impl DayForm {
    fn input(self) -> Result<DayInput, AppError> {
        Ok(DayInput {
            day: self.day,
            room_id: optional_id("room_id", &self.room_id)?,
            label: self.label,
            starts: self.starts,
            ends: self.ends,
            input_documents: self.input_documents,
            desired_outputs: self.desired_outputs,
        })
    }
}

/// Runs a change and goes back to the meeting's editing view, or shows that view again
/// with the errors.
async fn change(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    extras: Extras,
    work: impl FnOnce(plenary_app::App, plenary_app::Caller) -> Result<(), AppError> + Send + 'static,
) -> Result<Response, PageError> {
    change_at(state, visitor, id, "", extras, work).await
}

/// [`change`], coming back to `anchor` on the page (`#item-12`) so that the person
/// keeps their place in a long agenda.
async fn change_at(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    anchor: &str,
    extras: Extras,
    work: impl FnOnce(plenary_app::App, plenary_app::Caller) -> Result<(), AppError> + Send + 'static,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    match blocking(move || work(app, caller)).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/meetings/{id}/edit?done=saved{anchor}")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let extras = Extras {
                errors: shown(&errors),
                ..extras
            };
            let page = meeting_page(
                state,
                visitor,
                id,
                &PageQuery::default(),
                View::Edit,
                extras,
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
    #[serde(default)]
    pub(crate) join_url: String,
    #[serde(default)]
    pub(crate) stream_url: String,
}

impl MeetingForm {
    /// The meeting's form; `join_url` as read for those who manage it.
    pub(crate) fn of(m: &plenary_app::Meeting, join_url: Option<&str>, zone: Zone) -> MeetingForm {
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
            join_url: join_url.unwrap_or_default().to_owned(),
            stream_url: m.stream_url.clone().unwrap_or_default(),
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
            join_url: self.join_url.clone(),
            stream_url: self.stream_url.clone(),
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
        Ok(m) => Ok(Redirect::to(&format!("/meetings/{}/edit?done=created", m.id)).into_response()),
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
        Extras::typed(
            "room",
            vec![
                ("name", form.name.clone()),
                ("building", form.building.clone()),
            ],
        ),
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
            form: "day",
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
            form: "item",
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
    let anchor = format!("#item-{item}");
    change_at(
        &state,
        &visitor,
        id,
        &anchor,
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
        Extras::typed(
            "attendee",
            vec![
                ("person_id", form.person_id.clone()),
                ("role_group", form.role_group.clone()),
                ("status", form.status.clone()),
            ],
        ),
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
        Extras::typed("groups", vec![("role_groups", form.role_groups.clone())]),
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

/// "14:30" in `zone`, or nothing.
fn hm(t: Option<DateTime<Utc>>, zone: Zone) -> String {
    t.map(|t| label(t, zone).time_hm()).unwrap_or_default()
}

fn item_form_of(item: &Item, zone: Zone) -> ItemForm {
    let hm = |t| hm(t, zone);
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
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}/edit?done=saved")).into_response()),
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
            form: "meeting",
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
    /// The meeting's zone, in which the day's hours are typed.
    zone: String,
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
        zone: view.zone.name().to_owned(),
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
            starts: hm(day.day.starts_at, view.zone),
            ends: hm(day.day.ends_at, view.zone),
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
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}/edit?done=saved")).into_response()),
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
        Ok(_) => Ok(
            Redirect::to(&format!("/meetings/{id}/edit?done=saved#item-{item}")).into_response(),
        ),
        Err(AppError::EditConflict {
            current_text,
            current_version,
        }) => {
            let extras = Extras {
                conflict: Some((item, form.text, current_text, current_version)),
                ..Default::default()
            };
            Ok(with_status(
                meeting_page(
                    &state,
                    &visitor,
                    id,
                    &PageQuery::default(),
                    View::Edit,
                    extras,
                )
                .await?,
                StatusCode::CONFLICT,
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let extras = Extras {
                note_item: Some(item),
                errors: shown(&errors),
                ..Extras::typed("note", vec![("text", form.text)])
            };
            let page = meeting_page(
                &state,
                &visitor,
                id,
                &PageQuery::default(),
                View::Edit,
                extras,
            )
            .await?;
            Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct MinutesForm {
    #[serde(default)]
    state: String,
    /// "yes" once the person has seen who will read the minutes.
    #[serde(default)]
    confirmed: String,
    /// "yes" to mail the readers.
    #[serde(default)]
    notify: String,
}

/// The question asked before circulating or approving: who will read the minutes.
#[derive(Template)]
#[template(path = "minutes_confirm.html")]
struct MinutesConfirmPage {
    chrome: Chrome,
    meeting_id: i64,
    meeting_title: String,
    /// "circulated" or "approved".
    state: String,
    circulation: plenary_app::Circulation,
}

/// Circulating and approving ask first (they widen who reads the notes); going back to
/// draft does not.
pub async fn set_minutes_state(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<MinutesForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let widens = matches!(form.state.as_str(), "circulated" | "approved");
    if widens && form.confirmed != "yes" {
        visitor.require_user()?;
        let caller = visitor.caller();
        let (title, circulation) = state
            .run(move |app| {
                let circulation = app.circulation(&caller, id)?;
                Ok((app.meeting(&caller, id)?.meeting.title, circulation))
            })
            .await?;
        return Ok(render(&MinutesConfirmPage {
            chrome: visitor.chrome(&state.app),
            meeting_id: id,
            meeting_title: title,
            state: form.state,
            circulation,
        }));
    }
    let notify = form.notify == "yes";
    change_at(
        &state,
        &visitor,
        id,
        "#minutes",
        Extras::of("minutes"),
        move |app, caller| {
            app.move_minutes(&caller, id, &form.state, notify)
                .map(|_| ())
        },
    )
    .await
}

#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    pub(crate) item_id: String,
    #[serde(default)]
    pub(crate) text: String,
    #[serde(default)]
    pub(crate) owner: String,
    #[serde(default)]
    pub(crate) due_on: String,
}

pub async fn add_action(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<ActionForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let extras = Extras {
        form: "action",
        action_form: Some(form.clone()),
        ..Extras::default()
    };
    let anchor = format!("#item-{}", form.item_id.trim());
    change_at(&state, &visitor, id, &anchor, extras, move |app, caller| {
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
