//! The frame loop: a run's frames drawn over its scene, streamed to the encoder of a
//! [`Format`], frame by frame.

use super::pipeline::{write_frames_on_threads, FrameThreads};
use super::progress::Progress;
use crate::encode::{AnimationEncoder, Format, Timing};
use crate::error::{Error, Result};
use crate::raster::Canvas;
use crate::render::Scene;
use crate::train::Run;
use std::io::Write;

/// Draws every snapshot of `run` over `scene` and writes the animation to `out` in `format`,
/// with `comment` (see [`RenderSettings::comment`](super::RenderSettings::comment)) as its metadata.
pub fn write_animation<W: Write>(
    format: Format,
    out: W,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    comment: Option<&str>,
    progress: &dyn Progress,
) -> Result<W> {
    encode_animation(format, out, scene, run, timing, comment, progress, FrameThreads::One).map(|(out, _)| out)
}

/// [`write_animation`] as a GIF.
pub fn write_gif<W: Write>(
    out: W,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    comment: Option<&str>,
    progress: &dyn Progress,
) -> Result<W> {
    write_animation(Format::Gif, out, scene, run, timing, comment, progress)
}

/// [`write_animation`], handing back the last frame too (the poster, in `scene`'s palette),
/// with the frames drawn on the encoding thread or on threads of their own (same bytes).
#[allow(clippy::too_many_arguments)]
pub(super) fn encode_animation<W: Write>(
    format: Format,
    out: W,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    comment: Option<&str>,
    progress: &dyn Progress,
    threads: FrameThreads,
) -> Result<(W, Canvas)> {
    let background = scene.background();
    let mut encoder = format.encoder(out, background.width, background.height, scene.palette(), timing)?;
    if let Some(text) = comment {
        encoder.comment(text)?;
    }
    let last = match threads {
        FrameThreads::One => write_frames(encoder.as_mut(), scene, run, timing, progress)?,
        FrameThreads::Drawing(n) => write_frames_on_threads(encoder.as_mut(), scene, run, timing, progress, n)?,
    };
    Ok((encoder.finish()?, last))
}

/// The frame loop: draws every snapshot of `run` over `scene` into `encoder`, frame by frame,
/// so memory stays flat however many steps there are. Returns a copy of the last frame (a
/// gallery's poster), as palette indices of `scene`'s palette.
pub fn write_frames<W>(
    encoder: &mut dyn AnimationEncoder<W>,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    progress: &dyn Progress,
) -> Result<Canvas> {
    let mut frames = scene.frames(run);
    let mut last = None;
    while !frames.is_done() {
        if progress.cancelled() {
            return Err(Error::Interrupted);
        }
        let Some(frame) = frames.next_frame()? else { break };
        encoder.push_regions(frame.canvas, frame.regions, timing.delay(frame.last))?;
        if frame.last {
            last = Some(frame.canvas.clone());
        }
        progress.frame_done();
    }
    // A run has at least its start snapshot, so the loop drew a last frame.
    Ok(last.unwrap_or_else(|| scene.background().clone()))
}
