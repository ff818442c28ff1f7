//! Public body pages, with the forms for those who manage them.

use super::{ShownError, shown, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{AppError, Body, BodyInput, BodyPage, MemberView, MembershipInput};
use plenary_domain::meetings::{MeetingKind, MeetingMode};
use plenary_domain::people::{BodyKind, MembershipRole};
use plenary_domain::{Permission, Scope};
use serde::Deserialize;

/// The body form as typed (strings, so that it can be shown again).
#[derive(Deserialize, Default, Clone)]
pub struct BodyForm {
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    mandate: String,
}

impl BodyForm {
    fn of(body: &Body) -> BodyForm {
        BodyForm {
            short_name: body.short_name.clone(),
            name: body.name.clone(),
            kind: body.kind.as_str().to_owned(),
            parent_id: body.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            mandate: body.mandate.clone(),
        }
    }

    fn input(&self) -> Result<BodyInput, AppError> {
        Ok(BodyInput {
            parent_id: optional_id("parent_id", &self.parent_id)?,
            kind: self.kind.clone(),
            short_name: self.short_name.clone(),
            name: self.name.clone(),
            mandate: self.mandate.clone(),
        })
    }
}

/// An optional numeric id from a form field.
pub(crate) fn optional_id(field: &'static str, raw: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| {
        AppError::field(
            field,
            plenary_domain::Problem::Invalid("a number is expected"),
        )
    })
}

struct TreeRow {
    id: i64,
    short_name: String,
    name: String,
    kind: &'static str,
    depth: usize,
}

/// Bodies in tree order: each followed by its sub-bodies, indented.
fn tree(bodies: &[Body]) -> Vec<TreeRow> {
    fn walk(bodies: &[Body], parent: Option<i64>, depth: usize, out: &mut Vec<TreeRow>) {
        for b in bodies.iter().filter(|b| b.parent_id == parent) {
            out.push(TreeRow {
                id: b.id,
                short_name: b.short_name.clone(),
                name: b.name.clone(),
                kind: b.kind.label(),
                depth: depth.min(3),
            });
            if depth < 16 {
                walk(bodies, Some(b.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(bodies, None, 0, &mut out);
    out
}

fn kind_options() -> Vec<(&'static str, &'static str)> {
    BodyKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

fn body_options(bodies: &[Body]) -> Vec<(String, String)> {
    tree(bodies)
        .into_iter()
        .map(|r| {
            (
                r.id.to_string(),
                format!("{}{}", "· ".repeat(r.depth), r.short_name),
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "bodies.html")]
struct BodiesPage {
    chrome: Chrome,
    bodies: Vec<TreeRow>,
    can_manage: bool,
    form: BodyForm,
    kinds: Vec<(&'static str, &'static str)>,
    parents: Vec<(String, String)>,
    errors: Vec<ShownError>,
}

fn can(visitor: &Visitor, permission: Permission, scope: Scope) -> bool {
    visitor.caller().principal.can(permission, scope)
}

async fn bodies_page(
    state: &AppState,
    visitor: &Visitor,
    form: BodyForm,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    let bodies = state.run(move |app| app.bodies()).await?;
    Ok(render(&BodiesPage {
        chrome: visitor.chrome(&state.app),
        bodies: tree(&bodies),
        can_manage: can(visitor, Permission::ManageDirectory, Scope::Global),
        form,
        kinds: kind_options(),
        parents: body_options(&bodies),
        errors,
    }))
}

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    bodies_page(&state, &visitor, BodyForm::default(), vec![]).await
}

pub async fn create(
    State(state): State<AppState>,
    submitted: CsrfForm<BodyForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();

    match state
        .run(move |app| app.save_body(&caller, None, &input?))
        .await
    {
        Ok(body) => Ok(Redirect::to(&format!("/bodies/{}?done=created", body.id)).into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            bodies_page(&state, &visitor, form, shown(&errors)).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

struct MemberRow {
    id: i64,
    name: String,
    role: &'static str,
    liaison_to: Option<String>,
    organization: String,
    group: &'static str,
    starts_on: String,
    ends_on: String,
    /// The end date typed and why it was refused.
    end_refused: Option<(String, Vec<ShownError>)>,
}

fn member_row(v: &MemberView) -> MemberRow {
    let p = &v.person;
    let name = match (&p.given_name, &p.family_name) {
        (Some(g), Some(f)) => format!("{f}, {g}"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => String::new(),
    };
    MemberRow {
        id: v.membership.id,
        name,
        role: v.membership.role.label(),
        liaison_to: v.liaison_to.clone(),
        organization: p.organization.clone().unwrap_or_default(),
        group: p.stakeholder_group.map_or("", |g| g.label()),
        starts_on: v.membership.starts_on.to_string(),
        ends_on: v
            .membership
            .ends_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
        end_refused: None,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct MemberForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    liaison_body_id: String,
}

#[derive(Template)]
#[template(path = "body.html")]
struct BodyView {
    chrome: Chrome,
    body: Body,
    kind_label: &'static str,
    parent: Option<(i64, String)>,
    children: Vec<(i64, String)>,
    current: Vec<MemberRow>,
    past: Vec<MemberRow>,
    can_manage: bool,
    can_edit: bool,
    subscription: Option<bool>,
    today: String,
    notice: Option<&'static str>,
    refusal: Option<String>,
    errors: Vec<ShownError>,
    member_form: MemberForm,
    form: BodyForm,
    roles: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    parents: Vec<(String, String)>,
    all_bodies: Vec<(String, String)>,
    meetings: Vec<(i64, String, String, bool)>,
    can_create_meeting: bool,
    meeting_form: super::meetings::MeetingForm,
    meeting_kinds: Vec<(&'static str, &'static str)>,
    meeting_modes: Vec<(&'static str, &'static str)>,
    invite_form: InviteForm,
    invite_errors: Vec<ShownError>,
    invitations: Vec<super::InvitationRow>,
    invite_path: String,
    person_choices: Vec<String>,
}

/// What the page shows besides the body itself.
#[derive(Default)]
struct Extras {
    notice: Option<&'static str>,
    refusal: Option<String>,
    errors: Vec<ShownError>,
    member_form: Option<MemberForm>,
    form: Option<BodyForm>,
    meeting_form: Option<super::meetings::MeetingForm>,
    invite_form: Option<InviteForm>,
    invite_errors: Vec<ShownError>,
    /// The membership whose end was refused, the date typed and why.
    end_refused: Option<(i64, String, Vec<ShownError>)>,
}

async fn body_view(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    extras: Extras,
) -> Result<Response, PageError> {
    let caller = visitor.caller();
    let signed_in = visitor.user.is_some();
    let can_manage = can(visitor, Permission::ManageMemberships, Scope::Body(id));

    let (page, bodies, person, meetings): (BodyPage, Vec<Body>, _, _) = state
        .run(move |app| {
            let page = app.body_page(id)?;
            let bodies = app.bodies()?;
            let person = if signed_in {
                app.my_person(&caller)?
            } else {
                None
            };
            let subscribed = match &person {
                Some(p) => Some(app.is_subscribed(id, p.id)?),
                None => None,
            };
            let meetings = app.meetings(&caller, Some(id))?;
            let (invitations, person_choices) = if can_manage {
                (
                    app.member_invitations(&caller, id)?,
                    app.person_choices(&caller)?,
                )
            } else {
                (vec![], vec![])
            };
            Ok((
                page,
                bodies,
                subscribed,
                (meetings, invitations, person_choices),
            ))
        })
        .await?;
    let (meetings, invitations, person_choices) = meetings;
    let today = state.app.today().to_string();
    let others: Vec<Body> = bodies.iter().filter(|b| b.id != id).cloned().collect();
    let view = BodyView {
        chrome: visitor.chrome(&state.app),
        kind_label: page.body.kind.label(),
        parent: page.parent.as_ref().map(|p| (p.id, p.short_name.clone())),
        children: page
            .children
            .iter()
            .map(|c| (c.id, format!("{} — {}", c.short_name, c.name)))
            .collect(),
        current: page
            .current
            .iter()
            .map(|v| {
                let mut row = member_row(v);
                if let Some((id, typed, errors)) = &extras.end_refused
                    && *id == row.id
                {
                    row.end_refused = Some((typed.clone(), errors.clone()));
                }
                row
            })
            .collect(),
        past: page.past.iter().map(member_row).collect(),
        can_manage,
        invite_form: extras.invite_form.unwrap_or_else(|| InviteForm {
            role: "member".into(),
            starts_on: state.app.today().to_string(),
            ..Default::default()
        }),
        invite_errors: extras.invite_errors,
        invitations: invitations.iter().map(super::InvitationRow::from).collect(),
        invite_path: format!("/bodies/{id}/invitations"),
        person_choices,
        can_edit: can(visitor, Permission::ManageDirectory, Scope::Global),
        subscription: person,
        member_form: extras.member_form.unwrap_or_else(|| MemberForm {
            starts_on: today.clone(),
            role: "member".into(),
            ..Default::default()
        }),
        today,
        notice: extras.notice,
        refusal: extras.refusal,
        errors: extras.errors,
        form: extras.form.unwrap_or_else(|| BodyForm::of(&page.body)),
        roles: MembershipRole::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect(),
        kinds: kind_options(),
        parents: body_options(&others),
        all_bodies: body_options(&others),
        meetings: meetings
            .iter()
            .map(|m| {
                let zone = plenary_domain::time::Zone::parse("tz", &m.time_zone)
                    .unwrap_or(plenary_domain::time::Zone::UTC);
                (
                    m.id,
                    m.title.clone(),
                    plenary_domain::time::label(m.starts_at, zone).to_string(),
                    m.published,
                )
            })
            .collect(),
        can_create_meeting: can(visitor, Permission::ManageMeetings, Scope::Body(id)),
        meeting_form: extras
            .meeting_form
            .unwrap_or_else(|| super::meetings::MeetingForm {
                body_id: id.to_string(),
                time_zone: "UTC".into(),
                starts_time: "10:00".into(),
                ends_time: "12:00".into(),
                ..Default::default()
            }),
        meeting_kinds: MeetingKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        meeting_modes: MeetingMode::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        body: page.body,
    };
    Ok(render(&view))
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

fn notice_for(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("The body has been created."),
        "saved" => Some("Saved."),
        "member" => Some("The member has been added."),
        "invited" => Some("The invitation has been sent."),
        "invitation-revoked" => Some("The invitation has been revoked."),
        "ended" => Some("The membership has ended; it stays in the history."),
        "subscribed" => Some("You are subscribed."),
        "unsubscribed" => Some("You are unsubscribed."),
        _ => None,
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    body_view(
        &state,
        &visitor,
        id,
        Extras {
            notice: notice_for(&q.done),
            ..Default::default()
        },
    )
    .await
}

/// Shows the body page again after a refused change.
async fn refused(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    error: AppError,
    extras: Extras,
) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(errors) => {
            let page = body_view(
                state,
                visitor,
                id,
                Extras {
                    errors: shown(&errors),
                    ..extras
                },
            )
            .await?;
            Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        e @ AppError::Refused(_) => {
            let page = body_view(
                state,
                visitor,
                id,
                Extras {
                    refusal: Some(e.to_string()),
                    ..extras
                },
            )
            .await?;
            Ok(with_status(page, StatusCode::CONFLICT))
        }
        other => Err(other.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<BodyForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = form.input();

    match state
        .run(move |app| app.save_body(&caller, Some(id), &input?))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/bodies/{id}?done=saved")).into_response()),
        Err(e) => {
            refused(
                &state,
                &visitor,
                id,
                e,
                Extras {
                    form: Some(form),
                    ..Default::default()
                },
            )
            .await
        }
    }
}

pub async fn add_member(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<MemberForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    let typed = form.clone();
    let added = blocking(move || {
        let input = MembershipInput {
            person_id: Some(app.person_named(&caller, "person_id", &typed.person_id)?),
            role: typed.role,
            starts_on: typed.starts_on,
            ends_on: typed.ends_on,
            liaison_body_id: optional_id("liaison_body_id", &typed.liaison_body_id)?,
        };
        app.add_membership(&caller, id, &input)
    });
    match added.await {
        Ok(_) => Ok(Redirect::to(&format!("/bodies/{id}?done=member")).into_response()),
        Err(e) => {
            refused(
                &state,
                &visitor,
                id,
                e,
                Extras {
                    member_form: Some(form),
                    ..Default::default()
                },
            )
            .await
        }
    }
}

/// The form that invites a person by e-mail to the body's members.
#[derive(Deserialize, Default, Clone)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

/// `POST /bodies/{id}/invitations`.
pub async fn invite_member(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<InviteForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let input = MembershipInput {
        person_id: None,
        role: form.role.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
        liaison_body_id: None,
    };
    let email = form.email.clone();
    match state
        .run(move |app| app.invite_member(&caller, id, &email, &input))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/bodies/{id}?done=invited")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(with_status(
            body_view(
                &state,
                &visitor,
                id,
                Extras {
                    invite_form: Some(form),
                    invite_errors: shown(&errors),
                    ..Default::default()
                },
            )
            .await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(other) => Err(other.into()),
    }
}

/// `POST /bodies/{id}/invitations/{invitation}/revoke`.
pub async fn revoke_invitation(
    State(state): State<AppState>,
    Path((id, invitation)): Path<(i64, i64)>,
    submitted: CsrfForm<super::Empty>,
) -> Result<Response, PageError> {
    submitted.visitor.require_user()?;
    let caller = submitted.visitor.caller();
    state
        .run(move |app| app.revoke_member_invitation(&caller, id, invitation))
        .await?;
    Ok(Redirect::to(&format!("/bodies/{id}?done=invitation-revoked")).into_response())
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(default)]
    ends_on: String,
    /// The body whose page the form is on, to show it again when refused.
    #[serde(default)]
    body_id: String,
}

pub async fn end_member(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<EndForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let typed = form.ends_on.clone();
    let ended = state
        .run(move |app| app.end_membership(&caller, id, &form.ends_on))
        .await;
    match (ended, form.body_id.trim().parse::<i64>()) {
        (Ok(ended), _) => {
            Ok(Redirect::to(&format!("/bodies/{}?done=ended", ended.body_id)).into_response())
        }
        (Err(AppError::Invalid(errors)), Ok(body)) => {
            let extras = Extras {
                end_refused: Some((id, typed, shown(&errors))),
                ..Extras::default()
            };
            let page = body_view(&state, &visitor, body, extras).await?;
            Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        (Err(other), _) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct SubscriptionForm {
    #[serde(default)]
    subscribe: String,
}

/// Subscribes or unsubscribes the signed-in person.
pub async fn subscription(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<SubscriptionForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let caller = visitor.caller();
    let subscribe = form.subscribe == "yes";

    state
        .run(move |app| {
            let person = app.my_person(&caller)?.ok_or(AppError::Refused(
                "your account is not linked to a person of the directory; ask the secretariat",
            ))?;
            app.set_subscription(&caller, id, person.id, subscribe)
        })
        .await?;
    let done = if subscribe {
        "subscribed"
    } else {
        "unsubscribed"
    };
    Ok(Redirect::to(&format!("/bodies/{id}?done={done}")).into_response())
}

/// The body's page again, with the new-meeting form and its errors.
pub(crate) async fn show_with_meeting_errors(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    form: super::meetings::MeetingForm,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    let page = body_view(
        state,
        visitor,
        id,
        Extras {
            errors,
            meeting_form: Some(form),
            ..Default::default()
        },
    )
    .await?;
    Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
}
