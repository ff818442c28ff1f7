use super::*;
use serde_json::Value;

/// The real samples beside the repository, read only by the ignored tests that
/// `.ci/run` runs in its shared-samples step; the project's own documents are in
/// `tests/import` (each checked against its expected extraction by
/// `tests/import_variants.rs`).
fn samples_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples")
}

fn owned_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import")
}

fn document(dir: &std::path::Path, name: &str) -> (String, Value) {
    let text = std::fs::read_to_string(dir.join(format!("{name}.txt")))
        .unwrap_or_else(|e| panic!("{name}.txt in {}: {e}", dir.display()));
    let expected = std::fs::read_to_string(dir.join(format!("{name}.expected.json")))
        .expect("expected extraction");
    (text, serde_json::from_str(&expected).expect("json"))
}

fn sample(name: &str) -> (String, Value) {
    document(&samples_dir(), name)
}

fn owned(name: &str) -> (String, Value) {
    document(&owned_dir(), name)
}

/// The extraction as JSON, without the warnings (their wording is ours).
fn produced(text: &str) -> (Value, Vec<Warning>) {
    let extraction = extract(text);
    let mut value = serde_json::to_value(&extraction).expect("json");
    value.as_object_mut().expect("object").remove("warnings");
    (value, extraction.warnings)
}

fn without_expected_warnings(mut expected: Value) -> (Value, usize) {
    let warnings = expected
        .as_object_mut()
        .expect("object")
        .remove("warnings_expected")
        .and_then(|w| w.as_array().map(Vec::len))
        .unwrap_or(0);
    (expected, warnings)
}

fn assert_same(name: &str, produced: &Value, expected: &Value) {
    for (key, value) in expected.as_object().expect("object") {
        assert_eq!(
            &produced[key],
            value,
            "{name}: field {key} differs\nproduced: {}\nexpected: {}",
            serde_json::to_string_pretty(&produced[key]).unwrap_or_default(),
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
    }
    assert_eq!(produced, expected, "{name}");
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn both_samples_give_exactly_their_expected_extraction() {
    for name in [
        "mag-2024-meeting-viii-summary",
        "open-consultations-2024-agenda",
    ] {
        let (text, expected) = sample(name);
        let (expected, warnings_expected) = without_expected_warnings(expected);
        let (value, warnings) = produced(&text);
        assert_same(name, &value, &expected);
        assert!(
            warnings.len() >= warnings_expected,
            "{name}: {warnings_expected} warnings expected, got {warnings:#?}"
        );
    }
}

/// The agenda reports `orphans` runs of sub-items before any item of their day, and
/// the time slot `untitled` without a title.
fn reports_orphan_sub_items_and_the_untitled_slot(text: &str, orphans: usize, untitled: &str) {
    let warnings = extract(text).warnings;
    let found = warnings
        .iter()
        .filter(|w| w.message.contains("precede any agenda item"))
        .count();
    assert_eq!(found, orphans, "{warnings:#?}");
    assert!(
        warnings.iter().any(|w| w
            .message
            .contains(&format!("\"{untitled}\" has no item title"))),
        "{warnings:#?}"
    );
}

#[test]
fn an_agenda_reports_orphan_sub_items_and_the_untitled_slot() {
    let (text, _) = owned("lakes-sig-2026-agenda");
    reports_orphan_sub_items_and_the_untitled_slot(&text, 2, "11:00 - 11:15");
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn the_agenda_sample_reports_orphan_sub_items_and_the_untitled_slot() {
    let (text, _) = sample("open-consultations-2024-agenda");
    reports_orphan_sub_items_and_the_untitled_slot(&text, 2, "17:45 - 18:00");
}

#[test]
fn colon_style_annexes_single_names_orphans_and_duplicates() {
    let text = "Minutes\r\n\r\nAnnex 2: List of Participants\r\nOkafor\tAmara\r\nMembers:\r\nSuharto\r\nGonzález Mongelós\tÁngel\r\nGonzález Mongelós\tÁngel\r\n\r\nObservers:\r\nPetrov\tIvan\r\nAnnex 3: Documents\r\nNot\ta person\r\n";
    let (people, warnings) = summary::participants(&lines(text));
    let got: Vec<(Option<&str>, Option<&str>, Option<&str>)> = people
        .iter()
        .map(|p| {
            (
                p.family_name.as_deref(),
                p.given_name.as_deref(),
                p.role_group.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some("Okafor"), Some("Amara"), None),
            (Some("Suharto"), None, Some("Members")),
            (Some("González Mongelós"), Some("Ángel"), Some("Members")),
            (Some("Petrov"), Some("Ivan"), Some("Observers")),
        ]
    );
    assert_eq!(
        warnings.len(),
        2,
        "the orphan and the duplicate are reported: {warnings:?}"
    );
}

#[test]
fn owners_and_deadlines_are_read_from_the_sentence() {
    let day = NaiveDate::from_ymd_opt(2024, 12, 10);
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    assert_eq!(
        owner("Ana Pérez will share the draft."),
        Some("Ana Pérez".into())
    );
    assert_eq!(owner("The venue to be confirmed."), None);
    assert_eq!(
        due_date("Comments are welcome until Monday, 8 January.", day),
        date(2025, 1, 8)
    );
    assert_eq!(
        due_date("Send the report of the 12 May webinar by 20 May.", day),
        date(2025, 5, 20)
    );
    assert_eq!(due_date("Finish by the end of the month.", day), None);
    assert_eq!(
        bullet_text("- ➔ **Read [the paper](#) by 2 June.**"),
        Some("Read the paper by 2 June.".into())
    );
}

#[test]
fn byte_order_marks_and_no_break_spaces_are_ignored() {
    let ls = lines("\u{feff}  Open\u{a0}Consultations \r\nOrganised by the Forum Secretariat\r\n");
    assert_eq!(title(&ls).as_deref(), Some("Open Consultations"));
    assert_eq!(body(&ls).as_deref(), Some("Forum Secretariat"));
    assert_eq!(
        kind(&lines("Press release\nThe forum met.")),
        Kind::Unrecognised
    );
}

#[test]
fn owners_in_the_phrasings_minutes_use() {
    for (sentence, expected) in [
        (
            "Secretariat to circulate the draft by 5 June.",
            Some("Secretariat"),
        ),
        ("Comments are welcome until 8 January.", None),
        ("Send comments to the Secretariat by 5 June.", None),
        (
            "Following the call, the Secretariat will publish the list.",
            Some("Secretariat"),
        ),
        (
            "MAG members are requested to confirm attendance.",
            Some("MAG members"),
        ),
        (
            "İstanbul hosts will share the venue details.",
            Some("İstanbul hosts"),
        ),
        ("Report to be circulated by 2 May.", None),
    ] {
        assert_eq!(owner(sentence).as_deref(), expected, "{sentence}");
    }
}

#[test]
fn wrapped_notes_escaped_links_and_headings_without_their_tab() {
    let text = "Meeting\n20 August 2024 | 11:00 UTC | Online\n\n1. Updates\n- The Chair reviewed the [updated \\(IWW\\) paper](#) and\nasked for comments.\nWG-Strategy\n- A second note.\n\nActions\n- The Secretariat will circulate the [paper \\(v2\\)](#).\n\nAnnex 2: List of Participants\nMAG Chair\nOkafor\tAmara\n";
    let x = extract(text);
    assert_eq!(x.items[0].notes_count, 2, "{:?}", x.items[0]);
    assert_eq!(x.items[0].subitems, ["WG-Strategy"]);
    assert_eq!(
        x.items[0].notes[0],
        "The Chair reviewed the updated (IWW) paper and asked for comments."
    );
    assert_eq!(
        x.actions[0].text,
        "The Secretariat will circulate the paper (v2)."
    );
    assert_eq!(x.participants[0].role_group.as_deref(), Some("MAG Chair"));
}

#[test]
fn deadlines_written_month_first_or_with_of() {
    let day = NaiveDate::from_ymd_opt(2025, 7, 10);
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    assert_eq!(due_date("Send it by June 30.", day), date(2026, 6, 30));
    assert_eq!(
        due_date("Send it by the 30th of August.", day),
        date(2025, 8, 30)
    );
    assert_eq!(
        due_date("Open until Friday 1 August 2025.", day),
        date(2025, 8, 1)
    );
    assert_eq!(due_date("Organised by 5 partners.", day), None);
}

#[test]
fn extra_annex_columns_are_not_names() {
    let text = "Minutes\n1. Item\n- note\nList of participants\nMembers:\nOkafor\tAmara\tISOC\nSuharto\t\n";
    let people = extract(text).participants;
    assert_eq!(people[0].given_name.as_deref(), Some("Amara"));
    assert_eq!(people[1].family_name.as_deref(), Some("Suharto"));
    assert_eq!(people[1].given_name, None);
}

/// The header's statement in the forms secretariats write it: (header lines, start,
/// end, zone, mode, venue).
#[test]
fn header_statements_give_instants_zone_mode_and_venue() {
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<Mode>,
        Option<&'a str>,
    );
    let cases: [Case; 9] = [
        (
            "20 August 2024 | 11:00 UTC | Online",
            Some("2024-08-20T11:00:00Z"),
            None,
            Some("UTC"),
            Some(Mode::Online),
            None,
        ),
        (
            "12 March 2025 | 14:00 CET | Online",
            Some("2025-03-12T13:00:00Z"),
            None,
            None,
            Some(Mode::Online),
            None,
        ),
        (
            "5 July 2025 | 10:00 Geneva time | Online",
            Some("2025-07-05T08:00:00Z"),
            None,
            Some("Europe/Zurich"),
            Some(Mode::Online),
            None,
        ),
        (
            "3 July 2025 | 16:00–18:00 EAT | Nairobi, Kenya",
            Some("2025-07-03T13:00:00Z"),
            Some("2025-07-03T15:00:00Z"),
            Some("Africa/Nairobi"),
            None,
            Some("Nairobi, Kenya"),
        ),
        (
            "10 December 2024 | 13:00-15:00 UTC | Hybrid | Riyadh",
            Some("2024-12-10T13:00:00Z"),
            Some("2024-12-10T15:00:00Z"),
            Some("Asia/Riyadh"),
            Some(Mode::Hybrid),
            Some("Riyadh"),
        ),
        (
            "Thursday, 10 July 2025, 17:00 CET\nIn person\nVenue: Palais des Nations, Geneva",
            Some("2025-07-10T15:00:00Z"),
            None,
            Some("Europe/Zurich"),
            Some(Mode::Onsite),
            Some("Palais des Nations, Geneva"),
        ),
        (
            "2025-03-05 14:00 - 16:00 (UTC+3) via Zoom",
            Some("2025-03-05T11:00:00Z"),
            Some("2025-03-05T13:00:00Z"),
            None,
            Some(Mode::Online),
            None,
        ),
        (
            "26–28 June 2024\nGeneva, Switzerland",
            None,
            None,
            Some("Europe/Zurich"),
            None,
            Some("Geneva, Switzerland"),
        ),
        (
            "Monday, 24 November 2025, 22:00 - 01:00 UTC | Online",
            Some("2025-11-24T22:00:00Z"),
            Some("2025-11-25T01:00:00Z"),
            Some("UTC"),
            Some(Mode::Online),
            None,
        ),
    ];
    for (header, starts, ends, zone, mode, venue) in cases {
        let text = format!(
            "Meeting\n{header}\n\n1. Item\n- A note.\n\nActions\n- The Secretariat will do it.\n"
        );
        let m = extract(&text).meeting;
        let instant =
            |at: Option<DateTime<Utc>>| at.map(|a| a.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        assert_eq!(
            instant(m.starts_at_utc).as_deref(),
            starts,
            "{header}: start"
        );
        assert_eq!(instant(m.ends_at_utc).as_deref(), ends, "{header}: end");
        assert_eq!(m.time_zone.as_deref(), zone, "{header}: zone");
        assert_eq!(m.mode, mode, "{header}: mode");
        assert_eq!(m.venue.as_deref(), venue, "{header}: venue");
    }
}

#[test]
fn numbered_items_with_phrases_are_an_agenda_with_sentences_a_summary() {
    let agenda = "Board meeting\n14 January 2026, 13:00 UTC\n\n1. Welcome\n- Apologies\n2. Budget\n- Treasurer's report\n- Fees\n";
    assert_eq!(kind(&lines(agenda)), Kind::Agenda);
    let summary = "Board meeting\n14 January 2026, 13:00 UTC\n\n1. Welcome\n- The Chair welcomed the members and noted two apologies.\n2. Budget\n- The Treasurer presented the report, which was approved without changes.\n";
    assert_eq!(kind(&lines(summary)), Kind::Summary);
}

#[test]
fn offsets_written_with_other_scripts_are_not_offsets() {
    // Found by the property test: a multi-byte character after "UTC +".
    let x = extract("Time (CET) Agenda Item\nUTC + ಒ!]\n10:00 UTC+ಒಒ Opening\n");
    assert_eq!(x.kind, Kind::Agenda);
    let _ = extract("UTC+99999999999 UTC-0530 UTC+5:30 GMT+ಒಒಒಒ");
}

/// A summary around a header line, for header cases.
fn with_header(header: &str) -> Extraction {
    extract(&format!(
        "Meeting\n{header}\n\n1. Item\n- A note.\n\nActions\n- The Secretariat will do it.\n"
    ))
}

#[test]
fn a_one_line_header_with_bars_keeps_every_field_in_any_order() {
    type Case<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        &'a [&'a str],
        Option<Mode>,
        &'a str,
    );
    let cases: [Case; 5] = [
        (
            "Wednesday, 5 March 2025 | 14:00–16:00 CET | Hybrid | Palais des Nations, Geneva | Room XIX",
            "2025-03-05T13:00:00Z",
            Some("Palais des Nations, Geneva"),
            &["Room XIX"],
            Some(Mode::Hybrid),
            "Europe/Zurich",
        ),
        (
            "Hybrid | Room XIX | Palais des Nations, Geneva | 14:00–16:00 CET | Wednesday, 5 March 2025",
            "2025-03-05T13:00:00Z",
            Some("Palais des Nations, Geneva"),
            &["Room XIX"],
            Some(Mode::Hybrid),
            "Europe/Zurich",
        ),
        (
            "Tuesday, 8 April 2025 | 09:00 - 12:00 EAT | In person | UN Gigiri Complex, Nairobi | Conference Room 2",
            "2025-04-08T06:00:00Z",
            Some("UN Gigiri Complex, Nairobi"),
            &["Conference Room 2"],
            Some(Mode::Onsite),
            "Africa/Nairobi",
        ),
        (
            "8 April 2025 | Room: Salle XVII | Venue: Palais des Nations, Geneva | 10:00 CEST | Hybrid",
            "2025-04-08T08:00:00Z",
            Some("Palais des Nations, Geneva"),
            &["Salle XVII"],
            Some(Mode::Hybrid),
            "Europe/Zurich",
        ),
        // The date on a line of its own, the rest on the time line.
        (
            "8 April 2025\nTime: 10:00 CEST | Hybrid | Sala 3 | Palais des Nations, Geneva",
            "2025-04-08T08:00:00Z",
            Some("Palais des Nations, Geneva"),
            &["Sala 3"],
            Some(Mode::Hybrid),
            "Europe/Zurich",
        ),
    ];
    for (header, starts, venue, rooms, mode, zone) in cases {
        let x = with_header(header);
        let m = &x.meeting;
        assert_eq!(
            m.starts_at_utc
                .map(|a| a.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .as_deref(),
            Some(starts),
            "{header}: start"
        );
        assert_eq!(m.venue.as_deref(), venue, "{header}: venue");
        assert_eq!(m.rooms, rooms, "{header}: rooms");
        assert_eq!(m.mode, mode, "{header}: mode");
        assert_eq!(m.time_zone.as_deref(), Some(zone), "{header}: zone");
        assert!(x.warnings.is_empty(), "{header}: {:?}", x.warnings);
    }
}

#[test]
fn a_date_range_left_open_at_its_end_has_no_end_and_a_warning() {
    for (header, starts) in [
        ("from 3 March 2026 | Online", None),
        (
            "From Tuesday, 3 March 2026, 09:00 UTC | Online",
            Some("2026-03-03T09:00:00Z"),
        ),
        (
            "Tuesday, 3 March 2026 (09:00 UTC) –",
            Some("2026-03-03T09:00:00Z"),
        ),
        (
            "3 March 2026, 09:00 UTC - TBC",
            Some("2026-03-03T09:00:00Z"),
        ),
        ("3 March 2026 –\nOnline", None),
    ] {
        let x = with_header(header);
        let instant =
            |at: Option<DateTime<Utc>>| at.map(|a| a.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        assert_eq!(
            instant(x.meeting.starts_at_utc).as_deref(),
            starts,
            "{header}: start"
        );
        assert_eq!(x.meeting.ends_at_utc, None, "{header}: no end");
        assert!(
            x.warnings
                .iter()
                .any(|w| w.line == Some(2) && w.message.contains("left open at its end")),
            "{header}: {:?}",
            x.warnings
        );
    }
    // Closed ranges, a start alone, and a dash that is no range: no such warning.
    for header in [
        "3 March 2026 | 09:00-11:00 UTC | Online",
        "3 March 2026 – 5 March 2026 | Online",
        "3 March 2026 | 09:00 UTC | Online",
        "3 March 2026 | 09:00 UTC | Hybrid - Geneva",
        "from 3 March 2026, 09:00 to 11:00 UTC | Online",
    ] {
        let x = with_header(header);
        assert!(
            !x.warnings.iter().any(|w| w.message.contains("left open")),
            "{header}: {:?}",
            x.warnings
        );
    }
}
