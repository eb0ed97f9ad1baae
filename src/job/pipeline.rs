//! The frame loop on two threads: one draws the frames, the caller's thread encodes them, so a
//! single long animation (`render --steps 10000`) keeps two cores busy. The bytes are those of
//! the loop on one thread ([`super::frames::write_frames`]): the encoder is handed the same
//! frames, rectangles and delays, in the same order.
//!
//! The drawing thread sends each frame as a patch (the pixels of its changed rectangle; the
//! first frame whole) through a channel of [`AHEAD`] frames, and the encoding thread keeps its
//! own copy of the shown frame, patched in place. Patch buffers come back to be reused, so
//! memory is a few frames whatever the number of steps. When either side fails, the other
//! stops: a drawing error (or Ctrl-C) is sent in order, after the frames drawn before it; an
//! encoding error drops the receiver, so the drawing thread's next send fails and it ends.

use super::progress::Progress;
use crate::encode::{AnimationEncoder, Timing};
use crate::error::{Error, Result};
use crate::raster::{Canvas, Rect};
use crate::render::{Frame, Scene};
use crate::train::Run;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

/// Frames the drawing thread may be ahead of the encoder (besides the one each side holds).
const AHEAD: usize = 4;

/// Whether a job's frames are drawn and encoded on one thread or two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameThreads {
    /// Draw, then encode, frame by frame on the caller's thread: a grid's jobs, which already
    /// share a pool sized to the cores.
    One,
    /// Draw on a second thread while the caller's thread encodes: a job that runs alone.
    Two,
}

impl FrameThreads {
    /// [`FrameThreads::Two`] where the machine has a second core to run it on, else `One`.
    #[must_use]
    pub fn for_a_lone_job() -> FrameThreads {
        match std::thread::available_parallelism() {
            Ok(n) if n.get() >= 2 => FrameThreads::Two,
            _ => FrameThreads::One,
        }
    }
}

/// One drawn frame on its way to the encoder: the pixels of `rect` (row after row), which holds
/// every pixel that differs from the frame before.
struct Patch {
    /// Where `pixels` go: the frame's changed rectangle, or the whole canvas for the first.
    rect: Rect,
    /// The frame's changed rectangle as the drawing reported it (what the encoder is told).
    changed: Rect,
    /// Whether it is the last frame.
    last: bool,
    pixels: Vec<u8>,
}

impl Patch {
    /// Copies `frame`'s pixels inside `rect` into `buffer` (a used patch's, kept for its memory).
    fn of(frame: &Frame, rect: Rect, mut buffer: Vec<u8>) -> Patch {
        buffer.clear();
        let width = frame.canvas.width as usize;
        for y in rect.y0..rect.y1 {
            let row = y as usize * width;
            buffer.extend_from_slice(&frame.canvas.pixels[row + rect.x0 as usize..row + rect.x1 as usize]);
        }
        Patch { rect, changed: frame.changed, last: frame.last, pixels: buffer }
    }

    /// Writes the patch's pixels into `canvas`.
    fn apply(&self, canvas: &mut Canvas) {
        let (width, span) = (canvas.width as usize, self.rect.width() as usize);
        if span == 0 {
            return;
        }
        for (y, row) in (self.rect.y0..self.rect.y1).zip(self.pixels.chunks_exact(span)) {
            let at = y as usize * width + self.rect.x0 as usize;
            canvas.pixels[at..at + span].copy_from_slice(row);
        }
    }
}

/// [`super::frames::write_frames`] with the drawing on a second thread; same result, same bytes.
pub(super) fn write_frames_on_two_threads<W>(
    encoder: &mut dyn AnimationEncoder<W>,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    progress: &dyn Progress,
) -> Result<Canvas> {
    let (to_encoder, drawn) = sync_channel(AHEAD);
    let (to_drawing, spare) = channel();
    std::thread::scope(|threads| {
        threads.spawn(move || draw(scene, run, progress, &to_encoder, &spare));
        // `drawn` moves into `encode` and is dropped when it returns, error or not, so a
        // drawing thread blocked on a full channel wakes up and ends before the scope joins it.
        encode(encoder, scene, timing, progress, drawn, &to_drawing)
    })
}

/// The drawing thread: every frame as a patch, in order, then nothing; stops at the first error
/// (sent on, after the frames before it) or once the encoder has stopped listening.
fn draw(
    scene: &Scene,
    run: &Run,
    progress: &dyn Progress,
    to_encoder: &SyncSender<Result<Patch>>,
    spare: &Receiver<Vec<u8>>,
) {
    let mut frames = scene.frames(run);
    let mut first = true;
    while !frames.is_done() {
        if progress.cancelled() {
            let _ = to_encoder.send(Err(Error::Interrupted));
            return;
        }
        let patch = match frames.next_frame() {
            Ok(Some(frame)) => {
                // The first frame goes whole: the encoder's copy starts as the background,
                // and the title is drawn into the frames' base before the first frame.
                let rect = if first { frame.canvas.bounds() } else { frame.changed };
                Ok(Patch::of(&frame, rect, spare.try_recv().unwrap_or_default()))
            }
            Ok(None) => return,
            Err(error) => Err(error),
        };
        let failed = patch.is_err();
        if to_encoder.send(patch).is_err() || failed {
            return;
        }
        first = false;
    }
}

/// The encoding thread (the caller's): applies each patch to its copy of the shown frame and
/// pushes that frame, as the one-thread loop does. Returns the last frame.
fn encode<W>(
    encoder: &mut dyn AnimationEncoder<W>,
    scene: &Scene,
    timing: &Timing,
    progress: &dyn Progress,
    drawn: Receiver<Result<Patch>>,
    to_drawing: &Sender<Vec<u8>>,
) -> Result<Canvas> {
    let mut shown = scene.background().clone();
    for patch in drawn {
        let patch = patch?;
        patch.apply(&mut shown);
        let delay = if patch.last { timing.last_delay() } else { timing.frame_delay() };
        encoder.push(&shown, patch.changed, delay)?;
        progress.frame_done();
        if patch.last {
            return Ok(shown);
        }
        // The drawing thread may have ended (after its last frame): then the buffer is freed.
        let _ = to_drawing.send(patch.pixels);
    }
    // No last frame: a run without snapshots (the one-thread loop's answer: the background),
    // or a panic on the drawing thread, which the scope passes on when it joins the thread.
    Ok(shown)
}
