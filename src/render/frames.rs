//! The frames of one animation, drawn one at a time into a single canvas, so memory stays flat
//! however many steps a run has and the caller (the job's loop) only hands each frame to an
//! encoder. Frames are lent, not returned: the next frame is drawn over the same pixels,
//! restoring from the base only the rectangles the previous frame's overlay and caption
//! changed (each its own: the box around a line and a caption far from it holds many rows
//! that neither touched).

use super::caption::{
    caption_every, caption_with, curves_caption_spot, overlay_with, run_label, step_only, CaptionSpot,
};
use super::scene::Scene;
use super::text::PlacedText;
use crate::error::Result;
use crate::raster::{Canvas, Rect};
use crate::run::Run;

/// One drawn frame, lent by [`Frames::next_frame`] until the next is drawn.
#[derive(Debug)]
pub struct Frame<'a> {
    /// The whole frame, as palette indices of the scene's palette.
    pub canvas: &'a Canvas,
    /// What its step added to the frames' base for good (the loss curve's newest segment).
    pub progress: Rect,
    /// What its overlay drew over the base, then what its caption drew (empty without one). A
    /// frame differs from the one before only within the previous frame's two, its own
    /// `progress` and its own two.
    pub drawn: [Rect; 2],
    /// Where it may differ from the frame before (the first frame: from the scene's
    /// background), as rectangles (some may be empty): where the previous frame's overlay and
    /// caption lay, the progress of its step (and of frames passed over), its own overlay and
    /// caption. Outside them, the two are equal. After [`Frames::skip_frame`], the frame before
    /// is the one these frames last drew. For an encoder that compares only inside them.
    pub regions: &'a [Rect],
    /// The step it shows (0: the start guess).
    pub step: usize,
    /// Whether it is the run's last frame (which animations hold longer).
    pub last: bool,
    /// Its caption, where it was drawn.
    pub caption: Option<&'a PlacedText>,
    /// The line panel's note where the fitted line is outside the box ("line above").
    pub note: Option<&'a PlacedText>,
}

/// The frames of `run` over a [`Scene`], one per snapshot, in order; see [`Scene::frames`].
/// A clone goes on from the same frame (several threads can draw every other frame each).
#[derive(Debug, Clone)]
pub struct Frames<'a> {
    scene: &'a Scene,
    run: &'a Run,
    /// The frame being drawn.
    canvas: Canvas,
    /// The background plus the title and what earlier steps added for good (loss curve,
    /// parameter path).
    base: Canvas,
    /// What the previous frame's overlay and caption changed, and the progress of the frames
    /// passed over since: restored from the base before the next.
    previous: [Rect; 3],
    /// The regions of the frame last drawn (see [`Frame::regions`]).
    regions: [Rect; 6],
    /// The index of the next frame.
    index: usize,
    diverged_at: Option<usize>,
    /// Frames the caption's loss is held for.
    every: usize,
    /// Where the captions go.
    spot: Option<CaptionSpot>,
    /// Whether the captions show their step alone (see [`curves_caption_spot`]).
    short: bool,
    /// The title, drawn into the base.
    title: Option<PlacedText>,
    /// The last frame's caption.
    caption: Option<PlacedText>,
}

// Defined here rather than in scene.rs: the frames need the caption, which needs the scene,
// and the files of render/ form no cycle.
impl Scene {
    /// The frames of `run`: the run's name (or [`SceneSettings::label`](super::SceneSettings))
    /// as the title, each frame's step and loss (or the numbers its panels show, see
    /// [`Scene::caption_values`]) placed once for the whole animation (see
    /// [`super::caption::caption_spot`]).
    #[must_use]
    pub fn frames<'a>(&'a self, run: &'a Run) -> Frames<'a> {
        let settings = self.settings();
        let (diverged_at, every) = (run.diverged_at(), caption_every(settings));
        let mut base = self.background().clone();
        let (mut spot, mut title, mut short) = (None, None, false);
        if settings.caption {
            if settings.readout {
                let values = |i: usize| self.caption_values(i);
                let captions: Vec<String> = (0..run.snapshots.len())
                    .map(|k| caption_with(run, k, every, diverged_at, &self.step_axis(), &values))
                    .collect();
                let (chosen, shortened) = curves_caption_spot(self, run, &captions);
                (spot, short) = (Some(chosen), shortened);
            }
            let label = settings.label.clone().unwrap_or_else(|| run_label(run));
            let placed = self.place_title(&label);
            self.draw_text(&mut base, &placed, false);
            title = Some(placed);
        }
        Frames {
            scene: self,
            run,
            canvas: base.clone(),
            base,
            previous: [Rect::EMPTY; 3],
            regions: [Rect::EMPTY; 6],
            index: 0,
            diverged_at,
            every,
            spot,
            short,
            title,
            caption: None,
        }
    }
}

impl Frames<'_> {
    /// Whether every frame has been drawn.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.index >= self.run.snapshots.len()
    }

    /// The title above the line panel, if the frames have one.
    #[must_use]
    pub fn title(&self) -> Option<&PlacedText> {
        self.title.as_ref()
    }

    /// Passes over the next frame without drawing it: only its step's progress goes into the
    /// base, so the frames after it are drawn as they would have been.
    pub fn skip_frame(&mut self) -> Result<()> {
        if !self.is_done() {
            let progress = self.scene.draw_progress(&mut self.base, self.run, self.index)?;
            self.previous[2] = self.previous[2].union(progress);
            self.index += 1;
        }
        Ok(())
    }

    /// Takes the frame just drawn, whole, without a copy (to hand it to another thread); give
    /// it back with [`Frames::put_back`] before the next frame, which is otherwise drawn into a
    /// copy of the base (the same frame, drawn in more time).
    pub fn take_canvas(&mut self) -> Canvas {
        std::mem::replace(&mut self.canvas, Canvas { width: 0, height: 0, pixels: Vec::new() })
    }

    /// Gives back the canvas [`Frames::take_canvas`] took, unchanged, so the next frame is drawn
    /// over it, restoring only what changed.
    pub fn put_back(&mut self, canvas: Canvas) {
        self.canvas = canvas;
    }

    /// Draws the next frame: its step's progress into the base, then, over the base restored
    /// where the previous frame drew, its overlay and caption. `None` once every frame is drawn.
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>> {
        if self.is_done() {
            return Ok(None);
        }
        let k = self.index;
        let progress = self.scene.draw_progress(&mut self.base, self.run, k)?;
        let [overlay_before, caption_before, passed] = self.previous;
        let restored = [overlay_before, caption_before, passed.union(progress)];
        if self.canvas.pixels.len() == self.base.pixels.len() {
            // Outside these the canvas is the base already; the box around them needs no copy.
            for rect in restored {
                self.canvas.restore(&self.base, rect);
            }
        } else {
            // The canvas was taken (see `take_canvas`): this frame starts from the base.
            self.canvas.clone_from(&self.base);
        }
        let values = |i: usize| self.scene.caption_values(i);
        let axis = self.scene.step_axis();
        let overlay = overlay_with(self.run, k, self.scene.settings(), self.diverged_at, self.every, &axis, &values);
        let lines = self.scene.draw_overlay(&mut self.canvas, &overlay)?;
        let mut caption = Rect::EMPTY;
        self.caption = match (&overlay.caption, self.spot) {
            (Some(text), Some(spot)) => {
                let placed = spot.place(self.scene, if self.short { step_only(text) } else { text });
                caption = self.scene.draw_text(&mut self.canvas, &placed, true);
                Some(placed)
            }
            _ => None,
        };
        self.previous = [lines, caption, Rect::EMPTY];
        self.regions = [overlay_before, caption_before, passed, progress, lines, caption];
        self.index += 1;
        Ok(Some(Frame {
            canvas: &self.canvas,
            progress,
            drawn: [lines, caption],
            regions: &self.regions,
            step: self.run.snapshots[k].step,
            last: self.is_done(),
            caption: self.caption.as_ref(),
            note: self.scene.off_plot(overlay.line).map(|mark| &mark.note),
        }))
    }
}
