//! The OpenAPI paths and schemas of calls, submissions and committee review
//! (`api::calls`).

use super::{Items, id_param, json_body, json_response, with_errors};
use crate::api::calls as api;
use serde_json::{Value, json};

fn key_param() -> Value {
    json!({ "name": "key", "in": "path", "required": true, "schema": { "type": "string" },
        "description": "The key of a file question of the call's form" })
}

pub(super) fn paths(
    paths: &mut serde_json::Map<String, Value>,
    s: &mut crate::api::schema::Schemas,
) {
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
    let public = |mut o: Value| {
        o["security"] = json!([]);
        o
    };
    let e = || id_param("id");
    let user = || id_param("user");
    let submission = json_response(
        "The submission as the caller may see it",
        s.response::<api::SubmissionOut>(),
    );
    let submission = || submission.clone();
    let deleted = || ("204", json!({ "description": "Deleted" }));

    paths.insert("/calls".into(), json!({
        "get": public(op("listCalls", "Every call for submissions (public: calls are announcements)".into(), json!([]), None,
            ("200", json_response("Calls", s.response::<Items<api::CallOut>>())), &[])),
        "post": op("createCall", format!("Create a call ({manage})"), json!([]), Some(s.body::<api::CallBody>()),
            ("201", json_response("The call with its settings and form", s.response::<api::CallDetail>())), &["400", "401", "403", "422"])
    }));
    paths.insert("/calls/{id}".into(), json!({
        "get": public(op("getCall", format!("A call with its form (public); with a token also whether the caller may start a submission, theirs, and whether they review for it ({private} then)"),
            json!([e()]), None, ("200", json_response("The call", s.response::<api::CallPageOut>())), &["401", "404"])),
        "put": op("replaceCall", format!("Change a call ({manage})"), json!([e()]), Some(s.body::<api::CallBody>()),
            ("200", json_response("The call", s.response::<api::CallDetail>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/calls/{id}/questions".into(), json!({
        "post": op("addCallQuestion", format!("Add a question to the call's form, file uploads (size and type limits) and person lists included ({manage})"),
            json!([e()]), Some(s.body::<api::QuestionBody>()), ("201", json_response("The question", s.response::<api::QuestionOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/calls/{id}/questions/{question}".into(), json!({
        "delete": op("deleteCallQuestion", format!("Remove a question; answers already given stay ({manage})"), json!([e(), id_param("question")]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert("/calls/{id}/submissions".into(), json!({
        "post": op("createSubmission", format!("Start a draft while the call is open (any account meeting the call's prerequisite; the caller is its proposer); a draft may be incomplete, never wrong ({private})"),
            json!([e()]), Some(s.body::<api::SubmissionBody>()), ("201", submission()), &["400", "401", "404", "422"])
    }));
    paths.insert("/me/submissions".into(), json!({
        "get": op("mySubmissions", format!("The caller's submissions (as proposer or co-proposer), newest first ({private})"), json!([]), None,
            ("200", json_response("Submissions", s.response::<Items<api::MySubmissionOut>>())), &["401"])
    }));
    paths.insert("/submissions/{id}".into(), json!({
        "get": op("getSubmission", format!("A submission: its proposers, the secretariat, its assigned reviewers and (once sent) the call's pool members see it, others get 404. Reviews are shown by the visibility rules: to the secretariat with `reviewer_id`; to a reviewer once theirs is in and to proposers once decided, labelled \"Reviewer N\" without any name, address or id ({private})"),
            json!([e()]), None, ("200", submission()), &["401", "404"]),
        "put": op("replaceSubmission", format!("Replace the content (its proposers, while the call allows changes; a sent one must stay complete). With `version`, a co-proposer's newer save is a 409 ({private})"),
            json!([e()]), Some(s.body::<api::SubmissionBody>()), ("200", submission()), &["400", "401", "404", "409", "422"])
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
            Some(s.body::<api::EmailBody>()),
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
            ("200", json_response("The pool", s.response::<Items<api::ReviewerOut>>())), &["401", "403", "404"]),
        "post": op("addCallReviewer", format!("Add an account to the pool by its e-mail address, or change its load and expertise ({manage}; {private})"), json!([e()]),
            Some(s.body::<api::ReviewerBody>()), ("201", json_response("The pool member", s.response::<api::ReviewerOut>())), &["400", "401", "403", "404", "422"])
    }));
    paths.insert("/calls/{id}/reviewers/{user}".into(), json!({
        "delete": op("removeCallReviewer", format!("Remove a pool member with their open assignments ({manage})"), json!([e(), user()]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert("/calls/{id}/bids".into(), json!({
        "get": op("listBiddable", format!("The sent submissions of a call for the caller (a pool member) to bid on, with their bid and any conflict ({private})"), json!([e()]), None,
            ("200", json_response("Submissions", s.response::<Items<api::BiddableOut>>())), &["401", "404"])
    }));
    paths.insert("/submissions/{id}/bid".into(), json!({
        "put": op("bid", "A pool member's bid on a sent submission (`null` clears it)".into(), json!([e()]),
            Some(s.body::<api::BidBody>()),
            ("200", json_response("The bid", s.response::<api::BidOut>())), &["400", "401", "404", "422"])
    }));
    paths.insert("/submissions/{id}/conflicts".into(), json!({
        "post": op("declareConflict", "Declare a conflict of interest: a pool member for themselves, or the secretariat for `user_id`; an open assignment of the pair is removed".into(), json!([e()]),
            Some(s.body::<api::ConflictBody>()),
            ("201", json_response("The conflict", s.response::<api::ConflictOut>())),
            &["400", "401", "403", "404", "409", "422"])
    }));
    paths.insert("/calls/{id}/assignment".into(), json!({
        "post": op("runAssignment", format!("Run the optimal assignment: every sent submission gets the call's number of reviewers within their loads, never across a conflict, maximising affinity (expertise, bids) minus the stakeholder-balance penalty; reviews written and pairs placed by hand are kept. When no assignment exists nothing changes and a 422 naming `assignment` says which submissions cannot be served ({manage})"),
            json!([e()]), None, ("200", json_response("What the run did", s.response::<api::ReportOut>())), &["401", "403", "404", "422"])
    }));
    paths.insert("/submissions/{id}/reviewers".into(), json!({
        "post": op("assignReviewer", format!("Assign a pool member by hand; a conflict or a full load is a 422 naming `reviewer` ({manage})"), json!([e()]),
            Some(s.body::<api::AssignBody>()),
            ("201", json_response("The assignment", s.response::<api::AssignmentOut>())),
            &["400", "401", "403", "404", "409", "422"])
    }));
    paths.insert("/submissions/{id}/reviewers/{user}".into(), json!({
        "delete": op("unassignReviewer", format!("Remove an assignment (a written review stays) ({manage})"), json!([e(), user()]), None,
            deleted(), &["401", "403", "404"])
    }));
    paths.insert("/me/assignments".into(), json!({
        "get": op("myAssignments", format!("The submissions assigned to the caller for review ({private})"), json!([]), None,
            ("200", json_response("Assignments", s.response::<Items<api::AssignedOut>>())), &["401"])
    }));
    paths.insert("/submissions/{id}/review".into(), json!({
        "put": op("saveReview", format!("Write or change the caller's review (an assigned reviewer; until the decision): a score for every criterion on the call's scale, a 422 naming `scores` otherwise ({private})"),
            json!([e()]), Some(s.body::<api::ReviewBody>()), ("200", submission()), &["400", "401", "404", "409", "422"])
    }));
    paths.insert("/calls/{id}/committee".into(), json!({
        "get": op("committee", format!("The committee's table: every sent submission, best normalised score first, with its reviewers, scores per criterion, conflicts and the balance of the accepted set ({manage}; {private})"),
            json!([e()]), None, ("200", json_response("The table", s.response::<api::CommitteeOut>())), &["401", "403", "404"])
    }));
    paths.insert("/submissions/{id}/decision".into(), json!({
        "post": op("decide", format!("Decide: accept, reject, merge into another submission (its proposers join it), or request changes (with a reason); the proposers are e-mailed ({manage}; {private})"),
            json!([e()]), Some(s.body::<api::DecisionBody>()), ("200", submission()), &["400", "401", "403", "404", "409", "422"])
    }));
    paths.insert("/calls/{id}/publish".into(), json!({
        "post": op("publishSelection", format!("Publish (or withdraw) the list of accepted submissions ({manage})"), json!([e()]),
            Some(s.body::<api::PublishBody>()),
            ("200", json_response("Whether it is published", s.response::<api::PublishedOut>())), &["400", "401", "403", "404"])
    }));
    paths.insert("/calls/{id}/selected".into(), json!({
        "get": public(op("selectedSubmissions", "The accepted submissions as published: titles, descriptions and speakers, no accounts (public once published, 404 before; the secretariat may preview)".into(),
            json!([e()]), None, ("200", json_response("The selection", s.response::<api::SelectionOut>())), &["404"]))
    }));
    paths.insert("/calls/{id}/balance".into(), json!({
        "get": op("callBalance", format!("The balance of the accepted set: stakeholder groups, regions, genders, session types, themes, first-time proposers ({manage})"),
            json!([e()]), None, ("200", json_response("The balance", s.response::<api::BalanceOut>())), &["401", "403", "404"])
    }));
}
