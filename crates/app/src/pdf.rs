//! A small PDF writer for the generated documents: pure Rust, text shaped with
//! rustybuzz (Arabic joins right to left), set in DejaVu Sans (Latin with diacritics,
//! Cyrillic, Arabic), embedded as a CID font with a ToUnicode map so that the text can
//! be copied and searched.
//!
//! One [`Writer`] serves every document: flowing text that breaks into pages (the
//! meeting summary, letters), and text and filled rectangles at fixed places (the
//! badge with its QR code).
//!
//! Only the glyphs a document uses are embedded (see [`subset`]): a badge weighs a few
//! tens of kilobytes, not the font's 750.

mod subset;

use crate::AppError;
use plenary_domain::summary::Summary;
use rustybuzz::{Direction, Face, UnicodeBuffer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write;

const FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// The font's PostScript name; a subset's is prefixed with a tag (`ABCDEF+DejaVuSans`).
const FONT_NAME: &str = "DejaVuSans";
/// The margin of flowing documents (2 cm).
const MARGIN: f32 = 56.0;

/// A page's size in points (1/72 inch), portrait.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSize {
    pub width: f32,
    pub height: f32,
}

impl PageSize {
    /// ISO A4: documents and letters.
    pub const A4: PageSize = PageSize {
        width: 595.0,
        height: 842.0,
    };
    /// ISO A6: a badge, the size of a standard badge holder.
    pub const A6: PageSize = PageSize {
        width: 298.0,
        height: 420.0,
    };
}

/// Whether a character belongs to a right-to-left script (Arabic and Hebrew blocks).
fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Splits a line into runs of one direction; neutral characters join the run before.
fn runs(line: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for c in line.chars() {
        let rtl = if c.is_alphabetic() {
            is_rtl(c)
        } else {
            out.last().is_some_and(|(r, _)| *r) && !c.is_whitespace()
        };
        match out.last_mut() {
            Some((r, text)) if *r == rtl || !c.is_alphabetic() => text.push(c),
            _ => out.push((rtl, c.to_string())),
        }
    }
    out
}

struct Glyph {
    id: u16,
    x_advance: i32,
    x_offset: i32,
    y_offset: i32,
}

struct Writer {
    face: Face<'static>,
    /// Glyph id → the text it stands for (ToUnicode) and its advance (W array).
    used: BTreeMap<u16, (String, i32)>,
    size: PageSize,
    margin: f32,
    pages: Vec<String>,
    page: String,
    /// The baseline of the last line set (flowing text starts below the top margin).
    y: f32,
    /// Whether to embed only the glyphs used (always but in tests comparing with the
    /// whole font).
    subset: bool,
}

impl Writer {
    fn new(size: PageSize, margin: f32) -> Self {
        Writer {
            face: Face::from_slice(FONT, 0).expect("the bundled font parses"),
            used: BTreeMap::new(),
            size,
            margin,
            pages: Vec::new(),
            page: String::new(),
            y: size.height - margin,
            subset: true,
        }
    }

    fn upem(&self) -> f32 {
        self.face.units_per_em() as f32
    }

    fn shape(&mut self, text: &str, rtl: bool) -> Vec<Glyph> {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
        let shaped = rustybuzz::shape(&self.face, &[], buffer);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (k, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let id = u16::try_from(info.glyph_id).unwrap_or(0);
            // The text of a glyph: its cluster up to the next cluster boundary.
            let start = info.cluster as usize;
            let end = infos
                .iter()
                .map(|i| i.cluster as usize)
                .filter(|c| *c > start)
                .min()
                .unwrap_or(text.len());
            let cluster = text.get(start..end).unwrap_or_default().to_owned();
            let first_of_cluster = k == 0 || infos[k - 1].cluster != info.cluster;
            let advance = self
                .face
                .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(id))
                .map_or(pos.x_advance, i32::from);
            self.used.entry(id).or_insert_with(|| {
                (
                    if first_of_cluster {
                        cluster
                    } else {
                        String::new()
                    },
                    advance,
                )
            });
            glyphs.push(Glyph {
                id,
                x_advance: pos.x_advance,
                x_offset: pos.x_offset,
                y_offset: pos.y_offset,
            });
        }
        glyphs
    }

    fn width(&mut self, text: &str, size: f32) -> f32 {
        let scale = size / self.upem();
        runs(text)
            .into_iter()
            .map(|(rtl, t)| {
                self.shape(&t, rtl)
                    .iter()
                    .map(|g| g.x_advance as f32 * scale)
                    .sum::<f32>()
            })
            .sum()
    }

    fn new_page(&mut self) {
        let page = std::mem::take(&mut self.page);
        self.pages.push(page);
        self.y = self.size.height - self.margin;
    }

    // ---------------------------------------------------------- at fixed places

    /// Sets one line with its baseline starting at (x, y), each glyph at its own
    /// position.
    fn text_at(&mut self, text: &str, size: f32, x: f32, y: f32) {
        let scale = size / self.upem();
        let mut x = x;
        let _ = writeln!(self.page, "BT /F1 {size:.1} Tf");
        for (rtl, run) in runs(text) {
            for g in self.shape(&run, rtl) {
                let gx = x + g.x_offset as f32 * scale;
                let gy = y + g.y_offset as f32 * scale;
                let _ = writeln!(self.page, "1 0 0 1 {gx:.2} {gy:.2} Tm <{:04X}> Tj", g.id);
                x += g.x_advance as f32 * scale;
            }
        }
        self.page.push_str("ET\n");
    }

    /// Sets one line centred on the page, its baseline at `y`.
    fn centred(&mut self, text: &str, size: f32, y: f32) {
        let x = (self.size.width - self.width(text, size)) / 2.0;
        self.text_at(text, size, x, y);
    }

    /// Fills rectangles (x, y, width, height), all in one path.
    fn fill(&mut self, rects: impl IntoIterator<Item = (f32, f32, f32, f32)>) {
        for (x, y, w, h) in rects {
            let _ = writeln!(self.page, "{x:.2} {y:.2} {w:.2} {h:.2} re");
        }
        self.page.push_str("f\n");
    }

    /// Draws a QR code as a square `side` points wide (its quiet zone included) whose
    /// lower left corner is at (x, y). The modules are drawn in their own grid (one
    /// unit a module, rows from the bottom): each row's run of dark modules is one
    /// rectangle.
    fn qr(&mut self, qr: &Qr, x: f32, y: f32, side: f32) {
        let n = qr.width;
        let module = side / (n + 2 * QUIET_ZONE) as f32;
        let origin = QUIET_ZONE as f32 * module;
        let _ = writeln!(
            self.page,
            "q {module:.4} 0 0 {module:.4} {:.2} {:.2} cm",
            x + origin,
            y + origin
        );
        let mut rects = Vec::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if !qr.dark(row, col) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && qr.dark(row, col) {
                    col += 1;
                }
                rects.push((
                    start as f32,
                    (n - 1 - row) as f32,
                    (col - start) as f32,
                    1.0,
                ));
            }
        }
        self.fill(rects);
        self.page.push_str("Q\n");
    }

    // ---------------------------------------------------------- flowing text

    /// Breaks text into lines no wider than `width`; a word wider than a line is split.
    fn wrap(&mut self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate, size) <= width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            if self.width(word, size) <= width {
                current = word.to_owned();
                continue;
            }
            for c in word.chars() {
                current.push(c);
                if current.chars().count() > 1 && self.width(&current, size) > width {
                    current.pop();
                    lines.push(std::mem::replace(&mut current, c.to_string()));
                }
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// Sets one line below the last, on a new page when this one is full.
    fn line(&mut self, text: &str, size: f32, indent: f32) {
        if self.y < self.margin + size {
            self.new_page();
        }
        self.y -= size * 1.35;
        self.text_at(text, size, self.margin + indent, self.y);
    }

    /// Wraps a paragraph to the page width.
    fn paragraph(&mut self, text: &str, size: f32, indent: f32) {
        let width = self.size.width - 2.0 * self.margin - indent;
        for line in self.wrap(text, size, width) {
            self.line(&line, size, indent);
        }
    }

    /// The text's lines at the first (size, most lines) of `fits` at which it fits the
    /// width between the margins; past the last, what does not fit is cut with an
    /// ellipsis.
    fn fit(&mut self, text: &str, fits: &[(f32, usize)]) -> Block {
        let width = self.size.width - 2.0 * self.margin;
        let mut chosen = (0.0, 0, Vec::new());
        for &(size, most) in fits {
            chosen = (size, most, self.wrap(text, size, width));
            if chosen.2.len() <= most {
                break;
            }
        }
        let (size, most, mut lines) = chosen;
        if lines.len() > most {
            lines.truncate(most);
            if let Some(last) = lines.last_mut() {
                loop {
                    let cut = format!("{}…", last.trim_end());
                    if last.is_empty() || self.width(&cut, size) <= width {
                        *last = cut;
                        break;
                    }
                    last.pop();
                }
            }
        }
        Block { size, lines }
    }

    /// Sets a block's lines centred, below the last.
    fn centred_block(&mut self, block: &Block) {
        for line in &block.lines {
            self.y -= block.size * LEADING;
            let y = self.y;
            self.centred(line, block.size, y);
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    fn finish(mut self) -> Vec<u8> {
        if !self.page.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let font = if self.subset {
            embedded_font(FONT, &self.used)
        } else {
            EmbeddedFont::whole(FONT)
        };
        assemble(&self.face, &font, &self.used, &self.pages, self.size)
    }
}

/// Lines of one size, ready to set.
struct Block {
    size: f32,
    lines: Vec<String>,
}

/// The distance between the baselines of a block's lines, in sizes.
const LEADING: f32 = 1.2;

impl Block {
    fn height(&self) -> f32 {
        self.lines.len() as f32 * self.size * LEADING
    }
}

/// The light modules around a QR code that scanners need (4 by the standard).
const QUIET_ZONE: usize = 4;

/// A QR code's modules.
struct Qr {
    /// Modules a side.
    width: usize,
    /// Row by row from the top: whether each module is dark.
    modules: Vec<bool>,
}

impl Qr {
    /// Encodes text with medium error correction (15 % of the code may be damaged).
    fn encode(text: &str) -> Result<Qr, AppError> {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| AppError::Internal(format!("no QR code for {text:?}: {e}")))?;
        Ok(Qr {
            width: code.width(),
            modules: code
                .into_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect(),
        })
    }

    fn dark(&self, row: usize, col: usize) -> bool {
        self.modules
            .get(row * self.width + col)
            .copied()
            .unwrap_or(false)
    }
}

/// The font program a document embeds, and the name it goes by.
struct EmbeddedFont<'a> {
    program: Cow<'a, [u8]>,
    name: String,
}

impl<'a> EmbeddedFont<'a> {
    fn whole(font: &'a [u8]) -> Self {
        EmbeddedFont {
            program: Cow::Borrowed(font),
            name: FONT_NAME.to_owned(),
        }
    }
}

/// The font with only the glyphs used (ids unchanged), named as a subset; the whole
/// font if it cannot be subset, a document larger but still right.
fn embedded_font<'a>(font: &'a [u8], used: &BTreeMap<u16, (String, i32)>) -> EmbeddedFont<'a> {
    match subset::subset(font, used.keys().copied()) {
        Ok(program) => EmbeddedFont {
            program: Cow::Owned(program),
            name: format!("{}+{FONT_NAME}", subset::tag(used.keys().copied())),
        },
        Err(e) => {
            tracing::warn!("embedding the whole font: {e}");
            EmbeddedFont::whole(font)
        }
    }
}

fn utf16_hex(text: &str) -> String {
    text.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

/// Writes the objects, the cross-reference table and the trailer.
fn assemble(
    face: &Face<'_>,
    font: &EmbeddedFont<'_>,
    used: &BTreeMap<u16, (String, i32)>,
    pages: &[String],
    size: PageSize,
) -> Vec<u8> {
    let upem = face.units_per_em() as f32;
    let em = |v: f32| (v * 1000.0 / upem).round() as i32;
    let bbox = face.global_bounding_box();
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let page_ids: Vec<usize> = (0..pages.len()).map(|k| 8 + 2 * k).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = page_ids.iter().map(|id| format!("{id} 0 R")).collect();
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    let name = &font.name;
    objects.push(format!("<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 7 0 R >>").into_bytes());
    let widths: String = used
        .iter()
        .map(|(id, (_, adv))| format!("{id} [{}] ", em(*adv as f32)))
        .collect();
    objects.push(
        format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /CIDToGIDMap /Identity /W [{widths}] >>"
        )
        .into_bytes(),
    );
    objects.push(
        format!(
            "<< /Type /FontDescriptor /FontName /{} /Flags 32 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 6 0 R >>",
            name,
            em(bbox.x_min.into()),
            em(bbox.y_min.into()),
            em(bbox.x_max.into()),
            em(bbox.y_max.into()),
            em(face.ascender().into()),
            em(face.descender().into()),
            em(face.capital_height().unwrap_or(face.ascender()).into())
        )
        .into_bytes(),
    );
    let program = &font.program;
    let mut font_file = format!(
        "<< /Length {} /Length1 {} >>\nstream\n",
        program.len(),
        program.len()
    )
    .into_bytes();
    font_file.extend_from_slice(program);
    font_file.extend_from_slice(b"\nendstream");
    objects.push(font_file);
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    let mapped: Vec<(&u16, &String)> = used
        .iter()
        .filter(|(_, (t, _))| !t.is_empty())
        .map(|(id, (t, _))| (id, t))
        .collect();
    for chunk in mapped.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (id, text) in chunk {
            let _ = writeln!(cmap, "<{id:04X}> <{}>", utf16_hex(text));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end");
    objects.push(format!("<< /Length {} >>\nstream\n{cmap}\nendstream", cmap.len()).into_bytes());
    for (k, content) in pages.iter().enumerate() {
        let content_id = page_ids[k] + 1;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>",
                size.width, size.height
            )
            .into_bytes(),
        );
        objects.push(
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            )
            .into_bytes(),
        );
    }
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", k + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

/// The summary of a meeting as a PDF document.
pub fn summary_pdf(s: &Summary) -> Vec<u8> {
    let mut w = Writer::new(PageSize::A4, MARGIN);
    w.paragraph(&s.title, 18.0, 0.0);
    w.paragraph(&s.when_line, 10.5, 0.0);
    for item in &s.items {
        w.gap(8.0);
        let heading = if item.number.is_empty() {
            item.title.clone()
        } else {
            format!("{}. {}", item.number, item.title)
        };
        w.paragraph(&heading, 13.0, 0.0);
        for line in item.notes.lines().map(str::trim).filter(|l| !l.is_empty()) {
            w.paragraph(
                &format!("• {}", line.trim_start_matches(['-', '•']).trim()),
                10.5,
                10.0,
            );
        }
        if !item.actions.is_empty() {
            w.paragraph("Actions", 11.5, 0.0);
            for a in &item.actions {
                let due = a
                    .due
                    .as_ref()
                    .map(|d| format!(", due {d}"))
                    .unwrap_or_default();
                w.paragraph(&format!("➔ {} — {}{due}", a.text, a.owner), 10.5, 10.0);
            }
        }
    }
    w.gap(10.0);
    w.paragraph("Annex 1: Meeting Agenda", 13.0, 0.0);
    if s.agenda
        .iter()
        .any(|(_, lines)| lines.iter().any(|l| !l.time.is_empty()))
    {
        w.paragraph(&format!("Times in {}.", s.times_in), 10.5, 0.0);
    }
    for (day, items) in &s.agenda {
        w.paragraph(day, 11.5, 0.0);
        for i in items {
            let line = if i.time.is_empty() {
                i.title.clone()
            } else {
                format!("{}  {}", i.time, i.title)
            };
            w.paragraph(&line, 10.5, if i.sub { 24.0 } else { 10.0 });
        }
    }
    w.gap(10.0);
    w.paragraph("Annex 2: List of Participants", 13.0, 0.0);
    for (group, people) in &s.participants {
        w.paragraph(group, 11.5, 0.0);
        for (family, given) in people {
            w.paragraph(&format!("{family}    {given}"), 10.5, 10.0);
        }
    }
    w.finish()
}

/// What a participant's badge shows.
#[derive(Debug, Clone, Default)]
pub struct Badge {
    pub event: String,
    /// The event's days in its own zone, labelled: `7 – 9 December 2026 (Europe/Zurich)`.
    pub dates: String,
    /// Given and family name as the participant writes them.
    pub name: String,
    pub organization: String,
    /// The category and the participation mode: `Delegates · Onsite`.
    pub category: String,
    pub code: String,
    /// What the QR code holds: the check-in page with the code filled in.
    pub check_in_url: String,
}

const BADGE_MARGIN: f32 = 18.0;
/// The side of the badge's QR code, its quiet zone included.
const BADGE_QR: f32 = 136.0;
const BADGE_CODE_SIZE: f32 = 12.0;

/// A badge on an A6 page (a standard badge holder; printed on A4, four fit a sheet):
/// the event and its dates, the name in large type (smaller and wrapped when long),
/// the organization, the category and mode, and at the foot the QR code of the
/// check-in link with the badge code under it.
pub fn badge_pdf(b: &Badge) -> Result<Vec<u8>, AppError> {
    Ok(badge_page(b)?.finish())
}

/// The badge set on its page, to be written out.
fn badge_page(b: &Badge) -> Result<Writer, AppError> {
    let qr = Qr::encode(&b.check_in_url)?;
    let page = PageSize::A6;
    let mut w = Writer::new(page, BADGE_MARGIN);
    let event = w.fit(&b.event, &[(14.0, 2), (12.0, 2), (10.5, 3)]);
    w.centred_block(&event);
    let dates = w.fit(&b.dates, &[(8.5, 2)]);
    w.centred_block(&dates);
    w.gap(8.0);
    let rule = (BADGE_MARGIN, w.y, page.width - 2.0 * BADGE_MARGIN, 0.75);
    w.fill([rule]);
    // The person, centred between the rule and the QR code.
    let person = [
        w.fit(&b.name, &[(26.0, 2), (22.0, 2), (18.0, 3), (15.0, 3)]),
        w.fit(&b.organization, &[(12.0, 2), (10.5, 2)]),
        w.fit(&b.category, &[(10.5, 1)]),
    ];
    const SPACING: f32 = 6.0;
    let height: f32 = person.iter().map(|p| p.height() + SPACING).sum();
    let qr_top = BADGE_MARGIN + BADGE_CODE_SIZE + BADGE_QR;
    w.gap(((w.y - qr_top - height) / 2.0).max(6.0));
    for block in &person {
        w.centred_block(block);
        w.gap(SPACING);
    }
    w.centred(&b.code, BADGE_CODE_SIZE, BADGE_MARGIN);
    let qr_x = (page.width - BADGE_QR) / 2.0;
    w.qr(&qr, qr_x, BADGE_MARGIN + BADGE_CODE_SIZE, BADGE_QR);
    Ok(w)
}

/// A letter on A4 pages: the heading lines (sender, date, addressee, subject; an empty
/// line leaves a gap), then the paragraphs of the body (a line break in a paragraph
/// starts a new line), wrapped and broken into pages.
pub fn letter_pdf(heading: &[impl AsRef<str>], paragraphs: &[impl AsRef<str>]) -> Vec<u8> {
    const SIZE: f32 = 11.0;
    let mut w = Writer::new(PageSize::A4, MARGIN);
    for line in heading {
        match line.as_ref().trim() {
            "" => w.gap(SIZE),
            text => w.paragraph(text, SIZE, 0.0),
        }
    }
    for paragraph in paragraphs {
        w.gap(SIZE);
        for line in paragraph.as_ref().lines() {
            w.paragraph(line, SIZE, 0.0);
        }
    }
    w.finish()
}

/// Reading back what the writer wrote, for tests of this and other crates: the page's
/// content stream, its filled rectangles painted into a picture (to read a QR code
/// from), its glyph positions, and its text as `pdftotext` (poppler-utils) extracts it.
#[cfg(any(test, feature = "testing"))]
pub mod testing {
    use super::PageSize;

    /// The content stream of the document's last page (the last stream of the file).
    pub fn content(pdf: &[u8]) -> String {
        let text = String::from_utf8_lossy(pdf);
        let start = text.rfind(">>\nstream\n").expect("a content stream") + ">>\nstream\n".len();
        let end = start + text[start..].find("\nendstream").expect("its end");
        text[start..end].to_owned()
    }

    fn numbers(line: &str) -> Vec<f32> {
        line.split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect()
    }

    /// A filled rectangle in page coordinates.
    #[derive(Debug, Clone, Copy)]
    pub struct Filled {
        pub x: f32,
        pub y: f32,
        pub width: f32,
        pub height: f32,
        /// Drawn in the QR code's grid (under its `cm`).
        pub qr: bool,
    }

    /// The filled rectangles of a content stream.
    pub fn rectangles(content: &str) -> Vec<Filled> {
        let mut grid: Option<(f32, f32, f32)> = None;
        let mut rects = Vec::new();
        for line in content.lines() {
            let n = numbers(line);
            if line.ends_with(" cm") {
                assert_eq!((n[0], n[1], n[2]), (n[3], 0.0, 0.0), "a uniform scale");
                grid = Some((n[0], n[4], n[5]));
            } else if line == "Q" {
                grid = None;
            } else if line.ends_with(" re") {
                let (a, e, f) = grid.unwrap_or((1.0, 0.0, 0.0));
                rects.push(Filled {
                    x: e + a * n[0],
                    y: f + a * n[1],
                    width: a * n[2],
                    height: a * n[3],
                    qr: grid.is_some(),
                });
            }
        }
        rects
    }

    /// A greyscale picture of a page, rows from the top.
    pub struct Picture {
        pub width: usize,
        pub height: usize,
        pixels: Vec<u8>,
    }

    impl Picture {
        /// 0 black, 255 white.
        pub fn luma(&self, x: usize, y: usize) -> u8 {
            self.pixels[y * self.width + x]
        }
    }

    /// Paints rectangles black on a white page, 2 pixels a point.
    pub fn paint(rects: &[Filled], page: PageSize) -> Picture {
        const SCALE: f32 = 2.0;
        let (w, h) = (
            (page.width * SCALE) as usize,
            (page.height * SCALE) as usize,
        );
        let mut pixels = vec![255u8; w * h];
        let px = |v: f32| (v * SCALE).round().max(0.0) as usize;
        for r in rects {
            // Page coordinates run upwards, the picture's rows downwards.
            for row in px(page.height - r.y - r.height)..px(page.height - r.y).min(h) {
                for col in px(r.x)..px(r.x + r.width).min(w) {
                    pixels[row * w + col] = 0;
                }
            }
        }
        Picture {
            width: w,
            height: h,
            pixels,
        }
    }

    /// The text of the one QR code drawn on a page of this size.
    #[cfg(feature = "testing")]
    pub fn read_qr(pdf: &[u8], page: PageSize) -> String {
        let picture = paint(&rectangles(&content(pdf)), page);
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(picture.width, picture.height, |x, y| {
                picture.luma(x, y)
            });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code on the page");
        grids[0].decode().expect("the QR code decodes").1
    }

    /// Glyph origins (x, y) of a content stream.
    pub fn glyphs(content: &str) -> Vec<(f32, f32)> {
        content
            .lines()
            .filter(|l| l.ends_with(" Tj"))
            .map(|l| {
                let n = numbers(l);
                (n[4], n[5])
            })
            .collect()
    }

    /// The document's text as `pdftotext` extracts it (CI installs poppler-utils; the
    /// tests fail, not skip, without it).
    pub fn pdftotext(pdf: &[u8]) -> String {
        use std::io::Write as _;
        use std::process::{Command, Stdio};
        let mut child = Command::new("pdftotext")
            .args(["-", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("pdftotext (poppler-utils) is needed for this test");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(pdf)
            .expect("the PDF is written to pdftotext");
        let out = child.wait_with_output().expect("pdftotext runs");
        assert!(out.status.success(), "pdftotext failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{content, glyphs, pdftotext, read_qr, rectangles};
    use super::*;

    #[test]
    fn directions_split_into_runs() {
        let r = runs("Haddad نادية (MAG)");
        assert_eq!(
            r.iter().map(|(rtl, _)| *rtl).collect::<Vec<_>>(),
            [false, true, false]
        );
    }

    #[test]
    fn a_pdf_has_its_objects_and_trailer() {
        let pdf = summary_pdf(&Summary {
            title: "Title".into(),
            ..Default::default()
        });
        assert!(pdf.starts_with(b"%PDF-1.7"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        assert!(String::from_utf8_lossy(&pdf).contains("/MediaBox [0 0 595 842]"));
    }

    const URL: &str = "https://forum.example.org/check-in?code=ABCDE23456";

    fn badge(name: &str) -> Badge {
        Badge {
            event: "Open Internet Forum 2026".into(),
            dates: "7 – 9 December 2026 (Europe/Zurich)".into(),
            name: name.into(),
            organization: "Internet Society".into(),
            category: "Delegates · Onsite".into(),
            code: "ABCDE23456".into(),
            check_in_url: URL.into(),
        }
    }

    #[test]
    fn a_badge_qr_code_holds_the_check_in_link_with_a_quiet_zone() {
        let pdf = badge_pdf(&badge("Ana María Núñez")).expect("badge");
        assert!(String::from_utf8_lossy(&pdf).contains("/MediaBox [0 0 298 420]"));
        assert_eq!(read_qr(&pdf, PageSize::A6), URL);

        // Nothing else within four modules of the code: no rectangle, no glyph.
        let content = content(&pdf);
        let rects = rectangles(&content);
        let modules: Vec<_> = rects.iter().filter(|r| r.qr).collect();
        let module = modules.iter().map(|r| r.height).fold(f32::MAX, f32::min);
        let left = modules.iter().map(|r| r.x).fold(f32::MAX, f32::min) - 4.0 * module;
        let right = modules.iter().map(|r| r.x + r.width).fold(0.0, f32::max) + 4.0 * module;
        let bottom = modules.iter().map(|r| r.y).fold(f32::MAX, f32::min) - 4.0 * module;
        let top = modules.iter().map(|r| r.y + r.height).fold(0.0, f32::max) + 4.0 * module;
        assert!(module > 2.5, "modules large enough to scan: {module}");
        assert!(left >= 0.0 && right <= PageSize::A6.width && bottom >= 0.0);
        let inside = |x: f32, y: f32| (left..right).contains(&x) && (bottom..top).contains(&y);
        for r in &rects {
            assert!(
                r.qr || !(inside(r.x, r.y) || inside(r.x + r.width, r.y + r.height)),
                "rectangle in the quiet zone"
            );
        }
        // The code's own line sits under the zone, its capitals lower than its edge.
        for (x, y) in glyphs(&content) {
            assert!(!inside(x, y + 9.0), "text at ({x}, {y}) in the quiet zone");
        }
    }

    #[test]
    fn a_badge_has_the_name_and_code_as_text_in_any_script() {
        for (k, name) in ["Ana María Núñez", "Иван Петров", "نادية الحداد"]
            .into_iter()
            .enumerate()
        {
            let pdf = badge_pdf(&badge(name)).expect("badge");
            if std::env::var("KEEP_PDF").is_ok() {
                let path = std::env::temp_dir().join(format!("plenary-badge-{k}.pdf"));
                std::fs::write(path, &pdf).expect("write the badge");
            }
            let text = pdftotext(&pdf);
            for expected in [
                "Open Internet Forum 2026",
                "7 – 9 December 2026 (Europe/Zurich)",
                "Internet Society",
                "Delegates · Onsite",
                "ABCDE23456",
            ] {
                assert!(text.contains(expected), "{expected:?} missing from: {text}");
            }
            let reversed: String = name.chars().rev().collect();
            let words_reversed: String = name.split(' ').rev().collect::<Vec<_>>().join(" ");
            assert!(
                [name, &reversed, &words_reversed]
                    .iter()
                    .any(|n| text.contains(*n)),
                "{name:?} missing from: {text}"
            );
        }
    }

    #[test]
    fn a_long_name_is_smaller_and_wrapped_and_stays_on_the_badge() {
        let long = "Maximiliana Alexandra Wilhelmina Konstantinopoulou-Vasilakopoulou de la Torre";
        let endless = "W".repeat(300);
        for name in [long, endless.as_str()] {
            let content = content(&badge_pdf(&badge(name)).expect("badge"));
            let width = PageSize::A6.width;
            for (x, y) in glyphs(&content) {
                assert!(
                    (BADGE_MARGIN - 1.0..width - BADGE_MARGIN).contains(&x),
                    "glyph at x = {x} outside the margins"
                );
                assert!(
                    y < PageSize::A6.height - BADGE_MARGIN,
                    "glyph above the top margin"
                );
            }
            // The name is set smaller than a short one, and above the QR code.
            assert!(
                !content.contains("/F1 26.0 Tf"),
                "{name}: not at the largest size"
            );
            let qr_top = BADGE_MARGIN + BADGE_CODE_SIZE + BADGE_QR;
            let lowest_text = glyphs(&content)
                .into_iter()
                .map(|(_, y)| y)
                .filter(|y| *y > BADGE_MARGIN)
                .fold(f32::MAX, f32::min);
            assert!(
                lowest_text > qr_top,
                "text at {lowest_text} over the QR code"
            );
        }
        let text = pdftotext(&badge_pdf(&badge(long)).expect("badge"));
        assert!(text.contains("Konstantinopoulou"), "{text}");
        let cut = content(&badge_pdf(&badge(&endless)).expect("badge"));
        assert!(cut.contains("/F1 15.0 Tf"), "the smallest size");
        let short = content(&badge_pdf(&badge("Ana Núñez")).expect("badge"));
        assert!(
            short.contains("/F1 26.0 Tf"),
            "a short name at the largest size"
        );
    }

    #[test]
    fn a_badge_refuses_a_link_too_long_for_a_qr_code() {
        let mut b = badge("Ana");
        b.check_in_url = format!("https://forum.example.org/{}", "x".repeat(3000));
        assert!(matches!(badge_pdf(&b), Err(AppError::Internal(_))));
    }

    #[test]
    fn a_letter_has_its_heading_and_paragraphs_over_several_pages() {
        let heading = [
            "Secretariat of the Forum",
            "Geneva, 1 October 2026",
            "",
            "To whom it may concern",
        ];
        let mut paragraphs: Vec<String> = (1..=30)
            .map(|n| format!("Paragraph {n}: this letter confirms that the participant is registered for the annual meeting of the forum and invited to attend it in person."))
            .collect();
        paragraphs.push("Yours faithfully,\nThe Secretariat".into());
        let pdf = letter_pdf(&heading, &paragraphs);
        assert!(
            String::from_utf8_lossy(&pdf).contains("/Count 2"),
            "two pages"
        );
        let text = pdftotext(&pdf);
        for expected in [
            "Geneva, 1 October 2026",
            "To whom it may concern",
            "Paragraph 30:",
            "Yours faithfully,\nThe Secretariat",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from: {text}");
        }
    }

    /// The embedded font program (the FontFile2 stream) of a document.
    fn font_program(pdf: &[u8]) -> &[u8] {
        let find = |from: usize, what: &[u8]| {
            from + pdf[from..]
                .windows(what.len())
                .position(|w| w == what)
                .expect("in the PDF")
        };
        let at = find(0, b"/Length1 ") + b"/Length1 ".len();
        let digits = pdf[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        let length: usize = std::str::from_utf8(&pdf[at..at + digits])
            .expect("ASCII")
            .parse()
            .expect("a length");
        let start = find(at, b"stream\n") + b"stream\n".len();
        &pdf[start..start + length]
    }

    /// The glyph ids a content stream shows.
    fn shown(content: &str) -> Vec<u16> {
        content
            .lines()
            .filter_map(|l| l.strip_suffix("> Tj"))
            .filter_map(|l| l.rsplit_once('<'))
            .map(|(_, hex)| u16::from_str_radix(hex, 16).expect("a glyph id"))
            .collect()
    }

    /// Runs a poppler-utils tool on a PDF given on its standard input: its output and
    /// what it wrote on standard error.
    fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> (Vec<u8>, String) {
        use std::io::Write as _;
        use std::process::{Command, Stdio};
        let mut child = Command::new(tool)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is needed for this test: {e}"));
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(pdf)
            .expect("the PDF is written");
        let out = child.wait_with_output().expect("the tool runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{tool} failed: {stderr}");
        (out.stdout, stderr)
    }

    fn summary_in_three_scripts() -> Summary {
        use plenary_domain::summary::{SummaryAction, SummaryItem};
        Summary {
            title: "Open Internet Forum 2024 MAG Meeting VIII".into(),
            when_line: "26 June 2024 | 10:00 CEST (UTC+02:00) | Hybrid".into(),
            items: vec![SummaryItem {
                number: "1".into(),
                title: "Updates from the Secretariat".into(),
                notes: "- Travel support: Guðrún Jónsdóttir\n- Встреча в Женеве".into(),
                actions: vec![SummaryAction {
                    text: "Reach out to members about travel support".into(),
                    owner: "نادية الحداد".into(),
                    due: Some("1 July 2024".into()),
                    status: "open".into(),
                }],
            }],
            agenda: vec![(
                "Day 1".into(),
                vec![plenary_domain::summary::AgendaLine {
                    time: "10:00–10:30".into(),
                    title: "1. Opening".into(),
                    sub: false,
                }],
            )],
            times_in: "CEST (UTC+02:00)".into(),
            participants: vec![(
                "Members".into(),
                vec![
                    ("Jónsdóttir".into(), "Guðrún".into()),
                    ("Петров".into(), "Иван".into()),
                    ("الحداد".into(), "نادية".into()),
                ],
            )],
        }
    }

    /// A visa invitation letter like those of `visa.rs`, one page.
    fn visa_letter() -> Vec<u8> {
        let heading = [
            "Open Internet Forum 2026 — Secretariat",
            "",
            "1 October 2026",
            "Reference: VISA-2026-0001",
            "",
            "To: Embassy of Switzerland, Genève",
            "",
            "Subject: Invitation — Open Internet Forum 2026",
        ];
        let paragraphs = [
            "Dear Sir or Madam,",
            "The Secretariat of Open Internet Forum 2026 hereby confirms that Иван Петров \
             (نادية الحداد), national of Egypt, born on 3 March 1990, holder of passport number \
             A12345678 issued on 1 January 2020 by Ministry of Interior and valid until \
             1 January 2030, is registered to take part in Open Internet Forum 2026, to be \
             held from 7 to 9 December 2026, at Palais des Nations.",
            "The participant intends to arrive on 6 December 2026 and to leave on 10 December \
             2026. We kindly ask you to grant the visa needed for this stay.",
            "This letter is issued solely to support the visa application. It does not commit \
             the organisers to any cost of travel, accommodation or subsistence.",
            "Yours faithfully,\nThe Secretariat",
        ];
        letter_pdf(&heading, &paragraphs)
    }

    #[test]
    fn documents_embed_only_the_glyphs_they_use() {
        let badges: Vec<Vec<u8>> = ["Ana María Núñez", "Иван Петров", "نادية الحداد"]
            .into_iter()
            .map(|name| badge_pdf(&badge(name)).expect("badge"))
            .collect();
        let summary = summary_pdf(&summary_in_three_scripts());
        let letter = visa_letter();
        for pdf in badges.iter().chain([&summary, &letter]) {
            assert!(pdf.len() < 100_000, "{} bytes", pdf.len());
            let text = String::from_utf8_lossy(pdf);
            let tag = text
                .split("/BaseFont /")
                .nth(1)
                .and_then(|rest| rest.split_once("+DejaVuSans "))
                .expect("a subset's name")
                .0;
            assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()));
            // Every glyph shown has its outline in the embedded font, as in the font.
            let original = rustybuzz::ttf_parser::Face::parse(FONT, 0).expect("font");
            let embedded =
                rustybuzz::ttf_parser::Face::parse(font_program(pdf), 0).expect("the subset");
            assert_eq!(embedded.number_of_glyphs(), original.number_of_glyphs());
            let ids = shown(&content(pdf));
            assert!(!ids.is_empty());
            for id in ids {
                let g = rustybuzz::ttf_parser::GlyphId(id);
                assert_eq!(
                    embedded.glyph_bounding_box(g),
                    original.glyph_bounding_box(g),
                    "glyph {id}"
                );
            }
        }
        let text = pdftotext(&summary);
        for expected in [
            "Open Internet Forum 2024 MAG Meeting VIII",
            "Jónsdóttir",
            "Guðrún",
            "Встреча в Женеве",
            "Иван",
            "Reach out to members about travel support",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from: {text}");
        }
        let arabic = "نادية";
        let reversed: String = arabic.chars().rev().collect();
        assert!(text.contains(arabic) || text.contains(&reversed), "{text}");
        let text = pdftotext(&letter);
        assert!(
            text.contains("Genève") && text.contains("Иван Петров"),
            "{text}"
        );
        // Sizes, for the record: cargo test -p plenary-app --lib pdf -- --nocapture
        eprintln!(
            "badges {:?}, summary {}, letter {} bytes",
            badges.iter().map(Vec::len).collect::<Vec<_>>(),
            summary.len(),
            letter.len()
        );
    }

    #[test]
    fn poppler_renders_a_subset_badge_as_with_the_whole_font() {
        for name in ["Ana María Núñez", "Иван Петров", "نادية الحداد"] {
            let small = badge_page(&badge(name)).expect("badge").finish();
            let mut whole = badge_page(&badge(name)).expect("badge");
            whole.subset = false;
            let whole = whole.finish();
            assert!(whole.len() > FONT.len() && small.len() < 100_000);

            let (fonts, stderr) = poppler("pdffonts", &["-"], &small);
            assert_eq!(stderr, "", "pdffonts complains");
            let fonts = String::from_utf8_lossy(&fonts);
            assert!(fonts.contains("+DejaVuSans"), "{fonts}");
            assert!(
                fonts.contains("CID TrueType      Identity-H       yes yes yes"),
                "embedded, a subset, with a ToUnicode map: {fonts}"
            );

            let render = |pdf: &[u8]| {
                let (pgm, stderr) = poppler("pdftoppm", &["-gray", "-r", "100", "-"], pdf);
                assert_eq!(stderr, "", "poppler complains about {name:?}");
                pgm
            };
            let picture = render(&small);
            assert!(picture.starts_with(b"P5\n"), "a greyscale picture");
            assert!(
                picture == render(&whole),
                "{name:?} renders differently with the subset"
            );
            // And something is drawn above the QR code: the text.
            let header = String::from_utf8_lossy(&picture[..20]);
            let size: Vec<usize> = header
                .split_whitespace()
                .skip(1)
                .take(2)
                .map(|n| n.parse().expect("a PGM header"))
                .collect();
            let (width, height) = (size[0], size[1]);
            let pixels = &picture[picture.len() - width * height..];
            // The upper 40 %: the event, the name, the organization (no QR code).
            let upper = &pixels[..width * (height * 2 / 5)];
            let dark = upper.iter().filter(|p| **p < 128).count();
            assert!(dark > 1000, "{dark} dark pixels in the badge's upper part");
        }
    }

    #[test]
    fn a_font_that_cannot_be_subset_is_embedded_whole() {
        let mut w = Writer::new(PageSize::A6, BADGE_MARGIN);
        w.centred("Ana María Núñez", 12.0, 200.0);
        let used = w.used.clone();
        let subset = embedded_font(FONT, &used);
        assert!(matches!(subset.program, Cow::Owned(_)));
        assert!(subset.name.ends_with("+DejaVuSans") && subset.name.len() == 17);
        assert!(subset.program.len() < 50_000);

        let broken = &FONT[..FONT.len() / 2];
        let whole = embedded_font(broken, &used);
        assert!(matches!(whole.program, Cow::Borrowed(b) if b == broken));
        assert_eq!(whole.name, "DejaVuSans");

        // The document with the whole font embedded is still right, only large.
        w.subset = false;
        let pdf = w.finish();
        assert!(pdf.len() > FONT.len());
        assert!(String::from_utf8_lossy(&pdf).contains("/BaseFont /DejaVuSans "));
        assert_eq!(font_program(&pdf), FONT);
        assert!(pdftotext(&pdf).contains("Ana María Núñez"));
    }
}
