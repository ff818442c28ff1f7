//! The directory: organizations, persons, bodies (a tree), memberships and
//! subscriptions.

use crate::{Backend, Row, StoreError, Tx, Value, params};
use chrono::{DateTime, NaiveDate, Utc};
use plenary_domain::people::{BodyKind, MembershipRole, StakeholderGroup};

use crate::error::decode;

fn opt_group(row: &Row, i: usize) -> Result<Option<StakeholderGroup>, StoreError> {
    row.opt_text(i)?
        .map(|g| decode("stakeholder group", &g, StakeholderGroup::parse(&g)))
        .transpose()
}

fn date(raw: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|e| StoreError::Decode(format!("date {raw:?}: {e}")))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn like_pattern(key: &str) -> String {
    format!(
        "%{}%",
        key.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// On PostgreSQL, locks a row until the transaction ends so that a check-then-write
/// (e.g. overlapping terms) cannot race; SQLite writers are serialised already.
pub fn lock_row(tx: &mut Tx<'_>, table: &'static str, id: i64) -> Result<bool, StoreError> {
    let sql = match tx.backend() {
        Backend::Postgres => format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"),
        Backend::Sqlite => format!("SELECT id FROM {table} WHERE id = $1"),
    };
    Ok(tx.query_opt(&sql, params![id])?.is_some())
}

// ---------------------------------------------------------------- organizations

#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub country: Option<String>,
}

pub struct OrganizationFields<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub country: Option<&'a str>,
}

fn organization_from(r: &Row) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: r.int(0)?,
        name: r.text(1)?,
        stakeholder_group: opt_group(r, 2)?,
        country: r.opt_text(3)?,
    })
}

const ORG_COLUMNS: &str = "id, name, stakeholder_group, country";

pub fn insert_organization(
    tx: &mut Tx<'_>,
    o: &OrganizationFields<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO organizations (name, name_key, stakeholder_group, country, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        params![o.name, o.name_key, o.stakeholder_group.map(|g| g.as_str()), o.country, now],
    )?
    .int(0)
}

pub fn update_organization(
    tx: &mut Tx<'_>,
    id: i64,
    o: &OrganizationFields<'_>,
) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE organizations SET name = $1, name_key = $2, stakeholder_group = $3, country = $4 WHERE id = $5",
        params![o.name, o.name_key, o.stakeholder_group.map(|g| g.as_str()), o.country, id],
    )?;
    Ok(n == 1)
}

pub fn organization(tx: &mut Tx<'_>, id: i64) -> Result<Option<Organization>, StoreError> {
    tx.query_opt(
        &format!("SELECT {ORG_COLUMNS} FROM organizations WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(organization_from)
    .transpose()
}

/// The organization whose search key is exactly `key` (its name, case and accents
/// aside), if one is.
pub fn organization_by_key(tx: &mut Tx<'_>, key: &str) -> Result<Option<Organization>, StoreError> {
    tx.query_opt(
        &format!("SELECT {ORG_COLUMNS} FROM organizations WHERE name_key = $1 ORDER BY id LIMIT 1"),
        params![key],
    )?
    .as_ref()
    .map(organization_from)
    .transpose()
}

/// Every organization's name, by name (for pickers).
pub fn organization_names(tx: &mut Tx<'_>, limit: i64) -> Result<Vec<String>, StoreError> {
    tx.query(
        "SELECT name FROM organizations ORDER BY name_key, id LIMIT $1",
        params![limit],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

/// Organizations whose search key contains `key` (all when empty), by name.
pub fn organizations(
    tx: &mut Tx<'_>,
    key: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Organization>, i64), StoreError> {
    let pattern = like_pattern(key);
    let total = tx
        .query_one(
            "SELECT COUNT(*) FROM organizations WHERE name_key LIKE $1 ESCAPE '\\'",
            params![pattern.clone()],
        )?
        .int(0)?;
    let rows = tx.query(
        &format!("SELECT {ORG_COLUMNS} FROM organizations WHERE name_key LIKE $1 ESCAPE '\\' ORDER BY name_key, id LIMIT $2 OFFSET $3"),
        params![pattern, limit, offset],
    )?;
    Ok((
        rows.iter()
            .map(organization_from)
            .collect::<Result<_, _>>()?,
        total,
    ))
}

pub fn delete_organization(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute("DELETE FROM organizations WHERE id = $1", params![id])? == 1)
}

// ---------------------------------------------------------------- persons

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: i64,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub organization_id: Option<i64>,
    pub organization: Option<String>,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub country: Option<String>,
    pub gender: Option<String>,
    pub email: Option<String>,
    pub time_zone: Option<String>,
    pub user_id: Option<i64>,
}

pub struct PersonFields<'a> {
    pub family_name: Option<&'a str>,
    pub given_name: Option<&'a str>,
    pub name_key: &'a str,
    pub organization_id: Option<i64>,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub country: Option<&'a str>,
    pub gender: Option<&'a str>,
    pub email: Option<&'a str>,
    pub time_zone: Option<&'a str>,
    pub user_id: Option<i64>,
}

const PERSON_COLUMNS: &str = "p.id, p.family_name, p.given_name, p.organization_id, o.name, p.stakeholder_group, \
                              p.country, p.gender, p.email, p.time_zone, p.user_id";
const PERSON_FROM: &str = "persons p LEFT JOIN organizations o ON o.id = p.organization_id";

fn person_from(r: &Row) -> Result<Person, StoreError> {
    Ok(Person {
        id: r.int(0)?,
        family_name: r.opt_text(1)?,
        given_name: r.opt_text(2)?,
        organization_id: r.opt_int(3)?,
        organization: r.opt_text(4)?,
        stakeholder_group: opt_group(r, 5)?,
        country: r.opt_text(6)?,
        gender: r.opt_text(7)?,
        email: r.opt_text(8)?,
        time_zone: r.opt_text(9)?,
        user_id: r.opt_int(10)?,
    })
}

fn person_values(p: &PersonFields<'_>) -> Vec<Value> {
    vec![
        p.family_name.into(),
        p.given_name.into(),
        p.name_key.into(),
        p.organization_id.into(),
        p.stakeholder_group.map(|g| g.as_str()).into(),
        p.country.into(),
        p.gender.into(),
        p.email.into(),
        p.time_zone.into(),
        p.user_id.into(),
    ]
}

pub fn insert_person(
    tx: &mut Tx<'_>,
    p: &PersonFields<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut values = person_values(p);
    values.push(now.into());
    tx.query_one(
        "INSERT INTO persons (family_name, given_name, name_key, organization_id, stakeholder_group, country, gender, email, time_zone, user_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        &values,
    )?
    .int(0)
}

pub fn update_person(
    tx: &mut Tx<'_>,
    id: i64,
    p: &PersonFields<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut values = person_values(p);
    values.push(now.into());
    values.push(id.into());
    let n = tx.execute(
        "UPDATE persons SET family_name = $1, given_name = $2, name_key = $3, organization_id = $4, stakeholder_group = $5,
           country = $6, gender = $7, email = $8, time_zone = $9, user_id = $10, updated_at = $11 WHERE id = $12",
        &values,
    )?;
    Ok(n == 1)
}

pub fn person(tx: &mut Tx<'_>, id: i64) -> Result<Option<Person>, StoreError> {
    tx.query_opt(
        &format!("SELECT {PERSON_COLUMNS} FROM {PERSON_FROM} WHERE p.id = $1"),
        params![id],
    )?
    .as_ref()
    .map(person_from)
    .transpose()
}

pub fn person_by_user(tx: &mut Tx<'_>, user_id: i64) -> Result<Option<Person>, StoreError> {
    tx.query_opt(
        &format!("SELECT {PERSON_COLUMNS} FROM {PERSON_FROM} WHERE p.user_id = $1"),
        params![user_id],
    )?
    .as_ref()
    .map(person_from)
    .transpose()
}

pub fn person_by_email(tx: &mut Tx<'_>, email: &str) -> Result<Option<Person>, StoreError> {
    tx.query_opt(
        &format!("SELECT {PERSON_COLUMNS} FROM {PERSON_FROM} WHERE p.email = $1"),
        params![email],
    )?
    .as_ref()
    .map(person_from)
    .transpose()
}

/// Links the directory entry with this e-mail address to an account, if it has none
/// yet; returns the entry's id when one was linked.
pub fn link_person_by_email(
    tx: &mut Tx<'_>,
    email: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    tx.query_opt(
        "UPDATE persons SET user_id = $1, updated_at = $2
         WHERE email = $3 AND user_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM persons WHERE user_id = $1)
         RETURNING id",
        params![user_id, now, email],
    )?
    .map(|r| r.int(0))
    .transpose()
}

/// People whose name key contains `key` (all when empty), by family then given name.
pub fn persons(
    tx: &mut Tx<'_>,
    key: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Person>, i64), StoreError> {
    let pattern = like_pattern(key);
    let total = tx
        .query_one(
            "SELECT COUNT(*) FROM persons WHERE name_key LIKE $1 ESCAPE '\\'",
            params![pattern.clone()],
        )?
        .int(0)?;
    let rows = tx.query(
        &format!(
            "SELECT {PERSON_COLUMNS} FROM {PERSON_FROM} WHERE p.name_key LIKE $1 ESCAPE '\\'
             ORDER BY COALESCE(p.family_name, p.given_name), p.given_name, p.id LIMIT $2 OFFSET $3"
        ),
        params![pattern, limit, offset],
    )?;
    Ok((
        rows.iter().map(person_from).collect::<Result<_, _>>()?,
        total,
    ))
}

/// People whose family and given names are exactly these (`None`: that name absent),
/// oldest first.
pub fn persons_named(
    tx: &mut Tx<'_>,
    family: Option<&str>,
    given: Option<&str>,
) -> Result<Vec<Person>, StoreError> {
    tx.query(
        &format!(
            "SELECT {PERSON_COLUMNS} FROM {PERSON_FROM}
             WHERE COALESCE(p.family_name, '') = $1 AND COALESCE(p.given_name, '') = $2 ORDER BY p.id"
        ),
        params![family.unwrap_or_default(), given.unwrap_or_default()],
    )?
    .iter()
    .map(person_from)
    .collect()
}

/// People whose name, written "Given Family" or "Family Given", is exactly `full`,
/// oldest first.
pub fn persons_with_full_name(tx: &mut Tx<'_>, full: &str) -> Result<Vec<Person>, StoreError> {
    tx.query(
        &format!(
            "SELECT {PERSON_COLUMNS} FROM {PERSON_FROM}
             WHERE TRIM(COALESCE(p.given_name, '') || ' ' || COALESCE(p.family_name, '')) = $1
                OR TRIM(COALESCE(p.family_name, '') || ' ' || COALESCE(p.given_name, '')) = $1
             ORDER BY p.id"
        ),
        params![full],
    )?
    .iter()
    .map(person_from)
    .collect()
}

/// People whose whole name has this search key, written "given family" or "family
/// given" (their stored key is both, joined by " | "), oldest first.
pub fn persons_with_name_key(tx: &mut Tx<'_>, key: &str) -> Result<Vec<Person>, StoreError> {
    let escaped = key
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    tx.query(
        &format!(
            "SELECT {PERSON_COLUMNS} FROM {PERSON_FROM}
             WHERE p.name_key LIKE $1 ESCAPE '\\' OR p.name_key LIKE $2 ESCAPE '\\'
             ORDER BY p.id"
        ),
        params![format!("{escaped} |%"), format!("%| {escaped}")],
    )?
    .iter()
    .map(person_from)
    .collect()
}

pub fn delete_person(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute("DELETE FROM persons WHERE id = $1", params![id])? == 1)
}

// ---------------------------------------------------------------- bodies

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: BodyKind,
    pub short_name: String,
    pub name: String,
    pub mandate: String,
}

pub struct BodyFields<'a> {
    pub parent_id: Option<i64>,
    pub kind: BodyKind,
    pub short_name: &'a str,
    pub name: &'a str,
    pub mandate: &'a str,
}

const BODY_COLUMNS: &str = "id, parent_id, kind, short_name, name, mandate";

fn body_from(r: &Row) -> Result<Body, StoreError> {
    let kind = r.text(2)?;
    Ok(Body {
        id: r.int(0)?,
        parent_id: r.opt_int(1)?,
        kind: decode("body kind", &kind, BodyKind::parse(&kind))?,
        short_name: r.text(3)?,
        name: r.text(4)?,
        mandate: r.text(5)?,
    })
}

pub fn insert_body(
    tx: &mut Tx<'_>,
    b: &BodyFields<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO bodies (parent_id, kind, short_name, name, mandate, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        params![b.parent_id, b.kind.as_str(), b.short_name, b.name, b.mandate, now],
    )?
    .int(0)
}

pub fn update_body(tx: &mut Tx<'_>, id: i64, b: &BodyFields<'_>) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE bodies SET parent_id = $1, kind = $2, short_name = $3, name = $4, mandate = $5 WHERE id = $6",
        params![b.parent_id, b.kind.as_str(), b.short_name, b.name, b.mandate, id],
    )?;
    Ok(n == 1)
}

pub fn body(tx: &mut Tx<'_>, id: i64) -> Result<Option<Body>, StoreError> {
    tx.query_opt(
        &format!("SELECT {BODY_COLUMNS} FROM bodies WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(body_from)
    .transpose()
}

/// Every body, by short name (the application arranges them as a tree).
pub fn bodies(tx: &mut Tx<'_>) -> Result<Vec<Body>, StoreError> {
    tx.query(
        &format!("SELECT {BODY_COLUMNS} FROM bodies ORDER BY short_name, id"),
        &[],
    )?
    .iter()
    .map(body_from)
    .collect()
}

pub fn delete_body(tx: &mut Tx<'_>, id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute("DELETE FROM bodies WHERE id = $1", params![id])? == 1)
}

// ---------------------------------------------------------------- memberships

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub id: i64,
    pub body_id: i64,
    pub person_id: i64,
    pub role: MembershipRole,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub liaison_body_id: Option<i64>,
}

pub struct MembershipFields {
    pub body_id: i64,
    pub person_id: i64,
    pub role: MembershipRole,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub liaison_body_id: Option<i64>,
}

const MEMBERSHIP_COLUMNS: &str =
    "id, body_id, person_id, role, starts_on, ends_on, liaison_body_id";

fn membership_from(r: &Row) -> Result<Membership, StoreError> {
    let role = r.text(3)?;
    Ok(Membership {
        id: r.int(0)?,
        body_id: r.int(1)?,
        person_id: r.int(2)?,
        role: decode("membership role", &role, MembershipRole::parse(&role))?,
        starts_on: date(&r.text(4)?)?,
        ends_on: r.opt_text(5)?.map(|d| date(&d)).transpose()?,
        liaison_body_id: r.opt_int(6)?,
    })
}

pub fn insert_membership(
    tx: &mut Tx<'_>,
    m: &MembershipFields,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    tx.query_one(
        "INSERT INTO memberships (body_id, person_id, role, starts_on, ends_on, liaison_body_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        params![m.body_id, m.person_id, m.role.as_str(), date_text(m.starts_on), m.ends_on.map(date_text), m.liaison_body_id, now],
    )?
    .int(0)
}

pub fn membership(tx: &mut Tx<'_>, id: i64) -> Result<Option<Membership>, StoreError> {
    tx.query_opt(
        &format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE id = $1"),
        params![id],
    )?
    .as_ref()
    .map(membership_from)
    .transpose()
}

pub fn set_membership_end(
    tx: &mut Tx<'_>,
    id: i64,
    ends_on: Option<NaiveDate>,
) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "UPDATE memberships SET ends_on = $1 WHERE id = $2",
        params![ends_on.map(date_text), id],
    )? == 1)
}

/// Every membership of a body, current and past, by start.
pub fn memberships_of_body(tx: &mut Tx<'_>, body_id: i64) -> Result<Vec<Membership>, StoreError> {
    tx.query(
        &format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE body_id = $1 ORDER BY starts_on, id"
        ),
        params![body_id],
    )?
    .iter()
    .map(membership_from)
    .collect()
}

pub fn memberships_of_person(
    tx: &mut Tx<'_>,
    person_id: i64,
) -> Result<Vec<Membership>, StoreError> {
    tx.query(
        &format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE person_id = $1 ORDER BY starts_on, id"),
        params![person_id],
    )?
    .iter()
    .map(membership_from)
    .collect()
}

// ---------------------------------------------------------------- subscriptions

/// Subscribes; false when the person was subscribed already.
pub fn subscribe(
    tx: &mut Tx<'_>,
    body_id: i64,
    person_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = tx.execute(
        "INSERT INTO subscriptions (body_id, person_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (body_id, person_id) DO NOTHING",
        params![body_id, person_id, now],
    )?;
    Ok(n == 1)
}

pub fn unsubscribe(tx: &mut Tx<'_>, body_id: i64, person_id: i64) -> Result<bool, StoreError> {
    Ok(tx.execute(
        "DELETE FROM subscriptions WHERE body_id = $1 AND person_id = $2",
        params![body_id, person_id],
    )? == 1)
}

/// The subscribers of a body, by name.
pub fn subscribers(tx: &mut Tx<'_>, body_id: i64) -> Result<Vec<Person>, StoreError> {
    tx.query(
        &format!(
            "SELECT {PERSON_COLUMNS} FROM {PERSON_FROM} JOIN subscriptions s ON s.person_id = p.id
             WHERE s.body_id = $1 ORDER BY COALESCE(p.family_name, p.given_name), p.given_name, p.id"
        ),
        params![body_id],
    )?
    .iter()
    .map(person_from)
    .collect()
}

pub fn is_subscribed(tx: &mut Tx<'_>, body_id: i64, person_id: i64) -> Result<bool, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM subscriptions WHERE body_id = $1 AND person_id = $2",
            params![body_id, person_id],
        )?
        .is_some())
}
