//! The OpenAPI paths and schemas of an event's programme and its scheduler
//! (`api::programme`).

use super::{id_param, json_body, json_response, reference, with_errors};
use plenary_domain::calls::SessionFormat;
use plenary_domain::programme::{ProgrammeRole, ProgrammeSessionType};
use serde_json::{Value, json};

pub(super) fn paths(
    paths: &mut serde_json::Map<String, Value>,
    _s: &mut crate::api::schema::Schemas,
) {
    let manage = "secretariat";
    let private = "responses are `Cache-Control: no-store`";
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
    let e = || id_param("id");
    let session = || id_param("session");
    let deleted = || ("204", json!({ "description": "Deleted" }));
    let base = "/events/{id}/programme";

    paths.insert(base.into(), json!({
        "get": op("getProgramme", format!("The programme: rooms, timeslots (UTC and the event's local time), sessions with their people and placement, people's unavailability, the conflicts of the current placement, the scheduler's weights and whether it is published ({manage}; {private})"),
            json!([e()]), None, ("200", json_response("The programme", reference("Programme"))), &["401", "403", "404"])
    }));
    let mut public = op("getPublicProgramme", "The published programme: rooms, timeslots and the placed sessions with their people; no unavailability or conflicts (public once published, 404 before; the secretariat may preview)".into(),
        json!([e()]), None, ("200", json_response("The public programme", reference("PublicProgramme"))), &["404"]);
    public["security"] = json!([]);
    paths.insert(format!("{base}/public"), json!({ "get": public }));
    paths.insert(format!("{base}/rooms"), json!({
        "post": op("addProgrammeRoom", format!("Add a room: a unique name, a capacity of at least one seat, hybrid equipment ({manage})"),
            json!([e()]), Some(reference("ProgrammeRoomInput")), ("201", json_response("The room", reference("ProgrammeRoom"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/rooms/{{room}}"), json!({
        "put": op("replaceProgrammeRoom", format!("Change a room ({manage})"), json!([e(), id_param("room")]), Some(reference("ProgrammeRoomInput")),
            ("200", json_response("The room", reference("ProgrammeRoom"))), &["400", "401", "403", "404", "422"]),
        "delete": op("deleteProgrammeRoom", format!("Delete a room; its sessions become unplaced ({manage})"), json!([e(), id_param("room")]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/timeslots"), json!({
        "post": op("addProgrammeTimeslots", format!("Add one timeslot per date and time (local, in the event's zone), each `minutes` long; existing ones are skipped ({manage})"),
            json!([e()]), Some(reference("TimeslotInput")),
            ("201", json_response("The new timeslots", obj(json!({ "items": { "type": "array", "items": reference("Timeslot") } })))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/timeslots/{{timeslot}}"), json!({
        "delete": op("deleteProgrammeTimeslot", format!("Delete a timeslot; its sessions become unplaced ({manage})"), json!([e(), id_param("timeslot")]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/sessions"), json!({
        "post": op("createProgrammeSession", format!("Add a session with its people; a person listed twice or an unknown time zone is a 422 naming `people` ({manage}; {private})"),
            json!([e()]), Some(reference("ProgrammeSessionInput")), ("201", json_response("The session", reference("ProgrammeSession"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/sessions/{{session}}"), json!({
        "put": op("replaceProgrammeSession", format!("Replace a session at the `version` read (409 when someone changed it meanwhile) ({manage}; {private})"),
            json!([e(), session()]), Some(reference("ProgrammeSessionInput")), ("200", json_response("The session", reference("ProgrammeSession"))), &["400", "401", "403", "404", "409", "422"]),
        "delete": op("deleteProgrammeSession", format!("Delete a session ({manage})"), json!([e(), session()]), None, deleted(), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/sessions/{{session}}/placement"), json!({
        "post": op("placeProgrammeSession", format!("Place a session in a room and timeslot by hand, or take it out (`null`, or neither id). A move that breaks a hard rule (room too small, too short, not hybrid, a person in two places, main sessions in parallel, someone unavailable) is a 422 naming `slot` with each reason, unless `override`: then it is kept and listed as a conflict until moved. A room already taken at that time is always refused ({manage}; {private})"),
            json!([e(), session()]), Some(json!({ "oneOf": [reference("PlacementInput"), { "type": "null" }] })),
            ("200", json_response("The session and the programme's conflicts", obj(json!({ "session": reference("ProgrammeSession"), "conflicts": { "type": "array", "items": reference("ProgrammeConflict") } })))),
            &["400", "401", "403", "404", "422"])
    }));
    let pinned = || {
        (
            "200",
            json_response(
                "Whether it is pinned",
                obj(
                    json!({ "session_id": { "type": "integer" }, "pinned": { "type": "boolean" } }),
                ),
            ),
        )
    };
    paths.insert(format!("{base}/sessions/{{session}}/pin"), json!({
        "post": op("pinProgrammeSession", format!("Pin a placed session: the scheduler never moves it (409 for an unplaced one) ({manage})"),
            json!([e(), session()]), None, pinned(), &["401", "403", "404", "409"])
    }));
    paths.insert(format!("{base}/sessions/{{session}}/unpin"), json!({
        "post": op("unpinProgrammeSession", format!("Unpin a session ({manage})"), json!([e(), session()]), None, pinned(), &["401", "403", "404", "409"])
    }));
    paths.insert(format!("{base}/from-call"), json!({
        "post": op("programmeFromCall", format!("Make sessions of the accepted proposals of a call not taken yet: title, type, theme, description, format and speakers from the proposal, 60 minutes and an audience of 50 to adjust. 201 when some were added, 200 when none ({manage})"),
            json!([e()]), Some(json!({ "type": "object", "required": ["call_id"], "additionalProperties": false, "properties": { "call_id": { "type": "integer" } } })),
            ("201", json_response("How many were added", obj(json!({ "call_id": { "type": "integer" }, "added": { "type": "integer" } })))), &["400", "401", "403", "404", "422"])
    }));
    paths[&format!("{base}/from-call")]["post"]["responses"]["200"] = json_response(
        "None was added",
        obj(json!({ "call_id": { "type": "integer" }, "added": { "type": "integer" } })),
    );
    paths.insert(format!("{base}/unavailability"), json!({
        "post": op("addUnavailability", format!("Record that a person (by the name listed in sessions; case and accents aside) is unavailable from one local date-time to another ({manage}; {private})"),
            json!([e()]), Some(reference("UnavailabilityInput")), ("201", json_response("The entry", reference("Unavailability"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/unavailability/{{item}}"), json!({
        "delete": op("deleteUnavailability", format!("Delete an unavailability ({manage})"), json!([e(), id_param("item")]), None, deleted(), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/weights"), json!({
        "put": op("setScheduleWeights", format!("Set the scheduler's weights; an absent one takes its default ({manage})"),
            json!([e()]), Some(reference("ScheduleWeights")), ("200", json_response("The weights", reference("ScheduleWeights"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/schedule"), json!({
        "post": op("runScheduler", format!("Place every session: pinned ones stay, the others move as little as possible, every hard rule is kept and the soft goals minimised with the event's weights. When no timetable keeps the hard rules nothing changes and the 422's errors name `schedule`, each explaining a conflict with the sessions and people concerned ({manage})"),
            json!([e()]), Some(json!({ "type": "object", "additionalProperties": false, "properties": { "seed": { "type": "integer", "minimum": 0, "description": "The search's seed (default 1): the same seed gives the same timetable" } } })),
            ("200", json_response("What the run did", reference("ScheduleReport"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/publish"), json!({
        "post": op("publishProgramme", format!("Publish (or withdraw) the programme ({manage})"), json!([e()]),
            Some(json!({ "type": "object", "required": ["published"], "additionalProperties": false, "properties": { "published": { "type": "boolean" } } })),
            ("200", json_response("Whether it is published", obj(json!({ "event_id": { "type": "integer" }, "published": { "type": "boolean" } })))), &["400", "401", "403", "404", "422"])
    }));
}

pub(super) fn schemas() -> Value {
    let text = json!({ "type": "string" });
    let int = json!({ "type": "integer" });
    let boolean = json!({ "type": "boolean" });
    let time = json!({ "type": "string", "format": "date-time" });
    let labelled = json!({ "type": "object", "description": "An instant in UTC and in the event's zone", "properties": {
        "utc": time, "local": text, "offset": text, "zone": text, "text": text } });
    let types: Vec<&str> = ProgrammeSessionType::ALL
        .iter()
        .map(|t| t.as_str())
        .collect();
    let roles: Vec<&str> = ProgrammeRole::ALL.iter().map(|r| r.as_str()).collect();
    let formats: Vec<&str> = SessionFormat::ALL.iter().map(|f| f.as_str()).collect();
    let event =
        json!({ "type": "object", "properties": { "id": int, "title": text, "time_zone": text } });
    let placement = json!({ "type": ["object", "null"], "description": "Where it is; null while unplaced", "properties": {
        "room_id": int, "room": text, "timeslot_id": int, "starts_at": labelled, "ends_at": labelled } });
    let person = json!({ "type": "object", "properties": {
        "name": text, "role": { "type": "string", "enum": roles }, "online": boolean,
        "time_zone": { "type": ["string", "null"], "description": "IANA zone; null: the event's" } } });
    let rooms = json!({ "type": "array", "items": reference("ProgrammeRoom") });
    let timeslots = json!({ "type": "array", "items": reference("Timeslot") });
    let mut schemas = serde_json::Map::new();
    schemas.insert("ProgrammeRoom".into(), json!({ "type": "object", "properties": { "id": int, "name": text, "capacity": int, "hybrid": boolean } }));
    schemas.insert("ProgrammeRoomInput".into(), json!({ "type": "object", "required": ["name", "capacity"], "additionalProperties": false, "properties": {
            "name": { "type": "string", "maxLength": 100 }, "capacity": { "type": "integer", "minimum": 1 },
            "hybrid": { "type": "boolean", "description": "Equipped for hybrid and online sessions" } } }));
    schemas.insert("Timeslot".into(), json!({ "type": "object", "properties": { "id": int, "starts_at": labelled, "ends_at": labelled, "minutes": int,
            "day": { "type": "string", "format": "date", "description": "The local date" } } }));
    schemas.insert("TimeslotInput".into(), json!({ "type": "object", "required": ["dates", "times"], "additionalProperties": false, "properties": {
            "dates": { "type": "array", "items": { "type": "string", "format": "date" } },
            "times": { "type": "array", "items": { "type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$" } },
            "minutes": { "type": "integer", "minimum": 5, "maximum": 480, "description": "Default 90" } } }));
    schemas.insert("ProgrammeSession".into(), json!({ "type": "object", "properties": {
            "id": int, "title": text, "session_type": { "type": "string", "enum": types }, "theme": text, "description": text,
            "duration": { "type": "integer", "description": "Minutes" }, "expected_audience": int,
            "format": { "type": "string", "enum": formats }, "language": text,
            "submission_id": { "type": ["integer", "null"], "description": "The accepted proposal it was made from" },
            "people": { "type": "array", "items": person }, "placement": placement.clone(),
            "pinned": { "type": "boolean", "description": "The scheduler never moves it" },
            "overridden": { "type": "boolean", "description": "Placed by hand against a hard rule" },
            "created_at": time, "updated_at": time, "version": int } }));
    schemas.insert("ProgrammeSessionInput".into(), json!({ "type": "object", "required": ["title", "session_type", "duration", "expected_audience", "format"], "additionalProperties": false, "properties": {
            "title": { "type": "string", "maxLength": 200 }, "session_type": { "type": "string", "enum": types }, "theme": text, "description": text,
            "duration": { "type": "integer", "minimum": 5, "maximum": 480 }, "expected_audience": { "type": "integer", "minimum": 0 },
            "format": { "type": "string", "enum": formats }, "language": text,
            "people": { "type": "array", "maxItems": 30, "items": { "type": "object", "required": ["name", "role"], "additionalProperties": false, "properties": {
                "name": { "type": "string", "minLength": 1, "pattern": "\\S" }, "role": { "type": "string", "enum": roles }, "online": boolean, "time_zone": { "type": ["string", "null"], "description": "IANA zone; null or absent: the event's" } } } },
            "version": { "type": "integer", "description": "The version read; required to replace" } } }));
    schemas.insert("PlacementInput".into(), json!({ "type": "object", "additionalProperties": false, "properties": {
            "room_id": int, "timeslot_id": int,
            "override": { "type": "boolean", "description": "Keep a placement that breaks a hard rule (listed as a conflict)" } } }));
    schemas.insert(
        "ProgrammeConflict".into(),
        json!({ "type": "object", "properties": {
            "sessions": { "type": "array", "items": int }, "message": text } }),
    );
    schemas.insert("Unavailability".into(), json!({ "type": "object", "properties": { "id": int, "name": text, "from": labelled, "until": labelled } }));
    schemas.insert("UnavailabilityInput".into(), json!({ "type": "object", "required": ["name", "from", "until"], "additionalProperties": false, "properties": {
            "name": text, "from": { "type": "string", "description": "Local date-time in the event's zone: 2026-06-23T08:00" },
            "until": { "type": "string", "description": "Local date-time in the event's zone" } } }));
    schemas.insert("ScheduleWeights".into(), json!({ "type": "object", "additionalProperties": false, "properties": {
            "theme_parallel": { "type": "integer", "minimum": 0, "maximum": 1000, "description": "Per pair of same-theme sessions in one timeslot (default 10)" },
            "theme_same_day": { "type": "integer", "minimum": 0, "maximum": 1000, "description": "Per pair of same-theme sessions on one day (default 1)" },
            "online_hours": { "type": "integer", "minimum": 0, "maximum": 1000, "description": "Per online person outside reasonable local hours (default 5)" },
            "moved": { "type": "integer", "minimum": 0, "maximum": 100000, "description": "Per session a re-run moves (default 1000)" },
            "hours_from": { "type": "integer", "minimum": 0, "maximum": 23, "description": "Reasonable local hours start (default 7)" },
            "hours_until": { "type": "integer", "minimum": 1, "maximum": 24, "description": "and end (default 22)" } } }));
    schemas.insert("ScheduleReport".into(), json!({ "type": "object", "properties": {
            "sessions": int, "placed": int, "moved": int, "pinned": int,
            "theme_pairs": { "type": "integer", "description": "Pairs of same-theme sessions in parallel" },
            "same_day_pairs": { "type": "integer", "description": "Pairs of same-theme sessions on one day" },
            "cost": int, "lower_bound": { "type": "integer", "description": "No timetable costs less" }, "iterations": int } }));
    schemas.insert("Programme".into(), json!({ "type": "object", "properties": {
            "event": event.clone(), "published": boolean, "weights": reference("ScheduleWeights"), "rooms": rooms.clone(), "timeslots": timeslots.clone(),
            "sessions": { "type": "array", "items": reference("ProgrammeSession") },
            "unavailability": { "type": "array", "items": reference("Unavailability") },
            "conflicts": { "type": "array", "items": reference("ProgrammeConflict") } } }));
    schemas.insert("PublicProgramme".into(), json!({ "type": "object", "properties": {
            "event": event, "published": boolean, "rooms": rooms, "timeslots": timeslots,
            "sessions": { "type": "array", "items": { "type": "object", "properties": {
                "id": int, "title": text, "session_type": { "type": "string", "enum": types }, "theme": text, "description": text,
                "duration": int, "format": { "type": "string", "enum": formats }, "language": text,
                "people": { "type": "array", "items": { "type": "object", "properties": { "name": text, "role": { "type": "string", "enum": roles }, "online": boolean } } },
                "placement": placement } } } } }));
    Value::Object(schemas)
}
