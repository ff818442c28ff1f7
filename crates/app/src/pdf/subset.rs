//! A TrueType subsetter for the PDF writer: a new font file with only the glyphs a
//! document uses, so that a badge or a letter embeds a few kilobytes of outlines
//! instead of the whole font.
//!
//! Glyph ids are kept (an unused glyph stays, empty), so that the CID font's
//! `/CIDToGIDMap /Identity`, its `/W` widths and its ToUnicode map remain valid. The
//! new file has only the tables a PDF viewer needs of a TrueType program in a CID font
//! (PDF 2.0, 9.9 "Embedded font programs": no `cmap`, glyphs are addressed by id):
//! `head`, `hhea`, `maxp`, `hmtx`, `loca`, `glyf`, the hinting tables `cvt `, `fpgm`
//! and `prep`, and `OS/2` (86 bytes; some viewers read the weight and metrics there).
//! Shaping tables (GSUB, GPOS, GDEF, kern), names, `post` and `cmap` are dropped.

use rustybuzz::ttf_parser::{RawFace, Tag};
use std::collections::BTreeSet;
use std::fmt;

/// Why a font could not be subset (the caller then embeds it whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsetError(String);

impl fmt::Display for SubsetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the font cannot be subset: {}", self.0)
    }
}

impl std::error::Error for SubsetError {}

fn error(what: impl Into<String>) -> SubsetError {
    SubsetError(what.into())
}

/// The tables copied as they are, when the font has them.
const COPIED: [&[u8; 4]; 5] = [b"OS/2", b"cvt ", b"fpgm", b"maxp", b"prep"];

/// What `head.checkSumAdjustment` makes the whole file sum to.
const CHECKSUM_MAGIC: u32 = 0xB1B0_AFBA;

fn u16_at(data: &[u8], offset: usize) -> Option<u16> {
    let bytes = data.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

fn u32_at(data: &[u8], offset: usize) -> Option<u32> {
    let bytes = data.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// Overwrites bytes that the caller checked are there.
fn put(data: &mut [u8], offset: usize, bytes: &[u8]) -> Result<(), SubsetError> {
    data.get_mut(offset..offset + bytes.len())
        .ok_or_else(|| error("a table too short to patch"))?
        .copy_from_slice(bytes);
    Ok(())
}

/// The OpenType table checksum: the sum of its big-endian 32-bit words, the last one
/// padded with zeros.
pub fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// The font's glyph outlines, addressed through `loca`.
struct Glyphs<'a> {
    glyf: &'a [u8],
    /// `count + 1` offsets into `glyf`, non-decreasing.
    offsets: Vec<usize>,
}

impl<'a> Glyphs<'a> {
    fn parse(glyf: &'a [u8], loca: &[u8], count: u16, long: bool) -> Result<Self, SubsetError> {
        let n = usize::from(count) + 1;
        let offsets: Option<Vec<usize>> = if long {
            (0..n)
                .map(|k| u32_at(loca, 4 * k).and_then(|o| usize::try_from(o).ok()))
                .collect()
        } else {
            (0..n)
                .map(|k| u16_at(loca, 2 * k).map(|o| 2 * usize::from(o)))
                .collect()
        };
        let offsets = offsets.ok_or_else(|| error("loca is shorter than maxp.numGlyphs"))?;
        if offsets.windows(2).any(|w| w[0] > w[1]) {
            return Err(error("loca is not in order"));
        }
        if offsets.last().is_some_and(|end| *end > glyf.len()) {
            return Err(error("loca points past the end of glyf"));
        }
        Ok(Glyphs { glyf, offsets })
    }

    /// A glyph's data (empty for a glyph without outline); `None` past the last glyph.
    fn data(&self, glyph: u16) -> Option<&'a [u8]> {
        let k = usize::from(glyph);
        let (start, end) = (*self.offsets.get(k)?, *self.offsets.get(k + 1)?);
        self.glyf.get(start..end)
    }

    /// The glyphs a composite glyph is made of (none for a simple glyph).
    fn components(&self, glyph: u16) -> Result<Vec<u16>, SubsetError> {
        const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
        const WE_HAVE_A_SCALE: u16 = 0x0008;
        const MORE_COMPONENTS: u16 = 0x0020;
        const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
        const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
        let data = self
            .data(glyph)
            .ok_or_else(|| error(format!("no glyph {glyph}")))?;
        // A simple glyph has a non-negative number of contours; an empty one, no data.
        if data.is_empty() || u16_at(data, 0).is_some_and(|n| n < 0x8000) {
            return Ok(Vec::new());
        }
        let broken = || error(format!("the composite glyph {glyph} is cut short"));
        let mut components = Vec::new();
        // After the header (number of contours and the bounding box, 10 bytes).
        let mut at = 10;
        loop {
            let flags = u16_at(data, at).ok_or_else(broken)?;
            components.push(u16_at(data, at + 2).ok_or_else(broken)?);
            at += 4;
            at += if flags & ARG_1_AND_2_ARE_WORDS != 0 {
                4
            } else {
                2
            };
            at += if flags & WE_HAVE_A_SCALE != 0 {
                2
            } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
                4
            } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
                8
            } else {
                0
            };
            if at > data.len() {
                return Err(broken());
            }
            if flags & MORE_COMPONENTS == 0 {
                return Ok(components);
            }
        }
    }
}

/// The glyphs to keep: those asked for, `.notdef` (glyph 0) and every component of a
/// composite glyph kept, recursively. Glyph ids the font does not have are left out.
fn closure(glyphs: &Glyphs<'_>, count: u16, used: &[u16]) -> Result<BTreeSet<u16>, SubsetError> {
    let mut keep = BTreeSet::new();
    let mut pending: Vec<u16> = std::iter::once(0)
        .chain(used.iter().copied())
        .filter(|g| *g < count)
        .collect();
    while let Some(glyph) = pending.pop() {
        if !keep.insert(glyph) {
            continue;
        }
        for component in glyphs.components(glyph)? {
            if component >= count {
                return Err(error(format!(
                    "glyph {glyph} has a component {component} the font does not have"
                )));
            }
            if !keep.contains(&component) {
                pending.push(component);
            }
        }
    }
    Ok(keep)
}

/// A TrueType font with only the outlines of `used` (and what they need); every other
/// glyph keeps its id but is empty. Fails, without panicking, on a font it cannot
/// read: a CFF font, a collection, a truncated or inconsistent file.
pub fn subset(font: &[u8], used: impl IntoIterator<Item = u16>) -> Result<Vec<u8>, SubsetError> {
    let face = RawFace::parse(font, 0).map_err(|e| error(format!("unreadable font: {e}")))?;
    let table = |tag: &[u8; 4]| face.table(Tag::from_bytes(tag));
    let required = |tag: &[u8; 4]| {
        table(tag).ok_or_else(|| {
            error(format!(
                "no {} table (not a TrueType-outline font?)",
                String::from_utf8_lossy(tag)
            ))
        })
    };
    let head = required(b"head")?;
    let hhea = required(b"hhea")?;
    let maxp = required(b"maxp")?;
    let hmtx = required(b"hmtx")?;
    let loca = required(b"loca")?;
    let glyf = required(b"glyf")?;
    if head.len() < 54 || hhea.len() < 36 {
        return Err(error("head or hhea is too short"));
    }
    let count = u16_at(maxp, 4).ok_or_else(|| error("maxp is too short"))?;
    if count == 0 {
        return Err(error("the font has no glyphs"));
    }
    let long = match u16_at(head, 50) {
        Some(0) => false,
        Some(1) => true,
        _ => return Err(error("an unknown head.indexToLocFormat")),
    };
    let glyphs = Glyphs::parse(glyf, loca, count, long)?;
    let used: Vec<u16> = used.into_iter().collect();
    let keep = closure(&glyphs, count, &used)?;

    // glyf and loca: the kept glyphs' data, each padded to 4 bytes; the others empty.
    let mut new_glyf = Vec::new();
    let mut new_offsets = Vec::with_capacity(usize::from(count) + 1);
    for glyph in 0..count {
        new_offsets.push(new_glyf.len());
        if keep.contains(&glyph) {
            let data = glyphs
                .data(glyph)
                .ok_or_else(|| error(format!("no glyph {glyph}")))?;
            new_glyf.extend_from_slice(data);
            new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
        }
    }
    new_offsets.push(new_glyf.len());
    // The short format stores offsets halved in 16 bits; all offsets are even.
    let short = new_glyf.len() / 2 <= usize::from(u16::MAX);
    let mut new_loca = Vec::with_capacity(new_offsets.len() * if short { 2 } else { 4 });
    for offset in new_offsets {
        if short {
            let half = u16::try_from(offset / 2).map_err(|_| error("loca overflows"))?;
            new_loca.extend_from_slice(&half.to_be_bytes());
        } else {
            let offset = u32::try_from(offset).map_err(|_| error("glyf is too large"))?;
            new_loca.extend_from_slice(&offset.to_be_bytes());
        }
    }

    // hmtx: full metrics up to the last kept glyph, then left side bearings only (the
    // glyphs after it, all empty, take the last advance; the PDF's /W gives widths).
    let metrics = usize::from(u16_at(hhea, 34).ok_or_else(|| error("hhea is too short"))?);
    if metrics == 0 || metrics > usize::from(count) {
        return Err(error("hhea.numberOfHMetrics out of range"));
    }
    if hmtx.len() < 4 * metrics + 2 * (usize::from(count) - metrics) {
        return Err(error("hmtx is shorter than the glyphs"));
    }
    let advance = |g: usize| hmtx.get(4 * g.min(metrics - 1)..4 * g.min(metrics - 1) + 2);
    let bearing = |g: usize| {
        let at = if g < metrics {
            4 * g + 2
        } else {
            4 * metrics + 2 * (g - metrics)
        };
        hmtx.get(at..at + 2)
    };
    let new_metrics = keep.last().map_or(1, |last| usize::from(*last) + 1);
    let mut new_hmtx = Vec::with_capacity(4 * new_metrics + 2 * (usize::from(count) - new_metrics));
    for g in 0..usize::from(count) {
        if g < new_metrics {
            new_hmtx.extend_from_slice(advance(g).ok_or_else(|| error("hmtx is too short"))?);
        }
        new_hmtx.extend_from_slice(bearing(g).ok_or_else(|| error("hmtx is too short"))?);
    }
    let mut new_hhea = hhea.to_vec();
    let new_metrics = u16::try_from(new_metrics).map_err(|_| error("too many metrics"))?;
    put(&mut new_hhea, 34, &new_metrics.to_be_bytes())?;

    // head: the loca format, and the file's checksum adjustment zeroed until known.
    let mut new_head = head.to_vec();
    put(&mut new_head, 8, &[0; 4])?;
    put(&mut new_head, 50, &[0, u8::from(!short)])?;

    let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (*b"glyf", new_glyf),
        (*b"head", new_head),
        (*b"hhea", new_hhea),
        (*b"hmtx", new_hmtx),
        (*b"loca", new_loca),
    ];
    for tag in COPIED {
        let listed = face
            .table_records
            .into_iter()
            .any(|r| r.tag == Tag::from_bytes(tag));
        match table(tag) {
            Some(data) => tables.push((*tag, data.to_vec())),
            None if listed => {
                return Err(error(format!(
                    "the {} table is past the end of the file",
                    String::from_utf8_lossy(tag)
                )));
            }
            None => {}
        }
    }
    tables.sort_by_key(|t| t.0);
    let mut file = write_font(&tables)?;

    // head.checkSumAdjustment, so that the whole file sums to the magic number.
    let adjustment = CHECKSUM_MAGIC.wrapping_sub(checksum(&file));
    let head_at = directory_offset(&file, b"head").ok_or_else(|| error("no head written"))?;
    put(&mut file, head_at + 8, &adjustment.to_be_bytes())?;
    Ok(file)
}

/// The offset of a table in a font file, from its table directory.
fn directory_offset(file: &[u8], tag: &[u8; 4]) -> Option<usize> {
    let count = usize::from(u16_at(file, 4)?);
    (0..count)
        .map(|k| 12 + 16 * k)
        .find(|at| file.get(*at..*at + 4) == Some(&tag[..]))
        .and_then(|at| u32_at(file, at + 8))
        .and_then(|offset| usize::try_from(offset).ok())
}

/// A TrueType file of these tables, sorted by tag: the offset table, the table
/// directory (checksums, 4-byte aligned offsets), then the tables, each padded.
fn write_font(tables: &[([u8; 4], Vec<u8>)]) -> Result<Vec<u8>, SubsetError> {
    let count = u16::try_from(tables.len()).map_err(|_| error("too many tables"))?;
    // The largest power of two not above the number of tables, and its exponent.
    let power = if count == 0 {
        0
    } else {
        15 - count.leading_zeros() as u16
    };
    let search_range = (1u16 << power) * 16;
    let mut file = Vec::new();
    file.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    file.extend_from_slice(&count.to_be_bytes());
    file.extend_from_slice(&search_range.to_be_bytes());
    file.extend_from_slice(&power.to_be_bytes());
    file.extend_from_slice(&(count * 16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in tables {
        file.extend_from_slice(tag);
        file.extend_from_slice(&checksum(data).to_be_bytes());
        let at = u32::try_from(offset).map_err(|_| error("the font is too large"))?;
        let length = u32::try_from(data.len()).map_err(|_| error("a table is too large"))?;
        file.extend_from_slice(&at.to_be_bytes());
        file.extend_from_slice(&length.to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in tables {
        file.extend_from_slice(data);
        file.resize(file.len().next_multiple_of(4), 0);
    }
    Ok(file)
}

/// The six capital letters that name a subset (`ABCDEF+DejaVuSans`, PDF 9.6.4 "Font
/// subsets"): a hash of the glyphs kept, so that different subsets of a font merged
/// into one document keep different names.
pub fn tag(used: impl IntoIterator<Item = u16>) -> String {
    // FNV-1a, 64 bits.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for glyph in used.into_iter().collect::<BTreeSet<u16>>() {
        for byte in glyph.to_be_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    (0..6)
        .map(|_| {
            let letter = b'A' + (hash % 26) as u8;
            hash /= 26;
            char::from(letter)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustybuzz::ttf_parser::{Face, GlyphId, OutlineBuilder};

    const FONT: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

    /// An outline as the commands that draw it.
    #[derive(Default)]
    struct Commands(Vec<String>);

    impl OutlineBuilder for Commands {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M {x} {y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L {x} {y}"));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(format!("Q {x1} {y1} {x} {y}"));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.push(format!("C {x1} {y1} {x2} {y2} {x} {y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".into());
        }
    }

    fn outline(face: &Face<'_>, glyph: GlyphId) -> Option<(String, Vec<String>)> {
        let mut commands = Commands::default();
        let bbox = face.outline_glyph(glyph, &mut commands)?;
        Some((format!("{bbox:?}"), commands.0))
    }

    fn glyph(face: &Face<'_>, c: char) -> GlyphId {
        face.glyph_index(c)
            .unwrap_or_else(|| panic!("{c:?} is in the font"))
    }

    /// The glyphs rustybuzz shapes a text into (Arabic in its joined forms).
    fn shaped(text: &str) -> Vec<u16> {
        let face = rustybuzz::Face::from_slice(FONT, 0).expect("the font parses");
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        rustybuzz::shape(&face, &[], buffer)
            .glyph_infos()
            .iter()
            .map(|i| u16::try_from(i.glyph_id).expect("a 16-bit glyph id"))
            .collect()
    }

    fn is_composite(font: &[u8], g: GlyphId) -> bool {
        let face = RawFace::parse(font, 0).expect("font");
        let table = |t: &[u8; 4]| face.table(Tag::from_bytes(t)).expect("table");
        let long = u16_at(table(b"head"), 50) == Some(1);
        let count = u16_at(table(b"maxp"), 4).expect("numGlyphs");
        let glyphs = Glyphs::parse(table(b"glyf"), table(b"loca"), count, long).expect("glyphs");
        !glyphs.components(g.0).expect("components").is_empty()
    }

    #[test]
    fn the_subset_keeps_the_used_outlines_and_ids_and_empties_the_rest() {
        let original = Face::parse(FONT, 0).expect("the font parses");
        let mut used = shaped("Ana María Núñez Иван");
        used.extend(shaped("نادية الحداد"));
        // 'é' is a composite glyph (e + acute): its parts come along though not asked for.
        let e_acute = glyph(&original, 'é');
        assert!(is_composite(FONT, e_acute), "é is composite in DejaVu Sans");
        used.push(e_acute.0);
        let small = subset(FONT, used.iter().copied()).expect("the font subsets");
        assert!(small.len() < 60_000, "{} bytes", small.len());

        let face = Face::parse(&small, 0).expect("the subset parses");
        assert_eq!(face.number_of_glyphs(), original.number_of_glyphs());
        assert_eq!(face.units_per_em(), original.units_per_em());
        assert_eq!(face.global_bounding_box(), original.global_bounding_box());
        let arabic = shaped("نادية");
        assert!(arabic.iter().all(|g| used.contains(g)));
        let mut checked = vec![
            GlyphId(0),
            glyph(&original, 'A'),
            glyph(&original, 'ñ'),
            glyph(&original, 'И'),
            e_acute,
            GlyphId(arabic[0]),
            GlyphId(arabic[arabic.len() - 1]),
        ];
        checked.extend(used.iter().map(|g| GlyphId(*g)));
        for g in &checked[..7] {
            assert!(outline(&original, *g).is_some(), "{g:?} has an outline");
        }
        for g in checked {
            assert_eq!(outline(&face, g), outline(&original, g), "{g:?}");
            assert_eq!(face.glyph_hor_advance(g), original.glyph_hor_advance(g));
            assert_eq!(
                face.glyph_hor_side_bearing(g),
                original.glyph_hor_side_bearing(g)
            );
        }
        for c in ['Z', 'Ж', 'ش', '€'] {
            let g = glyph(&original, c);
            assert!(outline(&original, g).is_some());
            assert_eq!(outline(&face, g), None, "{c:?} is not used: empty");
        }
        // The last glyph, well past every kept one, is there and empty.
        let last = GlyphId(original.number_of_glyphs() - 1);
        assert_eq!(outline(&face, last), None);
        assert!(face.glyph_hor_side_bearing(last).is_some());
    }

    #[test]
    fn the_subset_is_a_well_formed_truetype_file() {
        let used = shaped("Delegates · Onsite é");
        let small = subset(FONT, used).expect("the font subsets");
        assert_eq!(checksum(&small), CHECKSUM_MAGIC, "checkSumAdjustment");
        assert_eq!(u32_at(&small, 0), Some(0x0001_0000));
        let count = usize::from(u16_at(&small, 4).expect("numTables"));
        assert_eq!(u16_at(&small, 6), Some(128), "searchRange for 10 tables");
        assert_eq!(u16_at(&small, 8), Some(3), "entrySelector");
        assert_eq!(u16_at(&small, 10), Some(32), "rangeShift");
        let mut tags = Vec::new();
        for k in 0..count {
            let at = 12 + 16 * k;
            let tag: [u8; 4] = small[at..at + 4].try_into().expect("a tag");
            let sum = u32_at(&small, at + 4).expect("checksum");
            let offset = u32_at(&small, at + 8).expect("offset") as usize;
            let length = u32_at(&small, at + 12).expect("length") as usize;
            assert_eq!(offset % 4, 0, "{tag:?} aligned");
            let mut data = small[offset..offset + length].to_vec();
            if &tag == b"head" {
                data[8..12].fill(0);
            }
            assert_eq!(checksum(&data), sum, "checksum of {tag:?}");
            tags.push(tag);
        }
        let names: Vec<&str> = tags
            .iter()
            .map(|t| std::str::from_utf8(t).expect("ASCII"))
            .collect();
        assert_eq!(
            names,
            [
                "OS/2", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"
            ]
        );
        // Few glyphs: the short loca format.
        let face = RawFace::parse(&small, 0).expect("font");
        let head = face.table(Tag::from_bytes(b"head")).expect("head");
        assert_eq!(u16_at(head, 50), Some(0));
    }

    #[test]
    fn every_glyph_of_the_font_subsets_with_a_long_loca() {
        let original = Face::parse(FONT, 0).expect("the font parses");
        let all = subset(FONT, 0..original.number_of_glyphs()).expect("the font subsets");
        let face = Face::parse(&all, 0).expect("the subset parses");
        let raw = RawFace::parse(&all, 0).expect("font");
        let head = raw.table(Tag::from_bytes(b"head")).expect("head");
        assert_eq!(
            u16_at(head, 50),
            Some(1),
            "glyf too large for the short format"
        );
        for g in (0..original.number_of_glyphs()).step_by(7).map(GlyphId) {
            assert_eq!(outline(&face, g), outline(&original, g), "{g:?}");
            assert_eq!(face.glyph_hor_advance(g), original.glyph_hor_advance(g));
        }
    }

    #[test]
    fn a_font_it_cannot_read_is_an_error_not_a_panic() {
        assert!(subset(&[], [1]).is_err());
        assert!(subset(b"not a font at all", [1]).is_err());
        for len in [12, 100, 400, FONT.len() / 2, FONT.len() - 1000] {
            assert!(subset(&FONT[..len], [36, 37]).is_err(), "cut at {len}");
        }
        // Damaged bytes anywhere (directory, loca, glyf, hmtx): an error or a font.
        let mut damaged = FONT.to_vec();
        for k in 0..64 {
            let at = (k * 7919 + k * k * 104_729) % FONT.len();
            let saved = damaged[at];
            damaged[at] ^= 0xA5;
            let _ = subset(&damaged, 0..300);
            damaged[at] = saved;
        }
        // A glyph id the font does not have is left out.
        assert!(subset(FONT, [u16::MAX]).is_ok());
    }

    #[test]
    fn a_subset_is_named_by_its_glyphs() {
        let a = tag([3, 1, 2]);
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(a, tag([1, 2, 3, 3]));
        assert_ne!(a, tag([1, 2, 4]));
    }
}
