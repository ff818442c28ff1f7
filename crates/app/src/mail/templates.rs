//! Templates per message kind: built-in defaults, the secretariat's edits, and
//! `{{placeholder}}` substitution (HTML-escaped in the HTML part).

use crate::accounts::require_permission;
use crate::audit::Change;
use crate::{App, AppError, Caller};
use chrono::{DateTime, Utc};
use plenary_domain::{FieldError, Permission, Problem};
use plenary_store::mail_templates::{self, Template};
use serde_json::json;

/// A value a template can use, written `{{name}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub name: &'static str,
    pub description: &'static str,
    /// Shown in previews.
    pub sample: &'static str,
}

/// A kind of message with its placeholders and default texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailKind {
    pub kind: &'static str,
    pub label: &'static str,
    pub placeholders: &'static [Placeholder],
    pub subject: &'static str,
    pub body_text: &'static str,
    pub body_html: &'static str,
}

impl MailKind {
    pub fn has(&self, placeholder: &str) -> bool {
        self.placeholders.iter().any(|p| p.name == placeholder)
    }

    fn samples(&self) -> Vec<(&'static str, String)> {
        self.placeholders
            .iter()
            .map(|p| (p.name, p.sample.to_owned()))
            .collect()
    }
}

const fn ph(name: &'static str, description: &'static str, sample: &'static str) -> Placeholder {
    Placeholder {
        name,
        description,
        sample,
    }
}

const NAME: Placeholder = ph("name", "The recipient's name", "Guðrún Jónsdóttir");
const EVENT: Placeholder = ph("event", "The event's title", "IGF 2026 Annual Meeting");
const DATES: Placeholder = ph("dates", "When the event takes place", "23–27 June 2026");
const VENUE: Placeholder = ph(
    "venue",
    "Where the event takes place",
    "Palais des Nations, Geneva",
);
const CATEGORY: Placeholder = ph(
    "category",
    "The registration category",
    "Onsite participant",
);
const MODE: Placeholder = ph("mode", "Onsite or online participation", "onsite");
const REG_LINK: Placeholder = ph(
    "link",
    "The address of the person's registration",
    "https://forum.example.org/registrations/42",
);
const POSITION: Placeholder = ph("position", "The place on the waiting list", "3");
const REASON: Placeholder = ph(
    "reason",
    "The reason given by the secretariat",
    "The event is for members of the advisory group only.",
);

const JOIN: Placeholder = ph(
    "join",
    "How to join online, for confirmed online participants (empty for others and when there is no link)",
    "Join online: https://meet.jit.si/igf-2026",
);

const REGISTRATION: [Placeholder; 7] = [NAME, EVENT, DATES, VENUE, CATEGORY, MODE, REG_LINK];
const REGISTRATION_JOIN: [Placeholder; 8] =
    [NAME, EVENT, DATES, VENUE, CATEGORY, MODE, REG_LINK, JOIN];
const REGISTRATION_WAITLISTED: [Placeholder; 8] = [
    NAME, EVENT, DATES, VENUE, CATEGORY, MODE, REG_LINK, POSITION,
];
const REGISTRATION_REASON: [Placeholder; 8] =
    [NAME, EVENT, DATES, VENUE, CATEGORY, MODE, REG_LINK, REASON];

const EVENT_LINK: Placeholder = ph(
    "link",
    "The address of the event's page",
    "https://forum.example.org/events/7",
);
const VISA: [Placeholder; 4] = [NAME, EVENT, DATES, EVENT_LINK];
const VISA_REASON: [Placeholder; 5] = [NAME, EVENT, DATES, EVENT_LINK, REASON];
const CALL: Placeholder = ph(
    "call",
    "The call's title",
    "Call for workshop proposals 2026",
);
const SUBMISSION_TITLE: Placeholder = ph(
    "title",
    "The submission's title",
    "Community networks and the last mile",
);
const SUBMISSION_LINK: Placeholder = ph(
    "link",
    "The page of the submission",
    "https://forum.example.org/submissions/42",
);
const DECISION_REASON: Placeholder = ph(
    "reason",
    "The committee's note to the proposers",
    "Please add a speaker from the private sector.",
);
const MINUTES: [Placeholder; 5] = [
    NAME,
    ph(
        "meeting",
        "The meeting's title",
        "MAG meeting, 3–5 March 2026",
    ),
    ph(
        "body",
        "The body the meeting belongs to",
        "Multistakeholder Advisory Group",
    ),
    ph("revision", "The revision of the minutes", "1"),
    ph(
        "link",
        "The meeting's page",
        "https://forum.example.org/meetings/12",
    ),
];
const SUBMISSION: [Placeholder; 4] = [NAME, CALL, SUBMISSION_TITLE, SUBMISSION_LINK];
const DECISION: [Placeholder; 5] = [
    NAME,
    CALL,
    SUBMISSION_TITLE,
    SUBMISSION_LINK,
    DECISION_REASON,
];

/// Every kind of message Plenary sends, with its default texts.
pub const KINDS: &[MailKind] = &[
    MailKind {
        kind: "password_reset",
        label: "Password reset link",
        placeholders: &[
            NAME,
            ph(
                "link",
                "The single-use reset link",
                "https://forum.example.org/password-reset/3f9a…",
            ),
            ph("minutes", "How many minutes the link works", "60"),
        ],
        subject: "Reset your Plenary password",
        body_text: "Hello {{name}},\n\n\
            someone (hopefully you) asked to reset the password of your Plenary account.\n\
            Open this link to choose a new password. It works once, for {{minutes}} minutes:\n\n\
            {{link}}\n\n\
            If you did not ask for this, ignore this message; your password stays as it is.\n",
        body_html: "<p>Hello {{name}},</p>\n\
            <p>someone (hopefully you) asked to reset the password of your Plenary account. \
            Open this link to choose a new password. It works once, for {{minutes}} minutes:</p>\n\
            <p><a href=\"{{link}}\">{{link}}</a></p>\n\
            <p>If you did not ask for this, ignore this message; your password stays as it is.</p>\n",
    },
    MailKind {
        kind: "sign_up_verify",
        label: "Link to confirm a new account (sign-up)",
        placeholders: &[
            NAME,
            ph(
                "link",
                "The single-use link that creates the account",
                "https://forum.example.org/sign-up/3f9a…",
            ),
            ph("hours", "How many hours the link works", "24"),
        ],
        subject: "Confirm your Plenary account",
        body_text: "Hello {{name}},\n\n\
            someone (hopefully you) asked for a Plenary account with this e-mail address.\n\
            Open this link to confirm the address and create the account. It works once, for {{hours}} hours:\n\n\
            {{link}}\n\n\
            If you did not ask for this, ignore this message; no account is created.\n",
        body_html: "<p>Hello {{name}},</p>\n\
            <p>someone (hopefully you) asked for a Plenary account with this e-mail address. \
            Open this link to confirm the address and create the account. It works once, for {{hours}} hours:</p>\n\
            <p><a href=\"{{link}}\">{{link}}</a></p>\n\
            <p>If you did not ask for this, ignore this message; no account is created.</p>\n",
    },
    MailKind {
        kind: "sign_up_existing",
        label: "Notice that a sign-up was asked for an address that has an account",
        placeholders: &[
            NAME,
            ph(
                "sign_in_link",
                "The sign-in page",
                "https://forum.example.org/sign-in",
            ),
            ph(
                "reset_link",
                "The page to reset the password",
                "https://forum.example.org/password-reset",
            ),
        ],
        subject: "You already have a Plenary account",
        body_text: "Hello {{name}},\n\n\
            someone (hopefully you) asked for a new Plenary account with this e-mail address, \
            but the address has an account already; no second one was created.\n\n\
            Sign in: {{sign_in_link}}\n\
            Forgot your password? Choose a new one: {{reset_link}}\n\n\
            If you did not ask for this, ignore this message; nothing has changed.\n",
        body_html: "<p>Hello {{name}},</p>\n\
            <p>someone (hopefully you) asked for a new Plenary account with this e-mail address, \
            but the address has an account already; no second one was created.</p>\n\
            <p>Sign in: <a href=\"{{sign_in_link}}\">{{sign_in_link}}</a></p>\n\
            <p>Forgot your password? Choose a new one: <a href=\"{{reset_link}}\">{{reset_link}}</a></p>\n\
            <p>If you did not ask for this, ignore this message; nothing has changed.</p>\n",
    },
    MailKind {
        kind: "invitation",
        label: "Invitation to a role (a call's reviewers, a body's members, a session's speakers)",
        placeholders: &[
            ph("inviter", "Who sends the invitation", "Ana Núñez"),
            ph(
                "role",
                "The role offered",
                "a reviewer of the call “Call for workshop proposals 2026”",
            ),
            ph(
                "link",
                "The single-use link that accepts it",
                "https://forum.example.org/invitations/3f9a…",
            ),
            ph("days", "How many days the link works", "14"),
        ],
        subject: "You are invited to be {{role}}",
        body_text: "Hello,\n\n\
            {{inviter}} invites you to be {{role}} on Plenary, the forum's platform.\n\n\
            Open this link to accept. Without an account you choose your name and password there; \
            with one you sign in. The link works once, for {{days}} days:\n\n\
            {{link}}\n\n\
            If you do not want to accept, ignore this message.\n",
        body_html: "<p>Hello,</p>\n\
            <p>{{inviter}} invites you to be {{role}} on Plenary, the forum's platform.</p>\n\
            <p>Open this link to accept. Without an account you choose your name and password there; \
            with one you sign in. The link works once, for {{days}} days:</p>\n\
            <p><a href=\"{{link}}\">{{link}}</a></p>\n\
            <p>If you do not want to accept, ignore this message.</p>\n",
    },
    MailKind {
        kind: "password_changed",
        label: "Notice that an account's password was changed or reset",
        placeholders: &[
            NAME,
            ph(
                "how",
                "How the password was changed",
                "changed on the account page",
            ),
            ph(
                "tokens",
                "What happened to the account's API tokens",
                "Your 2 API tokens were revoked; create new ones on your account page if you need them.",
            ),
            ph(
                "link",
                "The page to reset the password",
                "https://forum.example.org/password-reset",
            ),
        ],
        subject: "Your Plenary password was changed",
        body_text: "Hello {{name}},\n\n\
            the password of your Plenary account was {{how}}. Every other session has ended.\n\
            {{tokens}}\n\n\
            If this was not you, reset your password at once:\n\n\
            {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n\
            <p>the password of your Plenary account was {{how}}. Every other session has ended.</p>\n\
            <p>{{tokens}}</p>\n\
            <p>If this was not you, reset your password at once: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "action_reminder",
        label: "Reminder of an action item due soon",
        placeholders: &[
            NAME,
            ph(
                "owner",
                "Who owns the action (a person, a body or the secretariat)",
                "the Secretariat",
            ),
            ph("due_on", "The due date", "28 August 2026"),
            ph(
                "action",
                "The action's text",
                "Send the draft programme to the advisory group.",
            ),
            ph(
                "meeting_link",
                "The address of the meeting the action came from",
                "https://forum.example.org/meetings/12",
            ),
            ph(
                "actions_link",
                "The address of the open actions",
                "https://forum.example.org/actions",
            ),
        ],
        subject: "Reminder: action due on {{due_on}}",
        body_text: "Hello {{name}},\n\nthis action of {{owner}} is due on {{due_on}}:\n\n  {{action}}\n\n\
            It came from {{meeting_link}}.\nOpen actions: {{actions_link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>this action of {{owner}} is due on {{due_on}}:</p>\n\
            <blockquote>{{action}}</blockquote>\n\
            <p>It came from <a href=\"{{meeting_link}}\">{{meeting_link}}</a>.<br>\n\
            Open actions: <a href=\"{{actions_link}}\">{{actions_link}}</a></p>\n",
    },
    MailKind {
        kind: "bulk",
        label: "Message to a mailing list",
        placeholders: &[
            NAME,
            ph(
                "body",
                "The body whose list it is",
                "Multistakeholder Advisory Group",
            ),
            ph(
                "subject",
                "The subject the secretariat wrote",
                "Call for workshop proposals",
            ),
            ph(
                "message",
                "The message the secretariat wrote",
                "Dear colleagues,\n\nthe call for workshop proposals is open.",
            ),
            ph(
                "link",
                "The body's page, where subscribers can unsubscribe",
                "https://forum.example.org/bodies/3",
            ),
        ],
        subject: "{{subject}}",
        body_text: "{{message}}\n\n-- \nYou receive this message as a subscriber of the list of {{body}}.\n\
            To unsubscribe, sign in and open {{link}}\n",
        body_html: "<div>{{message}}</div>\n<hr>\n\
            <p><small>You receive this message as a subscriber of the list of {{body}}. \
            To unsubscribe, sign in and open <a href=\"{{link}}\">{{link}}</a>.</small></p>\n",
    },
    MailKind {
        kind: "registration_link",
        label: "A new link to one's registration, asked for again",
        placeholders: &REGISTRATION,
        subject: "Your link to your registration for {{event}}",
        body_text: "Hello {{name}},\n\nyou (or someone with your address) asked for the link to your registration for {{event}} ({{dates}}, {{venue}}) again.\n\n\
            See, change or cancel your registration: {{link}}\n\n\
            This link replaces the one you received before, which no longer works.\n",
        body_html: "<p>Hello {{name}},</p>\n<p>you (or someone with your address) asked for the link to your registration for <strong>{{event}}</strong> ({{dates}}, {{venue}}) again.</p>\n\
            <p>See, change or cancel your registration: <a href=\"{{link}}\">{{link}}</a></p>\n\
            <p>This link replaces the one you received before, which no longer works.</p>\n",
    },
    MailKind {
        kind: "registration_confirmed",
        label: "Registration confirmed",
        placeholders: &REGISTRATION_JOIN,
        subject: "Your registration for {{event}} is confirmed",
        body_text: "Hello {{name}},\n\nyour registration for {{event}} ({{dates}}, {{venue}}) is confirmed.\n\n\
            Category: {{category}}\nParticipation: {{mode}}\n{{join}}\n\n\
            See or change your registration: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>your registration for <strong>{{event}}</strong> ({{dates}}, {{venue}}) is confirmed.</p>\n\
            <p>Category: {{category}}<br>\nParticipation: {{mode}}<br>\n{{join}}</p>\n\
            <p>See or change your registration: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "registration_pending",
        label: "Registration received, awaiting approval",
        placeholders: &REGISTRATION,
        subject: "We received your registration for {{event}}",
        body_text: "Hello {{name}},\n\nwe received your registration for {{event}} ({{dates}}, {{venue}}).\n\
            The secretariat will review it; you will receive another message once it is decided.\n\n\
            Category: {{category}}\nParticipation: {{mode}}\n\n\
            See or change your registration: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>we received your registration for <strong>{{event}}</strong> ({{dates}}, {{venue}}). \
            The secretariat will review it; you will receive another message once it is decided.</p>\n\
            <p>Category: {{category}}<br>\nParticipation: {{mode}}</p>\n\
            <p>See or change your registration: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "registration_waitlisted",
        label: "Registration on the waiting list",
        placeholders: &REGISTRATION_WAITLISTED,
        subject: "You are on the waiting list for {{event}}",
        body_text: "Hello {{name}},\n\n{{category}} for {{event}} ({{dates}}, {{venue}}) is full at the moment; \
            you are number {{position}} on the waiting list.\n\
            When a place frees up you are registered automatically and receive a message.\n\n\
            See or cancel your registration: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>{{category}} for <strong>{{event}}</strong> ({{dates}}, {{venue}}) is full at the moment; \
            you are number {{position}} on the waiting list. \
            When a place frees up you are registered automatically and receive a message.</p>\n\
            <p>See or cancel your registration: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "registration_promoted",
        label: "Promoted from the waiting list",
        placeholders: &REGISTRATION_JOIN,
        subject: "A place is free: your registration for {{event}} is confirmed",
        body_text: "Hello {{name}},\n\na place has become free, and your registration for {{event}} \
            ({{dates}}, {{venue}}) is now confirmed.\n\n\
            Category: {{category}}\nParticipation: {{mode}}\n{{join}}\n\n\
            If you can no longer come, please cancel so that the next person gets the place: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>a place has become free, and your registration for <strong>{{event}}</strong> \
            ({{dates}}, {{venue}}) is now confirmed.</p>\n\
            <p>Category: {{category}}<br>\nParticipation: {{mode}}<br>\n{{join}}</p>\n\
            <p>If you can no longer come, please cancel so that the next person gets the place: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "registration_rejected",
        label: "Registration not accepted",
        placeholders: &REGISTRATION_REASON,
        subject: "Your registration for {{event}}",
        body_text: "Hello {{name}},\n\nwe are sorry: your registration for {{event}} ({{dates}}) could not be accepted.\n\n\
            Reason: {{reason}}\n\nYour registration: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>we are sorry: your registration for <strong>{{event}}</strong> ({{dates}}) could not be accepted.</p>\n\
            <p>Reason: {{reason}}</p>\n<p>Your registration: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "registration_cancelled",
        label: "Registration cancelled",
        placeholders: &REGISTRATION_REASON,
        subject: "Your registration for {{event}} is cancelled",
        body_text: "Hello {{name}},\n\nyour registration for {{event}} ({{dates}}) has been cancelled.\n\n\
            Your registration: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>your registration for <strong>{{event}}</strong> ({{dates}}) has been cancelled.</p>\n\
            <p>Your registration: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "visa_letter_issued",
        label: "Visa invitation letter issued (the letter attached)",
        placeholders: &VISA,
        subject: "Your visa invitation letter for {{event}}",
        body_text: "Hello {{name}},\n\nplease find attached your invitation letter for {{event}} ({{dates}}), \
            to present with your visa application.\n\nThe event: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>please find attached your invitation letter for <strong>{{event}}</strong> ({{dates}}), \
            to present with your visa application.</p>\n<p>The event: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "visa_letter_refused",
        label: "Visa invitation letter refused",
        placeholders: &VISA_REASON,
        subject: "Your request for a visa invitation letter for {{event}}",
        body_text: "Hello {{name}},\n\nwe are sorry: we cannot issue an invitation letter for {{event}} ({{dates}}).\n\n\
            Reason: {{reason}}\n\nYou may correct your details and ask again through your registration.\n\nThe event: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>we are sorry: we cannot issue an invitation letter for <strong>{{event}}</strong> ({{dates}}).</p>\n\
            <p>Reason: {{reason}}</p>\n<p>You may correct your details and ask again through your registration.</p>\n\
            <p>The event: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "submission_received",
        label: "Submission received",
        placeholders: &SUBMISSION,
        subject: "Received: {{title}}",
        body_text: "Hello {{name}},\n\nwe have received \"{{title}}\" for {{call}}. \
            You can follow its status here:\n\n{{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>we have received <strong>{{title}}</strong> for {{call}}. \
            You can follow its status here: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "submission_accepted",
        label: "Submission accepted",
        placeholders: &DECISION,
        subject: "Accepted: {{title}}",
        body_text: "Hello {{name}},\n\nwe are glad to tell you that \"{{title}}\" has been accepted ({{call}}).\n\n\
            {{reason}}\n\nThe submission: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>we are glad to tell you that <strong>{{title}}</strong> has been accepted ({{call}}).</p>\n\
            <p>{{reason}}</p>\n<p>The submission: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "submission_rejected",
        label: "Submission not accepted",
        placeholders: &DECISION,
        subject: "Your submission: {{title}}",
        body_text: "Hello {{name}},\n\nwe are sorry: \"{{title}}\" could not be accepted ({{call}}).\n\n\
            {{reason}}\n\nThe submission: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>we are sorry: <strong>{{title}}</strong> could not be accepted ({{call}}).</p>\n\
            <p>{{reason}}</p>\n<p>The submission: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "submission_merged",
        label: "Submission merged with another",
        placeholders: &DECISION,
        subject: "Your submission \"{{title}}\" has been merged",
        body_text: "Hello {{name}},\n\nthe committee has merged \"{{title}}\" with a similar submission ({{call}}); \
            you are now one of the proposers of the merged session.\n\n{{reason}}\n\nThe submission: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>the committee has merged <strong>{{title}}</strong> with a similar submission ({{call}}); \
            you are now one of the proposers of the merged session.</p>\n<p>{{reason}}</p>\n\
            <p>The submission: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "submission_changes_requested",
        label: "Changes requested to a submission",
        placeholders: &DECISION,
        subject: "Changes requested: {{title}}",
        body_text: "Hello {{name}},\n\nthe committee asks for changes to \"{{title}}\" ({{call}}):\n\n\
            {{reason}}\n\nPlease change it and send it again: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>the committee asks for changes to <strong>{{title}}</strong> ({{call}}):</p>\n\
            <p>{{reason}}</p>\n<p>Please change it and send it again: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "reviews_assigned",
        label: "Reviews assigned to a reviewer",
        placeholders: &[
            NAME,
            ph(
                "call",
                "The call's title",
                "Call for workshop proposals 2026",
            ),
            ph("count", "How many submissions were newly assigned", "4"),
            ph(
                "link",
                "The reviewer's list of reviews",
                "https://forum.example.org/reviews",
            ),
        ],
        subject: "Reviews for you: {{call}}",
        body_text: "Hello {{name}},\n\n{{count}} more submission(s) to \"{{call}}\" are assigned to you for review.\n\n\
            Your reviews, with what is done and what remains: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>{{count}} more submission(s) to <strong>{{call}}</strong> are assigned to you for review.</p>\n\
            <p>Your reviews, with what is done and what remains: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "minutes_circulated",
        label: "Minutes circulated to a body's members",
        placeholders: &MINUTES,
        subject: "Minutes for comment: {{meeting}}",
        body_text: "Hello {{name}},\n\nthe minutes of \"{{meeting}}\" ({{body}}, revision {{revision}}) are circulated \
            to the members and participants for comment before approval.\n\nRead them: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>the minutes of <strong>{{meeting}}</strong> ({{body}}, revision {{revision}}) are circulated \
            to the members and participants for comment before approval.</p>\n<p>Read them: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "minutes_approved",
        label: "Minutes approved",
        placeholders: &MINUTES,
        subject: "Minutes approved: {{meeting}}",
        body_text: "Hello {{name}},\n\nthe minutes of \"{{meeting}}\" ({{body}}, revision {{revision}}) have been approved.\n\n\
            Read them: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>the minutes of <strong>{{meeting}}</strong> ({{body}}, revision {{revision}}) have been approved.</p>\n\
            <p>Read them: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
    MailKind {
        kind: "programme_session_moved",
        label: "A session of the published programme moved or was removed",
        placeholders: &[
            NAME,
            EVENT,
            ph(
                "session",
                "The session's title",
                "Community networks and the last mile",
            ),
            ph(
                "before",
                "When and where it was, at the venue",
                "Tue 23 Jun 2026 09:00–10:30 CEST, Hall A",
            ),
            ph(
                "after",
                "When and where it is now, or that it is no longer in the programme",
                "Wed 24 Jun 2026 14:00–15:30 CEST, Room 2",
            ),
            ph(
                "link",
                "The session's public page (the programme's when it was removed)",
                "https://forum.example.org/events/7/programme/sessions/42",
            ),
        ],
        subject: "Programme change: {{session}}",
        body_text: "Hello {{name}},\n\nthe programme of {{event}} has changed for \"{{session}}\".\n\n\
            Was: {{before}}\nNow: {{after}}\n\nThe programme: {{link}}\n",
        body_html: "<p>Hello {{name}},</p>\n<p>the programme of <strong>{{event}}</strong> has changed for <strong>{{session}}</strong>.</p>\n\
            <p>Was: {{before}}<br>\nNow: {{after}}</p>\n<p>The programme: <a href=\"{{link}}\">{{link}}</a></p>\n",
    },
];

/// The kind named `kind`, if Plenary has it.
pub fn mail_kind(kind: &str) -> Option<&'static MailKind> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// What the secretariat types for a kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateInput {
    pub subject: String,
    pub body_text: String,
    /// Empty: messages of this kind have no HTML part.
    pub body_html: String,
}

/// A kind's template in force: the edited one, or the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailTemplate {
    pub kind: &'static MailKind,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// When and by whom it was edited; `None` for the default.
    pub edited: Option<(DateTime<Utc>, String)>,
}

/// A template rendered with sample values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplatePreview {
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
}

fn in_force(kind: &'static MailKind, stored: Option<Template>) -> MailTemplate {
    match stored {
        Some(t) => MailTemplate {
            kind,
            subject: t.subject,
            body_text: t.body_text,
            body_html: t.body_html,
            edited: Some((t.updated_at, t.updated_by)),
        },
        None => MailTemplate {
            kind,
            subject: kind.subject.to_owned(),
            body_text: kind.body_text.to_owned(),
            body_html: kind.body_html.to_owned(),
            edited: None,
        },
    }
}

/// The pieces of a template: literal text and placeholder names.
enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// Splits at `{{name}}` (spaces inside allowed). Err: the offending fragment.
fn pieces(template: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push(Piece::Text(&rest[..start]));
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| {
            let shown: String = rest[start..].chars().take(20).collect();
            format!("“{shown}” opens a placeholder with “{{{{” that is never closed with “}}}}”")
        })?;
        let name = after[..end].trim();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(format!(
                "“{{{{{}}}}}” is not a placeholder name",
                &after[..end]
            ));
        }
        out.push(Piece::Placeholder(name));
        rest = &after[end + 2..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Subject,
    Text,
    Html,
}

/// Substitutes in one pass (a value is never read as a template).
fn render(template: &str, values: &[(&str, String)], part: Part) -> String {
    let Ok(pieces) = pieces(template) else {
        // Saved templates are checked; a broken one is sent as written.
        return template.to_owned();
    };
    let mut out = String::with_capacity(template.len());
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Placeholder(name) => {
                let value = values
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or("", |(_, v)| v.as_str());
                match part {
                    Part::Html => out.push_str(&escape_html(value)),
                    Part::Text => out.push_str(value),
                    // A subject is one line.
                    Part::Subject => {
                        out.extend(value.chars().map(|c| if c.is_control() { ' ' } else { c }))
                    }
                }
            }
        }
    }
    out
}

pub(crate) struct Rendered {
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
}

pub(crate) fn render_all(
    subject: &str,
    body_text: &str,
    body_html: &str,
    values: &[(&str, String)],
) -> Rendered {
    Rendered {
        subject: render(subject, values, Part::Subject).trim().to_owned(),
        body_text: render(body_text, values, Part::Text),
        body_html: (!body_html.trim().is_empty()).then(|| render(body_html, values, Part::Html)),
    }
}

const MAX_SUBJECT: usize = 300;
const MAX_BODY: usize = 100_000;

/// Checks one field: length, and only the kind's placeholders.
fn check_field(
    field: &'static str,
    text: &str,
    kind: &MailKind,
    required: bool,
    max: usize,
) -> Option<FieldError> {
    let problem = if text.trim().is_empty() {
        required.then_some(Problem::Required)
    } else if text.chars().count() > max {
        Some(Problem::TooLong { max })
    } else if field == "subject" && text.contains(['\r', '\n']) {
        Some(Problem::Invalid("a subject is one line"))
    } else {
        match pieces(text) {
            Err(why) => Some(Problem::Explained(why)),
            Ok(pieces) => pieces
                .iter()
                .find_map(|p| match p {
                    Piece::Placeholder(name) if !kind.has(name) => Some(*name),
                    _ => None,
                })
                .map(|unknown| {
                    let allowed: Vec<String> = kind
                        .placeholders
                        .iter()
                        .map(|p| format!("{{{{{}}}}}", p.name))
                        .collect();
                    Problem::Explained(format!(
                        "uses {{{{{unknown}}}}}, which messages of this kind do not have; allowed: {}",
                        allowed.join(", ")
                    ))
                }),
        }
    };
    problem.map(|p| FieldError::new(field, p))
}

fn validate(kind: &MailKind, input: &TemplateInput) -> Result<(), AppError> {
    let errors: Vec<FieldError> = [
        check_field("subject", &input.subject, kind, true, MAX_SUBJECT),
        check_field("body_text", &input.body_text, kind, true, MAX_BODY),
        check_field("body_html", &input.body_html, kind, false, MAX_BODY),
    ]
    .into_iter()
    .flatten()
    .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Line endings as stored: `\n`.
fn normalise(input: &TemplateInput) -> TemplateInput {
    let clean = |s: &str| s.replace("\r\n", "\n");
    TemplateInput {
        subject: input.subject.trim().to_owned(),
        body_text: clean(&input.body_text),
        body_html: clean(&input.body_html),
    }
}

fn known(kind: &str) -> Result<&'static MailKind, AppError> {
    mail_kind(kind).ok_or(AppError::NotFound)
}

impl App {
    /// Every kind's template in force (secretariat).
    pub fn mail_templates(&self, caller: &Caller) -> Result<Vec<MailTemplate>, AppError> {
        require_permission(caller, Permission::ManageMail)?;
        let mut stored = self.db().read(mail_templates::list)?;
        Ok(KINDS
            .iter()
            .map(|kind| {
                let edited = stored
                    .iter()
                    .position(|t| t.kind == kind.kind)
                    .map(|i| stored.swap_remove(i));
                in_force(kind, edited)
            })
            .collect())
    }

    /// One kind's template in force (secretariat).
    pub fn mail_template(&self, caller: &Caller, kind: &str) -> Result<MailTemplate, AppError> {
        require_permission(caller, Permission::ManageMail)?;
        let kind = known(kind)?;
        let stored = self.db().read(|tx| mail_templates::get(tx, kind.kind))?;
        Ok(in_force(kind, stored))
    }

    /// Saves the secretariat's version of a kind's template. Refused with field errors
    /// when a text uses a placeholder the kind does not have.
    pub fn save_mail_template(
        &self,
        caller: &Caller,
        kind: &str,
        input: &TemplateInput,
    ) -> Result<MailTemplate, AppError> {
        require_permission(caller, Permission::ManageMail)?;
        let kind = known(kind)?;
        let input = normalise(input);
        validate(kind, &input)?;
        let now = self.now();
        let template = Template {
            kind: kind.kind.to_owned(),
            subject: input.subject,
            body_text: input.body_text,
            body_html: input.body_html,
            updated_at: now,
            updated_by: caller.label.clone(),
        };
        self.db().write(|tx| {
            mail_templates::save(tx, &template)?;
            Change::new("mail_template.save", "mail_template", kind.kind)
                .detail(json!({ "subject": template.subject }))
                .record(tx, caller, now)?;
            Ok::<_, AppError>(())
        })?;
        Ok(in_force(kind, Some(template)))
    }

    /// Goes back to the built-in default of a kind.
    pub fn reset_mail_template(
        &self,
        caller: &Caller,
        kind: &str,
    ) -> Result<MailTemplate, AppError> {
        require_permission(caller, Permission::ManageMail)?;
        let kind = known(kind)?;
        let now = self.now();
        self.db().write(|tx| {
            if mail_templates::delete(tx, kind.kind)? {
                Change::new("mail_template.reset", "mail_template", kind.kind)
                    .record(tx, caller, now)?;
            }
            Ok::<_, AppError>(())
        })?;
        Ok(in_force(kind, None))
    }

    /// Renders a (possibly unsaved) template with the kind's sample values; checks it
    /// as saving would.
    pub fn preview_mail_template(
        &self,
        caller: &Caller,
        kind: &str,
        input: &TemplateInput,
    ) -> Result<TemplatePreview, AppError> {
        require_permission(caller, Permission::ManageMail)?;
        let kind = known(kind)?;
        let input = normalise(input);
        validate(kind, &input)?;
        let r = render_all(
            &input.subject,
            &input.body_text,
            &input.body_html,
            &kind.samples(),
        );
        Ok(TemplatePreview {
            subject: r.subject,
            body_text: r.body_text,
            body_html: r.body_html,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Vec<(&'static str, String)> {
        vec![
            ("name", "Ana <b>&</b>\nPérez".to_owned()),
            ("link", "https://x.example/?a=1&b=\"2\"".to_owned()),
        ]
    }

    #[test]
    fn placeholders_are_substituted_once_and_escaped_in_html() {
        let r = render_all(
            "Hi {{ name }}",
            "Hello {{name}}: {{link}} {{minutes}}",
            "<a href=\"{{link}}\">{{name}}</a>",
            &[("name", "{{link}}".to_owned()), ("link", "L".to_owned())],
        );
        assert_eq!(
            r.body_text, "Hello {{link}}: L ",
            "values are not templates"
        );
        assert_eq!(r.subject, "Hi {{link}}");
        let r = render_all(
            "{{name}}",
            "{{name}}",
            "<a href=\"{{link}}\">{{name}}</a>",
            &values(),
        );
        assert_eq!(r.subject, "Ana <b>&</b> Pérez", "one line");
        assert_eq!(r.body_text, "Ana <b>&</b>\nPérez");
        assert_eq!(
            r.body_html.as_deref(),
            Some(
                "<a href=\"https://x.example/?a=1&amp;b=&quot;2&quot;\">Ana &lt;b&gt;&amp;&lt;/b&gt;<br>\nPérez</a>"
            )
        );
        assert_eq!(render_all("s", "t", "  ", &[]).body_html, None);
    }

    #[test]
    fn every_default_uses_only_its_own_placeholders() {
        for kind in KINDS {
            let input = TemplateInput {
                subject: kind.subject.into(),
                body_text: kind.body_text.into(),
                body_html: kind.body_html.into(),
            };
            assert!(validate(kind, &input).is_ok(), "{}", kind.kind);
            assert!(
                !kind.body_html.is_empty(),
                "{} has an HTML default",
                kind.kind
            );
        }
        let mut names: Vec<_> = KINDS.iter().map(|k| k.kind).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KINDS.len(), "kinds are unique");
    }

    #[test]
    fn unknown_and_unclosed_placeholders_are_field_errors() {
        let kind = mail_kind("password_reset").expect("kind");
        let input = TemplateInput {
            subject: "Reset {{nme}}".into(),
            body_text: "Hello {{name".into(),
            body_html: "<p>{{Name}}</p>".into(),
        };
        let Err(AppError::Invalid(errors)) = validate(kind, &input) else {
            panic!("refused");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["subject", "body_text", "body_html"]);
        let message = errors[0].problem.to_string();
        assert!(
            message.contains("{{nme}}")
                && message.contains("allowed: {{name}}, {{link}}, {{minutes}}"),
            "{message}"
        );
        let two_lines = TemplateInput {
            subject: "a\nb".into(),
            body_text: "t".into(),
            body_html: String::new(),
        };
        assert!(validate(kind, &two_lines).is_err());
    }
}
