//! Visa invitation letters: requests through the management link, the secretariat's
//! decision and the letter, who sees passport details, and the purge after the
//! retention period — on SQLite and PostgreSQL.

mod common;

use chrono::{TimeZone, Utc};
use common::{PASSWORD, admin, app_at, signed_in};
use plenary_app::passport_keys::PassportKeys;
use plenary_app::registration::{CategoryInput, EventInput, RegistrationInput};
use plenary_app::visa::Holder;
use plenary_app::{App, AppError, AuditFilter, Caller, Clock, FixedClock, NewAccount};
use plenary_domain::registration::RegistrationStatus;
use plenary_domain::visa::{PassportInput, VisaStatus};
use plenary_store::testing::TestDb;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

struct Harness {
    app: App,
    clock: Arc<FixedClock>,
    admin: Caller,
    event: i64,
    onsite: i64,
    online: i64,
    _db: TestDb,
}

fn harness(db: TestDb) -> Harness {
    let (app, clock) = app_at(&db, (2026, 5, 1, 10));
    let admin = admin(&app);
    let event = app
        .save_event(
            &admin,
            None,
            &EventInput {
                title: "Annual Forum 2026".into(),
                venue: "Conference Centre, Nairobi".into(),
                time_zone: "Africa/Nairobi".into(),
                starts_at: "2026-06-22T09:00".into(),
                ends_at: "2026-06-26T18:00".into(),
                registration_opens_at: "2026-04-01T00:00".into(),
                registration_closes_at: "2026-06-01T00:00".into(),
                changes_until: "2026-06-10T00:00".into(),
                public_list: false,
                visa_letters: true,
                visa_retention_days: "30".into(),
            },
        )
        .expect("event")
        .id;
    let category = |name: &str, mode: &str, capacity: &str| {
        app.save_category(
            &admin,
            event,
            None,
            &CategoryInput {
                name: name.into(),
                mode: mode.into(),
                capacity: capacity.into(),
                needs_approval: false,
            },
        )
        .expect("category")
        .id
    };
    let onsite = category("Onsite", "onsite", "1");
    let online = category("Online", "online", "");
    Harness {
        app,
        clock,
        admin,
        event,
        onsite,
        online,
        _db: db,
    }
}

/// Registers someone; returns the registration's id and management token.
fn register(h: &Harness, n: usize, category: i64) -> (i64, String) {
    let r = h
        .app
        .register(
            &Caller::anonymous(None),
            h.event,
            &RegistrationInput {
                category_id: category.to_string(),
                email: format!("person{n}@example.org"),
                family_name: format!("Okafor{n}"),
                given_name: "Chidi".into(),
                organization: "Civil Society Network".into(),
                country: "NG".into(),
                answers: BTreeMap::new(),
                listed: false,
            },
        )
        .expect("register");
    (r.registration.id, r.manage_token.expect("token"))
}

const NUMBER: &str = "A07734512";

fn passport() -> PassportInput {
    PassportInput {
        family_name: "Okafor".into(),
        given_names: "Chidi Amaka".into(),
        nationality: "NG".into(),
        date_of_birth: "1988-04-12".into(),
        passport_number: "a0773 4512".into(),
        issued_on: "2022-01-10".into(),
        expires_on: "2032-01-09".into(),
        issued_by: "Nigeria Immigration Service, Abuja".into(),
        consulate: "High Commission of Kenya, Abuja".into(),
        arrival_on: "2026-06-21".into(),
        departure_on: "2026-06-27".into(),
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let mut child = std::process::Command::new("pdftotext")
        .args(["-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(pdf)
        .expect("write");
    let out = child.wait_with_output().expect("pdftotext runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8")
}

fn a_request_is_issued_as_a_numbered_letter_and_mailed(h: Harness) {
    let (id, token) = register(&h, 1, h.onsite);
    let before = h.app.visa_state(Holder::Token(&token)).expect("state");
    assert_eq!(before.may_request, Ok(()));
    assert!(before.request.is_none());
    let state = h
        .app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    let summary = state.request.clone().expect("requested");
    assert_eq!(summary.status, VisaStatus::Requested);
    assert!(!state.letter_ready());
    // The secretariat sees the details, normalised.
    let detail = h.app.visa_request(&h.admin, id).expect("detail");
    let p = detail.passport.expect("details");
    assert_eq!(p.passport_number, NUMBER);
    assert_eq!(p.nationality, "NG");
    let page = h.app.visa_requests(&h.admin, h.event, "", 1).expect("list");
    assert_eq!(page.total, 1);
    assert_eq!(page.counts, [(VisaStatus::Requested, 1)]);
    // Not yet issued: no letter.
    assert!(matches!(
        h.app.my_visa_letter(Holder::Token(&token)),
        Err(AppError::Refused(_))
    ));
    let issued = h.app.issue_visa_letter(&h.admin, id).expect("issue");
    assert_eq!(issued.request.status, VisaStatus::Issued);
    assert_eq!(issued.request.letter_number, Some(1));
    // Issuing twice is refused, and so is changing the details afterwards.
    assert!(matches!(
        h.app.issue_visa_letter(&h.admin, id),
        Err(AppError::Refused(_))
    ));
    assert!(matches!(
        h.app
            .request_visa_letter(Holder::Token(&token), &passport()),
        Err(AppError::Refused(_))
    ));
    let (file, pdf) = h.app.my_visa_letter(Holder::Token(&token)).expect("letter");
    assert_eq!(file, format!("visa-letter-VISA-{}-0001.pdf", h.event));
    let text = pdf_text(&pdf);
    for expected in [
        "Chidi Amaka Okafor",
        NUMBER,
        "Nigeria",
        "High Commission of Kenya, Abuja",
        "12 April 1988",
        "21 June 2026",
        "Annual Forum 2026",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    let mails = h.app.outbox(100).expect("outbox");
    let mail = mails
        .iter()
        .find(|m| m.kind == "visa_letter_issued")
        .expect("letter mailed");
    assert_eq!(mail.recipient, "person1@example.org");
    assert_eq!(mail.attachments.len(), 1);
    assert_eq!(mail.attachments[0].content_type, "application/pdf");
    // The body of the message does not carry the passport number: only the letter does,
    // and it goes to the applicant alone.
    assert!(!mail.body_text.contains(NUMBER));
    let with_letter: Vec<_> = mails
        .iter()
        .filter(|m| {
            m.attachments
                .iter()
                .any(|a| a.content_type == "application/pdf")
        })
        .collect();
    assert_eq!(with_letter.len(), 1);
    assert_eq!(with_letter[0].recipient, "person1@example.org");
}

fn refusals_say_why_and_the_registrant_may_ask_again(h: Harness) {
    let (id, token) = register(&h, 1, h.onsite);
    h.app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    assert!(matches!(
        h.app.refuse_visa_letter(&h.admin, id, "  "),
        Err(AppError::Invalid(e)) if e[0].field == "reason"
    ));
    let refused = h
        .app
        .refuse_visa_letter(&h.admin, id, "The passport scan does not match.")
        .expect("refuse");
    assert_eq!(refused.request.status, VisaStatus::Refused);
    let mails = h.app.outbox(100).expect("outbox");
    let mail = mails
        .iter()
        .find(|m| m.kind == "visa_letter_refused")
        .expect("refusal mailed");
    assert!(mail.body_text.contains("The passport scan does not match."));
    assert!(mail.attachments.is_empty());
    let again = h
        .app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("ask again");
    let summary = again.request.expect("request");
    assert_eq!(summary.status, VisaStatus::Requested);
    assert_eq!(summary.reason, "");
}

fn only_onsite_active_registrations_of_events_with_letters_may_ask(h: Harness) {
    // Bad details name every wrong field; nothing is stored.
    let (seated, token) = register(&h, 1, h.onsite);
    let mut bad = passport();
    bad.passport_number = "12".into();
    bad.expires_on = "2026-06-01".into();
    match h.app.request_visa_letter(Holder::Token(&token), &bad) {
        Err(AppError::Invalid(errors)) => {
            let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
            assert_eq!(fields, ["passport_number", "expires_on"]);
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    assert!(
        h.app
            .visa_state(Holder::Token(&token))
            .expect("state")
            .request
            .is_none()
    );
    // Online participants need no visa.
    let (_, online) = register(&h, 2, h.online);
    let state = h.app.visa_state(Holder::Token(&online)).expect("state");
    assert!(state.may_request.is_err());
    assert!(matches!(
        h.app
            .request_visa_letter(Holder::Token(&online), &passport()),
        Err(AppError::Refused(_))
    ));
    // The waiting list may ask, but the letter waits for a confirmed seat.
    let (waiting, waiting_token) = register(&h, 3, h.onsite);
    assert_eq!(
        h.app
            .registration(&h.admin, waiting)
            .expect("registration")
            .registration
            .status,
        RegistrationStatus::Waitlisted
    );
    h.app
        .request_visa_letter(Holder::Token(&waiting_token), &passport())
        .expect("waiting list may ask");
    assert!(matches!(
        h.app.issue_visa_letter(&h.admin, waiting),
        Err(AppError::Refused(_))
    ));
    // A cancelled registration may not ask; an unknown link is invalid.
    h.app.cancel_by_token(&token).expect("cancel");
    assert!(matches!(
        h.app
            .request_visa_letter(Holder::Token(&token), &passport()),
        Err(AppError::Refused(_))
    ));
    assert!(matches!(
        h.app.visa_state(Holder::Token("nonsense")),
        Err(AppError::LinkInvalid)
    ));
    let _ = seated;
}

fn passport_details_are_for_the_secretariat_only(h: Harness) {
    let (id, token) = register(&h, 1, h.onsite);
    h.app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    // A member of staff without the secretariat's role, and a stranger.
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "member@example.org".into(),
                display_name: "Member".into(),
                password: PASSWORD.into(),
                grants: vec![plenary_domain::Grant {
                    role: plenary_domain::Role::Member,
                    scope: plenary_domain::Scope::Global,
                }],
            },
        )
        .expect("member");
    let member = signed_in(&h.app, "member@example.org");
    let anonymous = Caller::anonymous(None);
    for caller in [&member, &anonymous] {
        assert!(h.app.visa_request(caller, id).is_err());
        assert!(h.app.visa_requests(caller, h.event, "", 1).is_err());
        assert!(h.app.issue_visa_letter(caller, id).is_err());
        assert!(h.app.refuse_visa_letter(caller, id, "no").is_err());
        assert!(h.app.visa_letter(caller, id).is_err());
        // Someone else's registration, and its letter, are not theirs to see.
        assert!(matches!(
            h.app.my_visa_letter(Holder::Account(caller, id)),
            Err(AppError::NotFound | AppError::SignInRequired)
        ));
        assert!(matches!(
            h.app.visa_state(Holder::Account(caller, id)),
            Err(AppError::NotFound | AppError::SignInRequired)
        ));
    }
    // The audit log says who asked and decided, never the details.
    h.app.issue_visa_letter(&h.admin, id).expect("issue");
    let log = h
        .app
        .audit_log(&h.admin, &AuditFilter::default())
        .expect("audit");
    let shown = format!("{log:?}");
    assert!(shown.contains("visa.request") && shown.contains("visa.issue"));
    assert!(
        !shown.contains(NUMBER) && !shown.contains("1988"),
        "{shown}"
    );
    // Neither do the views' debug forms (which is what a log line would print).
    let detail = h.app.visa_request(&h.admin, id).expect("detail");
    let debug = format!("{detail:?}");
    assert!(!debug.contains(NUMBER), "{debug}");
    assert!(
        h.app
            .visa_requests(&h.admin, h.event, "nonsense", 1)
            .is_err()
    );
}

fn move_to(h: &Harness, at: chrono::DateTime<Utc>) {
    h.clock.advance(at - h.clock.now());
}

fn details_are_purged_after_the_retention_period(h: Harness) {
    let (id, token) = register(&h, 1, h.onsite);
    h.app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    h.app.issue_visa_letter(&h.admin, id).expect("issue");
    // The event ends on 26 June 18:00 Nairobi time (15:00 UTC); 30 days later the details
    // go. One minute before, nothing happens.
    let end = Utc
        .with_ymd_and_hms(2026, 6, 26, 15, 0, 0)
        .single()
        .expect("instant");
    move_to(
        &h,
        end + chrono::Duration::days(30) - chrono::Duration::minutes(1),
    );
    assert_eq!(h.app.purge_visa_data(false).expect("purge").requests(), 0);
    assert!(
        h.app
            .visa_request(&h.admin, id)
            .expect("kept")
            .passport
            .is_some()
    );
    move_to(&h, end + chrono::Duration::days(30));
    let dry = h.app.purge_visa_data(true).expect("dry run");
    assert_eq!(dry.events, [(h.event, 1)]);
    assert!(
        h.app
            .visa_request(&h.admin, id)
            .expect("kept")
            .passport
            .is_some()
    );
    // The housekeeping the server runs every few seconds does the purge.
    h.app.housekeeping().expect("housekeeping");
    let detail = h.app.visa_request(&h.admin, id).expect("record stays");
    assert!(detail.passport.is_none());
    assert!(detail.request.purged_at.is_some());
    assert_eq!(detail.request.status, VisaStatus::Issued);
    assert!(matches!(
        h.app.visa_letter(&h.admin, id),
        Err(AppError::Refused(_))
    ));
    let state = h.app.visa_state(Holder::Token(&token)).expect("state");
    assert!(!state.letter_ready() && state.request.expect("summary").purged);
    // The letter attached to the e-mail is gone from the outbox too.
    let mails = h.app.outbox(100).expect("outbox");
    let mail = mails
        .iter()
        .find(|m| m.kind == "visa_letter_issued")
        .expect("message stays");
    assert!(mail.attachments.is_empty());
    // Nothing left to purge; the purge is in the audit log.
    assert_eq!(h.app.purge_visa_data(false).expect("again").requests(), 0);
    let log = h
        .app
        .audit_log(&h.admin, &AuditFilter::default())
        .expect("audit");
    assert!(format!("{log:?}").contains("visa.purge"));
}

fn the_visa_export_carries_the_details_for_the_secretariat_only(h: Harness) {
    let (id, token) = register(&h, 1, h.onsite);
    h.app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    h.app.issue_visa_letter(&h.admin, id).expect("issue");
    let (_, waiting) = register(&h, 2, h.onsite);
    let mut other = passport();
    other.passport_number = "=HYPERLINK(1)".into();
    assert!(
        h.app
            .request_visa_letter(Holder::Token(&waiting), &other)
            .is_err(),
        "a formula is no passport number"
    );
    h.app
        .request_visa_letter(Holder::Token(&waiting), &passport())
        .expect("second request");
    assert!(matches!(
        h.app.export_visa_requests(
            &Caller::anonymous(None),
            h.event,
            plenary_app::export::Format::Csv
        ),
        Err(AppError::SignInRequired | AppError::Forbidden)
    ));
    let export = h
        .app
        .export_visa_requests(&h.admin, h.event, plenary_app::export::Format::Csv)
        .expect("export");
    let mut out = Vec::new();
    assert_eq!(export.write_to(&mut out).expect("written"), 2);
    let csv = String::from_utf8(out).expect("utf-8");
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].contains("Passport number"));
    assert!(lines[1].contains(NUMBER) && lines[1].contains(&format!("VISA/{}/0001", h.event)));
    assert!(lines[1].contains("Letter issued") && lines[2].contains("Requested"));
    // After the purge the rows stay, without the details.
    let end = Utc
        .with_ymd_and_hms(2026, 6, 26, 15, 0, 0)
        .single()
        .expect("instant");
    move_to(&h, end + chrono::Duration::days(31));
    h.app.purge_visa_data(false).expect("purge");
    let mut out = Vec::new();
    h.app
        .export_visa_requests(&h.admin, h.event, plenary_app::export::Format::Xlsx)
        .expect("export")
        .write_to(&mut out)
        .expect("written");
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains(NUMBER) && text.contains("deleted after the retention period"));
    let log = h
        .app
        .audit_log(&h.admin, &AuditFilter::default())
        .expect("audit");
    assert_eq!(log.iter().filter(|e| e.action == "visa.export").count(), 2);
}

/// The passport column as stored, read past the application.
fn raw_passport(h: &Harness, id: i64) -> Option<String> {
    h._db
        .db
        .read(|tx| {
            tx.query_one(
                "SELECT passport FROM visa_requests WHERE registration_id = $1",
                plenary_store::params![id],
            )?
            .opt_text(0)
        })
        .expect("raw column")
}

fn set_raw_passport(h: &Harness, id: i64, value: &str) {
    h._db
        .db
        .write(|tx| {
            tx.execute(
                "UPDATE visa_requests SET passport = $2 WHERE registration_id = $1",
                plenary_store::params![id, value],
            )
        })
        .expect("raw update");
}

fn passport_numbers_are_not_stored_in_clear(h: Harness) {
    let (id, token) = register(&h, 1, h.onsite);
    h.app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    let keys = h.app.passport_keys().expect("keys");
    let stored = raw_passport(&h, id).expect("stored");
    assert!(
        stored.starts_with(&format!("v1:{}:", keys.current_id())),
        "{stored}"
    );
    for clear in [NUMBER, "Okafor", "1988-04-12", "High Commission"] {
        assert!(!stored.contains(clear), "{clear} in {stored}");
    }
    // A change is encrypted anew (another nonce), and still read back.
    let mut changed = passport();
    changed.consulate = "Embassy of Kenya, Lagos".into();
    h.app
        .request_visa_letter(Holder::Token(&token), &changed)
        .expect("change");
    let again = raw_passport(&h, id).expect("stored");
    assert_ne!(again, stored);
    assert!(!again.contains("Lagos"));
    let detail = h.app.visa_request(&h.admin, id).expect("detail");
    assert_eq!(
        detail.passport.expect("details").consulate,
        "Embassy of Kenya, Lagos"
    );
}

fn details_moved_to_another_row_do_not_decrypt(h: Harness) {
    let (first, token) = register(&h, 1, h.onsite);
    let (second, other) = register(&h, 2, h.onsite);
    for token in [&token, &other] {
        h.app
            .request_visa_letter(Holder::Token(token), &passport())
            .expect("request");
    }
    let a = raw_passport(&h, first).expect("a");
    let b = raw_passport(&h, second).expect("b");
    set_raw_passport(&h, first, &b);
    set_raw_passport(&h, second, &a);
    for id in [first, second] {
        match h.app.visa_request(&h.admin, id) {
            Err(AppError::Internal(why)) => {
                assert!(why.contains("does not decrypt"), "{why}");
                assert!(!why.contains(NUMBER), "{why}");
            }
            other => panic!("a moved value must not decrypt: {other:?}"),
        }
    }
    assert!(h.app.visa_letter(&h.admin, first).is_err());
}

fn details_stored_before_encryption_are_read_then_encrypted(h: Harness) {
    let (id, token) = register(&h, 1, h.onsite);
    h.app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    // As a version before encryption wrote it: the JSON itself.
    let keys = h.app.passport_keys().expect("keys");
    let json = keys
        .open(id, &raw_passport(&h, id).expect("stored"))
        .expect("open");
    assert!(json.contains(NUMBER));
    set_raw_passport(&h, id, &json);
    let detail = h.app.visa_request(&h.admin, id).expect("plaintext is read");
    assert_eq!(detail.passport.expect("details").passport_number, NUMBER);
    // Start-up encrypts it, once.
    assert_eq!(h.app.encrypt_plaintext_passports().expect("encrypt"), 1);
    assert_eq!(h.app.encrypt_plaintext_passports().expect("again"), 0);
    let stored = raw_passport(&h, id).expect("stored");
    assert!(
        stored.starts_with("v1:") && !stored.contains(NUMBER),
        "{stored}"
    );
    let detail = h.app.visa_request(&h.admin, id).expect("detail");
    assert_eq!(detail.passport.expect("details").passport_number, NUMBER);
    let log = h
        .app
        .audit_log(&h.admin, &AuditFilter::default())
        .expect("audit");
    assert!(log.iter().any(|e| e.action == "visa.encrypt"));
}

fn rotating_the_key_reencrypts_every_detail(h: Harness) {
    let dir = std::env::temp_dir().join(format!("plenary-keys-{}", plenary_app::random_token()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join(format!("{}.passport-key", plenary_app::random_token()));
    let old = PassportKeys::create_file(&file).expect("key file");
    let old_id = old.current_id().to_owned();
    h.app.set_passport_keys(old);
    // Details purged already have nothing to re-encrypt.
    let (purged, token) = register(&h, 1, h.onsite);
    h.app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    h._db
        .db
        .write(|tx| plenary_store::visa::purge_event(tx, h.event, h.clock.now()).map(|_| ()))
        .expect("purge");
    let mut ids = Vec::new();
    for n in 2..=3 {
        let (id, token) = register(&h, n, h.onsite);
        h.app
            .request_visa_letter(Holder::Token(&token), &passport())
            .expect("request");
        ids.push(id);
    }
    let rotation = h.app.rotate_passport_key(&file, None).expect("rotate");
    assert_eq!(rotation.reencrypted, 2);
    assert_eq!(rotation.older, std::slice::from_ref(&old_id));
    assert!(!rotation.created);
    for id in &ids {
        let stored = raw_passport(&h, *id).expect("stored");
        assert!(stored.starts_with(&format!("v1:{}:", rotation.key_id)));
    }
    // The old key taken out of the file: the details are read with the new one alone.
    let text = std::fs::read_to_string(&file).expect("file");
    let kept: String = text
        .lines()
        .filter(|l| !l.starts_with(&old_id))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, kept).expect("rewrite");
    h.app
        .set_passport_keys(PassportKeys::read_file(&file).expect("new file"));
    for id in &ids {
        let detail = h.app.visa_request(&h.admin, *id).expect("detail");
        assert_eq!(detail.passport.expect("details").passport_number, NUMBER);
    }
    assert!(
        h.app
            .visa_request(&h.admin, purged)
            .expect("purged")
            .passport
            .is_none()
    );
    let log = h
        .app
        .audit_log(&h.admin, &AuditFilter::default())
        .expect("audit");
    assert!(log.iter().any(|e| e.action == "visa.rotate_key"));
    let _ = std::fs::remove_dir_all(dir);
}

fn a_rotation_without_the_old_key_changes_nothing(h: Harness) {
    let (id, token) = register(&h, 1, h.onsite);
    h.app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    let before = raw_passport(&h, id).expect("stored");
    let dir = std::env::temp_dir().join(format!("plenary-keys-{}", plenary_app::random_token()));
    std::fs::create_dir_all(&dir).expect("dir");
    // A key file that does not hold the key the details were encrypted with.
    let file = dir.join("wrong.passport-key");
    PassportKeys::create_file(&file).expect("key file");
    let text = std::fs::read_to_string(&file).expect("file");
    let error = h
        .app
        .rotate_passport_key(&file, None)
        .expect_err("the details cannot be read");
    let message = error.to_string();
    assert!(
        message.contains(&format!("registration {id}")) && message.contains("nothing was changed"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("file"), text);
    assert_eq!(raw_passport(&h, id).expect("stored"), before);
    // A missing file is not created either.
    let missing = dir.join("missing.passport-key");
    assert!(h.app.rotate_passport_key(&missing, None).is_err());
    assert!(!missing.exists());
    let _ = std::fs::remove_dir_all(dir);
}

fn without_a_key_no_details_are_taken_or_shown(h: Harness) {
    let (id, token) = register(&h, 1, h.onsite);
    h.app
        .request_visa_letter(Holder::Token(&token), &passport())
        .expect("request");
    let keyless = plenary_app::App::new(
        h._db.db.clone(),
        h.app.config().clone(),
        Arc::new(FixedClock::new(h.clock.now())),
    )
    .expect("app");
    match keyless.visa_request(&h.admin, id) {
        Err(AppError::Internal(why)) => assert!(why.contains("PLENARY_PASSPORT_KEY_FILE"), "{why}"),
        other => panic!("encrypted details need the key: {other:?}"),
    }
    let (_, other) = register(&h, 2, h.onsite);
    assert!(matches!(
        keyless.request_visa_letter(Holder::Token(&other), &passport()),
        Err(AppError::Refused(_))
    ));
    assert!(keyless.passport_key_needed().expect("needed"));
}

on_both_backends!(
    the_visa_export_carries_the_details_for_the_secretariat_only,
    a_request_is_issued_as_a_numbered_letter_and_mailed,
    refusals_say_why_and_the_registrant_may_ask_again,
    only_onsite_active_registrations_of_events_with_letters_may_ask,
    passport_details_are_for_the_secretariat_only,
    details_are_purged_after_the_retention_period,
    passport_numbers_are_not_stored_in_clear,
    details_moved_to_another_row_do_not_decrypt,
    details_stored_before_encryption_are_read_then_encrypted,
    rotating_the_key_reencrypts_every_detail,
    a_rotation_without_the_old_key_changes_nothing,
    without_a_key_no_details_are_taken_or_shown,
);
