//! The benchmark's timetable instance and solution files
//! (`plenary-timetable-instance/v1`, `plenary-timetable-solution/v1`, described in
//! `../shared/bench/README.md`): reading an instance into a [`Problem`] and writing a
//! [`Schedule`] back with the ids. Every hard constraint the file declares must be one
//! the scheduler knows (an unknown one is an error, never ignored); the objective is
//! the file's soft constraint, same-theme sessions in parallel, with its weight.

use super::{Problem, Reason, Schedule, Session, Slot, Timeslot, Weights};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

pub const INSTANCE_FORMAT: &str = "plenary-timetable-instance/v1";
pub const SOLUTION_FORMAT: &str = "plenary-timetable-solution/v1";

#[derive(Debug, Clone, Deserialize)]
pub struct Instance {
    pub format: String,
    #[serde(default)]
    pub name: Option<String>,
    pub themes: Vec<Named>,
    pub rooms: Vec<Named>,
    pub timeslots: Vec<InstanceTimeslot>,
    pub slots: Vec<InstanceSlot>,
    pub people: Vec<Named>,
    pub sessions: Vec<InstanceSession>,
    pub constraints: Constraints,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Named {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InstanceTimeslot {
    pub id: String,
    pub day: i64,
    #[serde(default)]
    pub start: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InstanceSlot {
    pub id: String,
    pub room: String,
    pub timeslot: String,
    pub minutes: u32,
    pub capacity: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InstanceSession {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(rename = "type")]
    pub session_type: String,
    #[serde(default)]
    pub theme: Option<String>,
    pub duration: u32,
    pub expected_audience: u32,
    #[serde(default)]
    pub moderator: Option<String>,
    #[serde(default)]
    pub speakers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Constraints {
    pub hard: Vec<Constraint>,
    #[serde(default)]
    pub soft: Vec<Constraint>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Constraint {
    pub kind: String,
    /// `no_person_in_parallel_sessions`: the roles that count.
    #[serde(default)]
    pub roles: Vec<String>,
    /// `not_parallel`: the sessions never in parallel with each other.
    #[serde(default)]
    pub sessions: Vec<String>,
    #[serde(default)]
    pub weight: Option<i64>,
}

/// What is wrong with an instance file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceError {
    Format(String),
    Unknown {
        what: &'static str,
        id: String,
        within: String,
    },
    /// A constraint the scheduler does not know: solving without it would be wrong.
    UnknownConstraint(String),
}

impl fmt::Display for InstanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceError::Format(found) => {
                write!(
                    f,
                    "the file's format is {found:?}; expected {INSTANCE_FORMAT:?}"
                )
            }
            InstanceError::Unknown { what, id, within } => {
                write!(f, "{within} names an unknown {what} {id:?}")
            }
            InstanceError::UnknownConstraint(kind) => {
                write!(f, "the constraint {kind:?} is not one the scheduler knows")
            }
        }
    }
}

impl std::error::Error for InstanceError {}

const KNOWN_HARD: [&str; 5] = [
    "each_session_exactly_one_slot",
    "at_most_one_session_per_slot",
    "duration_fits_slot",
    "audience_fits_capacity",
    "no_person_in_parallel_sessions",
];

fn index<'a>(items: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    items.enumerate().map(|(i, id)| (id, i)).collect()
}

impl Instance {
    /// The problem the file describes.
    pub fn problem(&self) -> Result<Problem, InstanceError> {
        if self.format != INSTANCE_FORMAT {
            return Err(InstanceError::Format(self.format.clone()));
        }
        let themes = index(self.themes.iter().map(|t| t.id.as_str()));
        let rooms = index(self.rooms.iter().map(|r| r.id.as_str()));
        let timeslots = index(self.timeslots.iter().map(|t| t.id.as_str()));
        let people = index(self.people.iter().map(|p| p.id.as_str()));
        let session_ids = index(self.sessions.iter().map(|s| s.id.as_str()));
        let unknown = |what, id: &str, within: &str| InstanceError::Unknown {
            what,
            id: id.to_owned(),
            within: within.to_owned(),
        };
        let mut roles = vec!["moderator".to_owned(), "speaker".to_owned()];
        let mut not_parallel: Vec<usize> = Vec::new();
        for c in &self.constraints.hard {
            match c.kind.as_str() {
                "not_parallel" => {
                    for id in &c.sessions {
                        not_parallel.push(
                            *session_ids
                                .get(id.as_str())
                                .ok_or_else(|| unknown("session", id, "not_parallel"))?,
                        );
                    }
                }
                "no_person_in_parallel_sessions" if !c.roles.is_empty() => {
                    roles.clone_from(&c.roles)
                }
                kind if KNOWN_HARD.contains(&kind) => {}
                other => return Err(InstanceError::UnknownConstraint(other.to_owned())),
            }
        }
        let mut weight = 1;
        for c in &self.constraints.soft {
            match c.kind.as_str() {
                "minimize_same_theme_parallel_pairs" => weight = c.weight.unwrap_or(1),
                other => return Err(InstanceError::UnknownConstraint(other.to_owned())),
            }
        }
        let mut days: Vec<i64> = self.timeslots.iter().map(|t| t.day).collect();
        days.sort_unstable();
        days.dedup();
        let slots = self
            .slots
            .iter()
            .map(|s| {
                Ok(Slot {
                    timeslot: *timeslots
                        .get(s.timeslot.as_str())
                        .ok_or_else(|| unknown("timeslot", &s.timeslot, &s.id))?,
                    room: *rooms
                        .get(s.room.as_str())
                        .ok_or_else(|| unknown("room", &s.room, &s.id))?,
                    capacity: s.capacity,
                    minutes: s.minutes,
                    hybrid: true,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut sessions = Vec::with_capacity(self.sessions.len());
        for (i, s) in self.sessions.iter().enumerate() {
            let theme = match &s.theme {
                Some(t) => Some(
                    *themes
                        .get(t.as_str())
                        .ok_or_else(|| unknown("theme", t, &s.id))?,
                ),
                None => None,
            };
            let moderator = s
                .moderator
                .iter()
                .filter(|_| roles.iter().any(|r| r == "moderator"));
            let speakers = s
                .speakers
                .iter()
                .filter(|_| roles.iter().any(|r| r == "speaker"));
            let persons = moderator
                .chain(speakers)
                .map(|p| {
                    people
                        .get(p.as_str())
                        .copied()
                        .ok_or_else(|| unknown("person", p, &s.id))
                })
                .collect::<Result<Vec<_>, _>>()?;
            sessions.push(Session {
                duration: s.duration,
                audience: s.expected_audience,
                theme,
                main: not_parallel.contains(&i),
                people: persons,
                ..Session::default()
            });
        }
        Ok(Problem {
            timeslots: self
                .timeslots
                .iter()
                .map(|t| Timeslot {
                    day: days.binary_search(&t.day).unwrap_or(0),
                })
                .collect(),
            slots,
            sessions,
            themes: self.themes.len(),
            weights: Weights {
                theme_parallel: weight,
                theme_same_day: 0,
                moved: 0,
            },
            timeslot_costs: Vec::new(),
        })
    }

    /// A reason in the file's ids.
    pub fn explain(&self, reason: &Reason) -> String {
        let s = |i: usize| self.sessions[i].id.as_str();
        let person = |i: usize| self.people[i].id.as_str();
        let people = |list: &[usize]| {
            list.iter()
                .map(|p| person(*p))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match reason {
            Reason::NoSlotFits { session } => format!("no slot fits {}", s(*session)),
            Reason::PinnedTogether { slot, sessions } => format!(
                "{} and {} are both pinned to {}",
                s(sessions[0]),
                s(sessions[1]),
                self.slots[*slot].id
            ),
            Reason::PinnedClash {
                sessions,
                people: p,
            } => format!(
                "{} and {} are pinned to one timeslot and share {}",
                s(sessions[0]),
                s(sessions[1]),
                people(p)
            ),
            Reason::TooFewSlots { sessions, slots } => {
                format!("{sessions} sessions but only {slots} slots")
            }
            Reason::TooManyMain { main, timeslots } => {
                format!(
                    "{main} sessions may not run in parallel but there are {timeslots} timeslots"
                )
            }
            Reason::PersonOverbooked {
                person: p,
                sessions,
                timeslots,
            } => format!(
                "{} is in {sessions} sessions but only {timeslots} timeslots fit them",
                person(*p)
            ),
            Reason::Unresolved { clashes, unplaced } => {
                let mut parts: Vec<String> = clashes
                    .iter()
                    .map(|(pair, p)| {
                        format!("{} and {} share {}", s(pair[0]), s(pair[1]), people(p))
                    })
                    .collect();
                if !unplaced.is_empty() {
                    parts.push(format!(
                        "no slot left for {}",
                        unplaced
                            .iter()
                            .map(|i| s(*i))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                format!("the search found no timetable: {}", parts.join("; "))
            }
        }
    }

    /// The solution file.
    pub fn solution<'a>(&'a self, schedule: &Schedule) -> SolutionFile<'a> {
        SolutionFile {
            format: SOLUTION_FORMAT,
            assignment: self
                .sessions
                .iter()
                .zip(&schedule.slot_of)
                .map(|(s, q)| (s.id.as_str(), self.slots[*q].id.as_str()))
                .collect(),
        }
    }
}

/// `{"format": "plenary-timetable-solution/v1", "assignment": {"S001": "R1-D1S1", …}}`.
#[derive(Debug, Clone, Serialize)]
pub struct SolutionFile<'a> {
    pub format: &'static str,
    pub assignment: BTreeMap<&'a str, &'a str>,
}
