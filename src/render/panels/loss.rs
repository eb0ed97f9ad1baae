//! The loss curve: empty axes of loss against step, drawn once, and a curve that grows by one
//! segment a step into the animation's base, so a frame costs only that segment. The loss
//! axis turns logarithmic when the loss falls two decades or more, as it does in the post.

use super::{step_segment, Area, Layout, Panel, PanelKind};
use crate::error::Result;
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::render::geometry::{padded, Axes, Chart};
use crate::render::ticks::Scale;
use crate::train::{mse, Run};

/// The full-data loss (MSE) against the step.
#[derive(Debug)]
pub struct LossPanel {
    chart: Chart,
    /// Whether the y axis holds log10 of the loss.
    log: bool,
    ink: Rgb,
}

impl Panel for LossPanel {
    /// Steps 0 to the run's last along x; along y, from the least loss the data allows to well
    /// above the starting loss (at least ten times the least).
    fn background(layout: &Layout, area: &Area<'_>, _frame: &Area<'_>) -> Result<LossPanel> {
        let best_loss = layout.best_loss;
        let start_loss = mse(layout.data, layout.start, None).max(best_loss * 10.0);
        // Log scale when the loss spans two decades or more, as it does in the post.
        let log = start_loss / best_loss >= 100.0;
        let loss_y = if log {
            (best_loss.log10() - 0.1, start_loss.log10() + 0.4)
        } else {
            padded(0.0f64.min(best_loss), start_loss * 1.3)
        };
        let axes = Axes {
            x_range: (0.0, layout.steps.max(1) as f64),
            y_range: loss_y,
            top: layout.top,
            x_desc: Some("step"),
            y_desc: Some(if log { "loss (MSE, log scale)" } else { "loss (MSE)" }),
            x_scale: Scale::Integer,
            y_scale: if log { Scale::Log } else { Scale::Linear },
        };
        let chart = Chart::draw(area, &axes, layout.theme, |_| Ok(()))?;
        Ok(LossPanel { chart, log, ink: layout.theme.line })
    }

    fn kind(&self) -> PanelKind {
        PanelKind::Loss
    }

    fn chart(&self) -> &Chart {
        &self.chart
    }

    fn inks(&self) -> Vec<Rgb> {
        vec![self.ink]
    }

    fn has_progress(&self) -> bool {
        true
    }

    /// The curve's segment from frame `k - 1` to `k` (nothing at the first), at their steps.
    fn progress(&self, base: &mut Canvas, palette: &Palette, run: &Run, k: usize) -> Result<Rect> {
        let y = |l: f64| if self.log { l.log10() } else { l };
        step_segment(base, palette, &self.chart, self.ink, run, k, |_, s| (s.step as f64, y(s.loss)))
    }
}
