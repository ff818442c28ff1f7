//! Reviewer assignment on the benchmark's instances (`../shared/bench/review-r1000.json`
//! and `review-r3000.json`).
//!
//! `cargo bench -p plenary --bench assign`: reads each instance once, solves it in
//! process several times (median, min–max of the solve alone), prints total affinity,
//! excess and objective, then times `plenary assign --instance FILE --out FILE` (the
//! release binary: start-up, reading the JSON, solving, writing the solution).
//! `PLENARY_BENCH_ASSIGN_RUNS` sets the number of runs (default 11 for r1000, 5 for
//! r3000).

use plenary_domain::assignment::{self, instance::Instance};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn instance_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/bench")
        .join(name)
}

fn median_min_max(mut times: Vec<f64>) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0], times[times.len() - 1])
}

fn bench(name: &str, default_runs: usize) {
    let runs = std::env::var("PLENARY_BENCH_ASSIGN_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default_runs);
    let path = instance_path(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} (../shared/bench): {e}", path.display()));
    let instance: Instance = serde_json::from_str(&text).expect("an instance file");
    let problem = instance.problem().expect("a valid instance");
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let solved = assignment::solve(&problem).expect("feasible");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(solved);
    }
    let solved = last.expect("at least one run");
    let check = problem.evaluate(&solved.reviewers);
    let (median, min, max) = median_min_max(times);
    println!(
        "{name}: solve median {median:.1} ms ({min:.1}–{max:.1}, {runs} runs); hard violations {}, total affinity {:.2}, excess {}, objective {:.2}; {} sparse round(s)",
        check.violations, check.total_affinity, check.excess, check.objective, solved.rounds
    );

    let out = std::env::temp_dir().join(format!(
        "plenary-bench-assign-{}-{name}",
        std::process::id()
    ));
    let mut times = Vec::new();
    for _ in 0..runs.min(5) {
        let started = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_plenary"))
            .args(["assign", "--instance"])
            .arg(&path)
            .arg("--out")
            .arg(&out)
            .env("PLENARY_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run plenary");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(status.success(), "plenary assign failed: {status}");
    }
    let _ = std::fs::remove_file(&out);
    let n = times.len();
    let (median, min, max) = median_min_max(times);
    println!(
        "{name}: `plenary assign --instance` end to end median {median:.1} ms ({min:.1}–{max:.1}, {n} runs)"
    );
}

fn main() {
    bench("review-r1000.json", 11);
    bench("review-r3000.json", 5);
}
