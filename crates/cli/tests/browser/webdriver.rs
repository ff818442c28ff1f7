//! A minimal W3C WebDriver client over plain HTTP/1.1, enough to drive ChromeDriver.

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// One HTTP request to 127.0.0.1:port; returns the parsed JSON body.
fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    )?;
    // ChromeDriver keeps the connection open: read the head, then Content-Length bytes.
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            break;
        }
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no Content-Length in: {head}")))?;
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body)?;
    serde_json::from_slice(&body)
        .map_err(|e| std::io::Error::other(format!("bad WebDriver reply ({e}): {head}")))
}

/// The elements whose right edge reaches past the viewport, innermost first: what makes
/// a page scroll sideways.
const WIDEST_ELEMENTS: &str = r#"
const width = document.documentElement.clientWidth;
const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '');
return [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .filter(e => {
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
            if (getComputedStyle(a).overflowX !== 'visible') return false;
        return true;
    })
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 0.5))
    .slice(0, 8)
    .map(e => describe(e) + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)');
"#;

/// Runs axe-core's default rules; answers one line per violation and element.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(results => done(results.violations.flatMap(v => v.nodes.map(n =>
    v.id + ' (' + v.impact + '): ' + v.help + ' at ' + n.target.join(' ')
    + (n.failureSummary ? ' [' + n.failureSummary.replace(/\s+/g, ' ') + ']' : ''))))
).catch(e => done({ error: String(e) }));
"#;

pub struct Driver {
    process: Child,
    port: u16,
    session: String,
    profile: std::path::PathBuf,
}

impl Driver {
    /// Starts ChromeDriver and a headless Chromium. Panics, failing the test, when
    /// either is not installed: browser tests never skip silently.
    pub fn start() -> Driver {
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(
            std::path::Path::new(&chromium).exists(),
            "Chromium is needed for browser tests: {chromium} is missing (apt-get install chromium chromium-driver)"
        );
        let port = free_port();
        let process = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("ChromeDriver is needed for browser tests: cannot start {chromedriver}: {e}")
            });
        let deadline = Instant::now() + Duration::from_secs(20);
        while call(port, "GET", "/status", None)
            .map(|s| s["value"]["ready"] != json!(true))
            .unwrap_or(true)
        {
            assert!(
                Instant::now() < deadline,
                "ChromeDriver did not become ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = std::env::temp_dir().join(format!("plenary-chromium-{port}"));
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", format!("--user-data-dir={}", profile.display())
            ] }
        } } });
        let mut driver = Driver {
            process,
            port,
            session: String::new(),
            profile,
        };
        let created =
            call(port, "POST", "/session", Some(&capabilities)).expect("new WebDriver session");
        driver.session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        driver
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        let reply = call(self.port, method, &full, body.as_ref())
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        if reply["value"].get("error").is_some() {
            panic!("{method} {path}: {}", reply["value"]);
        }
        reply["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn find(&self, css: &str) -> String {
        let found = self.command(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        found[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned()
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.command(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    pub fn click(&self, css: &str) {
        let id = self.find(css);
        self.command("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    /// Runs a script with the element as `arguments[0]` (for date inputs and selects,
    /// whose typing rules depend on the browser's locale).
    pub fn script_on(&self, css: &str, script: &str, arg: Value) -> Value {
        let id = self.find(css);
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [{ ELEMENT_KEY: id }, arg] })),
        )
    }

    /// Clicks something that loads a new page and waits until it has replaced this one.
    pub fn click_and_load(&self, css: &str) {
        self.load_after(|b| b.click(css));
    }

    /// Does what loads a new page and waits until it has replaced this one.
    fn load_after(&self, action: impl FnOnce(&Driver)) {
        self.script_on(
            "body",
            "arguments[0].setAttribute('data-stale', arguments[1]);",
            json!("1"),
        );
        action(self);
        self.wait_for("the next page", |b| !b.page_has("data-stale=\"1\""));
    }

    /// Clicks with the mouse at the element's centre, as a person does. ChromeDriver's
    /// element click refuses what is inside a closed `<details>` even where the
    /// stylesheet shows it (the wide navigation).
    pub fn click_with_mouse(&self, css: &str) {
        let id = self.find(css);
        self.command(
            "POST",
            "/actions",
            Some(json!({ "actions": [{
                "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" },
                "actions": [
                    { "type": "pointerMove", "origin": { ELEMENT_KEY: id }, "x": 0, "y": 0 },
                    { "type": "pointerDown", "button": 0 },
                    { "type": "pointerUp", "button": 0 }
                ]
            }] })),
        );
    }

    /// [`Driver::click_with_mouse`] on something that loads a new page.
    pub fn click_with_mouse_and_load(&self, css: &str) {
        self.load_after(|b| b.click_with_mouse(css));
    }

    pub fn set_value(&self, css: &str, value: &str) {
        self.script_on(css, "arguments[0].value = arguments[1];", json!(value));
    }

    pub fn text_of(&self, css: &str) -> String {
        let id = self.find(css);
        self.command("GET", &format!("/element/{id}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn title(&self) -> String {
        self.command("GET", "/title", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn page_has(&self, text: &str) -> bool {
        self.command("GET", "/source", None)
            .as_str()
            .unwrap_or_default()
            .contains(text)
    }

    pub fn current_url(&self) -> String {
        self.command("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits up to ten seconds for `condition` (a click may return before the page
    /// it leads to has loaded).
    pub fn wait_for(&self, what: &str, condition: impl Fn(&Driver) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !condition(self) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} (at {})",
                self.current_url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs a DevTools-protocol command through ChromeDriver's extension.
    fn cdp(&self, command: &str, params: Value) -> Value {
        self.command(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": command, "params": params })),
        )
    }

    /// Lays pages out as a phone of 390×844 CSS pixels does (three device pixels to
    /// one, touch, the mobile viewport rules): a headless window does not shrink below
    /// 500 px, so the metrics are emulated.
    pub fn emulate_phone(&self) {
        self.emulate(390, 844, 3, true);
    }

    /// Lays pages out as a 1366×900 desktop screen does.
    pub fn emulate_desktop(&self) {
        self.emulate(1366, 900, 1, false);
    }

    fn emulate(&self, width: u32, height: u32, scale: u32, mobile: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile }),
        );
        self.cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": mobile }),
        );
    }

    /// How many CSS pixels the document is wider than the viewport (0 or less: no
    /// sideways scrolling). The layout viewport's width, not `innerWidth`: a mobile
    /// browser zooms a page that is too wide out until it fits, and `innerWidth` grows
    /// with it.
    pub fn sideways_overflow(&self) -> i64 {
        let overflow = self.command(
            "POST",
            "/execute/sync",
            Some(json!({
                "script": "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                "args": []
            })),
        );
        overflow
            .as_i64()
            .unwrap_or_else(|| panic!("a number of pixels: {overflow}"))
    }

    /// What makes the current page scroll sideways, if it does: by how much, and the
    /// elements that reach past the viewport.
    pub fn sideways_scroll(&self) -> Option<String> {
        let overflow = self.sideways_overflow();
        if overflow <= 0 {
            return None;
        }
        let culprits = self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": WIDEST_ELEMENTS, "args": [] })),
        );
        Some(format!(
            "scrolls sideways: {overflow} px wider than the viewport; reaching past it: {culprits}"
        ))
    }

    /// Fails when the current page scrolls sideways, naming what sticks out.
    pub fn assert_no_sideways_scroll(&self) {
        if let Some(problem) = self.sideways_scroll() {
            panic!("{} {problem}", self.current_url());
        }
    }

    /// Runs axe-core (`axe_source`: the text of axe.min.js) on the current page and
    /// returns its violations, one line each: rule, impact, help and the elements.
    pub fn axe_violations(&self, axe_source: &str) -> Vec<String> {
        let loaded = self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": "return typeof axe !== 'undefined';", "args": [] })),
        );
        if loaded != json!(true) {
            self.command(
                "POST",
                "/execute/sync",
                Some(json!({ "script": axe_source, "args": [] })),
            );
        }
        let found = self.command(
            "POST",
            "/execute/async",
            Some(json!({ "script": AXE_RUN, "args": [] })),
        );
        if let Some(error) = found.get("error").and_then(Value::as_str) {
            panic!("axe-core failed on {}: {error}", self.current_url());
        }
        found
            .as_array()
            .unwrap_or_else(|| panic!("axe-core's violations: {found}"))
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine;
        let encoded = self.command("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .expect("base64 PNG")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = call(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
