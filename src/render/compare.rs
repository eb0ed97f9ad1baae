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

/// The frames of a comparison: `runs` (same data, same start, same length) over `tile`, a
/// scene of one line panel at the tiling's panel size.
#[derive(Debug)]
pub struct CompareFrames<'a> {
    tile: &'a Scene,
    tiling: Tiling,
    runs: &'a [Run],
    frames: Vec<Frames<'a>>,
    canvas: Canvas,
    /// The header row, redrawn every frame.
    previous: Rect,
    /// Where each panel's caption goes, inside its panel.
    spots: Vec<CaptionSpot>,
    /// What each panel's caption covered in the previous frame: restored from its run's
    /// frame before the next caption is drawn.
    captions_drawn: Vec<Rect>,
    index: usize,
    steps: usize,
}

impl<'a> CompareFrames<'a> {
    /// The frames of `runs`, each drawn over `tile` (whose settings say the panel's size and
    /// look; its caption's title names each run). The runs must have as many snapshots each.
    #[must_use]
    pub fn new(tile: &'a Scene, tiling: Tiling, runs: &'a [Run]) -> CompareFrames<'a> {
        let (w, h) = tiling.size(runs.len());
        let page = tile.palette().index_of(tile.settings().theme.background).unwrap_or(0);
        let steps = runs.iter().map(|r| r.snapshots.len()).min().unwrap_or(0);
        let spots = runs
            .iter()
            .map(|run| {
                let captions: Vec<String> = (0..steps).map(|k| panel_caption(run, k, steps)).collect();
                caption_spot(tile, run, &captions)
            })
            .collect();
        CompareFrames {
            spots,
            captions_drawn: vec![],
            tile,
            tiling,
            runs,
            frames: runs.iter().map(|r| tile.frames(r)).collect(),
            canvas: Canvas::filled(w, h, page),
            previous: Rect::EMPTY,
            index: 0,
            steps,
        }
    }

    /// Whether every frame has been drawn.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.index >= self.steps
    }

    /// The header's step counter and each panel's note for frame `k`, placed.
    #[must_use]
    pub fn texts(&self, k: usize) -> Vec<PlacedText> {
        let m = self.tile.metrics();
        let last = self.steps.saturating_sub(1);
        let step_of = |r: &Run| r.snapshots[k].step;
        let total = self.runs.first().map_or(0, |r| r.snapshots[last].step);
        let mut texts = vec![place(
            &format!("step {}/{total}", self.runs.first().map_or(k, step_of)),
            m.title,
            (6.0, f64::from(self.tiling.header) / 2.0),
            Align::Left,
            Valign::Center,
            true,
        )];
        for (i, (run, spot)) in self.runs.iter().zip(&self.spots).enumerate() {
            let (ox, oy) = self.tiling.origin(i);
            let at = CaptionSpot { at: (spot.at.0 + f64::from(ox), spot.at.1 + f64::from(oy)), ..*spot };
            texts.push(at.place(self.tile, &panel_caption(run, k, self.steps)));
        }
        texts
    }

    /// The next frame (the whole comparison) and the rectangle where it may differ from the
    /// one before; `None` once every frame is drawn.
    pub fn next_frame(&mut self) -> Result<Option<(&Canvas, Rect)>> {
        if self.is_done() {
            return Ok(None);
        }
        let k = self.index;
        let mut changed = self.previous;
        for (i, frames) in self.frames.iter_mut().enumerate() {
            let Some(frame) = frames.next_frame()? else { continue };
            let (ox, oy) = self.tiling.origin(i);
            // What the panel's run changed, and where the previous frame's captions lay over it.
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
            let rect = if k == 0 { tile } else { frame.changed.union(under) };
            self.canvas.paste(frame.canvas, rect, (ox, oy));
            if !rect.is_empty() {
                changed =
                    changed.union(Rect { x0: rect.x0 + ox, y0: rect.y0 + oy, x1: rect.x1 + ox, y1: rect.y1 + oy });
            }
        }
        // The header row is the page but for the counter: clear it, then draw this frame's texts.
        let header = Rect { x0: 0, y0: 0, x1: self.canvas.width, y1: self.tiling.header };
        let page = self.tile.palette().index_of(self.tile.settings().theme.background).unwrap_or(0);
        self.canvas.fill(header, page);
        let mut drawn = header;
        self.captions_drawn.clear();
        for (i, text) in self.texts(k).iter().enumerate() {
            let rect = self.tile.draw_text(&mut self.canvas, text, true);
            if i > 0 {
                self.captions_drawn.push(rect);
            }
            drawn = drawn.union(rect);
        }
        self.previous = header;
        for rect in &self.captions_drawn {
            changed = changed.union(*rect);
        }
        self.index += 1;
        Ok(Some((&self.canvas, changed.union(drawn))))
    }
}
