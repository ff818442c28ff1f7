//! `plenary`: the command line of Plenary.

mod config;
mod import;
mod keys;

use clap::{Args, Parser, Subcommand};
use config::{ConfigError, RawServe, ServeConfig};
use keys::{KeySettings, Missing};
use plenary_app::export::{Export, ExportError, Format};
use plenary_app::mail::SmtpMailer;
use plenary_app::{App, AppConfig, AppError, DatabaseUrl, SystemClock};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(
    name = "plenary",
    version,
    about = "Plenary: the yearly cycle of a multistakeholder governance forum."
)]
struct Cli {
    /// Where the data lives: sqlite://FILE or postgres://USER@HOST:PORT/DB.
    #[arg(
        long,
        global = true,
        env = "PLENARY_DATABASE_URL",
        default_value = "sqlite://plenary.db"
    )]
    database_url: String,

    /// The passport key file: one "ID KEY" line per key (32 bytes, base64 or hex), the
    /// first encrypting, the others still decrypting. Default: the database file's name
    /// with .passport-key, for SQLite. A key may also be given in PLENARY_PASSPORT_KEY.
    #[arg(
        long,
        global = true,
        env = "PLENARY_PASSPORT_KEY_FILE",
        value_name = "FILE",
        visible_alias = "key-file"
    )]
    passport_key_file: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (HTML pages and the JSON API under /api/v1).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Administer accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Write a consistent copy of the SQLite database to FILE while it is in use.
    Backup {
        /// The new file to write (must not exist).
        file: PathBuf,
    },
    /// Fill an empty database with the fictional demo forum.
    Demo,
    /// Export documents.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Read meeting documents (summaries and agendas as Word .docx, text-layer PDF or
    /// plain text, told apart by their content) and store their
    /// meetings: agenda, notes, action items, participants. Importing a file again
    /// changes nothing; a corrected version replaces what the earlier one stored.
    Import(ImportArgs),
    /// Assign reviewers to the submissions of a call (k each, within load limits,
    /// never across a conflict), maximising affinity minus the balance penalty; or
    /// solve a benchmark instance file without a database.
    Assign(AssignArgs),
    /// Place every session of an event's programme into a room and timeslot, keeping
    /// every hard rule and minimising the soft goals with the event's weights (pinned
    /// sessions stay, the others move as little as possible), with a progress bar; or
    /// solve a benchmark instance file without a database.
    Schedule(ScheduleArgs),
    /// Delete personal data whose retention period is over: the passport details of
    /// visa letter requests, each event's retention period after it ended (the server
    /// also does this on its own, every few seconds).
    Purge {
        /// Only say what would be deleted.
        #[arg(long)]
        dry_run: bool,
    },
    /// Manage the keys that encrypt passport details.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Put a new current key at the top of the passport key file (--key-file; created
    /// if missing) and re-encrypt every stored passport detail with it in one
    /// transaction. The older keys stay in the file and can be removed once every
    /// server runs with the new file. Nothing changes if a detail cannot be decrypted.
    RotatePassport,
}

#[derive(Args, Debug)]
struct ImportArgs {
    /// The documents, one meeting each.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Only read and report; the database is not opened.
    #[arg(long)]
    dry_run: bool,
    /// Print what was read as JSON: one object per file, an array for several.
    #[arg(long)]
    json: bool,
    /// The body to import into (id, name or short name), instead of the body named by
    /// the document's organiser line ("Hosted by ...").
    #[arg(long, value_name = "BODY")]
    body: Option<String>,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["call", "instance"])))]
struct AssignArgs {
    /// The call whose submissions get reviewers.
    call: Option<String>,
    /// Solve a `plenary-review-instance/v1` file instead (the database is not opened).
    #[arg(long, value_name = "FILE")]
    instance: Option<PathBuf>,
    /// Write the solution (`plenary-review-solution/v1` JSON) to this file instead of
    /// standard output.
    #[arg(long, value_name = "FILE", requires = "instance")]
    out: Option<PathBuf>,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["event", "instance"])))]
struct ScheduleArgs {
    /// The event whose programme is scheduled (its id).
    event: Option<String>,
    /// Solve a `plenary-timetable-instance/v1` file instead (the database is not opened).
    #[arg(long, value_name = "FILE")]
    instance: Option<PathBuf>,
    /// The search's seed: the same seed gives the same timetable.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the solution (`plenary-timetable-solution/v1` JSON) to this file instead
    /// of standard output.
    #[arg(
        long,
        value_name = "FILE",
        requires = "instance",
        conflicts_with = "event"
    )]
    out: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum ExportCommand {
    /// The summary document of a meeting: notes and actions per item, the agenda and
    /// the participants.
    Summary {
        /// The meeting's id.
        meeting: i64,
        /// md (Markdown), txt (plain text), html or pdf.
        #[arg(long, default_value = "md")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The registrations of an event, as the secretariat's list shows them (optionally
    /// filtered), streamed to a CSV or XLSX file: one row per registration, one column
    /// per question of the form. Never passport or visa data.
    Registrations(ExportRegistrationsArgs),
    /// Every visa letter request of an event with its passport details (the only
    /// export that carries them; recorded in the audit log), as CSV or XLSX.
    Visa(ExportVisaArgs),
    /// The published programme of an event as iCalendar (RFC 5545).
    Ics(ExportProgrammeArgs),
    /// The published programme as frab schedule XML (Giggity, EventFahrplan, ConfClerk).
    Frab(ExportProgrammeArgs),
    /// The published programme as c3voc schedule JSON.
    ScheduleJson(ExportProgrammeArgs),
    /// The published programme as CSV (UTF-8 with a byte-order mark).
    Csv(ExportProgrammeArgs),
}

#[derive(Args, Debug)]
struct ExportProgrammeArgs {
    /// The event's id.
    #[arg(long)]
    event: i64,
    /// Write to this file instead of standard output.
    #[arg(long, visible_alias = "output", value_name = "FILE")]
    out: Option<PathBuf>,
    /// The public address that links in the export point to.
    #[arg(
        long,
        env = "PLENARY_BASE_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    base_url: String,
}

#[derive(Args, Debug)]
struct ExportVisaArgs {
    /// The event's id.
    #[arg(long)]
    event: i64,
    /// csv or xlsx.
    #[arg(long, default_value = "csv")]
    format: String,
    /// Write to this file instead of standard output.
    #[arg(long, visible_alias = "out", value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ExportRegistrationsArgs {
    /// The event's id.
    #[arg(long)]
    event: i64,
    /// csv (UTF-8 with a byte-order mark; cells that would start a formula get a
    /// leading apostrophe) or xlsx.
    #[arg(long, default_value = "csv")]
    format: String,
    /// Write to this file instead of standard output.
    #[arg(long, visible_alias = "out", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only registrations whose name or e-mail address contains this.
    #[arg(long, default_value = "")]
    search: String,
    /// Only this status (pending, confirmed, waitlisted, rejected, cancelled).
    #[arg(long, default_value = "")]
    status: String,
    /// Only this category (its id).
    #[arg(long, default_value = "")]
    category: String,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Fill an empty database with the demo forum first and print how to sign in.
    #[arg(long)]
    demo: bool,
    /// Address and port to listen on.
    #[arg(long, env = "PLENARY_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Public address of this installation; links in e-mails use it. Cookies are
    /// Secure when it starts with https://. Default: http://BIND.
    #[arg(long, env = "PLENARY_BASE_URL")]
    base_url: Option<String>,
    /// Comma-separated addresses of reverse proxies whose X-Forwarded-For is trusted.
    #[arg(long = "trusted-proxy", env = "PLENARY_TRUSTED_PROXIES")]
    trusted_proxies: Option<String>,
    /// SMTP relay for outgoing mail; without it, mail stays queued in the outbox.
    #[arg(long, env = "PLENARY_SMTP_HOST")]
    smtp_host: Option<String>,
    /// SMTP port. Default: 25, or 465 with --smtp-tls.
    #[arg(long, env = "PLENARY_SMTP_PORT")]
    smtp_port: Option<String>,
    /// Require STARTTLS: nothing but EHLO is sent before TLS, and mail waits in the
    /// outbox when the relay does not offer it.
    #[arg(long, env = "PLENARY_SMTP_STARTTLS", value_parser = clap::builder::BoolishValueParser::new())]
    smtp_starttls: bool,
    /// TLS from the first byte (SMTPS, usually port 465).
    #[arg(long, env = "PLENARY_SMTP_TLS", value_parser = clap::builder::BoolishValueParser::new())]
    smtp_tls: bool,
    /// SMTP user (AUTH PLAIN, or LOGIN); needs --smtp-starttls or --smtp-tls.
    #[arg(long, env = "PLENARY_SMTP_USER")]
    smtp_user: Option<String>,
    /// SMTP password; prefer the environment variable to the flag.
    #[arg(long, env = "PLENARY_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// PEM file of CA certificates to trust for the relay, besides the usual public roots.
    #[arg(long, env = "PLENARY_SMTP_CA", value_name = "FILE")]
    smtp_ca: Option<PathBuf>,
    /// Sender address of outgoing mail. Default: noreply@ the base URL's host.
    #[arg(long, env = "PLENARY_MAIL_FROM")]
    mail_from: Option<String>,
    /// Registrations one client address may make per minute (0: no limit).
    #[arg(long, env = "PLENARY_REGISTRATION_LIMIT", default_value_t = plenary_app::DEFAULT_REGISTRATION_LIMIT)]
    registration_limit: u32,
    /// Password hashes (sign-in, password changes) computed at once, each with 19 MiB of
    /// working memory (default: the number of cores).
    #[arg(long, env = "PLENARY_HASH_CONCURRENCY")]
    hash_concurrency: Option<usize>,
    /// Sign-ins that may wait for a turn to hash; past that they are answered 503 with
    /// Retry-After at once.
    #[arg(long, env = "PLENARY_HASH_QUEUE", default_value_t = plenary_app::HashingLimits::default().max_waiting)]
    hash_queue: usize,
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create a secretariat account. The password is asked for, or read from the first
    /// line of standard input when that is not a terminal.
    Create {
        #[arg(long)]
        email: String,
        /// The name shown for the account.
        #[arg(long, default_value = "Secretariat")]
        name: String,
    },
    /// Make a personal API token for an existing account and print it (once: it is
    /// stored only as a hash). It acts with the account's own roles.
    Token {
        #[arg(long)]
        email: String,
        /// What the token is for, shown on the account page.
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

/// Why the command failed; each prints one line and exits non-zero.
enum Failure {
    Config(ConfigError),
    App(AppError),
    Other(String),
    /// Reported already on standard error (e.g. the files an import could not store).
    Reported,
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::Config(e)
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure::App(e)
    }
}

fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Config(e)) => {
            eprintln!("plenary: invalid setting {e}");
            ExitCode::from(2)
        }
        Err(Failure::App(AppError::Internal(detail))) => {
            tracing::error!(%detail, "internal error");
            eprintln!("plenary: internal error: {detail}");
            ExitCode::FAILURE
        }
        Err(Failure::App(e)) => {
            eprintln!("plenary: {e}");
            ExitCode::FAILURE
        }
        Err(Failure::Other(e)) => {
            eprintln!("plenary: {e}");
            ExitCode::FAILURE
        }
        Err(Failure::Reported) => ExitCode::FAILURE,
    }
}

/// Log level from PLENARY_LOG (error, warn, info, debug, trace), info by default.
fn init_logging() {
    let level = std::env::var("PLENARY_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

fn run(cli: Cli) -> Result<(), Failure> {
    let keys = KeySettings::from_env(cli.passport_key_file.clone());
    if let Command::Assign(args) = &cli.command {
        return assign(args, &cli.database_url, &keys);
    }
    if let Command::Schedule(args) = &cli.command {
        return schedule(args, &cli.database_url, &keys);
    }
    let url = config::database_url(&cli.database_url)?;
    match cli.command {
        Command::Serve(args) => serve(&url, &keys, args),
        Command::Keys(KeysCommand::RotatePassport) => rotate_passport_key(&url, &keys),
        Command::Migrate => {
            let applied = App::migrate_database(&url)?;
            if applied.is_empty() {
                println!("The database is up to date.");
            } else {
                println!(
                    "Applied {} migration(s): {}",
                    applied.len(),
                    applied.join(", ")
                );
            }
            Ok(())
        }
        Command::Admin(AdminCommand::Create { email, name }) => {
            let password = read_password()?;
            let app = open_tool_app(&url, &keys, Missing::Allow)?;
            let created = app.bootstrap_admin(&email, &name, &password)?;
            println!(
                "Created secretariat account {} (id {}).",
                created.user.email, created.user.id
            );
            Ok(())
        }
        Command::Admin(AdminCommand::Token { email, name }) => {
            let app = open_tool_app(&url, &keys, Missing::Allow)?;
            println!("{}", app.issue_api_token_for(&email, &name)?.secret);
            Ok(())
        }
        Command::Backup { file } => {
            App::backup_database(&url, &file)?;
            println!("Backup written to {}.", file.display());
            Ok(())
        }
        Command::Export(ExportCommand::Summary {
            meeting,
            format,
            out,
        }) => {
            let app = open_tool_app(&url, &keys, Missing::Allow)?;
            let summary = app.meeting_summary(&plenary_app::Caller::operator(), meeting)?;
            let text = match format.as_str() {
                "md" => plenary_domain::summary::markdown(&summary),
                "txt" => plenary_domain::summary::text(&summary),
                other => {
                    return Err(Failure::Other(format!(
                        "--format: {other:?} is not md or txt"
                    )));
                }
            };
            match out {
                Some(path) => std::fs::write(&path, text)
                    .map_err(|e| Failure::Other(format!("{}: {e}", path.display())))?,
                None => print!("{text}"),
            }
            Ok(())
        }
        Command::Export(ExportCommand::Registrations(args)) => {
            export_registrations(&url, &keys, args)
        }
        Command::Export(ExportCommand::Visa(args)) => export_visa(&url, &keys, args),
        Command::Export(ExportCommand::Ics(args)) => export_programme(&url, &keys, "ics", args),
        Command::Export(ExportCommand::Frab(args)) => export_programme(&url, &keys, "frab", args),
        Command::Export(ExportCommand::ScheduleJson(args)) => {
            export_programme(&url, &keys, "schedule-json", args)
        }
        Command::Export(ExportCommand::Csv(args)) => export_programme(&url, &keys, "csv", args),
        Command::Import(args) => {
            // A dry run only reads the files: the database is not even opened.
            let app = if args.dry_run {
                None
            } else {
                Some(open_tool_app(&url, &keys, Missing::Allow)?)
            };
            let options = import::Options {
                files: args.files,
                dry_run: args.dry_run,
                json: args.json,
                body: args.body,
            };
            if import::run(app.as_ref(), &options) {
                Ok(())
            } else {
                Err(Failure::Reported)
            }
        }
        Command::Assign(args) => assign(&args, &cli.database_url, &keys),
        Command::Schedule(args) => schedule(&args, &cli.database_url, &keys),
        Command::Purge { dry_run } => {
            let app = open_tool_app(&url, &keys, Missing::Allow)?;
            print_purge(&app.purge_visa_data(dry_run)?, dry_run);
            Ok(())
        }
        Command::Demo => {
            let app = open_tool_app(&url, &keys, Missing::Generate)?;
            print_demo(app.load_demo()?);
            Ok(())
        }
    }
}

/// Writes a solution's JSON to `out`, or to standard output.
fn write_solution(out: Option<&std::path::Path>, json: String) -> Result<(), Failure> {
    match out {
        Some(out) => std::fs::write(out, json + "\n")
            .map_err(|e| Failure::Other(format!("--out {}: {e}", out.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{json}").map_err(|e| Failure::Other(format!("standard output: {e}")))
        }
    }
}

/// `plenary schedule EVENT`: schedules an event's programme on the database (see
/// [`schedule_event`]); `plenary schedule --instance FILE`: the instance is read and
/// solved, its solution written; the summary (time, hard violations, objective) goes to
/// standard error.
fn schedule(args: &ScheduleArgs, database_url: &str, keys: &KeySettings) -> Result<(), Failure> {
    use plenary_domain::schedule::{self, ScheduleError, Settings, instance::Instance};
    let Some(path) = &args.instance else {
        return schedule_event(
            args.event.as_deref().unwrap_or_default(),
            args.seed,
            database_url,
            keys,
        );
    };
    let fail =
        |e: &dyn std::fmt::Display| Failure::Other(format!("--instance {}: {e}", path.display()));
    let started = std::time::Instant::now();
    let text = std::fs::read_to_string(path).map_err(|e| fail(&e))?;
    let instance: Instance = serde_json::from_str(&text).map_err(|e| fail(&e))?;
    let problem = instance.problem().map_err(|e| fail(&e))?;
    let read = started.elapsed();
    let settings = Settings {
        seed: args.seed,
        ..Settings::default()
    };
    let solved = schedule::solve(&problem, settings).map_err(|e| match &e {
        ScheduleError::Infeasible(reasons) => fail(
            &reasons
                .iter()
                .map(|r| instance.explain(r))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        ScheduleError::Malformed(_) => fail(&e),
    })?;
    let solving = started.elapsed() - read;
    let json = serde_json::to_string(&instance.solution(&solved))
        .map_err(|e| Failure::Other(format!("cannot write the solution: {e}")))?;
    write_solution(args.out.as_deref(), json)?;
    eprintln!(
        "Scheduled {} sessions in {:.1} ms (file read in {:.1} ms, seed {}): hard violations {}, same-theme parallel pairs {} (lower bound {}), {} search moves.",
        problem.sessions.len(),
        solving.as_secs_f64() * 1000.0,
        read.as_secs_f64() * 1000.0,
        args.seed,
        schedule::violations(&problem, &solved.slot_of),
        solved.theme_pairs,
        solved.lower_bound / problem.weights.theme_parallel.max(1),
        solved.iterations
    );
    Ok(())
}

/// The scheduler's progress on standard error: a bar redrawn in place while standard
/// error is a terminal ("[#####     ]  52% best 1234 (bound 1200)"), and a final line
/// always, once the run succeeded.
struct ProgressBar {
    terminal: bool,
    drawn: usize,
}

impl ProgressBar {
    fn line(done: u64, budget: u64, best: i64, bound: i64) -> String {
        let percent = if budget == 0 {
            100
        } else {
            (u128::from(done) * 100 / u128::from(budget)).min(100)
        };
        let filled = usize::try_from(percent / 10).unwrap_or(10);
        format!(
            "[{}{}] {percent:>3}% best {best} (bound {bound})",
            "#".repeat(filled),
            " ".repeat(10 - filled)
        )
    }

    fn update(&mut self, p: &plenary_domain::schedule::Progress) {
        if !self.terminal {
            return;
        }
        let line = Self::line(p.iterations, p.budget, p.best_cost, p.lower_bound);
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r{line}");
        let _ = stderr.flush();
        self.drawn = line.chars().count();
    }

    /// Wipes the bar (before an error message).
    fn clear(&mut self) {
        if self.drawn > 0 {
            eprint!("\r{}\r", " ".repeat(self.drawn));
            self.drawn = 0;
        }
    }

    fn finish(&mut self, report: &plenary_app::programme::ScheduleReport) {
        self.clear();
        let line = Self::line(1, 1, report.cost, report.lower_bound);
        eprintln!("{line}, {} search moves", report.iterations);
    }
}

/// Runs the scheduler on an event's programme, acting as the operator, with a progress
/// bar; prints what it did. When no timetable keeps every hard rule nothing changes and
/// the one-line message gives the app's explanations (sessions and people named).
fn schedule_event(
    raw: &str,
    seed: u64,
    database_url: &str,
    keys: &KeySettings,
) -> Result<(), Failure> {
    let event: i64 =
        raw.trim().trim_start_matches('#').parse().map_err(|_| {
            Failure::Other(format!("EVENT: give the event's number (id), not {raw:?}"))
        })?;
    let url = config::database_url(database_url)?;
    let app = open_tool_app(&url, keys, Missing::Allow)?;
    let mut bar = ProgressBar {
        terminal: std::io::stderr().is_terminal(),
        drawn: 0,
    };
    let outcome =
        app.run_scheduler_with_progress(&plenary_app::Caller::operator(), event, seed, &mut |p| {
            bar.update(&p)
        });
    let report = match outcome {
        Ok(report) => report,
        Err(e) => {
            bar.clear();
            return Err(match e {
                AppError::NotFound => Failure::Other(format!("EVENT: there is no event {event}")),
                AppError::Invalid(errors) => Failure::Other(format!(
                    "event {event}: no timetable keeps every hard rule: {}",
                    errors
                        .iter()
                        .map(|e| e
                            .problem
                            .to_string()
                            .trim_start_matches("is not valid: ")
                            .to_owned())
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
                other => Failure::App(other),
            });
        }
    };
    bar.finish(&report);
    let optimum = if report.cost <= report.lower_bound {
        " (optimal)"
    } else {
        ""
    };
    println!(
        "Scheduled event {event} (seed {seed}): {} of {} sessions placed, {} moved, {} pinned.",
        report.placed, report.sessions, report.moved, report.pinned
    );
    println!(
        "Same-theme pairs: {} in parallel, {} on one day; cost {}, lower bound {}{optimum}.",
        report.theme_pairs, report.same_day_pairs, report.cost, report.lower_bound
    );
    Ok(())
}

/// `plenary assign CALL`: runs the assignment of a call on the database and prints
/// what it did; `plenary assign --instance FILE`: an instance file is read, solved and
/// its solution written, the summary going to standard error.
fn assign(args: &AssignArgs, database_url: &str, keys: &KeySettings) -> Result<(), Failure> {
    use plenary_domain::assignment::{self, instance::Instance};
    let Some(path) = &args.instance else {
        return assign_call(args.call.as_deref().unwrap_or_default(), database_url, keys);
    };
    let started = std::time::Instant::now();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Other(format!("--instance {}: {e}", path.display())))?;
    let instance: Instance = serde_json::from_str(&text)
        .map_err(|e| Failure::Other(format!("--instance {}: {e}", path.display())))?;
    let problem = instance
        .problem()
        .map_err(|e| Failure::Other(format!("--instance {}: {e}", path.display())))?;
    let read = started.elapsed();
    let solved = assignment::solve(&problem).map_err(|e| {
        Failure::Other(format!(
            "--instance {}: {}",
            path.display(),
            instance.message(&e)
        ))
    })?;
    let solving = started.elapsed() - read;
    let check = problem.evaluate(&solved.reviewers);
    let json = serde_json::to_string(&instance.solution(&solved))
        .map_err(|e| Failure::Other(format!("cannot write the solution: {e}")))?;
    write_solution(args.out.as_deref(), json)?;
    eprintln!(
        "Assigned {} submissions in {:.1} ms (file read in {:.1} ms): hard violations {}, total affinity {:.2}, excess {}, objective {:.2}.",
        problem.submissions(),
        solving.as_secs_f64() * 1000.0,
        read.as_secs_f64() * 1000.0,
        check.violations,
        check.total_affinity,
        check.excess,
        check.objective
    );
    Ok(())
}

/// Runs the optimal assignment of a call, acting as the operator: reviews written and
/// pairs placed by hand are kept; when no assignment exists nothing changes and the
/// message names the submissions that cannot be served.
fn assign_call(raw: &str, database_url: &str, keys: &KeySettings) -> Result<(), Failure> {
    let call: i64 =
        raw.trim().trim_start_matches('#').parse().map_err(|_| {
            Failure::Other(format!("CALL: give the call's number (id), not {raw:?}"))
        })?;
    let url = config::database_url(database_url)?;
    let app = open_tool_app(&url, keys, Missing::Allow)?;
    let report = app
        .run_assignment(&plenary_app::Caller::operator(), call)
        .map_err(|e| match e {
            AppError::NotFound => Failure::Other(format!("CALL: there is no call {call}")),
            AppError::Invalid(errors) => Failure::Other(format!(
                "call {call}: {}",
                errors
                    .iter()
                    .map(|e| e
                        .problem
                        .to_string()
                        .trim_start_matches("is not valid: ")
                        .to_owned())
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            other => Failure::App(other),
        })?;
    println!(
        "Assigned reviewers to call {call}: {}.",
        plenary_app::review::describe(&report)
    );
    Ok(())
}

/// The format of an export: XLSX is not written to a terminal.
fn export_format(raw: &str, output: Option<&PathBuf>) -> Result<Format, Failure> {
    let format = Format::parse("--format", raw).map_err(|e| Failure::Other(e.to_string()))?;
    if format == Format::Xlsx && output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::Other(
            "--output: an XLSX file is binary; give --output FILE or redirect standard output"
                .into(),
        ));
    }
    Ok(format)
}

/// "--event: there is no event 9" for an unknown event.
fn event_failure(event: i64) -> impl Fn(AppError) -> Failure {
    move |e| match e {
        AppError::NotFound => Failure::Other(format!("--event: there is no event {event}")),
        other => Failure::App(other),
    }
}

/// Streams the export to the file (removed again if the export fails half-way) or to
/// standard output; says on standard error how many rows it wrote.
fn write_export(export: impl Export, output: Option<&PathBuf>) -> Result<(), Failure> {
    let written = match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| Failure::Other(format!("--output {}: {e}", path.display())))?;
            let outcome = export.write_to(&mut std::io::BufWriter::new(file));
            if outcome.is_err() {
                let _ = std::fs::remove_file(path);
            }
            outcome.map_err(|e| match e {
                ExportError::App(e) => Failure::App(e),
                ExportError::Write(e) => Failure::Other(format!("{}: {e}", path.display())),
            })?
        }
        None => export
            .write_to(&mut std::io::BufWriter::new(std::io::stdout().lock()))
            .map_err(|e| match e {
                ExportError::App(e) => Failure::App(e),
                ExportError::Write(e) => Failure::Other(format!("standard output: {e}")),
            })?,
    };
    let to = output.map_or_else(|| "standard output".to_owned(), |p| p.display().to_string());
    eprintln!(
        "Exported {written} {} of event {} to {to}.",
        export.what(),
        export.event_id()
    );
    Ok(())
}

fn export_registrations(
    url: &DatabaseUrl,
    keys: &KeySettings,
    args: ExportRegistrationsArgs,
) -> Result<(), Failure> {
    let format = export_format(&args.format, args.output.as_ref())?;
    let app = open_tool_app(url, keys, Missing::Allow)?;
    let query = plenary_app::registration::RegistrationQuery {
        search: args.search,
        status: args.status,
        category_id: args.category,
        page: 1,
    };
    let export = app
        .export_registrations(&plenary_app::Caller::operator(), args.event, &query, format)
        .map_err(event_failure(args.event))?;
    write_export(export, args.output.as_ref())
}

/// Writes an export of an event's programme (as the secretariat: also before it is
/// published).
fn export_programme(
    url: &DatabaseUrl,
    keys: &KeySettings,
    format: &str,
    args: ExportProgrammeArgs,
) -> Result<(), Failure> {
    use plenary_app::programme_export::ProgrammeFormat;
    let format = ProgrammeFormat::parse(format)
        .ok_or_else(|| Failure::Other(format!("unknown export {format}")))?;
    let app = open_app(
        url,
        args.base_url.trim_end_matches('/'),
        "noreply@localhost.localdomain",
        keys,
        Missing::Allow,
    )?;
    let export = app
        .export_programme(&plenary_app::Caller::operator(), args.event, format, None)
        .map_err(event_failure(args.event))?;
    let to = match &args.out {
        Some(path) => {
            std::fs::write(path, &export.body)
                .map_err(|e| Failure::Other(format!("--out {}: {e}", path.display())))?;
            path.display().to_string()
        }
        None => {
            std::io::stdout()
                .write_all(&export.body)
                .map_err(|e| Failure::Other(format!("standard output: {e}")))?;
            "standard output".to_owned()
        }
    };
    eprintln!(
        "Exported {} sessions of event {}{} to {to}.",
        export.sessions,
        args.event,
        if export.published {
            ""
        } else {
            " (not published yet)"
        }
    );
    Ok(())
}

fn export_visa(url: &DatabaseUrl, keys: &KeySettings, args: ExportVisaArgs) -> Result<(), Failure> {
    let format = export_format(&args.format, args.output.as_ref())?;
    let app = open_tool_app(url, keys, Missing::Allow)?;
    let export = app
        .export_visa_requests(&plenary_app::Caller::operator(), args.event, format)
        .map_err(event_failure(args.event))?;
    write_export(export, args.output.as_ref())
}

fn print_purge(report: &plenary_app::visa::PurgeReport, dry_run: bool) {
    let verb = if dry_run { "Would delete" } else { "Deleted" };
    if report.events.is_empty() {
        println!("Nothing to purge: no event's retention period for passport details is over.");
    }
    for (event, requests) in &report.events {
        println!(
            "{verb} the passport details of {requests} visa letter request(s) of event {event}."
        );
    }
    if report.attachments > 0 {
        println!(
            "{verb} {} visa letter(s) left in the outbox.",
            report.attachments
        );
    }
}

/// The application for a command that sends no mail and builds no links for the public:
/// a local base URL and sender.
fn open_tool_app(url: &DatabaseUrl, keys: &KeySettings, missing: Missing) -> Result<App, Failure> {
    open_app(
        url,
        "http://127.0.0.1:8080",
        "noreply@localhost.localdomain",
        keys,
        missing,
    )
}

/// Opens the application with its passport keys (if any are set or lie next to the
/// database; `missing` says whether to make one up for the demo), and encrypts what a
/// version before encryption stored in clear.
fn open_app(
    url: &DatabaseUrl,
    base_url: &str,
    mail_from: &str,
    keys: &KeySettings,
    missing: Missing,
) -> Result<App, Failure> {
    let passport_keys = keys.load(url, missing)?;
    let app = open_app_without_keys(url, base_url, mail_from)?;
    if let Some(passport_keys) = passport_keys {
        app.set_passport_keys(passport_keys);
        let encrypted = app.encrypt_plaintext_passports()?;
        if encrypted > 0 {
            tracing::info!(
                encrypted,
                "passport details stored in clear by an earlier version are now encrypted"
            );
        }
    }
    Ok(app)
}

fn open_app_without_keys(
    url: &DatabaseUrl,
    base_url: &str,
    mail_from: &str,
) -> Result<App, AppError> {
    let config = AppConfig {
        base_url: base_url.into(),
        mail_from: mail_from.into(),
    };
    App::open(url, config, Arc::new(SystemClock))
}

/// A server without a passport key starts only if it deals in no passport details: a
/// key made up here would be lost with the machine, and the details with it, so the
/// operator creates one (and keeps it apart from the database's backups).
fn require_passport_key(app: &App) -> Result<(), Failure> {
    if app.passport_keys().is_some() {
        return Ok(());
    }
    if app.passport_key_needed()? {
        return Err(Failure::Config(ConfigError {
            setting: keys::KEY_FILE,
            problem: "no passport key is set, and an event offers visa letters or passport details are stored; create a key file with `plenary keys rotate-passport --key-file FILE` and set PLENARY_PASSPORT_KEY_FILE to it".into(),
        }));
    }
    tracing::warn!(
        "no passport key is set (PLENARY_PASSPORT_KEY_FILE): visa letter requests are refused until one is"
    );
    Ok(())
}

/// `plenary keys rotate-passport`: a new current key in the key file, every stored
/// passport detail re-encrypted with it; says what to do with the older keys.
fn rotate_passport_key(url: &DatabaseUrl, keys: &KeySettings) -> Result<(), Failure> {
    let file = keys.file_for(url).ok_or_else(|| {
        Failure::Config(ConfigError {
            setting: keys::KEY_FILE,
            problem: "a PostgreSQL database has no default key file; give --key-file FILE".into(),
        })
    })?;
    let also = keys.value_keys()?;
    let app = open_app_without_keys(
        url,
        "http://127.0.0.1:8080",
        "noreply@localhost.localdomain",
    )?;
    let rotation = app
        .rotate_passport_key(&file, also)
        .map_err(|e| Failure::Other(e.to_string()))?;
    let verb = if rotation.created {
        "Created"
    } else {
        "Updated"
    };
    println!(
        "{verb} {}: passport key {} is now the current key.",
        file.display(),
        rotation.key_id
    );
    println!(
        "Re-encrypted {} passport detail(s) with it.",
        rotation.reencrypted
    );
    if !rotation.older.is_empty() {
        println!(
            "Older key(s) {} still decrypt; remove them from the file once every server has been restarted with it.",
            rotation.older.join(", ")
        );
    }
    Ok(())
}

fn read_password() -> Result<String, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first =
            rpassword::prompt_password("Password: ").map_err(|e| Failure::Other(e.to_string()))?;
        let again = rpassword::prompt_password("Password again: ")
            .map_err(|e| Failure::Other(e.to_string()))?;
        if first != again {
            return Err(Failure::Other("the two passwords differ".into()));
        }
        return Ok(first);
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::Other(e.to_string()))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn print_demo(loaded: bool) {
    if !loaded {
        println!("The database has accounts already; the demo forum was not loaded.");
        return;
    }
    println!(
        "Loaded the demo forum. Every demo account has the password {:?}:",
        plenary_app::DEMO_PASSWORD
    );
    for (email, name, role) in plenary_app::DEMO_ACCOUNTS {
        println!("  {email:<36} {name} ({})", role.label());
    }
}

fn serve(url: &DatabaseUrl, keys: &KeySettings, args: ServeArgs) -> Result<(), Failure> {
    let raw = RawServe {
        bind: args.bind,
        base_url: args.base_url,
        trusted_proxies: args.trusted_proxies,
        smtp_host: args.smtp_host,
        smtp_port: args.smtp_port,
        smtp_starttls: args.smtp_starttls,
        smtp_tls: args.smtp_tls,
        smtp_user: args.smtp_user,
        smtp_password: args.smtp_password,
        smtp_ca: args.smtp_ca,
        mail_from: args.mail_from,
    };
    let config = raw.check()?;
    let missing = if args.demo {
        Missing::Generate
    } else {
        Missing::Allow
    };
    let app = open_app(url, &config.base_url, &config.mail_from, keys, missing)?;
    require_passport_key(&app)?;
    app.set_registration_limit(args.registration_limit);
    app.set_password_hashing(plenary_app::HashingLimits {
        max_running: args
            .hash_concurrency
            .unwrap_or(plenary_app::HashingLimits::default().max_running),
        max_waiting: args.hash_queue,
    });
    if args.demo {
        let loaded = app.load_demo()?;
        print_demo(loaded);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Other(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(run_server(app, config))
}

async fn run_server(app: App, config: ServeConfig) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| {
            Failure::Config(ConfigError {
                setting: "PLENARY_BIND (--bind)",
                problem: format!("cannot listen on {}: {e}", config.bind),
            })
        })?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::Other(e.to_string()))?;
    let web = plenary_web::WebConfig {
        trusted_proxies: config.trusted_proxies.clone(),
        secure_cookies: config.base_url.starts_with("https://"),
    };
    spawn_background_work(app.clone(), config.smtp.clone());
    let router = plenary_web::router(app, web);
    println!(
        "Plenary is listening on http://{local} (public address {}).",
        config.base_url
    );
    println!("Sign in at {}/sign-in", config.base_url);
    let _ = std::io::stdout().flush();
    plenary_web::serve(listener, router, shutdown_signal())
        .await
        .map_err(|e| Failure::Other(format!("server error: {e}")))
}

/// Mail delivery and housekeeping, every few seconds, off the request path.
fn spawn_background_work(app: App, smtp: Option<plenary_app::mail::SmtpSettings>) {
    let mailer = match smtp.map(SmtpMailer::new) {
        None => {
            tracing::warn!(
                "PLENARY_SMTP_HOST is not set: outgoing mail stays queued in the outbox"
            );
            None
        }
        Some(Ok(mailer)) => {
            let s = mailer.settings();
            tracing::info!(host = %s.host, port = s.port, security = ?s.security, user = ?s.user, "mail goes out through this SMTP relay");
            Some(Arc::new(mailer))
        }
        Some(Err(e)) => {
            // Checked at start-up already.
            tracing::error!(error = %e, "unusable SMTP settings: outgoing mail stays queued");
            None
        }
    };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tick.tick().await;
            let app = app.clone();
            let mailer = mailer.clone();
            let outcome = tokio::task::spawn_blocking(move || {
                app.housekeeping()?;
                match mailer {
                    Some(m) => app.deliver_due_mail(m.as_ref()),
                    None => Ok(0),
                }
            })
            .await;
            match outcome {
                Ok(Ok(sent)) if sent > 0 => tracing::info!(sent, "mail delivered"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "background work failed"),
                Err(e) => tracing::error!(error = %e, "background work panicked"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
