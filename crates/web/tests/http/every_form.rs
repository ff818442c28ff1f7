//! No silent failure (issue 16, item 4): on the demo forum, each role's pages are crawled
//! from the dashboard, every `<form method="post">` found is posted with invalid input
//! (over-long text, wrong formats, required fields emptied, choices not offered), and
//! every answer is checked: never a server error, and a refusal (400, 409, 422) is the
//! page shown again with the message beside the field and the typed text kept.

use crate::accounts::link_token;
use crate::support::{Client, Response, TestApp};
use html5gum::{DefaultEmitter, Token, Tokenizer};
use plenary_app::DEMO_PASSWORD;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Pages read per role at most, and pages per path shape (`/bodies/{}`): enough to meet
/// every kind of page, bounded so the crawl ends.
const MAX_PAGES: usize = 160;
const PAGES_PER_SHAPE: usize = 2;
/// The crawl must keep finding at least this many distinct forms (67 when written).
const MIN_FORMS: usize = 65;

/// Forms that end the session or would leave nothing to test afterwards.
const SKIPPED_ACTIONS: &[&str] = &["/sign-out", "/account/sign-out-everywhere"];

#[derive(Debug, Clone, Default)]
struct Control {
    tag: String,
    kind: String,
    name: String,
    value: String,
    required: bool,
    checked: bool,
    options: Vec<String>,
    described_by: String,
}

impl Control {
    /// A control whose typed text a person expects to find again.
    fn keeps_text(&self) -> bool {
        self.tag == "textarea"
            || (self.tag == "input"
                && !matches!(
                    self.kind.as_str(),
                    "hidden"
                        | "password"
                        | "checkbox"
                        | "radio"
                        | "file"
                        | "submit"
                        | "button"
                        | "reset"
                        | "image"
                ))
    }

    fn editable(&self) -> bool {
        self.keeps_text()
            || self.tag == "select"
            || matches!(self.kind.as_str(), "password" | "radio" | "file")
    }
}

#[derive(Debug, Clone, Default)]
struct Form {
    action: String,
    multipart: bool,
    controls: Vec<Control>,
    /// The first submit button's name and value, sent as a browser does.
    submit: Option<(String, String)>,
    /// Ids of the `field-error` elements inside the form.
    errors: Vec<String>,
}

impl Form {
    fn names(&self) -> BTreeSet<&str> {
        self.controls.iter().map(|c| c.name.as_str()).collect()
    }
}

/// A page read into its same-site links, its post forms and its `field-error` ids.
#[derive(Default)]
struct Page {
    links: Vec<String>,
    forms: Vec<Form>,
    errors: Vec<String>,
}

fn attr(tag: &html5gum::StartTag<()>, name: &str) -> Option<String> {
    tag.attributes
        .get(name.as_bytes())
        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
}

fn parse(path: &str, html: &str) -> Page {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut page = Page::default();
    let mut form: Option<Form> = None;
    // The control whose text is being read (textarea, option) and the text so far.
    let mut text: Option<String> = None;
    let mut option_value: Option<(Option<String>, bool)> = None;
    for token in Tokenizer::new_with_emitter(html, emitter) {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if let Some(class) = attr(&tag, "class")
                    && class.split_whitespace().any(|c| c == "field-error")
                {
                    let id = attr(&tag, "id").unwrap_or_default();
                    match form.as_mut() {
                        Some(f) => f.errors.push(id.clone()),
                        None => page.errors.push(id.clone()),
                    }
                }
                match name.as_str() {
                    "a" => {
                        if let Some(href) = attr(&tag, "href") {
                            page.links.push(href);
                        }
                    }
                    "form" => {
                        let post =
                            attr(&tag, "method").is_some_and(|m| m.eq_ignore_ascii_case("post"));
                        form = post.then(|| Form {
                            action: attr(&tag, "action")
                                .filter(|a| !a.is_empty())
                                .unwrap_or_else(|| path.to_owned()),
                            multipart: attr(&tag, "enctype")
                                .is_some_and(|e| e.contains("multipart")),
                            ..Form::default()
                        });
                    }
                    "input" | "select" | "textarea" | "button" => {
                        let Some(f) = form.as_mut() else { continue };
                        let kind = attr(&tag, "type")
                            .unwrap_or_else(|| {
                                if name == "button" { "submit" } else { "text" }.into()
                            })
                            .to_ascii_lowercase();
                        let control = Control {
                            tag: name.clone(),
                            kind: kind.clone(),
                            name: attr(&tag, "name").unwrap_or_default(),
                            value: attr(&tag, "value").unwrap_or_default(),
                            required: attr(&tag, "required").is_some(),
                            checked: attr(&tag, "checked").is_some(),
                            options: Vec::new(),
                            described_by: attr(&tag, "aria-describedby").unwrap_or_default(),
                        };
                        if kind == "submit" {
                            if f.submit.is_none() && !control.name.is_empty() {
                                f.submit = Some((control.name, control.value));
                            }
                            continue;
                        }
                        if name == "textarea" {
                            text = Some(String::new());
                        }
                        if !control.name.is_empty() && name != "button" {
                            f.controls.push(control);
                        }
                    }
                    "option" => {
                        option_value =
                            Some((attr(&tag, "value"), attr(&tag, "selected").is_some()));
                        text = Some(String::new());
                    }
                    _ => {}
                }
            }
            Token::String(s) => {
                if let Some(t) = text.as_mut() {
                    t.push_str(&String::from_utf8_lossy(&s.value));
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                match name.as_str() {
                    "form" => {
                        if let Some(f) = form.take() {
                            page.forms.push(f);
                        }
                    }
                    "textarea" => {
                        let value = text.take().unwrap_or_default();
                        // As a browser does, the newline right after the start tag is not text.
                        let value = value.strip_prefix('\n').unwrap_or(&value).to_owned();
                        if let Some(c) = form.as_mut().and_then(|f| f.controls.last_mut()) {
                            c.value = value;
                        }
                    }
                    "option" => close_option(&mut form, &mut text, &mut option_value),
                    _ => {}
                }
            }
            _ => {}
        }
        // An option closed by the next option's start tag or by the end of its select.
        if option_value.is_some() && text.is_none() {
            option_value = None;
        }
    }
    page
}

fn close_option(
    form: &mut Option<Form>,
    text: &mut Option<String>,
    option: &mut Option<(Option<String>, bool)>,
) {
    let label = text.take().unwrap_or_default();
    let Some((value, selected)) = option.take() else {
        return;
    };
    let value = value.unwrap_or_else(|| label.trim().to_owned());
    if let Some(select) = form
        .as_mut()
        .and_then(|f| f.controls.iter_mut().rev().find(|c| c.tag == "select"))
    {
        if selected || select.options.is_empty() {
            select.value = value.clone();
        }
        select.options.push(value);
    }
}

/// A path's shape: segments with digits or long tokens become `{}`.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.chars().any(|c| c.is_ascii_digit()) || segment.len() > 24 {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The route pattern (`/bodies/{id}`) of a form's action, so that the same form met on
/// many pages (one per body, per mail template) is posted once.
fn route_of(action: &str) -> String {
    let segments: Vec<&str> = action.split('/').collect();
    plenary_web::routes::table()
        .routes()
        .iter()
        .filter(|(method, _)| method == axum::http::Method::POST)
        .map(|(_, pattern)| *pattern)
        .filter(|pattern| {
            let parts: Vec<&str> = pattern.split('/').collect();
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| p.starts_with('{') || p == s)
        })
        // The literal route wins over the one with a parameter (`/items/{item}/move`).
        .min_by_key(|pattern| pattern.matches('{').count())
        .unwrap_or_else(|| panic!("no POST route for {action}"))
        .to_owned()
}

/// A same-site page worth reading: no file downloads, no API, no assets.
fn crawlable(href: &str) -> Option<String> {
    if !href.starts_with('/') || href.starts_with("//") {
        return None;
    }
    let path = href.split(['?', '#']).next().unwrap_or_default();
    let download = [
        ".pdf", ".ics", ".csv", ".xlsx", ".xml", ".json", ".md", ".txt", ".svg", ".ico", ".css",
    ];
    if path.starts_with("/api/")
        || path.starts_with("/static/")
        || download.iter().any(|d| path.ends_with(d))
        || path.starts_with("/documents/")
        || path.contains("/files/")
    {
        return None;
    }
    Some(path.to_owned())
}

/// Reads the pages reachable from `seeds` and returns each post form found, with the
/// page it was found on.
fn crawl(client: &mut Client<'_>, seeds: &[String]) -> Vec<(String, Form)> {
    let mut queue: VecDeque<String> = seeds.iter().cloned().collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut per_shape: BTreeMap<String, usize> = BTreeMap::new();
    let mut forms = Vec::new();
    let mut read = Vec::new();
    while let Some(path) = queue.pop_front() {
        if read.len() >= MAX_PAGES {
            break;
        }
        let count = per_shape.entry(shape(&path)).or_default();
        if *count >= PAGES_PER_SHAPE {
            continue;
        }
        *count += 1;
        read.push(path.clone());
        let r = client.get(&path);
        assert!(
            !r.status.is_server_error(),
            "GET {path}: {}\n{}",
            r.status,
            r.body
        );
        let is_html = r
            .headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        if !r.status.is_success() || !is_html {
            continue;
        }
        let page = parse(&path, &r.body);
        for link in page.links.iter().filter_map(|l| crawlable(l)) {
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
        forms.extend(page.forms.into_iter().map(|f| (path.clone(), f)));
    }
    eprintln!("pages read ({}): {}", read.len(), read.join(" "));
    forms
}

/// Text longer than any field takes, with characters that need escaping.
fn over_long(limit: usize) -> String {
    "Überlang <b>&amp;\" ".repeat(limit / 20 + 1)
}

/// The invalid value typed into a control, by its type.
fn invalid_value(control: &Control) -> Option<String> {
    let value = match (control.tag.as_str(), control.kind.as_str()) {
        ("textarea", _) => over_long(120_000),
        ("select", _) => not_offered(&control.options),
        (_, "hidden" | "checkbox" | "file") => return None,
        (_, "radio") => not_offered(std::slice::from_ref(&control.value)),
        (_, "email") => "not-an-address".into(),
        (_, "url") => "javascript:x".into(),
        (_, "number" | "range") => "abc".into(),
        (_, "date") => "31/02/2026".into(),
        (_, "time") => "25:99".into(),
        (_, "datetime-local") => "2026-02-31T25:99".into(),
        (_, "month") => "2026-13".into(),
        (_, "password") => "x".into(),
        _ => over_long(5_000),
    };
    Some(value)
}

/// A value no option offers: an id that is not there where options are ids.
fn not_offered(options: &[String]) -> String {
    let numeric = options
        .iter()
        .any(|o| !o.is_empty() && o.chars().all(|c| c.is_ascii_digit()));
    if numeric {
        "987654".into()
    } else {
        "not-offered".into()
    }
}

/// One way of spoiling a form.
#[derive(Clone, Copy, Debug)]
enum Spoil {
    /// Every field typed wrong.
    Invalid,
    /// The required fields left empty, the others as the page offers them.
    Emptied,
}

/// The fields posted: the page's values, spoiled.
fn spoiled(form: &Form, spoil: Spoil) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut radios_done = BTreeSet::new();
    for c in &form.controls {
        if c.kind == "file" {
            continue;
        }
        let value = match spoil {
            Spoil::Invalid => invalid_value(c),
            Spoil::Emptied => c.required.then(String::new),
        };
        match (c.kind.as_str(), value) {
            ("radio", Some(v)) => {
                if radios_done.insert(c.name.clone()) {
                    fields.push((c.name.clone(), v));
                }
            }
            ("radio" | "checkbox", None) => {
                if c.checked {
                    fields.push((c.name.clone(), c.value.clone()));
                }
            }
            (_, Some(v)) => fields.push((c.name.clone(), v)),
            (_, None) => fields.push((c.name.clone(), c.value.clone())),
        }
    }
    if let Some((name, value)) = &form.submit {
        fields.push((name.clone(), value.clone()));
    }
    fields
}

/// A multipart body: the fields, and for each file input a file that is no document.
fn multipart(form: &Form, fields: &[(String, String)]) -> (String, Vec<u8>) {
    let boundary = "----plenary-invalid-input-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for c in form.controls.iter().filter(|c| c.kind == "file") {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"notes.exe\"\r\nContent-Type: application/octet-stream\r\n\r\nMZ\x00\x01 not a document\r\n",
                c.name
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// What a refusal must show: the form again, with a message inside it tied to one of its
/// fields, and the text typed into its text fields. Returns what is wrong, if anything.
fn check_refusal(
    form: &Form,
    posted: &[(String, String)],
    r: &Response,
    spoil: Spoil,
) -> Option<String> {
    let is_html = r
        .headers
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !is_html {
        return Some(format!("{} answered without a page", r.status));
    }
    let page = parse(&form.action, &r.body);
    // The same form: same action, most of the same fields (a list of rows may grow).
    let names = form.names();
    let overlap = |f: &Form| f.names().intersection(&names).count();
    let shown = page
        .forms
        .iter()
        .filter(|f| f.action == form.action && overlap(f) * 2 > names.len())
        .max_by_key(|f| (!f.errors.is_empty(), overlap(f)));
    let Some(shown) = shown else {
        return Some(format!(
            "{}: the form is not shown again (messages outside forms: {:?})",
            r.status, page.errors
        ));
    };
    if shown.errors.is_empty() {
        return Some(format!(
            "{}: no message beside a field (messages elsewhere: {:?})",
            r.status, page.errors
        ));
    }
    for id in &shown.errors {
        let field = id.strip_suffix("-error").unwrap_or(id);
        // Beside its field, or beside a group of fields (`speakers` for `speakers[0][name]`).
        let tied = shown.controls.iter().any(|c| {
            c.name == field
                || c.name.starts_with(&format!("{field}["))
                || c.described_by.split_whitespace().any(|d| d == id.as_str())
        });
        if !tied {
            return Some(format!(
                "{}: the message {id:?} is tied to no field of the form",
                r.status
            ));
        }
    }
    for c in shown.controls.iter().filter(|c| c.keeps_text()) {
        let Some((_, typed)) = posted.iter().find(|(n, _)| *n == c.name) else {
            continue;
        };
        if matches!(spoil, Spoil::Emptied) && typed.is_empty() {
            continue;
        }
        if c.value != *typed {
            return Some(format!(
                "{}: the text typed into {:?} is not kept (shown {:?})",
                r.status,
                c.name,
                c.value.chars().take(40).collect::<String>()
            ));
        }
    }
    None
}

/// Posts one spoiled form and judges the answer; returns the line for the report and
/// the failure, if any.
fn post_spoiled(
    client: &mut Client<'_>,
    page: &str,
    form: &Form,
    spoil: Spoil,
) -> (String, Option<String>) {
    let fields = spoiled(form, spoil);
    let r = if form.multipart {
        let (content_type, body) = multipart(form, &fields);
        client.post_bytes(&form.action, &content_type, body)
    } else {
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        client.post_raw(&form.action, &borrowed)
    };
    let line = format!("{spoil:?} {} (from {page}) -> {}", form.action, r.status);
    // FORMS_DUMP=dir keeps each answer, to see what a failing form showed.
    if let Ok(dir) = std::env::var("FORMS_DUMP") {
        let name = format!("{spoil:?}{}", form.action.replace('/', "_"));
        std::fs::write(format!("{dir}/{name}.html"), &r.body).ok();
    }
    let failure = if r.status.is_server_error() {
        Some(format!("{}: server error", r.status))
    } else if matches!(r.status.as_u16(), 400 | 409 | 422) {
        check_refusal(form, &fields, &r, spoil)
    } else {
        None
    };
    (line, failure)
}

/// One role: who signs in, and the pages a person reaches besides the navigation (links
/// that come by mail).
struct Role {
    label: &'static str,
    email: Option<&'static str>,
    seeds: Vec<String>,
}

/// The demo forum, with what the demo leaves out so that every form shows: the
/// registrant registered, an action item to follow up, and links that come by mail.
fn demo() -> (TestApp, Vec<Role>) {
    let t = TestApp::new();
    assert!(t.app.load_demo().expect("demo"), "a fresh database");
    let admin = t.signed_in_caller(
        "secretariat@demo.plenary.example",
        DEMO_PASSWORD,
        "192.0.2.200",
    );
    let meeting = t
        .app
        .meetings(&admin, None)
        .expect("meetings")
        .first()
        .map(|m| m.id)
        .expect("a demo meeting");
    t.app
        .add_action(
            &admin,
            meeting,
            &plenary_app::ActionInput {
                item_id: None,
                text: "Circulate the draft programme".into(),
                owner: "secretariat".into(),
                due_on: "2026-09-01".into(),
            },
        )
        .expect("action");
    let event = t
        .app
        .events()
        .expect("events")
        .first()
        .map(|e| e.id)
        .expect("a demo event");
    let registrant = t.signed_in_caller(
        "registrant@demo.plenary.example",
        DEMO_PASSWORD,
        "192.0.2.201",
    );
    let online = t
        .app
        .event(event)
        .expect("event")
        .categories
        .iter()
        .find(|c| c.name == "Online")
        .map(|c| c.id)
        .expect("online category");
    let mut answers = BTreeMap::new();
    answers.insert("code_of_conduct".to_owned(), vec!["yes".to_owned()]);
    let registered = t
        .app
        .register(
            &registrant,
            event,
            &plenary_app::registration::RegistrationInput {
                category_id: online.to_string(),
                email: "registrant@demo.plenary.example".into(),
                family_name: "Petrov".into(),
                given_name: "Ivan".into(),
                organization: "Lakeside Internet Society".into(),
                country: "BG".into(),
                answers,
                listed: false,
            },
        )
        .expect("registration");
    let chaired = t
        .app
        .bodies()
        .expect("bodies")
        .into_iter()
        .find(|b| b.short_name == "WG-Strategy")
        .map(|b| format!("/bodies/{}", b.id))
        .expect("the chair's body");
    let manage = format!(
        "/registrations/{}",
        registered.manage_token.expect("a manage link")
    );
    t.app
        .request_password_reset("member@demo.plenary.example", None)
        .expect("reset");
    let reset = link_token(&t, "password_reset", "/password-reset/");
    t.app
        .sign_up(
            &plenary_app::SignUpInput {
                display_name: "Kofi Mensah".into(),
                email: "kofi@example.org".into(),
                password: "a long enough password".into(),
            },
            None,
        )
        .expect("sign up");
    let sign_up = link_token(&t, "sign_up_verify", "/sign-up/");
    let roles = vec![
        Role {
            label: "public",
            email: None,
            seeds: vec![
                "/".into(),
                "/sign-in".into(),
                "/sign-up".into(),
                "/password-reset".into(),
                manage.clone(),
                format!("{manage}/visa"),
                format!("/password-reset/{reset}"),
                format!("/sign-up/{sign_up}"),
            ],
        },
        Role {
            label: "registrant",
            email: Some("registrant@demo.plenary.example"),
            seeds: vec!["/".into(), "/account".into()],
        },
        Role {
            label: "proposer",
            email: Some("proposer@demo.plenary.example"),
            seeds: vec!["/".into(), "/account/submissions".into()],
        },
        Role {
            label: "reviewer",
            email: Some("reviewer@demo.plenary.example"),
            seeds: vec!["/".into(), "/reviews".into()],
        },
        Role {
            label: "member",
            email: Some("member@demo.plenary.example"),
            seeds: vec!["/".into()],
        },
        Role {
            label: "chair",
            email: Some("chair@demo.plenary.example"),
            // The body they chair, as the directory lists it.
            seeds: vec!["/".into(), chaired],
        },
        Role {
            label: "secretariat",
            email: Some("secretariat@demo.plenary.example"),
            seeds: vec!["/".into()],
        },
    ];
    (t, roles)
}

#[test]
fn every_form_refuses_invalid_input_beside_its_field() {
    let (t, roles) = demo();
    let mut checked: BTreeSet<(String, Vec<String>)> = BTreeSet::new();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for role in roles {
        let mut client = t.client();
        if let Some(email) = role.email {
            let r = client.sign_in(email, DEMO_PASSWORD);
            assert!(r.status.is_redirection(), "{email} signs in: {}", r.status);
        }
        for (page, form) in crawl(&mut client, &role.seeds) {
            let key = (
                route_of(&form.action),
                form.names().into_iter().map(str::to_owned).collect(),
            );
            if SKIPPED_ACTIONS.contains(&form.action.as_str())
                || !form.controls.iter().any(Control::editable)
                || form.controls.iter().any(|c| c.name == "confirmed")
                || !checked.insert(key)
            {
                continue;
            }
            let mut spoils = vec![Spoil::Invalid];
            if form.controls.iter().any(|c| c.required && c.keeps_text()) {
                spoils.push(Spoil::Emptied);
            }
            for spoil in spoils {
                let (line, failure) = post_spoiled(&mut client, &page, &form, spoil);
                let line = format!("[{}] {line}", role.label);
                if let Some(failure) = failure {
                    failures.push(format!("{line}: {failure}"));
                }
                report.push(line);
            }
        }
    }
    eprintln!("forms checked ({}):", checked.len());
    for line in &report {
        eprintln!("  {line}");
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        checked.len() >= MIN_FORMS,
        "only {} forms found: the crawl shrank",
        checked.len()
    );
}
