//! What every panel shares: a chart's axes drawn once into the background, the mapping from
//! data to pixels that progress and overlays draw through, tick labels, ranges, and clipping
//! of lines and segments to a chart's box (plotters' pixel maths fails on far-off values, and
//! a diverged run's line must simply not be drawn).

use super::theme::{Theme, FONT_FAMILY};
use super::ticks::{axis_ticks, AxisSpace, Direction, Scale, Tick};
use crate::error::{Error, Result};
use crate::raster::Rect;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A chart's axes: data ranges, their pixels, the plot box. Every panel has one; it is made
/// when the panel draws its background and fixed for every frame after.
#[derive(Clone)]
pub struct Chart {
    coord: Cartesian2d<Ticked, Ticked>,
    /// Data range along x.
    pub x_range: (f64, f64),
    /// Data range along y.
    pub y_range: (f64, f64),
    /// The pixels inside the box, where the data is drawn.
    pub inner: Rect,
}

/// A linear axis whose ticks are the ones we chose (matplotlib's), not plotters'.
#[derive(Clone)]
pub struct Ticked {
    inner: RangedCoordf64,
    keys: Vec<f64>,
}

impl std::fmt::Debug for Ticked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ticked").field("range", &self.inner.range()).field("keys", &self.keys).finish()
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.keys.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// The ticks of one axis as matplotlib would choose them for `len` pixels: their positions in
/// the axis's coordinate (log10 of the value on a log axis) and their labels, and the note
/// ("1e8", "+1e6") the labels need to be read right, if any.
fn chosen_ticks(
    scale: Scale,
    (lo, hi): (f64, f64),
    len: u32,
    direction: Direction,
) -> (Vec<(f64, String)>, Option<String>) {
    let space = AxisSpace::new(f64::from(len), direction);
    let (min, max) = if scale == Scale::Log { (10f64.powf(lo), 10f64.powf(hi)) } else { (lo, hi) };
    let ticks = axis_ticks(scale, min, max, &space);
    let position = |t: &Tick| if scale == Scale::Log { t.value.log10() } else { t.value };
    let major = ticks.major.iter().map(|t| (position(t), t.label.clone())).filter(|(p, _)| p.is_finite()).collect();
    (major, ticks.note.map(|n| n.text()).filter(|t| !t.is_empty()))
}

/// The label of the tick at `v` (plotters hands back the key points we gave it).
fn label_at(ticks: &[(f64, String)], v: f64) -> String {
    ticks.iter().find(|(p, _)| p.to_bits() == v.to_bits()).map(|(_, l)| l.clone()).unwrap_or_default()
}

/// How a panel's axes look.
pub struct Axes<'a> {
    /// Data range along x.
    pub x_range: (f64, f64),
    /// Data range along y.
    pub y_range: (f64, f64),
    /// Space above the chart (room for the caption).
    pub top: u32,
    /// Axis descriptions, if any.
    pub x_desc: Option<&'a str>,
    /// See `x_desc`.
    pub y_desc: Option<&'a str>,
    /// How x is ticked: linear, whole steps, or log (the coordinate is then log10 of the value).
    pub x_scale: Scale,
    /// See `x_scale`.
    pub y_scale: Scale,
}

impl std::fmt::Debug for Axes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Axes")
            .field("x_range", &self.x_range)
            .field("y_range", &self.y_range)
            .field("top", &self.top)
            .field("x_desc", &self.x_desc)
            .field("y_desc", &self.y_desc)
            .finish_non_exhaustive()
    }
}

pub(crate) fn draw_err<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> Error {
    Error::Draw(e.to_string())
}

/// `(lo, hi)` widened by 5 % each side (matplotlib's margins), or by 1 when empty.
pub fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        (lo - 0.05 * span, hi + 0.05 * span)
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

pub(crate) fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

impl std::fmt::Debug for Chart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chart")
            .field("x_range", &self.x_range)
            .field("y_range", &self.y_range)
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl Chart {
    /// Draws the axes (ticks, labels, the box) on `area` and returns the chart.
    /// `contents` draws what is fixed inside the box (the scatter, contour bands...).
    pub fn draw<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        axes: &Axes,
        theme: &Theme,
        contents: impl FnOnce(&mut ChartContext<DB, Cartesian2d<Ticked, Ticked>>) -> Result<()>,
    ) -> Result<Chart> {
        // plotters cannot lay out ticks over a non-finite or empty range (it loops); such a
        // range (data near f64::MAX, an infinite loss) falls back to one that can be drawn.
        let sane = |(lo, hi): (f64, f64)| {
            if lo.is_finite() && hi.is_finite() && (hi - lo).is_finite() && hi > lo {
                (lo, hi)
            } else {
                (0.0, 1.0)
            }
        };
        let axes = &Axes { x_range: sane(axes.x_range), y_range: sane(axes.y_range), ..*axes };
        let descs = |d: Option<&str>| if d.is_some() { theme.label_size + 4 } else { 0 };
        let (y_area, x_area) =
            (theme.label_size * 3 + 8 + descs(axes.y_desc), theme.label_size * 2 + 6 + descs(axes.x_desc));
        let (w, h) = area.dim_in_pixel();
        let (x_ticks, x_note) =
            chosen_ticks(axes.x_scale, axes.x_range, w.saturating_sub(y_area + 28), Direction::Horizontal);
        let (y_ticks, y_note) =
            chosen_ticks(axes.y_scale, axes.y_range, h.saturating_sub(x_area + axes.top + 8), Direction::Vertical);
        let keys = |ticks: &[(f64, String)]| ticks.iter().map(|(p, _)| *p).collect::<Vec<f64>>();
        let mut chart = ChartBuilder::on(area)
            .margin_top(axes.top)
            .margin_right(20)
            .margin_bottom(8)
            .margin_left(8)
            .x_label_area_size(x_area)
            .y_label_area_size(y_area)
            .build_cartesian_2d(
                Ticked { inner: (axes.x_range.0..axes.x_range.1).into(), keys: keys(&x_ticks) },
                Ticked { inner: (axes.y_range.0..axes.y_range.1).into(), keys: keys(&y_ticks) },
            )
            .map_err(draw_err)?;
        let label = (FONT_FAMILY, theme.label_size).into_font().color(&rgb(theme.foreground));
        let (x_label, y_label) = (|v: &f64| label_at(&x_ticks, *v), |v: &f64| label_at(&y_ticks, *v));
        let mut mesh = chart.configure_mesh();
        mesh.disable_mesh()
            .axis_style(rgb(theme.foreground))
            .label_style(label.clone())
            .axis_desc_style(label)
            .x_labels(x_ticks.len().max(1))
            .y_labels(y_ticks.len().max(1))
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label);
        if let Some(d) = axes.x_desc {
            mesh.x_desc(d);
        }
        if let Some(d) = axes.y_desc {
            mesh.y_desc(d);
        }
        mesh.draw().map_err(draw_err)?;
        contents(&mut chart)?;
        let pixels = chart.plotting_area().get_pixel_range();
        // matplotlib's box of spines around the plot.
        let (bx, by) = area.get_base_pixel();
        let frame = [(pixels.0.start - 1 - bx, pixels.1.start - 1 - by), (pixels.0.end - bx, pixels.1.end - by)];
        area.draw(&Rectangle::new(frame, rgb(theme.foreground).stroke_width(1))).map_err(draw_err)?;
        // The labels' scale or offset, where matplotlib puts it: above the y axis, and at the
        // right end below the x labels. Without it "8" would read as 8, not 8e8.
        let note_style = (FONT_FAMILY, theme.label_size).into_font().color(&rgb(theme.foreground));
        let size = theme.label_size as i32;
        if let Some(note) = y_note {
            let pos = (pixels.0.start - bx - y_area as i32 + 2, pixels.1.start - by - size - 4);
            area.draw(&Text::new(note, pos, note_style.clone())).map_err(draw_err)?;
        }
        if let Some(note) = x_note {
            let width = size * note.chars().count() as i32 * 3 / 5;
            let pos = (pixels.0.end - bx - width, pixels.1.end - by + 2 * size + 4);
            area.draw(&Text::new(note, pos, note_style)).map_err(draw_err)?;
        }
        let inner = Rect {
            x0: pixels.0.start.max(0) as u32,
            y0: pixels.1.start.max(0) as u32,
            x1: pixels.0.end.max(0) as u32,
            y1: pixels.1.end.max(0) as u32,
        };
        Ok(Chart { coord: chart.as_coord_spec().clone(), x_range: axes.x_range, y_range: axes.y_range, inner })
    }

    /// The pixel of a data point (may lie outside the frame).
    pub fn to_pixel(&self, x: f64, y: f64) -> (i32, i32) {
        self.coord.translate(&(x, y))
    }

    /// The part of the segment inside the chart's data box, if any (Liang-Barsky).
    pub fn clip_segment(&self, a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
        clip_segment(a, b, self.x_range, self.y_range)
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

    #[test]
    fn axes_take_matplotlibs_ticks_and_notes() {
        let labels = |t: &[(f64, String)]| t.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>();
        // The post's x axis at 640 px: matplotlib's nine labels, true minus signs.
        let (x, note) = chosen_ticks(Scale::Linear, padded(-1.0, 1.0), 560, Direction::Horizontal);
        assert_eq!(
            labels(&x),
            ["\u{2212}1.00", "\u{2212}0.75", "\u{2212}0.50", "\u{2212}0.25", "0.00", "0.25", "0.50", "0.75", "1.00"]
        );
        assert_eq!(note, None);
        // Huge values: short labels plus the note that scales them, never a bare "8".
        let (y, note) = chosen_ticks(Scale::Linear, (0.0, 9e8), 400, Direction::Vertical);
        assert!(labels(&y).contains(&"8".to_string()), "{y:?}");
        assert_eq!(note.as_deref(), Some("1e8"));
        // A log axis: positions are log10 of the values, labelled by decade.
        let (log, _) = chosen_ticks(Scale::Log, (-0.4, 2.0), 400, Direction::Vertical);
        assert_eq!(log.iter().map(|(p, _)| *p).collect::<Vec<_>>(), [0.0, 1.0, 2.0]);
        assert_eq!(labels(&log), ["10\u{2070}", "10\u{b9}", "10\u{b2}"]);
        // The step axis: whole steps only.
        let (steps, _) = chosen_ticks(Scale::Integer, (0.0, 5.0), 560, Direction::Horizontal);
        assert!(steps.iter().all(|(p, _)| p.fract() == 0.0), "{steps:?}");
    }
}
