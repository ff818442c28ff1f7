//! Accounts and their role grants.

use crate::{Row, StoreError, Tx, Value, params};
use chrono::{DateTime, Utc};
use plenary_domain::{Grant, Role, Scope, UserId};

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// Preferred IANA time zone for showing times.
    pub time_zone: Option<String>,
}

const USER_COLUMNS: &str = "id, email, display_name, created_at, disabled_at, time_zone";

fn user_from(row: &Row) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(row.int(0)?),
        email: row.text(1)?,
        display_name: row.text(2)?,
        created_at: row.time(3)?,
        disabled_at: row.opt_time(4)?,
        time_zone: row.opt_text(5)?,
    })
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
}

/// Inserts an account; a taken e-mail address is `StoreError::Conflict`.
pub fn insert(
    tx: &mut Tx<'_>,
    new: &NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<UserId, StoreError> {
    let row = tx.query_one(
        "INSERT INTO users (email, display_name, password_hash, created_at, password_changed_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
        params![new.email, new.display_name, new.password_hash, now],
    )?;
    Ok(UserId(row.int(0)?))
}

pub fn by_id(tx: &mut Tx<'_>, id: UserId) -> Result<Option<User>, StoreError> {
    tx.query_opt(
        &format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"),
        params![id.0],
    )?
    .as_ref()
    .map(user_from)
    .transpose()
}

pub fn by_email(tx: &mut Tx<'_>, email: &str) -> Result<Option<User>, StoreError> {
    tx.query_opt(
        &format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"),
        params![email],
    )?
    .as_ref()
    .map(user_from)
    .transpose()
}

pub fn password_hash(tx: &mut Tx<'_>, id: UserId) -> Result<Option<String>, StoreError> {
    tx.query_opt(
        "SELECT password_hash FROM users WHERE id = $1",
        params![id.0],
    )?
    .map(|r| r.text(0))
    .transpose()
}

pub fn set_password_hash(
    tx: &mut Tx<'_>,
    id: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
        params![hash, now, id.0],
    )?;
    Ok(())
}

pub fn set_time_zone(tx: &mut Tx<'_>, id: UserId, zone: Option<&str>) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE users SET time_zone = $1 WHERE id = $2",
        params![zone, id.0],
    )?;
    Ok(())
}

pub fn set_disabled(
    tx: &mut Tx<'_>,
    id: UserId,
    disabled_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE users SET disabled_at = $1 WHERE id = $2",
        params![disabled_at, id.0],
    )?;
    Ok(())
}

pub fn count(tx: &mut Tx<'_>) -> Result<i64, StoreError> {
    tx.query_one("SELECT COUNT(*) FROM users", &[])?.int(0)
}

/// A page of accounts ordered by e-mail, optionally filtered by a substring of the
/// e-mail address or display name (case-insensitive for ASCII on both backends).
pub fn list(
    tx: &mut Tx<'_>,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<User>, i64), StoreError> {
    let pattern: Value = search
        .filter(|s| !s.trim().is_empty())
        .map(|s| format!("%{}%", escape_like(&s.trim().to_lowercase())))
        .into();
    let filter = "(CAST($1 AS TEXT) IS NULL OR LOWER(email) LIKE $1 ESCAPE '\\' OR LOWER(display_name) LIKE $1 ESCAPE '\\')";
    let total = tx
        .query_one(
            &format!("SELECT COUNT(*) FROM users WHERE {filter}"),
            std::slice::from_ref(&pattern),
        )?
        .int(0)?;
    let rows = tx.query(
        &format!(
            "SELECT {USER_COLUMNS} FROM users WHERE {filter} ORDER BY email LIMIT $2 OFFSET $3"
        ),
        &[pattern, limit.into(), offset.into()],
    )?;
    let users = rows.iter().map(user_from).collect::<Result<_, _>>()?;
    Ok((users, total))
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub fn grants(tx: &mut Tx<'_>, id: UserId) -> Result<Vec<Grant>, StoreError> {
    let rows = tx.query(
        "SELECT role, scope_kind, scope_id FROM grants WHERE user_id = $1 ORDER BY role, scope_kind, scope_id",
        params![id.0],
    )?;
    rows.iter().map(grant_from).collect()
}

fn grant_from(row: &Row) -> Result<Grant, StoreError> {
    let role_name = row.text(0)?;
    let role = Role::parse(&role_name)
        .ok_or_else(|| StoreError::Decode(format!("unknown role {role_name}")))?;
    let kind = row.text(1)?;
    let id = Some(row.int(2)?).filter(|_| kind != "global");
    let scope = Scope::from_parts(&kind, id)
        .ok_or_else(|| StoreError::Decode(format!("bad scope {kind}")))?;
    Ok(Grant { role, scope })
}

/// Adds a grant; returns false when the account held it already.
pub fn add_grant(
    tx: &mut Tx<'_>,
    id: UserId,
    grant: Grant,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = tx.execute(
        "INSERT INTO grants (user_id, role, scope_kind, scope_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, role, scope_kind, scope_id) DO NOTHING",
        params![id.0, grant.role.as_str(), grant.scope.kind(), grant.scope.id().unwrap_or(0), now],
    )?;
    Ok(n == 1)
}

/// Removes a grant; returns false when the account did not hold it.
pub fn remove_grant(tx: &mut Tx<'_>, id: UserId, grant: Grant) -> Result<bool, StoreError> {
    let n = tx.execute(
        "DELETE FROM grants WHERE user_id = $1 AND role = $2 AND scope_kind = $3 AND scope_id = $4",
        params![
            id.0,
            grant.role.as_str(),
            grant.scope.kind(),
            grant.scope.id().unwrap_or(0)
        ],
    )?;
    Ok(n == 1)
}

/// How many enabled accounts hold `role` globally (to keep at least one secretariat).
pub fn count_with_global_role(tx: &mut Tx<'_>, role: Role) -> Result<i64, StoreError> {
    tx.query_one(
        "SELECT COUNT(*) FROM grants g JOIN users u ON u.id = g.user_id
         WHERE g.role = $1 AND g.scope_kind = 'global' AND u.disabled_at IS NULL",
        params![role.as_str()],
    )?
    .int(0)
}

/// What an account says about its owner (see the profile page).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// The organization as typed, or the directory's name for it.
    pub organization: Option<String>,
    /// The directory's organization of that name, if there is one.
    pub organization_id: Option<i64>,
    pub stakeholder_group: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// A language code (`en`, `fr`, …).
    pub language: String,
}

pub fn profile(tx: &mut Tx<'_>, id: UserId) -> Result<Option<Profile>, StoreError> {
    tx.query_opt(
        "SELECT given_name, family_name, organization, organization_id, stakeholder_group, country, language
         FROM users WHERE id = $1",
        params![id.0],
    )?
    .map(|r| {
        Ok(Profile {
            given_name: r.opt_text(0)?,
            family_name: r.opt_text(1)?,
            organization: r.opt_text(2)?,
            organization_id: r.opt_int(3)?,
            stakeholder_group: r.opt_text(4)?,
            country: r.opt_text(5)?,
            language: r.text(6)?,
        })
    })
    .transpose()
}

/// Saves the profile and the display name made from it.
pub fn set_profile(
    tx: &mut Tx<'_>,
    id: UserId,
    display_name: &str,
    p: &Profile,
) -> Result<bool, StoreError> {
    let n = tx.execute(
        "UPDATE users SET display_name = $1, given_name = $2, family_name = $3, organization = $4,
           organization_id = $5, stakeholder_group = $6, country = $7, language = $8
         WHERE id = $9",
        params![
            display_name,
            p.given_name.as_deref(),
            p.family_name.as_deref(),
            p.organization.as_deref(),
            p.organization_id,
            p.stakeholder_group.as_deref(),
            p.country.as_deref(),
            p.language.as_str(),
            id.0
        ],
    )?;
    Ok(n == 1)
}
