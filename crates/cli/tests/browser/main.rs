//! Browser tests: the real `plenary` binary, driven through headless Chromium.

mod webdriver;

use plenary_store::testing::TestDb;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use webdriver::Driver;

/// `plenary serve --demo` on a free port over a fresh database; stopped on drop.
struct Server {
    process: Child,
    base: String,
    _db: TestDb,
}

impl Server {
    fn start() -> Server {
        let db = TestDb::from_env();
        let mut process = Command::new(env!("CARGO_BIN_EXE_plenary"))
            .args([
                "serve",
                "--demo",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                &db.url(),
            ])
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
        // Keep reading so that the server never writes into a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server {
            process,
            base: base.expect("the server prints its address"),
            _db: db,
        }
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
