//! Invented documents, one per family of variation the importer must take (IMPORT-JSON
//! conventions), each with its expected extraction written by hand beside it in
//! `tests/import/`: the output must equal it, and every expected warning must be
//! reported (the wording is ours, so the count is compared).

use plenary_domain::import::extract;
use serde_json::Value;

fn check(name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import");
    let text = std::fs::read(dir.join(format!("{name}.txt"))).expect("document");
    let text = String::from_utf8(text).expect("utf-8");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{name}.expected.json"))).expect("expected"),
    )
    .expect("json");
    let extraction = extract(&text);
    let mut produced = serde_json::to_value(&extraction).expect("json");
    produced.as_object_mut().expect("object").remove("warnings");
    let mut expected = expected;
    let warnings_expected = expected
        .as_object_mut()
        .expect("object")
        .remove("warnings_expected")
        .and_then(|w| w.as_array().map(Vec::len))
        .unwrap_or(0);
    for (key, value) in expected.as_object().expect("object") {
        assert_eq!(
            &produced[key],
            value,
            "{name}: {key} differs\nproduced: {}",
            serde_json::to_string_pretty(&produced[key]).unwrap_or_default()
        );
    }
    assert_eq!(produced, expected, "{name}");
    assert!(
        extraction.warnings.len() >= warnings_expected,
        "{name}: {warnings_expected} warnings expected, got {:#?}",
        extraction.warnings
    );
}

#[test]
fn summary_with_bom_crlf_offset_zone_owners_deadlines_and_a_cut_off_end() {
    check("pnai-2025-meeting-4-summary");
}

#[test]
fn single_day_agenda_without_heading_12_hour_times_place_zone_and_lists() {
    check("dc-day-2025-agenda");
}

#[test]
fn multi_day_agenda_with_weekday_headings_a_venue_from_the_room_line_and_an_impossible_date() {
    check("mag-retreat-2026-agenda");
}

#[test]
fn summary_in_summer_geneva_with_an_annexed_agenda_and_a_tab_annex() {
    check("wg-strategy-2025-meeting-3-summary");
}

#[test]
fn a_press_release_is_unrecognised() {
    check("press-release");
}

#[test]
fn date_and_time_on_separate_labelled_lines_and_a_numbered_agenda() {
    check("board-2026-01-agenda");
}

#[test]
fn two_day_agenda_with_sub_items_before_any_item_and_an_untitled_slot() {
    check("lakes-sig-2026-agenda");
}

/// A document and its expected extraction (without the expected warnings), from `dir`.
fn document(dir: &std::path::Path, name: &str) -> (String, Value) {
    let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("document");
    let mut expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{name}.expected.json"))).expect("expected"),
    )
    .expect("json");
    expected
        .as_object_mut()
        .expect("object")
        .remove("warnings_expected");
    (text, expected)
}

/// One of the project's own documents (`tests/import`).
fn owned(name: &str) -> (String, Value) {
    document(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import"),
        name,
    )
}

/// One of the real samples beside the repository (`../shared/samples`), read only by the
/// ignored tests that `.ci/run` runs in its shared-samples step.
fn sample(name: &str) -> (String, Value) {
    document(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples"),
        name,
    )
}

fn extraction_without_warnings(text: &str) -> Value {
    let mut v = serde_json::to_value(extract(text)).expect("json");
    v.as_object_mut().expect("object").remove("warnings");
    v
}

/// Rewritings a secretariat's tools make (line endings, bullet glyphs, dashes) do not
/// change what is read from a summary and an agenda (each given with its expected
/// extraction).
fn rewritten_by_other_tools_read_the_same(summary: (String, Value), agenda: (String, Value)) {
    let (summary, expected) = summary;
    let crlf = format!("\u{feff}{}", summary.replace('\n', "\r\n"));
    assert_eq!(extraction_without_warnings(&crlf), expected, "BOM + CRLF");
    let bullets: String = summary
        .lines()
        .map(|l| {
            if let Some(rest) = l.strip_prefix("- ➔ ") {
                format!("➔ {rest}")
            } else if let Some(rest) = l.strip_prefix("- ") {
                format!("• {rest}")
            } else if let Some(rest) = l.strip_prefix(" - ") {
                format!("    o {rest}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(
        bullets, summary,
        "the summary has hyphen bullets to rewrite"
    );
    assert_eq!(
        extraction_without_warnings(&bullets),
        expected,
        "other bullets"
    );

    let (agenda, expected) = agenda;
    let dashes = agenda.replace(" - ", "–").replace("•", "-");
    assert_ne!(
        dashes, agenda,
        "the agenda has dashes or bullets to rewrite"
    );
    assert_eq!(
        extraction_without_warnings(&dashes),
        expected,
        "en dashes, hyphen bullets"
    );
    let crlf = format!("\u{feff}{}", agenda.replace('\n', "\r\n"));
    assert_eq!(extraction_without_warnings(&crlf), expected, "BOM + CRLF");
}

#[test]
fn documents_rewritten_by_other_tools_read_the_same() {
    rewritten_by_other_tools_read_the_same(
        owned("wg-strategy-2025-meeting-3-summary"),
        owned("dc-day-2025-agenda"),
    );
    rewritten_by_other_tools_read_the_same(
        owned("wg-strategy-2025-meeting-3-summary"),
        owned("mag-retreat-2026-agenda"),
    );
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn the_samples_rewritten_by_other_tools_read_the_same() {
    rewritten_by_other_tools_read_the_same(
        sample("mag-2024-meeting-viii-summary"),
        sample("open-consultations-2024-agenda"),
    );
}
