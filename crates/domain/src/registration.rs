//! Registration for an event: the form's typed questions, participation modes,
//! registration states and the rules that move between them.
//!
//! Seats are counted per category; a registration holds a seat while it is pending
//! moderation or confirmed, so that approving never overbooks. The counting itself
//! happens in the store, inside the write transaction.

use crate::error::{FieldError, Problem};
use crate::geo::Country;
use crate::people::closed_list;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

closed_list!(
    /// How a question is answered on the registration form.
    FieldKind, "question kind" {
        Text => ("text", "Short text"),
        LongText => ("long_text", "Long text"),
        Choice => ("choice", "One choice"),
        MultiChoice => ("multi_choice", "Several choices"),
        Number => ("number", "Number"),
        Date => ("date", "Date"),
        Country => ("country", "Country"),
        Checkbox => ("checkbox", "Checkbox (consent)"),
    }
);

closed_list!(
    /// Whether a participant comes to the venue or follows online.
    ParticipationMode, "participation mode" {
        Onsite => ("onsite", "Onsite"),
        Online => ("online", "Online"),
    }
);

closed_list!(
    /// Where a registration stands.
    RegistrationStatus, "registration status" {
        Pending => ("pending", "Awaiting approval"),
        Confirmed => ("confirmed", "Confirmed"),
        Waitlisted => ("waitlisted", "On the waiting list"),
        Rejected => ("rejected", "Rejected"),
        Cancelled => ("cancelled", "Cancelled"),
    }
);

impl RegistrationStatus {
    /// Whether the registration occupies one of its category's seats.
    pub fn holds_seat(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Pending | RegistrationStatus::Confirmed
        )
    }

    /// The status of a registration that has just been given a seat.
    pub fn seated(needs_approval: bool) -> RegistrationStatus {
        if needs_approval {
            RegistrationStatus::Pending
        } else {
            RegistrationStatus::Confirmed
        }
    }
}

/// A question of a registration form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Stable key of the answer (`organization`, `dietary_needs`).
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// The choices of a choice question, in order.
    pub options: Vec<String>,
}

/// What is wrong with one answer: the question's label and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    pub key: String,
    pub label: String,
    pub problem: Problem,
}

impl AnswerError {
    /// As a field error of the form's `answers` (dynamic questions have no static name).
    pub fn field_error(&self) -> FieldError {
        FieldError::new(
            "answers",
            Problem::Explained(format!("{}: {}", self.label, self.problem)),
        )
    }
}

/// The longest answer kept for a text question.
pub const MAX_TEXT: usize = 200;
pub const MAX_LONG_TEXT: usize = 4000;

/// Checks submitted answers against the questions and returns them normalised: one
/// entry per answered question (choices as given, numbers and dates canonical,
/// countries as ISO codes, checkboxes as `"yes"`). Unknown keys are ignored.
pub fn check_answers(
    questions: &[Question],
    submitted: &BTreeMap<String, Vec<String>>,
) -> Result<BTreeMap<String, Vec<String>>, Vec<AnswerError>> {
    let mut answers = BTreeMap::new();
    let mut errors = Vec::new();
    for q in questions {
        let given: Vec<&str> = submitted
            .get(&q.key)
            .map(|v| {
                v.iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let fail = |problem| AnswerError {
            key: q.key.clone(),
            label: q.label.clone(),
            problem,
        };
        if given.is_empty() {
            if q.required {
                errors.push(fail(Problem::Required));
            }
            continue;
        }
        match answer(q, &given) {
            Ok(values) => {
                answers.insert(q.key.clone(), values);
            }
            Err(problem) => errors.push(fail(problem)),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

fn answer(q: &Question, given: &[&str]) -> Result<Vec<String>, Problem> {
    let one = || -> Result<&str, Problem> {
        match given {
            [value] => Ok(value),
            _ => Err(Problem::Invalid("only one answer is allowed")),
        }
    };
    let within = |value: &str, max: usize| -> Result<Vec<String>, Problem> {
        if value.chars().count() > max {
            Err(Problem::TooLong { max })
        } else {
            Ok(vec![value.to_owned()])
        }
    };
    match q.kind {
        FieldKind::Text => within(one()?, MAX_TEXT),
        FieldKind::LongText => within(one()?, MAX_LONG_TEXT),
        FieldKind::Choice => {
            let value = one()?;
            if q.options.iter().any(|o| o == value) {
                Ok(vec![value.to_owned()])
            } else {
                Err(Problem::Invalid("not one of the choices"))
            }
        }
        FieldKind::MultiChoice => {
            // Kept in the order of the options, each once.
            if given.iter().any(|g| !q.options.iter().any(|o| o == g)) {
                return Err(Problem::Invalid("not one of the choices"));
            }
            Ok(q.options
                .iter()
                .filter(|o| given.contains(&o.as_str()))
                .cloned()
                .collect())
        }
        FieldKind::Number => {
            let value = one()?;
            let n: f64 = value
                .parse()
                .map_err(|_| Problem::Invalid("not a number"))?;
            if !n.is_finite() {
                return Err(Problem::Invalid("not a number"));
            }
            Ok(vec![value.to_owned()])
        }
        FieldKind::Date => {
            let value = one()?;
            crate::dates::parse_date(value)
                .map(|d| vec![d.to_string()])
                .map_err(|e| e.problem("not a date (YYYY-MM-DD)"))
        }
        FieldKind::Country => {
            let value = one()?;
            Country::parse("country", value)
                .map(|c| vec![c.code().to_owned()])
                .map_err(|e| e.problem)
        }
        FieldKind::Checkbox => match one()? {
            "yes" | "on" | "true" | "1" => Ok(vec!["yes".to_owned()]),
            _ => Err(Problem::Invalid("tick the box or leave it")),
        },
    }
}

/// A question key: lower-case letters, digits and underscores, starting with a letter.
pub fn parse_key(raw: &str) -> Result<String, FieldError> {
    let key = raw.trim();
    if key.is_empty() {
        return Err(FieldError::new("key", Problem::Required));
    }
    let valid = key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(key.to_owned())
    } else {
        Err(FieldError::new(
            "key",
            Problem::Invalid(
                "lower-case letters, digits and _ (at most 40), starting with a letter",
            ),
        ))
    }
}

/// A badge code: 10 characters from an alphabet without look-alikes, so that staff can
/// also type it.
pub const BADGE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Normalises a typed or scanned badge code (case, spaces, dashes).
pub fn normalise_badge_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(key: &str, kind: FieldKind, required: bool, options: &[&str]) -> Question {
        Question {
            key: key.into(),
            label: key.to_uppercase(),
            kind,
            required,
            options: options.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn submit(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            map.entry(k.to_string()).or_default().push(v.to_string());
        }
        map
    }

    #[test]
    fn answers_are_checked_and_normalised_by_kind() {
        let questions = [
            q("org", FieldKind::Text, true, &[]),
            q("diet", FieldKind::Choice, false, &["none", "vegetarian"]),
            q("tracks", FieldKind::MultiChoice, false, &["a", "b", "c"]),
            q("age", FieldKind::Number, false, &[]),
            q("arrival", FieldKind::Date, false, &[]),
            q("from", FieldKind::Country, true, &[]),
            q("consent", FieldKind::Checkbox, true, &[]),
        ];
        let ok = check_answers(
            &questions,
            &submit(&[
                ("org", " ISOC "),
                ("tracks", "c"),
                ("tracks", "a"),
                ("age", "42"),
                ("arrival", "2026-06-22"),
                ("from", "ke"),
                ("consent", "on"),
                ("unknown", "ignored"),
            ]),
        )
        .expect("valid");
        assert_eq!(ok["org"], ["ISOC"]);
        assert_eq!(ok["tracks"], ["a", "c"], "in the options' order");
        assert_eq!(ok["from"], ["KE"]);
        assert_eq!(ok["consent"], ["yes"]);
        assert!(!ok.contains_key("unknown") && !ok.contains_key("diet"));

        let errors = check_answers(
            &questions,
            &submit(&[("diet", "vegan"), ("age", "many"), ("from", "XX")]),
        )
        .expect_err("invalid");
        let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["org", "diet", "age", "from", "consent"]);
        assert_eq!(
            errors[0].field_error().to_string(),
            "answers is not valid: ORG: is required"
        );
    }

    #[test]
    fn only_seated_states_hold_a_seat() {
        let seated: Vec<_> = RegistrationStatus::ALL
            .iter()
            .filter(|s| s.holds_seat())
            .collect();
        assert_eq!(
            seated,
            [&RegistrationStatus::Pending, &RegistrationStatus::Confirmed]
        );
        assert_eq!(
            RegistrationStatus::seated(true),
            RegistrationStatus::Pending
        );
    }

    #[test]
    fn question_keys() {
        assert_eq!(parse_key(" dietary_needs ").as_deref(), Ok("dietary_needs"));
        assert!(parse_key("Dietary").is_err());
        assert!(parse_key("1st").is_err());
        assert_eq!(normalise_badge_code(" ab-cd 23 "), "ABCD23");
    }

    proptest! {
        #[test]
        fn checking_never_panics_and_valid_answers_check_again(
            values in prop::collection::vec("\\PC{0,30}", 0..6)
        ) {
            let questions = [
                q("t", FieldKind::Text, false, &[]),
                q("n", FieldKind::Number, false, &[]),
                q("c", FieldKind::Country, false, &[]),
            ];
            let mut map = BTreeMap::new();
            for (i, v) in values.iter().enumerate() {
                map.insert(["t", "n", "c"][i % 3].to_string(), vec![v.clone()]);
            }
            if let Ok(answers) = check_answers(&questions, &map) {
                // Normalised answers are a fixed point.
                prop_assert_eq!(check_answers(&questions, &answers), Ok(answers.clone()));
            }
        }
    }
}
