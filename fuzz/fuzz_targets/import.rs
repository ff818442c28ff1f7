//! `cargo +nightly fuzz run import`: the importer must take any bytes without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plenary_domain::import::{decode, extract};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = decode(bytes) {
        let extraction = extract(text);
        // Every produced value is clean: no byte-order mark, no control character.
        for warning in &extraction.warnings {
            assert!(!warning.message.is_empty());
        }
        for value in extraction.title.iter().chain(extraction.body.iter()) {
            assert!(!value.chars().any(|c| c.is_control() || c == '\u{feff}'));
        }
    }
});
