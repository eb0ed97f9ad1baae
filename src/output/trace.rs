//! The run as JSON (`--trace`): settings, data and every step, one step a line. Non-finite
//! numbers are null.

use super::json::to_line;
use crate::render::Limits;
use crate::run::{Dataset, Optimizer, Run, Sampling};
use serde::Serialize;

/// The optimiser: its name (as [`Optimizer::name`] spells it) and its own settings.
#[derive(Serialize)]
struct OptimizerJson {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    momentum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beta1: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beta2: Option<f64>,
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
    /// The line the points were drawn from, when known (the parameter panel marks it).
    #[serde(skip_serializing_if = "Option::is_none")]
    truth: Option<[f64; 2]>,
    /// What the line panel's y axis covered, when it is not the data alone (the user's
    /// points, the default): `lesson`, the data and the start line (the lesson's own data).
    #[serde(skip_serializing_if = "Option::is_none")]
    limits: Option<&'static str>,
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

/// The trace's `limits`, as `replay` reads it back: left out for the data alone, the default.
fn limits_name(limits: Limits) -> Option<&'static str> {
    match limits {
        Limits::Lesson => Some("lesson"),
        Limits::Data => None,
    }
}

/// Serialises a run and its data. `seed` is the user's seed (the run's sampling seed is
/// derived from it); `truth` the line the data was drawn from, when known, and `limits` what
/// the line panel's y axis covered (so a replay draws the data as the render did).
#[must_use]
pub fn trace_json(data: &Dataset, run: &Run, seed: u64, truth: Option<(f64, f64)>, limits: Limits) -> String {
    let s = &run.settings;
    let settings = SettingsJson {
        lr: s.lr,
        batch_size: s.batch_size.size(),
        steps: s.steps,
        seed,
        start: [s.start.0, s.start.1],
        sampling: match s.sampling {
            Sampling::WithReplacement => "with-replacement",
            Sampling::Shuffle => "shuffle",
        },
        optimizer: {
            let (momentum, beta1, beta2) = match s.optimizer {
                Optimizer::Sgd => (None, None, None),
                Optimizer::Momentum { momentum } => (Some(momentum), None, None),
                Optimizer::Adam { beta1, beta2 } => (None, Some(beta1), Some(beta2)),
            };
            OptimizerJson { name: s.optimizer.name(), momentum, beta1, beta2 }
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
        to_line(&DataJson { truth: truth.map(|(s, i)| [s, i]), limits: limits_name(limits), x: &data.x, y: &data.y }),
        steps.join(",\n  ")
    )
}
