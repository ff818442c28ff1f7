//! Signing in and out, sessions, password resets and changes, personal API tokens.

use crate::audit::Change;
use crate::secrets::{self, token_hash};
use crate::{App, AppError, Caller, mail};
use chrono::{DateTime, Duration, Utc};
use plenary_domain::{
    ApiTokenId, DisplayName, Email, FieldError, Grant, Password, Permission, Principal, Problem,
    Scope,
};
use plenary_store::credentials::{self, ApiToken};
use plenary_store::sessions::{self, NewSession, Session};
use plenary_store::users::{self, User};
use plenary_store::{Tx, throttle};
use serde_json::json;

/// A session ends after this long without activity.
pub const SESSION_IDLE_TIMEOUT: Duration = Duration::days(7);
/// Activity is written back at most this often, not on every request.
const SESSION_TOUCH_INTERVAL: Duration = Duration::minutes(5);
pub const RESET_LINK_LIFETIME: Duration = Duration::hours(1);
/// Failed sign-ins allowed in `THROTTLE_WINDOW` per account, then per client address.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
const THROTTLE_WINDOW: Duration = Duration::minutes(15);
const MAX_OPEN_RESET_LINKS: i64 = 3;

/// The result of a successful sign-in: the secret for the session cookie.
#[derive(Debug)]
pub struct SignedIn {
    pub session_token: String,
    pub user: User,
}

/// The account behind a session cookie or an API token.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub grants: Vec<Grant>,
    /// The session's id; `None` for API tokens.
    pub session_id: Option<i64>,
}

impl SessionUser {
    pub fn caller(&self, client_ip: Option<String>) -> Caller {
        Caller {
            principal: Principal::User {
                id: self.user.id,
                grants: self.grants.clone(),
            },
            label: self.user.email.clone(),
            client_ip,
        }
    }
}

/// A new API token: the secret is shown once and never stored.
#[derive(Debug)]
pub struct ApiTokenCreated {
    pub token: ApiToken,
    pub secret: String,
}

const API_TOKEN_PREFIX: &str = "plenary_";

fn require_text(field: &'static str, value: &str) -> Result<(), FieldError> {
    if value.is_empty() {
        Err(FieldError::new(field, Problem::Required))
    } else {
        Ok(())
    }
}

impl App {
    /// Signs in with e-mail address and password. Failures are counted per account and
    /// per client address; past the limit the attempt is refused without checking.
    pub fn sign_in(
        &self,
        email: &str,
        password: &str,
        client_ip: &str,
        user_agent: Option<&str>,
    ) -> Result<SignedIn, AppError> {
        let mut missing = Vec::new();
        missing.extend(require_text("email", email.trim()).err());
        missing.extend(require_text("password", password).err());
        if !missing.is_empty() {
            return Err(AppError::Invalid(missing));
        }
        let email = email.trim().to_lowercase();
        let now = self.now();
        let since = now - THROTTLE_WINDOW;
        let account = self.db().read(|tx| {
            if throttle::failures_for_email(tx, &email, since)? >= MAX_FAILURES_PER_ACCOUNT
                || throttle::failures_for_ip(tx, client_ip, since)? >= MAX_FAILURES_PER_ADDRESS
            {
                return Err(AppError::RateLimited {
                    retry_after: THROTTLE_WINDOW.to_std().unwrap_or_default(),
                });
            }
            let Some(user) = users::by_email(tx, &email)? else {
                return Ok(None);
            };
            let hash = users::password_hash(tx, user.id)?.unwrap_or_default();
            Ok(Some((user, hash)))
        })?;
        // Hash outside any transaction: it takes tens of milliseconds.
        let verified = match &account {
            Some((user, hash)) => {
                secrets::verify_password(password, hash) && user.disabled_at.is_none()
            }
            None => {
                secrets::verify_password(password, secrets::decoy_hash());
                false
            }
        };
        let session_token = crate::random_token();
        self.db().write(|tx| {
            throttle::record(tx, &email, client_ip, verified, now)?;
            let Some((user, _)) = account.filter(|_| verified) else {
                return Ok(Err(AppError::BadCredentials));
            };
            let new = NewSession {
                token_hash: &token_hash(&session_token),
                user_id: user.id,
                expires_at: now + SESSION_IDLE_TIMEOUT,
                client_ip: Some(client_ip),
                user_agent,
            };
            let session_id = sessions::insert(tx, &new, now)?;
            let caller = Caller {
                principal: Principal::User {
                    id: user.id,
                    grants: vec![],
                },
                label: user.email.clone(),
                client_ip: Some(client_ip.to_owned()),
            };
            Change::new("session.create", "session", session_id).record(tx, &caller, now)?;
            Ok::<_, AppError>(Ok(SignedIn {
                session_token: session_token.clone(),
                user,
            }))
        })?
    }

    /// The account behind a session cookie, if the session is live and the account enabled.
    pub fn session_user(&self, session_token: &str) -> Result<Option<SessionUser>, AppError> {
        let now = self.now();
        let hash = token_hash(session_token);
        let found = self.db().read(|tx| -> Result<_, AppError> {
            let Some(session) = sessions::live_by_hash(tx, &hash, now)? else {
                return Ok(None);
            };
            Ok(load_account(tx, session.user_id)?.map(|(user, grants)| (session, user, grants)))
        })?;
        let Some((session, user, grants)) = found else {
            return Ok(None);
        };
        if now - session.last_seen_at > SESSION_TOUCH_INTERVAL {
            self.db()
                .write(|tx| sessions::touch(tx, session.id, now, now + SESSION_IDLE_TIMEOUT))?;
        }
        Ok(Some(SessionUser {
            user,
            grants,
            session_id: Some(session.id),
        }))
    }

    /// The account behind a personal API token.
    pub fn api_token_user(&self, secret: &str) -> Result<Option<SessionUser>, AppError> {
        if !secret.starts_with(API_TOKEN_PREFIX) {
            return Ok(None);
        }
        let now = self.now();
        let hash = token_hash(secret);
        let found = self.db().read(|tx| -> Result<_, AppError> {
            let Some(token) = credentials::live_api_token_by_hash(tx, &hash)? else {
                return Ok(None);
            };
            Ok(load_account(tx, token.user_id)?.map(|(user, grants)| (token, user, grants)))
        })?;
        let Some((token, user, grants)) = found else {
            return Ok(None);
        };
        if token
            .last_used_at
            .is_none_or(|at| now - at > SESSION_TOUCH_INTERVAL)
        {
            self.db()
                .write(|tx| credentials::touch_api_token(tx, token.id, now))?;
        }
        Ok(Some(SessionUser {
            user,
            grants,
            session_id: None,
        }))
    }

    /// Ends the session of this cookie (no error if it had ended already).
    pub fn sign_out(&self, session_token: &str, client_ip: Option<String>) -> Result<(), AppError> {
        let now = self.now();
        self.db().write(|tx| {
            if let Some(user_id) = sessions::delete_by_hash(tx, &token_hash(session_token))? {
                let caller = Caller {
                    principal: Principal::User {
                        id: user_id,
                        grants: vec![],
                    },
                    label: users::by_id(tx, user_id)?
                        .map(|u| u.email)
                        .unwrap_or_default(),
                    client_ip,
                };
                Change::new("session.delete", "user", user_id.0).record(tx, &caller, now)?;
            }
            Ok(())
        })
    }

    /// Ends every session of the caller's account, on every device.
    pub fn sign_out_everywhere(&self, caller: &Caller) -> Result<u64, AppError> {
        let user_id = require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let ended = sessions::delete_for_user(tx, user_id)?;
            Change::new("session.delete_all", "user", user_id.0)
                .detail(json!({ "sessions_ended": ended }))
                .record(tx, caller, now)?;
            Ok(ended)
        })
    }

    pub fn my_sessions(&self, caller: &Caller) -> Result<Vec<Session>, AppError> {
        let user_id = require_account(caller)?;
        let now = self.now();
        Ok(self
            .db()
            .read(|tx| sessions::list_for_user(tx, user_id, now))?)
    }

    /// Sends a single-use reset link if an enabled account has this address. Answers the
    /// same whether or not it does, so that addresses cannot be probed.
    pub fn request_password_reset(
        &self,
        email: &str,
        client_ip: Option<String>,
    ) -> Result<(), AppError> {
        let email = Email::parse("email", email)?;
        let now = self.now();
        let token = crate::random_token();
        let link = format!(
            "{}/password-reset/{token}",
            self.config().base_url.trim_end_matches('/')
        );
        self.db().write(|tx| {
            let Some(user) =
                users::by_email(tx, email.as_str())?.filter(|u| u.disabled_at.is_none())
            else {
                return Ok(());
            };
            if credentials::open_resets_for_user(tx, user.id, now)? >= MAX_OPEN_RESET_LINKS {
                return Ok(());
            }
            credentials::insert_reset(
                tx,
                &token_hash(&token),
                user.id,
                now,
                now + RESET_LINK_LIFETIME,
            )?;
            mail::enqueue_templated(
                tx,
                "password_reset",
                &user.email,
                &[
                    ("name", user.display_name.clone()),
                    ("link", link.clone()),
                    ("minutes", RESET_LINK_LIFETIME.num_minutes().to_string()),
                ],
                &[],
                now,
            )?;
            let caller = Caller::anonymous(client_ip);
            Change::new("password_reset.request", "user", user.id.0).record(tx, &caller, now)?;
            Ok(())
        })
    }

    /// Whether a reset link can still be used (to show the form or the error).
    pub fn check_reset_link(&self, token: &str) -> Result<(), AppError> {
        let now = self.now();
        self.db()
            .read(|tx| usable_reset(tx, token, now).map(|_| ()))
    }

    /// Sets a new password with a reset link. The link is used up, and every session of
    /// the account ends.
    pub fn reset_password(
        &self,
        token: &str,
        new_password: &str,
        client_ip: Option<String>,
    ) -> Result<User, AppError> {
        let password = Password::parse("password", new_password)?;
        let now = self.now();
        self.check_reset_link(token)?;
        let hash = secrets::hash_password(password.expose())?;
        self.db().write(|tx| {
            let reset = usable_reset(tx, token, now)?;
            if !credentials::mark_reset_used(tx, reset.id, now)? {
                return Err(AppError::LinkInvalid);
            }
            let user = users::by_id(tx, reset.user_id)?.ok_or(AppError::LinkInvalid)?;
            users::set_password_hash(tx, user.id, &hash, now)?;
            credentials::void_resets_for_user(tx, user.id, now)?;
            let ended = sessions::delete_for_user(tx, user.id)?;
            let caller = Caller {
                principal: Principal::User {
                    id: user.id,
                    grants: vec![],
                },
                label: user.email.clone(),
                client_ip,
            };
            Change::new("password.reset", "user", user.id.0)
                .detail(json!({ "sessions_ended": ended }))
                .record(tx, &caller, now)?;
            Ok(user)
        })
    }

    /// Changes the caller's password after checking the current one; other sessions end.
    pub fn change_password(
        &self,
        caller: &Caller,
        current: &str,
        new_password: &str,
        keep_session: Option<i64>,
    ) -> Result<(), AppError> {
        let user_id = require_account(caller)?;
        let password = Password::parse("new_password", new_password)?;
        let stored = self
            .db()
            .read(|tx| users::password_hash(tx, user_id))?
            .ok_or(AppError::NotFound)?;
        if !secrets::verify_password(current, &stored) {
            return Err(AppError::field(
                "current_password",
                Problem::Invalid("this is not your current password"),
            ));
        }
        let hash = secrets::hash_password(password.expose())?;
        let now = self.now();
        self.db().write(|tx| {
            users::set_password_hash(tx, user_id, &hash, now)?;
            credentials::void_resets_for_user(tx, user_id, now)?;
            let ended = sessions::delete_for_user_except(tx, user_id, keep_session)?;
            Change::new("password.change", "user", user_id.0)
                .detail(json!({ "other_sessions_ended": ended }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    /// Sets (or clears, with an empty name) the caller's preferred time zone.
    pub fn set_my_time_zone(&self, caller: &Caller, zone: &str) -> Result<(), AppError> {
        let user_id = require_permission(caller, Permission::UseOwnAccount)?;
        let zone = if zone.trim().is_empty() {
            None
        } else {
            Some(plenary_domain::time::Zone::parse("time_zone", zone)?)
        };
        let now = self.now();
        self.db().write(|tx| {
            users::set_time_zone(tx, user_id, zone.map(|z| z.name()))?;
            Change::new("user.time_zone", "user", user_id.0)
                .detail(json!({ "time_zone": zone.map(|z| z.name()) }))
                .record(tx, caller, now)?;
            Ok(())
        })
    }

    /// Creates a personal API token that acts with the caller's own grants.
    pub fn create_api_token(
        &self,
        caller: &Caller,
        name: &str,
    ) -> Result<ApiTokenCreated, AppError> {
        let user_id = require_permission(caller, Permission::UseOwnAccount)?;
        let name = DisplayName::parse("name", name)?;
        let secret = format!("{API_TOKEN_PREFIX}{}", crate::random_token());
        let prefix: String = secret.chars().take(API_TOKEN_PREFIX.len() + 6).collect();
        let now = self.now();
        self.db().write(|tx| {
            let id = credentials::insert_api_token(
                tx,
                user_id,
                name.as_str(),
                &prefix,
                &token_hash(&secret),
                now,
            )?;
            Change::new("api_token.create", "api_token", id.0)
                .detail(json!({ "name": name.as_str() }))
                .record(tx, caller, now)?;
            let token = credentials::api_tokens_for_user(tx, user_id)?
                .into_iter()
                .find(|t| t.id == id)
                .ok_or_else(|| AppError::Internal("new token not found".into()))?;
            Ok(ApiTokenCreated {
                token,
                secret: secret.clone(),
            })
        })
    }

    pub fn my_api_tokens(&self, caller: &Caller) -> Result<Vec<ApiToken>, AppError> {
        let user_id = require_permission(caller, Permission::UseOwnAccount)?;
        Ok(self
            .db()
            .read(|tx| credentials::api_tokens_for_user(tx, user_id))?)
    }

    /// Revokes one of the caller's tokens; another account's token is "not found".
    pub fn revoke_api_token(&self, caller: &Caller, id: ApiTokenId) -> Result<(), AppError> {
        let user_id = require_permission(caller, Permission::UseOwnAccount)?;
        let now = self.now();
        self.db().write(|tx| {
            if !credentials::revoke_api_token(tx, user_id, id, now)? {
                return Err(AppError::NotFound);
            }
            Change::new("api_token.revoke", "api_token", id.0).record(tx, caller, now)?;
            Ok(())
        })
    }
}

/// The signed-in account of the caller, or `SignInRequired`.
pub(crate) fn require_account(caller: &Caller) -> Result<plenary_domain::UserId, AppError> {
    caller.principal.user_id().ok_or(AppError::SignInRequired)
}

/// The caller's account if it holds `permission` globally; deny otherwise.
pub(crate) fn require_permission(
    caller: &Caller,
    permission: Permission,
) -> Result<plenary_domain::UserId, AppError> {
    let user_id = require_account(caller)?;
    if caller.principal.can(permission, Scope::Global) {
        Ok(user_id)
    } else {
        Err(AppError::Forbidden)
    }
}

fn load_account(
    tx: &mut Tx<'_>,
    id: plenary_domain::UserId,
) -> Result<Option<(User, Vec<Grant>)>, AppError> {
    let Some(user) = users::by_id(tx, id)?.filter(|u| u.disabled_at.is_none()) else {
        return Ok(None);
    };
    let grants = users::grants(tx, user.id)?;
    Ok(Some((user, grants)))
}

fn usable_reset(
    tx: &mut Tx<'_>,
    token: &str,
    now: DateTime<Utc>,
) -> Result<credentials::Reset, AppError> {
    match credentials::reset_by_hash(tx, &token_hash(token))? {
        Some(reset) if reset.used_at.is_none() && reset.expires_at > now => Ok(reset),
        _ => Err(AppError::LinkInvalid),
    }
}
