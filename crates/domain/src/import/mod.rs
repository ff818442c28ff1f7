//! Reading existing meeting documents (summaries and agendas written by secretariats):
//! the conventions are those of `shared/IMPORT-JSON.md`. Nothing is guessed: what a
//! document does not say stays empty, and what cannot be read is reported as a warning
//! with its line.
//!
//! [`extract`] is the entry point; it never panics, whatever the text (a property test
//! and a fuzz target check that).

mod agenda;
mod header;
mod places;
mod summary;
mod when;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Serialize, Serializer};
use unicode_normalization::UnicodeNormalization;

pub use summary::{due_date, owner};

/// Something the importer could not recognise or import, with its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ImportWarning"))]
pub struct Warning {
    pub line: Option<usize>,
    pub message: String,
}

impl Warning {
    fn at(line: usize, message: impl Into<String>) -> Warning {
        Warning {
            line: Some(line),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "DocumentKind"))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Summary,
    Agenda,
    Unrecognised,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ImportedMode"))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Online,
    Onsite,
    Hybrid,
}

/// The meeting as its header states it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ImportedMeeting"))]
pub struct Meeting {
    #[serde(serialize_with = "instant")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>", extend("format" = "date-time")))]
    pub starts_at_utc: Option<DateTime<Utc>>,
    #[serde(serialize_with = "instant")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>", extend("format" = "date-time")))]
    pub ends_at_utc: Option<DateTime<Utc>>,
    pub time_zone: Option<String>,
    pub mode: Option<Mode>,
    pub venue: Option<String>,
    pub rooms: Vec<String>,
    /// The first and last local dates of the header's statement, used for the
    /// year of deadlines and of day headings.
    #[serde(skip)]
    pub first_day: Option<NaiveDate>,
    #[serde(skip)]
    pub last_day: Option<NaiveDate>,
    /// When no zone is named: the fixed offset (seconds east of UTC) the header's
    /// times are written in (`UTC+3`, `EAT`), so that a store can keep local times.
    #[serde(skip)]
    pub utc_offset: Option<i32>,
}

fn instant<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        None => s.serialize_none(),
    }
}

fn iso_date<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

fn hh_mm<S: Serializer>(time: &Option<NaiveTime>, s: S) -> Result<S::Ok, S::Error> {
    match time {
        Some(t) => s.serialize_str(&t.format("%H:%M").to_string()),
        None => s.serialize_none(),
    }
}

/// An agenda item: of a summary (with its discussion notes) or of an agenda day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ImportedItem"))]
pub struct Item {
    pub number: Option<String>,
    pub title: Option<String>,
    #[serde(serialize_with = "hh_mm")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<String>", regex(pattern = "^[0-2][0-9]:[0-5][0-9]$"))
    )]
    pub starts_local: Option<NaiveTime>,
    #[serde(serialize_with = "hh_mm")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<String>", regex(pattern = "^[0-2][0-9]:[0-5][0-9]$"))
    )]
    pub ends_local: Option<NaiveTime>,
    pub subitems: Vec<String>,
    pub notes_count: usize,
    /// The discussion notes (summaries): one entry per top-level bullet, its indented
    /// bullets below it as `  - ` lines.
    #[serde(skip)]
    pub notes: Vec<String>,
    #[serde(skip)]
    pub line: usize,
}

/// A day of an agenda.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ImportedDay"))]
pub struct Day {
    #[serde(serialize_with = "iso_date")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>", extend("format" = "date")))]
    pub date: Option<NaiveDate>,
    pub room: Option<String>,
    pub items: Vec<Item>,
    /// The lines between the heading and the first item ("Open Consultations").
    #[serde(skip)]
    pub labels: Vec<String>,
    #[serde(skip)]
    pub input_documents: Vec<String>,
    #[serde(skip)]
    pub desired_outputs: Vec<String>,
    #[serde(skip)]
    pub line: usize,
}

/// An action item found under an "Actions" heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ImportedAction"))]
pub struct ActionItem {
    pub item_number: Option<String>,
    pub text: String,
    pub owner: Option<String>,
    #[serde(serialize_with = "iso_date")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>", extend("format" = "date")))]
    pub due_date: Option<NaiveDate>,
    /// The item (index into `items`) the action belongs to.
    #[serde(skip)]
    pub item_index: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ImportedParticipant"))]
pub struct Participant {
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub role_group: Option<String>,
}

/// Everything read from one document, in the shape of IMPORT-JSON §1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Extraction"))]
pub struct Extraction {
    pub kind: Kind,
    pub title: Option<String>,
    pub body: Option<String>,
    pub meeting: Meeting,
    pub days: Vec<Day>,
    pub items: Vec<Item>,
    pub actions: Vec<ActionItem>,
    pub participants: Vec<Participant>,
    pub input_documents: Vec<String>,
    pub desired_outputs: Vec<String>,
    pub warnings: Vec<Warning>,
}

impl Extraction {
    /// An extraction with nothing recognised, and why.
    pub fn unrecognised(warning: Warning) -> Extraction {
        Extraction {
            kind: Kind::Unrecognised,
            title: None,
            body: None,
            meeting: Meeting::default(),
            days: Vec::new(),
            items: Vec::new(),
            actions: Vec::new(),
            participants: Vec::new(),
            input_documents: Vec::new(),
            desired_outputs: Vec::new(),
            warnings: vec![warning],
        }
    }
}

/// Why a file is not a document at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    Empty,
    /// Neither UTF-8 text, nor a Word document, nor a PDF.
    Binary,
    /// A Word 97–2003 `.doc` file, or a password-protected Word document (both are
    /// OLE compound files).
    OldWord,
    /// A zip archive that is no Word document (an OpenDocument text, a spreadsheet...).
    NotWord,
    /// A Word document or PDF that cannot be read; the detail says where it broke.
    Damaged(Format, String),
    /// A PDF that cannot be opened without its password.
    Encrypted,
    /// A PDF without text to read: a scan, or pages of pictures.
    NoTextLayer,
}

/// The formats besides plain text that a document can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Word,
    Pdf,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::Empty => f.write_str("the file is empty"),
            Unreadable::Binary => f.write_str(
                "the file is neither text (UTF-8), a Word document (.docx) nor a PDF",
            ),
            Unreadable::OldWord => f.write_str(
                "the file is an old Word document (.doc) or a password-protected one; \
                 save it as .docx without a password and import that",
            ),
            Unreadable::NotWord => f.write_str(
                "the file is a zip archive but not a Word document (.docx); save it as .docx, \
                 PDF or plain text",
            ),
            Unreadable::Damaged(Format::Word, why) => {
                write!(f, "the Word document is damaged and cannot be read ({why})")
            }
            Unreadable::Damaged(Format::Pdf, why) => {
                write!(f, "the PDF is damaged and cannot be read ({why})")
            }
            Unreadable::Encrypted => f.write_str(
                "the PDF is protected by a password; save a copy without the password and import that",
            ),
            Unreadable::NoTextLayer => f.write_str(
                "the PDF has no text to read (a scan or pictures of pages?); import the original \
                 document, or run text recognition (OCR) on the PDF first",
            ),
        }
    }
}

/// The text of a file, or why it cannot be read as a document.
pub fn decode(bytes: &[u8]) -> Result<&str, Unreadable> {
    let text = std::str::from_utf8(bytes).map_err(|_| Unreadable::Binary)?;
    if text.contains('\0') {
        return Err(Unreadable::Binary);
    }
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(Unreadable::Empty);
    }
    Ok(text)
}

/// Reads a document. Never panics; an unrecognised document gives empty fields and
/// a warning.
pub fn extract(raw: &str) -> Extraction {
    let lines = lines(raw);
    let kind = kind(&lines);
    let mut extraction = Extraction::unrecognised(Warning {
        line: None,
        message: "neither a meeting summary nor an agenda: no numbered items with \
                  actions or participants, no timed agenda or day headings"
            .into(),
    });
    if kind == Kind::Unrecognised {
        return extraction;
    }
    extraction.kind = kind;
    extraction.warnings.clear();
    extraction.title = title(&lines);
    extraction.body = body(&lines);
    let header = header::read(&lines, kind);
    extraction.warnings.extend(header.warnings.iter().cloned());
    let first_day = header.statement.as_ref().and_then(|s| s.first_day);
    let (meeting, warnings) = match kind {
        Kind::Agenda => {
            let single_room = match header.rooms.as_slice() {
                [room] => Some(room.clone()),
                _ => None,
            };
            let read = agenda::read(&lines, header.end, first_day, single_room);
            let meeting = header::meeting(
                &header,
                &read.days,
                read.day_venue,
                read.modes,
                &read.labels,
            );
            for day in &read.days {
                extraction
                    .input_documents
                    .extend(day.input_documents.iter().cloned());
                extraction
                    .desired_outputs
                    .extend(day.desired_outputs.iter().cloned());
            }
            extraction.days = read.days;
            extraction.warnings.extend(read.warnings);
            meeting
        }
        _ => {
            let read = summary::read(&lines, header.end, first_day);
            extraction.items = read.items;
            extraction.actions = read.actions;
            extraction.participants = read.participants;
            extraction.warnings.extend(read.warnings);
            header::meeting(&header, &[], None, header::ModeWords::default(), &[])
        }
    };
    extraction.meeting = meeting;
    extraction.warnings.extend(warnings);
    extraction.warnings.sort_by_key(|w| w.line);
    extraction
}

/// The document as lines: byte-order mark and `\r` removed.
pub fn lines(raw: &str) -> Vec<String> {
    raw.trim_start_matches('\u{feff}')
        .split('\n')
        .map(|l| l.trim_end_matches('\r').to_owned())
        .collect()
}

/// A value normalised as IMPORT-JSON §2 says: NFC; no-break spaces, control characters
/// and runs of white space become one space; format characters (zero-width spaces,
/// byte-order marks, soft hyphens) go; trimmed; empty is `None`.
pub fn clean(text: &str) -> Option<String> {
    let composed: std::borrow::Cow<'_, str> =
        match unicode_normalization::is_nfc_quick(text.chars()) {
            unicode_normalization::IsNormalized::Yes => text.into(),
            _ => text.nfc().collect::<String>().into(),
        };
    let mut out = String::with_capacity(composed.len());
    let mut space = false;
    for c in composed.chars() {
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
        } else if !is_format(c) {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    Some(out).filter(|s| !s.is_empty())
}

fn is_format(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// The first non-empty line, as written.
pub fn title(lines: &[String]) -> Option<String> {
    lines.iter().find_map(|l| clean(&l.replace("**", "")))
}

/// The index of the title line.
fn title_line(lines: &[String]) -> usize {
    lines.iter().position(|l| clean(l).is_some()).unwrap_or(0)
}

const ORGANISER_MARKERS: [&str; 4] = [
    "Hosted by ",
    "Organised by ",
    "Organized by ",
    "Convened by ",
];

/// The value of an organiser line ("Hosted by X"), if the line is one.
fn organiser(line: &str) -> Option<String> {
    let line = clean(&line.replace("**", ""))?;
    let rest = ORGANISER_MARKERS.iter().find_map(|m| {
        let head = line.get(..m.len())?;
        head.eq_ignore_ascii_case(m).then(|| &line[m.len()..])
    })?;
    let rest = rest.trim_start_matches(':').trim_start();
    let rest = rest
        .strip_prefix("the ")
        .or_else(|| rest.strip_prefix("The "))
        .unwrap_or(rest);
    clean(rest)
}

/// The organiser named on a "Hosted by X" line (also Organised/Organized/Convened by),
/// without a leading "the". No such line: `None`, whatever the title says.
pub fn body(lines: &[String]) -> Option<String> {
    lines
        .iter()
        .filter(|l| l.contains(" by"))
        .find_map(|l| organiser(l))
}

/// Whether a raw line is a list bullet (`-`, `•`, `●`, `o`, `➔`, `→`, `*`).
pub fn is_bullet(raw: &str) -> bool {
    let t = raw.trim_start_matches(|c: char| c.is_whitespace());
    t.starts_with("- ")
        || t.starts_with("-\t")
        || t.starts_with(['•', '●', '➔', '→', '◦', '▪', '■', '–'])
        || t.starts_with("o ")
        || t.starts_with("o\t")
        || (t.starts_with("* ") && !t.starts_with("**"))
}

/// Whether a raw line is indented (a nested bullet or a continuation).
pub(crate) fn is_indented(raw: &str) -> bool {
    raw.starts_with([' ', '\t', '\u{a0}'])
}

/// A bullet's text: markers, `**` and Markdown links removed.
pub fn bullet_text(raw: &str) -> Option<String> {
    let mut t = clean(raw)?;
    loop {
        let stripped = t
            .trim_start_matches(['-', '•', '●', '➔', '→', '◦', '▪', '■', '–'])
            .trim_start();
        let stripped = stripped
            .strip_prefix("o ")
            .or_else(|| stripped.strip_prefix("* "))
            .unwrap_or(stripped);
        if stripped.len() == t.len() {
            break;
        }
        t = stripped.to_owned();
    }
    clean(&unmark(&t))
}

/// Markdown emphasis and links removed: `**x**` → `x`, `[text](url)` → `text`.
pub(crate) fn unmark(text: &str) -> String {
    let t = text.replace("**", "");
    let mut out = String::with_capacity(t.len());
    let mut rest = t.as_str();
    while let Some(open) = rest.find('[') {
        let link = rest[open..].find("](").and_then(|close| {
            rest[open + close..]
                .find(')')
                .map(|end| (open + close, open + close + end))
        });
        match link {
            Some((close, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&rest[open + 1..close]);
                rest = &rest[end + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    unescape(&out)
}

/// Markdown backslash escapes (`\(IWW\)`) as the text they stand for.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(*next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// A heading that opens an "Actions" list.
pub(crate) fn is_actions_heading(line: &str) -> bool {
    let l = line
        .replace("**", "")
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase();
    matches!(
        l.as_str(),
        "actions" | "action items" | "action points" | "actions agreed" | "follow-up actions"
    )
}

pub(crate) fn is_participant_annex(line: &str) -> bool {
    let lower = line.to_lowercase();
    lower.contains("list of participants")
        || lower.contains("participants list")
        || lower.contains("list of attendees")
        || matches!(
            lower.trim_end_matches(':').trim(),
            "participants" | "attendees" | "attendance"
        )
}

/// `Input documents:` / `Desired outputs:` (a leading `*` allowed): which one, and
/// what follows the colon on the same line.
pub(crate) fn list_heading(line: &str) -> Option<(ListKind, String)> {
    let t = line.trim().trim_start_matches('*').trim_start();
    let lower = t.to_lowercase();
    let kind = if lower.starts_with("input documents") || lower.starts_with("input document") {
        ListKind::InputDocuments
    } else if lower.starts_with("desired outputs") || lower.starts_with("desired output") {
        ListKind::DesiredOutputs
    } else {
        return None;
    };
    let rest = t.split_once(':').map(|(_, r)| r).unwrap_or("");
    let heading_only = !t.contains(':') && t.split_whitespace().count() <= 2 || t.contains(':');
    heading_only.then(|| (kind, rest.trim().trim_start_matches('*').trim().to_owned()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    InputDocuments,
    DesiredOutputs,
}

/// A numbered item heading: "3. Title", "3) Title", "Item 3: Title", "Item 3 Title".
pub(crate) fn numbered(line: &str) -> Option<(String, String)> {
    let item_word = line
        .get(..5)
        .is_some_and(|w| w.eq_ignore_ascii_case("item "));
    let rest = if item_word { &line[5..] } else { line };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let after = &rest[digits.len()..];
    let title = after
        .strip_prefix('.')
        .or_else(|| after.strip_prefix(')'))
        .or_else(|| after.strip_prefix(':'))
        .or_else(|| item_word.then_some(after))?;
    // `1.5 million` or `3.2.1` is not a heading; a title starts after a space.
    if !item_word && !title.is_empty() && !title.starts_with([' ', '\t', '\u{a0}']) {
        return None;
    }
    let title = title.trim_start_matches(['.', ':', ' ', '\u{a0}', '\t', '-', '–']);
    Some((digits, clean(title)?))
}

/// What kind of document this is, from its content (never its file name).
pub fn kind(lines: &[String]) -> Kind {
    let mut summary = 0;
    let mut agenda = 0;
    let mut numbered_lines = 0;
    let mut bullets_after_numbered = 0;
    let mut sentence_bullets = 0;
    let mut timed_lines = 0;
    let title_at = title_line(lines);
    for (k, raw) in lines.iter().enumerate() {
        let Some(line) = clean(raw) else { continue };
        if is_actions_heading(&line) || is_participant_annex(&line) {
            summary += 3;
        }
        if list_heading(&line).is_some() || agenda::is_table_header(&line) {
            agenda += 3;
        }
        if agenda::day_number_heading(&line) {
            agenda += 2;
        }
        let heading = line.to_lowercase();
        let heading = heading.trim_end_matches(':');
        let short = heading.split_whitespace().count() <= 4 && !heading.starts_with("annex");
        if short && (heading == "agenda" || heading.ends_with(" agenda") || heading == "programme")
        {
            agenda += 2;
        }
        if short
            && (heading == "minutes"
                || heading.ends_with(" minutes")
                || heading.ends_with("summary"))
        {
            summary += 2;
        }
        if is_bullet(raw) {
            if numbered_lines > 0 {
                bullets_after_numbered += 1;
                // Discussion notes are sentences; agenda sub-items are short phrases.
                if line.split_whitespace().count() >= 8 && line.ends_with('.') {
                    sentence_bullets += 1;
                }
            }
            continue;
        }
        if numbered(&line).is_some() {
            numbered_lines += 1;
        }
        if agenda::starts_with_time(&line) {
            timed_lines += 1;
        }
        if k <= title_at + 2 {
            let lower = line.to_lowercase();
            if ["summary", "minutes", "action items", "meeting report"]
                .iter()
                .any(|w| lower.contains(w))
            {
                summary += 1;
            }
            if ["agenda", "programme", "program"]
                .iter()
                .any(|w| lower.contains(w))
            {
                agenda += 1;
            }
        }
    }
    if timed_lines >= 2 {
        agenda += 2;
    }
    if numbered_lines >= 1 && bullets_after_numbered >= 1 {
        if sentence_bullets * 2 >= bullets_after_numbered {
            summary += 1;
        } else {
            agenda += 1;
        }
    }
    let structured = summary >= 3
        || agenda >= 3
        || (numbered_lines > 0 && (summary > 0 || agenda > 0))
        || timed_lines >= 2;
    match (structured, summary, agenda) {
        (false, _, _) | (_, 0, 0) => Kind::Unrecognised,
        (true, s, a) if s >= a => Kind::Summary,
        _ => Kind::Agenda,
    }
}

#[cfg(test)]
mod tests;
