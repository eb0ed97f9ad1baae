//! The frame: fixed axes, scatter (and the loss and parameter panels of the teaching views)
//! drawn once into a background; per frame only the line, trail, batch, markers and caption,
//! drawn with plotters into a copy of it.

use super::canvas::{backend_err, Blender, Canvas, CanvasBackend, Rect};
use super::palette::{Palette, Rgb};
use super::panel::{padded, rgb, Axes, Panel};
use super::theme::{register_font, Theme, FONT_FAMILY};
use crate::data::Dataset;
use crate::error::Result;
use crate::train::{mse, Run, TrainSettings};
use plotters::prelude::*;
use plotters_backend::DrawingBackend;

/// Which panels a frame shows, side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The fitted line over the data, the post's view.
    #[default]
    Line,
    /// The line, and the loss curve growing step by step.
    LineLoss,
    /// The line, and the path of (slope, intercept) over the MSE contours.
    LineParams,
    /// All three panels.
    All,
}

impl View {
    /// How many panels side by side.
    pub fn panels(self) -> u32 {
        match self {
            View::Line => 1,
            View::LineLoss | View::LineParams => 2,
            View::All => 3,
        }
    }

    fn has_loss(self) -> bool {
        matches!(self, View::LineLoss | View::All)
    }

    fn has_params(self) -> bool {
        matches!(self, View::LineParams | View::All)
    }
}

/// Frame size and decorations.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneSettings {
    /// Frame width in pixels (all panels together).
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// Whether frames carry a caption (lr, batch size, step, loss).
    pub caption: bool,
    /// Frames between updates of the caption's step and loss; `None`: enough frames for
    /// `CAPTION_READ_MS` (200 ms) of playback, so the numbers can be read as the GIF plays.
    pub caption_every: Option<u32>,
    /// How many earlier lines each frame shows, faded (0: none).
    pub trail: usize,
    /// Whether each frame highlights the points of its mini-batch.
    pub show_batch: bool,
    /// The panels.
    pub view: View,
    /// The true (slope, intercept), marked in the parameter panel when known.
    pub truth: Option<(f64, f64)>,
    /// Colours and sizes.
    pub theme: Theme,
}

impl Default for SceneSettings {
    fn default() -> Self {
        SceneSettings {
            width: 640,
            height: 480,
            caption: true,
            caption_every: None,
            trail: 0,
            show_batch: false,
            view: View::Line,
            truth: None,
            theme: Theme::default(),
        }
    }
}

/// Smallest panel side that holds a chart.
pub const MIN_SIZE: u32 = 200;
/// Largest frame side.
pub const MAX_SIZE: u32 = 4096;

/// Everything shared by the frames of one or many animations over the same data and start.
pub struct Scene {
    settings: SceneSettings,
    points: Vec<(f64, f64)>,
    line: Panel,
    loss: Option<(Panel, bool)>,
    params: Option<Panel>,
    caption_box: Rect,
    palette: Palette,
    background: Canvas,
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)))
}

/// Light to dark: the MSE bands of the parameter panel, high loss lightest.
const BANDS: usize = 8;

fn band_color(band: usize) -> Rgb {
    let light = [247.0, 251.0, 255.0];
    let dark = [158.0, 202.0, 225.0];
    let t = band as f64 / (BANDS - 1) as f64;
    std::array::from_fn(|k| (light[k] + (dark[k] - light[k]) * t).round() as u8)
}

impl Scene {
    /// Lays out the panels for `data` and the run's start and length, draws the background
    /// and builds the palette. Axis ranges stay fixed for every frame, as in the post.
    pub fn new(data: &Dataset, train: &TrainSettings, settings: &SceneSettings) -> Result<Scene> {
        register_font();
        let theme = &settings.theme;
        let start = train.start;
        let (w, h) = (settings.width, settings.height);
        let (x_min, x_max) = min_max(&data.x);
        let (mut y_min, mut y_max) = min_max(&data.y);
        for x in [x_min, x_max] {
            let y = start.0 * x + start.1;
            if y.is_finite() {
                y_min = y_min.min(y);
                y_max = y_max.max(y);
            }
        }
        let top = if settings.caption { theme.caption_size * 2 + 4 } else { 16 };
        let least_squares = data.least_squares();
        let best_loss = least_squares.map_or(0.0, |ls| mse(data, ls, None)).max(1e-9);
        let start_loss = mse(data, start, None).max(best_loss * 10.0);
        // Log scale when the loss spans two decades or more, as it does in the post.
        let log = start_loss / best_loss >= 100.0;
        let loss_y = if log {
            (best_loss.log10() - 0.1, start_loss.log10() + 0.4)
        } else {
            padded(0.0f64.min(best_loss), start_loss * 1.3)
        };
        // A log axis is labelled with the loss itself, not its logarithm.
        let power = |v: &f64| crate::animate::short_number(10f64.powf(*v));
        let (params_x, params_y) = {
            let ls = least_squares.unwrap_or(start);
            let span = |a: f64, b: f64| {
                let (lo, hi) = (a.min(b), a.max(b));
                let m = 0.3 * (hi - lo) + 0.5;
                (lo - m, hi + m)
            };
            (span(start.0, ls.0), span(start.1, ls.1))
        };

        let mut palette = Palette::new(theme.background, &theme.inks());
        let mut background = Canvas::filled(w, h, 0);
        let (line, loss, params) = {
            let backend = CanvasBackend::new(&mut background, Blender::Growing(&mut palette), background_bounds(w, h));
            let root = backend.into_drawing_area();
            let areas = root.split_evenly((1, settings.view.panels() as usize));
            let axes = Axes {
                x_range: padded(x_min, x_max),
                y_range: padded(y_min, y_max),
                top,
                x_desc: None,
                y_desc: None,
                y_format: None,
            };
            let line = Panel::draw(&areas[0], &axes, theme, |chart| {
                let marker = rgb(theme.scatter).filled();
                chart
                    .draw_series(
                        data.x.iter().zip(&data.y).map(|(&x, &y)| Circle::new((x, y), theme.marker_radius, marker)),
                    )
                    .map(|_| ())
                    .map_err(super::panel::draw_err)
            })?;
            let mut next = 1;
            let loss = if settings.view.has_loss() {
                let axes = Axes {
                    x_range: (0.0, train.steps.max(1) as f64),
                    y_range: loss_y,
                    top,
                    x_desc: Some("step"),
                    y_desc: Some(if log { "loss (MSE, log scale)" } else { "loss (MSE)" }),
                    y_format: if log { Some(&power) } else { None },
                };
                next += 1;
                Some((Panel::draw(&areas[next - 1], &axes, theme, |_| Ok(()))?, log))
            } else {
                None
            };
            let params = if settings.view.has_params() {
                let axes = Axes {
                    x_range: params_x,
                    y_range: params_y,
                    top,
                    x_desc: Some("slope"),
                    y_desc: Some("intercept"),
                    y_format: None,
                };
                let stats = Moments::of(data);
                let (lo, hi) =
                    (best_loss.ln(), stats.mse(params_x.0, params_y.1).max(stats.mse(params_x.1, params_y.0)).ln());
                Some(Panel::draw(&areas[next], &axes, theme, |chart| {
                    // Filled MSE bands, evenly spaced in log(loss), one rectangle per pixel column run.
                    let area = chart.plotting_area();
                    let (px, py) = area.get_pixel_range();
                    let pixels = area.strip_coord_spec();
                    let (w, h) = ((px.end - px.start) as f64, (py.end - py.start) as f64);
                    for y in py.clone() {
                        let b = params_y.1 - ((y - py.start) as f64 + 0.5) / h * (params_y.1 - params_y.0);
                        for x in px.clone() {
                            let s = params_x.0 + ((x - px.start) as f64 + 0.5) / w * (params_x.1 - params_x.0);
                            let t = ((stats.mse(s, b).max(1e-12).ln() - lo) / (hi - lo).max(1e-9)).clamp(0.0, 1.0);
                            let band = ((1.0 - t) * (BANDS - 1) as f64).round() as usize;
                            let at = (x - px.start, y - py.start);
                            pixels.draw_pixel(at, &rgb(band_color(band))).map_err(super::panel::draw_err)?;
                        }
                    }
                    Ok(())
                })?)
            } else {
                None
            };
            if let Some(p) = &params {
                let ink = rgb(theme.foreground);
                let label = (FONT_FAMILY, theme.label_size).into_font().color(&ink);
                let err = super::panel::draw_err;
                if let Some(ls) = least_squares {
                    let at = p.to_pixel(ls.0, ls.1);
                    root.draw(&Circle::new(at, 4, ink.stroke_width(1))).map_err(err)?;
                    root.draw(&Text::new("least squares", (at.0 + 7, at.1 - 6), label.clone())).map_err(err)?;
                }
                if let Some(truth) = settings.truth.filter(|t| p.clip_segment(*t, *t).is_some()) {
                    let (x, y) = p.to_pixel(truth.0, truth.1);
                    for (a, b) in [((x - 4, y - 4), (x + 4, y + 4)), ((x - 4, y + 4), (x + 4, y - 4))] {
                        root.draw(&PathElement::new(vec![a, b], ink.stroke_width(1))).map_err(err)?;
                    }
                    // Left of its cross: the least-squares label goes right, and the two are close.
                    root.draw(&Text::new("true", (x - 7 - 3 * theme.label_size as i32 / 2 - 4, y + 2), label))
                        .map_err(err)?;
                }
            }
            (line, loss, params)
        };
        let caption_box = if settings.caption {
            Rect { x0: 0, y0: 0, x1: w, y1: line.inner.y0.saturating_sub(2) }
        } else {
            Rect::EMPTY
        };
        // Shades of each ink over what lies under it, most important first (a palette that
        // fills up maps later shades to their nearest colour): the line over every panel, then
        // the batch highlight and the trail over the line panel.
        let line_under = distinct(&background, line.inner);
        let mut all_under = line_under.clone();
        for p in loss.iter().map(|(p, _)| p).chain(params.iter()) {
            all_under.extend(distinct(&background, p.inner));
        }
        all_under.sort_unstable();
        all_under.dedup();
        palette.close_over(theme.line, &all_under);
        let trail = settings.trail > 0;
        for (on, ink) in [(settings.show_batch, theme.batch), (trail, theme.trail()), (trail, theme.trail_old())] {
            if on {
                palette.close_over(ink, &line_under);
            }
        }
        let under_caption = distinct(&background, caption_box);
        palette.close_over(theme.foreground, &under_caption);
        let mut first = vec![theme.background];
        first.extend(palette.shades(theme.foreground, theme.background));
        first.extend(palette.shades(theme.line, theme.background));
        let map = palette.prioritise(&first);
        background.pixels.iter_mut().for_each(|p| *p = map[*p as usize]);
        palette.freeze();
        let points = data.x.iter().copied().zip(data.y.iter().copied()).collect();
        Ok(Scene { settings: settings.clone(), points, line, loss, params, caption_box, palette, background })
    }

    /// The still frame: axes and scatter, no line.
    pub fn background(&self) -> &Canvas {
        &self.background
    }

    /// The global palette every frame uses.
    pub fn palette(&self) -> &Palette {
        &self.palette
    }

    /// The settings the scene was built with.
    pub fn settings(&self) -> &SceneSettings {
        &self.settings
    }

    /// The fixed axis ranges `(x, y)` of the line panel.
    pub fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        (self.line.x_range, self.line.y_range)
    }

    /// The pixel of a data point in the line panel (may lie outside the frame).
    pub fn to_pixel(&self, x: f64, y: f64) -> (i32, i32) {
        self.line.to_pixel(x, y)
    }

    /// The pixel of (slope, intercept) in the parameter panel, if the view has one.
    pub fn params_pixel(&self, slope: f64, intercept: f64) -> Option<(i32, i32)> {
        self.params.as_ref().map(|p| p.to_pixel(slope, intercept))
    }

    /// The pixels inside the line panel's box, where lines are drawn.
    pub fn plot_area(&self) -> Rect {
        self.line.inner
    }

    /// Whether frames build on earlier ones (the loss curve, the parameter path): then
    /// [`Scene::draw_progress`] must be drawn into a base canvas step by step.
    pub fn has_progress(&self) -> bool {
        self.loss.is_some() || self.params.is_some()
    }

    /// Draws what step `k` adds for good (the loss curve's and the path's newest segment)
    /// onto `base`; returns the rectangle it changed.
    pub fn draw_progress(&self, base: &mut Canvas, run: &Run, k: usize) -> Result<Rect> {
        if k == 0 || !self.has_progress() {
            return Ok(Rect::EMPTY);
        }
        let (a, b) = (&run.snapshots[k - 1], &run.snapshots[k]);
        let style = rgb(self.settings.theme.line).stroke_width(2);
        let mut dirty = Rect::EMPTY;
        let mut segment = |panel: &Panel, p: (f64, f64), q: (f64, f64)| -> Result<()> {
            if let Some((p, q)) = panel.clip_segment(p, q) {
                let mut backend = CanvasBackend::new(base, Blender::Frozen(&self.palette), panel.inner);
                backend.draw_line(panel.to_pixel(p.0, p.1), panel.to_pixel(q.0, q.1), &style).map_err(backend_err)?;
                dirty = dirty.union(backend.dirty);
            }
            Ok(())
        };
        if let Some((panel, log)) = &self.loss {
            let y = |l: f64| if *log { l.log10() } else { l };
            segment(panel, ((k - 1) as f64, y(a.loss)), (k as f64, y(b.loss)))?;
        }
        if let Some(panel) = &self.params {
            segment(panel, (a.slope, a.intercept), (b.slope, b.intercept))?;
        }
        Ok(dirty)
    }

    /// Draws one step's overlay on `canvas`, which must hold the base (background plus
    /// progress) wherever earlier overlays were; returns the rectangle it changed.
    pub fn draw_overlay(&self, canvas: &mut Canvas, overlay: &Overlay) -> Result<Rect> {
        let theme = &self.settings.theme;
        let mut plot = CanvasBackend::new(canvas, Blender::Frozen(&self.palette), self.line.inner);
        if !overlay.batch.is_empty() {
            let mut batch = overlay.batch.clone();
            batch.sort_unstable();
            batch.dedup();
            let style = rgb(theme.batch).filled();
            for i in batch.into_iter().filter(|&i| i < self.points.len()) {
                let (x, y) = self.points[i];
                plot.draw_circle(self.to_pixel(x, y), theme.marker_radius + 1, &style, true).map_err(backend_err)?;
            }
        }
        // Oldest first and faintest: the older half of the trail fainter than the recent half.
        let half = overlay.trail.len() / 2;
        let faded = |j: usize| if j < half { theme.trail_old() } else { theme.trail() };
        let lines = overlay.trail.iter().enumerate().map(|(j, l)| (*l, faded(j), 1));
        let lines = lines.chain([(overlay.line, theme.line, theme.line_width)]);
        for (line, color, width) in lines {
            if let Some(((x0, y0), (x1, y1))) = clip_line(line, self.line.x_range, self.line.y_range) {
                let style = rgb(color).stroke_width(width);
                plot.draw_line(self.to_pixel(x0, y0), self.to_pixel(x1, y1), &style).map_err(backend_err)?;
            }
        }
        let mut dirty = plot.dirty;
        if let Some(panel) = &self.params {
            let (s, b) = overlay.line;
            // Only inside the box: far-off (diverged) values do not fit plotters' pixel maths.
            if panel.clip_segment((s, b), (s, b)).is_some() {
                let mut backend = CanvasBackend::new(canvas, Blender::Frozen(&self.palette), panel.inner);
                let style = rgb(theme.line).filled();
                backend
                    .draw_circle(panel.to_pixel(s, b), theme.marker_radius + 1, &style, true)
                    .map_err(backend_err)?;
                dirty = dirty.union(backend.dirty);
            }
        }
        if let (Some(text), false) = (&overlay.caption, self.caption_box.is_empty()) {
            let mut backend = CanvasBackend::new(canvas, Blender::Frozen(&self.palette), self.caption_box);
            let style = (FONT_FAMILY, theme.caption_size).into_font().color(&rgb(theme.foreground));
            let pos = (self.line.inner.x0 as i32, (self.caption_box.y1 as i32 - theme.caption_size as i32) / 2);
            backend.draw_text(text, &style, pos).map_err(backend_err)?;
            dirty = dirty.union(backend.dirty);
        }
        Ok(dirty)
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

/// What one frame draws over the base.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overlay {
    /// The fitted line (slope, intercept).
    pub line: (f64, f64),
    /// Earlier lines, oldest first, drawn faded under it.
    pub trail: Vec<(f64, f64)>,
    /// Indices of the points to highlight.
    pub batch: Vec<usize>,
    /// The caption, if the scene has room for one.
    pub caption: Option<String>,
}

fn background_bounds(w: u32, h: u32) -> Rect {
    Rect { x0: 0, y0: 0, x1: w, y1: h }
}

fn distinct(canvas: &Canvas, rect: Rect) -> Vec<u8> {
    let mut seen = [false; 256];
    for y in rect.y0..rect.y1.min(canvas.height) {
        for x in rect.x0..rect.x1.min(canvas.width) {
            seen[canvas.pixels[(y * canvas.width + x) as usize] as usize] = true;
        }
    }
    (0..=255u8).filter(|&i| seen[i as usize]).collect()
}

/// The part of `y = slope * x + intercept` inside the box, as two end points; `None` when
/// the line misses the box or is not finite (a diverged run draws no line).
pub fn clip_line((slope, intercept): (f64, f64), xr: (f64, f64), yr: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    if !slope.is_finite() || !intercept.is_finite() {
        return None;
    }
    let (mut x0, mut x1) = xr;
    if slope != 0.0 {
        // x where the line crosses the bottom and top of the box.
        let (a, b) = ((yr.0 - intercept) / slope, (yr.1 - intercept) / slope);
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        if lo.is_finite() {
            x0 = x0.max(lo);
        }
        if hi.is_finite() {
            x1 = x1.min(hi);
        }
    }
    let y = |x: f64| (slope * x + intercept).clamp(yr.0, yr.1);
    if x0 > x1 || !(x0.is_finite() && x1.is_finite()) {
        return None;
    }
    let (y0, y1) = (y(x0), y(x1));
    if slope == 0.0 && !(yr.0..=yr.1).contains(&intercept) {
        return None;
    }
    Some(((x0, y0), (x1, y1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_inside_and_drops_outside() {
        let b = ((-1.0, 1.0), (0.0, 10.0));
        assert_eq!(clip_line((0.0, 5.0), b.0, b.1), Some(((-1.0, 5.0), (1.0, 5.0))));
        assert_eq!(clip_line((0.0, 50.0), b.0, b.1), None);
        let ((x0, y0), (x1, y1)) = clip_line((100.0, 5.0), b.0, b.1).unwrap();
        assert!((x0 + 0.05).abs() < 1e-12 && (x1 - 0.05).abs() < 1e-12 && y0.abs() < 1e-9 && (y1 - 10.0).abs() < 1e-9);
        assert_eq!(clip_line((f64::NAN, 5.0), b.0, b.1), None);
        assert_eq!(clip_line((f64::INFINITY, 0.0), b.0, b.1), None);
        assert_eq!(clip_line((3.0, 1e300), b.0, b.1), None);
        assert_eq!(clip_line((-1e300, 5.0), b.0, b.1).map(|s| s.0 .0.abs() < 1e-200), Some(true));
    }

    #[test]
    fn moments_match_mse() {
        let d = Dataset::synthetic(&crate::data::DataSpec::default());
        let m = Moments::of(&d);
        for (s, b) in [(-1.0, 1.0), (3.0, 10.0), (-2.5, 12.0)] {
            let direct = mse(&d, (s, b), None);
            assert!((m.mse(s, b) - direct).abs() < 1e-9 * direct.max(1.0), "{} vs {direct}", m.mse(s, b));
        }
    }

    #[test]
    fn every_view_and_overlay_fits_the_palette() {
        let d = Dataset::synthetic(&crate::data::DataSpec::default());
        for view in [View::Line, View::LineLoss, View::LineParams, View::All] {
            let settings =
                SceneSettings { view, trail: 5, show_batch: true, width: 640 * view.panels(), ..Default::default() };
            let scene = Scene::new(&d, &TrainSettings::default(), &settings).unwrap();
            assert!(scene.palette().is_exact(), "{view:?}: {} colours", scene.palette().colors().len());
        }
    }

    #[test]
    fn default_palette_is_exact() {
        let data = Dataset::synthetic(&crate::data::DataSpec::default());
        let scene = Scene::new(&data, &TrainSettings::default(), &SceneSettings::default()).unwrap();
        assert!(scene.palette().is_exact(), "{} colours", scene.palette().colors().len());
    }
}
