//! An XLSX workbook (Office Open XML, ECMA-376) with one sheet, written row by row.
//!
//! The package is the smallest Excel and LibreOffice open without complaint:
//! `[Content_Types].xml`, the relationships, `xl/workbook.xml`, `xl/styles.xml` (a bold
//! font for the header row) and `xl/worksheets/sheet1.xml`. The sheet is the ZIP entry
//! that is streamed (see `zip`); its cells are inline strings (`t="inlineStr"`), so no
//! shared-string table has to be collected in memory before the end.
//!
//! Text is escaped for XML, and what XML 1.0 cannot carry is dropped: control
//! characters other than tab, line feed and carriage return, and U+FFFE/U+FFFF. A
//! carriage return is written `&#13;` so that it survives the parser's line-end
//! normalisation, and a literal `_xHHHH_` is written with its underscore escaped
//! (`_x005F_`), since Excel would read it as the character HHHH. A cell holds at most
//! 32,767 characters (Excel's limit): longer text is cut there. The header row is
//! bold and frozen, and columns have the widths given.

use super::Column;
use super::zip::{DosTime, ZipWriter};
use std::io::{self, Write};

/// Excel's limits.
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLUMNS: usize = 16_384;
pub const MAX_CELL_CHARS: usize = 32_767;

const SHEET_PATH: &str = "xl/worksheets/sheet1.xml";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

fn content_types() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/{SHEET_PATH}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#
    )
}

fn package_rels() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    )
}

fn workbook(sheet_name: &str) -> String {
    let mut name = Vec::new();
    push_text(&mut name, sheet_name);
    let name = String::from_utf8_lossy(&name);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><bookViews><workbookView/></bookViews><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    )
}

fn workbook_rels() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>"#
    )
}

/// Style 0: the default; style 1: bold (the header row).
fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN_NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#
    )
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not
/// starting or ending with an apostrophe, not empty.
pub fn sheet_name(wanted: &str) -> String {
    let cleaned: String = wanted
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control())
        .take(31)
        .collect();
    let trimmed = cleaned.trim_matches('\'').trim();
    if trimmed.is_empty() {
        "Sheet1".into()
    } else {
        trimmed.to_owned()
    }
}

/// The column's letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Whether XML 1.0 allows the character (its `Char` production; Rust's `char` holds
/// no surrogates).
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `text` escaped as XML character data (also safe in an attribute value),
/// without the characters XML forbids, at most [`MAX_CELL_CHARS`] characters kept.
pub fn push_text(out: &mut Vec<u8>, text: &str) {
    let mut kept = 0;
    for (i, c) in text.char_indices() {
        if !xml_allowed(c) {
            continue;
        }
        if kept == MAX_CELL_CHARS {
            break;
        }
        kept += 1;
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\'' => out.extend_from_slice(b"&apos;"),
            '\r' => out.extend_from_slice(b"&#13;"),
            '_' if is_excel_escape(&text[i..]) => out.extend_from_slice(b"_x005F_"),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// Whether `rest` starts with `_xHHHH_`, which Excel reads as an escaped character.
fn is_excel_escape(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

/// An XLSX file being written.
pub struct Writer<W: Write> {
    zip: ZipWriter<W>,
    /// Rows written, the header included.
    rows: u32,
    row: Vec<u8>,
    letters: Vec<String>,
}

impl<W: Write> Writer<W> {
    /// Writes the package's fixed parts, starts the sheet and writes the header row.
    pub fn new(
        out: W,
        sheet: &str,
        columns: &[Column],
        modified: chrono::NaiveDateTime,
    ) -> io::Result<Writer<W>> {
        if columns.len() > MAX_COLUMNS {
            return Err(io::Error::other(format!(
                "a sheet has at most {MAX_COLUMNS} columns"
            )));
        }
        let mut zip = ZipWriter::new(out, DosTime::of(modified));
        zip.file("[Content_Types].xml", content_types().as_bytes())?;
        zip.file("_rels/.rels", package_rels().as_bytes())?;
        zip.file("xl/workbook.xml", workbook(&sheet_name(sheet)).as_bytes())?;
        zip.file("xl/_rels/workbook.xml.rels", workbook_rels().as_bytes())?;
        zip.file("xl/styles.xml", styles().as_bytes())?;
        zip.start(SHEET_PATH)?;
        let mut head = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>"#
        );
        if !columns.is_empty() {
            head.push_str("<cols>");
            for (i, c) in columns.iter().enumerate() {
                let width = if c.width.is_finite() {
                    c.width.clamp(1.0, 255.0)
                } else {
                    10.0
                };
                head.push_str(&format!(
                    r#"<col min="{n}" max="{n}" width="{width:.1}" customWidth="1"/>"#,
                    n = i + 1
                ));
            }
            head.push_str("</cols>");
        }
        head.push_str("<sheetData>");
        zip.stream(head.as_bytes())?;
        let mut writer = Writer {
            zip,
            rows: 0,
            row: Vec::with_capacity(4096),
            letters: Vec::new(),
        };
        let titles: Vec<&str> = columns.iter().map(|c| c.title.as_str()).collect();
        writer.write_row(&titles, true)?;
        Ok(writer)
    }

    /// Writes one row of text cells; empty cells are left out.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        self.write_row(cells, false)
    }

    fn write_row<S: AsRef<str>>(&mut self, cells: &[S], bold: bool) -> io::Result<()> {
        if self.rows == MAX_ROWS {
            return Err(io::Error::other(format!(
                "a sheet holds at most {MAX_ROWS} rows; export CSV instead"
            )));
        }
        if cells.len() > MAX_COLUMNS {
            return Err(io::Error::other(format!(
                "a sheet has at most {MAX_COLUMNS} columns"
            )));
        }
        while self.letters.len() < cells.len() {
            self.letters.push(column_letters(self.letters.len()));
        }
        self.rows += 1;
        let r = self.rows;
        let style = if bold { r#" s="1""# } else { "" };
        self.row.clear();
        self.row
            .extend_from_slice(format!(r#"<row r="{r}">"#).as_bytes());
        for (i, cell) in cells.iter().enumerate() {
            let text = cell.as_ref();
            if text.is_empty() {
                continue;
            }
            // Spaces at either end are kept only when the text says so.
            let space =
                if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
                    r#" xml:space="preserve""#
                } else {
                    ""
                };
            self.row.extend_from_slice(
                format!(
                    r#"<c r="{}{r}" t="inlineStr"{style}><is><t{space}>"#,
                    self.letters[i]
                )
                .as_bytes(),
            );
            push_text(&mut self.row, text);
            self.row.extend_from_slice(b"</t></is></c>");
        }
        self.row.extend_from_slice(b"</row>");
        self.zip.stream(&self.row)
    }

    /// Ends the sheet and the archive; flushes.
    pub fn finish(mut self) -> io::Result<W> {
        self.zip.stream(b"</sheetData></worksheet>")?;
        self.zip.end()?;
        self.zip.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::zip::Crc32;
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn le16(b: &[u8], at: usize) -> usize {
        usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
    }

    fn le32(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    /// Reads an archive back through its central directory, checking every entry's
    /// local header, data descriptor, size and CRC-32, and that the entries and the
    /// directory fill the file without gaps. Returns the entries by name.
    fn unzip(b: &[u8]) -> BTreeMap<String, Vec<u8>> {
        assert!(b.len() >= 22, "too short");
        let end = b.len() - 22;
        assert_eq!(le32(b, end), 0x0605_4b50, "end of central directory");
        let count = le16(b, end + 10);
        assert_eq!(count, le16(b, end + 8));
        let directory_size = le32(b, end + 12) as usize;
        let directory_start = le32(b, end + 16) as usize;
        assert_eq!(directory_start + directory_size, end, "directory then end");
        assert_eq!(le16(b, end + 20), 0, "no comment");
        let mut entries = BTreeMap::new();
        let mut at = directory_start;
        let mut next_local = 0;
        for _ in 0..count {
            assert_eq!(le32(b, at), 0x0201_4b50, "central header");
            let flags = le16(b, at + 8);
            assert_eq!(le16(b, at + 10), 0, "stored");
            let crc = le32(b, at + 16);
            let compressed = le32(b, at + 20) as usize;
            let size = le32(b, at + 24) as usize;
            assert_eq!(compressed, size);
            let name_len = le16(b, at + 28);
            let extra = le16(b, at + 30);
            let comment = le16(b, at + 32);
            let offset = le32(b, at + 42) as usize;
            let name = String::from_utf8(b[at + 46..at + 46 + name_len].to_vec()).expect("name");
            at += 46 + name_len + extra + comment;

            assert_eq!(offset, next_local, "{name}: entries follow each other");
            assert_eq!(le32(b, offset), 0x0403_4b50, "{name}: local header");
            assert_eq!(le16(b, offset + 6), flags, "{name}: same flags");
            assert_eq!(le16(b, offset + 8), 0, "{name}: stored");
            let local_name = le16(b, offset + 26);
            let local_extra = le16(b, offset + 28);
            assert_eq!(&b[offset + 30..offset + 30 + local_name], name.as_bytes());
            let data_start = offset + 30 + local_name + local_extra;
            let data = &b[data_start..data_start + size];
            assert_eq!(Crc32::of(data), crc, "{name}: CRC-32");
            next_local = data_start + size;
            if flags & 8 == 8 {
                assert_eq!(le32(b, offset + 14), 0, "{name}: CRC follows");
                assert_eq!(le32(b, offset + 18), 0);
                assert_eq!(le32(b, offset + 22), 0);
                let d = next_local;
                assert_eq!(le32(b, d), 0x0807_4b50, "{name}: data descriptor");
                assert_eq!(le32(b, d + 4), crc);
                assert_eq!(le32(b, d + 8) as usize, size);
                assert_eq!(le32(b, d + 12) as usize, size);
                next_local += 16;
            } else {
                assert_eq!(le32(b, offset + 14), crc, "{name}: CRC in the header");
                assert_eq!(le32(b, offset + 18) as usize, size);
                assert_eq!(le32(b, offset + 22) as usize, size);
            }
            entries.insert(name, data.to_vec());
        }
        assert_eq!(at, end);
        assert_eq!(next_local, directory_start, "no gap before the directory");
        entries
    }

    #[derive(Debug, PartialEq)]
    enum Node {
        Element {
            name: String,
            attributes: Vec<(String, String)>,
            children: Vec<Node>,
        },
        Text(String),
    }

    /// A strict reader of the XML we write: the declaration, then one element with
    /// attributes, text and the predefined or numeric entities; no comments, no
    /// CDATA, no DTD. Fails on anything not well-formed (unbalanced or mismatched
    /// tags, a bare `&` or `<`, a character XML 1.0 forbids).
    fn parse_xml(text: &str) -> Result<Node, String> {
        let rest = text
            .strip_prefix(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
            .ok_or("no XML declaration")?
            .trim_start_matches('\n');
        if let Some(c) = rest.chars().find(|c| !xml_allowed(*c)) {
            return Err(format!("character {c:?} is not allowed in XML"));
        }
        let mut p = Parser { s: rest, at: 0 };
        let root = p.element()?;
        if p.at != rest.len() {
            return Err("content after the root element".into());
        }
        Ok(root)
    }

    struct Parser<'a> {
        s: &'a str,
        at: usize,
    }

    impl Parser<'_> {
        fn rest(&self) -> &str {
            &self.s[self.at..]
        }

        fn eat(&mut self, what: &str) -> Result<(), String> {
            if self.rest().starts_with(what) {
                self.at += what.len();
                Ok(())
            } else {
                Err(format!("expected {what:?} at {}", self.at))
            }
        }

        fn name(&mut self) -> Result<String, String> {
            let n = self
                .rest()
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.')))
                .unwrap_or(self.rest().len());
            if n == 0 {
                return Err(format!("expected a name at {}", self.at));
            }
            let name = self.rest()[..n].to_owned();
            self.at += n;
            Ok(name)
        }

        fn skip_space(&mut self) {
            let n = self.rest().len() - self.rest().trim_start().len();
            self.at += n;
        }

        fn unescape(raw: &str) -> Result<String, String> {
            let mut out = String::new();
            let mut rest = raw;
            while let Some(i) = rest.find(['&', '<']) {
                out.push_str(&rest[..i]);
                if rest[i..].starts_with('<') {
                    return Err("'<' in text".into());
                }
                let end = rest[i..].find(';').ok_or("unterminated entity")? + i;
                let entity = &rest[i + 1..end];
                let c = match entity {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => {
                        let code = if let Some(hex) = entity.strip_prefix("#x") {
                            u32::from_str_radix(hex, 16)
                        } else if let Some(dec) = entity.strip_prefix('#') {
                            dec.parse()
                        } else {
                            return Err(format!("unknown entity &{entity};"));
                        };
                        code.ok()
                            .and_then(char::from_u32)
                            .filter(|c| xml_allowed(*c))
                            .ok_or(format!("bad character reference &{entity};"))?
                    }
                };
                out.push(c);
                rest = &rest[end + 1..];
            }
            out.push_str(rest);
            Ok(out)
        }

        fn element(&mut self) -> Result<Node, String> {
            self.eat("<")?;
            let name = self.name()?;
            let mut attributes = Vec::new();
            loop {
                self.skip_space();
                if self.rest().starts_with("/>") {
                    self.at += 2;
                    return Ok(Node::Element {
                        name,
                        attributes,
                        children: vec![],
                    });
                }
                if self.rest().starts_with('>') {
                    self.at += 1;
                    break;
                }
                let key = self.name()?;
                self.eat("=\"")?;
                let end = self.rest().find('"').ok_or("unterminated attribute")?;
                let value = Self::unescape(&self.rest()[..end])?;
                if attributes.iter().any(|(k, _)| k == &key) {
                    return Err(format!("attribute {key} twice"));
                }
                attributes.push((key, value));
                self.at += end + 1;
            }
            let mut children = Vec::new();
            loop {
                let text_end = self.rest().find('<').ok_or("unclosed element")?;
                if text_end > 0 {
                    let raw = &self.rest()[..text_end];
                    children.push(Node::Text(Self::unescape(raw)?));
                    self.at += text_end;
                }
                if self.rest().starts_with("</") {
                    self.at += 2;
                    let closing = self.name()?;
                    if closing != name {
                        return Err(format!("<{name}> closed by </{closing}>"));
                    }
                    self.eat(">")?;
                    return Ok(Node::Element {
                        name,
                        attributes,
                        children,
                    });
                }
                children.push(self.element()?);
            }
        }
    }

    fn find<'a>(node: &'a Node, name: &str, out: &mut Vec<&'a Node>) {
        if let Node::Element {
            name: n, children, ..
        } = node
        {
            if n == name {
                out.push(node);
            }
            for c in children {
                find(c, name, out);
            }
        }
    }

    fn attribute<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
        match node {
            Node::Element { attributes, .. } => attributes
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            Node::Text(_) => None,
        }
    }

    fn text_of(node: &Node) -> String {
        match node {
            Node::Text(t) => t.clone(),
            Node::Element { children, .. } => children.iter().map(text_of).collect(),
        }
    }

    /// Excel's reading of `_xHHHH_` escapes.
    fn excel_unescape(text: &str) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            if rest.starts_with('_') && is_excel_escape(rest) {
                let code = u32::from_str_radix(&rest[2..6], 16).expect("hex");
                out.push(char::from_u32(code).expect("char"));
                i += 7;
            } else {
                let c = rest.chars().next().expect("char");
                out.push(c);
                i += c.len_utf8();
            }
        }
        out
    }

    /// The sheet's cells as (reference, text, style), row by row.
    fn cells(sheet: &Node) -> Vec<Vec<(String, String, Option<String>)>> {
        let mut rows = Vec::new();
        find(sheet, "row", &mut rows);
        rows.iter()
            .map(|row| {
                let mut cs = Vec::new();
                find(row, "c", &mut cs);
                cs.iter()
                    .map(|c| {
                        assert_eq!(attribute(c, "t"), Some("inlineStr"));
                        (
                            attribute(c, "r").expect("r").to_owned(),
                            excel_unescape(&text_of(c)),
                            attribute(c, "s").map(str::to_owned),
                        )
                    })
                    .collect()
            })
            .collect()
    }

    fn at() -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 6, 26)
            .and_then(|d| d.and_hms_opt(8, 0, 0))
            .expect("date")
    }

    fn workbook_of(columns: &[Column], rows: &[Vec<String>]) -> BTreeMap<String, Vec<u8>> {
        let mut w = Writer::new(Vec::new(), "Registrations", columns, at()).expect("start");
        for r in rows {
            w.row(r).expect("row");
        }
        unzip(&w.finish().expect("finish"))
    }

    const TRICKY: &[&str] = &[
        "<&>\"'",
        "Ramírez García",
        "Guðrúnar Jóns",
        "مرحبا بالعالم",
        "🙂 👩🏽‍💻",
        "bell\u{7}null\u{0}esc\u{1b}",
        "tab\tline\nreturn\r",
        "\u{FFFE}\u{FFFF}ok",
        "_x0041_ stays",
        "=1+1",
        "  spaces  ",
        "]]>",
    ];

    fn expected(text: &str) -> String {
        text.chars().filter(|c| xml_allowed(*c)).collect()
    }

    #[test]
    fn the_package_reads_back_with_every_part_well_formed() {
        let columns = vec![Column::new("Name", 20.0), Column::new("Note <b>", 40.0)];
        let rows: Vec<Vec<String>> = TRICKY
            .iter()
            .map(|t| vec![format!("row {t}"), (*t).to_owned()])
            .collect();
        let files = workbook_of(&columns, &rows);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "xl/_rels/workbook.xml.rels",
                "xl/styles.xml",
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml"
            ]
        );
        for (name, data) in &files {
            let text = std::str::from_utf8(data).expect("UTF-8");
            parse_xml(text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        }
        let sheet =
            parse_xml(std::str::from_utf8(&files[SHEET_PATH]).expect("UTF-8")).expect("sheet");
        let got = cells(&sheet);
        assert_eq!(got.len(), 1 + TRICKY.len());
        assert_eq!(
            got[0],
            vec![
                ("A1".into(), "Name".into(), Some("1".into())),
                ("B1".into(), "Note <b>".into(), Some("1".into()))
            ]
        );
        for (i, t) in TRICKY.iter().enumerate() {
            let row = &got[i + 1];
            assert_eq!(row[0].0, format!("A{}", i + 2));
            assert_eq!(row[1], (format!("B{}", i + 2), expected(t), None), "{t:?}");
        }
        let raw = String::from_utf8_lossy(&files[SHEET_PATH]);
        assert!(raw.contains(r#"<t xml:space="preserve">  spaces  </t>"#));
        assert!(raw.contains("<t>Ramírez García</t>"));
        let mut panes = Vec::new();
        find(&sheet, "pane", &mut panes);
        assert_eq!(attribute(panes[0], "state"), Some("frozen"));
        let mut cols = Vec::new();
        find(&sheet, "col", &mut cols);
        assert_eq!(attribute(cols[1], "width"), Some("40.0"));
        let styles = String::from_utf8(files["xl/styles.xml"].clone()).expect("UTF-8");
        assert!(styles.contains("<font><b/>"));
    }

    #[test]
    fn empty_cells_are_left_out_and_long_text_is_cut() {
        let long = "é".repeat(MAX_CELL_CHARS + 10);
        let files = workbook_of(
            &[
                Column::new("a", 5.0),
                Column::new("b", 5.0),
                Column::new("c", 5.0),
            ],
            &[vec![String::new(), long, "x".into()]],
        );
        let sheet =
            parse_xml(std::str::from_utf8(&files[SHEET_PATH]).expect("UTF-8")).expect("sheet");
        let got = cells(&sheet);
        assert_eq!(got[1].len(), 2);
        assert_eq!(got[1][0].0, "B2");
        assert_eq!(got[1][0].1.chars().count(), MAX_CELL_CHARS);
        assert_eq!(got[1][1], ("C2".into(), "x".into(), None));
    }

    #[test]
    fn an_empty_table_is_a_valid_workbook() {
        let files = workbook_of(&[], &[]);
        let sheet =
            parse_xml(std::str::from_utf8(&files[SHEET_PATH]).expect("UTF-8")).expect("sheet");
        assert_eq!(cells(&sheet), vec![Vec::new()]);
    }

    #[test]
    fn names_and_letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(MAX_COLUMNS - 1), "XFD");
        assert_eq!(
            sheet_name("IGF 2026: [Kyoto]/registrations?"),
            "IGF 2026 Kyotoregistrations"
        );
        assert_eq!(sheet_name("''"), "Sheet1");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }

    #[test]
    fn the_test_xml_reader_refuses_what_is_not_well_formed() {
        let decl = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
        for bad in [
            "<a>",
            "<a></b>",
            "<a>&</a>",
            "<a>&bogus;</a>",
            "<a>\u{1}</a>",
            "<a b=\"<\"/>",
            "<a/><b/>",
            "<a>&#0;</a>",
        ] {
            assert!(parse_xml(&format!("{decl}{bad}")).is_err(), "{bad}");
        }
        assert!(parse_xml(&format!("{decl}<a b=\"&quot;\">x&#13;<c/></a>")).is_ok());
    }

    proptest! {
        /// Any text comes back out of the sheet as written, less the characters XML
        /// cannot carry.
        #[test]
        fn any_text_round_trips(texts in prop::collection::vec(any::<String>(), 1..8)) {
            let columns: Vec<Column> = (0..texts.len()).map(|i| Column::new(format!("c{i}"), 10.0)).collect();
            let files = workbook_of(&columns, std::slice::from_ref(&texts));
            let sheet = parse_xml(std::str::from_utf8(&files[SHEET_PATH]).map_err(|e| TestCaseError::fail(e.to_string()))?)
                .map_err(TestCaseError::fail)?;
            let got = cells(&sheet);
            let wanted: Vec<String> = texts.iter().filter(|t| !t.is_empty()).map(|t| expected(t)).collect();
            let back: Vec<String> = got[1].iter().map(|c| c.1.clone()).collect();
            prop_assert_eq!(back, wanted);
        }
    }
}
