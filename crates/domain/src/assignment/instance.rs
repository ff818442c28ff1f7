//! The benchmark's instance and solution files (`plenary-review-instance/v1`,
//! `plenary-review-solution/v1`, described in `../shared/bench/README.md`): reading
//! an instance into a [`Problem`] and writing an [`Assignment`] back with the ids.
//! Conflicts are the listed pairs and, as in a forum, every reviewer and submission of
//! the same organization.

use super::{Assignment, AssignmentError, Problem, Reviewer, Submission};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::{HashMap, HashSet};
use std::fmt;

pub const INSTANCE_FORMAT: &str = "plenary-review-instance/v1";
pub const SOLUTION_FORMAT: &str = "plenary-review-solution/v1";

#[derive(Debug, Clone, Deserialize)]
pub struct Instance {
    pub format: String,
    #[serde(default)]
    pub name: Option<String>,
    pub params: Params,
    pub reviewers: Vec<InstanceReviewer>,
    pub submissions: Vec<InstanceSubmission>,
    /// One row per submission, one value per reviewer, in file order.
    pub affinity: Vec<Vec<f64>>,
    /// [submission index, reviewer index] pairs never to assign.
    #[serde(default)]
    pub conflicts: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Params {
    pub reviewers_per_submission: u32,
    pub max_load: u32,
    pub balance_penalty: f64,
    pub stakeholder_groups: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InstanceReviewer {
    pub id: String,
    #[serde(default)]
    pub organization: Option<String>,
    pub stakeholder_group: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InstanceSubmission {
    pub id: String,
    #[serde(default)]
    pub organization: Option<String>,
}

/// What is wrong with an instance file.
#[derive(Debug, Clone, PartialEq)]
pub enum InstanceError {
    Format(String),
    UnknownGroup {
        reviewer: String,
        group: String,
    },
    DuplicateId(String),
    AffinityRows {
        expected: usize,
        found: usize,
    },
    AffinityRow {
        submission: String,
        expected: usize,
        found: usize,
    },
    ConflictOutOfRange {
        submission: usize,
        reviewer: usize,
    },
    Problem(String),
}

impl fmt::Display for InstanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceError::Format(found) => {
                write!(f, "format is {found:?}, not {INSTANCE_FORMAT:?}")
            }
            InstanceError::UnknownGroup { reviewer, group } => write!(
                f,
                "reviewer {reviewer} is in stakeholder group {group:?}, which params.stakeholder_groups does not list"
            ),
            InstanceError::DuplicateId(id) => write!(f, "the id {id} is used twice"),
            InstanceError::AffinityRows { expected, found } => write!(
                f,
                "affinity has {found} rows, one per submission is {expected}"
            ),
            InstanceError::AffinityRow {
                submission,
                expected,
                found,
            } => write!(
                f,
                "the affinity row of submission {submission} has {found} values, one per reviewer is {expected}"
            ),
            InstanceError::ConflictOutOfRange {
                submission,
                reviewer,
            } => write!(
                f,
                "the conflict [{submission}, {reviewer}] names a submission or reviewer that does not exist"
            ),
            InstanceError::Problem(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for InstanceError {}

impl Instance {
    /// The problem this file describes, with its conflicts.
    pub fn problem(&self) -> Result<Problem, InstanceError> {
        if self.format != INSTANCE_FORMAT {
            return Err(InstanceError::Format(self.format.clone()));
        }
        let mut ids = HashSet::new();
        for id in self
            .reviewers
            .iter()
            .map(|r| &r.id)
            .chain(self.submissions.iter().map(|s| &s.id))
        {
            if !ids.insert(id.as_str()) {
                return Err(InstanceError::DuplicateId(id.clone()));
            }
        }
        let groups: HashMap<&str, usize> = self
            .params
            .stakeholder_groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.as_str(), i))
            .collect();
        let reviewers = self
            .reviewers
            .iter()
            .map(|r| match groups.get(r.stakeholder_group.as_str()) {
                Some(&group) => Ok(Reviewer {
                    group,
                    load: self.params.max_load,
                }),
                None => Err(InstanceError::UnknownGroup {
                    reviewer: r.id.clone(),
                    group: r.stakeholder_group.clone(),
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if self.affinity.len() != self.submissions.len() {
            return Err(InstanceError::AffinityRows {
                expected: self.submissions.len(),
                found: self.affinity.len(),
            });
        }
        let mut affinity = Vec::with_capacity(self.submissions.len() * self.reviewers.len());
        for (row, submission) in self.affinity.iter().zip(&self.submissions) {
            if row.len() != self.reviewers.len() {
                return Err(InstanceError::AffinityRow {
                    submission: submission.id.clone(),
                    expected: self.reviewers.len(),
                    found: row.len(),
                });
            }
            affinity.extend_from_slice(row);
        }
        let submissions = vec![
            Submission {
                reviewers: self.params.reviewers_per_submission,
            };
            self.submissions.len()
        ];
        let mut problem = Problem::new(
            submissions,
            reviewers,
            self.params.stakeholder_groups.len(),
            affinity,
            self.params.balance_penalty,
        )
        .map_err(|e| InstanceError::Problem(self.message(&e)))?;
        for &[s, r] in &self.conflicts {
            problem
                .forbid(s, r)
                .map_err(|_| InstanceError::ConflictOutOfRange {
                    submission: s,
                    reviewer: r,
                })?;
        }
        for (s, submission) in self.submissions.iter().enumerate() {
            let Some(org) = &submission.organization else {
                continue;
            };
            for (r, reviewer) in self.reviewers.iter().enumerate() {
                if reviewer.organization.as_ref() == Some(org) {
                    problem
                        .forbid(s, r)
                        .map_err(|e| InstanceError::Problem(self.message(&e)))?;
                }
            }
        }
        Ok(problem)
    }

    /// An error of the problem or its solution, naming submissions and reviewers by
    /// their ids.
    pub fn message(&self, error: &AssignmentError) -> String {
        let submission = |s: usize| {
            self.submissions
                .get(s)
                .map_or_else(|| format!("#{s}"), |x| x.id.clone())
        };
        let reviewer = |r: usize| {
            self.reviewers
                .get(r)
                .map_or_else(|| format!("#{r}"), |x| x.id.clone())
        };
        error.message(&submission, &reviewer)
    }

    /// The solution file of an assignment of this instance.
    pub fn solution<'a>(&'a self, assignment: &'a Assignment) -> SolutionFile<'a> {
        SolutionFile {
            instance: self,
            assignment,
        }
    }
}

/// `{"format": "plenary-review-solution/v1", "assignment": {"X00000": ["V0003", ...]}}`,
/// submissions in file order.
pub struct SolutionFile<'a> {
    instance: &'a Instance,
    assignment: &'a Assignment,
}

struct ById<'a>(&'a Instance, &'a Assignment);

impl Serialize for ById<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.submissions.len()))?;
        for (submission, reviewers) in self.0.submissions.iter().zip(&self.1.reviewers) {
            let ids: Vec<&str> = reviewers
                .iter()
                .filter_map(|&r| self.0.reviewers.get(r).map(|x| x.id.as_str()))
                .collect();
            map.serialize_entry(&submission.id, &ids)?;
        }
        map.end()
    }
}

impl Serialize for SolutionFile<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut file = serializer.serialize_struct("SolutionFile", 2)?;
        file.serialize_field("format", SOLUTION_FORMAT)?;
        file.serialize_field("assignment", &ById(self.instance, self.assignment))?;
        file.end()
    }
}
