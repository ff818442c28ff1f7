//! Visa invitation letters: the passport details a registrant gives so that the
//! secretariat can write to the consulate where they apply, and the rules those details
//! must follow.
//!
//! Passport details are among the most sensitive data Plenary holds: only the
//! secretariat sees them, they never appear in logs (the `Debug` output of
//! [`Passport`] hides them) nor in exports other than the visa export, and they are
//! purged a retention period after the event ends.

use crate::error::{FieldError, Problem, take};
use crate::geo::Country;
use crate::people::closed_list;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

closed_list!(
    /// Where a request for a visa invitation letter stands.
    VisaStatus, "visa request status" {
        Requested => ("requested", "Requested"),
        Issued => ("issued", "Letter issued"),
        Refused => ("refused", "Refused"),
    }
);

/// The longest name or place kept.
pub const MAX_TEXT: usize = 120;
/// Passport numbers are 6 to 9 characters almost everywhere; some run longer.
pub const PASSPORT_NUMBER_LENGTH: std::ops::RangeInclusive<usize> = 5..=20;
/// How many days before the event's start a letter may cover the arrival, and after
/// its end the departure.
pub const STAY_MARGIN_DAYS: i64 = 30;
/// The default number of days after an event's end until passport details are purged.
pub const DEFAULT_RETENTION_DAYS: i64 = 30;
/// The most days of retention an event may set (a year).
pub const MAX_RETENTION_DAYS: i64 = 366;

/// The passport details as typed on the form (or sent as JSON).
#[derive(Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PassportInput {
    pub family_name: String,
    pub given_names: String,
    pub nationality: String,
    pub date_of_birth: String,
    pub passport_number: String,
    pub issued_on: String,
    pub expires_on: String,
    pub issued_by: String,
    pub consulate: String,
    pub arrival_on: String,
    pub departure_on: String,
}

impl fmt::Debug for PassportInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PassportInput { .. }")
    }
}

/// Checked passport details. Serialised as stored (dates ISO 8601, nationality as its
/// alpha-2 code).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passport {
    /// As printed in the passport.
    pub family_name: String,
    pub given_names: String,
    pub nationality: String,
    pub date_of_birth: NaiveDate,
    /// Upper case, without spaces.
    pub passport_number: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// The issuing authority or place, as printed.
    pub issued_by: String,
    /// The embassy or consulate where the visa is applied for (city and country).
    pub consulate: String,
    pub arrival_on: NaiveDate,
    pub departure_on: NaiveDate,
}

impl fmt::Debug for Passport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passport { .. }")
    }
}

impl Passport {
    /// The details as the form shows them again for a change.
    pub fn to_input(&self) -> PassportInput {
        PassportInput {
            family_name: self.family_name.clone(),
            given_names: self.given_names.clone(),
            nationality: self.nationality.clone(),
            date_of_birth: self.date_of_birth.to_string(),
            passport_number: self.passport_number.clone(),
            issued_on: self.issued_on.to_string(),
            expires_on: self.expires_on.to_string(),
            issued_by: self.issued_by.clone(),
            consulate: self.consulate.clone(),
            arrival_on: self.arrival_on.to_string(),
            departure_on: self.departure_on.to_string(),
        }
    }

    /// The nationality's English name (the code if it is somehow unknown).
    pub fn nationality_name(&self) -> String {
        Country::parse("nationality", &self.nationality)
            .map(|c| c.name().to_owned())
            .unwrap_or_else(|_| self.nationality.clone())
    }
}

/// The dates a request is checked against.
#[derive(Debug, Clone, Copy)]
pub struct VisaContext {
    /// The first and last local day of the event.
    pub event_starts_on: NaiveDate,
    pub event_ends_on: NaiveDate,
    /// Today, where the event is.
    pub today: NaiveDate,
}

fn text(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        Err(FieldError::new(field, Problem::Required))
    } else if value.chars().count() > MAX_TEXT {
        Err(FieldError::new(field, Problem::TooLong { max: MAX_TEXT }))
    } else {
        Ok(value)
    }
}

fn date(field: &'static str, raw: &str) -> Result<NaiveDate, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    crate::dates::parse_date(raw)
        .map_err(|e| FieldError::new(field, e.problem("a date (YYYY-MM-DD)")))
}

/// Upper case, spaces and dashes dropped; letters A–Z and digits only.
fn passport_number(raw: &str) -> Result<String, FieldError> {
    const FIELD: &str = "passport_number";
    let value: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if value.is_empty() {
        return Err(FieldError::new(FIELD, Problem::Required));
    }
    if !value.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(FieldError::new(
            FIELD,
            Problem::Invalid("letters A–Z and digits only, as printed in the passport"),
        ));
    }
    let (min, max) = (
        *PASSPORT_NUMBER_LENGTH.start(),
        *PASSPORT_NUMBER_LENGTH.end(),
    );
    match value.len() {
        n if n < min => Err(FieldError::new(FIELD, Problem::TooShort { min })),
        n if n > max => Err(FieldError::new(FIELD, Problem::TooLong { max })),
        _ => Ok(value),
    }
}

impl PassportInput {
    /// Checks the details against each other and the event's dates.
    pub fn check(&self, ctx: &VisaContext) -> Result<Passport, Vec<FieldError>> {
        let mut errors = Vec::new();
        let family_name = take(&mut errors, text("family_name", &self.family_name));
        let given_names = take(&mut errors, text("given_names", &self.given_names));
        let nationality = take(
            &mut errors,
            Country::parse("nationality", &self.nationality).map(|c| c.code().to_owned()),
        );
        let date_of_birth = take(&mut errors, date("date_of_birth", &self.date_of_birth));
        let number = take(&mut errors, passport_number(&self.passport_number));
        let issued_on = take(&mut errors, date("issued_on", &self.issued_on));
        let expires_on = take(&mut errors, date("expires_on", &self.expires_on));
        let issued_by = take(&mut errors, text("issued_by", &self.issued_by));
        let consulate = take(&mut errors, text("consulate", &self.consulate));
        let arrival_on = take(&mut errors, date("arrival_on", &self.arrival_on));
        let departure_on = take(&mut errors, date("departure_on", &self.departure_on));
        let mut fail = |field, why| errors.push(FieldError::new(field, Problem::Invalid(why)));
        let mut birth_ok = false;
        if let Some(born) = date_of_birth {
            if born >= ctx.today {
                fail("date_of_birth", "must be in the past");
            } else if ctx.today.years_since(born).is_some_and(|age| age > 120) {
                fail("date_of_birth", "more than 120 years ago");
            } else {
                birth_ok = true;
            }
        }
        if let Some(issued) = issued_on {
            if issued > ctx.today {
                fail("issued_on", "is in the future");
            } else if birth_ok && date_of_birth.is_some_and(|born| issued < born) {
                fail("issued_on", "is before the date of birth");
            }
        }
        let mut expiry_ok = false;
        if let Some(expires) = expires_on {
            if issued_on.is_some_and(|issued| expires <= issued) {
                fail("expires_on", "must be after the date of issue");
            } else if expires < ctx.event_ends_on {
                fail(
                    "expires_on",
                    "the passport expires before the event ends: renew it first",
                );
            } else {
                expiry_ok = true;
            }
        }
        if let (Some(arrival), Some(departure)) = (arrival_on, departure_on) {
            let margin = chrono::Duration::days(STAY_MARGIN_DAYS);
            if departure < arrival {
                fail("departure_on", "is before the arrival");
            } else if arrival > ctx.event_ends_on || departure < ctx.event_starts_on {
                fail("arrival_on", "the stay does not cover any day of the event");
            } else if arrival < ctx.event_starts_on - margin {
                fail("arrival_on", "more than 30 days before the event starts");
            } else if departure > ctx.event_ends_on + margin {
                fail("departure_on", "more than 30 days after the event ends");
            } else if expiry_ok && expires_on.is_some_and(|expires| expires < departure) {
                fail("expires_on", "the passport expires before the departure");
            }
        }
        match (
            family_name,
            given_names,
            nationality,
            date_of_birth,
            number,
            issued_on,
            expires_on,
            issued_by,
            consulate,
            arrival_on,
            departure_on,
        ) {
            (
                Some(family_name),
                Some(given_names),
                Some(nationality),
                Some(date_of_birth),
                Some(passport_number),
                Some(issued_on),
                Some(expires_on),
                Some(issued_by),
                Some(consulate),
                Some(arrival_on),
                Some(departure_on),
            ) if errors.is_empty() => Ok(Passport {
                family_name,
                given_names,
                nationality,
                date_of_birth,
                passport_number,
                issued_on,
                expires_on,
                issued_by,
                consulate,
                arrival_on,
                departure_on,
            }),
            _ => Err(errors),
        }
    }
}

/// Reads a retention period in days (1 to a year).
pub fn parse_retention_days(field: &'static str, raw: &str) -> Result<i64, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(DEFAULT_RETENTION_DAYS);
    }
    match raw.parse::<i64>() {
        Ok(days) if (1..=MAX_RETENTION_DAYS).contains(&days) => Ok(days),
        _ => Err(FieldError::new(
            field,
            Problem::Invalid("a number of days from 1 to 366"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn ctx() -> VisaContext {
        VisaContext {
            event_starts_on: day("2027-06-22"),
            event_ends_on: day("2027-06-26"),
            today: day("2027-03-01"),
        }
    }

    fn valid() -> PassportInput {
        PassportInput {
            family_name: " Okafor ".into(),
            given_names: "Chidi  Amaka".into(),
            nationality: "ng".into(),
            date_of_birth: "1988-04-12".into(),
            passport_number: "a12 345-678".into(),
            issued_on: "2022-01-10".into(),
            expires_on: "2032-01-09".into(),
            issued_by: "Nigeria Immigration Service, Abuja".into(),
            consulate: "Kenya High Commission, Abuja".into(),
            arrival_on: "2027-06-20".into(),
            departure_on: "2027-06-27".into(),
        }
    }

    fn fields(input: &PassportInput) -> Vec<&'static str> {
        input
            .check(&ctx())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn valid_details_come_out_normalised() {
        let p = valid().check(&ctx()).expect("valid");
        assert_eq!(p.family_name, "Okafor");
        assert_eq!(p.given_names, "Chidi Amaka");
        assert_eq!(p.nationality, "NG");
        assert_eq!(p.passport_number, "A12345678");
        assert_eq!(p.nationality_name(), "Nigeria");
        assert_eq!(p.to_input().check(&ctx()).expect("again"), p);
    }

    #[test]
    fn every_empty_field_is_named_at_once() {
        let all = fields(&PassportInput::default());
        assert_eq!(
            all,
            [
                "family_name",
                "given_names",
                "nationality",
                "date_of_birth",
                "passport_number",
                "issued_on",
                "expires_on",
                "issued_by",
                "consulate",
                "arrival_on",
                "departure_on"
            ]
        );
    }

    #[test]
    fn dates_must_fit_together_and_the_event() {
        let with = |f: fn(&mut PassportInput)| {
            let mut i = valid();
            f(&mut i);
            fields(&i)
        };
        assert_eq!(
            with(|i| i.date_of_birth = "2027-03-02".into()),
            ["date_of_birth"]
        );
        assert_eq!(
            with(|i| i.date_of_birth = "1900-01-01".into()),
            ["date_of_birth"]
        );
        assert_eq!(with(|i| i.issued_on = "2027-03-02".into()), ["issued_on"]);
        assert_eq!(with(|i| i.issued_on = "1980-01-01".into()), ["issued_on"]);
        assert_eq!(with(|i| i.expires_on = "2021-01-01".into()), ["expires_on"]);
        assert_eq!(with(|i| i.expires_on = "2027-06-25".into()), ["expires_on"]);
        assert_eq!(with(|i| i.expires_on = "2027-06-26".into()), ["expires_on"]);
        assert_eq!(
            with(|i| i.departure_on = "2027-06-19".into()),
            ["departure_on"]
        );
        assert_eq!(with(|i| i.arrival_on = "2027-06-27".into()), ["arrival_on"]);
        assert_eq!(with(|i| i.arrival_on = "2027-05-01".into()), ["arrival_on"]);
        assert_eq!(
            with(|i| i.departure_on = "2027-08-01".into()),
            ["departure_on"]
        );
        assert_eq!(
            with(|i| i.date_of_birth = "12/04/1988".into()),
            ["date_of_birth"]
        );
        assert_eq!(with(|i| i.nationality = "XX".into()), ["nationality"]);
    }

    #[test]
    fn passport_numbers_are_letters_and_digits_of_plausible_length() {
        assert_eq!(passport_number("ab 12-34").expect("ok"), "AB1234");
        for bad in ["", "1234", "A1234567890123456789X", "AB12#45", "ÄB12345"] {
            assert!(passport_number(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_details() {
        let p = valid().check(&ctx()).expect("valid");
        for shown in [format!("{p:?}"), format!("{:?}", valid())] {
            assert!(
                !shown.contains("A12345678") && !shown.contains("a12"),
                "{shown}"
            );
            assert!(!shown.contains("Okafor"), "{shown}");
        }
    }

    #[test]
    fn retention_is_a_bounded_number_of_days() {
        assert_eq!(parse_retention_days("r", "").expect("default"), 30);
        assert_eq!(parse_retention_days("r", " 90 ").expect("90"), 90);
        for bad in ["0", "-3", "367", "ten"] {
            assert!(parse_retention_days("r", bad).is_err(), "{bad}");
        }
    }
}
