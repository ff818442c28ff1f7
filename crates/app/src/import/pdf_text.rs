//! A PDF's text layer as lines of text laid out like a plain-text export: pdf-extract
//! decodes the glyphs (fonts, encodings, ToUnicode maps) with their positions, and this
//! module puts them back into lines. Glyphs on one baseline form a line, read left to
//! right; a wide gap between glyphs is a column (a table cell, a tab stop) and becomes
//! a tab; a line that starts right of the text's margin is indented (a nested bullet,
//! the continuation of a bullet), as in a text export; a gap of a line or more between
//! lines is a blank line; page numbers at the top or bottom of a page are left out.
//!
//! pdf-extract stops with a panic on some malformed files; the panic is caught here and
//! reported as a damaged PDF, so that no upload can take a server thread down.

use plenary_domain::import::{Format, Unreadable, is_bullet};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A gap of this many ems between two glyphs of a line separates columns (a tab).
const TAB_GAP: f64 = 1.0;
/// A gap of this many ems between two glyphs without a space glyph is a space.
const SPACE_GAP: f64 = 0.15;
/// Glyphs whose baselines differ by less than this many ems share a line (superscripts
/// included).
const SAME_LINE: f64 = 0.6;
/// A line starting this many ems right of the margin is indented (lines at one margin
/// start within hundredths of a point of each other).
const INDENT: f64 = 0.25;
/// The most glyphs read from one file (a few thousand pages of text).
const MAX_GLYPHS: usize = 5_000_000;

fn damaged(why: impl std::fmt::Display) -> Unreadable {
    Unreadable::Damaged(Format::Pdf, why.to_string())
}

/// The text of a PDF file; `Ok("")` when it has no text layer.
pub fn text(bytes: &[u8]) -> Result<String, Unreadable> {
    let read = catch_unwind(AssertUnwindSafe(|| glyphs(bytes)));
    let pages = match read {
        Ok(pages) => pages?,
        Err(_) => return Err(damaged("its structure could not be followed")),
    };
    Ok(lay_out(pages))
}

/// The glyphs of every page, in the order the pages draw them.
fn glyphs(bytes: &[u8]) -> Result<Vec<Vec<Glyph>>, Unreadable> {
    let doc = pdf_extract::Document::load_mem(bytes).map_err(|e| match e {
        pdf_extract::Error::Decryption(_) => Unreadable::Encrypted,
        other => damaged(other),
    })?;
    // lopdf opens a PDF protected only against editing (an empty user password) by
    // itself; what is still encrypted needs a password.
    if doc.is_encrypted() {
        return Err(Unreadable::Encrypted);
    }
    let mut collector = Collector::default();
    pdf_extract::output_doc(&doc, &mut collector).map_err(|e| match e {
        pdf_extract::OutputError::PdfError(pdf_extract::Error::Decryption(_)) => {
            Unreadable::Encrypted
        }
        _ if collector.full => damaged("it holds more text than a meeting document can"),
        other => damaged(other),
    })?;
    Ok(collector.pages)
}

/// A glyph in page coordinates, `y` growing downwards.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

#[derive(Default)]
struct Collector {
    page_height: f64,
    pages: Vec<Vec<Glyph>>,
    count: usize,
    full: bool,
}

impl pdf_extract::OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.page_height = media_box.ury - media_box.lly;
        self.pages.push(Vec::new());
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        self.count += 1;
        if self.count > MAX_GLYPHS {
            self.full = true;
            return Err(pdf_extract::OutputError::FormatError(std::fmt::Error));
        }
        // The font size in page units: the text matrix may scale it.
        let (sx, sy) = (
            font_size * (trm.m11 + trm.m21),
            font_size * (trm.m12 + trm.m22),
        );
        let size = (sx * sy).abs().sqrt();
        if char.is_empty() || !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let glyph = Glyph {
            x: trm.m31,
            y: self.page_height - trm.m32,
            end: trm.m31 + width * size,
            size,
            text: known_bullet(char),
        };
        if let Some(page) = self.pages.last_mut() {
            page.push(glyph);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// Word's symbol-font bullets (private-use characters) as a bullet the importer knows.
fn known_bullet(glyph: &str) -> String {
    let mut chars = glyph.chars();
    match (chars.next(), chars.next()) {
        (Some('\u{F0A7}' | '\u{F0A8}' | '\u{F06E}'), None) => "▪".to_owned(),
        (Some('\u{F000}'..='\u{F0FF}'), None) => "•".to_owned(),
        _ => glyph.to_owned(),
    }
}

/// One line of a page.
#[derive(Debug)]
struct Line {
    y: f64,
    size: f64,
    /// Where its first visible glyph starts.
    x: f64,
    text: String,
}

/// The glyphs of a page as lines, top to bottom, each read left to right.
fn page_lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut rows: Vec<(f64, f64, Vec<Glyph>)> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            Some((y, size, row)) if (g.y - *y).abs() <= SAME_LINE * size.max(g.size) => {
                *size = size.max(g.size);
                row.push(g);
            }
            _ => rows.push((g.y, g.size, vec![g])),
        }
    }
    rows.into_iter()
        .filter_map(|(_, size, mut row)| {
            row.sort_by(|a, b| a.x.total_cmp(&b.x));
            let baseline = row
                .iter()
                .filter(|g| g.size >= size * 0.9)
                .map(|g| g.y)
                .fold(f64::NEG_INFINITY, f64::max);
            let x = row.iter().find(|g| !g.text.trim().is_empty())?.x;
            Some(Line {
                y: baseline,
                size,
                x,
                text: row_text(&row, size),
            })
        })
        .collect()
}

/// A row's glyphs as text: wide gaps as tabs, narrow ones as spaces.
fn row_text(row: &[Glyph], size: f64) -> String {
    let mut out = String::new();
    let mut previous: Option<&Glyph> = None;
    for g in row {
        if let Some(p) = previous {
            // The same glyph drawn twice over itself (a bold effect) is one glyph.
            if p.text == g.text && (g.x - p.x).abs() < 0.1 * size {
                continue;
            }
            let gap = g.x - p.end;
            if gap >= TAB_GAP * size && !out.trim().is_empty() {
                out.truncate(out.trim_end_matches(' ').len());
                out.push('\t');
            } else if gap > SPACE_GAP * size
                && !out.ends_with(char::is_whitespace)
                && !g.text.starts_with(char::is_whitespace)
            {
                out.push(' ');
            }
        }
        out.push_str(&g.text);
        previous = Some(g);
    }
    out.trim_start().trim_end_matches([' ', '\t']).to_owned()
}

/// `3`, `Page 3`, `Page 3 of 9`, `3/9`, `- 3 -`: a page number in a header or footer.
fn is_page_number(text: &str) -> bool {
    let t = text.trim().trim_matches(['-', '–', ' ']).to_lowercase();
    let t = t.strip_prefix("page").unwrap_or(&t).trim();
    let mut parts = t
        .split(|c: char| c == '/' || c.is_whitespace())
        .filter(|p| !p.is_empty());
    let number = |p: Option<&str>| p.is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()));
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (first, None, None, None) => number(first),
        (first, Some("of"), last, None) => number(first) && number(last),
        (first, last, None, None) => number(first) && number(last),
        _ => false,
    }
}

/// The most common distance between consecutive lines: the body text's line spacing.
fn usual_spacing(pages: &[Vec<Line>]) -> Option<f64> {
    let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
    for lines in pages {
        for pair in lines.windows(2) {
            let dy = pair[1].y - pair[0].y;
            if dy > 0.0 {
                *counts.entry((dy * 2.0).round() as i64).or_default() += 1;
            }
        }
    }
    let (half_points, _) = counts.into_iter().max_by_key(|(dy, n)| (*n, -dy))?;
    Some(half_points as f64 / 2.0)
}

/// Every page's lines as one text.
fn lay_out(pages: Vec<Vec<Glyph>>) -> String {
    let mut pages: Vec<Vec<Line>> = pages.into_iter().map(page_lines).collect();
    for lines in &mut pages {
        if lines.last().is_some_and(|l| is_page_number(&l.text)) {
            lines.pop();
        }
        if lines.first().is_some_and(|l| is_page_number(&l.text)) {
            lines.remove(0);
        }
    }
    let all = || pages.iter().flatten();
    let margin = |bullets: bool| {
        all()
            .filter(|l| is_bullet(&l.text) == bullets)
            .map(|l| l.x)
            .fold(f64::INFINITY, f64::min)
    };
    let (text_margin, bullet_margin) = (margin(false), margin(true));
    let spacing = usual_spacing(&pages);
    let mut out: Vec<String> = Vec::new();
    for lines in &pages {
        let mut previous: Option<&Line> = None;
        for line in lines {
            if let (Some(p), Some(spacing)) = (previous, spacing) {
                let gap = (line.y - p.y) / spacing;
                if gap >= 1.6 {
                    out.extend(std::iter::repeat_n(String::new(), gap.round() as usize - 1));
                }
            }
            let margin = if is_bullet(&line.text) {
                bullet_margin
            } else {
                text_margin
            };
            let indented = line.x - margin > INDENT * line.size;
            out.push(format!("{}{}", if indented { "  " } else { "" }, line.text));
            previous = Some(line);
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(x: f64, y: f64, text: &str) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(k, c)| Glyph {
                x: x + 5.0 * k as f64,
                y,
                end: x + 5.0 * (k + 1) as f64,
                size: 10.0,
                text: c.to_string(),
            })
            .collect()
    }

    #[test]
    fn page_numbers_are_told_apart_from_text() {
        for page in ["3", "Page 3", "page 3 of 12", "3/12", "- 3 -", "3 of 12"] {
            assert!(is_page_number(page), "{page}");
        }
        for text in ["3 March", "1. Opening", "Page", "Item 3", "of 12", "10:30"] {
            assert!(!is_page_number(text), "{text}");
        }
    }

    #[test]
    fn glyphs_become_lines_columns_and_indents() {
        let mut page = glyphs(100.0, 50.0, "Minutes");
        page.extend(glyphs(100.0, 62.0, "- A note"));
        page.extend(glyphs(115.0, 74.0, "- nested"));
        // A blank line: two lines' distance.
        page.extend(glyphs(100.0, 98.0, "Okonkwo"));
        page.extend(glyphs(250.0, 98.0, "Chidi"));
        // Drawn out of order: the page's order is its position.
        page.extend(glyphs(100.0, 110.0, "Last"));
        page.swap(0, 10);
        page.extend(glyphs(300.0, 800.0, "2"));
        assert_eq!(
            lay_out(vec![page]),
            "Minutes\n- A note\n  - nested\n\nOkonkwo\tChidi\nLast"
        );
    }

    #[test]
    fn known_bullets_replace_symbol_font_ones() {
        assert_eq!(known_bullet("\u{F0B7}"), "•");
        assert_eq!(known_bullet("\u{F0A7}"), "▪");
        assert_eq!(known_bullet("a"), "a");
    }
}
