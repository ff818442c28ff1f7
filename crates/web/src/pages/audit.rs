use super::utc;
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, Visitor};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use plenary_app::AuditFilter;
use plenary_domain::{FieldError, Problem, UserId};
use serde::Deserialize;

/// The audit filter as typed in the form (strings, so the form can be re-shown).
#[derive(Deserialize, Default, Clone)]
pub struct FilterForm {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub target_kind: String,
    #[serde(default)]
    pub target_id: String,
    #[serde(default)]
    pub before: String,
    /// "true" to list sign-ins and sign-outs too (they are left out unless asked for,
    /// or unless the action filter names them).
    #[serde(default)]
    pub sessions: String,
}

fn non_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl FilterForm {
    /// The store filter, or an error naming the field that is not understood.
    pub fn to_filter(&self) -> Result<AuditFilter, FieldError> {
        let number = |field: &'static str, raw: &str| -> Result<Option<i64>, FieldError> {
            non_empty(raw)
                .map(|v| {
                    v.parse().map_err(|_| {
                        FieldError::new(field, Problem::Invalid("a whole number is expected"))
                    })
                })
                .transpose()
        };
        Ok(AuditFilter {
            actor_user_id: number("actor", &self.actor)?.map(UserId),
            action_prefix: non_empty(&self.action),
            target_kind: non_empty(&self.target_kind),
            target_id: non_empty(&self.target_id),
            before_id: number("before", &self.before)?,
            without_sessions: self.sessions != "true" && !self.action.trim().starts_with("session"),
        })
    }

    fn query_prefix(&self) -> String {
        let pairs = [
            ("action", &self.action),
            ("actor", &self.actor),
            ("target_kind", &self.target_kind),
            ("target_id", &self.target_id),
            ("sessions", &self.sessions),
        ];
        let kept: Vec<(&str, &String)> = pairs
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        let encoded = serde_urlencoded::to_string(kept).unwrap_or_default();
        if encoded.is_empty() {
            encoded
        } else {
            format!("{encoded}&")
        }
    }
}

struct EntryRow {
    at: String,
    actor: String,
    action: String,
    target: String,
    detail: String,
    client_ip: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    filter: FilterForm,
    filter_query: String,
    entries: Vec<EntryRow>,
    older: Option<i64>,
    problem: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(form): Query<FilterForm>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let (filter, problem) = match form.to_filter() {
        Ok(f) => (f, None),
        Err(e) => (
            AuditFilter {
                before_id: Some(0),
                ..Default::default()
            },
            Some(e.to_string()),
        ),
    };
    let caller = visitor.caller();
    let entries = state
        .run(move |app| app.audit_log(&caller, &filter))
        .await?;
    let full_page = entries.len() as i64 >= plenary_app::AUDIT_PAGE_SIZE;
    let older = entries.last().filter(|_| full_page).map(|e| e.id);
    let rows = entries
        .into_iter()
        .map(|e| EntryRow {
            at: utc(e.at),
            actor: e.actor,
            action: e.action,
            target: format!("{} {}", e.target_kind, e.target_id.unwrap_or_default()),
            detail: e.detail,
            client_ip: e.client_ip.unwrap_or_default(),
        })
        .collect();
    Ok(render(&AuditPage {
        chrome: visitor.chrome(&state.app),
        filter_query: form.query_prefix(),
        filter: form,
        entries: rows,
        older,
        problem,
    }))
}
