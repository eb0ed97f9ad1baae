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

/// The records of a TFRecord stream, one at a time.
pub(crate) struct Records<R> {
    inner: R,
    offset: u64,
    data: Vec<u8>,
}

impl<R: Read> Records<R> {
    pub(crate) fn new(inner: R) -> Self {
        Records { inner, offset: 0, data: vec![] }
    }

    /// The byte offset of the next record.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// The next record's data, `None` at the end of the stream.
    pub(crate) fn next_record(&mut self) -> Result<Option<&[u8]>, Damage> {
        let start = self.offset;
        let mut head = [0u8; 12];
        let got = read_full(&mut self.inner, &mut head).map_err(Damage::Io)?;
        if got == 0 {
            return Ok(None);
        }
        let cut = |what: &str| Damage::At(start, format!("the record is cut short (the file ends in its {what})"));
        if got < 12 {
            return Err(cut("header"));
        }
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
        self.data.resize(length + 4, 0);
        let got = read_full(&mut self.inner, &mut self.data).map_err(Damage::Io)?;
        if got < length + 4 {
            return Err(cut("data"));
        }
        let (data, crc) = self.data.split_at(length);
        if masked_crc(data).to_le_bytes() != crc {
            return Err(Damage::At(start, "the record's data fails its checksum (CRC32C): the file is damaged".into()));
        }
        self.offset += 12 + length as u64 + 4;
        Ok(Some(&self.data[..length]))
    }
}

/// Reads into `buf` until it is full or the stream ends; returns the bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
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
}
