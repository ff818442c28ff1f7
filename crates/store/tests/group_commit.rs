//! Concurrent writes on one database: every successful write is there afterwards and
//! visible to readers as soon as it returns; a failing or panicking write leaves the
//! others untouched. On SQLite the writes share commits (group commit); the same
//! properties hold on PostgreSQL, where each write is its own transaction.

use plenary_store::testing::TestDb;
use plenary_store::{Db, StoreError, params};

const WRITERS: i64 = 64;

fn table(db: &Db) {
    db.write(|tx| {
        tx.execute_batch("CREATE TABLE burst (id BIGINT PRIMARY KEY, note TEXT NOT NULL)")
    })
    .expect("table");
}

fn count(db: &Db) -> i64 {
    db.read(|tx| tx.query_one("SELECT COUNT(*) FROM burst", &[])?.int(0))
        .expect("count")
}

fn concurrent_writes_all_land_and_failures_stay_alone(db: &Db) {
    table(db);
    std::thread::scope(|s| {
        for n in 0..WRITERS {
            s.spawn(move || {
                let result: Result<(), StoreError> = db.write(|tx| {
                    tx.execute(
                        "INSERT INTO burst (id, note) VALUES ($1, $2)",
                        params![n, "written"],
                    )?;
                    if n % 8 == 7 {
                        // Every eighth write fails after writing: nothing of it stays.
                        tx.execute(
                            "INSERT INTO burst (id, note) VALUES ($1, $2)",
                            params![n, "duplicate"],
                        )?;
                    }
                    Ok(())
                });
                assert_eq!(result.is_err(), n % 8 == 7, "write {n}: {result:?}");
                if result.is_ok() {
                    // Acknowledged means committed: a reader sees it at once.
                    let seen = db
                        .read(|tx| tx.query_opt("SELECT note FROM burst WHERE id = $1", params![n]))
                        .expect("read");
                    assert!(seen.is_some(), "write {n} is visible once acknowledged");
                }
            });
        }
    });
    assert_eq!(count(db), WRITERS - WRITERS / 8);
}

fn a_panicking_write_does_not_block_the_others(db: &Db) {
    table(db);
    std::thread::scope(|s| {
        for n in 0..16i64 {
            s.spawn(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    db.write(|tx| {
                        tx.execute(
                            "INSERT INTO burst (id, note) VALUES ($1, $2)",
                            params![n, "written"],
                        )?;
                        assert!(n != 5, "write 5 panics mid-transaction");
                        Ok::<_, StoreError>(())
                    })
                }));
                assert_eq!(outcome.is_err(), n == 5);
            });
        }
    });
    assert_eq!(count(db), 15);
    db.write(|tx| {
        tx.execute(
            "INSERT INTO burst (id, note) VALUES ($1, $2)",
            params![100, "after"],
        )
    })
    .expect("the writer is usable afterwards");
}

#[test]
fn sqlite_concurrent_writes() {
    concurrent_writes_all_land_and_failures_stay_alone(&TestDb::sqlite().db);
}

#[test]
fn postgres_concurrent_writes() {
    concurrent_writes_all_land_and_failures_stay_alone(&TestDb::postgres().db);
}

#[test]
fn sqlite_panicking_write() {
    a_panicking_write_does_not_block_the_others(&TestDb::sqlite().db);
}

#[test]
fn postgres_panicking_write() {
    a_panicking_write_does_not_block_the_others(&TestDb::postgres().db);
}

/// Writes queued for the writer thread (`submit_write`) and writes run on their
/// callers' threads (`write`) at once: every successful one is there and visible when
/// answered, a failing or panicking queued write is answered alone, and many queued
/// writes in flight from one thread are all answered.
fn queued_and_borrowed_writes_mix(db: &Db) {
    table(db);
    let insert = |n: i64, fail: bool| {
        move |tx: &mut plenary_store::Tx<'_>| {
            tx.execute(
                "INSERT INTO burst (id, note) VALUES ($1, $2)",
                params![n, "written"],
            )?;
            if fail {
                tx.execute(
                    "INSERT INTO burst (id, note) VALUES ($1, $2)",
                    params![n, "duplicate"],
                )?;
            }
            Ok::<_, StoreError>(n)
        }
    };
    std::thread::scope(|s| {
        for n in 0..WRITERS {
            s.spawn(move || {
                let fail = n % 8 == 7;
                let result = if n % 2 == 0 {
                    db.submit_write(insert(n, fail)).wait()
                } else {
                    db.write(insert(n, fail))
                };
                assert_eq!(result.is_err(), fail, "write {n}: {result:?}");
                if result.is_ok() {
                    let seen = db
                        .read(|tx| tx.query_opt("SELECT note FROM burst WHERE id = $1", params![n]))
                        .expect("read");
                    assert!(seen.is_some(), "write {n} is visible once acknowledged");
                }
            });
        }
    });
    assert_eq!(count(db), WRITERS - WRITERS / 8);

    // Many in flight from one thread, one of them panicking.
    let submitted: Vec<_> = (1000..1200i64)
        .map(|n| {
            db.submit_write(move |tx| {
                assert!(n != 1100, "write 1100 panics mid-transaction");
                insert(n, false)(tx)
            })
        })
        .collect();
    for (n, write) in (1000..1200i64).zip(submitted) {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || write.wait()));
        match outcome {
            Ok(result) => assert_eq!(result.expect("written"), n),
            Err(_) => assert_eq!(n, 1100, "only write 1100 panics"),
        }
    }
    assert_eq!(count(db), WRITERS - WRITERS / 8 + 199);
    db.write(insert(5000, false))
        .expect("the writer is usable afterwards");
}

#[test]
fn sqlite_queued_writes() {
    queued_and_borrowed_writes_mix(&TestDb::sqlite().db);
}

#[test]
fn postgres_queued_writes() {
    queued_and_borrowed_writes_mix(&TestDb::postgres().db);
}
