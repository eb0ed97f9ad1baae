//! The line panel: the data as a scatter and the fitted line over it, the post's view. The
//! axes cover the data and the start line, as matplotlib autoscales the lesson's figure (or,
//! for user data, the data alone, so it fills the plot); the line is drawn across the data's
//! x range, as `plt.plot(x, x@a)` does, and clipped to the box. While the line is outside
//! the box (a run that overshoots), an arrow at the edge it left through and the words "line
//! above" or "line below" say where it went, so no frame shows an empty plot without words.

use super::{Layout, Panel, PanelKind, Sheet};
use crate::error::Result;
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::render::axes::{draw_axes, Axes};
use crate::render::backend::{Blender, CanvasBackend};
use crate::render::geometry::{padded, Chart};
use crate::render::stroke;
use crate::render::text::{overlaps, place, Align, PlacedText, Valign};
use crate::render::theme::{Metrics, Theme, CAPTION_SHADES};
use crate::render::ticks::Scale;

/// The data and the fitted line.
#[derive(Debug)]
pub struct LinePanel {
    chart: Chart,
    metrics: Metrics,
    texts: Vec<PlacedText>,
    points: Vec<(f64, f64)>,
    /// The data's x range: where lines are drawn.
    x_span: (f64, f64),
    theme: Theme,
    show_batch: bool,
    /// The marks for a line above the box and below it (or lost: not finite), placed once.
    off_plot: [OffPlotMark; 3],
}

/// Where a line that misses the box went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffPlot {
    /// Above the box, across the data's x range.
    Above,
    /// Below the box.
    Below,
    /// Its slope or intercept is not finite (a diverged run).
    Lost,
}

/// The mark drawn while the line is outside the box: an arrow at the edge it left through,
/// pointing out, and a note beside it on a halo.
#[derive(Debug, Clone, PartialEq)]
pub struct OffPlotMark {
    /// The arrow's tip (on the edge) and its tail (inside), in canvas pixels.
    pub arrow: ((f64, f64), (f64, f64)),
    /// "line above", "line below" or "line off scale", placed.
    pub note: PlacedText,
    /// Everything the mark draws (the arrow, the note and its halo), as a box in canvas pixels.
    pub bounds: (f64, f64, f64, f64),
}

impl OffPlotMark {
    /// The mark for `which` at the edge of `inner`, at the first of a few places along it
    /// that keeps clear of `markers` (the fewest covered if none does).
    fn place(which: OffPlot, inner: Rect, m: &Metrics, markers: &[(f64, f64, f64, f64)]) -> OffPlotMark {
        let (x0, y0, x1, y1) = (f64::from(inner.x0), f64::from(inner.y0), f64::from(inner.x1), f64::from(inner.y1));
        let len = (3.0 * m.marker).max(6.0);
        let candidates = [0.5, 0.35, 0.65, 0.2, 0.8].map(|share: f64| {
            let x = (x0 + share * (x1 - x0)).round() + 0.5;
            let (tip, tail) = match which {
                OffPlot::Below => ((x, y1 - 1.0), (x, y1 - 1.0 - len)),
                OffPlot::Above | OffPlot::Lost => ((x, y0 + 1.0), (x, y0 + 1.0 + len)),
            };
            let text = match which {
                OffPlot::Above => "line above",
                OffPlot::Below => "line below",
                OffPlot::Lost => "line off scale",
            };
            let mid = (tip.1 + tail.1) / 2.0;
            let mut note =
                place(text, m.font, (x + m.marker + f64::from(m.halo), mid), Align::Left, Valign::Center, true);
            // Drawn in the frames where the line is out, so it keeps the caption's few shades.
            note.mask = note.mask.quantized(CAPTION_SHADES);
            let (halo, reach) = (f64::from(m.halo) + 1.0, m.line_width + 1.0);
            let (l, t, r, b) = note.bounds;
            let bounds = (
                (x - reach - len / 2.0).min(l - halo),
                tip.1.min(tail.1).min(t - halo) - reach,
                r + halo,
                tip.1.max(tail.1).max(b + halo) + reach,
            );
            OffPlotMark { arrow: (tip, tail), note, bounds }
        });
        let covered = |c: &OffPlotMark| markers.iter().filter(|mk| overlaps(c.bounds, **mk, 0.0)).count();
        let least = candidates.iter().map(covered).min().unwrap_or(0);
        candidates.into_iter().find(|c| covered(c) == least).unwrap_or_else(|| unreachable!("five candidates"))
    }
}

/// The radius of the largest marker a frame draws at a data point (a batch's points are drawn
/// a little larger), plus the half pixel its anti-aliased edge reaches.
fn drawn_radius(m: &Metrics, show_batch: bool) -> f64 {
    let batch = if show_batch { m.scale.max(0.5) } else { 0.0 };
    m.marker + batch + 0.5
}

/// Boxes around the points inside the chart's box, `r` each way, in canvas pixels.
fn marker_boxes(chart: &Chart, points: &[(f64, f64)], r: f64) -> Vec<(f64, f64, f64, f64)> {
    points
        .iter()
        .filter(|p| chart.contains(**p))
        .map(|&(x, y)| {
            let (px, py) = chart.to_point(x, y);
            (px - r, py - r, px + r, py + r)
        })
        .collect()
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)))
}

impl Panel for LinePanel {
    /// Axes over the data and the starting line (5 % margins), and the scatter.
    fn background(layout: &Layout, sheet: &mut Sheet<'_>, area: Rect) -> Result<LinePanel> {
        let (data, theme, start) = (layout.data, layout.theme, layout.start);
        let (x_min, x_max) = min_max(&data.x);
        let (mut y_min, mut y_max) = min_max(&data.y);
        if !layout.data_limits {
            for x in [x_min, x_max] {
                let y = start.0 * x + start.1;
                if y.is_finite() {
                    y_min = y_min.min(y);
                    y_max = y_max.max(y);
                }
            }
        }
        let axes = Axes {
            x_range: padded(x_min, x_max),
            y_range: padded(y_min, y_max),
            x_desc: None,
            y_desc: None,
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
            title: layout.title,
        };
        let metrics = Metrics::for_panel(theme, area.width(), area.height());
        let (chart, texts) = draw_axes(&mut sheet.backend(area), area, &axes, theme, &metrics);
        let points: Vec<(f64, f64)> = data.x.iter().copied().zip(data.y.iter().copied()).collect();
        let mut plot = sheet.backend(chart.inner);
        for &(x, y) in &points {
            stroke::disc(&mut plot, chart.to_point(x, y), metrics.marker, theme.scatter, 1.0);
        }
        let markers = marker_boxes(&chart, &points, drawn_radius(&metrics, layout.show_batch));
        let off_plot = [OffPlot::Above, OffPlot::Below, OffPlot::Lost]
            .map(|which| OffPlotMark::place(which, chart.inner, &metrics, &markers));
        Ok(LinePanel {
            chart,
            metrics,
            texts,
            points,
            x_span: (x_min, x_max),
            theme: theme.clone(),
            show_batch: layout.show_batch,
            off_plot,
        })
    }

    fn kind(&self) -> PanelKind {
        PanelKind::Line
    }

    super::chart_metrics_texts!();

    /// The scatter's markers inside the box, as far as any frame draws them (a batch's points
    /// larger, with their anti-aliased edge).
    fn mark_boxes(&self) -> Vec<(f64, f64, f64, f64)> {
        marker_boxes(&self.chart, &self.points, drawn_radius(&self.metrics, self.show_batch))
    }

    /// The arrow and note for `line` when it misses the box.
    fn off_plot(&self, line: (f64, f64)) -> Option<&OffPlotMark> {
        if self.chart.line_across(self.x_span, line).is_some() {
            return None;
        }
        let middle = (self.x_span.0 + self.x_span.1) / 2.0;
        let y = line.0 * middle + line.1;
        let which = if !y.is_finite() {
            OffPlot::Lost
        } else if y > self.chart.y_range.1 {
            OffPlot::Above
        } else {
            OffPlot::Below
        };
        Some(&self.off_plot[which as usize])
    }

    /// The line over everything in the box; the batch after it (the trail is the line's ink).
    fn inks(&self) -> Vec<Rgb> {
        let mut inks = vec![self.theme.line];
        if self.show_batch {
            inks.push(self.theme.batch);
        }
        inks
    }

    /// The batch's points, then the trail (oldest and faintest first), then the line.
    fn overlay(&self, canvas: &mut Canvas, palette: &Palette, overlay: &super::Overlay) -> Result<Rect> {
        let (theme, m) = (&self.theme, &self.metrics);
        let chart = &self.chart;
        let mut plot = CanvasBackend::new(canvas, Blender::Frozen(palette), chart.inner);
        if !overlay.batch.is_empty() {
            let mut batch = overlay.batch.clone();
            batch.sort_unstable();
            batch.dedup();
            for i in batch.into_iter().filter(|&i| i < self.points.len()) {
                let (x, y) = self.points[i];
                stroke::disc(&mut plot, chart.to_point(x, y), m.marker + m.scale.max(0.5), theme.batch, 1.0);
            }
        }
        // Earlier lines blend with what is under them: the older half fainter than the recent half.
        let half = overlay.trail.len() / 2;
        for (j, line) in overlay.trail.iter().enumerate() {
            let opacity = if j < half { theme.trail_opacity * 0.45 } else { theme.trail_opacity };
            if let Some((a, b)) = self.chart.line_across(self.x_span, *line) {
                stroke::segment(&mut plot, a, b, m.line_width * 0.7, theme.line, opacity);
            }
        }
        if let Some((a, b)) = self.chart.line_across(self.x_span, overlay.line) {
            stroke::segment(&mut plot, a, b, m.line_width, theme.line, 1.0);
        } else if let Some(mark) = self.off_plot(overlay.line) {
            let (tip, tail) = mark.arrow;
            let head = (m.line_width * 2.0).max(3.0);
            let back = if tail.1 > tip.1 { head } else { -head };
            stroke::segment(&mut plot, tail, tip, m.line_width, theme.line, 1.0);
            for side in [-head, head] {
                stroke::segment(&mut plot, (tip.0 + side, tip.1 + back), tip, m.line_width, theme.line, 1.0);
            }
            stroke::haloed(&mut plot, &mark.note.mask, m.halo, theme.foreground, theme.background);
        }
        Ok(plot.dirty)
    }
}
