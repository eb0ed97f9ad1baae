//! Text as matplotlib draws it: `DejaVu` Sans (shipped in `assets/`), laid out with the font's
//! advances and kerning at fractional positions, each glyph rasterised once per size and
//! quarter-pixel offset and kept (a glyph cache), so a caption redrawn every frame costs
//! lookups and copies, not outline rasterisation.
//!
//! A string becomes a [`Mask`]: its coverage (0-255) at a place on the canvas. The mask is then
//! drawn through the backend like any other shape, so text blends through the palette with the
//! same rules as lines (see `backend.rs`); a halo is the mask grown by a few pixels and drawn
//! in the page colour first. Like matplotlib, a string's origin is snapped to whole pixels
//! and its glyphs are placed at fractional offsets from it.

use crate::raster::round::round;
use crate::raster::Rect;
use ab_glyph::{point, Font, FontRef, GlyphId, PxScale};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use std::sync::OnceLock;

mod cache;
#[cfg(test)]
use cache::SIZES_KEPT;
use cache::{KeyHasher, SizeMetrics, SIZES};

/// `DejaVu` Sans, matplotlib's default face, with its licence in `assets/`.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// The bundled font, parsed once per process. No system font is ever read.
fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        FontRef::try_from_slice(FONT_BYTES)
            .unwrap_or_else(|_| unreachable!("the bundled font is a valid TrueType file"))
    })
}

/// Pixels per point at matplotlib's default 100 dots per inch.
pub const PX_PER_PT: f64 = 100.0 / 72.0;

/// Horizontal glyph positions are rounded to this fraction of a pixel (the cache keeps one
/// bitmap per glyph, size and offset).
const SUBPIXELS: f32 = 4.0;

/// One string laid out at one size: glyphs and their pen positions from the origin.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLayout {
    glyphs: Vec<(GlyphId, f32)>,
    /// Font size in pixels per em.
    px: f32,
    /// Advance width of the whole string, in pixels.
    pub width: f64,
    /// Height above the baseline of a line of text (matplotlib measures "lp"), in pixels.
    pub ascent: f64,
    /// Depth below the baseline of a line of text, in pixels.
    pub descent: f64,
}

/// The font's scale for `px` pixels per em (`ab_glyph` scales by the font's whole height).
fn scale(px: f32) -> PxScale {
    let f = font();
    let per_em = f.units_per_em().unwrap_or(2048.0);
    PxScale::from(px * f.height_unscaled() / per_em)
}

/// Lays `text` out at `px` pixels per em: each glyph's advance plus the kerning with the one
/// before, as fractions of a pixel. What a size's glyphs, advances, kerning and line box are
/// is looked up once per thread ([`SizeMetrics`]): a caption's digits laid out every frame cost
/// table reads, not font lookups.
#[must_use]
pub fn layout(text: &str, px: f64) -> TextLayout {
    let px = px as f32;
    SIZES.with(|sizes| {
        let mut sizes = sizes.borrow_mut();
        let metrics = SizeMetrics::of(&mut sizes, px);
        let mut glyphs = Vec::with_capacity(text.len());
        let mut pen = 0.0f32;
        let mut previous: Option<(GlyphId, char)> = None;
        for c in text.chars() {
            let (id, advance) = metrics.glyph(c);
            if let Some((p, pc)) = previous {
                pen += metrics.kern((p, pc), (id, c));
            }
            glyphs.push((id, pen));
            pen += advance;
            previous = Some((id, c));
        }
        let (ascent, descent) = metrics.extent;
        TextLayout { glyphs, px, width: f64::from(pen), ascent, descent }
    })
}

/// Ascent of "l" and descent of "p" at `px` pixels per em: matplotlib's line box.
fn line_extent(px: f32) -> (f64, f64) {
    let f = font();
    let s = scale(px);
    let bounds = |c: char| {
        let g = f.glyph_id(c).with_scale_and_position(s, point(0.0, 0.0));
        f.outline_glyph(g).map(|o| o.px_bounds())
    };
    let ascent = bounds('l').map_or(f64::from(px) * 0.76, |b| -f64::from(b.min.y));
    let descent = bounds('p').map_or(f64::from(px) * 0.21, |b| f64::from(b.max.y));
    (ascent, descent)
}

/// A coverage bitmap placed on the canvas: `cov[(y * w + x)]` at canvas pixel
/// `(left + x, top + y)`, 0 (nothing) to 255 (fully covered).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mask {
    /// Canvas column of the first column.
    pub left: i32,
    /// Canvas row of the first row.
    pub top: i32,
    /// Width in pixels.
    pub w: u32,
    /// Height in pixels.
    pub h: u32,
    /// Coverage, row-major.
    pub cov: Vec<u8>,
}

/// One glyph's bitmap at one size and sub-pixel offset, relative to its pen position.
#[derive(Debug)]
struct GlyphBitmap {
    left: i32,
    top: i32,
    w: u32,
    h: u32,
    cov: Vec<u8>,
}

type GlyphKey = (u16, u32, u8);

thread_local! {
    /// Glyphs rasterised on this thread. Each thread keeps its own, so no lock is taken and
    /// the pixels never depend on which thread drew first (a bitmap is a pure function of its key).
    static GLYPHS: RefCell<HashMap<GlyphKey, Rc<GlyphBitmap>, BuildHasherDefault<KeyHasher>>> =
        RefCell::new(HashMap::default());
}

/// The bitmap of glyph `id` at `px` per em, drawn `sub / SUBPIXELS` of a pixel right of its pen.
fn glyph(id: GlyphId, px: f32, sub: u8) -> Rc<GlyphBitmap> {
    let key = (id.0, px.to_bits(), sub);
    GLYPHS.with(|cache| {
        if let Some(g) = cache.borrow().get(&key) {
            return Rc::clone(g);
        }
        let f = font();
        let g = id.with_scale_and_position(scale(px), point(f32::from(sub) / SUBPIXELS, 0.0));
        let bitmap = match f.outline_glyph(g) {
            Some(outline) => {
                let b = outline.px_bounds();
                let (w, h) = (b.width() as u32, b.height() as u32);
                let mut cov = vec![0u8; w as usize * h as usize];
                outline.draw(|x, y, c| {
                    if x < w && y < h {
                        cov[(y * w + x) as usize] = (c.clamp(0.0, 1.0) * 255.0).round() as u8;
                    }
                });
                GlyphBitmap { left: b.min.x as i32, top: b.min.y as i32, w, h, cov }
            }
            None => GlyphBitmap { left: 0, top: 0, w: 0, h: 0, cov: vec![] },
        };
        let bitmap = Rc::new(bitmap);
        cache.borrow_mut().insert(key, Rc::clone(&bitmap));
        bitmap
    })
}

impl TextLayout {
    /// The string's coverage with its origin (left end of the baseline) at `(x, baseline)`,
    /// both rounded to whole pixels as matplotlib places text.
    #[must_use]
    pub fn mask(&self, x: f64, baseline: f64) -> Mask {
        let (ox, oy) = (x.round() as i32, baseline.round() as i32);
        let placed: Vec<(i32, Rc<GlyphBitmap>)> = self
            .glyphs
            .iter()
            .map(|&(id, pen)| {
                // `f32::round` of the same value, without its libm call.
                let quarters = round(f64::from(pen * SUBPIXELS)) as i32;
                let (whole, sub) = (quarters.div_euclid(SUBPIXELS as i32), quarters.rem_euclid(SUBPIXELS as i32));
                (ox + whole, glyph(id, self.px, sub as u8))
            })
            .collect();
        let mut bounds: Option<(i32, i32, i32, i32)> = None;
        for (gx, g) in placed.iter().filter(|(_, g)| g.w > 0) {
            let b = (gx + g.left, oy + g.top, gx + g.left + g.w as i32, oy + g.top + g.h as i32);
            bounds = Some(bounds.map_or(b, |a| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3))));
        }
        let Some((x0, y0, x1, y1)) = bounds else {
            return Mask { left: ox, top: oy, ..Mask::default() };
        };
        let (w, h) = ((x1 - x0) as u32, (y1 - y0) as u32);
        let mut cov = vec![0u8; w as usize * h as usize];
        for (gx, g) in &placed {
            let (dx, dy) = ((gx + g.left - x0) as usize, (oy + g.top - y0) as usize);
            for row in 0..g.h as usize {
                let dst = &mut cov[(dy + row) * w as usize + dx..][..g.w as usize];
                let src = &g.cov[row * g.w as usize..][..g.w as usize];
                // Glyphs may overlap by a pixel (kerning): coverage adds up, capped.
                for (d, s) in dst.iter_mut().zip(src) {
                    *d = d.saturating_add(*s);
                }
            }
        }
        Mask { left: x0, top: y0, w, h, cov }
    }
}

impl Mask {
    /// The pixels it covers on the canvas, cut to the canvas's first quadrant.
    #[must_use]
    pub fn rect(&self) -> Rect {
        if self.w == 0 || self.h == 0 {
            return Rect::EMPTY;
        }
        let c = |v: i32| v.max(0) as u32;
        Rect { x0: c(self.left), y0: c(self.top), x1: c(self.left + self.w as i32), y1: c(self.top + self.h as i32) }
    }

    /// The same mask turned a quarter turn anticlockwise about its top-left corner's pixel,
    /// then moved so its top-left is at `(left, top)`: text that reads upwards (a y label).
    #[must_use]
    pub fn rotated(&self, left: i32, top: i32) -> Mask {
        let (w, h) = (self.w as usize, self.h as usize);
        let mut cov = vec![0u8; w * h];
        // New pixel (x', y') shows old pixel (w - 1 - y', x'): the string's start ends at the bottom.
        for y2 in 0..w {
            for x2 in 0..h {
                cov[y2 * h + x2] = self.cov[x2 * w + (w - 1 - y2)];
            }
        }
        Mask { left, top, w: self.h, h: self.w, cov }
    }

    /// The same mask with its coverage rounded to `levels` steps (plus none): fewer shades
    /// compress better where text changes every frame.
    #[must_use]
    pub fn quantized(mut self, levels: u8) -> Mask {
        // Each of the 256 coverages worked out once a thread for the last `levels` asked for,
        // then a lookup a pixel.
        QUANTIZED.with(|kept| {
            let mut kept = kept.borrow_mut();
            if kept.as_ref().is_none_or(|(l, _)| *l != levels) {
                let q = f64::from(levels.max(1));
                *kept = Some((levels, std::array::from_fn(|c| round(round(c as f64 / 255.0 * q) / q * 255.0) as u8)));
            }
            let Some((_, table)) = kept.as_ref() else { unreachable!("filled above") };
            for c in &mut self.cov {
                *c = table[usize::from(*c)];
            }
        });
        self
    }

    /// The mask grown by `radius` pixels, every pixel it reaches fully covered: a halo. The
    /// reach is a disc (offsets with `dx² + dy² <= r² + r`), found row by row: each row of
    /// the disc is a horizontal run, so the halo is a few sliding-window passes, not a disc
    /// stamped at every inked pixel.
    /// The same mask's halo is asked for every frame (an off-plot note), so the last few
    /// halos made on the thread are kept and handed back.
    #[must_use]
    pub fn halo(&self, radius: u32) -> Mask {
        HALOS.with(|halos| {
            let mut halos = halos.borrow_mut();
            if let Some((_, _, halo)) = halos.iter().find(|(r, m, _)| *r == radius && m == self) {
                return halo.clone();
            }
            let halo = self.grown(radius);
            if halos.len() == HALOS_KEPT {
                halos.remove(0);
            }
            halos.push((radius, self.clone(), halo.clone()));
            halo
        })
    }

    /// [`Mask::halo`], made.
    fn grown(&self, radius: u32) -> Mask {
        let r = radius as usize;
        let (sw, sh) = (self.w as usize, self.h as usize);
        let (w, h) = (sw + 2 * r, sh + 2 * r);
        // Inked pixels, on the grown grid.
        let mut inked = vec![false; w * h];
        for y in 0..sh {
            for x in 0..sw {
                inked[(y + r) * w + x + r] = self.cov[y * sw + x] >= 32;
            }
        }
        // Prefix counts of inked pixels along each row.
        let mut prefix = vec![0u32; h * (w + 1)];
        for y in 0..h {
            for x in 0..w {
                prefix[y * (w + 1) + x + 1] = prefix[y * (w + 1) + x] + u32::from(inked[y * w + x]);
            }
        }
        let any_in_row = |y: usize, lo: usize, hi: usize| prefix[y * (w + 1) + hi] > prefix[y * (w + 1) + lo];
        let limit = (r * r + r) as i64;
        let half: Vec<usize> =
            (0..=r).map(|dy| (0..=r).rev().find(|&dx| (dx * dx + dy * dy) as i64 <= limit).unwrap_or(0)).collect();
        let mut cov = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let reached = (y.saturating_sub(r)..(y + r + 1).min(h)).any(|sy| {
                    let hw = half[sy.abs_diff(y)];
                    any_in_row(sy, x.saturating_sub(hw), (x + hw + 1).min(w))
                });
                if reached {
                    cov[y * w + x] = 255;
                }
            }
        }
        Mask { left: self.left - r as i32, top: self.top - r as i32, w: w as u32, h: h as u32, cov }
    }
}

thread_local! {
    /// [`Mask::quantized`]'s table for the last number of levels asked for on this thread.
    static QUANTIZED: RefCell<Option<(u8, [u8; 256])>> = const { RefCell::new(None) };
}

/// Halos a thread keeps (see [`Mask::halo`]).
const HALOS_KEPT: usize = 4;

thread_local! {
    /// The last halos made on this thread: (radius, mask, halo), oldest first.
    static HALOS: RefCell<Vec<(u32, Mask, Mask)>> = const { RefCell::new(Vec::new()) };
}

/// How a string is anchored at its position, horizontally (matplotlib's `ha`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// The position is the left end.
    Left,
    /// The position is the middle.
    Center,
    /// The position is the right end.
    Right,
}

/// How a string is anchored vertically (matplotlib's `va`), on its line box ("lp").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Valign {
    /// The position is the top of the line box.
    Top,
    /// The position is the middle of the line box.
    Center,
    /// The position is the baseline.
    Baseline,
    /// The position is the bottom of the line box.
    Bottom,
}

/// A string placed on the canvas: its mask and its line box (what matplotlib's layout
/// measures: advance width by "lp" height), for overlap checks.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedText {
    /// The string.
    pub text: String,
    /// Its coverage.
    pub mask: Mask,
    /// Its line box in canvas pixels (fractional): (left, top, right, bottom).
    pub bounds: (f64, f64, f64, f64),
}

/// Lays `text` out at `px` per em, anchored at `(x, y)` as `align` and `valign` say;
/// `upright: false` turns it to read upwards (the anchor then applies to the turned box:
/// `Right` is its right edge, `Center` its vertical middle...).
#[must_use]
pub fn place(text: &str, px: f64, (x, y): (f64, f64), align: Align, valign: Valign, upright: bool) -> PlacedText {
    let l = layout(text, px);
    let (along, across) = (l.width, l.ascent + l.descent);
    let (bw, bh) = if upright { (along, across) } else { (across, along) };
    let left = match align {
        Align::Left => x,
        Align::Center => x - bw / 2.0,
        Align::Right => x - bw,
    };
    let top = match valign {
        Valign::Top => y,
        Valign::Center => y - bh / 2.0,
        Valign::Baseline => y - if upright { l.ascent } else { bh },
        Valign::Bottom => y - bh,
    };
    let (left, top) = (left.round(), top.round());
    let mask = if upright {
        l.mask(left, top + l.ascent)
    } else {
        // Laid out flat with its line box at the origin, then turned: the box's top edge
        // (ascent side) becomes its left edge.
        let flat = l.mask(0.0, l.ascent);
        let turned_left = left + f64::from(flat.top);
        let turned_top = top + (along.round() - f64::from(flat.left + flat.w as i32));
        flat.rotated(turned_left as i32, turned_top as i32)
    };
    PlacedText { text: text.to_string(), mask, bounds: (left, top, left + bw, top + bh) }
}

/// Whether two line boxes overlap, allowing `gap` pixels between them.
#[must_use]
pub fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64), gap: f64) -> bool {
    a.0 < b.2 + gap && b.0 < a.2 + gap && a.1 < b.3 + gap && b.1 < a.3 + gap
}

#[cfg(test)]
mod tests {
    use super::*;
    use ab_glyph::ScaleFont;

    #[test]
    fn digits_are_matplotlibs_size() {
        // 10 pt at 100 dpi: DejaVu's digits are 0.729 em high, so about 10 px.
        let m = layout("0123456789", 10.0 * PX_PER_PT).mask(0.0, 20.0);
        let inked = (0..m.h as usize).filter(|&y| m.cov[y * m.w as usize..][..m.w as usize].iter().any(|&c| c > 128));
        assert!((10..=11).contains(&inked.count()), "digits {} px high", m.h);
        // Advances: DejaVu's digits are 0.636 em wide each.
        let w = layout("0123456789", 10.0 * PX_PER_PT).width;
        assert!((w - 10.0 * 0.636 * 13.889).abs() < 0.5, "{w}");
    }

    #[test]
    fn kerning_and_fractions_are_kept() {
        let px = 10.0 * PX_PER_PT;
        // "AV" kerns tighter than A and V apart.
        let (av, a, v) = (layout("AV", px).width, layout("A", px).width, layout("V", px).width);
        assert!(av < a + v - 0.3, "{av} vs {}", a + v);
        // Widths are fractional, not whole pixels a glyph.
        assert!(layout("1", px).width.fract() != 0.0);
    }

    /// The layout straight from the font, as it was made before sizes were kept.
    fn layout_from_the_font(text: &str, px: f64) -> TextLayout {
        let px = px as f32;
        let f = font().as_scaled(scale(px));
        let (mut glyphs, mut pen, mut previous) = (vec![], 0.0f32, None);
        for c in text.chars() {
            let id = f.glyph_id(c);
            if let Some(p) = previous {
                pen += f.kern(p, id);
            }
            glyphs.push((id, pen));
            pen += f.h_advance(id);
            previous = Some(id);
        }
        let (ascent, descent) = line_extent(px);
        TextLayout { glyphs, px, width: f64::from(pen), ascent, descent }
    }

    #[test]
    fn kept_sizes_lay_out_as_the_font_does() {
        let texts = ["step 17/200   loss 0.0123", "AVA To Wa", "\u{2212}0.5\u{2026} \u{e9}t\u{e9} VA", "", "lp"];
        // More sizes than a thread keeps, twice over, so dropped sizes are made again.
        for round in 0..2 {
            for k in 0..(SIZES_KEPT + 3) {
                let px = 8.0 + 0.7 * k as f64;
                for text in texts {
                    let (kept, font) = (layout(text, px), layout_from_the_font(text, px));
                    assert_eq!(kept, font, "round {round}, {text:?} at {px}");
                    assert_eq!(kept.width.to_bits(), font.width.to_bits());
                }
            }
        }
    }

    #[test]
    fn cached_glyphs_draw_the_same_pixels() {
        let a = layout("loss 3.69", 16.0).mask(10.3, 30.0);
        let b = layout("loss 3.69", 16.0).mask(10.3, 30.0);
        assert_eq!(a, b);
        // Coverage is smooth: many levels, not a handful.
        let mut levels: Vec<u8> = a.cov.clone();
        levels.sort_unstable();
        levels.dedup();
        assert!(levels.len() > 30, "{} levels", levels.len());
    }

    #[test]
    fn turned_text_keeps_its_pixels() {
        let flat = place("loss", 14.0, (50.0, 50.0), Align::Left, Valign::Top, true);
        let up = place("loss", 14.0, (50.0, 50.0), Align::Left, Valign::Top, false);
        assert_eq!((up.mask.w, up.mask.h), (flat.mask.h, flat.mask.w));
        let sum = |m: &Mask| m.cov.iter().map(|&c| u32::from(c)).sum::<u32>();
        assert_eq!(sum(&flat.mask), sum(&up.mask));
        // The turned mask lies inside its box.
        let r = up.mask.rect();
        let (l, t, rr, b) = up.bounds;
        assert!(f64::from(r.x0) >= l - 1.0 && f64::from(r.x1) <= rr + 1.0, "{r:?} {:?}", up.bounds);
        assert!(f64::from(r.y0) >= t - 1.0 && f64::from(r.y1) <= b + 1.0, "{r:?} {:?}", up.bounds);
    }

    #[test]
    fn quantized_coverage_is_the_formula_whatever_was_asked_before() {
        let all = Mask { left: 0, top: 0, w: 256, h: 1, cov: (0..=255).collect() };
        for levels in [3u8, 4, 3, 0, 1, 255, 4] {
            let q = f64::from(levels.max(1));
            let want: Vec<u8> =
                (0..=255u8).map(|c| ((f64::from(c) / 255.0 * q).round() / q * 255.0).round() as u8).collect();
            assert_eq!(all.clone().quantized(levels).cov, want, "{levels} levels");
        }
    }

    #[test]
    fn halos_surround_the_text() {
        let m = layout("8", 14.0).mask(5.0, 20.0);
        let h = m.halo(2);
        // A kept halo is the one made afresh, for this mask and radius only.
        assert_eq!(m.halo(2), m.grown(2));
        assert_eq!(m.halo(3), m.grown(3));
        let moved = Mask { left: m.left + 1, ..m.clone() };
        assert_eq!(moved.halo(2).left, h.left + 1);
        assert_eq!((h.w, h.h, h.left, h.top), (m.w + 4, m.h + 4, m.left - 2, m.top - 2));
        for y in 0..m.h {
            for x in 0..m.w {
                if m.cov[(y * m.w + x) as usize] >= 32 {
                    assert_eq!(h.cov[((y + 2) * h.w + x + 2) as usize], 255);
                }
            }
        }
    }
}
