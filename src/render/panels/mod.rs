//! The panels of a frame, side by side: a [`View`](super::View) is a list of them.
//!
//! Each panel is one file that owns its layout (axes, ranges, what it needs of the data) and
//! its drawing, behind the [`Panel`] trait, so the scene only loops over them. A new panel is
//! one new file here plus its [`PanelKind`] (a variant and its arm in
//! [`PanelKind::background`]); a new view is one line in `View::panel_kinds`.
//!
//! A panel is drawn in three passes, matching how frames are made cheaply:
//! - **background**, once per scene: axes and whatever never changes (the scatter, the
//!   contour bands), into the indexed background while the palette still grows;
//! - **progress**, once per step of an animation: what step `k` adds for good (the loss
//!   curve's and the parameter path's newest segment), into the animation's base canvas;
//! - **overlay**, once per frame: what only this frame shows (the fitted line, its trail, the
//!   batch, a marker), over a copy of the base that the scene restores where the previous
//!   frame drew.
//!
//! The progress and overlay passes use the frozen palette, so each panel names the inks it
//! draws with there ([`Panel::inks`]) and the scene adds their shades before freezing it.

mod curves;
mod line;
mod loss;
mod params;

pub(crate) use curves::curve_inks;
pub use curves::CurvesPanel;
pub use line::LinePanel;
pub use loss::LossPanel;
pub use params::ParamsPanel;

use super::backend::CanvasBackend;
use super::geometry::Chart;
use super::theme::Theme;
use crate::error::Result;
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::replay::Curves;
use crate::train::{Dataset, Run, Snapshot};
use plotters::coord::Shift;
use plotters::drawing::DrawingArea;

/// A region of the background canvas that panels draw on with plotters.
pub type Area<'a> = DrawingArea<CanvasBackend<'a>, Shift>;

/// The panels there are, in the order a view lists them from left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PanelKind {
    /// The data and the fitted line (`LinePanel`).
    Line,
    /// The loss curve growing step by step (`LossPanel`).
    Loss,
    /// The path of (slope, intercept) over the MSE contours (`ParamsPanel`).
    Params,
    /// A logged run's metric group, by its index in [`Curves::groups`] (`CurvesPanel`).
    Curves(usize),
}

impl PanelKind {
    /// Lays out a panel of this kind on `area` and draws its background there (see
    /// [`Panel::background`]).
    pub fn background(self, layout: &Layout, area: &Area<'_>, frame: &Area<'_>) -> Result<Box<dyn Panel>> {
        Ok(match self {
            PanelKind::Line => Box::new(LinePanel::background(layout, area, frame)?),
            PanelKind::Loss => Box::new(LossPanel::background(layout, area, frame)?),
            PanelKind::Params => Box::new(ParamsPanel::background(layout, area, frame)?),
            PanelKind::Curves(group) => Box::new(CurvesPanel::of_group(layout, group, area)?),
        })
    }
}

/// What every panel is laid out from: the data, the run's start and length, and the look.
/// Computed once per scene, so no panel repeats a pass over the data another needs too.
#[derive(Debug, Clone)]
pub struct Layout<'a> {
    /// The points.
    pub data: &'a Dataset,
    /// The run's first (slope, intercept).
    pub start: (f64, f64),
    /// How many steps the run takes (the last frame's step).
    pub steps: usize,
    /// The least-squares (slope, intercept) of the data, if it has one.
    pub least_squares: Option<(f64, f64)>,
    /// The least loss (MSE) any line reaches on the data, at least 1e-9 (so logs are finite).
    pub best_loss: f64,
    /// The true (slope, intercept), when known.
    pub truth: Option<(f64, f64)>,
    /// Whether frames show earlier lines, faded.
    pub trail: bool,
    /// Whether frames highlight their mini-batch.
    pub show_batch: bool,
    /// Pixels above every chart (room for the caption).
    pub top: u32,
    /// A replayed log's series, for [`PanelKind::Curves`] panels (none for our own runs).
    pub curves: &'a Curves,
    /// Colours and sizes.
    pub theme: &'a Theme,
}

/// One panel of a frame: a chart laid out once, then drawn in three passes (see the module
/// docs). Drawing is clipped to the panel's own box in the progress and overlay passes, and
/// every pass reports the pixels it changed, which is all the encoder is told.
pub trait Panel: std::fmt::Debug + Send + Sync {
    /// Lays the panel out on `area` (its share of the frame) and draws, once, what never
    /// changes: axes, ticks, labels, the box and fixed contents. The palette grows here, so
    /// any colour may be used. `frame` is the whole frame, for marks whose labels may reach
    /// past the panel's share (they are placed in frame pixels, as [`Chart::to_pixel`] gives).
    fn background(layout: &Layout, area: &Area<'_>, frame: &Area<'_>) -> Result<Self>
    where
        Self: Sized;

    /// Which panel this is.
    fn kind(&self) -> PanelKind;

    /// The panel's axes: data ranges, the mapping to frame pixels, the box.
    fn chart(&self) -> &Chart;

    /// The inks the progress and overlay passes draw with inside [`Chart::inner`], most
    /// important first: the scene gives their shades over the box's colours palette entries
    /// before freezing it (a full palette maps later shades to their nearest colour).
    fn inks(&self) -> Vec<Rgb>;

    /// Whether [`Panel::progress`] draws anything, that is whether frames build on earlier ones.
    fn has_progress(&self) -> bool {
        false
    }

    /// Draws what step `k` of `run` adds for good (for `k` from 0, each once, in order) onto
    /// `base`, the background plus earlier steps' progress; returns the rectangle it changed.
    fn progress(&self, _base: &mut Canvas, _palette: &Palette, _run: &Run, _k: usize) -> Result<Rect> {
        Ok(Rect::EMPTY)
    }

    /// The panel's own numbers at frame `k` for the caption (`loss 0.412   val_loss 0.530`), if
    /// it shows any; they stand for the run's loss there.
    fn caption_values(&self, _k: usize) -> Option<String> {
        None
    }

    /// Draws one frame's overlay on `canvas`, which holds the base inside the panel's box
    /// wherever earlier overlays drew; returns the rectangle it changed, which the scene
    /// restores from the base before the next frame.
    fn overlay(&self, _canvas: &mut Canvas, _palette: &Palette, _overlay: &Overlay) -> Result<Rect> {
        Ok(Rect::EMPTY)
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

/// The newest piece of a curve that grows a point a step (the loss curve, the parameters'
/// path): the segment from step `k - 1`'s point to step `k`'s, nothing at step 0.
pub(crate) fn step_segment(
    base: &mut Canvas,
    palette: &Palette,
    chart: &Chart,
    ink: Rgb,
    run: &Run,
    k: usize,
    point: impl Fn(usize, &Snapshot) -> (f64, f64),
) -> Result<Rect> {
    if k == 0 {
        return Ok(Rect::EMPTY);
    }
    let (p, q) = (point(k - 1, &run.snapshots[k - 1]), point(k, &run.snapshots[k]));
    progress_segment(base, palette, chart, ink, p, q)
}

/// Draws the segment `p`-`q` (data units) of `chart` with `ink`, 2 pixels wide, clipped to
/// the chart's box.
pub(crate) fn progress_segment(
    base: &mut Canvas,
    palette: &Palette,
    chart: &Chart,
    ink: Rgb,
    p: (f64, f64),
    q: (f64, f64),
) -> Result<Rect> {
    use super::backend::{backend_err, Blender};
    use super::geometry::rgb;
    use plotters::style::Color;
    use plotters_backend::DrawingBackend;
    let Some((p, q)) = chart.clip_segment(p, q) else {
        return Ok(Rect::EMPTY);
    };
    let mut backend = CanvasBackend::new(base, Blender::Frozen(palette), chart.inner);
    let style = rgb(ink).stroke_width(2);
    backend.draw_line(chart.to_pixel(p.0, p.1), chart.to_pixel(q.0, q.1), &style).map_err(backend_err)?;
    Ok(backend.dirty)
}
