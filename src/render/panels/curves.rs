//! A logged run's curves: one metric group (the losses, the learning rate, an accuracy) against
//! the logged steps, drawn once as empty axes with a legend when the group has several series,
//! then grown a segment a frame into the base, as the loss curve is. The axis turns
//! logarithmic when a positive group spans two decades or more.

use super::{progress_segment, Area, Layout, Panel, PanelKind};
use crate::error::Result;
use crate::format::short_number;
use crate::raster::{Canvas, Ink, Palette, Rect, Rgb};
use crate::render::geometry::{draw_err, padded, rgb, Axes, Chart};
use crate::render::theme::{Theme, FONT_FAMILY};
use crate::render::ticks::Scale;
use crate::replay::Curves;
use crate::train::Run;
use plotters::prelude::*;

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
pub(crate) fn curve_inks(curves: &Curves, kinds: &[PanelKind]) -> Vec<Ink> {
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
    steps: Vec<f64>,
    lines: Vec<Line>,
    /// Whether the y axis holds log10 of the values.
    log: bool,
    /// Which of the log's groups it draws.
    group: usize,
}

impl CurvesPanel {
    /// The panel of group `group` of `layout.curves` (see [`Curves::groups`]).
    pub fn of_group(layout: &Layout, group: usize, area: &Area<'_>) -> Result<CurvesPanel> {
        let (curves, theme) = (layout.curves, layout.theme);
        let groups = curves.groups();
        let index = group;
        let Some(group) = groups.get(index) else {
            return Err(crate::error::Error::invalid(
                "scene.view",
                index,
                format!("a curve group below {}", groups.len()),
            ));
        };
        let lines: Vec<Line> = group
            .members
            .iter()
            .enumerate()
            .map(|(j, &i)| {
                let series = &curves.series[i];
                Line {
                    name: series.name.clone(),
                    values: series.values.clone(),
                    latest: series.latest(),
                    ink: series_ink(theme, j),
                }
            })
            .collect();
        let finite: Vec<f64> =
            lines.iter().flat_map(|l| l.values.iter().flatten().copied()).filter(|v| v.is_finite()).collect();
        let (lo, hi) = finite.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        // Log scale when the values are positive and span two decades or more, as the loss panel's.
        let log = lo > 0.0 && hi / lo >= 100.0;
        let y_range = if finite.is_empty() {
            (0.0, 1.0)
        } else if log {
            padded(lo.log10(), hi.log10())
        } else if hi > lo {
            padded(lo, hi)
        } else {
            // One value all along (a constant learning rate): a tenth of it each side.
            let half = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
            (lo - half, hi + half)
        };
        let x_range =
            (curves.steps.first().copied().unwrap_or(0) as f64, curves.steps.last().copied().unwrap_or(1) as f64);
        let desc = if log { format!("{} (log scale)", group.name) } else { group.name.clone() };
        let axes = Axes {
            x_range,
            y_range,
            top: layout.top,
            x_desc: Some("step"),
            y_desc: Some(&desc),
            x_scale: Scale::Integer,
            y_scale: if log { Scale::Log } else { Scale::Linear },
        };
        // Several series: a legend right of the plot, so no curve ever runs under it.
        let (w, _) = area.dim_in_pixel();
        let legend = if lines.len() > 1 {
            let chars = lines.iter().map(|l| l.name.chars().count()).max().unwrap_or(0) as u32;
            (chars * theme.label_size * 3 / 5 + 40).min(w / 3)
        } else {
            0
        };
        let (plot, side) = area.split_horizontally(w - legend);
        let chart = Chart::draw(&plot, &axes, theme, |_| Ok(()))?;
        if legend > 0 {
            let (_, by) = side.get_base_pixel();
            let font = (FONT_FAMILY, theme.label_size).into_font().color(&rgb(theme.foreground));
            let row = theme.label_size as i32 + 6;
            for (j, line) in lines.iter().enumerate() {
                let y = chart.inner.y0 as i32 - by + 8 + j as i32 * row;
                let swatch = PathElement::new(vec![(2, y), (22, y)], rgb(line.ink).stroke_width(2));
                side.draw(&swatch).map_err(draw_err)?;
                let text = Text::new(line.name.clone(), (28, y - theme.label_size as i32 / 2), font.clone());
                side.draw(&text).map_err(draw_err)?;
            }
        }
        let steps = curves.steps.iter().map(|&s| s as f64).collect();
        Ok(CurvesPanel { chart, steps, lines, log, group: index })
    }
}

impl Panel for CurvesPanel {
    /// The first group's panel; [`PanelKind::Curves`] picks another with [`CurvesPanel::of_group`].
    fn background(layout: &Layout, area: &Area<'_>, _frame: &Area<'_>) -> Result<CurvesPanel> {
        CurvesPanel::of_group(layout, 0, area)
    }

    fn kind(&self) -> PanelKind {
        PanelKind::Curves(self.group)
    }

    fn chart(&self) -> &Chart {
        &self.chart
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
        let y = |v: f64| if self.log { v.log10() } else { v };
        let mut dirty = Rect::EMPTY;
        for line in &self.lines {
            let (Some(Some(v)), Some(Some(p))) = (line.values.get(k), k.checked_sub(1).map(|j| line.latest[j])) else {
                continue;
            };
            let Some(from) = line.values[p] else { continue };
            let (a, b) = ((self.steps[p], y(from)), (self.steps[k], y(*v)));
            dirty = dirty.union(progress_segment(base, palette, &self.chart, line.ink, a, b)?);
        }
        Ok(dirty)
    }

    /// The latest value of each series at frame `k`: `loss 0.412   val_loss 0.530`.
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
