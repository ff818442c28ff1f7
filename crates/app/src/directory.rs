//! The directory: people, organizations, bodies, memberships and subscriptions.

use crate::accounts::{require_account, require_permission};
use crate::audit::Change;
use crate::input::{Errors, missing, optional};
use crate::{App, AppError, Caller};
use chrono::NaiveDate;
use plenary_domain::geo::Country;
use plenary_domain::people::{
    BodyKind, MembershipRole, PersonName, StakeholderGroup, Term, parse_date, parse_gender,
    parse_long_text, parse_title,
};
use plenary_domain::search::search_key;
use plenary_domain::time::Zone;
use plenary_domain::{Email, FieldError, Permission, Problem, Scope};
use plenary_store::directory::{
    self as dir, Body, BodyFields, Membership, MembershipFields, Organization, OrganizationFields,
    Person, PersonFields,
};
use plenary_store::{StoreError, Tx};
use serde_json::json;

pub const DIRECTORY_PAGE_SIZE: i64 = 50;

fn unique_as(field: &'static str) -> impl Fn(StoreError) -> AppError {
    move |e| match e {
        StoreError::Conflict(_) => AppError::field(field, Problem::Taken),
        other => other.into(),
    }
}

fn still_referenced(what: &'static str) -> impl Fn(StoreError) -> AppError {
    move |e| match e {
        StoreError::Reference(_) => AppError::Refused(what),
        other => other.into(),
    }
}

// ------------------------------------------------------------------ organizations

#[derive(Debug, Clone, Default)]
pub struct OrganizationInput {
    pub name: String,
    pub stakeholder_group: String,
    pub country: String,
}

struct ValidOrganization {
    name: String,
    group: Option<StakeholderGroup>,
    country: Option<Country>,
}

impl OrganizationInput {
    fn validate(&self) -> Result<ValidOrganization, AppError> {
        let mut errors = Errors::default();
        let name = errors.take(parse_title("name", &self.name, 300));
        let group = errors.take(optional(&self.stakeholder_group, |r| {
            StakeholderGroup::parse_field("stakeholder_group", r)
        }));
        let country = errors.take(optional(&self.country, |r| Country::parse("country", r)));
        errors.finish()?;
        Ok(ValidOrganization {
            name: name.unwrap_or_default(),
            group: group.flatten(),
            country: country.flatten(),
        })
    }
}

impl ValidOrganization {
    fn fields<'a>(&'a self, name_key: &'a str) -> OrganizationFields<'a> {
        OrganizationFields {
            name: &self.name,
            name_key,
            stakeholder_group: self.group,
            country: self.country.map(|c| c.code()),
        }
    }
}

impl App {
    pub fn organizations(
        &self,
        caller: &Caller,
        search: &str,
        page: i64,
    ) -> Result<(Vec<Organization>, i64), AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        let offset = (page.max(1) - 1) * DIRECTORY_PAGE_SIZE;
        Ok(self
            .db()
            .read(|tx| dir::organizations(tx, &search_key(search), DIRECTORY_PAGE_SIZE, offset))?)
    }

    pub fn organization(&self, caller: &Caller, id: i64) -> Result<Organization, AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        self.db()
            .read(|tx| dir::organization(tx, id)?.ok_or(AppError::NotFound))
    }

    /// Creates (`id` None) or updates an organization.
    pub fn save_organization(
        &self,
        caller: &Caller,
        id: Option<i64>,
        input: &OrganizationInput,
    ) -> Result<Organization, AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        let valid = input.validate()?;
        let key = search_key(&valid.name);
        let now = self.now();
        self.db().write(|tx| {
            let fields = valid.fields(&key);
            let id = match id {
                None => dir::insert_organization(tx, &fields, now).map_err(unique_as("name"))?,
                Some(id) => {
                    if !dir::update_organization(tx, id, &fields).map_err(unique_as("name"))? {
                        return Err(AppError::NotFound);
                    }
                    id
                }
            };
            Change::new("organization.save", "organization", id)
                .detail(json!({ "name": valid.name, "stakeholder_group": valid.group, "country": valid.country.map(|c| c.code()) }))
                .record(tx, caller, now)?;
            dir::organization(tx, id)?.ok_or(AppError::NotFound)
        })
    }

    pub fn delete_organization(&self, caller: &Caller, id: i64) -> Result<(), AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        let now = self.now();
        self.db().write(|tx| {
            if !dir::delete_organization(tx, id)
                .map_err(still_referenced("people still belong to this organization"))?
            {
                return Err(AppError::NotFound);
            }
            Change::new("organization.delete", "organization", id).record(tx, caller, now)?;
            Ok(())
        })
    }
}

// ------------------------------------------------------------------ persons

#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub family_name: String,
    pub given_name: String,
    pub organization_id: Option<i64>,
    pub stakeholder_group: String,
    pub country: String,
    pub gender: String,
    pub email: String,
    pub time_zone: String,
}

struct ValidPerson {
    name: PersonName,
    group: Option<StakeholderGroup>,
    country: Option<Country>,
    gender: Option<String>,
    email: Option<Email>,
    zone: Option<Zone>,
}

impl PersonInput {
    fn validate(&self) -> Result<ValidPerson, AppError> {
        let mut errors = Errors::default();
        let name = errors.take_all(PersonName::parse(&self.family_name, &self.given_name));
        let group = errors.take(optional(&self.stakeholder_group, |r| {
            StakeholderGroup::parse_field("stakeholder_group", r)
        }));
        let country = errors.take(optional(&self.country, |r| Country::parse("country", r)));
        let gender = errors.take(parse_gender(&self.gender));
        let email = errors.take(optional(&self.email, |r| Email::parse("email", r)));
        let zone = errors.take(optional(&self.time_zone, |r| Zone::find("time_zone", r)));
        errors.finish()?;
        match name {
            Some(name) => Ok(ValidPerson {
                name,
                group: group.flatten(),
                country: country.flatten(),
                gender: gender.flatten(),
                email: email.flatten(),
                zone: zone.flatten(),
            }),
            None => Err(AppError::field("family_name", Problem::Required)),
        }
    }
}

/// The search key of a person: given and family name in both orders, folded.
pub(crate) fn person_key(name: &PersonName) -> String {
    let given = name.given().unwrap_or_default();
    let family = name.family().unwrap_or_default();
    search_key(&format!("{given} {family} | {family} {given}"))
}

impl App {
    /// People matching a name search (accent- and case-insensitive).
    pub fn people(
        &self,
        caller: &Caller,
        search: &str,
        page: i64,
    ) -> Result<(Vec<Person>, i64), AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        let offset = (page.max(1) - 1) * DIRECTORY_PAGE_SIZE;
        Ok(self
            .db()
            .read(|tx| dir::persons(tx, &search_key(search), DIRECTORY_PAGE_SIZE, offset))?)
    }

    pub fn person(&self, caller: &Caller, id: i64) -> Result<(Person, Vec<Membership>), AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        self.db().read(|tx| {
            let person = dir::person(tx, id)?.ok_or(AppError::NotFound)?;
            Ok((person, dir::memberships_of_person(tx, id)?))
        })
    }

    /// Creates (`id` None) or updates a person. A person whose e-mail address is that
    /// of an account is linked to it.
    pub fn save_person(
        &self,
        caller: &Caller,
        id: Option<i64>,
        input: &PersonInput,
    ) -> Result<Person, AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        let valid = input.validate()?;
        let key = person_key(&valid.name);
        let now = self.now();
        self.db().write(|tx| {
            if let Some(org) = input.organization_id {
                dir::organization(tx, org)?.ok_or(AppError::field(
                    "organization_id",
                    Problem::Unknown("organization"),
                ))?;
            }
            let user_id = match &valid.email {
                Some(email) => plenary_store::users::by_email(tx, email.as_str())?.map(|u| u.id.0),
                None => None,
            };
            let fields = PersonFields {
                family_name: valid.name.family(),
                given_name: valid.name.given(),
                name_key: &key,
                organization_id: input.organization_id,
                stakeholder_group: valid.group,
                country: valid.country.map(|c| c.code()),
                gender: valid.gender.as_deref(),
                email: valid.email.as_ref().map(Email::as_str),
                time_zone: valid.zone.map(|z| z.name()),
                user_id,
            };
            let id = match id {
                None => dir::insert_person(tx, &fields, now).map_err(unique_as("email"))?,
                Some(id) => {
                    if !dir::update_person(tx, id, &fields, now).map_err(unique_as("email"))? {
                        return Err(AppError::NotFound);
                    }
                    id
                }
            };
            // The detail names what changed but holds no personal data beyond the name.
            Change::new("person.save", "person", id)
                .detail(json!({ "name": valid.name.to_string() }))
                .record(tx, caller, now)?;
            dir::person(tx, id)?.ok_or(AppError::NotFound)
        })
    }

    /// Deletes a person who has no memberships (history is kept: end memberships instead).
    pub fn delete_person(&self, caller: &Caller, id: i64) -> Result<(), AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        let now = self.now();
        self.db().write(|tx| {
            let refused = still_referenced(
                "this person has memberships or subscriptions; end them instead of deleting",
            );
            if !dir::delete_person(tx, id).map_err(refused)? {
                return Err(AppError::NotFound);
            }
            Change::new("person.delete", "person", id).record(tx, caller, now)?;
            Ok(())
        })
    }
}

// ------------------------------------------------------------------ bodies

#[derive(Debug, Clone, Default)]
pub struct BodyInput {
    pub parent_id: Option<i64>,
    pub kind: String,
    pub short_name: String,
    pub name: String,
    pub mandate: String,
}

/// A member as listed on a body's page.
#[derive(Debug, Clone)]
pub struct MemberView {
    pub membership: Membership,
    pub person: Person,
    /// The short name of the body a liaison links to.
    pub liaison_to: Option<String>,
}

/// Everything on a body's public page.
#[derive(Debug, Clone)]
pub struct BodyPage {
    pub body: Body,
    pub parent: Option<Body>,
    pub children: Vec<Body>,
    /// Current members, ordered by role (chair first) then name.
    pub current: Vec<MemberView>,
    /// Ended memberships, newest end first.
    pub past: Vec<MemberView>,
}

fn would_cycle(bodies: &[Body], id: i64, new_parent: Option<i64>) -> bool {
    let mut cursor = new_parent;
    let mut steps = 0;
    while let Some(p) = cursor {
        if p == id || steps > bodies.len() {
            return true;
        }
        cursor = bodies.iter().find(|b| b.id == p).and_then(|b| b.parent_id);
        steps += 1;
    }
    false
}

fn member_view(tx: &mut Tx<'_>, m: Membership) -> Result<MemberView, AppError> {
    let person = dir::person(tx, m.person_id)?.ok_or(AppError::NotFound)?;
    let liaison_to = match m.liaison_body_id {
        Some(b) => dir::body(tx, b)?.map(|b| b.short_name),
        None => None,
    };
    Ok(MemberView {
        membership: m,
        person,
        liaison_to,
    })
}

fn sort_name(p: &Person) -> String {
    search_key(&format!(
        "{} {}",
        p.family_name.as_deref().unwrap_or_default(),
        p.given_name.as_deref().unwrap_or_default()
    ))
}

impl App {
    /// Every body (public).
    pub fn bodies(&self) -> Result<Vec<Body>, AppError> {
        Ok(self.db().read(dir::bodies)?)
    }

    /// A body's public page as of today: members by role, sub-bodies, history.
    pub fn body_page(&self, id: i64) -> Result<BodyPage, AppError> {
        let today: NaiveDate = self.now().date_naive();
        self.db().read(|tx| {
            let body = dir::body(tx, id)?.ok_or(AppError::NotFound)?;
            let parent = match body.parent_id {
                Some(p) => dir::body(tx, p)?,
                None => None,
            };
            let children = dir::bodies(tx)?
                .into_iter()
                .filter(|b| b.parent_id == Some(id))
                .collect();
            let mut current = Vec::new();
            let mut past = Vec::new();
            for m in dir::memberships_of_body(tx, id)? {
                let ended = m.ends_on.is_some_and(|end| end < today);
                let view = member_view(tx, m)?;
                if ended {
                    past.push(view)
                } else {
                    current.push(view)
                }
            }
            current.sort_by_key(|v| (v.membership.role, sort_name(&v.person)));
            past.sort_by_key(|v| std::cmp::Reverse(v.membership.ends_on));
            Ok(BodyPage {
                body,
                parent,
                children,
                current,
                past,
            })
        })
    }

    /// Creates (`id` None) or updates a body; a parent may not be the body or below it.
    pub fn save_body(
        &self,
        caller: &Caller,
        id: Option<i64>,
        input: &BodyInput,
    ) -> Result<Body, AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        let mut errors = Errors::default();
        let kind = errors.take(BodyKind::parse_field("kind", &input.kind));
        let short_name = errors.take(parse_title("short_name", &input.short_name, 60));
        let name = errors.take(parse_title("name", &input.name, 300));
        let mandate = errors.take(parse_long_text("mandate", &input.mandate, 20_000));
        errors.finish()?;
        let (Some(kind), Some(short_name), Some(name), Some(mandate)) =
            (kind, short_name, name, mandate)
        else {
            return Err(missing());
        };
        let now = self.now();
        self.db().write(|tx| {
            let all = dir::bodies(tx)?;
            if let Some(parent) = input.parent_id {
                if !all.iter().any(|b| b.id == parent) {
                    return Err(AppError::field("parent_id", Problem::Unknown("body")));
                }
                if id.is_some_and(|id| would_cycle(&all, id, Some(parent))) {
                    return Err(AppError::field(
                        "parent_id",
                        Problem::Invalid("a body cannot be inside itself"),
                    ));
                }
            }
            let fields = BodyFields {
                parent_id: input.parent_id,
                kind,
                short_name: &short_name,
                name: &name,
                mandate: &mandate,
            };
            let id = match id {
                None => dir::insert_body(tx, &fields, now).map_err(unique_as("short_name"))?,
                Some(id) => {
                    if !dir::update_body(tx, id, &fields).map_err(unique_as("short_name"))? {
                        return Err(AppError::NotFound);
                    }
                    id
                }
            };
            Change::new("body.save", "body", id)
                .detail(
                    json!({ "short_name": short_name, "kind": kind, "parent_id": input.parent_id }),
                )
                .record(tx, caller, now)?;
            dir::body(tx, id)?.ok_or(AppError::NotFound)
        })
    }

    pub fn delete_body(&self, caller: &Caller, id: i64) -> Result<(), AppError> {
        require_permission(caller, Permission::ManageDirectory)?;
        let now = self.now();
        self.db().write(|tx| {
            let refused =
                still_referenced("this body has sub-bodies, memberships or subscriptions");
            if !dir::delete_body(tx, id).map_err(refused)? {
                return Err(AppError::NotFound);
            }
            Change::new("body.delete", "body", id).record(tx, caller, now)?;
            Ok(())
        })
    }
}

// ------------------------------------------------------------------ memberships

#[derive(Debug, Clone, Default)]
pub struct MembershipInput {
    pub person_id: Option<i64>,
    pub role: String,
    pub starts_on: String,
    pub ends_on: String,
    pub liaison_body_id: Option<i64>,
}

pub(crate) fn require_body_permission(caller: &Caller, body_id: i64) -> Result<(), AppError> {
    require_account(caller)?;
    if caller
        .principal
        .can(Permission::ManageMemberships, Scope::Body(body_id))
    {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A membership's role and term as checked, before a person is chosen.
pub(crate) struct ValidMembership {
    role: MembershipRole,
    term: Term,
    liaison_body_id: Option<i64>,
}

/// Checks the role, term and liaison of a membership of `body_id` (not the person).
pub(crate) fn check_membership(
    body_id: i64,
    input: &MembershipInput,
) -> Result<ValidMembership, AppError> {
    let mut errors = Errors::default();
    let role = errors.take(MembershipRole::parse_field("role", &input.role));
    let starts = errors.take(parse_date("starts_on", &input.starts_on));
    let ends = errors.take(optional(&input.ends_on, |r| parse_date("ends_on", r)));
    match (role, input.liaison_body_id) {
        (Some(MembershipRole::Liaison), None) => errors
            .0
            .push(FieldError::new("liaison_body_id", Problem::Required)),
        (Some(r), Some(_)) if r != MembershipRole::Liaison => errors.0.push(FieldError::new(
            "liaison_body_id",
            Problem::Invalid("only a liaison links to another body"),
        )),
        (_, Some(l)) if l == body_id => errors.0.push(FieldError::new(
            "liaison_body_id",
            Problem::Invalid("a liaison links to another body"),
        )),
        _ => {}
    }
    let term = match (starts, ends) {
        (Some(from), Some(to)) => errors.take(Term::new(from, to)),
        _ => None,
    };
    errors.finish()?;
    match (role, term) {
        (Some(role), Some(term)) => Ok(ValidMembership {
            role,
            term,
            liaison_body_id: input.liaison_body_id,
        }),
        _ => Err(missing()),
    }
}

/// Adds the membership of a person (the caller's access is checked already): the
/// membership's use case, inside a transaction that may do more.
pub(crate) fn insert_membership(
    tx: &mut Tx<'_>,
    caller: &Caller,
    body_id: i64,
    person_id: i64,
    valid: &ValidMembership,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Membership, AppError> {
    let ValidMembership {
        role,
        term,
        liaison_body_id,
    } = *valid;
    dir::body(tx, body_id)?.ok_or(AppError::NotFound)?;
    if !dir::lock_row(tx, "persons", person_id)? {
        return Err(AppError::field("person_id", Problem::Unknown("person")));
    }
    if let Some(l) = liaison_body_id {
        dir::body(tx, l)?.ok_or(AppError::field("liaison_body_id", Problem::Unknown("body")))?;
    }
    let clash = dir::memberships_of_person(tx, person_id)?
        .into_iter()
        .any(|m| {
            m.body_id == body_id
                && m.role == role
                && Term::new(m.starts_on, m.ends_on).is_ok_and(|existing| existing.overlaps(&term))
        });
    if clash {
        return Err(AppError::field(
            "starts_on",
            Problem::Invalid("this person already holds this role in this body during that term"),
        ));
    }
    let fields = MembershipFields {
        body_id,
        person_id,
        role,
        starts_on: term.from(),
        ends_on: term.to(),
        liaison_body_id,
    };
    let id = dir::insert_membership(tx, &fields, now)?;
    Change::new("membership.add", "body", body_id)
        .detail(json!({ "membership_id": id, "person_id": person_id, "role": role, "starts_on": term.from(), "ends_on": term.to() }))
        .record(tx, caller, now)?;
    dir::membership(tx, id)?.ok_or(AppError::NotFound)
}

impl App {
    /// Adds a membership. The same person cannot hold the same role in the same body
    /// in overlapping terms; a liaison names the body it links to.
    pub fn add_membership(
        &self,
        caller: &Caller,
        body_id: i64,
        input: &MembershipInput,
    ) -> Result<Membership, AppError> {
        require_body_permission(caller, body_id)?;
        let mut errors = Errors::default();
        let person_id = errors.take(
            input
                .person_id
                .ok_or(FieldError::new("person_id", Problem::Required)),
        );
        let valid = check_membership(body_id, input);
        if let Err(AppError::Invalid(more)) = &valid {
            errors.0.extend(more.iter().cloned());
        }
        errors.finish()?;
        let (valid, Some(person_id)) = (valid?, person_id) else {
            return Err(missing());
        };
        let now = self.now();
        self.db()
            .write(|tx| insert_membership(tx, caller, body_id, person_id, &valid, now))
    }

    /// Ends a membership on `ends_on`; the record stays as history.
    pub fn end_membership(
        &self,
        caller: &Caller,
        membership_id: i64,
        ends_on: &str,
    ) -> Result<Membership, AppError> {
        require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let m = dir::membership(tx, membership_id)?.ok_or(AppError::NotFound)?;
            require_body_permission(caller, m.body_id)?;
            let day = parse_date("ends_on", ends_on)?;
            let term = Term::new(m.starts_on, m.ends_on)
                .map_err(AppError::from)?
                .ended_on(day)?;
            dir::set_membership_end(tx, membership_id, term.to())?;
            Change::new("membership.end", "body", m.body_id)
                .detail(json!({ "membership_id": membership_id, "ends_on": day }))
                .record(tx, caller, now)?;
            dir::membership(tx, membership_id)?.ok_or(AppError::NotFound)
        })
    }

    // -------------------------------------------------------------- subscriptions

    /// The person record of the caller's account, if any.
    pub fn my_person(&self, caller: &Caller) -> Result<Option<Person>, AppError> {
        let user = require_account(caller)?;
        Ok(self.db().read(|tx| dir::person_by_user(tx, user.0))?)
    }

    /// Subscribes a person to a body's list: the person themselves, the body's chair or
    /// the secretariat.
    pub fn set_subscription(
        &self,
        caller: &Caller,
        body_id: i64,
        person_id: i64,
        subscribed: bool,
    ) -> Result<(), AppError> {
        let user = require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            dir::body(tx, body_id)?.ok_or(AppError::NotFound)?;
            let person = dir::person(tx, person_id)?
                .ok_or(AppError::field("person_id", Problem::Unknown("person")))?;
            if person.user_id != Some(user.0) {
                require_body_permission(caller, body_id)?;
            }
            let changed = if subscribed {
                dir::subscribe(tx, body_id, person_id, now)?
            } else {
                dir::unsubscribe(tx, body_id, person_id)?
            };
            if changed {
                let action = if subscribed {
                    "subscription.add"
                } else {
                    "subscription.remove"
                };
                Change::new(action, "body", body_id)
                    .detail(json!({ "person_id": person_id }))
                    .record(tx, caller, now)?;
            }
            Ok(())
        })
    }

    /// The subscribers of a body (chair of the body or secretariat).
    pub fn subscribers(&self, caller: &Caller, body_id: i64) -> Result<Vec<Person>, AppError> {
        require_body_permission(caller, body_id)?;
        self.db().read(|tx| {
            dir::body(tx, body_id)?.ok_or(AppError::NotFound)?;
            Ok(dir::subscribers(tx, body_id)?)
        })
    }

    pub fn is_subscribed(&self, body_id: i64, person_id: i64) -> Result<bool, AppError> {
        Ok(self
            .db()
            .read(|tx| dir::is_subscribed(tx, body_id, person_id))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(id: i64, parent: Option<i64>) -> Body {
        Body {
            id,
            parent_id: parent,
            kind: BodyKind::Other,
            short_name: format!("B{id}"),
            name: String::new(),
            mandate: String::new(),
        }
    }

    #[test]
    fn a_body_cannot_move_below_itself() {
        let tree = [body(1, None), body(2, Some(1)), body(3, Some(2))];
        assert!(would_cycle(&tree, 1, Some(3)));
        assert!(would_cycle(&tree, 2, Some(2)));
        assert!(!would_cycle(&tree, 3, Some(1)));
        assert!(!would_cycle(&tree, 1, None));
    }
}
