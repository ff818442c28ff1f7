//! The filters of the secretariat's list of registrations, checked once for the list
//! and for its exports, so that an export holds exactly the rows the list shows.

use super::RegistrationQuery;
use crate::AppError;
use crate::input::{Errors, optional};
use plenary_domain::registration::RegistrationStatus;
use plenary_domain::search::search_key;
use plenary_domain::{FieldError, Problem};
use plenary_store::registration::ListFilter;

/// The list's filters, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Filters {
    /// The search folded as names are (see `search_key`).
    pub search: String,
    pub status: Option<RegistrationStatus>,
    pub category_id: Option<i64>,
}

impl Filters {
    /// Checks the typed filters; every wrong one is named.
    pub fn parse(query: &RegistrationQuery) -> Result<Filters, AppError> {
        let mut errors = Errors::default();
        let status = errors.take(optional(&query.status, |s| {
            RegistrationStatus::parse_field("status", s)
        }));
        let category_id = errors.take(optional(&query.category_id, |s| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| FieldError::new("category_id", Problem::Invalid("a category id")))
        }));
        errors.finish()?;
        Ok(Filters {
            search: search_key(&query.search),
            status: status.flatten(),
            category_id: category_id.flatten(),
        })
    }

    pub fn as_store(&self) -> ListFilter<'_> {
        ListFilter {
            search: &self.search,
            status: self.status,
            category_id: self.category_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrong_filter_is_named() {
        let query = RegistrationQuery {
            status: "lost".into(),
            category_id: "x".into(),
            ..Default::default()
        };
        let Err(AppError::Invalid(errors)) = Filters::parse(&query) else {
            panic!("invalid filters accepted");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["status", "category_id"]);
        let ok = Filters::parse(&RegistrationQuery {
            search: "  NÚÑEZ ".into(),
            status: "confirmed".into(),
            category_id: " 7 ".into(),
            page: 3,
        })
        .expect("valid");
        assert_eq!(
            ok,
            Filters {
                search: "nunez".into(),
                status: Some(RegistrationStatus::Confirmed),
                category_id: Some(7),
            }
        );
    }
}
