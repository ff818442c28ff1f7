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
