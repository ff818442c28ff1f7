//! Placing sessions into rooms and timeslots.
//!
//! Hard rules, never broken in a returned schedule: every session in exactly one slot
//! (a room at a timeslot), at most one session per slot, the session fits the slot
//! (duration, expected audience, a hybrid room for a hybrid session), no person in two
//! sessions of one timeslot, main sessions never in parallel, pinned sessions where
//! they are pinned, and no session in a timeslot its people are unavailable.
//!
//! Soft goals, minimised with the weights given: pairs of same-theme sessions in one
//! timeslot (a track in parallel with itself), pairs of same-theme sessions on one day
//! (themes spread across the days), a cost per session and timeslot (e.g. an online
//! speaker's local hours), and — for a re-solve after a change — sessions moved from
//! where they were.
//!
//! The search: a greedy start (hardest sessions first, best slot each), then simulated
//! annealing over two moves — a session to a free slot, or two sessions swapping slots —
//! with the cost kept incrementally (per session and timeslot the number of clashing
//! sessions there; per timeslot and per day the sessions of each theme). Broken hard
//! rules cost far more than any soft goal, so they go first. It stops at the proven
//! lower bound (each theme spread evenly over timeslots and days, no move, the least
//! cost per session) or after its iteration budget; with the same seed it returns the
//! same schedule.

use std::fmt;

pub mod instance;
#[cfg(test)]
mod tests;

/// A room at a timeslot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub timeslot: usize,
    pub room: usize,
    pub capacity: u32,
    pub minutes: u32,
    pub hybrid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeslot {
    pub day: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Session {
    pub duration: u32,
    pub audience: u32,
    pub theme: Option<usize>,
    pub main: bool,
    /// Needs a hybrid-capable room.
    pub hybrid: bool,
    /// Moderator, co-moderators, speakers, rapporteur: indices of people.
    pub people: Vec<usize>,
    /// The slot it must keep.
    pub pinned: Option<usize>,
    /// Where it was before a re-solve (moving it costs `Weights::moved`).
    pub previous: Option<usize>,
    /// Timeslots it must not take (its people are unavailable).
    pub unavailable: Vec<usize>,
}

/// The soft goals' weights (all ≥ 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    pub theme_parallel: i64,
    pub theme_same_day: i64,
    pub moved: i64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            theme_parallel: 10,
            theme_same_day: 1,
            moved: 10_000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub timeslots: Vec<Timeslot>,
    pub slots: Vec<Slot>,
    pub sessions: Vec<Session>,
    pub themes: usize,
    pub weights: Weights,
    /// Soft cost of (session, timeslot, cost) triples, e.g. local hours.
    pub timeslot_costs: Vec<(usize, usize, i64)>,
}

/// Search settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub seed: u64,
    /// The most moves tried.
    pub iterations: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            seed: 1,
            iterations: 20_000_000,
        }
    }
}

/// A schedule: every session's slot, and how it fares.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub slot_of: Vec<usize>,
    pub theme_pairs: u64,
    pub same_day_pairs: u64,
    pub moved: usize,
    pub cost: i64,
    pub lower_bound: i64,
    pub iterations: u64,
}

/// Why no schedule keeps every hard rule. Sessions, slots and people are indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// No slot fits it (duration, audience, hybrid, availability).
    NoSlotFits { session: usize },
    /// Two sessions pinned to one slot.
    PinnedTogether { slot: usize, sessions: [usize; 2] },
    /// Two sessions pinned to one timeslot share a person or are both main sessions.
    PinnedClash {
        sessions: [usize; 2],
        people: Vec<usize>,
    },
    /// More sessions than slots.
    TooFewSlots { sessions: usize, slots: usize },
    /// More main sessions than timeslots.
    TooManyMain { main: usize, timeslots: usize },
    /// A person is in more sessions than there are timeslots they could take.
    PersonOverbooked {
        person: usize,
        sessions: usize,
        timeslots: usize,
    },
    /// The search ended with these sessions clashing or without a slot.
    Unresolved {
        clashes: Vec<([usize; 2], Vec<usize>)>,
        unplaced: Vec<usize>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    /// A slot, session or index out of range, or a negative weight.
    Malformed(String),
    Infeasible(Vec<Reason>),
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::Malformed(why) => write!(f, "the problem is malformed: {why}"),
            ScheduleError::Infeasible(reasons) => {
                write!(
                    f,
                    "no timetable keeps every hard rule ({} reasons)",
                    reasons.len()
                )
            }
        }
    }
}

impl std::error::Error for ScheduleError {}

const NONE: usize = usize::MAX;
const W_HARD: i64 = 1_000_000_000;
const W_UNPLACED: i64 = 20 * W_HARD;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn pairs(n: u32) -> i64 {
    i64::from(n) * (i64::from(n) - 1) / 2
}

/// The least Σ C(c, 2) over `bins` bins holding `n` items.
fn even_pairs(n: usize, bins: usize) -> i64 {
    if bins == 0 {
        return 0;
    }
    let (q, r) = (n / bins, n % bins);
    r as i64 * pairs(q as u32 + 1) + (bins - r) as i64 * pairs(q as u32)
}

struct Search<'a> {
    p: &'a Problem,
    fits: Vec<Vec<usize>>,
    fits_slot: Vec<Vec<bool>>,
    adj: Vec<Vec<usize>>,
    extra: Vec<i64>,
    slot_of: Vec<usize>,
    occupant: Vec<usize>,
    /// session × timeslot: clashing sessions placed there.
    conf: Vec<u32>,
    /// timeslot × theme, day × theme.
    theme_at: Vec<u32>,
    theme_on: Vec<u32>,
    unplaced: Vec<usize>,
    unplaced_at: Vec<usize>,
    cost: i64,
}

impl<'a> Search<'a> {
    fn t(&self, q: usize) -> usize {
        self.p.slots[q].timeslot
    }

    fn moved_cost(&self, s: usize, q: usize) -> i64 {
        match self.p.sessions[s].previous {
            Some(prev) if prev != q => self.p.weights.moved,
            _ => 0,
        }
    }

    /// What placing `s` in `q` adds to the cost (the state unchanged).
    fn insert_cost(&self, s: usize, q: usize) -> i64 {
        let t = self.t(q);
        let nt = self.p.timeslots.len();
        let mut c = W_HARD * i64::from(self.conf[s * nt + t])
            + self.extra[s * nt + t]
            + self.moved_cost(s, q)
            - W_UNPLACED;
        if let Some(th) = self.p.sessions[s].theme {
            let k = self.p.themes;
            let d = self.p.timeslots[t].day;
            c += self.p.weights.theme_parallel * i64::from(self.theme_at[t * k + th])
                + self.p.weights.theme_same_day * i64::from(self.theme_on[d * k + th]);
        }
        c
    }

    fn insert(&mut self, s: usize, q: usize) {
        self.cost += self.insert_cost(s, q);
        let t = self.t(q);
        let nt = self.p.timeslots.len();
        for i in 0..self.adj[s].len() {
            let n = self.adj[s][i];
            self.conf[n * nt + t] += 1;
        }
        if let Some(th) = self.p.sessions[s].theme {
            let k = self.p.themes;
            self.theme_at[t * k + th] += 1;
            self.theme_on[self.p.timeslots[t].day * k + th] += 1;
        }
        self.slot_of[s] = q;
        self.occupant[q] = s;
        let at = self.unplaced_at[s];
        let last = *self.unplaced.last().expect("unplaced");
        self.unplaced.swap_remove(at);
        if last != s {
            self.unplaced_at[last] = at;
        }
        self.unplaced_at[s] = NONE;
    }

    fn remove(&mut self, s: usize) {
        let q = self.slot_of[s];
        let t = self.t(q);
        let nt = self.p.timeslots.len();
        for i in 0..self.adj[s].len() {
            let n = self.adj[s][i];
            self.conf[n * nt + t] -= 1;
        }
        if let Some(th) = self.p.sessions[s].theme {
            let k = self.p.themes;
            self.theme_at[t * k + th] -= 1;
            self.theme_on[self.p.timeslots[t].day * k + th] -= 1;
        }
        self.slot_of[s] = NONE;
        self.occupant[q] = NONE;
        self.unplaced_at[s] = self.unplaced.len();
        self.unplaced.push(s);
        self.cost -= self.insert_cost(s, q);
    }

    fn hard_violations(&self) -> u64 {
        let nt = self.p.timeslots.len();
        let twice: u64 = (0..self.p.sessions.len())
            .filter(|&s| self.slot_of[s] != NONE)
            .map(|s| u64::from(self.conf[s * nt + self.t(self.slot_of[s])]))
            .sum();
        twice / 2
    }
}

fn check(p: &Problem) -> Result<(), ScheduleError> {
    let bad = |why: String| Err(ScheduleError::Malformed(why));
    let w = p.weights;
    if w.theme_parallel < 0 || w.theme_same_day < 0 || w.moved < 0 {
        return bad("negative weight".into());
    }
    for (i, slot) in p.slots.iter().enumerate() {
        if slot.timeslot >= p.timeslots.len() {
            return bad(format!("slot {i} has no timeslot {}", slot.timeslot));
        }
    }
    for (i, s) in p.sessions.iter().enumerate() {
        if s.theme.is_some_and(|t| t >= p.themes) {
            return bad(format!("session {i} has an unknown theme"));
        }
        if s.pinned.is_some_and(|q| q >= p.slots.len())
            || s.previous.is_some_and(|q| q >= p.slots.len())
        {
            return bad(format!("session {i} names an unknown slot"));
        }
        if s.unavailable.iter().any(|t| *t >= p.timeslots.len()) {
            return bad(format!("session {i} names an unknown timeslot"));
        }
    }
    for &(s, t, c) in &p.timeslot_costs {
        if s >= p.sessions.len() || t >= p.timeslots.len() || c < 0 {
            return bad(format!("timeslot cost ({s}, {t}, {c})"));
        }
    }
    Ok(())
}

/// Why `a` and `b` may not share a timeslot: the people they share (and whether both
/// are main sessions).
pub fn clash(p: &Problem, a: usize, b: usize) -> (Vec<usize>, bool) {
    let (x, y) = (&p.sessions[a], &p.sessions[b]);
    let mut shared: Vec<usize> = x
        .people
        .iter()
        .filter(|person| y.people.contains(person))
        .copied()
        .collect();
    shared.sort_unstable();
    shared.dedup();
    (shared, x.main && y.main)
}

fn fits(s: &Session, slot: &Slot) -> bool {
    s.duration <= slot.minutes
        && s.audience <= slot.capacity
        && (!s.hybrid || slot.hybrid)
        && !s.unavailable.contains(&slot.timeslot)
}

/// Reasons that are plain from the input alone.
fn obvious_reasons(p: &Problem, fits: &[Vec<usize>], adj: &[Vec<usize>]) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for (s, f) in fits.iter().enumerate() {
        if f.is_empty() {
            reasons.push(Reason::NoSlotFits { session: s });
        }
    }
    let pinned: Vec<(usize, usize)> = p
        .sessions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.pinned.map(|q| (i, q)))
        .collect();
    for (i, &(a, qa)) in pinned.iter().enumerate() {
        for &(b, qb) in &pinned[i + 1..] {
            if qa == qb {
                reasons.push(Reason::PinnedTogether {
                    slot: qa,
                    sessions: [a, b],
                });
            } else if p.slots[qa].timeslot == p.slots[qb].timeslot && adj[a].contains(&b) {
                reasons.push(Reason::PinnedClash {
                    sessions: [a, b],
                    people: clash(p, a, b).0,
                });
            }
        }
    }
    if p.sessions.len() > p.slots.len() {
        reasons.push(Reason::TooFewSlots {
            sessions: p.sessions.len(),
            slots: p.slots.len(),
        });
    }
    let main = p.sessions.iter().filter(|s| s.main).count();
    if main > p.timeslots.len() {
        reasons.push(Reason::TooManyMain {
            main,
            timeslots: p.timeslots.len(),
        });
    }
    let mut of_person: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, s) in p.sessions.iter().enumerate() {
        let mut people = s.people.clone();
        people.sort_unstable();
        people.dedup();
        for person in people {
            of_person.entry(person).or_default().push(i);
        }
    }
    for (person, sessions) in of_person {
        let mut timeslots: Vec<usize> = sessions
            .iter()
            .flat_map(|s| fits[*s].iter().map(|q| p.slots[*q].timeslot))
            .collect();
        timeslots.sort_unstable();
        timeslots.dedup();
        if sessions.len() > timeslots.len() {
            reasons.push(Reason::PersonOverbooked {
                person,
                sessions: sessions.len(),
                timeslots: timeslots.len(),
            });
        }
    }
    reasons
}

/// The least cost any schedule can have.
fn lower_bound(p: &Problem, days: usize, extra: &[i64], fits: &[Vec<usize>]) -> i64 {
    let mut per_theme = vec![0usize; p.themes];
    for s in &p.sessions {
        if let Some(t) = s.theme {
            per_theme[t] += 1;
        }
    }
    let nt = p.timeslots.len();
    let spread: i64 = per_theme
        .iter()
        .map(|&n| {
            p.weights.theme_parallel * even_pairs(n, nt)
                + p.weights.theme_same_day * even_pairs(n, days)
        })
        .sum();
    let least_extra: i64 = (0..p.sessions.len())
        .map(|s| {
            fits[s]
                .iter()
                .map(|q| extra[s * nt + p.slots[*q].timeslot])
                .min()
                .unwrap_or(0)
        })
        .sum();
    spread + least_extra
}

/// Solves the problem: a schedule keeping every hard rule, with the soft goals
/// minimised, or the reasons none was found.
pub fn solve(p: &Problem, settings: Settings) -> Result<Schedule, ScheduleError> {
    solve_with_progress(p, settings, &mut |_| {})
}

/// How far a search has come: moves tried of the most it may try, and the best cost
/// so far next to the lower bound (it stops when they meet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub iterations: u64,
    pub budget: u64,
    pub best_cost: i64,
    pub lower_bound: i64,
}

/// [`solve`], telling `progress` every 2¹⁶ moves and at the end (for a progress bar).
pub fn solve_with_progress(
    p: &Problem,
    settings: Settings,
    progress: &mut dyn FnMut(Progress),
) -> Result<Schedule, ScheduleError> {
    check(p)?;
    let ns = p.sessions.len();
    let nt = p.timeslots.len();
    let days = p.timeslots.iter().map(|t| t.day + 1).max().unwrap_or(0);
    let fits: Vec<Vec<usize>> = p
        .sessions
        .iter()
        .map(|s| match s.pinned {
            Some(q) => vec![q],
            None => (0..p.slots.len())
                .filter(|q| fits(s, &p.slots[*q]))
                .collect(),
        })
        .collect();
    let fits_slot: Vec<Vec<bool>> = fits
        .iter()
        .map(|f| {
            let mut v = vec![false; p.slots.len()];
            for q in f {
                v[*q] = true;
            }
            v
        })
        .collect();
    let adj = adjacency(p);
    let mut reasons = obvious_reasons(p, &fits, &adj);
    if !reasons.is_empty() {
        return Err(ScheduleError::Infeasible(reasons));
    }
    let mut extra = vec![0i64; ns * nt];
    for &(s, t, c) in &p.timeslot_costs {
        extra[s * nt + t] += c;
    }
    let bound = lower_bound(p, days, &extra, &fits);
    let mut search = Search {
        p,
        fits,
        fits_slot,
        adj,
        extra,
        slot_of: vec![NONE; ns],
        occupant: vec![NONE; p.slots.len()],
        conf: vec![0; ns * nt],
        theme_at: vec![0; nt * p.themes],
        theme_on: vec![0; days.max(1) * p.themes],
        unplaced: (0..ns).collect(),
        unplaced_at: (0..ns).collect(),
        cost: W_UNPLACED * ns as i64,
    };
    greedy(&mut search);
    let iterations = anneal(&mut search, settings, bound, progress);
    progress(Progress {
        iterations,
        budget: settings.iterations,
        best_cost: search.cost,
        lower_bound: bound,
    });
    if search.hard_violations() > 0 || !search.unplaced.is_empty() {
        reasons.push(unresolved(&search));
        return Err(ScheduleError::Infeasible(reasons));
    }
    Ok(result(&search, bound, iterations))
}

fn adjacency(p: &Problem) -> Vec<Vec<usize>> {
    let ns = p.sessions.len();
    let mut adj = vec![Vec::new(); ns];
    let mut by_person: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (i, s) in p.sessions.iter().enumerate() {
        for person in &s.people {
            by_person.entry(*person).or_default().push(i);
        }
    }
    for sessions in by_person.values() {
        for &a in sessions {
            for &b in sessions {
                if a != b {
                    adj[a].push(b);
                }
            }
        }
    }
    let main: Vec<usize> = (0..ns).filter(|i| p.sessions[*i].main).collect();
    for &a in &main {
        for &b in &main {
            if a != b {
                adj[a].push(b);
            }
        }
    }
    for list in &mut adj {
        list.sort_unstable();
        list.dedup();
    }
    adj
}

/// Hardest first: pinned, fewest fitting slots, most clashes; each into its cheapest
/// free slot (the smallest room that fits among equals, to keep big rooms free).
fn greedy(search: &mut Search<'_>) {
    let p = search.p;
    let mut order: Vec<usize> = (0..p.sessions.len()).collect();
    order.sort_by_key(|&s| {
        (
            p.sessions[s].pinned.is_none(),
            search.fits[s].len(),
            std::cmp::Reverse(search.adj[s].len()),
            s,
        )
    });
    for s in order {
        let best = search.fits[s]
            .iter()
            .copied()
            .filter(|q| search.occupant[*q] == NONE)
            .min_by_key(|&q| (search.insert_cost(s, q), p.slots[q].capacity, q));
        if let Some(q) = best {
            search.insert(s, q);
        }
    }
}

/// Simulated annealing from the current state; returns the iterations used. Keeps the
/// best state seen.
fn anneal(
    search: &mut Search<'_>,
    settings: Settings,
    bound: i64,
    progress: &mut dyn FnMut(Progress),
) -> u64 {
    let p = search.p;
    let ns = p.sessions.len();
    let movable: Vec<usize> = (0..ns)
        .filter(|s| p.sessions[*s].pinned.is_none())
        .collect();
    if movable.is_empty() || search.cost <= bound {
        return 0;
    }
    let mut rng = Rng(settings.seed);
    let scale = (p
        .weights
        .theme_parallel
        .max(p.weights.theme_same_day)
        .max(1)) as f64;
    let (t0, t1) = (2.0 * scale, 0.05 * scale);
    let mut best = search.slot_of.clone();
    let mut best_cost = search.cost;
    let n = settings.iterations.max(1);
    let mut it = 0u64;
    while it < n {
        it += 1;
        if it.is_multiple_of(1 << 16) {
            progress(Progress {
                iterations: it,
                budget: n,
                best_cost,
                lower_bound: bound,
            });
        }
        let temperature = t0 * (t1 / t0).powf(it as f64 / n as f64);
        let s = if !search.unplaced.is_empty() && rng.below(2) == 0 {
            search.unplaced[rng.below(search.unplaced.len())]
        } else {
            movable[rng.below(movable.len())]
        };
        if p.sessions[s].pinned.is_some() {
            continue;
        }
        let f = &search.fits[s];
        let q = f[rng.below(f.len())];
        let from = search.slot_of[s];
        if q == from {
            continue;
        }
        let before = search.cost;
        let other = search.occupant[q];
        if other != NONE && p.sessions[other].pinned.is_some() {
            continue;
        }
        // The other session takes `s`'s slot when it fits there; else it is set
        // aside (unplaced) and must find a place later.
        let other_to = if other != NONE && from != NONE && search.fits_slot[other][from] {
            from
        } else {
            NONE
        };
        if from != NONE {
            search.remove(s);
        }
        if other != NONE {
            search.remove(other);
        }
        search.insert(s, q);
        if other_to != NONE {
            search.insert(other, other_to);
        }
        let delta = search.cost - before;
        let accept = delta <= 0 || rng.unit() < (-(delta as f64) / temperature).exp();
        if accept {
            if search.cost < best_cost {
                best_cost = search.cost;
                best.clone_from(&search.slot_of);
                if best_cost <= bound {
                    break;
                }
            }
        } else {
            if other_to != NONE {
                search.remove(other);
            }
            search.remove(s);
            if other != NONE {
                search.insert(other, q);
            }
            if from != NONE {
                search.insert(s, from);
            }
            debug_assert_eq!(search.cost, before);
        }
    }
    restore(search, &best);
    it
}

fn restore(search: &mut Search<'_>, slots: &[usize]) {
    for s in 0..slots.len() {
        if search.slot_of[s] != NONE {
            search.remove(s);
        }
    }
    for (s, &q) in slots.iter().enumerate() {
        if q != NONE {
            search.insert(s, q);
        }
    }
}

fn unresolved(search: &Search<'_>) -> Reason {
    let p = search.p;
    let mut clashes = Vec::new();
    for a in 0..p.sessions.len() {
        for &b in &search.adj[a] {
            if a < b
                && search.slot_of[a] != NONE
                && search.slot_of[b] != NONE
                && search.t(search.slot_of[a]) == search.t(search.slot_of[b])
            {
                clashes.push(([a, b], clash(p, a, b).0));
            }
        }
    }
    let mut unplaced = search.unplaced.clone();
    unplaced.sort_unstable();
    Reason::Unresolved { clashes, unplaced }
}

fn result(search: &Search<'_>, bound: i64, iterations: u64) -> Schedule {
    let p = search.p;
    let theme_pairs: i64 = search.theme_at.iter().map(|c| pairs(*c)).sum();
    let same_day_pairs: i64 = search.theme_on.iter().map(|c| pairs(*c)).sum();
    let moved = p
        .sessions
        .iter()
        .zip(&search.slot_of)
        .filter(|(s, q)| s.previous.is_some_and(|prev| prev != **q))
        .count();
    Schedule {
        slot_of: search.slot_of.clone(),
        theme_pairs: theme_pairs as u64,
        same_day_pairs: same_day_pairs as u64,
        moved,
        cost: search.cost,
        lower_bound: bound,
        iterations,
    }
}

/// The hard rules a schedule breaks (0 for every schedule [`solve`] returns).
pub fn violations(p: &Problem, slot_of: &[usize]) -> u64 {
    let mut v = 0u64;
    if slot_of.len() != p.sessions.len() {
        return u64::MAX;
    }
    let mut used = vec![false; p.slots.len()];
    for (s, &q) in slot_of.iter().enumerate() {
        let session = &p.sessions[s];
        if q >= p.slots.len() {
            v += 1;
            continue;
        }
        if std::mem::replace(&mut used[q], true) {
            v += 1;
        }
        if !fits(session, &p.slots[q]) || session.pinned.is_some_and(|pin| pin != q) {
            v += 1;
        }
    }
    for a in 0..slot_of.len() {
        for b in a + 1..slot_of.len() {
            let (qa, qb) = (slot_of[a], slot_of[b]);
            if qa < p.slots.len()
                && qb < p.slots.len()
                && p.slots[qa].timeslot == p.slots[qb].timeslot
            {
                let (people, both_main) = clash(p, a, b);
                v += people.len() as u64 + u64::from(both_main);
            }
        }
    }
    v
}

/// A hard rule a (manual) placement breaks, for showing beside the timetable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The expected audience is larger than the room.
    TooSmall { session: usize, slot: usize },
    /// The session is longer than the slot.
    TooLong { session: usize, slot: usize },
    /// A hybrid session in a room that is not equipped for it.
    NotHybrid { session: usize, slot: usize },
    /// Some of its people are unavailable at that timeslot.
    Unavailable { session: usize, timeslot: usize },
    /// Two sessions in one slot.
    SameSlot { slot: usize, sessions: [usize; 2] },
    /// Two sessions in one timeslot share these people.
    SamePeople {
        sessions: [usize; 2],
        people: Vec<usize>,
    },
    /// Two main sessions in parallel.
    MainInParallel { sessions: [usize; 2] },
}

/// Every hard rule that `placement` (a slot or none per session) breaks, in session
/// order. Unplaced sessions break nothing.
pub fn conflicts(p: &Problem, placement: &[Option<usize>]) -> Vec<Conflict> {
    let mut out = Vec::new();
    let placed: Vec<(usize, usize)> = placement
        .iter()
        .enumerate()
        .filter_map(|(s, q)| q.filter(|q| *q < p.slots.len()).map(|q| (s, q)))
        .collect();
    for &(s, q) in &placed {
        let (session, slot) = (&p.sessions[s], &p.slots[q]);
        if session.audience > slot.capacity {
            out.push(Conflict::TooSmall {
                session: s,
                slot: q,
            });
        }
        if session.duration > slot.minutes {
            out.push(Conflict::TooLong {
                session: s,
                slot: q,
            });
        }
        if session.hybrid && !slot.hybrid {
            out.push(Conflict::NotHybrid {
                session: s,
                slot: q,
            });
        }
        if session.unavailable.contains(&slot.timeslot) {
            out.push(Conflict::Unavailable {
                session: s,
                timeslot: slot.timeslot,
            });
        }
    }
    for (i, &(a, qa)) in placed.iter().enumerate() {
        for &(b, qb) in &placed[i + 1..] {
            if qa == qb {
                out.push(Conflict::SameSlot {
                    slot: qa,
                    sessions: [a, b],
                });
            }
            if p.slots[qa].timeslot != p.slots[qb].timeslot {
                continue;
            }
            let (people, both_main) = clash(p, a, b);
            if !people.is_empty() {
                out.push(Conflict::SamePeople {
                    sessions: [a, b],
                    people,
                });
            }
            if both_main {
                out.push(Conflict::MainInParallel { sessions: [a, b] });
            }
        }
    }
    out
}
