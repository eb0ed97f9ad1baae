//! The parameter panel: (slope, intercept) space with the MSE as filled contour bands, drawn
//! once with the least-squares point and the true line's parameters marked and labelled; the
//! run's path grows one segment a step into the base, and a marker shows each frame's
//! parameters. When the scene is made for a run, the axes cover its whole path (up to ten
//! times the distance from the start to the least-squares point); where the path leaves them,
//! a marker at the edge says so. The labels sit on top of everything, with a white halo,
//! placed away from the marks and from the straight way from start to optimum.

use super::{step_segment, Layout, Panel, PanelKind, Sheet};
use crate::error::Result;
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::render::axes::{draw_axes, Axes};
use crate::render::backend::{Blender, CanvasBackend};
use crate::render::geometry::Chart;
use crate::render::stroke;
use crate::render::text::{overlaps, place, Align, PlacedText, Valign};
use crate::render::theme::{Metrics, Theme};
use crate::render::ticks::Scale;
use crate::run::{Dataset, Run};

/// The path of (slope, intercept) over the MSE contours.
#[derive(Debug)]
pub struct ParamsPanel {
    chart: Chart,
    metrics: Metrics,
    texts: Vec<PlacedText>,
    /// The labels' boxes (with their halo): the path and the dot never draw there.
    keep_out: Vec<Rect>,
    /// The two targets, drawn again over a dot that reaches them.
    marks: Marks,
    theme: Theme,
}

/// The targets: the least-squares point as a ring and the true parameters as a smaller "x"
/// inside the ring's reach, so that where the two nearly coincide (as they do for the lesson's
/// data) they still read as two marks that do not touch.
#[derive(Debug, Clone, Copy)]
struct Marks {
    least_squares: Option<(f64, f64)>,
    truth: Option<(f64, f64)>,
    /// The scatter marker's radius, the marks' unit.
    r: f64,
    /// Their strokes' width.
    width: f64,
}

impl Marks {
    /// The ring's radius.
    fn ring(&self) -> f64 {
        1.5 * self.r
    }

    /// How far the "x" reaches from its centre along each axis.
    fn cross(&self) -> f64 {
        0.6 * self.r
    }

    /// Both marks, where they are in the box.
    fn draw(&self, plot: &mut CanvasBackend<'_>, ink: Rgb) {
        if let Some(at) = self.least_squares {
            stroke::ring(plot, at, self.ring(), self.width, ink);
        }
        if let Some((x, y)) = self.truth {
            let c = self.cross();
            for (dx, dy) in [(1.0, 1.0), (1.0, -1.0)] {
                stroke::segment(plot, (x - dx * c, y - dy * c), (x + dx * c, y + dy * c), self.width, ink, 1.0);
            }
        }
    }

    /// Whether the box `b` reaches either mark.
    fn under(&self, b: (f64, f64, f64, f64)) -> bool {
        let reach = self.ring() + self.width;
        [self.least_squares, self.truth]
            .into_iter()
            .flatten()
            .any(|(x, y)| overlaps(b, (x - reach, y - reach, x + reach, y + reach), 0.0))
    }
}

/// Light to dark: the MSE bands, high loss lightest.
const BANDS: usize = 8;

fn band_color(band: usize) -> Rgb {
    let light = [247.0, 251.0, 255.0];
    let dark = [158.0, 202.0, 225.0];
    let t = band as f64 / (BANDS - 1) as f64;
    std::array::from_fn(|k| (light[k] + (dark[k] - light[k]) * t).round() as u8)
}

/// How far the axes reach to keep a run's path: this many times the start's distance from
/// the least-squares point, each way.
const PATH_REACH: f64 = 10.0;

/// The ranges: around the start and the least-squares point (30 % of their distance plus 0.5
/// each side), grown to hold the run's path where it stays within [`PATH_REACH`].
fn ranges(layout: &Layout) -> ((f64, f64), (f64, f64)) {
    let start = layout.start;
    let ls = layout.least_squares.unwrap_or(start);
    let span = |a: f64, b: f64| {
        let (lo, hi) = (a.min(b), a.max(b));
        let m = 0.3 * (hi - lo) + 0.5;
        (lo - m, hi + m)
    };
    let (mut xr, mut yr) = (span(start.0, ls.0), span(start.1, ls.1));
    if let Some(run) = layout.run {
        let reach = |a: f64, b: f64| PATH_REACH * (a - b).abs().max(1.0);
        let (rx, ry) = (reach(start.0, ls.0), reach(start.1, ls.1));
        let inside = |s: f64, b: f64| (s - ls.0).abs() <= rx && (b - ls.1).abs() <= ry;
        for snap in run.snapshots.iter().filter(|s| s.is_finite() && inside(s.slope, s.intercept)) {
            let m = (0.05 * (xr.1 - xr.0), 0.05 * (yr.1 - yr.0));
            xr = (xr.0.min(snap.slope - m.0), xr.1.max(snap.slope + m.0));
            yr = (yr.0.min(snap.intercept - m.1), yr.1.max(snap.intercept + m.1));
        }
    }
    (xr, yr)
}

impl ParamsPanel {
    /// The first step whose parameters lie outside the axes, if any.
    fn leaves_at(&self, run: &Run) -> Option<usize> {
        run.snapshots.iter().position(|s| !self.chart.contains((s.slope, s.intercept)))
    }

    /// A marker where the path leaves the axes at step `k`, on the edge it crosses, and a note.
    fn off_scale(&self, base: &mut Canvas, palette: &Palette, run: &Run, k: usize) -> Rect {
        let (m, theme, chart) = (&self.metrics, &self.theme, &self.chart);
        let inner = chart.inner;
        let from = if k > 0 { &run.snapshots[k - 1] } else { &run.snapshots[k] };
        let to = &run.snapshots[k];
        // Where the path crosses the edge: the end of its last segment clipped to the box.
        let edge = if to.is_finite() {
            chart.clip_segment((from.slope, from.intercept), (to.slope, to.intercept)).map(|(_, q)| q)
        } else {
            None
        }
        .unwrap_or((from.slope, from.intercept));
        let at = chart.to_point(edge.0, edge.1);
        let mut backend = CanvasBackend::new(base, Blender::Frozen(palette), inner).keeping_out(&self.keep_out);
        stroke::ring(&mut backend, at, m.marker * 1.2, m.curve_width, theme.line);
        let ring = backend.dirty;
        let what = super::off_scale_note(run, to.step);
        let mid = (f64::from(inner.x0 + inner.x1) / 2.0, f64::from(inner.y0 + inner.y1) / 2.0);
        let (align, dx) = if at.0 > mid.0 { (Align::Right, -2.0 * m.marker) } else { (Align::Left, 2.0 * m.marker) };
        let (valign, dy) = if at.1 > mid.1 { (Valign::Bottom, -m.marker) } else { (Valign::Top, m.marker) };
        let note = place(&what, m.font, (at.0 + dx, at.1 + dy), align, valign, true);
        let mut text = CanvasBackend::new(base, Blender::Frozen(palette), inner);
        stroke::haloed(&mut text, &note.mask, m.halo, theme.foreground, theme.background);
        ring.union(text.dirty)
    }
}

/// A label placed for its mark, with the leader line drawn from the mark to it when it sits
/// farther off (matplotlib's `annotate` with an offset and a thin arrow line).
struct Label {
    text: PlacedText,
    /// From the mark's edge to the label's box, where the label is not beside its mark.
    leader: Option<((f64, f64), (f64, f64))>,
}

/// The point of box `b` nearest to `p`.
fn nearest_in(b: (f64, f64, f64, f64), p: (f64, f64)) -> (f64, f64) {
    (p.0.clamp(b.0, b.2), p.1.clamp(b.1, b.3))
}

/// Places a label for its mark at pixel `at` (whose mark reaches `reach` pixels from it): in
/// one of eight directions (right, left, above, below, then the diagonals), beside the mark
/// or, where that is not clear, farther off with a leader line. The first place whose box
/// stays in `inner`, clear of `labels` and of `avoid` (the marks, the path, the dots), the
/// nearest first; the least bad one if none is clear.
fn label_for(
    text: &str,
    at: (f64, f64),
    reach: f64,
    m: &Metrics,
    inner: Rect,
    labels: &[(f64, f64, f64, f64)],
    avoid: &[(f64, f64, f64, f64)],
) -> Label {
    let h = f64::from(m.halo);
    let directions = [
        (1.0, 0.0, Align::Left, Valign::Center),
        (-1.0, 0.0, Align::Right, Valign::Center),
        (0.0, -1.0, Align::Center, Valign::Bottom),
        (0.0, 1.0, Align::Center, Valign::Top),
        (1.0, -1.0, Align::Left, Valign::Bottom),
        (-1.0, -1.0, Align::Right, Valign::Bottom),
        (1.0, 1.0, Align::Left, Valign::Top),
        (-1.0, 1.0, Align::Right, Valign::Top),
    ];
    let near = reach + m.marker * 0.5 + h;
    let mut candidates = vec![];
    for (ring, d) in
        [near, near + 3.0 * m.marker + m.font, near + 6.0 * m.marker + 2.0 * m.font].into_iter().enumerate()
    {
        for &(dx, dy, align, valign) in &directions {
            let scale = if dx != 0.0 && dy != 0.0 { std::f64::consts::FRAC_1_SQRT_2 } else { 1.0 };
            let anchor = (at.0 + dx * d * scale, at.1 + dy * d * scale);
            let placed = place(text, m.font, anchor, align, valign, true);
            let leader = (ring > 0).then(|| {
                let (l, t, r, b) = placed.bounds;
                let end = nearest_in((l - h, t - h, r + h, b + h), at);
                let len = (end.0 - at.0).hypot(end.1 - at.1).max(1e-9);
                let start = (at.0 + (end.0 - at.0) / len * (reach + 1.0), at.1 + (end.1 - at.1) / len * (reach + 1.0));
                (start, end)
            });
            candidates.push((ring, Label { text: placed, leader }));
        }
    }
    let fits = |t: &PlacedText| {
        let (l, top, r, b) = t.bounds;
        l - h >= f64::from(inner.x0)
            && r + h <= f64::from(inner.x1)
            && top - h >= f64::from(inner.y0)
            && b + h <= f64::from(inner.y1)
    };
    let count =
        |boxes: &[(f64, f64, f64, f64)], t: &PlacedText| boxes.iter().filter(|a| overlaps(t.bounds, **a, h)).count();
    let crossed = |label: &Label| {
        label
            .leader
            .map_or(0, |(p, q)| labels.iter().filter(|b| way(p, q, 0.5).iter().any(|w| overlaps(*w, **b, h))).count())
    };
    candidates
        .into_iter()
        .min_by_key(|(ring, l)| {
            (count(labels, &l.text) + crossed(l), usize::from(!fits(&l.text)), count(avoid, &l.text), *ring)
        })
        .map_or_else(
            || Label { text: place(text, m.font, at, Align::Left, Valign::Center, true), leader: None },
            |(_, l)| l,
        )
}

/// Boxes along the straight way from `a` to `b` (pixels), each `r` around a point of it.
fn way(a: (f64, f64), b: (f64, f64), r: f64) -> Vec<(f64, f64, f64, f64)> {
    let steps = ((b.0 - a.0).hypot(b.1 - a.1) / r).ceil().clamp(1.0, 200.0) as usize;
    (0..=steps)
        .map(|i| {
            let t = i as f64 / steps as f64;
            let (x, y) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            (x - r, y - r, x + r, y + r)
        })
        .collect()
}

/// The filled MSE bands, evenly spaced in log(loss), a pixel at a time, over the plot box
/// `inner` showing `(slope range, intercept range)`.
fn contour_bands(sheet: &mut Sheet<'_>, inner: Rect, layout: &Layout, (params_x, params_y): ((f64, f64), (f64, f64))) {
    let stats = Moments::of(layout.data);
    let (lo, hi) =
        (layout.best_loss.ln(), stats.mse(params_x.0, params_y.1).max(stats.mse(params_x.1, params_y.0)).ln());
    let mut plot = sheet.backend(inner);
    let (w, h) = (f64::from(inner.width()), f64::from(inner.height()));
    for y in inner.y0..inner.y1 {
        let b = params_y.1 - (f64::from(y - inner.y0) + 0.5) / h * (params_y.1 - params_y.0);
        for x in inner.x0..inner.x1 {
            let s = params_x.0 + (f64::from(x - inner.x0) + 0.5) / w * (params_x.1 - params_x.0);
            let t = ((stats.mse(s, b).max(1e-12).ln() - lo) / (hi - lo).max(1e-9)).clamp(0.0, 1.0);
            let band = ((1.0 - t) * (BANDS - 1) as f64).round() as usize;
            stroke::bar(&mut plot, i64::from(x), i64::from(y), i64::from(x) + 1, i64::from(y) + 1, band_color(band));
        }
    }
}

/// The boxes (pixels) the marks' labels keep clear of: the marks, the start, and the way the
/// path will take: the run's own dots, where the scene is made for one, else the straight
/// way from the start to the least-squares optimum.
fn the_way(
    layout: &Layout,
    chart: &Chart,
    m: &Metrics,
    ls_at: Option<(f64, f64)>,
    truth_at: Option<(f64, f64)>,
) -> Vec<(f64, f64, f64, f64)> {
    let r = m.marker;
    let start_at = chart.to_point(layout.start.0, layout.start.1);
    let mut avoid: Vec<(f64, f64, f64, f64)> = vec![];
    for at in [ls_at, truth_at, Some(start_at)].into_iter().flatten() {
        avoid.push((at.0 - 2.0 * r, at.1 - 2.0 * r, at.0 + 2.0 * r, at.1 + 2.0 * r));
    }
    match layout.run {
        // The run's own path, where the scene is made for one: every dot it will show.
        Some(run) => {
            let dot = r + m.scale + 1.0;
            let mut previous: Option<(f64, f64)> = None;
            for snap in run.snapshots.iter().filter(|s| chart.contains((s.slope, s.intercept))) {
                let (x, y) = chart.to_point(snap.slope, snap.intercept);
                avoid.push((x - dot, y - dot, x + dot, y + dot));
                if let Some(p) = previous {
                    avoid.extend(way(p, (x, y), m.curve_width));
                }
                previous = Some((x, y));
            }
        }
        None => {
            if let Some(end) = ls_at {
                avoid.extend(way(start_at, end, m.curve_width * 2.0));
            }
        }
    }
    avoid
}

/// The marks' labels ("least squares", "true") beside them, each clear of `avoid` and of the
/// labels before it, drawn with their leaders on `plot`; with the areas the path must not
/// cross (the haloed labels).
fn mark_labels(
    plot: &mut CanvasBackend<'_>,
    marks: &Marks,
    m: &Metrics,
    inner: Rect,
    avoid: &[(f64, f64, f64, f64)],
    theme: &Theme,
) -> (Vec<PlacedText>, Vec<Rect>) {
    let ink = theme.foreground;
    let mut labels: Vec<Label> = vec![];
    for (text, at, reach) in
        [("least squares", marks.least_squares, marks.ring()), ("true", marks.truth, marks.cross())]
    {
        if let Some(at) = at {
            let placed: Vec<_> = labels.iter().map(|l| l.text.bounds).collect();
            let mut others = avoid.to_vec();
            for l in &labels {
                others.extend(l.leader.map(|(p, q)| way(p, q, 1.0)).unwrap_or_default());
            }
            labels.push(label_for(text, at, reach, m, inner, &placed, &others));
        }
    }
    let mut keep_out = vec![];
    for label in &labels {
        if let Some((p, q)) = label.leader {
            stroke::segment(plot, p, q, (m.spine as f64 * 0.75).max(1.0), ink, 1.0);
        }
    }
    for label in &labels {
        keep_out.push(stroke::haloed(plot, &label.text.mask, m.halo, ink, theme.background));
    }
    (labels.into_iter().map(|l| l.text).collect(), keep_out)
}

impl Panel for ParamsPanel {
    /// The ranges of [`ranges`], the bands evenly spaced in log(loss), and the two marks with
    /// their labels.
    fn background(layout: &Layout, sheet: &mut Sheet<'_>, area: Rect) -> Result<ParamsPanel> {
        let theme = layout.theme;
        let (params_x, params_y) = ranges(layout);
        let axes = Axes {
            x_range: params_x,
            y_range: params_y,
            x_desc: Some("slope"),
            y_desc: Some("intercept"),
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
            title: layout.title,
        };
        let metrics = Metrics::for_panel(theme, area.width(), area.height());
        let m = &metrics;
        let (chart, mut texts) = draw_axes(&mut sheet.backend(area), area, &axes, theme, m);
        contour_bands(sheet, chart.inner, layout, (params_x, params_y));
        // The marks, then their labels beside them, clear of the marks and of the way the
        // path will most likely take (start to optimum).
        let ls_at = layout.least_squares.filter(|p| chart.contains(*p)).map(|p| chart.to_point(p.0, p.1));
        let truth_at = layout.truth.filter(|p| chart.contains(*p)).map(|p| chart.to_point(p.0, p.1));
        let avoid = the_way(layout, &chart, m, ls_at, truth_at);
        let mut plot = sheet.backend(chart.inner);
        let marks = Marks { least_squares: ls_at, truth: truth_at, r: m.marker, width: m.spine as f64 };
        marks.draw(&mut plot, theme.foreground);
        let (labels, keep_out) = mark_labels(&mut plot, &marks, m, chart.inner, &avoid, theme);
        texts.extend(labels);
        Ok(ParamsPanel { chart, metrics, texts, keep_out, marks, theme: theme.clone() })
    }

    fn kind(&self) -> PanelKind {
        PanelKind::Params
    }

    super::chart_metrics_texts!();

    /// The line's ink; the off-scale note is text on a white halo, whose shades every
    /// palette has.
    fn inks(&self) -> Vec<Rgb> {
        vec![self.theme.line]
    }

    fn has_progress(&self) -> bool {
        true
    }

    /// The path's segment from step `k - 1` to `k` (nothing at step 0), never over a label;
    /// the off-scale marker at the step the path leaves the axes.
    fn progress(&self, base: &mut Canvas, palette: &Palette, run: &Run, k: usize) -> Result<Rect> {
        let mut dirty = Rect::EMPTY;
        if k > 0 {
            let (chart, m) = (&self.chart, &self.metrics);
            dirty = step_segment(base, palette, chart, m, self.theme.line, &self.keep_out, run, k, |_, s| {
                (s.slope, s.intercept)
            });
        }
        if self.leaves_at(run) == Some(k) {
            dirty = dirty.union(self.off_scale(base, palette, run, k));
        }
        Ok(dirty)
    }

    /// A dot at the frame's (slope, intercept), when inside the box, never over a label.
    fn overlay(&self, canvas: &mut Canvas, palette: &Palette, overlay: &super::Overlay) -> Result<Rect> {
        let (s, b) = overlay.line;
        if !self.chart.contains((s, b)) {
            return Ok(Rect::EMPTY);
        }
        let mut backend =
            CanvasBackend::new(canvas, Blender::Frozen(palette), self.chart.inner).keeping_out(&self.keep_out);
        let (at, radius) = (self.chart.to_point(s, b), self.metrics.marker + self.metrics.scale);
        stroke::disc(&mut backend, at, radius, self.theme.line, 1.0);
        // The targets stay visible on top of a dot that reaches them (a run ends on them).
        if self.marks.under((at.0 - radius - 1.0, at.1 - radius - 1.0, at.0 + radius + 1.0, at.1 + radius + 1.0)) {
            self.marks.draw(&mut backend, self.theme.foreground);
        }
        Ok(backend.dirty)
    }
}

/// Sums that give the MSE of any line in O(1): the contour bands need it per pixel.
struct Moments {
    n: f64,
    sx: f64,
    sy: f64,
    sxx: f64,
    sxy: f64,
    syy: f64,
}

impl Moments {
    fn of(d: &Dataset) -> Moments {
        let mut m = Moments { n: d.len() as f64, sx: 0.0, sy: 0.0, sxx: 0.0, sxy: 0.0, syy: 0.0 };
        for (&x, &y) in d.x.iter().zip(&d.y) {
            m.sx += x;
            m.sy += y;
            m.sxx += x * x;
            m.sxy += x * y;
            m.syy += y * y;
        }
        m
    }

    fn mse(&self, s: f64, b: f64) -> f64 {
        (s * s * self.sxx + b * b * self.n + self.syy + 2.0 * s * b * self.sx - 2.0 * s * self.sxy - 2.0 * b * self.sy)
            / self.n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::mse;

    #[test]
    fn moments_match_mse() {
        let d = Dataset::synthetic(&crate::run::DataSpec::default());
        let m = Moments::of(&d);
        for (s, b) in [(-1.0, 1.0), (3.0, 10.0), (-2.5, 12.0)] {
            let direct = mse(&d, (s, b), None);
            assert!((m.mse(s, b) - direct).abs() < 1e-9 * direct.max(1.0), "{} vs {direct}", m.mse(s, b));
        }
    }
}
