use super::schema::names;
use super::{ApiJson, UserOut};
use crate::AppState;
use crate::error::ApiError;
use crate::visitor::ApiCaller;
use axum::Json;
use axum::extract::State;
use plenary_app::{AppError, ProfileInput, ProfileView};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The account of the bearer token.
pub async fn show(ApiCaller(_, user): ApiCaller) -> Result<Json<UserOut>, ApiError> {
    let user = user.ok_or(AppError::SignInRequired)?;
    Ok(Json(UserOut::new(&user.user, &user.grants)))
}

/// The profile of the token's account.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Profile")]
pub(crate) struct ProfileOut {
    email: String,
    /// The name others see, made of the given and family names.
    display_name: String,
    given_name: String,
    family_name: String,
    /// The organization's name; empty: none.
    organization: String,
    /// Whether the organization is one of the directory's (else it is kept as typed).
    organization_in_directory: bool,
    #[schemars(with = "Option<names::StakeholderGroup>")]
    stakeholder_group: Option<&'static str>,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    /// IANA name, e.g. Europe/Zurich.
    time_zone: Option<String>,
    #[schemars(with = "names::Language")]
    language: &'static str,
    /// Whether the profile is kept on a directory entry too.
    in_directory: bool,
}

impl From<ProfileView> for ProfileOut {
    fn from(p: ProfileView) -> Self {
        ProfileOut {
            email: p.email,
            display_name: p.display_name,
            given_name: p.given_name,
            family_name: p.family_name,
            organization: p.organization,
            organization_in_directory: p.organization_in_directory,
            stakeholder_group: p.stakeholder_group.map(|g| g.as_str()),
            country: p.country,
            time_zone: p.time_zone,
            language: p.language.as_str(),
            in_directory: p.person_id.is_some(),
        }
    }
}

/// A profile as sent: every field replaces the stored one (empty or left out: none).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ProfileUpdate")]
pub struct ProfileBody {
    /// The given name, the family name or both are needed.
    #[serde(default)]
    #[schemars(length(max = 200))]
    given_name: String,
    #[serde(default)]
    #[schemars(length(max = 200))]
    family_name: String,
    /// An organization's name: the directory's of that name (case and accents aside),
    /// else kept as written.
    #[serde(default)]
    #[schemars(length(max = 300))]
    organization: String,
    /// A stakeholder group's id.
    #[serde(default)]
    stakeholder_group: String,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    country: String,
    /// A city (e.g. Tokyo) or an IANA name.
    #[serde(default)]
    time_zone: String,
    /// A language code; empty: English.
    #[serde(default)]
    language: String,
}

/// `GET /api/v1/me/profile`.
pub async fn profile(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
) -> Result<Json<ProfileOut>, ApiError> {
    let profile = state.run(move |app| app.my_profile(&caller)).await?;
    Ok(Json(profile.into()))
}

/// `PUT /api/v1/me/profile`: on the account and its directory entry, in one go.
pub async fn save_profile(
    State(state): State<AppState>,
    ApiCaller(caller, _): ApiCaller,
    ApiJson(body): ApiJson<ProfileBody>,
) -> Result<Json<ProfileOut>, ApiError> {
    let input = ProfileInput {
        given_name: body.given_name,
        family_name: body.family_name,
        organization: body.organization,
        stakeholder_group: body.stakeholder_group,
        country: body.country,
        time_zone: body.time_zone,
        language: body.language,
    };
    let profile = state
        .run(move |app| app.save_my_profile(&caller, &input))
        .await?;
    Ok(Json(profile.into()))
}
