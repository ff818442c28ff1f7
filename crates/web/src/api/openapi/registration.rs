//! The OpenAPI paths and schemas of events and registration (`api::registration`).

use super::{
    enum_query, id_param, id_query, json_body, json_response, page_param, query_param, reference,
    with_errors,
};
use plenary_domain::registration::{FieldKind, ParticipationMode, RegistrationStatus};
use serde_json::{Value, json};

fn token_param() -> Value {
    json!({ "name": "token", "in": "path", "required": true, "schema": { "type": "string" },
        "description": "The secret of the registration's management link (e-mailed to the registrant, returned once by registering)" })
}

pub(super) fn paths(
    paths: &mut serde_json::Map<String, Value>,
    _s: &mut crate::api::schema::Schemas,
) {
    let manage = "secretariat";
    let obj = |props: Value| json!({ "type": "object", "properties": props });
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
    let registration = || json_response("The registration", reference("RegistrationDetail"));
    paths.insert("/events".into(), json!({
        "get": public(op("listEvents", "Every event, newest first".into(), json!([]), None,
            ("200", json_response("Events", obj(json!({ "items": { "type": "array", "items": reference("Event") } })))), &[])),
        "post": op("createEvent", format!("Create an event ({manage})"), json!([]), Some(reference("EventInput")),
            ("201", json_response("The event", reference("Event"))), &["400", "401", "403", "422"])
    }));
    paths.insert("/events/{id}".into(), json!({
        "get": public(op("getEvent", "An event with its categories (seats left) and the questions of its registration form".into(), json!([e()]), None,
            ("200", json_response("The event", reference("EventDetail"))), &["404"])),
        "put": op("replaceEvent", format!("Change an event ({manage})"), json!([e()]), Some(reference("EventInput")),
            ("200", json_response("The event", reference("EventDetail"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/events/{id}/categories".into(), json!({
        "post": op("addCategory", format!("Add a registration category with its capacity ({manage})"), json!([e()]), Some(reference("CategoryInput")),
            ("201", json_response("The category", reference("Category"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/events/{id}/categories/{category}".into(), json!({
        "put": op("replaceCategory", format!("Change a category; a higher capacity promotes from the waiting list at once ({manage})"), json!([e(), id_param("category")]),
            Some(reference("CategoryInput")), ("200", json_response("The category", reference("Category"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/events/{id}/questions".into(), json!({
        "post": op("addQuestion", format!("Add a question to the registration form ({manage})"), json!([e()]), Some(reference("QuestionInput")),
            ("201", json_response("The question", reference("Question"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/events/{id}/questions/{question}".into(), json!({
        "delete": op("deleteQuestion", format!("Remove a question; answers already given stay ({manage})"), json!([e(), id_param("question")]), None,
            ("204", json!({ "description": "Deleted" })), &["401", "403", "404"])
    }));
    paths.insert("/events/{id}/registrations".into(), json!({
        "post": public(op("register", "Register for an event (anyone; with a bearer token the registration belongs to its account). A full category puts the registrant on the waiting list. The same e-mail address again answers 200 with `created: false` and tells nothing about the existing registration".into(),
            json!([e()]), Some(reference("RegistrationInput")),
            ("201", json_response("Registered: the status, the place on the waiting list and the management token (returned only here)", reference("Registered"))),
            &["400", "404", "409", "422"])),
        "get": op("listRegistrations", format!("One page (50) of an event's registrations, oldest first, with the counts by status ({manage})"),
            json!([e(), query_param("q", "Part of a name or e-mail address (accents and case do not matter)"),
                   enum_query("status", &plenary_domain::registration::RegistrationStatus::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>(), "Only this status"), id_query("category_id", "Only this category"), page_param()]), None,
            ("200", json_response("A page", reference("RegistrationPage"))), &["401", "403", "404", "422"])
    }));
    paths["/events/{id}/registrations"]["post"]["responses"]["200"] = json_response(
        "Registered already with this e-mail address: nothing changed",
        obj(
            json!({ "created": { "type": "boolean", "const": false }, "event_id": { "type": "integer" }, "detail": { "type": "string" } }),
        ),
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
            ("200", json_response("Participants", obj(json!({ "items": { "type": "array", "items": reference("Participant") } })))), &["404"]))
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
            Some(obj(json!({ "reason": { "type": "string", "maxLength": 1000 } }))), ("200", registration()), &["400", "401", "403", "404", "409", "422"])
    }));
    paths.insert("/registrations/{id}/cancel".into(), json!({
        "post": op("cancelRegistration", format!("Cancel a registration; its seat goes to the waiting list ({manage})"), json!([e()]), None,
            ("200", registration()), &["401", "403", "404", "409"])
    }));
    paths.insert("/registration-links/{token}".into(), json!({
        "get": public(op("getOwnRegistration", "A registration through its management link".into(), json!([token_param()]), None, ("200", registration()), &["410"])),
        "put": public(op("changeOwnRegistration", "Change one's details and answers until the event's deadline for changes (not the category or the e-mail address)".into(),
            json!([token_param()]), Some(reference("RegistrationDetails")), ("200", registration()), &["400", "409", "410", "422"]))
    }));
    paths.insert("/registration-links/{token}/cancel".into(), json!({
        "post": public(op("cancelOwnRegistration", "Cancel one's registration until the event's deadline for changes".into(), json!([token_param()]), None,
            ("200", registration()), &["409", "410"]))
    }));
    paths.insert("/check-ins".into(), json!({
        "post": op("checkIn", format!("Check a participant in by badge code: 201 the first time, 200 with `again` for a repeated scan (nothing changes); 409 when the registration is not confirmed ({manage})"),
            json!([]), Some(obj(json!({ "code": { "type": "string", "description": "The badge code; case, spaces and dashes do not matter" } }))),
            ("201", json_response("Checked in", reference("CheckIn"))), &["400", "401", "403", "409", "422"])
    }));
    paths["/check-ins"]["post"]["responses"]["200"] = json_response(
        "Checked in before (first scan at `first_at`)",
        reference("CheckIn"),
    );
}

pub(super) fn schemas() -> Value {
    let text = json!({ "type": "string" });
    let opt_text = json!({ "type": ["string", "null"] });
    let int = json!({ "type": "integer" });
    let local = |what: &str| json!({ "type": "string", "description": format!("{what}: wall-clock date and time in the event's zone, e.g. 2026-06-22T09:00") });
    let answers = json!({ "type": "object", "description": "Answers by question key: a string, several strings (several choices), a number, or true for a ticked box",
        "additionalProperties": { "type": ["string", "number", "boolean", "array"], "items": { "type": "string" } } });
    let statuses: Vec<&str> = RegistrationStatus::ALL.iter().map(|s| s.as_str()).collect();
    json!({
        "Event": { "type": "object", "properties": { "id": int, "title": text, "venue": text, "time_zone": text,
            "starts_at": reference("LabelledInstant"), "ends_at": reference("LabelledInstant"),
            "registration_opens_at": reference("LabelledInstant"), "registration_closes_at": reference("LabelledInstant"),
            "changes_until": reference("LabelledInstant"), "public_list": { "type": "boolean" }, "registration_open": { "type": "boolean" },
            "visa_letters": { "type": "boolean" }, "visa_retention_days": int } },
        "EventDetail": { "allOf": [reference("Event"), { "type": "object", "properties": {
            "categories": { "type": "array", "items": reference("Category") }, "questions": { "type": "array", "items": reference("Question") } } }] },
        "EventInput": { "type": "object", "required": ["title", "time_zone", "starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "changes_until"],
            "additionalProperties": false, "properties": {
            "title": text, "venue": text, "time_zone": { "type": "string", "description": "IANA name, e.g. Africa/Nairobi" },
            "starts_at": local("Start"), "ends_at": local("End"), "registration_opens_at": local("Registration opens"),
            "registration_closes_at": local("Registration closes"), "changes_until": local("Registrants may change or cancel until"),
            "public_list": { "type": "boolean" }, "visa_letters": { "type": "boolean", "description": "Onsite registrants may request a visa invitation letter" },
            "visa_retention_days": { "type": "integer", "minimum": 1, "maximum": 366, "description": "Days after the event's end until passport details are purged (default 30)" } } },
        "Category": { "type": "object", "properties": { "id": int, "name": text,
            "mode": { "type": "string", "enum": ParticipationMode::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>() },
            "capacity": { "type": ["integer", "null"], "description": "null: no limit" }, "taken": int,
            "seats_left": { "type": ["integer", "null"] }, "needs_approval": { "type": "boolean" } } },
        "CategoryInput": { "type": "object", "required": ["name", "mode"], "additionalProperties": false, "properties": {
            "name": text, "mode": { "type": "string", "enum": ParticipationMode::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>() },
            "capacity": { "type": ["integer", "null"], "minimum": 0 }, "needs_approval": { "type": "boolean" } } },
        "Question": { "type": "object", "properties": { "id": int, "key": text, "label": text,
            "kind": { "type": "string", "enum": FieldKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>() },
            "required": { "type": "boolean" }, "options": { "type": "array", "items": text } } },
        "QuestionInput": { "type": "object", "required": ["key", "label", "kind"], "additionalProperties": false, "properties": {
            "key": { "type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$" }, "label": text,
            "kind": { "type": "string", "enum": FieldKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>() },
            "required": { "type": "boolean" }, "options": { "type": "array", "items": text, "description": "The choices (at least two) of a choice question" } } },
        "RegistrationInput": { "type": "object", "required": ["email"], "additionalProperties": false, "properties": {
            "category_id": { "type": ["integer", "null"], "description": "Required unless the event has a single category" },
            "email": text, "family_name": text, "given_name": text, "organization": text,
            "country": { "type": "string", "description": "ISO 3166-1 alpha-2" }, "answers": answers.clone(),
            "listed": { "type": "boolean", "description": "Consent to appear on the public participant list" } } },
        "RegistrationDetails": { "type": "object", "additionalProperties": false, "properties": {
            "family_name": text, "given_name": text, "organization": text, "country": text, "answers": answers, "listed": { "type": "boolean" } } },
        "Registration": { "type": "object", "properties": { "id": int, "event_id": int, "category_id": int,
            "status": { "type": "string", "enum": statuses }, "email": text, "family_name": text, "given_name": text, "organization": text,
            "country": opt_text, "answers": { "type": "object", "additionalProperties": { "type": "array", "items": text } },
            "listed": { "type": "boolean" }, "reason": text,
            "badge_code": { "type": ["string", "null"], "description": "Only while confirmed" },
            "checked_in_at": { "type": ["string", "null"], "format": "date-time" },
            "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" } } },
        "RegistrationDetail": { "allOf": [reference("Registration"), { "type": "object", "properties": {
            "waitlist_position": { "type": ["integer", "null"], "description": "1: next to get a seat" },
            "changeable": { "type": "boolean", "description": "Whether the registrant may still change or cancel it" },
            "category": reference("Category"), "event": { "type": "object", "properties": { "id": int, "title": text } } } }] },
        "Registered": { "allOf": [reference("Registration"), { "type": "object", "properties": {
            "created": { "type": "boolean", "const": true },
            "waitlist_position": { "type": ["integer", "null"] },
            "manage_token": { "type": "string", "description": "The secret of the management link: /registration-links/{token}" } } }] },
        "RegistrationPage": { "type": "object", "properties": { "items": { "type": "array", "items": reference("Registration") },
            "total": int, "page": int, "pages": int, "page_size": int,
            "counts": { "type": "object", "description": "Registrations of the event by status", "additionalProperties": int } } },
        "CheckIn": { "type": "object", "properties": { "again": { "type": "boolean" }, "first_at": reference("LabelledInstant"),
            "event": { "type": "object", "properties": { "id": int, "title": text } }, "registration": reference("Registration") } },
        "Participant": { "type": "object", "properties": { "family_name": text, "given_name": text, "organization": text, "country": opt_text } }
    })
}
