//! The post's observations, checked from the training traces.

use sgd_anim::internals::*;
use sgd_anim::*;

fn data() -> Dataset {
    Dataset::synthetic(&DataSpec::default())
}

fn run(lr: f64, batch_size: BatchSize) -> Run {
    train_job(&data(), &TrainSettings { lr, batch_size, ..Default::default() })
}

/// Standard deviation of the slope over the last 30 steps.
fn jitter(run: &Run) -> f64 {
    let tail: Vec<f64> = run.snapshots[run.snapshots.len() - 30..].iter().map(|s| s.slope).collect();
    let mean = tail.iter().sum::<f64>() / tail.len() as f64;
    (tail.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / tail.len() as f64).sqrt()
}

/// Mean jitter over several seeds, so one lucky stream cannot decide the test.
fn mean_jitter(lr: f64, b: usize) -> f64 {
    (0..8)
        .map(|seed| {
            jitter(&train_job(
                &data(),
                &TrainSettings { lr, batch_size: BatchSize::Size(b), seed, ..Default::default() },
            ))
        })
        .sum::<f64>()
        / 8.0
}

#[test]
fn gd_recovers_the_least_squares_line() {
    let (s, i) = data().least_squares().unwrap();
    let last = run(0.1, BatchSize::Full).last().clone();
    assert!((last.slope - s).abs() < 0.1 && (last.intercept - i).abs() < 0.1, "{last:?}");
    assert!((s - 3.0).abs() < 0.3 && (i - 10.0).abs() < 0.3);
}

#[test]
fn lr_001_is_slow() {
    let (s, _) = data().least_squares().unwrap();
    let last = run(0.01, BatchSize::Size(16)).last().clone();
    assert!((last.slope - s).abs() > 1.0, "lr 0.01 should still be far after 100 steps: {last:?}");
}

#[test]
fn lr_1_goes_off_the_rails() {
    let wild = run(1.0, BatchSize::Size(16));
    let calm = run(0.1, BatchSize::Size(16));
    assert!(
        wild.diverged_at().is_some() || jitter(&wild) >= 5.0 * jitter(&calm),
        "{} vs {}",
        jitter(&wild),
        jitter(&calm)
    );
}

#[test]
fn jitter_falls_as_batches_grow() {
    let j: Vec<f64> = [1, 4, 16, 64].iter().map(|&b| mean_jitter(0.1, b)).collect();
    assert!(j[0] > 3.0 * j[3], "bs 1 {} vs bs 64 {}", j[0], j[3]);
    assert!(j.windows(2).all(|w| w[0] > w[1]), "{j:?}");
}

#[test]
fn a_run_records_the_seed_it_used_and_retraining_reproduces_it() {
    let data = data();
    for batch_size in [BatchSize::Full, BatchSize::Size(1), BatchSize::Size(16)] {
        let user = TrainSettings { lr: 0.1, batch_size, seed: 7, ..Default::default() };
        let run = train_job(&data, &user);
        assert_eq!(run.settings.seed, job_seed(7, 0.1, batch_size));
        assert_eq!(train(&data, &run.settings), run, "{batch_size:?}");
    }
    // Mini-batch runs depend on the seed: the user's seed alone gives another run.
    let user = TrainSettings { batch_size: BatchSize::Size(4), seed: 7, ..Default::default() };
    assert_ne!(train(&data, &user), train_job(&data, &user));
}

#[test]
fn lr_one_goes_off_the_rails_and_smaller_rates_settle() {
    for lr in [0.01, 0.1, 1.0] {
        for b in [1, 2, 4, 8, 16, 32, 64] {
            let verdict = run(lr, BatchSize::Size(b)).verdict();
            if lr < 1.0 {
                assert_eq!(verdict, Verdict::Settled, "lr {lr} bs {b}");
            } else {
                assert!(
                    matches!(verdict, Verdict::Unstable { .. } | Verdict::Diverged { .. }),
                    "lr {lr} bs {b}: {verdict}"
                );
            }
        }
    }
    assert_eq!(run(0.1, BatchSize::Full).verdict(), Verdict::Settled);
}
