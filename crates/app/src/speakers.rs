//! The people of a programme session invited by e-mail: the secretariat invites a
//! person to be a speaker, moderator, co-moderator or rapporteur of a session. The
//! invitation's link (see [`crate::invitations`]) makes the account on first use or
//! joins the signed-in one; accepting links the session's row of that name to the
//! account and its directory entry (adding the row if the session has none of that
//! name), so that the person finds the session on their dashboard.

use crate::audit::Change;
use crate::input::{Errors, missing};
use crate::invitations::{Details, SPEAKER};
use crate::programme::require_manager;
use crate::{App, AppError, Caller, InvitationLine};
use chrono::{DateTime, Utc};
use plenary_domain::programme::{MAX_PEOPLE, ProgrammeRole};
use plenary_domain::search::search_key;
use plenary_domain::{Email, FieldError, Problem};
use plenary_store::Tx;
use plenary_store::invitations::Invitation;
use plenary_store::programme::{self as pstore, Session};
use plenary_store::speakers::{self as store, LinkedSession, SpeakerRow};
use plenary_store::users::User;
use serde_json::json;

pub use plenary_store::speakers::{LinkedSession as MySession, SpeakerRow as SessionPerson};

/// An invitation to a session's people as typed.
#[derive(Debug, Clone, Default)]
pub struct SpeakerInvite {
    pub email: String,
    /// The person's name as the programme shows it; a name the session lists already
    /// is that person (with their role there).
    pub name: String,
    /// The role of a person the session does not list yet; empty: speaker.
    pub role: String,
}

/// A session a signed-in person takes part in, for their dashboard.
#[derive(Debug, Clone)]
pub struct MySessionLine {
    pub session: LinkedSession,
    /// Whether the event's programme is published (its session page is public).
    pub published: bool,
}

const MAX_NAME: usize = 200;

fn session_of(tx: &mut Tx<'_>, event_id: i64, session_id: i64) -> Result<Session, AppError> {
    pstore::session(tx, session_id)?
        .filter(|s| s.event_id == event_id)
        .ok_or(AppError::NotFound)
}

fn role_of(raw: &str) -> ProgrammeRole {
    ProgrammeRole::parse(raw).unwrap_or(ProgrammeRole::Speaker)
}

/// The role in a line of the list, e.g. "Moderator: Ana Pérez".
pub(crate) fn role_line(d: &Details) -> String {
    format!("{}: {}", role_of(&d.role).label(), d.name)
}

/// The role as the mail and the link's page say it.
pub(crate) fn role_offered(
    tx: &mut Tx<'_>,
    session_id: i64,
    d: &Details,
) -> Result<String, AppError> {
    let session = pstore::session(tx, session_id)?.ok_or(AppError::LinkInvalid)?;
    let event =
        plenary_store::registration::event(tx, session.event_id)?.ok_or(AppError::LinkInvalid)?;
    Ok(format!(
        "{} of the session “{}” at {}",
        role_of(&d.role).label().to_lowercase(),
        session.title,
        event.title
    ))
}

/// Links the session's row of the invited name to the account and directory entry
/// (adding the row when the session has none of that name any more).
pub(crate) fn link_speaker(
    tx: &mut Tx<'_>,
    acting: &Caller,
    invitation: &Invitation,
    details: &Details,
    user: &User,
    person: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let session_id = invitation.target_id;
    let session = pstore::session(tx, session_id)?.ok_or(AppError::Refused(
        "this session is no longer in the programme; ask whoever invited you",
    ))?;
    let key = search_key(&details.name);
    let people = store::session_people(tx, session_id)?;
    match people.iter().find(|p| p.person_key == key) {
        Some(row) if row.user_id.is_some_and(|u| u != user.id.0) => {
            return Err(AppError::Refused(
                "this person of the session is linked to another account; ask whoever invited you",
            ));
        }
        Some(_) => {
            store::link(tx, session_id, &key, Some(user.id.0), Some(person))?;
        }
        None if people.len() >= MAX_PEOPLE => {
            return Err(AppError::Refused(
                "this session lists as many people as it can; ask whoever invited you",
            ));
        }
        None => store::append_linked(
            tx,
            session_id,
            details.name.trim(),
            &key,
            role_of(&details.role).as_str(),
            user.id.0,
            person,
        )?,
    }
    // Recorded under the event too: the programme's working version changed.
    Change::new("programme.speaker", "event", session.event_id)
        .detail(json!({ "session": session_id, "name": details.name, "user": user.id.0 }))
        .record(tx, acting, now)?;
    Ok(())
}

impl App {
    /// Invites the person of `input.email` to the session's people (the secretariat).
    pub fn invite_speaker(
        &self,
        caller: &Caller,
        event_id: i64,
        session_id: i64,
        input: &SpeakerInvite,
    ) -> Result<i64, AppError> {
        require_manager(caller)?;
        let mut errors = Errors::default();
        let email = errors.take(Email::parse("email", &input.email));
        let name = input.name.trim();
        if name.is_empty() {
            errors.0.push(FieldError::new("name", Problem::Required));
        } else if name.chars().count() > MAX_NAME {
            errors
                .0
                .push(FieldError::new("name", Problem::TooLong { max: MAX_NAME }));
        }
        let role = match input.role.trim() {
            "" => Some(ProgrammeRole::Speaker),
            raw => errors.take(ProgrammeRole::parse_field("role", raw)),
        };
        errors.finish()?;
        let (email, role) = (email.ok_or_else(missing)?, role.ok_or_else(missing)?);
        self.db().write(|tx| {
            session_of(tx, event_id, session_id)?;
            let key = search_key(name);
            // A person the session lists already keeps their role there.
            let role = store::session_people(tx, session_id)?
                .into_iter()
                .find(|p| p.person_key == key)
                .map_or(role, |p| role_of(&p.role));
            let details = Details {
                name: name.to_owned(),
                role: role.as_str().to_owned(),
                ..Default::default()
            };
            self.invite(tx, caller, SPEAKER, session_id, &email, &details)
        })
    }

    /// The invitations to a session's people (the secretariat), newest first.
    pub fn speaker_invitations(
        &self,
        caller: &Caller,
        event_id: i64,
        session_id: i64,
    ) -> Result<Vec<InvitationLine>, AppError> {
        require_manager(caller)?;
        self.db().read(|tx| session_of(tx, event_id, session_id))?;
        self.invitation_lines(SPEAKER, session_id)
    }

    /// Revokes a pending invitation to a session's people (the secretariat); another
    /// session's is "not found".
    pub fn revoke_speaker_invitation(
        &self,
        caller: &Caller,
        event_id: i64,
        session_id: i64,
        id: i64,
    ) -> Result<(), AppError> {
        require_manager(caller)?;
        self.db().read(|tx| session_of(tx, event_id, session_id))?;
        self.revoke(caller, SPEAKER, session_id, id)
    }

    /// The session's people with the accounts they are linked to (the secretariat).
    pub fn session_people(
        &self,
        caller: &Caller,
        event_id: i64,
        session_id: i64,
    ) -> Result<Vec<SpeakerRow>, AppError> {
        require_manager(caller)?;
        self.db().read(|tx| {
            session_of(tx, event_id, session_id)?;
            Ok(store::session_people(tx, session_id)?)
        })
    }

    /// The sessions the signed-in caller takes part in (linked through an accepted
    /// invitation), soonest first.
    pub fn my_programme_sessions(&self, caller: &Caller) -> Result<Vec<MySessionLine>, AppError> {
        let user = crate::accounts::require_account(caller)?;
        self.db().read(|tx| {
            let mut lines = Vec::new();
            for session in store::sessions_of_user(tx, user.0)? {
                let published =
                    pstore::settings(tx, session.event_id)?.is_some_and(|(published, _)| published);
                lines.push(MySessionLine { session, published });
            }
            Ok(lines)
        })
    }
}
