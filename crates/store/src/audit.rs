//! The append-only audit log: who did what, when, to which record.

use crate::{Row, StoreError, Tx, Value, params};
use chrono::{DateTime, Utc};
use plenary_domain::UserId;

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<UserId>,
    /// How the actor was known at the time (e-mail address, "system", "cli").
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    /// A JSON object with the changed values (never secrets).
    pub detail: String,
    pub client_ip: Option<String>,
}

pub struct NewEntry<'a> {
    pub actor_user_id: Option<UserId>,
    pub actor: &'a str,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: Option<&'a str>,
    pub detail: &'a str,
    pub client_ip: Option<&'a str>,
}

pub fn append(tx: &mut Tx<'_>, e: &NewEntry<'_>, now: DateTime<Utc>) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO audit_log (at, actor_user_id, actor, action, target_kind, target_id, detail, client_ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![now, e.actor_user_id.map(|u| u.0), e.actor, e.action, e.target_kind, e.target_id, e.detail, e.client_ip],
    )?;
    Ok(())
}

/// Filters for browsing; every field narrows the result.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor_user_id: Option<UserId>,
    /// Prefix of the action name, e.g. "session." for all session events.
    pub action_prefix: Option<String>,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    /// Only entries with an id below this one (keyset pagination, newest first).
    pub before_id: Option<i64>,
    /// Leaves out sign-ins and sign-outs (`session.*`), which would otherwise fill the
    /// log; the sessions themselves are listed on each account.
    pub without_sessions: bool,
}

/// Newest first, at most `limit` entries.
pub fn list(tx: &mut Tx<'_>, filter: &Filter, limit: i64) -> Result<Vec<Entry>, StoreError> {
    let prefix: Value = filter
        .action_prefix
        .as_ref()
        .map(|p| {
            let escaped = p
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("{escaped}%")
        })
        .into();
    tx.query(
        "SELECT id, at, actor_user_id, actor, action, target_kind, target_id, detail, client_ip FROM audit_log
         WHERE (CAST($1 AS BIGINT) IS NULL OR actor_user_id = $1)
           AND (CAST($2 AS TEXT) IS NULL OR action LIKE $2 ESCAPE '\\')
           AND (CAST($3 AS TEXT) IS NULL OR target_kind = $3)
           AND (CAST($4 AS TEXT) IS NULL OR target_id = $4)
           AND (CAST($5 AS BIGINT) IS NULL OR id < $5)
           AND (NOT $7 OR action NOT LIKE 'session.%')
         ORDER BY id DESC LIMIT $6",
        &[
            filter.actor_user_id.map(|u| u.0).into(),
            prefix,
            filter.target_kind.clone().into(),
            filter.target_id.clone().into(),
            filter.before_id.into(),
            limit.into(),
            filter.without_sessions.into(),
        ],
    )?
    .iter()
    .map(entry_from)
    .collect()
}

fn entry_from(r: &Row) -> Result<Entry, StoreError> {
    Ok(Entry {
        id: r.int(0)?,
        at: r.time(1)?,
        actor_user_id: r.opt_int(2)?.map(UserId),
        actor: r.text(3)?,
        action: r.text(4)?,
        target_kind: r.text(5)?,
        target_id: r.opt_text(6)?,
        detail: r.text(7)?,
        client_ip: r.opt_text(8)?,
    })
}
