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
