//! Review scores and their aggregation for the committee.
//!
//! Each review gives a score per criterion on the call's scale; its score is the mean of
//! those, on the same scale (4, 5 and 3 on a 1–5 scale score 4). A submission's mean is
//! the plain mean of its reviews' scores. Reviewers differ in how hard they mark, so the
//! committee also sees a normalised score: each reviewer's scores are turned into
//! z-scores over everything that reviewer scored (mean 0, standard deviation 1), and a
//! submission's normalised score is the mean of its reviews' z-scores. A reviewer who
//! gave every submission the same score tells nothing about the order: their z-scores
//! are 0.

use crate::error::{FieldError, Problem};
use crate::people::closed_list;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The scale of a criterion: whole numbers from `min` to `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub min: i64,
    pub max: i64,
}

impl Scale {
    /// A scale needs at least two points.
    pub fn new(min: i64, max: i64) -> Result<Scale, FieldError> {
        if max <= min {
            return Err(FieldError::new(
                "scale",
                Problem::Invalid("the highest score must be above the lowest"),
            ));
        }
        Ok(Scale { min, max })
    }

    /// Reads a score on this scale; the error names `field` and the scale.
    pub fn score(self, field: &'static str, raw: &str) -> Result<i64, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new(field, Problem::Required));
        }
        match raw.parse::<i64>() {
            Ok(n) if (self.min..=self.max).contains(&n) => Ok(n),
            _ => Err(FieldError::new(
                field,
                Problem::Explained(format!("a whole number from {} to {}", self.min, self.max)),
            )),
        }
    }
}

/// One finished review: who, of what, and its score (the mean of its criterion scores).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub reviewer: i64,
    pub submission: i64,
    pub score: f64,
}

impl Scored {
    /// A review of `submission` by `reviewer` with these criterion scores; `None` when
    /// it has none.
    pub fn of(reviewer: i64, submission: i64, criteria: &[i64]) -> Option<Scored> {
        (!criteria.is_empty()).then(|| Scored {
            reviewer,
            submission,
            score: criteria.iter().sum::<i64>() as f64 / criteria.len() as f64,
        })
    }
}

/// A submission's place in the committee's table.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    pub submission: i64,
    pub reviews: usize,
    pub mean: f64,
    /// The mean of its reviews' z-scores (see the module's comment).
    pub normalised: f64,
}

/// Mean and population standard deviation.
fn mean_and_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, variance.sqrt())
}

/// Each review's z-score within its reviewer's reviews, in the order given.
pub fn z_scores(reviews: &[Scored]) -> Vec<f64> {
    let mut by_reviewer: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for r in reviews {
        by_reviewer.entry(r.reviewer).or_default().push(r.score);
    }
    let stats: BTreeMap<i64, (f64, f64)> = by_reviewer
        .into_iter()
        .map(|(reviewer, scores)| (reviewer, mean_and_sd(&scores)))
        .collect();
    reviews
        .iter()
        .map(|r| {
            let (mean, sd) = stats[&r.reviewer];
            // Below this a reviewer's scores are all the same (up to rounding).
            if sd < 1e-9 {
                0.0
            } else {
                (r.score - mean) / sd
            }
        })
        .collect()
}

/// The committee's table: one line per reviewed submission, best normalised score
/// first (then best mean, then submission id, so that the order is stable).
pub fn aggregate(reviews: &[Scored]) -> Vec<Aggregate> {
    let z = z_scores(reviews);
    let mut per: BTreeMap<i64, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for (r, z) in reviews.iter().zip(z) {
        let entry = per.entry(r.submission).or_default();
        entry.0.push(r.score);
        entry.1.push(z);
    }
    let mut table: Vec<Aggregate> = per
        .into_iter()
        .map(|(submission, (scores, zs))| Aggregate {
            submission,
            reviews: scores.len(),
            mean: scores.iter().sum::<f64>() / scores.len() as f64,
            normalised: zs.iter().sum::<f64>() / zs.len() as f64,
        })
        .collect();
    table.sort_by(|a, b| {
        b.normalised
            .total_cmp(&a.normalised)
            .then(b.mean.total_cmp(&a.mean))
            .then(a.submission.cmp(&b.submission))
    });
    table
}

/// The longest review comment kept.
pub const MAX_COMMENT: usize = 6000;

/// Checks a review's scores, one per criterion of the call, on its scale. The errors
/// name the form's `scores` and say which criterion (criteria are the call's own).
pub fn check_scores(
    criteria: &[String],
    scale: Scale,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, i64>, Vec<FieldError>> {
    let mut scores = BTreeMap::new();
    let mut errors = Vec::new();
    for criterion in criteria {
        let raw = given.get(criterion).map(String::as_str).unwrap_or("");
        match scale.score("scores", raw) {
            Ok(n) => {
                scores.insert(criterion.clone(), n);
            }
            Err(e) => errors.push(FieldError::new(
                "scores",
                Problem::Explained(format!("{criterion}: {}", e.problem)),
            )),
        }
    }
    if let Some(unknown) = given.keys().find(|k| !criteria.contains(k)) {
        errors.push(FieldError::new(
            "scores",
            Problem::Explained(format!("{unknown:?} is not a criterion of this call")),
        ));
    }
    if errors.is_empty() {
        Ok(scores)
    } else {
        Err(errors)
    }
}

closed_list!(
    /// How much a reviewer wants to review a submission.
    Bid, "bid" {
        Eager => ("eager", "Eager"),
        Willing => ("willing", "Willing"),
        Unwilling => ("unwilling", "Rather not"),
    }
);

impl Bid {
    /// Stored as a small number.
    pub fn level(self) -> i64 {
        match self {
            Bid::Eager => 2,
            Bid::Willing => 1,
            Bid::Unwilling => -1,
        }
    }

    pub fn from_level(level: i64) -> Option<Bid> {
        Bid::ALL.iter().copied().find(|b| b.level() == level)
    }
}

/// How well a reviewer fits a submission: 1 when the submission's theme is among the
/// reviewer's declared expertise, plus ½ per bid level (eager +1, willing +½, rather
/// not −½). The solver maximises the sum over the assigned pairs.
pub fn affinity(expert_in_theme: bool, bid: Option<Bid>) -> f64 {
    let theme = if expert_in_theme { 1.0 } else { 0.0 };
    theme + bid.map_or(0.0, |b| b.level() as f64 * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scored(reviewer: i64, submission: i64, score: f64) -> Scored {
        Scored {
            reviewer,
            submission,
            score,
        }
    }

    #[test]
    fn a_review_scores_the_mean_of_its_criteria_on_the_scale() {
        let review = Scored::of(1, 7, &[4, 5, 3]).expect("scored");
        assert_eq!(review.score, 4.0);
        assert_eq!(Scored::of(1, 7, &[]), None);
        let other = Scored::of(2, 7, &[5, 5, 4]).expect("scored");
        let table = aggregate(&[review, other]);
        // The committee's mean stays on the 1–5 scale: (4 + 4.67) / 2.
        assert!(
            (table[0].mean - 13.0 / 3.0).abs() < 1e-9,
            "{}",
            table[0].mean
        );
    }

    #[test]
    fn scores_must_be_on_the_scale() {
        let scale = Scale::new(1, 5).expect("scale");
        assert_eq!(scale.score("relevance", " 4 "), Ok(4));
        for bad in ["0", "6", "3.5", "four"] {
            let e = scale.score("relevance", bad).expect_err(bad);
            assert_eq!(e.field, "relevance");
            assert!(
                e.problem.to_string().contains("from 1 to 5"),
                "{}",
                e.problem
            );
        }
        assert_eq!(
            scale.score("relevance", "").expect_err("empty").problem,
            Problem::Required
        );
        assert!(Scale::new(3, 3).is_err());
    }

    #[test]
    fn a_harsh_reviewer_does_not_sink_the_submissions_they_read() {
        // Reviewer 1 marks everything low, reviewer 2 high; each ranks A above B.
        let reviews = [
            scored(1, 10, 4.0),
            scored(1, 11, 2.0),
            scored(2, 12, 9.0),
            scored(2, 13, 7.0),
        ];
        let table = aggregate(&reviews);
        let order: Vec<i64> = table.iter().map(|a| a.submission).collect();
        // By normalised score the best of each reviewer comes first (ties by mean).
        assert_eq!(order, [12, 10, 13, 11]);
        assert_eq!(table[1].mean, 4.0);
        assert!((table[1].normalised - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_reviewer_who_gives_one_score_to_all_counts_zero() {
        let z = z_scores(&[scored(1, 10, 3.0), scored(1, 11, 3.0)]);
        assert_eq!(z, [0.0, 0.0]);
    }

    fn reviews() -> impl Strategy<Value = Vec<Scored>> {
        prop::collection::vec((0i64..4, 0i64..8, 0i64..=20), 1..40).prop_map(|v| {
            v.into_iter()
                .map(|(r, s, t)| scored(r, s, t as f64))
                .collect()
        })
    }

    #[test]
    fn a_review_scores_every_criterion_on_the_scale() {
        let criteria = vec!["Relevance".to_owned(), "Diversity".to_owned()];
        let scale = Scale::new(1, 5).expect("scale");
        let given = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect()
        };
        let ok = check_scores(
            &criteria,
            scale,
            &given(&[("Relevance", "5"), ("Diversity", "1")]),
        );
        assert_eq!(ok.expect("ok")["Relevance"], 5);
        let bad = check_scores(
            &criteria,
            scale,
            &given(&[("Relevance", "9"), ("Other", "1")]),
        )
        .expect_err("bad");
        let text: Vec<String> = bad.iter().map(ToString::to_string).collect();
        assert_eq!(bad.len(), 3, "{text:?}");
        assert!(text[0].contains("Relevance") && text[0].contains("from 1 to 5"));
        assert!(text[1].contains("Diversity") && text[1].contains("required"));
        assert!(text[2].contains("Other"));
    }

    #[test]
    fn bids_round_trip_and_weigh_less_than_expertise() {
        for bid in Bid::ALL {
            assert_eq!(Bid::from_level(bid.level()), Some(*bid));
        }
        assert!(affinity(true, None) > affinity(false, Some(Bid::Willing)));
        assert!(affinity(true, Some(Bid::Eager)) > affinity(true, None));
        assert!(affinity(false, Some(Bid::Unwilling)) < 0.0);
    }

    proptest! {
        /// Each reviewer's z-scores have mean 0 and, unless all equal, variance 1.
        #[test]
        fn z_scores_are_centred_and_scaled_per_reviewer(reviews in reviews()) {
            let z = z_scores(&reviews);
            let mut per: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
            for (r, z) in reviews.iter().zip(&z) {
                per.entry(r.reviewer).or_default().push(*z);
            }
            for zs in per.values() {
                let (mean, sd) = mean_and_sd(zs);
                prop_assert!(mean.abs() < 1e-9);
                prop_assert!(sd.abs() < 1e-9 || (sd - 1.0).abs() < 1e-9);
            }
        }

        /// Normalised scores do not change when a reviewer shifts and stretches all
        /// their scores (a harsher or more generous marker who orders alike).
        #[test]
        fn normalised_scores_ignore_each_reviewers_own_scale(
            reviews in reviews(), shift in -10.0f64..10.0, stretch in 0.1f64..5.0
        ) {
            let moved: Vec<Scored> = reviews
                .iter()
                .map(|r| if r.reviewer == 0 {
                    scored(r.reviewer, r.submission, r.score * stretch + shift)
                } else { *r })
                .collect();
            let before = aggregate(&reviews);
            let after = aggregate(&moved);
            for a in &before {
                let b = after.iter().find(|b| b.submission == a.submission).expect("same submissions");
                prop_assert!((a.normalised - b.normalised).abs() < 1e-6);
                prop_assert_eq!(a.reviews, b.reviews);
            }
        }

        /// Every reviewed submission appears once, with its number of reviews.
        #[test]
        fn the_table_holds_each_submission_once(reviews in reviews()) {
            let table = aggregate(&reviews);
            let total: usize = table.iter().map(|a| a.reviews).sum();
            prop_assert_eq!(total, reviews.len());
            let mut ids: Vec<i64> = table.iter().map(|a| a.submission).collect();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), table.len());
        }
    }
}
