//! The frame loop on several threads: drawing threads draw every n-th frame each while the
//! caller's thread encodes them in order, so a single long animation (`render --steps 10000`)
//! keeps the cores busy (drawing costs about three times what encoding does, so one drawing
//! thread would leave the encoder idle and the speed-up small). The bytes are those of the
//! loop on one thread ([`super::frames::write_frames`]): the encoder is handed the same frames,
//! rectangles and delays, in the same order.
//!
//! Drawing thread `i` of `n` clones the frames (their setup is done once), passes over the
//! frames that are not its own ([`Frames::skip_frame`] draws only their progress into the
//! base), and hands each of its frames to the encoder whole and without a copy
//! ([`Frames::take_canvas`]); the encoder hands the canvas back once it is encoded, and the
//! thread draws its next frame over it ([`Frames::put_back`]), restoring only what changed. So
//! each thread has one frame in flight, and memory is one frame a thread whatever the number
//! of steps. The encoder works out each frame's changed rectangles as the one-thread loop has
//! them: the previous frame's overlay and caption, this step's progress, this frame's overlay
//! and caption.
//!
//! When one side fails, the others stop: a drawing error (or Ctrl-C) is sent in order, after
//! the frames that thread drew before it, and the encoder returns the first error in frame
//! order; an encoding error drops the encoder's ends of the channels, so every drawing thread's
//! next send or wait fails and it ends before the scope joins it.

use super::progress::Progress;
use crate::encode::{AnimationEncoder, Timing};
use crate::error::{Error, Result};
use crate::raster::{Canvas, Rect};
use crate::render::{Frames, Scene};
use crate::train::Run;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Whether a job's frames are drawn on the thread that encodes them or on threads of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameThreads {
    /// Draw, then encode, frame by frame on the caller's thread: a grid's jobs, which already
    /// share a pool sized to the cores.
    One,
    /// This many drawing threads (at least one), each drawing every n-th frame, while the
    /// caller's thread encodes: a job that runs alone.
    Drawing(usize),
}

impl FrameThreads {
    /// Drawing threads for a job that runs alone: three where there is a second core (drawing
    /// costs about three times what encoding does, and each drawing thread waits while its
    /// frame is encoded; three beat two on two cores, `render --steps 10000`), none on one.
    #[must_use]
    pub fn for_a_lone_job() -> FrameThreads {
        match std::thread::available_parallelism().map_or(1, std::num::NonZero::get) {
            0 | 1 => FrameThreads::One,
            _ => FrameThreads::Drawing(3),
        }
    }
}

impl FrameThreads {
    /// `jobs` threads in all for a job that runs alone (`render --jobs`): one encodes while the
    /// others draw; one thread draws and encodes. The bytes are the same whatever `jobs` is.
    #[must_use]
    pub fn for_jobs(jobs: usize) -> FrameThreads {
        match jobs {
            0 | 1 => FrameThreads::One,
            n => FrameThreads::Drawing(n - 1),
        }
    }
}

/// One drawn frame on its way to the encoder.
struct Drawn {
    /// The whole frame.
    canvas: Canvas,
    /// Its step's progress, and what its overlay and caption drew (see [`crate::render::Frame`]).
    progress: Rect,
    parts: [Rect; 2],
    /// Whether it is the last frame.
    last: bool,
}

/// The encoder's ends of one drawing thread's two channels.
struct Drawer {
    /// Its frames, in order.
    drawn: Receiver<Result<Drawn>>,
    /// Its canvas, handed back once encoded.
    back: SyncSender<Canvas>,
}

/// [`super::frames::write_frames`] with the drawing on `drawers` threads (at least one); same
/// result, same bytes.
pub(super) fn write_frames_on_threads<W>(
    encoder: &mut dyn AnimationEncoder<W>,
    scene: &Scene,
    run: &Run,
    timing: &Timing,
    progress: &dyn Progress,
    drawers: usize,
) -> Result<Canvas> {
    let drawers = drawers.max(1);
    let frames = scene.frames(run);
    std::thread::scope(|threads| {
        let mut ends = Vec::with_capacity(drawers);
        for first in 0..drawers {
            let (to_encoder, drawn) = sync_channel(1);
            let (back, from_encoder) = sync_channel(1);
            let frames = frames.clone();
            threads.spawn(move || draw(frames, first, drawers, progress, &to_encoder, &from_encoder));
            ends.push(Drawer { drawn, back });
        }
        // `ends` moves into `encode` and is dropped when it returns, error or not, so a drawing
        // thread blocked on a channel wakes up and ends before the scope joins it.
        encode(encoder, scene, timing, progress, ends)
    })
}

/// A drawing thread: frames `first`, `first + every`, ... in order, then nothing; stops at the
/// first error (sent on, after the frames before it) or once the encoder has stopped.
fn draw(
    mut frames: Frames,
    first: usize,
    every: usize,
    progress: &dyn Progress,
    to_encoder: &SyncSender<Result<Drawn>>,
    back: &Receiver<Canvas>,
) {
    let mut skip = first;
    loop {
        let drawn = (0..skip).try_for_each(|_| frames.skip_frame()).and_then(|()| {
            if frames.is_done() {
                return Ok(None);
            }
            if progress.cancelled() {
                return Err(Error::Interrupted);
            }
            let Some(frame) = frames.next_frame()? else { return Ok(None) };
            let (progress, parts, last) = (frame.progress, frame.drawn, frame.last);
            Ok(Some(Drawn { canvas: frames.take_canvas(), progress, parts, last }))
        });
        let Some(drawn) = drawn.transpose() else { return };
        let failed = drawn.is_err();
        if to_encoder.send(drawn).is_err() || failed {
            return;
        }
        // The frames between this one and the next are passed over while the encoder works.
        skip = every - 1;
        if let Err(error) = (0..skip).try_for_each(|_| frames.skip_frame()) {
            let _ = to_encoder.send(Err(error));
            return;
        }
        skip = 0;
        match back.recv() {
            Ok(canvas) => frames.put_back(canvas),
            Err(_) => return, // the encoder stopped
        }
    }
}

/// The encoding thread (the caller's): frame `k` comes from drawing thread `k % n` and is
/// pushed with the changed rectangles of the one-thread loop (the frames passed over by its
/// thread were drawn by others, so their progress is in the frame before), then its canvas
/// goes back.
/// Returns the last frame.
fn encode<W>(
    encoder: &mut dyn AnimationEncoder<W>,
    scene: &Scene,
    timing: &Timing,
    progress: &dyn Progress,
    ends: Vec<Drawer>,
) -> Result<Canvas> {
    let mut before = [Rect::EMPTY; 2];
    for k in 0.. {
        let end = &ends[k % ends.len()];
        // A closed channel: every frame was drawn (a run without snapshots), or that thread
        // panicked, which the scope passes on when it joins the thread.
        let Ok(drawn) = end.drawn.recv() else { break };
        let drawn = drawn?;
        let [overlay, caption] = drawn.parts;
        let regions = [before[0], before[1], drawn.progress, overlay, caption];
        before = drawn.parts;
        encoder.push_regions(&drawn.canvas, &regions, timing.delay(drawn.last))?;
        progress.frame_done();
        if drawn.last {
            return Ok(drawn.canvas);
        }
        // The drawing thread may have ended (after its last frame): then the canvas is freed.
        let _ = end.back.send(drawn.canvas);
    }
    Ok(scene.background().clone())
}

#[cfg(test)]
mod tests {
    use super::super::frames::encode_animation;
    use super::super::progress::NoProgress;
    use super::super::train_job;
    use super::*;
    use crate::encode::Format;
    use crate::render::{SceneSettings, View};
    use crate::train::{BatchSize, DataSpec, Dataset, TrainSettings};
    use std::io::Write;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A small scene and a run over it, for `view` (its progress panels draw into the base).
    fn job(view: View, steps: usize) -> (Scene, Run) {
        let data = Dataset::synthetic(&DataSpec::default());
        let train = TrainSettings { lr: 0.1, batch_size: BatchSize::Size(8), steps, ..Default::default() };
        let settings = SceneSettings { view, width: 240 * view.panels(), height: 200, ..Default::default() };
        let run = train_job(&data, &train);
        (Scene::for_run(&data, &run, &settings).unwrap(), run)
    }

    fn animation(format: Format, scene: &Scene, run: &Run, threads: FrameThreads) -> Result<(Vec<u8>, Canvas)> {
        encode_animation(format, Vec::new(), scene, run, &Timing::default(), Some("c"), &NoProgress, threads)
    }

    #[test]
    fn jobs_count_the_encoding_thread() {
        assert_eq!(FrameThreads::for_jobs(1), FrameThreads::One);
        assert_eq!(FrameThreads::for_jobs(2), FrameThreads::Drawing(1));
        assert_eq!(FrameThreads::for_jobs(4), FrameThreads::Drawing(3));
    }

    #[test]
    fn every_count_of_drawing_threads_writes_the_bytes_of_one_thread() {
        for view in [View::Line, View::All] {
            let (scene, run) = job(view, 23);
            for format in [Format::Gif, Format::Webp] {
                let (bytes, last) = animation(format, &scene, &run, FrameThreads::One).unwrap();
                for drawers in 1..=4 {
                    let (threaded, threaded_last) =
                        animation(format, &scene, &run, FrameThreads::Drawing(drawers)).unwrap();
                    assert!(threaded == bytes, "{view:?} {format:?}, {drawers} drawing threads: other bytes");
                    assert!(
                        threaded_last == last,
                        "{view:?} {format:?}, {drawers} drawing threads: another last frame"
                    );
                }
            }
        }
    }

    /// Writes `room` bytes, then fails as a full disk does.
    struct FullDisk {
        room: usize,
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Counts the frames encoded; asks to stop once `stop_after` are.
    struct StopAfter {
        stop_after: usize,
        frames: AtomicUsize,
    }

    impl Progress for StopAfter {
        fn frame_done(&self) {
            self.frames.fetch_add(1, Ordering::SeqCst);
        }
        fn cancelled(&self) -> bool {
            self.frames.load(Ordering::SeqCst) >= self.stop_after
        }
    }

    #[test]
    fn a_failing_encoder_or_a_stop_ends_every_thread_with_the_error() {
        let (scene, run) = job(View::Line, 200);
        let timing = Timing::default();
        for drawers in 1..=3 {
            let threads = FrameThreads::Drawing(drawers);
            // The disk fills part-way: the write error comes back, no thread is left waiting.
            let full = FullDisk { room: 20_000 };
            let full = encode_animation(Format::Gif, full, &scene, &run, &timing, None, &NoProgress, threads).err();
            assert!(matches!(full, Some(Error::Write(ref e)) if e.raw_os_error() == Some(28)), "{drawers}: {full:?}");
            // Ctrl-C after 50 frames: interrupted, with no more than the frames in flight encoded.
            let stop = StopAfter { stop_after: 50, frames: AtomicUsize::new(0) };
            let stopped = encode_animation(Format::Gif, Vec::new(), &scene, &run, &timing, None, &stop, threads).err();
            assert!(matches!(stopped, Some(Error::Interrupted)), "{drawers}: {stopped:?}");
            let encoded = stop.frames.load(Ordering::SeqCst);
            assert!((50..=50 + drawers).contains(&encoded), "{drawers}: {encoded} frames encoded");
            // Uninterrupted, every frame is reported once.
            let all = StopAfter { stop_after: usize::MAX, frames: AtomicUsize::new(0) };
            encode_animation(Format::Gif, Vec::new(), &scene, &run, &timing, None, &all, threads).unwrap();
            assert_eq!(all.frames.load(Ordering::SeqCst), run.snapshots.len());
        }
    }
}
