//! Agendas: days with their room, timed and untimed items with their bullet
//! sub-items, and the "Input documents" / "Desired outputs" lists of each day
//! (IMPORT-JSON §3, days and items).

use chrono::{Datelike, NaiveDate, NaiveTime};

use super::header::{self, ModeWords};
use super::when::{self, ZoneLabel};
use super::{
    Day, Item, ListKind, Warning, bullet_text, clean, is_bullet, list_heading, numbered, unmark,
};

/// `Time (CET) Agenda Item ...`: the heading row of an agenda table.
pub fn is_table_header(line: &str) -> bool {
    let lower = line.to_lowercase();
    lower.starts_with("time")
        && [
            "agenda",
            "item",
            "session",
            "topic",
            "title",
            "activity",
            "programme",
            "speaker",
        ]
        .iter()
        .any(|w| lower.contains(w))
        && !starts_with_time(line)
}

/// `DAY 1 | 26 June 2024`, `Day 2:`, `Day One`.
pub fn day_number_heading(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("").to_lowercase();
    let second = words
        .next()
        .unwrap_or("")
        .trim_end_matches([':', ',', '.', '|', '-', '–'])
        .to_lowercase();
    first == "day"
        && (second.parse::<u32>().is_ok()
            || ["one", "two", "three", "four", "five", "six", "seven"].contains(&second.as_str()))
}

/// Whether the line begins with a clock time (`10:30 - 12:30 ...`, `4 p.m. ...`).
pub fn starts_with_time(line: &str) -> bool {
    let tokens = when::tokens(line);
    when::times(&tokens).first().is_some_and(|t| t.first() == 0)
}

/// A line that is only a date, perhaps with a weekday and a day number (`Saturday,
/// 28 March`, `DAY 1 | 26 June 2024`): a day heading.
pub fn is_date_line(line: &str) -> bool {
    let tokens = when::tokens(line);
    let dates = when::dates(&tokens);
    if dates.is_empty() || !when::times(&tokens).is_empty() {
        return false;
    }
    let other_words = tokens
        .iter()
        .enumerate()
        .filter(|(k, t)| {
            !dates.iter().any(|d| (d.first..d.last).contains(k))
                && !when::is_weekday(&t.text)
                && !when::is_dash(&t.text)
                && t.text.chars().any(char::is_alphabetic)
                && !matches!(
                    t.text.to_lowercase().trim_end_matches(':'),
                    "day" | "of" | "and" | "the"
                )
        })
        .count();
    other_words <= 3
}

/// A room line: `Room XXVI | Building E | UN Office at Geneva`, `Room: Salle 3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomLine {
    pub room: Option<String>,
    /// The last field that is neither the room nor a building: the day's venue.
    pub venue: Option<String>,
}

pub fn room_line(line: &str) -> Option<RoomLine> {
    let lower = line.to_lowercase();
    let starts_room = lower.starts_with("room") || lower.starts_with("salle");
    if !starts_room && !line.contains('|') {
        return None;
    }
    let fields: Vec<String> = line.split('|').filter_map(clean).collect();
    let first = fields.first()?;
    let room_name = match first.split_once(':') {
        Some((label, value)) if label.trim().eq_ignore_ascii_case("room") => clean(value),
        _ => Some(first.clone()),
    };
    let room = room_name.filter(|r| !header::is_mode_only(r));
    let venue = fields
        .iter()
        .skip(1)
        .rev()
        .find(|f| {
            let l = f.to_lowercase();
            !["building", "floor", "level", "wing", "room"]
                .iter()
                .any(|w| l.starts_with(w))
                && !header::is_mode_only(f)
        })
        .cloned();
    Some(RoomLine { room, venue })
}

/// An item line read: `10:30 - 12:30 Title`, `Title (14:10–14:40)`, `2) Title`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemLine {
    pub number: Option<String>,
    pub title: Option<String>,
    pub starts: Option<NaiveTime>,
    pub ends: Option<NaiveTime>,
    /// Times that cannot exist (`25:10`), as written.
    pub invalid_times: Vec<String>,
    /// The times as written, when the line has any.
    pub times_written: Option<String>,
}

pub fn item_line(line: &str) -> ItemLine {
    let text = clean(&unmark(line)).unwrap_or_default();
    let tokens = when::tokens(&text);
    let ranges = when::times(&tokens);
    let mut rest = text.as_str();
    let mut range = None;
    if let Some(r) = ranges.first().filter(|r| r.first() == 0) {
        let mut cut = tokens[r.last() - 1].end;
        for t in &tokens[r.last()..] {
            if when::zones(std::slice::from_ref(t)).is_empty() {
                break;
            }
            cut = t.end;
        }
        rest = &text[cut..];
        range = Some(r.clone());
    } else if let Some(r) = ranges.last()
        && text.ends_with(')')
        && let Some(open) = text.rfind('(')
        && open < tokens[r.first()].start
        && tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.start > open)
            .all(|(k, t)| {
                (r.first()..r.last()).contains(&k)
                    || !when::zones(std::slice::from_ref(t)).is_empty()
            })
    {
        rest = &text[..open];
        range = Some(r.clone());
    }
    let rest = rest.trim_start_matches([' ', '-', '–', '—', '|', ':', ',', ')']);
    let (number, title) = match numbered(rest) {
        Some((n, t)) => (Some(n), Some(t)),
        None => (None, clean(rest)),
    };
    let mut read = ItemLine {
        number,
        title,
        ..ItemLine::default()
    };
    if let Some(r) = range {
        read.times_written =
            Some(text[tokens[r.first()].start..tokens[r.last() - 1].end].to_owned());
        read.starts = r.start.time;
        if r.start.time.is_none() {
            read.invalid_times.push(r.start.written.clone());
        }
        if let Some(end) = r.end {
            read.ends = end.time;
            if end.time.is_none() {
                read.invalid_times.push(end.written);
            }
        }
    }
    read
}

pub struct Read {
    pub days: Vec<Day>,
    pub warnings: Vec<Warning>,
    /// The venue field of the first day's room line.
    pub day_venue: Option<String>,
    pub modes: ModeWords,
    pub labels: Vec<ZoneLabel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Between a day heading and its first item: room line, labels, table header.
    BeforeItems {
        table: bool,
    },
    Items,
    List(ListKind),
}

struct Reader<'a> {
    read: Read,
    phase: Phase,
    header_day: Option<NaiveDate>,
    /// The header's room, when it names exactly one: the room of a single day without
    /// a heading.
    header_room: Option<String>,
    lines: &'a [String],
}

/// Reads the days of an agenda from the end of its header.
pub fn read(
    lines: &[String],
    header_end: usize,
    header_day: Option<NaiveDate>,
    header_room: Option<String>,
) -> Read {
    let mut reader = Reader {
        read: Read {
            days: Vec::new(),
            warnings: Vec::new(),
            day_venue: None,
            modes: ModeWords::default(),
            labels: Vec::new(),
        },
        phase: Phase::BeforeItems { table: false },
        header_day,
        header_room,
        lines,
    };
    for k in header_end..lines.len() {
        reader.line(k);
    }
    reader.finish()
}

impl Reader<'_> {
    fn line(&mut self, k: usize) {
        let raw = &self.lines[k];
        let Some(line) = clean(&unmark(raw)) else {
            return;
        };
        if is_bullet(raw) {
            self.bullet(k, raw);
            return;
        }
        if day_number_heading(&line) || is_date_line(&line) {
            self.day_heading(k, &line);
            return;
        }
        if let Some((kind, rest)) = list_heading(&line) {
            self.ensure_day(k);
            self.phase = Phase::List(kind);
            if let Some(entry) = clean(&rest) {
                self.list_entry(kind, entry);
            }
            return;
        }
        if is_table_header(&line) {
            self.ensure_day(k);
            self.read.labels.extend(
                when::zones(&when::tokens(&line))
                    .into_iter()
                    .map(|z| z.label),
            );
            self.phase = Phase::BeforeItems { table: true };
            return;
        }
        let day_started = matches!(self.phase, Phase::BeforeItems { .. })
            && self.read.days.last().is_some_and(|d| d.items.is_empty());
        if day_started && header::is_mode_only(&line) {
            self.read.modes.read(&line);
            return;
        }
        if day_started
            && self
                .read
                .days
                .last()
                .is_some_and(|d| d.room.is_none() && d.labels.is_empty())
            && let Some(room) = room_line(&line)
        {
            self.room(room, &line);
            return;
        }
        match self.phase {
            Phase::List(_) => self.read.warnings.push(Warning::at(
                k + 1,
                format!("{line:?} follows an Input documents/Desired outputs list but is not a bullet: not imported"),
            )),
            Phase::BeforeItems { table } => {
                if table || starts_with_time(&line) || numbered(&line).is_some() {
                    self.item(k, &line);
                } else if let Some(day) = self.read.days.last_mut() {
                    day.labels.push(line);
                } else {
                    self.read.warnings.push(Warning::at(
                        k + 1,
                        format!("{line:?} stands before the agenda's first day or item: not imported"),
                    ));
                }
            }
            Phase::Items => self.item(k, &line),
        }
    }

    fn day_heading(&mut self, k: usize, line: &str) {
        let tokens = when::tokens(line);
        let dates = when::dates(&tokens);
        let year = self
            .read
            .days
            .iter()
            .rev()
            .find_map(|d| d.date)
            .or(self.header_day)
            .map(|d| d.year());
        let date = dates.first().and_then(|d| d.date(year));
        match dates.first() {
            Some(d) if date.is_none() => self.read.warnings.push(Warning::at(
                k + 1,
                format!(
                    "{:?} is not a date that exists (or has no year): the day is left undated",
                    d.describe(&tokens)
                ),
            )),
            None => self.read.warnings.push(Warning::at(
                k + 1,
                format!("the day heading {line:?} states no date"),
            )),
            Some(_) => {}
        }
        let room = line.split('|').skip(1).find_map(|field| {
            let field = clean(field)?;
            room_line(&field)
                .and_then(|r| r.room)
                .filter(|_| field.to_lowercase().starts_with("room"))
        });
        self.read.days.push(Day {
            date,
            room,
            line: k + 1,
            ..Day::default()
        });
        self.phase = Phase::BeforeItems { table: false };
    }

    fn room(&mut self, room: RoomLine, line: &str) {
        self.read.modes.read(line);
        let first_day = self.read.days.len() == 1;
        if first_day && self.read.day_venue.is_none() {
            self.read.day_venue = room.venue.clone();
        }
        if let Some(day) = self.read.days.last_mut() {
            day.room = room.room;
        }
    }

    /// A single-day agenda without a day heading has one day, dated from the header.
    fn ensure_day(&mut self, k: usize) {
        if self.read.days.is_empty() {
            self.read.days.push(Day {
                date: self.header_day,
                room: self.header_room.clone(),
                line: k + 1,
                ..Day::default()
            });
        }
    }

    fn item(&mut self, k: usize, line: &str) {
        self.ensure_day(k);
        let read = item_line(line);
        self.read.labels.extend(
            when::zones(&when::tokens(line))
                .into_iter()
                .map(|z| z.label),
        );
        for bad in &read.invalid_times {
            self.read.warnings.push(Warning::at(
                k + 1,
                format!("{bad:?} is not a valid time: left empty"),
            ));
        }
        if read.title.is_none() && read.number.is_none() {
            self.read.warnings.push(Warning::at(
                k + 1,
                format!(
                    "time slot {:?} has no item title",
                    read.times_written.as_deref().unwrap_or(line)
                ),
            ));
        }
        let day = self.read.days.last_mut().expect("ensured");
        day.items.push(Item {
            number: read.number,
            title: read.title,
            starts_local: read.starts,
            ends_local: read.ends,
            line: k + 1,
            ..Item::default()
        });
        self.phase = Phase::Items;
    }

    fn bullet(&mut self, k: usize, raw: &str) {
        let Some(text) = bullet_text(raw) else { return };
        match self.phase {
            Phase::List(kind) => self.list_entry(kind, text),
            Phase::Items => {
                if let Some(item) = self.read.days.last_mut().and_then(|d| d.items.last_mut()) {
                    item.subitems.push(text);
                }
            }
            Phase::BeforeItems { table } => {
                if self.read.days.is_empty() && !table {
                    self.read.warnings.push(Warning::at(
                        k + 1,
                        format!(
                            "{text:?} stands before the agenda's first day or item: not imported"
                        ),
                    ));
                    return;
                }
                self.ensure_day(k);
                let day = self.read.days.last_mut().expect("ensured");
                // Bullets before any item line: an item with no number, title or time.
                day.items.push(Item {
                    subitems: vec![text],
                    line: k + 1,
                    ..Item::default()
                });
                self.phase = Phase::Items;
            }
        }
    }

    fn list_entry(&mut self, kind: ListKind, entry: String) {
        if let Some(day) = self.read.days.last_mut() {
            match kind {
                ListKind::InputDocuments => day.input_documents.push(entry),
                ListKind::DesiredOutputs => day.desired_outputs.push(entry),
            }
        }
    }

    fn finish(mut self) -> Read {
        for (n, day) in self.read.days.iter().enumerate() {
            for item in &day.items {
                let orphan = item.number.is_none()
                    && item.title.is_none()
                    && item.starts_local.is_none()
                    && item.ends_local.is_none();
                if orphan {
                    let first = item.subitems.first().cloned().unwrap_or_default();
                    let last = item.subitems.last().cloned().unwrap_or_default();
                    self.read.warnings.push(Warning::at(
                        item.line,
                        format!(
                            "Day {} ({}): {} sub-item(s) ({first:?} ... {last:?}) precede any agenda item line: no parent item, no time",
                            n + 1,
                            day.date.map_or("undated".to_owned(), |d| d.to_string()),
                            item.subitems.len()
                        ),
                    ));
                }
            }
        }
        self.read
    }
}
