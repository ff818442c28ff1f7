//! The balance of a set of sessions (those accepted so far), as the committee sees it
//! while deciding: how the speakers spread over stakeholder groups, regions and genders,
//! and how the sessions spread over types and themes, with the share of sessions whose
//! proposers are new.
//!
//! Speakers are counted once per session they speak in; a dimension's "not given" line
//! counts those who left it empty, so the shares always add up to the whole.

use std::collections::BTreeMap;

/// One speaker as the analytics need them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Speaker {
    pub stakeholder_group: Option<String>,
    pub region: Option<String>,
    pub gender: Option<String>,
}

/// One session of the set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Session {
    pub session_type: String,
    pub theme: String,
    /// None of its proposers had a session accepted in an earlier cycle.
    pub first_time: bool,
    pub speakers: Vec<Speaker>,
}

/// A line of a breakdown: the value (or "not given"), how many, and the share in %.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub count: usize,
    pub percent: f64,
}

/// The breakdowns of a set of sessions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Balance {
    pub sessions: usize,
    pub speakers: usize,
    pub stakeholder_groups: Vec<Line>,
    pub regions: Vec<Line>,
    pub genders: Vec<Line>,
    pub session_types: Vec<Line>,
    pub themes: Vec<Line>,
    pub first_time_sessions: usize,
}

pub const NOT_GIVEN: &str = "not given";

/// Counts the values, most frequent first (then by label), "not given" last.
fn lines<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Vec<Line> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut missing = 0;
    let mut total = 0;
    for value in values {
        total += 1;
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => *counts.entry(v).or_default() += 1,
            None => missing += 1,
        }
    }
    let percent = |n: usize| {
        if total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / total as f64
        }
    };
    let mut out: Vec<Line> = counts
        .into_iter()
        .map(|(label, count)| Line {
            label: label.to_owned(),
            count,
            percent: percent(count),
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    if missing > 0 {
        out.push(Line {
            label: NOT_GIVEN.to_owned(),
            count: missing,
            percent: percent(missing),
        });
    }
    out
}

/// The balance of `sessions`.
pub fn balance(sessions: &[Session]) -> Balance {
    let speakers = || sessions.iter().flat_map(|s| s.speakers.iter());
    Balance {
        sessions: sessions.len(),
        speakers: speakers().count(),
        stakeholder_groups: lines(speakers().map(|p| p.stakeholder_group.as_deref())),
        regions: lines(speakers().map(|p| p.region.as_deref())),
        genders: lines(speakers().map(|p| p.gender.as_deref())),
        session_types: lines(sessions.iter().map(|s| Some(s.session_type.as_str()))),
        themes: lines(sessions.iter().map(|s| Some(s.theme.as_str()))),
        first_time_sessions: sessions.iter().filter(|s| s.first_time).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn speaker(group: &str, region: &str, gender: &str) -> Speaker {
        let given = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        Speaker {
            stakeholder_group: given(group),
            region: given(region),
            gender: given(gender),
        }
    }

    #[test]
    fn speakers_and_sessions_are_counted_with_their_shares() {
        let sessions = [
            Session {
                session_type: "workshop".into(),
                theme: "Digital trust".into(),
                first_time: true,
                speakers: vec![
                    speaker("civil_society", "Africa", "woman"),
                    speaker("government", "Africa", "man"),
                ],
            },
            Session {
                session_type: "open_forum".into(),
                theme: "Digital trust".into(),
                first_time: false,
                speakers: vec![
                    speaker("civil_society", "Latin America and the Caribbean", ""),
                    speaker("private_sector", "", "woman"),
                ],
            },
        ];
        let b = balance(&sessions);
        assert_eq!((b.sessions, b.speakers, b.first_time_sessions), (2, 4, 1));
        assert_eq!(b.stakeholder_groups[0].label, "civil_society");
        assert_eq!(b.stakeholder_groups[0].count, 2);
        assert_eq!(b.stakeholder_groups[0].percent, 50.0);
        let last = b.regions.last().expect("lines");
        assert_eq!((last.label.as_str(), last.count), (NOT_GIVEN, 1));
        assert_eq!(b.themes.len(), 1);
        assert_eq!(b.themes[0].percent, 100.0);
        assert_eq!(balance(&[]), Balance::default());
    }

    proptest! {
        /// Every speaker is in exactly one line of each speaker breakdown.
        #[test]
        fn every_breakdown_adds_up(groups in prop::collection::vec(
            prop::collection::vec((0u8..4, 0u8..4, 0u8..3), 0..5), 0..10)) {
            let names = ["", "a", "b", "c"];
            let sessions: Vec<Session> = groups.iter().map(|speakers| Session {
                session_type: "workshop".into(),
                theme: "t".into(),
                first_time: speakers.len() % 2 == 0,
                speakers: speakers.iter().map(|(g, r, s)| speaker(
                    names[*g as usize], names[*r as usize], names[*s as usize])).collect(),
            }).collect();
            let b = balance(&sessions);
            for breakdown in [&b.stakeholder_groups, &b.regions, &b.genders] {
                prop_assert_eq!(breakdown.iter().map(|l| l.count).sum::<usize>(), b.speakers);
                if b.speakers > 0 {
                    let percent: f64 = breakdown.iter().map(|l| l.percent).sum();
                    prop_assert!((percent - 100.0).abs() < 1e-9);
                }
            }
            prop_assert_eq!(b.session_types.iter().map(|l| l.count).sum::<usize>(), b.sessions);
        }
    }
}
