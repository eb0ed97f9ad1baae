//! The panels of a frame, side by side: a [`View`](super::View) is a list of them.
//!
//! Each panel is one file that owns its layout (axes, ranges, what it needs of the data) and
//! its drawing, behind the [`Panel`] trait, so the scene only loops over them. A new panel is
//! one new file here plus its [`PanelKind`] here (a variant, and its arms in
//! [`PanelKind::background`] and [`PanelKind::name`], and [`PanelKind::DRAWABLE`]): two
//! files. A view is a list of panels (`--view line,loss,params`), so it needs no change.
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
mod legend;
mod line;
mod loss;
mod params;

pub(crate) use curves::curve_inks;
pub use curves::CurvesPanel;
pub use line::{LinePanel, OffPlot, OffPlotMark};
pub use loss::LossPanel;
pub use params::ParamsPanel;

use super::backend::{Blender, CanvasBackend};
use super::geometry::Chart;
use super::stroke;
use super::text::PlacedText;
use super::theme::{Metrics, Theme};
use crate::error::Result;
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::run::{Curves, Dataset, Run, Snapshot};

/// The three accessors every panel has the same way, from its fields `chart`, `metrics` and
/// `texts` (each panel lays its axes out once and keeps them).
macro_rules! chart_metrics_texts {
    () => {
        fn chart(&self) -> &crate::render::geometry::Chart {
            &self.chart
        }

        fn metrics(&self) -> &crate::render::theme::Metrics {
            &self.metrics
        }

        fn texts(&self) -> &[crate::render::text::PlacedText] {
            &self.texts
        }
    };
}
use chart_metrics_texts;

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
    /// Lays out a panel of this kind in `area` (its share of the frame) and draws its
    /// background there (see [`Panel::background`]).
    pub fn background(self, layout: &Layout, sheet: &mut Sheet<'_>, area: Rect) -> Result<Box<dyn Panel>> {
        Ok(match self {
            PanelKind::Line => Box::new(LinePanel::background(layout, sheet, area)?),
            PanelKind::Loss => Box::new(LossPanel::background(layout, sheet, area)?),
            PanelKind::Params => Box::new(ParamsPanel::background(layout, sheet, area)?),
            PanelKind::Curves(group) => Box::new(CurvesPanel::of_group(layout, group, sheet, area)?),
        })
    }

    /// Whether the panel's axes follow the run (so a scene with it is made per run).
    #[must_use]
    pub fn follows_the_run(self) -> bool {
        matches!(self, PanelKind::Loss | PanelKind::Params)
    }

    /// The panels a view may list, in the order help names them.
    pub const DRAWABLE: [PanelKind; 3] = [PanelKind::Line, PanelKind::Loss, PanelKind::Params];

    /// The name a view's list gives it (`line`, `loss`, `params`); a logged run's metric
    /// group is `curves` (its panels come from the log, never from a view).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            PanelKind::Line => "line",
            PanelKind::Loss => "loss",
            PanelKind::Params => "params",
            PanelKind::Curves(_) => "curves",
        }
    }
}

/// Its [`PanelKind::name`]; a metric group with its index (`curves:2`).
impl std::fmt::Display for PanelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PanelKind::Curves(group) => write!(f, "curves:{group}"),
            kind => f.write_str(kind.name()),
        }
    }
}

/// `line`, `loss`, `params` (or `curves:N`, as [`Display`](std::fmt::Display) writes it).
impl std::str::FromStr for PanelKind {
    type Err = crate::error::Error;

    fn from_str(name: &str) -> Result<PanelKind> {
        if let Some(kind) = PanelKind::DRAWABLE.into_iter().find(|k| k.name() == name) {
            return Ok(kind);
        }
        match name.strip_prefix("curves:").map(str::parse) {
            Some(Ok(group)) => Ok(PanelKind::Curves(group)),
            _ => Err(crate::error::Error::invalid(
                crate::error::Field::SceneView,
                crate::error::cut(name),
                "a panel: line, loss or params",
            )),
        }
    }
}

/// As its [`Display`](std::fmt::Display) name.
impl serde::Serialize for PanelKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// By a name [`FromStr`](std::str::FromStr) reads.
impl<'de> serde::Deserialize<'de> for PanelKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<PanelKind, D::Error> {
        <String as serde::Deserialize>::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// What every panel is laid out from: the data, the run's start and length (and the whole run,
/// when the scene is made for one), and the look. Computed once per scene, so no panel repeats
/// a pass over the data another needs too.
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
    /// Whether frames highlight their mini-batch.
    pub show_batch: bool,
    /// Whether the line panel keeps room above its box for a title.
    pub title: bool,
    /// Whether the line panel's y axis covers the data alone (user data), not the data and
    /// the start line (the lesson's look).
    pub data_limits: bool,
    /// The whole run, when the scene is made for one: the loss and parameter panels' axes
    /// then cover it.
    pub run: Option<&'a Run>,
    /// A logged run's series, for [`PanelKind::Curves`] panels (none for our own runs).
    pub curves: &'a Curves,
    /// Colours and sizes.
    pub theme: &'a Theme,
}

/// The background while it is drawn: the canvas and the palette that still grows.
#[derive(Debug)]
pub struct Sheet<'a> {
    /// The background canvas.
    pub canvas: &'a mut Canvas,
    /// Its palette, growing: any colour may be drawn.
    pub palette: &'a mut Palette,
}

impl Sheet<'_> {
    /// A backend drawing on the sheet inside `clip`.
    pub fn backend(&mut self, clip: Rect) -> CanvasBackend<'_> {
        CanvasBackend::new(self.canvas, Blender::Growing(self.palette), clip)
    }
}

/// One panel of a frame: a chart laid out once, then drawn in three passes (see the module
/// docs). Drawing is clipped to the panel's own box in the progress and overlay passes, and
/// every pass reports the pixels it changed, which is all the encoder is told.
pub trait Panel: std::fmt::Debug + Send + Sync {
    /// Lays the panel out in `area` (its share of the frame) and draws, once, what never
    /// changes: axes, ticks, labels, the box and fixed contents. The palette grows here, so
    /// any colour may be used.
    fn background(layout: &Layout, sheet: &mut Sheet<'_>, area: Rect) -> Result<Self>
    where
        Self: Sized;

    /// Which panel this is.
    fn kind(&self) -> PanelKind;

    /// The panel's axes: data ranges, the mapping to frame pixels, the box.
    fn chart(&self) -> &Chart;

    /// The panel's sizes in pixels.
    fn metrics(&self) -> &Metrics;

    /// Every string the background drew, where it is.
    fn texts(&self) -> &[PlacedText];

    /// Boxes of the fixed marks inside the box (the scatter's markers), in canvas pixels: text
    /// placed over the panel keeps off them.
    fn mark_boxes(&self) -> Vec<(f64, f64, f64, f64)> {
        vec![]
    }

    /// The mark a frame whose fitted line is `line` draws because the line misses the box
    /// (the line panel's arrow and note), if any.
    fn off_plot(&self, _line: (f64, f64)) -> Option<&OffPlotMark> {
        None
    }

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

    /// What the panel's steps count when it draws a logged run's (`epoch`), for the caption.
    fn step_axis(&self) -> Option<StepAxis<'_>> {
        None
    }

    /// The panel's own numbers at frame `k` for the caption (`loss 0.412   val_loss 0.53`), if
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

/// What a caption counts frames in: its name (`step`, a logged run's `epoch`) and, where
/// the frames do not sit at their steps (`--x epoch` on fractional epochs, `--x time`), where
/// each sits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepAxis<'a> {
    /// What the axis counts.
    pub name: &'a str,
    /// Each frame's place on the axis; empty: its step.
    pub at: &'a [f64],
}

impl StepAxis<'_> {
    /// The steps of a run.
    pub const STEPS: StepAxis<'static> = StepAxis { name: "step", at: &[] };

    /// Where frame `k` of `run` is on the axis, as the caption writes it (at most two decimals).
    pub(crate) fn label(&self, run: &Run, k: usize) -> String {
        match self.at.get(k) {
            Some(v) => {
                let text = format!("{v:.2}");
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            }
            None => run.snapshots[k].step.to_string(),
        }
    }

    /// Where the frame of step `step` is on the axis.
    pub(crate) fn label_of_step(&self, run: &Run, step: usize) -> String {
        match run.snapshots.iter().position(|s| s.step == step) {
            Some(k) => self.label(run, k),
            None => step.to_string(),
        }
    }
}

/// What one frame draws over the base.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overlay {
    /// The step it shows.
    pub step: usize,
    /// The fitted line (slope, intercept).
    pub line: (f64, f64),
    /// Earlier lines, oldest first, drawn faded under it.
    pub trail: Vec<(f64, f64)>,
    /// Indices of the points to highlight.
    pub batch: Vec<usize>,
    /// The caption, if the scene has room for one.
    pub caption: Option<String>,
}

/// What a panel's off-scale marker says at `step`, where the run leaves its axes: that it
/// diverged (and where), or that it is off scale from there.
pub(crate) fn off_scale_note(run: &Run, step: usize) -> String {
    match run.diverged_at() {
        Some(d) if d <= step => format!("diverged at step {d}"),
        _ => format!("off scale from step {step}"),
    }
}

/// The newest piece of a curve that grows a point a step (the loss curve, the parameters'
/// path): the segment from step `k - 1`'s point to step `k`'s, nothing at step 0, never inside
/// `keep_out`. Each piece has round ends, so the pieces join into one smooth anti-aliased
/// polyline.
#[allow(clippy::too_many_arguments)]
pub(crate) fn step_segment(
    base: &mut Canvas,
    palette: &Palette,
    chart: &Chart,
    m: &Metrics,
    ink: Rgb,
    keep_out: &[Rect],
    run: &Run,
    k: usize,
    point: impl Fn(usize, &Snapshot) -> (f64, f64),
) -> Rect {
    if k == 0 {
        return Rect::EMPTY;
    }
    let (p, q) = (point(k - 1, &run.snapshots[k - 1]), point(k, &run.snapshots[k]));
    let Some((p, q)) = chart.clip_segment(p, q) else {
        return Rect::EMPTY;
    };
    let mut backend = CanvasBackend::new(base, Blender::Frozen(palette), chart.inner).keeping_out(keep_out);
    stroke::segment(&mut backend, chart.to_point(p.0, p.1), chart.to_point(q.0, q.1), m.curve_width, ink, 1.0);
    backend.dirty
}
