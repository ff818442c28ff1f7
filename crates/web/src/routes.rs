//! The route table: every route of Plenary, declared once.

use crate::{AppState, api, middleware, pages};
use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};

/// Routes being declared: builds the router and remembers (method, path) pairs.
pub struct RouteTable {
    router: Router<AppState>,
    routes: Vec<(Method, &'static str)>,
}

impl RouteTable {
    fn new() -> Self {
        RouteTable {
            router: Router::new(),
            routes: Vec::new(),
        }
    }

    fn add<H, T>(mut self, method: Method, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("standard HTTP method");
        self.router = self.router.route(path, on(filter, handler));
        self.routes.push((method, path));
        self
    }

    /// A POST route that takes a document upload (a larger body than other routes).
    fn upload<H: Handler<T, AppState>, T: 'static>(
        mut self,
        path: &'static str,
        handler: H,
    ) -> Self {
        let limit = plenary_app::MAX_DOCUMENT_BYTES + 256 * 1024;
        self.router = self.router.route(
            path,
            axum::routing::post(handler).layer(axum::extract::DefaultBodyLimit::max(limit)),
        );
        self.routes.push((Method::POST, path));
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::GET, path, handler)
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::POST, path, handler)
    }

    fn patch<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::PATCH, path, handler)
    }

    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::PUT, path, handler)
    }

    fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::DELETE, path, handler)
    }

    /// Every declared (method, path), in declaration order.
    pub fn routes(&self) -> &[(Method, &'static str)] {
        &self.routes
    }

    pub fn into_router(self, state: AppState) -> Router {
        middleware::wrap(self.router.fallback(not_found), state.clone()).with_state(state)
    }
}

/// No route matches: the API's 404 is a problem document, a page's the HTML page with
/// the visitor's navigation (still signed in).
async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    uri: axum::http::Uri,
    visitor: Result<crate::visitor::Visitor, crate::PageError>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        return crate::ApiError::NotFound.into_response();
    }
    match visitor {
        Ok(visitor) => crate::error::not_found_page(visitor.chrome(&state.app)),
        Err(_) => crate::PageError::NotFound.into_response(),
    }
}

/// Every route of the application.
#[rustfmt::skip]
pub fn table() -> RouteTable {
    RouteTable::new()
        // Public pages and assets.
        .get("/", pages::home::show)
        .get("/healthz", pages::health::show)
        .get("/static/style.css", pages::assets::stylesheet)
        .get("/static/favicon.svg", pages::assets::favicon)
        .get("/favicon.ico", pages::assets::favicon)
        // Signing in and out, password reset, signing up.
        .get("/sign-in", pages::sign_in::show)
        .post("/sign-in", pages::sign_in::submit)
        .post("/sign-out", pages::sign_in::sign_out)
        .get("/password-reset", pages::password_reset::show_request)
        .post("/password-reset", pages::password_reset::submit_request)
        .get("/password-reset/{token}", pages::password_reset::show_form)
        .post("/password-reset/{token}", pages::password_reset::submit_form)
        .get("/sign-up", pages::sign_up::show)
        .post("/sign-up", pages::sign_up::submit)
        .get("/sign-up/{token}", pages::sign_up::show_confirm)
        .post("/sign-up/{token}", pages::sign_up::confirm)
        .get("/invitations/{token}", pages::invitations::show)
        .post("/invitations/{token}", pages::invitations::accept)
        // One's own account.
        .get("/account", pages::account::show)
        .post("/account/password", pages::account::change_password)
        .post("/account/time-zone", pages::account::set_time_zone)
        .get("/account/profile", pages::profile::show)
        .post("/account/profile", pages::profile::save)
        .post("/account/sign-out-everywhere", pages::account::sign_out_everywhere)
        .post("/account/tokens", pages::account::create_token)
        .post("/account/tokens/{id}/revoke", pages::account::revoke_token)
        // The secretariat.
        .get("/admin/users", pages::admin_users::list)
        .post("/admin/users", pages::admin_users::create)
        .get("/admin/users/{id}", pages::admin_users::show)
        .post("/admin/users/{id}/grants", pages::admin_users::add_grant)
        .post("/admin/users/{id}/grants/remove", pages::admin_users::remove_grant)
        .post("/admin/users/{id}/disable", pages::admin_users::disable)
        .post("/admin/users/{id}/enable", pages::admin_users::enable)
        .get("/admin/audit", pages::audit::list)
        .get("/admin/mail-templates", pages::mail::templates)
        .get("/admin/mail-templates/{kind}", pages::mail::template)
        .post("/admin/mail-templates/{kind}", pages::mail::save_template)
        .post("/admin/mail-templates/{kind}/reset", pages::mail::reset_template)
        .get("/admin/mail", pages::mail::bulk)
        .post("/admin/mail/preview", pages::mail::bulk_preview)
        .post("/admin/mail/send", pages::mail::bulk_send)
        .get("/admin/outbox", pages::mail::outbox)
        .post("/admin/outbox/{id}/retry", pages::mail::retry)
        // The directory.
        .get("/bodies", pages::bodies::list)
        .post("/bodies", pages::bodies::create)
        .get("/bodies/{id}", pages::bodies::show)
        .post("/bodies/{id}", pages::bodies::update)
        .post("/bodies/{id}/memberships", pages::bodies::add_member)
        .post("/bodies/{id}/invitations", pages::bodies::invite_member)
        .post("/bodies/{id}/invitations/{invitation}/revoke", pages::bodies::revoke_invitation)
        .post("/bodies/{id}/subscription", pages::bodies::subscription)
        .post("/memberships/{id}/end", pages::bodies::end_member)
        .get("/admin/import", pages::imports::form)
        .upload("/admin/import/preview", pages::imports::preview)
        .upload("/admin/import", pages::imports::confirm)
        .get("/admin/organizations", pages::organizations::list)
        .post("/admin/organizations", pages::organizations::create)
        .get("/admin/organizations/{id}", pages::organizations::show)
        .post("/admin/organizations/{id}", pages::organizations::update)
        .get("/admin/people", pages::people::list)
        .post("/admin/people", pages::people::create)
        .get("/admin/people/{id}", pages::people::show)
        .post("/admin/people/{id}", pages::people::update)
        // Meetings and agendas.
        .post("/meetings", pages::meetings::create)
        .get("/meetings/{id}", pages::meeting_view::show)
        .get("/meetings/{id}/edit", pages::meeting_view::edit)
        .get("/meetings/{id}/calendar.ics", pages::calendars::meeting)
        .get("/bodies/{id}/calendar.ics", pages::calendars::body)
        .post("/meetings/{id}/rooms", pages::meetings::add_room)
        .post("/meetings/{id}/days", pages::meetings::add_day)
        .get("/meetings/{id}/days/{day}/edit", pages::meetings::edit_day)
        .post("/meetings/{id}/days/{day}", pages::meetings::update_day)
        .post("/meetings/{id}/items", pages::meetings::add_item)
        .post("/meetings/{id}", pages::meetings::update)
        .get("/meetings/{id}/items/{item}/edit", pages::meetings::edit_item)
        .post("/meetings/{id}/items/{item}", pages::meetings::update_item)
        .post("/meetings/{id}/items/{item}/move", pages::meetings::move_item)
        .post("/meetings/{id}/items/{item}/delete", pages::meetings::delete_item)
        .post("/meetings/{id}/attendees", pages::meetings::set_attendee)
        .post("/meetings/{id}/role-groups", pages::meetings::set_role_groups)
        .post("/meetings/{id}/days/{day}/delete", pages::meetings::delete_day)
        .post("/meetings/{id}/delete", pages::meetings::delete)
        .upload("/meetings/{id}/documents", pages::documents::upload)
        .post("/meetings/{id}/items/{item}/note", pages::meetings::save_note)
        .get("/meetings/{id}/items/{item}/history", pages::history::show)
        .post("/meetings/{id}/minutes/state", pages::meetings::set_minutes_state)
        .post("/meetings/{id}/actions", pages::meetings::add_action)
        .get("/actions", pages::actions::dashboard)
        .get("/meetings/{id}/summary", pages::summary::html)
        .get("/meetings/{id}/summary.md", pages::summary::markdown)
        .get("/meetings/{id}/summary.pdf", pages::summary::pdf)
        .get("/meetings/{id}/summary.txt", pages::summary::text)
        .post("/meetings/{id}/carry-over", pages::summary::carry_over)
        .post("/actions/{id}/status", pages::actions::set_status)
        .post("/actions/{id}/follow-ups", pages::actions::follow_up)
        .get("/documents/{id}", pages::documents::download)
        .post("/documents/{id}/delete", pages::documents::delete)
        // Events and registration.
        .get("/events", pages::registration::list)
        .get("/events/{id}", pages::registration::show)
        .post("/events/{id}/register", pages::registration::register)
        .post("/events/{id}/registrations/resend", pages::registration::resend_link)
        .get("/events/{id}/participants", pages::registration::participants)
        .get("/events/{id}/programme", pages::programme_public::programme)
        .get("/events/{id}/programme/sessions/{sid}", pages::programme_public::session_or_ics)
        .get("/events/{id}/programme/speakers/{key}", pages::programme_public::speaker)
        .get("/events/{id}/programme/my.ics", pages::programme_public::my_ics)
        .get("/events/{id}/programme.ics", pages::programme_public::ics)
        .get("/events/{id}/programme.csv", pages::programme_public::csv)
        .get("/events/{id}/programme/schedule.xml", pages::programme_public::frab)
        .get("/events/{id}/programme/schedule.json", pages::programme_public::schedule_json)
        .get("/registrations/{token}", pages::registration::manage)
        .post("/registrations/{token}", pages::registration::update)
        .post("/registrations/{token}/cancel", pages::registration::cancel)
        .get("/registrations/{token}/badge.pdf", pages::badges::by_token)
        .get("/account/registrations", pages::registration::mine)
        .get("/account/registrations/{id}", pages::registration::manage_mine)
        .post("/account/registrations/{id}", pages::registration::update_mine)
        .post("/account/registrations/{id}/cancel", pages::registration::cancel_mine)
        .get("/account/registrations/{id}/badge.pdf", pages::badges::mine)
        .get("/admin/events", pages::events_admin::list)
        .post("/admin/events", pages::events_admin::create)
        .get("/admin/events/{id}", pages::events_admin::show)
        .post("/admin/events/{id}", pages::events_admin::update)
        .post("/admin/events/{id}/links", pages::events_admin::save_links)
        .post("/admin/events/{id}/categories", pages::events_admin::add_category)
        .post("/admin/events/{id}/categories/{category}", pages::events_admin::update_category)
        .post("/admin/events/{id}/questions", pages::events_admin::add_question)
        .post("/admin/events/{id}/questions/{question}/delete", pages::events_admin::delete_question)
        .get("/admin/events/{id}/registrations", pages::events_admin::registrations)
        .get("/admin/events/{id}/registrations.csv", pages::registration_export::csv)
        .get("/admin/events/{id}/registrations.xlsx", pages::registration_export::xlsx)
        .get("/admin/registrations/{id}", pages::events_admin::registration)
        .post("/admin/registrations/{id}/approve", pages::events_admin::approve)
        .post("/admin/registrations/{id}/reject", pages::events_admin::reject)
        .post("/admin/registrations/{id}/cancel", pages::events_admin::cancel)
        .get("/admin/registrations/{id}/badge.pdf", pages::badges::admin)
        .get("/registrations/{token}/visa", pages::visa::show_by_token)
        .post("/registrations/{token}/visa", pages::visa::submit_by_token)
        .get("/registrations/{token}/visa-letter.pdf", pages::visa::letter_by_token)
        .get("/account/registrations/{id}/visa", pages::visa::show_mine)
        .post("/account/registrations/{id}/visa", pages::visa::submit_mine)
        .get("/account/registrations/{id}/visa-letter.pdf", pages::visa::letter_mine)
        .get("/admin/events/{id}/visa-requests", pages::visa::list)
        .get("/admin/events/{id}/visa-requests.csv", pages::visa::export_csv)
        .get("/admin/events/{id}/visa-requests.xlsx", pages::visa::export_xlsx)
        .get("/admin/visa-requests/{id}", pages::visa::show_request)
        .post("/admin/visa-requests/{id}/issue", pages::visa::issue)
        .post("/admin/visa-requests/{id}/refuse", pages::visa::refuse)
        .get("/admin/visa-requests/{id}/letter.pdf", pages::visa::admin_letter)
        .get("/check-in", pages::events_admin::check_in_form)
        .post("/check-in", pages::events_admin::check_in)
        // Programme: the secretariat's board (timetable, conflicts, rooms, timeslots,
        // scheduler, weights, unavailability, publishing) and its sessions.
        .get("/admin/events/{id}/programme", pages::programme_admin::board)
        .post("/admin/events/{id}/programme/rooms", pages::programme_admin::add_room)
        .post("/admin/events/{id}/programme/rooms/{room}", pages::programme_admin::update_room)
        .post("/admin/events/{id}/programme/rooms/{room}/delete", pages::programme_admin::delete_room)
        .post("/admin/events/{id}/programme/timeslots", pages::programme_admin::add_timeslots)
        .post("/admin/events/{id}/programme/timeslots/{timeslot}/delete", pages::programme_admin::delete_timeslot)
        .post("/admin/events/{id}/programme/from-call", pages::programme_admin::from_call)
        .post("/admin/events/{id}/programme/schedule", pages::programme_admin::schedule)
        .post("/admin/events/{id}/programme/weights", pages::programme_admin::save_weights)
        .post("/admin/events/{id}/programme/unavailability", pages::programme_admin::add_unavailability)
        .post("/admin/events/{id}/programme/unavailability/{entry}/delete", pages::programme_admin::delete_unavailability)
        .get("/admin/events/{id}/programme/release", pages::programme_release::release_form)
        .post("/admin/events/{id}/programme/release", pages::programme_release::publish_release)
        .post("/admin/events/{id}/programme/withdraw", pages::programme_release::withdraw)
        .get("/admin/events/{id}/programme/releases", pages::programme_release::releases)
        .get("/admin/events/{id}/programme/releases/{number}", pages::programme_release::release)
        .get("/admin/events/{id}/programme/sessions/new", pages::programme_admin::new_session)
        .post("/admin/events/{id}/programme/sessions", pages::programme_admin::create_session)
        .get("/admin/events/{id}/programme/sessions/{session}", pages::programme_admin::show_session)
        .post("/admin/events/{id}/programme/sessions/{session}", pages::programme_admin::update_session)
        .post("/admin/events/{id}/programme/sessions/{session}/delete", pages::programme_admin::delete_session)
        .post("/admin/events/{id}/programme/sessions/{session}/place", pages::programme_admin::place)
        .post("/admin/events/{id}/programme/sessions/{session}/pin", pages::programme_admin::pin)
        .post("/admin/events/{id}/programme/sessions/{session}/unpin", pages::programme_admin::unpin)
        .post("/admin/events/{id}/programme/sessions/{session}/invitations", pages::session_speakers::invite)
        .post("/admin/events/{id}/programme/sessions/{session}/invitations/{invitation}/revoke", pages::session_speakers::revoke)
        // Calls: the secretariat's set-up, pool, assignment, committee and decisions.
        .get("/admin/calls", pages::calls_admin::list)
        .get("/admin/calls/new", pages::calls_admin::new)
        .post("/admin/calls", pages::calls_admin::create)
        .get("/admin/calls/{id}", pages::calls_admin::show)
        .post("/admin/calls/{id}", pages::calls_admin::update)
        .post("/admin/calls/{id}/questions", pages::calls_admin::add_question)
        .post("/admin/calls/{id}/questions/{question}/delete", pages::calls_admin::delete_question)
        .post("/admin/calls/{id}/reviewers", pages::calls_admin::add_reviewer)
        .post("/admin/calls/{id}/reviewers/{user}/remove", pages::calls_admin::remove_reviewer)
        .post("/admin/calls/{id}/invitations", pages::calls_admin::invite_reviewer)
        .post("/admin/calls/{id}/invitations/{invitation}/revoke", pages::calls_admin::revoke_invitation)
        .post("/admin/calls/{id}/assign", pages::calls_admin::run_assignment)
        .get("/admin/calls/{id}/committee", pages::calls_admin::committee)
        .get("/admin/calls/{id}/diversity", pages::calls_admin::diversity)
        .post("/admin/calls/{id}/publish", pages::calls_admin::publish)
        .post("/admin/submissions/{id}/decide", pages::calls_admin::decide)
        .post("/admin/submissions/{id}/assign", pages::calls_admin::assign)
        .post("/admin/submissions/{id}/unassign/{user}", pages::calls_admin::unassign)
        // Reviewers: their assignments, bids, conflicts and reviews.
        .get("/reviews", pages::reviews::mine)
        .get("/calls/{id}/bids", pages::reviews::bids)
        .post("/submissions/{id}/bid", pages::reviews::bid)
        .post("/submissions/{id}/conflict", pages::reviews::conflict)
        .get("/submissions/{id}/review", pages::reviews::show)
        .post("/submissions/{id}/review", pages::reviews::save)
        // Calls for the public and proposers: drafts, co-proposers, files, sending.
        .get("/calls", pages::calls::list)
        .get("/calls/{id}", pages::calls::show)
        .get("/calls/{id}/selected", pages::calls::selected)
        .get("/calls/{id}/submissions/new", pages::calls::new_form)
        .post("/calls/{id}/submissions", pages::calls::create)
        .get("/account/submissions", pages::calls::mine)
        .get("/submissions/{id}", pages::calls::submission)
        .get("/submissions/{id}/edit", pages::calls::edit_form)
        .post("/submissions/{id}", pages::calls::update)
        .post("/submissions/{id}/submit", pages::calls::submit)
        .post("/submissions/{id}/withdraw", pages::calls::withdraw)
        .post("/submissions/{id}/co-proposers", pages::calls::add_co_proposer)
        .post("/submissions/{id}/co-proposers/{user}/remove", pages::calls::remove_co_proposer)
        .upload("/submissions/{id}/files/{key}", pages::calls::upload)
        .get("/submissions/{id}/files/{key}", pages::calls::download)
        // JSON API.
        .get("/api/v1/openapi.json", api::openapi::document)
        .get("/api/v1/me", api::me::show)
        .get("/api/v1/me/profile", api::me::profile)
        .put("/api/v1/me/profile", api::me::save_profile)
        .get("/api/v1/me/tokens", api::tokens::list)
        .post("/api/v1/me/tokens", api::tokens::create)
        .delete("/api/v1/me/tokens/{id}", api::tokens::revoke)
        .get("/api/v1/users", api::users::list)
        .post("/api/v1/users", api::users::create)
        .get("/api/v1/users/{id}", api::users::show)
        .patch("/api/v1/users/{id}", api::users::update)
        .post("/api/v1/users/{id}/grants", api::users::add_grant)
        .delete("/api/v1/users/{id}/grants/{role}/{scope}", api::users::remove_grant)
        .get("/api/v1/audit", api::audit::list)
        .get("/api/v1/mail-templates", api::mail::list_templates)
        .get("/api/v1/mail-templates/{kind}", api::mail::show_template)
        .put("/api/v1/mail-templates/{kind}", api::mail::save_template)
        .delete("/api/v1/mail-templates/{kind}", api::mail::reset_template)
        .post("/api/v1/bodies/{id}/mailings/preview", api::mail::preview_mailing)
        .post("/api/v1/bodies/{id}/mailings", api::mail::send_mailing)
        .get("/api/v1/outbox", api::mail::outbox)
        .post("/api/v1/outbox/{id}/retry", api::mail::retry)
        .upload("/api/v1/imports/preview", api::imports::preview)
        .upload("/api/v1/imports", api::imports::import)
        .get("/api/v1/organizations", api::directory::list_organizations)
        .post("/api/v1/organizations", api::directory::create_organization)
        .get("/api/v1/organizations/{id}", api::directory::show_organization)
        .put("/api/v1/organizations/{id}", api::directory::update_organization)
        .delete("/api/v1/organizations/{id}", api::directory::delete_organization)
        .get("/api/v1/people", api::directory::list_people)
        .post("/api/v1/people", api::directory::create_person)
        .get("/api/v1/people/{id}", api::directory::show_person)
        .put("/api/v1/people/{id}", api::directory::update_person)
        .delete("/api/v1/people/{id}", api::directory::delete_person)
        .get("/api/v1/bodies", api::directory::list_bodies)
        .post("/api/v1/bodies", api::directory::create_body)
        .get("/api/v1/bodies/{id}", api::directory::show_body)
        .put("/api/v1/bodies/{id}", api::directory::update_body)
        .delete("/api/v1/bodies/{id}", api::directory::delete_body)
        .get("/api/v1/bodies/{id}/invitations", api::invitations::body_list)
        .post("/api/v1/bodies/{id}/invitations", api::invitations::body_invite)
        .post("/api/v1/bodies/{id}/invitations/{invitation}/revoke", api::invitations::body_revoke)
        .get("/api/v1/calls/{id}/invitations", api::invitations::call_list)
        .post("/api/v1/calls/{id}/invitations", api::invitations::call_invite)
        .post("/api/v1/calls/{id}/invitations/{invitation}/revoke", api::invitations::call_revoke)
        .get("/api/v1/events/{id}/programme/sessions/{session}/invitations", api::invitations::session_list)
        .post("/api/v1/events/{id}/programme/sessions/{session}/invitations", api::invitations::session_invite)
        .post("/api/v1/events/{id}/programme/sessions/{session}/invitations/{invitation}/revoke", api::invitations::session_revoke)
        .post("/api/v1/invitations/accept", api::invitations::accept)
        .post("/api/v1/sign-up", api::invitations::sign_up)
        .post("/api/v1/sign-up/{token}", api::invitations::confirm_sign_up)
        .post("/api/v1/bodies/{id}/memberships", api::directory::add_membership)
        .post("/api/v1/memberships/{id}/end", api::directory::end_membership)
        .get("/api/v1/bodies/{id}/subscriptions", api::directory::list_subscribers)
        .post("/api/v1/bodies/{id}/subscriptions", api::directory::subscribe)
        .delete("/api/v1/bodies/{id}/subscriptions/{person}", api::directory::unsubscribe)
        .get("/api/v1/meetings", api::meetings::list)
        .post("/api/v1/meetings", api::meetings::create)
        .get("/api/v1/meetings/{id}", api::meetings::show)
        .put("/api/v1/meetings/{id}", api::meetings::update)
        .delete("/api/v1/meetings/{id}", api::meetings::delete)
        .post("/api/v1/meetings/{id}/rooms", api::meetings::add_room)
        .put("/api/v1/meetings/{id}/rooms/{room}", api::meetings::update_room)
        .delete("/api/v1/meetings/{id}/rooms/{room}", api::meetings::delete_room)
        .post("/api/v1/meetings/{id}/days", api::meetings::add_day)
        .put("/api/v1/meetings/{id}/days/{day}", api::meetings::update_day)
        .delete("/api/v1/meetings/{id}/days/{day}", api::meetings::delete_day)
        .post("/api/v1/meetings/{id}/items", api::meetings::add_item)
        .put("/api/v1/meetings/{id}/items/{item}", api::meetings::update_item)
        .delete("/api/v1/meetings/{id}/items/{item}", api::meetings::delete_item)
        .post("/api/v1/meetings/{id}/items/{item}/move", api::meetings::move_item)
        .put("/api/v1/meetings/{id}/attendees/{person}", api::meetings::set_attendee)
        .delete("/api/v1/meetings/{id}/attendees/{person}", api::meetings::remove_attendee)
        .put("/api/v1/meetings/{id}/role-groups", api::meetings::set_role_groups)
        .get("/api/v1/meetings/{id}/documents", api::meetings::documents)
        .upload("/api/v1/meetings/{id}/documents", api::meetings::upload)
        .delete("/api/v1/documents/{id}", api::meetings::delete_document)
        .get("/api/v1/meetings/{id}/minutes", api::minutes::show)
        .put("/api/v1/meetings/{id}/minutes/state", api::minutes::set_state)
        .put("/api/v1/meetings/{id}/items/{item}/note", api::minutes::save_note)
        .get("/api/v1/meetings/{id}/items/{item}/note/revisions", api::minutes::revisions)
        .post("/api/v1/meetings/{id}/actions", api::minutes::add)
        .get("/api/v1/actions", api::minutes::dashboard)
        .post("/api/v1/actions/{id}/status", api::minutes::set_status)
        .post("/api/v1/actions/{id}/follow-ups", api::minutes::follow_up)
        .post("/api/v1/actions/{id}/move", api::minutes::move_to)
        .get("/api/v1/meetings/{id}/summary", api::minutes::summary)
        .post("/api/v1/meetings/{id}/carry-over", api::minutes::carry_over)
        .get("/api/v1/events", api::registration::list_events)
        .post("/api/v1/events", api::registration::create_event)
        .get("/api/v1/events/{id}", api::registration::show_event)
        .put("/api/v1/events/{id}", api::registration::update_event)
        .post("/api/v1/events/{id}/categories", api::registration::add_category)
        .put("/api/v1/events/{id}/categories/{category}", api::registration::update_category)
        .post("/api/v1/events/{id}/questions", api::registration::add_question)
        .delete("/api/v1/events/{id}/questions/{question}", api::registration::delete_question)
        .post("/api/v1/events/{id}/registrations", api::registration::register)
        .get("/api/v1/events/{id}/registrations", api::registration::list_registrations)
        .get("/api/v1/events/{id}/registrations/export", api::registration_export::export)
        .get("/api/v1/events/{id}/participants", api::registration::participants)
        .get("/api/v1/registrations/{id}", api::registration::show_registration)
        .get("/api/v1/registrations/{id}/badge", api::registration::badge)
        .post("/api/v1/registrations/{id}/approve", api::registration::approve)
        .post("/api/v1/registrations/{id}/reject", api::registration::reject)
        .post("/api/v1/registrations/{id}/cancel", api::registration::cancel)
        .get("/api/v1/registration-links/{token}", api::registration::show_link)
        .put("/api/v1/registration-links/{token}", api::registration::update_link)
        .post("/api/v1/registration-links/{token}/cancel", api::registration::cancel_link)
        .post("/api/v1/check-ins", api::registration::check_in)
        .get("/api/v1/registration-links/{token}/visa", api::visa::show_by_token)
        .put("/api/v1/registration-links/{token}/visa", api::visa::request_by_token)
        .get("/api/v1/registration-links/{token}/visa/letter", api::visa::letter_by_token)
        .get("/api/v1/events/{id}/visa-requests", api::visa::list)
        .get("/api/v1/events/{id}/visa-requests/export", api::visa::export)
        .get("/api/v1/visa-requests/{id}", api::visa::show)
        .post("/api/v1/visa-requests/{id}/issue", api::visa::issue)
        .post("/api/v1/visa-requests/{id}/refuse", api::visa::refuse)
        .get("/api/v1/visa-requests/{id}/letter", api::visa::letter)
        .get("/api/v1/calls", api::calls::list)
        .post("/api/v1/calls", api::calls::create)
        .get("/api/v1/calls/{id}", api::calls::show)
        .put("/api/v1/calls/{id}", api::calls::update)
        .post("/api/v1/calls/{id}/questions", api::calls::add_question)
        .delete("/api/v1/calls/{id}/questions/{question}", api::calls::delete_question)
        .post("/api/v1/calls/{id}/submissions", api::calls::create_submission)
        .get("/api/v1/me/submissions", api::calls::mine)
        .get("/api/v1/submissions/{id}", api::calls::show_submission)
        .put("/api/v1/submissions/{id}", api::calls::update_submission)
        .post("/api/v1/submissions/{id}/submit", api::calls::submit)
        .post("/api/v1/submissions/{id}/withdraw", api::calls::withdraw)
        .post("/api/v1/submissions/{id}/co-proposers", api::calls::add_co_proposer)
        .delete("/api/v1/submissions/{id}/co-proposers/{user}", api::calls::remove_co_proposer)
        .put("/api/v1/submissions/{id}/files/{key}", api::calls::put_file)
        .get("/api/v1/submissions/{id}/files/{key}", api::calls::file)
        .get("/api/v1/calls/{id}/reviewers", api::calls::list_reviewers)
        .post("/api/v1/calls/{id}/reviewers", api::calls::add_reviewer)
        .delete("/api/v1/calls/{id}/reviewers/{user}", api::calls::remove_reviewer)
        .get("/api/v1/calls/{id}/bids", api::calls::bids)
        .put("/api/v1/submissions/{id}/bid", api::calls::bid)
        .post("/api/v1/submissions/{id}/conflicts", api::calls::declare_conflict)
        .post("/api/v1/calls/{id}/assignment", api::calls::run_assignment)
        .post("/api/v1/submissions/{id}/reviewers", api::calls::assign_reviewer)
        .delete("/api/v1/submissions/{id}/reviewers/{user}", api::calls::unassign_reviewer)
        .get("/api/v1/me/assignments", api::calls::my_assignments)
        .put("/api/v1/submissions/{id}/review", api::calls::save_review)
        .get("/api/v1/calls/{id}/committee", api::calls::committee)
        .post("/api/v1/submissions/{id}/decision", api::calls::decide)
        .post("/api/v1/calls/{id}/publish", api::calls::publish)
        .get("/api/v1/calls/{id}/selected", api::calls::selected)
        .get("/api/v1/calls/{id}/balance", api::calls::balance)
        .get("/api/v1/events/{id}/programme", api::programme::show)
        .get("/api/v1/events/{id}/programme/public", api::programme::public)
        .post("/api/v1/events/{id}/programme/rooms", api::programme::add_room)
        .put("/api/v1/events/{id}/programme/rooms/{room}", api::programme::update_room)
        .delete("/api/v1/events/{id}/programme/rooms/{room}", api::programme::delete_room)
        .post("/api/v1/events/{id}/programme/timeslots", api::programme::add_timeslots)
        .delete("/api/v1/events/{id}/programme/timeslots/{timeslot}", api::programme::delete_timeslot)
        .post("/api/v1/events/{id}/programme/sessions", api::programme::create_session)
        .put("/api/v1/events/{id}/programme/sessions/{session}", api::programme::update_session)
        .delete("/api/v1/events/{id}/programme/sessions/{session}", api::programme::delete_session)
        .post("/api/v1/events/{id}/programme/sessions/{session}/placement", api::programme::place)
        .post("/api/v1/events/{id}/programme/sessions/{session}/pin", api::programme::pin)
        .post("/api/v1/events/{id}/programme/sessions/{session}/unpin", api::programme::unpin)
        .post("/api/v1/events/{id}/programme/from-call", api::programme::from_call)
        .post("/api/v1/events/{id}/programme/unavailability", api::programme::add_unavailability)
        .delete("/api/v1/events/{id}/programme/unavailability/{item}", api::programme::delete_unavailability)
        .put("/api/v1/events/{id}/programme/weights", api::programme::set_weights)
        .post("/api/v1/events/{id}/programme/schedule", api::programme::schedule)
        .post("/api/v1/events/{id}/programme/publish", api::programme::publish)
        .get("/api/v1/events/{id}/programme/releases", api::programme::releases)
        .post("/api/v1/events/{id}/programme/releases", api::programme::publish_release)
        .get("/api/v1/events/{id}/programme/releases/{number}", api::programme::release)
        .get("/api/v1/events/{id}/programme/release-preview", api::programme::release_preview)
}
