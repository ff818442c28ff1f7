//! Sign-up and invitations through the API: an anonymous client asks for an account
//! (the same answer whether or not the address has one; the link is mailed) and
//! confirms it with the mailed token; the secretariat (or a body's chair, for its
//! members) invites by e-mail to a call's reviewer pool, a body's members or a
//! programme session's people, lists and revokes; a signed-in client accepts with the
//! token. Every check is the use case's, as for the pages.

use super::{ApiJson, UserOut, instant, path_id};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plenary_app::review::ReviewerInput;
use plenary_app::speakers::SpeakerInvite;
use plenary_app::{AppError, Caller, InvitationLine, MembershipInput, SignUpInput};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SignUp")]
pub struct SignUpBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    display_name: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    email: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(min = 10))]
    password: String,
}

/// The answer to a sign-up, the same whether or not the address has an account.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SignUpSent")]
pub struct SignUpSent {
    message: &'static str,
}

/// `POST /api/v1/sign-up`.
pub async fn sign_up(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<SignUpBody>,
) -> Result<(StatusCode, Json<SignUpSent>), ApiError> {
    let input = SignUpInput {
        display_name: body.display_name,
        email: body.email,
        password: body.password,
    };
    let ip = caller.client_ip.clone();
    state.run(move |app| app.sign_up(&input, ip)).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SignUpSent {
            message: "If the address can have an account, a link to confirm it has been mailed; an address with an account is mailed how to sign in.",
        }),
    ))
}

/// `POST /api/v1/sign-up/{token}`: creates the account of a mailed link.
pub async fn confirm_sign_up(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(token): Path<String>,
) -> Result<(StatusCode, Json<UserOut>), ApiError> {
    let ip = caller.client_ip.clone();
    let user = state
        .run(move |app| app.confirm_sign_up_account(&token, ip))
        .await?;
    Ok((StatusCode::CREATED, Json(UserOut::new(&user, &[]))))
}

/// Where an invitation stands.
pub(crate) struct InvitationStateName;

impl JsonSchema for InvitationStateName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "InvitationState".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": ["pending", "accepted", "expired", "revoked"] })
    }
}

/// An invitation as listed where it was made.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Invitation")]
pub struct InvitationOut {
    id: i64,
    email: String,
    /// The role offered, e.g. "Reviewer (at most 4)", "Member from 2026-07-01",
    /// "Moderator: Ana Pérez".
    role: String,
    invited_by: Option<String>,
    #[schemars(with = "String", extend("format" = "date-time"))]
    created_at: String,
    #[schemars(with = "InvitationStateName")]
    state: &'static str,
    accepted_by: Option<String>,
}

impl From<&InvitationLine> for InvitationOut {
    fn from(i: &InvitationLine) -> Self {
        InvitationOut {
            id: i.id,
            email: i.email.clone(),
            role: i.role.clone(),
            invited_by: i.invited_by.clone(),
            created_at: instant(i.created_at),
            state: i.state.label(),
            accepted_by: i.accepted_by.clone(),
        }
    }
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Invitations")]
pub struct InvitationsOut {
    items: Vec<InvitationOut>,
}

fn listed(lines: &[InvitationLine]) -> Json<InvitationsOut> {
    Json(InvitationsOut {
        items: lines.iter().map(InvitationOut::from).collect(),
    })
}

/// The invitation `id` of `lines` (just made or revoked).
fn one(lines: &[InvitationLine], id: i64) -> Result<Json<InvitationOut>, ApiError> {
    lines
        .iter()
        .find(|i| i.id == id)
        .map(|i| Json(InvitationOut::from(i)))
        .ok_or(ApiError::NotFound)
}

/// Where invitations are made: a call's pool, a body's members, a session's people.
#[derive(Clone, Copy)]
enum Target {
    Call(i64),
    Body(i64),
    Session(i64, i64),
}

impl Target {
    fn lines(
        self,
        app: &plenary_app::App,
        caller: &Caller,
    ) -> Result<Vec<InvitationLine>, AppError> {
        match self {
            Target::Call(id) => app.reviewer_invitations(caller, id),
            Target::Body(id) => app.member_invitations(caller, id),
            Target::Session(event, session) => app.speaker_invitations(caller, event, session),
        }
    }

    fn revoke(self, app: &plenary_app::App, caller: &Caller, id: i64) -> Result<(), AppError> {
        match self {
            Target::Call(call) => app.revoke_reviewer_invitation(caller, call, id),
            Target::Body(body) => app.revoke_member_invitation(caller, body, id),
            Target::Session(event, session) => {
                app.revoke_speaker_invitation(caller, event, session, id)
            }
        }
    }
}

async fn list(
    state: &AppState,
    caller: Caller,
    target: Target,
) -> Result<Json<InvitationsOut>, ApiError> {
    let lines = state.run(move |app| target.lines(&app, &caller)).await?;
    Ok(listed(&lines))
}

async fn revoke(
    state: &AppState,
    caller: Caller,
    target: Target,
    id: &str,
) -> Result<Json<InvitationOut>, ApiError> {
    let id = path_id(id)?;
    let lines = state
        .run(move |app| {
            target.revoke(&app, &caller, id)?;
            target.lines(&app, &caller)
        })
        .await?;
    one(&lines, id)
}

async fn created(
    state: &AppState,
    caller: Caller,
    target: Target,
    invite: impl FnOnce(&plenary_app::App, &Caller) -> Result<i64, AppError> + Send + 'static,
) -> Result<(StatusCode, Json<InvitationOut>), ApiError> {
    let (id, lines) = state
        .run(move |app| {
            let id = invite(&app, &caller)?;
            Ok((id, target.lines(&app, &caller)?))
        })
        .await?;
    Ok((StatusCode::CREATED, one(&lines, id)?))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ReviewerInvitationInput")]
pub struct ReviewerInviteBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    email: String,
    /// The most submissions they review; left out: 10.
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "i64", range(min = 1, max = 1000))]
    max_load: Option<i64>,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    #[schemars(with = "super::schema::names::StakeholderGroup")]
    stakeholder_group: String,
    /// Themes of the call they know well.
    #[serde(default)]
    expertise: Vec<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MemberInvitationInput")]
pub struct MemberInviteBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    email: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true), with = "super::schema::names::MembershipRole")]
    role: String,
    #[serde(default)]
    #[schemars(extend("x-required" = true, "format" = "date"))]
    starts_on: String,
    #[serde(default, deserialize_with = "super::non_null")]
    #[schemars(with = "String", extend("format" = "date"))]
    ends_on: Option<String>,
    /// Required for a liaison: the body it links to.
    #[serde(default)]
    liaison_body_id: Option<i64>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SpeakerInvitationInput")]
pub struct SpeakerInviteBody {
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    email: String,
    /// The name as the programme shows it; a name the session lists is that person.
    #[serde(default)]
    #[schemars(extend("x-required" = true), length(max = 200))]
    name: String,
    /// The role of a person the session does not list yet; left out: speaker.
    #[serde(default)]
    #[schemars(with = "super::programme::ProgrammeRole")]
    role: String,
}

pub async fn call_list(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<InvitationsOut>, ApiError> {
    list(&state, caller, Target::Call(path_id(&id)?)).await
}

pub async fn call_invite(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReviewerInviteBody>,
) -> Result<(StatusCode, Json<InvitationOut>), ApiError> {
    let call = path_id(&id)?;
    let input = ReviewerInput {
        email: body.email,
        max_load: body.max_load.map(|n| n.to_string()).unwrap_or_default(),
        organization: body.organization,
        stakeholder_group: body.stakeholder_group,
        expertise: body.expertise.join("\n"),
    };
    created(&state, caller, Target::Call(call), move |app, caller| {
        app.invite_reviewer(caller, call, &input)
    })
    .await
}

pub async fn call_revoke(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, invitation)): Path<(String, String)>,
) -> Result<Json<InvitationOut>, ApiError> {
    revoke(&state, caller, Target::Call(path_id(&id)?), &invitation).await
}

pub async fn body_list(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<InvitationsOut>, ApiError> {
    list(&state, caller, Target::Body(path_id(&id)?)).await
}

pub async fn body_invite(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MemberInviteBody>,
) -> Result<(StatusCode, Json<InvitationOut>), ApiError> {
    let body_id = path_id(&id)?;
    let ends_on = super::optional_date("ends_on", body.ends_on)?;
    let input = MembershipInput {
        person_id: None,
        role: body.role,
        starts_on: body.starts_on,
        ends_on,
        liaison_body_id: body.liaison_body_id,
    };
    let email = body.email;
    created(&state, caller, Target::Body(body_id), move |app, caller| {
        app.invite_member(caller, body_id, &email, &input)
    })
    .await
}

pub async fn body_revoke(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, invitation)): Path<(String, String)>,
) -> Result<Json<InvitationOut>, ApiError> {
    revoke(&state, caller, Target::Body(path_id(&id)?), &invitation).await
}

fn session_target(event: &str, session: &str) -> Result<Target, ApiError> {
    Ok(Target::Session(path_id(event)?, path_id(session)?))
}

pub async fn session_list(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session)): Path<(String, String)>,
) -> Result<Json<InvitationsOut>, ApiError> {
    list(&state, caller, session_target(&id, &session)?).await
}

pub async fn session_invite(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session)): Path<(String, String)>,
    ApiJson(body): ApiJson<SpeakerInviteBody>,
) -> Result<(StatusCode, Json<InvitationOut>), ApiError> {
    let target = session_target(&id, &session)?;
    let Target::Session(event, session) = target else {
        return Err(ApiError::NotFound);
    };
    let input = SpeakerInvite {
        email: body.email,
        name: body.name,
        role: body.role,
    };
    created(&state, caller, target, move |app, caller| {
        app.invite_speaker(caller, event, session, &input)
    })
    .await
}

pub async fn session_revoke(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    Path((id, session, invitation)): Path<(String, String, String)>,
) -> Result<Json<InvitationOut>, ApiError> {
    revoke(&state, caller, session_target(&id, &session)?, &invitation).await
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "InvitationAcceptance")]
pub struct AcceptBody {
    /// The secret of the invitation's link (its last part).
    #[serde(default)]
    #[schemars(extend("x-required" = true))]
    token: String,
}

/// What was accepted.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "InvitationAccepted")]
pub struct AcceptedOut {
    /// The role given, as the invitation said it.
    role: String,
    account: UserOut,
}

/// `POST /api/v1/invitations/accept`: accepts into the caller's account.
pub async fn accept(
    State(state): State<AppState>,
    ApiCaller(caller, user): ApiCaller,
    ApiJson(body): ApiJson<AcceptBody>,
) -> Result<Json<AcceptedOut>, ApiError> {
    let user = user.ok_or(AppError::SignInRequired)?.user;
    if body.token.trim().is_empty() {
        return Err(AppError::field("token", plenary_domain::Problem::Required).into());
    }
    let role = state
        .run(move |app| {
            let view = app.check_invitation(&body.token)?;
            app.accept_invitation(&caller, &body.token, None, None)?;
            Ok(view.role)
        })
        .await?;
    Ok(Json(AcceptedOut {
        role,
        account: UserOut::new(&user, &[]),
    }))
}
