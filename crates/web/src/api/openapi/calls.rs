//! The OpenAPI paths and schemas of calls, submissions and committee review
//! (`api::calls`).

use super::{id_param, json_body, json_response, reference, with_errors};
use plenary_domain::call_form::QuestionKind;
use plenary_domain::calls::{CallKind, Decision, SubmissionStatus};
use plenary_domain::review::Bid;
use serde_json::{Value, json};

fn key_param() -> Value {
    json!({ "name": "key", "in": "path", "required": true, "schema": { "type": "string" },
        "description": "The key of a file question of the call's form" })
}

pub(super) fn paths(
    paths: &mut serde_json::Map<String, Value>,
    _s: &mut crate::api::schema::Schemas,
) {
    let manage = "secretariat";
    let private = "responses are `Cache-Control: no-store`";
    let obj = |props: Value| json!({ "type": "object", "properties": props });
    let list_of =
        |schema: &str| obj(json!({ "items": { "type": "array", "items": reference(schema) } }));
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
    let user = || id_param("user");
    let submission = || {
        json_response(
            "The submission as the caller may see it",
            reference("Submission"),
        )
    };
    let deleted = || ("204", json!({ "description": "Deleted" }));

    paths.insert("/calls".into(), json!({
        "get": public(op("listCalls", "Every call for submissions (public: calls are announcements)".into(), json!([]), None,
            ("200", json_response("Calls", list_of("Call"))), &[])),
        "post": op("createCall", format!("Create a call ({manage})"), json!([]), Some(reference("CallInput")),
            ("201", json_response("The call with its settings and form", reference("CallDetail"))), &["400", "401", "403", "422"])
    }));
    paths.insert("/calls/{id}".into(), json!({
        "get": public(op("getCall", format!("A call with its form (public); with a token also whether the caller may start a submission, theirs, and whether they review for it ({private} then)"),
            json!([e()]), None, ("200", json_response("The call", reference("CallPage"))), &["401", "404"])),
        "put": op("replaceCall", format!("Change a call ({manage})"), json!([e()]), Some(reference("CallInput")),
            ("200", json_response("The call", reference("CallDetail"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/calls/{id}/questions".into(), json!({
        "post": op("addCallQuestion", format!("Add a question to the call's form, file uploads (size and type limits) and person lists included ({manage})"),
            json!([e()]), Some(reference("CallQuestionInput")), ("201", json_response("The question", reference("CallQuestion"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/calls/{id}/questions/{question}".into(), json!({
        "delete": op("deleteCallQuestion", format!("Remove a question; answers already given stay ({manage})"), json!([e(), id_param("question")]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert("/calls/{id}/submissions".into(), json!({
        "post": op("createSubmission", format!("Start a draft while the call is open (any account meeting the call's prerequisite; the caller is its proposer); a draft may be incomplete, never wrong ({private})"),
            json!([e()]), Some(reference("SubmissionInput")), ("201", submission()), &["400", "401", "404", "422"])
    }));
    paths.insert("/me/submissions".into(), json!({
        "get": op("mySubmissions", format!("The caller's submissions (as proposer or co-proposer), newest first ({private})"), json!([]), None,
            ("200", json_response("Submissions", list_of("MySubmission"))), &["401"])
    }));
    paths.insert("/submissions/{id}".into(), json!({
        "get": op("getSubmission", format!("A submission: its proposers, the secretariat, its assigned reviewers and (once sent) the call's pool members see it, others get 404. Reviews are shown by the visibility rules: to the secretariat with `reviewer_id`; to a reviewer once theirs is in and to proposers once decided, labelled \"Reviewer N\" without any name, address or id ({private})"),
            json!([e()]), None, ("200", submission()), &["401", "404"]),
        "put": op("replaceSubmission", format!("Replace the content (its proposers, while the call allows changes; a sent one must stay complete). With `version`, a co-proposer's newer save is a 409 ({private})"),
            json!([e()]), Some(reference("SubmissionInput")), ("200", submission()), &["400", "401", "404", "409", "422"])
    }));
    paths.insert("/submissions/{id}/submit".into(), json!({
        "post": op("submitSubmission", format!("Send a draft (within the call's window, the limit per person and the prerequisite: a 422 naming `call` otherwise; incomplete answers name `answers`), or send again after the committee asked for changes ({private})"),
            json!([e()]), None, ("200", submission()), &["401", "404", "409", "422"])
    }));
    paths.insert("/submissions/{id}/withdraw".into(), json!({
        "post": op("withdrawSubmission", format!("Withdraw (its proposers; not once decided) ({private})"), json!([e()]), None,
            ("200", submission()), &["401", "404", "409"])
    }));
    paths.insert("/submissions/{id}/co-proposers".into(), json!({
        "post": op("addCoProposer", format!("Add a co-proposer by the e-mail address of their account; they may then edit ({private})"), json!([e()]),
            Some(json!({ "type": "object", "required": ["email"], "additionalProperties": false, "properties": { "email": { "type": "string" } } })),
            ("201", submission()), &["400", "401", "404", "422"])
    }));
    paths.insert("/submissions/{id}/co-proposers/{user}".into(), json!({
        "delete": op("removeCoProposer", "Remove a co-proposer (any proposer)".into(), json!([e(), user()]), None, deleted(), &["401", "404"])
    }));
    paths.insert("/submissions/{id}/files/{key}".into(), json!({
        "put": {
            "operationId": "putSubmissionFile",
            "summary": format!("Attach or replace the file answering a file question: the body is the file, `filename` its name. Its type (by extension, and for PDF, images and office files by content) and size are checked: a 422 naming `file` otherwise ({private})"),
            "parameters": [e(), key_param(), { "name": "filename", "in": "query", "required": true, "schema": { "type": "string" } }],
            "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
            "responses": with_errors(("200", submission()), &["401", "404", "409", "422"])
        },
        "get": op("getSubmissionFile", format!("A file of a submission, for those who may see it ({private})"), json!([e(), key_param()]), None,
            ("200", json!({ "description": "The file, as an attachment", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } })),
            &["401", "404"])
    }));
    paths.insert("/calls/{id}/reviewers".into(), json!({
        "get": op("listCallReviewers", format!("The call's reviewer pool ({manage}; {private})"), json!([e()]), None,
            ("200", json_response("The pool", list_of("CallReviewer"))), &["401", "403", "404"]),
        "post": op("addCallReviewer", format!("Add an account to the pool by its e-mail address, or change its load and expertise ({manage}; {private})"), json!([e()]),
            Some(reference("CallReviewerInput")), ("201", json_response("The pool member", reference("CallReviewer"))), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/calls/{id}/reviewers/{user}".into(), json!({
        "delete": op("removeCallReviewer", format!("Remove a pool member with their open assignments ({manage})"), json!([e(), user()]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert("/calls/{id}/bids".into(), json!({
        "get": op("listBiddable", format!("The sent submissions of a call for the caller (a pool member) to bid on, with their bid and any conflict ({private})"), json!([e()]), None,
            ("200", json_response("Submissions", list_of("Biddable"))), &["401", "404"])
    }));
    let mut bids: Vec<Value> = Bid::ALL.iter().map(|b| json!(b.as_str())).collect();
    bids.push(Value::Null);
    paths.insert("/submissions/{id}/bid".into(), json!({
        "put": op("bid", "A pool member's bid on a sent submission (`null` clears it)".into(), json!([e()]),
            Some(json!({ "type": "object", "additionalProperties": false, "properties": { "bid": { "type": ["string", "null"], "enum": bids } } })),
            ("200", json_response("The bid", obj(json!({ "submission_id": { "type": "integer" }, "bid": { "type": ["string", "null"] } })))), &["400", "401", "404", "422"])
    }));
    paths.insert("/submissions/{id}/conflicts".into(), json!({
        "post": op("declareConflict", "Declare a conflict of interest: a pool member for themselves, or the secretariat for `user_id`; an open assignment of the pair is removed".into(), json!([e()]),
            Some(json!({ "type": "object", "required": ["reason"], "additionalProperties": false, "properties": { "reason": { "type": "string", "maxLength": 500 }, "user_id": { "type": "integer" } } })),
            ("201", json_response("The conflict", obj(json!({ "submission_id": { "type": "integer" }, "user_id": { "type": "integer" }, "reason": { "type": "string" } })))),
            &["400", "401", "403", "404", "409", "422"])
    }));
    paths.insert("/calls/{id}/assignment".into(), json!({
        "post": op("runAssignment", format!("Run the optimal assignment: every sent submission gets the call's number of reviewers within their loads, never across a conflict, maximising affinity (expertise, bids) minus the stakeholder-balance penalty; reviews written and pairs placed by hand are kept. When no assignment exists nothing changes and a 422 naming `assignment` says which submissions cannot be served ({manage})"),
            json!([e()]), None, ("200", json_response("What the run did", reference("AssignmentReport"))), &["401", "403", "404", "422"])
    }));
    paths.insert("/submissions/{id}/reviewers".into(), json!({
        "post": op("assignReviewer", format!("Assign a pool member by hand; a conflict or a full load is a 422 naming `reviewer` ({manage})"), json!([e()]),
            Some(json!({ "type": "object", "required": ["user_id"], "additionalProperties": false, "properties": { "user_id": { "type": "integer" } } })),
            ("201", json_response("The assignment", obj(json!({ "submission_id": { "type": "integer" }, "user_id": { "type": "integer" }, "source": { "type": "string" } })))),
            &["400", "401", "403", "404", "409", "422"])
    }));
    paths.insert("/submissions/{id}/reviewers/{user}".into(), json!({
        "delete": op("unassignReviewer", format!("Remove an assignment (a written review stays) ({manage})"), json!([e(), user()]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert("/me/assignments".into(), json!({
        "get": op("myAssignments", format!("The submissions assigned to the caller for review ({private})"), json!([]), None,
            ("200", json_response("Assignments", list_of("Assigned"))), &["401"])
    }));
    paths.insert("/submissions/{id}/review".into(), json!({
        "put": op("saveReview", format!("Write or change the caller's review (an assigned reviewer; until the decision): a score for every criterion on the call's scale, a 422 naming `scores` otherwise ({private})"),
            json!([e()]), Some(reference("ReviewInput")), ("200", submission()), &["400", "401", "404", "409", "422"])
    }));
    paths.insert("/calls/{id}/committee".into(), json!({
        "get": op("committee", format!("The committee's table: every sent submission, best normalised score first, with its reviewers, scores per criterion, conflicts and the balance of the accepted set ({manage}; {private})"),
            json!([e()]), None, ("200", json_response("The table", reference("Committee"))), &["401", "403", "404"])
    }));
    paths.insert("/submissions/{id}/decision".into(), json!({
        "post": op("decide", format!("Decide: accept, reject, merge into another submission (its proposers join it), or request changes (with a reason); the proposers are e-mailed ({manage}; {private})"),
            json!([e()]), Some(reference("DecisionInput")), ("200", submission()), &["400", "401", "403", "404", "409", "422"])
    }));
    paths.insert("/calls/{id}/publish".into(), json!({
        "post": op("publishSelection", format!("Publish (or withdraw) the list of accepted submissions ({manage})"), json!([e()]),
            Some(json!({ "type": "object", "required": ["published"], "additionalProperties": false, "properties": { "published": { "type": "boolean" } } })),
            ("200", json_response("Whether it is published", obj(json!({ "call_id": { "type": "integer" }, "published": { "type": "boolean" } })))), &["400", "401", "403", "404"])
    }));
    paths.insert("/calls/{id}/selected".into(), json!({
        "get": public(op("selectedSubmissions", "The accepted submissions as published: titles, descriptions and speakers, no accounts (public once published, 404 before; the secretariat may preview)".into(),
            json!([e()]), None, ("200", json_response("The selection", obj(json!({ "call": reference("Call"), "items": { "type": "array", "items": reference("Selected") } })))), &["404"]))
    }));
    paths.insert("/calls/{id}/balance".into(), json!({
        "get": op("callBalance", format!("The balance of the accepted set: stakeholder groups, regions, genders, session types, themes, first-time proposers ({manage})"),
            json!([e()]), None, ("200", json_response("The balance", reference("Balance"))), &["401", "403", "404"])
    }));
}

pub(super) fn schemas() -> Value {
    let text = json!({ "type": "string" });
    let int = json!({ "type": "integer" });
    let time = json!({ "type": "string", "format": "date-time" });
    let maybe_time = json!({ "type": ["string", "null"], "format": "date-time" });
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let labelled = json!({ "type": "object", "description": "An instant in UTC and in the call's zone", "properties": {
        "utc": time, "local": text, "offset": text, "zone": text, "text": text } });
    let kinds: Vec<&str> = CallKind::ALL.iter().map(|k| k.as_str()).collect();
    let question_kinds: Vec<&str> = QuestionKind::ALL.iter().map(|k| k.as_str()).collect();
    let statuses: Vec<&str> = SubmissionStatus::ALL.iter().map(|s| s.as_str()).collect();
    let decisions: Vec<&str> = Decision::ALL.iter().map(|d| d.as_str()).collect();
    let call = json!({
        "id": int, "kind": { "type": "string", "enum": kinds }, "title": text, "description": text, "time_zone": text,
        "opens_at": labelled, "closes_at": labelled, "open": { "type": "boolean" },
        "published": { "type": "boolean", "description": "Whether the selection is public" } });
    let summary = json!({
        "id": int, "call_id": int, "status": { "type": "string", "enum": statuses }, "title": text,
        "session_type": { "type": ["string", "null"] }, "theme": { "type": ["string", "null"] },
        "first_time": { "type": "boolean", "description": "No proposer had a submission accepted in this call before" },
        "submitted_at": maybe_time, "updated_at": time });
    let line = json!({ "type": "array", "items": { "type": "object", "properties": {
        "label": text, "count": int, "percent": { "type": "number" } } } });
    let review = json!({ "type": "object", "required": ["label", "scores", "comment", "submitted_at"], "properties": {
        "label": { "type": "string", "description": "The reviewer's name for the secretariat; \"Reviewer N\" or \"Your review\" for others" },
        "reviewer_id": { "type": "integer", "description": "The secretariat's view only" },
        "scores": { "type": "object", "additionalProperties": { "type": "integer" } },
        "comment": text, "submitted_at": time } });
    let speaker = json!({ "type": "object", "properties": {
        "name": text, "organization": text, "stakeholder_group": text, "country": { "type": "string", "description": "ISO 3166-1 alpha-2 code" },
        "gender": { "type": "string", "description": "Self-described, optional" }, "organizer": { "type": "boolean" } } });
    let proposal = json!({ "type": "object", "description": "A session proposal as typed (session-proposal calls)", "properties": {
        "title": text, "session_type": text, "theme": text, "sub_theme": text, "format": text,
        "description": text, "policy_questions": { "type": "string", "description": "One per line" },
        "speakers": { "type": "array", "items": speaker } } });
    json!({
        "Call": { "type": "object", "properties": call },
        "CallQuestion": { "type": "object", "properties": {
            "id": int, "key": text, "label": text, "kind": { "type": "string", "enum": question_kinds }, "required": { "type": "boolean" },
            "options": strings, "max_kb": { "type": ["integer", "null"] }, "file_types": strings } },
        "CallDetail": { "allOf": [reference("Call"), { "type": "object", "properties": {
            "max_per_person": { "type": ["integer", "null"] }, "editable_until_close": { "type": "boolean" }, "themes": strings,
            "prerequisite": { "type": ["string", "null"], "description": "`registration:EVENT` or `accepted:CALL`" },
            "country_groups": strings, "reviewers_per_submission": int, "criteria": strings,
            "scale": { "type": "object", "properties": { "min": int, "max": int } }, "balance_penalty": { "type": "number" },
            "questions": { "type": "array", "items": reference("CallQuestion") } } }] },
        "CallPage": { "allOf": [reference("CallDetail"), { "type": "object", "properties": {
            "may_start": { "type": "boolean" }, "why_not": { "type": ["string", "null"] },
            "mine": { "type": "array", "items": reference("SubmissionSummary") }, "reviewer": { "type": "boolean" } } }] },
        "CallInput": { "type": "object", "additionalProperties": false, "required": ["kind", "title", "time_zone", "opens_at", "closes_at"], "properties": {
            "kind": { "type": "string", "enum": kinds }, "title": text, "description": text, "time_zone": text,
            "opens_at": { "type": "string", "description": "Local date-time in the call's zone: 2026-06-22T09:00" },
            "closes_at": { "type": "string", "description": "Local date-time in the call's zone" },
            "max_per_person": { "type": ["integer", "null"] }, "editable_until_close": { "type": "boolean" }, "themes": strings,
            "prerequisite": { "type": ["string", "null"], "description": "`none`, `registration:EVENT` or `accepted:CALL`" },
            "country_groups": { "type": "array", "items": { "type": "string", "enum": ["ldc", "lldc", "sids"] } },
            "reviewers_per_submission": { "type": ["integer", "null"], "description": "Default 3" },
            "criteria": { "type": "array", "items": { "type": "string" }, "description": "Default Relevance and Quality" },
            "scale_min": { "type": ["integer", "null"] }, "scale_max": { "type": ["integer", "null"] },
            "balance_penalty": { "type": ["number", "null"], "description": "Affinity points a second reviewer of one stakeholder group on a submission costs (default 0.5)" } } },
        "CallQuestionInput": { "type": "object", "additionalProperties": false, "required": ["key", "label", "kind"], "properties": {
            "key": text, "label": text, "kind": { "type": "string", "enum": question_kinds }, "required": { "type": "boolean" },
            "options": strings, "max_kb": { "type": ["integer", "null"] }, "file_types": strings } },
        "SubmissionSummary": { "type": "object", "properties": summary },
        "SubmissionInput": { "type": "object", "additionalProperties": false, "properties": {
            "title": { "type": "string", "description": "Calls other than session proposals" },
            "proposal": proposal,
            "answers": { "type": "object", "description": "Question key → a string, a list of strings, a number or a boolean" },
            "version": { "type": ["integer", "null"], "description": "The version the change is based on" } } },
        "Review": review,
        "Submission": { "allOf": [reference("SubmissionSummary"), { "type": "object", "properties": {
            "call": { "type": "object", "properties": { "id": int, "title": text, "kind": text } },
            "proposal": { "oneOf": [proposal, { "type": "null" }] },
            "answers": { "type": "object", "additionalProperties": strings },
            "created_at": time, "version": int,
            "merged_into": { "type": ["object", "null"], "properties": { "id": int, "title": text } },
            "decided_at": maybe_time,
            "decision_reason": { "type": "string", "description": "Proposers and the secretariat" },
            "decided_by": { "type": ["string", "null"], "description": "The secretariat's view only" },
            "people": { "type": "array", "items": { "type": "object", "properties": {
                "display_name": text, "role": text,
                "user_id": { "type": "integer", "description": "Proposers and the secretariat" },
                "email": { "type": "string", "description": "Proposers and the secretariat" } } } },
            "files": { "type": "array", "items": { "type": "object", "properties": {
                "question_key": text, "filename": text, "content_type": text, "size": int, "sha256": text } } },
            "standing": { "type": "string", "enum": ["manager", "proposer", "reviewer", "pool_member"] },
            "may_edit": { "type": "boolean" }, "why_not_edit": { "type": ["string", "null"] },
            "may_submit": { "type": "boolean" }, "why_not_submit": { "type": ["string", "null"] },
            "reviews": { "type": "array", "items": reference("Review") },
            "review_count": int,
            "my_review": { "oneOf": [reference("Review"), { "type": "null" }] } } }] },
        "MySubmission": { "allOf": [reference("SubmissionSummary"), { "type": "object", "properties": {
            "call": { "type": "object", "properties": { "id": int, "title": text, "kind": text } },
            "role": { "type": "string", "enum": ["proposer", "co_proposer"] } } }] },
        "CallReviewer": { "type": "object", "properties": {
            "user_id": int, "email": text, "display_name": text, "max_load": int, "organization": text,
            "stakeholder_group": { "type": ["string", "null"] }, "expertise": strings } },
        "CallReviewerInput": { "type": "object", "additionalProperties": false, "required": ["email"], "properties": {
            "email": text, "max_load": { "type": ["integer", "null"], "description": "Default 10" }, "organization": text,
            "stakeholder_group": text, "expertise": { "type": "array", "items": { "type": "string" }, "description": "Themes of the call" } } },
        "Biddable": { "allOf": [reference("SubmissionSummary"), { "type": "object", "properties": {
            "bid": { "type": ["string", "null"] }, "conflict": { "type": ["string", "null"] } } }] },
        "Assigned": { "allOf": [reference("SubmissionSummary"), { "type": "object", "properties": {
            "call_title": text, "reviewed": { "type": "boolean" } } }] },
        "ReviewInput": { "type": "object", "additionalProperties": false, "required": ["scores"], "properties": {
            "scores": { "type": "object", "description": "Criterion → whole number on the call's scale", "additionalProperties": { "type": "integer" } },
            "comment": { "type": "string", "maxLength": 6000 } } },
        "AssignmentReport": { "type": "object", "properties": {
            "submissions": int, "reviewers": int, "kept": { "type": "integer", "description": "Pairs kept (reviewed, or placed by hand)" },
            "added": { "type": "integer", "description": "Pairs the solver added" }, "total_affinity": { "type": "number" },
            "excess": { "type": "integer", "description": "Second reviewers of one stakeholder group on a submission" },
            "objective": { "type": "number" }, "summary": text } },
        "Committee": { "type": "object", "properties": {
            "call": reference("Call"),
            "items": { "type": "array", "items": { "allOf": [reference("SubmissionSummary"), { "type": "object", "properties": {
                "assigned": { "type": "array", "items": { "type": "object", "properties": { "user_id": int, "name": text } } },
                "reviews": int, "mean": { "type": ["number", "null"] },
                "normalised": { "type": ["number", "null"], "description": "Mean z-score of its reviews (each reviewer's scores standardised)" },
                "criteria": { "type": "object", "additionalProperties": { "type": "number" } } } }] } },
            "reviewers": { "type": "array", "items": reference("CallReviewer") },
            "conflicts": { "type": "array", "items": { "type": "object", "properties": { "submission_id": int, "user_id": int, "reason": text } } },
            "balance": reference("Balance") } },
        "DecisionInput": { "type": "object", "additionalProperties": false, "required": ["decision"], "properties": {
            "decision": { "type": "string", "enum": decisions },
            "reason": { "type": "string", "maxLength": 4000, "description": "To the proposers; required to request changes" },
            "merge_into": { "type": ["integer", "null"], "description": "For a merge: the submission this one joins" } } },
        "Selected": { "type": "object", "properties": {
            "id": int, "title": text, "session_type": { "type": ["string", "null"] }, "theme": { "type": ["string", "null"] },
            "format": { "type": ["string", "null"] }, "description": { "type": ["string", "null"] },
            "speakers": { "type": "array", "items": { "type": "object", "properties": { "name": text, "organization": text, "country": text } } } } },
        "Balance": { "type": "object", "properties": {
            "sessions": int, "speakers": int, "first_time_sessions": int,
            "stakeholder_groups": line, "regions": line, "genders": line, "session_types": line, "themes": line } }
    })
}
