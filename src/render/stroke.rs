//! Anti-aliased shapes at fractional pixel positions, drawn a row at a time through the
//! backend ([`CanvasBackend::put_row`], so they blend through the palette, clip and report what
//! they change like everything else): thick segments with round caps (a polyline is its
//! segments, joined seamlessly by the caps), filled discs, crisp axis-aligned bars, and
//! coverage masks (text).
//!
//! Coverage is the distance from the pixel's centre to the shape's edge, clamped to one pixel:
//! `clamp(r + 0.5 - d, 0, 1)`, what a one-pixel box filter gives for straight edges.

#[cfg(test)]
use super::backend::FRACTION;
use super::backend::{CanvasBackend, Pen};
use super::text::Mask;
use crate::raster::round::{ceil, floor};
use crate::raster::Rgb;

/// A point in canvas pixels; (0, 0) is the top-left corner of the top-left pixel, whose centre
/// is (0.5, 0.5).
pub type Point = (f64, f64);

/// The segment `a`-`b`, `width` pixels wide with round caps, at `opacity`.
///
/// Coverage is quantised to the ink's levels across the line, not pixel by pixel: along each
/// cross-section (a column of a line nearer horizontal, a row of a steeper one) the running
/// sum of coverage is rounded and each pixel gets what the rounded sum grew by. The levels a
/// cross-section holds then add up to the line's width wherever it lies, so its weight does
/// not swell and thin along its length (rounding each pixel alone drew light and dark bands).
pub fn segment(backend: &mut CanvasBackend<'_>, a: Point, b: Point, width: f64, ink: Rgb, opacity: f64) {
    let pen: Pen = backend.pen(ink);
    let coords = [a.0, a.1, b.0, b.1];
    if !coords.iter().all(|v| v.is_finite() && v.abs() < 1e7) {
        return;
    }
    let levels_kept = backend.levels(ink).max(1);
    let levels = f64::from(levels_kept);
    let line = Line::new(a, b, width, opacity);
    let (reach, dx, dy) = (line.reach, line.dx, line.dy);
    let columns = dx.abs() >= dy.abs();
    let clip = backend.clip();
    let x_first = (floor(a.0.min(b.0) - reach) as i64).max(i64::from(clip.x0));
    let x_end = (ceil(a.0.max(b.0) + reach) as i64).min(i64::from(clip.x1));
    // Per column (a line nearer horizontal): the coverage summed down to the row before, and
    // the levels drawn for it.
    let span = if columns { (x_end - x_first).max(0) as usize } else { 0 };
    let (mut sum, mut drawn) = (vec![0.0f64; span], vec![0.0f64; span]);
    let y_lo = (floor(a.1.min(b.1) - reach) as i64).max(i64::from(clip.y0));
    let y_hi = (ceil(a.1.max(b.1) + reach) as i64).min(i64::from(clip.y1));
    // One row's coverage in whole levels, written as a run.
    let mut run: Vec<f64> = Vec::new();
    for y in y_lo..y_hi {
        let yc = y as f64 + 0.5;
        // The part of the segment within `reach` of this row, as a span of x.
        let (t0, t1) = if dy.abs() < 1e-12 {
            if (a.1 - yc).abs() > reach {
                continue;
            }
            (0.0, 1.0)
        } else {
            let (u, v) = ((yc - reach - a.1) / dy, (yc + reach - a.1) / dy);
            (u.min(v).max(0.0), u.max(v).min(1.0))
        };
        if t0 > t1 {
            continue;
        }
        let (xa, xb) = (a.0 + t0 * dx, a.0 + t1 * dx);
        let x_lo = (floor(xa.min(xb) - reach) as i64).max(x_first);
        let x_hi = (ceil(xa.max(xb) + reach) as i64).min(x_end);
        let (x_lo, full_lo, full_hi, x_hi) = line.split_row(yc, x_lo, x_hi);
        if x_lo >= x_hi {
            continue;
        }
        run.clear();
        run.resize((x_hi - x_lo) as usize, 0.0);
        let (left, rest) = run.split_at_mut((full_lo - x_lo) as usize);
        let (full, right) = rest.split_at_mut((full_hi - full_lo) as usize);
        line.cover(left, x_lo, yc);
        // Coverage 1 (`clamp` gives 1.0, times the opacity).
        full.fill(opacity);
        line.cover(right, full_hi, yc);
        // The coverage, summed along the cross-section, turned into whole levels in place:
        // down each column (pixels independent of each other), or along the row.
        if columns {
            let c = (x_lo - x_first) as usize..(x_hi - x_first) as usize;
            for ((cell, total), done) in run.iter_mut().zip(&mut sum[c.clone()]).zip(&mut drawn[c]) {
                to_levels(cell, total, done, levels);
            }
        } else {
            let (mut total, mut done) = (0.0, 0.0);
            for cell in &mut run {
                to_levels(cell, &mut total, &mut done, levels);
            }
        }
        backend.put_levels_row(y, x_lo, &run, levels_kept, pen);
    }
}

/// How far from its decided side a pixel's centre must lie, in pixels, before its coverage is
/// taken to be 0 or 1 without working it out. The distances worked out for a pixel, and the
/// ends of a row's stretches, are within about 1e-5 pixels of the true ones (coordinates below
/// 1e7, slants at least 1 in 1000, so no sum or product is above 3e10 and each rounds by less
/// than 1e-5), below this margin.
const MARGIN: f64 = 1e-3;

/// A segment's geometry, and what each pixel's coverage is worked out from.
struct Line {
    a: Point,
    dx: f64,
    dy: f64,
    /// The squared length, or 1 for a dot (`a` = `b`): its one point is the nearest for every
    /// pixel (t = 0, as 0 / 1 is).
    len2_or_one: f64,
    /// How far from the middle line a pixel's centre is still touched: half the width and half a pixel.
    reach: f64,
    opacity: f64,
    /// How rows are cut down to the pixels the line touches (see [`Line::split_row`]); `None`
    /// for a dot, a line within 1 in 1000 of level or upright, or a value not finite.
    split: Option<Split>,
}

/// What [`Line::split_row`] works from, once a segment, so a row costs products, not divisions.
struct Split {
    /// How far the line through the segment moves along x for one pixel down (`dx / dy`).
    across: f64,
    /// Half the stretch of a row nearer that line than `reach` (and a margin): `reach len / |dy|`.
    outer: f64,
    /// The same for `reach - 1` (less a margin), where coverage is 1; 0 or less for none.
    inner: f64,
    /// How far the centres whose nearest point is `a` (t = 0) move along x for one pixel down
    /// (`-dy / dx`), and how far from those the centres nearest `b` (t = 1) are (`len2 / dx`).
    start_across: f64,
    length_across: f64,
}

impl Line {
    fn new(a: Point, b: Point, width: f64, opacity: f64) -> Line {
        let reach = width / 2.0 + 0.5;
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        let len2_or_one = if len2 > 0.0 { len2 } else { 1.0 };
        let len = len2.sqrt();
        let slanted = dx.abs() >= len / 1000.0 && dy.abs() >= len / 1000.0;
        let split = (len2 > 0.0 && slanted && reach.abs() < 1e3 && opacity.is_finite()).then(|| Split {
            across: dx / dy,
            outer: (reach + MARGIN) * len / dy.abs(),
            inner: (reach - 1.0 - MARGIN) * len / dy.abs(),
            start_across: -dy / dx,
            length_across: len2 / dx,
        });
        Line { a, dx, dy, len2_or_one, reach, opacity, split }
    }

    /// The coverage of pixels `x0..` of the row whose centres lie at `yc`, one a cell: the
    /// distance from the centre to the nearest point of the segment, as a box filter sees it.
    #[inline]
    fn cover(&self, cells: &mut [f64], x0: i64, yc: f64) {
        let (a, dx, dy, len2, reach) = (self.a, self.dx, self.dy, self.len2_or_one, self.reach);
        // Without a dependence from pixel to pixel, so the compiler can do several at once.
        let x0 = x0 as f64 + 0.5;
        for (i, cell) in cells.iter_mut().enumerate() {
            // Exact: whole numbers and halves far below 2^52.
            let xc = x0 + f64::from(i as i32);
            let t = (((xc - a.0) * dx + (yc - a.1) * dy) / len2).clamp(0.0, 1.0);
            let (px, py) = (a.0 + t * dx - xc, a.1 + t * dy - yc);
            *cell = (reach - (px * px + py * py).sqrt()).clamp(0.0, 1.0) * self.opacity;
        }
    }

    /// The pixels `[lo, hi)` of the row whose centres lie at `yc`, as `(first, full_lo,
    /// full_hi, end)`: those outside `[first, end)` have coverage 0, and those in `[full_lo,
    /// full_hi)` coverage 1, both by a [`MARGIN`] (so that is what [`Line::cover`] gives them
    /// too, to the bit). A pixel further than `reach` from the line through the segment is
    /// further from the segment too; one nearer than `reach - 1` whose nearest point on that
    /// line lies on the segment is that near the segment.
    fn split_row(&self, yc: f64, lo: i64, hi: i64) -> (i64, i64, i64, i64) {
        let Some(s) = &self.split else { return (lo, hi, hi, hi) };
        let q = yc - self.a.1;
        // Where the line through the segment crosses the row.
        let centre = self.a.0 + q * s.across;
        let (first, end) = centres((centre - s.outer, centre + s.outer), lo, hi);
        if first >= end {
            return (first, first, first, first);
        }
        if s.inner <= 0.0 {
            return (first, end, end, end);
        }
        // The centres whose nearest point on that line lies on the segment: 0 <= t <= 1.
        let start = self.a.0 + q * s.start_across;
        let (u, v) = (start, start + s.length_across);
        let within = ((centre - s.inner).max(u.min(v) + MARGIN), (centre + s.inner).min(u.max(v) - MARGIN));
        match centres(within, first, end) {
            (full_lo, full_hi) if full_lo < full_hi => (first, full_lo, full_hi, end),
            _ => (first, end, end, end),
        }
    }
}

/// The pixels of `[lo, hi)` whose centres lie in `[x0, x1]`, as a range of columns.
fn centres((x0, x1): (f64, f64), lo: i64, hi: i64) -> (i64, i64) {
    let first = (ceil(x0 - 0.5) as i64).max(lo);
    let end = (floor(x1 - 0.5) as i64).saturating_add(1).min(hi);
    (first, end.max(first))
}

/// One pixel of a cross-section: its coverage `cell` joins the running sum `total`, and
/// becomes the whole levels the rounded sum grew by since `done`, the levels drawn so far.
#[inline]
fn to_levels(cell: &mut f64, total: &mut f64, done: &mut f64, levels: f64) {
    *total += *cell;
    let upto = floor(*total * levels + 0.5);
    *cell = upto - *done;
    *done = upto;
}

/// A filled disc of `radius` pixels centred at `c`.
pub fn disc(backend: &mut CanvasBackend<'_>, c: Point, radius: f64, ink: Rgb, opacity: f64) {
    let pen: Pen = backend.pen(ink);
    if !(c.0.is_finite() && c.1.is_finite()) || c.0.abs() > 1e7 || c.1.abs() > 1e7 {
        return;
    }
    let reach = radius + 0.5;
    // Only the part inside the clip: the backend would leave the rest untouched.
    let (x0, x1, rows) = clipped(backend, c, reach);
    let mut run = Vec::with_capacity((x1 - x0).max(0) as usize);
    for y in rows {
        run.clear();
        for x in x0..x1 {
            let (px, py) = (x as f64 + 0.5 - c.0, y as f64 + 0.5 - c.1);
            let d = (px * px + py * py).sqrt();
            run.push((reach - d).clamp(0.0, 1.0) * opacity);
        }
        backend.put_row(y, x0, &run, pen);
    }
}

/// The columns `[x0, x1)` and the rows of a round shape reaching `reach` from `c`, cut to the
/// backend's clip.
fn clipped(backend: &CanvasBackend<'_>, c: Point, reach: f64) -> (i64, i64, std::ops::Range<i64>) {
    let clip = backend.clip();
    let x0 = (floor(c.0 - reach) as i64).max(i64::from(clip.x0));
    let x1 = (ceil(c.0 + reach) as i64).min(i64::from(clip.x1));
    let y0 = (floor(c.1 - reach) as i64).max(i64::from(clip.y0));
    let y1 = (ceil(c.1 + reach) as i64).min(i64::from(clip.y1));
    (x0, x1, y0..y1)
}

/// A ring (circle outline) `width` pixels wide of `radius` pixels centred at `c`.
pub fn ring(backend: &mut CanvasBackend<'_>, c: Point, radius: f64, width: f64, ink: Rgb) {
    let pen: Pen = backend.pen(ink);
    let reach = radius + width / 2.0 + 0.5;
    // Only the part inside the clip: the backend would leave the rest untouched.
    let (x0, x1, rows) = clipped(backend, c, reach);
    let mut run = Vec::with_capacity((x1 - x0).max(0) as usize);
    for y in rows {
        run.clear();
        for x in x0..x1 {
            let (px, py) = (x as f64 + 0.5 - c.0, y as f64 + 0.5 - c.1);
            let d = ((px * px + py * py).sqrt() - radius).abs();
            run.push((width / 2.0 + 0.5 - d).clamp(0.0, 1.0));
        }
        backend.put_row(y, x0, &run, pen);
    }
}

/// A crisp filled rectangle of whole pixels `[x0, x1) x [y0, y1)`: spines and ticks, which
/// matplotlib snaps to the pixel grid.
pub fn bar(backend: &mut CanvasBackend<'_>, x0: i64, y0: i64, x1: i64, y1: i64, ink: Rgb) {
    let pen: Pen = backend.pen(ink);
    backend.fill(x0, y0, x1, y1, pen);
}

/// A coverage mask (text) in `ink` over its halo: the mask grown by `radius` pixels, in
/// `page`, so it reads over whatever lies under it. Returns the halo's rectangle.
pub fn haloed(backend: &mut CanvasBackend<'_>, m: &Mask, radius: u32, ink: Rgb, page: Rgb) -> crate::raster::Rect {
    let halo = m.halo(radius);
    mask(backend, &halo, page);
    mask(backend, m, ink);
    halo.rect()
}

/// A coverage mask (text) in `ink`.
pub fn mask(backend: &mut CanvasBackend<'_>, m: &Mask, ink: Rgb) {
    let pen = backend.coverage_pen(backend.pen(ink));
    let w = m.w as usize;
    for (row, cov) in m.cov.chunks_exact(w.max(1)).take(m.h as usize).enumerate() {
        backend.put_coverage_row(i64::from(m.top) + row as i64, i64::from(m.left), cov, &pen);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::{Canvas, Ink, Palette, Rect};
    use crate::render::backend::Blender;

    fn canvas_with(draw: impl FnOnce(&mut CanvasBackend<'_>)) -> (Canvas, Palette) {
        let ink = Ink { rgb: [0, 0, 0], levels: 8 };
        let mut palette = Palette::new([255, 255, 255], &[ink]);
        let mut canvas = Canvas::filled(40, 40, 0);
        let bounds = canvas.bounds();
        let mut backend = CanvasBackend::new(&mut canvas, Blender::Growing(&mut palette), bounds);
        draw(&mut backend);
        (canvas, palette)
    }

    fn ink_sum(c: &Canvas, p: &Palette) -> f64 {
        c.pixels.iter().map(|&i| 1.0 - f64::from(p.colors()[i as usize][0]) / 255.0).sum()
    }

    /// The segment as it was drawn before rows were cut to the pixels it touches: every
    /// pixel's coverage worked out.
    fn reference(backend: &mut CanvasBackend<'_>, a: Point, b: Point, width: f64, ink: Rgb, opacity: f64) {
        let pen: Pen = backend.pen(ink);
        let coords = [a.0, a.1, b.0, b.1];
        if !coords.iter().all(|v| v.is_finite() && v.abs() < 1e7) {
            return;
        }
        let levels_kept = backend.levels(ink).max(1);
        let levels = f64::from(levels_kept);
        let r = width / 2.0;
        let reach = r + 0.5;
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        // A dot (`a` = `b`): its one point is the nearest for every pixel (t = 0, as 0 / 1 is).
        let len2_or_one = if len2 > 0.0 { len2 } else { 1.0 };
        let columns = dx.abs() >= dy.abs();
        let clip = backend.clip();
        let x_first = (floor(a.0.min(b.0) - reach) as i64).max(i64::from(clip.x0));
        let x_end = (ceil(a.0.max(b.0) + reach) as i64).min(i64::from(clip.x1));
        // Per column (a line nearer horizontal): the coverage summed down to the row before, and
        // the levels drawn for it.
        let span = if columns { (x_end - x_first).max(0) as usize } else { 0 };
        let (mut sum, mut drawn) = (vec![0.0f64; span], vec![0.0f64; span]);
        let y_lo = (floor(a.1.min(b.1) - reach) as i64).max(i64::from(clip.y0));
        let y_hi = (ceil(a.1.max(b.1) + reach) as i64).min(i64::from(clip.y1));
        // One row's coverage in whole levels, written as a run.
        let mut run: Vec<f64> = Vec::new();
        for y in y_lo..y_hi {
            let yc = y as f64 + 0.5;
            // The part of the segment within `reach` of this row, as a span of x.
            let (t0, t1) = if dy.abs() < 1e-12 {
                if (a.1 - yc).abs() > reach {
                    continue;
                }
                (0.0, 1.0)
            } else {
                let (u, v) = ((yc - reach - a.1) / dy, (yc + reach - a.1) / dy);
                (u.min(v).max(0.0), u.max(v).min(1.0))
            };
            if t0 > t1 {
                continue;
            }
            let (xa, xb) = (a.0 + t0 * dx, a.0 + t1 * dx);
            let x_lo = (floor(xa.min(xb) - reach) as i64).max(x_first);
            let x_hi = (ceil(xa.max(xb) + reach) as i64).min(x_end);
            // Without a dependence from pixel to pixel, so the compiler can do several at once.
            run.clear();
            run.resize((x_hi - x_lo).max(0) as usize, 0.0);
            let x0 = x_lo as f64 + 0.5;
            for (i, cell) in run.iter_mut().enumerate() {
                // Exact: whole numbers and halves far below 2^52.
                let xc = x0 + f64::from(i as i32);
                let t = (((xc - a.0) * dx + (yc - a.1) * dy) / len2_or_one).clamp(0.0, 1.0);
                let (px, py) = (a.0 + t * dx - xc, a.1 + t * dy - yc);
                *cell = (reach - (px * px + py * py).sqrt()).clamp(0.0, 1.0) * opacity;
            }
            // The coverage, summed along the cross-section, turned into whole levels in place.
            let (mut row_sum, mut row_drawn) = (0.0, 0.0);
            for (x, cell) in (x_lo..x_hi).zip(run.iter_mut()) {
                let (total, done) = if columns {
                    let c = (x - x_first) as usize;
                    (&mut sum[c], &mut drawn[c])
                } else {
                    (&mut row_sum, &mut row_drawn)
                };
                *total += *cell;
                let upto = floor(*total * levels + 0.5);
                *cell = upto - *done;
                *done = upto;
            }
            backend.put_levels_row(y, x_lo, &run, levels_kept, pen);
        }
    }

    /// A simple random stream (an LCG), so the test is the same every run.
    fn stream(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Segments of every slant, width and opacity, partly off the canvas and the clip, drawn
    /// over each other: every pixel, the palette and the changed rectangle are the
    /// reference's (each pixel worked out), on frozen and growing palettes.
    #[test]
    fn a_segment_draws_the_pixels_of_every_pixel_worked_out() {
        let mut next = stream(0x2545_f491_4f6c_dd1d);
        let widths = [0.3, 0.7, 1.0, 1.456, 2.08, 2.5, 3.0, 5.5, 9.0];
        for (k, levels) in [2u8, 3, 4, 8, 16].into_iter().cycle().take(20).enumerate() {
            let ink = Ink { rgb: [0, 0, 200], levels };
            let mut palettes = [Palette::new([255, 255, 255], &[ink]), Palette::new([255, 255, 255], &[ink])];
            let frozen = k % 4 != 3;
            if frozen {
                for p in &mut palettes {
                    p.close_over(ink.rgb, &[0]);
                    p.freeze();
                }
            }
            let [mut p_new, mut p_old] = palettes;
            let (mut c_new, mut c_old) = (Canvas::filled(64, 48, 0), Canvas::filled(64, 48, 0));
            let clip = if k % 2 == 0 { c_new.bounds() } else { Rect { x0: 5, y0: 3, x1: 57, y1: 41 } };
            let blenders = if frozen {
                (Blender::Frozen(&p_new), Blender::Frozen(&p_old))
            } else {
                (Blender::Growing(&mut p_new), Blender::Growing(&mut p_old))
            };
            {
                let mut new = CanvasBackend::new(&mut c_new, blenders.0, clip);
                let mut old = CanvasBackend::new(&mut c_old, blenders.1, clip);
                for j in 0..60 {
                    let mut point = || (next() * 104.0 - 20.0, next() * 88.0 - 20.0);
                    let (a, mut b) = (point(), point());
                    // Level, upright, nearly level, a dot, 45 degrees, either side of 1 in 1000.
                    match j % 8 {
                        0 => b.1 = a.1,
                        1 => b.0 = a.0,
                        2 => b.1 = a.1 + 1e-13,
                        3 => b = a,
                        4 => b = (a.0 + 20.0, a.1 - 20.0),
                        5 => b = (a.0 + 40.0, a.1 + 0.0399),
                        6 => b = (a.0 - 0.0401, a.1 + 40.0),
                        _ => {}
                    }
                    let width = if j % 3 == 0 { next() * 8.0 } else { widths[j % widths.len()] };
                    let opacity = if j % 5 == 0 { next() } else { 1.0 };
                    segment(&mut new, a, b, width, ink.rgb, opacity);
                    reference(&mut old, a, b, width, ink.rgb, opacity);
                    assert_eq!(new.dirty, old.dirty, "{k} {j}: {a:?} {b:?} {width} {opacity}");
                }
                assert!(!new.dirty.is_empty());
            }
            assert_eq!(c_new, c_old, "{k}, {levels} levels");
            assert_eq!(p_new.colors(), p_old.colors());
        }
    }

    #[test]
    fn a_segment_covers_its_area() {
        // 20 px long, 2 px wide, plus two round caps of radius 1: 40 + pi.
        let (c, p) = canvas_with(|b| segment(b, (10.0, 10.0), (30.0, 25.0), 2.0, [0, 0, 0], 1.0));
        let area = ink_sum(&c, &p);
        let want = 25.0 * 2.0 + std::f64::consts::PI;
        assert!((area - want).abs() < 0.08 * want, "{area} vs {want}");
    }

    #[test]
    fn a_segment_of_one_point_is_a_round_dot() {
        // Both caps at one point: a disc of radius 3, pi * 9 of ink.
        let (c, p) = canvas_with(|b| segment(b, (20.3, 19.6), (20.3, 19.6), 6.0, [0, 0, 0], 1.0));
        let area = ink_sum(&c, &p);
        let want = std::f64::consts::PI * 9.0;
        assert!((area - want).abs() < 0.08 * want, "{area} vs {want}");
    }

    #[test]
    fn a_disc_covers_its_area_and_opacity_scales_it() {
        let (c, p) = canvas_with(|b| disc(b, (20.3, 19.6), 5.0, [0, 0, 0], 1.0));
        let want = std::f64::consts::PI * 25.0;
        assert!((ink_sum(&c, &p) - want).abs() < 0.05 * want, "{}", ink_sum(&c, &p));
        let (c, p) = canvas_with(|b| disc(b, (20.3, 19.6), 5.0, [0, 0, 0], 0.5));
        assert!((ink_sum(&c, &p) - want / 2.0).abs() < 0.08 * want / 2.0, "{}", ink_sum(&c, &p));
    }

    /// A shallow line's weight is the same all along it: every column across its middle
    /// holds the same ink within one coverage level (rounding each pixel alone let the sum
    /// swing by more as the line crossed pixel rows: light and dark bands).
    #[test]
    fn a_line_has_no_bands() {
        for levels in [2u8, 3, 4] {
            let ink = Ink { rgb: [0, 0, 0], levels };
            let mut palette = Palette::new([255, 255, 255], &[ink]);
            let mut canvas = Canvas::filled(200, 40, 0);
            let bounds = canvas.bounds();
            let mut backend = CanvasBackend::new(&mut canvas, Blender::Growing(&mut palette), bounds);
            segment(&mut backend, (5.0, 12.3), (195.0, 27.9), 2.08, [0, 0, 0], 1.0);
            let column = |x: u32| -> f64 {
                (0..40)
                    .map(|y| {
                        1.0 - f64::from(palette.colors()[canvas.pixels[(y * 200 + x) as usize] as usize][0]) / 255.0
                    })
                    .sum()
            };
            let sums: Vec<f64> = (20..180).map(column).collect();
            let (lo, hi) = sums.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &s| (lo.min(s), hi.max(s)));
            assert!(hi - lo <= 1.0 / f64::from(levels) + 0.01, "{levels} levels: column sums from {lo} to {hi}");
        }
    }

    #[test]
    fn mask_fractions_are_the_division() {
        for c in 0..=255u8 {
            assert_eq!(FRACTION[usize::from(c)].to_bits(), (f64::from(c) / 255.0).to_bits(), "{c}");
        }
    }

    #[test]
    fn far_off_shapes_draw_nothing_and_do_not_hang() {
        let (c, _) = canvas_with(|b| {
            segment(b, (1e300, 5.0), (f64::NAN, 3.0), 2.0, [0, 0, 0], 1.0);
            segment(b, (-1e6, -1e6), (-1e6 + 1.0, -1e6), 2.0, [0, 0, 0], 1.0);
            disc(b, (f64::INFINITY, 0.0), 3.0, [0, 0, 0], 1.0);
        });
        assert!(c.pixels.iter().all(|&i| i == 0));
    }
}
