//! The OpenAPI paths and schemas of events and registration (`api::registration`).

use super::{
    enum_query, id_param, id_query, json_body, json_response, page_param, query_param, with_errors,
};
use crate::api::registration as r;
use crate::api::schema::{Items, Schemas};
use serde_json::{Value, json};

fn token_param() -> Value {
    json!({ "name": "token", "in": "path", "required": true, "schema": { "type": "string" },
        "description": "The secret of the registration's management link (e-mailed to the registrant, returned once by registering)" })
}

pub(super) fn paths(paths: &mut serde_json::Map<String, Value>, s: &mut Schemas) {
    let manage = "secretariat";
    let op = |id: &str,
              summary: String,
              params: Value,
              body: Option<Value>,
              ok: (&str, Value),
              errors: &[&str]| {
        let mut o = json!({ "operationId": id, "summary": summary, "parameters": params, "responses": with_errors(ok, errors) });
        if let Some(b) = body {
            o["requestBody"] = json_body(b);
        }
        o
    };
    let public = |mut o: Value| {
        o["security"] = json!([]);
        o
    };
    let e = || id_param("id");
    let detail = s.response::<r::RegistrationDetailOut>();
    let registration = || json_response("The registration", detail.clone());
    paths.insert("/events".into(), json!({
        "get": public(op("listEvents", "Every event, newest first".into(), json!([]), None,
            ("200", json_response("Events", s.response::<Items<r::EventOut>>())), &[])),
        "post": op("createEvent", format!("Create an event ({manage})"), json!([]), Some(s.body::<r::EventBody>()),
            ("201", json_response("The event", s.response::<r::EventOut>())), &["400", "401", "403", "422"])
    }));
    paths.insert("/events/{id}".into(), json!({
        "get": public(op("getEvent", "An event with its categories (seats left) and the questions of its registration form".into(), json!([e()]), None,
            ("200", json_response("The event", s.response::<r::EventDetailOut>())), &["404"])),
        "put": op("replaceEvent", format!("Change an event ({manage})"), json!([e()]), Some(s.body::<r::EventBody>()),
            ("200", json_response("The event", s.response::<r::EventDetailOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/events/{id}/categories".into(), json!({
        "post": op("addCategory", format!("Add a registration category with its capacity ({manage})"), json!([e()]), Some(s.body::<r::CategoryBody>()),
            ("201", json_response("The category", s.response::<r::CategoryOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/events/{id}/categories/{category}".into(), json!({
        "put": op("replaceCategory", format!("Change a category; a higher capacity promotes from the waiting list at once ({manage})"), json!([e(), id_param("category")]),
            Some(s.body::<r::CategoryBody>()), ("200", json_response("The category", s.response::<r::CategoryOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/events/{id}/questions".into(), json!({
        "post": op("addQuestion", format!("Add a question to the registration form ({manage})"), json!([e()]), Some(s.body::<r::QuestionBody>()),
            ("201", json_response("The question", s.response::<r::QuestionOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/events/{id}/questions/{question}".into(), json!({
        "delete": op("deleteQuestion", format!("Remove a question; answers already given stay ({manage})"), json!([e(), id_param("question")]), None,
            ("204", json!({ "description": "Deleted" })), &["401", "403", "404"])
    }));
    paths.insert("/events/{id}/registrations".into(), json!({
        "post": public(op("register", "Register for an event (anyone; with a bearer token the registration belongs to its account). A full category puts the registrant on the waiting list. The same e-mail address again answers 200 with `created: false` and tells nothing about the existing registration".into(),
            json!([e()]), Some(s.body::<r::RegistrationBody>()),
            ("201", json_response("Registered: the status, the place on the waiting list and the management token (returned only here)", s.response::<r::Registered>())),
            &["400", "404", "409", "422"])),
        "get": op("listRegistrations", format!("One page (50) of an event's registrations, oldest first, with the counts by status ({manage})"),
            json!([e(), query_param("q", "Part of a name or e-mail address (accents and case do not matter)"),
                   enum_query("status", &plenary_domain::registration::RegistrationStatus::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>(), "Only this status"), id_query("category_id", "Only this category"), page_param()]), None,
            ("200", json_response("A page", s.response::<r::RegistrationPageOut>())), &["401", "403", "404", "422"])
    }));
    paths["/events/{id}/registrations"]["post"]["responses"]["200"] = json_response(
        "Registered already with this e-mail address: nothing changed",
        s.response::<r::AlreadyRegistered>(),
    );
    let export = op(
        "exportRegistrations",
        format!(
            "The event's registrations matching the list's filters, every page, as a CSV or XLSX file, streamed: one row per registration, one column per form question; never passport or visa data. In CSV, a cell that would start a formula (=, +, -, @, tab, CR) gets a leading apostrophe ({manage})"
        ),
        json!([e(),
            { "name": "format", "in": "query", "required": true, "schema": { "type": "string", "enum": plenary_app::export::Format::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>() },
              "description": "csv (UTF-8 with a byte-order mark, RFC 4180) or xlsx; anything else is a 400 naming the parameter" },
            query_param("q", "Part of a name or e-mail address (accents and case do not matter)"),
            enum_query("status", &plenary_domain::registration::RegistrationStatus::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>(), "Only this status"), id_query("category_id", "Only this category")]),
        None,
        (
            "200",
            json!({ "description": "The file, as an attachment (Content-Disposition gives its name)",
            "content": { "text/csv": { "schema": { "type": "string" } },
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } }),
        ),
        &["400", "401", "403", "404", "422"],
    );
    paths.insert(
        "/events/{id}/registrations/export".into(),
        json!({ "get": export }),
    );
    paths.insert("/events/{id}/participants".into(), json!({
        "get": public(op("listParticipants", "The public participant list: confirmed participants who agreed to be listed (404 when the event publishes none)".into(), json!([e()]), None,
            ("200", json_response("Participants", s.response::<Items<r::ParticipantOut>>())), &["404"]))
    }));
    paths.insert("/registrations/{id}".into(), json!({
        "get": op("getRegistration", format!("One registration ({manage})"), json!([e()]), None, ("200", registration()), &["401", "403", "404"])
    }));
    paths.insert("/registrations/{id}/badge".into(), json!({
        "get": op("getBadge", format!("The badge of a confirmed registration as a PDF (A6): the event and its dates in the event's zone, the name, organization, category and mode, and a QR code of the check-in link (`/check-in?code=CODE` on this site) with the code under it. The registrant's own (signed in) or any ({manage}); another account's is 404, a registration not confirmed 409"),
            json!([e()]), None,
            ("200", json!({ "description": "The badge, inline (Content-Disposition gives its file name)",
                "content": { "application/pdf": { "schema": { "type": "string", "format": "binary" } } } })),
            &["401", "404", "409"])
    }));
    paths.insert("/registrations/{id}/approve".into(), json!({
        "post": op("approveRegistration", format!("Approve a registration awaiting approval; the registrant is told by e-mail ({manage})"), json!([e()]), None,
            ("200", registration()), &["401", "403", "404", "409"])
    }));
    paths.insert("/registrations/{id}/reject".into(), json!({
        "post": op("rejectRegistration", format!("Reject a registration with a reason that is e-mailed; its seat goes to the waiting list ({manage})"), json!([e()]),
            Some(s.body::<r::ReasonBody>()), ("200", registration()), &["400", "401", "403", "404", "409", "422"])
    }));
    paths.insert("/registrations/{id}/cancel".into(), json!({
        "post": op("cancelRegistration", format!("Cancel a registration; its seat goes to the waiting list ({manage})"), json!([e()]), None,
            ("200", registration()), &["401", "403", "404", "409"])
    }));
    paths.insert("/registration-links/{token}".into(), json!({
        "get": public(op("getOwnRegistration", "A registration through its management link".into(), json!([token_param()]), None, ("200", registration()), &["410"])),
        "put": public(op("changeOwnRegistration", "Change one's details and answers until the event's deadline for changes (not the category or the e-mail address)".into(),
            json!([token_param()]), Some(s.body::<r::DetailsBody>()), ("200", registration()), &["400", "409", "410", "422"]))
    }));
    paths.insert("/registration-links/{token}/cancel".into(), json!({
        "post": public(op("cancelOwnRegistration", "Cancel one's registration until the event's deadline for changes".into(), json!([token_param()]), None,
            ("200", registration()), &["409", "410"]))
    }));
    paths.insert("/check-ins".into(), json!({
        "post": op("checkIn", format!("Check a participant in by badge code: 201 the first time, 200 with `again` for a repeated scan (nothing changes); 409 when the registration is not confirmed ({manage})"),
            json!([]), Some(s.body::<r::CheckInBody>()),
            ("201", json_response("Checked in", s.response::<r::CheckInOut>())), &["400", "401", "403", "409", "422"])
    }));
    paths["/check-ins"]["post"]["responses"]["200"] = json_response(
        "Checked in before (first scan at `first_at`)",
        s.response::<r::CheckInOut>(),
    );
}
