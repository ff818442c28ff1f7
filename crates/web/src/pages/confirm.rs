//! Deliberate destruction: a delete form posted without `confirmed=yes` answers with a
//! page that says what goes with the record (counts) and asks again; the same route
//! then does it. No JavaScript and no extra route: the question is the form's first
//! answer.

use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, Visitor};
use askama::Template;
use axum::response::Response;
use plenary_app::{AppError, MeetingView};
use serde::Deserialize;

/// A delete form: `confirmed=yes` once the person has seen what goes with it.
#[derive(Deserialize, Default)]
pub struct DeleteForm {
    #[serde(default)]
    confirmed: String,
}

impl DeleteForm {
    pub(crate) fn confirmed(&self) -> bool {
        self.confirmed == "yes"
    }
}

/// What the confirmation page says.
pub(crate) struct Question {
    /// "Delete the meeting “MAG call”?"
    pub title: String,
    /// What goes with it, one line each ("3 days with 12 agenda items").
    pub consequences: Vec<String>,
    /// Why it cannot be done yet, if so (the button is then not offered).
    pub blocked: Option<String>,
    /// The route that deletes (the form posts here again, confirmed).
    pub action: String,
    /// Where "Keep it" leads.
    pub back: String,
    /// The button's text ("Delete the meeting").
    pub button: String,
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    q: Question,
    /// Before the consequences: "This also deletes:".
    lead: &'static str,
    /// After them: "It cannot be undone."
    note: &'static str,
}

/// The confirmation page for `question` (a deletion).
pub(crate) fn ask(state: &AppState, visitor: &Visitor, question: Question) -> Response {
    ask_worded(
        state,
        visitor,
        question,
        "This also deletes:",
        "It cannot be undone.",
    )
}

/// The confirmation page for `question`, with its own words around the consequences
/// (for what is not a deletion, such as withdrawing a publication).
pub(crate) fn ask_worded(
    state: &AppState,
    visitor: &Visitor,
    question: Question,
    lead: &'static str,
    note: &'static str,
) -> Response {
    render(&ConfirmPage {
        chrome: visitor.chrome(&state.app),
        q: question,
        lead,
        note,
    })
}

/// "1 agenda item", "3 agenda items".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The meeting, if the caller manages it (a confirmation page is for those who may
/// delete; anyone else is refused as the deletion itself would be).
pub(crate) async fn managed_meeting(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
) -> Result<(MeetingView, MeetingExtras), PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let (view, extras) = state
        .run(move |app| {
            let view = app.meeting(&caller, id)?;
            if !view.can_manage {
                return Err(AppError::Forbidden);
            }
            let extras = MeetingExtras {
                documents: app.documents(&caller, id)?,
                notes: app.notes(&caller, id)?,
                actions: app.actions(
                    &caller,
                    &plenary_app::ActionFilter {
                        meeting_id: Some(id),
                        ..Default::default()
                    },
                )?,
            };
            Ok((view, extras))
        })
        .await?;
    Ok((view, extras))
}

/// What else belongs to a meeting, for counting.
pub(crate) struct MeetingExtras {
    pub documents: Vec<plenary_app::Document>,
    pub notes: Vec<plenary_app::Note>,
    pub actions: Vec<plenary_app::ActionView>,
}

/// The items of `days` with their sub-items, as ids.
fn item_ids<'a>(days: impl Iterator<Item = &'a plenary_app::DayView>) -> Vec<i64> {
    days.flat_map(|d| &d.items)
        .flat_map(|i| std::iter::once(i.item.id).chain(i.subitems.iter().map(|s| s.id)))
        .collect()
}

/// What deleting a whole meeting takes with it.
pub(crate) fn meeting_question(view: &MeetingView, extras: &MeetingExtras) -> Question {
    let items = item_ids(view.days.iter());
    let attendees: usize = view.participants.iter().map(|(_, a)| a.len()).sum();
    let kept_actions = extras
        .actions
        .iter()
        .filter(|a| a.action.status != plenary_domain::minutes::ActionStatus::Dropped)
        .count();
    Question {
        title: format!("Delete the meeting “{}”?", view.meeting.title),
        consequences: vec![
            format!(
                "{} with {}",
                count(view.days.len(), "day", "days"),
                count(items.len(), "agenda item", "agenda items")
            ),
            count(extras.notes.len(), "item's notes", "items' notes"),
            count(attendees, "participant", "participants"),
            count(extras.documents.len(), "document", "documents"),
            count(view.rooms.len(), "room", "rooms"),
        ],
        blocked: (kept_actions > 0).then(|| {
            format!(
                "This meeting has {}: move them to another meeting or drop them first.",
                count(kept_actions, "action item", "action items")
            )
        }),
        action: format!("/meetings/{}/delete", view.meeting.id),
        back: format!("/meetings/{}/edit", view.meeting.id),
        button: "Delete the meeting".to_owned(),
    }
}

/// What deleting one day of a meeting takes with it.
pub(crate) fn day_question(
    view: &MeetingView,
    extras: &MeetingExtras,
    day_id: i64,
) -> Result<Question, PageError> {
    let day = view
        .days
        .iter()
        .find(|d| d.day.id == day_id)
        .ok_or(PageError::NotFound)?;
    let items = item_ids(std::iter::once(day));
    Ok(Question {
        title: format!(
            "Delete {} from “{}”?",
            day.day.day.format("%A %-d %B %Y"),
            view.meeting.title
        ),
        consequences: item_consequences(&items, extras),
        blocked: None,
        action: format!("/meetings/{}/days/{day_id}/delete", view.meeting.id),
        back: format!("/meetings/{}/days/{day_id}/edit", view.meeting.id),
        button: "Delete the day".to_owned(),
    })
}

/// What deleting one agenda item (with its sub-items), or one sub-item, takes with it.
pub(crate) fn item_question(
    view: &MeetingView,
    extras: &MeetingExtras,
    item_id: i64,
) -> Result<Question, PageError> {
    let top = view.days.iter().flat_map(|d| &d.items);
    let (title, items, mut consequences) =
        if let Some(item) = top.clone().find(|i| i.item.id == item_id) {
            let mut items = vec![item.item.id];
            items.extend(item.subitems.iter().map(|s| s.id));
            (
                format!("Delete the agenda item “{}”?", item.item.title),
                items,
                vec![count(item.subitems.len(), "sub-item", "sub-items")],
            )
        } else {
            let sub = top
                .flat_map(|i| &i.subitems)
                .find(|s| s.id == item_id)
                .ok_or(PageError::NotFound)?;
            (
                format!("Delete the sub-item “{}”?", sub.title),
                vec![sub.id],
                Vec::new(),
            )
        };
    consequences.extend(item_consequences(&items, extras));
    Ok(Question {
        title,
        consequences,
        blocked: None,
        action: format!("/meetings/{}/items/{item_id}/delete", view.meeting.id),
        back: format!("/meetings/{}/edit#item-{item_id}", view.meeting.id),
        button: "Delete the item".to_owned(),
    })
}

fn item_consequences(items: &[i64], extras: &MeetingExtras) -> Vec<String> {
    let on = |id: Option<i64>| id.is_some_and(|id| items.contains(&id));
    let notes = extras
        .notes
        .iter()
        .filter(|n| items.contains(&n.item_id))
        .count();
    let documents = extras.documents.iter().filter(|d| on(d.item_id)).count();
    let actions = extras
        .actions
        .iter()
        .filter(|a| on(a.action.item_id))
        .count();
    let mut lines = vec![
        count(items.len(), "agenda item", "agenda items"),
        count(notes, "item's notes", "items' notes"),
    ];
    if documents > 0 {
        lines.push(format!(
            "{} stay with the meeting, no longer tied to an item",
            count(documents, "document", "documents")
        ));
    }
    if actions > 0 {
        lines.push(format!(
            "{} stay with the meeting, no longer tied to an item",
            count(actions, "action item", "action items")
        ));
    }
    lines
}

// ------------------------------------------------------------------ the programme

/// The programme as its manager sees it (the use case refuses anyone else).
pub(crate) async fn programme(
    state: &AppState,
    visitor: &Visitor,
    event_id: i64,
) -> Result<plenary_app::programme::ProgrammeView, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    Ok(state
        .run(move |app| app.programme(&caller, event_id))
        .await?)
}

fn board(event_id: i64) -> String {
    format!("/admin/events/{event_id}/programme")
}

/// A line saying that `n` sessions lose their place, if any do.
fn unplaced(n: usize, published: bool) -> Option<String> {
    (n > 0).then(|| {
        let shown = if published {
            ", and leave the published programme at its next release"
        } else {
            ""
        };
        format!(
            "{} placed there become unplaced{shown}",
            count(n, "session", "sessions")
        )
    })
}

pub(crate) fn programme_room_question(
    view: &plenary_app::programme::ProgrammeView,
    room_id: i64,
) -> Result<Question, PageError> {
    let room = view
        .rooms
        .iter()
        .find(|r| r.id == room_id)
        .ok_or(PageError::NotFound)?;
    let placed = view
        .sessions
        .iter()
        .filter(|s| s.session.room_id == Some(room_id))
        .count();
    Ok(Question {
        title: format!("Delete the room “{}”?", room.name),
        consequences: unplaced(placed, view.published).into_iter().collect(),
        blocked: None,
        action: format!("{}/rooms/{room_id}/delete", board(view.event.id)),
        back: board(view.event.id),
        button: "Delete the room".to_owned(),
    })
}

pub(crate) fn timeslot_question(
    view: &plenary_app::programme::ProgrammeView,
    timeslot_id: i64,
) -> Result<Question, PageError> {
    let slot = view
        .timeslots
        .iter()
        .find(|t| t.id == timeslot_id)
        .ok_or(PageError::NotFound)?;
    let placed = view
        .sessions
        .iter()
        .filter(|s| s.session.timeslot_id == Some(timeslot_id))
        .count();
    Ok(Question {
        title: format!(
            "Delete the timeslot of {}?",
            plenary_domain::time::label(slot.starts_at, view.zone)
        ),
        consequences: unplaced(placed, view.published).into_iter().collect(),
        blocked: None,
        action: format!("{}/timeslots/{timeslot_id}/delete", board(view.event.id)),
        back: board(view.event.id),
        button: "Delete the timeslot".to_owned(),
    })
}

pub(crate) fn session_question(
    view: &plenary_app::programme::ProgrammeView,
    session_id: i64,
) -> Result<Question, PageError> {
    let s = view
        .sessions
        .iter()
        .find(|s| s.session.id == session_id)
        .ok_or(PageError::NotFound)?;
    let mut consequences = vec![count(
        s.people.len(),
        "speaker or moderator listed",
        "speakers and moderators listed",
    )];
    if let (Some(room), Some(slot)) = (&s.room, &s.timeslot) {
        let shown = if view.published {
            "; it leaves the published programme at its next release"
        } else {
            ""
        };
        consequences.push(format!(
            "its place in {} at {}{shown}",
            room.name,
            plenary_domain::time::label(slot.starts_at, view.zone)
        ));
    }
    Ok(Question {
        title: format!("Delete the session “{}”?", s.session.title),
        consequences,
        blocked: None,
        action: format!("{}/sessions/{session_id}/delete", board(view.event.id)),
        back: format!("{}/sessions/{session_id}", board(view.event.id)),
        button: "Delete the session".to_owned(),
    })
}
