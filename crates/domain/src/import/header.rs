//! The meeting's header: the date/time statement with its zone, the mode, the venue
//! and rooms (IMPORT-JSON §3, meeting.*). The header runs from the title to the first
//! line of the body (an item, a day heading, a table header, a bullet).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::when::{self, Token, ZoneLabel};
use super::{
    Day, Kind, Meeting, Mode, Warning, agenda, clean, is_actions_heading, is_bullet, is_indented,
    is_participant_annex, list_heading, numbered, organiser, places, title_line, unmark,
};

/// What the header says, before the agenda's days complete it.
pub struct Header {
    /// The first line after the header.
    pub end: usize,
    pub statement: Option<Statement>,
    pub venue: Option<String>,
    pub rooms: Vec<String>,
    pub mode_words: ModeWords,
    /// Zone labels written anywhere in the header.
    pub labels: Vec<ZoneLabel>,
    pub warnings: Vec<Warning>,
}

/// The header's date/time statement: `20 August 2024 | 11:00 UTC | Online`.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    pub line: usize,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub start: Option<(NaiveTime, Option<ZoneLabel>)>,
    pub end: Option<(NaiveTime, Option<ZoneLabel>)>,
    /// A range left open at its end (`from 3 March`, `3 March –`): the date it starts
    /// on, as written.
    pub open_from: Option<String>,
}

/// Which mode words a document uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModeWords {
    online: bool,
    onsite: bool,
    hybrid: bool,
}

impl ModeWords {
    pub fn read(&mut self, line: &str) {
        let lower = format!(" {} ", line.to_lowercase());
        let has = |w: &str| {
            lower.match_indices(w).any(|(at, _)| {
                let before = lower[..at].chars().next_back();
                let after = lower[at + w.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        };
        self.hybrid |= has("hybrid");
        self.onsite |= ["in person", "in-person", "onsite", "on-site", "on site"]
            .iter()
            .any(|w| has(w));
        self.online |= [
            "online",
            "virtual",
            "zoom",
            "webex",
            "microsoft teams",
            "videoconference",
        ]
        .iter()
        .any(|w| has(w));
    }

    pub fn mode(self) -> Option<Mode> {
        match (self.hybrid, self.onsite, self.online) {
            (true, _, _) | (false, true, true) => Some(Mode::Hybrid),
            (false, true, false) => Some(Mode::Onsite),
            (false, false, true) => Some(Mode::Online),
            (false, false, false) => None,
        }
    }
}

/// Whether a line only names a mode or a meeting service (`Online`, `Zoom`, `Hybrid`):
/// such a line is neither a venue nor a room.
pub fn is_mode_only(line: &str) -> bool {
    let mut words = ModeWords::default();
    words.read(line);
    words.mode().is_some() && line.split_whitespace().count() <= 4 && !places::names_a_place(line)
}

const VENUE_LABELS: [&str; 5] = ["venue", "location", "place", "where", "address"];
const VENUE_WORDS: [&str; 16] = [
    "office",
    "centre",
    "center",
    "palais",
    "hotel",
    "hall",
    "university",
    "conference",
    "campus",
    "headquarters",
    "building",
    "house",
    "ministry",
    "auditorium",
    "convention",
    "venue",
];

fn labelled<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    let (label, value) = line.split_once(':')?;
    labels
        .iter()
        .any(|l| label.trim().eq_ignore_ascii_case(l))
        .then_some(value.trim())
}

/// Lines that mark a date as something other than the meeting's ("Draft agenda
/// (version of 2 May)").
fn is_subtitle_date(line: &str) -> bool {
    let lower = line.to_lowercase();
    [
        "version",
        "updated",
        "revised",
        "as of",
        "as at",
        "issued",
        "published",
        "circulated",
        "modified",
        "prepared",
        "deadline",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Whether the header has ended at this line.
fn ends_header(raw: &str, line: &str) -> bool {
    (is_bullet(raw))
        || (!is_indented(raw) && numbered(line).is_some())
        || is_actions_heading(line)
        || is_participant_annex(line)
        || line.to_lowercase().starts_with("annex")
        || list_heading(line).is_some()
        || agenda::is_table_header(line)
        || agenda::day_number_heading(line)
}

/// Reads the header of a document whose kind is known.
pub fn read(lines: &[String], kind: Kind) -> Header {
    let title_at = title_line(lines);
    let mut header = Header {
        end: lines.len(),
        statement: None,
        venue: None,
        rooms: Vec::new(),
        mode_words: ModeWords::default(),
        labels: Vec::new(),
        warnings: Vec::new(),
    };
    let mut statement_line = None;
    let mut time_line = None;
    let mut venue_label = None;
    let mut venue_seen = None;
    let subtitle_at = lines
        .iter()
        .enumerate()
        .skip(title_at + 1)
        .find(|(_, l)| clean(l).is_some())
        .map_or(usize::MAX, |(k, _)| k);
    for (k, raw) in lines.iter().enumerate().skip(title_at + 1) {
        let Some(line) = clean(&unmark(raw)) else {
            continue;
        };
        if ends_header(raw, &line) {
            header.end = k;
            break;
        }
        let tokens = when::tokens(&line);
        let dates = when::dates(&tokens);
        let times = when::times(&tokens);
        if statement_line.is_some() && kind == Kind::Agenda && agenda::is_date_line(&line) {
            header.end = k;
            break;
        }
        let untitled_time = times.first().is_some_and(|t| t.first() == 0)
            && agenda::item_line(&line).title.is_none();
        if agenda::starts_with_time(&line) && !(untitled_time && time_line.is_none()) {
            header.end = k;
            break;
        }
        if organiser(&line).is_some() {
            continue;
        }
        header.mode_words.read(&line);
        header
            .labels
            .extend(when::zones(&tokens).into_iter().map(|z| z.label));
        if !dates.is_empty() && statement_line.is_none() && !is_subtitle_date(&line) {
            statement_line = Some(k);
            statement_places(&line, &mut venue_seen, &mut header.rooms);
            continue;
        }
        if dates.is_empty() && !times.is_empty() && time_line.is_none() && !is_subtitle_date(&line)
        {
            time_line = Some(k);
            statement_places(&line, &mut venue_seen, &mut header.rooms);
            continue;
        }
        if let Some(value) = labelled(&line, &VENUE_LABELS) {
            if !is_mode_only(value) {
                venue_label.get_or_insert(value.to_owned());
            }
            continue;
        }
        if let Some(room) = agenda::room_line(&line) {
            if let Some(name) = room.room {
                push_distinct(&mut header.rooms, name);
            }
            if let Some(venue) = room.venue {
                venue_seen.get_or_insert(venue);
            }
            continue;
        }
        if dates.is_empty() && times.is_empty() && venue_seen.is_none() && is_venue_line(&line) {
            venue_seen = Some(line.clone());
            continue;
        }
        let subtitle = k == subtitle_at && (dates.is_empty() || is_subtitle_date(&line));
        let mode_only = is_mode_only(&line);
        if !subtitle && !mode_only && !is_event_label(&line) {
            header.warnings.push(Warning::at(
                k + 1,
                format!("{line:?} in the header is not a date, time, place, room or organiser: not imported"),
            ));
        }
    }
    header.venue = venue_label.or(venue_seen);
    header.statement = statement_line.map(|k| statement(lines, k, time_line));
    if let Some(s) = &header.statement
        && let Some(from) = &s.open_from
        && s.end.is_none()
    {
        header.warnings.push(Warning::at(
            s.line,
            format!(
                "the date range from {from} is left open at its end: the meeting's end is left empty"
            ),
        ));
    }
    header
}

/// Calendar-export labels that introduce the date line ("Event Calendar Date").
fn is_event_label(line: &str) -> bool {
    let lower = line.to_lowercase();
    let document_label = line.split_whitespace().count() <= 4
        && ["agenda", "minutes", "summary", "programme", "program"]
            .iter()
            .any(|w| lower.contains(w));
    document_label
        || lower.contains("calendar")
        || matches!(
            lower.trim_end_matches(':'),
            "date" | "time" | "date and time" | "when"
        )
}

fn is_venue_line(line: &str) -> bool {
    if is_mode_only(line) || line.split_whitespace().count() > 14 || line.ends_with(['.', ':']) {
        return false;
    }
    let lower = line.to_lowercase();
    places::names_a_place(line)
        || VENUE_WORDS
            .iter()
            .any(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w))
}

/// The places among the `|`-separated fields of a statement (or time) line, in any
/// order: a field that is neither date, time, zone nor mode is a room when it names one
/// (`Room XXVI`, `Salle XVII`, `Conference Room 2`), else the venue (`5 March 2025 |
/// 14:00 EAT | Hybrid | Palais des Nations, Geneva | Room XIX`). The first venue found
/// in the header is kept; every room is.
fn statement_places(line: &str, venue: &mut Option<String>, rooms: &mut Vec<String>) {
    if !line.contains('|') {
        return;
    }
    for field in line.split('|') {
        let tokens = when::tokens(field);
        let plain = when::dates(&tokens).is_empty()
            && when::times(&tokens).is_empty()
            && when::zones(&tokens).is_empty();
        let Some(field) = clean(field) else { continue };
        let field = labelled(&field, &VENUE_LABELS)
            .and_then(clean)
            .unwrap_or(field);
        if !plain || is_mode_only(&field) {
            continue;
        }
        match room_field(&field) {
            Some(room) => push_distinct(rooms, room),
            None => {
                venue.get_or_insert(field);
            }
        }
    }
}

/// A field that names a room: `Room XXVI`, `Room: Plenary Hall`, `Salle XVII`,
/// `Conference Room 2`, `Sala 3` (a short name with the word room, salle or sala).
fn room_field(field: &str) -> Option<String> {
    if let Some(room) = agenda::room_line(field).and_then(|r| r.room) {
        return Some(room);
    }
    let words: Vec<String> = field
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let names_room = words
        .iter()
        .any(|w| matches!(w.as_str(), "room" | "salle" | "sala"));
    (names_room && words.len() <= 5 && !field.contains(',')).then(|| field.to_owned())
}

fn push_distinct(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// Reads the statement line (and a separate time line, when the statement has no
/// time): dates, start and end times with the zone label each is written with.
fn statement(lines: &[String], k: usize, time_line: Option<usize>) -> Statement {
    let line = clean(&unmark(&lines[k])).unwrap_or_default();
    let tokens = when::tokens(&line);
    let dates = when::dates(&tokens);
    let mut statement = Statement {
        line: k + 1,
        ..Statement::default()
    };
    let first = dates.first();
    let last = dates.last().filter(|_| dates.len() > 1);
    statement.first_day = first.and_then(|d| d.date(None));
    statement.last_day = last.and_then(|d| d.date(None));
    let mut times = clocks(&tokens);
    let mut time_tokens = tokens.clone();
    let mut same_line = true;
    if times.is_empty()
        && let Some(t) = time_line
    {
        let other = clean(&unmark(&lines[t])).unwrap_or_default();
        time_tokens = when::tokens(&other);
        times = clocks(&time_tokens);
        same_line = false;
    }
    let zones = when::zones(&time_tokens);
    let label_for = |at: usize| {
        zones
            .iter()
            .find(|z| z.at >= at)
            .or_else(|| zones.last())
            .map(|z| z.label)
    };
    // Two dates: the start time is the one before the second date, the end time the one
    // after it; one date: the first time range.
    let (start, end) = match last {
        Some(second) if same_line => {
            let before: Vec<&Clock> = times.iter().filter(|c| c.at < second.first).collect();
            let after: Vec<&Clock> = times.iter().filter(|c| c.at >= second.first).collect();
            match (before.first(), after.first()) {
                (Some(s), e) => (Some(*s), e.copied().or(before.get(1).copied())),
                (None, Some(s)) => (Some(*s), after.get(1).copied()),
                (None, None) => (None, None),
            }
        }
        _ => (times.first(), times.get(1).filter(|c| c.range_end)),
    };
    statement.start = start.and_then(|c| Some((c.time?, label_for(c.at))));
    statement.end = end.and_then(|c| Some((c.time?, label_for(c.at))));
    if let [date] = dates.as_slice()
        && is_open_range(&tokens, date)
    {
        statement.open_from = Some(date.describe(&tokens));
    }
    statement
}

/// Words that say a range's end is not known yet (`3 March – TBC`).
const OPEN_END_WORDS: [&str; 6] = ["tbc", "tbd", "tba", "open", "ongoing", "?"];

/// Whether the one date of a statement opens a range that is left open: introduced by
/// `from` (`from 3 March`, `From Monday, 3 March 2026, 09:00 UTC`), or followed, after
/// its own times and zones, by a dash with nothing after it but words such as "TBC"
/// (`3 March 2026 (09:00 UTC) –`).
fn is_open_range(tokens: &[Token], date: &when::DateMention) -> bool {
    // `from` just before the date (a weekday may stand between).
    let opened = tokens[date.first.saturating_sub(2)..date.first]
        .iter()
        .any(|t| {
            matches!(
                t.text.to_lowercase().as_str(),
                "from" | "starting" | "beginning"
            )
        });
    let times = when::times(tokens);
    let zones = when::zones(tokens);
    let is_time_or_zone = |k: usize| {
        times.iter().any(|r| (r.first()..r.last()).contains(&k)) || zones.iter().any(|z| z.at == k)
    };
    let dangling = tokens
        .iter()
        .enumerate()
        .skip(date.last)
        .find(|(k, t)| !is_time_or_zone(*k) || when::is_dash(&t.text))
        .is_some_and(|(k, t)| {
            when::is_dash(&t.text)
                && !is_time_or_zone(k)
                && tokens[k + 1..]
                    .iter()
                    .all(|t| OPEN_END_WORDS.contains(&t.text.to_lowercase().as_str()))
        });
    opened || dangling
}

struct Clock {
    at: usize,
    time: Option<NaiveTime>,
    /// Whether the time ends a range (`10:00–12:00`, or `(08:00 UTC) - (16:00 UTC)`).
    range_end: bool,
}

fn clocks(tokens: &[Token]) -> Vec<Clock> {
    let ranges = when::times(tokens);
    let mut out: Vec<Clock> = Vec::new();
    for (i, range) in ranges.iter().enumerate() {
        // `08:00 UTC - 16:00 UTC`: only zone labels and a dash between two times.
        let joined = i > 0 && ranges[i - 1].end.is_none() && {
            let between = &tokens[ranges[i - 1].last()..range.first()];
            between.iter().any(|t| when::is_dash(&t.text))
                && between.iter().all(|t| {
                    when::is_dash(&t.text)
                        || !when::zones(std::slice::from_ref(t)).is_empty()
                        || t.text == "+"
                })
        };
        out.push(Clock {
            at: range.start.first,
            time: range.start.time,
            range_end: joined,
        });
        if let Some(end) = &range.end {
            out.push(Clock {
                at: end.first,
                time: end.time,
                range_end: true,
            });
        }
    }
    out
}

/// The meeting, once the agenda's days are known (their room lines locate the meeting
/// when the header does not, and their labels say which zone the times are in).
pub fn meeting(
    header: &Header,
    days: &[Day],
    day_venue: Option<String>,
    day_modes: ModeWords,
    day_labels: &[ZoneLabel],
) -> (Meeting, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut mode_words = header.mode_words;
    mode_words.online |= day_modes.online;
    mode_words.onsite |= day_modes.onsite;
    mode_words.hybrid |= day_modes.hybrid;
    let mode = mode_words.mode();
    let venue = if mode == Some(Mode::Online) {
        None
    } else {
        header.venue.clone().or(day_venue)
    };
    let mut rooms = header.rooms.clone();
    for day in days {
        if let Some(room) = &day.room {
            push_distinct(&mut rooms, room.clone());
        }
    }
    let labels: Vec<ZoneLabel> = header.labels.iter().chain(day_labels).copied().collect();
    let zone = meeting_zone(venue.as_deref(), &labels);
    let statement = header.statement.clone().unwrap_or_default();
    let mut instant = |date: Option<NaiveDate>, clock: Option<(NaiveTime, Option<ZoneLabel>)>| {
        let (time, label) = clock?;
        let date = date?;
        let at = to_utc(date, time, label, zone);
        if at.is_none() {
            warnings.push(Warning::at(
                statement.line,
                format!(
                    "{} on {date} states no time zone, and the meeting's place gives none: the instant is left empty",
                    time.format("%H:%M")
                ),
            ));
        }
        at
    };
    let starts_at_utc = instant(statement.first_day, statement.start);
    let mut ends_at_utc = instant(statement.last_day.or(statement.first_day), statement.end);
    if let (Some(start), Some(end)) = (starts_at_utc, ends_at_utc)
        && end <= start
        && statement.last_day.is_none()
    {
        // `22:00 - 01:00`: the end is on the next day.
        ends_at_utc = Some(end + chrono::Duration::days(1));
    }
    let meeting = Meeting {
        starts_at_utc,
        ends_at_utc,
        time_zone: zone.map(|z| match z {
            MeetingZone::Utc => "UTC".to_owned(),
            MeetingZone::Iana(tz) => tz.name().to_owned(),
        }),
        mode,
        venue,
        rooms,
        first_day: statement.first_day,
        last_day: statement.last_day,
        utc_offset: match (zone, statement.start.and_then(|(_, label)| label)) {
            (None, Some(ZoneLabel::Offset(s) | ZoneLabel::Abbreviation(s))) => Some(s),
            _ => None,
        },
    };
    (meeting, warnings)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MeetingZone {
    Utc,
    Iana(Tz),
}

/// IMPORT-JSON §3 meeting.time_zone: the place, else a city named in a label, else UTC
/// when every time is in UTC, else none.
fn meeting_zone(venue: Option<&str>, labels: &[ZoneLabel]) -> Option<MeetingZone> {
    if let Some(tz) = venue.and_then(places::zone_in) {
        return Some(MeetingZone::Iana(tz));
    }
    if let Some(tz) = labels.iter().find_map(|l| match l {
        ZoneLabel::Place(tz) => Some(*tz),
        _ => None,
    }) {
        return Some(MeetingZone::Iana(tz));
    }
    (!labels.is_empty() && labels.iter().all(|l| *l == ZoneLabel::Utc)).then_some(MeetingZone::Utc)
}

fn to_utc(
    date: NaiveDate,
    time: NaiveTime,
    label: Option<ZoneLabel>,
    zone: Option<MeetingZone>,
) -> Option<DateTime<Utc>> {
    let local = date.and_time(time);
    let fixed = |seconds: i32| {
        FixedOffset::east_opt(seconds)
            .and_then(|o| o.from_local_datetime(&local).single())
            .map(|at| at.with_timezone(&Utc))
    };
    let in_zone = |tz: Tz| {
        tz.from_local_datetime(&local)
            .earliest()
            .map(|at| at.with_timezone(&Utc))
    };
    match (label, zone) {
        (Some(ZoneLabel::Utc), _) => fixed(0),
        (Some(ZoneLabel::Offset(s)), _) => fixed(s),
        (_, Some(MeetingZone::Iana(tz))) => in_zone(tz),
        (_, Some(MeetingZone::Utc)) => fixed(0),
        (Some(ZoneLabel::Abbreviation(s)), None) => fixed(s),
        (Some(ZoneLabel::Place(tz)), None) => in_zone(tz),
        (None, None) => None,
    }
}
