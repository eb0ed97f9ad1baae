//! The parameter panel: (slope, intercept) space with the MSE as filled contour bands, drawn
//! once with the least-squares point and the true line's parameters marked; the run's path
//! grows one segment a step into the base, and a marker shows each frame's parameters.

use super::{step_segment, Area, Layout, Panel, PanelKind};
use crate::error::Result;
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::render::backend::{backend_err, Blender, CanvasBackend};
use crate::render::geometry::{draw_err, rgb, Axes, Chart};
use crate::render::theme::{Theme, FONT_FAMILY};
use crate::render::ticks::Scale;
use crate::train::{Dataset, Run};
use plotters::prelude::*;
use plotters_backend::DrawingBackend;

/// The path of (slope, intercept) over the MSE contours.
#[derive(Debug)]
pub struct ParamsPanel {
    chart: Chart,
    theme: Theme,
}

/// Light to dark: the MSE bands, high loss lightest.
const BANDS: usize = 8;

fn band_color(band: usize) -> Rgb {
    let light = [247.0, 251.0, 255.0];
    let dark = [158.0, 202.0, 225.0];
    let t = band as f64 / (BANDS - 1) as f64;
    std::array::from_fn(|k| (light[k] + (dark[k] - light[k]) * t).round() as u8)
}

impl Panel for ParamsPanel {
    /// Ranges around the start and the least-squares point (30 % of their distance plus 0.5
    /// each side), the bands evenly spaced in log(loss), and the two marks with their labels.
    fn background(layout: &Layout, area: &Area<'_>, frame: &Area<'_>) -> Result<ParamsPanel> {
        let (theme, start) = (layout.theme, layout.start);
        let (params_x, params_y) = {
            let ls = layout.least_squares.unwrap_or(start);
            let span = |a: f64, b: f64| {
                let (lo, hi) = (a.min(b), a.max(b));
                let m = 0.3 * (hi - lo) + 0.5;
                (lo - m, hi + m)
            };
            (span(start.0, ls.0), span(start.1, ls.1))
        };
        let axes = Axes {
            x_range: params_x,
            y_range: params_y,
            top: layout.top,
            x_desc: Some("slope"),
            y_desc: Some("intercept"),
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
        };
        let stats = Moments::of(layout.data);
        let (lo, hi) =
            (layout.best_loss.ln(), stats.mse(params_x.0, params_y.1).max(stats.mse(params_x.1, params_y.0)).ln());
        let chart = Chart::draw(area, &axes, theme, |chart| {
            // Filled MSE bands, evenly spaced in log(loss), one rectangle per pixel column run.
            let area = chart.plotting_area();
            let (px, py) = area.get_pixel_range();
            let pixels = area.strip_coord_spec();
            let (w, h) = (f64::from(px.end - px.start), f64::from(py.end - py.start));
            for y in py.clone() {
                let b = params_y.1 - (f64::from(y - py.start) + 0.5) / h * (params_y.1 - params_y.0);
                for x in px.clone() {
                    let s = params_x.0 + (f64::from(x - px.start) + 0.5) / w * (params_x.1 - params_x.0);
                    let t = ((stats.mse(s, b).max(1e-12).ln() - lo) / (hi - lo).max(1e-9)).clamp(0.0, 1.0);
                    let band = ((1.0 - t) * (BANDS - 1) as f64).round() as usize;
                    let at = (x - px.start, y - py.start);
                    pixels.draw_pixel(at, &rgb(band_color(band))).map_err(draw_err)?;
                }
            }
            Ok(())
        })?;
        // The marks go on the whole frame, in frame pixels: a label is placed beside its mark
        // without being clamped to the panel's share.
        let ink = rgb(theme.foreground);
        let label = (FONT_FAMILY, theme.label_size).into_font().color(&ink);
        if let Some(ls) = layout.least_squares {
            let at = chart.to_pixel(ls.0, ls.1);
            frame.draw(&Circle::new(at, 4, ink.stroke_width(1))).map_err(draw_err)?;
            frame.draw(&Text::new("least squares", (at.0 + 7, at.1 - 6), label.clone())).map_err(draw_err)?;
        }
        if let Some(truth) = layout.truth.filter(|t| chart.clip_segment(*t, *t).is_some()) {
            let (x, y) = chart.to_pixel(truth.0, truth.1);
            for (a, b) in [((x - 4, y - 4), (x + 4, y + 4)), ((x - 4, y + 4), (x + 4, y - 4))] {
                frame.draw(&PathElement::new(vec![a, b], ink.stroke_width(1))).map_err(draw_err)?;
            }
            // Left of its cross: the least-squares label goes right, and the two are close.
            frame
                .draw(&Text::new("true", (x - 7 - 3 * theme.label_size as i32 / 2 - 4, y + 2), label))
                .map_err(draw_err)?;
        }
        Ok(ParamsPanel { chart, theme: theme.clone() })
    }

    fn kind(&self) -> PanelKind {
        PanelKind::Params
    }

    fn chart(&self) -> &Chart {
        &self.chart
    }

    fn inks(&self) -> Vec<Rgb> {
        vec![self.theme.line]
    }

    fn has_progress(&self) -> bool {
        true
    }

    /// The path's segment from step `k - 1` to `k` (nothing at step 0).
    fn progress(&self, base: &mut Canvas, palette: &Palette, run: &Run, k: usize) -> Result<Rect> {
        step_segment(base, palette, &self.chart, self.theme.line, run, k, |_, s| (s.slope, s.intercept))
    }

    /// A dot at the frame's (slope, intercept), when inside the box.
    fn overlay(&self, canvas: &mut Canvas, palette: &Palette, overlay: &super::Overlay) -> Result<Rect> {
        let (s, b) = overlay.line;
        // Only inside the box: far-off (diverged) values do not fit plotters' pixel maths.
        if self.chart.clip_segment((s, b), (s, b)).is_none() {
            return Ok(Rect::EMPTY);
        }
        let mut backend = CanvasBackend::new(canvas, Blender::Frozen(palette), self.chart.inner);
        let style = rgb(self.theme.line).filled();
        backend
            .draw_circle(self.chart.to_pixel(s, b), self.theme.marker_radius + 1, &style, true)
            .map_err(backend_err)?;
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
    use crate::train::mse;

    #[test]
    fn moments_match_mse() {
        let d = Dataset::synthetic(&crate::train::DataSpec::default());
        let m = Moments::of(&d);
        for (s, b) in [(-1.0, 1.0), (3.0, 10.0), (-2.5, 12.0)] {
            let direct = mse(&d, (s, b), None);
            assert!((m.mse(s, b) - direct).abs() < 1e-9 * direct.max(1.0), "{} vs {direct}", m.mse(s, b));
        }
    }
}
