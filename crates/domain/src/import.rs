//! Reading existing meeting documents (summaries and agendas written by secretariats):
//! the conventions are those of `shared/IMPORT-JSON.md`. Nothing is guessed: what a
//! document does not say stays empty, and what cannot be read is reported as a warning.
//!
//! This first part recognises the kind of document, its title, its organising body and
//! the participant annex; the meeting header, agenda items and action items follow.

use serde::Serialize;

/// Something the importer could not recognise or import, with its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Summary,
    Agenda,
    Unrecognised,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub role_group: Option<String>,
}

/// The document as lines: byte-order mark and `\r` removed.
pub fn lines(raw: &str) -> Vec<String> {
    raw.trim_start_matches('\u{feff}')
        .split('\n')
        .map(|l| l.trim_end_matches('\r').to_owned())
        .collect()
}

/// A value normalised as IMPORT-JSON §2 says: no-break spaces and runs of white space
/// become one space, trimmed; empty is `None`.
pub fn clean(text: &str) -> Option<String> {
    let joined = text
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Some(joined).filter(|s| !s.is_empty())
}

/// The first non-empty line, as written.
pub fn title(lines: &[String]) -> Option<String> {
    lines.iter().find_map(|l| clean(l))
}

/// The organiser named on a "Hosted by X" line (also Organised/Organized/Convened by),
/// without a leading "the". No such line: `None`, whatever the title says.
pub fn body(lines: &[String]) -> Option<String> {
    const MARKERS: [&str; 4] = [
        "Hosted by ",
        "Organised by ",
        "Organized by ",
        "Convened by ",
    ];
    lines.iter().find_map(|l| {
        let line = clean(l)?;
        let rest = MARKERS.iter().find_map(|m| line.strip_prefix(m))?;
        let rest = rest
            .strip_prefix("the ")
            .or_else(|| rest.strip_prefix("The "))
            .unwrap_or(rest);
        clean(rest)
    })
}

fn is_participant_annex(line: &str) -> bool {
    let lower = line.to_lowercase();
    lower.contains("list of participants") || lower.trim_end_matches(':') == "participants"
}

fn is_other_annex(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    lower.starts_with("annex") && !is_participant_annex(&lower)
}

/// The participant annex: role-group headings (`Group<TAB>` or `Group:`) and person
/// lines (`Family<TAB>Given`). Returns the people and the warnings.
pub fn participants(lines: &[String]) -> (Vec<Participant>, Vec<Warning>) {
    let mut people: Vec<Participant> = Vec::new();
    let mut warnings = Vec::new();
    let Some(start) = lines
        .iter()
        .position(|l| clean(l).is_some_and(|l| is_participant_annex(&l)))
    else {
        return (people, warnings);
    };
    // Colon-style annexes list one-part names without a tab; tab-style ones never do.
    let colon_style = lines[start + 1..]
        .iter()
        .any(|l| !l.contains('\t') && clean(l).is_some_and(|c| c.ends_with(':')));
    let mut group: Option<String> = None;
    for (offset, raw) in lines[start + 1..].iter().enumerate() {
        let number = start + offset + 2;
        let Some(line) = clean(raw) else { continue };
        if is_other_annex(&line) {
            break;
        }
        let (family, given) = match raw.split_once('\t') {
            Some((f, g)) => (clean(f), clean(g)),
            None if line.ends_with(':') => {
                group = clean(line.trim_end_matches(':'));
                continue;
            }
            None if colon_style => (Some(line.clone()), None),
            None => {
                warnings.push(Warning {
                    line: Some(number),
                    message: format!("not a participant line: {line:?}"),
                });
                continue;
            }
        };
        if given.is_none() && !colon_style {
            // `Group<TAB>` with no given name: a role-group heading.
            group = family;
            continue;
        }
        if group.is_none() {
            warnings.push(Warning {
                line: Some(number),
                message: format!("{line:?} is listed before any role group"),
            });
        }
        let person = Participant {
            family_name: family,
            given_name: given,
            role_group: group.clone(),
        };
        if people.contains(&person) {
            warnings.push(Warning {
                line: Some(number),
                message: format!("{line:?} is listed twice in the same role group; imported once"),
            });
            continue;
        }
        people.push(person);
    }
    (people, warnings)
}

/// What kind of document this is, from its content (never its file name).
pub fn kind(lines: &[String]) -> Kind {
    let cleaned: Vec<String> = lines.iter().filter_map(|l| clean(l)).collect();
    let has = |pred: &dyn Fn(&str) -> bool| cleaned.iter().any(|l| pred(l));
    let actions = has(&|l| matches!(l.trim_end_matches(':'), "Actions" | "Action items"));
    let annex = has(&|l| is_participant_annex(l));
    let agenda_marks = has(&|l| {
        let lower = l.to_lowercase();
        lower.trim_start_matches('*').starts_with("input documents")
            || lower.trim_start_matches('*').starts_with("desired outputs")
            || (lower.starts_with("day ") && l.contains('|'))
    });
    if actions || annex {
        Kind::Summary
    } else if agenda_marks {
        Kind::Agenda
    } else {
        Kind::Unrecognised
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn sample(name: &str) -> (Vec<String>, Value) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples");
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt")))
            .expect("sample text (../shared/samples)");
        let expected = std::fs::read_to_string(dir.join(format!("{name}.expected.json")))
            .expect("expected extraction");
        (lines(&text), serde_json::from_str(&expected).expect("json"))
    }

    fn as_opt(v: &Value) -> Option<String> {
        v.as_str().map(str::to_owned)
    }

    #[test]
    fn the_samples_kind_title_and_body_match_their_expected_extraction() {
        for name in [
            "mag-2024-meeting-viii-summary",
            "open-consultations-2024-agenda",
        ] {
            let (lines, expected) = sample(name);
            let kind = serde_json::to_value(super::kind(&lines)).expect("kind");
            assert_eq!(kind, expected["kind"], "{name}");
            assert_eq!(title(&lines), as_opt(&expected["title"]), "{name}");
            assert_eq!(body(&lines), as_opt(&expected["body"]), "{name}");
        }
    }

    #[test]
    fn the_summary_sample_participants_match_exactly() {
        let (lines, expected) = sample("mag-2024-meeting-viii-summary");
        let (people, warnings) = participants(&lines);
        let expected: Vec<Participant> = expected["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .map(|p| Participant {
                family_name: as_opt(&p["family_name"]),
                given_name: as_opt(&p["given_name"]),
                role_group: as_opt(&p["role_group"]),
            })
            .collect();
        assert_eq!(people, expected);
        assert!(warnings.is_empty(), "{warnings:?}");
        let (none, _) = participants(&sample("open-consultations-2024-agenda").0);
        assert!(none.is_empty(), "no annex, no participants");
    }

    #[test]
    fn colon_style_annexes_single_names_orphans_and_duplicates() {
        let text = "Minutes\r\n\r\nAnnex 2: List of Participants\r\nOkafor\tAmara\r\nMembers:\r\nSuharto\r\nGonzález Mongelós\tÁngel\r\nGonzález Mongelós\tÁngel\r\n\r\nObservers:\r\nPetrov\tIvan\r\nAnnex 3: Documents\r\nNot\ta person\r\n";
        let (people, warnings) = participants(&lines(text));
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
    fn byte_order_marks_and_no_break_spaces_are_ignored() {
        let ls =
            lines("\u{feff}  Open\u{a0}Consultations \r\nOrganised by the Forum Secretariat\r\n");
        assert_eq!(title(&ls).as_deref(), Some("Open Consultations"));
        assert_eq!(body(&ls).as_deref(), Some("Forum Secretariat"));
        assert_eq!(
            kind(&lines("Press release\nThe forum met.")),
            Kind::Unrecognised
        );
    }
}
