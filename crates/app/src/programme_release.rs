//! Releases of a programme. The board edits a *working version*; the public (the
//! programme's pages, speaker pages, calendar files, CSV, frab XML, c3voc JSON and the
//! public API) sees the newest *release* while the programme is published. Publishing
//! makes a release: a version name, a change-log comment, who and when, the sessions
//! added, moved, removed and retitled since the release before, and optionally a mail
//! to the people of the sessions that moved or were removed, queued in the same
//! transaction. Withdrawing the programme hides the releases again; the next
//! publication is a new release.
//!
//! A release is stored as a snapshot: JSON of what the public sees (the rooms, the
//! timeslots and the placed sessions with their people), one row per release. JSON
//! rather than copies of the five programme tables because a release is written once,
//! never changed and always read whole (a public page or an export needs all of it);
//! it must also outlive the deletion of its rooms, timeslots and sessions on the board,
//! which copied rows with foreign keys would fight. One row read and parsed per public
//! render, and the public pages keep their rendered bytes per programme version.

use crate::audit::Change;
use crate::programme::{
    PersonRow, ProgrammeView, Room, ScheduleWeights, Session, SessionView, Timeslot, load,
    require_manager, view_sessions,
};
use crate::registration::{event_in, event_zone};
use crate::{App, AppError, Caller};
use chrono::{DateTime, Duration, Utc};
use plenary_domain::search::search_key;
use plenary_domain::time::{Zone, label};
use plenary_domain::{FieldError, Problem, UserId};
use plenary_store::Tx;
pub use plenary_store::programme::Release;
use plenary_store::programme::{self as store, NewRelease};
use plenary_store::registration::Event;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// The longest version name.
pub const VERSION_MAX: usize = 60;
/// The longest change-log comment.
pub const COMMENT_MAX: usize = 2000;
/// The mail kind sent to the people of a session that moved or was removed.
pub const MOVED_MAIL: &str = "programme_session_moved";

// ------------------------------------------------------------------ the snapshot

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SnapRoom {
    id: i64,
    name: String,
    capacity: i64,
    hybrid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SnapTimeslot {
    id: i64,
    starts_at: DateTime<Utc>,
    minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SnapPerson {
    name: String,
    person_key: String,
    role: String,
    online: bool,
    time_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SnapSession {
    id: i64,
    title: String,
    session_type: String,
    theme: String,
    description: String,
    duration: i64,
    expected_audience: i64,
    format: String,
    language: String,
    room_id: i64,
    timeslot_id: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: i64,
    /// The public stream, if any (releases made before links existed have none).
    #[serde(default)]
    stream_url: Option<String>,
    people: Vec<SnapPerson>,
}

/// The public programme at one moment: every room and timeslot, the placed sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Snapshot {
    rooms: Vec<SnapRoom>,
    timeslots: Vec<SnapTimeslot>,
    sessions: Vec<SnapSession>,
}

impl Snapshot {
    /// What the public would see of the working version.
    fn of(rooms: &[Room], timeslots: &[Timeslot], views: &[SessionView]) -> Snapshot {
        Snapshot {
            rooms: rooms
                .iter()
                .map(|r| SnapRoom {
                    id: r.id,
                    name: r.name.clone(),
                    capacity: r.capacity,
                    hybrid: r.hybrid,
                })
                .collect(),
            timeslots: timeslots
                .iter()
                .map(|t| SnapTimeslot {
                    id: t.id,
                    starts_at: t.starts_at,
                    minutes: t.minutes,
                })
                .collect(),
            sessions: views
                .iter()
                .filter_map(|v| {
                    let s = &v.session;
                    Some(SnapSession {
                        id: s.id,
                        title: s.title.clone(),
                        session_type: s.session_type.clone(),
                        theme: s.theme.clone(),
                        description: s.description.clone(),
                        duration: s.duration,
                        expected_audience: s.expected_audience,
                        format: s.format.clone(),
                        language: s.language.clone(),
                        room_id: v.room.as_ref()?.id,
                        timeslot_id: v.timeslot.as_ref()?.id,
                        created_at: s.created_at,
                        updated_at: s.updated_at,
                        version: s.version,
                        stream_url: s.stream_url.clone(),
                        people: v
                            .people
                            .iter()
                            .map(|p| SnapPerson {
                                name: p.name.clone(),
                                person_key: p.person_key.clone(),
                                role: p.role.clone(),
                                online: p.online,
                                time_zone: p.time_zone.clone(),
                            })
                            .collect(),
                    })
                })
                .collect(),
        }
    }

    fn parse(raw: &str) -> Result<Snapshot, AppError> {
        serde_json::from_str(raw)
            .map_err(|e| AppError::Internal(format!("a programme release does not read: {e}")))
    }

    fn to_json(&self) -> String {
        json!(self).to_string()
    }

    /// The snapshot as a programme view, as the public pages and exports read it.
    fn into_view(self, event: Event, zone: Zone, published: bool) -> ProgrammeView {
        let rooms: Vec<Room> = self
            .rooms
            .into_iter()
            .map(|r| Room {
                id: r.id,
                event_id: event.id,
                name: r.name,
                capacity: r.capacity,
                hybrid: r.hybrid,
            })
            .collect();
        let timeslots: Vec<Timeslot> = self
            .timeslots
            .into_iter()
            .map(|t| Timeslot {
                id: t.id,
                event_id: event.id,
                starts_at: t.starts_at,
                minutes: t.minutes,
            })
            .collect();
        let mut people = Vec::new();
        let sessions: Vec<Session> = self
            .sessions
            .into_iter()
            .map(|s| {
                people.extend(s.people.into_iter().map(|p| PersonRow {
                    session_id: s.id,
                    name: p.name,
                    person_key: p.person_key,
                    role: p.role,
                    online: p.online,
                    time_zone: p.time_zone,
                }));
                Session {
                    id: s.id,
                    event_id: event.id,
                    title: s.title,
                    session_type: s.session_type,
                    theme: s.theme,
                    description: s.description,
                    duration: s.duration,
                    expected_audience: s.expected_audience,
                    format: s.format,
                    language: s.language,
                    submission_id: None,
                    room_id: Some(s.room_id),
                    timeslot_id: Some(s.timeslot_id),
                    pinned: false,
                    overridden: false,
                    created_at: s.created_at,
                    updated_at: s.updated_at,
                    version: s.version,
                    stream_url: s.stream_url,
                }
            })
            .collect();
        let sessions = view_sessions(sessions, people, &rooms, &timeslots);
        ProgrammeView {
            event,
            zone,
            published,
            weights: ScheduleWeights::default(),
            rooms,
            timeslots,
            sessions,
            unavailability: vec![],
            conflicts: vec![],
        }
    }

    /// Where each session is: (room id, room name, start, end).
    fn placements(&self) -> BTreeMap<i64, (&SnapSession, Placement, i64)> {
        self.sessions
            .iter()
            .filter_map(|s| {
                let room = self.rooms.iter().find(|r| r.id == s.room_id)?;
                let t = self.timeslots.iter().find(|t| t.id == s.timeslot_id)?;
                Some((
                    s.id,
                    (
                        s,
                        Placement {
                            room: room.name.clone(),
                            starts_at: t.starts_at,
                            ends_at: t.starts_at + Duration::minutes(s.duration),
                        },
                        room.id,
                    ),
                ))
            })
            .collect()
    }
}

// ------------------------------------------------------------------ changes

/// Where and when a session is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub room: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Placement {
    /// "Tue 23 Jun 2026 09:00–10:30 CEST, Hall A", at the venue.
    pub fn text(&self, zone: Zone) -> String {
        let s = label(self.starts_at, zone);
        let e = label(self.ends_at, zone);
        format!(
            "{} {}–{} {}, {}",
            s.local.format("%a %-d %b %Y"),
            s.time_hm(),
            e.time_hm(),
            s.abbreviation_or_offset(),
            self.room
        )
    }
}

/// A session that differs between two versions of the programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionChange {
    pub session_id: i64,
    /// The title now (the old one when removed).
    pub title: String,
    /// The title before, when retitled.
    pub old_title: Option<String>,
    /// Where it was in the release (none when added).
    pub was: Option<Placement>,
    /// Where it is now (none when removed).
    pub now: Option<Placement>,
}

/// What the working version changes against a release (or against nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub added: Vec<SessionChange>,
    pub moved: Vec<SessionChange>,
    pub removed: Vec<SessionChange>,
    pub retitled: Vec<SessionChange>,
    /// Other details changed: people, description, type, theme, format, language,
    /// length.
    pub details: Vec<SessionChange>,
}

impl Changes {
    /// How many sessions differ (one that moved and was retitled counts once).
    pub fn count(&self) -> usize {
        [
            &self.added,
            &self.moved,
            &self.removed,
            &self.retitled,
            &self.details,
        ]
        .iter()
        .flat_map(|l| l.iter().map(|c| c.session_id))
        .collect::<BTreeSet<_>>()
        .len()
    }

    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }
}

/// The public programme `before` (a release) against `after` (the working version).
fn diff(before: &Snapshot, after: &Snapshot) -> Changes {
    let old = before.placements();
    let new = after.placements();
    let mut changes = Changes::default();
    for (id, (s, now, room)) in &new {
        let change = |was: Option<Placement>, old_title: Option<String>| SessionChange {
            session_id: *id,
            title: s.title.clone(),
            old_title,
            was,
            now: Some(now.clone()),
        };
        let Some((o, was, old_room)) = old.get(id) else {
            changes.added.push(change(None, None));
            continue;
        };
        if old_room != room || was.starts_at != now.starts_at {
            changes.moved.push(change(Some(was.clone()), None));
        }
        if o.title != s.title {
            changes
                .retitled
                .push(change(Some(was.clone()), Some(o.title.clone())));
        }
        let same_details = o.session_type == s.session_type
            && o.theme == s.theme
            && o.description == s.description
            && o.duration == s.duration
            && o.format == s.format
            && o.language == s.language
            && o.people == s.people;
        if !same_details {
            changes.details.push(change(Some(was.clone()), None));
        }
    }
    for (id, (s, was, _)) in &old {
        if !new.contains_key(id) {
            changes.removed.push(SessionChange {
                session_id: *id,
                title: s.title.clone(),
                old_title: None,
                was: Some(was.clone()),
                now: None,
            });
        }
    }
    let by_start = |c: &SessionChange| {
        let at = c.now.as_ref().or(c.was.as_ref()).map(|p| p.starts_at);
        (at, c.session_id)
    };
    for list in [
        &mut changes.added,
        &mut changes.moved,
        &mut changes.removed,
        &mut changes.retitled,
        &mut changes.details,
    ] {
        list.sort_by_key(by_start);
    }
    changes
}

// ------------------------------------------------------------------ the use cases

/// What the secretariat types to publish.
#[derive(Debug, Clone, Default)]
pub struct ReleaseInput {
    /// Required; [`ReleaseStatus::suggested_version`] offers the next number.
    pub version: String,
    pub comment: String,
    /// Mail the people of the sessions that moved or were removed.
    pub notify: bool,
}

/// Where the working version stands against the newest release.
#[derive(Debug, Clone)]
pub struct ReleaseStatus {
    pub event: Event,
    pub zone: Zone,
    /// The public sees the newest release.
    pub published: bool,
    pub latest: Option<Release>,
    /// The working version against the newest release (everything is added when there
    /// is none).
    pub changes: Changes,
    /// The version name offered for the next release.
    pub suggested_version: String,
    /// How many people with an address would be mailed about the moved and removed
    /// sessions.
    pub recipients: usize,
}

/// A release made.
#[derive(Debug, Clone)]
pub struct Published {
    pub release: Release,
    pub changes: Changes,
    /// Messages queued for the people of moved and removed sessions.
    pub notified: usize,
}

/// A release with its programme.
#[derive(Debug, Clone)]
pub struct ReleaseView {
    pub release: Release,
    pub programme: ProgrammeView,
    /// Against the release before it.
    pub changes: Changes,
    /// It is what the public sees now.
    pub current: bool,
}

/// The next number not taken as a version name: "1", "2", …
fn suggested_version(releases: &[Release]) -> String {
    let taken: BTreeSet<String> = releases.iter().map(|r| search_key(&r.version)).collect();
    let mut n = releases.len() + 1;
    while taken.contains(&n.to_string()) {
        n += 1;
    }
    n.to_string()
}

/// The version name as typed, checked: required, short, on one line. Returns it with
/// its key (unique per event, case and accents aside).
fn checked_version(raw: &str) -> Result<(String, String), FieldError> {
    let version = raw.trim().to_owned();
    if version.is_empty() {
        return Err(FieldError::new("version", Problem::Required));
    }
    if version.chars().count() > VERSION_MAX {
        return Err(FieldError::new(
            "version",
            Problem::TooLong { max: VERSION_MAX },
        ));
    }
    if version.chars().any(char::is_control) {
        return Err(FieldError::new(
            "version",
            Problem::Invalid("must be on one line"),
        ));
    }
    let key = search_key(&version);
    Ok((version, key))
}

/// Refuses a version name the event has used already.
fn not_taken(
    tx: &mut Tx<'_>,
    event_id: i64,
    (version, key): &(String, String),
) -> Result<(), AppError> {
    if store::release_version_taken(tx, event_id, key)? {
        return Err(AppError::field(
            "version",
            Problem::Explained(format!(
                "a release of this programme is already named “{version}”"
            )),
        ));
    }
    Ok(())
}

fn checked_comment(raw: &str) -> Result<String, FieldError> {
    let comment = raw.trim().to_owned();
    if comment.chars().count() > COMMENT_MAX {
        return Err(FieldError::new(
            "comment",
            Problem::TooLong { max: COMMENT_MAX },
        ));
    }
    Ok(comment)
}

/// The newest release of an event with its snapshot.
fn latest(tx: &mut Tx<'_>, event_id: i64) -> Result<Option<(Release, Snapshot)>, AppError> {
    store::release_with_snapshot(tx, event_id, None)?
        .map(|(r, raw)| Ok((r, Snapshot::parse(&raw)?)))
        .transpose()
}

/// The working version as the public would see it.
fn working(tx: &mut Tx<'_>, event_id: i64) -> Result<Snapshot, AppError> {
    let loaded = load(tx, event_id)?;
    Ok(Snapshot::of(
        &loaded.rooms,
        &loaded.timeslots,
        &loaded.views,
    ))
}

/// A person to tell about a session: their name as listed and their address.
struct Recipient {
    name: String,
    email: String,
    session_id: i64,
}

/// The address of the one directory entry with this name key: the entry's own, else
/// its account's. Nobody or several people by that name: nobody is told.
fn address_of(tx: &mut Tx<'_>, person_key: &str) -> Result<Option<String>, AppError> {
    let mut found = plenary_store::directory::persons_with_name_key(tx, person_key)?;
    if found.len() != 1 {
        return Ok(None);
    }
    let Some(person) = found.pop() else {
        return Ok(None);
    };
    if let Some(email) = person.email.filter(|e| !e.trim().is_empty()) {
        return Ok(Some(email));
    }
    Ok(match person.user_id {
        Some(id) => plenary_store::users::by_id(tx, UserId(id))?
            .filter(|u| u.disabled_at.is_none())
            .map(|u| u.email),
        None => None,
    })
}

/// The people of the sessions that moved (as they are now) or were removed (as they
/// were in the release), with an address, once per session.
fn recipients(
    tx: &mut Tx<'_>,
    before: &Snapshot,
    after: &Snapshot,
    changes: &Changes,
) -> Result<Vec<Recipient>, AppError> {
    let mut out: Vec<Recipient> = Vec::new();
    let lists = [(&changes.moved, after), (&changes.removed, before)];
    for (list, snapshot) in lists {
        for change in list {
            let Some(s) = snapshot.sessions.iter().find(|s| s.id == change.session_id) else {
                continue;
            };
            for p in &s.people {
                let Some(email) = address_of(tx, &p.person_key)? else {
                    continue;
                };
                let twice = out
                    .iter()
                    .any(|r| r.session_id == s.id && r.email.eq_ignore_ascii_case(&email));
                if !twice {
                    out.push(Recipient {
                        name: p.name.clone(),
                        email,
                        session_id: s.id,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The account's display name, else the caller's label (the command line: "cli").
fn author_of(tx: &mut Tx<'_>, caller: &Caller) -> Result<String, AppError> {
    if let Some(id) = caller.principal.user_id().filter(|id| id.0 > 0)
        && let Some(user) = plenary_store::users::by_id(tx, id)?
    {
        return Ok(user.display_name);
    }
    Ok(caller.label.clone())
}

/// Makes a release of the working version in `tx` and makes it public; `suggest`
/// names it with the suggested number when no version is given.
fn release(
    app: &App,
    tx: &mut Tx<'_>,
    caller: &Caller,
    event_id: i64,
    input: &ReleaseInput,
    suggest: bool,
    now: DateTime<Utc>,
) -> Result<Published, AppError> {
    let event = event_in(tx, event_id)?;
    let zone = event_zone(&event)?;
    let typed = if suggest && input.version.trim().is_empty() {
        suggested_version(&store::releases(tx, event_id)?)
    } else {
        input.version.clone()
    };
    let (version, comment) = match (checked_version(&typed), checked_comment(&input.comment)) {
        (Ok(v), Ok(c)) => (v, c),
        (v, c) => {
            return Err(AppError::Invalid(
                [v.err(), c.err()].into_iter().flatten().collect(),
            ));
        }
    };
    not_taken(tx, event_id, &version)?;
    let before = latest(tx, event_id)?.map(|(_, s)| s).unwrap_or_default();
    let after = working(tx, event_id)?;
    let changes = diff(&before, &after);
    let count = |l: &[SessionChange]| i64::try_from(l.len()).unwrap_or(i64::MAX);
    let author = author_of(tx, caller)?;
    let made = store::insert_release(
        tx,
        &NewRelease {
            event_id,
            version: &version.0,
            version_key: &version.1,
            comment: &comment,
            author: &author,
            published_at: now,
            added: count(&changes.added),
            moved: count(&changes.moved),
            removed: count(&changes.removed),
            retitled: count(&changes.retitled),
            sessions: count_sessions(&after),
            snapshot: &after.to_json(),
        },
    )
    .map_err(|e| match e {
        plenary_store::StoreError::Conflict(_) => AppError::field("version", Problem::Taken),
        other => other.into(),
    })?;
    store::set_published(tx, event_id, true)?;
    let mut notified = 0;
    if input.notify {
        for r in recipients(tx, &before, &after, &changes)? {
            notify(app, tx, &event, zone, &changes, &r, now)?;
            notified += 1;
        }
    }
    Change::new("programme.release", "event", event_id)
        .detail(json!({
            "release": made.number,
            "version": made.version,
            "added": made.added,
            "moved": made.moved,
            "removed": made.removed,
            "retitled": made.retitled,
            "notified": notified,
        }))
        .record(tx, caller, now)?;
    Ok(Published {
        release: made,
        changes,
        notified,
    })
}

fn count_sessions(s: &Snapshot) -> i64 {
    i64::try_from(s.sessions.len()).unwrap_or(i64::MAX)
}

/// Queues the mail telling `r` that their session moved or was removed.
fn notify(
    app: &App,
    tx: &mut Tx<'_>,
    event: &Event,
    zone: Zone,
    changes: &Changes,
    r: &Recipient,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let base = app.config().base_url.trim_end_matches('/');
    let moved = changes.moved.iter().find(|c| c.session_id == r.session_id);
    let removed = changes
        .removed
        .iter()
        .find(|c| c.session_id == r.session_id);
    let (change, link) = match (moved, removed) {
        (Some(c), _) => (
            c,
            format!(
                "{base}/events/{}/programme/sessions/{}",
                event.id, c.session_id
            ),
        ),
        (None, Some(c)) => (c, format!("{base}/events/{}/programme", event.id)),
        (None, None) => return Ok(()),
    };
    let place = |p: &Option<Placement>| p.as_ref().map(|p| p.text(zone));
    crate::mail::enqueue_templated(
        tx,
        MOVED_MAIL,
        &r.email,
        &[
            ("name", r.name.clone()),
            ("event", event.title.clone()),
            ("session", change.title.clone()),
            ("before", place(&change.was).unwrap_or_default()),
            (
                "after",
                place(&change.now).unwrap_or_else(|| "no longer in the programme".to_owned()),
            ),
            ("link", link),
        ],
        &[],
        now,
    )?;
    Ok(())
}

impl App {
    /// The programme the public sees: the newest release while published. The
    /// secretariat sees the same then; before the first release, or while withdrawn,
    /// it may preview the working version (which is never kept as public).
    pub fn public_programme(
        &self,
        caller: &Caller,
        event_id: i64,
    ) -> Result<ProgrammeView, AppError> {
        let manager = require_manager(caller).is_ok();
        self.db().read(|tx| {
            let event = event_in(tx, event_id)?;
            let zone = event_zone(&event)?;
            let (published, _) = store::settings(tx, event_id)?.ok_or(AppError::NotFound)?;
            if published && let Some((_, snapshot)) = latest(tx, event_id)? {
                return Ok(snapshot.into_view(event, zone, true));
            }
            if !manager {
                return Err(AppError::NotFound);
            }
            let mut view = load(tx, event_id)?.into_view();
            view.published = false;
            Ok(view)
        })
    }

    /// The releases of an event, newest first (secretariat).
    pub fn programme_releases(
        &self,
        caller: &Caller,
        event_id: i64,
    ) -> Result<Vec<Release>, AppError> {
        require_manager(caller)?;
        self.db().read(|tx| {
            event_in(tx, event_id)?;
            Ok(store::releases(tx, event_id)?)
        })
    }

    /// The working version against the newest release: what publishing would change,
    /// and whom it could tell (secretariat).
    pub fn programme_release_status(
        &self,
        caller: &Caller,
        event_id: i64,
    ) -> Result<ReleaseStatus, AppError> {
        require_manager(caller)?;
        self.db().read(|tx| {
            let event = event_in(tx, event_id)?;
            let zone = event_zone(&event)?;
            let (published, _) = store::settings(tx, event_id)?.ok_or(AppError::NotFound)?;
            let releases = store::releases(tx, event_id)?;
            let before = latest(tx, event_id)?.map(|(_, s)| s).unwrap_or_default();
            let after = working(tx, event_id)?;
            let changes = diff(&before, &after);
            let recipients = recipients(tx, &before, &after, &changes)?.len();
            Ok(ReleaseStatus {
                event,
                zone,
                published,
                suggested_version: suggested_version(&releases),
                latest: releases.into_iter().next(),
                changes,
                recipients,
            })
        })
    }

    /// One release with its programme and what it changed against the one before
    /// (secretariat).
    pub fn programme_release(
        &self,
        caller: &Caller,
        event_id: i64,
        number: i64,
    ) -> Result<ReleaseView, AppError> {
        require_manager(caller)?;
        self.db().read(|tx| {
            let event = event_in(tx, event_id)?;
            let zone = event_zone(&event)?;
            let (published, _) = store::settings(tx, event_id)?.ok_or(AppError::NotFound)?;
            let (release, raw) = store::release_with_snapshot(tx, event_id, Some(number))?
                .ok_or(AppError::NotFound)?;
            let snapshot = Snapshot::parse(&raw)?;
            let before = match number {
                1 => Snapshot::default(),
                n => store::release_with_snapshot(tx, event_id, Some(n - 1))?
                    .map(|(_, raw)| Snapshot::parse(&raw))
                    .transpose()?
                    .unwrap_or_default(),
            };
            let newest = store::releases(tx, event_id)?
                .first()
                .is_some_and(|r| r.number == number);
            Ok(ReleaseView {
                changes: diff(&before, &snapshot),
                current: published && newest,
                programme: snapshot.into_view(event, zone, published && newest),
                release,
            })
        })
    }

    /// Publishes the working version as a new release (one transaction: the release,
    /// the programme made public, the mails to the people of moved and removed
    /// sessions when asked, the audit entry).
    pub fn publish_programme_release(
        &self,
        caller: &Caller,
        event_id: i64,
        input: &ReleaseInput,
    ) -> Result<Published, AppError> {
        require_manager(caller)?;
        let now = self.now();
        self.db()
            .write(|tx| release(self, tx, caller, event_id, input, false, now))
    }

    /// Withdraws the public programme (its releases are kept; the next publication is
    /// a new release).
    pub fn withdraw_programme(&self, caller: &Caller, event_id: i64) -> Result<(), AppError> {
        require_manager(caller)?;
        let record = Change::new("programme.withdraw", "event", event_id);
        self.write_audited(caller, record, |tx| {
            if !store::set_published(tx, event_id, false)? {
                return Err(AppError::NotFound);
            }
            Ok(())
        })
    }

    /// Publishes a new release named with the next number (no comment, nobody mailed),
    /// or withdraws the programme: the one-switch form of the API and the demo.
    pub fn publish_programme(
        &self,
        caller: &Caller,
        event_id: i64,
        published: bool,
    ) -> Result<(), AppError> {
        if published {
            require_manager(caller)?;
            let now = self.now();
            let input = ReleaseInput::default();
            self.db()
                .write(|tx| release(self, tx, caller, event_id, &input, true, now))
                .map(|_| ())
        } else {
            self.withdraw_programme(caller, event_id)
        }
    }

    /// Gives every programme published before releases existed its first release, made
    /// from its current state, so that nothing disappears for the public on upgrade.
    /// One transaction; run at start-up (nothing to do once done).
    pub fn make_first_releases(&self) -> Result<usize, AppError> {
        let now = self.now();
        let upgrade = Caller {
            principal: plenary_domain::Principal::Anonymous,
            label: "Plenary (upgrade)".into(),
            client_ip: None,
        };
        self.db().write(|tx| {
            let events = store::published_without_release(tx)?;
            for event_id in &events {
                let input = ReleaseInput {
                    version: String::new(),
                    comment: "The programme as published before releases were kept.".into(),
                    notify: false,
                };
                release(self, tx, &upgrade, *event_id, &input, true, now)?;
            }
            Ok(events.len())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 23, h, 0, 0)
            .single()
            .expect("instant")
    }

    fn snapshot(sessions: &[(i64, &str, i64, i64)]) -> Snapshot {
        Snapshot {
            rooms: vec![
                SnapRoom {
                    id: 1,
                    name: "Hall".into(),
                    capacity: 100,
                    hybrid: true,
                },
                SnapRoom {
                    id: 2,
                    name: "Room B".into(),
                    capacity: 30,
                    hybrid: false,
                },
            ],
            timeslots: vec![
                SnapTimeslot {
                    id: 10,
                    starts_at: at(7),
                    minutes: 90,
                },
                SnapTimeslot {
                    id: 11,
                    starts_at: at(9),
                    minutes: 90,
                },
            ],
            sessions: sessions
                .iter()
                .map(|(id, title, room, slot)| SnapSession {
                    id: *id,
                    title: (*title).into(),
                    session_type: "workshop".into(),
                    theme: String::new(),
                    description: String::new(),
                    duration: 60,
                    expected_audience: 10,
                    format: "onsite".into(),
                    language: String::new(),
                    room_id: *room,
                    timeslot_id: *slot,
                    created_at: at(1),
                    updated_at: at(1),
                    version: 1,
                    stream_url: None,
                    people: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn the_diff_names_added_moved_removed_and_retitled_sessions() {
        let before = snapshot(&[
            (1, "Opening", 1, 10),
            (2, "Access", 2, 10),
            (3, "Gone", 2, 11),
        ]);
        let after = snapshot(&[
            (1, "Opening", 1, 11),
            (2, "Access for all", 2, 10),
            (4, "New", 1, 10),
        ]);
        let c = diff(&before, &after);
        let ids = |l: &[SessionChange]| l.iter().map(|c| c.session_id).collect::<Vec<_>>();
        assert_eq!(ids(&c.added), [4]);
        assert_eq!(ids(&c.moved), [1]);
        assert_eq!(ids(&c.removed), [3]);
        assert_eq!(ids(&c.retitled), [2]);
        assert_eq!(c.retitled[0].old_title.as_deref(), Some("Access"));
        assert_eq!(c.moved[0].was.as_ref().map(|p| p.starts_at), Some(at(7)));
        assert_eq!(c.moved[0].now.as_ref().map(|p| p.starts_at), Some(at(9)));
        assert_eq!(c.count(), 4);
        assert!(diff(&after, &after).is_empty());
    }

    #[test]
    fn a_snapshot_reads_back_as_written() {
        let s = snapshot(&[(1, "Opening", 1, 10)]);
        assert_eq!(Snapshot::parse(&s.to_json()).expect("parse"), s);
    }

    #[test]
    fn the_suggested_version_skips_names_taken() {
        let r = |number: i64, version: &str| Release {
            id: number,
            event_id: 1,
            number,
            version: version.into(),
            comment: String::new(),
            author: String::new(),
            published_at: at(1),
            added: 0,
            moved: 0,
            removed: 0,
            retitled: 0,
            sessions: 0,
        };
        assert_eq!(suggested_version(&[]), "1");
        assert_eq!(suggested_version(&[r(1, "2")]), "3");
        assert_eq!(suggested_version(&[r(2, "draft"), r(1, "1")]), "3");
    }

    #[test]
    fn a_placement_reads_in_the_venues_time() {
        let p = Placement {
            room: "Hall".into(),
            starts_at: at(7),
            ends_at: at(8),
        };
        let oslo = Zone::parse("tz", "Europe/Oslo").expect("zone");
        assert_eq!(p.text(oslo), "Tue 23 Jun 2026 09:00–10:00 CEST, Hall");
    }
}
