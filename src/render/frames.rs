//! The frames of one animation, drawn one at a time into a single canvas, so memory stays flat
//! however many steps a run has and the caller (the job's loop) only hands each frame to an
//! encoder. Frames are lent, not returned: the next frame is drawn over the same pixels,
//! restoring from the base only the rectangle the previous frame's overlay changed.

use super::caption::{caption_every, overlay_with};
use super::scene::Scene;
use crate::error::Result;
use crate::raster::{Canvas, Rect};
use crate::train::Run;

/// One drawn frame, lent by [`Frames::next_frame`] until the next is drawn.
#[derive(Debug)]
pub struct Frame<'a> {
    /// The whole frame, as palette indices of the scene's palette.
    pub canvas: &'a Canvas,
    /// The rectangle where it may differ from the frame before (the first frame: from the
    /// scene's background); outside it, the two are equal.
    pub changed: Rect,
    /// The step it shows (0: the start guess).
    pub step: usize,
    /// Whether it is the run's last frame (which animations hold longer).
    pub last: bool,
}

/// The frames of `run` over a [`Scene`], one per snapshot, in order; see [`Scene::frames`].
#[derive(Debug)]
pub struct Frames<'a> {
    scene: &'a Scene,
    run: &'a Run,
    /// The frame being drawn.
    canvas: Canvas,
    /// The background plus what earlier steps added for good (loss curve, parameter path).
    base: Canvas,
    /// What the previous frame's overlay changed: restored from the base before the next.
    previous: Rect,
    /// The step of the next frame.
    step: usize,
    diverged_at: Option<usize>,
    /// Frames between caption updates.
    every: usize,
}

// Defined here rather than in scene.rs: the frames need the caption, which needs the scene's
// settings, and the files of render/ form no cycle.
impl Scene {
    /// The frames of `run`, whose captions update at the cadence that suits frames shown for
    /// `frame_delay_cs` centiseconds each (see [`super::caption::caption_every`]).
    #[must_use]
    pub fn frames<'a>(&'a self, run: &'a Run, frame_delay_cs: u16) -> Frames<'a> {
        Frames {
            scene: self,
            run,
            canvas: self.background().clone(),
            base: self.background().clone(),
            previous: Rect::EMPTY,
            step: 0,
            diverged_at: run.diverged_at(),
            every: caption_every(self.settings(), frame_delay_cs),
        }
    }
}

impl Frames<'_> {
    /// Whether every frame has been drawn.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.step >= self.run.snapshots.len()
    }

    /// Draws the next frame: step `k`'s progress into the base, then, over the base restored
    /// where the previous frame drew, step `k`'s overlay. `None` once every frame is drawn.
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>> {
        if self.is_done() {
            return Ok(None);
        }
        let k = self.step;
        let changed = self.previous.union(self.scene.draw_progress(&mut self.base, self.run, k)?);
        self.canvas.restore(&self.base, changed);
        let values = |i: usize| self.scene.caption_values(i);
        let overlay = overlay_with(self.run, k, self.scene.settings(), self.diverged_at, self.every, &values);
        let drawn = self.scene.draw_overlay(&mut self.canvas, &overlay)?;
        self.previous = drawn;
        self.step += 1;
        Ok(Some(Frame { canvas: &self.canvas, changed: changed.union(drawn), step: k, last: self.is_done() }))
    }
}
