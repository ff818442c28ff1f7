//! Importing a meeting document through the pages (upload, preview, confirm) and the
//! JSON API (preview, import, idempotency, refusals as problem documents).

use crate::support::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use plenary_domain::Role;
use serde_json::Value;

/// Where the documents are: the project's own (with their expected extractions), always
/// present, or the real samples beside the repository, read only by the ignored tests
/// that `.ci/run` runs in its shared-samples step.
#[derive(Clone, Copy)]
enum Documents {
    Owned,
    Samples,
}

impl Documents {
    fn read(self, name: &str) -> Vec<u8> {
        let dir = match self {
            Documents::Owned => "../domain/tests/import",
            Documents::Samples => "../../../shared/samples",
        };
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(dir)
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The expected extraction of `name` (without its `.txt`).
    fn expected(self, name: &str) -> Value {
        let mut v: Value =
            serde_json::from_slice(&self.read(&format!("{name}.expected.json"))).expect("json");
        v.as_object_mut()
            .expect("object")
            .remove("warnings_expected");
        v
    }
}

fn without_warnings(mut v: Value) -> Value {
    v.as_object_mut().expect("object").remove("warnings");
    v
}

fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "ImportBoundary7d1";
    let mut body = Vec::new();
    for (name, filename, data) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
        );
        if let Some(f) = filename {
            body.extend_from_slice(format!("; filename=\"{f}\"").as_bytes());
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// What the page test needs to know of a summary: its name (without `.txt`), the counts
/// its preview shows, and an item title the imported meeting's page shows.
struct PageCase {
    documents: Documents,
    name: &'static str,
    actions: usize,
    participants: usize,
    item: &'static str,
}

#[test]
fn the_secretariat_previews_then_confirms_an_import_on_the_page() {
    previews_then_confirms_an_import_on_the_page(PageCase {
        documents: Documents::Owned,
        name: "wg-strategy-2025-meeting-3-summary",
        actions: 2,
        participants: 6,
        item: "Next meeting",
    });
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn the_secretariat_previews_then_confirms_the_sample_on_the_page() {
    previews_then_confirms_an_import_on_the_page(PageCase {
        documents: Documents::Samples,
        name: "mag-2024-meeting-viii-summary",
        actions: 9,
        participants: 56,
        item: "Updates from the Secretariat",
    });
}

fn previews_then_confirms_an_import_on_the_page(case: PageCase) {
    let file_name = format!("{}.txt", case.name);
    let t = TestApp::new();
    t.account("sec@example.org", Some(Role::Secretariat));
    let body = t.directory_fixtures().body;
    let mut c = t.client();
    c.sign_in("sec@example.org", PASSWORD);
    let form = c.get("/admin/import");
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.csrf();
    let text = case.documents.read(&file_name);
    let (ct, data) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("body", None, body.to_string().as_bytes()),
        ("file", Some(&file_name), &text),
    ]);
    let count = || {
        t.app
            .meetings(&t.admin_caller(), None)
            .expect("meetings")
            .len()
    };
    let before = count();
    let preview = c.post_bytes("/admin/import/preview", &ct, data);
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview
            .body
            .contains(&format!("Actions ({})", case.actions)),
        "the preview lists the actions"
    );
    assert!(
        preview
            .body
            .contains(&format!("Participants ({})", case.participants))
    );
    assert!(preview.body.contains("nothing has been stored yet"));
    assert_eq!(count(), before, "a preview stores nothing");

    let content = String::from_utf8(text).expect("utf-8");
    let (ct, data) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("body", None, body.to_string().as_bytes()),
        ("file_name", None, file_name.as_bytes()),
        ("content", None, content.replace('\n', "\r\n").as_bytes()),
    ]);
    let stored = c.post_bytes("/admin/import", &ct, data);
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    let location = stored.location().expect("redirect").to_owned();
    assert!(location.ends_with("?done=imported"), "{location}");
    let page = c.get(&location);
    assert!(page.body.contains("The document has been imported"));
    assert!(page.body.contains(case.item), "{}", page.body);

    // The file itself (LF line ends) through the API: the same document, unchanged.
    let token = t.api_token("sec@example.org");
    let again = t.api_bytes(
        Method::POST,
        &format!("/api/v1/imports?file_name={file_name}&body={body}"),
        &token,
        content.into_bytes(),
    );
    assert_eq!(again.expect_json(StatusCode::OK)["outcome"], "unchanged");
}

#[test]
fn a_binary_upload_is_refused_with_the_form_shown_again() {
    let t = TestApp::new();
    t.account("sec@example.org", Some(Role::Secretariat));
    let mut c = t.client();
    c.sign_in("sec@example.org", PASSWORD);
    let csrf = c.get("/admin/import").csrf();
    let (ct, data) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("file", Some("photo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    ]);
    let refused = c.post_bytes("/admin/import/preview", &ct, data);
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("neither text (UTF-8), a Word document (.docx) nor a PDF"),
        "{}",
        refused.body
    );
}

#[test]
fn the_api_previews_and_imports_idempotently() {
    api_previews_and_imports_idempotently(Documents::Owned, "mag-retreat-2026-agenda");
    api_previews_and_imports_idempotently(Documents::Owned, "dc-day-2025-agenda");
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn the_api_previews_and_imports_the_sample_idempotently() {
    api_previews_and_imports_idempotently(Documents::Samples, "open-consultations-2024-agenda");
}

/// The agenda `name` (without `.txt`): previewed as its expected extraction, imported
/// once, unchanged the second time; an empty file is a problem naming the field.
fn api_previews_and_imports_idempotently(documents: Documents, name: &str) {
    let t = TestApp::new();
    t.account("sec@example.org", Some(Role::Secretariat));
    let token = t.api_token("sec@example.org");
    let body = t.directory_fixtures().body;
    let agenda = documents.read(&format!("{name}.txt"));

    let preview = t.api_bytes(
        Method::POST,
        "/api/v1/imports/preview?file_name=agenda.txt",
        &token,
        agenda.clone(),
    );
    let got = without_warnings(preview.expect_json(StatusCode::OK));
    assert_eq!(got, documents.expected(name), "{name}");

    let path = format!("/api/v1/imports?file_name=agenda.txt&body={body}");
    let first = t.api_bytes(Method::POST, &path, &token, agenda.clone());
    let report = first.expect_json(StatusCode::CREATED);
    assert_eq!(report["outcome"], "created");
    let again = t.api_bytes(Method::POST, &path, &token, agenda);
    let report2 = again.expect_json(StatusCode::OK);
    assert_eq!(report2["outcome"], "unchanged");
    assert_eq!(report2["meeting_id"], report["meeting_id"]);

    let empty = t.api_bytes(Method::POST, &path, &token, Vec::new());
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
    );
    assert!(
        empty.body.contains("\"file\""),
        "the problem names the field: {}",
        empty.body
    );
}

/// The text of the preview's hidden `content` field (what the confirmation sends back).
fn previewed_content(page: &str) -> String {
    let open = "<textarea name=\"content\" hidden aria-hidden=\"true\">\n";
    let start = page.find(open).expect("the content field") + open.len();
    let end = start + page[start..].find("</textarea>").expect("its end");
    page[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn a_word_document_is_previewed_and_confirmed_on_the_page_and_its_pdf_through_the_api() {
    use plenary_app::import::testing::{PdfFont, docx_from_text, pdf_from_text};
    let t = TestApp::new();
    t.account("sec@example.org", Some(Role::Secretariat));
    let body = t.directory_fixtures().body.to_string();
    let mut c = t.client();
    c.sign_in("sec@example.org", PASSWORD);
    let csrf = c.get("/admin/import").csrf();
    let text = String::from_utf8(Documents::Owned.read("wg-strategy-2025-meeting-3-summary.txt"))
        .expect("utf-8");
    let docx = docx_from_text(&text);
    let (ct, data) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("body", None, body.as_bytes()),
        ("file", Some("Minutes WG-Strategy.docx"), &docx),
    ]);
    let preview = c.post_bytes("/admin/import/preview", &ct, data);
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("Actions (2)"), "{}", preview.body);
    assert!(preview.body.contains("Participants (6)"));
    let content = previewed_content(&preview.body);
    assert!(content.starts_with("WG-Strategy Meeting 3\n"), "{content}");
    let (ct, data) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("body", None, body.as_bytes()),
        ("file_name", None, b"Minutes WG-Strategy.docx"),
        ("content", None, content.as_bytes()),
    ]);
    let stored = c.post_bytes("/admin/import", &ct, data);
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    let location = stored.location().expect("redirect").to_owned();
    assert!(location.ends_with("?done=imported"), "{location}");

    // The Word file itself through the API: the text the page stored, unchanged.
    let token = t.api_token("sec@example.org");
    let path = format!("/api/v1/imports?file_name=minutes.docx&body={body}");
    let again = t.api_bytes(Method::POST, &path, &token, docx);
    assert_eq!(again.expect_json(StatusCode::OK)["outcome"], "unchanged");
    // Its PDF: the same extraction as the text's.
    let pdf = pdf_from_text(&text, PdfFont::Composite, 20);
    let read = t.api_bytes(
        Method::POST,
        "/api/v1/imports/preview?file_name=minutes.pdf",
        &token,
        pdf,
    );
    let from_text = t.api_bytes(
        Method::POST,
        "/api/v1/imports/preview?file_name=minutes.txt",
        &token,
        text.into_bytes(),
    );
    assert_eq!(
        read.expect_json(StatusCode::OK),
        from_text.expect_json(StatusCode::OK)
    );
}

#[test]
fn a_scan_or_a_damaged_word_file_is_refused_naming_the_file_field() {
    use plenary_app::import::testing::{assemble, docx_from_text, stream};
    let t = TestApp::new();
    t.account("sec@example.org", Some(Role::Secretariat));
    let token = t.api_token("sec@example.org");
    // A page with a picture's worth of drawing and no text.
    let scan = assemble(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Count 1 /Kids [3 0 R] >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_owned(),
            stream("0.5 g 72 72 400 600 re f"),
        ],
        "",
    );
    let refused = t.api_bytes(
        Method::POST,
        "/api/v1/imports/preview?file_name=scan.pdf",
        &token,
        scan,
    );
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
    );
    assert!(refused.body.contains("\"file\""), "{}", refused.body);
    assert!(refused.body.contains("no text to read"), "{}", refused.body);

    // On the page: the form again, the reason beside the file field.
    let mut c = t.client();
    c.sign_in("sec@example.org", PASSWORD);
    let csrf = c.get("/admin/import").csrf();
    let docx = docx_from_text("Minutes\n1. Opening\n- Noted.\n");
    let (ct, data) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("file", Some("minutes.docx"), &docx[..docx.len() / 2]),
    ]);
    let page = c.post_bytes("/admin/import/preview", &ct, data);
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("the Word document is damaged and cannot be read"),
        "{}",
        page.body
    );
}
