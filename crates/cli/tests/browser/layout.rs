//! Every role's main pages at desktop and phone width: none scrolls sideways, axe-core
//! finds nothing; and the navigation at both widths. Each test reuses one server and one
//! browser; the pages are split over a few tests so that they run side by side.

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

/// Pages to check, by the demo account that sees them (`None`: signed out). A page is
/// a path, or "PATH >> CSS >> …": the first link matching CSS on PATH, and so on (for
/// ids the demo makes).
type Pages = &'static [(Option<&'static str>, &'static [&'static str])];

const PUBLIC: Pages = &[(
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
)];

/// The secretariat's directory, meetings, mail and administration.
const SECRETARIAT_OFFICE: Pages = &[(
    Some("secretariat@demo.plenary.example"),
    &[
        "/",
        "/account",
        "/actions",
        "/bodies/1",
        "/meetings/1",
        "/meetings/1/edit",
        "/meetings/1/edit >> main a[href*='/items/'][href$='/edit']",
        "/meetings/1/edit >> main a[href*='/days/'][href$='/edit']",
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
    ],
)];

/// The secretariat's events, programme and calls.
const SECRETARIAT_EVENTS: Pages = &[(
    Some("secretariat@demo.plenary.example"),
    &[
        "/admin/events",
        "/admin/events/1",
        "/admin/events/1/registrations",
        "/admin/events/1/registrations >> main a[href^='/admin/registrations/']",
        "/admin/events/1/visa-requests",
        "/admin/events/1/visa-requests >> main a[href^='/admin/visa-requests/']",
        "/admin/events/1/programme",
        "/admin/events/1/programme/sessions/1",
        "/admin/events/1/programme/sessions/new",
        "/admin/events/1/programme/release",
        "/admin/events/1/programme/releases",
        "/admin/events/1/programme/releases/1",
        "/admin/calls",
        "/admin/calls/new",
        "/admin/calls/1",
        "/admin/calls/1/committee",
        "/admin/calls/1/diversity",
        "/check-in",
    ],
)];

/// The other roles: chair, member, reviewer, proposer, registrant.
const OTHER_ROLES: Pages = &[
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

/// With `PLENARY_SCREENSHOTS=DIR` (see `scripts/screenshots`), each role's start page
/// at desktop width is saved as DIR/ROLE.png: the README's pictures.
fn keep_screenshot(browser: &Driver, account: &str) {
    let Some(dir) = std::env::var_os("PLENARY_SCREENSHOTS") else {
        return;
    };
    let role = account.split('@').next().unwrap_or("public");
    let shot = browser.screenshot();
    assert!(shot.starts_with(b"\x89PNG"), "a real rendering");
    let path = std::path::Path::new(&dir).join(format!("{role}.png"));
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    std::fs::write(&path, shot).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Checks every page at both widths; fails listing everything found.
fn check_pages(pages: Pages) {
    let axe = axe_source();
    let server = Server::start();
    let browser = Driver::start();
    let base = &server.base;
    let mut findings = Vec::new();
    for (account, pages) in pages {
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
                if *page == "/" && width == "1366 px" {
                    keep_screenshot(&browser, account.unwrap_or("public@"));
                }
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

#[test]
fn public_pages_fit_a_phone_and_pass_axe() {
    check_pages(PUBLIC);
}

#[test]
fn the_secretariats_office_pages_fit_a_phone_and_pass_axe() {
    check_pages(SECRETARIAT_OFFICE);
}

#[test]
fn the_secretariats_event_and_call_pages_fit_a_phone_and_pass_axe() {
    check_pages(SECRETARIAT_EVENTS);
}

#[test]
fn chairs_members_reviewers_proposers_and_registrants_pages_fit_a_phone_and_pass_axe() {
    check_pages(OTHER_ROLES);
}

/// Whether the element is rendered (not in a closed disclosure, not `display: none`).
fn visible(browser: &Driver, css: &str) -> bool {
    browser.script_on(
        css,
        "return arguments[0].checkVisibility();",
        serde_json::json!(null),
    ) == serde_json::json!(true)
}

/// The focused element's outline: its width in px and its contrast with the background
/// behind it (the first ancestor with a background colour).
const FOCUS_RING: &str = r#"
const rgb = c => c.match(/[\d.]+/g).map(Number);
const luminance = ([r, g, b]) => {
    const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const focused = document.activeElement;
const style = getComputedStyle(focused);
let behind = focused.parentElement;
while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] === 0) behind = behind.parentElement;
const [a, b] = [luminance(rgb(style.outlineColor)),
                luminance(rgb(getComputedStyle(behind || document.documentElement).backgroundColor))];
return [parseFloat(style.outlineWidth), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
"#;

/// Tabs from `css` to the next control and checks its focus ring: at least 2 px and
/// 3:1 against what is behind it (WCAG 2.2's focus appearance).
fn assert_focus_ring_after(browser: &Driver, css: &str) {
    browser.type_into(css, "\u{E004}");
    let ring = browser.script_on("body", FOCUS_RING, serde_json::json!(null));
    let (width, contrast) = (ring[0].as_f64(), ring[1].as_f64());
    assert!(
        width.is_some_and(|w| w >= 2.0) && contrast.is_some_and(|c| c >= 3.0),
        "focus ring after {css}: {ring}"
    );
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
    assert_focus_ring_after(&browser, ".brand");
    assert!(!visible(&browser, "nav a[href='/admin/people']"), "closed");
    browser.click_with_mouse("nav details.group summary");
    assert!(visible(&browser, "nav a[href='/admin/people']"), "opened");
    browser.click_with_mouse_and_load("nav a[href='/admin/people']");
    assert_eq!(browser.title(), "People · Plenary");
    assert_focus_ring_after(&browser, "#q");
    // On a phone the navigation is one 'Menu', with the same groups inside.
    browser.emulate_phone();
    browser.goto(&format!("{base}/"));
    assert!(!visible(&browser, "nav a[href='/account']"), "collapsed");
    browser.click("details.menu > summary");
    assert!(visible(&browser, "nav a[href='/account']"), "opened");
    browser.click("nav details.group:has(a[href='/admin/events']) > summary");
    let opened = browser.axe_violations(&axe_source());
    assert!(opened.is_empty(), "the open menu: {}", opened.join("\n"));
    browser.click_and_load("nav a[href='/admin/events']");
    assert_eq!(browser.title(), "Events (secretariat) · Plenary");
    browser.assert_no_sideways_scroll();
}
