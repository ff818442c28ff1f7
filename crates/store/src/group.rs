//! Group commit for SQLite's single writer.
//!
//! With `synchronous = FULL` every COMMIT waits for the disk, and one writer commits one
//! transaction at a time, so a burst of small writes (registrations) is bounded by the
//! disk's flushes per second. Here each write runs inside a SAVEPOINT of a transaction
//! that stays open while other writes are queued behind it; the last write of the
//! burst (or the 512th) commits them all with one flush, and every write is answered
//! only once the commit that contains it is durable. A write that fails rolls back to
//! its own savepoint and does not disturb the others; a failed COMMIT fails them all.
//!
//! Writes arrive two ways. [`GroupWriter::write`] runs a closure that borrows from its
//! caller on the caller's thread, holding the writer connection. [`GroupWriter::submit`]
//! queues an owned closure for the writer thread, which runs every queued write of a
//! burst back to back in one transaction: no thread hand-over per write, and the
//! caller (an async request handler) needs no thread of its own while it waits.

use crate::db::{Tx, TxInner};
use crate::error::StoreError;
use rusqlite::Connection;
use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::oneshot;

/// At most this many writes share one commit, so that none waits long.
const MAX_BATCH: usize = 512;

pub(crate) type Opener = fn(&Path) -> Result<Connection, StoreError>;

pub(crate) struct GroupWriter {
    shared: Arc<Shared>,
    /// The writer thread for queued writes, started by the first one.
    thread: Mutex<Option<JoinHandle<()>>>,
}

struct Shared {
    path: PathBuf,
    open: Opener,
    writer: Mutex<Writer>,
    /// Writers waiting for `writer`: while there are some, a batch is left open for
    /// them to join.
    waiting: AtomicUsize,
    epochs: Mutex<Epochs>,
    settled: Condvar,
    queue: Mutex<Queue>,
    /// Signalled when a write is queued while the writer thread is idle.
    queued: Condvar,
}

struct Writer {
    conn: Option<Connection>,
    /// The epoch of the open transaction, if one is open.
    open: Option<u64>,
    batch: usize,
    /// Queued writes that ran in the open transaction: answered once it is settled.
    unsettled: Vec<Box<dyn Settle>>,
}

#[derive(Default)]
struct Epochs {
    next: u64,
    /// Every epoch up to this one is settled (committed or failed).
    settled: u64,
    /// The most recent failed commit: its epoch and why.
    failed: Option<(u64, String)>,
}

#[derive(Default)]
struct Queue {
    jobs: Vec<Box<dyn Job>>,
    /// The writer thread waits for `queued`.
    idle: bool,
    stop: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking writer is handled below; the bookkeeping itself stays consistent.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn commit_failed(why: &str) -> StoreError {
    StoreError::Unavailable(format!("the commit failed: {why}"))
}

impl GroupWriter {
    pub(crate) fn new(path: PathBuf, open: Opener) -> Self {
        GroupWriter {
            shared: Arc::new(Shared {
                path,
                open,
                writer: Mutex::new(Writer {
                    conn: None,
                    open: None,
                    batch: 0,
                    unsettled: Vec::new(),
                }),
                waiting: AtomicUsize::new(0),
                epochs: Mutex::new(Epochs::default()),
                settled: Condvar::new(),
                queue: Mutex::new(Queue::default()),
                queued: Condvar::new(),
            }),
            thread: Mutex::new(None),
        }
    }

    /// Runs `work` on this thread as part of a group-committed write transaction.
    pub(crate) fn write<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let shared = &*self.shared;
        shared.waiting.fetch_add(1, Ordering::SeqCst);
        let mut writer = lock(&shared.writer);
        shared.waiting.fetch_sub(1, Ordering::SeqCst);
        let epoch = shared.begin_write(&mut writer)?;
        let outcome = {
            let conn = writer.conn.as_ref().expect("opened by begin_write");
            catch_unwind(AssertUnwindSafe(|| {
                let mut tx = Tx {
                    inner: TxInner::Sqlite(conn),
                };
                work(&mut tx)
            }))
        };
        let kept = matches!(outcome, Ok(Ok(_)));
        shared.end_write(&mut writer, kept)?;
        let leave_open =
            shared.waiting.load(Ordering::SeqCst) > 0 && writer.batch < MAX_BATCH && kept;
        if !leave_open {
            shared.commit(&mut writer);
        }
        drop(writer);
        let out = match outcome {
            Ok(out) => out,
            Err(panic) => resume_unwind(panic),
        };
        let value = out?;
        shared.await_settled(epoch)?;
        Ok(value)
    }

    /// Queues `work` for the writer thread; the answer is ready once the commit that
    /// holds it is durable (or at once when it fails).
    pub(crate) fn submit<T, E>(
        &self,
        work: impl FnOnce(&mut Tx<'_>) -> Result<T, E> + Send + 'static,
    ) -> Pending<Result<T, E>>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (sender, receiver) = oneshot::channel();
        let pending = Pending(receiver);
        let reply = Reply(sender);
        if let Err(e) = self.start_thread() {
            reply.send(Ok(Err(e.into())));
            return pending;
        }
        let job = Box::new(Queued { work, reply });
        let mut queue = lock(&self.shared.queue);
        queue.jobs.push(job);
        if queue.idle {
            queue.idle = false;
            self.shared.queued.notify_one();
        }
        pending
    }

    fn start_thread(&self) -> Result<(), StoreError> {
        let mut thread = lock(&self.thread);
        if thread.is_none() {
            let shared = self.shared.clone();
            let handle = std::thread::Builder::new()
                .name("plenary-writer".into())
                .spawn(move || shared.run_queue())
                .map_err(|e| StoreError::Unavailable(format!("cannot start the writer: {e}")))?;
            *thread = Some(handle);
        }
        Ok(())
    }

    /// Closes the connection when idle (before a test drops its database).
    pub(crate) fn close_idle(&self) {
        if let Ok(mut writer) = self.shared.writer.try_lock()
            && writer.open.is_none()
        {
            writer.conn = None;
        }
    }
}

impl Drop for GroupWriter {
    /// Lets the writer thread finish the queued writes, then stop.
    fn drop(&mut self) {
        lock(&self.shared.queue).stop = true;
        self.shared.queued.notify_all();
        let handle = lock(&self.thread).take();
        if let Some(handle) = handle
            && handle.thread().id() != std::thread::current().id()
        {
            let _ = handle.join();
        }
    }
}

impl Shared {
    /// Opens a savepoint for one write, in the open transaction or a new one; returns
    /// the transaction's epoch.
    fn begin_write(&self, writer: &mut Writer) -> Result<u64, StoreError> {
        if writer.conn.is_none() {
            writer.conn = Some((self.open)(&self.path)?);
        }
        if writer.open.is_some() && writer.batch >= MAX_BATCH {
            self.commit(writer);
        }
        let epoch = self.join_batch(writer)?;
        let conn = writer.conn.as_ref().expect("opened above");
        if let Err(e) = run_cached(conn, "SAVEPOINT grouped_write") {
            self.finish_batch(writer, Some(e.to_string()));
            return Err(e.into());
        }
        Ok(epoch)
    }

    /// Ends a write's savepoint, keeping or undoing its changes. When that fails the
    /// transaction is unusable and ends as failed.
    fn end_write(&self, writer: &mut Writer, kept: bool) -> Result<(), StoreError> {
        let conn = writer.conn.as_ref().expect("opened by begin_write");
        let closed = if kept {
            run_cached(conn, "RELEASE grouped_write")
        } else {
            run_cached(conn, "ROLLBACK TO grouped_write")
                .and_then(|()| run_cached(conn, "RELEASE grouped_write"))
        };
        if let Err(e) = closed {
            self.finish_batch(writer, Some(e.to_string()));
            return Err(e.into());
        }
        Ok(())
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
        run_cached(conn, "BEGIN IMMEDIATE")?;
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
        let failure = run_cached(conn, "COMMIT").err().map(|e| {
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
        for done in writer.unsettled.drain(..) {
            done.settle(failure.as_deref());
        }
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
                    Some((failed, why)) if *failed == epoch => Err(commit_failed(why)),
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

    /// The writer thread: runs queued writes in batches until told to stop.
    fn run_queue(&self) {
        while let Some(jobs) = self.next_jobs() {
            // A write's own panic is caught where it runs; this catches the
            // bookkeeping's, so that the thread goes on (writes it dropped are answered
            // with an error when dropped).
            if catch_unwind(AssertUnwindSafe(|| self.run_batch(jobs))).is_err() {
                tracing::error!("the SQLite writer thread panicked; its open batch fails");
                let mut writer = lock(&self.writer);
                if writer.conn.is_some() {
                    self.finish_batch(&mut writer, Some("the writer panicked".into()));
                }
            }
        }
    }

    /// Runs `jobs`, and whatever is queued meanwhile, in the open batch; then commits it
    /// unless a write on another thread waits to join it (that one commits).
    fn run_batch(&self, mut jobs: Vec<Box<dyn Job>>) {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut writer = lock(&self.writer);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        loop {
            for job in jobs.drain(..) {
                self.run_job(&mut writer, job);
            }
            if self.waiting.load(Ordering::SeqCst) > 0 {
                // A write on another thread waits: it joins this batch.
                break;
            }
            jobs = std::mem::take(&mut lock(&self.queue).jobs);
            if jobs.is_empty() {
                break;
            }
        }
        if writer.open.is_some() && self.waiting.load(Ordering::SeqCst) == 0 {
            self.commit(&mut writer);
        }
    }

    /// The next queued writes, waiting for some; `None` once stopped with none left.
    fn next_jobs(&self) -> Option<Vec<Box<dyn Job>>> {
        let mut queue = lock(&self.queue);
        loop {
            if !queue.jobs.is_empty() {
                queue.idle = false;
                return Some(std::mem::take(&mut queue.jobs));
            }
            if queue.stop {
                return None;
            }
            queue.idle = true;
            queue = self.queued.wait(queue).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn run_job(&self, writer: &mut Writer, job: Box<dyn Job>) {
        if let Err(e) = self.begin_write(writer) {
            return job.fail(e);
        }
        let done = {
            let conn = writer.conn.as_ref().expect("opened by begin_write");
            let mut tx = Tx {
                inner: TxInner::Sqlite(conn),
            };
            job.run(&mut tx)
        };
        match self.end_write(writer, done.is_some()) {
            Ok(()) => writer.unsettled.extend(done),
            Err(e) => {
                if let Some(done) = done {
                    done.settle(Some(&e.to_string()));
                }
            }
        }
    }
}

/// Runs a statement without parameters through the connection's statement cache.
fn run_cached(conn: &Connection, sql: &str) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}

/// A queued write, type-erased for the queue.
trait Job: Send {
    /// Runs the write; `Some` when it succeeded (kept, answered once settled), `None`
    /// when it failed and was answered.
    fn run(self: Box<Self>, tx: &mut Tx<'_>) -> Option<Box<dyn Settle>>;
    /// Answers a write that could not run.
    fn fail(self: Box<Self>, error: StoreError);
}

/// A queued write that ran and waits for its commit.
trait Settle: Send {
    fn settle(self: Box<Self>, failure: Option<&str>);
}

struct Queued<F, T, E> {
    work: F,
    reply: Reply<Result<T, E>>,
}

impl<F, T, E> Job for Queued<F, T, E>
where
    F: FnOnce(&mut Tx<'_>) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    fn run(self: Box<Self>, tx: &mut Tx<'_>) -> Option<Box<dyn Settle>> {
        let Queued { work, reply } = *self;
        match catch_unwind(AssertUnwindSafe(|| work(tx))) {
            Ok(Ok(value)) => Some(Box::new(Answer { value, reply })),
            Ok(Err(e)) => {
                reply.send(Ok(Err(e)));
                None
            }
            Err(panic) => {
                reply.send(Err(panic));
                None
            }
        }
    }

    fn fail(self: Box<Self>, error: StoreError) {
        self.reply.send(Ok(Err(error.into())));
    }
}

struct Answer<T, E> {
    value: T,
    reply: Reply<Result<T, E>>,
}

impl<T: Send, E: From<StoreError> + Send> Settle for Answer<T, E> {
    fn settle(self: Box<Self>, failure: Option<&str>) {
        let out = match failure {
            None => Ok(self.value),
            Some(why) => Err(commit_failed(why).into()),
        };
        self.reply.send(Ok(out));
    }
}

/// The sending side of a queued write's answer. A write dropped unanswered (which
/// only a bug in the writer could do) is answered as if it had panicked, rather than
/// never: its [`Pending`] sees the channel closed.
struct Reply<R>(oneshot::Sender<std::thread::Result<R>>);

impl<R> Reply<R> {
    fn send(self, outcome: std::thread::Result<R>) {
        // The caller may have stopped waiting (a client that went away).
        let _ = self.0.send(outcome);
    }
}

fn dropped() -> Box<dyn Any + Send> {
    Box::new("the SQLite writer dropped this write unanswered")
}

/// The answer to a queued write: await it, or [`Pending::wait`] for it on a thread that
/// may block (not inside an async task). `Err` carries the panic of a write that
/// panicked.
#[must_use = "the write is answered through it"]
pub struct Pending<R>(oneshot::Receiver<std::thread::Result<R>>);

impl<R> Pending<R> {
    /// Blocks this thread until the answer is there.
    pub fn wait(self) -> std::thread::Result<R> {
        self.0.blocking_recv().unwrap_or_else(|_| Err(dropped()))
    }
}

impl<R> Future for Pending<R> {
    type Output = std::thread::Result<R>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|answer| answer.unwrap_or_else(|_| Err(dropped())))
    }
}
