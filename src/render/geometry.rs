//! What every panel shares: a chart's mapping from data to pixels (fixed for every frame
//! after the panel's background is drawn), ranges, and clipping of lines and segments to a
//! chart's box (far-off values must not reach pixel maths, and a diverged run's line must
//! simply not be drawn).

use crate::raster::Rect;

/// A chart's axes: data ranges and the plot box they map onto. Every panel has one; it is made
/// when the panel draws its background and fixed for every frame after.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Data range along x (log10 of the values on a log axis).
    pub x_range: (f64, f64),
    /// Data range along y (log10 of the values on a log axis).
    pub y_range: (f64, f64),
    /// The pixels inside the box, where the data is drawn: `x_range` spans from the left edge
    /// of its first column to the right edge of its last, `y_range` from the bottom up.
    pub inner: Rect,
}

/// `(lo, hi)` widened by 5 % each side (matplotlib's margins), or by 1 when empty.
#[must_use]
pub fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        (lo - 0.05 * span, hi + 0.05 * span)
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

impl Chart {
    /// A chart mapping the ranges onto `inner`.
    #[must_use]
    pub fn new(x_range: (f64, f64), y_range: (f64, f64), inner: Rect) -> Chart {
        Chart { x_range, y_range, inner }
    }

    /// Where a data point falls, in canvas pixels (fractional; may lie far outside the frame).
    #[must_use]
    pub fn to_point(&self, x: f64, y: f64) -> (f64, f64) {
        let (xr, yr, r) = (self.x_range, self.y_range, self.inner);
        (
            f64::from(r.x0) + (x - xr.0) / (xr.1 - xr.0) * f64::from(r.width()),
            f64::from(r.y1) - (y - yr.0) / (yr.1 - yr.0) * f64::from(r.height()),
        )
    }

    /// The pixel a data point falls in (saturating far outside the frame).
    #[must_use]
    pub fn to_pixel(&self, x: f64, y: f64) -> (i32, i32) {
        let (px, py) = self.to_point(x, y);
        (px.floor() as i32, py.floor() as i32)
    }

    /// The part of the segment inside the chart's data box, if any (Liang-Barsky).
    #[must_use]
    pub fn clip_segment(&self, a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
        clip_segment(a, b, self.x_range, self.y_range)
    }

    /// The line `(slope, intercept)` across `xs` (data), clipped to the box, in canvas
    /// pixels; `None` when it misses the box or is not finite.
    #[must_use]
    pub fn line_across(
        &self,
        (x0, x1): (f64, f64),
        (slope, intercept): (f64, f64),
    ) -> Option<((f64, f64), (f64, f64))> {
        let (p, q) = self.clip_segment((x0, slope * x0 + intercept), (x1, slope * x1 + intercept))?;
        Some((self.to_point(p.0, p.1), self.to_point(q.0, q.1)))
    }

    /// Whether a data point lies inside the box.
    #[must_use]
    pub fn contains(&self, p: (f64, f64)) -> bool {
        p.0.is_finite()
            && p.1.is_finite()
            && (self.x_range.0..=self.x_range.1).contains(&p.0)
            && (self.y_range.0..=self.y_range.1).contains(&p.1)
    }
}

/// The part of the segment `a`-`b` inside the box, if any; `None` for non-finite ends.
pub fn clip_segment(a: (f64, f64), b: (f64, f64), xr: (f64, f64), yr: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - xr.0), (dx, xr.1 - a.0), (-dy, a.1 - yr.0), (dy, yr.1 - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 || !dx.is_finite() || !dy.is_finite() {
        return None;
    }
    let (p, q) = ((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy));
    // With far-off ends, rounding can leave a "clipped" point outside: then nothing is inside.
    let slack = |r: (f64, f64)| 1e-9 * (r.1 - r.0).abs();
    let inside = |v: (f64, f64)| {
        (xr.0 - slack(xr)..=xr.1 + slack(xr)).contains(&v.0) && (yr.0 - slack(yr)..=yr.1 + slack(yr)).contains(&v.1)
    };
    (inside(p) && inside(q)).then_some((p, q))
}

/// The part of `y = slope * x + intercept` inside the box, as two end points; `None` when
/// the line misses the box or is not finite (a diverged run draws no line).
#[must_use]
pub fn clip_line((slope, intercept): (f64, f64), xr: (f64, f64), yr: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    if !slope.is_finite() || !intercept.is_finite() {
        return None;
    }
    let (mut x0, mut x1) = xr;
    if slope != 0.0 {
        // x where the line crosses the bottom and top of the box.
        let (a, b) = ((yr.0 - intercept) / slope, (yr.1 - intercept) / slope);
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        if lo.is_finite() {
            x0 = x0.max(lo);
        }
        if hi.is_finite() {
            x1 = x1.min(hi);
        }
    }
    let y = |x: f64| (slope * x + intercept).clamp(yr.0, yr.1);
    if x0 > x1 || !(x0.is_finite() && x1.is_finite()) {
        return None;
    }
    let (y0, y1) = (y(x0), y(x1));
    if slope == 0.0 && !(yr.0..=yr.1).contains(&intercept) {
        return None;
    }
    Some(((x0, y0), (x1, y1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever the ends (huge, tiny, equal), a clipped segment lies in the box.
        #[test]
        fn clipped_segments_stay_in_the_box(
            a in (-1e30..1e30f64, -1e30..1e30f64),
            b in (-1e30..1e30f64, -1e30..1e30f64),
            scale in proptest::sample::select(vec![1e-20, 1e-5, 1.0, 1e10, 1e25]),
        ) {
            let a = (a.0 * scale, a.1 * scale);
            let b = (b.0 * scale, b.1 * scale);
            if let Some((p, q)) = clip_segment(a, b, (0.0, 10.0), (-5.0, 5.0)) {
                for v in [p, q] {
                    proptest::prop_assert!((-1e-6..=10.0 + 1e-6).contains(&v.0) && (-5.0 - 1e-6..=5.0 + 1e-6).contains(&v.1), "{:?}", v);
                }
            }
        }
    }

    #[test]
    fn segments_clip_to_the_box() {
        let b = ((0.0, 10.0), (0.0, 10.0));
        assert_eq!(clip_segment((1.0, 1.0), (2.0, 2.0), b.0, b.1), Some(((1.0, 1.0), (2.0, 2.0))));
        assert_eq!(clip_segment((-5.0, 5.0), (15.0, 5.0), b.0, b.1), Some(((0.0, 5.0), (10.0, 5.0))));
        assert_eq!(clip_segment((-5.0, -5.0), (-1.0, 20.0), b.0, b.1), None);
        assert_eq!(clip_segment((1.0, 1.0), (f64::NAN, 2.0), b.0, b.1), None);
        assert_eq!(clip_segment((1.0, 1.0), (1e308, -1e308), b.0, b.1).map(|s| s.0), Some((1.0, 1.0)));
        // Both ends far outside, on the same side, nearly equal: nothing inside.
        assert_eq!(clip_segment((-4.7e21, -7.5e22), (-4.7e21 * (1.0 + 1e-16), -7.5e22), b.0, b.1), None);
    }

    #[test]
    fn clip_keeps_inside_and_drops_outside() {
        let b = ((-1.0, 1.0), (0.0, 10.0));
        assert_eq!(clip_line((0.0, 5.0), b.0, b.1), Some(((-1.0, 5.0), (1.0, 5.0))));
        assert_eq!(clip_line((0.0, 50.0), b.0, b.1), None);
        let ((x0, y0), (x1, y1)) = clip_line((100.0, 5.0), b.0, b.1).unwrap();
        assert!((x0 + 0.05).abs() < 1e-12 && (x1 - 0.05).abs() < 1e-12 && y0.abs() < 1e-9 && (y1 - 10.0).abs() < 1e-9);
        assert_eq!(clip_line((f64::NAN, 5.0), b.0, b.1), None);
        assert_eq!(clip_line((f64::INFINITY, 0.0), b.0, b.1), None);
        assert_eq!(clip_line((3.0, 1e300), b.0, b.1), None);
        assert_eq!(clip_line((-1e300, 5.0), b.0, b.1).map(|s| s.0 .0.abs() < 1e-200), Some(true));
    }
}
