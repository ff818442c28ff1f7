//! The OpenAPI 3.1 document of `/api/v1`. A test checks that it lists exactly the API
//! routes of the route table.

mod calls;
mod invitations;
mod programme;
mod registration;
mod visa;

use super::schema::{self, Items, Page, Schemas, names};
use axum::Json;
use serde_json::{Value, json};

fn problem_responses(codes: &[&str]) -> Value {
    let mut map = serde_json::Map::new();
    for code in codes {
        map.insert(
            (*code).to_owned(),
            json!({ "description": description(code), "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }),
        );
    }
    Value::Object(map)
}

fn description(code: &str) -> &'static str {
    match code {
        "400" => "Malformed request",
        "401" => "No valid bearer token",
        "403" => "Not allowed for this account",
        "404" => "No such resource",
        "409" => "Refused by a rule, or (notes) edited by someone else meanwhile",
        "410" => "The link is invalid (unknown, replaced or expired)",
        "413" => "The body is larger than accepted",
        "422" => "Invalid input; `errors` names each field",
        "429" => "Too many requests from this address; `Retry-After` says when to try again",
        _ => "Error",
    }
}

fn with_errors(ok: (&str, Value), errors: &[&str]) -> Value {
    let mut responses = problem_responses(errors);
    responses[ok.0] = ok.1;
    responses
}

fn json_response(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn json_body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

fn id_param(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "integer" } })
}

fn query_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" }, "description": description })
}

/// An optional query parameter with its schema; an empty value counts as absent, as
/// it does on the server (`?status=` lists every status).
pub(crate) fn typed_query(name: &str, schema: Value, description: &str) -> Value {
    let schema = json!({ "anyOf": [schema, { "type": "string", "maxLength": 0 }] });
    json!({ "name": name, "in": "query", "required": false, "schema": schema, "description": format!("{description} (empty: as absent)") })
}

/// The `page` query parameter: a whole number from 1.
pub(crate) fn page_param() -> Value {
    typed_query(
        "page",
        json!({ "type": "integer", "minimum": 1, "maximum": super::MAX_PAGE }),
        "Page number from 1",
    )
}

/// An optional query parameter holding a record id.
pub(crate) fn id_query(name: &str, description: &str) -> Value {
    typed_query(name, json!({ "type": "integer" }), description)
}

/// An optional query parameter taking one of `values`.
pub(crate) fn enum_query(name: &str, values: &[&str], description: &str) -> Value {
    typed_query(
        name,
        json!({ "type": "string", "enum": values }),
        description,
    )
}

/// "people" → "People" (operationIds are lower camel case, like `listPeople`).
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The schemas of a directory collection: its records as listed, as read one by one, and
/// as written.
struct Collection {
    list: Value,
    item: Value,
    input: Value,
}

/// A collection with create, and an item with read, replace and delete.
fn crud(
    paths: &mut serde_json::Map<String, Value>,
    plural: &str,
    singular: &str,
    schemas: Collection,
    who: &str,
    public_read: bool,
) {
    let read_security = if public_read {
        json!([])
    } else {
        json!([{ "bearer": [] }])
    };
    let list_params = if public_read {
        json!([])
    } else {
        json!([
            query_param("search", "Accent- and case-insensitive name search"),
            page_param()
        ])
    };
    let Collection { list, item, input } = schemas;
    let written = item.clone();
    paths.insert(format!("/{plural}"), json!({
        "get": {
            "operationId": format!("list{}", capitalized(plural)), "summary": format!("List {plural}"), "security": read_security, "parameters": list_params,
            "responses": with_errors(("200", json_response("A page", list)), &["401", "403", "422"])
        },
        "post": {
            "operationId": format!("create{singular}"), "summary": format!("Create ({who})"),
            "requestBody": json_body(input.clone()),
            "responses": with_errors(("201", json_response("Created", written.clone())), &["400", "401", "403", "422"])
        }
    }));
    paths.insert(format!("/{plural}/{{id}}"), json!({
        "get": {
            "operationId": format!("get{singular}"), "summary": "Read one", "security": read_security, "parameters": [id_param("id")],
            "responses": with_errors(("200", json_response("The record", item)), &["401", "403", "404"])
        },
        "put": {
            "operationId": format!("replace{singular}"), "summary": format!("Replace ({who})"), "parameters": [id_param("id")],
            "requestBody": json_body(input),
            "responses": with_errors(("200", json_response("The record", written)), &["400", "401", "403", "404", "422"])
        },
        "delete": {
            "operationId": format!("delete{singular}"), "summary": format!("Delete ({who}); refused while referenced"), "parameters": [id_param("id")],
            "responses": with_errors(("204", json!({ "description": "Deleted" })), &["401", "403", "404", "409"])
        }
    }));
}

fn directory_paths(paths: &mut serde_json::Map<String, Value>, s: &mut Schemas) {
    use super::directory::*;
    let organizations = Collection {
        list: s.response::<DirectoryPage<OrganizationOut>>(),
        item: s.response::<OrganizationOut>(),
        input: s.body::<OrganizationBody>(),
    };
    crud(
        paths,
        "organizations",
        "Organization",
        organizations,
        "secretariat",
        false,
    );
    let people = Collection {
        list: s.response::<DirectoryPage<PersonOut>>(),
        item: s.response::<PersonOut>(),
        input: s.body::<PersonBody>(),
    };
    crud(paths, "people", "Person", people, "secretariat", false);
    let bodies = Collection {
        list: s.response::<Items<BodyOut>>(),
        item: s.response::<BodyOut>(),
        input: s.body::<BodyBody>(),
    };
    crud(paths, "bodies", "Body", bodies, "secretariat", true);
    // Read one by one, a person comes with their memberships and a body with its members.
    paths["/people/{id}"]["get"]["responses"]["200"] = json_response(
        "The person with their memberships",
        s.response::<PersonDetailOut>(),
    );
    paths["/bodies/{id}"]["get"]["responses"]["200"] = json_response(
        "The body with its sub-bodies and members",
        s.response::<BodyDetailOut>(),
    );
    paths.insert("/bodies/{id}/memberships".into(), json!({ "post": {
        "operationId": "addMembership", "summary": "Add a membership (secretariat, or a chair of the body)", "parameters": [id_param("id")],
        "requestBody": json_body(s.body::<MembershipBody>()),
        "responses": with_errors(("201", json_response("The membership", s.response::<MembershipOut>())), &["400", "401", "403", "404", "422"])
    }}));
    paths.insert("/memberships/{id}/end".into(), json!({ "post": {
        "operationId": "endMembership", "summary": "End a membership; it stays as history", "parameters": [id_param("id")],
        "requestBody": json_body(s.body::<EndBody>()),
        "responses": with_errors(("200", json_response("The membership", s.response::<MembershipOut>())), &["400", "401", "403", "404", "422"])
    }}));
    paths.insert("/bodies/{id}/subscriptions".into(), json!({
        "get": {
            "operationId": "listSubscribers", "summary": "Subscribers of the body's list (secretariat, or a chair of the body)", "parameters": [id_param("id")],
            "responses": with_errors(("200", json_response("People", s.response::<Items<PersonOut>>())), &["401", "403", "404"])
        },
        "post": {
            "operationId": "subscribe", "summary": "Subscribe a person (themselves, a chair of the body, or the secretariat)", "parameters": [id_param("id")],
            "requestBody": json_body(s.body::<SubscribeBody>()),
            "responses": with_errors(("204", json!({ "description": "Subscribed" })), &["400", "401", "403", "404", "422"])
        }
    }));
    paths.insert("/bodies/{id}/subscriptions/{person}".into(), json!({ "delete": {
        "operationId": "unsubscribe", "summary": "Unsubscribe a person", "parameters": [id_param("id"), id_param("person")],
        "responses": with_errors(("204", json!({ "description": "Unsubscribed" })), &["401", "403", "404", "422"])
    }}));
}

fn meeting_paths(paths: &mut serde_json::Map<String, Value>, s: &mut Schemas) {
    use super::meetings as m;
    let manage = "the secretariat, or a chair of the meeting's body";
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
    let none = json!({ "description": "Done" });
    let id = || id_param("id");
    let meeting = s.response::<m::MeetingOut>();
    let meeting_input = s.body::<m::MeetingBody>();
    let room = s.response::<m::RoomOut>();
    let room_input = s.body::<m::RoomBody>();
    let day = s.response::<m::DayOut>();
    let day_input = s.body::<m::DayBody>();
    let item = s.response::<m::ItemOut>();
    let item_input = s.body::<m::ItemBody>();
    paths.insert("/meetings".into(), json!({
        "get": { "operationId": "listMeetings", "summary": "Published meetings (and drafts the caller manages)", "security": [], "parameters": [id_query("body", "Only this body's meetings")],
                 "responses": with_errors(("200", json_response("Meetings", s.response::<Items<m::MeetingOut>>())), &["422"]) },
        "post": op("createMeeting", format!("Create a meeting ({manage})"), json!([]), Some(meeting_input.clone()), ("201", json_response("The meeting", meeting.clone())), &["400", "401", "403", "422"])
    }));
    paths.insert("/meetings/{id}".into(), json!({
        "get": { "operationId": "getMeeting", "summary": "A meeting with its agenda day by day and its participants", "security": [], "parameters": [id()],
                 "responses": with_errors(("200", json_response("The meeting", s.response::<m::MeetingDetailOut>())), &["404"]) },
        "put": op("replaceMeeting", format!("Replace a meeting ({manage})"), json!([id()]), Some(meeting_input.clone()), ("200", json_response("The meeting", meeting.clone())), &["400", "401", "403", "404", "422"]),
        "delete": op("deleteMeeting", format!("Delete a meeting with its agenda; refused (409) while it has action items that are neither moved nor dropped ({manage})"), json!([id()]), None, ("204", none.clone()), &["401", "403", "404", "409"])
    }));
    paths.insert("/meetings/{id}/rooms".into(), json!({ "post": op("addRoom", format!("Add a room ({manage})"), json!([id()]),
        Some(room_input.clone()), ("201", json_response("The room", room.clone())), &["400", "401", "403", "404", "422"]) }));
    paths.insert("/meetings/{id}/rooms/{room}".into(), json!({
        "put": op("replaceRoom", format!("Rename a room ({manage})"), json!([id(), id_param("room")]),
            Some(room_input.clone()), ("200", json_response("The room", room.clone())), &["400", "401", "403", "404", "422"]),
        "delete": op("deleteRoom", format!("Delete a room; days and items that used it lose it ({manage})"), json!([id(), id_param("room")]), None, ("204", none.clone()), &["401", "403", "404"])
    }));
    paths.insert("/meetings/{id}/days".into(), json!({ "post": op("addDay", format!("Add a day to the agenda ({manage})"), json!([id()]),
        Some(day_input.clone()), ("201", json_response("The day", day.clone())), &["400", "401", "403", "404", "422"]) }));
    paths.insert("/meetings/{id}/days/{day}".into(), json!({
        "put": op("replaceDay", format!("Change a day ({manage})"), json!([id(), id_param("day")]), Some(day_input.clone()), ("200", json_response("The day", day.clone())), &["400", "401", "403", "404", "422"]),
        "delete": op("deleteDay", format!("Delete a day with its items ({manage})"), json!([id(), id_param("day")]), None, ("204", none.clone()), &["401", "403", "404"])
    }));
    paths.insert("/meetings/{id}/items".into(), json!({ "post": op("addItem", format!("Add an agenda item or sub-item ({manage}); refused when it overlaps another item in the same room"), json!([id()]),
        Some(item_input.clone()), ("201", json_response("The item", item.clone())), &["400", "401", "403", "404", "422"]) }));
    paths.insert("/meetings/{id}/items/{item}".into(), json!({
        "put": op("replaceItem", format!("Change an item ({manage})"), json!([id(), id_param("item")]), Some(item_input.clone()), ("200", json_response("The item", item.clone())), &["400", "401", "403", "404", "422"]),
        "delete": op("deleteItem", format!("Delete an item with its sub-items ({manage})"), json!([id(), id_param("item")]), None, ("204", none.clone()), &["401", "403", "404"])
    }));
    paths.insert("/meetings/{id}/items/{item}/move".into(), json!({ "post": op("moveItem", format!("Move an item up or down among its siblings ({manage})"), json!([id(), id_param("item")]),
        Some(s.body::<m::MoveBody>()), ("204", none.clone()), &["400", "401", "403", "404", "422"]) }));
    paths.insert("/meetings/{id}/attendees/{person}".into(), json!({
        "put": op("setAttendee", format!("Invite a person or change their role group and status ({manage})"), json!([id(), id_param("person")]),
            Some(s.body::<m::AttendeeBody>()), ("204", none.clone()), &["400", "401", "403", "404", "422"]),
        "delete": op("removeAttendee", format!("Remove a participant ({manage})"), json!([id(), id_param("person")]), None, ("204", none.clone()), &["401", "403", "404"])
    }));
    paths.insert("/meetings/{id}/documents".into(), json!({
        "get": { "operationId": "listDocuments", "summary": "The meeting's input documents (download each at `url`)", "security": [], "parameters": [id()],
                 "responses": with_errors(("200", json_response("Documents", s.response::<Items<m::DocumentOut>>())), &["404"]) },
        "post": { "operationId": "uploadDocument", "summary": format!("Upload the request body as a document, at most 10 MiB ({manage})"),
                  "parameters": [id(), query_param("filename", "File name with its extension (pdf, docx, xlsx, pptx, odt, ods, txt, md, csv, png, jpg)"),
                                 query_param("title", "Title; the file name by default"), id_query("item_id", "The agenda item it belongs to")],
                  "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                  "responses": with_errors(("201", json_response("The document", s.response::<m::DocumentOut>())), &["400", "401", "403", "404", "413", "422"]) }
    }));
    paths.insert("/documents/{id}".into(), json!({ "delete": op("deleteDocument", format!("Delete a document ({manage})"), json!([id()]), None, ("204", none.clone()), &["401", "403", "404"]) }));
    paths.insert("/meetings/{id}/role-groups".into(), json!({ "put": op("orderRoleGroups", format!("Set the order of role groups in the participant list ({manage})"), json!([id()]),
        Some(s.body::<m::OrderBody>()), ("204", none), &["400", "401", "403", "404", "422"]) }));
}

fn minutes_paths(paths: &mut serde_json::Map<String, Value>, s: &mut Schemas) {
    use super::minutes as m;
    let manage = "the secretariat, or a chair of the meeting's body";
    let body = |schema: Value| json_body(schema);
    let action_schema = s.response::<m::ActionOut>();
    let action = || json_response("The action", action_schema.clone());
    paths.insert("/meetings/{id}/minutes".into(), json!({ "get": {
        "operationId": "getMinutes", "summary": "The minutes' state and the notes the caller may read (drafts only for those who manage the meeting)", "security": [],
        "parameters": [id_param("id")],
        "responses": with_errors(("200", json_response("Minutes", s.response::<m::MinutesOut>())), &["404"]) } }));
    paths.insert("/meetings/{id}/minutes/state".into(), json!({ "put": {
        "operationId": "setMinutesState", "summary": format!("Circulate, approve, or reopen the minutes as a new revision ({manage})"), "parameters": [id_param("id")],
        "requestBody": body(s.body::<m::StateBody>()),
        "responses": with_errors(("200", json_response("Minutes", s.response::<m::MinutesRevisionOut>())), &["400", "401", "403", "404", "422"]) } }));
    paths.insert("/meetings/{id}/items/{item}/note".into(), json!({ "put": {
        "operationId": "saveNote", "summary": format!("Save an item's note from `base_version` (0 for the first); 409 with `current_text` and `current_version` when someone saved in between ({manage})"),
        "parameters": [id_param("id"), id_param("item")],
        "requestBody": body(s.body::<m::NoteBody>()),
        "responses": with_errors(("200", json_response("The note", s.response::<m::NoteOut>())), &["400", "401", "403", "404", "409", "422"]) } }));
    paths.insert("/meetings/{id}/items/{item}/note/revisions".into(), json!({ "get": {
        "operationId": "noteRevisions", "summary": format!("Every revision of an item's note, newest first ({manage})"), "parameters": [id_param("id"), id_param("item")],
        "responses": with_errors(("200", json_response("Revisions", s.response::<Items<m::RevisionOut>>())), &["401", "403", "404"]) } }));
    paths.insert("/meetings/{id}/actions".into(), json!({ "post": {
        "operationId": "addAction", "summary": format!("Record an action item ({manage})"), "parameters": [id_param("id")],
        "requestBody": body(s.body::<m::ActionBody>()),
        "responses": with_errors(("201", action()), &["400", "401", "403", "404", "422"]) } }));
    paths.insert("/actions".into(), json!({ "get": {
        "operationId": "listActions", "summary": "Action items for the dashboard (signed-in accounts)",
        "parameters": [typed_query("owner", json!({ "type": "string", "pattern": "^(secretariat|person:[1-9][0-9]{0,17}|body:[1-9][0-9]{0,17})$" }), "secretariat, person:ID or body:ID"), id_query("body", "Actions of this body's meetings"), id_query("meeting", "Actions of this meeting"),
                       enum_query("status", &plenary_domain::minutes::ActionStatus::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>(), "open, done or dropped"), typed_query("overdue", json!({ "type": "boolean" }), "true: open actions past their due date")],
        "responses": with_errors(("200", json_response("Actions", s.response::<Items<m::ActionOut>>())), &["401", "422"]) } }));
    paths.insert("/actions/{id}/status".into(), json!({ "post": {
        "operationId": "setActionStatus", "summary": format!("Mark done, dropped or open again, optionally in a later meeting with a note ({manage})"), "parameters": [id_param("id")],
        "requestBody": body(s.body::<m::StatusBody>()),
        "responses": with_errors(("200", action()), &["400", "401", "403", "404", "422"]) } }));
    paths.insert("/actions/{id}/follow-ups".into(), json!({ "post": {
        "operationId": "followUpAction", "summary": format!("Record that an action was discussed in a later meeting ({manage})"), "parameters": [id_param("id")],
        "requestBody": body(s.body::<m::FollowUpBody>()),
        "responses": with_errors(("201", action()), &["400", "401", "403", "404", "422"]) } }));
    paths.insert("/meetings/{id}/summary".into(), json!({ "get": {
        "operationId": "meetingSummary", "summary": "The summary document: notes and actions per item, the agenda and the participants", "security": [],
        "parameters": [id_param("id"), enum_query("format", &["md", "txt", "html", "pdf"], "md (default), txt, html or pdf")],
        "responses": with_errors(("200", json!({ "description": "The document", "content": { "text/markdown": { "schema": { "type": "string" } }, "text/plain": { "schema": { "type": "string" } }, "text/html": { "schema": { "type": "string" } }, "application/pdf": { "schema": { "type": "string", "format": "binary" } } } })), &["404", "422"]) } }));
    paths.insert("/meetings/{id}/carry-over".into(), json!({ "post": {
        "operationId": "carryOverActions", "summary": format!("Add \"Review of open actions\" from the body's previous meeting to a day ({manage})"), "parameters": [id_param("id")],
        "requestBody": body(s.body::<m::CarryOverBody>()),
        "responses": with_errors(("200", json_response("How many actions were carried over", s.response::<m::CarriedOver>())), &["400", "401", "403", "404", "409", "422"]) } }));
    paths.insert("/actions/{id}/move".into(), json!({ "post": {
        "operationId": "moveAction", "summary": format!("Move an action to another meeting ({manage})"), "parameters": [id_param("id")],
        "requestBody": body(s.body::<m::MoveBody>()),
        "responses": with_errors(("200", action()), &["400", "401", "403", "404"]) } }));
}

fn import_paths(paths: &mut serde_json::Map<String, Value>, s: &mut Schemas) {
    let document = json!({ "required": true, "description": "The document: UTF-8 text (with or without a byte-order mark), a Word document (.docx) or a PDF with a text layer, recognised by its content; a scan, an encrypted or a damaged file is refused (422, field `file`)",
        "content": { "text/plain": { "schema": { "type": "string" } },
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { "schema": { "type": "string", "format": "binary" } },
                     "application/pdf": { "schema": { "type": "string", "format": "binary" } },
                     "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } });
    let params = json!([
        query_param("file_name", "The document's file name, for the report"),
        query_param(
            "body",
            "Body id or exact name, when the document has no organiser line or names another one"
        )
    ]);
    paths.insert("/imports/preview".into(), json!({
        "post": { "operationId": "previewImport", "summary": "Read a meeting summary or agenda and return what was recognised, with warnings; nothing is stored (secretariat)",
                  "parameters": params.clone(), "requestBody": document.clone(),
                  "responses": with_errors(("200", json_response("The extraction (see IMPORT-JSON)", s.response::<plenary_domain::import::Extraction>())), &["401", "403", "413", "422"]) }
    }));
    paths.insert("/imports".into(), json!({
        "post": { "operationId": "importDocument", "summary": "Store a document's meeting, items, notes, actions, persons and attendance in one transaction; the same document again changes nothing, a corrected one updates its meeting (secretariat)",
                  "parameters": params, "requestBody": document,
                  "responses": with_errors(("201", json_response("Created: the import report", s.response::<super::imports::ReportOut>())), &["401", "403", "413", "422"]) }
    }));
    paths["/imports"]["post"]["responses"]["200"] = json_response(
        "An earlier import of the document updated, or nothing to change: the import report",
        s.response::<super::imports::ReportOut>(),
    );
}

/// The document, built once.
pub fn spec() -> Value {
    static SPEC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        build().unwrap_or_else(|clash| {
            tracing::error!("the OpenAPI document is incomplete: {clash}");
            json!({ "openapi": "3.1.0", "info": { "title": "Plenary API", "version": env!("CARGO_PKG_VERSION") }, "paths": {} })
        })
    })
    .clone()
}

/// The document; an error names a type whose schema differs as read and as written (the
/// document's test fails on it).
fn build() -> Result<Value, String> {
    let mut derived = Schemas::default();
    let s = &mut derived;
    // Every error is a problem document (see `problem_responses`).
    s.response::<crate::error::Problem>();
    let mut doc = core_spec(s);
    if let Some(paths) = doc["paths"].as_object_mut() {
        directory_paths(paths, s);
        meeting_paths(paths, s);
        minutes_paths(paths, s);
        import_paths(paths, s);
        registration::paths(paths, s);
        visa::paths(paths, s);
        calls::paths(paths, s);
        programme::paths(paths, s);
        invitations::paths(paths, s);
        super::mail::openapi_paths(paths, s);
    }
    // Every schema of a body or a response is derived from its type.
    doc["components"]["schemas"] = Value::Object(derived.into_components()?);
    harmonise(&mut doc);
    Ok(doc)
}

/// What every operation shares, added in one place so that no route can forget it:
/// the problems any request can meet (a bad token; a missing record; a body that is not
/// JSON, too large or invalid), request bodies that refuse unknown fields as the server
/// does, and integers within the server's 64-bit range.
fn harmonise(doc: &mut Value) {
    let mut inputs = Vec::new();
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let Some(operations) = item.as_object_mut() else {
                continue;
            };
            for operation in operations.values_mut() {
                if path == "/openapi.json" {
                    continue;
                }
                let secured = operation
                    .get("security")
                    .and_then(Value::as_array)
                    .is_none_or(|s| !s.is_empty());
                let has_body = operation.get("requestBody").is_some();
                let has_query = operation["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
                let mut codes = vec!["401"];
                if secured {
                    codes.push("403");
                }
                if path.contains('{') {
                    codes.push("404");
                }
                if has_body {
                    codes.extend(["400", "413", "415", "422"]);
                }
                if has_query {
                    codes.extend(["400", "422"]);
                }
                let responses = &mut operation["responses"];
                for (code, response) in problem_responses(&codes).as_object().into_iter().flatten()
                {
                    if responses.get(code).is_none() {
                        responses[code] = response.clone();
                    }
                }
                if let Some(schema) =
                    operation.pointer_mut("/requestBody/content/application~1json/schema")
                {
                    match schema["$ref"].as_str() {
                        Some(target) => inputs.push(
                            target
                                .trim_start_matches("#/components/schemas/")
                                .to_owned(),
                        ),
                        None => closed(schema),
                    }
                }
            }
        }
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for name in inputs {
            if let Some(schema) = schemas.get_mut(&name) {
                closed(schema);
            }
        }
    }
    bounded_integers(doc);
}

/// An object schema of a request body: the server refuses fields it does not know, and
/// takes a blank required text (empty or only spaces) for a missing one.
fn closed(schema: &mut Value) {
    let Some(o) = schema.as_object_mut() else {
        return;
    };
    if o.get("type").is_none_or(|t| t != "object") {
        return;
    }
    o.entry("additionalProperties")
        .or_insert(Value::Bool(false));
    let required: Vec<String> = o
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_owned))
        .collect();
    for name in required {
        let Some(property) = o
            .get_mut("properties")
            .and_then(|ps| ps.get_mut(&name))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let plain_text = property.get("type").is_some_and(|t| t == "string")
            && !["enum", "format", "pattern", "$ref"]
                .iter()
                .any(|k| property.contains_key(*k));
        if plain_text {
            property.entry("minLength").or_insert(json!(1));
            property.insert("pattern".into(), json!("\\S"));
        }
    }
}

/// Every `integer` schema within the range the server reads (`i64`).
fn bounded_integers(value: &mut Value) {
    match value {
        Value::Object(o) => {
            let integer = match o.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            if integer {
                o.entry("minimum").or_insert(json!(i64::MIN));
                o.entry("maximum").or_insert(json!(i64::MAX));
            }
            o.values_mut().for_each(bounded_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(bounded_integers),
        _ => {}
    }
}

fn core_spec(s: &mut Schemas) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Plenary API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "JSON API of Plenary. Authenticate with a personal API token: `Authorization: Bearer plenary_…`. Errors are RFC 9457 problem documents."
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/openapi.json": { "get": {
                "operationId": "openapi", "summary": "This document", "security": [],
                "responses": { "200": json_response("The OpenAPI document", json!({ "type": "object" })) }
            }},
            "/me": { "get": {
                "operationId": "me", "summary": "The account of the token",
                "responses": with_errors(("200", json_response("The account", s.response::<super::UserOut>())), &["401"])
            }},
            "/me/profile": {
                "get": {
                    "operationId": "myProfile", "summary": "Your profile",
                    "responses": with_errors(("200", json_response("The profile", s.response::<super::me::ProfileOut>())), &["401"])
                },
                "put": {
                    "operationId": "saveMyProfile", "summary": "Save your profile, on your account and on your directory entry",
                    "requestBody": json_body(s.body::<super::me::ProfileBody>()),
                    "responses": with_errors(("200", json_response("The saved profile", s.response::<super::me::ProfileOut>())), &["400", "401", "422"])
                }
            },
            "/me/tokens": {
                "get": {
                    "operationId": "listTokens", "summary": "Your API tokens",
                    "responses": with_errors(("200", json_response("Tokens", s.response::<Items<super::TokenOut>>())), &["401"])
                },
                "post": {
                    "operationId": "createToken", "summary": "Create an API token; the secret is returned once",
                    "requestBody": json_body(s.body::<super::tokens::NewToken>()),
                    "responses": with_errors(("201", json_response("The new token with its `secret`", s.response::<super::tokens::CreatedToken>())), &["400", "401", "422"])
                }
            },
            "/me/tokens/{id}": { "delete": {
                "operationId": "revokeToken", "summary": "Revoke one of your tokens",
                "parameters": [id_param("id")],
                "responses": with_errors(("204", json!({ "description": "Revoked" })), &["401", "404"])
            }},
            "/users": {
                "get": {
                    "operationId": "listUsers", "summary": "Accounts (secretariat)",
                    "parameters": [query_param("search", "Part of a name or e-mail address"), page_param()],
                    "responses": with_errors(("200", json_response("A page of accounts", s.response::<Page<super::UserOut>>())), &["401", "403", "422"])
                },
                "post": {
                    "operationId": "createUser", "summary": "Create an account (secretariat)",
                    "requestBody": json_body(s.body::<super::users::NewUserBody>()),
                    "responses": with_errors(("201", json_response("The account", s.response::<super::UserOut>())), &["400", "401", "403", "422"])
                }
            },
            "/users/{id}": {
                "get": {
                    "operationId": "getUser", "summary": "One account (secretariat)",
                    "parameters": [id_param("id")],
                    "responses": with_errors(("200", json_response("The account", s.response::<super::UserOut>())), &["401", "403", "404"])
                },
                "patch": {
                    "operationId": "updateUser", "summary": "Disable or enable an account (secretariat)",
                    "parameters": [id_param("id")],
                    "requestBody": json_body(s.body::<super::users::UpdateBody>()),
                    "responses": with_errors(("200", json_response("The account", s.response::<super::UserOut>())), &["400", "401", "403", "404", "409"])
                }
            },
            "/users/{id}/grants": { "post": {
                "operationId": "addGrant", "summary": "Grant a role (secretariat)",
                "parameters": [id_param("id")],
                "requestBody": json_body(s.body::<super::users::GrantBody>()),
                "responses": with_errors(("200", json_response("The account", s.response::<super::UserOut>())), &["400", "401", "403", "404", "422"])
            }},
            "/users/{id}/grants/{role}/{scope}": { "delete": {
                "operationId": "removeGrant", "summary": "Remove a role (secretariat)",
                "parameters": [id_param("id"),
                    { "name": "role", "in": "path", "required": true, "schema": s.body::<names::Role>() },
                    { "name": "scope", "in": "path", "required": true, "schema": s.body::<schema::Scope>() }],
                "responses": with_errors(("200", json_response("The account", s.response::<super::UserOut>())), &["401", "403", "404", "409", "422"])
            }},
            "/audit": { "get": {
                "operationId": "auditLog", "summary": "The audit log, newest first (secretariat)",
                "parameters": [query_param("action", "Action name prefix, e.g. `session.`"), id_query("actor", "Actor account id"),
                    query_param("target_kind", "Record kind"), query_param("target_id", "Record id"), id_query("before", "Only entries older than this id"),
                    query_param("sessions", "`true` to list sign-ins and sign-outs (session.*) too; they are left out unless asked for or named by `action`")],
                "responses": with_errors(("200", json_response("Entries", s.response::<super::audit::AuditPage>())), &["401", "403", "422"])
            }}
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {}
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_type_reads_as_it_is_written() {
        super::build().expect("one schema per name");
    }
}
