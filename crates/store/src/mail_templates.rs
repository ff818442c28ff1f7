//! The secretariat's edited mail templates, one per message kind. A kind without a row
//! uses the built-in default of the application.

use crate::{Row, StoreError, Tx, params};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub kind: String,
    pub subject: String,
    pub body_text: String,
    /// Empty: the message has no HTML part.
    pub body_html: String,
    pub updated_at: DateTime<Utc>,
    /// Who saved it, as the audit log names them.
    pub updated_by: String,
}

const COLUMNS: &str = "kind, subject, body_text, body_html, updated_at, updated_by";

fn template_from(r: &Row) -> Result<Template, StoreError> {
    Ok(Template {
        kind: r.text(0)?,
        subject: r.text(1)?,
        body_text: r.text(2)?,
        body_html: r.text(3)?,
        updated_at: r.time(4)?,
        updated_by: r.text(5)?,
    })
}

pub fn get(tx: &mut Tx<'_>, kind: &str) -> Result<Option<Template>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM mail_templates WHERE kind = $1"),
        params![kind],
    )?
    .as_ref()
    .map(template_from)
    .transpose()
}

pub fn list(tx: &mut Tx<'_>) -> Result<Vec<Template>, StoreError> {
    tx.query(
        &format!("SELECT {COLUMNS} FROM mail_templates ORDER BY kind"),
        &[],
    )?
    .iter()
    .map(template_from)
    .collect()
}

/// Inserts or replaces the kind's template.
pub fn save(tx: &mut Tx<'_>, t: &Template) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO mail_templates (kind, subject, body_text, body_html, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind) DO UPDATE SET subject = excluded.subject, body_text = excluded.body_text,
             body_html = excluded.body_html, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        params![
            t.kind.as_str(),
            t.subject.as_str(),
            t.body_text.as_str(),
            t.body_html.as_str(),
            t.updated_at,
            t.updated_by.as_str()
        ],
    )?;
    Ok(())
}

/// Removes the kind's template (back to the default); false when there was none.
pub fn delete(tx: &mut Tx<'_>, kind: &str) -> Result<bool, StoreError> {
    Ok(tx.execute("DELETE FROM mail_templates WHERE kind = $1", params![kind])? == 1)
}
