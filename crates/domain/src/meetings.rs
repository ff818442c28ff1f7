//! Meetings and agendas: kinds, modes, attendance, wall-clock times in the meeting's
//! zone, and the rules for agenda items (an end after the start, no two items in one
//! room at once).

use crate::error::{FieldError, Problem};
use crate::people::closed_list;
use crate::time::{LocalTimeError, Zone, local_to_utc};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

closed_list!(
    /// What kind of meeting.
    MeetingKind, "meeting kind" {
        AdvisoryGroupMeeting => ("advisory_group_meeting", "Advisory-group meeting"),
        OpenConsultation => ("open_consultation", "Open consultation"),
        WorkingGroupCall => ("working_group_call", "Working-group call"),
        Webinar => ("webinar", "Webinar"),
        AnnualMeetingSession => ("annual_meeting_session", "Annual-meeting session"),
    }
);

closed_list!(
    /// How people take part.
    MeetingMode, "meeting mode" {
        Online => ("online", "Online"),
        Onsite => ("onsite", "Onsite"),
        Hybrid => ("hybrid", "Hybrid"),
    }
);

closed_list!(
    /// Where an attendee stands: invited, confirmed, attended.
    AttendanceStatus, "attendance status" {
        Invited => ("invited", "Invited"),
        Confirmed => ("confirmed", "Confirmed"),
        Attended => ("attended", "Attended"),
    }
);

/// A wall-clock time typed as HH:MM (24-hour).
pub fn parse_time(field: &'static str, raw: &str) -> Result<NaiveTime, FieldError> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M")
        .map_err(|_| FieldError::new(field, Problem::Invalid("write a time as HH:MM, e.g. 14:30")))
}

/// The instant of a wall-clock time on `date` in `zone`. A time skipped by a clock
/// change is refused; a time that happens twice is taken at its first occurrence.
pub fn instant(
    field: &'static str,
    date: NaiveDate,
    time: NaiveTime,
    zone: Zone,
) -> Result<DateTime<Utc>, FieldError> {
    match local_to_utc(date, time, zone) {
        Ok(at) => Ok(at),
        Err(LocalTimeError::Ambiguous { earlier, .. }) => Ok(earlier),
        Err(LocalTimeError::Nonexistent) => Err(FieldError::new(
            field,
            Problem::Invalid("this time does not exist on that day: the clocks change"),
        )),
    }
}

/// A span of time that ends after it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Span {
    /// `end_field` names the field to mark when the end is not after the start.
    pub fn new(
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        end_field: &'static str,
    ) -> Result<Span, FieldError> {
        if end <= start {
            return Err(FieldError::new(
                end_field,
                Problem::Invalid("the end must be after the start"),
            ));
        }
        Ok(Span { start, end })
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// Whether the spans share any moment; touching ends (10:00–11:00, 11:00–12:00) do not.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}–{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// The local dates a meeting covers in its zone, first and last included.
pub fn meeting_dates(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    zone: Zone,
) -> (NaiveDate, NaiveDate) {
    let tz = zone.tz();
    (
        starts_at.with_timezone(&tz).date_naive(),
        ends_at.with_timezone(&tz).date_naive(),
    )
}

/// When a day of the agenda opens and closes: the hours the agenda gives the day, else
/// the meeting's daily hours (its start's and its end's clock times, on every day, when
/// the start's time comes first), else from the meeting's start to its end, cut to the day.
pub fn day_hours(
    day: NaiveDate,
    own: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    meeting: (DateTime<Utc>, DateTime<Utc>),
    zone: Zone,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let tz = zone.tz();
    let (m_start, m_end) = (meeting.0.with_timezone(&tz), meeting.1.with_timezone(&tz));
    let at = |time: NaiveTime| crate::time::local_to_utc_earliest(day, time, zone);
    let midnight = |d: NaiveDate| {
        crate::time::local_to_utc_earliest(d, NaiveTime::MIN, zone)
            .unwrap_or_else(|| d.and_time(NaiveTime::MIN).and_utc())
    };
    let (default_open, default_close) = if m_start.time() < m_end.time() {
        (at(m_start.time()), at(m_end.time()))
    } else {
        (None, None)
    };
    let fallback_open = midnight(day).max(meeting.0);
    let next_day = day.succ_opt().unwrap_or(day);
    let fallback_close = midnight(next_day).min(meeting.1);
    (
        own.0.or(default_open).unwrap_or(fallback_open),
        own.1.or(default_close).unwrap_or(fallback_close),
    )
}

/// Whether an item's times fall outside its day's hours (an item without times never is).
pub fn outside_hours(
    item: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    hours: (DateTime<Utc>, DateTime<Utc>),
) -> bool {
    item.0.is_some_and(|s| s < hours.0 || s >= hours.1)
        || item.1.is_some_and(|e| e > hours.1 || e <= hours.0)
}

/// Agenda lines typed one per line (interventions, documents, outputs): trimmed, list
/// markers kept as typed, empty lines dropped.
pub fn parse_lines(
    field: &'static str,
    raw: &str,
    max_lines: usize,
) -> Result<Vec<String>, FieldError> {
    let lines: Vec<String> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if lines.len() > max_lines {
        return Err(FieldError::new(field, Problem::Invalid("too many lines")));
    }
    if lines
        .iter()
        .any(|l| l.chars().count() > 1000 || l.chars().any(char::is_control))
    {
        return Err(FieldError::new(
            field,
            Problem::Invalid("a line is too long or has control characters"),
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 6, 26, h, m, 0)
            .single()
            .expect("instant")
    }

    #[test]
    fn spans_end_after_they_start_and_touching_spans_do_not_overlap() {
        assert_eq!(
            Span::new(at(10, 0), at(10, 0), "ends_at").map_err(|e| e.field),
            Err("ends_at")
        );
        let a = Span::new(at(10, 0), at(11, 0), "e").expect("span");
        let b = Span::new(at(11, 0), at(12, 0), "e").expect("span");
        let c = Span::new(at(10, 30), at(10, 45), "e").expect("span");
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&c) && c.overlaps(&a));
    }

    #[test]
    fn local_times_use_the_true_offset_of_the_day() {
        let zurich = Zone::parse("tz", "Europe/Zurich").expect("zone");
        let june = NaiveDate::from_ymd_opt(2024, 6, 26).expect("date");
        let january = NaiveDate::from_ymd_opt(2024, 1, 15).expect("date");
        let ten = parse_time("t", "10:00").expect("time");
        assert_eq!(
            instant("t", june, ten, zurich),
            Ok(at(8, 0)),
            "CEST, whatever a document calls it"
        );
        assert_eq!(
            instant("t", january, ten, zurich).map(|t| t.to_rfc3339()),
            Ok("2024-01-15T09:00:00+00:00".into())
        );
        let gap = NaiveDate::from_ymd_opt(2024, 3, 31).expect("date");
        assert_eq!(
            instant(
                "starts_at",
                gap,
                parse_time("t", "02:30").expect("time"),
                zurich
            )
            .map_err(|e| e.field),
            Err("starts_at")
        );
        assert!(parse_time("t", "25:10").is_err() && parse_time("t", "9h").is_err());
    }

    #[test]
    fn lines_are_trimmed_and_blank_ones_dropped() {
        assert_eq!(
            parse_lines("l", " - ISOC \n\n  Government of X\r\n", 10),
            Ok(vec!["- ISOC".to_owned(), "Government of X".to_owned()])
        );
        assert!(parse_lines("l", "a\nb\nc", 2).is_err());
    }

    fn geneva(date: (i32, u32, u32), h: u32, m: u32) -> DateTime<Utc> {
        let zone = Zone::parse("tz", "Europe/Zurich").expect("zone");
        let day = NaiveDate::from_ymd_opt(date.0, date.1, date.2).expect("date");
        instant(
            "t",
            day,
            NaiveTime::from_hms_opt(h, m, 0).expect("time"),
            zone,
        )
        .expect("instant")
    }

    #[test]
    fn a_day_without_hours_takes_the_meetings_daily_hours() {
        let zone = Zone::parse("tz", "Europe/Zurich").expect("zone");
        let meeting = (geneva((2024, 6, 25), 10, 0), geneva((2024, 6, 27), 18, 0));
        let middle = NaiveDate::from_ymd_opt(2024, 6, 26).expect("date");
        let hours = day_hours(middle, (None, None), meeting, zone);
        assert_eq!(
            hours,
            (geneva((2024, 6, 26), 10, 0), geneva((2024, 6, 26), 18, 0))
        );
        let item = (
            Some(geneva((2024, 6, 26), 9, 0)),
            Some(geneva((2024, 6, 26), 10, 30)),
        );
        assert!(outside_hours(item, hours), "starts before the day opens");
        let inside = (
            Some(geneva((2024, 6, 26), 10, 0)),
            Some(geneva((2024, 6, 26), 18, 0)),
        );
        assert!(
            !outside_hours(inside, hours),
            "the day's whole span is inside"
        );
        assert!(!outside_hours((None, None), hours), "no times, no flag");
        let own = (Some(geneva((2024, 6, 26), 8, 0)), None);
        assert!(
            !outside_hours(item, day_hours(middle, own, meeting, zone)),
            "the day's own opening wins"
        );
    }

    #[test]
    fn a_meeting_overnight_bounds_its_days_by_its_span() {
        let zone = Zone::parse("tz", "Europe/Zurich").expect("zone");
        let meeting = (geneva((2024, 6, 25), 20, 0), geneva((2024, 6, 26), 2, 0));
        let first = NaiveDate::from_ymd_opt(2024, 6, 25).expect("date");
        let hours = day_hours(first, (None, None), meeting, zone);
        assert_eq!(
            hours,
            (geneva((2024, 6, 25), 20, 0), geneva((2024, 6, 26), 0, 0))
        );
        assert!(outside_hours(
            (Some(geneva((2024, 6, 25), 19, 0)), None),
            hours
        ));
        assert!(outside_hours(
            (None, Some(geneva((2024, 6, 26), 0, 30))),
            hours
        ));
    }

    #[test]
    fn a_meeting_covers_its_local_dates() {
        let tokyo = Zone::parse("tz", "Asia/Tokyo").expect("zone");
        // 23:30 UTC on the 25th is the 26th in Tokyo.
        let start = Utc
            .with_ymd_and_hms(2024, 6, 25, 23, 30, 0)
            .single()
            .expect("instant");
        let end = Utc
            .with_ymd_and_hms(2024, 6, 27, 8, 0, 0)
            .single()
            .expect("instant");
        let (first, last) = meeting_dates(start, end, tokyo);
        assert_eq!(
            (first.to_string(), last.to_string()),
            ("2024-06-26".into(), "2024-06-27".into())
        );
    }

    proptest! {
        #[test]
        fn overlap_is_symmetric(a in 0i64..1000, la in 1i64..200, b in 0i64..1000, lb in 1i64..200) {
            let base = at(0, 0);
            let s1 = Span::new(base + chrono::Duration::minutes(a), base + chrono::Duration::minutes(a + la), "e").expect("span");
            let s2 = Span::new(base + chrono::Duration::minutes(b), base + chrono::Duration::minutes(b + lb), "e").expect("span");
            prop_assert_eq!(s1.overlaps(&s2), s2.overlaps(&s1));
            prop_assert!(s1.overlaps(&s1));
        }
    }
}
