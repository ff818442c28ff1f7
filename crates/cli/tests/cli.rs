//! The command line, run as a real process.

use plenary_store::testing::TestDb;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn plenary(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args(args)
        .env_remove("PLENARY_DATABASE_URL")
        .env("PLENARY_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run plenary");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn version_and_help_work() {
    let out = plenary(&["--version"], "");
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout).trim(),
        format!("plenary {}", env!("CARGO_PKG_VERSION"))
    );
    let help = text(&plenary(&["--help"], "").stdout);
    for command in ["serve", "migrate", "admin", "backup", "demo"] {
        assert!(help.contains(command), "{command} in --help");
    }
}

#[test]
fn a_bad_setting_stops_start_up_with_one_line_naming_it() {
    let db = TestDb::sqlite();
    let out = plenary(
        &["serve", "--bind", "nonsense", "--database-url", &db.url()],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("PLENARY_BIND"), "{stderr}");
    let out = plenary(&["migrate", "--database-url", "mysql://x"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("PLENARY_DATABASE_URL"));
}

#[test]
fn migrate_admin_create_and_backup() {
    let db = TestDb::sqlite();
    let url = db.url();
    let out = plenary(&["migrate", "--database-url", &url], "");
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout).trim(),
        "The database is up to date.",
        "TestDb migrated it already"
    );

    let out = plenary(
        &[
            "admin",
            "create",
            "--email",
            "ana@example.org",
            "--name",
            "Ana Núñez",
            "--database-url",
            &url,
        ],
        "a long password\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Created secretariat account ana@example.org"));
    let again = plenary(
        &[
            "admin",
            "create",
            "--email",
            "ANA@example.org",
            "--database-url",
            &url,
        ],
        "a long password\n",
    );
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("email is already in use"),
        "{}",
        text(&again.stderr)
    );
    let short = plenary(
        &[
            "admin",
            "create",
            "--email",
            "bo@example.org",
            "--database-url",
            &url,
        ],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(text(&short.stderr).contains("password must be at least 10 characters"));

    // A token for the account, printed once, that the API accepts.
    let out = plenary(
        &[
            "admin",
            "token",
            "--email",
            "Ana@example.org",
            "--name",
            "fuzzer",
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let secret = text(&out.stdout).trim().to_owned();
    assert!(secret.starts_with("plenary_"), "{secret}");
    let app = plenary_app::App::new(
        db.db.clone(),
        plenary_app::AppConfig {
            base_url: "http://127.0.0.1".into(),
            mail_from: "noreply@example.org".into(),
        },
        std::sync::Arc::new(plenary_app::SystemClock),
    )
    .expect("app");
    let owner = app
        .api_token_user(&secret)
        .expect("lookup")
        .expect("the token works");
    assert_eq!(owner.user.email, "ana@example.org");
    let unknown = plenary(
        &[
            "admin",
            "token",
            "--email",
            "nobody@example.org",
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("email")
            && text(&unknown.stderr).contains("no enabled account"),
        "{}",
        text(&unknown.stderr)
    );

    let target = std::env::temp_dir().join(format!("plenary-backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&target);
    let out = plenary(
        &[
            "backup",
            target.to_str().expect("path"),
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let restored = format!("sqlite://{}", target.display());
    let out = plenary(
        &[
            "admin",
            "create",
            "--email",
            "ana@example.org",
            "--database-url",
            &restored,
        ],
        "a long password\n",
    );
    assert!(
        text(&out.stderr).contains("already in use"),
        "the backup holds the account"
    );
    let out = plenary(
        &[
            "backup",
            target.to_str().expect("path"),
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(!out.status.success(), "never overwrites a file");
    let _ = std::fs::remove_file(&target);
}

#[test]
fn backup_of_postgres_points_to_pg_dump() {
    let db = TestDb::postgres();
    let out = plenary(
        &[
            "backup",
            "/tmp/never-written.db",
            "--database-url",
            &db.url(),
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("pg_dump"));
}

#[test]
fn demo_fills_an_empty_database_once() {
    let db = TestDb::sqlite();
    let out = plenary(&["demo", "--database-url", &db.url()], "");
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(plenary_app::DEMO_PASSWORD)
            && stdout.contains(plenary_app::DEMO_ACCOUNTS[0].0)
    );
    let again = text(&plenary(&["demo", "--database-url", &db.url()], "").stdout);
    assert!(again.contains("was not loaded"));
}

#[test]
fn export_summary_writes_markdown_or_text() {
    let db = TestDb::sqlite();
    let url = db.url();
    assert!(
        plenary(&["demo", "--database-url", &url], "")
            .status
            .success()
    );
    let md = plenary(&["export", "summary", "1", "--database-url", &url], "");
    assert!(md.status.success(), "{}", text(&md.stderr));
    let md = text(&md.stdout);
    assert!(
        md.starts_with("# Open Internet Forum 2026 Second Open Consultations and MAG Meeting"),
        "{md}"
    );
    assert!(
        md.contains("## Annex 2: List of Participants") && md.contains("| Jónsdóttir | Guðrún |")
    );
    let out = std::env::temp_dir().join(format!("plenary-summary-{}.txt", std::process::id()));
    let txt = plenary(
        &[
            "export",
            "summary",
            "1",
            "--format",
            "txt",
            "--out",
            out.to_str().expect("path"),
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(txt.status.success());
    let written = std::fs::read_to_string(&out).expect("file written");
    assert!(written.contains("Jónsdóttir\tGuðrún"));
    let _ = std::fs::remove_file(&out);
    let bad = plenary(
        &[
            "export",
            "summary",
            "1",
            "--format",
            "docx",
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(!bad.status.success() && text(&bad.stderr).contains("--format"));
    let missing = plenary(&["export", "summary", "999", "--database-url", &url], "");
    assert!(!missing.status.success() && text(&missing.stderr).contains("not found"));
}

#[test]
fn export_registrations_streams_csv_or_xlsx() {
    let db = TestDb::sqlite();
    let url = db.url();
    assert!(
        plenary(&["demo", "--database-url", &url], "")
            .status
            .success()
    );
    let export = |extra: &[&str]| {
        let mut args = vec!["export", "registrations", "--database-url", &url];
        if !extra.contains(&"--event") {
            args.extend(["--event", "1"]);
        }
        args.extend_from_slice(extra);
        plenary(&args, "")
    };
    let csv = export(&[]);
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    let body = text(&csv.stdout);
    let body = body.strip_prefix('\u{feff}').expect("byte-order mark");
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 4, "{body}");
    assert!(lines[0].starts_with("Id,Family name,Given name,E-mail address,Organization,"));
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",Wanjiru,Achieng,achieng@example.org,"))
    );
    assert!(
        text(&csv.stderr).contains("Exported 3 registrations of event 1 to standard output"),
        "{}",
        text(&csv.stderr)
    );
    let one = export(&["--search", "HADDAD", "--status", "confirmed"]);
    assert!(one.status.success(), "{}", text(&one.stderr));
    assert_eq!(text(&one.stdout).split_terminator("\r\n").count(), 2);

    let out =
        std::env::temp_dir().join(format!("plenary-registrations-{}.xlsx", std::process::id()));
    let xlsx = export(&["--format", "xlsx", "--output", out.to_str().expect("path")]);
    assert!(xlsx.status.success(), "{}", text(&xlsx.stderr));
    assert!(xlsx.stdout.is_empty());
    let bytes = std::fs::read(&out).expect("file written");
    let _ = std::fs::remove_file(&out);
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    assert_eq!(&bytes[bytes.len() - 22..bytes.len() - 18], b"PK\x05\x06");
    assert!(String::from_utf8_lossy(&bytes).contains(">Wanjiru<"));

    for (extra, named) in [
        (&["--format", "pdf"][..], "--format"),
        (&["--event", "999"][..], "--event"),
        (&["--status", "lost"][..], "status"),
    ] {
        let bad = export(extra);
        assert!(!bad.status.success(), "{extra:?}");
        assert!(bad.stdout.is_empty());
        let stderr = text(&bad.stderr);
        assert!(stderr.contains(named), "{extra:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

/// An event of 2024 offering visa letters, with one request (passport number
/// FE123456), set up at the time with these passport keys; returns the event's and the
/// registration's ids.
fn event_with_visa_request(
    url: &str,
    keys: plenary_app::passport_keys::PassportKeys,
) -> (i64, i64) {
    use plenary_app::registration::{CategoryInput, EventInput, RegistrationInput};
    let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 3, 1, 9, 0, 0)
        .single()
        .expect("instant");
    let app = plenary_app::App::open(
        &plenary_app::DatabaseUrl::parse(url).expect("url"),
        plenary_app::AppConfig {
            base_url: "http://127.0.0.1:8080".into(),
            mail_from: "noreply@example.org".into(),
        },
        std::sync::Arc::new(plenary_app::FixedClock::new(at)),
    )
    .expect("app");
    app.set_passport_keys(keys);
    let admin = plenary_app::Caller::operator();
    let event = app
        .save_event(
            &admin,
            None,
            &EventInput {
                title: "Forum 2024".into(),
                time_zone: "Europe/Berlin".into(),
                starts_at: "2024-05-06T09:00".into(),
                ends_at: "2024-05-08T18:00".into(),
                registration_opens_at: "2024-02-01T00:00".into(),
                registration_closes_at: "2024-04-30T00:00".into(),
                changes_until: "2024-04-30T00:00".into(),
                visa_letters: true,
                ..Default::default()
            },
        )
        .expect("event");
    let category = app
        .save_category(
            &admin,
            event.id,
            None,
            &CategoryInput {
                name: "Onsite".into(),
                mode: "onsite".into(),
                ..Default::default()
            },
        )
        .expect("category");
    let registered = app
        .register(
            &plenary_app::Caller::anonymous(None),
            event.id,
            &RegistrationInput {
                category_id: category.id.to_string(),
                email: "visitor@example.org".into(),
                family_name: "Visitor".into(),
                ..Default::default()
            },
        )
        .expect("register");
    let token = registered.manage_token.expect("token");
    app.request_visa_letter(
        plenary_app::visa::Holder::Token(&token),
        &plenary_domain::visa::PassportInput {
            family_name: "Visitor".into(),
            given_names: "Vera".into(),
            nationality: "UA".into(),
            date_of_birth: "1980-01-01".into(),
            passport_number: "FE123456".into(),
            issued_on: "2020-01-01".into(),
            expires_on: "2030-01-01".into(),
            issued_by: "4801".into(),
            consulate: "German Embassy, Kyiv".into(),
            arrival_on: "2024-05-05".into(),
            departure_on: "2024-05-09".into(),
        },
    )
    .expect("visa request");
    (event.id, registered.registration.id)
}

/// `FILE.passport-key` beside the SQLite database at `url`.
fn default_key_file(url: &str) -> std::path::PathBuf {
    match plenary_app::DatabaseUrl::parse(url).expect("url") {
        plenary_app::DatabaseUrl::Sqlite(path) => {
            let mut name = path.into_os_string();
            name.push(".passport-key");
            name.into()
        }
        plenary_app::DatabaseUrl::Postgres(_) => panic!("a SQLite database"),
    }
}

/// The passport column of a request as stored.
fn raw_passport(db: &TestDb, registration: i64) -> Option<String> {
    db.db
        .read(|tx| {
            tx.query_one(
                "SELECT passport FROM visa_requests WHERE registration_id = $1",
                plenary_store::params![registration],
            )?
            .opt_text(0)
        })
        .expect("raw column")
}

#[test]
fn rotating_the_passport_key_keeps_the_details_readable() {
    let db = TestDb::from_env();
    let url = db.url();
    let dir =
        std::env::temp_dir().join(format!("plenary-cli-keys-{}", plenary_app::random_token()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("passport.keys");
    let path = file.to_str().expect("utf-8 path");
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        plenary(&all, "")
    };
    // The first rotation creates the key file.
    let out = run(&["keys", "rotate-passport", "--key-file", path]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Re-encrypted 0 passport detail(s)"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let keys = plenary_app::passport_keys::PassportKeys::read_file(&file).expect("keys");
    let old_id = keys.current_id().to_owned();
    let (event, registration) = event_with_visa_request(&url, keys);
    let event = event.to_string();
    let stored = raw_passport(&db, registration).expect("stored");
    assert!(stored.starts_with(&format!("v1:{old_id}:")) && !stored.contains("FE123456"));
    let export =
        |key_file: &str| run(&["export", "visa", "--event", &event, "--key-file", key_file]);

    // Rotate: one detail re-encrypted; the old key then goes from the file.
    let out = run(&["keys", "rotate-passport", "--key-file", path]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Re-encrypted 1 passport detail(s)"),
        "{stdout}"
    );
    assert!(stdout.contains(&old_id), "{stdout}");
    let stored = raw_passport(&db, registration).expect("stored");
    assert!(!stored.contains(&old_id) && !stored.contains("FE123456"));
    let without_old: String = std::fs::read_to_string(&file)
        .expect("file")
        .lines()
        .filter(|l| !l.starts_with(&old_id))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, &without_old).expect("rewrite");
    let out = export(path);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("FE123456"));

    // A key file without the key in use: a clear error, no panic, nothing written.
    let wrong = dir.join("wrong.keys");
    plenary_app::passport_keys::PassportKeys::create_file(&wrong).expect("wrong key");
    let wrong_text = std::fs::read_to_string(&wrong).expect("file");
    let wrong = wrong.to_str().expect("utf-8 path");
    let before = raw_passport(&db, registration);
    for out in [
        export(wrong),
        run(&["keys", "rotate-passport", "--key-file", wrong]),
    ] {
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(stderr.contains("not among the configured keys"), "{stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("FE123456"),
            "{stderr}"
        );
    }
    assert_eq!(std::fs::read_to_string(wrong).expect("file"), wrong_text);
    assert_eq!(raw_passport(&db, registration), before);
    // A missing key file is not created when details exist that it could not read.
    let missing = dir.join("missing.keys");
    let out = run(&[
        "keys",
        "rotate-passport",
        "--key-file",
        missing.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("nothing was changed"));
    assert!(!missing.exists());
    // A key file that cannot be read, or a malformed key, stops the command naming it.
    let out = export(missing.to_str().expect("path"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("PLENARY_PASSPORT_KEY_FILE"));
    let mut bad = Command::new(env!("CARGO_BIN_EXE_plenary"));
    let out = bad
        .args(["export", "visa", "--event", &event, "--database-url", &url])
        .env("PLENARY_PASSPORT_KEY", "not a key")
        .env("PLENARY_LOG", "error")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("PLENARY_PASSPORT_KEY"));
    // A production server does not start without the key when details are stored.
    let out = run(&["serve", "--bind", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("PLENARY_PASSPORT_KEY_FILE"), "{stderr}");

    // Details stored in clear by an earlier version are read, and encrypted by the next
    // command that has the key.
    let keys = plenary_app::passport_keys::PassportKeys::read_file(&file).expect("keys");
    let json = keys
        .open(
            registration,
            &raw_passport(&db, registration).expect("stored"),
        )
        .expect("open");
    db.db
        .write(|tx| {
            tx.execute(
                "UPDATE visa_requests SET passport = $2 WHERE registration_id = $1",
                plenary_store::params![registration, json],
            )
        })
        .expect("plaintext row");
    let out = export(path);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("FE123456"));
    let stored = raw_passport(&db, registration).expect("stored");
    assert!(
        stored.starts_with("v1:") && !stored.contains("FE123456"),
        "{stored}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn purge_deletes_passport_details_after_the_retention_period() {
    let db = TestDb::sqlite();
    let url = db.url();
    // An event of 2024 with a visa letter request, set up at the time; its 30 days of
    // retention are long over by the time the command runs. The key lies next to the
    // database, where the commands find it without being told.
    let key_file = default_key_file(&url);
    event_with_visa_request(
        &url,
        plenary_app::passport_keys::PassportKeys::create_file(&key_file).expect("key file"),
    );
    let purge = |extra: &[&str]| {
        let mut args = vec!["purge", "--database-url", &url];
        args.extend_from_slice(extra);
        let out = plenary(&args, "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    // The visa export holds the details until the purge.
    let export = || {
        let out = plenary(
            &["export", "visa", "--event", "1", "--database-url", &url],
            "",
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("Exported 1 visa requests of event 1"));
        text(&out.stdout)
    };
    assert!(export().contains("FE123456"));
    assert!(
        purge(&["--dry-run"])
            .contains("Would delete the passport details of 1 visa letter request(s) of event 1.")
    );
    assert!(
        purge(&[]).contains("Deleted the passport details of 1 visa letter request(s) of event 1.")
    );
    assert!(purge(&[]).contains("Nothing to purge"));
    assert!(!export().contains("FE123456"));
}

// ------------------------------------------------------------------ import

/// Where the import tests' documents are: the project's own (`crates/domain/tests/import`,
/// with their expected extractions), always present, or the real samples beside the
/// repository (`../shared/samples`), read only by the ignored tests that `.ci/run` runs in
/// its shared-samples step.
#[derive(Clone, Copy)]
enum Documents {
    Owned,
    Samples,
}

impl Documents {
    fn path(self, name: &str) -> String {
        let dir = match self {
            Documents::Owned => "../domain/tests/import",
            Documents::Samples => "../../../shared/samples",
        };
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(dir)
            .join(name)
            .display()
            .to_string()
    }

    /// The expected extraction of `name` (without `.txt`), without warnings.
    fn expected(self, name: &str) -> serde_json::Value {
        let text =
            std::fs::read_to_string(self.path(&format!("{name}.expected.json"))).expect("expected");
        without_warnings(serde_json::from_str(&text).expect("expected JSON"))
    }
}

/// A summary without an organiser line and an agenda, with what the import reports.
struct ImportCase {
    documents: Documents,
    /// The summary's and the agenda's names, without `.txt`.
    summary: &'static str,
    agenda: &'static str,
    /// At least this many warnings for the agenda.
    agenda_warnings: usize,
    /// The summary's title, its report's "recognised" line, a note of its report and the
    /// totals line's actions and participants.
    title: &'static str,
    recognised: &'static str,
    note: &'static str,
    totals: &'static str,
}

const OWN_DOCUMENTS: ImportCase = ImportCase {
    documents: Documents::Owned,
    summary: "wg-strategy-2025-meeting-3-summary",
    agenda: "mag-retreat-2026-agenda",
    agenda_warnings: 2,
    title: "WG-Strategy Meeting 3",
    recognised: "recognised: 0 days, 2 items, 2 actions, 6 participants",
    note: "note: 1 participant(s) listed before any role group are stored under \"Participants\"",
    totals: "2 actions, 6 participants",
};

const SAMPLES: ImportCase = ImportCase {
    documents: Documents::Samples,
    summary: "mag-2024-meeting-viii-summary",
    agenda: "open-consultations-2024-agenda",
    agenda_warnings: 3,
    title: "IGF 2024 MAG Meeting VIII",
    recognised: "recognised: 0 days, 8 items, 9 actions, 56 participants",
    note: "note: the document states no end",
    totals: "9 actions, 56 participants",
};

/// The JSON without the warnings, whose wording is free.
fn without_warnings(mut value: serde_json::Value) -> serde_json::Value {
    if let Some(object) = value.as_object_mut() {
        object.remove("warnings");
        object.remove("warnings_expected");
    }
    value
}

/// A database of the backend PLENARY_TEST_BACKEND names, with a body "MAG".
fn import_db() -> TestDb {
    let db = TestDb::from_env();
    db.db
        .write(|tx| {
            plenary_store::directory::insert_body(
                tx,
                &plenary_store::directory::BodyFields {
                    parent_id: None,
                    kind: plenary_domain::people::BodyKind::AdvisoryGroup,
                    short_name: "MAG",
                    name: "Multistakeholder Advisory Group",
                    mandate: "",
                },
                chrono::DateTime::UNIX_EPOCH,
            )
        })
        .expect("body");
    db
}

#[test]
fn a_dry_run_prints_the_extraction_of_each_file_as_json_and_opens_no_database() {
    dry_run_prints_the_extraction_of_each_file(&OWN_DOCUMENTS);
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn a_dry_run_prints_the_extraction_of_each_sample_as_json_and_opens_no_database() {
    dry_run_prints_the_extraction_of_each_file(&SAMPLES);
}

fn dry_run_prints_the_extraction_of_each_file(case: &ImportCase) {
    let summary = case.documents.path(&format!("{}.txt", case.summary));
    let agenda = case.documents.path(&format!("{}.txt", case.agenda));
    let nowhere = std::env::temp_dir().join(format!("plenary-nowhere-{}", std::process::id()));
    let url = format!("sqlite://{}/never.db", nowhere.display());
    let out = plenary(
        &[
            "import",
            "--dry-run",
            "--json",
            &summary,
            &agenda,
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!nowhere.exists(), "a dry run opens no database");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let files = printed.as_array().expect("an array for several files");
    assert_eq!(files.len(), 2);
    assert!(files[1]["warnings"].as_array().is_some_and(
        |w| w.len() >= case.agenda_warnings && w.iter().all(|w| w["message"].is_string())
    ));
    assert_eq!(
        without_warnings(files[0].clone()),
        case.documents.expected(case.summary)
    );
    assert_eq!(
        without_warnings(files[1].clone()),
        case.documents.expected(case.agenda)
    );

    let one = plenary(&["import", "--dry-run", "--json", &agenda], "");
    let printed: serde_json::Value = serde_json::from_slice(&one.stdout).expect("JSON");
    assert_eq!(
        without_warnings(printed),
        case.documents.expected(case.agenda),
        "one file: one object"
    );
}

#[test]
fn a_dry_run_reads_word_and_pdf_files_as_their_text_and_refuses_a_scan() {
    use plenary_app::import::testing::{PdfFont, assemble, docx_from_text, pdf_from_text, stream};
    let case = &OWN_DOCUMENTS;
    let summary = std::fs::read_to_string(case.documents.path(&format!("{}.txt", case.summary)))
        .expect("the summary");
    let dir = std::env::temp_dir().join(format!("plenary-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    // Named as nothing in particular: the content tells the format.
    let (docx, pdf, scan) = (
        dir.join("minutes.bin"),
        dir.join("minutes"),
        dir.join("scan.pdf"),
    );
    std::fs::write(&docx, docx_from_text(&summary)).expect("write");
    std::fs::write(&pdf, pdf_from_text(&summary, PdfFont::Composite, 20)).expect("write");
    let picture = assemble(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Count 1 /Kids [3 0 R] >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_owned(),
            stream("0 g 72 72 400 600 re f"),
        ],
        "",
    );
    std::fs::write(&scan, picture).expect("write");
    let paths: Vec<String> = [&docx, &pdf, &scan]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let out = plenary(
        &[
            "import",
            "--dry-run",
            "--json",
            &paths[0],
            &paths[1],
            &paths[2],
        ],
        "",
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "the scan fails the run");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "plenary import: {}: the PDF has no text to read",
            paths[2]
        )),
        "{stderr}"
    );
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let files = printed.as_array().expect("one object a file");
    let expected = case.documents.expected(case.summary);
    assert_eq!(without_warnings(files[0].clone()), expected, "docx");
    assert_eq!(without_warnings(files[1].clone()), expected, "pdf");
    assert_eq!(files[2]["kind"], "unrecognised");
}

#[test]
fn importing_the_same_file_twice_reports_it_unchanged() {
    importing_twice_reports_unchanged(&OWN_DOCUMENTS);
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn importing_the_same_sample_twice_reports_it_unchanged() {
    importing_twice_reports_unchanged(&SAMPLES);
}

fn importing_twice_reports_unchanged(case: &ImportCase) {
    let db = import_db();
    let url = db.url();
    let summary = case.documents.path(&format!("{}.txt", case.summary));
    let first = plenary(
        &["import", &summary, "--body", "MAG", "--database-url", &url],
        "",
    );
    assert!(first.status.success(), "{}", text(&first.stderr));
    let report = text(&first.stdout);
    assert!(report.contains("outcome: created meeting 1"), "{report}");
    assert!(report.contains(case.recognised), "{report}");
    assert!(report.contains(case.note), "{report}");
    let again = plenary(
        &["import", &summary, "--body", "MAG", "--database-url", &url],
        "",
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).contains("outcome: unchanged meeting 1"),
        "{}",
        text(&again.stdout)
    );
    let json = plenary(
        &[
            "import",
            &summary,
            "--json",
            "--body",
            "MAG",
            "--database-url",
            &url,
        ],
        "",
    );
    let printed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(printed["import"]["outcome"], "unchanged");
    assert_eq!(printed["import"]["meeting_id"], 1);
    assert_eq!(printed["title"], case.title);
}

#[test]
fn files_that_fail_are_named_and_the_others_are_still_stored() {
    failing_files_are_named_and_the_others_stored(&OWN_DOCUMENTS);
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn files_that_fail_are_named_and_the_sample_is_still_stored() {
    failing_files_are_named_and_the_others_stored(&SAMPLES);
}

fn failing_files_are_named_and_the_others_stored(case: &ImportCase) {
    let db = import_db();
    let url = db.url();
    let dir = std::env::temp_dir().join(format!(
        "plenary-import-{}-{}",
        case.summary,
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let binary = dir.join("minutes.docx");
    std::fs::write(&binary, b"PK\x03\x04\x14\x00\x06\x00\xff\xfe\x00binary").expect("write");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let (binary, empty) = (binary.display().to_string(), empty.display().to_string());
    let summary = case.documents.path(&format!("{}.txt", case.summary));
    let out = plenary(
        &[
            "import",
            &binary,
            &empty,
            &summary,
            "--body",
            "MAG",
            "--database-url",
            &url,
        ],
        "",
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "plenary import: {binary}: the Word document is damaged and cannot be read"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("plenary import: {empty}: the file is empty")),
        "{stderr}"
    );
    assert!(!stderr.contains(&summary), "{stderr}");
    let stdout = text(&out.stdout);
    assert!(stdout.contains("outcome: created meeting 1"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "3 files: meetings 1 created, 0 updated, 0 unchanged; {}",
            case.totals
        )),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("2 failed"), "{stdout}");
    let stored = db
        .db
        .read(|tx| plenary_store::meetings::meetings(tx, None, true))
        .expect("meetings");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].title, case.title);

    // Without a body for the document, the use case refuses and says why.
    let out = plenary(&["import", &summary, "--database-url", &url], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("body: the document has no organiser line"),
        "{}",
        text(&out.stderr)
    );
}

/// A scratch folder for the assignment tests, removed on drop.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("plenary-cli-assign-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const TINY_REVIEW_INSTANCE: &str = r#"{
  "format": "plenary-review-instance/v1",
  "params": {"reviewers_per_submission": 2, "max_load": 2, "balance_penalty": 1.0,
             "stakeholder_groups": ["government", "civil_society"]},
  "reviewers": [{"id": "V1", "organization": "O1", "stakeholder_group": "government"},
                {"id": "V2", "organization": "O2", "stakeholder_group": "government"},
                {"id": "V3", "organization": "O3", "stakeholder_group": "civil_society"}],
  "submissions": [{"id": "X1", "organization": "O1"}, {"id": "X2", "organization": "O9"}],
  "affinity": [[0.9, 0.8, 0.1], [0.9, 0.8, 0.2]],
  "conflicts": [[1, 1]]
}"#;

#[test]
fn assign_solves_an_instance_file_without_a_database() {
    let dir = Scratch::new("tiny");
    let file = dir.path("tiny.json");
    std::fs::write(&file, TINY_REVIEW_INSTANCE).expect("write the instance");
    // An unusable database URL does not matter: no database is opened.
    let out = plenary(
        &["assign", "--instance", &file, "--database-url", "mysql://x"],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let solution: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        solution,
        serde_json::json!({
            "format": "plenary-review-solution/v1",
            "assignment": {"X1": ["V2", "V3"], "X2": ["V1", "V3"]}
        })
    );
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("hard violations 0, total affinity 2.00, excess 0, objective 2.00"),
        "{stderr}"
    );

    let written = dir.path("solution.json");
    let out = plenary(&["assign", "--instance", &file, "--out", &written], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let from_file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written).expect("--out written"))
            .expect("JSON");
    assert_eq!(from_file, solution);
}

#[test]
fn assign_refuses_bad_files_and_impossible_instances_in_one_line() {
    let dir = Scratch::new("bad");
    let one_line_failure = |args: &[&str], expected: &str| {
        let out = plenary(args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{expected} in {stderr}");
        assert!(out.stdout.is_empty());
    };
    let missing = dir.path("missing.json");
    one_line_failure(&["assign", "--instance", &missing], &missing);
    let broken = dir.path("broken.json");
    std::fs::write(&broken, "{\"format\": ").expect("write");
    one_line_failure(&["assign", "--instance", &broken], "EOF while parsing");
    let unknown = dir.path("unknown.json");
    std::fs::write(
        &unknown,
        TINY_REVIEW_INSTANCE.replace("\"civil_society\"}", "\"press\"}"),
    )
    .expect("write");
    one_line_failure(
        &["assign", "--instance", &unknown],
        "reviewer V3 is in stakeholder group \"press\"",
    );
    // X1 conflicts with V1 (same organization) and, now, V3: only V2 is left.
    let impossible = dir.path("impossible.json");
    std::fs::write(
        &impossible,
        TINY_REVIEW_INSTANCE.replace("[[1, 1]]", "[[1, 1], [0, 2]]"),
    )
    .expect("write");
    one_line_failure(
        &["assign", "--instance", &impossible],
        "no assignment is possible: submission X1 needs 2 more reviewer(s) but conflicts and load limits leave room for 1",
    );
    // A call is named by its number; nothing is opened for anything else.
    one_line_failure(
        &["assign", "CALL-1"],
        "CALL: give the call's number (id), not \"CALL-1\"",
    );
    let out = plenary(&["assign"], "");
    assert_eq!(out.status.code(), Some(2), "CALL or --instance is required");
}

/// A call with two sent proposals and three reviewers (one of them expert in the
/// proposals' theme), and a second call whose only reviewer cannot serve its proposal,
/// set up through the app on the SQLite file; returns the two calls' ids.
fn calls_to_assign(url: &str) -> (i64, i64) {
    use plenary_app::calls::{CallInput, SubmissionInput};
    use plenary_app::review::ReviewerInput;
    use plenary_app::{App, Caller, NewAccount};
    use plenary_domain::calls::{ProposalInput, SpeakerInput};
    let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 10, 12, 0, 0)
        .single()
        .expect("instant");
    let app = App::open(
        &plenary_app::DatabaseUrl::parse(url).expect("url"),
        plenary_app::AppConfig {
            base_url: "http://127.0.0.1:8080".into(),
            mail_from: "noreply@example.org".into(),
        },
        std::sync::Arc::new(plenary_app::FixedClock::new(at)),
    )
    .expect("app");
    let operator = Caller::operator();
    let account = |email: &str| -> Caller {
        app.create_user(
            &operator,
            &NewAccount {
                email: email.into(),
                display_name: email.split('@').next().unwrap_or(email).into(),
                password: "correct horse battery".into(),
                grants: vec![],
            },
        )
        .expect("account");
        let signed = app
            .sign_in(email, "correct horse battery", "192.0.2.1", None)
            .expect("sign in");
        app.session_user(&signed.session_token)
            .expect("lookup")
            .expect("live")
            .caller(None)
    };
    let call = |title: &str| {
        app.save_call(
            &operator,
            None,
            &CallInput {
                kind: "session_proposals".into(),
                title: title.into(),
                time_zone: "UTC".into(),
                opens_at: "2026-03-01T00:00".into(),
                closes_at: "2026-04-01T00:00".into(),
                themes: "Digital inclusion".into(),
                reviewers_per_submission: "2".into(),
                ..CallInput::default()
            },
        )
        .expect("call")
        .call
        .id
    };
    let send = |who: &Caller, call: i64, title: &str| {
        let input = SubmissionInput {
            proposal: ProposalInput {
                title: title.into(),
                session_type: "workshop".into(),
                theme: "Digital inclusion".into(),
                format: "online".into(),
                description: "Connecting the last mile.".into(),
                policy_questions: "Who pays?".into(),
                speakers: vec![SpeakerInput {
                    name: format!("Speaker of {title}"),
                    organization: "Rural Net".into(),
                    stakeholder_group: "civil_society".into(),
                    country: "KE".into(),
                    ..SpeakerInput::default()
                }],
                ..ProposalInput::default()
            },
            ..SubmissionInput::default()
        };
        let id = app
            .save_submission(who, call, None, &input)
            .expect("draft")
            .submission
            .id;
        app.submit_submission(who, id).expect("sent");
    };
    let reviewer = |call: i64, email: &str, group: &str, expertise: &str| {
        app.save_reviewer(
            &operator,
            call,
            &ReviewerInput {
                email: email.into(),
                organization: format!("Org of {email}"),
                stakeholder_group: group.into(),
                expertise: expertise.into(),
                ..ReviewerInput::default()
            },
        )
        .expect("reviewer");
    };
    let (ana, ben) = (account("ana@example.org"), account("ben@example.org"));
    for email in ["rev1@example.org", "rev2@example.org", "rev3@example.org"] {
        account(email);
    }
    let first = call("Workshops 2026");
    send(&ana, first, "Community networks");
    send(&ben, first, "Local content");
    reviewer(first, "rev1@example.org", "government", "Digital inclusion");
    reviewer(first, "rev2@example.org", "civil_society", "");
    reviewer(first, "rev3@example.org", "civil_society", "");
    let second = call("Open fora 2026");
    send(&ana, second, "An open forum");
    reviewer(second, "rev1@example.org", "government", "");
    (first, second)
}

#[test]
fn assign_runs_the_assignment_of_a_call_on_the_database() {
    let db = TestDb::sqlite();
    let url = db.url();
    let (first, second) = calls_to_assign(&url);
    let out = plenary(&["assign", &first.to_string(), "--database-url", &url], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The expert reviewer on both, with one of the two others each (no second reviewer
    // of one group): affinity 2, no excess.
    assert_eq!(
        text(&out.stdout).trim(),
        format!(
            "Assigned reviewers to call {first}: 2 submissions, 3 reviewers: 0 pairs kept, 4 added; total affinity 2.00, excess 0, objective 2.00."
        )
    );
    // The pairs are stored: the committee's table lists two reviewers per submission.
    let app = plenary_app::App::open(
        &plenary_app::DatabaseUrl::parse(&url).expect("url"),
        plenary_app::AppConfig {
            base_url: "http://127.0.0.1:8080".into(),
            mail_from: "noreply@example.org".into(),
        },
        std::sync::Arc::new(plenary_app::SystemClock),
    )
    .expect("app");
    let committee = app
        .committee(&plenary_app::Caller::operator(), first)
        .expect("committee");
    assert_eq!(committee.lines.len(), 2);
    for line in &committee.lines {
        assert_eq!(line.assigned.len(), 2, "{:?}", line.assigned);
        assert!(line.assigned.iter().any(|name| name == "rev1"));
    }
    drop(app);

    // An unknown call and an impossible assignment fail in one line, changing nothing.
    let one_line_failure = |call: &str, expected: &str| {
        let out = plenary(&["assign", call, "--database-url", &url], "");
        assert_eq!(out.status.code(), Some(1), "{call}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{expected} in {stderr}");
        assert!(out.stdout.is_empty());
    };
    one_line_failure("999", "CALL: there is no call 999");
    one_line_failure(
        &second.to_string(),
        &format!("call {second}: no assignment is possible"),
    );
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn assign_finds_the_optimum_of_the_r1000_benchmark() {
    let file = bench("review-r1000.json");
    let out = plenary(&["assign", "--instance", &file], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    // The peers' optimum (HiGHS, CBC): total affinity 2254.68 with excess 0.
    assert!(
        stderr.contains("hard violations 0, total affinity 2254.68, excess 0, objective 2254.68"),
        "{stderr}"
    );
    let solution: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let assignment = solution["assignment"].as_object().expect("a map");
    assert_eq!(assignment.len(), 1000);
    assert!(
        assignment
            .values()
            .all(|r| r.as_array().is_some_and(|r| r.len() == 3))
    );
}

/// An instance of the benchmark beside the repository (`../shared/bench`), read only by
/// the ignored tests that `.ci/run` runs in its shared-samples step.
fn bench(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/bench")
        .join(name)
        .display()
        .to_string()
}

/// A timetable of the project's own: two rooms over three timeslots (two days), two main
/// sessions that only the hall holds and never in parallel, four workshops of theme T1
/// sharing people with the main session S1. Four T1 sessions over three timeslots: at
/// least one same-theme pair in parallel, and one is possible (lower bound = optimum 1).
const TINY_TIMETABLE_INSTANCE: &str = r#"{
  "format": "plenary-timetable-instance/v1",
  "name": "tiny",
  "themes": [{"id": "T1", "name": "Access"}, {"id": "T2", "name": "Trust"}],
  "rooms": [{"id": "R1", "name": "Hall", "capacity": 200, "slot_minutes": 90},
            {"id": "R2", "name": "Room 2", "capacity": 50, "slot_minutes": 60}],
  "timeslots": [{"id": "D1S1", "day": 1, "index": 0, "start": "2026-06-01T09:00", "minutes": 90},
                {"id": "D1S2", "day": 1, "index": 1, "start": "2026-06-01T11:00", "minutes": 90},
                {"id": "D2S1", "day": 2, "index": 0, "start": "2026-06-02T09:00", "minutes": 90}],
  "slots": [{"id": "R1-D1S1", "room": "R1", "timeslot": "D1S1", "minutes": 90, "capacity": 200},
            {"id": "R2-D1S1", "room": "R2", "timeslot": "D1S1", "minutes": 60, "capacity": 50},
            {"id": "R1-D1S2", "room": "R1", "timeslot": "D1S2", "minutes": 90, "capacity": 200},
            {"id": "R2-D1S2", "room": "R2", "timeslot": "D1S2", "minutes": 60, "capacity": 50},
            {"id": "R1-D2S1", "room": "R1", "timeslot": "D2S1", "minutes": 90, "capacity": 200},
            {"id": "R2-D2S1", "room": "R2", "timeslot": "D2S1", "minutes": 60, "capacity": 50}],
  "people": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}, {"id": "P4"}, {"id": "P5"},
             {"id": "P6"}, {"id": "P7"}, {"id": "P8"}],
  "sessions": [
    {"id": "S1", "type": "main", "theme": "T1", "duration": 90, "expected_audience": 150,
     "moderator": "P1", "speakers": ["P2"]},
    {"id": "S2", "type": "main", "theme": "T2", "duration": 90, "expected_audience": 120,
     "moderator": "P3", "speakers": ["P4"]},
    {"id": "S3", "type": "workshop", "theme": "T1", "duration": 60, "expected_audience": 40,
     "moderator": "P1", "speakers": ["P5"]},
    {"id": "S4", "type": "workshop", "theme": "T1", "duration": 60, "expected_audience": 30,
     "moderator": "P6", "speakers": ["P2"]},
    {"id": "S5", "type": "workshop", "theme": "T1", "duration": 60, "expected_audience": 45,
     "moderator": "P7", "speakers": ["P8"]}
  ],
  "constraints": {
    "hard": [{"kind": "each_session_exactly_one_slot"}, {"kind": "at_most_one_session_per_slot"},
             {"kind": "duration_fits_slot"}, {"kind": "audience_fits_capacity"},
             {"kind": "no_person_in_parallel_sessions", "roles": ["moderator", "speaker"]},
             {"kind": "not_parallel", "session_type": "main", "sessions": ["S1", "S2"]}],
    "soft": [{"kind": "minimize_same_theme_parallel_pairs", "weight": 1}]
  }
}"#;

/// Solves the instance file with `plenary schedule --instance` and checks the solution
/// independently of the solver: every session in one existing slot of its own, rooms big
/// and long enough, no person twice in a timeslot, main sessions apart, and `optimum`
/// same-theme pairs in parallel, as the one-line summary says with its lower bound.
fn schedule_solves_to_the_optimum(file: &str, sessions: usize, optimum: usize) {
    let out = plenary(&["schedule", "--instance", file], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    // The lower bound: each theme spread evenly over the timeslots.
    assert!(
        stderr.contains(&format!(
            "hard violations 0, same-theme parallel pairs {optimum} (lower bound {optimum})"
        )),
        "{stderr}"
    );
    let solution: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(solution["format"], "plenary-timetable-solution/v1");
    let assignment = solution["assignment"].as_object().expect("a map");
    assert_eq!(assignment.len(), sessions);
    let instance: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("instance");
    let slots: std::collections::HashMap<&str, &serde_json::Value> = instance["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .map(|s| (s["id"].as_str().expect("id"), s))
        .collect();
    let mut used = std::collections::HashSet::new();
    let mut busy = std::collections::HashSet::new();
    let mut main_at = std::collections::HashSet::new();
    let mut themes_at: Vec<(&str, &str)> = Vec::new();
    for s in instance["sessions"].as_array().expect("sessions") {
        let slot = slots[assignment[s["id"].as_str().expect("id")]
            .as_str()
            .expect("slot")];
        assert!(used.insert(slot["id"].as_str()), "one session per slot");
        assert!(s["duration"].as_u64() <= slot["minutes"].as_u64());
        assert!(s["expected_audience"].as_u64() <= slot["capacity"].as_u64());
        let timeslot = slot["timeslot"].as_str().expect("timeslot");
        let people = s["speakers"]
            .as_array()
            .expect("speakers")
            .iter()
            .chain([&s["moderator"]]);
        let mut mine = std::collections::HashSet::new();
        for p in people.filter_map(|p| p.as_str()) {
            if mine.insert(p) {
                assert!(busy.insert((p, timeslot)), "{p} twice in {timeslot}");
            }
        }
        if s["type"] == "main" {
            assert!(main_at.insert(timeslot), "main sessions apart");
        }
        if let Some(theme) = s["theme"].as_str() {
            themes_at.push((timeslot, theme));
        }
    }
    let mut pairs = 0;
    for (i, a) in themes_at.iter().enumerate() {
        pairs += themes_at[i + 1..].iter().filter(|b| *b == a).count();
    }
    assert_eq!(pairs, optimum, "same-theme pairs in parallel");
}

#[test]
fn schedule_solves_an_instance_file_to_its_optimum_without_a_database() {
    let dir = Scratch::new("timetable-tiny");
    let file = dir.path("tiny.json");
    std::fs::write(&file, TINY_TIMETABLE_INSTANCE).expect("write the instance");
    schedule_solves_to_the_optimum(&file, 5, 1);
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn schedule_finds_the_optimum_of_both_timetable_benchmarks() {
    for (name, sessions, optimum) in [
        ("timetable-a.json", 100, 20),
        ("timetable-b.json", 300, 240),
    ] {
        schedule_solves_to_the_optimum(&bench(name), sessions, optimum);
    }
}

#[test]
fn schedule_explains_an_impossible_instance_in_one_line() {
    let dir = Scratch::new("timetable");
    let mut instance: serde_json::Value =
        serde_json::from_str(TINY_TIMETABLE_INSTANCE).expect("instance");
    // Keep the first day's slots only: fewer slots than sessions.
    let slots: Vec<serde_json::Value> = instance["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .filter(|s| s["timeslot"] != "D2S1")
        .cloned()
        .collect();
    instance["slots"] = serde_json::Value::Array(slots);
    let file = dir.path("small.json");
    std::fs::write(&file, instance.to_string()).expect("write");
    let out = plenary(&["schedule", "--instance", &file], "");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("5 sessions but only 4 slots"), "{stderr}");
    // An unknown hard constraint is refused, not ignored.
    instance["constraints"]["hard"]
        .as_array_mut()
        .expect("hard")
        .push(serde_json::json!({"kind": "rooms_on_one_floor"}));
    std::fs::write(&file, instance.to_string()).expect("write");
    let out = plenary(&["schedule", "--instance", &file], "");
    assert!(text(&out.stderr).contains("\"rooms_on_one_floor\" is not one the scheduler knows"));
}

/// The app on the SQLite file at `url`, its clock at 2026-05-01 10:00 UTC.
fn app_on(url: &str) -> plenary_app::App {
    let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 5, 1, 10, 0, 0)
        .single()
        .expect("instant");
    plenary_app::App::open(
        &plenary_app::DatabaseUrl::parse(url).expect("url"),
        plenary_app::AppConfig {
            base_url: "http://127.0.0.1:8080".into(),
            mail_from: "noreply@example.org".into(),
        },
        std::sync::Arc::new(plenary_app::FixedClock::new(at)),
    )
    .expect("app")
}

/// An event in Oslo with two rooms, two days × two 90-minute timeslots and the given
/// sessions (title, type, theme, duration in minutes), set up through the app; returns
/// the event's id.
fn programme_to_schedule(
    app: &plenary_app::App,
    title: &str,
    sessions: &[(&str, &str, &str, &str)],
) -> i64 {
    use plenary_app::Caller;
    use plenary_app::programme::TimeslotInput;
    use plenary_app::registration::EventInput;
    use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
    let operator = Caller::operator();
    let event = app
        .save_event(
            &operator,
            None,
            &EventInput {
                title: title.into(),
                venue: "Lillestrøm".into(),
                time_zone: "Europe/Oslo".into(),
                starts_at: "2026-06-23T09:00".into(),
                ends_at: "2026-06-24T18:00".into(),
                registration_opens_at: "2026-04-01T00:00".into(),
                registration_closes_at: "2026-06-01T00:00".into(),
                changes_until: "2026-06-10T00:00".into(),
                public_list: false,
                visa_letters: false,
                visa_retention_days: String::new(),
            },
        )
        .expect("event")
        .id;
    for (name, capacity, hybrid) in [("Plenary hall", "500", true), ("Room 2", "80", false)] {
        app.save_programme_room(
            &operator,
            event,
            None,
            &RoomInput {
                name: name.into(),
                capacity: capacity.into(),
                hybrid,
            },
        )
        .expect("room");
    }
    app.add_programme_timeslots(
        &operator,
        event,
        &TimeslotInput {
            dates: "2026-06-23, 2026-06-24".into(),
            times: "09:00, 14:00".into(),
            minutes: "90".into(),
        },
    )
    .expect("timeslots");
    for (i, (title, kind, theme, minutes)) in sessions.iter().enumerate() {
        app.save_programme_session(
            &operator,
            event,
            None,
            &SessionInput {
                title: (*title).into(),
                session_type: (*kind).into(),
                theme: (*theme).into(),
                duration: (*minutes).into(),
                expected_audience: if *kind == "main" { "400" } else { "50" }.into(),
                format: "onsite".into(),
                people: vec![
                    PersonInput {
                        name: "Ana Pérez".into(),
                        role: "moderator".into(),
                        ..PersonInput::default()
                    },
                    PersonInput {
                        name: format!("Speaker {i}"),
                        role: "speaker".into(),
                        ..PersonInput::default()
                    },
                ],
                ..SessionInput::default()
            },
        )
        .expect("session");
    }
    event
}

#[test]
fn schedule_places_every_session_of_an_event_on_the_database() {
    let db = TestDb::sqlite();
    let url = db.url();
    let app = app_on(&url);
    let event = programme_to_schedule(
        &app,
        "Annual Forum 2026",
        &[
            ("Opening", "main", "Cooperation", "90"),
            ("Closing", "main", "Cooperation", "90"),
            ("Community networks", "workshop", "Access", "60"),
            ("AI and elections", "workshop", "AI", "90"),
        ],
    );
    drop(app);
    let out = plenary(
        &[
            "schedule",
            &event.to_string(),
            "--seed",
            "3",
            "--database-url",
            &url,
        ],
        "",
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "Scheduled event {event} (seed 3): 4 of 4 sessions placed, 0 moved, 0 pinned.\n"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("Same-theme pairs: 0 in parallel"),
        "{stdout}"
    );
    assert!(stdout.contains("lower bound"), "{stdout}");
    // Standard error is no terminal here: no bar redrawn, only the final line.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("[##########] 100% best "), "{stderr}");
    assert!(
        stderr.contains("(bound ") && !stderr.contains('\r'),
        "{stderr}"
    );

    // Every session has a room and a time, Ana (in all four) never in two at once.
    let app = app_on(&url);
    let view = app
        .programme(&plenary_app::Caller::operator(), event)
        .expect("programme");
    assert_eq!(view.sessions.len(), 4);
    assert!(view.conflicts.is_empty(), "{:?}", view.conflicts);
    let mut times = Vec::new();
    for s in &view.sessions {
        assert!(s.room.is_some() && s.timeslot.is_some(), "{:?}", s.session);
        times.push(s.session.timeslot_id);
    }
    times.sort_unstable();
    times.dedup();
    assert_eq!(times.len(), 4, "one person, four timeslots");
    drop(app);

    // Run again: nothing moves.
    let out = plenary(
        &["schedule", &event.to_string(), "--database-url", &url],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("4 of 4 sessions placed, 0 moved"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn schedule_of_an_event_fails_in_one_line() {
    let db = TestDb::sqlite();
    let url = db.url();
    let app = app_on(&url);
    // Longer than any timeslot.
    let event = programme_to_schedule(
        &app,
        "Long sessions",
        &[("Marathon", "workshop", "Access", "180")],
    );
    drop(app);
    let one_line_failure = |args: &[&str], expected: &str| {
        let out = plenary(args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{expected} in {stderr}");
        assert!(out.stdout.is_empty());
    };
    one_line_failure(
        &["schedule", &event.to_string(), "--database-url", &url],
        &format!(
            "event {event}: no timetable keeps every hard rule: “Marathon”: no room and timeslot fits it"
        ),
    );
    one_line_failure(
        &["schedule", "999", "--database-url", &url],
        "EVENT: there is no event 999",
    );
    one_line_failure(
        &["schedule", "forum"],
        "EVENT: give the event's number (id), not \"forum\"",
    );
    // Nothing was placed.
    let app = app_on(&url);
    let view = app
        .programme(&plenary_app::Caller::operator(), event)
        .expect("programme");
    assert!(view.sessions.iter().all(|s| s.timeslot.is_none()));
    // EVENT or --instance is required, and --out goes with --instance only.
    assert_eq!(plenary(&["schedule"], "").status.code(), Some(2));
    assert_eq!(
        plenary(&["schedule", "1", "--out", "x.json"], "")
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn export_writes_the_programme_as_icalendar_frab_json_or_csv() {
    let db = TestDb::sqlite();
    let url = db.url();
    let app = app_on(&url);
    let event = programme_to_schedule(
        &app,
        "Annual Forum 2026",
        &[
            ("Opening", "main", "Cooperation", "90"),
            ("Community networks", "workshop", "Access", "60"),
        ],
    );
    let operator = plenary_app::Caller::operator();
    app.run_scheduler(&operator, event, 1).expect("scheduler");
    drop(app);
    let dir = std::env::temp_dir().join(format!("plenary-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("programme.ics");
    let event_arg = event.to_string();
    let out = plenary(
        &[
            "export",
            "ics",
            "--event",
            &event_arg,
            "--out",
            file.to_str().expect("path"),
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Exported 2 sessions of event"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("(not published yet)"));
    let ics = std::fs::read_to_string(&file).expect("written");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    assert!(ics.contains("SUMMARY:Opening\r\n"));
    assert!(ics.contains("DTSTART;TZID=Europe/Oslo:2026062"));
    let _ = std::fs::remove_dir_all(&dir);
    for (command, marker) in [
        ("frab", "<schedule>"),
        ("schedule-json", "\"schedule\""),
        ("csv", "id,title,type,theme"),
    ] {
        let out = plenary(
            &[
                "export",
                command,
                "--event",
                &event_arg,
                "--database-url",
                &url,
            ],
            "",
        );
        assert!(out.status.success(), "{command}: {}", text(&out.stderr));
        let body = text(&out.stdout);
        assert!(body.contains(marker), "{command}: {body}");
        assert!(body.contains("Community networks"), "{command}");
    }
    let missing = plenary(
        &["export", "csv", "--event", "999", "--database-url", &url],
        "",
    );
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("--event: there is no event 999"));
}
