//! The training core: gradient descent and mini-batch SGD on a line, one snapshot per step.

use crate::error::{Error, Field, Result};

mod budget;

pub use budget::{check_training, BATCH_INDEX_COST, TRAIN_BYTES_BUDGET, TRAIN_POINTS_PER_SECOND, TRAIN_SECONDS_BUDGET};

use crate::run::{BatchSampler, OptimizerState};
// The run model's types, where this source's users (job, grid, output, the binary) find them.
pub use crate::run::{
    gradient, mse, BatchSize, DataSource, DataSpec, Dataset, Optimizer, Run, Snapshot, TrainSettings, Verdict,
    DIVERGENCE_FACTOR, MAX_CSV_BYTES, MAX_POINTS, MAX_STEPS, MAX_VALUE, UNSTABLE_FACTOR,
};

/// Checks a learning rate.
pub(crate) fn check_lr(field: Field, lr: f64) -> Result<()> {
    if lr.is_finite() && lr > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(field, lr, "a finite number above 0, such as 0.1"))
    }
}

/// Checks a batch size against a dataset of `n` points.
pub(crate) fn check_batch_size(field: Field, b: BatchSize, n: usize) -> Result<()> {
    match b {
        BatchSize::Size(s) if s == 0 || s > n => {
            Err(Error::invalid(field, s, format!("'full' or a whole number from 1 to n = {n}")))
        }
        _ => Ok(()),
    }
}

impl TrainSettings {
    /// Checks every setting against a dataset of `n` points; the error names the field.
    pub fn validate(&self, n: usize) -> Result<()> {
        let t = self;
        check_lr(Field::TrainLr, t.lr)?;
        check_batch_size(Field::TrainBatchSize, t.batch_size, n)?;
        if t.steps == 0 || t.steps > MAX_STEPS {
            return Err(Error::invalid(Field::TrainSteps, t.steps, format!("between 1 and {MAX_STEPS}")));
        }
        let limit = MAX_VALUE;
        for (field, v) in [(Field::TrainStartSlope, t.start.0), (Field::TrainStartIntercept, t.start.1)] {
            if !(v.is_finite() && v.abs() <= limit) {
                return Err(Error::invalid(field, v, format!("a number within ±{limit:e}")));
            }
        }
        t.optimizer.validate()
    }
}

/// Runs training and records a snapshot per step. Divergence is a normal outcome: the
/// parameters become infinite or NaN and the run goes on to the end.
pub fn train(data: &Dataset, settings: &TrainSettings) -> Run {
    let mut snapshots = Vec::with_capacity(settings.steps + 1);
    let mut params = settings.start;
    snapshots.push(Snapshot {
        step: 0,
        slope: params.0,
        intercept: params.1,
        loss: mse(data, params, None),
        batch: None,
    });
    let mut sampler =
        settings.batch_size.size().map(|size| BatchSampler::new(data.len(), size, settings.sampling, settings.seed));
    let mut state = OptimizerState::new(settings.optimizer);
    for step in 1..=settings.steps {
        let batch = sampler.as_mut().map(BatchSampler::next);
        let g = gradient(data, params, batch.as_deref());
        params = state.step(settings.lr, params, g);
        let batch = batch.filter(|_| settings.record_batches);
        snapshots.push(Snapshot { step, slope: params.0, intercept: params.1, loss: mse(data, params, None), batch });
    }
    Run { settings: settings.clone(), snapshots }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Sampling;

    fn data() -> Dataset {
        Dataset::synthetic(&DataSpec::default())
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let d = data();
        let batch = vec![3, 17, 17, 42, 99];
        for params in [(-1.0, 1.0), (2.5, 9.0), (7.0, -3.0)] {
            for b in [None, Some(batch.as_slice())] {
                let g = gradient(&d, params, b);
                let h = 1e-6;
                let ds = (mse(&d, (params.0 + h, params.1), b) - mse(&d, (params.0 - h, params.1), b)) / (2.0 * h);
                let di = (mse(&d, (params.0, params.1 + h), b) - mse(&d, (params.0, params.1 - h), b)) / (2.0 * h);
                assert!((g.0 - ds).abs() < 1e-5 * (1.0 + ds.abs()), "{g:?} vs {ds}");
                assert!((g.1 - di).abs() < 1e-5 * (1.0 + di.abs()), "{g:?} vs {di}");
            }
        }
    }

    #[test]
    fn gd_reaches_least_squares() {
        let d = data();
        let run = train(&d, &TrainSettings { steps: 300, ..Default::default() });
        let (s, i) = d.least_squares().unwrap();
        let last = run.last();
        assert!((last.slope - s).abs() < 1e-3 && (last.intercept - i).abs() < 1e-3, "{last:?} vs {s} {i}");
        assert_eq!(run.snapshots.len(), 301);
        assert_eq!(run.snapshots[0].slope, -1.0);
        assert!(run.snapshots.iter().all(|s| s.batch.is_none()));
        assert_eq!(run.diverged_at(), None);
    }

    #[test]
    fn first_step_is_the_hand_computed_update() {
        let d = Dataset { x: vec![0.0, 1.0], y: vec![1.0, 3.0] };
        // From (0, 0): errors (-1, -3); grad slope = 2*(-3*1)/2 = -3, intercept = 2*(-4)/2 = -4.
        let settings = TrainSettings { lr: 0.5, steps: 2, start: (0.0, 0.0), ..Default::default() };
        let run = train(&d, &settings);
        assert_eq!((run.snapshots[1].slope, run.snapshots[1].intercept), (1.5, 2.0));
        // Momentum 0.9: step 2 uses v = 0.9 * g1 + g2.
        let m = train(&d, &TrainSettings { optimizer: Optimizer::Momentum { momentum: 0.9 }, ..settings.clone() });
        let g2 = gradient(&d, (1.5, 2.0), None);
        let v = (0.9 * -3.0 + g2.0, 0.9 * -4.0 + g2.1);
        assert_eq!((m.snapshots[2].slope, m.snapshots[2].intercept), (1.5 - 0.5 * v.0, 2.0 - 0.5 * v.1));
        // Adam's first step moves each parameter by lr * sign(g) (bias-corrected m / sqrt(v)).
        let a = train(&d, &TrainSettings { optimizer: Optimizer::Adam { beta1: 0.9, beta2: 0.999 }, ..settings });
        assert!((a.snapshots[1].slope - 0.5).abs() < 1e-7 && (a.snapshots[1].intercept - 0.5).abs() < 1e-7);
    }

    #[test]
    fn batches_are_seeded_and_in_range() {
        let d = data();
        let s = TrainSettings { batch_size: BatchSize::Size(16), seed: 5, ..Default::default() };
        let a = train(&d, &s);
        assert_eq!(a, train(&d, &s));
        assert_ne!(a.snapshots[1].batch, train(&d, &TrainSettings { seed: 6, ..s.clone() }).snapshots[1].batch);
        for snap in &a.snapshots[1..] {
            let b = snap.batch.as_ref().unwrap();
            assert_eq!(b.len(), 16);
            assert!(b.iter().all(|&i| i < 100));
        }
        let sh = train(&d, &TrainSettings { sampling: Sampling::Shuffle, batch_size: BatchSize::Size(50), ..s });
        let mut epoch: Vec<usize> = sh.snapshots[1..3].iter().flat_map(|s| s.batch.clone().unwrap()).collect();
        epoch.sort_unstable();
        assert_eq!(epoch, (0..100).collect::<Vec<_>>());
        // 64 does not divide 100: still no repeated index within a batch.
        let odd = train(&d, &TrainSettings { sampling: Sampling::Shuffle, batch_size: BatchSize::Size(64), ..s });
        for snap in &odd.snapshots[1..] {
            let mut b = snap.batch.clone().unwrap();
            b.sort_unstable();
            b.dedup();
            assert_eq!(b.len(), 64);
        }
    }

    #[test]
    fn batches_are_kept_only_when_asked_and_the_run_is_the_same() {
        let d = data();
        for sampling in [Sampling::WithReplacement, Sampling::Shuffle] {
            let s = TrainSettings { batch_size: BatchSize::Size(8), sampling, steps: 40, ..Default::default() };
            let kept = train(&d, &s);
            let dropped = train(&d, &TrainSettings { record_batches: false, ..s });
            assert!(kept.snapshots[1..].iter().all(|snap| snap.batch.as_ref().is_some_and(|b| b.len() == 8)));
            assert!(dropped.snapshots.iter().all(|snap| snap.batch.is_none()));
            for (a, b) in kept.snapshots.iter().zip(&dropped.snapshots) {
                assert_eq!((a.step, a.slope, a.intercept, a.loss), (b.step, b.slope, b.intercept, b.loss));
            }
        }
    }

    #[test]
    fn divergence_runs_to_the_end() {
        let d = data();
        for lr in [10.0, 1e6] {
            let run = train(&d, &TrainSettings { lr, ..Default::default() });
            assert_eq!(run.snapshots.len(), 101);
            assert!(run.diverged_at().is_some_and(|k| k < 20), "lr {lr}");
        }
        // lr 1e6 overflows to inf and NaN and keeps going.
        let run = train(&d, &TrainSettings { lr: 1e6, ..Default::default() });
        assert!(!run.last().is_finite());
        // lr 0.1 converges: never flagged.
        assert_eq!(train(&d, &TrainSettings::default()).diverged_at(), None);
        assert_eq!(train(&d, &TrainSettings::default()).verdict(), Verdict::Settled);
    }

    #[test]
    fn unstable_runs_end_far_above_their_best_or_start() {
        let snap = |step, loss| Snapshot { step, slope: 0.0, intercept: 0.0, loss, batch: None };
        let run = |losses: &[f64]| Run {
            settings: TrainSettings::default(),
            snapshots: losses.iter().enumerate().map(|(k, &l)| snap(k, l)).collect(),
        };
        assert_eq!(run(&[80.0, 10.0, 1.0, 1.9]).verdict(), Verdict::Settled);
        let far = run(&[80.0, 10.0, 1.0, 2.1]).verdict();
        assert!(matches!(far, Verdict::Unstable { best_step: 2, .. }), "{far:?}");
        assert!(far.to_string().starts_with("unstable: ends far above its best loss 1.000 (step 2)"), "{far}");
        let above = run(&[80.0, 60.0, 90.0]).verdict();
        assert!(above.to_string().starts_with("unstable: ends at 1.1x its start loss"), "{above}");
        // Never "1.0x": as many decimals as it takes to read above the start.
        let just = run(&[80.0, 30.0, 81.6]).verdict();
        assert!(just.to_string().starts_with("unstable: ends at 1.02x its start loss"), "{just}");
        assert_eq!(run(&[80.0, f64::NAN, 1.0]).verdict(), Verdict::Diverged { step: 1 });
        // The post's lr 1.0, batch size 4: down to 2.4, then up to 4719 (55x its start).
        let d = data();
        let lr1 =
            crate::job::train_job(&d, &TrainSettings { lr: 1.0, batch_size: BatchSize::Size(4), ..Default::default() });
        assert!(matches!(lr1.verdict(), Verdict::Unstable { .. }), "{:?}", lr1.verdict());
    }
}
