//! A test application on a fresh database, driven through the real router, and a
//! cookie-keeping client.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{TimeZone, Utc};
use plenary_app::{
    App, AppConfig, AttendeeInput, BodyInput, Caller, DayInput, FixedClock, ItemInput,
    MeetingInput, MembershipInput, NewAccount, OrganizationInput, PersonInput,
};
use plenary_domain::{Grant, Role, Scope};
use plenary_store::testing::TestDb;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub router: Router,
    pub app: App,
    pub clock: Arc<FixedClock>,
    /// Drives the router; tests stay synchronous so that the blocking database clients
    /// are created and dropped outside of any runtime, as in the server.
    runtime: tokio::runtime::Runtime,
    /// The e-mail address of the first secretariat account, once there is one.
    admin_email: Mutex<Option<String>>,
    _db: TestDb,
}

impl TestApp {
    /// On the backend named by PLENARY_TEST_BACKEND (sqlite by default).
    pub fn new() -> TestApp {
        TestApp::with_base_url("https://forum.example.org")
    }

    /// With another public address (an `http://` one sends no HSTS).
    pub fn with_base_url(base_url: &str) -> TestApp {
        install_log_capture();
        let db = TestDb::from_env();
        let clock = Arc::new(FixedClock::new(
            Utc.with_ymd_and_hms(2026, 6, 26, 8, 0, 0)
                .single()
                .expect("instant"),
        ));
        let config = AppConfig {
            base_url: base_url.into(),
            mail_from: "noreply@forum.example.org".into(),
        };
        let app = App::new(db.db.clone(), config, clock.clone()).expect("app");
        app.set_passport_keys(plenary_app::passport_keys::PassportKeys::generate());
        let router = plenary_web::router(app.clone(), plenary_web::WebConfig::default());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        TestApp {
            router,
            app,
            clock,
            runtime,
            admin_email: Mutex::new(None),
            _db: db,
        }
    }

    /// Creates an account holding `role` globally (or no role) and returns its id.
    pub fn account(&self, email: &str, role: Option<Role>) -> i64 {
        let account = NewAccount {
            email: email.into(),
            display_name: format!("Test {email}"),
            password: PASSWORD.into(),
            grants: role
                .map(|role| Grant {
                    role,
                    scope: Scope::Global,
                })
                .into_iter()
                .collect(),
        };
        let created = if role == Some(Role::Secretariat) && !self.app.has_accounts().expect("count")
        {
            *self.admin_email.lock().expect("lock") = Some(email.to_owned());
            self.app
                .bootstrap_admin(email, &account.display_name, PASSWORD)
                .expect("bootstrap")
        } else {
            let admin = self.admin_caller();
            self.app
                .create_user(&admin, &account)
                .expect("create account")
        };
        created.user.id.0
    }

    /// Creates an account holding `role` within `scope`.
    pub fn account_with_grant(&self, email: &str, role: Role, scope: Scope) -> i64 {
        let account = NewAccount {
            email: email.into(),
            display_name: format!("Test {email}"),
            password: PASSWORD.into(),
            grants: vec![Grant { role, scope }],
        };
        self.app
            .create_user(&self.admin_caller(), &account)
            .expect("create account")
            .user
            .id
            .0
    }

    /// A body (with a parent) holding one membership of a person of an organization.
    pub fn directory_fixtures(&self) -> DirectoryFixtures {
        let admin = self.admin_caller();
        let org = OrganizationInput {
            name: "Internet Society".into(),
            stakeholder_group: "technical_community".into(),
            country: "CH".into(),
        };
        let organization = self
            .app
            .save_organization(&admin, None, &org)
            .expect("organization")
            .id;
        let parent = BodyInput {
            kind: "advisory_group".into(),
            short_name: "MAG".into(),
            name: "Multistakeholder Advisory Group".into(),
            ..Default::default()
        };
        let parent = self
            .app
            .save_body(&admin, None, &parent)
            .expect("parent body")
            .id;
        let wg = BodyInput {
            parent_id: Some(parent),
            kind: "working_group".into(),
            short_name: "WG-Strategy".into(),
            name: "Working Group on Strategy".into(),
            mandate: "Strategy.".into(),
        };
        let body = self.app.save_body(&admin, None, &wg).expect("body").id;
        let person = PersonInput {
            family_name: "Núñez".into(),
            given_name: "Ana".into(),
            organization_id: Some(organization),
            stakeholder_group: "civil_society".into(),
            country: "AR".into(),
            ..Default::default()
        };
        let person = self
            .app
            .save_person(&admin, None, &person)
            .expect("person")
            .id;
        let member = MembershipInput {
            person_id: Some(person),
            role: "member".into(),
            starts_on: "2026-01-01".into(),
            ..Default::default()
        };
        let membership = self
            .app
            .add_membership(&admin, body, &member)
            .expect("membership")
            .id;
        let meeting = MeetingInput {
            body_id: Some(body),
            title: "Strategy call".into(),
            kind: "working_group_call".into(),
            mode: "online".into(),
            time_zone: "Europe/Zurich".into(),
            starts_on: "2026-06-26".into(),
            starts_time: "10:00".into(),
            ends_on: "2026-06-26".into(),
            ends_time: "12:00".into(),
            published: true,
            ..Default::default()
        };
        let meeting = self
            .app
            .save_meeting(&admin, None, &meeting)
            .expect("meeting")
            .id;
        let day = DayInput {
            day: "2026-06-26".into(),
            ..Default::default()
        };
        let day = self
            .app
            .save_day(&admin, meeting, None, &day)
            .expect("day")
            .id;
        let item = ItemInput {
            day_id: Some(day),
            title: "Welcome".into(),
            starts: "10:00".into(),
            ends: "10:15".into(),
            ..Default::default()
        };
        let item = self
            .app
            .save_item(&admin, meeting, None, &item)
            .expect("item")
            .id;
        let attendee = AttendeeInput {
            person_id: Some(person),
            role_group: "MAG members".into(),
            status: String::new(),
        };
        self.app
            .set_attendee(&admin, meeting, &attendee)
            .expect("attendee");
        DirectoryFixtures {
            organization,
            parent,
            body,
            person,
            membership,
            meeting,
            day,
            item,
        }
    }

    /// A secretariat caller for setting up fixtures directly through the app.
    pub fn admin_caller(&self) -> Caller {
        let email = self
            .admin_email
            .lock()
            .expect("lock")
            .get_or_insert_with(|| {
                self.app
                    .bootstrap_admin("root@example.org", "Root", PASSWORD)
                    .expect("bootstrap");
                "root@example.org".to_owned()
            })
            .clone();
        self.signed_in_caller(&email, PASSWORD, "192.0.2.200")
    }

    /// The caller of a fresh session of this account, signed in from `ip`.
    pub fn signed_in_caller(&self, email: &str, password: &str, ip: &str) -> Caller {
        let signed = self
            .app
            .sign_in(email, password, ip, None)
            .expect("signs in");
        self.app
            .session_user(&signed.session_token)
            .expect("lookup")
            .expect("live")
            .caller(None)
    }

    /// An API token for the account with this e-mail address.
    pub fn api_token(&self, email: &str) -> String {
        let caller = self.signed_in_caller(email, PASSWORD, "192.0.2.201");
        self.app
            .create_api_token(&caller, "test")
            .expect("token")
            .secret
    }

    pub fn client(&self) -> Client<'_> {
        Client {
            app: self,
            cookies: HashMap::new(),
            peer: "192.0.2.10:40000".parse().expect("addr"),
        }
    }

    pub fn send(&self, mut request: Request<Body>, peer: SocketAddr) -> Response {
        request.extensions_mut().insert(ConnectInfo(peer));
        let router = self.router.clone();
        self.runtime.block_on(async move {
            let response = router.oneshot(request).await.expect("router answers");
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
                .await
                .expect("body");
            Response {
                status,
                headers,
                body: String::from_utf8_lossy(&bytes).into_owned(),
                bytes: bytes.to_vec(),
            }
        })
    }

    /// A JSON API call with an optional bearer token.
    pub fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Response {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match body {
            Some(json) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string())),
            None => builder.body(Body::empty()),
        };
        self.send(
            request.expect("request"),
            "192.0.2.10:40000".parse().expect("addr"),
        )
    }
}

impl TestApp {
    /// An API call with a raw body.
    pub fn api_bytes(&self, method: Method, path: &str, token: &str, body: Vec<u8>) -> Response {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(body))
            .expect("request");
        self.send(request, "192.0.2.10:40000".parse().expect("addr"))
    }
}

pub struct DirectoryFixtures {
    pub organization: i64,
    pub parent: i64,
    pub body: i64,
    pub person: i64,
    pub membership: i64,
    pub meeting: i64,
    pub day: i64,
    pub item: i64,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (downloads that are not text).
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// Checks the status and returns the JSON body.
    pub fn expect_json(&self, status: StatusCode) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", self.body);
        self.json()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF field in: {}", self.body))
            + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .expect("value")
            .to_owned()
    }
}

/// A browser-like client: keeps cookies between requests.
pub struct Client<'a> {
    app: &'a TestApp,
    pub cookies: HashMap<String, String>,
    pub peer: SocketAddr,
}

impl Client<'_> {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, response: &Response) {
        for value in response.headers.get_all(header::SET_COOKIE) {
            let Ok(text) = value.to_str() else { continue };
            let Some((name, rest)) = text
                .split(';')
                .next()
                .and_then(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
            else {
                continue;
            };
            if text.contains("Max-Age=0") || rest.is_empty() {
                self.cookies.remove(&name);
            } else {
                self.cookies.insert(name, rest);
            }
        }
    }

    pub fn get(&mut self, path: &str) -> Response {
        let request = Request::builder()
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .expect("request");
        let response = self.app.send(request, self.peer);
        self.keep_cookies(&response);
        response
    }

    /// Posts the fields as they are (no CSRF token added).
    pub fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded::to_string(fields).expect("encode");
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        let response = self.app.send(request, self.peer);
        self.keep_cookies(&response);
        response
    }

    /// Posts a raw body with its content type (multipart uploads).
    pub fn post_bytes(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Response {
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("request");
        let response = self.app.send(request, self.peer);
        self.keep_cookies(&response);
        response
    }

    /// Loads `page`, takes its CSRF token and posts the fields to `action`.
    pub fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.get(page).csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all)
    }

    pub fn sign_in(&mut self, email: &str, password: &str) -> Response {
        self.submit(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", password)],
        )
    }
}

/// Everything logged by this test process, to check that no secret is ever logged.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOG.get_or_init(Default::default).lock().expect("log lock"))
        .into_owned()
}

static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn install_log_capture() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let buffer = LOG.get_or_init(Default::default).clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || LogWriter(buffer.clone()))
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}
