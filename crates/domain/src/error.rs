//! Validation errors that name the field and the problem.

use std::fmt;

/// What is wrong with a value. Rendered for people by `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    Invalid(&'static str),
    /// Invalid, with an explanation that quotes the input ("the organiser line names
    /// \"X\", which is not a body").
    Explained(String),
    Unknown(&'static str),
    Taken,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Required => f.write_str("is required"),
            Problem::TooShort { min } => write!(f, "must be at least {min} characters"),
            Problem::TooLong { max } => write!(f, "must be at most {max} characters"),
            Problem::Invalid(why) => write!(f, "is not valid: {why}"),
            Problem::Explained(why) => write!(f, "is not valid: {why}"),
            Problem::Unknown(what) => write!(f, "is not a known {what}"),
            Problem::Taken => f.write_str("is already in use"),
        }
    }
}

/// A problem with one named input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self { field, problem }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.problem)
    }
}

impl std::error::Error for FieldError {}

/// Collects the error of one field and goes on: every field is checked even when an
/// earlier one failed, so that a form marks them all at once.
pub(crate) fn take<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// A required whole number within `range`; the error names `field` and the range.
pub fn whole_number(
    field: &'static str,
    raw: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    raw.parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            FieldError::new(
                field,
                Problem::Explained(format!(
                    "a whole number from {} to {}",
                    range.start(),
                    range.end()
                )),
            )
        })
}
