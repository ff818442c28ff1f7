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

/// An agenda item of a summary: number, title, sub-headings and how many notes it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub number: Option<String>,
    pub title: Option<String>,
    pub starts_local: Option<String>,
    pub ends_local: Option<String>,
    pub subitems: Vec<String>,
    pub notes_count: usize,
}

/// An action item found under an "Actions" heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    pub item_number: Option<String>,
    pub text: String,
    pub owner: Option<String>,
    pub due_date: Option<String>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(word: &str) -> Option<u32> {
    let w = word
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() >= 3 && m.starts_with(&w) && w.len() <= m.len()))
        .map(|p| p as u32 + 1)
}

fn day_number(word: &str) -> Option<u32> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    let rest = &word[digits.len()..];
    let suffix_ok = matches!(
        rest.trim_end_matches([',', '.']),
        "" | "st" | "nd" | "rd" | "th"
    );
    digits
        .parse()
        .ok()
        .filter(|d| (1..=31).contains(d) && suffix_ok)
}

/// The first "20 August 2024" (weekday and ordinal suffix allowed) in the text.
pub fn first_full_date(text: &str) -> Option<chrono::NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(3).find_map(|w| {
        let year: i32 = w[2]
            .trim_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()?;
        chrono::NaiveDate::from_ymd_opt(year, month(w[1])?, day_number(w[0])?)
    })
}

/// A numbered item heading: "3. Title", "3) Title", "Item 3: Title".
fn numbered(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("Item ").unwrap_or(line);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let after = &rest[digits.len()..];
    let title = after
        .strip_prefix('.')
        .or_else(|| after.strip_prefix(')'))
        .or_else(|| after.strip_prefix(':'))
        .or(if line.starts_with("Item ") {
            Some(after)
        } else {
            None
        })?;
    let title = clean(title)?;
    Some((digits, title))
}

fn is_bullet(raw: &str) -> bool {
    let t = raw.trim_start();
    t.starts_with("- ")
        || t.starts_with('•')
        || t.starts_with('●')
        || t.starts_with("o ")
        || t.starts_with('➔')
}

/// A bullet's text: markers, `**` and Markdown links removed.
pub fn bullet_text(raw: &str) -> Option<String> {
    let mut t = raw.trim().to_owned();
    loop {
        let stripped = t.trim_start_matches(['-', '•', '●', '➔', '→']).trim_start();
        let stripped = stripped.strip_prefix("o ").unwrap_or(stripped);
        if stripped.len() == t.len() {
            break;
        }
        t = stripped.to_owned();
    }
    let t = t.replace("**", "");
    // [text](url) -> text
    let mut out = String::new();
    let mut rest = t.as_str();
    while let Some(open) = rest.find('[') {
        match rest[open..]
            .find("](")
            .and_then(|close| rest[open + close..].find(')').map(|end| (close, end)))
        {
            Some((close, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&rest[open + 1..open + close]);
                rest = &rest[open + close + end + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    clean(&out)
}

/// The grammatical subject at the start of an action sentence, "The" dropped.
pub fn owner(text: &str) -> Option<String> {
    const VERBS: [&str; 14] = [
        " will ",
        " should ",
        " shall ",
        " must ",
        " are invited",
        " is invited",
        " are encouraged",
        " is encouraged",
        " welcome ",
        " welcomes ",
        " to be ",
        " are asked",
        " is asked",
        " would ",
    ];
    let lower = text.to_lowercase();
    let (at, verb) = VERBS
        .iter()
        .filter_map(|v| lower.find(v).map(|at| (at, *v)))
        .min_by_key(|(at, _)| *at)?;
    if verb == " to be " {
        return None;
    }
    let subject = &text[..at];
    let subject = subject
        .strip_prefix("The ")
        .or_else(|| subject.strip_prefix("the "))
        .unwrap_or(subject);
    clean(subject).filter(|s| s.split_whitespace().count() <= 8)
}

/// The deadline of an action: a day and month after "by", "until", "open until" or "no
/// later than", in the first year that puts it on or after the meeting day.
pub fn due_date(text: &str, meeting: Option<chrono::NaiveDate>) -> Option<String> {
    let meeting = meeting?;
    let words: Vec<&str> = text.split_whitespace().collect();
    for (k, w) in words.iter().enumerate() {
        let marker = matches!(w.to_lowercase().as_str(), "by" | "until")
            || (w.eq_ignore_ascii_case("than")
                && k >= 2
                && words[k - 1].eq_ignore_ascii_case("later")
                && words[k - 2].eq_ignore_ascii_case("no"));
        if !marker {
            continue;
        }
        let mut rest = &words[k + 1..];
        if rest.first().is_some_and(|d| {
            [
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            ]
            .contains(&d.trim_end_matches(',').to_lowercase().as_str())
        }) {
            rest = &rest[1..];
        }
        let (Some(d), Some(m)) = (
            rest.first().and_then(|d| day_number(d)),
            rest.get(1).and_then(|m| month(m)),
        ) else {
            continue;
        };
        let explicit_year = rest
            .get(2)
            .and_then(|y| {
                y.trim_matches(|c: char| !c.is_ascii_digit())
                    .parse::<i32>()
                    .ok()
            })
            .filter(|y| *y > 1900);
        let date = match explicit_year {
            Some(y) => chrono::NaiveDate::from_ymd_opt(y, m, d),
            None => [meeting.year(), meeting.year() + 1]
                .into_iter()
                .filter_map(|y| chrono::NaiveDate::from_ymd_opt(y, m, d))
                .find(|date| *date >= meeting),
        };
        return date.map(|d| d.to_string());
    }
    None
}

use chrono::Datelike;

/// The numbered items of a summary with their sub-headings and notes, and the actions
/// under each, up to the first annex.
pub fn summary_items(lines: &[String]) -> (Vec<Item>, Vec<ActionItem>, Vec<Warning>) {
    let meeting = lines
        .iter()
        .take_while(|l| clean(l).is_none_or(|c| numbered(&c).is_none()))
        .find_map(|l| first_full_date(l));
    let mut items: Vec<Item> = Vec::new();
    let mut actions: Vec<ActionItem> = Vec::new();
    let mut warnings = Vec::new();
    let mut in_actions = false;
    let mut last_action_open = false;
    for (k, raw) in lines.iter().enumerate() {
        let Some(line) = clean(raw) else {
            last_action_open = false;
            continue;
        };
        if line.to_lowercase().starts_with("annex") {
            break;
        }
        if !is_bullet(raw) && !raw.starts_with(' ') && !raw.starts_with('\t') {
            if let Some((number, title)) = numbered(&line) {
                items.push(Item {
                    number: Some(number),
                    title: Some(title),
                    starts_local: None,
                    ends_local: None,
                    subitems: Vec::new(),
                    notes_count: 0,
                });
                in_actions = false;
                continue;
            }
            if matches!(line.trim_end_matches(':'), "Actions" | "Action items") {
                in_actions = true;
                continue;
            }
            if let Some(item) = items.last_mut() {
                if in_actions && last_action_open {
                    // A wrapped action bullet continues on this line.
                    if let Some(last) = actions.last_mut() {
                        last.text = format!("{} {}", last.text, line.replace("**", ""))
                            .trim()
                            .to_owned();
                    }
                    continue;
                }
                item.subitems.push(line);
                in_actions = false;
            }
            continue;
        }
        let Some(item) = items.last_mut() else {
            continue;
        };
        let indented = raw.starts_with(' ') || raw.starts_with('\t');
        if in_actions && is_bullet(raw) {
            let Some(text) = bullet_text(raw) else {
                continue;
            };
            if raw.matches("**").count() % 2 == 1 && k + 1 >= lines.len() {
                warnings.push(Warning {
                    line: Some(k + 1),
                    message: "an action is cut off by the end of the file".into(),
                });
                continue;
            }
            last_action_open = raw.matches("**").count() % 2 == 1;
            actions.push(ActionItem {
                item_number: item.number.clone(),
                owner: owner(&text),
                due_date: due_date(&text, meeting),
                text,
            });
        } else if is_bullet(raw) && !indented {
            item.notes_count += 1;
        }
    }
    for a in &mut actions {
        a.owner = owner(&a.text);
        a.due_date = due_date(&a.text, meeting);
    }
    (items, actions, warnings)
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
    fn the_summary_sample_items_and_actions_match() {
        let (lines, expected) = sample("mag-2024-meeting-viii-summary");
        let (items, actions, _) = summary_items(&lines);
        assert_eq!(
            serde_json::to_value(&items).expect("json"),
            expected["items"]
        );
        assert_eq!(
            serde_json::to_value(&actions).expect("json"),
            expected["actions"]
        );
    }

    #[test]
    fn owners_and_deadlines_are_read_from_the_sentence() {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 12, 10);
        assert_eq!(
            owner("Ana Pérez will share the draft."),
            Some("Ana Pérez".into())
        );
        assert_eq!(owner("The venue to be confirmed."), None);
        assert_eq!(
            due_date("Comments are welcome until Monday, 8 January.", day),
            Some("2025-01-08".into())
        );
        assert_eq!(
            due_date("Send the report of the 12 May webinar by 20 May.", day),
            Some("2025-05-20".into())
        );
        assert_eq!(due_date("Finish by the end of the month.", day), None);
        assert_eq!(
            bullet_text("- ➔ **Read [the paper](#) by 2 June.**"),
            Some("Read the paper by 2 June.".into())
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
