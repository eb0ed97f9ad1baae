//! Several runs over the same data in one animation whose panels step together: the post's
//! side-by-side comparisons (learning rates at one batch size, batch sizes at one learning
//! rate, the whole grid) as one GIF, so no panel starts before another.
//!
//! Every panel is the same line panel (one small [`Scene`], its scatter drawn once and its
//! palette shared) titled with its run; each frame draws every run's line at the same step,
//! tile by tile, with one step counter above them all. A run that diverges says so in its
//! panel from that step on; one that ends unstable says so on the last frame.

use super::frames::Frames;
use super::scene::Scene;
use super::text::{place, Align, PlacedText, Valign};
use crate::error::Result;
use crate::raster::{Canvas, Rect};
use crate::train::{Run, Verdict};

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

    /// The top-left corner of panel `i`.
    #[must_use]
    pub fn origin(&self, i: usize) -> (u32, u32) {
        let i = i as u32;
        ((i % self.columns) * self.tile.0, self.header + (i / self.columns) * self.tile.1)
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
    /// What the header and the notes changed in the previous frame.
    previous: Rect,
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
        CompareFrames {
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
        let inner = self.tile.line_panel().inner;
        for (i, run) in self.runs.iter().enumerate() {
            let note = match (run.diverged_at(), run.verdict()) {
                (Some(d), _) if step_of(run) >= d => Some(format!("diverged at step {d}")),
                (_, Verdict::Unstable { .. }) if k == last => Some("unstable".to_string()),
                _ => None,
            };
            if let Some(note) = note {
                let (ox, oy) = self.tiling.origin(i);
                let at = (f64::from(ox + inner.x0) + m.pad + 2.0, f64::from(oy + inner.y0) + m.pad + 2.0);
                texts.push(place(&note, m.font, at, Align::Left, Valign::Top, true));
            }
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
            let rect = if k == 0 { frame.canvas.bounds() } else { frame.changed };
            let (ox, oy) = self.tiling.origin(i);
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
        for text in self.texts(k) {
            drawn = drawn.union(self.tile.draw_text(&mut self.canvas, &text, true));
        }
        self.previous = drawn;
        self.index += 1;
        Ok(Some((&self.canvas, changed.union(drawn))))
    }
}
