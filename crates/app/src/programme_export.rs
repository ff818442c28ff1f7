//! The published programme for the public: its version (what caches key on), its
//! sessions in order (by start, then room), and its exports:
//!
//! - iCalendar (RFC 5545) through [`plenary_domain::ical`]: the whole programme, one
//!   session, or a visitor's pick of sessions; local times with `TZID` and a
//!   `VTIMEZONE`, a stable `UID` per session, `SEQUENCE` from the session's version;
//! - the frab schedule XML and the c3voc schedule JSON that conference apps (Giggity,
//!   EventFahrplan, ConfClerk) read, following c3voc's `schedule.xml.xsd` and
//!   `schedule.json` schema (a `guid` per event, `HH:MM` starts and durations, dates
//!   with the venue's offset);
//! - CSV (RFC 4180, UTF-8 with a byte-order mark, formula-safe, see
//!   [`crate::export::csv`]).
//!
//! The writers are pure: the view, the public base address and the time of the export
//! are their inputs.

use crate::export::csv::{BOM, push_field};
use crate::programme::{ProgrammeView, Room, SessionView};
use crate::{App, AppError, Caller};
use chrono::{DateTime, NaiveDate, Utc};
use plenary_domain::calls::SessionFormat;
use plenary_domain::ical;
use plenary_domain::programme::{ProgrammeRole, ProgrammeSessionType};
use plenary_domain::time::{Zone, label};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The exports of a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgrammeFormat {
    Ics,
    Frab,
    ScheduleJson,
    Csv,
}

impl ProgrammeFormat {
    /// As the command line names it: `ics`, `frab`, `schedule-json`, `csv`.
    pub fn parse(raw: &str) -> Option<ProgrammeFormat> {
        Some(match raw {
            "ics" => ProgrammeFormat::Ics,
            "frab" => ProgrammeFormat::Frab,
            "schedule-json" => ProgrammeFormat::ScheduleJson,
            "csv" => ProgrammeFormat::Csv,
            _ => return None,
        })
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ProgrammeFormat::Ics => "text/calendar; charset=utf-8",
            ProgrammeFormat::Frab => "application/xml; charset=utf-8",
            ProgrammeFormat::ScheduleJson => "application/json",
            ProgrammeFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The file name's ending.
    pub fn extension(self) -> &'static str {
        match self {
            ProgrammeFormat::Ics => "ics",
            ProgrammeFormat::Frab => "xml",
            ProgrammeFormat::ScheduleJson => "json",
            ProgrammeFormat::Csv => "csv",
        }
    }
}

/// A placed session with where and when it is.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    pub view: &'a SessionView,
    pub room: &'a Room,
    /// The room's place in the event's list of rooms.
    pub room_index: usize,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The local day at the venue.
    pub day: NaiveDate,
}

/// The placed sessions of a programme by start, then room, then id.
pub fn placed(view: &ProgrammeView) -> Vec<Placed<'_>> {
    let tz = view.zone.tz();
    let mut out: Vec<Placed<'_>> = view
        .sessions
        .iter()
        .filter_map(|s| {
            let t = s.timeslot.as_ref()?;
            let room = s.room.as_ref()?;
            let room_index = view.rooms.iter().position(|r| r.id == room.id)?;
            Some(Placed {
                view: s,
                room,
                room_index,
                starts_at: t.starts_at,
                ends_at: s.ends_at()?,
                day: t.starts_at.with_timezone(&tz).date_naive(),
            })
        })
        .collect();
    out.sort_by_key(|p| (p.starts_at, p.room_index, p.view.session.id));
    out
}

/// The label of a stored session type ("Workshop"), the stored text if unknown.
pub fn type_label(raw: &str) -> &str {
    ProgrammeSessionType::parse(raw).map_or(raw, |t| t.label())
}

/// The label of a stored format ("Hybrid").
pub fn format_label(raw: &str) -> &str {
    SessionFormat::parse(raw).map_or(raw, |t| t.label())
}

/// The label of a stored role ("Co-moderator").
pub fn role_label(raw: &str) -> &str {
    ProgrammeRole::parse(raw).map_or(raw, |t| t.label())
}

/// The roles in the order pages and exports list people.
pub const ROLE_ORDER: [ProgrammeRole; 4] = [
    ProgrammeRole::Moderator,
    ProgrammeRole::CoModerator,
    ProgrammeRole::Speaker,
    ProgrammeRole::Rapporteur,
];

/// Where the exports link to, and what they are stamped with.
#[derive(Debug, Clone, Copy)]
pub struct ExportContext<'a> {
    /// The public address of the installation, without a trailing slash.
    pub base_url: &'a str,
    /// The time of the export (`DTSTAMP`, the schedule's version).
    pub now: DateTime<Utc>,
}

impl ExportContext<'_> {
    fn host(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url, |(_, r)| r);
        rest.split(['/', ':'])
            .next()
            .filter(|h| !h.is_empty())
            .unwrap_or("plenary.invalid")
    }

    fn session_url(&self, event_id: i64, id: i64) -> String {
        format!(
            "{}/events/{event_id}/programme/sessions/{id}",
            self.base_url
        )
    }

    fn programme_url(&self, event_id: i64) -> String {
        format!("{}/events/{event_id}/programme", self.base_url)
    }
}

/// A stable identifier for a thing of this installation, shaped as a UUID (RFC 9562
/// version 8: the first 128 bits of a SHA-256 of the installation's host and `what`).
pub fn stable_uuid(host: &str, what: &str) -> String {
    let digest = Sha256::digest(format!("{host}/{what}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A person's number in the schedule exports: stable across exports (from their
/// search key), positive and below 2^31.
pub fn person_number(key: &str) -> u32 {
    let digest = Sha256::digest(key.as_bytes());
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) & 0x7fff_ffff
}

/// A URL slug: lowercase ASCII letters and digits, words joined by `-`.
fn slugify(text: &str) -> String {
    let key = plenary_domain::search::search_key(text);
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    trimmed.chars().take(60).collect::<String>()
}

fn acronym(view: &ProgrammeView) -> String {
    let s = slugify(&view.event.title);
    if s.is_empty() {
        format!("event-{}", view.event.id)
    } else {
        s
    }
}

/// Minutes as `HH:MM`.
fn hh_mm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// An instant at the venue with its offset: `2026-06-26T09:00:00+02:00`.
fn local_iso(at: DateTime<Utc>, zone: Zone) -> String {
    at.with_timezone(&zone.tz())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// People of a session by role, as "Moderator: A, B" lines.
fn people_lines(s: &SessionView) -> Vec<String> {
    ROLE_ORDER
        .iter()
        .filter_map(|role| {
            let names: Vec<String> = s
                .people
                .iter()
                .filter(|p| p.role == role.as_str())
                .map(|p| {
                    if p.online {
                        format!("{} (online)", p.name)
                    } else {
                        p.name.clone()
                    }
                })
                .collect();
            (!names.is_empty()).then(|| format!("{}: {}", role.label(), names.join(", ")))
        })
        .collect()
}

// ------------------------------------------------------------------ iCalendar

/// The programme (or the sessions of `only`, in programme order) as an iCalendar
/// object, for anyone: without links to join online.
pub fn ics(view: &ProgrammeView, ctx: ExportContext<'_>, only: Option<&[i64]>) -> String {
    ics_joining(view, ctx, only, &BTreeMap::new())
}

/// [`ics`] for someone entitled to join online: each session with its link from
/// `join` (by session id; see [`crate::remote`]).
pub fn ics_joining(
    view: &ProgrammeView,
    ctx: ExportContext<'_>,
    only: Option<&[i64]>,
    join: &BTreeMap<i64, String>,
) -> String {
    let host = ctx.host();
    let events: Vec<ical::Event> = placed(view)
        .into_iter()
        .filter(|p| only.is_none_or(|ids| ids.contains(&p.view.session.id)))
        .map(|p| {
            let s = &p.view.session;
            let mut description = String::new();
            let facts = [
                type_label(&s.session_type),
                s.theme.as_str(),
                format_label(&s.format),
                s.language.as_str(),
            ];
            description.push_str(
                &facts
                    .iter()
                    .filter(|f| !f.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" · "),
            );
            for line in people_lines(p.view) {
                description.push('\n');
                description.push_str(&line);
            }
            if !s.description.is_empty() {
                description.push_str("\n\n");
                description.push_str(&s.description);
            }
            let join_url = join.get(&s.id).cloned();
            // Many calendar programs ignore CONFERENCE: the links go in the text too.
            if let Some(url) = &join_url {
                description.push_str(&format!("\n\nJoin online: {url}"));
            }
            if let Some(url) = &s.stream_url {
                description.push_str(&format!("\n\nWatch the stream: {url}"));
            }
            ical::Event {
                uid: format!("programme-session-{}@{host}", s.id),
                summary: s.title.clone(),
                description: Some(description),
                location: Some(p.room.name.clone()),
                url: Some(ctx.session_url(view.event.id, s.id)),
                conference: join_url,
                starts_at: p.starts_at,
                ends_at: p.ends_at,
                zone: view.zone,
                last_modified: s.updated_at,
                sequence: u32::try_from(s.version).unwrap_or(0),
                cancelled: false,
            }
        })
        .collect();
    let name = format!("{} — programme", view.event.title);
    ical::Calendar {
        name: &name,
        events: &events,
    }
    .render(ctx.now)
}

// ------------------------------------------------------------------ frab XML

/// Escapes text for XML content and attribute values; drops characters XML 1.0 does
/// not allow.
fn xml(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

fn element(out: &mut String, indent: &str, name: &str, text: &str) {
    let _ = write!(out, "{indent}<{name}>");
    xml(out, text);
    let _ = writeln!(out, "</{name}>");
}

/// The days of the programme at the venue, each with its sessions (in order).
fn days<'a>(placed: &[Placed<'a>]) -> Vec<(NaiveDate, Vec<Placed<'a>>)> {
    let mut out: Vec<(NaiveDate, Vec<Placed<'a>>)> = Vec::new();
    for p in placed {
        match out.last_mut() {
            Some((d, list)) if *d == p.day => list.push(*p),
            _ => out.push((p.day, vec![*p])),
        }
    }
    out.sort_by_key(|(d, _)| *d);
    out
}

/// The export's version: the time of the newest change to a session.
fn schedule_version(view: &ProgrammeView) -> String {
    view.sessions
        .iter()
        .map(|s| s.session.updated_at)
        .max()
        .map_or_else(
            || "0".to_owned(),
            |at| at.format("%Y-%m-%d %H:%M").to_string(),
        )
}

fn conference_dates(
    view: &ProgrammeView,
    days: &[(NaiveDate, Vec<Placed<'_>>)],
) -> (String, String) {
    let tz = view.zone.tz();
    let first = days
        .first()
        .map(|(d, _)| *d)
        .unwrap_or_else(|| view.event.starts_at.with_timezone(&tz).date_naive());
    let last = days
        .last()
        .map(|(d, _)| *d)
        .unwrap_or_else(|| view.event.ends_at.with_timezone(&tz).date_naive());
    (first.to_string(), last.to_string())
}

/// The frab schedule XML (as c3voc's `schedule.xml.xsd` describes it).
pub fn frab(view: &ProgrammeView, ctx: ExportContext<'_>) -> String {
    let host = ctx.host();
    let list = placed(view);
    let days = days(&list);
    let acronym = acronym(view);
    let (start, end) = conference_dates(view, &days);
    let mut out = String::with_capacity(2048 + list.len() * 1500);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n");
    out.push_str("  <generator name=\"plenary\" version=\"");
    xml(&mut out, env!("CARGO_PKG_VERSION"));
    out.push_str("\"/>\n");
    element(&mut out, "  ", "version", &schedule_version(view));
    out.push_str("  <conference>\n");
    element(&mut out, "    ", "acronym", &acronym);
    element(&mut out, "    ", "title", &view.event.title);
    element(&mut out, "    ", "start", &start);
    element(&mut out, "    ", "end", &end);
    element(&mut out, "    ", "days", &days.len().max(1).to_string());
    element(&mut out, "    ", "timeslot_duration", "00:15");
    element(
        &mut out,
        "    ",
        "base_url",
        &format!("{}/", ctx.programme_url(view.event.id)),
    );
    element(&mut out, "    ", "time_zone_name", view.zone.name());
    out.push_str("  </conference>\n");
    for (index, (date, sessions)) in days.iter().enumerate() {
        let day_start = sessions
            .iter()
            .map(|p| p.starts_at)
            .min()
            .unwrap_or_default();
        let day_end = sessions.iter().map(|p| p.ends_at).max().unwrap_or_default();
        let _ = writeln!(
            out,
            "  <day index=\"{}\" date=\"{date}\" start=\"{}\" end=\"{}\">",
            index + 1,
            local_iso(day_start, view.zone),
            local_iso(day_end, view.zone)
        );
        for (ri, room) in view.rooms.iter().enumerate() {
            let here: Vec<&Placed<'_>> = sessions.iter().filter(|p| p.room_index == ri).collect();
            if here.is_empty() {
                continue;
            }
            out.push_str("    <room name=\"");
            xml(&mut out, &room.name);
            let _ = writeln!(
                out,
                "\" guid=\"{}\">",
                stable_uuid(host, &format!("room/{}", room.id))
            );
            for p in here {
                frab_event(&mut out, view, ctx, &acronym, p);
            }
            out.push_str("    </room>\n");
        }
        out.push_str("  </day>\n");
    }
    out.push_str("</schedule>\n");
    out
}

fn frab_event(
    out: &mut String,
    view: &ProgrammeView,
    ctx: ExportContext<'_>,
    acronym: &str,
    p: &Placed<'_>,
) {
    let s = &p.view.session;
    let i = "        ";
    let _ = writeln!(
        out,
        "      <event guid=\"{}\" id=\"{}\">",
        stable_uuid(ctx.host(), &format!("programme-session/{}", s.id)),
        s.id
    );
    element(out, i, "date", &local_iso(p.starts_at, view.zone));
    element(out, i, "start", &label(p.starts_at, view.zone).time_hm());
    element(out, i, "duration", &hh_mm(s.duration));
    element(out, i, "room", &p.room.name);
    element(
        out,
        i,
        "slug",
        &format!("{acronym}-{}-{}", s.id, slugify(&s.title)),
    );
    element(out, i, "url", &ctx.session_url(view.event.id, s.id));
    let _ = writeln!(
        out,
        "{i}<recording><license/><optout>true</optout></recording>"
    );
    element(out, i, "title", &s.title);
    element(out, i, "subtitle", "");
    element(out, i, "track", &s.theme);
    element(out, i, "type", type_label(&s.session_type));
    element(out, i, "language", &s.language);
    element(out, i, "abstract", &abstract_of(&s.description));
    element(out, i, "description", &s.description);
    let _ = writeln!(out, "{i}<logo/>");
    let _ = writeln!(out, "{i}<persons>");
    for person in &p.view.people {
        let _ = write!(
            out,
            "{i}  <person id=\"{}\" guid=\"{}\">",
            person_number(&person.person_key),
            stable_uuid(ctx.host(), &format!("person/{}", person.person_key))
        );
        xml(out, &person.name);
        out.push_str("</person>\n");
    }
    let _ = writeln!(out, "{i}</persons>");
    let _ = writeln!(out, "{i}<links/>");
    let _ = writeln!(out, "{i}<attachments/>");
    out.push_str("      </event>\n");
}

/// The first paragraph of a description, at most 500 characters.
fn abstract_of(description: &str) -> String {
    let first = description.split("\n\n").next().unwrap_or_default().trim();
    if first.chars().count() > 500 {
        let mut cut: String = first.chars().take(499).collect();
        cut.push('…');
        cut
    } else {
        first.to_owned()
    }
}

// ------------------------------------------------------------------ c3voc JSON

/// The c3voc schedule JSON (as its `schedule.json` schema describes it).
pub fn schedule_json(view: &ProgrammeView, ctx: ExportContext<'_>) -> String {
    let host = ctx.host();
    let list = placed(view);
    let days = days(&list);
    let acronym = acronym(view);
    let (start, end) = conference_dates(view, &days);
    let rooms: Vec<Value> = view
        .rooms
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "guid": stable_uuid(host, &format!("room/{}", r.id)),
                "capacity": r.capacity,
            })
        })
        .collect();
    let day_values: Vec<Value> = days
        .iter()
        .enumerate()
        .map(|(index, (date, sessions))| {
            let mut by_room = Map::new();
            for (ri, room) in view.rooms.iter().enumerate() {
                let events: Vec<Value> = sessions
                    .iter()
                    .filter(|p| p.room_index == ri)
                    .map(|p| json_event(view, ctx, &acronym, p))
                    .collect();
                if !events.is_empty() {
                    by_room.insert(room.name.clone(), Value::Array(events));
                }
            }
            let day_start = sessions
                .iter()
                .map(|p| p.starts_at)
                .min()
                .unwrap_or_default();
            let day_end = sessions.iter().map(|p| p.ends_at).max().unwrap_or_default();
            json!({
                "index": index + 1,
                "date": date.to_string(),
                "day_start": local_iso(day_start, view.zone),
                "day_end": local_iso(day_end, view.zone),
                "rooms": by_room,
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": { "name": "plenary", "version": env!("CARGO_PKG_VERSION") },
        "schedule": {
            "version": schedule_version(view),
            "base_url": format!("{}/", ctx.programme_url(view.event.id)),
            "conference": {
                "acronym": acronym,
                "title": view.event.title,
                "start": start,
                "end": end,
                "daysCount": days.len().max(1),
                "timeslot_duration": "00:15",
                "time_zone_name": view.zone.name(),
                "url": ctx.programme_url(view.event.id),
                "rooms": rooms,
                "days": day_values,
            }
        }
    });
    doc.to_string()
}

fn json_event(
    view: &ProgrammeView,
    ctx: ExportContext<'_>,
    acronym: &str,
    p: &Placed<'_>,
) -> Value {
    let s = &p.view.session;
    let host = ctx.host();
    let persons: Vec<Value> = p
        .view
        .people
        .iter()
        .map(|person| {
            json!({
                "id": person_number(&person.person_key),
                "guid": stable_uuid(host, &format!("person/{}", person.person_key)),
                "public_name": person.name,
                "role": person.role,
            })
        })
        .collect();
    json!({
        "guid": stable_uuid(host, &format!("programme-session/{}", s.id)),
        "id": s.id,
        "logo": null,
        "date": local_iso(p.starts_at, view.zone),
        "start": label(p.starts_at, view.zone).time_hm(),
        "duration": hh_mm(s.duration),
        "room": p.room.name,
        "slug": format!("{acronym}-{}-{}", s.id, slugify(&s.title)),
        "url": ctx.session_url(view.event.id, s.id),
        "title": s.title,
        "subtitle": "",
        "track": s.theme,
        "type": type_label(&s.session_type),
        "language": s.language,
        "abstract": abstract_of(&s.description),
        "description": s.description,
        "recording_license": "",
        "do_not_record": true,
        "persons": persons,
        "links": [],
        "attachments": [],
    })
}

// ------------------------------------------------------------------ CSV

/// The CSV export's columns.
pub const CSV_HEADER: [&str; 17] = [
    "id",
    "title",
    "type",
    "theme",
    "format",
    "language",
    "date",
    "start",
    "end",
    "time_zone",
    "room",
    "moderators",
    "co_moderators",
    "speakers",
    "rapporteurs",
    "description",
    "url",
];

/// The programme as CSV: one record per placed session, times at the venue.
pub fn csv(view: &ProgrammeView, ctx: ExportContext<'_>) -> Vec<u8> {
    let list = placed(view);
    let mut out = Vec::with_capacity(1024 + list.len() * 600);
    out.extend_from_slice(BOM);
    let row = |out: &mut Vec<u8>, cells: &[&str]| {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_field(out, cell);
        }
        out.extend_from_slice(b"\r\n");
    };
    row(&mut out, &CSV_HEADER);
    for p in &list {
        let s = &p.view.session;
        let names = |role: ProgrammeRole| {
            p.view
                .people
                .iter()
                .filter(|x| x.role == role.as_str())
                .map(|x| {
                    if x.online {
                        format!("{} (online)", x.name)
                    } else {
                        x.name.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let start = label(p.starts_at, view.zone);
        let end = label(p.ends_at, view.zone);
        row(
            &mut out,
            &[
                &s.id.to_string(),
                &s.title,
                type_label(&s.session_type),
                &s.theme,
                format_label(&s.format),
                &s.language,
                &start.date_iso(),
                &start.time_hm(),
                &end.time_hm(),
                view.zone.name(),
                &p.room.name,
                &names(ProgrammeRole::Moderator),
                &names(ProgrammeRole::CoModerator),
                &names(ProgrammeRole::Speaker),
                &names(ProgrammeRole::Rapporteur),
                &s.description,
                &ctx.session_url(view.event.id, s.id),
            ],
        );
    }
    out
}

/// One export of a view.
pub fn render(
    view: &ProgrammeView,
    format: ProgrammeFormat,
    ctx: ExportContext<'_>,
    only: Option<&[i64]>,
) -> Vec<u8> {
    match format {
        ProgrammeFormat::Ics => ics(view, ctx, only).into_bytes(),
        ProgrammeFormat::Frab => frab(view, ctx).into_bytes(),
        ProgrammeFormat::ScheduleJson => schedule_json(view, ctx).into_bytes(),
        ProgrammeFormat::Csv => csv(view, ctx),
    }
}

/// An export as written.
#[derive(Debug, Clone)]
pub struct ProgrammeExport {
    pub body: Vec<u8>,
    /// The programme is published (anyone may have these bytes).
    pub published: bool,
    /// How many sessions it holds.
    pub sessions: usize,
}

impl App {
    /// The calendar of the sessions of `only` (a visitor's own), with the links to join
    /// them online, if the caller is entitled to them; None otherwise (the public file
    /// serves then). Never kept in a shared cache.
    pub fn personal_programme_calendar(
        &self,
        caller: &Caller,
        event_id: i64,
        only: &[i64],
    ) -> Result<Option<String>, AppError> {
        let Some(join) = self.session_join_links(caller, event_id)? else {
            return Ok(None);
        };
        let view = self.public_programme(caller, event_id)?;
        let base = self.config().base_url.trim_end_matches('/').to_owned();
        let ctx = ExportContext {
            base_url: &base,
            now: self.now(),
        };
        Ok(Some(ics_joining(&view, ctx, Some(only), &join)))
    }

    /// The version of what the public programme of an event shows (see
    /// [`plenary_store::programme::version`]): read it *before* the programme, and a
    /// copy kept under it is never newer than what it says.
    pub fn programme_version(&self, event_id: i64) -> Result<String, AppError> {
        self.db().read(|tx| {
            let (max, count) = plenary_store::programme::version(tx, event_id)?;
            Ok(format!("{max}.{count}"))
        })
    }

    /// An export of the published programme (the secretariat may export it before
    /// publishing); `only` keeps those sessions (a visitor's own calendar).
    pub fn export_programme(
        &self,
        caller: &Caller,
        event_id: i64,
        format: ProgrammeFormat,
        only: Option<&[i64]>,
    ) -> Result<ProgrammeExport, AppError> {
        let view = self.public_programme(caller, event_id)?;
        let base = self.config().base_url.trim_end_matches('/').to_owned();
        let sessions = placed(&view)
            .iter()
            .filter(|p| only.is_none_or(|ids| ids.contains(&p.view.session.id)))
            .count();
        let body = render(
            &view,
            format,
            ExportContext {
                base_url: &base,
                now: self.now(),
            },
            only,
        );
        Ok(ProgrammeExport {
            body,
            published: view.published,
            sessions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_words() {
        assert_eq!(slugify("Café & AI: the  future!"), "cafe-ai-the-future");
        assert_eq!(slugify("  "), "");
    }

    #[test]
    fn uuids_are_stable_and_shaped() {
        let a = stable_uuid("forum.example.org", "programme-session/1");
        assert_eq!(a, stable_uuid("forum.example.org", "programme-session/1"));
        assert_ne!(a, stable_uuid("forum.example.org", "programme-session/2"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
    }

    #[test]
    fn durations_are_hours_and_minutes() {
        assert_eq!(hh_mm(90), "01:30");
        assert_eq!(hh_mm(5), "00:05");
    }

    #[test]
    fn xml_text_is_escaped() {
        let mut out = String::new();
        xml(&mut out, "a<b & \"c\"\u{1}");
        assert_eq!(out, "a&lt;b &amp; &quot;c&quot;");
    }
}
