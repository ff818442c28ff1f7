//! Group commit for SQLite's single writer.
//!
//! With `synchronous = FULL` every COMMIT waits for the disk, and one writer commits one
//! transaction at a time, so a burst of small writes (registrations) is bounded by the
//! disk's flushes per second. Here each write runs inside a SAVEPOINT of a transaction
//! that stays open while other writers are queued behind it; the last writer of the
//! burst (or the 512th) commits them all with one flush, and every writer returns only
//! once the commit that contains its work is durable. A write that fails rolls back to
//! its own savepoint and does not disturb the others; a failed COMMIT fails them all.

use crate::db::{Tx, TxInner};
use crate::error::StoreError;
use rusqlite::Connection;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// At most this many writes share one commit, so that none waits long.
const MAX_BATCH: usize = 512;

pub(crate) struct GroupWriter {
    writer: Mutex<Writer>,
    /// Writers waiting for `writer`: while there are some, a batch is left open for
    /// them to join.
    waiting: AtomicUsize,
    epochs: Mutex<Epochs>,
    settled: Condvar,
}

struct Writer {
    conn: Option<Connection>,
    /// The epoch of the open transaction, if one is open.
    open: Option<u64>,
    batch: usize,
}

#[derive(Default)]
struct Epochs {
    next: u64,
    /// Every epoch up to this one is settled (committed or failed).
    settled: u64,
    /// The most recent failed commit: its epoch and why.
    failed: Option<(u64, String)>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking writer is handled below; the bookkeeping itself stays consistent.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl GroupWriter {
    pub(crate) fn new() -> Self {
        GroupWriter {
            writer: Mutex::new(Writer {
                conn: None,
                open: None,
                batch: 0,
            }),
            waiting: AtomicUsize::new(0),
            epochs: Mutex::new(Epochs::default()),
            settled: Condvar::new(),
        }
    }

    /// Runs `work` as part of a group-committed write transaction.
    pub(crate) fn write<T, E: From<StoreError>>(
        &self,
        path: &Path,
        open: impl Fn(&Path) -> Result<Connection, StoreError>,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut writer = lock(&self.writer);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        if writer.conn.is_none() {
            writer.conn = Some(open(path)?);
        }
        let epoch = self.join_batch(&mut writer)?;
        let conn = writer.conn.as_ref().expect("opened above");
        if let Err(e) = conn.execute_batch("SAVEPOINT grouped_write") {
            self.finish_batch(&mut writer, Some(e.to_string()));
            return Err(StoreError::from(e).into());
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut tx = Tx {
                inner: TxInner::Sqlite(conn),
            };
            work(&mut tx)
        }));
        let kept = matches!(outcome, Ok(Ok(_)));
        let closed = if kept {
            conn.execute_batch("RELEASE grouped_write")
        } else {
            conn.execute_batch("ROLLBACK TO grouped_write; RELEASE grouped_write")
        };
        if let Err(e) = closed {
            // The transaction is unusable: end the batch as failed.
            self.finish_batch(&mut writer, Some(e.to_string()));
            return Err(StoreError::from(e).into());
        }
        let leave_open =
            self.waiting.load(Ordering::SeqCst) > 0 && writer.batch < MAX_BATCH && kept;
        if leave_open {
            drop(writer);
        } else {
            self.commit(&mut writer);
            drop(writer);
        }
        let out = match outcome {
            Ok(out) => out,
            Err(panic) => resume_unwind(panic),
        };
        let value = out?;
        self.await_settled(epoch)?;
        Ok(value)
    }

    /// The epoch of the open transaction, beginning one if none is open.
    fn join_batch(&self, writer: &mut Writer) -> Result<u64, StoreError> {
        let conn = writer.conn.as_ref().expect("opened");
        if let Some(epoch) = writer.open {
            writer.batch += 1;
            return Ok(epoch);
        }
        if !conn.is_autocommit() {
            // Left over by a crash of this process's bookkeeping: start clean.
            let _ = conn.execute_batch("ROLLBACK");
        }
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let epoch = {
            let mut epochs = lock(&self.epochs);
            epochs.next += 1;
            epochs.next
        };
        writer.open = Some(epoch);
        writer.batch = 1;
        Ok(epoch)
    }

    fn commit(&self, writer: &mut Writer) {
        let conn = writer.conn.as_ref().expect("opened");
        let failure = conn.execute_batch("COMMIT").err().map(|e| {
            let _ = conn.execute_batch("ROLLBACK");
            e.to_string()
        });
        self.finish_batch(writer, failure);
    }

    fn finish_batch(&self, writer: &mut Writer, failure: Option<String>) {
        let Some(epoch) = writer.open.take() else {
            return;
        };
        if failure.is_some() {
            let conn = writer.conn.as_ref().expect("opened");
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
        writer.batch = 0;
        let mut epochs = lock(&self.epochs);
        epochs.settled = epochs.settled.max(epoch);
        if let Some(why) = failure {
            epochs.failed = Some((epoch, why));
        }
        drop(epochs);
        self.settled.notify_all();
    }

    /// Waits until the commit holding `epoch` is durable; its error if it failed. If
    /// nobody commits the batch (its last writer died), commits it here.
    fn await_settled(&self, epoch: u64) -> Result<(), StoreError> {
        let mut epochs = lock(&self.epochs);
        loop {
            if epochs.settled >= epoch {
                return match &epochs.failed {
                    Some((failed, why)) if *failed == epoch => {
                        Err(StoreError::Unavailable(format!("the commit failed: {why}")))
                    }
                    _ => Ok(()),
                };
            }
            let (next, timeout) = self
                .settled
                .wait_timeout(epochs, Duration::from_millis(50))
                .unwrap_or_else(|p| p.into_inner());
            epochs = next;
            if timeout.timed_out() {
                drop(epochs);
                if let Ok(mut writer) = self.writer.try_lock()
                    && writer.open == Some(epoch)
                    && self.waiting.load(Ordering::SeqCst) == 0
                {
                    self.commit(&mut writer);
                }
                epochs = lock(&self.epochs);
            }
        }
    }

    /// Closes the connection when idle (before a test drops its database).
    pub(crate) fn close_idle(&self) {
        if let Ok(mut writer) = self.writer.try_lock()
            && writer.open.is_none()
        {
            writer.conn = None;
        }
    }
}
