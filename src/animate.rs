//! One animation end to end: a run's snapshots drawn over the scene and streamed to the
//! encoder frame by frame, so memory stays flat however many steps there are.

use crate::encode::{DeltaEncoder, GifOptions};
use crate::error::Result;
use crate::render::canvas::Rect;
use crate::render::scene::{Overlay, Scene, SceneSettings};
use crate::train::{BatchSize, Optimizer, Run, Snapshot};
use std::io::Write;

/// Hooks for progress reporting; every method defaults to doing nothing.
pub trait Progress: Sync {
    /// One frame was encoded.
    fn frame_done(&self) {}
    /// One animation of a grid is finished (written, or failed).
    fn job_done(&self, _outcome: &crate::pipeline::Outcome) {}
    /// A missing output folder was created (before any file is written).
    fn folder_created(&self, _folder: &std::path::Path) {}
    /// Whether the user asked to stop (Ctrl-C); checked before every frame.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {}

/// Formats a number as Python's `repr(float)` does (`0.1`, `1.0`, `1e-05`), so file names
/// and captions match the post's.
pub fn python_float(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if v == 0.0 || (-4..16).contains(&exp) {
        let s = format!("{v}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    }
}

/// A short description of a run: "GD lr=0.1", "SGD lr=0.1 bs=16", "Adam lr=0.1 bs=16".
pub fn run_label(run: &Run) -> String {
    let s = &run.settings;
    let method = match (s.optimizer, s.batch_size) {
        (Optimizer::Sgd, BatchSize::Full) => "GD",
        (Optimizer::Sgd, BatchSize::Size(_)) => "SGD",
        (Optimizer::Momentum { .. }, _) => "Momentum",
        (Optimizer::Adam { .. }, _) => "Adam",
    };
    match s.batch_size {
        BatchSize::Full => format!("{method} lr={}", python_float(s.lr)),
        BatchSize::Size(b) => format!("{method} lr={} bs={b}", python_float(s.lr)),
    }
}

/// A loss (or any magnitude) in at most a few significant digits.
pub fn short_number(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e5 || v.abs() < 1e-3 {
        format!("{v:.2e}")
    } else {
        // Three significant digits: fewer glyphs change from frame to frame.
        let decimals = (2 - v.abs().max(1e-3).log10().floor() as i32).clamp(0, 5) as usize;
        format!("{v:.decimals$}")
    }
}

/// How long the caption's numbers stay, at least, by default: a number that changes every
/// 20 ms frame is a blur, one that stays 200 ms can be read while the GIF plays.
pub const CAPTION_READ_MS: u32 = 200;

/// Frames between caption updates: the scene's choice, or enough frames for [`CAPTION_READ_MS`]
/// at the delay the GIF stores (whole centiseconds, never below 2).
pub fn caption_every(settings: &SceneSettings, gif: &GifOptions) -> usize {
    let delay_ms = gif.frame_delay_cs() as u32 * 10;
    let every = settings.caption_every.unwrap_or_else(|| CAPTION_READ_MS.div_ceil(delay_ms));
    every.max(1) as usize
}

/// The step whose numbers frame `k` captions: that of the latest update. The caption updates
/// every `every` frames from the first, at once when the run diverges, and on the last frame,
/// so between updates the line may be up to `every - 1` steps ahead of its caption.
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
pub fn caption(label: &str, snap: &Snapshot, steps: usize, diverged_at: Option<usize>) -> String {
    match diverged_at {
        Some(k) if snap.step >= k => format!("{label}   step {}/{steps}   diverged at step {k}", snap.step),
        _ => format!("{label}   step {}/{steps}   loss {}", snap.step, short_number(snap.loss)),
    }
}

/// What frame `k` of `run` draws: its line, the trail and batch the scene asks for, the caption
/// (whose numbers change every `caption_every(settings, gif)` frames, so it depends on the GIF's delay).
pub fn overlay(run: &Run, k: usize, settings: &SceneSettings, gif: &GifOptions) -> Overlay {
    overlay_with(run, k, settings, run.diverged_at(), caption_every(settings, gif))
}

/// [`overlay`] with the run's divergence step and the caption interval computed once by the caller.
fn overlay_with(run: &Run, k: usize, settings: &SceneSettings, diverged_at: Option<usize>, every: usize) -> Overlay {
    let snap = &run.snapshots[k];
    let steps = run.snapshots.len() - 1;
    let captioned = &run.snapshots[caption_step(k, steps, every, diverged_at)];
    Overlay {
        line: (snap.slope, snap.intercept),
        trail: run.snapshots[k.saturating_sub(settings.trail)..k].iter().map(|s| (s.slope, s.intercept)).collect(),
        batch: if settings.show_batch { snap.batch.clone().unwrap_or_default() } else { vec![] },
        caption: settings.caption.then(|| caption(&run_label(run), captioned, steps, diverged_at)),
    }
}

/// Draws every snapshot of `run` over `scene` and writes the GIF to `out`.
pub fn write_gif<W: Write>(out: W, scene: &Scene, run: &Run, gif: &GifOptions, progress: &dyn Progress) -> Result<W> {
    let background = scene.background();
    let mut encoder = DeltaEncoder::new(out, background.width, background.height, scene.palette(), gif)?;
    let mut canvas = background.clone();
    // The background plus what earlier steps added for good (loss curve, parameter path).
    let mut base = background.clone();
    let mut previous = Rect::EMPTY;
    let steps = run.snapshots.len() - 1;
    let diverged_at = run.diverged_at();
    let every = caption_every(scene.settings(), gif);
    for k in 0..run.snapshots.len() {
        if progress.cancelled() {
            return Err(crate::error::Error::Interrupted);
        }
        let changed = previous.union(scene.draw_progress(&mut base, run, k)?);
        canvas.restore(&base, changed);
        let drawn = scene.draw_overlay(&mut canvas, &overlay_with(run, k, scene.settings(), diverged_at, every))?;
        let delay = if k == steps { gif.last_delay_cs() } else { gif.frame_delay_cs() };
        encoder.push(&canvas, changed.union(drawn), delay)?;
        previous = drawn;
        progress.frame_done();
    }
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caption_steps_hold_between_updates_and_end_on_the_last() {
        let shown: Vec<usize> = (0..=12).map(|k| caption_step(k, 12, 5, None)).collect();
        assert_eq!(shown, vec![0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 12]);
        assert_eq!((0..=3).map(|k| caption_step(k, 3, 1, None)).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
        // Divergence at step 7 is captioned at once, then the cadence goes on.
        let diverged: Vec<usize> = (0..=12).map(|k| caption_step(k, 12, 5, Some(7))).collect();
        assert_eq!(diverged, vec![0, 0, 0, 0, 0, 5, 5, 7, 7, 7, 10, 10, 12]);
        let s = SceneSettings::default();
        let at = |delay_ms| caption_every(&s, &GifOptions { delay_ms, ..Default::default() });
        // The delay the GIF stores: whole centiseconds, at least 2 (0, 1 and 10 ms play at 20 ms).
        assert_eq!((at(0), at(1), at(10), at(20), at(25)), (10, 10, 10, 10, 7));
        assert_eq!((at(30), at(50), at(200), at(1000)), (7, 4, 1, 1));
        let fixed = SceneSettings { caption_every: Some(3), ..s };
        assert_eq!(caption_every(&fixed, &GifOptions::default()), 3);
    }

    #[test]
    fn short_numbers_keep_three_significant_digits() {
        for (v, s) in [
            (0.38751, "0.388"),
            (3.6612, "3.66"),
            (42.44, "42.4"),
            (4719.1, "4719"),
            (1.36e27, "1.36e27"),
            (0.0, "0"),
            (0.0012345, "0.00123"),
        ] {
            assert_eq!(short_number(v), s);
        }
    }

    #[test]
    fn floats_are_spelled_like_python() {
        for (v, s) in [
            (0.01, "0.01"),
            (0.1, "0.1"),
            (1.0, "1.0"),
            (10.0, "10.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (2.5e-7, "2.5e-07"),
            (0.3, "0.3"),
            (1e6, "1000000.0"),
        ] {
            assert_eq!(python_float(v), s);
        }
    }
}
