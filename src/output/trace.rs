//! The run as JSON (`--trace`): settings, data and every step, one step a line. Non-finite
//! numbers are null.

use super::json::to_line;
use crate::train::{BatchSize, Dataset, Optimizer, Run, Sampling};
use serde::Serialize;

#[derive(Serialize)]
#[serde(tag = "name", rename_all = "lowercase")]
enum OptimizerJson {
    Sgd,
    Momentum { momentum: f64 },
    Adam { beta1: f64, beta2: f64 },
}

#[derive(Serialize)]
struct SettingsJson {
    lr: f64,
    batch_size: Option<usize>,
    steps: usize,
    seed: u64,
    start: [f64; 2],
    sampling: &'static str,
    optimizer: OptimizerJson,
    diverged_at: Option<usize>,
}

#[derive(Serialize)]
struct DataJson<'a> {
    x: &'a [f64],
    y: &'a [f64],
}

#[derive(Serialize)]
struct StepJson<'a> {
    step: usize,
    slope: f64,
    intercept: f64,
    loss: f64,
    batch: Option<&'a [usize]>,
}

/// Serialises a run and its data. `seed` is the user's seed (the run's sampling seed is
/// derived from it).
pub fn trace_json(data: &Dataset, run: &Run, seed: u64) -> String {
    let s = &run.settings;
    let settings = SettingsJson {
        lr: s.lr,
        batch_size: match s.batch_size {
            BatchSize::Full => None,
            BatchSize::Size(b) => Some(b),
        },
        steps: s.steps,
        seed,
        start: [s.start.0, s.start.1],
        sampling: match s.sampling {
            Sampling::WithReplacement => "with-replacement",
            Sampling::Shuffle => "shuffle",
        },
        optimizer: match s.optimizer {
            Optimizer::Sgd => OptimizerJson::Sgd,
            Optimizer::Momentum { momentum } => OptimizerJson::Momentum { momentum },
            Optimizer::Adam { beta1, beta2 } => OptimizerJson::Adam { beta1, beta2 },
        },
        diverged_at: run.diverged_at(),
    };
    let steps: Vec<String> = run
        .snapshots
        .iter()
        .map(|snap| {
            to_line(&StepJson {
                step: snap.step,
                slope: snap.slope,
                intercept: snap.intercept,
                loss: snap.loss,
                batch: snap.batch.as_deref(),
            })
        })
        .collect();
    format!(
        "{{\"settings\": {},\n \"data\": {},\n \"steps\": [\n  {}\n ]}}\n",
        to_line(&settings),
        to_line(&DataJson { x: &data.x, y: &data.y }),
        steps.join(",\n  ")
    )
}
