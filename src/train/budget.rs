//! What training will cost, estimated before any work: time (point visits at a measured rate)
//! and memory (snapshots, kept batches, the data), against a budget that `force` lifts.

// The loss's cost (time budget, rate) lives with the loss: a replay computes it too.
use super::{BatchSize, Snapshot, TrainSettings};
use crate::error::{Advice, Error, Field, Result};
pub use crate::run::{TRAIN_POINTS_PER_SECOND, TRAIN_SECONDS_BUDGET};

/// Training memory above which a run (a grid: all its runs) is refused unless forced, in bytes.
pub const TRAIN_BYTES_BUDGET: u64 = 1_000_000_000;
/// What one mini-batch index costs in streamed points: drawing it at random and fetching a
/// point out of order (measured 20 ns per index with a million points, 8 ns with ten thousand,
/// against 3 ns for a streamed point).
pub const BATCH_INDEX_COST: u64 = 6;

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
pub fn check_training<'a>(runs: impl IntoIterator<Item = &'a TrainSettings>, n: usize, force: bool) -> Result<()> {
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
    let mut estimate = Advice::from(format!("training would take about {seconds:.0} s{cpu} and {memory}"));
    if bytes > TRAIN_BYTES_BUDGET && runs_keep_batches(first) {
        estimate =
            estimate.text(" (every step's batch is kept for the trace or ").field(Field::SceneShowBatch).text(")");
    }
    Err(Error::OverBudget {
        field: Field::TrainSteps,
        value: steps.to_string(),
        estimate: estimate.text(format!(
            ": {formula} = {visits:.1e} point visits at {TRAIN_POINTS_PER_SECOND:.1e} a second; the budget is \
             {TRAIN_SECONDS_BUDGET:.0} s and {:.0} GB. Use fewer steps, a smaller batch or fewer points",
            TRAIN_BYTES_BUDGET as f64 / 1e9,
            visits = visits as f64,
        )),
    })
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
        assert!(check_training([&TrainSettings::default()], 100, false).is_ok());
        // A million points for 100000 full-batch steps: 2e11 visits, 800 s.
        let Err(Error::OverBudget { field, value, estimate: allowed }) = check_training([&full], 1_000_000, false)
        else {
            panic!("2e11 point visits were accepted");
        };
        assert_eq!((field, value.as_str()), (Field::TrainSteps, "100000"));
        let allowed = allowed.to_string();
        assert!(allowed.starts_with("training would take about 800 s and 38 MB: steps x 2n"), "{allowed}");
        assert!(allowed.contains("= 100000 x 2 x 1000000 = 2.0e11 point visits"));
        assert!(check_training([&full], 1_000_000, true).is_ok());
        // A minute is the line: 1.48e10 visits (59 s) pass, twice that does not.
        assert!(check_training([&TrainSettings { steps: 74_000, ..full.clone() }], 100_000, false).is_ok());
        assert!(check_training([&TrainSettings { steps: 74_000, ..full.clone() }], 200_000, false).is_err());
        // Kept batches cost memory: 100000 steps of 2000 indices is 1.6 GB, not kept it is nothing.
        let big = TrainSettings { batch_size: BatchSize::Size(2000), ..full.clone() };
        let Err(Error::OverBudget { estimate: allowed, .. }) = check_training([&big], 2000, false) else {
            panic!("1.6 GB of batches were accepted");
        };
        let allowed = allowed.to_string();
        assert!(allowed.contains("s and 1.6 GB (every step's batch is kept"), "{allowed}");
        assert!(check_training([&TrainSettings { record_batches: false, ..big }], 2000, false).is_ok());
        // A grid sums its runs: one run fits, 22 of them do not.
        let run = TrainSettings { steps: 10_000, ..full };
        assert!(check_training([&run], 500_000, false).is_ok());
        let Err(Error::OverBudget { estimate: allowed, .. }) = check_training(vec![&run; 22], 500_000, false) else {
            panic!("22 runs were accepted");
        };
        let allowed = allowed.to_string();
        assert!(allowed.starts_with("training would take about 880 s of CPU time and "), "{allowed}");
        assert!(allowed.contains("summed over 22 runs = 2.2e11 point visits"), "{allowed}");
    }
}
