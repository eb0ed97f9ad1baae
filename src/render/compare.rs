//! Several runs over the same data in one animation whose panels step together: the post's
//! side-by-side comparisons (learning rates at one batch size, batch sizes at one learning
//! rate, the whole grid) as one GIF, so no panel starts before another.
//!
//! Every panel is the same line panel (one small [`Scene`], its scatter drawn once and its
//! palette shared) titled with its run; each frame draws every run's line at the same step,
//! tile by tile, with one step counter above them all. Each panel carries a small caption of
//! its own loss, placed as a single animation's caption is (never over its line or the
//! data); a run that diverges says so there from that step on, and the last frame says how
//! each run ended: settled, unstable or diverged.

use super::caption::{caption_spot, CaptionSpot};
use super::frames::Frames;
use super::scene::{Scene, SceneSettings};
use super::text::{place, Align, PlacedText, Valign};
use crate::error::Result;
use crate::format::short_number;
use crate::raster::{Canvas, Rect};
use crate::run::{Run, Verdict};

/// How a comparison is laid out: panels of `tile` pixels, `columns` to a row, under a header
/// row `header` pixels high that holds the step counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tiling {
    /// Panels to a row.
    pub columns: u32,
    /// One panel's width and height.
    pub tile: (u32, u32),
    /// The header's height.
    pub header: u32,
}

impl Tiling {
    /// Panels to fill a column `width` pixels wide (a blog's text column: 740 px), `columns`
    /// to a row, 4:3 but at least 200 px high.
    #[must_use]
    pub fn for_column(width: u32, columns: u32) -> Tiling {
        let columns = columns.max(1);
        let w = width / columns;
        Tiling { columns, tile: (w, (w * 3 / 4).max(super::MIN_SIZE)), header: 26 }
    }

    /// The frame size for `n` panels.
    #[must_use]
    pub fn size(&self, n: usize) -> (u32, u32) {
        let rows = (n as u32).div_ceil(self.columns).max(1);
        (self.tile.0 * self.columns.min(n as u32).max(1), self.header + rows * self.tile.1)
    }

    /// The look of one panel, from the comparison's `base`: the panel's size, the run as its
    /// title, and text large enough to read in a panel this small (tick labels at least 9
    /// px high: 14 pt where a whole frame has 10, the title 15 pt).
    #[must_use]
    pub fn tile_settings(&self, base: &SceneSettings) -> SceneSettings {
        let theme = super::Theme { font_pt: 14.0, title_pt: 15.0, ..base.theme.clone() };
        SceneSettings {
            width: self.tile.0,
            height: self.tile.1,
            caption: true,
            readout: false,
            view: super::View::Line,
            theme,
            ..base.clone()
        }
    }

    /// The top-left corner of panel `i`.
    #[must_use]
    pub fn origin(&self, i: usize) -> (u32, u32) {
        let i = i as u32;
        ((i % self.columns) * self.tile.0, self.header + (i / self.columns) * self.tile.1)
    }
}

/// The small caption of a comparison's panel showing `run` at frame `k` of `frames`: its
/// loss ("loss 0.412"), from the step it diverged at on "diverged at step 35", and on the
/// last frame how it ended ("loss 0.387   settled", "loss 95.0   unstable").
#[must_use]
pub fn panel_caption(run: &Run, k: usize, frames: usize) -> String {
    let snap = &run.snapshots[k.min(run.snapshots.len() - 1)];
    if let Some(d) = run.diverged_at().filter(|&d| snap.step >= d) {
        return format!("diverged at step {d}");
    }
    let loss = format!("loss {}", short_number(snap.loss));
    if k + 1 < frames {
        return loss;
    }
    match run.verdict() {
        Verdict::Settled => format!("{loss}   settled"),
        Verdict::Unstable { .. } => format!("{loss}   unstable"),
        Verdict::Diverged { step } => format!("diverged at step {step}"),
    }
}

/// The small caption of a side-by-side replay's panel showing `run` at frame `k` of `frames`,
/// whose step (across every run) is `step`: as [`panel_caption`], and where the run logged
/// nothing at that step (it stopped logging, or logs more coarsely than another run), the loss
/// it last logged names its step: "loss 0.412 (step 40)".
#[must_use]
pub fn held_caption(run: &Run, k: usize, frames: usize, step: usize) -> String {
    let caption = panel_caption(run, k, frames);
    let snap = &run.snapshots[k.min(run.snapshots.len() - 1)];
    let diverged = run.diverged_at().is_some_and(|d| snap.step >= d);
    if snap.step == step || diverged {
        return caption;
    }
    let loss = format!("loss {}", short_number(snap.loss));
    match caption.strip_prefix(&loss) {
        Some(rest) => format!("{loss} (step {}){rest}", snap.step),
        None => caption,
    }
}

/// The frames of a comparison: `runs` (same data, same start, same length) over `tile`, a
/// scene of one line panel at the tiling's panel size.
#[derive(Debug)]
pub struct CompareFrames<'a> {
    /// Each panel's scene (the same one, or one a run: their titles differ).
    tiles: Vec<&'a Scene>,
    tiling: Tiling,
    frames: Vec<Frames<'a>>,
    canvas: Canvas,
    /// The header row, redrawn every frame.
    previous: Rect,
    /// Where each panel's caption goes, inside its panel.
    spots: Vec<CaptionSpot>,
    /// Each panel's caption, a frame each (none: the panel has no caption).
    captions: Vec<Vec<String>>,
    /// The step each frame shows, as the header's counter says it.
    counter: Vec<usize>,
    /// What each panel's caption covered in the previous frame: restored from its run's
    /// frame before the next caption is drawn.
    captions_drawn: Vec<Rect>,
    /// Where the frame last drawn may differ from the one before (see
    /// [`CompareFrames::next_frame`]).
    regions: Vec<Rect>,
    index: usize,
    steps: usize,
}

impl<'a> CompareFrames<'a> {
    /// The frames of `runs`, each drawn over `tile` (whose settings say the panel's size and
    /// look; its caption's title names each run). The runs must have as many snapshots each.
    #[must_use]
    pub fn new(tile: &'a Scene, tiling: Tiling, runs: &'a [Run]) -> CompareFrames<'a> {
        let steps = runs.iter().map(|r| r.snapshots.len()).min().unwrap_or(0);
        let captions = runs.iter().map(|run| (0..steps).map(|k| panel_caption(run, k, steps)).collect()).collect();
        let counter = runs.first().map_or_else(Vec::new, |r| r.snapshots[..steps].iter().map(|s| s.step).collect());
        CompareFrames::of_panels(vec![tile; runs.len()], tiling, runs, captions, counter)
    }

    /// The frames of `runs`, run `i` drawn over `tiles[i]` (all of one size and palette; each
    /// its own title) with `captions[i]` (a frame each; empty: no caption), the header
    /// counting the steps of `counter` (a frame each). Frames stop at the shortest of them.
    #[must_use]
    pub fn of_panels(
        tiles: Vec<&'a Scene>,
        tiling: Tiling,
        runs: &'a [Run],
        captions: Vec<Vec<String>>,
        counter: Vec<usize>,
    ) -> CompareFrames<'a> {
        let (w, h) = tiling.size(runs.len());
        let page = tiles.first().map_or(0, |t| t.palette().index_of(t.settings().theme.background).unwrap_or(0));
        let steps = runs.iter().map(|r| r.snapshots.len()).chain([counter.len()]).min().unwrap_or(0);
        let spots = tiles
            .iter()
            .zip(runs)
            .zip(&captions)
            .map(|((tile, run), captions)| caption_spot(tile, run, captions))
            .collect();
        CompareFrames {
            spots,
            captions,
            counter,
            captions_drawn: vec![],
            regions: vec![],
            frames: tiles.iter().zip(runs).map(|(tile, r)| tile.frames(r)).collect(),
            tiles,
            tiling,
            canvas: Canvas::filled(w, h, page),
            previous: Rect::EMPTY,
            index: 0,
            steps,
        }
    }

    /// How many frames there are.
    #[must_use]
    pub fn frame_count(&self) -> usize {
        self.steps
    }

    /// Whether every frame has been drawn.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.index >= self.steps
    }

    /// The header's step counter and each panel's note for frame `k`, placed (the panels
    /// without a caption left out).
    #[must_use]
    pub fn texts(&self, k: usize) -> Vec<PlacedText> {
        let (header, notes) = self.placed(k);
        std::iter::once(header).chain(notes.into_iter().flatten()).collect()
    }

    /// [`CompareFrames::texts`]: the counter, and each panel's note (`None`: it has none).
    fn placed(&self, k: usize) -> (PlacedText, Vec<Option<PlacedText>>) {
        let Some(tile) = self.tiles.first() else {
            return (place("", 1.0, (0.0, 0.0), Align::Left, Valign::Center, true), vec![]);
        };
        let m = tile.metrics();
        let last = self.steps.saturating_sub(1);
        let total = self.counter.get(last).copied().unwrap_or(0);
        let header = place(
            &format!("step {}/{total}", self.counter.get(k).copied().unwrap_or(k)),
            m.title,
            (6.0, f64::from(self.tiling.header) / 2.0),
            Align::Left,
            Valign::Center,
            true,
        );
        let mut notes = vec![];
        for (i, ((tile, spot), captions)) in self.tiles.iter().zip(&self.spots).zip(&self.captions).enumerate() {
            let (ox, oy) = self.tiling.origin(i);
            let at = CaptionSpot { at: (spot.at.0 + f64::from(ox), spot.at.1 + f64::from(oy)), ..*spot };
            notes.push(captions.get(k).map(|text| at.place(tile, text)));
        }
        (header, notes)
    }

    /// The next frame (the whole comparison) and where it may differ from the one before, as
    /// several rectangles (each panel's own, the header, the captions; they may overlap): the
    /// union of a few panels' changes is most of the frame, those rectangles two fifths of it.
    /// `None` once every frame is drawn.
    pub fn next_frame(&mut self) -> Result<Option<(&Canvas, &[Rect])>> {
        if self.is_done() {
            return Ok(None);
        }
        let k = self.index;
        self.regions.clear();
        self.regions.push(self.previous);
        for (i, frames) in self.frames.iter_mut().enumerate() {
            let Some(frame) = frames.next_frame()? else { continue };
            let (ox, oy) = self.tiling.origin(i);
            // What the panel's run changed, and where the previous frame's caption lay over it.
            let tile = frame.canvas.bounds();
            let before = self.captions_drawn.get(i).copied().unwrap_or(Rect::EMPTY);
            let under = if before.is_empty() {
                before
            } else {
                Rect {
                    x0: before.x0.saturating_sub(ox).min(tile.x1),
                    y0: before.y0.saturating_sub(oy).min(tile.y1),
                    x1: before.x1.saturating_sub(ox).min(tile.x1),
                    y1: before.y1.saturating_sub(oy).min(tile.y1),
                }
            };
            let first = [tile];
            let rects = if k == 0 { &first[..] } else { frame.regions };
            // Each rectangle on its own: outside them the panel shows what it showed.
            for &rect in rects.iter().chain([&under]).filter(|r| !r.is_empty()) {
                self.canvas.paste(frame.canvas, rect, (ox, oy));
                self.regions.push(Rect { x0: rect.x0 + ox, y0: rect.y0 + oy, x1: rect.x1 + ox, y1: rect.y1 + oy });
            }
        }
        // The header row is the page but for the counter: clear it, then draw this frame's texts.
        let header = Rect { x0: 0, y0: 0, x1: self.canvas.width, y1: self.tiling.header };
        let first = self.tiles[0];
        let page = first.palette().index_of(first.settings().theme.background).unwrap_or(0);
        self.canvas.fill(header, page);
        let (counter, notes) = self.placed(k);
        self.regions.push(header);
        self.regions.push(first.draw_text(&mut self.canvas, &counter, true));
        self.captions_drawn.clear();
        for (tile, note) in self.tiles.iter().zip(&notes) {
            let rect = note.as_ref().map_or(Rect::EMPTY, |text| tile.draw_text(&mut self.canvas, text, true));
            self.captions_drawn.push(rect);
            self.regions.push(rect);
        }
        self.previous = header;
        self.index += 1;
        Ok(Some((&self.canvas, &self.regions)))
    }
}
