//! The second way to fill a delta frame's unchanged pixels (gifsicle's), which the GIF
//! encoder tries beside the first (the transparent index, with what is shown as alternates)
//! and the WebP encoder uses alone: a stretch of unchanged pixels that shows one colour keeps
//! it. In a GIF's frame the box's rows are known to be transparent outside their spans (see
//! `delta`), so a stretch's end is looked for inside the spans only, not byte by byte through
//! the rows between the changes.

use super::delta::Span;
use super::lzw::{leading, Shown};

/// The second way to fill a frame's unchanged pixels (gifsicle's): a stretch of them, in
/// raster order, that shows one colour keeps that colour, so it merges with changed pixels
/// of that colour next to it (an erased line and the page around it); a stretch that shows
/// several colours stays transparent. Returns the largest colour it filled a stretch with (0
/// if none).
pub(super) fn fill_stretches(pixels: &[u8], shown: &[u8], transparent: u8, out: &mut Vec<u8>) -> u8 {
    out.clear();
    out.extend_from_slice(pixels);
    fill_stretches_in_place(out, None, Shown::contiguous(shown), transparent)
}

/// [`fill_stretches`] over `pixels` itself (the first filling becomes the second: a delta
/// frame's box is copied once less), with what is shown read in place (rows of the canvas).
/// With `rows`, `pixels` is a box whose rows are transparent outside their spans. A stretch
/// is searched for after the last one filled, so what was filled is never read.
pub(super) fn fill_stretches_in_place(pixels: &mut [u8], rows: Option<&Rows>, mut shown: Shown, transparent: u8) -> u8 {
    let (mut top, mut i) = (0, 0);
    // The row of `rows` the last stretch ended in: stretches come in raster order.
    let mut row = 0;
    while let Some(k) = memchr::memchr(transparent, &pixels[i..]) {
        let start = i + k;
        let end = match rows {
            Some(rows) => rows.end_of_run(pixels, start, transparent, &mut row),
            None => start + leading(&pixels[start..], transparent),
        };
        if let Some(colour) = shown.uniform(start, end) {
            pixels[start..end].fill(colour);
            top = top.max(colour);
        }
        i = end;
    }
    top
}

/// A frame's box as rows of `width` pixels, each transparent outside its span (`spans[y]`,
/// in the canvas's columns; the box's left edge is at column `x0`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Rows<'a> {
    /// One span a row of the box, top to bottom.
    pub spans: &'a [Span],
    /// The box's left edge, in the canvas's columns.
    pub x0: u32,
    /// The box's width.
    pub width: usize,
}

impl Rows<'_> {
    /// Where the run of `transparent` that starts at `start` ends in `pixels` (the box, row
    /// by row): only the spans are read; a row's pixels outside its span, and the rows with
    /// an empty span, are passed over at once. `row` is a row at or before `start`'s (a
    /// cursor, moved forward to the row where the run ends, so no division finds it).
    fn end_of_run(&self, pixels: &[u8], start: usize, transparent: u8, row: &mut usize) -> usize {
        while (*row + 1) * self.width <= start {
            *row += 1;
        }
        let mut from = start;
        while let Some(&(a, b)) = self.spans.get(*row) {
            let line = *row * self.width;
            let (a, b) = (line + a.saturating_sub(self.x0) as usize, line + b.saturating_sub(self.x0) as usize);
            let inside = from.max(a);
            if inside < b {
                let end = inside + leading(&pixels[inside..b], transparent);
                if end < b {
                    return end;
                }
            }
            from = line + self.width;
            *row += 1;
        }
        pixels.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::lzw::LzwEncoder;
    use rand::{rngs::StdRng, Rng, SeedableRng};

    /// The filling as first written: stretch by stretch.
    fn reference_stretches(pixels: &[u8], shown: &[u8], t: u8) -> Vec<u8> {
        let mut out = pixels.to_vec();
        let mut i = 0;
        while let Some(k) = pixels[i..].iter().position(|&p| p == t) {
            let start = i + k;
            let end = start + pixels[start..].iter().take_while(|&&p| p == t).count();
            if shown[start..end].iter().all(|&c| c == shown[start]) {
                out[start..end].fill(shown[start]);
            }
            i = end;
        }
        out
    }

    #[test]
    fn stretches_equal_the_stretch_by_stretch_filling() {
        use rand::{rngs::StdRng, Rng, SeedableRng};
        let mut rng = StdRng::seed_from_u64(7);
        let t = 9;
        for trial in 0..400 {
            let len = rng.random_range(0..if trial % 4 == 0 { 3000 } else { 80 });
            // Runs of page colours (few colour edges), sometimes noise; changed pixels here and there.
            let mut shown = vec![];
            while shown.len() < len {
                let run = if rng.random_bool(0.2) { 1 } else { rng.random_range(1..200) };
                shown.extend(std::iter::repeat_n(rng.random_range(0..4u8), run.min(len - shown.len())));
            }
            let changed = rng.random_range(0.0..0.6);
            let pixels: Vec<u8> = shown.iter().map(|&c| if rng.random_bool(changed) { c } else { t }).collect();
            let mut out = vec![];
            let top = fill_stretches(&pixels, &shown, t, &mut out);
            let expected = reference_stretches(&pixels, &shown, t);
            assert_eq!(out, expected, "trial {trial}");
            let filled = pixels.iter().zip(&expected).filter(|&(&p, &e)| p == t && e != t).map(|(_, &e)| e);
            assert_eq!(top, filled.max().unwrap_or(0), "trial {trial}");
        }
    }

    /// What is shown, read in place from the canvas's rows, gives what a copy of the box
    /// gives: the same second filling and the same LZW stream with alternates.
    #[test]
    fn the_shown_box_read_in_place_equals_a_copy_of_it() {
        let mut rng = StdRng::seed_from_u64(9);
        let t = 9;
        let mut lzw = LzwEncoder::default();
        for trial in 0..200 {
            let (width, height) = (rng.random_range(1..70usize), rng.random_range(1..30usize));
            // A canvas in runs of page colours; a box of it; its pixels mostly unchanged.
            let mut canvas = vec![];
            while canvas.len() < width * height {
                let run = if rng.random_bool(0.3) { 1 } else { rng.random_range(1..120) };
                canvas.extend(std::iter::repeat_n(rng.random_range(0..4u8), run));
            }
            canvas.truncate(width * height);
            let (x0, y0) = (rng.random_range(0..width), rng.random_range(0..height));
            let (x1, y1) = (rng.random_range(x0 + 1..=width), rng.random_range(y0 + 1..=height));
            let copy: Vec<u8> = (y0..y1).flat_map(|y| canvas[y * width + x0..y * width + x1].to_vec()).collect();
            let changed = rng.random_range(0.0..0.5);
            let pixels: Vec<u8> = copy.iter().map(|&c| if rng.random_bool(changed) { c } else { t }).collect();
            let in_place = || Shown::new(&canvas[y0 * width + x0..], x1 - x0, width);
            let (mut from_copy, mut from_canvas) = (vec![], pixels.clone());
            let top = fill_stretches(&pixels, &copy, t, &mut from_copy);
            assert_eq!(fill_stretches_in_place(&mut from_canvas, None, in_place(), t), top, "trial {trial}");
            assert_eq!(from_canvas, from_copy, "trial {trial}");
            let (mut stream_copy, mut stream_canvas) = (vec![], vec![]);
            lzw.encode_with_alternates(&pixels, Some(Shown::contiguous(&copy)), 4, t, &mut stream_copy);
            lzw.encode_with_alternates(&pixels, Some(in_place()), 4, t, &mut stream_canvas);
            assert!(stream_canvas == stream_copy, "trial {trial}: {}x{} box", x1 - x0, y1 - y0);
        }
    }

    #[test]
    fn one_colour_stretches_keep_their_colour_mixed_ones_stay_transparent() {
        let t = 9;
        // Unchanged (t) stretches, in raster order: [1..3) shows 0 0, [4..7) shows 0 5 0, [8..) shows 5.
        let pixels = [3, t, t, 4, t, t, t, 2, t];
        let shown = [3, 0, 0, 4, 0, 5, 0, 2, 5];
        let mut out = vec![];
        fill_stretches(&pixels, &shown, t, &mut out);
        assert_eq!(out, vec![3, 0, 0, 4, t, t, t, 2, 5]);
    }

    /// A box whose rows are transparent outside their spans (some empty, some the whole
    /// row, the changes in runs) filled with its rows known gives what the plain search gives.
    #[test]
    fn stretches_found_in_the_spans_equal_those_found_byte_by_byte() {
        let mut rng = StdRng::seed_from_u64(11);
        let t = 9;
        for trial in 0..500 {
            let (width, height) = (rng.random_range(1..50usize), rng.random_range(1..30usize));
            let x0 = rng.random_range(0..20u32);
            let mut shown = vec![];
            while shown.len() < width * height {
                let run = if rng.random_bool(0.3) { 1 } else { rng.random_range(1..3 * width) };
                shown.extend(std::iter::repeat_n(rng.random_range(0..4u8), run));
            }
            shown.truncate(width * height);
            let (mut pixels, mut spans) = (vec![t; width * height], vec![]);
            for y in 0..height {
                let (a, b) = match rng.random_range(0..4) {
                    0 => {
                        let a = rng.random_range(0..=width);
                        (a, a)
                    }
                    1 => (0, width),
                    _ => {
                        let a = rng.random_range(0..width);
                        (a, rng.random_range(a + 1..=width))
                    }
                };
                // Inside the span: changed pixels (their colour or another), and unchanged ones.
                let changed = rng.random_range(0.0..1.0);
                for x in a..b {
                    if rng.random_bool(changed) {
                        let k = y * width + x;
                        pixels[k] = if rng.random_bool(0.5) { shown[k] } else { rng.random_range(0..4) };
                    }
                }
                spans.push((a as u32 + x0, b as u32 + x0));
            }
            let rows = Rows { spans: &spans, x0, width };
            let mut plain = vec![];
            let top = fill_stretches(&pixels, &shown, t, &mut plain);
            let mut in_rows = pixels.clone();
            assert_eq!(fill_stretches_in_place(&mut in_rows, Some(&rows), Shown::contiguous(&shown), t), top);
            assert_eq!(in_rows, plain, "trial {trial}: {width}x{height}, spans {spans:?}");
        }
    }
}
