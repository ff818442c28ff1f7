//! Search keys: a case- and accent-insensitive form of a name, for matching.
//!
//! The key is computed here, in Rust, and stored beside the name, so that a search
//! gives the same answer on SQLite and PostgreSQL whatever their collations and
//! extensions (no `unaccent`, no ICU). A query is keyed the same way and matched
//! against the stored key with a plain `LIKE`.

use unicode_normalization::UnicodeNormalization;

/// The search key of `text`: lower-cased, without Latin, Greek or Cyrillic accents,
/// with white space collapsed to single spaces and trimmed.
///
/// Steps:
/// 1. NFKD (compatibility decomposition): `é` becomes `e` + U+0301, `ﬁ` becomes `fi`,
///    full-width `Ａ` becomes `A`, a no-break space becomes a space.
/// 2. Combining *diacritical* marks are dropped (the blocks U+0300–036F, U+1AB0–1AFF,
///    U+1DC0–1DFF, U+20D0–20FF and U+FE20–FE2F). Other combining marks are kept on
///    purpose: Devanagari vowel signs, Japanese voicing marks and the like are part
///    of the letter, and dropping them would merge unrelated names.
/// 3. Lower-case, then decompose and drop accents again (lower-casing `İ` gives
///    `i` + U+0307).
/// 4. Letters that do not decompose are spelt out: `ð`/`đ` → `d`, `þ` → `th`,
///    `ø` → `o`, `ł` → `l`, `ß` → `ss`, `æ` → `ae`, `œ` → `oe`, `ı` → `i`,
///    `ħ` → `h`, `ŧ` → `t`, and Greek final `ς` → `σ` (so that a query typed in
///    capitals, whose last sigma lower-cases to `ς`, matches inside a longer word).
/// 5. Runs of white space become one space; the ends are trimmed.
/// 6. NFC, so that what is left of other scripts (Hangul syllables, kana with
///    voicing marks) is stored composed, as people type it.
///
/// The function is idempotent, and other scripts are kept, only lower-cased:
/// `search_key("Иванов") == "иванов"`.
pub fn search_key(text: &str) -> String {
    let lowered = text
        .nfkd()
        .filter(|c| !is_diacritic(*c))
        .collect::<String>()
        .to_lowercase();
    let mut spelt = String::with_capacity(lowered.len());
    for c in lowered.nfkd().filter(|c| !is_diacritic(*c)) {
        match c {
            'ð' | 'đ' => spelt.push('d'),
            'þ' => spelt.push_str("th"),
            'ø' => spelt.push('o'),
            'ł' => spelt.push('l'),
            'ß' => spelt.push_str("ss"),
            'æ' => spelt.push_str("ae"),
            'œ' => spelt.push_str("oe"),
            'ı' => spelt.push('i'),
            'ħ' => spelt.push('h'),
            'ŧ' => spelt.push('t'),
            'ς' => spelt.push('σ'),
            other => spelt.push(other),
        }
    }
    let collapsed = spelt.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.nfc().collect()
}

/// Whether `c` is a combining diacritical mark (an accent), as opposed to a
/// combining mark that is a letter's vowel or a syllable's part in another script.
fn is_diacritic(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// A file-name part from any text: the [`search_key`] fold, ASCII letters and digits
/// kept, every other run turned into one `-`, at most `max` characters, no `-` at
/// either end (`"IGF 2026 — Genève!"` → `igf-2026-geneve`). Empty when nothing ASCII is
/// left (a name in another script), so that the caller picks a fallback.
pub fn ascii_slug(text: &str, max: usize) -> String {
    let mut slug = String::new();
    for c in search_key(text).chars() {
        if slug.len() >= max {
            break;
        }
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accents_and_case_are_removed() {
        assert_eq!(search_key("Núñez"), "nunez");
        assert_eq!(search_key("Guðrún Jónsdóttir"), "gudrun jonsdottir");
        assert_eq!(search_key("Ramírez García"), search_key("ramirez garcia"));
        assert_eq!(search_key("Ramírez García"), "ramirez garcia");
        assert_eq!(search_key("ŁÓDŹ"), "lodz");
        assert_eq!(search_key("Straße"), "strasse");
        assert_eq!(search_key("Nguyễn Thị Minh Khai"), "nguyen thi minh khai");
        assert_eq!(
            search_key("François Müller-Lüdenscheidt"),
            "francois muller-ludenscheidt"
        );
        assert_eq!(search_key("Çağrı Öztürk"), "cagri ozturk");
        assert_eq!(search_key("Dvořák"), "dvorak");
        assert_eq!(search_key("Ångström"), "angstrom");
    }

    #[test]
    fn letters_that_do_not_decompose_are_spelt_out() {
        assert_eq!(search_key("Þórður"), "thordur");
        assert_eq!(search_key("ÞÓRÐUR"), "thordur");
        assert_eq!(search_key("Đặng"), "dang");
        assert_eq!(search_key("ĐẶNG"), "dang");
        assert_eq!(search_key("Søren Kierkegaard"), "soren kierkegaard");
        assert_eq!(search_key("SØREN"), "soren");
        assert_eq!(search_key("Wałęsa"), "walesa");
        assert_eq!(search_key("STRAẞE"), "strasse");
        assert_eq!(search_key("Ærø"), "aero");
        assert_eq!(search_key("Œuvre"), "oeuvre");
        assert_eq!(search_key("Işık"), "isik");
        assert_eq!(search_key("İSTANBUL"), "istanbul");
        assert_eq!(search_key("Ħamrun"), "hamrun");
    }

    #[test]
    fn compatibility_forms_fold() {
        assert_eq!(search_key("ﬁnance"), "finance");
        assert_eq!(search_key("ＡＢＣ"), "abc");
        assert_eq!(search_key("a\u{00A0}b"), "a b");
        // Decomposed input keys like precomposed input.
        assert_eq!(search_key("Nu\u{0301}n\u{0303}ez"), "nunez");
    }

    #[test]
    fn white_space_is_collapsed_and_trimmed() {
        assert_eq!(search_key("  Ana \t María\n\n López  "), "ana maria lopez");
        assert_eq!(search_key("   "), "");
        assert_eq!(search_key(""), "");
    }

    #[test]
    fn other_scripts_are_kept_lower_cased() {
        assert_eq!(search_key("Иванов"), "иванов");
        assert_eq!(search_key("ИВАНОВ"), "иванов");
        assert_eq!(search_key("محمد عبد الله"), "محمد عبد الله");
        assert_eq!(search_key("王小明"), "王小明");
        assert_eq!(search_key("がくせい"), "がくせい");
        assert_eq!(search_key("김민준"), "김민준");
        assert_eq!(search_key("हिन्दी"), "हिन्दी");
        // Greek: accents dropped, final sigma matches medial sigma.
        assert_eq!(search_key("Αθήνα"), "αθηνα");
        assert_eq!(search_key("ΠΑΠΑΔΌΠΟΥΛΟΣ"), search_key("Παπαδόπουλος"));
        assert!(search_key("Παπαδοπουλόσογλου").starts_with(&search_key("ΠΑΠΑΔΟΠΟΥΛΟΣ")));
    }

    proptest! {
        #[test]
        fn key_is_idempotent(text in "\\PC{0,40}") {
            let key = search_key(&text);
            prop_assert_eq!(search_key(&key), key.clone());
        }

        #[test]
        fn key_is_idempotent_on_accented_latin(text in "[a-zA-Z À-ÿĀ-žǄ-ǌḀ-ỿ\u{0300}-\u{036F}\t]{0,40}") {
            let key = search_key(&text);
            prop_assert_eq!(search_key(&key), key.clone());
        }

        #[test]
        fn ascii_case_does_not_matter(text in "[ -~]{0,40}") {
            prop_assert_eq!(search_key(&text), search_key(&text.to_ascii_uppercase()));
            prop_assert_eq!(search_key(&text), search_key(&text.to_ascii_lowercase()));
        }

        #[test]
        fn key_has_no_upper_case_ascii_nor_edge_spaces(text in "\\PC{0,40}") {
            let key = search_key(&text);
            prop_assert!(!key.chars().any(|c| c.is_ascii_uppercase()));
            prop_assert_eq!(key.trim(), key.as_str());
            prop_assert!(!key.contains("  "));
        }
    }
}
