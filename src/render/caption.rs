//! The caption: the run named once, as a title above the line panel (drawn into the
//! animation's first frame, so it costs nothing after), and each frame's own step and loss
//! inside the line panel, on a white halo.
//!
//! Every frame's numbers are its own: the step and loss of the line it draws. Where they sit
//! is chosen once per animation, like matplotlib's `legend(loc="best")`: among the corners and
//! the middle of the sides of the plot, the spots clear of the data's markers, and of those
//! the one where the frames change anyway. A GIF frame stores the rectangle holding every
//! changed pixel, so a caption far from the moving line would stretch every frame's
//! rectangle to reach it; placed in rows the line sweeps, its digits cost little more than
//! themselves (see [`caption_spot`]).

use super::geometry::clip_segment;
use super::panels::{Overlay, StepAxis};
use super::scene::{Scene, SceneSettings};
use super::text::{layout, overlaps, place, Align, PlacedText, Valign};
use crate::format::short_number;
use crate::run::{BatchSize, Run, Verdict};

/// A short description of a run: "GD lr=0.1", "SGD lr=0.1 bs=16", "Adam lr=0.1 bs=16".
#[must_use]
pub fn run_label(run: &Run) -> String {
    let s = &run.settings;
    let method = s.optimizer.label(s.batch_size);
    match s.batch_size {
        BatchSize::Full => format!("{method} lr={}", crate::format::python_float(s.lr)),
        BatchSize::Size(b) => format!("{method} lr={} bs={b}", crate::format::python_float(s.lr)),
    }
}

/// Frames the loss is held for: the scene's choice, or 1 (every frame its own).
#[must_use]
pub fn caption_every(settings: &SceneSettings) -> usize {
    settings.caption_every.unwrap_or(1).max(1) as usize
}

/// The caption of frame `k` of `run`: its step, and its loss, or from the step the run
/// diverged at on, that step; the last frame of a run that ended unstable says so. With the
/// loss held for `every` frames, a frame whose loss belongs to an earlier step names that step.
#[must_use]
pub fn caption(run: &Run, k: usize, every: usize, diverged_at: Option<usize>) -> String {
    caption_with(run, k, every, diverged_at, &StepAxis::STEPS, &|_| None)
}

/// [`caption`] with the numbers the scene's panels show at a frame (`values`: a logged run's
/// metrics, `loss 0.41   val_loss 0.53`), which stand for the loss where there are some, and
/// what the steps count (`axis`: `step`, or a logged run's `epoch`).
pub(crate) fn caption_with(
    run: &Run,
    k: usize,
    every: usize,
    diverged_at: Option<usize>,
    axis: &StepAxis<'_>,
    values: &dyn Fn(usize) -> Option<String>,
) -> String {
    let steps = run.snapshots.len() - 1;
    let snap = &run.snapshots[k];
    let step = snap.step;
    let (name, at, last) = (axis.name, axis.label(run, k), axis.label(run, steps));
    let text = match diverged_at {
        Some(d) if step >= d => format!("{name} {at}/{last}   diverged at {name} {}", axis.label_of_step(run, d)),
        _ => {
            let held = if k == steps { k } else { k - k % every.max(1) };
            let shown = &run.snapshots[held];
            let numbers = values(held).unwrap_or_else(|| format!("loss {}", short_number(shown.loss)));
            if held == k {
                format!("{name} {at}/{last}   {numbers}")
            } else {
                format!("{name} {at}/{last}   {numbers} ({name} {})", axis.label(run, held))
            }
        }
    };
    if k == steps && matches!(run.verdict(), Verdict::Unstable { .. }) {
        format!("{text}   unstable")
    } else {
        text
    }
}

/// What frame `k` of `run` draws: its line, the trail and batch the scene asks for, its caption.
#[must_use]
pub fn overlay(run: &Run, k: usize, settings: &SceneSettings) -> Overlay {
    overlay_with(run, k, settings, run.diverged_at(), caption_every(settings), &StepAxis::STEPS, &|_| None)
}

/// [`overlay`] with the run's divergence step and the loss cadence computed once by the
/// caller, what the steps count and the numbers the scene's panels show for a frame (see
/// [`caption_with`]).
pub(crate) fn overlay_with(
    run: &Run,
    k: usize,
    settings: &SceneSettings,
    diverged_at: Option<usize>,
    every: usize,
    axis: &StepAxis<'_>,
    values: &dyn Fn(usize) -> Option<String>,
) -> Overlay {
    let snap = &run.snapshots[k];
    Overlay {
        step: snap.step,
        line: (snap.slope, snap.intercept),
        trail: run.snapshots[k.saturating_sub(settings.trail)..k].iter().map(|s| (s.slope, s.intercept)).collect(),
        batch: if settings.show_batch { snap.batch.clone().unwrap_or_default() } else { vec![] },
        caption: (settings.caption && settings.readout).then(|| caption_with(run, k, every, diverged_at, axis, values)),
    }
}

/// Where an animation's caption sits: an anchor in canvas pixels and how the text hangs from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaptionSpot {
    /// The anchor point.
    pub at: (f64, f64),
    /// Horizontal anchoring.
    pub align: Align,
    /// Vertical anchoring.
    pub valign: Valign,
    /// Its size, pixels per em: the scene's text size, or less where the widest caption would
    /// not fit across the plot otherwise (a logged run's many metrics).
    pub px: f64,
}

pub use super::theme::CAPTION_SHADES;

impl CaptionSpot {
    /// `text` placed at this spot in the spot's size, with [`CAPTION_SHADES`].
    #[must_use]
    pub fn place(&self, _scene: &Scene, text: &str) -> PlacedText {
        let mut placed = place(text, self.px, self.at, self.align, self.valign, true);
        placed.mask = placed.mask.quantized(CAPTION_SHADES);
        placed
    }
}

/// A box in canvas pixels: (left, top, right, bottom).
type Bounds = (f64, f64, f64, f64);

/// What a caption must never cover in any frame of a run: the scatter's markers (as large as
/// any frame draws them), every frame's fitted line (earlier frames' lines are the trail's),
/// and the marks that say where a line went while it is outside the box.
struct Obstacles {
    markers: Vec<Bounds>,
    /// Each frame's line, clipped to the box, in canvas pixels.
    lines: Vec<((f64, f64), (f64, f64))>,
    /// How far a line's pixels reach from its middle.
    reach: f64,
    marks: Vec<Bounds>,
}

impl Obstacles {
    fn of(scene: &Scene, run: &Run) -> Obstacles {
        let mut marks: Vec<Bounds> = vec![];
        let mut lines = vec![];
        for s in &run.snapshots {
            let line = (s.slope, s.intercept);
            lines.extend(scene.line_ends(line));
            if let Some(mark) = scene.off_plot(line) {
                if !marks.contains(&mark.bounds) {
                    marks.push(mark.bounds);
                }
            }
        }
        let reach = scene.metrics().line_width / 2.0 + 1.0;
        Obstacles { markers: scene.marker_boxes(), lines, reach, marks }
    }

    /// How many markers, frames' lines and marks the box `b` covers.
    fn covered(&self, b: Bounds) -> usize {
        let r = self.reach;
        let (xr, yr) = ((b.0 - r, b.2 + r), (b.1 - r, b.3 + r));
        let lines = self.lines.iter().filter(|(p, q)| clip_segment(*p, *q, xr, yr).is_some()).count();
        let boxes = self.markers.iter().chain(&self.marks).filter(|mk| overlaps(b, **mk, 0.0)).count();
        lines + boxes
    }
}

/// The box a caption placed at `spot` fills: its line box grown by the halo, out to whole
/// pixels, as [`Scene::draw_text`] fills it.
fn filled_box(text: &str, spot: &CaptionSpot, halo: f64) -> Bounds {
    let (l, t, r, b) = place(text, spot.px, spot.at, spot.align, spot.valign, true).bounds;
    ((l - halo).floor(), (t - halo).floor(), (r + halo).ceil(), (b + halo).ceil())
}

/// The spots a caption may take, in order of preference: the plot's four corners and the
/// middle of its left and right sides, a little inside the box; then outside it: under the x
/// tick labels at the plot's right edge, and on the title's row at the plot's right and left
/// edges (matplotlib's `set_title(loc="right")`), in the caption's size and, where that does
/// not fit, smaller.
fn spots(scene: &Scene, px: f64) -> Vec<CaptionSpot> {
    let m = scene.metrics();
    let inner = scene.line_panel().inner;
    let (x0, y0, x1, y1) = (f64::from(inner.x0), f64::from(inner.y0), f64::from(inner.x1), f64::from(inner.y1));
    let d = m.pad + f64::from(m.halo);
    let mid = (y0 + y1) / 2.0;
    let mut spots = vec![
        CaptionSpot { at: (x0 + d, y0 + d), align: Align::Left, valign: Valign::Top, px },
        CaptionSpot { at: (x1 - d, y0 + d), align: Align::Right, valign: Valign::Top, px },
        CaptionSpot { at: (x0 + d, y1 - d), align: Align::Left, valign: Valign::Bottom, px },
        CaptionSpot { at: (x1 - d, y1 - d), align: Align::Right, valign: Valign::Bottom, px },
        CaptionSpot { at: (x0 + d, mid), align: Align::Left, valign: Valign::Center, px },
        CaptionSpot { at: (x1 - d, mid), align: Align::Right, valign: Valign::Center, px },
    ];
    // On the title's baseline (the caption's line box sits on it as the title's does).
    let row = super::axes::title_anchor(scene.line_panel(), m).1;
    // Under the x tick labels: the lowest text below the plot (of the line panel's width).
    let under = scene
        .texts()
        .iter()
        .map(|t| t.bounds)
        .filter(|b| b.1 >= y1 && b.0 < x1 && b.2 > x0)
        .fold(y1, |low, b| low.max(b.3))
        + f64::from(m.halo)
        + 1.5;
    for size in [px, 0.8 * px, 0.65 * px] {
        spots.push(CaptionSpot { at: (x1, under), align: Align::Right, valign: Valign::Top, px: size });
        spots.push(CaptionSpot { at: (x1, row), align: Align::Right, valign: Valign::Baseline, px: size });
        spots.push(CaptionSpot { at: (x0, row), align: Align::Left, valign: Valign::Baseline, px: size });
    }
    // A logged run's curves in several panels: the title row above the others is free (only
    // the first holds a title), and as wide as they are, so a caption as wide as a panel's
    // plot (many metrics) sits there, clear of every curve, rather than over the first's.
    let beside = scene.curve_charts_beside();
    if let (Some(next), Some(last)) = (beside.first(), beside.last()) {
        let (left, right) = (f64::from(next.inner.x0), f64::from(last.inner.x1));
        spots.push(CaptionSpot { at: (right, row), align: Align::Right, valign: Valign::Baseline, px });
        spots.push(CaptionSpot { at: (left, row), align: Align::Left, valign: Valign::Baseline, px });
    }
    spots
}

/// Chooses where `run`'s captions go (`captions`, one a frame), once for the animation, so
/// that no caption covers a pixel of any frame's line, a data marker or the mark of a line
/// that left the box: of the spots of `spots` whose caption box (with its halo) keeps clear
/// of all of them in every frame, and outside the box clear of the title, the tick labels and
/// the frame's edge, those in the largest size, and of them the one that adds the fewest
/// pixels to the frames' changed rectangles wins, each frame's rectangle taken as the box of its line and the previous one. Where no
/// spot is clear, the one covering the fewest. The captions are in the scene's text size,
/// smaller where the widest would not fit across the plot (see [`CaptionSpot::px`]).
#[must_use]
pub fn caption_spot(scene: &Scene, run: &Run, captions: &[String]) -> CaptionSpot {
    choose_spot(scene, run, captions).0
}

/// A caption's first field, its step (`epoch 7/7` of `epoch 7/7   loss 0.543   val_loss
/// 0.693`): the fields are three spaces apart, as [`caption_with`] writes them.
#[must_use]
pub fn step_only(caption: &str) -> &str {
    caption.split("   ").next().unwrap_or(caption)
}

/// Where a logged run's captions go (see [`caption_spot`]), and whether they are shortened to
/// their step ([`step_only`]): a panel of curves too narrow for every number (its caption
/// nearly as wide as the plot, no spot clear of the curves) shows the step alone, where that
/// is clear; the legend names the series and the curves show their values. A fitted line's
/// captions are never shortened.
#[must_use]
pub fn curves_caption_spot(scene: &Scene, run: &Run, captions: &[String]) -> (CaptionSpot, bool) {
    let (spot, clear) = choose_spot(scene, run, captions);
    if clear || !scene.captions_curves() {
        return (spot, false);
    }
    let short: Vec<String> = captions.iter().map(|c| step_only(c).to_string()).collect();
    match choose_spot(scene, run, &short) {
        (spot, true) => (spot, true),
        _ => (spot, false),
    }
}

/// [`caption_spot`], and whether the spot is clear of every obstacle.
fn choose_spot(scene: &Scene, run: &Run, captions: &[String]) -> (CaptionSpot, bool) {
    let m = scene.metrics();
    let inner = scene.line_panel().inner;
    let halo = f64::from(m.halo);
    // The widest caption across the plot, inside its margins: down to 60 % of the text size
    // (below that it is no longer read, and overflows instead).
    let widest = captions.iter().map(|c| layout(c, m.font).width).fold(0.0, f64::max);
    let room = f64::from(inner.width()) - 2.0 * (m.pad + halo);
    let px = if widest > room { (m.font * room / widest).max(0.6 * m.font) } else { m.font };
    // The widest caption stands for them all: its box, as `place` lays it at a spot.
    let widest_text =
        captions.iter().max_by(|a, b| layout(a, px).width.total_cmp(&layout(b, px).width)).map_or("", String::as_str);
    let obstacles = Obstacles::of(scene, run);
    let title = scene.settings().label.clone().unwrap_or_else(|| run_label(run));
    let mut texts: Vec<Bounds> = scene.texts().iter().map(|t| t.bounds).collect();
    texts.push(scene.place_title(&title).bounds);
    let frame = scene.background().bounds();
    let (x0, y0, x1, y1) = (f64::from(inner.x0), f64::from(inner.y0), f64::from(inner.x1), f64::from(inner.y1));
    let fits = |b: Bounds| {
        let inside = b.0 >= x0 && b.1 >= y0 && b.2 <= x1 && b.3 <= y1;
        let on_page = b.0 >= 0.0
            && b.1 >= 0.0
            && b.2 <= f64::from(frame.x1)
            && b.3 <= f64::from(frame.y1)
            && (b.3 <= y0 || b.1 >= y1);
        inside || (on_page && !texts.iter().any(|t| overlaps(b, *t, 1.0)))
    };
    let candidates: Vec<(CaptionSpot, Bounds)> = spots(scene, px)
        .into_iter()
        .map(|s| (s, filled_box(widest_text, &s, halo)))
        .filter(|(_, b)| fits(*b))
        .collect();
    let cost = changed_area_cost(scene, run, m.line_width + 1.0);
    let clear: Vec<&(CaptionSpot, Bounds)> = candidates.iter().filter(|(_, b)| obstacles.covered(*b) == 0).collect();
    // The largest size that has a clear spot, and there the cheapest spot.
    let largest = clear.iter().map(|(s, _)| s.px).fold(0.0, f64::max);
    let best = clear.iter().filter(|(s, _)| s.px >= largest).min_by(|a, b| cost(a.1).total_cmp(&cost(b.1)));
    if let Some((spot, _)) = best {
        return (*spot, true);
    }
    if let Some((spot, _)) = candidates.iter().min_by_key(|(_, b)| obstacles.covered(*b)) {
        return (*spot, false);
    }
    // Wider than the plot even at its least size: the spot inside covering the fewest.
    let inside = spots(scene, px).into_iter().take(6);
    let spot =
        inside.min_by_key(|s| obstacles.covered(filled_box(widest_text, s, halo))).unwrap_or(spots(scene, px)[0]);
    (spot, false)
}

/// The pixels a caption box adds to the frames' changed rectangles over the run, each
/// frame's rectangle taken as the box of its line and the previous frame's (`lw` around).
fn changed_area_cost(scene: &Scene, run: &Run, lw: f64) -> impl Fn(Bounds) -> f64 {
    let ends: Vec<Option<Bounds>> = run
        .snapshots
        .iter()
        .map(|s| {
            scene
                .line_ends((s.slope, s.intercept))
                .map(|(a, b)| (a.0.min(b.0) - lw, a.1.min(b.1) - lw, a.0.max(b.0) + lw, a.1.max(b.1) + lw))
        })
        .collect();
    let union = |a: Option<Bounds>, b: Option<Bounds>| match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3))),
        (a, None) => a,
        (None, b) => b,
    };
    let area = |r: Option<Bounds>| r.map_or(0.0, |r| (r.2 - r.0).max(0.0) * (r.3 - r.1).max(0.0));
    move |b: Bounds| {
        ends.windows(2)
            .map(|w| {
                let line = union(w[0], w[1]);
                area(union(line, Some(b))) - area(line)
            })
            .sum::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::{train, BatchSize, DataSpec, Dataset, TrainSettings};

    #[test]
    fn every_frame_names_its_own_step_and_loss() {
        let data = Dataset::synthetic(&DataSpec::default());
        let run = train(&data, &TrainSettings { steps: 12, ..Default::default() });
        for k in 0..=12 {
            let s = &run.snapshots[k];
            assert_eq!(caption(&run, k, 1, None), format!("step {k}/12   loss {}", short_number(s.loss)));
        }
        // A held loss says whose it is; the step is always the frame's own.
        assert_eq!(
            caption(&run, 7, 5, None),
            format!("step 7/12   loss {} (step 5)", short_number(run.snapshots[5].loss))
        );
        assert_eq!(caption(&run, 10, 5, None), format!("step 10/12   loss {}", short_number(run.snapshots[10].loss)));
        assert_eq!(caption(&run, 12, 5, None), format!("step 12/12   loss {}", short_number(run.snapshots[12].loss)));
        // From the step it diverged at on, the caption says so.
        assert_eq!(caption(&run, 9, 1, Some(8)), "step 9/12   diverged at step 8");
    }

    #[test]
    fn the_caption_keeps_off_the_data_and_every_line() {
        let data = Dataset::synthetic(&DataSpec::default());
        for (lr, bs) in [(0.1, BatchSize::Full), (0.01, BatchSize::Size(1)), (1.0, BatchSize::Size(4))] {
            let run = train(&data, &TrainSettings { lr, batch_size: bs, ..Default::default() });
            let scene = Scene::new(&data, &run.settings, &SceneSettings::default()).unwrap();
            let captions: Vec<String> =
                (0..run.snapshots.len()).map(|k| caption(&run, k, 1, run.diverged_at())).collect();
            let spot = caption_spot(&scene, &run, &captions);
            let markers = scene.marker_boxes();
            for c in &captions {
                let placed = spot.place(&scene, c);
                let hit = markers.iter().find(|mk| overlaps(placed.bounds, **mk, 0.0));
                assert!(hit.is_none(), "lr {lr}: {c:?} at {:?} covers a marker at {hit:?}", placed.bounds);
                // Inside the plot, or (where no spot there is clear of every frame's line)
                // outside it, on the frame.
                let inner = scene.line_panel().inner;
                let (l, t, r, b) = placed.bounds;
                let (x0, y0, x1, y1) =
                    (f64::from(inner.x0), f64::from(inner.y0), f64::from(inner.x1), f64::from(inner.y1));
                let inside = l >= x0 && r <= x1 && t >= y0 && b <= y1;
                let outside = (b <= y0 || t >= y1) && l >= 0.0 && t >= 0.0 && r <= 640.0 && b <= 480.0;
                assert!(inside || outside, "lr {lr}: {c:?} at {:?}", placed.bounds);
                for s in &run.snapshots {
                    if let Some((p, q)) = scene.line_ends((s.slope, s.intercept)) {
                        let hit = clip_segment(p, q, (l - 1.0, r + 1.0), (t - 1.0, b + 1.0));
                        assert!(hit.is_none(), "lr {lr}: {c:?} covers the line of step {}", s.step);
                    }
                }
            }
        }
    }
}
