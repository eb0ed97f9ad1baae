//! A GIF or WebP read back block by block (chunk by chunk), without decoding its pixels: its
//! size, how often it plays, each frame's delay and its comments (for `sgd-anim info` and
//! `grid --check`; a WebP's comment is its XMP description). It reads any GIF or animated
//! WebP, not only ours, streaming with flat memory; a malformed or cut-short file is an error
//! that says what and where, never a panic.

use crate::error::{Error, Result};
use std::io::{ErrorKind, Read};
use std::path::Path;

/// The most comment bytes kept from one file; the rest is skipped (a comment is a line or
/// two, but a crafted file could hold gigabytes of it).
pub const MAX_COMMENT_BYTES: usize = 64 * 1024;

/// What a GIF holds, besides its pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GifSummary {
    /// The logical screen's width in pixels.
    pub width: u16,
    /// The logical screen's height in pixels.
    pub height: u16,
    /// The frames' delays in centiseconds, as runs: (delay, number of frames in a row).
    pub delays: Vec<(u16, u64)>,
    /// How many times it plays, as [`super::Timing::loop_count`] says it: `None` forever,
    /// `Some(1)` once (no loop extension).
    pub loop_count: Option<u32>,
    /// The text of each comment extension, in file order (at most [`MAX_COMMENT_BYTES`] in all).
    pub comments: Vec<Vec<u8>>,
}

impl GifSummary {
    /// The number of frames.
    #[must_use]
    pub fn frames(&self) -> u64 {
        self.delays.iter().map(|&(_, n)| n).sum()
    }
}

/// The block labels of the GIF format (version 89a).
const EXTENSION: u8 = 0x21;
const IMAGE: u8 = 0x2C;
const TRAILER: u8 = 0x3B;
const GRAPHIC_CONTROL: u8 = 0xF9;
const APPLICATION: u8 = 0xFF;
const COMMENT: u8 = 0xFE;

/// A reader that counts bytes, so errors say where the file went wrong.
struct Blocks<'a, R> {
    inner: R,
    offset: u64,
    name: &'a Path,
}

impl<R: Read> Blocks<'_, R> {
    fn bad(&self, message: impl Into<String>) -> Error {
        Error::Gif { path: self.name.to_path_buf(), message: message.into() }
    }

    /// Fills `buf`, or says the file ends inside `what`.
    fn fill(&mut self, buf: &mut [u8], what: &str) -> Result<()> {
        let mut done = 0;
        while done < buf.len() {
            match self.inner.read(&mut buf[done..]) {
                Ok(0) => {
                    let end = self.offset + done as u64;
                    return Err(self.bad(format!("the file ends at byte {end}, inside {what} (is it cut short?)")));
                }
                Ok(n) => done += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(source) => return Err(Error::Io { action: "read", path: self.name.to_path_buf(), source }),
            }
        }
        self.offset += buf.len() as u64;
        Ok(())
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N]> {
        let mut buf = [0; N];
        self.fill(&mut buf, what)?;
        Ok(buf)
    }

    fn byte(&mut self, what: &str) -> Result<u8> {
        self.array::<1>(what).map(|[b]| b)
    }

    /// Skips `n` bytes.
    fn skip(&mut self, mut n: usize, what: &str) -> Result<()> {
        let mut buf = [0; 256];
        while n > 0 {
            let k = n.min(buf.len());
            self.fill(&mut buf[..k], what)?;
            n -= k;
        }
        Ok(())
    }

    /// Reads a chain of data sub-blocks up to its terminator, appending at most `keep` bytes
    /// of their data to `out`.
    fn sub_blocks(&mut self, out: &mut Vec<u8>, keep: usize, what: &str) -> Result<()> {
        let mut buf = [0; 255];
        loop {
            let len = usize::from(self.byte(what)?);
            if len == 0 {
                return Ok(());
            }
            self.fill(&mut buf[..len], what)?;
            let room = keep.saturating_sub(out.len());
            out.extend_from_slice(&buf[..len.min(room)]);
        }
    }
}

/// The size of a colour table whose flags byte is `flags`, if it has one.
fn colour_table(flags: u8) -> usize {
    if flags & 0x80 == 0 {
        0
    } else {
        3 << ((flags & 7) + 1)
    }
}

/// Reads a GIF's or a WebP's blocks (which, its first bytes say) from `reader`; `name` names
/// it in errors.
pub fn read_animation(mut reader: impl Read, name: &Path) -> Result<GifSummary> {
    let mut start = [0u8; 4];
    let mut got = 0;
    while got < start.len() {
        match reader.read(&mut start[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(source) => return Err(Error::Io { action: "read", path: name.to_path_buf(), source }),
        }
    }
    if &start[..got] == b"RIFF" {
        return read_webp(reader, name);
    }
    read_gif(std::io::Cursor::new(start[..got].to_vec()).chain(reader), name)
}

/// Reads a WebP's chunks after its first four bytes (`RIFF`): the canvas (VP8X), the loop
/// count (ANIM), each frame's duration (ANMF; a still image is one frame), the XMP packet's
/// description as its comment.
fn read_webp(reader: impl Read, name: &Path) -> Result<GifSummary> {
    let mut r = Blocks { inner: reader, offset: 4, name };
    let header: [u8; 8] = r.array("the RIFF header")?;
    if &header[4..] != b"WEBP" {
        return Err(r.bad("not a WebP: a RIFF file of another kind"));
    }
    let riff_end = 8 + u64::from(u32::from_le_bytes([header[0], header[1], header[2], header[3]]));
    let mut summary = GifSummary { width: 0, height: 0, delays: vec![], loop_count: Some(1), comments: vec![] };
    let le24 = |b: &[u8]| u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16;
    let side = |v: u32| u16::try_from(v + 1).unwrap_or(u16::MAX);
    while r.offset < riff_end {
        let chunk: [u8; 8] = r.array("a chunk header")?;
        let size = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]) as usize;
        let padded = size + size % 2;
        let what = format!("the {} chunk", String::from_utf8_lossy(&chunk[..4]));
        match &chunk[..4] {
            b"VP8X" if size >= 10 => {
                let v: [u8; 10] = r.array(&what)?;
                (summary.width, summary.height) = (side(le24(&v[4..7])), side(le24(&v[7..10])));
                r.skip(padded - 10, &what)?;
            }
            b"ANIM" if size >= 6 => {
                let v: [u8; 6] = r.array(&what)?;
                let loops = u16::from_le_bytes([v[4], v[5]]);
                summary.loop_count = (loops != 0).then_some(u32::from(loops));
                r.skip(padded - 6, &what)?;
            }
            b"ANMF" if size >= 16 => {
                let v: [u8; 16] = r.array(&what)?;
                let cs = u16::try_from((le24(&v[12..15]) + 5) / 10).unwrap_or(u16::MAX);
                match summary.delays.last_mut() {
                    Some((d, n)) if *d == cs => *n += 1,
                    _ => summary.delays.push((cs, 1)),
                }
                r.skip(padded - 16, &what)?;
            }
            b"VP8 " | b"VP8L" if summary.delays.is_empty() => {
                summary.delays.push((0, 1));
                r.skip(padded, &what)?;
            }
            b"XMP " => {
                let keep = size.min(MAX_COMMENT_BYTES);
                let mut xmp = vec![0; keep];
                r.fill(&mut xmp, &what)?;
                r.skip(padded - keep, &what)?;
                if let Some(comment) = super::webp::comment_of_xmp(&xmp) {
                    summary.comments.push(comment.into_bytes());
                }
            }
            _ => r.skip(padded, &what)?,
        }
    }
    Ok(summary)
}

/// Reads a GIF's blocks from `reader` (named `name` in errors) up to its trailer.
pub fn read_gif(reader: impl Read, name: &Path) -> Result<GifSummary> {
    let mut r = Blocks { inner: reader, offset: 0, name };
    let mut header = [0u8; 6];
    let mut got = 0;
    // A short file is "not a GIF" too, with what it starts with.
    while got < header.len() {
        match r.inner.read(&mut header[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(source) => return Err(Error::Io { action: "read", path: name.to_path_buf(), source }),
        }
    }
    r.offset = got as u64;
    if got < header.len() || !matches!(&header, b"GIF87a" | b"GIF89a") {
        let start: String = header[..got].iter().flat_map(|&b| std::ascii::escape_default(b)).map(char::from).collect();
        return Err(r.bad(format!("not a GIF: it starts with \"{start}\", not \"GIF89a\" or \"GIF87a\"")));
    }
    let screen: [u8; 7] = r.array("the screen descriptor")?;
    let width = u16::from_le_bytes([screen[0], screen[1]]);
    let height = u16::from_le_bytes([screen[2], screen[3]]);
    r.skip(colour_table(screen[4]), "the global colour table")?;
    let mut summary = GifSummary { width, height, delays: vec![], loop_count: Some(1), comments: vec![] };
    let mut delay = 0u16;
    let mut frames = 0u64;
    let mut kept = 0usize;
    let mut block = Vec::new();
    loop {
        let at = r.offset;
        let frame = frames + 1;
        match r.byte("the blocks after the header: no trailer (0x3B)")? {
            EXTENSION => {
                let label = r.byte("an extension")?;
                block.clear();
                match label {
                    GRAPHIC_CONTROL => {
                        r.sub_blocks(&mut block, 4, "a graphic control extension")?;
                        if block.len() >= 3 {
                            delay = u16::from_le_bytes([block[1], block[2]]);
                        }
                    }
                    APPLICATION => {
                        r.sub_blocks(&mut block, 14, "an application extension")?;
                        let looping = block.starts_with(b"NETSCAPE2.0") || block.starts_with(b"ANIMEXTS1.0");
                        if looping && block.len() >= 14 && block[11] == 1 {
                            let repeats = u16::from_le_bytes([block[12], block[13]]);
                            summary.loop_count = (repeats != 0).then(|| u32::from(repeats) + 1);
                        }
                    }
                    COMMENT => {
                        r.sub_blocks(&mut block, MAX_COMMENT_BYTES - kept, "a comment")?;
                        kept += block.len();
                        summary.comments.push(block.clone());
                    }
                    _ => r.sub_blocks(&mut block, 0, "an extension")?,
                }
            }
            IMAGE => {
                let what = format!("frame {frame}");
                let descriptor: [u8; 9] = r.array(&what)?;
                r.skip(colour_table(descriptor[8]), &what)?;
                r.byte(&what)?; // the LZW minimum code size
                r.sub_blocks(&mut block, 0, &what)?;
                frames += 1;
                match summary.delays.last_mut() {
                    Some((d, n)) if *d == delay => *n += 1,
                    _ => summary.delays.push((delay, 1)),
                }
                delay = 0;
            }
            TRAILER => return Ok(summary),
            other => {
                return Err(r.bad(format!(
                    "byte {at} should start a block (0x21, 0x2C or 0x3B) but is 0x{other:02X}, after {frames} frames"
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{gif::DeltaEncoder, Timing};
    use crate::raster::{Canvas, Palette, Rect};

    /// A small GIF of ours: `frames` frames of 4x3, a comment.
    fn ours(frames: usize, timing: &Timing) -> Vec<u8> {
        let palette = Palette::new([255, 255, 255], &[]);
        let mut encoder = DeltaEncoder::new(Vec::new(), 4, 3, &palette, timing).unwrap();
        encoder.comment("made by: a test\nsecond line").unwrap();
        let mut canvas = Canvas { width: 4, height: 3, pixels: vec![0; 12] };
        for k in 0..frames {
            canvas.pixels[k % 12] = 1;
            let delay = if k + 1 == frames { timing.last_delay_cs() } else { timing.frame_delay_cs() };
            encoder.push(&canvas, Rect { x0: 0, y0: 0, x1: 4, y1: 3 }, delay).unwrap();
        }
        encoder.finish().unwrap()
    }

    #[test]
    fn reads_size_delays_loops_and_comments() {
        let gif = ours(5, &Timing::default());
        let s = read_gif(&gif[..], Path::new("x.gif")).unwrap();
        assert_eq!((s.width, s.height, s.frames()), (4, 3, 5));
        assert_eq!(s.delays, vec![(2, 4), (100, 1)]);
        assert_eq!(s.loop_count, None);
        assert_eq!(s.comments, vec![b"made by: a test\nsecond line".to_vec()]);
        for plays in [1, 2, 7] {
            let timing = Timing { loop_count: Some(plays), ..Timing::default() };
            assert_eq!(read_gif(&ours(2, &timing)[..], Path::new("x.gif")).unwrap().loop_count, Some(plays));
        }
    }

    #[test]
    fn every_cut_short_file_is_an_error_that_says_where() {
        let gif = ours(3, &Timing::default());
        for len in 0..gif.len() {
            let err = read_gif(&gif[..len], Path::new("cut.gif")).unwrap_err().to_string();
            assert!(err.starts_with("cut.gif: "), "{len}: {err}");
            if len >= 6 {
                assert!(err.contains(&format!("ends at byte {len}")), "{len}: {err}");
            }
        }
    }

    #[test]
    fn other_files_and_stray_blocks_are_named() {
        let err = read_gif(&b"\x89PNG\r\n\x1a\n"[..], Path::new("a.png")).unwrap_err().to_string();
        assert_eq!(err, "a.png: not a GIF: it starts with \"\\x89PNG\\r\\n\", not \"GIF89a\" or \"GIF87a\"");
        let mut gif = ours(2, &Timing::default());
        let trailer = gif.len() - 1;
        gif[trailer] = 0x00;
        let err = read_gif(&gif[..], Path::new("x.gif")).unwrap_err().to_string();
        assert!(
            err.contains(&format!("byte {trailer} should start a block")) && err.contains("after 2 frames"),
            "{err}"
        );
    }

    #[test]
    fn a_huge_comment_is_kept_only_in_part() {
        let mut gif = ours(1, &Timing::default());
        let trailer = gif.pop();
        assert_eq!(trailer, Some(TRAILER));
        gif.extend_from_slice(&[EXTENSION, COMMENT]);
        for _ in 0..=(2 * MAX_COMMENT_BYTES / 255) {
            gif.push(255);
            gif.extend_from_slice(&[b'x'; 255]);
        }
        gif.extend_from_slice(&[0, TRAILER]);
        let s = read_gif(&gif[..], Path::new("x.gif")).unwrap();
        assert_eq!(s.comments.iter().map(Vec::len).sum::<usize>(), MAX_COMMENT_BYTES);
    }
}
