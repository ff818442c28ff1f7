//! Assigning reviewers to submissions, optimally.
//!
//! Every submission gets exactly the number of distinct reviewers it needs, no reviewer
//! gets more than their load, and no forbidden pair (a conflict of interest) is ever
//! assigned. Among such assignments, [`solve`] returns one that maximises
//!
//! > Σ affinity of the assigned pairs − λ · excess,
//!
//! where excess = Σ over submissions Σ over stakeholder groups max(0, reviewers of
//! that group on the submission − 1): a second reviewer from a group that already
//! reviews a submission costs λ. Pairs can be fixed beforehand (finished reviews kept
//! when the assignment is run again, manual changes); they count towards the
//! submission's reviewers, the reviewer's load and the excess.
//!
//! The problem is a minimum-cost flow with convex costs, so it is solved exactly:
//! root → submission (capacity: the reviewers it still needs) → (submission, group)
//! (the first reviewer of the group costs 0, each further one λ) → reviewer (capacity
//! 1, cost −affinity; forbidden pairs have no arc) → sink (capacity: the reviewer's
//! remaining load). Affinities and λ are rounded to multiples of 10⁻⁶ (exact for
//! inputs with at most six decimals); the optimum is exact for the rounded values,
//! and the totals reported are recomputed from the values given.
//!
//! To be fast on thousands of submissions, the flow is first solved on a sparse
//! network (for each submission and group, the few reviewers it likes best, plus the
//! pairs of a feasible assignment). The potentials of that solution then prove it
//! optimal for the full problem — every omitted pair has a reduced cost of at least
//! −ε, with ε below 1/(number of nodes) — or name the pairs to add before solving
//! again. See `flow.rs` for the algorithms.

mod flow;
pub mod instance;
#[cfg(test)]
mod tests;

use flow::{Network, NetworkBuilder};
use std::fmt;

/// One reviewer: their stakeholder group (an index below the problem's number of
/// groups; a reviewer without a group gets a group of their own) and the most reviews
/// they take, fixed ones included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reviewer {
    pub group: usize,
    pub load: u32,
}

/// One submission: how many reviewers it must have, fixed ones included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Submission {
    pub reviewers: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pair {
    Open,
    Forbidden,
    Fixed,
}

/// A checked assignment problem. Build it with [`Problem::new`], then [`Problem::forbid`]
/// conflicts and [`Problem::fix`] pairs that must stay.
#[derive(Debug, Clone)]
pub struct Problem {
    submissions: Vec<Submission>,
    reviewers: Vec<Reviewer>,
    groups: usize,
    /// Row-major: submission × reviewer.
    affinity: Vec<f64>,
    balance_penalty: f64,
    pairs: Vec<Pair>,
    fixed_of_submission: Vec<u32>,
    fixed_of_reviewer: Vec<u32>,
}

/// Why a problem cannot be built or solved. Submissions and reviewers are named by
/// their index in the problem.
#[derive(Debug, Clone, PartialEq)]
pub enum AssignmentError {
    /// The affinity matrix must have one value per submission and reviewer.
    AffinityShape {
        expected: usize,
        found: usize,
    },
    AffinityNotFinite {
        submission: usize,
        reviewer: usize,
    },
    /// λ must be finite and not negative.
    BadPenalty(f64),
    GroupOutOfRange {
        reviewer: usize,
        group: usize,
    },
    NoSuchSubmission(usize),
    NoSuchReviewer(usize),
    /// A pair cannot be both fixed and forbidden.
    FixedForbidden {
        submission: usize,
        reviewer: usize,
    },
    /// More fixed reviewers than the submission needs.
    TooManyFixed {
        submission: usize,
    },
    /// More fixed reviews than the reviewer's load.
    FixedOverLoad {
        reviewer: usize,
    },
    /// These submissions need `needed` more reviewers between them, but conflicts and
    /// loads leave room for only `possible`: no assignment serves them all.
    Infeasible {
        submissions: Vec<usize>,
        needed: u64,
        possible: u64,
    },
    /// The numbers are too large for exact integer arithmetic at this size.
    TooLarge,
    /// The flow algorithm failed; a bug.
    Internal,
}

impl fmt::Display for AssignmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f, &|s| format!("submission {s}"), &|r| {
            format!("reviewer {r}")
        })
    }
}

impl std::error::Error for AssignmentError {}

impl AssignmentError {
    /// The message, naming submissions and reviewers as the caller does.
    pub fn message(
        &self,
        submission: &dyn Fn(usize) -> String,
        reviewer: &dyn Fn(usize) -> String,
    ) -> String {
        struct Show<'a>(
            &'a AssignmentError,
            &'a dyn Fn(usize) -> String,
            &'a dyn Fn(usize) -> String,
        );
        impl fmt::Display for Show<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.describe(f, self.1, self.2)
            }
        }
        Show(self, submission, reviewer).to_string()
    }

    fn describe(
        &self,
        f: &mut fmt::Formatter<'_>,
        submission: &dyn Fn(usize) -> String,
        reviewer: &dyn Fn(usize) -> String,
    ) -> fmt::Result {
        match self {
            AssignmentError::AffinityShape { expected, found } => write!(
                f,
                "the affinity matrix has {found} values; one per submission and reviewer is {expected}"
            ),
            AssignmentError::AffinityNotFinite {
                submission: s,
                reviewer: r,
            } => write!(
                f,
                "the affinity of {} and {} is not a finite number",
                submission(*s),
                reviewer(*r)
            ),
            AssignmentError::BadPenalty(l) => {
                write!(f, "the balance penalty {l} is not a finite number ≥ 0")
            }
            AssignmentError::GroupOutOfRange { reviewer: r, group } => {
                write!(
                    f,
                    "{} is in group {group}, which does not exist",
                    reviewer(*r)
                )
            }
            AssignmentError::NoSuchSubmission(s) => write!(f, "there is no submission {s}"),
            AssignmentError::NoSuchReviewer(r) => write!(f, "there is no reviewer {r}"),
            AssignmentError::FixedForbidden {
                submission: s,
                reviewer: r,
            } => write!(
                f,
                "{} cannot stay on {}: they have a conflict",
                reviewer(*r),
                submission(*s)
            ),
            AssignmentError::TooManyFixed { submission: s } => write!(
                f,
                "{} has more fixed reviewers than it needs",
                submission(*s)
            ),
            AssignmentError::FixedOverLoad { reviewer: r } => {
                write!(f, "{} has more fixed reviews than their load", reviewer(*r))
            }
            AssignmentError::Infeasible {
                submissions,
                needed,
                possible,
            } => {
                const SHOWN: usize = 10;
                let names: Vec<String> = submissions
                    .iter()
                    .take(SHOWN)
                    .map(|&s| submission(s))
                    .collect();
                let more = submissions.len().saturating_sub(SHOWN);
                let (noun, verb) = if submissions.len() == 1 {
                    ("", "needs")
                } else {
                    ("s", "need")
                };
                write!(
                    f,
                    "no assignment is possible: submission{noun} {}",
                    names.join(", ")
                )?;
                if more > 0 {
                    write!(f, " and {more} more")?;
                }
                write!(
                    f,
                    " {verb} {needed} more reviewer(s) but conflicts and load limits leave room for {possible}"
                )
            }
            AssignmentError::TooLarge => f.write_str(
                "the affinities or the penalty are too large for exact arithmetic at this size",
            ),
            AssignmentError::Internal => f.write_str("the assignment algorithm failed (a bug)"),
        }
    }
}

impl Problem {
    /// A problem without conflicts or fixed pairs. `affinity` is row-major: for each
    /// submission, one value per reviewer, in order. `groups` is the number of
    /// stakeholder groups, `balance_penalty` is λ.
    pub fn new(
        submissions: Vec<Submission>,
        reviewers: Vec<Reviewer>,
        groups: usize,
        affinity: Vec<f64>,
        balance_penalty: f64,
    ) -> Result<Self, AssignmentError> {
        let expected = submissions.len() * reviewers.len();
        if affinity.len() != expected {
            return Err(AssignmentError::AffinityShape {
                expected,
                found: affinity.len(),
            });
        }
        if let Some(i) = affinity.iter().position(|a| !a.is_finite()) {
            let r = reviewers.len();
            return Err(AssignmentError::AffinityNotFinite {
                submission: i / r,
                reviewer: i % r,
            });
        }
        if !balance_penalty.is_finite() || balance_penalty < 0.0 {
            return Err(AssignmentError::BadPenalty(balance_penalty));
        }
        if let Some((r, rev)) = reviewers
            .iter()
            .enumerate()
            .find(|(_, v)| v.group >= groups)
        {
            return Err(AssignmentError::GroupOutOfRange {
                reviewer: r,
                group: rev.group,
            });
        }
        Ok(Self {
            pairs: vec![Pair::Open; expected],
            fixed_of_submission: vec![0; submissions.len()],
            fixed_of_reviewer: vec![0; reviewers.len()],
            submissions,
            reviewers,
            groups,
            affinity,
            balance_penalty,
        })
    }

    pub fn submissions(&self) -> usize {
        self.submissions.len()
    }

    pub fn reviewers(&self) -> usize {
        self.reviewers.len()
    }

    fn index(&self, submission: usize, reviewer: usize) -> Result<usize, AssignmentError> {
        if submission >= self.submissions.len() {
            return Err(AssignmentError::NoSuchSubmission(submission));
        }
        if reviewer >= self.reviewers.len() {
            return Err(AssignmentError::NoSuchReviewer(reviewer));
        }
        Ok(submission * self.reviewers.len() + reviewer)
    }

    /// The reviewer must never review the submission (a conflict of interest).
    pub fn forbid(&mut self, submission: usize, reviewer: usize) -> Result<(), AssignmentError> {
        let i = self.index(submission, reviewer)?;
        match self.pairs[i] {
            Pair::Fixed => Err(AssignmentError::FixedForbidden {
                submission,
                reviewer,
            }),
            _ => {
                self.pairs[i] = Pair::Forbidden;
                Ok(())
            }
        }
    }

    /// The reviewer stays on the submission whatever else changes.
    pub fn fix(&mut self, submission: usize, reviewer: usize) -> Result<(), AssignmentError> {
        let i = self.index(submission, reviewer)?;
        match self.pairs[i] {
            Pair::Fixed => Ok(()),
            Pair::Forbidden => Err(AssignmentError::FixedForbidden {
                submission,
                reviewer,
            }),
            Pair::Open => {
                if self.fixed_of_submission[submission] >= self.submissions[submission].reviewers {
                    return Err(AssignmentError::TooManyFixed { submission });
                }
                if self.fixed_of_reviewer[reviewer] >= self.reviewers[reviewer].load {
                    return Err(AssignmentError::FixedOverLoad { reviewer });
                }
                self.pairs[i] = Pair::Fixed;
                self.fixed_of_submission[submission] += 1;
                self.fixed_of_reviewer[reviewer] += 1;
                Ok(())
            }
        }
    }

    pub fn is_forbidden(&self, submission: usize, reviewer: usize) -> bool {
        self.index(submission, reviewer)
            .is_ok_and(|i| self.pairs[i] == Pair::Forbidden)
    }

    pub fn is_fixed(&self, submission: usize, reviewer: usize) -> bool {
        self.index(submission, reviewer)
            .is_ok_and(|i| self.pairs[i] == Pair::Fixed)
    }

    pub fn affinity(&self, submission: usize, reviewer: usize) -> f64 {
        self.index(submission, reviewer)
            .map_or(0.0, |i| self.affinity[i])
    }

    /// Checks an assignment (for each submission, its reviewers) against the hard
    /// rules and computes its objective.
    pub fn evaluate(&self, assignment: &[Vec<usize>]) -> Evaluation {
        let mut violations = 0u64;
        let mut total_affinity = 0.0;
        let mut excess = 0u64;
        let mut load = vec![0u32; self.reviewers.len()];
        if assignment.len() != self.submissions.len() {
            violations += self.submissions.len().abs_diff(assignment.len()) as u64;
        }
        let mut in_group = vec![0u32; self.groups];
        let mut seen = vec![false; self.reviewers.len()];
        for (s, reviewers) in assignment.iter().enumerate().take(self.submissions.len()) {
            if reviewers.len() != self.submissions[s].reviewers as usize {
                violations += 1;
            }
            in_group.fill(0);
            for &r in reviewers {
                let Ok(i) = self.index(s, r) else {
                    violations += 1;
                    continue;
                };
                if seen[r] {
                    violations += 1;
                    continue;
                }
                seen[r] = true;
                if self.pairs[i] == Pair::Forbidden {
                    violations += 1;
                }
                load[r] += 1;
                total_affinity += self.affinity[i];
                in_group[self.reviewers[r].group] += 1;
            }
            for &r in reviewers {
                if r < seen.len() {
                    seen[r] = false;
                }
            }
            excess += in_group
                .iter()
                .map(|&c| u64::from(c.saturating_sub(1)))
                .sum::<u64>();
            for r in 0..self.reviewers.len() {
                if self.pairs[s * self.reviewers.len() + r] == Pair::Fixed
                    && !reviewers.contains(&r)
                {
                    violations += 1;
                }
            }
        }
        for (r, reviewer) in self.reviewers.iter().enumerate() {
            if load[r] > reviewer.load {
                violations += u64::from(load[r] - reviewer.load);
            }
        }
        Evaluation {
            violations,
            total_affinity,
            excess,
            objective: total_affinity - self.balance_penalty * excess as f64,
        }
    }
}

/// How an assignment fares: hard-rule violations (wrong number of reviewers,
/// duplicates, forbidden pairs, loads exceeded, fixed pairs missing) and the objective.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    pub violations: u64,
    pub total_affinity: f64,
    pub excess: u64,
    pub objective: f64,
}

/// An optimal assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// For each submission, its reviewers (fixed ones included), in increasing order.
    pub reviewers: Vec<Vec<usize>>,
    pub total_affinity: f64,
    pub excess: u64,
    /// total_affinity − λ · excess.
    pub objective: f64,
    /// How many sparse networks were solved before the optimum was proved (1 when the
    /// first guess of candidate pairs was enough).
    pub rounds: u32,
}

/// Affinities and λ are rounded to multiples of 1/SCALE.
const SCALE: f64 = 1e6;

/// For each submission and group, the reviewers it likes best beyond the number it
/// needs that start in the sparse network.
const EXTRA_CANDIDATES: usize = 2;

/// Solves the problem: an optimal assignment, or why there is none.
pub fn solve(problem: &Problem) -> Result<Assignment, AssignmentError> {
    solve_with(problem, EXTRA_CANDIDATES)
}

/// `solve`, starting from `extra` candidates per submission and group beyond the
/// reviewers it needs.
fn solve_with(problem: &Problem, extra: usize) -> Result<Assignment, AssignmentError> {
    let mut solver = Solver::new(problem, extra)?;
    let mut rounds = 0u32;
    loop {
        rounds += 1;
        let (net, layout) = solver.solve_sparse()?;
        if solver.add_violations(&net, &layout) == 0 {
            let reviewers = solver.extract(&net, &layout);
            let e = problem.evaluate(&reviewers);
            if e.violations > 0 {
                return Err(AssignmentError::Internal);
            }
            return Ok(Assignment {
                reviewers,
                total_affinity: e.total_affinity,
                excess: e.excess,
                objective: e.objective,
                rounds,
            });
        }
    }
}

struct Solver<'p> {
    p: &'p Problem,
    s_count: usize,
    r_count: usize,
    /// Affinities in units of 1/SCALE.
    affinity: Vec<i64>,
    penalty: i64,
    /// Reviewers each submission still needs.
    need: Vec<u32>,
    /// Reviews each reviewer can still take.
    room: Vec<u32>,
    /// Fixed reviewers per (submission, group).
    fixed_in_group: Vec<u32>,
    /// Pairs in the sparse network.
    candidate: Vec<bool>,
    /// Multiplier of costs in cost scaling: more than the nodes of the full network.
    factor: i64,
}

/// Where things are in one sparse network.
struct Layout {
    root: u32,
    sink: u32,
    /// Node of each (submission, group), if the network has one.
    group_node: Vec<Option<u32>>,
    /// (submission, reviewer, arc) of each candidate pair.
    pair_arcs: Vec<(u32, u32, usize)>,
}

const ROOT: u32 = 0;
const SINK: u32 = 1;

impl<'p> Solver<'p> {
    fn new(p: &'p Problem, extra: usize) -> Result<Self, AssignmentError> {
        let s_count = p.submissions.len();
        let r_count = p.reviewers.len();
        let affinity: Vec<i64> = p
            .affinity
            .iter()
            .map(|a| (a * SCALE).round() as i64)
            .collect();
        let penalty = (p.balance_penalty * SCALE).round() as i64;
        // Nodes of the full network: root, sink, submissions, reviewers, groups.
        let nodes = 2 + s_count + r_count + s_count * p.groups;
        let factor = i64::try_from(nodes + 1).map_err(|_| AssignmentError::TooLarge)?;
        let max_cost = affinity
            .iter()
            .map(|a| a.unsigned_abs())
            .max()
            .unwrap_or(0)
            .max(penalty.unsigned_abs());
        // Potentials stay within a few times nodes × the largest scaled cost.
        let bound = i128::from(max_cost) * i128::from(factor) * (i128::from(factor) + 2) * 8;
        if bound > i128::from(i64::MAX) {
            return Err(AssignmentError::TooLarge);
        }
        let need: Vec<u32> = p
            .submissions
            .iter()
            .zip(&p.fixed_of_submission)
            .map(|(s, f)| s.reviewers - f)
            .collect();
        let room: Vec<u32> = p
            .reviewers
            .iter()
            .zip(&p.fixed_of_reviewer)
            .map(|(r, f)| r.load - f)
            .collect();
        if need.iter().map(|&n| u64::from(n)).sum::<u64>() > i32::MAX as u64
            || room.iter().any(|&r| r > i32::MAX as u32)
        {
            return Err(AssignmentError::TooLarge);
        }
        let mut fixed_in_group = vec![0u32; s_count * p.groups];
        for s in 0..s_count {
            for r in 0..r_count {
                if p.pairs[s * r_count + r] == Pair::Fixed {
                    fixed_in_group[s * p.groups + p.reviewers[r].group] += 1;
                }
            }
        }
        let mut solver = Self {
            p,
            s_count,
            r_count,
            affinity,
            penalty,
            need,
            room,
            fixed_in_group,
            candidate: vec![false; s_count * r_count],
            factor,
        };
        solver.initial_candidates(extra);
        Ok(solver)
    }

    fn eligible(&self, s: usize, r: usize) -> bool {
        self.p.pairs[s * self.r_count + r] == Pair::Open && self.room[r] > 0 && self.need[s] > 0
    }

    /// For each submission and group, the eligible reviewers it likes best.
    fn initial_candidates(&mut self, extra: usize) {
        let groups = self.p.groups;
        let mut by_group: Vec<Vec<usize>> = vec![Vec::new(); groups];
        for s in 0..self.s_count {
            if self.need[s] == 0 {
                continue;
            }
            for list in &mut by_group {
                list.clear();
            }
            for r in 0..self.r_count {
                if self.eligible(s, r) {
                    by_group[self.p.reviewers[r].group].push(r);
                }
            }
            let take = self.need[s] as usize + extra;
            let row = &self.affinity[s * self.r_count..(s + 1) * self.r_count];
            for list in &mut by_group {
                let better = |a: &usize, b: &usize| row[*b].cmp(&row[*a]).then(a.cmp(b));
                if list.len() > take {
                    list.select_nth_unstable_by(take, better);
                    list.truncate(take);
                }
                for &r in list.iter() {
                    self.candidate[s * self.r_count + r] = true;
                }
            }
        }
    }

    /// The network of the candidate pairs (all eligible pairs when `all`).
    fn network(&self, all: bool) -> (Network, Layout) {
        let (s_count, r_count, groups) = (self.s_count, self.r_count, self.p.groups);
        let mut b = NetworkBuilder::with_nodes(2 + s_count + r_count);
        let submission_node = |s: usize| (2 + s) as u32;
        let reviewer_node = |r: usize| (2 + s_count + r) as u32;
        let mut group_node = vec![None; s_count * groups];
        let mut pair_arcs = Vec::new();
        let mut in_group: Vec<Vec<usize>> = vec![Vec::new(); groups];
        for s in 0..s_count {
            let need = self.need[s];
            if need == 0 {
                continue;
            }
            b.add_arc(ROOT, submission_node(s), need as i32, 0);
            for list in &mut in_group {
                list.clear();
            }
            for r in 0..r_count {
                if self.eligible(s, r) && (all || self.candidate[s * r_count + r]) {
                    in_group[self.p.reviewers[r].group].push(r);
                }
            }
            for (g, list) in in_group.iter().enumerate() {
                if list.is_empty() {
                    continue;
                }
                let node = b.add_node();
                group_node[s * groups + g] = Some(node);
                // As wide as in the full network, whatever the candidates, so that the
                // check of the omitted pairs covers every arc that differs.
                let width = need as i32;
                if self.fixed_in_group[s * groups + g] == 0 {
                    b.add_arc(submission_node(s), node, 1, 0);
                    if width > 1 {
                        b.add_arc(submission_node(s), node, width - 1, self.penalty);
                    }
                } else {
                    b.add_arc(submission_node(s), node, width, self.penalty);
                }
                for &r in list {
                    let arc = b.add_arc(node, reviewer_node(r), 1, -self.affinity[s * r_count + r]);
                    pair_arcs.push((s as u32, r as u32, arc));
                }
            }
        }
        for r in 0..r_count {
            if self.room[r] > 0 {
                b.add_arc(reviewer_node(r), SINK, self.room[r] as i32, 0);
            }
        }
        debug_assert!(b.arc_count() >= pair_arcs.len());
        (
            b.build(),
            Layout {
                root: ROOT,
                sink: SINK,
                group_node,
                pair_arcs,
            },
        )
    }

    fn total_need(&self) -> i64 {
        self.need.iter().map(|&n| i64::from(n)).sum()
    }

    /// Solves the network of the candidate pairs; when it has no feasible flow, looks
    /// for one on the full network first and adds its pairs to the candidates.
    fn solve_sparse(&mut self) -> Result<(Network, Layout), AssignmentError> {
        let total = self.total_need();
        let (mut net, mut layout) = self.network(false);
        if net.max_flow(layout.root, layout.sink) < total {
            let (mut full, full_layout) = self.network(true);
            let flow = full.max_flow(full_layout.root, full_layout.sink);
            if flow < total {
                return Err(self.infeasible(&full, total - flow));
            }
            for &(s, r, arc) in &full_layout.pair_arcs {
                if full.flow(arc) > 0 {
                    self.candidate[s as usize * self.r_count + r as usize] = true;
                }
            }
            (net, layout) = self.network(false);
            if net.max_flow(layout.root, layout.sink) < total {
                return Err(AssignmentError::Internal);
            }
        }
        net.min_cost_flow(self.factor)
            .map_err(|_| AssignmentError::Internal)?;
        Ok((net, layout))
    }

    /// After a maximum flow on the full network that leaves `missing` reviews
    /// unassigned: the submissions still reachable from the root compete for reviewers
    /// who are all taken, and can get at most what they have now.
    fn infeasible(&self, full: &Network, missing: i64) -> AssignmentError {
        let reachable = full.reachable(ROOT);
        let submissions: Vec<usize> = (0..self.s_count)
            .filter(|&s| self.need[s] > 0 && reachable[2 + s])
            .collect();
        let needed: u64 = submissions.iter().map(|&s| u64::from(self.need[s])).sum();
        AssignmentError::Infeasible {
            submissions,
            needed,
            possible: needed.saturating_sub(missing.unsigned_abs()),
        }
    }

    /// Checks every eligible pair left out of the sparse network against the
    /// potentials of its solution; adds those that would improve it and returns how
    /// many. None means the solution is optimal for the full problem.
    fn add_violations(&mut self, net: &Network, layout: &Layout) -> usize {
        let (s_count, r_count, groups) = (self.s_count, self.r_count, self.p.groups);
        let factor = self.factor;
        let mut added = 0;
        for s in 0..s_count {
            if self.need[s] == 0 {
                continue;
            }
            let pi_s = net.potential((2 + s) as u32);
            for r in 0..r_count {
                let i = s * r_count + r;
                if self.candidate[i] || !self.eligible(s, r) {
                    continue;
                }
                let g = self.p.reviewers[r].group;
                // A group node the network lacks gets the highest potential its arcs
                // from the submission allow: that of the submission plus the cost of
                // its first reviewer.
                let pi_g = match layout.group_node[s * groups + g] {
                    Some(node) => net.potential(node),
                    None => {
                        let first = if self.fixed_in_group[s * groups + g] == 0 {
                            0
                        } else {
                            self.penalty
                        };
                        pi_s + first * factor
                    }
                };
                let pi_r = net.potential((2 + s_count + r) as u32);
                let reduced = -self.affinity[i] * factor + pi_g - pi_r;
                if reduced < -1 {
                    self.candidate[i] = true;
                    added += 1;
                }
            }
        }
        added
    }

    fn extract(&self, net: &Network, layout: &Layout) -> Vec<Vec<usize>> {
        let mut reviewers: Vec<Vec<usize>> = vec![Vec::new(); self.s_count];
        for (list, row) in reviewers
            .iter_mut()
            .zip(self.p.pairs.chunks(self.r_count.max(1)))
        {
            list.extend((0..self.r_count).filter(|&r| row[r] == Pair::Fixed));
        }
        for &(s, r, arc) in &layout.pair_arcs {
            if net.flow(arc) > 0 {
                reviewers[s as usize].push(r as usize);
            }
        }
        for list in &mut reviewers {
            list.sort_unstable();
        }
        reviewers
    }
}
