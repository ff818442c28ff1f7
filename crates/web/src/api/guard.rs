//! The API's first check, made before a request's body is read: who may call a route
//! at all. Without it a body error would describe the body (its fields, their types)
//! to callers who may not use the route; with it they get the 401 or 403 they would get
//! with a perfect body. The use case still decides for the particular record (a chair
//! passes here for meetings, and the use case allows only their bodies' meetings).
//!
//! Only routes that change something are guarded here; reading routes have no body, and
//! the public ones answer everyone.

use crate::error::ApiError;
use axum::http::Method;
use plenary_app::AppError;
use plenary_domain::{Permission, Principal};

/// What a route needs of its caller before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Needs {
    /// Open to everyone (self-registration, a registrant's management link).
    Nothing,
    /// A signed-in account (its own tokens, submissions, bids and reviews).
    Account,
    /// A grant holding this permission in some scope.
    Permission(Permission),
}

/// The need of a route, by method and route pattern (as declared in the route table).
pub(crate) fn needs(method: &Method, pattern: &str) -> Needs {
    use Permission as P;
    if *method == Method::GET || *method == Method::HEAD || !pattern.starts_with("/api/") {
        return Needs::Nothing;
    }
    let path = &pattern["/api/v1".len().min(pattern.len())..];
    let has = |prefix: &str| path.starts_with(prefix);
    let permission = match () {
        _ if path == "/events/{id}/registrations" || has("/registration-links/") => {
            return Needs::Nothing;
        }
        _ if path == "/sign-up" || has("/sign-up/") => return Needs::Nothing,
        _ if has("/me/") || path == "/invitations/accept" => return Needs::Account,
        // A body's chair invites to its members, as they manage its memberships.
        _ if has("/bodies/{id}/invitations") => P::ManageMemberships,
        _ if path == "/calls/{id}/submissions" => return Needs::Account,
        _ if path == "/submissions/{id}/decision" || has("/submissions/{id}/reviewers") => {
            P::ManageCalls
        }
        _ if has("/submissions/") => return Needs::Account,
        _ if has("/users") => P::AdministerAccounts,
        _ if has("/mail-templates") || has("/outbox") || path.contains("/mailings") => {
            P::ManageMail
        }
        _ if has("/imports") => P::ManageDirectory,
        _ if path.contains("/memberships") || path.contains("/subscriptions") => {
            P::ManageMemberships
        }
        _ if has("/organizations") || has("/people") || has("/bodies") => P::ManageDirectory,
        _ if has("/meetings") || has("/documents") || has("/actions") => P::ManageMeetings,
        _ if has("/events/{id}/programme") => P::ManageProgramme,
        _ if has("/events") || has("/registrations/") || has("/check-ins") => {
            P::ManageRegistrations
        }
        _ if has("/visa-requests") => P::ManageVisas,
        _ if has("/calls") => P::ManageCalls,
        // Deny unless allowed: a new route is the secretariat's until classified.
        _ => P::AdministerAccounts,
    };
    Needs::Permission(permission)
}

/// Refuses a caller who cannot use the route whatever the body: 401 without an
/// account, 403 without the permission anywhere.
pub(crate) fn check(needs: Needs, principal: &Principal) -> Result<(), ApiError> {
    let signed_in = principal.user_id().is_some();
    match needs {
        Needs::Nothing => Ok(()),
        Needs::Account if signed_in => Ok(()),
        Needs::Permission(p) if principal.can_somewhere(p) => Ok(()),
        Needs::Permission(_) if signed_in => Err(AppError::Forbidden.into()),
        Needs::Account | Needs::Permission(_) => Err(AppError::SignInRequired.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenary_domain::{Grant, Role, Scope, UserId};

    fn user(role: Role) -> Principal {
        Principal::User {
            id: UserId(1),
            grants: vec![Grant {
                role,
                scope: Scope::Global,
            }],
        }
    }

    #[test]
    fn every_write_route_is_classified_and_nothing_open_by_accident() {
        let table = crate::routes::table();
        let open: Vec<_> = table
            .routes()
            .iter()
            .filter(|(m, p)| p.starts_with("/api/") && *m != Method::GET)
            .filter(|(m, p)| needs(m, p) == Needs::Nothing)
            .map(|(m, p)| format!("{m} {p}"))
            .collect();
        assert_eq!(
            open,
            [
                "POST /api/v1/sign-up",
                "POST /api/v1/sign-up/{token}",
                "POST /api/v1/events/{id}/registrations",
                "PUT /api/v1/registration-links/{token}",
                "POST /api/v1/registration-links/{token}/cancel",
                "PUT /api/v1/registration-links/{token}/visa",
            ]
        );
    }

    #[test]
    fn anonymous_callers_are_asked_to_sign_in_and_others_refused() {
        let users = needs(&Method::PATCH, "/api/v1/users/{id}");
        assert_eq!(users, Needs::Permission(Permission::AdministerAccounts));
        assert!(matches!(
            check(users, &Principal::Anonymous),
            Err(ApiError::App(AppError::SignInRequired))
        ));
        assert!(matches!(
            check(users, &user(Role::Registrant)),
            Err(ApiError::App(AppError::Forbidden))
        ));
        assert!(check(users, &user(Role::Secretariat)).is_ok());
        let meetings = needs(&Method::POST, "/api/v1/meetings");
        assert!(check(meetings, &user(Role::Chair)).is_ok());
        assert!(check(meetings, &user(Role::Member)).is_err());
        let bid = needs(&Method::PUT, "/api/v1/submissions/{id}/bid");
        assert!(check(bid, &user(Role::Registrant)).is_ok());
        assert!(check(bid, &Principal::Anonymous).is_err());
    }
}
