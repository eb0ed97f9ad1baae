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

#[cfg(test)]
mod tests {
    use super::super::train_job;
    use crate::raster::{Canvas, Rect};
    use crate::render::compare::{CompareFrames, Tiling};
    use crate::render::{Scene, SceneSettings, View};
    use crate::train::{BatchSize, DataSpec, Dataset, TrainSettings};

    /// The pixels where `now` differs from `before` that lie in none of `regions`.
    fn outside(before: &Canvas, now: &Canvas, regions: &[Rect]) -> usize {
        let inside = |x: u32, y: u32| regions.iter().any(|r| r.contains(x as i32, y as i32));
        (0..now.height)
            .flat_map(|y| (0..now.width).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let k = (y * now.width + x) as usize;
                before.pixels[k] != now.pixels[k] && !inside(x, y)
            })
            .count()
    }

    fn train(lr: f64, batch_size: usize, steps: usize) -> (Dataset, TrainSettings) {
        let data = Dataset::synthetic(&DataSpec::default());
        (data, TrainSettings { lr, batch_size: BatchSize::Size(batch_size), steps, ..Default::default() })
    }

    /// The encoders compare frames only inside a frame's regions: every pixel that changed
    /// lies in one, in every view, with frames passed over (as a drawing thread does) or not.
    #[test]
    fn a_frames_regions_hold_every_pixel_that_changed() {
        // Runs whose captions change width (noisy losses; a divergence), so a caption also
        // leaves pixels its successor does not cover.
        for (view, lr, batch_size) in
            [(View::Line, 0.1, 8), (View::Line, 0.01, 1), (View::Line, 1.5, 1), (View::All, 0.1, 8)]
        {
            let (data, train) = train(lr, batch_size, 40);
            let run = train_job(&data, &train);
            let settings = SceneSettings { view, width: 240 * view.panels(), height: 200, ..Default::default() };
            let scene = Scene::for_run(&data, &run, &settings).unwrap();
            for every in [1, 3] {
                let mut frames = scene.frames(&run);
                let mut before: Option<Canvas> = None;
                let mut k = 0;
                while let Some(frame) = frames.next_frame().unwrap() {
                    // Against the frame these frames drew last (the first is written whole).
                    if let Some(before) = &before {
                        assert_eq!(
                            outside(before, frame.canvas, frame.regions),
                            0,
                            "{view:?}, every {every}, frame {k}"
                        );
                    }
                    before = Some(frame.canvas.clone());
                    for _ in 1..every {
                        frames.skip_frame().unwrap();
                    }
                    k += every;
                }
            }
        }
    }

    /// The same for a comparison's frames: each panel's own rectangles, the header, the captions.
    #[test]
    fn a_comparisons_regions_hold_every_pixel_that_changed() {
        let (data, train) = train(0.1, 8, 20);
        let runs: Vec<_> =
            [0.01, 0.1, 1.0, 0.3].iter().map(|&lr| train_job(&data, &TrainSettings { lr, ..train.clone() })).collect();
        let tiling = Tiling::for_column(740, 3);
        let tile = Scene::new(&data, &train, &tiling.tile_settings(&SceneSettings::default())).unwrap();
        let mut frames = CompareFrames::new(&tile, tiling, &runs);
        let mut before: Option<Canvas> = None;
        let mut k = 0;
        while let Some((canvas, regions)) = frames.next_frame().unwrap() {
            if let Some(before) = &before {
                assert_eq!(outside(before, canvas, regions), 0, "frame {k}");
                let union = regions.iter().fold(Rect::EMPTY, |u, &r| u.union(r));
                let covered: u64 = regions.iter().map(|r| u64::from(r.width()) * u64::from(r.height())).sum();
                assert!(covered < u64::from(union.width()) * u64::from(union.height()), "frame {k}: {regions:?}");
            }
            before = Some(canvas.clone());
            k += 1;
        }
        assert_eq!(k, 21);
    }
}
