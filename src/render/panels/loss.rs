//! The loss curve: axes of loss against step, drawn once, and a curve that grows by one
//! segment a step into the animation's base, so a frame costs only that segment. When the
//! scene is made for a run, the axes cover the whole run's loss (up to the point where the run
//! counts as diverged); the loss axis turns logarithmic when the loss spans two decades or
//! more, as it does in the post. Where the curve leaves the axes for good, a marker at the
//! top edge says so from that step on.

use super::{step_segment, Layout, Panel, PanelKind, Sheet};
use crate::error::Result;
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::render::axes::{draw_axes, Axes};
use crate::render::backend::{Blender, CanvasBackend};
use crate::render::geometry::{padded, Chart};
use crate::render::stroke;
use crate::render::text::{place, Align, PlacedText, Valign};
use crate::render::theme::{Metrics, Theme};
use crate::render::ticks::Scale;
use crate::run::{mse, Run, DIVERGENCE_FACTOR};

/// The full-data loss (MSE) against the step.
#[derive(Debug)]
pub struct LossPanel {
    chart: Chart,
    metrics: Metrics,
    texts: Vec<PlacedText>,
    /// Whether the y axis holds log10 of the loss.
    log: bool,
    theme: Theme,
}

impl LossPanel {
    /// The y coordinate of a loss.
    fn y(&self, loss: f64) -> f64 {
        if self.log {
            loss.log10()
        } else {
            loss
        }
    }

    /// Whether step `k`'s loss is drawn inside the axes.
    fn on_scale(&self, run: &Run, k: usize) -> bool {
        let y = self.y(run.snapshots[k].loss);
        y.is_finite() && y <= self.chart.y_range.1
    }

    /// The first step whose loss lies above the axes (or is not finite), if any.
    fn leaves_at(&self, run: &Run) -> Option<usize> {
        (0..run.snapshots.len()).find(|&k| !self.on_scale(run, k))
    }

    /// The marker and note at the top edge where the curve leaves the axes at step `k`.
    fn off_scale(&self, base: &mut Canvas, palette: &Palette, run: &Run, k: usize) -> Rect {
        let (m, theme, inner) = (&self.metrics, &self.theme, self.chart.inner);
        let step = run.snapshots[k].step;
        let x = self.chart.to_point(step as f64, 0.0).0;
        let top = f64::from(inner.y0);
        let size = m.marker * 1.6;
        let mut backend = CanvasBackend::new(base, Blender::Frozen(palette), inner);
        // A small triangle pointing up, against the top spine.
        for row in 0..size.ceil() as i64 {
            let half = (row as f64 + 0.5) * 0.6;
            let y = top + 1.0 + row as f64;
            stroke::segment(&mut backend, (x - half, y + 0.5), (x + half, y + 0.5), 1.0, theme.line, 1.0);
        }
        let what = super::off_scale_note(run, step);
        let right_half = x > f64::from(inner.x0 + inner.x1) / 2.0;
        let (ax, align) = if right_half { (x - size, Align::Right) } else { (x + size, Align::Left) };
        let note = place(&what, m.font, (ax, top + m.pad), align, Valign::Top, true);
        stroke::haloed(&mut backend, &note.mask, m.halo, theme.foreground, theme.background);
        backend.dirty
    }
}

/// The range of the loss axis: from the least loss the data allows (or the run reaches) to
/// the run's highest loss below divergence (at least ten times the least, and the start).
fn loss_range(layout: &Layout) -> (f64, f64) {
    let start_loss = mse(layout.data, layout.start, None);
    let mut lo = layout.best_loss;
    let mut hi = start_loss.max(layout.best_loss * 10.0);
    if let Some(run) = layout.run {
        let cap = DIVERGENCE_FACTOR * start_loss.max(1e-12);
        for s in run.snapshots.iter().filter(|s| s.loss.is_finite() && s.loss <= cap) {
            lo = lo.min(s.loss.max(1e-300));
            hi = hi.max(s.loss);
        }
    }
    (lo, hi)
}

impl Panel for LossPanel {
    /// Steps 0 to the run's last (a logged run's last logged step) along x; the loss along y
    /// (see [`loss_range`]).
    fn background(layout: &Layout, sheet: &mut Sheet<'_>, area: Rect) -> Result<LossPanel> {
        let (lo, hi) = loss_range(layout);
        // Log scale when the loss spans two decades or more, as it does in the post.
        let log = hi / lo >= 100.0;
        let loss_y = if log {
            let (a, b) = (lo.log10(), hi.log10());
            let pad = 0.05 * (b - a);
            (a - pad, b + pad)
        } else {
            padded(0.0f64.min(lo), hi)
        };
        let axes = Axes {
            x_range: (0.0, layout.steps.max(1) as f64),
            y_range: loss_y,
            x_desc: Some("step"),
            y_desc: Some(if log { "loss (MSE, log scale)" } else { "loss (MSE)" }),
            x_scale: Scale::Integer,
            y_scale: if log { Scale::Log } else { Scale::Linear },
            title: layout.title,
        };
        let metrics = Metrics::for_panel(layout.theme, area.width(), area.height());
        let (chart, texts) = draw_axes(&mut sheet.backend(area), area, &axes, layout.theme, &metrics);
        Ok(LossPanel { chart, metrics, texts, log, theme: layout.theme.clone() })
    }

    fn kind(&self) -> PanelKind {
        PanelKind::Loss
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

    /// The curve's segment from frame `k - 1` to `k` (nothing at the first), at their steps,
    /// and the off-scale marker at the frame the curve leaves the axes.
    fn progress(&self, base: &mut Canvas, palette: &Palette, run: &Run, k: usize) -> Result<Rect> {
        let mut dirty = Rect::EMPTY;
        if k > 0 && self.on_scale(run, k - 1) {
            // Up to the top edge: clipping in data space keeps the segment's slope.
            let top = self.chart.y_range.1 + (self.chart.y_range.1 - self.chart.y_range.0);
            let y = |l: f64| if l.is_finite() { self.y(l).min(top) } else { top };
            // At each snapshot's own step: a logged run may skip steps.
            dirty = step_segment(base, palette, &self.chart, &self.metrics, self.theme.line, &[], run, k, |_, s| {
                (s.step as f64, y(s.loss))
            });
        }
        if self.leaves_at(run) == Some(k) {
            dirty = dirty.union(self.off_scale(base, palette, run, k));
        }
        Ok(dirty)
    }
}
