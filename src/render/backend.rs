//! The plotters backend of our frames: it draws on an indexed [`Canvas`] through the palette.
//!
//! Its contract: every pixel plotters asks for is blended as a table lookup
//! `(index under, ink, coverage) -> index` ([`Palette::blend`]); a pixel outside the clip
//! rectangle is ignored; every pixel that changes grows [`CanvasBackend::dirty`], which is what
//! the encoder is told changed. On the background pass ([`Blender::Growing`]) new shades join
//! the palette; on frame passes ([`Blender::Frozen`]) the palette is fixed, so every frame is
//! exact and no per-frame quantisation happens. Drawing never fails (`Infallible`).

use crate::raster::{Canvas, Palette, Rect, Rgb};
use plotters_backend::{BackendColor, BackendCoord, DrawingBackend, DrawingErrorKind};

/// How the backend blends: growing the palette (background) or with its frozen table (frames).
#[derive(Debug)]
pub enum Blender<'a> {
    /// Background pass: new shades join the palette.
    Growing(&'a mut Palette),
    /// Frame pass: table lookups only.
    Frozen(&'a Palette),
}

/// A plotters backend over a [`Canvas`], clipped to a rectangle, recording what it changed.
pub struct CanvasBackend<'a> {
    canvas: &'a mut Canvas,
    blender: Blender<'a>,
    clip: Rect,
    /// Rectangles inside the clip left untouched (text drawn on top of everything).
    keep_out: &'a [Rect],
    /// The pixels this backend changed.
    pub dirty: Rect,
}

/// An ink ready to draw with on one backend: its colour, and on a frozen palette its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pen {
    rgb: Rgb,
    slot: Option<usize>,
}

impl std::fmt::Debug for CanvasBackend<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CanvasBackend").field("clip", &self.clip).field("dirty", &self.dirty).finish_non_exhaustive()
    }
}

impl<'a> CanvasBackend<'a> {
    /// A backend drawing into `canvas` inside `clip`.
    pub fn new(canvas: &'a mut Canvas, blender: Blender<'a>, clip: Rect) -> Self {
        CanvasBackend { canvas, blender, clip, keep_out: &[], dirty: Rect::EMPTY }
    }

    /// The same backend, leaving the pixels inside `rects` untouched.
    #[must_use]
    pub fn keeping_out(self, rects: &'a [Rect]) -> Self {
        CanvasBackend { keep_out: rects, ..self }
    }

    /// A pen of colour `rgb` for [`CanvasBackend::put`].
    #[must_use]
    pub fn pen(&self, rgb: Rgb) -> Pen {
        match &self.blender {
            Blender::Frozen(p) => Pen { rgb, slot: Some(p.ink_slot(rgb)) },
            Blender::Growing(_) => Pen { rgb, slot: None },
        }
    }

    /// How many coverage levels the palette keeps for `rgb` (see [`Palette::levels_of`]).
    #[must_use]
    pub fn levels(&self, rgb: Rgb) -> u8 {
        match &self.blender {
            Blender::Frozen(p) => p.levels_of(rgb),
            Blender::Growing(p) => p.levels_of(rgb),
        }
    }

    /// Blends `pen` at coverage `alpha` into the pixel at (x, y), if it lies inside the clip
    /// and outside every kept-out rectangle: what every shape and text draws through.
    #[inline]
    pub fn put(&mut self, x: i64, y: i64, pen: Pen, alpha: f64) {
        if alpha <= 0.0
            || x < i64::from(self.clip.x0)
            || y < i64::from(self.clip.y0)
            || x >= i64::from(self.clip.x1)
            || y >= i64::from(self.clip.y1)
        {
            return;
        }
        let (x, y) = (x as u32, y as u32);
        if self.keep_out.iter().any(|r| r.contains(x as i32, y as i32)) {
            return;
        }
        let i = y as usize * self.canvas.width as usize + x as usize;
        let under = self.canvas.pixels[i];
        let new = match (&mut self.blender, pen.slot) {
            (Blender::Frozen(p), Some(slot)) => p.blend_slot(under, slot, alpha),
            (Blender::Frozen(p), None) => p.blend(under, pen.rgb, alpha),
            (Blender::Growing(p), _) => p.blend_growing(under, pen.rgb, alpha),
        };
        if new != under {
            self.canvas.pixels[i] = new;
            self.dirty.include(x, y);
        }
    }

    /// [`CanvasBackend::put`] for a run of pixels of row `y`: `alphas[i]` at `x0 + i`, in
    /// order. The clip and the kept-out rectangles are resolved once for the row, the blend
    /// (a frozen ink's table) once for the run, and what changed grows `dirty` once.
    pub fn put_row(&mut self, y: i64, x0: i64, alphas: &[f64], pen: Pen) {
        let (lo, hi, kept, n_kept) = match self.row_span(y, x0, alphas.len()) {
            RowSpan::Nothing => return,
            RowSpan::Crowded(lo, hi) => {
                for x in lo..hi {
                    self.put(x, y, pen, alphas[(x - x0) as usize]);
                }
                return;
            }
            RowSpan::Run { lo, hi, kept, n_kept } => (lo, hi, kept, n_kept),
        };
        let kept = &kept[..n_kept];
        // Indexed as `put` indexes: from the row's start.
        let row = &mut self.canvas.pixels[y as usize * self.canvas.width as usize..];
        let run = &alphas[(lo - x0) as usize..(hi - x0) as usize];
        let skip = |alpha: f64| alpha <= 0.0;
        let changed = match (&mut self.blender, pen.slot) {
            (Blender::Frozen(p), Some(slot)) => {
                let table = p.slot_blender(slot);
                blend_run(row, lo, run, kept, skip, |under, alpha| table.blend(under, alpha))
            }
            (Blender::Frozen(p), None) => {
                blend_run(row, lo, run, kept, skip, |under, alpha| p.blend(under, pen.rgb, alpha))
            }
            (Blender::Growing(p), _) => {
                blend_run(row, lo, run, kept, skip, |under, alpha| p.blend_growing(under, pen.rgb, alpha))
            }
        };
        self.grow_dirty(y, changed);
    }

    /// [`CanvasBackend::put_row`] with each pixel's coverage a whole number of levels:
    /// `counts[i] / levels` at `x0 + i` (a count of 0 draws nothing). Where the pen's ink keeps
    /// `levels` levels in a frozen palette, the count is the blend table's level itself (a
    /// whole count `c` gives `min(c, levels)` through the division and rounding too, since
    /// `c / levels * levels` is within an ulp of `c`), so no pixel pays for either.
    pub fn put_levels_row(&mut self, y: i64, x0: i64, counts: &[f64], levels: u8, pen: Pen) {
        let direct = match (&self.blender, pen.slot) {
            (Blender::Frozen(p), Some(slot)) if levels > 0 => p.slot_blender(slot).levels() == levels,
            _ => false,
        };
        let (lo, hi, kept, n_kept) = match self.row_span(y, x0, counts.len()) {
            RowSpan::Run { lo, hi, kept, n_kept } if direct => (lo, hi, kept, n_kept),
            RowSpan::Nothing => return,
            _ => {
                let of = f64::from(levels);
                let alphas: Vec<f64> = counts.iter().map(|&c| if c > 0.0 { c / of } else { 0.0 }).collect();
                self.put_row(y, x0, &alphas, pen);
                return;
            }
        };
        let (Blender::Frozen(p), Some(slot)) = (&self.blender, pen.slot) else { unreachable!("checked above") };
        let table = p.slot_blender(slot);
        let kept = &kept[..n_kept];
        let row = &mut self.canvas.pixels[y as usize * self.canvas.width as usize..];
        let run = &counts[(lo - x0) as usize..(hi - x0) as usize];
        let most = f64::from(levels);
        let skip = |count: f64| count <= 0.0 || count.is_nan();
        let blend = |under, count: f64| {
            table.blend_level(under, if count >= most { usize::from(levels) } else { count as usize })
        };
        let changed = blend_run(row, lo, run, kept, skip, blend);
        self.grow_dirty(y, changed);
    }

    /// `pen` ready for [`CanvasBackend::put_coverage_row`]: on a frozen palette, the blend
    /// table's level for each of the 256 coverages worked out once (a mask has thousands of
    /// pixels, and only 256 coverages).
    #[must_use]
    pub fn coverage_pen(&self, pen: Pen) -> CoveragePen {
        let levels = match (&self.blender, pen.slot) {
            (Blender::Frozen(p), Some(slot)) => {
                let of = f64::from(p.slot_blender(slot).levels());
                // `Palette::level` of `c / 255`, as `SlotBlender::blend` works it out a pixel.
                Some(std::array::from_fn(|c| (FRACTION[c].clamp(0.0, 1.0) * of + 0.5) as u8))
            }
            _ => None,
        };
        CoveragePen { pen, levels }
    }

    /// [`CanvasBackend::put_row`] for a row of a coverage mask (text): `cov[i] / 255` at
    /// `x0 + i`. A coverage of 0 draws nothing, as there; the others blend through the
    /// pen's levels, so no pixel converts its coverage to a fraction and back.
    pub fn put_coverage_row(&mut self, y: i64, x0: i64, cov: &[u8], pen: &CoveragePen) {
        let (Some(levels), Some(slot), Blender::Frozen(p)) = (&pen.levels, pen.pen.slot, &self.blender) else {
            let alphas: Vec<f64> = cov.iter().map(|&c| FRACTION[usize::from(c)]).collect();
            self.put_row(y, x0, &alphas, pen.pen);
            return;
        };
        let (lo, hi, kept, n_kept) = match self.row_span(y, x0, cov.len()) {
            RowSpan::Nothing => return,
            RowSpan::Crowded(lo, hi) => {
                for x in lo..hi {
                    self.put(x, y, pen.pen, FRACTION[usize::from(cov[(x - x0) as usize])]);
                }
                return;
            }
            RowSpan::Run { lo, hi, kept, n_kept } => (lo, hi, kept, n_kept),
        };
        let table = p.slot_blender(slot);
        let kept = &kept[..n_kept];
        let row = &mut self.canvas.pixels[y as usize * self.canvas.width as usize..];
        let run = &cov[(lo - x0) as usize..(hi - x0) as usize];
        let skip = |c: u8| c == 0;
        let blend = |under, c: u8| table.blend_level(under, usize::from(levels[usize::from(c)]));
        let changed = blend_run(row, lo, run, kept, skip, blend);
        self.grow_dirty(y, changed);
    }

    /// Where a run of `len` pixels from `x0` on row `y` may draw: cut to the clip, with the
    /// kept-out stretches of the row (past a handful, pixel by pixel as `put` does).
    #[inline]
    fn row_span(&self, y: i64, x0: i64, len: usize) -> RowSpan {
        let c = self.clip;
        if y < i64::from(c.y0) || y >= i64::from(c.y1) {
            return RowSpan::Nothing;
        }
        let lo = x0.max(i64::from(c.x0));
        let hi = x0.saturating_add(len as i64).min(i64::from(c.x1));
        if lo >= hi {
            return RowSpan::Nothing;
        }
        let mut kept = [(0i64, 0i64); KEPT_A_ROW];
        let mut n_kept = 0;
        for r in self.keep_out.iter().filter(|r| y >= i64::from(r.y0) && y < i64::from(r.y1)) {
            if n_kept == KEPT_A_ROW {
                return RowSpan::Crowded(lo, hi);
            }
            kept[n_kept] = (i64::from(r.x0), i64::from(r.x1));
            n_kept += 1;
        }
        RowSpan::Run { lo, hi, kept, n_kept }
    }

    /// Grows `dirty` by the columns a run changed on row `y`.
    fn grow_dirty(&mut self, y: i64, changed: Option<(i64, i64)>) {
        if let Some((first, last)) = changed {
            let y = y as u32;
            self.dirty = self.dirty.union(Rect { x0: first as u32, y0: y, x1: last as u32 + 1, y1: y + 1 });
        }
    }

    /// Fills the whole pixels `[x0, x1) x [y0, y1)` with `pen` at full coverage (clipped, kept
    /// out of the kept-out rectangles): [`CanvasBackend::put`] for every pixel, a row at a time.
    pub fn fill(&mut self, x0: i64, y0: i64, x1: i64, y1: i64, pen: Pen) {
        let c = self.clip;
        let (x0, x1) = (x0.max(i64::from(c.x0)), x1.min(i64::from(c.x1)));
        let (y0, y1) = (y0.max(i64::from(c.y0)), y1.min(i64::from(c.y1)));
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        if !self.keep_out.is_empty() {
            for y in y0..y1 {
                for x in x0..x1 {
                    self.put(x, y, pen, 1.0);
                }
            }
            return;
        }
        let width = self.canvas.width as usize;
        let mut changed = Rect::EMPTY;
        // An ink at full coverage is its own colour over anything: one index for every pixel.
        let solid = match (&self.blender, pen.slot) {
            (Blender::Frozen(p), Some(slot)) => Some(p.blend_slot(0, slot, 1.0)),
            _ => None,
        };
        for y in y0..y1 {
            let row = y as usize * width;
            if let Some(index) = solid {
                let span = &mut self.canvas.pixels[row + x0 as usize..row + x1 as usize];
                if let (Some(first), Some(last)) = (first_other(span, index), last_other(span, index)) {
                    span.fill(index);
                    let (a, b) = (x0 as u32 + first as u32, x0 as u32 + last as u32 + 1);
                    changed = changed.union(Rect { x0: a, y0: y as u32, x1: b, y1: y as u32 + 1 });
                }
                continue;
            }
            for x in x0..x1 {
                let i = row + x as usize;
                let under = self.canvas.pixels[i];
                let new = match (&mut self.blender, pen.slot) {
                    (Blender::Frozen(p), Some(slot)) => p.blend_slot(under, slot, 1.0),
                    (Blender::Frozen(p), None) => p.blend(under, pen.rgb, 1.0),
                    (Blender::Growing(p), _) => p.blend_growing(under, pen.rgb, 1.0),
                };
                if new != under {
                    self.canvas.pixels[i] = new;
                    changed = changed.union(Rect { x0: x as u32, y0: y as u32, x1: x as u32 + 1, y1: y as u32 + 1 });
                }
            }
        }
        self.dirty = self.dirty.union(changed);
    }

    /// The rectangle it draws in.
    #[must_use]
    pub fn clip(&self) -> Rect {
        self.clip
    }

    /// The canvas's index at a pixel (`None` outside the canvas).
    #[must_use]
    pub fn index_at(&self, x: u32, y: u32) -> Option<u8> {
        (x < self.canvas.width && y < self.canvas.height)
            .then(|| self.canvas.pixels[y as usize * self.canvas.width as usize + x as usize])
    }
}

/// Each coverage of a mask as a fraction, `c / 255` (worked out by the compiler, to the bit).
pub(crate) const FRACTION: [f64; 256] = {
    let mut f = [0.0; 256];
    let mut c = 0;
    while c < 256 {
        f[c] = c as f64 / 255.0;
        c += 1;
    }
    f
};

/// A pen for coverage masks (see [`CanvasBackend::coverage_pen`]).
#[derive(Debug, Clone)]
pub struct CoveragePen {
    pen: Pen,
    /// The blend table's level for each coverage, on a frozen palette.
    levels: Option<[u8; 256]>,
}

/// Kept-out stretches a row resolves at once; a row crossing more is drawn pixel by pixel.
const KEPT_A_ROW: usize = 8;

/// Where a row's run draws (see [`CanvasBackend::row_span`]).
enum RowSpan {
    /// Nowhere: the row or the run lies outside the clip.
    Nothing,
    /// Columns `[lo, hi)`, among more kept-out rectangles than a row resolves at once.
    Crowded(i64, i64),
    /// Columns `[lo, hi)`, but for the first `n_kept` of `kept`.
    Run { lo: i64, hi: i64, kept: [(i64, i64); KEPT_A_ROW], n_kept: usize },
}

/// Pixels compared a block at a time when looking for one that differs (the compiler
/// compares a block in a few vector instructions).
const BLOCK: usize = 32;

/// The first position in `span` not holding `index`.
fn first_other(span: &[u8], index: u8) -> Option<usize> {
    let mut blocks = span.chunks_exact(BLOCK);
    let mut start = 0;
    for block in &mut blocks {
        if block.iter().fold(0, |any, &p| any | (p ^ index)) != 0 {
            return block.iter().position(|&p| p != index).map(|i| start + i);
        }
        start += BLOCK;
    }
    blocks.remainder().iter().position(|&p| p != index).map(|i| start + i)
}

/// The last position in `span` not holding `index`.
fn last_other(span: &[u8], index: u8) -> Option<usize> {
    let mut blocks = span.rchunks_exact(BLOCK);
    let mut end = span.len();
    for block in &mut blocks {
        end -= BLOCK;
        if block.iter().fold(0, |any, &p| any | (p ^ index)) != 0 {
            return block.iter().rposition(|&p| p != index).map(|i| end + i);
        }
    }
    blocks.remainder().iter().rposition(|&p| p != index)
}

/// Blends `run[i]` into `row[lo + i]` (but those `skip` says draw nothing, and the `kept`
/// stretches), in order; returns the first and last column it changed.
#[inline]
fn blend_run<T: Copy>(
    row: &mut [u8],
    lo: i64,
    run: &[T],
    kept: &[(i64, i64)],
    skip: impl Fn(T) -> bool,
    mut blend: impl FnMut(u8, T) -> u8,
) -> Option<(i64, i64)> {
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    for (x, &coverage) in (lo..).zip(run) {
        if skip(coverage) || kept.iter().any(|&(a, b)| x >= a && x < b) {
            continue;
        }
        let pixel = &mut row[x as usize];
        let new = blend(*pixel, coverage);
        if new != *pixel {
            *pixel = new;
            first = first.min(x);
            last = x;
        }
    }
    (first <= last).then_some((first, last))
}

impl DrawingBackend for CanvasBackend<'_> {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width, self.canvas.height)
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    #[inline]
    fn draw_pixel(
        &mut self,
        (x, y): BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let pen = Pen { rgb: [color.rgb.0, color.rgb.1, color.rgb.2], slot: None };
        self.put(i64::from(x), i64::from(y), pen, color.alpha);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::Ink;

    /// A palette with two inks closed over the page, frozen or not.
    fn palette(frozen: bool) -> Palette {
        let inks = [Ink { rgb: [0, 0, 200], levels: 4 }, Ink { rgb: [200, 0, 0], levels: 3 }];
        let mut p = Palette::new([255, 255, 255], &inks);
        if frozen {
            for ink in inks {
                p.close_over(ink.rgb, &[0]);
            }
            p.freeze();
        }
        p
    }

    /// A row of coverage: its y, its first x and the coverages.
    type Row = (i64, i64, Vec<f64>);

    /// Rows of coverage (some none, some over 1, some negative) drawn twice over the same
    /// pixels, so runs blend over earlier runs.
    fn rows() -> Vec<Row> {
        let mut s = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..120)
            .map(|k| {
                let (y, x0) = (i64::from(k % 40) - 3, (next() * 46.0) as i64 - 6);
                let len = (next() * 30.0) as usize;
                (y, x0, (0..len).map(|_| next() * 1.4 - 0.2).collect())
            })
            .collect()
    }

    #[test]
    fn the_first_and_last_other_pixels_are_found_in_any_block() {
        for len in [0usize, 1, 31, 32, 33, 64, 95, 200] {
            for (a, b) in [
                (None, None),
                (Some(0), Some(0)),
                (Some(len / 3), Some(len / 2)),
                (Some(len / 2), Some(len.saturating_sub(1))),
            ] {
                let mut span = vec![7u8; len];
                for at in [a, b].into_iter().flatten().filter(|&i| i < len) {
                    span[at] = 3;
                }
                let want = (span.iter().position(|&p| p != 7), span.iter().rposition(|&p| p != 7));
                assert_eq!((first_other(&span, 7), last_other(&span, 7)), want, "{len}: {a:?} {b:?}");
            }
        }
    }

    /// Draws `rows()` with `draw(reference, tested, k, (y, x0, alphas), pen)` into two backends,
    /// with a clip and kept-out rectangles, on growing and frozen palettes, with and without an
    /// ink's slot, and asserts that both changed the same pixels to the same indices, grew the
    /// palette in the same order and report the same rectangle.
    fn agrees_with_reference(draw: impl Fn(&mut CanvasBackend<'_>, &mut CanvasBackend<'_>, usize, Row, Pen)) {
        let clip = Rect { x0: 2, y0: 1, x1: 37, y1: 33 };
        let keep = [Rect { x0: 10, y0: 5, x1: 14, y1: 20 }, Rect { x0: 12, y0: 15, x1: 30, y1: 18 }];
        for (frozen, kept, ink) in [
            (false, &keep[..], [0, 0, 200]),
            (true, &keep[..], [0, 0, 200]),
            (true, &[][..], [200, 0, 0]),
            (true, &keep[..], [9, 9, 9]),
        ] {
            let (mut by_reference, mut by_tested) = (palette(frozen), palette(frozen));
            let (mut a, mut b) = (Canvas::filled(40, 36, 0), Canvas::filled(40, 36, 0));
            let (one_blender, run_blender) = if frozen {
                (Blender::Frozen(&by_reference), Blender::Frozen(&by_tested))
            } else {
                (Blender::Growing(&mut by_reference), Blender::Growing(&mut by_tested))
            };
            let mut one = CanvasBackend::new(&mut a, one_blender, clip).keeping_out(kept);
            let mut run = CanvasBackend::new(&mut b, run_blender, clip).keeping_out(kept);
            for (k, row) in rows().into_iter().enumerate() {
                let pen = if ink == [9, 9, 9] { Pen { rgb: ink, slot: None } } else { one.pen(ink) };
                draw(&mut one, &mut run, k, row, pen);
            }
            assert_eq!(one.dirty, run.dirty, "frozen {frozen}, kept {}", kept.len());
            assert!(!one.dirty.is_empty());
            assert_eq!(a, b, "frozen {frozen}, kept {}", kept.len());
            assert_eq!(by_reference.colors(), by_tested.colors());
        }
    }

    /// `put_row` and `put_levels_row` change the same pixels to the same indices, grow the
    /// palette in the same order and report the same rectangle as `put` pixel by pixel.
    #[test]
    fn a_row_is_its_pixels_put_one_by_one() {
        agrees_with_reference(|one, run, k, (y, x0, alphas), pen| {
            if k % 2 == 0 {
                for (i, &alpha) in alphas.iter().enumerate() {
                    one.put(x0 + i as i64, y, pen, alpha);
                }
                run.put_row(y, x0, &alphas, pen);
                return;
            }
            // Whole levels (none, some, all, more than all) of the ink's own count and of another.
            let levels = if k % 4 == 1 { one.levels(pen.rgb) } else { 3 };
            let counts: Vec<f64> = alphas.iter().map(|a| (a * f64::from(levels + 2)).floor()).collect();
            for (i, &count) in counts.iter().enumerate() {
                if count > 0.0 {
                    one.put(x0 + i as i64, y, pen, count / f64::from(levels));
                }
            }
            run.put_levels_row(y, x0, &counts, levels, pen);
        });
    }

    /// `put_coverage_row` changes the same pixels to the same indices, and reports the same
    /// rectangle, as `put_row` with each coverage as its fraction, on every palette and pen.
    #[test]
    fn a_coverage_row_is_its_fractions() {
        agrees_with_reference(|one, run, k, (y, x0, alphas), pen| {
            // Every coverage, zeros among them.
            let cov: Vec<u8> = alphas.iter().enumerate().map(|(i, a)| ((a * 300.0) as usize + i * k) as u8).collect();
            let fractions: Vec<f64> = cov.iter().map(|&c| f64::from(c) / 255.0).collect();
            one.put_row(y, x0, &fractions, pen);
            run.put_coverage_row(y, x0, &cov, &run.coverage_pen(pen));
        });
        // Every coverage over every colour: the level table is the blend's own level.
        let p = palette(true);
        for ink in [[0, 0, 200], [200, 0, 0]] {
            let (mut c, slot) = (Canvas::filled(1, 1, 0), p.ink_slot(ink));
            let backend = CanvasBackend::new(&mut c, Blender::Frozen(&p), Rect::EMPTY);
            let levels = backend.coverage_pen(backend.pen(ink)).levels.unwrap();
            let table = p.slot_blender(slot);
            for (under, coverage) in (0..p.colors().len() as u8).flat_map(|u| (0..=255u8).map(move |c| (u, c))) {
                let want = table.blend(under, f64::from(coverage) / 255.0);
                assert_eq!(table.blend_level(under, usize::from(levels[usize::from(coverage)])), want);
            }
        }
    }
}
