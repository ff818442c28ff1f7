//! An RFC 5545 iCalendar writer for meetings.
//!
//! A [`Calendar`] renders to a `text/calendar` body that Google Calendar, Outlook,
//! Apple Calendar and Thunderbird import with the right local times:
//!
//! - every line ends with CRLF, and content lines are folded at 75 octets, never
//!   inside a UTF-8 character;
//! - an event shown in a zone other than UTC carries its local wall time with
//!   `TZID=<IANA name>`, and the calendar carries one `VTIMEZONE` per such zone,
//!   generated from the tz database (through chrono-tz): one `STANDARD` or `DAYLIGHT`
//!   observance per change of offset from a year before the zone's first event to a
//!   year after its last, each starting at the local time *before* the change, as
//!   RFC 5545 requires;
//! - an instant whose local time happens twice (an autumn fold) and is the second of
//!   the two cannot be written as a local time (RFC 5545 reads such a time as the
//!   first occurrence), so it is written in UTC instead;
//! - TEXT values are escaped (§3.3.11) and stripped of control characters.
//!
//! Rendering is pure: the `DTSTAMP` is a parameter.

use chrono::{DateTime, LocalResult, Months, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz, TzOffset};

use crate::time::Zone;

/// The product identifier, `PRODID`.
const PRODID: &str = "-//Plenary//Plenary//EN";

/// The longest a physical line may be, in octets, not counting its CRLF.
const MAX_LINE_OCTETS: usize = 75;

/// How far apart the tz database is sampled when looking for changes of offset.
/// No zone changes its clocks twice within six hours.
const SCAN_STEP_SECONDS: i64 = 6 * 3600;

/// A UTC date-time value: `20240626T080000Z`.
const UTC_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// A local ("floating") date-time value: `20240626T100000`.
const LOCAL_FORMAT: &str = "%Y%m%dT%H%M%S";

/// One meeting, as a `VEVENT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Globally unique and stable across exports: `"meeting-12@forum.example.org"`.
    pub uid: String,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    /// A link to the meeting's page. Left out if it contains a control character.
    pub url: Option<String>,
    /// The address to join online (RFC 7986 `CONFERENCE`), only in a calendar made for
    /// someone entitled to it. Left out if it contains a control character.
    pub conference: Option<String>,
    pub starts_at: DateTime<Utc>,
    /// Not before `starts_at`.
    pub ends_at: DateTime<Utc>,
    /// The zone whose wall-clock times `DTSTART` and `DTEND` show.
    pub zone: Zone,
    pub last_modified: DateTime<Utc>,
    /// Incremented on each significant change, so that clients replace their copy.
    pub sequence: u32,
    /// `STATUS:CANCELLED` rather than `STATUS:CONFIRMED`.
    pub cancelled: bool,
}

/// A named list of events, as a `VCALENDAR`.
#[derive(Debug, Clone, Copy)]
pub struct Calendar<'a> {
    /// Shown by clients as the calendar's name (`X-WR-CALNAME`).
    pub name: &'a str,
    pub events: &'a [Event],
}

impl Calendar<'_> {
    /// The calendar as an iCalendar object (`text/calendar`), with `stamp` as every
    /// event's `DTSTAMP`: the time the object was created.
    pub fn render(&self, stamp: DateTime<Utc>) -> String {
        let mut out = Lines::default();
        out.line("BEGIN:VCALENDAR");
        out.line("VERSION:2.0");
        out.property("PRODID", PRODID);
        out.line("CALSCALE:GREGORIAN");
        out.line("METHOD:PUBLISH");
        out.property("X-WR-CALNAME", &escape_text(self.name));
        for span in zone_spans(self.events) {
            write_vtimezone(&mut out, &span);
        }
        for event in self.events {
            write_event(&mut out, event, stamp);
        }
        out.line("END:VCALENDAR");
        out.0
    }
}

/// Content lines, folded, each ending with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// Appends one content line, folded so that no physical line is longer than
    /// [`MAX_LINE_OCTETS`]; a continuation line starts with one space, which counts.
    /// Folds fall between characters, never inside one.
    fn line(&mut self, logical: &str) {
        let mut width = 0;
        for c in logical.chars() {
            let octets = c.len_utf8();
            if width + octets > MAX_LINE_OCTETS {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += octets;
        }
        self.0.push_str("\r\n");
    }

    /// `NAME:value`, the value already in its iCalendar form.
    fn property(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, each line
/// break (LF, CRLF or a lone CR) as `\n`, other control characters except tab dropped.
fn escape_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            // HTAB is allowed in TEXT (TSAFE-CHAR includes WSP).
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value is not escaped, but one with a control character (a line break would
/// end the property early) is no URI and is left out, as is an empty one.
fn uri_value(raw: &str) -> Option<&str> {
    (!raw.is_empty() && !raw.chars().any(char::is_control)).then_some(raw)
}

/// An offset from UTC as a UTC-OFFSET value: `+0100`, `+0530`, `-0300`, and
/// `+003408` for the odd historical offset with seconds. Zero is `+0000` (RFC 5545
/// forbids `-0000`).
fn utc_offset_value(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let total = seconds.unsigned_abs();
    let (hours, minutes, secs) = (total / 3600, total % 3600 / 60, total % 60);
    if secs == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{secs:02}")
    }
}

/// Zones written as UTC date-times (`...Z`) with no `VTIMEZONE`: UTC and its aliases.
fn shows_as_utc(zone: Zone) -> bool {
    matches!(
        zone.tz(),
        Tz::UTC
            | Tz::Etc__UTC
            | Tz::Etc__UCT
            | Tz::Etc__Universal
            | Tz::Etc__Zulu
            | Tz::UCT
            | Tz::Universal
            | Tz::Zulu
    )
}

/// The instant `seconds` after the Unix epoch, saturating at the ends of chrono's range.
fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or(if seconds < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// `at` without its fraction of a second, as iCalendar values show it.
fn whole_seconds(at: DateTime<Utc>) -> DateTime<Utc> {
    instant(at.timestamp())
}

/// The time the events in one zone cover.
struct ZoneSpan {
    zone: Zone,
    first_start: DateTime<Utc>,
    last_end: DateTime<Utc>,
}

/// Each zone other than UTC that the events use, in order of first use, with the
/// time its events cover.
fn zone_spans(events: &[Event]) -> Vec<ZoneSpan> {
    let mut spans: Vec<ZoneSpan> = Vec::new();
    for event in events.iter().filter(|event| !shows_as_utc(event.zone)) {
        let (start, end) = (
            event.starts_at.min(event.ends_at),
            event.starts_at.max(event.ends_at),
        );
        match spans.iter_mut().find(|span| span.zone == event.zone) {
            Some(span) => {
                span.first_start = span.first_start.min(start);
                span.last_end = span.last_end.max(end);
            }
            None => spans.push(ZoneSpan {
                zone: event.zone,
                first_start: start,
                last_end: end,
            }),
        }
    }
    spans
}

/// The offset in force in `tz` at `seconds` after the epoch.
fn offset_at(tz: Tz, seconds: i64) -> TzOffset {
    tz.offset_from_utc_datetime(&instant(seconds).naive_utc())
}

/// Whether two offsets are the same observance: the same offset from UTC, the same
/// kind (standard or daylight) and the same abbreviation.
fn same_observance(a: &TzOffset, b: &TzOffset) -> bool {
    a.fix() == b.fix()
        && a.dst_offset().is_zero() == b.dst_offset().is_zero()
        && a.abbreviation() == b.abbreviation()
}

/// A change of observance: at `at` (seconds after the epoch), `before` gives way to
/// `after`.
struct Transition {
    at: i64,
    before: TzOffset,
    after: TzOffset,
}

/// Every change of observance in `tz` after `from` and no later than `until`
/// (seconds after the epoch), found by sampling every [`SCAN_STEP_SECONDS`] and
/// bisecting to the second.
fn transitions(tz: Tz, from: i64, until: i64) -> Vec<Transition> {
    let mut found = Vec::new();
    let mut t = from;
    let mut before = offset_at(tz, t);
    while t < until {
        let next = t.saturating_add(SCAN_STEP_SECONDS).min(until);
        if same_observance(&offset_at(tz, next), &before) {
            t = next;
            continue;
        }
        // `before` holds at `lo` and not at `hi`.
        let (mut lo, mut hi) = (t, next);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if same_observance(&offset_at(tz, mid), &before) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let after = offset_at(tz, hi);
        found.push(Transition {
            at: hi,
            before,
            after,
        });
        // Carry on from the change itself, in case of another before `next`.
        t = hi;
        before = after;
    }
    found
}

/// The zone's `VTIMEZONE`: its observances from a year before its first event to a
/// year after its last.
fn write_vtimezone(out: &mut Lines, span: &ZoneSpan) {
    let tz = span.zone.tz();
    let from = span
        .first_start
        .checked_sub_months(Months::new(12))
        .unwrap_or(span.first_start)
        .timestamp();
    let until = span
        .last_end
        .checked_add_months(Months::new(12))
        .unwrap_or(span.last_end)
        .timestamp();
    let changes = transitions(tz, from, until);

    out.line("BEGIN:VTIMEZONE");
    out.property("TZID", &escape_text(span.zone.name()));
    // Every event must fall after the onset of some observance. Where the zone did
    // not change in the year before the first event (or at all), the observance in
    // force at the start of the span starts there.
    if changes
        .first()
        .is_none_or(|change| change.at > span.first_start.timestamp())
    {
        let current = offset_at(tz, from);
        write_observance(
            out,
            &Transition {
                at: from,
                before: current,
                after: current,
            },
        );
    }
    for change in &changes {
        write_observance(out, change);
    }
    out.line("END:VTIMEZONE");
}

/// One `STANDARD` or `DAYLIGHT` sub-component. Its `DTSTART` is the onset in local
/// time before the change: the clocks' reading just as they change.
fn write_observance(out: &mut Lines, change: &Transition) {
    let from = change.before.fix().local_minus_utc();
    let to = change.after.fix().local_minus_utc();
    let kind = if change.after.dst_offset().is_zero() {
        "STANDARD"
    } else {
        "DAYLIGHT"
    };
    let onset = instant(change.at.saturating_add(i64::from(from))).naive_utc();
    out.property("BEGIN", kind);
    out.property("DTSTART", &onset.format(LOCAL_FORMAT).to_string());
    out.property("TZOFFSETFROM", &utc_offset_value(from));
    out.property("TZOFFSETTO", &utc_offset_value(to));
    // chrono-tz gives no abbreviation where tzdata's is numeric ("-03"); the offset
    // already says it.
    if let Some(name) = change
        .after
        .abbreviation()
        .filter(|name| name.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        out.property("TZNAME", &escape_text(name));
    }
    out.property("END", kind);
}

fn write_event(out: &mut Lines, event: &Event, stamp: DateTime<Utc>) {
    out.line("BEGIN:VEVENT");
    out.property("UID", &escape_text(&event.uid));
    out.property("DTSTAMP", &utc_value(stamp));
    write_date_time(out, "DTSTART", event.starts_at, event.zone);
    write_date_time(out, "DTEND", event.ends_at, event.zone);
    out.property("SUMMARY", &escape_text(&event.summary));
    if let Some(description) = &event.description {
        out.property("DESCRIPTION", &escape_text(description));
    }
    if let Some(location) = &event.location {
        out.property("LOCATION", &escape_text(location));
    }
    if let Some(url) = event.url.as_deref().and_then(uri_value) {
        out.property("URL", url);
    }
    if let Some(join) = event.conference.as_deref().and_then(uri_value) {
        out.line(&format!(
            "CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Join online:{join}"
        ));
    }
    out.property("LAST-MODIFIED", &utc_value(event.last_modified));
    out.property("SEQUENCE", &event.sequence.to_string());
    out.property(
        "STATUS",
        if event.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        },
    );
    out.line("END:VEVENT");
}

/// `20240626T080000Z`.
fn utc_value(at: DateTime<Utc>) -> String {
    at.format(UTC_FORMAT).to_string()
}

/// `NAME;TZID=Europe/Zurich:20240626T100000`, the wall-clock time in the zone, or
/// `NAME:20240626T080000Z` for UTC and for the second occurrence of a time the
/// clocks show twice, which a local time cannot name.
fn write_date_time(out: &mut Lines, name: &str, at: DateTime<Utc>, zone: Zone) {
    let at = whole_seconds(at);
    if !shows_as_utc(zone) {
        let tz = zone.tz();
        let local = at.with_timezone(&tz).naive_local();
        if local_reads_back(tz, local, at) {
            out.line(&format!(
                "{name};TZID={}:{}",
                zone.name(),
                local.format(LOCAL_FORMAT)
            ));
            return;
        }
    }
    out.property(name, &utc_value(at));
}

/// Whether `local` in `tz`, read as RFC 5545 reads it (the first occurrence of a
/// time the clocks show twice), is the instant `at`.
fn local_reads_back(tz: Tz, local: NaiveDateTime, at: DateTime<Utc>) -> bool {
    let target = at.timestamp();
    match tz.from_local_datetime(&local) {
        LocalResult::Single(only) => only.timestamp() == target,
        LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()) == target,
        LocalResult::None => false,
    }
}

/// The instant at which clocks in `tz` show `time` on `date`: in a fold the earlier one;
/// in a gap (clocks jump over it) the instant a clock that had not jumped yet would
/// show it, which is that far after the jump.
fn wall_clock(date: chrono::NaiveDate, time: chrono::NaiveTime, tz: Tz) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
        LocalResult::None => {
            // The offset in force a few hours before the gap.
            let before = naive - chrono::Duration::hours(6);
            let offset = tz
                .offset_from_local_datetime(&before)
                .earliest()
                .map_or(0, |o| o.fix().local_minus_utc());
            Utc.from_utc_datetime(&(naive - chrono::Duration::seconds(i64::from(offset))))
        }
    }
}

/// The sittings of a meeting that runs over several days: one per local day, each from
/// the meeting's daily start time to its daily end time (a three-day meeting from
/// Monday 09:00 to Wednesday 17:00 sits 09:00–17:00 on each day, not 56 hours at once).
/// A meeting within one local day, or one whose end time of day is not after its start
/// time of day (through a night), is one sitting. A day whose hours do not exist in the
/// zone (a clock change) keeps the meeting's own instants at its ends.
pub fn daily_sittings(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    zone: Zone,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let tz = zone.tz();
    let (start, end) = (
        starts_at.with_timezone(&tz).naive_local(),
        ends_at.with_timezone(&tz).naive_local(),
    );
    if end.date() <= start.date() || end.time() <= start.time() {
        return vec![(starts_at, ends_at)];
    }
    let at = |date: chrono::NaiveDate, time: chrono::NaiveTime| wall_clock(date, time, tz);
    start
        .date()
        .iter_days()
        .take_while(|day| *day <= end.date())
        .map(|day| {
            let from = if day == start.date() {
                starts_at
            } else {
                at(day, start.time())
            };
            let to = if day == end.date() {
                ends_at
            } else {
                at(day, end.time())
            };
            (from, to.max(from))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate};
    use proptest::prelude::*;
    use std::collections::HashMap;

    // ---- fixtures -------------------------------------------------------------

    fn zone(name: &str) -> Zone {
        Zone::parse("zone", name).expect("a zone chrono-tz knows")
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, mo, d)
            .expect("a real date")
            .and_hms_opt(h, mi, 0)
            .expect("a real time")
            .and_utc()
    }

    fn event(zone: Zone, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Event {
        Event {
            uid: "meeting-12@forum.example.org".to_owned(),
            summary: "Open consultation".to_owned(),
            description: None,
            location: None,
            url: None,
            conference: None,
            starts_at,
            ends_at,
            zone,
            last_modified: utc(2024, 5, 1, 9, 30),
            sequence: 0,
            cancelled: false,
        }
    }

    fn stamp() -> DateTime<Utc> {
        utc(2024, 6, 1, 12, 0)
    }

    fn render(events: &[Event]) -> String {
        Calendar {
            name: "Forum meetings",
            events,
        }
        .render(stamp())
    }

    fn zurich_june() -> Event {
        event(
            zone("Europe/Zurich"),
            utc(2024, 6, 26, 8, 0),
            utc(2024, 6, 26, 9, 0),
        )
    }

    // ---- a small reader: unfold, parse, resolve ----------------------------------

    /// Logical lines: CRLF followed by one space or tab is removed (RFC 5545 §3.1).
    fn unfold(text: &str) -> Vec<String> {
        text.replace("\r\n ", "")
            .replace("\r\n\t", "")
            .split_terminator("\r\n")
            .map(str::to_owned)
            .collect()
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Prop {
        name: String,
        params: Vec<(String, String)>,
        value: String,
    }

    impl Prop {
        fn param(&self, name: &str) -> Option<&str> {
            self.params
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        }
    }

    #[derive(Debug, Default)]
    struct Component {
        name: String,
        props: Vec<Prop>,
        children: Vec<Component>,
    }

    impl Component {
        fn prop(&self, name: &str) -> Option<&Prop> {
            self.props.iter().find(|prop| prop.name == name)
        }

        fn value(&self, name: &str) -> Option<&str> {
            self.prop(name).map(|prop| prop.value.as_str())
        }

        fn all(&self, name: &str) -> Vec<&Component> {
            self.children
                .iter()
                .filter(|child| child.name == name)
                .collect()
        }
    }

    fn parse_line(line: &str) -> Prop {
        let (head, value) = line.split_once(':').expect("a content line has a colon");
        let mut parts = head.split(';');
        let name = parts.next().expect("a name").to_owned();
        let params = parts
            .map(|param| {
                let (key, value) = param.split_once('=').expect("param=value");
                (key.to_owned(), value.to_owned())
            })
            .collect();
        Prop {
            name,
            params,
            value: value.to_owned(),
        }
    }

    /// The whole object, as a tree of components; the root is the VCALENDAR.
    fn parse(text: &str) -> Component {
        let mut stack = vec![Component::default()];
        for line in unfold(text) {
            let prop = parse_line(&line);
            match prop.name.as_str() {
                "BEGIN" => stack.push(Component {
                    name: prop.value,
                    ..Component::default()
                }),
                "END" => {
                    let done = stack.pop().expect("an open component");
                    assert_eq!(done.name, prop.value, "END matches BEGIN");
                    stack
                        .last_mut()
                        .expect("END of the root")
                        .children
                        .push(done);
                }
                _ => stack.last_mut().expect("a component").props.push(prop),
            }
        }
        let mut root = stack.pop().expect("the document");
        assert!(stack.is_empty(), "every BEGIN has an END");
        assert_eq!(root.children.len(), 1, "one VCALENDAR");
        let calendar = root.children.remove(0);
        assert_eq!(calendar.name, "VCALENDAR");
        calendar
    }

    fn unescape(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => panic!("a dangling backslash in {value:?}"),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn read_offset(value: &str) -> i64 {
        let sign = match &value[..1] {
            "+" => 1,
            "-" => -1,
            other => panic!("an offset sign, not {other:?}"),
        };
        let digits = &value[1..];
        assert!(digits.len() == 4 || digits.len() == 6, "{value}");
        let field = |at: usize| {
            digits
                .get(at..at + 2)
                .map_or(0, |two| two.parse::<i64>().expect("digits"))
        };
        sign * (field(0) * 3600 + field(2) * 60 + field(4))
    }

    fn read_local(value: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(value, LOCAL_FORMAT).expect("a local date-time")
    }

    /// An observance as a reader sees it: from `onset` (UTC) the offset is `offset`.
    #[derive(Debug, Clone, Copy)]
    struct Onset {
        onset: NaiveDateTime,
        offset: i64,
    }

    /// Each VTIMEZONE's observances by TZID, in order of onset.
    fn zone_table(calendar: &Component) -> HashMap<String, Vec<Onset>> {
        let mut table = HashMap::new();
        for vtimezone in calendar.all("VTIMEZONE") {
            let tzid = vtimezone.value("TZID").expect("TZID").to_owned();
            let mut onsets: Vec<Onset> = vtimezone
                .children
                .iter()
                .map(|observance| {
                    let local = read_local(observance.value("DTSTART").expect("DTSTART"));
                    let from = read_offset(observance.value("TZOFFSETFROM").expect("FROM"));
                    let to = read_offset(observance.value("TZOFFSETTO").expect("TO"));
                    Onset {
                        onset: local - Duration::seconds(from),
                        offset: to,
                    }
                })
                .collect();
            assert!(!onsets.is_empty(), "{tzid} has an observance");
            onsets.sort_by_key(|onset| onset.onset);
            assert!(
                table.insert(tzid.clone(), onsets).is_none(),
                "one VTIMEZONE for {tzid}"
            );
        }
        table
    }

    /// A DATE-TIME property as the instant RFC 5545 makes of it, using only what the
    /// calendar says: a UTC value, or a local time resolved through the VTIMEZONE
    /// (the first occurrence where the local time happens twice). `None` if the local
    /// time falls before every observance or in a gap.
    fn read_instant(zones: &HashMap<String, Vec<Onset>>, prop: &Prop) -> Option<DateTime<Utc>> {
        let Some(tzid) = prop.param("TZID") else {
            let value = prop.value.strip_suffix('Z').expect("a UTC value ends in Z");
            return Some(read_local(value).and_utc());
        };
        let local = read_local(&prop.value);
        let onsets = zones.get(tzid).expect("a VTIMEZONE for each TZID");
        onsets
            .iter()
            .enumerate()
            .filter_map(|(i, onset)| {
                let candidate = local - Duration::seconds(onset.offset);
                let in_force = candidate >= onset.onset
                    && onsets.get(i + 1).is_none_or(|next| candidate < next.onset);
                in_force.then_some(candidate)
            })
            .min()
            .map(|at| at.and_utc())
    }

    fn read_event_times(text: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let calendar = parse(text);
        let zones = zone_table(&calendar);
        calendar
            .all("VEVENT")
            .into_iter()
            .map(|vevent| {
                let start = vevent.prop("DTSTART").expect("DTSTART");
                let end = vevent.prop("DTEND").expect("DTEND");
                (
                    read_instant(&zones, start).expect("DTSTART resolves"),
                    read_instant(&zones, end).expect("DTEND resolves"),
                )
            })
            .collect()
    }

    /// (DTSTART, TZOFFSETFROM, TZOFFSETTO, TZNAME, kind) of each observance.
    type Row = (String, String, String, Option<String>, String);

    fn observance_rows(text: &str, tzid: &str) -> Vec<Row> {
        let calendar = parse(text);
        let vtimezone = calendar
            .all("VTIMEZONE")
            .into_iter()
            .find(|vtimezone| vtimezone.value("TZID") == Some(tzid))
            .expect("the zone's VTIMEZONE");
        vtimezone
            .children
            .iter()
            .map(|observance| {
                let get = |name| observance.value(name).expect("a property").to_owned();
                (
                    get("DTSTART"),
                    get("TZOFFSETFROM"),
                    get("TZOFFSETTO"),
                    observance.value("TZNAME").map(str::to_owned),
                    observance.name.clone(),
                )
            })
            .collect()
    }

    fn row(dtstart: &str, from: &str, to: &str, name: Option<&str>, kind: &str) -> Row {
        (
            dtstart.to_owned(),
            from.to_owned(),
            to.to_owned(),
            name.map(str::to_owned),
            kind.to_owned(),
        )
    }

    /// The physical lines, checked to end in CRLF with no stray CR or LF.
    fn physical_lines(text: &str) -> Vec<&[u8]> {
        let mut pieces: Vec<&[u8]> = text.as_bytes().split(|&byte| byte == b'\n').collect();
        assert_eq!(
            pieces.pop(),
            Some(&b""[..]),
            "the object ends with a line break"
        );
        pieces
            .into_iter()
            .map(|piece| {
                let line = piece.strip_suffix(b"\r").expect("every LF follows a CR");
                assert!(
                    !line.contains(&b'\r'),
                    "a bare CR in {:?}",
                    String::from_utf8_lossy(line)
                );
                line
            })
            .collect()
    }

    fn assert_well_formed(text: &str) {
        for line in physical_lines(text) {
            assert!(
                line.len() <= MAX_LINE_OCTETS,
                "{} octets: {:?}",
                line.len(),
                String::from_utf8_lossy(line)
            );
            assert!(
                std::str::from_utf8(line).is_ok(),
                "a physical line is not UTF-8 on its own: {line:?}"
            );
            assert!(!line.is_empty(), "no empty lines");
            assert!(line != b" ", "no empty continuation lines");
        }
    }

    // ---- calendar and events -----------------------------------------------------

    #[test]
    fn zurich_event_is_written_in_local_wall_time() {
        let text = render(&[zurich_june()]);
        let lines = unfold(&text);
        assert!(lines.contains(&"DTSTART;TZID=Europe/Zurich:20240626T100000".to_owned()));
        assert!(lines.contains(&"DTEND;TZID=Europe/Zurich:20240626T110000".to_owned()));
        assert_eq!(
            read_event_times(&text),
            vec![(utc(2024, 6, 26, 8, 0), utc(2024, 6, 26, 9, 0))]
        );
        assert_well_formed(&text);
    }

    #[test]
    fn calendar_has_the_header_timezones_then_events() {
        let mut geneva = zurich_june();
        geneva.uid = "meeting-1@forum.example.org".to_owned();
        let mut new_york = event(
            zone("America/New_York"),
            utc(2024, 9, 20, 14, 0),
            utc(2024, 9, 20, 16, 0),
        );
        new_york.uid = "meeting-2@forum.example.org".to_owned();
        let mut online = event(Zone::UTC, utc(2024, 7, 1, 12, 0), utc(2024, 7, 1, 13, 0));
        online.uid = "meeting-3@forum.example.org".to_owned();
        let mut geneva_again = zurich_june();
        geneva_again.uid = "meeting-4@forum.example.org".to_owned();
        geneva_again.starts_at = utc(2025, 1, 15, 9, 0);
        geneva_again.ends_at = utc(2025, 1, 15, 10, 0);

        let text = Calendar {
            name: "IGF 2024; MAG, plenary",
            events: &[geneva, new_york, online, geneva_again],
        }
        .render(stamp());
        let lines = unfold(&text);
        assert_eq!(
            lines[..7],
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//Plenary//Plenary//EN",
                "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH",
                "X-WR-CALNAME:IGF 2024\\; MAG\\, plenary",
                "BEGIN:VTIMEZONE",
            ]
        );
        assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));

        let calendar = parse(&text);
        let tzids: Vec<_> = calendar
            .all("VTIMEZONE")
            .iter()
            .map(|vtimezone| vtimezone.value("TZID").expect("TZID"))
            .collect();
        assert_eq!(tzids, ["Europe/Zurich", "America/New_York"]);
        let uids: Vec<_> = calendar
            .all("VEVENT")
            .iter()
            .map(|vevent| vevent.value("UID").expect("UID"))
            .collect();
        assert_eq!(
            uids,
            [
                "meeting-1@forum.example.org",
                "meeting-2@forum.example.org",
                "meeting-3@forum.example.org",
                "meeting-4@forum.example.org",
            ]
        );
        // VTIMEZONEs come before the first VEVENT.
        let last_vtimezone = lines
            .iter()
            .rposition(|line| line == "END:VTIMEZONE")
            .expect("a VTIMEZONE");
        let first_vevent = lines
            .iter()
            .position(|line| line == "BEGIN:VEVENT")
            .expect("a VEVENT");
        assert!(last_vtimezone < first_vevent);

        assert!(lines.contains(&"DTSTART;TZID=America/New_York:20240920T100000".to_owned()));
        assert!(lines.contains(&"DTSTART:20240701T120000Z".to_owned()));
        assert!(lines.contains(&"DTSTART;TZID=Europe/Zurich:20250115T100000".to_owned()));
        assert_eq!(
            read_event_times(&text),
            vec![
                (utc(2024, 6, 26, 8, 0), utc(2024, 6, 26, 9, 0)),
                (utc(2024, 9, 20, 14, 0), utc(2024, 9, 20, 16, 0)),
                (utc(2024, 7, 1, 12, 0), utc(2024, 7, 1, 13, 0)),
                (utc(2025, 1, 15, 9, 0), utc(2025, 1, 15, 10, 0)),
            ]
        );
        assert_well_formed(&text);
    }

    #[test]
    fn event_has_every_property_in_order() {
        let full = Event {
            uid: "meeting-12@forum.example.org".to_owned(),
            summary: "Main session".to_owned(),
            description: Some("Agenda: item 1".to_owned()),
            location: Some("Room XVII, Palais des Nations".to_owned()),
            url: Some("https://forum.example.org/meetings/12?a=1,2;b".to_owned()),
            conference: Some("https://meet.jit.si/forum-12".to_owned()),
            starts_at: utc(2024, 6, 26, 8, 0),
            ends_at: utc(2024, 6, 26, 9, 0),
            zone: zone("Europe/Zurich"),
            last_modified: utc(2024, 5, 1, 9, 30),
            sequence: 3,
            cancelled: false,
        };
        let text = render(std::slice::from_ref(&full));
        let lines = unfold(&text);
        let begin = lines
            .iter()
            .position(|line| line == "BEGIN:VEVENT")
            .expect("a VEVENT");
        assert_eq!(
            lines[begin..lines.len() - 1],
            [
                "BEGIN:VEVENT",
                "UID:meeting-12@forum.example.org",
                "DTSTAMP:20240601T120000Z",
                "DTSTART;TZID=Europe/Zurich:20240626T100000",
                "DTEND;TZID=Europe/Zurich:20240626T110000",
                "SUMMARY:Main session",
                "DESCRIPTION:Agenda: item 1",
                "LOCATION:Room XVII\\, Palais des Nations",
                // A URI value is not escaped as TEXT.
                "URL:https://forum.example.org/meetings/12?a=1,2;b",
                "CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Join online:https://meet.jit.si/forum-12",
                "LAST-MODIFIED:20240501T093000Z",
                "SEQUENCE:3",
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        );

        let cancelled = Event {
            cancelled: true,
            ..full
        };
        let lines = unfold(&render(&[cancelled]));
        assert!(lines.contains(&"STATUS:CANCELLED".to_owned()));
        assert!(!lines.contains(&"STATUS:CONFIRMED".to_owned()));
    }

    #[test]
    fn optional_properties_are_left_out() {
        let text = render(&[zurich_june()]);
        let calendar = parse(&text);
        let vevent = calendar.all("VEVENT")[0];
        for name in ["DESCRIPTION", "LOCATION", "URL", "CONFERENCE"] {
            assert_eq!(vevent.prop(name), None, "{name}");
        }
        assert_eq!(vevent.value("SEQUENCE"), Some("0"));
        assert_eq!(vevent.value("STATUS"), Some("CONFIRMED"));
    }

    #[test]
    fn url_with_a_line_break_or_control_character_is_dropped() {
        for bad in [
            "https://example.org/\r\nX-INJECTED:1",
            "https://example.org/\nBEGIN:VALARM",
            "https://example.org/\r",
            "https://example.org/\u{0}",
            "",
        ] {
            let mut with_url = zurich_june();
            with_url.url = Some(bad.to_owned());
            let text = render(&[with_url]);
            let calendar = parse(&text);
            assert_eq!(calendar.all("VEVENT")[0].prop("URL"), None, "{bad:?}");
            assert!(!text.contains("X-INJECTED") && !text.contains("VALARM"));
            assert_well_formed(&text);
        }
    }

    #[test]
    fn stamps_drop_fractions_of_a_second() {
        let mut precise = zurich_june();
        precise.starts_at = utc(2024, 6, 26, 8, 0) + Duration::milliseconds(999);
        precise.last_modified = utc(2024, 5, 1, 9, 30) + Duration::nanoseconds(1);
        let text = Calendar {
            name: "x",
            events: &[precise],
        }
        .render(stamp() + Duration::milliseconds(500));
        let lines = unfold(&text);
        assert!(lines.contains(&"DTSTART;TZID=Europe/Zurich:20240626T100000".to_owned()));
        assert!(lines.contains(&"DTSTAMP:20240601T120000Z".to_owned()));
        assert!(lines.contains(&"LAST-MODIFIED:20240501T093000Z".to_owned()));
    }

    #[test]
    fn empty_calendar_has_no_components() {
        let text = render(&[]);
        assert_eq!(
            text,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Plenary//Plenary//EN\r\n\
             CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Forum meetings\r\n\
             END:VCALENDAR\r\n"
        );
    }

    // ---- UTC ------------------------------------------------------------------------

    #[test]
    fn utc_event_uses_the_z_form_and_no_vtimezone() {
        for utc_zone in [Zone::UTC, zone("Etc/UTC"), zone("Zulu")] {
            let text = render(&[event(
                utc_zone,
                utc(2024, 6, 26, 8, 0),
                utc(2024, 6, 26, 9, 30),
            )]);
            let lines = unfold(&text);
            assert!(lines.contains(&"DTSTART:20240626T080000Z".to_owned()));
            assert!(lines.contains(&"DTEND:20240626T093000Z".to_owned()));
            assert!(!text.contains("VTIMEZONE"), "{}", utc_zone.name());
            assert!(!text.contains("TZID"), "{}", utc_zone.name());
        }
    }

    // ---- VTIMEZONE ----------------------------------------------------------------

    #[test]
    fn zurich_vtimezone_has_the_2024_changes() {
        let text = render(&[zurich_june()]);
        let rows = observance_rows(&text, "Europe/Zurich");
        // From 2023-06-26 to 2025-06-26.
        assert_eq!(
            rows,
            [
                row("20231029T030000", "+0200", "+0100", Some("CET"), "STANDARD"),
                row(
                    "20240331T020000",
                    "+0100",
                    "+0200",
                    Some("CEST"),
                    "DAYLIGHT"
                ),
                row("20241027T030000", "+0200", "+0100", Some("CET"), "STANDARD"),
                row(
                    "20250330T020000",
                    "+0100",
                    "+0200",
                    Some("CEST"),
                    "DAYLIGHT"
                ),
            ]
        );
        assert!(unfold(&text).contains(&"TZID:Europe/Zurich".to_owned()));
    }

    #[test]
    fn span_runs_from_a_year_before_the_first_event_to_a_year_after_the_last() {
        let mut later = zurich_june();
        later.starts_at = utc(2026, 2, 10, 8, 0);
        later.ends_at = utc(2026, 2, 10, 9, 0);
        let rows = observance_rows(&render(&[later, zurich_june()]), "Europe/Zurich");
        let starts: Vec<_> = rows.iter().map(|row| row.0.as_str()).collect();
        assert_eq!(
            starts,
            [
                "20231029T030000",
                "20240331T020000",
                "20241027T030000",
                "20250330T020000",
                "20251026T030000",
                "20260329T020000",
                "20261025T030000",
            ]
        );
    }

    #[test]
    fn new_york_and_sydney_changes() {
        let new_york = event(
            zone("America/New_York"),
            utc(2024, 6, 26, 14, 0),
            utc(2024, 6, 26, 15, 0),
        );
        let rows = observance_rows(&render(&[new_york]), "America/New_York");
        assert_eq!(
            rows[1..3],
            [
                row("20240310T020000", "-0500", "-0400", Some("EDT"), "DAYLIGHT"),
                row("20241103T020000", "-0400", "-0500", Some("EST"), "STANDARD"),
            ]
        );

        // The southern hemisphere: daylight time spans the new year.
        let sydney = event(
            zone("Australia/Sydney"),
            utc(2024, 6, 26, 0, 0),
            utc(2024, 6, 26, 1, 0),
        );
        let rows = observance_rows(&render(&[sydney]), "Australia/Sydney");
        assert_eq!(
            rows,
            [
                row(
                    "20231001T020000",
                    "+1000",
                    "+1100",
                    Some("AEDT"),
                    "DAYLIGHT"
                ),
                row(
                    "20240407T030000",
                    "+1100",
                    "+1000",
                    Some("AEST"),
                    "STANDARD"
                ),
                row(
                    "20241006T020000",
                    "+1000",
                    "+1100",
                    Some("AEDT"),
                    "DAYLIGHT"
                ),
                row(
                    "20250406T030000",
                    "+1100",
                    "+1000",
                    Some("AEST"),
                    "STANDARD"
                ),
            ]
        );
    }

    #[test]
    fn lord_howe_saves_half_an_hour() {
        let lord_howe = event(
            zone("Australia/Lord_Howe"),
            utc(2024, 6, 26, 0, 0),
            utc(2024, 6, 26, 1, 0),
        );
        let rows = observance_rows(&render(&[lord_howe]), "Australia/Lord_Howe");
        let kinds: Vec<_> = rows
            .iter()
            .map(|row| {
                (
                    row.0.as_str(),
                    row.1.as_str(),
                    row.2.as_str(),
                    row.4.as_str(),
                )
            })
            .collect();
        assert!(kinds.contains(&("20240407T020000", "+1100", "+1030", "STANDARD")));
        assert!(kinds.contains(&("20241006T020000", "+1030", "+1100", "DAYLIGHT")));
    }

    #[test]
    fn zone_without_changes_has_one_standard_observance() {
        for (name, offset, abbreviation) in [
            ("Africa/Nairobi", "+0300", Some("EAT")),
            ("Asia/Kolkata", "+0530", Some("IST")),
            ("Asia/Riyadh", "+0300", None),
            ("America/Sao_Paulo", "-0300", None),
        ] {
            let text = render(&[event(
                zone(name),
                utc(2024, 6, 26, 8, 0),
                utc(2024, 6, 26, 9, 0),
            )]);
            let rows = observance_rows(&text, name);
            assert_eq!(rows.len(), 1, "{name}: {rows:?}");
            let (dtstart, from, to, tzname, kind) = &rows[0];
            assert_eq!((from.as_str(), to.as_str()), (offset, offset), "{name}");
            assert_eq!(tzname.as_deref(), abbreviation, "{name}");
            assert_eq!(kind, "STANDARD", "{name}");
            // The start of the span, a year before the event, in local time.
            let local = read_local(dtstart);
            assert_eq!(
                local - Duration::seconds(read_offset(offset)),
                utc(2023, 6, 26, 8, 0).naive_utc(),
                "{name}"
            );
            assert_eq!(
                read_event_times(&text),
                vec![(utc(2024, 6, 26, 8, 0), utc(2024, 6, 26, 9, 0))]
            );
        }
    }

    #[test]
    fn numeric_abbreviations_are_left_out() {
        // São Paulo kept daylight time until 2019; tzdata names its offsets "-03"/"-02".
        let text = render(&[event(
            zone("America/Sao_Paulo"),
            utc(2018, 6, 26, 13, 0),
            utc(2018, 6, 26, 14, 0),
        )]);
        let rows = observance_rows(&text, "America/Sao_Paulo");
        assert!(rows.len() >= 3, "{rows:?}");
        assert!(rows.iter().all(|row| row.3.is_none()), "{rows:?}");
        assert!(rows.contains(&row("20171015T000000", "-0300", "-0200", None, "DAYLIGHT")));
        assert!(rows.contains(&row("20180218T000000", "-0200", "-0300", None, "STANDARD")));
        assert!(!text.contains("TZNAME"));
    }

    #[test]
    fn a_change_only_after_the_event_gets_a_leading_observance() {
        // Moscow stayed on +04 from March 2011 and moved to +03 on 26 October 2014.
        let text = render(&[event(
            zone("Europe/Moscow"),
            utc(2014, 6, 1, 7, 0),
            utc(2014, 6, 1, 8, 0),
        )]);
        let rows = observance_rows(&text, "Europe/Moscow");
        assert_eq!(
            rows,
            [
                row("20130601T110000", "+0400", "+0400", Some("MSK"), "STANDARD"),
                row("20141026T020000", "+0400", "+0300", Some("MSK"), "STANDARD"),
            ]
        );
        assert_eq!(
            read_event_times(&text),
            vec![(utc(2014, 6, 1, 7, 0), utc(2014, 6, 1, 8, 0))]
        );
    }

    #[test]
    fn historical_offsets_keep_their_seconds() {
        // Zurich kept local mean time, +00:34:08, until 1853.
        let text = render(&[event(
            zone("Europe/Zurich"),
            utc(1850, 6, 1, 10, 0),
            utc(1850, 6, 1, 11, 0),
        )]);
        let rows = observance_rows(&text, "Europe/Zurich");
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(
            (rows[0].1.as_str(), rows[0].2.as_str()),
            ("+003408", "+003408")
        );
        assert!(unfold(&text).contains(&"DTSTART;TZID=Europe/Zurich:18500601T103408".to_owned()));
        assert_eq!(
            read_event_times(&text),
            vec![(utc(1850, 6, 1, 10, 0), utc(1850, 6, 1, 11, 0))]
        );
    }

    #[test]
    fn offsets_are_written_as_sign_hours_minutes() {
        assert_eq!(utc_offset_value(3600), "+0100");
        assert_eq!(utc_offset_value(7200), "+0200");
        assert_eq!(utc_offset_value(19_800), "+0530");
        assert_eq!(utc_offset_value(20_700), "+0545");
        assert_eq!(utc_offset_value(-10_800), "-0300");
        assert_eq!(utc_offset_value(-34_200), "-0930");
        assert_eq!(utc_offset_value(0), "+0000");
        assert_eq!(utc_offset_value(2_048), "+003408");
        assert_eq!(utc_offset_value(-1), "-000001");
    }

    #[test]
    fn transitions_are_found_to_the_second() {
        let zurich = zone("Europe/Zurich").tz();
        let found = transitions(
            zurich,
            utc(2024, 1, 1, 0, 0).timestamp(),
            utc(2025, 1, 1, 0, 0).timestamp(),
        );
        let at: Vec<_> = found.iter().map(|change| instant(change.at)).collect();
        assert_eq!(at, [utc(2024, 3, 31, 1, 0), utc(2024, 10, 27, 1, 0)]);
        for change in &found {
            assert!(!same_observance(&change.before, &change.after));
            assert!(same_observance(
                &offset_at(zurich, change.at - 1),
                &change.before
            ));
            assert!(same_observance(
                &offset_at(zurich, change.at),
                &change.after
            ));
        }
        // Nothing in a span with no change, nor in an empty span.
        let nairobi = zone("Africa/Nairobi").tz();
        assert!(transitions(nairobi, 0, utc(2040, 1, 1, 0, 0).timestamp()).is_empty());
        assert!(transitions(zurich, 100, 100).is_empty());
    }

    // ---- folds and gaps ---------------------------------------------------------------

    #[test]
    fn second_occurrence_of_a_repeated_time_is_written_in_utc() {
        let zurich = zone("Europe/Zurich");
        // 02:30 happened twice in Zurich on 27 October 2024: at 00:30Z (CEST) and at
        // 01:30Z (CET). RFC 5545 reads 02:30 as the first.
        let first = event(zurich, utc(2024, 10, 27, 0, 30), utc(2024, 10, 27, 1, 30));
        let text = render(&[first]);
        let lines = unfold(&text);
        assert!(lines.contains(&"DTSTART;TZID=Europe/Zurich:20241027T023000".to_owned()));
        assert!(lines.contains(&"DTEND:20241027T013000Z".to_owned()));
        assert_eq!(
            read_event_times(&text),
            vec![(utc(2024, 10, 27, 0, 30), utc(2024, 10, 27, 1, 30))]
        );

        // The hour around a spring-forward gap is always one local time.
        let spring = event(zurich, utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 1, 30));
        let text = render(&[spring]);
        let lines = unfold(&text);
        assert!(lines.contains(&"DTSTART;TZID=Europe/Zurich:20240331T013000".to_owned()));
        assert!(lines.contains(&"DTEND;TZID=Europe/Zurich:20240331T033000".to_owned()));
        assert_eq!(
            read_event_times(&text),
            vec![(utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 1, 30))]
        );
    }

    #[test]
    fn every_half_hour_of_2024_reads_back() {
        for name in [
            "Europe/Zurich",
            "America/New_York",
            "Australia/Sydney",
            "America/Sao_Paulo",
            "Australia/Lord_Howe",
            "Asia/Kolkata",
        ] {
            let zone = zone(name);
            let first = utc(2024, 1, 1, 0, 0);
            let events: Vec<Event> = (0..366 * 48)
                .map(|i| {
                    let at = first + Duration::minutes(30 * i + 15);
                    event(zone, at, at + Duration::minutes(45))
                })
                .collect();
            let text = render(&events);
            let read = read_event_times(&text);
            assert_eq!(read.len(), events.len());
            for (event, (start, end)) in events.iter().zip(read) {
                assert_eq!((start, end), (event.starts_at, event.ends_at), "{name}");
            }
        }
    }

    // ---- TEXT escaping --------------------------------------------------------------

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a;b,c\\d"), "a\\;b\\,c\\\\d");
        assert_eq!(
            escape_text("one\ntwo\r\nthree\rfour"),
            "one\\ntwo\\nthree\\nfour"
        );
        assert_eq!(escape_text("\r\n\r\n"), "\\n\\n");
        assert_eq!(escape_text("tab\there"), "tab\there");
        assert_eq!(
            escape_text("bell\u{7}nul\u{0}esc\u{1b}del\u{7f}nel\u{85}end"),
            "bellnulescdelnelend"
        );
        assert_eq!(escape_text("Colon: fine"), "Colon: fine");
        assert_eq!(escape_text("\"quoted\""), "\"quoted\"");
        assert_eq!(escape_text("Guðrún — ندوة"), "Guðrún — ندوة");

        let mut tricky = zurich_june();
        tricky.summary = "a;b,c\\d".to_owned();
        tricky.description = Some("Line one\nLine two\r\nEND:VEVENT".to_owned());
        tricky.location = Some("Room 1, Building A; floor 2".to_owned());
        let text = render(&[tricky]);
        let lines = unfold(&text);
        assert!(lines.contains(&"SUMMARY:a\\;b\\,c\\\\d".to_owned()));
        assert!(lines.contains(&"DESCRIPTION:Line one\\nLine two\\nEND:VEVENT".to_owned()));
        assert!(lines.contains(&"LOCATION:Room 1\\, Building A\\; floor 2".to_owned()));
        let calendar = parse(&text);
        let vevent = calendar.all("VEVENT")[0];
        assert_eq!(
            unescape(vevent.value("DESCRIPTION").expect("DESCRIPTION")),
            "Line one\nLine two\nEND:VEVENT"
        );
        assert_eq!(
            unescape(vevent.value("SUMMARY").expect("SUMMARY")),
            "a;b,c\\d"
        );
        assert_well_formed(&text);
    }

    // ---- folding and line endings -------------------------------------------------------

    #[test]
    fn lines_fold_at_75_octets() {
        let fold = |logical: &str| {
            let mut lines = Lines::default();
            lines.line(logical);
            lines.0
        };
        let exactly = "x".repeat(75);
        assert_eq!(fold(&exactly), format!("{exactly}\r\n"));
        let over = "x".repeat(76);
        assert_eq!(fold(&over), format!("{}\r\n x\r\n", "x".repeat(75)));
        // The leading space counts: continuation lines carry 74 octets.
        let long = "y".repeat(75 + 74 + 1);
        assert_eq!(
            fold(&long),
            format!("{}\r\n {}\r\n y\r\n", "y".repeat(75), "y".repeat(74))
        );
        // A two-octet character that would straddle the limit moves to the next line.
        let straddle = format!("{}é", "x".repeat(74));
        assert_eq!(fold(&straddle), format!("{}\r\n é\r\n", "x".repeat(74)));
        assert_eq!(fold(""), "\r\n");
    }

    #[test]
    fn long_multilingual_text_folds_without_splitting_characters() {
        let summary = "Guðrún Jónsdóttir — ندوة الحوكمة · 🌍 ".repeat(12);
        let mut long = zurich_june();
        long.summary = summary.clone();
        long.description = Some(format!("{summary}\n{summary}"));
        long.location = Some("東京国際フォーラム、ホールA".repeat(10));
        let text = render(&[long]);
        assert_well_formed(&text);
        let physical = physical_lines(&text);
        assert!(
            physical
                .iter()
                .filter(|line| line.starts_with(b" "))
                .count()
                > 10,
            "long values are folded"
        );
        let lines = unfold(&text);
        assert!(lines.contains(&format!("SUMMARY:{}", escape_text(&summary))));
        let calendar = parse(&text);
        let vevent = calendar.all("VEVENT")[0];
        assert_eq!(unescape(vevent.value("SUMMARY").expect("SUMMARY")), summary);
        assert_eq!(
            unescape(vevent.value("DESCRIPTION").expect("DESCRIPTION")),
            format!("{summary}\n{summary}")
        );
        assert_eq!(
            unescape(vevent.value("LOCATION").expect("LOCATION")),
            "東京国際フォーラム、ホールA".repeat(10)
        );
    }

    #[test]
    fn every_line_ends_with_crlf() {
        let mut busy = zurich_june();
        busy.description = Some("a\nb\r\nc\rd".repeat(40));
        busy.url = Some(format!("https://example.org/{}", "p".repeat(200)));
        let text = render(&[busy, event(Zone::UTC, stamp(), stamp())]);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        let bytes = text.as_bytes();
        for (at, byte) in bytes.iter().enumerate() {
            match byte {
                b'\n' => assert_eq!(bytes.get(at.wrapping_sub(1)), Some(&b'\r'), "bare LF"),
                b'\r' => assert_eq!(bytes.get(at + 1), Some(&b'\n'), "bare CR"),
                _ => {}
            }
        }
        assert_well_formed(&text);
        // The long URL survives folding intact.
        let calendar = parse(&text);
        assert_eq!(
            calendar.all("VEVENT")[0].value("URL"),
            Some(format!("https://example.org/{}", "p".repeat(200)).as_str())
        );
    }

    // ---- properties -------------------------------------------------------------------

    const ROUND_TRIP_ZONES: [&str; 4] = [
        "Europe/Zurich",
        "America/New_York",
        "Australia/Sydney",
        "America/Sao_Paulo",
    ];

    /// 2000-01-01T00:00:00Z and 2041-01-01T00:00:00Z.
    const FROM: i64 = 946_684_800;
    const UNTIL: i64 = 2_240_524_800;

    /// What a reader gets back from a TEXT value: line breaks as LF, control
    /// characters other than tab gone.
    fn normalised(raw: &str) -> String {
        raw.replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
            .collect()
    }

    proptest! {
        // Failures are reported, not saved into the source tree.
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn local_times_read_back_as_the_same_instant(
            start in FROM..UNTIL,
            minutes in 0i64..(3 * 24 * 60),
            which in 0..ROUND_TRIP_ZONES.len(),
            other in 0..ROUND_TRIP_ZONES.len(),
            gap_days in 0i64..800,
        ) {
            let shown_in = zone(ROUND_TRIP_ZONES[which]);
            let starts_at = instant(start);
            let ends_at = starts_at + Duration::minutes(minutes);
            // A second event, maybe in another zone, widens or shares the span.
            let later = starts_at + Duration::days(gap_days);
            let events = [
                event(shown_in, starts_at, ends_at),
                event(zone(ROUND_TRIP_ZONES[other]), later, later + Duration::hours(1)),
            ];
            let text = render(&events);
            prop_assert_eq!(
                read_event_times(&text),
                events.iter().map(|e| (e.starts_at, e.ends_at)).collect::<Vec<_>>()
            );
            // Local wall time unless the instant is the second pass through a fold.
            let calendar = parse(&text);
            let dtstart = calendar.all("VEVENT")[0].prop("DTSTART").expect("DTSTART").clone();
            let local = starts_at.with_timezone(&shown_in.tz()).naive_local();
            if dtstart.param("TZID").is_some() {
                prop_assert_eq!(dtstart.param("TZID"), Some(shown_in.name()));
                prop_assert_eq!(dtstart.value, local.format(LOCAL_FORMAT).to_string());
            } else {
                prop_assert!(matches!(
                    shown_in.tz().from_local_datetime(&local),
                    LocalResult::Ambiguous(..)
                ));
            }
        }

        #[test]
        fn any_text_survives_escaping_and_folding(summary in any::<String>(), url in "[ -~]{0,200}") {
            let mut anything = zurich_june();
            anything.summary = summary.clone();
            anything.description = Some(summary.repeat(3));
            anything.url = Some(url.clone());
            let text = render(&[anything]);
            assert_well_formed(&text);
            let calendar = parse(&text);
            let vevent = calendar.all("VEVENT")[0];
            prop_assert_eq!(unescape(vevent.value("SUMMARY").expect("SUMMARY")), normalised(&summary));
            prop_assert_eq!(
                unescape(vevent.value("DESCRIPTION").expect("DESCRIPTION")),
                normalised(&summary.repeat(3))
            );
            prop_assert_eq!(vevent.value("URL"), (!url.is_empty()).then_some(url.as_str()));
        }
    }

    #[test]
    fn a_meeting_over_three_days_sits_each_day_at_its_hours() {
        let zone = Zone::parse("zone", "Europe/Zurich").expect("zone");
        let utc = |s: &str| s.parse::<DateTime<Utc>>().expect("instant");
        // Monday 09:00 to Wednesday 17:00 in Geneva (CEST, UTC+2).
        let sittings = daily_sittings(
            utc("2026-06-22T07:00:00Z"),
            utc("2026-06-24T15:00:00Z"),
            zone,
        );
        assert_eq!(
            sittings,
            [
                (utc("2026-06-22T07:00:00Z"), utc("2026-06-22T15:00:00Z")),
                (utc("2026-06-23T07:00:00Z"), utc("2026-06-23T15:00:00Z")),
                (utc("2026-06-24T07:00:00Z"), utc("2026-06-24T15:00:00Z")),
            ]
        );
        // Over the autumn clock change the wall-clock hours stay, the offset moves.
        let autumn = daily_sittings(
            utc("2026-10-24T07:00:00Z"),
            utc("2026-10-25T16:00:00Z"),
            zone,
        );
        assert_eq!(
            autumn[1],
            (utc("2026-10-25T08:00:00Z"), utc("2026-10-25T16:00:00Z"))
        );
        // A daily start inside the spring gap (02:00 in New York on 2 April 2000) is
        // read as 03:00 EDT, after the day before's end.
        let new_york = Zone::parse("zone", "America/New_York").expect("zone");
        let spring = daily_sittings(
            utc("2000-03-25T07:00:00Z"),
            utc("2000-04-02T07:30:00Z"),
            new_york,
        );
        assert_eq!(spring.len(), 9);
        assert_eq!(
            spring[8],
            (utc("2000-04-02T07:00:00Z"), utc("2000-04-02T07:30:00Z"))
        );
        for pair in spring.windows(2) {
            assert!(pair[0].1 <= pair[1].0, "{pair:?}");
        }
        // One day, or through a night: one sitting.
        let one = (utc("2026-06-22T07:00:00Z"), utc("2026-06-22T15:00:00Z"));
        assert_eq!(daily_sittings(one.0, one.1, zone), [one]);
        let night = (utc("2026-06-22T18:00:00Z"), utc("2026-06-23T02:00:00Z"));
        assert_eq!(daily_sittings(night.0, night.1, zone), [night]);
    }

    proptest::proptest! {
        /// The sittings lie within the meeting, in order, one per local day at most,
        /// the first starting and the last ending with the meeting.
        #[test]
        fn sittings_cover_the_meeting_in_order(start in 0i64..4_000_000_000, hours in 0i64..24 * 40) {
            let zone = Zone::parse("zone", "America/New_York").expect("zone");
            let starts_at = DateTime::from_timestamp(start, 0).expect("instant");
            let ends_at = starts_at + chrono::Duration::minutes(hours * 60 + 30);
            let sittings = daily_sittings(starts_at, ends_at, zone);
            proptest::prop_assert!(!sittings.is_empty());
            proptest::prop_assert_eq!(sittings[0].0, starts_at);
            proptest::prop_assert_eq!(sittings[sittings.len() - 1].1, ends_at);
            for (from, to) in &sittings {
                proptest::prop_assert!(from <= to && *from >= starts_at && *to <= ends_at);
            }
            for pair in sittings.windows(2) {
                proptest::prop_assert!(pair[0].1 <= pair[1].0);
            }
            proptest::prop_assert!(sittings.len() as i64 <= hours / 24 + 2);
        }
    }
}
