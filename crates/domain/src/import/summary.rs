//! Summaries: numbered items with their discussion notes and sub-headings, the
//! "Actions" list under each item with owner and deadline read from the sentence, and
//! the participant annex.

use chrono::{Datelike, NaiveDate};

use super::{
    ActionItem, Item, Participant, Warning, bullet_text, clean, is_actions_heading, is_bullet,
    is_indented, is_participant_annex, numbered, unmark, when,
};

pub struct Read {
    pub items: Vec<Item>,
    pub actions: Vec<ActionItem>,
    pub participants: Vec<Participant>,
    pub warnings: Vec<Warning>,
}

/// Reads the body of a summary, from the end of its header.
pub fn read(lines: &[String], header_end: usize, meeting_day: Option<NaiveDate>) -> Read {
    let mut reader = Reader {
        items: Vec::new(),
        actions: Vec::new(),
        warnings: Vec::new(),
        in_actions: false,
        open_action: false,
        last_action_line: 0,
        note_open: false,
    };
    for (k, raw) in lines.iter().enumerate().skip(header_end) {
        let Some(line) = clean(raw) else {
            reader.open_action = false;
            reader.note_open = false;
            continue;
        };
        let plain = clean(&unmark(&line)).unwrap_or_default();
        if plain.to_lowercase().starts_with("annex") || is_participant_annex(&plain) {
            break;
        }
        reader.line(k, raw, &plain);
    }
    let (participants, annex_warnings) = participants(lines);
    let mut read = Read {
        items: reader.items,
        actions: reader.actions,
        participants,
        warnings: reader.warnings,
    };
    read.warnings.extend(annex_warnings);
    drop_cut_off_action(lines, &mut read, reader.last_action_line);
    for action in &mut read.actions {
        action.owner = owner(&action.text);
        action.due_date = due_date(&action.text, meeting_day);
    }
    read
}

struct Reader {
    items: Vec<Item>,
    actions: Vec<ActionItem>,
    warnings: Vec<Warning>,
    in_actions: bool,
    /// The last action's bullet is still open (an unclosed `**`): the next line
    /// continues it.
    open_action: bool,
    last_action_line: usize,
    /// The previous line was a discussion-note bullet (no blank line since).
    note_open: bool,
}

impl Reader {
    fn line(&mut self, k: usize, raw: &str, plain: &str) {
        let after_note = std::mem::take(&mut self.note_open);
        let bullet = is_bullet(raw);
        let indented = is_indented(raw);
        if !bullet && !indented {
            if let Some((number, title)) = numbered(plain) {
                self.start_item(k, number, &title);
                return;
            }
            if is_actions_heading(plain) {
                self.in_actions = true;
                self.open_action = false;
                return;
            }
        }
        if self.items.is_empty() {
            self.warnings.push(Warning::at(
                k + 1,
                format!("{plain:?} comes before the first numbered item: not imported"),
            ));
            return;
        }
        if self.in_actions && self.open_action && !bullet {
            self.continue_action(k, raw);
            return;
        }
        if self.in_actions && bullet {
            self.action(k, raw);
            return;
        }
        if self.in_actions && indented && !self.actions.is_empty() {
            // An indented continuation of a wrapped action bullet.
            self.continue_action(k, raw);
            return;
        }
        self.in_actions = false;
        self.open_action = false;
        let continues_note = !bullet && !indented && after_note && {
            let item = self.items.last().expect("an item exists");
            item.notes
                .last()
                .is_some_and(|n| !n.ends_with(['.', '!', '?', ':', ';']))
                || plain.starts_with(|c: char| c.is_lowercase())
        };
        self.note_open = bullet;
        let item = self.items.last_mut().expect("an item exists");
        if continues_note && let Some(note) = item.notes.last_mut() {
            // A note wrapped onto an unindented line: not a sub-heading.
            note.push(' ');
            note.push_str(plain);
            self.note_open = true;
            return;
        }
        match (bullet, indented) {
            (true, false) => {
                item.notes_count += 1;
                item.notes.push(bullet_text(raw).unwrap_or_default());
            }
            (true, true) | (false, true) => match item.notes.last_mut() {
                Some(note) if bullet => {
                    note.push_str("\n  - ");
                    note.push_str(&bullet_text(raw).unwrap_or_default());
                }
                Some(note) => {
                    note.push(' ');
                    note.push_str(plain);
                }
                None => item.subitems.push(plain.to_owned()),
            },
            (false, false) => item.subitems.push(plain.to_owned()),
        }
    }

    fn start_item(&mut self, k: usize, number: String, title: &str) {
        let line = super::agenda::item_line(title);
        for bad in &line.invalid_times {
            self.warnings.push(Warning::at(
                k + 1,
                format!("{bad:?} is not a valid time: left empty"),
            ));
        }
        self.items.push(Item {
            number: Some(number),
            title: line.title,
            starts_local: line.starts,
            ends_local: line.ends,
            line: k + 1,
            ..Item::default()
        });
        self.in_actions = false;
        self.open_action = false;
    }

    fn action(&mut self, k: usize, raw: &str) {
        let Some(text) = bullet_text(raw) else { return };
        // A bullet still inside `**`, or without its final punctuation, may go on on
        // the next line.
        self.open_action =
            raw.matches("**").count() % 2 == 1 || !text.ends_with(['.', '!', '?', ';', ')']);
        self.last_action_line = k;
        let item = self.items.len() - 1;
        self.actions.push(ActionItem {
            item_number: self.items[item].number.clone(),
            text,
            owner: None,
            due_date: None,
            item_index: item,
        });
    }

    fn continue_action(&mut self, k: usize, raw: &str) {
        self.last_action_line = k;
        if let (Some(last), Some(more)) = (self.actions.last_mut(), clean(&unmark(raw))) {
            last.text = format!("{} {more}", last.text);
            let stars = raw.matches("**").count() % 2 == 1;
            self.open_action = if stars {
                !self.open_action
            } else {
                !last.text.ends_with(['.', '!', '?', ';', ')'])
            };
        }
    }
}

/// A last action visibly cut off by the end of the file (an unclosed `**`, a deadline
/// without its date) is not imported.
fn drop_cut_off_action(lines: &[String], read: &mut Read, last_action_line: usize) {
    let last_text_line = lines.iter().rposition(|l| clean(l).is_some());
    if last_text_line != Some(last_action_line) || read.actions.is_empty() {
        return;
    }
    let bullet_start = (0..=last_action_line)
        .rev()
        .find(|k| is_bullet(&lines[*k]))
        .unwrap_or(last_action_line);
    let stars: usize = lines[bullet_start..=last_action_line]
        .iter()
        .map(|l| l.matches("**").count())
        .sum();
    let text = &read.actions.last().expect("checked").text;
    if stars % 2 == 1 || ends_in_incomplete_deadline(text) {
        read.actions.pop();
        read.warnings.push(Warning::at(
            last_action_line + 1,
            "the document ends in the middle of an action (cut off): that action is not imported",
        ));
    }
}

fn ends_in_incomplete_deadline(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_end_matches([',', '.']).to_lowercase())
        .collect();
    let Some(marker) = words
        .iter()
        .rposition(|w| matches!(w.as_str(), "by" | "until" | "than" | "before"))
    else {
        return false;
    };
    let after: Vec<&str> = words[marker + 1..]
        .iter()
        .map(String::as_str)
        .filter(|w| !when::is_weekday(w))
        .collect();
    match after.as_slice() {
        [] => true,
        [day] => when::day_number(day).is_some(),
        [day, partial] => {
            when::day_number(day).is_some()
                && when::month(partial).is_none()
                && partial.chars().all(char::is_alphabetic)
        }
        _ => false,
    }
}

/// Words after which the sentence's subject ends: modal verbs and the phrasings
/// minutes use for assignments.
const SUBJECT_ENDS: [&str; 30] = [
    " will ",
    " should ",
    " shall ",
    " must ",
    " would ",
    " can ",
    " may ",
    " are invited",
    " is invited",
    " are encouraged",
    " is encouraged",
    " are requested",
    " is requested",
    " are asked",
    " is asked",
    " were asked",
    " was asked",
    " welcome ",
    " welcomes ",
    " has to ",
    " have to ",
    " need to ",
    " needs to ",
    " agreed to ",
    " volunteered ",
    " offered to ",
    " committed to ",
    " plans to ",
    " intends to ",
    " to be ",
];

/// Phrasings without an agent: "The venue to be confirmed", "Comments are welcome".
const AGENTLESS: [&str; 3] = [" to be ", " are welcome", " is welcome"];

/// Openings that put a clause before the subject: "Following the call, the
/// Secretariat will ...".
const OPENING_CLAUSES: [&str; 14] = [
    "in ",
    "as ",
    "following ",
    "after ",
    "before ",
    "once ",
    "by ",
    "until ",
    "for ",
    "with ",
    "based ",
    "given ",
    "if ",
    "when ",
];

/// The grammatical subject at the start of an action sentence, as written, with a
/// leading "The" dropped; `None` for an agentless sentence or an imperative.
pub fn owner(text: &str) -> Option<String> {
    // ASCII lower-casing keeps byte offsets, so `at` is valid in `text`.
    let lower = text.to_ascii_lowercase();
    let modal = SUBJECT_ENDS
        .iter()
        .chain(AGENTLESS.iter())
        .filter_map(|v| lower.find(v).map(|at| (at, *v)))
        .min_by_key(|(at, _)| *at);
    let (at, verb) = match (modal, infinitive_after_subject(&lower)) {
        (Some((m, _)), Some(i)) if i < m => (i, " to "),
        (Some(found), _) => found,
        (None, Some(i)) => (i, " to "),
        (None, None) => return None,
    };
    if AGENTLESS.contains(&verb) {
        return None;
    }
    let mut subject = &text[..at];
    let opening = subject.to_ascii_lowercase();
    if OPENING_CLAUSES.iter().any(|c| opening.starts_with(c))
        && let Some(comma) = subject.rfind(", ")
    {
        subject = &subject[comma + 2..];
    }
    let subject = subject
        .strip_prefix("The ")
        .or_else(|| subject.strip_prefix("the "))
        .unwrap_or(subject);
    clean(subject).filter(|s| s.split_whitespace().count() <= 8)
}

/// "Secretariat to circulate the draft": a subject followed by an infinitive.
fn infinitive_after_subject(lower: &str) -> Option<usize> {
    let at = lower.find(" to ")?;
    let next = lower[at + 4..].split_whitespace().next()?;
    let not_a_verb = [
        "be", "the", "a", "an", "all", "its", "their", "this", "these", "those",
    ];
    (next.chars().all(|c| c.is_ascii_alphabetic()) && !not_a_verb.contains(&next)).then_some(at)
}

/// The deadline of an action: a day and month after "by", "until", "open until" or "no
/// later than", in the first year that puts it on or after the meeting day.
pub fn due_date(text: &str, meeting: Option<NaiveDate>) -> Option<NaiveDate> {
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
        let Some((d, m, year)) = day_and_month(&words[k + 1..]) else {
            continue;
        };
        return match year {
            Some(y) => NaiveDate::from_ymd_opt(y, m, d),
            None => [meeting.year(), meeting.year() + 1]
                .into_iter()
                .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
                .find(|date| *date >= meeting),
        };
    }
    None
}

/// The day, month and perhaps year at the start of `words`: `Monday, 2 June`,
/// `the 30th of August 2025`, `June 30`.
fn day_and_month(words: &[&str]) -> Option<(u32, u32, Option<i32>)> {
    let mut rest = words;
    let skip = |rest: &mut &[&str], pred: &dyn Fn(&str) -> bool| {
        if rest.first().is_some_and(|w| pred(w)) {
            *rest = &rest[1..];
        }
    };
    skip(&mut rest, &|w| w.eq_ignore_ascii_case("the"));
    skip(&mut rest, &when::is_weekday);
    skip(&mut rest, &|w| w.eq_ignore_ascii_case("the"));
    let year_at = |i: usize| {
        rest.get(i)
            .map(|y| y.trim_matches(|c: char| !c.is_ascii_digit()))
            .filter(|y| y.len() == 4)
            .and_then(|y| y.parse::<i32>().ok())
    };
    if let Some(d) = rest.first().and_then(|d| when::day_number(d)) {
        let of = usize::from(rest.get(1).is_some_and(|w| w.eq_ignore_ascii_case("of")));
        let m = rest.get(1 + of).and_then(|m| when::month(m))?;
        return Some((d, m, year_at(2 + of)));
    }
    let m = rest.first().and_then(|m| when::month(m))?;
    let d = rest.get(1).and_then(|d| when::day_number(d))?;
    Some((d, m, year_at(2)))
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
        let mut columns = raw.split('\t').filter_map(clean);
        let (family, given) = match raw.contains('\t') {
            // Family name, given name; further columns (organisation...) are not names.
            true => (columns.next(), columns.next()),
            false if line.ends_with(':') => {
                group = clean(line.trim_end_matches(':'));
                continue;
            }
            false if colon_style => (Some(line.clone()), None),
            // Tab style: a line without a given-name column is a role-group heading,
            // with or without its trailing tab.
            false => (Some(line.clone()), None),
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

fn is_other_annex(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    lower.starts_with("annex") && !is_participant_annex(&lower)
}
