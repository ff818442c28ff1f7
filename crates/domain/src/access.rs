//! Roles, grants and the permission table. Deny unless a grant allows.

use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A role a person holds, globally or within one body or event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The forum's secretariat: administers everything.
    Secretariat,
    Chair,
    Member,
    Reviewer,
    Proposer,
    Registrant,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Secretariat,
        Role::Chair,
        Role::Member,
        Role::Reviewer,
        Role::Proposer,
        Role::Registrant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Secretariat => "secretariat",
            Role::Chair => "chair",
            Role::Member => "member",
            Role::Reviewer => "reviewer",
            Role::Proposer => "proposer",
            Role::Registrant => "registrant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Secretariat => "Secretariat",
            Role::Chair => "Chair",
            Role::Member => "Member",
            Role::Reviewer => "Reviewer",
            Role::Proposer => "Proposer",
            Role::Registrant => "Registrant",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a grant applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    Global,
    Body(i64),
    Event(i64),
}

impl Scope {
    /// Whether a grant held in `self` applies to something in `target`.
    pub fn covers(self, target: Scope) -> bool {
        self == Scope::Global || self == target
    }

    pub fn kind(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Body(_) => "body",
            Scope::Event(_) => "event",
        }
    }

    pub fn id(self) -> Option<i64> {
        match self {
            Scope::Global => None,
            Scope::Body(id) | Scope::Event(id) => Some(id),
        }
    }

    pub fn from_parts(kind: &str, id: Option<i64>) -> Option<Scope> {
        match (kind, id) {
            ("global", None) => Some(Scope::Global),
            ("body", Some(id)) => Some(Scope::Body(id)),
            ("event", Some(id)) => Some(Scope::Event(id)),
            _ => None,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Global => f.write_str("everywhere"),
            Scope::Body(id) => write!(f, "body #{id}"),
            Scope::Event(id) => write!(f, "event #{id}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

/// Something a principal may be allowed to do. Each use case asks for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read and change one's own account: profile, password, sessions, API tokens.
    UseOwnAccount,
    /// Create accounts, grant and revoke roles, disable accounts.
    AdministerAccounts,
    /// Browse the audit log.
    ViewAuditLog,
    /// Create and edit people, organizations and bodies.
    ManageDirectory,
    /// Add and end memberships of a body and manage its subscriptions (a chair: of the
    /// bodies their grant is scoped to).
    ManageMemberships,
    /// See people's personal data: e-mail address, gender, time zone.
    ViewPersonalData,
    /// Edit the mail templates and send messages to a body's mailing list.
    ManageMail,
    /// Create and edit meetings, their agendas and attendance (a chair: of the bodies
    /// their grant is scoped to).
    ManageMeetings,
    /// Set up an event's registration (form, categories, capacity), moderate, see and
    /// export registrations, check participants in.
    ManageRegistrations,
    /// See passport details, issue visa letters, export them: the secretariat only.
    ManageVisas,
    /// Set up calls and their forms, manage reviewer pools, run and change the reviewer
    /// assignment, see every review with its author, decide, publish the selection.
    ManageCalls,
    /// Build the programme of an event: rooms, timeslots, sessions, placement, the
    /// scheduler, publishing.
    ManageProgramme,
}

impl Permission {
    /// The permission table: which role holds which permission. Exhaustive on purpose, so
    /// that a new permission or role cannot be added without deciding who gets it.
    fn held_by(self, role: Role) -> bool {
        match self {
            Permission::UseOwnAccount => true,
            Permission::AdministerAccounts
            | Permission::ViewAuditLog
            | Permission::ManageMail
            | Permission::ManageDirectory
            | Permission::ManageRegistrations
            | Permission::ManageVisas
            | Permission::ManageCalls
            | Permission::ManageProgramme
            | Permission::ViewPersonalData => match role {
                Role::Secretariat => true,
                Role::Chair | Role::Member | Role::Reviewer | Role::Proposer | Role::Registrant => {
                    false
                }
            },
            Permission::ManageMemberships | Permission::ManageMeetings => match role {
                Role::Secretariat | Role::Chair => true,
                Role::Member | Role::Reviewer | Role::Proposer | Role::Registrant => false,
            },
        }
    }

    /// Permissions every signed-in account has, whatever its grants.
    fn held_by_every_account(self) -> bool {
        matches!(self, Permission::UseOwnAccount)
    }
}

/// Who is acting: nobody (the public) or a signed-in account with its grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    User { id: UserId, grants: Vec<Grant> },
}

impl Principal {
    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Principal::Anonymous => None,
            Principal::User { id, .. } => Some(*id),
        }
    }

    /// Whether this principal may do `permission` on something in `target`.
    pub fn can(&self, permission: Permission, target: Scope) -> bool {
        match self {
            Principal::Anonymous => false,
            Principal::User { grants, .. } => {
                permission.held_by_every_account()
                    || grants
                        .iter()
                        .any(|g| g.scope.covers(target) && permission.held_by(g.role))
            }
        }
    }

    /// Whether this principal may do `permission` on something, somewhere: the first
    /// check of a route, before the particular record is known (a chair may manage
    /// meetings — of their bodies; which ones is the use case's to decide).
    pub fn can_somewhere(&self, permission: Permission) -> bool {
        match self {
            Principal::Anonymous => false,
            Principal::User { grants, .. } => {
                permission.held_by_every_account()
                    || grants.iter().any(|g| permission.held_by(g.role))
            }
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        matches!(self, Principal::User { grants, .. } if grants.iter().any(|g| g.role == role))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn somewhere_means_in_some_scope_of_some_grant() {
        let chair = user(&[(Role::Chair, Scope::Body(4))]);
        assert!(chair.can_somewhere(Permission::ManageMeetings));
        assert!(!chair.can(Permission::ManageMeetings, Scope::Body(5)));
        assert!(!chair.can_somewhere(Permission::ManageCalls));
        assert!(user(&[]).can_somewhere(Permission::UseOwnAccount));
        assert!(!Principal::Anonymous.can_somewhere(Permission::UseOwnAccount));
    }

    fn user(grants: &[(Role, Scope)]) -> Principal {
        Principal::User {
            id: UserId(1),
            grants: grants
                .iter()
                .map(|&(role, scope)| Grant { role, scope })
                .collect(),
        }
    }

    const ALL_PERMISSIONS: [Permission; 12] = [
        Permission::ManageProgramme,
        Permission::ManageVisas,
        Permission::ManageCalls,
        Permission::ManageMeetings,
        Permission::ManageRegistrations,
        Permission::ManageMail,
        Permission::UseOwnAccount,
        Permission::AdministerAccounts,
        Permission::ViewAuditLog,
        Permission::ManageDirectory,
        Permission::ManageMemberships,
        Permission::ViewPersonalData,
    ];

    #[test]
    fn a_chair_manages_memberships_of_their_own_body_only() {
        let chair = user(&[(Role::Chair, Scope::Body(3))]);
        assert!(chair.can(Permission::ManageMemberships, Scope::Body(3)));
        assert!(!chair.can(Permission::ManageMemberships, Scope::Body(4)));
        assert!(!chair.can(Permission::ManageDirectory, Scope::Body(3)));
    }

    #[test]
    fn anonymous_can_do_nothing() {
        for p in ALL_PERMISSIONS {
            assert!(!Principal::Anonymous.can(p, Scope::Global));
        }
    }

    #[test]
    fn only_the_secretariat_administers() {
        assert!(
            user(&[(Role::Secretariat, Scope::Global)])
                .can(Permission::AdministerAccounts, Scope::Global)
        );
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Secretariat) {
            assert!(
                !user(&[(role, Scope::Global)]).can(Permission::AdministerAccounts, Scope::Global)
            );
        }
    }

    #[test]
    fn a_scoped_grant_applies_only_in_its_scope() {
        let body_secretariat = user(&[(Role::Secretariat, Scope::Body(7))]);
        assert!(body_secretariat.can(Permission::ViewAuditLog, Scope::Body(7)));
        assert!(!body_secretariat.can(Permission::ViewAuditLog, Scope::Body(8)));
        assert!(!body_secretariat.can(Permission::ViewAuditLog, Scope::Global));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    fn any_scope() -> impl Strategy<Value = Scope> {
        prop_oneof![
            Just(Scope::Global),
            (0i64..5).prop_map(Scope::Body),
            (0i64..5).prop_map(Scope::Event)
        ]
    }

    proptest! {
        /// Adding a grant never takes a permission away (monotonicity).
        #[test]
        fn grants_only_add(role_idx in 0usize..6, scope in any_scope(), target in any_scope(), extra_idx in 0usize..6, extra_scope in any_scope()) {
            let base = user(&[(Role::ALL[role_idx], scope)]);
            let more = user(&[(Role::ALL[role_idx], scope), (Role::ALL[extra_idx], extra_scope)]);
            for p in ALL_PERMISSIONS {
                prop_assert!(!base.can(p, target) || more.can(p, target));
            }
        }

        #[test]
        fn scope_round_trips_through_parts(scope in any_scope()) {
            prop_assert_eq!(Scope::from_parts(scope.kind(), scope.id()), Some(scope));
        }
    }
}
