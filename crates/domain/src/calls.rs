//! Calls for submissions (session proposals, travel support, mentorship, volunteers,
//! speaker suggestions) and the rules a submission follows: the call's window on the
//! server's clock, how many a person may send, until when it may be changed, and what
//! a session proposal must hold.

use crate::error::{FieldError, Problem, take};
use crate::geo::Country;
use crate::people::{StakeholderGroup, closed_list};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

closed_list!(
    /// What a call collects.
    CallKind, "call kind" {
        SessionProposals => ("session_proposals", "Session proposals"),
        TravelSupport => ("travel_support", "Travel support"),
        Mentorship => ("mentorship", "Mentorship"),
        Volunteers => ("volunteers", "Volunteers"),
        SpeakerSuggestions => ("speaker_suggestions", "Speaker suggestions"),
    }
);

closed_list!(
    /// The types of session a proposal may be for.
    SessionType, "session type" {
        Workshop => ("workshop", "Workshop"),
        OpenForum => ("open_forum", "Open forum"),
        LightningTalk => ("lightning_talk", "Lightning talk"),
        TownHall => ("town_hall", "Town hall"),
        LaunchAward => ("launch_award", "Launch or award"),
        Networking => ("networking", "Networking session"),
        DcSession => ("dc_session", "Dynamic coalition session"),
        NriSession => ("nri_session", "NRI session"),
    }
);

closed_list!(
    /// How a session takes place.
    SessionFormat, "session format" {
        Onsite => ("onsite", "Onsite"),
        Online => ("online", "Online"),
        Hybrid => ("hybrid", "Hybrid"),
    }
);

closed_list!(
    /// Where a submission stands.
    SubmissionStatus, "submission status" {
        Draft => ("draft", "Draft"),
        Submitted => ("submitted", "Submitted"),
        ChangesRequested => ("changes_requested", "Changes requested"),
        Accepted => ("accepted", "Accepted"),
        Rejected => ("rejected", "Rejected"),
        Merged => ("merged", "Merged into another"),
        Withdrawn => ("withdrawn", "Withdrawn"),
    }
);

impl SubmissionStatus {
    /// Whether its proposers may still change it (the call's deadline aside).
    pub fn editable(self) -> bool {
        matches!(
            self,
            SubmissionStatus::Draft
                | SubmissionStatus::Submitted
                | SubmissionStatus::ChangesRequested
        )
    }

    /// Whether it counts towards the limit of submissions per person.
    pub fn counts(self) -> bool {
        !matches!(self, SubmissionStatus::Draft | SubmissionStatus::Withdrawn)
    }
}

/// The window and rules of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallRules {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Submissions one person may send (as proposer or co-proposer); `None`: no limit.
    pub max_per_person: Option<u32>,
    /// Submitted proposals may be changed until the call closes.
    pub editable_until_close: bool,
}

/// Why a submission is refused now: the text is shown as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotOpen,
    Closed,
    LimitReached(u32),
    Locked,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotOpen => f.write_str("this call has not opened yet"),
            Refusal::Closed => f.write_str(
                "this call closed: submissions are no longer accepted (drafts are kept)",
            ),
            Refusal::LimitReached(n) => {
                write!(f, "a person may send {n} submission(s) to this call")
            }
            Refusal::Locked => f.write_str("this submission can no longer be changed"),
        }
    }
}

impl CallRules {
    /// Whether the call accepts submissions at `now` (opening included, closing not).
    pub fn window(&self, now: DateTime<Utc>) -> Result<(), Refusal> {
        if now < self.opens_at {
            Err(Refusal::NotOpen)
        } else if now >= self.closes_at {
            Err(Refusal::Closed)
        } else {
            Ok(())
        }
    }

    /// Whether a draft may be submitted by someone who has `already` sent that many.
    pub fn may_submit(&self, now: DateTime<Utc>, already: u32) -> Result<(), Refusal> {
        self.window(now)?;
        match self.max_per_person {
            Some(max) if already >= max => Err(Refusal::LimitReached(max)),
            _ => Ok(()),
        }
    }

    /// Whether a submission in `status` may be changed at `now`. Drafts may always be
    /// kept and edited; sent ones until the call closes if the call allows it; one sent
    /// back for changes until it is sent again.
    pub fn may_edit(&self, status: SubmissionStatus, now: DateTime<Utc>) -> Result<(), Refusal> {
        match status {
            SubmissionStatus::Draft | SubmissionStatus::ChangesRequested => Ok(()),
            SubmissionStatus::Submitted if self.editable_until_close => {
                self.window(now).map_err(|_| Refusal::Locked)
            }
            _ => Err(Refusal::Locked),
        }
    }
}

// ------------------------------------------------------------------ proposals

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 6000;
pub const MAX_SPEAKERS: usize = 12;

/// A speaker or organizer of a proposed session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SpeakerInput {
    pub name: String,
    pub organization: String,
    pub stakeholder_group: String,
    pub country: String,
    /// Self-described; free text, optional.
    pub gender: String,
    /// Speaker, or organizer (who may also speak).
    pub organizer: bool,
}

/// A session proposal as typed (form or JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ProposalInput {
    pub title: String,
    pub session_type: String,
    pub theme: String,
    pub sub_theme: String,
    pub format: String,
    pub description: String,
    /// One per line.
    pub policy_questions: String,
    pub speakers: Vec<SpeakerInput>,
}

/// A checked speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    pub name: String,
    pub organization: String,
    pub stakeholder_group: StakeholderGroup,
    /// Alpha-2 code.
    pub country: String,
    pub gender: Option<String>,
    pub organizer: bool,
}

/// A checked session proposal (what a submission of a session-proposals call stores).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub title: String,
    pub session_type: SessionType,
    pub theme: String,
    pub sub_theme: Option<String>,
    pub format: SessionFormat,
    pub description: String,
    pub policy_questions: Vec<String>,
    pub speakers: Vec<Speaker>,
}

fn text(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(field, Problem::TooLong { max }));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new(
            field,
            Problem::Invalid("control characters are not allowed"),
        ));
    }
    Ok(value.to_owned())
}

impl SpeakerInput {
    /// Checks one speaker on their own (the errors name `speakers` and the speaker).
    pub fn check(&self) -> Result<Speaker, FieldError> {
        speaker(self)
    }
}

fn speaker(s: &SpeakerInput) -> Result<Speaker, FieldError> {
    // Dynamic lists have no field of their own: the errors name `speakers` and say which.
    let fail = |what: &str, problem: Problem| {
        let who = if s.name.trim().is_empty() {
            "a speaker".to_owned()
        } else {
            s.name.trim().to_owned()
        };
        FieldError::new(
            "speakers",
            Problem::Explained(format!("{who}: {what} {problem}")),
        )
    };
    let name = text("name", &s.name, 200).map_err(|e| fail("the name", e.problem))?;
    let organization = text("organization", &s.organization, 200)
        .map_err(|e| fail("the organization", e.problem))?;
    let stakeholder_group =
        StakeholderGroup::parse_field("stakeholder_group", &s.stakeholder_group)
            .map_err(|e| fail("the stakeholder group", e.problem))?;
    let country = Country::parse("country", &s.country)
        .map_err(|e| fail("the country", e.problem))?
        .code()
        .to_owned();
    let gender = match s.gender.trim() {
        "" => None,
        g => Some(text("gender", g, 60).map_err(|e| fail("the gender", e.problem))?),
    };
    Ok(Speaker {
        name,
        organization,
        stakeholder_group,
        country,
        gender,
        organizer: s.organizer,
    })
}

impl ProposalInput {
    /// Checks a proposal for sending; every wrong field is named at once. `themes` are
    /// the call's themes (any theme when empty).
    pub fn check(&self, themes: &[String]) -> Result<Proposal, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let title = take(e, text("title", &self.title, MAX_TITLE));
        let session_type = take(
            e,
            SessionType::parse_field("session_type", &self.session_type),
        );
        let theme = take(
            e,
            text("theme", &self.theme, 200).and_then(|t| {
                if themes.is_empty() || themes.iter().any(|known| known == &t) {
                    Ok(t)
                } else {
                    Err(FieldError::new(
                        "theme",
                        Problem::Unknown("theme of this call"),
                    ))
                }
            }),
        );
        let sub_theme = match self.sub_theme.trim() {
            "" => Some(None),
            s => take(e, text("sub_theme", s, 200)).map(Some),
        };
        let format = take(e, SessionFormat::parse_field("format", &self.format));
        let description = take(e, text("description", &self.description, MAX_DESCRIPTION));
        let policy_questions: Vec<String> = self
            .policy_questions
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if policy_questions.is_empty() {
            take(
                e,
                Err::<(), _>(FieldError::new("policy_questions", Problem::Required)),
            );
        }
        let speakers: Vec<Speaker> = self
            .speakers
            .iter()
            .filter(|s| *s != &SpeakerInput::default())
            .filter_map(|s| take(e, speaker(s)))
            .collect();
        if self.speakers.iter().all(|s| s == &SpeakerInput::default()) {
            take(
                e,
                Err::<(), _>(FieldError::new(
                    "speakers",
                    Problem::Invalid("a session needs at least one speaker or organizer"),
                )),
            );
        } else if speakers.len() > MAX_SPEAKERS {
            take(
                e,
                Err::<(), _>(FieldError::new(
                    "speakers",
                    Problem::Explained(format!("at most {MAX_SPEAKERS} speakers and organizers")),
                )),
            );
        }
        match (title, session_type, theme, sub_theme, format, description) {
            (
                Some(title),
                Some(session_type),
                Some(theme),
                Some(sub_theme),
                Some(format),
                Some(description),
            ) if errors.is_empty() => Ok(Proposal {
                title,
                session_type,
                theme,
                sub_theme,
                format,
                description,
                policy_questions,
                speakers,
            }),
            _ => Err(errors),
        }
    }
}

// ------------------------------------------------------------------ review and decisions

/// Who a reviewer is, for finding conflicts of interest.
#[derive(Debug, Clone, Copy)]
pub struct ReviewerIdentity<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub organization: &'a str,
}

/// Who a submission is by: its proposers' accounts and its speakers.
#[derive(Debug, Clone, Copy)]
pub struct Authorship<'a> {
    pub proposers: &'a [i64],
    pub speakers: &'a [Speaker],
}

/// The conflict of interest that follows from who is who, if any: the reviewer
/// proposes the submission, speaks in it, or works for a speaker's organization.
/// Names and organizations are compared by their search keys (case, accents and
/// punctuation aside). Declared conflicts come on top.
pub fn automatic_conflict(r: ReviewerIdentity<'_>, s: Authorship<'_>) -> Option<&'static str> {
    use crate::search::search_key;
    if s.proposers.contains(&r.user_id) {
        return Some("proposes this submission");
    }
    let name = search_key(r.name);
    if !name.is_empty() && s.speakers.iter().any(|sp| search_key(&sp.name) == name) {
        return Some("speaks in this session");
    }
    let organization = search_key(r.organization);
    if !organization.is_empty()
        && s.speakers
            .iter()
            .any(|sp| search_key(&sp.organization) == organization)
    {
        return Some("same organization as a speaker");
    }
    None
}

closed_list!(
    /// What the committee decides about a submission.
    Decision, "decision" {
        Accept => ("accept", "Accept"),
        Reject => ("reject", "Reject"),
        Merge => ("merge", "Merge with another submission"),
        RequestChanges => ("request_changes", "Request changes"),
    }
);

impl Decision {
    /// The status a submission gets.
    pub fn status(self) -> SubmissionStatus {
        match self {
            Decision::Accept => SubmissionStatus::Accepted,
            Decision::Reject => SubmissionStatus::Rejected,
            Decision::Merge => SubmissionStatus::Merged,
            Decision::RequestChanges => SubmissionStatus::ChangesRequested,
        }
    }

    /// The mail kind that tells the proposers.
    pub fn mail_kind(self) -> &'static str {
        match self {
            Decision::Accept => "submission_accepted",
            Decision::Reject => "submission_rejected",
            Decision::Merge => "submission_merged",
            Decision::RequestChanges => "submission_changes_requested",
        }
    }
}

impl SubmissionStatus {
    /// Whether the committee may decide about (or revise its decision on) a submission
    /// in this status: sent ones and decided ones, not drafts, withdrawn or merged ones
    /// (a merge moved its proposers to the other submission).
    pub fn decidable(self) -> bool {
        matches!(
            self,
            SubmissionStatus::Submitted
                | SubmissionStatus::Accepted
                | SubmissionStatus::Rejected
                | SubmissionStatus::ChangesRequested
        )
    }

    /// Whether a submission in this status may absorb another in a merge.
    pub fn may_absorb(self) -> bool {
        matches!(
            self,
            SubmissionStatus::Submitted | SubmissionStatus::Accepted
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, day, hour, 0, 0)
            .single()
            .expect("instant")
    }

    fn rules() -> CallRules {
        CallRules {
            opens_at: at(1, 0),
            closes_at: at(15, 12),
            max_per_person: Some(2),
            editable_until_close: true,
        }
    }

    #[test]
    fn the_window_opens_and_closes_on_the_instant() {
        let r = rules();
        assert_eq!(
            r.window(at(1, 0) - chrono::Duration::seconds(1)),
            Err(Refusal::NotOpen)
        );
        assert_eq!(r.window(at(1, 0)), Ok(()));
        assert_eq!(r.window(at(15, 12) - chrono::Duration::seconds(1)), Ok(()));
        assert_eq!(r.window(at(15, 12)), Err(Refusal::Closed));
        assert!(Refusal::Closed.to_string().contains("closed"));
    }

    #[test]
    fn a_person_may_send_only_so_many() {
        let r = rules();
        assert_eq!(r.may_submit(at(2, 0), 1), Ok(()));
        assert_eq!(r.may_submit(at(2, 0), 2), Err(Refusal::LimitReached(2)));
        assert_eq!(
            CallRules {
                max_per_person: None,
                ..r
            }
            .may_submit(at(2, 0), 99),
            Ok(())
        );
        assert_eq!(r.may_submit(at(16, 0), 0), Err(Refusal::Closed));
    }

    #[test]
    fn what_may_be_edited_when() {
        use SubmissionStatus::*;
        let r = rules();
        assert_eq!(r.may_edit(Draft, at(20, 0)), Ok(()), "drafts are kept");
        assert_eq!(r.may_edit(Submitted, at(2, 0)), Ok(()));
        assert_eq!(r.may_edit(Submitted, at(20, 0)), Err(Refusal::Locked));
        assert_eq!(r.may_edit(ChangesRequested, at(20, 0)), Ok(()));
        for s in [Accepted, Rejected, Merged, Withdrawn] {
            assert_eq!(r.may_edit(s, at(2, 0)), Err(Refusal::Locked), "{s:?}");
        }
        let fixed = CallRules {
            editable_until_close: false,
            ..r
        };
        assert_eq!(fixed.may_edit(Submitted, at(2, 0)), Err(Refusal::Locked));
        assert!(Submitted.counts() && !Draft.counts() && !Withdrawn.counts());
    }

    fn proposal() -> ProposalInput {
        ProposalInput {
            title: "Community networks in rural areas".into(),
            session_type: "workshop".into(),
            theme: "Universal access".into(),
            sub_theme: String::new(),
            format: "hybrid".into(),
            description: "How community networks connect the last billion.".into(),
            policy_questions: "What regulation helps?\n\n Who pays? ".into(),
            speakers: vec![SpeakerInput {
                name: "Amina Diallo".into(),
                organization: "Rural Connect".into(),
                stakeholder_group: "civil_society".into(),
                country: "sn".into(),
                gender: String::new(),
                organizer: true,
            }],
        }
    }

    #[test]
    fn a_good_proposal_comes_out_normalised() {
        let p = proposal()
            .check(&["Universal access".into()])
            .expect("valid");
        assert_eq!(p.policy_questions, ["What regulation helps?", "Who pays?"]);
        assert_eq!(p.speakers[0].country, "SN");
        assert_eq!(p.sub_theme, None);
        assert_eq!(p.format, SessionFormat::Hybrid);
    }

    #[test]
    fn every_wrong_field_is_named() {
        let mut bad = proposal();
        bad.title = " ".into();
        bad.session_type = "keynote".into();
        bad.theme = "Space".into();
        bad.policy_questions = String::new();
        bad.speakers[0].country = "XX".into();
        let errors = bad
            .check(&["Universal access".into()])
            .expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "title",
                "session_type",
                "theme",
                "policy_questions",
                "speakers"
            ]
        );
        assert!(
            errors[4]
                .problem
                .to_string()
                .contains("Amina Diallo: the country")
        );
        let mut none = proposal();
        none.speakers = vec![SpeakerInput::default()];
        let errors = none.check(&[]).expect_err("no speaker");
        assert_eq!(errors[0].field, "speakers");
    }

    fn speaker_of(name: &str, organization: &str) -> Speaker {
        Speaker {
            name: name.into(),
            organization: organization.into(),
            stakeholder_group: StakeholderGroup::CivilSociety,
            country: "KE".into(),
            gender: None,
            organizer: false,
        }
    }

    #[test]
    fn conflicts_follow_from_who_is_who() {
        let speakers = [
            speaker_of("Amina Yusuf", "Kenya ICT Action Network"),
            speaker_of("Lars Berg", ""),
        ];
        let by = Authorship {
            proposers: &[7],
            speakers: &speakers,
        };
        let reviewer = |user_id, name, organization| ReviewerIdentity {
            user_id,
            name,
            organization,
        };
        assert_eq!(
            automatic_conflict(reviewer(7, "X", ""), by),
            Some("proposes this submission")
        );
        assert_eq!(
            automatic_conflict(reviewer(8, "amina  YUSUF", "Other"), by),
            Some("speaks in this session")
        );
        assert_eq!(
            automatic_conflict(reviewer(9, "Jo", "kenya ict action network"), by),
            Some("same organization as a speaker")
        );
        // An empty organization matches nothing.
        assert_eq!(automatic_conflict(reviewer(10, "Jo", ""), by), None);
    }

    #[test]
    fn decisions_move_only_sent_or_decided_submissions() {
        for d in Decision::ALL {
            assert!(d.status().decidable() || *d == Decision::Merge);
        }
        assert!(!SubmissionStatus::Draft.decidable());
        assert!(!SubmissionStatus::Merged.decidable());
        assert!(!SubmissionStatus::Withdrawn.decidable());
        assert!(SubmissionStatus::Accepted.may_absorb());
        assert!(!SubmissionStatus::Rejected.may_absorb());
    }
}
