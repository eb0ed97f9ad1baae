//! Checks on every option before any work starts: each failure names the option, the bad
//! value and what is allowed.

use crate::encode::{Timing, MAX_DELAY_MS, MAX_LOOP_COUNT};
use crate::error::{Error, Result};
use crate::render::{SceneSettings, MAX_SIZE, MIN_SIZE};
use crate::train::{BatchSize, Optimizer, TrainSettings};

/// The most steps one animation may have.
pub const MAX_STEPS: usize = 100_000;
/// The most worker threads a grid may ask for.
pub const MAX_THREADS: usize = 1024;
/// The most earlier lines a trail may show.
pub const MAX_TRAIL: usize = 100;

/// Total work budget, in frames x pixels, above which a run is refused unless forced
/// (the post's whole set is 22 x 101 x 640 x 480 = 6.8e8).
pub const WORK_BUDGET: u64 = 20_000_000_000;

/// Checks a learning rate.
pub fn lr(option: &str, lr: f64) -> Result<()> {
    if lr.is_finite() && lr > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(option, lr, "a finite number above 0, such as 0.1"))
    }
}

/// Checks the training settings against a dataset of `n` points.
pub fn train(t: &TrainSettings, n: usize) -> Result<()> {
    lr("--lr", t.lr)?;
    batch_size("--batch-size", t.batch_size, n)?;
    if t.steps == 0 || t.steps > MAX_STEPS {
        return Err(Error::invalid("--steps", t.steps, format!("between 1 and {MAX_STEPS}")));
    }
    let limit = crate::train::MAX_VALUE;
    for (option, v) in [("--start-slope", t.start.0), ("--start-intercept", t.start.1)] {
        if !(v.is_finite() && v.abs() <= limit) {
            return Err(Error::invalid(option, v, format!("a number within ±{limit:e}")));
        }
    }
    let unit = |option: &str, v: f64| {
        if (0.0..1.0).contains(&v) {
            Ok(())
        } else {
            Err(Error::invalid(option, v, "a number in [0, 1), such as 0.9"))
        }
    };
    match t.optimizer {
        Optimizer::Sgd => Ok(()),
        Optimizer::Momentum { momentum } => unit("--momentum", momentum),
        Optimizer::Adam { beta1, beta2 } => unit("--beta1", beta1).and(unit("--beta2", beta2)),
    }
}

/// Checks a batch size against a dataset of `n` points.
pub fn batch_size(option: &str, b: BatchSize, n: usize) -> Result<()> {
    match b {
        BatchSize::Size(s) if s == 0 || s > n => {
            Err(Error::invalid(option, s, format!("'full' or a whole number from 1 to n = {n}")))
        }
        _ => Ok(()),
    }
}

/// Checks frame size.
pub fn scene(s: &SceneSettings) -> Result<()> {
    if s.caption_every == Some(0) {
        return Err(Error::invalid("--caption-every", 0, "a number of frames, 1 or more (1: every frame)"));
    }
    if s.trail > MAX_TRAIL {
        return Err(Error::invalid("--trail", s.trail, format!("at most {MAX_TRAIL} earlier lines")));
    }
    let panels = s.view.panels();
    let min_width = MIN_SIZE * panels;
    for (option, v, min) in [("--width", s.width, min_width), ("--height", s.height, MIN_SIZE)] {
        if !(min..=MAX_SIZE).contains(&v) {
            let per =
                if option == "--width" && panels > 1 { format!(" ({MIN_SIZE} per panel)") } else { String::new() };
            return Err(Error::invalid(option, v, format!("between {min}{per} and {MAX_SIZE} pixels")));
        }
    }
    Ok(())
}

/// Checks delays and the loop count.
pub fn gif(g: &Timing) -> Result<()> {
    for (option, v) in [("--delay-ms", g.delay_ms), ("--hold-ms", g.hold_ms)] {
        if v > MAX_DELAY_MS {
            return Err(Error::invalid(
                option,
                v,
                format!("at most {MAX_DELAY_MS} ms (the GIF's 16-bit centisecond field)"),
            ));
        }
    }
    match g.loop_count {
        Some(n) if n == 0 || n > MAX_LOOP_COUNT => Err(Error::invalid(
            "--loop-count",
            n,
            format!("a number of plays from 1 to {MAX_LOOP_COUNT}; leave it out to loop forever"),
        )),
        _ => Ok(()),
    }
}

/// Refuses work above [`WORK_BUDGET`] unless forced.
pub fn work(frames: u64, s: &SceneSettings, force: bool) -> Result<()> {
    let work = frames.saturating_mul(s.width as u64 * s.height as u64);
    if work > WORK_BUDGET && !force {
        return Err(Error::invalid(
            "--steps",
            format!("{frames} frames of {}x{}", s.width, s.height),
            format!("{work:.3e} frame-pixels is above the budget of {WORK_BUDGET:.1e}; use fewer steps or smaller frames, or pass --force", work = work as f64, WORK_BUDGET = WORK_BUDGET as f64),
        ));
    }
    Ok(())
}
