//! Remote participation in an event's programme: who may have the links to join its
//! sessions online, and which link serves each session.
//!
//! A session's own join link comes first; a session without one is joined through the
//! event's own link, when the event has one (an online forum with one meeting room for
//! everything needs it set once). The links go to the secretariat and to confirmed
//! registrants of an online category (registration categories are onsite or online;
//! there is no hybrid registration), never to the public: not on public pages, not in
//! public exports, not to a visitor who is not signed in. Meetings have their own rule
//! (see `meetings::may_join`).

use crate::{App, AppError, Caller};
use chrono::{DateTime, Utc};
use plenary_domain::Permission;
use plenary_domain::Scope;
use plenary_domain::links::parse_web_link;
use plenary_domain::registration::{ParticipationMode, RegistrationStatus};
use plenary_store::Tx;
use plenary_store::programme as pstore;
use plenary_store::registration::{self as rstore, Category, Registration};
use std::collections::BTreeMap;

/// A link to join online, as a registrant sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinLink {
    /// The session's title, or None for the event's own link.
    pub session: Option<String>,
    /// When the session starts, if it is placed in the published programme.
    pub starts_at: Option<DateTime<Utc>>,
    pub url: String,
}

/// Whether this registration entitles its holder to join online: confirmed, in an
/// online category.
pub(crate) fn registration_may_join(r: &Registration, category: &Category) -> bool {
    r.status == RegistrationStatus::Confirmed && category.mode == ParticipationMode::Online
}

/// Whether the caller runs the event (the secretariat: programme or registrations).
fn runs_events(caller: &Caller) -> bool {
    caller.principal.user_id().is_some()
        && [Permission::ManageProgramme, Permission::ManageRegistrations]
            .into_iter()
            .any(|p| caller.principal.can(p, Scope::Global))
}

/// Refuses anyone but the secretariat (see [`runs_events`]).
fn require_secretariat(caller: &Caller) -> Result<(), AppError> {
    crate::accounts::require_account(caller)?;
    if runs_events(caller) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether the signed-in caller may have the event's join links: the secretariat, or
/// the holder of an entitling registration linked to their account.
fn caller_may_join(tx: &mut Tx<'_>, caller: &Caller, event_id: i64) -> Result<bool, AppError> {
    let Some(user) = caller.principal.user_id() else {
        return Ok(false);
    };
    if runs_events(caller) {
        return Ok(true);
    }
    let categories = rstore::categories(tx, event_id)?;
    Ok(rstore::of_user(tx, user.0)?
        .iter()
        .filter(|r| r.event_id == event_id)
        .any(|r| {
            categories
                .iter()
                .find(|c| c.id == r.category_id)
                .is_some_and(|c| registration_may_join(r, c))
        }))
}

/// The link that serves each session of the event: its own, else the event's.
fn session_links(tx: &mut Tx<'_>, event_id: i64) -> Result<BTreeMap<i64, String>, AppError> {
    let (event_link, _) = pstore::event_links(tx, event_id)?;
    let own: BTreeMap<i64, String> = pstore::join_urls(tx, event_id)?.into_iter().collect();
    let mut links = BTreeMap::new();
    for s in pstore::sessions(tx, event_id)? {
        if let Some(url) = own.get(&s.id).or(event_link.as_ref()) {
            links.insert(s.id, url.clone());
        }
    }
    Ok(links)
}

/// The event's join links for someone entitled: the event's own first, then each
/// session with a link of its own in programme order. The sessions are named only once
/// the programme is published.
pub(crate) fn join_links(tx: &mut Tx<'_>, event_id: i64) -> Result<Vec<JoinLink>, AppError> {
    let (event_link, _) = pstore::event_links(tx, event_id)?;
    let mut links: Vec<JoinLink> = event_link
        .into_iter()
        .map(|url| JoinLink {
            session: None,
            starts_at: None,
            url,
        })
        .collect();
    let published = pstore::settings(tx, event_id)?.is_some_and(|(p, _)| p);
    if !published {
        return Ok(links);
    }
    let own: BTreeMap<i64, String> = pstore::join_urls(tx, event_id)?.into_iter().collect();
    let timeslots = pstore::timeslots(tx, event_id)?;
    let mut sessions: Vec<JoinLink> = pstore::sessions(tx, event_id)?
        .into_iter()
        .filter_map(|s| {
            let url = own.get(&s.id)?.clone();
            let starts_at = s
                .timeslot_id
                .and_then(|t| timeslots.iter().find(|slot| slot.id == t))
                .map(|slot| slot.starts_at);
            Some(JoinLink {
                session: Some(s.title),
                starts_at,
                url,
            })
        })
        .collect();
    // Placed sessions by start, the unplaced after them.
    sessions.sort_by_key(|l| (l.starts_at.is_none(), l.starts_at));
    links.extend(sessions);
    Ok(links)
}

/// The line of a confirmation mail that says how to join online (`{{join}}`): empty
/// when the registrant is not entitled or there is nothing to join.
pub(crate) fn join_line(
    tx: &mut Tx<'_>,
    r: &Registration,
    category: &Category,
) -> Result<String, AppError> {
    if !registration_may_join(r, category) {
        return Ok(String::new());
    }
    let links = join_links(tx, r.event_id)?;
    Ok(match links.first() {
        Some(JoinLink {
            session: None, url, ..
        }) => format!("Join online: {url}"),
        Some(_) => "Join online: the link of each session is on your registration page.".into(),
        None => String::new(),
    })
}

impl App {
    /// The links to join the event's sessions online, by session, if the caller may
    /// have them (see the module's comment); None otherwise.
    pub fn session_join_links(
        &self,
        caller: &Caller,
        event_id: i64,
    ) -> Result<Option<BTreeMap<i64, String>>, AppError> {
        if caller.principal.user_id().is_none() {
            return Ok(None);
        }
        self.db().read(|tx| {
            if !caller_may_join(tx, caller, event_id)? {
                return Ok(None);
            }
            session_links(tx, event_id).map(Some)
        })
    }
}

/// The event's own links as typed: for its sessions that have none.
#[derive(Debug, Clone, Default)]
pub struct EventLinksInput {
    pub join_url: String,
    pub stream_url: String,
}

/// The event's own links as stored: (join, stream).
pub type EventLinks = (Option<String>, Option<String>);

impl App {
    /// The event's own links (secretariat).
    pub fn event_links(&self, caller: &Caller, event_id: i64) -> Result<EventLinks, AppError> {
        require_secretariat(caller)?;
        self.db().read(|tx| {
            crate::registration::event_in(tx, event_id)?;
            Ok(pstore::event_links(tx, event_id)?)
        })
    }

    /// Sets the event's own links (secretariat), both checked as web addresses.
    pub fn set_event_links(
        &self,
        caller: &Caller,
        event_id: i64,
        input: &EventLinksInput,
    ) -> Result<EventLinks, AppError> {
        require_secretariat(caller)?;
        let mut e = crate::input::Errors::default();
        let join = e.take(parse_web_link("join_url", &input.join_url));
        let stream = e.take(parse_web_link("stream_url", &input.stream_url));
        e.finish()?;
        let (join, stream) = (join.flatten(), stream.flatten());
        let now = self.now();
        self.db().write(|tx| {
            crate::registration::event_in(tx, event_id)?;
            pstore::set_event_links(tx, event_id, join.as_deref(), stream.as_deref())?;
            // The address itself stays out of the log: the log is read more widely.
            crate::audit::Change::new("event.links", "event", event_id)
                .detail(serde_json::json!({ "join": join.is_some(), "stream": stream.clone() }))
                .record(tx, caller, now)?;
            Ok(pstore::event_links(tx, event_id)?)
        })
    }
}

impl App {
    /// A session's own link to join online, for its form (secretariat).
    pub fn programme_session_join_url(
        &self,
        caller: &Caller,
        event_id: i64,
        session_id: i64,
    ) -> Result<Option<String>, AppError> {
        Ok(self
            .programme_own_join_urls(caller, event_id)?
            .remove(&session_id))
    }

    /// The sessions' own links to join online, by session (secretariat).
    pub fn programme_own_join_urls(
        &self,
        caller: &Caller,
        event_id: i64,
    ) -> Result<BTreeMap<i64, String>, AppError> {
        crate::accounts::require_permission(caller, Permission::ManageProgramme)?;
        self.db()
            .read(|tx| Ok(pstore::join_urls(tx, event_id)?.into_iter().collect()))
    }
}
