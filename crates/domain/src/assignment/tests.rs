//! The solver against brute force on small problems, an independent optimality
//! certificate (no negative cycle in the residual network of its answer), the hard
//! rules on random problems, and errors instead of panics.

use super::*;
use proptest::prelude::*;

/// A small random problem, described so that proptest can shrink it.
#[derive(Debug, Clone)]
struct Spec {
    needs: Vec<u32>,
    reviewers: Vec<(usize, u32)>,
    groups: usize,
    /// Hundredths, so that the optimum is exact in floats too.
    affinity: Vec<i32>,
    penalty: u32,
    forbidden: Vec<(usize, usize)>,
    fixed: Vec<(usize, usize)>,
}

impl Spec {
    /// The problem; fixed pairs that break a rule are left out (and must be refused).
    fn problem(&self) -> Problem {
        let mut p = Problem::new(
            self.needs
                .iter()
                .map(|&reviewers| Submission { reviewers })
                .collect(),
            self.reviewers
                .iter()
                .map(|&(group, load)| Reviewer { group, load })
                .collect(),
            self.groups,
            self.affinity
                .iter()
                .map(|&a| f64::from(a) / 100.0)
                .collect(),
            f64::from(self.penalty) / 100.0,
        )
        .expect("a well-formed problem");
        for &(s, r) in &self.forbidden {
            p.forbid(s, r).expect("nothing fixed yet");
        }
        for &(s, r) in &self.fixed {
            match p.fix(s, r) {
                Ok(()) => assert!(p.is_fixed(s, r)),
                Err(AssignmentError::FixedForbidden { .. }) => assert!(p.is_forbidden(s, r)),
                Err(AssignmentError::TooManyFixed { submission }) => assert_eq!(submission, s),
                Err(AssignmentError::FixedOverLoad { reviewer }) => assert_eq!(reviewer, r),
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        p
    }
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..=5, 1usize..=6, 1usize..=3).prop_flat_map(|(s, r, g)| {
        (
            prop::collection::vec(0u32..=2, s),
            prop::collection::vec((0..g, 0u32..=3), r),
            prop::collection::vec(-30i32..=100, s * r),
            prop_oneof![Just(0u32), 1u32..=60, Just(100u32)],
            prop::collection::vec((0..s, 0..r), 0..=s * r / 3),
            prop::collection::vec((0..s, 0..r), 0..=3),
        )
            .prop_map(
                move |(needs, reviewers, affinity, penalty, forbidden, fixed)| Spec {
                    needs,
                    reviewers,
                    groups: g,
                    affinity,
                    penalty,
                    forbidden,
                    fixed,
                },
            )
    })
}

/// The objective in units of 1/SCALE, as the solver optimises it.
fn scaled_objective(p: &Problem, reviewers: &[Vec<usize>]) -> i64 {
    let penalty = (p.balance_penalty * SCALE).round() as i64;
    let mut total = 0;
    for (s, list) in reviewers.iter().enumerate() {
        let mut in_group = vec![0i64; p.groups];
        for &r in list {
            total += (p.affinity(s, r) * SCALE).round() as i64;
            in_group[p.reviewers[r].group] += 1;
        }
        total -= penalty * in_group.iter().map(|&c| (c - 1).max(0)).sum::<i64>();
    }
    total
}

/// The best objective over every assignment, by enumeration; None if there is none.
fn brute_force(p: &Problem) -> Option<i64> {
    fn go(
        p: &Problem,
        s: usize,
        load: &mut Vec<u32>,
        chosen: &mut Vec<Vec<usize>>,
        best: &mut Option<i64>,
    ) {
        if s == p.submissions() {
            let value = scaled_objective(p, chosen);
            if best.is_none_or(|b| value > b) {
                *best = Some(value);
            }
            return;
        }
        let need = p.submissions[s].reviewers as usize;
        // Every subset of the reviewers, as a bit mask.
        for mask in 0u32..(1 << p.reviewers()) {
            if mask.count_ones() as usize != need {
                continue;
            }
            let members: Vec<usize> = (0..p.reviewers())
                .filter(|r| mask & (1 << r) != 0)
                .collect();
            let allowed = (0..p.reviewers()).all(|r| {
                let on = mask & (1 << r) != 0;
                if on {
                    !p.is_forbidden(s, r) && load[r] < p.reviewers[r].load
                } else {
                    !p.is_fixed(s, r)
                }
            });
            if !allowed {
                continue;
            }
            for &r in &members {
                load[r] += 1;
            }
            chosen.push(members.clone());
            go(p, s + 1, load, chosen, best);
            chosen.pop();
            for &r in &members {
                load[r] -= 1;
            }
        }
    }
    let mut best = None;
    go(
        p,
        0,
        &mut vec![0; p.reviewers()],
        &mut Vec::new(),
        &mut best,
    );
    best
}

/// An optimality certificate built without the solver's network: the residual
/// network of the answer (root → submission → (submission, group) → reviewer → sink,
/// every eligible pair) has no cycle of negative cost (Bellman–Ford).
fn has_negative_cycle(p: &Problem, reviewers: &[Vec<usize>]) -> bool {
    let (sc, rc, gc) = (p.submissions(), p.reviewers(), p.groups);
    let penalty = (p.balance_penalty * SCALE).round() as i64;
    let sub = |s: usize| 2 + s;
    let grp = |s: usize, g: usize| 2 + sc + s * gc + g;
    let rev = |r: usize| 2 + sc + sc * gc + r;
    let nodes = 2 + sc + sc * gc + rc;
    // Residual arcs (from, to, cost).
    let mut arcs: Vec<(usize, usize, i64)> = Vec::new();
    let mut add = |from: usize, to: usize, cap: i64, flow: i64, cost: i64| {
        if flow < cap {
            arcs.push((from, to, cost));
        }
        if flow > 0 {
            arcs.push((to, from, -cost));
        }
    };
    let mut load = vec![0i64; rc];
    let mut fixed_load = vec![0i64; rc];
    for (s, submission) in p.submissions.iter().enumerate() {
        let need = i64::from(submission.reviewers) - i64::from(p.fixed_of_submission[s]);
        add(0, sub(s), need, need, 0);
        for g in 0..gc {
            let fixed = (0..rc)
                .filter(|&r| p.reviewers[r].group == g && p.is_fixed(s, r))
                .count() as i64;
            let chosen = reviewers[s]
                .iter()
                .filter(|&&r| p.reviewers[r].group == g && !p.is_fixed(s, r))
                .count() as i64;
            if fixed == 0 {
                add(sub(s), grp(s, g), 1, chosen.min(1), 0);
                add(sub(s), grp(s, g), need, (chosen - 1).max(0), penalty);
            } else {
                add(sub(s), grp(s, g), need, chosen, penalty);
            }
        }
        for r in 0..rc {
            if p.is_fixed(s, r) {
                fixed_load[r] += 1;
                continue;
            }
            if p.is_forbidden(s, r) {
                continue;
            }
            let on = i64::from(reviewers[s].contains(&r));
            load[r] += on;
            let a = (p.affinity(s, r) * SCALE).round() as i64;
            add(grp(s, p.reviewers[r].group), rev(r), 1, on, -a);
        }
    }
    for r in 0..rc {
        let room = i64::from(p.reviewers[r].load) - fixed_load[r];
        add(rev(r), 1, room, load[r], 0);
    }
    let mut dist = vec![0i64; nodes];
    for _ in 0..nodes {
        let mut changed = false;
        for &(u, v, c) in &arcs {
            if dist[u] + c < dist[v] {
                dist[v] = dist[u] + c;
                changed = true;
            }
        }
        if !changed {
            return false;
        }
    }
    true
}

fn check_rules(p: &Problem, a: &Assignment) {
    let e = p.evaluate(&a.reviewers);
    assert_eq!(e.violations, 0, "{a:?}");
    assert_eq!(a.reviewers.len(), p.submissions());
    let mut load = vec![0u32; p.reviewers()];
    for (s, list) in a.reviewers.iter().enumerate() {
        assert_eq!(list.len(), p.submissions[s].reviewers as usize, "k of {s}");
        assert!(list.windows(2).all(|w| w[0] < w[1]), "distinct and sorted");
        for &r in list {
            assert!(!p.is_forbidden(s, r), "conflict {s}–{r}");
            load[r] += 1;
        }
        for r in 0..p.reviewers() {
            if p.is_fixed(s, r) {
                assert!(list.contains(&r), "fixed {s}–{r} kept");
            }
        }
    }
    for (r, &l) in load.iter().enumerate() {
        assert!(l <= p.reviewers[r].load, "load of {r}");
    }
    assert!((e.total_affinity - a.total_affinity).abs() < 1e-9);
    assert_eq!(e.excess, a.excess);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_solver_finds_the_brute_force_optimum(spec in spec()) {
        let p = spec.problem();
        let best = brute_force(&p);
        for extra in [0, EXTRA_CANDIDATES, 10] {
            match (solve_with(&p, extra), best) {
                (Ok(a), Some(best)) => {
                    check_rules(&p, &a);
                    prop_assert_eq!(scaled_objective(&p, &a.reviewers), best, "extra {}", extra);
                    prop_assert!(!has_negative_cycle(&p, &a.reviewers));
                }
                (Err(AssignmentError::Infeasible { submissions, needed, possible }), None) => {
                    prop_assert!(!submissions.is_empty());
                    prop_assert!(possible < needed);
                }
                (outcome, best) => prop_assert!(false, "solver {:?}, brute force {:?}", outcome, best),
            }
        }
    }

    #[test]
    fn answers_keep_every_rule_or_say_why_not(
        spec in spec(),
        loads in prop::collection::vec(0u32..=40, 12),
        needs in prop::collection::vec(0u32..=4, 30),
        seed in any::<u64>(),
    ) {
        // Larger than brute force allows: 30 submissions, 12 reviewers.
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let groups = spec.groups;
        let mut p = Problem::new(
            needs.iter().map(|&reviewers| Submission { reviewers }).collect(),
            loads.iter().map(|&load| Reviewer { group: (next() as usize) % groups, load }).collect(),
            groups,
            (0..30 * 12).map(|_| (next() % 1000) as f64 / 997.0).collect(),
            f64::from(spec.penalty) / 100.0,
        ).expect("well-formed");
        for _ in 0..40 {
            let _ = p.forbid((next() % 30) as usize, (next() % 12) as usize);
        }
        for _ in 0..10 {
            let _ = p.fix((next() % 30) as usize, (next() % 12) as usize);
        }
        match solve(&p) {
            Ok(a) => {
                check_rules(&p, &a);
                prop_assert!(!has_negative_cycle(&p, &a.reviewers));
            }
            Err(AssignmentError::Infeasible { submissions, needed, possible }) => {
                prop_assert!(!submissions.is_empty() && possible < needed);
            }
            Err(e) => prop_assert!(false, "unexpected {:?}", e),
        }
    }
}

fn uniform(submissions: usize, reviewers: &[(usize, u32)], k: u32, affinity: Vec<f64>) -> Problem {
    Problem::new(
        vec![Submission { reviewers: k }; submissions],
        reviewers
            .iter()
            .map(|&(group, load)| Reviewer { group, load })
            .collect(),
        3,
        affinity,
        1.0,
    )
    .expect("well-formed")
}

#[test]
fn the_balance_penalty_prefers_reviewers_of_other_groups() {
    // Reviewers 0 and 1 are government, 2 civil society; the submission likes 0 and 1.
    let p = uniform(1, &[(0, 1), (0, 1), (1, 1)], 2, vec![0.9, 0.8, 0.3]);
    let a = solve(&p).expect("feasible");
    assert_eq!(a.reviewers, vec![vec![0, 2]]);
    assert_eq!(a.excess, 0);
    assert!((a.objective - 1.2).abs() < 1e-12);
    // With a small penalty the pair from one group wins: 1.7 − 0.25 > 1.2.
    let mut p = p;
    p.balance_penalty = 0.25;
    let a = solve(&p).expect("feasible");
    assert_eq!(a.reviewers, vec![vec![0, 1]]);
    assert_eq!(a.excess, 1);
}

#[test]
fn fixed_pairs_stay_and_count_towards_loads_and_groups() {
    let mut p = uniform(
        2,
        &[(0, 1), (0, 2), (1, 2)],
        2,
        vec![0.9, 0.8, 0.1, 0.9, 0.8, 0.1],
    );
    // Reviewer 0 (load 1) is kept on submission 1, so submission 0 cannot have them.
    p.fix(1, 0).expect("fixable");
    let a = solve(&p).expect("feasible");
    assert_eq!(a.reviewers, vec![vec![1, 2], vec![0, 2]]);
    assert_eq!(
        p.fix(0, 0),
        Err(AssignmentError::FixedOverLoad { reviewer: 0 })
    );
    p.forbid(0, 1).expect("not fixed");
    assert_eq!(
        p.fix(0, 1),
        Err(AssignmentError::FixedForbidden {
            submission: 0,
            reviewer: 1
        })
    );
}

#[test]
fn an_impossible_problem_names_the_submissions_that_cannot_be_served() {
    // Submission 1 has a conflict with two of the three reviewers.
    let mut p = uniform(3, &[(0, 3), (1, 3), (2, 3)], 2, vec![0.5; 9]);
    p.forbid(1, 0).expect("open");
    p.forbid(1, 2).expect("open");
    let e = solve(&p).expect_err("infeasible");
    assert_eq!(
        e,
        AssignmentError::Infeasible {
            submissions: vec![1],
            needed: 2,
            possible: 1
        }
    );
    assert_eq!(
        e.to_string(),
        "no assignment is possible: submission submission 1 needs 2 more reviewer(s) but conflicts and load limits leave room for 1"
    );
    // Loads too small for everyone: 3 submissions × 2 reviewers > 5 places.
    let p = uniform(3, &[(0, 2), (1, 2), (2, 1)], 2, vec![0.5; 9]);
    match solve(&p) {
        Err(AssignmentError::Infeasible {
            submissions,
            needed,
            possible,
        }) => {
            assert_eq!(submissions, vec![0, 1, 2]);
            assert_eq!((needed, possible), (6, 5));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_input_is_refused() {
    let reviewers = vec![Reviewer { group: 0, load: 1 }];
    let submissions = vec![Submission { reviewers: 1 }];
    assert_eq!(
        Problem::new(submissions.clone(), reviewers.clone(), 1, vec![], 1.0).err(),
        Some(AssignmentError::AffinityShape {
            expected: 1,
            found: 0
        })
    );
    assert!(matches!(
        Problem::new(
            submissions.clone(),
            reviewers.clone(),
            1,
            vec![f64::NAN],
            1.0
        ),
        Err(AssignmentError::AffinityNotFinite { .. })
    ));
    assert!(matches!(
        Problem::new(submissions.clone(), reviewers.clone(), 1, vec![0.5], -1.0),
        Err(AssignmentError::BadPenalty(_))
    ));
    assert!(matches!(
        Problem::new(submissions.clone(), reviewers.clone(), 0, vec![0.5], 1.0),
        Err(AssignmentError::GroupOutOfRange { .. })
    ));
    let mut p = Problem::new(submissions, reviewers, 1, vec![1e12], 1.0).expect("well-formed");
    assert_eq!(solve(&p).err(), Some(AssignmentError::TooLarge));
    assert_eq!(p.forbid(1, 0), Err(AssignmentError::NoSuchSubmission(1)));
    assert_eq!(p.fix(0, 1), Err(AssignmentError::NoSuchReviewer(1)));
}

#[test]
fn nothing_to_assign_is_not_an_error() {
    let p = uniform(2, &[(0, 0)], 0, vec![0.5, 0.5]);
    let a = solve(&p).expect("nothing needed");
    assert_eq!(a.reviewers, vec![Vec::<usize>::new(), Vec::new()]);
    let p = uniform(0, &[], 3, vec![]);
    assert_eq!(solve(&p).expect("empty").reviewers.len(), 0);
}

#[test]
fn pairs_left_out_of_the_sparse_network_are_added_when_they_improve_it() {
    // One group, one reviewer each. Starting from no spare candidates, both submissions
    // only see reviewer 0; a feasible flow adds a pair, and the check of the omitted
    // pairs must then bring in reviewer 2 for submission 1.
    let p = Problem::new(
        vec![Submission { reviewers: 1 }; 2],
        vec![Reviewer { group: 0, load: 1 }; 3],
        1,
        vec![0.9, 0.1, 0.0, 0.8, 0.0, 0.7],
        1.0,
    )
    .expect("well-formed");
    let a = solve_with(&p, 0).expect("feasible");
    assert_eq!(a.reviewers, vec![vec![0], vec![2]]);
    assert!((a.objective - 1.6).abs() < 1e-12);
    assert!(a.rounds >= 2, "{a:?}");
    assert_eq!(solve(&p).expect("feasible").reviewers, a.reviewers);
}

const TINY: &str = r#"{
  "format": "plenary-review-instance/v1", "name": "tiny", "seed": 1, "stats": {"any": 1},
  "params": {"reviewers_per_submission": 2, "max_load": 2, "balance_penalty": 1.0,
             "stakeholder_groups": ["government", "civil_society"]},
  "reviewers": [{"id": "V1", "organization": "O1", "stakeholder_group": "government"},
                {"id": "V2", "organization": "O2", "stakeholder_group": "government"},
                {"id": "V3", "organization": "O3", "stakeholder_group": "civil_society"}],
  "submissions": [{"id": "X1", "organization": "O1"}, {"id": "X2", "organization": "O9"}],
  "affinity": [[0.9, 0.8, 0.1], [0.9, 0.8, 0.2]],
  "conflicts": [[1, 1]]
}"#;

fn tiny() -> instance::Instance {
    serde_json::from_str(TINY).expect("the tiny instance")
}

#[test]
fn an_instance_file_is_solved_and_written_back_with_its_ids() {
    let inst = tiny();
    let p = inst.problem().expect("valid");
    // Listed conflict X2–V2, and X1–V1 of the same organization.
    assert!(p.is_forbidden(1, 1) && p.is_forbidden(0, 0));
    let a = solve(&p).expect("feasible");
    assert_eq!(a.reviewers, vec![vec![1, 2], vec![0, 2]]);
    let json = serde_json::to_value(inst.solution(&a)).expect("serialisable");
    assert_eq!(
        json,
        serde_json::json!({
            "format": "plenary-review-solution/v1",
            "assignment": {"X1": ["V2", "V3"], "X2": ["V1", "V3"]}
        })
    );
}

#[test]
fn bad_instance_files_are_named_precisely() {
    let change = |edit: &dyn Fn(&mut instance::Instance)| {
        let mut inst = tiny();
        edit(&mut inst);
        inst.problem().err().map(|e| e.to_string())
    };
    assert_eq!(
        change(&|i| i.format = "v0".into()).as_deref(),
        Some("format is \"v0\", not \"plenary-review-instance/v1\"")
    );
    assert_eq!(
        change(&|i| i.reviewers[2].stakeholder_group = "press".into()).as_deref(),
        Some(
            "reviewer V3 is in stakeholder group \"press\", which params.stakeholder_groups does not list"
        )
    );
    assert_eq!(
        change(&|i| i.submissions[1].id = "V1".into()).as_deref(),
        Some("the id V1 is used twice")
    );
    assert_eq!(
        change(&|i| i.affinity[1].pop().map_or((), |_| ())).as_deref(),
        Some("the affinity row of submission X2 has 2 values, one per reviewer is 3")
    );
    assert_eq!(
        change(&|i| i.conflicts.push([2, 0])).as_deref(),
        Some("the conflict [2, 0] names a submission or reviewer that does not exist")
    );
    assert_eq!(
        change(&|i| i.params.balance_penalty = -1.0).as_deref(),
        Some("the balance penalty -1 is not a finite number ≥ 0")
    );
    // Every reviewer conflicts with X1 except V3: it cannot get 2.
    let mut inst = tiny();
    inst.conflicts.push([0, 1]);
    let p = inst.problem().expect("valid");
    let e = solve(&p).expect_err("infeasible");
    assert_eq!(
        inst.message(&e),
        "no assignment is possible: submission X1 needs 2 more reviewer(s) but conflicts and load limits leave room for 1"
    );
}
