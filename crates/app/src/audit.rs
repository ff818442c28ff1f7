//! Recording changes in the audit log, and browsing it.

use crate::accounts::require_permission;
use crate::{App, AppError, Caller};
use chrono::{DateTime, Utc};
use plenary_domain::Permission;
use plenary_store::audit::{self, Entry, Filter, NewEntry};
use plenary_store::{StoreError, Tx};
use serde_json::Value;
use std::fmt::Display;

/// One change for the audit log: `Change::new("user.create", "user", id).record(tx, caller, now)`.
/// The detail never holds secrets (passwords, tokens, passport numbers).
pub(crate) struct Change {
    action: &'static str,
    target_kind: &'static str,
    target_id: String,
    detail: Value,
}

impl Change {
    pub(crate) fn new(
        action: &'static str,
        target_kind: &'static str,
        target_id: impl Display,
    ) -> Self {
        Change {
            action,
            target_kind,
            target_id: target_id.to_string(),
            detail: Value::Object(Default::default()),
        }
    }

    pub(crate) fn detail(mut self, detail: Value) -> Self {
        self.detail = detail;
        self
    }

    pub(crate) fn record(
        &self,
        tx: &mut Tx<'_>,
        caller: &Caller,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        audit::append(
            tx,
            &NewEntry {
                // The command-line operator acts as no account (id 0).
                actor_user_id: caller.principal.user_id().filter(|id| id.0 > 0),
                actor: &caller.label,
                action: self.action,
                target_kind: self.target_kind,
                target_id: Some(&self.target_id),
                detail: &self.detail.to_string(),
                client_ip: caller.client_ip.as_deref(),
            },
            now,
        )
    }
}

pub const AUDIT_PAGE_SIZE: i64 = 50;

impl App {
    /// Runs `work` in one write transaction and records `change` in the audit log in the
    /// same transaction (a change and its record commit together or not at all).
    pub(crate) fn write_audited<T>(
        &self,
        caller: &Caller,
        change: Change,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let now = self.now();
        self.db().write(|tx| {
            let out = work(tx)?;
            change.record(tx, caller, now)?;
            Ok(out)
        })
    }

    /// A page of the audit log, newest first (secretariat only).
    pub fn audit_log(&self, caller: &Caller, filter: &Filter) -> Result<Vec<Entry>, AppError> {
        require_permission(caller, Permission::ViewAuditLog)?;
        Ok(self
            .db()
            .read(|tx| audit::list(tx, filter, AUDIT_PAGE_SIZE))?)
    }
}
