//! GIF writing: the scene's global palette, frames cut to the rectangle of pixels that changed
//! (disposal "keep"; the unchanged pixels in it filled whichever of two ways compresses
//! better), delays in centiseconds, the loop extension.

use super::delta::{changed_spans, Span};
use super::lzw::{min_code_size, LzwEncoder, Shown};
use super::stretches::{fill_stretches_in_place, Rows};
use super::{AnimationEncoder, Timing};
use crate::error::{Error, Result};
use crate::raster::{Canvas, Palette, Rect};
use std::io::Write;

/// Our error for one of the gif crate's (whose type stays out of our API). Today its only
/// other variant is `Format`; one a later gif adds is an encoding error too.
#[allow(clippy::match_wildcard_for_single_variants)]
fn gif_err(e: gif::EncodingError) -> Error {
    match e {
        gif::EncodingError::Io(e) => Error::Write(e),
        other => Error::Encode(other.to_string()),
    }
}

/// Writes frames of one size and palette, each cut to what changed since the previous one.
pub struct DeltaEncoder<W: Write> {
    encoder: gif::Encoder<W>,
    width: u32,
    height: u32,
    transparent: u8,
    started: bool,
    /// The filling that won the last trial by a clear margin, and for how many more frames it
    /// is used without trying the other (see [`DeltaEncoder::push`]).
    settled: Option<(Filling, u8)>,
    buffers: Buffers,
}

/// The two ways to fill a delta frame's unchanged pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filling {
    /// The transparent index, with what is shown taken where it extends a match.
    Transparent,
    /// Stretches of what is shown ([`fill_stretches`]: `stretches.rs`).
    Stretches,
}

/// Frames that keep a clear winner without a trial of the other filling. With a 10 % margin
/// the post's 22 GIFs grow 0.37 % and the grid's CPU falls about 11 % (issue 22, lever 2;
/// 8 frames with 20 %: +0.12 %, -4 %; never a second trial: +2.0 %, -30 %).
const SETTLED_FRAMES: u8 = 8;
/// A winner is clear when the other stream is this many percent longer.
const CLEAR_MARGIN_PERCENT: usize = 10;

/// The filling whose stream (`transparent` or `stretches` bytes long) is shorter than the
/// other's by more than [`CLEAR_MARGIN_PERCENT`], if one is.
fn clear_winner(transparent: usize, stretches: usize) -> Option<Filling> {
    let clear = |won: usize, lost: usize| lost * 100 > won * (100 + CLEAR_MARGIN_PERCENT);
    if clear(transparent, stretches) {
        Some(Filling::Transparent)
    } else if clear(stretches, transparent) {
        Some(Filling::Stretches)
    } else {
        None
    }
}

/// An encoder's working memory: what is shown, the frame's fillings, the LZW tables and the
/// compressed streams. Nothing in it carries over from one frame's output to the next
/// animation's: each frame clears what it uses and each stream resets the LZW tables.
#[derive(Debug, Default)]
struct Buffers {
    shown: Vec<u8>,
    /// The first filling: the changed pixels, the transparent index elsewhere; then, once its
    /// stream is written, the second filling, made from it in place (see [`fill_stretches`]).
    scratch: Vec<u8>,
    /// The span of each row of the frame's box that holds its changed pixels.
    spans: Vec<Span>,
    lzw: LzwEncoder,
    compressed: Vec<u8>,
    compressed_other: Vec<u8>,
}

impl Buffers {
    /// Cuts `rect` (whose rows' spans are in `self.spans`) out of `canvas` into `scratch`:
    /// the changed pixels, the transparent index `t` elsewhere; `shown` becomes `canvas`.
    /// Only the spans are compared: outside them nothing changed. Returns the largest
    /// symbol written.
    fn cut(&mut self, canvas: &Canvas, rect: Rect, t: u8) -> u8 {
        let (w, box_width) = (canvas.width as usize, rect.width() as usize);
        self.scratch.clear();
        self.scratch.resize(box_width * rect.height() as usize, t);
        let mut top = t;
        let rows = self.spans.iter().zip(self.scratch.chunks_exact_mut(box_width));
        for (y, (&(x0, x1), out)) in (rect.y0 as usize..).zip(rows) {
            let span = y * w + x0 as usize..y * w + x1 as usize;
            let (new, old) = (&canvas.pixels[span.clone()], &mut self.shown[span]);
            let out = &mut out[(x0 - rect.x0) as usize..(x1 - rect.x0) as usize];
            // Branch-free, so it vectorises; what is shown becomes the frame in the same pass.
            for ((s, &n), o) in out.iter_mut().zip(new).zip(old.iter_mut()) {
                *s = if n == *o { t } else { n };
                *o = n;
            }
            top = top.max(out.iter().copied().max().unwrap_or(t));
        }
        top
    }
}

thread_local! {
    /// The buffers of the last encoder this thread finished, for its next one: a grid's
    /// worker allocates them once, not once per animation (at 640x480 about 1.3 MB for what
    /// is shown and the fillings, plus 2 MiB reserved for the LZW run codes, of which a
    /// stream touches a few pages). A thread keeps them until it ends.
    static SPARE: std::cell::RefCell<Option<Buffers>> = const { std::cell::RefCell::new(None) };
}

impl<W: Write> DeltaEncoder<W> {
    /// Starts a GIF on `out` with the palette as its global colour table. A size the GIF's
    /// 16-bit fields cannot hold (0, or above 65535) is an error, never truncated.
    pub fn new(out: W, width: u32, height: u32, palette: &Palette, timing: &Timing) -> Result<Self> {
        let side = |v: u32| u16::try_from(v).ok().filter(|&v| v > 0);
        let (Some(w16), Some(h16)) = (side(width), side(height)) else {
            return Err(Error::Encode(format!("a GIF is 1 to 65535 pixels a side, not {width}x{height}")));
        };
        let mut encoder = gif::Encoder::new(out, w16, h16, &palette.gif_table()).map_err(gif_err)?;
        match timing.loop_count {
            None => encoder.set_repeat(gif::Repeat::Infinite).map_err(gif_err)?,
            Some(1) => {} // no loop extension: play once
            Some(n) => {
                let repeats = u16::try_from(n - 1).unwrap_or(u16::MAX);
                encoder.set_repeat(gif::Repeat::Finite(repeats)).map_err(gif_err)?;
            }
        }
        Ok(DeltaEncoder {
            encoder,
            width,
            height,
            transparent: palette.transparent_index(),
            started: false,
            settled: None,
            buffers: SPARE.with(|spare| spare.borrow_mut().take()).unwrap_or_default(),
        })
    }

    /// Writes a comment extension (block 0xFE: text that decoders skip and tools such as
    /// `sgd-anim info` or `gifsicle --info` show) at this point of the file; called before the
    /// first frame, it sits in the header, where readers look first.
    pub fn comment(&mut self, text: &str) -> Result<()> {
        let label = gif::Extension::Comment.into();
        self.encoder.write_raw_extension(label, &[text.as_bytes()]).map_err(Error::Write)
    }

    /// Adds a frame. `region` must hold every pixel that differs from the previous frame.
    pub fn push(&mut self, canvas: &Canvas, region: Rect, delay_cs: u16) -> Result<()> {
        self.push_regions(canvas, &[region], delay_cs)
    }

    /// Adds a frame. Every pixel that differs from the previous frame must lie in one of
    /// `regions` (which may overlap); only they are compared, the same frame is written as
    /// [`DeltaEncoder::push`] of their union writes.
    pub fn push_regions(&mut self, canvas: &Canvas, regions: &[Rect], delay_cs: u16) -> Result<()> {
        debug_assert_eq!((canvas.width, canvas.height), (self.width, self.height));
        let t = self.transparent;
        if !self.started {
            self.started = true;
            let b = &mut self.buffers;
            b.shown.clone_from(&canvas.pixels);
            let frame = gif::Frame {
                width: self.width as u16,
                height: self.height as u16,
                delay: delay_cs,
                dispose: gif::DisposalMethod::Keep,
                ..Default::default()
            };
            let code_size = min_code_size(&canvas.pixels).max(min_code_size(&[t]));
            compress(&mut b.lzw, &canvas.pixels, None, code_size, t, &mut b.compressed);
            return self.write(frame);
        }
        let b = &mut self.buffers;
        let changed = changed_spans(&b.shown, canvas, regions, &mut b.spans);
        let rect = if changed.is_empty() {
            b.spans.push((0, 0));
            Rect { x0: 0, y0: 0, x1: 1, y1: 1 }
        } else {
            changed
        };
        let top = b.cut(canvas, rect, t);
        // What each pixel of the box shows now: a transparent pixel may be written as this.
        let w = self.width as usize;
        let shown = Shown::new(&canvas.pixels[rect.y0 as usize * w + rect.x0 as usize..], rect.width() as usize, w);
        // Two fillings of the unchanged pixels; the shorter stream is written. One that won by
        // a clear margin is used alone for the next few frames (the frames of a run change
        // alike), then both are tried again.
        let only = match self.settled {
            Some((filling, left)) if left > 0 => {
                self.settled = Some((filling, left - 1));
                Some(filling)
            }
            _ => None,
        };
        if only != Some(Filling::Stretches) {
            compress(&mut b.lzw, &b.scratch, Some(shown), min_code_size(&[top]), t, &mut b.compressed);
        }
        if only != Some(Filling::Transparent) {
            // The first filling's stream is written: the second is made over it, not a copy.
            let rows = Rows { spans: &b.spans, x0: rect.x0, width: rect.width() as usize };
            let top_stretches = fill_stretches_in_place(&mut b.scratch, Some(&rows), shown, t).max(top);
            compress(&mut b.lzw, &b.scratch, None, min_code_size(&[top_stretches]), t, &mut b.compressed_other);
        }
        let stretches_win = if let Some(filling) = only {
            filling == Filling::Stretches
        } else {
            let (a, s) = (b.compressed.len(), b.compressed_other.len());
            self.settled = clear_winner(a, s).map(|filling| (filling, SETTLED_FRAMES));
            s < a
        };
        if stretches_win {
            std::mem::swap(&mut b.compressed, &mut b.compressed_other);
        }
        self.write(gif::Frame {
            left: rect.x0 as u16,
            top: rect.y0 as u16,
            width: rect.width() as u16,
            height: rect.height() as u16,
            delay: delay_cs,
            dispose: gif::DisposalMethod::Keep,
            transparent: Some(t),
            ..Default::default()
        })
    }

    /// Writes a frame whose data is in `self.buffers.compressed`.
    fn write(&mut self, frame: gif::Frame<'static>) -> Result<()> {
        let frame = gif::Frame { buffer: std::borrow::Cow::Borrowed(&self.buffers.compressed), ..frame };
        self.encoder.write_lzw_pre_encoded_frame(&frame).map_err(gif_err)
    }

    /// Ends the GIF and returns the writer. The buffers go back to the thread, for its next
    /// encoder.
    pub fn finish(self) -> Result<W> {
        let DeltaEncoder { encoder, buffers, .. } = self;
        SPARE.with(|spare| *spare.borrow_mut() = Some(buffers));
        encoder.into_inner().map_err(Error::Write)
    }
}

impl<W: Write> std::fmt::Debug for DeltaEncoder<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeltaEncoder")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("transparent", &self.transparent)
            .field("started", &self.started)
            .finish_non_exhaustive()
    }
}

impl<W: Write> AnimationEncoder<W> for DeltaEncoder<W> {
    fn comment(&mut self, text: &str) -> Result<()> {
        DeltaEncoder::comment(self, text)
    }

    /// The duration is stored in whole centiseconds, at least two (see [`Timing`]).
    fn push(&mut self, canvas: &Canvas, changed: Rect, duration: std::time::Duration) -> Result<()> {
        DeltaEncoder::push(self, canvas, changed, super::duration_to_cs(duration))
    }

    fn push_regions(&mut self, canvas: &Canvas, regions: &[Rect], duration: std::time::Duration) -> Result<()> {
        DeltaEncoder::push_regions(self, canvas, regions, super::duration_to_cs(duration))
    }

    fn finish(self: Box<Self>) -> Result<W> {
        DeltaEncoder::finish(*self)
    }
}

/// WebP fills its frames the second way too.
pub(super) use super::stretches::fill_stretches;

/// The GIF image data of `pixels` (minimum code size, then the LZW stream) into `out`.
/// `code_size` holds every symbol of `pixels` and the transparent index. Where `pixels` holds
/// the transparent index, `alternates` (if given) says what is shown there.
fn compress(
    lzw: &mut LzwEncoder,
    pixels: &[u8],
    alternates: Option<Shown>,
    code_size: u8,
    transparent: u8,
    out: &mut Vec<u8>,
) {
    out.clear();
    out.push(code_size);
    lzw.encode_with_alternates(pixels, alternates, code_size, transparent, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, Rng, SeedableRng};

    /// A palette of `n` colours (white and shades of blue); its transparent index is `n`.
    fn palette(n: usize) -> Palette {
        let mut p = Palette::new([255, 255, 255], &[]);
        for k in 1..n {
            p.blend_growing(0, [0, (k * 5) as u8, 255], 1.0);
        }
        assert_eq!(p.colors().len(), n);
        p
    }

    /// Frames like ours: a page with a few shapes, then per frame a rectangle redrawn (some
    /// of its pixels keep their colour); each with the rectangle that may have changed.
    fn animation(width: u32, height: u32, frames: usize, colours: u8, seed: u64) -> Vec<(Canvas, Rect)> {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut canvas = Canvas::filled(width, height, 0);
        for (i, p) in canvas.pixels.iter_mut().enumerate() {
            if (i / 7) % 11 == 0 {
                *p = 1 + (i % usize::from(colours - 1)) as u8;
            }
        }
        let mut out = vec![(canvas.clone(), canvas.bounds())];
        for _ in 1..frames {
            let (x0, y0) = (rng.random_range(0..width), rng.random_range(0..height));
            let r = Rect { x0, y0, x1: rng.random_range(x0 + 1..=width), y1: rng.random_range(y0 + 1..=height) };
            let ink = rng.random_range(0..colours);
            for y in r.y0..r.y1 {
                for x in r.x0..r.x1 {
                    if rng.random_bool(0.3) {
                        canvas.pixels[(y * width + x) as usize] = if rng.random_bool(0.7) { ink } else { 0 };
                    }
                }
            }
            out.push((canvas.clone(), r));
        }
        out
    }

    fn encode(frames: &[(Canvas, Rect)], palette: &Palette) -> Vec<u8> {
        let (w, h) = (frames[0].0.width, frames[0].0.height);
        let mut encoder = DeltaEncoder::new(Vec::new(), w, h, palette, &Timing::default()).unwrap();
        for (canvas, region) in frames {
            encoder.push(canvas, *region, 2).unwrap();
        }
        encoder.finish().unwrap()
    }

    /// Every frame of `bytes`, composed as a viewer shows it, as palette indices.
    fn decode(bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut options = ::gif::DecodeOptions::new();
        options.set_color_output(::gif::ColorOutput::Indexed);
        let mut decoder = options.read_info(bytes).unwrap();
        let width = usize::from(decoder.width());
        let mut shown = vec![0u8; width * usize::from(decoder.height())];
        let mut frames = vec![];
        while let Some(f) = decoder.read_next_frame().unwrap() {
            for (k, &index) in f.buffer.iter().enumerate() {
                let (x, y) =
                    (usize::from(f.left) + k % usize::from(f.width), usize::from(f.top) + k / usize::from(f.width));
                if Some(index) != f.transparent {
                    shown[y * width + x] = index;
                }
            }
            frames.push(shown.clone());
        }
        frames
    }

    #[test]
    fn a_filling_is_settled_only_when_it_wins_by_more_than_the_margin() {
        assert_eq!(clear_winner(100, 111), Some(Filling::Transparent));
        assert_eq!(clear_winner(100, 110), None, "10 % is not more than 10 %");
        assert_eq!(clear_winner(111, 100), Some(Filling::Stretches));
        assert_eq!(clear_winner(100, 100), None);
        assert_eq!(clear_winner(0, 0), None);
    }
    /// The buffers a thread's encoders share change no byte: an animation encoded after
    /// others (larger, smaller, with more colours) equals the same animation encoded on a
    /// fresh thread, and both decode to the frames given.
    #[test]
    fn a_threads_later_encoders_write_what_a_fresh_one_writes() {
        let (small, wide) = (palette(5), palette(40));
        let target = animation(37, 29, 25, 5, 1);
        let fresh = std::thread::spawn({
            let (target, small) = (target.clone(), small.clone());
            move || encode(&target, &small)
        })
        .join()
        .unwrap();
        let decoded = decode(&fresh);
        assert_eq!(decoded.len(), target.len());
        for (k, (frame, (canvas, _))) in decoded.iter().zip(&target).enumerate() {
            assert!(*frame == canvas.pixels, "frame {k} decodes to other pixels");
        }
        let others = [(animation(90, 70, 30, 40, 2), &wide), (animation(8, 5, 10, 5, 3), &small)];
        for (other, palette) in &others {
            encode(other, palette);
            assert!(
                encode(&target, &small) == fresh,
                "after an animation of {}x{}",
                other[0].0.width,
                other[0].0.height
            );
        }
    }

    #[test]
    fn sizes_a_gif_cannot_hold_are_errors_not_truncated() {
        let palette = Palette::new([255, 255, 255], &[]);
        for (w, h) in [(70_000, 10), (10, 0), (0, 10)] {
            let err = DeltaEncoder::new(Vec::new(), w, h, &palette, &Timing::default()).unwrap_err();
            assert!(err.to_string().contains(&format!("{w}x{h}")), "{err}");
        }
        assert!(DeltaEncoder::new(Vec::new(), 65_535, 1, &palette, &Timing::default()).is_ok());
    }
}
