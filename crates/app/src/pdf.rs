//! A small PDF writer for the generated documents: pure Rust, text shaped with
//! rustybuzz (Arabic joins right to left), set in DejaVu Sans (Latin with diacritics,
//! Cyrillic, Arabic), embedded as a CID font with a ToUnicode map so that the text can
//! be copied and searched.

use plenary_domain::summary::Summary;
use rustybuzz::{Direction, Face, UnicodeBuffer};
use std::collections::BTreeMap;
use std::fmt::Write;

const FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;

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

struct Writer<'f> {
    face: Face<'f>,
    /// Glyph id → the text it stands for (ToUnicode) and its advance (W array).
    used: BTreeMap<u16, (String, i32)>,
    pages: Vec<String>,
    page: String,
    y: f32,
}

impl<'f> Writer<'f> {
    fn new(face: Face<'f>) -> Self {
        Writer {
            face,
            used: BTreeMap::new(),
            pages: Vec::new(),
            page: String::new(),
            y: PAGE_HEIGHT - MARGIN,
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
        self.y = PAGE_HEIGHT - MARGIN;
    }

    /// Sets one line at the current height, each glyph at its own position.
    fn line(&mut self, text: &str, size: f32, indent: f32) {
        if self.y < MARGIN + size {
            self.new_page();
        }
        self.y -= size * 1.35;
        let scale = size / self.upem();
        let mut x = MARGIN + indent;
        let _ = writeln!(self.page, "BT /F1 {size:.1} Tf");
        for (rtl, run) in runs(text) {
            for g in self.shape(&run, rtl) {
                let gx = x + g.x_offset as f32 * scale;
                let gy = self.y + g.y_offset as f32 * scale;
                let _ = writeln!(self.page, "1 0 0 1 {gx:.2} {gy:.2} Tm <{:04X}> Tj", g.id);
                x += g.x_advance as f32 * scale;
            }
        }
        self.page.push_str("ET\n");
    }

    /// Wraps a paragraph to the page width.
    fn paragraph(&mut self, text: &str, size: f32, indent: f32) {
        let width = PAGE_WIDTH - 2.0 * MARGIN - indent;
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if !current.is_empty() && self.width(&candidate, size) > width {
                self.line(&current, size, indent);
                current = word.to_owned();
            } else {
                current = candidate;
            }
        }
        if !current.is_empty() {
            self.line(&current, size, indent);
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    fn finish(mut self) -> Vec<u8> {
        if !self.page.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        assemble(&self.face, &self.used, &self.pages)
    }
}

fn utf16_hex(text: &str) -> String {
    text.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

/// Writes the objects, the cross-reference table and the trailer.
fn assemble(face: &Face<'_>, used: &BTreeMap<u16, (String, i32)>, pages: &[String]) -> Vec<u8> {
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
    objects.push(b"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 7 0 R >>".to_vec());
    let widths: String = used
        .iter()
        .map(|(id, (_, adv))| format!("{id} [{}] ", em(*adv as f32)))
        .collect();
    objects.push(
        format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /CIDToGIDMap /Identity /W [{widths}] >>"
        )
        .into_bytes(),
    );
    objects.push(
        format!(
            "<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 6 0 R >>",
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
    let mut font_file = format!(
        "<< /Length {} /Length1 {} >>\nstream\n",
        FONT.len(),
        FONT.len()
    )
    .into_bytes();
    font_file.extend_from_slice(FONT);
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
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
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
    let face = Face::from_slice(FONT, 0).expect("the bundled font parses");
    let mut w = Writer::new(face);
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
    for (day, items) in &s.agenda {
        w.paragraph(day, 11.5, 0.0);
        for i in items {
            w.paragraph(i, 10.5, 10.0);
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

#[cfg(test)]
mod tests {
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
    }
}
