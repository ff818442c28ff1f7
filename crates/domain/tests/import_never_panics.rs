//! The importer takes any text without panicking, and a truncated document keeps its
//! kind (IMPORT-JSON §3: "Truncated or partly malformed summaries and agendas keep
//! their kind").

use plenary_domain::import::{Kind, decode, extract};
use proptest::prelude::*;

const BOM: char = '\u{feff}';

/// One of the project's own documents (`tests/import`).
fn owned(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import");
    std::fs::read_to_string(dir.join(name)).expect("document (tests/import)")
}

/// One of the real samples beside the repository (`../shared/samples`), read only by the
/// ignored tests that `.ci/run` runs in its shared-samples step.
fn sample(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples");
    std::fs::read_to_string(dir.join(name)).expect("sample (../shared/samples)")
}

/// Pieces that exercise the parser's branches: bullets, times, dates, zones, headings.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("DAY 1 | 26 June 2024\n".to_owned()),
        Just("Saturday, 30 February\n".to_owned()),
        Just("Time (CET) Agenda Item\n".to_owned()),
        Just("10:30 - 25:99 ".to_owned()),
        Just("12:00 a.m.–4:15 p.m. ".to_owned()),
        Just("(14:10–14:40)".to_owned()),
        Just("UTC+3 ".to_owned()),
        Just("UTC + ".to_owned()),
        Just("Geneva time ".to_owned()),
        Just("  • ".to_owned()),
        Just("- ➔ **".to_owned()),
        Just("o ".to_owned()),
        Just("Actions:\n".to_owned()),
        Just("Annex 2: List of Participants\n".to_owned()),
        Just("Members:\n".to_owned()),
        Just("Family\tGiven\n".to_owned()),
        Just("*Input documents:\n".to_owned()),
        Just("Desired outputs:\n".to_owned()),
        Just("Item 2: ".to_owned()),
        Just("3) ".to_owned()),
        Just("by Monday, 2 ".to_owned()),
        Just("[link](".to_owned()),
        Just("Room: | | ".to_owned()),
        Just("Hosted by the ".to_owned()),
        "[\\PC]{0,12}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn any_text_is_read_without_panicking(pieces in prop::collection::vec(fragment(), 0..40)) {
        let text: String = pieces.concat();
        let extraction = extract(&text);
        // Produced values never carry control or format characters.
        let json = serde_json::to_string(&extraction).expect("json");
        prop_assert!(!json.contains(BOM), "a value holds a byte-order mark");
        if extraction.kind == Kind::Unrecognised {
            prop_assert!(!extraction.warnings.is_empty());
        }
    }

    #[test]
    fn any_bytes_are_decoded_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(text) = decode(&bytes) {
            let _ = extract(text);
        }
    }
}

/// Each document, cut every 37 bytes, keeps its kind once the cut is past its first third.
fn cut_anywhere_after_the_first_third_keeps_the_kind(documents: &[(&str, String, Kind)]) {
    for (name, text, kind) in documents {
        let cuts = text
            .char_indices()
            .map(|(at, _)| at)
            .filter(|at| at % 37 == 0);
        let mut checked = 0;
        for at in cuts {
            let extraction = extract(&text[..at]);
            if at > text.len() / 3 {
                assert_eq!(extraction.kind, *kind, "{name} cut at byte {at}");
                checked += 1;
            }
        }
        assert!(checked > 0, "{name}: no cut was checked");
    }
}

/// The project's documents whose first third reaches past their first items (the
/// board agenda's header alone is a third of it).
#[test]
fn a_document_cut_anywhere_after_its_first_items_keeps_its_kind() {
    let documents: Vec<(&str, String, Kind)> = [
        ("wg-strategy-2025-meeting-3-summary.txt", Kind::Summary),
        ("pnai-2025-meeting-4-summary.txt", Kind::Summary),
        ("mag-retreat-2026-agenda.txt", Kind::Agenda),
        ("dc-day-2025-agenda.txt", Kind::Agenda),
        ("lakes-sig-2026-agenda.txt", Kind::Agenda),
    ]
    .into_iter()
    .map(|(name, kind)| (name, owned(name), kind))
    .collect();
    cut_anywhere_after_the_first_third_keeps_the_kind(&documents);
}

#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn a_sample_cut_anywhere_after_its_first_items_keeps_its_kind() {
    let documents: Vec<(&str, String, Kind)> = [
        ("mag-2024-meeting-viii-summary.txt", Kind::Summary),
        ("open-consultations-2024-agenda.txt", Kind::Agenda),
    ]
    .into_iter()
    .map(|(name, kind)| (name, sample(name), kind))
    .collect();
    cut_anywhere_after_the_first_third_keeps_the_kind(&documents);
}
