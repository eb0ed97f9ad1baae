//! Anti-aliased shapes at fractional pixel positions, drawn pixel by pixel through the plotters
//! backend (so they blend through the palette, clip and report what they change like
//! everything else): thick segments with round caps (a polyline is its segments, joined
//! seamlessly by the caps), filled discs, crisp axis-aligned bars, and coverage masks (text).
//!
//! Coverage is the distance from the pixel's centre to the shape's edge, clamped to one pixel:
//! `clamp(r + 0.5 - d, 0, 1)`, what a one-pixel box filter gives for straight edges.

use super::backend::{CanvasBackend, Pen};
use super::text::Mask;
use crate::raster::Rgb;

/// A point in canvas pixels; (0, 0) is the top-left corner of the top-left pixel, whose centre
/// is (0.5, 0.5).
pub type Point = (f64, f64);

/// The segment `a`-`b`, `width` pixels wide with round caps, at `opacity`.
pub fn segment(backend: &mut CanvasBackend<'_>, a: Point, b: Point, width: f64, ink: Rgb, opacity: f64) {
    let pen: Pen = backend.pen(ink);
    let coords = [a.0, a.1, b.0, b.1];
    if !coords.iter().all(|v| v.is_finite() && v.abs() < 1e7) {
        return;
    }
    let r = width / 2.0;
    let reach = r + 0.5;
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let clip = backend.clip();
    let y_lo = ((a.1.min(b.1) - reach).floor() as i64).max(i64::from(clip.y0));
    let y_hi = ((a.1.max(b.1) + reach).ceil() as i64).min(i64::from(clip.y1));
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
        let x_lo = ((xa.min(xb) - reach).floor() as i64).max(i64::from(clip.x0));
        let x_hi = ((xa.max(xb) + reach).ceil() as i64).min(i64::from(clip.x1));
        for x in x_lo..x_hi {
            let xc = x as f64 + 0.5;
            let t = if len2 > 0.0 { (((xc - a.0) * dx + (yc - a.1) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
            let (px, py) = (a.0 + t * dx - xc, a.1 + t * dy - yc);
            let d = (px * px + py * py).sqrt();
            backend.put(x, y, pen, (reach - d).clamp(0.0, 1.0) * opacity);
        }
    }
}

/// A filled disc of `radius` pixels centred at `c`.
pub fn disc(backend: &mut CanvasBackend<'_>, c: Point, radius: f64, ink: Rgb, opacity: f64) {
    let pen: Pen = backend.pen(ink);
    if !(c.0.is_finite() && c.1.is_finite()) || c.0.abs() > 1e7 || c.1.abs() > 1e7 {
        return;
    }
    let reach = radius + 0.5;
    for y in (c.1 - reach).floor() as i64..(c.1 + reach).ceil() as i64 {
        for x in (c.0 - reach).floor() as i64..(c.0 + reach).ceil() as i64 {
            let (px, py) = (x as f64 + 0.5 - c.0, y as f64 + 0.5 - c.1);
            let d = (px * px + py * py).sqrt();
            backend.put(x, y, pen, (reach - d).clamp(0.0, 1.0) * opacity);
        }
    }
}

/// A ring (circle outline) `width` pixels wide of `radius` pixels centred at `c`.
pub fn ring(backend: &mut CanvasBackend<'_>, c: Point, radius: f64, width: f64, ink: Rgb) {
    let pen: Pen = backend.pen(ink);
    let reach = radius + width / 2.0 + 0.5;
    for y in (c.1 - reach).floor() as i64..(c.1 + reach).ceil() as i64 {
        for x in (c.0 - reach).floor() as i64..(c.0 + reach).ceil() as i64 {
            let (px, py) = (x as f64 + 0.5 - c.0, y as f64 + 0.5 - c.1);
            let d = ((px * px + py * py).sqrt() - radius).abs();
            backend.put(x, y, pen, (width / 2.0 + 0.5 - d).clamp(0.0, 1.0));
        }
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
    let pen: Pen = backend.pen(ink);
    for row in 0..m.h as usize {
        for col in 0..m.w as usize {
            let c = m.cov[row * m.w as usize + col];
            if c > 0 {
                backend.put(i64::from(m.left) + col as i64, i64::from(m.top) + row as i64, pen, f64::from(c) / 255.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::{Canvas, Ink, Palette};
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

    #[test]
    fn a_segment_covers_its_area() {
        // 20 px long, 2 px wide, plus two round caps of radius 1: 40 + pi.
        let (c, p) = canvas_with(|b| segment(b, (10.0, 10.0), (30.0, 25.0), 2.0, [0, 0, 0], 1.0));
        let area = ink_sum(&c, &p);
        let want = 25.0 * 2.0 + std::f64::consts::PI;
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
