//! Action owners by name: what a person types (or picks from the list) becomes the
//! secretariat, a body, a person of the directory, or — when it names none of them —
//! an owner kept exactly as written and marked as not in the directory.

use crate::AppError;
use plenary_domain::minutes::Owner;
use plenary_domain::search::search_key;
use plenary_domain::{FieldError, Problem};
use plenary_store::Tx;
use plenary_store::directory::{self as dir, Body, Person};
use plenary_store::minutes::Action;

/// The longest owner kept as written.
pub const MAX_WRITTEN_OWNER: usize = 200;

/// What an owner field resolved to: the owner, and the text to keep as written (always
/// for an unlisted owner; for an imported one, what the document said).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub owner: Owner,
    pub as_written: Option<String>,
}

impl Resolved {
    fn listed(owner: Owner) -> Resolved {
        Resolved {
            owner,
            as_written: None,
        }
    }
}

/// A person's name as shown and as offered in pickers: "Given Family".
pub fn person_name(p: &Person) -> String {
    [p.given_name.as_deref(), p.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A person as offered in an owner picker: the name, with the organization in brackets
/// when the directory has one (it tells apart two people of the same name).
pub fn person_choice(p: &Person) -> String {
    match p.organization.as_deref().filter(|o| !o.is_empty()) {
        Some(org) => format!("{} ({org})", person_name(p)),
        None => person_name(p),
    }
}

/// Whether `text` names the secretariat ("Secretariat", "the IGF Secretariat").
fn names_secretariat(key: &str) -> bool {
    key.split(|c: char| !c.is_alphanumeric())
        .any(|word| word == "secretariat")
}

/// The owner named by `raw` (a form's or the API's owner field).
///
/// Accepted, in this order: the strict forms `secretariat`, `person:ID`, `body:ID`
/// (which must exist); a text naming the secretariat; a body's name or short name; a
/// person's name ("Given Family" or "Family Given", optionally followed by their
/// organization in brackets, as the picker offers it) — case and accents aside. A name
/// shared by several people is refused with what tells them apart; anything else is an
/// unlisted owner, kept as written.
pub fn resolve(tx: &mut Tx<'_>, field: &'static str, raw: &str) -> Result<Resolved, AppError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(AppError::field(field, Problem::Required));
    }
    if text.chars().count() > MAX_WRITTEN_OWNER {
        return Err(AppError::field(
            field,
            Problem::TooLong {
                max: MAX_WRITTEN_OWNER,
            },
        ));
    }
    if let Some(owner) = strict(text) {
        return if exists(tx, owner)? {
            Ok(Resolved::listed(owner))
        } else {
            Err(AppError::field(field, Problem::Unknown("person or body")))
        };
    }
    let key = search_key(text);
    if names_secretariat(&key) {
        return Ok(Resolved::listed(Owner::Secretariat));
    }
    if let Some(body) = body_named(&dir::bodies(tx)?, &key) {
        return Ok(Resolved::listed(Owner::Body(body.id)));
    }
    match person_named(tx, field, text)? {
        Some(person) => Ok(Resolved::listed(Owner::Person(person.id))),
        None => Ok(Resolved {
            owner: Owner::Unlisted,
            as_written: Some(text.to_owned()),
        }),
    }
}

/// `secretariat`, `person:ID` or `body:ID` exactly; `None` for anything else (a name).
fn strict(text: &str) -> Option<Owner> {
    match Owner::parse("owner", text).ok()? {
        Owner::Unlisted => None,
        owner => Some(owner),
    }
}

pub(crate) fn exists(tx: &mut Tx<'_>, owner: Owner) -> Result<bool, AppError> {
    Ok(match owner {
        Owner::Secretariat | Owner::Unlisted => true,
        Owner::Person(id) => dir::person(tx, id)?.is_some(),
        Owner::Body(id) => dir::body(tx, id)?.is_some(),
    })
}

/// The usual abbreviations of the kinds of body a forum has, as documents write them
/// ("WG on Workshop Processes" for the Working Group on Workshop Processes).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("multistakeholder advisory group", "mag"),
    ("working group", "wg"),
    ("best practice forum", "bpf"),
    ("policy network", "pn"),
    ("dynamic coalition", "dc"),
    ("intersessional", "is"),
];

/// The search keys a body goes by: its short name, its name, and its name with the
/// usual abbreviations.
pub fn body_keys(body: &Body) -> Vec<String> {
    let name = search_key(&body.name);
    let mut keys = vec![search_key(&body.short_name), name.clone()];
    let mut abbreviated = name;
    for (long, short) in ABBREVIATIONS {
        abbreviated = abbreviated.replace(long, short);
    }
    if !keys.contains(&abbreviated) {
        keys.push(abbreviated);
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// The body whose name, short name or abbreviated name has this search key.
pub fn body_named<'a>(bodies: &'a [Body], key: &str) -> Option<&'a Body> {
    bodies
        .iter()
        .find(|b| body_keys(b).iter().any(|k| k == key))
}

/// The one person named `text` ("Ana Núñez" or "Ana Núñez (Internet Society)").
pub(crate) fn person_named(
    tx: &mut Tx<'_>,
    field: &'static str,
    text: &str,
) -> Result<Option<Person>, AppError> {
    let (name, organization) = split_organization(text);
    let key = search_key(name);
    let mut found: Vec<Person> = dir::persons_with_name_key(tx, &key)?;
    if let Some(org) = organization {
        let org = search_key(org);
        found.retain(|p| p.organization.as_deref().map(search_key) == Some(org.clone()));
    }
    match found.len() {
        0 | 1 => Ok(found.pop()),
        _ => Err(AppError::Invalid(vec![FieldError::new(
            field,
            Problem::Explained(format!(
                "names {} people of the directory ({}); choose one from the list",
                found.len(),
                found
                    .iter()
                    .map(person_choice)
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        )])),
    }
}

/// "Ana Núñez (Internet Society)" → ("Ana Núñez", Some("Internet Society")).
fn split_organization(text: &str) -> (&str, Option<&str>) {
    text.strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(" ("))
        .map_or((text, None), |(name, org)| (name.trim(), Some(org.trim())))
}

/// An owner as a person reads it: the secretariat, a body's short name, a person's
/// name, or an unlisted owner as written, marked.
pub fn label(tx: &mut Tx<'_>, owner: Owner, as_written: Option<&str>) -> Result<String, AppError> {
    Ok(match owner {
        Owner::Secretariat => "Secretariat".to_owned(),
        Owner::Unlisted => format!("{} (not in the directory)", as_written.unwrap_or("someone")),
        Owner::Body(id) => {
            dir::body(tx, id)?.map_or_else(|| "a removed body".to_owned(), |b| b.short_name)
        }
        Owner::Person(id) => {
            dir::person(tx, id)?.map_or_else(|| "a removed person".to_owned(), |p| person_name(&p))
        }
    })
}

/// An action's owner as a person reads it.
pub fn action_owner(tx: &mut Tx<'_>, action: &Action) -> Result<String, AppError> {
    label(tx, action.owner, action.owner_as_written.as_deref())
}

impl crate::App {
    /// What an owner picker of a meeting offers, by name: the secretariat, every body,
    /// and the people of the meeting's body and its participants (anyone else of the
    /// directory is still found when typed). For those who manage the meeting.
    pub fn owner_choices(&self, view: &crate::MeetingView) -> Result<Vec<String>, AppError> {
        // The view was read for its caller; whether they manage the meeting is its to say.
        if !view.can_manage {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        self.db().read(|tx| {
            let mut choices = vec!["Secretariat".to_owned()];
            choices.extend(dir::bodies(tx)?.into_iter().map(|b| b.name));
            let mut people = Vec::new();
            for m in dir::memberships_of_body(tx, view.meeting.body_id)? {
                if m.ends_on.is_none_or(|end| end >= today) {
                    people.extend(dir::person(tx, m.person_id)?);
                }
            }
            for (_, attendees) in &view.participants {
                for a in attendees {
                    people.extend(dir::person(tx, a.person_id)?);
                }
            }
            let mut names: Vec<String> = people.iter().map(person_choice).collect();
            names.sort_by_key(|n| search_key(n));
            names.dedup();
            choices.extend(names);
            Ok(choices)
        })
    }
}

/// Only those who add people to bodies or meetings somewhere pick them by name: the
/// directory's names are not for everyone to probe.
fn require_people_picker(caller: &crate::Caller) -> Result<(), AppError> {
    crate::accounts::require_account(caller)?;
    let p = &caller.principal;
    if p.can_somewhere(plenary_domain::Permission::ManageMemberships)
        || p.can_somewhere(plenary_domain::Permission::ManageMeetings)
    {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// At most this many people are offered by a person picker; anyone else is still found
/// when their name is typed.
pub const PERSON_CHOICES: i64 = 1000;

impl crate::App {
    /// The directory's person a form names: by name as [`resolve`] reads one ("Ana
    /// Núñez", "Núñez Ana", "Ana Núñez (Internet Society)"), or by the number a link
    /// gave. Nobody or several people by that name is refused, naming the field.
    pub fn person_named(
        &self,
        caller: &crate::Caller,
        field: &'static str,
        raw: &str,
    ) -> Result<i64, AppError> {
        require_people_picker(caller)?;
        let text = raw.trim();
        if text.is_empty() {
            return Err(AppError::field(field, Problem::Required));
        }
        self.db().read(|tx| {
            if let Ok(id) = text.parse::<i64>() {
                return dir::person(tx, id)?
                    .map(|p| p.id)
                    .ok_or(AppError::field(field, Problem::Unknown("person")));
            }
            person_named(tx, field, text)?.map(|p| p.id).ok_or_else(|| {
                AppError::field(
                    field,
                    Problem::Explained(format!(
                        "names no person of the directory (\"{text}\"); add them under People first"
                    )),
                )
            })
        })
    }

    /// What a person picker offers: the directory's people as "Name (Organization)",
    /// at most [`PERSON_CHOICES`], in name order.
    pub fn person_choices(&self, caller: &crate::Caller) -> Result<Vec<String>, AppError> {
        require_people_picker(caller)?;
        let (people, _) = self
            .db()
            .read(|tx| dir::persons(tx, "", PERSON_CHOICES, 0))?;
        Ok(people.iter().map(person_choice).collect())
    }
}

/// What the actions filter offers for the owners nobody in the directory is.
pub const UNLISTED_CHOICE: &str = "Not in the directory";

impl crate::App {
    /// The owner a filter names: as [`resolve`], but a name that matches nobody is
    /// refused (a filter finds, it does not create); [`UNLISTED_CHOICE`] stands for
    /// every owner kept as written.
    pub fn owner_named(&self, field: &'static str, raw: &str) -> Result<Owner, AppError> {
        if search_key(raw) == search_key(UNLISTED_CHOICE) || raw.trim() == "unlisted" {
            return Ok(Owner::Unlisted);
        }
        let resolved = self.db().read(|tx| resolve(tx, field, raw))?;
        match resolved.owner {
            Owner::Unlisted => Err(AppError::field(
                field,
                Problem::Explained(format!(
                    "names no person or body of the directory (\"{}\"); choose one from the list",
                    raw.trim()
                )),
            )),
            owner => Ok(owner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organization_in_brackets_is_split_off() {
        assert_eq!(
            split_organization("Ana Núñez (Internet Society)"),
            ("Ana Núñez", Some("Internet Society"))
        );
        assert_eq!(split_organization("Ana Núñez"), ("Ana Núñez", None));
        assert_eq!(split_organization("(ISOC)"), ("(ISOC)", None));
    }

    #[test]
    fn a_body_goes_by_its_abbreviated_name() {
        let body = Body {
            id: 7,
            parent_id: None,
            kind: plenary_domain::people::BodyKind::WorkingGroup,
            short_name: "WG-WSP".into(),
            name: "Working Group on Workshop Processes".into(),
            mandate: String::new(),
        };
        let bodies = [body];
        for typed in [
            "WG on Workshop Processes",
            "wg-wsp",
            "working group on workshop processes",
        ] {
            assert_eq!(
                body_named(&bodies, &search_key(typed)).map(|b| b.id),
                Some(7),
                "{typed}"
            );
        }
        assert!(body_named(&bodies, &search_key("Working Groups")).is_none());
    }

    #[test]
    fn the_secretariat_is_named_as_a_word() {
        assert!(names_secretariat(&search_key("The IGF Secretariat")));
        assert!(!names_secretariat(&search_key("Secretariats of the world")));
    }
}
