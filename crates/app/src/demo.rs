//! A small fictional forum for trying Plenary out: `plenary serve --demo`.
//! Every name and organization here is invented.

use crate::{
    App, AppError, AttendeeInput, BodyInput, Caller, DayInput, ItemInput, MeetingInput,
    MembershipInput, NewAccount, OrganizationInput, PersonInput, RoomInput,
};
use plenary_domain::{Grant, Role, Scope};

/// The password of every demo account. Demo databases are for trying things out only.
pub const DEMO_PASSWORD: &str = "plenary-demo";

/// (e-mail, name, role) of the demo accounts; the first is the secretariat. The chair
/// chairs the demo working group on strategy.
pub const DEMO_ACCOUNTS: &[(&str, &str, Role)] = &[
    (
        "secretariat@demo.plenary.example",
        "Amara Okafor",
        Role::Secretariat,
    ),
    (
        "chair@demo.plenary.example",
        "Guðrún Jónsdóttir",
        Role::Chair,
    ),
    (
        "member@demo.plenary.example",
        "Rafael Ramírez García",
        Role::Member,
    ),
    (
        "reviewer@demo.plenary.example",
        "Mei Lin Chen",
        Role::Reviewer,
    ),
    (
        "proposer@demo.plenary.example",
        "Nadia Haddad",
        Role::Proposer,
    ),
    (
        "registrant@demo.plenary.example",
        "Ivan Petrov",
        Role::Registrant,
    ),
];

/// (short name, full name, kind, parent short name, mandate).
const BODIES: &[(&str, &str, &str, Option<&str>, &str)] = &[
    (
        "MAG",
        "Multistakeholder Advisory Group",
        "advisory_group",
        None,
        "Advises on the programme and schedule of the annual meeting of the Open Internet Forum.",
    ),
    (
        "Secretariat",
        "Forum Secretariat",
        "secretariat",
        None,
        "Runs the forum's yearly cycle.",
    ),
    (
        "LP",
        "Leadership Panel",
        "leadership_panel",
        None,
        "Gives strategic advice and raises the forum's profile.",
    ),
    (
        "WG-Strategy",
        "MAG Working Group on Strategy",
        "working_group",
        Some("MAG"),
        "Prepares the forum's strategic plan.",
    ),
    (
        "WG-WSP",
        "MAG Working Group on Workshop Processes",
        "working_group",
        Some("MAG"),
        "Improves the call for session proposals and its review.",
    ),
    (
        "WG-Hybrid",
        "MAG Working Group on Hybrid Meetings",
        "working_group",
        Some("MAG"),
        "Makes remote participation equal to being in the room.",
    ),
    (
        "BPF-Cyber",
        "Best Practice Forum on Cybersecurity",
        "best_practice_forum",
        None,
        "Collects good practice on norms for a secure Internet.",
    ),
    (
        "PNAI",
        "Policy Network on Artificial Intelligence",
        "policy_network",
        None,
        "Brings together perspectives on AI governance.",
    ),
    (
        "PNAI-Interop",
        "PNAI subgroup on interoperability",
        "subgroup",
        Some("PNAI"),
        "",
    ),
    (
        "PNAI-Liability",
        "PNAI subgroup on liability",
        "subgroup",
        Some("PNAI"),
        "",
    ),
    (
        "PNAI-Environment",
        "PNAI subgroup on environmental sustainability",
        "subgroup",
        Some("PNAI"),
        "",
    ),
    (
        "PNAI-Labour",
        "PNAI subgroup on labour",
        "subgroup",
        Some("PNAI"),
        "",
    ),
    (
        "DC-Youth",
        "Dynamic Coalition on Youth Participation",
        "dynamic_coalition",
        None,
        "",
    ),
    (
        "DC-Access",
        "Dynamic Coalition on Community Connectivity",
        "dynamic_coalition",
        None,
        "",
    ),
    (
        "NRI-Lakeland",
        "Lakeland National Internet Forum",
        "national_regional_initiative",
        None,
        "",
    ),
    (
        "NRI-Coastal",
        "Coastal Region Internet Governance Forum",
        "national_regional_initiative",
        None,
        "",
    ),
    (
        "Youth",
        "Youth Track",
        "youth_track",
        None,
        "Capacity building for young participants.",
    ),
];

/// (family, given, organization index, group, country, time zone, e-mail of the demo account).
type DemoPerson = (
    &'static str,
    &'static str,
    usize,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const PEOPLE: &[DemoPerson] = &[
    (
        "Okafor",
        "Amara",
        0,
        "intergovernmental_organization",
        "NG",
        "Europe/Zurich",
        Some("secretariat@demo.plenary.example"),
    ),
    (
        "Jónsdóttir",
        "Guðrún",
        1,
        "government",
        "IS",
        "Atlantic/Reykjavik",
        Some("chair@demo.plenary.example"),
    ),
    (
        "Ramírez García",
        "Rafael",
        2,
        "civil_society",
        "MX",
        "America/Mexico_City",
        Some("member@demo.plenary.example"),
    ),
    (
        "Chen",
        "Mei Lin",
        3,
        "technical_community",
        "SG",
        "Asia/Singapore",
        Some("reviewer@demo.plenary.example"),
    ),
    (
        "Haddad",
        "Nadia",
        4,
        "private_sector",
        "LB",
        "Asia/Beirut",
        Some("proposer@demo.plenary.example"),
    ),
    (
        "Petrov",
        "Ivan",
        2,
        "civil_society",
        "BG",
        "Europe/Sofia",
        Some("registrant@demo.plenary.example"),
    ),
    (
        "Mwangi",
        "Wanjiru",
        3,
        "technical_community",
        "KE",
        "Africa/Nairobi",
        None,
    ),
    (
        "Núñez",
        "Lucía",
        1,
        "government",
        "UY",
        "America/Montevideo",
        None,
    ),
    (
        "Al-Sayed",
        "Karim",
        4,
        "private_sector",
        "EG",
        "Africa/Cairo",
        None,
    ),
    (
        "Kowalczyk",
        "Zofia",
        2,
        "civil_society",
        "PL",
        "Europe/Warsaw",
        None,
    ),
    (
        "Tanaka",
        "Haruto",
        3,
        "technical_community",
        "JP",
        "Asia/Tokyo",
        None,
    ),
    ("Sefo", "", 1, "government", "WS", "Pacific/Apia", None),
];

const ORGANIZATIONS: &[(&str, &str, &str)] = &[
    (
        "Open Internet Forum Secretariat",
        "intergovernmental_organization",
        "CH",
    ),
    (
        "Ministry of Digital Affairs of Lakeland",
        "government",
        "IS",
    ),
    ("Free Net Alliance", "civil_society", "MX"),
    (
        "Regional Network Operators Group",
        "technical_community",
        "SG",
    ),
    ("Bytebridge Ltd", "private_sector", "LB"),
];

/// (person index, body short name, role, from).
const MEMBERSHIPS: &[(usize, &str, &str, &str)] = &[
    (1, "MAG", "chair", "2026-01-01"),
    (1, "WG-Strategy", "chair", "2026-01-01"),
    (2, "MAG", "member", "2025-01-01"),
    (2, "WG-Strategy", "member", "2026-01-01"),
    (3, "MAG", "member", "2025-01-01"),
    (6, "MAG", "member", "2024-01-01"),
    (6, "WG-WSP", "co_facilitator", "2026-01-01"),
    (7, "MAG", "member", "2026-01-01"),
    (8, "MAG", "member", "2026-01-01"),
    (9, "WG-Hybrid", "co_facilitator", "2026-01-01"),
    (10, "PNAI", "co_chair", "2026-01-01"),
    (11, "NRI-Coastal", "member", "2025-06-01"),
    (0, "Secretariat", "staff", "2023-01-01"),
];

impl App {
    /// Fills an empty database with the demo forum; returns false (and changes nothing)
    /// when the database has accounts already.
    pub fn load_demo(&self) -> Result<bool, AppError> {
        if self.has_accounts()? {
            return Ok(false);
        }
        let (email, name, _) = DEMO_ACCOUNTS[0];
        let admin = self.bootstrap_admin(email, name, DEMO_PASSWORD)?;
        let caller = Caller {
            principal: plenary_domain::Principal::User {
                id: admin.user.id,
                grants: admin.grants.clone(),
            },
            label: admin.user.email.clone(),
            client_ip: None,
        };
        let bodies = self.demo_bodies(&caller)?;
        let chaired = bodies
            .iter()
            .find(|(short, _)| *short == "WG-Strategy")
            .map_or(0, |(_, id)| *id);
        for &(email, name, role) in &DEMO_ACCOUNTS[1..] {
            let scope = if role == Role::Chair {
                Scope::Body(chaired)
            } else {
                Scope::Global
            };
            let account = NewAccount {
                email: email.into(),
                display_name: name.into(),
                password: DEMO_PASSWORD.into(),
                grants: vec![Grant { role, scope }],
            };
            self.create_user(&caller, &account)?;
        }
        self.demo_people(&caller, &bodies)?;
        let event = self.demo_event(&caller)?;
        self.demo_calls(&caller, event)?;
        self.demo_programme(&caller, event)?;
        Ok(true)
    }

    /// The annual meeting, open for registration: a small onsite category that is full
    /// (so that the next registrant sees the waiting list) and an unlimited online one.
    fn demo_event(&self, caller: &Caller) -> Result<i64, AppError> {
        use crate::registration::{CategoryInput, EventInput, QuestionInput, RegistrationInput};
        let now = self.now();
        // Days from today, at 09:00 in Nairobi.
        let local = |days: i64| {
            (now + chrono::Duration::days(days))
                .format("%Y-%m-%dT09:00")
                .to_string()
        };
        let event = self.save_event(
            caller,
            None,
            &EventInput {
                title: "Annual Forum of the Lakeside Internet Forum".into(),
                venue: "Lakeside Convention Centre, Nairobi".into(),
                time_zone: "Africa/Nairobi".into(),
                starts_at: local(60),
                ends_at: local(64),
                registration_opens_at: local(-1),
                registration_closes_at: local(50),
                changes_until: local(55),
                public_list: true,
                visa_letters: true,
                visa_retention_days: String::new(),
            },
        )?;
        let onsite = self.save_category(
            caller,
            event.id,
            None,
            &CategoryInput {
                name: "Onsite".into(),
                mode: "onsite".into(),
                capacity: "3".into(),
                needs_approval: false,
            },
        )?;
        self.save_category(
            caller,
            event.id,
            None,
            &CategoryInput {
                name: "Online".into(),
                mode: "online".into(),
                capacity: String::new(),
                needs_approval: false,
            },
        )?;
        for (key, label, kind, required, options) in [
            (
                "diet",
                "Dietary needs",
                "choice",
                false,
                "None\nVegetarian\nVegan\nHalal",
            ),
            (
                "code_of_conduct",
                "I accept the code of conduct",
                "checkbox",
                true,
                "",
            ),
        ] {
            self.add_question(
                caller,
                event.id,
                &QuestionInput {
                    key: key.into(),
                    label: label.into(),
                    kind: kind.into(),
                    required,
                    options: options.into(),
                },
            )?;
        }
        for (family, given, country) in [
            ("Wanjiru", "Achieng", "KE"),
            ("Haddad", "Layla", "JO"),
            ("Kowalczyk", "Piotr", "PL"),
        ] {
            let mut answers = std::collections::BTreeMap::new();
            answers.insert("code_of_conduct".to_owned(), vec!["yes".to_owned()]);
            let registered = self.register(
                &Caller::anonymous(None),
                event.id,
                &RegistrationInput {
                    category_id: onsite.id.to_string(),
                    email: format!("{}@example.org", given.to_lowercase()),
                    family_name: family.into(),
                    given_name: given.into(),
                    organization: "Lakeside Internet Society".into(),
                    country: country.into(),
                    answers,
                    listed: true,
                },
            )?;
            if family == "Haddad"
                && let Some(token) = &registered.manage_token
            {
                self.demo_visa_request(token, now)?;
            }
        }
        Ok(event.id)
    }

    /// The annual meeting's programme: three rooms, three days of three timeslots,
    /// main sessions and workshops with shared speakers (one online from Auckland),
    /// placed by the scheduler and published.
    fn demo_programme(&self, caller: &Caller, event: i64) -> Result<(), AppError> {
        use crate::programme::TimeslotInput;
        use plenary_domain::programme::{PersonInput, RoomInput, SessionInput};
        let now = self.now();
        for (name, capacity, hybrid) in [
            ("Main hall", "600", true),
            ("Room A", "120", true),
            ("Room B", "80", false),
        ] {
            self.save_programme_room(
                caller,
                event,
                None,
                &RoomInput {
                    name: name.into(),
                    capacity: capacity.into(),
                    hybrid,
                },
            )?;
        }
        let dates: Vec<String> = (60..63)
            .map(|d| {
                (now + chrono::Duration::days(d))
                    .format("%Y-%m-%d")
                    .to_string()
            })
            .collect();
        self.add_programme_timeslots(
            caller,
            event,
            &TimeslotInput {
                dates: dates.join(" "),
                times: "09:00 11:00 15:00".into(),
                minutes: "90".into(),
            },
        )?;
        let person = |name: &str, role: &str| PersonInput {
            name: name.into(),
            role: role.into(),
            ..PersonInput::default()
        };
        let sessions = [
            (
                "Opening: an internet for everyone",
                "main",
                "Digital cooperation",
                "500",
                "hybrid",
                vec![
                    person("Amara Okafor", "moderator"),
                    person("Guðrún Jónsdóttir", "speaker"),
                ],
            ),
            (
                "Closing and messages",
                "main",
                "Digital cooperation",
                "450",
                "hybrid",
                vec![
                    person("Amara Okafor", "moderator"),
                    person("Rafael Ramírez García", "rapporteur"),
                ],
            ),
            (
                "AI in public services",
                "main",
                "AI and emerging technologies",
                "400",
                "hybrid",
                vec![
                    person("Mei Lin Chen", "moderator"),
                    person("Ivan Petrov", "speaker"),
                ],
            ),
            (
                "Community networks for the last mile",
                "workshop",
                "Universal and meaningful access",
                "90",
                "hybrid",
                vec![
                    person("Nadia Haddad", "moderator"),
                    PersonInput {
                        name: "Mere Tane".into(),
                        role: "speaker".into(),
                        online: true,
                        time_zone: "Pacific/Auckland".into(),
                    },
                ],
            ),
            (
                "Routing security in small island states",
                "lightning_talk",
                "Trust and security",
                "60",
                "onsite",
                vec![person("Rafael Ramírez García", "speaker")],
            ),
            (
                "Open-source models in public services",
                "open_forum",
                "AI and emerging technologies",
                "100",
                "hybrid",
                vec![
                    person("Ivan Petrov", "moderator"),
                    person("Mei Lin Chen", "speaker"),
                ],
            ),
            (
                "Youth voices in digital cooperation",
                "town_hall",
                "Digital cooperation",
                "80",
                "onsite",
                vec![person("Layla Haddad", "moderator")],
            ),
            (
                "Affordable devices",
                "workshop",
                "Universal and meaningful access",
                "70",
                "onsite",
                vec![
                    person("Achieng Wanjiru", "speaker"),
                    person("Nadia Haddad", "speaker"),
                ],
            ),
            (
                "Incident response across borders",
                "workshop",
                "Trust and security",
                "100",
                "hybrid",
                vec![
                    person("Piotr Kowalczyk", "moderator"),
                    person("Guðrún Jónsdóttir", "speaker"),
                ],
            ),
        ];
        for (title, kind, theme, audience, format, people) in sessions {
            self.save_programme_session(
                caller,
                event,
                None,
                &SessionInput {
                    title: title.into(),
                    session_type: kind.into(),
                    theme: theme.into(),
                    description: format!("{title}: the session's speakers and the room discuss, then agree on three messages."),
                    duration: "90".into(),
                    expected_audience: audience.into(),
                    format: format.into(),
                    language: "English".into(),
                    people,
                    ..SessionInput::default()
                },
            )?;
        }
        self.run_scheduler(caller, event, 1)?;
        self.publish_programme(caller, event, true)
    }

    /// A demo account acting as itself (its grants as created).
    fn demo_caller(&self, email: &str) -> Result<Caller, AppError> {
        let user = self
            .db()
            .read(|tx| plenary_store::users::by_email(tx, email))?
            .ok_or(AppError::NotFound)?;
        let grants = self
            .db()
            .read(|tx| plenary_store::users::grants(tx, user.id))?;
        Ok(Caller {
            principal: plenary_domain::Principal::User {
                id: user.id,
                grants,
            },
            label: user.email,
            client_ip: None,
        })
    }

    /// The call for workshop proposals, open, with proposals sent, a reviewer pool, the
    /// assignment run and a first review; and a travel-support call that opens once a
    /// participant's registration is confirmed, for LDC, LLDC and SIDS participants.
    fn demo_calls(&self, caller: &Caller, event: i64) -> Result<(), AppError> {
        use crate::calls::{CallInput, CallQuestionInput, SubmissionInput};
        use crate::review::ReviewerInput;
        use plenary_domain::calls::{ProposalInput, SpeakerInput};
        let now = self.now();
        let local = |days: i64| {
            (now + chrono::Duration::days(days))
                .format("%Y-%m-%dT12:00")
                .to_string()
        };
        let workshops = self.save_call(
            caller,
            None,
            &CallInput {
                kind: "session_proposals".into(),
                title: "Call for workshop proposals".into(),
                description: "Propose a workshop, open forum or lightning talk for the annual forum. \
                    Sessions should bring together speakers of different stakeholder groups and regions."
                    .into(),
                time_zone: "Africa/Nairobi".into(),
                opens_at: local(-10),
                closes_at: local(20),
                max_per_person: "3".into(),
                editable_until_close: true,
                themes: "Universal and meaningful access\nAI and emerging technologies\nTrust and security\nDigital cooperation".into(),
                reviewers_per_submission: "2".into(),
                criteria: "Relevance to the themes\nDiversity of speakers\nInteractivity".into(),
                ..CallInput::default()
            },
        )?;
        let call = workshops.call.id;
        let speaker =
            |name: &str, org: &str, group: &str, country: &str, gender: &str| SpeakerInput {
                name: name.into(),
                organization: org.into(),
                stakeholder_group: group.into(),
                country: country.into(),
                gender: gender.into(),
                organizer: false,
            };
        let proposals = [
            (
                "proposer@demo.plenary.example",
                "Community networks for the last mile",
                "workshop",
                "Universal and meaningful access",
                vec![
                    speaker(
                        "Nadia Haddad",
                        "Free Net Alliance",
                        "civil_society",
                        "MX",
                        "female",
                    ),
                    speaker(
                        "Tomasz Wróbel",
                        "Ministry of Digital Affairs of Lakeland",
                        "government",
                        "IS",
                        "male",
                    ),
                ],
            ),
            (
                "registrant@demo.plenary.example",
                "Open-source models in public services",
                "open_forum",
                "AI and emerging technologies",
                vec![
                    speaker(
                        "Ivan Petrov",
                        "Bytebridge Ltd",
                        "private_sector",
                        "LB",
                        "male",
                    ),
                    speaker(
                        "Aroha Ngata",
                        "Regional Network Operators Group",
                        "technical_community",
                        "SG",
                        "female",
                    ),
                ],
            ),
            (
                "member@demo.plenary.example",
                "Routing security in small island states",
                "lightning_talk",
                "Trust and security",
                vec![speaker(
                    "Rafael Ramírez García",
                    "Regional Network Operators Group",
                    "technical_community",
                    "SG",
                    "male",
                )],
            ),
        ];
        for (email, title, session_type, theme, speakers) in proposals {
            let who = self.demo_caller(email)?;
            let draft = self.save_submission(
                &who,
                call,
                None,
                &SubmissionInput {
                    proposal: ProposalInput {
                        title: title.into(),
                        session_type: session_type.into(),
                        theme: theme.into(),
                        sub_theme: String::new(),
                        format: "hybrid".into(),
                        description: format!("{title}: practitioners compare what worked and what did not, then the room decides on three recommendations."),
                        policy_questions: "What should governments do?\nWhat can communities do themselves?".into(),
                        speakers,
                    },
                    ..SubmissionInput::default()
                },
            )?;
            self.submit_submission(&who, draft.submission.id)?;
        }
        // A draft kept for later.
        let nadia = self.demo_caller("proposer@demo.plenary.example")?;
        self.save_submission(
            &nadia,
            call,
            None,
            &SubmissionInput {
                proposal: ProposalInput {
                    title: "Youth voices in digital cooperation".into(),
                    theme: "Digital cooperation".into(),
                    ..ProposalInput::default()
                },
                ..SubmissionInput::default()
            },
        )?;
        for (email, organization, group, expertise) in [
            (
                "reviewer@demo.plenary.example",
                "Lakeside University",
                "technical_community",
                "AI and emerging technologies\nTrust and security",
            ),
            (
                "chair@demo.plenary.example",
                "Ministry of Digital Affairs of Lakeland",
                "government",
                "Universal and meaningful access",
            ),
            (
                "member@demo.plenary.example",
                "Regional Network Operators Group",
                "technical_community",
                "Trust and security\nDigital cooperation",
            ),
        ] {
            self.save_reviewer(
                caller,
                call,
                &ReviewerInput {
                    email: email.into(),
                    max_load: "3".into(),
                    organization: organization.into(),
                    stakeholder_group: group.into(),
                    expertise: expertise.into(),
                },
            )?;
        }
        self.run_assignment(caller, call)?;
        let mei = self.demo_caller("reviewer@demo.plenary.example")?;
        if let Some(first) = self.my_assignments(&mei)?.first() {
            let scores = [
                ("Relevance to the themes", "4"),
                ("Diversity of speakers", "5"),
                ("Interactivity", "3"),
            ]
            .into_iter()
            .map(|(c, v)| (c.to_owned(), v.to_owned()))
            .collect();
            self.save_review(
                &mei,
                first.submission.id,
                &scores,
                "Clear plan; please say how online participants take part.",
            )?;
        }
        let suggestions = self.save_call(
            caller,
            None,
            &CallInput {
                kind: "speaker_suggestions".into(),
                title: "Speaker suggestions for the main sessions".into(),
                description:
                    "The working groups welcome suggestions of speakers for each main session: \
                    name the session, the people and why they should speak."
                        .into(),
                time_zone: "Africa/Nairobi".into(),
                opens_at: local(-3),
                closes_at: local(25),
                editable_until_close: true,
                ..CallInput::default()
            },
        )?;
        for (key, label, kind, required, options) in [
            (
                "main_session",
                "Main session",
                "choice",
                true,
                "Opening\nAI and emerging technologies\nUniversal and meaningful access\nClosing",
            ),
            ("speakers", "Suggested speakers", "person_list", true, ""),
            ("why", "Why these speakers?", "long_text", false, ""),
        ] {
            self.add_call_question(
                caller,
                suggestions.call.id,
                &CallQuestionInput {
                    key: key.into(),
                    label: label.into(),
                    kind: kind.into(),
                    required,
                    options: options.into(),
                    ..CallQuestionInput::default()
                },
            )?;
        }
        let travel = self.save_call(
            caller,
            None,
            &CallInput {
                kind: "travel_support".into(),
                title: "Travel support for the annual forum".into(),
                description: "Support for participants from least developed countries, landlocked developing \
                    countries and small island developing states whose registration is confirmed."
                    .into(),
                time_zone: "Africa/Nairobi".into(),
                opens_at: local(-5),
                closes_at: local(30),
                max_per_person: "1".into(),
                prerequisite: format!("registration:{event}"),
                country_groups: vec!["ldc".into(), "lldc".into(), "sids".into()],
                ..CallInput::default()
            },
        )?;
        for (key, label, kind, options) in [
            ("country", "Country of residence", "country", ""),
            (
                "support",
                "Support needed",
                "multi_choice",
                "Flight\nAccommodation\nDaily allowance",
            ),
            (
                "motivation",
                "Why do you want to take part?",
                "long_text",
                "",
            ),
        ] {
            self.add_call_question(
                caller,
                travel.call.id,
                &CallQuestionInput {
                    key: key.into(),
                    label: label.into(),
                    kind: kind.into(),
                    required: true,
                    options: options.into(),
                    ..CallQuestionInput::default()
                },
            )?;
        }
        Ok(())
    }

    /// A (fictional) visa letter request waiting for the secretariat.
    fn demo_visa_request(
        &self,
        token: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), AppError> {
        let day = |days: i64| {
            (now + chrono::Duration::days(days))
                .format("%Y-%m-%d")
                .to_string()
        };
        self.request_visa_letter(
            crate::visa::Holder::Token(token),
            &plenary_domain::visa::PassportInput {
                family_name: "Haddad".into(),
                given_names: "Layla".into(),
                nationality: "JO".into(),
                date_of_birth: "1991-09-14".into(),
                passport_number: "Q0000000".into(),
                issued_on: day(-700),
                expires_on: day(3000),
                issued_by: "Civil Status and Passports Department, Amman".into(),
                consulate: "Embassy of Kenya, Amman".into(),
                arrival_on: day(59),
                departure_on: day(65),
            },
        )?;
        Ok(())
    }

    fn demo_bodies(&self, caller: &Caller) -> Result<Vec<(&'static str, i64)>, AppError> {
        let mut ids: Vec<(&'static str, i64)> = Vec::new();
        for &(short, name, kind, parent, mandate) in BODIES {
            let parent_id =
                parent.and_then(|p| ids.iter().find(|(s, _)| *s == p).map(|(_, id)| *id));
            let input = BodyInput {
                parent_id,
                kind: kind.into(),
                short_name: short.into(),
                name: name.into(),
                mandate: mandate.into(),
            };
            ids.push((short, self.save_body(caller, None, &input)?.id));
        }
        Ok(ids)
    }

    fn demo_people(&self, caller: &Caller, bodies: &[(&'static str, i64)]) -> Result<(), AppError> {
        let mut orgs = Vec::new();
        for &(name, group, country) in ORGANIZATIONS {
            let input = OrganizationInput {
                name: name.into(),
                stakeholder_group: group.into(),
                country: country.into(),
            };
            orgs.push(self.save_organization(caller, None, &input)?.id);
        }
        let mut people = Vec::new();
        for &(family, given, org, group, country, zone, email) in PEOPLE {
            let input = PersonInput {
                family_name: family.into(),
                given_name: given.into(),
                organization_id: orgs.get(org).copied(),
                stakeholder_group: group.into(),
                country: country.into(),
                gender: String::new(),
                email: email.unwrap_or_default().into(),
                time_zone: zone.into(),
            };
            people.push(self.save_person(caller, None, &input)?.id);
        }
        for &(person, body, role, from) in MEMBERSHIPS {
            let body_id = bodies.iter().find(|(s, _)| *s == body).map(|(_, id)| *id);
            let input = MembershipInput {
                person_id: people.get(person).copied(),
                role: role.into(),
                starts_on: from.into(),
                ends_on: String::new(),
                liaison_body_id: None,
            };
            if let Some(body_id) = body_id {
                self.add_membership(caller, body_id, &input)?;
            }
        }
        if let (Some(mag), Some(youth), Some(&person)) = (
            bodies.iter().find(|(s, _)| *s == "MAG").map(|(_, id)| *id),
            bodies
                .iter()
                .find(|(s, _)| *s == "Youth")
                .map(|(_, id)| *id),
            people.get(9),
        ) {
            let liaison = MembershipInput {
                person_id: Some(person),
                role: "liaison".into(),
                starts_on: "2026-01-01".into(),
                ends_on: String::new(),
                liaison_body_id: Some(youth),
            };
            self.add_membership(caller, mag, &liaison)?;
        }
        for &(_, id) in bodies.iter().take(3) {
            for &person in &people[..4] {
                self.set_subscription(caller, id, person, true)?;
            }
        }
        if let Some(&(_, mag)) = bodies.iter().find(|(s, _)| *s == "MAG") {
            self.demo_meeting(caller, mag, &people)?;
        }
        Ok(())
    }

    /// A three-day open consultation and advisory-group meeting, shaped like the
    /// agendas secretariats publish.
    fn demo_meeting(&self, caller: &Caller, mag: i64, people: &[i64]) -> Result<(), AppError> {
        let input = MeetingInput {
            body_id: Some(mag),
            title: "Open Internet Forum 2026 Second Open Consultations and MAG Meeting".into(),
            kind: "open_consultation".into(),
            mode: "hybrid".into(),
            venue: "Lakeside Conference Centre".into(),
            time_zone: "Europe/Zurich".into(),
            starts_on: "2026-06-24".into(),
            starts_time: "10:00".into(),
            ends_on: "2026-06-26".into(),
            ends_time: "18:00".into(),
            description: "Open consultations with all stakeholders on day 1, followed by the advisory group's meeting, open to observers.".into(),
            published: true,
            join_url: "https://meet.jit.si/open-internet-forum-2026-mag".into(),
            stream_url: "https://live.example.org/oif-2026".into(),
        };
        let meeting = self.save_meeting(caller, None, &input)?.id;
        let room = self
            .add_room(
                caller,
                meeting,
                &RoomInput {
                    name: "Room Aurora".into(),
                    building: "Building B".into(),
                },
            )?
            .id;
        let days = [
            (
                "2026-06-24",
                "Open Consultations",
                "Draft programme outline\nIntersessional work plan",
                "Input to the programme\nLinks between intersessional work and the annual meeting",
            ),
            (
                "2026-06-25",
                "MAG Meeting (open to observers)",
                "Workshop evaluation criteria",
                "Agreed evaluation criteria",
            ),
            (
                "2026-06-26",
                "MAG Meeting (open to observers)",
                "",
                "Next steps for the programme",
            ),
        ];
        let mut day_ids = Vec::new();
        for (date, label, docs, outputs) in days {
            let d = DayInput {
                day: date.into(),
                room_id: Some(room),
                label: label.into(),
                input_documents: docs.into(),
                desired_outputs: outputs.into(),
                ..DayInput::default()
            };
            day_ids.push(self.save_day(caller, meeting, None, &d)?.id);
        }
        // (day index, number, title, starts, ends, interventions)
        let items: [(usize, &str, &str, &str, &str, &str); 9] = [
            (
                0,
                "1",
                "Welcome from the Chair and adoption of the agenda",
                "10:00",
                "10:30",
                "",
            ),
            (
                0,
                "2",
                "Update from the host country on preparations",
                "10:30",
                "12:30",
                "Ministry of Digital Affairs of Lakeland\nForum Secretariat",
            ),
            (0, "", "LUNCH BREAK", "13:00", "15:00", ""),
            (
                0,
                "3",
                "Intersessional work: reports and discussion",
                "15:00",
                "17:45",
                "Free Net Alliance\nRegional Network Operators Group\nBytebridge Ltd",
            ),
            (
                0,
                "",
                "Recap and closing of the Open Consultations",
                "",
                "",
                "",
            ),
            (
                1,
                "4",
                "Workshop proposals: evaluation process",
                "10:00",
                "13:00",
                "",
            ),
            (
                1,
                "5",
                "Main sessions: themes and sub-themes",
                "15:00",
                "18:00",
                "",
            ),
            (
                2,
                "6",
                "Working groups: updates",
                "10:00",
                "12:00",
                "WG-Strategy\nWG-WSP\nWG-Hybrid",
            ),
            (
                2,
                "7",
                "Any other business and closing",
                "15:00",
                "16:00",
                "",
            ),
        ];
        for (day, number, title, starts, ends, interventions) in items {
            let i = ItemInput {
                day_id: day_ids.get(day).copied(),
                number: number.into(),
                title: title.into(),
                starts: starts.into(),
                ends: ends.into(),
                interventions: interventions.into(),
                ..Default::default()
            };
            let item = self.save_item(caller, meeting, None, &i)?;
            if number == "4" {
                let sub = ItemInput {
                    day_id: day_ids.get(day).copied(),
                    parent_id: Some(item.id),
                    title: "Lessons from last year's review".into(),
                    ..Default::default()
                };
                self.save_item(caller, meeting, None, &sub)?;
            }
        }
        let groups = [
            (1, "MAG Chair"),
            (0, "Secretariat"),
            (7, "Host Country"),
            (2, "MAG members"),
            (3, "MAG members"),
            (6, "MAG members"),
            (10, "Observers"),
        ];
        for (person, group) in groups {
            let a = AttendeeInput {
                person_id: people.get(person).copied(),
                role_group: group.into(),
                status: "confirmed".into(),
            };
            self.set_attendee(caller, meeting, &a)?;
        }
        self.set_role_group_order(
            caller,
            meeting,
            "MAG Chair\nHost Country\nMAG members\nSecretariat\nObservers",
        )
    }
}
