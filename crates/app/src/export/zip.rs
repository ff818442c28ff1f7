//! A ZIP archive written front to back, for XLSX: entries are stored (not
//! compressed), and one entry at a time may be streamed — its local header carries
//! general-purpose flag bit 3, and its CRC-32 and sizes follow the data in a data
//! descriptor (APPNOTE.TXT 4.3.9). Readers of XLSX (Excel, LibreOffice) find every
//! entry through the central directory at the end, which repeats them.
//!
//! No ZIP64: the archive must stay under 4 GiB, far beyond the million rows a sheet
//! can hold; a larger one is refused with an error rather than written wrong.

use std::io::{self, Write};

const LOCAL_HEADER: u32 = 0x0403_4b50;
const DATA_DESCRIPTOR: u32 = 0x0807_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
/// 2.0: what every reader supports.
const VERSION: u16 = 20;
/// General-purpose flag bit 3: CRC-32 and sizes in a data descriptor.
const STREAMED: u16 = 1 << 3;

/// CRC-32 (ISO-HDLC, the ZIP and PNG one: reflected polynomial 0xEDB88320), a byte at
/// a time from a table computed at compile time.
#[derive(Debug, Clone, Copy)]
pub struct Crc32(u32);

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

impl Crc32 {
    pub fn new() -> Crc32 {
        Crc32(0xFFFF_FFFF)
    }

    pub fn update(&mut self, bytes: &[u8]) {
        let mut c = self.0;
        for &b in bytes {
            c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
        }
        self.0 = c;
    }

    pub fn value(self) -> u32 {
        !self.0
    }

    pub fn of(bytes: &[u8]) -> u32 {
        let mut crc = Crc32::new();
        crc.update(bytes);
        crc.value()
    }
}

/// MS-DOS date and time of an entry (2-second resolution, years 1980–2107).
#[derive(Debug, Clone, Copy)]
pub struct DosTime {
    time: u16,
    date: u16,
}

impl DosTime {
    pub fn of(at: chrono::NaiveDateTime) -> DosTime {
        use chrono::{Datelike, Timelike};
        let year = at.year().clamp(1980, 2107) as u16;
        DosTime {
            time: ((at.hour() as u16) << 11)
                | ((at.minute() as u16) << 5)
                | (at.second() as u16 / 2),
            date: ((year - 1980) << 9) | ((at.month() as u16) << 5) | at.day() as u16,
        }
    }
}

struct Entry {
    name: &'static str,
    flags: u16,
    crc: u32,
    size: u32,
    offset: u32,
}

/// The entry being streamed.
struct Open {
    name: &'static str,
    offset: u32,
    crc: Crc32,
    size: u64,
}

fn too_large() -> io::Error {
    io::Error::other("the file would exceed 4 GiB, the limit of a ZIP archive without ZIP64")
}

fn u32_of(n: u64) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| too_large())
}

/// A ZIP archive being written.
pub struct ZipWriter<W: Write> {
    out: W,
    /// Bytes written so far: the offset of what comes next.
    written: u64,
    entries: Vec<Entry>,
    open: Option<Open>,
    stamp: DosTime,
}

impl<W: Write> ZipWriter<W> {
    pub fn new(out: W, stamp: DosTime) -> ZipWriter<W> {
        ZipWriter {
            out,
            written: 0,
            entries: Vec::new(),
            open: None,
            stamp,
        }
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    fn local_header(&mut self, name: &str, flags: u16, crc: u32, size: u32) -> io::Result<()> {
        let mut h = Vec::with_capacity(30 + name.len());
        h.extend_from_slice(&LOCAL_HEADER.to_le_bytes());
        h.extend_from_slice(&VERSION.to_le_bytes());
        h.extend_from_slice(&flags.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes()); // stored
        h.extend_from_slice(&self.stamp.time.to_le_bytes());
        h.extend_from_slice(&self.stamp.date.to_le_bytes());
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&size.to_le_bytes()); // compressed
        h.extend_from_slice(&size.to_le_bytes()); // uncompressed
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        h.extend_from_slice(name.as_bytes());
        self.put(&h)
    }

    /// Adds a whole entry whose data is known.
    pub fn file(&mut self, name: &'static str, data: &[u8]) -> io::Result<()> {
        self.close_error()?;
        let offset = u32_of(self.written)?;
        let size = u32_of(data.len() as u64)?;
        let crc = Crc32::of(data);
        self.local_header(name, 0, crc, size)?;
        self.put(data)?;
        self.entries.push(Entry {
            name,
            flags: 0,
            crc,
            size,
            offset,
        });
        Ok(())
    }

    fn close_error(&self) -> io::Result<()> {
        match &self.open {
            Some(open) => Err(io::Error::other(format!(
                "ZIP entry {} is still being written",
                open.name
            ))),
            None => Ok(()),
        }
    }

    /// Starts an entry whose data follows with [`ZipWriter::stream`].
    pub fn start(&mut self, name: &'static str) -> io::Result<()> {
        self.close_error()?;
        let offset = u32_of(self.written)?;
        self.local_header(name, STREAMED, 0, 0)?;
        self.open = Some(Open {
            name,
            offset,
            crc: Crc32::new(),
            size: 0,
        });
        Ok(())
    }

    /// More data of the entry being streamed.
    pub fn stream(&mut self, bytes: &[u8]) -> io::Result<()> {
        let open = self
            .open
            .as_mut()
            .ok_or_else(|| io::Error::other("no ZIP entry is open"))?;
        open.crc.update(bytes);
        open.size += bytes.len() as u64;
        if open.size > u64::from(u32::MAX) {
            return Err(too_large());
        }
        self.put(bytes)
    }

    /// Ends the streamed entry with its data descriptor.
    pub fn end(&mut self) -> io::Result<()> {
        let open = self
            .open
            .take()
            .ok_or_else(|| io::Error::other("no ZIP entry is open"))?;
        let crc = open.crc.value();
        let size = u32_of(open.size)?;
        let mut d = Vec::with_capacity(16);
        d.extend_from_slice(&DATA_DESCRIPTOR.to_le_bytes());
        d.extend_from_slice(&crc.to_le_bytes());
        d.extend_from_slice(&size.to_le_bytes());
        d.extend_from_slice(&size.to_le_bytes());
        self.put(&d)?;
        self.entries.push(Entry {
            name: open.name,
            flags: STREAMED,
            crc,
            size,
            offset: open.offset,
        });
        Ok(())
    }

    /// Writes the central directory and its end record; flushes.
    pub fn finish(mut self) -> io::Result<W> {
        self.close_error()?;
        let start = u32_of(self.written)?;
        let mut directory = Vec::new();
        for e in &self.entries {
            directory.extend_from_slice(&CENTRAL_HEADER.to_le_bytes());
            directory.extend_from_slice(&VERSION.to_le_bytes()); // made by: MS-DOS, 2.0
            directory.extend_from_slice(&VERSION.to_le_bytes()); // needed
            directory.extend_from_slice(&e.flags.to_le_bytes());
            directory.extend_from_slice(&0u16.to_le_bytes()); // stored
            directory.extend_from_slice(&self.stamp.time.to_le_bytes());
            directory.extend_from_slice(&self.stamp.date.to_le_bytes());
            directory.extend_from_slice(&e.crc.to_le_bytes());
            directory.extend_from_slice(&e.size.to_le_bytes());
            directory.extend_from_slice(&e.size.to_le_bytes());
            directory.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            directory.extend_from_slice(&0u16.to_le_bytes()); // extra field
            directory.extend_from_slice(&0u16.to_le_bytes()); // comment
            directory.extend_from_slice(&0u16.to_le_bytes()); // disk
            directory.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
            directory.extend_from_slice(&0u32.to_le_bytes()); // external attributes
            directory.extend_from_slice(&e.offset.to_le_bytes());
            directory.extend_from_slice(e.name.as_bytes());
        }
        let size = u32_of(directory.len() as u64)?;
        let count = self.entries.len() as u16;
        directory.extend_from_slice(&END_OF_CENTRAL_DIRECTORY.to_le_bytes());
        directory.extend_from_slice(&0u16.to_le_bytes()); // this disk
        directory.extend_from_slice(&0u16.to_le_bytes()); // disk of the directory
        directory.extend_from_slice(&count.to_le_bytes());
        directory.extend_from_slice(&count.to_le_bytes());
        directory.extend_from_slice(&size.to_le_bytes());
        directory.extend_from_slice(&start.to_le_bytes());
        directory.extend_from_slice(&0u16.to_le_bytes()); // no comment
        self.put(&directory)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_check_value() {
        assert_eq!(Crc32::of(b"123456789"), 0xCBF4_3926);
        assert_eq!(Crc32::of(b""), 0);
        let mut split = Crc32::new();
        split.update(b"1234");
        split.update(b"56789");
        assert_eq!(split.value(), 0xCBF4_3926);
    }

    #[test]
    fn dos_time_packs_date_and_time() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 6, 26)
            .and_then(|d| d.and_hms_opt(8, 30, 15))
            .expect("date");
        let t = DosTime::of(at);
        assert_eq!(t.date, (46 << 9) | (6 << 5) | 26);
        assert_eq!(t.time, (8 << 11) | (30 << 5) | 7);
    }

    #[test]
    fn an_entry_cannot_start_while_another_is_open() {
        let at = chrono::NaiveDateTime::default();
        let mut zip = ZipWriter::new(Vec::new(), DosTime::of(at));
        zip.start("a").expect("start");
        assert!(zip.file("b", b"x").is_err());
        zip.end().expect("end");
        assert!(zip.end().is_err());
        zip.finish().expect("finish");
    }
}
