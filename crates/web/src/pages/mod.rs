//! HTML pages, one module per area, handlers named after what they do.

pub mod account;
pub mod actions;
pub mod admin_users;
pub mod assets;
pub mod audit;
pub mod badges;
pub mod bodies;
pub mod calendars;
pub mod calls;
pub mod calls_admin;
pub mod confirm;
pub mod documents;
pub mod events_admin;
pub mod health;
pub mod history;
pub mod home;
pub mod imports;
pub mod invitations;
pub mod mail;
pub mod meeting_view;
pub mod meetings;
pub mod organizations;
pub mod password_reset;
pub mod people;
pub mod profile;
pub mod programme_admin;
pub mod programme_public;
pub mod programme_release;
pub mod registration;
pub mod registration_export;
pub mod reviews;
pub mod session_speakers;
pub mod sign_in;
pub mod sign_up;
pub mod summary;
pub mod visa;

use chrono::{DateTime, Utc};

/// A form with no fields but the CSRF token (checked by `CsrfForm`).
#[derive(serde::Deserialize)]
pub struct Empty {}

/// The same response with another status (a form re-shown with its errors).
pub(crate) fn with_status(
    mut response: axum::response::Response,
    status: axum::http::StatusCode,
) -> axum::response::Response {
    *response.status_mut() = status;
    response
}

/// An instant for tables, labelled by the column header as UTC.
pub(crate) fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// A field error for templates: which field, and the message to show.
#[derive(Clone)]
pub(crate) struct ShownError {
    pub field: &'static str,
    pub message: String,
}

pub(crate) fn shown(errors: &[plenary_domain::FieldError]) -> Vec<ShownError> {
    errors
        .iter()
        .map(|e| ShownError {
            field: e.field,
            message: format!("{} {}", field_label(e.field), e.problem),
        })
        .collect()
}

fn field_label(field: &str) -> &str {
    match field {
        "email" => "The e-mail address",
        "password" | "new_password" => "The password",
        "current_password" => "The current password",
        "display_name" => "The name",
        "name" => "The name",
        "role" => "The role",
        "scope" => "The scope",
        "family_name" => "The family name",
        "given_name" => "The given name",
        "organization_id" => "The organization",
        "stakeholder_group" => "The stakeholder group",
        "country" => "The country",
        "gender" => "The gender",
        "time_zone" => "The time zone",
        "language" => "The language",
        "short_name" => "The short name",
        "kind" => "The kind",
        "parent_id" => "The parent body",
        "mandate" => "The mandate",
        "person_id" => "The person",
        "starts_on" => "The start date",
        "ends_on" => "The end date",
        "liaison_body_id" => "The liaison body",
        "title" => "The title",
        "subject" => "The subject",
        "body_text" => "The plain text",
        "body_html" => "The HTML text",
        "message" => "The message",
        "recipients" => "The number of recipients",
        "mode" => "The mode",
        "venue" => "The venue",
        "starts_time" => "The start time",
        "ends_time" => "The end time",
        "day" => "The date",
        "day_id" => "The day",
        "starts" => "The start",
        "ends" => "The end",
        "room_id" => "The room",
        "role_group" => "The role group",
        "role_groups" => "The role groups",
        "status" => "The status",
        "number" => "The number",
        "interventions" => "The interventions",
        "file" => "The file",
        "owner" => "The owner",
        "due_on" => "The due date",
        "text" => "The text",
        "state" => "The minutes' state",
        "body" => "The body",
        "meeting" => "The meeting",
        "item_id" => "The agenda item",
        "category_id" => "The category",
        "organization" => "The organization",
        "capacity" => "The capacity",
        "key" => "The key",
        "label" => "The question",
        "options" => "The choices",
        "answers" => "An answer",
        "reason" => "The reason",
        "code" => "The badge code",
        "starts_at" => "The start",
        "ends_at" => "The end",
        "registration_opens_at" => "The opening of registration",
        "registration_closes_at" => "The close of registration",
        "changes_until" => "The deadline for changes",
        "visa_retention_days" => "The retention period",
        "given_names" => "The given names",
        "nationality" => "The nationality",
        "date_of_birth" => "The date of birth",
        "passport_number" => "The passport number",
        "issued_on" => "The date of issue",
        "expires_on" => "The date of expiry",
        "issued_by" => "The issuing authority",
        "consulate" => "The embassy or consulate",
        "arrival_on" => "The arrival",
        "departure_on" => "The departure",
        "version" => "The version",
        "comment" => "The change log",
        other => other,
    }
}

/// `?done=…`: what a form that redirected back has done, for the page's notice.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub(crate) done: String,
}

/// An invitation as listed where it was made (a call's pool, a body's members).
pub(crate) struct InvitationRow {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub invited_by: String,
    pub sent: String,
    pub state: &'static str,
    pub pending: bool,
    pub accepted_by: String,
}

impl From<&plenary_app::InvitationLine> for InvitationRow {
    fn from(i: &plenary_app::InvitationLine) -> Self {
        InvitationRow {
            id: i.id,
            email: i.email.clone(),
            role: i.role.clone(),
            invited_by: i.invited_by.clone().unwrap_or_default(),
            sent: utc(i.created_at),
            state: i.state.label(),
            pending: i.state == plenary_app::InvitationState::Pending,
            accepted_by: i.accepted_by.clone().unwrap_or_default(),
        }
    }
}
