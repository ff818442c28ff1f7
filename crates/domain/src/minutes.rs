//! Minutes and action items: states, transitions, owners and the rules for their input.

use crate::error::{FieldError, Problem};
use crate::people::closed_list;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

closed_list!(
    /// Where the minutes of a meeting stand.
    MinutesState, "minutes state" {
        Draft => ("draft", "Draft"),
        Circulated => ("circulated", "Circulated"),
        Approved => ("approved", "Approved"),
    }
);

impl MinutesState {
    /// Draft → circulated → approved; circulated minutes can go back to draft, and
    /// approved minutes are changed only by opening a new revision (back to draft).
    pub fn can_become(self, next: MinutesState) -> bool {
        use MinutesState::{Approved, Circulated, Draft};
        matches!(
            (self, next),
            (Draft, Circulated) | (Circulated, Draft) | (Circulated, Approved) | (Approved, Draft)
        )
    }

    /// Whether notes may be edited.
    pub fn editable(self) -> bool {
        self != MinutesState::Approved
    }
}

closed_list!(
    /// Where an action item stands.
    ActionStatus, "action status" {
        Open => ("open", "Open"),
        Done => ("done", "Done"),
        Dropped => ("dropped", "Dropped"),
    }
);

impl ActionStatus {
    /// An open action is done or dropped; a closed one can only be reopened.
    pub fn can_become(self, next: ActionStatus) -> bool {
        use ActionStatus::{Done, Dropped, Open};
        matches!(
            (self, next),
            (Open, Done) | (Open, Dropped) | (Done, Open) | (Dropped, Open)
        )
    }
}

/// Who owns an action item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Owner {
    Person(i64),
    Body(i64),
    Secretariat,
    /// Someone the directory does not list: the action keeps the owner as it was
    /// written (`owner_as_written`), shown as such.
    Unlisted,
}

impl Owner {
    pub fn kind(self) -> &'static str {
        match self {
            Owner::Person(_) => "person",
            Owner::Body(_) => "body",
            Owner::Secretariat => "secretariat",
            Owner::Unlisted => "unlisted",
        }
    }

    pub fn id(self) -> Option<i64> {
        match self {
            Owner::Person(id) | Owner::Body(id) => Some(id),
            Owner::Secretariat | Owner::Unlisted => None,
        }
    }

    pub fn from_parts(kind: &str, id: Option<i64>) -> Option<Owner> {
        match (kind, id) {
            ("person", Some(id)) => Some(Owner::Person(id)),
            ("body", Some(id)) => Some(Owner::Body(id)),
            ("secretariat", None) => Some(Owner::Secretariat),
            ("unlisted", None) => Some(Owner::Unlisted),
            _ => None,
        }
    }

    /// "secretariat", "unlisted", "person:12" or "body:3": the strict form of filters and
    /// of the API (forms and the API also take names: see the app's owner resolution).
    pub fn parse(field: &'static str, raw: &str) -> Result<Owner, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new(field, Problem::Required));
        }
        let invalid = || {
            FieldError::new(
                field,
                Problem::Invalid("write secretariat, unlisted, person:ID or body:ID"),
            )
        };
        match raw {
            "secretariat" => return Ok(Owner::Secretariat),
            "unlisted" => return Ok(Owner::Unlisted),
            _ => {}
        }
        let (kind, id) = raw.split_once(':').ok_or_else(invalid)?;
        let id: i64 = id.trim().parse().map_err(|_| invalid())?;
        Owner::from_parts(kind.trim(), Some(id))
            .filter(|_| id > 0)
            .ok_or_else(invalid)
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Secretariat => f.write_str("secretariat"),
            Owner::Unlisted => f.write_str("unlisted"),
            Owner::Person(id) => write!(f, "person:{id}"),
            Owner::Body(id) => write!(f, "body:{id}"),
        }
    }
}

/// The text of an action or a note: required, at most `max` characters.
pub fn parse_text(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
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

/// A due date may not lie before the meeting the action comes from.
pub fn check_due(due: NaiveDate, meeting_day: NaiveDate) -> Result<NaiveDate, FieldError> {
    if due < meeting_day {
        return Err(FieldError::new(
            "due_on",
            Problem::Invalid("the due date is before the meeting"),
        ));
    }
    Ok(due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn minutes_move_forward_and_approved_ones_only_reopen() {
        use MinutesState::*;
        assert!(Draft.can_become(Circulated) && Circulated.can_become(Approved));
        assert!(!Draft.can_become(Approved), "approval follows circulation");
        assert!(Approved.can_become(Draft) && !Approved.can_become(Circulated));
        assert!(!Approved.editable() && Draft.editable() && Circulated.editable());
    }

    #[test]
    fn actions_close_once_and_reopen() {
        use ActionStatus::*;
        assert!(Open.can_become(Done) && Open.can_become(Dropped));
        assert!(!Done.can_become(Dropped) && !Done.can_become(Done));
        assert!(Done.can_become(Open) && Dropped.can_become(Open));
    }

    #[test]
    fn owners_are_typed_as_kind_and_id() {
        assert_eq!(Owner::parse("owner", "secretariat"), Ok(Owner::Secretariat));
        assert_eq!(Owner::parse("owner", " person:12 "), Ok(Owner::Person(12)));
        assert_eq!(Owner::parse("owner", "body:3"), Ok(Owner::Body(3)));
        for bad in ["", "person", "person:x", "team:1", "body:0"] {
            assert_eq!(
                Owner::parse("owner", bad).map_err(|e| e.field),
                Err("owner"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn due_dates_are_not_before_the_meeting() {
        let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert!(check_due(day("2024-08-30"), day("2024-08-20")).is_ok());
        assert_eq!(
            check_due(day("2024-08-19"), day("2024-08-20")).map_err(|e| e.field),
            Err("due_on")
        );
        assert_eq!(
            parse_text("text", "  ", 10).map_err(|e| e.field),
            Err("text")
        );
    }

    fn any_status() -> impl Strategy<Value = ActionStatus> {
        prop_oneof![
            Just(ActionStatus::Open),
            Just(ActionStatus::Done),
            Just(ActionStatus::Dropped)
        ]
    }

    proptest! {
        /// From any status, every allowed move can be undone in at most two moves.
        #[test]
        fn action_moves_can_be_undone(from in any_status(), to in any_status()) {
            if from.can_become(to) {
                let back = to.can_become(from)
                    || ActionStatus::ALL.iter().any(|mid| to.can_become(*mid) && mid.can_become(from));
                prop_assert!(back);
            }
        }

        #[test]
        fn owners_round_trip_through_text(kind in 0usize..3, id in 1i64..10_000) {
            let owner = match kind { 0 => Owner::Secretariat, 1 => Owner::Person(id), _ => Owner::Body(id) };
            prop_assert_eq!(Owner::parse("owner", &owner.to_string()), Ok(owner));
        }
    }
}
