//! The secretariat's export of registrations: access, the list's filters, every batch
//! of a long list in id order, the columns, formula cells neutralised — on SQLite and
//! PostgreSQL.

mod common;

use common::{admin, app_at, signed_in};
use plenary_app::export::Format;
use plenary_app::registration::export::BATCH;
use plenary_app::registration::{
    CategoryInput, EventInput, QuestionInput, RegistrationInput, RegistrationQuery,
};
use plenary_app::{App, AppError, Caller, NewAccount};
use plenary_domain::registration::RegistrationStatus;
use plenary_domain::{Grant, Role, Scope};
use plenary_store::registration::{self as store, NewRegistration};
use plenary_store::testing::TestDb;
use std::collections::BTreeMap;

struct Harness {
    app: App,
    admin: Caller,
    event: i64,
    onsite: i64,
    online: i64,
    db: TestDb,
}

/// Registrants bulk-inserted besides the three who register through the app: more
/// than two batches.
const BULK: i64 = 2 * BATCH + 17;

fn question(key: &str, label: &str, kind: &str, options: &str) -> QuestionInput {
    QuestionInput {
        key: key.into(),
        label: label.into(),
        kind: kind.into(),
        required: false,
        options: options.into(),
    }
}

fn harness(db: TestDb) -> Harness {
    let (app, _clock) = app_at(&db, (2026, 5, 1, 10));
    let admin = admin(&app);
    let event = app
        .save_event(
            &admin,
            None,
            &EventInput {
                title: "Annual Forum 2026".into(),
                venue: "Nairobi".into(),
                time_zone: "Africa/Nairobi".into(),
                starts_at: "2026-06-22T09:00".into(),
                ends_at: "2026-06-26T18:00".into(),
                registration_opens_at: "2026-04-01T00:00".into(),
                registration_closes_at: "2026-06-01T00:00".into(),
                changes_until: "2026-06-10T00:00".into(),
                public_list: true,
                ..Default::default()
            },
        )
        .expect("event")
        .id;
    let category = |name: &str, mode: &str| CategoryInput {
        name: name.into(),
        mode: mode.into(),
        capacity: String::new(),
        needs_approval: false,
    };
    let onsite = app
        .save_category(&admin, event, None, &category("Onsite", "onsite"))
        .expect("category")
        .id;
    let online = app
        .save_category(&admin, event, None, &category("Online", "online"))
        .expect("category")
        .id;
    for q in [
        question("diet", "Dietary needs", "choice", "none\nvegetarian\nhalal"),
        question("topics", "Topics", "multi_choice", "AI\nAccess\nRights"),
        question("home", "Home country", "country", ""),
        question("photos", "I agree to be photographed", "checkbox", ""),
    ] {
        app.add_question(&admin, event, &q).expect("question");
    }
    Harness {
        app,
        admin,
        event,
        onsite,
        online,
        db,
    }
}

fn answers(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect()))
        .collect()
}

fn register(h: &Harness, email: &str, family: &str, given: &str, category: i64) {
    register_with(h, email, family, given, category, BTreeMap::new());
}

fn register_with(
    h: &Harness,
    email: &str,
    family: &str,
    given: &str,
    category: i64,
    answers: BTreeMap<String, Vec<String>>,
) {
    h.app
        .register(
            &Caller::anonymous(None),
            h.event,
            &RegistrationInput {
                category_id: category.to_string(),
                email: email.into(),
                family_name: family.into(),
                given_name: given.into(),
                organization: "=1+1".into(),
                country: "KE".into(),
                answers,
                listed: true,
            },
        )
        .expect("register");
}

/// Three registrants through the app, then `BULK` inserted in one transaction (half
/// of them waiting, every third online).
fn fill(h: &Harness) {
    register_with(
        h,
        "amara@example.org",
        "Okafor",
        "Amara",
        h.onsite,
        answers(&[
            ("diet", &["halal"]),
            ("topics", &["AI", "Rights"]),
            ("home", &["NG"]),
            ("photos", &["yes"]),
        ]),
    );
    register(
        h,
        "evil@example.org",
        "=HYPERLINK(\"http://x\")",
        "Eve",
        h.online,
    );
    register(h, "layla@example.org", "الهاشمي", "ليلى", h.onsite);
    let now = h.app.now();
    h.db.db
        .write(|tx| {
            for n in 0..BULK {
                let email = format!("bulk{n:04}@example.org");
                let family = format!("Bulk{n:04}");
                store::insert_registration(
                    tx,
                    &NewRegistration {
                        event_id: h.event,
                        category_id: if n % 3 == 0 { h.online } else { h.onsite },
                        user_id: None,
                        email: &email,
                        email_key: &email,
                        family_name: &family,
                        given_name: "Ana",
                        name_key: &format!("ana {}", family.to_lowercase()),
                        organization: "",
                        country: None,
                        status: if n % 2 == 0 {
                            RegistrationStatus::Waitlisted
                        } else {
                            RegistrationStatus::Confirmed
                        },
                        answers: "{}",
                        listed: false,
                        badge_code: &format!("B{n:09}"),
                        manage_token_hash: &format!("h{n}"),
                    },
                    now,
                )?;
            }
            Ok::<_, plenary_store::StoreError>(())
        })
        .expect("bulk");
}

fn export(h: &Harness, query: &RegistrationQuery, format: Format) -> (String, Vec<u8>, u64) {
    let export = h
        .app
        .export_registrations(&h.admin, h.event, query, format)
        .expect("export");
    let mut out = Vec::new();
    let rows = export.write_to(&mut out).expect("written");
    (export.file_name().to_owned(), out, rows)
}

/// The CSV's records (this test's data has no quoted line breaks).
fn records(bytes: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("byte-order mark");
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_owned).collect();
    assert_eq!(lines.pop().as_deref(), Some(""), "ends with CRLF");
    lines
}

fn query(search: &str, status: &str, category: &str) -> RegistrationQuery {
    RegistrationQuery {
        search: search.into(),
        status: status.into(),
        category_id: category.into(),
        page: 1,
    }
}

fn only_the_secretariat_exports(h: Harness) {
    h.app
        .create_user(
            &h.admin,
            &NewAccount {
                email: "member@example.org".into(),
                display_name: "Member".into(),
                password: common::PASSWORD.into(),
                grants: vec![Grant {
                    role: Role::Member,
                    scope: Scope::Global,
                }],
            },
        )
        .expect("member");
    let member = signed_in(&h.app, "member@example.org");
    let all = RegistrationQuery::default();
    assert!(matches!(
        h.app
            .export_registrations(&member, h.event, &all, Format::Csv),
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        h.app
            .export_registrations(&Caller::anonymous(None), h.event, &all, Format::Csv),
        Err(AppError::SignInRequired)
    ));
    assert!(matches!(
        h.app
            .export_registrations(&h.admin, h.event + 999, &all, Format::Xlsx),
        Err(AppError::NotFound)
    ));
    let Err(AppError::Invalid(errors)) =
        h.app
            .export_registrations(&h.admin, h.event, &query("", "lost", "x"), Format::Csv)
    else {
        panic!("bad filters accepted");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["status", "category_id"]);
    // An export is in the audit log: personal data left the system.
    h.app
        .export_registrations(&h.admin, h.event, &query("ana", "", ""), Format::Xlsx)
        .expect("export");
    let log = h
        .app
        .audit_log(&h.admin, &Default::default())
        .expect("audit");
    let entry = log
        .iter()
        .find(|e| e.action == "registration.export")
        .expect("export logged");
    assert!(
        entry.detail.contains("\"xlsx\"") && entry.detail.contains("\"ana\""),
        "{}",
        entry.detail
    );
}

fn a_csv_export_holds_every_batch_in_id_order(h: Harness) {
    fill(&h);
    let (name, bytes, rows) = export(&h, &RegistrationQuery::default(), Format::Csv);
    assert_eq!(name, "registrations-annual-forum-2026-2026-05-01.csv");
    assert_eq!(rows, BULK as u64 + 3);
    let lines = records(&bytes);
    assert_eq!(lines.len() as u64, rows + 1);
    assert_eq!(
        lines[0],
        "Id,Family name,Given name,E-mail address,Organization,Country code,Country,Category,Mode,Status,Reason,\
         Registered at (UTC),Registered at (Africa/Nairobi),Checked in at (UTC),Checked in at (Africa/Nairobi),\
         Consent to the public list,Dietary needs,Topics,Home country,I agree to be photographed"
    );
    let header = lines[0].to_lowercase();
    assert!(!header.contains("passport") && !header.contains("visa"));
    let ids: Vec<i64> = lines[1..]
        .iter()
        .map(|l| {
            l.split(',')
                .next()
                .and_then(|id| id.parse().ok())
                .expect("id")
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending, no repeat");
    let amara = &lines[1];
    assert!(
        amara.ends_with(
            ",Okafor,Amara,amara@example.org,'=1+1,KE,Kenya,Onsite,Onsite,Confirmed,,\
             2026-05-01T10:00:00Z,2026-05-01T13:00:00+03:00,,,yes,halal,AI; Rights,Nigeria,yes"
        ),
        "{amara}"
    );
    // A formula typed as a name stays text.
    assert!(
        lines[2].contains(",\"'=HYPERLINK(\"\"http://x\"\")\",Eve,"),
        "{}",
        lines[2]
    );
    assert!(lines[3].contains(",الهاشمي,ليلى,"), "{}", lines[3]);
    assert!(
        lines[4]
            .contains(",Bulk0000,Ana,bulk0000@example.org,,,,Online,Online,On the waiting list,")
    );
    assert!(
        lines
            .last()
            .expect("last")
            .contains(&format!("Bulk{:04}", BULK - 1))
    );
}

fn the_list_filters_apply(h: Harness) {
    fill(&h);
    let waiting = export(&h, &query("", "waitlisted", ""), Format::Csv);
    assert_eq!(waiting.2, (BULK as u64).div_ceil(2));
    assert!(
        records(&waiting.1)[1..]
            .iter()
            .all(|l| l.contains(",On the waiting list,"))
    );
    let online = export(&h, &query("", "", &h.online.to_string()), Format::Csv);
    assert_eq!(online.2, (BULK as u64).div_ceil(3) + 1);
    let searched = export(&h, &query("HYPERLINK", "", ""), Format::Csv);
    assert_eq!(searched.2, 1);
    let searched = export(
        &h,
        &query("bulk01", "confirmed", &h.onsite.to_string()),
        Format::Csv,
    );
    // bulk0100..bulk0199 confirmed (odd) and onsite (not divisible by 3).
    let expected = (100..200).filter(|n| n % 2 == 1 && n % 3 != 0).count() as u64;
    assert_eq!(searched.2, expected);
    // The same rows as the list shows.
    let list = h
        .app
        .registrations(
            &h.admin,
            h.event,
            &query("bulk01", "confirmed", &h.onsite.to_string()),
        )
        .expect("list");
    assert_eq!(list.total as u64, expected);
    let nobody = export(&h, &query("nobody", "", ""), Format::Csv);
    assert_eq!((nobody.2, records(&nobody.1).len()), (0, 1));
}

fn an_xlsx_export_is_one_streamed_workbook(h: Harness) {
    fill(&h);
    let (name, bytes, rows) = export(&h, &RegistrationQuery::default(), Format::Xlsx);
    assert!(name.ends_with(".xlsx"));
    assert_eq!(rows, BULK as u64 + 3);
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    assert_eq!(&bytes[bytes.len() - 22..bytes.len() - 18], b"PK\x05\x06");
    // Stored entries: the sheet's XML is in the file as it is.
    let text = String::from_utf8_lossy(&bytes);
    let last = format!("<row r=\"{}\">", rows + 1);
    assert!(text.contains(&last));
    assert!(!text.contains(&format!("<row r=\"{}\">", rows + 2)));
    assert!(
        text.contains("=HYPERLINK(&quot;http://x&quot;)"),
        "typed as text, unchanged"
    );
}

on_both_backends!(
    only_the_secretariat_exports,
    a_csv_export_holds_every_batch_in_id_order,
    the_list_filters_apply,
    an_xlsx_export_is_one_streamed_workbook,
);
