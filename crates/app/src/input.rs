//! Helpers for validating what people type: collect every field error at once.

use crate::AppError;
use plenary_domain::FieldError;

/// Collects field errors so that a form reports all of them at once.
#[derive(Default)]
pub(crate) struct Errors(pub(crate) Vec<FieldError>);

impl Errors {
    /// Keeps the value, or records the error and gives `None`.
    pub(crate) fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    /// Like `take`, for parsers that report several fields.
    pub(crate) fn take_all<T>(&mut self, result: Result<T, Vec<FieldError>>) -> Option<T> {
        result.map_err(|e| self.0.extend(e)).ok()
    }

    pub(crate) fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

/// A use-case step's refusal of its input as field errors (to report with the other
/// fields' problems); any other failure stays an error.
pub(crate) fn invalid_fields<T>(
    result: Result<T, AppError>,
) -> Result<Result<T, Vec<FieldError>>, AppError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(AppError::Invalid(errors)) => Ok(Err(errors)),
        Err(other) => Err(other),
    }
}

/// An empty field is `None`; anything else must parse.
pub(crate) fn optional<T>(
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, FieldError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

/// A whole number within `range`, or `default` when the field is empty.
pub(crate) fn number_or(
    field: &'static str,
    raw: &str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, FieldError> {
    optional(raw, |v| {
        plenary_domain::error::whole_number(field, v, range)
    })
    .map(|n| n.unwrap_or(default))
}

/// After `Errors::finish` succeeded every value is present; this is the impossible case.
pub(crate) fn missing() -> AppError {
    AppError::Internal("validated fields missing".into())
}
