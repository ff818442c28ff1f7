//! The OpenAPI paths and schemas of visa invitation letters (`api::visa`).

use super::{enum_query, id_param, json_body, json_response, page_param, with_errors};
use crate::api::schema::Schemas;
use crate::api::visa as v;
use serde_json::{Value, json};

fn token_param() -> Value {
    json!({ "name": "token", "in": "path", "required": true, "schema": { "type": "string" },
        "description": "The secret of the registration's management link" })
}

fn pdf(what: &str) -> Value {
    json!({ "description": what, "content": { "application/pdf": { "schema": { "type": "string", "format": "binary" } } } })
}

pub(super) fn paths(paths: &mut serde_json::Map<String, Value>, s: &mut Schemas) {
    let manage = "secretariat; responses are `Cache-Control: no-store`";
    let op = |id: &str, summary: String, params: Value, ok: (&str, Value), errors: &[&str]| json!({ "operationId": id, "summary": summary, "parameters": params, "responses": with_errors(ok, errors) });
    let public = |mut o: Value| {
        o["security"] = json!([]);
        o
    };
    let e = || id_param("id");
    let state_schema = s.response::<v::StateOut>();
    let state = || {
        json_response(
            "The request as the registrant sees it",
            state_schema.clone(),
        )
    };
    let detail_schema = s.response::<v::DetailOut>();
    let detail = || {
        json_response(
            "The request with the passport details",
            detail_schema.clone(),
        )
    };
    let mut put = public(op("requestVisaLetter",
        "Ask for a visa invitation letter, or replace the details of a request not yet issued (onsite registrations of events that issue letters; 409 otherwise). The details are never shown back to the registrant".into(),
        json!([token_param()]), ("200", state()), &["400", "409", "410", "422"]));
    put["requestBody"] = json_body(s.body::<v::PassportBody>());
    paths.insert("/registration-links/{token}/visa".into(), json!({
        "get": public(op("getOwnVisaRequest", "Where one's visa letter request stands (no passport details)".into(),
            json!([token_param()]), ("200", state()), &["410"])),
        "put": put
    }));
    paths.insert("/registration-links/{token}/visa/letter".into(), json!({
        "get": public(op("getOwnVisaLetter", "The issued letter as PDF (409 before it is issued or once the details are purged)".into(),
            json!([token_param()]), ("200", pdf("The letter, as an attachment")), &["409", "410"]))
    }));
    paths.insert("/events/{id}/visa-requests".into(), json!({
        "get": op("listVisaRequests", format!("One page (50) of an event's visa letter requests, oldest first, with counts by status; no passport details ({manage})"),
            json!([e(), enum_query("status", &plenary_domain::visa::VisaStatus::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>(), "Only this status"), page_param()]),
            ("200", json_response("A page", s.response::<v::PageOut>())), &["401", "403", "404", "422"])
    }));
    paths.insert("/events/{id}/visa-requests/export".into(), json!({
        "get": op("exportVisaRequests", format!("Every visa letter request of the event with its passport details (the only export that carries them), streamed as CSV (formula-safe) or XLSX; recorded in the audit log ({manage})"),
            json!([e(), { "name": "format", "in": "query", "required": true, "schema": { "type": "string", "enum": ["csv", "xlsx"] } }]),
            ("200", json!({ "description": "The file, as an attachment",
                "content": { "text/csv": { "schema": { "type": "string" } },
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } })),
            &["400", "401", "403", "404"])
    }));
    paths.insert("/visa-requests/{id}".into(), json!({
        "get": op("getVisaRequest", format!("One request (by registration id) with the passport details, null once purged ({manage})"),
            json!([e()]), ("200", detail()), &["401", "403", "404"])
    }));
    paths.insert("/visa-requests/{id}/issue".into(), json!({
        "post": op("issueVisaLetter", format!("Issue the letter: numbered within the event and e-mailed to the registrant as PDF; the registration must be confirmed ({manage})"),
            json!([e()]), ("200", detail()), &["401", "403", "404", "409"])
    }));
    let mut refuse = op(
        "refuseVisaLetter",
        format!(
            "Refuse a waiting request with a reason, e-mailed; the registrant may correct and ask again ({manage})"
        ),
        json!([e()]),
        ("200", detail()),
        &["400", "401", "403", "404", "409", "422"],
    );
    refuse["requestBody"] = json_body(s.body::<v::ReasonBody>());
    paths.insert(
        "/visa-requests/{id}/refuse".into(),
        json!({ "post": refuse }),
    );
    paths.insert(
        "/visa-requests/{id}/letter".into(),
        json!({
            "get": op("getVisaLetter", format!("An issued letter as PDF ({manage})"), json!([e()]),
                ("200", pdf("The letter, as an attachment")), &["401", "403", "404", "409"])
        }),
    );
}
