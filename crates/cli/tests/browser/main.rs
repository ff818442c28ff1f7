//! Browser tests: the real `plenary` binary, driven through headless Chromium.

mod layout;
mod webdriver;

use plenary_app::mail::testing::{
    ListenerOptions, Received, SmtpListener, attachment_bytes, part_text,
};
use plenary_store::testing::TestDb;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use webdriver::Driver;

/// `plenary serve --demo` on a free port over a fresh database; stopped on drop.
struct Server {
    process: Child,
    base: String,
    _db: TestDb,
}

impl Server {
    fn start() -> Server {
        Server::spawn(TestDb::from_env(), "127.0.0.1:0", &[])
            .unwrap_or_else(|_| panic!("the server prints its address"))
    }

    /// With its outgoing mail sent to the SMTP server at 127.0.0.1:`smtp_port`. It
    /// listens on a port chosen beforehand, so that the links in its e-mails (base URL
    /// http://BIND) lead back to it; another port is tried when that one was taken in
    /// the meantime.
    fn start_with_smtp(smtp_port: u16) -> Server {
        let smtp = [
            "--smtp-host".to_owned(),
            "127.0.0.1".into(),
            "--smtp-port".into(),
            smtp_port.to_string(),
        ];
        let mut db = TestDb::from_env();
        for _ in 0..3 {
            let bind = format!("127.0.0.1:{}", webdriver::free_port());
            match Server::spawn(db, &bind, &smtp) {
                Ok(server) => return server,
                Err(back) => db = back,
            }
        }
        panic!("plenary serve did not start on any of three free ports")
    }

    /// Starts `plenary serve --demo`; gives the database back when the server stopped
    /// before it printed its address.
    fn spawn(db: TestDb, bind: &str, extra: &[String]) -> Result<Server, TestDb> {
        let mut process = Command::new(env!("CARGO_BIN_EXE_plenary"))
            .args([
                "serve",
                "--demo",
                "--bind",
                bind,
                "--database-url",
                &db.url(),
            ])
            .args(extra)
            .env("PLENARY_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start plenary serve");
        let stdout = process.stdout.take().expect("stdout");
        let mut base = None;
        let mut lines = BufReader::new(stdout).lines();
        for line in lines.by_ref() {
            let line = line.expect("read stdout");
            if let Some(rest) = line.strip_prefix("Plenary is listening on ") {
                base = rest.split_whitespace().next().map(str::to_owned);
                break;
            }
        }
        let Some(base) = base else {
            let _ = process.kill();
            let _ = process.wait();
            return Err(db);
        };
        // Keep reading so that the server never writes into a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Server {
            process,
            base,
            _db: db,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[test]
fn signing_in_through_the_real_page_shows_the_dashboard() {
    let server = Server::start();
    let browser = Driver::start();
    browser.goto(&format!("{}/account", server.base));
    assert!(
        browser.current_url().contains("/sign-in?next=%2Faccount"),
        "{}",
        browser.current_url()
    );
    assert_eq!(browser.title(), "Sign in · Plenary");
    let (email, name, _) = plenary_app::DEMO_ACCOUNTS[0];
    browser.type_into("#email", email);
    browser.type_into("#password", "not the password");
    browser.click("form.stack button[type=submit]");
    browser.wait_for("the error message", |b| b.page_has("role=\"alert\""));
    assert!(browser.text_of("[role=alert]").contains("wrong"));
    browser.type_into("#password", plenary_app::DEMO_PASSWORD);
    browser.click("form.stack button[type=submit]");
    browser.wait_for("the page asked for", |b| {
        b.current_url().ends_with("/account")
    });
    assert_eq!(browser.title(), "My account · Plenary");
    browser.goto(&format!("{}/", server.base));
    assert_eq!(browser.title(), "Dashboard · Plenary");
    assert_eq!(browser.text_of("main h1"), "Dashboard");
    assert!(browser.text_of("header .who").contains(name));
    let shot = browser.screenshot();
    assert!(shot.starts_with(b"\x89PNG"), "a real rendering");
    let _ = std::fs::write(std::env::temp_dir().join("plenary-dashboard.png"), shot);
    browser.click("header form button[type=submit]");
    browser.wait_for("the signed-out start page", |b| {
        b.title() == "Welcome · Plenary"
    });
}

fn sign_in(browser: &Driver, base: &str) {
    browser.goto(&format!("{base}/sign-in"));
    let (email, _, _) = plenary_app::DEMO_ACCOUNTS[0];
    browser.type_into("#email", email);
    browser.type_into("#password", plenary_app::DEMO_PASSWORD);
    browser.click("form.stack button[type=submit]");
    browser.wait_for("the dashboard", |b| b.title() == "Dashboard · Plenary");
}

fn submit_and_wait(browser: &Driver, form: &str) {
    browser.click_and_load(&format!("{form} button[type=submit]"));
    assert!(
        browser.page_has("Saved."),
        "the change was saved: {}",
        browser.text_of("main")
    );
}

#[test]
fn a_two_day_agenda_is_built_through_the_pages_and_published() {
    let server = Server::start();
    let browser = Driver::start();
    sign_in(&browser, &server.base);
    browser.goto(&format!("{}/bodies/1", server.base));
    assert!(browser.title().starts_with("MAG"), "{}", browser.title());
    browser.type_into("#m-title", "Autumn MAG Meeting");
    browser.set_value("#m-kind", "advisory_group_meeting");
    browser.set_value("#m-mode", "hybrid");
    browser.type_into("#m-venue", "Lakeside Conference Centre");
    browser.set_value("#m-tz", "Europe/Zurich");
    browser.set_value("#m-starts-on", "2026-09-15");
    browser.set_value("#m-starts-time", "10:00");
    browser.set_value("#m-ends-on", "2026-09-16");
    browser.set_value("#m-ends-time", "18:00");
    browser.click("#m-published");
    browser.click("form[action='/meetings'] button[type=submit]");
    browser.wait_for("the new meeting's editing view", |b| {
        b.title() == "Edit: Autumn MAG Meeting · Plenary"
    });
    let meeting_url = browser
        .current_url()
        .split('?')
        .next()
        .and_then(|u| u.strip_suffix("/edit"))
        .unwrap_or_default()
        .to_owned();
    for date in ["2026-09-15", "2026-09-16"] {
        browser.set_value("#day", date);
        submit_and_wait(&browser, "form[action$='/days']");
    }
    let items = [
        (0, "Welcome and adoption of the agenda", "10:00", "10:30"),
        (0, "Workshop review", "10:30", "12:30"),
        (1, "Main sessions", "15:00", "17:00"),
    ];
    for (day, title, starts, ends) in items {
        browser.script_on(
            "#item-day",
            "arguments[0].selectedIndex = arguments[1];",
            serde_json::json!(day),
        );
        browser.type_into("#item-title", title);
        browser.set_value("#item-starts", starts);
        browser.set_value("#item-ends", ends);
        submit_and_wait(&browser, "form[action$='/items']");
    }
    // The public sees the published agenda, day by day, in the meeting's zone.
    browser.click("header form button[type=submit]");
    browser.wait_for("signed out", |b| b.title() == "Welcome · Plenary");
    browser.goto(&meeting_url);
    let agenda = browser.text_of("main");
    let day1 = agenda
        .find("Day 1 | Tuesday, 15 September 2026")
        .expect("day 1 heading");
    let day2 = agenda
        .find("Day 2 | Wednesday, 16 September 2026")
        .expect("day 2 heading");
    let review = agenda.find("Workshop review").expect("day 1 item");
    let main = agenda.find("Main sessions").expect("day 2 item");
    assert!(
        day1 < review && review < day2 && day2 < main,
        "items under their days"
    );
    assert!(
        agenda.contains("10:30–12:30") && agenda.contains("TIME (CEST, UTC+02:00)"),
        "{agenda}"
    );
    assert!(
        !agenda.contains("Add a day") && !agenda.contains("Edit the agenda"),
        "no forms for the public"
    );
    let _ = std::fs::write(
        std::env::temp_dir().join("plenary-agenda.png"),
        browser.screenshot(),
    );
}

#[test]
fn an_action_from_one_meeting_is_closed_in_the_next_and_the_dashboard_follows() {
    let server = Server::start();
    let browser = Driver::start();
    sign_in(&browser, &server.base);
    // A later meeting of the same body.
    browser.goto(&format!("{}/bodies/1", server.base));
    browser.type_into("#m-title", "September MAG call");
    browser.set_value("#m-kind", "advisory_group_meeting");
    browser.set_value("#m-mode", "online");
    browser.set_value("#m-tz", "Europe/Zurich");
    browser.set_value("#m-starts-on", "2026-09-15");
    browser.set_value("#m-starts-time", "15:00");
    browser.set_value("#m-ends-on", "2026-09-15");
    browser.set_value("#m-ends-time", "16:00");
    browser.click_and_load("form[action='/meetings'] button[type=submit]");
    let later = browser
        .current_url()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    // Notes and an action on the first item of the demo meeting.
    // The editing view folds each item's notes and new action until opened.
    browser.goto(&format!("{}/meetings/1/edit", server.base));
    browser.click("details.fold:has(form.note-form) > summary");
    browser.type_into("form.note-form textarea", "The Chair welcomed everyone.");
    submit_and_wait(&browser, "form.note-form");
    browser.click("details.fold:has(form[action$='/actions']) > summary");
    browser.type_into(
        "form[action$='/actions'] input[name=text]",
        "Circulate the draft programme",
    );
    browser.type_into(
        "form[action$='/actions'] input[name=owner]",
        "The Secretariat",
    );
    browser.set_value("form[action$='/actions'] input[name=due_on]", "2099-01-15");
    submit_and_wait(&browser, "form[action$='/actions']");
    assert!(
        browser.page_has("The Chair welcomed everyone.")
            && browser.page_has("Circulate the draft programme")
    );
    browser.goto(&format!("{}/actions", server.base));
    let counts = browser.text_of("section[aria-labelledby='counts-h'] tbody");
    assert!(
        counts.contains("Secretariat\t1\t0") || counts.contains("Secretariat 1 0"),
        "one open action for the secretariat: {counts:?}"
    );
    // Closed in the later meeting.
    browser.goto(&later);
    assert!(
        browser
            .text_of("#earlier-h")
            .contains("Open actions from earlier meetings")
    );
    browser.click("section[aria-labelledby='earlier-h'] details.fold > summary");
    browser.type_into(
        "section[aria-labelledby='earlier-h'] input[name=note]",
        "Draft shared with the MAG",
    );
    browser.click_and_load(
        "section[aria-labelledby='earlier-h'] form[action$='/follow-ups'] button[type=submit]",
    );
    browser.click_and_load("section[aria-labelledby='earlier-h'] form button[type=submit]");
    assert!(
        !browser.page_has("id=\"earlier-h\""),
        "nothing open any more"
    );
    browser.goto(&format!("{}/actions?owner=Secretariat", server.base));
    let dashboard = browser.text_of("main");
    assert!(dashboard.contains("No open actions."), "{dashboard}");
    assert!(
        dashboard.contains("Circulate the draft programme") && dashboard.contains("Done"),
        "{dashboard}"
    );
    assert!(
        dashboard.contains("Marked done (September MAG call,"),
        "the follow-up names the later meeting: {dashboard}"
    );
}

/// A summary without an organiser line, imported through the pages into the demo's
/// advisory group: its path relative to this crate, what its preview counts and the
/// meeting's title.
struct ImportedSummary {
    path: &'static str,
    actions: usize,
    participants: usize,
    title: &'static str,
}

#[test]
fn a_summary_is_imported_through_the_page_after_its_preview() {
    summary_is_imported_through_the_page(ImportedSummary {
        path: "../domain/tests/import/wg-strategy-2025-meeting-3-summary.txt",
        actions: 2,
        participants: 6,
        title: "WG-Strategy Meeting 3",
    });
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn the_sample_summary_is_imported_through_the_page_after_its_preview() {
    summary_is_imported_through_the_page(ImportedSummary {
        path: "../../../shared/samples/mag-2024-meeting-viii-summary.txt",
        actions: 9,
        participants: 56,
        title: "IGF 2024 MAG Meeting VIII",
    });
}

fn summary_is_imported_through_the_page(summary: ImportedSummary) {
    let server = Server::start();
    let browser = Driver::start();
    sign_in(&browser, &server.base);
    browser.goto(&format!("{}/admin/import", server.base));
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(summary.path)
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", summary.path));
    browser.type_into("#file", &file.display().to_string());
    // The demo's advisory group: the summary names no organiser.
    browser.set_value("#body", "1");
    browser.click_and_load("form.stack button[type=submit]");
    let file_name = file
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name");
    assert_eq!(
        browser.title(),
        format!("Import preview: {file_name} · Plenary")
    );
    assert!(
        browser.page_has(&format!("Actions ({})", summary.actions)),
        "{}",
        browser.text_of("main")
    );
    assert!(browser.page_has(&format!("Participants ({})", summary.participants)));
    browser.click_and_load("form[action='/admin/import'] button[type=submit]");
    assert!(
        browser.page_has("The document has been imported"),
        "{}",
        browser.text_of("main")
    );
    assert!(browser.text_of("main h1").contains(summary.title));
}

#[test]
fn a_visitor_registers_for_an_event_and_is_checked_in_at_the_door() {
    let server = Server::start();
    let browser = Driver::start();
    let base = &server.base;
    // The secretariat sets the event up.
    sign_in(&browser, base);
    browser.goto(&format!("{base}/admin/events"));
    browser.type_into("#e-title", "Open Forum 2099");
    browser.type_into("#e-venue", "Palais des Nations, Geneva");
    browser.type_into("#e-time_zone", "Europe/Zurich");
    for (field, value) in [
        ("#e-starts_at", "2099-06-01T09:00"),
        ("#e-ends_at", "2099-06-02T18:00"),
        ("#e-registration_opens_at", "2020-01-01T00:00"),
        ("#e-registration_closes_at", "2099-05-01T00:00"),
        ("#e-changes_until", "2099-05-01T00:00"),
    ] {
        browser.set_value(field, value);
    }
    browser.click_and_load("form[action='/admin/events'] button[type=submit]");
    assert!(
        browser.page_has("The event has been created"),
        "{}",
        browser.text_of("main")
    );
    let event_url = browser
        .current_url()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let event_id = event_url.rsplit('/').next().unwrap_or_default().to_owned();
    browser.type_into("#cat-name", "Onsite participants");
    browser.set_value("#cat-mode", "onsite");
    browser.type_into("#cat-capacity", "300");
    browser.click_and_load("form[action$='/categories'] button[type=submit]");
    assert!(
        browser.page_has("300 of 300 seats left"),
        "{}",
        browser.text_of("main")
    );
    browser.click("header form button[type=submit]");
    browser.wait_for("signed out", |b| b.title() == "Welcome · Plenary");

    // A visitor registers on the public page.
    browser.goto(&format!("{base}/events"));
    browser.click_and_load(&format!("a[href='/events/{event_id}']"));
    assert_eq!(browser.title(), "Open Forum 2099 · Plenary");
    assert!(browser.text_of("main").contains("300 of 300 seats left"));
    browser.type_into("#email", "wanjiru@example.org");
    browser.type_into("#family_name", "Kamau");
    browser.type_into("#given_name", "Wanjiru");
    browser.type_into("#organization", "Kenya ICT Action Network");
    browser.set_value("#country", "KE");
    browser.click("#listed");
    browser.click_and_load("form[action$='/register'] button[type=submit]");
    assert!(
        browser.current_url().contains("/registrations/")
            && browser.current_url().ends_with("?done=registered"),
        "{}",
        browser.current_url()
    );
    assert_eq!(browser.text_of("#status"), "Confirmed");
    let code = browser.text_of("#badge-code");
    assert_eq!(code.len(), 10, "{code:?}");
    let _ = std::fs::write(
        std::env::temp_dir().join("plenary-registration.png"),
        browser.screenshot(),
    );

    // The secretariat scans the badge at the door.
    sign_in(&browser, base);
    browser.goto(&format!("{base}/check-in"));
    browser.type_into("#code", &code);
    browser.click_and_load("form.check-in button[type=submit]");
    let result = browser.text_of("main");
    assert!(
        result.contains("Wanjiru Kamau") && result.contains("Checked in at"),
        "{result}"
    );
    browser.type_into("#code", &code.to_lowercase());
    browser.click_and_load("form.check-in button[type=submit]");
    assert!(
        browser.text_of("main").contains("Already checked in at"),
        "{}",
        browser.text_of("main")
    );
}

/// The first message to `to` that arrives at `listener` (the server's outbox worker
/// sends it in the background); fails after a minute.
fn mail_to(listener: &SmtpListener, to: &str) -> Received {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let arrived = listener.wait_for(seen + 1, left);
        if let Some(mail) = arrived.iter().find(|m| m.rcpt_to.iter().any(|r| r == to)) {
            return mail.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no mail to {to} arrived within a minute; {} others did",
            arrived.len()
        );
        seen = arrived.len();
    }
}

/// The time in "Checked in at 10:42 (EAT, UTC+03:00)".
fn time_after<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} in {text:?}"))
        + marker.len();
    text[start..].split_whitespace().next().unwrap_or_default()
}

#[test]
fn a_registration_is_confirmed_by_real_mail_and_checked_in_on_a_phone() {
    let smtp = SmtpListener::start(ListenerOptions::default());
    let server = Server::start_with_smtp(smtp.port());
    let base = &server.base;
    let browser = Driver::start();
    let email = "zeynep.arslan@example.org";

    // A visitor registers for the demo forum's annual meeting, which is open.
    browser.goto(&format!("{base}/events"));
    browser.click_and_load("main h2 a[href^='/events/']");
    assert_eq!(
        browser.title(),
        "Annual Forum of the Lakeside Internet Forum · Plenary"
    );
    let online = browser.script_on(
        "form[action$='/register']",
        "for (const input of arguments[0].querySelectorAll('input[name=category_id]')) {
           if (input.closest('label').textContent.includes(arguments[1])) { input.click(); return true; }
         }
         return false;",
        serde_json::json!("Online"),
    );
    assert_eq!(online, serde_json::json!(true), "an Online category");
    browser.type_into("#email", email);
    browser.type_into("#family_name", "Arslan");
    browser.type_into("#given_name", "Zeynep");
    browser.type_into("#organization", "Istanbul Bilgi University");
    browser.set_value("#country", "TR");
    browser.click("#q-code_of_conduct");
    browser.click_and_load("form[action$='/register'] button[type=submit]");
    let registered = browser.current_url();
    assert!(
        registered.starts_with(&format!("{base}/registrations/"))
            && registered.ends_with("?done=registered"),
        "{registered}: {}",
        browser.text_of("main")
    );
    assert_eq!(browser.text_of("#status"), "Confirmed");

    // The confirmation arrives by e-mail, with the management link and the event as
    // an iCalendar attachment.
    let mail = mail_to(&smtp, email);
    let text = part_text(&mail.data, "text/plain").expect("a plain-text part");
    assert!(text.contains("Hello Zeynep Arslan"), "{text}");
    assert!(text.contains("is confirmed"), "{text}");
    let link_start = text
        .find(&format!("{base}/registrations/"))
        .unwrap_or_else(|| panic!("a management link to {base} in {text}"));
    let link = text[link_start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        Some(link.as_str()),
        registered.strip_suffix("?done=registered"),
        "the link of the page after registering"
    );
    assert!(
        mail.data.contains("Content-Type: text/calendar"),
        "{}",
        mail.data
    );
    let ics = attachment_bytes(&mail.data, "event.ics").expect("event.ics attached");
    let ics = String::from_utf8(ics).expect("UTF-8 iCalendar");
    assert!(
        ics.starts_with("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"),
        "{ics}"
    );
    assert!(ics.contains("SUMMARY:Annual Forum"), "{ics}");

    // The link from the mail shows the registration and its badge code.
    browser.goto(&link);
    assert_eq!(browser.title(), "Your registration · Plenary");
    assert_eq!(browser.text_of("#status"), "Confirmed");
    let code = browser.text_of("#badge-code");
    assert_eq!(code.len(), 10, "{code:?}");

    // At the door, the secretariat scans the badge's QR code (/check-in?code=...) with
    // a phone: signed out, the phone signs in first and comes back to the code.
    browser.emulate_phone();
    let scan = format!("{base}/check-in?code={code}");
    browser.goto(&scan);
    browser.wait_for("the sign-in page", |b| b.title() == "Sign in · Plenary");
    assert!(
        browser.current_url().contains("/sign-in?next="),
        "{}",
        browser.current_url()
    );
    let width = browser.script_on("body", "return window.innerWidth;", serde_json::json!(0));
    assert!(
        width.as_u64().is_some_and(|w| w <= 390),
        "a phone-sized viewport: {width}"
    );
    let (staff, _, _) = plenary_app::DEMO_ACCOUNTS[0];
    browser.type_into("#email", staff);
    browser.type_into("#password", plenary_app::DEMO_PASSWORD);
    browser.click("form.stack button[type=submit]");
    browser.wait_for("the scanned badge", |b| b.title() == "Check-in · Plenary");
    assert_eq!(browser.current_url(), scan);
    let ready = browser.text_of(".check-in-result");
    assert!(
        ready.contains("Zeynep Arslan") && ready.contains("Not checked in yet"),
        "{ready}"
    );
    let prefilled = browser.script_on("#code", "return arguments[0].value;", serde_json::json!(0));
    assert_eq!(
        prefilled,
        serde_json::json!(code),
        "the form holds the code"
    );
    browser.click_and_load("form.check-in button[type=submit]");
    let first = browser.text_of(".check-in-result");
    assert!(
        first.contains("Zeynep Arslan") && first.contains("Online"),
        "{first}"
    );
    let at = time_after(&first, "Checked in at ").to_owned();
    assert!(at.len() == 5 && at.contains(':'), "{first}");
    browser.assert_no_sideways_scroll();
    let _ = std::fs::write(
        std::env::temp_dir().join("plenary-check-in-phone.png"),
        browser.screenshot(),
    );
    // Scanning the badge again, or typing its code again, is harmless and tells when
    // it was first scanned.
    browser.goto(&scan);
    let rescanned = browser.text_of(".check-in-result");
    assert_eq!(
        time_after(&rescanned, "Already checked in at "),
        at,
        "the first scan's time: {rescanned}"
    );
    browser.type_into("#code", &code);
    browser.click_and_load("form.check-in button[type=submit]");
    let again = browser.text_of(".check-in-result");
    assert!(again.contains("Zeynep Arslan"), "{again}");
    assert_eq!(
        time_after(&again, "Already checked in at "),
        at,
        "the first scan's time: {again}"
    );

    // The registrant's page shows the check-in too.
    browser.goto(&link);
    assert!(
        browser.text_of("main").contains("Checked in on"),
        "{}",
        browser.text_of("main")
    );
}

/// Signs in as a demo account through the page.
fn sign_in_as(browser: &Driver, base: &str, email: &str) {
    browser.goto(&format!("{base}/sign-in"));
    browser.type_into("#email", email);
    browser.type_into("#password", plenary_app::DEMO_PASSWORD);
    browser.click("form.stack button[type=submit]");
    browser.wait_for("the dashboard", |b| b.title() == "Dashboard · Plenary");
}

fn sign_out(browser: &Driver) {
    browser.click("header form button[type=submit]");
    browser.wait_for("signed out", |b| b.title() == "Welcome · Plenary");
}

/// The demo account of a display name.
fn demo_email(name: &str) -> &'static str {
    plenary_app::DEMO_ACCOUNTS
        .iter()
        .find(|(_, n, _)| *n == name)
        .map(|(email, _, _)| *email)
        .unwrap_or_else(|| panic!("no demo account named {name:?}"))
}

#[test]
fn a_proposal_is_sent_assigned_reviewed_accepted_and_published() {
    let server = Server::start();
    let browser = Driver::start();
    let base = &server.base;
    const TITLE: &str = "Undersea cables and small islands";
    // The demo's call for workshop proposals is the first call.
    sign_in_as(&browser, base, "proposer@demo.plenary.example");
    browser.goto(&format!("{base}/calls/1"));
    browser.click_and_load("a.button[href='/calls/1/submissions/new']");
    browser.type_into("#title", TITLE);
    browser.set_value("#session_type", "workshop");
    browser.set_value("#theme", "Universal and meaningful access");
    browser.set_value("#format", "hybrid");
    browser.type_into(
        "#description",
        "Who repairs a cable when it breaks, and who pays?",
    );
    browser.type_into(
        "#policy_questions",
        "How can small island states share repair ships?",
    );
    browser.type_into("#s0-name", "Sione Tupou");
    browser.type_into(
        "#s0-organization",
        "Pacific Islands Telecommunications Association",
    );
    browser.set_value("#s0-group", "technical_community");
    browser.set_value("#s0-country", "TO");
    browser.click_and_load("form[action='/calls/1/submissions'] button[type=submit]");
    let submission_url = browser
        .current_url()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let id: i64 = submission_url
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a submission's page: {submission_url}"));
    browser.click_and_load(&format!(
        "form[action='/submissions/{id}/submit'] button[type=submit]"
    ));
    assert!(
        browser.text_of("main").contains("Submitted"),
        "{}",
        browser.text_of("main")
    );
    sign_out(&browser);
    // The secretariat runs the assignment; two reviewers of the pool get it.
    sign_in_as(&browser, base, "secretariat@demo.plenary.example");
    browser.goto(&format!("{base}/admin/calls/1/committee"));
    browser.click_and_load("form[action='/admin/calls/1/assign'] button[type=submit]");
    assert!(
        browser.page_has("Assignment done"),
        "{}",
        browser.text_of("main")
    );
    let assigned = browser.script_on(
        "main table",
        "const row = [...arguments[0].querySelectorAll('tbody tr')]
            .find(r => r.querySelector(`a[href='/submissions/${arguments[1]}']`));
         return [...row.querySelectorAll('ul.plain li')].map(li => li.firstChild.textContent.trim());",
        serde_json::json!(id),
    );
    let names: Vec<String> = serde_json::from_value(assigned).expect("names");
    assert_eq!(names.len(), 2, "{names:?}");
    sign_out(&browser);
    // One of them reviews it.
    sign_in_as(&browser, base, demo_email(&names[0]));
    browser.goto(&format!("{base}/reviews"));
    browser.click_and_load(&format!("a[href='/submissions/{id}/review']"));
    assert!(browser.page_has("You will see them once yours is in"));
    for (field, score) in [("#score-1", "5"), ("#score-2", "4"), ("#score-3", "4")] {
        browser.set_value(field, score);
    }
    browser.type_into("#comment", "A real problem, well framed.");
    browser.click_and_load(&format!(
        "form[action='/submissions/{id}/review'] button[type=submit]"
    ));
    assert!(
        browser.page_has("Save changes"),
        "{}",
        browser.text_of("main")
    );
    sign_out(&browser);
    // The committee accepts it and publishes the selection.
    sign_in_as(&browser, base, "secretariat@demo.plenary.example");
    browser.goto(&format!("{base}/admin/calls/1/committee"));
    assert!(browser.text_of("main table").contains(TITLE));
    browser.set_value(&format!("#d-{id}"), "accept");
    browser.type_into(&format!("#d-{id}-reason"), "Welcome to the programme.");
    browser.click_and_load(&format!(
        "form[action='/admin/submissions/{id}/decide'] button[type=submit]"
    ));
    browser.click_and_load("form[action='/admin/calls/1/publish'] button[type=submit]");
    sign_out(&browser);
    // The public sees it on the published list; the proposer reads the review without
    // the reviewer's name.
    browser.goto(&format!("{base}/calls/1/selected"));
    let list = browser.text_of("main");
    assert!(
        list.contains(TITLE) && list.contains("Sione Tupou"),
        "{list}"
    );
    sign_in_as(&browser, base, "proposer@demo.plenary.example");
    browser.goto(&submission_url);
    let page = browser.text_of("main");
    assert!(
        page.contains("Accepted") && page.contains("A real problem, well framed."),
        "{page}"
    );
    assert!(
        !page.contains(&names[0]),
        "the reviewer's name is never shown: {page}"
    );
    let _ = std::fs::write(
        std::env::temp_dir().join("plenary-submission.png"),
        browser.screenshot(),
    );
}

#[test]
fn the_scheduler_runs_from_the_page_a_manual_move_shows_its_conflict_and_the_programme_is_published()
 {
    let server = Server::start();
    let browser = Driver::start();
    let base = &server.base;
    // The demo's programme: session 4 (Nadia Haddad moderates) and 8 (she speaks).
    sign_in(&browser, base);
    let board = format!("{base}/admin/events/1/programme");
    browser.goto(&board);
    // The demo's programme is published: withdrawn first, asked before it goes.
    browser.click_and_load("form[action='/admin/events/1/programme/withdraw'] button[type=submit]");
    assert!(
        browser.page_has("Withdraw the public programme of"),
        "{}",
        browser.text_of("main")
    );
    browser.click_and_load("form[action='/admin/events/1/programme/withdraw'] button[type=submit]");
    assert!(
        browser.page_has("Not published"),
        "{}",
        browser.text_of("main")
    );
    browser.set_value("#seed", "7");
    browser.click_and_load("form[action='/admin/events/1/programme/schedule'] button[type=submit]");
    assert!(
        browser
            .text_of("main")
            .contains("The scheduler placed 9 of 9 session(s)"),
        "{}",
        browser.text_of("main")
    );
    assert!(browser.text_of("#conflicts").contains("Conflicts (0)"));
    // Where session 4 is: ROOM:TIMESLOT.
    browser.goto(&format!("{board}/sessions/4"));
    let current = browser.script_on(
        "#slot",
        "return arguments[0].value;",
        serde_json::json!(null),
    );
    let current = current.as_str().expect("placed").to_owned();
    let timeslot = current.split(':').nth(1).expect("timeslot").to_owned();
    // Session 8 into the same timeslot, in another room: Nadia would be in two places.
    browser.goto(&format!("{board}/sessions/8"));
    let same_time = browser.script_on(
        "#slot",
        "return [...arguments[0].options].map(o => o.value)
            .filter(v => v.endsWith(':' + arguments[1]));",
        serde_json::json!(timeslot),
    );
    let candidates: Vec<String> = serde_json::from_value(same_time).expect("options");
    let mut moved = false;
    for slot in candidates.iter().filter(|s| **s != current) {
        browser.goto(&format!("{board}/sessions/8"));
        browser.set_value("#slot", slot);
        browser.click_and_load(
            "form[action='/admin/events/1/programme/sessions/8/place'] button[type=submit]",
        );
        let refused = browser.text_of("main");
        if refused.contains("is in this room at this time") {
            continue; // another session holds that room; try the next
        }
        assert!(
            refused.contains("Nadia Haddad in two places at once"),
            "{refused}"
        );
        // Again, overriding the rules: kept, and the conflict is listed on the board.
        browser.goto(&format!("{board}/sessions/8"));
        browser.set_value("#slot", slot);
        browser.click("#override");
        browser.click_and_load(
            "form[action='/admin/events/1/programme/sessions/8/place'] button[type=submit]",
        );
        moved = true;
        break;
    }
    assert!(moved, "a free room at the same time: {candidates:?}");
    browser.goto(&board);
    let conflicts = browser.text_of("#conflicts");
    assert!(
        conflicts.contains("Nadia Haddad in two places at once"),
        "{conflicts}"
    );
    // Publishing is a release: the changes since the last one first, then the form.
    browser.click_and_load("a[href='/admin/events/1/programme/release']");
    let changes = browser.text_of("#changes");
    assert!(changes.contains("Moved ("), "{changes}");
    browser.set_value("#version", "2 after the scheduler");
    browser.click_and_load("form[action='/admin/events/1/programme/release'] button[type=submit]");
    assert!(browser.page_has("<strong>Published</strong>"));
    assert!(
        browser.page_has("0 changes since release 2 “2 after the scheduler”"),
        "{}",
        browser.text_of("main")
    );
    let _ = std::fs::write(
        std::env::temp_dir().join("plenary-programme-board.png"),
        browser.screenshot(),
    );
    sign_out(&browser);
    // The public programme shows the sessions where they are now.
    browser.goto(&format!("{base}/events/1/programme"));
    let public = browser.text_of("main");
    assert!(
        public.contains("Affordable devices")
            && public.contains("Community networks for the last mile"),
        "{public}"
    );
}

/// The first `{base}{path}…` link in a mail's plain-text part.
fn link_in(mail: &Received, base: &str, path: &str) -> String {
    let text = part_text(&mail.data, "text/plain").expect("a plain-text part");
    let start = text
        .find(&format!("{base}{path}"))
        .unwrap_or_else(|| panic!("a link {base}{path}… in {text}"));
    text[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_visitor_signs_up_confirms_by_mail_lands_on_the_dashboard_and_edits_the_profile() {
    let smtp = SmtpListener::start(ListenerOptions::default());
    let server = Server::start_with_smtp(smtp.port());
    let base = &server.base;
    let browser = Driver::start();
    let email = "amani.njoroge@example.org";

    // From the header's link, a visitor asks for an account.
    browser.goto(&format!("{base}/events"));
    browser.click_and_load("header .who a[href='/sign-up']");
    assert_eq!(browser.title(), "Create an account · Plenary");
    browser.type_into("#display_name", "Amani Njoroge");
    browser.type_into("#email", email);
    browser.type_into("#password", "a long new password");
    browser.click_and_load("form[action='/sign-up'] button[type=submit]");
    assert!(
        browser
            .text_of("#sign-up-sent")
            .contains("Check your mailbox"),
        "{}",
        browser.text_of("main")
    );

    // The link arrives by mail; following it and confirming signs in on the dashboard.
    let mail = mail_to(&smtp, email);
    let link = link_in(&mail, base, "/sign-up/");
    browser.goto(&link);
    assert_eq!(browser.title(), "Confirm your account · Plenary");
    browser.click_and_load("#confirm-sign-up");
    assert_eq!(browser.title(), "Dashboard · Plenary");
    assert!(browser.text_of("header .who").contains("Amani Njoroge"));

    // The profile, from "My account".
    browser.goto(&format!("{base}/account"));
    browser.click_and_load("#edit-profile");
    assert_eq!(browser.title(), "My profile · Plenary");
    browser.set_value("#given_name", "Amani");
    browser.set_value("#family_name", "Njoroge Wanjiru");
    browser.set_value("#organization", "Kenya ICT Action Network");
    browser.set_value("#stakeholder_group", "civil_society");
    browser.set_value("#country", "KE");
    browser.set_value("#time_zone", "nairobi");
    browser.set_value("#language", "fr");
    browser.click_and_load("form[action='/account/profile'] button[type=submit]");
    assert!(
        browser.page_has("Your profile has been saved."),
        "{}",
        browser.text_of("main")
    );
    assert!(
        browser
            .text_of("header .who")
            .contains("Amani Njoroge Wanjiru")
    );
    assert!(browser.page_has("value=\"Africa/Nairobi\""));

    // The link was used up.
    browser.goto(&link);
    assert!(
        browser
            .text_of("[role=alert]")
            .contains("invalid, expired or used")
    );
}
