//! A Word document (`.docx`, Office Open XML) as lines of text, laid out as Word's own
//! "Plain text" export lays it out, which is what the importer was written for: one
//! line per paragraph, list numbers and bullets written out (a nested list level
//! indented), and a table row as one line of its cells joined by tabs (a cell's further
//! paragraphs on lines of their own), so that a participant table reads as the
//! `Family<TAB>Given` lines of a text export.
//!
//! Tracked deletions, hidden text, field codes and drawings are left out; inserted text
//! is kept.

use plenary_domain::import::{Format, Unreadable};
use roxmltree::{Document, Node};
use std::collections::{HashMap, HashSet};
use std::io::Read;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The largest XML part read, uncompressed: a zip bomb stops here.
const MAX_PART: u64 = 32 * 1024 * 1024;
/// Word has nine list levels.
const LEVELS: usize = 9;

fn damaged(why: impl std::fmt::Display) -> Unreadable {
    Unreadable::Damaged(Format::Word, why.to_string())
}

/// The text of a `.docx` file.
pub fn text(bytes: &[u8]) -> Result<String, Unreadable> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(damaged)?;
    let Some(body) = part(&mut zip, "word/document.xml")? else {
        return Err(Unreadable::NotWord);
    };
    let numbering = part(&mut zip, "word/numbering.xml")?;
    let styles = part(&mut zip, "word/styles.xml")?;
    let body = xml(&body)?;
    let numbering = numbering.as_deref().map(xml).transpose()?;
    let styles = styles.as_deref().map(xml).transpose()?;
    let mut reader = Reader {
        numbering: numbering.as_ref().map(Numbering::read).unwrap_or_default(),
        styles: styles.as_ref().map(style_lists).unwrap_or_default(),
        counters: HashMap::new(),
        restarted: HashSet::new(),
    };
    let root = w_child(body.root_element(), "body").ok_or_else(|| damaged("no document body"))?;
    let mut lines = Vec::new();
    reader.blocks(root, &mut lines);
    Ok(lines.join("\n"))
}

/// A part of the package as text; `None` when the package has no such part.
fn part<R: std::io::Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, Unreadable> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(damaged(format!("{name}: {e}"))),
    };
    let mut data = Vec::new();
    entry
        .take(MAX_PART + 1)
        .read_to_end(&mut data)
        .map_err(|e| damaged(format!("{name}: {e}")))?;
    if data.len() as u64 > MAX_PART {
        return Err(damaged(format!("{name} is larger than 32 MiB")));
    }
    String::from_utf8(data)
        .map(Some)
        .map_err(|_| damaged(format!("{name} is not UTF-8")))
}

fn xml(text: &str) -> Result<Document<'_>, Unreadable> {
    Document::parse(text).map_err(damaged)
}

fn is_w(node: &Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(W) && node.tag_name().name() == name
}

fn w_child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|c| is_w(c, name))
}

fn w_children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |c| is_w(c, name))
}

fn w_val<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.attribute((W, "val"))
}

/// A paragraph's list: its numbering instance and level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListRef<'a> {
    num_id: &'a str,
    level: usize,
}

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
    /// What follows the number: a tab or space (`true`), or nothing.
    separated: bool,
}

/// `numbering.xml`: list definitions and the instances that use them.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// Instance id → its definition and the start values it overrides, by level.
    instances: HashMap<String, (String, HashMap<usize, u32>)>,
}

impl Numbering {
    fn read(doc: &Document<'_>) -> Numbering {
        let mut numbering = Numbering::default();
        let root = doc.root_element();
        for abs in w_children(root, "abstractNum") {
            let Some(id) = abs.attribute((W, "abstractNumId")) else {
                continue;
            };
            let mut levels = vec![Level::default(); LEVELS];
            for lvl in w_children(abs, "lvl") {
                let Some(index) = lvl.attribute((W, "ilvl")).and_then(|i| i.parse().ok()) else {
                    continue;
                };
                let Some(slot) = levels.get_mut::<usize>(index) else {
                    continue;
                };
                let val = |name| w_child(lvl, name).and_then(w_val).unwrap_or_default();
                *slot = Level {
                    format: val("numFmt").to_owned(),
                    text: val("lvlText").to_owned(),
                    start: val("start").parse().unwrap_or(1),
                    separated: val("suff") != "nothing",
                };
            }
            numbering.abstracts.insert(id.to_owned(), levels);
        }
        for num in w_children(root, "num") {
            let (Some(id), Some(abs)) = (
                num.attribute((W, "numId")),
                w_child(num, "abstractNumId").and_then(w_val),
            ) else {
                continue;
            };
            let overrides = w_children(num, "lvlOverride")
                .filter_map(|o| {
                    let level = o.attribute((W, "ilvl"))?.parse().ok()?;
                    let start = w_child(o, "startOverride").and_then(w_val)?.parse().ok()?;
                    Some((level, start))
                })
                .collect();
            numbering
                .instances
                .insert(id.to_owned(), (abs.to_owned(), overrides));
        }
        numbering
    }
}

/// `styles.xml`: the list each paragraph style carries (a numbered "Heading 1"), and the
/// style it is based on.
type StyleLists = HashMap<String, (Option<(String, Option<usize>)>, Option<String>)>;

fn style_lists(doc: &Document<'_>) -> StyleLists {
    w_children(doc.root_element(), "style")
        .filter_map(|style| {
            let id = style.attribute((W, "styleId"))?;
            let num_pr = w_child(style, "pPr").and_then(|p| w_child(p, "numPr"));
            let list = num_pr.and_then(|n| {
                let num_id = w_child(n, "numId").and_then(w_val)?;
                let level = w_child(n, "ilvl")
                    .and_then(w_val)
                    .and_then(|l| l.parse().ok());
                Some((num_id.to_owned(), level))
            });
            let based_on = w_child(style, "basedOn").and_then(w_val).map(str::to_owned);
            Some((id.to_owned(), (list, based_on)))
        })
        .collect()
}

struct Reader {
    numbering: Numbering,
    styles: StyleLists,
    /// The current numbers of each list definition, by level (`None`: not started).
    counters: HashMap<String, [Option<u32>; LEVELS]>,
    /// Instances whose start overrides have restarted their list.
    restarted: HashSet<String>,
}

impl Reader {
    /// The lines of a body, table cell or content control.
    fn blocks(&mut self, node: Node<'_, '_>, lines: &mut Vec<String>) {
        for child in node.children().filter(Node::is_element) {
            if child.tag_name().namespace() != Some(W) {
                continue;
            }
            match child.tag_name().name() {
                "p" => lines.push(self.paragraph(child)),
                "tbl" => {
                    for row in w_children(child, "tr") {
                        lines.push(self.row(row));
                    }
                }
                "sdt" => {
                    if let Some(content) = w_child(child, "sdtContent") {
                        self.blocks(content, lines);
                    }
                }
                "customXml" => self.blocks(child, lines),
                _ => {}
            }
        }
    }

    /// A table row: its cells joined by tabs, as a text export writes them.
    fn row(&mut self, row: Node<'_, '_>) -> String {
        let cells: Vec<String> = w_children(row, "tc")
            .map(|cell| {
                let mut lines = Vec::new();
                self.blocks(cell, &mut lines);
                let first = lines.iter().position(|l| !l.trim().is_empty());
                let last = lines.iter().rposition(|l| !l.trim().is_empty());
                match (first, last) {
                    (Some(a), Some(b)) => lines[a..=b].join("\n"),
                    _ => String::new(),
                }
            })
            .collect();
        cells.join("\t")
    }

    fn paragraph(&mut self, p: Node<'_, '_>) -> String {
        let mut text = String::new();
        runs(p, &mut text);
        let Some(list) = self.list_of(p) else {
            return text;
        };
        let (num_id, level) = (list.num_id.to_owned(), list.level);
        let label = self.number(&num_id, level);
        match label {
            Some((label, separated)) if !text.trim().is_empty() && !label.is_empty() => {
                let indent = "  ".repeat(level);
                let gap = if separated { " " } else { "" };
                format!("{indent}{label}{gap}{}", text.trim_start())
            }
            _ => text,
        }
    }

    /// The list a paragraph belongs to: its own, or its style's.
    fn list_of<'a>(&'a self, p: Node<'a, '_>) -> Option<ListRef<'a>> {
        let num_pr = w_child(p, "pPr").and_then(|p| w_child(p, "numPr"));
        let own_id = num_pr.and_then(|n| w_child(n, "numId")).and_then(w_val);
        let own_level = num_pr
            .and_then(|n| w_child(n, "ilvl"))
            .and_then(w_val)
            .and_then(|l| l.parse().ok());
        let style = w_child(p, "pPr")
            .and_then(|p| w_child(p, "pStyle"))
            .and_then(w_val);
        let from_style = style.and_then(|s| self.style_list(s));
        let num_id = own_id.or(from_style.map(|(id, _)| id))?;
        // `numId 0` takes a paragraph out of the list its style puts it in.
        if num_id == "0" {
            return None;
        }
        let level = own_level
            .or(from_style.and_then(|(_, l)| l))
            .unwrap_or(0)
            .min(LEVELS - 1);
        Some(ListRef { num_id, level })
    }

    fn style_list(&self, style: &str) -> Option<(&str, Option<usize>)> {
        let mut id = style;
        // A few hops of `basedOn`, never round a loop for ever.
        for _ in 0..10 {
            let (list, based_on) = self.styles.get(id)?;
            if let Some((num_id, level)) = list {
                return Some((num_id, *level));
            }
            id = based_on.as_deref()?;
        }
        None
    }

    /// The next number (or the bullet) of a list level, and whether text follows it
    /// after a gap.
    fn number(&mut self, num_id: &str, level: usize) -> Option<(String, bool)> {
        let (abs, overrides) = self.numbering.instances.get(num_id)?;
        let levels = self.numbering.abstracts.get(abs)?;
        let counters = self.counters.entry(abs.clone()).or_insert([None; LEVELS]);
        if !overrides.is_empty() && self.restarted.insert(num_id.to_owned()) {
            *counters = [None; LEVELS];
        }
        let start = |l: usize| overrides.get(&l).copied().unwrap_or(levels[l].start);
        counters[level] = Some(counters[level].map_or(start(level), |n| n + 1));
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        let this = &levels[level];
        if this.format == "bullet" {
            return Some((bullet(&this.text), this.separated));
        }
        if this.format == "none" {
            return Some((String::new(), this.separated));
        }
        let mut label = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            let placeholder = chars
                .peek()
                .and_then(|d| d.to_digit(10))
                .filter(|d| c == '%' && (1..=LEVELS as u32).contains(d));
            match placeholder {
                Some(d) => {
                    chars.next();
                    let l = d as usize - 1;
                    let n = counters[l].unwrap_or_else(|| start(l));
                    label.push_str(&formatted(n, &levels[l].format));
                }
                None => label.push(c),
            }
        }
        Some((label, this.separated))
    }
}

/// The text of a paragraph's runs (also inside links, insertions and content controls).
fn runs(node: Node<'_, '_>, out: &mut String) {
    for child in node.children().filter(Node::is_element) {
        if child.tag_name().namespace() != Some(W) {
            // Drawings and their alternative content: no text of the paragraph.
            continue;
        }
        match child.tag_name().name() {
            "t" => out.push_str(child.text().unwrap_or_default()),
            "tab" | "ptab" => out.push('\t'),
            "br" | "cr" => out.push('\n'),
            "noBreakHyphen" => out.push('-'),
            "r" if hidden(child) => {}
            "r" | "hyperlink" | "ins" | "smartTag" | "fldSimple" | "customXml" | "sdt"
            | "sdtContent" | "moveTo" | "dir" | "bdo" => runs(child, out),
            // Properties, deleted and moved-away text, field codes, notes' marks.
            _ => {}
        }
    }
}

/// Whether a run is hidden text (`<w:vanish/>`).
fn hidden(run: Node<'_, '_>) -> bool {
    w_child(run, "rPr")
        .and_then(|p| w_child(p, "vanish"))
        .is_some_and(|v| !matches!(w_val(v), Some("0" | "false" | "off")))
}

/// A bullet as one of the list markers the importer knows: Word's symbol-font bullets
/// (private-use characters) and pictures become `•`; `o`, dashes and arrows stay.
fn bullet(text: &str) -> String {
    match text.chars().next() {
        None => String::new(),
        Some(c @ ('o' | '-' | '–' | '•' | '●' | '◦' | '▪' | '■' | '➔' | '→')) => {
            c.to_string()
        }
        Some('\u{F0A7}' | '\u{F0A8}' | '\u{F06E}') => "▪".to_owned(),
        Some(_) => "•".to_owned(),
    }
}

/// A list number in a level's format.
fn formatted(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

/// 1 → A, 26 → Z, 27 → AA (Word repeats the letter).
fn letters(n: u32) -> String {
    if n == 0 {
        return "0".to_owned();
    }
    let letter = char::from(b'A' + ((n - 1) % 26) as u8);
    std::iter::repeat_n(letter, (n as usize - 1) / 26 + 1).collect()
}

fn roman(mut n: u32) -> String {
    const NUMERALS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_numbers_in_words_formats() {
        assert_eq!(formatted(3, "decimal"), "3");
        assert_eq!(formatted(3, "lowerLetter"), "c");
        assert_eq!(formatted(28, "upperLetter"), "BB");
        assert_eq!(formatted(14, "upperRoman"), "XIV");
        assert_eq!(formatted(4, "lowerRoman"), "iv");
        assert_eq!(formatted(7, "decimalZero"), "07");
    }

    #[test]
    fn symbol_font_bullets_become_known_markers() {
        assert_eq!(bullet("\u{F0B7}"), "•");
        assert_eq!(bullet("o"), "o");
        assert_eq!(bullet("\u{F0A7}"), "▪");
        assert_eq!(bullet("\u{F0D8}"), "•");
        assert_eq!(bullet(""), "");
    }
}
