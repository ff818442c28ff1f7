//! The timetable scheduler on the benchmark's instances (`../shared/bench/timetable-a.json`
//! and `timetable-b.json`).
//!
//! `cargo bench -p plenary --bench schedule`: reads each instance, solves it in process
//! several times with different seeds (median, min–max of the solve alone), prints the
//! hard violations, the same-theme parallel pairs and the lower bound, the peak memory
//! of this process (`VmHWM`, an upper bound of what solving needs: it includes reading
//! the JSON), then times `plenary schedule --instance FILE --out FILE` end to end (the
//! release binary: start-up, reading, solving, writing). `PLENARY_BENCH_SCHEDULE_RUNS`
//! sets the number of runs (default 11).

use plenary_domain::schedule::{self, Settings, instance::Instance};
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

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn bench(name: &str, runs: usize) {
    let path = instance_path(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} (../shared/bench): {e}", path.display()));
    let instance: Instance = serde_json::from_str(&text).expect("an instance file");
    let problem = instance.problem().expect("a valid instance");
    let mut times = Vec::new();
    let mut worst = 0;
    let mut bound = 0;
    let mut violations = 0;
    for seed in 1..=runs as u64 {
        let started = Instant::now();
        let solved = schedule::solve(
            &problem,
            Settings {
                seed,
                ..Settings::default()
            },
        )
        .expect("feasible");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        worst = worst.max(solved.theme_pairs);
        bound = solved.lower_bound / problem.weights.theme_parallel.max(1);
        violations += schedule::violations(&problem, &solved.slot_of);
    }
    let (median, min, max) = median_min_max(times);
    println!(
        "{name}: solve median {median:.2} ms ({min:.2}–{max:.2}, seeds 1–{runs}); hard violations {violations} in all, same-theme parallel pairs at most {worst} (lower bound {bound}); peak RSS of this process {:.1} MiB",
        peak_kib() as f64 / 1024.0
    );
    let out = std::env::temp_dir().join(format!(
        "plenary-bench-schedule-{}-{name}",
        std::process::id()
    ));
    let mut times = Vec::new();
    for _ in 0..runs.min(5) {
        let started = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_plenary"))
            .args(["schedule", "--instance"])
            .arg(&path)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run plenary");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(status.success(), "plenary schedule failed: {status}");
    }
    let _ = std::fs::remove_file(&out);
    let n = times.len();
    let (median, min, max) = median_min_max(times);
    println!(
        "{name}: `plenary schedule --instance` end to end median {median:.1} ms ({min:.1}–{max:.1}, {n} runs)"
    );
}

fn main() {
    let runs = std::env::var("PLENARY_BENCH_SCHEDULE_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(11);
    bench("timetable-a.json", runs);
    bench("timetable-b.json", runs);
}
