//! The access matrix: every route × every kind of visitor, with the expected outcome.
//! A route missing from the table fails the test, so each new route must be added.

use crate::support::{Client, PASSWORD, Response, TestApp};
use axum::http::{Method, StatusCode};
use plenary_domain::Role;
use serde_json::json;
use std::collections::BTreeSet;

/// What a visitor gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Past the access check (2xx, 3xx other than to sign-in, or 404/409/410/422 from
    /// the use case itself).
    Ok,
    /// A page sends the visitor to sign in.
    SignIn,
    /// The API answers 401.
    Unauthorized,
    /// 403.
    Denied,
}
use Outcome::{Denied, Ok, SignIn, Unauthorized};

/// (method, route pattern, concrete path, [anonymous, registrant, member, chair of the
/// fixture body, secretariat]). `{user}`, `{token}`, `{body}`, `{person}`,
/// `{organization}` and `{membership}` in the path are replaced by fixture ids.
#[rustfmt::skip]
const MATRIX: &[(&str, &str, &str, [Outcome; 5])] = &[
    ("GET", "/", "/", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/healthz", "/healthz", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/static/style.css", "/static/style.css", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/static/favicon.svg", "/static/favicon.svg", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/favicon.ico", "/favicon.ico", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/sign-in", "/sign-in", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/sign-in", "/sign-in", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/sign-out", "/sign-out", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/password-reset", "/password-reset", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/password-reset", "/password-reset", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/password-reset/{token}", "/password-reset/0123", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/password-reset/{token}", "/password-reset/0123", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/sign-up", "/sign-up", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/sign-up", "/sign-up", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/sign-up/{token}", "/sign-up/0123", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/sign-up/{token}", "/sign-up/0123", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/invitations/{token}", "/invitations/0123", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/invitations/{token}", "/invitations/0123", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/account", "/account", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/account/password", "/account/password", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/account/time-zone", "/account/time-zone", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/account/profile", "/account/profile", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/account/profile", "/account/profile", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/account/sign-out-everywhere", "/account/sign-out-everywhere", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/account/tokens", "/account/tokens", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/account/tokens/{id}/revoke", "/account/tokens/{token}/revoke", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/admin/users", "/admin/users", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/users", "/admin/users", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/users/{id}", "/admin/users/{user}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/users/{id}/grants", "/admin/users/{user}/grants", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/users/{id}/grants/remove", "/admin/users/{user}/grants/remove", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/users/{id}/disable", "/admin/users/{user}/disable", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/users/{id}/enable", "/admin/users/{user}/enable", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/audit", "/admin/audit", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/import", "/admin/import", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/import/preview", "/admin/import/preview", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/import", "/admin/import", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/imports/preview", "/api/v1/imports/preview?file_name=a.txt", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/imports", "/api/v1/imports?file_name=a.txt", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/me", "/api/v1/me", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/me/profile", "/api/v1/me/profile", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/me/profile", "/api/v1/me/profile", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/me/tokens", "/api/v1/me/tokens", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/me/tokens", "/api/v1/me/tokens", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("DELETE", "/api/v1/me/tokens/{id}", "/api/v1/me/tokens/{token}", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/users", "/api/v1/users", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/users", "/api/v1/users", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/users/{id}", "/api/v1/users/{user}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("PATCH", "/api/v1/users/{id}", "/api/v1/users/{user}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/users/{id}/grants", "/api/v1/users/{user}/grants", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/users/{id}/grants/{role}/{scope}", "/api/v1/users/{user}/grants/member/global", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/audit", "/api/v1/audit", [Unauthorized, Denied, Denied, Denied, Ok]),
    // Mail: templates and messages to mailing lists are the secretariat's.
    ("GET", "/admin/mail-templates", "/admin/mail-templates", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/mail-templates/{kind}", "/admin/mail-templates/bulk", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/mail-templates/{kind}", "/admin/mail-templates/bulk", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/mail-templates/{kind}/reset", "/admin/mail-templates/bulk/reset", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/mail", "/admin/mail", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/mail/preview", "/admin/mail/preview", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/mail/send", "/admin/mail/send", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/outbox", "/admin/outbox?status=queued", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/outbox/{id}/retry", "/admin/outbox/1/retry", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/outbox", "/api/v1/outbox", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/outbox/{id}/retry", "/api/v1/outbox/1/retry", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/mail-templates", "/api/v1/mail-templates", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/mail-templates/{kind}", "/api/v1/mail-templates/bulk", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("PUT", "/api/v1/mail-templates/{kind}", "/api/v1/mail-templates/bulk", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/mail-templates/{kind}", "/api/v1/mail-templates/bulk", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/bodies/{id}/mailings/preview", "/api/v1/bodies/{body}/mailings/preview", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/bodies/{id}/mailings", "/api/v1/bodies/{body}/mailings", [Unauthorized, Denied, Denied, Denied, Ok]),
    // The directory: bodies are public; a chair manages the memberships of their body.
    ("GET", "/bodies", "/bodies", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/bodies", "/bodies", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/bodies/{id}", "/bodies/{body}", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/bodies/{id}", "/bodies/{body}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/bodies/{id}/memberships", "/bodies/{body}/memberships", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/bodies/{id}/invitations", "/bodies/{body}/invitations", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/bodies/{id}/invitations/{invitation}/revoke", "/bodies/{body}/invitations/999999/revoke", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/bodies/{id}/subscription", "/bodies/{body}/subscription", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/memberships/{id}/end", "/memberships/{membership}/end", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/admin/organizations", "/admin/organizations", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/organizations", "/admin/organizations", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/organizations/{id}", "/admin/organizations/{organization}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/organizations/{id}", "/admin/organizations/{organization}", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/people", "/admin/people", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/people", "/admin/people", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/people/{id}", "/admin/people/{person}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/people/{id}", "/admin/people/{person}", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/organizations", "/api/v1/organizations", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/organizations", "/api/v1/organizations", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/organizations/{id}", "/api/v1/organizations/{organization}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("PUT", "/api/v1/organizations/{id}", "/api/v1/organizations/{organization}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/organizations/{id}", "/api/v1/organizations/{organization}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/people", "/api/v1/people", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/people", "/api/v1/people", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/people/{id}", "/api/v1/people/{person}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("PUT", "/api/v1/people/{id}", "/api/v1/people/{person}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/people/{id}", "/api/v1/people/{person}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/bodies", "/api/v1/bodies", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/bodies", "/api/v1/bodies", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/bodies/{id}", "/api/v1/bodies/{body}", [Ok, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/bodies/{id}", "/api/v1/bodies/{body}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/bodies/{id}", "/api/v1/bodies/{body}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/bodies/{id}/invitations", "/api/v1/bodies/{body}/invitations", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/bodies/{id}/invitations", "/api/v1/bodies/{body}/invitations", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/bodies/{id}/invitations/{invitation}/revoke", "/api/v1/bodies/{body}/invitations/999999/revoke", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/invitations/accept", "/api/v1/invitations/accept", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/sign-up", "/api/v1/sign-up", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/sign-up/{token}", "/api/v1/sign-up/0123", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/bodies/{id}/memberships", "/api/v1/bodies/{body}/memberships", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/memberships/{id}/end", "/api/v1/memberships/{membership}/end", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("GET", "/api/v1/bodies/{id}/subscriptions", "/api/v1/bodies/{body}/subscriptions", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/bodies/{id}/subscriptions", "/api/v1/bodies/{body}/subscriptions", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("DELETE", "/api/v1/bodies/{id}/subscriptions/{person}", "/api/v1/bodies/{body}/subscriptions/{person}", [Unauthorized, Denied, Denied, Ok, Ok]),
    // Meetings: public when published; a chair prepares the meetings of their body.
    ("POST", "/meetings", "/meetings", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/meetings/{id}", "/meetings/{meeting}", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/meetings/{id}/edit", "/meetings/{meeting}/edit", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/meetings/{id}/calendar.ics", "/meetings/{meeting}/calendar.ics", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/bodies/{id}/calendar.ics", "/bodies/{body}/calendar.ics", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/meetings/{id}/rooms", "/meetings/{meeting}/rooms", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/days", "/meetings/{meeting}/days", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/meetings/{id}/days/{day}/edit", "/meetings/{meeting}/days/{day}/edit", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/days/{day}", "/meetings/{meeting}/days/{day}", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/items", "/meetings/{meeting}/items", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}", "/meetings/{meeting}", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/meetings/{id}/items/{item}/edit", "/meetings/{meeting}/items/{item}/edit", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/items/{item}", "/meetings/{meeting}/items/{item}", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/items/{item}/move", "/meetings/{meeting}/items/{item}/move", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/attendees", "/meetings/{meeting}/attendees", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/role-groups", "/meetings/{meeting}/role-groups", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/api/v1/meetings", "/api/v1/meetings", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/meetings", "/api/v1/meetings", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("GET", "/api/v1/meetings/{id}", "/api/v1/meetings/{meeting}", [Ok, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/meetings/{id}", "/api/v1/meetings/{meeting}", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/meetings/{id}/rooms", "/api/v1/meetings/{meeting}/rooms", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("PUT", "/api/v1/meetings/{id}/rooms/{room}", "/api/v1/meetings/{meeting}/rooms/1", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("DELETE", "/api/v1/meetings/{id}/rooms/{room}", "/api/v1/meetings/{meeting}/rooms/999", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/meetings/{id}/days", "/api/v1/meetings/{meeting}/days", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("PUT", "/api/v1/meetings/{id}/days/{day}", "/api/v1/meetings/{meeting}/days/{day}", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/meetings/{id}/items", "/api/v1/meetings/{meeting}/items", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("PUT", "/api/v1/meetings/{id}/items/{item}", "/api/v1/meetings/{meeting}/items/{item}", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/meetings/{id}/items/{item}/move", "/api/v1/meetings/{meeting}/items/{item}/move", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("PUT", "/api/v1/meetings/{id}/attendees/{person}", "/api/v1/meetings/{meeting}/attendees/{person}", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("PUT", "/api/v1/meetings/{id}/role-groups", "/api/v1/meetings/{meeting}/role-groups", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("GET", "/api/v1/meetings/{id}/documents", "/api/v1/meetings/{meeting}/documents", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/meetings/{id}/documents", "/api/v1/meetings/{meeting}/documents?filename=a.txt", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/documents", "/meetings/{meeting}/documents", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/documents/{id}", "/documents/{document}", [Ok, Ok, Ok, Ok, Ok]),
    // Minutes and action items.
    ("POST", "/meetings/{id}/items/{item}/note", "/meetings/{meeting}/items/{item}/note", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/meetings/{id}/items/{item}/history", "/meetings/{meeting}/items/{item}/history", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/minutes/state", "/meetings/{meeting}/minutes/state", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/actions", "/meetings/{meeting}/actions", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/actions", "/actions", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/meetings/{id}/summary", "/meetings/{meeting}/summary", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/meetings/{id}/summary.md", "/meetings/{meeting}/summary.md", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/meetings/{id}/summary.pdf", "/meetings/{meeting}/summary.pdf", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/meetings/{id}/summary.txt", "/meetings/{meeting}/summary.txt", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/meetings/{id}/carry-over", "/meetings/{meeting}/carry-over", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/api/v1/meetings/{id}/summary", "/api/v1/meetings/{meeting}/summary", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/meetings/{id}/carry-over", "/api/v1/meetings/{meeting}/carry-over", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/actions/{id}/status", "/actions/{action}/status", [SignIn, Denied, Denied, Ok, Ok]),
    ("POST", "/actions/{id}/follow-ups", "/actions/{action}/follow-ups", [SignIn, Denied, Denied, Ok, Ok]),
    ("GET", "/api/v1/meetings/{id}/minutes", "/api/v1/meetings/{meeting}/minutes", [Ok, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/meetings/{id}/items/{item}/note", "/api/v1/meetings/{meeting}/items/{item}/note", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("GET", "/api/v1/meetings/{id}/items/{item}/note/revisions", "/api/v1/meetings/{meeting}/items/{item}/note/revisions", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("PUT", "/api/v1/meetings/{id}/minutes/state", "/api/v1/meetings/{meeting}/minutes/state", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/meetings/{id}/actions", "/api/v1/meetings/{meeting}/actions", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("GET", "/api/v1/actions", "/api/v1/actions", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/actions/{id}/status", "/api/v1/actions/{action}/status", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/actions/{id}/follow-ups", "/api/v1/actions/{action}/follow-ups", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/api/v1/actions/{id}/move", "/api/v1/actions/{action}/move", [Unauthorized, Denied, Denied, Ok, Ok]),
    // Events and registration: anyone registers; a registrant manages theirs through the
    // secret link; the secretariat sets up, moderates and checks in.
    ("GET", "/events", "/events", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/events/{id}", "/events/{event}", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/events/{id}/register", "/events/{event}/register", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/events/{id}/registrations/resend", "/events/{event}/registrations/resend", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/events/{id}/participants", "/events/{event}/participants", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/registrations/{token}", "/registrations/{reg_token}", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/registrations/{token}/badge.pdf", "/registrations/{reg_token}/badge.pdf", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/registrations/{token}", "/registrations/{reg_token}", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/account/registrations", "/account/registrations", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/account/registrations/{id}", "/account/registrations/{registration}", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/account/registrations/{id}", "/account/registrations/{registration}", [SignIn, Ok, Ok, Ok, Ok]),
    // A badge by id: its owner's or the secretariat's (another account's is a 404).
    ("GET", "/account/registrations/{id}/badge.pdf", "/account/registrations/{registration}/badge.pdf", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/registrations/{id}/badge", "/api/v1/registrations/{registration}/badge", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("GET", "/admin/events", "/admin/events", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events", "/admin/events", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}", "/admin/events/{event}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}", "/admin/events/{event}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/links", "/admin/events/{event}/links", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/categories", "/admin/events/{event}/categories", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/categories/{category}", "/admin/events/{event}/categories/{category}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/questions", "/admin/events/{event}/questions", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/registrations", "/admin/events/{event}/registrations?q=first&status=confirmed", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/registrations.csv", "/admin/events/{event}/registrations.csv?q=first&status=confirmed", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/registrations.xlsx", "/admin/events/{event}/registrations.xlsx?category_id={category}", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/registrations/{id}", "/admin/registrations/{registration}", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/registrations/{id}/badge.pdf", "/admin/registrations/{registration}/badge.pdf", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/registrations/{id}/approve", "/admin/registrations/{registration}/approve", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/check-in", "/check-in", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/check-in", "/check-in?code=ABCD2345", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/check-in", "/check-in", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events", "/api/v1/events", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/events", "/api/v1/events", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}", "/api/v1/events/{event}", [Ok, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/events/{id}", "/api/v1/events/{event}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/categories", "/api/v1/events/{event}/categories", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("PUT", "/api/v1/events/{id}/categories/{category}", "/api/v1/events/{event}/categories/{category}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/questions", "/api/v1/events/{event}/questions", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/registrations", "/api/v1/events/{event}/registrations", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/events/{id}/registrations", "/api/v1/events/{event}/registrations?q=first", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}/registrations/export", "/api/v1/events/{event}/registrations/export?format=xlsx&q=first", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}/participants", "/api/v1/events/{event}/participants", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/registrations/{id}", "/api/v1/registrations/{registration}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/registrations/{id}/approve", "/api/v1/registrations/{registration}/approve", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/registration-links/{token}", "/api/v1/registration-links/{reg_token}", [Ok, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/registration-links/{token}", "/api/v1/registration-links/{reg_token}", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/check-ins", "/api/v1/check-ins", [Unauthorized, Denied, Denied, Denied, Ok]),
    // Visa letters: the registrant asks through the link or their account (another
    // account's registration is a 404); passport details are the secretariat's alone.
    ("GET", "/registrations/{token}/visa", "/registrations/{reg_token}/visa", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/registrations/{token}/visa", "/registrations/{reg_token}/visa", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/registrations/{token}/visa-letter.pdf", "/registrations/{reg_token}/visa-letter.pdf", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/account/registrations/{id}/visa", "/account/registrations/{registration}/visa", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/account/registrations/{id}/visa", "/account/registrations/{registration}/visa", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/account/registrations/{id}/visa-letter.pdf", "/account/registrations/{registration}/visa-letter.pdf", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/registration-links/{token}/visa", "/api/v1/registration-links/{reg_token}/visa", [Ok, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/registration-links/{token}/visa", "/api/v1/registration-links/{reg_token}/visa", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/registration-links/{token}/visa/letter", "/api/v1/registration-links/{reg_token}/visa/letter", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/admin/events/{id}/visa-requests", "/admin/events/{event}/visa-requests?status=requested", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/visa-requests/{id}", "/admin/visa-requests/{registration}", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}/visa-requests", "/api/v1/events/{event}/visa-requests", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/visa-requests.csv", "/admin/events/{event}/visa-requests.csv", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/visa-requests.xlsx", "/admin/events/{event}/visa-requests.xlsx", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}/visa-requests/export", "/api/v1/events/{event}/visa-requests/export?format=csv", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/visa-requests/{id}", "/api/v1/visa-requests/{registration}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/visa-requests/{id}/issue", "/admin/visa-requests/{registration}/issue", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/visa-requests/{id}/issue", "/api/v1/visa-requests/{registration}/issue", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/visa-requests/{id}/refuse", "/admin/visa-requests/{registration}/refuse", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/visa-requests/{id}/refuse", "/api/v1/visa-requests/{registration}/refuse", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/visa-requests/{id}/letter.pdf", "/admin/visa-requests/{registration}/letter.pdf", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/visa-requests/{id}/letter", "/api/v1/visa-requests/{registration}/letter", [Unauthorized, Denied, Denied, Denied, Ok]),
    // Calls, submissions and review (API): calls are public; proposers, pool members
    // and reviewers act on their own (others get 404); the rest is the secretariat's.
    ("GET", "/api/v1/calls", "/api/v1/calls", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/calls", "/api/v1/calls", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/calls/{id}", "/api/v1/calls/{api_call}", [Ok, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/calls/{id}", "/api/v1/calls/{api_call}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/calls/{id}/invitations", "/api/v1/calls/{api_call}/invitations", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/calls/{id}/invitations", "/api/v1/calls/{api_call}/invitations", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/calls/{id}/invitations/{invitation}/revoke", "/api/v1/calls/{api_call}/invitations/999999/revoke", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/calls/{id}/questions", "/api/v1/calls/{api_call}/questions", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/calls/{id}/questions/{question}", "/api/v1/calls/{api_call}/questions/{api_call_question}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/calls/{id}/submissions", "/api/v1/calls/{api_call}/submissions", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/me/submissions", "/api/v1/me/submissions", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/submissions/{id}", "/api/v1/submissions/{api_submission}", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/submissions/{id}", "/api/v1/submissions/{api_submission}", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/submissions/{id}/submit", "/api/v1/submissions/{api_submission}/submit", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/submissions/{id}/withdraw", "/api/v1/submissions/{api_submission}/withdraw", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/submissions/{id}/co-proposers", "/api/v1/submissions/{api_submission}/co-proposers", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("DELETE", "/api/v1/submissions/{id}/co-proposers/{user}", "/api/v1/submissions/{api_submission}/co-proposers/{user}", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/submissions/{id}/files/{key}", "/api/v1/submissions/{api_submission}/files/concept_note?filename=a.pdf", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/submissions/{id}/files/{key}", "/api/v1/submissions/{api_submission}/files/concept_note", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/calls/{id}/reviewers", "/api/v1/calls/{api_call}/reviewers", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/calls/{id}/reviewers", "/api/v1/calls/{api_call}/reviewers", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/calls/{id}/bids", "/api/v1/calls/{api_call}/bids", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/submissions/{id}/bid", "/api/v1/submissions/{api_submission}/bid", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/submissions/{id}/conflicts", "/api/v1/submissions/{api_submission}/conflicts", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/calls/{id}/assignment", "/api/v1/calls/{api_call}/assignment", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/submissions/{id}/reviewers", "/api/v1/submissions/{api_submission}/reviewers", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/submissions/{id}/reviewers/{user}", "/api/v1/submissions/{api_submission}/reviewers/{api_call_reviewer}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/me/assignments", "/api/v1/me/assignments", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("PUT", "/api/v1/submissions/{id}/review", "/api/v1/submissions/{api_submission}/review", [Unauthorized, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/calls/{id}/committee", "/api/v1/calls/{api_call}/committee", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/submissions/{id}/decision", "/api/v1/submissions/{api_submission}/decision", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/calls/{id}/publish", "/api/v1/calls/{api_call}/publish", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/calls/{id}/selected", "/api/v1/calls/{api_call}/selected", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/api/v1/calls/{id}/balance", "/api/v1/calls/{api_call}/balance", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/calls/{id}/reviewers/{user}", "/api/v1/calls/{api_call}/reviewers/{api_call_reviewer}", [Unauthorized, Denied, Denied, Denied, Ok]),
    // Calls (pages): the secretariat sets up, assigns and decides; reviewers act on
    // their own assignments, bids and conflicts (others get 404).
    ("GET", "/admin/calls", "/admin/calls", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/calls/new", "/admin/calls/new", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls", "/admin/calls", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/calls/{id}", "/admin/calls/{committee_call}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls/{id}", "/admin/calls/{committee_call}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls/{id}/questions", "/admin/calls/{committee_call}/questions", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls/{id}/questions/{question}/delete", "/admin/calls/{committee_call}/questions/{committee_question}/delete", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls/{id}/reviewers", "/admin/calls/{committee_call}/reviewers", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls/{id}/invitations", "/admin/calls/{committee_call}/invitations", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls/{id}/invitations/{invitation}/revoke", "/admin/calls/{committee_call}/invitations/999999/revoke", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls/{id}/reviewers/{user}/remove", "/admin/calls/{committee_call}/reviewers/{user}/remove", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls/{id}/assign", "/admin/calls/{committee_call}/assign", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/calls/{id}/committee", "/admin/calls/{committee_call}/committee?sort=title&dir=asc", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/calls/{id}/diversity", "/admin/calls/{committee_call}/diversity", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/calls/{id}/publish", "/admin/calls/{committee_call}/publish", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/submissions/{id}/decide", "/admin/submissions/{committee_submission}/decide", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/submissions/{id}/assign", "/admin/submissions/{committee_submission}/assign", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/submissions/{id}/unassign/{user}", "/admin/submissions/{committee_submission}/unassign/{user}", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/reviews", "/reviews", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/calls/{id}/bids", "/calls/{committee_call}/bids", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/submissions/{id}/bid", "/submissions/{committee_submission}/bid", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/submissions/{id}/conflict", "/submissions/{committee_submission}/conflict", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/submissions/{id}/review", "/submissions/{committee_submission}/review", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/submissions/{id}/review", "/submissions/{committee_submission}/review", [SignIn, Ok, Ok, Ok, Ok]),
    // Calls for the public and proposers (pages): calls and the published selection
    // are public (404 until published); a submission is its proposers' (others 404).
    ("GET", "/calls", "/calls", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/calls/{id}", "/calls/{pub_call}", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/calls/{id}/selected", "/calls/{pub_call}/selected", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/calls/{id}/submissions/new", "/calls/{pub_call}/submissions/new", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/calls/{id}/submissions", "/calls/{pub_call}/submissions", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/account/submissions", "/account/submissions", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/submissions/{id}", "/submissions/{pub_submission}", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/submissions/{id}/edit", "/submissions/{pub_submission}/edit", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/submissions/{id}", "/submissions/{pub_submission}", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/submissions/{id}/submit", "/submissions/{pub_submission}/submit", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/submissions/{id}/co-proposers", "/submissions/{pub_submission}/co-proposers", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/submissions/{id}/co-proposers/{user}/remove", "/submissions/{pub_submission}/co-proposers/{user}/remove", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/submissions/{id}/files/{key}", "/submissions/{pub_submission}/files/plan", [SignIn, Ok, Ok, Ok, Ok]),
    ("GET", "/submissions/{id}/files/{key}", "/submissions/{pub_submission}/files/plan", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/submissions/{id}/withdraw", "/submissions/{pub_submission}/withdraw", [SignIn, Ok, Ok, Ok, Ok]),
    // The programme (pages): the secretariat's board and sessions.
    ("GET", "/admin/events/{id}/programme", "/admin/events/{board_event}/programme", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/rooms", "/admin/events/{board_event}/programme/rooms", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/rooms/{room}", "/admin/events/{board_event}/programme/rooms/{board_spare_room}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/timeslots", "/admin/events/{board_event}/programme/timeslots", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/from-call", "/admin/events/{board_event}/programme/from-call", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/weights", "/admin/events/{board_event}/programme/weights", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/unavailability", "/admin/events/{board_event}/programme/unavailability", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/programme/sessions/new", "/admin/events/{board_event}/programme/sessions/new", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/sessions", "/admin/events/{board_event}/programme/sessions", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/programme/sessions/{session}", "/admin/events/{board_event}/programme/sessions/{board_session}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/sessions/{session}", "/admin/events/{board_event}/programme/sessions/{board_session}", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/sessions/{session}/place", "/admin/events/{board_event}/programme/sessions/{board_session}/place", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/sessions/{session}/pin", "/admin/events/{board_event}/programme/sessions/{board_session}/pin", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/sessions/{session}/unpin", "/admin/events/{board_event}/programme/sessions/{board_session}/unpin", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/sessions/{session}/invitations", "/admin/events/{board_event}/programme/sessions/{board_session}/invitations", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/sessions/{session}/invitations/{invitation}/revoke", "/admin/events/{board_event}/programme/sessions/{board_session}/invitations/999999/revoke", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/schedule", "/admin/events/{board_event}/programme/schedule", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/programme/release", "/admin/events/{board_event}/programme/release", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/release", "/admin/events/{board_event}/programme/release", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/withdraw", "/admin/events/{board_event}/programme/withdraw", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/programme/releases", "/admin/events/{board_event}/programme/releases", [SignIn, Denied, Denied, Denied, Ok]),
    ("GET", "/admin/events/{id}/programme/releases/{number}", "/admin/events/{board_event}/programme/releases/1", [SignIn, Denied, Denied, Denied, Ok]),
    // The published programme and its exports are public.
    ("GET", "/events/{id}/programme", "/events/{pub_prog_event}/programme?theme=Universal+access&tz=Asia/Tokyo", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/events/{id}/programme/sessions/{sid}", "/events/{pub_prog_event}/programme/sessions/{pub_prog_session}", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/events/{id}/programme/speakers/{key}", "/events/{pub_prog_event}/programme/speakers/{pub_prog_speaker}", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/events/{id}/programme/my.ics", "/events/{pub_prog_event}/programme/my.ics?sessions={pub_prog_session}", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/events/{id}/programme.ics", "/events/{pub_prog_event}/programme.ics", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/events/{id}/programme.csv", "/events/{pub_prog_event}/programme.csv", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/events/{id}/programme/schedule.xml", "/events/{pub_prog_event}/programme/schedule.xml", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/events/{id}/programme/schedule.json", "/events/{pub_prog_event}/programme/schedule.json", [Ok, Ok, Ok, Ok, Ok]),
    // The programme (API): the secretariat's; the published programme is public (404
    // until the publish row below, as for everyone but the secretariat).
    ("GET", "/api/v1/events/{id}/programme", "/api/v1/events/{prog_event}/programme", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}/programme/public", "/api/v1/events/{prog_event}/programme/public", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/events/{id}/programme/rooms", "/api/v1/events/{prog_event}/programme/rooms", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("PUT", "/api/v1/events/{id}/programme/rooms/{room}", "/api/v1/events/{prog_event}/programme/rooms/{prog_room}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/timeslots", "/api/v1/events/{prog_event}/programme/timeslots", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/sessions", "/api/v1/events/{prog_event}/programme/sessions", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("PUT", "/api/v1/events/{id}/programme/sessions/{session}", "/api/v1/events/{prog_event}/programme/sessions/{prog_session}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}/programme/sessions/{session}/invitations", "/api/v1/events/{prog_event}/programme/sessions/{prog_session}/invitations", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/sessions/{session}/invitations", "/api/v1/events/{prog_event}/programme/sessions/{prog_session}/invitations", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/sessions/{session}/invitations/{invitation}/revoke", "/api/v1/events/{prog_event}/programme/sessions/{prog_session}/invitations/999999/revoke", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/sessions/{session}/pin", "/api/v1/events/{prog_event}/programme/sessions/{prog_session}/pin", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/sessions/{session}/unpin", "/api/v1/events/{prog_event}/programme/sessions/{prog_session}/unpin", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/sessions/{session}/placement", "/api/v1/events/{prog_event}/programme/sessions/{prog_session}/placement", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/from-call", "/api/v1/events/{prog_event}/programme/from-call", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/unavailability", "/api/v1/events/{prog_event}/programme/unavailability", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("PUT", "/api/v1/events/{id}/programme/weights", "/api/v1/events/{prog_event}/programme/weights", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/schedule", "/api/v1/events/{prog_event}/programme/schedule", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/publish", "/api/v1/events/{prog_event}/programme/publish", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}/programme/releases", "/api/v1/events/{prog_event}/programme/releases", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/events/{id}/programme/releases", "/api/v1/events/{prog_event}/programme/releases", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}/programme/releases/{number}", "/api/v1/events/{prog_event}/programme/releases/1", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("GET", "/api/v1/events/{id}/programme/release-preview", "/api/v1/events/{prog_event}/programme/release-preview", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/events/{id}/programme/unavailability/{item}", "/api/v1/events/{prog_event}/programme/unavailability/{prog_unavailability}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/events/{id}/programme/sessions/{session}", "/api/v1/events/{prog_event}/programme/sessions/{prog_session}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/events/{id}/programme/timeslots/{timeslot}", "/api/v1/events/{prog_event}/programme/timeslots/{prog_timeslot}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/events/{id}/programme/rooms/{room}", "/api/v1/events/{prog_event}/programme/rooms/{prog_room}", [Unauthorized, Denied, Denied, Denied, Ok]),
    // Deleting routes come last: they remove the fixtures the rows above use.
    ("POST", "/admin/events/{id}/programme/rooms/{room}/delete", "/admin/events/{board_event}/programme/rooms/{board_spare_room}/delete", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/timeslots/{timeslot}/delete", "/admin/events/{board_event}/programme/timeslots/{board_spare_timeslot}/delete", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/unavailability/{entry}/delete", "/admin/events/{board_event}/programme/unavailability/{board_unavailability}/delete", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/events/{id}/programme/sessions/{session}/delete", "/admin/events/{board_event}/programme/sessions/{board_spare_session}/delete", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/documents/{id}/delete", "/documents/{spare_document}/delete", [SignIn, Denied, Denied, Ok, Ok]),
    ("DELETE", "/api/v1/documents/{id}", "/api/v1/documents/{document}", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("DELETE", "/api/v1/meetings/{id}/attendees/{person}", "/api/v1/meetings/{meeting}/attendees/{person}", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/items/{item}/delete", "/meetings/{meeting}/items/{item}/delete", [SignIn, Denied, Denied, Ok, Ok]),
    ("DELETE", "/api/v1/meetings/{id}/items/{item}", "/api/v1/meetings/{meeting}/items/{item}", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/days/{day}/delete", "/meetings/{meeting}/days/{day}/delete", [SignIn, Denied, Denied, Ok, Ok]),
    ("DELETE", "/api/v1/meetings/{id}/days/{day}", "/api/v1/meetings/{meeting}/days/{day}", [Unauthorized, Denied, Denied, Ok, Ok]),
    ("POST", "/meetings/{id}/delete", "/meetings/{spare_meeting}/delete", [SignIn, Denied, Denied, Ok, Ok]),
    // The spare registration is rejected (by the first row the secretariat passes), then
    // every other moderation of it is refused (409); its owner's link cancels it.
    ("POST", "/admin/registrations/{id}/reject", "/admin/registrations/{spare_registration}/reject", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/registrations/{id}/reject", "/api/v1/registrations/{spare_registration}/reject", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("POST", "/admin/registrations/{id}/cancel", "/admin/registrations/{spare_registration}/cancel", [SignIn, Denied, Denied, Denied, Ok]),
    ("POST", "/api/v1/registrations/{id}/cancel", "/api/v1/registrations/{spare_registration}/cancel", [Unauthorized, Denied, Denied, Denied, Ok]),
    // Its owner's (none here: 404 for the others).
    ("POST", "/account/registrations/{id}/cancel", "/account/registrations/{spare_registration}/cancel", [SignIn, Ok, Ok, Ok, Ok]),
    ("POST", "/registrations/{token}/cancel", "/registrations/{spare_reg_token}/cancel", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/api/v1/registration-links/{token}/cancel", "/api/v1/registration-links/{spare_reg_token}/cancel", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/admin/events/{id}/questions/{question}/delete", "/admin/events/{event}/questions/{spare_question}/delete", [SignIn, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/events/{id}/questions/{question}", "/api/v1/events/{event}/questions/{question}", [Unauthorized, Denied, Denied, Denied, Ok]),
    ("DELETE", "/api/v1/meetings/{id}", "/api/v1/meetings/{meeting}", [Unauthorized, Denied, Denied, Ok, Ok]),
];

const ROLES: [Option<Role>; 5] = [
    None,
    Some(Role::Registrant),
    Some(Role::Member),
    Some(Role::Chair),
    Some(Role::Secretariat),
];

fn email_for(role: Option<Role>) -> String {
    format!("{}@example.org", role.map_or("anonymous", Role::as_str))
}

/// Ids of the records the matrix requests touch.
struct Fixtures {
    user: i64,
    token: i64,
    body: i64,
    person: i64,
    organization: i64,
    membership: i64,
    meeting: i64,
    spare_meeting: i64,
    document: i64,
    spare_document: i64,
    action: i64,
    day: i64,
    item: i64,
    registration: crate::registration::RegistrationFixtures,
    call_api: crate::calls_api::CallApiFixtures,
    programme_api: crate::programme_api::ProgrammeApiFixtures,
    programme_public: crate::programme_public::ProgrammePublicFixtures,
    programme_admin: crate::programme_admin::ProgrammeAdminFixtures,
    committee: crate::calls_admin::CommitteeFixtures,
    calls_pages: crate::calls_pages::CallFixtures,
}

impl Fixtures {
    fn path(&self, template: &str) -> String {
        self.call_api
            .path(
                &self.programme_api.path(
                    &self
                        .programme_public
                        .path(&self.programme_admin.path(template)),
                ),
            )
            .replace("{user}", &self.user.to_string())
            .replace("{token}", &self.token.to_string())
            .replace("{body}", &self.body.to_string())
            .replace("{person}", &self.person.to_string())
            .replace("{organization}", &self.organization.to_string())
            .replace("{membership}", &self.membership.to_string())
            .replace("{meeting}", &self.meeting.to_string())
            .replace("{spare_meeting}", &self.spare_meeting.to_string())
            .replace("{document}", &self.document.to_string())
            .replace("{action}", &self.action.to_string())
            .replace("{spare_document}", &self.spare_document.to_string())
            .replace("{day}", &self.day.to_string())
            .replace("{item}", &self.item.to_string())
            .replace("{event}", &self.registration.event.to_string())
            .replace("{category}", &self.registration.category.to_string())
            .replace("{question}", &self.registration.question.to_string())
            .replace(
                "{spare_question}",
                &self.registration.spare_question.to_string(),
            )
            .replace(
                "{registration}",
                &self.registration.registration.to_string(),
            )
            .replace(
                "{spare_registration}",
                &self.registration.spare_registration.to_string(),
            )
            .replace("{reg_token}", &self.registration.token)
            .replace("{spare_reg_token}", &self.registration.spare_token)
            .replace("{committee_call}", &self.committee.call.to_string())
            .replace(
                "{committee_submission}",
                &self.committee.submission.to_string(),
            )
            .replace("{committee_question}", &self.committee.question.to_string())
            .replace("{pub_call}", &self.calls_pages.call.to_string())
            .replace("{pub_submission}", &self.calls_pages.submission.to_string())
    }
}

/// A second meeting of the fixture body, for the page route that deletes one.
fn spare_meeting(t: &TestApp, body: i64) -> i64 {
    let input = plenary_app::MeetingInput {
        body_id: Some(body),
        title: "Spare".into(),
        kind: "webinar".into(),
        mode: "online".into(),
        time_zone: "UTC".into(),
        starts_on: "2026-07-01".into(),
        starts_time: "10:00".into(),
        ends_on: "2026-07-01".into(),
        ends_time: "11:00".into(),
        published: true,
        ..Default::default()
    };
    t.app
        .save_meeting(&t.admin_caller(), None, &input)
        .expect("spare meeting")
        .id
}

fn outcome_of(r: &Response, is_api: bool) -> Outcome {
    assert!(
        !r.status.is_server_error(),
        "server error: {} {}",
        r.status,
        r.body
    );
    match r.status {
        // Pages answer 401 only to wrong credentials on the sign-in form.
        StatusCode::UNAUTHORIZED if !is_api => Ok,
        StatusCode::UNAUTHORIZED => Unauthorized,
        StatusCode::FORBIDDEN => Denied,
        s if s.is_redirection()
            && r.location()
                .is_some_and(|l| l.starts_with("/sign-in?next=")) =>
        {
            SignIn
        }
        _ => Ok,
    }
}

/// A plausible body so that requests reach the access check, not a parse error.
fn api_body(method: &str, pattern: &str, fixtures: &Fixtures) -> Option<serde_json::Value> {
    match (method, pattern) {
        ("POST", "/api/v1/registrations/{id}/reject" | "/api/v1/visa-requests/{id}/refuse") => {
            Some(json!({ "reason": "Matrix" }))
        }
        ("PUT", "/api/v1/registration-links/{token}/visa") => Some(json!({})),
        ("POST", "/api/v1/check-ins") => Some(json!({ "code": "ABCD2345" })),
        ("POST" | "PUT", _)
            if pattern.starts_with("/api/v1/events")
                || pattern == "/api/v1/registration-links/{token}" =>
        {
            Some(json!({}))
        }
        ("POST", "/api/v1/bodies/{id}/subscriptions") => {
            Some(json!({ "person_id": fixtures.person }))
        }
        ("POST", "/api/v1/memberships/{id}/end") => Some(json!({ "ends_on": "2026-12-31" })),
        ("POST", "/api/v1/meetings") => Some(json!({ "body_id": fixtures.body })),
        ("POST", "/api/v1/meetings/{id}/items/{item}/move") => Some(json!({ "direction": "up" })),
        ("PUT", "/api/v1/meetings/{id}/role-groups") => Some(json!({ "order": ["MAG Chair"] })),
        ("PUT", "/api/v1/meetings/{id}/items/{item}/note") => {
            Some(json!({ "base_version": 0, "text": "Notes" }))
        }
        ("PUT", "/api/v1/meetings/{id}/minutes/state") => Some(json!({ "state": "circulated" })),
        ("POST", "/api/v1/meetings/{id}/actions") => {
            Some(json!({ "text": "Act", "owner": "secretariat" }))
        }
        ("POST", "/api/v1/actions/{id}/status") => Some(json!({ "status": "done" })),
        ("POST", "/api/v1/actions/{id}/follow-ups") => {
            Some(json!({ "meeting_id": fixtures.meeting, "note": "Discussed" }))
        }
        ("POST", "/api/v1/actions/{id}/move") => Some(json!({ "meeting_id": fixtures.meeting })),
        ("POST", "/api/v1/meetings/{id}/carry-over") => Some(json!({ "day_id": fixtures.day })),
        ("PUT" | "POST", _) if pattern.starts_with("/api/v1/meetings") => Some(json!({})),
        ("POST", "/api/v1/me/tokens") => Some(json!({ "name": "matrix" })),
        ("PUT", "/api/v1/me/profile") => Some(json!({ "given_name": "Matrix" })),
        ("POST", "/api/v1/users") => {
            Some(json!({ "email": "new@example.org", "display_name": "New", "password": PASSWORD }))
        }
        ("PATCH", _) => Some(json!({ "disabled": false })),
        ("PUT" | "POST", _)
            if pattern.starts_with("/api/v1/bodies")
                || pattern.starts_with("/api/v1/people")
                || pattern.starts_with("/api/v1/organizations") =>
        {
            Some(json!({}))
        }
        ("POST", "/api/v1/users/{id}/grants") => {
            Some(json!({ "role": "member", "scope": "global" }))
        }
        ("PUT", "/api/v1/mail-templates/{kind}") => {
            Some(json!({ "subject": "{{subject}}", "body_text": "{{message}}" }))
        }
        _ if fixtures.call_api.matrix_body(method, pattern).is_some() => {
            fixtures.call_api.matrix_body(method, pattern)
        }
        _ => None,
    }
}

fn form_fields(pattern: &str, fixtures: &Fixtures) -> Vec<(&'static str, String)> {
    let fields: Vec<(&'static str, &str)> = match pattern {
        "/meetings" => return vec![("body_id", fixtures.body.to_string())],
        "/sign-in" => vec![
            ("email", "nobody@example.org"),
            ("password", "wrong password"),
        ],
        "/admin/users/{id}/grants" | "/admin/users/{id}/grants/remove" => {
            vec![("role", "member"), ("scope", "global")]
        }
        "/account/tokens" => vec![("name", "matrix")],
        // The matrix's API tokens must outlive this route (it revokes them by default).
        "/account/sign-out-everywhere" => vec![("keep_api_tokens", "yes")],
        "/admin/mail-templates/{kind}" => vec![
            ("subject", "{{subject}}"),
            ("body_text", "{{message}}"),
            ("action", "preview"),
        ],
        "/admin/mail/preview" | "/admin/mail/send" => {
            return vec![
                ("body_id", fixtures.body.to_string()),
                ("subject", "Matrix".to_owned()),
                ("message", "Hello".to_owned()),
                ("recipients", "0".to_owned()),
            ];
        }
        "/memberships/{id}/end" => vec![("ends_on", "2026-12-31")],
        "/meetings/{id}/items/{item}/note" => vec![("base_version", "0"), ("text", "Notes")],
        "/meetings/{id}/minutes/state" => vec![("state", "circulated")],
        "/meetings/{id}/actions" => vec![("text", "Act"), ("owner", "secretariat")],
        "/actions/{id}/status" => vec![("status", "done")],
        "/admin/registrations/{id}/reject" | "/admin/visa-requests/{id}/refuse" => {
            vec![("reason", "Matrix")]
        }
        "/check-in" => vec![("code", "ABCD2345")],
        "/meetings/{id}/carry-over" => return vec![("day_id", fixtures.day.to_string())],
        "/actions/{id}/follow-ups" => {
            return vec![
                ("meeting_id", fixtures.meeting.to_string()),
                ("note", "Discussed".to_owned()),
            ];
        }
        _ => vec![],
    };
    fields.into_iter().map(|(k, v)| (k, v.to_owned())).collect()
}

fn page_request(
    t: &TestApp,
    role: Option<Role>,
    method: &str,
    pattern: &str,
    path: &str,
    fixtures: &Fixtures,
) -> Response {
    let mut c: Client<'_> = t.client();
    if role.is_some() {
        let signed = c.sign_in(&email_for(role), PASSWORD);
        assert_eq!(
            signed.status,
            StatusCode::SEE_OTHER,
            "fixture sign-in for {role:?}"
        );
    }
    if method == "GET" {
        return c.get(path);
    }
    // A valid CSRF token for this visitor: the sign-in page (anonymous) or any page's
    // sign-out form (signed in).
    let csrf = c.get(if role.is_some() { "/" } else { "/sign-in" }).csrf();
    let mut fields = vec![("csrf", csrf.as_str())];
    if pattern == "/meetings/{id}/documents"
        || pattern.starts_with("/admin/import")
        || pattern == "/submissions/{id}/files/{key}"
    {
        let boundary = "MatrixBoundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nx\r\n--{boundary}--\r\n"
        );
        return c.post_bytes(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            body.into_bytes(),
        );
    }
    let extra = form_fields(pattern, fixtures);
    fields.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
    c.post_raw(path, &fields)
}

#[test]
fn every_route_has_the_expected_access_for_every_role() {
    let t = TestApp::new();
    t.account(&email_for(Some(Role::Secretariat)), Some(Role::Secretariat));
    t.account(&email_for(Some(Role::Registrant)), Some(Role::Registrant));
    t.account(&email_for(Some(Role::Member)), Some(Role::Member));
    let target = t.account("target@example.org", Some(Role::Member));
    let directory = t.directory_fixtures();
    t.account_with_grant(
        &email_for(Some(Role::Chair)),
        Role::Chair,
        plenary_domain::Scope::Body(directory.body),
    );
    let mut tokens = Vec::new();
    for role in ROLES {
        tokens.push(role.map(|r| t.api_token(&email_for(Some(r)))));
    }
    // A spare token of the secretariat for the routes that revoke one.
    let token_id = t
        .app
        .create_api_token(&t.admin_caller(), "spare")
        .expect("spare token")
        .token
        .id
        .0;
    let fixtures = Fixtures {
        user: target,
        token: token_id,
        body: directory.body,
        person: directory.person,
        organization: directory.organization,
        membership: directory.membership,
        meeting: directory.meeting,
        spare_meeting: spare_meeting(&t, directory.body),
        action: t
            .app
            .add_action(
                &t.admin_caller(),
                directory.meeting,
                &plenary_app::ActionInput {
                    text: "Matrix".into(),
                    owner: "secretariat".into(),
                    ..Default::default()
                },
            )
            .expect("action")
            .action
            .id,
        document: t
            .app
            .upload_document(
                &t.admin_caller(),
                directory.meeting,
                &plenary_app::Upload {
                    filename: "notes.txt".into(),
                    data: b"notes".to_vec(),
                    ..Default::default()
                },
            )
            .expect("document")
            .id,
        spare_document: t
            .app
            .upload_document(
                &t.admin_caller(),
                directory.meeting,
                &plenary_app::Upload {
                    filename: "spare.txt".into(),
                    data: b"notes".to_vec(),
                    ..Default::default()
                },
            )
            .expect("document")
            .id,
        day: directory.day,
        item: directory.item,
        registration: crate::registration::registration_fixtures(&t),
        call_api: crate::calls_api::call_api_fixtures(&t),
        programme_api: crate::programme_api::programme_api_fixtures(&t),
        programme_public: crate::programme_public::programme_public_fixtures(&t),
        programme_admin: crate::programme_admin::programme_admin_fixtures(&t),
        committee: crate::calls_admin::committee_fixtures(&t, "target@example.org"),
        calls_pages: crate::calls_pages::call_fixtures(&t),
    };

    let routed: BTreeSet<(String, &str)> = plenary_web::routes::table()
        .routes()
        .iter()
        .map(|(m, p)| (m.to_string(), *p))
        .collect();
    let listed: BTreeSet<(String, &str)> = MATRIX
        .iter()
        .map(|(m, p, _, _)| ((*m).to_owned(), *p))
        .collect();
    assert_eq!(
        routed, listed,
        "the matrix must list every route, and only routes"
    );

    let mut failures = Vec::new();
    for (method, pattern, path, expected) in MATRIX {
        let path = fixtures.path(path);
        for (i, role) in ROLES.iter().enumerate() {
            let response = if pattern.starts_with("/api/") {
                let m = Method::from_bytes(method.as_bytes()).expect("method");
                t.api(
                    m,
                    &path,
                    tokens[i].as_deref(),
                    api_body(method, pattern, &fixtures),
                )
            } else {
                page_request(&t, *role, method, pattern, &path, &fixtures)
            };
            let got = outcome_of(&response, pattern.starts_with("/api/"));
            if got != expected[i] {
                failures.push(format!(
                    "{method} {path} as {role:?}: expected {:?}, got {got:?} ({})",
                    expected[i], response.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix violations:\n{}",
        failures.join("\n")
    );
}
