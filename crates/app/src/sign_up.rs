//! Self-service sign-up: a person asks for an account with their name, e-mail address
//! and password; the account is created only when the single-use link mailed to the
//! address is followed. An address that has an account gets a mail saying so instead,
//! and the answer is the same either way, so that nobody learns which addresses have
//! accounts.

use crate::accounts::{SignedIn, open_session};
use crate::audit::Change;
use crate::input::Errors;
use crate::secrets::token_hash;
use crate::{App, AppError, Caller, mail};
use chrono::{DateTime, Duration, Utc};
use plenary_domain::{DisplayName, Email, Password};
use plenary_store::sign_ups::{self, NewSignUp, SignUp};
use plenary_store::users::{self, NewUser, User};
use plenary_store::{StoreError, Tx};
use serde_json::json;

/// How long a verification link works.
pub const SIGN_UP_LINK_LIFETIME: Duration = Duration::hours(24);
/// Requests for one address in [`SIGN_UP_LINK_LIFETIME`]; more send no further mail (and
/// answer the same), so that nobody can flood a mailbox through the form.
const MAX_SIGN_UPS_PER_ADDRESS: i64 = 3;
/// Requests from one client address in an hour; more are refused with a wait.
const MAX_SIGN_UPS_PER_CLIENT: i64 = 10;
const CLIENT_WINDOW: Duration = Duration::hours(1);

/// What a person types to ask for an account.
#[derive(Debug, Clone, Default)]
pub struct SignUpInput {
    pub display_name: String,
    pub email: String,
    pub password: String,
}

struct ValidSignUp {
    display_name: DisplayName,
    email: Email,
    password: Password,
}

impl SignUpInput {
    fn validate(&self) -> Result<ValidSignUp, AppError> {
        let mut errors = Errors::default();
        let display_name = errors.take(DisplayName::parse("display_name", &self.display_name));
        let email = errors.take(Email::parse("email", &self.email));
        let password = errors.take(Password::parse("password", &self.password));
        errors.finish()?;
        match (display_name, email, password) {
            (Some(display_name), Some(email), Some(password)) => Ok(ValidSignUp {
                display_name,
                email,
                password,
            }),
            _ => Err(crate::input::missing()),
        }
    }
}

/// A verification link that can still be followed: whose account it creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignUp {
    pub email: String,
    pub display_name: String,
}

impl App {
    /// Asks for an account. A free address is mailed a link that creates the account
    /// (for [`SIGN_UP_LINK_LIFETIME`]); an address with an account is mailed a notice
    /// with links to sign in and to reset the password. Either way the answer is `Ok`.
    /// A client address that asks too often is refused with a wait.
    pub fn sign_up(&self, input: &SignUpInput, client_ip: Option<String>) -> Result<(), AppError> {
        let valid = input.validate()?;
        let now = self.now();
        let ip = client_ip.as_deref();
        // Checked before the password is hashed, so that a flood costs no hashing.
        self.db().read(|tx| client_within_limit(tx, ip, now))?;
        let hash = self.passwords().hash(valid.password.expose())?;
        let base = self.config().base_url.trim_end_matches('/').to_owned();
        let token = crate::random_token();
        self.db().write(|tx| {
            client_within_limit(tx, ip, now)?;
            let email = valid.email.as_str();
            let since = now - SIGN_UP_LINK_LIFETIME;
            if sign_ups::count_for_email(tx, email, since)? >= MAX_SIGN_UPS_PER_ADDRESS {
                return Ok(());
            }
            let existing = users::by_email(tx, email)?;
            let hashed = token_hash(&token);
            let new = NewSignUp {
                email,
                display_name: if existing.is_some() {
                    ""
                } else {
                    valid.display_name.as_str()
                },
                password_hash: if existing.is_some() { "" } else { &hash },
                token_hash: existing.is_none().then_some(hashed.as_str()),
                client_ip: ip,
                expires_at: now + SIGN_UP_LINK_LIFETIME,
            };
            let id = sign_ups::insert(tx, &new, now)?;
            match &existing {
                Some(user) => mail::enqueue_templated(
                    tx,
                    "sign_up_existing",
                    email,
                    &[
                        ("name", user.display_name.clone()),
                        ("sign_in_link", format!("{base}/sign-in")),
                        ("reset_link", format!("{base}/password-reset")),
                    ],
                    &[],
                    now,
                )?,
                None => mail::enqueue_templated(
                    tx,
                    "sign_up_verify",
                    email,
                    &[
                        ("name", valid.display_name.as_str().to_owned()),
                        ("link", format!("{base}/sign-up/{token}")),
                        ("hours", SIGN_UP_LINK_LIFETIME.num_hours().to_string()),
                    ],
                    &[],
                    now,
                )?,
            };
            Change::new("sign_up.request", "sign_up", id)
                .detail(json!({ "email": email, "existing_account": existing.is_some() }))
                .record(tx, &Caller::anonymous(client_ip.clone()), now)?;
            Ok(())
        })
    }

    /// Whose account a verification link would create, if it can still be followed.
    pub fn check_sign_up_link(&self, token: &str) -> Result<PendingSignUp, AppError> {
        let now = self.now();
        self.db().read(|tx| {
            let pending = usable_sign_up(tx, token, now)?;
            Ok(PendingSignUp {
                email: pending.email,
                display_name: pending.display_name,
            })
        })
    }

    /// Follows a verification link: creates the account (linked to the directory entry
    /// with its address, if that has no account yet), uses the link up and signs the
    /// person in.
    pub fn confirm_sign_up(
        &self,
        token: &str,
        client_ip: Option<String>,
        user_agent: Option<&str>,
    ) -> Result<SignedIn, AppError> {
        let now = self.now();
        self.db().write(|tx| {
            let user = create_signed_up(tx, token, client_ip.clone(), now)?;
            open_session(tx, &user, client_ip.as_deref(), user_agent, now)
        })
    }

    /// Follows a verification link as [`App::confirm_sign_up`] does, for an API client:
    /// the account is returned, no session is opened (the person signs in or makes a
    /// token).
    pub fn confirm_sign_up_account(
        &self,
        token: &str,
        client_ip: Option<String>,
    ) -> Result<User, AppError> {
        let now = self.now();
        self.db()
            .write(|tx| create_signed_up(tx, token, client_ip, now))
    }
}

/// Creates the account of a usable verification link and uses the link up.
fn create_signed_up(
    tx: &mut Tx<'_>,
    token: &str,
    client_ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<User, AppError> {
    let pending = usable_sign_up(tx, token, now)?;
    if !sign_ups::mark_used(tx, pending.id, now)? {
        return Err(AppError::LinkInvalid);
    }
    let new = NewUser {
        email: &pending.email,
        display_name: &pending.display_name,
        password_hash: &pending.password_hash,
    };
    let id = users::insert(tx, &new, now).map_err(|e| match e {
        // Created meanwhile (by the secretariat, or by an invitation).
        StoreError::Conflict(_) => AppError::Refused(
            "an account with this address exists already: sign in, or reset its password",
        ),
        other => other.into(),
    })?;
    sign_ups::void_for_email(tx, &pending.email, now)?;
    let person = plenary_store::directory::link_person_by_email(tx, &pending.email, id.0, now)?;
    let user = users::by_id(tx, id)?.ok_or(AppError::NotFound)?;
    let caller = Caller {
        principal: plenary_domain::Principal::User { id, grants: vec![] },
        label: user.email.clone(),
        client_ip,
    };
    Change::new("user.create", "user", id.0)
        .detail(json!({ "email": user.email, "display_name": user.display_name, "via": "sign_up", "person_id": person }))
        .record(tx, &caller, now)?;
    Ok(user)
}

/// Refuses with a wait when the client address asked too often in the last hour.
fn client_within_limit(
    tx: &mut Tx<'_>,
    client_ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(ip) = client_ip else {
        return Ok(());
    };
    if sign_ups::count_for_client(tx, ip, now - CLIENT_WINDOW)? >= MAX_SIGN_UPS_PER_CLIENT {
        return Err(AppError::RateLimited {
            retry_after: std::time::Duration::from_secs(
                u64::try_from(CLIENT_WINDOW.num_seconds()).unwrap_or(3600),
            ),
        });
    }
    Ok(())
}

fn usable_sign_up(tx: &mut Tx<'_>, token: &str, now: DateTime<Utc>) -> Result<SignUp, AppError> {
    match sign_ups::by_token_hash(tx, &token_hash(token))? {
        Some(s) if s.used_at.is_none() && s.expires_at > now => Ok(s),
        _ => Err(AppError::LinkInvalid),
    }
}
