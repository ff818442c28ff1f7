//! One's own profile: name, organization, stakeholder group, country, time zone and
//! language, kept on the account and on the directory entry linked to it.

use crate::accounts::require_permission;
use crate::audit::Change;
use crate::directory::person_key;
use crate::input::{Errors, missing, optional};
use crate::{App, AppError, Caller};
use plenary_domain::geo::Country;
use plenary_domain::people::{Language, PersonName, StakeholderGroup, parse_title};
use plenary_domain::search::search_key;
use plenary_domain::time::Zone;
use plenary_domain::{DisplayName, Permission, UserId};
use plenary_store::Tx;
use plenary_store::directory::{self as dir, PersonFields};
use plenary_store::users::{self, Profile};
use serde_json::json;

/// Organizations offered by the profile's picker, at most.
const ORGANIZATION_CHOICES: i64 = 5000;

/// What a person types on their profile.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub given_name: String,
    pub family_name: String,
    /// An organization's name: the directory's when it has one by that name (case and
    /// accents aside), else kept as typed.
    pub organization: String,
    pub stakeholder_group: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// A city or an IANA time zone; empty: none.
    pub time_zone: String,
    /// A language code; empty: English.
    pub language: String,
}

/// A profile as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileView {
    pub email: String,
    pub display_name: String,
    pub given_name: String,
    pub family_name: String,
    pub organization: String,
    /// Whether the organization is the directory's (else it is kept as typed).
    pub organization_in_directory: bool,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub language: Language,
    /// The directory entry the profile is kept on too.
    pub person_id: Option<i64>,
}

struct ValidProfile {
    name: PersonName,
    display_name: DisplayName,
    organization: Option<String>,
    group: Option<StakeholderGroup>,
    country: Option<Country>,
    zone: Option<Zone>,
    language: Language,
}

impl ProfileInput {
    fn validate(&self) -> Result<ValidProfile, AppError> {
        let mut errors = Errors::default();
        let name = errors.take_all(PersonName::parse(&self.family_name, &self.given_name));
        let display_name = name
            .as_ref()
            .and_then(|n| errors.take(DisplayName::parse("given_name", &n.to_string())));
        let organization = errors.take(optional(&self.organization, |r| {
            parse_title("organization", r, 300)
        }));
        let group = errors.take(optional(&self.stakeholder_group, |r| {
            StakeholderGroup::parse_field("stakeholder_group", r)
        }));
        let country = errors.take(optional(&self.country, |r| Country::parse("country", r)));
        let zone = errors.take(optional(&self.time_zone, |r| Zone::find("time_zone", r)));
        let language = errors.take(optional(&self.language, |r| {
            Language::parse_field("language", r)
        }));
        errors.finish()?;
        match (
            name,
            display_name,
            organization,
            group,
            country,
            zone,
            language,
        ) {
            (
                Some(name),
                Some(display_name),
                Some(organization),
                Some(group),
                Some(country),
                Some(zone),
                Some(language),
            ) => Ok(ValidProfile {
                name,
                display_name,
                organization,
                group,
                country,
                zone,
                language: language.unwrap_or(Language::English),
            }),
            _ => Err(missing()),
        }
    }
}

impl App {
    /// The caller's profile. What the account does not say yet is taken from its
    /// directory entry, so that a new account starts from what the directory knows.
    pub fn my_profile(&self, caller: &Caller) -> Result<ProfileView, AppError> {
        let user_id = require_permission(caller, Permission::UseOwnAccount)?;
        self.db().read(|tx| profile_view(tx, user_id))
    }

    /// Saves the caller's profile on the account and on its directory entry, if it has
    /// one, in one transaction.
    pub fn save_my_profile(
        &self,
        caller: &Caller,
        input: &ProfileInput,
    ) -> Result<ProfileView, AppError> {
        let user_id = require_permission(caller, Permission::UseOwnAccount)?;
        let valid = input.validate()?;
        let now = self.now();
        self.db().write(|tx| {
            let known = match &valid.organization {
                Some(name) => dir::organization_by_key(tx, &search_key(name))?,
                None => None,
            };
            let profile = Profile {
                given_name: valid.name.given().map(str::to_owned),
                family_name: valid.name.family().map(str::to_owned),
                organization: known
                    .as_ref()
                    .map(|o| o.name.clone())
                    .or_else(|| valid.organization.clone()),
                organization_id: known.as_ref().map(|o| o.id),
                stakeholder_group: valid.group.map(|g| g.as_str().to_owned()),
                country: valid.country.map(|c| c.code().to_owned()),
                language: valid.language.as_str().to_owned(),
            };
            if !users::set_profile(tx, user_id, valid.display_name.as_str(), &profile)? {
                return Err(AppError::NotFound);
            }
            users::set_time_zone(tx, user_id, valid.zone.map(|z| z.name()))?;
            let person = update_linked_person(tx, user_id, &valid, &profile, now)?;
            Change::new("user.profile", "user", user_id.0)
                .detail(json!({ "display_name": valid.display_name.as_str(), "person_id": person }))
                .record(tx, caller, now)?;
            profile_view(tx, user_id)
        })
    }

    /// Organization names for the profile's picker (not personal data).
    pub fn organization_names(&self, caller: &Caller) -> Result<Vec<String>, AppError> {
        require_permission(caller, Permission::UseOwnAccount)?;
        Ok(self
            .db()
            .read(|tx| dir::organization_names(tx, ORGANIZATION_CHOICES))?)
    }
}

/// Writes the profile onto the account's directory entry (keeping what the profile
/// does not hold: gender, e-mail address); returns the entry's id.
fn update_linked_person(
    tx: &mut Tx<'_>,
    user_id: UserId,
    valid: &ValidProfile,
    profile: &Profile,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<i64>, AppError> {
    let Some(person) = dir::person_by_user(tx, user_id.0)? else {
        return Ok(None);
    };
    let key = person_key(&valid.name);
    let fields = PersonFields {
        family_name: valid.name.family(),
        given_name: valid.name.given(),
        name_key: &key,
        organization_id: profile.organization_id,
        stakeholder_group: valid.group,
        country: profile.country.as_deref(),
        gender: person.gender.as_deref(),
        email: person.email.as_deref(),
        time_zone: valid.zone.map(|z| z.name()),
        user_id: person.user_id,
    };
    dir::update_person(tx, person.id, &fields, now)?;
    Ok(Some(person.id))
}

fn profile_view(tx: &mut Tx<'_>, user_id: UserId) -> Result<ProfileView, AppError> {
    let user = users::by_id(tx, user_id)?.ok_or(AppError::NotFound)?;
    let own = users::profile(tx, user_id)?.unwrap_or_default();
    let person = dir::person_by_user(tx, user_id.0)?;
    let from_person = |f: fn(&dir::Person) -> Option<String>| person.as_ref().and_then(f);
    let named = own.given_name.is_some() || own.family_name.is_some();
    let (given_name, family_name) = match (&person, named) {
        (_, true) => (own.given_name.clone(), own.family_name.clone()),
        (Some(p), false) => (p.given_name.clone(), p.family_name.clone()),
        (None, false) => (Some(user.display_name.clone()), None),
    };
    let organization = own
        .organization
        .clone()
        .or_else(|| from_person(|p| p.organization.clone()));
    let in_directory = own.organization_id.is_some()
        || (own.organization.is_none() && from_person(|p| p.organization.clone()).is_some());
    let group = own
        .stakeholder_group
        .clone()
        .or_else(|| from_person(|p| p.stakeholder_group.map(|g| g.as_str().to_owned())));
    Ok(ProfileView {
        email: user.email,
        display_name: user.display_name,
        given_name: given_name.unwrap_or_default(),
        family_name: family_name.unwrap_or_default(),
        organization: organization.unwrap_or_default(),
        organization_in_directory: in_directory,
        stakeholder_group: group.as_deref().and_then(StakeholderGroup::parse),
        country: own
            .country
            .clone()
            .or_else(|| from_person(|p| p.country.clone())),
        time_zone: user
            .time_zone
            .or_else(|| from_person(|p| p.time_zone.clone())),
        language: Language::parse(&own.language).unwrap_or(Language::English),
        person_id: person.map(|p| p.id),
    })
}
