//! The programme of an event: sessions with their people (moderators, speakers,
//! rapporteurs — onsite or online, each in their own time zone), rooms and timeslots,
//! and the checks of what the secretariat types. Placing sessions is
//! [`crate::schedule`]'s work.

use crate::calls::SessionFormat;
use crate::error::{FieldError, Problem, take, whole_number};
use crate::links::parse_web_link;
use crate::people::closed_list;
use crate::search::search_key;
use crate::time::Zone;
use chrono::{DateTime, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

closed_list!(
    /// The kinds of session in a programme.
    ProgrammeSessionType, "session type" {
        Main => ("main", "Main session"),
        Workshop => ("workshop", "Workshop"),
        OpenForum => ("open_forum", "Open forum"),
        LightningTalk => ("lightning_talk", "Lightning talk"),
        TownHall => ("town_hall", "Town hall"),
        LaunchAward => ("launch_award", "Launch or award"),
        Networking => ("networking", "Networking session"),
        DcSession => ("dc_session", "Dynamic coalition session"),
        NriSession => ("nri_session", "NRI session"),
    }
);

closed_list!(
    /// What a person does in a session.
    ProgrammeRole, "role" {
        Moderator => ("moderator", "Moderator"),
        CoModerator => ("co_moderator", "Co-moderator"),
        Speaker => ("speaker", "Speaker"),
        Rapporteur => ("rapporteur", "Rapporteur"),
    }
);

/// The longest session, in minutes.
pub const MAX_DURATION: i64 = 8 * 60;
pub const MAX_PEOPLE: usize = 30;

/// A person of a session as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub name: String,
    pub role: String,
    /// Takes part online (then their local hours matter).
    pub online: bool,
    /// IANA zone; empty: the event's.
    pub time_zone: String,
}

/// A checked person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// Who they are across sessions: the name's search key (case, accents and spacing
    /// aside), so that "Ana Pérez" and "ana perez" are one person.
    pub key: String,
    pub role: ProgrammeRole,
    pub online: bool,
    pub time_zone: Option<String>,
}

/// A session as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionInput {
    pub title: String,
    pub session_type: String,
    pub theme: String,
    pub description: String,
    /// Minutes.
    pub duration: String,
    pub expected_audience: String,
    pub format: String,
    pub language: String,
    pub people: Vec<PersonInput>,
    /// The link to join online (empty for none; the event's own link serves then).
    pub join_url: String,
    /// The link of the public stream (empty for none).
    pub stream_url: String,
}

/// A checked session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSpec {
    pub title: String,
    pub session_type: ProgrammeSessionType,
    pub theme: String,
    pub description: String,
    pub duration: i64,
    pub expected_audience: i64,
    pub format: SessionFormat,
    pub language: String,
    pub people: Vec<Person>,
    /// Only for those entitled to take part: see `links`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_url: Option<String>,
}

fn text(field: &'static str, raw: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() && required {
        return Err(FieldError::new(field, Problem::Required));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(field, Problem::TooLong { max }));
    }
    Ok(value.to_owned())
}

fn person(p: &PersonInput) -> Result<Person, FieldError> {
    let who = if p.name.trim().is_empty() {
        "a person".to_owned()
    } else {
        p.name.trim().to_owned()
    };
    let fail = |what: &str, problem: Problem| {
        FieldError::new(
            "people",
            Problem::Explained(format!("{who}: {what} {problem}")),
        )
    };
    let name = text("name", &p.name, 200, true).map_err(|e| fail("the name", e.problem))?;
    let role =
        ProgrammeRole::parse_field("role", &p.role).map_err(|e| fail("the role", e.problem))?;
    let time_zone = match p.time_zone.trim() {
        "" => None,
        z => Some(
            Zone::parse("time_zone", z)
                .map_err(|e| fail("the time zone", e.problem))?
                .name()
                .to_owned(),
        ),
    };
    Ok(Person {
        key: search_key(&name),
        name,
        role,
        online: p.online,
        time_zone,
    })
}

impl SessionInput {
    /// Checks a session; every wrong field is named at once.
    pub fn check(&self) -> Result<SessionSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let title = take(e, text("title", &self.title, 200, true));
        let session_type = take(
            e,
            ProgrammeSessionType::parse_field("session_type", &self.session_type),
        );
        let theme = take(e, text("theme", &self.theme, 200, false));
        let description = take(e, text("description", &self.description, 6000, false));
        let duration = take(
            e,
            whole_number("duration", &self.duration, 5..=MAX_DURATION),
        );
        let expected_audience = take(
            e,
            whole_number("expected_audience", &self.expected_audience, 0..=100_000),
        );
        let format = take(e, SessionFormat::parse_field("format", &self.format));
        let language = take(e, text("language", &self.language, 60, false));
        let join_url = take(e, parse_web_link("join_url", &self.join_url));
        let stream_url = take(e, parse_web_link("stream_url", &self.stream_url));
        let mut people: Vec<Person> = Vec::new();
        for p in self.people.iter().filter(|p| **p != PersonInput::default()) {
            match person(p) {
                Ok(checked) => {
                    if people.iter().any(|q| q.key == checked.key) {
                        errors.push(FieldError::new(
                            "people",
                            Problem::Explained(format!("{} is listed twice", checked.name)),
                        ));
                    } else {
                        people.push(checked);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        if people.len() > MAX_PEOPLE {
            errors.push(FieldError::new(
                "people",
                Problem::Explained(format!("at most {MAX_PEOPLE} people")),
            ));
        }
        match (
            title,
            session_type,
            theme,
            description,
            duration,
            expected_audience,
            format,
            language,
            join_url,
            stream_url,
        ) {
            (
                Some(title),
                Some(session_type),
                Some(theme),
                Some(description),
                Some(duration),
                Some(expected_audience),
                Some(format),
                Some(language),
                Some(join_url),
                Some(stream_url),
            ) if errors.is_empty() => Ok(SessionSpec {
                title,
                session_type,
                theme,
                description,
                duration,
                expected_audience,
                format,
                language,
                people,
                join_url,
                stream_url,
            }),
            _ => Err(errors),
        }
    }
}

/// A room as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoomInput {
    pub name: String,
    pub capacity: String,
    pub hybrid: bool,
}

impl RoomInput {
    pub fn check(&self) -> Result<(String, i64), Vec<FieldError>> {
        let name = text("name", &self.name, 100, true);
        let capacity = match self.capacity.trim() {
            "0" => Err(FieldError::new(
                "capacity",
                Problem::Invalid("a room needs at least one seat"),
            )),
            raw => whole_number("capacity", raw, 1..=100_000),
        };
        match (name, capacity) {
            (Ok(n), Ok(c)) => Ok((n, c)),
            (n, c) => Err([n.err(), c.err()].into_iter().flatten().collect()),
        }
    }
}

/// Local hours that are reasonable for taking part online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    pub from: u32,
    pub until: u32,
}

impl Default for Hours {
    /// 07:00 to 22:00.
    fn default() -> Self {
        Hours { from: 7, until: 22 }
    }
}

impl Hours {
    /// Whether a session from `start` for `minutes` lies within these hours in `zone`
    /// (start at or after `from`, end at or before `until`, on one local day).
    pub fn contain(self, start: DateTime<Utc>, minutes: i64, zone: Zone) -> bool {
        let begin = start.with_timezone(&zone.tz());
        let end = (start + Duration::minutes(minutes)).with_timezone(&zone.tz());
        let minute_of = |t: chrono::DateTime<chrono_tz::Tz>| t.hour() * 60 + t.minute();
        begin.date_naive() == end.date_naive()
            && minute_of(begin) >= self.from * 60
            && minute_of(end) <= self.until * 60
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:00–{:02}:00", self.from, self.until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn input() -> SessionInput {
        SessionInput {
            title: "Opening".into(),
            session_type: "main".into(),
            theme: "Digital cooperation".into(),
            duration: "90".into(),
            expected_audience: "800".into(),
            format: "hybrid".into(),
            people: vec![
                PersonInput {
                    name: "Ana Pérez".into(),
                    role: "moderator".into(),
                    ..PersonInput::default()
                },
                PersonInput {
                    name: "Bo Li".into(),
                    role: "speaker".into(),
                    online: true,
                    time_zone: "Asia/Shanghai".into(),
                },
            ],
            ..SessionInput::default()
        }
    }

    #[test]
    fn a_session_is_checked_and_people_keyed() {
        let s = input().check().expect("valid");
        assert_eq!(s.people[0].key, "ana perez");
        assert_eq!(s.people[1].time_zone.as_deref(), Some("Asia/Shanghai"));
    }

    #[test]
    fn bad_sessions_name_every_field() {
        let mut bad = input();
        bad.duration = "0".into();
        bad.session_type = "keynote".into();
        bad.people.push(PersonInput {
            name: "ana  PEREZ".into(),
            role: "speaker".into(),
            ..PersonInput::default()
        });
        bad.people.push(PersonInput {
            name: "Cy".into(),
            role: "speaker".into(),
            time_zone: "Mars/Base".into(),
            ..PersonInput::default()
        });
        let errors: Vec<String> = bad
            .check()
            .expect_err("bad")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            errors.iter().any(|e| e.starts_with("session_type")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.starts_with("duration")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("ana  PEREZ is listed twice")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("Cy: the time zone")),
            "{errors:?}"
        );
    }

    #[test]
    fn rooms_need_seats() {
        let zero = RoomInput {
            name: "Room 1".into(),
            capacity: "0".into(),
            hybrid: false,
        };
        assert_eq!(zero.check().expect_err("zero")[0].field, "capacity");
    }

    #[test]
    fn local_hours_in_the_speakers_zone() {
        let hours = Hours::default();
        // 09:00 UTC is 17:00 in Shanghai and 21:00 in Auckland (NZST), 02:00 in Los Angeles (PDT).
        let start = Utc
            .with_ymd_and_hms(2026, 6, 23, 9, 0, 0)
            .single()
            .expect("instant");
        let zone = |z| Zone::parse("z", z).expect("zone");
        assert!(hours.contain(start, 90, zone("Asia/Shanghai")));
        assert!(
            !hours.contain(start, 90, zone("Pacific/Auckland")),
            "ends 22:30"
        );
        assert!(!hours.contain(start, 90, zone("America/Los_Angeles")));
    }
}
