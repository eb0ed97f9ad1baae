//! The scene: a view's panels laid out side by side and drawn once into an indexed
//! background, the palette every frame shares, and the two per-step passes (progress into an
//! animation's base, overlay per frame) that loop over the panels and the caption. What each
//! panel draws is in `panels/`; this file knows only that a view is a list of them.

use super::axes::title_anchor;
use super::backend::{Blender, CanvasBackend};
use super::geometry::Chart;
use super::panels::{curve_inks, Layout, Overlay, Panel, PanelKind, Sheet};
use super::stroke;
use super::text::{place, Align, PlacedText, Valign};
use super::theme::{Metrics, Theme, CAPTION_SHADES};
use crate::error::{Error, Field, Result};
use crate::raster::{Canvas, Palette, Rect, Rgb};
use crate::run::{mse, Curves, Dataset, Run, TrainSettings};

/// Which panels a frame shows, side by side, left to right: the line panel first (the caption
/// is aligned with it, and [`Scene::to_pixel`] reads it), then the loss and the parameters
/// panels in any order, each at most once. Written as a list of [`PanelKind`] names
/// (`line,loss,params`); the views named before a view was a list are kept as aliases and as
/// constants: `line` ([`View::Line`], the post's and the default), `line+loss`, `line+params`
/// and `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct View {
    /// The first `len` are the panels; the rest repeat the line panel, so equal lists are
    /// equal views.
    kinds: [PanelKind; View::MAX_PANELS],
    len: usize,
}

#[allow(non_upper_case_globals)] // Named as they were when `View` was an enum of them.
impl View {
    /// The most panels a view has: each of line, loss and params once.
    pub const MAX_PANELS: usize = 3;
    /// The fitted line over the data, the post's view (`line`).
    pub const Line: View = View { kinds: [PanelKind::Line; 3], len: 1 };
    /// The line, and the loss curve growing step by step (`line+loss`).
    pub const LineLoss: View = View { kinds: [PanelKind::Line, PanelKind::Loss, PanelKind::Line], len: 2 };
    /// The line, and the path of (slope, intercept) over the MSE contours (`line+params`).
    pub const LineParams: View = View { kinds: [PanelKind::Line, PanelKind::Params, PanelKind::Line], len: 2 };
    /// All three panels (`all`).
    pub const All: View = View { kinds: [PanelKind::Line, PanelKind::Loss, PanelKind::Params], len: 3 };
    /// The named views, by the name `--view` and the provenance command give them.
    pub const NAMED: [(&'static str, View); 4] =
        [("line", View::Line), ("line+loss", View::LineLoss), ("line+params", View::LineParams), ("all", View::All)];
    /// What a view may be, for an error or a help text.
    pub const EXPECTED: &'static str =
        "a list of panels such as line,loss,params (line first, each once) or line, line+loss, line+params, all";

    /// The view of these panels, left to right, if they make one (see [`View`]).
    #[must_use]
    pub fn of(kinds: &[PanelKind]) -> Option<View> {
        let drawable = |k: &PanelKind| PanelKind::DRAWABLE.contains(k);
        let once = kinds.iter().enumerate().all(|(i, k)| !kinds[..i].contains(k));
        if kinds.first() != Some(&PanelKind::Line)
            || kinds.len() > View::MAX_PANELS
            || !once
            || !kinds.iter().all(drawable)
        {
            return None;
        }
        let mut view = View::Line;
        view.kinds[..kinds.len()].copy_from_slice(kinds);
        view.len = kinds.len();
        Some(view)
    }

    /// The panels, left to right; the line panel first.
    #[must_use]
    pub fn panel_kinds(&self) -> &[PanelKind] {
        &self.kinds[..self.len]
    }

    /// How many panels side by side.
    #[must_use]
    pub fn panels(self) -> u32 {
        self.panel_kinds().len() as u32
    }

    /// Whether some panel's axes follow the run, so each run gets a scene of its own
    /// ([`Scene::for_run`]).
    #[must_use]
    pub fn follows_the_run(self) -> bool {
        self.panel_kinds().iter().any(|k| k.follows_the_run())
    }
}

impl Default for View {
    fn default() -> View {
        View::Line
    }
}

/// As `--view` and the provenance command spell it: a named view by its name (`line+loss`),
/// any other by its panels (`line,params,loss`).
impl std::fmt::Display for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((name, _)) = View::NAMED.iter().find(|(_, v)| v == self) {
            return f.write_str(name);
        }
        let names: Vec<String> = self.panel_kinds().iter().map(ToString::to_string).collect();
        f.write_str(&names.join(","))
    }
}

/// A named view (`all`) or a comma-separated list of panels (`line,loss`).
impl std::str::FromStr for View {
    type Err = Error;

    fn from_str(text: &str) -> Result<View> {
        if let Some((_, view)) = View::NAMED.iter().find(|(name, _)| *name == text) {
            return Ok(*view);
        }
        let bad = || Error::invalid(Field::SceneView, crate::error::cut(text), View::EXPECTED);
        let kinds: Vec<PanelKind> =
            text.split(',').map(|k| k.trim().parse().map_err(|_| bad())).collect::<Result<_>>()?;
        View::of(&kinds).ok_or_else(bad)
    }
}

/// As its [`Display`](std::fmt::Display) name.
impl serde::Serialize for View {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// By a name [`FromStr`](std::str::FromStr) reads.
impl<'de> serde::Deserialize<'de> for View {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<View, D::Error> {
        <String as serde::Deserialize>::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// What the line panel's y axis covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Limits {
    /// The data and the start line, as matplotlib autoscales the lesson's figure.
    #[default]
    Lesson,
    /// The data alone, so it fills the plot; lines outside are clipped (`render` and `grid`
    /// choose this for `--data`).
    Data,
}

/// Frame size and decorations.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneSettings {
    /// Frame width in pixels (all panels together).
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// Whether frames carry a caption: the run as a title above the line panel, and each
    /// frame's step and loss inside it.
    pub caption: bool,
    /// With `caption`, whether each frame's step and loss are shown inside the plot (the
    /// title is shown either way); comparisons show one step counter for all their panels.
    pub readout: bool,
    /// What the title calls the run; `None`: its method and settings, as
    /// [`run_label`](super::caption::run_label) writes them ("SGD lr=0.1 bs=16").
    pub label: Option<String>,
    /// Frames the caption's loss is held for (`None`: 1, every frame shows its own). The step
    /// is always the frame's own; a held loss names the step it belongs to.
    pub caption_every: Option<u32>,
    /// What the line panel's y axis covers.
    pub limits: Limits,
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

impl SceneSettings {
    /// The width of a panel when none is given: a frame is this wide a panel (the default
    /// view has one), as matplotlib's default figure is 640 pixels wide.
    pub const PANEL_WIDTH: u32 = 640;

    /// The frame width of `view` when none is given: [`Self::PANEL_WIDTH`] a panel.
    #[must_use]
    pub fn default_width(view: View) -> u32 {
        Self::PANEL_WIDTH * view.panels()
    }
}

impl Default for SceneSettings {
    fn default() -> Self {
        let view = View::Line;
        SceneSettings {
            width: Self::default_width(view),
            height: 480,
            caption: true,
            readout: true,
            label: None,
            caption_every: None,
            limits: Limits::Lesson,
            trail: 0,
            show_batch: false,
            view,
            truth: None,
            theme: Theme::default(),
        }
    }
}

/// Smallest panel side that holds a chart.
pub const MIN_SIZE: u32 = 200;
/// Largest frame side.
pub const MAX_SIZE: u32 = 4096;

/// Everything shared by the frames of one or many animations over the same data and start
/// (or, for views whose axes follow the run, of one run: [`Scene::for_run`]).
pub struct Scene {
    settings: SceneSettings,
    /// Left to right, as [`View::panel_kinds`] lists them; never empty.
    panels: Vec<Box<dyn Panel>>,
    /// The data's x range, where the line panel draws lines.
    line_span: (f64, f64),
    palette: Palette,
    background: Canvas,
}

impl std::fmt::Debug for Scene {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scene")
            .field("settings", &self.settings)
            .field("panels", &self.panels)
            .field("colors", &self.palette.colors().len())
            .finish_non_exhaustive()
    }
}

impl Scene {
    /// Lays out the view's panels for `data` and the run's start and length, draws the
    /// background and builds the palette. Axis ranges stay fixed for every frame, as in the
    /// post. The loss and parameter panels' axes cover what the start and the data promise;
    /// [`Scene::for_run`] makes them cover a whole run.
    pub fn new(data: &Dataset, train: &TrainSettings, settings: &SceneSettings) -> Result<Scene> {
        let kinds = settings.view.panel_kinds();
        Scene::build(data, train, settings, None, &Curves::default(), kinds)
    }

    /// [`Scene::new`] for one run: the loss and parameter panels' axes cover all of it (where
    /// it leaves them by diverging, a marker says so).
    pub fn for_run(data: &Dataset, run: &Run, settings: &SceneSettings) -> Result<Scene> {
        let kinds = settings.view.panel_kinds();
        Scene::build(data, &run.settings, settings, Some(run), &Curves::default(), kinds)
    }

    /// [`Scene::for_run`] with the panels `kinds`, left to right (the first one holds the
    /// title and the caption), and a logged run's `curves` for its [`PanelKind::Curves`]
    /// panels (whose series' colours join the palette's inks). `settings.view` is not read.
    pub fn with_curves(
        data: &Dataset,
        run: &Run,
        curves: &Curves,
        kinds: &[PanelKind],
        settings: &SceneSettings,
    ) -> Result<Scene> {
        Scene::build(data, &run.settings, settings, Some(run), curves, kinds)
    }

    fn build(
        data: &Dataset,
        train: &TrainSettings,
        settings: &SceneSettings,
        run: Option<&Run>,
        curves: &Curves,
        kinds: &[PanelKind],
    ) -> Result<Scene> {
        // A frame too small for its panels (1x1) is refused here, not found out by a panic later.
        settings.validate_panels(kinds.len() as u32)?;
        if kinds.is_empty() {
            return Err(crate::error::Error::invalid(Field::SceneView, "no panels", "one panel or more"));
        }
        let theme = &settings.theme;
        let (w, h) = (settings.width, settings.height);
        let least_squares = data.least_squares();
        let layout = Layout {
            data,
            start: train.start,
            steps: train.steps,
            least_squares,
            best_loss: least_squares.map_or(0.0, |ls| mse(data, ls, None)).max(1e-9),
            truth: settings.truth,
            show_batch: settings.show_batch,
            title: settings.caption,
            data_limits: settings.limits == Limits::Data,
            run,
            curves,
            theme,
        };
        let mut inks = theme.inks(settings.trail > 0);
        inks.extend(curve_inks(curves, kinds, theme));
        let mut palette = Palette::new(theme.background, &inks);
        let mut background = Canvas::filled(w, h, 0);
        let panels = {
            let mut sheet = Sheet { canvas: &mut background, palette: &mut palette };
            let n = kinds.len() as u32;
            let mut panels = Vec::with_capacity(kinds.len());
            for (i, kind) in kinds.iter().enumerate() {
                let i = i as u32;
                let area = Rect { x0: w * i / n, y0: 0, x1: w * (i + 1) / n, y1: h };
                panels.push(kind.background(&layout, &mut sheet, area)?);
            }
            panels
        };
        // Shades of each ink over what lies under it, most important first (a palette that
        // fills up maps later shades to their nearest colour): each ink over the boxes of the
        // panels that draw with it, in the order the panels list them, then text on the page
        // (the title, and the caption on its halo).
        let mut closures: Vec<(Rgb, Vec<u8>)> = vec![];
        for panel in &panels {
            let under = distinct(&background, panel.chart().inner);
            for ink in panel.inks() {
                match closures.iter_mut().find(|(i, _)| *i == ink) {
                    Some((_, all)) => all.extend_from_slice(&under),
                    None => closures.push((ink, under.clone())),
                }
            }
        }
        for (ink, mut under) in closures {
            under.sort_unstable();
            under.dedup();
            palette.close_over(ink, &under);
        }
        palette.close_over(theme.foreground, &[0]);
        // Lowest indices for what most frames change: the page, the caption's few shades and
        // the line's (a frame using only them gets 3-bit codes).
        let text = palette.shades(theme.foreground, theme.background);
        let mut first = vec![theme.background];
        let n = text.len();
        for q in 1..=usize::from(CAPTION_SHADES) {
            let level = (q * n + usize::from(CAPTION_SHADES) / 2) / usize::from(CAPTION_SHADES);
            first.extend(text.get(level.max(1) - 1));
        }
        first.extend(palette.shades(theme.line, theme.background));
        // Then every colour frames may draw (the scatter and the line over it), and last the
        // static text's other shades, which only the first frame holds: frames that cross the
        // data keep their code size.
        first.extend(palette.colors().iter().filter(|c| !text.contains(c)));
        first.extend(text);
        let map = palette.prioritise(&first);
        background.pixels.iter_mut().for_each(|p| *p = map[*p as usize]);
        palette.freeze();
        let span = data.x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        Ok(Scene { settings: settings.clone(), panels, line_span: span, palette, background })
    }

    /// The still frame: axes and scatter, no line.
    #[must_use]
    pub fn background(&self) -> &Canvas {
        &self.background
    }

    /// The global palette every frame uses.
    #[must_use]
    pub fn palette(&self) -> &Palette {
        &self.palette
    }

    /// The settings the scene was built with.
    #[must_use]
    pub fn settings(&self) -> &SceneSettings {
        &self.settings
    }

    /// The chart of the view's panel of `kind`, if it has one.
    #[must_use]
    pub fn chart(&self, kind: PanelKind) -> Option<&Chart> {
        self.panels.iter().find(|p| p.kind() == kind).map(|p| p.chart())
    }

    /// Whether the panel holding the title and caption draws a logged run's curves (not a
    /// fitted line).
    pub(crate) fn captions_curves(&self) -> bool {
        matches!(self.panels[0].kind(), PanelKind::Curves(_))
    }

    /// The charts of the panels after the first of a logged run's curves (the panels beside
    /// the one holding the title and caption), left to right; none for our own runs' views.
    pub(crate) fn curve_charts_beside(&self) -> Vec<&Chart> {
        if !self.captions_curves() {
            return vec![];
        }
        let curves = self.panels[1..].iter().filter(|p| matches!(p.kind(), PanelKind::Curves(_)));
        curves.map(|p| p.chart()).collect()
    }

    /// The line panel's chart: the first panel of every view.
    fn line_chart(&self) -> &Chart {
        self.panels[0].chart()
    }

    /// The fixed axis ranges `(x, y)` of the line panel.
    #[must_use]
    pub fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        (self.line_chart().x_range, self.line_chart().y_range)
    }

    /// The pixel of a data point in the line panel (may lie outside the frame).
    #[must_use]
    pub fn to_pixel(&self, x: f64, y: f64) -> (i32, i32) {
        self.line_chart().to_pixel(x, y)
    }

    /// The pixel of (slope, intercept) in the parameter panel, if the view has one.
    #[must_use]
    pub fn params_pixel(&self, slope: f64, intercept: f64) -> Option<(i32, i32)> {
        self.chart(PanelKind::Params).map(|c| c.to_pixel(slope, intercept))
    }

    /// The pixels inside the line panel's box, where lines are drawn.
    #[must_use]
    pub fn plot_area(&self) -> Rect {
        self.line_chart().inner
    }

    /// Whether frames build on earlier ones (the loss curve, the parameter path): then
    /// [`Scene::draw_progress`] must be drawn into a base canvas step by step.
    #[must_use]
    pub fn has_progress(&self) -> bool {
        self.panels.iter().any(|p| p.has_progress())
    }

    /// Draws what step `k` adds for good (the loss curve's and the path's newest segment)
    /// onto `base`; returns the rectangle it changed.
    pub fn draw_progress(&self, base: &mut Canvas, run: &Run, k: usize) -> Result<Rect> {
        let mut dirty = Rect::EMPTY;
        for panel in &self.panels {
            dirty = dirty.union(panel.progress(base, &self.palette, run, k)?);
        }
        Ok(dirty)
    }

    /// What the frames' steps count, for the caption: a logged run's axis (`epoch` for
    /// Keras' CSVLogger), else `step`.
    #[must_use]
    pub fn step_axis(&self) -> super::panels::StepAxis<'_> {
        self.panels.iter().find_map(|p| p.step_axis()).unwrap_or(super::panels::StepAxis::STEPS)
    }

    /// The numbers the panels show at frame `k`, for the caption (see [`Panel::caption_values`]).
    #[must_use]
    pub fn caption_values(&self, k: usize) -> Option<String> {
        let values: Vec<String> = self.panels.iter().filter_map(|p| p.caption_values(k)).collect();
        (!values.is_empty()).then(|| values.join("   "))
    }

    /// Draws one step's overlay on `canvas`, which must hold the base (background plus
    /// progress) wherever earlier overlays were; returns the rectangle it changed.
    pub fn draw_overlay(&self, canvas: &mut Canvas, overlay: &Overlay) -> Result<Rect> {
        let mut dirty = Rect::EMPTY;
        for panel in &self.panels {
            dirty = dirty.union(panel.overlay(canvas, &self.palette, overlay)?);
        }
        Ok(dirty)
    }

    /// The line panel's sizes in pixels.
    #[must_use]
    pub fn metrics(&self) -> &Metrics {
        self.panels[0].metrics()
    }

    /// Every string the background holds (tick labels, axis labels, notes, annotations).
    #[must_use]
    pub fn texts(&self) -> Vec<&PlacedText> {
        self.panels.iter().flat_map(|p| p.texts()).collect()
    }

    /// Where the line `(slope, intercept)` is drawn in the line panel: across the data's x
    /// range, clipped to the box, in canvas pixels; `None` when it misses the box.
    #[must_use]
    pub fn line_ends(&self, line: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
        self.line_chart().line_across(self.line_span, line)
    }

    /// The scatter's markers in the line panel, as boxes in canvas pixels.
    #[must_use]
    pub fn marker_boxes(&self) -> Vec<(f64, f64, f64, f64)> {
        self.panels[0].mark_boxes()
    }

    /// The line panel's mark for a fitted line `line` that misses its box: an arrow at the
    /// edge it left through and a note ("line above"); `None` while the line is in view.
    #[must_use]
    pub fn off_plot(&self, line: (f64, f64)) -> Option<&super::panels::OffPlotMark> {
        self.panels[0].off_plot(line)
    }

    /// The title above the line panel, placed (not drawn).
    #[must_use]
    pub fn place_title(&self, text: &str) -> PlacedText {
        let m = self.metrics();
        place(text, m.title, title_anchor(self.line_chart(), m), Align::Center, Valign::Baseline, true)
    }

    /// Draws `text` (placed) on `canvas`, with `backed` over a box of page colour around its
    /// line box (a halo's width wide, like matplotlib's `bbox` with no edge), else straight
    /// onto the page; returns the rectangle it changed.
    pub fn draw_text(&self, canvas: &mut Canvas, text: &PlacedText, backed: bool) -> Rect {
        let theme = &self.settings.theme;
        let bounds = canvas.bounds();
        let mut backend = CanvasBackend::new(canvas, Blender::Frozen(&self.palette), bounds);
        if backed {
            let pad = f64::from(self.metrics().halo);
            let (l, t, r, b) = text.bounds;
            let (x0, y0) = ((l - pad).floor() as i64, (t - pad).floor() as i64);
            let (x1, y1) = ((r + pad).ceil() as i64, (b + pad).ceil() as i64);
            stroke::bar(&mut backend, x0, y0, x1, y1, theme.background);
        }
        stroke::mask(&mut backend, &text.mask, theme.foreground);
        backend.dirty
    }

    /// The line panel's chart.
    #[must_use]
    pub fn line_panel(&self) -> &Chart {
        self.line_chart()
    }
}

/// The palette indices that cover a noticeable share of `rect` of `canvas` (one pixel in
/// 4000, at least one pixel), ascending: what lines will be drawn over. A rarer colour (an
/// anti-aliased edge of a mark) under a line takes the nearest shade there is.
fn distinct(canvas: &Canvas, rect: Rect) -> Vec<u8> {
    let mut seen = [0u32; 256];
    for y in rect.y0..rect.y1.min(canvas.height) {
        for x in rect.x0..rect.x1.min(canvas.width) {
            seen[canvas.pixels[(y * canvas.width + x) as usize] as usize] += 1;
        }
    }
    let least = (rect.width() * rect.height() / 4000).max(1);
    (0..=255u8).filter(|&i| seen[i as usize] >= least).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_is_a_list_of_panels_and_the_old_names_are_aliases() {
        use PanelKind::{Line, Loss, Params};
        for (name, view) in View::NAMED {
            assert_eq!(name.parse::<View>().unwrap(), view);
            assert_eq!(view.to_string(), name, "the provenance command keeps today's spelling");
        }
        assert_eq!("line,loss,params".parse::<View>().unwrap(), View::All);
        assert_eq!("line, loss".parse::<View>().unwrap(), View::LineLoss);
        assert_eq!("line".parse::<View>().unwrap().panel_kinds(), [Line]);
        let swapped: View = "line,params,loss".parse().unwrap();
        assert_eq!(swapped.panel_kinds(), [Line, Params, Loss]);
        assert_eq!(swapped.to_string(), "line,params,loss");
        assert_eq!(swapped.to_string().parse::<View>().unwrap(), swapped);
        assert_eq!((swapped.panels(), swapped.follows_the_run()), (3, true));
        assert_eq!(View::default(), View::Line);
        for bad in ["", "loss", "loss,line", "line,line", "line,loss,params,loss", "line,sideways", "line,curves:0"] {
            let err = bad.parse::<View>().unwrap_err().to_string();
            assert!(err.contains("scene.view") && err.contains("line first, each once"), "{bad}: {err}");
        }
        assert_eq!(serde_json::to_string(&View::LineParams).unwrap(), "\"line+params\"");
        assert_eq!(serde_json::from_str::<View>("\"line,params\"").unwrap(), View::LineParams);
        for kind in [Line, Loss, Params, PanelKind::Curves(2)] {
            assert_eq!(kind.to_string().parse::<PanelKind>().unwrap(), kind);
        }
        assert!("sideways".parse::<PanelKind>().unwrap_err().to_string().contains("line, loss or params"));
    }

    #[test]
    fn every_view_and_overlay_fits_the_palette() {
        let d = Dataset::synthetic(&crate::run::DataSpec::default());
        for view in [View::Line, View::LineLoss, View::LineParams, View::All] {
            let settings =
                SceneSettings { view, trail: 5, show_batch: true, width: 640 * view.panels(), ..Default::default() };
            let scene = Scene::new(&d, &TrainSettings::default(), &settings).unwrap();
            assert!(scene.palette().is_exact(), "{view:?}: {} colours", scene.palette().colors().len());
        }
    }

    /// The title where matplotlib 3.11.2 puts "SGD lr=0.1 bs=16" over the lesson's figure at
    /// 640x480 (`ax.title.get_window_extent()`, y from the top: 250.0, 36.27 to 406.0, 53.27),
    /// within a pixel.
    #[test]
    fn the_title_sits_where_matplotlibs_does() {
        let data = Dataset::synthetic(&crate::run::DataSpec::default());
        let scene = Scene::new(&data, &TrainSettings::default(), &SceneSettings::default()).unwrap();
        let (l, t, r, b) = scene.place_title("SGD lr=0.1 bs=16").bounds;
        // Centre, top and bottom (the widths differ by how each measures a string's advance).
        for (ours, theirs) in [((l + r) / 2.0, 328.0), (t, 36.27), (b, 53.27)] {
            assert!((ours - theirs).abs() <= 1.0, "title at {:?}", (l, t, r, b));
        }
    }

    #[test]
    fn default_palette_is_exact() {
        let data = Dataset::synthetic(&crate::run::DataSpec::default());
        let scene = Scene::new(&data, &TrainSettings::default(), &SceneSettings::default()).unwrap();
        assert!(scene.palette().is_exact(), "{} colours", scene.palette().colors().len());
    }

    /// The pixels where `a` and `b` differ, as the smallest rectangle holding them.
    fn changed(a: &Canvas, b: &Canvas) -> Rect {
        let mut rect = Rect::EMPTY;
        for (i, (p, q)) in a.pixels.iter().zip(&b.pixels).enumerate() {
            if p != q {
                rect.include(i as u32 % a.width, i as u32 / a.width);
            }
        }
        rect
    }

    /// The panels' contract: a view's panels sit left to right in its order, and each pass
    /// draws only inside its panel's box and reports every pixel it changed (the encoder
    /// sends nothing else).
    #[test]
    fn panels_draw_in_their_boxes_and_report_what_they_change() {
        let data = Dataset::synthetic(&crate::run::DataSpec::default());
        let train = TrainSettings {
            lr: 0.1,
            batch_size: crate::run::BatchSize::Size(8),
            steps: 12,
            record_batches: true,
            ..Default::default()
        };
        let run = crate::train::train(&data, &train);
        for view in [View::Line, View::LineLoss, View::LineParams, View::All] {
            let settings =
                SceneSettings { view, trail: 3, show_batch: true, width: 400 * view.panels(), ..Default::default() };
            let scene = Scene::new(&data, &train, &settings).unwrap();
            let kinds: Vec<PanelKind> = scene.panels.iter().map(|p| p.kind()).collect();
            assert_eq!(kinds, view.panel_kinds(), "{view:?}");
            for (k, pair) in scene.panels.windows(2).enumerate() {
                assert!(pair[0].chart().inner.x1 <= pair[1].chart().inner.x0, "{view:?}: panels {k} and {}", k + 1);
            }
            assert_eq!(scene.has_progress(), kinds.len() > 1, "{view:?}");
            let mut base = scene.background().clone();
            for k in 0..run.snapshots.len() {
                let overlay = crate::render::caption::overlay(&run, k, &settings);
                for panel in &scene.panels {
                    let inner = panel.chart().inner;
                    let before = base.clone();
                    let reported = panel.progress(&mut base, &scene.palette, &run, k).unwrap();
                    let mut canvas = base.clone();
                    let drawn = panel.overlay(&mut canvas, &scene.palette, &overlay).unwrap();
                    for (from, to, rect) in [(&before, &base, reported), (&base, &canvas, drawn)] {
                        let real = changed(from, to);
                        assert_eq!(rect.union(real), rect, "{view:?} {:?} step {k}: changed {real:?}", panel.kind());
                        assert_eq!(inner.union(rect), inner, "{view:?} {:?} step {k}: {rect:?}", panel.kind());
                    }
                }
            }
        }
    }
}
