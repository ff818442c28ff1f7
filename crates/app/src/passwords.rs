//! Password hashing with bounded concurrency and bounded memory.
//!
//! Argon2id at the OWASP parameters needs 19 MiB of working memory per hash. Hashing
//! on whatever thread asks lets concurrent sign-ins (anyone can send them, no account
//! needed) allocate 19 MiB each; the allocator then keeps that memory in its per-thread
//! arenas, and a burst of failures leaves the server hundreds of megabytes larger. So
//! every hash runs through [`PasswordHashing`]: at most `max_running` at once, each on a
//! working buffer that is kept and reused (never freed and allocated again), at most
//! `max_waiting` more waiting their turn, and any further request refused at once with
//! [`AppError::Overloaded`] (503 with `Retry-After`).

use crate::AppError;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Stored hashes asking for more working memory than this are treated as invalid rather
/// than allocated for (ours use 19 MiB; a hash is data, and data may be hostile).
const MAX_MEMORY_KIB: u32 = 256 * 1024;
/// How long a refused caller is told to wait before trying again.
const RETRY_AFTER: Duration = Duration::from_secs(1);
/// Bytes of salt in new hashes (the PHC recommendation).
const SALT_LEN: usize = 16;

/// The bounds: hashes running at once and callers waiting for a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingLimits {
    pub max_running: usize,
    pub max_waiting: usize,
}

impl Default for HashingLimits {
    /// One hash per core (hashing is pure CPU work), and a queue long enough for a
    /// burst of honest sign-ins at a conference's opening (64 waiting behind two cores
    /// at ~25 ms a hash is under a second).
    fn default() -> Self {
        HashingLimits {
            max_running: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_waiting: 64,
        }
    }
}

/// The gate through which every password hash and verification passes.
pub(crate) struct PasswordHashing {
    state: Mutex<GateState>,
    turn_free: Condvar,
}

struct GateState {
    limits: HashingLimits,
    running: usize,
    waiting: usize,
    /// Working memory of finished hashes, kept for the next one.
    idle_buffers: Vec<Vec<Block>>,
    /// The decoy hash, computed on first use (see [`PasswordHashing::verify`]).
    decoy: Option<String>,
}

/// A turn to hash: holds a working buffer and gives the turn back when dropped.
struct Turn<'g> {
    gate: &'g PasswordHashing,
    buffer: Vec<Block>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut state = self.gate.lock();
        state.running -= 1;
        state.idle_buffers.push(std::mem::take(&mut self.buffer));
        drop(state);
        self.gate.turn_free.notify_one();
    }
}

impl PasswordHashing {
    pub(crate) fn new(limits: HashingLimits) -> Self {
        PasswordHashing {
            state: Mutex::new(GateState {
                limits: sanitized(limits),
                running: 0,
                waiting: 0,
                idle_buffers: Vec::new(),
                decoy: None,
            }),
            turn_free: Condvar::new(),
        }
    }

    pub(crate) fn set_limits(&self, limits: HashingLimits) {
        let mut state = self.lock();
        state.limits = sanitized(limits);
        // Buffers beyond the new number of turns would never be used again.
        let keep = state.limits.max_running;
        state.idle_buffers.truncate(keep);
        drop(state);
        self.turn_free.notify_all();
    }

    pub(crate) fn limits(&self) -> HashingLimits {
        self.lock().limits
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        // The state is a few counters updated under the lock; a panic elsewhere while
        // holding it cannot leave them half-changed, so a poisoned lock is still usable.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits for a turn, or refuses at once when the queue is full.
    fn turn(&self) -> Result<Turn<'_>, AppError> {
        let mut state = self.lock();
        if state.running >= state.limits.max_running {
            if state.waiting >= state.limits.max_waiting {
                return Err(AppError::Overloaded {
                    retry_after: RETRY_AFTER,
                });
            }
            state.waiting += 1;
            while state.running >= state.limits.max_running {
                state = self
                    .turn_free
                    .wait(state)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            state.waiting -= 1;
        }
        state.running += 1;
        let buffer = state.idle_buffers.pop().unwrap_or_default();
        Ok(Turn { gate: self, buffer })
    }

    /// A new Argon2id hash of `password` (OWASP parameters), as a PHC string.
    pub(crate) fn hash(&self, password: &str) -> Result<String, AppError> {
        let mut turn = self.turn()?;
        hash_with(&mut turn.buffer, password)
    }

    /// Whether `password` matches `stored`. With no stored hash (no such account) the
    /// password is checked against a decoy hash all the same, so that an unknown
    /// address takes as long as a wrong password.
    pub(crate) fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, AppError> {
        let mut turn = self.turn()?;
        match stored {
            Some(hash) => Ok(verify_with(&mut turn.buffer, password, hash)),
            None => {
                let decoy = self.decoy(&mut turn.buffer)?;
                verify_with(&mut turn.buffer, password, &decoy);
                Ok(false)
            }
        }
    }

    fn decoy(&self, buffer: &mut Vec<Block>) -> Result<String, AppError> {
        if let Some(decoy) = self.lock().decoy.clone() {
            return Ok(decoy);
        }
        let decoy = hash_with(buffer, &crate::secrets::random_hex(16))?;
        Ok(self.lock().decoy.get_or_insert(decoy).clone())
    }
}

fn sanitized(limits: HashingLimits) -> HashingLimits {
    HashingLimits {
        max_running: limits.max_running.max(1),
        max_waiting: limits.max_waiting,
    }
}

/// The working memory for `params`, reusing `buffer` (grown only when a hash needs more
/// than any before it).
fn working_memory<'b>(buffer: &'b mut Vec<Block>, params: &Params) -> &'b mut [Block] {
    let blocks = params.block_count();
    if buffer.len() < blocks {
        buffer.resize(blocks, Block::new());
    }
    &mut buffer[..blocks]
}

fn hash_with(buffer: &mut Vec<Block>, password: &str) -> Result<String, AppError> {
    let failed = |e: &dyn std::fmt::Display| AppError::Internal(format!("password hashing: {e}"));
    let params = Params::default();
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(|e| failed(&e))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(
            password.as_bytes(),
            &salt,
            &mut out,
            working_memory(buffer, &params),
        )
        .map_err(|e| failed(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Recomputes the stored hash's output with its own parameters and compares in
/// constant time. Anything unreadable is simply "no match".
fn verify_with(buffer: &mut Vec<Block>, password: &str, stored: &str) -> bool {
    let Ok(phc) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&phc.salt, &phc.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(phc.algorithm.as_str()) else {
        return false;
    };
    let version = match phc.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&phc) else {
        return false;
    };
    if params.m_cost() > MAX_MEMORY_KIB {
        return false;
    }
    let mut out = vec![0u8; expected.len()];
    let computed = Argon2::new(algorithm, version, params.clone()).hash_password_into_with_memory(
        password.as_bytes(),
        salt,
        &mut out,
        working_memory(buffer, &params),
    );
    computed.is_ok() && constant_time_eq(&out, expected.as_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;
    use std::sync::Arc;

    fn gate(max_running: usize, max_waiting: usize) -> PasswordHashing {
        PasswordHashing::new(HashingLimits {
            max_running,
            max_waiting,
        })
    }

    #[test]
    fn hashes_are_standard_argon2id_strings_that_verify() {
        let gate = gate(1, 0);
        let hash = gate.hash("correct horse battery").expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        // The argon2 crate's own verifier agrees: the format is the standard one.
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", hash.as_str())
                .is_ok()
        );
        assert!(
            gate.verify("correct horse battery", Some(&hash))
                .expect("turn")
        );
        assert!(
            !gate
                .verify("correct horse batterY", Some(&hash))
                .expect("turn")
        );
        assert!(!gate.verify("x", Some("not a hash")).expect("turn"));
        assert!(!gate.verify("x", None).expect("turn"));
    }

    #[test]
    fn hashes_made_by_the_crate_verify_with_a_reused_buffer() {
        use argon2::PasswordHasher;
        let gate = gate(1, 0);
        let theirs = Argon2::default()
            .hash_password(b"s3cret-enough")
            .expect("hash")
            .to_string();
        // The same buffer serves several verifications in a row.
        for _ in 0..3 {
            assert!(gate.verify("s3cret-enough", Some(&theirs)).expect("turn"));
            assert!(!gate.verify("s3cret-enougH", Some(&theirs)).expect("turn"));
        }
        assert_eq!(gate.lock().idle_buffers.len(), 1);
    }

    #[test]
    fn a_hash_asking_for_absurd_memory_is_refused_not_allocated() {
        let gate = gate(1, 0);
        let hostile = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$\
                       AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert!(!gate.verify("x", Some(hostile)).expect("turn"));
    }

    #[test]
    fn past_the_queue_callers_are_refused_at_once_and_the_others_run() {
        let gate = Arc::new(gate(1, 1));
        let held = gate.turn().expect("first turn");
        let waiter = {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || gate.turn().map(|_| ()).is_ok())
        };
        while gate.lock().waiting == 0 {
            std::thread::yield_now();
        }
        // One running, one waiting: the next is turned away with a time to come back.
        match gate.turn() {
            Err(AppError::Overloaded { retry_after }) => assert!(retry_after.as_secs() >= 1),
            Err(other) => panic!("expected Overloaded, got {other:?}"),
            Ok(_) => panic!("expected Overloaded, got a turn"),
        }
        drop(held);
        assert!(waiter.join().expect("waiter"), "the waiter got its turn");
        let state = gate.lock();
        assert_eq!((state.running, state.waiting), (0, 0));
        assert_eq!(state.idle_buffers.len(), 1, "one buffer, reused");
    }

    #[test]
    fn at_most_max_running_hash_at_once() {
        let gate = Arc::new(gate(2, 64));
        let peak = Arc::new(Mutex::new((0usize, 0usize)));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (gate, peak) = (Arc::clone(&gate), Arc::clone(&peak));
                std::thread::spawn(move || {
                    let _turn = gate.turn().expect("turn");
                    let mut p = peak.lock().expect("peak");
                    p.0 += 1;
                    p.1 = p.1.max(p.0);
                    drop(p);
                    std::thread::sleep(Duration::from_millis(5));
                    peak.lock().expect("peak").0 -= 1;
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        let peak = peak.lock().expect("peak").1;
        assert!((1..=2).contains(&peak), "peak {peak}");
        assert!(gate.lock().idle_buffers.len() <= 2);
    }
}
