//! What the front page shows everyone, and each signed-in person's to-do list: the
//! work that waits for them, with counts, gathered from every area they take part in.

use crate::accounts::require_account;
use crate::calls::MySubmission;
use crate::registration::RegistrationView;
use crate::{App, AppError, Caller};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use plenary_domain::minutes::{ActionStatus, MinutesState};
use plenary_domain::registration::RegistrationStatus;
use plenary_domain::visa::VisaStatus;
use plenary_domain::{Permission, Role, Scope};
use plenary_store::Tx;
use plenary_store::calls::Call;
use plenary_store::directory as dir;
use plenary_store::meetings::{self as mstore, Meeting};
use plenary_store::registration::Event;

/// How far ahead the front page and the dashboards look for meetings and closing calls.
pub const LOOK_AHEAD: Duration = Duration::days(90);
/// A call closing within this long is flagged to the secretariat.
pub const CLOSING_SOON: Duration = Duration::days(14);
/// At most this many lines per list on the front page and dashboards.
const LIST_LIMIT: usize = 8;

/// A meeting with the name of its body.
#[derive(Debug, Clone)]
pub struct MeetingLine {
    pub meeting: Meeting,
    pub body_name: String,
}

/// What the public front page shows: what is happening now and next.
#[derive(Debug, Clone, Default)]
pub struct FrontPage {
    pub upcoming_meetings: Vec<MeetingLine>,
    pub open_calls: Vec<Call>,
    pub open_events: Vec<Event>,
    /// Events whose programme is published.
    pub programmes: Vec<Event>,
}

/// A role the person holds, with what it is scoped to by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLine {
    pub role: Role,
    /// "everywhere", or the body's or event's name.
    pub scope: String,
}

/// The reviews of one call assigned to the person.
#[derive(Debug, Clone)]
pub struct ReviewLoad {
    pub call_id: i64,
    pub call_title: String,
    pub done: usize,
    pub remaining: usize,
}

/// The person's open action items.
#[derive(Debug, Clone, Default)]
pub struct ActionLoad {
    pub open: usize,
    pub overdue: usize,
    /// The most urgent ones first (overdue, then by due date, undated last).
    pub next: Vec<crate::ActionView>,
}

/// Minutes of a meeting the chair manages that wait for them.
#[derive(Debug, Clone)]
pub struct MinutesDue {
    pub meeting: MeetingLine,
    /// Draft: to circulate; Circulated: to approve.
    pub state: MinutesState,
}

/// One event's count of something that waits for the secretariat.
#[derive(Debug, Clone)]
pub struct EventCount {
    pub event: Event,
    pub count: i64,
}

/// One event's programme as far as it needs work.
#[derive(Debug, Clone)]
pub struct ProgrammeAttention {
    pub event: Event,
    pub unplaced: usize,
    pub conflicts: usize,
    pub published: bool,
    /// Sessions changed on the board since the release the public sees (counted while
    /// the programme is published).
    pub unreleased: usize,
}

/// What needs the secretariat's attention.
#[derive(Debug, Clone, Default)]
pub struct Attention {
    pub pending_registrations: Vec<EventCount>,
    pub visa_requests: Vec<EventCount>,
    pub failed_mail: i64,
    pub programmes: Vec<ProgrammeAttention>,
    /// Open calls that close within [`CLOSING_SOON`].
    pub calls_closing: Vec<Call>,
}

impl Attention {
    /// Whether nothing at all waits.
    pub fn is_clear(&self) -> bool {
        self.pending_registrations.is_empty()
            && self.visa_requests.is_empty()
            && self.failed_mail == 0
            && self.programmes.is_empty()
            && self.calls_closing.is_empty()
    }
}

/// A signed-in person's to-do list.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    pub roles: Vec<RoleLine>,
    pub reviews: Vec<ReviewLoad>,
    pub actions: ActionLoad,
    pub submissions: Vec<MySubmission>,
    pub registrations: Vec<RegistrationView>,
    /// The programme sessions they speak at or moderate, soonest first.
    pub sessions: Vec<crate::speakers::MySessionLine>,
    pub next_meetings: Vec<MeetingLine>,
    /// For chairs (and the secretariat): minutes to circulate or approve.
    pub minutes: Vec<MinutesDue>,
    /// For the secretariat only.
    pub attention: Option<Attention>,
    pub today: NaiveDate,
}

impl App {
    /// The public front page (nothing personal, nothing unpublished).
    pub fn front_page(&self) -> Result<FrontPage, AppError> {
        let now = self.now();
        self.db().read(|tx| {
            let upcoming = mstore::meetings(tx, None, false)?
                .into_iter()
                .filter(|m| m.ends_at >= now && m.starts_at <= now + LOOK_AHEAD)
                .collect();
            let events = plenary_store::registration::events(tx)?;
            let mut programmes = Vec::new();
            for event in &events {
                if published_programme(tx, event.id)? {
                    programmes.push(event.clone());
                }
            }
            Ok(FrontPage {
                upcoming_meetings: soonest(with_body_names(tx, upcoming)?),
                open_calls: open_calls(plenary_store::calls::calls(tx)?, now),
                open_events: events
                    .into_iter()
                    .filter(|e| e.registration_opens_at <= now && now < e.registration_closes_at)
                    .collect(),
                programmes,
            })
        })
    }

    /// The caller's dashboard: each area's work for them, with counts and links.
    pub fn dashboard(&self, caller: &Caller) -> Result<Dashboard, AppError> {
        let user = require_account(caller)?;
        let today = self.today();
        let chairs = managed_bodies(caller);
        let (roles, next_meetings, minutes) = self.db().read(|tx| {
            Ok::<_, AppError>((
                role_lines(tx, caller)?,
                meetings_of_my_bodies(tx, user.0, today, self.now())?,
                minutes_due(tx, &chairs, self.now())?,
            ))
        })?;
        Ok(Dashboard {
            roles,
            reviews: review_loads(self.my_assignments(caller)?),
            actions: action_load(self.my_actions(caller)?, today),
            submissions: self.my_submissions(caller)?,
            registrations: self.my_registrations(caller)?,
            sessions: self.my_programme_sessions(caller)?,
            next_meetings,
            minutes,
            attention: self.attention(caller)?,
            today,
        })
    }

    /// The secretariat's list of what waits; `None` for everyone else.
    fn attention(&self, caller: &Caller) -> Result<Option<Attention>, AppError> {
        let principal = &caller.principal;
        if !principal.has_role(Role::Secretariat) {
            return Ok(None);
        }
        let now = self.now();
        let events: Vec<Event> = self
            .events()?
            .into_iter()
            .filter(|e| e.ends_at >= now)
            .collect();
        let mut attention = self.db().read(|tx| {
            let mut attention = Attention {
                calls_closing: open_calls(plenary_store::calls::calls(tx)?, now)
                    .into_iter()
                    .filter(|c| c.closes_at <= now + CLOSING_SOON)
                    .collect(),
                failed_mail: plenary_store::outbox::count_by_status(tx, "failed")?,
                ..Attention::default()
            };
            for event in &events {
                let pending = registrations_in(tx, event.id, RegistrationStatus::Pending)?;
                if pending > 0 && principal.can(Permission::ManageRegistrations, Scope::Global) {
                    attention.pending_registrations.push(EventCount {
                        event: event.clone(),
                        count: pending,
                    });
                }
                let requested = visa_requests_in(tx, event.id, VisaStatus::Requested)?;
                if requested > 0 && principal.can(Permission::ManageVisas, Scope::Global) {
                    attention.visa_requests.push(EventCount {
                        event: event.clone(),
                        count: requested,
                    });
                }
            }
            Ok::<_, AppError>(attention)
        })?;
        if caller
            .principal
            .can(Permission::ManageProgramme, Scope::Global)
        {
            attention.programmes = self.programmes_needing_work(caller, events)?;
        }
        Ok(Some(attention))
    }

    /// The programmes of `events` that have unplaced sessions, conflicts, or changes not
    /// yet released while published.
    fn programmes_needing_work(
        &self,
        caller: &Caller,
        events: Vec<Event>,
    ) -> Result<Vec<ProgrammeAttention>, AppError> {
        let mut out = Vec::new();
        for event in events {
            let view = self.programme(caller, event.id)?;
            let unplaced = view
                .sessions
                .iter()
                .filter(|s| s.timeslot.is_none())
                .count();
            let unreleased = if view.published {
                self.programme_release_status(caller, event.id)?
                    .changes
                    .count()
            } else {
                0
            };
            if unplaced > 0 || !view.conflicts.is_empty() || unreleased > 0 {
                out.push(ProgrammeAttention {
                    event,
                    unplaced,
                    conflicts: view.conflicts.len(),
                    published: view.published,
                    unreleased,
                });
            }
        }
        Ok(out)
    }
}

fn published_programme(tx: &mut Tx<'_>, event_id: i64) -> Result<bool, AppError> {
    Ok(plenary_store::programme::settings(tx, event_id)?.is_some_and(|(published, _)| published))
}

/// Open calls, the one closing first at the top.
fn open_calls(calls: Vec<Call>, now: DateTime<Utc>) -> Vec<Call> {
    let mut open: Vec<Call> = calls
        .into_iter()
        .filter(|c| c.opens_at <= now && now < c.closes_at)
        .collect();
    open.sort_by_key(|c| c.closes_at);
    open
}

/// Meetings in order of their start, the first few.
fn soonest(mut lines: Vec<MeetingLine>) -> Vec<MeetingLine> {
    lines.sort_by_key(|l| (l.meeting.starts_at, l.meeting.id));
    lines.truncate(LIST_LIMIT);
    lines
}

fn with_body_names(tx: &mut Tx<'_>, meetings: Vec<Meeting>) -> Result<Vec<MeetingLine>, AppError> {
    meetings
        .into_iter()
        .map(|meeting| {
            let body_name = dir::body(tx, meeting.body_id)?
                .map(|b| b.name)
                .unwrap_or_default();
            Ok(MeetingLine { meeting, body_name })
        })
        .collect()
}

/// The bodies whose meetings the caller manages: `None` means all of them.
fn managed_bodies(caller: &Caller) -> Option<Vec<i64>> {
    let plenary_domain::Principal::User { grants, .. } = &caller.principal else {
        return Some(Vec::new());
    };
    if caller
        .principal
        .can(Permission::ManageMeetings, Scope::Global)
    {
        return None;
    }
    Some(
        grants
            .iter()
            .filter_map(|g| match g.scope {
                Scope::Body(id) if g.role == Role::Chair => Some(id),
                _ => None,
            })
            .collect(),
    )
}

fn role_lines(tx: &mut Tx<'_>, caller: &Caller) -> Result<Vec<RoleLine>, AppError> {
    let plenary_domain::Principal::User { grants, .. } = &caller.principal else {
        return Ok(Vec::new());
    };
    grants
        .iter()
        .map(|g| {
            Ok(RoleLine {
                role: g.role,
                scope: scope_name(tx, g.scope)?,
            })
        })
        .collect()
}

/// A grant's scope as a person reads it.
pub(crate) fn scope_name(tx: &mut Tx<'_>, scope: Scope) -> Result<String, AppError> {
    Ok(match scope {
        Scope::Global => "everywhere".to_owned(),
        Scope::Body(id) => {
            dir::body(tx, id)?.map_or_else(|| "a removed body".to_owned(), |b| b.name)
        }
        Scope::Event(id) => plenary_store::registration::event(tx, id)?
            .map_or_else(|| "a removed event".to_owned(), |e| e.title),
    })
}

/// The next meetings (published, not yet over) of the bodies the person is a member of.
fn meetings_of_my_bodies(
    tx: &mut Tx<'_>,
    user_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<MeetingLine>, AppError> {
    let Some(person) = dir::person_by_user(tx, user_id)? else {
        return Ok(Vec::new());
    };
    let mut bodies: Vec<i64> = dir::memberships_of_person(tx, person.id)?
        .into_iter()
        .filter(|m| m.starts_on <= today + LOOK_AHEAD && m.ends_on.is_none_or(|end| end >= today))
        .map(|m| m.body_id)
        .collect();
    bodies.sort_unstable();
    bodies.dedup();
    let mut meetings = Vec::new();
    for body in bodies {
        meetings.extend(
            mstore::meetings(tx, Some(body), false)?
                .into_iter()
                .filter(|m| m.ends_at >= now),
        );
    }
    Ok(soonest(with_body_names(tx, meetings)?))
}

/// Past or running meetings of the managed bodies whose minutes wait: circulated ones
/// to approve, and drafts with notes to circulate.
fn minutes_due(
    tx: &mut Tx<'_>,
    bodies: &Option<Vec<i64>>,
    now: DateTime<Utc>,
) -> Result<Vec<MinutesDue>, AppError> {
    let meetings: Vec<Meeting> = match bodies {
        None => mstore::meetings(tx, None, true)?,
        Some(ids) => {
            let mut all = Vec::new();
            for id in ids {
                all.extend(mstore::meetings(tx, Some(*id), true)?);
            }
            all
        }
    };
    let mut waiting = Vec::new();
    for meeting in meetings.into_iter().filter(|m| m.starts_at <= now) {
        let state = match plenary_store::minutes::minutes(tx, meeting.id)? {
            Some(m) => m.state,
            None if !plenary_store::minutes::notes_of_meeting(tx, meeting.id)?.is_empty() => {
                MinutesState::Draft
            }
            None => continue,
        };
        if state != MinutesState::Approved {
            waiting.push((meeting, state));
        }
    }
    let (meetings, states): (Vec<Meeting>, Vec<MinutesState>) = waiting.into_iter().unzip();
    let mut due: Vec<MinutesDue> = with_body_names(tx, meetings)?
        .into_iter()
        .zip(states)
        .map(|(meeting, state)| MinutesDue { meeting, state })
        .collect();
    due.sort_by_key(|d| std::cmp::Reverse(d.meeting.meeting.starts_at));
    due.truncate(LIST_LIMIT);
    Ok(due)
}

fn registrations_in(
    tx: &mut Tx<'_>,
    event_id: i64,
    status: RegistrationStatus,
) -> Result<i64, AppError> {
    Ok(plenary_store::registration::status_counts(tx, event_id)?
        .into_iter()
        .find(|(s, _)| *s == status)
        .map_or(0, |(_, n)| n))
}

fn visa_requests_in(tx: &mut Tx<'_>, event_id: i64, status: VisaStatus) -> Result<i64, AppError> {
    Ok(plenary_store::visa::status_counts(tx, event_id)?
        .into_iter()
        .find(|(s, _)| *s == status)
        .map_or(0, |(_, n)| n))
}

/// The assignments grouped by call, in the order of the calls' first appearance.
fn review_loads(assigned: Vec<crate::review::Assigned>) -> Vec<ReviewLoad> {
    let mut loads: Vec<ReviewLoad> = Vec::new();
    for a in assigned {
        let index = match loads.iter().position(|l| l.call_id == a.submission.call_id) {
            Some(i) => i,
            None => {
                loads.push(ReviewLoad {
                    call_id: a.submission.call_id,
                    call_title: a.call_title.clone(),
                    done: 0,
                    remaining: 0,
                });
                loads.len() - 1
            }
        };
        if a.reviewed {
            loads[index].done += 1;
        } else {
            loads[index].remaining += 1;
        }
    }
    loads
}

/// Counts of the open actions, and the most urgent few.
fn action_load(mut open: Vec<crate::ActionView>, today: NaiveDate) -> ActionLoad {
    open.retain(|v| v.action.status == ActionStatus::Open);
    open.sort_by_key(|v| (v.action.due_on.is_none(), v.action.due_on, v.action.id));
    let overdue = open
        .iter()
        .filter(|v| v.action.due_on.is_some_and(|d| d < today))
        .count();
    let count = open.len();
    open.truncate(LIST_LIMIT);
    ActionLoad {
        open: count,
        overdue,
        next: open,
    }
}
