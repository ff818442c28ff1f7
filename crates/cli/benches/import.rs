//! Importing 200 documents with `plenary import` (the release binary), as a
//! secretariat would take in a forum's history.
//!
//! `cargo bench -p plenary --bench import`: writes 200 documents (the two samples of
//! `../shared/samples` and the invented variants of `crates/domain/tests/import`, each
//! copy with its own title so that every file is its own meeting) into a scratch
//! folder, then times, 5 times each:
//! - `plenary import --dry-run --json` of the 200 files (read and extract only);
//! - `plenary import --body MAG` of the 200 files into a fresh SQLite database that
//!   holds the demo forum (one transaction per file, fsync on every commit);
//! - the same command again on that database (every file unchanged).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const FILES: usize = 200;
const RUNS: usize = 5;

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plenary-bench-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn sources() -> Vec<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = Vec::new();
    for dir in [
        manifest.join("../../../shared/samples"),
        manifest.join("../domain/tests/import"),
    ] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .filter(|p| !p.to_string_lossy().contains("press-release"))
            .collect();
        found.sort();
        paths.extend(found);
    }
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("document"))
        .collect()
}

/// 200 documents, each with a title of its own.
fn write_documents(dir: &Path) -> Vec<PathBuf> {
    let sources = sources();
    (0..FILES)
        .map(|i| {
            let source = &sources[i % sources.len()];
            let text = source.replacen('\n', &format!(" ({i})\n"), 1);
            let path = dir.join(format!("document-{i:03}.txt"));
            std::fs::write(&path, text).expect("write document");
            path
        })
        .collect()
}

fn plenary(args: &[&str], db: &Path, files: &[PathBuf]) -> f64 {
    let url = format!("sqlite://{}", db.display());
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args(args)
        .args(["--database-url", &url])
        .args(files)
        .env("PLENARY_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run plenary");
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    assert!(status.success(), "plenary {args:?} failed: {status}");
    elapsed
}

fn prepare_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let url = format!("sqlite://{}", db.display());
    let status = Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args(["demo", "--database-url", &url])
        .stdout(Stdio::null())
        .status()
        .expect("plenary demo");
    assert!(status.success(), "plenary demo failed");
}

fn report(what: &str, mut runs: Vec<f64>) {
    runs.sort_by(f64::total_cmp);
    println!(
        "{what}: median {:.0} ms (min {:.0}, max {:.0}, {} runs)",
        runs[runs.len() / 2],
        runs[0],
        runs[runs.len() - 1],
        runs.len()
    );
}

fn main() {
    let dir = scratch_dir();
    let files = write_documents(&dir);
    let db = dir.join("bench.db");
    let mut dry = Vec::new();
    let mut stored = Vec::new();
    let mut again = Vec::new();
    for _ in 0..RUNS {
        dry.push(plenary(&["import", "--dry-run", "--json"], &db, &files));
        prepare_database(&db);
        stored.push(plenary(&["import", "--body", "MAG"], &db, &files));
        again.push(plenary(&["import", "--body", "MAG"], &db, &files));
    }
    println!("{FILES} documents, {} distinct sources", sources().len());
    report("dry run (--dry-run --json)", dry);
    report("stored on SQLite (new meetings)", stored);
    report("stored again (all unchanged)", again);
    let _ = std::fs::remove_dir_all(&dir);
}
