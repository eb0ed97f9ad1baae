//! A logged run's curves: one metric group (the losses, the learning rate, an accuracy) against
//! the logged steps, drawn once as empty axes with a legend inside the plot where the curves
//! leave most room (matplotlib's `legend(loc="best")`, see [`super::legend`]) when the group
//! has several series, then grown a segment a frame into the base, as the loss curve is. The
//! axes have matplotlib's 5 % margins; the y axis turns logarithmic when a positive group
//! spans two decades or more. Several runs: a colour a run, its second series on (a
//! validation loss) dashed. A band logged around a series (W&B's `__MIN`, `__MAX`) is shaded
//! under it; where a series stops being finite, a marker at the top edge says so, as the loss
//! panel marks our own runs' divergence.

use super::legend::{dashed, Entry, Legend, Segment};
use super::{Layout, Panel, PanelKind, Sheet, StepAxis};
use crate::error::{Error, Field, Result};
use crate::format::short_number;
use crate::raster::{Canvas, Ink, Palette, Rect, Rgb};
use crate::render::axes::{draw_axes, Axes};
use crate::render::backend::{Blender, CanvasBackend};
use crate::render::geometry::{padded, Chart};
use crate::render::stroke;
use crate::render::text::PlacedText;
use crate::render::theme::{Metrics, Theme};
use crate::render::ticks::Scale;
use crate::run::{Curves, Run};

/// matplotlib's colour cycle after its first colour (the theme's line): the second series of a
/// panel (or the second run) is orange, the third green, and so on.
const CYCLE: [Rgb; 9] = [
    [0xff, 0x7f, 0x0e],
    [0x2c, 0xa0, 0x2c],
    [0xd6, 0x27, 0x28],
    [0x94, 0x67, 0xbd],
    [0x8c, 0x56, 0x4b],
    [0xe3, 0x77, 0xc2],
    [0x7f, 0x7f, 0x7f],
    [0xbc, 0xbd, 0x22],
    [0x17, 0xbe, 0xcf],
];

/// The `j`-th colour of the cycle, the theme's line first.
fn cycle_ink(theme: &Theme, j: usize) -> Rgb {
    if j == 0 {
        theme.line
    } else {
        CYCLE[(j - 1) % CYCLE.len()]
    }
}

/// A band's shade: its series' colour at matplotlib's `fill_between(alpha=0.2)` over the page.
fn band_ink(ink: Rgb, page: Rgb) -> Rgb {
    std::array::from_fn(|c| (0.2 * f64::from(ink[c]) + 0.8 * f64::from(page[c])).round() as u8)
}

/// The runs of `curves`, in the order their series first appear (none for one run's log).
fn runs_of(curves: &Curves) -> Vec<&str> {
    let mut runs: Vec<&str> = vec![];
    for run in curves.series.iter().filter_map(|s| s.run.as_deref()) {
        if !runs.contains(&run) {
            runs.push(run);
        }
    }
    runs
}

/// Each series' colour and dash in a panel of `members`: a colour a run and the run's later
/// series in the panel dashed; for one run's log, a colour a series.
fn styles(curves: &Curves, members: &[usize], theme: &Theme) -> Vec<(Rgb, bool)> {
    let runs = runs_of(curves);
    members
        .iter()
        .enumerate()
        .map(|(j, &i)| match curves.series[i].run.as_deref() {
            Some(run) if !runs.is_empty() => {
                let r = runs.iter().position(|x| *x == run).unwrap_or(0);
                let earlier = members[..j].iter().any(|&m| curves.series[m].run.as_deref() == Some(run));
                (cycle_ink(theme, r), earlier)
            }
            _ => (cycle_ink(theme, j), false),
        })
        .collect()
}

/// The inks the curves of `kinds` draw with besides the theme's: the palette needs them
/// before any panel draws.
pub(crate) fn curve_inks(curves: &Curves, kinds: &[PanelKind], theme: &Theme) -> Vec<Ink> {
    let groups = curves.groups();
    let mut inks: Vec<Ink> = vec![];
    let mut add = |ink: Ink| {
        if ink.rgb != theme.line && !inks.iter().any(|i| i.rgb == ink.rgb) {
            inks.push(ink);
        }
    };
    for kind in kinds {
        let PanelKind::Curves(g) = kind else { continue };
        let Some(group) = groups.get(*g) else { continue };
        for (&i, (rgb, _)) in group.members.iter().zip(styles(curves, &group.members, theme)) {
            add(Ink { rgb, levels: 4 });
            if curves.series[i].band.is_some() {
                add(Ink { rgb: band_ink(rgb, theme.background), levels: 1 });
            }
        }
    }
    inks
}

/// One series of the panel.
#[derive(Debug)]
struct Line {
    name: String,
    values: Vec<Option<f64>>,
    /// Per frame, the latest frame at or before it with a value.
    latest: Vec<Option<usize>>,
    ink: Rgb,
    dashed: bool,
    /// The least and most value a frame, and their shade.
    band: Option<([Vec<Option<f64>>; 2], Rgb)>,
    /// The frame whose value is the first not finite after a finite one: the curve leaves.
    leaves: Option<usize>,
}

/// One metric group's curves against the step.
#[derive(Debug)]
pub struct CurvesPanel {
    chart: Chart,
    metrics: Metrics,
    texts: Vec<PlacedText>,
    steps: Vec<f64>,
    lines: Vec<Line>,
    /// Whether the y axis holds log10 of the values.
    log: bool,
    /// Which of the log's groups it draws.
    group: usize,
    /// What the steps count.
    axis: String,
    /// Each frame's place on the axis where not its step (see [`Curves::x`]).
    at: Vec<f64>,
    /// The legend's frame, which curves never draw over.
    legend: Vec<Rect>,
    theme: Theme,
}

/// The y range of `values`: log10 of them when they are positive and span two decades or
/// more (as the loss panel's), padded by 5 %; a constant a tenth of itself each side.
fn y_range(values: &[f64]) -> ((f64, f64), bool) {
    if values.is_empty() {
        return ((0.0, 1.0), false);
    }
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let log = lo > 0.0 && hi / lo >= 100.0;
    let range = if log {
        padded(lo.log10(), hi.log10())
    } else if hi > lo {
        padded(lo, hi)
    } else {
        // One value all along (a constant learning rate).
        let half = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
        (lo - half, hi + half)
    };
    (range, log)
}

/// The x range of the frames' places: matplotlib's 5 % margins each side, so the curves
/// reach neither edge.
fn x_range(at: &[f64]) -> (f64, f64) {
    let (first, last) = at.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if !first.is_finite() {
        return (-0.5, 0.5);
    }
    if last > first {
        padded(first, last)
    } else {
        (first - 0.5, first + 0.5)
    }
}

/// The lines of `group`, styled (see [`styles`]), named for the legend: by their runs when
/// the panel holds one series a run of the same name.
fn lines_of(curves: &Curves, members: &[usize], theme: &Theme) -> Vec<Line> {
    let same_name = members.iter().all(|&i| curves.series[i].name == curves.series[members[0]].name);
    members
        .iter()
        .zip(styles(curves, members, theme))
        .map(|(&i, (ink, dashed))| {
            let series = &curves.series[i];
            let name = match &series.run {
                Some(run) if same_name => run.clone(),
                _ => series.label(),
            };
            let first_bad = series.values.iter().position(|v| v.is_some_and(|v| !v.is_finite()));
            let leaves = first_bad.filter(|&k| series.values[..k].iter().any(|v| v.is_some_and(f64::is_finite)));
            Line {
                name,
                values: series.values.clone(),
                latest: series.latest(),
                ink,
                dashed,
                band: series.band.clone().map(|b| (b, band_ink(ink, theme.background))),
                leaves,
            }
        })
        .collect()
}

impl CurvesPanel {
    /// The panel of group `group` of `layout.curves` (see [`crate::run::Curves::groups`]),
    /// laid out in `area` and its background drawn on `sheet`.
    pub fn of_group(layout: &Layout, group: usize, sheet: &mut Sheet<'_>, area: Rect) -> Result<CurvesPanel> {
        let (curves, theme) = (layout.curves, layout.theme);
        let groups = curves.groups();
        let index = group;
        let Some(group) = groups.get(index) else {
            return Err(Error::invalid(Field::SceneView, index, format!("a curve group below {}", groups.len())));
        };
        let lines = lines_of(curves, &group.members, theme);
        let finite: Vec<f64> = lines
            .iter()
            .flat_map(|l| {
                let band = l.band.iter().flat_map(|([lo, hi], _)| lo.iter().chain(hi));
                l.values.iter().chain(band).flatten().copied()
            })
            .filter(|v| v.is_finite())
            .collect();
        let (y_range, log) = y_range(&finite);
        let axis = if curves.axis.is_empty() { "step".to_string() } else { curves.axis.clone() };
        let steps: Vec<f64> = (0..curves.len()).map(|k| curves.x_of(k)).collect();
        let x_desc = if curves.axis == "time" { "time (s)".to_string() } else { axis.clone() };
        let desc = if log { format!("{} (log scale)", group.name) } else { group.name.clone() };
        let axes = Axes {
            x_range: x_range(&steps),
            y_range,
            x_desc: Some(&x_desc),
            y_desc: Some(&desc),
            x_scale: if curves.x.is_empty() { Scale::Integer } else { Scale::Linear },
            y_scale: if log { Scale::Log } else { Scale::Linear },
            title: layout.title,
        };
        let m = Metrics::for_panel(theme, area.width(), area.height());
        let (chart, mut texts) = draw_axes(&mut sheet.backend(area), area, &axes, theme, &m);
        let mut panel = CurvesPanel {
            chart,
            metrics: m,
            texts: vec![],
            steps,
            lines,
            log,
            group: index,
            axis,
            at: curves.x.clone(),
            legend: vec![],
            theme: theme.clone(),
        };
        let entries: Vec<Entry> =
            panel.lines.iter().map(|l| Entry { name: l.name.clone(), ink: l.ink, dashed: l.dashed }).collect();
        let (points, segments) = panel.pixels();
        if let Some(legend) = Legend::place(&entries, &panel.metrics, panel.chart.inner, &points, &segments) {
            texts.extend(legend.draw(&mut sheet.backend(panel.chart.inner), &panel.metrics, theme));
            panel.legend.push(legend.frame);
        }
        panel.texts = texts;
        Ok(panel)
    }

    /// The y coordinate of a value.
    fn y(&self, v: f64) -> f64 {
        if self.log {
            v.log10()
        } else {
            v
        }
    }

    /// Each series' segments in data units: from each logged value to the next one logged,
    /// and up to the top edge where the series stops being finite.
    fn segments(&self) -> Vec<Segment> {
        let mut all = vec![];
        for line in &self.lines {
            all.extend((1..line.values.len()).filter_map(|k| self.segment_of(line, k)));
        }
        all
    }

    /// The piece of `line` that frame `k` adds, in data units, if any: from its latest value
    /// before `k` to its value at `k`, or up to the top edge where it stops being finite.
    fn segment_of(&self, line: &Line, k: usize) -> Option<Segment> {
        let v = line.values.get(k).copied().flatten()?;
        let p = line.latest[k.checked_sub(1)?]?;
        let from = line.values[p].filter(|f| f.is_finite())?;
        let to = if v.is_finite() {
            (self.steps[k], self.y(v))
        } else if line.leaves == Some(k) {
            let (lo, hi) = self.chart.y_range;
            (self.steps[k], hi + (hi - lo))
        } else {
            return None;
        };
        Some(((self.steps[p], self.y(from)), to))
    }

    /// The curves' logged points and segments in canvas pixels (inside the box), for the
    /// legend's placement.
    fn pixels(&self) -> (Vec<(f64, f64)>, Vec<Segment>) {
        let mut points = vec![];
        for line in &self.lines {
            for (k, v) in line.values.iter().enumerate() {
                if let Some(v) = v.filter(|v| v.is_finite()) {
                    let p = (self.steps[k], self.y(v));
                    if self.chart.contains(p) {
                        points.push(self.chart.to_point(p.0, p.1));
                    }
                }
            }
        }
        let segments = self
            .segments()
            .into_iter()
            .filter_map(|(p, q)| self.chart.clip_segment(p, q))
            .map(|(p, q)| (self.chart.to_point(p.0, p.1), self.chart.to_point(q.0, q.1)))
            .collect();
        (points, segments)
    }

    /// The length in pixels of `line`'s curve up to frame `k`'s value: where its dashes are.
    fn dash_phase(&self, line: &Line, k: usize) -> f64 {
        (1..=k)
            .filter_map(|j| self.segment_of(line, j))
            .map(|(p, q)| {
                let (a, b) = (self.chart.to_point(p.0, p.1), self.chart.to_point(q.0, q.1));
                (b.0 - a.0).hypot(b.1 - a.1)
            })
            .filter(|d| d.is_finite())
            .sum()
    }

    /// A backend drawing into `base` inside the box, around the legend.
    fn backend<'a>(&'a self, base: &'a mut Canvas, palette: &'a Palette) -> CanvasBackend<'a> {
        CanvasBackend::new(base, Blender::Frozen(palette), self.chart.inner).keeping_out(&self.legend)
    }

    /// The band of `line` between frames `p` and `k`, column by column, where the page shows.
    fn band(&self, base: &mut Canvas, palette: &Palette, line: &Line, p: usize, k: usize) -> Rect {
        let Some(([lo, hi], shade)) = &line.band else { return Rect::EMPTY };
        let (Some(Some(l0)), Some(Some(h0)), Some(Some(l1)), Some(Some(h1))) =
            (lo.get(p), hi.get(p), lo.get(k), hi.get(k))
        else {
            return Rect::EMPTY;
        };
        let ys = [*l0, *h0, *l1, *h1].map(|v| self.y(v));
        if !ys.iter().all(|v| v.is_finite()) {
            return Rect::EMPTY;
        }
        let (a0, a1) = (self.chart.to_point(self.steps[p], ys[0]), self.chart.to_point(self.steps[k], ys[2]));
        let (b0, b1) = (self.chart.to_point(self.steps[p], ys[1]), self.chart.to_point(self.steps[k], ys[3]));
        let page = palette.index_of(self.theme.background);
        let mut backend = self.backend(base, palette);
        let pen = backend.pen(*shade);
        let (x_from, x_to) = (a0.0.round() as i64, a1.0.round() as i64);
        for x in x_from..x_to.max(x_from + 1) {
            let t = if a1.0 > a0.0 { ((x as f64 + 0.5 - a0.0) / (a1.0 - a0.0)).clamp(0.0, 1.0) } else { 1.0 };
            let (ya, yb) = (a0.1 + t * (a1.1 - a0.1), b0.1 + t * (b1.1 - b0.1));
            for y in (ya.min(yb).round() as i64)..(ya.max(yb).round() as i64) {
                let under = u32::try_from(x).ok().zip(u32::try_from(y).ok()).and_then(|(x, y)| backend.index_at(x, y));
                if under.is_some() && under == page {
                    backend.put(x, y, pen, 1.0);
                }
            }
        }
        backend.dirty
    }

    /// Where the marker of a series leaving at frame `k` is: its middle, the top of the box,
    /// and its height.
    fn leaves_at(&self, k: usize) -> (f64, f64, f64) {
        let x = self.chart.to_point(self.steps[k], 0.0).0;
        (x, f64::from(self.chart.inner.y0), self.metrics.marker * 1.6)
    }

    /// The marker (a triangle against the top edge, in the line's colour) where `line` stops
    /// being finite at frame `k`; the caption says from which step the run diverged.
    fn leaves(&self, base: &mut Canvas, palette: &Palette, line: &Line, k: usize) -> Rect {
        let (x, top, size) = self.leaves_at(k);
        let mut backend = self.backend(base, palette);
        for row in 0..size.ceil() as i64 {
            let half = (row as f64 + 0.5) * 0.6;
            let y = top + 1.0 + row as f64;
            stroke::segment(&mut backend, (x - half, y + 0.5), (x + half, y + 0.5), 1.0, line.ink, 1.0);
        }
        backend.dirty
    }

    /// What frame `k` adds to `line` for good: its band, its segment (dashed or not), a dot
    /// at its first value (so frame 0 shows where each curve starts), the mark where it leaves.
    fn grow(&self, base: &mut Canvas, palette: &Palette, line: &Line, k: usize) -> Rect {
        let mut dirty = Rect::EMPTY;
        let previous = k.checked_sub(1).and_then(|j| line.latest[j]);
        let value = line.values.get(k).copied().flatten();
        if let (Some(p), Some(_)) = (previous, value) {
            dirty = dirty.union(self.band(base, palette, line, p, k));
        }
        let m = &self.metrics;
        if let Some((p0, q0)) = self.segment_of(line, k) {
            if let Some((p, q)) = self.chart.clip_segment(p0, q0) {
                let (a, b) = (self.chart.to_point(p.0, p.1), self.chart.to_point(q.0, q.1));
                let mut backend = self.backend(base, palette);
                if line.dashed {
                    let start = self.chart.to_point(p0.0, p0.1);
                    let phase = self.dash_phase(line, previous.unwrap_or(0)) + (a.0 - start.0).hypot(a.1 - start.1);
                    dashed(&mut backend, a, b, m.curve_width, line.ink, phase);
                } else {
                    stroke::segment(&mut backend, a, b, m.curve_width, line.ink, 1.0);
                }
                dirty = dirty.union(backend.dirty);
            }
        }
        if let (None, Some(v)) = (previous, value) {
            let p = (self.steps[k], self.y(v));
            if v.is_finite() && self.chart.contains(p) {
                let mut backend = self.backend(base, palette);
                stroke::disc(&mut backend, self.chart.to_point(p.0, p.1), m.curve_width, line.ink, 1.0);
                dirty = dirty.union(backend.dirty);
            }
        }
        if line.leaves == Some(k) {
            dirty = dirty.union(self.leaves(base, palette, line, k));
        }
        dirty
    }
}

impl Panel for CurvesPanel {
    /// The first group's panel; [`PanelKind::Curves`] picks another with [`CurvesPanel::of_group`].
    fn background(layout: &Layout, sheet: &mut Sheet<'_>, area: Rect) -> Result<CurvesPanel> {
        CurvesPanel::of_group(layout, 0, sheet, area)
    }

    fn kind(&self) -> PanelKind {
        PanelKind::Curves(self.group)
    }

    super::chart_metrics_texts!();

    /// The whole curves, as small boxes along them, the markers where they leave, and the
    /// legend's frame tiled with as many boxes as the curves' own: a caption placed over the
    /// panel keeps off them (as matplotlib's `legend(loc="best")` keeps off the data), and off
    /// the legend above all.
    fn mark_boxes(&self) -> Vec<(f64, f64, f64, f64)> {
        let r = self.metrics.curve_width;
        let mut boxes: Vec<(f64, f64, f64, f64)> = vec![];
        for f in &self.legend {
            let (w, h) = ((2.0 * r).max(1.0), (2.0 * r).max(1.0));
            let (x0, y0) = (f64::from(f.x0), f64::from(f.y0));
            let (nx, ny) = ((f64::from(f.width()) / w).ceil() as usize, (f64::from(f.height()) / h).ceil() as usize);
            for (i, j) in (0..nx).flat_map(|i| (0..ny).map(move |j| (i, j))) {
                let (x, y) = (x0 + i as f64 * w, y0 + j as f64 * h);
                boxes.push((x, y, (x + w).min(f64::from(f.x1)), (y + h).min(f64::from(f.y1))));
            }
        }
        for k in self.lines.iter().filter_map(|l| l.leaves) {
            let (x, top, size) = self.leaves_at(k);
            boxes.push((x - size, top, x + size, top + size + 1.0));
        }
        for (p, q) in self.segments() {
            let Some((p, q)) = self.chart.clip_segment(p, q) else { continue };
            let (a, b) = (self.chart.to_point(p.0, p.1), self.chart.to_point(q.0, q.1));
            let n = ((b.0 - a.0).hypot(b.1 - a.1) / (2.0 * r)).ceil().clamp(1.0, 1000.0) as usize;
            boxes.extend((0..=n).map(|i| {
                let t = i as f64 / n as f64;
                let (x, y) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
                (x - r, y - r, x + r, y + r)
            }));
        }
        boxes
    }

    fn inks(&self) -> Vec<Rgb> {
        let mut inks: Vec<Rgb> = self.lines.iter().map(|l| l.ink).collect();
        inks.extend(self.lines.iter().filter_map(|l| l.band.as_ref().map(|b| b.1)));
        inks
    }

    fn step_axis(&self) -> Option<StepAxis<'_>> {
        Some(StepAxis { name: &self.axis, at: &self.at })
    }

    fn has_progress(&self) -> bool {
        true
    }

    /// What frame `k` adds to each series (see [`CurvesPanel::grow`]): a series logged every
    /// 100 steps is drawn point to point.
    fn progress(&self, base: &mut Canvas, palette: &Palette, _run: &Run, k: usize) -> Result<Rect> {
        let mut dirty = Rect::EMPTY;
        for line in &self.lines {
            dirty = dirty.union(self.grow(base, palette, line, k));
        }
        Ok(dirty)
    }

    /// The latest value of each series at frame `k`: `loss 0.412   val_loss 0.53`.
    fn caption_values(&self, k: usize) -> Option<String> {
        let shown: Vec<String> = self
            .lines
            .iter()
            .filter_map(|l| {
                let v = l.latest.get(k).copied().flatten().and_then(|j| l.values[j])?;
                Some(format!("{} {}", l.name, short_number(v)))
            })
            .collect();
        (!shown.is_empty()).then(|| shown.join("   "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_values_over_two_decades_go_on_a_log_axis() {
        assert!(y_range(&[0.01, 0.5, 2.0]).1);
        assert!(!y_range(&[0.5, 2.0]).1);
        assert!(!y_range(&[-1.0, 200.0]).1);
        assert_eq!(y_range(&[0.1, 0.1]), ((0.09, 0.11000000000000001), false));
        assert_eq!(y_range(&[]), ((0.0, 1.0), false));
    }
}
