//! Animated WebP, lossless: each frame the rectangle that changed (its corner moved up and
//! left to even coordinates, as `ANMF` offsets are stored halved), its unchanged pixels
//! transparent and blended over what is shown (disposal "none"), so a decoder shows exactly
//! the GIF's frames; each compressed as a VP8L image by our encoder (`vp8l`), over the
//! frame's own palette. We write the container ourselves: `RIFF`/`WEBP`,
//! `VP8X`, `ANIM` (loop count), one `ANMF` per frame (offset, size, duration in
//! milliseconds), then the provenance comment in an `XMP ` chunk (XMP's `dc:description`),
//! which `sgd-anim info` reads back. The file is assembled in memory and written at
//! [`WebpEncoder::finish`]: RIFF sizes come before what they measure.

use super::delta::changed_within;
use super::gif::fill_stretches;
use super::{AnimationEncoder, Timing};
use crate::error::{Error, Result};
use crate::raster::{Canvas, Palette, Rect};
use std::io::Write;
use std::time::Duration;

/// The largest side of a VP8L frame (14 bits).
const MAX_SIDE: u32 = 16_384;

/// Writes an animated lossless WebP of frames of one size and palette.
pub struct WebpEncoder<W: Write> {
    out: W,
    width: u32,
    height: u32,
    colors: Vec<[u8; 3]>,
    /// The ANIM chunk's loop count: 0 plays forever.
    loops: u16,
    /// The frame the decoder shows, as palette indices.
    shown: Vec<u8>,
    started: bool,
    /// The ANMF chunks so far.
    frames: Vec<u8>,
    xmp: Option<Vec<u8>>,
    /// The palette's transparent index (no colour draws it), for unchanged pixels.
    transparent: u8,
    /// The frame's rectangle as palette indices.
    indices: Vec<u8>,
    /// The rectangle's pixels as the frame shows them (for the second filling).
    alternates: Vec<u8>,
    /// A second buffer of indices.
    mapped: Vec<u8>,
}

impl<W: Write> WebpEncoder<W> {
    /// Starts a WebP on `out` for frames of `width` x `height` in `palette`. A size WebP
    /// cannot hold (0, or above 16384) is an error.
    pub fn new(out: W, width: u32, height: u32, palette: &Palette, timing: &Timing) -> Result<Self> {
        if !(1..=MAX_SIDE).contains(&width) || !(1..=MAX_SIDE).contains(&height) {
            return Err(Error::Encode(format!("a WebP is 1 to {MAX_SIDE} pixels a side, not {width}x{height}")));
        }
        let loops = timing.loop_count.map_or(0, |n| u16::try_from(n).unwrap_or(u16::MAX));
        Ok(WebpEncoder {
            out,
            width,
            height,
            colors: palette.colors().to_vec(),
            loops,
            shown: vec![],
            started: false,
            frames: vec![],
            xmp: None,
            transparent: palette.transparent_index(),
            indices: vec![],
            alternates: vec![],
            mapped: vec![],
        })
    }

    /// Adds a frame. `region` must hold every pixel that differs from the previous frame.
    pub fn push(&mut self, canvas: &Canvas, region: Rect, duration: Duration) -> Result<()> {
        debug_assert_eq!((canvas.width, canvas.height), (self.width, self.height));
        let first = !self.started;
        let rect = if first {
            self.started = true;
            self.shown.clone_from(&canvas.pixels);
            canvas.bounds()
        } else {
            let changed = changed_within(&self.shown, canvas, region);
            if changed.is_empty() {
                Rect { x0: 0, y0: 0, x1: 1, y1: 1 }
            } else {
                // Offsets are stored halved: start on even coordinates.
                Rect { x0: changed.x0 & !1, y0: changed.y0 & !1, ..changed }
            }
        };
        // The rectangle's pixels: what changed, and the transparent index where the frame
        // shows what was there (blended over it, so the decoder keeps the old pixel).
        let (w, t) = (self.width as usize, if first { u16::MAX } else { u16::from(self.transparent) });
        self.indices.clear();
        self.alternates.clear();
        for y in rect.y0..rect.y1 {
            let span = y as usize * w + rect.x0 as usize..y as usize * w + rect.x1 as usize;
            let (new, old) = (&canvas.pixels[span.clone()], &mut self.shown[span]);
            let start = self.indices.len();
            self.indices.resize(start + new.len(), 0);
            // Branch-free, so it vectorises.
            for ((s, &n), o) in self.indices[start..].iter_mut().zip(new).zip(old.iter_mut()) {
                *s = if u16::from(n) == u16::from(*o) && t != u16::MAX { t as u8 } else { n };
                *o = n;
            }
            self.alternates.extend_from_slice(new);
        }
        let mut vp8l = self.compress(&rect, first);
        if !first {
            // The second filling (the GIF's too): a stretch of unchanged pixels that shows
            // one colour keeps it, so it joins the changed pixels of that colour beside it.
            let mut filled = std::mem::take(&mut self.mapped);
            fill_stretches(&self.indices, &self.alternates, self.transparent, &mut filled);
            std::mem::swap(&mut self.indices, &mut filled);
            self.mapped = filled;
            let other = self.compress(&rect, first);
            if other.len() < vp8l.len() {
                vp8l = other;
            }
        }
        let ms = u32::try_from(duration.as_millis()).unwrap_or(u32::MAX).min((1 << 24) - 1);
        let mut anmf = Vec::with_capacity(24 + vp8l.len());
        for v in [rect.x0 / 2, rect.y0 / 2, rect.width() - 1, rect.height() - 1, ms] {
            anmf.extend_from_slice(&v.to_le_bytes()[..3]);
        }
        // Disposal none (bit 0 clear); the first frame replaces the canvas (no blending,
        // bit 1), the others blend over it: a transparent pixel keeps what was shown.
        anmf.push(if first { 0b10 } else { 0 });
        write_chunk(&mut anmf, b"VP8L", &vp8l);
        write_chunk(&mut self.frames, b"ANMF", &anmf);
        Ok(())
    }

    /// The VP8L bitstream of `self.indices`, its colour table the palette up to the largest
    /// index the frame uses (the palette puts the colours frames change most first, so a
    /// frame of few colours gets a short table and packs several pixels to a byte); the
    /// transparent index, after the first frame, is transparent.
    fn compress(&self, rect: &Rect, first: bool) -> Vec<u8> {
        let top = self.indices.iter().copied().max().unwrap_or(0);
        let colours: Vec<_> = (0..=usize::from(top))
            .map(|k| if k == usize::from(self.transparent) && !first { None } else { self.colors.get(k).copied() })
            .collect();
        super::vp8l::encode(&self.indices, rect.width(), rect.height(), &colours)
    }

    /// Ends the file: header, frames and metadata, written to the writer, which is returned.
    pub fn finish(self) -> Result<W> {
        let mut out = self.out;
        let mut body = Vec::with_capacity(self.frames.len() + 64);
        body.extend_from_slice(b"WEBP");
        let mut vp8x = vec![0u8; 10];
        // Animation, alpha (frames after the first hold transparent pixels), and XMP
        // metadata when there is a comment.
        vp8x[0] = 0b10 | 0b1_0000 | if self.xmp.is_some() { 0b100 } else { 0 };
        vp8x[4..7].copy_from_slice(&(self.width - 1).to_le_bytes()[..3]);
        vp8x[7..10].copy_from_slice(&(self.height - 1).to_le_bytes()[..3]);
        write_chunk(&mut body, b"VP8X", &vp8x);
        // The background colour (a hint, BGRA; every frame is opaque) and the loop count.
        let [r, g, b] = self.colors.first().copied().unwrap_or([255; 3]);
        let mut anim = vec![b, g, r, 255];
        anim.extend_from_slice(&self.loops.to_le_bytes());
        write_chunk(&mut body, b"ANIM", &anim);
        body.extend_from_slice(&self.frames);
        if let Some(xmp) = &self.xmp {
            write_chunk(&mut body, b"XMP ", xmp);
        }
        let size = u32::try_from(body.len()).map_err(|_| Error::Encode("a WebP holds at most 4 GiB".into()))?;
        out.write_all(b"RIFF").map_err(Error::Write)?;
        out.write_all(&size.to_le_bytes()).map_err(Error::Write)?;
        out.write_all(&body).map_err(Error::Write)?;
        Ok(out)
    }
}

impl<W: Write> std::fmt::Debug for WebpEncoder<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebpEncoder")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("frames bytes", &self.frames.len())
            .finish_non_exhaustive()
    }
}

impl<W: Write> AnimationEncoder<W> for WebpEncoder<W> {
    /// Kept for the `XMP ` chunk, written after the frames (where the WebP layout puts it).
    fn comment(&mut self, text: &str) -> Result<()> {
        self.xmp = Some(xmp_packet(text).into_bytes());
        Ok(())
    }

    fn push(&mut self, canvas: &Canvas, changed: Rect, duration: Duration) -> Result<()> {
        WebpEncoder::push(self, canvas, changed, duration)
    }

    fn finish(self: Box<Self>) -> Result<W> {
        WebpEncoder::finish(*self)
    }
}

/// Appends a RIFF chunk: its four-letter name, its size, its data, a pad byte to an even size.
fn write_chunk(out: &mut Vec<u8>, name: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(name);
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

/// The opening of the XMP packet, up to the description's text.
const XMP_OPEN: &str = "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\
<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">";
/// Its end, after the text.
const XMP_CLOSE: &str =
    "</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"r\"?>";

/// `comment` as an XMP packet: the image's `dc:description`, XML-escaped.
fn xmp_packet(comment: &str) -> String {
    let mut text = String::from(XMP_OPEN);
    for c in comment.chars() {
        match c {
            '&' => text.push_str("&amp;"),
            '<' => text.push_str("&lt;"),
            '>' => text.push_str("&gt;"),
            c if c.is_control() && c != '\n' && c != '\t' => text.push_str(&format!("&#x{:X};", u32::from(c))),
            c => text.push(c),
        }
    }
    text.push_str(XMP_CLOSE);
    text
}

/// The comment an XMP packet of [`xmp_packet`]'s holds (its `dc:description`), unescaped;
/// `None` for a packet without one.
#[must_use]
pub fn comment_of_xmp(xmp: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(xmp).ok()?;
    let start = text.find("<dc:description>")?;
    let open = text[start..].find("<rdf:li")? + start;
    let from = text[open..].find('>')? + open + 1;
    let to = text[from..].find("</rdf:li>")? + from;
    let mut out = String::new();
    let mut rest = &text[from..to];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let end = rest[amp..].find(';')? + amp;
        let entity = &rest[amp + 1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let hex = entity.strip_prefix("#x").map(|h| u32::from_str_radix(h, 16));
                let dec = entity.strip_prefix('#').map(str::parse::<u32>);
                char::from_u32(hex.or(dec)?.ok()?)?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comment_goes_through_xmp_and_back() {
        let comment = "made by: sgd-anim 0.1.0\ncommand: sgd-anim render --x 'a<b>&c' -o FILE.gif\u{1b}";
        let packet = xmp_packet(comment);
        assert!(!packet[XMP_OPEN.len()..].contains('\u{1b}') && packet.contains("&lt;b&gt;&amp;c"));
        assert_eq!(comment_of_xmp(packet.as_bytes()).as_deref(), Some(comment));
        assert_eq!(comment_of_xmp(b"<x:xmpmeta/>"), None);
    }

    #[test]
    fn sizes_webp_cannot_hold_are_errors() {
        let palette = Palette::new([255, 255, 255], &[]);
        for (w, h) in [(20_000, 10), (10, 0)] {
            let err = WebpEncoder::new(Vec::new(), w, h, &palette, &Timing::default()).unwrap_err();
            assert!(err.to_string().contains(&format!("{w}x{h}")), "{err}");
        }
    }
}
