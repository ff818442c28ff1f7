//! The secretariat's account administration, and the operator's first account.

use crate::accounts::require_permission;
use crate::audit::Change;
use crate::{App, AppError, Caller};
use plenary_domain::{
    DisplayName, Email, FieldError, Grant, Password, Permission, Principal, Problem, Role, Scope,
    UserId,
};
use plenary_store::users::{self, NewUser, User};
use plenary_store::{StoreError, Tx, sessions};
use serde_json::json;

pub const USERS_PAGE_SIZE: i64 = 50;

/// What the secretariat (or the operator) types to create an account.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub grants: Vec<Grant>,
}

struct ValidAccount {
    email: Email,
    display_name: DisplayName,
    password: Password,
}

impl NewAccount {
    /// Checks every field and reports all problems at once.
    fn validate(&self) -> Result<ValidAccount, AppError> {
        let email = Email::parse("email", &self.email);
        let display_name = DisplayName::parse("display_name", &self.display_name);
        let password = Password::parse("password", &self.password);
        match (email, display_name, password) {
            (Ok(email), Ok(display_name), Ok(password)) => Ok(ValidAccount {
                email,
                display_name,
                password,
            }),
            (e, d, p) => Err(AppError::Invalid(
                [e.err(), d.err(), p.err()].into_iter().flatten().collect(),
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct UsersPage {
    pub users: Vec<User>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Clone)]
pub struct UserDetail {
    pub user: User,
    pub grants: Vec<Grant>,
}

fn taken_is_field_error(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(_) => {
            AppError::Invalid(vec![FieldError::new("email", Problem::Taken)])
        }
        other => other.into(),
    }
}

impl App {
    pub fn list_users(
        &self,
        caller: &Caller,
        search: Option<&str>,
        page: i64,
    ) -> Result<UsersPage, AppError> {
        require_permission(caller, Permission::AdministerAccounts)?;
        let page = page.max(1);
        let (users, total) = self
            .db()
            .read(|tx| users::list(tx, search, USERS_PAGE_SIZE, (page - 1) * USERS_PAGE_SIZE))?;
        Ok(UsersPage {
            users,
            total,
            page,
            page_size: USERS_PAGE_SIZE,
        })
    }

    /// Any account with its grants (secretariat only; one's own is `SessionUser`).
    pub fn user_detail(&self, caller: &Caller, id: UserId) -> Result<UserDetail, AppError> {
        require_permission(caller, Permission::AdministerAccounts)?;
        self.db().read(|tx| {
            let user = users::by_id(tx, id)?.ok_or(AppError::NotFound)?;
            let grants = users::grants(tx, id)?;
            Ok(UserDetail { user, grants })
        })
    }

    /// Creates an account with the given grants (secretariat only).
    pub fn create_user(&self, caller: &Caller, new: &NewAccount) -> Result<UserDetail, AppError> {
        require_permission(caller, Permission::AdministerAccounts)?;
        self.insert_account(caller, new)
    }

    /// Creates a secretariat account from the command line. Whoever runs the CLI has
    /// the database already, so no principal is checked; the audit log names the CLI.
    pub fn bootstrap_admin(
        &self,
        email: &str,
        display_name: &str,
        password: &str,
    ) -> Result<UserDetail, AppError> {
        let new = NewAccount {
            email: email.into(),
            display_name: display_name.into(),
            password: password.into(),
            grants: vec![Grant {
                role: Role::Secretariat,
                scope: Scope::Global,
            }],
        };
        let cli = Caller {
            principal: Principal::Anonymous,
            label: "cli".into(),
            client_ip: None,
        };
        self.insert_account(&cli, &new)
    }

    /// A personal API token for an existing, enabled account, made by the operator on
    /// the command line (which has the database anyway): for scripts and for checking a
    /// fresh installation's API. Audited like a token the owner made.
    pub fn issue_api_token_for(
        &self,
        email: &str,
        name: &str,
    ) -> Result<crate::ApiTokenCreated, AppError> {
        let email = plenary_domain::Email::parse("email", email)?;
        let user = self
            .db()
            .read(|tx| users::by_email(tx, email.as_str()))?
            .filter(|u| u.disabled_at.is_none())
            .ok_or_else(|| {
                AppError::field(
                    "email",
                    plenary_domain::Problem::Invalid("no enabled account has this address"),
                )
            })?;
        let owner = Caller {
            principal: Principal::User {
                id: user.id,
                grants: vec![],
            },
            label: format!("cli for {}", user.email),
            client_ip: None,
        };
        self.create_api_token(&owner, name)
    }

    fn insert_account(&self, caller: &Caller, new: &NewAccount) -> Result<UserDetail, AppError> {
        let valid = new.validate()?;
        let hash = self.passwords().hash(valid.password.expose())?;
        let now = self.now();
        self.db().write(|tx| {
            let record = NewUser {
                email: valid.email.as_str(),
                display_name: valid.display_name.as_str(),
                password_hash: &hash,
            };
            for grant in &new.grants {
                known_scope(tx, grant.scope)?;
            }
            let id = users::insert(tx, &record, now).map_err(taken_is_field_error)?;
            for grant in &new.grants {
                users::add_grant(tx, id, *grant, now)?;
            }
            // The person's directory entry, when it has this address, becomes theirs (as
            // on sign-up): their dashboard, memberships and minutes follow the account.
            let person =
                plenary_store::directory::link_person_by_email(tx, valid.email.as_str(), id.0, now)?;
            Change::new("user.create", "user", id.0)
                .detail(json!({ "email": valid.email.as_str(), "display_name": valid.display_name.as_str(), "grants": new.grants, "person": person }))
                .record(tx, caller, now)?;
            let user = users::by_id(tx, id)?.ok_or(AppError::NotFound)?;
            Ok(UserDetail { user, grants: users::grants(tx, id)? })
        })
    }

    pub fn grant_role(
        &self,
        caller: &Caller,
        id: UserId,
        grant: Grant,
    ) -> Result<UserDetail, AppError> {
        require_permission(caller, Permission::AdministerAccounts)?;
        let now = self.now();
        self.db().write(|tx| {
            existing_user(tx, id)?;
            known_scope(tx, grant.scope)?;
            if users::add_grant(tx, id, grant, now)? {
                Change::new("grant.add", "user", id.0)
                    .detail(json!({ "grant": grant }))
                    .record(tx, caller, now)?;
            }
            Ok(UserDetail {
                user: existing_user(tx, id)?,
                grants: users::grants(tx, id)?,
            })
        })
    }

    /// Removes a grant; the last global secretariat grant of an enabled account stays.
    pub fn revoke_role(
        &self,
        caller: &Caller,
        id: UserId,
        grant: Grant,
    ) -> Result<UserDetail, AppError> {
        require_permission(caller, Permission::AdministerAccounts)?;
        let now = self.now();
        self.db().write(|tx| {
            let user = existing_user(tx, id)?;
            let held = users::grants(tx, id)?.contains(&grant);
            if held && grant == SECRETARIAT && user.disabled_at.is_none() {
                keep_one_secretariat(tx)?;
            }
            if users::remove_grant(tx, id, grant)? {
                Change::new("grant.remove", "user", id.0)
                    .detail(json!({ "grant": grant }))
                    .record(tx, caller, now)?;
            }
            Ok(UserDetail {
                user,
                grants: users::grants(tx, id)?,
            })
        })
    }

    /// Disables or re-enables an account. Disabling ends its sessions at once.
    pub fn set_user_disabled(
        &self,
        caller: &Caller,
        id: UserId,
        disabled: bool,
    ) -> Result<UserDetail, AppError> {
        require_permission(caller, Permission::AdministerAccounts)?;
        let now = self.now();
        self.db().write(|tx| {
            let user = existing_user(tx, id)?;
            if disabled && user.disabled_at.is_none() {
                if users::grants(tx, id)?.contains(&SECRETARIAT) {
                    keep_one_secretariat(tx)?;
                }
                users::set_disabled(tx, id, Some(now))?;
                sessions::delete_for_user(tx, id)?;
                Change::new("user.disable", "user", id.0).record(tx, caller, now)?;
            } else if !disabled && user.disabled_at.is_some() {
                users::set_disabled(tx, id, None)?;
                Change::new("user.enable", "user", id.0).record(tx, caller, now)?;
            }
            Ok(UserDetail {
                user: existing_user(tx, id)?,
                grants: users::grants(tx, id)?,
            })
        })
    }

    /// Whether any account exists (the demo fills only an empty database).
    pub fn has_accounts(&self) -> Result<bool, AppError> {
        Ok(self.db().read(users::count)? > 0)
    }
}

const SECRETARIAT: Grant = Grant {
    role: Role::Secretariat,
    scope: Scope::Global,
};

fn existing_user(tx: &mut Tx<'_>, id: UserId) -> Result<User, AppError> {
    users::by_id(tx, id)?.ok_or(AppError::NotFound)
}

/// A grant within a body or event that does not exist is refused: it would hold nothing
/// today, and would silently take effect on whatever later gets that id.
fn known_scope(tx: &mut Tx<'_>, scope: Scope) -> Result<(), AppError> {
    let known = match scope {
        Scope::Global => true,
        Scope::Body(id) => plenary_store::directory::body(tx, id)?.is_some(),
        Scope::Event(id) => plenary_store::registration::event(tx, id)?.is_some(),
    };
    if known {
        Ok(())
    } else {
        Err(AppError::field("scope", Problem::Unknown("body or event")))
    }
}

fn keep_one_secretariat(tx: &mut Tx<'_>) -> Result<(), AppError> {
    if users::count_with_global_role(tx, Role::Secretariat)? <= 1 {
        return Err(AppError::Refused(
            "the last secretariat account cannot lose its role or be disabled",
        ));
    }
    Ok(())
}
