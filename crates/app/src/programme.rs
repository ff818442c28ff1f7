//! The programme of an event: rooms, timeslots, sessions (by hand or from the accepted
//! proposals of a call) with their people, manual placement with its conflicts shown
//! at once (refused unless overridden, an override staying visible), people's
//! unavailability, the scheduler (see [`plenary_domain::schedule`]) with the
//! secretariat's weights and minimal change, publishing, and the public programme.

use crate::accounts::require_permission;
use crate::audit::Change;
use crate::input::{Errors, missing, number_or};
use crate::registration::{event_in, event_zone, local_instant};
use crate::{App, AppError, Caller};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use plenary_domain::calls::SubmissionStatus;
use plenary_domain::programme::{
    Hours, PersonInput, ProgrammeRole, ProgrammeSessionType, RoomInput, SessionInput, SessionSpec,
};
use plenary_domain::schedule::{self, Conflict, Reason, Settings};
use plenary_domain::search::search_key;
use plenary_domain::time::{Zone, local_to_utc_earliest};
use plenary_domain::{FieldError, Permission, Problem};
use plenary_store::Tx;
use plenary_store::programme::{self as store, SessionFields};
pub use plenary_store::programme::{PersonRow, Room, Session, Timeslot, Unavailability};
use plenary_store::registration::Event;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

/// The scheduler's weights, as the secretariat sets them per event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleWeights {
    /// Per pair of same-theme sessions in one timeslot (a track against itself).
    pub theme_parallel: i64,
    /// Per pair of same-theme sessions on one day (themes spread across the days).
    pub theme_same_day: i64,
    /// Per online person outside reasonable local hours.
    pub online_hours: i64,
    /// Per session moved by a re-run (minimal change).
    pub moved: i64,
    pub hours_from: u32,
    pub hours_until: u32,
}

impl Default for ScheduleWeights {
    fn default() -> Self {
        ScheduleWeights {
            theme_parallel: 10,
            theme_same_day: 1,
            online_hours: 5,
            moved: 1000,
            hours_from: 7,
            hours_until: 22,
        }
    }
}

/// The weights as typed.
#[derive(Debug, Clone, Default)]
pub struct WeightsInput {
    pub theme_parallel: String,
    pub theme_same_day: String,
    pub online_hours: String,
    pub moved: String,
    pub hours_from: String,
    pub hours_until: String,
}

/// A session with its people and where it is.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub session: Session,
    pub people: Vec<PersonRow>,
    pub room: Option<Room>,
    pub timeslot: Option<Timeslot>,
}

impl SessionView {
    pub fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.timeslot
            .as_ref()
            .map(|t| t.starts_at + Duration::minutes(self.session.duration))
    }
}

/// A broken hard rule, in words, with the sessions it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictView {
    pub sessions: Vec<i64>,
    pub message: String,
}

/// An event's programme as the secretariat sees it.
#[derive(Debug, Clone)]
pub struct ProgrammeView {
    pub event: Event,
    pub zone: Zone,
    pub published: bool,
    pub weights: ScheduleWeights,
    pub rooms: Vec<Room>,
    pub timeslots: Vec<Timeslot>,
    pub sessions: Vec<SessionView>,
    pub unavailability: Vec<Unavailability>,
    pub conflicts: Vec<ConflictView>,
}

/// What a scheduler run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleReport {
    pub sessions: usize,
    pub placed: usize,
    pub moved: usize,
    pub pinned: usize,
    pub theme_pairs: u64,
    pub same_day_pairs: u64,
    pub cost: i64,
    pub lower_bound: i64,
    pub iterations: u64,
}

pub(crate) fn require_manager(caller: &Caller) -> Result<(), AppError> {
    require_permission(caller, Permission::ManageProgramme).map(|_| ())
}

fn weights_of(raw: &str) -> ScheduleWeights {
    serde_json::from_str(raw).unwrap_or_default()
}

fn settings_of(tx: &mut Tx<'_>, event_id: i64) -> Result<(bool, ScheduleWeights), AppError> {
    let (published, weights) = store::settings(tx, event_id)?.ok_or(AppError::NotFound)?;
    Ok((published, weights_of(&weights)))
}

pub(crate) fn view_sessions(
    sessions: Vec<Session>,
    people: Vec<PersonRow>,
    rooms: &[Room],
    timeslots: &[Timeslot],
) -> Vec<SessionView> {
    let mut by_session: BTreeMap<i64, Vec<PersonRow>> = BTreeMap::new();
    for p in people {
        by_session.entry(p.session_id).or_default().push(p);
    }
    sessions
        .into_iter()
        .map(|s| SessionView {
            people: by_session.remove(&s.id).unwrap_or_default(),
            room: s
                .room_id
                .and_then(|r| rooms.iter().find(|x| x.id == r).cloned()),
            timeslot: s
                .timeslot_id
                .and_then(|t| timeslots.iter().find(|x| x.id == t).cloned()),
            session: s,
        })
        .collect()
}

/// A room and timeslot a session could be placed in, with what that would break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementOption {
    pub room: i64,
    pub timeslot: i64,
    /// The hard rules broken, for people ("the room is too small for its expected
    /// audience"); empty when the session may go there.
    pub breaks: Vec<String>,
}

/// The scheduling problem of an event, and how its indices map back.
struct Model {
    problem: schedule::Problem,
    /// Slot index → (room id, timeslot id).
    slots: Vec<(i64, i64)>,
    /// Session index → session id.
    sessions: Vec<i64>,
    titles: Vec<String>,
    /// Person index → name.
    people: Vec<String>,
}

impl Model {
    fn slot_index(&self, room: i64, timeslot: i64) -> Option<usize> {
        self.slots.iter().position(|s| *s == (room, timeslot))
    }

    fn placement(&self, views: &[SessionView]) -> Vec<Option<usize>> {
        views
            .iter()
            .map(|v| match (v.session.room_id, v.session.timeslot_id) {
                (Some(r), Some(t)) => self.slot_index(r, t),
                _ => None,
            })
            .collect()
    }

    fn names(&self, people: &[usize]) -> String {
        people
            .iter()
            .map(|p| self.people[*p].as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn title(&self, s: usize) -> String {
        format!("“{}”", self.titles[s])
    }

    fn describe(
        &self,
        c: &Conflict,
        unavailable_names: &dyn Fn(usize, usize) -> String,
    ) -> ConflictView {
        let id = |s: usize| self.sessions[s];
        let (sessions, message) = match c {
            Conflict::TooSmall { session, .. } => (
                vec![id(*session)],
                format!(
                    "{}: the room is too small for its expected audience",
                    self.title(*session)
                ),
            ),
            Conflict::TooLong { session, .. } => (
                vec![id(*session)],
                format!("{}: longer than its timeslot", self.title(*session)),
            ),
            Conflict::NotHybrid { session, .. } => (
                vec![id(*session)],
                format!(
                    "{}: a hybrid or online session in a room without hybrid equipment",
                    self.title(*session)
                ),
            ),
            Conflict::Unavailable { session, timeslot } => (
                vec![id(*session)],
                format!(
                    "{}: {} unavailable at that time",
                    self.title(*session),
                    unavailable_names(*session, *timeslot)
                ),
            ),
            Conflict::SameSlot { sessions, .. } => (
                vec![id(sessions[0]), id(sessions[1])],
                format!(
                    "{} and {} are in the same room at the same time",
                    self.title(sessions[0]),
                    self.title(sessions[1])
                ),
            ),
            Conflict::SamePeople { sessions, people } => (
                vec![id(sessions[0]), id(sessions[1])],
                format!(
                    "{} in two places at once: {} and {}",
                    self.names(people),
                    self.title(sessions[0]),
                    self.title(sessions[1])
                ),
            ),
            Conflict::MainInParallel { sessions } => (
                vec![id(sessions[0]), id(sessions[1])],
                format!(
                    "main sessions in parallel: {} and {}",
                    self.title(sessions[0]),
                    self.title(sessions[1])
                ),
            ),
        };
        ConflictView { sessions, message }
    }

    fn explain(&self, r: &Reason) -> String {
        match r {
            Reason::NoSlotFits { session } => format!(
                "{}: no room and timeslot fits it (length, audience, hybrid equipment, its people's availability)",
                self.title(*session)
            ),
            Reason::PinnedTogether { sessions, .. } => format!(
                "{} and {} are pinned to the same room and time",
                self.title(sessions[0]),
                self.title(sessions[1])
            ),
            Reason::PinnedClash { sessions, people } => format!(
                "{} and {} are pinned to the same time{}",
                self.title(sessions[0]),
                self.title(sessions[1]),
                if people.is_empty() {
                    " and are both main sessions".to_owned()
                } else {
                    format!(" and share {}", self.names(people))
                }
            ),
            Reason::TooFewSlots { sessions, slots } => {
                format!("{sessions} sessions but only {slots} room-timeslots")
            }
            Reason::TooManyMain { main, timeslots } => {
                format!(
                    "{main} main sessions may not run in parallel but there are {timeslots} timeslots"
                )
            }
            Reason::PersonOverbooked {
                person,
                sessions,
                timeslots,
            } => format!(
                "{} is in {sessions} sessions but only {timeslots} timeslots fit them",
                self.people[*person]
            ),
            Reason::Unresolved { clashes, unplaced } => {
                let mut parts: Vec<String> = clashes
                    .iter()
                    .map(|(pair, people)| {
                        format!(
                            "{} and {} share {}",
                            self.title(pair[0]),
                            self.title(pair[1]),
                            self.names(people)
                        )
                    })
                    .collect();
                if !unplaced.is_empty() {
                    parts.push(format!(
                        "no place left for {}",
                        unplaced
                            .iter()
                            .map(|s| self.title(*s))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                format!("the scheduler found no timetable: {}", parts.join("; "))
            }
        }
    }
}

/// Builds the scheduling problem of the programme as stored.
fn model(
    zone: Zone,
    weights: ScheduleWeights,
    rooms: &[Room],
    timeslots: &[Timeslot],
    views: &[SessionView],
    unavailability: &[Unavailability],
) -> Model {
    let mut days: Vec<NaiveDate> = timeslots
        .iter()
        .map(|t| t.starts_at.with_timezone(&zone.tz()).date_naive())
        .collect();
    days.sort_unstable();
    days.dedup();
    let day_of = |t: &Timeslot| {
        days.binary_search(&t.starts_at.with_timezone(&zone.tz()).date_naive())
            .unwrap_or(0)
    };
    let mut slots = Vec::new();
    let mut slot_specs = Vec::new();
    for (ti, t) in timeslots.iter().enumerate() {
        for (ri, r) in rooms.iter().enumerate() {
            slots.push((r.id, t.id));
            slot_specs.push(schedule::Slot {
                timeslot: ti,
                room: ri,
                capacity: u32::try_from(r.capacity).unwrap_or(u32::MAX),
                minutes: u32::try_from(t.minutes).unwrap_or(u32::MAX),
                hybrid: r.hybrid,
            });
        }
    }
    let mut themes: Vec<&str> = views
        .iter()
        .map(|v| v.session.theme.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    themes.sort_unstable();
    themes.dedup();
    let mut people: Vec<String> = Vec::new();
    let mut person_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut sessions = Vec::new();
    let mut costs = Vec::new();
    let hours = Hours {
        from: weights.hours_from,
        until: weights.hours_until,
    };
    for (si, v) in views.iter().enumerate() {
        let s = &v.session;
        let mut idx = Vec::new();
        for p in &v.people {
            let i = *person_index.entry(p.person_key.clone()).or_insert_with(|| {
                people.push(p.name.clone());
                people.len() - 1
            });
            idx.push(i);
        }
        let unavailable: Vec<usize> = timeslots
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                let end = t.starts_at + Duration::minutes(s.duration);
                unavailability.iter().any(|u| {
                    v.people.iter().any(|p| p.person_key == u.person_key)
                        && u.starts_at < end
                        && t.starts_at < u.ends_at
                })
            })
            .map(|(i, _)| i)
            .collect();
        if weights.online_hours > 0 {
            for (ti, t) in timeslots.iter().enumerate() {
                let outside = v
                    .people
                    .iter()
                    .filter(|p| p.online)
                    .filter(|p| {
                        let z = p
                            .time_zone
                            .as_deref()
                            .and_then(|z| Zone::parse("time_zone", z).ok())
                            .unwrap_or(zone);
                        !hours.contain(t.starts_at, s.duration, z)
                    })
                    .count() as i64;
                if outside > 0 {
                    costs.push((si, ti, outside * weights.online_hours));
                }
            }
        }
        let placed = match (s.room_id, s.timeslot_id) {
            (Some(r), Some(t)) => slots.iter().position(|x| *x == (r, t)),
            _ => None,
        };
        sessions.push(schedule::Session {
            duration: u32::try_from(s.duration).unwrap_or(u32::MAX),
            audience: u32::try_from(s.expected_audience).unwrap_or(u32::MAX),
            theme: themes.binary_search(&s.theme.as_str()).ok(),
            main: s.session_type == ProgrammeSessionType::Main.as_str(),
            hybrid: s.format != "onsite",
            people: idx,
            pinned: placed.filter(|_| s.pinned),
            previous: placed,
            unavailable,
        });
    }
    Model {
        problem: schedule::Problem {
            timeslots: timeslots
                .iter()
                .map(|t| schedule::Timeslot { day: day_of(t) })
                .collect(),
            slots: slot_specs,
            sessions,
            themes: themes.len(),
            weights: schedule::Weights {
                theme_parallel: weights.theme_parallel,
                theme_same_day: weights.theme_same_day,
                moved: weights.moved,
            },
            timeslot_costs: costs,
        },
        slots,
        sessions: views.iter().map(|v| v.session.id).collect(),
        titles: views.iter().map(|v| v.session.title.clone()).collect(),
        people,
    }
}

pub(crate) struct Loaded {
    pub(crate) event: Event,
    pub(crate) zone: Zone,
    pub(crate) published: bool,
    weights: ScheduleWeights,
    pub(crate) rooms: Vec<Room>,
    pub(crate) timeslots: Vec<Timeslot>,
    pub(crate) views: Vec<SessionView>,
    unavailability: Vec<Unavailability>,
}

pub(crate) fn load(tx: &mut Tx<'_>, event_id: i64) -> Result<Loaded, AppError> {
    let event = event_in(tx, event_id)?;
    let zone = event_zone(&event)?;
    let (published, weights) = settings_of(tx, event_id)?;
    let rooms = store::rooms(tx, event_id)?;
    let timeslots = store::timeslots(tx, event_id)?;
    let views = view_sessions(
        store::sessions(tx, event_id)?,
        store::people(tx, event_id)?,
        &rooms,
        &timeslots,
    );
    let unavailability = store::unavailability(tx, event_id)?;
    Ok(Loaded {
        event,
        zone,
        published,
        weights,
        rooms,
        timeslots,
        views,
        unavailability,
    })
}

impl Loaded {
    fn model(&self) -> Model {
        model(
            self.zone,
            self.weights,
            &self.rooms,
            &self.timeslots,
            &self.views,
            &self.unavailability,
        )
    }

    fn conflicts(&self, m: &Model) -> Vec<ConflictView> {
        self.conflicts_of(m, &m.placement(&self.views))
    }

    /// What placing session `s` in each room and timeslot would break, beside each:
    /// only its own conflicts, with the sessions of that timeslot where they are (the
    /// rules only compare sessions of one timeslot, so the others are left out).
    fn placement_problems(&self, m: &Model, s: usize) -> Vec<PlacementOption> {
        let base = m.placement(&self.views);
        let id = m.sessions[s];
        m.slots
            .iter()
            .enumerate()
            .map(|(k, &(room, timeslot))| {
                let at = m.problem.slots[k].timeslot;
                let placement: Vec<Option<usize>> = base
                    .iter()
                    .enumerate()
                    .map(|(other, q)| {
                        if other == s {
                            Some(k)
                        } else {
                            q.filter(|q| m.problem.slots[*q].timeslot == at)
                        }
                    })
                    .collect();
                let own_title = format!("{}: ", m.title(s));
                let breaks = self
                    .conflicts_of(m, &placement)
                    .into_iter()
                    .filter(|c| c.sessions.contains(&id))
                    .map(|c| {
                        c.message
                            .strip_prefix(&own_title)
                            .map(str::to_owned)
                            .unwrap_or(c.message)
                    })
                    .collect();
                PlacementOption {
                    room,
                    timeslot,
                    breaks,
                }
            })
            .collect()
    }

    fn conflicts_of(&self, m: &Model, placement: &[Option<usize>]) -> Vec<ConflictView> {
        let unavailable = |s: usize, t: usize| {
            let v = &self.views[s];
            let slot = &self.timeslots[t];
            let end = slot.starts_at + Duration::minutes(v.session.duration);
            let names: Vec<&str> = v
                .people
                .iter()
                .filter(|p| {
                    self.unavailability.iter().any(|u| {
                        u.person_key == p.person_key
                            && u.starts_at < end
                            && slot.starts_at < u.ends_at
                    })
                })
                .map(|p| p.name.as_str())
                .collect();
            let verb = if names.len() == 1 { "is" } else { "are" };
            format!("{} {verb}", names.join(", "))
        };
        schedule::conflicts(&m.problem, placement)
            .iter()
            .map(|c| m.describe(c, &unavailable))
            .collect()
    }

    pub(crate) fn into_view(self) -> ProgrammeView {
        let m = self.model();
        let conflicts = self.conflicts(&m);
        ProgrammeView {
            event: self.event,
            zone: self.zone,
            published: self.published,
            weights: self.weights,
            rooms: self.rooms,
            timeslots: self.timeslots,
            sessions: self.views,
            unavailability: self.unavailability,
            conflicts,
        }
    }
}

fn fields(spec: &SessionSpec) -> SessionFields<'_> {
    SessionFields {
        title: &spec.title,
        session_type: spec.session_type.as_str(),
        theme: &spec.theme,
        description: &spec.description,
        duration: spec.duration,
        expected_audience: spec.expected_audience,
        format: spec.format.as_str(),
        language: &spec.language,
        join_url: spec.join_url.as_deref(),
        stream_url: spec.stream_url.as_deref(),
    }
}

fn people_rows(session_id: i64, spec: &SessionSpec) -> Vec<PersonRow> {
    spec.people
        .iter()
        .map(|p| PersonRow {
            session_id,
            name: p.name.clone(),
            person_key: p.key.clone(),
            role: p.role.as_str().to_owned(),
            online: p.online,
            time_zone: p.time_zone.clone(),
        })
        .collect()
}

fn session_in(tx: &mut Tx<'_>, event_id: i64, id: i64) -> Result<Session, AppError> {
    store::session(tx, id)?
        .filter(|s| s.event_id == event_id)
        .ok_or(AppError::NotFound)
}

/// A timeslot as typed: a local date and time in the event's zone, and its length.
#[derive(Debug, Clone, Default)]
pub struct TimeslotInput {
    /// `YYYY-MM-DD`; several dates separated by commas or spaces make one timeslot per date.
    pub dates: String,
    /// `HH:MM`; several times separated by commas or spaces.
    pub times: String,
    pub minutes: String,
}

/// Unavailability as typed: a person's name and a local window.
#[derive(Debug, Clone, Default)]
pub struct UnavailabilityInput {
    pub name: String,
    pub from: String,
    pub until: String,
}

impl App {
    /// A change of an event's programme by the secretariat: one transaction, recorded in
    /// the audit log under the event as `action` with `detail` (the audit entry also
    /// moves the version the public programme is cached by).
    fn change_programme<T>(
        &self,
        caller: &Caller,
        event_id: i64,
        action: &'static str,
        detail: serde_json::Value,
        change: impl FnOnce(&mut Tx<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        require_manager(caller)?;
        let record = Change::new(action, "event", event_id).detail(detail);
        self.write_audited(caller, record, change)
    }

    /// The programme of an event as the secretariat sees it, with its conflicts.
    pub fn programme(&self, caller: &Caller, event_id: i64) -> Result<ProgrammeView, AppError> {
        require_manager(caller)?;
        self.db().read(|tx| Ok(load(tx, event_id)?.into_view()))
    }

    /// For each of `sessions`, every room and timeslot with the hard rules placing the
    /// session there would break (none: it may go there), so that a picker says why
    /// before anything is submitted.
    pub fn placement_options(
        &self,
        caller: &Caller,
        event_id: i64,
        sessions: &[i64],
    ) -> Result<BTreeMap<i64, Vec<PlacementOption>>, AppError> {
        require_manager(caller)?;
        self.db().read(|tx| {
            let loaded = load(tx, event_id)?;
            let m = loaded.model();
            Ok(sessions
                .iter()
                .filter_map(|id| {
                    let s = m.sessions.iter().position(|x| x == id)?;
                    Some((*id, loaded.placement_problems(&m, s)))
                })
                .collect())
        })
    }

    /// Adds or changes a room.
    pub fn save_programme_room(
        &self,
        caller: &Caller,
        event_id: i64,
        id: Option<i64>,
        input: &RoomInput,
    ) -> Result<Room, AppError> {
        require_manager(caller)?;
        let (name, capacity) = input.check().map_err(AppError::Invalid)?;
        let now = self.now();
        self.db().write(|tx| {
            event_in(tx, event_id)?;
            let id = match id {
                Some(id) => {
                    let ok = store::rooms(tx, event_id)?.iter().any(|r| r.id == id)
                        && store::update_room(tx, id, &name, capacity, input.hybrid)
                            .map_err(|e| taken(e, "name"))?;
                    if !ok {
                        return Err(AppError::NotFound);
                    }
                    id
                }
                None => store::insert_room(tx, event_id, &name, capacity, input.hybrid)
                    .map_err(|e| taken(e, "name"))?,
            };
            Change::new("programme.room", "event", event_id)
                .detail(json!({ "room": id, "name": name, "capacity": capacity }))
                .record(tx, caller, now)?;
            store::rooms(tx, event_id)?
                .into_iter()
                .find(|r| r.id == id)
                .ok_or(AppError::NotFound)
        })
    }

    pub fn delete_programme_room(
        &self,
        caller: &Caller,
        event_id: i64,
        id: i64,
    ) -> Result<(), AppError> {
        let detail = json!({ "room": id });
        self.change_programme(caller, event_id, "programme.room_delete", detail, |tx| {
            if !store::rooms(tx, event_id)?.iter().any(|r| r.id == id)
                || !store::delete_room(tx, id)?
            {
                return Err(AppError::NotFound);
            }
            Ok(())
        })
    }

    /// Adds timeslots: one per date and time given, each `minutes` long.
    pub fn add_programme_timeslots(
        &self,
        caller: &Caller,
        event_id: i64,
        input: &TimeslotInput,
    ) -> Result<Vec<Timeslot>, AppError> {
        require_manager(caller)?;
        let split = |raw: &str| -> Vec<String> {
            raw.split(|c: char| c == ',' || c.is_whitespace())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut errors = Errors::default();
        let dates: Vec<NaiveDate> = split(&input.dates)
            .iter()
            .filter_map(|d| {
                errors.take(plenary_domain::dates::parse_date(d).map_err(|e| {
                    let why = match e {
                        plenary_domain::dates::DateError::Malformed => "is not a date (YYYY-MM-DD)",
                        plenary_domain::dates::DateError::OutOfRange => {
                            "is not in the years 1900 to 2200"
                        }
                    };
                    FieldError::new("dates", Problem::Explained(format!("{d:?} {why}")))
                }))
            })
            .collect();
        let times: Vec<NaiveTime> = split(&input.times)
            .iter()
            .filter_map(|t| {
                errors.take(NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| {
                    FieldError::new(
                        "times",
                        Problem::Explained(format!("{t:?} is not a time (HH:MM)")),
                    )
                }))
            })
            .collect();
        if split(&input.dates).is_empty() {
            errors.0.push(FieldError::new("dates", Problem::Required));
        }
        if split(&input.times).is_empty() {
            errors.0.push(FieldError::new("times", Problem::Required));
        }
        let minutes = errors.take(number_or("minutes", &input.minutes, 90, 5..=8 * 60));
        errors.take(given_once("dates", &dates));
        errors.take(given_once("times", &times));
        errors.finish()?;
        let minutes = minutes.ok_or_else(missing)?;
        let now = self.now();
        self.db().write(|tx| {
            let event = event_in(tx, event_id)?;
            let zone = event_zone(&event)?;
            let existing = store::timeslots(tx, event_id)?;
            let mut added = Vec::new();
            let mut added_at = Vec::new();
            for d in &dates {
                for t in &times {
                    let at = local_to_utc_earliest(*d, *t, zone).ok_or_else(|| {
                        AppError::field(
                            "times",
                            Problem::Invalid("this local time does not exist (the clocks skip it)"),
                        )
                    })?;
                    // One timeslot per start: a second one at the same instant (also two
                    // local times that the clocks make one) is refused, not skipped.
                    if existing.iter().any(|x| x.starts_at == at) || added_at.contains(&at) {
                        return Err(AppError::field(
                            "times",
                            Problem::Explained(format!(
                                "a timeslot already starts at {d} {}",
                                t.format("%H:%M")
                            )),
                        ));
                    }
                    added_at.push(at);
                    added.push(store::insert_timeslot(tx, event_id, at, minutes)?);
                }
            }
            Change::new("programme.timeslots", "event", event_id)
                .detail(json!({ "added": added.len(), "minutes": minutes }))
                .record(tx, caller, now)?;
            Ok(store::timeslots(tx, event_id)?
                .into_iter()
                .filter(|t| added.contains(&t.id))
                .collect())
        })
    }

    pub fn delete_programme_timeslot(
        &self,
        caller: &Caller,
        event_id: i64,
        id: i64,
    ) -> Result<(), AppError> {
        let detail = json!({ "timeslot": id });
        self.change_programme(
            caller,
            event_id,
            "programme.timeslot_delete",
            detail,
            |tx| {
                if !store::timeslots(tx, event_id)?.iter().any(|t| t.id == id)
                    || !store::delete_timeslot(tx, id)?
                {
                    return Err(AppError::NotFound);
                }
                Ok(())
            },
        )
    }

    /// Adds a session (`id` None) or changes one at `version`.
    pub fn save_programme_session(
        &self,
        caller: &Caller,
        event_id: i64,
        id: Option<(i64, i64)>,
        input: &SessionInput,
    ) -> Result<SessionView, AppError> {
        require_manager(caller)?;
        let spec = input.check().map_err(AppError::Invalid)?;
        let now = self.now();
        self.db().write(|tx| {
            event_in(tx, event_id)?;
            let id = match id {
                Some((id, version)) => {
                    session_in(tx, event_id, id)?;
                    if !store::update_session(tx, id, version, &fields(&spec), now)? {
                        return Err(AppError::Refused(
                            "someone changed this session meanwhile: reload it, then make your change again",
                        ));
                    }
                    id
                }
                None => store::insert_session(tx, event_id, &fields(&spec), None, now)?,
            };
            store::set_people(tx, id, &people_rows(id, &spec))?;
            Change::new("programme.session", "event", event_id)
                .detail(json!({ "session": id, "title": spec.title }))
                .record(tx, caller, now)?;
            let loaded = load(tx, event_id)?;
            loaded
                .views
                .into_iter()
                .find(|v| v.session.id == id)
                .ok_or(AppError::NotFound)
        })
    }

    pub fn delete_programme_session(
        &self,
        caller: &Caller,
        event_id: i64,
        id: i64,
    ) -> Result<(), AppError> {
        let detail = json!({ "session": id });
        self.change_programme(caller, event_id, "programme.session_delete", detail, |tx| {
            session_in(tx, event_id, id)?;
            store::delete_session(tx, id)?;
            Ok(())
        })
    }

    /// Makes sessions of the accepted proposals of a call (those not taken yet):
    /// title, type, theme, description and format from the proposal, its organizers
    /// as moderators and its speakers; 60 minutes and an audience of 50 to adjust.
    /// Returns how many were added.
    pub fn sessions_from_call(
        &self,
        caller: &Caller,
        event_id: i64,
        call_id: i64,
    ) -> Result<usize, AppError> {
        require_manager(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            event_in(tx, event_id)?;
            plenary_store::calls::call(tx, call_id)?.ok_or(AppError::NotFound)?;
            let taken: Vec<i64> = store::sessions(tx, event_id)?
                .iter()
                .filter_map(|s| s.submission_id)
                .collect();
            let mut added = 0;
            for s in plenary_store::calls::submissions_of_call(
                tx,
                call_id,
                &[SubmissionStatus::Accepted],
            )? {
                if taken.contains(&s.id) {
                    continue;
                }
                let p = crate::calls::proposal_of(&s)?.unwrap_or_default();
                let input = SessionInput {
                    title: s.title.clone(),
                    session_type: ProgrammeSessionType::parse(&p.session_type)
                        .unwrap_or(ProgrammeSessionType::Workshop)
                        .as_str()
                        .to_owned(),
                    theme: p.theme.clone(),
                    description: p.description.clone(),
                    duration: "60".into(),
                    expected_audience: "50".into(),
                    format: if p.format.is_empty() {
                        "onsite".into()
                    } else {
                        p.format.clone()
                    },
                    language: String::new(),
                    people: p
                        .speakers
                        .iter()
                        .map(|sp| PersonInput {
                            name: sp.name.clone(),
                            role: if sp.organizer {
                                ProgrammeRole::Moderator
                            } else {
                                ProgrammeRole::Speaker
                            }
                            .as_str()
                            .into(),
                            online: p.format == "online",
                            time_zone: String::new(),
                        })
                        .collect(),
                    ..SessionInput::default()
                };
                let spec = input.check().map_err(AppError::Invalid)?;
                let id = store::insert_session(tx, event_id, &fields(&spec), Some(s.id), now)?;
                store::set_people(tx, id, &people_rows(id, &spec))?;
                added += 1;
            }
            Change::new("programme.from_call", "event", event_id)
                .detail(json!({ "call": call_id, "added": added }))
                .record(tx, caller, now)?;
            Ok(added)
        })
    }

    /// Places a session by hand (or takes it out with `None`). A placement that breaks
    /// a hard rule is refused with the reasons, unless `override_rules`: then it is
    /// kept and shown as a conflict until it is moved. Two sessions in one room at one
    /// time are always refused.
    pub fn place_session(
        &self,
        caller: &Caller,
        event_id: i64,
        id: i64,
        slot: Option<(i64, i64)>,
        override_rules: bool,
    ) -> Result<Vec<ConflictView>, AppError> {
        require_manager(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let mut loaded = load(tx, event_id)?;
            let index = loaded
                .views
                .iter()
                .position(|v| v.session.id == id)
                .ok_or(AppError::NotFound)?;
            let mut overridden = false;
            if let Some((room, timeslot)) = slot {
                let m = loaded.model();
                m.slot_index(room, timeslot).ok_or_else(|| {
                    AppError::field(
                        "slot",
                        Problem::Invalid("no such room or timeslot in this event"),
                    )
                })?;
                if let Some(other) = loaded.views.iter().find(|v| {
                    v.session.id != id
                        && v.session.room_id == Some(room)
                        && v.session.timeslot_id == Some(timeslot)
                }) {
                    return Err(AppError::field(
                        "slot",
                        Problem::Explained(format!(
                            "“{}” is in this room at this time",
                            other.session.title
                        )),
                    ));
                }
                loaded.views[index].session.room_id = Some(room);
                loaded.views[index].session.timeslot_id = Some(timeslot);
                let m = loaded.model();
                let mine: Vec<ConflictView> = loaded
                    .conflicts(&m)
                    .into_iter()
                    .filter(|c| c.sessions.contains(&id))
                    .collect();
                if !mine.is_empty() && !override_rules {
                    return Err(AppError::Invalid(
                        mine.iter()
                            .map(|c| FieldError::new("slot", Problem::Explained(c.message.clone())))
                            .collect(),
                    ));
                }
                overridden = !mine.is_empty();
            }
            store::place(tx, id, slot, overridden, now)?;
            Change::new("programme.place", "event", event_id)
                .detail(json!({ "session": id, "slot": slot, "override": overridden }))
                .record(tx, caller, now)?;
            Ok(load(tx, event_id)?.into_view().conflicts)
        })
    }

    /// Pins a placed session (the scheduler never moves it) or unpins it.
    pub fn pin_session(
        &self,
        caller: &Caller,
        event_id: i64,
        id: i64,
        pinned: bool,
    ) -> Result<(), AppError> {
        let detail = json!({ "session": id, "pinned": pinned });
        self.change_programme(caller, event_id, "programme.pin", detail, |tx| {
            session_in(tx, event_id, id)?;
            if !store::set_pinned(tx, id, pinned)? {
                return Err(AppError::Refused("only a placed session can be pinned"));
            }
            Ok(())
        })
    }

    /// Records that a person (by name, as listed in sessions) is unavailable.
    pub fn add_unavailability(
        &self,
        caller: &Caller,
        event_id: i64,
        input: &UnavailabilityInput,
    ) -> Result<Unavailability, AppError> {
        require_manager(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let event = event_in(tx, event_id)?;
            let zone = event_zone(&event)?;
            let mut errors = Errors::default();
            let name = input.name.trim().to_owned();
            if name.is_empty() {
                errors.0.push(FieldError::new("name", Problem::Required));
            }
            let from = errors.take(local_instant("from", &input.from, zone));
            let until = errors.take(local_instant("until", &input.until, zone));
            if let (Some(f), Some(u)) = (from, until)
                && u <= f
            {
                errors.0.push(FieldError::new(
                    "until",
                    Problem::Invalid("must be after the start"),
                ));
            }
            errors.finish()?;
            let id = store::insert_unavailability(
                tx,
                event_id,
                &search_key(&name),
                &name,
                from.ok_or_else(missing)?,
                until.ok_or_else(missing)?,
            )?;
            Change::new("programme.unavailability", "event", event_id)
                .detail(json!({ "entry": id }))
                .record(tx, caller, now)?;
            store::unavailability(tx, event_id)?
                .into_iter()
                .find(|u| u.id == id)
                .ok_or(AppError::NotFound)
        })
    }

    pub fn delete_unavailability(
        &self,
        caller: &Caller,
        event_id: i64,
        id: i64,
    ) -> Result<(), AppError> {
        let detail = json!({ "entry": id });
        self.change_programme(
            caller,
            event_id,
            "programme.unavailability_delete",
            detail,
            |tx| {
                if !store::delete_unavailability(tx, event_id, id)? {
                    return Err(AppError::NotFound);
                }
                Ok(())
            },
        )
    }

    /// Sets the scheduler's weights for an event.
    pub fn set_schedule_weights(
        &self,
        caller: &Caller,
        event_id: i64,
        input: &WeightsInput,
    ) -> Result<ScheduleWeights, AppError> {
        require_manager(caller)?;
        let d = ScheduleWeights::default();
        let mut errors = Errors::default();
        let mut w = |field, raw: &str, default: i64, max: i64| {
            errors.take(number_or(field, raw, default, 0..=max))
        };
        let theme_parallel = w(
            "theme_parallel",
            &input.theme_parallel,
            d.theme_parallel,
            1000,
        );
        let theme_same_day = w(
            "theme_same_day",
            &input.theme_same_day,
            d.theme_same_day,
            1000,
        );
        let online_hours = w("online_hours", &input.online_hours, d.online_hours, 1000);
        let moved = w("moved", &input.moved, d.moved, 100_000);
        let from = w("hours_from", &input.hours_from, i64::from(d.hours_from), 23);
        let until = w(
            "hours_until",
            &input.hours_until,
            i64::from(d.hours_until),
            24,
        );
        if let (Some(f), Some(u)) = (from, until)
            && u <= f
        {
            errors.0.push(FieldError::new(
                "hours_until",
                Problem::Invalid("must be after the first hour"),
            ));
        }
        errors.finish()?;
        let weights = ScheduleWeights {
            theme_parallel: theme_parallel.ok_or_else(missing)?,
            theme_same_day: theme_same_day.ok_or_else(missing)?,
            online_hours: online_hours.ok_or_else(missing)?,
            moved: moved.ok_or_else(missing)?,
            hours_from: u32::try_from(from.ok_or_else(missing)?).unwrap_or(7),
            hours_until: u32::try_from(until.ok_or_else(missing)?).unwrap_or(22),
        };
        let now = self.now();
        self.db().write(|tx| {
            event_in(tx, event_id)?;
            store::set_weights(tx, event_id, &json!(weights).to_string())?;
            Change::new("programme.weights", "event", event_id)
                .detail(json!(weights))
                .record(tx, caller, now)?;
            Ok(weights)
        })
    }

    /// Places every session: pinned ones stay, the others move as little as possible
    /// from where they are, the hard rules are kept and the soft goals minimised with
    /// the event's weights. Nothing changes when no timetable keeps the hard rules (the
    /// error explains which constraints conflict, naming sessions and people).
    pub fn run_scheduler(
        &self,
        caller: &Caller,
        event_id: i64,
        seed: u64,
    ) -> Result<ScheduleReport, AppError> {
        self.run_scheduler_with_progress(caller, event_id, seed, &mut |_| {})
    }

    /// [`App::run_scheduler`], telling `progress` how the search goes (the CLI's bar).
    pub fn run_scheduler_with_progress(
        &self,
        caller: &Caller,
        event_id: i64,
        seed: u64,
        progress: &mut dyn FnMut(schedule::Progress),
    ) -> Result<ScheduleReport, AppError> {
        require_manager(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let loaded = load(tx, event_id)?;
            let m = loaded.model();
            let settings = Settings {
                seed,
                ..Settings::default()
            };
            let solved = schedule::solve_with_progress(&m.problem, settings, progress).map_err(
                |e| match e {
                    schedule::ScheduleError::Infeasible(reasons) => AppError::Invalid(
                        reasons
                            .iter()
                            .map(|r| FieldError::new("schedule", Problem::Explained(m.explain(r))))
                            .collect(),
                    ),
                    schedule::ScheduleError::Malformed(why) => AppError::Internal(why),
                },
            )?;
            store::unplace_unpinned(tx, event_id)?;
            for (s, &q) in solved.slot_of.iter().enumerate() {
                let v = &loaded.views[s];
                if v.session.pinned {
                    continue;
                }
                store::place(tx, m.sessions[s], Some(m.slots[q]), false, now)?;
            }
            let report = ScheduleReport {
                sessions: loaded.views.len(),
                placed: solved.slot_of.len(),
                moved: solved.moved,
                pinned: loaded.views.iter().filter(|v| v.session.pinned).count(),
                theme_pairs: solved.theme_pairs,
                same_day_pairs: solved.same_day_pairs,
                cost: solved.cost,
                lower_bound: solved.lower_bound,
                iterations: solved.iterations,
            };
            Change::new("programme.schedule", "event", event_id)
                .detail(json!(report))
                .record(tx, caller, now)?;
            Ok(report)
        })
    }
}

/// Refuses a list that names a value twice (two timeslots would start together).
fn given_once<T: PartialEq + std::fmt::Display>(
    field: &'static str,
    values: &[T],
) -> Result<(), FieldError> {
    match values
        .iter()
        .enumerate()
        .find(|(i, v)| values[..*i].contains(v))
    {
        Some((_, twice)) => Err(FieldError::new(
            field,
            Problem::Explained(format!("{twice} is given twice")),
        )),
        None => Ok(()),
    }
}

fn taken(e: plenary_store::StoreError, field: &'static str) -> AppError {
    match e {
        plenary_store::StoreError::Conflict(_) => AppError::field(
            field,
            Problem::Invalid("another room of this event has this name"),
        ),
        other => other.into(),
    }
}
