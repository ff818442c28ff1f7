//! The public programme (404 until published; the secretariat may preview it): the
//! sessions by day at the venue, then time, then room, with filters (theme, type,
//! format, language, room, day) and times in the venue's zone or the viewer's
//! (`?tz=Area/City`, or `?tz=mine` for the account's), always labelled with the zone;
//! a page per session and per person; and the exports (iCalendar for the whole
//! programme, one session or a visitor's pick, frab XML, c3voc JSON, CSV).
//!
//! Speed: what anyone may see (pages for visitors who are not signed in, exports) is
//! kept as bytes per (event, request) with the programme's version
//! ([`plenary_app::App::programme_version`], one indexed read), served with an `ETag`
//! and answered `304 Not Modified` to a matching `If-None-Match`. A change to the
//! event or its programme changes the version, so the next request renders afresh.

use crate::AppState;
use crate::error::PageError;
use crate::visitor::{Chrome, Visitor};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use plenary_app::programme::{ProgrammeView, SessionView};
use plenary_app::programme_export::{
    self as export, Placed, ProgrammeFormat, ROLE_ORDER, format_label, placed, type_label,
};
use plenary_app::{App, AppError};
use plenary_domain::time::{Zone, label};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;

// ------------------------------------------------------------------ the cache

/// How many responses are kept; past that the cache starts again empty (queries are
/// the visitors' to choose, so the key space is theirs too).
const CACHE_ENTRIES: usize = 2048;

/// The longest query string whose answer is kept.
const CACHE_QUERY_BYTES: usize = 512;

#[derive(Clone)]
struct Cached {
    version: String,
    etag: HeaderValue,
    body: Bytes,
    content_type: &'static str,
    disposition: Option<HeaderValue>,
}

/// Rendered public programme responses, by (event, what was asked).
#[derive(Default)]
pub(crate) struct ProgrammeCache {
    entries: Mutex<HashMap<(i64, String), Cached>>,
}

impl ProgrammeCache {
    fn get(&self, key: &(i64, String), version: &str) -> Option<Cached> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).filter(|c| c.version == version).cloned()
    }

    fn put(&self, key: (i64, String), value: Cached) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CACHE_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, value);
    }
}

/// A response body about to be sent (and perhaps kept).
struct Rendered {
    body: Vec<u8>,
    content_type: &'static str,
    /// `Content-Disposition` for downloads.
    file_name: Option<String>,
    /// The programme is published, so that anyone may be given these bytes.
    public: bool,
}

fn etag_of(body: &[u8]) -> HeaderValue {
    let mut h = DefaultHasher::new();
    body.hash(&mut h);
    HeaderValue::from_str(&format!("\"{:016x}{:08x}\"", h.finish(), body.len()))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// Whether `If-None-Match` names this entity tag (or is `*`).
fn not_modified(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(tag) = etag.to_str() else {
        return false;
    };
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*")
}

fn respond(cached: &Cached, headers: &HeaderMap) -> Response {
    let mut response = if not_modified(headers, &cached.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = cached.body.clone().into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(cached.content_type),
        );
        if let Some(d) = &cached.disposition {
            r.headers_mut()
                .insert(header::CONTENT_DISPOSITION, d.clone());
        }
        r
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, cached.etag.clone());
    // Kept, but asked again each time (answered 304 while unchanged).
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn disposition(file_name: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("inline; filename=\"{file_name}\"")).ok()
}

/// Answers from the cache when `shareable` (the response is the same for anyone) and
/// the programme has not changed since; renders otherwise, keeping a published
/// programme's answer.
async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    event_id: i64,
    key: String,
    shareable: bool,
    render: impl FnOnce(App) -> Result<Rendered, AppError> + Send + 'static,
) -> Result<Response, PageError> {
    let shareable = shareable && key.len() <= CACHE_QUERY_BYTES;
    let version = if shareable {
        let version = state
            .run(move |app| app.programme_version(event_id))
            .await?;
        let cache_key = (event_id, key.clone());
        if let Some(hit) = state.programme_cache.get(&cache_key, &version) {
            return Ok(respond(&hit, headers));
        }
        Some(version)
    } else {
        None
    };
    let rendered = state.run(render).await?;
    let content_type = rendered.content_type;
    let file_name = rendered.file_name.as_deref().and_then(disposition);
    match version {
        Some(version) if rendered.public => {
            let cached = Cached {
                version,
                etag: etag_of(&rendered.body),
                body: Bytes::from(rendered.body),
                content_type,
                disposition: file_name,
            };
            let response = respond(&cached, headers);
            state.programme_cache.put((event_id, key), cached);
            Ok(response)
        }
        _ => {
            let mut r = rendered.body.into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            if let Some(d) = file_name {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, d);
            }
            Ok(r)
        }
    }
}

fn html(page: &impl Template, public: bool) -> Result<Rendered, AppError> {
    let body = page
        .render()
        .map_err(|e| AppError::Internal(format!("template failed: {e}")))?;
    Ok(Rendered {
        body: body.into_bytes(),
        content_type: "text/html; charset=utf-8",
        file_name: None,
        public,
    })
}

// ------------------------------------------------------------------ query

/// The page's query: filters and the zone to show times in.
#[derive(Debug, Default, Clone)]
struct Query {
    theme: String,
    session_type: String,
    format: String,
    language: String,
    room: String,
    day: String,
    tz: String,
    sessions: Vec<i64>,
}

fn parse_query(raw: Option<&str>) -> Query {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or_default()).unwrap_or_default();
    let mut q = Query::default();
    for (k, v) in pairs {
        let v = v.trim().to_owned();
        match k.as_str() {
            "theme" => q.theme = v,
            "type" => q.session_type = v,
            "format" => q.format = v,
            "language" => q.language = v,
            "room" => q.room = v,
            "day" => q.day = v,
            "tz" => q.tz = v,
            "sessions" => q.sessions.extend(
                v.split([',', ' '])
                    .filter_map(|s| s.trim().parse::<i64>().ok())
                    .take(500),
            ),
            _ => {}
        }
    }
    q
}

/// The zone times are shown in: the venue's unless `?tz=` names another (`mine`: the
/// account's). The second value says the `tz` asked for was not understood.
fn shown_zone(visitor: &Visitor, venue: Zone, tz: &str) -> (Zone, bool) {
    match tz {
        "" | "venue" => (venue, false),
        "mine" => (visitor.account_zone().unwrap_or(venue), false),
        raw => match Zone::parse("tz", raw) {
            Ok(z) => (z, false),
            Err(_) => (venue, true),
        },
    }
}

/// A path segment, percent-encoded (RFC 3986 unreserved characters kept).
pub(crate) fn path_segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ------------------------------------------------------------------ rows

/// A session as a row of the programme.
struct Row {
    id: i64,
    title: String,
    /// "09:00–10:30".
    time: String,
    /// The zone's label at the start: "CEST" or "UTC-03:00".
    zone_label: String,
    /// The date in the shown zone when it is not the venue's day.
    other_date: Option<String>,
    /// The date in the shown zone, for lists not grouped by day: "Mon 22 Jun 2026".
    day: String,
    room: String,
    session_type: String,
    theme: String,
    format: String,
    language: String,
    people: String,
}

fn times(start: DateTime<Utc>, end: DateTime<Utc>, zone: Zone) -> (String, String, String) {
    let s = label(start, zone);
    let e = label(end, zone);
    (
        format!("{}–{}", s.time_hm(), e.time_hm()),
        s.abbreviation_or_offset(),
        s.date_iso(),
    )
}

fn row(p: &Placed<'_>, zone: Zone) -> Row {
    let s = &p.view.session;
    let (time, zone_label, date) = times(p.starts_at, p.ends_at, zone);
    let people: Vec<&str> = ROLE_ORDER
        .iter()
        .flat_map(|r| {
            p.view
                .people
                .iter()
                .filter(move |x| x.role == r.as_str())
                .map(|x| x.name.as_str())
        })
        .collect();
    Row {
        id: s.id,
        title: s.title.clone(),
        time,
        zone_label,
        other_date: (date != p.day.to_string()).then_some(date),
        day: label(p.starts_at, zone)
            .local
            .format("%a %-d %b %Y")
            .to_string(),
        room: p.room.name.clone(),
        session_type: type_label(&s.session_type).to_owned(),
        theme: s.theme.clone(),
        format: format_label(&s.format).to_owned(),
        language: s.language.clone(),
        people: people.join(", "),
    }
}

struct Day {
    /// "2026-06-26".
    date: String,
    /// "Friday 26 June 2026".
    heading: String,
    rows: Vec<Row>,
}

/// A choice of a filter.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

struct Filter {
    name: &'static str,
    label: &'static str,
    choices: Vec<Choice>,
}

fn choices(mut values: Vec<(String, String)>, selected: &str) -> Vec<Choice> {
    values.sort();
    values.dedup();
    values
        .into_iter()
        .filter(|(v, _)| !v.is_empty())
        .map(|(value, label)| Choice {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

fn day_heading(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

// ------------------------------------------------------------------ the programme

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    chrome: Chrome,
    event_id: i64,
    title: String,
    published: bool,
    venue_zone: &'static str,
    shown_zone: &'static str,
    /// "CEST (UTC+02:00)" at the start of the programme.
    shown_label: String,
    in_venue_zone: bool,
    bad_tz: bool,
    tz: String,
    account_zone: Option<String>,
    filters: Vec<Filter>,
    filtered: bool,
    days: Vec<Day>,
    count: usize,
    total: usize,
}

fn programme_page(
    visitor: &Visitor,
    chrome: Chrome,
    view: &ProgrammeView,
    q: &Query,
) -> ProgrammePage {
    let all = placed(view);
    let (zone, bad_tz) = shown_zone(visitor, view.zone, &q.tz);
    let mut filters = vec![
        Filter {
            name: "day",
            label: "Day",
            choices: choices(
                all.iter()
                    .map(|p| (p.day.to_string(), day_heading(p.day)))
                    .collect(),
                &q.day,
            ),
        },
        Filter {
            name: "theme",
            label: "Theme",
            choices: choices(
                all.iter()
                    .map(|p| (p.view.session.theme.clone(), p.view.session.theme.clone()))
                    .collect(),
                &q.theme,
            ),
        },
        Filter {
            name: "type",
            label: "Type",
            choices: choices(
                all.iter()
                    .map(|p| {
                        let t = &p.view.session.session_type;
                        (t.clone(), type_label(t).to_owned())
                    })
                    .collect(),
                &q.session_type,
            ),
        },
        Filter {
            name: "format",
            label: "Format",
            choices: choices(
                all.iter()
                    .map(|p| {
                        let f = &p.view.session.format;
                        (f.clone(), format_label(f).to_owned())
                    })
                    .collect(),
                &q.format,
            ),
        },
        Filter {
            name: "language",
            label: "Language",
            choices: choices(
                all.iter()
                    .map(|p| {
                        (
                            p.view.session.language.clone(),
                            p.view.session.language.clone(),
                        )
                    })
                    .collect(),
                &q.language,
            ),
        },
    ];
    let mut rooms: Vec<Choice> = view
        .rooms
        .iter()
        .map(|r| Choice {
            value: r.id.to_string(),
            label: r.name.clone(),
            selected: r.id.to_string() == q.room,
        })
        .collect();
    rooms.retain(|c| all.iter().any(|p| p.room.id.to_string() == c.value));
    filters.push(Filter {
        name: "room",
        label: "Room",
        choices: rooms,
    });
    let keep = |p: &&Placed<'_>| {
        let s = &p.view.session;
        (q.theme.is_empty() || s.theme == q.theme)
            && (q.session_type.is_empty() || s.session_type == q.session_type)
            && (q.format.is_empty() || s.format == q.format)
            && (q.language.is_empty() || s.language == q.language)
            && (q.room.is_empty() || p.room.id.to_string() == q.room)
            && (q.day.is_empty() || p.day.to_string() == q.day)
    };
    let mut days: Vec<Day> = Vec::new();
    let mut count = 0;
    for p in all.iter().filter(keep) {
        count += 1;
        let date = p.day.to_string();
        if days.last().is_none_or(|d| d.date != date) {
            days.push(Day {
                heading: day_heading(p.day),
                date,
                rows: Vec::new(),
            });
        }
        if let Some(d) = days.last_mut() {
            d.rows.push(row(p, zone));
        }
    }
    let first = all.first().map_or(view.event.starts_at, |p| p.starts_at);
    let l = label(first, zone);
    ProgrammePage {
        chrome,
        event_id: view.event.id,
        title: view.event.title.clone(),
        published: view.published,
        venue_zone: view.zone.name(),
        shown_zone: zone.name(),
        shown_label: format!("{} (UTC{})", l.abbreviation_or_offset(), l.offset),
        in_venue_zone: zone == view.zone,
        bad_tz,
        tz: q.tz.clone(),
        account_zone: visitor.account_zone().map(|z| z.name().to_owned()),
        filtered: [
            &q.theme,
            &q.session_type,
            &q.format,
            &q.language,
            &q.room,
            &q.day,
        ]
        .iter()
        .any(|f| !f.is_empty()),
        filters,
        days,
        count,
        total: all.len(),
    }
}

/// GET /events/{id}/programme
pub async fn programme(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let key = format!("page?{}", raw.as_deref().unwrap_or_default());
    let shareable = visitor.user.is_none();
    let q = parse_query(raw.as_deref());
    let caller = visitor.caller();
    let chrome = visitor.chrome(&state.app);
    serve(&state, &headers, id, key, shareable, move |app| {
        let view = app.public_programme(&caller, id)?;
        let page = programme_page(&visitor, chrome, &view, &q);
        html(&page, view.published)
    })
    .await
}

// ------------------------------------------------------------------ one session

struct PersonShown {
    name: String,
    key: String,
    online: bool,
    /// An online person's own local time: "17:00 AEST (Australia/Sydney)".
    their_time: Option<String>,
}

struct RoleShown {
    label: &'static str,
    people: Vec<PersonShown>,
}

#[derive(Template)]
#[template(path = "programme_session.html")]
struct SessionPage {
    chrome: Chrome,
    event_id: i64,
    event_title: String,
    id: i64,
    title: String,
    /// "2026-06-26 09:00–10:00 CEST (UTC+02:00, Europe/Oslo)", at the venue.
    venue_time: String,
    /// The same in the viewer's zone, when another.
    your_time: Option<String>,
    room: String,
    session_type: String,
    theme: String,
    format: String,
    language: String,
    description: String,
    roles: Vec<RoleShown>,
    tz: String,
}

fn span_text(start: DateTime<Utc>, end: DateTime<Utc>, zone: Zone) -> String {
    let s = label(start, zone);
    let e = label(end, zone);
    let mut text = format!("{} {}–{}", s.date_iso(), s.time_hm(), e.time_hm());
    if e.date_iso() != s.date_iso() {
        text = format!(
            "{} {} – {} {}",
            s.date_iso(),
            s.time_hm(),
            e.date_iso(),
            e.time_hm()
        );
    }
    format!(
        "{text} {} (UTC{}, {})",
        s.abbreviation_or_offset(),
        s.offset,
        zone.name()
    )
}

fn roles_of(s: &SessionView, start: DateTime<Utc>, venue: Zone) -> Vec<RoleShown> {
    ROLE_ORDER
        .iter()
        .filter_map(|role| {
            let people: Vec<PersonShown> = s
                .people
                .iter()
                .filter(|p| p.role == role.as_str())
                .map(|p| {
                    let own = p
                        .time_zone
                        .as_deref()
                        .and_then(|z| Zone::parse("time_zone", z).ok())
                        .unwrap_or(venue);
                    let l = label(start, own);
                    PersonShown {
                        name: p.name.clone(),
                        key: path_segment(&p.person_key),
                        online: p.online,
                        their_time: p.online.then(|| {
                            format!(
                                "{} {} {} ({})",
                                l.date_iso(),
                                l.time_hm(),
                                l.abbreviation_or_offset(),
                                own.name()
                            )
                        }),
                    }
                })
                .collect();
            (!people.is_empty()).then_some(RoleShown {
                label: role.label(),
                people,
            })
        })
        .collect()
}

/// The page of one session.
async fn session(
    state: AppState,
    visitor: Visitor,
    headers: HeaderMap,
    id: i64,
    sid: i64,
    raw: Option<String>,
) -> Result<Response, PageError> {
    let key = format!("session/{sid}?{}", raw.as_deref().unwrap_or_default());
    let shareable = visitor.user.is_none();
    let q = parse_query(raw.as_deref());
    let caller = visitor.caller();
    let chrome = visitor.chrome(&state.app);
    serve(&state, &headers, id, key, shareable, move |app| {
        let view = app.public_programme(&caller, id)?;
        let list = placed(&view);
        let p = list
            .iter()
            .find(|p| p.view.session.id == sid)
            .ok_or(AppError::NotFound)?;
        let s = &p.view.session;
        let (zone, _) = shown_zone(&visitor, view.zone, &q.tz);
        let page = SessionPage {
            chrome,
            event_id: id,
            event_title: view.event.title.clone(),
            id: sid,
            title: s.title.clone(),
            venue_time: span_text(p.starts_at, p.ends_at, view.zone),
            your_time: (zone != view.zone).then(|| span_text(p.starts_at, p.ends_at, zone)),
            room: p.room.name.clone(),
            session_type: type_label(&s.session_type).to_owned(),
            theme: s.theme.clone(),
            format: format_label(&s.format).to_owned(),
            language: s.language.clone(),
            description: s.description.clone(),
            roles: roles_of(p.view, p.starts_at, view.zone),
            tz: q.tz.clone(),
        };
        html(&page, view.published)
    })
    .await
}

// ------------------------------------------------------------------ one person

#[derive(Template)]
#[template(path = "programme_speaker.html")]
struct SpeakerPage {
    chrome: Chrome,
    event_id: i64,
    event_title: String,
    name: String,
    shown_zone: &'static str,
    tz: String,
    rows: Vec<(Row, String, String)>,
}

/// GET /events/{id}/programme/speakers/{key}
pub async fn speaker(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((id, person)): Path<(i64, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let key = format!(
        "speaker/{}?{}",
        path_segment(&person),
        raw.as_deref().unwrap_or_default()
    );
    let shareable = visitor.user.is_none();
    let q = parse_query(raw.as_deref());
    let caller = visitor.caller();
    let chrome = visitor.chrome(&state.app);
    serve(&state, &headers, id, key, shareable, move |app| {
        let view = app.public_programme(&caller, id)?;
        let (zone, _) = shown_zone(&visitor, view.zone, &q.tz);
        let mut name = None;
        let rows: Vec<(Row, String, String)> = placed(&view)
            .iter()
            .filter_map(|p| {
                let me = p.view.people.iter().find(|x| x.person_key == person)?;
                name.get_or_insert_with(|| me.name.clone());
                let role = export::role_label(&me.role).to_owned();
                let online = if me.online { "online" } else { "" };
                Some((row(p, zone), role, online.to_owned()))
            })
            .collect();
        let name = name.ok_or(AppError::NotFound)?;
        let page = SpeakerPage {
            chrome,
            event_id: id,
            event_title: view.event.title.clone(),
            name,
            shown_zone: zone.name(),
            tz: q.tz.clone(),
            rows,
        };
        html(&page, view.published)
    })
    .await
}

// ------------------------------------------------------------------ exports

/// What an export answers: the format, the sessions to keep (`None`: all), whether a
/// session asked for by itself must exist, the cache key and the file name.
struct ExportAsk {
    format: ProgrammeFormat,
    only: Option<Vec<i64>>,
    single: bool,
    key: String,
    file_name: String,
}

impl ExportAsk {
    /// The whole programme in `format`, cached under `key`.
    fn whole(format: ProgrammeFormat, key: &str, file_name: String) -> ExportAsk {
        ExportAsk {
            format,
            only: None,
            single: false,
            key: key.into(),
            file_name,
        }
    }
}

async fn export_response(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    id: i64,
    ask: ExportAsk,
) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let ExportAsk {
        format,
        only,
        single,
        key,
        file_name,
    } = ask;
    serve(state, headers, id, key, true, move |app| {
        let export = app.export_programme(&caller, id, format, only.as_deref())?;
        if single && export.sessions == 0 {
            return Err(AppError::NotFound);
        }
        Ok(Rendered {
            body: export.body,
            content_type: format.content_type(),
            file_name: Some(file_name),
            // Anyone may have the bytes of a published programme.
            public: export.published,
        })
    })
    .await
}

/// GET /events/{id}/programme.ics
pub async fn ics(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let ask = ExportAsk::whole(ProgrammeFormat::Ics, "ics", format!("programme-{id}.ics"));
    export_response(&state, &visitor, &headers, id, ask).await
}

/// GET /events/{id}/programme/sessions/{sid}: the session's page, or with `.ics` after
/// the number (`/sessions/12.ics`) its iCalendar file.
pub async fn session_or_ics(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path((id, sid)): Path<(i64, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    if let Some(number) = sid.strip_suffix(".ics") {
        let sid: i64 = number.parse().map_err(|_| PageError::NotFound)?;
        let ask = ExportAsk {
            format: ProgrammeFormat::Ics,
            only: Some(vec![sid]),
            single: true,
            key: format!("ics/{sid}"),
            file_name: format!("session-{sid}.ics"),
        };
        return export_response(&state, &visitor, &headers, id, ask).await;
    }
    let sid: i64 = sid.parse().map_err(|_| PageError::NotFound)?;
    session(state, visitor, headers, id, sid, raw).await
}

/// GET /events/{id}/programme/my.ics?sessions=1,5,9 (or `sessions=1&sessions=5`)
pub async fn my_ics(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let mut sessions = parse_query(raw.as_deref()).sessions;
    sessions.sort_unstable();
    sessions.dedup();
    let key = format!(
        "my/{}",
        sessions
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    let file_name = format!("my-sessions-{id}.ics");
    if visitor.caller().principal.user_id().is_some() {
        // A registrant entitled to join online gets the links in their own copy,
        // made for them alone: never from or into the shared cache.
        let caller = visitor.caller();
        let only = sessions.clone();
        if let Some(text) = state
            .run(move |app| app.personal_programme_calendar(&caller, id, &only))
            .await?
        {
            return Ok(crate::download::file(
                ProgrammeFormat::Ics.content_type(),
                crate::download::Show::Inline,
                &file_name,
                true,
                text,
            ));
        }
    }
    let ask = ExportAsk {
        format: ProgrammeFormat::Ics,
        only: Some(sessions),
        single: false,
        key,
        file_name,
    };
    export_response(&state, &visitor, &headers, id, ask).await
}

/// GET /events/{id}/programme/schedule.xml
pub async fn frab(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let ask = ExportAsk::whole(ProgrammeFormat::Frab, "frab", format!("schedule-{id}.xml"));
    export_response(&state, &visitor, &headers, id, ask).await
}

/// GET /events/{id}/programme/schedule.json
pub async fn schedule_json(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let ask = ExportAsk::whole(
        ProgrammeFormat::ScheduleJson,
        "json",
        format!("schedule-{id}.json"),
    );
    export_response(&state, &visitor, &headers, id, ask).await
}

/// GET /events/{id}/programme.csv
pub async fn csv(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let ask = ExportAsk::whole(ProgrammeFormat::Csv, "csv", format!("programme-{id}.csv"));
    export_response(&state, &visitor, &headers, id, ask).await
}
