use super::{Empty, ShownError, shown, utc, with_status};
use crate::error::{PageError, render};
use crate::visitor::{Chrome, CsrfForm, Visitor};
use crate::{AppState, blocking};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plenary_app::{AppError, NewAccount, UserDetail};
use plenary_domain::{FieldError, Grant, Problem, Role, Scope, UserId};
use serde::Deserialize;

struct UserRow {
    id: i64,
    display_name: String,
    email: String,
    created: String,
    disabled: bool,
}

#[derive(Default, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    search: String,
    users: Vec<UserRow>,
    total: i64,
    page: i64,
    pages: i64,
    prev_page: Option<i64>,
    next_page: Option<i64>,
    roles: Vec<(&'static str, &'static str)>,
    form: NewUserForm,
    errors: Vec<ShownError>,
    notice: Option<&'static str>,
}

fn role_options() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
}

async fn users_page(
    state: &AppState,
    visitor: &Visitor,
    query: ListQuery,
    form: NewUserForm,
    errors: Vec<ShownError>,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let search = query.q.clone();
    let page = query.page.unwrap_or(1);

    let list = state
        .run(move |app| app.list_users(&caller, Some(&search), page))
        .await?;
    let pages = ((list.total + list.page_size - 1) / list.page_size).max(1);
    let view = UsersPage {
        chrome: visitor.chrome(&state.app),
        search: query.q,
        users: list
            .users
            .into_iter()
            .map(|u| UserRow {
                id: u.id.0,
                display_name: u.display_name,
                email: u.email,
                created: utc(u.created_at),
                disabled: u.disabled_at.is_some(),
            })
            .collect(),
        total: list.total,
        page: list.page,
        pages,
        prev_page: (list.page > 1).then(|| list.page - 1),
        next_page: (list.page < pages).then(|| list.page + 1),
        roles: role_options(),
        form,
        errors,
        notice: None,
    };
    Ok(render(&view))
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    users_page(&state, &visitor, q, NewUserForm::default(), vec![]).await
}

/// "global", "body:7" or "event:3". A global grant is asked for by name: an empty
/// scope (a field left out or cleared) is refused rather than read as "everywhere".
pub(crate) fn parse_scope(raw: &str) -> Result<Scope, FieldError> {
    let raw = raw.trim();
    if raw == "global" {
        return Ok(Scope::Global);
    }
    let invalid = || {
        FieldError::new(
            "scope",
            Problem::Invalid("write global, body:ID or event:ID"),
        )
    };
    let (kind, id) = raw.split_once(':').ok_or_else(invalid)?;
    let id: i64 = id.trim().parse().map_err(|_| invalid())?;
    Scope::from_parts(kind.trim(), Some(id))
        .filter(|_| id > 0)
        .ok_or_else(invalid)
}

pub(crate) fn scope_text(scope: Scope) -> String {
    match scope {
        Scope::Global => "global".into(),
        Scope::Body(id) => format!("body:{id}"),
        Scope::Event(id) => format!("event:{id}"),
    }
}

pub(crate) fn parse_role(raw: &str) -> Result<Role, FieldError> {
    Role::parse(raw).ok_or(FieldError::new("role", Problem::Unknown("role")))
}

pub async fn create(
    State(state): State<AppState>,
    submitted: CsrfForm<NewUserForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    visitor.require_user()?;
    let grants = match form.role.trim() {
        "" => Ok(vec![]),
        role => parse_role(role).map(|role| {
            vec![Grant {
                role,
                scope: Scope::Global,
            }]
        }),
    };
    let outcome = match grants {
        Err(e) => Err(AppError::Invalid(vec![e])),
        Ok(grants) => {
            let account = NewAccount {
                email: form.email.clone(),
                display_name: form.display_name.clone(),
                password: form.password.clone(),
                grants,
            };
            let caller = visitor.caller();
            state
                .run(move |app| app.create_user(&caller, &account))
                .await
        }
    };
    match outcome {
        Ok(detail) => Ok(
            Redirect::to(&format!("/admin/users/{}?done=created", detail.user.id)).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let form = NewUserForm {
                password: String::new(),
                ..form
            };
            let page =
                users_page(&state, &visitor, ListQuery::default(), form, shown(&errors)).await?;
            Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(other) => Err(other.into()),
    }
}

struct GrantRow {
    role: &'static str,
    role_label: &'static str,
    scope: String,
    scope_label: String,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    chrome: Chrome,
    id: i64,
    display_name: String,
    email: String,
    created: String,
    disabled: bool,
    grants: Vec<GrantRow>,
    roles: Vec<(&'static str, &'static str)>,
    notice: Option<&'static str>,
    refusal: Option<String>,
    errors: Vec<ShownError>,
    /// The role and scope in the form to grant a role (as typed when refused).
    grant: GrantForm,
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

fn notice_for(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("The account has been created."),
        "saved" => Some("Saved."),
        _ => None,
    }
}

fn user_page(
    state: &AppState,
    visitor: &Visitor,
    detail: UserDetail,
    notice: Option<&'static str>,
    refusal: Option<String>,
    errors: Vec<ShownError>,
    grant: Option<GrantForm>,
) -> Response {
    render(&UserPage {
        chrome: visitor.chrome(&state.app),
        id: detail.user.id.0,
        display_name: detail.user.display_name,
        email: detail.user.email,
        created: utc(detail.user.created_at),
        disabled: detail.user.disabled_at.is_some(),
        grants: detail
            .grants
            .into_iter()
            .map(|g| GrantRow {
                role: g.role.as_str(),
                role_label: g.role.label(),
                scope: scope_text(g.scope),
                scope_label: g.scope.to_string(),
            })
            .collect(),
        roles: role_options(),
        notice,
        refusal,
        errors,
        grant: grant.unwrap_or(GrantForm {
            role: String::new(),
            scope: "global".into(),
        }),
    })
}

async fn load_detail(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
) -> Result<UserDetail, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    Ok(blocking(move || app.user_detail(&caller, UserId(id))).await?)
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let detail = load_detail(&state, &visitor, id).await?;
    Ok(user_page(
        &state,
        &visitor,
        detail,
        notice_for(&q.done),
        None,
        vec![],
        None,
    ))
}

#[derive(Deserialize, Default)]
pub struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

/// Runs a change on one account and shows the account again, with the refusal or the
/// field errors when the change did not happen.
async fn change_user(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    typed: Option<GrantForm>,
    change: impl FnOnce(plenary_app::App, plenary_app::Caller) -> Result<UserDetail, AppError>
    + Send
    + 'static,
) -> Result<Response, PageError> {
    visitor.require_user()?;
    let caller = visitor.caller();
    let app = state.app.clone();
    match blocking(move || change(app, caller)).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/users/{id}?done=saved")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let detail = load_detail(state, visitor, id).await?;
            Ok(with_status(
                user_page(state, visitor, detail, None, None, shown(&errors), typed),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e @ AppError::Refused(_)) => {
            let detail = load_detail(state, visitor, id).await?;
            Ok(with_status(
                user_page(
                    state,
                    visitor,
                    detail,
                    None,
                    Some(e.to_string()),
                    vec![],
                    None,
                ),
                StatusCode::CONFLICT,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

fn parse_grant(form: &GrantForm) -> Result<Grant, AppError> {
    match (parse_role(&form.role), parse_scope(&form.scope)) {
        (Ok(role), Ok(scope)) => Ok(Grant { role, scope }),
        (r, s) => Err(AppError::Invalid(
            [r.err(), s.err()].into_iter().flatten().collect(),
        )),
    }
}

pub async fn add_grant(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<GrantForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let grant = parse_grant(&form);
    change_user(&state, &visitor, id, Some(form), move |app, caller| {
        app.grant_role(&caller, UserId(id), grant?)
    })
    .await
}

pub async fn remove_grant(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<GrantForm>,
) -> Result<Response, PageError> {
    let CsrfForm { visitor, form } = submitted;
    let grant = parse_grant(&form);
    change_user(&state, &visitor, id, None, move |app, caller| {
        app.revoke_role(&caller, UserId(id), grant?)
    })
    .await
}

pub async fn disable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    change_user(&state, &submitted.visitor, id, None, move |app, caller| {
        app.set_user_disabled(&caller, UserId(id), true)
    })
    .await
}

pub async fn enable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    submitted: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    change_user(&state, &submitted.visitor, id, None, move |app, caller| {
        app.set_user_disabled(&caller, UserId(id), false)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_from_their_text() {
        for scope in [Scope::Global, Scope::Body(7), Scope::Event(3)] {
            assert_eq!(parse_scope(&scope_text(scope)), Ok(scope));
        }
        assert!(parse_scope("").is_err());
        assert!(parse_scope(" ").is_err());
        assert!(parse_scope("body").is_err());
        assert!(parse_scope("body:x").is_err());
        assert!(parse_scope("room:1").is_err());
        assert!(parse_scope("body:0").is_err());
    }
}
