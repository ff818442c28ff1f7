//! The importer takes any text without panicking, and a truncated document keeps its
//! kind (IMPORT-JSON §3: "Truncated or partly malformed summaries and agendas keep
//! their kind").

use plenary_domain::import::{Kind, decode, extract};
use proptest::prelude::*;

const BOM: char = '\u{feff}';

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

#[test]
fn a_sample_cut_anywhere_after_its_first_items_keeps_its_kind() {
    for (name, kind) in [
        ("mag-2024-meeting-viii-summary.txt", Kind::Summary),
        ("open-consultations-2024-agenda.txt", Kind::Agenda),
    ] {
        let text = sample(name);
        let cuts = text
            .char_indices()
            .map(|(at, _)| at)
            .filter(|at| at % 37 == 0);
        for at in cuts {
            let extraction = extract(&text[..at]);
            if at > text.len() / 3 {
                assert_eq!(extraction.kind, kind, "{name} cut at byte {at}");
            }
        }
    }
}
