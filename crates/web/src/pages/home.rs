//! The front page: what is happening in the forum, and for a signed-in person their
//! dashboard — the work that waits for them, with counts and links.

use super::confirm::count as count_of;
use crate::AppState;
use crate::error::{PageError, render};
use crate::visitor::{Chrome, Visitor};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use plenary_app::dashboard::{Dashboard, FrontPage, MeetingLine};
use plenary_domain::minutes::MinutesState;
use plenary_domain::time::{Zone, label};

/// A line of a list: its text, where it leads and a note beside it.
struct Line {
    text: String,
    href: String,
    note: String,
}

fn line(text: impl Into<String>, href: impl Into<String>, note: impl Into<String>) -> Line {
    Line {
        text: text.into(),
        href: href.into(),
        note: note.into(),
    }
}

/// An instant in the zone it belongs to, labelled.
fn at(instant: DateTime<Utc>, zone_name: &str) -> String {
    label(instant, Zone::parse("tz", zone_name).unwrap_or(Zone::UTC)).to_string()
}

fn meeting_line(m: &MeetingLine) -> Line {
    line(
        m.meeting.title.clone(),
        format!("/meetings/{}", m.meeting.id),
        format!(
            "{} · {}",
            m.body_name,
            at(m.meeting.starts_at, &m.meeting.time_zone)
        ),
    )
}

/// The public part: meetings, calls, registration and programmes.
struct Happening {
    meetings: Vec<Line>,
    calls: Vec<Line>,
    events: Vec<Line>,
    programmes: Vec<Line>,
}

impl Happening {
    fn of(front: &FrontPage) -> Happening {
        Happening {
            meetings: front.upcoming_meetings.iter().map(meeting_line).collect(),
            calls: front
                .open_calls
                .iter()
                .map(|c| {
                    line(
                        c.title.clone(),
                        format!("/calls/{}", c.id),
                        format!("closes {}", at(c.closes_at, &c.time_zone)),
                    )
                })
                .collect(),
            events: front
                .open_events
                .iter()
                .map(|e| {
                    line(
                        e.title.clone(),
                        format!("/events/{}", e.id),
                        format!(
                            "registration closes {}",
                            at(e.registration_closes_at, &e.time_zone)
                        ),
                    )
                })
                .collect(),
            programmes: front
                .programmes
                .iter()
                .map(|e| {
                    line(
                        e.title.clone(),
                        format!("/events/{}/programme", e.id),
                        format!("from {}", at(e.starts_at, &e.time_zone)),
                    )
                })
                .collect(),
        }
    }
}

/// A count with what it counts and where to act on it.
struct Count {
    count: String,
    text: String,
    href: String,
}

fn count(n: impl ToString, text: impl Into<String>, href: impl Into<String>) -> Count {
    Count {
        count: n.to_string(),
        text: text.into(),
        href: href.into(),
    }
}

/// The signed-in person's part, ready to show.
struct ToDo {
    roles: Vec<String>,
    reviews: Vec<Line>,
    reviews_remaining: usize,
    actions_open: usize,
    actions_overdue: usize,
    actions: Vec<(Line, bool)>,
    submissions: Vec<Line>,
    registrations: Vec<Line>,
    sessions: Vec<Line>,
    meetings: Vec<Line>,
    minutes: Vec<Line>,
    /// `None` unless the secretariat.
    attention: Option<Vec<Count>>,
}

impl ToDo {
    fn of(d: &Dashboard) -> ToDo {
        ToDo {
            roles: d
                .roles
                .iter()
                .map(|r| match r.scope.as_str() {
                    "everywhere" => r.role.label().to_owned(),
                    scope => format!("{} of {scope}", r.role.label()),
                })
                .collect(),
            reviews_remaining: d.reviews.iter().map(|r| r.remaining).sum(),
            reviews: d
                .reviews
                .iter()
                .map(|r| {
                    line(
                        r.call_title.clone(),
                        "/reviews",
                        format!("{} done, {} to do", r.done, r.remaining),
                    )
                })
                .collect(),
            actions_open: d.actions.open,
            actions_overdue: d.actions.overdue,
            actions: d
                .actions
                .next
                .iter()
                .map(|v| {
                    let due = v.action.due_on;
                    (
                        line(
                            v.action.text.clone(),
                            format!("/meetings/{}", v.action.meeting_id),
                            due.map(|d| format!("due {d}")).unwrap_or_default(),
                        ),
                        due.is_some_and(|due| due < d.today),
                    )
                })
                .collect(),
            submissions: d
                .submissions
                .iter()
                .map(|s| {
                    line(
                        s.submission.title.clone(),
                        format!("/submissions/{}", s.submission.id),
                        format!("{} · {}", s.call.title, s.submission.status.label()),
                    )
                })
                .collect(),
            registrations: d.registrations.iter().map(registration_line).collect(),
            sessions: d.sessions.iter().map(session_line).collect(),
            meetings: d.next_meetings.iter().map(meeting_line).collect(),
            minutes: d
                .minutes
                .iter()
                .map(|m| {
                    let mut l = meeting_line(&m.meeting);
                    l.note = match m.state {
                        MinutesState::Circulated => "circulated: to approve".to_owned(),
                        _ => "draft: to circulate".to_owned(),
                    };
                    l
                })
                .collect(),
            attention: d.attention.as_ref().map(attention_counts),
        }
    }
}

fn registration_line(r: &plenary_app::registration::RegistrationView) -> Line {
    let event = &r.event.event;
    let mut note = format!("{}: {}", r.category.name, r.registration.status.label());
    if let Some(position) = r.waitlist_position {
        note.push_str(&format!(", number {position} on the waiting list"));
    }
    line(event.title.clone(), "/account/registrations", note)
}

/// A session the person speaks at: its role, event, and local time and room. Its page
/// is the public one once the programme is published.
fn session_line(m: &plenary_app::speakers::MySessionLine) -> Line {
    let s = &m.session;
    let role =
        plenary_domain::programme::ProgrammeRole::parse(&s.role).map_or("Speaker", |r| r.label());
    let when = match (s.starts_at, &s.room) {
        (Some(starts), Some(room)) => format!("{} · {room}", at(starts, &s.event_time_zone)),
        _ => "not yet in the timetable".to_owned(),
    };
    let href = if m.published {
        format!("/events/{}/programme/sessions/{}", s.event_id, s.session_id)
    } else {
        String::new()
    };
    line(
        s.title.clone(),
        href,
        format!("{role} · {} · {when}", s.event_title),
    )
}

/// The noun for `n` of something (the count itself is shown beside it).
fn plural<'a>(n: impl TryInto<i64>, one: &'a str, many: &'a str) -> &'a str {
    if n.try_into().ok() == Some(1) {
        one
    } else {
        many
    }
}

fn attention_counts(a: &plenary_app::dashboard::Attention) -> Vec<Count> {
    let mut counts = Vec::new();
    for e in &a.pending_registrations {
        counts.push(count(
            e.count,
            format!(
                "{} awaiting approval for {}",
                plural(e.count, "registration", "registrations"),
                e.event.title
            ),
            format!("/admin/events/{}/registrations?status=pending", e.event.id),
        ));
    }
    for e in &a.visa_requests {
        counts.push(count(
            e.count,
            format!(
                "{} for {}",
                plural(e.count, "visa letter request", "visa letter requests"),
                e.event.title
            ),
            format!(
                "/admin/events/{}/visa-requests?status=requested",
                e.event.id
            ),
        ));
    }
    if a.failed_mail > 0 {
        counts.push(count(
            a.failed_mail,
            plural(
                a.failed_mail,
                "message that could not be delivered",
                "messages that could not be delivered",
            ),
            "/admin/outbox",
        ));
    }
    for p in &a.programmes {
        let (unplaced, conflicts) = (
            count_of(p.unplaced, "unplaced session", "unplaced sessions"),
            count_of(p.conflicts, "conflict", "conflicts"),
        );
        let what = match (p.unplaced, p.conflicts) {
            (0, _) => conflicts,
            (_, 0) => unplaced,
            _ => format!("{unplaced}, {conflicts}"),
        };
        if p.unplaced + p.conflicts > 0 {
            counts.push(count(
                p.unplaced + p.conflicts,
                format!("in the programme of {}: {what}", p.event.title),
                format!("/admin/events/{}/programme", p.event.id),
            ));
        }
        if p.unreleased > 0 {
            counts.push(count(
                p.unreleased,
                format!(
                    "{} in the programme of {} not yet published: the public sees the last release",
                    plural(p.unreleased, "session changed", "sessions changed"),
                    p.event.title
                ),
                format!("/admin/events/{}/programme/release", p.event.id),
            ));
        }
    }
    for c in &a.calls_closing {
        counts.push(count(
            1,
            format!(
                "call closing soon: {} (closes {})",
                c.title,
                at(c.closes_at, &c.time_zone)
            ),
            format!("/admin/calls/{}", c.id),
        ));
    }
    counts
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    happening: Happening,
    todo: Option<ToDo>,
}

/// The dashboard when signed in, the forum's front page otherwise; both show what is
/// happening.
pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let signed_in = visitor.user.is_some();
    let (front, dashboard) = state
        .run(move |app| {
            let dashboard = if signed_in {
                Some(app.dashboard(&caller)?)
            } else {
                None
            };
            Ok((app.front_page()?, dashboard))
        })
        .await?;
    Ok(render(&Home {
        chrome: visitor.chrome(&state.app),
        happening: Happening::of(&front),
        todo: dashboard.as_ref().map(ToDo::of),
    }))
}
