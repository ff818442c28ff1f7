//! Dates and local date-times as people type them, and the one range of years they may
//! fall in.
//!
//! chrono reads `0000-01-01`, `+10000-01-01` and `-2000-01-01` as real dates, but the
//! stores do not agree about them (SQLite's text dates sort and compare wrongly outside
//! four-digit years, PostgreSQL accepts years a `timestamptz` then prints with `BC`),
//! and no forum meets in them. So every date or instant typed by a person (meetings and
//! their days, timeslots, calls' and events' windows, due dates, memberships, visa and
//! registration answers) is read here, and refused outside [`YEARS`] before anything
//! reaches the store.

use crate::error::Problem;
use chrono::{NaiveDate, NaiveDateTime};
use std::ops::RangeInclusive;

/// The years a typed date may fall in.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

/// What is wrong with a typed date, for the caller to name its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not in the expected form (or not a real day: `2027-02-30`).
    Malformed,
    /// A real date, but outside [`YEARS`].
    OutOfRange,
}

impl DateError {
    /// The problem to report, `malformed` saying which form was expected.
    pub fn problem(self, malformed: &'static str) -> Problem {
        match self {
            DateError::Malformed => Problem::Invalid(malformed),
            DateError::OutOfRange => Problem::Invalid("the year must be from 1900 to 2200"),
        }
    }
}

/// Whether a date is within [`YEARS`].
pub fn in_range(date: NaiveDate) -> Result<NaiveDate, DateError> {
    use chrono::Datelike as _;
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(DateError::OutOfRange)
    }
}

/// A date typed as `YYYY-MM-DD` (white space at either end ignored). A sign or a year
/// of other than four digits is malformed: `%Y` alone would read `+2027` and `20266`.
pub fn parse_date(raw: &str) -> Result<NaiveDate, DateError> {
    let raw = raw.trim();
    if !four_digit_year(raw) {
        return Err(DateError::Malformed);
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| DateError::Malformed)?;
    in_range(date)
}

/// A wall-clock date and time typed as `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM`.
pub fn parse_local_date_time(raw: &str) -> Result<NaiveDateTime, DateError> {
    let raw = raw.trim();
    if !four_digit_year(raw) {
        return Err(DateError::Malformed);
    }
    let local = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .map_err(|_| DateError::Malformed)?;
    in_range(local.date()).map(|_| local)
}

fn four_digit_year(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.len() > 4 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike as _;
    use proptest::prelude::*;

    #[test]
    fn dates_within_the_range_are_read() {
        assert_eq!(
            parse_date(" 2027-05-01 "),
            Ok(NaiveDate::from_ymd_opt(2027, 5, 1).expect("date"))
        );
        assert!(parse_date("1900-01-01").is_ok());
        assert!(parse_date("2200-12-31").is_ok());
    }

    #[test]
    fn years_outside_the_range_are_refused() {
        for raw in ["0000-01-01", "1899-12-31", "2201-01-01", "9999-12-31"] {
            assert_eq!(parse_date(raw), Err(DateError::OutOfRange), "{raw}");
        }
        assert_eq!(
            parse_local_date_time("0000-01-01T00:00"),
            Err(DateError::OutOfRange)
        );
    }

    #[test]
    fn signed_and_long_years_are_malformed() {
        for raw in [
            "+10000-01-01",
            "-2000-01-01",
            "+2027-05-01",
            "20266-01-01",
            "27-05-01",
            "2027-02-30",
            "",
        ] {
            assert_eq!(parse_date(raw), Err(DateError::Malformed), "{raw}");
        }
        assert_eq!(
            parse_local_date_time("+10000-01-01T10:00"),
            Err(DateError::Malformed)
        );
    }

    #[test]
    fn local_date_times_take_either_separator() {
        let a = parse_local_date_time("2027-05-01T09:30").expect("T");
        let b = parse_local_date_time("2027-05-01 09:30").expect("space");
        assert_eq!(a, b);
    }

    proptest! {
        /// Every real day is read back exactly when its year is in the range, and
        /// refused (never accepted, never a panic) when it is not.
        #[test]
        fn a_day_is_accepted_exactly_within_the_range(days in -1_000_000i32..1_000_000) {
            let day = NaiveDate::from_ymd_opt(2000, 1, 1).expect("epoch")
                + chrono::Duration::days(i64::from(days));
            let typed = day.format("%Y-%m-%d").to_string();
            let local = format!("{typed}T12:00");
            let read = parse_date(&typed);
            let read_local = parse_local_date_time(&local).map(|l| l.date());
            if YEARS.contains(&day.year()) {
                prop_assert_eq!(read, Ok(day));
                prop_assert_eq!(read_local, Ok(day));
            } else {
                prop_assert!(read.is_err());
                prop_assert!(read_local.is_err());
            }
        }

        /// Whatever is typed, the answer is a date in the range or an error.
        #[test]
        fn any_text_gives_a_date_in_the_range_or_an_error(raw in "\\PC{0,16}") {
            if let Ok(d) = parse_date(&raw) {
                prop_assert!(YEARS.contains(&d.year()));
            }
            if let Ok(l) = parse_local_date_time(&raw) {
                prop_assert!(YEARS.contains(&l.date().year()));
            }
        }
    }
}
