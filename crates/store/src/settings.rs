//! Installation-wide settings (e.g. the secret that signs CSRF tokens).

use crate::{StoreError, Tx, params};

pub fn get(tx: &mut Tx<'_>, key: &str) -> Result<Option<String>, StoreError> {
    tx.query_opt("SELECT value FROM settings WHERE key = $1", params![key])?
        .map(|r| r.text(0))
        .transpose()
}

/// Stores `value` unless the key is set already; returns the value in force.
pub fn get_or_insert(tx: &mut Tx<'_>, key: &str, value: &str) -> Result<String, StoreError> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        params![key, value],
    )?;
    get(tx, key)?.ok_or_else(|| StoreError::Decode(format!("setting {key} vanished")))
}
