//! Checks on every option before any work starts: each failure names the option, the bad
//! value and what is allowed.

use crate::encode::{Timing, MAX_DELAY_MS, MAX_LOOP_COUNT};
use crate::error::{Error, Result};
use crate::render::{SceneSettings, MAX_SIZE, MIN_SIZE};
use crate::train::{BatchSize, Optimizer, Snapshot, TrainSettings};

/// The most steps one animation may have.
pub const MAX_STEPS: usize = 100_000;
/// The most worker threads a grid may ask for.
pub const MAX_THREADS: usize = 1024;
/// The most earlier lines a trail may show.
pub const MAX_TRAIL: usize = 100;

/// Total work budget, in frames x pixels, above which a run is refused unless forced
/// (the post's whole set is 22 x 101 x 640 x 480 = 6.8e8).
pub const WORK_BUDGET: u64 = 20_000_000_000;

/// Training time above which a run (a grid: all its runs) is refused unless forced, in seconds.
pub const TRAIN_SECONDS_BUDGET: f64 = 60.0;
/// Training memory above which a run (a grid: all its runs) is refused unless forced, in bytes.
pub const TRAIN_BYTES_BUDGET: u64 = 1_000_000_000;
/// Points a second training streams through, for the estimate: one point of the full-data
/// loss, or of a full-batch gradient. Measured on a release build on a busy 2-core machine:
/// 3.1e8 with a million points (memory-bound), 1e9 with ten thousand (in cache); this is below both.
pub const TRAIN_POINTS_PER_SECOND: f64 = 2.5e8;
/// What one mini-batch index costs in streamed points: drawing it at random and fetching a
/// point out of order (measured 20 ns per index with a million points, 8 ns with ten thousand,
/// against 3 ns for a streamed point).
pub const BATCH_INDEX_COST: u64 = 6;

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

/// The work and memory of one training run over `n` points, before any work: every step
/// computes its gradient (over the batch, or all `n` points) and the loss over all `n` points.
/// Returns (streamed-point equivalents, bytes).
fn run_cost(t: &TrainSettings, n: u64) -> (u64, u64) {
    let steps = t.steps as u64;
    let snapshots = (steps + 1).saturating_mul(std::mem::size_of::<Snapshot>() as u64);
    match t.batch_size {
        BatchSize::Full => (steps.saturating_mul(2 * n).saturating_add(n), snapshots),
        BatchSize::Size(b) => {
            let b = b as u64;
            let visits = steps.saturating_mul(b.saturating_mul(BATCH_INDEX_COST).saturating_add(n)).saturating_add(n);
            // The sampler's index order, and each kept batch (8 bytes an index, plus its allocation).
            let kept = if t.record_batches { steps.saturating_mul(b.saturating_mul(8).saturating_add(16)) } else { 0 };
            (visits, snapshots.saturating_add(kept).saturating_add(n * 8))
        }
    }
}

/// Refuses training above [`TRAIN_SECONDS_BUDGET`] or [`TRAIN_BYTES_BUDGET`] unless forced:
/// `runs` are every run the command will train (a grid's jobs, summed), over `n` points.
/// The message gives the estimate and what drives it.
pub fn training<'a>(runs: impl IntoIterator<Item = &'a TrainSettings>, n: usize, force: bool) -> Result<()> {
    let n = n as u64;
    // The points (x and y) and the scene's copy of them.
    let (mut visits, mut bytes, mut count) = (0u64, n.saturating_mul(32), 0usize);
    let mut first = None;
    for run in runs {
        let (v, b) = run_cost(run, n);
        visits = visits.saturating_add(v);
        bytes = bytes.saturating_add(b);
        count += 1;
        first.get_or_insert(run);
    }
    let Some(first) = first else { return Ok(()) };
    let seconds = visits as f64 / TRAIN_POINTS_PER_SECOND;
    if force || (seconds <= TRAIN_SECONDS_BUDGET && bytes <= TRAIN_BYTES_BUDGET) {
        return Ok(());
    }
    let memory = if bytes >= 100_000_000 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else {
        format!("{} MB", bytes.div_ceil(1_000_000))
    };
    let steps = first.steps;
    let formula = match (count, first.batch_size) {
        (1, BatchSize::Full) => format!("steps x 2n (gradient and loss over every point) = {steps} x 2 x {n}"),
        (1, BatchSize::Size(b)) => {
            format!("steps x ({BATCH_INDEX_COST} x batch + n) = {steps} x ({BATCH_INDEX_COST} x {b} + {n})")
        }
        _ => format!("steps x ({BATCH_INDEX_COST} x batch + n), or 2n at full batch, summed over {count} runs"),
    };
    let cpu = if count > 1 { " of CPU time" } else { "" };
    let kept = if bytes > TRAIN_BYTES_BUDGET && runs_keep_batches(first) {
        " (every step's batch is kept for the trace or --show-batch)"
    } else {
        ""
    };
    Err(Error::invalid(
        "--steps",
        steps,
        format!(
            "training would take about {seconds:.0} s{cpu} and {memory}{kept}: {formula} = {visits:.1e} point visits at \
             {TRAIN_POINTS_PER_SECOND:.1e} a second; the budget is {TRAIN_SECONDS_BUDGET:.0} s and {:.0} GB. \
             Use fewer steps, a smaller batch or fewer points, or pass --force",
            TRAIN_BYTES_BUDGET as f64 / 1e9,
            visits = visits as f64,
        ),
    ))
}

fn runs_keep_batches(t: &TrainSettings) -> bool {
    t.record_batches && matches!(t.batch_size, BatchSize::Size(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_budget_counts_steps_batches_and_points() {
        let full = TrainSettings { steps: 100_000, ..Default::default() };
        // The post's runs are far inside the budget.
        assert!(training([&TrainSettings::default()], 100, false).is_ok());
        // A million points for 100000 full-batch steps: 2e11 visits, 800 s.
        let Err(Error::InvalidOption { option, value, allowed }) = training([&full], 1_000_000, false) else {
            panic!("2e11 point visits were accepted");
        };
        assert_eq!((option.as_str(), value.as_str()), ("--steps", "100000"));
        assert!(allowed.starts_with("training would take about 800 s and 38 MB: steps x 2n"), "{allowed}");
        assert!(allowed.contains("= 100000 x 2 x 1000000 = 2.0e11 point visits") && allowed.contains("--force"));
        assert!(training([&full], 1_000_000, true).is_ok());
        // A minute is the line: 1.48e10 visits (59 s) pass, twice that does not.
        assert!(training([&TrainSettings { steps: 74_000, ..full.clone() }], 100_000, false).is_ok());
        assert!(training([&TrainSettings { steps: 74_000, ..full.clone() }], 200_000, false).is_err());
        // Kept batches cost memory: 100000 steps of 2000 indices is 1.6 GB, not kept it is nothing.
        let big = TrainSettings { batch_size: BatchSize::Size(2000), ..full.clone() };
        let Err(Error::InvalidOption { allowed, .. }) = training([&big], 2000, false) else {
            panic!("1.6 GB of batches were accepted");
        };
        assert!(allowed.contains("s and 1.6 GB (every step's batch is kept"), "{allowed}");
        assert!(training([&TrainSettings { record_batches: false, ..big }], 2000, false).is_ok());
        // A grid sums its runs: one run fits, 22 of them do not.
        let run = TrainSettings { steps: 10_000, ..full };
        assert!(training([&run], 500_000, false).is_ok());
        let Err(Error::InvalidOption { allowed, .. }) = training(vec![&run; 22], 500_000, false) else {
            panic!("22 runs were accepted");
        };
        assert!(allowed.starts_with("training would take about 880 s of CPU time and "), "{allowed}");
        assert!(allowed.contains("summed over 22 runs = 2.2e11 point visits"), "{allowed}");
    }
}
