//! The OpenAPI paths and schemas of an event's programme and its scheduler
//! (`api::programme`).

use super::{id_param, json_body, json_response, with_errors};
use crate::api::programme as p;
use crate::api::schema::{Items, Schemas};
use serde_json::{Value, json};

pub(super) fn paths(paths: &mut serde_json::Map<String, Value>, s: &mut Schemas) {
    let manage = "secretariat";
    let private = "responses are `Cache-Control: no-store`";
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
    let room = s.response::<p::RoomOut>();
    let room_input = s.body::<p::RoomBody>();
    let session_out = s.response::<p::SessionOut>();
    let session_input = s.body::<p::SessionBody>();
    let from_call = s.response::<p::FromCallOut>();

    paths.insert(base.into(), json!({
        "get": op("getProgramme", format!("The programme: rooms, timeslots (UTC and the event's local time), sessions with their people and placement, people's unavailability, the conflicts of the current placement, the scheduler's weights and whether it is published ({manage}; {private})"),
            json!([e()]), None, ("200", json_response("The programme", s.response::<p::ProgrammeOut>())), &["401", "403", "404"])
    }));
    let mut public = op("getPublicProgramme", "The published programme, as its newest release keeps it (edits on the board show only once released): rooms, timeslots and the placed sessions with their people; no unavailability or conflicts (public once published, 404 before; the secretariat may preview the working version then)".into(),
        json!([e()]), None, ("200", json_response("The public programme", s.response::<p::PublicProgrammeOut>())), &["404"]);
    public["security"] = json!([]);
    paths.insert(format!("{base}/public"), json!({ "get": public }));
    paths.insert(format!("{base}/rooms"), json!({
        "post": op("addProgrammeRoom", format!("Add a room: a unique name, a capacity of at least one seat, hybrid equipment ({manage})"),
            json!([e()]), Some(room_input.clone()), ("201", json_response("The room", room.clone())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/rooms/{{room}}"), json!({
        "put": op("replaceProgrammeRoom", format!("Change a room ({manage})"), json!([e(), id_param("room")]), Some(room_input.clone()),
            ("200", json_response("The room", room.clone())), &["400", "401", "403", "404", "422"]),
        "delete": op("deleteProgrammeRoom", format!("Delete a room; its sessions become unplaced ({manage})"), json!([e(), id_param("room")]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/timeslots"), json!({
        "post": op("addProgrammeTimeslots", format!("Add one timeslot per date and time (local, in the event's zone), each `minutes` long; existing ones are skipped ({manage})"),
            json!([e()]), Some(s.body::<p::TimeslotBody>()),
            ("201", json_response("The new timeslots", s.response::<Items<p::TimeslotOut>>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/timeslots/{{timeslot}}"), json!({
        "delete": op("deleteProgrammeTimeslot", format!("Delete a timeslot; its sessions become unplaced ({manage})"), json!([e(), id_param("timeslot")]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/sessions"), json!({
        "post": op("createProgrammeSession", format!("Add a session with its people; a person listed twice or an unknown time zone is a 422 naming `people` ({manage}; {private})"),
            json!([e()]), Some(session_input.clone()), ("201", json_response("The session", session_out.clone())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/sessions/{{session}}"), json!({
        "put": op("replaceProgrammeSession", format!("Replace a session at the `version` read (409 when someone changed it meanwhile) ({manage}; {private})"),
            json!([e(), session()]), Some(session_input.clone()), ("200", json_response("The session", session_out.clone())), &["400", "401", "403", "404", "409", "422"]),
        "delete": op("deleteProgrammeSession", format!("Delete a session ({manage})"), json!([e(), session()]), None, deleted(), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/sessions/{{session}}/placement"), json!({
        "post": op("placeProgrammeSession", format!("Place a session in a room and timeslot by hand, or take it out (`null`, or neither id). A move that breaks a hard rule (room too small, too short, not hybrid, a person in two places, main sessions in parallel, someone unavailable) is a 422 naming `slot` with each reason, unless `override`: then it is kept and listed as a conflict until moved. A room already taken at that time is always refused ({manage}; {private})"),
            json!([e(), session()]), Some(s.body::<Option<p::PlacementBody>>()),
            ("200", json_response("The session and the programme's conflicts", s.response::<p::PlacedOut>())),
            &["400", "401", "403", "404", "422"])
    }));
    let pinned_schema = s.response::<p::PinnedOut>();
    let pinned = || {
        (
            "200",
            json_response("Whether it is pinned", pinned_schema.clone()),
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
            json!([e()]), Some(s.body::<p::FromCallBody>()),
            ("201", json_response("How many were added", from_call.clone())), &["400", "401", "403", "404", "422"])
    }));
    paths[&format!("{base}/from-call")]["post"]["responses"]["200"] =
        json_response("None was added", from_call);
    paths.insert(format!("{base}/unavailability"), json!({
        "post": op("addUnavailability", format!("Record that a person (by the name listed in sessions; case and accents aside) is unavailable from one local date-time to another ({manage}; {private})"),
            json!([e()]), Some(s.body::<p::UnavailabilityBody>()), ("201", json_response("The entry", s.response::<p::UnavailabilityOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/unavailability/{{item}}"), json!({
        "delete": op("deleteUnavailability", format!("Delete an unavailability ({manage})"), json!([e(), id_param("item")]), None, deleted(), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/weights"), json!({
        "put": op("setScheduleWeights", format!("Set the scheduler's weights; an absent one takes its default ({manage})"),
            json!([e()]), Some(s.body::<p::WeightsBody>()), ("200", json_response("The weights", s.response::<p::WeightsOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/schedule"), json!({
        "post": op("runScheduler", format!("Place every session: pinned ones stay, the others move as little as possible, every hard rule is kept and the soft goals minimised with the event's weights. When no timetable keeps the hard rules nothing changes and the 422's errors name `schedule`, each explaining a conflict with the sessions and people concerned ({manage})"),
            json!([e()]), Some(s.body::<p::ScheduleBody>()),
            ("200", json_response("What the run did", s.response::<p::ReportOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/releases"), json!({
        "get": op("listProgrammeReleases", format!("The releases of the programme, newest first: version, change log, author, when, and the sessions added, moved, removed and retitled against the release before ({manage}; {private})"),
            json!([e()]), None, ("200", json_response("The releases", s.response::<Items<p::ReleaseOut>>())), &["401", "403", "404"]),
        "post": op("publishProgrammeRelease", format!("Publish the working version as a new release: the public (pages, exports, `/public`) sees it from now on. `version` is required and unique in the programme (case and accents aside; the preview suggests the next number); `notify` mails the people of the moved and removed sessions who have an address in the directory, in the same transaction. A 422 names `version` or `comment` ({manage})"),
            json!([e()]), Some(s.body::<p::ReleaseBody>()),
            ("201", json_response("The release and what it changed", s.response::<p::PublishedOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert(format!("{base}/releases/{{number}}"), json!({
        "get": op("getProgrammeRelease", format!("One release as it was: its programme and what it changed against the release before ({manage}; {private})"),
            json!([e(), id_param("number")]), None, ("200", json_response("The release", s.response::<p::ReleaseDetailOut>())), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/release-preview"), json!({
        "get": op("previewProgrammeRelease", format!("What publishing now would change: the sessions added, moved (old and new room and time), removed, retitled or otherwise changed since the newest release, the suggested version name and how many people `notify` would mail ({manage}; {private})"),
            json!([e()]), None, ("200", json_response("The preview", s.response::<p::PreviewOut>())), &["401", "403", "404"])
    }));
    paths.insert(format!("{base}/publish"), json!({
        "post": op("publishProgramme", format!("Publish the working version as a new release named with the next number (`true`), or withdraw the public programme (`false`) ({manage})"), json!([e()]),
            Some(s.body::<p::PublishBody>()),
            ("200", json_response("Whether it is published", s.response::<p::PublicationOut>())), &["400", "401", "403", "404", "422"])
    }));
}
