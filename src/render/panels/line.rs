//! The post's panel: the data as a scatter, drawn once, and per frame the fitted line, the
//! faded trail of earlier lines and the mini-batch's points. Its ranges hold the data and the
//! starting line, fixed for every frame as in the post, so the line visibly moves.

use super::{Area, Layout, Overlay, Panel, PanelKind};
use crate::error::Result;
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::render::backend::{backend_err, Blender, CanvasBackend};
use crate::render::geometry::{clip_line, draw_err, padded, rgb, Axes, Chart};
use crate::render::theme::Theme;
use crate::render::ticks::Scale;
use plotters::prelude::*;
use plotters_backend::DrawingBackend;

/// The data and the fitted line.
#[derive(Debug)]
pub struct LinePanel {
    chart: Chart,
    points: Vec<(f64, f64)>,
    theme: Theme,
    trail: bool,
    show_batch: bool,
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)))
}

impl Panel for LinePanel {
    /// Axes over the data and the starting line (5 % margins), and the scatter.
    fn background(layout: &Layout, area: &Area<'_>, _frame: &Area<'_>) -> Result<LinePanel> {
        let (data, theme, start) = (layout.data, layout.theme, layout.start);
        let (x_min, x_max) = min_max(&data.x);
        let (mut y_min, mut y_max) = min_max(&data.y);
        for x in [x_min, x_max] {
            let y = start.0 * x + start.1;
            if y.is_finite() {
                y_min = y_min.min(y);
                y_max = y_max.max(y);
            }
        }
        let axes = Axes {
            x_range: padded(x_min, x_max),
            y_range: padded(y_min, y_max),
            top: layout.top,
            x_desc: None,
            y_desc: None,
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
        };
        let chart = Chart::draw(area, &axes, theme, |chart| {
            let marker = rgb(theme.scatter).filled();
            chart
                .draw_series(
                    data.x.iter().zip(&data.y).map(|(&x, &y)| Circle::new((x, y), theme.marker_radius, marker)),
                )
                .map(|_| ())
                .map_err(draw_err)
        })?;
        Ok(LinePanel {
            chart,
            points: data.x.iter().copied().zip(data.y.iter().copied()).collect(),
            theme: theme.clone(),
            trail: layout.trail,
            show_batch: layout.show_batch,
        })
    }

    fn kind(&self) -> PanelKind {
        PanelKind::Line
    }

    fn chart(&self) -> &Chart {
        &self.chart
    }

    /// The line over everything in the box; the batch and the trail, when shown, after it.
    fn inks(&self) -> Vec<Rgb> {
        let theme = &self.theme;
        let mut inks = vec![theme.line];
        if self.show_batch {
            inks.push(theme.batch);
        }
        if self.trail {
            inks.extend([theme.trail(), theme.trail_old()]);
        }
        inks
    }

    /// The batch's points, then the trail (oldest and faintest first), then the line.
    fn overlay(&self, canvas: &mut Canvas, palette: &Palette, overlay: &Overlay) -> Result<Rect> {
        let theme = &self.theme;
        let chart = &self.chart;
        let mut plot = CanvasBackend::new(canvas, Blender::Frozen(palette), chart.inner);
        if !overlay.batch.is_empty() {
            let mut batch = overlay.batch.clone();
            batch.sort_unstable();
            batch.dedup();
            let style = rgb(theme.batch).filled();
            for i in batch.into_iter().filter(|&i| i < self.points.len()) {
                let (x, y) = self.points[i];
                plot.draw_circle(chart.to_pixel(x, y), theme.marker_radius + 1, &style, true).map_err(backend_err)?;
            }
        }
        // Oldest first and faintest: the older half of the trail fainter than the recent half.
        let half = overlay.trail.len() / 2;
        let faded = |j: usize| if j < half { theme.trail_old() } else { theme.trail() };
        let lines = overlay.trail.iter().enumerate().map(|(j, l)| (*l, faded(j), 1));
        let lines = lines.chain([(overlay.line, theme.line, theme.line_width)]);
        for (line, color, width) in lines {
            if let Some(((x0, y0), (x1, y1))) = clip_line(line, chart.x_range, chart.y_range) {
                let style = rgb(color).stroke_width(width);
                plot.draw_line(chart.to_pixel(x0, y0), chart.to_pixel(x1, y1), &style).map_err(backend_err)?;
            }
        }
        Ok(plot.dirty)
    }
}
