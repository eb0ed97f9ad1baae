//! The chart: fixed axes and the scatter drawn once into a background, then per frame only the
//! fitted line and the caption, drawn with plotters into a copy of it.

use super::canvas::{Blender, Canvas, CanvasBackend, Rect};
use super::palette::Palette;
use super::theme::{register_font, Theme, FONT_FAMILY};
use crate::data::Dataset;
use crate::error::{Error, Result};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_backend::{DrawingBackend, DrawingErrorKind};

/// Frame size and decorations.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneSettings {
    /// Frame width in pixels.
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// Whether frames carry a caption (lr, batch size, step, loss).
    pub caption: bool,
    /// How many earlier lines each frame shows, fading (0: none).
    pub trail: usize,
    /// Whether each frame highlights the points of its mini-batch.
    pub show_batch: bool,
    /// Colours and sizes.
    pub theme: Theme,
}

impl Default for SceneSettings {
    fn default() -> Self {
        SceneSettings { width: 640, height: 480, caption: true, trail: 0, show_batch: false, theme: Theme::default() }
    }
}

/// Smallest frame that holds a chart.
pub const MIN_SIZE: u32 = 120;
/// Largest frame side.
pub const MAX_SIZE: u32 = 4096;

/// Everything shared by the frames of one or many animations over the same data and start.
pub struct Scene {
    settings: SceneSettings,
    points: Vec<(f64, f64)>,
    coord: Cartesian2d<RangedCoordf64, RangedCoordf64>,
    x_range: (f64, f64),
    y_range: (f64, f64),
    plot_inner: Rect,
    caption_box: Rect,
    palette: Palette,
    background: Canvas,
}

fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        (lo - 0.05 * span, hi + 0.05 * span)
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

fn draw_err<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> Error {
    Error::Draw(e.to_string())
}

impl Scene {
    /// Lays out the chart for `data` and the start line, draws the background and builds the
    /// palette. Axis ranges stay fixed for every frame, as in the post.
    pub fn new(data: &Dataset, start: (f64, f64), settings: &SceneSettings) -> Result<Scene> {
        register_font();
        let theme = &settings.theme;
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
        let x_range = padded(x_min, x_max);
        let y_range = padded(y_min, y_max);

        let mut palette = Palette::new(theme.background, &theme.inks());
        let mut background = Canvas::filled(w, h, 0);
        let rgb = |c: [u8; 3]| RGBColor(c[0], c[1], c[2]);
        let top = if settings.caption { theme.caption_size * 2 + 4 } else { 16 };
        let (coord, pixels) = {
            let backend = CanvasBackend::new(&mut background, Blender::Growing(&mut palette), background_bounds(w, h));
            let root = backend.into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .margin_top(top)
                .margin_right(20)
                .margin_bottom(8)
                .margin_left(8)
                .x_label_area_size(theme.label_size * 2 + 6)
                .y_label_area_size(theme.label_size * 3 + 8)
                .build_cartesian_2d(x_range.0..x_range.1, y_range.0..y_range.1)
                .map_err(draw_err)?;
            let label = (FONT_FAMILY, theme.label_size).into_font().color(&rgb(theme.foreground));
            chart
                .configure_mesh()
                .disable_mesh()
                .axis_style(rgb(theme.foreground))
                .label_style(label)
                .x_labels(8)
                .y_labels(8)
                .draw()
                .map_err(draw_err)?;
            let marker = rgb(theme.scatter).filled();
            chart
                .draw_series(
                    data.x.iter().zip(&data.y).map(|(&x, &y)| Circle::new((x, y), theme.marker_radius, marker)),
                )
                .map_err(draw_err)?;
            let pixels = chart.plotting_area().get_pixel_range();
            let coord = chart.as_coord_spec().clone();
            // matplotlib's box of spines around the plot.
            let frame = [(pixels.0.start - 1, pixels.1.start - 1), (pixels.0.end, pixels.1.end)];
            root.draw(&plotters::element::Rectangle::new(frame, rgb(theme.foreground).stroke_width(1)))
                .map_err(draw_err)?;
            (coord, pixels)
        };
        let plot_inner = Rect {
            x0: pixels.0.start.max(0) as u32,
            y0: pixels.1.start.max(0) as u32,
            x1: pixels.0.end.max(0) as u32,
            y1: pixels.1.end.max(0) as u32,
        };
        let caption_box = if settings.caption {
            Rect { x0: 0, y0: 0, x1: w, y1: plot_inner.y0.saturating_sub(2) }
        } else {
            Rect::EMPTY
        };
        // Shades of each plot-area ink over what lies under it: the batch highlight over the
        // scatter, the trail over both, the line over all of them.
        let mut under = distinct(&background, plot_inner);
        let inks = [(settings.show_batch, theme.batch), (settings.trail > 0, theme.trail()), (true, theme.line)];
        for ink in inks.iter().filter(|(on, _)| *on).map(|(_, ink)| *ink) {
            let before = palette.colors().len() as u8;
            palette.close_over(ink, &under);
            under.extend(before..palette.colors().len() as u8);
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
        Ok(Scene {
            settings: settings.clone(),
            points,
            coord,
            x_range,
            y_range,
            plot_inner,
            caption_box,
            palette,
            background,
        })
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

    /// The fixed axis ranges `(x, y)`.
    pub fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        (self.x_range, self.y_range)
    }

    /// The pixel of a data point (may lie outside the frame).
    pub fn to_pixel(&self, x: f64, y: f64) -> (i32, i32) {
        self.coord.translate(&(x, y))
    }

    /// The pixels inside the plot's box, where lines are drawn.
    pub fn plot_area(&self) -> Rect {
        self.plot_inner
    }

    /// Draws one step's overlay on `canvas`, which must hold the background wherever earlier
    /// overlays were; returns the rectangle it changed.
    pub fn draw_overlay(&self, canvas: &mut Canvas, overlay: &Overlay) -> Result<Rect> {
        let theme = &self.settings.theme;
        let draw_err = |e: DrawingErrorKind<std::convert::Infallible>| Error::Draw(e.to_string());
        let mut plot = CanvasBackend::new(canvas, Blender::Frozen(&self.palette), self.plot_inner);
        if !overlay.batch.is_empty() {
            let mut batch = overlay.batch.clone();
            batch.sort_unstable();
            batch.dedup();
            let style = RGBColor(theme.batch[0], theme.batch[1], theme.batch[2]).filled();
            for i in batch.into_iter().filter(|&i| i < self.points.len()) {
                let (x, y) = self.points[i];
                plot.draw_circle(self.to_pixel(x, y), theme.marker_radius + 1, &style, true).map_err(draw_err)?;
            }
        }
        let trail = theme.trail();
        let lines = overlay.trail.iter().map(|l| (*l, trail, 1)).chain([(overlay.line, theme.line, theme.line_width)]);
        for (line, color, width) in lines {
            if let Some(((x0, y0), (x1, y1))) = clip_line(line, self.x_range, self.y_range) {
                let style = RGBColor(color[0], color[1], color[2]).stroke_width(width);
                plot.draw_line(self.to_pixel(x0, y0), self.to_pixel(x1, y1), &style).map_err(draw_err)?;
            }
        }
        let mut dirty = plot.dirty;
        if let (Some(text), false) = (&overlay.caption, self.caption_box.is_empty()) {
            let mut backend = CanvasBackend::new(canvas, Blender::Frozen(&self.palette), self.caption_box);
            let fg = theme.foreground;
            let style = (FONT_FAMILY, theme.caption_size).into_font().color(&RGBColor(fg[0], fg[1], fg[2]));
            let pos = (self.plot_inner.x0 as i32, (self.caption_box.y1 as i32 - theme.caption_size as i32) / 2);
            backend.draw_text(text, &style, pos).map_err(draw_err)?;
            dirty = dirty.union(backend.dirty);
        }
        Ok(dirty)
    }
}

/// What one frame draws over the background.
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

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)))
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
    fn default_palette_is_exact() {
        let data = Dataset::synthetic(&crate::data::DataSpec::default());
        let scene = Scene::new(&data, (-1.0, 1.0), &SceneSettings::default()).unwrap();
        eprintln!("PALETTE {}", scene.palette().colors().len());
        assert!(scene.palette().is_exact(), "{} colours", scene.palette().colors().len());
    }
}
