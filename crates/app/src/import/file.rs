//! A document file as the text the importer reads: plain text as it is, a Word document
//! (`.docx`) or a PDF's text layer turned into lines. The format is recognised by the
//! file's first bytes, never by its name.

use super::{docx, pdf_text};
use plenary_domain::import::{self as parse, Unreadable};
use std::borrow::Cow;

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Text,
    /// A zip archive: a `.docx` if it holds `word/document.xml`.
    Zip,
    Pdf,
    /// An OLE compound file: Word 97–2003, or an encrypted Office document.
    Ole,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const PDF_MAGIC: &[u8] = b"%PDF-";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// PDF readers accept the header anywhere in the first kilobyte (PDF 32000-1 annex H).
const PDF_HEADER_WINDOW: usize = 1024;

fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC) {
        Sniffed::Zip
    } else if bytes.starts_with(OLE_MAGIC) {
        Sniffed::Ole
    } else if bytes[..bytes.len().min(PDF_HEADER_WINDOW)]
        .windows(PDF_MAGIC.len())
        .any(|w| w == PDF_MAGIC)
    {
        Sniffed::Pdf
    } else {
        Sniffed::Text
    }
}

/// The text of a document file: lines of plain text, whatever it came as.
pub fn document_text(bytes: &[u8]) -> Result<Cow<'_, str>, Unreadable> {
    let text: Cow<'_, str> = match sniff(bytes) {
        Sniffed::Text => return parse::decode(bytes).map(Cow::Borrowed),
        Sniffed::Ole => return Err(Unreadable::OldWord),
        Sniffed::Zip => docx::text(bytes)?.into(),
        Sniffed::Pdf => pdf_text::text(bytes)?.into(),
    };
    // A converted document says nothing: empty for a Word file, no text layer for a PDF.
    if text.trim().is_empty() {
        return Err(match sniff(bytes) {
            Sniffed::Pdf => Unreadable::NoTextLayer,
            _ => Unreadable::Empty,
        });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_told_by_the_first_bytes() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Pdf);
        assert_eq!(
            sniff(b"\r\n%PDF-1.4\n"),
            Sniffed::Pdf,
            "junk before the header"
        );
        assert_eq!(sniff(OLE_MAGIC), Sniffed::Ole);
        assert_eq!(sniff("Minutes\n1. Opening".as_bytes()), Sniffed::Text);
        assert_eq!(sniff(b""), Sniffed::Text);
    }

    #[test]
    fn broken_files_are_refused_with_the_reason() {
        assert_eq!(document_text(OLE_MAGIC), Err(Unreadable::OldWord));
        assert!(matches!(
            document_text(b"PK\x03\x04 not really a zip"),
            Err(Unreadable::Damaged(parse::Format::Word, _))
        ));
        assert!(matches!(
            document_text(b"%PDF-1.4\n1 0 obj garbage"),
            Err(Unreadable::Damaged(parse::Format::Pdf, _))
        ));
        assert_eq!(document_text(b"\xff\xfe\x00"), Err(Unreadable::Binary));
        assert_eq!(document_text(b"  \n"), Err(Unreadable::Empty));
    }
}
