//! A small blocking connection pool: at most `max` connections open, idle ones reused.

use crate::error::StoreError;
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard};

pub(crate) struct Pool<C> {
    state: Mutex<State<C>>,
    freed: Condvar,
    max: usize,
}

struct State<C> {
    idle: Vec<C>,
    open: usize,
}

impl<C> Pool<C> {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
            max,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<C>> {
        // A panic while holding the lock cannot leave the bookkeeping half-updated.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes an idle connection, opens a new one while under `max`, or waits for one.
    pub(crate) fn get(
        &self,
        connect: impl FnOnce() -> Result<C, StoreError>,
    ) -> Result<Pooled<'_, C>, StoreError> {
        let mut state = self.lock();
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(Pooled {
                    pool: self,
                    conn: Some(conn),
                });
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match connect() {
                    Ok(conn) => Ok(Pooled {
                        pool: self,
                        conn: Some(conn),
                    }),
                    Err(e) => {
                        self.lock().open -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// Closes every idle connection (used before dropping a test database).
    pub(crate) fn close_idle(&self) {
        let mut state = self.lock();
        let n = state.idle.len();
        state.idle.clear();
        state.open -= n;
    }
}

/// A connection on loan; goes back to the pool on drop unless marked broken.
pub(crate) struct Pooled<'p, C> {
    pool: &'p Pool<C>,
    conn: Option<C>,
}

impl<C> Pooled<'_, C> {
    /// Drops the connection instead of returning it (after an I/O error).
    pub(crate) fn discard(mut self) {
        self.conn = None;
    }
}

impl<C> Deref for Pooled<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl<C> DerefMut for Pooled<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn.as_mut().expect("connection present until drop")
    }
}

impl<C> Drop for Pooled<'_, C> {
    fn drop(&mut self) {
        let mut state = self.pool.lock();
        match self.conn.take() {
            Some(conn) => state.idle.push(conn),
            None => state.open -= 1,
        }
        drop(state);
        self.pool.freed.notify_one();
    }
}
