//! Invitations by e-mail to a role: the secretariat invites to a call's reviewer pool
//! and to a programme session's people (see [`crate::speakers`]), the secretariat or a
//! body's chair to the body's members. The mailed single-use link
//! creates the account on first use (the person chooses name and password) or joins the
//! signed-in account; either way the account is linked to the person's directory entry
//! (made if there is none) and the role is applied, in one transaction, by the same
//! use cases as the pool and the memberships.

use crate::accounts::{SignedIn, open_session};
use crate::audit::Change;
use crate::calls::require_call_manager;
use crate::directory::{
    MembershipInput, check_membership, insert_membership, person_key, require_body_permission,
};
use crate::input::{Errors, missing};
use crate::review::{ReviewerInput, check_reviewer, put_reviewer};
use crate::secrets::token_hash;
use crate::{App, AppError, Caller, mail};
use chrono::{DateTime, Duration, Utc};
use plenary_domain::people::PersonName;
use plenary_domain::{DisplayName, Email, Password, Principal};
use plenary_store::directory::{self as dir, PersonFields};
use plenary_store::invitations::{self as store, Invitation, NewInvitation};
use plenary_store::users::{self, NewUser, User};
use plenary_store::{StoreError, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How long an invitation's link works.
pub const INVITATION_LIFETIME: Duration = Duration::days(14);

const REVIEWER: &str = "reviewer";
const MEMBER: &str = "member";
pub(crate) const SPEAKER: &str = "speaker";

/// What a role needs besides the person, kept with the invitation as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Details {
    /// A session's person: their name as the programme lists it (`role` is then their
    /// programme role).
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) max_load: String,
    #[serde(default)]
    pub(crate) organization: String,
    #[serde(default)]
    pub(crate) stakeholder_group: String,
    #[serde(default)]
    pub(crate) expertise: String,
    #[serde(default)]
    pub(crate) role: String,
    #[serde(default)]
    pub(crate) starts_on: String,
    #[serde(default)]
    pub(crate) ends_on: String,
    #[serde(default)]
    pub(crate) liaison_body_id: Option<i64>,
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    Pending,
    Accepted,
    Expired,
    Revoked,
}

impl InvitationState {
    pub fn label(self) -> &'static str {
        match self {
            InvitationState::Pending => "pending",
            InvitationState::Accepted => "accepted",
            InvitationState::Expired => "expired",
            InvitationState::Revoked => "revoked",
        }
    }
}

/// An invitation as listed where it was made.
#[derive(Debug, Clone)]
pub struct InvitationLine {
    pub id: i64,
    pub email: String,
    /// E.g. "Member from 2026-07-01", "Reviewer (at most 10)".
    pub role: String,
    pub invited_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub state: InvitationState,
    pub accepted_by: Option<String>,
}

/// An invitation as its link shows it.
#[derive(Debug, Clone)]
pub struct InvitationView {
    pub email: String,
    /// The role offered, as the mail says it.
    pub role: String,
    pub invited_by: Option<String>,
    /// Whether an account has the invited address (it signs in to accept).
    pub account_exists: bool,
}

/// What a person without an account types to accept an invitation.
#[derive(Debug, Clone, Default)]
pub struct NewInvitee {
    pub given_name: String,
    pub family_name: String,
    pub password: String,
}

fn state_of(i: &Invitation, now: DateTime<Utc>) -> InvitationState {
    if i.accepted_at.is_some() {
        InvitationState::Accepted
    } else if i.revoked_at.is_some() {
        InvitationState::Revoked
    } else if i.expires_at <= now {
        InvitationState::Expired
    } else {
        InvitationState::Pending
    }
}

pub(crate) fn details_of(i: &Invitation) -> Details {
    serde_json::from_str(&i.details).unwrap_or_default()
}

impl Details {
    fn reviewer(&self, email: &str) -> ReviewerInput {
        ReviewerInput {
            email: email.to_owned(),
            max_load: self.max_load.clone(),
            organization: self.organization.clone(),
            stakeholder_group: self.stakeholder_group.clone(),
            expertise: self.expertise.clone(),
        }
    }

    fn membership(&self, person_id: Option<i64>) -> MembershipInput {
        MembershipInput {
            person_id,
            role: self.role.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            liaison_body_id: self.liaison_body_id,
        }
    }
}

/// The role in a line of the list, e.g. "Member from 2026-07-01".
fn role_line(i: &Invitation) -> String {
    let d = details_of(i);
    match i.kind.as_str() {
        REVIEWER => match d.max_load.trim() {
            "" => "Reviewer".to_owned(),
            n => format!("Reviewer (at most {n})"),
        },
        SPEAKER => crate::speakers::role_line(&d),
        _ => {
            let role = plenary_domain::people::MembershipRole::parse(&d.role)
                .map_or(d.role.clone(), |r| r.label().to_owned());
            format!("{role} from {}", d.starts_on)
        }
    }
}

/// The role as the mail and the link's page say it.
fn role_offered(
    tx: &mut Tx<'_>,
    kind: &str,
    target_id: i64,
    d: &Details,
) -> Result<String, AppError> {
    Ok(match kind {
        REVIEWER => {
            let call = plenary_store::calls::call(tx, target_id)?.ok_or(AppError::NotFound)?;
            format!("a reviewer of the call “{}”", call.title)
        }
        SPEAKER => crate::speakers::role_offered(tx, target_id, d)?,
        _ => {
            let body = dir::body(tx, target_id)?.ok_or(AppError::NotFound)?;
            let role = plenary_domain::people::MembershipRole::parse(&d.role)
                .map_or("member", |r| r.label())
                .to_lowercase();
            format!("{role} of {} ({})", body.name, body.short_name)
        }
    })
}

impl App {
    /// Invites the person of `input.email` to the call's reviewer pool (secretariat),
    /// with the load and expertise given.
    pub fn invite_reviewer(
        &self,
        caller: &Caller,
        call_id: i64,
        input: &ReviewerInput,
    ) -> Result<i64, AppError> {
        require_call_manager(caller)?;
        let email = Email::parse("email", &input.email)?;
        let details = Details {
            max_load: input.max_load.clone(),
            organization: input.organization.clone(),
            stakeholder_group: input.stakeholder_group.clone(),
            expertise: input.expertise.clone(),
            ..Default::default()
        };
        self.db().write(|tx| {
            check_reviewer(tx, call_id, input)?;
            self.invite(tx, caller, REVIEWER, call_id, &email, &details)
        })
    }

    /// Invites the person of `email` to the body's members in the role and term given
    /// (the secretariat or the body's chair).
    pub fn invite_member(
        &self,
        caller: &Caller,
        body_id: i64,
        email: &str,
        input: &MembershipInput,
    ) -> Result<i64, AppError> {
        require_body_permission(caller, body_id)?;
        let mut errors = Errors::default();
        let email = errors.take(Email::parse("email", email));
        if let Err(AppError::Invalid(more)) = check_membership(body_id, input) {
            errors.0.extend(more);
        }
        errors.finish()?;
        let email = email.ok_or_else(missing)?;
        let details = Details {
            role: input.role.trim().to_owned(),
            starts_on: input.starts_on.trim().to_owned(),
            ends_on: input.ends_on.trim().to_owned(),
            liaison_body_id: input.liaison_body_id,
            ..Default::default()
        };
        self.db().write(|tx| {
            dir::body(tx, body_id)?.ok_or(AppError::NotFound)?;
            self.invite(tx, caller, MEMBER, body_id, &email, &details)
        })
    }

    pub(crate) fn invite(
        &self,
        tx: &mut Tx<'_>,
        caller: &Caller,
        kind: &str,
        target_id: i64,
        email: &Email,
        details: &Details,
    ) -> Result<i64, AppError> {
        let now = self.now();
        let token = crate::random_token();
        let role = role_offered(tx, kind, target_id, details)?;
        let inviter = match caller.principal.user_id() {
            Some(id) => users::by_id(tx, id)?.map(|u| u.display_name),
            None => None,
        };
        let new = NewInvitation {
            token_hash: &token_hash(&token),
            email: email.as_str(),
            kind,
            target_id,
            details: &serde_json::to_string(details).unwrap_or_default(),
            invited_by: caller.principal.user_id().map(|u| u.0),
            expires_at: now + INVITATION_LIFETIME,
        };
        let id = store::insert(tx, &new, now)?;
        let base = self.config().base_url.trim_end_matches('/');
        mail::enqueue_templated(
            tx,
            "invitation",
            email.as_str(),
            &[
                (
                    "inviter",
                    inviter.unwrap_or_else(|| "The secretariat".into()),
                ),
                ("role", role),
                ("link", format!("{base}/invitations/{token}")),
                ("days", INVITATION_LIFETIME.num_days().to_string()),
            ],
            &[],
            now,
        )?;
        Change::new("invitation.create", "invitation", id)
            .detail(json!({ "email": email.as_str(), "kind": kind, "target_id": target_id }))
            .record(tx, caller, now)?;
        Ok(id)
    }

    /// The invitations to a call's pool (secretariat), newest first.
    pub fn reviewer_invitations(
        &self,
        caller: &Caller,
        call_id: i64,
    ) -> Result<Vec<InvitationLine>, AppError> {
        require_call_manager(caller)?;
        self.invitation_lines(REVIEWER, call_id)
    }

    /// The invitations to a body's members (the secretariat or the body's chair).
    pub fn member_invitations(
        &self,
        caller: &Caller,
        body_id: i64,
    ) -> Result<Vec<InvitationLine>, AppError> {
        require_body_permission(caller, body_id)?;
        self.invitation_lines(MEMBER, body_id)
    }

    pub(crate) fn invitation_lines(
        &self,
        kind: &str,
        target_id: i64,
    ) -> Result<Vec<InvitationLine>, AppError> {
        let now = self.now();
        let rows = self
            .db()
            .read(|tx| store::for_target(tx, kind, target_id))?;
        Ok(rows
            .iter()
            .map(|i| InvitationLine {
                id: i.id,
                email: i.email.clone(),
                role: role_line(i),
                invited_by: i.invited_by.clone(),
                created_at: i.created_at,
                state: state_of(i, now),
                accepted_by: i.accepted_by.clone(),
            })
            .collect())
    }

    /// Revokes a pending invitation to a call's pool (secretariat); another call's is
    /// "not found".
    pub fn revoke_reviewer_invitation(
        &self,
        caller: &Caller,
        call_id: i64,
        id: i64,
    ) -> Result<(), AppError> {
        require_call_manager(caller)?;
        self.revoke(caller, REVIEWER, call_id, id)
    }

    /// Revokes a pending invitation to a body's members (the secretariat or the body's
    /// chair); another body's is "not found".
    pub fn revoke_member_invitation(
        &self,
        caller: &Caller,
        body_id: i64,
        id: i64,
    ) -> Result<(), AppError> {
        require_body_permission(caller, body_id)?;
        self.revoke(caller, MEMBER, body_id, id)
    }

    pub(crate) fn revoke(
        &self,
        caller: &Caller,
        kind: &str,
        target_id: i64,
        id: i64,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.db().write(|tx| {
            store::by_id(tx, id)?
                .filter(|i| i.kind == kind && i.target_id == target_id)
                .ok_or(AppError::NotFound)?;
            if !store::revoke(tx, id, now)? {
                return Err(AppError::Refused(
                    "this invitation was accepted or revoked already",
                ));
            }
            Change::new("invitation.revoke", "invitation", id).record(tx, caller, now)?;
            Ok(())
        })
    }

    /// What an invitation's link offers, if it can still be accepted.
    pub fn check_invitation(&self, token: &str) -> Result<InvitationView, AppError> {
        let now = self.now();
        self.db().read(|tx| {
            let i = usable(tx, token, now)?;
            let role = role_offered(tx, &i.kind, i.target_id, &details_of(&i))?;
            Ok(InvitationView {
                account_exists: users::by_email(tx, &i.email)?.is_some(),
                email: i.email,
                role,
                invited_by: i.invited_by,
            })
        })
    }

    /// Accepts an invitation: into the caller's account when signed in, else into a new
    /// account with the invited address and the name and password given (refused when
    /// the address has an account: its owner signs in first). The account is linked to
    /// its directory entry (made if there is none), the role applied, the link used up;
    /// a new account is signed in (the session is returned).
    pub fn accept_invitation(
        &self,
        caller: &Caller,
        token: &str,
        new: Option<&NewInvitee>,
        user_agent: Option<&str>,
    ) -> Result<Option<SignedIn>, AppError> {
        let now = self.now();
        let fresh = match (caller.principal.user_id(), new) {
            (Some(_), _) => None,
            (None, Some(new)) => Some(self.new_invitee(new)?),
            (None, None) => return Err(AppError::SignInRequired),
        };
        self.db().write(|tx| {
            let invitation = usable(tx, token, now)?;
            let (user, acting) = match (&fresh, caller.principal.user_id()) {
                (_, Some(id)) => (users::by_id(tx, id)?.ok_or(AppError::NotFound)?, caller.clone()),
                (Some(fresh), None) => {
                    let user = create_invitee(tx, &invitation.email, fresh, now)?;
                    let acting = Caller {
                        principal: Principal::User { id: user.id, grants: vec![] },
                        label: user.email.clone(),
                        client_ip: caller.client_ip.clone(),
                    };
                    Change::new("user.create", "user", user.id.0)
                        .detail(json!({ "email": user.email, "display_name": user.display_name, "via": "invitation", "invitation": invitation.id }))
                        .record(tx, &acting, now)?;
                    (user, acting)
                }
                (None, None) => return Err(AppError::SignInRequired),
            };
            if !store::mark_accepted(tx, invitation.id, user.id.0, now)? {
                return Err(AppError::LinkInvalid);
            }
            let name = fresh.as_ref().map(|f| f.name.clone());
            let person = person_for(tx, &user, &invitation.email, name.as_ref(), now)?;
            apply_role(tx, &acting, &invitation, &user, person, now)?;
            Change::new("invitation.accept", "invitation", invitation.id)
                .detail(json!({ "user": user.id.0, "person_id": person }))
                .record(tx, &acting, now)?;
            match fresh {
                Some(_) => open_session(tx, &user, caller.client_ip.as_deref(), user_agent, now).map(Some),
                None => Ok(None),
            }
        })
    }

    /// Checks the name and password of a new invitee and hashes the password (outside
    /// the transaction: hashing is slow).
    fn new_invitee(&self, new: &NewInvitee) -> Result<FreshAccount, AppError> {
        let mut errors = Errors::default();
        let name = errors.take_all(PersonName::parse(&new.family_name, &new.given_name));
        let display = name
            .as_ref()
            .and_then(|n| errors.take(DisplayName::parse("given_name", &n.to_string())));
        let password = errors.take(Password::parse("password", &new.password));
        errors.finish()?;
        let (Some(name), Some(display), Some(password)) = (name, display, password) else {
            return Err(missing());
        };
        Ok(FreshAccount {
            name,
            display_name: display.as_str().to_owned(),
            password_hash: self.passwords().hash(password.expose())?,
        })
    }
}

struct FreshAccount {
    name: PersonName,
    display_name: String,
    password_hash: String,
}

fn usable(tx: &mut Tx<'_>, token: &str, now: DateTime<Utc>) -> Result<Invitation, AppError> {
    match store::by_token_hash(tx, &token_hash(token))? {
        Some(i) if state_of(&i, now) == InvitationState::Pending => Ok(i),
        _ => Err(AppError::LinkInvalid),
    }
}

fn create_invitee(
    tx: &mut Tx<'_>,
    email: &str,
    fresh: &FreshAccount,
    now: DateTime<Utc>,
) -> Result<User, AppError> {
    let new = NewUser {
        email,
        display_name: &fresh.display_name,
        password_hash: &fresh.password_hash,
    };
    let id = users::insert(tx, &new, now).map_err(|e| match e {
        StoreError::Conflict(_) => AppError::Refused(
            "an account has this address already: sign in to accept the invitation",
        ),
        other => other.into(),
    })?;
    let profile = users::Profile {
        given_name: fresh.name.given().map(str::to_owned),
        family_name: fresh.name.family().map(str::to_owned),
        language: "en".into(),
        ..Default::default()
    };
    users::set_profile(tx, id, &fresh.display_name, &profile)?;
    plenary_store::sign_ups::void_for_email(tx, email, now)?;
    users::by_id(tx, id)?.ok_or(AppError::NotFound)
}

/// The directory entry of the account: the one linked to it, else the one with the
/// invited address or the account's (linked now), else a new one.
fn person_for(
    tx: &mut Tx<'_>,
    user: &User,
    invited: &str,
    name: Option<&PersonName>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    if let Some(p) = dir::person_by_user(tx, user.id.0)? {
        return Ok(p.id);
    }
    for email in [invited, user.email.as_str()] {
        if let Some(id) = dir::link_person_by_email(tx, email, user.id.0, now)? {
            return Ok(id);
        }
    }
    let profile = users::profile(tx, user.id)?.unwrap_or_default();
    let name = match name {
        Some(n) => n.clone(),
        None if profile.given_name.is_some() || profile.family_name.is_some() => PersonName::parse(
            profile.family_name.as_deref().unwrap_or_default(),
            profile.given_name.as_deref().unwrap_or_default(),
        )
        .map_err(AppError::Invalid)?,
        None => PersonName::parse("", &user.display_name).map_err(AppError::Invalid)?,
    };
    // The address goes on the entry unless another entry (linked elsewhere) has it.
    let email = if dir::person_by_email(tx, &user.email)?.is_none() {
        Some(user.email.as_str())
    } else {
        None
    };
    let key = person_key(&name);
    let fields = PersonFields {
        family_name: name.family(),
        given_name: name.given(),
        name_key: &key,
        organization_id: profile.organization_id,
        stakeholder_group: profile
            .stakeholder_group
            .as_deref()
            .and_then(plenary_domain::people::StakeholderGroup::parse),
        country: profile.country.as_deref(),
        gender: None,
        email,
        time_zone: user.time_zone.as_deref(),
        user_id: Some(user.id.0),
    };
    Ok(dir::insert_person(tx, &fields, now)?)
}

/// Gives the role the invitation offers, through the pool's or the membership's use
/// case. A role that cannot be given any more (the call's themes changed, the person
/// holds the role already) refuses the acceptance and leaves the link usable.
fn apply_role(
    tx: &mut Tx<'_>,
    acting: &Caller,
    invitation: &Invitation,
    user: &User,
    person: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let details = details_of(invitation);
    let applied = match invitation.kind.as_str() {
        REVIEWER => put_reviewer(
            tx,
            acting,
            invitation.target_id,
            &details.reviewer(&user.email),
            now,
        )
        .map(|_| ()),
        SPEAKER => {
            crate::speakers::link_speaker(tx, acting, invitation, &details, user, person, now)
        }
        _ => check_membership(invitation.target_id, &details.membership(Some(person)))
            .and_then(|valid| {
                insert_membership(tx, acting, invitation.target_id, person, &valid, now)
            })
            .map(|_| ()),
    };
    applied.map_err(|e| match e {
        AppError::Invalid(errors) => {
            tracing::info!(invitation = invitation.id, ?errors, "an invitation's role cannot be applied");
            AppError::Refused(
                "this invitation can no longer be applied as it was made (you may hold the role already); ask whoever invited you",
            )
        }
        other => other,
    })
}
