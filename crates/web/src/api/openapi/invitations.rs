//! The OpenAPI paths and schemas of sign-up and invitations (`api::invitations`).

use super::{id_param, json_body, json_response, with_errors};
use crate::api::invitations as i;
use crate::api::schema::Schemas;
use serde_json::{Value, json};

fn token_param(what: &str) -> Value {
    json!({ "name": "token", "in": "path", "required": true, "schema": { "type": "string" }, "description": what })
}

pub(super) fn paths(paths: &mut serde_json::Map<String, Value>, s: &mut Schemas) {
    let list = s.response::<i::InvitationsOut>();
    let one = s.response::<i::InvitationOut>();
    let listed = || json_response("The invitations, newest first", list.clone());
    let made = || json_response("The invitation (mailed)", one.clone());
    let revoked = || json_response("The revoked invitation", one.clone());
    let targets: [(&str, &str, Vec<Value>, Value, &str); 3] = [
        (
            "/calls/{id}/invitations",
            "Reviewer",
            vec![id_param("id")],
            s.body::<i::ReviewerInviteBody>(),
            "a call's reviewer pool (secretariat)",
        ),
        (
            "/bodies/{id}/invitations",
            "Member",
            vec![id_param("id")],
            s.body::<i::MemberInviteBody>(),
            "a body's members (the secretariat or the body's chair)",
        ),
        (
            "/events/{id}/programme/sessions/{session}/invitations",
            "Speaker",
            vec![id_param("id"), id_param("session")],
            s.body::<i::SpeakerInviteBody>(),
            "a programme session's people (secretariat); accepting links the session's person of that name to the account",
        ),
    ];
    for (path, kind, params, body, what) in targets {
        paths.insert(path.to_owned(), json!({
            "get": {
                "operationId": format!("list{kind}Invitations"), "summary": format!("Invitations to {what}"),
                "parameters": params.clone(),
                "responses": with_errors(("200", listed()), &["401", "403", "404"])
            },
            "post": {
                "operationId": format!("invite{kind}"), "summary": format!("Invite by e-mail to {what}; the single-use link is mailed"),
                "parameters": params.clone(),
                "requestBody": json_body(body),
                "responses": with_errors(("201", made()), &["400", "401", "403", "404", "422"])
            }
        }));
        let mut revoke_params = params.clone();
        revoke_params.push(id_param("invitation"));
        paths.insert(format!("{path}/{{invitation}}/revoke"), json!({ "post": {
            "operationId": format!("revoke{kind}Invitation"), "summary": format!("Revoke a pending invitation to {what}"),
            "parameters": revoke_params,
            "responses": with_errors(("200", revoked()), &["401", "403", "404", "409"])
        }}));
    }
    paths.insert("/invitations/accept".into(), json!({ "post": {
        "operationId": "acceptInvitation", "summary": "Accept an invitation into your account (its directory entry is linked and the role given)",
        "requestBody": json_body(s.body::<i::AcceptBody>()),
        "responses": with_errors(("200", json_response("What was accepted", s.response::<i::AcceptedOut>())), &["400", "401", "409", "410", "422"])
    }}));
    paths.insert("/sign-up".into(), json!({ "post": {
        "operationId": "signUp", "summary": "Ask for an account: the link that confirms it is mailed (the same answer whether or not the address has an account; limited per client address)",
        "security": [],
        "requestBody": json_body(s.body::<i::SignUpBody>()),
        "responses": with_errors(("202", json_response("Taken", s.response::<i::SignUpSent>())), &["400", "422", "429"])
    }}));
    paths.insert("/sign-up/{token}".into(), json!({ "post": {
        "operationId": "confirmSignUp", "summary": "Create the account of a mailed sign-up link (sign in or make a token afterwards)",
        "security": [],
        "parameters": [token_param("The secret of the mailed link (its last part)")],
        "responses": with_errors(("201", json_response("The account", s.response::<crate::api::UserOut>())), &["409", "410"])
    }}));
}
