//! Dates, clock times and time zones as secretariats write them: `20 August 2024`,
//! `Tuesday, 5th March 2025`, `05.03.2025`, `2025-03-05`, `10:30 - 12:30`,
//! `4:15 p.m.`, `UTC+3`, `CEST`, `Geneva time`.
//!
//! Everything here works on one line at a time, split into tokens that remember
//! where they stood, so that callers can tell which time a zone label follows.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::places;

/// A word of a line with where it stands in the line (byte offsets).
#[derive(Debug, Clone)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '|' | ';' | '(' | ')' | '[' | ']' | '*')
}

/// Splits a line into tokens: white space, `,`, `|`, `;`, brackets separate tokens, and
/// en/em dashes are tokens of their own, as is a hyphen between two times or days
/// (`12:30-13:00`, `26-28`), but not inside `2025-03-05` or `UTC-5`.
pub fn tokens(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (start, is_separator(c)) {
            (None, false) => start = Some(at),
            (Some(from), true) => {
                split_dashes(line, from, at, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn split_dashes(line: &str, from: usize, to: usize, out: &mut Vec<Token>) {
    let word = &line[from..to];
    let push = |out: &mut Vec<Token>, start: usize, end: usize| {
        if start < end {
            out.push(Token {
                text: line[start..end].to_owned(),
                start,
                end,
            });
        }
    };
    if let Some(at) = word.find(['–', '—']) {
        let width = word[at..].chars().next().map_or(1, char::len_utf8);
        push(out, from, from + at);
        out.push(Token {
            text: "–".to_owned(),
            start: from + at,
            end: from + at + width,
        });
        split_dashes(line, from + at + width, to, out);
        return;
    }
    if iso_date(word).is_some() || zone_offset_token(word).is_some() {
        push(out, from, to);
        return;
    }
    match word.split_once('-') {
        Some((left, right))
            if !left.is_empty()
                && !right.is_empty()
                && left.starts_with(|c: char| c.is_ascii_digit())
                && right.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            let at = from + left.len();
            push(out, from, at);
            out.push(Token {
                text: "–".to_owned(),
                start: at,
                end: at + 1,
            });
            split_dashes(line, at + 1, to, out);
        }
        _ => push(out, from, to),
    }
}

pub fn is_dash(text: &str) -> bool {
    matches!(text, "-" | "–" | "—" | "to" | "until")
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

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A month name or its abbreviation (`Sept.`, `Aug`), any case.
pub fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',', ':']).to_lowercase();
    if w.len() < 3 || !w.chars().all(char::is_alphabetic) {
        return None;
    }
    let found = MONTHS
        .iter()
        .position(|m| *m == w || (m.starts_with(&w) && (w.len() == 3 || w == "sept")))?;
    Some(found as u32 + 1)
}

pub fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',', ':']).to_lowercase();
    w.len() >= 3
        && WEEKDAYS
            .iter()
            .any(|d| *d == w || (d.starts_with(&w) && w.len() == 3))
}

/// A day of the month, ordinal suffix allowed: `5`, `05`, `5th`, `21st,`.
pub fn day_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches([',', '.', ':']);
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let suffix = word[digits..].to_lowercase();
    if !matches!(suffix.as_str(), "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    word[..digits].parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_number(word: &str) -> Option<i32> {
    let word = word.trim_end_matches([',', '.', ':']);
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1900..=2200).contains(y))
}

fn iso_date(word: &str) -> Option<(i32, u32, u32)> {
    let word = word.trim_end_matches([',', '.', ':']);
    let mut parts = word.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    if d.is_empty() || d.len() > 2 {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

fn dotted_date(word: &str) -> Option<(i32, u32, u32)> {
    let word = word.trim_end_matches([',', ':']);
    let word = word.strip_suffix('.').unwrap_or(word);
    let sep = if word.contains('.') { '.' } else { '/' };
    let mut parts = word.split(sep);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || !(1..=2).contains(&d.len()) {
        return None;
    }
    if !(1..=2).contains(&m.len()) {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// A date as written: the year may be missing (`Saturday, 28 March`), and the
/// day may not exist in the month (`30 February 2026`), which `date` then refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    /// Index of the first and one past the last token.
    pub first: usize,
    pub last: usize,
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl DateMention {
    /// The date, with `year` filling in a missing year; `None` when impossible.
    pub fn date(&self, year: Option<i32>) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year.or(year)?, self.month, self.day)
    }

    /// How the date was written, for messages.
    pub fn describe(&self, tokens: &[Token]) -> String {
        tokens[self.first..self.last]
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Every date in a line of tokens, in order. A day range (`26–28 June 2024`) gives
/// both ends; a date without a year takes the year of a later date in the same line
/// (`26 June – 1 July 2024`).
pub fn dates(tokens: &[Token]) -> Vec<DateMention> {
    let mut found = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        if let Some(m) = date_at(tokens, k) {
            k = m.last;
            found.push(m);
            continue;
        }
        // `26–28 June 2024`: the first day borrows the month of the second.
        if let (Some(day), Some(dash), Some(next)) = (
            day_number(&tokens[k].text),
            tokens.get(k + 1),
            date_at(tokens, k + 2),
        ) && is_dash(&dash.text)
            && next.first == k + 2
            && day_number(&tokens[k + 2].text).is_some()
        {
            found.push(DateMention {
                first: k,
                last: k + 1,
                year: next.year,
                month: next.month,
                day,
            });
            found.push(next);
            k = next.last;
            continue;
        }
        k += 1;
    }
    for i in 0..found.len() {
        if found[i].year.is_none()
            && let Some(later) = found[i + 1..].iter().find_map(|m| m.year)
        {
            found[i].year = Some(later);
        }
    }
    found
}

fn date_at(tokens: &[Token], k: usize) -> Option<DateMention> {
    let text = tokens.get(k)?.text.as_str();
    let whole = |(year, month, day): (i32, u32, u32)| DateMention {
        first: k,
        last: k + 1,
        year: Some(year),
        month,
        day,
    };
    if let Some(parts) = iso_date(text).or_else(|| dotted_date(text)) {
        return Some(whole(parts)).filter(|m| (1..=12).contains(&m.month) && m.day >= 1);
    }
    let word = |i: usize| tokens.get(i).map(|t| t.text.as_str());
    // 26 June [2024], 26th of June
    if let Some(day) = day_number(text) {
        let mut at = k + 1;
        if word(at).is_some_and(|w| w.eq_ignore_ascii_case("of")) {
            at += 1;
        }
        let month = word(at).filter(|w| is_capitalised(w)).and_then(month)?;
        let year = word(at + 1).and_then(year_number);
        return Some(DateMention {
            first: k,
            last: at + 1 + usize::from(year.is_some()),
            year,
            month,
            day,
        });
    }
    // June 26[th][,] [2024]
    let month = Some(text).filter(|w| is_capitalised(w)).and_then(month)?;
    let day = word(k + 1).and_then(day_number)?;
    let year = word(k + 2).and_then(year_number);
    Some(DateMention {
        first: k,
        last: k + 2 + usize::from(year.is_some()),
        year,
        month,
        day,
    })
}

/// Month names are written with a capital: `may 5` in a sentence is not a date.
fn is_capitalised(word: &str) -> bool {
    word.starts_with(|c: char| c.is_uppercase())
}

/// A clock time as written; `time` is `None` when it cannot exist (`25:10`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMention {
    pub first: usize,
    pub last: usize,
    pub written: String,
    pub time: Option<NaiveTime>,
    meridiem: Option<bool>,
}

/// `10:30`, `9.45`, `4:15 p.m.`, `12:00am`, `4pm`, `9 a.m.`.
fn time_at(tokens: &[Token], k: usize) -> Option<TimeMention> {
    let text = tokens.get(k)?.text.trim_end_matches([',', ';']);
    let (clock, glued) = split_meridiem(text);
    let next_meridiem = tokens.get(k + 1).and_then(|t| meridiem(&t.text));
    let pm = glued.or(next_meridiem);
    let (hour, minute) = match clock.split_once([':', '.']) {
        Some((h, m)) if clock.contains(':') || pm.is_some() => (h, m),
        Some((h, m)) if is_clockish(h, m) && dotted_range(tokens, k) => (h, m),
        None if pm.is_some() => (clock, "00"),
        _ => return None,
    };
    if hour.is_empty()
        || hour.len() > 2
        || minute.len() != 2
        || !hour
            .bytes()
            .chain(minute.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let (h, m): (u32, u32) = (hour.parse().ok()?, minute.parse().ok()?);
    let last = k + 1 + usize::from(glued.is_none() && next_meridiem.is_some());
    let written = tokens[k..last]
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some(TimeMention {
        first: k,
        last,
        written,
        time: clock_time(h, m, pm),
        meridiem: pm,
    })
}

fn is_clockish(h: &str, m: &str) -> bool {
    !h.is_empty() && h.len() <= 2 && m.len() == 2
}

/// `10.30` is a time only as part of a range (`10.30 - 12.00`): alone it may be a
/// number.
fn dotted_range(tokens: &[Token], k: usize) -> bool {
    let dotted = |i: usize| {
        tokens.get(i).is_some_and(|t| {
            t.text.split_once('.').is_some_and(|(h, m)| {
                is_clockish(h, m) && h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
            })
        })
    };
    let dash = |i: usize| tokens.get(i).is_some_and(|t| is_dash(&t.text));
    (dash(k + 1) && dotted(k + 2)) || (k >= 2 && dash(k - 1) && dotted(k - 2))
}

fn clock_time(h: u32, m: u32, pm: Option<bool>) -> Option<NaiveTime> {
    let h = match pm {
        None => h,
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(false) => h % 12,
        Some(true) => h % 12 + 12,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

/// `Some(true)` for p.m., `Some(false)` for a.m.
fn meridiem(word: &str) -> Option<bool> {
    match word
        .trim_end_matches([',', ';'])
        .to_lowercase()
        .replace('.', "")
        .as_str()
    {
        "am" => Some(false),
        "pm" => Some(true),
        _ => None,
    }
}

fn split_meridiem(text: &str) -> (&str, Option<bool>) {
    let lower = text.to_ascii_lowercase();
    for (suffix, pm) in [
        ("a.m.", false),
        ("p.m.", true),
        ("am", false),
        ("pm", true),
        ("a.m", false),
        ("p.m", true),
    ] {
        if lower.ends_with(suffix) && text.len() > suffix.len() {
            let clock = &text[..text.len() - suffix.len()];
            if clock.starts_with(|c: char| c.is_ascii_digit()) {
                return (clock, Some(pm));
            }
        }
    }
    (text, None)
}

/// A start time, and the end when the time is a range (`10:30 - 12:30`,
/// `9 a.m. to 5 p.m.`). An end written with a.m./p.m. lends it to a start written
/// without (`1:00 - 3:00 p.m.`) when that keeps the start before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRange {
    pub start: TimeMention,
    pub end: Option<TimeMention>,
}

impl TimeRange {
    pub fn first(&self) -> usize {
        self.start.first
    }

    pub fn last(&self) -> usize {
        self.end.as_ref().map_or(self.start.last, |e| e.last)
    }
}

/// Every time or time range in a line, in order.
pub fn times(tokens: &[Token]) -> Vec<TimeRange> {
    let mut found = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let Some(start) = time_at(tokens, k) else {
            k += 1;
            continue;
        };
        let after = start.last;
        let end = tokens
            .get(after)
            .filter(|t| is_dash(&t.text))
            .and_then(|_| time_at(tokens, after + 1));
        let range = lend_meridiem(start, end);
        k = range.last();
        found.push(range);
    }
    found
}

fn lend_meridiem(mut start: TimeMention, end: Option<TimeMention>) -> TimeRange {
    if let Some(end) = &end
        && start.meridiem.is_none()
        && let Some(pm) = end.meridiem
        && let Some((h, m)) = start
            .written
            .split_once([':', '.'])
            .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
        && (1..=12).contains(&h)
    {
        let with_end = clock_time(h, m, Some(pm));
        start.time = match (with_end, end.time) {
            (Some(s), Some(e)) if s <= e => Some(s),
            _ => clock_time(h, m, Some(false)),
        };
    }
    TimeRange { start, end }
}

/// How a time's zone is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneLabel {
    /// `UTC`, `GMT`, `Z`.
    Utc,
    /// `UTC+3`, `GMT-05:00`: seconds east of UTC.
    Offset(i32),
    /// `CET`, `EAT`, `Central European Time`: its standard offset.
    Abbreviation(i32),
    /// `Geneva time`: the place's zone.
    Place(Tz),
}

/// Standard offsets of the abbreviations secretariats use, in seconds east of UTC.
const ABBREVIATIONS: [(&str, i32); 38] = [
    ("CET", 3600),
    ("CEST", 7200),
    ("WET", 0),
    ("WEST", 3600),
    ("EET", 7200),
    ("EEST", 10800),
    ("BST", 3600),
    ("EAT", 10800),
    ("CAT", 7200),
    ("WAT", 3600),
    ("SAST", 7200),
    ("MSK", 10800),
    ("AST", 10800),
    ("GST", 14400),
    ("IST", 19800),
    ("PKT", 18000),
    ("ICT", 25200),
    ("WIB", 25200),
    ("SGT", 28800),
    ("HKT", 28800),
    ("PHT", 28800),
    ("JST", 32400),
    ("KST", 32400),
    ("AEST", 36000),
    ("AEDT", 39600),
    ("NZST", 43200),
    ("NZDT", 46800),
    ("EST", -18000),
    ("EDT", -14400),
    ("CDT", -18000),
    ("MST", -25200),
    ("MDT", -21600),
    ("PST", -28800),
    ("PDT", -25200),
    ("BRT", -10800),
    ("ART", -10800),
    ("COT", -18000),
    ("PET", -18000),
];

const SPELT_OUT: [(&str, i32); 8] = [
    ("central european summer time", 7200),
    ("central european time", 3600),
    ("eastern european time", 7200),
    ("western european time", 0),
    ("east africa time", 10800),
    ("east african time", 10800),
    ("coordinated universal time", 0),
    ("greenwich mean time", 0),
];

/// `UTC+3`, `UTC+03:00`, `GMT-5`, `UTC+5:30` as seconds east of UTC.
fn zone_offset_token(word: &str) -> Option<i32> {
    let upper = word.trim_end_matches([',', '.', ':']).to_uppercase();
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))?;
    offset_value(rest)
}

fn offset_value(text: &str) -> Option<i32> {
    let (sign, digits) = match text.chars().next()? {
        '+' => (1, &text[1..]),
        '-' | '−' | '–' => (-1, &text[text.chars().next()?.len_utf8()..]),
        _ => return None,
    };
    let number = |t: &str| -> Option<i32> {
        (!t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (number(h)?, number(m)?),
        // `+0530`: only ASCII digits, so that slicing stays on character boundaries.
        None if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) => {
            (number(&digits[..2])?, number(&digits[2..])?)
        }
        None => (number(digits)?, 0),
    };
    (h <= 14 && m < 60).then(|| sign * (h * 3600 + m * 60))
}

/// A zone label and the token index where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneMention {
    pub at: usize,
    pub label: ZoneLabel,
}

/// Every zone label in a line, in order.
pub fn zones(tokens: &[Token]) -> Vec<ZoneMention> {
    let mut found = Vec::new();
    let lower: Vec<String> = tokens.iter().map(|t| t.text.to_lowercase()).collect();
    for (k, token) in tokens.iter().enumerate() {
        let word = token.text.trim_end_matches([',', '.', ':']);
        let label = if matches!(word, "UTC" | "GMT" | "Z" | "UTC+0" | "GMT+0") {
            // `UTC + 3` written with spaces.
            match (tokens.get(k + 1), tokens.get(k + 2)) {
                (Some(sign), Some(num)) if matches!(sign.text.as_str(), "+" | "-" | "–") => {
                    offset_value(&format!("{}{}", sign.text, num.text))
                        .map(ZoneLabel::Offset)
                        .or(Some(ZoneLabel::Utc))
                }
                (Some(next), _) => offset_value(&next.text)
                    .map(ZoneLabel::Offset)
                    .or(Some(ZoneLabel::Utc)),
                _ => Some(ZoneLabel::Utc),
            }
        } else if let Some(offset) = zone_offset_token(word) {
            Some(if offset == 0 {
                ZoneLabel::Utc
            } else {
                ZoneLabel::Offset(offset)
            })
        } else if let Some((_, offset)) = ABBREVIATIONS
            .iter()
            // `CET/CEST`: the first is the standard offset.
            .find(|(a, _)| word.split('/').next() == Some(*a))
        {
            Some(ZoneLabel::Abbreviation(*offset))
        } else if lower[k].trim_end_matches([',', '.', ':', ')']) == "time" && k > 0 {
            let before = lower[..k].join(" ");
            SPELT_OUT
                .iter()
                .find(|(name, _)| format!("{before} time").ends_with(name))
                .map(|(_, offset)| ZoneLabel::Abbreviation(*offset))
                .or_else(|| places::zone_ending(&before).map(ZoneLabel::Place))
        } else {
            None
        };
        if let Some(label) = label {
            found.push(ZoneMention { at: k, label });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(line: &str) -> Vec<Token> {
        tokens(line)
    }

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn hm(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    #[test]
    fn dates_in_the_forms_secretariats_write() {
        for (line, expected) in [
            ("20 August 2024", ymd(2024, 8, 20)),
            ("Tuesday, 5th March 2025", ymd(2025, 3, 5)),
            ("05.03.2025", ymd(2025, 3, 5)),
            ("2025-03-05", ymd(2025, 3, 5)),
            ("DAY 1 | 26\u{a0}June\u{a0}2024", ymd(2024, 6, 26)),
            ("Wednesday, 26th June, 2024 (08:00 UTC)", ymd(2024, 6, 26)),
            ("March 5, 2025", ymd(2025, 3, 5)),
            ("5 Sept. 2025", ymd(2025, 9, 5)),
        ] {
            let t = toks(line);
            let found = dates(&t);
            assert_eq!(found.first().and_then(|d| d.date(None)), expected, "{line}");
        }
        let t = toks("30 February 2026");
        assert_eq!(
            dates(&t).len(),
            1,
            "an impossible date is still a date mention"
        );
        assert_eq!(dates(&t)[0].date(None), None);
        let t = toks("26–28 June 2024");
        let both: Vec<_> = dates(&t).iter().map(|d| d.date(None)).collect();
        assert_eq!(both, [ymd(2024, 6, 26), ymd(2024, 6, 28)]);
        let t = toks("Saturday, 28 March");
        assert_eq!(dates(&t)[0].date(Some(2026)), ymd(2026, 3, 28));
        assert!(dates(&toks("IGF 2024 MAG Meeting VIII")).is_empty());
        assert!(dates(&toks("MAG members may 5 things")).is_empty());
    }

    #[test]
    fn times_and_ranges_in_24_and_12_hour_forms() {
        let first = |line: &str| {
            let t = toks(line);
            let r = times(&t).into_iter().next().expect(line);
            (r.start.time, r.end.and_then(|e| e.time))
        };
        assert_eq!(first("10:30 - 12:30 Title"), (hm(10, 30), hm(12, 30)));
        assert_eq!(first("10:30–12:30 Title"), (hm(10, 30), hm(12, 30)));
        assert_eq!(first("12:30-13:00 Title"), (hm(12, 30), hm(13, 0)));
        assert_eq!(first("12:30 p.m. - 4:15 p.m."), (hm(12, 30), hm(16, 15)));
        assert_eq!(first("12:00 a.m."), (hm(0, 0), None));
        assert_eq!(first("1:00 - 3:00 p.m."), (hm(13, 0), hm(15, 0)));
        assert_eq!(first("11:00 - 1:00 p.m."), (hm(11, 0), hm(13, 0)));
        assert_eq!(first("9 a.m. to 5pm"), (hm(9, 0), hm(17, 0)));
        assert_eq!(first("10.30 - 12.00"), (hm(10, 30), hm(12, 0)));
        assert_eq!(first("10:00 - 25:10"), (hm(10, 0), None));
        assert!(times(&toks("05.03.2025 and 3.5 million")).is_empty());
    }

    #[test]
    fn zone_labels() {
        let labels = |line: &str| -> Vec<ZoneLabel> {
            zones(&toks(line)).into_iter().map(|z| z.label).collect()
        };
        assert_eq!(labels("11:00 UTC"), [ZoneLabel::Utc]);
        assert_eq!(labels("14:00 (UTC+3)"), [ZoneLabel::Offset(10800)]);
        assert_eq!(labels("14:00 UTC +3"), [ZoneLabel::Offset(10800)]);
        assert_eq!(labels("14:00 UTC+05:30"), [ZoneLabel::Offset(19800)]);
        assert_eq!(labels("Time (CET)"), [ZoneLabel::Abbreviation(3600)]);
        assert_eq!(
            labels("17:00 Geneva time"),
            [ZoneLabel::Place(chrono_tz::Europe::Zurich)]
        );
        assert_eq!(
            labels("17:00 Central European Time"),
            [ZoneLabel::Abbreviation(3600)]
        );
        assert!(labels("a good time").is_empty());
    }
}
