//! CSV as RFC 4180 describes it, written row by row.
//!
//! - UTF-8 with a byte-order mark first, so that Excel reads the file as UTF-8 (without
//!   it Excel assumes the machine's legacy code page and mangles `Núñez` or Arabic).
//! - Fields are separated by commas and records end with CRLF. A field holding a comma,
//!   a double quote, CR or LF is put in double quotes, a double quote inside doubled.
//! - Formula injection ("CSV injection"): a spreadsheet runs a cell that starts with
//!   `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)`, `=cmd|...`), and some also
//!   when a tab or carriage return comes first. Such a cell gets a leading apostrophe,
//!   as OWASP's "CSV Injection" page advises, which the spreadsheet shows as text. The
//!   price: a value such as `-5` or `+41 22 917 1234` reads `'-5` and `'+41 22 917 1234`
//!   in the file. Registrants type names and organizations, never figures, so nothing
//!   of value is lost; the XLSX export needs no such change (its cells are typed as
//!   text and never evaluated).

use std::borrow::Cow;
use std::io::{self, Write};

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The characters that make a spreadsheet read a cell as a formula when they come
/// first (OWASP: `=`, `+`, `-`, `@`, tab, carriage return).
pub const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as a spreadsheet will show it as text: with a leading apostrophe when it
/// starts with one of [`FORMULA_TRIGGERS`], unchanged otherwise.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_TRIGGERS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Appends one field: neutralised, then quoted when it must be.
pub fn push_field(line: &mut Vec<u8>, cell: &str) {
    let cell = neutralise(cell);
    if cell.contains([',', '"', '\r', '\n']) {
        line.push(b'"');
        for part in cell.split_inclusive('"') {
            line.extend_from_slice(part.as_bytes());
            if part.ends_with('"') {
                line.push(b'"');
            }
        }
        line.push(b'"');
    } else {
        line.extend_from_slice(cell.as_bytes());
    }
}

/// A CSV file being written.
pub struct Writer<W: Write> {
    out: W,
    line: Vec<u8>,
}

impl<W: Write> Writer<W> {
    /// Starts the file with the byte-order mark.
    pub fn new(mut out: W) -> io::Result<Writer<W>> {
        out.write_all(BOM)?;
        Ok(Writer {
            out,
            line: Vec::with_capacity(1024),
        })
    }

    /// Writes one record.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        self.line.clear();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.line.push(b',');
            }
            push_field(&mut self.line, cell.as_ref());
        }
        self.line.extend_from_slice(b"\r\n");
        self.out.write_all(&self.line)
    }

    /// Flushes and gives the output back.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn csv(rows: &[&[&str]]) -> String {
        let mut w = Writer::new(Vec::new()).expect("start");
        for row in rows {
            w.row(row).expect("row");
        }
        let bytes = w.finish().expect("finish");
        assert!(bytes.starts_with(BOM));
        String::from_utf8(bytes[BOM.len()..].to_vec()).expect("UTF-8")
    }

    /// A strict RFC 4180 reader (no BOM): records of fields.
    fn parse(text: &str) -> Result<Vec<Vec<String>>, String> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut chars = text.chars().peekable();
        loop {
            let mut field = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                loop {
                    match chars.next() {
                        None => return Err("unterminated quoted field".into()),
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => field.push(c),
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    match c {
                        ',' | '\r' | '\n' => break,
                        '"' => return Err("quote inside an unquoted field".into()),
                        _ => {
                            field.push(c);
                            chars.next();
                        }
                    }
                }
            }
            record.push(field);
            match chars.next() {
                Some(',') => {}
                Some('\r') => {
                    if chars.next() != Some('\n') {
                        return Err("CR without LF".into());
                    }
                    records.push(std::mem::take(&mut record));
                    if chars.peek().is_none() {
                        return Ok(records);
                    }
                }
                None => return Err("the last record has no CRLF".into()),
                Some(c) => return Err(format!("{c:?} after a field")),
            }
        }
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let text = csv(&[
            &[
                "plain",
                "Núñez",
                "a,b",
                "say \"hi\"",
                "two\nlines",
                "cr\rhere",
            ],
            &["", "مرحبا", "🙂"],
        ]);
        assert_eq!(
            text,
            "plain,Núñez,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\r\n,مرحبا,🙂\r\n"
        );
    }

    #[test]
    fn formula_cells_are_neutralised() {
        let text = csv(&[&[
            "=1+1",
            "+41 22",
            "-5",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"http://evil\",\"x\")",
            "a=b",
            " =x",
        ]]);
        assert_eq!(
            text,
            "'=1+1,'+41 22,'-5,'@SUM(A1),'\tx,\"'\rx\",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",a=b, =x\r\n"
        );
        let parsed = parse(&text).expect("parses");
        assert!(
            parsed[0].iter().all(|f| !f.starts_with(FORMULA_TRIGGERS)),
            "{parsed:?}"
        );
    }

    #[test]
    fn the_test_parser_refuses_what_is_not_csv() {
        assert!(parse("a\"b\r\n").is_err());
        assert!(parse("\"a\r\n").is_err());
        assert!(parse("a\n").is_err());
        assert_eq!(
            parse("a,\"b\"\"c\"\r\n\r\n").expect("ok"),
            vec![vec!["a".to_owned(), "b\"c".to_owned()], vec![String::new()]]
        );
    }

    fn tricky_cell() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[=+\\-@\t\r,\"\n a-zé😀ع]{0,12}",
            prop::sample::select(vec!["=1+1", "-", "\"", ",", "\r\n", "'", "@"])
                .prop_map(str::to_owned),
        ]
    }

    proptest! {
        /// Any cells come back from a strict reader as written, but for the
        /// apostrophe in front of a formula, and never start a formula.
        #[test]
        fn every_cell_round_trips(rows in prop::collection::vec(
            prop::collection::vec(tricky_cell(), 1..6), 1..5)
        ) {
            let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            let parsed = parse(&csv(&slices)).map_err(TestCaseError::fail)?;
            prop_assert_eq!(parsed.len(), rows.len());
            for (row, back) in rows.iter().zip(&parsed) {
                prop_assert_eq!(row.len(), back.len());
                for (cell, field) in row.iter().zip(back) {
                    prop_assert_eq!(field, &neutralise(cell).into_owned());
                    prop_assert!(!field.starts_with(FORMULA_TRIGGERS));
                    let original = if cell.starts_with(FORMULA_TRIGGERS) {
                        field.strip_prefix('\'').unwrap_or(field)
                    } else {
                        field.as_str()
                    };
                    prop_assert_eq!(original, cell.as_str());
                }
            }
        }
    }
}
