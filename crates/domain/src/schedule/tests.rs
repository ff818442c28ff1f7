//! The scheduler on random problems: it never returns a schedule that breaks a hard
//! rule, keeps pinned sessions, moves as little as it can on a re-solve, reaches the
//! lower bound when it is reachable, explains what it cannot do, and is deterministic.

use super::*;
use proptest::prelude::*;

/// (duration, audience, theme, main, people) of a random session.
type SessionSpec = (u32, u32, Option<usize>, bool, Vec<usize>);

/// A random problem: `rooms` rooms of random size over `timeslots` timeslots on two
/// days, sessions with random needs, people shared between sessions.
fn problem(rooms: Vec<(u32, u32, bool)>, timeslots: usize, sessions: Vec<SessionSpec>) -> Problem {
    let slots = (0..timeslots)
        .flat_map(|t| {
            rooms
                .iter()
                .enumerate()
                .map(move |(r, &(capacity, minutes, hybrid))| Slot {
                    timeslot: t,
                    room: r,
                    capacity,
                    minutes,
                    hybrid,
                })
        })
        .collect();
    Problem {
        timeslots: (0..timeslots)
            .map(|t| Timeslot {
                day: t * 2 / timeslots.max(1),
            })
            .collect(),
        slots,
        sessions: sessions
            .into_iter()
            .map(|(duration, audience, theme, main, people)| Session {
                duration,
                audience,
                theme,
                main,
                people,
                ..Session::default()
            })
            .collect(),
        themes: 3,
        weights: Weights::default(),
        timeslot_costs: Vec::new(),
    }
}

fn any_problem() -> impl Strategy<Value = Problem> {
    (
        prop::collection::vec(
            (
                prop::sample::select(vec![50u32, 100, 300]),
                prop::sample::select(vec![60u32, 90]),
                any::<bool>(),
            ),
            1..5,
        ),
        1usize..7,
        prop::collection::vec(
            (
                prop::sample::select(vec![30u32, 60, 90]),
                0u32..250,
                prop::option::of(0usize..3),
                prop::bool::weighted(0.1),
                prop::collection::vec(0usize..12, 0..4),
            ),
            0..20,
        ),
    )
        .prop_map(|(rooms, timeslots, sessions)| problem(rooms, timeslots, sessions))
}

fn quick() -> Settings {
    Settings {
        seed: 7,
        iterations: 20_000,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Whatever the input, a returned schedule breaks no hard rule, and the cost it
    /// reports is at least the lower bound.
    #[test]
    fn never_a_hard_violation(p in any_problem()) {
        if let Ok(s) = solve(&p, quick()) {
            prop_assert_eq!(violations(&p, &s.slot_of), 0);
            prop_assert!(s.cost >= s.lower_bound);
        }
    }

    /// Pinned sessions stay; a re-solve after one more session moves nobody when the
    /// new session fits in a free slot without clashing.
    #[test]
    fn pinned_stay_and_a_re_solve_moves_little(p in any_problem(), pin in 0usize..20) {
        let Ok(first) = solve(&p, quick()) else { return Ok(()) };
        let mut again = p.clone();
        for (i, s) in again.sessions.iter_mut().enumerate() {
            s.previous = Some(first.slot_of[i]);
            if i == pin {
                s.pinned = Some(first.slot_of[i]);
            }
        }
        again.sessions.push(Session { duration: 30, audience: 0, ..Session::default() });
        if let Ok(second) = solve(&again, quick()) {
            prop_assert_eq!(violations(&again, &second.slot_of), 0);
            if pin < p.sessions.len() {
                prop_assert_eq!(second.slot_of[pin], first.slot_of[pin]);
            }
            // A session without people fits any free slot: nothing needs to move.
            if again.slots.len() > p.sessions.len() {
                prop_assert_eq!(second.moved, 0);
            }
        }
    }

    /// The same seed gives the same schedule.
    #[test]
    fn deterministic(p in any_problem()) {
        prop_assert_eq!(solve(&p, quick()), solve(&p, quick()));
    }
}

/// The property above would hold vacuously if random problems were all infeasible:
/// most of them have room enough, and those are solved.
#[test]
fn most_random_problems_are_solved() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut roomy, mut solved) = (0, 0);
    for _ in 0..200 {
        let p = any_problem().new_tree(&mut runner).expect("tree").current();
        // Twice the slots needed and nobody in more sessions than timeslots.
        let busiest = (0..12)
            .map(|person| {
                p.sessions
                    .iter()
                    .filter(|s| s.people.contains(&person))
                    .count()
            })
            .max()
            .unwrap_or(0);
        let fits_anywhere = p
            .sessions
            .iter()
            .all(|s| s.duration <= 60 && s.audience <= 50 && !s.main);
        if p.slots.len() >= 2 * p.sessions.len()
            && busiest <= p.timeslots.len() / 2
            && fits_anywhere
        {
            roomy += 1;
            if let Ok(s) = solve(&p, quick()) {
                assert_eq!(violations(&p, &s.slot_of), 0);
                solved += 1;
            }
        }
    }
    assert!(roomy >= 5, "the generator makes roomy problems: {roomy}");
    assert_eq!(solved, roomy, "every roomy problem is solved");
}

#[test]
fn the_lower_bound_is_reached_when_themes_can_spread() {
    // 3 themes × 4 sessions over 4 timeslots of 3 rooms: one of each theme per timeslot.
    let sessions = (0..12)
        .map(|i| (60, 10, Some(i % 3), false, vec![]))
        .collect();
    let p = problem(vec![(100, 90, true); 3], 4, sessions);
    let s = solve(&p, Settings::default()).expect("schedule");
    assert_eq!(s.theme_pairs, 0);
    assert_eq!(s.cost, s.lower_bound);
}

#[test]
fn clashes_are_resolved_by_the_search() {
    // A chain of sessions sharing people, in two timeslots: only alternating works.
    let sessions = (0..8)
        .map(|i| (60, 10, Some(0), false, vec![i, i + 1]))
        .collect();
    let p = problem(vec![(100, 90, true); 4], 2, sessions);
    let s = solve(&p, Settings::default()).expect("schedule");
    assert_eq!(violations(&p, &s.slot_of), 0);
}

#[test]
fn infeasible_input_is_explained() {
    let mut p = problem(
        vec![(100, 60, false)],
        2,
        vec![
            (90, 10, None, false, vec![]),
            (60, 500, None, false, vec![]),
            (30, 10, None, true, vec![1]),
            (30, 10, None, true, vec![1]),
            (30, 10, None, true, vec![1]),
        ],
    );
    let Err(ScheduleError::Infeasible(reasons)) = solve(&p, Settings::default()) else {
        panic!("infeasible")
    };
    assert!(
        reasons.contains(&Reason::NoSlotFits { session: 0 }),
        "too long: {reasons:?}"
    );
    assert!(
        reasons.contains(&Reason::NoSlotFits { session: 1 }),
        "too big: {reasons:?}"
    );
    assert!(reasons.contains(&Reason::TooManyMain {
        main: 3,
        timeslots: 2
    }));
    assert!(reasons.contains(&Reason::PersonOverbooked {
        person: 1,
        sessions: 3,
        timeslots: 2
    }));
    assert!(reasons.contains(&Reason::TooFewSlots {
        sessions: 5,
        slots: 2
    }));
    // Two sessions pinned into one timeslot that share a person.
    p.sessions = vec![
        Session {
            duration: 30,
            people: vec![4],
            pinned: Some(0),
            ..Session::default()
        },
        Session {
            duration: 30,
            people: vec![4],
            pinned: Some(0),
            ..Session::default()
        },
    ];
    let Err(ScheduleError::Infeasible(reasons)) = solve(&p, Settings::default()) else {
        panic!("infeasible")
    };
    assert!(
        reasons.contains(&Reason::PinnedTogether {
            slot: 0,
            sessions: [0, 1]
        }),
        "{reasons:?}"
    );
    // The search gives up on a clash nobody could see beforehand: a triangle of
    // people in two timeslots.
    p.sessions = vec![
        Session {
            duration: 30,
            people: vec![1, 2],
            ..Session::default()
        },
        Session {
            duration: 30,
            people: vec![2, 3],
            ..Session::default()
        },
        Session {
            duration: 30,
            people: vec![3, 1],
            ..Session::default()
        },
    ];
    p.slots
        .extend(p.slots.clone().into_iter().map(|s| Slot { room: 1, ..s }));
    let Err(ScheduleError::Infeasible(reasons)) = solve(
        &p,
        Settings {
            seed: 1,
            iterations: 10_000,
        },
    ) else {
        panic!("infeasible")
    };
    let Reason::Unresolved { clashes, unplaced } = &reasons[0] else {
        panic!("{reasons:?}")
    };
    assert_eq!(clashes.len() + unplaced.len(), 1, "{reasons:?}");
}

#[test]
fn a_manual_placement_lists_every_rule_it_breaks() {
    let mut p = problem(
        vec![(100, 60, false), (50, 90, true)],
        2,
        vec![
            (90, 40, Some(0), true, vec![1, 2]),
            (60, 10, Some(0), true, vec![2]),
            (60, 10, None, false, vec![]),
            (30, 10, None, false, vec![]),
        ],
    );
    p.sessions[1].hybrid = true;
    p.sessions[3].unavailable = vec![1];
    // Slots: 0 = room 0 at t0, 1 = room 1 at t0, 2 = room 0 at t1, 3 = room 1 at t1.
    let found = conflicts(&p, &[Some(0), Some(0), None, Some(3)]);
    assert_eq!(
        found,
        [
            Conflict::TooLong {
                session: 0,
                slot: 0
            },
            Conflict::NotHybrid {
                session: 1,
                slot: 0
            },
            Conflict::Unavailable {
                session: 3,
                timeslot: 1
            },
            Conflict::SameSlot {
                slot: 0,
                sessions: [0, 1]
            },
            Conflict::SamePeople {
                sessions: [0, 1],
                people: vec![2]
            },
            Conflict::MainInParallel { sessions: [0, 1] },
        ]
    );
    // A schedule the solver returns has none.
    let s = solve(&p, Settings::default()).expect("schedule");
    let placement: Vec<Option<usize>> = s.slot_of.iter().map(|q| Some(*q)).collect();
    assert_eq!(conflicts(&p, &placement), []);
}
