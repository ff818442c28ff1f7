//! People, organizations and bodies: names, stakeholder groups, body kinds, membership
//! roles and terms.

use crate::error::{FieldError, Problem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Defines a closed list of values with a stable id, a label and parsing.
macro_rules! closed_list {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident => ($id:literal, $label:literal)),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $id),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            pub fn parse(raw: &str) -> Option<$name> {
                let raw = raw.trim();
                $name::ALL.iter().copied().find(|v| v.as_str() == raw)
            }

            /// Parses a required form or JSON value, naming `field` on error.
            pub fn parse_field(field: &'static str, raw: &str) -> Result<$name, FieldError> {
                if raw.trim().is_empty() {
                    return Err(FieldError::new(field, Problem::Required));
                }
                $name::parse(raw).ok_or(FieldError::new(field, Problem::Unknown($what)))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

pub(crate) use closed_list;

closed_list!(
    /// The five stakeholder groups used everywhere for balance.
    StakeholderGroup, "stakeholder group" {
        Government => ("government", "Government"),
        PrivateSector => ("private_sector", "Private sector"),
        CivilSociety => ("civil_society", "Civil society"),
        TechnicalCommunity => ("technical_community", "Technical community"),
        IntergovernmentalOrganization => ("intergovernmental_organization", "Intergovernmental organization"),
    }
);

closed_list!(
    /// The language a person wants pages and mail in: the six official languages of the
    /// United Nations. Pages are in English for now; the choice is kept for later.
    Language, "language" {
        English => ("en", "English"),
        Arabic => ("ar", "العربية (Arabic)"),
        Chinese => ("zh", "中文 (Chinese)"),
        French => ("fr", "Français (French)"),
        Russian => ("ru", "Русский (Russian)"),
        Spanish => ("es", "Español (Spanish)"),
    }
);

closed_list!(
    /// What kind of body: the bodies of a forum form a tree.
    BodyKind, "body kind" {
        AdvisoryGroup => ("advisory_group", "Advisory group"),
        Secretariat => ("secretariat", "Secretariat"),
        LeadershipPanel => ("leadership_panel", "Leadership panel"),
        WorkingGroup => ("working_group", "Working group"),
        BestPracticeForum => ("best_practice_forum", "Best practice forum"),
        PolicyNetwork => ("policy_network", "Policy network"),
        Subgroup => ("subgroup", "Subgroup"),
        DynamicCoalition => ("dynamic_coalition", "Dynamic coalition"),
        NationalRegionalInitiative => ("national_regional_initiative", "National or regional initiative"),
        YouthTrack => ("youth_track", "Youth track"),
        Other => ("other", "Other"),
    }
);

closed_list!(
    /// The role of a person in a body.
    MembershipRole, "membership role" {
        Chair => ("chair", "Chair"),
        CoChair => ("co_chair", "Co-chair"),
        CoFacilitator => ("co_facilitator", "Co-facilitator"),
        Member => ("member", "Member"),
        Liaison => ("liaison", "Liaison"),
        Staff => ("staff", "Staff"),
        Observer => ("observer", "Observer"),
    }
);

fn optional_text(field: &'static str, raw: &str, max: usize) -> Result<Option<String>, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max {
        return Err(FieldError::new(field, Problem::TooLong { max }));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            Problem::Invalid("control characters are not allowed"),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// A person's name, family and given names kept apart and exactly as written. A person
/// may have only one name (either part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    family: Option<String>,
    given: Option<String>,
}

impl PersonName {
    pub const MAX_LEN: usize = 200;

    pub fn parse(family: &str, given: &str) -> Result<PersonName, Vec<FieldError>> {
        let family = optional_text("family_name", family, Self::MAX_LEN);
        let given = optional_text("given_name", given, Self::MAX_LEN);
        match (family, given) {
            (Ok(None), Ok(None)) => Err(vec![FieldError::new("family_name", Problem::Required)]),
            (Ok(family), Ok(given)) => Ok(PersonName { family, given }),
            (f, g) => Err([f.err(), g.err()].into_iter().flatten().collect()),
        }
    }

    pub fn family(&self) -> Option<&str> {
        self.family.as_deref()
    }

    pub fn given(&self) -> Option<&str> {
        self.given.as_deref()
    }
}

impl fmt::Display for PersonName {
    /// Given name first, as people are addressed in English-language documents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.given, &self.family) {
            (Some(g), Some(fam)) => write!(f, "{g} {fam}"),
            (Some(one), None) | (None, Some(one)) => f.write_str(one),
            (None, None) => Ok(()),
        }
    }
}

/// Self-described gender: optional free text.
pub fn parse_gender(raw: &str) -> Result<Option<String>, FieldError> {
    optional_text("gender", raw, 100)
}

/// A required short text such as an organization's or a body's name.
pub fn parse_title(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    optional_text(field, raw, max)?.ok_or(FieldError::new(field, Problem::Required))
}

/// An optional long text such as a mandate (line breaks allowed).
pub fn parse_long_text(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.chars().count() > max {
        return Err(FieldError::new(field, Problem::TooLong { max }));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new(
            field,
            Problem::Invalid("control characters are not allowed"),
        ));
    }
    Ok(value.replace("\r\n", "\n"))
}

/// A date typed as YYYY-MM-DD, within the accepted years (see [`crate::dates`]).
pub fn parse_date(field: &'static str, raw: &str) -> Result<NaiveDate, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    crate::dates::parse_date(raw)
        .map_err(|e| FieldError::new(field, e.problem("write a date as YYYY-MM-DD")))
}

/// The term of a membership: from a day, until a day (inclusive) or open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl Term {
    /// A term whose end, when given, is not before its start.
    pub fn new(from: NaiveDate, to: Option<NaiveDate>) -> Result<Term, FieldError> {
        match to {
            Some(to) if to < from => Err(FieldError::new(
                "ends_on",
                Problem::Invalid("the end is before the start"),
            )),
            _ => Ok(Term { from, to }),
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> Option<NaiveDate> {
        self.to
    }

    /// Whether both terms share at least one day.
    pub fn overlaps(&self, other: &Term) -> bool {
        let ends_after = |t: &Term, day: NaiveDate| t.to.is_none_or(|to| to >= day);
        ends_after(self, other.from) && ends_after(other, self.from)
    }

    /// Whether the term includes `day`.
    pub fn includes(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }

    /// The same term ended on `day` (refused if that is before the start).
    pub fn ended_on(&self, day: NaiveDate) -> Result<Term, FieldError> {
        Term::new(self.from, Some(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn names_are_kept_exactly_and_one_part_is_enough() {
        let name = PersonName::parse(" Jónsdóttir ", "Guðrún").expect("valid");
        assert_eq!(
            (name.family(), name.given()),
            (Some("Jónsdóttir"), Some("Guðrún"))
        );
        assert_eq!(name.to_string(), "Guðrún Jónsdóttir");
        assert_eq!(
            PersonName::parse("Suharto", "")
                .expect("single name")
                .to_string(),
            "Suharto"
        );
        assert_eq!(
            PersonName::parse("", "Sukarno")
                .expect("single name")
                .to_string(),
            "Sukarno"
        );
        assert_eq!(
            PersonName::parse(" ", "").map_err(|e| e[0].field),
            Err("family_name")
        );
        let long = "x".repeat(201);
        assert_eq!(
            PersonName::parse("A", &long).map_err(|e| e[0].field),
            Err("given_name")
        );
    }

    #[test]
    fn closed_lists_round_trip() {
        for g in StakeholderGroup::ALL {
            assert_eq!(StakeholderGroup::parse(g.as_str()), Some(*g));
        }
        for k in BodyKind::ALL {
            assert_eq!(BodyKind::parse(k.as_str()), Some(*k));
        }
        for r in MembershipRole::ALL {
            assert_eq!(MembershipRole::parse(r.as_str()), Some(*r));
        }
        assert_eq!(
            MembershipRole::parse_field("role", "king").map_err(|e| e.field),
            Err("role")
        );
        assert_eq!(StakeholderGroup::ALL.len(), 5);
        assert_eq!(Language::ALL.len(), 6, "the six UN languages");
        assert_eq!(Language::parse("fr"), Some(Language::French));
        assert!(Language::parse_field("language", "de").is_err());
    }

    #[test]
    fn a_term_ends_on_or_after_its_start() {
        assert!(Term::new(day("2024-01-01"), Some(day("2023-12-31"))).is_err());
        assert!(Term::new(day("2024-01-01"), Some(day("2024-01-01"))).is_ok());
        let open = Term::new(day("2024-01-01"), None).expect("open");
        let before = Term::new(day("2023-01-01"), Some(day("2023-12-31"))).expect("term");
        let touching = Term::new(day("2023-01-01"), Some(day("2024-01-01"))).expect("term");
        assert!(!open.overlaps(&before));
        assert!(open.overlaps(&touching), "sharing one day is an overlap");
        assert!(open.includes(day("2030-05-05")));
        assert_eq!(
            parse_date("starts_on", "2024-02-30").map_err(|e| e.field),
            Err("starts_on")
        );
    }

    fn any_term() -> impl Strategy<Value = Term> {
        (0i64..2000, proptest::option::of(0i64..400)).prop_map(|(start, len)| {
            let from = day("2020-01-01") + chrono::Duration::days(start);
            Term::new(from, len.map(|l| from + chrono::Duration::days(l)))
                .expect("valid by construction")
        })
    }

    proptest! {
        #[test]
        fn overlap_is_symmetric_and_reflexive(a in any_term(), b in any_term()) {
            prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
            prop_assert!(a.overlaps(&a));
        }

        #[test]
        fn overlap_means_a_shared_day(a in any_term(), b in any_term()) {
            let shared = [a.from, b.from].into_iter().max().expect("two");
            prop_assert_eq!(a.overlaps(&b), a.includes(shared) && b.includes(shared));
        }
    }
}
