//! Every role's pages at desktop and phone width: none scrolls sideways, axe-core finds
//! nothing. The pages are those a person of the role reaches by following links from
//! the front page, one page per route.

use super::{Server, sign_in_as, sign_out};
use crate::webdriver::Driver;

/// axe-core as installed by `npm ci` beside these tests (scripts/test and .ci/run run
/// it). Missing, the test fails: it never skips.
fn axe_source() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is needed for the accessibility checks: {} ({e}); run `npm ci` in crates/cli/tests/browser",
            path.display()
        )
    })
}

/// The main pages of each role in the demo, signed out first. A page is a path, or
/// "PATH >> CSS": the first link matching CSS on PATH (for ids the demo makes).
const ROLES: &[(Option<&str>, &[&str])] = &[
    (
        None,
        &[
            "/",
            "/sign-in",
            "/password-reset",
            "/bodies",
            "/bodies/1",
            "/meetings/1",
            "/meetings/1/summary",
            "/events",
            "/events/1",
            "/events/1/participants",
            "/events/1/programme",
            "/events/1/programme >> main a[href^='/events/1/programme/sessions/']",
            "/events/1/programme/sessions/1 >> main a[href^='/events/1/programme/speakers/']",
            "/calls",
            "/calls/1",
            "/calls/1/selected",
        ],
    ),
    (
        Some("secretariat@demo.plenary.example"),
        &[
            "/",
            "/account",
            "/actions",
            "/bodies/1",
            "/meetings/1",
            "/meetings/1 >> main a[href*='/items/'][href$='/edit']",
            "/meetings/1 >> main a[href*='/days/'][href$='/edit']",
            "/admin/people",
            "/admin/people >> main a[href^='/admin/people/']",
            "/admin/organizations",
            "/admin/organizations >> main a[href^='/admin/organizations/']",
            "/admin/users",
            "/admin/users >> main a[href^='/admin/users/']",
            "/admin/audit",
            "/admin/mail-templates",
            "/admin/mail-templates/bulk",
            "/admin/mail",
            "/admin/outbox",
            "/admin/import",
            "/admin/events",
            "/admin/events/1",
            "/admin/events/1/registrations",
            "/admin/events/1/registrations >> main a[href^='/admin/registrations/']",
            "/admin/events/1/visa-requests",
            "/admin/events/1/visa-requests >> main a[href^='/admin/visa-requests/']",
            "/admin/events/1/programme",
            "/admin/events/1/programme/sessions/1",
            "/admin/events/1/programme/sessions/new",
            "/admin/calls",
            "/admin/calls/new",
            "/admin/calls/1",
            "/admin/calls/1/committee",
            "/admin/calls/1/diversity",
            "/check-in",
        ],
    ),
    // The demo's chair chairs WG-Strategy, the fourth body.
    (Some("chair@demo.plenary.example"), &["/", "/bodies/4"]),
    (Some("member@demo.plenary.example"), &["/", "/meetings/1"]),
    (
        Some("reviewer@demo.plenary.example"),
        &[
            "/",
            "/reviews",
            "/calls/1/bids",
            "/reviews >> main a[href$='/review']",
        ],
    ),
    (
        Some("proposer@demo.plenary.example"),
        &[
            "/",
            "/account/submissions",
            "/calls/1/submissions/new",
            "/account/submissions >> main a[href^='/submissions/']",
            "/account/submissions >> main a[href^='/submissions/'] >> main a[href$='/edit']",
        ],
    ),
    (
        Some("registrant@demo.plenary.example"),
        &["/", "/account/registrations", "/events/1"],
    ),
];

/// Opens a page of [`ROLES`]: its path, then each link it names in turn.
fn open(browser: &Driver, base: &str, page: &str) {
    let mut hops = page.split(" >> ");
    browser.goto(&format!("{base}{}", hops.next().unwrap_or_default()));
    for link in hops {
        let href = browser.script_on(link, "return arguments[0].href;", serde_json::json!(null));
        browser.goto(
            href.as_str()
                .unwrap_or_else(|| panic!("no link {link} in {page}")),
        );
    }
}

/// What is wrong with the page as shown now: sideways scrolling, axe violations.
fn problems_of_page(browser: &Driver, axe: &str) -> Vec<String> {
    let mut problems: Vec<String> = browser.sideways_scroll().into_iter().collect();
    problems.extend(browser.axe_violations(axe));
    problems
}

#[test]
fn every_roles_main_pages_fit_a_phone_and_pass_axe() {
    let axe = axe_source();
    let server = Server::start();
    let browser = Driver::start();
    let base = &server.base;
    let mut findings = Vec::new();
    for (account, pages) in ROLES {
        let who = account.unwrap_or("signed out");
        if let Some(email) = account {
            browser.emulate_desktop();
            sign_in_as(&browser, base, email);
        }
        for page in *pages {
            open(&browser, base, page);
            let shown = browser.current_url().replacen(base.as_str(), "", 1);
            for (width, emulate) in [
                ("390 px", Driver::emulate_phone as fn(&Driver)),
                ("1366 px", Driver::emulate_desktop),
            ] {
                emulate(&browser);
                findings.extend(
                    problems_of_page(&browser, &axe)
                        .into_iter()
                        .map(|problem| format!("{who}, {shown} at {width}: {problem}")),
                );
            }
        }
        if account.is_some() {
            sign_out(&browser);
        }
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

/// Whether the element is rendered (not in a closed disclosure, not `display: none`).
fn visible(browser: &Driver, css: &str) -> bool {
    browser.script_on(
        css,
        "return arguments[0].checkVisibility();",
        serde_json::json!(null),
    ) == serde_json::json!(true)
}

#[test]
fn the_navigation_is_one_row_on_a_desktop_and_one_menu_on_a_phone() {
    let server = Server::start();
    let browser = Driver::start();
    let base = &server.base;
    browser.emulate_desktop();
    sign_in_as(&browser, base, "secretariat@demo.plenary.example");
    // At 1366 px: the brand, every link and group, and the account on one row.
    let rows = browser.script_on(
        "header .bar",
        "const tops = [...arguments[0].querySelectorAll('.brand, nav > ul > li, .who')]
            .map(e => Math.round(e.getBoundingClientRect().top / 10));
         return new Set(tops).size;",
        serde_json::json!(null),
    );
    assert_eq!(rows, serde_json::json!(1), "one row of navigation");
    assert!(
        !visible(&browser, "details.menu > summary"),
        "no 'Menu' button"
    );
    assert!(visible(&browser, "nav a[href='/account']"));
    // The keyboard reaches the links in order; a group opens and leads to its pages.
    browser.type_into(".brand", "\u{E004}");
    let focused = browser.script_on(
        "body",
        "return document.activeElement.getAttribute('href');",
        serde_json::json!(null),
    );
    assert_eq!(focused, serde_json::json!("/"), "Tab goes to the Dashboard");
    assert!(!visible(&browser, "nav a[href='/admin/people']"), "closed");
    browser.click("nav details.group summary");
    assert!(visible(&browser, "nav a[href='/admin/people']"), "opened");
    browser.click_and_load("nav a[href='/admin/people']");
    assert_eq!(browser.title(), "People · Plenary");
    // On a phone the navigation is one 'Menu', with the same groups inside.
    browser.emulate_phone();
    browser.goto(&format!("{base}/"));
    assert!(!visible(&browser, "nav a[href='/account']"), "collapsed");
    browser.click("details.menu > summary");
    assert!(visible(&browser, "nav a[href='/account']"), "opened");
    browser.click("nav details.group:has(a[href='/admin/events']) > summary");
    browser.click_and_load("nav a[href='/admin/events']");
    assert_eq!(browser.title(), "Events (secretariat) · Plenary");
    browser.assert_no_sideways_scroll();
}
