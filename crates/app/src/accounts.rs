//! Signing in and out, sessions, password resets and changes, personal API tokens.

use crate::audit::Change;
use crate::secrets::token_hash;
use crate::{App, AppError, Caller, mail};
use chrono::{DateTime, Duration, Utc};
use plenary_domain::sign_in_throttle::{self, Failures};
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

/// What becomes of an account's personal API tokens when its credentials change:
/// revoked unless the owner asks to keep them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiTokens {
    #[default]
    Revoke,
    Keep,
}

/// What a change of credentials ended: sessions and API tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialsEnded {
    pub sessions: u64,
    pub api_tokens: u64,
}

fn revoke_tokens(
    tx: &mut Tx<'_>,
    user: plenary_domain::UserId,
    tokens: ApiTokens,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(match tokens {
        ApiTokens::Revoke => credentials::revoke_all_api_tokens(tx, user, now)?,
        ApiTokens::Keep => 0,
    })
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
    /// Signs in with e-mail address and password.
    ///
    /// The attempt is counted before the password is checked: one transaction checks the
    /// throttle (per account and address, per address, per account; see
    /// [`sign_in_throttle`]) and reserves the attempt as a failure, so simultaneous
    /// attempts are counted one after another. Only then is the password hashed, through
    /// the bounded hashing gate; a success turns the reservation into a success.
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
        let (attempt, account) = self
            .db()
            .write(|tx| reserve_attempt(tx, &email, client_ip, now))?;
        // An account without a password is checked against the decoy like a missing
        // one, so that neither answers faster than a wrong password.
        let stored = account
            .as_ref()
            .map(|(_, hash)| hash.as_str())
            .filter(|hash| !hash.is_empty());
        let verified = match self.passwords().verify(password, stored) {
            Ok(matches) => matches,
            Err(busy) => {
                // Never checked: the attempt does not count against anyone.
                self.db().write(|tx| throttle::release(tx, attempt))?;
                return Err(busy);
            }
        };
        let Some((user, _)) = account.filter(|(user, _)| verified && user.disabled_at.is_none())
        else {
            return Err(AppError::BadCredentials);
        };
        self.db().write(|tx| {
            throttle::mark_succeeded(tx, attempt)?;
            open_session(tx, &user, Some(client_ip), user_agent, now)
        })
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

    /// Ends every session of the caller's account, on every device, and (unless asked
    /// to keep them) revokes its personal API tokens: whoever took over a session may
    /// have made one.
    pub fn sign_out_everywhere(
        &self,
        caller: &Caller,
        tokens: ApiTokens,
    ) -> Result<CredentialsEnded, AppError> {
        let user_id = require_account(caller)?;
        let now = self.now();
        self.db().write(|tx| {
            let ended = CredentialsEnded {
                sessions: sessions::delete_for_user(tx, user_id)?,
                api_tokens: revoke_tokens(tx, user_id, tokens, now)?,
            };
            Change::new("session.delete_all", "user", user_id.0)
                .detail(json!({ "sessions_ended": ended.sessions, "api_tokens_revoked": ended.api_tokens }))
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

    /// Sets a new password with a reset link. The link is used up, every session of the
    /// account ends and its API tokens are revoked; a notice is mailed.
    pub fn reset_password(
        &self,
        token: &str,
        new_password: &str,
        client_ip: Option<String>,
    ) -> Result<User, AppError> {
        let password = Password::parse("password", new_password)?;
        let now = self.now();
        self.check_reset_link(token)?;
        let hash = self.passwords().hash(password.expose())?;
        self.db().write(|tx| {
            let reset = usable_reset(tx, token, now)?;
            if !credentials::mark_reset_used(tx, reset.id, now)? {
                return Err(AppError::LinkInvalid);
            }
            let user = users::by_id(tx, reset.user_id)?.ok_or(AppError::LinkInvalid)?;
            users::set_password_hash(tx, user.id, &hash, now)?;
            credentials::void_resets_for_user(tx, user.id, now)?;
            let ended = CredentialsEnded {
                sessions: sessions::delete_for_user(tx, user.id)?,
                api_tokens: revoke_tokens(tx, user.id, ApiTokens::Revoke, now)?,
            };
            self.notify_password_changed(tx, &user, "reset with an e-mailed link", ApiTokens::Revoke, ended, now)?;
            let caller = Caller {
                principal: Principal::User {
                    id: user.id,
                    grants: vec![],
                },
                label: user.email.clone(),
                client_ip,
            };
            Change::new("password.reset", "user", user.id.0)
                .detail(json!({ "sessions_ended": ended.sessions, "api_tokens_revoked": ended.api_tokens }))
                .record(tx, &caller, now)?;
            Ok(user)
        })
    }

    /// Changes the caller's password after checking the current one; other sessions end,
    /// the API tokens are revoked unless the caller keeps them, and a notice is mailed.
    pub fn change_password(
        &self,
        caller: &Caller,
        current: &str,
        new_password: &str,
        keep_session: Option<i64>,
        tokens: ApiTokens,
    ) -> Result<CredentialsEnded, AppError> {
        let user_id = require_account(caller)?;
        let password = Password::parse("new_password", new_password)?;
        let stored = self
            .db()
            .read(|tx| users::password_hash(tx, user_id))?
            .ok_or(AppError::NotFound)?;
        if !self.passwords().verify(current, Some(&stored))? {
            return Err(AppError::field(
                "current_password",
                Problem::Invalid("this is not your current password"),
            ));
        }
        let hash = self.passwords().hash(password.expose())?;
        let now = self.now();
        self.db().write(|tx| {
            users::set_password_hash(tx, user_id, &hash, now)?;
            credentials::void_resets_for_user(tx, user_id, now)?;
            let ended = CredentialsEnded {
                sessions: sessions::delete_for_user_except(tx, user_id, keep_session)?,
                api_tokens: revoke_tokens(tx, user_id, tokens, now)?,
            };
            let user = users::by_id(tx, user_id)?.ok_or(AppError::NotFound)?;
            self.notify_password_changed(tx, &user, "changed on the account page", tokens, ended, now)?;
            Change::new("password.change", "user", user_id.0)
                .detail(json!({ "other_sessions_ended": ended.sessions, "api_tokens_revoked": ended.api_tokens }))
                .record(tx, caller, now)?;
            Ok(ended)
        })
    }

    /// Mails the account's owner that its password changed, and what became of its
    /// API tokens (in the transaction of the change).
    fn notify_password_changed(
        &self,
        tx: &mut Tx<'_>,
        user: &User,
        how: &str,
        tokens: ApiTokens,
        ended: CredentialsEnded,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let still_live = credentials::api_tokens_for_user(tx, user.id)?
            .iter()
            .filter(|t| t.revoked_at.is_none())
            .count();
        let tokens_text = match (tokens, ended.api_tokens, still_live) {
            (_, 0, 0) => "Your account has no API tokens.".to_owned(),
            (ApiTokens::Keep, _, n) => format!(
                "Your {n} API token{} kept working, as you asked; revoke {} on your account page if in doubt.",
                if n == 1 { " was" } else { "s were" },
                if n == 1 { "it" } else { "them" },
            ),
            (ApiTokens::Revoke, n, _) => format!(
                "Your {n} API token{} revoked; create new ones on your account page if you need them.",
                if n == 1 { " was" } else { "s were" },
            ),
        };
        mail::enqueue_templated(
            tx,
            "password_changed",
            &user.email,
            &[
                ("name", user.display_name.clone()),
                ("how", how.to_owned()),
                ("tokens", tokens_text),
                (
                    "link",
                    format!(
                        "{}/password-reset",
                        self.config().base_url.trim_end_matches('/')
                    ),
                ),
            ],
            &[],
            now,
        )?;
        Ok(())
    }

    /// Sets (or clears, with an empty name) the caller's preferred time zone.
    pub fn set_my_time_zone(&self, caller: &Caller, zone: &str) -> Result<(), AppError> {
        let user_id = require_permission(caller, Permission::UseOwnAccount)?;
        let zone = if zone.trim().is_empty() {
            None
        } else {
            Some(plenary_domain::time::Zone::find("time_zone", zone)?)
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

/// Starts a session of `user` (signed in, or just created by a followed link) and
/// records it in the audit log; returns the secret for the session cookie.
pub(crate) fn open_session(
    tx: &mut Tx<'_>,
    user: &User,
    client_ip: Option<&str>,
    user_agent: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SignedIn, AppError> {
    let session_token = crate::random_token();
    let new = NewSession {
        token_hash: &token_hash(&session_token),
        user_id: user.id,
        expires_at: now + SESSION_IDLE_TIMEOUT,
        client_ip,
        user_agent,
    };
    let session_id = sessions::insert(tx, &new, now)?;
    let caller = Caller {
        principal: Principal::User {
            id: user.id,
            grants: vec![],
        },
        label: user.email.clone(),
        client_ip: client_ip.map(str::to_owned),
    };
    Change::new("session.create", "session", session_id).record(tx, &caller, now)?;
    Ok(SignedIn {
        session_token,
        user: user.clone(),
    })
}

/// Checks the throttle and reserves the attempt as a failure, in one transaction under
/// the account's and the address's locks; returns the attempt and the account with its
/// password hash, if there is one.
fn reserve_attempt(
    tx: &mut Tx<'_>,
    email: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(i64, Option<(User, String)>), AppError> {
    throttle::lock_keys(tx, email, client_ip)?;
    let policy = sign_in_throttle::POLICY;
    let (pair, address, account) = policy.lookback();
    let failures = Failures {
        pair: throttle::failures_for_pair(
            tx,
            email,
            client_ip,
            now - policy.pair.window,
            as_limit(pair),
        )?,
        address: throttle::failures_for_ip(
            tx,
            client_ip,
            now - policy.address.window,
            as_limit(address),
        )?,
        account: throttle::failures_for_email(
            tx,
            email,
            now - policy.account_window,
            as_limit(account),
        )?,
    };
    if let Some(wait) = policy.wait(&failures, now) {
        return Err(AppError::RateLimited {
            // Whole seconds, rounded up: Retry-After has no fractions.
            retry_after: std::time::Duration::from_secs(
                u64::try_from(wait.num_milliseconds())
                    .unwrap_or(0)
                    .div_ceil(1000)
                    .max(1),
            ),
        });
    }
    let attempt = throttle::reserve(tx, email, client_ip, now)?;
    let account = match users::by_email(tx, email)? {
        Some(user) => {
            let hash = users::password_hash(tx, user.id)?.unwrap_or_default();
            Some((user, hash))
        }
        None => None,
    };
    Ok((attempt, account))
}

fn as_limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
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
