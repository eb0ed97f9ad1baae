//! The line panel: the data as a scatter and the fitted line over it, the post's view. The
//! axes cover the data and the start line, as matplotlib autoscales the lesson's figure (or,
//! for user data, the data alone, so it fills the plot); the line is drawn across the data's
//! x range, as `plt.plot(x, x@a)` does, and clipped to the box.

use super::{Layout, Panel, PanelKind, Sheet};
use crate::error::Result;
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::render::axes::{draw_axes, Axes};
use crate::render::backend::{Blender, CanvasBackend};
use crate::render::geometry::{padded, Chart};
use crate::render::stroke;
use crate::render::text::PlacedText;
use crate::render::theme::{Metrics, Theme};
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
        Ok(LinePanel {
            chart,
            metrics,
            texts,
            points,
            x_span: (x_min, x_max),
            theme: theme.clone(),
            show_batch: layout.show_batch,
        })
    }

    fn kind(&self) -> PanelKind {
        PanelKind::Line
    }

    super::chart_metrics_texts!();

    /// The scatter's markers inside the box.
    fn mark_boxes(&self) -> Vec<(f64, f64, f64, f64)> {
        let r = self.metrics.marker;
        self.points
            .iter()
            .filter(|p| self.chart.contains(**p))
            .map(|&(x, y)| {
                let (px, py) = self.chart.to_point(x, y);
                (px - r, py - r, px + r, py + r)
            })
            .collect()
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
        }
        Ok(plot.dirty)
    }
}
