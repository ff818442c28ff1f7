//! Word and PDF documents are read as their text: the project's own documents, made
//! into a `.docx` and into PDFs (import::testing makes them as word processors do), give
//! the same extraction as the text they were made from.

use plenary_app::import::testing::{
    PdfFont, assemble, docx_from_text, pdf_from_text, stream, zip_of,
};
use plenary_app::{document_text, read_document};
use plenary_domain::import::{Format, Unreadable};

fn read(dir: &str, name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(dir)
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The project's own documents, by file name.
fn own_documents() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/tests/import");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the own documents")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 7, "the own documents are there");
    names
        .into_iter()
        .map(|n| {
            let text = read("../domain/tests/import", &n);
            (n, text)
        })
        .collect()
}

/// The file reads as the text it was made from: the same extraction, warnings and
/// their lines included.
fn reads_as_its_text(name: &str, what: &str, file: &[u8], text: &str) {
    let expected = read_document(text.as_bytes()).expect("the text reads");
    let converted = document_text(file).unwrap_or_else(|e| panic!("{name} ({what}): {e}"));
    let got = read_document(file).expect("the file reads");
    assert_eq!(
        got, expected,
        "{name} ({what}) read as:\n{converted}\n--- instead of:\n{text}"
    );
}

/// A page has no blank lines above its first line of text: a PDF starts with its first
/// line of text.
fn without_leading_blank_lines(text: &str) -> &str {
    let start = text
        .trim_start_matches('\u{feff}')
        .trim_start_matches(|c: char| c.is_whitespace());
    let first_line = text.len() - start.len();
    // Back to the start of that line: its own indentation stays.
    let line_start = text[..first_line].rfind('\n').map_or(0, |k| k + 1);
    &text[line_start..]
}

#[test]
fn word_versions_of_the_own_documents_read_as_their_text() {
    for (name, text) in own_documents() {
        reads_as_its_text(&name, "docx", &docx_from_text(&text), &text);
    }
}

#[test]
fn pdf_versions_of_the_own_documents_read_as_their_text() {
    for (name, text) in own_documents() {
        // Twelve lines a page: every document but the shortest breaks across pages.
        let pdf = pdf_from_text(&text, PdfFont::Composite, 12);
        reads_as_its_text(&name, "pdf", &pdf, without_leading_blank_lines(&text));
    }
}

#[test]
fn a_pdf_in_a_standard_font_reads_as_its_text() {
    let text = read("../domain/tests/import", "board-2026-01-agenda.txt");
    let pdf = pdf_from_text(&text, PdfFont::Helvetica, 50);
    reads_as_its_text("board-2026-01-agenda.txt", "pdf, Helvetica", &pdf, &text);
}

/// A one-page PDF whose page draws `content` with the font objects given (objects 3...).
fn one_page(content: &str, fonts: &[&str], trailer: &str) -> Vec<u8> {
    let page = 3 + fonts.len();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!("<< /Type /Pages /Count 1 /Kids [{page} 0 R] >>"),
    ];
    objects.extend(fonts.iter().map(|f| f.to_string()));
    let font = if fonts.is_empty() {
        String::new()
    } else {
        "/Font << /F1 3 0 R >>".to_owned()
    };
    objects.push(format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << {font} >> /Contents {} 0 R >>",
        page + 1
    ));
    objects.push(stream(content));
    assemble(&objects, trailer)
}

#[test]
fn a_pdf_without_a_text_layer_is_refused_as_such() {
    // A scan: an image or drawing, no text.
    let scan = one_page("0.5 g 72 72 400 600 re f", &[], "");
    assert_eq!(document_text(&scan), Err(Unreadable::NoTextLayer));
    // Text drawn only with glyphs that have no Unicode (a font without any map) reads as
    // nothing too, never as a panic.
    let blank = one_page(
        "BT /F1 11 Tf 72 700 Td ( ) Tj ET",
        &["<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"],
        "",
    );
    assert_eq!(document_text(&blank), Err(Unreadable::NoTextLayer));
}

#[test]
fn an_encrypted_pdf_is_refused_as_such() {
    // The standard security handler with a user password: the empty password does not
    // open it.
    let encrypt = "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 \
        /O <0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF> \
        /U <FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210> >>";
    let text = one_page(
        "BT /F1 11 Tf 72 700 Td (Minutes) Tj ET",
        &[
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            encrypt,
        ],
        "/Encrypt 4 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] ",
    );
    assert_eq!(document_text(&text), Err(Unreadable::Encrypted));
}

#[test]
fn damaged_files_are_refused_without_a_panic() {
    let damaged = |bytes: &[u8], format| match document_text(bytes) {
        Err(Unreadable::Damaged(f, why)) => assert_eq!(f, format, "{why}"),
        other => panic!("{other:?}"),
    };
    // A PDF cut off half-way.
    let pdf = pdf_from_text("Minutes\n1. Opening\n- Noted.\n", PdfFont::Composite, 50);
    damaged(&pdf[..pdf.len() / 2], Format::Pdf);
    // A composite font without its descriptor: pdf-extract gives up with a panic, which
    // is caught.
    let no_descriptor = one_page(
        "BT /F1 11 Tf 72 700 Td <0001> Tj ET",
        &[
            "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [4 0 R] >>",
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        ],
        "",
    );
    damaged(&no_descriptor, Format::Pdf);
    // A Word document cut off, and one whose body is not XML.
    let docx = docx_from_text("Minutes\n1. Opening\n- Noted.\n");
    damaged(&docx[..docx.len() - 30], Format::Word);
    let broken = zip_of(&[("word/document.xml", "<w:document><w:body>".to_owned())]);
    damaged(&broken, Format::Word);
    // A zip that is no Word document; an old Word file.
    let odt = zip_of(&[("content.xml", "<office:document/>".to_owned())]);
    assert_eq!(document_text(&odt), Err(Unreadable::NotWord));
    let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    doc.extend([0u8; 512]);
    assert_eq!(document_text(&doc), Err(Unreadable::OldWord));
}

/// The real samples (`../shared/samples`, text only): their Word and PDF versions read as
/// the text does.
#[test]
#[ignore = "reads ../shared: run by .ci/run's shared-samples step"]
fn word_and_pdf_versions_of_the_samples_read_as_their_text() {
    for name in [
        "mag-2024-meeting-viii-summary.txt",
        "open-consultations-2024-agenda.txt",
    ] {
        let text = read("../../../shared/samples", name);
        reads_as_its_text(name, "docx", &docx_from_text(&text), &text);
        let pdf = pdf_from_text(&text, PdfFont::Composite, 45);
        reads_as_its_text(name, "pdf", &pdf, without_leading_blank_lines(&text));
    }
}

/// Word and PDF files damaged anywhere (a byte changed, the end cut off) are read or
/// refused, never a panic.
#[test]
fn damaged_anywhere_a_file_is_read_or_refused() {
    let text = read("../domain/tests/import", "pnai-2025-meeting-4-summary.txt");
    let files = [
        docx_from_text(&text),
        pdf_from_text(&text, PdfFont::Composite, 12),
        pdf_from_text(
            &read("../domain/tests/import", "board-2026-01-agenda.txt"),
            PdfFont::Helvetica,
            50,
        ),
    ];
    for file in &files {
        // A fixed spread of places (no randomness: a failure repeats).
        let step = (file.len() / 150).max(1);
        for at in (0..file.len()).step_by(step) {
            let mut changed = file.clone();
            changed[at] ^= 0x5a;
            let _ = document_text(&changed);
            let _ = document_text(&file[..at]);
        }
    }
}
