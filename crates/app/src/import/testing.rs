//! Word and PDF versions of a text document, made as a word processor makes them, for
//! tests of this and other crates: the importer must read them as it reads the text.
//!
//! The Word version has real lists (numbered items with their numbers restarted where
//! the text says, bullets by marker, nested bullets one level down), tables for tabbed
//! lines (a participant annex), paragraphs split into runs of different formatting, and
//! deleted and hidden text that must not be read. The PDF version draws every line at
//! its place with a compressed content stream: a composite font with a ToUnicode map
//! (as Word and LibreOffice export), or the standard Helvetica with WinAnsi encoding;
//! tabbed lines become columns, indented lines are drawn indented, blank lines are
//! empty space, pages are numbered at their foot.

use std::fmt::Write as _;
use std::io::Write as _;

/// The bullet markers the Word version turns into list paragraphs.
const MARKERS: [char; 6] = ['-', '•', '●', 'o', '➔', '→'];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `(indent, marker, text)` of a bullet line.
fn bullet(line: &str) -> Option<(usize, char, &str)> {
    let text = line.trim_start();
    let indent = line.len() - text.len();
    let marker = text.chars().next().filter(|c| MARKERS.contains(c))?;
    let rest = &text[marker.len_utf8()..];
    rest.starts_with([' ', '\t'])
        .then(|| (indent, marker, rest.trim_start()))
}

/// `(number, closing, text)` of a numbered line at the margin: `3. Title`, `3) Title`.
fn numbered(line: &str) -> Option<(u32, char, &str)> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let number = line.get(..digits)?.parse().ok()?;
    let rest = &line[digits..];
    let closing = rest.chars().next().filter(|c| matches!(c, '.' | ')'))?;
    let text = rest[1..].strip_prefix(' ')?;
    Some((number, closing, text))
}

/// Runs: the text split in two (the second half bold), with deleted and hidden text
/// around that a reader must leave out.
fn runs(text: &str) -> String {
    let t = |s: &str| format!("<w:t xml:space=\"preserve\">{}</w:t>", escape(s));
    let split = text
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| i)
        .nth(2)
        .unwrap_or(text.len());
    let (a, b) = text.split_at(split);
    let mut out = format!("<w:r>{}</w:r>", t(a));
    out.push_str(
        "<w:del w:id=\"1\" w:author=\"x\"><w:r><w:delText>DELETED</w:delText></w:r></w:del>",
    );
    out.push_str("<w:r><w:rPr><w:vanish/></w:rPr><w:t>HIDDEN</w:t></w:r>");
    if !b.is_empty() {
        let _ = write!(out, "<w:r><w:rPr><w:b/></w:rPr>{}</w:r>", t(b));
    }
    out
}

fn list_paragraph(num_id: usize, level: usize, text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"{level}\"/>\
         <w:numId w:val=\"{num_id}\"/></w:numPr></w:pPr>{}</w:p>",
        runs(text)
    )
}

/// A `.docx` of the text.
pub fn docx_from_text(text: &str) -> Vec<u8> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let mut body = String::new();
    // Instances: 1–6 the bullets by marker; from 10 one per numbered line, restarting
    // the decimal list at the line's own number.
    let mut instances = String::new();
    for (k, _) in MARKERS.iter().enumerate() {
        let _ = write!(
            instances,
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{k}\"/></w:num>",
            k + 1
        );
    }
    let mut next_instance = 10;
    let mut table_open = false;
    for line in text.split('\n') {
        if line.contains('\t') {
            if !table_open {
                body.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
                table_open = true;
            }
            body.push_str("<w:tr>");
            for cell in line.split('\t') {
                let _ = write!(body, "<w:tc><w:p>{}</w:p></w:tc>", runs(cell));
            }
            body.push_str("</w:tr>");
            continue;
        }
        if std::mem::take(&mut table_open) {
            body.push_str("</w:tbl>");
        }
        if let Some((indent, marker, rest)) = bullet(line) {
            let index = MARKERS.iter().position(|m| *m == marker).unwrap_or(0);
            body.push_str(&list_paragraph(index + 1, usize::from(indent > 0), rest));
        } else if let Some((number, closing, rest)) = numbered(line) {
            let abstract_id = if closing == '.' { 10 } else { 11 };
            let _ = write!(
                instances,
                "<w:num w:numId=\"{next_instance}\"><w:abstractNumId w:val=\"{abstract_id}\"/>\
                 <w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{number}\"/></w:lvlOverride></w:num>"
            );
            body.push_str(&list_paragraph(next_instance, 0, rest));
            next_instance += 1;
        } else if line.is_empty() {
            body.push_str("<w:p/>");
        } else {
            let _ = write!(body, "<w:p>{}</w:p>", runs(line));
        }
    }
    if table_open {
        body.push_str("</w:tbl>");
    }
    let mut abstracts = String::new();
    for (k, marker) in MARKERS.iter().enumerate() {
        // Word writes its round bullet in the Symbol font's private-use range.
        let shown = if *marker == '•' {
            '\u{F0B7}'
        } else {
            *marker
        };
        let _ = write!(
            abstracts,
            "<w:abstractNum w:abstractNumId=\"{k}\">\
             <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"{shown}\"/></w:lvl>\
             <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"{shown}\"/></w:lvl>\
             </w:abstractNum>"
        );
    }
    for (id, text) in [(10, "%1."), (11, "%1)")] {
        let _ = write!(
            abstracts,
            "<w:abstractNum w:abstractNumId=\"{id}\">\
             <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"{text}\"/></w:lvl>\
             <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"%2.\"/></w:lvl>\
             </w:abstractNum>"
        );
    }
    const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS}><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"
    );
    let numbering = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering {NS}>{abstracts}{instances}</w:numbering>"
    );
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
             <Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
             </Types>"
                .to_owned(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
             </Relationships>"
                .to_owned(),
        ),
        ("word/document.xml", document),
        ("word/numbering.xml", numbering),
    ];
    zip_of(&parts)
}

/// A zip archive of the parts, deflated as Word writes them.
pub fn zip_of(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(*name, options).expect("a zip entry");
        zip.write_all(content.as_bytes()).expect("its content");
    }
    zip.finish().expect("the zip archive").into_inner()
}

/// The font a PDF version is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfFont {
    /// A composite font (Identity-H) whose ToUnicode map gives every character.
    Composite,
    /// The standard Helvetica, WinAnsi encoding: text in Latin-1 and Windows quotes only.
    Helvetica,
}

const SIZE: f64 = 11.0;
const LEADING: f64 = 14.0;
const MARGIN: f64 = 72.0;
const PAGE_HEIGHT: f64 = 842.0;
/// The composite font's glyphs are half an em wide.
const GLYPH: f64 = SIZE * 0.5;
/// Columns of a tabbed line start at these steps from the margin.
const COLUMN: f64 = 220.0;

/// WinAnsi for the few characters above ASCII the test documents use.
fn win_ansi(c: char) -> u8 {
    match c {
        '–' => 0x96,
        '—' => 0x97,
        '’' => 0x92,
        '‘' => 0x91,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        c if (c as u32) < 0x100 => c as u8,
        other => panic!("{other:?} has no WinAnsi code"),
    }
}

/// A PDF of the text, `lines_per_page` lines a page at most (a page breaks only
/// between two lines of text, so that no blank line is lost at a page break).
pub fn pdf_from_text(text: &str, font: PdfFont, lines_per_page: usize) -> Vec<u8> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let mut glyphs: Vec<char> = Vec::new();
    let mut code = |c: char| -> String {
        match font {
            PdfFont::Helvetica => format!("{:02X}", win_ansi(c)),
            PdfFont::Composite => {
                let cid = match glyphs.iter().position(|g| *g == c) {
                    Some(k) => k + 1,
                    None => {
                        glyphs.push(c);
                        glyphs.len()
                    }
                };
                format!("{cid:04X}")
            }
        }
    };
    let mut pages: Vec<String> = vec![String::new()];
    let mut y = PAGE_HEIGHT - MARGIN;
    let mut on_page = 0;
    let mut previous_blank = true;
    for line in text.split('\n') {
        let blank = line.trim().is_empty();
        if on_page >= lines_per_page && !blank && !previous_blank {
            pages.push(String::new());
            y = PAGE_HEIGHT - MARGIN;
            on_page = 0;
        }
        previous_blank = blank;
        on_page += 1;
        let indent = line.len() - line.trim_start().len();
        let mut x = MARGIN + indent as f64 * GLYPH;
        let page = pages.last_mut().expect("a page");
        for (column, cell) in line.trim_start().split('\t').enumerate() {
            if column > 0 {
                x = (MARGIN + COLUMN * column as f64).max(x + 2.0 * SIZE);
            }
            if cell.is_empty() {
                continue;
            }
            // Words in a TJ array with a little kerning between them, as typesetters do.
            let words: Vec<String> = cell
                .split(' ')
                .map(|w| w.chars().map(&mut code).collect::<String>())
                .collect();
            let space = code(' ');
            let shown = words.join(&format!("{space}> -8 <"));
            let _ = writeln!(
                page,
                "BT /F1 {SIZE} Tf 1 0 0 1 {x:.2} {y:.2} Tm [<{shown}>] TJ ET"
            );
            x += cell.chars().count() as f64 * GLYPH;
        }
        y -= LEADING;
    }
    let count = pages.len();
    for (k, page) in pages.iter_mut().enumerate() {
        let number: String = format!("Page {} of {count}", k + 1)
            .chars()
            .map(&mut code)
            .collect();
        let _ = writeln!(page, "BT /F1 9 Tf 1 0 0 1 280 40 Tm <{number}> Tj ET");
    }
    let font_objects = match font {
        PdfFont::Helvetica => vec![
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_owned(),
        ],
        PdfFont::Composite => {
            let mut cmap = String::from(
                "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
                 /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n\
                 1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
            );
            for chunk in glyphs.chunks(100).enumerate() {
                let (start, chunk) = chunk;
                let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
                for (k, c) in chunk.iter().enumerate() {
                    let utf16: String = c
                        .encode_utf16(&mut [0; 2])
                        .iter()
                        .map(|u| format!("{u:04X}"))
                        .collect();
                    let _ = writeln!(cmap, "<{:04X}> <{utf16}>", start * 100 + k + 1);
                }
                cmap.push_str("endbfchar\n");
            }
            cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end\n");
            vec![
                "<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H \
                 /DescendantFonts [FONT2 0 R] /ToUnicode FONT3 0 R >>"
                    .to_owned(),
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor FONT4 0 R /DW 500 /CIDToGIDMap /Identity >>"
                    .to_owned(),
                stream(&cmap),
                "<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 \
                 /FontBBox [-1021 -463 1793 1232] /ItalicAngle 0 /Ascent 928 /Descent -236 \
                 /CapHeight 729 /StemV 80 >>"
                    .to_owned(),
            ]
        }
    };
    // Objects: 1 catalog, 2 pages, 3.. fonts, then a page and its content per page.
    let first_font = 3;
    let first_page = first_font + font_objects.len();
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Count {count} /Kids [{}] >>",
            (0..count)
                .map(|k| format!("{} 0 R", first_page + 2 * k))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ];
    for object in font_objects {
        objects.push(
            object
                .replace("FONT2", &(first_font + 1).to_string())
                .replace("FONT3", &(first_font + 2).to_string())
                .replace("FONT4", &(first_font + 3).to_string()),
        );
    }
    for (k, page) in pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 {PAGE_HEIGHT}] \
             /Resources << /Font << /F1 {first_font} 0 R >> >> /Contents {} 0 R >>",
            first_page + 2 * k + 1
        ));
        objects.push(stream(page));
    }
    assemble(&objects, "")
}

/// A stream object, compressed as PDF writers do.
pub fn stream(content: &str) -> String {
    let mut deflate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    deflate.write_all(content.as_bytes()).expect("deflated");
    let data = deflate.finish().expect("deflated");
    // Binary data in a String: every byte as the char of that code, written back
    // byte for byte by `assemble`.
    let data: String = data.iter().map(|b| char::from(*b)).collect();
    format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n{data}\nendstream",
        data.chars().count()
    )
}

/// The objects as a PDF file with its cross-reference table, `trailer` added to the
/// trailer's entries (chars above U+00FF never occur: text is hex, streams are bytes as
/// chars).
pub fn assemble(objects: &[String], trailer: &str) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (k, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", k + 1).bytes());
        out.extend(object.chars().map(|c| u8::try_from(c).expect("a byte")));
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R {trailer}>>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend(table.bytes());
    out
}
