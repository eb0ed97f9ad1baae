//! The run model, at the bottom of the pipeline: the points ([`Dataset`], from a seed or a
//! CSV), a [`Run`] (its [`TrainSettings`] and one [`Snapshot`] per step, each with its [`mse`]),
//! its [`Verdict`], and the [`Curves`] a log of metrics holds. Both sources make it (`train/`
//! runs the optimiser on a dataset, `replay/` reads a log back) and `render/` draws it, so no
//! source needs the other and no drawing code needs either.
//!
//! Each variant owns its knowledge here, in one file: [`Optimizer`] (names, defaults, parsing,
//! checks, update rule, trace form) and [`Sampling`] (names, parsing, serde, the batch
//! sampler). The trace's settings have one schema type, [`TraceSettings`], both ways.
//!
//! Inside the folder, each file uses only those listed before it here: data, loss, sampling
//! (with the batch size), optimizer, settings, verdict, trace (the trace's settings; it uses
//! the folder's `Run`), curves.

mod curves;
mod data;
mod loss;
mod optimizer;
mod sampling;
mod settings;
mod trace;
mod verdict;

pub use curves::{group_name, Curves, Group, Series};
pub(crate) use data::{open_regular, record_line, size, Bounded};
pub use data::{DataSource, DataSpec, Dataset, MAX_CSV_BYTES, MAX_POINTS, MAX_VALUE};
pub use loss::{gradient, mse, TRAIN_POINTS_PER_SECOND, TRAIN_SECONDS_BUDGET};
pub use optimizer::Optimizer;
pub(crate) use optimizer::OptimizerState;
pub(crate) use sampling::BatchSampler;
pub use sampling::{BatchSize, Sampling};
pub use settings::{TrainSettings, MAX_STEPS};
pub use trace::TraceSettings;
pub use verdict::{Verdict, DIVERGENCE_FACTOR, UNSTABLE_FACTOR};

/// The state after one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// 0 for the start guess, k after k updates.
    pub step: usize,
    /// Slope after this step.
    pub slope: f64,
    /// Intercept after this step.
    pub intercept: f64,
    /// MSE over the full data at these parameters.
    pub loss: f64,
    /// The indices this step's update used; `None` at step 0, on full-batch steps and when
    /// [`TrainSettings::record_batches`] is off.
    pub batch: Option<Vec<usize>>,
}

impl Snapshot {
    /// Whether the parameters and loss are all finite.
    #[must_use]
    pub fn is_finite(&self) -> bool {
        self.slope.is_finite() && self.intercept.is_finite() && self.loss.is_finite()
    }
}

/// A whole training run: its settings and one snapshot per step.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// What produced it.
    pub settings: TrainSettings,
    /// `steps + 1` snapshots, the start guess first.
    pub snapshots: Vec<Snapshot>,
}

impl Run {
    /// The first step whose parameters or loss are not finite, or whose loss is
    /// [`DIVERGENCE_FACTOR`] times the start's, if the run diverged (never, for a run with no
    /// snapshot).
    #[must_use]
    pub fn diverged_at(&self) -> Option<usize> {
        let limit = DIVERGENCE_FACTOR * self.snapshots.first()?.loss.max(1e-12);
        self.snapshots.iter().find(|s| !s.is_finite() || s.loss > limit).map(|s| s.step)
    }

    /// How the run ended: settled, unstable or diverged (see [`Verdict`]). A run with no
    /// snapshot (a log with no step) went nowhere, so nothing went wrong: settled.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        if let Some(step) = self.diverged_at() {
            return Verdict::Diverged { step };
        }
        let (Some(first), Some(last)) = (self.snapshots.first(), self.snapshots.last()) else {
            return Verdict::Settled;
        };
        let best = self.snapshots.iter().min_by(|a, b| a.loss.total_cmp(&b.loss)).unwrap_or(last);
        let (start, end) = (first.loss, last.loss);
        if end > start || end > UNSTABLE_FACTOR * best.loss {
            Verdict::Unstable { best_step: best.step, best_loss: best.loss, of_start: end / start.max(1e-300) }
        } else {
            Verdict::Settled
        }
    }

    /// The last snapshot.
    #[must_use]
    pub fn last(&self) -> &Snapshot {
        self.snapshots.last().expect("a run always has its start snapshot")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(losses: &[f64]) -> Run {
        let snap = |step, loss| Snapshot { step, slope: 0.0, intercept: 0.0, loss, batch: None };
        Run {
            settings: TrainSettings::default(),
            snapshots: losses.iter().enumerate().map(|(k, &l)| snap(k, l)).collect(),
        }
    }

    #[test]
    fn an_empty_run_has_a_verdict_and_no_divergence() {
        let empty = run(&[]);
        assert_eq!(empty.diverged_at(), None);
        assert_eq!(empty.verdict(), Verdict::Settled);
        assert_eq!(empty.verdict().to_string(), "ok");
        // One snapshot: its own best, start and end.
        assert_eq!(run(&[3.0]).verdict(), Verdict::Settled);
        assert_eq!(run(&[f64::INFINITY]).verdict(), Verdict::Diverged { step: 0 });
    }
}
