//! A logged run's curves: one metric group (the losses, the learning rate, an accuracy) against
//! the logged steps, drawn once as empty axes with a legend beside the plot when the group has
//! several series, then grown a segment a frame into the base, as the loss curve is. The axis
//! turns logarithmic when a positive group spans two decades or more.

use super::{Layout, Panel, PanelKind, Sheet};
use crate::error::{Error, Result};
use crate::format::short_number;
use crate::raster::{Canvas, Ink, Palette, Rect, Rgb};
use crate::render::axes::{draw_axes, Axes};
use crate::render::backend::{Blender, CanvasBackend};
use crate::render::geometry::{padded, Chart};
use crate::render::stroke;
use crate::render::text::{layout as text_layout, place, Align, PlacedText, Valign};
use crate::render::theme::{Metrics, Theme};
use crate::render::ticks::Scale;
use crate::run::Run;

/// matplotlib's colour cycle after its first colour (the theme's line): the second series of a
/// panel is orange, the third green, and so on.
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

/// The colour of a panel's `j`-th series.
fn series_ink(theme: &Theme, j: usize) -> Rgb {
    if j == 0 {
        theme.line
    } else {
        CYCLE[(j - 1) % CYCLE.len()]
    }
}

/// The inks the curves of `kinds` draw with besides the theme's: the palette needs them
/// before any panel draws.
pub(crate) fn curve_inks(curves: &crate::run::Curves, kinds: &[PanelKind]) -> Vec<Ink> {
    let groups = curves.groups();
    let most = kinds
        .iter()
        .filter_map(|k| match k {
            PanelKind::Curves(g) => groups.get(*g).map(|g| g.members.len()),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    (1..most.min(CYCLE.len() + 1)).map(|j| Ink { rgb: CYCLE[j - 1], levels: 4 }).collect()
}

/// One series of the panel.
#[derive(Debug)]
struct Line {
    name: String,
    values: Vec<Option<f64>>,
    /// Per frame, the latest frame at or before it with a value.
    latest: Vec<Option<usize>>,
    ink: Rgb,
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

/// `name` cut (with an ellipsis) to at most `room` pixels at `px` per em.
fn fitted(name: &str, px: f64, room: f64) -> String {
    if text_layout(name, px).width <= room {
        return name.to_string();
    }
    let mut chars: Vec<char> = name.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().chain(std::iter::once(&'\u{2026}')).collect();
        if text_layout(&cut, px).width <= room {
            return cut;
        }
    }
    String::new()
}

impl CurvesPanel {
    /// The panel of group `group` of `layout.curves` (see [`crate::run::Curves::groups`]),
    /// laid out in `area` and its background drawn on `sheet`.
    pub fn of_group(layout: &Layout, group: usize, sheet: &mut Sheet<'_>, area: Rect) -> Result<CurvesPanel> {
        let (curves, theme) = (layout.curves, layout.theme);
        let groups = curves.groups();
        let index = group;
        let Some(group) = groups.get(index) else {
            return Err(Error::invalid("scene.view", index, format!("a curve group below {}", groups.len())));
        };
        let lines: Vec<Line> = group
            .members
            .iter()
            .enumerate()
            .map(|(j, &i)| {
                let series = &curves.series[i];
                Line {
                    name: series.label(),
                    values: series.values.clone(),
                    latest: series.latest(),
                    ink: series_ink(theme, j),
                }
            })
            .collect();
        let finite: Vec<f64> =
            lines.iter().flat_map(|l| l.values.iter().flatten().copied()).filter(|v| v.is_finite()).collect();
        let (y_range, log) = y_range(&finite);
        let x_range =
            (curves.steps.first().copied().unwrap_or(0) as f64, curves.steps.last().copied().unwrap_or(1) as f64);
        let desc = if log { format!("{} (log scale)", group.name) } else { group.name.clone() };
        let axes = Axes {
            x_range,
            y_range,
            x_desc: Some(if curves.axis.is_empty() { "step" } else { curves.axis.as_str() }),
            y_desc: Some(&desc),
            x_scale: Scale::Integer,
            y_scale: if log { Scale::Log } else { Scale::Linear },
            title: layout.title,
        };
        let m = Metrics::for_panel(theme, area.width(), area.height());
        // Several series: a legend right of the plot (matplotlib's handle of 2 em, 0.8 em to the
        // name), so no curve ever runs under it. The axes give up what their own right margin
        // (10 % of what they get) does not hold, at most a third of the panel.
        let (handle, gap) = (2.0 * m.font, 0.8 * m.font);
        let legend = if lines.len() > 1 {
            let widest = lines.iter().map(|l| text_layout(&l.name, m.font).width).fold(0.0, f64::max);
            let want = m.spine as f64 + 2.0 * m.pad + handle + gap + widest + m.edge + 1.0;
            let reserve = ((want - 0.1 * f64::from(area.width())) / 0.9).max(0.0);
            (reserve.ceil() as u32).min(area.width() / 3)
        } else {
            0
        };
        let plot_area = Rect { x1: area.x1 - legend, ..area };
        let (chart, mut texts) = draw_axes(&mut sheet.backend(plot_area), plot_area, &axes, theme, &m);
        if lines.len() > 1 {
            let x0 = f64::from(chart.inner.x1) + m.spine as f64 + 2.0 * m.pad;
            let room = f64::from(area.x1) - m.edge - (x0 + handle + gap);
            let row = {
                let l = text_layout("lp", m.font);
                (l.ascent + l.descent) * 1.5
            };
            let mut backend = sheet.backend(area);
            for (j, line) in lines.iter().enumerate() {
                let y = f64::from(chart.inner.y0) + m.pad + (j as f64 + 0.5) * row;
                let name = fitted(&line.name, m.font, room);
                if y + row / 2.0 > f64::from(chart.inner.y1) || name.is_empty() {
                    break;
                }
                stroke::segment(&mut backend, (x0, y), (x0 + handle, y), m.curve_width, line.ink, 1.0);
                let text = place(&name, m.font, (x0 + handle + gap, y), Align::Left, Valign::Center, true);
                stroke::mask(&mut backend, &text.mask, theme.foreground);
                texts.push(text);
            }
        }
        let steps = curves.steps.iter().map(|&s| s as f64).collect();
        Ok(CurvesPanel { chart, metrics: m, texts, steps, lines, log, group: index })
    }

    /// The y coordinate of a value.
    fn y(&self, v: f64) -> f64 {
        if self.log {
            v.log10()
        } else {
            v
        }
    }

    /// The segment `p`-`q` (data units) in `ink`, clipped to the box; the rectangle changed.
    fn segment(&self, base: &mut Canvas, palette: &Palette, ink: Rgb, p: (f64, f64), q: (f64, f64)) -> Rect {
        let Some((p, q)) = self.chart.clip_segment(p, q) else {
            return Rect::EMPTY;
        };
        let mut backend = CanvasBackend::new(base, Blender::Frozen(palette), self.chart.inner);
        let (a, b) = (self.chart.to_point(p.0, p.1), self.chart.to_point(q.0, q.1));
        stroke::segment(&mut backend, a, b, self.metrics.curve_width, ink, 1.0);
        backend.dirty
    }

    /// Each series' segments in data units: from each logged value to the next one logged.
    fn segments(&self) -> impl Iterator<Item = ((f64, f64), (f64, f64))> + '_ {
        self.lines.iter().flat_map(move |line| {
            (1..line.values.len()).filter_map(move |k| {
                let v = line.values[k]?;
                let p = line.latest[k - 1]?;
                let from = line.values[p]?;
                Some(((self.steps[p], self.y(from)), (self.steps[k], self.y(v))))
            })
        })
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

    /// The whole curves, as small boxes along them: a caption placed over the panel keeps off
    /// them, as matplotlib's `legend(loc="best")` keeps off the data.
    fn mark_boxes(&self) -> Vec<(f64, f64, f64, f64)> {
        let r = self.metrics.curve_width;
        let mut boxes = vec![];
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
        self.lines.iter().map(|l| l.ink).collect()
    }

    fn has_progress(&self) -> bool {
        true
    }

    /// Each series' segment from its latest value before frame `k` to its value at `k`, if it
    /// logged one there (so a series logged every 100 steps is drawn point to point).
    fn progress(&self, base: &mut Canvas, palette: &Palette, _run: &Run, k: usize) -> Result<Rect> {
        let mut dirty = Rect::EMPTY;
        for line in &self.lines {
            let (Some(Some(v)), Some(Some(p))) = (line.values.get(k), k.checked_sub(1).map(|j| line.latest[j])) else {
                continue;
            };
            let Some(from) = line.values[p] else { continue };
            let (a, b) = ((self.steps[p], self.y(from)), (self.steps[k], self.y(*v)));
            dirty = dirty.union(self.segment(base, palette, line.ink, a, b));
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
    fn names_are_cut_to_their_room() {
        let px = 14.0;
        assert_eq!(fitted("loss", px, 1000.0), "loss");
        let cut = fitted("a_very_long_metric_name", px, 60.0);
        assert!(cut.ends_with('\u{2026}') && text_layout(&cut, px).width <= 60.0, "{cut}");
        assert_eq!(fitted("loss", px, 1.0), "");
    }

    #[test]
    fn positive_values_over_two_decades_go_on_a_log_axis() {
        assert!(y_range(&[0.01, 0.5, 2.0]).1);
        assert!(!y_range(&[0.5, 2.0]).1);
        assert!(!y_range(&[-1.0, 200.0]).1);
        assert_eq!(y_range(&[0.1, 0.1]), ((0.09, 0.11000000000000001), false));
        assert_eq!(y_range(&[]), ((0.0, 1.0), false));
    }
}
