//! The caption: what a frame says about its run (label, step, loss) and how often its numbers
//! change.

use super::panels::Overlay;
use super::scene::SceneSettings;
use crate::format::short_number;
use crate::train::{BatchSize, Run, Snapshot, Verdict};

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

/// How long the caption's numbers stay, at least, by default: a number that changes every
/// 20 ms frame is a blur, one that stays 200 ms can be read while the GIF plays.
pub const CAPTION_READ_MS: u32 = 200;

/// Frames between caption updates: the scene's choice, or enough frames for `CAPTION_READ_MS` (200 ms)
/// at the delay the animation really stores, in centiseconds (see
/// [`crate::encode::Timing::frame_delay_cs`]).
#[must_use]
pub fn caption_every(settings: &SceneSettings, frame_delay_cs: u16) -> usize {
    let delay_ms = u32::from(frame_delay_cs.max(1)) * 10;
    let every = settings.caption_every.unwrap_or_else(|| CAPTION_READ_MS.div_ceil(delay_ms));
    every.max(1) as usize
}

/// The step whose numbers frame `k` captions: that of the latest update. The caption updates
/// every `every` frames from the first, at once when the run diverges, and on the last frame,
/// so between updates the line may be up to `every - 1` steps ahead of its caption.
#[must_use]
pub fn caption_step(k: usize, steps: usize, every: usize, diverged_at: Option<usize>) -> usize {
    if k >= steps {
        return k;
    }
    let tick = k - k % every.max(1);
    match diverged_at {
        Some(d) if (tick..=k).contains(&d) => d,
        _ => tick,
    }
}

/// The caption of one frame.
#[must_use]
pub fn caption(label: &str, snap: &Snapshot, steps: usize, diverged_at: Option<usize>) -> String {
    match diverged_at {
        Some(k) if snap.step >= k => format!("{label}   step {}/{steps}   diverged at step {k}", snap.step),
        _ => format!("{label}   step {}/{steps}   loss {}", snap.step, short_number(snap.loss)),
    }
}

/// What frame `k` of `run` draws: its line, the trail and batch the scene asks for, the caption
/// (whose numbers change every [`caption_every`] frames, so it depends on the frame delay, in
/// centiseconds).
#[must_use]
pub fn overlay(run: &Run, k: usize, settings: &SceneSettings, frame_delay_cs: u16) -> Overlay {
    overlay_with(run, k, settings, run.diverged_at(), caption_every(settings, frame_delay_cs), &|_| None)
}

/// [`overlay`] with the run's divergence step and the caption interval computed once by the
/// caller, and the numbers the scene's panels show for a frame (`values`), which stand for the
/// loss in the caption when there are some (a replayed log's metrics).
pub(crate) fn overlay_with(
    run: &Run,
    k: usize,
    settings: &SceneSettings,
    diverged_at: Option<usize>,
    every: usize,
    values: &dyn Fn(usize) -> Option<String>,
) -> Overlay {
    let snap = &run.snapshots[k];
    let last = run.snapshots.len() - 1;
    // Frames set the cadence and snapshots the numbers: a replayed log may skip steps.
    let diverged_frame = diverged_at.map(|d| run.snapshots.partition_point(|s| s.step < d));
    let index = caption_step(k, last, every, diverged_frame);
    let (captioned, steps) = (&run.snapshots[index], run.last().step);
    Overlay {
        line: (snap.slope, snap.intercept),
        trail: run.snapshots[k.saturating_sub(settings.trail)..k].iter().map(|s| (s.slope, s.intercept)).collect(),
        batch: if settings.show_batch { snap.batch.clone().unwrap_or_default() } else { vec![] },
        caption: settings.caption.then(|| {
            let label = settings.label.clone().unwrap_or_else(|| run_label(run));
            let text = match values(index) {
                Some(v) if diverged_at.is_none_or(|d| captioned.step < d) => {
                    format!("{label}   step {}/{steps}   {v}", captioned.step)
                }
                _ => caption(&label, captioned, steps, diverged_at),
            };
            // The last frame shows how the run ended: one that left its best line says so.
            if k == last && matches!(run.verdict(), Verdict::Unstable { .. }) {
                format!("{text}   unstable")
            } else {
                text
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::Timing;

    #[test]
    fn caption_steps_hold_between_updates_and_end_on_the_last() {
        let shown: Vec<usize> = (0..=12).map(|k| caption_step(k, 12, 5, None)).collect();
        assert_eq!(shown, vec![0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 12]);
        assert_eq!((0..=3).map(|k| caption_step(k, 3, 1, None)).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
        // Divergence at step 7 is captioned at once, then the cadence goes on.
        let diverged: Vec<usize> = (0..=12).map(|k| caption_step(k, 12, 5, Some(7))).collect();
        assert_eq!(diverged, vec![0, 0, 0, 0, 0, 5, 5, 7, 7, 7, 10, 10, 12]);
        let s = SceneSettings::default();
        let at = |delay_ms| caption_every(&s, Timing { delay_ms, ..Default::default() }.frame_delay_cs());
        // The delay the GIF stores: whole centiseconds, at least 2 (0, 1 and 10 ms play at 20 ms).
        assert_eq!((at(0), at(1), at(10), at(20), at(25)), (10, 10, 10, 10, 7));
        assert_eq!((at(30), at(50), at(200), at(1000)), (7, 4, 1, 1));
        let fixed = SceneSettings { caption_every: Some(3), ..s };
        assert_eq!(caption_every(&fixed, Timing::default().frame_delay_cs()), 3);
    }
}
