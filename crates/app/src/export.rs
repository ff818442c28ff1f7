//! Streaming table writers: a header and then rows, one at a time, written to any
//! [`std::io::Write`] as they come. Neither format holds more than the current row in
//! memory, so an export of 10,000 or 1,000,000 rows costs the same memory.
//!
//! - [`csv`]: RFC 4180, UTF-8 with a byte-order mark, cells that a spreadsheet would run
//!   as a formula neutralised (see [`csv::neutralise`]).
//! - [`xlsx`]: an Office Open XML workbook with one sheet, written as a ZIP stream
//!   (stored entries, the sheet's sizes and CRC in a data descriptor after it) with
//!   inline strings, so that no shared-string table is kept.
//!
//! Pass a buffered writer (or a channel that batches, as the web layer does): both
//! writers build each row in a buffer of their own and write it with one call.

pub mod csv;
pub mod xlsx;
mod zip;

use crate::AppError;
use plenary_domain::{FieldError, Problem};
use std::fmt;
use std::io::{self, Write};

/// Why an export stopped half-way.
#[derive(Debug)]
pub enum ExportError {
    /// Reading the rows failed (the database is unavailable, or a fault).
    App(AppError),
    /// The output could not be written (the disk is full, the client went away).
    Write(io::Error),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::App(e) => e.fmt(f),
            ExportError::Write(e) => write!(f, "the export could not be written: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<AppError> for ExportError {
    fn from(e: AppError) -> Self {
        ExportError::App(e)
    }
}

impl From<io::Error> for ExportError {
    fn from(e: io::Error) -> Self {
        ExportError::Write(e)
    }
}

/// An export checked and ready to be written: what the web layer streams and the
/// command line writes to a file.
pub trait Export: Send + 'static {
    fn format(&self) -> Format;
    /// The name to save the file under (ASCII).
    fn file_name(&self) -> &str;
    /// What it holds, for the log: "registrations", "visa requests".
    fn what(&self) -> &'static str;
    fn event_id(&self) -> i64;
    /// Writes the whole file to `out`; returns how many rows. Pass a buffered writer.
    fn write_to(&self, out: &mut dyn Write) -> Result<u64, ExportError>;
}

/// Writes rows read in batches of `batch` by keyset pagination: `read(after)` gives the
/// rows whose `key` follows `after`, in order. Each batch is written before the next is
/// read, so memory stays flat; returns how many rows were written.
pub fn write_in_batches<T, W: Write>(
    mut table: TableWriter<W>,
    batch: i64,
    mut read: impl FnMut(i64) -> Result<Vec<T>, AppError>,
    key: impl Fn(&T) -> i64,
    cells: impl Fn(T) -> Vec<String>,
) -> Result<u64, ExportError> {
    let mut after = 0;
    let mut rows = 0;
    loop {
        let page = read(after)?;
        let full = page.len() as i64 == batch;
        let last = page.last().map(&key);
        for row in page {
            table.row(&cells(row))?;
            rows += 1;
        }
        match last {
            Some(last) if full => after = last,
            _ => break,
        }
    }
    table.finish()?;
    Ok(rows)
}

/// The file formats of exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Csv, Format::Xlsx];

    /// `csv` or `xlsx` (any case, spaces around ignored); the error names `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Format, FieldError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "" => Err(FieldError::new(field, Problem::Required)),
            _ => Err(FieldError::new(field, Problem::Invalid("csv or xlsx"))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// The file name's extension (without the dot).
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// The media type of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A column of a table: its title (the header cell) and, for XLSX, its width in
/// characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    pub width: f64,
}

impl Column {
    pub fn new(title: impl Into<String>, width: f64) -> Column {
        Column {
            title: title.into(),
            width,
        }
    }
}

/// A table being written in one of the formats.
pub enum TableWriter<W: Write> {
    Csv(csv::Writer<W>),
    Xlsx(xlsx::Writer<W>),
}

impl<W: Write> TableWriter<W> {
    /// Starts the file and writes the header row (bold in XLSX). `sheet` names the
    /// XLSX sheet; `modified` dates its ZIP entries.
    pub fn new(
        format: Format,
        out: W,
        sheet: &str,
        columns: &[Column],
        modified: chrono::NaiveDateTime,
    ) -> io::Result<TableWriter<W>> {
        Ok(match format {
            Format::Csv => {
                let mut writer = csv::Writer::new(out)?;
                let titles: Vec<&str> = columns.iter().map(|c| c.title.as_str()).collect();
                writer.row(&titles)?;
                TableWriter::Csv(writer)
            }
            Format::Xlsx => TableWriter::Xlsx(xlsx::Writer::new(out, sheet, columns, modified)?),
        })
    }

    /// Writes one row. A row may have fewer cells than there are columns.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        match self {
            TableWriter::Csv(w) => w.row(cells),
            TableWriter::Xlsx(w) => w.row(cells),
        }
    }

    /// Ends the file (XLSX: the ZIP's central directory) and flushes it.
    pub fn finish(self) -> io::Result<W> {
        match self {
            TableWriter::Csv(w) => w.finish(),
            TableWriter::Xlsx(w) => w.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_name_the_field() {
        assert_eq!(Format::parse("format", " XLSX "), Ok(Format::Xlsx));
        assert_eq!(Format::parse("format", "csv"), Ok(Format::Csv));
        let e = Format::parse("format", "pdf").expect_err("pdf");
        assert_eq!(e.field, "format");
        assert!(e.to_string().contains("csv or xlsx"), "{e}");
        assert_eq!(
            Format::parse("format", "").expect_err("empty").problem,
            Problem::Required
        );
    }

    #[test]
    fn both_formats_write_the_same_table() {
        let columns = [Column::new("a", 5.0), Column::new("b", 5.0)];
        let at = chrono::NaiveDate::from_ymd_opt(2026, 6, 26)
            .and_then(|d| d.and_hms_opt(8, 0, 0))
            .expect("date");
        for format in Format::ALL {
            let mut w = TableWriter::new(format, Vec::new(), "Sheet", &columns, at).expect("start");
            w.row(&["1", "=2"]).expect("row");
            let bytes = w.finish().expect("finish");
            match format {
                Format::Csv => assert_eq!(bytes, b"\xEF\xBB\xBFa,b\r\n1,'=2\r\n"),
                Format::Xlsx => assert_eq!(&bytes[..4], b"PK\x03\x04"),
            }
        }
    }
}
