//! Minutes (a note per agenda item, with every revision) and action items.

use crate::accounts::require_account;
use crate::audit::Change;
use crate::input::{Errors, invalid_fields, missing, optional};
use crate::owners;
use crate::{App, AppError, Caller};
use plenary_domain::minutes::{ActionStatus, MinutesState, Owner, check_due, parse_text};
use plenary_domain::people::parse_date;
use plenary_domain::{FieldError, Permission, Problem, Scope};
use plenary_store::Tx;
use plenary_store::directory as dir;
use plenary_store::meetings::{self as store, Meeting};
use plenary_store::minutes::{
    self as mstore, Action, ActionFilter, Minutes, NewAction, Note, Revision,
};
use serde_json::json;

fn can_manage(caller: &Caller, body_id: i64) -> bool {
    caller
        .principal
        .can(Permission::ManageMeetings, Scope::Body(body_id))
}

/// The meeting, if the caller manages it.
fn managed(tx: &mut Tx<'_>, caller: &Caller, meeting_id: i64) -> Result<Meeting, AppError> {
    require_account(caller)?;
    let meeting = store::meeting(tx, meeting_id)?.ok_or(AppError::NotFound)?;
    if !can_manage(caller, meeting.body_id) {
        return Err(AppError::Forbidden);
    }
    Ok(meeting)
}

fn minutes_state(tx: &mut Tx<'_>, meeting_id: i64) -> Result<Minutes, AppError> {
    Ok(mstore::minutes(tx, meeting_id)?.unwrap_or(Minutes {
        state: MinutesState::Draft,
        revision: 1,
        changed_at: chrono::DateTime::UNIX_EPOCH,
        changed_by: String::new(),
    }))
}

impl App {
    /// The minutes' state of a meeting (draft when never changed).
    pub fn minutes(&self, caller: &Caller, meeting_id: i64) -> Result<Minutes, AppError> {
        self.meeting(caller, meeting_id)?;
        self.db().read(|tx| minutes_state(tx, meeting_id))
    }

    /// Saves the note of an agenda item, if `base_version` is still the stored one (0
    /// for a first note). A stale edit is refused with the newer text.
    pub fn save_note(
        &self,
        caller: &Caller,
        meeting_id: i64,
        item_id: i64,
        base_version: i64,
        text: &str,
    ) -> Result<Note, AppError> {
        require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            managed(tx, caller, meeting_id)?;
            store::item(tx, item_id)?
                .filter(|i| i.meeting_id == meeting_id)
                .ok_or(AppError::NotFound)?;
            if !minutes_state(tx, meeting_id)?.state.editable() {
                return Err(AppError::Refused(
                    "approved minutes are read-only; open a new revision to change them",
                ));
            }
            let text = text.trim().replace("\r\n", "\n");
            if text.chars().count() > 100_000 {
                return Err(AppError::field("text", Problem::TooLong { max: 100_000 }));
            }
            if !mstore::save_note(
                tx,
                meeting_id,
                item_id,
                base_version,
                &text,
                &caller.label,
                now,
            )? {
                let current = mstore::note_for_item(tx, item_id)?;
                return Err(AppError::EditConflict {
                    current_text: current.as_ref().map(|n| n.text.clone()).unwrap_or_default(),
                    current_version: current.map_or(0, |n| n.version),
                });
            }
            let note = mstore::note_for_item(tx, item_id)?.ok_or(AppError::NotFound)?;
            Change::new("note.save", "meeting", meeting_id)
                .detail(json!({ "item_id": item_id, "version": note.version }))
                .record(tx, caller, now)?;
            Ok(note)
        })
    }

    /// The notes of a meeting: drafts for those who manage it; once circulated, also for
    /// the readers of the circulation (the body's current members and the meeting's
    /// participants); once approved, for anyone who may see the meeting.
    pub fn notes(&self, caller: &Caller, meeting_id: i64) -> Result<Vec<Note>, AppError> {
        let view = self.meeting(caller, meeting_id)?;
        let today = self.now().date_naive();
        self.db().read(|tx| {
            let visible = match minutes_state(tx, meeting_id)?.state {
                MinutesState::Draft => view.can_manage,
                MinutesState::Circulated => {
                    view.can_manage || is_reader(tx, caller, &view.meeting, today)?
                }
                MinutesState::Approved => true,
            };
            if !visible {
                return Ok(Vec::new());
            }
            Ok(mstore::notes_of_meeting(tx, meeting_id)?)
        })
    }

    /// Who reads the minutes once circulated, for the question asked before circulating.
    pub fn circulation(&self, caller: &Caller, meeting_id: i64) -> Result<Circulation, AppError> {
        let today = self.now().date_naive();
        self.db().read(|tx| {
            let meeting = managed(tx, caller, meeting_id)?;
            circulation_of(tx, &meeting, today)
        })
    }

    /// Every revision of an item's note, newest first (for those who manage the meeting).
    pub fn note_history(
        &self,
        caller: &Caller,
        meeting_id: i64,
        item_id: i64,
    ) -> Result<Vec<Revision>, AppError> {
        self.db().read(|tx| {
            managed(tx, caller, meeting_id)?;
            store::item(tx, item_id)?
                .filter(|i| i.meeting_id == meeting_id)
                .ok_or(AppError::NotFound)?;
            Ok(mstore::revisions(tx, item_id)?)
        })
    }

    /// Moves the minutes to `next`: circulate, approve, or reopen as a new revision.
    pub fn set_minutes_state(
        &self,
        caller: &Caller,
        meeting_id: i64,
        next: &str,
    ) -> Result<Minutes, AppError> {
        self.move_minutes(caller, meeting_id, next, false)
    }

    /// [`App::set_minutes_state`], and when `notify`, mails the readers of the
    /// circulation that the minutes were circulated or approved (in the same transaction).
    pub fn move_minutes(
        &self,
        caller: &Caller,
        meeting_id: i64,
        next: &str,
        notify: bool,
    ) -> Result<Minutes, AppError> {
        let now = self.now();
        let link_base = self.config().base_url.clone();
        self.db().write(|tx| {
            let meeting = managed(tx, caller, meeting_id)?;
            let next = MinutesState::parse_field("state", next)?;
            let current = minutes_state(tx, meeting_id)?;
            if !current.state.can_become(next) {
                return Err(AppError::field(
                    "state",
                    Problem::Invalid("the minutes cannot move to this state from where they are"),
                ));
            }
            let revision = if current.state == MinutesState::Approved {
                current.revision + 1
            } else {
                current.revision
            };
            mstore::set_minutes(tx, meeting_id, next, revision, &caller.label, now)?;
            let mailed = match (notify, next) {
                (true, MinutesState::Circulated | MinutesState::Approved) => {
                    let link = format!("{link_base}/meetings/{meeting_id}");
                    tell_readers(tx, &meeting, next, revision, &link, now)?
                }
                _ => 0,
            };
            Change::new("minutes.state", "meeting", meeting_id)
                .detail(json!({ "from": current.state, "to": next, "revision": revision, "mailed": mailed }))
                .record(tx, caller, now)?;
            minutes_state(tx, meeting_id)
        })
    }
}

/// An agenda item's line in the summary's annex: its times in `zone`, number and title.
fn agenda_line(
    item: &plenary_store::meetings::Item,
    zone: plenary_domain::time::Zone,
    sub: bool,
) -> plenary_domain::summary::AgendaLine {
    use plenary_domain::time::label;
    let time = match (item.starts_at, item.ends_at) {
        (Some(s), Some(e)) => format!("{}–{}", label(s, zone).time_hm(), label(e, zone).time_hm()),
        (Some(s), None) => label(s, zone).time_hm(),
        _ => String::new(),
    };
    let title = match item.number.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => format!("{n}. {}", item.title),
        None => item.title.clone(),
    };
    plenary_domain::summary::AgendaLine { time, title, sub }
}

// ------------------------------------------------------------------ circulation

/// Who reads a meeting's minutes once they are circulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Circulation {
    /// The body's current members.
    pub members: usize,
    /// The meeting's participants who are not among them.
    pub participants: usize,
    /// Those of both with an e-mail address: (name, address), once each.
    pub recipients: Vec<(String, String)>,
    /// Whether the meeting is published: approved minutes are then public.
    pub meeting_published: bool,
    pub body_name: String,
}

fn person_name(p: &plenary_store::directory::Person) -> String {
    let name = [p.given_name.as_deref(), p.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        p.email.clone().unwrap_or_default()
    } else {
        name
    }
}

/// The people who read circulated minutes: current members first, then participants.
fn readers(
    tx: &mut Tx<'_>,
    meeting: &Meeting,
    today: chrono::NaiveDate,
) -> Result<(Vec<i64>, Vec<i64>), AppError> {
    let mut members: Vec<i64> = dir::memberships_of_body(tx, meeting.body_id)?
        .into_iter()
        .filter(|m| m.starts_on <= today && m.ends_on.is_none_or(|end| end >= today))
        .map(|m| m.person_id)
        .collect();
    members.sort_unstable();
    members.dedup();
    let mut participants: Vec<i64> = store::attendees(tx, meeting.id)?
        .into_iter()
        .map(|a| a.person_id)
        .filter(|p| members.binary_search(p).is_err())
        .collect();
    participants.sort_unstable();
    participants.dedup();
    Ok((members, participants))
}

fn circulation_of(
    tx: &mut Tx<'_>,
    meeting: &Meeting,
    today: chrono::NaiveDate,
) -> Result<Circulation, AppError> {
    let (members, participants) = readers(tx, meeting, today)?;
    let mut recipients: Vec<(String, String)> = Vec::new();
    for id in members.iter().chain(&participants) {
        let Some(person) = dir::person(tx, *id)? else {
            continue;
        };
        if let Some(email) = person.email.clone().filter(|e| !e.is_empty())
            && !recipients
                .iter()
                .any(|(_, e)| e.eq_ignore_ascii_case(&email))
        {
            recipients.push((person_name(&person), email));
        }
    }
    let body_name = dir::body(tx, meeting.body_id)?
        .map(|b| b.name)
        .unwrap_or_default();
    Ok(Circulation {
        members: members.len(),
        participants: participants.len(),
        recipients,
        meeting_published: meeting.published,
        body_name,
    })
}

/// Whether the caller is among the readers of the meeting's circulated minutes.
pub(crate) fn is_reader(
    tx: &mut Tx<'_>,
    caller: &Caller,
    meeting: &Meeting,
    today: chrono::NaiveDate,
) -> Result<bool, AppError> {
    let Some(user) = caller.principal.user_id() else {
        return Ok(false);
    };
    let Some(person) = dir::person_by_user(tx, user.0)? else {
        return Ok(false);
    };
    let (members, participants) = readers(tx, meeting, today)?;
    Ok(members.contains(&person.id) || participants.contains(&person.id))
}

/// Mails each reader that the minutes were circulated or approved; returns how many.
fn tell_readers(
    tx: &mut Tx<'_>,
    meeting: &Meeting,
    state: MinutesState,
    revision: i64,
    link: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, AppError> {
    let circulation = circulation_of(tx, meeting, now.date_naive())?;
    let kind = match state {
        MinutesState::Approved => "minutes_approved",
        _ => "minutes_circulated",
    };
    for (name, email) in &circulation.recipients {
        crate::mail::enqueue_templated(
            tx,
            kind,
            email,
            &[
                ("name", name.clone()),
                ("meeting", meeting.title.clone()),
                ("body", circulation.body_name.clone()),
                ("revision", revision.to_string()),
                ("link", link.to_owned()),
            ],
            &[],
            now,
        )?;
    }
    Ok(circulation.recipients.len())
}

// ------------------------------------------------------------------ actions

#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub item_id: Option<i64>,
    pub text: String,
    /// "secretariat", "person:ID" or "body:ID".
    pub owner: String,
    pub due_on: String,
}

/// An action with its follow-ups.
#[derive(Debug, Clone)]
pub struct ActionView {
    pub action: Action,
    /// The owner as a person reads it (see [`owners::label`]).
    pub owner_name: String,
    /// The title of the meeting the action came from.
    pub meeting_title: String,
    /// The follow-ups, each with the title of the meeting that made it.
    pub followups: Vec<(plenary_store::minutes::Followup, String)>,
}

/// An action with the names a person reads beside it.
fn action_view(tx: &mut Tx<'_>, action: Action) -> Result<ActionView, AppError> {
    let followups = mstore::followups(tx, action.id)?
        .into_iter()
        .map(|f| {
            let title = meeting_title(tx, f.meeting_id)?;
            Ok((f, title))
        })
        .collect::<Result<_, AppError>>()?;
    Ok(ActionView {
        owner_name: owners::action_owner(tx, &action)?,
        meeting_title: meeting_title(tx, action.meeting_id)?,
        followups,
        action,
    })
}

fn meeting_title(tx: &mut Tx<'_>, id: i64) -> Result<String, AppError> {
    Ok(store::meeting(tx, id)?.map_or_else(|| "a removed meeting".to_owned(), |m| m.title))
}

impl App {
    /// Records an action item of a meeting (and of one of its items). The owner is
    /// named as a person writes it (see [`owners::resolve`]); every field's problem is
    /// reported at once.
    pub fn add_action(
        &self,
        caller: &Caller,
        meeting_id: i64,
        input: &ActionInput,
    ) -> Result<ActionView, AppError> {
        require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let meeting = managed(tx, caller, meeting_id)?;
            let zone = plenary_domain::time::Zone::parse("time_zone", &meeting.time_zone)
                .unwrap_or(plenary_domain::time::Zone::UTC);
            let meeting_day = meeting.starts_at.with_timezone(&zone.tz()).date_naive();
            let mut e = Errors::default();
            let text = e.take(parse_text("text", &input.text, 2000));
            let owner = e.take_all(invalid_fields(owners::resolve(tx, "owner", &input.owner))?);
            let due = e.take(
                optional(&input.due_on, |r| parse_date("due_on", r))
                    .and_then(|d| d.map(|d| check_due(d, meeting_day)).transpose()),
            );
            let item = match input.item_id {
                Some(item) => e.take(
                    store::item(tx, item)?
                        .filter(|i| i.meeting_id == meeting_id)
                        .map(|i| i.id)
                        .ok_or(FieldError::new(
                            "item_id",
                            Problem::Unknown("item of this meeting"),
                        )),
                ),
                None => None,
            };
            e.finish()?;
            let (Some(text), Some(owner), Some(due)) = (text, owner, due) else {
                return Err(missing());
            };
            let new = NewAction {
                meeting_id,
                item_id: item,
                text: &text,
                owner: owner.owner,
                due_on: due,
                by: &caller.label,
                owner_as_written: owner.as_written.as_deref(),
                import_id: None,
            };
            let id = mstore::insert_action(tx, &new, now)?;
            Change::new("action.add", "action", id)
                .detail(json!({
                    "meeting_id": meeting_id,
                    "owner": owner.owner.to_string(),
                    "owner_as_written": owner.as_written,
                    "due_on": due,
                }))
                .record(tx, caller, now)?;
            let action = mstore::action(tx, id)?.ok_or(AppError::NotFound)?;
            action_view(tx, action)
        })
    }

    /// Marks an action done, dropped or open again; `in_meeting` records the follow-up
    /// in a later meeting, with an optional note.
    pub fn set_action_status(
        &self,
        caller: &Caller,
        action_id: i64,
        status: &str,
        in_meeting: Option<i64>,
        note: &str,
    ) -> Result<ActionView, AppError> {
        require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let action = mstore::action(tx, action_id)?.ok_or(AppError::NotFound)?;
            managed(tx, caller, action.meeting_id)?;
            let status = ActionStatus::parse_field("status", status)?;
            if !action.status.can_become(status) {
                return Err(AppError::field(
                    "status",
                    Problem::Invalid("this action cannot move to that status"),
                ));
            }
            if let Some(meeting) = in_meeting {
                managed(tx, caller, meeting)?;
                let note = if note.trim().is_empty() {
                    format!("Marked {}", status.label().to_lowercase())
                } else {
                    note.trim().to_owned()
                };
                mstore::insert_followup(tx, action_id, meeting, &note, &caller.label, now)?;
            }
            mstore::set_action_status(tx, action_id, status, &caller.label, now)?;
            Change::new("action.status", "action", action_id)
                .detail(json!({ "from": action.status, "to": status, "in_meeting": in_meeting }))
                .record(tx, caller, now)?;
            let action = mstore::action(tx, action_id)?.ok_or(AppError::NotFound)?;
            action_view(tx, action)
        })
    }

    /// Records that an action was discussed again in a later meeting.
    pub fn follow_up_action(
        &self,
        caller: &Caller,
        action_id: i64,
        meeting_id: i64,
        note: &str,
    ) -> Result<ActionView, AppError> {
        require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let action = mstore::action(tx, action_id)?.ok_or(AppError::NotFound)?;
            managed(tx, caller, action.meeting_id)?;
            managed(tx, caller, meeting_id)?;
            let note = parse_text("note", note, 5000)?;
            mstore::insert_followup(tx, action_id, meeting_id, &note, &caller.label, now)?;
            Change::new("action.follow_up", "action", action_id)
                .detail(json!({ "meeting_id": meeting_id }))
                .record(tx, caller, now)?;
            action_view(tx, action)
        })
    }

    /// Moves an action to another meeting the caller manages.
    pub fn move_action(
        &self,
        caller: &Caller,
        action_id: i64,
        to_meeting: i64,
    ) -> Result<ActionView, AppError> {
        require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let action = mstore::action(tx, action_id)?.ok_or(AppError::NotFound)?;
            managed(tx, caller, action.meeting_id)?;
            managed(tx, caller, to_meeting)?;
            mstore::move_action(tx, action_id, to_meeting)?;
            Change::new("action.move", "action", action_id)
                .detail(json!({ "from": action.meeting_id, "to": to_meeting }))
                .record(tx, caller, now)?;
            let action = mstore::action(tx, action_id)?.ok_or(AppError::NotFound)?;
            action_view(tx, action)
        })
    }

    /// Action items for the dashboard (any signed-in account), with their follow-ups.
    pub fn actions(
        &self,
        caller: &Caller,
        filter: &ActionFilter,
    ) -> Result<Vec<ActionView>, AppError> {
        require_account(caller)?;
        self.db().read(|tx| {
            let actions = mstore::actions(tx, filter)?;
            actions
                .into_iter()
                .map(|action| action_view(tx, action))
                .collect()
        })
    }

    /// Open actions from earlier meetings of the same body, to follow up in this one
    /// (for those who manage it).
    pub fn earlier_open_actions(
        &self,
        caller: &Caller,
        meeting_id: i64,
    ) -> Result<Vec<ActionView>, AppError> {
        let meeting = self.db().read(|tx| managed(tx, caller, meeting_id))?;
        let earlier: Vec<i64> = self.db().read(|tx| {
            Ok::<_, AppError>(
                store::meetings(tx, Some(meeting.body_id), true)?
                    .into_iter()
                    .filter(|m| m.starts_at < meeting.starts_at)
                    .map(|m| m.id)
                    .collect(),
            )
        })?;
        let open = ActionFilter {
            body_id: Some(meeting.body_id),
            status: Some(ActionStatus::Open),
            ..Default::default()
        };
        Ok(self
            .actions(caller, &open)?
            .into_iter()
            .filter(|v| earlier.contains(&v.action.meeting_id))
            .collect())
    }

    /// The open actions owned by the caller's person record.
    pub fn my_actions(&self, caller: &Caller) -> Result<Vec<ActionView>, AppError> {
        let Some(person) = self.my_person(caller)? else {
            return Ok(Vec::new());
        };
        let filter = ActionFilter {
            owner: Some(Owner::Person(person.id)),
            status: Some(ActionStatus::Open),
            ..Default::default()
        };
        self.actions(caller, &filter)
    }

    /// Open and overdue counts per owner (unlisted owners each by what was written),
    /// for the dashboard: (owner, name, open, overdue).
    pub fn action_counts(
        &self,
        caller: &Caller,
        filter: &ActionFilter,
    ) -> Result<Vec<(Owner, String, usize, usize)>, AppError> {
        let today = self.today();
        let open = ActionFilter {
            status: Some(ActionStatus::Open),
            ..filter.clone()
        };
        let mut counts: Vec<(Owner, String, usize, usize)> = Vec::new();
        for view in self.actions(caller, &open)? {
            let overdue = usize::from(view.action.due_on.is_some_and(|d| d < today));
            let (owner, name) = (view.action.owner, view.owner_name);
            match counts.iter_mut().find(|c| c.0 == owner && c.1 == name) {
                Some(entry) => {
                    entry.2 += 1;
                    entry.3 += overdue;
                }
                None => counts.push((owner, name, 1, overdue)),
            }
        }
        Ok(counts)
    }
}

/// Refuses to delete a meeting whose actions are neither moved nor dropped; dropped
/// ones go with it.
pub(crate) fn clear_actions_before_delete(
    tx: &mut Tx<'_>,
    meeting_id: i64,
) -> Result<(), AppError> {
    let remaining = mstore::actions(
        tx,
        &ActionFilter {
            meeting_id: Some(meeting_id),
            ..Default::default()
        },
    )?;
    if remaining.iter().any(|a| a.status != ActionStatus::Dropped) {
        return Err(AppError::Refused(
            "this meeting has action items; move them to another meeting or drop them first",
        ));
    }
    mstore::delete_dropped_actions(tx, meeting_id)?;
    Ok(())
}

// ------------------------------------------------------------------ summary and carry-over

impl App {
    /// The summary document of a meeting. Notes and actions appear once the minutes are
    /// circulated (always for those who manage the meeting).
    pub fn meeting_summary(
        &self,
        caller: &Caller,
        meeting_id: i64,
    ) -> Result<plenary_domain::summary::Summary, AppError> {
        use plenary_domain::summary::{Summary, SummaryAction, SummaryItem};
        // Times in the annex are the meeting's own; `times_in` says which zone.
        let view = self.meeting(caller, meeting_id)?;
        let notes = self.notes(caller, meeting_id)?;
        let show_records = view.can_manage || !notes.is_empty();
        let zone = view.zone;
        let start = plenary_domain::time::label(view.meeting.starts_at, zone);
        let abbrev = match start.abbreviation.as_str() {
            "" => format!("UTC{}", start.offset),
            "UTC" => "UTC".to_owned(),
            other => format!("{other} (UTC{})", start.offset),
        };
        let when_line = format!(
            "{} | {} {} | {}",
            start.local.format("%-d %B %Y"),
            start.time_hm(),
            abbrev,
            view.meeting.mode.label()
        );
        self.db().read(|tx| {
            let actions = if show_records {
                mstore::actions(
                    tx,
                    &ActionFilter {
                        meeting_id: Some(meeting_id),
                        ..Default::default()
                    },
                )?
            } else {
                Vec::new()
            };
            let mut items = Vec::new();
            let mut agenda = Vec::new();
            for day in &view.days {
                let mut titles = Vec::new();
                for i in &day.items {
                    let number = i.item.number.clone().unwrap_or_default();
                    titles.push(agenda_line(&i.item, zone, false));
                    titles.extend(i.subitems.iter().map(|s| agenda_line(s, zone, true)));
                    let mut item_actions = Vec::new();
                    for a in actions.iter().filter(|a| a.item_id == Some(i.item.id)) {
                        item_actions.push(SummaryAction {
                            text: a.text.clone(),
                            owner: owners::action_owner(tx, a)?,
                            due: a.due_on.map(|d| d.format("%-d %B %Y").to_string()),
                            status: a.status.as_str().to_owned(),
                        });
                    }
                    let note = notes
                        .iter()
                        .find(|n| n.item_id == i.item.id)
                        .map(|n| n.text.clone())
                        .unwrap_or_default();
                    if !note.is_empty() || !item_actions.is_empty() || !number.is_empty() {
                        items.push(SummaryItem {
                            number,
                            title: i.item.title.clone(),
                            notes: note,
                            actions: item_actions,
                        });
                    }
                }
                agenda.push((day.day.day.format("%A, %-d %B %Y").to_string(), titles));
            }
            let participants = view
                .participants
                .iter()
                .map(|(group, people)| {
                    let names = people
                        .iter()
                        .map(|p| {
                            (
                                p.family_name.clone().unwrap_or_default(),
                                p.given_name.clone().unwrap_or_default(),
                            )
                        })
                        .collect();
                    (group.clone(), names)
                })
                .collect();
            Ok(Summary {
                title: view.meeting.title.clone(),
                when_line,
                items,
                agenda,
                times_in: abbrev.clone(),
                participants,
            })
        })
    }

    /// Adds an item "Review of open actions" to a day of `meeting_id`, listing the open
    /// actions of the body's previous meeting. Returns how many were carried over.
    pub fn carry_over_open_actions(
        &self,
        caller: &Caller,
        meeting_id: i64,
        day_id: i64,
    ) -> Result<usize, AppError> {
        let (target, previous) = self.db().read(|tx| {
            let target = managed(tx, caller, meeting_id)?;
            let previous = store::meetings(tx, Some(target.body_id), true)?
                .into_iter()
                .filter(|m| m.starts_at < target.starts_at)
                .max_by_key(|m| m.starts_at);
            Ok::<_, AppError>((target, previous))
        })?;
        let Some(previous) = previous else {
            return Err(AppError::Refused(
                "this body has no earlier meeting to carry actions over from",
            ));
        };
        let open = self.db().read(|tx| {
            let list = mstore::actions(
                tx,
                &ActionFilter {
                    meeting_id: Some(previous.id),
                    status: Some(ActionStatus::Open),
                    ..Default::default()
                },
            )?;
            list.into_iter()
                .map(|a| {
                    let owner = owners::action_owner(tx, &a)?;
                    let due = a.due_on.map(|d| format!(", due {d}")).unwrap_or_default();
                    Ok(format!("{} — {owner}{due}", a.text))
                })
                .collect::<Result<Vec<_>, AppError>>()
        })?;
        let input = crate::ItemInput {
            day_id: Some(day_id),
            title: "Review of open actions".into(),
            presenters: format!("From: {}", previous.title),
            interventions: open.join("\n"),
            ..Default::default()
        };
        self.save_item(caller, target.id, None, &input)?;
        Ok(open.len())
    }
}

/// How many days before its due date an action's owner is reminded.
pub const REMINDER_DAYS: i64 = 3;

impl App {
    /// Queues reminder e-mails for each open action due within `REMINDER_DAYS`: to the
    /// person who owns it, a body's chairs and co-facilitators, or the secretariat's
    /// accounts. Each action is reminded once. Returns how many e-mails were queued.
    /// Runs with the housekeeping.
    pub fn queue_action_reminders(&self) -> Result<usize, AppError> {
        let now = self.now();
        let today = self.today();
        let until = today + chrono::Duration::days(REMINDER_DAYS);
        let base = self.config().base_url.trim_end_matches('/').to_owned();
        self.db().write(|tx| {
            let mut queued = 0;
            for action in mstore::actions_to_remind(tx, until)? {
                let due_on = action
                    .due_on
                    .map(|d| d.format("%-d %B %Y").to_string())
                    .unwrap_or_default();
                let owner = owners::action_owner(tx, &action)?;
                for (email, name) in mstore::owner_recipients(tx, action.owner, today)? {
                    crate::mail::enqueue_templated(
                        tx,
                        "action_reminder",
                        &email,
                        &[
                            ("name", name),
                            ("owner", owner.clone()),
                            ("due_on", due_on.clone()),
                            ("action", action.text.clone()),
                            (
                                "meeting_link",
                                format!("{base}/meetings/{}", action.meeting_id),
                            ),
                            ("actions_link", format!("{base}/actions")),
                        ],
                        &[],
                        now,
                    )?;
                    queued += 1;
                }
                mstore::mark_reminded(tx, action.id, now)?;
            }
            Ok(queued)
        })
    }
}
