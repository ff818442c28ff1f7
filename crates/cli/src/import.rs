//! `plenary import FILE... [--dry-run] [--json] [--body BODY]`: reads meeting documents
//! and stores their meetings, one transaction per file. A file that fails is reported
//! and the others are still processed; the exit status says whether any failed.

use plenary_app::{
    App, AppError, Caller, ImportReport, ImportRequest, read_document, unreadable_extraction,
};
use plenary_domain::Problem;
use plenary_domain::import::{Extraction, Kind, Mode};
use plenary_domain::time::{Zone, label};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// What the command was asked to do.
pub struct Options {
    pub files: Vec<PathBuf>,
    pub dry_run: bool,
    pub json: bool,
    pub body: Option<String>,
}

/// One file's result.
struct Outcome {
    extraction: Extraction,
    report: Option<ImportReport>,
    error: Option<String>,
}

/// Totals for the closing line.
#[derive(Default)]
struct Tally {
    created: usize,
    updated: usize,
    unchanged: usize,
    actions: usize,
    participants: usize,
    warnings: usize,
    failed: usize,
}

/// One line for a refusal, without the "invalid input" framing.
fn message(e: &AppError) -> String {
    match e {
        AppError::Invalid(errors) => errors
            .iter()
            .map(|e| {
                let hint = if e.field == "body" {
                    " (--body BODY)"
                } else {
                    ""
                };
                match (&e.problem, e.field) {
                    (Problem::Invalid(why), "file") => (*why).to_owned(),
                    (Problem::Explained(why), "file") => why.clone(),
                    (Problem::Invalid(why), field) => format!("{field}: {why}{hint}"),
                    (Problem::Explained(why), field) => format!("{field}: {why}{hint}"),
                    (problem, field) => format!("{field} {problem}"),
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        AppError::Internal(detail) => format!("internal error: {detail}"),
        other => other.to_string(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn process(app: Option<&App>, path: &Path, body: Option<&str>) -> Outcome {
    let failed = |problem: String| Outcome {
        extraction: unreadable_extraction(problem.clone()),
        report: None,
        error: Some(problem),
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return failed(format!("cannot read the file: {e}")),
    };
    let Some(app) = app else {
        let extraction = match read_document(&bytes) {
            Ok(x) => x,
            Err(why) => return failed(why.to_string()),
        };
        let error = (extraction.kind == Kind::Unrecognised)
            .then(|| "neither a meeting summary nor an agenda".to_owned());
        return Outcome {
            extraction,
            report: None,
            error,
        };
    };
    let bytes_again = bytes.clone();
    let request = ImportRequest {
        file_name: file_name(path),
        bytes,
        body: body.map(str::to_owned),
    };
    match app.import_document(&Caller::operator(), request) {
        Ok(report) => Outcome {
            extraction: report.extraction.clone(),
            report: Some(report),
            error: None,
        },
        // Read again only to show what was recognised next to the refusal (the use case
        // read it once already; a successful import returns its extraction).
        Err(e) => Outcome {
            extraction: read_document(&bytes_again)
                .unwrap_or_else(|why| unreadable_extraction(why.to_string())),
            report: None,
            error: Some(message(&e)),
        },
    }
}

/// The progress line on a terminal: `[ 37/200] file.txt`, redrawn in place.
struct Progress {
    enabled: bool,
    width: usize,
    total: usize,
    drawn: usize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            enabled: total > 1 && std::io::stderr().is_terminal(),
            width: total.to_string().len(),
            total,
            drawn: 0,
        }
    }

    fn show(&mut self, index: usize, name: &str) {
        if !self.enabled {
            return;
        }
        let line = format!("[{:>w$}/{}] {name}", index + 1, self.total, w = self.width);
        let len = line.chars().count();
        let pad = " ".repeat(self.drawn.saturating_sub(len));
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}{pad}");
        let _ = err.flush();
        self.drawn = len;
    }

    fn clear(&mut self) {
        if self.enabled && self.drawn > 0 {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{}\r", " ".repeat(self.drawn));
            let _ = err.flush();
            self.drawn = 0;
        }
    }
}

fn count_items(x: &Extraction) -> usize {
    x.items.len() + x.days.iter().map(|d| d.items.len()).sum::<usize>()
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Summary => "summary",
        Kind::Agenda => "agenda",
        Kind::Unrecognised => "unrecognised",
    }
}

/// The human report of one file.
fn report_text(shown: &str, outcome: &Outcome, dry_run: bool) -> String {
    let x = &outcome.extraction;
    let mut out = format!("{shown}\n  kind: {}\n", kind_name(x.kind));
    if x.kind != Kind::Unrecognised {
        let zone = x
            .meeting
            .time_zone
            .as_deref()
            .and_then(|z| Zone::parse("time_zone", z).ok());
        let when = |at: Option<_>| match at {
            Some(at) => label(at, zone.unwrap_or(Zone::UTC)).to_string(),
            None => "not stated".to_owned(),
        };
        let mode = match x.meeting.mode {
            Some(Mode::Online) => "online",
            Some(Mode::Onsite) => "onsite",
            Some(Mode::Hybrid) => "hybrid",
            None => "not stated",
        };
        out.push_str(&format!(
            "  title: {}\n  organiser: {}\n  starts: {}\n  ends: {}\n  time zone: {}; mode: {mode}; venue: {}\n",
            x.title.as_deref().unwrap_or("none"),
            x.body.as_deref().unwrap_or("not stated"),
            when(x.meeting.starts_at_utc),
            when(x.meeting.ends_at_utc),
            x.meeting.time_zone.as_deref().unwrap_or("not stated"),
            x.meeting.venue.as_deref().unwrap_or("none"),
        ));
        out.push_str(&format!(
            "  recognised: {} days, {} items, {} actions, {} participants\n",
            x.days.len(),
            count_items(x),
            x.actions.len(),
            x.participants.len()
        ));
    }
    if let Some(report) = &outcome.report {
        out.push_str(&format!(
            "  outcome: {} meeting {} ({} attendance rows, {} people added to the directory)\n",
            report.outcome.as_str(),
            report.outcome.meeting_id(),
            report.attendance,
            report.persons_created
        ));
        for note in &report.notes {
            out.push_str(&format!("  note: {note}\n"));
        }
    } else if let Some(error) = &outcome.error {
        out.push_str(&format!("  failed: {error}\n"));
    } else if dry_run {
        out.push_str("  outcome: not stored (dry run)\n");
    }
    for w in &x.warnings {
        match w.line {
            Some(line) => out.push_str(&format!("  warning: line {line}: {}\n", w.message)),
            None => out.push_str(&format!("  warning: {}\n", w.message)),
        }
    }
    out
}

/// The JSON of one file: the extraction (IMPORT-JSON §1, fields in its order), and
/// unless it is a dry run, what storing did under "import".
#[derive(serde::Serialize)]
struct FileJson<'a> {
    #[serde(flatten)]
    extraction: &'a Extraction,
    #[serde(skip_serializing_if = "Option::is_none")]
    import: Option<serde_json::Value>,
}

fn report_json<'a>(shown: &str, outcome: &'a Outcome, dry_run: bool) -> FileJson<'a> {
    let extraction = &outcome.extraction;
    if dry_run {
        return FileJson {
            extraction,
            import: None,
        };
    }
    let import = match (&outcome.report, &outcome.error) {
        (Some(r), _) => serde_json::json!({
            "file": shown,
            "outcome": r.outcome.as_str(),
            "meeting_id": r.outcome.meeting_id(),
            "notes": r.notes,
            "persons_created": r.persons_created,
            "attendance": r.attendance,
        }),
        (None, error) => serde_json::json!({ "file": shown, "error": error }),
    };
    FileJson {
        extraction,
        import: Some(import),
    }
}

/// Runs the command; returns whether every file succeeded.
pub fn run(app: Option<&App>, options: &Options) -> bool {
    let mut tally = Tally::default();
    let mut progress = Progress::new(options.files.len());
    let mut outcomes: Vec<(String, Outcome)> = Vec::new();
    let mut stdout = std::io::stdout().lock();
    for (index, path) in options.files.iter().enumerate() {
        let shown = path.display().to_string();
        progress.show(index, &shown);
        let outcome = process(app, path, options.body.as_deref());
        let x = &outcome.extraction;
        tally.warnings += x.warnings.len();
        if outcome.error.is_none() {
            tally.actions += x.actions.len();
            tally.participants += x.participants.len();
        }
        match (&outcome.report, &outcome.error) {
            (_, Some(error)) => {
                tally.failed += 1;
                progress.clear();
                eprintln!("plenary import: {shown}: {error}");
            }
            (Some(report), None) => match report.outcome {
                plenary_app::ImportOutcome::Created { .. } => tally.created += 1,
                plenary_app::ImportOutcome::Updated { .. } => tally.updated += 1,
                plenary_app::ImportOutcome::Unchanged { .. } => tally.unchanged += 1,
            },
            (None, None) => {}
        }
        if options.json {
            outcomes.push((shown, outcome));
        } else {
            progress.clear();
            let _ = write!(
                stdout,
                "{}{}",
                if index > 0 { "\n" } else { "" },
                report_text(&shown, &outcome, options.dry_run)
            );
            let _ = stdout.flush();
        }
    }
    progress.clear();
    if options.json {
        let values: Vec<FileJson<'_>> = outcomes
            .iter()
            .map(|(shown, outcome)| report_json(shown, outcome, options.dry_run))
            .collect();
        let printed = match values.as_slice() {
            [one] => serde_json::to_string_pretty(one),
            many => serde_json::to_string_pretty(many),
        };
        match printed {
            Ok(text) => {
                let _ = writeln!(stdout, "{text}");
            }
            Err(e) => {
                eprintln!("plenary import: cannot write JSON: {e}");
                tally.failed += 1;
            }
        }
    }
    if options.files.len() > 1 {
        let files = options.files.len();
        let stored = if options.dry_run {
            "read (dry run, nothing stored)".to_owned()
        } else {
            format!(
                "meetings {} created, {} updated, {} unchanged",
                tally.created, tally.updated, tally.unchanged
            )
        };
        let line = format!(
            "{files} files: {stored}; {} actions, {} participants, {} warnings; {} failed",
            tally.actions, tally.participants, tally.warnings, tally.failed
        );
        if options.json {
            eprintln!("{line}");
        } else {
            let _ = writeln!(stdout, "\n{line}");
        }
    }
    let _ = stdout.flush();
    tally.failed == 0
}
