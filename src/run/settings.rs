//! What decides a training run besides its data: the learning rate, the batch size, the
//! steps, the start guess, the sampling, the optimiser and the seed. A [`super::Run`] carries
//! them, whichever source made it (`train/` or a log `replay/` read back).

use super::optimizer::Optimizer;
use super::sampling::{BatchSize, Sampling};

/// Everything that decides a training run (besides the data).
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSettings {
    /// Learning rate.
    pub lr: f64,
    /// Points per step.
    pub batch_size: BatchSize,
    /// Number of updates; the run has `steps + 1` snapshots.
    pub steps: usize,
    /// Start guess (slope, intercept); the post: (-1, 1).
    pub start: (f64, f64),
    /// How mini-batches are drawn.
    pub sampling: Sampling,
    /// The update rule.
    pub optimizer: Optimizer,
    /// Seed of this run's batch sampling.
    pub seed: u64,
    /// Whether each [`super::Snapshot`] keeps its batch's indices (`steps x batch size` numbers).
    /// Only the trace and `--show-batch` need them; [`crate::render`] and
    /// [`crate::run_grid`] set this to what they need. The parameters are the same either way.
    pub record_batches: bool,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            lr: 0.1,
            batch_size: BatchSize::Full,
            steps: 100,
            start: (-1.0, 1.0),
            sampling: Sampling::WithReplacement,
            optimizer: Optimizer::Sgd,
            seed: 42,
            record_batches: true,
        }
    }
}

/// The most steps one animation may have.
pub const MAX_STEPS: usize = 100_000;
