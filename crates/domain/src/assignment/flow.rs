//! Integer flows on a residual network: a maximum flow (Dinic) to find a feasible
//! assignment, or the submissions that cannot all be served, and a minimum-cost flow
//! by cost scaling (Goldberg and Tarjan's push–relabel, with the look-ahead and
//! global-update heuristics of LEMON's `CostScaling`) to make it optimal.
//!
//! Cost scaling keeps a pseudoflow that is ε-optimal: every residual arc has a
//! reduced cost `cost + π(tail) − π(head)` of at least −ε. Costs are multiplied by a
//! factor larger than the number of nodes, so that when the last phase ends with ε = 1
//! every residual cycle costs more than −1 in the original integer costs, hence at
//! least 0: the flow is optimal, and the potentials prove it.

use std::collections::VecDeque;

/// Arcs are added to a builder, then frozen into the residual network.
#[derive(Debug, Default)]
pub(crate) struct NetworkBuilder {
    nodes: usize,
    arcs: Vec<(u32, u32, i32, i64)>,
}

impl NetworkBuilder {
    pub(crate) fn with_nodes(nodes: usize) -> Self {
        Self {
            nodes,
            arcs: Vec::new(),
        }
    }

    pub(crate) fn add_node(&mut self) -> u32 {
        self.nodes += 1;
        to_u32(self.nodes - 1)
    }

    /// An arc from `from` to `to` with capacity `cap` and cost `cost` per unit; returns
    /// its number, by which `Network::flow` reads its flow later.
    pub(crate) fn add_arc(&mut self, from: u32, to: u32, cap: i32, cost: i64) -> usize {
        self.arcs.push((from, to, cap, cost));
        self.arcs.len() - 1
    }

    pub(crate) fn arc_count(&self) -> usize {
        self.arcs.len()
    }

    /// The residual network (forward star): each input arc and its reverse.
    pub(crate) fn build(self) -> Network {
        let n = self.nodes;
        let mut first_out = vec![0u32; n + 1];
        for &(from, to, _, _) in &self.arcs {
            first_out[from as usize + 1] += 1;
            first_out[to as usize + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        let m = 2 * self.arcs.len();
        let mut next = first_out.clone();
        let mut target = vec![0u32; m];
        let mut reverse = vec![0u32; m];
        let mut cost = vec![0i64; m];
        let mut cap = vec![0i32; m];
        let mut forward = Vec::with_capacity(self.arcs.len());
        let mut upper = Vec::with_capacity(self.arcs.len());
        for &(from, to, c, w) in &self.arcs {
            let a = next[from as usize];
            next[from as usize] += 1;
            let b = next[to as usize];
            next[to as usize] += 1;
            target[a as usize] = to;
            target[b as usize] = from;
            reverse[a as usize] = b;
            reverse[b as usize] = a;
            cost[a as usize] = w;
            cost[b as usize] = -w;
            cap[a as usize] = c;
            forward.push(a);
            upper.push(c);
        }
        Network {
            first_out,
            target,
            reverse,
            cost,
            cap,
            forward,
            upper,
            pi: vec![0; n],
        }
    }
}

fn to_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A residual network holding a flow.
#[derive(Debug, Clone)]
pub(crate) struct Network {
    first_out: Vec<u32>,
    target: Vec<u32>,
    reverse: Vec<u32>,
    /// Original (unscaled) costs; the reverse arc's is the negation.
    cost: Vec<i64>,
    /// Residual capacities.
    cap: Vec<i32>,
    /// The residual arc of each input arc.
    forward: Vec<u32>,
    upper: Vec<i32>,
    /// Potentials after `min_cost_flow`, in scaled costs.
    pi: Vec<i64>,
}

/// Cost scaling found a node with excess and no residual arc: only possible when
/// the flow it started from was not feasible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stuck;

impl Network {
    pub(crate) fn nodes(&self) -> usize {
        self.first_out.len() - 1
    }

    fn arcs_of(&self, u: usize) -> std::ops::Range<usize> {
        self.first_out[u] as usize..self.first_out[u + 1] as usize
    }

    /// The flow on input arc `arc`.
    pub(crate) fn flow(&self, arc: usize) -> i32 {
        self.upper[arc] - self.cap[self.forward[arc] as usize]
    }

    /// The potential of node `u` after `min_cost_flow` (in costs scaled by its factor).
    pub(crate) fn potential(&self, u: u32) -> i64 {
        self.pi[u as usize]
    }

    /// Pushes as much flow as possible from `source` to `sink` (on top of the flow
    /// already there) and returns how much was added.
    pub(crate) fn max_flow(&mut self, source: u32, sink: u32) -> i64 {
        let n = self.nodes();
        let (s, t) = (source as usize, sink as usize);
        let mut level = vec![u32::MAX; n];
        let mut it = vec![0u32; n];
        let mut queue = VecDeque::new();
        let mut path: Vec<u32> = Vec::new();
        let mut total = 0i64;
        loop {
            level.fill(u32::MAX);
            level[s] = 0;
            queue.clear();
            queue.push_back(s);
            while let Some(u) = queue.pop_front() {
                for a in self.arcs_of(u) {
                    let v = self.target[a] as usize;
                    if self.cap[a] > 0 && level[v] == u32::MAX {
                        level[v] = level[u] + 1;
                        queue.push_back(v);
                    }
                }
            }
            if level[t] == u32::MAX {
                return total;
            }
            it.copy_from_slice(&self.first_out[..n]);
            // Depth-first search for augmenting paths in the level graph, with a
            // current-arc pointer per node and dead ends pruned.
            path.clear();
            let mut u = s;
            loop {
                if u == t {
                    let delta = path
                        .iter()
                        .map(|&a| self.cap[a as usize])
                        .min()
                        .unwrap_or(0);
                    for &a in &path {
                        self.cap[a as usize] -= delta;
                        self.cap[self.reverse[a as usize] as usize] += delta;
                    }
                    total += i64::from(delta);
                    path.clear();
                    u = s;
                    continue;
                }
                let end = self.first_out[u + 1];
                let mut advanced = false;
                while it[u] < end {
                    let a = it[u] as usize;
                    let v = self.target[a] as usize;
                    if self.cap[a] > 0 && level[v] == level[u] + 1 {
                        path.push(to_u32(a));
                        u = v;
                        advanced = true;
                        break;
                    }
                    it[u] += 1;
                }
                if !advanced {
                    level[u] = u32::MAX;
                    match path.pop() {
                        None => break,
                        Some(a) => {
                            u = self.target[self.reverse[a as usize] as usize] as usize;
                            it[u] += 1;
                        }
                    }
                }
            }
        }
    }

    /// The nodes reachable from `source` along arcs with residual capacity.
    pub(crate) fn reachable(&self, source: u32) -> Vec<bool> {
        let mut seen = vec![false; self.nodes()];
        seen[source as usize] = true;
        let mut stack = vec![source as usize];
        while let Some(u) = stack.pop() {
            for a in self.arcs_of(u) {
                let v = self.target[a] as usize;
                if self.cap[a] > 0 && !seen[v] {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
        seen
    }

    /// Makes the flow (which must be feasible: every node balanced) a minimum-cost
    /// one. Costs are multiplied by `factor`, which must exceed the number of nodes
    /// of any network whose optimality is judged by these potentials; afterwards every
    /// residual arc has a reduced cost of at least −1 in scaled costs.
    pub(crate) fn min_cost_flow(&mut self, factor: i64) -> Result<(), Stuck> {
        let mut scaler = Scaler::new(self, factor);
        scaler.run()?;
        self.pi = scaler.pi;
        Ok(())
    }
}

/// LEMON's default scaling factor.
const ALPHA: i64 = 16;

struct Scaler<'n> {
    net: &'n mut Network,
    cost: Vec<i64>,
    pi: Vec<i64>,
    excess: Vec<i64>,
    next_out: Vec<u32>,
    hyper: Vec<bool>,
    active: VecDeque<u32>,
    // Global update: buckets of nodes by rank (distance to a deficit in units of ε).
    rank: Vec<usize>,
    bucket: Vec<u32>,
    bucket_next: Vec<u32>,
    bucket_prev: Vec<u32>,
}

impl<'n> Scaler<'n> {
    fn new(net: &'n mut Network, factor: i64) -> Self {
        let n = net.nodes();
        let cost = net.cost.iter().map(|&c| c * factor).collect();
        Self {
            net,
            cost,
            pi: vec![0; n],
            excess: vec![0; n],
            next_out: vec![0; n],
            hyper: vec![false; n],
            active: VecDeque::new(),
            rank: vec![0; n],
            bucket: Vec::new(),
            bucket_next: vec![0; n + 1],
            bucket_prev: vec![0; n + 1],
        }
    }

    fn run(&mut self) -> Result<(), Stuck> {
        let max_cost = self.cost.iter().map(|c| c.abs()).max().unwrap_or(0);
        let mut eps = max_cost.max(1);
        eps = if eps >= ALPHA { eps / ALPHA } else { 1 };
        while eps > 0 {
            self.refine(eps)?;
            eps = if eps > 1 && eps < ALPHA {
                1
            } else {
                eps / ALPHA
            };
        }
        Ok(())
    }

    #[inline]
    fn reduced(&self, a: usize, pi_u: i64) -> i64 {
        self.cost[a] + pi_u - self.pi[self.net.target[a] as usize]
    }

    fn push(&mut self, u: usize, a: usize, delta: i64) {
        let net = &mut *self.net;
        let d = i32::try_from(delta).unwrap_or(i32::MAX);
        net.cap[a] -= d;
        net.cap[net.reverse[a] as usize] += d;
        self.excess[u] -= i64::from(d);
        self.excess[net.target[a] as usize] += i64::from(d);
    }

    /// One phase: saturate the arcs that are not ε-optimal, then push and relabel
    /// until no node has excess.
    fn refine(&mut self, eps: i64) -> Result<(), Stuck> {
        let n = self.net.nodes();
        for u in 0..n {
            let pi_u = self.pi[u];
            for a in self.net.arcs_of(u) {
                let delta = self.net.cap[a];
                if delta > 0 && self.reduced(a, pi_u) < 0 {
                    self.push(u, a, i64::from(delta));
                }
            }
        }
        self.active.clear();
        for u in 0..n {
            if self.excess[u] > 0 {
                self.active.push_back(to_u32(u));
            }
            self.next_out[u] = self.net.first_out[u];
        }
        self.hyper.fill(false);
        let update_every = 2 * n + 16;
        let mut relabels = 0usize;

        while let Some(&front) = self.active.front() {
            let u = front as usize;
            let end = self.net.first_out[u + 1] as usize;
            let pi_u = self.pi[u];
            let mut went_ahead = false;
            if self.excess[u] > 0 {
                let mut a = self.next_out[u] as usize;
                while a < end {
                    if self.net.cap[a] > 0 && self.reduced(a, pi_u) < 0 {
                        let delta = i64::from(self.net.cap[a]).min(self.excess[u]);
                        let t = self.net.target[a] as usize;
                        // Look ahead: can t pass the flow on at once?
                        let mut ahead = -self.excess[t];
                        let pi_t = self.pi[t];
                        for ta in self.next_out[t] as usize..self.net.first_out[t + 1] as usize {
                            if ahead >= delta {
                                break;
                            }
                            if self.net.cap[ta] > 0 && self.reduced(ta, pi_t) < 0 {
                                ahead += i64::from(self.net.cap[ta]);
                            }
                        }
                        let ahead = ahead.max(0);
                        if ahead < delta && !self.hyper[t] {
                            self.push(u, a, ahead);
                            self.active.push_front(to_u32(t));
                            self.hyper[t] = true;
                            self.next_out[u] = to_u32(a);
                            went_ahead = true;
                            break;
                        }
                        self.push(u, a, delta);
                        if self.excess[t] > 0 && self.excess[t] <= delta {
                            self.active.push_back(to_u32(t));
                        }
                        if self.excess[u] == 0 {
                            break;
                        }
                    }
                    a += 1;
                }
                if !went_ahead {
                    self.next_out[u] = to_u32(a.min(end));
                }
            }
            if went_ahead {
                continue;
            }
            if self.excess[u] > 0 || self.hyper[u] {
                let mut min_rc = i64::MAX;
                for a in self.net.arcs_of(u) {
                    if self.net.cap[a] > 0 {
                        min_rc = min_rc.min(self.reduced(a, pi_u));
                    }
                }
                if min_rc == i64::MAX {
                    // Nothing leaves u (the root, all of whose supply is out): only the
                    // arcs into it change, and lowering u by ε makes them inadmissible.
                    if self.excess[u] > 0 {
                        return Err(Stuck);
                    }
                    self.pi[u] -= eps;
                } else {
                    self.pi[u] -= min_rc + eps;
                }
                self.next_out[u] = self.net.first_out[u];
                self.hyper[u] = false;
                relabels += 1;
            }
            while let Some(&f) = self.active.front() {
                if self.excess[f as usize] <= 0 && !self.hyper[f as usize] {
                    self.active.pop_front();
                } else {
                    break;
                }
            }
            if relabels >= update_every {
                self.global_update(eps);
                relabels = 0;
            }
        }
        Ok(())
    }

    /// Sets every node's potential from its distance (in units of ε, along arcs of
    /// residual capacity) to the nearest node with a deficit, as far as nodes with
    /// excess need it: Goldberg's global price update.
    fn global_update(&mut self, eps: i64) {
        let n = self.net.nodes();
        let max_rank = usize::try_from(ALPHA).unwrap_or(16) * n;
        let end = to_u32(n);
        self.bucket.clear();
        self.bucket.resize(max_rank + 1, end);
        let mut total_excess = 0i64;
        let mut b0 = end;
        for u in 0..n {
            if self.excess[u] < 0 {
                self.rank[u] = 0;
                self.bucket_next[u] = b0;
                self.bucket_prev[b0 as usize] = to_u32(u);
                b0 = to_u32(u);
            } else {
                total_excess += self.excess[u];
                self.rank[u] = max_rank;
            }
        }
        if total_excess == 0 {
            return;
        }
        self.bucket[0] = b0;
        let mut r = 0usize;
        'search: while r < max_rank {
            while self.bucket[r] != end {
                let u = self.bucket[r] as usize;
                self.bucket[r] = self.bucket_next[u];
                let pi_u = self.pi[u];
                for a in self.net.arcs_of(u) {
                    let ra = self.net.reverse[a] as usize;
                    if self.net.cap[ra] == 0 {
                        continue;
                    }
                    let v = self.net.target[a] as usize;
                    let old = self.rank[v];
                    if r >= old {
                        continue;
                    }
                    let nrc = (self.cost[ra] + self.pi[v] - pi_u) / eps;
                    let mut new = old;
                    if nrc < i64::try_from(max_rank).unwrap_or(i64::MAX) {
                        let step = usize::try_from(nrc + 1).unwrap_or(0);
                        new = r + step;
                    }
                    if new < old {
                        self.rank[v] = new;
                        self.next_out[v] = self.net.first_out[v];
                        if old < max_rank {
                            if self.bucket[old] == to_u32(v) {
                                self.bucket[old] = self.bucket_next[v];
                            } else {
                                let (pv, nv) = (self.bucket_prev[v], self.bucket_next[v]);
                                self.bucket_next[pv as usize] = nv;
                                self.bucket_prev[nv as usize] = pv;
                            }
                        }
                        let head = self.bucket[new];
                        self.bucket_next[v] = head;
                        self.bucket_prev[head as usize] = to_u32(v);
                        self.bucket[new] = to_u32(v);
                    }
                }
                if self.excess[u] > 0 {
                    total_excess -= self.excess[u];
                    if total_excess <= 0 {
                        break 'search;
                    }
                }
            }
            r += 1;
        }
        for u in 0..n {
            let k = self.rank[u].min(r);
            if k > 0 {
                self.pi[u] -= eps * i64::try_from(k).unwrap_or(0);
                self.next_out[u] = self.net.first_out[u];
            }
        }
    }
}
