//! TFRecord framing, as TensorBoard's event files are written: each record is its length (8
//! bytes, little-endian), that length's masked CRC32C (4 bytes), the data, and the data's
//! masked CRC32C. Both checksums are checked; a damaged or cut-short record is reported with its
//! byte offset, and the records before it stay read, as TensorBoard keeps them.

use std::io::Read;

/// The longest record read: an event holding an image or a graph may be large, but a record
/// longer than this is taken for damage.
pub const MAX_RECORD_BYTES: u64 = 256 << 20;

/// TensorFlow's mask over a CRC32C, so that a CRC of data holding CRCs is not degenerate.
#[must_use]
pub(crate) fn masked_crc(data: &[u8]) -> u32 {
    let crc = crc32c::crc32c(data);
    crc.rotate_right(15).wrapping_add(0xa282_ead8)
}

/// Whether `head` (a file's first 12 bytes) starts a TFRecord: a length and its masked CRC.
#[must_use]
pub(crate) fn is_tfrecord(head: &[u8]) -> bool {
    head.len() >= 12 && masked_crc(&head[..8]).to_le_bytes() == head[8..12]
}

/// What went wrong reading a record, at which byte offset of the file.
#[derive(Debug)]
pub(crate) enum Damage {
    /// The record starting at this offset is damaged or cut short; what is wrong.
    At(u64, String),
    /// Reading failed.
    Io(std::io::Error),
}

/// The bytes asked of the stream at a time: few reads, whatever reader is given.
const CHUNK_BYTES: usize = 256 << 10;

/// The records of a TFRecord stream, one at a time. The stream is read a chunk at a time, so
/// an unbuffered file costs few reads, and a record is handed out from the chunk, not copied.
pub(crate) struct Records<R> {
    inner: R,
    offset: u64,
    /// Bytes read; `buf[start..end]` are not handed out yet.
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl<R: Read> Records<R> {
    pub(crate) fn new(inner: R) -> Self {
        Records { inner, offset: 0, buf: vec![], start: 0, end: 0 }
    }

    /// The byte offset of the next record.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// The next record's data, `None` at the end of the stream.
    pub(crate) fn next_record(&mut self) -> Result<Option<&[u8]>, Damage> {
        let start = self.offset;
        let got = self.fill(12).map_err(Damage::Io)?;
        if got == 0 {
            return Ok(None);
        }
        let cut = |what: &str| Damage::At(start, format!("the record is cut short (the file ends in its {what})"));
        if got < 12 {
            return Err(cut("header"));
        }
        let head = &self.buf[self.start..self.start + 12];
        if masked_crc(&head[..8]).to_le_bytes() != head[8..12] {
            return Err(Damage::At(
                start,
                "the record's length fails its checksum (CRC32C): the file is damaged".into(),
            ));
        }
        let length = u64::from_le_bytes(head[..8].try_into().unwrap_or_default());
        if length > MAX_RECORD_BYTES {
            let message = format!("a record of {length} bytes, more than the {MAX_RECORD_BYTES} read");
            return Err(Damage::At(start, message));
        }
        let length = length as usize;
        let whole = 12 + length + 4;
        if self.fill(whole).map_err(Damage::Io)? < whole {
            return Err(cut("data"));
        }
        let at = self.start + 12;
        let (data, crc) = self.buf[at..at + length + 4].split_at(length);
        if masked_crc(data).to_le_bytes() != crc {
            return Err(Damage::At(start, "the record's data fails its checksum (CRC32C): the file is damaged".into()));
        }
        self.start += whole;
        self.offset += whole as u64;
        Ok(Some(&self.buf[at..at + length]))
    }

    /// Reads until `want` bytes are not handed out yet, or the stream ends; returns how many are.
    fn fill(&mut self, want: usize) -> std::io::Result<usize> {
        if self.end - self.start >= want {
            return Ok(self.end - self.start);
        }
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        let size = want.max(CHUNK_BYTES);
        if self.buf.len() < size {
            self.buf.resize(size, 0);
        }
        while self.end < want {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => break,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.end)
    }
}

/// `data` framed as one TFRecord (for tests and benches).
#[must_use]
pub fn frame(data: &[u8]) -> Vec<u8> {
    let length = (data.len() as u64).to_le_bytes();
    let mut out = Vec::with_capacity(data.len() + 16);
    out.extend_from_slice(&length);
    out.extend_from_slice(&masked_crc(&length).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&masked_crc(data).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_and_damage_names_its_offset() {
        assert_eq!(crc32c::crc32c(b"123456789"), 0xe306_9283, "CRC32C's check value");
        let stream = [frame(b"abc"), frame(b""), frame(b"hello")].concat();
        let mut records = Records::new(stream.as_slice());
        let mut all = vec![];
        while let Some(r) = records.next_record().unwrap() {
            all.push(r.to_vec());
        }
        assert_eq!(all, [b"abc".to_vec(), vec![], b"hello".to_vec()]);
        assert!(is_tfrecord(&stream));
        // A flipped data byte in the third record (at offset 19 + 16 = 35).
        let mut bad = stream.clone();
        bad[35 + 12] ^= 1;
        let mut records = Records::new(bad.as_slice());
        assert!(records.next_record().unwrap().is_some());
        assert!(records.next_record().unwrap().is_some());
        match records.next_record() {
            Err(Damage::At(35, message)) => assert!(message.contains("checksum"), "{message}"),
            other => panic!("{other:?}"),
        }
        // Cut short: the first record stays read.
        let mut records = Records::new(&stream[..25]);
        assert!(records.next_record().unwrap().is_some());
        match records.next_record() {
            Err(Damage::At(19, message)) => assert!(message.contains("cut short"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    /// A reader giving at most 7 bytes a read, as a pipe may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn records_across_chunks_and_longer_than_a_chunk_read_back_whole() {
        let big: Vec<u8> = (0..CHUNK_BYTES * 2 + 5).map(|i| (i % 251) as u8).collect();
        let small: Vec<Vec<u8>> = (0..20_000u32).map(|i| i.to_le_bytes().repeat((i % 5) as usize)).collect();
        let mut all: Vec<&[u8]> = small.iter().map(Vec::as_slice).collect();
        all.insert(10_000, &big);
        let stream: Vec<u8> = all.iter().flat_map(|r| frame(r)).collect();
        for trickle in [false, true] {
            let mut records = if trickle {
                Records::new(Box::new(Trickle(&stream)) as Box<dyn Read>)
            } else {
                Records::new(Box::new(stream.as_slice()) as Box<dyn Read>)
            };
            let mut k = 0;
            while let Some(r) = records.next_record().unwrap() {
                assert_eq!(r, all[k], "record {k}");
                k += 1;
            }
            assert_eq!((k, records.offset()), (all.len(), stream.len() as u64));
        }
        // Cut inside the long record: the offset is its start.
        let start: usize = all[..10_000].iter().map(|r| r.len() + 16).sum();
        let mut records = Records::new(&stream[..start + CHUNK_BYTES]);
        for _ in 0..10_000 {
            assert!(records.next_record().unwrap().is_some());
        }
        match records.next_record() {
            Err(Damage::At(at, message)) => assert!(at == start as u64 && message.contains("cut short"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}
