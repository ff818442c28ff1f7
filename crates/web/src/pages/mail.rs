//! The secretariat's mail pages: templates per message kind (edit, preview, reset) and
//! messages to a body's mailing list (the number of recipients first, then confirm).

use super::{Empty, ShownError, shown, with_status};
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::AppError;
use plenary_app::mail::{BulkDraft, BulkOutcome, MailTemplate, TemplateInput, TemplatePreview};
use serde::Deserialize;

// ------------------------------------------------------------------- templates

struct KindRow {
    kind: &'static str,
    label: &'static str,
    edited: Option<String>,
}

#[derive(Template)]
#[template(path = "mail_templates.html")]
struct TemplatesPage {
    chrome: Chrome,
    kinds: Vec<KindRow>,
}

fn edited_text(t: &MailTemplate) -> Option<String> {
    t.edited
        .as_ref()
        .map(|(at, by)| format!("{} by {by}", super::utc(*at)))
}

pub async fn templates(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let list = state.run(move |app| app.mail_templates(&caller)).await?;
    Ok(render(&TemplatesPage {
        chrome: visitor.chrome(&state.app),
        kinds: list
            .iter()
            .map(|t| KindRow {
                kind: t.kind.kind,
                label: t.kind.label,
                edited: edited_text(t),
            })
            .collect(),
    }))
}

#[derive(Deserialize, Default, Clone)]
pub struct TemplateForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body_text: String,
    #[serde(default)]
    body_html: String,
    /// "preview" or "save".
    #[serde(default)]
    action: String,
}

impl TemplateForm {
    fn input(&self) -> TemplateInput {
        TemplateInput {
            subject: self.subject.clone(),
            body_text: self.body_text.clone(),
            body_html: self.body_html.clone(),
        }
    }
}

struct PlaceholderRow {
    name: String,
    description: &'static str,
}

#[derive(Template)]
#[template(path = "mail_template.html")]
struct TemplatePage {
    chrome: Chrome,
    kind: &'static str,
    label: &'static str,
    edited: Option<String>,
    placeholders: Vec<PlaceholderRow>,
    form: TemplateForm,
    errors: Vec<ShownError>,
    preview: Option<TemplatePreview>,
    notice: Option<&'static str>,
}

fn template_page(
    state: &AppState,
    visitor: &Visitor,
    template: &MailTemplate,
    form: Option<TemplateForm>,
    errors: Vec<ShownError>,
    preview: Option<TemplatePreview>,
    notice: Option<&'static str>,
) -> Response {
    render(&TemplatePage {
        chrome: visitor.chrome(&state.app),
        kind: template.kind.kind,
        label: template.kind.label,
        edited: edited_text(template),
        placeholders: template
            .kind
            .placeholders
            .iter()
            .map(|p| PlaceholderRow {
                name: format!("{{{{{}}}}}", p.name),
                description: p.description,
            })
            .collect(),
        form: form.unwrap_or_else(|| TemplateForm {
            subject: template.subject.clone(),
            body_text: template.body_text.clone(),
            body_html: template.body_html.clone(),
            action: String::new(),
        }),
        errors,
        preview,
        notice,
    })
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

async fn load_template(
    state: &AppState,
    visitor: &Visitor,
    kind: &str,
) -> Result<MailTemplate, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let kind = kind.to_owned();
    Ok(state
        .run(move |app| app.mail_template(&caller, &kind))
        .await?)
}

pub async fn template(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(kind): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let template = load_template(&state, &visitor, &kind).await?;
    let notice = match q.done.as_str() {
        "saved" => Some("Saved. New messages of this kind use this text."),
        "reset" => Some("Back to the built-in text."),
        _ => None,
    };
    Ok(template_page(
        &state,
        &visitor,
        &template,
        None,
        vec![],
        None,
        notice,
    ))
}

/// Saves, or with `action=preview` renders the typed text with sample values.
pub async fn save_template(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    submitted: CsrfForm<TemplateForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();
    let preview_only = form.action == "preview";
    let kind_name = kind.clone();
    let outcome = state
        .run(move |app| {
            if preview_only {
                app.preview_mail_template(&caller, &kind_name, &input)
                    .map(Some)
            } else {
                app.save_mail_template(&caller, &kind_name, &input)
                    .map(|_| None)
            }
        })
        .await;
    match outcome {
        Ok(None) => {
            Ok(Redirect::to(&format!("/admin/mail-templates/{kind}?done=saved")).into_response())
        }
        Ok(Some(preview)) => {
            let template = load_template(&state, &visitor, &kind).await?;
            Ok(template_page(
                &state,
                &visitor,
                &template,
                Some(form),
                vec![],
                Some(preview),
                None,
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let template = load_template(&state, &visitor, &kind).await?;
            let page = template_page(
                &state,
                &visitor,
                &template,
                Some(form),
                shown(&errors),
                None,
                None,
            );
            Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn reset_template(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let visitor = submitted.visitor;
    visitor.require_user()?;
    let caller = visitor.caller();
    let kind_name = kind.clone();
    state
        .run(move |app| app.reset_mail_template(&caller, &kind_name))
        .await?;
    Ok(Redirect::to(&format!("/admin/mail-templates/{kind}?done=reset")).into_response())
}

// ------------------------------------------------------------------- bulk mail

#[derive(Deserialize, Default, Clone)]
pub struct BulkForm {
    #[serde(default)]
    body_id: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    message: String,
    /// The count confirmed (on the send form).
    #[serde(default)]
    recipients: String,
}

impl BulkForm {
    fn draft(&self) -> Result<BulkDraft, AppError> {
        let body_id = super::bodies::optional_id("body", &self.body_id)?
            .ok_or_else(|| AppError::field("body", plenary_domain::Problem::Required))?;
        Ok(BulkDraft {
            body_id,
            subject: self.subject.clone(),
            message: self.message.clone(),
        })
    }
}

struct BodyOption {
    id: String,
    label: String,
}

#[derive(Template)]
#[template(path = "mail_bulk.html")]
struct BulkPage {
    chrome: Chrome,
    bodies: Vec<BodyOption>,
    form: BulkForm,
    errors: Vec<ShownError>,
    notice: Option<String>,
    /// After a preview: the body's name and how many people the message goes to.
    preview: Option<(String, usize)>,
    /// The list changed between the preview and the confirmation.
    changed: bool,
}

#[derive(Deserialize, Default)]
pub struct BulkQuery {
    #[serde(default)]
    body: String,
    #[serde(default)]
    sent: Option<usize>,
}

#[allow(clippy::too_many_arguments)]
async fn bulk_page(
    state: &AppState,
    visitor: &Visitor,
    form: BulkForm,
    errors: Vec<ShownError>,
    notice: Option<String>,
    preview: Option<(String, usize)>,
    changed: bool,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let bodies = state.run(move |app| app.mail_bodies(&caller)).await?;
    Ok(render(&BulkPage {
        chrome: visitor.chrome(&state.app),
        bodies: bodies
            .into_iter()
            .map(|b| BodyOption {
                id: b.id.to_string(),
                label: format!("{} — {}", b.short_name, b.name),
            })
            .collect(),
        form,
        errors,
        notice,
        preview,
        changed,
    }))
}

pub async fn bulk(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<BulkQuery>,
) -> Result<Response, PageError> {
    let form = BulkForm {
        body_id: q.body,
        ..Default::default()
    };
    let notice = q
        .sent
        .map(|n| format!("{n} message(s) are in the outbox and go out in the next minutes."));
    bulk_page(&state, &visitor, form, vec![], notice, None, false).await
}

/// Shows how many people the draft goes to, with the button that sends it.
pub async fn bulk_preview(
    State(state): State<AppState>,
    submitted: CsrfForm<BulkForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, mut form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let draft = form.draft();
    let outcome = state
        .run(move |app| app.preview_bulk_mail(&caller, &draft?))
        .await;
    match outcome {
        Ok(p) => {
            form.recipients = p.recipients.to_string();
            let preview = Some((p.body.name, p.recipients));
            bulk_page(&state, &visitor, form, vec![], None, preview, false).await
        }
        Err(AppError::Invalid(errors)) => {
            let page = bulk_page(&state, &visitor, form, shown(&errors), None, None, false).await?;
            Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(other) => Err(other.into()),
    }
}

/// Queues the message for the count shown, or shows the new count when the list
/// changed meanwhile.
pub async fn bulk_send(
    State(state): State<AppState>,
    submitted: CsrfForm<BulkForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, mut form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let draft = form.draft();
    let expected = form.recipients.trim().parse::<usize>().map_err(|_| {
        AppError::field(
            "recipients",
            plenary_domain::Problem::Invalid("preview the message first"),
        )
    });
    let outcome = state
        .run(move |app| {
            let draft = draft?;
            let expected = expected?;
            let body = app.preview_bulk_mail(&caller, &draft)?.body.name;
            app.send_bulk_mail(&caller, &draft, expected)
                .map(|outcome| (body, outcome))
        })
        .await;
    match outcome {
        Ok((_, BulkOutcome::Queued { recipients })) => Ok(Redirect::to(&format!(
            "/admin/mail?body={}&sent={recipients}",
            form.body_id.trim()
        ))
        .into_response()),
        Ok((body, BulkOutcome::CountChanged { recipients })) => {
            form.recipients = recipients.to_string();
            let page = bulk_page(
                &state,
                &visitor,
                form,
                vec![],
                None,
                Some((body, recipients)),
                true,
            )
            .await?;
            Ok(with_status(page, StatusCode::CONFLICT))
        }
        Err(AppError::Invalid(errors)) => {
            let page = bulk_page(&state, &visitor, form, shown(&errors), None, None, false).await?;
            Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(other) => Err(other.into()),
    }
}

// ------------------------------------------------------------------ the outbox

struct OutboxRow {
    id: i64,
    kind: String,
    recipient: String,
    subject: String,
    status: String,
    attempts: i64,
    created: String,
    when: String,
    last_error: String,
}

#[derive(Template)]
#[template(path = "admin_outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    counts: Vec<(String, i64)>,
    oldest_queued: Option<String>,
    rows: Vec<OutboxRow>,
    status: String,
    total: i64,
    page: i64,
    pages: i64,
}

#[derive(Deserialize, Default)]
pub struct OutboxQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: String,
}

/// The outbox: what waits, what went out, what failed (and why), with a retry.
pub async fn outbox(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<OutboxQuery>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let status = q.status.clone();
    let o = state
        .run(move |app| app.outbox_status(&caller, &status, q.page.unwrap_or(1)))
        .await?;
    let utc = super::utc;
    Ok(render(&OutboxPage {
        chrome: visitor.chrome(&state.app),
        notice: (q.done == "retried").then_some("The message is queued again."),
        counts: o.counts.clone(),
        oldest_queued: o.oldest_queued.map(utc),
        rows: o
            .messages
            .iter()
            .map(|m| OutboxRow {
                id: m.id,
                kind: m.kind.clone(),
                recipient: m.recipient.clone(),
                subject: m.subject.clone(),
                status: m.status.clone(),
                attempts: m.attempts,
                created: utc(m.created_at),
                when: match m.status.as_str() {
                    "queued" => format!("next attempt {}", utc(m.next_attempt_at)),
                    _ => m.sent_at.map(utc).unwrap_or_default(),
                },
                last_error: m.last_error.clone().unwrap_or_default(),
            })
            .collect(),
        status: q.status,
        total: o.total,
        page: o.page,
        pages: o.pages,
    }))
}

pub async fn retry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    state.run(move |app| app.retry_message(&caller, id)).await?;
    Ok(Redirect::to("/admin/outbox?status=failed&done=retried").into_response())
}
